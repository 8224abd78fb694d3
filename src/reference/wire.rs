//! The reference answering wire-level operations, byte for byte as AWS would.

use super::{FunctionInfo, LambdaError, Reference};
use crate::wire::{Operation, Response};
use serde_json::json;

/// The header that names the reference rule behind an answer (not an AWS header: it lets a
/// report say why the oracle answered as it did).
pub const RULE_HEADER: &str = "x-addperm-rule";

impl Reference {
    /// Performs `op` and answers with the HTTP response AWS would send.
    pub fn execute(&mut self, op: &Operation) -> Response {
        match self.dispatch(op) {
            Ok(response) => response,
            Err(e) => error_response(&e),
        }
    }

    fn dispatch(&mut self, op: &Operation) -> Result<Response, LambdaError> {
        use crate::contract::Rule;
        let ok = |status: u16, body: serde_json::Value, rule: Rule| {
            with_rule(Response::json(status, body.to_string()), rule)
        };
        Ok(match op {
            Operation::CreateFunction { name } => {
                ok(201, configuration(&self.create_function(name)?), Rule::Ok)
            }
            Operation::GetFunction { name, qualifier } => ok(
                200,
                json!({ "Configuration": configuration(&self.get_function(name, qualifier.as_deref())?) }),
                Rule::Ok,
            ),
            Operation::DeleteFunction { name } => {
                self.delete_function(name)?;
                with_rule(Response::empty(204), Rule::Ok)
            }
            Operation::PublishVersion { name } => {
                ok(201, configuration(&self.publish_version(name)?), Rule::Ok)
            }
            Operation::UpdateFunctionConfiguration { name, .. } => ok(
                200,
                configuration(&self.update_function_configuration(name)?),
                Rule::Ok,
            ),
            Operation::CreateAlias {
                name,
                alias,
                version,
            } => ok(
                201,
                alias_json(alias, &self.create_alias(name, alias, version)?),
                Rule::Ok,
            ),
            Operation::GetAlias { name, alias } => ok(
                200,
                alias_json(alias, &self.get_alias(name, alias)?),
                Rule::Ok,
            ),
            Operation::AddPermission(req) => {
                let added = self.add_permission(req)?;
                let status = if self.config().fault == Some(super::Fault::Status200) {
                    200
                } else {
                    201
                };
                with_rule(Response::json(status, added.body()), Rule::Created)
            }
            Operation::GetPolicy {
                function_name,
                qualifier,
            } => {
                let p = self.get_policy(function_name, qualifier.as_deref())?;
                ok(
                    200,
                    json!({"Policy": p.policy, "RevisionId": p.revision_id}),
                    Rule::Ok,
                )
            }
            Operation::RemovePermission {
                function_name,
                statement_id,
                qualifier,
                revision_id,
            } => {
                self.remove_permission(
                    function_name,
                    statement_id,
                    qualifier.as_deref(),
                    revision_id.as_deref(),
                )?;
                with_rule(Response::empty(204), Rule::Ok)
            }
        })
    }
}

/// The response AWS sends for `e`: status, `x-amzn-ErrorType`, and the modeled body.
pub fn error_response(e: &LambdaError) -> Response {
    let mut r = Response::json(e.status(), e.body());
    r.headers
        .push(("x-amzn-errortype".into(), e.kind.name().into()));
    with_rule(r, e.rule)
}

fn with_rule(mut r: Response, rule: crate::contract::Rule) -> Response {
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
