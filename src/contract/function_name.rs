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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_format_parses_and_round_trips() {
        for (input, name, qualifier, account) in [
            ("my-function", "my-function", None, None),
            ("my-function:v1", "my-function", Some("v1"), None),
            ("my-function:$LATEST", "my-function", Some("$LATEST"), None),
            ("123456789012:function:my-function", "my-function", None, Some("123456789012")),
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
        let r = FunctionRef::parse("arn:aws:lambda:eu-central-1:123456789012:function:f:live")
            .unwrap();
        assert_eq!(r.partition.as_deref(), Some("aws"));
        assert_eq!(r.region.as_deref(), Some("eu-central-1"));
        assert_eq!(r.qualifier.as_deref(), Some("live"));
    }

    #[test]
    fn invalid_names_do_not_parse() {
        for bad in ["", "my-function!", "*", "f:1:2", "function:f:$LATEST:extra", "f:$LATES"] {
            assert_eq!(FunctionRef::parse(bad), None, "{bad:?}");
        }
    }
}
