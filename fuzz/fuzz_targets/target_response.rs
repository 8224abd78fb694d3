//! `target_response`: the runner's reading of a target's answer, `addperm::target::observe`.
//!
//! A target under test may answer anything: HTML error pages, truncated JSON, odd headers, a
//! `Statement` that is not JSON. The runner must classify it without panicking, or one bad
//! answer would abort a whole run and hide every other result. Beyond "never panics", this
//! target checks the classification's invariants:
//! - the status is carried over and the content type is the `content-type` header;
//! - an error type and message are only read from non-2xx answers, and an error type is never
//!   blank;
//! - a parsed statement only comes from a `Statement` string that parses to exactly it, on a 2xx;
//! - the body excerpt is a bounded prefix of the body text.
//!
//! The response is built with `arbitrary`: a status (common ones or any `u16`), a header list
//! (the names `observe` reads, in any case, or any name) and a body (raw bytes, or a JSON object
//! with the keys `observe` reads and values of every JSON type, optionally truncated).
#![no_main]

use addperm::target::observe;
use addperm::wire::Response;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

#[derive(Arbitrary, Debug)]
struct Input {
    status: Status,
    headers: Vec<(HeaderName, bool, String)>,
    body: Body,
}

#[derive(Arbitrary, Debug)]
enum Status {
    Common(u8),
    Any(u16),
}

#[derive(Arbitrary, Debug)]
enum HeaderName {
    ContentType,
    ErrorType,
    Rule,
    RequestId,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Body {
    Raw(Vec<u8>),
    Text(String),
    Json {
        fields: Vec<(Key, Val)>,
        /// Keep only this many bytes of the serialised object, when set.
        truncate: Option<u16>,
        /// Leading/trailing white space (ASCII, or JSON-invalid like form feed).
        pad: u8,
    },
}

#[derive(Arbitrary, Debug)]
enum Key {
    DunderType,
    Type,
    Code,
    LowerMessage,
    Message,
    Statement,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Val {
    Str(String),
    /// A string holding a JSON statement (what a 201 carries).
    StatementText(Vec<(String, String)>),
    /// A `__type`-like string.
    Qualified(String, String),
    Num(i64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<String>),
}

const COMMON: &[u16] = &[
    200, 201, 204, 299, 300, 400, 403, 404, 409, 412, 429, 500, 502, 503, 100, 0,
];

fuzz_target!(|input: Input| {
    let resp = build(input);
    let o = observe(&resp);
    let success = (200..300).contains(&resp.status);

    assert_eq!(o.status, resp.status);
    assert_eq!(o.content_type.as_deref(), resp.header("content-type"));
    if success {
        assert_eq!(o.error_type, None, "error type on a 2xx: {resp:?}");
        assert_eq!(o.message, None, "message on a 2xx: {resp:?}");
    }
    if let Some(t) = &o.error_type {
        assert!(!t.trim().is_empty(), "blank error type {t:?}: {resp:?}");
    }
    if let Some(st) = &o.statement {
        assert!(success, "statement on a non-2xx: {resp:?}");
        let raw = o
            .statement_raw
            .as_deref()
            .expect("a statement comes with its raw text");
        let reparsed: Value = serde_json::from_str(raw).expect("the raw statement parses");
        assert_eq!(&reparsed, st);
    }
    if o.statement_raw.is_some() {
        assert!(success, "statement text on a non-2xx: {resp:?}");
        assert!(
            o.statement.is_some() || o.body_problem.is_some(),
            "unparsed statement unexplained"
        );
    }
    let text = String::from_utf8_lossy(&resp.body);
    assert!(o.body_excerpt.chars().count() <= 300);
    assert!(text.starts_with(&o.body_excerpt));
});

fn build(input: Input) -> Response {
    let status = match input.status {
        Status::Common(i) => COMMON[usize::from(i) % COMMON.len()],
        Status::Any(s) => s,
    };
    let headers = input
        .headers
        .into_iter()
        .map(|(name, upper, value)| {
            let name = match name {
                HeaderName::ContentType => "content-type".to_string(),
                HeaderName::ErrorType => "x-amzn-errortype".to_string(),
                HeaderName::Rule => addperm::wire::RULE_HEADER.to_string(),
                HeaderName::RequestId => "x-amzn-requestid".to_string(),
                HeaderName::Other(n) => n,
            };
            (
                if upper {
                    name.to_ascii_uppercase()
                } else {
                    name
                },
                value,
            )
        })
        .collect();
    let body = match input.body {
        Body::Raw(b) => b,
        Body::Text(t) => t.into_bytes(),
        Body::Json {
            fields,
            truncate,
            pad,
        } => {
            let mut map = Map::new();
            for (k, v) in fields {
                let key = match k {
                    Key::DunderType => "__type".to_string(),
                    Key::Type => "Type".to_string(),
                    Key::Code => "code".to_string(),
                    Key::LowerMessage => "message".to_string(),
                    Key::Message => "Message".to_string(),
                    Key::Statement => "Statement".to_string(),
                    Key::Other(s) => s,
                };
                let value = match v {
                    Val::Str(s) => Value::String(s),
                    Val::StatementText(kv) => {
                        let obj: Map<String, Value> =
                            kv.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
                        Value::String(Value::Object(obj).to_string())
                    }
                    Val::Qualified(ns, name) => Value::String(format!("{ns}#{name}")),
                    Val::Num(n) => Value::from(n),
                    Val::Float(f) => Value::from(f),
                    Val::Bool(b) => Value::Bool(b),
                    Val::Null => Value::Null,
                    Val::List(l) => Value::from(l),
                };
                map.insert(key, value);
            }
            let mut bytes = Value::Object(map).to_string().into_bytes();
            if let Some(n) = truncate {
                bytes.truncate(usize::from(n));
            }
            let pad: &[u8] = match pad % 4 {
                0 => b"",
                1 => b" \n",
                2 => b"\t\r\n ",
                _ => b"\x0C",
            };
            [pad, &bytes, pad].concat()
        }
    };
    Response {
        status,
        headers,
        body,
    }
}
