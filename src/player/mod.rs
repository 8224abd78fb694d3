//! The case player: the one place that plays a case's `given` and request on a target.
//!
//! It sets up the `given` state through the Lambda API (functions, versions, aliases, the
//! permissions granted before), resolves placeholders (reading `${CURRENT_REVISION}` from the
//! target where asked), gives the case's functions the session's names (renaming) and sends the
//! request. The runner, the generators' oracle (on the in-process reference) and the fuzzer all
//! play through it, so a change to how a case is played has exactly one home.

mod pending;
mod renaming;

use pending::{NotReady, PENDING_LIMIT};
pub use renaming::Renaming;

use crate::case::{self, Expect, Given, Placeholders, Request};
use crate::contract::{FunctionRef, QualifierKind};
use crate::outcome::{Difference, SentRequest};
use crate::reference::{AddPermissionRequest, Body};
use crate::target::{observe, Observed, Reply, Session, Target, TargetError};
use crate::wire::{Operation, Response};

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
/// Dropping it removes what the session created, where the target allows it.
pub struct Player<'t> {
    session: Box<dyn Session + 't>,
    vars: Placeholders,
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
}

/// A case played: what was sent, and the target's answer or why there was none.
#[derive(Debug, Clone)]
pub struct Played {
    pub prepared: Prepared,
    pub answer: Result<Reply, TargetError>,
}

impl Played {
    /// `expect` with the placeholders the request was resolved with, under the case's names.
    pub fn resolve(&self, expect: &Expect) -> Expect {
        let vars = &self.prepared.vars;
        Expect {
            message_like: expect.message_like.as_deref().map(|m| vars.apply(m)),
            statement: expect.statement.as_ref().map(|s| vars.apply_json(s)),
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
            session: target.session()?,
            vars: target.placeholders(),
        })
    }

    /// The target's placeholder values.
    pub fn vars(&self) -> &Placeholders {
        &self.vars
    }

    /// The session's name for the case's function `original`.
    pub fn function_name(&self, original: &str) -> String {
        self.session.function_name(original)
    }

    /// Sends one operation as it is.
    pub fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        self.session.send(op)
    }

    /// Sets up `given`, then sends `request`. A target that gives no answer to the request
    /// itself is told in [`Played::answer`], with the request as it was sent.
    pub fn play(&mut self, given: &Given, request: &Request) -> Result<Played, PlayError> {
        self.provision(given)?;
        let prepared = self.prepare(request)?;
        let answer = self.session.call(&prepared.operation);
        Ok(Played { prepared, answer })
    }

    /// Brings the target into the `given` state through the Lambda API.
    pub fn provision(&mut self, given: &Given) -> Result<(), PlayError> {
        for f in &given.functions {
            let name = self.session.function_name(&f.name);
            let created = self.setup_call(Operation::CreateFunction { name: name.clone() }, 201)?;
            let mut busy = is_busy(&created);
            for (i, wanted) in f.versions.iter().enumerate() {
                if i > 0 {
                    // AWS (and moto, LocalStack) publish no new version of an unchanged
                    // function: change `$LATEST` first. The answer is not judged (LocalStack
                    // applies the change yet answers 500); PublishVersion's version number is.
                    let r = self.session.call(&Operation::UpdateFunctionConfiguration {
                        name: name.clone(),
                        description: format!("addperm fixture: version {wanted}"),
                    })?;
                    busy = is_busy(&r);
                }
                // A function that is Pending or updating (AWS, LocalStack) refuses
                // PublishVersion.
                if std::mem::take(&mut busy) {
                    pending::wait_while_busy(self.session.as_mut(), &name, PENDING_LIMIT).map_err(
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
            for p in &f.permissions {
                self.setup_call(
                    Operation::AddPermission(AddPermissionRequest {
                        function_name: name.clone(),
                        qualifier: p.qualifier.as_deref().map(|q| self.vars.apply(q)),
                        body: Body::Json(self.vars.apply_json(&p.body)),
                    }),
                    201,
                )?;
            }
        }
        Ok(())
    }

    /// Resolves `request` for the session (see [`Prepared`]). The fuzzer sends its requests
    /// through here too, so a fuzzed request goes over the wire exactly as `addperm check`
    /// later replays it.
    pub fn prepare(&mut self, request: &Request) -> Result<Prepared, PlayError> {
        let mut vars = self.vars.clone();
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
            vars.current_revision =
                Some(self.current_revision(&function_name, qualifier.as_deref())?);
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
            let renamed = self.session.function_name(&fref.name);
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
        })
    }

    /// Sends `op` during setup and insists on `status`. A `given` permission only has to
    /// succeed (any 2xx): AWS answers 201, moto 200, and the state is the same; the case's own
    /// request is where the status is judged.
    fn setup_call(&mut self, op: Operation, status: u16) -> Result<Reply, PlayError> {
        let reply = self.session.call(&op)?;
        let ok = match op {
            Operation::AddPermission(_) => (200..300).contains(&reply.status()),
            _ => reply.status() == status,
        };
        if !ok {
            let got = reply.status();
            let o = observe(&reply.into_response());
            return Err(PlayError::Setup(format!(
                "{} answered {got} {} {} (expected {status})",
                op.name(),
                o.error_type.unwrap_or_default(),
                o.message.unwrap_or(o.body_excerpt),
            )));
        }
        Ok(reply)
    }

    /// `${CURRENT_REVISION}`: GetPolicy's RevisionId for the function and qualifier, or where
    /// no policy exists yet, the RevisionId of the version or alias the qualifier addresses.
    fn current_revision(
        &mut self,
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Result<String, PlayError> {
        let Some(fref) = FunctionRef::parse(function_name) else {
            return Ok(String::new());
        };
        let name = self.session.function_name(&fref.name);
        let qualifier = qualifier.map(str::to_string).or(fref.qualifier);
        let policy = self.session.call(&Operation::GetPolicy {
            function_name: name.clone(),
            qualifier: qualifier.clone(),
        })?;
        if policy.status() == 200 {
            if let Some(r) = policy.revision_id(None) {
                return Ok(r);
            }
        }
        let (reply, container) = match qualifier {
            Some(q) if QualifierKind::of(&q) == QualifierKind::Alias => (
                self.session.call(&Operation::GetAlias { name, alias: q })?,
                None,
            ),
            q => (
                self.session
                    .call(&Operation::GetFunction { name, qualifier: q })?,
                Some("Configuration"),
            ),
        };
        Ok(reply.revision_id(container).unwrap_or_default())
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
        self.session.finish();
    }
}

impl Drop for Player<'_> {
    /// Removes what the session created: a case leaves nothing behind on a shared target.
    fn drop(&mut self) {
        self.session.finish();
    }
}
