//! Zero hand setup: `--create-role` against an emulator that checks CreateFunction's role as
//! moto does, the one-line diagnosis when every case fails setup for want of it, `--role`, and
//! the target and region taken from the AWS SDKs' environment variables.

mod common;

use addperm::reference::{Config, Reference};
use addperm::wire::route::handle;
use common::{addperm_command, curated_path, Served};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};

/// What the emulator holds: its IAM roles, its Lambda state, and the IAM requests it got.
#[derive(Default)]
struct State {
    roles: BTreeSet<String>,
    reference: Option<Reference>,
    iam_requests: Vec<(String, String)>,
}

/// A moto-like emulator on a port of its own: IAM `CreateRole` (Query API, routed by the
/// credential scope's service) at the same endpoint as Lambda, whose CreateFunction refuses a
/// role IAM does not have with moto's answer; everything else is the reference's.
fn emulator() -> (String, Arc<Mutex<State>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(State {
        reference: Some(Reference::new(Config::default())),
        ..State::default()
    }));
    let shared = Arc::clone(&state);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = Arc::clone(&shared);
            std::thread::spawn(move || serve_connection(stream, &state));
        }
    });
    (url, state)
}

/// Answers requests on one keep-alive connection until the client closes it.
fn serve_connection(stream: TcpStream, state: &Mutex<State>) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or_default().to_string(),
            parts.next().unwrap_or_default().to_string(),
        );
        let (mut length, mut auth) = (0, String::new());
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "authorization" => auth = value.trim().to_string(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let (status, error, text) = answer(state, &method, &target, &auth, &body);
        let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", text.len());
        if let Some(e) = error {
            head.push_str(&format!("x-amzn-errortype: {e}\r\n"));
        }
        if writer
            .write_all(format!("{head}\r\n{text}").as_bytes())
            .is_err()
        {
            return;
        }
    }
}

/// Status, error type and body of the emulator's answer.
fn answer(
    state: &Mutex<State>,
    method: &str,
    target: &str,
    auth: &str,
    body: &[u8],
) -> (u16, Option<String>, String) {
    let mut state = state.lock().unwrap();
    let text = String::from_utf8_lossy(body).into_owned();
    if auth.contains("/iam/aws4_request") {
        state.iam_requests.push((target.to_string(), text.clone()));
        let form = |key: &str| {
            text.split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .map(decode)
                .unwrap_or_default()
        };
        let arn = format!(
            "arn:aws:iam::123456789012:role{}{}",
            form("Path"),
            form("RoleName")
        );
        return if form("Action") != "CreateRole" {
            (
                400,
                None,
                "<ErrorResponse>InvalidAction</ErrorResponse>".into(),
            )
        } else if state.roles.insert(arn) {
            (200, None, "<CreateRoleResponse/>".into())
        } else {
            (
                409,
                None,
                "<ErrorResponse><Error><Code>EntityAlreadyExists</Code></Error></ErrorResponse>"
                    .into(),
            )
        };
    }
    if method == "POST" && target == "/2015-03-31/functions" {
        let create: Value = serde_json::from_slice(body).unwrap_or_default();
        let role = create["Role"].as_str().unwrap_or_default();
        if !state.roles.contains(role) {
            return (
                400,
                Some("InvalidParameterValueException".into()),
                r#"{"Type":"User","message":"The role defined for the function cannot be assumed by Lambda."}"#.into(),
            );
        }
    }
    let response = handle(state.reference.as_mut().unwrap(), method, target, body);
    let error = response.header("x-amzn-errortype").map(str::to_string);
    (
        response.status,
        error,
        String::from_utf8_lossy(&response.body).into_owned(),
    )
}

/// A form value, percent-decoded.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn check(target: &str, extra: &[&str]) -> Output {
    addperm_command()
        .args(["check", "--target", target, "--cases"])
        .arg(curated_path())
        .args(["--jobs", "4"])
        .args(extra)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn without_the_role_one_line_says_why_and_names_the_flag() {
    let (url, _) = emulator();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let out = check(&url, &["--report-json", json.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let failed = stdout
        .lines()
        .filter(|l| l.starts_with("SETUP-FAILURE "))
        .count();
    let total = common::curated().len();
    assert!(failed * 2 > total, "{failed} of {total}");
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "SETUP: {failed} of {total} cases failed setup the same way: CreateFunction answered 400 InvalidParameterValueException The role defined for the function cannot be assumed by Lambda. (expected 201); fix: the target refuses the role CreateFunction names: on an emulator, run again with --create-role, which creates it through the target's IAM API (in Rust: HttpTarget::create_role); on a real account, name a role that exists there with --role ARN (HttpOptions::role)"
        )
    );
    // Once at the top, once in the summary: never once per case.
    let saying = |needle: &str| stdout.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(saying("cannot be assumed by Lambda"), 2, "{stdout}");
    assert_eq!(saying("--create-role"), 2, "{stdout}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let diagnosis = &report["diagnosis"];
    assert_eq!(diagnosis["cases"], failed);
    assert_eq!(diagnosis["total"], total);
    assert!(diagnosis["fix"].as_str().unwrap().contains("--create-role"));
    let verdicts = report["cases"].as_array().unwrap();
    assert_eq!(
        verdicts
            .iter()
            .filter(|c| c["verdict"] == "setup-failure")
            .count(),
        failed,
        "each case keeps its verdict and detail"
    );
}

#[test]
fn create_role_makes_the_role_once_and_every_case_reaches_its_request() {
    let (url, state) = emulator();
    let role = "arn:aws:iam::123456789012:role/addperm-fixture-role";
    let out = check(&url, &["--create-role"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stdout.contains("SETUP"), "{stdout}");
    assert!(
        stderr.contains(&format!("created the IAM role {role} on {url}")),
        "{stderr}"
    );
    let again = check(&url, &["--create-role"]);
    let (_, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("the IAM role {role} exists on {url}")),
        "{stderr}"
    );
    let state = state.lock().unwrap();
    assert_eq!(state.roles, BTreeSet::from([role.to_string()]));
    let (path, body) = &state.iam_requests[0];
    assert_eq!(path, "/");
    assert!(
        body.starts_with("Action=CreateRole&Version=2010-05-08&RoleName=addperm-fixture-role&Path=%2F&AssumeRolePolicyDocument=%7B"),
        "{body}"
    );
}

#[test]
fn a_named_role_is_created_with_its_path_and_named_by_every_create_function() {
    let (url, state) = emulator();
    let role = "arn:aws:iam::123456789012:role/ci/runner";
    let out = check(&url, &["--create-role", "--role", role]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(state.lock().unwrap().roles.contains(role));
}

#[test]
fn roles_are_never_created_in_a_real_account_and_bad_ones_are_named() {
    let out = addperm_command()
        .args(["check", "--target", "http://127.0.0.1:9", "--cases"])
        .arg(curated_path())
        .args(["--sign", "--create-role"])
        .env("AWS_ACCESS_KEY_ID", "AKID")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--create-role is refused with --sign: addperm never creates IAM roles in a real account; name a role that exists there with --role ARN"),
        "{stderr}"
    );
    for bad in [
        "addperm-fixture-role",
        "arn:aws:iam::123:role/r",
        "arn:aws:iam::123456789012:user/u",
    ] {
        let out = check("http://127.0.0.1:9", &["--role", bad]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{bad:?} is not an IAM role ARN: expected arn:PARTITION:iam::ACCOUNT:role/NAME"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_target_without_iam_is_told_and_the_run_goes_on() {
    let (_served, url) = common::serve();
    let out = check(&url, &["--create-role", "--id", "ok-principal-service-s3"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("--create-role on {url}: IAM CreateRole of arn:aws:iam::123456789012:role/addperm-fixture-role answered HTTP 404")) && stderr.contains("running without it"),
        "{stderr}"
    );
}

/// `check` with `env` set and no `--target`, against `--create-role`: the stderr names the
/// target the run went to.
fn check_env(env: &[(&str, &str)], extra: &[&str]) -> Output {
    let mut c = addperm_command();
    c.args(["check", "--cases"])
        .arg(curated_path())
        .args(["--id", "ok-principal-service-s3"])
        .args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn the_target_comes_from_the_sdk_endpoint_variables_and_a_flag_wins() {
    let (url, _) = emulator();
    let dead = "http://127.0.0.1:9";
    for env in [
        vec![("AWS_ENDPOINT_URL", url.as_str())],
        vec![
            ("AWS_ENDPOINT_URL_LAMBDA", url.as_str()),
            ("AWS_ENDPOINT_URL", dead),
        ],
    ] {
        let out = check_env(&env, &["--create-role"]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{env:?}: {stdout}{stderr}");
        assert!(stderr.contains(&format!("on {url}")), "{stderr}");
    }
    let out = check_env(&[("AWS_ENDPOINT_URL", dead)], &["--target", "reference"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let help = addperm_command()
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).replace('\n', " ");
    for needle in [
        "$AWS_ENDPOINT_URL_LAMBDA",
        "$AWS_ENDPOINT_URL,",
        "$AWS_REGION",
        "--create-role",
        "--role <ARN>",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}

/// The region `addperm serve` says it emulates, started with `env` and `extra`.
fn serve_region(env: &[(&str, &str)], extra: &[&str]) -> String {
    let mut c = addperm_command();
    c.args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut served = Served(c.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(served.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let region = line.split("region ").nth(1).unwrap_or_default();
    region
        .split([',', ')'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_region_comes_from_the_sdk_region_variables_and_the_flag_wins() {
    assert_eq!(serve_region(&[], &[]), "us-east-1");
    assert_eq!(
        serve_region(&[("AWS_DEFAULT_REGION", "eu-north-1")], &[]),
        "eu-north-1"
    );
    let both = [
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "eu-north-1"),
    ];
    assert_eq!(serve_region(&both, &[]), "eu-west-1");
    assert_eq!(
        serve_region(&both, &["--region", "ap-south-1"]),
        "ap-south-1"
    );
}
