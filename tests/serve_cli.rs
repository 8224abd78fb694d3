//! The `addperm serve` and `addperm check --target URL` commands as a script uses them: start
//! the server, wait for the URL on stdout, check against it, stop it with a signal.

use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_addperm");

mod common;

use common::{serve, serve_with, Served};

/// Sends signal `name` (`-TERM`, `-INT`) and expects a clean exit.
fn stop_with(served: &mut Served, name: &str) {
    let status = Command::new("kill")
        .args([name, &served.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(served.0.wait().unwrap().success());
}

fn check(url: &str, extra: &[&str]) -> std::process::Output {
    common::addperm_command()
        .args([
            "check",
            "--target",
            url,
            "--cases",
            "tests/cases/aws-behaviour.jsonl",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn serve_then_check_then_sigterm() {
    let (mut served, url) = serve();
    let out = check(&url, &["--jobs", "4"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    stop_with(&mut served, "-TERM");
}

#[test]
fn sigint_stops_the_server_too() {
    let (mut served, _) = serve();
    stop_with(&mut served, "-INT");
}

#[test]
fn unusable_targets_are_clear_errors() {
    let out = check("localhost:9001", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("use `reference` or an http:// or https:// URL"));
    let out = check("http://[::1", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad target URL"));
    let out = check(
        "http://127.0.0.1:9",
        &["--isolation", "none", "--jobs", "2"],
    );
    assert_eq!(out.status.code(), Some(2));
    // A refused connection is the verdict of the cases run, not a crash; then the run stops.
    let out = check("http://127.0.0.1:9", &["--tag", "Principal"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("refused the connection"));
}

#[test]
fn seeded_functions_exist_and_the_requests_are_counted() {
    let (mut served, url) = serve_with(&["--seed-function", "seeded-fn"], Stdio::piped());
    let add = |path: &str| {
        let response = ureq::post(format!("{url}/2015-03-31/functions/{path}/policy"))
            .config()
            .http_status_as_error(false)
            .build()
            .send(r#"{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com"}"#)
            .unwrap();
        response.status().as_u16()
    };
    assert_eq!(add("seeded-fn"), 201);
    assert_eq!(add("seeded-fn:live"), 201);
    assert_eq!(add("seeded-fn:1"), 201);
    assert_eq!(add("seeded-fn:2"), 404);
    assert_eq!(add("other-fn"), 404);
    stop_with(&mut served, "-TERM");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut served.0.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("stopped after 5 requests"), "{stderr}");
}

#[test]
fn a_seeded_function_must_be_a_valid_name() {
    let out = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--seed-function",
            "bad name",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create the function"));
}
