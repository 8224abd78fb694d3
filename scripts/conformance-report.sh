#!/usr/bin/env bash
# Regenerate CONFORMANCE.md: how moto, LocalStack and MiniStack answer AddPermission.
#
# Usage: scripts/conformance-report.sh [--write-baselines | --check-baselines] [--only NAME]
#
# Builds addperm (release), rewrites conformance/generated.jsonl from its fixed
# seed (a no-op unless the generator changed), then for each emulator: (re)starts
# it from empty state, runs the whole suite (curated + generated cases) with
# --report-json, and stops it. Finally writes CONFORMANCE.md with
# `addperm report --conformance moto=... localstack=... ministack=...`.
#
#   --write-baselines  also record conformance/baselines/<name>.json from these runs
#                      (each entry keeps the reason and expires the file gave it; a
#                      new entry gets a reason from scripts/baseline-reasons.py)
#   --check-baselines  also judge each run against its baseline with
#                      --strict-baseline (a stability check: exit 1 unless every
#                      case answers exactly as recorded); CONFORMANCE.md is not written
#   --only NAME        moto, localstack or ministack only (CONFORMANCE.md is then not written)
#
# The JSON, JUnit and text reports are left in target/conformance/.
# Emulators listen on ADDPERM_MOTO_PORT (default 5055), ADDPERM_LOCALSTACK_PORT
# (default 4566) and ADDPERM_MINISTACK_PORT (default 4567); one this script finds
# running there (started by scripts/*.sh) is restarted, so that every run starts
# from empty state.
# ADDPERM_BIN=path uses an already built binary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROG="conformance-report.sh"
# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. scripts/lib/targets.sh
# shellcheck source-path=SCRIPTDIR source=lib/conformance.sh
. scripts/lib/conformance.sh

usage() {
  sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

MODE=report
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --write-baselines) MODE=record ;;
    --check-baselines) MODE=judge ;;
    --only)
      [ $# -ge 2 ] || usage
      ONLY="$2"
      emulator_script "$ONLY" >/dev/null
      shift
      ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
  shift
done
EMULATORS=("${ALL_EMULATORS[@]}")
[ -z "$ONLY" ] || EMULATORS=("$ONLY")
MOTO_PORT="${ADDPERM_MOTO_PORT:-5055}"
LOCALSTACK_PORT="${ADDPERM_LOCALSTACK_PORT:-4566}"
MINISTACK_PORT="${ADDPERM_MINISTACK_PORT:-4567}"
validate_port "$MOTO_PORT"
validate_port "$LOCALSTACK_PORT"
validate_port "$MINISTACK_PORT"
require_cmd timeout "coreutils"

OUT=target/conformance
mkdir -p "$OUT" conformance/baselines

trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BIN="${ADDPERM_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --locked --quiet
  BIN="${CARGO_TARGET_DIR:-target}/release/addperm"
fi
[ -x "$BIN" ] || die "addperm binary $BIN is missing"

"$BIN" "${GENERATE_ARGS[@]}" >conformance/generated.jsonl.tmp
mv conformance/generated.jsonl.tmp conformance/generated.jsonl

port_of() {
  case "$1" in
    moto) echo "$MOTO_PORT" ;;
    localstack) echo "$LOCALSTACK_PORT" ;;
    ministack) echo "$MINISTACK_PORT" ;;
  esac
}

STATUS=0
REPORTS=()
for name in "${EMULATORS[@]}"; do
  script="$(emulator_script "$name")"
  port="$(port_of "$name")"
  # Fresh state: stop ours if it runs there; refuse a foreign process (start does).
  "$script" stop "$port" >/dev/null 2>&1 || true
  STARTED+=("$script stop $port")
  t0=$SECONDS
  url="$("$script" start "$port")"
  log "$name: ready at $url after $((SECONDS - t0))s"
  args=()
  case "$MODE" in
    record) args=(--write-baseline "conformance/baselines/$name.json") ;;
    judge) args=(--baseline "conformance/baselines/$name.json" --strict-baseline) ;;
  esac
  t0=$SECONDS
  rc=0
  run_suite "$BIN" "$url" "$OUT" "$name" 1200 "${args[@]}" || rc=$?
  "$script" stop "$port" >/dev/null 2>&1 || log "$name: stop failed"
  unset 'STARTED[${#STARTED[@]}-1]'
  grep -E '^[0-9]+ passed, [0-9]+ failed$|^baseline: |^  (NEW|CHANGED|FIXED|EXPIRED) ' "$OUT/$name.txt" |
    sed "s/^/$name: /" || true
  log "$name: suite ran in $((SECONDS - t0))s (exit $rc; reports in $OUT/$name.{txt,json,xml})"
  case "$rc" in
    0) ;;
    1) [ "$MODE" != judge ] || STATUS=1 ;;
    3) die "$name: the emulator stopped answering during the suite (see $OUT/$name.txt)" ;;
    *) die "$name: addperm check could not run (exit $rc; see $OUT/$name.txt)" ;;
  esac
  if [ "$MODE" = record ]; then
    ADDPERM_BIN="$BIN" python3 scripts/baseline-reasons.py "$name" "$OUT/$name.json"
  fi
  REPORTS+=("$name=$OUT/$name.json")
done

if [ "$MODE" != judge ] && [ -z "$ONLY" ]; then
  "$BIN" report --conformance "${REPORTS[@]}" -o CONFORMANCE.md
  log "wrote CONFORMANCE.md"
fi
exit "$STATUS"
