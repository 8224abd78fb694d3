#!/usr/bin/env python3
"""Gives every entry of a committed baseline that has no `reason` one, written from what the
divergence is: the member and constraint the case tests (its tags), the reference rule behind
AWS's answer, the outcome AWS gives and the one the emulator gave, and which statement members
differ ("moto does not check StatementId's pattern: it answers 200 (AWS: 400
ValidationException)"). A reason already there, written by a person or kept by
`--write-baseline`, is never changed; `expires` is never set.

    scripts/baseline-reasons.py NAME REPORT.json

NAME is moto, localstack or ministack (conformance/baselines/NAME.json); REPORT.json the
`--report-json` of the run the baseline was recorded from (scripts/conformance-report.sh
leaves it in target/conformance/NAME.json). The reference's rules come from a run of the same
suite against `addperm check --target reference` (ADDPERM_BIN, default target/release/addperm).
"""
import json
import os
import subprocess
import sys
import tempfile

if len(sys.argv) != 3:
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    sys.exit(2)
name, report_path = sys.argv[1:3]
label = {"moto": "moto", "localstack": "LocalStack", "ministack": "MiniStack"}.get(name, name)
path = f"conformance/baselines/{name}.json"
SUITE = ["tests/cases/aws-behaviour.jsonl", "tests/cases/conformance.jsonl",
         "conformance/generated.jsonl"]

baseline = json.load(open(path))
cases = {c["id"]: c for c in json.load(open(report_path))["cases"]}
with tempfile.TemporaryDirectory() as tmp:
    reference = os.path.join(tmp, "reference.json")
    args = [os.environ.get("ADDPERM_BIN", "target/release/addperm"), "check", "--target",
            "reference", "--compare", "exact", "--report-json", reference]
    for f in SUITE:
        args += ["--cases", f]
    subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
    rules = {c["id"]: (c["actual"] or {}).get("rule") for c in json.load(open(reference))["cases"]}

MEMBERS = ["FunctionName", "StatementId", "Action", "Principal", "SourceArn", "SourceAccount",
           "EventSourceToken", "Qualifier", "RevisionId", "PrincipalOrgID",
           "FunctionUrlAuthType", "InvokedViaFunctionUrl"]
# constraint -> (what a check enforces, a request that breaks it)
CONSTRAINTS = {
    "pattern": ("{m}'s pattern", "{a_m} that breaks its pattern"),
    "length-max": ("{m}'s maximum length", "{a_m} over its maximum length"),
    "length-min": ("{m}'s minimum length", "{a_m} under its minimum length"),
    "length": ("{m}'s length limits", "{a_m} outside its length limits"),
    "enum": ("{m}'s allowed values", "{a_m} outside its allowed values"),
    "required": ("that {m} is present", "a request without {m}"),
}
THINGS = {
    "malformed-body": "a body that is not a JSON object of members",
    "wrong-json-type": "a wrong JSON type for {m}",
    "validation": "an invalid {m}",
    "qualifier-mismatch": "a qualifier in FunctionName that differs from Qualifier",
    "latest-unsupported": "a permission on $LATEST",
    "foreign-function": "a function ARN of another partition, region or account",
    "function-not-found": "a function that does not exist",
    "version-not-found": "a version that does not exist",
    "alias-not-found": "an alias that does not exist",
    "revision-mismatch": "a RevisionId that does not match the current one",
    "duplicate-statement-id": "a StatementId the policy already holds",
    "invalid-principal": "a principal that is no service, account, IAM ARN or *",
    "malformed-principal-arn": "a malformed principal ARN",
    "function-url-auth-type-action": "FunctionUrlAuthType with an action other than lambda:InvokeFunctionUrl",
    "invoked-via-function-url-action": "InvokedViaFunctionUrl with an action other than lambda:InvokeFunction",
    "policy-too-large": "a permission that takes the policy over 20,480 bytes",
}


def outcome(o):
    if not o:
        return "no answer"
    t = o.get("error_type")
    if t:
        return f"{o['status']} {t}"
    return f"{o['status']} with no error type" if o["status"] >= 400 else str(o["status"])


def clip(s, n=90):
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def member(tags):
    return next((t for t in tags if t in MEMBERS), None)


def constraint(tags):
    return next((t for t in tags if t in CONSTRAINTS), None)


def condition_pairs(cond):
    if not isinstance(cond, dict):
        return {}
    out = {}
    for op, keys in cond.items():
        if isinstance(keys, dict):
            for k, v in keys.items():
                out[f"{op} {k}"] = v
    return out


def article(word):
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def principal_difference(e, a):
    if isinstance(a, str) and isinstance(e, dict) and len(e) == 1:
        kind, value = next(iter(e.items()))
        if value == a:
            return f'its Principal is the bare string, not wrapped as {{"{kind}": …}}'
        if isinstance(value, str) and value.endswith(f"::{a}:root"):
            return f'its Principal is the bare account id, not {{"{kind}": "arn:aws:iam::<account>:root"}}'
    return f"its Principal is {clip(json.dumps(a), 60)}, not {clip(json.dumps(e), 60)}"


def statement_difference(expected, actual):
    """The statement's members that differ, said briefly."""
    if not isinstance(actual, dict):
        return "its statement is missing or not a JSON object"
    if not isinstance(expected, dict):
        return "its statement differs"
    parts, added, lacking = [], [], []
    for k in list(expected) + [k for k in actual if k not in expected]:
        if k not in actual:
            lacking.append(k)
            continue
        if k not in expected:
            added.append(f"{k} ({clip(json.dumps(actual[k]), 30)})")
            continue
        e, a = expected[k], actual[k]
        if e == a:
            continue
        if k == "Condition":
            ep, ap = condition_pairs(e), condition_pairs(a)
            missing = [p for p in ep if p not in ap]
            extra = [p for p in ap if p not in ep]
            changed = [p for p in ep if p in ap and ep[p] != ap[p]]
            bits = []
            if missing:
                bits.append("lacks " + ", ".join(missing))
            if extra:
                bits.append("adds " + ", ".join(extra))
            if changed:
                bits.append("changes " + ", ".join(changed))
            if not bits:
                bits.append("orders its operators or keys differently")
            parts.append("its Condition " + " and ".join(bits))
        elif k == "Principal":
            parts.append(principal_difference(e, a))
        elif k == "Resource" and isinstance(e, str) and isinstance(a, str) and e.startswith(a + ":"):
            parts.append(f"its Resource lacks the qualifier (:{clip(e[len(a) + 1:], 30)})")
        else:
            parts.append(f"its {k} is {clip(json.dumps(a), 60)}, not {clip(json.dumps(e), 60)}")
    if lacking:
        parts.append("its statement has no " + ", ".join(lacking))
    if added:
        parts.append("its statement adds " + ", ".join(added))
    return "; ".join(parts) or "its statement differs"


def wire(c, fields):
    """Wire-format differences of a success: status, content type, statement bytes."""
    a, bits = c["actual"], []
    if "status" in fields:
        bits.append(f"answers {a['status']}, not 201")
    if "content-type" in fields:
        bits.append(f"sends content type {a.get('content_type') or 'none'}, not application/json")
    if "statement-bytes" in fields:
        raw = a.get("statement_raw") or ""
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        how = []
        if parsed is not None:
            dump = lambda sep: json.dumps(parsed, separators=sep, ensure_ascii=False)
            if dump((", ", ": ")) == raw:
                how.append("with spaces after , and : (AWS: compact)")
            elif dump((",", ":")) != raw:
                how.append("formatted otherwise than AWS's compact JSON")
            if list(parsed) != list(c["expected"].get("statement") or parsed):
                how.append("in another key order")
        bits.append("writes the statement JSON " + (" and ".join(how) or "otherwise than AWS"))
    return bits


def grants(tags, m):
    """What a case AWS grants asks for, from its tags (`principal:service` -> service
    principal)."""
    names = {"function-name": "FunctionName", "qualifier": "qualifier", "principal": "principal"}
    kinds = []
    for t in tags:
        kind, _, value = t.partition(":")
        if kind in names and value and value != "none":
            kinds.append(f"{value} {names[kind]}")
    return f"a permission AWS grants ({', '.join(kinds)})" if kinds else "a permission AWS grants"


def reason(case_id, entry):
    c = cases[case_id]
    tags, rule = c["tags"], rules.get(case_id)
    m = member(tags)
    k = constraint(tags)
    e, a = c["expected"], c["actual"]
    fields = sorted(d["field"] for d in c["differences"])
    exp = outcome(e)
    if c["verdict"] == "setup-failure":
        text = f"{label} cannot set up the case's state: {clip(c.get('detail') or '', 110)}"
    elif c["verdict"] == "target-error":
        text = f"{label} gives no usable answer: {clip(c.get('detail') or '', 110)}"
    elif e["status"] // 100 == 2:
        if a["status"] // 100 == 2:
            bits = []
            if "statement" in fields:
                bits.append(statement_difference(e.get("statement"), a.get("statement")))
            bits += wire(c, fields)
            others = [f for f in fields if f not in ("statement", "status", "content-type", "statement-bytes")]
            if others:
                bits.append("differs in " + ", ".join(others))
            text = f"{label} grants the permission, but " + "; ".join(bits)
        else:
            text = f"{label} refuses {grants(tags, m)} with {outcome(a)}"
            if a.get("message"):
                text += f": {clip(a['message'])}"
            elif a.get("body_problem"):
                text += f" ({clip(a['body_problem'])})"
    else:
        mm = m or "a member"
        if rule == "validation" and k:
            check, subject = (x.format(m=mm, a_m=article(mm)) for x in CONSTRAINTS[k])
        else:
            check, subject = None, THINGS.get(rule, "this request").format(m=mm, a_m=article(mm))
        same = a["status"] == e["status"] and (a.get("error_type") or None) == (e.get("error_type") or None)
        if same:
            text = f"{label} answers {subject} with AWS's {exp} but another message"
            if a.get("message"):
                text += f": {clip(a['message'])}"
        elif a["status"] // 100 == 2:
            text = (f"{label} does not check {check}" if check else f"{label} accepts {subject}") + \
                f": it answers {outcome(a)} (AWS: {exp})"
        else:
            text = f"{label} answers {subject} with {outcome(a)} (AWS: {exp})"
            if a["status"] >= 500 and a.get("body_problem"):
                text += f", a body that is not JSON"
    if "inferred" in tags:
        text += "; AWS's answer here is inferred, not recorded"
    return text


filled = 0
for case_id, entry in baseline["divergences"].items():
    if entry.get("reason") or case_id not in cases:
        continue
    # `reason` first, as addperm writes it.
    new = {"reason": reason(case_id, entry)}
    new.update({k: v for k, v in entry.items() if k != "reason"})
    baseline["divergences"][case_id] = new
    filled += 1
# Reasons are a version 2 field (runner::baseline::BASELINE_VERSION).
baseline["version"] = max(baseline["version"], 2)
with open(path, "w") as f:
    f.write(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n")
print(f"{path}: {filled} reasons written, {len(baseline['divergences']) - filled} kept",
      file=sys.stderr)
