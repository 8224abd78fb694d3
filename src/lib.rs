//! addperm: a test-fixture, differential-testing and fuzzing harness for the AWS Lambda
//! `AddPermission` API.
//!
//! The pipeline: [`contract`] (what the API accepts, with provenance) -> [`generate`] (cases from
//! the contract) -> [`reference`] (the oracle: answers like AWS) -> `target` (any
//! implementation, in-process or over HTTP) -> `runner` (run cases, compare) -> `report`.

pub mod contract;
pub mod reference;
pub mod wire;
pub mod case;
pub mod report;
pub mod runner;
pub mod target;
pub mod generate;
