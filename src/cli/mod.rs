//! Command definitions (clap derive) and dispatch. Exit codes: 0 everything passed, 1 a case
//! did not pass, 2 the command could not run (bad arguments, unreadable case file).

mod check;
mod contract;
mod gen;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// addperm: conformance, differential testing and fuzzing for AWS Lambda AddPermission.
///
/// The reference implementation answers like real AWS; every check compares an
/// implementation (in-process or over HTTP) against it or against case files.
#[derive(Debug, Parser)]
#[command(name = "addperm", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the AddPermission contract (members, constraints, errors, rules) as JSON.
    Contract(contract::Args),
    /// Run case files against a target and report every case that does not pass.
    Check(check::Args),
    /// Generate cases (JSON Lines) from the contract, their answers from the reference.
    Gen(gen::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Contract(a) => contract::run(a),
        Command::Check(a) => check::run(a),
        Command::Gen(a) => gen::run(a),
    }
}
