//! `addperm::fuzzing::differential` against the in-process reference: what a user's own
//! differential target looks like, with the reference standing in for their implementation.
//!
//! By default the target is the real reference, so a run finds nothing unless the oracle and
//! the case player disagree with themselves (the smoke test runs it this way and measures its
//! speed). With `ADDPERM_FUZZ_FAULT=<fault id>` (`addperm faults` lists them) the target is the
//! reference with that catalogue fault, and the run shows the fuzzer finding it:
//!
//! ```text
//! ADDPERM_FUZZ_FAULT=no-duplicate-sid cargo +nightly fuzz run -s none differential
//! ```
#![no_main]

use addperm::reference::{Config, Fault};
use addperm::target::ReferenceTarget;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// The target under test, read once: an unknown fault id stops the run with the list of ids.
static TARGET: LazyLock<ReferenceTarget> = LazyLock::new(|| {
    let fault = std::env::var("ADDPERM_FUZZ_FAULT").ok().map(|id| {
        Fault::from_id(&id).unwrap_or_else(|| {
            let ids: Vec<&str> = Fault::ALL.iter().map(|f| f.id()).collect();
            eprintln!("ADDPERM_FUZZ_FAULT={id}: no such fault; one of {}", ids.join(", "));
            std::process::exit(2)
        })
    });
    ReferenceTarget::new(Config {
        fault,
        ..Config::default()
    })
});

fuzz_target!(|data: &[u8]| addperm::fuzzing::differential(data, &*TARGET));
