//! Command definitions (clap derive) and dispatch; the exit codes are in [`exit`].

/// `print!` that returns the write's `io::Result` instead of panicking: stdout may be a pipe
/// whose reader has gone (`addperm gen | head`), which `main` treats as a normal end (a run's
/// report goes through [`print_report`] instead).
macro_rules! out {
    ($($arg:tt)*) => {
        std::io::Write::write_fmt(&mut std::io::stdout().lock(), format_args!($($arg)*))
    };
}

/// `println!` that returns the write's `io::Result` (see [`out!`]).
macro_rules! outln {
    () => { out!("\n") };
    ($($arg:tt)*) => { out!("{}\n", format_args!($($arg)*)) };
}

mod check;
mod choices;
mod contract;
mod diff;
pub mod exit;
mod faults;
mod fuzz;
mod gen;
mod html;
mod interrupt;
mod openapi;
mod progress;
mod races;
mod record;
mod replay;
mod report;
mod serve;
mod target;

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
    /// Merge sharded JSON reports, or write the conformance report (CONFORMANCE.md) from them.
    Report(report::Args),
    /// List the fault catalogue: deliberate bugs for `--fault` that measure the harness.
    Faults(faults::Args),
    /// Print an OpenAPI 3 description of AddPermission generated from the contract.
    Openapi(openapi::Args),
    /// Run saved failures (`check --save-failures DIR`) or case files again, as `check` does.
    Replay(replay::Args),
    /// Run the same cases on two targets and report where their answers differ.
    Diff(diff::Args),
    /// Play case files on a target and write them back with its answers as their
    /// expectations (recording AWS refreshes the truth).
    Record(record::Args),
    /// Serve the reference over HTTP as a Lambda emulator (one shared state, random RevisionIds).
    Serve(serve::Args),
    /// Generate cases (JSON Lines) from the contract, their answers from the reference.
    Gen(gen::Args),
    /// Fuzz an implementation over HTTP for robustness: 5xx, hangs, dropped connections, wrong
    /// statements (not conformance); findings saved as replayable cases.
    Fuzz(fuzz::Args),
    /// Race many clients on one function and judge the outcomes AWS promises (one 201 for a
    /// StatementId, one for a RevisionId, every distinct statement stored).
    Races(races::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Contract(a) => contract::run(a),
        Command::Check(a) => check::run(a),
        Command::Openapi(a) => openapi::run(a),
        Command::Faults(a) => faults::run(a),
        Command::Report(a) => report::run(a),
        Command::Replay(a) => replay::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Record(a) => record::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Gen(a) => gen::run(a),
        Command::Fuzz(a) => fuzz::run(a),
        Command::Races(a) => races::run(a),
    }
}

/// Prints a run's report. A reader that went away (`addperm check | head`) is no error here:
/// unlike `gen`, whose output is the product, a run's verdict is its exit status, and the
/// files it writes after the report must still be written. Later prints meet the same closed
/// pipe and are skipped the same way.
fn print_report(text: &str) -> anyhow::Result<()> {
    match out!("{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => Ok(result?),
    }
}
