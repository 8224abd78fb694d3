//! The one line for a run whose cases mostly failed setup the same way.
//!
//! Pointed at a target that cannot set up the fixture (moto without the role CreateFunction
//! names, say), every case fails before its request with the same detail. Printed once per case
//! that detail buries the cause; said once, with the fix, it is the first thing read. Each case
//! keeps its verdict: the diagnosis is added, nothing is hidden.

use crate::outcome::{CaseResult, Verdict};
use serde::Serialize;
use std::collections::HashMap;

/// Most of a run's cases failed setup with one detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// How many cases failed setup with `detail`.
    pub cases: usize,
    /// How many cases the run had.
    pub total: usize,
    /// The setup failure they share (what the target answered to which setup call).
    pub detail: String,
    /// What to do about it, where the detail says.
    pub fix: Option<&'static str>,
}

/// The fix for a refused role: moto and AWS refuse a CreateFunction whose role does not exist
/// ("The role defined for the function cannot be assumed by Lambda.").
/// Library users read the same line, so it names the Rust API beside each flag.
const ROLE_FIX: &str = "the target refuses the role CreateFunction names: on an emulator, run again with --create-role, which creates it through the target's IAM API (in Rust: HttpTarget::create_role); on a real account, name a role that exists there with --role ARN (HttpOptions::role)";

impl Diagnosis {
    /// The diagnosis as one line of the text report.
    pub fn line(&self) -> String {
        let fix = self.fix.map(|f| format!("; fix: {f}")).unwrap_or_default();
        format!(
            "SETUP: {} of {} cases failed setup the same way: {}{fix}",
            self.cases, self.total, self.detail
        )
    }

    /// Whether `r` is one of the cases the diagnosis speaks for.
    pub fn covers(&self, r: &CaseResult) -> bool {
        r.verdict == Verdict::SetupFailure && r.detail.as_deref() == Some(self.detail.as_str())
    }
}

/// The diagnosis of a run of `total` cases whose setup failures have these details, if more
/// than half the cases (and at least two) share one.
pub fn diagnose<'a>(
    total: usize,
    setup_failures: impl Iterator<Item = &'a str>,
) -> Option<Diagnosis> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    // The first detail to reach a majority wins; there can be only one.
    let mut found = None;
    for detail in setup_failures {
        let n = counts.entry(detail).or_default();
        *n += 1;
        if *n * 2 > total && *n >= 2 {
            found = Some(detail);
        }
    }
    let detail = found?;
    Some(Diagnosis {
        cases: counts[detail],
        total,
        detail: detail.to_string(),
        fix: fix(detail),
    })
}

/// The diagnosis of a run's results (see [`diagnose`]).
pub fn diagnosis(results: &[CaseResult]) -> Option<Diagnosis> {
    diagnose(
        results.len(),
        results
            .iter()
            .filter(|r| r.verdict == Verdict::SetupFailure)
            .filter_map(|r| r.detail.as_deref()),
    )
}

/// The fix a setup failure's detail points to, where one is known.
fn fix(detail: &str) -> Option<&'static str> {
    (detail.starts_with("CreateFunction") && detail.to_ascii_lowercase().contains("role"))
        .then_some(ROLE_FIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "CreateFunction answered 400 InvalidParameterValueException The role defined for the function cannot be assumed by Lambda. (expected 201)";

    #[test]
    fn a_shared_majority_is_diagnosed_once_with_its_fix() {
        let d = diagnose(5, [ROLE, ROLE, "other", ROLE].into_iter()).unwrap();
        assert_eq!((d.cases, d.total), (3, 5));
        let line = d.line();
        assert!(
            line.starts_with(
                "SETUP: 3 of 5 cases failed setup the same way: CreateFunction answered 400"
            ),
            "{line}"
        );
        assert!(
            line.contains("--create-role") && line.contains("--role ARN"),
            "{line}"
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn minorities_and_other_failures_are_not_diagnosed_or_not_fixed() {
        assert_eq!(
            diagnose(4, [ROLE, ROLE].into_iter()),
            None,
            "half is not most"
        );
        assert_eq!(
            diagnose(1, [ROLE].into_iter()),
            None,
            "one case says it itself"
        );
        let other = "AddPermission answered 409 ResourceConflictException taken (expected 201)";
        let d = diagnose(3, [other, other].into_iter()).unwrap();
        assert_eq!(d.fix, None);
        assert!(!d.line().contains("fix:"));
    }
}
