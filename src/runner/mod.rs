//! Running cases against a target: each case played by the [`Player`], its answer compared
//! with its expectation at a chosen strictness, one verdict per case; baselines of known
//! divergences, shards, pairwise comparison for `diff`, and answers recorded as cases
//! (`record`).

mod baseline;
mod compare;
mod pair;
mod record;
mod repeat;
mod shard;

pub use baseline::{day_text, parse_day, Baseline, BaselineError, Divergence, Judgement};
pub use compare::compare;
pub use pair::compare_pair;
pub use record::{recorded, RECORDED_TAG};
pub use repeat::{merge, run_concurrency_check, run_repeated, CONCURRENCY, REPEAT};
pub use shard::Shard;

use crate::case::Case;
use crate::contract::{POLICY_ID, POLICY_VERSION};
use crate::outcome::{CaseResult, Compare, StoredCheck, Verdict};
use crate::player::{self, PlayError, Played, Player, Pool, Read, Stored, WorldPlay};
use crate::target::Target;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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

/// A request from outside a run (a person's Ctrl-C) to stop it: no case starts after it, the
/// cases in flight finish, and the fixture pools delete what they made, so an interrupted run
/// leaves nothing behind on the target and still reports every case that ran. Clones share
/// the request.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Asks every run holding this (or a clone) to stop.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_interrupted(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
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
    /// Run every case even after the target stopped answering (see [`dead_after`]); by
    /// default the run stops there and the cases left are [`Verdict::NotRun`].
    pub keep_going: bool,
    /// Stops the run when interrupted: the cases not started are [`Verdict::NotRun`].
    pub interrupt: Interrupt,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            compare: Compare::default(),
            jobs: 0,
            fixtures: Fixtures::default(),
            state_check: true,
            keep_going: false,
            interrupt: Interrupt::default(),
        }
    }
}

/// How many cases in a row must end in a transport failure (connection refused or reset, no
/// answer within the time-out), with nothing answered since, before a run with `jobs`
/// parallel sessions takes the target for dead and stops: `2 x jobs`, at least 5.
///
/// Counted in the order cases finish. When a target dies, the up to `jobs` cases in flight
/// all fail at once: they are one piece of news, not `jobs` of them, so the streak must also
/// take in a second round of cases started after the failure began. Five at least, so that a
/// one-off reset (a keep-alive connection the target closed) never stops a one-job run. A
/// target that answers at all, however badly (a 5xx, garbage, a wrong body), is alive: any
/// answer ends the streak.
pub fn dead_after(jobs: usize) -> usize {
    (2 * jobs.max(1)).max(5)
}

/// Runs every case against `target`; results come back in case order. `progress` is called
/// once per case that ran (from any worker thread). With [`Fixtures::Reuse`] on a target
/// that keeps state between cases, each worker lends fixtures from a pool of its own.
///
/// Unless `options.keep_going`, the run stops once the target has stopped answering
/// ([`dead_after`]): the cases in flight finish, no other starts, and every case that did not
/// start is [`Verdict::NotRun`], its `detail` naming the case where the target stopped
/// answering and why. Cases start in case order, so the cases not run are the last ones; which
/// they are depends on `jobs`, the verdicts of the cases that ran do not.
pub fn run(
    target: &dyn Target,
    cases: &[Case],
    options: &RunOptions,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let jobs = options.jobs.max(1).min(cases.len().max(1));
    let limit = (!options.keep_going).then(|| dead_after(options.jobs));
    let watch = Mutex::new(Watch::default());
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    let pooled = options.fixtures == Fixtures::Reuse && target.reusable_fixtures();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut pool = None;
                loop {
                    // A statement of its own: the lock is let go before the case runs.
                    let interrupted = options.interrupt.is_interrupted();
                    let Some(i) = lock(&watch).start(cases.len(), interrupted) else {
                        break;
                    };
                    if pooled && pool.is_none() {
                        pool = Pool::open(target).ok();
                    }
                    let (result, silent) = play_case(target, &cases[i], options, pool.as_mut());
                    progress(&result);
                    lock(&watch).finished(i, &result, silent, limit);
                    lock(&results)[i] = Some(result);
                }
            });
        }
    });
    let stopped = watch
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .diagnosis();
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results
        .into_iter()
        .zip(cases)
        .map(|(r, case)| r.unwrap_or_else(|| not_run(case, stopped.as_deref())))
        .collect()
}

/// One case on `target`, on the calling thread, in a session of its own (no pool): what
/// [`run`] gives for a one-case suite, for callers that play cases one at a time (a fuzz
/// target plays each input this way, where a thread per input would cost more than the case).
pub fn run_one(target: &dyn Target, case: &Case, options: &RunOptions) -> CaseResult {
    play_case(target, case, options, None).0
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the workers of a run share: the next case to start, and whether the target still
/// answers.
#[derive(Debug, Default)]
struct Watch {
    next: usize,
    /// Cases finished in a row (in the order they finished) with a transport failure.
    streak: usize,
    /// The last case, in case order, that got an answer.
    answered: Option<usize>,
    /// Every case without an answer after that one: index -> its id and why it failed.
    silent: BTreeMap<usize, (String, String)>,
    /// Whether the run has stopped: no case starts any more.
    stopped: bool,
    /// Whether it stopped because it was interrupted.
    interrupted: bool,
}

impl Watch {
    /// The next case to start, or `None` when there is none or the run has stopped (now, if
    /// it was `interrupted` with cases left).
    fn start(&mut self, len: usize, interrupted: bool) -> Option<usize> {
        if interrupted && !self.stopped && self.next < len {
            self.stopped = true;
            self.interrupted = true;
        }
        if self.stopped || self.next >= len {
            return None;
        }
        self.next += 1;
        Some(self.next - 1)
    }

    /// Notes that case `i` finished, `silent` when the target never answered it; stops the run
    /// when `limit` silent cases have finished in a row.
    fn finished(&mut self, i: usize, r: &CaseResult, silent: bool, limit: Option<usize>) {
        let after_answers = !matches!(self.answered, Some(a) if a >= i);
        if !silent {
            self.streak = 0;
            if after_answers {
                self.answered = Some(i);
                self.silent = self.silent.split_off(&(i + 1));
            }
            return;
        }
        self.streak += 1;
        if after_answers {
            let why = r.detail.clone().unwrap_or_default();
            self.silent.insert(i, (r.id.clone(), why));
        }
        if limit.is_some_and(|limit| self.streak >= limit) {
            self.stopped = true;
        }
    }

    /// Why the run stopped, once every case in flight has finished (`None` if it did not):
    /// the target stopped answering at the first case, in case order, after the last one it
    /// answered. Cases finish in any order, so that need not be the case whose failure began
    /// the streak; and there is one, since a streak of 2 x jobs holds more cases than were in
    /// flight when the last answer came.
    fn diagnosis(&self) -> Option<String> {
        if !self.stopped {
            return None;
        }
        if self.interrupted {
            return Some(format!(
                "the run was interrupted after {} cases had started",
                self.next
            ));
        }
        let (at, (id, why)) = self.silent.iter().next()?;
        Some(format!(
            "the target stopped answering at case {} ({id}): {why}",
            at + 1
        ))
    }
}

/// The result of a case the run stopped before; `why` is the run's diagnosis.
fn not_run(case: &Case, why: Option<&str>) -> CaseResult {
    CaseResult {
        detail: Some(why.unwrap_or("the run stopped").to_string()),
        ..CaseResult::new(
            case.id.clone(),
            case.tags.clone(),
            Verdict::NotRun,
            case.expect.clone(),
        )
    }
}

/// Runs one case in a session of its own, with the stored-policy check.
pub fn run_case(target: &dyn Target, case: &Case, mode: Compare) -> CaseResult {
    let options = RunOptions {
        compare: mode,
        ..RunOptions::default()
    };
    play_case(target, case, &options, None).0
}

/// Runs one case: with fixtures from `pool`, or in a session of its own. Also says whether the
/// case ended in a transport failure ([`no_answer`](crate::target::TargetError::no_answer)), which is how [`run`] tells a target that
/// stopped answering.
fn play_case(
    target: &dyn Target,
    case: &Case,
    options: &RunOptions,
    pool: Option<&mut Pool>,
) -> (CaseResult, bool) {
    let mut result = CaseResult::new(
        case.id.clone(),
        case.tags.clone(),
        Verdict::TargetError,
        case.expect.clone(),
    );
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
            let no_answer = matches!(&e, PlayError::Target(t) if t.no_answer());
            result.verdict = match e {
                PlayError::Setup(_) => Verdict::SetupFailure,
                PlayError::Target(_) => Verdict::TargetError,
            };
            result.detail = Some(e.to_string());
            return (result, no_answer);
        }
    };
    result.sent = Some(played.prepared.sent.clone());
    result.provisioning = played.provisioning.clone();
    let expected = played.resolve(&case.expect);
    let (mut differences, observed) =
        match played.judge(&expected, |e, o| compare(e, o, options.compare)) {
            Ok(judged) => judged,
            Err(e) => {
                result.detail = Some(e.to_string());
                return (result, e.no_answer());
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
    (result, false)
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

    /// A target whose sessions answer as the reference does while `answers(n)` holds for the
    /// session's number (0, 1, ... in the order they open), and refuse every request after.
    struct Dying {
        answers: fn(usize) -> bool,
        opened: std::sync::atomic::AtomicUsize,
        reference: crate::target::ReferenceTarget,
    }

    struct Refused;

    impl Session for Refused {
        fn send(&mut self, _: &Operation) -> Result<Response, TargetError> {
            Err(TargetError::Connect("refused".into()))
        }
    }

    impl Target for Dying {
        fn name(&self) -> String {
            "dying".into()
        }
        fn placeholders(&self) -> Placeholders {
            Placeholders::default()
        }
        fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
            let n = self
                .opened
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if (self.answers)(n) {
                self.reference.session()
            } else {
                Ok(Box::new(Refused))
            }
        }
    }

    fn dying(answers: fn(usize) -> bool) -> Dying {
        Dying {
            answers,
            opened: Default::default(),
            reference: Default::default(),
        }
    }

    /// `n` cases the reference answers with 404 (no function given), so each passes.
    fn cases(n: usize) -> Vec<Case> {
        (0..n)
            .map(|i| {
                let line = format!(
                    r#"{{"id": "c{i}", "request": {{"function_name": "f", "body": {{"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}}}}, "expect": {{"status": 404}}}}"#
                );
                crate::case::parse(&line, "t").unwrap().remove(0)
            })
            .collect()
    }

    fn verdicts(results: &[CaseResult]) -> Vec<Verdict> {
        results.iter().map(|r| r.verdict).collect()
    }

    fn options(jobs: usize, keep_going: bool) -> RunOptions {
        RunOptions {
            jobs,
            keep_going,
            ..RunOptions::default()
        }
    }

    #[test]
    fn a_target_that_stops_answering_stops_the_run() {
        let results = run(&dying(|n| n < 3), &cases(20), &options(1, false), &|_| {});
        let mut want = vec![Verdict::Pass; 3];
        want.extend([Verdict::TargetError; 5]);
        want.extend([Verdict::NotRun; 12]);
        assert_eq!(verdicts(&results), want);
        assert_eq!(
            results[8].detail.as_deref(),
            Some("the target stopped answering at case 4 (c3): connection failed: refused")
        );
        assert_eq!(
            crate::outcome::stop_diagnosis(&results).unwrap(),
            "the target stopped answering at case 4 (c3): connection failed: refused; 12 cases not run"
        );
        let all = run(&dying(|n| n < 3), &cases(20), &options(1, true), &|_| {});
        assert_eq!(
            all[3..]
                .iter()
                .filter(|r| r.verdict == Verdict::TargetError)
                .count(),
            17
        );
    }

    #[test]
    fn any_answer_ends_the_streak() {
        // Four refusals in a row at most, then an answer: never dead at one job.
        let results = run(
            &dying(|n| n % 5 == 4),
            &cases(40),
            &options(1, false),
            &|_| {},
        );
        assert!(!verdicts(&results).contains(&Verdict::NotRun));
    }

    #[test]
    fn parallel_runs_stop_too_and_leave_the_last_cases_not_run() {
        for jobs in [2, 4, 8] {
            let results = run(
                &dying(|n| n < 3),
                &cases(60),
                &options(jobs, false),
                &|_| {},
            );
            let v = verdicts(&results);
            let ran = v.iter().take_while(|v| **v != Verdict::NotRun).count();
            assert!(
                v[ran..].iter().all(|v| *v == Verdict::NotRun),
                "{jobs}: {v:?}"
            );
            assert!(ran >= 3 + dead_after(jobs) && ran < 60, "{jobs}: {v:?}");
            assert_eq!(
                v.iter().filter(|v| **v == Verdict::Pass).count(),
                3,
                "{jobs}"
            );
        }
    }

    #[test]
    fn an_interrupted_run_starts_no_case_after_and_says_so() {
        let target = crate::target::ReferenceTarget::default();
        let options = options(1, true);
        let interrupt = options.interrupt.clone();
        let results = run(&target, &cases(5), &options, &|r| {
            if r.id == "c1" {
                interrupt.interrupt();
            }
        });
        use Verdict::{NotRun, Pass};
        assert_eq!(verdicts(&results), [Pass, Pass, NotRun, NotRun, NotRun]);
        assert_eq!(
            crate::outcome::stop_diagnosis(&results).as_deref(),
            Some("the run was interrupted after 2 cases had started; 3 cases not run")
        );
        // Interrupted before the last case finished, with none left to start: nothing is lost.
        let options = self::options(1, true);
        let interrupt = options.interrupt.clone();
        let all = run(&target, &cases(2), &options, &|r| {
            if r.id == "c1" {
                interrupt.interrupt();
            }
        });
        assert_eq!(verdicts(&all), [Pass, Pass]);
    }
}
