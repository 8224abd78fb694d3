//! AddPermission in AWS's order of checks (aws-behaviour.md §3): the body decodes, every member
//! satisfies its constraints, FunctionName and Qualifier name an existing function, version or
//! alias, the RevisionId matches (412) and the Sid is new (409), the principal is one AWS
//! accepts, the function URL options go with their actions, a public statement is allowed, and
//! the final policy fits. Each step asks the [`Hooks`](super::hooks::Hooks) what it does.

use super::answer::{Added, LambdaError};
use super::hooks::Hooks;
use super::request::{decode, AddPermissionRequest, Members};
use super::resolve::{Purpose, Resolved};
use super::statement;
use super::validate::{member_violations, validation_error, Seen};
use super::{Outcome, Policy, Reference};
use crate::contract::principal::{self, PrincipalError, PrincipalKind};
use crate::contract::{
    contract, ErrorKind, FunctionRef, Rule, FUNCTION_URL_ACTION, INVOKE_ACTION, POLICY_SIZE_LIMIT,
};

impl Reference {
    /// AddPermission.
    pub fn add_permission(&mut self, req: &AddPermissionRequest) -> Outcome<Added> {
        let hooks = self.hooks();
        let members = hooks.decoded(decode(&req.body))?;
        if hooks.existence_before_validation() && FunctionRef::parse(&req.function_name).is_some() {
            self.resolve(&req.function_name, req.qualifier.as_deref(), Purpose::Add)?;
        }
        if hooks.validates() {
            self.validate_add(req, &members)?;
        }
        let resolved = self.resolve(&req.function_name, req.qualifier.as_deref(), Purpose::Add)?;
        let policy_key = hooks.policy_key(resolved.qualifier.clone());
        let sid = members.statement_id.clone().unwrap_or_default();
        // A refusal that a store fault stores anyway is answered after the statement is stored;
        // any later refusal gives way to it, as it came first.
        let refusal = match self.check_revision_and_sid(&resolved, &policy_key, &members, &sid) {
            Ok(()) => None,
            Err(e) if hooks.stores_refused(&e) => Some(e),
            Err(e) => return Err(e),
        };
        let first = |e: LambdaError| refusal.clone().unwrap_or(e);
        // Validation guarantees the required members are present.
        let action = members.action.clone().unwrap_or_default();
        let principal = members.principal.clone().unwrap_or_default();
        let kind = hooks
            .principal(principal::classify(&principal).map_err(|e| principal_error(e, &principal)))
            .map_err(first)?;
        check_url_options(hooks, &members, &action).map_err(first)?;
        self.check_public(&resolved, &members, kind)
            .map_err(first)?;
        let statement = self.statement(
            &resolved,
            hooks.statement_members(members),
            kind,
            &principal,
        );
        let compact = statement.to_string();
        let existing = self.functions[&resolved.name]
            .policies
            .get(&policy_key)
            .map(|p| p.statements.as_slice())
            .unwrap_or_default();
        let size = statement::policy(
            existing
                .iter()
                .map(|(_, s)| s.as_str())
                .chain([compact.as_str()]),
        )
        .len();
        if size > POLICY_SIZE_LIMIT && hooks.limits_policy_size() {
            return Err(first(LambdaError::new(
                ErrorKind::PolicyLengthExceeded,
                Rule::PolicyTooLarge,
                format!("The final policy size ({size}) is bigger than the limit ({POLICY_SIZE_LIMIT})."),
            )));
        }
        let revision = self.next_revision();
        let text = hooks.statement_text(&statement, compact.clone());
        if hooks.stores_statement() {
            let Some(f) = self.functions.get_mut(&resolved.name) else {
                unreachable!("resolve() returned an existing function")
            };
            let policy = f
                .policies
                .entry(hooks.store_key(policy_key))
                .or_insert_with(|| Policy {
                    statements: Vec::new(),
                    revision: String::new(),
                });
            policy.statements.push((sid, compact));
            policy.revision = revision;
        }
        if let Some(e) = refusal {
            return Err(e);
        }
        Ok(Added { statement: text })
    }

    /// Every member against its contract constraints, in model order.
    fn validate_add(&self, req: &AddPermissionRequest, m: &Members) -> Outcome<()> {
        let hooks = self.hooks();
        let unit = self.config.length_unit;
        let mut entries = Vec::new();
        let mut missing = false;
        for member in &contract().members {
            let seen = match member.name {
                "FunctionName" => Seen::Str(&req.function_name),
                "Qualifier" => req.qualifier.as_deref().map_or(Seen::Absent, Seen::Str),
                "InvokedViaFunctionUrl" => m
                    .invoked_via_function_url
                    .map_or(Seen::Absent, |_| Seen::Bool),
                name => m.string(name).map_or(Seen::Absent, Seen::Str),
            };
            missing |= member.required && matches!(seen, Seen::Absent);
            entries.extend(hooks.violations(member, seen, member_violations(member, seen, unit)));
        }
        let entries = hooks.validation(entries, missing)?;
        validation_error(entries).map_or(Ok(()), Err)
    }

    /// The RevisionId precondition (412), then the Sid's uniqueness in the policy (409).
    fn check_revision_and_sid(
        &self,
        resolved: &Resolved,
        policy_key: &Option<String>,
        members: &Members,
        sid: &str,
    ) -> Outcome<()> {
        let hooks = self.hooks();
        let current = if hooks.revision_against_function() {
            self.get_function(&resolved.name, resolved.qualifier.as_deref())
                .ok()
                .map(|f| f.revision_id)
        } else {
            self.precondition_revision(&resolved.name, policy_key.as_deref())
        };
        let precondition = match &members.revision_id {
            Some(given) if current.as_deref() != Some(given.as_str()) => Err(LambdaError::new(
                ErrorKind::PreconditionFailed,
                Rule::RevisionMismatch,
                "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id",
            )),
            _ => Ok(()),
        };
        let duplicate = self.functions[&resolved.name]
            .policies
            .get(policy_key)
            .is_some_and(|p| p.statements.iter().any(|(s, _)| s == sid))
            && hooks.detects_duplicate_sids();
        let conflict = if duplicate {
            Err(LambdaError::new(
                ErrorKind::ResourceConflict,
                Rule::DuplicateStatementId,
                format!("The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement."),
            ))
        } else {
            Ok(())
        };
        if hooks.conflict_before_precondition() {
            conflict.clone()?;
        }
        precondition?;
        conflict
    }

    /// BlockPublicPolicy: a statement for everyone without a source condition is refused.
    fn check_public(&self, resolved: &Resolved, m: &Members, kind: PrincipalKind) -> Outcome<()> {
        let public = kind == PrincipalKind::Everyone
            && m.source_arn.is_none()
            && m.source_account.is_none()
            && m.principal_org_id.is_none();
        if public && self.functions[&resolved.name].block_public_policy {
            return Err(LambdaError::new(
                ErrorKind::PublicPolicy,
                Rule::PublicPolicyBlocked,
                "Lambda blocked the creation of this policy because it would grant public access to your function. If this is intentional, change your function's BlockPublicPolicy setting to allow public access and try again.",
            ));
        }
        Ok(())
    }

    /// The statement AWS stores for an accepted request.
    fn statement(
        &self,
        resolved: &Resolved,
        members: Members,
        kind: PrincipalKind,
        principal: &str,
    ) -> serde_json::Value {
        let hooks = self.hooks();
        let on_alias = resolved
            .qualifier
            .as_deref()
            .is_some_and(|q| self.functions[&resolved.name].aliases.contains_key(q));
        let resource = if on_alias && hooks.alias_resource_unqualified() {
            self.function_arn(&resolved.name)
        } else {
            self.qualified_arn(&resolved.name, resolved.qualifier.as_deref())
        };
        let principal_json = hooks
            .statement_principal(kind, principal)
            .unwrap_or_else(|| {
                principal::statement_principal(kind, principal, &self.config.partition)
            });
        hooks.statement(statement::build(&members, principal_json, &resource))
    }
}

/// FunctionUrlAuthType only with lambda:InvokeFunctionUrl, InvokedViaFunctionUrl only with
/// lambda:InvokeFunction.
fn check_url_options(hooks: Hooks, m: &Members, action: &str) -> Outcome<()> {
    if m.function_url_auth_type.is_some()
        && action != FUNCTION_URL_ACTION
        && hooks.checks_url_auth_type_action()
    {
        return Err(LambdaError::new(
            ErrorKind::InvalidParameterValue,
            Rule::FunctionUrlAuthTypeAction,
            "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action",
        ));
    }
    if m.invoked_via_function_url == Some(true) && action != INVOKE_ACTION {
        return Err(LambdaError::new(
            ErrorKind::InvalidParameterValue,
            Rule::InvokedViaFunctionUrlAction,
            "InvokedViaFunctionUrl is only supported for lambda:InvokeFunction action",
        ));
    }
    Ok(())
}

/// The error AWS answers for a refused principal.
fn principal_error(e: PrincipalError, principal: &str) -> LambdaError {
    match e {
        PrincipalError::MalformedArn => LambdaError::new(
            ErrorKind::InvalidParameterValue,
            Rule::MalformedPrincipalArn,
            format!(
                "The provided input'{principal}'was invalid. Member must satisfy expression: [\\w+=,.@-]* Please check your input and try again."
            ),
        ),
        PrincipalError::Invalid => LambdaError::new(
            ErrorKind::InvalidParameterValue,
            Rule::InvalidPrincipal,
            "The provided principal was invalid. Please check the principal and try again.",
        ),
    }
}
