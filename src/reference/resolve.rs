//! FunctionName + Qualifier to an existing function and the qualifier whose policy is meant,
//! in the recorded order: derived-qualifier mismatch, `$LATEST` (AddPermission only), foreign
//! ARN, function existence, version or alias existence.

use super::answer::LambdaError;
use super::hooks::LatestPolicy;
use super::validate::{member_violations, validation_error, Seen};
use super::{Outcome, Reference};
use crate::contract::{contract, ErrorKind, FunctionRef, QualifierKind, Rule};

/// A FunctionName + Qualifier pair resolved to a function and the policy it addresses.
pub(super) struct Resolved {
    pub name: String,
    pub qualifier: Option<String>,
}

/// What the resolution is for: `$LATEST` means the unqualified function when reading, and is
/// refused when adding a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Add,
    Read,
}

impl Reference {
    pub(super) fn resolve(
        &self,
        function_name: &str,
        query: Option<&str>,
        purpose: Purpose,
    ) -> Outcome<Resolved> {
        let hooks = self.hooks();
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
            (Some(derived), Some(q)) if derived != q && hooks.refuses_qualifier_mismatch() => {
                return Err(LambdaError::new(
                    ErrorKind::InvalidParameterValue,
                    Rule::QualifierMismatch,
                    "The derived qualifier from the function name does not match the specified qualifier.",
                ))
            }
            (derived, q) => q.or(derived).map(str::to_string),
        };
        let qualifier = match (qualifier.as_deref(), purpose) {
            (Some("$LATEST"), Purpose::Add) => match hooks.latest() {
                LatestPolicy::Unsupported => {
                    return Err(LambdaError::new(
                        ErrorKind::InvalidParameterValue,
                        Rule::LatestUnsupported,
                        "We currently do not support adding policies for $LATEST.",
                    ))
                }
                LatestPolicy::NotFound => {
                    return Err(LambdaError::new(
                        ErrorKind::ResourceNotFound,
                        Rule::VersionNotFound,
                        format!(
                            "Function not found: {}:$LATEST",
                            self.function_arn(&fref.name)
                        ),
                    ))
                }
                LatestPolicy::Accepted => qualifier,
            },
            (Some("$LATEST"), Purpose::Read) => None,
            _ => qualifier,
        };
        if self.is_foreign(&fref) && hooks.refuses_foreign_arns() {
            return Err(self.foreign_function(&fref));
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
            // `$LATEST` is only still here when a fault accepts it.
            let missing = match QualifierKind::of(q) {
                _ if q == "$LATEST" => None,
                QualifierKind::Version => (!f.versions.iter().any(|(v, _)| v == q)).then(|| {
                    LambdaError::new(
                        ErrorKind::ResourceNotFound,
                        Rule::VersionNotFound,
                        format!("Function not found: {arn}"),
                    )
                }),
                QualifierKind::Alias => (!f.aliases.contains_key(q)).then(|| {
                    LambdaError::new(
                        ErrorKind::ResourceNotFound,
                        Rule::AliasNotFound,
                        hooks.alias_not_found(&arn),
                    )
                }),
            };
            if let Some(e) = missing {
                return Err(e);
            }
        }
        Ok(Resolved { name, qualifier })
    }

    /// Whether an ARN names another partition, region or account than the reference's.
    pub(super) fn is_foreign(&self, fref: &FunctionRef) -> bool {
        let c = &self.config;
        [
            (&fref.partition, &c.partition),
            (&fref.region, &c.region),
            (&fref.account, &c.account),
        ]
        .iter()
        .any(|(given, ours)| given.as_ref().is_some_and(|g| g != *ours))
    }

    /// The 404 for a function of another partition, region or account: the ARN as written,
    /// the parts it leaves out filled in from this account and region.
    pub(super) fn foreign_function(&self, fref: &FunctionRef) -> LambdaError {
        let c = &self.config;
        let pick =
            |given: &Option<String>, ours: &String| given.clone().unwrap_or_else(|| ours.clone());
        LambdaError::new(
            ErrorKind::ResourceNotFound,
            Rule::ForeignFunction,
            format!(
                "Function not found: arn:{}:lambda:{}:{}:function:{}",
                pick(&fref.partition, &c.partition),
                pick(&fref.region, &c.region),
                pick(&fref.account, &c.account),
                fref.name
            ),
        )
    }
}
