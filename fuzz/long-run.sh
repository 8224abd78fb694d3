#!/usr/bin/env bash
# Endurance run of one cargo-fuzz target: RUNS executions (default 10 M) from the local corpus
# fuzz/corpus/TARGET (kept between runs, ignored by git) plus the committed seeds, then one line
# of figures, the line of fuzz/README.md's "Measured" table.
#
#   fuzz/long-run.sh TARGET [RUNS]
#   FUZZ_TRACE_COMPARES=0 fuzz/long-run.sh case_file     # a build without comparison tracing
#
# FUZZ_TRACE_COMPARES=0 builds with `--no-trace-compares` (into fuzz/target/no-trace-compares
# unless CARGO_TARGET_DIR is set, so the two builds do not evict each other): libFuzzer's
# comparison tracing is what lets it solve comparisons while exploring, and 50-80% of the
# time of the regex-heavy targets; an endurance run from a grown corpus needs the executions.
# The flags are those of smoke.sh (fuzz/lib.sh). Runs under `nice`; the log is kept in
# fuzz/artifacts/TARGET/long-run-<time>.log.
#
# Exit status: 0 when all RUNS ran without a finding; 1 on a crash, time-out or out-of-memory
# (the artifact is in fuzz/artifacts/TARGET/ and named in the log); 2 on bad usage or a failed build.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=fuzz/lib.sh
. fuzz/lib.sh

usage() {
  echo "usage: fuzz/long-run.sh TARGET [RUNS]   (TARGET: $FUZZ_ALL_TARGETS)" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
target="$1"
runs="${2:-10000000}"
case " $FUZZ_ALL_TARGETS " in *" $target "*) ;; *) usage ;; esac
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage

build=()
if [ "${FUZZ_TRACE_COMPARES:-1}" = 0 ]; then
  build=(--no-trace-compares)
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/fuzz/target/no-trace-compares}"
fi
if ! cargo +nightly fuzz build -s none "${build[@]}" "$target"; then
  echo "long run $target: FAILED: the target does not build" >&2
  exit 2
fi

corpus="fuzz/corpus/$target"
mkdir -p "$corpus" "fuzz/artifacts/$target"
log="fuzz/artifacts/$target/long-run-$(date -u +%Y%m%dT%H%M%SZ).log"
mapfile -t seeds < <(fuzz_seeds "$target")
mapfile -t args < <(fuzz_args "$target")
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'; }
load_start=$(load)
start=$(date +%s)
echo "long run $target: $runs executions${build:+ (${build[*]})}; log $log"
nice -n 10 cargo +nightly fuzz run -s none "${build[@]}" "$target" "$corpus" "${seeds[@]}" -- \
  "${args[@]}" -runs="$runs" >"$log" 2>&1
status=$?
seconds=$(($(date +%s) - start))
stat() { grep -m 1 "^stat::$1:" "$log" | awk '{ print $2 }'; }
execs=$(stat number_of_executed_units)
rate=$(stat average_exec_per_sec)
echo "long run $target: status $status, ${execs:-?} executions in $seconds s" \
  "(libFuzzer's average ${rate:-?} exec/s), load $load_start -> $(load)," \
  "corpus $(find -L "$corpus" -type f | wc -l) inputs"
if [ "$status" -ne 0 ]; then
  grep -m 1 -A 30 -E 'panicked at|ERROR: libFuzzer|==[0-9]+== ?ERROR' "$log"
  grep -E 'Test unit written to' "$log"
  exit 1
fi
