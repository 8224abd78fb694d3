//! Reading a target's answer: status, error type, message and statement, from any bytes.
//!
//! A target may answer anything (HTML error pages, truncated JSON, a statement that is not
//! JSON). Nothing here fails: what cannot be read is left `None` and explained in
//! [`Observed::body_problem`], so the comparison can report it.

use crate::wire::Response;
use serde_json::Value;

/// What a target's response says, as far as it can be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observed {
    pub status: u16,
    /// Error short name (for non-2xx answers).
    pub error_type: Option<String>,
    pub message: Option<String>,
    /// The `Statement` string exactly as sent (201 answers).
    pub statement_raw: Option<String>,
    /// The `Statement` string parsed as JSON.
    pub statement: Option<Value>,
    pub content_type: Option<String>,
    /// The reference rule behind the answer, when the target is the reference.
    pub rule: Option<String>,
    /// Why the body could not be read, if it could not.
    pub body_problem: Option<String>,
    /// The start of the body, for reports.
    pub body_excerpt: String,
}

const EXCERPT: usize = 300;

/// Classifies a response per the case format: error type from `x-amzn-ErrorType` (text before
/// the first `:`), else the body's `__type` (text after the last `#`), else `Type`/`code`.
pub fn observe(resp: &Response) -> Observed {
    let text = String::from_utf8_lossy(&resp.body);
    let mut o = Observed {
        status: resp.status,
        content_type: resp.header("content-type").map(str::to_string),
        rule: resp.header(crate::wire::RULE_HEADER).map(str::to_string),
        body_excerpt: text.chars().take(EXCERPT).collect(),
        ..Observed::default()
    };
    let body: Option<Value> = if resp.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice(&resp.body) {
            Ok(v) => Some(v),
            Err(e) => {
                o.body_problem = Some(format!("body is not JSON: {e}"));
                None
            }
        }
    };
    let field = |k: &str| {
        body.as_ref()
            .and_then(|b| b.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let success = (200..300).contains(&resp.status);
    if !success {
        // A blank value names no error type: the next source is read instead.
        let named = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        o.error_type = resp
            .header("x-amzn-errortype")
            .and_then(|h| named(h.split(':').next().unwrap_or_default()))
            .or_else(|| {
                field("__type").and_then(|t| named(t.rsplit('#').next().unwrap_or_default()))
            })
            .or_else(|| field("Type").and_then(|t| named(&t)))
            .or_else(|| field("code").and_then(|t| named(&t)));
        o.message = field("message").or_else(|| field("Message"));
    } else if resp.status == 201 || field("Statement").is_some() {
        match field("Statement") {
            Some(raw) => {
                match serde_json::from_str::<Value>(&raw) {
                    Ok(v) => o.statement = Some(v),
                    Err(e) => {
                        o.body_problem = Some(format!("Statement is not JSON: {e}"));
                    }
                }
                o.statement_raw = Some(raw);
            }
            None if o.body_problem.is_none() => {
                o.body_problem = Some("body has no \"Statement\" string".into());
            }
            None => {}
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn error_type_sources_in_order() {
        let o = observe(&resp(
            404,
            &[(
                "X-Amzn-ErrorType",
                "ResourceNotFoundException:http://internal.amazon.com/coral/",
            )],
            r#"{"Type":"User","Message":"gone"}"#,
        ));
        assert_eq!(o.error_type.as_deref(), Some("ResourceNotFoundException"));
        assert_eq!(o.message.as_deref(), Some("gone"));
        let o = observe(&resp(
            400,
            &[],
            r#"{"__type":"com.amazon#ValidationException","message":"m"}"#,
        ));
        assert_eq!(o.error_type.as_deref(), Some("ValidationException"));
        let o = observe(&resp(400, &[], r#"{"code":"X"}"#));
        assert_eq!(o.error_type.as_deref(), Some("X"));
    }

    #[test]
    fn a_blank_error_type_is_no_error_type() {
        // Found by the target_response fuzz target: `{"__type":""}` gave Some("").
        let o = observe(&resp(503, &[], r#"{"__type":""}"#));
        assert_eq!(o.error_type, None);
        let o = observe(&resp(400, &[], r#"{"__type":"ns#","Type":" ","code":"X"}"#));
        assert_eq!(o.error_type.as_deref(), Some("X"));
        let o = observe(&resp(
            400,
            &[("x-amzn-errortype", " :x")],
            r#"{"__type":"a#B "}"#,
        ));
        assert_eq!(o.error_type.as_deref(), Some("B"));
    }

    #[test]
    fn statements_and_garbage() {
        let o = observe(&resp(201, &[], r#"{"Statement":"{\"Sid\":\"a\"}"}"#));
        assert_eq!(o.statement, Some(serde_json::json!({"Sid": "a"})));
        assert_eq!(o.statement_raw.as_deref(), Some(r#"{"Sid":"a"}"#));
        let o = observe(&resp(201, &[], "<html>"));
        assert!(o.body_problem.unwrap().contains("not JSON"));
        let o = observe(&resp(201, &[], r#"{"Statement":"{"}"#));
        assert!(o.body_problem.unwrap().contains("Statement is not JSON"));
        let o = observe(&Response {
            status: 500,
            headers: vec![],
            body: vec![0xff, 0xfe],
        });
        assert_eq!(o.error_type, None);
        assert!(o.body_problem.is_some());
    }
}
