//! The named points where a catalogue [`Fault`] bends the reference.
//!
//! The reference's own code reads as AWS's order of checks; at each step it asks [`Hooks`] what
//! the step does, and every hook is the real behaviour unless the one active fault changes that
//! step. So the faults live here, grouped by the point they act at, and the code everything
//! else trusts has no fault branches of its own:
//!
//! - **decode**: what a body that is not JSON answers;
//! - **validate**: whether members are validated, which entries survive, how they read;
//! - **resolve**: qualifiers, `$LATEST`, foreign ARNs, unknown aliases;
//! - **order of checks**: existence before validation, 409 before 412, duplicate Sids;
//! - **state**: which policy a statement goes to and which RevisionId it must match;
//! - **principal**: which principals pass and how they are written;
//! - **statement and size**: what the statement holds, its key order and text, the size limit;
//! - **store**: whether and where an answered request's statement is stored (faults whose
//!   answers are all right and only the stored policy is wrong);
//! - **status**: the status of a success, at the wire.

use super::answer::LambdaError;
use super::request::Members;
use super::validate::Seen;
use super::Fault;
use crate::contract::principal::PrincipalKind;
use crate::contract::{contract, ErrorKind, Member, Rule, DOC_FUNCTION_NAME_ONLY_MAX};
use serde_json::{json, Map, Value};

/// The hooks of a reference: the real behaviour, or that of one fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hooks(pub Option<Fault>);

/// What AddPermission does with the qualifier `$LATEST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestPolicy {
    /// 400 "We currently do not support adding policies for $LATEST." (AWS).
    Unsupported,
    /// 404 as for a missing version.
    NotFound,
    /// Accepted like any version.
    Accepted,
}

fn service_error(detail: impl Into<String>) -> LambdaError {
    LambdaError::new(ErrorKind::Service, Rule::InjectedFault, detail)
}

impl Hooks {
    fn is(self, fault: Fault) -> bool {
        self.0 == Some(fault)
    }

    // ---- decode ----------------------------------------------------------------------------

    /// The members of the body, or the error a body that does not decode answers.
    pub fn decoded(self, decoded: Result<Members, LambdaError>) -> Result<Members, LambdaError> {
        match decoded {
            Err(e) if self.is(Fault::MalformedBody500) => Err(service_error(e.message)),
            d => d,
        }
    }

    // ---- validate --------------------------------------------------------------------------

    /// Whether requests are validated at all.
    pub fn validates(self) -> bool {
        !self.is(Fault::NoValidation)
    }

    /// The validation entries reported for `member` seen as `seen`, from the `entries` the
    /// contract gives.
    pub fn violations(self, member: &Member, seen: Seen<'_>, entries: Vec<String>) -> Vec<String> {
        let (Some(fault), Seen::Str(value)) = (self.0, seen) else {
            return entries;
        };
        let mut out: Vec<String> = entries
            .into_iter()
            .filter(|e| keeps_violation(fault, member, value, e))
            .map(|e| rewrite_violation(fault, e))
            .collect();
        out.extend(extra_violation(fault, member, value));
        out
    }

    /// All entries of a request, or the error that replaces them; `missing` says whether a
    /// required member was absent.
    pub fn validation(
        self,
        mut entries: Vec<String>,
        missing: bool,
    ) -> Result<Vec<String>, LambdaError> {
        if missing && self.is(Fault::MissingMember500) {
            return Err(service_error("Internal error: null member"));
        }
        if self.is(Fault::FirstErrorOnly) {
            entries.truncate(1);
        }
        Ok(entries)
    }

    // ---- order of checks -------------------------------------------------------------------

    /// Whether the function must exist before the request is validated.
    pub fn existence_before_validation(self) -> bool {
        self.is(Fault::ValidationAfterExistence)
    }

    /// Whether a Sid already in the policy is a conflict (409).
    pub fn detects_duplicate_sids(self) -> bool {
        !self.is(Fault::NoDuplicateSid)
    }

    /// Whether the duplicate Sid (409) is reported before the RevisionId precondition (412).
    pub fn conflict_before_precondition(self) -> bool {
        self.is(Fault::ConflictBeforePrecondition)
    }

    // ---- resolve ---------------------------------------------------------------------------

    /// Whether a qualifier in the function ARN that differs from `Qualifier` is refused.
    pub fn refuses_qualifier_mismatch(self) -> bool {
        !self.is(Fault::QualifierMismatchIgnored)
    }

    /// What AddPermission does with `$LATEST`.
    pub fn latest(self) -> LatestPolicy {
        match self.0 {
            Some(Fault::LatestNotFound) => LatestPolicy::NotFound,
            Some(Fault::LatestAccepted) => LatestPolicy::Accepted,
            _ => LatestPolicy::Unsupported,
        }
    }

    /// Whether an ARN of another partition, region or account names no function here.
    pub fn refuses_foreign_arns(self) -> bool {
        !self.is(Fault::ForeignArnResolved)
    }

    /// The message for an alias that does not exist, `arn` being its qualified ARN.
    pub fn alias_not_found(self, arn: &str) -> String {
        if self.is(Fault::AliasNotFoundAsFunction) {
            format!("Function not found: {arn}")
        } else {
            format!("Cannot find alias arn: {arn}")
        }
    }

    // ---- state -----------------------------------------------------------------------------

    /// The policy a statement on `qualifier` goes to (`None`: the unqualified one).
    pub fn policy_key(self, qualifier: Option<String>) -> Option<String> {
        if self.is(Fault::SharedPolicy) {
            None
        } else {
            qualifier
        }
    }

    /// Whether a RevisionId is compared with the function's (version's, alias's) own instead
    /// of the policy's.
    pub fn revision_against_function(self) -> bool {
        self.is(Fault::RevisionAgainstFunction)
    }

    // ---- principal -------------------------------------------------------------------------

    /// The kind of an accepted principal, or the refusal.
    pub fn principal(
        self,
        classified: Result<PrincipalKind, LambdaError>,
    ) -> Result<PrincipalKind, LambdaError> {
        match classified {
            Err(_) if self.is(Fault::AnyPrincipal) => Ok(PrincipalKind::Service),
            k => k,
        }
    }

    /// The statement's `Principal` for `principal`, where the fault writes it otherwise.
    pub fn statement_principal(self, kind: PrincipalKind, principal: &str) -> Option<Value> {
        (kind == PrincipalKind::Account && self.is(Fault::AccountPrincipalVerbatim))
            .then(|| json!({ "AWS": principal }))
    }

    /// Whether FunctionUrlAuthType is refused with an Action other than InvokeFunctionUrl.
    pub fn checks_url_auth_type_action(self) -> bool {
        !self.is(Fault::UrlAuthTypeAnyAction)
    }

    // ---- statement and size ----------------------------------------------------------------

    /// The members as the statement is built from them.
    pub fn statement_members(self, mut members: Members) -> Members {
        match self.0 {
            Some(Fault::EventSourceTokenDropped) => members.event_source_token = None,
            Some(Fault::OrgIdLostWithAccount) if members.source_account.is_some() => {
                members.principal_org_id = None
            }
            _ => {}
        }
        members
    }

    /// Whether a statement on an alias names the unqualified function as its Resource.
    pub fn alias_resource_unqualified(self) -> bool {
        self.is(Fault::AliasResourceUnqualified)
    }

    /// The statement as stored and returned, from the one AWS builds.
    pub fn statement(self, statement: Value) -> Value {
        match self.0 {
            Some(fault @ (Fault::StatementKeyOrder | Fault::ConditionOrder2022)) => {
                reshape_statement(fault, statement)
            }
            _ => statement,
        }
    }

    /// The `Statement` string of the answer, from the statement's compact text.
    pub fn statement_text(self, statement: &Value, compact: String) -> String {
        if self.is(Fault::PrettyStatement) {
            serde_json::to_string_pretty(statement).unwrap_or(compact)
        } else {
            compact
        }
    }

    /// Whether the final policy size is limited.
    pub fn limits_policy_size(self) -> bool {
        !self.is(Fault::NoPolicyLimit)
    }

    // ---- store -----------------------------------------------------------------------------

    /// Whether a request refused with `e` stores its statement anyway.
    pub fn stores_refused(self, e: &LambdaError) -> bool {
        match self.0 {
            Some(Fault::RefusedStillStored) => e.rule == Rule::RevisionMismatch,
            Some(Fault::ConflictStoresDuplicate) => e.rule == Rule::DuplicateStatementId,
            _ => false,
        }
    }

    /// Whether an accepted statement is stored at all.
    pub fn stores_statement(self) -> bool {
        !self.is(Fault::StatementNeverStored)
    }

    /// The policy an accepted statement for `key` is stored in.
    pub fn store_key(self, key: Option<String>) -> Option<String> {
        if self.is(Fault::StoredUnderOtherQualifier) {
            None
        } else {
            key
        }
    }

    // ---- status ----------------------------------------------------------------------------

    /// The status of a created statement.
    pub fn created_status(self) -> u16 {
        if self.is(Fault::Status200) {
            200
        } else {
            201
        }
    }
}

/// Whether a validation entry `entry` for `member` with `value` survives `fault`.
fn keeps_violation(fault: Fault, member: &Member, value: &str, entry: &str) -> bool {
    let pattern_entry = entry.contains("regular expression pattern");
    match fault {
        Fault::StatementIdMaxOffByOne => {
            !(member.name == "StatementId"
                && entry.contains("less than or equal to")
                && contract().length_unit.count(value) == member.max().unwrap_or(0) + 1)
        }
        Fault::UnicodeDigits | Fault::UnicodeSpace | Fault::UnanchoredPatterns if pattern_entry => {
            let Some(p) = &member.pattern else {
                return true;
            };
            let source = p.value.source();
            let unicode = match fault {
                Fault::UnicodeDigits if source.contains("\\d") => format!("^(?:{source})$"),
                Fault::UnicodeSpace if source.contains("\\s") => format!("^(?:{source})$"),
                Fault::UnanchoredPatterns => source.to_string(),
                _ => return true,
            };
            regex::Regex::new(&unicode).map_or(true, |r| !r.is_match(value))
        }
        Fault::EnumNotChecked => !entry.contains("enum value set"),
        _ => true,
    }
}

/// Violations `fault` adds that the real contract does not have.
fn extra_violation(fault: Fault, member: &Member, value: &str) -> Option<String> {
    let limit = match fault {
        Fault::UnicodeSpace if member.name == "Principal" => {
            return value
                .chars()
                .any(|c| c.is_whitespace() && !c.is_ascii())
                .then(|| {
                    let p = member.pattern.as_ref().map_or("", |p| p.value.source());
                    format!("Value '{value}' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: {p}")
                });
        }
        // The page's limits: 64 for a name alone, its documented maximum for an ARN.
        Fault::DocFunctionNameLimits if member.name == "FunctionName" => {
            if value.starts_with("arn:") {
                member.doc.as_ref().and_then(|d| d.max)?
            } else {
                DOC_FUNCTION_NAME_ONLY_MAX
            }
        }
        _ => return None,
    };
    (value.chars().count() > limit).then(|| {
        format!("Value '{value}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to {limit}")
    })
}

/// Rewrites a surviving validation entry (the pre-2025 Qualifier pattern, which is the page's).
fn rewrite_violation(fault: Fault, entry: String) -> String {
    if fault != Fault::OldQualifierPattern || !entry.contains("at 'qualifier'") {
        return entry;
    }
    let qualifier = contract().expect_member("Qualifier");
    match (
        &qualifier.pattern,
        qualifier.doc.as_ref().and_then(|d| d.pattern),
    ) {
        (Some(new), Some(old)) => entry.replace(new.value.source(), old),
        _ => entry,
    }
}

/// Re-orders a statement's keys the way a faulty emulator writes them.
fn reshape_statement(fault: Fault, statement: Value) -> Value {
    let Value::Object(mut map) = statement else {
        return statement;
    };
    match fault {
        Fault::StatementKeyOrder => {
            let order = [
                "Sid",
                "Effect",
                "Action",
                "Resource",
                "Principal",
                "Condition",
            ];
            Value::Object(order.iter().filter_map(|k| map.remove_entry(*k)).collect())
        }
        Fault::ConditionOrder2022 => {
            if let Some(Value::Object(eq)) = map
                .get_mut("Condition")
                .and_then(|c| c.get_mut("StringEquals"))
            {
                let order = [
                    "lambda:FunctionUrlAuthType",
                    "aws:PrincipalOrgID",
                    "AWS:SourceAccount",
                    "lambda:EventSourceToken",
                ];
                let reordered: Map<String, Value> =
                    order.iter().filter_map(|k| eq.remove_entry(*k)).collect();
                *eq = reordered;
            }
            Value::Object(map)
        }
        _ => Value::Object(map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_reference_has_no_bends() {
        let real = Hooks(None);
        assert!(real.validates() && real.detects_duplicate_sids());
        assert!(real.refuses_foreign_arns() && real.refuses_qualifier_mismatch());
        assert_eq!(real.latest(), LatestPolicy::Unsupported);
        assert_eq!(real.created_status(), 201);
        assert_eq!(real.policy_key(Some("1".into())), Some("1".into()));
        let statement = json!({"Sid": "a"});
        assert_eq!(real.statement(statement.clone()), statement);
    }

    #[test]
    fn the_old_qualifier_pattern_is_the_pages() {
        let q = contract().expect_member("Qualifier");
        let entry = format!(
            "Value 'a.b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
            q.pattern.as_ref().unwrap().value.source()
        );
        let old = rewrite_violation(Fault::OldQualifierPattern, entry);
        assert!(old.ends_with("pattern: (|[a-zA-Z0-9$_-]+)"), "{old}");
    }

    #[test]
    fn account_principals_verbatim_only_with_their_fault() {
        let account = "223456789012";
        let fault = Hooks(Some(Fault::AccountPrincipalVerbatim));
        assert_eq!(
            fault.statement_principal(PrincipalKind::Account, account),
            Some(json!({"AWS": account}))
        );
        assert_eq!(
            Hooks(None).statement_principal(PrincipalKind::Account, account),
            None
        );
    }
}
