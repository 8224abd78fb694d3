//! `addperm faults`: the fault catalogue.

use super::exit;
use addperm::reference::Fault;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    for f in Fault::every() {
        outln!("{:<32} {}", f.id(), f.description())?;
    }
    Ok(exit::passed())
}
