//! `addperm fuzz` as a user runs it: against `addperm serve` (nothing to find) and against a
//! deliberately broken server (500 for bodies that are not JSON, the connection dropped for a
//! FunctionName holding `/`, bytes that are not HTTP for a `$`, no answer for a `#`), whose
//! findings must be exactly those, deduplicated, and replayable.

use addperm::reference::{Config, Reference};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const BIN: &str = env!("CARGO_BIN_EXE_addperm");

mod common;

use common::{serve, Served};

/// A finished `addperm fuzz` run: its exit code, standard output and error together, and the
/// directory it wrote.
struct Run {
    code: Option<i32>,
    all: String,
    dir: tempfile::TempDir,
}

impl Run {
    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap()
    }
}

fn fuzz(url: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = common::addperm_command()
        .args(["fuzz", "--target", url, "--seed", "3", "--out"])
        .arg(dir.path())
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        all: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        dir,
    }
}

#[test]
fn the_reference_over_http_has_no_findings() {
    let (_served, url) = serve();
    let run = fuzz(&url, &["--duration", "20s", "--max-requests", "300"]);
    let all = &run.all;
    assert_eq!(run.code, Some(0), "{all}");
    assert!(all.contains("seed 3: 300 requests"), "{all}");
    assert!(all.contains("0 findings in 0 signatures"), "{all}");
    let cases = run.file("findings.jsonl");
    assert_eq!(cases, "");
    let summary = run.file("summary.txt");
    assert!(
        summary.starts_with("addperm fuzz against http://127.0.0.1:"),
        "{summary}"
    );
}

/// The reference behind a hand-written HTTP/1.1 server with four bugs: an AddPermission body
/// that is not JSON answers 500, a FunctionName holding `/` (`%2F`) gets the connection closed
/// without an answer, a `$` anywhere in the request target (`$LATEST`) gets an answer that is
/// not HTTP, and a `#` one no answer for longer than the fuzzer waits. Everything else is the
/// reference's answer. With `fatal`, the
/// first body that is not JSON also kills the server: it answers 500, then stops listening.
fn broken_server(fatal: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let reference = Arc::new(Mutex::new(Reference::new(Config::default())));
    let dead = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if dead.load(Ordering::SeqCst) {
                return; // the listener goes with the thread: connections are refused
            }
            let (reference, dead) = (Arc::clone(&reference), Arc::clone(&dead));
            std::thread::spawn(move || {
                if answer(stream, &reference) && fatal {
                    dead.store(true, Ordering::SeqCst);
                }
            });
        }
    });
    url
}

/// Answers one request on `stream`, then closes it; true when that was a 500.
fn answer(stream: TcpStream, reference: &Mutex<Reference>) -> bool {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return false;
    }
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return false;
    }
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    let add_permission = method == "POST" && path.ends_with("/policy");
    if add_permission && path.contains("%2F") {
        return false; // bug 2: dropped without a word
    }
    if add_permission && target.contains("%24") {
        let mut stream = reader.into_inner();
        let _ = stream.write_all(b"this is not HTTP\r\n\r\n"); // bug 3
        return false;
    }
    if add_permission && target.contains("%23") {
        std::thread::sleep(std::time::Duration::from_secs(4)); // bug 4: past --timeout 2
        return false;
    }
    let (status, headers, body) = if add_permission
        && serde_json::from_slice::<serde_json::Value>(&body).is_err()
    {
        let page = "<html><title>500 Internal Server Error</title></html>";
        (500, vec![], page.as_bytes().to_vec()) // bug 1
    } else {
        let r = addperm::wire::route::handle(&mut reference.lock().unwrap(), method, target, &body);
        (r.status, r.headers, r.body)
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        if k != "content-length" {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut stream = reader.into_inner();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    status == 500
}

#[test]
fn a_broken_server_gives_exactly_its_findings_deduplicated_and_replayable() {
    let url = broken_server(false);
    let run = fuzz(
        &url,
        &[
            "--duration",
            "60s",
            "--max-requests",
            "400",
            "--timeout",
            "2",
        ],
    );
    let all = &run.all;
    assert_eq!(run.code, Some(1), "{all}");
    let summary = run.file("summary.txt");
    // `[N] kind status family xCOUNT`, one line a signature.
    let heads: Vec<Vec<String>> = summary
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    let signatures: BTreeSet<(String, String, String)> = heads
        .iter()
        .map(|h| (h[1].clone(), h[2].clone(), h[3].clone()))
        .collect();
    assert_eq!(
        signatures.len(),
        heads.len(),
        "signatures repeat:\n{summary}"
    );
    let not_json = [
        "json-truncated",
        "json-trailing-garbage",
        "json-odd-number",
        "json-deep-nesting",
        "encoding",
        "empty-body",
        "odd-value", // lone surrogates, which a strict parser rejects
    ];
    let mut kinds = BTreeSet::new();
    for (kind, status, family) in &signatures {
        match kind.as_str() {
            "server-error" => {
                assert_eq!(status, "500", "{summary}");
                assert!(not_json.contains(&family.as_str()), "{family}:\n{summary}");
            }
            "reset" => {
                assert_eq!((status.as_str(), family.as_str()), ("-", "function-name"));
            }
            "unparseable" | "timeout" => {
                assert_eq!(status, "-", "{summary}");
                assert!(["function-name", "qualifier"].contains(&family.as_str()));
            }
            _ => panic!("a finding the server does not deserve: {kind} {family}\n{summary}"),
        }
        kinds.insert(kind.as_str());
    }
    assert_eq!(kinds.len(), 4, "all four bugs are found:\n{summary}");
    for family in ["json-truncated", "empty-body"] {
        assert!(
            signatures
                .iter()
                .any(|(k, _, f)| k == "server-error" && f == family),
            "{family}:\n{summary}"
        );
    }
    // Deduplicated: far more flagged requests than signatures.
    let counts: usize = heads
        .iter()
        .map(|h| h[4].trim_start_matches('x').parse::<usize>().unwrap())
        .sum();
    assert!(counts > 2 * heads.len(), "{summary}");
    assert!(summary.contains(&format!("{counts} findings in {} signatures", heads.len())));
    // One case per signature, in the public format, each expecting the reference's answer.
    let jsonl = run.file("findings.jsonl");
    let cases = addperm::case::parse(&jsonl, "findings.jsonl").unwrap();
    assert_eq!(cases.len(), heads.len());
    for c in &cases {
        assert!(c.tags.contains(&"fuzz".to_string()), "{c:?}");
        assert_ne!(c.expect.status, 500, "{c:?}");
    }
    // The target is alive after every finding, so the run went the whole way.
    assert!(
        summary.contains("stopped: the request limit was reached"),
        "{summary}"
    );
}

#[test]
fn a_finding_that_kills_the_target_ends_the_run_early() {
    let url = broken_server(true);
    let run = fuzz(&url, &["--duration", "60s", "--max-requests", "400"]);
    let all = &run.all;
    assert_eq!(run.code, Some(1), "{all}");
    assert!(
        all.contains("stopped early: the target stopped answering after request #"),
        "{all}"
    );
    assert!(all.contains("(finding: server-error "), "{all}");
    assert!(!all.contains("suspect"), "{all}");
    let summary = run.file("summary.txt");
    assert!(summary.contains("stopped: EARLY: "), "{summary}");
    assert!(summary.contains("1 findings in 1 signatures"), "{summary}");
    let jsonl = run.file("findings.jsonl");
    assert_eq!(addperm::case::parse(&jsonl, "f").unwrap().len(), 1);
}

#[test]
fn help_explains_the_run() {
    let out = Command::new(BIN).args(["fuzz", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--duration",
        "--max-requests",
        "--seed",
        "--out",
        "--timeout",
        "Findings:",
        "not a finding",
        "addperm check --cases DIR/findings.jsonl",
        "Exit codes: 0 no findings, 1 findings, 2",
    ] {
        assert!(help.contains(needle), "{needle}:\n{help}");
    }
}

#[test]
fn an_interrupted_run_keeps_its_findings() {
    let url = broken_server(false);
    let dir = tempfile::tempdir().unwrap();
    let mut child = Served(
        common::addperm_command()
            .args([
                "fuzz",
                "--target",
                &url,
                "--seed",
                "3",
                "--duration",
                "5m",
                "--out",
            ])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let summary = dir.path().join("summary.txt");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&summary).is_ok_and(|s| s.contains("\n[2] ")) {
        assert!(std::time::Instant::now() < deadline, "no findings saved");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("stopped: not yet"), "{summary}");
    let jsonl = std::fs::read_to_string(dir.path().join("findings.jsonl")).unwrap();
    let cases = addperm::case::parse(&jsonl, "findings.jsonl").unwrap();
    assert!(cases.len() >= 2, "{summary}");
}

#[test]
fn a_target_that_refuses_the_fixture_cannot_be_fuzzed() {
    // Every request answered 403, as an endpoint without credentials would.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let body = r#"{"__type":"AccessDeniedException","message":"no"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let run = fuzz(&url, &["--duration", "2s"]);
    assert_eq!(run.code, Some(2), "{}", run.all);
    assert!(
        run.all
            .contains("cannot set up the fixture function on the target: CreateFunction answered 403 AccessDeniedException"),
        "{}",
        run.all
    );
}

#[test]
fn an_unreachable_target_cannot_be_fuzzed() {
    // A port nothing listens on: bind one, then let it go.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = fuzz(&format!("http://127.0.0.1:{port}"), &["--duration", "2s"]);
    let all = &run.all;
    assert_eq!(run.code, Some(2), "{all}");
    assert!(all.contains("the target cannot be reached"), "{all}");
    let bad = fuzz("ftp://x", &[]);
    assert_eq!(bad.code, Some(2));
    assert!(bad.all.contains("unknown target"), "{}", bad.all);
    assert!(!bad.all.contains("panicked"));
}

/// `--jobs 3` sends the requests of `--jobs 1` from three sessions and books them in order: the
/// same findings, with the same example requests (function names aside, which are each
/// session's own).
#[test]
fn several_jobs_find_what_one_finds() {
    let url = broken_server(false);
    let findings = |jobs: &str| {
        let run = fuzz(
            &url,
            &["--max-requests", "200", "--timeout", "2", "--jobs", jobs],
        );
        assert_eq!(run.code, Some(1), "{}", run.all);
        let names = regex::Regex::new("fuzz-fn-[0-9a-f]+").unwrap();
        names
            .replace_all(&run.file("findings.jsonl"), "fuzz-fn-X")
            .into_owned()
    };
    let one = findings("1");
    assert!(one.lines().count() >= 3, "{one}");
    assert_eq!(findings("3"), one);
}

#[test]
fn zero_jobs_is_a_clear_error() {
    let run = fuzz("http://127.0.0.1:9", &["--jobs", "0"]);
    assert_eq!(run.code, Some(2), "{}", run.all);
    assert!(run.all.contains("give at least 1 job"), "{}", run.all);
}
