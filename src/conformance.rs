//! Conformance checks from another crate's tests: run cases against a [`Target`], fail the test
//! with the text report when any case does not pass, and snapshot the statements the target
//! returned (with the `insta` feature).
//!
//! ```
//! use addperm::outcome::Compare;
//! use addperm::target::ReferenceTarget;
//!
//! let cases = addperm::case::parse(
//!     r#"{"id":"ok","given":{"functions":[{"name":"f"}]},"request":{"function_name":"f","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com"}},"expect":{"status":201,"error_type":null}}"#,
//!     "inline",
//! )
//! .unwrap();
//! let target = ReferenceTarget::default(); // an HTTP target for your implementation
//! let run = addperm::conformance(&target)
//!     .cases(cases)
//!     .compare(Compare::Message)
//!     .run();
//! run.assert_all_pass(); // panics with the text report otherwise
//! assert_eq!(run.statements()["ok"]["Sid"], "s");
//! // With the `insta` feature (on by default), in a test:
//! // addperm::assert_statements_snapshot!("statements", run);
//! ```

use crate::case::Case;
use crate::outcome::{CaseResult, Compare, Summary};
use crate::report::{text_report, RunInfo};
use crate::runner::{self, RunOptions};
use crate::target::Target;
use serde_json::Value;
use std::collections::BTreeMap;

/// Starts a conformance run against `target`; add cases, then [`Conformance::run`].
pub fn conformance(target: &dyn Target) -> Conformance<'_> {
    Conformance {
        target,
        cases: Vec::new(),
        options: RunOptions::default(),
    }
}

/// A conformance run being set up.
pub struct Conformance<'t> {
    target: &'t dyn Target,
    cases: Vec<Case>,
    options: RunOptions,
}

impl Conformance<'_> {
    /// Adds cases (repeatable: each call appends).
    pub fn cases(mut self, cases: impl IntoIterator<Item = Case>) -> Self {
        self.cases.extend(cases);
        self
    }

    /// How much of each answer must agree (default [`Compare::Message`]).
    pub fn compare(mut self, mode: Compare) -> Self {
        self.options.compare = mode;
        self
    }

    /// Cases run in parallel (default 1).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.options.jobs = jobs;
        self
    }

    /// Runs every case.
    pub fn run(self) -> ConformanceRun {
        let results = runner::run(self.target, &self.cases, &self.options, &|_| {});
        ConformanceRun {
            info: RunInfo::new(self.target, self.options.compare),
            cases: self.cases,
            results,
        }
    }
}

/// The results of a conformance run.
#[derive(Debug, Clone)]
pub struct ConformanceRun {
    pub cases: Vec<Case>,
    /// One per case, in case order.
    pub results: Vec<CaseResult>,
    info: RunInfo,
}

impl ConformanceRun {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.results)
    }

    /// The text report `addperm check` prints: failing cases, findings, closing line.
    pub fn report(&self) -> String {
        text_report(&self.results, &self.info)
    }

    /// Panics with the text report unless every case ran and passed. A test helper: panicking
    /// is how a test fails, and the report says why.
    #[track_caller]
    pub fn assert_all_pass(&self) {
        let s = self.summary();
        if s.pass < s.total {
            panic!("not every conformance case passed:\n{}", self.report());
        }
    }

    /// Every statement the target returned, by case id, with the case's own function names
    /// (results carry them, so a target that renames functions per case snapshots the same as
    /// one that does not). Sorted by id, so a snapshot does not change when cases are reordered.
    pub fn statements(&self) -> BTreeMap<String, Value> {
        self.results
            .iter()
            .filter_map(|r| Some((r.id.clone(), r.actual.as_ref()?.statement.clone()?)))
            .collect()
    }
}

/// Snapshots [`ConformanceRun::statements`] with insta, in the calling crate's snapshot
/// directory: `assert_statements_snapshot!(run)` or `assert_statements_snapshot!("name", run)`.
///
/// A macro, not a function, because insta names and places a snapshot after the source file
/// and test that invoke it.
#[cfg(feature = "insta")]
#[macro_export]
macro_rules! assert_statements_snapshot {
    ($run:expr $(,)?) => {
        $crate::__insta::assert_json_snapshot!(($run).statements())
    };
    ($name:expr, $run:expr $(,)?) => {
        $crate::__insta::assert_json_snapshot!($name, ($run).statements())
    };
}
