//! The reference against the sequence model: AddPermission, RemovePermission, GetPolicy,
//! PublishVersion and CreateAlias sequences, every answer predicted by the model.

use addperm::contract::QualifierKind;
use addperm::generate::sequence::{
    self, add_body, Model, Revision, Sequences, Step, WRONG_REVISION,
};
use addperm::generate::Outcome;
use addperm::reference::{AddPermissionRequest, Body, Config, Reference};
use addperm::wire::{execute, Operation, RULE_HEADER};
use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};

struct ReferenceUnderTest;

fn name(model: &Model, f: usize) -> String {
    model.functions[f].name.to_string()
}

/// The RevisionId the step sends, read from the reference as the case player reads
/// `${CURRENT_REVISION}`: the policy's, or where there is none, the version's or alias's.
fn revision(r: &Reference, name: &str, qualifier: Option<&str>, which: Revision) -> Option<String> {
    let current = || {
        if let Ok(p) = r.get_policy(name, qualifier) {
            return p.revision_id;
        }
        match qualifier {
            Some(q) if QualifierKind::of(q) == QualifierKind::Alias => r.get_alias(name, q),
            q => r.get_function(name, q),
        }
        .map(|f| f.revision_id)
        .unwrap_or_default()
    };
    match which {
        Revision::None => None,
        Revision::Current => Some(current()),
        Revision::Wrong => Some(WRONG_REVISION.to_string()),
    }
}

impl StateMachineTest for ReferenceUnderTest {
    type SystemUnderTest = Reference;
    type Reference = Sequences;

    fn init_test(model: &Model) -> Reference {
        let mut r = Reference::new(Config::default());
        for f in &model.functions {
            r.create_function(f.name).expect("fresh function");
        }
        r
    }

    fn apply(mut r: Reference, model: &Model, step: Step) -> Reference {
        let op = match &step {
            Step::Add {
                function,
                qualifier,
                sid,
                principal,
                revision: which,
            } => {
                let n = name(model, *function);
                let mut body = add_body(sid, principal, Revision::None);
                if let Some(rev) = revision(&r, &n, qualifier.as_deref(), *which) {
                    body["RevisionId"] = serde_json::json!(rev);
                }
                Operation::AddPermission(AddPermissionRequest {
                    function_name: n,
                    qualifier: qualifier.clone(),
                    body: Body::Json(body),
                })
            }
            Step::Remove {
                function,
                qualifier,
                sid,
                revision: which,
            } => {
                let n = name(model, *function);
                let revision_id = revision(&r, &n, qualifier.as_deref(), *which);
                Operation::RemovePermission {
                    function_name: n,
                    statement_id: sid.to_string(),
                    qualifier: qualifier.clone(),
                    revision_id,
                }
            }
            Step::GetPolicy {
                function,
                qualifier,
            } => Operation::GetPolicy {
                function_name: name(model, *function),
                qualifier: qualifier.clone(),
            },
            Step::PublishVersion { function } => Operation::PublishVersion {
                name: name(model, *function),
            },
            Step::CreateAlias {
                function,
                alias,
                version,
            } => Operation::CreateAlias {
                name: name(model, *function),
                alias: alias.to_string(),
                version: version.clone(),
            },
        };
        let response = execute(&mut r, &op);
        let predicted = model.last.clone().expect("the model predicted the step");
        let rule = response.header(RULE_HEADER).unwrap_or_default().to_string();
        assert_eq!(
            (response.status, rule.as_str()),
            (predicted.status, predicted.rule.id()),
            "{step:?}: {}",
            String::from_utf8_lossy(&response.body)
        );
        if let Some(sids) = predicted.sids {
            let v: serde_json::Value = serde_json::from_slice(&response.body).expect("JSON");
            let policy: serde_json::Value =
                serde_json::from_str(v["Policy"].as_str().expect("Policy")).expect("policy JSON");
            let got: Vec<&str> = policy["Statement"]
                .as_array()
                .expect("statements")
                .iter()
                .map(|s| s["Sid"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(got, sids);
        }
        r
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn the_reference_follows_the_sequence_model(sequential 1..30 => ReferenceUnderTest);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Folding a sequence into `given` changes nothing about the last AddPermission's answer.
    #[test]
    fn fixtures_answer_like_the_sequence_they_fold(
        (init, steps, _) in Sequences::sequential_strategy(1..20)
    ) {
        let Some(draft) = sequence::fixture(&init, &steps) else { return Ok(()) };
        let last = steps.iter().rposition(|s| matches!(s, Step::Add { .. })).expect("an Add");
        let model = steps[..=last].iter().fold(init, |m, s| m.step(s));
        let predicted = model.last.expect("predicted");
        let g = draft.finish("f".into());
        prop_assert_eq!(g.answer.status, predicted.status);
        prop_assert_eq!(g.answer.rule, predicted.rule);
        let created = matches!(g.label.outcome, Outcome::Created);
        prop_assert_eq!(created, predicted.status == 201);
    }
}
