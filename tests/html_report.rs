//! The HTML report from real runs: its findings agree with the JSON report's, and the
//! commands write it (and the GitHub step summary) as REPORTS.md says. What the page looks like
//! in a browser is checked by scripts/html-check.sh, in headless Chromium.

mod common;

use addperm::outcome::Compare;
use addperm::reference::{Config, Fault};
use addperm::report::{self, html_report, HtmlRunInfo, RunInfo};
use addperm::runner::{self, compare_pair, RunOptions};
use addperm::target::{ReferenceTarget, Target};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn addperm(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_addperm"));
    c.args(args).env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("addperm runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn info(passing: &str) -> HtmlRunInfo {
    HtmlRunInfo {
        passing: vec![passing.to_string()],
        ..HtmlRunInfo::default()
    }
}

/// How many cases of the page fall into each finding, by the page's `data-bucket`.
fn page_buckets(page: &str) -> BTreeMap<usize, u64> {
    let re = regex::Regex::new(r#"data-bucket="(\d+)""#).unwrap();
    let mut out = BTreeMap::new();
    for c in re.captures_iter(page) {
        *out.entry(c[1].parse().unwrap()).or_default() += 1;
    }
    out
}

fn report_buckets(json: &Value) -> BTreeMap<usize, u64> {
    json["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, b)| (i, b["count"].as_u64().unwrap()))
        .collect()
}

fn failing(json: &Value, passing: &str) -> Vec<String> {
    json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != passing)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The page files every failing case under the finding the JSON report counts it in, for
/// every fault of the catalogue: the finding filter shows exactly the cases of a finding.
#[test]
fn every_failing_case_is_on_the_page_under_its_finding() {
    let cases = common::curated();
    let options = RunOptions {
        compare: Compare::Exact,
        jobs: 2,
        ..RunOptions::default()
    };
    for fault in Fault::ALL {
        let target = ReferenceTarget::new(Config {
            fault: Some(fault),
            ..Config::default()
        });
        let results = runner::run(&target, &cases, &options, &|_| {});
        let json = report::json_report(&results, &RunInfo::new(&target, Compare::Exact));
        let page = html_report(&json, &info("pass"));
        assert_eq!(
            page_buckets(&page),
            report_buckets(&json),
            "{fault:?}: findings on the page"
        );
        for id in failing(&json, "pass") {
            assert!(
                page.contains(&format!("<code class=\"id\">{id}</code>")),
                "{id}"
            );
        }
    }
}

#[test]
fn diff_pairs_are_on_the_page_under_their_findings() {
    let cases = common::curated();
    let options = RunOptions {
        compare: Compare::Message,
        jobs: 2,
        ..RunOptions::default()
    };
    let a = ReferenceTarget::default();
    let b = common::faulty(common::Fault::NotFoundAs400);
    let on_a = runner::run(&a, &cases, &options, &|_| {});
    let on_b = runner::run(&b, &cases, &options, &|_| {});
    let pairs: Vec<_> = cases
        .iter()
        .zip(on_a.iter().zip(&on_b))
        .map(|(c, (x, y))| compare_pair(c, x, y, Compare::Message))
        .collect();
    let info_of = |t: &dyn Target| RunInfo::new(t, Compare::Message);
    let json = report::pair_json_report(&pairs, &info_of(&a), &info_of(&b));
    assert!(json["summary"]["differ"].as_u64().unwrap() > 0);
    let page = html_report(
        &json,
        &info(report::pair_verdict_name(
            addperm::outcome::PairVerdict::Same,
        )),
    );
    assert_eq!(page_buckets(&page), report_buckets(&json));
    assert!(page.contains("b: faulty-NotFoundAs400"));
    assert!(page.contains("curl (b: faulty-NotFoundAs400)"));
}

#[test]
fn check_replay_and_merge_write_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).display().to_string();
    let curated = common::curated_path().display().to_string();
    let summary = dir.path().join("summary.md");
    let env = [("GITHUB_STEP_SUMMARY", summary.as_path())];
    let o = addperm(
        &[
            "check",
            "--cases",
            &curated,
            "--fault",
            "no-validation",
            "--report-json",
            &d("check.json"),
            "--report-html",
            &d("check.html"),
            "--save-failures",
            &d("failures"),
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(d("check.json")).unwrap()).unwrap();
    let page = std::fs::read_to_string(d("check.html")).unwrap();
    let ids = failing(&json, "pass");
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(
            page.contains(&format!("<code class=\"id\">{id}</code>")),
            "{id}"
        );
    }
    assert!(page.contains("--fault no-validation"), "the command line");
    assert!(page.contains(" UTC</dd>"), "the time");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### addperm: reference\n"), "{md}");
    assert!(
        md.contains(&format!("| mismatch | {} |", ids.len())),
        "{md}"
    );

    let o = addperm(
        &[
            "replay",
            &d("failures"),
            "--fault",
            "no-validation",
            "--report-html",
            &d("replay.html"),
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let replayed = std::fs::read_to_string(d("replay.html")).unwrap();
    for id in &ids {
        assert!(
            replayed.contains(&format!("<code class=\"id\">{id}</code>")),
            "{id}"
        );
    }
    // Appended: one summary per run.
    let md = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(md.matches("### addperm: reference\n").count(), 2, "{md}");

    let o = addperm(
        &[
            "report",
            "--merge",
            &d("check.json"),
            "-o",
            &d("merged.json"),
            "--report-html",
            &d("merged.html"),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let merged = std::fs::read_to_string(d("merged.html")).unwrap();
    assert_eq!(page_buckets(&merged), page_buckets(&page));
}

#[test]
fn diff_writes_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff.html");
    let curated = common::curated_path().display().to_string();
    let o = addperm(
        &[
            "diff",
            "--a",
            "reference",
            "--b",
            "reference",
            "--cases",
            &curated,
            "--report-html",
            path.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.contains("addperm report: reference vs reference"));
    assert!(page.contains("Every case passed (same)."));
    assert!(page.contains("name=\"verdict\" value=\"same\""));
}

#[test]
fn a_page_that_cannot_be_written_fails_before_the_run() {
    let curated = common::curated_path().display().to_string();
    let bad = "/nonexistent-dir/page.html";
    for args in [
        vec!["check", "--cases", &curated, "--report-html", bad],
        vec![
            "diff",
            "--a",
            "reference",
            "--b",
            "reference",
            "--cases",
            &curated,
            "--report-html",
            bad,
        ],
        vec!["replay", &curated, "--report-html", bad],
    ] {
        let o = addperm(&args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains(&format!("cannot write {bad}")),
            "{}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty(), "{args:?}: nothing ran");
    }
    let o = addperm(
        &["check", "--cases", &curated],
        &[("GITHUB_STEP_SUMMARY", Path::new(bad))],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write GITHUB_STEP_SUMMARY"),
        "{}",
        stderr(&o)
    );
    let o = addperm(
        &[
            "report",
            "--conformance",
            &curated,
            "--report-html",
            "x.html",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--report-html goes with --merge"));
}
