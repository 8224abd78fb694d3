//! `addperm record` on our own targets: a recording of `serve` passes on `serve`, a recording
//! of a faulty `serve` fails on the reference exactly where `diff` finds their answers
//! different, recording is repeatable byte for byte, and what cannot be recorded is said.

mod common;

use common::{addperm_command, serve_with};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// The curated suites, as `--cases` arguments.
fn curated_args() -> Vec<String> {
    ["aws-behaviour.jsonl", "conformance.jsonl"]
        .iter()
        .flat_map(|f| {
            [
                "--cases".to_string(),
                cases_dir().join(f).display().to_string(),
            ]
        })
        .collect()
}

fn addperm(args: &[&str], extra: &[String]) -> (Option<i32>, String) {
    let out: Output = addperm_command().args(args).args(extra).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    )
}

/// Records the curated suites on `target` into `out`; exit code and output.
fn record(target: &str, out: &Path) -> (Option<i32>, String) {
    let out = out.to_str().unwrap();
    addperm(
        &["record", "--target", target, "--out", out, "--jobs", "4"],
        &curated_args(),
    )
}

/// The ids of the cases that did not pass `check --target TARGET --cases FILE`.
fn failing(target: &str, file: &Path, json: &Path) -> BTreeSet<String> {
    let (code, text) = addperm(
        &[
            "check",
            "--target",
            target,
            "--jobs",
            "4",
            "--cases",
            file.to_str().unwrap(),
            "--report-json",
            json.to_str().unwrap(),
        ],
        &[],
    );
    assert!(matches!(code, Some(0 | 1)), "{text}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != "pass")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids of the lines of `text` that start with `prefix` and a space.
fn ids(text: &str, prefix: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix)?.strip_prefix(' '))
        .filter_map(|rest| rest.split([' ', ':']).next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_recording_of_serve_passes_on_serve_and_recording_again_writes_the_same_file() {
    let (_served, url) = serve_with(&[], Stdio::null());
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    let (code, text) = record(&url, &first);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = record(&url, &second);
    assert_eq!(code, Some(0), "{text}");
    let recorded = std::fs::read_to_string(&first).unwrap();
    assert_eq!(recorded, std::fs::read_to_string(&second).unwrap());
    let cases = addperm::case::read(&first).unwrap();
    let total = cases.len();
    assert!(total > 200, "{total}");
    assert!(
        text.contains(&format!("recorded {total} of {total} cases in")),
        "{text}"
    );
    assert!(cases
        .iter()
        .all(|c| c.tags.last().map(String::as_str) == Some("recorded")));
    assert!(
        cases.iter().all(|c| c.expect.error_type.is_some()),
        "every answer's error type (or none) is recorded"
    );
    // The run's account, region and partition are placeholders again.
    assert!(recorded.contains("${ACCOUNT}") && recorded.contains("${REGION}"));
    assert_eq!(
        failing(&url, &first, &dir.path().join("r.json")),
        BTreeSet::new()
    );
}

#[test]
fn a_recording_of_a_faulty_serve_fails_on_the_reference_exactly_where_diff_differs() {
    // A wrong message, a wrong statement, a wrong status everywhere, and wrong state (whose
    // `given` sometimes cannot be set up: such cases are not recorded).
    for fault in [
        "first-error-only",
        "account-principal-verbatim",
        "status-200",
        "shared-policy",
    ] {
        let (_served, url) = serve_with(&["--fault", fault], Stdio::null());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("faulty.jsonl");
        let (code, recorded) = record(&url, &file);
        let not_recorded = ids(&recorded, "NOT RECORDED");
        assert_eq!(
            code,
            Some(i32::from(!not_recorded.is_empty())),
            "{recorded}"
        );
        let failing = failing("reference", &file, &dir.path().join("r.json"));
        let curated = curated_args();
        let (code, diff) = addperm(
            &["diff", "--a", "reference", "--b", &url, "--jobs", "4"],
            &curated,
        );
        assert_eq!(code, Some(1), "{diff}");
        let differing: BTreeSet<String> = ids(&diff, "DIFFERS")
            .union(&ids(&diff, "NOT-COMPARED"))
            .cloned()
            .collect();
        let expected: BTreeSet<String> = differing.difference(&not_recorded).cloned().collect();
        assert!(!failing.is_empty(), "{fault}");
        assert_eq!(failing, expected, "{fault}");
        // What the recording says the faulty target does, it still does.
        assert_eq!(
            self::failing(&url, &file, &dir.path().join("again.json")),
            BTreeSet::new(),
            "{fault}"
        );
    }
}

#[test]
fn cases_without_an_answer_are_listed_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("in.jsonl");
    std::fs::write(
        &cases,
        concat!(
            r#"{"id": "good", "given": {"functions": [{"name": "f"}]}, "request": {"function_name": "f", "body": {"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}}, "expect": {"status": 400}}"#,
            "\n",
            r#"{"id": "unprovisionable", "given": {"functions": [{"name": "not a name"}]}, "request": {"function_name": "f", "body": {}}, "expect": {"status": 201}}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "record",
            "--target",
            "reference",
            "--cases",
            cases.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let (code, text) = addperm(&[], &args(&[]));
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("CHANGED good: status 400 -> 201"), "{text}");
    assert!(
        text.contains("NOT RECORDED unprovisionable (setup-failure): CreateFunction answered 400"),
        "{text}"
    );
    assert!(
        text.contains("recorded 1 of 2 cases in") && text.contains("1 not recorded"),
        "{text}"
    );
    let written = addperm::case::read(&out).unwrap();
    assert_eq!(written.len(), 1);
    assert_eq!(
        (written[0].id.as_str(), written[0].expect.status),
        ("good", 201)
    );

    // An existing file is kept unless --force.
    std::fs::write(&out, "keep me\n").unwrap();
    let (code, text) = addperm(&[], &args(&["--id", "good"]));
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("exists: give --force to replace it"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
    let (code, text) = addperm(&[], &args(&["--id", "good", "--force"]));
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(addperm::case::read(&out).unwrap(), written);
}
