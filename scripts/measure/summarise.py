#!/usr/bin/env python3
"""Summarise scripts/measure/schemathesis.sh runs as a markdown table.

Reads runs.tsv (one line per run: name, tool, exit code, requests the server answered, seconds,
then addperm's closing line or Schemathesis's NDJSON report path) and prints, per fault, whether
each tool found it, the requests sent, and cases per second.

A Schemathesis failure's signature is (check, failure code, response status, x-amzn-ErrorType):
a fault counts as found when its run has a signature the fault-free run (`none`) does not.
"""

import argparse
import json
import re
import sys
from collections import defaultdict


def signatures(ndjson_path):
    """The failure signatures of one Schemathesis run, and the number of test cases it ran."""
    sigs = defaultdict(int)
    cases = set()
    with open(ndjson_path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder") or {}
            interactions = recorder.get("interactions") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                cases.add(case_id)
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failure = ((check.get("failure_info") or {}).get("failure")) or {}
                    response = (interactions.get(case_id) or {}).get("response") or {}
                    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
                    error_type = (headers.get("x-amzn-errortype") or ["-"])[0].split(":")[0]
                    sig = (
                        check.get("name", "?"),
                        failure.get("code", "?"),
                        str(response.get("status_code", "-")),
                        error_type,
                    )
                    sigs[sig] += 1
    return sigs, len(cases)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("runs")
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--examples", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--schemathesis", default="?")
    args = p.parse_args()

    runs = defaultdict(dict)
    order = []
    with open(args.runs, encoding="utf-8") as f:
        for line in f:
            name, tool, code, requests, seconds, rest = line.rstrip("\n").split("\t", 5)
            if name == "calibrate":
                continue
            if name not in order:
                order.append(name)
            run = {"code": int(code), "requests": int(requests or 0), "seconds": float(seconds)}
            if tool == "addperm":
                m = re.search(r"(\d+) passed, (\d+) failed", rest)
                passed, failed = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
                run.update(cases=passed + failed, failed=failed, found=run["code"] == 1 and failed > 0)
            else:
                sigs, cases = signatures(rest)
                run.update(cases=cases, sigs=sigs)
            runs[name][tool] = run

    # A fault whose runs are not both there yet (an interrupted or running measurement).
    order = [n for n in order if {"addperm", "schemathesis"} <= runs[n].keys()]
    base = runs["none"]["schemathesis"]["sigs"]
    if runs["none"]["addperm"]["failed"]:
        print("warning: the fault-free reference failed addperm cases", file=sys.stderr)

    def rate(r):
        return r["cases"] / r["seconds"] if r["seconds"] > 0 else 0.0

    print(
        f"Side by side against `addperm serve --fault NAME`: addperm runs the first {args.cases} "
        f"cases of the generated suite (seed {args.seed}, `--compare exact`); Schemathesis "
        f"{args.schemathesis} runs `addperm openapi` with `--max-examples {args.examples}` "
        f"(seed {args.seed}). Requests as counted by the server.\n"
    )
    print(
        "| fault | addperm found | failing cases | requests | cases/s "
        "| Schemathesis found | new failure signatures | requests | cases/s |"
    )
    print("|---|---|---:|---:|---:|---|---|---:|---:|")
    found = {"addperm": 0, "schemathesis": 0}
    totals = defaultdict(float)
    faults = [n for n in order if n != "none"]
    for name in order:
        a, s = runs[name]["addperm"], runs[name]["schemathesis"]
        new = {k: v for k, v in s["sigs"].items() if k not in base}
        s_found = bool(new)
        if name != "none":
            found["addperm"] += a["found"]
            found["schemathesis"] += s_found
        for tool, r in (("addperm", a), ("schemathesis", s)):
            totals[tool + "-cases"] += r["cases"]
            totals[tool + "-seconds"] += r["seconds"]
            totals[tool + "-requests"] += r["requests"]
        shown = "; ".join(f"{c} {code} {status} {et}" for (c, code, status, et) in sorted(new)[:3])
        if len(new) > 3:
            shown += f"; +{len(new) - 3}"
        label = "(none)" if name == "none" else f"`{name}`"
        print(
            f"| {label} | {'yes' if a['found'] else 'no'} | {a['failed']} | {a['requests']} "
            f"| {rate(a):.0f} | {'yes' if s_found else 'no'} | {shown or '-'} | {s['requests']} "
            f"| {rate(s):.1f} |"
        )
    n = len(faults)
    print()
    print(
        f"found: addperm {found['addperm']}/{n}, Schemathesis {found['schemathesis']}/{n}; "
        f"requests per run: addperm {totals['addperm-requests'] / len(order):.0f}, "
        f"Schemathesis {totals['schemathesis-requests'] / len(order):.0f}; "
        f"cases/s over all runs: addperm "
        f"{totals['addperm-cases'] / max(totals['addperm-seconds'], 1e-9):.0f}, Schemathesis "
        f"{totals['schemathesis-cases'] / max(totals['schemathesis-seconds'], 1e-9):.1f}"
    )
    print()
    print("Fault-free Schemathesis failure signatures (check, code, status, error type): " + "; ".join(
        f"{c} {code} {status} {et} ({k})" for (c, code, status, et), k in sorted(base.items())
    ))


if __name__ == "__main__":
    main()
