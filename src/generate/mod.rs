//! Generators: valid, invalid, boundary and stateful AddPermission cases from the contract.
//!
//! Each generator yields [`Draft`]s: a `given`, a request and a [`Label`] saying what the case
//! probes. [`Draft::finish`] plays the draft on the reference to get the expected answer (never
//! a second hand-written table), and [`Generated::verify`] holds that answer to the label, so a
//! wrong generator and a wrong oracle both fail loudly instead of writing a wrong fixture.
//!
//! Generation is deterministic: proptest's ChaCha RNG seeded from `--seed` and the kind.

pub mod arbitrary;
pub mod boundary;
pub mod coverage;
pub mod invalid;
pub mod label;
pub mod oracle;
pub mod sequence;
pub mod valid;
pub mod values;

pub use label::{Class, Constraint, Disagreement, Label, Outcome};
pub use oracle::Answer;

use crate::case::{Case, Given, Request};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A case before its expected answer is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub given: Given,
    pub request: Request,
    pub label: Label,
}

/// A finished case, with the reference's answer and the label it must agree with.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub case: Case,
    pub label: Label,
    pub answer: Answer,
}

impl Draft {
    /// Plays the draft on a fresh reference and writes the answer as the case's `expect`.
    pub fn finish(self, id: String) -> Generated {
        let answer = oracle::run(&self.given, &self.request);
        let expect = oracle::expect(&answer, &self.request);
        Generated {
            case: Case {
                id,
                tags: self.label.tags(),
                given: self.given,
                request: self.request,
                expect,
            },
            label: self.label,
            answer,
        }
    }
}

impl Generated {
    /// Whether the case breaks what its label says and the reference answers accordingly.
    pub fn verify(&self) -> Result<(), Disagreement> {
        label::verify(&self.label, &self.case.request, &self.answer)
    }
}

/// Finished cases from a draft strategy: each value is a case with its `expect` from the
/// reference, together with the label (the violation it carries) and the answer, ready for
/// [`Generated::verify`]. Ids are left as `prop`; [`generate`] numbers them.
pub fn cases<S: Strategy<Value = Draft>>(drafts: S) -> impl Strategy<Value = Generated> {
    drafts.prop_map(|d| d.finish("prop".into()))
}

/// Which cases to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Valid,
    Invalid,
    /// The enumerated table; `--count` does not apply.
    Boundary,
    /// Multi-step fixtures from state-machine sequences.
    Sequence,
    /// The boundary table plus `count` generated cases (2/5 valid, 2/5 invalid, 1/5 sequence).
    All,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::Invalid => "invalid",
            Kind::Boundary => "boundary",
            Kind::Sequence => "sequence",
            Kind::All => "all",
        }
    }
}

/// Why generation stopped: a strategy gave up, or a case disagrees with its label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("cannot generate {kind} cases: {reason}")]
    Strategy { kind: &'static str, reason: String },
    #[error("case {id} does not carry its label {tags:?}: {reason}")]
    Label {
        id: String,
        tags: Vec<String>,
        reason: String,
    },
}

/// The deterministic runner for `kind` under `seed`: each kind draws from its own stream, so
/// the valid cases of `--kind all` are those of `--kind valid`.
pub fn runner(kind: Kind, seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let name = kind.name().as_bytes();
    bytes[8..8 + name.len()].copy_from_slice(name);
    let config = Config {
        max_local_rejects: 1 << 16,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// The id of case `n` of `kind` under `seed`: unique within a file, stable across runs.
pub fn case_id(kind: Kind, seed: u64, n: usize) -> String {
    format!("gen-{}-{seed}-{n}", kind.name())
}

fn sample<S: Strategy<Value = Draft>>(
    kind: Kind,
    strategy: S,
    count: usize,
    seed: u64,
) -> Result<Vec<Generated>, GenerateError> {
    let mut runner = runner(kind, seed);
    (0..count)
        .map(|n| {
            let tree =
                strategy
                    .new_tree(&mut runner)
                    .map_err(|reason| GenerateError::Strategy {
                        kind: kind.name(),
                        reason: reason.to_string(),
                    })?;
            Ok(tree.current().finish(case_id(kind, seed, n)))
        })
        .collect()
}

/// Generates and verifies the cases of `kind`.
pub fn generate(kind: Kind, count: usize, seed: u64) -> Result<Vec<Generated>, GenerateError> {
    let cases = match kind {
        Kind::Valid => sample(kind, valid::drafts(), count, seed)?,
        Kind::Invalid => sample(kind, invalid::drafts(), count, seed)?,
        Kind::Sequence => sample(kind, sequence::drafts(), count, seed)?,
        Kind::Boundary => boundary::drafts()
            .into_iter()
            .enumerate()
            .map(|(n, d)| d.finish(case_id(kind, seed, n)))
            .collect(),
        Kind::All => {
            let valid = count * 2 / 5;
            let invalid = count * 2 / 5;
            let mut all = generate(Kind::Boundary, 0, seed)?;
            all.extend(generate(Kind::Valid, valid, seed)?);
            all.extend(generate(Kind::Invalid, invalid, seed)?);
            all.extend(generate(Kind::Sequence, count - valid - invalid, seed)?);
            return Ok(all);
        }
    };
    for g in &cases {
        g.verify().map_err(|d| GenerateError::Label {
            id: g.case.id.clone(),
            tags: g.case.tags.clone(),
            reason: d.0,
        })?;
    }
    Ok(cases)
}
