//! Known-divergence baselines: CI stays green while an emulator behaves as recorded, turns red
//! on any new divergence, and says when a known one has been fixed.
//!
//! A divergence is recorded by case id with the answer seen. It still counts as "known" when the
//! same case fails the same way: same verdict, same differing fields, same status and error type.
//! Messages are kept for people but not compared, since emulators put request ids in them.
//!
//! An entry may say why the divergence is accepted (`reason`) and until when (`expires`): past
//! that day it no longer hides its divergence, so an accepted finding is looked at again
//! instead of staying accepted forever. Re-recording a baseline keeps both.

use crate::outcome::{CaseResult, Verdict};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::Path;
use time::{Date, Month};

/// A baseline file that cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not a valid baseline: {reason}")]
    Invalid { path: String, reason: String },
    #[error(
        "{path}: baseline version {version} is not supported (expected 1 or {BASELINE_VERSION})"
    )]
    Version { path: String, version: u32 },
    #[error("cannot write baseline {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The file format version written in every baseline. Version 2 added `reason` and `expires`
/// to entries; a version 1 file is read as a version 2 file whose entries have neither. The
/// number changed because a version 1 reader would reject the new fields, or worse, if it
/// ignored them, keep hiding a divergence whose acceptance has expired.
pub const BASELINE_VERSION: u32 = 2;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// What the baseline was recorded against (for people).
    #[serde(default)]
    pub target: String,
    /// Case id -> the divergence seen.
    pub divergences: BTreeMap<String, Divergence>,
}

/// How one case diverged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divergence {
    /// Why the divergence is accepted, for people (kept when the baseline is re-recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The last day the divergence is accepted (`YYYY-MM-DD`); from the day after, a run that
    /// still shows it fails (kept when the baseline is re-recorded).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "write_day",
        deserialize_with = "read_day"
    )]
    pub expires: Option<Date>,
    pub verdict: Verdict,
    /// The fields that differed (`status`, `error_type`, `message`, `statement`, ...).
    #[serde(default)]
    pub fields: Vec<String>,
    pub status: Option<u16>,
    pub error_type: Option<String>,
    /// The message or problem seen, for people; not compared.
    #[serde(default)]
    pub seen: String,
}

/// `text` as a day, `YYYY-MM-DD` exactly (`2026-03-31`), as `expires` and `check --today`
/// write it.
pub fn parse_day(text: &str) -> Result<Date, String> {
    let bad = || format!("{text:?} is not a date of the form YYYY-MM-DD");
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(bad());
    }
    let (y, m, d) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u8>().map_err(|_| bad())?,
        d.parse::<u8>().map_err(|_| bad())?,
    );
    let month = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d)
        .map_err(|_| format!("{text:?} is not a day of the calendar"))
}

/// `day` as `YYYY-MM-DD`.
pub fn day_text(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

fn write_day<S: Serializer>(day: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(d) => s.serialize_str(&day_text(*d)),
        None => s.serialize_none(),
    }
}

fn read_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let text = Option::<String>::deserialize(d)?;
    text.map(|t| parse_day(&t).map_err(serde::de::Error::custom))
        .transpose()
}

impl Divergence {
    /// The divergence a failed result shows; `None` for a pass or a case not run.
    pub fn of(r: &CaseResult) -> Option<Divergence> {
        if !r.verdict.failed() {
            return None;
        }
        let mut fields: Vec<String> = r.differences.iter().map(|d| d.field.to_string()).collect();
        fields.sort();
        let actual = r.actual.as_ref();
        Some(Divergence {
            reason: None,
            expires: None,
            verdict: r.verdict,
            fields,
            status: actual.map(|a| a.status),
            error_type: actual.and_then(|a| a.error_type.clone()),
            seen: actual
                .and_then(|a| a.message.clone().or_else(|| a.body_problem.clone()))
                .or_else(|| r.detail.clone())
                .unwrap_or_default(),
        })
    }

    /// Whether `other` is the same divergence (everything but the free text, the reason and
    /// the date).
    pub fn same_as(&self, other: &Divergence) -> bool {
        (self.verdict, &self.fields, self.status, &self.error_type)
            == (
                other.verdict,
                &other.fields,
                other.status,
                &other.error_type,
            )
    }

    /// Whether the entry no longer hides its divergence on `today`: its last day has passed.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|last| today > last)
    }
}

/// A run judged against a baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judgement {
    /// Diverging cases the baseline does not list.
    pub new: Vec<String>,
    /// Cases the baseline lists that now diverge differently: (id, recorded, now).
    pub changed: Vec<(String, Divergence, Divergence)>,
    /// Cases the baseline lists that now pass.
    pub fixed: Vec<String>,
    /// Cases that diverge as recorded, but whose entry has expired: (id, the entry, with its
    /// reason and date).
    pub expired: Vec<(String, Divergence)>,
    /// Cases that diverge exactly as recorded, under an entry still in force.
    pub known: usize,
}

impl Judgement {
    /// Whether the run is acceptable: nothing new, changed or expired, and with `strict`,
    /// nothing fixed (a fixed divergence must be removed from the baseline).
    pub fn passes(&self, strict: bool) -> bool {
        self.new.is_empty()
            && self.changed.is_empty()
            && self.expired.is_empty()
            && (!strict || self.fixed.is_empty())
    }
}

impl Baseline {
    /// Records every divergence of `results`. The runner reports answers under the case's own
    /// function names, not a target's per-run renamings, so recording the same behaviour twice
    /// writes the same file.
    pub fn record(target: &str, results: &[CaseResult]) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            target: target.to_string(),
            divergences: results
                .iter()
                .filter_map(|r| Divergence::of(r).map(|d| (r.id.clone(), d)))
                .collect(),
        }
    }

    /// Gives every entry the reason and date its case has in `old` (the baseline this one
    /// replaces), so that re-recording keeps what people wrote. Returns how many entries got
    /// one or both.
    pub fn keep_notes(&mut self, old: &Baseline) -> usize {
        let mut kept = 0;
        for (id, d) in &mut self.divergences {
            let Some(was) = old.divergences.get(id) else {
                continue;
            };
            if was.reason.is_some() || was.expires.is_some() {
                d.reason.clone_from(&was.reason);
                d.expires = was.expires;
                kept += 1;
            }
        }
        kept
    }

    /// Judges `results` against the baseline as on `today` (entries expire by it). Baseline
    /// entries for cases that did not run (another shard, a tag filter, a run that stopped)
    /// are not judged.
    pub fn judge(&self, results: &[CaseResult], today: Date) -> Judgement {
        let mut j = Judgement::default();
        for r in results.iter().filter(|r| r.verdict != Verdict::NotRun) {
            match (Divergence::of(r), self.divergences.get(&r.id)) {
                (None, None) => {}
                (None, Some(_)) => j.fixed.push(r.id.clone()),
                (Some(_), None) => j.new.push(r.id.clone()),
                (Some(now), Some(recorded)) if !now.same_as(recorded) => {
                    j.changed.push((r.id.clone(), recorded.clone(), now))
                }
                (Some(_), Some(recorded)) if recorded.expired(today) => {
                    j.expired.push((r.id.clone(), recorded.clone()))
                }
                (Some(_), Some(_)) => j.known += 1,
            }
        }
        j
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let failed = |reason: String| BaselineError::Read {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if !(1..=BASELINE_VERSION).contains(&b.version) {
            return Err(BaselineError::Version {
                path: path.display().to_string(),
                version: b.version,
            });
        }
        Ok(b)
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let failed = |reason: String| BaselineError::Write {
            path: path.display().to_string(),
            reason,
        };
        let mut text = serde_json::to_string_pretty(self).map_err(|e| failed(e.to_string()))?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| failed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Expect;
    use crate::outcome::Difference;
    use crate::target::Observed;

    fn result(id: &str, status: u16, fields: &[&'static str]) -> CaseResult {
        let verdict = if fields.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Mismatch
        };
        let expected = Expect::status(201);
        CaseResult {
            actual: Some(Observed {
                status,
                message: Some(format!("req {id}")),
                ..Observed::default()
            }),
            differences: fields
                .iter()
                .map(|f| Difference {
                    field: f,
                    expected: "e".into(),
                    actual: "a".into(),
                })
                .collect(),
            ..CaseResult::new(id.into(), vec![], verdict, expected)
        }
    }

    /// A flaky result as `--repeat` makes it: no one answer, the repetitions' answers as
    /// differences (whose texts vary from run to run).
    fn flaky(id: &str, seen: &str) -> CaseResult {
        let mut r = result(id, 0, &["repeat"]);
        r.verdict = Verdict::Flaky;
        r.actual = None;
        r.differences[0].actual = seen.into();
        r
    }

    #[test]
    fn a_baseline_records_a_case_as_known_flaky() {
        let baseline = Baseline::record("emulator", &[flaky("a", "run 2: 409")]);
        assert_eq!(baseline.divergences["a"].verdict, Verdict::Flaky);
        let day = day("2026-01-01");
        let again = baseline.judge(&[flaky("a", "run 3: 500")], day);
        assert_eq!(
            (again.known, again.new.len(), again.changed.len()),
            (1, 0, 0)
        );
        // Steady again, failing one way: the divergence changed.
        let steady = baseline.judge(&[result("a", 409, &["status"])], day);
        assert_eq!(steady.changed.len(), 1);
    }

    #[test]
    fn known_new_changed_and_fixed() {
        let before = [
            result("a", 200, &["status"]),
            result("b", 200, &["status"]),
            result("c", 201, &[]),
        ];
        let baseline = Baseline::record("moto", &before);
        assert_eq!(baseline.divergences.len(), 2);
        let after = [
            result("a", 200, &["status"]),
            result("b", 500, &["status"]),
            result("c", 400, &["status"]),
        ];
        let j = baseline.judge(&after, day("2026-01-01"));
        assert_eq!(j.known, 1);
        assert_eq!(j.changed.len(), 1);
        assert_eq!(j.new, ["c"]);
        assert!(!j.passes(false));
        let j = baseline.judge(
            &[result("a", 201, &[]), result("b", 200, &["status"])],
            day("2026-01-01"),
        );
        assert_eq!(j.fixed, ["a"]);
        assert!(j.passes(false));
        assert!(!j.passes(true));
    }

    fn day(text: &str) -> Date {
        parse_day(text).unwrap()
    }

    #[test]
    fn an_entry_hides_its_divergence_through_its_last_day_only() {
        let mut baseline = Baseline::record("moto", &[result("a", 200, &["status"])]);
        let entry = baseline.divergences.get_mut("a").unwrap();
        entry.reason = Some("moto answers 200".into());
        entry.expires = Some(day("2026-03-31"));
        let run = [result("a", 200, &["status"])];
        let on = |today| baseline.judge(&run, day(today));
        assert_eq!(on("2026-03-31").known, 1);
        assert!(on("2026-03-31").passes(true));
        let j = on("2026-04-01");
        assert_eq!((j.known, j.expired.len()), (0, 1));
        assert_eq!(j.expired[0].0, "a");
        assert_eq!(j.expired[0].1.reason.as_deref(), Some("moto answers 200"));
        assert!(!j.passes(false));
        // Fixed or diverging differently, it is reported as that, expired or not.
        let j = baseline.judge(&[result("a", 201, &[])], day("2027-01-01"));
        assert_eq!((j.fixed.len(), j.expired.len()), (1, 0));
        let j = baseline.judge(&[result("a", 500, &["status"])], day("2027-01-01"));
        assert_eq!((j.changed.len(), j.expired.len()), (1, 0));
    }

    #[test]
    fn cases_not_run_are_neither_recorded_nor_judged() {
        let mut not_run = result("a", 0, &["status"]);
        not_run.verdict = Verdict::NotRun;
        not_run.actual = None;
        assert!(Baseline::record("x", &[not_run.clone()])
            .divergences
            .is_empty());
        let baseline = Baseline::record("x", &[result("a", 200, &["status"])]);
        let j = baseline.judge(&[not_run.clone()], day("2026-01-01"));
        assert_eq!(j, Judgement::default());
        let j = Baseline::record("x", &[]).judge(&[not_run], day("2026-01-01"));
        assert!(j.new.is_empty());
    }

    #[test]
    fn re_recording_keeps_reasons_and_dates_by_case_id() {
        let mut old = Baseline::record(
            "x",
            &[result("a", 200, &["status"]), result("b", 200, &["status"])],
        );
        old.divergences.get_mut("a").unwrap().reason = Some("why".into());
        old.divergences.get_mut("b").unwrap().expires = Some(day("2030-01-31"));
        let mut new = Baseline::record(
            "x",
            &[result("a", 500, &["status"]), result("c", 200, &["status"])],
        );
        assert_eq!(new.keep_notes(&old), 1);
        assert_eq!(new.divergences["a"].reason.as_deref(), Some("why"));
        assert_eq!(new.divergences["a"].status, Some(500));
        assert_eq!(new.divergences["c"].reason, None);
    }

    #[test]
    fn days_are_read_strictly() {
        assert_eq!(day_text(day("2026-02-28")), "2026-02-28");
        for bad in [
            "2026-2-28",
            "2026-02-30",
            "26-02-28",
            "2026-13-01",
            "2026-02-28T00",
            "tomorrow",
            "",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_version_1_and_rejects_a_bad_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(
            &path,
            r#"{"version":1,"divergences":{"a":{"verdict":"mismatch","fields":["status"],"status":200,"error_type":null}}}"#,
        )
        .unwrap();
        let b = Baseline::read(&path).unwrap();
        assert_eq!(b.divergences["a"].reason, None);
        std::fs::write(
            &path,
            r#"{"version":2,"divergences":{"a":{"expires":"2026-02-30","verdict":"mismatch","status":200,"error_type":null}}}"#,
        )
        .unwrap();
        let e = Baseline::read(&path).unwrap_err().to_string();
        assert!(e.contains("not a day of the calendar"), "{e}");
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let mut b = Baseline::record("x", &[result("a", 200, &["status", "message"])]);
        let entry = b.divergences.get_mut("a").unwrap();
        entry.reason = Some("x answers 200".into());
        entry.expires = Some(day("2026-12-31"));
        b.write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(r#""expires": "2026-12-31""#), "{text}");
        assert_eq!(Baseline::read(&path).unwrap(), b);
        std::fs::write(&path, "{\"version\":9,\"divergences\":{}}").unwrap();
        assert!(Baseline::read(&path)
            .unwrap_err()
            .to_string()
            .contains("version 9"));
    }
}
