//! Waiting for a function to settle before changing it.
//!
//! AWS creates a function in `State: Pending` and rejects changes to it (PublishVersion among
//! them) until it is `Active`; LocalStack does the same, and without docker its functions end in
//! `Failed` a few seconds later, where the control plane works again. Likewise an update leaves
//! `LastUpdateStatus: InProgress` for a while, and PublishVersion fails until it is over. The
//! runner therefore polls GetFunction before publishing a version when the last answer about the
//! function said `Pending` or `InProgress`, for a bounded time. Targets that report neither (the
//! reference, `addperm serve`, moto: `Active` at once) are never polled.

use crate::target::{Session, TargetError};
use crate::wire::{Operation, Response};
use std::time::{Duration, Instant};

/// How long a function may stay `Pending` before setup gives up.
pub const PENDING_LIMIT: Duration = Duration::from_secs(30);

/// A member of the function configuration in a CreateFunction/UpdateFunctionConfiguration
/// answer (top level) or a GetFunction answer (`Configuration`), if it is a string.
fn member(response: &Response, key: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(&response.body).ok()?;
    v.get(key)
        .or_else(|| v.get("Configuration").and_then(|c| c.get(key)))
        .and_then(|s| s.as_str())
        .map(str::to_string)
}

/// The function's `State`, if the answer reports one.
pub fn state_of(response: &Response) -> Option<String> {
    member(response, "State")
}

/// Whether the answer says the function cannot be changed yet: `State: Pending` or
/// `LastUpdateStatus: InProgress`.
pub fn busy(response: &Response) -> bool {
    state_of(response).as_deref() == Some("Pending")
        || member(response, "LastUpdateStatus").as_deref() == Some("InProgress")
}

/// Why a function did not settle.
#[derive(Debug)]
pub enum NotReady {
    Target(TargetError),
    /// Still busy after `limit`; or GetFunction failed (the status and body excerpt).
    Setup(String),
}

/// Polls GetFunction for `name` until it is no longer [`busy`], for at most `limit`. The first
/// poll is immediate, later ones back off from 50 ms to 500 ms. Returns the state reached (an
/// empty string when GetFunction names none).
pub fn wait_while_busy(
    session: &mut dyn Session,
    name: &str,
    limit: Duration,
) -> Result<String, NotReady> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        let r = session
            .send(&Operation::GetFunction {
                name: name.to_string(),
                qualifier: None,
            })
            .map_err(NotReady::Target)?;
        if r.status != 200 {
            return Err(NotReady::Setup(format!(
                "GetFunction of {name} answered {} while waiting for it to settle: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            )));
        }
        if !busy(&r) {
            return Ok(state_of(&r).unwrap_or_default());
        }
        let elapsed = start.elapsed();
        if elapsed >= limit {
            return Err(NotReady::Setup(format!(
                "function {name} was still Pending or updating after {} s (PublishVersion needs it settled)",
                limit.as_secs_f64()
            )));
        }
        std::thread::sleep(pause.min(limit - elapsed));
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers GetFunction with the given states in turn (the last one forever) and counts
    /// the calls.
    struct Fake {
        states: Vec<&'static str>,
        calls: usize,
    }

    impl Session for Fake {
        fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
            assert!(matches!(op, Operation::GetFunction { .. }), "{op:?}");
            let state = self.states[self.calls.min(self.states.len() - 1)];
            self.calls += 1;
            let body = if state.is_empty() {
                r#"{"Configuration":{}}"#.to_string()
            } else {
                format!(r#"{{"Configuration":{{"State":"{state}"}}}}"#)
            };
            Ok(Response::json(200, body))
        }
    }

    #[test]
    fn reads_state_from_create_and_get_answers() {
        let create = Response::json(201, r#"{"FunctionName":"f","State":"Pending"}"#.into());
        let get = Response::json(200, r#"{"Configuration":{"State":"Active"}}"#.into());
        assert_eq!(state_of(&create).as_deref(), Some("Pending"));
        assert_eq!(state_of(&get).as_deref(), Some("Active"));
        assert_eq!(state_of(&Response::json(201, "{}".into())), None);
        assert_eq!(state_of(&Response::json(201, "<html>".into())), None);
        assert!(busy(&create) && !busy(&get));
        let updating = r#"{"State":"Active","LastUpdateStatus":"InProgress"}"#;
        assert!(busy(&Response::json(200, updating.into())));
    }

    #[test]
    fn polls_until_the_function_leaves_pending() {
        let mut s = Fake {
            states: vec!["Pending", "Pending", "Failed"],
            calls: 0,
        };
        let state = wait_while_busy(&mut s, "f", Duration::from_secs(5)).unwrap();
        assert_eq!((state.as_str(), s.calls), ("Failed", 3));
        let mut s = Fake {
            states: vec![""],
            calls: 0,
        };
        assert_eq!(
            wait_while_busy(&mut s, "f", Duration::from_secs(5)).unwrap(),
            ""
        );
        assert_eq!(s.calls, 1);
    }

    #[test]
    fn gives_up_after_the_limit() {
        let mut s = Fake {
            states: vec!["Pending"],
            calls: 0,
        };
        let start = Instant::now();
        let Err(NotReady::Setup(why)) = wait_while_busy(&mut s, "f", Duration::from_millis(300))
        else {
            panic!("expected a setup failure");
        };
        assert!(why.contains("still Pending or updating"), "{why}");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(s.calls >= 2, "{}", s.calls);
    }
}
