//! Every fault of the catalogue is caught by the curated cases: the harness cannot silently get
//! weaker than the bugs it claims to find.

use addperm::case;
use addperm::outcome::{Compare, Verdict};
use addperm::reference::{Config, Fault};
use addperm::runner::{self, RunOptions};
use addperm::target::ReferenceTarget;

fn curated() -> Vec<case::Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
    {
        cases.extend(case::read(f).unwrap());
    }
    cases
}

#[test]
fn the_faultless_reference_passes_and_every_fault_is_detected() {
    let cases = curated();
    let options = RunOptions {
        compare: Compare::Exact,
        jobs: 2,
        ..RunOptions::default()
    };
    let run = |fault| {
        let target = ReferenceTarget::new(Config {
            fault,
            ..Config::default()
        });
        runner::run(&target, &cases, &options, &|_| {})
    };
    assert!(run(None).iter().all(|r| r.verdict == Verdict::Pass));
    let undetected: Vec<&str> = Fault::ALL
        .into_iter()
        .filter(|f| run(Some(*f)).iter().all(|r| r.verdict == Verdict::Pass))
        .map(Fault::id)
        .collect();
    assert!(
        undetected.is_empty(),
        "faults no curated case detects: {undetected:?}"
    );
}
