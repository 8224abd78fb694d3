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
        (
            "sequential".to_string(),
            run(target, cases, &alone, progress),
        ),
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
/// statement) and every difference from the expectation, with every UUID in it made one
/// ([`without_uuids`]). Message texts are left out (some emulators put request ids in them):
/// a message that fails its expectation in one run and not in another still shows as its
/// difference. A case without an answer (a setup or transport failure, whose text names the
/// session's functions) is its verdict alone.
fn answer(r: &CaseResult) -> String {
    without_uuids(&answer_text(r))
}

fn answer_text(r: &CaseResult) -> String {
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

/// `text` with every UUID (8-4-4-4-12 hex digits) written `<uuid>`. An implementation makes
/// those up per request (moto gives a statement without a StatementId a random UUID as its
/// Sid), so they differ between runs of a deterministic implementation.
fn without_uuids(text: &str) -> String {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let len: usize = GROUPS.iter().sum::<usize>() + GROUPS.len() - 1;
    let is_uuid = |b: &[u8]| {
        let mut at = 0;
        GROUPS.iter().enumerate().all(|(i, n)| {
            let hex = b[at..at + n].iter().all(u8::is_ascii_hexdigit);
            at += n;
            let dash = i == GROUPS.len() - 1 || b[at] == b'-';
            at += 1;
            hex && dash
        })
    };
    let bytes = text.as_bytes();
    let (mut out, mut i, mut kept) = (String::with_capacity(text.len()), 0, 0);
    while i + len <= bytes.len() {
        if is_uuid(&bytes[i..i + len]) {
            out.push_str(&text[kept..i]);
            out.push_str("<uuid>");
            i += len;
            kept = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[kept..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expect;
    use crate::target::Observed;

    fn result(id: &str, status: u16, verdict: Verdict) -> CaseResult {
        let expected = Expect::status(201);
        CaseResult {
            actual: (verdict != Verdict::NotRun).then(|| Observed {
                status,
                ..Observed::default()
            }),
            ..CaseResult::new(id.into(), Vec::new(), verdict, expected)
        }
    }

    fn runs(statuses: &[&[u16]]) -> Vec<(String, Vec<CaseResult>)> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, run)| {
                let results = run
                    .iter()
                    .enumerate()
                    .map(|(c, s)| match s {
                        0 => result(&format!("c{c}"), 0, Verdict::NotRun),
                        201 => result(&format!("c{c}"), 201, Verdict::Pass),
                        s => result(&format!("c{c}"), *s, Verdict::Mismatch),
                    })
                    .collect();
                (format!("run {}", i + 1), results)
            })
            .collect()
    }

    #[test]
    fn alike_answers_keep_their_verdict_and_differing_ones_are_flaky_side_by_side() {
        let merged = merge(
            runs(&[&[201, 409, 201], &[201, 409, 409], &[201, 409, 500]]),
            REPEAT,
        );
        let verdicts: Vec<Verdict> = merged.iter().map(|r| r.verdict).collect();
        assert_eq!(verdicts, [Verdict::Pass, Verdict::Mismatch, Verdict::Flaky]);
        let flaky = &merged[2];
        assert_eq!(flaky.actual, None, "a flaky case has no one answer");
        let shown: Vec<(&str, &str)> = flaky
            .differences
            .iter()
            .map(|d| (d.expected.as_str(), d.actual.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("run 1: pass 201", "run 2: mismatch 409"),
                ("run 1: pass 201", "run 3: mismatch 500")
            ]
        );
        assert!(flaky.differences.iter().all(|d| d.field == REPEAT));
    }

    #[test]
    fn uuids_made_up_per_request_are_one() {
        assert_eq!(
            without_uuids(
                r#"{"Sid": "5f914026-fc16-45bf-b716-00f57cff7fce"} é 0006fd50-cde1-4920-801e-46631b37226a."#
            ),
            r#"{"Sid": "<uuid>"} é <uuid>."#
        );
        for kept in [
            "5f914026-fc16-45bf-b716-00f57cff7fc",
            "5f914026xfc16-45bf-b716-00f57cff7fce",
            "é",
        ] {
            assert_eq!(without_uuids(kept), kept);
        }
    }

    #[test]
    fn a_case_not_run_in_one_run_is_judged_by_the_runs_that_ran_it() {
        let merged = merge(runs(&[&[0, 201], &[409, 0], &[409, 201]]), REPEAT);
        assert_eq!(merged[0].verdict, Verdict::Mismatch);
        assert_eq!(merged[1].verdict, Verdict::Pass);
        let never = merge(runs(&[&[0], &[0]]), REPEAT);
        assert_eq!(never[0].verdict, Verdict::NotRun);
    }

    #[test]
    fn message_texts_do_not_make_a_case_flaky_but_a_message_difference_does() {
        let with_message = |m: &str, differs: bool| {
            let mut r = result("c", 400, Verdict::Pass);
            r.actual.as_mut().unwrap().message = Some(m.into());
            if differs {
                r.verdict = Verdict::Mismatch;
                r.differences.push(Difference {
                    field: "message",
                    expected: "/^x$/".into(),
                    actual: m.into(),
                });
            }
            r
        };
        let label = |i: usize| format!("run {i}");
        let ids = merge(
            vec![
                (label(1), vec![with_message("request 1", true)]),
                (label(2), vec![with_message("request 2", true)]),
            ],
            REPEAT,
        );
        assert_eq!(ids[0].verdict, Verdict::Mismatch);
        let changed = merge(
            vec![
                (label(1), vec![with_message("x", false)]),
                (label(2), vec![with_message("y", true)]),
            ],
            REPEAT,
        );
        assert_eq!(changed[0].verdict, Verdict::Flaky);
    }
}
