//! The `addperm` binary: exit codes, error messages, and the curated cases through `check`.

use std::io::Write;
use std::process::Output;

mod common;

use common::addperm_command;

fn addperm(args: &[&str]) -> Output {
    addperm_command()
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn case_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

#[test]
fn every_curated_case_passes_against_the_reference() {
    let mut files: Vec<_> = std::fs::read_dir(case_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let o = addperm(&[
            "check",
            "--target",
            "reference",
            "--cases",
            f.to_str().unwrap(),
        ]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{}:\n{out}\n{err}", f.display());
        let last = out.lines().last().unwrap_or_default();
        assert!(last.ends_with(" passed, 0 failed"), "{last}");
    }
}

fn temp_cases(content: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(content.as_bytes()).unwrap();
    f
}

const PASSING: &str = r#"{"id":"ok","request":{"function_name":"f","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"*"}},"expect":{"status":404,"error_type":"ResourceNotFoundException","message_like":"^Function not found: arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:f$"}}"#;

#[test]
fn a_failing_case_exits_1_and_shows_both_sides() {
    let failing = PASSING.replace("\"ok\"", "\"bad\"").replace("404", "409");
    let f = temp_cases(&format!("{PASSING}\n{failing}\n"));
    let o = addperm(&["check", "--cases", f.path().to_str().unwrap()]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("MISMATCH bad  [rule function-not-found]"),
        "{out}"
    );
    assert!(out.contains("status        !=  409"), "{out}");
    assert!(out.trim_end().ends_with("1 passed, 1 failed"), "{out}");
}

#[test]
fn tags_filter_cases() {
    let tagged = PASSING.replace("\"id\":\"ok\"", "\"id\":\"t\",\"tags\":[\"x\"]");
    let f = temp_cases(&format!("{PASSING}\n{tagged}\n"));
    let o = addperm(&["check", "--cases", f.path().to_str().unwrap(), "--tag", "x"]);
    assert!(text(&o).0.trim_end().ends_with("1 passed, 0 failed"));
}

#[test]
fn a_bad_case_file_exits_2_naming_the_line() {
    let f = temp_cases(&format!(
        "// header\n{PASSING}\n{{\"id\":\"x\",\"expect\":{{}}}}\n"
    ));
    let o = addperm(&["check", "--cases", f.path().to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(out.is_empty(), "no case may run: {out}");
    assert!(err.contains(":3: "), "{err}");
    assert!(err.contains("missing field"), "{err}");
}

#[test]
fn unreadable_files_and_bad_arguments_exit_2() {
    let o = addperm(&["check", "--cases", "/nonexistent/cases.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("/nonexistent/cases.jsonl"));
    let o = addperm(&["check", "--cases", "x", "--compare", "loose"]);
    assert_eq!(o.status.code(), Some(2));
    let o = addperm(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = addperm(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn contract_lists_all_members_with_provenance() {
    let o = addperm(&["contract"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let members = v["members"].as_array().unwrap();
    assert_eq!(members.len(), 12);
    for m in members {
        for c in ["length", "pattern", "enum"] {
            if !m[c].is_null() {
                assert!(m[c]["source"].is_string(), "{m}");
            }
        }
    }
    let o = addperm(&["contract", "--doc-diff"]);
    let (out, _) = text(&o);
    assert!(out.contains("FunctionName") && out.contains("InvokedViaFunctionUrl"));
}

#[test]
fn baselines_accept_known_divergences_and_catch_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let cases = case_dir().join("aws-behaviour.jsonl");
    let cases = cases.to_str().unwrap();
    let b = baseline.to_str().unwrap();
    let o = addperm(&[
        "check",
        "--cases",
        cases,
        "--fault",
        "latest-accepted",
        "--write-baseline",
        b,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert!(!recorded["divergences"].as_object().unwrap().is_empty());
    // The same bug again: known, so the run passes.
    let o = addperm(&[
        "check",
        "--cases",
        cases,
        "--fault",
        "latest-accepted",
        "--baseline",
        b,
    ]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains(" 0 new, 0 changed, 0 fixed"), "{out}");
    // Another bug: new divergences fail the run.
    let o = addperm(&[
        "check",
        "--cases",
        cases,
        "--fault",
        "no-duplicate-sid",
        "--baseline",
        b,
    ]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("  NEW      "), "{out}");
    // The bug fixed: fixed entries are reported, and fail only with --strict-baseline.
    let o = addperm(&["check", "--cases", cases, "--baseline", b]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).0.contains("FIXED"));
    let o = addperm(&[
        "check",
        "--cases",
        cases,
        "--baseline",
        b,
        "--strict-baseline",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn shards_split_a_suite_exactly() {
    let cases = case_dir().join("conformance.jsonl");
    let count = |args: &[&str]| -> usize {
        let o = addperm(args);
        let out = text(&o).0;
        let last = out.lines().last().unwrap().to_string();
        last.split(' ').next().unwrap().parse().unwrap()
    };
    let all = count(&["check", "--cases", cases.to_str().unwrap()]);
    let parts: usize = (1..=3)
        .map(|k| {
            count(&[
                "check",
                "--cases",
                cases.to_str().unwrap(),
                "--shard",
                &format!("{k}/3"),
            ])
        })
        .sum();
    assert_eq!(all, parts);
    let o = addperm(&[
        "check",
        "--cases",
        cases.to_str().unwrap(),
        "--shard",
        "4/3",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn faults_are_listed_and_unknown_ones_refused() {
    let o = addperm(&["faults"]);
    assert!(text(&o).0.lines().count() >= 25);
    let o = addperm(&["check", "--cases", "x", "--fault", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("unknown fault"));
}

/// Runs addperm with `args`, reads the first line of its standard output and closes the pipe,
/// so the rest of the output meets a closed pipe; returns that line and how the run ended.
fn first_line_then_close<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (String, Output) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = addperm_command()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (first, child.wait_with_output().unwrap())
}

/// A run's verdict is its exit status and its files are its product: a reader that stops
/// after the first line (`addperm check ... | head -1` under `pipefail`) changes neither.
#[test]
fn a_run_whose_reader_went_away_keeps_its_verdict_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let mut args: Vec<std::ffi::OsString> = [
        "check",
        "--target",
        "reference",
        "--fault",
        "no-validation",
        "--cases",
        "tests/cases/conformance.jsonl",
        "--report-json",
    ]
    .map(Into::into)
    .to_vec();
    args.push(json.clone().into());
    let (first, out) = first_line_then_close(&args);
    assert!(first.starts_with("MISMATCH "), "{first}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(
        report["summary"]["mismatch"].as_u64().unwrap() > 0,
        "{report}"
    );
}

/// `addperm gen | head` and the like: a reader that goes away early ends the run quietly with
/// success, never a panic ("failed printing to stdout").
#[test]
fn a_closed_stdout_pipe_is_a_quiet_success() {
    for args in [
        &["gen", "--kind", "all", "--count", "3000", "--seed", "1"][..],
        &["contract", "--doc-diff"][..],
        &["faults"][..],
    ] {
        let (first, out) = first_line_then_close(args);
        assert!(!first.is_empty(), "{args:?} printed nothing");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?}\n{stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
