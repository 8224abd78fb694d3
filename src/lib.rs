//! addperm: a test-fixture, differential-testing and fuzzing harness for the AWS Lambda
//! `AddPermission` API.
//!
//! The pipeline: [`contract`] (what the API accepts, with provenance) -> `generate` (cases from
//! the contract) -> [`reference`] (the oracle: answers like AWS) -> `target` (any
//! implementation, in-process or over HTTP) -> `runner` (run cases, compare) -> `report`.

pub mod case;
pub mod contract;
pub mod generate;
pub mod reference;
pub mod report;
pub mod runner;
pub mod target;
pub mod wire;
