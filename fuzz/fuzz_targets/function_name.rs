//! `function_name`: `FunctionRef::parse` / `Display` on names, partial ARNs and full ARNs.
//!
//! The reference resolves every FunctionName through `FunctionRef`, and cases and reports print
//! it back. This target checks, for any string:
//! - it parses exactly when the contract's FunctionName pattern matches it (as `AwsPattern` and
//!   as the independent Java matcher), so "parses" and "valid" never disagree;
//! - a parsed value formats back to the very same string, and re-parsing that gives the same
//!   parts;
//! - each part has its own shape (12 ASCII digits for the account, `aws...` partition, name and
//!   qualifier alphabets), so the capture groups are the ones the parts claim to be.
//!
//! Input: raw UTF-8 (the whole input is the candidate, so seeds are plain names), or, when the
//! first byte is 0xFF (never valid UTF-8), a candidate assembled from ARN pieces chosen by the
//! remaining bytes, which reaches deep ARN shapes faster.
#![no_main]

use addperm::contract::{FunctionRef, FUNCTION_NAME_PATTERN};
use addperm_fuzz::{gen, java_regex, PATTERNS};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let candidate = match data.split_first() {
        Some((0xFF, rest)) => assemble(&mut Unstructured::new(rest)),
        _ => match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => return,
        },
    };
    check(&candidate);
});

fn check(s: &str) {
    let pattern = PATTERNS
        .iter()
        .find(|p| p.source == FUNCTION_NAME_PATTERN)
        .expect("the contract's FunctionName pattern");
    let parsed = FunctionRef::parse(s);
    assert_eq!(
        parsed.is_some(),
        pattern.aws.matches(s),
        "parse and the contract's pattern disagree on {s:?}"
    );
    if let Some(java) = java_regex::matches(&pattern.java, s) {
        assert_eq!(
            parsed.is_some(),
            java,
            "parse and Java semantics disagree on {s:?}"
        );
    }
    let Some(r) = parsed else { return };
    let formatted = r.to_string();
    assert_eq!(formatted, s, "format(parse(s)) != s for {r:?}");
    assert_eq!(
        FunctionRef::parse(&formatted).as_ref(),
        Some(&r),
        "re-parse of {s:?}"
    );

    let ascii_digits = |t: &str| t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit());
    if let Some(a) = &r.account {
        assert!(ascii_digits(a), "account {a:?} in {s:?}");
    }
    if let Some(p) = &r.partition {
        assert!(
            p.is_empty()
                || (p.starts_with("aws")
                    && p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')),
            "partition {p:?} in {s:?}"
        );
    }
    if let Some(reg) = &r.region {
        assert!(
            reg.ends_with(|c: char| c.is_ascii_digit())
                && reg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "region {reg:?} in {s:?}"
        );
    }
    assert!(
        !r.name.is_empty()
            && r.name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
        "name {:?} in {s:?}",
        r.name
    );
    if let Some(q) = &r.qualifier {
        assert!(
            q == "$LATEST"
                || q == "$LATEST.PUBLISHED"
                || (!q.is_empty()
                    && q.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))),
            "qualifier {q:?} in {s:?}"
        );
    }
}

/// A FunctionName-like string from ARN pieces, valid ones and near misses.
fn assemble(u: &mut Unstructured) -> String {
    let mut s = String::new();
    let part = |u: &mut Unstructured, s: &mut String, choices: &[&str]| {
        if u.arbitrary().unwrap_or(false) {
            s.push_str(u.choose(choices).copied().unwrap_or(""));
        }
    };
    part(
        u,
        &mut s,
        &[
            "arn:aws:lambda:",
            "arn::lambda:",
            "arn:aws-cn:lambda:",
            "arn:aws-us-gov:lambda:",
            "arn:awsX-y:lambda:",
            "arn:Aws:lambda:",
            "arn:aws:lambda",
            "arn:aws:s3:",
        ],
    );
    part(
        u,
        &mut s,
        &[
            "us-east-1:",
            "eu-central-1:",
            "us-gov-west-1:",
            "eusc-de-east-1:",
            "us-iso-east-1:",
            "us-isob-east-1:",
            "cn-north-1:",
            "us-east-12:",
            "US-east-1:",
            "u-east-1:",
            "us-east-\u{661}:",
            "us-east-1",
        ],
    );
    part(
        u,
        &mut s,
        &[
            "123456789012:",
            "000000000000:",
            "12345678901:",
            "1234567890123:",
            "\u{661}23456789012:",
            "123456789012",
        ],
    );
    part(
        u,
        &mut s,
        &["function:", "function", "Function:", "function::"],
    );
    let mut name = gen::soup(u, 6);
    if u.arbitrary().unwrap_or(true) {
        name.retain(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    }
    if name.is_empty() && u.arbitrary().unwrap_or(true) {
        name.push_str("my-function");
    }
    s.push_str(&name);
    if u.arbitrary().unwrap_or(false) {
        let q = u
            .choose(&[
                ":$LATEST",
                ":$LATEST.PUBLISHED",
                ":v1",
                ":1",
                ":",
                ":$LATES",
                ":$LATEST.",
                ":a.b",
                "::1",
                ":live:2",
            ])
            .copied()
            .unwrap_or("");
        s.push_str(q);
    }
    if u.ratio(1, 4).unwrap_or(false) {
        gen::mutate(&s, u)
    } else {
        s
    }
}
