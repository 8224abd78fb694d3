//! A `curl` command that sends a case's AddPermission request again, byte for byte, so anyone can
//! reproduce a finding by hand against any implementation without addperm.
//!
//! The command is for a POSIX shell. Words are single-quoted; a body with control characters
//! (which single quotes cannot carry on one line, and NUL which no argument can carry) is piped
//! in through `printf` instead, whose octal escapes are POSIX.

use crate::outcome::SentRequest;
use crate::reference::{AddPermissionRequest, Body};
use crate::target::{CurlAuth, Endpoint};
use crate::wire::Operation;

/// The base URL printed for targets without an address (the in-process reference): replace
/// `PORT` with the port of `addperm serve`, or the whole base with another implementation's.
pub const PLACEHOLDER_BASE_URL: &str = "http://127.0.0.1:PORT";

/// The curl command that sends `sent` to `endpoint`, authorised as the run's own requests were.
///
/// `--path-as-is` keeps `.` and `..` path segments (a function called `..` is a valid test that
/// curl would otherwise squash away) and `--globoff` keeps `[`/`]` (an IPv6 base URL) literal.
pub fn curl_command(sent: &SentRequest, endpoint: &Endpoint) -> String {
    let http = Operation::AddPermission(AddPermissionRequest {
        function_name: sent.function_name.clone(),
        qualifier: sent.qualifier.clone(),
        body: Body::Raw(sent.body.clone().into_bytes()),
    })
    .to_http();
    let url = format!(
        "{}{}",
        endpoint.base_url.trim_end_matches('/'),
        http.path_and_query()
    );
    let mut words = vec![
        "curl -sS -i --globoff --path-as-is -X".to_string(),
        http.method.to_string(),
        quote(&url),
        "-H".to_string(),
        quote("Content-Type: application/json"),
    ];
    words.extend(auth_words(&endpoint.auth));
    words.push("--data-binary".to_string());
    let command = words.join(" ");
    if sent.body.bytes().any(|b| b < 0x20 || b == 0x7f) {
        format!(
            "printf {} | {command} @-",
            quote(&printf_format(&sent.body))
        )
    } else {
        format!("{command} {}", quote(&sent.body))
    }
}

/// The curl arguments, as shell words, that authorise the request. The SigV4 credentials are
/// double-quoted parameter expansions, so the shell fills them in and no secret is printed.
fn auth_words(auth: &CurlAuth) -> Vec<String> {
    match auth {
        CurlAuth::Headers(headers) => headers
            .iter()
            .flat_map(|(name, value)| ["-H".to_string(), quote(&format!("{name}: {value}"))])
            .collect(),
        CurlAuth::SigV4 {
            region,
            session_token,
        } => {
            let mut words = vec![
                "--aws-sigv4".to_string(),
                quote(&format!("aws:amz:{region}:lambda")),
                "--user".to_string(),
                r#""$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY""#.to_string(),
            ];
            if *session_token {
                words.push("-H".to_string());
                words.push(r#""x-amz-security-token: $AWS_SESSION_TOKEN""#.to_string());
            }
            words
        }
    }
}

/// `s` as one shell word: single-quoted, with each `'` written as `'\''`.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A printf format that prints exactly `s`: `%` and `\` escaped, control bytes as octal.
fn printf_format(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%%"),
            '\\' => out.push_str(r"\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\{:03o}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(function_name: &str, qualifier: Option<&str>, body: &str) -> SentRequest {
        SentRequest {
            function_name: function_name.into(),
            qualifier: qualifier.map(str::to_string),
            body: body.into(),
            sent_function_name: None,
        }
    }

    #[test]
    fn url_is_percent_encoded_and_words_quoted() {
        let s = sent(
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            Some("live"),
            r#"{"StatementId":"it's"}"#,
        );
        assert_eq!(
            curl_command(&s, &Endpoint::unsigned("http://127.0.0.1:9000/")),
            "curl -sS -i --globoff --path-as-is -X POST \
             'http://127.0.0.1:9000/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/policy?Qualifier=live' \
             -H 'Content-Type: application/json' --data-binary '{\"StatementId\":\"it'\\''s\"}'"
        );
    }

    #[test]
    fn control_characters_go_through_printf() {
        let c = curl_command(
            &sent("f", None, "{\n\"a\":\"50%\\\u{0}\"}"),
            &Endpoint::unsigned("http://h"),
        );
        assert!(
            c.starts_with(r#"printf '{\012"a":"50%%\\\000"}' | curl "#),
            "{c}"
        );
        assert!(c.ends_with("--data-binary @-"), "{c}");
    }

    /// Runs `command` in `sh` with a stand-in `curl` on the PATH that records its arguments and
    /// standard input, with `env` added to the environment; returns both.
    #[cfg(unix)]
    fn run_in_sh(command: &str, env: &[(&str, &str)]) -> (Vec<String>, Vec<u8>) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("curl");
        std::fs::write(
            &fake,
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OUT.args\"\ncat > \"$OUT.stdin\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = format!(
            "{}:{}",
            dir.path().display(),
            std::env::var("PATH").unwrap()
        );
        let out = dir.path().join("out");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .env("PATH", &path)
            .env("OUT", &out)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let args = std::fs::read_to_string(out.with_extension("args")).unwrap();
        let stdin = std::fs::read(out.with_extension("stdin")).unwrap();
        (args.lines().map(str::to_string).collect(), stdin)
    }

    /// Each command, run by `sh`, hands curl exactly the bytes meant.
    #[cfg(unix)]
    #[test]
    fn the_shell_sees_the_exact_request() {
        for (body, piped) in [
            (r#"{"Principal":"*","Sid":"a'b $HOME `x` \\n"}"#, false),
            (
                "{\"Sid\":\"tab\there\",\"nul\":\"\u{0}\",\"pct\":\"%s\\\\\"}",
                true,
            ),
        ] {
            let s = sent("..", Some("a b&c"), body);
            let (args, stdin) = run_in_sh(
                &curl_command(&s, &Endpoint::unsigned("http://[::1]:1")),
                &[],
            );
            assert_eq!(
                args[6],
                "http://[::1]:1/2015-03-31/functions/../policy?Qualifier=a%20b%26c"
            );
            assert_eq!(args[8], "Content-Type: application/json");
            if piped {
                assert_eq!(args[10], "@-");
                assert_eq!(stdin, body.as_bytes());
            } else {
                assert_eq!(args[10], body);
                assert!(stdin.is_empty());
            }
        }
    }

    /// The fake signature goes in as headers; real SigV4 as curl's own signing, with the
    /// credentials read from the environment by the shell and never written in the command.
    #[cfg(unix)]
    #[test]
    fn the_request_is_authorised_as_the_run_was() {
        use crate::target::Signing;
        use std::time::{Duration, UNIX_EPOCH};
        let s = sent("f", None, "{}");
        let now = UNIX_EPOCH + Duration::from_secs(1_709_251_199);
        let fake = Endpoint {
            base_url: "http://h".into(),
            auth: Signing::Fake {
                account: "111122223333".into(),
            }
            .curl_auth("eu-west-1", now),
        };
        let (args, _) = run_in_sh(&curl_command(&s, &fake), &[]);
        assert_eq!(&args[9..13], ["-H", "authorization: AWS4-HMAC-SHA256 Credential=111122223333/20240229/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000", "-H", "x-amz-date: 20240229T235959Z"]);

        let sigv4 = Endpoint {
            base_url: "http://h".into(),
            auth: CurlAuth::SigV4 {
                region: "eu-west-1".into(),
                session_token: true,
            },
        };
        let command = curl_command(&s, &sigv4);
        assert!(!command.contains("wJalr"), "{command}");
        let env = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ];
        let (args, _) = run_in_sh(&command, &env);
        assert_eq!(
            &args[9..15],
            [
                "--aws-sigv4",
                "aws:amz:eu-west-1:lambda",
                "--user",
                "AKID:wJalrXUtnFEMI",
                "-H",
                "x-amz-security-token: TOKEN"
            ]
        );
        assert_eq!(args[15], "--data-binary");
    }
}
