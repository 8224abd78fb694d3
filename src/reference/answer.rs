//! What the reference answers: a success value or an AWS error, always with the deciding rule.

use crate::contract::{ErrorKind, Rule};
use std::fmt;

/// An error as AWS sends it, with the rule of ours that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaError {
    pub kind: ErrorKind,
    pub message: String,
    pub rule: Rule,
}

impl LambdaError {
    pub fn new(kind: ErrorKind, rule: Rule, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            rule,
        }
    }

    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// The body exactly as on the wire.
    pub fn body(&self) -> String {
        self.kind.body(&self.message)
    }
}

impl fmt::Display for LambdaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} [rule {}]",
            self.status(),
            self.kind.name(),
            self.message,
            self.rule.id()
        )
    }
}

impl std::error::Error for LambdaError {}

/// A successful AddPermission: the statement as the compact JSON string AWS returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub statement: String,
}

impl Added {
    /// The 201 body: `{"Statement":"<statement>"}`, compact.
    pub fn body(&self) -> String {
        serde_json::json!({ "Statement": self.statement }).to_string()
    }
}
