//! Remote robustness fuzzing (`addperm fuzz`): malformed and odd AddPermission requests sent
//! to any implementation, flagging what no implementation may do (5xx, hangs, dropped
//! connections, accepted requests with a wrong statement), never mere conformance differences.
//!
//! The pipeline of one request: [`mutate`] draws a valid request from the generators and bends
//! it; the runner's own request preparation sends it, so it goes over the wire exactly as
//! `addperm check` replays it; [`judge`] decides whether the answer is a finding, with the
//! reference's statement for the same request where the reference accepts it; [`findings`]
//! groups findings by signature and writes them as cases.
//!
//! The fixture (one function with a version and an alias) is set up once per run, not per
//! request: a fuzzer is only as good as its request rate. Accepted requests fill its policies,
//! and a full policy (20 KiB) answers every further request the same way, so the fixture is
//! re-created (under a new name) before that.

mod findings;
mod json_text;
mod judge;
mod mutate;
mod odd;

mod pick;

pub use findings::{Entry, Finding, Findings};
pub use judge::{judge, Flag, Symptom};
pub use mutate::{mutate, Family, Mutant, Mutator};

use crate::case::{fixture, Case, Given, Request};
use crate::contract::POLICY_SIZE_LIMIT;
use crate::generate::oracle;
use crate::outcome::SentRequest;
use crate::player::{PlayError, Player};
use crate::report::{curl_command, endpoint};
use crate::target::{observe, Observed, Target, TargetError};
use crate::wire::Operation;
use serde_json::Value;
use std::fmt;
use std::time::{Duration, Instant};

/// The bounds of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzOptions {
    pub duration: Duration,
    pub max_requests: usize,
    pub seed: u64,
}

/// Why a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// Not yet: what a run in progress (or a summary written before an interruption) says.
    Running,
    Duration,
    MaxRequests,
    /// Early: the target stopped answering, or its fixture could not be re-created.
    Early(String),
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndReason::Running => f.write_str("not yet (a run in progress, or an interrupted one)"),
            EndReason::Duration => f.write_str("the duration was reached"),
            EndReason::MaxRequests => f.write_str("the request limit was reached"),
            EndReason::Early(why) => write!(f, "EARLY: {why}"),
        }
    }
}

/// A run could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FuzzError {
    #[error("the target cannot be reached: {0}")]
    Unreachable(TargetError),
    #[error("cannot set up the fixture function on the target: {0}")]
    Setup(String),
}

/// A run, finished or in progress.
#[derive(Debug, Clone)]
pub struct FuzzRun {
    pub target: String,
    pub seed: u64,
    pub requests: usize,
    /// Requests the target accepted (2xx).
    pub accepted: usize,
    /// How often the fixture was re-created because its policies filled up.
    pub rotations: usize,
    pub elapsed: Duration,
    pub stop: EndReason,
    pub findings: Findings,
}

impl FuzzRun {
    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }

    /// The lines that open the summary: what was fuzzed, how, how far, why it ended.
    pub fn header(&self) -> String {
        format!(
            "addperm fuzz against {}\nseed {}: {} requests in {:.1} s ({:.0} requests/s), {} accepted, fixture re-created {} times\nstopped: {}\n",
            self.target,
            self.seed,
            self.requests,
            self.elapsed.as_secs_f64(),
            self.requests_per_second(),
            self.accepted,
            self.rotations,
            self.stop
        )
    }
}

/// Fuzzes `target` within `options`' bounds. `progress` sees the run after every request (so
/// a caller can show it, and save the findings as they come).
pub fn fuzz(
    target: &dyn Target,
    options: &FuzzOptions,
    progress: &mut dyn FnMut(&FuzzRun),
) -> Result<FuzzRun, FuzzError> {
    let given = fixture::given();
    let mut fixture = Fixture::open(target, &given).map_err(|f| match f {
        PlayError::Target(e) => FuzzError::Unreachable(e),
        PlayError::Setup(d) => FuzzError::Setup(d),
    })?;
    let endpoint = endpoint(target);
    let mut mutator = Mutator::new(options.seed);
    let mut run = FuzzRun {
        target: target.name(),
        seed: options.seed,
        requests: 0,
        accepted: 0,
        rotations: 0,
        elapsed: Duration::ZERO,
        stop: EndReason::Running,
        findings: Findings::default(),
    };
    let start = Instant::now();
    let mut previous: Option<SentRequest> = None;
    loop {
        if run.requests >= options.max_requests {
            run.stop = EndReason::MaxRequests;
            break;
        }
        if start.elapsed() >= options.duration {
            run.stop = EndReason::Duration;
            break;
        }
        let mutant = mutator.next_mutant();
        run.requests += 1;
        let (sent, answer) = match fixture.send(&mutant.request) {
            Ok(sent) => sent,
            Err(failure) => {
                run.stop = EndReason::Early(format!(
                    "request #{} could not be prepared: {}",
                    run.requests, failure
                ));
                break;
            }
        };
        let reference = oracle::run(&given, &mutant.request);
        let expect = oracle::expect(&reference, &mutant.request);
        let statement: Option<Value> = expect
            .statement
            .as_ref()
            .filter(|_| (200..300).contains(&reference.status))
            .map(|s| fixture.player.vars().apply_json(s));
        if let Some(flag) = judge(&mutant.request, answer.as_ref(), statement.as_ref()) {
            let what = format!("{} {}", flag.symptom.name(), mutant.family.name());
            // A refused connection means the target died before this request: the one before
            // is the suspect.
            let suspect = match (flag.symptom, &previous) {
                (Symptom::Refused, Some(p)) => format!(
                    "; it was already down, so the request before it is the suspect: {}",
                    curl_command(p, &endpoint)
                ),
                _ => String::new(),
            };
            run.findings.add(Finding {
                flag,
                family: mutant.family,
                note: mutant.note.clone(),
                number: run.requests,
                size: mutant.size(),
                case: Case {
                    id: "fuzz".into(),
                    tags: vec!["fuzz".into(), mutant.family.name().into()],
                    given: given.clone(),
                    request: mutant.request.clone(),
                    expect,
                },
                sent: sent.clone(),
            });
            // A finding that took the target down ends the run: every later request would
            // only repeat it.
            if let Err(e) = fixture.alive() {
                run.stop = EndReason::Early(format!(
                    "the target stopped answering after request #{} (finding: {what}): {e}{suspect}",
                    run.requests
                ));
                break;
            }
        }
        if let Ok(o) = &answer {
            if (200..300).contains(&o.status) {
                run.accepted += 1;
                fixture.accepted_bytes += mutant.size();
            }
            let full = o.error_type.as_deref() == Some("PolicyLengthExceededException");
            if full || fixture.accepted_bytes > POLICY_SIZE_LIMIT {
                run.rotations += 1;
                if let Err(failure) = fixture.recreate(target, &given) {
                    run.stop = EndReason::Early(format!(
                        "the fixture could not be re-created after request #{}: {}",
                        run.requests, failure
                    ));
                    break;
                }
            }
        }
        previous = Some(sent);
        run.elapsed = start.elapsed();
        progress(&run);
    }
    run.elapsed = start.elapsed();
    Ok(run)
}

/// The fixture function on the target, and the player whose session it lives in.
struct Fixture<'t> {
    player: Player<'t>,
    /// Bytes of the requests the fixture accepted since it was created: about what its
    /// policies hold.
    accepted_bytes: usize,
}

impl<'t> Fixture<'t> {
    fn open(target: &'t dyn Target, given: &Given) -> Result<Fixture<'t>, PlayError> {
        let mut player = Player::open(target)?;
        player.provision(given)?;
        Ok(Fixture {
            player,
            accepted_bytes: 0,
        })
    }

    /// Deletes the fixture and creates it again, in a new session (so, with renaming, under a
    /// new name: a target that keeps a deleted function's policy cannot hand it back).
    fn recreate(&mut self, target: &'t dyn Target, given: &Given) -> Result<(), PlayError> {
        self.player.finish();
        *self = Fixture::open(target, given)?;
        Ok(())
    }

    /// Sends one request; the answer is read under the case's names. A transport failure
    /// counts only when the request fails again: a pooled connection that the server closed a
    /// moment before must not become a finding.
    fn send(
        &mut self,
        request: &Request,
    ) -> Result<(SentRequest, Result<Observed, TargetError>), PlayError> {
        let prepared = self.player.prepare(request)?;
        let op = &prepared.operation;
        let answer = self
            .player
            .send(op)
            .or_else(|_| self.player.send(op))
            .map(|response| {
                let o = observe(&response);
                match &prepared.renaming {
                    Some(r) => r.observed_back(o),
                    None => o,
                }
            });
        Ok((prepared.sent, answer))
    }

    /// Whether the target still answers (any HTTP answer will do), asked a few times over a
    /// few seconds so that a target that is merely slow is not declared dead.
    fn alive(&mut self) -> Result<(), TargetError> {
        let probe = Operation::GetFunction {
            name: self.player.function_name(fixture::FUNCTION),
            qualifier: None,
        };
        let mut last = None;
        for attempt in 0..3 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_secs(1));
            }
            match self.player.send(&probe) {
                Ok(_) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(TargetError::Connect("no answer".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Config, Fault};
    use crate::target::{Endpoint, ReferenceTarget};

    fn options(max_requests: usize) -> FuzzOptions {
        FuzzOptions {
            duration: Duration::from_secs(60),
            max_requests,
            seed: 5,
        }
    }

    #[test]
    fn the_reference_has_no_findings() {
        let target = ReferenceTarget::new(Config::default());
        let mut ticks = 0;
        let run = fuzz(&target, &options(600), &mut |_| ticks += 1).unwrap();
        assert_eq!(run.stop, EndReason::MaxRequests);
        assert_eq!((run.requests, ticks), (600, 600));
        assert!(
            run.findings.is_empty(),
            "{}",
            run.findings
                .summary(&run.header(), &Endpoint::unsigned("http://x"), "f")
        );
        assert!(run.accepted > 60, "{}", run.header());
        assert!(run.rotations > 0, "{}", run.header());
    }

    /// Over the whole fault catalogue, the fuzzer finds the robustness faults (500 answers, a
    /// wrong Resource) and nothing for the conformance faults, which are `check`'s business.
    #[test]
    fn finds_the_robustness_faults_and_nothing_else() {
        for fault in Fault::ALL {
            let target = ReferenceTarget::new(Config {
                fault: Some(fault),
                ..Config::default()
            });
            let run = fuzz(&target, &options(400), &mut |_| {}).unwrap();
            let mut found: Vec<(Symptom, &str)> = run
                .findings
                .entries()
                .iter()
                .map(|e| (e.example.flag.symptom, e.example.flag.what.as_str()))
                .collect();
            found.sort();
            found.dedup();
            let expected: &[(Symptom, &str)] = match fault.id() {
                "missing-member-500" | "malformed-body-500" => {
                    &[(Symptom::ServerError, "ServiceException")]
                }
                "alias-resource-unqualified" => &[(Symptom::BadStatement, "Resource")],
                _ => &[],
            };
            assert_eq!(found, expected, "{}", fault.id());
            assert!(run.findings.total() >= run.findings.entries().len());
        }
    }
}
