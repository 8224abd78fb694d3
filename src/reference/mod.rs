//! The reference implementation: Lambda function policies in one account and region, answering
//! like AWS. It is the oracle every other part of addperm compares against.
//!
//! State: functions, their published versions and aliases, and one resource policy per qualifier
//! (unqualified, each version, each alias). Publishing a version does not copy a policy. Each
//! policy has its own RevisionId, which changes on every add and remove.

mod fault;
mod outcome;
mod principal;
mod request;
mod statement;
mod validate;
mod wire;

pub use fault::Fault;
pub use outcome::{Added, LambdaError};
pub use principal::{classify as classify_principal, PrincipalKind};
pub use request::{decode as decode_body, AddPermissionRequest, Body, Members};
pub use validate::{member_violations, validation_error, Seen};
pub use wire::{error_response, RULE_HEADER};

use crate::contract::{
    contract, ErrorKind, FunctionRef, LengthUnit, Rule, DEFAULT_ACCOUNT, DEFAULT_PARTITION,
    DEFAULT_REGION, FUNCTION_URL_ACTION, INVOKE_ACTION, POLICY_SIZE_LIMIT,
};
use std::collections::{BTreeMap, HashMap};

/// How the reference makes RevisionIds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Revisions {
    /// UUID-shaped ids from a counter: the same operations give the same ids (reproducible
    /// reports and snapshots).
    #[default]
    Sequential,
    /// Random v4 UUIDs, as AWS (the emulator uses these).
    Random,
}

/// Where the reference lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub account: String,
    pub region: String,
    pub partition: String,
    pub length_unit: LengthUnit,
    pub revisions: Revisions,
    /// A deliberate bug, for measuring the harness; `None` (the default) is the real reference.
    pub fault: Option<Fault>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            account: DEFAULT_ACCOUNT.into(),
            region: DEFAULT_REGION.into(),
            partition: DEFAULT_PARTITION.into(),
            length_unit: contract().length_unit,
            revisions: Revisions::default(),
            fault: None,
        }
    }
}

#[derive(Debug, Clone)]
struct Policy {
    /// (Sid, the statement as compact JSON). The text is kept rather than the value: GetPolicy
    /// and the size check of every AddPermission only concatenate, instead of cloning and
    /// re-serialising the whole policy (up to 20 KB) each time.
    statements: Vec<(String, String)>,
    revision: String,
}

#[derive(Debug, Clone)]
struct Function {
    revision: String,
    /// Published versions in order, with their RevisionIds.
    versions: Vec<(String, String)>,
    /// Alias name -> (version, RevisionId).
    aliases: BTreeMap<String, (String, String)>,
    /// Qualifier (`None`: unqualified) -> policy.
    policies: HashMap<Option<String>, Policy>,
    block_public_policy: bool,
}

/// What a function, version or alias looks like from outside (GetFunction / GetAlias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub name: String,
    pub arn: String,
    /// `$LATEST`, a version number, or for an alias the version it points at.
    pub version: String,
    pub revision_id: String,
}

/// GetPolicy's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyView {
    pub policy: String,
    pub revision_id: String,
}

/// The in-process Lambda policy model.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    config: Config,
    functions: BTreeMap<String, Function>,
    counter: u64,
}

/// A FunctionName + Qualifier pair resolved to a function and the policy it addresses.
struct Resolved {
    name: String,
    qualifier: Option<String>,
}

type Outcome<T> = Result<T, LambdaError>;

impl Reference {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            functions: BTreeMap::new(),
            counter: 0,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn next_revision(&mut self) -> String {
        match self.config.revisions {
            Revisions::Random => uuid::Uuid::new_v4().to_string(),
            Revisions::Sequential => {
                self.counter += 1;
                let mut bytes = [0u8; 16];
                bytes[8..].copy_from_slice(&self.counter.to_be_bytes());
                uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string()
            }
        }
    }

    /// The unqualified ARN of function `name` in this account and region.
    pub fn function_arn(&self, name: &str) -> String {
        let c = &self.config;
        format!(
            "arn:{}:lambda:{}:{}:function:{name}",
            c.partition, c.region, c.account
        )
    }

    fn qualified_arn(&self, name: &str, qualifier: Option<&str>) -> String {
        match qualifier {
            Some(q) => format!("{}:{q}", self.function_arn(name)),
            None => self.function_arn(name),
        }
    }

    // ---- provisioning ----------------------------------------------------------------------

    /// CreateFunction (only what policies need: the name).
    pub fn create_function(&mut self, name: &str) -> Outcome<FunctionInfo> {
        if !is_plain_name(name) {
            return Err(LambdaError::new(
                ErrorKind::Validation,
                Rule::Validation,
                format!("1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+"),
            ));
        }
        if self.functions.contains_key(name) {
            return Err(LambdaError::new(
                ErrorKind::ResourceConflict,
                Rule::AlreadyExists,
                format!("Function already exist: {name}"),
            ));
        }
        let revision = self.next_revision();
        self.functions.insert(
            name.to_string(),
            Function {
                revision,
                versions: Vec::new(),
                aliases: BTreeMap::new(),
                policies: HashMap::new(),
                block_public_policy: false,
            },
        );
        self.get_function(name, None)
    }

    fn function_mut(&mut self, name: &str) -> Outcome<&mut Function> {
        let arn = self.function_arn(name);
        self.functions.get_mut(name).ok_or_else(|| {
            LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::FunctionNotFound,
                format!("Function not found: {arn}"),
            )
        })
    }

    /// PublishVersion: the next version number. The function's own RevisionId changes; no
    /// policy is copied and no policy RevisionId changes (recorded 2025).
    pub fn publish_version(&mut self, name: &str) -> Outcome<FunctionInfo> {
        let version_revision = self.next_revision();
        let function_revision = self.next_revision();
        let f = self.function_mut(name)?;
        let version = (f.versions.len() + 1).to_string();
        f.versions.push((version.clone(), version_revision));
        f.revision = function_revision;
        self.get_function(name, Some(&version))
    }

    /// UpdateFunctionConfiguration: only `$LATEST`'s RevisionId changes (the reference keeps no
    /// configuration). It lets a runner publish several versions of one function on AWS, which
    /// publishes no new version while code and configuration are unchanged.
    pub fn update_function_configuration(&mut self, name: &str) -> Outcome<FunctionInfo> {
        let revision = self.next_revision();
        self.function_mut(name)?.revision = revision;
        self.get_function(name, None)
    }

    /// CreateAlias pointing at a published version or `$LATEST`.
    pub fn create_alias(
        &mut self,
        name: &str,
        alias: &str,
        version: &str,
    ) -> Outcome<FunctionInfo> {
        let alias_arn = self.qualified_arn(name, Some(alias));
        let version_arn = self.qualified_arn(name, Some(version));
        if !is_plain_name(alias) || alias.bytes().all(|b| b.is_ascii_digit()) {
            return Err(LambdaError::new(
                ErrorKind::Validation,
                Rule::Validation,
                format!("1 validation error detected: Value '{alias}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"),
            ));
        }
        let revision = self.next_revision();
        let f = self.function_mut(name)?;
        if f.aliases.contains_key(alias) {
            return Err(LambdaError::new(
                ErrorKind::ResourceConflict,
                Rule::AlreadyExists,
                format!("Alias already exists: {alias_arn}"),
            ));
        }
        if version != "$LATEST" && !f.versions.iter().any(|(v, _)| v == version) {
            return Err(LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::AliasTargetNotFound,
                format!("Function not found: {version_arn}"),
            ));
        }
        f.aliases
            .insert(alias.to_string(), (version.to_string(), revision));
        self.get_alias(name, alias)
    }

    /// DeleteFunction: the function with all its versions, aliases and policies.
    pub fn delete_function(&mut self, name: &str) -> Outcome<()> {
        self.function_mut(name)?;
        self.functions.remove(name);
        Ok(())
    }

    /// Turns the function's BlockPublicPolicy setting on or off.
    pub fn set_block_public_policy(&mut self, name: &str, on: bool) -> Outcome<()> {
        self.function_mut(name)?.block_public_policy = on;
        Ok(())
    }

    /// GetFunction of `$LATEST` (qualifier `None`) or a published version.
    pub fn get_function(&self, name: &str, qualifier: Option<&str>) -> Outcome<FunctionInfo> {
        let not_found = || {
            LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::FunctionNotFound,
                format!(
                    "Function not found: {}",
                    self.qualified_arn(name, qualifier)
                ),
            )
        };
        let f = self.functions.get(name).ok_or_else(not_found)?;
        let (version, revision_id) = match qualifier {
            None | Some("$LATEST") => ("$LATEST".to_string(), f.revision.clone()),
            Some(q) => match f.versions.iter().find(|(v, _)| v == q) {
                Some((v, r)) => (v.clone(), r.clone()),
                None => match f.aliases.get(q) {
                    Some((v, r)) => (v.clone(), r.clone()),
                    None => return Err(not_found()),
                },
            },
        };
        Ok(FunctionInfo {
            name: name.to_string(),
            arn: self.qualified_arn(name, qualifier.filter(|q| *q != "$LATEST")),
            version,
            revision_id,
        })
    }

    /// GetAlias.
    pub fn get_alias(&self, name: &str, alias: &str) -> Outcome<FunctionInfo> {
        let arn = self.qualified_arn(name, Some(alias));
        let f = self.functions.get(name).ok_or_else(|| {
            LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::FunctionNotFound,
                format!("Function not found: {}", self.function_arn(name)),
            )
        })?;
        let (version, revision) = f.aliases.get(alias).ok_or_else(|| {
            LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::AliasNotFound,
                format!("Cannot find alias arn: {arn}"),
            )
        })?;
        Ok(FunctionInfo {
            name: name.to_string(),
            arn,
            version: version.clone(),
            revision_id: revision.clone(),
        })
    }

    // ---- policies --------------------------------------------------------------------------

    /// The RevisionId an AddPermission precondition must equal, or `None` when no RevisionId
    /// can match.
    ///
    /// With a policy: the policy's RevisionId (GetPolicy). Without one, for a version or an alias:
    /// its own RevisionId (recorded 2025: the alias's RevisionId was accepted on an alias without
    /// policy). Without one, unqualified: nothing matches (recorded 2025: the function's
    /// RevisionId was refused on a function without policy; the 2022/2024 recordings accepted it).
    pub fn precondition_revision(&self, name: &str, qualifier: Option<&str>) -> Option<String> {
        let f = self.functions.get(name)?;
        let key = qualifier.map(str::to_string);
        if let Some(p) = f.policies.get(&key) {
            return Some(p.revision.clone());
        }
        let q = qualifier?;
        f.versions
            .iter()
            .find(|(v, _)| v == q)
            .map(|(_, r)| r.clone())
            .or_else(|| f.aliases.get(q).map(|(_, r)| r.clone()))
    }

    /// AddPermission, with AWS's order of checks (aws-behaviour.md §3).
    pub fn add_permission(&mut self, req: &AddPermissionRequest) -> Outcome<Added> {
        let mut members = match decode_body(&req.body) {
            Err(e) if self.faulty(Fault::MalformedBody500) => return Err(service_error(e.message)),
            m => m?,
        };
        if self.faulty(Fault::ValidationAfterExistence)
            && FunctionRef::parse(&req.function_name).is_some()
        {
            self.resolve(&req.function_name, req.qualifier.as_deref(), true)?;
        }
        if !self.faulty(Fault::NoValidation) {
            self.validate_add(req, &members)?;
        }
        let resolved = self.resolve(&req.function_name, req.qualifier.as_deref(), true)?;
        let policy_key = if self.faulty(Fault::SharedPolicy) {
            None
        } else {
            resolved.qualifier.clone()
        };
        let current = if self.faulty(Fault::RevisionAgainstFunction) {
            self.get_function(&resolved.name, resolved.qualifier.as_deref())
                .ok()
                .map(|f| f.revision_id)
        } else {
            self.precondition_revision(&resolved.name, policy_key.as_deref())
        };
        let f = &self.functions[&resolved.name];
        let policy = f.policies.get(&policy_key);
        let sid = members.statement_id.clone().unwrap_or_default();
        let precondition = match &members.revision_id {
            Some(given) if current.as_deref() != Some(given.as_str()) => Err(LambdaError::new(
                ErrorKind::PreconditionFailed,
                Rule::RevisionMismatch,
                "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id",
            )),
            _ => Ok(()),
        };
        let duplicate = policy.is_some_and(|p| p.statements.iter().any(|(s, _)| *s == sid))
            && !self.faulty(Fault::NoDuplicateSid);
        let conflict = if duplicate {
            Err(LambdaError::new(
                ErrorKind::ResourceConflict,
                Rule::DuplicateStatementId,
                format!("The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement."),
            ))
        } else {
            Ok(())
        };
        if self.faulty(Fault::ConflictBeforePrecondition) {
            conflict.clone()?;
        }
        precondition?;
        conflict?;
        // Validation guarantees the required members are present.
        let action = members.action.clone().unwrap_or_default();
        let principal = members.principal.clone().unwrap_or_default();
        let kind = match principal::classify(&principal) {
            Err(_) if self.faulty(Fault::AnyPrincipal) => PrincipalKind::Service,
            k => k?,
        };
        if members.function_url_auth_type.is_some()
            && action != FUNCTION_URL_ACTION
            && !self.faulty(Fault::UrlAuthTypeAnyAction)
        {
            return Err(LambdaError::new(
                ErrorKind::InvalidParameterValue,
                Rule::FunctionUrlAuthTypeAction,
                "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action",
            ));
        }
        if members.invoked_via_function_url == Some(true) && action != INVOKE_ACTION {
            return Err(LambdaError::new(
                ErrorKind::InvalidParameterValue,
                Rule::InvokedViaFunctionUrlAction,
                "InvokedViaFunctionUrl is only supported for lambda:InvokeFunction action",
            ));
        }
        let public = kind == PrincipalKind::Everyone
            && members.source_arn.is_none()
            && members.source_account.is_none()
            && members.principal_org_id.is_none();
        if public && f.block_public_policy {
            return Err(LambdaError::new(
                ErrorKind::PublicPolicy,
                Rule::PublicPolicyBlocked,
                "Lambda blocked the creation of this policy because it would grant public access to your function. If this is intentional, change your function's BlockPublicPolicy setting to allow public access and try again.",
            ));
        }
        let alias_unqualified = self.faulty(Fault::AliasResourceUnqualified)
            && resolved
                .qualifier
                .as_deref()
                .is_some_and(|q| f.aliases.contains_key(q));
        let resource = if alias_unqualified {
            self.function_arn(&resolved.name)
        } else {
            self.qualified_arn(&resolved.name, resolved.qualifier.as_deref())
        };
        let principal_json = match kind {
            PrincipalKind::Account if self.faulty(Fault::AccountPrincipalVerbatim) => {
                serde_json::json!({ "AWS": principal })
            }
            _ => principal::statement_principal(kind, &principal, &self.config.partition),
        };
        if self.faulty(Fault::EventSourceTokenDropped) {
            members.event_source_token = None;
        }
        if self.faulty(Fault::OrgIdLostWithAccount) && members.source_account.is_some() {
            members.principal_org_id = None;
        }
        let mut new = statement::build(&members, principal_json, &resource);
        if let Some(fault) = self.config.fault {
            new = fault.reshape_statement(new);
        }
        let existing = policy.map(|p| p.statements.as_slice()).unwrap_or_default();
        let compact = new.to_string();
        let size = statement::policy(
            existing
                .iter()
                .map(|(_, s)| s.as_str())
                .chain([compact.as_str()]),
        )
        .len();
        if size > POLICY_SIZE_LIMIT && !self.faulty(Fault::NoPolicyLimit) {
            return Err(LambdaError::new(
                ErrorKind::PolicyLengthExceeded,
                Rule::PolicyTooLarge,
                format!("The final policy size ({size}) is bigger than the limit ({POLICY_SIZE_LIMIT})."),
            ));
        }
        let revision = self.next_revision();
        let statement = if self.faulty(Fault::PrettyStatement) {
            serde_json::to_string_pretty(&new).unwrap_or_else(|_| compact.clone())
        } else {
            compact.clone()
        };
        let Some(f) = self.functions.get_mut(&resolved.name) else {
            unreachable!("resolve() returned an existing function")
        };
        let policy = f.policies.entry(policy_key).or_insert_with(|| Policy {
            statements: Vec::new(),
            revision: String::new(),
        });
        policy.statements.push((sid, compact));
        policy.revision = revision;
        Ok(Added { statement })
    }

    fn faulty(&self, fault: Fault) -> bool {
        self.config.fault == Some(fault)
    }

    fn validate_add(&self, req: &AddPermissionRequest, m: &Members) -> Outcome<()> {
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
            let violations = member_violations(member, seen, unit);
            match (self.config.fault, seen) {
                (Some(fault), Seen::Str(value)) => {
                    entries.extend(
                        violations
                            .into_iter()
                            .filter(|e| fault.keeps_violation(member, value, e))
                            .map(|e| fault.rewrite_violation(e)),
                    );
                    entries.extend(fault.extra_violation(member, value));
                }
                _ => entries.extend(violations),
            }
        }
        if missing && self.faulty(Fault::MissingMember500) {
            return Err(service_error("Internal error: null member".into()));
        }
        if self.faulty(Fault::FirstErrorOnly) {
            entries.truncate(1);
        }
        validation_error(entries).map_or(Ok(()), Err)
    }

    /// Validates the members GetPolicy and RemovePermission share with AddPermission.
    fn validate_members(&self, values: &[(&str, Option<&str>)]) -> Outcome<()> {
        let unit = self.config.length_unit;
        let mut entries = Vec::new();
        for member in &contract().members {
            if let Some((_, v)) = values.iter().find(|(n, _)| *n == member.name) {
                entries.extend(member_violations(
                    member,
                    v.map_or(Seen::Absent, Seen::Str),
                    unit,
                ));
            }
        }
        validation_error(entries).map_or(Ok(()), Err)
    }

    /// Resolves FunctionName + Qualifier to an existing function and qualifier, with the
    /// recorded order: derived-qualifier mismatch, `$LATEST` (AddPermission only), foreign ARN,
    /// function existence, version/alias existence.
    fn resolve(
        &self,
        function_name: &str,
        query: Option<&str>,
        for_add: bool,
    ) -> Outcome<Resolved> {
        let Some(fref) = FunctionRef::parse(function_name) else {
            // Validation ran first, so this is unreachable in practice; answer as AWS would.
            let member = contract().expect_member("FunctionName");
            let entries =
                member_violations(member, Seen::Str(function_name), self.config.length_unit);
            return Err(validation_error(entries).unwrap_or_else(|| {
                LambdaError::new(
                    ErrorKind::Validation,
                    Rule::Validation,
                    "1 validation error detected",
                )
            }));
        };
        let qualifier = match (fref.qualifier.as_deref(), query) {
            (Some(derived), Some(q)) if derived != q && !self.faulty(Fault::QualifierMismatchIgnored) => {
                return Err(LambdaError::new(
                    ErrorKind::InvalidParameterValue,
                    Rule::QualifierMismatch,
                    "The derived qualifier from the function name does not match the specified qualifier.",
                ))
            }
            (derived, q) => q.or(derived).map(str::to_string),
        };
        let qualifier = match qualifier.as_deref() {
            Some("$LATEST") if for_add && self.faulty(Fault::LatestNotFound) => {
                return Err(LambdaError::new(
                    ErrorKind::ResourceNotFound,
                    Rule::VersionNotFound,
                    format!(
                        "Function not found: {}:$LATEST",
                        self.function_arn(&fref.name)
                    ),
                ))
            }
            Some("$LATEST") if for_add && self.faulty(Fault::LatestAccepted) => qualifier,
            Some("$LATEST") if for_add => {
                return Err(LambdaError::new(
                    ErrorKind::InvalidParameterValue,
                    Rule::LatestUnsupported,
                    "We currently do not support adding policies for $LATEST.",
                ))
            }
            Some("$LATEST") => None,
            _ => qualifier,
        };
        let c = &self.config;
        let foreign = [
            (&fref.partition, &c.partition),
            (&fref.region, &c.region),
            (&fref.account, &c.account),
        ]
        .iter()
        .any(|(given, ours)| given.as_ref().is_some_and(|g| g != *ours));
        if foreign && !self.faulty(Fault::ForeignArnResolved) {
            // The ARN as written, parts it leaves out filled in from this account and region.
            let pick = |given: &Option<String>, ours: &String| {
                given.clone().unwrap_or_else(|| ours.clone())
            };
            return Err(LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::ForeignFunction,
                format!(
                    "Function not found: arn:{}:lambda:{}:{}:function:{}",
                    pick(&fref.partition, &c.partition),
                    pick(&fref.region, &c.region),
                    pick(&fref.account, &c.account),
                    fref.name
                ),
            ));
        }
        let name = fref.name;
        let Some(f) = self.functions.get(&name) else {
            return Err(LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::FunctionNotFound,
                format!("Function not found: {}", self.function_arn(&name)),
            ));
        };
        if let Some(q) = qualifier.as_deref() {
            let arn = self.qualified_arn(&name, Some(q));
            let version_shaped = q.bytes().all(|b| b.is_ascii_digit()) || q.contains('$');
            if q == "$LATEST" {
                // Only reachable with Fault::LatestAccepted.
            } else if version_shaped {
                if !f.versions.iter().any(|(v, _)| v == q) {
                    return Err(LambdaError::new(
                        ErrorKind::ResourceNotFound,
                        Rule::VersionNotFound,
                        format!("Function not found: {arn}"),
                    ));
                }
            } else if !f.aliases.contains_key(q) {
                let message = if self.faulty(Fault::AliasNotFoundAsFunction) {
                    format!("Function not found: {arn}")
                } else {
                    format!("Cannot find alias arn: {arn}")
                };
                return Err(LambdaError::new(
                    ErrorKind::ResourceNotFound,
                    Rule::AliasNotFound,
                    message,
                ));
            }
        }
        Ok(Resolved { name, qualifier })
    }

    /// GetPolicy.
    pub fn get_policy(&self, function_name: &str, qualifier: Option<&str>) -> Outcome<PolicyView> {
        self.validate_members(&[
            ("FunctionName", Some(function_name)),
            ("Qualifier", qualifier),
        ])?;
        let no_policy = || {
            LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::NoPolicy,
                "The resource you requested does not exist.",
            )
        };
        let resolved = self.resolve(function_name, qualifier, false).map_err(|e| {
            if e.kind == ErrorKind::ResourceNotFound {
                no_policy()
            } else {
                e
            }
        })?;
        let p = self.functions[&resolved.name]
            .policies
            .get(&resolved.qualifier)
            .ok_or_else(no_policy)?;
        Ok(PolicyView {
            policy: statement::policy(p.statements.iter().map(|(_, s)| s.as_str())),
            revision_id: p.revision.clone(),
        })
    }

    /// RemovePermission.
    pub fn remove_permission(
        &mut self,
        function_name: &str,
        statement_id: &str,
        qualifier: Option<&str>,
        revision_id: Option<&str>,
    ) -> Outcome<()> {
        self.validate_members(&[
            ("FunctionName", Some(function_name)),
            ("StatementId", Some(statement_id)),
            ("Qualifier", qualifier),
        ])?;
        let resolved = self.resolve(function_name, qualifier, false).map_err(|e| {
            if e.rule == Rule::FunctionNotFound {
                let name = FunctionRef::parse(function_name)
                    .map(|f| f.name)
                    .unwrap_or_default();
                LambdaError::new(
                    ErrorKind::ResourceNotFound,
                    Rule::RemoveFunctionNotFound,
                    format!("No policy found for: {}", self.function_arn(&name)),
                )
            } else {
                e
            }
        })?;
        let revision = self.next_revision();
        let f = self
            .functions
            .get_mut(&resolved.name)
            .expect("resolved functions exist");
        let Some(p) = f.policies.get_mut(&resolved.qualifier) else {
            return Err(LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::RemoveNoPolicy,
                "No policy is associated with the given resource.",
            ));
        };
        if revision_id.is_some_and(|r| r != p.revision) {
            return Err(LambdaError::new(
                ErrorKind::PreconditionFailed,
                Rule::RevisionMismatch,
                "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id",
            ));
        }
        let Some(index) = p.statements.iter().position(|(s, _)| s == statement_id) else {
            return Err(LambdaError::new(
                ErrorKind::ResourceNotFound,
                Rule::StatementNotFound,
                format!("Statement {statement_id} is not found in resource policy."),
            ));
        };
        p.statements.remove(index);
        p.revision = revision;
        if p.statements.is_empty() {
            f.policies.remove(&resolved.qualifier);
        }
        Ok(())
    }
}

fn service_error(detail: String) -> LambdaError {
    LambdaError::new(ErrorKind::Service, Rule::InjectedFault, detail)
}

/// CreateFunction's and CreateAlias's name rule: letters, digits, `-` and `_`, 1 to 64.
fn is_plain_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests;
