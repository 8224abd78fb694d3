//! Implementations under test. Every target answers [`Operation`]s with HTTP-shaped
//! [`Response`]s; a run opens one [`Session`] per case, so cases never see each other's state.

mod http;
mod observe;
mod reference;
mod sign;

pub use http::{BadUrl, HttpOptions, HttpTarget, Isolation};
pub use observe::{observe, Observed};
pub use reference::ReferenceTarget;
pub use sign::Signing;

use crate::case::Placeholders;
use crate::wire::{Operation, Response};

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

/// An implementation of the Lambda policy API.
pub trait Target: Send + Sync {
    /// A short name for reports (`reference`, a URL).
    fn name(&self) -> String;
    /// The account, region and partition the target lives in (the placeholders' values).
    fn placeholders(&self) -> Placeholders;
    /// Opens an isolated session for one case.
    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError>;
    /// Where the target listens (`http://host:port`), so reports can print a `curl` line that
    /// reproduces a request against it. `None` for in-process targets, which have no address.
    fn base_url(&self) -> Option<String> {
        None
    }
}

/// One case's view of a target.
pub trait Session {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError>;
    /// The name a case's function `original` has on the target (targets that share state
    /// between cases give each case its own names).
    fn function_name(&self, original: &str) -> String {
        original.to_string()
    }
    /// Removes what the session created, where the target allows it. Best effort.
    fn finish(&mut self) {}
}
