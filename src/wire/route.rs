//! From HTTP bytes to an [`Operation`]: the routing half of `addperm serve`.
//!
//! [`handle`] is the whole emulator minus the socket: method, request target and body bytes in,
//! the response out. `addperm serve` and the fuzz targets call the same function, so whatever a
//! fuzzer proves about it holds for the server. Nothing here panics or answers 5xx, whatever the
//! bytes: an unknown path is a 404, a wrong method a 405, an oversized body a 413, all with a
//! JSON body and `x-amzn-ErrorType` like AWS's own errors.
//!
//! Decoding is deliberately lenient where AWS's front end is (an invalid `%` escape stays as
//! written, bytes that are not UTF-8 become U+FFFD) and leaves judging the values to the
//! reference, so a malformed name reaches the same validation it would in AWS.

use super::{error_response, execute, Operation, Response, API_PREFIX};
use crate::contract::{ErrorKind, Rule, MAX_REQUEST_BODY_BYTES};
use crate::reference::{AddPermissionRequest, Body, LambdaError, Reference};
use serde_json::{Map, Value};

/// Answers one HTTP request with the reference's state: routes it, then executes it.
pub fn handle(reference: &mut Reference, method: &str, target: &str, body: &[u8]) -> Response {
    match route(method, target, body) {
        Ok(op) => execute(reference, &op),
        Err(response) => response,
    }
}

/// The operation an HTTP request asks for, or the error response when it asks for none.
pub fn route(method: &str, target: &str, body: &[u8]) -> Result<Operation, Response> {
    // Lambda's own limit; it also bounds the memory a concurrent fuzzer can make `serve` hold.
    if body.len() > MAX_REQUEST_BODY_BYTES {
        return Err(too_large());
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let segments = path_segments(path).ok_or_else(|| unknown_operation(method, path))?;
    let allowed: &[&str] = match segments.as_slice() {
        [] => &["POST"],
        [_] => &["GET", "DELETE"],
        [_, "versions"] | [_, "aliases"] => &["POST"],
        [_, "configuration"] => &["PUT"],
        [_, "aliases", _] => &["GET"],
        [_, "policy"] => &["POST", "GET"],
        [_, "policy", _] => &["DELETE"],
        _ => return Err(unknown_operation(method, path)),
    };
    if !allowed.contains(&method) {
        return Err(method_not_allowed(method, path, allowed));
    }
    let name = || decode(segments[0], false);
    let qualifier = || query_param(query, "Qualifier");
    Ok(match (method, segments.as_slice()) {
        ("POST", []) => Operation::CreateFunction {
            name: required_string(&json_object(body)?, "FunctionName", "functionName")?,
        },
        ("GET", [_]) => Operation::GetFunction {
            name: name(),
            qualifier: qualifier(),
        },
        ("DELETE", [_]) => Operation::DeleteFunction { name: name() },
        ("POST", [_, "versions"]) => Operation::PublishVersion { name: name() },
        ("PUT", [_, "configuration"]) => Operation::UpdateFunctionConfiguration {
            name: name(),
            description: json_object(body)?
                .get("Description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        },
        ("POST", [_, "aliases"]) => {
            let members = json_object(body)?;
            Operation::CreateAlias {
                name: name(),
                alias: required_string(&members, "Name", "name")?,
                version: required_string(&members, "FunctionVersion", "functionVersion")?,
            }
        }
        ("GET", [_, "aliases", alias]) => Operation::GetAlias {
            name: name(),
            alias: decode(alias, false),
        },
        ("POST", [_, "policy"]) => Operation::AddPermission(AddPermissionRequest {
            function_name: name(),
            qualifier: qualifier(),
            // Raw bytes: the reference judges malformed JSON itself, as AWS does.
            body: Body::Raw(body.to_vec()),
        }),
        ("GET", [_, "policy"]) => Operation::GetPolicy {
            function_name: name(),
            qualifier: qualifier(),
        },
        (_, [_, "policy", sid]) => Operation::RemovePermission {
            function_name: name(),
            statement_id: decode(sid, false),
            qualifier: qualifier(),
            revision_id: query_param(query, "RevisionId"),
        },
        // Every (method, shape) pair `allowed` admits is matched above.
        _ => return Err(method_not_allowed(method, path, allowed)),
    })
}

/// The raw (still encoded) segments after [`API_PREFIX`]: `[]` for the collection itself.
/// `None` for a path outside the API or with an empty segment (`//`, a trailing `/`).
fn path_segments(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix(API_PREFIX)?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let segments: Vec<&str> = rest.strip_prefix('/')?.split('/').collect();
    // An empty FunctionName (`/functions//policy`) is routed, so the reference answers it with
    // the same ValidationException the in-process target gives; other segments must be present.
    let named = segments.len() > 1 || !segments[0].is_empty();
    (named && segments.iter().skip(1).all(|s| !s.is_empty())).then_some(segments)
}

/// Percent-decodes `s`. An escape that is not `%` + two hex digits stays as written; in a
/// query (`plus_is_space`), `+` is a space as in form encoding.
fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i + 1..i + 3) {
            Some([h, l]) if bytes[i] == b'%' => hex(*h).zip(hex(*l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') if plus_is_space => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The first value of query parameter `key`. `?Qualifier=` and a bare `?Qualifier` are both
/// `Some("")`: present and empty, which the reference must judge (AWS rejects it).
fn query_param(query: &str, key: &str) -> Option<String> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(k, _)| decode(k, true) == key)
        .map(|(_, v)| decode(v, true))
}

/// The body of CreateFunction or CreateAlias as a JSON object (an empty body is `{}`).
fn json_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let unparseable = |detail: String| {
        error_response(&LambdaError::new(
            ErrorKind::InvalidRequestContent,
            Rule::MalformedBody,
            format!("Could not parse request body into json: {detail}"),
        ))
    };
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(unparseable("expected a JSON object".into())),
        Err(e) => Err(unparseable(e.to_string())),
    }
}

/// A required string member, with AWS's errors for a missing one (ValidationException, which
/// names the member in lower camel case) and a wrongly typed one (InvalidRequestContent).
fn required_string(
    members: &Map<String, Value>,
    name: &str,
    camel: &str,
) -> Result<String, Response> {
    match members.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(error_response(&LambdaError::new(
            ErrorKind::Validation,
            Rule::Validation,
            format!("1 validation error detected: Value null at '{camel}' failed to satisfy constraint: Member must not be null"),
        ))),
        Some(_) => Err(error_response(&LambdaError::new(
            ErrorKind::InvalidRequestContent,
            Rule::WrongJsonType,
            format!("Could not parse request body into json: member {name} must be a string"),
        ))),
    }
}

/// The longest piece of a client's path quoted back in an error message.
const QUOTE_LIMIT: usize = 200;

fn quoted(path: &str) -> String {
    path.chars().take(QUOTE_LIMIT).collect()
}

/// An error that is not the reference's: routing and size limits, AWS-shaped.
fn front_end_error(status: u16, error_type: &str, message: String) -> Response {
    let mut r = Response::json(
        status,
        serde_json::json!({ "message": message }).to_string(),
    );
    r.headers
        .push(("x-amzn-errortype".into(), error_type.into()));
    r
}

fn unknown_operation(method: &str, path: &str) -> Response {
    front_end_error(
        404,
        "UnknownOperationException",
        format!(
            "No Lambda operation matches {} {}",
            quoted(method),
            quoted(path)
        ),
    )
}

fn method_not_allowed(method: &str, path: &str, allowed: &[&str]) -> Response {
    let mut r = front_end_error(
        405,
        "UnknownOperationException",
        format!(
            "{} is not supported on {}; use {}",
            quoted(method),
            quoted(path),
            allowed.join(" or ")
        ),
    );
    r.headers.push(("allow".into(), allowed.join(", ")));
    r
}

/// The answer to a body over [`MAX_REQUEST_BODY_BYTES`], with Lambda's error type and message.
pub fn too_large() -> Response {
    front_end_error(
        413,
        "RequestEntityTooLargeException",
        format!("Request must be smaller than {MAX_REQUEST_BODY_BYTES} bytes"),
    )
}

#[cfg(test)]
mod tests;
