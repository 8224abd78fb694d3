#!/usr/bin/env bash
# The race modes' detection rate: for each concurrency fault of the catalogue (and the real
# reference, which must never be flagged), start `addperm serve --fault NAME` and run, RUNS times
# each, `addperm races` (--clients 64 --rounds 1), `check --concurrency-check 8` and
# `check --repeat 3 --jobs 8` on the curated cases, then a plain sequential `check` once. Prints
# one line per fault and mode: how many runs flagged it (exit 1) out of RUNS.
#
# Usage: scripts/measure/races.sh [RUNS=10]
# Environment: ADDPERM_BIN (default target/release/addperm)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
bin=${ADDPERM_BIN:-target/release/addperm}
cases=tests/cases/aws-behaviour.jsonl
flagged() { # command...: 1 when the command exits 1 (a finding), 0 when it exits 0; else fails
  local rc=0
  "$@" >/dev/null 2>&1 || rc=$?
  case $rc in 0) echo 0 ;; 1) echo 1 ;; *) echo "exit $rc from: $*" >&2; exit 1 ;; esac
}
for fault in none lost-update shared-response-buffer; do
  args=(--listen 127.0.0.1:0)
  [ "$fault" = none ] || args+=(--fault "$fault")
  "$bin" serve "${args[@]}" >"${TMPDIR:-/tmp}/races-url.$$" 2>/dev/null &
  pid=$!
  trap 'kill $pid 2>/dev/null' EXIT
  for _ in $(seq 50); do url=$(head -1 "${TMPDIR:-/tmp}/races-url.$$" 2>/dev/null || true); [ -n "$url" ] && break; sleep 0.1; done
  declare -A hits=([races]=0 [concurrency-check]=0 [repeat]=0)
  for _ in $(seq "$runs"); do
    hits[races]=$((hits[races] + $(flagged "$bin" races --target "$url" --clients 64 --rounds 1)))
    hits[concurrency-check]=$((hits[concurrency-check] + $(flagged "$bin" check --cases "$cases" --target "$url" --concurrency-check 8)))
    hits[repeat]=$((hits[repeat] + $(flagged "$bin" check --cases "$cases" --target "$url" --repeat 3 --jobs 8)))
  done
  plain=$(flagged "$bin" check --cases "$cases" --target "$url")
  for mode in races concurrency-check repeat; do
    printf '%-24s %-18s flagged in %2d of %d runs\n' "$fault" "$mode" "${hits[$mode]}" "$runs"
  done
  printf '%-24s %-18s flagged in %2d of 1 run\n' "$fault" "plain sequential" "$plain"
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
done
rm -f "${TMPDIR:-/tmp}/races-url.$$"
