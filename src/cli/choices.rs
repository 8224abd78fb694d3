//! The library's option enums as clap `ValueEnum`s. The library carries no CLI dependency, so
//! the command line mirrors each enum it offers (as nextest's CLI crate does) and converts; the
//! `From` impls match every variant, so a variant added to the library must be added here.

use addperm::generate::Kind;
use addperm::outcome::Compare;
use addperm::runner::Fixtures;
use addperm::target::Isolation;

/// How much of each answer must agree ([`Compare`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareArg {
    /// The HTTP status only.
    Status,
    /// Status and error type.
    Type,
    /// Status, error type, message (`message_like`) and statement as JSON values.
    Message,
    /// As `message`, plus the raw statement bytes (key order, compact JSON) and content type.
    Exact,
}

impl From<CompareArg> for Compare {
    fn from(c: CompareArg) -> Compare {
        match c {
            CompareArg::Status => Compare::Status,
            CompareArg::Type => Compare::Type,
            CompareArg::Message => Compare::Message,
            CompareArg::Exact => Compare::Exact,
        }
    }
}

/// Which cases to generate ([`Kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Valid,
    Invalid,
    /// The enumerated table; `--count` does not apply.
    Boundary,
    /// Multi-step fixtures from state-machine sequences.
    Sequence,
    /// The boundary table plus `count` generated cases (2/5 valid, 2/5 invalid, 1/5 sequence).
    All,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Valid => Kind::Valid,
            KindArg::Invalid => Kind::Invalid,
            KindArg::Boundary => Kind::Boundary,
            KindArg::Sequence => Kind::Sequence,
            KindArg::All => Kind::All,
        }
    }
}

/// How a case's `given` functions are provided ([`Fixtures`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FixturesArg {
    /// Functions with their versions and aliases are made once per worker and lent to every
    /// case the reference shows cannot tell them from new ones; deleted at the end of the run.
    Reuse,
    /// Every case makes its functions and deletes them after it (slower; for targets where
    /// reuse is unsafe, and for comparison).
    Fresh,
}

impl From<FixturesArg> for Fixtures {
    fn from(f: FixturesArg) -> Fixtures {
        match f {
            FixturesArg::Reuse => Fixtures::Reuse,
            FixturesArg::Fresh => Fixtures::Fresh,
        }
    }
}

/// How cases are kept apart on a shared target ([`Isolation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IsolationArg {
    /// Each session ends every function name in `-<8 hex>` of its own (keeping the name's
    /// length where it has 10 characters or more), so cases can run in parallel and
    /// leftovers never collide.
    Rename,
    /// Names are used as the case gives them: for one case at a time (`--jobs 1`) on a target
    /// that must see the exact names, or where a short name's length matters.
    None,
}

impl From<IsolationArg> for Isolation {
    fn from(i: IsolationArg) -> Isolation {
        match i {
            IsolationArg::Rename => Isolation::Rename,
            IsolationArg::None => Isolation::None,
        }
    }
}
