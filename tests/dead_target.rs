//! A target that stops answering stops the run (exit 3, one diagnosis, the cases left
//! `not-run`): one that hangs, one that refuses connections, one that dies in the middle of the
//! run. A target that answers badly is alive and the run goes on. The assertions are on verdict
//! counts and on the process ending; the outer time-out is only a safety net against a hang.

mod common;

use addperm::reference::Reference;
use common::{read_request, write_response};
use serde_json::Value;
use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/cases/aws-behaviour.jsonl"
);
/// The run of every test: `--jobs 4`, so the threshold is 8 cases in a row.
const JOBS: &str = "4";

/// Runs `check` against `url` with a report in `dir`; kills it if it has not ended after a
/// minute (a hang is the bug these tests look for, and it must fail, not block the suite).
fn check(url: &str, dir: &Path, extra: &[&str]) -> (Output, Value) {
    let json = dir.join("report.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(["check", "--target", url, "--cases", CASES, "--timeout", "1"])
        .args(["--jobs", JOBS, "--report-json", json.to_str().unwrap()])
        .args(extra)
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("check did not end against {url}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (out, report)
}

fn count(report: &Value, verdict: &str) -> u64 {
    report["summary"][verdict].as_u64().unwrap()
}

/// A stopped run as every test expects it: exit 3, the diagnosis once at the top of the text
/// report and in the JSON notes, every case not run or failed, and one block per case that
/// ran, not per case.
fn assert_stopped(out: &Output, report: &Value, why: &str) {
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("STOPPED the target stopped answering at case ") && first.contains(why),
        "{text}"
    );
    assert_eq!(text.matches("stopped answering").count(), 1, "{text}");
    let not_run = count(report, "not-run");
    assert!(not_run > 0, "{report}");
    assert!(
        first.ends_with(&format!("; {not_run} cases not run")),
        "{first}"
    );
    assert_eq!(report["notes"][0].as_str(), first.strip_prefix("STOPPED "));
    assert_eq!(count(report, "total"), 89);
    let blocks = text
        .lines()
        .filter(|l| l.starts_with("TARGET-ERROR "))
        .count() as u64;
    assert_eq!(blocks, count(report, "target-error"));
    assert!(!text.contains("NOT-RUN"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// Accepts every connection and never answers.
fn hung() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    url
}

#[test]
fn a_hung_target_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = check(&hung(), dir.path(), &[]);
    assert_stopped(&out, &report, "no answer within 1000 ms");
    assert_eq!(count(&report, "pass"), 0);
    assert_eq!(
        count(&report, "target-error") + count(&report, "not-run"),
        89
    );
}

#[test]
fn a_refused_connection_stops_the_run_unless_told_to_keep_going() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = check(&url, dir.path(), &[]);
    assert_stopped(&out, &report, "refused the connection");
    let (out, report) = check(&url, dir.path(), &["--keep-going"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(count(&report, "target-error"), 89);
    assert_eq!(count(&report, "not-run"), 0);
}

/// An emulator (the reference behind a plain socket) that answers `requests` requests, then
/// dies: it stops listening and drops every connection, the one in mid-request included.
fn dies_after(requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let dead = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let reference = Arc::new(Mutex::new(Reference::default()));
    std::thread::spawn(move || {
        while !dead.load(Ordering::SeqCst) {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            };
            let (dead, served, reference) = (dead.clone(), served.clone(), reference.clone());
            std::thread::spawn(move || {
                stream.set_nonblocking(false).unwrap();
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                while let Some((method, target, body)) = read_request(&mut reader) {
                    if served.fetch_add(1, Ordering::SeqCst) >= requests {
                        dead.store(true, Ordering::SeqCst);
                    }
                    if dead.load(Ordering::SeqCst) {
                        return;
                    }
                    let r = addperm::wire::route::handle(
                        &mut reference.lock().unwrap(),
                        &method,
                        &target,
                        &body,
                    );
                    if write_response(&mut writer, &r).is_err() {
                        return;
                    }
                }
            });
        }
        // Dropping the listener here closes the port: connections are refused from now on.
    });
    url
}

#[test]
fn a_target_killed_mid_run_gives_one_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    // About 5 requests a case: the target dies some 30 cases into the run.
    let (out, report) = check(&dies_after(150), dir.path(), &[]);
    assert_stopped(&out, &report, "");
    assert!(count(&report, "pass") > 0, "{report}");
    let cases = report["cases"].as_array().unwrap();
    let ran = cases
        .iter()
        .take_while(|c| c["verdict"] != "not-run")
        .count();
    assert!(cases[ran..].iter().all(|c| c["verdict"] == "not-run"));
    // The diagnosis names the first case after the last one answered, however the parallel
    // cases finished.
    let last = cases[..ran]
        .iter()
        .rposition(|c| c["verdict"] != "target-error")
        .unwrap();
    let at = format!(
        "at case {} ({}): ",
        last + 2,
        cases[last + 1]["id"].as_str().unwrap()
    );
    assert!(
        report["notes"][0].as_str().unwrap().contains(&at),
        "{report:#}"
    );
}

/// Answers every request with a 500 and an AWS-like error body, or with bytes that are not
/// HTTP: a target that answers badly, which is a finding, not a dead target.
fn answers_badly(garbage: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                while read_request(&mut reader).is_some() {
                    let sent = if garbage {
                        writer.write_all(b"\x00\x01 not http at all\r\n\r\n")
                    } else {
                        let body = r#"{"Type":"Service","message":"internal error"}"#;
                        let mut r = addperm::wire::Response::json(500, body.into());
                        r.headers
                            .push(("x-amzn-errortype".into(), "ServiceException".into()));
                        write_response(&mut writer, &r)
                    };
                    if sent.is_err() || garbage {
                        return;
                    }
                }
            });
        }
    });
    url
}

#[test]
fn a_target_that_answers_badly_is_not_stopped() {
    let dir = tempfile::tempdir().unwrap();
    for garbage in [false, true] {
        let (out, report) = check(&answers_badly(garbage), dir.path(), &[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert_eq!(count(&report, "not-run"), 0, "{text}");
        assert_eq!(count(&report, "pass"), 0);
        assert!(!text.contains("STOPPED"), "{text}");
    }
}
