//! Baseline entries that expire (`reason`, `expires`; REPORTS.md): an entry hides its
//! divergence through its last day only, the run that shows it after that fails naming it in
//! every report, re-recording keeps what people wrote, and version 1 files still read. Today's
//! date comes from `--today`, so nothing here depends on the wall clock.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn addperm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/cases/aws-behaviour.jsonl"
);
/// A fault the curated cases catch in a few cases: the divergences the baseline accepts.
const FAULT: &str = "latest-accepted";

/// `check` of the curated cases against the faulty reference, with `extra` arguments.
fn check(extra: &[&str]) -> Output {
    let mut args = vec!["check", "--cases", CASES, "--fault", FAULT];
    args.extend_from_slice(extra);
    addperm(&args)
}

/// A baseline of the faulty run, recorded in a directory of its own: the directory (kept
/// alive by the caller), the file and what it holds.
fn recorded() -> (tempfile::TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("baseline.json");
    let o = check(&["--write-baseline", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let baseline = read(&file);
    (dir, file, baseline)
}

#[test]
fn an_expired_entry_fails_the_run_and_re_recording_keeps_reasons() {
    let (dir, file, mut baseline) = recorded();
    let b = file.to_str().unwrap();
    assert_eq!(baseline["version"], 2);
    let ids: Vec<String> = baseline["divergences"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    // The first entry expires at the end of March; the others carry a reason only.
    for (n, id) in ids.iter().enumerate() {
        let entry = &mut baseline["divergences"][id];
        entry["reason"] = json!(format!("accepted for case {n}"));
        if n == 0 {
            entry["expires"] = json!("2026-03-31");
        }
    }
    std::fs::write(&file, baseline.to_string()).unwrap();

    let o = check(&["--baseline", b, "--today", "2026-03-31"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(" 0 fixed, 0 expired\n"),
        "{}",
        stdout(&o)
    );

    let json = dir.path().join("r.json");
    let html = dir.path().join("r.html");
    let o = check(&[
        "--baseline",
        b,
        "--today",
        "2026-04-01",
        "--report-json",
        json.to_str().unwrap(),
        "--report-html",
        html.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let line = format!(
        "  EXPIRED  {} (accepted until 2026-03-31: accepted for case 0)\n",
        ids[0]
    );
    assert!(out.contains(&line), "{out}");
    assert!(out.contains(" 0 fixed, 1 expired\n"), "{out}");
    let report = read(&json);
    assert_eq!(
        report["baseline"]["expired"],
        json!([{"id": ids[0], "reason": "accepted for case 0", "expires": "2026-03-31"}])
    );
    assert_eq!(report["baseline"]["known"], ids.len() - 1);
    let note = report["notes"][0].as_str().unwrap();
    assert!(
        note.contains(&ids[0]) && note.contains("2026-03-31"),
        "{note}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<p class=\"note\">expired baseline entries"),
        "no note"
    );
    assert!(page.contains("expired: accepted until 2026-03-31: accepted for case 0"));

    // Re-recorded over itself, every entry keeps its reason, the first its date too.
    let o = check(&["--write-baseline", b]);
    assert_eq!(o.status.code(), Some(0));
    let again = read(&file);
    for (n, id) in ids.iter().enumerate() {
        let entry = &again["divergences"][id];
        assert_eq!(entry["reason"], json!(format!("accepted for case {n}")));
        assert_eq!(entry["expires"].as_str(), (n == 0).then_some("2026-03-31"));
    }
}

#[test]
fn version_1_files_still_read_and_bad_dates_are_refused() {
    let (_dir, file, mut baseline) = recorded();
    let b = file.to_str().unwrap();
    baseline["version"] = json!(1);
    std::fs::write(&file, baseline.to_string()).unwrap();
    let o = check(&["--baseline", b]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    let o = check(&["--baseline", b, "--today", "2026-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    let id = baseline["divergences"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    baseline["divergences"][&id]["expires"] = json!("31/03/2026");
    std::fs::write(&file, baseline.to_string()).unwrap();
    let o = check(&["--baseline", b]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not a date of the form YYYY-MM-DD"), "{err}");
    // Nor is a file that is not a baseline overwritten by --write-baseline.
    let o = check(&["--write-baseline", b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(read(&file)["divergences"][&id]["expires"] == "31/03/2026");
}
