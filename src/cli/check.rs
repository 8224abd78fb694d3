//! `addperm check`, and the run-and-report path it shares with `addperm replay`.

use super::choices::CompareArg;
use super::exit;
use super::html::{baseline_statuses, HtmlArgs, StepSummary};
use super::interrupt;
use super::print_report;
use super::progress::Progress;
use super::target::{parse_duration, target_from_spec, target_spec, PlayArgs, TargetOptions};
use addperm::case::{self, Case};
use addperm::generate::{self, Kind};
use addperm::outcome::Summary;
use addperm::report::{self, RunInfo};
use addperm::runner::{self, Baseline, Shard};
use addperm::shrink::{Limits, Shrinker};
use anyhow::Context;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use time::Date;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["cases", "generate"]))]
#[command(after_long_help = exit::RUN_CODES)]
pub struct Args {
    /// A case file (JSON Lines, see CASES.md); `-` reads standard input. Repeatable.
    #[arg(long)]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    generate: GenerateArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// Generated cases instead of case files, for `check` and `diff`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Generated cases")]
pub struct GenerateArgs {
    /// Run exactly N generated cases instead of case files, expectations from the reference.
    /// The mix of `gen --kind all`: up to half are boundary-table rows (the whole table once N
    /// is twice its size, else evenly spaced rows), the rest 2/5 valid, 2/5 invalid, 1/5
    /// sequences; from there on, the cases of `gen --kind all --count <N - table> --seed S`.
    #[arg(long, value_name = "N", value_parser = parse_count)]
    pub generate: Option<usize>,
    /// The seed of --generate; the run prints it, and the same seed gives the same cases.
    #[arg(long, default_value_t = 0, requires = "generate")]
    pub seed: u64,
    /// Report failing generated cases as generated, without shrinking them.
    #[arg(long, requires = "generate")]
    pub no_shrink: bool,
    /// Most candidates run while shrinking one failing case.
    #[arg(long, value_name = "N", default_value_t = Limits::default().candidates, requires = "generate")]
    pub shrink_steps: usize,
    /// Most time spent shrinking all failures of the run (`30`, `2.5`, `500ms`); failures not
    /// reached by then are reported as generated, the first of each finding comes first.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_duration, requires = "generate")]
    pub shrink_time: Duration,
}

/// A case count: a positive integer.
fn parse_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("give at least 1 case".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number of cases")),
    }
}

/// Generated cases, as `check` and `diff` run them.
pub struct Suite {
    pub cases: Vec<Case>,
    /// `None` with `--no-shrink`.
    pub shrinker: Option<Shrinker>,
}

impl GenerateArgs {
    /// The suite `--generate N --seed S` asks for, or `None` without `--generate`. Prints the
    /// seed and the mix on standard output, so the report says how to get the same cases.
    pub fn suite(&self, jobs: usize) -> anyhow::Result<Option<Suite>> {
        let Some(total) = self.generate else {
            return Ok(None);
        };
        let drawn = generate::suite(total, self.seed).context("cannot generate the cases")?;
        let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &drawn {
            let kind = d.origin.as_ref().map_or(Kind::Boundary, |o| o.kind());
            *mix.entry(kind.name()).or_default() += 1;
        }
        let mix: Vec<String> = [Kind::Boundary, Kind::Valid, Kind::Invalid, Kind::Sequence]
            .iter()
            .map(|k| format!("{} {}", mix.get(k.name()).unwrap_or(&0), k.name()))
            .collect();
        print_report(&format!(
            "generated {total} cases with --seed {} ({})\n",
            self.seed,
            mix.join(", ")
        ))?;
        let mut origins = HashMap::new();
        let mut cases = Vec::with_capacity(drawn.len());
        for d in drawn {
            if let Some(origin) = d.origin {
                origins.insert(d.generated.case.id.clone(), origin);
            }
            cases.push(d.generated.case);
        }
        let shrinker = (!self.no_shrink).then(|| Shrinker {
            origins,
            limits: Limits {
                candidates: self.shrink_steps,
                time: self.shrink_time,
            },
            jobs,
        });
        Ok(Some(Suite { cases, shrinker }))
    }
}

/// What `check` and `replay` share: the target, which cases, how to judge, where to report.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The implementation to check: `reference` (in-process) or an http:// or https:// URL
    /// (`addperm serve`, an emulator, or AWS with --sign) [default: $AWS_ENDPOINT_URL_LAMBDA,
    /// else $AWS_ENDPOINT_URL, else reference].
    #[arg(long)]
    target: Option<String>,
    /// Only run cases carrying this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Only run the case with this id (repeatable).
    #[arg(long = "id", value_name = "CASE-ID")]
    ids: Vec<String>,
    /// How much of each answer must agree.
    #[arg(long, value_enum, default_value_t = CompareArg::Message)]
    compare: CompareArg,
    /// Cases run in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    #[command(flatten)]
    runs: RunsArgs,
    /// Run only shard K of N (e.g. `2/4`): cases are split by a stable hash of their id, so N
    /// jobs cover the suite exactly once; merge their JSON reports with `addperm report --merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    target_options: TargetOptions,
    #[command(flatten)]
    play: PlayArgs,
    /// Judge the run against known divergences recorded in FILE: it passes when every case
    /// either passes or diverges exactly as recorded; a new or changed divergence fails it.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// With --baseline: also fail when a recorded divergence now passes (it was fixed: remove
    /// it from the baseline).
    #[arg(long, requires = "baseline")]
    strict_baseline: bool,
    /// Judge the baseline's expiry dates as on DATE (YYYY-MM-DD) instead of today (UTC): an
    /// entry whose `expires` is before it no longer hides its divergence.
    #[arg(long, value_name = "DATE", value_parser = runner::parse_day, requires = "baseline")]
    today: Option<Date>,
    /// Record every divergence of this run in FILE as the new baseline (the run then exits 0).
    /// Entries of the file it replaces keep their `reason` and `expires`.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Run every case even when the target has stopped answering. Without it, the run stops
    /// after 2 x --jobs (at least 5) cases in a row that got no answer at all (refused, reset,
    /// timed out) and exits 3, reporting the cases left as not run.
    #[arg(long)]
    keep_going: bool,
    /// Also write the report as JSON to FILE (see REPORTS.md).
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Also write a JUnit XML report to FILE: one testcase per case.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    #[command(flatten)]
    html: HtmlArgs,
    /// Write each case that does not pass to DIR/<id>.jsonl, a case file holding the original
    /// case (a failing generated case shrunk), for `addperm replay DIR`. The directory is
    /// created if missing and never emptied.
    #[arg(long, value_name = "DIR")]
    save_failures: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(suite) = args.generate.suite(args.run.jobs)? {
        let seed = Some(args.generate.seed);
        return run_and_report(suite.cases, &args.run, suite.shrinker.as_ref(), seed);
    }
    let mut cases = Vec::new();
    for path in &args.cases {
        cases.extend(case::read(path).context("cannot use the case file")?);
    }
    run_and_report(cases, &args.run, None, None)
}

/// Keeps the cases `--id` (`ids`) and `--tag` (`tags`) ask for: all when neither is given.
/// An id no case has is an error (a typo would otherwise run nothing).
pub fn select(cases: &mut Vec<Case>, ids: &[String], tags: &[String]) -> anyhow::Result<()> {
    if !ids.is_empty() {
        let unknown: Vec<&String> = ids
            .iter()
            .filter(|id| !cases.iter().any(|c| &c.id == *id))
            .collect();
        anyhow::ensure!(unknown.is_empty(), "no case has the id {unknown:?}");
        cases.retain(|c| ids.contains(&c.id));
    }
    if !tags.is_empty() {
        cases.retain(|c| c.tags.iter().any(|t| tags.contains(t)));
    }
    Ok(())
}

/// Runs `cases` as `args` say, shrinks failing generated cases when there is a `shrinker`,
/// prints the text report, writes the files asked for, and gives the exit code: 0 every case
/// passed, 1 one did not, 3 the target stopped answering and the run stopped, 130 it was
/// interrupted. `seed` is a generated run's, for the HTML page.
pub fn run_and_report(
    mut cases: Vec<Case>,
    args: &RunArgs,
    shrinker: Option<&Shrinker>,
    seed: Option<u64>,
) -> anyhow::Result<ExitCode> {
    select(&mut cases, &args.ids, &args.tags)?;
    if let Some(shard) = args.shard {
        cases.retain(|c| shard.contains(&c.id));
    }
    let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
    // The baseline a new one replaces, read now: its reasons and dates are kept, and a file
    // that is not a baseline must not be overwritten after a run.
    let replaced = match &args.write_baseline {
        Some(path) if path.exists() => Some(Baseline::read(path)?),
        _ => None,
    };
    let spec = target_spec(args.target.as_deref()).unwrap_or_else(|| "reference".into());
    let target = target_from_spec(&spec, &args.target_options, args.jobs)?;
    // Open every output before running: a run can take minutes, a typo in a path should not
    // cost them.
    let json = args.report_json.as_deref().map(create).transpose()?;
    let junit = args.junit.as_deref().map(create).transpose()?;
    let html = args.html.open()?;
    let step_summary = StepSummary::open()?;
    if let Some(dir) = &args.save_failures {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let mut options = args.play.options(args.compare.into(), args.jobs);
    options.keep_going = args.keep_going;
    let results = args
        .runs()
        .run(target.as_ref(), &cases, &options, &target.name());
    // What the run cost, before shrinking sends its candidates.
    let info = RunInfo::new(target.as_ref(), args.compare.into());
    let stopped = Summary::of(&results).not_run > 0;
    // Reports show shrunk cases; baselines keep the generated ids, which a seed reproduces
    // (what a shrunk case looks like depends on the time left to shrink it). Not when the
    // target stopped answering: every candidate would wait for its time-out.
    let shrunk = shrinker
        .filter(|_| args.runs() == Runs::Once)
        .filter(|s| !stopped && !interrupt::interrupted() && s.shrinkable(&results) > 0)
        .map(|s| {
            let progress = Progress::new(s.shrinkable(&results), "shrinking");
            s.check_failures(
                target.as_ref(),
                &cases,
                &results,
                args.compare.into(),
                &|r| progress.case_done(r),
            )
        });
    let (reported_cases, reported) = match &shrunk {
        Some((c, r)) => (c, r),
        None => (&cases, &results),
    };
    print_report(&report::text_report(reported, &info))?;
    let today = args
        .today
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let judgement = baseline.as_ref().map(|b| b.judge(&results, today));
    if json.is_some() || html.is_some() || step_summary.is_some() {
        let mut value = report::json_report(reported, &info);
        if let Some(j) = &judgement {
            report::with_baseline(&mut value, j);
        }
        if let Some((path, file)) = json {
            write(&path, file, &serde_json::to_string_pretty(&value)?)?;
        }
        if let Some(page) = html {
            let statuses = judgement.as_ref().map(|j| baseline_statuses(j, &results));
            let pass = addperm::outcome::Verdict::Pass.as_str();
            page.write(&value, pass, seed, statuses.unwrap_or_default())?;
        }
        if let Some(s) = step_summary {
            s.append(&value, &format!("addperm: {}", info.target))?;
        }
    }
    if let Some((path, file)) = junit {
        let xml = report::junit_report(reported, &info)
            .map_err(|e| anyhow::anyhow!("cannot make the JUnit report: {e}"))?;
        write(&path, file, &xml)?;
    }
    if let Some(dir) = &args.save_failures {
        let saved = report::save_failures(dir, reported_cases, reported, &info.target)
            .with_context(|| format!("cannot save failing cases in {}", dir.display()))?;
        if !saved.is_empty() {
            eprintln!("saved {} failing cases in {}", saved.len(), dir.display());
        }
    }
    if let Some(path) = &args.write_baseline {
        if stopped {
            // The cases not run would drop out of the baseline.
            eprintln!(
                "the run stopped before its last cases: {} not written",
                path.display()
            );
            return Ok(interrupt::stopped());
        }
        let mut recorded = Baseline::record(&info.target, &results);
        let kept = replaced.map_or(0, |old| recorded.keep_notes(&old));
        recorded.write(path)?;
        eprintln!(
            "recorded {} divergences in {} ({kept} with the reason or date they had)",
            recorded.divergences.len(),
            path.display()
        );
        return Ok(exit::passed());
    }
    if let Some(judgement) = judgement {
        print_report(&report::baseline_block(&judgement))?;
        if !stopped {
            return Ok(exit::verdict(judgement.passes(args.strict_baseline)));
        }
    }
    if stopped {
        return Ok(interrupt::stopped());
    }
    Ok(exit::verdict(Summary::of(&results).failed() == 0))
}

/// How often the cases run, and how the runs are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    Once,
    /// `--repeat N`, N > 1.
    Repeat(usize),
    /// `--concurrency-check K`.
    Concurrency(usize),
}

impl Runs {
    fn new(repeat: u16, concurrency_check: Option<u16>) -> Runs {
        match (repeat, concurrency_check) {
            (_, Some(k)) => Runs::Concurrency(usize::from(k)),
            (1, None) => Runs::Once,
            (n, None) => Runs::Repeat(usize::from(n)),
        }
    }

    /// How many times each case is played.
    fn plays(self) -> usize {
        match self {
            Runs::Once => 1,
            Runs::Repeat(n) => n,
            Runs::Concurrency(_) => 2,
        }
    }

    /// Runs `cases` on `target` so, with a progress bar (`label`) over every play; one result
    /// per case.
    pub fn run(
        self,
        target: &dyn addperm::target::Target,
        cases: &[Case],
        options: &runner::RunOptions,
        label: &str,
    ) -> Vec<addperm::outcome::CaseResult> {
        let progress = Progress::new(cases.len() * self.plays(), label);
        let done = |r: &addperm::outcome::CaseResult| progress.case_done(r);
        match self {
            Runs::Once => runner::run(target, cases, options, &done),
            Runs::Repeat(n) => runner::run_repeated(target, cases, options, n, &done),
            Runs::Concurrency(k) => runner::run_concurrency_check(target, cases, options, k, &done),
        }
    }
}

impl RunArgs {
    fn runs(&self) -> Runs {
        self.runs.runs()
    }
}

/// `--repeat` and `--concurrency-check`, for `check`, `replay` and `diff`.
#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    /// Run every case N times, each time on functions made for it, and report a case whose
    /// answers differ between the runs as `flaky`, its answers side by side (a race, or state
    /// left behind): a deterministic implementation answers alike every time. Composes with
    /// --jobs.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    repeat: u16,
    /// Run the cases once one after the other, then once with K workers interleaving them on
    /// the same target (each case on functions of its own), and report only the cases whose
    /// concurrent answer differs from their sequential one, as `flaky` with both answers: what
    /// concurrency changed, not what is deterministic. --jobs is ignored.
    #[arg(long, value_name = "K", conflicts_with = "repeat", value_parser = clap::value_parser!(u16).range(2..=500))]
    concurrency_check: Option<u16>,
}

impl RunsArgs {
    pub fn runs(&self) -> Runs {
        Runs::new(self.repeat, self.concurrency_check)
    }
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
