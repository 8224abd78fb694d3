//! `addperm fuzz`: robustness fuzzing of an implementation over HTTP. The work is the library's
//! (`addperm::fuzz`); this is arguments, progress, files and the exit code.

use super::exit;
use super::print_report;
use super::progress::FuzzProgress;
use super::target::{parse_duration, target_from_spec, target_spec, TargetOptions};
use addperm::fuzz::{fuzz, EndReason, FuzzOptions, FuzzRun};
use addperm::target::Endpoint;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The implementation to fuzz: an http:// or https:// base URL (`addperm serve`, moto,
    /// LocalStack, ...), or `reference` for the in-process reference [default:
    /// $AWS_ENDPOINT_URL_LAMBDA, else $AWS_ENDPOINT_URL; one of the three is needed].
    #[arg(long)]
    target: Option<String>,
    /// How long to fuzz: `60s`, `2m`, `500ms`, or plain seconds.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    duration: Duration,
    /// Stop after this many requests, even before --duration is up.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = parse_requests)]
    max_requests: usize,
    /// Seed of the request sequence: the same seed sends the same requests. Default: a random
    /// seed, printed at the start so the run can be repeated.
    #[arg(long)]
    seed: Option<u64>,
    /// Directory for the results: `findings.jsonl` (one replayable case per finding
    /// signature) and `summary.txt`. Created if missing; both files are replaced, and written
    /// again whenever a new signature is found, so an interrupted run keeps its findings.
    #[arg(long, value_name = "DIR", default_value = "addperm-fuzz")]
    out: PathBuf,
    /// Sessions sending requests at once, on the target's one pool of connections (as
    /// `check --jobs`). The requests and the findings are those of --jobs 1 (answers are
    /// booked in request order); only answers that depend on what earlier requests left in a
    /// fixture's policy can differ, since each session has a fixture of its own.
    #[arg(long, default_value_t = 1, value_parser = parse_jobs)]
    jobs: usize,
    #[command(flatten)]
    target_options: TargetOptions,
}

/// A number of sessions: a positive integer.
fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("give at least 1 job".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number of jobs")),
    }
}

const AFTER_HELP: &str = "\
Each request is a valid AddPermission request from the generators with one mutation: malformed
JSON (truncated, trailing garbage, not an object, duplicate keys, deep nesting, NaN and huge
numbers), a member of the wrong JSON type, odd values (very long, control characters, NUL, lone
surrogates, invisible and right-to-left characters, emoji), odd FunctionName path segments and
ARNs, odd and empty qualifiers, odd encodings (BOM, UTF-16-looking text, escapes), many members,
an empty body; or none, so the success path stays busy. The fixture function is created once
(as a case's `given` is) and re-created whenever its policies fill up.

Findings: any 5xx; no answer within --timeout; a reset connection or an answer that is not HTTP;
a 2xx whose Statement is not JSON or not the one asked for (Sid, Effect, Action, Resource with
the qualifier, the principal's shape). A different 4xx than AWS's, or a 2xx where AWS says 400,
is not a finding: that is conformance, for `addperm check`. After each finding the target is
asked whether it still answers; if it does not, the run stops early and says so.

Findings are grouped by signature (kind, status, error type or first line of the body, mutation
family); the summary shows each signature's count and its smallest request with a curl line.
Replay them: addperm check --cases DIR/findings.jsonl --target URL (each case expects what AWS
answers, so the replay shows the target's answer beside it).

Exit codes: 0 no findings, 1 findings, 2 the fuzzer could not run (bad arguments, target
unreachable at the start, the fixture could not be created).";

/// A request count: a positive integer.
fn parse_requests(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("give at least 1 request".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number of requests")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(spec) = target_spec(args.target.as_deref()) else {
        anyhow::bail!("fuzz needs a target: give --target URL (or set AWS_ENDPOINT_URL_LAMBDA or AWS_ENDPOINT_URL)");
    };
    let target = target_from_spec(&spec, &args.target_options, args.jobs)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the directory {}", args.out.display()))?;
    let seed = args
        .seed
        .unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0 % 1_000_000_000);
    let options = FuzzOptions {
        duration: args.duration,
        max_requests: args.max_requests,
        seed,
        jobs: args.jobs,
    };
    eprintln!(
        "addperm fuzz: {} for {:?} or {} requests, seed {seed} (--seed {seed} repeats this run)",
        target.name(),
        args.duration,
        args.max_requests
    );
    let results = Results {
        cases: args.out.join("findings.jsonl"),
        summary: args.out.join("summary.txt"),
        endpoint: addperm::report::endpoint(target.as_ref()),
    };
    // A previous run's results must not pass for this run's, should it be interrupted early.
    for stale in [&results.cases, &results.summary] {
        match std::fs::remove_file(stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot replace {}", stale.display()))
            }
            _ => {}
        }
    }
    let run = {
        let mut progress = FuzzProgress::new(args.max_requests, &target.name());
        let mut saved = 0;
        fuzz(target.as_ref(), &options, &mut |run| {
            progress.tick(run);
            // Each new signature is saved at once, so a run that is killed (a CI time-out,
            // Ctrl-C) keeps what it found. A failure here shows in the final write.
            if run.findings.entries().len() > saved {
                saved = run.findings.entries().len();
                let _ = results.write(run);
            }
        })?
    };
    let summary = results.write(&run)?;
    print_report(&format!(
        "{summary}written: {} and {}\n",
        results.cases.display(),
        results.summary.display()
    ))?;
    let early = matches!(run.stop, EndReason::Early(_));
    if let EndReason::Early(why) = &run.stop {
        eprintln!("addperm fuzz: stopped early: {why}");
    }
    Ok(match (run.findings.is_empty(), early) {
        (false, _) => exit::failed(),
        // Stopped early without a finding: the run did not happen as asked.
        (true, true) => exit::unusable(),
        (true, false) => exit::passed(),
    })
}

/// Where a run's results go.
struct Results {
    cases: PathBuf,
    summary: PathBuf,
    /// For the summary's curl and replay lines.
    endpoint: Endpoint,
}

impl Results {
    /// Writes the case file and the summary of `run` (finished or not); returns the summary.
    fn write(&self, run: &FuzzRun) -> anyhow::Result<String> {
        let summary = run.findings.summary(
            &run.header(),
            &self.endpoint,
            &self.cases.display().to_string(),
        );
        for (path, text) in [
            (&self.cases, run.findings.to_jsonl()),
            (&self.summary, summary.clone()),
        ] {
            // Written aside, then renamed: a run killed while writing leaves the last
            // complete file, never half of one.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, text)
                .and_then(|()| std::fs::rename(&partial, path))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(summary)
    }
}
