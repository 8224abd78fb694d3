//! `addperm check`.

use addperm::case;
use addperm::reference::Config;
use addperm::report;
use addperm::runner::{self, Compare, RunOptions, Summary};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The implementation to check: `reference` (in-process) or an http:// or https:// URL
    /// (`addperm serve`, an emulator, or AWS with --sign).
    #[arg(long, default_value = "reference")]
    target: String,
    /// A case file (JSON Lines, see CASES.md); `-` reads standard input.
    #[arg(long, required = true)]
    cases: Vec<PathBuf>,
    /// Only run cases carrying this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// How much of each answer must agree.
    #[arg(long, value_enum, default_value_t = Compare::Message)]
    compare: Compare,
    /// Cases run in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// The target's account id (the value of ${ACCOUNT}).
    #[arg(long, default_value = addperm::contract::DEFAULT_ACCOUNT)]
    account: String,
    /// The target's region (${REGION}).
    #[arg(long, default_value = addperm::contract::DEFAULT_REGION)]
    region: String,
    /// The target's partition (${PARTITION}).
    #[arg(long, default_value = addperm::contract::DEFAULT_PARTITION)]
    partition: String,
    #[command(flatten)]
    http: super::target::HttpArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cases = Vec::new();
    for path in &args.cases {
        cases.extend(case::read(path).context("cannot use the case file")?);
    }
    if !args.tags.is_empty() {
        cases.retain(|c| c.tags.iter().any(|t| args.tags.contains(t)));
    }
    let config = Config {
        account: args.account,
        region: args.region,
        partition: args.partition,
        ..Config::default()
    };
    let target = super::target::build(&args.target, config, &args.http, args.jobs)?;
    let options = RunOptions {
        compare: args.compare,
        jobs: args.jobs,
    };
    let results = runner::run(target.as_ref(), &cases, &options, &|_| {});
    for r in &results {
        print!("{}", report::case_block(r));
    }
    let summary = Summary::of(&results);
    print!("{}", report::summary_block(&summary));
    Ok(if summary.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
