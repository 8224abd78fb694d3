//! A Lambda implementation reached over HTTP: `addperm serve`, moto, LocalStack, or AWS itself.
//!
//! The harness must outlive any target: a refused connection, a hang, a reset, garbage bytes or
//! an endless body each become a [`TargetError`] for the one request, never a panic or a stuck
//! run. Every request has a time-out covering the whole exchange and every response a size cap.
//! Connections are pooled and kept alive between requests and cases.
//!
//! A remote target keeps state between cases, so each session gives the case's functions names
//! of its own ([`Isolation::Rename`]) and deletes the functions it created when it finishes.

mod iam;
mod resolve;

pub use iam::{RoleCreated, RoleError};

use super::sign::{Service, Signing};
use super::{Endpoint, Session, Target, TargetError};
use crate::case::Placeholders;
use crate::contract::provisioning;

use super::Requests;
use crate::wire::{fixture_role_arn, Operation, Response};
use std::io;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How cases are kept apart on a target that is shared between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// Each session ends every function name in `-<8 hex>` of its own (keeping the name's
    /// length where it has 10 characters or more), so cases can run in parallel and
    /// leftovers never collide.
    #[default]
    Rename,
    /// Names are used as the case gives them: for one case at a time (`--jobs 1`) on a target
    /// that must see the exact names, or where a short name's length matters.
    None,
}

/// Everything about talking to an HTTP target except its URL.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The time-out of one request, from connecting to the last body byte.
    pub timeout: Duration,
    /// The largest response (body) accepted; a larger one is [`TargetError::TooLarge`].
    pub max_response_bytes: usize,
    pub signing: Signing,
    pub isolation: Isolation,
    /// The account, region and partition the target lives in.
    pub placeholders: Placeholders,
    /// The execution role (an IAM role ARN) every CreateFunction names: moto and AWS refuse a
    /// function whose role does not exist. [`HttpTarget::create_role`] creates it on an
    /// emulator; on a real account it must exist already.
    pub role: String,
}

impl HttpOptions {
    /// Defaults for an emulator in the account and region of `placeholders`: 10 s time-out,
    /// 1 MiB responses, the fake signature, renaming, the role
    /// `arn:<partition>:iam::<account>:role/addperm-fixture-role`.
    pub fn new(placeholders: Placeholders) -> Self {
        Self {
            role: fixture_role_arn(&placeholders.partition, &placeholders.account),
            timeout: Duration::from_secs(10),
            max_response_bytes: 1 << 20,
            signing: Signing::Fake {
                account: placeholders.account.clone(),
            },
            isolation: Isolation::Rename,
            placeholders,
        }
    }
}

/// A target URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad target URL {url:?}: {reason} (expected http://HOST[:PORT] or https://HOST[:PORT])")]
pub struct BadUrl {
    pub url: String,
    pub reason: String,
}

/// A Lambda endpoint reached over HTTP.
#[derive(Debug)]
pub struct HttpTarget {
    /// `scheme://authority`, without a trailing slash.
    base: String,
    agent: ureq::Agent,
    options: HttpOptions,
    /// Requests sent, by operation: what a run cost the target.
    sent: Mutex<Requests>,
}

/// Idle connections kept per host: more than any sensible `--jobs`, so parallel sessions do
/// not open a connection per request.
const POOL_PER_HOST: usize = 64;

impl HttpTarget {
    /// A target at `url` (`http://` or `https://`, host and optional port, no path).
    pub fn new(url: &str, options: HttpOptions) -> Result<Self, BadUrl> {
        let bad = |reason: &str| BadUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let uri: http::Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| bad(&format!("not a URL ({e})")))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            Some(_) => return Err(bad("the scheme must be http or https")),
            None => return Err(bad("the scheme is missing")),
        }
        let authority = uri.authority().ok_or_else(|| bad("the host is missing"))?;
        if authority.host().is_empty() {
            return Err(bad("the host is missing"));
        }
        if authority.as_str().contains('@') {
            return Err(bad("user information is not supported"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(bad(
                "a path or query is not supported: Lambda's paths start at /",
            ));
        }
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_idle_connections(POOL_PER_HOST)
            .max_idle_connections_per_host(POOL_PER_HOST)
            .user_agent(concat!("addperm/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            base: format!("{}://{}", uri.scheme_str().unwrap_or("http"), authority),
            agent: ureq::Agent::with_parts(
                config,
                ureq::unversioned::transport::DefaultConnector::new(),
                resolve::CachingResolver::default(),
            ),
            options,
            sent: Mutex::default(),
        })
    }

    /// The role every CreateFunction names ([`HttpOptions::role`]).
    pub fn role(&self) -> &str {
        &self.options.role
    }

    /// Sends one Lambda operation and reads the whole answer.
    fn call(&self, op: &Operation) -> Result<Response, TargetError> {
        if let Ok(mut sent) = self.sent.lock() {
            sent.add(op.name());
        }
        let request = op.to_http_with_role(&self.options.role);
        let content_type = (request.method == "POST").then_some("application/json");
        self.exchange(
            Service::Lambda,
            request.method,
            &request.path_and_query(),
            content_type,
            request.body,
        )
    }

    /// Sends one request for `service` to `path_and_query` (percent-encoded) and reads the
    /// whole answer.
    fn exchange(
        &self,
        service: Service,
        method: &str,
        path_and_query: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Response, TargetError> {
        let url = format!("{}{path_and_query}", self.base);
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(c) = content_type {
            headers.push(("content-type".into(), c.into()));
        }
        let unsigned: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let auth = self
            .options
            .signing
            .headers(
                service,
                method,
                &url,
                &unsigned,
                &body,
                &self.options.placeholders.region,
                SystemTime::now(),
            )
            .map_err(TargetError::Protocol)?;
        headers.extend(auth);
        let mut builder = http::Request::builder().method(method).uri(&url);
        for (k, v) in &headers {
            builder = builder.header(k, v);
        }
        let sent = if body.is_empty() {
            builder.body(()).map(|r| self.agent.run(r))
        } else {
            builder.body(body).map(|r| self.agent.run(r))
        };
        let response = sent
            .map_err(|e| TargetError::Protocol(format!("cannot build the request: {e}")))?
            .map_err(|e| self.error(e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .with_config()
            .limit(self.options.max_response_bytes as u64)
            .read_to_vec()
            .map_err(|e| self.error(e))?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// What a transport failure means for the harness.
    fn error(&self, e: ureq::Error) -> TargetError {
        let timeout = || TargetError::Timeout(self.options.timeout.as_millis() as u64);
        match e {
            ureq::Error::Timeout(_) => timeout(),
            ureq::Error::BodyExceedsLimit(_) => {
                TargetError::TooLarge(self.options.max_response_bytes)
            }
            ureq::Error::LargeResponseHeader(_, limit) => TargetError::TooLarge(limit),
            ureq::Error::HostNotFound => {
                TargetError::Connect(format!("cannot resolve the host of {}", self.base))
            }
            ureq::Error::ConnectionFailed => {
                TargetError::Connect(format!("cannot connect to {}", self.base))
            }
            ureq::Error::Io(io) => match io.kind() {
                io::ErrorKind::ConnectionRefused => TargetError::Connect(format!(
                    "{} refused the connection (is the target running?)",
                    self.base
                )),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timeout(),
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof => TargetError::Reset(io.to_string()),
                _ => TargetError::Protocol(io.to_string()),
            },
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
                TargetError::Connect(format!("TLS with {} failed: {e}", self.base))
            }
            other => TargetError::Protocol(other.to_string()),
        }
    }
}

impl Target for HttpTarget {
    fn name(&self) -> String {
        self.base.clone()
    }

    fn placeholders(&self) -> Placeholders {
        self.options.placeholders.clone()
    }

    /// Reports' curl lines then reproduce against this very target, signed as the run was.
    fn endpoint(&self) -> Option<Endpoint> {
        Some(Endpoint {
            base_url: self.base.clone(),
            auth: self
                .options
                .signing
                .curl_auth(&self.options.placeholders.region, SystemTime::now()),
        })
    }

    /// Unless `--isolation none` promised the exact names.
    fn reusable_fixtures(&self) -> bool {
        self.options.isolation == Isolation::Rename
    }

    fn requests(&self) -> Option<Requests> {
        self.sent.lock().ok().map(|r| r.clone())
    }

    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
        Ok(Box::new(HttpSession {
            target: self,
            nonce: uuid::Uuid::new_v4().as_u64_pair().0,
            created: Vec::new(),
        }))
    }
}

/// One case's view of an HTTP target.
struct HttpSession<'a> {
    target: &'a HttpTarget,
    /// Makes this session's names differ from every other session's.
    nonce: u64,
    /// Functions this session created, deleted by [`Session::finish`].
    created: Vec<String>,
}

impl Session for HttpSession<'_> {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        let response = self.target.call(op)?;
        match op {
            Operation::CreateFunction { name } if response.status == 201 => {
                self.created.push(name.clone());
            }
            // Deleted already: `finish` need not delete it again.
            Operation::DeleteFunction { name } if (200..300).contains(&response.status) => {
                self.created.retain(|c| c != name);
            }
            _ => {}
        }
        Ok(response)
    }

    fn function_name(&self, original: &str) -> String {
        match self.target.options.isolation {
            Isolation::Rename => rename(original, self.nonce),
            Isolation::None => original.to_string(),
        }
    }

    fn finish(&mut self) {
        for name in std::mem::take(&mut self.created).into_iter().rev() {
            // Best effort: a function left behind has a name no later session uses. A target
            // that no longer answers is not waited for once per function.
            if let Err(e) = self.target.call(&Operation::DeleteFunction { name }) {
                if e.no_answer() {
                    break;
                }
            }
        }
    }
}

/// `original` made unique to a session by ending it in `-<8 hex>`. Where the name is long
/// enough (10 characters or more) the suffix replaces its end, so the name keeps its length:
/// policy sizes and ARN lengths, which cases compute exactly (`size-exact`), stay as written.
/// A shorter name gets the suffix appended. The suffix depends on the session and on the whole
/// original name, so two names sharing a prefix stay apart. A name CreateFunction does not
/// accept is left alone: the target rejects it without creating anything, and renaming could
/// change whether it is valid.
pub(crate) fn rename(original: &str, nonce: u64) -> String {
    if !provisioning().is_function_name(original) {
        return original.to_string();
    }
    // FNV-1a over the nonce and the name: stable within the session, spread across sessions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in nonce.to_le_bytes().iter().chain(original.as_bytes()) {
        hash = (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let suffix = format!("-{:08x}", (hash ^ (hash >> 32)) as u32);
    let keep = if original.len() > suffix.len() {
        original.len() - suffix.len()
    } else {
        original.len()
    };
    format!("{}{suffix}", &original[..keep])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renaming_is_stable_unique_and_keeps_lengths() {
        let a = rename("fixture-fn", 1);
        assert!(a.starts_with("f-") && a.len() == 10, "{a}");
        assert_eq!(a, rename("fixture-fn", 1));
        assert_ne!(a, rename("fixture-fn", 2));
        assert_ne!(a, rename("fixture-fx", 1));
        let short = rename("fn", 1);
        assert!(short.starts_with("fn-") && short.len() == 11, "{short}");
        let long = "x".repeat(64);
        assert_eq!(rename(&long, 1).len(), 64);
        assert_ne!(rename(&long, 1), rename(&format!("{}y", "x".repeat(63)), 1));
        let too_long = "x".repeat(provisioning().function_name.max().unwrap() + 1);
        for invalid in ["", "a:b", "bad name", &too_long, "é"] {
            assert_eq!(rename(invalid, 1), invalid);
        }
    }

    #[test]
    fn urls_are_checked() {
        let opts = || HttpOptions::new(Placeholders::default());
        for good in [
            "http://127.0.0.1:9001",
            "http://localhost:9001/",
            "https://lambda.us-east-1.amazonaws.com",
        ] {
            let t = HttpTarget::new(good, opts()).unwrap();
            assert!(!t.name().ends_with('/'), "{}", t.name());
        }
        for (bad, why) in [
            ("127.0.0.1:9001", "scheme"),
            ("ftp://x", "http or https"),
            ("http://", "not a URL"),
            ("http://h/2015-03-31", "path"),
            ("http://h/?a=1", "path or query"),
            ("http://u:p@h", "user information"),
            ("not a url", "not a URL"),
        ] {
            let e = HttpTarget::new(bad, opts()).unwrap_err().to_string();
            assert!(
                e.contains(why) && e.contains("expected http://"),
                "{bad}: {e}"
            );
        }
    }
}
