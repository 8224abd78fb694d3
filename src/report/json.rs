//! The JSON report (`--report-json`): every case with its verdict, expectation, answer,
//! differences and curl command, plus the verdict counts and the findings. For tools and
//! dashboards; its shape is described in `REPORTS.md`.

use super::buckets::buckets;
use super::curl::curl_command;
use super::diagnosis::diagnosis;
use super::text::{divergence_line, expired_line};
use super::RunInfo;
use crate::outcome::{
    provisioning_divergences, provisioning_notes, stop_diagnosis, CaseResult, Summary, Verdict,
};
use crate::runner::{day_text, Judgement};
use crate::target::Observed;
use serde_json::{json, Map, Value};

/// The report as a JSON value. `notes` holds what a person must read first, one line each:
/// here why the run stopped early, when it did ([`with_baseline`] adds expired entries).
pub fn json_report(results: &[CaseResult], info: &RunInfo) -> Value {
    let s = Summary::of(results);
    // Keyed by verdict name, so `summary[case.verdict]` counts a case's kind.
    let mut summary = Map::new();
    summary.insert("total".into(), json!(s.total));
    for v in Verdict::ALL {
        summary.insert(v.as_str().into(), json!(s.count(v)));
    }
    json!({
        "target": info.target,
        "compare": info.compare,
        "summary": summary,
        "requests": info.requests.as_ref().map(|r| json!({
            "total": r.total(),
            "per_case": r.total() as f64 / results.len().max(1) as f64,
            "by_operation": r.by_operation,
        })),
        // Most cases failed setup the same way: that failure once, with its fix; else null.
        "diagnosis": diagnosis(results),
        "notes": stop_diagnosis(results)
            .into_iter()
            .chain(provisioning_notes(results))
            .collect::<Vec<_>>(),
        // Setup calls that succeeded with another status than AWS's, once per operation.
        "provisioning": provisioning_divergences(results),
        "buckets": buckets(results),
        "cases": results.iter().map(|r| case(r, info)).collect::<Vec<_>>(),
    })
}

/// Adds to `report` (a [`json_report`]) how the run stood against a baseline: `baseline` with
/// the counts and the case ids of each kind, expired entries with their reason and last day,
/// and a note naming the expired entries.
pub fn with_baseline(report: &mut Value, j: &Judgement) {
    let expired: Vec<Value> = j
        .expired
        .iter()
        .map(|(id, e)| json!({"id": id, "reason": e.reason, "expires": e.expires.map(day_text)}))
        .collect();
    let changed: Vec<Value> = j
        .changed
        .iter()
        .map(|(id, was, now)| {
            json!({"id": id, "recorded": divergence_line(was), "now": divergence_line(now)})
        })
        .collect();
    if !j.expired.is_empty() {
        let entries: Vec<String> = j
            .expired
            .iter()
            .map(|(id, e)| format!("{id} ({})", expired_line(e)))
            .collect();
        let note = format!(
            "expired baseline entries no longer hide their divergence: {}",
            entries.join("; ")
        );
        if let Some(notes) = report.get_mut("notes").and_then(Value::as_array_mut) {
            notes.push(json!(note));
        }
    }
    if let Some(obj) = report.as_object_mut() {
        obj.insert(
            "baseline".into(),
            json!({
                "known": j.known,
                "new": j.new,
                "changed": changed,
                "fixed": j.fixed,
                "expired": expired,
            }),
        );
    }
}

/// One case of the report (also each side of `diff`'s pairs).
pub(super) fn case(r: &CaseResult, info: &RunInfo) -> Value {
    json!({
        "id": r.id,
        "tags": r.tags,
        "verdict": r.verdict,
        // The case format's `expect`, after placeholders.
        "expected": r.expected,
        "actual": r.actual.as_ref().map(actual),
        "differences": r.differences,
        "detail": r.detail,
        "request": r.sent,
        "curl": r.sent.as_ref().map(|s| curl_command(s, &info.endpoint)),
        // A failing generated case: the id it was shrunk from, steps kept, candidates tried.
        "shrunk": r.shrunk,
        // What AWS and the target hold for the request's function and qualifier afterwards.
        "stored": r.stored,
    })
}

fn actual(o: &Observed) -> Value {
    json!({
        "status": o.status,
        "error_type": o.error_type,
        "message": o.message,
        "statement": o.statement,
        "statement_raw": o.statement_raw,
        "content_type": o.content_type,
        "rule": o.rule,
        "body_problem": o.body_problem,
        "body_excerpt": o.body_excerpt,
    })
}
