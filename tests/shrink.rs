//! Shrinking failing generated cases, against the reference with deliberate bugs: every shrunk
//! case is smaller than the case that failed, fails the same way (verdict, finding, differing
//! fields), fails again when run again, and passes on the reference without the bug, since
//! its expectation is the reference's own.

use addperm::case::Case;
use addperm::generate;
use addperm::outcome::failure_key;
use addperm::outcome::ShrinkStop;
use addperm::outcome::{CaseResult, Compare, Verdict};
use addperm::reference::{Config, Fault};
use addperm::runner::{self, RunOptions};
use addperm::shrink::{Limits, Shrinker};
use addperm::target::ReferenceTarget;
use std::collections::HashMap;
use std::time::Duration;

fn faulty(fault: Fault) -> ReferenceTarget {
    ReferenceTarget::new(Config {
        fault: Some(fault),
        ..Config::default()
    })
}

/// A generated run on `target`: the cases, their results, and a shrinker for them.
fn generated_run(
    target: &ReferenceTarget,
    total: usize,
    seed: u64,
    limits: Limits,
) -> (Vec<Case>, Vec<CaseResult>, Shrinker) {
    let mut origins = HashMap::new();
    let mut cases = Vec::new();
    for d in generate::suite(total, seed).expect("generation") {
        if let Some(origin) = d.origin {
            origins.insert(d.generated.case.id.clone(), origin);
        }
        cases.push(d.generated.case);
    }
    let results = runner::run(target, &cases, &RunOptions::default(), &|_| {});
    let shrinker = Shrinker {
        origins,
        limits,
        jobs: 2,
    };
    (cases, results, shrinker)
}

/// The size of what a case sets up and sends.
fn size(case: &Case) -> usize {
    serde_json::to_string(&(&case.given, &case.request))
        .unwrap()
        .len()
}

fn fields(r: &CaseResult) -> Vec<&'static str> {
    r.differences.iter().map(|d| d.field).collect()
}

/// Shrinks every failure of a generated run on the reference with `fault`; returns the
/// shrunk cases that are not the original.
fn shrinks_the_same_way(fault: Fault, total: usize, seed: u64) -> Vec<Case> {
    let target = faulty(fault);
    let limits = Limits {
        time: Duration::from_secs(120),
        ..Limits::default()
    };
    let (cases, results, shrinker) = generated_run(&target, total, seed, limits);
    let (shrunk_cases, shrunk) =
        shrinker.check_failures(&target, &cases, &results, Compare::Message, &|_| {});
    assert_eq!(
        (shrunk_cases.len(), shrunk.len()),
        (cases.len(), results.len())
    );
    let mut smaller = Vec::new();
    for (i, (original, result)) in cases.iter().zip(&results).enumerate() {
        let (case, r) = (&shrunk_cases[i], &shrunk[i]);
        let generated = shrinker.origins.contains_key(&original.id);
        if result.verdict == Verdict::Pass || !generated {
            assert_eq!(
                (case, r),
                (original, result),
                "only failing generated cases change"
            );
            continue;
        }
        let note = r
            .shrunk
            .as_ref()
            .expect("a failing generated case says how it shrank");
        assert_eq!(note.from, original.id);
        assert!(note.tried <= limits.candidates);
        assert_ne!(note.stop, ShrinkStop::Time, "{note:?}");
        if note.steps == 0 {
            assert_eq!(case, original);
            continue;
        }
        assert_eq!(case.id, format!("{}-shrunk", original.id));
        assert_eq!(r.id, case.id);
        assert!(size(case) < size(original), "{case:?}\nfrom {original:?}");
        assert_eq!(r.verdict, result.verdict);
        assert_eq!(failure_key(r), failure_key(result), "the same finding");
        assert_eq!(fields(r), fields(result));
        // Reproducible, and wrong only because of the fault.
        let again = runner::run_case(&target, case, Compare::Message);
        assert_eq!(
            (again.verdict, failure_key(&again)),
            (r.verdict, failure_key(r))
        );
        let fixed = runner::run_case(&ReferenceTarget::default(), case, Compare::Exact);
        assert_eq!(fixed.verdict, Verdict::Pass, "{fixed:?}");
        smaller.push(case.clone());
    }
    assert!(!smaller.is_empty(), "{fault:?} broke no generated case");
    smaller
}

#[test]
fn duplicate_sids_shrink_to_the_three_required_members() {
    let smaller = shrinks_the_same_way(Fault::NoDuplicateSid, 300, 3);
    // Invalid cases carry the duplicate in a random valid request: every optional member goes.
    let bodies: Vec<usize> = smaller
        .iter()
        .filter(|c| c.tags[0] == "invalid")
        .map(|c| {
            c.request
                .body
                .as_ref()
                .and_then(|b| b.as_object())
                .map_or(0, |o| o.len())
        })
        .collect();
    assert!(bodies.contains(&3), "{bodies:?}");
    // Sequences lose the steps the duplicate does not need.
    assert!(smaller
        .iter()
        .any(|c| c.tags[0] == "stateful"
            && c.given.functions.iter().all(|f| f.permissions.len() <= 1)));
}

#[test]
fn other_faults_shrink_the_same_way() {
    for fault in [
        Fault::EnumNotChecked,
        Fault::AnyPrincipal,
        Fault::FirstErrorOnly,
    ] {
        shrinks_the_same_way(fault, 400, 1);
    }
}

#[test]
fn out_of_time_leaves_failures_as_generated() {
    let target = faulty(Fault::NoDuplicateSid);
    let limits = Limits {
        candidates: 1000,
        time: Duration::from_nanos(1),
    };
    let (cases, results, shrinker) = generated_run(&target, 300, 3, limits);
    let (shrunk_cases, shrunk) =
        shrinker.check_failures(&target, &cases, &results, Compare::Message, &|_| {});
    assert_eq!(shrunk_cases, cases);
    let mut noted = 0;
    for (r, original) in shrunk.iter().zip(&results) {
        if let Some(note) = &r.shrunk {
            assert_eq!(
                (note.steps, note.tried, note.stop),
                (0, 0, ShrinkStop::Time)
            );
            noted += 1;
        }
        assert_eq!(
            &addperm::outcome::CaseResult {
                shrunk: None,
                ..r.clone()
            },
            original
        );
    }
    assert!(noted > 0);
}

#[test]
fn a_candidate_limit_bounds_each_case() {
    let target = faulty(Fault::NoDuplicateSid);
    let limits = Limits {
        candidates: 5,
        time: Duration::from_secs(60),
    };
    let (cases, results, shrinker) = generated_run(&target, 300, 3, limits);
    let (_, shrunk) = shrinker.check_failures(&target, &cases, &results, Compare::Message, &|_| {});
    let notes: Vec<_> = shrunk.iter().filter_map(|r| r.shrunk.as_ref()).collect();
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|n| n.tried <= 5), "{notes:?}");
    assert!(
        notes.iter().any(|n| n.stop == ShrinkStop::Candidates),
        "{notes:?}"
    );
}
