#!/usr/bin/env bash
# addperm and Schemathesis side by side against `addperm serve --fault NAME`, for every fault of
# the catalogue, at the same HTTP request budget. Prints a markdown table (docs/measure.md).
#
#   scripts/measure/schemathesis.sh            # every fault, 200 addperm cases
#   CASES=500 FAULTS="status-200 no-validation" scripts/measure/schemathesis.sh
#
# For each fault (and once without one):
#   addperm      `addperm check --compare exact --isolation none` of the first CASES cases of
#                `addperm gen --kind all --count CASES --seed SEED --interleave` (the detection
#                benchmark's suite), against `serve --fault NAME`. Found = a case did not pass.
#   Schemathesis `schemathesis run` of `addperm openapi`, against `serve --fault NAME
#                --seed-function measure-fn` (a function with version 1 and alias `live`), the
#                path's FunctionName and the Qualifier drawn half the time from that function's
#                names, and Principal and Action half the time from valid ones (Schemathesis
#                dictionaries); `--max-examples` chosen so that the fault-free
#                run sends as many requests as addperm's fault-free run. Found = the run reports
#                a failure whose signature (check, code, status, x-amzn-ErrorType) the fault-free
#                run does not report.
# Requests are counted by the server (`serve` prints them when it stops), for both tools.
#
# Environment: CASES (200), SEED (1), FAULTS (all), ST_EXAMPLES (calibrated), OUT (directory for
# reports, default $CARGO_TARGET_DIR or target, + /measure/schemathesis), ADDPERM (the binary;
# default: cargo build --release), ST_VENV (the Schemathesis virtualenv, created if missing).
# Everything listens on 127.0.0.1 only; every server started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

CASES=${CASES:-200}
SEED=${SEED:-1}
ST_VERSION=4.32.5
TARGET_DIR=${CARGO_TARGET_DIR:-target}
OUT=${OUT:-$TARGET_DIR/measure/schemathesis}
ST_VENV=${ST_VENV:-$TARGET_DIR/measure/schemathesis-venv}
FUNCTION=measure-fn

log() { printf 'schemathesis.sh: %s\n' "$*" >&2; }

if [ -z "${ADDPERM:-}" ]; then
  log "building addperm (release)"
  cargo build --release --locked --bin addperm >&2
  ADDPERM=$TARGET_DIR/release/addperm
fi
if [ ! -x "$ST_VENV/bin/schemathesis" ]; then
  log "installing schemathesis $ST_VERSION in $ST_VENV"
  python3 -m venv "$ST_VENV"
  "$ST_VENV/bin/pip" install -q "schemathesis==$ST_VERSION" >&2
fi
ST=$(cd "$ST_VENV" && pwd -P)/bin/schemathesis

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)
"$ADDPERM" openapi >"$OUT/openapi.json"
"$ADDPERM" gen --kind all --count "$CASES" --seed "$SEED" --interleave >"$OUT/interleaved.jsonl"
head -n "$CASES" "$OUT/interleaved.jsonl" >"$OUT/suite.jsonl"
cat >"$OUT/schemathesis.toml" <<EOF
# What a user who knows the API would tell Schemathesis: the seeded function's names, and
# principals and actions AWS accepts (the schema cannot say which principals are valid). Each
# is drawn from its dictionary half the time and generated from the schema otherwise.
[dictionaries.functions]
values = ["$FUNCTION", "$FUNCTION:1", "$FUNCTION:live", "arn:aws:lambda:us-east-1:123456789012:function:$FUNCTION", "123456789012:function:$FUNCTION:live"]

[dictionaries.qualifiers]
values = ["1", "live"]

[dictionaries.principals]
values = ["s3.amazonaws.com", "sns.amazonaws.com", "123456789012", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/example", "*"]

[dictionaries.actions]
values = ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:GetFunction", "lambda:*"]

# No probe cache: every run starts from nothing (runs happen in their own directories anyway).
[cache]
enabled = false

[parameters]
"path.FunctionName" = { dictionary = "functions", probability = 0.5 }
"query.Qualifier" = { dictionary = "qualifiers", probability = 0.5 }
"body.Principal" = { dictionary = "principals", probability = 0.5 }
"body.Action" = { dictionary = "actions", probability = 0.5 }
EOF
if [ -z "${FAULTS:-}" ] || [ "$FAULTS" = all ]; then
  FAULTS=$("$ADDPERM" faults | awk '{print $1}' | tr '\n' ' ')
fi

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

# start_server LOG ARGS...: starts `addperm serve` on a free port; sets URL and SERVER_PID.
start_server() {
  local log=$1
  shift
  : >"$log.url"
  "$ADDPERM" serve --listen 127.0.0.1:0 "$@" >"$log.url" 2>"$log" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    [ -s "$log.url" ] && break
    sleep 0.05
  done
  URL=$(head -n 1 "$log.url")
  [ -n "$URL" ] || { log "serve did not start: $(cat "$log")"; exit 2; }
}

# requests LOG: the request count `serve` printed when it stopped.
requests() { sed -n 's/.*stopped after \([0-9]*\) requests.*/\1/p' "$1"; }

now() { date +%s.%N; }

# run_addperm NAME FAULT-ARGS...: one addperm run; appends a line to runs.tsv.
run_addperm() {
  local name=$1
  shift
  local dir=$OUT/$name
  mkdir -p "$dir"
  start_server "$dir/addperm-serve.log" "$@"
  local t0 t1 code=0
  t0=$(now)
  "$ADDPERM" check --target "$URL" --cases "$OUT/suite.jsonl" --compare exact --isolation none \
    >"$dir/addperm.txt" 2>"$dir/addperm.err" || code=$?
  t1=$(now)
  stop_server
  local last
  last=$(tail -n 1 "$dir/addperm.txt")
  printf '%s\taddperm\t%s\t%s\t%s\t%s\n' "$name" "$code" "$(requests "$dir/addperm-serve.log")" \
    "$(awk "BEGIN { print $t1 - $t0 }")" "$last" >>"$OUT/runs.tsv"
}

# run_schemathesis NAME EXAMPLES FAULT-ARGS...: one Schemathesis run; appends to runs.tsv.
run_schemathesis() {
  local name=$1 examples=$2
  shift 2
  local dir=$OUT/$name
  mkdir -p "$dir"
  rm -rf "$dir/st-report"
  start_server "$dir/st-serve.log" --seed-function "$FUNCTION" "$@"
  local t0 t1 code=0
  t0=$(now)
  # In the run's own directory: Schemathesis writes crash files under ./.schemathesis.
  (cd "$dir" && "$ST" --config-file "$OUT/schemathesis.toml" run "$OUT/openapi.json" --url "$URL" \
    --max-examples "$examples" --seed "$SEED" --continue-on-failure \
    --generation-database none --workers 1 --no-color \
    --report ndjson --report-dir "$dir/st-report") >"$dir/schemathesis.txt" 2>&1 || code=$?
  t1=$(now)
  stop_server
  printf '%s\tschemathesis\t%s\t%s\t%s\t%s\n' "$name" "$code" "$(requests "$dir/st-serve.log")" \
    "$(awk "BEGIN { print $t1 - $t0 }")" "$(ls "$dir"/st-report/*.ndjson)" >>"$OUT/runs.tsv"
}

: >"$OUT/runs.tsv"
log "fault-free runs (calibration); $CASES addperm cases, seed $SEED"
run_addperm none
BUDGET=$(awk -F'\t' '$1 == "none" && $2 == "addperm" {print $4}' "$OUT/runs.tsv")
EXAMPLES=${ST_EXAMPLES:-}
if [ -z "$EXAMPLES" ]; then
  # Schemathesis sends a coverage phase and extra checks' requests besides --max-examples:
  # one probe run measures that overhead.
  run_schemathesis calibrate "$BUDGET"
  SENT=$(awk -F'\t' '$1 == "calibrate" {print $4}' "$OUT/runs.tsv")
  EXAMPLES=$((BUDGET - (SENT - BUDGET)))
  [ "$EXAMPLES" -ge 1 ] || EXAMPLES=1
  log "addperm sent $BUDGET requests; Schemathesis -n $BUDGET sent $SENT: using -n $EXAMPLES"
fi
run_schemathesis none "$EXAMPLES"
for fault in $FAULTS; do
  log "fault $fault"
  run_addperm "$fault" --fault "$fault"
  run_schemathesis "$fault" "$EXAMPLES" --fault "$fault"
done
python3 scripts/measure/summarise.py "$OUT/runs.tsv" --cases "$CASES" --examples "$EXAMPLES" --seed "$SEED" --schemathesis "$ST_VERSION" |
  tee "$OUT/table.md"
