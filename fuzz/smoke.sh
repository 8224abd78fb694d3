#!/usr/bin/env bash
# Fuzz smoke test for CI: builds the cargo-fuzz targets once, then runs each for a bounded time
# (default 20 s) from its committed seeds (fuzz/seeds/<target>/) with fuzz/addperm.dict.
#
#   fuzz/smoke.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="aws_regex case_file" fuzz/smoke.sh 60     # a subset
#   FUZZ_BUILD_ONLY=1 fuzz/smoke.sh                          # install cargo-fuzz if needed and build
#
# Exit status: 0 when every target ran without a finding, or when the fuzz part is skipped
# because nightly Rust is not installed (said clearly; nothing else is skipped: the rest of CI
# does not depend on this script). 1 when a target crashed, timed out or ran out of memory: the
# artifact's path is printed together with its base64, so the CI log alone reproduces it
# (`base64 -d > crash && cargo +nightly fuzz run -s none TARGET crash`).
#
# Targets run without a sanitizer (`-s none`): they are safe Rust, where AddressSanitizer finds
# nothing a panic would not, at half the speed. Build time on the 2-core machine: about 2.5 min
# warm, 5 min cold (set CARGO_TARGET_DIR to share a build directory).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

SECONDS_PER_TARGET="${1:-20}"
# shellcheck source=fuzz/lib.sh
. fuzz/lib.sh
read -r -a TARGETS <<<"${FUZZ_TARGETS:-$FUZZ_ALL_TARGETS}"

skip() {
  echo "fuzz smoke: SKIPPED (only the fuzz smoke test; nothing else): $*"
  exit 0
}

if ! cargo +nightly --version >/dev/null 2>&1; then
  skip "the nightly toolchain is not installed (cargo-fuzz needs it; 'rustup toolchain install nightly' to enable)"
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: cargo-fuzz is missing; installing it (cargo install cargo-fuzz --locked)"
  if ! cargo install cargo-fuzz --locked; then
    skip "cargo-fuzz is missing and 'cargo install cargo-fuzz --locked' failed"
  fi
fi
echo "fuzz smoke: $(cargo +nightly --version), $(cargo +nightly fuzz --version)"

start=$(date +%s)
if ! cargo +nightly fuzz build -s none; then
  echo "fuzz smoke: FAILED: the fuzz targets do not build"
  exit 1
fi
echo "fuzz smoke: build took $(($(date +%s) - start)) s"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

failed=()
logdir=$(mktemp -d)
for target in "${TARGETS[@]}"; do
  # A fresh corpus each time, as in CI: the run starts from the seeds alone and stays bounded.
  corpus="$logdir/corpus-$target"
  mkdir -p "$corpus"
  mapfile -t seeds < <(fuzz_seeds "$target")
  mapfile -t args < <(fuzz_args "$target")
  log="$logdir/$target.log"
  echo "== fuzz $target (${SECONDS_PER_TARGET} s)"
  cargo +nightly fuzz run -s none "$target" "$corpus" "${seeds[@]}" -- \
    "${args[@]}" -max_total_time="$SECONDS_PER_TARGET" >"$log" 2>&1
  status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::average_exec_per_sec' "$log" || true
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz $target: FAILED (exit $status); its log from the first sign of failure:"
    first=$(grep -n -m 1 -E 'panicked at|ERROR: libFuzzer|==[0-9]+== ?ERROR|^error' "$log" | cut -d: -f1)
    if [ -n "$first" ]; then
      sed -n "${first},$((first + 40))p" "$log"
    else
      grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|RELOAD|pulse)' "$log" | tail -n 60
    fi
    artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/^Test unit written to //')
    if [ -n "$artifact" ] && [ -f "$artifact" ]; then
      echo "fuzz $target: artifact kept at $artifact; its base64:"
      base64 -w 76 "$artifact"
      echo "fuzz $target: reproduce: cargo +nightly fuzz run -s none $target $artifact"
    fi
  fi
done
rm -rf "$logdir"

total=$(($(date +%s) - start))
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz smoke: FAILED targets: ${failed[*]} (${total} s in all)"
  exit 1
fi
echo "fuzz smoke: ${#TARGETS[@]} targets ran without a finding (${total} s in all)"
