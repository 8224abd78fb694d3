//! Known-divergence baselines: CI stays green while an emulator behaves as recorded, turns red
//! on any new divergence, and says when a known one has been fixed.
//!
//! A divergence is recorded by case id with the answer seen. It still counts as "known" when the
//! same case fails the same way: same verdict, same differing fields, same status and error type.
//! Messages are kept for people but not compared, since emulators put request ids in them.

use crate::outcome::{CaseResult, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A baseline file that cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} is not a valid baseline: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{path}: baseline version {version} is not supported (expected {BASELINE_VERSION})")]
    Version { path: String, version: u32 },
    #[error("cannot write baseline {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The file format version written in every baseline.
pub const BASELINE_VERSION: u32 = 1;

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

impl Divergence {
    /// The divergence a non-passing result shows; `None` for a pass.
    pub fn of(r: &CaseResult) -> Option<Divergence> {
        if r.verdict == Verdict::Pass {
            return None;
        }
        let mut fields: Vec<String> = r.differences.iter().map(|d| d.field.to_string()).collect();
        fields.sort();
        let actual = r.actual.as_ref();
        Some(Divergence {
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

    /// Whether `other` is the same divergence (everything but the free text).
    pub fn same_as(&self, other: &Divergence) -> bool {
        (self.verdict, &self.fields, self.status, &self.error_type)
            == (
                other.verdict,
                &other.fields,
                other.status,
                &other.error_type,
            )
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
    /// Cases that diverge exactly as recorded.
    pub known: usize,
}

impl Judgement {
    /// Whether the run is acceptable: nothing new or changed, and with `strict`, nothing fixed
    /// (a fixed divergence must be removed from the baseline).
    pub fn passes(&self, strict: bool) -> bool {
        self.new.is_empty() && self.changed.is_empty() && (!strict || self.fixed.is_empty())
    }
}

impl Baseline {
    /// Records every divergence of `results`.
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

    /// Judges `results` against the baseline. Baseline entries for cases that did not run
    /// (another shard, a tag filter) are not judged.
    pub fn judge(&self, results: &[CaseResult]) -> Judgement {
        let mut j = Judgement::default();
        for r in results {
            match (Divergence::of(r), self.divergences.get(&r.id)) {
                (None, None) => {}
                (None, Some(_)) => j.fixed.push(r.id.clone()),
                (Some(_), None) => j.new.push(r.id.clone()),
                (Some(now), Some(recorded)) if now.same_as(recorded) => j.known += 1,
                (Some(now), Some(recorded)) => {
                    j.changed.push((r.id.clone(), recorded.clone(), now))
                }
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
        if b.version != BASELINE_VERSION {
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
        CaseResult {
            id: id.into(),
            tags: vec![],
            verdict: if fields.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Mismatch
            },
            expected: Expect {
                status: 201,
                error_type: None,
                message_like: None,
                statement: None,
                policy: None,
            },
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
            detail: None,
            sent: None,
            shrunk: None,
            stored: None,
        }
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
        let j = baseline.judge(&after);
        assert_eq!(j.known, 1);
        assert_eq!(j.changed.len(), 1);
        assert_eq!(j.new, ["c"]);
        assert!(!j.passes(false));
        let j = baseline.judge(&[result("a", 201, &[]), result("b", 200, &["status"])]);
        assert_eq!(j.fixed, ["a"]);
        assert!(j.passes(false));
        assert!(!j.passes(true));
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let b = Baseline::record("x", &[result("a", 200, &["status", "message"])]);
        b.write(&path).unwrap();
        assert_eq!(Baseline::read(&path).unwrap(), b);
        std::fs::write(&path, "{\"version\":9,\"divergences\":{}}").unwrap();
        assert!(Baseline::read(&path)
            .unwrap_err()
            .to_string()
            .contains("version 9"));
    }
}
