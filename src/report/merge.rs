//! Merging JSON reports of sharded runs (`check --shard K/N --report-json`) into one.

use crate::outcome::Verdict;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Why reports cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("report {index} is not an addperm JSON report: {reason}")]
    NotAReport { index: usize, reason: String },
    #[error("case {id:?} is in more than one report (shards overlap)")]
    Duplicate { id: String },
    #[error("no reports to merge")]
    Empty,
}

/// Merges reports: their cases in order, the verdict counts and the setup diagnosis
/// recomputed, the findings (buckets) added up, the notes of each kept. The target and
/// strictness are the first report's.
pub fn merge_reports(reports: &[Value]) -> Result<Value, MergeError> {
    let first = reports.first().ok_or(MergeError::Empty)?;
    let mut cases = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut buckets: Vec<Value> = Vec::new();
    // Each shard's notes (a shard whose target stopped answering), each once.
    let mut notes: Vec<Value> = Vec::new();
    // Each shard's provisioning divergences, each once, in the order a single run gives them.
    let mut provisioning: std::collections::BTreeSet<(String, u64, u64)> = Default::default();
    for (index, r) in reports.iter().enumerate() {
        for d in r
            .get("provisioning")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(op), Some(expected), Some(got)) = (
                d["operation"].as_str(),
                d["expected"].as_u64(),
                d["got"].as_u64(),
            ) {
                provisioning.insert((op.to_string(), expected, got));
            }
        }
        for note in r
            .get("notes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !notes.contains(note) {
                notes.push(note.clone());
            }
        }
        let not = |reason: &str| MergeError::NotAReport {
            index: index + 1,
            reason: reason.to_string(),
        };
        let list = r
            .get("cases")
            .and_then(Value::as_array)
            .ok_or_else(|| not("no \"cases\" list"))?;
        for c in list {
            let id = c
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| not("a case without \"id\""))?;
            let verdict = c
                .get("verdict")
                .and_then(Value::as_str)
                .ok_or_else(|| not("a case without \"verdict\""))?;
            if !seen.insert(id.to_string()) {
                return Err(MergeError::Duplicate { id: id.to_string() });
            }
            *counts.entry(verdict.to_string()).or_default() += 1;
            cases.push(c.clone());
        }
        for b in r
            .get("buckets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = |v: &Value| {
                ["member", "constraint", "expected", "actual"].map(|k| v.get(k).cloned())
            };
            match buckets.iter_mut().find(|x| key(x) == key(b)) {
                Some(existing) => {
                    let n =
                        existing["count"].as_u64().unwrap_or(0) + b["count"].as_u64().unwrap_or(0);
                    existing["count"] = json!(n);
                }
                None => buckets.push(b.clone()),
            }
        }
    }
    buckets.sort_by_key(|b| std::cmp::Reverse(b["count"].as_u64().unwrap_or(0)));
    let mut summary = Map::new();
    summary.insert("total".into(), json!(cases.len()));
    for verdict in Verdict::ALL.map(Verdict::as_str) {
        summary.insert(
            verdict.into(),
            json!(counts.get(verdict).copied().unwrap_or(0)),
        );
    }
    let setup_failures = cases
        .iter()
        .filter(|c| c["verdict"] == "setup-failure")
        .filter_map(|c| c["detail"].as_str());
    let diagnosis = super::diagnosis::diagnose(cases.len(), setup_failures);
    Ok(json!({
        "target": first.get("target").cloned().unwrap_or(Value::Null),
        "compare": first.get("compare").cloned().unwrap_or(Value::Null),
        "summary": summary,
        "diagnosis": diagnosis,
        "notes": notes,
        "provisioning": provisioning
            .into_iter()
            .map(|(operation, expected, got)| {
                json!({"operation": operation, "expected": expected, "got": got})
            })
            .collect::<Vec<_>>(),
        "buckets": buckets,
        "cases": cases,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(ids: &[(&str, &str)], bucket_count: u64) -> Value {
        json!({
            "target": "t", "compare": "message",
            "summary": {},
            "buckets": [{"member": "StatementId", "constraint": "pattern", "expected": "400", "actual": "201", "count": bucket_count, "example": ids[0].0}],
            "cases": ids.iter().map(|(id, v)| json!({"id": id, "verdict": v})).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn merges_cases_counts_and_buckets() {
        let m = merge_reports(&[
            report(&[("a", "pass"), ("b", "mismatch")], 1),
            report(&[("c", "mismatch")], 2),
        ])
        .unwrap();
        assert_eq!(m["summary"]["total"], 3);
        assert_eq!(m["summary"]["mismatch"], 2);
        assert_eq!(m["summary"]["pass"], 1);
        assert_eq!(m["buckets"][0]["count"], 3);
        assert_eq!(m["cases"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn refuses_overlaps_and_non_reports() {
        let a = report(&[("a", "pass")], 1);
        assert_eq!(
            merge_reports(&[a.clone(), a]).unwrap_err(),
            MergeError::Duplicate { id: "a".into() }
        );
        assert!(matches!(
            merge_reports(&[json!({"x": 1})]).unwrap_err(),
            MergeError::NotAReport { index: 1, .. }
        ));
        assert_eq!(merge_reports(&[]).unwrap_err(), MergeError::Empty);
    }
}
