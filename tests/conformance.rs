//! The library entry point as another crate's tests use it.

mod common;

use addperm::outcome::Compare;
use addperm::target::ReferenceTarget;
use common::{curated, faulty, Fault};

#[test]
fn the_reference_passes_its_own_cases() {
    let target = ReferenceTarget::default();
    let run = addperm::conformance(&target)
        .cases(curated())
        .compare(Compare::Exact)
        .jobs(2)
        .run();
    run.assert_all_pass();
    assert_eq!(run.summary().total, curated().len());
}

#[test]
fn a_failing_run_panics_with_the_report() {
    let target = faulty(Fault::NotFoundAs400);
    let run = addperm::conformance(&target).cases(curated()).run();
    let panic = std::panic::catch_unwind(|| run.assert_all_pass()).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("MISMATCH err-function-not-found"),
        "{message}"
    );
    assert!(message.contains(&run.summary().line()), "{message}");
}

#[test]
fn statements_read_the_same_whatever_the_target_calls_functions() {
    let cases: Vec<_> = curated()
        .into_iter()
        .filter(|c| c.expect.status == 201 && !c.tags.iter().any(|t| t == "size-exact"))
        .collect();
    let reference = ReferenceTarget::default();
    let renaming = faulty(Fault::Renames);
    let a = addperm::conformance(&reference).cases(cases.clone()).run();
    let b = addperm::conformance(&renaming).cases(cases.clone()).run();
    b.assert_all_pass();
    assert_eq!(a.statements().len(), cases.len());
    assert_eq!(a.statements(), b.statements());
}

/// The statements the reference returns for the curated cases, by case id: a change to how the
/// reference builds statements shows up as a snapshot diff to review.
#[cfg(feature = "insta")]
#[test]
fn reference_statements_snapshot() {
    let target = ReferenceTarget::default();
    let run = addperm::conformance(&target).cases(curated()).run();
    run.assert_all_pass();
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        addperm::assert_statements_snapshot!("aws-behaviour-statements", run);
    });
}
