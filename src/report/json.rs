//! The JSON report (`--report-json`): every case with its verdict, expectation, answer,
//! differences and curl command, plus the verdict counts and the findings. For tools and
//! dashboards; its shape is described in `REPORTS.md`.

use super::buckets::buckets;
use super::curl::curl_command;
use super::diagnosis::diagnosis;
use super::RunInfo;
use crate::outcome::{CaseResult, Summary};
use crate::target::Observed;
use serde_json::{json, Value};

/// The report as a JSON value.
pub fn json_report(results: &[CaseResult], info: &RunInfo) -> Value {
    let s = Summary::of(results);
    json!({
        "target": info.target,
        "compare": info.compare,
        // Keyed by verdict name, so `summary[case.verdict]` counts a case's kind.
        "summary": {
            "total": s.total,
            "pass": s.pass,
            "mismatch": s.mismatch,
            "setup-failure": s.setup_failure,
            "target-error": s.target_error,
        },
        "requests": info.requests.as_ref().map(|r| json!({
            "total": r.total(),
            "per_case": r.total() as f64 / results.len().max(1) as f64,
            "by_operation": r.by_operation,
        })),
        // Most cases failed setup the same way: that failure once, with its fix; else null.
        "diagnosis": diagnosis(results),
        "buckets": buckets(results),
        "cases": results.iter().map(|r| case(r, info)).collect::<Vec<_>>(),
    })
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
