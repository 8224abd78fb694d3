//! The case player: the one place that plays a case's `given` and request on a target.
//!
//! It sets up the `given` state through the Lambda API (functions, versions, aliases, the
//! permissions granted before), resolves placeholders (reading `${CURRENT_REVISION}` from the
//! target where asked), gives the case's functions the session's names (renaming) and sends the
//! request. The runner, the generators' oracle (on the in-process reference) and the fuzzer all
//! play through it, so a change to how a case is played has exactly one home.

mod pending;
mod pool;
mod renaming;
mod stored;
mod world;

pub use pool::{Pool, Read};
pub use stored::{sid, Stored};
pub(crate) use world::{fresh_world, WorldPlay};

/// Plays `given` and `request` on `world`, an in-process reference whose names are the case's.
pub(crate) fn world_play(
    world: &mut crate::reference::Reference,
    vars: &Placeholders,
    given: &Given,
    request: &Request,
) -> Result<WorldPlay, PlayError> {
    world::play(
        world,
        vars,
        HashMap::new(),
        &|n| n.to_string(),
        given,
        request,
    )
}

use pending::{NotReady, PENDING_LIMIT};
pub use renaming::Renaming;

use crate::case::{self, Expect, Given, GivenFunction, Placeholders, Request};
use crate::contract::{FunctionRef, QualifierKind};
use crate::outcome::{Difference, ProvisioningDivergence, SentRequest};
use crate::reference::{AddPermissionRequest, Body};
use crate::target::{observe, Observed, Reply, Session, Target, TargetError};
use crate::wire::{Operation, Response};
use std::collections::HashMap;

/// Why a case could not be played to its answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// The target refused to set up the `given` state (the text names the call and answer).
    #[error("{0}")]
    Setup(String),
    /// The target gave no usable answer.
    #[error(transparent)]
    Target(#[from] TargetError),
}

/// A session on a target, with the target's placeholder values: what a case is played in.
/// Dropping a player that opened its own session removes what the session created, where the
/// target allows it; a player on a pool's session leaves that to the pool.
pub struct Player<'t> {
    session: Seat<'t>,
    vars: Placeholders,
    /// The target's names for case functions that a pool lends (they exist already: only
    /// their `given` permissions are added) or creates under names of its own.
    names: HashMap<String, Fixture>,
    /// Setup calls since the last case was played that succeeded with another status than
    /// AWS's (each once).
    provisioning: Vec<ProvisioningDivergence>,
}

/// Where a player's session lives.
enum Seat<'t> {
    Own(Box<dyn Session + 't>),
    Borrowed(&'t mut (dyn Session + 't)),
}

/// A case function's name on the target, whether the function is there already, which of its
/// `given` aliases it lacks (made before its permissions are granted), and which of its `given`
/// permissions it holds already (their indices), so they are not granted again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fixture {
    pub name: String,
    pub exists: bool,
    pub lacks: Vec<(String, String)>,
    pub holds: Vec<usize>,
}

impl<'t> Seat<'t> {
    fn get(&mut self) -> &mut (dyn Session + 't) {
        match self {
            Seat::Own(s) => s.as_mut(),
            Seat::Borrowed(s) => &mut **s,
        }
    }

    fn peek(&self) -> &(dyn Session + 't) {
        match self {
            Seat::Own(s) => s.as_ref(),
            Seat::Borrowed(s) => &**s,
        }
    }
}

/// A request resolved for a session: ready to send, and told back under the case's names.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The AddPermission operation to send.
    pub operation: Operation,
    /// The request as reports show it, under the case's names.
    pub sent: SentRequest,
    /// How the session renamed the function, to read the answer back under the case's names.
    pub renaming: Option<Renaming>,
    /// The placeholders the request was resolved with (`${CURRENT_REVISION}` included).
    pub vars: Placeholders,
    /// The addressed policy's RevisionId as GetPolicy showed it while `${CURRENT_REVISION}`
    /// was read (`Some(None)`: no policy), so it need not be read again.
    pub policy_revision: Option<Option<String>>,
}

/// A case played: what was sent, and the target's answer or why there was none.
#[derive(Debug, Clone)]
pub struct Played {
    pub prepared: Prepared,
    pub answer: Result<Reply, TargetError>,
    /// The case's setup calls that succeeded with another status than AWS's.
    pub provisioning: Vec<ProvisioningDivergence>,
}

impl Played {
    /// `expect` with the placeholders the request was resolved with, under the case's names.
    pub fn resolve(&self, expect: &Expect) -> Expect {
        let vars = &self.prepared.vars;
        Expect {
            message_like: expect.message_like.as_deref().map(|m| vars.apply(m)),
            statement: expect.statement.as_ref().map(|s| vars.apply_json(s)),
            policy: expect.policy.as_ref().map(|p| vars.apply_json(p)),
            ..expect.clone()
        }
    }

    /// Judges the answer against `expected` (resolved, under the case's names) with `judge`,
    /// under the target's names; the differences and the answer come back under the case's.
    pub fn judge(
        &self,
        expected: &Expect,
        judge: impl Fn(&Expect, &Observed) -> Vec<Difference>,
    ) -> Result<(Vec<Difference>, Observed), TargetError> {
        let observed = match self.answer.as_ref().map_err(Clone::clone)? {
            Reply::Wire(response) => observe(response),
            // Rendered to the bytes `addperm serve` would send, and judged from those.
            Reply::Typed(answer) => observe(&answer.clone().into_response()),
        };
        Ok(match &self.prepared.renaming {
            Some(r) => (
                judge(&r.expect(expected), &observed)
                    .into_iter()
                    .map(|d| r.difference_back(d))
                    .collect(),
                r.observed_back(observed),
            ),
            None => (judge(expected, &observed), observed),
        })
    }
}

impl<'t> Player<'t> {
    /// A new session on `target`.
    pub fn open(target: &'t dyn Target) -> Result<Player<'t>, TargetError> {
        Ok(Player {
            session: Seat::Own(target.session()?),
            vars: target.placeholders(),
            names: HashMap::new(),
            provisioning: Vec::new(),
        })
    }

    /// A player on a session it does not own (a pool's, or the oracle's own world), with the
    /// target's names for the case's functions.
    pub(crate) fn on(
        session: &'t mut (dyn Session + 't),
        vars: Placeholders,
        names: HashMap<String, Fixture>,
    ) -> Player<'t> {
        Player {
            session: Seat::Borrowed(session),
            vars,
            names,
            provisioning: Vec::new(),
        }
    }

    /// The target's placeholder values.
    pub fn vars(&self) -> &Placeholders {
        &self.vars
    }

    /// The session's name for the case's function `original`.
    pub fn function_name(&self, original: &str) -> String {
        match self.names.get(original) {
            Some(f) => f.name.clone(),
            None => self.session.peek().function_name(original),
        }
    }

    /// GetPolicy of `function_name` (as sent) and `qualifier`: what the target stored.
    pub fn read_policy(
        &mut self,
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Result<Stored, TargetError> {
        let reply = self.session.get().call(&Operation::GetPolicy {
            function_name: function_name.to_string(),
            qualifier: qualifier.map(str::to_string),
        })?;
        Ok(Stored::read(reply))
    }

    /// Sends one operation as it is.
    pub fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        self.session.get().send(op)
    }

    /// Sets up `given`, then sends `request`. A target that gives no answer to the request
    /// itself is told in [`Played::answer`], with the request as it was sent.
    pub fn play(&mut self, given: &Given, request: &Request) -> Result<Played, PlayError> {
        self.provision(given)?;
        let prepared = self.prepare(request)?;
        let answer = self.session.get().call(&prepared.operation);
        Ok(self.played(prepared, answer))
    }

    /// [`Player::play`], reading the policy the request addressed after it where `fresh` (the
    /// case on a fresh world) shows it names an existing function, and its RevisionId before
    /// it where the case's own world had a policy there to change.
    pub(crate) fn play_reading(
        &mut self,
        given: &Given,
        request: &Request,
        fresh: Option<&WorldPlay>,
    ) -> Result<(Played, Option<Read>), PlayError> {
        self.provision(given)?;
        let prepared = self.prepare(request)?;
        let Operation::AddPermission(op) = &prepared.operation else {
            unreachable!("prepare makes an AddPermission")
        };
        let (function_name, qualifier) = (op.function_name.clone(), op.qualifier.clone());
        let revision_before = match (fresh, &prepared.policy_revision) {
            (Some(f), Some(known)) if !f.before.is_empty() => Some(known.clone()),
            (Some(f), None) if !f.before.is_empty() => self
                .read_policy(&function_name, qualifier.as_deref())?
                .revision()
                .map(|r| r.map(str::to_string)),
            _ => None,
        };
        let answer = self.session.get().call(&prepared.operation);
        let read = match (fresh, &answer) {
            (Some(_), Ok(_)) => Some(Read {
                stored: self.read_policy(&function_name, qualifier.as_deref())?,
                leftovers: Vec::new(),
                revision_before,
            }),
            _ => None,
        };
        Ok((self.played(prepared, answer), read))
    }

    /// The case played, with the provisioning divergences its setup met.
    pub(crate) fn played(
        &mut self,
        prepared: Prepared,
        answer: Result<Reply, TargetError>,
    ) -> Played {
        Played {
            prepared,
            answer,
            provisioning: std::mem::take(&mut self.provisioning),
        }
    }

    /// Brings the target into the `given` state through the Lambda API.
    pub fn provision(&mut self, given: &Given) -> Result<(), PlayError> {
        for f in &given.functions {
            let name = self.function_name(&f.name);
            if let Some(lent) = self.names.get(&f.name).filter(|n| n.exists) {
                let (lacks, holds) = (lent.lacks.clone(), lent.holds.clone());
                for (alias, version) in lacks {
                    self.setup_call(
                        Operation::CreateAlias {
                            name: name.clone(),
                            alias,
                            version,
                        },
                        201,
                    )?;
                }
                self.add_given_permissions(&name, f, &holds)?;
                continue;
            }
            let created = self.setup_call(Operation::CreateFunction { name: name.clone() }, 201)?;
            let mut busy = is_busy(&created);
            for (i, wanted) in f.versions.iter().enumerate() {
                if i > 0 {
                    // AWS (and moto, LocalStack) publish no new version of an unchanged
                    // function: change `$LATEST` first. The answer is not judged (LocalStack
                    // applies the change yet answers 500); PublishVersion's version number is.
                    let r = self
                        .session
                        .get()
                        .call(&Operation::UpdateFunctionConfiguration {
                            name: name.clone(),
                            description: format!("addperm fixture: version {wanted}"),
                        })?;
                    busy = is_busy(&r);
                }
                // A function that is Pending or updating (AWS, LocalStack) refuses
                // PublishVersion.
                if std::mem::take(&mut busy) {
                    pending::wait_while_busy(self.session.get(), &name, PENDING_LIMIT).map_err(
                        |e| match e {
                            NotReady::Target(e) => PlayError::Target(e),
                            NotReady::Setup(d) => PlayError::Setup(d),
                        },
                    )?;
                }
                let got = self
                    .setup_call(Operation::PublishVersion { name: name.clone() }, 201)?
                    .version();
                if got.as_deref() != Some(wanted.as_str()) {
                    return Err(PlayError::Setup(format!(
                        "PublishVersion of {} gave version {} where the case lists {wanted}",
                        f.name,
                        got.unwrap_or_else(|| "(unreadable)".into())
                    )));
                }
            }
            for (alias, version) in &f.aliases {
                self.setup_call(
                    Operation::CreateAlias {
                        name: name.clone(),
                        alias: alias.clone(),
                        version: version.clone(),
                    },
                    201,
                )?;
            }
            self.add_given_permissions(&name, f, &[])?;
        }
        Ok(())
    }

    /// The permissions `given` grants on function `f`, whose name on the target is `name`.
    fn add_given_permissions(
        &mut self,
        name: &str,
        f: &GivenFunction,
        holds: &[usize],
    ) -> Result<(), PlayError> {
        for (i, p) in f.permissions.iter().enumerate() {
            if holds.contains(&i) {
                continue;
            }
            self.setup_call(
                Operation::AddPermission(AddPermissionRequest {
                    function_name: name.to_string(),
                    qualifier: p.qualifier.as_deref().map(|q| self.vars.apply(q)),
                    body: Body::Json(self.vars.apply_json(&p.body)),
                }),
                201,
            )?;
        }
        Ok(())
    }

    /// Resolves `request` for the session (see [`Prepared`]). The fuzzer sends its requests
    /// through here too, so a fuzzed request goes over the wire exactly as `addperm check`
    /// later replays it.
    pub fn prepare(&mut self, request: &Request) -> Result<Prepared, PlayError> {
        let mut vars = self.vars.clone();
        let mut policy_revision = None;
        let mut function_name = vars.apply(&request.function_name);
        let mut qualifier = request.qualifier.as_deref().map(|q| vars.apply(q));
        let raw_text = request.raw_body.as_deref().unwrap_or_default();
        let body_needs_revision = match &request.body {
            Some(v) => case::json_needs_current_revision(v),
            None => case::needs_current_revision(raw_text),
        };
        if body_needs_revision
            || [&function_name]
                .into_iter()
                .chain(qualifier.as_ref())
                .any(|s| case::needs_current_revision(s))
        {
            let (current, seen) = self.current_revision(&function_name, qualifier.as_deref())?;
            vars.current_revision = Some(current);
            policy_revision = seen;
            function_name = vars.apply(&function_name);
            qualifier = qualifier.map(|q| vars.apply(&q));
        }
        let body = match &request.body {
            Some(v) => Body::Json(vars.apply_json(v)),
            None => Body::Raw(vars.apply(raw_text).into_bytes()),
        };
        // Give the case's functions the target's names, in the request and the expectation.
        let mut renaming = None;
        let case_function_name = function_name.clone();
        if let Some(mut fref) = FunctionRef::parse(&function_name) {
            let renamed = self.function_name(&fref.name);
            if renamed != fref.name {
                renaming = Some(Renaming::new(&fref.name, &renamed));
                fref.name = renamed;
                function_name = fref.to_string();
            }
        }
        let sent = SentRequest {
            function_name: case_function_name,
            qualifier: qualifier.clone(),
            body: String::from_utf8_lossy(&body.to_bytes()).into_owned(),
            sent_function_name: renaming.as_ref().map(|_| function_name.clone()),
        };
        let operation = Operation::AddPermission(AddPermissionRequest {
            function_name,
            qualifier,
            body,
        });
        Ok(Prepared {
            operation,
            sent,
            renaming,
            vars,
            policy_revision,
        })
    }

    /// Sends `op` during setup, where AWS answers `status`. Any 2xx is a success: the state is
    /// what the case needs (moto answers 200 to AddPermission, an emulator 200 to CreateAlias,
    /// AWS 201), and the case's own request is where an answer is judged. A success with
    /// another status is noted as a provisioning divergence; the fields the player reads from
    /// an answer (a version, a RevisionId) are checked where they are read.
    fn setup_call(&mut self, op: Operation, status: u16) -> Result<Reply, PlayError> {
        let reply = self.session.get().call(&op)?;
        let got = reply.status();
        if !(200..300).contains(&got) {
            let o = observe(&reply.into_response());
            return Err(PlayError::Setup(format!(
                "{} answered {got} {} {} (expected {status})",
                op.name(),
                o.error_type.unwrap_or_default(),
                o.message.unwrap_or(o.body_excerpt),
            )));
        }
        if got != status {
            let d = ProvisioningDivergence {
                operation: op.name().to_string(),
                expected: status,
                got,
            };
            if !self.provisioning.contains(&d) {
                self.provisioning.push(d);
            }
        }
        Ok(reply)
    }

    /// `${CURRENT_REVISION}`: GetPolicy's RevisionId for the function and qualifier, or where
    /// no policy exists yet, the RevisionId of the version or alias the qualifier addresses.
    /// With it, the policy's RevisionId as GetPolicy showed it (`Some(None)`: no policy).
    fn current_revision(
        &mut self,
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Result<(String, Option<Option<String>>), PlayError> {
        let Some(fref) = FunctionRef::parse(function_name) else {
            return Ok((String::new(), None));
        };
        let name = self.function_name(&fref.name);
        let qualifier = qualifier.map(str::to_string).or(fref.qualifier);
        let policy = self.session.get().call(&Operation::GetPolicy {
            function_name: name.clone(),
            qualifier: qualifier.clone(),
        })?;
        if policy.status() == 200 {
            if let Some(r) = policy.revision_id(None) {
                return Ok((r.clone(), Some(Some(r))));
            }
        }
        let seen = Stored::read(policy)
            .revision()
            .map(|r| r.map(str::to_string));
        let (reply, container) = match qualifier {
            Some(q) if QualifierKind::of(&q) == QualifierKind::Alias => (
                self.session
                    .get()
                    .call(&Operation::GetAlias { name, alias: q })?,
                None,
            ),
            q => (
                self.session
                    .get()
                    .call(&Operation::GetFunction { name, qualifier: q })?,
                Some("Configuration"),
            ),
        };
        Ok((reply.revision_id(container).unwrap_or_default(), seen))
    }
}

/// Whether an answer says the function cannot be changed yet (the reference never does).
fn is_busy(reply: &Reply) -> bool {
    match reply {
        Reply::Wire(response) => pending::busy(response),
        Reply::Typed(_) => false,
    }
}

impl Player<'_> {
    /// Removes what the session created, where the target allows it (best effort; again on
    /// drop, where there is nothing left to remove).
    pub fn finish(&mut self) {
        if let Seat::Own(s) = &mut self.session {
            s.finish();
        }
    }
}

impl Drop for Player<'_> {
    /// Removes what the session created: a case leaves nothing behind on a shared target.
    fn drop(&mut self) {
        self.finish();
    }
}
