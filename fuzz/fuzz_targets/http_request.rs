//! `http_request`: the emulator's request handling, `addperm::wire::route::handle`, on any bytes.
//!
//! `addperm serve` answers every HTTP request by calling `handle(&mut reference, method, target,
//! body)` under its lock (`src/serve/service.rs`); only the socket and hyper's parsing are
//! outside. Clients of the emulator are SDKs, test suites and other fuzzers, so it must answer
//! anything with an answer an SDK can read. For every request this target checks:
//! - no panic (the server would turn one into a 500, hiding the bug);
//! - a status the emulator can answer: 200, 201 or 204 for a success, the status of one of the
//!   contract's error types (`ErrorKind::ALL`), or the front end's own 405 (wrong method) and
//!   413 (body over `MAX_REQUEST_BODY_BYTES`); never 5xx, which would mean an internal error;
//! - the body: empty on a 204, otherwise a JSON object;
//! - on every non-2xx, a non-blank `x-amzn-ErrorType` that agrees with the status and the body:
//!   for a contract error type, its status and exactly its body keys (`Type: "User"` and the
//!   model's `message`/`Message` casing); for the front end's routing and size errors, a body
//!   with just a `message`; no error type on a 2xx;
//! - a 201 from AddPermission carries a `Statement` string that parses to a JSON object;
//! - whatever routes to an operation routes back to the same operation from its own HTTP form
//!   (`Operation::to_http`), so clients building requests with `to_http` reach what they mean.
//!
//! Input: up to [`MAX_REQUESTS`] requests separated by a 0xFF byte (never in UTF-8 text), each
//! `METHOD SP TARGET LF BODY`, run in order against one reference (`fuzz_reference()`: function
//! `fuzz-fn` with version 1, alias `live` and one permission), so earlier requests can create the
//! functions, versions and policies later ones need. The seeds (`fuzz/seed.sh`) are the curated
//! cases in that form: their `given` state as requests, then the AddPermission request.
#![no_main]

use addperm::contract::ErrorKind;
use addperm::generate::arbitrary::fuzz_reference;
use addperm::wire::route::{handle, route};
use addperm::wire::{Operation, Response};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Requests per input: enough for the largest curated case's setup and request (24 requests);
/// more only makes inputs longer without reaching new code.
const MAX_REQUESTS: usize = 32;

/// The front end's own error types (`wire::route`), with their statuses: routing and size
/// errors are answered before the reference, so they are not in the contract's error list.
const FRONT_END_ERRORS: [(&str, &[u16]); 2] = [
    ("UnknownOperationException", &[404, 405]),
    ("RequestEntityTooLargeException", &[413]),
];

fuzz_target!(|data: &[u8]| {
    let mut reference = fuzz_reference();
    for record in data.splitn(MAX_REQUESTS, |&b| b == 0xFF) {
        let (head, body) = match record.iter().position(|&b| b == b'\n') {
            Some(i) => (&record[..i], &record[i + 1..]),
            None => (record, &[][..]),
        };
        let head = String::from_utf8_lossy(head);
        let (method, target) = head.split_once(' ').unwrap_or((&head, ""));
        let op = route(method, target, body).ok();
        if let Some(op) = &op {
            round_trips(op, method, target);
        }
        let response = handle(&mut reference, method, target, body);
        let add = matches!(op, Some(Operation::AddPermission(_)));
        check(&response, add, method, target);
    }
});

/// `route` and `Operation::to_http` agree: an operation's HTTP form routes to the operation.
fn round_trips(op: &Operation, method: &str, target: &str) {
    let http = op.to_http();
    match route(http.method, &http.path_and_query(), &http.body) {
        Ok(again) => assert_eq!(&again, op, "{method} {target} -> {http:?}"),
        Err(r) => panic!(
            "{method} {target} routed to {op:?}, whose HTTP form {http:?} answers {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        ),
    }
}

/// `add`: the request routed to AddPermission, whose 201 carries a Statement.
fn check(r: &Response, add: bool, method: &str, target: &str) {
    let context = || {
        format!(
            "{method} {target} -> {} {:?} {}",
            r.status,
            r.headers,
            String::from_utf8_lossy(&r.body)
        )
    };
    let error_type = r.header("x-amzn-errortype");
    if (200..300).contains(&r.status) {
        assert!(
            [200, 201, 204].contains(&r.status),
            "unknown success: {}",
            context()
        );
        assert_eq!(error_type, None, "error type on a success: {}", context());
        if r.status == 204 {
            assert!(r.body.is_empty(), "body on a 204: {}", context());
            return;
        }
        let body = json_object(r, &context);
        if r.status == 201 && add {
            let statement = body
                .get("Statement")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("201 without a Statement string: {}", context()));
            let parsed: Value = serde_json::from_str(statement)
                .unwrap_or_else(|e| panic!("Statement is not JSON ({e}): {}", context()));
            assert!(parsed.is_object(), "Statement not an object: {}", context());
        }
        return;
    }
    let error_type = error_type.unwrap_or_else(|| panic!("no x-amzn-ErrorType: {}", context()));
    assert!(
        !error_type.trim().is_empty(),
        "blank error type: {}",
        context()
    );
    let body = json_object(r, &context);
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if let Some(kind) = ErrorKind::from_name(error_type) {
        assert_eq!(r.status, kind.status(), "status vs type: {}", context());
        assert!(r.status < 500, "an internal error: {}", context());
        let mut expected = vec![kind.message_key()];
        if kind.has_type_member() {
            expected.push("Type");
            expected.sort_unstable();
            assert_eq!(body["Type"], "User", "Type member: {}", context());
        }
        assert_eq!(keys, expected, "body keys vs type: {}", context());
        assert!(
            body[kind.message_key()].is_string(),
            "message not a string: {}",
            context()
        );
    } else {
        let (_, statuses) = FRONT_END_ERRORS
            .iter()
            .find(|(name, _)| *name == error_type)
            .unwrap_or_else(|| panic!("unknown error type: {}", context()));
        assert!(
            statuses.contains(&r.status),
            "status vs type: {}",
            context()
        );
        assert_eq!(keys, ["message"], "front-end error body: {}", context());
        assert!(body["message"].is_string(), "message: {}", context());
    }
}

fn json_object(r: &Response, context: &dyn Fn() -> String) -> serde_json::Map<String, Value> {
    assert_eq!(
        r.header("content-type"),
        Some("application/json"),
        "content type: {}",
        context()
    );
    match serde_json::from_slice(&r.body) {
        Ok(Value::Object(map)) => map,
        _ => panic!("body is not a JSON object: {}", context()),
    }
}
