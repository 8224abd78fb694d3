//! A session's names for a case's functions, and the answer read back under the case's names.

use crate::case::Expect;
use crate::outcome::Difference;
use crate::target::Observed;

/// A session's name for the request's function: the answer is judged under the target's name,
/// and reported under the case's.
///
/// Names appear as `:function:NAME` (in ARNs). Statements and messages hold them literally;
/// a `message_like` is a regex, where generated ones escape the name (`seq\-a`) and curated
/// ones may not, so regexes are rewritten in both spellings and plain text in the literal one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renaming {
    /// `:function:<case name>` and `:function:<target name>`.
    case: String,
    target: String,
    /// The names quoted alone, as validation messages quote a FunctionName: `'<name>'`.
    case_quoted: String,
    target_quoted: String,
}

impl Renaming {
    pub fn new(case_name: &str, target_name: &str) -> Renaming {
        Renaming {
            case: format!(":function:{case_name}"),
            target: format!(":function:{target_name}"),
            case_quoted: format!("'{case_name}'"),
            target_quoted: format!("'{target_name}'"),
        }
    }

    /// A regex matching the case's names made to match the target's instead. The target's
    /// name starts with the case's, so a name without regex metacharacters (whose two
    /// spellings are one) is replaced once, never again inside its own replacement.
    fn regex_to_target(&self, re: &str) -> String {
        let escaped = regex::escape(&self.case);
        if escaped == self.case {
            return self.text_to_target(re);
        }
        re.replace(&escaped, &regex::escape(&self.target))
            .replace(&self.case, &self.target)
    }

    /// [`Renaming::regex_to_target`] undone.
    fn regex_to_case(&self, re: &str) -> String {
        re.replace(&regex::escape(&self.target), &regex::escape(&self.case))
            .replace(&self.target, &self.case)
    }

    fn text_to_target(&self, s: &str) -> String {
        s.replace(&self.case, &self.target)
    }

    fn text_to_case(&self, s: &str) -> String {
        s.replace(&self.target, &self.case)
            .replace(&self.target_quoted, &self.case_quoted)
    }

    /// The expectation with the target's names.
    pub fn expect(&self, e: &Expect) -> Expect {
        Expect {
            message_like: e.message_like.as_deref().map(|m| self.regex_to_target(m)),
            statement: e
                .statement
                .as_ref()
                .map(|s| rename_in_json(s, &|x| self.text_to_target(x))),
            ..e.clone()
        }
    }

    /// A difference found under the target's names, told with the case's. Only the expected
    /// message is a regex (`/.../`).
    pub fn difference_back(&self, d: Difference) -> Difference {
        let expected = if d.field == "message" {
            self.regex_to_case(&d.expected)
        } else {
            self.text_to_case(&d.expected)
        };
        Difference {
            expected,
            actual: self.text_to_case(&d.actual),
            ..d
        }
    }

    /// A JSON value (a stored statement) with the case's names.
    pub fn value_back(&self, v: &serde_json::Value) -> serde_json::Value {
        rename_in_json(v, &|x| self.text_to_case(x))
    }

    /// The answer with the case's names.
    pub fn observed_back(&self, o: Observed) -> Observed {
        Observed {
            message: o.message.map(|m| self.text_to_case(&m)),
            statement_raw: o.statement_raw.map(|s| self.text_to_case(&s)),
            statement: o
                .statement
                .map(|v| rename_in_json(&v, &|x| self.text_to_case(x))),
            body_excerpt: self.text_to_case(&o.body_excerpt),
            ..o
        }
    }
}

/// `v` with `rename` applied to every string value (keys are member names, never renamed).
fn rename_in_json(v: &serde_json::Value, rename: &dyn Fn(&str) -> String) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(rename(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| rename_in_json(x, rename)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), rename_in_json(x, rename)))
                .collect(),
        ),
        other => other.clone(),
    }
}
