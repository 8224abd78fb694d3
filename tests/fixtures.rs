//! Fixtures that last: a verdict never depends on which case ran before. Every case of the
//! curated suites and of a generated suite gets the same verdict and the same differences with
//! fixtures lent from pools (`--fixtures reuse`, cases in file order and reversed, several
//! workers) as with a fresh fixture for every case, against `addperm serve` and against every
//! fault of the catalogue served over HTTP.

use addperm::case::{self, Case, Placeholders};
use addperm::measure;
use addperm::outcome::{CaseResult, Compare, Verdict};
use addperm::reference::{Config, Fault, Revisions};
use addperm::runner::{self, Fixtures, RunOptions};
use addperm::serve::Server;
use addperm::target::{HttpOptions, HttpTarget, Target};
use std::collections::BTreeMap;
use std::path::Path;

fn suite() -> Vec<Case> {
    let mut cases = case::read(Path::new("tests/cases/aws-behaviour.jsonl")).unwrap();
    cases.extend(case::read(Path::new("tests/cases/conformance.jsonl")).unwrap());
    cases.extend(measure::suite(400, 5).unwrap());
    cases
}

/// A case's verdict and differences (field, expected, actual).
type Outcome = (Verdict, Vec<(String, String, String)>);

/// Each case's outcome, by id.
type Seen = BTreeMap<String, Outcome>;

fn seen(results: Vec<CaseResult>) -> Seen {
    results
        .into_iter()
        .map(|r| {
            let d = r
                .differences
                .into_iter()
                .map(|d| (d.field.to_string(), d.expected, d.actual))
                .collect();
            (r.id, (r.verdict, d))
        })
        .collect()
}

fn run(target: &dyn Target, cases: &[Case], fixtures: Fixtures, jobs: usize) -> Seen {
    let options = RunOptions {
        compare: Compare::Exact,
        jobs,
        fixtures,
        ..RunOptions::default()
    };
    seen(runner::run(target, cases, &options, &|_| {}))
}

fn assert_same(fresh: &Seen, reused: &Seen, what: &str) {
    assert_eq!(fresh.len(), reused.len());
    let clip = |v: Option<&Outcome>| {
        let text = format!("{v:?}");
        text.chars().take(600).collect::<String>()
    };
    for (id, f) in fresh {
        let r = reused.get(id);
        assert!(
            Some(f) == r,
            "{what}: case {id}\nfresh:  {}\nreused: {}",
            clip(Some(f)),
            clip(r)
        );
    }
}

#[test]
fn reused_fixtures_give_the_verdicts_of_fresh_ones_on_serve_and_every_fault() {
    let cases = suite();
    let mut reversed = cases.clone();
    reversed.reverse();
    for fault in std::iter::once(None).chain(Fault::ALL.map(Some)) {
        let config = Config {
            revisions: Revisions::Random,
            fault,
            ..Config::default()
        };
        let server = Server::start("127.0.0.1:0".parse().unwrap(), config).unwrap();
        let target =
            HttpTarget::new(&server.url(), HttpOptions::new(Placeholders::default())).unwrap();
        let name = fault.map_or("(none)", Fault::id);
        let fresh = run(&target, &cases, Fixtures::Fresh, 2);
        if fault.is_none() {
            let failed: Vec<&String> = fresh
                .iter()
                .filter(|(_, (v, _))| *v != Verdict::Pass)
                .map(|(id, _)| id)
                .collect();
            assert!(failed.is_empty(), "serve fails {failed:?}");
        }
        assert_same(&fresh, &run(&target, &cases, Fixtures::Reuse, 1), name);
        assert_same(&fresh, &run(&target, &reversed, Fixtures::Reuse, 3), name);
    }
}

#[test]
fn a_reused_run_makes_far_fewer_functions() {
    let server = Server::start("127.0.0.1:0".parse().unwrap(), Config::default()).unwrap();
    let cases = suite();
    let count = |fixtures| {
        let target =
            HttpTarget::new(&server.url(), HttpOptions::new(Placeholders::default())).unwrap();
        run(&target, &cases, fixtures, 2);
        target.requests().unwrap()
    };
    let (fresh, reused) = (count(Fixtures::Fresh), count(Fixtures::Reuse));
    let made = |r: &addperm::target::Requests| r.by_operation.get("CreateFunction").copied();
    assert!(reused.total() < fresh.total(), "{reused:?} vs {fresh:?}");
    assert!(
        made(&reused).unwrap_or(0) * 4 < made(&fresh).unwrap_or(0),
        "{reused:?} vs {fresh:?}"
    );
}
