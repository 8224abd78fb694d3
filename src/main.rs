//! The `addperm` command line: a thin layer over the library.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        // The reader of our output went away (`addperm gen | head`): what it wanted, it has.
        Err(e) if is_broken_pipe(&e) => cli::exit::passed(),
        Err(e) => {
            eprintln!("addperm: error: {e:#}");
            cli::exit::unusable()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
