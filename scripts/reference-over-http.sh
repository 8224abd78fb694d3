#!/usr/bin/env bash
# The main job: a conformance run of the reference over HTTP.
#
# Builds addperm, starts `addperm serve` on a free loopback port, runs every curated case file
# (tests/cases/*.jsonl) against it through the HTTP target, stops the server, and exits with the
# check's exit code (0 all passed, 1 some did not, 2 could not run).
#
# Usage: scripts/reference-over-http.sh [extra `addperm check` arguments, e.g. --compare exact]
# ADDPERM_BIN=path uses an already built binary instead of building a release one (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${ADDPERM_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/addperm
fi

url_file=$(mktemp)
"$bin" serve --listen 127.0.0.1:0 >"$url_file" &
server=$!
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$url_file"
}
trap cleanup EXIT

# `serve` prints its URL once it accepts connections.
for _ in $(seq 1 100); do
  [ -s "$url_file" ] && break
  kill -0 "$server" 2>/dev/null || { echo "addperm serve exited early" >&2; exit 2; }
  sleep 0.1
done
url=$(head -n 1 "$url_file")
[ -n "$url" ] || { echo "addperm serve did not report its URL within 10 s" >&2; exit 2; }

cases=()
for f in tests/cases/*.jsonl; do cases+=(--cases "$f"); done
status=0
"$bin" check --target "$url" "${cases[@]}" --jobs 4 "$@" || status=$?
exit "$status"
