//! `check --generate` and `diff --generate` through the binary: generated suites pass on the
//! reference in-process and over HTTP (`addperm::serve` on an ephemeral port), failures are
//! shrunk, saved and replayed, and reports of a renaming HTTP target show the cases' names.

mod common;

use addperm::reference::{Config, Fault, Revisions};
use addperm::serve::Server;
use serde_json::Value;

/// Exit code and standard output of `addperm args`.
fn addperm(args: &[&str]) -> (Option<i32>, String) {
    let out = common::addperm_command()
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `addperm serve` in-process: shared state and random RevisionIds, as a real target has.
fn server(fault: Option<Fault>) -> Server {
    let config = Config {
        revisions: Revisions::Random,
        fault,
        ..Config::default()
    };
    Server::start("127.0.0.1:0".parse().unwrap(), config).expect("the server starts")
}

fn last_line(out: &str) -> &str {
    out.lines().last().unwrap_or_default()
}

#[test]
fn generated_cases_pass_on_the_reference() {
    let (code, out) = addperm(&[
        "check",
        "--target",
        "reference",
        "--generate",
        "500",
        "--seed",
        "3",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        out.lines().next(),
        Some(
            "generated 500 cases with --seed 3 (249 boundary, 100 valid, 100 invalid, 51 sequence)"
        )
    );
    assert_eq!(last_line(&out), "500 passed, 0 failed");
}

#[test]
fn generated_cases_pass_over_http() {
    let server = server(None);
    let (code, out) = addperm(&[
        "check",
        "--target",
        &server.url(),
        "--generate",
        "300",
        "--jobs",
        "2",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.starts_with("generated 300 cases with --seed 0 ("),
        "{out}"
    );
    assert_eq!(last_line(&out), "300 passed, 0 failed");
    server.stop().unwrap();
}

#[test]
fn failures_are_shrunk_saved_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("failures");
    let json = dir.path().join("report.json");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "check",
            "--generate",
            "300",
            "--seed",
            "3",
            "--fault",
            "no-duplicate-sid",
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        addperm(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, out) = run(&[
        "--save-failures",
        saved.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("-shrunk  [rule created]\n  shrunk from gen-"),
        "{out}"
    );
    let failed = last_line(&out).to_string();
    assert!(
        failed.ends_with(" failed") && !failed.ends_with(" 0 failed"),
        "{out}"
    );

    // The JSON report lists the shrunk cases, each saying where it came from.
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let shrunk: Vec<&Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["shrunk"].is_null())
        .collect();
    assert!(!shrunk.is_empty());
    for c in &shrunk {
        let from = c["shrunk"]["from"].as_str().unwrap();
        if c["shrunk"]["steps"].as_u64().unwrap() > 0 {
            assert_eq!(c["id"], format!("{from}-shrunk"));
        }
    }

    // The saved cases are the shrunk ones: they fail again with the fault, pass without it.
    let files: Vec<String> = std::fs::read_dir(&saved)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("-shrunk.jsonl")),
        "{files:?}"
    );
    let dir_arg = saved.to_str().unwrap();
    let (code, out) = addperm(&["replay", dir_arg, "--fault", "no-duplicate-sid"]);
    assert_eq!(code, Some(1));
    assert_eq!(last_line(&out), format!("0 passed, {} failed", files.len()));
    let (code, out) = addperm(&["replay", dir_arg]);
    assert_eq!(code, Some(0), "{out}");

    // Without shrinking, the same failures are reported as generated.
    let (code, out) = run(&["--no-shrink"]);
    assert_eq!(code, Some(1));
    assert!(!out.contains("shrunk"), "{out}");
    assert_eq!(last_line(&out), failed);
}

/// Over HTTP the target runs each case under names of its own; the reports still name the
/// functions as the cases do, and keep the wire name only as `sent_function_name`.
#[test]
fn reports_of_a_renaming_target_show_the_cases_names() {
    let server = server(Some(Fault::NoDuplicateSid));
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let (code, out) = addperm(&[
        "check",
        "--target",
        &server.url(),
        "--generate",
        "300",
        "--seed",
        "3",
        "--report-json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{out}");
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let mut seen = 0;
    for c in report["cases"].as_array().unwrap() {
        if c["verdict"] == "pass" {
            continue;
        }
        let request = &c["request"];
        let (name, wire) = (
            request["function_name"].as_str().unwrap(),
            request["sent_function_name"].as_str().unwrap(),
        );
        assert_ne!(name, wire);
        let mut rest = c.clone();
        rest["request"]
            .as_object_mut()
            .unwrap()
            .remove("sent_function_name");
        assert!(!rest.to_string().contains(wire), "{wire} shows in {rest}");
        assert!(!out.contains(wire), "{wire} shows in the text report");
        assert!(c["curl"].as_str().unwrap().starts_with(&format!(
            "curl -sS -i --globoff --path-as-is -X POST '{}/2015-03-31/functions/",
            server.url()
        )));
        seen += 1;
    }
    assert!(seen > 0);
    server.stop().unwrap();
}

#[test]
fn diff_shrinks_generated_cases_whose_answers_differ() {
    let server = server(Some(Fault::NoDuplicateSid));
    let (code, out) = addperm(&[
        "diff",
        "--a",
        "reference",
        "--b",
        &server.url(),
        "--generate",
        "300",
        "--seed",
        "3",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("-shrunk\n  shrunk from gen-"), "{out}");
    assert!(
        out.contains("409 ResourceConflictException -> 201"),
        "{out}"
    );
    let (_, plain) = addperm(&[
        "diff",
        "--a",
        "reference",
        "--b",
        "reference",
        "--generate",
        "120",
    ]);
    assert_eq!(last_line(&plain), "120 same, 0 differ");
    server.stop().unwrap();
}

#[test]
fn generate_and_cases_are_one_choice() {
    for args in [
        &["check"][..],
        &["check", "--generate", "5", "--cases", "x.jsonl"],
        &["check", "--generate", "0"],
        &["check", "--cases", "x.jsonl", "--seed", "1"],
        &["check", "--cases", "x.jsonl", "--no-shrink"],
        &["diff", "--a", "reference", "--b", "reference"],
    ] {
        let (code, _) = addperm(args);
        assert_eq!(code, Some(2), "{args:?}");
    }
}
