//! The JUnit XML report (`--junit`), which CI systems show as a test list: one testcase per
//! case. A mismatch is a `failure` (the implementation answered wrongly); a setup failure or a
//! target error is an `error` (the case could not be judged); a case not run is `skipped`.

use super::text::{case_block, clip};
use super::RunInfo;
use crate::outcome::member_of;
use crate::outcome::{provisioning_notes, stop_diagnosis, CaseResult, Verdict};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// The report as XML text.
pub fn junit_report(results: &[CaseResult], info: &RunInfo) -> Result<String, String> {
    let mut suite = TestSuite::new(format!("addperm {}", info.target));
    // What the whole run met rather than one case: the suite's output, which CI tools show
    // beside the test list.
    let notes: Vec<String> = stop_diagnosis(results)
        .into_iter()
        .chain(provisioning_notes(results))
        .collect();
    if !notes.is_empty() {
        suite.set_system_out(notes.join("\n"));
    }
    suite.add_test_cases(results.iter().map(|r| test_case(r, info)));
    let mut report = Report::new("addperm");
    report.add_test_suite(suite);
    report.to_string().map_err(|e| e.to_string())
}

fn test_case(r: &CaseResult, info: &RunInfo) -> TestCase {
    let status = match r.verdict {
        Verdict::Pass => TestCaseStatus::success(),
        // Not run: the run stopped before it (the message says where the target stopped
        // answering), which CI tools show as skipped, not as a failure of the case.
        Verdict::NotRun => {
            let mut s = TestCaseStatus::skipped();
            s.set_type(Verdict::NotRun.as_str()).set_message(message(r));
            s
        }
        verdict => {
            let kind = if verdict == Verdict::Mismatch {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_type(verdict.as_str())
                .set_message(message(r))
                .set_description(case_block(r, &info.endpoint));
            s
        }
    };
    let mut t = TestCase::new(r.id.clone(), status);
    // CI tools group test cases by class: group them by the member under test.
    t.set_classname(match member_of(&r.tags) {
        Some(m) => format!("addperm.{m}"),
        None => "addperm".to_string(),
    });
    t
}

/// One line for CI summaries: the differing fields, or why there was no answer.
fn message(r: &CaseResult) -> String {
    if let Some(d) = &r.detail {
        return d.clone();
    }
    let line = r
        .differences
        .iter()
        .map(|d| format!("{}: expected {}, got {}", d.field, d.expected, d.actual))
        .collect::<Vec<_>>()
        .join("; ");
    clip(&line, 300)
}
