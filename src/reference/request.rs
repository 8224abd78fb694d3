//! The AddPermission request as it arrives, and its decoding into typed members.

use crate::contract::{contract, ErrorKind, MemberType, Rule};
use crate::reference::LambdaError;
use serde_json::{Map, Value};

/// A request body: a JSON value to serialise, or bytes sent unchanged.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(Value),
    Raw(Vec<u8>),
}

impl Body {
    /// The bytes on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Json(v) => v.to_string().into_bytes(),
            Body::Raw(b) => b.clone(),
        }
    }
}

/// One AddPermission call: `POST /2015-03-31/functions/{function_name}/policy[?Qualifier=]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddPermissionRequest {
    /// The path segment as the client means it (decoded).
    pub function_name: String,
    /// `None`: no `?Qualifier=` at all; `Some("")`: an empty one.
    pub qualifier: Option<String>,
    pub body: Body,
}

/// The body members after JSON decoding; `None` is absent or JSON null.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    pub statement_id: Option<String>,
    pub action: Option<String>,
    pub principal: Option<String>,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub event_source_token: Option<String>,
    pub revision_id: Option<String>,
    pub principal_org_id: Option<String>,
    pub function_url_auth_type: Option<String>,
    pub invoked_via_function_url: Option<bool>,
}

impl Members {
    /// The string value of a body member by model name.
    pub fn string(&self, name: &str) -> Option<&str> {
        match name {
            "StatementId" => self.statement_id.as_deref(),
            "Action" => self.action.as_deref(),
            "Principal" => self.principal.as_deref(),
            "SourceArn" => self.source_arn.as_deref(),
            "SourceAccount" => self.source_account.as_deref(),
            "EventSourceToken" => self.event_source_token.as_deref(),
            "RevisionId" => self.revision_id.as_deref(),
            "PrincipalOrgID" => self.principal_org_id.as_deref(),
            "FunctionUrlAuthType" => self.function_url_auth_type.as_deref(),
            _ => None,
        }
    }
}

fn unparseable(detail: impl std::fmt::Display, rule: Rule) -> LambdaError {
    LambdaError::new(
        ErrorKind::InvalidRequestContent,
        rule,
        format!("Could not parse request body into json: {detail}"),
    )
}

/// Decodes the body into members. An empty body is an empty object (every member absent).
/// Unknown members are ignored, as AWS's deserialiser does.
pub fn decode(body: &Body) -> Result<Members, LambdaError> {
    let parsed;
    let value = match body {
        Body::Json(v) => v,
        Body::Raw(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => {
            parsed = Value::Object(Map::new());
            &parsed
        }
        Body::Raw(bytes) => {
            parsed =
                serde_json::from_slice(bytes).map_err(|e| unparseable(e, Rule::MalformedBody))?;
            &parsed
        }
    };
    let Value::Object(map) = value else {
        return Err(unparseable(
            format!("expected a JSON object, found {}", json_type(value)),
            Rule::MalformedBody,
        ));
    };
    let mut m = Members::default();
    for member in contract()
        .members
        .iter()
        .filter(|m| m.location == crate::contract::Location::Body)
    {
        let v = match map.get(member.name) {
            None | Some(Value::Null) => continue,
            Some(v) => v,
        };
        let wrong = || {
            unparseable(
                format!(
                    "member {} must be a {}, found {}",
                    member.name,
                    match member.ty {
                        MemberType::String => "string",
                        MemberType::Boolean => "boolean",
                    },
                    json_type(v)
                ),
                Rule::WrongJsonType,
            )
        };
        match member.ty {
            MemberType::Boolean => {
                m.invoked_via_function_url = Some(v.as_bool().ok_or_else(wrong)?)
            }
            MemberType::String => {
                let s = Some(v.as_str().ok_or_else(wrong)?.to_string());
                match member.name {
                    "StatementId" => m.statement_id = s,
                    "Action" => m.action = s,
                    "Principal" => m.principal = s,
                    "SourceArn" => m.source_arn = s,
                    "SourceAccount" => m.source_account = s,
                    "EventSourceToken" => m.event_source_token = s,
                    "RevisionId" => m.revision_id = s,
                    "PrincipalOrgID" => m.principal_org_id = s,
                    "FunctionUrlAuthType" => m.function_url_auth_type = s,
                    other => unreachable!("body member {other} has no field"),
                }
            }
        }
    }
    Ok(m)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_members_and_ignores_unknown_ones() {
        let m = decode(&Body::Json(json!({
            "StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "*",
            "InvokedViaFunctionUrl": true, "Bogus": 1, "SourceArn": null
        })))
        .unwrap();
        assert_eq!(m.statement_id.as_deref(), Some("s"));
        assert_eq!(m.invoked_via_function_url, Some(true));
        assert_eq!(m.source_arn, None);
    }

    #[test]
    fn malformed_and_mistyped_bodies() {
        let e = decode(&Body::Raw(b"{\"StatementId\":".to_vec())).unwrap_err();
        assert_eq!(
            (e.kind, e.rule),
            (ErrorKind::InvalidRequestContent, Rule::MalformedBody)
        );
        let e = decode(&Body::Json(json!([1]))).unwrap_err();
        assert_eq!(e.rule, Rule::MalformedBody);
        assert!(e.message.ends_with("expected a JSON object, found array"));
        let e = decode(&Body::Json(json!({"StatementId": 5}))).unwrap_err();
        assert_eq!(e.rule, Rule::WrongJsonType);
        assert!(e
            .message
            .ends_with("member StatementId must be a string, found number"));
        let e = decode(&Body::Json(json!({"InvokedViaFunctionUrl": "yes"}))).unwrap_err();
        assert_eq!(e.rule, Rule::WrongJsonType);
    }

    #[test]
    fn empty_body_is_an_empty_object() {
        assert_eq!(decode(&Body::Raw(Vec::new())).unwrap(), Members::default());
    }
}
