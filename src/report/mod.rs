//! Reports for people and CI: a text report with one block per non-passing case (expected and
//! actual side by side, a curl command that reproduces it) and the findings the failures group
//! into; a JSON report for tools; JUnit XML for CI; failing cases saved as fixtures.

mod buckets;
mod conformance;
mod curl;
mod failures;
mod json;
mod junit;
mod merge;
mod text;

pub use buckets::{
    buckets, buckets_block, constraint_of, failure_key, member_of, pair_buckets, pair_failure_key,
    Bucket, FailureKey, CONSTRAINT_TAGS,
};
pub use conformance::{conformance_markdown, Run as ConformanceRun};
pub use curl::{curl_command, quote, PLACEHOLDER_BASE_URL};
pub use failures::{read_cases, save_failures};
pub use json::json_report;
pub use junit::junit_report;
pub use merge::{merge_reports, MergeError};
pub use text::{
    baseline_block, case_block, pair_block, pair_report, summary_block, text_report, Side,
};

use crate::runner::Compare;
use crate::target::Target;

/// What a report says about the run besides the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The target's name (`reference`, a URL).
    pub target: String,
    /// Where curl commands send requests: the target's address, or [`PLACEHOLDER_BASE_URL`].
    pub base_url: String,
    pub compare: Compare,
}

impl RunInfo {
    pub fn new(target: &dyn Target, compare: Compare) -> RunInfo {
        RunInfo {
            target: target.name(),
            base_url: base_url(target),
            compare,
        }
    }
}

/// The base URL for curl commands against `target`.
pub fn base_url(target: &dyn Target) -> String {
    target
        .base_url()
        .unwrap_or_else(|| PLACEHOLDER_BASE_URL.to_string())
}
