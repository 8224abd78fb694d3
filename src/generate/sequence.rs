//! Stateful sequences: an abstract model of functions, versions, aliases and per-qualifier
//! policies, driving AddPermission / RemovePermission / GetPolicy / PublishVersion /
//! CreateAlias sequences as a proptest-state-machine [`ReferenceStateMachine`].
//!
//! The model predicts every answer from a few lines of bookkeeping, independently of the
//! reference, so the state-machine test holds the reference to it. The same sequences become
//! fixtures: everything before the last AddPermission is folded into `given`, and that
//! AddPermission is the request.

use super::label::{Class, Constraint, Label, Outcome};
use super::values::MISSING_ALIAS;
use super::Draft;
use crate::case::{Given, GivenFunction, GivenPermission, Request};
use crate::contract::{Rule, INVOKE_ACTION};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest_state_machine::ReferenceStateMachine;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

/// The functions every sequence starts with.
pub const FUNCTIONS: [&str; 2] = ["seq-a", "seq-b"];
/// A small Sid pool, so duplicates and removals of existing Sids are frequent.
const SIDS: [&str; 3] = ["s1", "s2", "s3"];
const ALIASES: [&str; 2] = ["blue", "green"];
const PRINCIPALS: [&str; 3] = ["s3.amazonaws.com", "223456789012", "*"];

/// Which RevisionId a step sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    None,
    /// The current one (`${CURRENT_REVISION}` in a fixture).
    Current,
    Wrong,
}

/// A literal RevisionId that no reference ever hands out.
pub const WRONG_REVISION: &str = "wrong-revision";

/// One API call of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Add {
        function: usize,
        qualifier: Option<String>,
        sid: &'static str,
        principal: &'static str,
        revision: Revision,
    },
    Remove {
        function: usize,
        qualifier: Option<String>,
        sid: &'static str,
        revision: Revision,
    },
    GetPolicy {
        function: usize,
        qualifier: Option<String>,
    },
    PublishVersion {
        function: usize,
    },
    CreateAlias {
        function: usize,
        alias: &'static str,
        version: String,
    },
}

/// What the model predicts for a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    pub status: u16,
    pub rule: Rule,
    /// GetPolicy's statement ids, in order, for a 200.
    pub sids: Option<Vec<String>>,
}

/// One function as the model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionModel {
    pub name: &'static str,
    pub versions: usize,
    pub aliases: BTreeMap<String, String>,
    /// Qualifier -> statements (Sid, AddPermission body) in insertion order.
    pub policies: BTreeMap<Option<String>, Vec<(String, Value)>>,
}

/// The model state, with the prediction for the step applied last.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub functions: Vec<FunctionModel>,
    pub last: Option<Prediction>,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            functions: FUNCTIONS
                .iter()
                .map(|name| FunctionModel {
                    name,
                    versions: 0,
                    aliases: BTreeMap::new(),
                    policies: BTreeMap::new(),
                })
                .collect(),
            last: None,
        }
    }
}

fn predicted(status: u16, rule: Rule) -> Prediction {
    Prediction {
        status,
        rule,
        sids: None,
    }
}

/// The body an Add step sends.
pub fn add_body(sid: &str, principal: &str, revision: Revision) -> Value {
    let mut body = json!({"StatementId": sid, "Action": INVOKE_ACTION, "Principal": principal});
    match revision {
        Revision::None => {}
        Revision::Current => body["RevisionId"] = json!("${CURRENT_REVISION}"),
        Revision::Wrong => body["RevisionId"] = json!(WRONG_REVISION),
    }
    body
}

impl FunctionModel {
    /// The policy key a qualifier addresses, or the 4xx it gets.
    fn resolve(
        &self,
        qualifier: Option<&str>,
        for_add: bool,
    ) -> Result<Option<String>, Prediction> {
        let Some(q) = qualifier else { return Ok(None) };
        if q == "$LATEST" {
            return if for_add {
                Err(predicted(400, Rule::LatestUnsupported))
            } else {
                Ok(None)
            };
        }
        if q.bytes().all(|b| b.is_ascii_digit()) || q.contains('$') {
            let published = q
                .parse::<usize>()
                .is_ok_and(|v| (1..=self.versions).contains(&v))
                && !q.starts_with('0');
            return if published {
                Ok(Some(q.to_string()))
            } else {
                Err(predicted(404, Rule::VersionNotFound))
            };
        }
        if self.aliases.contains_key(q) {
            Ok(Some(q.to_string()))
        } else {
            Err(predicted(404, Rule::AliasNotFound))
        }
    }
}

impl Model {
    /// Applies `step`, recording the prediction in `last`.
    pub fn step(mut self, step: &Step) -> Model {
        let prediction = match step {
            Step::Add {
                function,
                qualifier,
                sid,
                principal,
                revision,
            } => {
                let f = &mut self.functions[*function];
                match f.resolve(qualifier.as_deref(), true) {
                    Err(p) => p,
                    Ok(_) if *revision == Revision::Wrong => predicted(412, Rule::RevisionMismatch),
                    // Unqualified without a policy, no RevisionId matches, not even the
                    // function's (`${CURRENT_REVISION}` there), as recorded in 2025.
                    Ok(None)
                        if *revision == Revision::Current && !f.policies.contains_key(&None) =>
                    {
                        predicted(412, Rule::RevisionMismatch)
                    }
                    Ok(key) => {
                        let policy = f.policies.entry(key).or_default();
                        if policy.iter().any(|(s, _)| s == sid) {
                            predicted(409, Rule::DuplicateStatementId)
                        } else {
                            policy
                                .push((sid.to_string(), add_body(sid, principal, Revision::None)));
                            predicted(201, Rule::Created)
                        }
                    }
                }
            }
            Step::Remove {
                function,
                qualifier,
                sid,
                revision,
            } => {
                let f = &mut self.functions[*function];
                match f.resolve(qualifier.as_deref(), false) {
                    Err(p) => p,
                    Ok(key) => match f.policies.get_mut(&key) {
                        None => predicted(404, Rule::RemoveNoPolicy),
                        Some(_) if *revision == Revision::Wrong => {
                            predicted(412, Rule::RevisionMismatch)
                        }
                        Some(policy) => match policy.iter().position(|(s, _)| s == sid) {
                            None => predicted(404, Rule::StatementNotFound),
                            Some(i) => {
                                policy.remove(i);
                                if policy.is_empty() {
                                    f.policies.remove(&key);
                                }
                                predicted(204, Rule::Ok)
                            }
                        },
                    },
                }
            }
            Step::GetPolicy {
                function,
                qualifier,
            } => {
                let f = &self.functions[*function];
                match f.resolve(qualifier.as_deref(), false) {
                    Err(_) => predicted(404, Rule::NoPolicy),
                    Ok(key) => match f.policies.get(&key) {
                        None => predicted(404, Rule::NoPolicy),
                        Some(p) => Prediction {
                            status: 200,
                            rule: Rule::Ok,
                            sids: Some(p.iter().map(|(s, _)| s.clone()).collect()),
                        },
                    },
                }
            }
            Step::PublishVersion { function } => {
                self.functions[*function].versions += 1;
                predicted(201, Rule::Ok)
            }
            Step::CreateAlias {
                function,
                alias,
                version,
            } => {
                let f = &mut self.functions[*function];
                let exists = version == "$LATEST"
                    || version
                        .parse::<usize>()
                        .is_ok_and(|v| (1..=f.versions).contains(&v));
                if f.aliases.contains_key(*alias) {
                    predicted(409, Rule::AlreadyExists)
                } else if !exists {
                    predicted(404, Rule::AliasTargetNotFound)
                } else {
                    f.aliases.insert(alias.to_string(), version.clone());
                    predicted(201, Rule::Ok)
                }
            }
        };
        self.last = Some(prediction);
        self
    }

    /// Qualifiers worth trying on `function`: mostly none or an existing version or alias,
    /// sometimes one that does not exist (`$LATEST` only for AddPermission).
    fn qualifier(
        &self,
        function: usize,
        for_add: bool,
        existing: bool,
        i: &Index,
    ) -> Option<String> {
        let f = &self.functions[function];
        let mut out = Vec::new();
        if existing {
            out.push(None);
            out.extend((1..=f.versions).map(|v| Some(v.to_string())));
            out.extend(f.aliases.keys().map(|a| Some(a.clone())));
        } else {
            out.push(Some((f.versions + 1).to_string()));
            out.push(Some(MISSING_ALIAS.to_string()));
            if for_add {
                out.push(Some("$LATEST".to_string()));
            }
        }
        i.get(&out).clone()
    }

    /// The model state as a case's `given`.
    pub fn given(&self) -> Given {
        Given {
            functions: self
                .functions
                .iter()
                .map(|f| GivenFunction {
                    name: f.name.to_string(),
                    versions: (1..=f.versions).map(|v| v.to_string()).collect(),
                    aliases: f.aliases.clone(),
                    permissions: f
                        .policies
                        .iter()
                        .flat_map(|(q, statements)| {
                            statements.iter().map(move |(_, body)| GivenPermission {
                                qualifier: q.clone(),
                                body: body.clone(),
                            })
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The abstract state machine that generates sequences.
pub struct Sequences;

fn revisions() -> impl Strategy<Value = Revision> {
    prop_oneof![4 => Just(Revision::None), 2 => Just(Revision::Current), 1 => Just(Revision::Wrong)]
}

impl ReferenceStateMachine for Sequences {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Step> {
        let functions = 0..FUNCTIONS.len();
        let pick = |state: &Model, for_add: bool| {
            let s = state.clone();
            move |(f, i): (usize, (bool, Index))| s.qualifier(f, for_add, i.0, &i.1)
        };
        let which = || (proptest::bool::weighted(0.85), any::<Index>());
        let add_q = pick(state, true);
        let q = pick(state, false);
        let q2 = pick(state, false);
        let versions: Vec<usize> = state.functions.iter().map(|f| f.versions).collect();
        prop_oneof![
            6 => (functions.clone(), which(), select(&SIDS[..]), select(&PRINCIPALS[..]), revisions())
                .prop_map(move |(function, i, sid, principal, revision)| Step::Add {
                    function, qualifier: add_q((function, i)), sid, principal, revision,
                }),
            2 => (functions.clone(), which(), select(&SIDS[..]), revisions())
                .prop_map(move |(function, i, sid, revision)| Step::Remove {
                    function, qualifier: q((function, i)), sid, revision,
                }),
            1 => (functions.clone(), which())
                .prop_map(move |(function, i)| Step::GetPolicy { function, qualifier: q2((function, i)) }),
            2 => functions.clone().prop_map(|function| Step::PublishVersion { function }),
            2 => (functions, select(&ALIASES[..]), any::<Index>()).prop_map(move |(function, alias, i)| {
                // `$LATEST`, each published version, or one that is not published yet.
                let n = versions[function];
                let k = i.index(n + 2);
                let version = if k == 0 { "$LATEST".to_string() } else { k.to_string() };
                Step::CreateAlias { function, alias, version }
            }),
        ]
        .boxed()
    }

    fn apply(state: Model, step: &Step) -> Model {
        state.step(step)
    }
}

/// The member a stateful rule is about.
fn member_of(rule: Rule) -> &'static str {
    match rule {
        Rule::DuplicateStatementId => "StatementId",
        Rule::RevisionMismatch => "RevisionId",
        _ => "Qualifier",
    }
}

/// The fixture for a sequence: the steps before its last AddPermission folded into `given`,
/// that AddPermission as the request, and the model's prediction as the label.
pub fn fixture(init: &Model, steps: &[Step]) -> Option<Draft> {
    let last = steps.iter().rposition(|s| matches!(s, Step::Add { .. }))?;
    let before = steps[..last].iter().fold(init.clone(), |m, s| m.step(s));
    let Step::Add {
        function,
        qualifier,
        sid,
        principal,
        revision,
    } = &steps[last]
    else {
        return None;
    };
    let prediction = before.clone().step(&steps[last]).last?;
    let (subject, outcome) = match prediction.rule {
        Rule::Created => (None, Outcome::Created),
        rule => (
            Some((member_of(rule), Constraint::Semantic)),
            Outcome::Rule(rule),
        ),
    };
    let mut label = Label::new(Class::Stateful, subject, outcome)
        .note("sequence")
        .note(format!("steps:{}", last + 1));
    if *revision != Revision::None {
        label = label.note(if *revision == Revision::Current {
            "revision:right"
        } else {
            "revision:wrong"
        });
    }
    Some(Draft {
        given: before.given(),
        request: Request {
            function_name: before.functions[*function].name.to_string(),
            qualifier: qualifier.clone(),
            body: Some(add_body(sid, principal, *revision)),
            raw_body: None,
        },
        label,
    })
}

/// Fixtures from generated sequences of up to 16 steps.
pub fn drafts() -> impl Strategy<Value = Draft> {
    candidates().prop_filter_map(WHY_NONE, |d| d)
}

/// Why a sequence gives no fixture.
pub const WHY_NONE: &str = "a sequence with an AddPermission";

/// [`drafts`] before the filter: `None` for a sequence without an AddPermission. Shrinking
/// walks this tree, where a filtered tree panics when it cannot step back to an accepted value.
///
/// The state machine's shrinker starts by deleting the steps a test did not reach, as counted
/// in the value's `seen` counter (a test that never counts loses every step, and the tree
/// never shrinks). A fixture reads the steps up to its last AddPermission, so those are the
/// steps seen. The tree reads the counter once, at its first simplification, and panics if
/// the value is taken twice before it: take `current()` once, then `simplify()`.
pub fn candidates() -> impl Strategy<Value = Option<Draft>> {
    Sequences::sequential_strategy(1..16).prop_map(|(init, steps, seen)| {
        if let Some(seen) = seen {
            let used = steps
                .iter()
                .rposition(|s| matches!(s, Step::Add { .. }))
                .map_or(0, |last| last + 1);
            seen.store(used, Ordering::SeqCst);
        }
        fixture(&init, &steps)
    })
}
