//! `addperm gen`.

use super::choices::KindArg;
use super::exit;
use addperm::case;
use addperm::generate::{self, coverage, Kind};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which cases: valid, invalid, boundary (the enumerated table), sequence (multi-step
    /// fixtures), or all (the table plus --count generated cases).
    #[arg(long, value_enum, default_value_t = KindArg::All)]
    kind: KindArg,
    /// How many cases to generate (the boundary table is always complete).
    #[arg(long, default_value_t = 100)]
    count: usize,
    /// The seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Instead of the cases, print how often each contract constraint is exercised; exit 1
    /// when the boundary table misses one.
    #[arg(long)]
    coverage: bool,
    /// With --kind all: the same cases, one of each kind in turn (boundary, valid, invalid,
    /// sequence) instead of kind after kind, so every prefix of the file (`head -n N`) is a mix
    /// of all four; the detection benchmark runs them in this order.
    #[arg(long)]
    interleave: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        !args.interleave || args.kind == KindArg::All,
        "--interleave only applies to --kind all"
    );
    let cases: Vec<case::Case> = if args.interleave {
        addperm::measure::interleaved(args.count, args.seed)?
    } else {
        generate::generate(args.kind.into(), args.count, args.seed)?
            .into_iter()
            .map(|g| g.case)
            .collect()
    };
    if !args.coverage {
        let mut out = std::io::stdout().lock();
        out.write_all(case::to_jsonl(&cases).as_bytes())?;
        out.flush()?;
        return Ok(exit::passed());
    }
    let counts = coverage::counts(&cases);
    outln!("{:<24}{:<14}{:>8}", "member", "constraint", "cases")?;
    for ((member, constraint), n) in &counts {
        outln!("{member:<24}{constraint:<14}{n:>8}")?;
    }
    let contract = coverage::contract_constraints();
    let missed = coverage::missing(&cases);
    outln!(
        "{} cases; {} (member, constraint) pairs; {} of {} contract constraints exercised",
        cases.len(),
        counts.len(),
        contract.len() - missed.len(),
        contract.len()
    )?;
    for (m, c) in &missed {
        outln!("not exercised: {m} {}", c.tag())?;
    }
    let boundary: Vec<case::Case> = generate::generate(Kind::Boundary, 0, args.seed)?
        .into_iter()
        .map(|g| g.case)
        .collect();
    let boundary_missed = coverage::missing(&boundary);
    for (m, c) in &boundary_missed {
        outln!("the boundary table misses: {m} {}", c.tag())?;
    }
    Ok(exit::verdict(boundary_missed.is_empty()))
}
