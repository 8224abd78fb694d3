//! Fuzz inputs: valid requests from the generators, bent by one structured mutation each.
//!
//! Every mutant is a [`Request`] of the public case format (a `function_name` string, a
//! qualifier, and a JSON `body` or a `raw_body` string), never bytes that only the fuzzer could
//! send: whatever a finding is, `addperm check --cases` replays it. That is why a lone surrogate
//! is a `\ud800` escape in a `raw_body` (a Rust string cannot hold one) and "UTF-16" is text
//! with NULs between the characters (a `raw_body` is UTF-8).
//!
//! The base requests are the valid generator's shapes pinned to one fixture function, so an
//! unmutated request succeeds on the target and most mutants change one thing about a request
//! that would otherwise succeed. All randomness comes from one ChaCha [`TestRng`] seeded by
//! `--seed`: a seed names a run's whole sequence of requests.

use super::json_text::{char_boundary, json_type, members_text, object_text, replaced};
use super::odd::{encoding, function_name, many_members, odd_value, ODD_QUALIFIERS};
use super::pick::{pick, pick_member};
use crate::case::fixture::{ALIAS, FUNCTION as FIXTURE, VERSION};
use crate::case::Request;
use crate::contract::{contract, Location, INVOKE_ACTION};
use crate::generate::valid::{self, Form, Placement, Shape, Target};
use crate::generate::values::PrincipalShape;
use proptest::prelude::RngExt;
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A kind of mutation; part of a finding's signature, so each names one way of breaking a
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// The valid request, unchanged: keeps the success path (and the statement checks) busy.
    Valid,
    /// The body's JSON cut short.
    JsonTruncated,
    /// Bytes after the body's JSON object.
    JsonTrailingGarbage,
    /// A JSON body that is not an object (array, string, number, `true`, `null`).
    JsonNotObject,
    /// A member written twice with different values.
    JsonDuplicateKeys,
    /// Arrays nested thousands deep, as the body or a member.
    JsonDeepNesting,
    /// `NaN`, `Infinity`, out-of-range and malformed numbers.
    JsonOddNumber,
    /// A member of the wrong JSON type.
    WrongType,
    /// Very long strings, control characters, NUL, lone surrogates, invisible and RTL
    /// characters, emoji.
    OddValue,
    /// Odd FunctionName path segments: `%`, `/`, `..`, `?`, `#`, partial, full and malformed
    /// ARNs, long and non-ASCII names.
    FunctionName,
    /// Odd, empty and conflicting qualifiers.
    Qualifier,
    /// A BOM, UTF-16-looking text, escaped keys, mojibake and broken escapes.
    Encoding,
    /// Unknown extra members (up to thousands), or every member set at once.
    ManyMembers,
    /// No body, or only white space.
    EmptyBody,
}

impl Family {
    pub const ALL: [Family; 14] = [
        Family::Valid,
        Family::JsonTruncated,
        Family::JsonTrailingGarbage,
        Family::JsonNotObject,
        Family::JsonDuplicateKeys,
        Family::JsonDeepNesting,
        Family::JsonOddNumber,
        Family::WrongType,
        Family::OddValue,
        Family::FunctionName,
        Family::Qualifier,
        Family::Encoding,
        Family::ManyMembers,
        Family::EmptyBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Valid => "valid",
            Family::JsonTruncated => "json-truncated",
            Family::JsonTrailingGarbage => "json-trailing-garbage",
            Family::JsonNotObject => "json-not-object",
            Family::JsonDuplicateKeys => "json-duplicate-keys",
            Family::JsonDeepNesting => "json-deep-nesting",
            Family::JsonOddNumber => "json-odd-number",
            Family::WrongType => "wrong-type",
            Family::OddValue => "odd-value",
            Family::FunctionName => "function-name",
            Family::Qualifier => "qualifier",
            Family::Encoding => "encoding",
            Family::ManyMembers => "many-members",
            Family::EmptyBody => "empty-body",
        }
    }
}

/// One fuzz input: the request, the family that made it, and what exactly was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutant {
    pub family: Family,
    /// A few words for people (`Principal <- []`).
    pub note: String,
    pub request: Request,
}

impl Mutant {
    /// How big the request is: of two findings with one signature the smaller is kept.
    pub fn size(&self) -> usize {
        let body = match (&self.request.body, &self.request.raw_body) {
            (Some(v), _) => v.to_string().len(),
            (None, raw) => raw.as_deref().map_or(0, str::len),
        };
        body + self.request.function_name.len()
            + self.request.qualifier.as_deref().map_or(0, str::len)
    }
}

/// The body members a request can carry, in model order (from the contract).
fn body_members() -> Vec<&'static str> {
    contract()
        .members
        .iter()
        .filter(|m| m.location == Location::Body)
        .map(|m| m.name)
        .collect()
}

/// Draws mutants, deterministically for a seed.
pub struct Mutator {
    runner: TestRunner,
    shapes: BoxedStrategy<Shape>,
}

impl Mutator {
    pub fn new(seed: u64) -> Mutator {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..12].copy_from_slice(b"fuzz");
        Mutator {
            runner: TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            ),
            shapes: valid::shapes().boxed(),
        }
    }

    /// The next mutant: a valid base request and one mutation of a family drawn at random
    /// (the unchanged request counts twice, so successes keep coming).
    ///
    /// Only the unchanged family uses every FunctionName form, qualifier placement and principal
    /// kind of the valid generator. The others mutate a plain base (the fixture's name, the
    /// qualifier in the query, a service principal), so a target that fails on one of those
    /// forms is found under `valid` (and `function-name`, `qualifier`) instead of under every
    /// family at once: a signature's family then names what broke the target.
    pub fn next_mutant(&mut self) -> Mutant {
        let pick = self.rng().random_range(0..Family::ALL.len() + 1);
        let family = Family::ALL.get(pick).copied().unwrap_or(Family::Valid);
        let base = match self.shape() {
            Some(shape) if family == Family::Valid => shape.request(),
            Some(shape) => plain(shape).request(),
            None => fallback(),
        };
        mutate(family, base, self.rng())
    }

    /// A valid request on the fixture, from the valid generator.
    pub fn base(&mut self) -> Request {
        self.shape().map_or_else(fallback, |s| s.request())
    }

    /// A valid shape on the fixture; `None` should the valid strategy ever give up (it
    /// filters little).
    fn shape(&mut self) -> Option<Shape> {
        self.shapes
            .new_tree(&mut self.runner)
            .ok()
            .map(|tree| on_fixture(tree.current()))
    }

    pub fn rng(&mut self) -> &mut TestRng {
        self.runner.rng()
    }
}

/// A plain request when the valid strategy gives up.
fn fallback() -> Request {
    Request {
        function_name: FIXTURE.into(),
        qualifier: None,
        body: Some(json!({"StatementId": "fuzz", "Action": INVOKE_ACTION,
            "Principal": "s3.amazonaws.com"})),
        raw_body: None,
    }
}

/// `shape` in its plainest form: the function's name, the qualifier in the query, the most
/// common service principal, no null or unknown member (see [`Mutator::next_mutant`]).
fn plain(mut shape: Shape) -> Shape {
    shape.form = Form::Name;
    shape.placement = Placement::Query;
    shape.null_member = None;
    shape.unknown_member = None;
    shape.principal = (PrincipalShape::Service, "s3.amazonaws.com".into());
    shape
}

/// `shape` moved onto the fixture: its name, version and alias, no earlier permissions, no
/// `${CURRENT_REVISION}` (a fuzz request must not depend on what earlier requests did).
fn on_fixture(mut shape: Shape) -> Shape {
    shape.name = FIXTURE.into();
    shape.versions = 1;
    shape.aliases = BTreeMap::from([(ALIAS.into(), VERSION.into())]);
    shape.existing.clear();
    shape.optionals.revision_id = false;
    shape.target = match shape.target {
        Target::Unqualified => Target::Unqualified,
        Target::Version(_) => Target::Version(VERSION.into()),
        Target::Alias { .. } => Target::Alias {
            name: ALIAS.into(),
            to_latest: false,
        },
    };
    shape
}

/// `base` (a valid request with a JSON object body) bent by a mutation of `family`.
pub fn mutate(family: Family, base: Request, rng: &mut TestRng) -> Mutant {
    let members = match &base.body {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let text = Value::Object(members.clone()).to_string();
    let raw = |raw: String| Request {
        body: None,
        raw_body: Some(raw),
        ..base.clone()
    };
    let json = |body: Value| Request {
        body: Some(body),
        raw_body: None,
        ..base.clone()
    };
    let (note, request) = match family {
        Family::Valid => ("unchanged".to_string(), base.clone()),
        Family::JsonTruncated => {
            let cut = char_boundary(&text, rng.random_range(1..text.len().max(2)));
            (format!("cut at byte {cut}"), raw(text[..cut].to_string()))
        }
        Family::JsonTrailingGarbage => {
            let tail = *pick(
                rng,
                &["x", "}", ",", "]", " {}", "\n\u{0}", "garbage", "{\"a\":1}"],
            );
            (
                format!("followed by {tail:?}"),
                raw(format!("{text}{tail}")),
            )
        }
        Family::JsonNotObject => {
            let options = [
                Value::Array(vec![Value::Object(members.clone())]),
                Value::String(text.clone()),
                json!(42),
                json!(true),
                Value::Null,
                json!([]),
                json!("StatementId"),
            ];
            let body = pick(rng, &options).clone();
            (format!("body is {}", json_type(&body)), json(body))
        }
        Family::JsonDuplicateKeys => {
            let key = pick_member(rng, &members);
            let other = pick(rng, &[json!("duplicate"), json!(1), Value::Null, json!({})]).clone();
            let mut parts = vec![(key.clone(), other.to_string())];
            parts.extend(members_text(&members));
            (format!("{key} twice"), raw(object_text(&parts)))
        }
        Family::JsonDeepNesting => {
            let depth = *pick(rng, &[64usize, 1_000, 20_000]);
            let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            if rng.random_bool(0.5) {
                (format!("body nested {depth} deep"), raw(nested))
            } else {
                let key = pick_member(rng, &members);
                (
                    format!("{key} nested {depth} deep"),
                    raw(object_text(&replaced(&members, &key, nested))),
                )
            }
        }
        Family::JsonOddNumber => {
            let key = pick_member(rng, &members);
            let number = *pick(
                rng,
                &[
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    "1e999999",
                    "-0",
                    "123456789012345678901234567890",
                    "1.5e-400",
                    "0x10",
                    "01",
                    "1.",
                    "+1",
                ],
            );
            (
                format!("{key} <- {number}"),
                raw(object_text(&replaced(&members, &key, number.to_string()))),
            )
        }
        Family::WrongType => {
            let key = (*pick(rng, &body_members())).to_string();
            let value = if key == "InvokedViaFunctionUrl" {
                pick(
                    rng,
                    &[
                        json!("true"),
                        json!("false"),
                        json!(1),
                        json!(0),
                        json!([]),
                        json!({}),
                    ],
                )
                .clone()
            } else {
                let current = members.get(&key).cloned().unwrap_or(json!("x"));
                pick(
                    rng,
                    &[
                        json!(42),
                        json!(3.5),
                        json!(true),
                        json!(false),
                        json!([]),
                        json!({}),
                        json!({"a": "b"}),
                        Value::Array(vec![current]),
                    ],
                )
                .clone()
            };
            let note = format!("{key} <- {}", json_type(&value));
            let mut body = members.clone();
            body.insert(key, value);
            (note, json(Value::Object(body)))
        }
        Family::OddValue => odd_value(rng, &members, &raw, &json),
        Family::FunctionName => {
            let name = function_name(rng);
            (
                format!("FunctionName {}", excerpt(&name)),
                Request {
                    function_name: name,
                    ..base.clone()
                },
            )
        }
        Family::Qualifier => {
            let q = (*pick(rng, &ODD_QUALIFIERS)).to_string();
            let (note, function_name, qualifier) = match rng.random_range(0..3u8) {
                0 => (
                    format!("?Qualifier={}", excerpt(&q)),
                    FIXTURE.to_string(),
                    Some(q),
                ),
                1 => (
                    format!("FunctionName suffix :{}", excerpt(&q)),
                    format!("{FIXTURE}:{q}"),
                    None,
                ),
                _ => (
                    format!(
                        "?Qualifier={} with FunctionName {FIXTURE}:{VERSION}",
                        excerpt(&q)
                    ),
                    format!("{FIXTURE}:{VERSION}"),
                    Some(q),
                ),
            };
            (
                note,
                Request {
                    function_name,
                    qualifier,
                    ..base.clone()
                },
            )
        }
        Family::Encoding => encoding(rng, &members, &text, &raw),
        Family::ManyMembers => many_members(rng, &members, &json),
        Family::EmptyBody => {
            let body = *pick(rng, &["", " ", "\n", "\t\r\n", "\u{feff}"]);
            (format!("body {body:?}"), raw(body.to_string()))
        }
    };
    Mutant {
        family,
        note,
        request,
    }
}

/// At most 40 characters of `s`, for notes.
fn excerpt(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    if short.len() < s.len() {
        format!("{short:?}... ({} bytes)", s.len())
    } else {
        format!("{short:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{self, Case, Expect};

    fn as_case(m: &Mutant, n: usize) -> Case {
        Case {
            id: format!("m{n}"),
            tags: vec![m.family.name().into()],
            given: crate::case::fixture::given(),
            request: m.request.clone(),
            expect: Expect::status(400),
        }
    }

    #[test]
    fn every_family_gives_requests_of_the_case_format() {
        let mut mutator = Mutator::new(7);
        for family in Family::ALL {
            let mut cases = Vec::new();
            for n in 0..60 {
                let base = mutator.base();
                let m = mutate(family, base, mutator.rng());
                assert_eq!(m.family, family);
                assert!(
                    m.request.body.is_some() != m.request.raw_body.is_some(),
                    "{family:?}: exactly one of body and raw_body"
                );
                cases.push(as_case(&m, n));
            }
            let text = case::to_jsonl(&cases);
            let again = case::parse(&text, "mutants")
                .unwrap_or_else(|e| panic!("{family:?} does not re-parse: {e}"));
            assert_eq!(again, cases, "{family:?}");
            for (a, b) in again.iter().zip(&cases) {
                assert_eq!(a.body_bytes(), b.body_bytes(), "{family:?}");
            }
        }
    }

    #[test]
    fn a_seed_names_the_whole_sequence() {
        let draw = |seed| {
            let mut m = Mutator::new(seed);
            (0..200).map(|_| m.next_mutant()).collect::<Vec<_>>()
        };
        let a = draw(1);
        assert_eq!(a, draw(1));
        assert_ne!(a, draw(2));
        // The sequence reaches every family.
        for family in Family::ALL {
            assert!(
                a.iter().any(|m| m.family == family),
                "{family:?} never drawn"
            );
        }
    }

    #[test]
    fn mutations_do_what_they_say() {
        let mut mutator = Mutator::new(3);
        let parses = |r: &Request| {
            r.raw_body
                .as_deref()
                .map(|t| serde_json::from_str::<Value>(t).is_ok())
        };
        for _ in 0..50 {
            let base = mutator.base();
            assert!(base.body.as_ref().is_some_and(Value::is_object));
            let valid = mutate(Family::Valid, base.clone(), mutator.rng());
            assert_eq!(valid.request, base);
            let cut = mutate(Family::JsonTruncated, base.clone(), mutator.rng());
            assert_eq!(parses(&cut.request), Some(false), "{cut:?}");
            let garbage = mutate(Family::JsonTrailingGarbage, base.clone(), mutator.rng());
            assert_eq!(parses(&garbage.request), Some(false), "{garbage:?}");
            let not_object = mutate(Family::JsonNotObject, base.clone(), mutator.rng());
            assert!(!not_object.request.body.as_ref().unwrap().is_object());
        }
    }

    #[test]
    fn fixture_requests_stay_on_the_fixture() {
        let mut mutator = Mutator::new(11);
        for _ in 0..100 {
            let r = mutator.base();
            let fref = crate::contract::FunctionRef::parse(
                &crate::case::Placeholders::default().apply(&r.function_name),
            )
            .unwrap();
            assert_eq!(fref.name, FIXTURE);
            for q in r.qualifier.iter().chain(fref.qualifier.as_ref()) {
                assert!(q == VERSION || q == ALIAS, "{q}");
            }
            assert!(!r
                .body
                .as_ref()
                .unwrap()
                .to_string()
                .contains("${CURRENT_REVISION}"));
        }
    }
}
