//! Comparing what a target answered with what a case expects.

use crate::case::Expect;
use crate::outcome::{Compare, Difference, StoredCheck, POLICY, POLICY_GRANT, POLICY_REVISION};
use crate::player::sid;
use crate::target::Observed;
use serde_json::Value;

fn show(v: Option<&str>) -> String {
    v.map_or_else(|| "-".to_string(), str::to_string)
}

/// Whether `message` matches the `message_like` regex `re`.
///
/// Generated cases expect exact messages, written as `^<regex::escape(message)>$`; those are
/// compared as strings, since compiling a regex per case costs more than running the case. Any
/// other regex is compiled once per thread and kept (the case file was checked when read, so it
/// compiles; a broken one fails the comparison): a suite repeats a few patterns over many cases.
fn message_matches(re: &str, message: &str) -> bool {
    if let Some(literal) = re
        .strip_prefix('^')
        .and_then(|r| r.strip_suffix('$'))
        .and_then(unescape_literal)
    {
        if regex::escape(&literal) == re[1..re.len() - 1] {
            return literal == message;
        }
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if compiled.len() >= COMPILED_LIMIT && !compiled.contains_key(re) {
            compiled.clear();
        }
        compiled
            .entry(re.to_string())
            .or_insert_with(|| regex::Regex::new(re).ok())
            .as_ref()
            .is_some_and(|r| r.is_match(message))
    })
}

/// How many compiled `message_like` regexes a thread keeps before it starts afresh: a bound on
/// memory for a case file whose every case has a pattern of its own.
const COMPILED_LIMIT: usize = 1024;

thread_local! {
    /// The `message_like` regexes compiled so far (`None`: the pattern does not compile).
    static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The text an escaped literal stands for, or `None` when `s` has unescaped metacharacters.
fn unescape_literal(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().filter(|e| !e.is_alphanumeric())?),
            c if "^$.|?*+()[]{}".contains(c) => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Every difference between `expect` and `actual` at strictness `mode`.
pub fn compare(expect: &Expect, actual: &Observed, mode: Compare) -> Vec<Difference> {
    let mut out = Vec::new();
    if expect.status != actual.status {
        out.push(Difference {
            field: "status",
            expected: expect.status.to_string(),
            actual: actual.status.to_string(),
        });
    }
    if mode >= Compare::Type {
        if let Some(expected) = &expect.error_type {
            if expected.as_deref() != actual.error_type.as_deref() {
                out.push(Difference {
                    field: "error_type",
                    expected: show(expected.as_deref()),
                    actual: show(actual.error_type.as_deref()),
                });
            }
        }
    }
    if mode >= Compare::Message {
        if let Some(re) = &expect.message_like {
            let ok = actual
                .message
                .as_deref()
                .is_some_and(|m| message_matches(re, m));
            if !ok {
                out.push(Difference {
                    field: "message",
                    expected: format!("/{re}/"),
                    actual: show(actual.message.as_deref()),
                });
            }
        }
        if let Some(expected) = expect.statement.as_ref().filter(|s| !s.is_null()) {
            if actual.statement.as_ref() != Some(expected) {
                out.push(Difference {
                    field: "statement",
                    expected: expected.to_string(),
                    actual: actual.statement_raw.clone().unwrap_or_else(|| {
                        actual
                            .body_problem
                            .clone()
                            .unwrap_or_else(|| "-".to_string())
                    }),
                });
            }
        }
    }
    if mode == Compare::Exact {
        if let Some(expected) = expect.statement.as_ref().filter(|s| !s.is_null()) {
            let compact = expected.to_string();
            if actual.statement.as_ref() == Some(expected)
                && actual.statement_raw.as_deref() != Some(compact.as_str())
            {
                out.push(Difference {
                    field: "statement-bytes",
                    expected: compact,
                    actual: show(actual.statement_raw.as_deref()),
                });
            }
        }
        let json = actual
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("application/json"));
        if !actual.body_excerpt.is_empty() && !json {
            out.push(Difference {
                field: "content-type",
                expected: "application/json".into(),
                actual: show(actual.content_type.as_deref()),
            });
        }
    }
    out
}

/// Every difference between what AWS stores and what the target stored: statements the target
/// has that AWS would not (`policy-grant`: access AWS refused, granted), any other difference of
/// the statements (missing, changed, reordered) or of `Version`/`Id` (`policy`), and a
/// RevisionId that changed when AWS's did not or the other way round (`policy-revision`).
pub fn compare_stored(check: &StoredCheck) -> Vec<Difference> {
    let show = |p: &Option<Value>| {
        p.as_ref()
            .map_or_else(|| "(no policy)".into(), Value::to_string)
    };
    let mut out = Vec::new();
    let actual = match &check.actual {
        Err(why) => {
            out.push(Difference {
                field: POLICY,
                expected: show(&check.expected),
                actual: why.clone(),
            });
            return out;
        }
        Ok(actual) => actual,
    };
    let statements = |p: &Option<Value>| -> Vec<Value> {
        p.as_ref()
            .and_then(|d| d.get("Statement"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (expected_s, actual_s) = (statements(&check.expected), statements(actual));
    // Each stored statement matched to one AWS stores; what is left over on the target's side
    // under a Sid AWS does not have (or more often than AWS has it) was granted by the target.
    let mut unmatched = expected_s.clone();
    let mut extra = Vec::new();
    for s in &actual_s {
        match unmatched.iter().position(|e| e == s) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => extra.push(s.clone()),
        }
    }
    let sids = |v: &[Value]| -> Vec<String> { v.iter().map(|s| sid(s).to_string()).collect() };
    // An extra statement under the Sid of an unmatched AWS statement is that statement changed.
    let (mut expected_sids, mut granted) = (sids(&unmatched), Vec::new());
    for s in extra {
        match expected_sids.iter().position(|e| e == sid(&s)) {
            Some(i) => {
                expected_sids.remove(i);
            }
            None => granted.push(s),
        }
    }
    if !granted.is_empty() {
        out.push(Difference {
            field: POLICY_GRANT,
            expected: show(&check.expected),
            actual: Value::Array(by_text(granted.clone())).to_string(),
        });
    }
    let header = |p: &Option<Value>| {
        p.as_ref()
            .map(|d| (d.get("Version").cloned(), d.get("Id").cloned()))
    };
    // Without what it granted, the target must hold AWS's statements, in AWS's order, under
    // AWS's Version and Id.
    let headers_differ =
        actual.is_some() && check.expected.is_some() && header(actual) != header(&check.expected);
    if without(&actual_s, &granted) != expected_s || headers_differ {
        out.push(Difference {
            field: POLICY,
            expected: show(&check.expected),
            actual: show(&shown(actual, &expected_s)),
        });
    }
    if let Some((aws, target)) = check.revision_changed {
        if aws != target {
            let said = |changed: bool| if changed { "changed" } else { "unchanged" }.to_string();
            out.push(Difference {
                field: POLICY_REVISION,
                expected: said(aws),
                actual: said(target),
            });
        }
    }
    out
}

/// `statements` sorted by their JSON text.
fn by_text(mut statements: Vec<Value>) -> Vec<Value> {
    statements.sort_by_cached_key(Value::to_string);
    statements
}

/// The stored policy `actual` as a difference shows it. When it holds other statements than
/// AWS's `expected` ones: those it shares with AWS in AWS's order, then the others by their
/// text. Where a faulty target puts statements of other policies, and in what order, depends
/// on what ran on it before; a difference must not (with reused fixtures the history differs
/// from a fresh world's). When it holds AWS's statements in another order, as stored: that
/// order is the difference.
fn shown(actual: &Option<Value>, expected: &[Value]) -> Option<Value> {
    let document = actual.as_ref()?;
    let Some(stored) = document.get("Statement").and_then(Value::as_array) else {
        return actual.clone();
    };
    let mut left: Vec<Value> = stored.clone();
    let mut ordered = Vec::new();
    for e in expected {
        if let Some(i) = left.iter().position(|s| s == e) {
            ordered.push(left.remove(i));
        }
    }
    if left.is_empty() && ordered.len() == expected.len() {
        return actual.clone();
    }
    ordered.extend(by_text(left));
    let mut document = document.clone();
    document["Statement"] = Value::Array(ordered);
    Some(document)
}

/// `statements` without the first occurrence of each of `granted`.
fn without(statements: &[Value], granted: &[Value]) -> Vec<Value> {
    let mut left: Vec<&Value> = granted.iter().collect();
    statements
        .iter()
        .filter(|s| match left.iter().position(|g| g == s) {
            Some(i) => {
                left.remove(i);
                false
            }
            None => true,
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaped_literals_compare_like_their_regex() {
        for (re, m) in [
            (
                r"^Function not found: arn:aws:lambda:us\-east\-1:1:function:f$",
                "Function not found: arn:aws:lambda:us-east-1:1:function:f",
            ),
            (r"^a\.b \(c\) \$LATEST$", "a.b (c) $LATEST"),
            (r"^a\.b$", "axb"),
            (
                r"^1 validation error detected: .*statementId.*",
                "1 validation error detected: x statementId y",
            ),
            (r"^\d+$", "123"),
            (r"^ab$", "abc"),
            ("^$", ""),
        ] {
            let expected = regex::Regex::new(re).unwrap().is_match(m);
            assert_eq!(message_matches(re, m), expected, "{re} vs {m}");
        }
    }

    #[test]
    fn strictness_levels() {
        let e = Expect {
            error_type: Some(Some("ValidationException".into())),
            message_like: Some("^1 validation".into()),
            ..Expect::status(400)
        };
        let a = Observed {
            status: 400,
            error_type: Some("InvalidParameterValueException".into()),
            message: Some("nope".into()),
            ..Observed::default()
        };
        assert!(compare(&e, &a, Compare::Status).is_empty());
        assert_eq!(compare(&e, &a, Compare::Type).len(), 1);
        assert_eq!(compare(&e, &a, Compare::Message).len(), 2);
    }

    #[test]
    fn null_error_type_demands_none() {
        let e = Expect {
            error_type: Some(None),
            ..Expect::status(201)
        };
        let a = Observed {
            status: 201,
            ..Observed::default()
        };
        assert!(compare(&e, &a, Compare::Type).is_empty());
        let a = Observed {
            error_type: Some("X".into()),
            ..a
        };
        assert_eq!(compare(&e, &a, Compare::Type)[0].field, "error_type");
    }

    #[test]
    fn statements_compare_as_values_then_as_bytes() {
        let e = Expect {
            statement: Some(json!({"Sid": "a", "Effect": "Allow"})),
            ..Expect::status(201)
        };
        let raw = r#"{"Effect":"Allow","Sid":"a"}"#;
        let a = Observed {
            status: 201,
            statement_raw: Some(raw.into()),
            statement: Some(serde_json::from_str(raw).unwrap()),
            content_type: Some("application/json".into()),
            body_excerpt: "x".into(),
            ..Observed::default()
        };
        assert!(
            compare(&e, &a, Compare::Message).is_empty(),
            "key order ignored"
        );
        let d = compare(&e, &a, Compare::Exact);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "statement-bytes");
    }

    fn policy(statements: &[Value]) -> Option<Value> {
        Some(json!({"Version": "2012-10-17", "Id": "default", "Statement": statements}))
    }

    fn check(expected: &[Value], actual: &[Value]) -> Vec<Difference> {
        compare_stored(&StoredCheck {
            expected: policy(expected),
            inferred: false,
            actual: Ok(policy(actual)),
            revision_changed: None,
        })
    }

    #[test]
    fn stored_statements_are_granted_changed_or_reordered() {
        let (a, b, c) = (
            json!({"Sid": "a"}),
            json!({"Sid": "b"}),
            json!({"Sid": "c"}),
        );
        assert!(check(&[a.clone(), b.clone()], &[a.clone(), b.clone()]).is_empty());
        let granted = check(std::slice::from_ref(&a), &[a.clone(), c.clone()]);
        assert_eq!(granted[0].field, POLICY_GRANT);
        assert_eq!(granted[0].actual, json!([c]).to_string());
        // The same Sid holding something else is a changed statement, not access granted.
        let changed = check(
            std::slice::from_ref(&a),
            &[json!({"Sid": "a", "Effect": "Deny"})],
        );
        assert_eq!(
            changed.iter().map(|d| d.field).collect::<Vec<_>>(),
            [POLICY]
        );
        let reordered = check(&[a.clone(), b.clone()], &[b.clone(), a.clone()]);
        assert_eq!(reordered[0].field, POLICY);
        assert_eq!(reordered[0].actual, policy(&[b, a]).unwrap().to_string());
    }

    #[test]
    fn what_a_difference_shows_does_not_depend_on_the_order_of_foreign_statements() {
        let (a, b) = (json!({"Sid": "a"}), json!({"Sid": "b"}));
        let (x, y) = (json!({"Sid": "x"}), json!({"Sid": "y"}));
        let aws = [a.clone(), b];
        let one = check(&aws, &[x.clone(), a.clone(), y.clone()]);
        let other = check(&aws, &[y.clone(), x.clone(), a.clone()]);
        assert_eq!(one.len(), 2, "{one:?}");
        assert_eq!(one, other);
        assert_eq!(one[1].actual, policy(&[a, x, y]).unwrap().to_string());
    }
}
