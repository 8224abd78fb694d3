//! Shrinking generated failing cases before they are reported.
//!
//! A generated case carries whatever the RNG drew: a 60-character function name, six optional
//! members, an alias nobody needs. Before a failing one is reported, its value tree (drawn
//! again from its [`Origin`]) is walked with proptest's `simplify`/`complicate`, exactly as a
//! proptest failure is, to the simplest case that still fails *the same way*: the same verdict,
//! the same finding ([`FailureKey`]: member and constraint under test, expected -> actual status
//! and error type) and the same differing fields. Each candidate's expectation is re-derived
//! from the reference and its label re-verified ([`Draft::finish`], [`Generated::verify`]), so a
//! simpler case is never judged against the original's answer.
//!
//! Shrinking is bounded twice: candidates per case (each one is a run of the case on the
//! target) and time for the whole run, spent on the first failure of each finding before the
//! others, so every finding gets a small example before the time runs out.
//!
//! [`Draft::finish`]: crate::generate::Draft::finish
//! [`Generated::verify`]: crate::generate::Generated::verify

use crate::case::Case;
use crate::generate::{CandidateTree, Origin};
use crate::outcome::{
    failure_key, pair_failure_key, CaseResult, Compare, FailureKey, PairResult, PairVerdict,
    ShrinkNote, ShrinkStop, Verdict,
};
use crate::runner::{compare_pair, run_case};
use crate::target::Target;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// Bounds on shrinking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Candidates run per failing case.
    pub candidates: usize,
    /// Time for shrinking every failure of a run, together.
    pub time: Duration,
}

impl Default for Limits {
    /// 1000 candidates: proptest simplifies strings a character at a time and a shape's
    /// members one after the other, so the failures of six faults of the catalogue took 140 to
    /// 650 candidates to reach a minimal case (200 left most with every optional member).
    /// The time limit keeps slow targets in check.
    fn default() -> Self {
        Limits {
            candidates: 1000,
            time: Duration::from_secs(30),
        }
    }
}

/// Filtered-out values allowed per candidate run before a walk is given up: they cost no
/// request, but a walk must end.
const REJECTS_PER_CANDIDATE: usize = 20;

/// The id a shrunk case is reported under: the failing case's, marked.
pub(crate) fn shrunk_id(id: &str) -> String {
    format!("{id}-shrunk")
}

/// Walks the value tree of the case `id` drawn from `origin` towards simpler cases, running
/// each candidate through `same_way`, which answers `Some(result)` when the candidate fails as
/// the original did. Returns the simplest such candidate (named [`shrunk_id`]) with its result,
/// or `None` when there is none, and how the walk went.
pub fn shrink<R>(
    origin: &Origin,
    id: &str,
    candidates: usize,
    deadline: Instant,
    mut same_way: impl FnMut(&Case) -> Option<R>,
) -> (Option<(Case, R)>, ShrinkNote) {
    let mut note = ShrinkNote {
        from: id.to_string(),
        steps: 0,
        tried: 0,
        stop: ShrinkStop::Minimal,
    };
    if Instant::now() >= deadline {
        note.stop = ShrinkStop::Time;
        return (None, note);
    }
    let Ok((mut tree, _)) = origin.tree() else {
        note.stop = ShrinkStop::Strategy;
        return (None, note);
    };
    let (mut best, mut rejected) = (None, 0);
    let mut more = step(&mut tree, true);
    let new_id = shrunk_id(id);
    while let Ok(true) = more {
        if note.tried >= candidates {
            note.stop = ShrinkStop::Candidates;
            return (best, note);
        }
        if Instant::now() >= deadline {
            note.stop = ShrinkStop::Time;
            return (best, note);
        }
        // A value the kind's filter rejects is no case at all: step back without a run.
        let Some(draft) = tree.current() else {
            rejected += 1;
            if rejected > REJECTS_PER_CANDIDATE * candidates.max(1) {
                note.stop = ShrinkStop::Strategy;
                return (best, note);
            }
            more = step(&mut tree, false);
            continue;
        };
        note.tried += 1;
        let candidate = draft.finish(new_id.clone());
        // A candidate that no longer carries its label is a generator bug, not a finding.
        let failed = match candidate.verify() {
            Ok(()) => same_way(&candidate.case),
            Err(_) => None,
        };
        more = match failed {
            Some(result) => {
                note.steps += 1;
                best = Some((candidate.case, result));
                step(&mut tree, true)
            }
            None => step(&mut tree, false),
        };
    }
    if more.is_err() {
        note.stop = ShrinkStop::Strategy;
    }
    (best, note)
}

/// One `simplify` (or `complicate`) of `tree`: whether there was a next candidate, or `Err`
/// where one of the strategy's inner filters panicked because it could not step back to an
/// accepted value. That ends the walk, not the run, and is not printed as a crash.
fn step(tree: &mut CandidateTree, simpler: bool) -> Result<bool, ()> {
    silence_step_panics();
    IN_STEP.with(|s| s.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if simpler {
            tree.simplify()
        } else {
            tree.complicate()
        }
    }));
    IN_STEP.with(|s| s.set(false));
    outcome.map_err(|_| ())
}

thread_local! {
    /// Whether this thread is inside [`step`].
    static IN_STEP: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that says nothing for panics inside [`step`] and hands every
/// other panic to the hook that was there before.
fn silence_step_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_STEP.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// The way a check result failed, as shrinking must keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Way {
    verdict: Verdict,
    key: Option<FailureKey>,
    fields: Vec<&'static str>,
    /// For a setup failure, the setup call that failed (`CreateAlias`, ...).
    setup_call: Option<String>,
}

fn way(r: &CaseResult) -> Way {
    let setup_call = (r.verdict == Verdict::SetupFailure)
        .then(|| {
            r.detail
                .as_deref()?
                .split_whitespace()
                .next()
                .map(str::to_string)
        })
        .flatten();
    Way {
        verdict: r.verdict,
        key: failure_key(r),
        fields: r.differences.iter().map(|d| d.field).collect(),
        setup_call,
    }
}

/// Runs `work` on every index of `order` on up to `jobs` threads; results in `order`'s order.
fn in_parallel<U: Send>(
    order: &[usize],
    jobs: usize,
    work: &(dyn Fn(usize) -> U + Sync),
) -> Vec<U> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<U>>> = Mutex::new((0..order.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(order.len().max(1)) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = order.get(k) else { break };
                let u = work(i);
                if let Ok(mut d) = done.lock() {
                    d[k] = Some(u);
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// The indices of `keys` to shrink (those with an origin and a key), the first of each
/// finding before the rest, each group in run order: under a time limit every finding gets
/// its example shrunk first.
fn shrink_order(keys: &[Option<FailureKey>]) -> Vec<usize> {
    let mut seen = HashSet::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for (i, key) in keys.iter().enumerate() {
        if let Some(key) = key {
            if seen.insert(key) {
                first.push(i);
            } else {
                rest.push(i);
            }
        }
    }
    first.extend(rest);
    first
}

/// What a run needs to shrink its failures: each generated case's origin, by case id.
#[derive(Debug, Clone)]
pub struct Shrinker {
    pub origins: HashMap<String, Origin>,
    pub limits: Limits,
    /// Failures shrunk in parallel.
    pub jobs: usize,
}

impl Shrinker {
    /// How many of `results` [`Shrinker::check_failures`] will shrink.
    pub fn shrinkable(&self, results: &[CaseResult]) -> usize {
        results.iter().filter(|r| self.shrinks(r)).count()
    }

    /// Mismatches and setup failures of generated cases; a target error says nothing about
    /// the case (and a hanging target would spend the whole budget on time-outs).
    fn shrinks(&self, r: &CaseResult) -> bool {
        matches!(r.verdict, Verdict::Mismatch | Verdict::SetupFailure)
            && self.origins.contains_key(&r.id)
    }

    /// `cases` and their `results` on `target`, with every failing generated case replaced by
    /// its shrunk form and result (carrying a [`ShrinkNote`]). `progress` is called once per
    /// case shrunk.
    pub fn check_failures(
        &self,
        target: &dyn Target,
        cases: &[Case],
        results: &[CaseResult],
        compare: Compare,
        progress: &(dyn Fn(&CaseResult) + Sync),
    ) -> (Vec<Case>, Vec<CaseResult>) {
        let keys: Vec<Option<FailureKey>> = results
            .iter()
            .map(|r| self.shrinks(r).then(|| failure_key(r)).flatten())
            .collect();
        let wanted: Vec<Way> = results.iter().map(way).collect();
        let same_way = |i: usize, candidate: &Case| {
            let r = run_case(target, candidate, compare);
            (way(&r) == wanted[i]).then_some(r)
        };
        let (order, shrunk) = self.shrink_all(cases, &keys, &same_way, &|i, best, note| {
            let (case, result) = best.unwrap_or_else(|| (cases[i].clone(), results[i].clone()));
            let result = CaseResult {
                shrunk: Some(note),
                ..result
            };
            progress(&result);
            (case, result)
        });
        let (mut cases, mut results) = (cases.to_vec(), results.to_vec());
        for (&i, (case, result)) in order.iter().zip(shrunk) {
            cases[i] = case;
            results[i] = result;
        }
        (cases, results)
    }

    /// As [`Shrinker::check_failures`], for `addperm diff`: the pair of every generated case
    /// whose answers on `a` and `b` differ (neither side a target error) is replaced by the
    /// pair of the simplest case whose answers still differ the same way.
    pub fn diff_failures(
        &self,
        (a, b): (&dyn Target, &dyn Target),
        cases: &[Case],
        pairs: &[PairResult],
        compare: Compare,
    ) -> Vec<PairResult> {
        let pair_way = |p: &PairResult| {
            (
                p.verdict,
                pair_failure_key(p),
                p.differences.iter().map(|d| d.field).collect::<Vec<_>>(),
            )
        };
        let keys: Vec<Option<FailureKey>> = pairs
            .iter()
            .map(|p| {
                let answered = [&p.a, &p.b]
                    .iter()
                    .all(|r| r.verdict != Verdict::TargetError);
                let shrinks = p.verdict == PairVerdict::Differ
                    && answered
                    && self.origins.contains_key(&p.id);
                shrinks.then(|| pair_failure_key(p)).flatten()
            })
            .collect();
        let wanted: Vec<_> = pairs.iter().map(pair_way).collect();
        let same_way = |i: usize, candidate: &Case| {
            let on_a = run_case(a, candidate, compare);
            let on_b = run_case(b, candidate, compare);
            let p = compare_pair(candidate, &on_a, &on_b, compare);
            (pair_way(&p) == wanted[i]).then_some(p)
        };
        let (order, shrunk) = self.shrink_all(cases, &keys, &same_way, &|i, best, note| {
            let pair = best.map_or_else(|| pairs[i].clone(), |(_, p)| p);
            PairResult {
                shrunk: Some(note),
                ..pair
            }
        });
        let mut pairs = pairs.to_vec();
        for (i, pair) in order.into_iter().zip(shrunk) {
            pairs[i] = pair;
        }
        pairs
    }

    /// Shrinks every case with a failure key, biggest buckets first, `jobs` at a time, under one
    /// deadline. `same_way(i, candidate)` runs a candidate for case `i` and gives its result when
    /// it fails the way case `i` did; `done(i, simplest, note)` makes the outcome of case `i`
    /// as soon as it is shrunk. Returns the indices in the order shrunk and their outcomes.
    #[allow(clippy::type_complexity)] // the pair `shrink` returns, passed on
    fn shrink_all<R, U: Send>(
        &self,
        cases: &[Case],
        keys: &[Option<FailureKey>],
        same_way: &(dyn Fn(usize, &Case) -> Option<R> + Sync),
        done: &(dyn Fn(usize, Option<(Case, R)>, ShrinkNote) -> U + Sync),
    ) -> (Vec<usize>, Vec<U>) {
        let order = shrink_order(keys);
        let deadline = Instant::now() + self.limits.time;
        let shrunk = in_parallel(&order, self.jobs, &|i| {
            let case = &cases[i];
            let (best, note) = shrink(
                &self.origins[&case.id],
                &case.id,
                self.limits.candidates,
                deadline,
                |candidate| same_way(i, candidate),
            );
            done(i, best, note)
        });
        (order, shrunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &str) -> Option<FailureKey> {
        Some(FailureKey {
            member: n.into(),
            constraint: "-".into(),
            expected: "201".into(),
            actual: "400".into(),
        })
    }

    #[test]
    fn every_finding_first_then_the_rest() {
        let keys = [key("a"), None, key("a"), key("b"), key("b"), key("c")];
        assert_eq!(shrink_order(&keys), [0, 3, 5, 2, 4]);
    }

    #[test]
    fn in_parallel_keeps_the_order() {
        let order = [4, 1, 3];
        assert_eq!(in_parallel(&order, 3, &|i| i * 10), [40, 10, 30]);
        assert!(in_parallel(&[], 2, &|i| i).is_empty());
    }
}
