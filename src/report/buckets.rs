//! Grouping failures into findings: one bucket per [`FailureKey`], counted, with an example,
//! so 300 failing cases read as the dozen findings they are.

use crate::outcome::{failure_key, pair_failure_key, CaseResult, FailureKey, PairResult};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One group of failures that went wrong the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// The request member under test (a model name such as `StatementId`), or `-`.
    pub member: String,
    /// The constraint kind or reference rule id under test, or `-`.
    pub constraint: String,
    /// The expected status and error type (in `diff`: target A's).
    pub expected: String,
    /// What came instead (in `diff`: target B's), or the verdict when there was no answer.
    pub actual: String,
    pub count: usize,
    /// The first case, in run order, that fell into the group.
    pub example: String,
}

/// Groups every non-passing result; the biggest groups first.
pub fn buckets(results: &[CaseResult]) -> Vec<Bucket> {
    group(
        results
            .iter()
            .filter_map(|r| Some((r.id.as_str(), failure_key(r)?))),
    )
}

/// Groups every pair whose answers were not the same; `expected` is A's side, `actual` B's.
pub fn pair_buckets(pairs: &[PairResult]) -> Vec<Bucket> {
    group(
        pairs
            .iter()
            .filter_map(|p| Some((p.id.as_str(), pair_failure_key(p)?))),
    )
}

/// The buckets as a table: count, member, constraint, expected -> actual, an example case.
pub fn buckets_block(buckets: &[Bucket]) -> String {
    let mut out = String::new();
    if buckets.is_empty() {
        return out;
    }
    let width = |f: fn(&Bucket) -> &str| buckets.iter().map(|b| f(b).chars().count()).max();
    let wm = width(|b| &b.member).unwrap_or(0);
    let wc = width(|b| &b.constraint).unwrap_or(0);
    let we = width(|b| &b.expected).unwrap_or(0);
    let cases: usize = buckets.iter().map(|b| b.count).sum();
    let _ = writeln!(
        out,
        "{} from {}:",
        plural(buckets.len(), "finding"),
        plural(cases, "case")
    );
    for b in buckets {
        let _ = writeln!(
            out,
            "  {:>5}  {:<wm$}  {:<wc$}  {:<we$} -> {}  e.g. {}",
            b.count, b.member, b.constraint, b.expected, b.actual, b.example
        );
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Groups `(case id, key)` findings in run order; the biggest groups first.
fn group<'a>(findings: impl Iterator<Item = (&'a str, FailureKey)>) -> Vec<Bucket> {
    let mut groups: BTreeMap<FailureKey, Bucket> = BTreeMap::new();
    for (id, key) in findings {
        groups
            .entry(key.clone())
            .or_insert_with(|| Bucket {
                member: key.member,
                constraint: key.constraint,
                expected: key.expected,
                actual: key.actual,
                count: 0,
                example: id.to_string(),
            })
            .count += 1;
    }
    let mut out: Vec<Bucket> = groups.into_values().collect();
    // Stable: equal counts keep the key order, so reports do not reshuffle between runs.
    out.sort_by_key(|b| std::cmp::Reverse(b.count));
    out
}
