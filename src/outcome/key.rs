//! What makes two failures one finding. A generated suite exercises every constraint many
//! times, so one bug shows up as hundreds of failing cases; keyed by what was tested (member and
//! constraint, read from the case's tags) and by how the answer was wrong (expected -> actual
//! status and error type), 300 failures read as the dozen findings they are. The reports group
//! by the key, the shrinker keeps a case within it.

use super::{CaseResult, Difference, PairResult, PairVerdict};
use crate::contract::{contract, Rule};

/// The constraint kinds that tags name, besides the reference's rule ids. `length` is the
/// curated cases' word for either bound.
pub const CONSTRAINT_TAGS: [&str; 8] = [
    "length-min",
    "length-max",
    "length",
    "pattern",
    "enum",
    "required",
    "type",
    "semantic",
];

/// Shown where a case's tags name no member or no constraint.
const UNKNOWN: &str = "-";

/// The first tag that names a request member.
pub fn member_of(tags: &[String]) -> Option<&str> {
    let c = contract();
    tags.iter()
        .map(String::as_str)
        .find(|t| c.member(t).is_some())
}

/// The first tag that names a constraint kind or a reference rule.
pub fn constraint_of(tags: &[String]) -> Option<&str> {
    tags.iter()
        .map(String::as_str)
        .find(|t| CONSTRAINT_TAGS.contains(t) || Rule::ALL.iter().any(|r| r.id() == *t))
}

/// What makes two failures one finding: the member and constraint under test (from the tags,
/// `-` where none) and the expected -> actual outcome (status and error type, with the
/// differing fields where those agree). Shrinking keeps a case within its key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FailureKey {
    pub member: String,
    pub constraint: String,
    pub expected: String,
    pub actual: String,
}

impl FailureKey {
    fn new(tags: &[String], expected: String, actual: String) -> FailureKey {
        FailureKey {
            member: member_of(tags).unwrap_or(UNKNOWN).to_string(),
            constraint: constraint_of(tags).unwrap_or(UNKNOWN).to_string(),
            expected,
            actual,
        }
    }
}

/// The finding a failed result falls into; `None` for a pass or a case not run.
pub fn failure_key(r: &CaseResult) -> Option<FailureKey> {
    r.verdict
        .failed()
        .then(|| FailureKey::new(&r.tags, expected_outcome(r), actual_outcome(r)))
}

/// The finding a pair whose answers were not the same falls into (`expected` is A's side,
/// `actual` B's); `None` when they were the same.
pub fn pair_failure_key(p: &PairResult) -> Option<FailureKey> {
    (p.verdict != PairVerdict::Same).then(|| {
        let (a, b) = (answer_outcome(&p.a), answer_outcome(&p.b));
        let actual = with_other_fields(&a, b, &p.differences);
        FailureKey::new(&p.tags, a, actual)
    })
}

fn outcome(status: u16, error_type: Option<&str>) -> String {
    match error_type {
        Some(t) if !t.is_empty() => format!("{status} {t}"),
        _ => status.to_string(),
    }
}

fn expected_outcome(r: &CaseResult) -> String {
    let error_type = r.expected.error_type.as_ref().and_then(|t| t.as_deref());
    outcome(r.expected.status, error_type)
}

fn answer_outcome(r: &CaseResult) -> String {
    match &r.actual {
        Some(a) => outcome(a.status, a.error_type.as_deref()),
        None => r.verdict.as_str().to_string(),
    }
}

fn actual_outcome(r: &CaseResult) -> String {
    with_other_fields(&expected_outcome(r), answer_outcome(r), &r.differences)
}

/// Where status and type agree, the finding is in the other fields: name them, or every
/// message mismatch would share one bucket with every statement mismatch.
fn with_other_fields(expected: &str, actual: String, differences: &[Difference]) -> String {
    if expected != actual {
        return actual;
    }
    let fields: Vec<&str> = differences.iter().map(|d| d.field).collect();
    format!("{actual}, other {}", fields.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn member_and_constraint_come_from_tags() {
        let t = tags(&["invalid", "StatementId", "length-max"]);
        assert_eq!(member_of(&t), Some("StatementId"));
        assert_eq!(constraint_of(&t), Some("length-max"));
        let t = tags(&["stateful", "duplicate-statement-id"]);
        assert_eq!(member_of(&t), None);
        assert_eq!(constraint_of(&t), Some("duplicate-statement-id"));
    }

    #[test]
    fn same_status_and_type_names_the_differing_fields() {
        let d = Difference {
            field: "message",
            expected: "/x/".into(),
            actual: "y".into(),
        };
        assert_eq!(
            with_other_fields(
                "400 ValidationException",
                "400 ValidationException".into(),
                &[d]
            ),
            "400 ValidationException, other message"
        );
        assert_eq!(with_other_fields("201", "404 X".into(), &[]), "404 X");
    }
}
