#!/usr/bin/env bash
# Fixtures that last, measured on a running target: the curated suites (tests/cases/*.jsonl and
# conformance/generated.jsonl) with --fixtures reuse and with --fixtures fresh, one after the
# other in the same session, stored-policy check on. Prints, for each mode, the wall time, the
# requests addperm sent (by operation) and the verdict counts; then compares the two runs case by
# case: the verdict, the differing fields and their texts; exits 1 when any differs.
#
# Usage: scripts/measure/fixtures.sh URL [JOBS=4] [extra check options...]
#   e.g. scripts/measure/fixtures.sh "$(scripts/moto.sh start)" 4 --create-role
# Environment: ADDPERM_BIN (default target/release/addperm), OUT (keep the JSON reports there)
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1:?usage: fixtures.sh URL [JOBS] [options...]}
jobs=${2:-4}
shift $(($# >= 2 ? 2 : 1))
bin=${ADDPERM_BIN:-target/release/addperm}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
for mode in reuse fresh; do
  start=$(date +%s.%N)
  "$bin" replay tests/cases/*.jsonl conformance/generated.jsonl --target "$url" --jobs "$jobs" \
    --fixtures "$mode" --keep-going --report-json "$out/$mode.json" "$@" >"$out/$mode.txt" || true
  end=$(date +%s.%N)
  printf '%s: %.1f s; %s; %s\n' "$mode" "$(awk "BEGIN { print $end - $start }")" \
    "$(grep '^requests:' "$out/$mode.txt" || echo 'requests: not counted')" "$(tail -1 "$out/$mode.txt")"
done
echo "reports in $out"
python3 - "$out/reuse.json" "$out/fresh.json" <<'PY'
import json, re, sys
def load(path):
    return {c["id"]: c for c in json.load(open(path))["cases"]}
# A UUID the target makes up per request (moto's Sid for a request without one) differs between
# any two runs; a difference only in those is counted apart.
uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
def texts(c):
    return uuid.sub("UUID", json.dumps(c["differences"]))
reuse, fresh = load(sys.argv[1]), load(sys.argv[2])
fields = lambda c: [d["field"] for d in c["differences"]]
verdict = [i for i in fresh if reuse[i]["verdict"] != fresh[i]["verdict"]]
field = [i for i in fresh if i not in verdict and fields(reuse[i]) != fields(fresh[i])]
text = [i for i in fresh if i not in verdict + field and texts(reuse[i]) != texts(fresh[i])]
made_up = [i for i in fresh if reuse[i]["differences"] != fresh[i]["differences"]
           and texts(reuse[i]) == texts(fresh[i])]
print(f"{len(fresh)} cases: {len(verdict)} verdicts differ, {len(field)} differing-field lists "
      f"differ, {len(text)} difference texts differ ({len(made_up)} more only in UUIDs the "
      "target made up)")
for i in verdict + field + text:
    print(f"  {i}: reuse {reuse[i]['verdict']} {fields(reuse[i])} / fresh {fresh[i]['verdict']}"
          f" {fields(fresh[i])}")
sys.exit(1 if verdict + field + text else 0)
PY
