//! The behaviour rules the reference applies, each with its provenance.
//!
//! Every answer of the reference names the rule that decided it, so a report can say *why* the
//! oracle expects what it expects, and how sure we are of it.

use super::Source;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The statement was added (201) and built as recorded.
    Created,
    /// The body is not a JSON object.
    MalformedBody,
    /// A member has a JSON type other than its model type.
    WrongJsonType,
    /// A member violates its length, pattern, enum or required constraint.
    Validation,
    /// The qualifier in the function ARN differs from `Qualifier`.
    QualifierMismatch,
    /// `$LATEST` cannot carry a policy.
    LatestUnsupported,
    /// The function ARN names another partition, region or account.
    ForeignFunction,
    FunctionNotFound,
    /// A numeric qualifier, or one containing `$`, that is no published version.
    VersionNotFound,
    AliasNotFound,
    RevisionMismatch,
    DuplicateStatementId,
    InvalidPrincipal,
    /// A principal that starts like an ARN but does not have the six ARN fields.
    MalformedPrincipalArn,
    FunctionUrlAuthTypeAction,
    InvokedViaFunctionUrlAction,
    PolicyTooLarge,
    /// A public statement on a function whose BlockPublicPolicy setting is on.
    PublicPolicyBlocked,
    /// GetPolicy on a function or qualifier without policy.
    NoPolicy,
    /// RemovePermission on an unknown function.
    RemoveFunctionNotFound,
    /// RemovePermission where the qualifier has no policy.
    RemoveNoPolicy,
    /// RemovePermission of a Sid the policy does not have.
    StatementNotFound,
    /// CreateFunction / CreateAlias of a name that exists.
    AlreadyExists,
    /// CreateAlias to a version that does not exist.
    AliasTargetNotFound,
    /// A provisioning operation (CreateFunction, PublishVersion, CreateAlias, ...) whose
    /// FunctionName carries a qualifier: it addresses a function, not a version or alias.
    QualifiedProvisioningName,
    /// A read or write of provisioning state that succeeded.
    Ok,
    /// An answer only a deliberately faulty reference gives (`--fault`).
    InjectedFault,
}

impl Rule {
    pub const ALL: [Rule; 27] = [
        Rule::Created,
        Rule::MalformedBody,
        Rule::WrongJsonType,
        Rule::Validation,
        Rule::QualifierMismatch,
        Rule::LatestUnsupported,
        Rule::ForeignFunction,
        Rule::FunctionNotFound,
        Rule::VersionNotFound,
        Rule::AliasNotFound,
        Rule::RevisionMismatch,
        Rule::DuplicateStatementId,
        Rule::InvalidPrincipal,
        Rule::MalformedPrincipalArn,
        Rule::FunctionUrlAuthTypeAction,
        Rule::InvokedViaFunctionUrlAction,
        Rule::PolicyTooLarge,
        Rule::PublicPolicyBlocked,
        Rule::NoPolicy,
        Rule::RemoveFunctionNotFound,
        Rule::RemoveNoPolicy,
        Rule::StatementNotFound,
        Rule::AlreadyExists,
        Rule::AliasTargetNotFound,
        Rule::QualifiedProvisioningName,
        Rule::Ok,
        Rule::InjectedFault,
    ];

    /// A stable kebab-case id, used in reports and tags.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Created => "created",
            Rule::MalformedBody => "malformed-body",
            Rule::WrongJsonType => "wrong-json-type",
            Rule::Validation => "validation",
            Rule::QualifierMismatch => "qualifier-mismatch",
            Rule::LatestUnsupported => "latest-unsupported",
            Rule::ForeignFunction => "foreign-function",
            Rule::FunctionNotFound => "function-not-found",
            Rule::VersionNotFound => "version-not-found",
            Rule::AliasNotFound => "alias-not-found",
            Rule::RevisionMismatch => "revision-mismatch",
            Rule::DuplicateStatementId => "duplicate-statement-id",
            Rule::InvalidPrincipal => "invalid-principal",
            Rule::MalformedPrincipalArn => "malformed-principal-arn",
            Rule::FunctionUrlAuthTypeAction => "function-url-auth-type-action",
            Rule::InvokedViaFunctionUrlAction => "invoked-via-function-url-action",
            Rule::PolicyTooLarge => "policy-too-large",
            Rule::PublicPolicyBlocked => "public-policy-blocked",
            Rule::NoPolicy => "no-policy",
            Rule::RemoveFunctionNotFound => "remove-function-not-found",
            Rule::RemoveNoPolicy => "remove-no-policy",
            Rule::StatementNotFound => "statement-not-found",
            Rule::AlreadyExists => "already-exists",
            Rule::AliasTargetNotFound => "alias-target-not-found",
            Rule::QualifiedProvisioningName => "qualified-provisioning-name",
            Rule::Ok => "ok",
            Rule::InjectedFault => "injected-fault",
        }
    }

    /// The rule with id `id` (as [`Rule::id`] writes it).
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn source(self) -> Source {
        match self {
            Rule::MalformedBody
            | Rule::WrongJsonType
            | Rule::ForeignFunction
            | Rule::InvokedViaFunctionUrlAction
            | Rule::AlreadyExists
            | Rule::AliasTargetNotFound
            | Rule::QualifiedProvisioningName => Source::Inferred,
            Rule::Ok => Source::Doc,
            Rule::InjectedFault => Source::Inferred,
            _ => Source::Recorded,
        }
    }

    pub fn evidence(self) -> &'static str {
        match self {
            Rule::Created => "201 {\"Statement\":...}; statement keys Sid, Effect, Principal, Action, Resource, Condition; StringEquals before ArnLike (recordings 2022..2025)",
            Rule::MalformedBody => "not recorded: 400 InvalidRequestContentException, as Lambda answers bodies it cannot parse",
            Rule::WrongJsonType => "not recorded: a wrong JSON type is a deserialisation failure, answered like a malformed body",
            Rule::Validation => "Coral format '<N> validation error(s) detected: ...', model member order, length before pattern (recorded)",
            Rule::QualifierMismatch => "'The derived qualifier from the function name does not match the specified qualifier.' wins over existence checks (recorded)",
            Rule::LatestUnsupported => "'We currently do not support adding policies for $LATEST.' (recorded)",
            Rule::ForeignFunction => "not recorded for AddPermission: a function ARN of another partition, region or account names no function here (404)",
            Rule::FunctionNotFound => "'Function not found: <unqualified ARN>' (recorded)",
            Rule::VersionNotFound => "'Function not found: <qualified ARN>' for a numeric or '$'-containing qualifier (recorded)",
            Rule::AliasNotFound => "'Cannot find alias arn: <qualified ARN>' (recorded)",
            Rule::RevisionMismatch => "412 before 409; checked against the policy's RevisionId, or a version's/alias's own while it has no policy; unqualified without policy nothing matches (recorded 2025; 2022/2024 accepted the function's RevisionId)",
            Rule::DuplicateStatementId => "409 'The statement id (<sid>) provided already exists. ...' per policy; the same Sid on another qualifier is fine (recorded)",
            Rule::InvalidPrincipal => "'The provided principal was invalid. ...' for principals that are no service, account, IAM ARN or '*' (recorded)",
            Rule::MalformedPrincipalArn => "'The provided input'<arn>'was invalid. Member must satisfy expression: [\\w+=,.@-]* ...' (user report, 2022)",
            Rule::FunctionUrlAuthTypeAction => "'FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action' (user reports 2025-2026)",
            Rule::InvokedViaFunctionUrlAction => "AWS documents InvokedViaFunctionUrl only with lambda:InvokeFunction; the error text is not recorded",
            Rule::PolicyTooLarge => "'The final policy size (N) is bigger than the limit (20480).' (user reports); N = compact JSON bytes of the final policy (inferred)",
            Rule::PublicPolicyBlocked => "PublicPolicyException with the message users reported (2024); 'public' = principal '*' without SourceArn, SourceAccount or PrincipalOrgID (inferred)",
            Rule::NoPolicy => "GetPolicy: 404 'The resource you requested does not exist.' (recorded 2025)",
            Rule::RemoveFunctionNotFound => "RemovePermission: 404 'No policy found for: <unqualified ARN>' (recorded 2025)",
            Rule::RemoveNoPolicy => "RemovePermission: 404 'No policy is associated with the given resource.' (recorded 2025)",
            Rule::StatementNotFound => "RemovePermission: 404 'Statement <sid> is not found in resource policy.' (recorded 2025)",
            Rule::AlreadyExists => "CreateFunction/CreateAlias of an existing name: 409 ResourceConflictException",
            Rule::AliasTargetNotFound => "CreateAlias to an unknown version: 404 ResourceNotFoundException",
            Rule::QualifiedProvisioningName => "not recorded: the FunctionName pattern of CreateFunction, PublishVersion, UpdateFunctionConfiguration, CreateAlias and GetAlias admits ':qualifier', but they address a function; refused with 400 InvalidParameterValueException (text inferred)",
            Rule::Ok => "the operation succeeded",
            Rule::InjectedFault => "a deliberate bug from the fault catalogue, never active by default",
        }
    }

    /// Where the seed page says otherwise: (what it documents, what AWS does).
    pub fn doc_difference(self) -> Option<(&'static str, &'static str)> {
        match self {
            Rule::Validation => Some((
                "no ValidationException; constraint violations not described",
                "400 ValidationException listing every violated constraint",
            )),
            Rule::RevisionMismatch => Some((
                "RevisionId of the function or alias; 'Call the GetFunction or the GetAlias API'",
                "RevisionId of the policy (GetPolicy); message names GetPolicy",
            )),
            Rule::InvalidPrincipal => Some((
                "principal: an AWS service or account",
                "also IAM user and role ARNs; unknown services rejected",
            )),
            Rule::FunctionNotFound => Some((
                "function name limited to 64 characters, ARN to 140",
                "longer names pass validation and are simply not found",
            )),
            _ => None,
        }
    }

    pub fn to_json(self) -> Value {
        json!({"id": self.id(), "source": self.source(), "evidence": self.evidence()})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique() {
        let ids: HashSet<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
