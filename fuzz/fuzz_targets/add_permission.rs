//! `add_permission`: operation sequences against the in-process reference, judged by a small
//! independent model.
//!
//! The reference is the oracle every target is compared with, so a wrong 201 or a missed
//! conflict in it silently blesses the same bug in an emulator. This target drives sequences of
//! CreateFunction, PublishVersion, CreateAlias, AddPermission (with `addperm`'s structure-aware
//! `Arbitrary` requests), RemovePermission and GetPolicy into `fuzz_reference()` through
//! `wire::execute` (the bytes `addperm serve` sends), and keeps its own bookkeeping of
//! which functions, versions, aliases, Sids and policy RevisionIds exist, read from the answers.
//! From those facts alone it checks:
//! - AddPermission answers 201 only when the request is allowed: the body is a JSON object with
//!   well-typed members, every member satisfies the contract's length/pattern/enum constraints
//!   (`addperm::contract`, the tables AWS's validation is written from), FunctionName and
//!   Qualifier name an existing version or alias of an existing function in this account
//!   (`FunctionRef`; no `$LATEST`, no qualifier mismatch), the Sid is not in that policy yet, a
//!   given RevisionId is the current one, and the FunctionUrl members suit the Action. When the
//!   facts allow it and the principal is one AWS documents, the answer is a 201 (or, see
//!   below, a PolicyLengthExceeded).
//! - The 201's Statement parses as JSON and names the Sid, Action and Resource (the function
//!   ARN, `:qualifier` when qualified); GetPolicy afterwards holds exactly that statement.
//! - GetPolicy and RemovePermission answer 200/204 exactly when the model says the policy (and
//!   the Sid, and the RevisionId) exist; CreateFunction, PublishVersion and CreateAlias succeed
//!   exactly when their simple preconditions hold.
//! - After every operation, every policy's Sids are the model's, no policy exceeds
//!   `POLICY_SIZE_LIMIT` bytes, and policy RevisionIds change on every successful add or remove
//!   (to one never seen before), only on the policy written, and never on anything else.
//!
//! Two facts cannot be computed without rewriting the reference, so only implications are
//! checked: which principals AWS accepts (a semantic check against AWS's own lists; a 201 needs
//! a principal of an accepted shape, and documented principals must be accepted), and the exact
//! size of the new statement (PolicyLengthExceeded only when a generous upper bound of the new
//! policy's size is over the limit).
#![no_main]

use addperm::contract::{
    contract, FunctionRef, Location, MemberType, DEFAULT_ACCOUNT, DEFAULT_PARTITION,
    DEFAULT_REGION, FUNCTION_URL_ACTION, INVOKE_ACTION, POLICY_SIZE_LIMIT,
};
use addperm::case::fixture::FUNCTION as FUZZ_FUNCTION;
use addperm::generate::arbitrary::fuzz_reference;
use addperm::generate::values::SERVICES;
use addperm::reference::{AddPermissionRequest, Body, Reference};
use addperm::wire::{Operation, Response};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

/// The functions operations name: the one `fuzz_reference()` holds and one the `Arbitrary`
/// dictionary also uses, which a CreateFunction can bring into existence.
const NAMES: [&str; 2] = [FUZZ_FUNCTION, "other-fn"];
const ALIASES: [&str; 2] = ["live", "blue"];
/// Versions a function may have in one run: enough for "version 2 exists, 3 does not", and
/// it bounds the per-operation GetPolicy sweep.
const MAX_VERSIONS: usize = 4;

#[derive(Arbitrary, Debug)]
enum Op {
    CreateFunction(u8),
    PublishVersion(u8),
    CreateAlias {
        function: u8,
        alias: u8,
        version: u8,
    },
    Add {
        request: AddPermissionRequest,
        revision: Revision,
    },
    /// AddPermissions of ~1 KB statements, to bring a policy to the size limit in a few steps.
    Fill {
        function: u8,
        qualifier: Option<Qualifier>,
        count: u8,
    },
    Remove {
        function: FunctionName,
        qualifier: Option<Qualifier>,
        sid: Sid,
        revision: Revision,
    },
    GetPolicy {
        function: FunctionName,
        qualifier: Option<Qualifier>,
    },
}

#[derive(Arbitrary, Debug)]
enum FunctionName {
    Plain(u8),
    Qualified(u8, Qualifier),
    Arn(u8, Option<Qualifier>),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Qualifier {
    Version(u8),
    Alias(u8),
    Latest,
    Empty,
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Sid {
    Existing,
    Filled(u8),
    Any(String),
}

/// Which RevisionId a write sends.
#[derive(Arbitrary, Debug)]
enum Revision {
    /// Whatever the request already has (none, for RemovePermission).
    Unchanged,
    /// The one the model says is current for the addressed policy.
    Current,
    /// Some RevisionId seen earlier in the run.
    Stale(u8),
    Literal(String),
}

fn name(i: u8) -> &'static str {
    NAMES[usize::from(i) % NAMES.len()]
}

impl Qualifier {
    fn text(&self) -> String {
        match self {
            Qualifier::Version(v) => (v % 4).to_string(),
            Qualifier::Alias(a) => ALIASES[usize::from(*a) % ALIASES.len()].to_string(),
            Qualifier::Latest => "$LATEST".into(),
            Qualifier::Empty => String::new(),
            Qualifier::Any(s) => s.clone(),
        }
    }
}

impl FunctionName {
    fn text(&self) -> String {
        match self {
            FunctionName::Plain(i) => name(*i).into(),
            FunctionName::Qualified(i, q) => format!("{}:{}", name(*i), q.text()),
            FunctionName::Arn(i, q) => {
                let q = q.as_ref().map(|q| format!(":{}", q.text()));
                format!("{}{}", arn(name(*i)), q.unwrap_or_default())
            }
            FunctionName::Any(s) => s.clone(),
        }
    }
}

fn arn(name: &str) -> String {
    format!("arn:{DEFAULT_PARTITION}:lambda:{DEFAULT_REGION}:{DEFAULT_ACCOUNT}:function:{name}")
}

/// One function as the model knows it.
#[derive(Debug, Default)]
struct Function {
    /// RevisionIds of versions 1, 2, ...
    versions: Vec<String>,
    /// Alias -> its RevisionId.
    aliases: BTreeMap<String, String>,
    /// Qualifier (`None`: unqualified) -> Sids in insertion order; no entry: no policy.
    policies: BTreeMap<Option<String>, Vec<String>>,
}

/// A policy as GetPolicy shows it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    revision: String,
    /// The Policy document as sent.
    text: String,
    sids: Vec<String>,
}

type Key = (String, Option<String>);

/// The Sids of a policy document, read without building the rest of it.
#[derive(Deserialize)]
struct Sids {
    #[serde(rename = "Statement")]
    statement: Vec<SidOnly>,
}

#[derive(Deserialize)]
struct SidOnly {
    #[serde(rename = "Sid")]
    sid: String,
}

struct Run {
    reference: Reference,
    functions: BTreeMap<String, Function>,
    /// Every policy RevisionId seen, in order.
    revisions: Vec<String>,
    policies: BTreeMap<Key, Seen>,
    filled: usize,
}

fuzz_target!(|ops: Vec<Op>| {
    let mut run = Run::new();
    for op in ops.iter().take(64) {
        run.step(op);
    }
});

impl Run {
    fn new() -> Run {
        let reference = fuzz_reference();
        // fuzz_reference()'s documented state: version 1, alias live -> 1, Sid "existing" on
        // the unqualified policy. The version's and alias's RevisionIds are read, not assumed;
        // the sweep below checks the rest.
        let version = reference
            .get_function(FUZZ_FUNCTION, Some("1"))
            .expect("version 1");
        let alias = reference.get_alias(FUZZ_FUNCTION, "live").expect("alias");
        let mut f = Function {
            versions: vec![version.revision_id],
            ..Function::default()
        };
        f.aliases.insert("live".into(), alias.revision_id);
        f.policies.insert(None, vec!["existing".into()]);
        let mut run = Run {
            reference,
            functions: BTreeMap::from([(FUZZ_FUNCTION.to_string(), f)]),
            revisions: Vec::new(),
            policies: BTreeMap::new(),
            filled: 0,
        };
        run.policies = run.sweep();
        run.revisions = run.policies.values().map(|p| p.revision.clone()).collect();
        run
    }

    fn step(&mut self, op: &Op) {
        let written = match op {
            Op::CreateFunction(i) => {
                self.create_function(name(*i));
                None
            }
            Op::PublishVersion(i) => {
                self.publish_version(name(*i));
                None
            }
            Op::CreateAlias {
                function,
                alias,
                version,
            } => {
                let version = match version % 4 {
                    0 => "$LATEST".to_string(),
                    v => v.to_string(),
                };
                let alias = ALIASES[usize::from(*alias) % ALIASES.len()];
                self.create_alias(name(*function), alias, &version);
                None
            }
            Op::Add { request, revision } => {
                let mut request = request.clone();
                self.set_revision(&mut request, revision);
                self.add(&request)
            }
            Op::Fill {
                function,
                qualifier,
                count,
            } => {
                let mut written = None;
                for _ in 0..=(count % 16) {
                    self.filled += 1;
                    let request = AddPermissionRequest {
                        function_name: name(*function).into(),
                        qualifier: qualifier.as_ref().map(Qualifier::text),
                        body: Body::Json(json!({
                            "StatementId": format!("fill-{}", self.filled),
                            "Action": INVOKE_ACTION,
                            "Principal": "s3.amazonaws.com",
                            "SourceArn": format!("arn:aws:s3:::{}", "b".repeat(900)),
                        })),
                    };
                    // Each call is judged and swept on its own; only the last one's write is
                    // left for the sweep below.
                    if let Some(key) = written.take() {
                        self.check_sweep(Some(&key));
                    }
                    written = self.add(&request);
                }
                written
            }
            Op::Remove {
                function,
                qualifier,
                sid,
                revision,
            } => {
                let sid = match sid {
                    Sid::Existing => "existing".to_string(),
                    Sid::Filled(n) => {
                        format!("fill-{}", self.filled.saturating_sub(usize::from(*n % 4)))
                    }
                    Sid::Any(s) => s.clone(),
                };
                let function_name = function.text();
                let qualifier = qualifier.as_ref().map(Qualifier::text);
                let revision = match revision {
                    Revision::Unchanged => None,
                    r => self.pick_revision(r, &function_name, qualifier.as_deref(), false),
                };
                self.remove(&function_name, qualifier, &sid, revision)
            }
            Op::GetPolicy {
                function,
                qualifier,
            } => {
                self.get_policy(&function.text(), qualifier.as_ref().map(Qualifier::text));
                None
            }
        };
        self.check_sweep(written.as_ref());
    }

    // ---- provisioning: exact predictions from existence alone ------------------------------

    fn create_function(&mut self, name: &str) {
        let r = self.execute(Operation::CreateFunction { name: name.into() });
        let expected = !self.functions.contains_key(name);
        assert_eq!(
            r.status == 201,
            expected,
            "CreateFunction {name}: {}",
            show(&r)
        );
        if expected {
            self.functions.insert(name.into(), Function::default());
        }
    }

    fn publish_version(&mut self, name: &str) {
        let Some(versions) = self.functions.get(name).map(|f| f.versions.len()) else {
            let r = self.execute(Operation::PublishVersion { name: name.into() });
            assert_eq!(
                r.status,
                404,
                "PublishVersion of a missing function: {}",
                show(&r)
            );
            return;
        };
        if versions >= MAX_VERSIONS {
            return;
        }
        let r = self.execute(Operation::PublishVersion { name: name.into() });
        assert_eq!(r.status, 201, "PublishVersion {name}: {}", show(&r));
        let body = json_body(&r);
        assert_eq!(body["Version"], (versions + 1).to_string(), "{}", show(&r));
        let revision = body["RevisionId"].as_str().expect("RevisionId").to_string();
        self.functions
            .get_mut(name)
            .expect("checked above")
            .versions
            .push(revision);
    }

    fn create_alias(&mut self, name: &str, alias: &str, version: &str) {
        let r = self.execute(Operation::CreateAlias {
            name: name.into(),
            alias: alias.into(),
            version: version.into(),
        });
        let expected = self.functions.get(name).is_some_and(|f| {
            !f.aliases.contains_key(alias)
                && (version == "$LATEST"
                    || version
                        .parse::<usize>()
                        .is_ok_and(|v| (1..=f.versions.len()).contains(&v)))
        });
        assert_eq!(
            r.status == 201,
            expected,
            "CreateAlias {name} {alias} -> {version}: {}",
            show(&r)
        );
        if expected {
            let revision = json_body(&r)["RevisionId"]
                .as_str()
                .expect("RevisionId")
                .to_string();
            self.functions
                .get_mut(name)
                .expect("exists")
                .aliases
                .insert(alias.into(), revision);
        }
    }

    // ---- policies ------------------------------------------------------------------------

    /// AddPermission, judged; returns the policy written on a 201.
    fn add(&mut self, request: &AddPermissionRequest) -> Option<Key> {
        let verdict = self.judge_add(request);
        let r = self.execute(Operation::AddPermission(request.clone()));
        let model = format!("{verdict:?}");
        let context = || format!("{request:?} -> {} (model: {model})", show(&r));
        let error_type = r.header("x-amzn-errortype");
        let (key, sid, action, principal_known) = match verdict {
            Verdict::Refused(why) => {
                assert_ne!(
                    r.status,
                    201,
                    "a 201 the facts forbid ({why}): {}",
                    context()
                );
                assert!((400..500).contains(&r.status), "{}", context());
                return None;
            }
            Verdict::Allowed {
                key,
                sid,
                action,
                principal_known,
            } => (key, sid, action, principal_known),
        };
        if r.status != 201 {
            match error_type {
                Some("PolicyLengthExceededException") => {
                    let current = self
                        .policies
                        .get(&key)
                        .map_or(EMPTY_POLICY, |p| p.text.len());
                    let bound = current + statement_bound(request, &key);
                    assert!(
                        bound > POLICY_SIZE_LIMIT,
                        "PolicyLengthExceeded, but the new policy is at most {bound} bytes: {}",
                        context()
                    );
                }
                Some("InvalidParameterValueException") if !principal_known => {}
                _ => panic!("refused what the facts allow: {}", context()),
            }
            return None;
        }
        let body = json_body(&r);
        let raw = body["Statement"].as_str().unwrap_or_default();
        let statement: Value = serde_json::from_str(raw)
            .unwrap_or_else(|_| panic!("Statement is not a JSON string: {}", context()));
        let resource = match &key.1 {
            Some(q) => format!("{}:{q}", arn(&key.0)),
            None => arn(&key.0),
        };
        assert_eq!(statement["Sid"], sid.as_str(), "Sid: {}", context());
        assert_eq!(
            statement["Resource"],
            resource.as_str(),
            "Resource: {}",
            context()
        );
        assert_eq!(
            statement["Action"],
            action.as_str(),
            "Action: {}",
            context()
        );
        assert_eq!(statement["Effect"], "Allow", "Effect: {}", context());
        if !principal_known {
            let p = body_string(request, "Principal").unwrap_or_default();
            assert!(
                p == "*"
                    || p.starts_with("arn:")
                    || (p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()))
                    || p.ends_with(".amazonaws.com")
                    || p.ends_with(".amazonaws.com.cn")
                    || p.ends_with(".amazon.com"),
                "accepted principal of no known shape: {}",
                context()
            );
        }
        let after = self
            .policy(&key, None)
            .unwrap_or_else(|| panic!("no policy after a 201: {}", context()));
        // Compared as text: the policy holds the statement exactly as the 201 returned it
        // (parsing a 20 KB policy after every add would dominate a run).
        let last = after
            .text
            .strip_suffix("]}")
            .and_then(|t| t.strip_suffix(raw))
            .and_then(|t| t.chars().last());
        assert!(
            matches!(last, Some('[' | ',')),
            "GetPolicy does not end with the added statement: {} (policy {})",
            context(),
            after.text
        );
        self.function(&key.0)
            .policies
            .entry(key.1.clone())
            .or_default()
            .push(sid);
        Some(key)
    }

    /// What the facts say about an AddPermission.
    fn judge_add(&self, request: &AddPermissionRequest) -> Verdict {
        let Some(members) = body_members(&request.body) else {
            return Verdict::Refused("body");
        };
        let value = |name: &str| match name {
            "FunctionName" => Some(Value::String(request.function_name.clone())),
            "Qualifier" => request.qualifier.clone().map(Value::String),
            other => members.get(other).cloned(),
        };
        for m in &contract().members {
            if !satisfies(m, value(m.name).as_ref()) {
                return Verdict::Refused("constraint");
            }
        }
        let Some(key) = self.resolve(&request.function_name, request.qualifier.as_deref(), true)
        else {
            return Verdict::Refused("resolution");
        };
        let string = |name: &str| {
            members
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let sid = string("StatementId").unwrap_or_default();
        let action = string("Action").unwrap_or_default();
        if self.sids(&key).contains(&sid) {
            return Verdict::Refused("duplicate Sid");
        }
        if let Some(given) = string("RevisionId") {
            if Some(given) != self.current_revision(&key) {
                return Verdict::Refused("RevisionId");
            }
        }
        if members.contains_key("FunctionUrlAuthType") && action != FUNCTION_URL_ACTION {
            return Verdict::Refused("FunctionUrlAuthType");
        }
        if members.get("InvokedViaFunctionUrl") == Some(&Value::Bool(true))
            && action != INVOKE_ACTION
        {
            return Verdict::Refused("InvokedViaFunctionUrl");
        }
        let principal = string("Principal").unwrap_or_default();
        let principal_known = principal == "*"
            || (principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()))
            || SERVICES.contains(&principal.as_str());
        Verdict::Allowed {
            key,
            sid,
            action,
            principal_known,
        }
    }

    fn remove(
        &mut self,
        function_name: &str,
        qualifier: Option<String>,
        sid: &str,
        revision: Option<String>,
    ) -> Option<Key> {
        let r = self.execute(Operation::RemovePermission {
            function_name: function_name.into(),
            statement_id: sid.into(),
            qualifier: qualifier.clone(),
            revision_id: revision.clone(),
        });
        let key = self
            .addressed(function_name, qualifier.as_deref(), Some(sid))
            .filter(|key| self.sids(key).iter().any(|s| s == sid))
            .filter(|key| {
                revision.is_none() || revision == self.policies.get(key).map(|p| p.revision.clone())
            });
        let context = || {
            format!(
                "RemovePermission {function_name:?} {qualifier:?} {sid:?} {revision:?}: {}",
                show(&r)
            )
        };
        assert_eq!(r.status == 204, key.is_some(), "{}", context());
        assert!(
            r.status == 204 || (400..500).contains(&r.status),
            "{}",
            context()
        );
        let key = key?;
        self.function(&key.0)
            .policies
            .entry(key.1.clone())
            .or_default()
            .retain(|s| s != sid);
        Some(key)
    }

    fn get_policy(&mut self, function_name: &str, qualifier: Option<String>) {
        let r = self.execute(Operation::GetPolicy {
            function_name: function_name.into(),
            qualifier: qualifier.clone(),
        });
        let key = self
            .addressed(function_name, qualifier.as_deref(), None)
            .filter(|key| !self.sids(key).is_empty());
        let context = || format!("GetPolicy {function_name:?} {qualifier:?}: {}", show(&r));
        assert_eq!(r.status == 200, key.is_some(), "{}", context());
        let Some(key) = key else { return };
        let body = json_body(&r);
        let seen = &self.policies[&key];
        assert_eq!(body["RevisionId"], seen.revision.as_str(), "{}", context());
        assert_eq!(body["Policy"], seen.text.as_str(), "{}", context());
    }

    // ---- the model -----------------------------------------------------------------------

    /// The policy RemovePermission (with its StatementId) or GetPolicy addresses: the members
    /// they share with AddPermission meet the contract, and they resolve.
    fn addressed(
        &self,
        function_name: &str,
        qualifier: Option<&str>,
        statement_id: Option<&str>,
    ) -> Option<Key> {
        let members = [
            ("FunctionName", Some(function_name)),
            ("Qualifier", qualifier),
        ]
        .into_iter()
        .chain(statement_id.map(|sid| ("StatementId", Some(sid))));
        let valid = members
            .into_iter()
            .all(|(m, v)| satisfies(contract().expect_member(m), v.map(|v| json!(v)).as_ref()));
        valid
            .then(|| self.resolve(function_name, qualifier, false))
            .flatten()
    }

    /// The policy a FunctionName + Qualifier address, from the FunctionName format
    /// (`FunctionRef`) and what exists; `None` when the request must fail.
    fn resolve(&self, function_name: &str, query: Option<&str>, for_add: bool) -> Option<Key> {
        let fref = FunctionRef::parse(function_name)?;
        let qualifier = match (fref.qualifier.as_deref(), query) {
            (Some(derived), Some(q)) if derived != q => return None,
            (derived, q) => q.or(derived),
        };
        let qualifier = match qualifier {
            Some("$LATEST") if for_add => return None,
            Some("$LATEST") => None,
            q => q,
        };
        let ours = |given: &Option<String>, ours: &str| given.as_deref().is_none_or(|g| g == ours);
        if !(ours(&fref.partition, DEFAULT_PARTITION)
            && ours(&fref.region, DEFAULT_REGION)
            && ours(&fref.account, DEFAULT_ACCOUNT))
        {
            return None;
        }
        let f = self.functions.get(&fref.name)?;
        if let Some(q) = qualifier {
            if version_index(f, q).is_none() && !f.aliases.contains_key(q) {
                return None;
            }
        }
        Some((fref.name, qualifier.map(str::to_string)))
    }

    fn sids(&self, (name, q): &Key) -> &[String] {
        self.functions
            .get(name)
            .and_then(|f| f.policies.get(q))
            .map_or(&[], Vec::as_slice)
    }

    /// The RevisionId a precondition must match: the policy's; without a policy, the version's
    /// or alias's own (recorded, aws-behaviour.md); unqualified without a policy, none.
    fn current_revision(&self, key: &Key) -> Option<String> {
        if let Some(p) = self.policies.get(key) {
            return Some(p.revision.clone());
        }
        let f = self.functions.get(&key.0)?;
        let q = key.1.as_deref()?;
        match version_index(f, q) {
            Some(i) => Some(f.versions[i].clone()),
            None => f.aliases.get(q).cloned(),
        }
    }

    fn pick_revision(
        &self,
        pick: &Revision,
        function_name: &str,
        qualifier: Option<&str>,
        for_add: bool,
    ) -> Option<String> {
        match pick {
            Revision::Unchanged => None,
            Revision::Current => self
                .resolve(function_name, qualifier, for_add)
                .and_then(|key| self.current_revision(&key)),
            Revision::Stale(i) if !self.revisions.is_empty() => {
                Some(self.revisions[usize::from(*i) % self.revisions.len()].clone())
            }
            Revision::Stale(_) => None,
            Revision::Literal(s) => Some(s.clone()),
        }
    }

    fn set_revision(&self, request: &mut AddPermissionRequest, pick: &Revision) {
        let Some(revision) = self.pick_revision(
            pick,
            &request.function_name,
            request.qualifier.as_deref(),
            true,
        ) else {
            return;
        };
        if let Body::Json(Value::Object(map)) = &mut request.body {
            map.insert("RevisionId".into(), Value::String(revision));
        }
    }

    fn function(&mut self, name: &str) -> &mut Function {
        self.functions
            .get_mut(name)
            .expect("resolved functions exist")
    }

    fn execute(&mut self, op: Operation) -> Response {
        addperm::wire::execute(&mut self.reference, &op)
    }

    /// GetPolicy of `key`. The Sids are read from the document unless it is the very text of
    /// `previous` (parsing every policy after every operation would dominate a run).
    fn policy(&self, key: &Key, previous: Option<&Seen>) -> Option<Seen> {
        let view = self.reference.get_policy(&key.0, key.1.as_deref()).ok()?;
        let sids = match previous {
            Some(p) if p.text == view.policy => p.sids.clone(),
            _ => {
                let policy: Sids =
                    serde_json::from_str(&view.policy).expect("GetPolicy's Policy is JSON");
                policy.statement.into_iter().map(|s| s.sid).collect()
            }
        };
        Some(Seen {
            revision: view.revision_id,
            text: view.policy,
            sids,
        })
    }

    /// Every policy of every known function, version and alias, checked against the model.
    fn sweep(&self) -> BTreeMap<Key, Seen> {
        let mut out = BTreeMap::new();
        for (name, f) in &self.functions {
            let qualifiers = std::iter::once(None)
                .chain((1..=f.versions.len()).map(|v| Some(v.to_string())))
                .chain(f.aliases.keys().cloned().map(Some));
            for q in qualifiers {
                let key = (name.clone(), q);
                let seen = self.policy(&key, self.policies.get(&key));
                let sids = seen.as_ref().map_or(&[][..], |p| p.sids.as_slice());
                assert_eq!(sids, self.sids(&key), "policy {key:?}: {seen:?}");
                if let Some(p) = seen {
                    assert!(
                        p.text.len() <= POLICY_SIZE_LIMIT,
                        "policy {key:?} is {} bytes",
                        p.text.len()
                    );
                    out.insert(key, p);
                }
            }
        }
        out
    }

    /// Sweeps and checks the RevisionIds: only `written` changed, to a new one; every other
    /// policy is unchanged to the byte.
    fn check_sweep(&mut self, written: Option<&Key>) {
        let after = self.sweep();
        let keys: HashSet<&Key> = self.policies.keys().chain(after.keys()).collect();
        for key in keys {
            let before = self.policies.get(key).map(|p| &p.revision);
            let now = after.get(key).map(|p| &p.revision);
            if Some(key) != written {
                assert_eq!(
                    self.policies.get(key).map(|p| &p.text),
                    after.get(key).map(|p| &p.text),
                    "policy {key:?} changed without a write to it"
                );
            }
            if Some(key) == written {
                assert_ne!(before, now, "RevisionId of {key:?} unchanged by a write");
                if let Some(now) = now {
                    assert!(
                        !self.revisions.contains(now),
                        "RevisionId {now} of {key:?} reused"
                    );
                }
            } else {
                assert_eq!(
                    before, now,
                    "RevisionId of {key:?} changed without a write to it"
                );
            }
        }
        if let Some(p) = written.and_then(|k| after.get(k)) {
            self.revisions.push(p.revision.clone());
        }
        self.policies = after;
    }
}

/// The index of published version `q` ("1" is the first; "01" or "+1" name no version).
fn version_index(f: &Function, q: &str) -> Option<usize> {
    (1..=f.versions.len()).position(|v| v.to_string() == q)
}

#[derive(Debug)]
enum Verdict {
    Refused(&'static str),
    Allowed {
        key: Key,
        sid: String,
        action: String,
        /// Whether the principal is one AWS documents (then it must be accepted).
        principal_known: bool,
    },
}

/// `{"Version":"2012-10-17","Id":"default","Statement":[]}`: a policy before its first statement.
const EMPTY_POLICY: usize = 54;

/// A generous upper bound of a new statement's bytes in the policy: every body string escaped
/// at the worst JSON rate (6 bytes per byte, `\u00XX`), the resource, and the fixed keys and
/// condition operators.
fn statement_bound(request: &AddPermissionRequest, (name, q): &Key) -> usize {
    let strings: usize = body_members(&request.body)
        .map(|m| m.values().filter_map(Value::as_str).map(str::len).sum())
        .unwrap_or_default();
    let resource = arn(name).len() + q.as_ref().map_or(0, |q| q.len() + 1);
    6 * strings + resource + 512
}

/// The body's members when it is a JSON object whose contract members have their JSON types
/// (null counts as absent); `None` for a body AWS cannot read.
fn body_members(body: &Body) -> Option<Map<String, Value>> {
    let value = match body {
        Body::Json(v) => v.clone(),
        Body::Raw(b) if b.iter().all(u8::is_ascii_whitespace) => Value::Object(Map::new()),
        Body::Raw(b) => serde_json::from_slice(b).ok()?,
    };
    let Value::Object(mut map) = value else {
        return None;
    };
    let mut members = Map::new();
    for m in contract()
        .members
        .iter()
        .filter(|m| m.location == Location::Body)
    {
        match map.remove(m.name) {
            None | Some(Value::Null) => {}
            Some(v @ Value::String(_)) if m.ty == MemberType::String => {
                members.insert(m.name.into(), v);
            }
            Some(v @ Value::Bool(_)) if m.ty == MemberType::Boolean => {
                members.insert(m.name.into(), v);
            }
            Some(_) => return None,
        }
    }
    Some(members)
}

fn body_string(request: &AddPermissionRequest, member: &str) -> Option<String> {
    body_members(&request.body)?
        .get(member)?
        .as_str()
        .map(str::to_string)
}

/// Whether a member's value meets the contract: present when required, and a string within
/// the length bounds, matching the pattern and in the enum.
fn satisfies(member: &addperm::contract::Member, value: Option<&Value>) -> bool {
    let Some(value) = value else {
        return !member.required;
    };
    let Some(s) = value.as_str() else {
        return true;
    };
    let len = contract().length_unit.count(s);
    member.min().is_none_or(|min| len >= min)
        && member.max().is_none_or(|max| len <= max)
        && member.pattern.as_ref().is_none_or(|p| p.value.matches(s))
        && member
            .enum_values
            .as_ref()
            .is_none_or(|e| e.value.contains(&s))
}

fn json_body(r: &Response) -> Value {
    serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", show(r)))
}

fn show(r: &Response) -> String {
    format!(
        "{} {:?} {}",
        r.status,
        r.header("x-amzn-errortype"),
        String::from_utf8_lossy(&r.body)
    )
}
