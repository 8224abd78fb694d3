//! Properties of the generators: labels hold after serialisation and shrinking, generated
//! files pass `check` on the reference (any account, region and partition), generation is
//! deterministic, and the boundary table covers the whole contract.

mod common;

use addperm::case::{self, Case};
use addperm::contract::contract;
use addperm::generate::label::{contract_violations, verify};
use addperm::generate::{self, coverage, invalid, sequence, valid, Draft, Kind, Outcome};
use addperm::outcome::{Compare, Verdict};
use addperm::reference::Config;
use addperm::runner::{self, RunOptions};
use addperm::target::ReferenceTarget;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// A case read back from its JSON Lines form, as `check` sees it.
fn round_trip(case: &Case) -> Case {
    let text = case::to_jsonl(std::slice::from_ref(case));
    case::parse(&text, "generated")
        .expect("a generated case parses")
        .remove(0)
}

fn check_draft(draft: Draft) -> Result<(), TestCaseError> {
    let g = draft.finish("p".into());
    let back = round_trip(&g.case);
    prop_assert_eq!(&back, &g.case);
    verify(&g.label, &back.request, &g.answer)
        .map_err(|d| TestCaseError::fail(format!("{d}: {:?}", g.case)))?;
    let result = runner::run_case(&ReferenceTarget::default(), &back, Compare::Exact);
    prop_assert_eq!(result.verdict, Verdict::Pass, "{:?}", result);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn valid_cases_are_contract_valid_and_created(draft in valid::drafts()) {
        prop_assert!(contract_violations(&draft.request).is_empty());
        let g = draft.clone().finish("v".into());
        prop_assert_eq!(g.answer.status, 201, "{}", g.answer);
        prop_assert!(contract_violations(&round_trip(&g.case).request).is_empty());
        check_draft(draft)?;
    }

    #[test]
    fn invalid_cases_break_exactly_their_label(draft in invalid::drafts()) {
        prop_assert_eq!(draft.label.subject.map(|s| s.0).is_some(), true);
        check_draft(draft)?;
    }

    #[test]
    fn sequence_fixtures_agree_with_the_model(draft in sequence::drafts()) {
        check_draft(draft)?;
    }

    #[test]
    fn finished_invalid_cases_carry_their_violation(g in generate::cases(invalid::drafts())) {
        prop_assert!(g.verify().is_ok(), "{:?}", g.verify());
        prop_assert_eq!(g.case.tags[0].as_str(), "invalid");
    }
}

#[test]
fn shrinking_keeps_a_case_invalid_for_the_same_reason() {
    let mut runner = generate::runner(Kind::Invalid, 7);
    let strategy = invalid::drafts();
    for _ in 0..40 {
        let mut tree = strategy.new_tree(&mut runner).expect("a tree");
        let first = tree.current();
        let subject = first.label.subject;
        let outcome_kind = std::mem::discriminant(&first.label.outcome);
        for _ in 0..60 {
            if !tree.simplify() {
                break;
            }
            let d = tree.current();
            assert!(invalid::carries_its_label(&d), "{d:?}");
            // The subject may move to another member only if the label moves with it and
            // still holds: the reason is re-derived and re-checked, never assumed.
            let g = d.clone().finish("s".into());
            assert!(
                g.verify().is_ok(),
                "{:?} after shrinking: {:?}",
                g.verify(),
                d
            );
            if d.label.subject == subject {
                assert_eq!(std::mem::discriminant(&d.label.outcome), outcome_kind);
            }
        }
    }
}

#[test]
fn all_passes_check_on_the_reference_for_several_seeds() {
    for seed in [0, 1, 42] {
        let cases: Vec<Case> = generate::generate(Kind::All, 600, seed)
            .expect("generation")
            .into_iter()
            .map(|g| g.case)
            .collect();
        let results = runner::run(
            &ReferenceTarget::default(),
            &cases,
            &RunOptions::default(),
            &|_| {},
        );
        let failed: Vec<_> = results
            .iter()
            .filter(|r| r.verdict != Verdict::Pass)
            .collect();
        assert!(failed.is_empty(), "seed {seed}: {:?}", failed.first());
    }
}

#[test]
fn generated_files_check_targets_in_other_accounts_regions_and_partitions() {
    let config = Config {
        account: "000000000000".into(),
        region: "eu-west-3".into(),
        partition: "aws-cn".into(),
        ..Config::default()
    };
    let cases: Vec<Case> = generate::generate(Kind::All, 400, 5)
        .expect("generation")
        .into_iter()
        .map(|g| g.case)
        .filter(|c| !c.tags.iter().any(|t| t == "config:default"))
        .collect();
    let results = runner::run(
        &ReferenceTarget::new(config),
        &cases,
        &RunOptions::default(),
        &|_| {},
    );
    let failed: Vec<_> = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .collect();
    assert!(
        failed.is_empty(),
        "{} failed, first: {:?}",
        failed.len(),
        failed.first()
    );
}

#[test]
fn generation_is_deterministic_per_seed() {
    let text = |kind, seed| {
        let cases: Vec<Case> = generate::generate(kind, 150, seed)
            .unwrap()
            .into_iter()
            .map(|g| g.case)
            .collect();
        case::to_jsonl(&cases)
    };
    for kind in [Kind::Valid, Kind::Invalid, Kind::Sequence, Kind::Boundary] {
        assert_eq!(text(kind, 9), text(kind, 9), "{kind:?}");
    }
    assert_ne!(text(Kind::Valid, 9), text(Kind::Valid, 10));
    let all = text(Kind::All, 9);
    let ids: Vec<String> = case::parse(&all, "all")
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "ids are unique"
    );
}

#[test]
fn the_boundary_table_covers_every_contract_constraint() {
    let cases: Vec<Case> = generate::generate(Kind::Boundary, 0, 0)
        .unwrap()
        .into_iter()
        .map(|g| g.case)
        .collect();
    assert_eq!(coverage::missing(&cases), []);
    for rule in [
        "function-not-found",
        "foreign-function",
        "version-not-found",
        "alias-not-found",
        "latest-unsupported",
        "qualifier-mismatch",
        "duplicate-statement-id",
        "revision-mismatch",
        "policy-too-large",
        "invalid-principal",
        "malformed-principal-arn",
        "function-url-auth-type-action",
        "invoked-via-function-url-action",
    ] {
        assert!(
            cases.iter().any(|c| c.tags.iter().any(|t| t == rule)),
            "{rule}"
        );
    }
}

#[test]
fn all_has_the_breadth_users_need() {
    let cases: Vec<Case> = generate::generate(Kind::All, 1000, 3)
        .unwrap()
        .into_iter()
        .map(|g| g.case)
        .collect();
    assert!(coverage::counts(&cases).len() >= 30);
    // Every member appears in valid cases.
    let mut seen = BTreeSet::new();
    for c in cases.iter().filter(|c| c.tags[0] == "valid") {
        if let Some(serde_json::Value::Object(b)) = &c.request.body {
            seen.extend(
                b.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, _)| k.clone()),
            );
        }
        seen.insert("FunctionName".to_string());
        if c.request.qualifier.is_some() {
            seen.insert("Qualifier".to_string());
        }
    }
    for m in &contract().members {
        assert!(
            seen.contains(m.name),
            "{} never appears in a valid case",
            m.name
        );
    }
    let tags: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c.tags.iter().map(String::as_str))
        .collect();
    for trap in [
        "trap:unicode-digit",
        "trap:nbsp-is-not-java-space",
        "trap:unanchored-substring",
        "trap:empty-string",
        "trap:json-null",
        "json:number",
        "trap:unknown-member",
        "utf16",
        "trap:java-dot-line-terminator",
    ] {
        assert!(tags.contains(trap), "{trap}");
    }
    for shape in [
        "function-name:name",
        "function-name:name-qualifier",
        "function-name:partial-arn",
        "function-name:full-arn",
        "principal:service",
        "principal:account",
        "principal:account-root-arn",
        "principal:iam-role",
        "principal:iam-user",
        "principal:everyone",
        "qualifier:none",
        "qualifier:version",
        "qualifier:alias",
        "qualifier:alias-to-latest",
    ] {
        assert!(tags.contains(shape), "{shape}");
    }
}

#[test]
fn validation_labels_name_members_in_the_message() {
    for g in generate::generate(Kind::Boundary, 0, 0).unwrap() {
        if let Outcome::Validation(entries) = &g.label.outcome {
            for (member, _) in entries {
                let name = contract().expect_member(member).message_name();
                assert!(
                    g.answer.message.contains(&format!("at '{name}'")),
                    "{}",
                    g.answer.message
                );
            }
        }
    }
}

#[test]
fn gen_piped_into_check_passes() {
    let bin = env!("CARGO_BIN_EXE_addperm");
    let gen = Command::new(bin)
        .args(["gen", "--kind", "all", "--count", "300", "--seed", "11"])
        .output()
        .expect("gen runs");
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let mut check = common::addperm_command()
        .args(["check", "--target", "reference", "--cases", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("check runs");
    check
        .stdin
        .take()
        .expect("stdin")
        .write_all(&gen.stdout)
        .expect("write");
    let out = check.wait_with_output().expect("check ends");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.trim_end().ends_with(" passed, 0 failed"), "{text}");
}

#[test]
fn gen_rejects_bad_arguments_with_exit_2() {
    let bin = env!("CARGO_BIN_EXE_addperm");
    for args in [
        &["gen", "--kind", "nope"][..],
        &["gen", "--count", "-1"],
        &["gen", "--seed", "x"],
    ] {
        let out = Command::new(bin).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = Command::new(bin)
        .args(["gen", "--kind", "boundary", "--coverage"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let n = coverage::contract_constraints().len();
    let wanted = format!("{n} of {n} contract constraints exercised");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&wanted));
}

#[test]
fn suites_have_exactly_the_asked_size_and_the_mix_of_all() {
    for total in [0, 1, 2, 10, 300, 497, 498, 499] {
        let suite = generate::suite(total, 4).expect("generation");
        assert_eq!(suite.len(), total);
        let ids: BTreeSet<&str> = suite.iter().map(|d| d.generated.case.id.as_str()).collect();
        assert_eq!(ids.len(), total, "ids are unique");
    }
    let table = generate::generate(Kind::Boundary, 0, 4).unwrap().len();
    // Small suites spread the table rows they take over the whole table.
    let small = generate::suite(20, 4).unwrap();
    let rows: Vec<usize> = small
        .iter()
        .filter(|d| d.origin.is_none())
        .map(|d| {
            let id = &d.generated.case.id;
            id.strip_prefix("gen-boundary-4-").unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0], 0);
    assert!(rows[9] >= table * 8 / 10, "{rows:?} of {table}");
    // From twice the table up, a suite is `gen --kind all` of the same size.
    let suite: Vec<Case> = generate::suite(2 * table + 7, 4)
        .unwrap()
        .into_iter()
        .map(|d| d.generated.case)
        .collect();
    let all: Vec<Case> = generate::generate(Kind::All, table + 7, 4)
        .unwrap()
        .into_iter()
        .map(|g| g.case)
        .collect();
    assert_eq!(suite, all);
}

#[test]
fn origins_draw_the_same_case_again() {
    for d in generate::suite(120, 9).unwrap() {
        let Some(origin) = &d.origin else { continue };
        let (_, draft) = origin.tree().expect("a tree");
        let again = draft.finish(d.generated.case.id.clone());
        assert_eq!(again, d.generated);
    }
}
