//! End to end over HTTP: `addperm serve` started in-process on an ephemeral port, checked by
//! `HttpTarget` exactly as the in-process reference is, plus the server's own front end and
//! its behaviour under racing clients.

use addperm::case::{self, Case, Placeholders};
use addperm::outcome::{Compare, Verdict};
use addperm::reference::{AddPermissionRequest, Body, Config, Revisions};
use addperm::runner::{self, RunOptions};
use addperm::serve::Server;
use addperm::target::{
    Credentials, HttpOptions, HttpTarget, Isolation, ReferenceTarget, Signing, Target,
};
use addperm::wire::Operation;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::Duration;

fn server() -> Server {
    let config = Config {
        revisions: Revisions::Random,
        ..Config::default()
    };
    Server::start("127.0.0.1:0".parse().unwrap(), config).expect("the server starts")
}

fn target(server: &Server, isolation: Isolation) -> HttpTarget {
    let mut options = HttpOptions::new(Placeholders::default());
    options.isolation = isolation;
    HttpTarget::new(&server.url(), options).unwrap()
}

/// Every curated case file.
fn curated() -> Vec<Case> {
    let mut cases = case::read(Path::new("tests/cases/aws-behaviour.jsonl")).unwrap();
    cases.extend(case::read(Path::new("tests/cases/conformance.jsonl")).unwrap());
    cases
}

/// What a run observed, per case: enough to say the two runs saw the same answers.
fn answers(
    target: &dyn Target,
    cases: &[Case],
    jobs: usize,
) -> Vec<(String, Verdict, Option<u16>, Option<String>)> {
    let options = RunOptions {
        compare: Compare::Message,
        jobs,
        ..RunOptions::default()
    };
    runner::run(target, cases, &options, &|_| {})
        .into_iter()
        .map(|r| {
            let detail = r
                .differences
                .iter()
                .map(|d| format!("{d:?}"))
                .chain(r.detail)
                .collect::<Vec<_>>()
                .join("; ");
            assert_eq!(
                r.verdict,
                Verdict::Pass,
                "{} over {}: {detail}",
                r.id,
                target.name()
            );
            let actual = r.actual.unwrap();
            (r.id, r.verdict, Some(actual.status), actual.error_type)
        })
        .collect()
}

#[test]
fn curated_cases_pass_over_http_as_in_process() {
    let cases = curated();
    let in_process = answers(&ReferenceTarget::new(Config::default()), &cases, 1);
    let server = server();
    // Parallel, each case under its own names; then one by one under the names as written.
    assert_eq!(
        answers(&target(&server, Isolation::Rename), &cases, 4),
        in_process
    );
    assert_eq!(
        answers(&target(&server, Isolation::None), &cases, 1),
        in_process
    );
    server.stop().unwrap();
}

#[test]
fn signed_requests_are_served_like_unsigned_ones() {
    let server = server();
    let mut options = HttpOptions::new(Placeholders::default());
    options.signing = Signing::SigV4(Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "secret".into(),
        session_token: Some("token".into()),
    });
    let signed = HttpTarget::new(&server.url(), options).unwrap();
    let cases: Vec<Case> = curated().into_iter().take(20).collect();
    answers(&signed, &cases, 2);
}

#[test]
fn sessions_delete_what_they_created() {
    let server = server();
    let target = target(&server, Isolation::Rename);
    let mut session = target.session().unwrap();
    let name = session.function_name("fixture-fn");
    assert_ne!(name, "fixture-fn");
    assert_eq!(
        session
            .send(&Operation::CreateFunction { name: name.clone() })
            .unwrap()
            .status,
        201
    );
    session.finish();
    let mut other = target.session().unwrap();
    let gone = other
        .send(&Operation::GetFunction {
            name,
            qualifier: None,
        })
        .unwrap();
    assert_eq!(gone.status, 404);
}

/// Many clients add the same StatementId at once: the shared state admits exactly one.
#[test]
fn racing_clients_get_exactly_one_201() {
    const CLIENTS: usize = 16;
    let server = server();
    let target = Arc::new(target(&server, Isolation::None));
    let created = target
        .session()
        .unwrap()
        .send(&Operation::CreateFunction {
            name: "race".into(),
        })
        .unwrap();
    assert_eq!(created.status, 201);
    let start = Arc::new(Barrier::new(CLIENTS));
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (target, start) = (Arc::clone(&target), Arc::clone(&start));
                s.spawn(move || {
                    let mut session = target.session().unwrap();
                    start.wait();
                    session
                        .send(&Operation::AddPermission(AddPermissionRequest {
                            function_name: "race".into(),
                            qualifier: None,
                            body: Body::Json(json!({
                                "StatementId": "same", "Action": "lambda:InvokeFunction",
                                "Principal": "s3.amazonaws.com"
                            })),
                        }))
                        .unwrap()
                        .status
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        CLIENTS - 1,
        "{statuses:?}"
    );
    let policy = target
        .session()
        .unwrap()
        .send(&Operation::GetPolicy {
            function_name: "race".into(),
            qualifier: None,
        })
        .unwrap();
    let policy: serde_json::Value = serde_json::from_slice(&policy.body).unwrap();
    let statements: serde_json::Value =
        serde_json::from_str(policy["Policy"].as_str().unwrap()).unwrap();
    assert_eq!(statements["Statement"].as_array().unwrap().len(), 1);
}

/// Sends raw bytes on `stream` and reads one response: status, lower-case head, body.
fn exchange(stream: &mut TcpStream, request: &[u8]) -> (u16, String, Vec<u8>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if buf.len() >= end + 4 + length {
                let status = head[9..12].parse().unwrap();
                return (status, head, buf[end + 4..end + 4 + length].to_vec());
            }
        }
        let n = stream.read(&mut chunk).unwrap();
        assert!(
            n > 0,
            "connection closed after {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).unwrap()
}

#[test]
fn front_end_answers_4xx_never_5xx_and_keeps_the_connection() {
    let server = server();
    let mut c = connect(server.addr());
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n");
    let (status, head, body) = exchange(&mut c, get("/nope").as_bytes());
    assert_eq!(status, 404);
    assert!(
        head.contains("x-amzn-errortype: unknownoperationexception"),
        "{head}"
    );
    assert!(head.contains("x-amzn-requestid: "));
    assert!(head.contains("content-type: application/json"));
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    let (status, head, _) = exchange(
        &mut c,
        b"PUT /2015-03-31/functions/f/policy HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(head.contains("allow: post, get"), "{head}");
    // Over the limit: the body is read to its end and answered 413, on the same connection.
    let big = vec![b'x'; addperm::contract::MAX_REQUEST_BODY_BYTES + 1];
    let mut request = format!(
        "POST /2015-03-31/functions/f/policy HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n\r\n",
        big.len()
    )
    .into_bytes();
    request.extend_from_slice(&big);
    let (status, head, _) = exchange(&mut c, &request);
    assert_eq!(status, 413);
    assert!(head.contains("requestentitytoolargeexception"), "{head}");
    // Unsigned, on the connection kept alive: answered like a signed one.
    let (status, _, body) = exchange(&mut c, get("/2015-03-31/functions/missing").as_bytes());
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("Function not found"));
    // A body too large to read through is refused at once, and the connection closed.
    let mut c = connect(server.addr());
    let (status, head, _) = exchange(&mut c, b"POST /2015-03-31/functions/f/policy HTTP/1.1\r\nhost: x\r\ncontent-length: 999999999999\r\n\r\n");
    assert_eq!(status, 413);
    assert!(head.contains("connection: close"), "{head}");
    // Not HTTP at all: hyper's own 400.
    let mut c = connect(server.addr());
    let (status, _, _) = exchange(&mut c, b"\x16\x03\x01garbage\r\n\r\n");
    assert_eq!(status, 400);
}

#[test]
fn stopping_closes_the_port() {
    let server = server();
    let addr = server.addr();
    let mut c = connect(addr);
    let (status, _, _) = exchange(
        &mut c,
        b"GET /2015-03-31/functions/f HTTP/1.1\r\nhost: x\r\n\r\n",
    );
    assert_eq!(status, 404);
    drop(c);
    server.stop().unwrap();
    assert!(TcpStream::connect(addr).is_err());
}
