//! `addperm races`: built-in concurrent scenarios whose outcome AWS promises, so an
//! implementation that is not thread-safe is caught by what it answers and stores, not by luck.
//!
//! Each round of a probe provisions a function of its own through the case player, opens one
//! session per client, releases every client's request at once (a barrier: the requests are
//! in flight together, which is what hits a race window), then reads the stored policy and
//! judges the answers and the policy against the promise ([`Probe`]). A round has a fixed
//! request count (the clients) and each request the target's time-out; a probe stops its rounds
//! once it has run past its time limit. Races show only sometimes, so each probe runs several
//! rounds, and one broken round breaks the probe.

mod probe;

pub use probe::Probe;

use crate::case::{Given, GivenFunction};
use crate::player::{PlayError, Player, Stored};
use crate::target::{observe, Target, TargetError};
use crate::wire::{Operation, Response};
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// The function every round provisions (a session renames it on a shared target).
const FUNCTION: &str = "race-fn";

/// How the probes run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Clients racing in each round (at least 2).
    pub clients: usize,
    /// Rounds of each probe.
    pub rounds: usize,
    /// A probe starts no round after this long.
    pub time_limit: Duration,
    pub probes: Vec<Probe>,
}

/// One client's answer, as the judgement needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `None`: no answer at all (the text is in `label`).
    pub status: Option<u16>,
    /// `201`, `409 ResourceConflictException`, `no answer: ...`: what the report counts.
    pub label: String,
    /// The Sid of the statement a successful AddPermission answered with.
    pub sid: Option<String>,
}

impl Answer {
    fn of(answer: Result<Response, TargetError>) -> Answer {
        match answer {
            Err(e) => Answer {
                status: None,
                label: format!("no answer: {e}"),
                sid: None,
            },
            Ok(response) => {
                let o = observe(&response);
                let label = match &o.error_type {
                    Some(t) => format!("{} {t}", o.status),
                    None => o.status.to_string(),
                };
                Answer {
                    status: Some(o.status),
                    label,
                    sid: o
                        .statement
                        .as_ref()
                        .map(|s| crate::player::sid(s).to_string()),
                }
            }
        }
    }

    /// Whether the request succeeded (AWS answers 201 to an add and 204 to a remove; some
    /// emulators 200).
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// How one round went.
#[derive(Debug, Clone, PartialEq)]
pub enum Round {
    /// The race ran: each distinct answer with how many clients got it (by answer), the Sids stored after it, and every way the promise broke (none: held).
    Ran {
        counts: Vec<(String, usize)>,
        stored: Vec<String>,
        broken: Vec<String>,
    },
    /// The round could not be played: the function could not be set up, or no client got
    /// any answer.
    NotPlayed { why: String, no_answer: bool },
}

/// A probe's rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeRun {
    pub probe: Probe,
    pub rounds: Vec<Round>,
    /// Whether rounds were left out because the probe ran past its time limit.
    pub timed_out: bool,
}

/// A probe's verdict over its rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeVerdict {
    /// Every round kept the promise.
    Holds,
    /// A round broke it.
    Broken,
    /// No round broke it, but one could not be played.
    NotPlayed,
}

impl ProbeRun {
    pub fn verdict(&self) -> ProbeVerdict {
        let broke = |r: &Round| matches!(r, Round::Ran { broken, .. } if !broken.is_empty());
        if self.rounds.iter().any(broke) {
            ProbeVerdict::Broken
        } else if self.rounds.is_empty()
            || self
                .rounds
                .iter()
                .any(|r| matches!(r, Round::NotPlayed { .. }))
        {
            ProbeVerdict::NotPlayed
        } else {
            ProbeVerdict::Holds
        }
    }
}

/// Runs every probe of `options` on `target`, in order.
pub fn run(target: &dyn Target, options: &Options) -> Vec<ProbeRun> {
    options
        .probes
        .iter()
        .map(|&probe| {
            let start = Instant::now();
            let mut run = ProbeRun {
                probe,
                rounds: Vec::new(),
                timed_out: false,
            };
            for _ in 0..options.rounds {
                if start.elapsed() > options.time_limit {
                    run.timed_out = true;
                    break;
                }
                let round = round(target, probe, options.clients.max(2));
                let dead = matches!(
                    round,
                    Round::NotPlayed {
                        no_answer: true,
                        ..
                    }
                );
                run.rounds.push(round);
                if dead {
                    break;
                }
            }
            run
        })
        .collect()
}

/// One round of `probe` with `clients` clients, on a function of its own.
fn round(target: &dyn Target, probe: Probe, clients: usize) -> Round {
    let not_played = |e: PlayError| Round::NotPlayed {
        no_answer: matches!(&e, PlayError::Target(t) if t.no_answer()),
        why: e.to_string(),
    };
    let mut player = match Player::open(target) {
        Ok(p) => p,
        Err(e) => return not_played(e.into()),
    };
    let given = Given {
        functions: vec![GivenFunction {
            name: FUNCTION.into(),
            versions: Vec::new(),
            aliases: Default::default(),
            permissions: Vec::new(),
        }],
    };
    if let Err(e) = player.provision(&given) {
        return not_played(e);
    }
    let name = player.function_name(FUNCTION);
    let revision = match probe.seeded() {
        false => None,
        true => match seed(&mut player, &name) {
            Ok(r) => Some(r),
            Err(e) => return not_played(e),
        },
    };
    let requests: Vec<Operation> = (0..clients)
        .map(|i| probe.request(i, &name, revision.as_deref()))
        .collect();
    let answers: Vec<Answer> = race(target, &requests)
        .into_iter()
        .map(Answer::of)
        .collect();
    if answers.iter().all(|a| a.status.is_none()) {
        return Round::NotPlayed {
            why: answers[0].label.clone(),
            no_answer: true,
        };
    }
    let stored = match player.read_policy(&name, None) {
        Ok(s) => s,
        Err(e) => Stored::Unreadable(e.to_string()),
    };
    let broken = probe.broken(&answers, &stored);
    let mut counts: Vec<(String, usize)> = Vec::new();
    for a in &answers {
        match counts.iter_mut().find(|(l, _)| *l == a.label) {
            Some((_, n)) => *n += 1,
            None => counts.push((a.label.clone(), 1)),
        }
    }
    counts.sort();
    Round::Ran {
        counts,
        stored: stored
            .statements()
            .iter()
            .map(|s| crate::player::sid(s).to_string())
            .collect(),
        broken,
    }
}

/// Stores the seed statement on `name` and reads the policy's RevisionId after it.
fn seed(player: &mut Player<'_>, name: &str) -> Result<String, PlayError> {
    let answer = player.send(&probe::add(name, probe::SEED_SID, None))?;
    if !(200..300).contains(&answer.status) {
        return Err(PlayError::Setup(format!(
            "AddPermission of the seed statement answered {}",
            observe(&answer).body_excerpt
        )));
    }
    match player.read_policy(name, None)?.revision() {
        Some(Some(r)) => Ok(r.to_string()),
        _ => Err(PlayError::Setup(
            "GetPolicy after the seed statement gave no RevisionId".into(),
        )),
    }
}

/// Sends `requests` at once, each from a client (a session) of its own, released together
/// once every client is ready; the answers come back in request order.
fn race(target: &dyn Target, requests: &[Operation]) -> Vec<Result<Response, TargetError>> {
    let barrier = Barrier::new(requests.len());
    std::thread::scope(|scope| {
        let clients: Vec<_> = requests
            .iter()
            .map(|op| {
                let barrier = &barrier;
                scope.spawn(move || {
                    let session = target.session();
                    barrier.wait();
                    session.and_then(|mut s| s.send(op))
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|c| {
                c.join()
                    .unwrap_or_else(|_| Err(TargetError::Connect("the client panicked".into())))
            })
            .collect()
    })
}
