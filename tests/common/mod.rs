//! Shared by the integration tests: the curated cases, and targets that answer wrongly on
//! purpose so reports have something to report.

#![allow(dead_code)] // each test crate uses its own part of this module

use addperm::case::{Case, Placeholders};
use addperm::target::{Endpoint, ReferenceTarget, Session, Target, TargetError};
use addperm::wire::{Operation, Response};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub fn curated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/aws-behaviour.jsonl")
}

pub fn curated() -> Vec<Case> {
    addperm::case::read(&curated_path()).expect("the curated cases parse")
}

/// What a wrapped target does differently from the reference.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Answers every AddPermission 404 with status 400 (body unchanged).
    NotFoundAs400,
    /// Gives every case's functions its own name (`<name>-r1`), as targets with shared state do.
    Renames,
    /// Answers a successful CreateAlias 200 (AWS: 201), as an emulator tried here did.
    AliasAs200,
}

/// The reference with one fault.
pub struct Faulty {
    pub inner: ReferenceTarget,
    pub fault: Fault,
}

pub fn faulty(fault: Fault) -> Faulty {
    Faulty {
        inner: ReferenceTarget::default(),
        fault,
    }
}

impl Target for Faulty {
    fn name(&self) -> String {
        format!("faulty-{:?}", self.fault)
    }

    fn placeholders(&self) -> Placeholders {
        self.inner.placeholders()
    }

    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
        Ok(Box::new(FaultySession {
            inner: self.inner.session()?,
            fault: self.fault,
        }))
    }

    fn endpoint(&self) -> Option<Endpoint> {
        Some(Endpoint::unsigned("http://127.0.0.1:4010"))
    }
}

struct FaultySession<'a> {
    inner: Box<dyn Session + 'a>,
    fault: Fault,
}

impl Session for FaultySession<'_> {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        let mut response = self.inner.send(op)?;
        if matches!(self.fault, Fault::NotFoundAs400)
            && matches!(op, Operation::AddPermission(_))
            && response.status == 404
        {
            response.status = 400;
        }
        if matches!(self.fault, Fault::AliasAs200)
            && matches!(op, Operation::CreateAlias { .. })
            && response.status == 201
        {
            response.status = 200;
        }
        Ok(response)
    }

    fn function_name(&self, original: &str) -> String {
        match self.fault {
            Fault::Renames => format!("{original}-r1"),
            Fault::NotFoundAs400 | Fault::AliasAs200 => original.to_string(),
        }
    }
}

/// A child process (`addperm serve`, a long `addperm fuzz`), killed when the test ends however
/// it ends, unless it has already exited.
pub struct Served(pub Child);

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The variables addperm reads a target and a region from, as the AWS SDKs do.
pub const AWS_ENV: [&str; 4] = [
    "AWS_ENDPOINT_URL_LAMBDA",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

/// The addperm binary as a command, without the developer's [`AWS_ENV`]: a test that means
/// the default target or region must get it, whatever the shell running the tests exports.
pub fn addperm_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_addperm"));
    for var in AWS_ENV {
        c.env_remove(var);
    }
    c
}

/// Starts `addperm serve` on a free port with `extra` arguments; returns the process and the URL
/// it printed.
pub fn serve_with(extra: &[&str], stderr: Stdio) -> (Served, String) {
    let mut child = addperm_command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line:?}");
    (Served(child), url)
}

/// `addperm serve` on a free port, its stderr discarded.
pub fn serve() -> (Served, String) {
    serve_with(&[], Stdio::null())
}

/// Reads one HTTP/1.1 request from a plain socket (for targets a test writes itself): its
/// method, target and body, or `None` when the client closed.
pub fn read_request(stream: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    if stream.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut length = 0;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((k, v)) = header.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((method, target, body))
}

pub fn write_response(stream: &mut TcpStream, r: &addperm::wire::Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
        r.status,
        r.body.len()
    );
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&r.body)
}
