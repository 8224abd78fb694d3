//! Implementations under test. Every target answers [`Operation`]s with HTTP-shaped
//! [`Response`]s; a run opens one [`Session`] per case, so cases never see each other's state.

mod http;
mod observe;
mod reference;
mod sign;

pub(crate) use http::rename as unique_name;
pub use http::{BadUrl, HttpOptions, HttpTarget, Isolation, RoleCreated, RoleError};
pub use observe::{observe, Observed};
pub use reference::ReferenceTarget;
pub use sign::{Credentials, Service, Signing};

use crate::case::Placeholders;

use crate::wire::{Answer, Operation, Response};

/// Why a target gave no usable HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("no answer within {0} ms")]
    Timeout(u64),
    #[error("connection reset or closed before a complete answer: {0}")]
    Reset(String),
    #[error("response larger than {0} bytes")]
    TooLarge(usize),
    #[error("not a valid HTTP response: {0}")]
    Protocol(String),
}

impl TargetError {
    /// Whether the target gave no answer at all: refused, reset or silent until the time-out.
    /// An answer too large or not HTTP is an answer, however bad.
    pub fn no_answer(&self) -> bool {
        matches!(
            self,
            TargetError::Connect(_) | TargetError::Timeout(_) | TargetError::Reset(_)
        )
    }
}

/// An implementation of the Lambda policy API.
pub trait Target: Send + Sync {
    /// A short name for reports (`reference`, a URL).
    fn name(&self) -> String;
    /// The account, region and partition the target lives in (the placeholders' values).
    fn placeholders(&self) -> Placeholders;
    /// Opens an isolated session for one case.
    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError>;
    /// Where the target listens and how requests to it are authorised, so reports can print a
    /// `curl` line that reproduces a request against it. `None` for in-process targets, which
    /// have no address.
    fn endpoint(&self) -> Option<Endpoint> {
        None
    }
    /// Whether a case's fixtures may be lent from a pool: true for a target that keeps state
    /// between sessions and where names need not be exact. The in-process reference gives
    /// every case a fresh world for less than checking a lent fixture costs.
    fn reusable_fixtures(&self) -> bool {
        false
    }
    /// The requests sent to the target so far, by operation; `None` for in-process targets,
    /// where an operation is a function call.
    fn requests(&self) -> Option<Requests> {
        None
    }
}

/// How to reach a target by hand: what a report's curl lines need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http://host:port`, no trailing path.
    pub base_url: String,
    pub auth: CurlAuth,
}

impl Endpoint {
    /// An endpoint that takes requests without authorisation, as `addperm serve` does.
    pub fn unsigned(base_url: impl Into<String>) -> Endpoint {
        Endpoint {
            base_url: base_url.into(),
            auth: CurlAuth::Headers(Vec::new()),
        }
    }
}

/// How a hand-run curl authorises its request, the way addperm's own requests to the target
/// are: without it moto answers as S3 (it routes by the credential scope), and AWS refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlAuth {
    /// These headers, verbatim (the fake signature; none for `addperm serve`'s placeholder).
    Headers(Vec<(String, String)>),
    /// curl's own SigV4 (`--aws-sigv4`, curl >= 7.75) with the credentials of the usual
    /// environment variables, and the session token's header when the run used one.
    SigV4 { region: String, session_token: bool },
}

/// One case's view of a target.
pub trait Session {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError>;
    /// `op`'s answer as the case player reads it. The default sends `op`; an in-process
    /// session may answer with the typed [`Answer`] its response would be rendered from, so
    /// provisioning reads a version or a RevisionId without building JSON to parse it again.
    fn call(&mut self, op: &Operation) -> Result<Reply, TargetError> {
        self.send(op).map(Reply::Wire)
    }
    /// The name a case's function `original` has on the target (targets that share state
    /// between cases give each case its own names).
    fn function_name(&self, original: &str) -> String {
        original.to_string()
    }
    /// Removes what the session created, where the target allows it. Best effort.
    fn finish(&mut self) {}
}

/// An answer as the case player reads it: the response bytes of any target, or the typed answer
/// of the in-process reference (whose response is rendered from it, so both read the same).
#[derive(Debug, Clone)]
pub enum Reply {
    Wire(Response),
    Typed(Answer),
}

impl Reply {
    pub fn status(&self) -> u16 {
        match self {
            Reply::Wire(r) => r.status,
            Reply::Typed(a) => a.status(),
        }
    }

    /// A string member of the JSON body, at the top level or inside `container`.
    fn member(&self, container: Option<&str>, key: &str) -> Option<String> {
        let Reply::Wire(r) = self else { return None };
        let v: serde_json::Value = serde_json::from_slice(&r.body).ok()?;
        let v = match container {
            Some(c) => v.get(c)?,
            None => &v,
        };
        v.get(key)?.as_str().map(str::to_string)
    }

    /// The published version a PublishVersion answer names.
    pub fn version(&self) -> Option<String> {
        match self {
            Reply::Typed(Answer::Function { info, .. }) => Some(info.version.clone()),
            Reply::Typed(_) => None,
            Reply::Wire(_) => self.member(None, "Version"),
        }
    }

    /// The RevisionId the answer carries; `container` is where a response nests it
    /// (`Configuration` for GetFunction).
    pub fn revision_id(&self, container: Option<&str>) -> Option<String> {
        match self {
            Reply::Typed(a) => a.revision_id().map(str::to_string),
            Reply::Wire(_) => self.member(container, "RevisionId"),
        }
    }

    /// The response bytes (rendered, for a typed answer).
    pub fn into_response(self) -> Response {
        match self {
            Reply::Wire(r) => r,
            Reply::Typed(a) => a.into_response(),
        }
    }
}

/// Requests sent to a target, by operation name: what a run cost it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Requests {
    pub by_operation: std::collections::BTreeMap<&'static str, u64>,
}

impl Requests {
    /// Counts one request of `operation`.
    pub fn add(&mut self, operation: &'static str) {
        *self.by_operation.entry(operation).or_default() += 1;
    }

    pub fn total(&self) -> u64 {
        self.by_operation.values().sum()
    }

    /// The requests sent since `before` was read.
    pub fn since(&self, before: &Requests) -> Requests {
        Requests {
            by_operation: self
                .by_operation
                .iter()
                .map(|(op, n)| (*op, n - before.by_operation.get(op).copied().unwrap_or(0)))
                .filter(|(_, n)| *n > 0)
                .collect(),
        }
    }
}
