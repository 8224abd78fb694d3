//! `addperm contract`.

use addperm::contract::contract;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List each place where the seed API reference page and the enforced contract differ,
    /// with the provenance and evidence of the enforced value.
    #[arg(long)]
    doc_diff: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let c = contract();
    if args.doc_diff {
        let diff = c.doc_diff();
        for d in &diff {
            println!(
                "{:<22} {:<30} documented: {}\n{:<53} enforced:   {} ({:?})\n{:<53} evidence:   {}",
                d.member, d.constraint, d.documented, "", d.enforced, d.source, "", d.evidence
            );
        }
        println!("{} differences between the seed page and the enforced contract", diff.len());
    } else {
        println!("{}", serde_json::to_string_pretty(&c.to_json())?);
    }
    Ok(ExitCode::SUCCESS)
}
