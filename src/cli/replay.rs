//! `addperm replay`: runs saved failures (or any case files) again, with `check`'s output and
//! exit codes, to see whether a finding still reproduces.

use super::check::{run_and_report, RunArgs};
use addperm::report;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = super::exit::RUN_CODES)]
pub struct Args {
    /// Case files, or directories written by `--save-failures` (every *.jsonl in them).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cases = Vec::new();
    for path in &args.files {
        cases.extend(report::read_cases(path).context("cannot use the saved cases")?);
    }
    run_and_report(cases, &args.run, None, None)
}
