//! Running cases against a target: each case played by the [`Player`], its answer compared
//! with its expectation at a chosen strictness, one verdict per case; baselines of known
//! divergences, shards, pairwise comparison for `diff`, and answers recorded as cases
//! (`record`).

mod baseline;
mod compare;
mod pair;
mod record;
mod shard;

pub use baseline::{Baseline, BaselineError, Divergence, Judgement};
pub use compare::compare;
pub use pair::compare_pair;
pub use record::{recorded, RECORDED_TAG};
pub use shard::Shard;

use crate::case::Case;
use crate::outcome::{CaseResult, Compare, Verdict};
use crate::player::{PlayError, Player};
use crate::target::Target;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub compare: Compare,
    /// Parallel sessions; 0 or 1 runs cases one after the other.
    pub jobs: usize,
}

/// Runs every case against `target`; results come back in case order. `progress` is called
/// once per finished case (from any worker thread).
pub fn run(
    target: &dyn Target,
    cases: &[Case],
    options: &RunOptions,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let jobs = options.jobs.max(1).min(cases.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let result = run_case(target, case, options.compare);
                progress(&result);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Runs one case in a session of its own.
pub fn run_case(target: &dyn Target, case: &Case, mode: Compare) -> CaseResult {
    let mut result = CaseResult {
        id: case.id.clone(),
        tags: case.tags.clone(),
        verdict: Verdict::TargetError,
        expected: case.expect.clone(),
        actual: None,
        differences: Vec::new(),
        detail: None,
        sent: None,
        shrunk: None,
    };
    let mut player = match Player::open(target) {
        Ok(p) => p,
        Err(e) => {
            result.detail = Some(e.to_string());
            return result;
        }
    };
    let played = match player.play(&case.given, &case.request) {
        Ok(played) => played,
        Err(e) => {
            result.verdict = match e {
                PlayError::Setup(_) => Verdict::SetupFailure,
                PlayError::Target(_) => Verdict::TargetError,
            };
            result.detail = Some(e.to_string());
            return result;
        }
    };
    result.sent = Some(played.prepared.sent.clone());
    let expected = played.resolve(&case.expect);
    let (differences, observed) = match played.judge(&expected, |e, o| compare(e, o, mode)) {
        Ok(judged) => judged,
        Err(e) => {
            result.detail = Some(e.to_string());
            return result;
        }
    };
    result.verdict = if differences.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Mismatch
    };
    result.differences = differences;
    result.expected = expected;
    result.actual = Some(observed);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Placeholders;
    use crate::target::{Session, TargetError};
    use crate::wire::{Operation, Response};

    /// A target that renames every function `<name>-x` and answers every AddPermission with the
    /// alias-not-found error for the renamed function.
    struct Renaming;

    struct RenamingSession;

    impl Target for Renaming {
        fn name(&self) -> String {
            "renaming".into()
        }
        fn placeholders(&self) -> Placeholders {
            Placeholders::default()
        }
        fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
            Ok(Box::new(RenamingSession))
        }
    }

    impl Session for RenamingSession {
        fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
            Ok(match op {
                Operation::AddPermission(r) => {
                    let mut resp = Response::json(
                        404,
                        format!(
                            r#"{{"Message":"Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:{}:{}"}}"#,
                            r.function_name,
                            r.qualifier.as_deref().unwrap_or_default()
                        ),
                    );
                    resp.headers.push((
                        "x-amzn-errortype".into(),
                        "ResourceNotFoundException".into(),
                    ));
                    resp
                }
                _ => Response::json(201, "{}".into()),
            })
        }
        fn function_name(&self, original: &str) -> String {
            format!("{original}-x")
        }
    }

    #[test]
    fn renaming_reaches_plain_and_escaped_names_in_message_regexes() {
        // (the case's function, how the regex spells it)
        for (name, spelled) in [
            ("fixture-fn", "fixture-fn"),
            ("fixture-fn", "fixture\\\\-fn"),
            ("f", "f"),
        ] {
            let line = format!(
                r#"{{"id": "a", "given": {{"functions": [{{"name": "{name}"}}]}}, "request": {{"function_name": "{name}", "qualifier": "nope", "body": {{}}}}, "expect": {{"status": 404, "error_type": "ResourceNotFoundException", "message_like": "^Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:{spelled}:nope$"}}}}"#
            );
            let cases = crate::case::parse(&line, "t").unwrap();
            let r = run_case(&Renaming, &cases[0], Compare::Message);
            assert_eq!(r.verdict, Verdict::Pass, "{spelled}: {:?}", r.differences);
        }
    }
}
