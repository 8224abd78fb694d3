//! Differential fuzzing of any [`Target`] against the reference, from a user's own cargo-fuzz
//! target (feature `fuzzing`):
//!
//! ```ignore
//! fuzz_target!(|data: &[u8]| addperm::fuzzing::differential(data, &*MY_TARGET));
//! ```
//!
//! The bytes become a case ([`input::case_parts`]: a `given` state and one AddPermission
//! request), its expectation comes from the reference ([`crate::generate::oracle`]), and the
//! case is played on the target exactly as `addperm check` plays it. A divergence panics with
//! the report `check` prints and the case as one JSON line, so the finding is replayed with
//! `addperm check --target ... --cases FILE` without the fuzzer.

mod input;

pub use input::case_parts;

use crate::case::{self, Case};
use crate::generate::oracle;
use crate::outcome::Verdict;
use crate::report::{text_report, RunInfo};
use crate::runner::{self, RunOptions};
use crate::target::Target;
use arbitrary::Unstructured;

/// The id a finding's case gets.
pub const CASE_ID: &str = "fuzz-differential";

/// Plays the case `data` describes on `target` and panics where its answer (or the policy it
/// stores) differs from the reference's, or where it gives none (a target that cannot be
/// reached fails the first input, with the reason). Inputs too short to describe a case are
/// ignored.
pub fn differential(data: &[u8], target: &dyn Target) {
    let Some(case) = case_of(data) else { return };
    if let Some(report) = divergence(&case, target) {
        panic!("{report}");
    }
}

/// The case `data` describes, with the reference's answer as its `expect`; `None` for bytes that
/// run out before the case is complete.
pub fn case_of(data: &[u8]) -> Option<Case> {
    let (given, request) = case_parts(&mut Unstructured::new(data)).ok()?;
    let answer = oracle::run(&given, &request);
    // Every given permission was granted while the case was drawn: set-up cannot fail.
    debug_assert_ne!(answer.status, 0, "an unplayable fuzz case: {answer}");
    let expect = oracle::expect(&answer, &request);
    Some(Case {
        id: CASE_ID.into(),
        tags: vec!["fuzz".into()],
        given,
        request,
        expect,
    })
}

/// `case` played on `target` as `addperm check` plays it: `None` when it passes, else the text
/// report with the case line that replays it.
pub fn divergence(case: &Case, target: &dyn Target) -> Option<String> {
    let options = RunOptions::default();
    let result = runner::run_one(target, case, &options);
    if result.verdict == Verdict::Pass {
        return None;
    }
    let report = text_report(
        std::slice::from_ref(&result),
        &RunInfo::new(target, options.compare),
    );
    Some(format!(
        "{} diverges from the reference:\n{report}\nThe case, to replay with \
         `addperm check --target <target> --cases FILE` (FILE holding this line):\n{}",
        target.name(),
        case::to_jsonl(std::slice::from_ref(case)).trim_end()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::arbitrary::test_bytes;
    use crate::reference::{Config, Fault};
    use crate::target::ReferenceTarget;

    fn inputs() -> impl Iterator<Item = Vec<u8>> {
        (0..300u64).map(|seed| test_bytes(seed, (seed % 200) as usize))
    }

    #[test]
    fn the_reference_never_diverges_from_itself() {
        let target = ReferenceTarget::default();
        for data in inputs() {
            differential(&data, &target);
        }
    }

    #[test]
    fn a_faulty_reference_diverges_with_a_replayable_case() {
        let target = ReferenceTarget::new(Config {
            fault: Some(Fault::NoDuplicateSid),
            ..Config::default()
        });
        let report = inputs()
            .filter_map(|data| case_of(&data))
            .find_map(|case| divergence(&case, &target))
            .expect("some input finds no-duplicate-sid");
        let line = report.lines().last().expect("a case line");
        let replayed = case::parse(line, "finding").expect("the case line reads back");
        assert_eq!(replayed[0].id, CASE_ID);
        let again = divergence(&replayed[0], &target).expect("the replayed case fails too");
        assert!(again.contains("FAIL") || again.contains("fail"), "{again}");
        assert!(divergence(&replayed[0], &ReferenceTarget::default()).is_none());
    }
}
