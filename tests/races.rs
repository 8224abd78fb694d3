//! The race modes against `addperm serve`: the concurrency faults are found in every run by
//! `addperm races`, `--concurrency-check` and `--repeat` with parallel jobs, and missed by a
//! plain sequential run; the real reference is never flagged.
//!
//! The faults' race windows are a few milliseconds wide and every probe releases its clients
//! together, so a run that misses one would be a real loss of the mode's power, not noise;
//! `scripts/measure/races.sh` counts the runs out of 10 through the binary.

mod common;

use addperm::case::Placeholders;
use addperm::outcome::{CaseResult, Compare, Verdict};
use addperm::races::{self, Options, Probe, ProbeVerdict};
use addperm::reference::{Config, Fault, Revisions};
use addperm::runner::{self, RunOptions};
use addperm::serve::Server;
use addperm::target::{HttpOptions, HttpTarget};
use std::time::Duration;

/// Runs per fault: each must find it.
const RUNS: usize = 3;

fn serve(fault: Option<Fault>) -> Server {
    let config = Config {
        revisions: Revisions::Random,
        fault,
        ..Config::default()
    };
    Server::start("127.0.0.1:0".parse().unwrap(), config).unwrap()
}

fn http(server: &Server) -> HttpTarget {
    HttpTarget::new(&server.url(), HttpOptions::new(Placeholders::default())).unwrap()
}

fn probes(target: &HttpTarget) -> Vec<(Probe, ProbeVerdict)> {
    let options = Options {
        clients: 16,
        rounds: 1,
        time_limit: Duration::from_secs(600),
        probes: Probe::ALL.to_vec(),
    };
    races::run(target, &options)
        .iter()
        .map(|r| (r.probe, r.verdict()))
        .collect()
}

fn flaky(results: &[CaseResult]) -> usize {
    results
        .iter()
        .filter(|r| r.verdict == Verdict::Flaky)
        .count()
}

fn options(jobs: usize) -> RunOptions {
    RunOptions {
        compare: Compare::Exact,
        jobs,
        ..RunOptions::default()
    }
}

#[test]
fn the_reference_keeps_every_promise_and_is_never_flaky() {
    let server = serve(None);
    let target = http(&server);
    for (probe, verdict) in probes(&target) {
        assert_eq!(verdict, ProbeVerdict::Holds, "{}", probe.name());
    }
    let cases = common::curated();
    let repeated = runner::run_repeated(&target, &cases, &options(4), 3, &|_| {});
    assert!(repeated.iter().all(|r| r.verdict == Verdict::Pass));
    let checked = runner::run_concurrency_check(&target, &cases, &options(1), 8, &|_| {});
    assert!(checked.iter().all(|r| r.verdict == Verdict::Pass));
}

#[test]
fn every_concurrency_fault_breaks_a_probe_in_every_run() {
    for fault in Fault::CONCURRENT {
        let server = serve(Some(fault));
        let target = http(&server);
        for run in 0..RUNS {
            let broken: Vec<&str> = probes(&target)
                .into_iter()
                .filter(|(_, v)| *v == ProbeVerdict::Broken)
                .map(|(p, _)| p.name())
                .collect();
            // Both faults hand a client another client's statement or lose one: the
            // distinct-sids probe sees either.
            assert!(
                broken.contains(&"distinct-sids"),
                "{} run {run}: {broken:?}",
                fault.id()
            );
        }
    }
}

#[test]
fn the_concurrency_check_finds_every_concurrency_fault_the_sequential_run_misses() {
    // Enough cases to keep 8 workers busy together; more only cost time.
    let mut cases = common::curated();
    cases.truncate(48);
    for fault in Fault::CONCURRENT {
        let server = serve(Some(fault));
        let target = http(&server);
        let alone = runner::run(&target, &cases, &options(1), &|_| {});
        assert!(
            alone.iter().all(|r| r.verdict == Verdict::Pass),
            "{}: a sequential run sees the fault",
            fault.id()
        );
        for run in 0..RUNS {
            let checked = runner::run_concurrency_check(&target, &cases, &options(1), 8, &|_| {});
            assert!(flaky(&checked) > 0, "{} run {run}", fault.id());
            let repeated = runner::run_repeated(&target, &cases, &options(8), 2, &|_| {});
            assert!(
                repeated.iter().any(|r| r.verdict != Verdict::Pass),
                "{} run {run}: --repeat 2 --jobs 8",
                fault.id()
            );
        }
    }
}

fn races(url: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = common::addperm_command()
        .args(["races", "--target", url, "--clients", "16", "--rounds", "2"])
        .args(extra)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn addperm_races_exits_0_when_every_probe_holds_1_when_one_breaks_2_for_bad_input() {
    let (_served, url) = common::serve();
    let (code, out, _) = races(&url, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\n4 of 4 probes held\n"), "{out}");
    assert!(
        out.contains("  round 2: 1 x 201, 15 x 409 ResourceConflictException; stored 1 statement (race); holds"),
        "{out}"
    );
    let (_faulty, bad) =
        common::serve_with(&["--fault", "lost-update"], std::process::Stdio::null());
    let (code, out, _) = races(&bad, &["--probe", "distinct-sids"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("  distinct-sids: BROKEN\n0 of 1 probes held"),
        "{out}"
    );
    let (code, _, err) = races("reference", &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("needs a target that clients share"), "{err}");
    let (code, _, err) = races(&url, &["--probe", "nope"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("no probe \"nope\": use one of same-sid, same-revision"),
        "{err}"
    );
}
