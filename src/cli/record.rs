//! `addperm record`: play case files on a target and write them back with the target's answers
//! as their expectations (`addperm::runner::recorded`), to refresh the truth from AWS or to
//! pin down what an implementation does.

use super::check::select;
use super::exit;
use super::interrupt;
use super::print_report;
use super::progress::Progress;
use super::target::{target_from_spec, target_spec, TargetOptions};
use addperm::case::{self, Case};
use addperm::outcome::{stop_diagnosis, CaseResult, Compare, Summary, Verdict};
use addperm::report;
use addperm::runner::{self, recorded, RunOptions};
use anyhow::Context;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The implementation to record: an http:// or https:// URL (AWS itself with --sign, an
    /// emulator, `addperm serve`) or `reference` [default: $AWS_ENDPOINT_URL_LAMBDA, else
    /// $AWS_ENDPOINT_URL, else reference].
    #[arg(long)]
    target: Option<String>,
    /// A case file to play (JSON Lines, see CASES.md); `-` reads standard input. Repeatable.
    #[arg(long, required = true)]
    cases: Vec<PathBuf>,
    /// Where to write the recorded cases (JSON Lines). An existing file is refused unless
    /// --force is given.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    force: bool,
    /// Only record cases carrying this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Only record the case with this id (repeatable).
    #[arg(long = "id", value_name = "CASE-ID")]
    ids: Vec<String>,
    /// Cases run in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    #[command(flatten)]
    target_options: TargetOptions,
}

const AFTER_HELP: &str = "\
Each case is played as `addperm check` plays it (its `given` set up, placeholders resolved,
functions renamed for the session) and written to --out unchanged but for two things: `expect`
becomes what the target answered (status, error type or null, the exact message regex-escaped
and anchored, the statement), and the tag `recorded` is added. The target's own account,
region and partition are written back as ${ACCOUNT}, ${REGION} and ${PARTITION} (give
--account and --region where the target lives), renamed functions under the case's names, so
the file checks any target anywhere: `addperm check --target reference --cases FILE` shows
where the reference now answers differently from the recorded target.

Recording AWS: --target https://lambda.REGION.amazonaws.com --sign --account ACCOUNT
--region REGION --role ARN (a role that exists; addperm never creates one in a real account).
Every case's functions are created and deleted in that account.

A case whose setup failed, or whose request the target did not answer, is left out of FILE and
listed. Cases whose answer differs from their old expectation are listed as CHANGED.

A target that stops answering stops the run (the cases left are listed as not run; FILE holds
those recorded before).

Exit codes: 0 every case recorded, 1 some were not (FILE holds the others), 2 could not run,
3 the target stopped answering.";

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cases = Vec::new();
    for path in &args.cases {
        cases.extend(case::read(path).context("cannot use the case file")?);
    }
    select(&mut cases, &args.ids, &args.tags)?;
    if !args.force && args.out.exists() {
        anyhow::bail!("{} exists: give --force to replace it", args.out.display());
    }
    // Written aside, then renamed: an interrupted run leaves no half file under the name, and
    // an unwritable path fails before the run, not after it.
    let partial = args.out.with_extension("partial");
    std::fs::write(&partial, "").with_context(|| format!("cannot write {}", partial.display()))?;
    let spec = target_spec(args.target.as_deref()).unwrap_or_else(|| "reference".into());
    let target = target_from_spec(&spec, &args.target_options, args.jobs)?;
    let options = RunOptions {
        compare: Compare::Message,
        jobs: args.jobs,
        interrupt: interrupt::watch(),
        ..RunOptions::default()
    };
    let results = {
        let progress = Progress::new(cases.len(), &target.name());
        runner::run(target.as_ref(), &cases, &options, &|r| {
            progress.case_done(r)
        })
    };
    let vars = target.placeholders();
    let written: Vec<Case> = cases
        .iter()
        .zip(&results)
        .filter_map(|(c, r)| recorded(c, r, &vars))
        .collect();
    print_report(&outcome(&results, &written, &args.out))?;
    if written.is_empty() {
        let _ = std::fs::remove_file(&partial);
    } else {
        finish(&partial, &args.out, &case::to_jsonl(&written))?;
    }
    if Summary::of(&results).not_run > 0 {
        return Ok(interrupt::stopped());
    }
    Ok(exit::verdict(written.len() == results.len()))
}

/// What the run came to: the diagnosis, every case not recorded and every changed one, then
/// the counts.
fn outcome(results: &[CaseResult], written: &[Case], out: &Path) -> String {
    let mut text = String::new();
    let diagnosis = report::diagnosis(results);
    if let Some(why) = stop_diagnosis(results) {
        let _ = writeln!(text, "STOPPED {why}");
    }
    if let Some(d) = &diagnosis {
        let _ = writeln!(text, "{}", d.line());
    }
    for r in results {
        match r.verdict {
            Verdict::Pass => {}
            Verdict::Mismatch => {
                let fields: Vec<String> = r
                    .differences
                    .iter()
                    .map(|d| match d.field {
                        "status" | "error_type" => {
                            format!("{} {} -> {}", d.field, d.expected, d.actual)
                        }
                        other => other.to_string(),
                    })
                    .collect();
                let _ = writeln!(text, "CHANGED {}: {}", r.id, fields.join(", "));
            }
            // Why is the STOPPED line's, once.
            Verdict::NotRun => {
                let _ = writeln!(text, "NOT RECORDED {} (not run)", r.id);
            }
            Verdict::SetupFailure | Verdict::TargetError | Verdict::Flaky => {
                let _ = write!(text, "NOT RECORDED {} ({})", r.id, r.verdict.as_str());
                match &r.detail {
                    Some(d) if !diagnosis.as_ref().is_some_and(|g| g.covers(r)) => {
                        let _ = writeln!(text, ": {d}");
                    }
                    _ => text.push('\n'),
                }
            }
        }
    }
    let changed = results
        .iter()
        .filter(|r| r.verdict == Verdict::Mismatch)
        .count();
    let missing = results.len() - written.len();
    let _ = write!(
        text,
        "recorded {} of {} cases",
        written.len(),
        results.len()
    );
    if written.is_empty() {
        let _ = write!(text, "; {} not written", out.display());
    } else {
        let _ = write!(text, " in {}", out.display());
    }
    let _ = writeln!(
        text,
        " ({changed} answered other than their case expected, {missing} not recorded)"
    );
    text
}

/// Writes `text` to `partial`, then gives it the name `out`.
fn finish(partial: &Path, out: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(partial, text)
        .and_then(|()| std::fs::rename(partial, out))
        .with_context(|| format!("cannot write {}", out.display()))
}
