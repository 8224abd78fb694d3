//! Insta snapshots (in `snapshots/`) of what the reference sends: the statement for every
//! principal form and condition combination, every error body, and `addperm contract`.

use addperm::contract::{contract, ErrorKind};
use addperm::reference::{AddPermissionRequest, Body, Reference};
use serde_json::{json, Value};
use std::collections::BTreeMap;

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

fn reference() -> Reference {
    let mut r = Reference::default();
    r.create_function("fixture-fn").unwrap();
    r.publish_version("fixture-fn").unwrap();
    r.create_alias("fixture-fn", "live", "1").unwrap();
    r
}

fn add(r: &mut Reference, name: &str, qualifier: Option<&str>, body: Value) -> String {
    let req = AddPermissionRequest {
        function_name: name.into(),
        qualifier: qualifier.map(str::to_string),
        body: Body::Json(body),
    };
    match r.add_permission(&req) {
        Ok(a) => a.statement,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn statements_for_every_principal_form_and_condition() {
    let principals = [
        ("everyone", "*"),
        ("service", "s3.amazonaws.com"),
        ("regional-service", "logs.us-east-1.amazonaws.com"),
        ("account", "223456789012"),
        ("root-arn", "arn:aws:iam::223456789012:root"),
        ("role-arn", "arn:aws:iam::123456789012:role/service-role/r"),
        ("user-arn", "arn:aws:iam::123456789012:user/u"),
    ];
    let conditions: [(&str, Value); 8] = [
        ("none", json!({})),
        (
            "source-arn",
            json!({"SourceArn": "arn:aws:s3:::bucket-*/*"}),
        ),
        ("source-account", json!({"SourceAccount": "123456789012"})),
        ("org", json!({"PrincipalOrgID": "o-a1b2c3d4e5"})),
        ("token", json!({"EventSourceToken": "amzn1.ask.skill.1234"})),
        (
            "url-auth",
            json!({"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "AWS_IAM"}),
        ),
        ("via-url", json!({"InvokedViaFunctionUrl": true})),
        (
            "all",
            json!({
            "Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE",
            "SourceArn": "arn:aws:s3:::b", "SourceAccount": "123456789012",
            "PrincipalOrgID": "o-a1b2c3d4e5", "EventSourceToken": "t-1"}),
        ),
    ];
    let mut out = String::new();
    for (pname, principal) in principals {
        for (cname, extra) in &conditions {
            let mut r = reference();
            let mut body = json!({"StatementId": "sid", "Action": "lambda:InvokeFunction", "Principal": principal});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            out.push_str(&format!(
                "{pname} + {cname}\n{}\n\n",
                add(&mut r, "fixture-fn", None, body)
            ));
        }
    }
    let mut r = reference();
    let basic = json!({"StatementId": "q", "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com"});
    for (label, name, q) in [
        ("version", "fixture-fn", Some("1")),
        ("alias", "fixture-fn:live", None),
        (
            "full-arn",
            "arn:aws:lambda:us-east-1:123456789012:function:fixture-fn",
            None,
        ),
    ] {
        out.push_str(&format!(
            "{label}\n{}\n\n",
            add(&mut r, name, q, basic.clone())
        ));
    }
    snap!("statements", out);
}

#[test]
fn every_error_body() {
    let mut r = reference();
    let base = json!({"StatementId": "s3", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"});
    add(&mut r, "fixture-fn", None, base.clone());
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let requests: Vec<(&str, &str, Option<&str>, Body)> = vec![
        (
            "validation",
            "fixture-fn",
            None,
            Body::Json(with("StatementId", json!("example.com"))),
        ),
        (
            "validation-many",
            "fn!",
            Some(""),
            Body::Json(json!({"Action": "s3:GetObject"})),
        ),
        (
            "malformed-body",
            "fixture-fn",
            None,
            Body::Raw(b"{\"StatementId\"".to_vec()),
        ),
        (
            "wrong-type",
            "fixture-fn",
            None,
            Body::Json(with("SourceAccount", json!(123456789012u64))),
        ),
        (
            "qualifier-mismatch",
            "fixture-fn:live",
            Some("1"),
            Body::Json(base.clone()),
        ),
        (
            "latest",
            "fixture-fn:$LATEST",
            Some("$LATEST"),
            Body::Json(base.clone()),
        ),
        (
            "function-not-found",
            "doesnotexist",
            None,
            Body::Json(base.clone()),
        ),
        (
            "version-not-found",
            "fixture-fn",
            Some("42"),
            Body::Json(base.clone()),
        ),
        (
            "alias-not-found",
            "fixture-fn:alias-doesnotexist",
            None,
            Body::Json(base.clone()),
        ),
        (
            "revision-mismatch",
            "fixture-fn",
            None,
            Body::Json(with("RevisionId", json!("x"))),
        ),
        (
            "duplicate-sid",
            "fixture-fn",
            None,
            Body::Json(base.clone()),
        ),
        (
            "invalid-principal",
            "fixture-fn",
            None,
            Body::Json(with("StatementId", json!("p"))),
        ),
        (
            "function-url-auth-type",
            "fixture-fn",
            None,
            Body::Json(json!({
            "StatementId": "u", "Action": "lambda:InvokeFunction", "Principal": "*", "FunctionUrlAuthType": "NONE"})),
        ),
    ];
    let mut out = String::new();
    for (label, name, q, mut body) in requests {
        if label == "invalid-principal" {
            if let Body::Json(b) = &mut body {
                b["Principal"] = json!("invalid.nonaws.com");
            }
        }
        let e = r
            .add_permission(&AddPermissionRequest {
                function_name: name.into(),
                qualifier: q.map(str::to_string),
                body,
            })
            .expect_err(label);
        out.push_str(&format!(
            "{label}: {} {} [{}]\n{}\n\n",
            e.status(),
            e.kind.name(),
            e.rule.id(),
            e.body()
        ));
    }
    // Errors the fixtures cannot provoke, shown with a sample message.
    for kind in [
        ErrorKind::Service,
        ErrorKind::TooManyRequests,
        ErrorKind::PublicPolicy,
        ErrorKind::PolicyLengthExceeded,
    ] {
        out.push_str(&format!(
            "{}: {}\n{}\n\n",
            kind.name(),
            kind.status(),
            kind.body("<message>")
        ));
    }
    snap!("error-bodies", out);
}

#[test]
fn contract_json() {
    snap!(
        "contract",
        serde_json::to_string_pretty(&contract().to_json()).unwrap()
    );
    let diff: BTreeMap<String, String> = contract()
        .doc_diff()
        .into_iter()
        .map(|d| {
            (
                format!("{} {}", d.member, d.constraint),
                format!("{} -> {} ({:?})", d.documented, d.enforced, d.source),
            )
        })
        .collect();
    snap!("doc-diff", serde_json::to_string_pretty(&diff).unwrap());
}
