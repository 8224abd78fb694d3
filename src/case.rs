//! The case file format, version 1 (see `CASES.md`): JSON Lines, one case per line.
//!
//! It is a public interface: `addperm gen` writes it, `addperm check --cases` reads it, and other
//! tools do both. Reading is strict (an unknown key is an error, so a typo cannot silently weaken
//! a check) and every error names its line.

pub mod portable;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// One case: the state to set up, the AddPermission request, and the expected answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Given::is_empty")]
    pub given: Given,
    pub request: Request,
    pub expect: Expect,
}

/// The state the target must be in before the request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    #[serde(default)]
    pub functions: Vec<GivenFunction>,
}

impl Given {
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenFunction {
    /// A plain function name, never an ARN.
    pub name: String,
    /// Published versions in order ("1", "2", ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Alias name -> version (`$LATEST` allowed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, String>,
    /// AddPermission calls applied before the request, in order; each must succeed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<GivenPermission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenPermission {
    #[serde(default)]
    pub qualifier: Option<String>,
    pub body: Value,
}

/// The request under test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The path segment as the client means it; the runner percent-encodes it.
    pub function_name: String,
    /// `None`: no `?Qualifier=`; `Some("")`: `?Qualifier=`.
    #[serde(default)]
    pub qualifier: Option<String>,
    /// The JSON body (any JSON value, `null` included, is sent as written).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub body: Option<Value>,
    /// Body bytes sent unchanged, instead of `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<String>,
}

/// The expected answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub status: u16,
    /// Absent: not compared. `Some(None)` (JSON null): the answer must carry no error type.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_type: Option<Option<String>>,
    /// A regex searched for in the error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_like: Option<String>,
    /// For a 201: the statement the `Statement` string must parse to (null: not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Value>,
    /// The policy the request's function and qualifier hold after the request, as GetPolicy's
    /// `Policy` document (`{"Version", "Id", "Statement": [...]}`); JSON null: no policy (404).
    /// Absent: the reference plays the case to say what AWS stores (an inferred expectation).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub policy: Option<Value>,
}

impl Expect {
    /// An expectation of `status` alone: the error type, message, statement and policy are not
    /// compared.
    pub fn status(status: u16) -> Expect {
        Expect {
            status,
            error_type: None,
            message_like: None,
            statement: None,
            policy: None,
        }
    }
}

/// Deserialises a field that is present as `Some(value)`, even when the value is JSON null.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A case file that cannot be used, with the line that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseFileError {
    #[error("{origin}:{line}: {reason}")]
    Line {
        origin: String,
        line: usize,
        reason: String,
    },
    #[error("{origin}: {reason}")]
    File { origin: String, reason: String },
}

impl Case {
    /// The checks JSON's types cannot express.
    fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("\"id\" must not be empty".into());
        }
        match (&self.request.body, &self.request.raw_body) {
            (Some(_), Some(_)) => {
                return Err("request has both \"body\" and \"raw_body\"; give exactly one".into())
            }
            (None, None) => return Err("request needs \"body\" or \"raw_body\"".into()),
            _ => {}
        }
        if !(100..=599).contains(&self.expect.status) {
            return Err(format!(
                "expect.status {} is not an HTTP status code",
                self.expect.status
            ));
        }
        if let Some(re) = &self.expect.message_like {
            // Placeholders are replaced before use, so check the regex they produce.
            let vars = Placeholders {
                current_revision: Some("0".into()),
                ..Placeholders::default()
            };
            // Parsed first: the parser reports every syntax error `Regex::new` does, with the
            // same message, at a fraction of the cost of compiling. Only a counted repetition
            // (`a{1000}{1000}`) or a very long pattern can exceed the compiled-size limit, so
            // only those are compiled too: such a case is refused here, with its line, rather
            // than failing every comparison later.
            let re = vars.apply(re);
            let invalid = |e: &dyn std::fmt::Display| {
                format!("expect.message_like is not a valid regex: {e}")
            };
            regex_syntax::Parser::new()
                .parse(&re)
                .map_err(|e| invalid(&e))?;
            if re.contains('{') || re.len() > 4096 {
                regex::Regex::new(&re).map_err(|e| invalid(&e))?;
            }
        }
        if let Some(s) = &self.expect.statement {
            if !s.is_object() && !s.is_null() {
                return Err("expect.statement must be a JSON object".into());
            }
        }
        if let Some(p) = &self.expect.policy {
            let statements = p.get("Statement").map(Value::is_array);
            if !(p.is_null() || (p.is_object() && statements == Some(true))) {
                return Err(
                    "expect.policy must be null (no policy) or a policy document with a \"Statement\" array"
                        .into(),
                );
            }
        }
        for f in &self.given.functions {
            if f.name.is_empty() {
                return Err("given function with an empty name".into());
            }
        }
        Ok(())
    }

    /// The request body bytes, before placeholders.
    pub fn body_bytes(&self) -> Vec<u8> {
        match (&self.request.body, &self.request.raw_body) {
            (Some(v), _) => v.to_string().into_bytes(),
            (None, Some(raw)) => raw.clone().into_bytes(),
            (None, None) => Vec::new(),
        }
    }
}

/// Parses a case file's text. Blank lines and lines starting with `//` are skipped.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Case>, CaseFileError> {
    let mut cases = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        let err = |reason: String| CaseFileError::Line {
            origin: origin.to_string(),
            line: i + 1,
            reason,
        };
        let case: Case = serde_json::from_str(trimmed).map_err(|e| err(e.to_string()))?;
        case.check().map_err(err)?;
        if !seen.insert(case.id.clone()) {
            return Err(err(format!("duplicate case id {:?}", case.id)));
        }
        cases.push(case);
    }
    Ok(cases)
}

/// Reads and parses a case file (`-` reads standard input).
pub fn read(path: &Path) -> Result<Vec<Case>, CaseFileError> {
    let origin = path.display().to_string();
    let text = if origin == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| CaseFileError::File {
        origin: origin.clone(),
        reason: e.to_string(),
    })?;
    parse(&text, &origin)
}

/// Writes cases as JSON Lines, one compact case per line.
pub fn to_jsonl(cases: &[Case]) -> String {
    let mut out = String::new();
    for c in cases {
        out.push_str(&serde_json::to_string(c).expect("cases serialise"));
        out.push('\n');
    }
    out
}

/// The standard fixture: one function with version 1 and an alias `live` pointing at it, so a
/// request can address the function, a version and an alias. The fuzzers aim at it, and
/// `addperm serve --seed-function` creates it under other names.
pub mod fixture {
    use super::{Given, GivenFunction};
    use std::collections::BTreeMap;

    /// The fixture function's name (a session renames it on a shared target).
    pub const FUNCTION: &str = "fuzz-fn";
    /// Its published version.
    pub const VERSION: &str = "1";
    /// Its alias, pointing at [`VERSION`].
    pub const ALIAS: &str = "live";

    /// The fixture function called `name`.
    pub fn function(name: &str) -> GivenFunction {
        GivenFunction {
            name: name.to_string(),
            versions: vec![VERSION.into()],
            aliases: BTreeMap::from([(ALIAS.into(), VERSION.into())]),
            permissions: Vec::new(),
        }
    }

    /// The state every fuzz case starts from: the fixture [`FUNCTION`].
    pub fn given() -> Given {
        Given {
            functions: vec![function(FUNCTION)],
        }
    }
}

/// The values placeholders stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholders {
    pub account: String,
    pub region: String,
    pub partition: String,
    /// `None` until read from the target.
    pub current_revision: Option<String>,
}

impl Default for Placeholders {
    fn default() -> Self {
        Self {
            account: crate::contract::DEFAULT_ACCOUNT.into(),
            region: crate::contract::DEFAULT_REGION.into(),
            partition: crate::contract::DEFAULT_PARTITION.into(),
            current_revision: None,
        }
    }
}

/// Whether `s` mentions `${CURRENT_REVISION}` (reading it costs a call to the target).
pub fn needs_current_revision(s: &str) -> bool {
    s.contains("${CURRENT_REVISION}")
}

/// Whether any string of `v` (key or value) mentions `${CURRENT_REVISION}`.
pub fn json_needs_current_revision(v: &Value) -> bool {
    match v {
        Value::String(s) => needs_current_revision(s),
        Value::Array(a) => a.iter().any(json_needs_current_revision),
        Value::Object(o) => o
            .iter()
            .any(|(k, x)| needs_current_revision(k) || json_needs_current_revision(x)),
        _ => false,
    }
}

impl Placeholders {
    pub fn apply(&self, s: &str) -> String {
        if !s.contains("${") {
            return s.to_string();
        }
        let mut out = s
            .replace("${ACCOUNT}", &self.account)
            .replace("${REGION}", &self.region)
            .replace("${PARTITION}", &self.partition);
        if let Some(r) = &self.current_revision {
            out = out.replace("${CURRENT_REVISION}", r);
        }
        out
    }

    /// Replaces placeholders in every string (keys and values) of a JSON value.
    pub fn apply_json(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.apply(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.apply_json(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (self.apply(k), self.apply_json(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id":"a","request":{"function_name":"f","body":{"StatementId":"s"}},"expect":{"status":201,"error_type":null}}"#;

    #[test]
    fn parses_and_round_trips() {
        let text = format!("// comment\n\n{GOOD}\n");
        let cases = parse(&text, "t").unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].expect.error_type, Some(None));
        let again = parse(&to_jsonl(&cases), "t").unwrap();
        assert_eq!(again, cases);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = format!(
            "{GOOD}\n{{\"id\":\"b\",\"request\":{{}},\"expect\":{{\"status\":400}},\"extra\":1}}\n"
        );
        let e = parse(&bad, "f.jsonl").unwrap_err().to_string();
        assert!(e.starts_with("f.jsonl:2: "), "{e}");
        let e = parse(&format!("{GOOD}\n{GOOD}"), "f")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2: duplicate case id"), "{e}");
        let typo = GOOD.replace("error_type", "eror_type");
        assert!(parse(&typo, "f")
            .unwrap_err()
            .to_string()
            .contains("eror_type"));
        let both = GOOD.replace(
            r#""body":{"StatementId":"s"}"#,
            r#""body":{},"raw_body":"x""#,
        );
        assert!(parse(&both, "f")
            .unwrap_err()
            .to_string()
            .contains("exactly one"));
        let bad_re = GOOD.replace(r#""error_type":null"#, r#""message_like":"(""#);
        assert!(parse(&bad_re, "f")
            .unwrap_err()
            .to_string()
            .contains("message_like"));
        // Valid syntax, but over the compiled-size limit: refused when read, with its line.
        let huge_re = GOOD.replace(r#""error_type":null"#, r#""message_like":"a{1000}{1000}""#);
        let e = parse(&huge_re, "f").unwrap_err().to_string();
        assert!(
            e.starts_with("f:1: expect.message_like is not a valid regex"),
            "{e}"
        );
        assert!(parse("{not json", "f").is_err());
    }

    #[test]
    fn null_body_is_a_body() {
        let c = GOOD.replace(r#"{"StatementId":"s"}"#, "null");
        let cases = parse(&c, "f").unwrap();
        assert_eq!(cases[0].request.body, Some(Value::Null));
        assert_eq!(cases[0].body_bytes(), b"null");
    }

    #[test]
    fn placeholders_replace_everywhere() {
        let p = Placeholders {
            current_revision: Some("r1".into()),
            ..Placeholders::default()
        };
        assert_eq!(
            p.apply("arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:f ${CURRENT_REVISION}"),
            "arn:aws:lambda:us-east-1:123456789012:function:f r1"
        );
        let v = p.apply_json(&serde_json::json!({"a": ["${ACCOUNT}"], "${REGION}": 1}));
        assert_eq!(
            v,
            serde_json::json!({"a": ["123456789012"], "us-east-1": 1})
        );
    }
}
