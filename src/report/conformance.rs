//! The conformance report (`CONFORMANCE.md`): per implementation, which members, outcomes and
//! known divergence categories conform to AWS, each divergence with a one-line example and the
//! case id that replays it. Built from JSON reports, so it can be regenerated from CI artefacts.

use crate::outcome::{member_of, Verdict, POLICY, POLICY_GRANT, POLICY_REVISION};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One implementation's JSON report, with the name to show for it.
pub struct EmulatorRun<'a> {
    pub name: &'a str,
    pub report: &'a Value,
}

/// The wire-format checks: a difference in one of them says nothing about what the request's
/// members did, so it is reported in its own table instead of against every member. The success
/// status counts here only as 201 versus another 2xx (a request that was refused is no wire
/// detail).
const WIRE_FIELDS: [(&str, &str); 3] = [
    ("status", "success status 201"),
    (
        "statement-bytes",
        "statement bytes (compact JSON, key order; `--compare exact`)",
    ),
    (
        "content-type",
        "content type application/json (`--compare exact`)",
    ),
];

/// Divergence categories (`divergence:<name>` tags) about the wire format, judged on the wire
/// field named here; every other category is judged on the other fields.
const WIRE_CATEGORIES: [(&str, &str); 6] = [
    ("success-status-201", "status"),
    ("statement-key-order", "statement-bytes"),
    ("statement-compact-json", "statement-bytes"),
    ("condition-key-order", "statement-bytes"),
    ("condition-operator-order", "statement-bytes"),
    ("content-type-json", "content-type"),
];

fn differing_fields(case: &Value) -> Vec<&str> {
    case["differences"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["field"].as_str())
        .collect()
}

/// Whether the status difference of `case` is only a different success code.
fn success_status_only(case: &Value) -> bool {
    let success = |v: &Value| v.as_u64().is_some_and(|s| (200..300).contains(&s));
    success(&case["expected"]["status"]) && success(&case["actual"]["status"])
}

/// The wire fields `case` differs in.
fn wire_differences(case: &Value) -> Vec<&'static str> {
    let fields = differing_fields(case);
    WIRE_FIELDS
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| fields.contains(f) && (*f != "status" || success_status_only(case)))
        .collect()
}

/// Whether `case` diverges in anything but the wire format (or gave no answer at all).
fn diverges_semantically(case: &Value) -> bool {
    if case["verdict"] == "pass" {
        return false;
    }
    let wire = wire_differences(case);
    let fields = differing_fields(case);
    fields.is_empty() || fields.iter().any(|f| !wire.contains(f))
}

#[derive(Default)]
struct Row {
    cases: usize,
    diverging: usize,
    /// Diverging cases whose expectation is marked `inferred` (not recorded AWS behaviour).
    inferred: usize,
    /// Cases where the row's check could not be made: a wire-format check on an answer that is
    /// wrong in other ways (the statement's bytes are compared only when its JSON is right).
    unjudged: usize,
    example: Option<String>,
    unjudged_example: Option<String>,
}

/// How one case stands in a row.
#[derive(Clone, Copy, PartialEq)]
enum Standing {
    Conforms,
    Diverges,
    /// The check could not be made (see [`Row::unjudged`]).
    Unjudged,
}

impl From<bool> for Standing {
    fn from(diverges: bool) -> Self {
        if diverges {
            Standing::Diverges
        } else {
            Standing::Conforms
        }
    }
}

/// How `case` stands on the wire check `field`: diverging when it differs there; not judged
/// when it did not differ there but is wrong otherwise, and the check depends on the rest
/// being right (all but the content type, which is compared whatever the answer).
fn wire_judgement(case: &Value, field: &str) -> Standing {
    if wire_differences(case).contains(&field) {
        Standing::Diverges
    } else if field != "content-type" && diverges_semantically(case) {
        Standing::Unjudged
    } else {
        Standing::Conforms
    }
}

impl Row {
    /// Counts `case` as `judged`.
    fn add(&mut self, case: &Value, judged: impl Into<Standing>) {
        self.cases += 1;
        match judged.into() {
            Standing::Conforms => {}
            Standing::Diverges => {
                self.diverging += 1;
                if tags(case).iter().any(|t| t == "inferred") {
                    self.inferred += 1;
                }
                if self.example.is_none() {
                    self.example = Some(one_line(case));
                }
            }
            Standing::Unjudged => {
                self.unjudged += 1;
                if self.unjudged_example.is_none() {
                    self.unjudged_example = Some(one_line(case));
                }
            }
        }
    }

    fn cells(&self) -> String {
        let verdict = if self.diverging == 0 && self.unjudged == self.cases {
            format!(
                "not judged: the answer is wrong otherwise ({}/{})",
                self.unjudged, self.cases
            )
        } else if self.diverging == 0 && self.unjudged > 0 {
            format!("conforms ({} not judged)", self.unjudged)
        } else if self.diverging == 0 {
            "conforms".to_string()
        } else {
            let unjudged = match self.unjudged {
                0 => String::new(),
                n => format!("; {n} not judged"),
            };
            if self.diverging == self.inferred {
                format!(
                    "diverges from inferred behaviour only ({}/{}{unjudged})",
                    self.diverging, self.cases
                )
            } else {
                format!("**diverges** ({}/{}{unjudged})", self.diverging, self.cases)
            }
        };
        format!(
            "{} | {verdict} | {}",
            self.cases,
            self.example
                .as_deref()
                .or(self.unjudged_example.as_deref())
                .unwrap_or("")
        )
    }
}

fn tags(case: &Value) -> Vec<String> {
    case["tags"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn outcome(status: &Value, error_type: &Value) -> String {
    match (status.as_u64(), error_type.as_str()) {
        (Some(s), Some(t)) => format!("{s} {t}"),
        (Some(s), None) => s.to_string(),
        (None, _) => "no answer".to_string(),
    }
}

/// `id`: expected X, got Y (fields).
fn one_line(case: &Value) -> String {
    let id = case["id"].as_str().unwrap_or("?");
    let expected = outcome(&case["expected"]["status"], &case["expected"]["error_type"]);
    let actual = match case["actual"].is_object() {
        true => outcome(&case["actual"]["status"], &case["actual"]["error_type"]),
        false => case["verdict"].as_str().unwrap_or("?").to_string(),
    };
    let fields = differing_fields(case);
    let what = if expected == actual && !fields.is_empty() {
        format!("other {}", fields.join(", "))
    } else if fields.iter().any(|f| *f != "status") {
        let others: Vec<&str> = fields.into_iter().filter(|f| *f != "status").collect();
        format!("got {}, other {}", clip(&actual), others.join(", "))
    } else {
        format!("got {}", clip(&actual))
    };
    format!("`{id}`: expected {expected}, {what}")
}

fn clip(s: &str) -> String {
    let s = s.replace('|', "\\|");
    if s.chars().count() > 60 {
        s.chars().take(59).collect::<String>() + "…"
    } else {
        s
    }
}

fn table(out: &mut String, heading: &str, first: &str, rows: &BTreeMap<String, Row>) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {heading}\n");
    let _ = writeln!(
        out,
        "| {first} | cases | verdict | example (case id to replay) |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for (k, row) in rows {
        let _ = writeln!(out, "| {k} | {} |", row.cells());
    }
}

/// What the target stored (the stored-policy check): how many cases it ran on, and how many
/// left a statement AWS would not have (access AWS refused, granted), another policy than AWS's,
/// or a RevisionId that changed when AWS's did not (or the other way round), with examples.
fn stored_table(out: &mut String, cases: &[Value]) {
    let checked = cases.iter().filter(|c| !c["stored"].is_null()).count();
    if checked == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\n### Stored policy\n\nAfter {checked} of the {} cases the policy the request addressed was read back and compared with what AWS stores.\n",
        cases.len()
    );
    let _ = writeln!(out, "| difference | cases | examples |\n|---|---:|---|");
    for (field, label) in [
        (
            POLICY_GRANT,
            "a statement AWS would not have stored (**grants access AWS refused**)",
        ),
        (
            POLICY,
            "another policy than AWS's (statements missing, changed or reordered; Version, Id)",
        ),
        (
            POLICY_REVISION,
            "the RevisionId changed when AWS's did not, or the other way round",
        ),
    ] {
        let hit: Vec<&str> = cases
            .iter()
            .filter(|c| differing_fields(c).contains(&field))
            .filter_map(|c| c["id"].as_str())
            .collect();
        let examples: Vec<String> = hit.iter().take(3).map(|id| format!("`{id}`")).collect();
        let _ = writeln!(out, "| {label} | {} | {} |", hit.len(), examples.join(", "));
    }
}

/// The markdown report for `runs`, in the order given.
pub fn conformance_markdown(runs: &[EmulatorRun<'_>]) -> String {
    let mut out = String::from("# Conformance to AWS Lambda AddPermission\n\n");
    out.push_str(
        "Generated by `addperm report --conformance` from `addperm check --report-json` runs. \
         Expectations are real AWS behaviour (recorded, or from the service model); where no \
         recording pins a detail down, the reference's choice is marked inferred, and a divergence \
         only from such expectations is shown as such. Wire-format differences (a success status \
         other than 201, the statement's bytes, the content type) have a table of their own; the \
         member, outcome and category tables judge everything else, so a member that is handled \
         right conforms there even when the answer's wire format differs. Replay a case with \
         `addperm check --target URL --cases tests/cases/<file>.jsonl --id <case-id>`.\n",
    );
    for run in runs {
        let r = run.report;
        // Cases a stopped run never sent say nothing about the emulator: left out, counted.
        let not_run = Verdict::NotRun.as_str();
        let (cases, skipped): (Vec<Value>, Vec<Value>) = r["cases"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .partition(|c| c["verdict"] != not_run);
        let pass = cases.iter().filter(|c| c["verdict"] == "pass").count();
        let _ = writeln!(
            out,
            "\n## {}\n\nTarget `{}`, strictness `{}`: **{pass} of {} cases conform**.",
            run.name,
            r["target"].as_str().unwrap_or("?"),
            r["compare"].as_str().unwrap_or("?"),
            cases.len()
        );
        let semantic = cases.iter().filter(|c| diverges_semantically(c)).count();
        let _ = writeln!(
            out,
            "Apart from the wire format (first table), {} of the {} answer as AWS does.",
            cases.len() - semantic,
            cases.len()
        );
        if !skipped.is_empty() {
            let _ = writeln!(
                out,
                "{} more cases were not run, and are left out below: {}.",
                skipped.len(),
                r["notes"][0].as_str().unwrap_or("the run stopped early")
            );
        }
        let mut members: BTreeMap<String, Row> = BTreeMap::new();
        let mut outcomes: BTreeMap<String, Row> = BTreeMap::new();
        let mut categories: BTreeMap<String, Row> = BTreeMap::new();
        let mut wire: BTreeMap<String, Row> = BTreeMap::new();
        for c in &cases {
            let t = tags(c);
            let diverges = diverges_semantically(c);
            let member = member_of(&t).unwrap_or("(whole request)").to_string();
            members.entry(member).or_default().add(c, diverges);
            let expected = outcome(&c["expected"]["status"], &c["expected"]["error_type"]);
            outcomes.entry(expected).or_default().add(c, diverges);
            for cat in t.iter().filter_map(|t| t.strip_prefix("divergence:")) {
                let by_wire = WIRE_CATEGORIES.iter().find(|(name, _)| *name == cat);
                let judged = match by_wire {
                    Some((_, field)) => wire_judgement(c, field),
                    None => diverges.into(),
                };
                categories
                    .entry(cat.to_string())
                    .or_default()
                    .add(c, judged);
            }
            // A wire check applies to the cases that expect success (the status, the statement)
            // or, for the content type, to every case.
            let success = c["expected"]["status"].as_u64() == Some(201);
            for (field, label) in WIRE_FIELDS {
                if success || field == "content-type" {
                    wire.entry(label.to_string())
                        .or_default()
                        .add(c, wire_judgement(c, field));
                }
            }
        }
        table(&mut out, "Wire format", "check", &wire);
        table(&mut out, "Members", "member", &members);
        table(
            &mut out,
            "Expected outcomes (errors)",
            "expected",
            &outcomes,
        );
        table(
            &mut out,
            "Known divergence categories",
            "category",
            &categories,
        );
        stored_table(&mut out, &cases);
        let buckets = r["buckets"].as_array().cloned().unwrap_or_default();
        if !buckets.is_empty() {
            let _ = writeln!(out, "\n### Findings\n");
            let _ = writeln!(
                out,
                "| cases | member | constraint | expected -> actual | example |"
            );
            let _ = writeln!(out, "|---|---|---|---|---|");
            for b in buckets {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} -> {} | `{}` |",
                    b["count"],
                    b["member"].as_str().unwrap_or("-"),
                    b["constraint"].as_str().unwrap_or("-"),
                    clip(b["expected"].as_str().unwrap_or("")),
                    clip(b["actual"].as_str().unwrap_or("")),
                    b["example"].as_str().unwrap_or("")
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_name_divergences_with_examples() {
        let report = json!({
            "target": "http://127.0.0.1:5055", "compare": "message",
            "buckets": [{"count": 1, "member": "StatementId", "constraint": "length-max",
                          "expected": "400 ValidationException", "actual": "201", "example": "b"}],
            "cases": [
                {"id": "a", "tags": ["valid", "Principal", "divergence:principal-account"], "verdict": "pass",
                 "expected": {"status": 201, "error_type": null}, "actual": {"status": 201}, "differences": []},
                {"id": "b", "tags": ["invalid", "StatementId", "length-max"], "verdict": "mismatch",
                 "expected": {"status": 400, "error_type": "ValidationException"},
                 "actual": {"status": 201, "error_type": null}, "differences": [{"field": "status"}]},
                {"id": "c", "tags": ["Principal", "inferred", "divergence:principal-account"], "verdict": "mismatch",
                 "expected": {"status": 201, "error_type": null},
                 "actual": {"status": 201, "error_type": null}, "differences": [{"field": "statement"}]},
            ]
        });
        let md = conformance_markdown(&[EmulatorRun {
            name: "moto",
            report: &report,
        }]);
        assert!(md.contains("**1 of 3 cases conform**"), "{md}");
        assert!(
            md.contains("Apart from the wire format (first table), 1 of the 3 answer as AWS does."),
            "{md}"
        );
        assert!(md.contains("| StatementId | 1 | **diverges** (1/1) | `b`: expected 400 ValidationException, got 201 |"), "{md}");
        assert!(md.contains("| Principal | 2 | diverges from inferred behaviour only (1/2) | `c`: expected 201, other statement |"), "{md}");
        assert!(md.contains("| principal-account | 2 |"), "{md}");
        assert!(
            md.contains("| 1 | StatementId | length-max | 400 ValidationException -> 201 | `b` |"),
            "{md}"
        );
    }

    #[test]
    fn wire_format_differences_are_reported_apart_from_members() {
        let report = json!({
            "target": "moto", "compare": "exact", "buckets": [],
            "cases": [
                // Right statement, wrong success status and bytes: the member conforms.
                {"id": "a", "tags": ["Principal", "divergence:principal-account-expansion",
                                     "divergence:statement-key-order"], "verdict": "mismatch",
                 "expected": {"status": 201, "error_type": null}, "actual": {"status": 200},
                 "differences": [{"field": "status"}, {"field": "statement-bytes"}]},
                // Wrong statement as well: the member diverges.
                {"id": "b", "tags": ["SourceAccount", "divergence:success-status-201"], "verdict": "mismatch",
                 "expected": {"status": 201, "error_type": null}, "actual": {"status": 200},
                 "differences": [{"field": "status"}, {"field": "statement"}]},
                // A refused valid request is no wire detail; its bytes cannot be judged.
                {"id": "c", "tags": ["Action", "divergence:condition-key-order"], "verdict": "mismatch",
                 "expected": {"status": 201, "error_type": null},
                 "actual": {"status": 400, "error_type": "ValidationException"},
                 "differences": [{"field": "status"}, {"field": "error_type"}]},
            ]
        });
        let md = conformance_markdown(&[EmulatorRun {
            name: "moto",
            report: &report,
        }]);
        assert!(
            md.contains("Apart from the wire format (first table), 1 of the 3 answer as AWS does."),
            "{md}"
        );
        assert!(md.contains("| Principal | 1 | conforms |  |"), "{md}");
        assert!(md.contains("| SourceAccount | 1 | **diverges** (1/1) | `b`: expected 201, got 200, other statement |"), "{md}");
        assert!(md.contains("| Action | 1 | **diverges** (1/1) | `c`: expected 201, got 400 ValidationException, other error_type |"), "{md}");
        assert!(md.contains("| success status 201 | 3 | **diverges** (2/3; 1 not judged) | `a`: expected 201, got 200, other statement-bytes |"), "{md}");
        assert!(
            md.contains("| principal-account-expansion | 1 | conforms |"),
            "{md}"
        );
        assert!(
            md.contains("| statement-key-order | 1 | **diverges** (1/1) |"),
            "{md}"
        );
        assert!(
            md.contains("| success-status-201 | 1 | **diverges** (1/1) |"),
            "{md}"
        );
        assert!(
            md.contains("| condition-key-order | 1 | not judged: the answer is wrong otherwise (1/1) | `c`:"),
            "{md}"
        );
        assert!(
            md.contains("| statement bytes (compact JSON, key order; `--compare exact`) | 3 | **diverges** (1/3; 2 not judged) |"),
            "{md}"
        );
    }
}
