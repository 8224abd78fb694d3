//! Generate + check throughput, in process, one thread: cases per second.
//!
//! `generate` is the whole generator (strategy, oracle run, expectation, label verification);
//! `check` is `runner::run_case` of every case against the reference target (provisioning
//! through the wire operations, the request, observation and comparison of the message regex
//! and statement). `generate+check` is both, the figure the README quotes.

use addperm::generate::{self, Kind};
use addperm::outcome::{Compare, Verdict};
use addperm::runner;
use addperm::target::ReferenceTarget;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const CASES: usize = 2000;
const SEED: u64 = 1;

fn check(cases: &[generate::Generated]) {
    let target = ReferenceTarget::default();
    for g in cases {
        let r = runner::run_case(&target, &g.case, Compare::Message);
        assert_eq!(r.verdict, Verdict::Pass, "{}", g.case.id);
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cases");
    group.throughput(Throughput::Elements(CASES as u64));
    group.sample_size(10);
    for kind in [Kind::Valid, Kind::Invalid, Kind::Sequence] {
        group.bench_function(format!("generate/{}", kind.name()), |b| {
            b.iter(|| black_box(generate::generate(kind, CASES, SEED).expect("generation")))
        });
        let cases = generate::generate(kind, CASES, SEED).expect("generation");
        group.bench_function(format!("check/{}", kind.name()), |b| {
            b.iter(|| check(&cases))
        });
    }
    group.bench_function("generate+check/all", |b| {
        b.iter(|| {
            let cases = generate::generate(Kind::All, CASES, SEED).expect("generation");
            check(&cases);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
