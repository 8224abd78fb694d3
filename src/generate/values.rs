//! Member values: strategies for values AWS accepts, values of an exact length, and the traps.
//!
//! Limits and patterns are read from the contract. What the contract cannot say (which
//! principals exist, that a function name must be creatable) is the knowledge written here,
//! and every value built from it is checked against the contract by the callers.

use crate::contract::principal::{ACCOUNT_ID, IAM_NAME_CHAR};
use crate::contract::{contract, translate, Member};
use proptest::prelude::*;
use proptest::string::string_regex;

/// The fixture function's ARN prefix with the target's parts as placeholders.
pub const ARN_PREFIX: &str = "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:";
/// The partial-ARN prefix with the target's account as a placeholder.
pub const PARTIAL_PREFIX: &str = "${ACCOUNT}:function:";
/// An account that is nobody's target account: ARNs with it name foreign functions.
pub const FOREIGN_ACCOUNT: &str = "210987654321";
/// An alias name no generated `given` creates.
pub const MISSING_ALIAS: &str = "no-such-alias";

/// The member called `name` in the contract.
pub fn member(name: &str) -> &'static Member {
    contract().expect_member(name)
}

/// Strings matching `member`'s contract pattern within its length bounds.
///
/// proptest caps unbounded repetition at 32, so these are short; lengths beyond that are
/// built by [`with_length`].
pub fn from_pattern(name: &'static str) -> BoxedStrategy<String> {
    let m = member(name);
    let p = m.pattern.as_ref().map_or(".*", |p| p.value.source());
    let rust = translate(p).unwrap_or_else(|e| panic!("{e}"));
    let (min, max) = (m.min().unwrap_or(0), m.max().unwrap_or(usize::MAX));
    let unit = contract().length_unit;
    string_regex(&rust)
        .unwrap_or_else(|e| panic!("proptest cannot generate {p}: {e}"))
        .prop_filter("within the contract's length bounds", move |s| {
            (min..=max).contains(&unit.count(s))
        })
        .boxed()
}

/// Function names CreateFunction accepts: the FunctionName name characters without `.`.
pub fn function_names() -> BoxedStrategy<String> {
    string_regex("[a-zA-Z0-9_-]{1,24}")
        .expect("valid regex")
        .boxed()
}

/// Alias names: not all digits (CreateAlias), no `$` (a `$` makes a qualifier a version).
pub fn alias_names() -> BoxedStrategy<String> {
    string_regex("[a-zA-Z_-][a-zA-Z0-9_-]{0,15}")
        .expect("valid regex")
        .prop_filter("not the missing alias", |a| a != MISSING_ALIAS)
        .boxed()
}

/// Statement ids from the contract's pattern.
pub fn statement_ids() -> BoxedStrategy<String> {
    from_pattern("StatementId")
}

/// Real Lambda actions and the wildcards; the pattern admits any `lambda:<letters>`.
pub const ACTIONS: [&str; 8] = [
    "lambda:InvokeFunction",
    "lambda:InvokeFunctionUrl",
    "lambda:GetFunction",
    "lambda:GetFunctionConfiguration",
    "lambda:InvokeAsync",
    "lambda:UpdateAlias",
    "lambda:*",
    "*",
];

/// Service principals AWS documents or was recorded accepting.
pub const SERVICES: [&str; 12] = [
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "events.amazonaws.com",
    "apigateway.amazonaws.com",
    "logs.amazonaws.com",
    "logs.us-east-1.amazonaws.com",
    "lambda.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "cognito-idp.amazonaws.com",
    "alexa-appkit.amazon.com",
    "alexa-connectedhome.amazon.com",
];

/// The kinds of principal AWS accepts, as generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalShape {
    Service,
    Account,
    AccountRoot,
    Role,
    User,
    AssumedRole,
    Everyone,
}

impl PrincipalShape {
    pub fn tag(self) -> &'static str {
        match self {
            PrincipalShape::Service => "principal:service",
            PrincipalShape::Account => "principal:account",
            PrincipalShape::AccountRoot => "principal:account-root-arn",
            PrincipalShape::Role => "principal:iam-role",
            PrincipalShape::User => "principal:iam-user",
            PrincipalShape::AssumedRole => "principal:sts-assumed-role",
            PrincipalShape::Everyone => "principal:everyone",
        }
    }
}

fn accounts() -> BoxedStrategy<String> {
    string_regex(ACCOUNT_ID).expect("valid regex").boxed()
}

/// Valid principals of every kind; ARNs carry the target's partition as a placeholder.
pub fn principals() -> BoxedStrategy<(PrincipalShape, String)> {
    let iam_name = || string_regex(&format!("{IAM_NAME_CHAR}{{1,20}}")).expect("valid regex");
    let path = string_regex("([a-z0-9-]{1,10}/){0,2}").expect("valid regex");
    prop_oneof![
        3 => proptest::sample::select(&SERVICES[..]).prop_map(|s| (PrincipalShape::Service, s.to_string())),
        2 => accounts().prop_map(|a| (PrincipalShape::Account, a)),
        1 => accounts().prop_map(|a| (PrincipalShape::AccountRoot, format!("arn:${{PARTITION}}:iam::{a}:root"))),
        1 => (accounts(), path, iam_name()).prop_map(|(a, p, n)| (PrincipalShape::Role, format!("arn:${{PARTITION}}:iam::{a}:role/{p}{n}"))),
        1 => (accounts(), iam_name()).prop_map(|(a, n)| (PrincipalShape::User, format!("arn:${{PARTITION}}:iam::{a}:user/{n}"))),
        1 => (accounts(), iam_name(), iam_name()).prop_map(|(a, r, s)| (PrincipalShape::AssumedRole, format!("arn:${{PARTITION}}:sts::{a}:assumed-role/{r}/{s}"))),
        1 => Just((PrincipalShape::Everyone, "*".to_string())),
    ]
    .boxed()
}

/// Source ARNs: the resources that usually invoke functions, and any value of the pattern.
pub fn source_arns() -> BoxedStrategy<String> {
    let word = || string_regex("[a-z0-9][a-z0-9-]{2,20}").expect("valid regex");
    prop_oneof![
        word().prop_map(|b| format!("arn:aws:s3:::{b}")),
        (accounts(), word()).prop_map(|(a, t)| format!("arn:aws:sns:us-east-1:{a}:{t}")),
        (accounts(), word())
            .prop_map(|(a, id)| format!("arn:aws:execute-api:us-east-1:{a}:{id}/*/GET/")),
        (accounts(), word()).prop_map(|(a, r)| format!("arn:aws:events:us-east-1:{a}:rule/{r}")),
        (accounts(), word())
            .prop_map(|(a, g)| format!("arn:aws:logs:us-east-1:{a}:log-group:/aws/{g}:*")),
        from_pattern("SourceArn"),
    ]
    .boxed()
}

/// A string of exactly `len` length units built from `member`'s template, if the template
/// reaches that length. The template is a shape AWS accepts (a service principal, an S3 ARN,
/// `lambda:<letters>`, `o-<id>`): prefix, then `fill` repeated, then suffix.
///
/// `fill` may be any character; with an astral one the length is counted in the contract's
/// unit, topping up with the template's ASCII filler when one more astral would overshoot.
pub fn with_length(name: &str, len: usize, fill: char) -> String {
    let (prefix, ascii, suffix) = template(name);
    let unit = contract().length_unit;
    let fixed = unit.count(prefix) + unit.count(suffix);
    if len < fixed {
        return std::iter::repeat(ascii).take(len).collect();
    }
    let mut out = String::from(prefix);
    let mut have = fixed;
    let step = unit.count(fill.encode_utf8(&mut [0; 4]));
    while have + step <= len {
        out.push(fill);
        have += step;
    }
    while have < len {
        out.push(ascii);
        have += 1;
    }
    out.push_str(suffix);
    out
}

/// The ASCII character `member`'s length template repeats.
pub fn filler(name: &str) -> char {
    template(name).1
}

/// (prefix, ASCII filler, suffix) of each member's length template.
fn template(name: &str) -> (&'static str, char, &'static str) {
    match name {
        "Action" => ("lambda:", 'a', ""),
        "Principal" => ("", 'a', ".amazonaws.com"),
        "SourceArn" => ("arn:aws:s3:::", 'a', ""),
        "SourceAccount" => ("", '1', ""),
        "PrincipalOrgID" => ("o-", 'a', ""),
        _ => ("", 'a', ""),
    }
}

/// A trap: a value that a careless regex translation, an unanchored match or a naive length
/// count judges differently from AWS, with the note that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub member: &'static str,
    pub value: String,
    pub note: &'static str,
}

fn trap(member: &'static str, value: impl Into<String>, note: &'static str) -> Trap {
    Trap {
        member,
        value: value.into(),
        note,
    }
}

/// Values that break their member's pattern, and nothing else.
pub fn pattern_traps() -> Vec<Trap> {
    let arabic12 = "١٢٣٤٥٦٧٨٩٠١٢";
    vec![
        trap("FunctionName", "my-function!", "trap:unanchored-substring"),
        trap("FunctionName", "*", "trap:wildcard"),
        trap("FunctionName", "f:1:2", "trap:two-qualifiers"),
        trap(
            "FunctionName",
            "function:f:$LATEST:extra",
            "trap:two-qualifiers",
        ),
        trap("FunctionName", "f:$LATES", "trap:unanchored-substring"),
        trap(
            "FunctionName",
            "arn:aws:lambda:::function:f",
            "trap:empty-arn-fields",
        ),
        trap(
            "FunctionName",
            "arn:aws:lambda:us-east-١:123456789012:function:f",
            "trap:unicode-digit",
        ),
        trap(
            "FunctionName",
            format!("{arabic12}:function:f"),
            "trap:unicode-digit",
        ),
        trap(
            "FunctionName",
            "arn:aws:s3:::bucket",
            "trap:other-service-arn",
        ),
        trap("FunctionName", "f n", "trap:ascii-space"),
        trap("StatementId", "example.com", "trap:unanchored-substring"),
        trap("StatementId", "sid\u{A0}1", "trap:non-ascii-space"),
        trap("StatementId", "١", "trap:unicode-digit"),
        trap("StatementId", "é", "trap:non-ascii-letter"),
        trap("Action", "", "trap:empty-string"),
        trap("Action", "s3:GetObject", "trap:other-service"),
        trap(
            "Action",
            "lambda:InvokeFunction!",
            "trap:unanchored-substring",
        ),
        trap("Action", "xlambda:*", "trap:unanchored-substring"),
        trap("Action", "lambda:Invoke Function", "trap:ascii-space"),
        trap("Action", "lambda:", "trap:empty-suffix"),
        trap("Principal", "", "trap:empty-string"),
        trap("Principal", "s3.amazonaws.com ", "trap:ascii-space"),
        trap("Principal", "a\tb", "trap:ascii-space"),
        trap("Principal", "a\u{0B}b", "trap:vertical-tab-is-java-space"),
        trap("Principal", "a\u{0C}b", "trap:form-feed-is-java-space"),
        trap("SourceArn", "", "trap:empty-string"),
        trap(
            "SourceArn",
            "xarn:aws:s3:::bucket",
            "trap:unanchored-substring",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\nx",
            "trap:java-dot-line-terminator",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\rx",
            "trap:java-dot-line-terminator",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\u{85}x",
            "trap:java-dot-line-terminator",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\u{2028}x",
            "trap:java-dot-line-terminator",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\u{2029}x",
            "trap:java-dot-line-terminator",
        ),
        trap(
            "SourceArn",
            "arn:aws:sns:us-east-١::t",
            "trap:unicode-digit",
        ),
        trap("SourceAccount", "", "trap:empty-string"),
        trap("SourceAccount", arabic12, "trap:unicode-digit"),
        trap(
            "SourceAccount",
            "１２３４５６７８９０１２",
            "trap:fullwidth-digit",
        ),
        trap("SourceAccount", "12345678901", "trap:too-few-digits"),
        trap("SourceAccount", "12345678901a", "trap:unanchored-substring"),
        trap("EventSourceToken", "", "trap:empty-string"),
        trap("EventSourceToken", "token!", "trap:unanchored-substring"),
        trap("EventSourceToken", "tok en", "trap:ascii-space"),
        trap("EventSourceToken", "tokén", "trap:non-ascii-letter"),
        trap("Qualifier", "$LATEST!!", "trap:unanchored-substring"),
        trap("Qualifier", "1.0", "trap:dot"),
        trap("Qualifier", "live alias", "trap:ascii-space"),
        trap("Qualifier", "١", "trap:unicode-digit"),
        trap(
            "PrincipalOrgID",
            "o-abcdefghij!",
            "trap:unanchored-substring",
        ),
        trap(
            "PrincipalOrgID",
            "xo-abcdefghij",
            "trap:unanchored-substring",
        ),
        trap("PrincipalOrgID", "o-ABCDEFGHIJ", "trap:upper-case"),
        trap("PrincipalOrgID", "o-abcdefghi١", "trap:unicode-digit"),
    ]
}

/// Values inside the contract that a careless implementation rejects: they must pass
/// validation (what follows is the reference's to say).
pub fn accepted_traps() -> Vec<Trap> {
    vec![
        trap("Principal", "a\u{A0}b", "trap:nbsp-is-not-java-space"),
        trap("Principal", "a\u{2003}b", "trap:em-space-is-not-java-space"),
        trap(
            "Principal",
            "a\u{3000}b",
            "trap:ideographic-space-is-not-java-space",
        ),
        trap("FunctionName", "f.n", "trap:dot-in-name"),
        trap(
            "FunctionName",
            "f:$LATEST.PUBLISHED",
            "trap:latest-published",
        ),
        trap("Qualifier", "$latest", "trap:lower-case-latest"),
        trap("Qualifier", "$LATEST.PUBLISHED", "trap:latest-published"),
        trap(
            "Qualifier",
            "valid-with-$-but-doesnotexist",
            "trap:dollar-in-qualifier",
        ),
        trap(
            "SourceArn",
            "arn:aws:s3:::b\u{A0}\u{1F600}",
            "trap:java-dot-matches-astral",
        ),
    ]
}

/// Principals within the contract that are no principal AWS accepts.
pub const INVALID_PRINCIPALS: [&str; 7] = [
    "invalid.nonaws.com",
    "alexa-appkit.smapi.amazon.com",
    "12345678901",
    "arn:aws:iam::123456789012:group/g",
    "arn:aws:s3:::bucket/key:x",
    "AWS",
    "a\u{A0}b",
];

/// A principal that starts like an ARN but lacks its fields (recorded 2022).
pub const MALFORMED_PRINCIPAL_ARN: &str = "arn:aws:iam:000000000000:role/xxxx";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::label::Constraint;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn violations(name: &'static str, value: &str) -> Vec<Constraint> {
        let m = member(name);
        let unit = contract().length_unit;
        let mut out = Vec::new();
        let len = unit.count(value);
        if m.min().is_some_and(|min| len < min) {
            out.push(Constraint::LengthMin);
        }
        if m.max().is_some_and(|max| len > max) {
            out.push(Constraint::LengthMax);
        }
        if m.pattern.as_ref().is_some_and(|p| !p.value.matches(value)) {
            out.push(Constraint::Pattern);
        }
        out
    }

    #[test]
    fn pattern_traps_break_only_the_pattern() {
        for t in pattern_traps() {
            assert_eq!(
                violations(t.member, &t.value),
                [Constraint::Pattern],
                "{t:?}"
            );
        }
    }

    #[test]
    fn accepted_traps_are_inside_the_contract() {
        for t in accepted_traps() {
            assert!(violations(t.member, &t.value).is_empty(), "{t:?}");
        }
    }

    #[test]
    fn lengths_are_counted_in_the_contract_unit() {
        let unit = contract().length_unit;
        for (name, len) in [
            ("Principal", 2048),
            ("SourceArn", 10001),
            ("StatementId", 100),
        ] {
            for fill in ['a', '\u{1F600}'] {
                let v = with_length(name, len, fill);
                assert_eq!(unit.count(&v), len, "{name} {fill}");
            }
        }
        assert!(member("Principal")
            .pattern
            .as_ref()
            .unwrap()
            .value
            .matches(&with_length("Principal", 2048, 'a')));
    }

    #[test]
    fn pattern_strategies_stay_in_the_contract() {
        let mut runner = TestRunner::deterministic();
        for name in [
            "StatementId",
            "EventSourceToken",
            "PrincipalOrgID",
            "SourceAccount",
            "SourceArn",
        ] {
            for _ in 0..50 {
                let v = from_pattern(name).new_tree(&mut runner).unwrap().current();
                assert!(violations(name, &v).is_empty(), "{name} {v:?}");
            }
        }
    }
}
