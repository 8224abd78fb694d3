# shellcheck shell=bash
# Shared by scripts/ci-emulators.sh and scripts/conformance-report.sh: the
# emulator conformance suite and how it is run. Sourced after lib/targets.sh,
# from the repository root; defines variables and functions only.

# The suite: the curated cases plus the generated ones at a fixed seed. Case ids
# are unique across the three files (a baseline keys divergences by id).
CONFORMANCE_FILES=(
  tests/cases/aws-behaviour.jsonl
  tests/cases/conformance.jsonl
  conformance/generated.jsonl
)
# conformance/generated.jsonl is exactly the output of this command (the
# generator is deterministic for a seed); scripts/conformance-report.sh rewrites it.
# shellcheck disable=SC2034 # used by the sourcing scripts
GENERATE_ARGS=(gen --kind all --count 300 --seed 1)

# Strictness: exact, so the wire format (statement bytes, content type) is
# judged too; the conformance report reports it apart from the members.
# Parallel cases per run (ADDPERM_SUITE_JOBS for every emulator, else
# suite_jobs's choice), and the time-out of one request. LocalStack's first
# requests after start can take seconds on a busy 2-core machine.
SUITE_JOBS="${ADDPERM_SUITE_JOBS:-}"
REQUEST_TIMEOUT="${ADDPERM_REQUEST_TIMEOUT:-30}"

# The emulators, in the order the scripts run them and CONFORMANCE.md lists them.
# shellcheck disable=SC2034 # used by the sourcing scripts
ALL_EMULATORS=(moto localstack ministack)

# emulator_script NAME: the start/stop script of emulator NAME.
emulator_script() {
  case "$1" in
    moto) echo scripts/moto.sh ;;
    localstack) echo scripts/localstack.sh ;;
    ministack) echo scripts/ministack.sh ;;
    *) die "unknown emulator '$1' (expected moto, localstack or ministack)" ;;
  esac
}

# suite_jobs NAME: parallel cases for emulator NAME. 4, except MiniStack: it keeps
# every new or updated function Pending for a fixed 0.5 s, so a case with versions
# mostly waits (the runner polls GetFunction) and more cases in flight cost no CPU
# (840 cases: 160 s at 4, 78 s at 8, 41 s at 16, the same verdicts each time).
suite_jobs() {
  if [ -n "$SUITE_JOBS" ]; then
    echo "$SUITE_JOBS"
    return 0
  fi
  case "$1" in
    ministack) echo 16 ;;
    *) echo 4 ;;
  esac
}

# free_port FIRST: print the first port from FIRST to FIRST+20 on which nothing
# listens, so that a run never lands on an emulator someone else started.
free_port() {
  local p
  for ((p = $1; p <= $1 + 20; p++)); do
    if ! port_in_use "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "no free port in $1-$(($1 + 20))"
}

# bounded SECONDS OUT CMD...: run CMD with its standard output in OUT, killed
# after SECONDS (exit code 124). It runs in the background and is waited for, so
# a signal trapped by the caller is handled at once rather than when CMD ends;
# the caller's trap should `kill_bounded`.
BOUNDED_PID=""
bounded() {
  local seconds="$1" out="$2" rc=0
  shift 2
  timeout --kill-after=10 "$seconds" "$@" >"$out" &
  BOUNDED_PID=$!
  wait "$BOUNDED_PID" || rc=$?
  BOUNDED_PID=""
  return "$rc"
}

# kill_bounded: end the command `bounded` runs, if any (timeout passes the
# signal on to it).
kill_bounded() {
  if [ -n "$BOUNDED_PID" ]; then
    kill -TERM "$BOUNDED_PID" 2>/dev/null || true
    wait "$BOUNDED_PID" 2>/dev/null || true
    BOUNDED_PID=""
  fi
}

# Emulators a script started, as "script stop port" commands, for stop_started.
STARTED=()

# stop_started: end what `bounded` runs, then stop every emulator in STARTED
# (each bounded to 60 s). For the sourcing script's EXIT trap.
stop_started() {
  local entry
  kill_bounded
  for entry in "${STARTED[@]}"; do
    # shellcheck disable=SC2086 # "script stop port"
    timeout 60 $entry >/dev/null 2>&1 || log "could not stop: $entry"
  done
  STARTED=()
}

# run_suite BIN URL OUT NAME SECONDS [CHECK_ARGS...]: run the whole suite on URL,
# writing OUT/NAME.txt (text report), OUT/NAME.json (--report-json) and
# OUT/NAME.xml (--junit); the run is killed after SECONDS. Returns check's exit
# code (124 on time-out).
run_suite() {
  local bin="$1" url="$2" out="$3" name="$4" seconds="$5" f rc=0
  shift 5
  local cases=()
  for f in "${CONFORMANCE_FILES[@]}"; do cases+=(--cases "$f"); done
  bounded "$seconds" "$out/$name.txt" "$bin" check --target "$url" "${cases[@]}" \
    --compare exact --jobs "$(suite_jobs "$name")" --timeout "$REQUEST_TIMEOUT" \
    --report-json "$out/$name.json" --junit "$out/$name.xml" "$@" || rc=$?
  return "$rc"
}

# print_blocks TEXT_REPORT ID...: the text-report blocks (expected vs actual,
# curl) of the given case ids.
print_blocks() {
  local report="$1"
  shift
  awk -v ids=" $* " '
    /^(MISMATCH|SETUP-FAILURE|TARGET-ERROR) / { keep = index(ids, " " $2 " ") > 0 }
    /^[^ ]/ && !/^(MISMATCH|SETUP-FAILURE|TARGET-ERROR) / { keep = 0 }
    keep' "$report"
}
