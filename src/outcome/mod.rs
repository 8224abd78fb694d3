//! The result data of a run: verdicts, per-case results, differences, shrink notes, pairs and
//! failure keys.
//!
//! One low module that the runner writes and everyone above reads (the shrinker, the reports,
//! the fuzzer, the CLI), so no reader has to import the code that produced a result. Nothing
//! here runs a case.

mod key;

pub use key::{
    constraint_of, failure_key, member_of, pair_failure_key, FailureKey, CONSTRAINT_TAGS,
};

use crate::case::Expect;
use crate::target::Observed;
use serde::Serialize;
use std::fmt;

/// How much of an answer must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compare {
    /// The HTTP status only.
    Status,
    /// Status and error type.
    Type,
    /// Status, error type, message (`message_like`) and statement as JSON values.
    #[default]
    Message,
    /// As `message`, plus the raw statement bytes (key order, compact JSON) and content type.
    Exact,
}

impl Compare {
    pub const ALL: [Compare; 4] = [
        Compare::Status,
        Compare::Type,
        Compare::Message,
        Compare::Exact,
    ];

    /// The name reports and `--compare` use.
    pub fn name(self) -> &'static str {
        match self {
            Compare::Status => "status",
            Compare::Type => "type",
            Compare::Message => "message",
            Compare::Exact => "exact",
        }
    }

    /// The strictness called `name`.
    pub fn from_name(name: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// How a case ended.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Mismatch,
    SetupFailure,
    TargetError,
    /// The case answered differently in runs that should have answered alike (`--repeat`,
    /// `--concurrency-check`): the implementation is nondeterministic there, most often a race.
    /// Its differences hold the answers side by side; no one answer is the case's.
    Flaky,
    /// The case was never sent: the run stopped before it, because the target had stopped
    /// answering (`detail` says where and why). Neither a pass nor a failure of the target's
    /// behaviour: it is not a finding, and a baseline neither records nor judges it.
    NotRun,
}

impl Verdict {
    /// Every verdict, in the order reports count them.
    pub const ALL: [Verdict; 6] = [
        Verdict::Pass,
        Verdict::Mismatch,
        Verdict::SetupFailure,
        Verdict::TargetError,
        Verdict::Flaky,
        Verdict::NotRun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Mismatch => "mismatch",
            Verdict::SetupFailure => "setup-failure",
            Verdict::TargetError => "target-error",
            Verdict::Flaky => "flaky",
            Verdict::NotRun => "not-run",
        }
    }

    /// Whether the case ran and did not pass: what reports show a block for, findings group,
    /// baselines record and `--save-failures` keeps. A case that was not run is none of those.
    pub fn failed(self) -> bool {
        !matches!(self, Verdict::Pass | Verdict::NotRun)
    }
}

/// The request as it was sent (after placeholders), for reports and replays.
///
/// `function_name` carries the case's own function name, as every report shows it: a curl line
/// that reproduces a case needs its `given` set up anyway, and replayed against a fresh target
/// the case's names are the ones that exist. Where the session renamed the function (a shared
/// HTTP target), the name that actually went over the wire is kept in `sent_function_name`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentRequest {
    pub function_name: String,
    pub qualifier: Option<String>,
    pub body: String,
    /// The path segment as sent, where the session renamed the function; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_function_name: Option<String>,
}

/// The difference fields of the stored-policy check: a statement the target stored that AWS
/// would not have (access AWS refused is granted); any other difference of the stored policy;
/// a RevisionId that changed when AWS's did not, or the other way round.
pub const POLICY_GRANT: &str = "policy-grant";
pub const POLICY: &str = "policy";
pub const POLICY_REVISION: &str = "policy-revision";

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub field: &'static str,
    pub expected: String,
    pub actual: String,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub id: String,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    /// The expectation after placeholders. Like `actual` and `differences`, it names functions
    /// as the case does, even where the session renamed them (see [`SentRequest`]).
    pub expected: Expect,
    pub actual: Option<Observed>,
    pub differences: Vec<Difference>,
    /// Why setup failed or the target gave no answer.
    pub detail: Option<String>,
    pub sent: Option<SentRequest>,
    /// For a failing generated case: how it was shrunk (`None` for every other result).
    pub shrunk: Option<ShrinkNote>,
    /// The stored-policy check, where one ran (the request addressed an existing function).
    pub stored: Option<StoredCheck>,
    /// Setup calls of this case that succeeded with another status than AWS's: played on,
    /// and reported once per operation for the whole run (see [`provisioning_notes`]).
    pub provisioning: Vec<ProvisioningDivergence>,
}

impl CaseResult {
    /// A result with `verdict` and nothing observed yet: where the runner starts a case it
    /// plays, and what a case the run stopped before stays. One place names every field, so a
    /// field added later is added once.
    pub fn new(id: String, tags: Vec<String>, verdict: Verdict, expected: Expect) -> CaseResult {
        CaseResult {
            id,
            tags,
            verdict,
            expected,
            actual: None,
            differences: Vec::new(),
            detail: None,
            sent: None,
            shrunk: None,
            stored: None,
            provisioning: Vec::new(),
        }
    }
}

/// A setup call that succeeded (a 2xx with what the player needs) with another status than
/// AWS answers: not a setup failure, since the case can still be played and its own answer
/// judged, but a difference from AWS a user should hear about, once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ProvisioningDivergence {
    /// The operation, as [`crate::wire::Operation::name`] spells it (`CreateAlias`).
    pub operation: String,
    /// AWS's status.
    pub expected: u16,
    /// The target's status.
    pub got: u16,
}

impl ProvisioningDivergence {
    /// The divergence as one line, for the reports' notes.
    pub fn note(&self) -> String {
        format!(
            "provisioning: {} answered {} where AWS answers {}; the cases that needed it were \
             played on and judged on their own answers",
            self.operation, self.got, self.expected
        )
    }
}

/// Every distinct provisioning divergence of a run, in a fixed order (operation, then
/// statuses): which case made a call depends on fixture reuse and `--jobs`, so reports name
/// the operation, never a case.
pub fn provisioning_divergences(results: &[CaseResult]) -> Vec<ProvisioningDivergence> {
    let all: std::collections::BTreeSet<_> =
        results.iter().flat_map(|r| r.provisioning.iter()).collect();
    all.into_iter().cloned().collect()
}

/// [`provisioning_divergences`] as notes, one line each.
pub fn provisioning_notes(results: &[CaseResult]) -> Vec<String> {
    provisioning_divergences(results)
        .iter()
        .map(ProvisioningDivergence::note)
        .collect()
}

/// The stored-policy check of one case: what AWS holds for the request's function and
/// qualifier after the request, and what the target holds, both under the case's names and
/// without what earlier cases left on a lent fixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCheck {
    /// The policy document AWS holds; `None`: no policy.
    pub expected: Option<serde_json::Value>,
    /// Whether `expected` comes from the reference playing the case (the case states none).
    pub inferred: bool,
    /// The target's policy document (`None`: no policy), or why GetPolicy's answer could not be
    /// read.
    pub actual: Result<Option<serde_json::Value>, String>,
    /// Whether the policy's RevisionId changed with the request: (AWS, target), where the
    /// target's RevisionId before the request is known.
    pub revision_changed: Option<(bool, bool)>,
}

/// Counts of each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub mismatch: usize,
    pub setup_failure: usize,
    pub target_error: usize,
    pub flaky: usize,
    pub not_run: usize,
}

impl Summary {
    pub fn of(results: &[CaseResult]) -> Summary {
        let mut s = Summary {
            total: results.len(),
            ..Summary::default()
        };
        for r in results {
            match r.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::Mismatch => s.mismatch += 1,
                Verdict::SetupFailure => s.setup_failure += 1,
                Verdict::TargetError => s.target_error += 1,
                Verdict::Flaky => s.flaky += 1,
                Verdict::NotRun => s.not_run += 1,
            }
        }
        s
    }

    /// The cases that ran and did not pass.
    pub fn failed(&self) -> usize {
        self.total - self.pass - self.not_run
    }

    /// The count of `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        match verdict {
            Verdict::Pass => self.pass,
            Verdict::Mismatch => self.mismatch,
            Verdict::SetupFailure => self.setup_failure,
            Verdict::TargetError => self.target_error,
            Verdict::Flaky => self.flaky,
            Verdict::NotRun => self.not_run,
        }
    }

    /// The closing line: `N passed, M failed`, and `, K not run` when the run stopped early.
    pub fn line(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.pass, self.failed());
        if self.not_run > 0 {
            line.push_str(&format!(", {} not run", self.not_run));
        }
        line
    }
}

/// The one line that says why a run stopped early, when it did: the reason every not-run case
/// carries (where and why the target stopped answering, see [`Verdict::NotRun`]) and how many
/// cases were not run. Reports print it once, instead of a block per case.
pub fn stop_diagnosis(results: &[CaseResult]) -> Option<String> {
    let mut not_run = results.iter().filter(|r| r.verdict == Verdict::NotRun);
    let first = not_run.next()?;
    let n = 1 + not_run.count();
    let why = first.detail.as_deref().unwrap_or("the run stopped");
    let cases = if n == 1 { "case" } else { "cases" };
    Some(format!("{why}; {n} {cases} not run"))
}

/// Why shrinking a case stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShrinkStop {
    /// No simpler candidate fails the same way: the case is minimal for its strategy.
    Minimal,
    /// The candidate limit was reached.
    Candidates,
    /// The run's shrink time ran out.
    Time,
    /// The strategy could not draw the case again, or gave up while simplifying.
    Strategy,
}

/// How a reported case came from the generated case that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShrinkNote {
    /// The id of the generated case that failed.
    pub from: String,
    /// Simplifications kept; 0 when the reported case is the original.
    pub steps: usize,
    /// Candidates run on the target.
    pub tried: usize,
    pub stop: ShrinkStop,
}

impl fmt::Display for ShrinkNote {
    /// One line for the text report, under the case's header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.stop {
            ShrinkStop::Minimal => "minimal",
            ShrinkStop::Candidates => "candidate limit reached",
            ShrinkStop::Time => "shrink time ran out",
            ShrinkStop::Strategy => "the strategy gave up",
        };
        let tried = match self.tried {
            1 => "1 candidate".to_string(),
            n => format!("{n} candidates"),
        };
        if self.steps == 0 {
            let what = match self.stop {
                ShrinkStop::Minimal => "no simpler case fails the same way",
                _ => why,
            };
            return write!(f, "not shrunk: {what} ({tried} tried)");
        }
        write!(
            f,
            "shrunk from {} in {} step{} ({tried} tried, {why})",
            self.from,
            self.steps,
            if self.steps == 1 { "" } else { "s" }
        )
    }
}

/// How a case went on two targets (`addperm diff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PairVerdict {
    /// Both answered, and the answers agree at the chosen strictness.
    Same,
    /// The answers disagree, or only one target answered at all.
    Differ,
    /// Neither target answered (setup failed or the target broke on both sides), or the case
    /// was not run on one of them, so there is nothing to compare; counted apart so a broken
    /// case is not taken for agreement.
    NotCompared,
}

/// A case's result on target A and on target B.
#[derive(Debug, Clone, PartialEq)]
pub struct PairResult {
    pub id: String,
    pub tags: Vec<String>,
    pub verdict: PairVerdict,
    /// `expected` is A's side, `actual` B's.
    pub differences: Vec<Difference>,
    /// The case's result on A, its answer read with the case's function names.
    pub a: CaseResult,
    pub b: CaseResult,
    /// For a generated case whose answers differ: how it was shrunk.
    pub shrunk: Option<ShrinkNote>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_read_as_one_line() {
        let mut note = ShrinkNote {
            from: "gen-valid-0-3".into(),
            steps: 12,
            tried: 40,
            stop: ShrinkStop::Minimal,
        };
        assert_eq!(
            note.to_string(),
            "shrunk from gen-valid-0-3 in 12 steps (40 candidates tried, minimal)"
        );
        note.steps = 0;
        note.tried = 1;
        assert_eq!(
            note.to_string(),
            "not shrunk: no simpler case fails the same way (1 candidate tried)"
        );
        note.stop = ShrinkStop::Time;
        assert_eq!(
            note.to_string(),
            "not shrunk: shrink time ran out (1 candidate tried)"
        );
    }
}
