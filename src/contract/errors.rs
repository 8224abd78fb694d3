//! Every error AddPermission can answer with, and how it looks on the wire.

use super::Source;
use serde_json::{json, Value};

/// An AddPermission error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Undocumented and unmodeled, but AWS's answer to every length/pattern/enum/null violation.
    Validation,
    /// The body is not JSON, not an object, or a member has the wrong JSON type.
    InvalidRequestContent,
    InvalidParameterValue,
    ResourceConflict,
    PublicPolicy,
    Service,
    TooManyRequests,
    PolicyLengthExceeded,
    ResourceNotFound,
    PreconditionFailed,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::Validation,
        ErrorKind::InvalidRequestContent,
        ErrorKind::InvalidParameterValue,
        ErrorKind::ResourceConflict,
        ErrorKind::PublicPolicy,
        ErrorKind::Service,
        ErrorKind::TooManyRequests,
        ErrorKind::PolicyLengthExceeded,
        ErrorKind::ResourceNotFound,
        ErrorKind::PreconditionFailed,
    ];

    /// The short name sent in `x-amzn-ErrorType`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationException",
            ErrorKind::InvalidRequestContent => "InvalidRequestContentException",
            ErrorKind::InvalidParameterValue => "InvalidParameterValueException",
            ErrorKind::ResourceConflict => "ResourceConflictException",
            ErrorKind::PublicPolicy => "PublicPolicyException",
            ErrorKind::Service => "ServiceException",
            ErrorKind::TooManyRequests => "TooManyRequestsException",
            ErrorKind::PolicyLengthExceeded => "PolicyLengthExceededException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::PreconditionFailed => "PreconditionFailedException",
        }
    }

    /// The error type called `name`, if AddPermission has it.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|e| e.name() == name)
    }

    pub fn status(self) -> u16 {
        match self {
            ErrorKind::Validation
            | ErrorKind::InvalidRequestContent
            | ErrorKind::InvalidParameterValue
            | ErrorKind::PublicPolicy
            | ErrorKind::PolicyLengthExceeded => 400,
            ErrorKind::ResourceNotFound => 404,
            ErrorKind::ResourceConflict => 409,
            ErrorKind::PreconditionFailed => 412,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::Service => 500,
        }
    }

    /// The JSON key of the message in the body: the model's exact casing, which SDKs rely on.
    pub fn message_key(self) -> &'static str {
        match self {
            ErrorKind::ResourceNotFound | ErrorKind::Service | ErrorKind::PublicPolicy => "Message",
            _ => "message",
        }
    }

    /// Whether the body carries `"Type":"User"`: every modeled Lambda error does;
    /// ValidationException is not modeled and has only a message.
    pub fn has_type_member(self) -> bool {
        self != ErrorKind::Validation
    }

    /// The error body exactly as AWS sends it (compact JSON, `Type` first).
    pub fn body(self, message: &str) -> String {
        let value = if self.has_type_member() {
            let mut v = json!({"Type": "User"});
            v[self.message_key()] = json!(message);
            v
        } else {
            json!({ self.message_key(): message })
        };
        value.to_string()
    }

    /// Whether the seed API reference page lists this error.
    pub fn documented(self) -> bool {
        !matches!(
            self,
            ErrorKind::Validation | ErrorKind::InvalidRequestContent | ErrorKind::PublicPolicy
        )
    }

    pub fn source(self) -> Source {
        match self {
            ErrorKind::Validation
            | ErrorKind::InvalidParameterValue
            | ErrorKind::ResourceConflict
            | ErrorKind::ResourceNotFound
            | ErrorKind::PreconditionFailed => Source::Recorded,
            ErrorKind::PolicyLengthExceeded | ErrorKind::PublicPolicy => Source::Recorded,
            ErrorKind::Service | ErrorKind::TooManyRequests => Source::Doc,
            ErrorKind::InvalidRequestContent => Source::Inferred,
        }
    }

    pub fn evidence(self) -> &'static str {
        match self {
            ErrorKind::Validation => "returned for every pattern/length/enum/null violation (recorded); body {\"message\":...} without Type (not modeled)",
            ErrorKind::InvalidRequestContent => "Lambda's error for a body it cannot parse; not recorded for AddPermission",
            ErrorKind::InvalidParameterValue => "recorded: principal, $LATEST, derived qualifier, FunctionUrlAuthType",
            ErrorKind::ResourceConflict => "recorded: duplicate statement id",
            ErrorKind::PublicPolicy => "in the model since 2026-06; users' reports of the message (BlockPublicPolicy)",
            ErrorKind::Service => "documented; internal errors",
            ErrorKind::TooManyRequests => "documented; throttling",
            ErrorKind::PolicyLengthExceeded => "users' reports: 'The final policy size (N) is bigger than the limit (20480).'",
            ErrorKind::ResourceNotFound => "recorded: unknown function, version, alias; body key 'Message'",
            ErrorKind::PreconditionFailed => "recorded: RevisionId mismatch, also on a function without policy",
        }
    }

    pub fn to_json(self) -> Value {
        json!({
            "name": self.name(),
            "status": self.status(),
            "body_keys": if self.has_type_member() { vec!["Type", self.message_key()] } else { vec![self.message_key()] },
            "documented": self.documented(),
            "source": self.source(),
            "evidence": self.evidence(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_use_the_model_casing() {
        assert_eq!(
            ErrorKind::ResourceNotFound.body("x"),
            r#"{"Type":"User","Message":"x"}"#
        );
        assert_eq!(
            ErrorKind::PreconditionFailed.body("x"),
            r#"{"Type":"User","message":"x"}"#
        );
        assert_eq!(ErrorKind::Validation.body("x"), r#"{"message":"x"}"#);
    }

    #[test]
    fn names_round_trip() {
        for e in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(e.name()), Some(e));
        }
        assert_eq!(ErrorKind::from_name("Nope"), None);
    }
}
