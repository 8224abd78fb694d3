//! The expected answer of a generated case, from the reference and nowhere else.
//!
//! A case's `given` and `request` are played on a fresh [`Reference`] with the default account,
//! region and partition, exactly as `addperm check --target reference` would play them, and the
//! answer becomes the case's `expect`. The parts of the answer that come from the target's own
//! account, region and partition are written back as placeholders, so a generated file checks
//! any target, not only one living in 123456789012/us-east-1.

use crate::case::{Expect, Given, Placeholders, Request};
use crate::contract::{ErrorKind, FunctionRef, Rule};
use crate::reference::{AddPermissionRequest, Body, Config, Reference};
use serde_json::Value;
use std::fmt;

/// What the reference answered, in the terms a case compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// 0 when the `given` state could not be set up (a generator bug, never a case).
    pub status: u16,
    pub error: Option<ErrorKind>,
    /// The error message (empty for a 201).
    pub message: String,
    pub rule: Rule,
    /// The statement of a 201.
    pub statement: Option<Value>,
}

impl fmt::Display for Answer {
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

/// Plays `given` then `request` on a fresh reference.
pub fn run(given: &Given, request: &Request) -> Answer {
    let vars = Placeholders::default();
    let mut reference = Reference::new(Config::default());
    if let Err(why) = provision(&mut reference, &vars, given) {
        return Answer {
            status: 0,
            error: None,
            message: why,
            rule: Rule::Ok,
            statement: None,
        };
    }
    let mut function_name = vars.apply(&request.function_name);
    let mut qualifier = request.qualifier.as_deref().map(|q| vars.apply(q));
    let body = match (&request.body, &request.raw_body) {
        (Some(v), _) => Body::Json(vars.apply_json(v)),
        (None, raw) => Body::Raw(vars.apply(raw.as_deref().unwrap_or_default()).into_bytes()),
    };
    let mut body = body;
    let uses_revision = |s: &str| crate::case::needs_current_revision(s);
    let body_text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
    if uses_revision(&body_text)
        || uses_revision(&function_name)
        || qualifier.as_deref().is_some_and(uses_revision)
    {
        let current = current_revision(&reference, &function_name, qualifier.as_deref());
        let vars = Placeholders {
            current_revision: Some(current),
            ..vars
        };
        function_name = vars.apply(&function_name);
        qualifier = qualifier.map(|q| vars.apply(&q));
        body = match body {
            Body::Json(v) => Body::Json(vars.apply_json(&v)),
            Body::Raw(b) => Body::Raw(vars.apply(&String::from_utf8_lossy(&b)).into_bytes()),
        };
    }
    let request = AddPermissionRequest {
        function_name,
        qualifier,
        body,
    };
    match reference.add_permission(&request) {
        Ok(added) => Answer {
            status: 201,
            error: None,
            message: String::new(),
            rule: Rule::Created,
            statement: serde_json::from_str(&added.statement).ok(),
        },
        Err(e) => Answer {
            status: e.status(),
            error: Some(e.kind),
            message: e.message,
            rule: e.rule,
            statement: None,
        },
    }
}

/// `${CURRENT_REVISION}` as the runner reads it: the policy's RevisionId, or where the
/// qualifier has no policy yet, its version's, alias's or function's.
pub fn current_revision(
    reference: &Reference,
    function_name: &str,
    qualifier: Option<&str>,
) -> String {
    let Some(fref) = FunctionRef::parse(function_name) else {
        return String::new();
    };
    let qualifier = qualifier.map(str::to_string).or(fref.qualifier);
    let q = qualifier.as_deref();
    if let Ok(p) = reference.get_policy(&fref.name, q) {
        return p.revision_id;
    }
    let alias = q.filter(|q| !(q.starts_with('$') || q.bytes().all(|b| b.is_ascii_digit())));
    match alias {
        Some(a) => reference.get_alias(&fref.name, a).map(|f| f.revision_id),
        None => reference.get_function(&fref.name, q).map(|f| f.revision_id),
    }
    .unwrap_or_default()
}

/// Brings a reference into the `given` state, as the runner does through the API.
pub fn provision(
    reference: &mut Reference,
    vars: &Placeholders,
    given: &Given,
) -> Result<(), String> {
    let fail = |what: &str, e: crate::reference::LambdaError| format!("{what}: {e}");
    for f in &given.functions {
        reference
            .create_function(&f.name)
            .map_err(|e| fail("CreateFunction", e))?;
        for wanted in &f.versions {
            let v = reference
                .publish_version(&f.name)
                .map_err(|e| fail("PublishVersion", e))?;
            if v.version != *wanted {
                return Err(format!(
                    "PublishVersion gave {} where given lists {wanted}",
                    v.version
                ));
            }
        }
        for (alias, version) in &f.aliases {
            reference
                .create_alias(&f.name, alias, version)
                .map_err(|e| fail("CreateAlias", e))?;
        }
        for p in &f.permissions {
            reference
                .add_permission(&AddPermissionRequest {
                    function_name: f.name.clone(),
                    qualifier: p.qualifier.as_deref().map(|q| vars.apply(q)),
                    body: Body::Json(vars.apply_json(&p.body)),
                })
                .map_err(|e| fail("AddPermission (given)", e))?;
        }
    }
    Ok(())
}

/// The function ARN prefix the reference writes for its own account, region and partition.
fn own_prefix() -> String {
    let c = Config::default();
    format!("arn:{}:lambda:{}:{}:", c.partition, c.region, c.account)
}

const PORTABLE_PREFIX: &str = "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:";

/// The function ARN prefix up to the region, for ARNs of other accounts.
fn own_region_prefix() -> String {
    let c = Config::default();
    format!("arn:{}:lambda:{}:", c.partition, c.region)
}

const PORTABLE_REGION_PREFIX: &str = "arn:${PARTITION}:lambda:${REGION}:";

/// The case's `expect` for `answer`: the exact status, error type, message (regex-escaped and
/// anchored) and statement, with the target's own ARN parts as placeholders.
pub fn expect(answer: &Answer, request: &Request) -> Expect {
    match answer.error {
        None => Expect {
            status: answer.status,
            error_type: Some(None),
            message_like: None,
            statement: answer
                .statement
                .as_ref()
                .map(|s| portable_statement(s, request)),
        },
        Some(kind) => {
            let escaped = regex::escape(&answer.message);
            // Messages the reference builds from its own configuration name its ARN; the ones
            // that quote the request (validation, principal, body) keep it verbatim.
            let quotes_request = matches!(
                answer.rule,
                Rule::Validation
                    | Rule::WrongJsonType
                    | Rule::MalformedBody
                    | Rule::MalformedPrincipalArn
            );
            let message = if quotes_request {
                escaped
            } else {
                // The full prefix first; then partition and region alone, which a partial ARN
                // of another account takes from the target.
                escaped
                    .replace(&regex::escape(&own_prefix()), PORTABLE_PREFIX)
                    .replace(&regex::escape(&own_region_prefix()), PORTABLE_REGION_PREFIX)
            };
            Expect {
                status: answer.status,
                error_type: Some(Some(kind.name().to_string())),
                message_like: Some(format!("^{message}$")),
                statement: None,
            }
        }
    }
}

/// The statement with `Resource` and the account principal's partition as placeholders, and a
/// principal the request wrote with placeholders written back the same way.
fn portable_statement(statement: &Value, request: &Request) -> Value {
    let mut s = statement.clone();
    if let Some(Value::String(resource)) = s.get_mut("Resource") {
        if let Some(rest) = resource.strip_prefix(&own_prefix()) {
            *resource = format!("{PORTABLE_PREFIX}{rest}");
        }
    }
    let principal = request
        .body
        .as_ref()
        .and_then(|b| b.get("Principal"))
        .and_then(Value::as_str);
    if let (Some(Value::String(aws)), Some(original)) = (s.pointer_mut("/Principal/AWS"), principal)
    {
        if original.contains("${") {
            *aws = original.to_string();
        } else if original.len() == 12 && original.bytes().all(|b| b.is_ascii_digit()) {
            *aws = format!("arn:${{PARTITION}}:iam::{original}:root");
        }
    }
    s
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
