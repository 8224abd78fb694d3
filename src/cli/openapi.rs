//! `addperm openapi`.

use super::exit;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    outln!(
        "{}",
        serde_json::to_string_pretty(&addperm::contract::openapi())?
    )?;
    Ok(exit::passed())
}
