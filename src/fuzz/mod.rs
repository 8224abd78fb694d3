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
use std::collections::BTreeMap;
use std::fmt;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The bounds of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzOptions {
    pub duration: Duration,
    pub max_requests: usize,
    pub seed: u64,
    /// Sessions sending requests at once (0 or 1: one after the other).
    pub jobs: usize,
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
///
/// With `options.jobs` above 1, that many sessions (each with its own fixture, on the target's
/// one pool of connections) send requests at once. The requests are the same as with one job:
/// this thread draws them in order from the seed, hands request `n` to session `n % jobs`, and
/// books the answers strictly in request order. So the findings, their grouping, their examples
/// (the smallest request of a signature, the earlier of two as small) and the request where an
/// early stop happens do not depend on `jobs`; only an answer that depends on what earlier
/// requests left in the fixture's policy (a duplicate Sid, a full policy) can, since each session
/// has a fixture of its own.
pub fn fuzz(
    target: &dyn Target,
    options: &FuzzOptions,
    progress: &mut dyn FnMut(&FuzzRun),
) -> Result<FuzzRun, FuzzError> {
    let jobs = options.jobs.max(1);
    let given = fixture::given();
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
    std::thread::scope(|scope| {
        let (done_tx, done) = mpsc::channel::<Worked>();
        let mut seats = Vec::with_capacity(jobs);
        for _ in 0..jobs {
            let (tx, rx) = mpsc::channel::<(usize, Mutant)>();
            let done_tx = done_tx.clone();
            let given = &given;
            scope.spawn(move || worker(target, given, rx, done_tx));
            seats.push(tx);
        }
        drop(done_tx);
        // Every session reports its fixture before any request is sent.
        for _ in 0..jobs {
            if let Ok(Worked::Opened(Err(f))) = done.recv() {
                return Err(match f {
                    PlayError::Target(e) => FuzzError::Unreachable(e),
                    PlayError::Setup(d) => FuzzError::Setup(d),
                });
            }
        }
        let start = Instant::now();
        let mut previous: Option<SentRequest> = None;
        let mut waiting: BTreeMap<usize, Answered> = BTreeMap::new();
        let (mut sent, mut booked) = (0, 0);
        loop {
            // Keep every session busy with up to two requests, while the bounds allow more.
            while run.stop == EndReason::Running && sent - booked < 2 * jobs {
                if sent >= options.max_requests {
                    run.stop = EndReason::MaxRequests;
                } else if start.elapsed() >= options.duration {
                    run.stop = EndReason::Duration;
                } else {
                    sent += 1;
                    if seats[sent % jobs]
                        .send((sent, mutator.next_mutant()))
                        .is_err()
                    {
                        sent -= 1;
                        break;
                    }
                }
            }
            if booked == sent {
                break;
            }
            let Ok(Worked::Answered(n, answered)) = done.recv() else {
                break;
            };
            waiting.insert(n, *answered);
            while let Some(answered) = waiting.remove(&(booked + 1)) {
                booked += 1;
                // After an early stop, the requests already in flight are not booked.
                if matches!(run.stop, EndReason::Early(_)) {
                    continue;
                }
                book(&mut run, booked, answered, &mut previous, &endpoint);
                run.elapsed = start.elapsed();
                progress(&run);
            }
        }
        drop(seats);
        run.elapsed = start.elapsed();
        Ok(())
    })?;
    Ok(run)
}

/// What a session sends back: its fixture, opened (or why not), then each request's answer.
enum Worked {
    Opened(Result<(), PlayError>),
    Answered(usize, Box<Answered>),
}

/// One request as a session sent and judged it.
struct Answered {
    mutant: Mutant,
    /// The request as sent, and the answer, or why it could not be prepared.
    sent: Result<(SentRequest, Result<Observed, TargetError>), PlayError>,
    /// The finding, with the case that replays it.
    flagged: Option<(Flag, Case)>,
    /// Whether the target still answered after a finding (asked only after one).
    alive: Result<(), TargetError>,
    /// Why the fixture could not be re-created after this request filled it up.
    recreate_failed: Option<PlayError>,
    rotated: bool,
}

/// A session: opens its fixture, then sends and judges the requests handed to it until the
/// run closes its channel.
fn worker(
    target: &dyn Target,
    given: &Given,
    requests: mpsc::Receiver<(usize, Mutant)>,
    done: mpsc::Sender<Worked>,
) {
    let mut fixture = match Fixture::open(target, given) {
        Ok(f) => {
            let _ = done.send(Worked::Opened(Ok(())));
            f
        }
        Err(e) => {
            let _ = done.send(Worked::Opened(Err(e)));
            return;
        }
    };
    for (n, mutant) in requests {
        let answered = fixture.answer(target, given, mutant);
        if done.send(Worked::Answered(n, Box::new(answered))).is_err() {
            return;
        }
    }
}

/// Books request `number`'s answer into `run`, in request order.
fn book(
    run: &mut FuzzRun,
    number: usize,
    answered: Answered,
    previous: &mut Option<SentRequest>,
    endpoint: &crate::target::Endpoint,
) {
    run.requests = number;
    let Answered {
        mutant,
        sent,
        flagged,
        alive,
        recreate_failed,
        rotated,
    } = answered;
    let (sent, answer) = match sent {
        Ok(sent) => sent,
        Err(failure) => {
            run.stop = EndReason::Early(format!(
                "request #{number} could not be prepared: {failure}"
            ));
            return;
        }
    };
    if let Some((flag, case)) = flagged {
        let what = format!("{} {}", flag.symptom.name(), mutant.family.name());
        // A refused connection means the target died before this request: the one before
        // is the suspect.
        let suspect = match (flag.symptom, &*previous) {
            (Symptom::Refused, Some(p)) => format!(
                "; it was already down, so the request before it is the suspect: {}",
                curl_command(p, endpoint)
            ),
            _ => String::new(),
        };
        run.findings.add(Finding {
            flag,
            family: mutant.family,
            note: mutant.note.clone(),
            number,
            size: mutant.size(),
            case,
            sent: sent.clone(),
        });
        // A finding that took the target down ends the run: every later request would
        // only repeat it.
        if let Err(e) = alive {
            run.stop = EndReason::Early(format!(
                "the target stopped answering after request #{number} (finding: {what}): {e}{suspect}"
            ));
            return;
        }
    }
    if answer
        .as_ref()
        .is_ok_and(|o| (200..300).contains(&o.status))
    {
        run.accepted += 1;
    }
    if rotated {
        run.rotations += 1;
        if let Some(failure) = recreate_failed {
            run.stop = EndReason::Early(format!(
                "the fixture could not be re-created after request #{number}: {failure}"
            ));
            return;
        }
    }
    *previous = Some(sent);
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

    /// Sends `mutant`'s request and judges the answer (with the reference's statement for the
    /// same request where it accepts it); after a finding, asks whether the target still
    /// answers, and re-creates the fixture once its policies fill up.
    fn answer(&mut self, target: &'t dyn Target, given: &Given, mutant: Mutant) -> Answered {
        let mut answered = Answered {
            sent: self.send(&mutant.request),
            mutant,
            flagged: None,
            alive: Ok(()),
            recreate_failed: None,
            rotated: false,
        };
        let Ok((_, answer)) = &answered.sent else {
            return answered;
        };
        let request = &answered.mutant.request;
        let reference = oracle::run(given, request);
        let expect = oracle::expect(&reference, request);
        let statement: Option<Value> = expect
            .statement
            .as_ref()
            .filter(|_| (200..300).contains(&reference.status))
            .map(|s| self.player.vars().apply_json(s));
        if let Some(flag) = judge(request, answer.as_ref(), statement.as_ref()) {
            let family = answered.mutant.family;
            answered.flagged = Some((
                flag,
                Case {
                    id: "fuzz".into(),
                    tags: vec!["fuzz".into(), family.name().into()],
                    given: given.clone(),
                    request: request.clone(),
                    expect,
                },
            ));
            answered.alive = self.alive();
            if answered.alive.is_err() {
                return answered;
            }
        }
        if let Ok(o) = answer {
            if (200..300).contains(&o.status) {
                self.accepted_bytes += answered.mutant.size();
            }
            let full = o.error_type.as_deref() == Some("PolicyLengthExceededException");
            if full || self.accepted_bytes > POLICY_SIZE_LIMIT {
                answered.rotated = true;
                answered.recreate_failed = self.recreate(target, given).err();
            }
        }
        answered
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
            jobs: 1,
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

    /// Several sessions send the same requests and book the same findings as one.
    #[test]
    fn findings_do_not_depend_on_jobs() {
        let target = ReferenceTarget::new(Config {
            fault: Some(Fault::MissingMember500),
            ..Config::default()
        });
        let found = |jobs| {
            let run = fuzz(
                &target,
                &FuzzOptions {
                    jobs,
                    ..options(300)
                },
                &mut |_| {},
            )
            .unwrap();
            let entries: Vec<(String, usize, usize)> = run
                .findings
                .entries()
                .iter()
                .map(|e| (e.example.signature(), e.example.number, e.count))
                .collect();
            (run.requests, run.stop, entries)
        };
        let one = found(1);
        assert!(!one.2.is_empty(), "the fault is found");
        assert_eq!(found(3), one);
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
