//! A misbehaving target: a raw TCP server that answers the AddPermission request with garbage,
//! silence, a cut-off or endless response, or a wrong answer. Transport failures must end as
//! `target-error`, wrong answers as `mismatch`, and nothing may panic or hang the run.

use addperm::case::{self, Case, Placeholders};
use addperm::outcome::{Compare, Verdict};
use addperm::runner::run_case;
use addperm::target::{HttpOptions, HttpTarget, TargetError};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// The client's time-out in these tests.
const TIMEOUT: Duration = Duration::from_millis(400);

/// How long a "hanging" server stays silent: well past the time-out, yet bounded so no thread
/// outlives the test run by much.
const HANG: Duration = Duration::from_millis(2000);

/// A case without setup: the only request is the AddPermission under test, expecting 201 and a
/// statement, so any other answer is a mismatch.
fn probe() -> Case {
    let line = r#"{"id":"probe","request":{"function_name":"fixture-fn","body":{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com"}},"expect":{"status":201,"error_type":null,"statement":{"Sid":"s","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:fixture-fn"}}}"#;
    case::parse(line, "probe").unwrap().remove(0)
}

/// Reads one request (head and `content-length` body), or `None` when the client is gone.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(head)
}

/// Serves every connection with `behave`, on a port of its own; returns the target's URL.
fn rogue(behave: fn(&mut TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                behave(&mut stream);
            });
        }
    });
    url
}

fn check(url: &str) -> (Verdict, String) {
    let mut options = HttpOptions::new(Placeholders::default());
    options.timeout = TIMEOUT;
    options.max_response_bytes = 64 * 1024;
    let target = HttpTarget::new(url, options).unwrap();
    let started = Instant::now();
    let r = run_case(&target, &probe(), Compare::Message);
    // Every failure is bounded by the time-out (twice: the request, then the cleanup).
    assert!(
        started.elapsed() < 3 * TIMEOUT + Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    let detail = r
        .differences
        .iter()
        .map(|d| format!("{}: {} vs {}", d.field, d.expected, d.actual))
        .chain(r.detail)
        .collect::<Vec<_>>()
        .join("; ");
    (r.verdict, detail)
}

fn answer(stream: &mut TcpStream, response: &[u8]) {
    if read_request(stream).is_some() {
        let _ = stream.write_all(response);
    }
}

#[test]
fn garbage_bytes_are_a_protocol_error() {
    let url = rogue(|s| answer(s, b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe garbage\r\n\r\n"));
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert!(detail.starts_with("not a valid HTTP response"), "{detail}");
}

#[test]
fn silence_is_a_timeout() {
    let url = rogue(|s| {
        let _ = read_request(s);
        std::thread::sleep(HANG);
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert_eq!(
        detail,
        TargetError::Timeout(TIMEOUT.as_millis() as u64).to_string()
    );
}

#[test]
fn a_stalled_body_is_a_timeout() {
    let url = rogue(|s| {
        answer(
            s,
            b"HTTP/1.1 201 Created\r\ncontent-length: 100\r\n\r\n{\"Statement\":",
        );
        std::thread::sleep(HANG);
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert!(detail.starts_with("no answer within"), "{detail}");
}

#[test]
fn closing_mid_response_is_a_reset() {
    let url = rogue(|s| {
        answer(
            s,
            b"HTTP/1.1 201 Created\r\ncontent-length: 100\r\n\r\n{\"Statement\":",
        )
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert!(detail.starts_with("connection reset or closed"), "{detail}");
}

#[test]
fn closing_without_an_answer_is_a_reset() {
    let url = rogue(|s| {
        let _ = read_request(s);
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert!(detail.starts_with("connection reset or closed"), "{detail}");
}

#[test]
fn an_endless_body_is_too_large() {
    let url = rogue(|s| {
        answer(
            s,
            b"HTTP/1.1 201 Created\r\ncontent-length: 104857600\r\n\r\n",
        );
        let chunk = [b'x'; 65536];
        for _ in 0..1600 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert_eq!(detail, TargetError::TooLarge(64 * 1024).to_string());
}

#[test]
fn huge_headers_are_too_large() {
    let url = rogue(|s| {
        let mut response = b"HTTP/1.1 201 Created\r\nx-junk: ".to_vec();
        response.extend(std::iter::repeat_n(b'j', 1 << 20));
        response.extend_from_slice(b"\r\ncontent-length: 0\r\n\r\n");
        answer(s, &response);
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError, "{detail}");
    assert!(detail.starts_with("response larger than"), "{detail}");
}

#[test]
fn a_refused_connection_says_so() {
    // Bind, then drop: the port is closed, and nothing else binds it in this instant.
    let url = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::TargetError);
    assert!(
        detail.contains("refused the connection (is the target running?)"),
        "{detail}"
    );
}

#[test]
fn a_wrong_status_is_a_mismatch() {
    let url = rogue(|s| {
        answer(s, b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\nx-amzn-errortype: ServiceException\r\ncontent-length: 18\r\n\r\n{\"message\":\"boom\"}");
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::Mismatch, "{detail}");
    assert!(detail.contains("status: 201 vs 500"), "{detail}");
    assert!(
        detail.contains("error_type: - vs ServiceException"),
        "{detail}"
    );
}

#[test]
fn malformed_json_is_a_mismatch() {
    let url = rogue(|s| {
        answer(s, b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n{\"Statement\":");
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::Mismatch, "{detail}");
    assert!(
        detail.contains("statement:") && detail.contains("not JSON"),
        "{detail}"
    );
}

#[test]
fn an_html_error_page_is_a_mismatch() {
    let url = rogue(|s| {
        answer(s, b"HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: 17\r\n\r\n<h1>Not Found</h1>");
    });
    let (verdict, detail) = check(&url);
    assert_eq!(verdict, Verdict::Mismatch, "{detail}");
    assert!(detail.contains("status: 201 vs 404"), "{detail}");
}
