//! The policy statement and the policy document, byte for byte as AWS writes them.
//!
//! Key order (recorded 2022..2025): `Sid, Effect, Principal, Action, Resource, Condition`.
//! Condition operators: `StringEquals` before `ArnLike` (recorded); keys inside `StringEquals` in
//! the 2024/2025 order `AWS:SourceAccount, lambda:FunctionUrlAuthType, aws:PrincipalOrgID`, with
//! `lambda:EventSourceToken` last and the `Bool` operator after `ArnLike` (both not recorded).

use crate::contract::{POLICY_ID, POLICY_VERSION};
use crate::reference::request::Members;
use serde_json::{json, Map, Value};

/// Builds the statement for an accepted request.
pub fn build(members: &Members, principal: Value, resource: &str) -> Value {
    let mut statement = Map::new();
    statement.insert("Sid".into(), json!(members.statement_id));
    statement.insert("Effect".into(), json!("Allow"));
    statement.insert("Principal".into(), principal);
    statement.insert("Action".into(), json!(members.action));
    statement.insert("Resource".into(), json!(resource));
    let condition = condition(members);
    if !condition.is_empty() {
        statement.insert("Condition".into(), Value::Object(condition));
    }
    Value::Object(statement)
}

fn condition(m: &Members) -> Map<String, Value> {
    let mut string_equals = Map::new();
    let pairs = [
        ("AWS:SourceAccount", &m.source_account),
        ("lambda:FunctionUrlAuthType", &m.function_url_auth_type),
        ("aws:PrincipalOrgID", &m.principal_org_id),
        ("lambda:EventSourceToken", &m.event_source_token),
    ];
    for (key, value) in pairs {
        if let Some(v) = value {
            string_equals.insert(key.into(), json!(v));
        }
    }
    let mut condition = Map::new();
    if !string_equals.is_empty() {
        condition.insert("StringEquals".into(), Value::Object(string_equals));
    }
    if let Some(arn) = &m.source_arn {
        condition.insert("ArnLike".into(), json!({ "AWS:SourceArn": arn }));
    }
    if m.invoked_via_function_url == Some(true) {
        condition.insert(
            "Bool".into(),
            json!({ "lambda:InvokedViaFunctionUrl": "true" }),
        );
    }
    condition
}

/// The policy document as compact JSON, `{"Version":"2012-10-17","Id":"default","Statement":[...]}`,
/// from its statements' compact JSON texts (concatenated, not re-serialised).
pub fn policy<'a>(statements: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = format!(r#"{{"Version":"{POLICY_VERSION}","Id":"{POLICY_ID}","Statement":["#);
    for (i, s) in statements.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(s);
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_compact_form() {
        let m = Members {
            statement_id: Some("account-id".into()),
            action: Some("lambda:InvokeFunction".into()),
            ..Members::default()
        };
        let s = build(
            &m,
            json!({"AWS": "arn:aws:iam::869636330914:root"}),
            "arn:aws:lambda:eu-central-1:869636330914:function:lambda_func-e460529e",
        );
        // The raw 2023-05-02 recording, byte for byte.
        assert_eq!(
            s.to_string(),
            r#"{"Sid":"account-id","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::869636330914:root"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:eu-central-1:869636330914:function:lambda_func-e460529e"}"#
        );
    }

    #[test]
    fn policy_is_the_compact_document() {
        let a = json!({"Sid": "a", "Resource": "r\"1"});
        let b = json!({"Sid": "b"});
        let texts = [a.to_string(), b.to_string()];
        let expected = json!({"Version": "2012-10-17", "Id": "default", "Statement": [a, b]});
        assert_eq!(
            policy(texts.iter().map(String::as_str)),
            expected.to_string()
        );
        assert_eq!(
            policy([]),
            r#"{"Version":"2012-10-17","Id":"default","Statement":[]}"#
        );
    }

    #[test]
    fn condition_operator_and_key_order() {
        let m = Members {
            statement_id: Some("s".into()),
            action: Some("lambda:InvokeFunctionUrl".into()),
            source_arn: Some("arn:aws:s3:::b/*".into()),
            source_account: Some("123456789012".into()),
            principal_org_id: Some("o-1234567890".into()),
            function_url_auth_type: Some("NONE".into()),
            ..Members::default()
        };
        let s = build(&m, json!("*"), "r");
        let keys: Vec<&String> = s["Condition"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["StringEquals", "ArnLike"]);
        let inner: Vec<&String> = s["Condition"]["StringEquals"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            inner,
            [
                "AWS:SourceAccount",
                "lambda:FunctionUrlAuthType",
                "aws:PrincipalOrgID"
            ]
        );
        assert_eq!(
            s["Condition"]["ArnLike"]["AWS:SourceArn"],
            "arn:aws:s3:::b/*"
        );
    }
}
