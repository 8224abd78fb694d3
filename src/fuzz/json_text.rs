//! JSON written by hand: bodies whose member values are raw text, which need not be JSON (a
//! `NaN`, a lone surrogate escape, an unterminated string), and the same JSON with every
//! character escaped. serde_json cannot write either, and both must stay case-expressible as
//! a `raw_body` string.

use serde_json::{Map, Value};

/// The JSON type of `v`, with its article, for notes.
pub(super) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The members as (key, JSON text of the value).
pub(super) fn members_text(members: &Map<String, Value>) -> Vec<(String, String)> {
    members
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

/// The members with `key`'s value written as the raw text `value` (added if absent).
pub(super) fn replaced(
    members: &Map<String, Value>,
    key: &str,
    value: String,
) -> Vec<(String, String)> {
    let mut parts = members_text(members);
    match parts.iter_mut().find(|(k, _)| k == key) {
        Some(part) => part.1 = value,
        None => parts.push((key.to_string(), value)),
    }
    parts
}

/// A JSON object written from keys and raw value texts (which need not be JSON).
pub(super) fn object_text(parts: &[(String, String)]) -> String {
    let members: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::String(k.clone())))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// `text` with every character inside strings written as a `\uXXXX` escape (the same JSON).
pub(super) fn escape_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 6);
    let mut in_string = false;
    // Characters still to copy as they are: the rest of an escape already in the text.
    let mut verbatim = 0;
    for c in text.chars() {
        if !in_string {
            in_string = c == '"';
            out.push(c);
            continue;
        }
        if verbatim > 0 {
            verbatim -= 1;
            if c == 'u' {
                verbatim = 4;
            }
            out.push(c);
        } else if c == '\\' {
            verbatim = 1;
            out.push(c);
        } else if c == '"' {
            in_string = false;
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The largest char boundary of `s` at or below `at`.
pub(super) fn char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_members_and_escapes() {
        let members = json!({"StatementId": "s", "Action": "a\u{0}é😀"});
        let members = members.as_object().unwrap();
        let text = object_text(&replaced(members, "StatementId", "NaN".into()));
        assert_eq!(text, r#"{"StatementId":NaN,"Action":"a\u0000é😀"}"#);
        let added = object_text(&replaced(members, "X", "[1]".into()));
        assert!(added.ends_with(r#","X":[1]}"#), "{added}");
        let escaped = escape_all(&Value::Object(members.clone()).to_string());
        assert!(escaped.is_ascii(), "{escaped}");
        assert!(escaped.contains(r"\ud83d\ude00"), "{escaped}");
        assert_eq!(
            serde_json::from_str::<Value>(&escaped).unwrap(),
            Value::Object(members.clone())
        );
        assert_eq!(char_boundary("aé", 2), 1);
    }
}
