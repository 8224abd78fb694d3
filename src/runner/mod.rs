//! Running cases against a target: set up `given`, resolve placeholders, send the request,
//! compare the answer, and give each case exactly one verdict.

mod baseline;
mod compare;
pub mod fuzz;
mod pair;
mod pending;
mod shard;

pub use baseline::{Baseline, Divergence, Judgement};
pub use compare::{compare, Compare, Difference};
pub use pair::{compare_answers, compare_pair, PairResult, PairVerdict};
pub use shard::Shard;

use crate::case::{self, Case, Expect, Given, Placeholders};
use crate::contract::FunctionRef;
use crate::reference::{AddPermissionRequest, Body};
use crate::shrink::ShrinkNote;
use crate::target::{observe, Observed, Session, Target, TargetError};
use crate::wire::{Operation, Response};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How a case ended.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Mismatch,
    SetupFailure,
    TargetError,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Mismatch => "mismatch",
            Verdict::SetupFailure => "setup-failure",
            Verdict::TargetError => "target-error",
        }
    }
}

/// The request as it was sent (after placeholders), for reports and replays.
///
/// `function_name` carries the case's own function name, as every report shows it: a curl line
/// that reproduces a case needs its `given` set up anyway, and replayed against a fresh target
/// the case's names are the ones that exist. Where the session renamed the function (a shared
/// HTTP target), the name that actually went over the wire is kept in `sent_function_name`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentRequest {
    pub function_name: String,
    pub qualifier: Option<String>,
    pub body: String,
    /// The path segment as sent, where the session renamed the function; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_function_name: Option<String>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub id: String,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    /// The expectation after placeholders. Like `actual` and `differences`, it names functions
    /// as the case does, even where the session renamed them (see [`SentRequest`]).
    pub expected: Expect,
    pub actual: Option<Observed>,
    pub differences: Vec<Difference>,
    /// Why setup failed or the target gave no answer.
    pub detail: Option<String>,
    pub sent: Option<SentRequest>,
    /// For a failing generated case: how it was shrunk (`None` for every other result).
    pub shrunk: Option<ShrinkNote>,
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub compare: Compare,
    /// Parallel sessions; 0 or 1 runs cases one after the other.
    pub jobs: usize,
}

/// Runs every case against `target`; results come back in case order. `progress` is called
/// once per finished case (from any worker thread).
pub fn run(
    target: &dyn Target,
    cases: &[Case],
    options: &RunOptions,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let jobs = options.jobs.max(1).min(cases.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let result = run_case(target, case, options.compare);
                progress(&result);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Runs one case in a session of its own.
pub fn run_case(target: &dyn Target, case: &Case, mode: Compare) -> CaseResult {
    let mut result = CaseResult {
        id: case.id.clone(),
        tags: case.tags.clone(),
        verdict: Verdict::TargetError,
        expected: case.expect.clone(),
        actual: None,
        differences: Vec::new(),
        detail: None,
        sent: None,
        shrunk: None,
    };
    let mut session = match target.session() {
        Ok(s) => s,
        Err(e) => {
            result.detail = Some(e.to_string());
            return result;
        }
    };
    let outcome = execute(
        session.as_mut(),
        target.placeholders(),
        case,
        mode,
        &mut result,
    );
    session.finish();
    if let Err(failure) = outcome {
        let (verdict, detail) = match failure {
            Failure::Setup(d) => (Verdict::SetupFailure, d),
            Failure::Target(e) => (Verdict::TargetError, e.to_string()),
        };
        result.verdict = verdict;
        result.detail = Some(detail);
    }
    result
}

enum Failure {
    Setup(String),
    Target(TargetError),
}

impl From<TargetError> for Failure {
    fn from(e: TargetError) -> Self {
        Failure::Target(e)
    }
}

fn execute(
    session: &mut dyn Session,
    vars: Placeholders,
    case: &Case,
    mode: Compare,
    result: &mut CaseResult,
) -> Result<(), Failure> {
    provision(session, &vars, &case.given)?;
    let Prepared {
        request,
        sent,
        renaming,
        vars,
    } = prepare(session, vars, &case.request)?;
    let expected = Expect {
        message_like: case.expect.message_like.as_deref().map(|m| vars.apply(m)),
        statement: case.expect.statement.as_ref().map(|s| vars.apply_json(s)),
        ..case.expect.clone()
    };
    result.sent = Some(sent);
    let response = session.send(&Operation::AddPermission(request))?;
    let observed = observe(&response);
    result.differences = match &renaming {
        Some(r) => compare(&r.expect(&expected), &observed, mode)
            .into_iter()
            .map(|d| r.difference_back(d))
            .collect(),
        None => compare(&expected, &observed, mode),
    };
    result.verdict = if result.differences.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Mismatch
    };
    result.expected = expected;
    result.actual = Some(match &renaming {
        Some(r) => r.observed_back(observed),
        None => observed,
    });
    Ok(())
}

/// A case's request made ready to send in a session: placeholders resolved (reading
/// `${CURRENT_REVISION}` from the target where asked), the function given the session's name.
struct Prepared {
    request: AddPermissionRequest,
    /// The request as reports show it, under the case's names.
    sent: SentRequest,
    /// How the session renamed the function, to read the answer back under the case's names.
    renaming: Option<Renaming>,
    /// The placeholders the request was resolved with (`${CURRENT_REVISION}` included).
    vars: Placeholders,
}

/// Resolves `request` for `session` (see [`Prepared`]); shared by the runner and the fuzzer, so
/// a fuzzed request goes over the wire exactly as `addperm check` later replays it.
fn prepare(
    session: &mut dyn Session,
    mut vars: Placeholders,
    request: &case::Request,
) -> Result<Prepared, Failure> {
    let mut function_name = vars.apply(&request.function_name);
    let mut qualifier = request.qualifier.as_deref().map(|q| vars.apply(q));
    let raw_text = request.raw_body.as_deref().unwrap_or_default();
    let body_text = match &request.body {
        Some(v) => v.to_string(),
        None => raw_text.to_string(),
    };
    if [&function_name, &body_text]
        .into_iter()
        .chain(qualifier.as_ref())
        .any(|s| case::needs_current_revision(s))
    {
        vars.current_revision = Some(current_revision(
            session,
            &function_name,
            qualifier.as_deref(),
        )?);
        function_name = vars.apply(&function_name);
        qualifier = qualifier.map(|q| vars.apply(&q));
    }
    let body = match &request.body {
        Some(v) => Body::Json(vars.apply_json(v)),
        None => Body::Raw(vars.apply(raw_text).into_bytes()),
    };
    // Give the case's functions the target's names, in the request and the expectation alike.
    let mut renaming = None;
    let case_function_name = function_name.clone();
    if let Some(mut fref) = FunctionRef::parse(&function_name) {
        let renamed = session.function_name(&fref.name);
        if renamed != fref.name {
            renaming = Some(Renaming::new(&fref.name, &renamed));
            fref.name = renamed;
            function_name = fref.to_string();
        }
    }
    let request = AddPermissionRequest {
        function_name,
        qualifier,
        body,
    };
    let sent = SentRequest {
        function_name: case_function_name,
        qualifier: request.qualifier.clone(),
        body: String::from_utf8_lossy(&request.body.to_bytes()).into_owned(),
        sent_function_name: renaming.as_ref().map(|_| request.function_name.clone()),
    };
    Ok(Prepared {
        request,
        sent,
        renaming,
        vars,
    })
}

/// A session's name for the request's function: the answer is judged under the target's name,
/// and reported under the case's.
///
/// Names appear as `:function:NAME` (in ARNs). Statements and messages hold them literally;
/// a `message_like` is a regex, where generated ones escape the name (`seq\-a`) and curated
/// ones may not, so regexes are rewritten in both spellings and plain text in the literal one.
struct Renaming {
    /// `:function:<case name>` and `:function:<target name>`.
    case: String,
    target: String,
}

impl Renaming {
    fn new(case_name: &str, target_name: &str) -> Renaming {
        Renaming {
            case: format!(":function:{case_name}"),
            target: format!(":function:{target_name}"),
        }
    }

    /// A regex matching the case's names made to match the target's instead. The target's
    /// name starts with the case's, so a name without regex metacharacters (whose two
    /// spellings are one) is replaced once, never again inside its own replacement.
    fn regex_to_target(&self, re: &str) -> String {
        let escaped = regex::escape(&self.case);
        if escaped == self.case {
            return self.text_to_target(re);
        }
        re.replace(&escaped, &regex::escape(&self.target))
            .replace(&self.case, &self.target)
    }

    /// [`Renaming::regex_to_target`] undone.
    fn regex_to_case(&self, re: &str) -> String {
        re.replace(&regex::escape(&self.target), &regex::escape(&self.case))
            .replace(&self.target, &self.case)
    }

    fn text_to_target(&self, s: &str) -> String {
        s.replace(&self.case, &self.target)
    }

    fn text_to_case(&self, s: &str) -> String {
        s.replace(&self.target, &self.case)
    }

    /// The expectation with the target's names.
    fn expect(&self, e: &Expect) -> Expect {
        Expect {
            message_like: e.message_like.as_deref().map(|m| self.regex_to_target(m)),
            statement: e
                .statement
                .as_ref()
                .map(|s| rename_in_json(s, &|x| self.text_to_target(x))),
            ..e.clone()
        }
    }

    /// A difference found under the target's names, told with the case's. Only the expected
    /// message is a regex (`/.../`).
    fn difference_back(&self, d: Difference) -> Difference {
        let expected = if d.field == "message" {
            self.regex_to_case(&d.expected)
        } else {
            self.text_to_case(&d.expected)
        };
        Difference {
            expected,
            actual: self.text_to_case(&d.actual),
            ..d
        }
    }

    /// The answer with the case's names.
    fn observed_back(&self, o: Observed) -> Observed {
        Observed {
            message: o.message.map(|m| self.text_to_case(&m)),
            statement_raw: o.statement_raw.map(|s| self.text_to_case(&s)),
            statement: o
                .statement
                .map(|v| rename_in_json(&v, &|x| self.text_to_case(x))),
            body_excerpt: self.text_to_case(&o.body_excerpt),
            ..o
        }
    }
}

/// `v` with `rename` applied to every string value (keys are member names, never renamed).
fn rename_in_json(v: &serde_json::Value, rename: &dyn Fn(&str) -> String) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(rename(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| rename_in_json(x, rename)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), rename_in_json(x, rename)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Sends `op` during setup and insists on `status`. A `given` permission only has to succeed
/// (any 2xx): AWS answers 201, moto 200, and the state is the same; the case's own request is
/// where the status is judged.
fn setup_call(session: &mut dyn Session, op: Operation, status: u16) -> Result<Response, Failure> {
    let response = session.send(&op)?;
    let ok = match op {
        Operation::AddPermission(_) => (200..300).contains(&response.status),
        _ => response.status == status,
    };
    if !ok {
        let o = observe(&response);
        return Err(Failure::Setup(format!(
            "{} answered {} {} {} (expected {status})",
            op.name(),
            response.status,
            o.error_type.unwrap_or_default(),
            o.message.unwrap_or(o.body_excerpt),
        )));
    }
    Ok(response)
}

/// Brings the target into a case's `given` state through the Lambda API.
fn provision(session: &mut dyn Session, vars: &Placeholders, given: &Given) -> Result<(), Failure> {
    for f in &given.functions {
        let name = session.function_name(&f.name);
        let created = setup_call(
            session,
            Operation::CreateFunction { name: name.clone() },
            201,
        )?;
        let mut busy = pending::busy(&created);
        for (i, wanted) in f.versions.iter().enumerate() {
            if i > 0 {
                // AWS (and moto, LocalStack) publish no new version of an unchanged function:
                // change `$LATEST` first. The answer is not judged (LocalStack applies the
                // change yet answers 500); PublishVersion's version number below is.
                let r = session.send(&Operation::UpdateFunctionConfiguration {
                    name: name.clone(),
                    description: format!("addperm fixture: version {wanted}"),
                })?;
                busy = pending::busy(&r);
            }
            // A function that is Pending or updating (AWS, LocalStack) refuses PublishVersion.
            if std::mem::take(&mut busy) {
                pending::wait_while_busy(session, &name, pending::PENDING_LIMIT).map_err(|e| {
                    match e {
                        pending::NotReady::Target(e) => Failure::Target(e),
                        pending::NotReady::Setup(d) => Failure::Setup(d),
                    }
                })?;
            }
            let r = setup_call(
                session,
                Operation::PublishVersion { name: name.clone() },
                201,
            )?;
            let got = serde_json::from_slice::<serde_json::Value>(&r.body)
                .ok()
                .and_then(|v| {
                    v.get("Version")
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                });
            if got.as_deref() != Some(wanted.as_str()) {
                return Err(Failure::Setup(format!(
                    "PublishVersion of {} gave version {} where the case lists {wanted}",
                    f.name,
                    got.unwrap_or_else(|| "(unreadable)".into())
                )));
            }
        }
        for (alias, version) in &f.aliases {
            setup_call(
                session,
                Operation::CreateAlias {
                    name: name.clone(),
                    alias: alias.clone(),
                    version: version.clone(),
                },
                201,
            )?;
        }
        for p in &f.permissions {
            setup_call(
                session,
                Operation::AddPermission(AddPermissionRequest {
                    function_name: name.clone(),
                    qualifier: p.qualifier.as_deref().map(|q| vars.apply(q)),
                    body: Body::Json(vars.apply_json(&p.body)),
                }),
                201,
            )?;
        }
    }
    Ok(())
}

/// `${CURRENT_REVISION}`: GetPolicy's RevisionId for the function and qualifier, or where no
/// policy exists yet, the RevisionId of the version or alias the qualifier addresses.
fn current_revision(
    session: &mut dyn Session,
    function_name: &str,
    qualifier: Option<&str>,
) -> Result<String, Failure> {
    let Some(fref) = FunctionRef::parse(function_name) else {
        return Ok(String::new());
    };
    let name = session.function_name(&fref.name);
    let qualifier = qualifier.map(str::to_string).or(fref.qualifier);
    let revision = |r: &Response, container: Option<&str>| {
        let v: serde_json::Value = serde_json::from_slice(&r.body).ok()?;
        let v = match container {
            Some(c) => v.get(c)?.clone(),
            None => v,
        };
        v.get("RevisionId")?.as_str().map(str::to_string)
    };
    let policy = session.send(&Operation::GetPolicy {
        function_name: name.clone(),
        qualifier: qualifier.clone(),
    })?;
    if policy.status == 200 {
        if let Some(r) = revision(&policy, None) {
            return Ok(r);
        }
    }
    let is_version = |q: &str| q.bytes().all(|b| b.is_ascii_digit()) || q.starts_with('$');
    let (response, container) = match qualifier {
        Some(q) if !is_version(&q) => {
            (session.send(&Operation::GetAlias { name, alias: q })?, None)
        }
        q => (
            session.send(&Operation::GetFunction { name, qualifier: q })?,
            Some("Configuration"),
        ),
    };
    Ok(revision(&response, container).unwrap_or_default())
}

/// Counts of each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub total: usize,
    pub pass: usize,
    pub mismatch: usize,
    pub setup_failure: usize,
    pub target_error: usize,
}

impl Summary {
    pub fn of(results: &[CaseResult]) -> Summary {
        let mut s = Summary {
            total: results.len(),
            ..Summary::default()
        };
        for r in results {
            match r.verdict {
                Verdict::Pass => s.pass += 1,
                Verdict::Mismatch => s.mismatch += 1,
                Verdict::SetupFailure => s.setup_failure += 1,
                Verdict::TargetError => s.target_error += 1,
            }
        }
        s
    }

    pub fn failed(&self) -> usize {
        self.total - self.pass
    }

    /// The closing line: `N passed, M failed`.
    pub fn line(&self) -> String {
        format!("{} passed, {} failed", self.pass, self.failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::TargetError;

    /// A target that renames every function `<name>-x` and answers every AddPermission with the
    /// alias-not-found error for the renamed function.
    struct Renaming;

    struct RenamingSession;

    impl Target for Renaming {
        fn name(&self) -> String {
            "renaming".into()
        }
        fn placeholders(&self) -> Placeholders {
            Placeholders::default()
        }
        fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
            Ok(Box::new(RenamingSession))
        }
    }

    impl Session for RenamingSession {
        fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
            Ok(match op {
                Operation::AddPermission(r) => {
                    let mut resp = Response::json(
                        404,
                        format!(
                            r#"{{"Message":"Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:{}:{}"}}"#,
                            r.function_name,
                            r.qualifier.as_deref().unwrap_or_default()
                        ),
                    );
                    resp.headers.push((
                        "x-amzn-errortype".into(),
                        "ResourceNotFoundException".into(),
                    ));
                    resp
                }
                _ => Response::json(201, "{}".into()),
            })
        }
        fn function_name(&self, original: &str) -> String {
            format!("{original}-x")
        }
    }

    #[test]
    fn renaming_reaches_plain_and_escaped_names_in_message_regexes() {
        // (the case's function, how the regex spells it)
        for (name, spelled) in [
            ("fixture-fn", "fixture-fn"),
            ("fixture-fn", "fixture\\\\-fn"),
            ("f", "f"),
        ] {
            let line = format!(
                r#"{{"id": "a", "given": {{"functions": [{{"name": "{name}"}}]}}, "request": {{"function_name": "{name}", "qualifier": "nope", "body": {{}}}}, "expect": {{"status": 404, "error_type": "ResourceNotFoundException", "message_like": "^Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:{spelled}:nope$"}}}}"#
            );
            let cases = crate::case::parse(&line, "t").unwrap();
            let r = run_case(&Renaming, &cases[0], Compare::Message);
            assert_eq!(r.verdict, Verdict::Pass, "{spelled}: {:?}", r.differences);
        }
    }
}
