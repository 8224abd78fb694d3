//! Reading a JSON report (`check`'s [`crate::report::json_report`], `diff`'s
//! [`crate::report::pair_json_report`], or a merged one) without a schema: verdict names, the
//! fields of a difference and the columns of a finding are taken from the data, so the page and
//! the step summary show a verdict or difference kind added later without a change here.
//!
//! Every read is lenient: a report edited by hand or cut short renders what it has.

use crate::outcome::{constraint_of, member_of};
use serde_json::{Map, Value};

/// Shown for a missing value, as the text report does.
pub(super) const NONE: &str = "-";

/// The report's cases, or none.
pub(crate) fn cases(json: &Value) -> &[Value] {
    json.get("cases")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The report's findings (buckets), biggest first as written, or none.
pub(crate) fn buckets(json: &Value) -> &[Value] {
    json.get("buckets")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The report's notes: what a person must read first (why the run stopped early, baseline
/// entries that expired), one line each, or none.
pub(crate) fn notes(json: &Value) -> Vec<&str> {
    json.get("notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A case's verdict name (`-` when it has none).
pub(crate) fn verdict(case: &Value) -> &str {
    case.get("verdict").and_then(Value::as_str).unwrap_or(NONE)
}

/// A case's id (`-` when it has none).
pub(super) fn id(case: &Value) -> &str {
    case.get("id").and_then(Value::as_str).unwrap_or(NONE)
}

/// Every verdict of the report with its number of cases: the `summary` keys first, in their
/// order (so a verdict no case reached still shows, as 0), then any other verdict the cases
/// carry, in order of first appearance. Counts are the cases'; without a case list, the
/// summary's.
pub(crate) fn verdict_counts(json: &Value) -> Vec<(String, u64)> {
    let summary = json.get("summary").and_then(Value::as_object);
    let mut counts: Vec<(String, u64)> = summary
        .into_iter()
        .flatten()
        .filter(|(k, v)| k.as_str() != "total" && v.is_u64())
        .map(|(k, _)| (k.clone(), 0))
        .collect();
    let list = cases(json);
    for c in list {
        let v = verdict(c);
        match counts.iter_mut().find(|(name, _)| name == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v.to_string(), 1)),
        }
    }
    if list.is_empty() {
        for (name, n) in &mut counts {
            *n = summary
                .and_then(|s| s.get(name.as_str()))
                .and_then(Value::as_u64)
                .unwrap_or(0);
        }
    }
    counts
}

/// A value as one line of text: strings as they are, null as `-`, anything else as compact
/// JSON.
pub(super) fn text(v: &Value) -> String {
    match v {
        Value::Null => NONE.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The names of the fields a case's `differences` list.
pub(crate) fn difference_fields(case: &Value) -> Vec<&str> {
    differences(case)
        .iter()
        .filter_map(|d| d.get("field").and_then(Value::as_str))
        .collect()
}

pub(super) fn differences(case: &Value) -> &[Value] {
    case.get("differences")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether `case` is one of `diff`'s pairs: a result on each of two targets, `a` and `b`.
pub(super) fn is_pair(case: &Value) -> bool {
    case.get("a").is_some_and(Value::is_object) && case.get("b").is_some_and(Value::is_object)
}

/// The finding (index into [`buckets`]) a non-passing case falls into, found by the key the
/// report's findings are grouped by (member and constraint from the tags, expected -> actual
/// outcome; `report::failure_key`), computed here from the case's JSON so that merged reports,
/// which keep no link from a case to its finding, are filtered by finding too. `None` when no
/// finding has that key.
pub(crate) fn bucket_of(case: &Value, buckets: &[Value]) -> Option<usize> {
    let tags: Vec<String> = case
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect();
    let (expected, answer) = if is_pair(case) {
        (answer_outcome(&case["a"]), answer_outcome(&case["b"]))
    } else {
        (expected_outcome(case), answer_outcome(case))
    };
    let actual = with_other_fields(&expected, answer, &difference_fields(case));
    let key = [
        member_of(&tags).unwrap_or(NONE),
        constraint_of(&tags).unwrap_or(NONE),
        expected.as_str(),
        actual.as_str(),
    ];
    buckets.iter().position(|b| {
        ["member", "constraint", "expected", "actual"]
            .iter()
            .zip(key)
            .all(|(k, want)| b.get(*k).and_then(Value::as_str) == Some(want))
    })
}

fn outcome(status: Option<&Value>, error_type: Option<&Value>) -> String {
    let status = status.map_or_else(|| NONE.to_string(), text);
    match error_type.and_then(Value::as_str) {
        Some(t) if !t.is_empty() => format!("{status} {t}"),
        _ => status,
    }
}

fn expected_outcome(case: &Value) -> String {
    let e = case.get("expected");
    outcome(
        e.and_then(|e| e.get("status")),
        e.and_then(|e| e.get("error_type")),
    )
}

/// The answer's status and type, or the verdict where there was no answer.
fn answer_outcome(case: &Value) -> String {
    match case.get("actual").and_then(Value::as_object) {
        Some(a) => outcome(a.get("status"), a.get("error_type")),
        None => verdict(case).to_string(),
    }
}

fn with_other_fields(expected: &str, actual: String, fields: &[&str]) -> String {
    if expected != actual {
        return actual;
    }
    format!("{actual}, other {}", fields.join(", "))
}

/// A finding's label: its string-valued columns but the example, in the report's order, the
/// `actual` outcome after an arrow (`StatementId pattern 400 ValidationException -> 201`);
/// columns the finding has no value for (`-`) are left out.
pub(crate) fn bucket_label(b: &Value) -> String {
    let mut out = String::new();
    for (k, v) in b.as_object().into_iter().flatten() {
        if k == "example" || !v.is_string() || v.as_str() == Some(NONE) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if k == "actual" { " -> " } else { " " });
        }
        out.push_str(&text(v));
    }
    out
}

/// A finding's number of cases (0 when it has none).
pub(crate) fn bucket_count(b: &Value) -> u64 {
    b.get("count").and_then(Value::as_u64).unwrap_or(0)
}

/// The report's top-level facts: every string, number or boolean member (`target`, `compare`,
/// `a`, `b`, ...).
pub(super) fn facts(json: &Value) -> Vec<(&str, String)> {
    json.as_object()
        .map(Map::iter)
        .into_iter()
        .flatten()
        .filter(|(_, v)| v.is_string() || v.is_number() || v.is_boolean())
        .map(|(k, v)| (k.as_str(), text(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verdicts_come_from_summary_and_cases() {
        let j = json!({
            "summary": {"total": 3, "pass": 1, "mismatch": 0},
            "cases": [{"verdict": "pass"}, {"verdict": "brand-new"}, {"verdict": "brand-new"}],
        });
        assert_eq!(
            verdict_counts(&j),
            [
                ("pass".to_string(), 1),
                ("mismatch".to_string(), 0),
                ("brand-new".to_string(), 2)
            ]
        );
        let summary_only = json!({"summary": {"total": 2, "pass": 2}});
        assert_eq!(verdict_counts(&summary_only), [("pass".to_string(), 2)]);
        assert!(verdict_counts(&json!(null)).is_empty());
    }
}
