//! Nondeterminism: cases run several times (`--repeat N`), or once alone and once among
//! concurrent workers (`--concurrency-check K`), and a case whose answers differ between the
//! runs made a [`Verdict::Flaky`] result that shows them side by side.
//!
//! A run reports each answer as the truth; an implementation with a race gives different
//! answers to the same case from run to run, so one run alone either shows a divergence that
//! is not the implementation's answer or misses the race. Comparing runs case by case tells
//! the two apart. What is compared is the answer as judged (the verdict, the differences, the
//! status, error type, message and statement, the stored policy), never what a session makes
//! unique (renamed functions, RevisionIds), so a deterministic target is never flaky.

use super::{run, Fixtures, RunOptions};
use crate::case::Case;
use crate::outcome::{CaseResult, Difference, Verdict};

/// The difference field of a case whose repetitions answered differently.
pub const REPEAT: &str = "repeat";
/// The difference field of a case whose answer among concurrent workers differs from its
/// answer alone.
pub const CONCURRENCY: &str = "concurrency";

/// Runs every case `repeat` times (each time on fixtures made for it) and gives one result per
/// case: the first run's where every run answered alike, else a [`Verdict::Flaky`] one.
/// `progress` is called for every case of every run.
pub fn run_repeated(
    target: &dyn crate::target::Target,
    cases: &[Case],
    options: &RunOptions,
    repeat: usize,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let options = RunOptions {
        fixtures: Fixtures::Fresh,
        ..options.clone()
    };
    let runs: Vec<(String, Vec<CaseResult>)> = (1..=repeat.max(1))
        .map(|i| {
            let label = format!("run {i}");
            (label, run(target, cases, &options, progress))
        })
        .collect();
    merge(runs, REPEAT)
}

/// Runs the cases once with one worker, then once with `workers` interleaving them, and gives
/// one result per case: the lone run's where both answered alike, else a [`Verdict::Flaky`]
/// one (a race finding) with both answers.
pub fn run_concurrency_check(
    target: &dyn crate::target::Target,
    cases: &[Case],
    options: &RunOptions,
    workers: usize,
    progress: &(dyn Fn(&CaseResult) + Sync),
) -> Vec<CaseResult> {
    let alone = RunOptions {
        jobs: 1,
        fixtures: Fixtures::Fresh,
        ..options.clone()
    };
    let together = RunOptions {
        jobs: workers.max(2),
        ..alone.clone()
    };
    let runs = vec![
        ("sequential".to_string(), run(target, cases, &alone, progress)),
        (
            format!("{} concurrent workers", together.jobs),
            run(target, cases, &together, progress),
        ),
    ];
    merge(runs, CONCURRENCY)
}

/// One result per case from several runs of the same cases (each labelled): the first run's
/// where all answered alike (cases not run in some run left out of the comparison), else a
/// flaky result whose differences hold the first answer beside each other one (`field`).
pub fn merge(runs: Vec<(String, Vec<CaseResult>)>, field: &'static str) -> Vec<CaseResult> {
    let mut runs = runs.into_iter();
    let Some((first_label, first)) = runs.next() else {
        return Vec::new();
    };
    let others: Vec<(String, Vec<CaseResult>)> = runs.collect();
    first
        .into_iter()
        .enumerate()
        .map(|(i, mut result)| {
            let ran = |r: &&CaseResult| r.verdict != Verdict::NotRun;
            let mut seen: Vec<(&str, &CaseResult)> = others
                .iter()
                .map(|(label, results)| (label.as_str(), &results[i]))
                .filter(|(_, r)| ran(r))
                .collect();
            if result.verdict == Verdict::NotRun {
                return match seen.first() {
                    Some((_, r)) => (*r).clone(),
                    None => result,
                };
            }
            let answer = answer(&result);
            seen.retain(|(_, r)| self::answer(r) != answer);
            if seen.is_empty() {
                return result;
            }
            result.differences = seen
                .iter()
                .map(|(label, r)| Difference {
                    field,
                    expected: format!("{first_label}: {answer}"),
                    actual: format!("{label}: {}", self::answer(r)),
                })
                .collect();
            result.detail = Some(format!(
                "the answers differ between runs of the same case ({} of the {} other runs answered otherwise than {first_label})",
                seen.len(),
                others.len()
            ));
            result.verdict = Verdict::Flaky;
            // No one answer is the case's: a baseline records the case as flaky, whatever it
            // answered this time.
            result.actual = None;
            result.stored = None;
            result
        })
        .collect()
}

/// A case's answer as judged, in one line: its verdict, what it answered (status, error type,
/// statement) and every difference from the expectation. Message texts are left out (some
/// emulators put request ids in them): a message that fails its expectation in one run and
/// not in another still shows as its difference. A case without an answer (a setup or
/// transport failure, whose text names the session's functions) is its verdict alone.
fn answer(r: &CaseResult) -> String {
    let mut out = r.verdict.as_str().to_string();
    if let Some(a) = &r.actual {
        out.push_str(&format!(" {}", a.status));
        for part in [&a.error_type, &a.statement_raw].into_iter().flatten() {
            out.push_str(&format!(" {part}"));
        }
    }
    for d in &r.differences {
        match d.field {
            "message" => out.push_str("; message differs"),
            field => out.push_str(&format!("; {field} {}", d.actual)),
        }
    }
    out
}
