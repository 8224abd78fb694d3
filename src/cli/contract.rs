//! `addperm contract`.

use super::exit;
use addperm::contract::contract;
use addperm::contract::doc_page::{Deviation, Language, Layout, PageCheck};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List each place where the seed API reference page and the enforced contract differ,
    /// with the provenance and evidence of the enforced value.
    #[arg(long)]
    doc_diff: bool,
    /// Read an AddPermission API reference page (English markdown, or the plain text of a
    /// rendered page in English or Spanish) and list where it differs from the contract's
    /// recorded doc values and from what is enforced. Exit 0 when the page states the recorded
    /// doc values, 1 when it does not, 2 when it cannot be read.
    #[arg(long, value_name = "FILE", conflicts_with = "doc_diff")]
    check_doc: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let c = contract();
    if let Some(path) = args.check_doc {
        return check_doc(&path);
    }
    if args.doc_diff {
        let diff = c.doc_diff();
        for d in &diff {
            outln!(
                "{:<22} {:<30} documented: {}\n{:<53} enforced:   {} ({:?})\n{:<53} evidence:   {}",
                d.member,
                d.constraint,
                d.documented,
                "",
                d.enforced,
                d.source,
                "",
                d.evidence
            )?;
        }
        outln!(
            "{} differences between the seed page and the enforced contract",
            diff.len()
        )?;
    } else {
        outln!("{}", serde_json::to_string_pretty(&c.to_json())?)?;
    }
    Ok(exit::passed())
}

/// Unreadable or unrecognisable pages are errors (exit 2); a page that moved is exit 1.
fn check_doc(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let check = PageCheck::run(&text, contract()).with_context(|| format!("{}", path.display()))?;
    let page = &check.page;
    let layout = match page.layout {
        Layout::Markdown => "markdown",
        Layout::PlainText => "plain text",
    };
    let language = match page.language {
        Language::English => "English",
        Language::Spanish => "Spanish",
    };
    outln!(
        "{}: {language} {layout}, {} members, {} errors",
        path.display(),
        page.members.len(),
        page.errors.len()
    )?;
    let drift: Vec<&Deviation> = check.drift().collect();
    let known: Vec<&Deviation> = check.known().collect();
    outln!(
        "\nWhere the page differs from the contract's recorded doc values ({}):",
        drift.len()
    )?;
    for f in &drift {
        print_finding(f, true)?;
    }
    outln!(
        "\nWhere the page, like the recorded doc values, differs from what is enforced ({}):",
        known.len()
    )?;
    for f in &known {
        print_finding(f, false)?;
    }
    outln!()?;
    if drift.is_empty() {
        outln!("The page states the contract's recorded doc values.")?;
        Ok(exit::passed())
    } else {
        outln!(
            "The documented contract moved: {} difference(s) from the recorded doc values.",
            drift.len()
        )?;
        Ok(exit::failed())
    }
}

fn print_finding(f: &Deviation, drift: bool) -> std::io::Result<()> {
    const INDENT: &str = "                                            ";
    outln!(
        "  {:<30} {:<10} page:         {}",
        f.subject,
        f.aspect,
        f.page
    )?;
    if drift {
        outln!("{INDENT}recorded doc: {}", f.documented)?;
    }
    match f.source {
        Some(source) => {
            let source = format!("{source:?}").to_lowercase();
            outln!("{INDENT}enforced:     {} ({source})", f.enforced)?;
            if !f.evidence.is_empty() {
                outln!("{INDENT}evidence:     {}", f.evidence)?;
            }
        }
        None => outln!("{INDENT}enforced:     {} ({})", f.enforced, f.evidence)?,
    }
    Ok(())
}
