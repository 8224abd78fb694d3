//! The `check`, `replay` and `diff` commands end to end: files written, exit codes.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn addperm(args: &[&str]) -> Output {
    common::addperm_command()
        .args(args)
        .output()
        .expect("addperm runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The curated cases with every 404 expectation turned into 400: the reference then fails
/// exactly those.
fn broken_cases(dir: &Path) -> (String, usize) {
    let mut cases = common::curated();
    let mut broken = 0;
    for c in cases.iter_mut().filter(|c| c.expect.status == 404) {
        c.expect.status = 400;
        broken += 1;
    }
    let path = dir.join("broken.jsonl");
    std::fs::write(&path, addperm::case::to_jsonl(&cases)).unwrap();
    (path.display().to_string(), broken)
}

fn verdicts(report: &Path) -> Vec<(String, String)> {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let mut v: Vec<(String, String)> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("id"), s("verdict"))
        })
        .filter(|(_, verdict)| verdict != "pass")
        .collect();
    v.sort();
    v
}

#[test]
fn check_passes_the_curated_cases() {
    let curated = common::curated_path();
    let o = addperm(&["check", "--cases", curated.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with(" passed, 0 failed\n"));
    // Not a terminal: no progress bar, nothing on standard error.
    assert_eq!(stderr(&o), "");
}

#[test]
fn check_saves_failures_that_replay_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (cases, broken) = broken_cases(dir.path());
    let d = |name: &str| dir.path().join(name).display().to_string();
    let o = addperm(&[
        "check",
        "--cases",
        &cases,
        "--report-json",
        &d("check.json"),
        "--junit",
        &d("check.xml"),
        "--save-failures",
        &d("failures"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.matches("\nMISMATCH ").count() + 1, broken, "{text}");
    assert!(text.contains(" findings from "), "{text}");
    assert!(text.contains("  curl: curl -sS -i "), "{text}");
    let saved = std::fs::read_dir(d("failures")).unwrap().count();
    assert_eq!(saved, broken);
    let xml = std::fs::read_to_string(d("check.xml")).unwrap();
    assert_eq!(
        quick_junit::Report::deserialize_from_str(&xml)
            .unwrap()
            .failures,
        broken
    );

    let o = addperm(&["replay", &d("failures"), "--report-json", &d("replay.json")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).ends_with(&format!("0 passed, {broken} failed\n")));
    assert_eq!(
        verdicts(&dir.path().join("replay.json")),
        verdicts(&dir.path().join("check.json"))
    );
}

#[test]
fn a_report_that_cannot_be_written_fails_before_the_run() {
    let curated = common::curated_path();
    let o = addperm(&[
        "check",
        "--cases",
        curated.to_str().unwrap(),
        "--junit",
        "/nonexistent-dir/report.xml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write /nonexistent-dir/report.xml"));
    assert_eq!(stdout(&o), "", "nothing ran");
}

#[test]
fn targets_are_chosen_in_one_place() {
    let curated = common::curated_path();
    let cases = curated.to_str().unwrap();
    // Nothing listens there: every case run is a target error, and the run stops (exit 3).
    let o = addperm(&[
        "check",
        "--cases",
        cases,
        "--target",
        "http://127.0.0.1:9",
        "--timeout",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).contains("TARGET-ERROR"), "{}", stdout(&o));
    let o = addperm(&["check", "--cases", cases, "--target", "ftp://x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown target"));
    let o = addperm(&["diff", "--a", "reference", "--b", "moto", "--cases", cases]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("target B: unknown target \"moto\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_of_the_reference_with_itself_finds_nothing() {
    let curated = common::curated_path();
    let o = addperm(&[
        "diff",
        "--a",
        "reference",
        "--b",
        "reference",
        "--cases",
        curated.to_str().unwrap(),
        "--compare",
        "exact",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let n = common::curated().len();
    assert_eq!(stdout(&o), format!("{n} same, 0 differ\n"));
}
