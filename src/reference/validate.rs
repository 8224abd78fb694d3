//! Request validation as AWS's Coral front end reports it:
//! `<N> validation error(s) detected: <entry>; <entry>`, one entry per violated constraint, members
//! in service-model order, a member's length entry before its pattern entry.

use crate::contract::{ErrorKind, LengthUnit, Member, Rule};
use crate::reference::LambdaError;

/// A member's value as validation sees it.
#[derive(Debug, Clone, Copy)]
pub enum Seen<'a> {
    Absent,
    Str(&'a str),
    /// A boolean member: it has no constraints beyond its type.
    Bool,
}

/// Every violated constraint of one member, as message entries.
/// The member's message name is spelled only for an entry: most values satisfy everything, and
/// this runs for every member of every operation a case plays.
pub fn member_violations(member: &Member, value: Seen<'_>, unit: LengthUnit) -> Vec<String> {
    let value = match value {
        Seen::Absent if member.required => {
            return vec![format!(
                "Value null at '{}' failed to satisfy constraint: Member must not be null",
                member.message_name()
            )]
        }
        Seen::Absent | Seen::Bool => return Vec::new(),
        Seen::Str(v) => v,
    };
    let entry = |constraint: String| {
        format!(
            "Value '{value}' at '{}' failed to satisfy constraint: Member must {constraint}",
            member.message_name()
        )
    };
    let mut out = Vec::new();
    let len = unit.count(value);
    if let Some(min) = member.min() {
        if len < min {
            out.push(entry(format!("have length greater than or equal to {min}")));
        }
    }
    if let Some(max) = member.max() {
        if len > max {
            out.push(entry(format!("have length less than or equal to {max}")));
        }
    }
    if let Some(p) = &member.pattern {
        if !p.value.matches(value) {
            out.push(entry(format!(
                "satisfy regular expression pattern: {}",
                p.value.source()
            )));
        }
    }
    if let Some(e) = &member.enum_values {
        if !e.value.contains(&value) {
            out.push(entry(format!(
                "satisfy enum value set: [{}]",
                e.value.join(", ")
            )));
        }
    }
    out
}

/// The ValidationException for `entries`, or `None` when there are none.
pub fn validation_error(entries: Vec<String>) -> Option<LambdaError> {
    if entries.is_empty() {
        return None;
    }
    let n = entries.len();
    let plural = if n == 1 { "" } else { "s" };
    Some(LambdaError::new(
        ErrorKind::Validation,
        Rule::Validation,
        format!(
            "{n} validation error{plural} detected: {}",
            entries.join("; ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::contract;

    fn check(member: &str, value: Seen<'_>) -> Vec<String> {
        member_violations(contract().expect_member(member), value, LengthUnit::Utf16)
    }

    #[test]
    fn pattern_message_quotes_the_pattern_verbatim() {
        assert_eq!(
            check("StatementId", Seen::Str("example.com")),
            ["Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)"]
        );
    }

    #[test]
    fn length_comes_before_pattern() {
        let v = check("StatementId", Seen::Str(""));
        assert_eq!(v.len(), 2);
        assert!(v[0].ends_with("Member must have length greater than or equal to 1"));
        assert!(v[1].contains("regular expression pattern"));
    }

    #[test]
    fn boundaries_are_inclusive() {
        assert!(check("StatementId", Seen::Str(&"a".repeat(100))).is_empty());
        assert_eq!(check("StatementId", Seen::Str(&"a".repeat(101))).len(), 1);
        assert!(check("Qualifier", Seen::Str(&"a".repeat(128))).is_empty());
        assert!(check("Qualifier", Seen::Str(&"a".repeat(129)))[0]
            .ends_with("less than or equal to 128"));
        assert!(check("PrincipalOrgID", Seen::Str("o-abcdefghij")).is_empty());
        assert_eq!(check("PrincipalOrgID", Seen::Str("o-abcdefghi")).len(), 2);
    }

    #[test]
    fn null_required_members_and_optional_absence() {
        assert_eq!(
            check("Principal", Seen::Absent),
            ["Value null at 'principal' failed to satisfy constraint: Member must not be null"]
        );
        assert!(check("SourceArn", Seen::Absent).is_empty());
    }

    #[test]
    fn enum_violation_lists_the_values() {
        let v = check("FunctionUrlAuthType", Seen::Str("BASIC"));
        assert_eq!(v.len(), 1);
        assert!(v[0].ends_with("Member must satisfy enum value set: [AWS_IAM, NONE]"));
    }

    #[test]
    fn counts_errors_in_the_prefix() {
        let e = validation_error(vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(e.message, "2 validation errors detected: a; b");
        assert_eq!(e.status(), 400);
        let e = validation_error(vec!["a".into()]).unwrap();
        assert_eq!(e.message, "1 validation error detected: a");
        assert!(validation_error(Vec::new()).is_none());
    }
}
