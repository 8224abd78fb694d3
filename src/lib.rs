//! addperm: a test-fixture, differential-testing and fuzzing harness for the AWS Lambda
//! `AddPermission` API.
//!
//! The pipeline: [`contract`] (what the API accepts, with provenance) -> [`generate`] (cases from
//! the contract) -> [`reference`] (the oracle: answers like AWS) -> `target` (any
//! implementation, in-process or over HTTP) -> `runner` (run cases, compare) -> `report`.
//!
//! Failing generated cases are [`shrink`]ed to the simplest case that fails the same way.
//!
//! Other crates' tests use [`conformance()`] to check their implementation against case files.
//! [`serve`] puts the reference behind HTTP as a Lambda emulator.

pub mod case;
pub mod conformance;
pub mod contract;
pub mod generate;
pub mod measure;
pub mod reference;
pub mod report;
pub mod runner;
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
