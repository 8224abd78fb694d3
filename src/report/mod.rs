//! Reports for people and CI: a text report with one block per non-passing case (expected and
//! actual side by side, a curl command that reproduces it) and the findings the failures group
//! into; a JSON report for tools; JUnit XML for CI; a self-contained HTML page for people, made
//! from the JSON report; failing cases saved as fixtures.

mod buckets;
mod conformance;
mod curl;
mod diagnosis;
mod failures;
mod html;
mod json;
mod junit;
mod merge;
mod pair_json;
mod step_summary;
mod text;

pub use buckets::{buckets, Bucket};
pub use conformance::{conformance_markdown, EmulatorRun};
use curl::PLACEHOLDER_BASE_URL;
pub use curl::{curl_command, quote};
pub use diagnosis::{diagnosis, Diagnosis};
pub use failures::{read_cases, save_failures};
pub use html::{html_report, HtmlRunInfo};
pub use json::{json_report, with_baseline};
pub use junit::junit_report;
pub use merge::{merge_reports, MergeError};
pub use pair_json::{pair_json_report, pair_verdict_name};
pub use step_summary::step_summary;
pub use text::{baseline_block, divergence_line, expired_line, pair_report, text_report, Side};

use crate::outcome::Compare;
use crate::target::{Endpoint, Requests, Signing, Target};
use std::time::SystemTime;

/// What a report says about the run besides the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The target's name (`reference`, a URL).
    pub target: String,
    /// Where curl commands send requests: the target's, or [`PLACEHOLDER_BASE_URL`].
    pub endpoint: Endpoint,
    pub compare: Compare,
    /// The requests the run sent, by operation (`None` for in-process targets).
    pub requests: Option<Requests>,
}

impl RunInfo {
    /// What to report of a run on `target`; call it when the run is over, as it reads how
    /// many requests were sent.
    pub fn new(target: &dyn Target, compare: Compare) -> RunInfo {
        RunInfo {
            target: target.name(),
            endpoint: endpoint(target),
            compare,
            requests: target.requests(),
        }
    }
}

/// Where curl commands against `target` send requests. An in-process target has no address:
/// its lines go to [`PLACEHOLDER_BASE_URL`] with the fake signature of the target's account
/// and region, which `addperm serve` ignores and an emulator put in its place routes by.
pub fn endpoint(target: &dyn Target) -> Endpoint {
    target.endpoint().unwrap_or_else(|| {
        let placeholders = target.placeholders();
        Endpoint {
            base_url: PLACEHOLDER_BASE_URL.to_string(),
            auth: Signing::Fake {
                account: placeholders.account,
            }
            .curl_auth(&placeholders.region, SystemTime::now()),
        }
    })
}
