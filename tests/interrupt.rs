//! Ctrl-C in the middle of a run: no case starts after it, the reports of the cases that ran
//! are written (the others `not-run`, the reason said once), every fixture the run made is
//! deleted from the target, and the command exits 130.

mod common;

use addperm::reference::Reference;
use common::{read_request, write_response};
use serde_json::Value;
use std::io::BufReader;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the target was asked: requests answered, functions created and deleted (2xx).
#[derive(Default)]
struct Tally {
    requests: AtomicUsize,
    created: AtomicUsize,
    deleted: AtomicUsize,
}

/// The reference behind a plain socket, answering each request after `delay` (so that a run
/// is still going when the test interrupts it), counting what it was asked.
fn slow_reference(delay: Duration) -> (String, Arc<Tally>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tally = Arc::new(Tally::default());
    let reference = Arc::new(Mutex::new(Reference::default()));
    let counted = tally.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (tally, reference) = (counted.clone(), reference.clone());
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                while let Some((method, target, body)) = read_request(&mut reader) {
                    std::thread::sleep(delay);
                    let r = addperm::wire::route::handle(
                        &mut reference.lock().unwrap(),
                        &method,
                        &target,
                        &body,
                    );
                    let ok = (200..300).contains(&r.status);
                    let path = target.split('?').next().unwrap_or_default();
                    match method.as_str() {
                        "POST" if ok && path == "/2015-03-31/functions" => &tally.created,
                        "DELETE" if ok && path.matches('/').count() == 3 => &tally.deleted,
                        _ => &tally.requests,
                    }
                    .fetch_add(1, Ordering::SeqCst);
                    if write_response(&mut writer, &r).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, tally)
}

#[test]
fn an_interrupted_run_reports_what_ran_and_deletes_its_fixtures() {
    let (url, tally) = slow_reference(Duration::from_millis(5));
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_addperm"))
        .args(["check", "--target", &url, "--cases"])
        .arg(common::curated_path())
        .args(["--jobs", "2", "--report-json", json.to_str().unwrap()])
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some cases in (a run of the curated cases takes hundreds of requests), then Ctrl-C.
    let started = Instant::now();
    while tally.requests.load(Ordering::SeqCst) < 60 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run never got going"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("check did not end after the interrupt");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{text}\n{stderr}");
    assert!(
        stderr.contains("interrupted: finishing the cases in flight"),
        "{stderr}"
    );
    assert!(
        text.starts_with("STOPPED the run was interrupted after "),
        "{text}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let count = |verdict: &str| report["summary"][verdict].as_u64().unwrap();
    assert!(count("pass") > 0, "{report}");
    assert!(count("not-run") > 0, "{report}");
    assert_eq!(count("pass") + count("not-run"), count("total"), "{report}");
    let cases = report["cases"].as_array().unwrap();
    let ran = cases
        .iter()
        .take_while(|c| c["verdict"] != "not-run")
        .count();
    assert!(cases[ran..].iter().all(|c| c["verdict"] == "not-run"));
    assert!(report["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("the run was interrupted"));
    let (created, deleted) = (
        tally.created.load(Ordering::SeqCst),
        tally.deleted.load(Ordering::SeqCst),
    );
    assert!(created > 0);
    assert_eq!(created, deleted, "every fixture made is deleted");
}
