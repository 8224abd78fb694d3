//! The provisioning operations' own members, as the current Lambda service model constrains
//! them: CreateFunction, PublishVersion, UpdateFunctionConfiguration, CreateAlias and GetAlias.
//! CreateFunction's `Role` is here too: the reference checks no role, but `--role` is checked
//! against the model's pattern before a run sends it to a target.
//!
//! The case player builds every `given` with these operations, and the reference enforces
//! exactly these constraints on them, so a `given` the reference sets up is one AWS sets up.
//! They are not AddPermission's: their FunctionName is the older `FunctionName` shape (1..140,
//! no `.` in names), not AddPermission's `NamespacedFunctionName`.

use super::AwsPattern;
use super::{Length, Location, Member, MemberType, Source, Sourced};
use std::sync::LazyLock;

/// Where these constraints come from.
const MODEL: &str =
    "botocore 1.43.11 service-2.json (the model installed with this project's emulators)";

/// The provisioning members, compiled once.
#[derive(Debug)]
pub struct Provisioning {
    /// `FunctionName` of CreateFunction, PublishVersion, UpdateFunctionConfiguration,
    /// CreateAlias and GetAlias (shape `FunctionName`).
    pub function_name: Member,
    /// `Name` of CreateAlias and GetAlias (shape `Alias`): not all digits, so that a qualifier
    /// is a version or an alias by its shape alone.
    pub alias_name: Member,
    /// `FunctionVersion` of CreateAlias (shape `VersionWithLatestPublished`).
    pub function_version: Member,
    /// `Role` of CreateFunction (shape `RoleArn`): the execution role every fixture function
    /// names. Pattern only: botocore 1.43.11 gives the shape no length (later models, such as
    /// moto's 1.44.5, add 0..10000, which no role ARN comes near).
    pub role: Member,
}

/// The provisioning contract.
pub fn provisioning() -> &'static Provisioning {
    static PROVISIONING: LazyLock<Provisioning> = LazyLock::new(Provisioning::build);
    &PROVISIONING
}

impl Provisioning {
    fn build() -> Provisioning {
        let model = |min, max, pattern| {
            (
                Some(Sourced {
                    value: Length {
                        min: Some(min),
                        max: Some(max),
                    },
                    source: Source::Model,
                    evidence: MODEL,
                }),
                Some(Sourced {
                    value: AwsPattern::new(pattern),
                    source: Source::Model,
                    evidence: MODEL,
                }),
            )
        };
        let member = |name, location, shape, (length, pattern), description| Member {
            name,
            location,
            shape,
            ty: MemberType::String,
            required: true,
            length,
            pattern,
            enum_values: None,
            doc: None,
            description,
        };
        Provisioning {
            function_name: member(
                "FunctionName",
                Location::Uri,
                "FunctionName",
                model(1, 140, r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"),
                "The function to create, publish, configure or alias: a name or an ARN of this account and region.",
            ),
            alias_name: member(
                "Name",
                Location::Body,
                "Alias",
                model(1, 128, "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"),
                "The alias name: letters, digits, '-' and '_', not all digits.",
            ),
            function_version: member(
                "FunctionVersion",
                Location::Body,
                "VersionWithLatestPublished",
                model(1, 1024, r"(\$LATEST(\.PUBLISHED)?|[0-9]+)"),
                "The version an alias points at: a published version number or $LATEST.",
            ),
            role: member(
                "Role",
                Location::Body,
                "RoleArn",
                (
                    None,
                    Some(Sourced {
                        value: AwsPattern::new(
                            r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+",
                        ),
                        source: Source::Model,
                        evidence: MODEL,
                    }),
                ),
                "The execution role of a created function: an IAM role ARN.",
            ),
        }
    }

    /// Every provisioning member, as `addperm contract` lists them.
    pub fn members(&self) -> [&Member; 4] {
        [
            &self.function_name,
            &self.alias_name,
            &self.function_version,
            &self.role,
        ]
    }

    /// Whether CreateFunction accepts `name` as a plain function name: within the
    /// FunctionName length and pattern, and neither an ARN nor qualified.
    pub fn is_function_name(&self, name: &str) -> bool {
        !name.contains(':') && accepts(&self.function_name, name)
    }

    /// Whether CreateAlias accepts `name` as an alias name.
    pub fn is_alias_name(&self, name: &str) -> bool {
        accepts(&self.alias_name, name)
    }

    /// Whether CreateFunction accepts `arn` as its `Role`.
    pub fn is_role_arn(&self, arn: &str) -> bool {
        accepts(&self.role, arn)
    }
}

/// Whether `value` is within `member`'s length bounds and matches its pattern.
fn accepts(member: &Member, value: &str) -> bool {
    let len = super::contract().length_unit.count(value);
    member.min().map_or(true, |min| len >= min)
        && member.max().map_or(true, |max| len <= max)
        && member
            .pattern
            .as_ref()
            .map_or(true, |p| p.value.matches(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_limits_hold() {
        let p = provisioning();
        let name = &p.function_name;
        assert_eq!((name.min(), name.max()), (Some(1), Some(140)));
        let pattern = &name.pattern.as_ref().unwrap().value;
        assert!(pattern.matches("my-function_1"));
        assert!(pattern.matches("arn:aws:lambda:us-east-1:123456789012:function:f"));
        assert!(!pattern.matches("f.n"), "no '.' in the FunctionName shape");
        assert!(!pattern.matches("not a name"));
        let alias = &p.alias_name;
        assert_eq!((alias.min(), alias.max()), (Some(1), Some(128)));
        let alias = &alias.pattern.as_ref().unwrap().value;
        assert!(alias.matches("live") && alias.matches(&"a".repeat(128)));
        assert!(!alias.matches("1") && !alias.matches("l$"));
        let version = &p.function_version.pattern.as_ref().unwrap().value;
        assert!(version.matches("$LATEST") && version.matches("12"));
        assert!(!version.matches("live"));
        assert!(p.is_function_name("f") && p.is_function_name(&"f".repeat(140)));
        assert!(!p.is_function_name(&"f".repeat(141)) && !p.is_function_name("f:1"));
        assert!(!p.is_function_name("") && !p.is_function_name("a b"));
        assert_eq!(p.alias_name.message_name(), "name");
        assert!(p.is_role_arn("arn:aws:iam::123456789012:role/addperm-fixture-role"));
        assert!(p.is_role_arn("arn:aws-cn:iam::123456789012:role/service-role/a+b=c,d.e@f-g_h"));
        for bad in [
            "addperm-fixture-role",
            "arn:aws:iam::12345678901:role/r",
            "arn:aws:iam::123456789012:user/u",
            "arn:aws:iam::123456789012:role/a b",
            "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/r",
            "arn:aws:lambda::123456789012:role/r",
        ] {
            assert!(!p.is_role_arn(bad), "{bad}");
        }
        assert_eq!(p.function_version.message_name(), "functionVersion");
    }
}
