//! addperm: a test-fixture, differential-testing and fuzzing harness for the AWS Lambda
//! `AddPermission` API.
//!
//! The layers, each using only those before it: [`contract`] (every rule and limit, with
//! provenance) -> [`case`] (the case file format) and [`reference`] (the oracle: a pure model
//! that answers like AWS) -> [`wire`] (the REST-JSON protocol) -> [`target`] (any
//! implementation, in-process or over HTTP) -> [`outcome`] (result data) -> `player` (plays a
//! case on a target; private: the runner, the oracle and the fuzzer play through it) -> [`generate`] (cases from the contract) and [`runner`] (run and compare)
//! -> [`shrink`], [`report`], [`fuzz`], [`races`], [`measure`] -> [`conformance`] (the entry
//! point for other crates' tests; [`prelude`] has what it needs) and `fuzzing` (feature
//! `fuzzing`: differential fuzzing of any target against the reference, from a cargo-fuzz
//! target).
//!
//! `serve` (feature `serve`) puts the reference behind HTTP as a Lambda emulator; the `addperm`
//! binary (feature `cli`) is a thin layer over all of it.

pub mod case;
pub mod conformance;
pub mod contract;
pub mod fuzz;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod generate;
pub mod measure;
pub mod outcome;
mod player;
pub mod prelude;
pub mod races;
pub mod reference;
pub mod report;
pub mod runner;
#[cfg(feature = "serve")]
pub mod serve;
pub mod shrink;
pub mod target;
pub mod wire;

pub use conformance::{conformance, Conformance, ConformanceRun};

/// For [`assert_statements_snapshot!`]: the insta it expands to, so callers need not depend on
/// the same insta version themselves.
#[cfg(feature = "insta")]
#[doc(hidden)]
pub use insta as __insta;
