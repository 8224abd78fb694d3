//! Every fault of the catalogue is detected by the *generated* suite (not only the curated
//! cases, `tests/faults.rs`), within a small budget and quickly: the generators cannot silently
//! get weaker. The full-budget table is `cargo bench --bench detection`.

use addperm::measure;
use addperm::outcome::Compare;
use addperm::reference::Fault;

/// Cases run at most per fault; the benchmark uses 2000.
const BUDGET: usize = 1000;
const SEED: u64 = 1;

#[test]
fn the_generated_suite_detects_every_fault_and_most_within_50_cases() {
    let cases = measure::suite(BUDGET, SEED).expect("generation");
    assert_eq!(cases.len(), BUDGET);
    let clean = measure::detect(None, &cases, Compare::Exact);
    assert!(
        !clean.detected(),
        "the fault-free reference fails its own generated case {:?} ({:?})",
        clean.case_id,
        clean.verdict
    );
    let rows = measure::detect_all(&cases, Compare::Exact);
    assert_eq!(rows.len(), Fault::ALL.len());
    let missed: Vec<&str> = rows
        .iter()
        .filter(|d| !d.detected())
        .map(|d| d.name())
        .collect();
    assert!(
        missed.is_empty(),
        "faults the generated suite (budget {BUDGET}, seed {SEED}) misses: {missed:?}\n{}",
        measure::markdown(&rows, BUDGET)
    );
    let median = measure::median_cases(&rows, BUDGET).expect("rows");
    assert!(
        median <= 50.0,
        "median cases to first detection {median} > 50\n{}",
        measure::markdown(&rows, BUDGET)
    );
}

#[test]
fn gen_interleave_writes_the_suite_the_benchmark_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(["gen", "--kind", "all", "--count", "40", "--seed", "3"])
        .arg("--interleave")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let head: String = text.lines().take(40).map(|l| format!("{l}\n")).collect();
    let suite = measure::suite(40, 3).unwrap();
    assert_eq!(head, addperm::case::to_jsonl(&suite));
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(["gen", "--kind", "valid", "--interleave"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
