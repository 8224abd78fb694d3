//! Generators: valid, invalid, boundary and stateful AddPermission cases from the contract.
//!
//! Each generator yields [`Draft`]s: a `given`, a request and a [`Label`] saying what the case
//! probes. [`Draft::finish`] plays the draft on the reference to get the expected answer (never
//! a second hand-written table), and [`Generated::verify`] holds that answer to the label, so a
//! wrong generator and a wrong oracle both fail loudly instead of writing a wrong fixture.
//!
//! Generation is deterministic: proptest's ChaCha RNG seeded from `--seed` and the kind. Each
//! drawn case keeps its [`Origin`], from which its value tree can be drawn again to shrink it.

#[cfg(feature = "fuzzing")]
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
pub use oracle::OracleAnswer;

use crate::case::{Case, Given, Request};
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
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
    pub answer: OracleAnswer,
}

impl Draft {
    /// Plays the draft on a fresh reference and writes the answer as the case's `expect`.
    pub fn finish(self, id: String) -> Generated {
        let answer = oracle::run(&self.given, &self.request);
        let expect = oracle::expect(&answer, &self.request);
        let mut tags = self.label.tags();
        if label::rests_on_inference(&self.request, &answer) {
            tags.push(label::INFERRED.to_string());
        }
        Generated {
            case: Case {
                id,
                tags,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    TestRunner::new_with_rng(config(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn config() -> Config {
    Config {
        max_local_rejects: 1 << 16,
        ..Config::default()
    }
}

/// The id of case `n` of `kind` under `seed`: unique within a file, stable across runs.
pub fn case_id(kind: Kind, seed: u64, n: usize) -> String {
    format!("gen-{}-{seed}-{n}", kind.name())
}

/// The value tree of a sampled case: drafts, or `None` where the kind's filter rejects a value.
pub type CandidateTree = Box<dyn ValueTree<Value = Option<Draft>>>;

/// A sampled kind's strategy before its filter: `None` where the kind's `drafts()` rejects a
/// value, for the reason given.
struct Candidates {
    kind: Kind,
    strategy: BoxedStrategy<Option<Draft>>,
    why_none: &'static str,
}

impl Candidates {
    /// The candidates of `kind`; an error for the table and the mix, which are not sampled.
    fn of(kind: Kind) -> Result<Candidates, GenerateError> {
        let (strategy, why_none) = match kind {
            Kind::Valid => (valid::drafts().prop_map(Some).boxed(), "always a draft"),
            Kind::Invalid => (invalid::candidates().boxed(), invalid::WHY_NONE),
            Kind::Sequence => (sequence::candidates().boxed(), sequence::WHY_NONE),
            Kind::Boundary | Kind::All => {
                return Err(GenerateError::Strategy {
                    kind: kind.name(),
                    reason: "table rows are not drawn from a strategy".into(),
                })
            }
        };
        Ok(Candidates {
            kind,
            strategy,
            why_none,
        })
    }

    /// A tree of candidates and its current value, a draft: what `drafts().new_tree()` draws
    /// (it rejects and redraws exactly so, using the RNG alike), but without the filter, whose
    /// trees panic when shrinking cannot step back to an accepted value.
    fn draw(&self, runner: &mut TestRunner) -> Result<(CandidateTree, Draft), GenerateError> {
        let failed = |reason: proptest::test_runner::Reason| GenerateError::Strategy {
            kind: self.kind.name(),
            reason: reason.to_string(),
        };
        loop {
            let tree = self.strategy.new_tree(runner).map_err(failed)?;
            if let Some(draft) = tree.current() {
                return Ok((tree, draft));
            }
            runner.reject_local(self.why_none).map_err(failed)?;
        }
    }
}

/// Where a sampled case came from: its kind and the RNG state just before it was drawn.
///
/// That is all it takes to draw the same value tree again, on any thread and at any time, so a
/// run keeps one small `Origin` per case instead of every case's tree (which is neither small
/// nor `Send`) and rebuilds the tree only for the cases it shrinks.
#[derive(Debug, Clone)]
pub struct Origin {
    kind: Kind,
    rng: TestRng,
}

impl Origin {
    /// The kind the case was sampled from.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The case's value tree, drawn again, and the draft the case was finished from (its
    /// current value). `simplify`/`complicate` walk towards simpler values of the same
    /// strategy, `None` where the kind's filter would reject one. Simplify before taking
    /// `current()` again: a sequence tree allows one look before its first simplification.
    pub fn tree(&self) -> Result<(CandidateTree, Draft), GenerateError> {
        let mut runner = TestRunner::new_with_rng(config(), self.rng.clone());
        Candidates::of(self.kind)?.draw(&mut runner)
    }
}

/// A generated case and, for sampled kinds, where it came from (`None` for table rows, which
/// have no tree: they are minimal by construction).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub generated: Generated,
    pub origin: Option<Origin>,
}

fn sample(kind: Kind, count: usize, seed: u64) -> Result<Vec<Drawn>, GenerateError> {
    let candidates = Candidates::of(kind)?;
    let mut runner = runner(kind, seed);
    let mut drawn = Vec::with_capacity(count);
    for n in 0..count {
        let origin = Origin {
            kind,
            rng: runner.rng().clone(),
        };
        let (_, draft) = candidates.draw(&mut runner)?;
        drawn.push(Drawn {
            generated: draft.finish(case_id(kind, seed, n)),
            origin: Some(origin),
        });
    }
    Ok(drawn)
}

/// Generates and verifies the cases of `kind`.
pub fn generate(kind: Kind, count: usize, seed: u64) -> Result<Vec<Generated>, GenerateError> {
    Ok(draw(kind, count, seed)?
        .into_iter()
        .map(|d| d.generated)
        .collect())
}

/// [`generate`], keeping each case's [`Origin`].
pub fn draw(kind: Kind, count: usize, seed: u64) -> Result<Vec<Drawn>, GenerateError> {
    let cases = match kind {
        Kind::Valid | Kind::Invalid | Kind::Sequence => sample(kind, count, seed)?,
        Kind::Boundary => boundary::drafts()
            .into_iter()
            .enumerate()
            .map(|(n, d)| Drawn {
                generated: d.finish(case_id(kind, seed, n)),
                origin: None,
            })
            .collect(),
        Kind::All => {
            let table = draw(Kind::Boundary, 0, seed)?;
            return with_sampled(table, count, seed);
        }
    };
    for d in &cases {
        let g = &d.generated;
        g.verify().map_err(|d| GenerateError::Label {
            id: g.case.id.clone(),
            tags: g.case.tags.clone(),
            reason: d.0,
        })?;
    }
    Ok(cases)
}

/// `rows` followed by `count` sampled cases: 2/5 valid, 2/5 invalid, the rest sequences.
fn with_sampled(
    mut rows: Vec<Drawn>,
    count: usize,
    seed: u64,
) -> Result<Vec<Drawn>, GenerateError> {
    let valid = count * 2 / 5;
    let invalid = count * 2 / 5;
    rows.extend(draw(Kind::Valid, valid, seed)?);
    rows.extend(draw(Kind::Invalid, invalid, seed)?);
    rows.extend(draw(Kind::Sequence, count - valid - invalid, seed)?);
    Ok(rows)
}

/// Exactly `total` cases in the mix of `--kind all`, for `check --generate N`.
///
/// Up to half are boundary-table rows: the whole table once `total` is at least twice its
/// size (from then on these are exactly the cases of `gen --kind all --count <total - table>`),
/// below that evenly spaced rows, so a small run still touches every member. The rest are
/// sampled 2/5 valid, 2/5 invalid, 1/5 sequences, as in `--kind all`. Ids are those `gen` gives
/// (table rows keep their row number), so any case can be found in `gen`'s output.
pub fn suite(total: usize, seed: u64) -> Result<Vec<Drawn>, GenerateError> {
    let table = draw(Kind::Boundary, 0, seed)?;
    let rows = table.len().min(total / 2);
    let len = table.len();
    let picked: Vec<Drawn> = table
        .into_iter()
        .enumerate()
        .filter(|(i, _)| rows > 0 && (i * rows) % len < rows)
        .map(|(_, d)| d)
        .collect();
    with_sampled(picked, total - rows, seed)
}
