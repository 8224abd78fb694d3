//! `addperm races`: the race probes (`addperm::races`) against a target; this is arguments,
//! the text report and the exit code.

use super::exit;
use super::print_report;
use super::target::{parse_duration, target_from_spec, target_spec, TargetOptions};
use addperm::races::{self, Options, Probe, ProbeRun, ProbeVerdict, Round};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The implementation to probe: an http:// or https:// base URL (`addperm serve`, moto,
    /// LocalStack, ...) [default: $AWS_ENDPOINT_URL_LAMBDA, else
    /// $AWS_ENDPOINT_URL; one of them is needed].
    #[arg(long)]
    target: Option<String>,
    /// Clients racing in each round, each with a connection of its own (2 to 500).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(2..=500))]
    clients: u16,
    /// Rounds of each probe: a race shows only sometimes, and one broken round breaks the
    /// probe.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=1000))]
    rounds: u16,
    /// A probe starts no round after this long (`60s`, `2m`, plain seconds); each request
    /// also has --timeout.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    time_limit: Duration,
    /// Run only this probe (repeatable): same-sid, same-revision, distinct-sids, add-remove.
    #[arg(long, value_name = "NAME", value_parser = parse_probe)]
    probe: Vec<Probe>,
    #[command(flatten)]
    target_options: TargetOptions,
}

const AFTER_HELP: &str = "\
Each probe is a concurrent scenario whose outcome AWS promises. A round creates a function of its
own, opens one connection per client, releases every client's request at the same moment (so
they are in flight together), then reads the stored policy with GetPolicy and judges:

  same-sid       N clients add one StatementId: one 201, N-1 x 409, one statement stored
  same-revision  N clients add distinct StatementIds, all with the policy's current RevisionId:
                 one 201, N-1 x 412, one statement added
  distinct-sids  N clients add distinct StatementIds: N x 201, each answer carrying its own
                 statement, N statements stored
  add-remove     N clients add and remove one StatementId in turn: the successes read as one
                 serial order (add, remove, add...) and the statement is stored exactly when
                 the last success was an add

A server that checks and then inserts without holding one lock across both, or that shares
state between requests, breaks these in some rounds: run several (--rounds). addperm serve
keeps every promise; `addperm serve --fault lost-update` and `--fault shared-response-buffer`
break them on purpose.

Every round sends a fixed number of requests (--clients, plus a few for the setup and GetPolicy)
and each request waits at most --timeout; a probe starts no round after --time-limit.

Exit codes: 0 every probe held, 1 a probe broke its promise, 2 the command could not run (bad
arguments, a function the target would not create), 3 the target stopped answering.";

fn parse_probe(name: &str) -> Result<Probe, String> {
    Probe::ALL
        .into_iter()
        .find(|p| p.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Probe::ALL.iter().map(|p| p.name()).collect();
            format!("no probe {name:?}: use one of {}", names.join(", "))
        })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let spec = target_spec(args.target.as_deref()).unwrap_or_else(|| "reference".into());
    // Each session of the in-process reference is a world of its own: no two clients would
    // meet on one function.
    anyhow::ensure!(
        spec != "reference",
        "addperm races needs a target that clients share: give --target an http:// or https:// URL (for the reference, start `addperm serve`)"
    );
    let clients = usize::from(args.clients);
    let target = target_from_spec(&spec, &args.target_options, clients)?;
    let options = Options {
        clients,
        rounds: usize::from(args.rounds),
        time_limit: args.time_limit,
        probes: if args.probe.is_empty() {
            Probe::ALL.to_vec()
        } else {
            args.probe.clone()
        },
    };
    print_report(&format!(
        "addperm races: {}, {} clients, {} rounds per probe\n",
        target.name(),
        options.clients,
        options.rounds
    ))?;
    let mut runs = Vec::new();
    for probe in &options.probes {
        let one = Options {
            probes: vec![*probe],
            ..options.clone()
        };
        let run = races::run(target.as_ref(), &one).remove(0);
        print_report(&probe_report(&run, clients))?;
        runs.push(run);
    }
    let verdicts: Vec<ProbeVerdict> = runs.iter().map(ProbeRun::verdict).collect();
    let held = verdicts
        .iter()
        .filter(|v| **v == ProbeVerdict::Holds)
        .count();
    print_report(&format!("{held} of {} probes held\n", runs.len()))?;
    if verdicts.contains(&ProbeVerdict::Broken) {
        return Ok(exit::failed());
    }
    let dead = runs.iter().flat_map(|r| &r.rounds).any(|r| {
        matches!(
            r,
            Round::NotPlayed {
                no_answer: true,
                ..
            }
        )
    });
    if dead {
        return Ok(exit::stopped());
    }
    if verdicts.contains(&ProbeVerdict::NotPlayed) {
        return Ok(exit::unusable());
    }
    Ok(exit::passed())
}

/// A probe's block: the promise, one line per round, the verdict.
fn probe_report(run: &ProbeRun, clients: usize) -> String {
    let mut out = format!("\n{}: {}\n", run.probe.name(), run.probe.promise(clients));
    for (i, round) in run.rounds.iter().enumerate() {
        match round {
            Round::Ran {
                counts,
                stored,
                broken,
            } => {
                let counts: Vec<String> =
                    counts.iter().map(|(l, n)| format!("{n} x {l}")).collect();
                let verdict = if broken.is_empty() {
                    "holds".to_string()
                } else {
                    format!("BROKEN: {}", broken.join("; "))
                };
                out.push_str(&format!(
                    "  round {}: {}; stored {}; {verdict}\n",
                    i + 1,
                    counts.join(", "),
                    sids(stored)
                ));
            }
            Round::NotPlayed { why, .. } => {
                out.push_str(&format!("  round {}: not played: {why}\n", i + 1));
            }
        }
    }
    if run.timed_out {
        out.push_str("  (the time limit ran out before the last rounds)\n");
    }
    let verdict = match run.verdict() {
        ProbeVerdict::Holds => "holds",
        ProbeVerdict::Broken => "BROKEN",
        ProbeVerdict::NotPlayed => "not played",
    };
    out.push_str(&format!("  {}: {verdict}\n", run.probe.name()));
    out
}

/// The stored Sids, shortened past a few.
fn sids(stored: &[String]) -> String {
    const SHOWN: usize = 4;
    let n = stored.len();
    let statements = if n == 1 { "statement" } else { "statements" };
    if n == 0 {
        return "no statement".into();
    }
    let mut shown: Vec<&str> = stored.iter().take(SHOWN).map(String::as_str).collect();
    if n > SHOWN {
        shown.push("...");
    }
    format!("{n} {statements} ({})", shown.join(", "))
}
