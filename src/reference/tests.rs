//! One test per behaviour rule, each with the recorded text where one exists.

use super::*;
use crate::contract::POLICY_SIZE_LIMIT;
use serde_json::{json, Value};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:fn";

fn fixture() -> Reference {
    let mut r = Reference::default();
    r.create_function("fn").unwrap();
    r.publish_version("fn").unwrap();
    r.create_alias("fn", "live", "1").unwrap();
    r.create_alias("fn", "head", "$LATEST").unwrap();
    r
}

fn add(r: &mut Reference, name: &str, qualifier: Option<&str>, body: Value) -> Outcome<Added> {
    r.add_permission(&AddPermissionRequest {
        function_name: name.into(),
        qualifier: qualifier.map(str::to_string),
        body: Body::Json(body),
    })
}

fn basic(sid: &str) -> Value {
    json!({"StatementId": sid, "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"})
}

fn err(r: Outcome<Added>) -> LambdaError {
    r.expect_err("expected an error")
}

#[test]
fn created_statement_is_compact_and_ordered() {
    let mut r = fixture();
    let a = add(&mut r, "fn", None, basic("s3")).unwrap();
    assert_eq!(
        a.statement,
        format!(
            r#"{{"Sid":"s3","Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{ARN}"}}"#
        )
    );
    assert_eq!(a.body(), json!({"Statement": a.statement}).to_string());
}

#[test]
fn qualified_statements_name_the_qualified_resource() {
    let mut r = fixture();
    let a = add(&mut r, "fn:live", None, basic("a")).unwrap();
    assert!(a.statement.contains(&format!(r#""Resource":"{ARN}:live""#)));
    let a = add(&mut r, "fn", Some("1"), basic("a")).unwrap();
    assert!(a.statement.contains(&format!(r#""Resource":"{ARN}:1""#)));
    // An alias pointing at $LATEST can carry a policy.
    add(&mut r, "fn", Some("head"), basic("a")).unwrap();
    // Full and partial ARNs address the same function.
    add(&mut r, ARN, None, basic("b")).unwrap();
    add(&mut r, "123456789012:function:fn", None, basic("c")).unwrap();
}

#[test]
fn malformed_body() {
    let mut r = fixture();
    let e = r
        .add_permission(&AddPermissionRequest {
            function_name: "fn".into(),
            qualifier: None,
            body: Body::Raw(b"{".to_vec()),
        })
        .unwrap_err();
    assert_eq!(
        (e.kind, e.rule),
        (ErrorKind::InvalidRequestContent, Rule::MalformedBody)
    );
}

#[test]
fn wrong_json_type() {
    let mut r = fixture();
    let mut body = basic("s");
    body["Principal"] = json!(["*"]);
    assert_eq!(err(add(&mut r, "fn", None, body)).rule, Rule::WrongJsonType);
}

#[test]
fn validation_lists_every_violation_in_model_order() {
    let mut r = fixture();
    let e = err(add(
        &mut r,
        "fn",
        Some("bad!"),
        json!({"StatementId": "example.com", "Action": "lambda:InvokeFunction"}),
    ));
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(
        e.message,
        "3 validation errors detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+); Value null at 'principal' failed to satisfy constraint: Member must not be null; Value 'bad!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+"
    );
    assert_eq!(e.body(), json!({"message": e.message}).to_string());
}

#[test]
fn validation_precedes_existence() {
    let mut r = Reference::default();
    let e = err(add(&mut r, "my-function!", None, basic("s")));
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(e.message.contains("at 'functionName'"));
}

#[test]
fn long_names_are_not_found_rather_than_invalid() {
    let mut r = fixture();
    let name = "a".repeat(65);
    let e = err(add(&mut r, &name, None, basic("s")));
    assert_eq!(e.rule, Rule::FunctionNotFound);
    assert_eq!(
        e.message,
        format!("Function not found: arn:aws:lambda:us-east-1:123456789012:function:{name}")
    );
}

#[test]
fn qualifier_mismatch_wins_over_existence() {
    let mut r = fixture();
    let e = err(add(&mut r, "fn:alias-not-42", Some("42"), basic("s")));
    assert_eq!(
        (e.kind, e.rule),
        (ErrorKind::InvalidParameterValue, Rule::QualifierMismatch)
    );
    assert_eq!(
        e.message,
        "The derived qualifier from the function name does not match the specified qualifier."
    );
    add(&mut r, "fn:live", Some("live"), basic("s")).unwrap();
}

#[test]
fn latest_is_unsupported() {
    let mut r = fixture();
    for (name, q) in [
        ("fn:$LATEST", Some("$LATEST")),
        ("fn", Some("$LATEST")),
        ("fn:$LATEST", None),
    ] {
        let e = err(add(&mut r, name, q, basic("s")));
        assert_eq!(e.rule, Rule::LatestUnsupported);
        assert_eq!(
            e.message,
            "We currently do not support adding policies for $LATEST."
        );
    }
}

#[test]
fn foreign_function_arns_are_not_found() {
    let mut r = fixture();
    let e = err(add(
        &mut r,
        "arn:aws:lambda:eu-west-1:123456789012:function:fn",
        None,
        basic("s"),
    ));
    assert_eq!((e.status(), e.rule), (404, Rule::ForeignFunction));
    assert!(e.message.ends_with("eu-west-1:123456789012:function:fn"));
    let e = err(add(&mut r, "999999999999:function:fn", None, basic("s")));
    assert_eq!(e.rule, Rule::ForeignFunction);
}

#[test]
fn function_not_found() {
    let mut r = fixture();
    let e = err(add(&mut r, "doesnotexist", None, basic("s")));
    assert_eq!((e.status(), e.rule), (404, Rule::FunctionNotFound));
    assert_eq!(
        e.message,
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:doesnotexist"
    );
    assert_eq!(
        e.body(),
        json!({"Type": "User", "Message": e.message}).to_string()
    );
}

#[test]
fn version_not_found() {
    let mut r = fixture();
    for q in [
        "42",
        "valid-with-$-but-doesnotexist",
        "$latest",
        "$LATEST.PUBLISHED",
    ] {
        let e = err(add(&mut r, "fn", Some(q), basic("s")));
        assert_eq!(e.rule, Rule::VersionNotFound, "{q}");
        assert_eq!(e.message, format!("Function not found: {ARN}:{q}"));
    }
}

#[test]
fn alias_not_found() {
    let mut r = fixture();
    let e = err(add(&mut r, "fn:alias-doesnotexist", None, basic("s")));
    assert_eq!(e.rule, Rule::AliasNotFound);
    assert_eq!(
        e.message,
        format!("Cannot find alias arn: {ARN}:alias-doesnotexist")
    );
}

#[test]
fn revision_mismatch_precedes_duplicate_sid() {
    let mut r = fixture();
    add(&mut r, "fn", None, basic("s3")).unwrap();
    let mut body = basic("s3");
    body["RevisionId"] = json!("not-the-revision");
    let e = err(add(&mut r, "fn", None, body));
    assert_eq!((e.status(), e.rule), (412, Rule::RevisionMismatch));
    assert_eq!(
        e.body(),
        r#"{"Type":"User","message":"The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id"}"#
    );
    assert_eq!(e.body().len(), 149, "the recorded body length");
}

#[test]
fn revision_is_checked_without_a_policy_and_follows_the_policy() {
    let mut r = fixture();
    let mut body = basic("a");
    body["RevisionId"] = json!("x");
    assert_eq!(
        err(add(&mut r, "fn", None, body.clone())).rule,
        Rule::RevisionMismatch
    );
    // Unqualified without a policy, not even the function's RevisionId matches (2025).
    body["RevisionId"] = json!(r.get_function("fn", None).unwrap().revision_id);
    assert_eq!(
        err(add(&mut r, "fn", None, body)).rule,
        Rule::RevisionMismatch
    );
    add(&mut r, "fn", None, basic("a")).unwrap();
    let policy_rev = r.get_policy("fn", None).unwrap().revision_id;
    assert_ne!(policy_rev, r.get_function("fn", None).unwrap().revision_id);
    let mut body = basic("b");
    body["RevisionId"] = json!(policy_rev);
    add(&mut r, "fn", None, body).unwrap();
    // An alias or version without a policy: its own RevisionId matches.
    let mut body = basic("c");
    body["RevisionId"] = json!(r.get_alias("fn", "live").unwrap().revision_id);
    add(&mut r, "fn:live", None, body).unwrap();
    let mut body = basic("d");
    body["RevisionId"] = json!(r.get_function("fn", Some("1")).unwrap().revision_id);
    add(&mut r, "fn", Some("1"), body).unwrap();
}

#[test]
fn publishing_changes_the_function_revision_not_the_policy_revision() {
    let mut r = fixture();
    add(&mut r, "fn", None, basic("a")).unwrap();
    let before = r.get_policy("fn", None).unwrap().revision_id;
    let function_before = r.get_function("fn", None).unwrap().revision_id;
    r.publish_version("fn").unwrap();
    assert_eq!(r.get_policy("fn", None).unwrap().revision_id, before);
    assert_ne!(
        r.get_function("fn", None).unwrap().revision_id,
        function_before
    );
    // Publishing does not copy the policy.
    assert_eq!(
        r.get_policy("fn", Some("2")).unwrap_err().rule,
        Rule::NoPolicy
    );
}

#[test]
fn duplicate_sid_is_per_policy() {
    let mut r = fixture();
    add(&mut r, "fn", None, basic("s3")).unwrap();
    let e = err(add(&mut r, "fn", None, basic("s3")));
    assert_eq!((e.status(), e.rule), (409, Rule::DuplicateStatementId));
    assert_eq!(
        e.message,
        "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement."
    );
    add(&mut r, "fn", Some("1"), basic("s3")).unwrap();
    add(&mut r, "fn:live", None, basic("s3")).unwrap();
}

#[test]
fn invalid_principal() {
    let mut r = fixture();
    let mut body = basic("s");
    body["Principal"] = json!("invalid.nonaws.com");
    let e = err(add(&mut r, "fn", None, body));
    assert_eq!(
        (e.kind, e.rule),
        (ErrorKind::InvalidParameterValue, Rule::InvalidPrincipal)
    );
    assert_eq!(
        e.message,
        "The provided principal was invalid. Please check the principal and try again."
    );
}

#[test]
fn malformed_principal_arn() {
    let mut r = fixture();
    let mut body = basic("s");
    body["Principal"] = json!("arn:aws:iam:000000000000:role/xxxx");
    assert_eq!(
        err(add(&mut r, "fn", None, body)).rule,
        Rule::MalformedPrincipalArn
    );
}

#[test]
fn principal_forms_in_statements() {
    let mut r = fixture();
    for (i, (principal, expected)) in [
        ("*", json!("*")),
        ("sns.amazonaws.com", json!({"Service": "sns.amazonaws.com"})),
        (
            "223456789012",
            json!({"AWS": "arn:aws:iam::223456789012:root"}),
        ),
        (
            "arn:aws:iam::123456789012:role/r",
            json!({"AWS": "arn:aws:iam::123456789012:role/r"}),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = basic(&format!("p{i}"));
        body["Principal"] = json!(principal);
        let a = add(&mut r, "fn", None, body).unwrap();
        let s: Value = serde_json::from_str(&a.statement).unwrap();
        assert_eq!(s["Principal"], expected);
    }
}

#[test]
fn function_url_auth_type_needs_invoke_function_url() {
    let mut r = fixture();
    let mut body = basic("s");
    body["FunctionUrlAuthType"] = json!("NONE");
    let e = err(add(&mut r, "fn", None, body.clone()));
    assert_eq!(e.rule, Rule::FunctionUrlAuthTypeAction);
    assert_eq!(
        e.message,
        "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action"
    );
    body["Action"] = json!("lambda:InvokeFunctionUrl");
    let a = add(&mut r, "fn", None, body).unwrap();
    assert!(a
        .statement
        .contains(r#""Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}"#));
}

#[test]
fn invoked_via_function_url_needs_invoke_function() {
    let mut r = fixture();
    let mut body = basic("s");
    body["InvokedViaFunctionUrl"] = json!(true);
    let a = add(&mut r, "fn", None, body.clone()).unwrap();
    assert!(a
        .statement
        .contains(r#""Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}"#));
    body["StatementId"] = json!("t");
    body["Action"] = json!("lambda:GetFunction");
    assert_eq!(
        err(add(&mut r, "fn", None, body)).rule,
        Rule::InvokedViaFunctionUrlAction
    );
}

#[test]
fn policy_too_large_counts_the_final_policy() {
    let mut r = fixture();
    let arn = |i: usize| format!("arn:aws:s3:::{}{i:04}", "b".repeat(900));
    let mut i = 0;
    loop {
        let mut body = basic(&format!("s{i}"));
        body["SourceArn"] = json!(arn(i));
        match add(&mut r, "fn", None, body.clone()) {
            Ok(_) => {
                i += 1;
                // About 21 fit: fail rather than loop forever when the limit is not enforced.
                assert!(i < 100, "a policy of {i} 1 KB statements is still accepted");
            }
            Err(e) => {
                assert_eq!((e.status(), e.rule), (400, Rule::PolicyTooLarge));
                let size = r.get_policy("fn", None).unwrap().policy.len();
                assert!(size <= POLICY_SIZE_LIMIT);
                // The statement that was refused, as an empty policy accepts it.
                let refused = add(&mut fixture(), "fn", None, body).unwrap().statement;
                let n = size + 1 + refused.len();
                assert!(n > POLICY_SIZE_LIMIT);
                assert_eq!(
                    e.message,
                    format!("The final policy size ({n}) is bigger than the limit (20480).")
                );
                assert_eq!(
                    e.body(),
                    json!({"Type": "User", "message": e.message}).to_string()
                );
                break;
            }
        }
    }
    assert!(i > 10);
}

#[test]
fn public_policy_blocked() {
    let mut r = fixture();
    r.set_block_public_policy("fn", true).unwrap();
    let mut body = basic("s");
    body["Principal"] = json!("*");
    let e = err(add(&mut r, "fn", None, body.clone()));
    assert_eq!((e.status(), e.rule), (400, Rule::PublicPolicyBlocked));
    assert_eq!(
        e.body(),
        json!({"Type": "User", "Message": e.message}).to_string()
    );
    body["SourceAccount"] = json!("123456789012");
    add(&mut r, "fn", None, body).unwrap();
}

#[test]
fn get_policy_and_its_errors() {
    let mut r = fixture();
    assert_eq!(r.get_policy("fn", None).unwrap_err().rule, Rule::NoPolicy);
    assert_eq!(
        r.get_policy("nope", None).unwrap_err().message,
        "The resource you requested does not exist."
    );
    let s1 = add(&mut r, "fn", None, basic("a")).unwrap().statement;
    let s2 = add(&mut r, "fn", None, basic("b")).unwrap().statement;
    let p = r.get_policy("fn", None).unwrap();
    assert_eq!(
        p.policy,
        format!(r#"{{"Version":"2012-10-17","Id":"default","Statement":[{s1},{s2}]}}"#)
    );
}

#[test]
fn remove_permission_rules() {
    let mut r = fixture();
    assert_eq!(
        r.remove_permission("nope", "a", None, None)
            .unwrap_err()
            .message,
        "No policy found for: arn:aws:lambda:us-east-1:123456789012:function:nope"
    );
    assert_eq!(
        r.remove_permission("fn", "a", None, None).unwrap_err().rule,
        Rule::RemoveNoPolicy
    );
    add(&mut r, "fn", None, basic("a")).unwrap();
    add(&mut r, "fn", None, basic("b")).unwrap();
    assert_eq!(
        r.remove_permission("fn", "zz", None, None)
            .unwrap_err()
            .message,
        "Statement zz is not found in resource policy."
    );
    assert_eq!(
        r.remove_permission("fn", "a", None, Some("x"))
            .unwrap_err()
            .rule,
        Rule::RevisionMismatch
    );
    assert_eq!(
        r.remove_permission("fn:nope", "a", None, None)
            .unwrap_err()
            .message,
        format!("Cannot find alias arn: {ARN}:nope")
    );
    let before = r.get_policy("fn", None).unwrap().revision_id;
    r.remove_permission("fn", "a", None, Some(&before)).unwrap();
    assert_ne!(r.get_policy("fn", None).unwrap().revision_id, before);
    r.remove_permission("fn", "b", None, None).unwrap();
    assert_eq!(r.get_policy("fn", None).unwrap_err().rule, Rule::NoPolicy);
}

#[test]
fn provisioning_rules() {
    let mut r = fixture();
    assert_eq!(
        r.create_function("fn").unwrap_err().rule,
        Rule::AlreadyExists
    );
    assert_eq!(
        r.create_alias("fn", "live", "1").unwrap_err().rule,
        Rule::AlreadyExists
    );
    assert_eq!(
        r.create_alias("fn", "x", "9").unwrap_err().rule,
        Rule::AliasTargetNotFound
    );
    assert_eq!(
        r.create_alias("fn", "12", "1").unwrap_err().kind,
        ErrorKind::Validation
    );
    assert_eq!(r.publish_version("fn").unwrap().version, "2");
    r.delete_function("fn").unwrap();
    assert_eq!(
        r.delete_function("fn").unwrap_err().rule,
        Rule::FunctionNotFound
    );
    assert!(r.precondition_revision("fn", None).is_none());
}

#[test]
fn sequential_revisions_are_reproducible_and_random_ones_differ() {
    let run = |revisions| {
        let mut r = Reference::new(Config {
            revisions,
            ..Config::default()
        });
        r.create_function("f").unwrap().revision_id
    };
    assert_eq!(run(Revisions::Sequential), run(Revisions::Sequential));
    assert_ne!(run(Revisions::Random), run(Revisions::Random));
}

#[test]
fn other_partitions_and_regions_shape_every_arn() {
    let mut r = Reference::new(Config {
        partition: "aws-cn".into(),
        region: "cn-north-1".into(),
        account: "111111111111".into(),
        ..Config::default()
    });
    r.create_function("fn").unwrap();
    let mut body = basic("s");
    body["Principal"] = json!("222222222222");
    let a = add(&mut r, "fn", None, body).unwrap();
    assert!(a
        .statement
        .contains(r#""AWS":"arn:aws-cn:iam::222222222222:root""#));
    assert!(a
        .statement
        .contains("arn:aws-cn:lambda:cn-north-1:111111111111:function:fn"));
}

/// The curated AWS cases, exactly compared, from the library's own tests: `cargo test --lib`
/// alone (what `cargo mutants` runs per mutant) holds the reference to recorded behaviour.
#[test]
fn the_curated_cases_pass_exactly() {
    use crate::outcome::{Compare, Verdict};
    use crate::runner::run_case;
    let files = [
        (
            "aws-behaviour.jsonl",
            include_str!("../../tests/cases/aws-behaviour.jsonl"),
        ),
        (
            "conformance.jsonl",
            include_str!("../../tests/cases/conformance.jsonl"),
        ),
    ];
    let target = crate::target::ReferenceTarget::default();
    for (name, text) in files {
        let cases = crate::case::parse(text, name).unwrap();
        assert!(cases.len() > 50, "{name}");
        for case in &cases {
            let r = run_case(&target, case, Compare::Exact);
            assert_eq!(
                r.verdict,
                Verdict::Pass,
                "{name} {}: {:?}",
                case.id,
                r.differences
            );
        }
    }
}

#[test]
fn the_openapi_example_body_is_accepted() {
    let mut r = fixture();
    let body = crate::contract::openapi_example_body();
    assert!(add(&mut r, "fn", None, body.clone()).is_ok());
    assert!(add(&mut r, "fn", Some("live"), body).is_ok());
}

#[test]
fn latest_addresses_the_unqualified_policy_outside_add_permission() {
    // Recorded: one policy per qualifier, unqualified = `$LATEST`; only AddPermission refuses it.
    let mut r = fixture();
    let s = add(&mut r, "fn", None, basic("a")).unwrap().statement;
    let latest = r.get_policy("fn", Some("$LATEST")).unwrap();
    assert_eq!(latest.policy, r.get_policy("fn", None).unwrap().policy);
    assert!(latest.policy.contains(&s));
    r.remove_permission("fn", "a", Some("$LATEST"), None)
        .unwrap();
    assert_eq!(r.get_policy("fn", None).unwrap_err().rule, Rule::NoPolicy);
}

#[test]
fn errors_display_status_type_message_and_rule() {
    let e = err(add(&mut fixture(), "nope", None, basic("a")));
    assert_eq!(
        e.to_string(),
        "404 ResourceNotFoundException: Function not found: \
         arn:aws:lambda:us-east-1:123456789012:function:nope [rule function-not-found]"
    );
}

#[test]
fn get_function_names_the_qualified_arn() {
    let r = fixture();
    assert_eq!(r.get_function("fn", None).unwrap().arn, ARN);
    let v1 = r.get_function("fn", Some("1")).unwrap();
    assert_eq!((v1.arn, v1.version), (format!("{ARN}:1"), "1".to_string()));
    let live = r.get_function("fn", Some("live")).unwrap();
    assert_eq!(
        (live.arn, live.version),
        (format!("{ARN}:live"), "1".to_string())
    );
}

#[test]
fn missing_member_500_answers_500_only_for_a_missing_required_member() {
    let mut r = Reference::new(Config {
        fault: Some(Fault::MissingMember500),
        ..Config::default()
    });
    r.create_function("fn").unwrap();
    assert!(add(&mut r, "fn", None, basic("a")).is_ok());
    let mut body = basic("b");
    body.as_object_mut().unwrap().remove("Principal");
    assert_eq!(err(add(&mut r, "fn", None, body)).status(), 500);
}
