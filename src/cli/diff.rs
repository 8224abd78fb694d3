//! `addperm diff`: the same cases on two implementations, reporting only where their answers
//! differ. Neither side is the oracle, so the cases' expectations are not used: any
//! implementation (the reference, AWS behind a proxy, an emulator) can be measured against
//! another.

use super::check::{GenerateArgs, Runs, RunsArgs};
use super::choices::CompareArg;
use super::exit;
use super::html::{HtmlArgs, StepSummary};
use super::interrupt;
use super::print_report;
use super::target::{target_from_spec, PlayArgs, TargetOptions};
use addperm::case;
use addperm::outcome::{Compare, PairVerdict};
use addperm::report::{self, RunInfo, Side};
use addperm::runner::compare_pair;
use addperm::target::Target;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["cases", "generate"]))]
#[command(
    after_long_help = "Exit codes: 0 every case got the same answer from both targets, 1 one did not, 2 the command could not run, 130 the run was interrupted (Ctrl-C or SIGTERM: the cases in flight finish, the fixtures are deleted; a second Ctrl-C quits at once)."
)]
pub struct Args {
    /// Target A: `reference` or a URL.
    #[arg(long)]
    a: String,
    /// Target B: `reference` or a URL.
    #[arg(long)]
    b: String,
    /// A case file (JSON Lines); `-` reads standard input. Repeatable.
    #[arg(long)]
    cases: Vec<PathBuf>,
    /// Generated cases instead (their expectations are not used here either); a case whose
    /// answers differ is shrunk to the simplest case whose answers still differ that way.
    #[command(flatten)]
    generate: GenerateArgs,
    /// Only run cases carrying this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// How much of the two answers must agree.
    #[arg(long, value_enum, default_value_t = CompareArg::Message)]
    compare: CompareArg,
    /// Cases run in parallel on each target.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Where both targets live (${ACCOUNT}, ${REGION}, ${PARTITION}).
    #[command(flatten)]
    target_options: TargetOptions,
    #[command(flatten)]
    play: PlayArgs,
    #[command(flatten)]
    runs: RunsArgs,
    #[command(flatten)]
    html: HtmlArgs,
}

/// Exit code 0 when every case got the same answer from both, 1 otherwise, 130 interrupted.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let suite = args.generate.suite(args.jobs)?;
    let mut cases = Vec::new();
    let mut shrinker = None;
    if let Some(suite) = suite {
        cases = suite.cases;
        shrinker = suite.shrinker;
    }
    for path in &args.cases {
        cases.extend(case::read(path).context("cannot use the case file")?);
    }
    if !args.tags.is_empty() {
        cases.retain(|c| c.tags.iter().any(|t| args.tags.contains(t)));
    }
    let a = target_from_spec(&args.a, &args.target_options, args.jobs).context("target A")?;
    let b = target_from_spec(&args.b, &args.target_options, args.jobs).context("target B")?;
    let html = args.html.open()?;
    let step_summary = StepSummary::open()?;
    let mut options = args.play.options(Compare::from(args.compare), args.jobs);
    // diff's report has no reading of cases not run yet: every case runs on both sides.
    options.keep_going = true;
    let runs = args.runs.runs();
    let run_on = |label: &str, target: &dyn Target| {
        runs.run(
            target,
            &cases,
            &options,
            &format!("{label}: {}", target.name()),
        )
    };
    let on_a = run_on("a", a.as_ref());
    // Interrupted during A: B runs no case (every pair is not compared).
    let on_b = run_on("b", b.as_ref());
    let pairs: Vec<_> = cases
        .iter()
        .zip(on_a.iter().zip(&on_b))
        .map(|(case, (x, y))| compare_pair(case, x, y, Compare::from(args.compare)))
        .collect();
    let pairs = match shrinker.filter(|_| runs == Runs::Once && !interrupt::interrupted()) {
        Some(s) => s.diff_failures(
            (a.as_ref(), b.as_ref()),
            &cases,
            &pairs,
            Compare::from(args.compare),
        ),
        None => pairs,
    };
    let (a_label, b_label) = (format!("a: {}", a.name()), format!("b: {}", b.name()));
    let (a_end, b_end) = (report::endpoint(a.as_ref()), report::endpoint(b.as_ref()));
    let side = |label, endpoint| Side { label, endpoint };
    print_report(&report::pair_report(
        &pairs,
        side(&a_label, &a_end),
        side(&b_label, &b_end),
    ))?;
    if html.is_some() || step_summary.is_some() {
        let info = |t: &dyn Target| RunInfo::new(t, Compare::from(args.compare));
        let value = report::pair_json_report(&pairs, &info(a.as_ref()), &info(b.as_ref()));
        if let Some(page) = html {
            let same = report::pair_verdict_name(PairVerdict::Same);
            let seed = args.generate.generate.map(|_| args.generate.seed);
            page.write(&value, same, seed, Default::default())?;
        }
        if let Some(s) = step_summary {
            s.append(
                &value,
                &format!("addperm diff: {} vs {}", a.name(), b.name()),
            )?;
        }
    }
    if interrupt::interrupted() {
        return Ok(exit::interrupted());
    }
    Ok(exit::verdict(
        pairs.iter().all(|p| p.verdict == PairVerdict::Same),
    ))
}
