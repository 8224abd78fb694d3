//! Throughput of `check` against `addperm serve` over HTTP with keep-alive: the curated cases,
//! run repeatedly at several `--jobs` values, reported as cases/s and requests/s. The server
//! runs in-process on a background runtime (2 worker threads); client and server share the
//! machine's cores, as they do when both run on one host.
//!
//! Run: `cargo bench --bench http_check` (optionally `-- SECONDS` per setting, default 3).

use addperm::case::{self, Case, Placeholders};
use addperm::outcome::{Compare, Summary};
use addperm::reference::{Config, Revisions};
use addperm::runner::{self, RunOptions};
use addperm::serve::Server;
use addperm::target::{
    HttpOptions, HttpTarget, Isolation, ReferenceTarget, Session, Target, TargetError,
};
use addperm::wire::{Operation, Response};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A target that counts the requests its sessions send, and the functions they create (each
/// of which an HTTP session deletes when it finishes: one more request).
struct Counting<T> {
    inner: T,
    requests: AtomicU64,
    created: AtomicU64,
}

impl<T> Counting<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            requests: AtomicU64::new(0),
            created: AtomicU64::new(0),
        }
    }
}

struct CountingSession<'a> {
    inner: Box<dyn Session + 'a>,
    requests: &'a AtomicU64,
    created: &'a AtomicU64,
}

impl<T: Target> Target for Counting<T> {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn placeholders(&self) -> Placeholders {
        self.inner.placeholders()
    }
    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
        Ok(Box::new(CountingSession {
            inner: self.inner.session()?,
            requests: &self.requests,
            created: &self.created,
        }))
    }
}

impl Session for CountingSession<'_> {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let response = self.inner.send(op)?;
        if matches!(op, Operation::CreateFunction { .. }) && response.status == 201 {
            self.created.fetch_add(1, Ordering::Relaxed);
        }
        Ok(response)
    }
    fn function_name(&self, original: &str) -> String {
        self.inner.function_name(original)
    }
    fn finish(&mut self) {
        self.inner.finish();
    }
}

/// Runs `cases` against `target` repeatedly for about `budget`; returns cases/s and requests/s
/// (with the cleanup deletes when `deletes` says the target makes them).
fn measure<T: Target>(
    target: &Counting<T>,
    cases: &[Case],
    jobs: usize,
    budget: Duration,
    deletes: bool,
) -> (f64, f64) {
    let options = RunOptions {
        compare: Compare::Message,
        jobs,
        ..RunOptions::default()
    };
    target.requests.store(0, Ordering::Relaxed);
    target.created.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let mut done = 0usize;
    while started.elapsed() < budget {
        let results = runner::run(target, cases, &options, &|_| {});
        let summary = Summary::of(&results);
        assert_eq!(
            summary.failed(),
            0,
            "{} over {}",
            summary.line(),
            target.name()
        );
        done += results.len();
    }
    let secs = started.elapsed().as_secs_f64();
    let mut requests = target.requests.load(Ordering::Relaxed);
    if deletes {
        requests += target.created.load(Ordering::Relaxed);
    }
    (done as f64 / secs, requests as f64 / secs)
}

fn main() {
    let seconds: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let cases =
        case::read(Path::new("tests/cases/aws-behaviour.jsonl")).expect("the curated cases");
    let config = Config {
        revisions: Revisions::Random,
        ..Config::default()
    };
    let server =
        Server::start("127.0.0.1:0".parse().expect("an address"), config).expect("serve starts");
    let mut options = HttpOptions::new(Placeholders::default());
    options.isolation = Isolation::Rename;
    let http = Counting::new(HttpTarget::new(&server.url(), options).expect("the server's URL"));
    let in_process = Counting::new(ReferenceTarget::new(Config::default()));
    println!(
        "{} curated cases, {seconds} s per setting, {} cores",
        cases.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let (cps, rps) = measure(&in_process, &cases, 1, budget, false);
    println!("in-process reference  jobs 1: {cps:>8.0} cases/s {rps:>8.0} requests/s");
    for jobs in [1, 2, 4, 8] {
        let (cps, rps) = measure(&http, &cases, jobs, budget, true);
        println!(
            "http {}  jobs {jobs}: {cps:>8.0} cases/s {rps:>8.0} requests/s",
            server.url()
        );
    }
    server.stop().expect("serve stops");
}
