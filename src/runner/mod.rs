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
use crate::contract::{POLICY_ID, POLICY_VERSION};
use crate::outcome::{CaseResult, Compare, StoredCheck, Verdict};
use crate::player::{self, PlayError, Played, Player, Pool, Read, Stored, WorldPlay};
use crate::target::Target;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How a case's `given` functions are provided on a target that keeps state between cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fixtures {
    /// Lent from a pool per worker, where the reference shows the case cannot tell them from
    /// new ones (see the player's pool); made once, deleted at the end of the run.
    #[default]
    Reuse,
    /// Made for every case and deleted after it.
    Fresh,
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub compare: Compare,
    /// Parallel sessions; 0 or 1 runs cases one after the other.
    pub jobs: usize,
    pub fixtures: Fixtures,
    /// Whether the policy the request addressed is read after each case and compared with
    /// what AWS stores (at `--compare message` and `exact`).
    pub state_check: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            compare: Compare::default(),
            jobs: 0,
            fixtures: Fixtures::default(),
            state_check: true,
        }
    }
}

/// Runs every case against `target`; results come back in case order. `progress` is called
/// once per finished case (from any worker thread). With [`Fixtures::Reuse`] on a target that
/// keeps state between cases, each worker lends fixtures from a pool of its own.
pub fn run(
    target: &dyn Target,
    cases: &[Case],
    options: &RunOptions,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let jobs = options.jobs.max(1).min(cases.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    let pooled = options.fixtures == Fixtures::Reuse && target.reusable_fixtures();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut pool = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    if pooled && pool.is_none() {
                        pool = Pool::open(target).ok();
                    }
                    let result = play_case(target, case, options, pool.as_mut());
                    progress(&result);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(result);
                    }
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

/// Runs one case in a session of its own, with the stored-policy check.
pub fn run_case(target: &dyn Target, case: &Case, mode: Compare) -> CaseResult {
    let options = RunOptions {
        compare: mode,
        ..RunOptions::default()
    };
    play_case(target, case, &options, None)
}

/// Runs one case: with fixtures from `pool`, or in a session of its own.
fn play_case(
    target: &dyn Target,
    case: &Case,
    options: &RunOptions,
    pool: Option<&mut Pool>,
) -> CaseResult {
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
        stored: None,
    };
    let state_check = options.state_check && options.compare >= Compare::Message;
    let vars = target.placeholders();
    // The case on a fresh world: what AWS stores, and what a lent fixture must match.
    let fresh = (state_check || pool.is_some())
        .then(|| {
            let mut world = player::fresh_world(&vars);
            player::world_play(&mut world, &vars, &case.given, &case.request).ok()
        })
        .flatten();
    let played = match pool {
        Some(pool) => pool
            .play(&case.given, &case.request, fresh.as_ref())
            .map(|p| (p.played, p.read)),
        None => Player::open(target)
            .map_err(PlayError::from)
            .and_then(|mut player| {
                let checked = fresh
                    .as_ref()
                    .filter(|f| state_check && f.addressed.is_some());
                player.play_reading(&case.given, &case.request, checked)
            }),
    };
    let (played, read) = match played {
        Ok(p) => p,
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
    let (mut differences, observed) =
        match played.judge(&expected, |e, o| compare(e, o, options.compare)) {
            Ok(judged) => judged,
            Err(e) => {
                result.detail = Some(e.to_string());
                return result;
            }
        };
    if let (true, Some(fresh), Some(read)) = (state_check, &fresh, &read) {
        let check = stored_check(&expected, fresh, read, &played);
        differences.extend(compare::compare_stored(&check));
        result.stored = Some(check);
    }
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

/// What AWS stores and what the target stored, under the case's names.
fn stored_check(
    expected: &crate::case::Expect,
    fresh: &WorldPlay,
    read: &Read,
    played: &Played,
) -> StoredCheck {
    let document = |statements: Vec<Value>| {
        (!statements.is_empty())
            .then(|| json!({"Version": POLICY_VERSION, "Id": POLICY_ID, "Statement": statements}))
    };
    let (expected_policy, inferred) = match &expected.policy {
        Some(Value::Null) => (None, false),
        Some(p) => (Some(p.clone()), false),
        None => (
            document(
                fresh
                    .after
                    .iter()
                    .filter_map(|(_, text)| serde_json::from_str(text).ok())
                    .collect(),
            ),
            true,
        ),
    };
    let actual = match &read.stored {
        Stored::Unreadable(why) => Err(why.clone()),
        stored => {
            let mut leftovers: HashMap<&str, usize> = HashMap::new();
            for s in &read.leftovers {
                *leftovers.entry(s.as_str()).or_default() += 1;
            }
            let statements: Vec<Value> = stored
                .statements()
                .iter()
                .filter(|s| match leftovers.get_mut(player::sid(s)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                })
                .map(|s| match &played.prepared.renaming {
                    Some(r) => r.value_back(s),
                    None => s.clone(),
                })
                .collect();
            Ok(match stored {
                Stored::Policy { document: d, .. } if !statements.is_empty() => {
                    let mut d = d.clone();
                    d["Statement"] = Value::Array(statements);
                    Some(d)
                }
                _ => None,
            })
        }
    };
    // The RevisionId change is AWS's as the reference plays the case: judged only where the
    // expected policy is the reference's too (a case that states its policy states no
    // RevisionId change).
    let revision_changed = match (&read.revision_before, read.stored.revision()) {
        (Some(before), Some(after)) if inferred => {
            Some((fresh.revision_changed, before.as_deref() != after))
        }
        _ => None,
    };
    StoredCheck {
        expected: expected_policy,
        inferred,
        actual,
        revision_changed,
    }
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
