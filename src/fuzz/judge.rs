//! What counts as a robustness finding, and what does not.
//!
//! A finding is something no Lambda implementation may do whatever the request: answer 5xx,
//! hang past the time-out, drop the connection or answer bytes that are not HTTP, or accept a
//! request with a statement that is not the one asked for. Answering a request differently from
//! AWS (a 201 where AWS says 400, another 4xx error type or message) is NOT a finding here: that
//! is conformance, which `addperm check` judges, and flagging it would bury the crashes.
//!
//! A 2xx is held only to what the request itself pins down. Members the request sends as
//! strings must come back as sent (Sid, Action); `Effect` is always `Allow`. Where the reference
//! accepts the request too, its statement also fixes `Resource` (the function's ARN, with the
//! qualifier when qualified) and the principal's shape. A target that accepts a request AWS
//! rejects is judged only on what the request says, never on what AWS would have built.

use crate::case::Request;
use crate::target::{Observed, TargetError};
use serde_json::Value;

/// The kind of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symptom {
    /// A 5xx answer.
    ServerError,
    /// No complete answer within the time-out.
    Timeout,
    /// The connection was reset or closed before a complete answer.
    Reset,
    /// The answer was not valid HTTP.
    Unparseable,
    /// An answer larger than `--max-response-bytes`.
    Oversized,
    /// The target refused connections (it may have died on this or the previous request).
    Refused,
    /// A 2xx whose statement breaks the contract.
    BadStatement,
}

impl Symptom {
    pub fn name(self) -> &'static str {
        match self {
            Symptom::ServerError => "server-error",
            Symptom::Timeout => "timeout",
            Symptom::Reset => "reset",
            Symptom::Unparseable => "unparseable",
            Symptom::Oversized => "oversized",
            Symptom::Refused => "refused",
            Symptom::BadStatement => "bad-statement",
        }
    }
}

/// Why an answer is a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub symptom: Symptom,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// For people: what exactly is wrong.
    pub detail: String,
    /// The stable part of the answer that tells findings apart (see `findings::signature`):
    /// the error type or the first line of the body for a 5xx, the broken field of a statement.
    pub what: String,
    /// The first 200 bytes of the body.
    pub body: String,
}

/// Judges one answer. `reference` is the statement the reference returns for the same request
/// (with the target's account, region and partition), or `None` where it does not accept it.
pub fn judge(
    asked: &Request,
    answer: Result<&Observed, &TargetError>,
    reference: Option<&Value>,
) -> Option<Flag> {
    let o = match answer {
        Ok(o) => o,
        Err(e) => return Some(transport(e)),
    };
    let body = first_bytes(&o.body_excerpt, 200);
    let flag = |symptom, detail: String, what: String| Flag {
        symptom,
        status: Some(o.status),
        detail,
        what,
        body: body.clone(),
    };
    if o.status >= 500 {
        let what = o
            .error_type
            .clone()
            .unwrap_or_else(|| first_line(&o.body_excerpt));
        return Some(flag(
            Symptom::ServerError,
            format!("answered {}", o.status),
            normalise(&what),
        ));
    }
    if !(200..300).contains(&o.status) {
        return None;
    }
    statement_problem(asked, o, reference)
        .map(|(field, detail)| flag(Symptom::BadStatement, detail, field.to_string()))
}

/// A transport failure as a finding.
fn transport(e: &TargetError) -> Flag {
    let symptom = match e {
        TargetError::Connect(_) => Symptom::Refused,
        TargetError::Timeout(_) => Symptom::Timeout,
        TargetError::Reset(_) => Symptom::Reset,
        TargetError::TooLarge(_) => Symptom::Oversized,
        TargetError::Protocol(_) => Symptom::Unparseable,
    };
    Flag {
        symptom,
        status: None,
        detail: e.to_string(),
        what: String::new(),
        body: String::new(),
    }
}

/// The first thing wrong with a 2xx's statement: (the field, what is wrong).
fn statement_problem(
    asked: &Request,
    o: &Observed,
    reference: Option<&Value>,
) -> Option<(&'static str, String)> {
    if let Some(problem) = &o.body_problem {
        if o.statement_raw
            .as_deref()
            .is_some_and(echoes_lone_surrogate)
            || too_deep(problem)
        {
            return None;
        }
        return Some(("Statement", format!("{}: {problem}", o.status)));
    }
    let Some(statement) = &o.statement else {
        return Some((
            "Statement",
            format!("{} without a \"Statement\" string", o.status),
        ));
    };
    if !statement.is_object() {
        return Some(("Statement", "the Statement is not a JSON object".into()));
    }
    let got = |k: &str| statement.get(k);
    if got("Effect") != Some(&Value::String("Allow".into())) {
        return Some((
            "Effect",
            format!("Effect is {}, not \"Allow\"", shown(got("Effect"))),
        ));
    }
    // What the request pins down: a string member comes back as sent.
    let sent = |k: &str| {
        asked
            .body
            .as_ref()
            .and_then(|b| b.get(k))
            .filter(|v| v.is_string())
    };
    for (field, member) in [("Sid", "StatementId"), ("Action", "Action")] {
        let want = match reference {
            Some(r) => r.get(field),
            None => sent(member),
        };
        if let Some(want) = want {
            if got(field) != Some(want) {
                return Some((
                    field,
                    format!(
                        "{field} is {}, the request asked for {want}",
                        shown(got(field))
                    ),
                ));
            }
        }
    }
    let reference = reference?;
    if got("Resource") != reference.get("Resource") {
        return Some((
            "Resource",
            format!(
                "Resource is {}, not the function's ARN {}",
                shown(got("Resource")),
                shown(reference.get("Resource"))
            ),
        ));
    }
    let shape = |p: Option<&Value>| match p {
        Some(Value::String(s)) if s == "*" => Some(vec!["*".to_string()]),
        Some(Value::Object(m)) if m.values().all(|v| v.is_string() || v.is_array()) => {
            Some(m.keys().cloned().collect())
        }
        _ => None,
    };
    let want = shape(reference.get("Principal"));
    if shape(got("Principal")) != want {
        return Some((
            "Principal",
            format!(
                "Principal is {}, where the request makes it {}",
                shown(got("Principal")),
                shown(reference.get("Principal"))
            ),
        ));
    }
    None
}

/// Whether `raw` is JSON once its surrogate escapes are replaced: a statement that only
/// echoes a lone surrogate (`\ud800`) which the request itself sent. Python writes one as
/// such an escape, strict parsers reject it, and it is no more broken than the request was.
fn echoes_lone_surrogate(raw: &str) -> bool {
    static SURROGATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}").expect("valid regex")
    });
    SURROGATE.is_match(raw)
        && serde_json::from_str::<Value>(&SURROGATE.replace_all(raw, r"\ufffd")).is_ok()
}

/// Whether the statement could not be read only because it nests deeper than serde_json
/// reads (128 levels): JSON that echoes a request nested as deep (LocalStack does), which this
/// judge cannot check and so does not call broken.
fn too_deep(problem: &str) -> bool {
    problem.contains("recursion limit exceeded")
}

fn shown(v: Option<&Value>) -> String {
    v.map_or_else(|| "missing".into(), Value::to_string)
}

/// At most `n` bytes of `s`, cut at a character boundary.
pub fn first_bytes(s: &str, n: usize) -> String {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// The line that names a 5xx: a Python traceback's exception line, an HTML page's title, or
/// the first non-blank line.
fn first_line(body: &str) -> String {
    if let Some(tb) = body.find("Traceback (most recent call last)") {
        let exception = body[tb..]
            .lines()
            .skip(1)
            .find(|l| !l.starts_with(' ') && !l.trim().is_empty());
        if let Some(line) = exception {
            return line.to_string();
        }
    }
    if let (Some(start), Some(end)) = (body.find("<title>"), body.find("</title>")) {
        if start + 7 <= end {
            return body[start + 7..end].to_string();
        }
    }
    body.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(empty body)")
        .to_string()
}

/// A line with what changes from one answer to the next (numbers, ids, quoted values) taken
/// out, so one bug gives one signature.
pub fn normalise(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                chars.next();
            }
            out.push('N');
        } else if c == '\'' || c == '"' {
            for q in chars.by_ref() {
                if q == c {
                    break;
                }
            }
            out.push_str("'…'");
        } else {
            out.push(c);
        }
    }
    out.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(body: Value) -> Request {
        Request {
            function_name: "fuzz-fn".into(),
            qualifier: None,
            body: Some(body),
            raw_body: None,
        }
    }

    fn asked() -> Request {
        request(
            json!({"StatementId": "s1", "Action": "lambda:InvokeFunction",
            "Principal": "s3.amazonaws.com"}),
        )
    }

    fn reference() -> Value {
        json!({"Sid": "s1", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "lambda:InvokeFunction",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:fuzz-fn"})
    }

    /// What `observe` says of a Statement string that does not parse.
    fn observe_problem(raw: &str) -> String {
        let body = json!({ "Statement": raw }).to_string();
        let o = crate::target::observe(&crate::wire::Response {
            status: 201,
            headers: vec![],
            body: body.into_bytes(),
        });
        o.body_problem.unwrap_or_default()
    }

    fn answer(status: u16, statement: Option<Value>) -> Observed {
        Observed {
            status,
            statement_raw: statement.as_ref().map(Value::to_string),
            statement,
            ..Observed::default()
        }
    }

    #[test]
    fn server_errors_and_transport_failures_are_findings() {
        let mut o = answer(500, None);
        o.body_excerpt = "<!doctype html>\n<title>500 Internal Server Error</title>".into();
        let f = judge(&asked(), Ok(&o), None).unwrap();
        assert_eq!((f.symptom, f.status), (Symptom::ServerError, Some(500)));
        assert_eq!(f.what, "N Internal Server Error");
        o.status = 503;
        o.error_type = Some("ServiceException".into());
        assert_eq!(
            judge(&asked(), Ok(&o), None).unwrap().what,
            "ServiceException"
        );
        for (e, kind) in [
            (TargetError::Timeout(100), Symptom::Timeout),
            (TargetError::Reset("eof".into()), Symptom::Reset),
            (
                TargetError::Protocol("garbage".into()),
                Symptom::Unparseable,
            ),
            (TargetError::TooLarge(10), Symptom::Oversized),
            (TargetError::Connect("refused".into()), Symptom::Refused),
        ] {
            assert_eq!(judge(&asked(), Err(&e), None).unwrap().symptom, kind);
        }
    }

    #[test]
    fn conformance_differences_are_not_findings() {
        // A 400 with another error type than AWS's, a 404, a 409: check's business.
        for (status, t) in [
            (400, "InvalidParameterValueException"),
            (404, "X"),
            (409, "Y"),
        ] {
            let mut o = answer(status, None);
            o.error_type = Some(t.into());
            assert_eq!(judge(&asked(), Ok(&o), Some(&reference())), None);
        }
        // A 201 (or moto's 200) where AWS rejects the request: judged only on what it says.
        let wrong_type = request(json!({"StatementId": 1, "Action": "lambda:InvokeFunction",
            "Principal": 5}));
        let echo = json!({"Sid": 1, "Effect": "Allow", "Principal": 5,
            "Action": "lambda:InvokeFunction", "Resource": "arn:whatever"});
        assert_eq!(judge(&wrong_type, Ok(&answer(200, Some(echo))), None), None);
        // The good statement, in another key order and with the principal as moto writes it.
        let mut good = reference();
        good["Principal"] = json!({"Service": ["s3.amazonaws.com"]});
        assert_eq!(
            judge(&asked(), Ok(&answer(201, Some(good))), Some(&reference())),
            None
        );
    }

    #[test]
    fn broken_statements_are_findings() {
        let broken = |field: &str, value: Value| {
            let mut s = reference();
            s[field] = value;
            judge(&asked(), Ok(&answer(201, Some(s))), Some(&reference()))
                .map(|f| (f.symptom, f.what))
        };
        let bad = |what: &str| Some((Symptom::BadStatement, what.to_string()));
        assert_eq!(broken("Sid", json!("other")), bad("Sid"));
        assert_eq!(broken("Effect", json!("Deny")), bad("Effect"));
        assert_eq!(broken("Action", json!("lambda:*")), bad("Action"));
        assert_eq!(
            broken(
                "Resource",
                json!("arn:aws:lambda:us-east-1:123456789012:function:other")
            ),
            bad("Resource")
        );
        assert_eq!(
            broken("Principal", json!("s3.amazonaws.com")),
            bad("Principal")
        );
        assert_eq!(
            broken("Principal", json!({"AWS": "s3.amazonaws.com"})),
            bad("Principal")
        );
        // Without the reference's acceptance, the request's own strings still hold.
        let mut s = reference();
        s["Sid"] = json!("other");
        assert_eq!(
            judge(&asked(), Ok(&answer(200, Some(s))), None).map(|f| f.what),
            Some("Sid".into())
        );
        // A statement that is not JSON, or none at all.
        let mut o = answer(201, None);
        o.body_problem = Some("Statement is not JSON".into());
        assert_eq!(judge(&asked(), Ok(&o), None).unwrap().what, "Statement");
        assert_eq!(
            judge(&asked(), Ok(&answer(200, None)), None).unwrap().what,
            "Statement"
        );
        // Python's echo of a lone surrogate the request sent is not, nor a statement nested too
        // deep to read (LocalStack echoes a member nested 1,000 deep); Infinity is.
        let mut o = answer(201, None);
        o.statement_raw = Some(format!(
            "{{\"Sid\":{}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        ));
        o.body_problem = Some(observe_problem(o.statement_raw.as_deref().unwrap()));
        assert!(o
            .body_problem
            .as_deref()
            .unwrap()
            .contains("recursion limit"));
        assert_eq!(judge(&asked(), Ok(&o), None), None);
        for (raw, finding) in [
            (r#"{"Sid": "\ud800"}"#, false),
            (r#"{"Action": Infinity}"#, true),
        ] {
            let mut o = answer(200, None);
            o.statement_raw = Some(raw.into());
            o.body_problem = Some("Statement is not JSON".into());
            assert_eq!(judge(&asked(), Ok(&o), None).is_some(), finding, "{raw}");
        }
        assert_eq!(
            judge(&asked(), Ok(&answer(201, Some(json!([1])))), None)
                .unwrap()
                .what,
            "Statement"
        );
    }

    #[test]
    fn signature_lines_lose_what_varies() {
        assert_eq!(
            first_line("Traceback (most recent call last):\n  File \"x.py\", line 3\n    f()\nKeyError: 'StatementId'\n"),
            "KeyError: 'StatementId'"
        );
        assert_eq!(normalise("KeyError: 'StatementId'"), "KeyError: '…'");
        assert_eq!(
            normalise("request 42 id 9f8e7d failed"),
            "request N id N failed"
        );
        assert_eq!(first_line("\n\n plain\nmore"), " plain");
        assert_eq!(first_bytes("aé", 2), "a");
    }
}
