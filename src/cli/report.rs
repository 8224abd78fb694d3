//! `addperm report`: merge sharded JSON reports, or turn them into the conformance report.

use super::exit;
use super::html::HtmlArgs;
use addperm::outcome::Verdict;
use addperm::report::{conformance_markdown, merge_reports, EmulatorRun};
use anyhow::{bail, Context};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Merge the JSON reports of sharded runs (`check --shard K/N --report-json`) into one.
    #[arg(long, conflicts_with = "conformance")]
    merge: bool,
    /// Write the conformance report (markdown, e.g. CONFORMANCE.md) for one or more runs.
    /// Name each run NAME=FILE (e.g. moto=moto.json); a bare FILE is named after its target.
    #[arg(long)]
    conformance: bool,
    /// JSON reports written by `addperm check --report-json`.
    #[arg(required = true, value_name = "[NAME=]FILE")]
    reports: Vec<String>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    html: HtmlArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.merge && !args.conformance {
        bail!("say what to make: --merge (one JSON report) or --conformance (markdown)");
    }
    if !args.merge && args.html.report_html.is_some() {
        bail!("--report-html goes with --merge (the conformance report is markdown)");
    }
    let html = args.html.open()?;
    let mut named = Vec::new();
    for spec in &args.reports {
        let (name, path) = match spec.split_once('=') {
            Some((n, p)) if !n.is_empty() => (Some(n.to_string()), PathBuf::from(p)),
            _ => (None, PathBuf::from(spec)),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read report {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a JSON report", path.display()))?;
        let name = name.unwrap_or_else(|| value["target"].as_str().unwrap_or("target").to_string());
        named.push((name, value));
    }
    let text = if args.merge {
        let reports: Vec<Value> = named.into_iter().map(|(_, v)| v).collect();
        let merged = merge_reports(&reports)?;
        if let Some(page) = html {
            page.write(&merged, Verdict::Pass.as_str(), None, Default::default())?;
        }
        serde_json::to_string_pretty(&merged)? + "\n"
    } else {
        let runs: Vec<EmulatorRun> = named
            .iter()
            .map(|(name, report)| EmulatorRun { name, report })
            .collect();
        conformance_markdown(&runs)
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => out!("{text}")?,
    }
    Ok(exit::passed())
}
