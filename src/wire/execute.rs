//! The reference answering wire-level operations, byte for byte as AWS would: the in-process
//! target and `addperm serve` both answer through [`execute`].
//!
//! An operation is first answered as a typed [`Answer`], then rendered as the response AWS
//! sends. The case player reads provisioning answers (a version number, a RevisionId) from the
//! typed answer of an in-process session instead of building JSON only to parse it again; since
//! both come from the one [`Answer`], they cannot disagree.

use super::{Operation, Response};
use crate::contract::{ErrorKind, Rule};
use crate::reference::{Added, FunctionInfo, LambdaError, PolicyView, Reference};
use serde_json::json;

/// The header that names the reference rule behind an answer (not an AWS header: it lets a
/// report say why the oracle answered as it did).
pub const RULE_HEADER: &str = "x-addperm-rule";

/// What the reference answered to one operation, before it is written as a response.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A function or version configuration (CreateFunction, PublishVersion,
    /// UpdateFunctionConfiguration; GetFunction wraps it in `Configuration`).
    Function {
        status: u16,
        info: FunctionInfo,
        wrapped: bool,
    },
    /// An alias (CreateAlias, GetAlias).
    Alias {
        status: u16,
        name: String,
        info: FunctionInfo,
    },
    /// GetPolicy.
    Policy(PolicyView),
    /// A created statement.
    Added {
        status: u16,
        added: Added,
    },
    /// DeleteFunction, RemovePermission: 204, no body.
    Empty,
    Error(LambdaError),
}

/// Performs `op` on `reference` and answers with the HTTP response AWS would send.
pub fn execute(reference: &mut Reference, op: &Operation) -> Response {
    answer(reference, op).into_response()
}

/// Performs `op` on `reference`: the typed answer [`execute`] renders.
pub fn answer(reference: &mut Reference, op: &Operation) -> Answer {
    dispatch(reference, op).unwrap_or_else(Answer::Error)
}

fn dispatch(reference: &mut Reference, op: &Operation) -> Result<Answer, LambdaError> {
    let function = |status, info| Answer::Function {
        status,
        info,
        wrapped: false,
    };
    Ok(match op {
        Operation::CreateFunction { name } => function(201, reference.create_function(name)?),
        Operation::GetFunction { name, qualifier } => Answer::Function {
            status: 200,
            info: reference.get_function(name, qualifier.as_deref())?,
            wrapped: true,
        },
        Operation::DeleteFunction { name } => {
            reference.delete_function(name)?;
            Answer::Empty
        }
        Operation::PublishVersion { name } => function(201, reference.publish_version(name)?),
        Operation::UpdateFunctionConfiguration { name, .. } => {
            function(200, reference.update_function_configuration(name)?)
        }
        Operation::CreateAlias {
            name,
            alias,
            version,
        } => Answer::Alias {
            status: 201,
            name: alias.clone(),
            info: reference.create_alias(name, alias, version)?,
        },
        Operation::GetAlias { name, alias } => Answer::Alias {
            status: 200,
            name: alias.clone(),
            info: reference.get_alias(name, alias)?,
        },
        Operation::AddPermission(req) => Answer::Added {
            added: reference.add_permission(req)?,
            status: reference.created_status(),
        },
        Operation::GetPolicy {
            function_name,
            qualifier,
        } => Answer::Policy(reference.get_policy(function_name, qualifier.as_deref())?),
        Operation::RemovePermission {
            function_name,
            statement_id,
            qualifier,
            revision_id,
        } => {
            reference.remove_permission(
                function_name,
                statement_id,
                qualifier.as_deref(),
                revision_id.as_deref(),
            )?;
            Answer::Empty
        }
    })
}

impl Answer {
    /// The status of the response.
    pub fn status(&self) -> u16 {
        match self {
            Answer::Function { status, .. }
            | Answer::Alias { status, .. }
            | Answer::Added { status, .. } => *status,
            Answer::Policy(_) => 200,
            Answer::Empty => 204,
            Answer::Error(e) => e.status(),
        }
    }

    /// The error type, for an error.
    pub fn error_kind(&self) -> Option<ErrorKind> {
        match self {
            Answer::Error(e) => Some(e.kind),
            _ => None,
        }
    }

    /// The rule that decided the answer.
    pub fn rule(&self) -> Rule {
        match self {
            Answer::Added { .. } => Rule::Created,
            Answer::Error(e) => e.rule,
            _ => Rule::Ok,
        }
    }

    /// The RevisionId the answer carries (a configuration's, an alias's, a policy's).
    pub fn revision_id(&self) -> Option<&str> {
        match self {
            Answer::Function { info, .. } | Answer::Alias { info, .. } => Some(&info.revision_id),
            Answer::Policy(p) => Some(&p.revision_id),
            _ => None,
        }
    }

    /// The response AWS sends for this answer.
    pub fn into_response(self) -> Response {
        let ok = |status: u16, body: serde_json::Value, rule: Rule| {
            with_rule(Response::json(status, body.to_string()), rule)
        };
        match self {
            Answer::Function {
                status,
                info,
                wrapped: false,
            } => ok(status, configuration(&info), Rule::Ok),
            Answer::Function { status, info, .. } => ok(
                status,
                json!({ "Configuration": configuration(&info) }),
                Rule::Ok,
            ),
            Answer::Alias { status, name, info } => ok(status, alias_json(&name, &info), Rule::Ok),
            Answer::Policy(p) => ok(
                200,
                json!({"Policy": p.policy, "RevisionId": p.revision_id}),
                Rule::Ok,
            ),
            Answer::Added { status, added } => {
                with_rule(Response::json(status, added.body()), Rule::Created)
            }
            Answer::Empty => with_rule(Response::empty(204), Rule::Ok),
            Answer::Error(e) => error_response(&e),
        }
    }
}

/// The response AWS sends for `e`: status, `x-amzn-ErrorType`, and the modeled body.
pub fn error_response(e: &LambdaError) -> Response {
    let mut r = Response::json(e.status(), e.body());
    r.headers
        .push(("x-amzn-errortype".into(), e.kind.name().into()));
    with_rule(r, e.rule)
}

fn with_rule(mut r: Response, rule: Rule) -> Response {
    r.headers.push((RULE_HEADER.into(), rule.id().into()));
    r
}

fn configuration(f: &FunctionInfo) -> serde_json::Value {
    json!({
        "FunctionName": f.name,
        "FunctionArn": f.arn,
        "Version": f.version,
        "RevisionId": f.revision_id,
    })
}

fn alias_json(alias: &str, f: &FunctionInfo) -> serde_json::Value {
    json!({
        "AliasArn": f.arn,
        "Name": alias,
        "FunctionVersion": f.version,
        "RevisionId": f.revision_id,
    })
}
