//! The expected answer of a generated case, from the reference and nowhere else.
//!
//! A case's `given` and `request` are played by the case player on a fresh in-process reference
//! with the default account, region and partition, exactly as `addperm check --target
//! reference` plays them, and the answer becomes the case's `expect`. The parts of the answer that come from the target's own
//! account, region and partition are written back as placeholders, so a generated file checks
//! any target, not only one living in 123456789012/us-east-1.

use crate::case::portable::{expect_of, Answered, Message};
use crate::case::{Expect, Given, Placeholders, Request};
use crate::contract::{ErrorKind, Rule};
use crate::player::{PlayError, Player};
use crate::target::{observe, ReferenceTarget, Reply};
use crate::wire::Answer;
use serde_json::Value;
use std::fmt;

/// What the reference answered, in the terms a case compares.
#[derive(Debug, Clone, PartialEq)]
pub struct OracleAnswer {
    /// 0 when the `given` state could not be set up (a generator bug, never a case).
    pub status: u16,
    pub error: Option<ErrorKind>,
    /// The error message (empty for a 201).
    pub message: String,
    pub rule: Rule,
    /// The statement of a 201.
    pub statement: Option<Value>,
}

impl fmt::Display for OracleAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error {
            Some(kind) => write!(
                f,
                "{} {} {:?} [rule {}]",
                self.status,
                kind.name(),
                self.message,
                self.rule.id()
            ),
            None if self.status == 0 => write!(f, "setup failed: {}", self.message),
            None => write!(f, "{} [rule {}]", self.status, self.rule.id()),
        }
    }
}

/// Plays `given` then `request` on a fresh reference, through the case player.
pub fn run(given: &Given, request: &Request) -> OracleAnswer {
    let target = ReferenceTarget::default();
    let played = Player::open(&target)
        .map_err(PlayError::from)
        .and_then(|mut player| player.play(given, request));
    let reply = match played.map(|p| p.answer) {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => return unplayable(e.to_string()),
        Err(e) => return unplayable(e.to_string()),
    };
    match reply {
        // The in-process reference: its typed answer, which its response is rendered from.
        Reply::Typed(answer) => OracleAnswer {
            status: answer.status(),
            error: answer.error_kind(),
            rule: answer.rule(),
            statement: match &answer {
                Answer::Added { added, .. } => serde_json::from_str(&added.statement).ok(),
                _ => None,
            },
            message: match answer {
                Answer::Error(e) => e.message,
                _ => String::new(),
            },
        },
        Reply::Wire(response) => {
            let o = observe(&response);
            let rule = o
                .rule
                .as_deref()
                .and_then(Rule::from_id)
                .unwrap_or(Rule::Ok);
            let error = o.error_type.as_deref().and_then(ErrorKind::from_name);
            OracleAnswer {
                status: o.status,
                error,
                message: if error.is_some() {
                    o.message.unwrap_or_default()
                } else {
                    String::new()
                },
                rule,
                statement: if error.is_some() { None } else { o.statement },
            }
        }
    }
}

/// The answer for a `given` the reference would not set up (a generator bug, never a case).
fn unplayable(why: String) -> OracleAnswer {
    OracleAnswer {
        status: 0,
        error: None,
        message: why,
        rule: Rule::Ok,
        statement: None,
    }
}

/// The case's `expect` for `answer`: the exact status, error type, message (regex-escaped and
/// anchored) and statement, with the target's own ARN parts as placeholders.
pub fn expect(answer: &OracleAnswer, request: &Request) -> Expect {
    let error = answer.error.map(|kind| kind.name());
    // Messages the reference builds from its own configuration name its ARN; the ones that
    // quote the request (validation, principal, body) keep it verbatim.
    let quotes_request = matches!(
        answer.rule,
        Rule::Validation | Rule::WrongJsonType | Rule::MalformedBody | Rule::MalformedPrincipalArn
    );
    let answered = Answered {
        status: answer.status,
        error_type: error,
        message: error.map(|_| answer.message.as_str()),
        statement: answer.statement.as_ref().filter(|_| error.is_none()),
    };
    let message = if quotes_request {
        Message::Verbatim
    } else {
        Message::Portable
    };
    expect_of(&answered, request, &Placeholders::default(), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::GivenFunction;
    use serde_json::json;

    fn given(name: &str) -> Given {
        Given {
            functions: vec![GivenFunction {
                name: name.into(),
                versions: vec!["1".into()],
                aliases: [("live".to_string(), "1".to_string())].into(),
                permissions: Vec::new(),
            }],
        }
    }

    fn request(function_name: &str, body: Value) -> Request {
        Request {
            function_name: function_name.into(),
            qualifier: None,
            body: Some(body),
            raw_body: None,
        }
    }

    #[test]
    fn created_statements_are_portable() {
        let r = request(
            "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:f:live",
            json!({"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "223456789012",
                   "RevisionId": "${CURRENT_REVISION}"}),
        );
        let a = run(&given("f"), &r);
        assert_eq!(a.status, 201, "{a}");
        let e = expect(&a, &r);
        let s = e.statement.unwrap();
        assert_eq!(
            s["Resource"],
            "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:f:live"
        );
        assert_eq!(
            s["Principal"]["AWS"],
            "arn:${PARTITION}:iam::223456789012:root"
        );
        assert_eq!(e.error_type, Some(None));
    }

    #[test]
    fn errors_are_exact_and_anchored() {
        let r = request(
            "g",
            json!({"StatementId": "s", "Action": "lambda:*", "Principal": "*"}),
        );
        let a = run(&given("f"), &r);
        assert_eq!(a.rule, Rule::FunctionNotFound);
        let e = expect(&a, &r);
        assert_eq!(
            e.message_like.as_deref(),
            Some(r"^Function not found: arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:g$")
        );
    }

    #[test]
    fn unprovisionable_given_is_reported_not_hidden() {
        let r = request("f", json!({}));
        let a = run(&given("not a name"), &r);
        assert_eq!(a.status, 0);
        assert!(a.message.contains("CreateFunction"));
    }
}
