#!/usr/bin/env bash
# The README's figures for the HTML report: the page of a 2,000-case generated run against
# `addperm serve --fault FAULT`, its size, and how long headless Chromium takes to open it
# (`--dump-dom`, which returns once the page has loaded and its script has run), next to the
# same browser opening an empty page (the browser's own start-up).
#
#   scripts/measure/html-page.sh            # FAULT=status-200 CASES=2000 SEED=1 RUNS=5
#
# ADDPERM=path uses a built binary (default: cargo build --release). Needs chromium
# (scripts/html-check.sh installs it). Listens on 127.0.0.1 only; stops the server on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

FAULT=${FAULT:-status-200}
CASES=${CASES:-2000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
bin=${ADDPERM:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/addperm
fi

dir=$(mktemp -d)
url_file="$dir/url"
"$bin" serve --listen 127.0.0.1:0 --fault "$FAULT" >"$url_file" 2>/dev/null &
server=$!
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  [ -s "$url_file" ] && break
  sleep 0.1
done
url=$(head -n 1 "$url_file")

"$bin" check --target "$url" --generate "$CASES" --seed "$SEED" --report-html "$dir/page.html" \
  >"$dir/check.txt" || true
echo "addperm check --target $url --generate $CASES --seed $SEED --report-html page.html (serve --fault $FAULT)"
echo "  $(tail -n 1 "$dir/check.txt") ($(grep -o '^[0-9]* findings\{0,1\} from [0-9]* cases' "$dir/check.txt")); page: $(wc -c <"$dir/page.html") bytes"
printf '<!DOCTYPE html><title>empty</title>\n' >"$dir/empty.html"
# The page inside a frame of a page that notes when the frame's load event came (the page
# parsed, laid out and its script run), since the frame's navigation started.
cat >"$dir/timed.html" <<'HTML'
<!DOCTYPE html><title>-</title><iframe src="page.html" width="1280" height="900"></iframe>
<script>
var start = performance.now();
document.querySelector("iframe").onload = function () {
  document.title = "loaded in " + Math.round(performance.now() - start) + " ms";
};
</script>
HTML

# Seconds to open FILE: a fresh profile each time, so no run is warmed by another. The dumped
# DOM goes to $dir/dom.html.
open_time() {
  local profile start end
  profile=$(mktemp -d)
  start=$(date +%s%N)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --dump-dom "file://$1" >"$dir/dom.html" 2>/dev/null
  end=$(date +%s%N)
  rm -rf "$profile"
  local ms=$(((end - start) / 1000000))
  printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
for _ in $(seq 1 "$RUNS"); do
  page=$(open_time "$dir/page.html")
  empty=$(open_time "$dir/empty.html")
  open_time "$dir/timed.html" >/dev/null
  loaded=$(grep -o 'loaded in [0-9]* ms' "$dir/dom.html" || echo "no load time")
  echo "  chromium --headless --dump-dom: page $page s, empty page $empty s; in a frame: $loaded"
done
