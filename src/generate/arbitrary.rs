//! Structure-aware fuzzing: `Arbitrary` for [`AddPermissionRequest`], so any byte string maps to
//! a structured request that is valid or broken in one of the ways the contract knows.
//!
//! Bytes choose between shapes the contract describes (a dictionary of valid values per member,
//! the traps, values at the length limits, wrong JSON types, unknown members, non-object and
//! malformed bodies) and raw arbitrary strings, so a fuzzer reaches the deep checks (principal,
//! qualifier, state) instead of dying in JSON parsing. [`fuzz_reference`] is the state the
//! dictionary's names refer to.

use super::values::{self, ACTIONS, SERVICES};
use crate::case::fixture::{self, FUNCTION};
use crate::contract::{contract, Location, MemberType, INVOKE_ACTION};
use crate::reference::{AddPermissionRequest, Body, Config, Reference};
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Map, Value};

/// A reference in the state the `Arbitrary` dictionary expects: the standard fixture
/// ([`fixture::FUNCTION`]) with one permission.
pub fn fuzz_reference() -> Reference {
    let mut r = Reference::new(Config::default());
    let ready = r.create_function(FUNCTION).is_ok()
        && r.publish_version(FUNCTION).is_ok()
        && r.create_alias(FUNCTION, fixture::ALIAS, fixture::VERSION).is_ok()
        && r.add_permission(&AddPermissionRequest {
            function_name: FUNCTION.into(),
            qualifier: None,
            body: Body::Json(json!({"StatementId": "existing", "Action": INVOKE_ACTION, "Principal": "s3.amazonaws.com"})),
        })
        .is_ok();
    debug_assert!(ready, "the fuzzing state is valid");
    r
}

/// Valid example values of a member, for the dictionary.
fn examples(member: &str) -> Vec<String> {
    let own = |s: &[&str]| s.iter().map(|v| v.to_string()).collect();
    match member {
        "FunctionName" => vec![
            FUNCTION.into(),
            format!("{FUNCTION}:1"),
            format!("{FUNCTION}:live"),
            format!("123456789012:function:{FUNCTION}"),
            format!("arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION}"),
            format!("arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION}:live"),
            "other-fn".into(),
        ],
        "Qualifier" => own(&["1", "live", "2", "$LATEST", "missing"]),
        "StatementId" => own(&["existing", "new", "fuzz-1"]),
        "Action" => own(&ACTIONS),
        "Principal" => {
            let mut v = own(&SERVICES);
            v.extend(own(&[
                "*",
                "223456789012",
                "arn:aws:iam::223456789012:role/r",
                "arn:aws:iam::223456789012:root",
            ]));
            v
        }
        "SourceArn" => own(&[
            "arn:aws:s3:::bucket",
            "arn:aws:sns:us-east-1:123456789012:topic",
        ]),
        "SourceAccount" => own(&["123456789012"]),
        "EventSourceToken" => own(&["token"]),
        "RevisionId" => own(&["wrong-revision", ""]),
        "PrincipalOrgID" => own(&["o-abcdefghij"]),
        "FunctionUrlAuthType" => own(values::member(member)
            .enum_values
            .as_ref()
            .map_or(&[][..], |e| e.value)),
        _ => Vec::new(),
    }
}

/// A string for `member`: a dictionary value, a trap, a value at a length limit, a dictionary
/// value with one arbitrary character spliced in, or any string at all.
fn string_for(u: &mut Unstructured<'_>, member: &str) -> Result<String> {
    let m = values::member(member);
    Ok(match u.int_in_range(0..=9u8)? {
        0..=3 => {
            let e = examples(member);
            if e.is_empty() {
                String::arbitrary(u)?
            } else {
                u.choose(&e)?.clone()
            }
        }
        4 => {
            let traps: Vec<_> = values::pattern_traps()
                .into_iter()
                .chain(values::accepted_traps())
                .filter(|t| t.member == member)
                .collect();
            if traps.is_empty() {
                String::arbitrary(u)?
            } else {
                u.choose(&traps)?.value.clone()
            }
        }
        5 => {
            let limits: Vec<usize> = [m.min(), m.max()].into_iter().flatten().collect();
            if limits.is_empty() {
                String::arbitrary(u)?
            } else {
                let limit = *u.choose(&limits)?;
                let len = (limit + u.int_in_range(0..=2usize)?).saturating_sub(1);
                let fill = if bool::arbitrary(u)? {
                    values::filler(member)
                } else {
                    '\u{1F600}'
                };
                values::with_length(member, len, fill)
            }
        }
        6..=7 => {
            let e = examples(member);
            let mut chars: Vec<char> = if e.is_empty() {
                Vec::new()
            } else {
                u.choose(&e)?.chars().collect()
            };
            let at = u.int_in_range(0..=chars.len())?;
            chars.insert(at, char::arbitrary(u)?);
            chars.into_iter().collect()
        }
        _ => String::arbitrary(u)?,
    })
}

/// A JSON value of the wrong type for a member of type `ty`.
fn wrong_type(u: &mut Unstructured<'_>, ty: MemberType) -> Result<Value> {
    Ok(match (u.int_in_range(0..=3u8)?, ty) {
        (0, MemberType::String) => json!(bool::arbitrary(u)?),
        (0, MemberType::Boolean) => json!(String::arbitrary(u)?),
        (1, _) => json!(i64::arbitrary(u)?),
        (2, _) => json!([]),
        _ => json!({}),
    })
}

fn body(u: &mut Unstructured<'_>) -> Result<Body> {
    match u.int_in_range(0..=31u8)? {
        0 => return Ok(Body::Raw(Vec::<u8>::arbitrary(u)?)),
        1 => {
            return Ok(Body::Json(match u.int_in_range(0..=3u8)? {
                0 => Value::Null,
                1 => json!([]),
                2 => json!(String::arbitrary(u)?),
                _ => json!(i64::arbitrary(u)?),
            }))
        }
        _ => {}
    }
    let mut map = Map::new();
    for m in contract()
        .members
        .iter()
        .filter(|m| m.location == Location::Body)
    {
        // Required members are usually there, optional ones usually not.
        let present = if m.required { 12 } else { 4 };
        let choice = u.int_in_range(0..=15u8)?;
        let value = match choice {
            c if c < present => match m.ty {
                MemberType::String => json!(string_for(u, m.name)?),
                MemberType::Boolean => json!(bool::arbitrary(u)?),
            },
            13 => Value::Null,
            14 => wrong_type(u, m.ty)?,
            _ => continue,
        };
        map.insert(m.name.to_string(), value);
    }
    if u.ratio(1, 8)? {
        map.insert(String::arbitrary(u)?, json!(String::arbitrary(u)?));
    }
    Ok(Body::Json(Value::Object(map)))
}

impl<'a> Arbitrary<'a> for AddPermissionRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let function_name = string_for(u, "FunctionName")?;
        let qualifier = if u.ratio(1, 3)? {
            Some(string_for(u, "Qualifier")?)
        } else {
            None
        };
        let body = body(u)?;
        Ok(AddPermissionRequest {
            function_name,
            qualifier,
            body,
        })
    }
}

/// Bytes from a fixed xorshift stream, so a test that feeds `Arbitrary` is the same on every run.
#[cfg(test)]
pub(crate) fn test_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Rule;
    use std::collections::BTreeSet;

    #[test]
    fn any_bytes_give_a_request_and_the_reference_reaches_every_stage() {
        let base = fuzz_reference();
        let mut rules = BTreeSet::new();
        for seed in 0..3000u64 {
            let data = test_bytes(seed, (seed % 512) as usize);
            let mut u = Unstructured::new(&data);
            let request =
                AddPermissionRequest::arbitrary(&mut u).expect("any bytes map to a request");
            let mut r = base.clone();
            let rule = match r.add_permission(&request) {
                Ok(_) => Rule::Created,
                Err(e) => e.rule,
            };
            rules.insert(rule);
        }
        for wanted in [
            Rule::Created,
            Rule::Validation,
            Rule::WrongJsonType,
            Rule::MalformedBody,
            Rule::InvalidPrincipal,
            Rule::FunctionNotFound,
            Rule::DuplicateStatementId,
        ] {
            assert!(
                rules.contains(&wanted),
                "{wanted:?} never reached: {rules:?}"
            );
        }
    }

    #[test]
    fn empty_input_is_a_request_too() {
        let mut u = Unstructured::new(&[]);
        assert!(AddPermissionRequest::arbitrary(&mut u).is_ok());
    }
}
