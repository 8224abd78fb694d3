//! `addperm check`, and the run-and-report path it shares with `addperm replay`.

use super::progress::Progress;
use super::target::{target_from_spec, TargetOptions};
use addperm::case::{self, Case};
use addperm::report::{self, RunInfo};
use addperm::runner::{self, Baseline, Compare, RunOptions, Shard, Summary};
use anyhow::Context;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A case file (JSON Lines, see CASES.md); `-` reads standard input. Repeatable.
    #[arg(long, required = true)]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

/// What `check` and `replay` share: the target, which cases, how to judge, where to report.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The implementation to check: `reference` (in-process) or an http:// or https:// URL
    /// (`addperm serve`, an emulator, or AWS with --sign).
    #[arg(long, default_value = "reference")]
    target: String,
    /// Only run cases carrying this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Only run the case with this id (repeatable).
    #[arg(long = "id", value_name = "CASE-ID")]
    ids: Vec<String>,
    /// How much of each answer must agree.
    #[arg(long, value_enum, default_value_t = Compare::Message)]
    compare: Compare,
    /// Cases run in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Run only shard K of N (e.g. `2/4`): cases are split by a stable hash of their id, so N
    /// jobs cover the suite exactly once; merge their JSON reports with `addperm report --merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    target_options: TargetOptions,
    /// Judge the run against known divergences recorded in FILE: it passes when every case
    /// either passes or diverges exactly as recorded; a new or changed divergence fails it.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// With --baseline: also fail when a recorded divergence now passes (it was fixed: remove
    /// it from the baseline).
    #[arg(long, requires = "baseline")]
    strict_baseline: bool,
    /// Record every divergence of this run in FILE as the new baseline (the run then exits 0).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Also write the report as JSON to FILE (see REPORTS.md).
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Also write a JUnit XML report to FILE: one testcase per case.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write each case that does not pass to DIR/<id>.jsonl, a case file holding the original
    /// case, for `addperm replay DIR`. The directory is created if missing and never emptied.
    #[arg(long, value_name = "DIR")]
    save_failures: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cases = Vec::new();
    for path in &args.cases {
        cases.extend(case::read(path).context("cannot use the case file")?);
    }
    run_and_report(cases, &args.run)
}

/// Runs `cases` as `args` say, prints the text report, writes the files asked for, and gives
/// the exit code: 0 every case passed, 1 one did not.
pub fn run_and_report(mut cases: Vec<Case>, args: &RunArgs) -> anyhow::Result<ExitCode> {
    if !args.ids.is_empty() {
        let unknown: Vec<&String> = args
            .ids
            .iter()
            .filter(|id| !cases.iter().any(|c| &c.id == *id))
            .collect();
        anyhow::ensure!(unknown.is_empty(), "no case has the id {unknown:?}");
        cases.retain(|c| args.ids.contains(&c.id));
    }
    if !args.tags.is_empty() {
        cases.retain(|c| c.tags.iter().any(|t| args.tags.contains(t)));
    }
    if let Some(shard) = args.shard {
        cases.retain(|c| shard.contains(&c.id));
    }
    let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
    let target = target_from_spec(&args.target, &args.target_options, args.jobs)?;
    // Open every output before running: a run can take minutes, a typo in a path should not
    // cost them.
    let json = args.report_json.as_deref().map(create).transpose()?;
    let junit = args.junit.as_deref().map(create).transpose()?;
    if let Some(dir) = &args.save_failures {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let options = RunOptions {
        compare: args.compare,
        jobs: args.jobs,
    };
    let results = {
        let progress = Progress::new(cases.len(), &target.name());
        runner::run(target.as_ref(), &cases, &options, &|r| {
            progress.case_done(r)
        })
    };
    let info = RunInfo::new(target.as_ref(), args.compare);
    print!("{}", report::text_report(&results, &info.base_url));
    if let Some((path, file)) = json {
        let text = serde_json::to_string_pretty(&report::json_report(&results, &info))?;
        write(&path, file, &text)?;
    }
    if let Some((path, file)) = junit {
        let xml = report::junit_report(&results, &info)
            .map_err(|e| anyhow::anyhow!("cannot make the JUnit report: {e}"))?;
        write(&path, file, &xml)?;
    }
    if let Some(dir) = &args.save_failures {
        let saved = report::save_failures(dir, &cases, &results, &info.target)
            .with_context(|| format!("cannot save failing cases in {}", dir.display()))?;
        if !saved.is_empty() {
            eprintln!("saved {} failing cases in {}", saved.len(), dir.display());
        }
    }
    if let Some(path) = &args.write_baseline {
        let recorded =
            Baseline::record_cases(&info.target, &cases, &target.placeholders(), &results);
        recorded.write(path)?;
        eprintln!(
            "recorded {} divergences in {}",
            recorded.divergences.len(),
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(baseline) = baseline {
        let judgement = baseline.judge(&results);
        print!("{}", report::baseline_block(&judgement));
        return Ok(if judgement.passes(args.strict_baseline) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    Ok(if Summary::of(&results).failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn create(path: &Path) -> anyhow::Result<(PathBuf, File)> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok((path.to_path_buf(), file))
}

fn write(path: &Path, mut file: File, text: &str) -> anyhow::Result<()> {
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .with_context(|| format!("cannot write {}", path.display()))
}
