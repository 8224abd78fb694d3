//! The FunctionName formats: `name`, `name:qualifier`, partial ARN `account:function:name`, full
//! ARN `arn:partition:lambda:region:account:function:name[:qualifier]`.
//!
//! Parsing reads the captures of the contract's own pattern, so "parses" and "is valid" can never
//! disagree.

use super::{contract, FUNCTION_NAME_PATTERN};
use std::fmt;

/// A FunctionName split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionRef {
    /// `Some` only for a full ARN (`arn:<partition>:lambda:`); an empty partition is `Some("")`.
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    /// Whether the `function:` segment was written.
    pub function_segment: bool,
    pub name: String,
    pub qualifier: Option<String>,
}

impl FunctionRef {
    /// Splits a FunctionName that satisfies the contract's pattern; `None` for one that does not.
    pub fn parse(value: &str) -> Option<FunctionRef> {
        // Most names are plain: without `:` the pattern leaves only its name group, so a plain
        // name is read without running the captures (a test holds both paths to the pattern).
        if !value.contains(':') {
            return (!value.is_empty() && value.bytes().all(is_name_byte))
                .then(|| FunctionRef::plain(value, None));
        }
        Self::parse_with_pattern(value)
    }

    /// [`FunctionRef::parse`] through the pattern's captures, for every form.
    fn parse_with_pattern(value: &str) -> Option<FunctionRef> {
        let member = contract().expect_member("FunctionName");
        let pattern = &member.pattern.as_ref()?.value;
        debug_assert_eq!(pattern.source(), FUNCTION_NAME_PATTERN);
        let caps = pattern.regex().captures(value)?;
        let text = |i: usize| caps.get(i).map(|m| m.as_str().to_string());
        let strip_colon = |s: String| s.trim_end_matches(':').to_string();
        Some(FunctionRef {
            partition: caps.get(1).map(|_| text(2).unwrap_or_default()),
            region: text(3).map(strip_colon),
            account: text(9).map(strip_colon),
            function_segment: caps.get(10).is_some(),
            name: text(11)?,
            qualifier: text(13),
        })
    }

    /// A plain `name` or `name:qualifier`.
    pub fn plain(name: &str, qualifier: Option<&str>) -> FunctionRef {
        FunctionRef {
            partition: None,
            region: None,
            account: None,
            function_segment: false,
            name: name.to_string(),
            qualifier: qualifier.map(str::to_string),
        }
    }
}

impl fmt::Display for FunctionRef {
    /// Formats the parts back into the FunctionName they were parsed from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.partition {
            write!(f, "arn:{p}:lambda:")?;
        }
        if let Some(r) = &self.region {
            write!(f, "{r}:")?;
        }
        if let Some(a) = &self.account {
            write!(f, "{a}:")?;
        }
        if self.function_segment {
            f.write_str("function:")?;
        }
        f.write_str(&self.name)?;
        if let Some(q) = &self.qualifier {
            write!(f, ":{q}")?;
        }
        Ok(())
    }
}

/// A byte of the pattern's name group, `[a-zA-Z0-9-_\.]`.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// What a qualifier addresses, by its shape alone: AWS looks a numeric qualifier, or one that
/// contains `$`, up as a version ("Function not found" when there is none) and anything else as
/// an alias ("Cannot find alias arn"). The alias name pattern excludes both shapes, so the two
/// never meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualifierKind {
    /// `$LATEST`, a version number, or another `$` form.
    Version,
    Alias,
}

impl QualifierKind {
    pub fn of(qualifier: &str) -> QualifierKind {
        if qualifier.bytes().all(|b| b.is_ascii_digit()) || qualifier.contains('$') {
            QualifierKind::Version
        } else {
            QualifierKind::Alias
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The plain-name shortcut reads exactly what the pattern reads.
        #[test]
        fn plain_names_parse_as_the_pattern_does(name in "[a-zA-Z0-9._ é$/-]{0,12}") {
            proptest::prop_assert_eq!(FunctionRef::parse(&name), FunctionRef::parse_with_pattern(&name));
        }
    }

    #[test]
    fn qualifiers_are_versions_or_aliases_by_shape() {
        for q in ["1", "42", "$LATEST", "$LATEST.PUBLISHED", "v$1"] {
            assert_eq!(QualifierKind::of(q), QualifierKind::Version, "{q}");
        }
        for q in ["live", "v1", "1a", "١"] {
            assert_eq!(QualifierKind::of(q), QualifierKind::Alias, "{q}");
        }
    }

    #[test]
    fn every_documented_format_parses_and_round_trips() {
        for (input, name, qualifier, account) in [
            ("my-function", "my-function", None, None),
            ("my-function:v1", "my-function", Some("v1"), None),
            ("my-function:$LATEST", "my-function", Some("$LATEST"), None),
            (
                "123456789012:function:my-function",
                "my-function",
                None,
                Some("123456789012"),
            ),
            (
                "arn:aws:lambda:us-west-2:123456789012:function:my-function",
                "my-function",
                None,
                Some("123456789012"),
            ),
            (
                "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f.n:7",
                "f.n",
                Some("7"),
                Some("123456789012"),
            ),
        ] {
            let r = FunctionRef::parse(input).unwrap_or_else(|| panic!("{input} should parse"));
            assert_eq!(r.name, name, "{input}");
            assert_eq!(r.qualifier.as_deref(), qualifier, "{input}");
            assert_eq!(r.account.as_deref(), account, "{input}");
            assert_eq!(r.to_string(), input);
        }
    }

    #[test]
    fn full_arn_parts() {
        let r =
            FunctionRef::parse("arn:aws:lambda:eu-central-1:123456789012:function:f:live").unwrap();
        assert_eq!(r.partition.as_deref(), Some("aws"));
        assert_eq!(r.region.as_deref(), Some("eu-central-1"));
        assert_eq!(r.qualifier.as_deref(), Some("live"));
    }

    #[test]
    fn invalid_names_do_not_parse() {
        for bad in [
            "",
            "my-function!",
            "*",
            "f:1:2",
            "function:f:$LATEST:extra",
            "f:$LATES",
        ] {
            assert_eq!(FunctionRef::parse(bad), None, "{bad:?}");
        }
    }
}
