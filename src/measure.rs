//! Measuring the harness itself: how quickly the generated suite detects each fault of the
//! catalogue ([`Fault`]).
//!
//! The suite is the one `addperm gen --kind all` writes (the boundary table plus generated
//! valid, invalid and sequence cases, expectations from the fault-free reference), put in
//! *detection order*: the four kinds interleaved one case at a time, so a fault that one kind
//! finds at once is not hidden behind hundreds of cases of another kind. Each fault is then run
//! in process, case by case, at `--compare exact`, until the first case that does not pass.
//!
//! `benches/detection.rs` prints the table; `tests/detection.rs` guards that every fault stays
//! detected.

use crate::case::Case;
use crate::generate::{self, GenerateError, Kind};
use crate::outcome::{Compare, Verdict};
use crate::reference::{Config, Fault};
use crate::runner;
use crate::target::ReferenceTarget;
use std::time::{Duration, Instant};

/// The generated suite of `budget` cases under `seed`, in detection order: the first `budget`
/// cases of [`interleaved`]`(budget, seed)`, which is
/// `addperm gen --kind all --count BUDGET --seed SEED --interleave | head -n BUDGET`.
pub fn suite(budget: usize, seed: u64) -> Result<Vec<Case>, GenerateError> {
    let mut out = interleaved(budget, seed)?;
    out.truncate(budget);
    Ok(out)
}

/// The cases of `addperm gen --kind all --count COUNT --seed SEED` (the boundary table plus
/// `count` generated cases: 2/5 valid, 2/5 invalid, 1/5 sequence) in detection order: one of
/// each kind in turn (boundary, valid, invalid, sequence; a kind that runs out leaves its turn
/// to the others), so every prefix is a mix of all four kinds.
pub fn interleaved(count: usize, seed: u64) -> Result<Vec<Case>, GenerateError> {
    let valid = count * 2 / 5;
    let invalid = count * 2 / 5;
    let streams = [
        generate::generate(Kind::Boundary, 0, seed)?,
        generate::generate(Kind::Valid, valid, seed)?,
        generate::generate(Kind::Invalid, invalid, seed)?,
        generate::generate(Kind::Sequence, count - valid - invalid, seed)?,
    ];
    Ok(interleave(
        streams.map(|s| s.into_iter().map(|g| g.case).collect()),
    ))
}

/// One item of each list in turn until all are used up.
pub fn interleave<T>(lists: [Vec<T>; 4]) -> Vec<T> {
    let total = lists.iter().map(Vec::len).sum();
    let mut iters = lists.map(Vec::into_iter);
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        for it in &mut iters {
            out.extend(it.next());
        }
    }
    out
}

/// How one fault fared against a suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// `None`: the fault-free reference (every case should pass).
    pub fault: Option<Fault>,
    /// The 1-based position of the first case that did not pass, if one did not.
    pub first: Option<usize>,
    /// That case's id and verdict.
    pub case_id: Option<String>,
    pub verdict: Option<Verdict>,
    /// Cases run: up to and including the first that did not pass, else the whole suite.
    pub cases_run: usize,
    /// Wall time of those cases.
    pub elapsed: Duration,
}

impl Detection {
    pub fn detected(&self) -> bool {
        self.first.is_some()
    }

    pub fn name(&self) -> &'static str {
        self.fault.map_or("(none)", Fault::id)
    }
}

/// Runs `cases` in order, one at a time, against the reference with `fault`, at `compare`,
/// until the first case that does not pass.
pub fn detect(fault: Option<Fault>, cases: &[Case], compare: Compare) -> Detection {
    let target = ReferenceTarget::new(Config {
        fault,
        ..Config::default()
    });
    let start = Instant::now();
    let mut detection = Detection {
        fault,
        first: None,
        case_id: None,
        verdict: None,
        cases_run: 0,
        elapsed: Duration::ZERO,
    };
    for (i, case) in cases.iter().enumerate() {
        let result = runner::run_case(&target, case, compare);
        detection.cases_run = i + 1;
        if result.verdict != Verdict::Pass {
            detection.first = Some(i + 1);
            detection.case_id = Some(result.id);
            detection.verdict = Some(result.verdict);
            break;
        }
    }
    detection.elapsed = start.elapsed();
    detection
}

/// [`detect`] for every fault of the catalogue, in catalogue order.
pub fn detect_all(cases: &[Case], compare: Compare) -> Vec<Detection> {
    Fault::ALL
        .into_iter()
        .map(|f| detect(Some(f), cases, compare))
        .collect()
}

/// The median of the cases to first detection over all `rows`, an undetected fault counting
/// as one past the budget (so a miss can only raise the median). `None` for no rows.
pub fn median_cases(rows: &[Detection], budget: usize) -> Option<f64> {
    let mut n: Vec<usize> = rows.iter().map(|d| d.first.unwrap_or(budget + 1)).collect();
    n.sort_unstable();
    let len = n.len();
    match len {
        0 => None,
        _ if len % 2 == 1 => Some(n[len / 2] as f64),
        _ => Some((n[len / 2 - 1] + n[len / 2]) as f64 / 2.0),
    }
}

/// The markdown table of `rows` and its summary line.
pub fn markdown(rows: &[Detection], budget: usize) -> String {
    let mut out = String::from(
        "| fault | detected | cases to first detection | first detecting case | time (ms) |\n|---|---|---:|---|---:|\n",
    );
    for d in rows {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {:.1} |\n",
            d.name(),
            if d.detected() { "yes" } else { "**no**" },
            d.first
                .map_or_else(|| format!("> {budget}"), |n| n.to_string()),
            d.case_id.as_deref().map_or("-".into(), |id| format!(
                "`{id}` ({})",
                d.verdict.map_or("", Verdict::as_str)
            )),
            d.elapsed.as_secs_f64() * 1000.0,
        ));
    }
    let detected = rows.iter().filter(|d| d.detected()).count();
    let total: Duration = rows.iter().map(|d| d.elapsed).sum();
    out.push_str(&format!(
        "\ndetected {detected}/{}; median cases to first detection {}; max {}; total time {:.0} ms\n",
        rows.len(),
        median_cases(rows, budget).map_or("-".into(), |m| format!("{m}")),
        rows.iter()
            .filter_map(|d| d.first)
            .max()
            .map_or("-".into(), |m| m.to_string()),
        total.as_secs_f64() * 1000.0,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_takes_turns_and_keeps_every_item() {
        let out = interleave([vec![1, 2, 3], vec![10], vec![], vec![20, 21]]);
        assert_eq!(out, vec![1, 10, 20, 2, 21, 3]);
    }

    #[test]
    fn the_median_counts_a_miss_past_the_budget() {
        let row = |first| Detection {
            fault: None,
            first,
            case_id: None,
            verdict: None,
            cases_run: 0,
            elapsed: Duration::ZERO,
        };
        assert_eq!(median_cases(&[], 10), None);
        assert_eq!(
            median_cases(&[row(Some(3)), row(None), row(Some(1))], 10),
            Some(3.0)
        );
        assert_eq!(median_cases(&[row(Some(4)), row(None)], 10), Some(7.5));
        assert_eq!(median_cases(&[row(None)], 10), Some(11.0));
    }

    #[test]
    fn interleaving_reorders_the_cases_of_kind_all() {
        let mut all: Vec<String> = generate::generate(Kind::All, 30, 2)
            .unwrap()
            .into_iter()
            .map(|g| g.case.id)
            .collect();
        let mut mixed: Vec<String> = interleaved(30, 2)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_ne!(all, mixed);
        all.sort();
        mixed.sort();
        assert_eq!(all, mixed);
    }

    #[test]
    fn the_suite_keeps_its_budget_and_starts_with_every_kind() {
        let cases = suite(40, 3).unwrap();
        // The boundary table alone is longer than 40: the others still take their turns.
        assert_eq!(cases.len(), 40);
        let kinds: Vec<&str> = cases[..4]
            .iter()
            .map(|c| c.id.split('-').nth(1).unwrap())
            .collect();
        assert_eq!(kinds, ["boundary", "valid", "invalid", "sequence"]);
    }
}
