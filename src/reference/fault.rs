//! A catalogue of realistic emulator bugs, each a named faulty variant of the reference.
//!
//! They measure the harness: a suite that misses one of these would miss the same bug in a real
//! emulator. A fault is only ever active when asked for (`Config::fault`, `serve --fault`); what
//! each one changes is in [`super::hooks`], at the named points of the reference's order of
//! checks.

/// One faulty variant of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    StatementIdMaxOffByOne,
    UnicodeDigits,
    UnicodeSpace,
    UnanchoredPatterns,
    NoValidation,
    FirstErrorOnly,
    ValidationAfterExistence,
    OldQualifierPattern,
    DocFunctionNameLimits,
    MissingMember500,
    MalformedBody500,
    EnumNotChecked,
    LatestAccepted,
    LatestNotFound,
    QualifierMismatchIgnored,
    ForeignArnResolved,
    NoDuplicateSid,
    SharedPolicy,
    RevisionAgainstFunction,
    ConflictBeforePrecondition,
    AnyPrincipal,
    AccountPrincipalVerbatim,
    UrlAuthTypeAnyAction,
    NoPolicyLimit,
    AliasNotFoundAsFunction,
    Status200,
    StatementKeyOrder,
    ConditionOrder2022,
    EventSourceTokenDropped,
    OrgIdLostWithAccount,
    AliasResourceUnqualified,
    PrettyStatement,
    RefusedStillStored,
    ConflictStoresDuplicate,
    StoredUnderOtherQualifier,
    StatementNeverStored,
    LostUpdate,
    SharedResponseBuffer,
}

impl Fault {
    /// Every fault a sequential run can see: the reference answers with it in process and over
    /// HTTP alike. The tests and the measurements that expect the generated or curated suite
    /// to detect each fault iterate these.
    pub const ALL: [Fault; 36] = [
        Fault::StatementIdMaxOffByOne,
        Fault::UnicodeDigits,
        Fault::UnicodeSpace,
        Fault::UnanchoredPatterns,
        Fault::NoValidation,
        Fault::FirstErrorOnly,
        Fault::ValidationAfterExistence,
        Fault::OldQualifierPattern,
        Fault::DocFunctionNameLimits,
        Fault::MissingMember500,
        Fault::MalformedBody500,
        Fault::EnumNotChecked,
        Fault::LatestAccepted,
        Fault::LatestNotFound,
        Fault::QualifierMismatchIgnored,
        Fault::ForeignArnResolved,
        Fault::NoDuplicateSid,
        Fault::SharedPolicy,
        Fault::RevisionAgainstFunction,
        Fault::ConflictBeforePrecondition,
        Fault::AnyPrincipal,
        Fault::AccountPrincipalVerbatim,
        Fault::UrlAuthTypeAnyAction,
        Fault::NoPolicyLimit,
        Fault::AliasNotFoundAsFunction,
        Fault::Status200,
        Fault::StatementKeyOrder,
        Fault::ConditionOrder2022,
        Fault::EventSourceTokenDropped,
        Fault::OrgIdLostWithAccount,
        Fault::AliasResourceUnqualified,
        Fault::PrettyStatement,
        Fault::RefusedStillStored,
        Fault::ConflictStoresDuplicate,
        Fault::StoredUnderOtherQualifier,
        Fault::StatementNeverStored,
    ];

    /// The concurrency faults: bugs of a server under concurrent load, which only `serve`
    /// has (the in-process reference answers one request at a time and ignores them). Every
    /// request, sent alone, gets the right answer, so no sequential run can see them and they
    /// are not in [`Fault::ALL`]; `check --repeat`, `check --concurrency-check` and `addperm
    /// races` are what find them (see `serve`'s race window).
    pub const CONCURRENT: [Fault; 2] = [Fault::LostUpdate, Fault::SharedResponseBuffer];

    /// Every fault of the catalogue, sequential then concurrent: what `--fault` accepts and
    /// `addperm faults` lists.
    pub fn every() -> impl Iterator<Item = Fault> {
        Fault::ALL.into_iter().chain(Fault::CONCURRENT)
    }

    /// Whether this is a concurrency fault (see [`Fault::CONCURRENT`]).
    pub fn concurrent(self) -> bool {
        Fault::CONCURRENT.contains(&self)
    }

    pub fn id(self) -> &'static str {
        self.describe().0
    }

    pub fn description(self) -> &'static str {
        self.describe().1
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Fault::StatementIdMaxOffByOne => (
                "statement-id-max-off-by-one",
                "a 101-character StatementId is accepted",
            ),
            Fault::UnicodeDigits => (
                "unicode-digits",
                "`\\d` matches any Unicode digit (Rust regex default)",
            ),
            Fault::UnicodeSpace => (
                "unicode-space",
                "`\\s` matches Unicode white space, so NBSP principals are refused",
            ),
            Fault::UnanchoredPatterns => (
                "unanchored-patterns",
                "patterns match a substring instead of the whole value",
            ),
            Fault::NoValidation => (
                "no-validation",
                "no length, pattern, enum or required checks at all",
            ),
            Fault::FirstErrorOnly => ("first-error-only", "only the first violation is reported"),
            Fault::ValidationAfterExistence => (
                "validation-after-existence",
                "an unknown function is reported before invalid members",
            ),
            Fault::OldQualifierPattern => (
                "old-qualifier-pattern",
                "the Qualifier message quotes the pre-2025 pattern",
            ),
            Fault::DocFunctionNameLimits => (
                "doc-function-name-limits",
                "the page's 64/140 FunctionName limits are enforced",
            ),
            Fault::MissingMember500 => (
                "missing-member-500",
                "a missing required member answers 500",
            ),
            Fault::MalformedBody500 => {
                ("malformed-body-500", "a body that is not JSON answers 500")
            }
            Fault::EnumNotChecked => (
                "enum-not-checked",
                "any FunctionUrlAuthType value is accepted",
            ),
            Fault::LatestAccepted => ("latest-accepted", "policies on $LATEST are accepted"),
            Fault::LatestNotFound => (
                "latest-not-found",
                "$LATEST answers 404 instead of InvalidParameterValueException",
            ),
            Fault::QualifierMismatchIgnored => (
                "qualifier-mismatch-ignored",
                "the Qualifier parameter silently wins over the ARN's",
            ),
            Fault::ForeignArnResolved => (
                "foreign-arn-resolved",
                "an ARN naming another account, region or partition finds the local function of that name",
            ),
            Fault::NoDuplicateSid => ("no-duplicate-sid", "a duplicate StatementId is added again"),
            Fault::SharedPolicy => ("shared-policy", "one policy is shared by all qualifiers"),
            Fault::RevisionAgainstFunction => (
                "revision-against-function",
                "RevisionId is compared with the function's, not the policy's",
            ),
            Fault::ConflictBeforePrecondition => {
                ("conflict-before-precondition", "409 is checked before 412")
            }
            Fault::AnyPrincipal => ("any-principal", "any principal is accepted"),
            Fault::AccountPrincipalVerbatim => (
                "account-principal-verbatim",
                "a 12-digit account is not expanded to its root ARN",
            ),
            Fault::UrlAuthTypeAnyAction => (
                "url-auth-type-any-action",
                "FunctionUrlAuthType is accepted with any Action",
            ),
            Fault::NoPolicyLimit => ("no-policy-limit", "policies may grow past the policy size limit"),
            Fault::AliasNotFoundAsFunction => (
                "alias-not-found-as-function",
                "an unknown alias answers 'Function not found'",
            ),
            Fault::Status200 => ("status-200", "success answers 200 instead of 201"),
            Fault::StatementKeyOrder => (
                "statement-key-order",
                "statement keys in LocalStack's order (Action, Resource before Principal)",
            ),
            Fault::ConditionOrder2022 => (
                "condition-order-2022",
                "StringEquals keys in the 2022 order",
            ),
            Fault::EventSourceTokenDropped => (
                "event-source-token-dropped",
                "EventSourceToken gives no condition",
            ),
            Fault::OrgIdLostWithAccount => (
                "org-id-lost-with-account",
                "PrincipalOrgID is dropped when SourceAccount is given",
            ),
            Fault::AliasResourceUnqualified => (
                "alias-resource-unqualified",
                "a statement on an alias names the unqualified function",
            ),
            Fault::PrettyStatement => (
                "pretty-statement",
                "the Statement string is pretty-printed, not compact",
            ),
            Fault::RefusedStillStored => (
                "refused-still-stored",
                "a request refused with 412 (RevisionId mismatch) still stores its statement",
            ),
            Fault::ConflictStoresDuplicate => (
                "conflict-stores-duplicate",
                "a duplicate StatementId answers 409 but is stored again",
            ),
            Fault::StoredUnderOtherQualifier => (
                "stored-under-other-qualifier",
                "a statement on a version or alias is stored in the unqualified policy",
            ),
            Fault::StatementNeverStored => (
                "statement-never-stored",
                "a 201 whose statement is never stored",
            ),
            Fault::LostUpdate => (
                "lost-update",
                "concurrent: AddPermission checks and changes a copy of the state taken before a pause, then writes the whole copy back (check-then-insert: racing requests all pass the Sid and RevisionId checks and overwrite each other's changes)",
            ),
            Fault::SharedResponseBuffer => (
                "shared-response-buffer",
                "concurrent: every answer goes through one buffer shared by all requests, read back after a pause (racing clients get each other's answers)",
            ),
        }
    }

    /// The fault called `id`.
    pub fn from_id(id: &str) -> Option<Fault> {
        Fault::every().find(|f| f.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        for f in Fault::every() {
            assert_eq!(Fault::from_id(f.id()), Some(f));
            assert_eq!(f.concurrent(), !Fault::ALL.contains(&f), "{f:?}");
        }
        let mut ids: Vec<_> = Fault::every().map(|f| f.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Fault::ALL.len() + Fault::CONCURRENT.len());
    }
}
