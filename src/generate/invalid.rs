//! Invalid requests: a valid case with exactly one thing broken, labelled with what.
//!
//! A case is a valid [`Shape`](super::valid::Shape) plus one [`Mutation`]. The strategy keeps
//! only cases whose request, read back through the contract, breaks exactly the labelled
//! constraint; proptest applies the same filter while shrinking, so a shrunk case is still
//! invalid for the same reason.

use super::label::{contract_violations, Class, Constraint, Label, Outcome, Violation, BODY};
use super::valid::{self, Placement, Shape, Target};
use super::values::{
    self, FOREIGN_ACCOUNT, INVALID_PRINCIPALS, MALFORMED_PRINCIPAL_ARN, MISSING_ALIAS,
};
use super::Draft;
use crate::case::GivenPermission;
use crate::contract::{contract, Location, MemberType, Rule, FUNCTION_URL_ACTION, INVOKE_ACTION};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};

/// Characters that break patterns in interesting ways: punctuation the patterns exclude, Java
/// and non-Java white space, Java line terminators, non-ASCII digits and letters, astral.
const BAD_CHARS: [char; 24] = [
    ' ',
    '!',
    '.',
    ':',
    '/',
    '@',
    '*',
    '$',
    '"',
    '\\',
    '%',
    '#',
    '\t',
    '\n',
    '\r',
    '\u{0B}',
    '\u{0C}',
    '\u{85}',
    '\u{2028}',
    'é',
    '١',
    '０',
    '\u{A0}',
    '\u{1F600}',
];

/// The trap a bad character stands for, where it is one.
fn bad_char_trap(c: char) -> Option<&'static str> {
    match c {
        '١' | '０' => Some("trap:unicode-digit"),
        '\u{A0}' => Some("trap:non-ascii-space"),
        '\u{0B}' | '\u{0C}' => Some("trap:java-space"),
        '\n' | '\r' | '\u{85}' | '\u{2028}' => Some("trap:java-dot-line-terminator"),
        _ => None,
    }
}

/// Values AWS's deserialiser refuses for a string member.
fn wrong_string_types() -> Vec<(Value, &'static str)> {
    vec![
        (json!(5), "json:number"),
        (json!(1.5), "json:number"),
        (json!(true), "json:boolean"),
        (json!(["s"]), "json:array"),
        (json!({"S": "s"}), "json:object"),
    ]
}

/// Values AWS's deserialiser refuses for a boolean member.
fn wrong_boolean_types() -> Vec<(Value, &'static str)> {
    vec![
        (json!("true"), "json:string"),
        (json!(1), "json:number"),
        (json!([true]), "json:array"),
        (json!({}), "json:object"),
    ]
}

/// One thing to break.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Length `extra` units past the maximum (`over`) or below the minimum.
    Length {
        member: &'static str,
        over: bool,
        extra: usize,
        fill: char,
    },
    /// One character of the member's value replaced (or appended) with a bad one.
    Pattern {
        member: &'static str,
        at: Index,
        bad: char,
    },
    /// A curated trap value.
    Trap(Index),
    Enum(String),
    Required {
        member: &'static str,
        how: Missing,
    },
    Type {
        member: &'static str,
        value: Value,
        note: &'static str,
    },
    /// The whole body is not a JSON object.
    Body(BodyShape),
    Semantic(Semantic),
}

/// How a required member goes missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Absent,
    Null,
    /// Sent under a wrong-case key (`statementId`), which AWS ignores as unknown.
    WrongCaseKey,
}

/// A body that is not a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyShape {
    Json(Value, &'static str),
    Raw(&'static str, &'static str),
}

/// A rule beyond the service model, broken by an otherwise valid request.
#[derive(Debug, Clone)]
pub enum Semantic {
    InvalidPrincipal(Index),
    MalformedPrincipalArn,
    AuthTypeWithoutUrlAction(Index),
    ViaUrlWithoutInvokeAction(Index),
    QualifierMismatch,
    Latest(Placement),
    FunctionNotFound,
    VersionNotFound(u8),
    DollarQualifierNotFound,
    AliasNotFound,
    ForeignFunction,
    RevisionMismatch,
    DuplicateStatementId,
}

fn members_where(f: impl Fn(&crate::contract::Member) -> bool) -> Vec<&'static str> {
    contract()
        .members
        .iter()
        .filter(|m| f(m))
        .map(|m| m.name)
        .collect()
}

fn body_members() -> Vec<&'static str> {
    members_where(|m| m.location == Location::Body)
}

/// The strategy for mutations, weighted towards the kinds with the most variety.
pub fn mutations() -> impl Strategy<Value = Mutation> {
    let over = members_where(|m| m.max().is_some());
    let under = members_where(|m| m.min().is_some_and(|min| min > 0));
    let patterned = members_where(|m| m.pattern.is_some());
    let required = members_where(|m| m.required && m.location == Location::Body);
    let enum_values = values::member("FunctionUrlAuthType")
        .enum_values
        .as_ref()
        .map_or(&[][..], |e| e.value);
    let enum_strategy = prop_oneof![
        select(vec![
            "BASIC", "none", "None", "aws_iam", "NONE ", "", "AWS-IAM", "NONE\n"
        ])
        .prop_map(str::to_string),
        "[A-Z_]{1,12}",
    ]
    .prop_filter("outside the enum", move |v| {
        !enum_values.contains(&v.as_str())
    });
    let body_type = select(body_members()).prop_flat_map(|member| {
        let ty = values::member(member).ty;
        let options = match ty {
            MemberType::String => wrong_string_types(),
            MemberType::Boolean => wrong_boolean_types(),
        };
        select(options).prop_map(move |(value, note)| Mutation::Type {
            member,
            value,
            note,
        })
    });
    prop_oneof![
        8 => (select(over), 1..=64usize, select(vec!['a', 'Z', '7', '\u{1F600}']))
            .prop_map(|(member, extra, fill)| Mutation::Length { member, over: true, extra, fill }),
        3 => (select(under), 1..=12usize)
            .prop_map(|(member, extra)| Mutation::Length { member, over: false, extra, fill: 'a' }),
        14 => (select(patterned), any::<Index>(), select(&BAD_CHARS[..]))
            .prop_map(|(member, at, bad)| Mutation::Pattern { member, at, bad }),
        8 => any::<Index>().prop_map(Mutation::Trap),
        4 => enum_strategy.prop_map(Mutation::Enum),
        5 => (select(required), select(vec![Missing::Absent, Missing::Null, Missing::WrongCaseKey]))
            .prop_map(|(member, how)| Mutation::Required { member, how }),
        8 => body_type,
        2 => select(vec![
            BodyShape::Json(json!([]), "json:array"),
            BodyShape::Json(json!("body"), "json:string"),
            BodyShape::Json(json!(7), "json:number"),
            BodyShape::Json(Value::Null, "json:null"),
            BodyShape::Json(json!(true), "json:boolean"),
            BodyShape::Raw("{\"StatementId\":", "raw:truncated"),
            BodyShape::Raw("not json", "raw:not-json"),
            BodyShape::Raw("{\"StatementId\":\"s\"}}", "raw:trailing"),
        ]).prop_map(Mutation::Body),
        22 => semantic().prop_map(Mutation::Semantic),
    ]
}

fn semantic() -> impl Strategy<Value = Semantic> {
    prop_oneof![
        any::<Index>().prop_map(Semantic::InvalidPrincipal),
        Just(Semantic::MalformedPrincipalArn),
        any::<Index>().prop_map(Semantic::AuthTypeWithoutUrlAction),
        any::<Index>().prop_map(Semantic::ViaUrlWithoutInvokeAction),
        Just(Semantic::QualifierMismatch),
        select(vec![
            Placement::Query,
            Placement::FunctionName,
            Placement::Both
        ])
        .prop_map(Semantic::Latest),
        Just(Semantic::FunctionNotFound),
        (0..5u8).prop_map(Semantic::VersionNotFound),
        Just(Semantic::DollarQualifierNotFound),
        Just(Semantic::AliasNotFound),
        Just(Semantic::ForeignFunction),
        Just(Semantic::RevisionMismatch),
        Just(Semantic::DuplicateStatementId),
    ]
}

/// Invalid cases: exactly one violation each, checked against the contract.
pub fn drafts() -> impl Strategy<Value = Draft> {
    candidates().prop_filter_map(WHY_NONE, |d| d)
}

/// Why a mutated shape gives no case.
pub const WHY_NONE: &str = "breaks exactly its labelled constraint";

/// [`drafts`] before the filter: `None` where the mutated request does not break exactly its
/// labelled constraint. Shrinking walks this tree, where a filtered tree panics when it cannot
/// step back to an accepted value.
pub fn candidates() -> impl Strategy<Value = Option<Draft>> {
    (valid::shapes(), mutations())
        .prop_map(|(shape, mutation)| Some(apply(&shape, &mutation)).filter(carries_its_label))
}

/// Whether the request breaks exactly what the label lists (nothing, for semantic labels).
pub fn carries_its_label(d: &Draft) -> bool {
    let expected: Vec<Violation> = match &d.label.outcome {
        Outcome::Validation(v) => v.clone(),
        Outcome::Content(m) => vec![(m, Constraint::Type)],
        _ => Vec::new(),
    };
    contract_violations(&d.request) == expected
}

fn label(subject: Violation, outcome: Outcome) -> Label {
    Label::new(Class::Invalid, Some(subject), outcome)
}

/// The value of `member` in a valid shape's request, and the literal request it sits in:
/// FunctionName and Qualifier are written without placeholders, so that a message quoting
/// them is the same on every target.
fn literal_request(shape: &Shape) -> crate::case::Request {
    let mut request = shape.request();
    request.function_name = shape.name.clone();
    request.qualifier = valid::qualifier_of(&shape.target);
    request
}

fn current_value(shape: &Shape, member: &str, request: &crate::case::Request) -> String {
    match member {
        "FunctionName" => shape.name.clone(),
        "Qualifier" => request.qualifier.clone().unwrap_or_else(|| "live".into()),
        m => request
            .body
            .as_ref()
            .and_then(|b| b.get(m))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| example_value(m)),
    }
}

/// A valid value for an optional member that the shape left out.
fn example_value(member: &str) -> String {
    match member {
        "SourceArn" => "arn:aws:s3:::bucket".into(),
        "SourceAccount" => "123456789012".into(),
        "EventSourceToken" => "token".into(),
        "PrincipalOrgID" => "o-abcdefghij".into(),
        _ => "x".into(),
    }
}

/// Puts `value` into `member` (body, path or query) of `request`; `None` removes it.
fn set(request: &mut crate::case::Request, member: &str, value: Option<Value>) {
    match member {
        "FunctionName" => {
            request.function_name = value
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            // A FunctionName under test carries no qualifier of the request's.
            request.qualifier = None;
        }
        "Qualifier" => request.qualifier = value.and_then(|v| v.as_str().map(str::to_string)),
        m => {
            if let Some(Value::Object(body)) = &mut request.body {
                match value {
                    Some(v) => {
                        body.insert(m.to_string(), v);
                    }
                    None => {
                        body.remove(m);
                    }
                }
            }
        }
    }
}

/// Keeps the action rules out of the way of a FunctionUrlAuthType or InvokedViaFunctionUrl
/// under test.
fn clear_action_rules(request: &mut crate::case::Request, member: &str) {
    match member {
        "FunctionUrlAuthType" => {
            set(request, "Action", Some(json!(FUNCTION_URL_ACTION)));
            set(request, "InvokedViaFunctionUrl", None);
        }
        "InvokedViaFunctionUrl" => {
            set(request, "Action", Some(json!(INVOKE_ACTION)));
            set(request, "FunctionUrlAuthType", None);
        }
        _ => {}
    }
}

/// The one violation a member's value of this length carries: the length, plus the pattern
/// where the pattern cannot match at that length (SourceAccount's `\d{12}`, `o-...{10,32}`).
fn length_violations(member: &'static str, value: &str, constraint: Constraint) -> Vec<Violation> {
    let mut v = vec![(member, constraint)];
    let m = values::member(member);
    if m.pattern.as_ref().is_some_and(|p| !p.value.matches(value)) {
        v.push((member, Constraint::Pattern));
    }
    v
}

/// Applies `mutation` to the valid `shape`.
pub fn apply(shape: &Shape, mutation: &Mutation) -> Draft {
    let mut given = shape.given();
    let mut request = shape.request();
    let label = match mutation {
        Mutation::Length {
            member,
            over,
            extra,
            fill,
        } => {
            request = literal_request(shape);
            let m = values::member(member);
            let len = if *over {
                m.max().unwrap_or_default() + extra
            } else {
                m.min().unwrap_or_default().saturating_sub(*extra)
            };
            let matches = |v: &str| m.pattern.as_ref().map_or(true, |p| p.value.matches(v));
            // A fill the pattern refuses would be a second violation: use the template's own.
            let value = Some(values::with_length(member, len, *fill))
                .filter(|v| matches(v))
                .unwrap_or_else(|| values::with_length(member, len, values::filler(member)));
            clear_action_rules(&mut request, member);
            set(&mut request, member, Some(json!(value)));
            let (constraint, note) = if *over {
                (Constraint::LengthMax, format!("max+{extra}"))
            } else {
                (
                    Constraint::LengthMin,
                    format!("min-{}", m.min().unwrap_or_default() - len),
                )
            };
            let violations = length_violations(member, &value, constraint);
            let mut l = label(
                (member, constraint),
                Outcome::Validation(violations.clone()),
            )
            .note(note);
            if violations.len() > 1 {
                l = l.note("implies:pattern");
            }
            if !value.is_ascii() {
                l = l.note("utf16");
            }
            l
        }
        Mutation::Pattern { member, at, bad } => {
            request = literal_request(shape);
            let current = current_value(shape, member, &request);
            let mut chars: Vec<char> = current.chars().collect();
            let i = at.index(chars.len() + 1);
            if i < chars.len() {
                chars[i] = *bad;
            } else {
                chars.push(*bad);
            }
            clear_action_rules(&mut request, member);
            set(
                &mut request,
                member,
                Some(json!(chars.into_iter().collect::<String>())),
            );
            label(
                (member, Constraint::Pattern),
                Outcome::Validation(vec![(member, Constraint::Pattern)]),
            )
            .note(format!("bad-char:U+{:04X}", *bad as u32))
            .note_opt(bad_char_trap(*bad))
        }
        Mutation::Trap(i) => {
            let traps = values::pattern_traps();
            let t = i.get(&traps);
            request = literal_request(shape);
            clear_action_rules(&mut request, t.member);
            set(&mut request, t.member, Some(json!(t.value)));
            label(
                (t.member, Constraint::Pattern),
                Outcome::Validation(vec![(t.member, Constraint::Pattern)]),
            )
            .note(t.note)
        }
        Mutation::Enum(v) => {
            clear_action_rules(&mut request, "FunctionUrlAuthType");
            set(&mut request, "FunctionUrlAuthType", Some(json!(v)));
            let member = "FunctionUrlAuthType";
            label(
                (member, Constraint::Enum),
                Outcome::Validation(vec![(member, Constraint::Enum)]),
            )
        }
        Mutation::Required { member, how } => {
            let value = request.body.as_ref().and_then(|b| b.get(*member)).cloned();
            let note = match how {
                Missing::Absent => {
                    set(&mut request, member, None);
                    "absent"
                }
                Missing::Null => {
                    set(&mut request, member, Some(Value::Null));
                    "trap:json-null"
                }
                Missing::WrongCaseKey => {
                    set(&mut request, member, None);
                    let key = values::member(member).message_name();
                    if let Some(Value::Object(body)) = &mut request.body {
                        body.insert(key, value.unwrap_or(Value::Null));
                    }
                    "trap:unknown-member"
                }
            };
            label(
                (member, Constraint::Required),
                Outcome::Validation(vec![(member, Constraint::Required)]),
            )
            .note(note)
        }
        Mutation::Type {
            member,
            value,
            note,
        } => {
            clear_action_rules(&mut request, member);
            set(&mut request, member, Some(value.clone()));
            label((member, Constraint::Type), Outcome::Content(member)).note(*note)
        }
        Mutation::Body(shape) => {
            let note = match shape {
                BodyShape::Json(v, note) => {
                    request.body = Some(v.clone());
                    note
                }
                BodyShape::Raw(raw, note) => {
                    request.body = None;
                    request.raw_body = Some(raw.to_string());
                    note
                }
            };
            label((BODY, Constraint::Type), Outcome::Content(BODY)).note(*note)
        }
        Mutation::Semantic(s) => return semantic_draft(shape, s),
    };
    Draft {
        given: std::mem::take(&mut given),
        request,
        label,
    }
}

/// A change to the request that the shape cannot express.
type Edit = Box<dyn Fn(&mut crate::case::Request)>;

fn semantic_draft(shape: &Shape, s: &Semantic) -> Draft {
    let mut shape = shape.clone();
    let rule_label = |member: &'static str, rule: Rule| {
        label((member, Constraint::Semantic), Outcome::Rule(rule))
    };
    let not_url: Vec<&str> = values::ACTIONS
        .iter()
        .copied()
        .filter(|a| *a != FUNCTION_URL_ACTION)
        .collect();
    let not_invoke: Vec<&str> = values::ACTIONS
        .iter()
        .copied()
        .filter(|a| *a != INVOKE_ACTION)
        .collect();
    let mut extra_permission = None;
    let mut request_override: Option<Edit> = None;
    let label = match s {
        Semantic::InvalidPrincipal(i) => {
            let p = *i.get(&INVALID_PRINCIPALS);
            shape.principal.1 = p.to_string();
            let l = rule_label("Principal", Rule::InvalidPrincipal);
            if p.contains('\u{A0}') {
                l.note("trap:nbsp-is-not-java-space")
            } else {
                l
            }
        }
        Semantic::MalformedPrincipalArn => {
            shape.principal.1 = MALFORMED_PRINCIPAL_ARN.to_string();
            rule_label("Principal", Rule::MalformedPrincipalArn)
        }
        Semantic::AuthTypeWithoutUrlAction(i) => {
            shape.action = i.get(&not_url).to_string();
            shape.optionals.function_url_auth_type.get_or_insert("NONE");
            shape.optionals.invoked_via_function_url = None;
            rule_label("FunctionUrlAuthType", Rule::FunctionUrlAuthTypeAction)
        }
        Semantic::ViaUrlWithoutInvokeAction(i) => {
            shape.action = i.get(&not_invoke).to_string();
            shape.optionals.function_url_auth_type = None;
            shape.optionals.invoked_via_function_url = Some(true);
            rule_label("InvokedViaFunctionUrl", Rule::InvokedViaFunctionUrlAction)
        }
        Semantic::QualifierMismatch => {
            let derived = valid::qualifier_of(&shape.target).unwrap_or_else(|| "live".into());
            let query = format!("{derived}x");
            let name = shape.name.clone();
            let form = shape.form;
            request_override = Some(Box::new(move |r| {
                r.function_name = valid::function_name(form, &name, Some(&derived));
                r.qualifier = Some(query.clone());
            }));
            rule_label("Qualifier", Rule::QualifierMismatch)
        }
        Semantic::Latest(placement) => {
            shape.target = Target::Version("$LATEST".into());
            shape.placement = *placement;
            rule_label("Qualifier", Rule::LatestUnsupported).note(match placement {
                Placement::Query => "qualifier-in:query",
                Placement::FunctionName => "qualifier-in:function-name",
                Placement::Both => "qualifier-in:both",
            })
        }
        Semantic::FunctionNotFound => {
            let missing = format!("{}-gone", shape.name);
            let (form, placement, target) = (shape.form, shape.placement, shape.target.clone());
            request_override = Some(Box::new(move |r| {
                let q = valid::qualifier_of(&target);
                let suffix = q.as_deref().filter(|_| placement != Placement::Query);
                r.function_name = valid::function_name(form, &missing, suffix);
            }));
            rule_label("FunctionName", Rule::FunctionNotFound)
        }
        Semantic::VersionNotFound(k) => {
            shape.target = Target::Version((shape.versions + 1 + *k as usize).to_string());
            rule_label("Qualifier", Rule::VersionNotFound)
        }
        Semantic::DollarQualifierNotFound => {
            shape.target = Target::Version("valid-with-$-but-doesnotexist".into());
            shape.placement = Placement::Query;
            rule_label("Qualifier", Rule::VersionNotFound).note("trap:dollar-in-qualifier")
        }
        Semantic::AliasNotFound => {
            shape.target = Target::Alias {
                name: MISSING_ALIAS.into(),
                to_latest: false,
            };
            rule_label("Qualifier", Rule::AliasNotFound)
        }
        Semantic::ForeignFunction => {
            let name = shape.name.clone();
            let (placement, target) = (shape.placement, shape.target.clone());
            request_override = Some(Box::new(move |r| {
                let q = valid::qualifier_of(&target);
                let suffix = q.as_deref().filter(|_| placement != Placement::Query);
                let arn = format!(
                    "arn:${{PARTITION}}:lambda:${{REGION}}:{FOREIGN_ACCOUNT}:function:{name}"
                );
                r.function_name = match suffix {
                    Some(q) => format!("{arn}:{q}"),
                    None => arn,
                };
            }));
            rule_label("FunctionName", Rule::ForeignFunction)
        }
        Semantic::RevisionMismatch => {
            shape.optionals.revision_id = false;
            request_override = Some(Box::new(|r| {
                if let Some(Value::Object(b)) = &mut r.body {
                    b.insert(
                        "RevisionId".into(),
                        json!("00000000-0000-4000-8000-000000000000"),
                    );
                }
            }));
            rule_label("RevisionId", Rule::RevisionMismatch)
        }
        Semantic::DuplicateStatementId => {
            extra_permission = Some(GivenPermission {
                qualifier: valid::qualifier_of(&shape.target),
                body: json!({"StatementId": shape.statement_id, "Action": INVOKE_ACTION, "Principal": "sns.amazonaws.com"}),
            });
            rule_label("StatementId", Rule::DuplicateStatementId)
        }
    };
    let mut given = shape.given();
    if let Some(p) = extra_permission {
        given.functions[0].permissions.push(p);
    }
    let mut request = shape.request();
    if let Some(f) = request_override {
        f(&mut request);
    }
    Draft {
        given,
        request,
        label,
    }
}
