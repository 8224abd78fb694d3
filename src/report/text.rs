//! The plain-text report: one block per case that did not pass, with the four fields a case
//! judges (status, error type, message, statement) side by side, the differing ones marked, and
//! a `curl` command that sends the request again.

use super::buckets::{buckets, buckets_block, pair_buckets};
use super::curl::curl_command;
use super::diagnosis::{diagnosis, Diagnosis};
use super::RunInfo;
use crate::outcome::{
    provisioning_notes, stop_diagnosis, CaseResult, Difference, PairResult, PairVerdict, Summary,
    POLICY_GRANT,
};
use crate::runner::{day_text, Divergence, Judgement};
use crate::target::{Endpoint, Requests};
use serde_json::Value;
use std::fmt::Write;

const WIDTH: usize = 44;
const FIELD: usize = 14;

/// `s` cut to `n` characters, marked with `…` when cut.
pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// One line of a side-by-side table.
struct Row {
    field: String,
    left: String,
    right: String,
    differs: bool,
}

fn table(out: &mut String, labels: (&str, &str), rows: &[Row]) {
    let (left, right) = labels;
    // Wider for a longer field name (`policy-revision`), so the marks stay in one column.
    let field = rows
        .iter()
        .map(|r| r.field.chars().count() + 1)
        .fold(FIELD, usize::max);
    let _ = writeln!(out, "  {:<field$}    {:<WIDTH$}  {right}", "", left);
    for r in rows {
        let mark = if r.differs { "!=" } else { "  " };
        let _ = writeln!(
            out,
            "  {:<field$}{mark}  {:<WIDTH$}  {}",
            r.field,
            clip(&r.left, WIDTH),
            clip(&r.right, 200)
        );
    }
}

/// The four judged fields of `expected` vs `actual`, then any other field that differs
/// (statement bytes, content type), then the statement's differing top-level keys.
fn case_rows(r: &CaseResult) -> Vec<Row> {
    let Some(a) = &r.actual else {
        return Vec::new();
    };
    let differs = |field: &str| r.differences.iter().any(|d| d.field == field);
    let unchecked = || "(not checked)".to_string();
    let e = &r.expected;
    let expected_statement = e.statement.as_ref().filter(|s| !s.is_null());
    let mut rows = vec![
        Row {
            field: "status".into(),
            left: e.status.to_string(),
            right: a.status.to_string(),
            differs: differs("status"),
        },
        Row {
            field: "error type".into(),
            left: match &e.error_type {
                None => unchecked(),
                Some(None) => "(none)".into(),
                Some(Some(t)) => t.clone(),
            },
            right: dash(a.error_type.as_deref()),
            differs: differs("error_type"),
        },
        Row {
            field: "message".into(),
            left: e
                .message_like
                .as_ref()
                .map_or_else(unchecked, |m| format!("/{m}/")),
            right: dash(a.message.as_deref()),
            differs: differs("message"),
        },
        Row {
            field: "statement".into(),
            left: expected_statement.map_or_else(unchecked, Value::to_string),
            right: dash(a.statement_raw.as_deref()),
            differs: differs("statement"),
        },
    ];
    rows.extend(other_rows(&r.differences));
    if differs("statement") {
        if let Some(expected) = expected_statement {
            rows.extend(key_rows(expected, a.statement.as_ref()));
        }
    }
    rows
}

fn other_rows(differences: &[Difference]) -> Vec<Row> {
    differences
        .iter()
        .filter(|d| !["status", "error_type", "message", "statement"].contains(&d.field))
        .map(|d| Row {
            field: d.field.to_string(),
            left: d.expected.clone(),
            right: d.actual.clone(),
            differs: true,
        })
        .collect()
}

/// The top-level statement keys whose values differ: `Principal` wrong reads better than two
/// 300-character statements that look alike.
fn key_rows(left: &Value, right: Option<&Value>) -> Vec<Row> {
    let (Some(l), Some(r)) = (left.as_object(), right.and_then(Value::as_object)) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = l.keys().collect();
    keys.extend(r.keys().filter(|k| !l.contains_key(*k)));
    keys.into_iter()
        .filter(|k| l.get(*k) != r.get(*k))
        .map(|k| Row {
            field: format!("  .{k}"),
            left: l.get(k).map_or_else(|| "(absent)".into(), Value::to_string),
            right: r.get(k).map_or_else(|| "(absent)".into(), Value::to_string),
            differs: true,
        })
        .collect()
}

fn dash(v: Option<&str>) -> String {
    v.unwrap_or("-").to_string()
}

/// Why the body could not be read, when it could not: the fields above are then empty.
fn body_line(out: &mut String, r: &CaseResult) {
    if let Some(a) = &r.actual {
        if let Some(p) = &a.body_problem {
            let _ = writeln!(out, "  body: {p}: {}", clip(&a.body_excerpt, 120));
        }
    }
}

/// The verdict line, the shrink note and (unless `detail` is false) the detail of the case.
fn header(out: &mut String, verdict: &str, id: &str, r: &CaseResult, detail: bool) {
    let rule = r
        .actual
        .as_ref()
        .and_then(|a| a.rule.as_deref())
        .map(|rule| format!("  [rule {rule}]"))
        .unwrap_or_default();
    let _ = writeln!(out, "{verdict} {id}{rule}");
    if let Some(note) = &r.shrunk {
        let _ = writeln!(out, "  {note}");
    }
    if let Some(d) = r.detail.as_ref().filter(|_| detail) {
        let _ = writeln!(out, "  {d}");
    }
}

/// The block for one case: nothing for a pass or a case not run (the report's diagnosis says
/// why those were not run, once); otherwise the verdict, how the case was shrunk (for a
/// generated one), the judged fields side by side, the rule the reference named (if it is the
/// target) and a curl command that sends the request to `endpoint`.
pub fn case_block(r: &CaseResult, endpoint: &Endpoint) -> String {
    block(r, endpoint, true)
}

/// [`case_block`], without the detail line when `detail` is false (the run's diagnosis says
/// it once for every case it covers).
fn block(r: &CaseResult, endpoint: &Endpoint, detail: bool) -> String {
    if !r.verdict.failed() {
        return String::new();
    }
    let mut out = String::new();
    header(
        &mut out,
        &r.verdict.as_str().to_uppercase(),
        &r.id,
        r,
        detail,
    );
    if r.differences.iter().any(|d| d.field == POLICY_GRANT) {
        let _ = writeln!(
            out,
            "  GRANTS ACCESS AWS REFUSED: the target stored a statement AWS would not have"
        );
    }
    if let Some(check) = r.stored.as_ref().filter(|c| c.inferred) {
        if r.differences.iter().any(|d| d.field.starts_with("policy")) {
            let _ = writeln!(
                out,
                "  (the stored policy AWS holds is inferred: the reference played the case{})",
                if check.expected.is_none() {
                    ", and stores none"
                } else {
                    ""
                }
            );
        }
    }
    let rows = case_rows(r);
    if !rows.is_empty() {
        table(&mut out, ("expected", "actual"), &rows);
    }
    body_line(&mut out, r);
    if let Some(s) = &r.sent {
        let _ = writeln!(out, "  curl: {}", curl_command(s, endpoint));
    }
    out
}

/// The verdict counts, the diagnosis if there is one, and the closing `N passed, M failed`
/// line.
fn summary_block(s: &Summary, diagnosis: Option<&Diagnosis>) -> String {
    let mut out = String::new();
    if let Some(d) = diagnosis {
        let _ = writeln!(out, "{}", d.line());
    }
    if s.setup_failure + s.target_error + s.not_run > 0 {
        let _ = writeln!(
            out,
            "{} mismatch, {} setup-failure, {} target-error",
            s.mismatch, s.setup_failure, s.target_error
        );
    }
    let _ = writeln!(out, "{}", s.line());
    out
}

/// The whole report of a run: why it stopped early (when it did); the diagnosis, if most
/// cases failed setup the same way; every failing case (those the diagnosis covers without its
/// detail); the findings they group into; what the run cost the target; the summary, with the
/// diagnosis again.
pub fn text_report(results: &[CaseResult], info: &RunInfo) -> String {
    let diagnosis = diagnosis(results);
    let mut out = String::new();
    if let Some(why) = stop_diagnosis(results) {
        let _ = writeln!(out, "STOPPED {why}\n");
    }
    if let Some(d) = &diagnosis {
        let _ = writeln!(out, "{}\n", d.line());
    }
    for note in provisioning_notes(results) {
        let _ = writeln!(out, "{note}\n");
    }
    for r in results {
        let covered = diagnosis.as_ref().is_some_and(|d| d.covers(r));
        out.push_str(&block(r, &info.endpoint, !covered));
    }
    let groups = buckets(results);
    if !groups.is_empty() {
        out.push('\n');
        out.push_str(&buckets_block(&groups));
    }
    if let Some(requests) = &info.requests {
        out.push_str(&costs_line(requests, results.len()));
    }
    out.push_str(&summary_block(&Summary::of(results), diagnosis.as_ref()));
    out
}

/// `requests: 1,234 (1.5 per case): AddPermission 840, GetPolicy 700, ...`.
pub fn costs_line(requests: &Requests, cases: usize) -> String {
    let ops: Vec<String> = requests
        .by_operation
        .iter()
        .map(|(op, n)| format!("{op} {n}"))
        .collect();
    format!(
        "requests: {} ({:.2} per case): {}\n",
        requests.total(),
        requests.total() as f64 / cases.max(1) as f64,
        ops.join(", ")
    )
}

/// One side of `addperm diff`: its label (`a: reference`) and endpoint for curl commands.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub label: &'a str,
    pub endpoint: &'a Endpoint,
}

/// The block for one case on two targets: nothing when the answers are the same; otherwise
/// both answers side by side and a curl command for each target.
pub fn pair_block(p: &PairResult, a: Side, b: Side) -> String {
    if p.verdict == PairVerdict::Same {
        return String::new();
    }
    let mut out = String::new();
    let verdict = match p.verdict {
        PairVerdict::NotCompared => "NOT-COMPARED",
        _ => "DIFFERS",
    };
    let _ = writeln!(out, "{verdict} {}", p.id);
    if let Some(note) = &p.shrunk {
        let _ = writeln!(out, "  {note}");
    }
    let differs = |field: &str| p.differences.iter().any(|d| d.field == field);
    let mut rows = Vec::new();
    if let (Some(x), Some(y)) = (&p.a.actual, &p.b.actual) {
        let row = |field: &str, key: &str, l: String, r: String| Row {
            field: field.into(),
            left: l,
            right: r,
            differs: differs(key),
        };
        rows.push(row(
            "status",
            "status",
            x.status.to_string(),
            y.status.to_string(),
        ));
        let rows_of = |o: &crate::target::Observed| {
            [
                dash(o.error_type.as_deref()),
                dash(o.message.as_deref()),
                dash(o.statement_raw.as_deref()),
            ]
        };
        let [xt, xm, xs] = rows_of(x);
        let [yt, ym, ys] = rows_of(y);
        rows.push(row("error type", "error_type", xt, yt));
        rows.push(row("message", "message", xm, ym));
        rows.push(row("statement", "statement", xs, ys));
        rows.extend(other_rows(&p.differences));
        if let Some(s) = x.statement.as_ref().filter(|_| differs("statement")) {
            rows.extend(key_rows(s, y.statement.as_ref()));
        }
    } else {
        rows.extend(p.differences.iter().map(|d| Row {
            field: d.field.to_string(),
            left: d.expected.clone(),
            right: d.actual.clone(),
            differs: true,
        }));
    }
    table(&mut out, (a.label, b.label), &rows);
    for (side, r) in [(a, &p.a), (b, &p.b)] {
        body_line(&mut out, r);
        if let Some(s) = &r.sent {
            let _ = writeln!(
                out,
                "  curl ({}): {}",
                side.label,
                curl_command(s, side.endpoint)
            );
        }
    }
    out
}

/// The whole report of a diff: every case whose answers differ, the findings, the counts.
pub fn pair_report(pairs: &[PairResult], a: Side, b: Side) -> String {
    let mut out: String = pairs.iter().map(|p| pair_block(p, a, b)).collect();
    let groups = pair_buckets(pairs);
    if !groups.is_empty() {
        out.push('\n');
        out.push_str(&buckets_block(&groups));
    }
    let count = |v: PairVerdict| pairs.iter().filter(|p| p.verdict == v).count();
    let not_compared = count(PairVerdict::NotCompared);
    let _ = write!(
        out,
        "{} same, {} differ",
        count(PairVerdict::Same),
        count(PairVerdict::Differ)
    );
    if not_compared > 0 {
        let _ = write!(out, ", {not_compared} not compared");
    }
    out.push('\n');
    out
}

/// The verdict of a run judged against a baseline: counts, then every new, changed, fixed and
/// expired divergence by case id.
pub fn baseline_block(j: &Judgement) -> String {
    let mut out = format!(
        "baseline: {} known, {} new, {} changed, {} fixed, {} expired\n",
        j.known,
        j.new.len(),
        j.changed.len(),
        j.fixed.len(),
        j.expired.len()
    );
    for id in &j.new {
        out.push_str(&format!("  NEW      {id}\n"));
    }
    for (id, was, now) in &j.changed {
        out.push_str(&format!(
            "  CHANGED  {id}: was {}, now {}\n",
            divergence_line(was),
            divergence_line(now)
        ));
    }
    for id in &j.fixed {
        out.push_str(&format!("  FIXED    {id} (remove it from the baseline)\n"));
    }
    for (id, entry) in &j.expired {
        out.push_str(&format!("  EXPIRED  {id} ({})\n", expired_line(entry)));
    }
    out
}

/// A recorded divergence in one line: `mismatch 200 - [status]`.
pub fn divergence_line(d: &Divergence) -> String {
    format!(
        "{} {} {} [{}]",
        d.verdict.as_str(),
        d.status.map_or("-".to_string(), |s| s.to_string()),
        d.error_type.as_deref().unwrap_or("-"),
        d.fields.join(",")
    )
}

/// Why an entry whose divergence the run showed no longer hides it: its last day and the
/// reason it was accepted for (`accepted until 2026-03-31: moto answers 200`).
pub fn expired_line(entry: &Divergence) -> String {
    let until = entry.expires.map_or_else(|| "-".to_string(), day_text);
    match &entry.reason {
        Some(why) => format!("accepted until {until}: {why}"),
        None => format!("accepted until {until}, no reason given"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a report of a run against an unnamed target says besides the results.
    fn info() -> RunInfo {
        RunInfo {
            target: "t".into(),
            endpoint: Endpoint::unsigned("http://x"),
            compare: Default::default(),
            requests: None,
        }
    }
    use crate::case::Expect;
    use crate::outcome::{SentRequest, Verdict};
    use crate::target::Observed;
    use serde_json::json;

    fn mismatch() -> CaseResult {
        CaseResult {
            id: "sid-too-long".into(),
            tags: vec!["StatementId".into(), "length-max".into()],
            verdict: Verdict::Mismatch,
            expected: Expect {
                status: 201,
                error_type: Some(None),
                message_like: None,
                statement: Some(json!({"Sid": "a", "Effect": "Allow"})),
                policy: None,
            },
            actual: Some(Observed {
                status: 201,
                statement_raw: Some(r#"{"Sid":"b","Effect":"Allow"}"#.into()),
                statement: Some(json!({"Sid": "b", "Effect": "Allow"})),
                ..Observed::default()
            }),
            differences: vec![Difference {
                field: "statement",
                expected: r#"{"Sid":"a","Effect":"Allow"}"#.into(),
                actual: r#"{"Sid":"b","Effect":"Allow"}"#.into(),
            }],
            detail: None,
            sent: Some(SentRequest {
                function_name: "f".into(),
                qualifier: None,
                body: "{}".into(),
                sent_function_name: None,
            }),
            shrunk: None,
            stored: None,
            provisioning: Vec::new(),
        }
    }

    #[test]
    fn block_marks_differing_fields_and_keys() {
        let text = case_block(&mismatch(), &Endpoint::unsigned("http://127.0.0.1:PORT"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "MISMATCH sid-too-long");
        let row = |name: &str| {
            *lines
                .iter()
                .find(|l| l.trim_start().starts_with(name))
                .unwrap()
        };
        assert!(!row("status").contains("!="), "{text}");
        assert!(row("statement").contains("!="), "{text}");
        assert!(row(".Sid").contains(r#""a""#), "{text}");
        assert!(!text.contains(".Effect"), "{text}");
        assert!(row("message").contains("(not checked)"), "{text}");
        assert!(lines.last().unwrap().starts_with("  curl: curl "), "{text}");
    }

    #[test]
    fn a_shared_setup_failure_is_told_once_at_the_top_and_in_the_summary() {
        let detail = "CreateFunction answered 400 InvalidParameterValueException The role defined for the function cannot be assumed by Lambda. (expected 201)";
        let failed = |id: &str, detail: &str| CaseResult {
            id: id.into(),
            verdict: Verdict::SetupFailure,
            actual: None,
            differences: Vec::new(),
            detail: Some(detail.into()),
            sent: None,
            ..mismatch()
        };
        let results = [
            failed("a", detail),
            failed("b", detail),
            failed(
                "c",
                "PublishVersion of f gave version 2 where the case lists 1",
            ),
        ];
        let text = text_report(&results, &info());
        assert!(
            text.starts_with(
                "SETUP: 2 of 3 cases failed setup the same way: CreateFunction answered 400"
            ),
            "{text}"
        );
        assert_eq!(
            text.matches(detail).count(),
            2,
            "top and summary only: {text}"
        );
        assert_eq!(text.matches("--create-role").count(), 2, "{text}");
        for id in ["a", "b", "c"] {
            assert!(text.contains(&format!("SETUP-FAILURE {id}\n")), "{text}");
        }
        assert!(
            text.contains("  PublishVersion of f gave version 2"),
            "{text}"
        );
        let tail: Vec<&str> = text.lines().rev().take(3).collect();
        assert_eq!(tail[0], "0 passed, 3 failed");
        assert!(tail[2].starts_with("SETUP: 2 of 3"), "{text}");
    }

    #[test]
    fn report_has_blocks_findings_and_closing_line() {
        let pass = CaseResult {
            id: "ok".into(),
            verdict: Verdict::Pass,
            ..mismatch()
        };
        let text = text_report(&[pass, mismatch()], &info());
        assert!(!text.contains("MISMATCH ok"));
        assert!(text.contains("1 finding from 1 case:"), "{text}");
        assert!(text.ends_with("1 passed, 1 failed\n"), "{text}");
    }

    #[test]
    fn a_stopped_run_says_why_once() {
        let not_run = |id: &str| CaseResult {
            id: id.into(),
            verdict: Verdict::NotRun,
            actual: None,
            differences: vec![],
            sent: None,
            detail: Some("the target stopped answering at case 1 (sid-too-long): refused".into()),
            ..mismatch()
        };
        let text = text_report(&[mismatch(), not_run("b"), not_run("c")], &info());
        assert!(text.starts_with(
            "STOPPED the target stopped answering at case 1 (sid-too-long): refused; 2 cases not run\n"
        ), "{text}");
        assert_eq!(text.matches("stopped answering").count(), 1, "{text}");
        assert!(!text.contains("NOT-RUN"), "{text}");
        assert!(text.contains("1 finding from 1 case:"), "{text}");
        assert!(text.ends_with("0 passed, 1 failed, 2 not run\n"), "{text}");
    }

    #[test]
    fn expired_entries_are_named_with_their_day_and_reason() {
        let entry = |reason: Option<&str>| Divergence {
            reason: reason.map(str::to_string),
            expires: Some(crate::runner::parse_day("2026-03-31").unwrap()),
            verdict: Verdict::Mismatch,
            fields: vec!["status".into()],
            status: Some(200),
            error_type: None,
            seen: String::new(),
        };
        let j = Judgement {
            expired: vec![
                ("a".into(), entry(Some("moto answers 200"))),
                ("b".into(), entry(None)),
            ],
            known: 3,
            ..Judgement::default()
        };
        let block = baseline_block(&j);
        assert_eq!(
            block,
            "baseline: 3 known, 0 new, 0 changed, 0 fixed, 2 expired\n\
             \x20 EXPIRED  a (accepted until 2026-03-31: moto answers 200)\n\
             \x20 EXPIRED  b (accepted until 2026-03-31, no reason given)\n"
        );
    }

    #[test]
    fn stored_policy_rows_keep_the_marks_in_one_column_and_flag_a_grant() {
        let mut r = mismatch();
        r.differences.push(Difference {
            field: POLICY_GRANT,
            expected: "(no policy)".into(),
            actual: r#"[{"Sid":"x"}]"#.into(),
        });
        r.differences.push(Difference {
            field: crate::outcome::POLICY_REVISION,
            expected: "unchanged".into(),
            actual: "changed".into(),
        });
        let block = case_block(&r, &Endpoint::unsigned("http://x"));
        assert!(block.contains("\n  GRANTS ACCESS AWS REFUSED"), "{block}");
        let marks: Vec<usize> = block.lines().filter_map(|l| l.find("!=")).collect();
        assert_eq!(
            marks.len(),
            4,
            "statement, .Sid and the two policy rows: {block}"
        );
        assert!(marks.windows(2).all(|w| w[0] == w[1]), "{block}");
    }
}
