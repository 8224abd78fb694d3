//! `diff`'s results as JSON, shaped like the `check` report (`json_report`): the run's facts,
//! `summary` keyed by verdict name, the findings, and one entry per case, which holds the case's
//! result on each target (`a`, `b`: entries of the `check` report) and the differences between
//! the two answers. The HTML page and the step summary are made from it.

use super::buckets::pair_buckets;
use super::json::case;
use super::RunInfo;
use crate::outcome::{PairResult, PairVerdict};
use serde_json::{json, Map, Value};

/// A pair verdict's name in reports.
pub fn pair_verdict_name(v: PairVerdict) -> &'static str {
    match v {
        PairVerdict::Same => "same",
        PairVerdict::Differ => "differ",
        PairVerdict::NotCompared => "not-compared",
    }
}

/// The pairs of a `diff` run on targets `a` and `b` as a JSON value.
pub fn pair_json_report(pairs: &[PairResult], a: &RunInfo, b: &RunInfo) -> Value {
    let mut summary = Map::new();
    summary.insert("total".into(), json!(pairs.len()));
    for v in [
        PairVerdict::Same,
        PairVerdict::Differ,
        PairVerdict::NotCompared,
    ] {
        let n = pairs.iter().filter(|p| p.verdict == v).count();
        summary.insert(pair_verdict_name(v).into(), json!(n));
    }
    json!({
        "a": a.target,
        "b": b.target,
        "compare": a.compare,
        "summary": summary,
        // `expected` is A's answer, `actual` B's.
        "buckets": pair_buckets(pairs),
        "cases": pairs.iter().map(|p| json!({
            "id": p.id,
            "tags": p.tags,
            "verdict": pair_verdict_name(p.verdict),
            // `expected` is A's value, `actual` B's.
            "differences": p.differences,
            "shrunk": p.shrunk,
            "a": case(&p.a, a),
            "b": case(&p.b, b),
        })).collect::<Vec<_>>(),
    })
}
