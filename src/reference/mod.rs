//! The reference implementation: Lambda function policies in one account and region, answering
//! like AWS. It is the oracle every other part of addperm compares against.
//!
//! State: functions, their published versions and aliases, and one resource policy per qualifier
//! (unqualified, each version, each alias). Publishing a version does not copy a policy. Each
//! policy has its own RevisionId, which changes on every add and remove.

mod add;
mod answer;
mod fault;
mod hooks;
mod request;
mod resolve;
mod statement;
mod validate;

pub use answer::{Added, LambdaError};
pub use fault::Fault;
pub use request::{AddPermissionRequest, Body};
use validate::{member_violations, validation_error, Seen};

use crate::contract::{
    contract, provisioning, ErrorKind, FunctionRef, LengthUnit, Member, Rule, DEFAULT_ACCOUNT,
    DEFAULT_PARTITION, DEFAULT_REGION,
};
use hooks::Hooks;
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

    /// Where the configured fault (if any) bends this reference.
    fn hooks(&self) -> Hooks {
        Hooks(self.config.fault)
    }

    /// The status AWS gives a created statement (201), as this reference answers it.
    pub fn created_status(&self) -> u16 {
        self.hooks().created_status()
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

    /// The plain function name a provisioning operation's FunctionName means, once it and the
    /// operation's other members satisfy the provisioning contract: a name, or an ARN of this
    /// partition, region and account, without qualifier.
    fn provisioned_name(&self, function_name: &str, others: &[(&Member, &str)]) -> Outcome<String> {
        let unit = self.config.length_unit;
        let p = provisioning();
        let mut entries = member_violations(&p.function_name, Seen::Str(function_name), unit);
        for (member, value) in others {
            entries.extend(member_violations(member, Seen::Str(value), unit));
        }
        validation_error(entries).map_or(Ok(()), Err)?;
        let fref = FunctionRef::parse(function_name).ok_or_else(|| {
            // The provisioning pattern is narrower than the one FunctionRef parses.
            LambdaError::new(
                ErrorKind::Validation,
                Rule::Validation,
                "1 validation error detected",
            )
        })?;
        if self.is_foreign(&fref) {
            return Err(self.foreign_function(&fref));
        }
        if fref.qualifier.is_some() {
            return Err(LambdaError::new(
                ErrorKind::InvalidParameterValue,
                Rule::QualifiedProvisioningName,
                format!("The function name must not carry a qualifier: {function_name}"),
            ));
        }
        Ok(fref.name)
    }

    /// CreateFunction (only what policies need: the name).
    pub fn create_function(&mut self, function_name: &str) -> Outcome<FunctionInfo> {
        let name = self.provisioned_name(function_name, &[])?;
        if self.functions.contains_key(&name) {
            return Err(LambdaError::new(
                ErrorKind::ResourceConflict,
                Rule::AlreadyExists,
                format!("Function already exist: {name}"),
            ));
        }
        let revision = self.next_revision();
        self.functions.insert(
            name.clone(),
            Function {
                revision,
                versions: Vec::new(),
                aliases: BTreeMap::new(),
                policies: HashMap::new(),
                block_public_policy: false,
            },
        );
        self.get_function(&name, None)
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
    pub fn publish_version(&mut self, function_name: &str) -> Outcome<FunctionInfo> {
        let name = self.provisioned_name(function_name, &[])?;
        let version_revision = self.next_revision();
        let function_revision = self.next_revision();
        let f = self.function_mut(&name)?;
        let version = (f.versions.len() + 1).to_string();
        f.versions.push((version.clone(), version_revision));
        f.revision = function_revision;
        self.get_function(&name, Some(&version))
    }

    /// UpdateFunctionConfiguration: only `$LATEST`'s RevisionId changes (the reference keeps no
    /// configuration). It lets a runner publish several versions of one function on AWS, which
    /// publishes no new version while code and configuration are unchanged.
    pub fn update_function_configuration(&mut self, function_name: &str) -> Outcome<FunctionInfo> {
        let name = self.provisioned_name(function_name, &[])?;
        let revision = self.next_revision();
        self.function_mut(&name)?.revision = revision;
        self.get_function(&name, None)
    }

    /// CreateAlias pointing at a published version or `$LATEST`.
    pub fn create_alias(
        &mut self,
        function_name: &str,
        alias: &str,
        version: &str,
    ) -> Outcome<FunctionInfo> {
        let p = provisioning();
        let name = self.provisioned_name(
            function_name,
            &[(&p.alias_name, alias), (&p.function_version, version)],
        )?;
        let name = name.as_str();
        let alias_arn = self.qualified_arn(name, Some(alias));
        let version_arn = self.qualified_arn(name, Some(version));
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
        self.alias_info(name, alias)
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
    pub fn get_alias(&self, function_name: &str, alias: &str) -> Outcome<FunctionInfo> {
        let name = self.provisioned_name(function_name, &[(&provisioning().alias_name, alias)])?;
        self.alias_info(&name, alias)
    }

    /// GetAlias's answer for a plain name, without validation.
    fn alias_info(&self, name: &str, alias: &str) -> Outcome<FunctionInfo> {
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
        let resolved = self
            .resolve(function_name, qualifier, resolve::Purpose::Read)
            .map_err(|e| {
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
        let resolved = self
            .resolve(function_name, qualifier, resolve::Purpose::Read)
            .map_err(|e| {
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

/// A policy's statements as (Sid, statement as compact JSON), in order.
pub(crate) type Statements = Vec<(String, String)>;

/// The case player's mirror of a target: a pooled fixture's state is kept as a reference
/// world, which needs a few writes and reads no Lambda operation offers.
impl Reference {
    /// The function and policy key a GetPolicy of `function_name` and `qualifier` reads, when
    /// they name an existing function, version or alias.
    pub(crate) fn policy_address(
        &self,
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Option<(String, Option<String>)> {
        let r = self
            .resolve(function_name, qualifier, resolve::Purpose::Read)
            .ok()?;
        Some((r.name, r.qualifier))
    }

    /// The statements of function `name`'s policy `key` as (Sid, compact JSON), in order.
    pub(crate) fn statements(&self, name: &str, key: &Option<String>) -> Statements {
        self.functions
            .get(name)
            .and_then(|f| f.policies.get(key))
            .map(|p| p.statements.clone())
            .unwrap_or_default()
    }

    /// Every policy of function `name`: its key and statements, in key order.
    pub(crate) fn policies(&self, name: &str) -> Vec<(Option<String>, Statements)> {
        let Some(f) = self.functions.get(name) else {
            return Vec::new();
        };
        let mut out: Vec<_> = f
            .policies
            .iter()
            .map(|(k, p)| (k.clone(), p.statements.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Sets function `name`'s policy `key` to `statements` (none: no policy), with a new
    /// RevisionId.
    pub(crate) fn replace_policy(
        &mut self,
        name: &str,
        key: Option<String>,
        statements: Statements,
    ) {
        let revision = self.next_revision();
        if let Some(f) = self.functions.get_mut(name) {
            if statements.is_empty() {
                f.policies.remove(&key);
            } else {
                f.policies.insert(
                    key,
                    Policy {
                        statements,
                        revision,
                    },
                );
            }
        }
    }

    /// Function `name` as `other` has it (versions, aliases, policies), replacing any here.
    pub(crate) fn copy_function(&mut self, other: &Reference, name: &str) {
        if let Some(f) = other.functions.get(name) {
            self.functions.insert(name.to_string(), f.clone());
        }
    }
}

#[cfg(test)]
mod tests;
