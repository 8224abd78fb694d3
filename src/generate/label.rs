//! What a generated case claims about itself, and the checks that hold the oracle to it.
//!
//! Every generated case carries a [`Label`]: the member and constraint it probes and the answer
//! that constraint implies (a ValidationException naming exactly these entries, a 201, a
//! particular rule). The expected answer written into the case comes from the reference; the
//! label is derived independently from the contract, so [`verify`] catches a generator that
//! builds the wrong case *and* a reference that answers a case wrongly.

use super::oracle::OracleAnswer;
use crate::case::{Placeholders, Request};
use crate::contract::{contract, ErrorKind, Location, MemberType, Rule, Source};
use serde_json::Value;
use std::fmt;

/// The family a case belongs to; its tag is the first tag of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Valid,
    Invalid,
    Boundary,
    Stateful,
}

impl Class {
    pub fn tag(self) -> &'static str {
        match self {
            Class::Valid => "valid",
            Class::Invalid => "invalid",
            Class::Boundary => "boundary",
            Class::Stateful => "stateful",
        }
    }
}

/// A kind of constraint, as used in tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constraint {
    LengthMin,
    LengthMax,
    Pattern,
    Enum,
    Required,
    /// The JSON type of a member (or of the whole body).
    Type,
    /// A rule beyond the service model: principal, qualifier, state, policy size.
    Semantic,
}

impl Constraint {
    pub const ALL: [Constraint; 7] = [
        Constraint::LengthMin,
        Constraint::LengthMax,
        Constraint::Pattern,
        Constraint::Enum,
        Constraint::Required,
        Constraint::Type,
        Constraint::Semantic,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Constraint::LengthMin => "length-min",
            Constraint::LengthMax => "length-max",
            Constraint::Pattern => "pattern",
            Constraint::Enum => "enum",
            Constraint::Required => "required",
            Constraint::Type => "type",
            Constraint::Semantic => "semantic",
        }
    }
}

/// The pseudo-member of a case whose whole body has the wrong JSON type or is not JSON.
pub const BODY: &str = "Body";
/// The pseudo-member of the policy-size rule (the policy, not any one member, is too large).
pub const POLICY: &str = "Policy";

/// One violated constraint of one member.
pub type Violation = (&'static str, Constraint);

/// The answer a label predicts, without asking the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 201 with a statement.
    Created,
    /// 400 ValidationException listing exactly these entries, in contract member order.
    Validation(Vec<Violation>),
    /// 400 InvalidRequestContentException naming this member (or [`BODY`]).
    Content(&'static str),
    /// The error this rule gives.
    Rule(Rule),
    /// Neither a ValidationException nor an InvalidRequestContentException: the value is
    /// within the contract, and whatever follows (usually a 404) is the reference's to decide.
    PassesValidation,
}

/// What a case claims: its class, the constraint it probes, the answer that implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub class: Class,
    /// The member and constraint under test (`None` for plain valid cases).
    pub subject: Option<Violation>,
    pub outcome: Outcome,
    /// Further tags: the variant (`max+1`), the trap (`trap:unicode-digit`), the shape.
    pub notes: Vec<String>,
}

impl Label {
    pub fn new(class: Class, subject: Option<Violation>, outcome: Outcome) -> Label {
        Label {
            class,
            subject,
            outcome,
            notes: Vec::new(),
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Label {
        self.notes.push(note.into());
        self
    }

    /// Adds `note` if there is one.
    pub fn note_opt(self, note: Option<&str>) -> Label {
        match note {
            Some(n) => self.note(n),
            None => self,
        }
    }

    /// The case tags: class, member, constraint, the rule for semantic cases, then the notes.
    pub fn tags(&self) -> Vec<String> {
        let mut tags = vec![self.class.tag().to_string()];
        if let Some((member, constraint)) = self.subject {
            tags.push(member.to_string());
            tags.push(constraint.tag().to_string());
        }
        if let Outcome::Rule(rule) = self.outcome {
            tags.push(rule.id().to_string());
        }
        tags.extend(self.notes.iter().cloned());
        tags
    }
}

/// The contract's constraints that `request` violates, after placeholders are replaced with
/// their default values (as the reference sees them), in contract member order.
///
/// This reads only the contract: it is the independent half of every check.
pub fn contract_violations(request: &Request) -> Vec<Violation> {
    let vars = Placeholders {
        current_revision: Some("revision".into()),
        ..Placeholders::default()
    };
    let body = match (&request.body, &request.raw_body) {
        (Some(v), _) => Some(vars.apply_json(v)),
        (None, Some(raw)) if raw.trim().is_empty() => Some(Value::Object(Default::default())),
        (None, Some(raw)) => serde_json::from_str::<Value>(raw).ok(),
        (None, None) => None,
    };
    let Some(Value::Object(body)) = body else {
        return vec![(BODY, Constraint::Type)];
    };
    let mut out = Vec::new();
    for m in &contract().members {
        let value = match m.location {
            Location::Uri => Some(Value::String(vars.apply(&request.function_name))),
            Location::Query => request
                .qualifier
                .as_deref()
                .map(|q| Value::String(vars.apply(q))),
            Location::Body => body.get(m.name).filter(|v| !v.is_null()).cloned(),
        };
        let Some(value) = value else {
            if m.required {
                out.push((m.name, Constraint::Required));
            }
            continue;
        };
        let s = match (m.ty, &value) {
            (MemberType::Boolean, Value::Bool(_)) => continue,
            (MemberType::String, Value::String(s)) => s.as_str(),
            _ => {
                out.push((m.name, Constraint::Type));
                continue;
            }
        };
        let len = contract().length_unit.count(s);
        if m.min().is_some_and(|min| len < min) {
            out.push((m.name, Constraint::LengthMin));
        }
        if m.max().is_some_and(|max| len > max) {
            out.push((m.name, Constraint::LengthMax));
        }
        if m.pattern.as_ref().is_some_and(|p| !p.value.matches(s)) {
            out.push((m.name, Constraint::Pattern));
        }
        if m.enum_values
            .as_ref()
            .is_some_and(|e| !e.value.contains(&s))
        {
            out.push((m.name, Constraint::Enum));
        }
    }
    out
}

/// The tag of a case whose expectation rests on an inference (no recording or model pins it
/// down), as in the curated files: reports then tell a divergence from AWS from a divergence
/// from our best guess.
pub const INFERRED: &str = "inferred";

/// Whether the reference's answer to `request` rests on an inference: the rule it applied or
/// the error type it chose is inferred, or it is a validation error naming a violated
/// constraint whose value is inferred (the message quotes it).
pub fn rests_on_inference(request: &Request, answer: &OracleAnswer) -> bool {
    if answer.status == 0 {
        return false;
    }
    if answer.rule.source() == Source::Inferred
        || answer.error.is_some_and(|e| e.source() == Source::Inferred)
    {
        return true;
    }
    answer.rule == Rule::Validation
        && contract_violations(request)
            .iter()
            .any(|&(member, c)| constraint_source(member, c) == Some(Source::Inferred))
}

/// Where the contract's value of one constraint of one member comes from.
fn constraint_source(member: &str, constraint: Constraint) -> Option<Source> {
    let m = contract().member(member)?;
    match constraint {
        Constraint::LengthMin | Constraint::LengthMax => m.length.as_ref().map(|l| l.source),
        Constraint::Pattern => m.pattern.as_ref().map(|p| p.source),
        Constraint::Enum => m.enum_values.as_ref().map(|e| e.source),
        Constraint::Required | Constraint::Type | Constraint::Semantic => None,
    }
}

/// Why a case does not carry what its label claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement(pub String);

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a case three ways: the request breaks exactly the constraints its label lists (read
/// from the contract), the reference's answer is the one the label implies, and the message
/// names the member and the constraint.
pub fn verify(label: &Label, request: &Request, answer: &OracleAnswer) -> Result<(), Disagreement> {
    let fail = |why: String| Err(Disagreement(why));
    let broken = contract_violations(request);
    let expected_broken: Vec<Violation> = match &label.outcome {
        Outcome::Validation(v) => v.clone(),
        Outcome::Content(member) => {
            let ty = broken.iter().find(|(_, c)| *c == Constraint::Type);
            match ty {
                Some(&(m, _)) if m == *member => vec![(m, Constraint::Type)],
                _ => {
                    return fail(format!(
                        "no type violation of {member} in the request: {broken:?}"
                    ))
                }
            }
        }
        Outcome::Created | Outcome::Rule(_) | Outcome::PassesValidation => Vec::new(),
    };
    if broken != expected_broken {
        return fail(format!(
            "the request breaks {broken:?} where the label says {expected_broken:?}"
        ));
    }
    let error = answer.error;
    match &label.outcome {
        Outcome::Created => {
            if answer.status != 201 || answer.statement.is_none() {
                return fail(format!("expected 201, the reference answered {answer}"));
            }
        }
        Outcome::Validation(entries) => {
            if error != Some(ErrorKind::Validation) {
                return fail(format!("expected ValidationException, got {answer}"));
            }
            let n = entries.len();
            let prefix = format!(
                "{n} validation error{} detected: ",
                if n == 1 { "" } else { "s" }
            );
            if !answer.message.starts_with(&prefix) {
                return fail(format!("expected {n} entries, got {:?}", answer.message));
            }
            for &(member, constraint) in entries {
                let wanted = entry_text(member, constraint);
                if !answer.message.contains(&wanted) {
                    return fail(format!("message {:?} lacks {wanted:?}", answer.message));
                }
            }
        }
        Outcome::Content(member) => {
            if error != Some(ErrorKind::InvalidRequestContent) {
                return fail(format!(
                    "expected InvalidRequestContentException, got {answer}"
                ));
            }
            if *member != BODY && !answer.message.contains(member) {
                return fail(format!(
                    "message {:?} does not name {member}",
                    answer.message
                ));
            }
        }
        Outcome::Rule(rule) => {
            if answer.rule != *rule {
                return fail(format!("expected rule {}, got {answer}", rule.id()));
            }
            let kind = answer
                .error
                .ok_or_else(|| Disagreement(format!("expected an error, got {answer}")))?;
            if answer.status != kind.status() || answer.status < 400 {
                return fail(format!("status {} for {}", answer.status, kind.name()));
            }
        }
        Outcome::PassesValidation => {
            if matches!(
                error,
                Some(ErrorKind::Validation | ErrorKind::InvalidRequestContent)
            ) || answer.status == 0
            {
                return fail(format!(
                    "expected the value to pass validation, got {answer}"
                ));
            }
        }
    }
    Ok(())
}

/// The text a ValidationException entry for `constraint` of `member` contains.
fn entry_text(member: &str, constraint: Constraint) -> String {
    let m = contract().expect_member(member);
    let name = m.message_name();
    let must = match constraint {
        Constraint::Required => {
            return format!(
                "Value null at '{name}' failed to satisfy constraint: Member must not be null"
            )
        }
        Constraint::LengthMin => format!(
            "have length greater than or equal to {}",
            m.min().unwrap_or_default()
        ),
        Constraint::LengthMax => format!(
            "have length less than or equal to {}",
            m.max().unwrap_or_default()
        ),
        Constraint::Pattern => format!(
            "satisfy regular expression pattern: {}",
            m.pattern.as_ref().map_or("", |p| p.value.source())
        ),
        Constraint::Enum => "satisfy enum value set: [".to_string(),
        Constraint::Type | Constraint::Semantic => String::new(),
    };
    format!("' at '{name}' failed to satisfy constraint: Member must {must}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(body: Value) -> Request {
        Request {
            function_name: "f".into(),
            qualifier: None,
            body: Some(body),
            raw_body: None,
        }
    }

    #[test]
    fn answers_resting_on_inference_are_told_apart() {
        use crate::case::{Given, GivenFunction};
        let given = Given {
            functions: vec![GivenFunction {
                name: "f".into(),
                versions: Vec::new(),
                aliases: Default::default(),
                permissions: Vec::new(),
            }],
        };
        let inferred = |r: &Request| rests_on_inference(r, &super::super::oracle::run(&given, r));
        let ok = json!({"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"});
        // Recorded: a 201, a length violation.
        assert!(!inferred(&request(ok.clone())));
        let mut long = ok.clone();
        long["StatementId"] = json!("s".repeat(101));
        assert!(!inferred(&request(long)));
        // Inferred error type: a body that is not JSON, a member of the wrong JSON type.
        let mut raw = request(ok.clone());
        raw.body = None;
        raw.raw_body = Some("{".into());
        assert!(inferred(&raw));
        let mut number = ok.clone();
        number["StatementId"] = json!(7);
        assert!(inferred(&request(number)));
        // A validation message quoting an inferred value: the enum's order.
        let mut auth = ok.clone();
        auth["FunctionUrlAuthType"] = json!("aws_iam");
        assert!(inferred(&request(auth)));
    }

    #[test]
    fn contract_violations_read_whole_values_and_types() {
        let ok = json!({"StatementId": "s", "Action": "lambda:*", "Principal": "*"});
        assert!(contract_violations(&request(ok.clone())).is_empty());
        let mut bad = ok.clone();
        bad["StatementId"] = json!("example.com");
        assert_eq!(
            contract_violations(&request(bad)),
            [("StatementId", Constraint::Pattern)]
        );
        let mut bad = ok.clone();
        bad["SourceAccount"] = json!("١٢٣٤٥٦٧٨٩٠١٢");
        assert_eq!(
            contract_violations(&request(bad)),
            [("SourceAccount", Constraint::Pattern)]
        );
        let mut bad = ok;
        bad["Action"] = Value::Null;
        bad["InvokedViaFunctionUrl"] = json!("true");
        assert_eq!(
            contract_violations(&request(bad)),
            [
                ("Action", Constraint::Required),
                ("InvokedViaFunctionUrl", Constraint::Type)
            ]
        );
        assert_eq!(
            contract_violations(&request(json!([]))),
            [(BODY, Constraint::Type)]
        );
    }

    #[test]
    fn tags_put_class_member_constraint_first() {
        let l = Label::new(
            Class::Invalid,
            Some(("StatementId", Constraint::LengthMax)),
            Outcome::Validation(vec![("StatementId", Constraint::LengthMax)]),
        )
        .note("max+1");
        assert_eq!(l.tags(), ["invalid", "StatementId", "length-max", "max+1"]);
        let l = Label::new(
            Class::Stateful,
            Some(("StatementId", Constraint::Semantic)),
            Outcome::Rule(Rule::DuplicateStatementId),
        );
        assert_eq!(
            l.tags(),
            [
                "stateful",
                "StatementId",
                "semantic",
                "duplicate-statement-id"
            ]
        );
    }
}
