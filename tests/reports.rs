//! Reports of a run with known failures: the curated cases against a target that answers 400
//! wherever the reference answers 404, so exactly the cases expecting 404 must fail.

mod common;

use addperm::outcome::{CaseResult, Compare, PairVerdict, Verdict};
use addperm::report::{self, RunInfo};
use addperm::runner::{self, compare_pair, RunOptions};
use addperm::target::{Endpoint, ReferenceTarget, Target};
use common::{curated, faulty, Fault};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn run(target: &dyn Target, cases: &[addperm::case::Case]) -> Vec<CaseResult> {
    let options = RunOptions {
        compare: Compare::Message,
        jobs: 2,
        ..RunOptions::default()
    };
    runner::run(target, cases, &options, &|_| {})
}

/// The ids of the curated cases the 404 -> 400 fault must break.
fn expecting_404() -> BTreeSet<String> {
    curated()
        .into_iter()
        .filter(|c| c.expect.status == 404)
        .map(|c| c.id)
        .collect()
}

fn failing_ids(results: &[CaseResult]) -> BTreeSet<String> {
    results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn the_fault_breaks_exactly_the_404_cases() {
    let results = run(&faulty(Fault::NotFoundAs400), &curated());
    assert!(expecting_404().len() >= 5, "the curated cases test 404s");
    assert_eq!(failing_ids(&results), expecting_404());
}

#[test]
fn json_report_has_the_shape_and_counts() {
    let target = faulty(Fault::NotFoundAs400);
    let results = run(&target, &curated());
    let info = RunInfo::new(&target, Compare::Message);
    let text = serde_json::to_string_pretty(&report::json_report(&results, &info)).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();

    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases.len(), curated().len());
    let summary = &json["summary"];
    assert_eq!(summary["total"], cases.len());
    assert_eq!(summary["mismatch"], expecting_404().len());
    assert_eq!(summary["pass"], cases.len() - expecting_404().len());
    let mut counted: BTreeMap<&str, u64> = BTreeMap::new();
    for c in cases {
        for key in ["id", "verdict", "expected", "actual", "differences", "curl"] {
            assert!(c.get(key).is_some(), "case without {key}: {c}");
        }
        let verdict = c["verdict"].as_str().unwrap();
        assert!(["pass", "mismatch", "setup-failure", "target-error"].contains(&verdict));
        *counted.entry(verdict).or_default() += 1;
        if verdict == "mismatch" {
            assert_eq!(c["expected"]["status"], 404);
            assert_eq!(c["actual"]["status"], 400);
            assert_eq!(c["differences"][0]["field"], "status");
        }
    }
    for (verdict, n) in counted {
        assert_eq!(summary[verdict], n, "summary[{verdict}]");
    }
    assert_eq!(json["target"], "faulty-NotFoundAs400");
    assert_eq!(json["compare"], "message");
    let bucketed: u64 = json["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(bucketed, expecting_404().len() as u64);
}

#[test]
fn junit_report_parses_with_one_failure_per_mismatch() {
    let target = faulty(Fault::NotFoundAs400);
    let results = run(&target, &curated());
    let xml = report::junit_report(&results, &RunInfo::new(&target, Compare::Message)).unwrap();
    let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert_eq!(parsed.tests, curated().len());
    assert_eq!(parsed.failures, expecting_404().len());
    assert_eq!(parsed.errors, 0);
    let suite = &parsed.test_suites[0];
    let mut failed = BTreeSet::new();
    for t in &suite.test_cases {
        if let quick_junit::TestCaseStatus::NonSuccess {
            kind, description, ..
        } = &t.status
        {
            assert_eq!(*kind, quick_junit::NonSuccessKind::Failure);
            let description = description.as_ref().unwrap().as_str();
            assert!(description.starts_with("MISMATCH "), "{description}");
            assert!(description.contains("curl: curl "), "{description}");
            failed.insert(t.name.as_str().to_string());
        }
    }
    assert_eq!(failed, expecting_404());
}

#[test]
fn saved_failures_replay_to_the_same_verdicts() {
    let target = faulty(Fault::NotFoundAs400);
    let cases = curated();
    let results = run(&target, &cases);
    let dir = tempfile::tempdir().unwrap();
    let written = report::save_failures(dir.path(), &cases, &results, &target.name()).unwrap();
    assert_eq!(written.len(), expecting_404().len());

    let saved = report::read_cases(dir.path()).unwrap();
    // The original cases, unchanged (names, placeholders and all).
    for s in &saved {
        assert_eq!(Some(s), cases.iter().find(|c| c.id == s.id));
    }
    let verdicts = |rs: &[CaseResult]| -> BTreeMap<String, Verdict> {
        rs.iter()
            .filter(|r| r.verdict != Verdict::Pass)
            .map(|r| (r.id.clone(), r.verdict))
            .collect()
    };
    let replayed = run(&target, &saved);
    assert_eq!(verdicts(&replayed), verdicts(&results));
    // And against an implementation without the fault, they pass.
    let fixed = run(&ReferenceTarget::default(), &saved);
    assert!(fixed.iter().all(|r| r.verdict == Verdict::Pass));
}

#[test]
fn buckets_group_by_member_constraint_and_outcome() {
    let results = run(&faulty(Fault::NotFoundAs400), &curated());
    let buckets = report::buckets(&results);
    let total: usize = buckets.iter().map(|b| b.count).sum();
    assert_eq!(total, expecting_404().len());
    assert!(buckets.len() < total, "failures group: {buckets:#?}");
    for b in &buckets {
        assert_eq!(b.expected, "404 ResourceNotFoundException");
        assert_eq!(b.actual, "400 ResourceNotFoundException");
        // Every case of the group, and no other, has the group's member and constraint.
        let members: Vec<&CaseResult> = results
            .iter()
            .filter(|r| r.verdict == Verdict::Mismatch)
            .filter(|r| addperm::outcome::member_of(&r.tags).unwrap_or("-") == b.member)
            .filter(|r| addperm::outcome::constraint_of(&r.tags).unwrap_or("-") == b.constraint)
            .collect();
        assert_eq!(members.len(), b.count, "{b:?}");
        assert!(members.iter().any(|r| r.id == b.example));
    }
    for w in buckets.windows(2) {
        assert!(w[0].count >= w[1].count, "biggest first");
    }
    let text = report::text_report(&results, &at("http://127.0.0.1:4010"));
    assert!(text.contains(&format!("{} findings from {} cases:", buckets.len(), total)));
}

#[test]
fn curl_commands_address_the_target() {
    let target = faulty(Fault::NotFoundAs400);
    let cases: Vec<_> = curated()
        .into_iter()
        .filter(|c| c.id == "err-function-not-found-full-arn")
        .collect();
    assert_eq!(cases.len(), 1);
    let results = run(&target, &cases);
    let json = report::json_report(&results, &RunInfo::new(&target, Compare::Message));
    let curl = json["cases"][0]["curl"].as_str().unwrap();
    assert!(
        curl.starts_with(
            "curl -sS -i --globoff --path-as-is -X POST 'http://127.0.0.1:4010/2015-03-31/functions/\
             arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Adoesnotexist/policy' \
             -H 'Content-Type: application/json' --data-binary '{"
        ),
        "{curl}"
    );
    let reference = report::json_report(
        &run(&ReferenceTarget::default(), &cases),
        &RunInfo::new(&ReferenceTarget::default(), Compare::Message),
    );
    let curl = reference["cases"][0]["curl"].as_str().unwrap();
    assert!(
        curl.contains("'http://127.0.0.1:PORT/2015-03-31/"),
        "{curl}"
    );
    // An emulator put in the placeholder's place routes by the credential scope: the line
    // carries the fake signature of the reference's account and region.
    assert!(
        curl.contains(" -H 'authorization: AWS4-HMAC-SHA256 Credential=123456789012/")
            && curl.contains("/us-east-1/lambda/aws4_request, "),
        "{curl}"
    );
}

#[test]
fn diff_reports_only_where_the_targets_disagree() {
    let cases = curated();
    let (a, b) = (ReferenceTarget::default(), faulty(Fault::NotFoundAs400));
    let (on_a, on_b) = (run(&a, &cases), run(&b, &cases));
    let pairs: Vec<_> = cases
        .iter()
        .zip(on_a.iter().zip(&on_b))
        .map(|(c, (x, y))| compare_pair(c, x, y, Compare::Message))
        .collect();
    let differ: BTreeSet<String> = pairs
        .iter()
        .filter(|p| p.verdict != PairVerdict::Same)
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(differ, expecting_404());
    let side = |label, endpoint| report::Side { label, endpoint };
    let (a_end, b_end) = (
        Endpoint::unsigned("http://127.0.0.1:PORT"),
        Endpoint::unsigned("http://127.0.0.1:4010"),
    );
    let text = report::pair_report(
        &pairs,
        side("a: reference", &a_end),
        side("b: faulty", &b_end),
    );
    let blocks = text.lines().filter(|l| l.starts_with("DIFFERS ")).count();
    assert_eq!(blocks, differ.len(), "{text}");
    assert!(text.ends_with(&format!(
        "{} same, {} differ\n",
        cases.len() - differ.len(),
        differ.len()
    )));
    assert!(text.contains("404 ResourceNotFoundException -> 400 ResourceNotFoundException"));
}

#[test]
fn diff_sees_through_renamed_functions() {
    let cases: Vec<_> = curated()
        .into_iter()
        .filter(|c| c.expect.status == 201 && !c.tags.iter().any(|t| t == "size-exact"))
        .collect();
    let (a, b) = (ReferenceTarget::default(), faulty(Fault::Renames));
    let (on_a, on_b) = (run(&a, &cases), run(&b, &cases));
    let sent = on_b[0].sent.as_ref().unwrap();
    let renamed = sent.sent_function_name.as_deref().unwrap_or_default();
    assert!(renamed.contains("-r1"), "B renames: {sent:?}");
    assert!(
        !sent.function_name.contains("-r1"),
        "reports show the case's name: {sent:?}"
    );
    for (c, (x, y)) in cases.iter().zip(on_a.iter().zip(&on_b)) {
        let p = compare_pair(c, x, y, Compare::Exact);
        assert_eq!(
            p.verdict,
            PairVerdict::Same,
            "{}: {:?}",
            p.id,
            p.differences
        );
    }
}

/// A target that renames functions (as HTTP targets do to keep cases apart) is judged under its
/// names, but every report shows the case's: expectation, answer, differences and curl line.
/// Only the JSON report's `sent_function_name` keeps the name that went over the wire.
#[test]
fn reports_show_the_case_s_function_names() {
    let cases = addperm::case::parse(
        concat!(
            // Fails: the expected Sid is not the one sent.
            r#"{"id":"wrong-sid","given":{"functions":[{"name":"fixture-fn"}]},"request":{"function_name":"fixture-fn","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com"}},"expect":{"status":201,"statement":{"Sid":"other","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:fixture-fn"}}}"#,
            "\n",
            // Passes: a generated message_like escapes the name, and must match under renaming.
            r#"{"id":"not-found","request":{"function_name":"no-such-fn","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"*"}},"expect":{"status":404,"message_like":"^Function not found: arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:no\\-such\\-fn$"}}"#,
        ),
        "inline",
    )
    .unwrap();
    let target = faulty(Fault::Renames);
    let results = run(&target, &cases);
    assert_eq!(results[1].verdict, Verdict::Pass, "{:?}", results[1]);
    let r = &results[0];
    assert_eq!(r.verdict, Verdict::Mismatch);
    let sent = r.sent.as_ref().unwrap();
    assert_eq!(sent.function_name, "fixture-fn");
    assert_eq!(sent.sent_function_name.as_deref(), Some("fixture-fn-r1"));

    let text = report::text_report(&results, &at("http://127.0.0.1:4010"));
    assert!(!text.contains("-r1"), "{text}");
    assert!(text.contains(":function:fixture-fn\"}"), "{text}");
    assert!(
        text.contains("/2015-03-31/functions/fixture-fn/policy'"),
        "{text}"
    );

    let json = report::json_report(&results, &RunInfo::new(&target, Compare::Message));
    let case = &json["cases"][0];
    assert_eq!(case["request"]["function_name"], "fixture-fn");
    assert_eq!(case["request"]["sent_function_name"], "fixture-fn-r1");
    let mut rest = case.clone();
    rest["request"]
        .as_object_mut()
        .unwrap()
        .remove("sent_function_name");
    assert!(!rest.to_string().contains("-r1"), "{rest}");
    assert!(case["actual"]["statement"]["Resource"]
        .as_str()
        .unwrap()
        .ends_with(":function:fixture-fn"));
}

/// What a report of a run against `url` says besides the results.
fn at(url: &str) -> RunInfo {
    RunInfo {
        target: url.into(),
        endpoint: Endpoint::unsigned(url),
        compare: Compare::Message,
        requests: None,
    }
}

/// A CreateAlias that succeeds with 200 is not a setup failure: every case is played and
/// judged on its own answer (all pass, as on the reference), and the difference from AWS is
/// told once for the run, in every report, however many cases made an alias.
#[test]
fn a_provisioning_call_that_succeeds_differently_is_played_on_and_told_once() {
    let cases = curated();
    let with_alias = cases
        .iter()
        .filter(|c| c.given.functions.iter().any(|f| !f.aliases.is_empty()))
        .count();
    assert!(with_alias >= 3, "the curated cases make aliases");
    let target = faulty(Fault::AliasAs200);
    let results = run(&target, &cases);
    assert_eq!(failing_ids(&results), BTreeSet::new());

    let info = RunInfo::new(&target, Compare::Message);
    let note = "provisioning: CreateAlias answered 200 where AWS answers 201";
    let text = report::text_report(&results, &info);
    assert_eq!(text.matches(note).count(), 1, "{text}");
    let json = report::json_report(&results, &info);
    assert_eq!(
        json["provisioning"],
        serde_json::json!([{"operation": "CreateAlias", "expected": 201, "got": 200}])
    );
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(notes.iter().filter(|n| n.starts_with(note)).count(), 1);
    let junit = report::junit_report(&results, &info).unwrap();
    assert_eq!(junit.matches(note).count(), 1, "{junit}");
    // Shards merged: still once.
    let (a, b) = results.split_at(results.len() / 2);
    let shards = [a, b].map(|r| report::json_report(r, &info));
    assert!(shards
        .iter()
        .all(|s| s["provisioning"] == json["provisioning"]));
    let merged = report::merge_reports(&shards).unwrap();
    assert_eq!(merged["provisioning"], json["provisioning"]);

    // The reference itself answers 201: nothing to tell.
    let plain = run(&ReferenceTarget::default(), &cases);
    let json = report::json_report(
        &plain,
        &RunInfo::new(&ReferenceTarget::default(), Compare::Message),
    );
    assert_eq!(json["provisioning"], serde_json::json!([]));
}
