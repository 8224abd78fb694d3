#!/usr/bin/env bash
# The HTML report in a real browser.
#
# Starts `addperm serve --fault FAULT` on a free loopback port, runs `addperm check` against it
# (the recorded-AWS cases plus scripts/html-check/hostile.jsonl, a case whose id and whose
# answer hold markup) with --report-html and --report-json, opens the page in headless
# Chromium, and checks the DOM it renders (scripts/html-check/check_dom.py): every failing case
# present, the filters narrow them (opened as #verdict=..., #bucket=..., #q=..., which the
# page's script reads on load), the hostile text shown as text and not run, nothing fetched.
# Then it takes a screenshot for a person to look at. Installs Debian's chromium if missing.
#
# Usage: scripts/html-check.sh [OUT_DIR]   (default: a temporary directory, kept and printed)
# ADDPERM_BIN=path uses an already built binary (CI); FAULT=name picks the served fault
# (default status-200: about half the cases fail, in over a dozen findings).
set -euo pipefail
cd "$(dirname "$0")/.."

fault=${FAULT:-status-200}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

bin=${ADDPERM_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/addperm
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "html-check: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null

profile=$(mktemp -d)
url_file=$(mktemp)
"$bin" serve --listen 127.0.0.1:0 --fault "$fault" >"$url_file" 2>/dev/null &
server=$!
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$profile" "$url_file"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$url_file" ] && break
  kill -0 "$server" 2>/dev/null || { echo "html-check: addperm serve exited early" >&2; exit 2; }
  sleep 0.1
done
url=$(head -n 1 "$url_file")
[ -n "$url" ] || { echo "html-check: addperm serve did not report its URL within 10 s" >&2; exit 2; }

status=0
"$bin" check --target "$url" --cases tests/cases/aws-behaviour.jsonl \
  --cases scripts/html-check/hostile.jsonl --jobs 2 \
  --report-html "$out/page.html" --report-json "$out/page.json" >"$out/check.txt" || status=$?
[ "$status" -eq 1 ] || { echo "html-check: check against --fault $fault exited $status, not 1" >&2; exit 1; }

# Headless, offline, no first-run work, a fresh profile; no network for the page anyway (its
# Content-Security-Policy allows none).
browser() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@" 2>/dev/null
}

page="file://$out/page.html"
bucket=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["buckets"]; print(1 if len(b) > 1 else 0)' "$out/page.json")
n=0
for fragment in "" "verdict=mismatch" "bucket=$bucket" "q=hostile-" "verdict=pass"; do
  n=$((n + 1))
  browser --dump-dom "$page${fragment:+#$fragment}" >"$out/dom-$n.html"
  python3 scripts/html-check/check_dom.py "$out/page.json" "$out/dom-$n.html" "$fragment"
done

browser --window-size=1100,1500 --hide-scrollbars --screenshot="$out/page.png" "$page#verdict=mismatch&q=hostile-" >/dev/null
[ -s "$out/page.png" ] || { echo "html-check: no screenshot" >&2; exit 1; }
echo "html-check: passed; page $out/page.html ($(wc -c <"$out/page.html") bytes), screenshot $out/page.png"
