//! Reading what a target stored: the policy of a function and qualifier, as GetPolicy answers.

use crate::contract::ErrorKind;
use crate::target::{observe, Reply};
use crate::wire::Answer;
use serde_json::Value;

/// A policy as read with GetPolicy.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// 404 ResourceNotFoundException: no policy.
    None,
    /// The policy document (GetPolicy's `Policy` string, parsed) and its RevisionId.
    Policy {
        document: Value,
        revision: Option<String>,
    },
    /// Any other answer: what it was.
    Unreadable(String),
}

impl Stored {
    /// What GetPolicy's answer says.
    pub fn read(reply: Reply) -> Stored {
        match reply {
            Reply::Typed(Answer::Policy(view)) => {
                Stored::document(&view.policy, Some(view.revision_id))
            }
            Reply::Typed(Answer::Error(e)) if e.kind == ErrorKind::ResourceNotFound => Stored::None,
            Reply::Typed(other) => Stored::read(Reply::Wire(other.into_response())),
            Reply::Wire(response) => {
                let o = observe(&response);
                if response.status == 404 {
                    return Stored::None;
                }
                let body: Option<Value> = serde_json::from_slice(&response.body).ok();
                match (response.status, body) {
                    (200, Some(body)) => match body.get("Policy").and_then(Value::as_str) {
                        Some(policy) => Stored::document(
                            policy,
                            body.get("RevisionId")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        ),
                        None => Stored::Unreadable(format!(
                            "GetPolicy answered 200 without a Policy string: {}",
                            o.body_excerpt
                        )),
                    },
                    (status, _) => Stored::Unreadable(format!(
                        "GetPolicy answered {status} {} {}",
                        o.error_type.unwrap_or_default(),
                        o.message.unwrap_or(o.body_excerpt)
                    )),
                }
            }
        }
    }

    fn document(policy: &str, revision: Option<String>) -> Stored {
        match serde_json::from_str::<Value>(policy) {
            Ok(document) if document.get("Statement").is_some_and(Value::is_array) => {
                Stored::Policy { document, revision }
            }
            Ok(_) => Stored::Unreadable(format!("the Policy has no Statement array: {policy}")),
            Err(e) => Stored::Unreadable(format!("the Policy is not JSON ({e}): {policy}")),
        }
    }

    /// The statements, in order (none without a policy).
    pub fn statements(&self) -> &[Value] {
        match self {
            Stored::Policy { document, .. } => document
                .get("Statement")
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// The RevisionId: `Some(None)` without a policy, `None` where it cannot be told.
    pub fn revision(&self) -> Option<Option<&str>> {
        match self {
            Stored::None => Some(None),
            Stored::Policy {
                revision: Some(r), ..
            } => Some(Some(r)),
            _ => None,
        }
    }
}

/// A statement's Sid (empty when it has none).
pub fn sid(statement: &Value) -> &str {
    statement
        .get("Sid")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Response;

    #[test]
    fn reads_policies_absences_and_garbage() {
        let policy = r#"{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"a"}]}"#;
        let body = serde_json::json!({"Policy": policy, "RevisionId": "r1"}).to_string();
        let s = Stored::read(Reply::Wire(Response::json(200, body)));
        assert_eq!(s.statements().len(), 1);
        assert_eq!(sid(&s.statements()[0]), "a");
        assert_eq!(s.revision(), Some(Some("r1")));
        assert_eq!(
            Stored::read(Reply::Wire(Response::json(404, "{}".into()))),
            Stored::None
        );
        for (status, body) in [(200, "{}"), (200, r#"{"Policy":"nope"}"#), (500, "<html>")] {
            let s = Stored::read(Reply::Wire(Response::json(status, body.into())));
            assert!(matches!(s, Stored::Unreadable(_)), "{s:?}");
            assert_eq!(s.revision(), None);
        }
    }
}
