use super::*;
use crate::reference::Config;
use proptest::prelude::*;
use serde_json::json;

fn op(method: &str, target: &str, body: &str) -> Operation {
    match route(method, target, body.as_bytes()) {
        Ok(op) => op,
        Err(r) => panic!(
            "{method} {target} answered {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        ),
    }
}

fn err(method: &str, target: &str, body: &[u8]) -> Response {
    match route(method, target, body) {
        Ok(op) => panic!("{method} {target} routed to {op:?}"),
        Err(r) => r,
    }
}

/// Every operation survives the trip to HTTP and back unchanged.
#[test]
fn every_operation_round_trips() {
    let add = |qualifier: Option<&str>| {
        Operation::AddPermission(AddPermissionRequest {
            function_name: "arn:aws:lambda:us-east-1:123456789012:function:f:live".into(),
            qualifier: qualifier.map(str::to_string),
            body: Body::Raw(br#"{"StatementId":"s"}"#.to_vec()),
        })
    };
    let ops = [
        Operation::CreateFunction { name: "f".into() },
        Operation::GetFunction {
            name: "f".into(),
            qualifier: None,
        },
        Operation::GetFunction {
            name: "f".into(),
            qualifier: Some("1".into()),
        },
        Operation::DeleteFunction { name: "f".into() },
        Operation::PublishVersion { name: "f".into() },
        Operation::UpdateFunctionConfiguration {
            name: "f".into(),
            description: "v 2".into(),
        },
        Operation::CreateAlias {
            name: "f".into(),
            alias: "live".into(),
            version: "$LATEST".into(),
        },
        Operation::GetAlias {
            name: "f".into(),
            alias: "a/b c".into(),
        },
        add(None),
        add(Some("")),
        add(Some("$LATEST & more=+")),
        Operation::GetPolicy {
            function_name: "f".into(),
            qualifier: Some("live".into()),
        },
        Operation::GetPolicy {
            function_name: "f:1".into(),
            qualifier: None,
        },
        Operation::RemovePermission {
            function_name: "f".into(),
            statement_id: "s/../x".into(),
            qualifier: Some("1".into()),
            revision_id: Some("r-1".into()),
        },
        Operation::RemovePermission {
            function_name: "f".into(),
            statement_id: "s".into(),
            qualifier: None,
            revision_id: None,
        },
    ];
    for original in ops {
        let http = original.to_http();
        let body = String::from_utf8(http.body.clone()).unwrap();
        assert_eq!(
            op(http.method, &http.path_and_query(), &body),
            original,
            "{http:?}"
        );
    }
}

#[test]
fn decoding_is_lenient_and_exact() {
    assert_eq!(decode("a%3Ab%2F%25", false), "a:b/%");
    assert_eq!(decode("%zz%4", false), "%zz%4");
    assert_eq!(decode("%", false), "%");
    assert_eq!(decode("a+b", false), "a+b");
    assert_eq!(decode("a+b%2B", true), "a b+");
    assert_eq!(decode("%FF", false), "\u{FFFD}");
    assert_eq!(decode("%c3%a9", false), "é");
}

#[test]
fn query_parameters() {
    assert_eq!(query_param("Qualifier=", "Qualifier"), Some(String::new()));
    assert_eq!(query_param("Qualifier", "Qualifier"), Some(String::new()));
    assert_eq!(
        query_param("x=1&&Qualifier=a&Qualifier=b", "Qualifier"),
        Some("a".into())
    );
    assert_eq!(
        query_param("Qual%69fier=v%31", "Qualifier"),
        Some("v1".into())
    );
    assert_eq!(query_param("qualifier=a", "Qualifier"), None);
    assert_eq!(query_param("", "Qualifier"), None);
}

#[test]
fn names_are_decoded_per_segment() {
    let target = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/policy?Qualifier=live";
    let Operation::AddPermission(r) = op("POST", target, "") else {
        panic!()
    };
    assert_eq!(
        r.function_name,
        "arn:aws:lambda:us-east-1:123456789012:function:f"
    );
    assert_eq!(r.qualifier.as_deref(), Some("live"));
    // An encoded slash stays inside the segment: it does not make a new route.
    let Operation::GetFunction { name, .. } = op("GET", "/2015-03-31/functions/a%2Fpolicy", "")
    else {
        panic!()
    };
    assert_eq!(name, "a/policy");
}

#[test]
fn an_empty_function_name_reaches_validation() {
    let op = op("POST", "/2015-03-31/functions//policy", "{}");
    assert!(matches!(op, Operation::AddPermission(ref r) if r.function_name.is_empty()));
    let mut reference = Reference::new(Config::default());
    let r = handle(
        &mut reference,
        "POST",
        "/2015-03-31/functions//policy",
        b"{}",
    );
    assert_eq!(r.header("x-amzn-errortype"), Some("ValidationException"));
}

#[test]
fn unknown_paths_are_404() {
    for target in [
        "/",
        "",
        "/2015-03-31",
        "/2015-03-31/functionsX",
        "/2015-03-31/functions/",
        "/2015-03-31/functions/f/policy/",
        "/2015-03-31/functions/f/nope",
        "/2015-03-31/functions/f/policy/s/extra",
        "/2015-03-31/functions/f/versions/1",
        "/2019-09-25/functions/f/event-invoke-config",
        "*",
    ] {
        let r = err("GET", target, b"");
        assert_eq!(r.status, 404, "{target}");
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("UnknownOperationException")
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("No Lambda operation"));
    }
}

#[test]
fn wrong_methods_are_405_with_allow() {
    for (method, target, allow) in [
        ("GET", "/2015-03-31/functions", "POST"),
        ("PUT", "/2015-03-31/functions/f", "GET, DELETE"),
        ("GET", "/2015-03-31/functions/f/versions", "POST"),
        ("DELETE", "/2015-03-31/functions/f/aliases", "POST"),
        ("POST", "/2015-03-31/functions/f/aliases/a", "GET"),
        ("DELETE", "/2015-03-31/functions/f/policy", "POST, GET"),
        ("GET", "/2015-03-31/functions/f/policy/s", "DELETE"),
        ("post", "/2015-03-31/functions/f/policy", "POST, GET"),
        ("", "/2015-03-31/functions/f/policy", "POST, GET"),
    ] {
        let r = err(method, target, b"");
        assert_eq!(r.status, 405, "{method} {target}");
        assert_eq!(r.header("allow"), Some(allow));
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}

#[test]
fn oversized_bodies_are_413() {
    let big = vec![b' '; MAX_REQUEST_BODY_BYTES + 1];
    let r = err("POST", "/2015-03-31/functions/f/policy", &big);
    assert_eq!(r.status, 413);
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("RequestEntityTooLargeException")
    );
    let fits = vec![b' '; MAX_REQUEST_BODY_BYTES];
    assert!(route("POST", "/2015-03-31/functions/f/policy", &fits).is_ok());
}

#[test]
fn create_bodies_are_checked() {
    let r = err("POST", "/2015-03-31/functions", b"{nope");
    assert_eq!(
        (r.status, r.header("x-amzn-errortype")),
        (400, Some("InvalidRequestContentException"))
    );
    let r = err("POST", "/2015-03-31/functions", b"[]");
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("InvalidRequestContentException")
    );
    let r = err("POST", "/2015-03-31/functions", b"");
    assert_eq!(
        (r.status, r.header("x-amzn-errortype")),
        (400, Some("ValidationException"))
    );
    assert!(String::from_utf8_lossy(&r.body).contains("'functionName'"));
    let r = err(
        "POST",
        "/2015-03-31/functions/f/aliases",
        br#"{"Name":"a"}"#,
    );
    assert!(String::from_utf8_lossy(&r.body).contains("'functionVersion'"));
    let r = err(
        "POST",
        "/2015-03-31/functions/f/aliases",
        br#"{"Name":1,"FunctionVersion":"1"}"#,
    );
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("InvalidRequestContentException")
    );
    assert_eq!(
        op(
            "POST",
            "/2015-03-31/functions",
            r#"{"FunctionName":"f","Runtime":"python3.12"}"#
        ),
        Operation::CreateFunction { name: "f".into() }
    );
}

#[test]
fn handle_runs_the_reference() {
    let mut reference = Reference::new(Config::default());
    let create = Operation::CreateFunction { name: "f".into() }.to_http();
    let r = handle(
        &mut reference,
        "POST",
        &create.path_and_query(),
        &create.body,
    );
    assert_eq!(r.status, 201);
    let add = "/2015-03-31/functions/f/policy";
    let body = json!({"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "*"})
        .to_string();
    assert_eq!(
        handle(&mut reference, "POST", add, body.as_bytes()).status,
        201
    );
    let again = handle(&mut reference, "POST", add, body.as_bytes());
    assert_eq!(again.status, 409);
    let malformed = handle(&mut reference, "POST", add, b"{\"StatementId\":");
    assert_eq!(
        malformed.header("x-amzn-errortype"),
        Some("InvalidRequestContentException")
    );
    let r = handle(
        &mut reference,
        "DELETE",
        "/2015-03-31/functions/f/policy/s",
        b"",
    );
    assert_eq!(r.status, 204);
}

proptest! {
    /// Any method, target and body gets an answer below 500 and no panic.
    #[test]
    fn never_panics_nor_5xx(
        method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), Just("DELETE".to_string()), ".{0,8}"],
        prefix in prop_oneof![Just("/2015-03-31/functions".to_string()), Just(String::new())],
        rest in "[/%a-zA-Z0-9?&=+.:$\u{80}-\u{10FFFF}-]{0,40}",
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut reference = Reference::new(Config::default());
        let r = handle(&mut reference, &method, &format!("{prefix}{rest}"), &body);
        prop_assert!((200..500).contains(&r.status), "{} for {method} {prefix}{rest}", r.status);
    }
}
