#!/usr/bin/env bash
# CI: AddPermission conformance of real emulators, judged against the committed
# known-divergence baselines (conformance/baselines/<emulator>.json).
#
# Usage: scripts/ci-emulators.sh
#
# moto and MiniStack always run. LocalStack runs when a python >= 3.12 is found
# (on PATH, in pyenv's versions, or via uv; see scripts/localstack.sh); without
# one it is skipped with a message. Each emulator is installed if needed (PyPI), started
# on a free loopback port, checked with the whole suite (curated + generated
# cases) and stopped again, also on failure or interruption.
#
# A run fails on a NEW divergence (a case the baseline does not list) or a
# CHANGED one (listed, but now answered differently); a FIXED one (listed, now
# passing) is reported but does not fail it. After a deliberate change (a case,
# an emulator version), re-record: scripts/conformance-report.sh --write-baselines
#
# Environment:
#   ADDPERM_BIN                 addperm binary (default: cargo build --locked, then
#                               target/debug/addperm)
#   ADDPERM_CI_LOCALSTACK       auto (default), 1 (fail when it cannot run), 0 (skip)
#   ADDPERM_CI_MINISTACK        1 (default), 0 (skip)
#   ADDPERM_CI_MOTO_PORT        first port tried for moto (default 15055)
#   ADDPERM_CI_LOCALSTACK_PORT  first port tried for LocalStack (default 14566)
#   ADDPERM_CI_MINISTACK_PORT   first port tried for MiniStack (default 14600)
#   ADDPERM_CI_OUT              keep the reports (text, JSON, JUnit) in this directory
#                               (default: a temporary directory, removed at exit)
#   ADDPERM_CI_START_TIMEOUT    seconds for installing + starting one emulator (default 900)
#   ADDPERM_CI_RUN_TIMEOUT      seconds for one suite run (default 600)
#   ADDPERM_CI_FUZZ_SECONDS     how long moto is fuzzed (default 20; 0 skips the fuzz)
# plus those of scripts/moto.sh, scripts/localstack.sh and scripts/ministack.sh
# (ADDPERM_TARGETS_DIR, ...).
#
# Then a bounded robustness fuzz of moto (`addperm fuzz`, ADDPERM_CI_FUZZ_SECONDS,
# fixed seed): it fails when moto's known 5xx families are not found (malformed
# bodies, partial ARNs) or when a finding outside moto's known ones appears (a
# hang, a reset, a statement broken in a new way).
#
# The last line is `emulator baselines: N passed, M failed`: N cases answered as
# the baselines say (a pass, or exactly the recorded divergence), M did not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROG="ci-emulators.sh"
case "${1:-}" in
  '') ;;
  -h | --help)
    sed -n '2,/^set /{/^set /!p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "ci-emulators.sh: takes no arguments (see --help)" >&2
    exit 2
    ;;
esac
# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. scripts/lib/targets.sh
# shellcheck source-path=SCRIPTDIR source=lib/conformance.sh
. scripts/lib/conformance.sh

LOCALSTACK_MODE="${ADDPERM_CI_LOCALSTACK:-auto}"
case "$LOCALSTACK_MODE" in auto | 0 | 1) ;; *) die "ADDPERM_CI_LOCALSTACK must be auto, 0 or 1" ;; esac
MOTO_PORT="${ADDPERM_CI_MOTO_PORT:-15055}"
LOCALSTACK_PORT="${ADDPERM_CI_LOCALSTACK_PORT:-14566}"
MINISTACK_MODE="${ADDPERM_CI_MINISTACK:-1}"
case "$MINISTACK_MODE" in 0 | 1) ;; *) die "ADDPERM_CI_MINISTACK must be 0 or 1" ;; esac
MINISTACK_PORT="${ADDPERM_CI_MINISTACK_PORT:-14600}"
START_TIMEOUT="${ADDPERM_CI_START_TIMEOUT:-900}"
RUN_TIMEOUT="${ADDPERM_CI_RUN_TIMEOUT:-600}"
validate_port "$MOTO_PORT"
validate_port "$LOCALSTACK_PORT"
validate_port "$MINISTACK_PORT"
validate_uint ADDPERM_CI_START_TIMEOUT "$START_TIMEOUT"
validate_uint ADDPERM_CI_RUN_TIMEOUT "$RUN_TIMEOUT"
FUZZ_SECONDS="${ADDPERM_CI_FUZZ_SECONDS:-20}"
validate_uint ADDPERM_CI_FUZZ_SECONDS "$FUZZ_SECONDS"
require_cmd curl
require_cmd timeout "coreutils"

OUT="${ADDPERM_CI_OUT:-}"
KEEP_OUT=1
if [ -z "$OUT" ]; then
  OUT="$(mktemp -d)"
  KEEP_OUT=0
fi
mkdir -p "$OUT"

# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
  stop_started
  [ "$KEEP_OUT" = 1 ] || rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BIN="${ADDPERM_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --locked --quiet
  BIN="${CARGO_TARGET_DIR:-target}/debug/addperm"
fi
[ -x "$BIN" ] || die "addperm binary $BIN is missing"

TOTAL_OK=0
TOTAL_BAD=0
FAILED=()

# check_emulator NAME FIRST_PORT: start NAME, run the suite against its baseline,
# stop it. Adds to the totals; records NAME in FAILED when it does not hold.
check_emulator() {
  local name="$1" script port url rc=0 t0 line pass known new changed fixed expired ids
  script="$(emulator_script "$name")"
  port="$(free_port "$2")"
  log "$name: starting on port $port"
  t0=$SECONDS
  STARTED+=("$script stop $port")
  if ! bounded "$START_TIMEOUT" "$OUT/$name.url" "$script" start "$port"; then
    log "$name: could not be installed or started within ${START_TIMEOUT}s"
    FAILED+=("$name (start)")
    return 0
  fi
  url="$(head -n 1 "$OUT/$name.url")"
  log "$name: ready at $url after $((SECONDS - t0))s; running the suite"
  t0=$SECONDS
  run_suite "$BIN" "$url" "$OUT" "$name" "$RUN_TIMEOUT" \
    --baseline "conformance/baselines/$name.json" || rc=$?
  timeout 60 "$script" stop "$port" >/dev/null 2>&1 || log "$name: stop failed"
  unset 'STARTED[${#STARTED[@]}-1]'
  case "$rc" in
    0 | 1) ;;
    124 | 137)
      log "$name: the suite did not finish within ${RUN_TIMEOUT}s"
      FAILED+=("$name (time-out)")
      return 0
      ;;
    3)
      head -n 1 "$OUT/$name.txt" >&2 || true
      log "$name: stopped answering during the suite (the rest was not run)"
      FAILED+=("$name (stopped answering)")
      return 0
      ;;
    *)
      tail -n 20 "$OUT/$name.txt" >&2 || true
      log "$name: addperm check could not run (exit $rc)"
      FAILED+=("$name (exit $rc)")
      return 0
      ;;
  esac
  # The text report ends with `P passed, Q failed` and the baseline block.
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/$name.txt" | tail -n 1 || true)"
  pass="${line%% passed*}"
  read -r known new changed fixed expired < <(sed -nE \
    's/^baseline: ([0-9]+) known, ([0-9]+) new, ([0-9]+) changed, ([0-9]+) fixed, ([0-9]+) expired$/\1 \2 \3 \4 \5/p' "$OUT/$name.txt") || true
  if [ -z "$pass" ] || [ -z "$known" ]; then
    die "$name: cannot read the report $OUT/$name.txt"
  fi
  echo "$name: $line in $((SECONDS - t0))s; baseline: $known known, $new new, $changed changed, $fixed fixed, $expired expired"
  sed -nE '/^  (NEW|CHANGED|FIXED|EXPIRED) /p' "$OUT/$name.txt"
  TOTAL_OK=$((TOTAL_OK + pass + known))
  TOTAL_BAD=$((TOTAL_BAD + new + changed + expired))
  if [ "$rc" != 0 ]; then
    ids="$(sed -nE 's/^  (NEW|CHANGED|EXPIRED) +([^ :]+).*/\2/p' "$OUT/$name.txt" | tr '\n' ' ')"
    echo "--- $name: what the new or changed cases answered"
    # shellcheck disable=SC2086 # a list of ids
    print_blocks "$OUT/$name.txt" $ids
    FAILED+=("$name")
  fi
}

# The findings `addperm fuzz` must report for moto 5.2.5 (signature
# `kind|status|what|family`, see docs/emulators.md), and the ones it may: any 500;
# a statement without the qualifier in Resource, or with a bare-string Principal,
# for valid requests and odd FunctionNames or qualifiers; a statement that is not
# JSON (NaN, Infinity echoed) for odd numbers.
FUZZ_REQUIRED=(json-truncated json-not-object empty-body function-name valid)
FUZZ_ALLOWED='^(server-error\|500\|.*|bad-statement\|200\|(Resource|Principal)\|(valid|function-name|qualifier)|bad-statement\|200\|Statement\|json-odd-number)$'

# fuzz_moto FIRST_PORT: start moto, fuzz it for FUZZ_SECONDS, stop it; records
# "moto (fuzz)" in FAILED when a required signature is missing or an unexpected
# one appears.
fuzz_moto() {
  local script=scripts/moto.sh port url rc=0 family sig bad=()
  port="$(free_port "$1")"
  log "moto fuzz: starting moto on port $port"
  STARTED+=("$script stop $port")
  if ! bounded "$START_TIMEOUT" "$OUT/moto-fuzz.url" "$script" start "$port"; then
    log "moto fuzz: moto could not be started within ${START_TIMEOUT}s"
    FAILED+=("moto (fuzz start)")
    return 0
  fi
  url="$(head -n 1 "$OUT/moto-fuzz.url")"
  bounded $((FUZZ_SECONDS + 120)) "$OUT/moto-fuzz.txt" "$BIN" fuzz --target "$url" \
    --duration "${FUZZ_SECONDS}s" --seed 1 --timeout 10 --out "$OUT/moto-fuzz" || rc=$?
  timeout 60 "$script" stop "$port" >/dev/null 2>&1 || log "moto fuzz: stop failed"
  unset 'STARTED[${#STARTED[@]}-1]'
  if [ "$rc" != 1 ]; then
    tail -n 20 "$OUT/moto-fuzz.txt" >&2 || true
    log "moto fuzz: addperm fuzz exited $rc (1 expected: moto has known findings)"
    FAILED+=("moto (fuzz exit $rc)")
    return 0
  fi
  sed -n '2,4p' "$OUT/moto-fuzz.txt"
  for family in "${FUZZ_REQUIRED[@]}"; do
    grep -qE "^    signature: server-error\|500\|.*\|$family\$" "$OUT/moto-fuzz.txt" ||
      bad+=("missing: server-error 500 for $family")
  done
  while read -r sig; do
    [[ "$sig" =~ $FUZZ_ALLOWED ]] || bad+=("unexpected: $sig")
  done < <(sed -nE 's/^    signature: //p' "$OUT/moto-fuzz.txt")
  if [ "${#bad[@]}" -gt 0 ]; then
    printf 'moto fuzz: %s\n' "${bad[@]}"
    cat "$OUT/moto-fuzz.txt"
    FAILED+=("moto (fuzz)")
  else
    echo "moto fuzz: the known findings and nothing else ($(grep -c '^    signature: ' "$OUT/moto-fuzz.txt") signatures)"
  fi
}

check_emulator moto "$MOTO_PORT"
if [ "$FUZZ_SECONDS" = 0 ]; then
  log "moto fuzz: skipped (ADDPERM_CI_FUZZ_SECONDS=0)"
else
  fuzz_moto "$MOTO_PORT"
fi

if [ "$LOCALSTACK_MODE" = 0 ]; then
  log "LocalStack: skipped (ADDPERM_CI_LOCALSTACK=0)"
elif ! find_python 3 12 ADDPERM_PYTHON LOCALSTACK_PYTHON >/dev/null; then
  if [ "$LOCALSTACK_MODE" = 1 ]; then
    FAILED+=("localstack (no python >= 3.12)")
  fi
  log "LocalStack: skipped: it needs python >= 3.12 and none was found on PATH, in pyenv or via uv (see scripts/localstack.sh)"
else
  check_emulator localstack "$LOCALSTACK_PORT"
fi

if [ "$MINISTACK_MODE" = 0 ]; then
  log "MiniStack: skipped (ADDPERM_CI_MINISTACK=0)"
else
  check_emulator ministack "$MINISTACK_PORT"
fi

[ "$KEEP_OUT" = 0 ] || log "reports kept in $OUT"
echo "emulator baselines: $TOTAL_OK passed, $TOTAL_BAD failed"
if [ "${#FAILED[@]}" -gt 0 ]; then
  log "failed: ${FAILED[*]}"
  exit 1
fi
