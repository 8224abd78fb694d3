//! What `check`, `replay`, `diff` and `report --merge` share for people reading a run outside
//! the terminal: `--report-html FILE` (the page made by `report::html_report`) and, when
//! `GITHUB_STEP_SUMMARY` names a file (GitHub Actions), the markdown summary appended to it.
//! Both files are opened before the run, like every report path: a typo must not cost a run.

use addperm::outcome::{CaseResult, Verdict};
use addperm::report::{self, quote, HtmlRunInfo};
use addperm::runner::Judgement;
use anyhow::Context;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

/// The variable GitHub Actions sets to the file a step appends its markdown summary to.
const STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";

#[derive(Debug, Clone, clap::Args)]
pub struct HtmlArgs {
    /// Also write the report as one self-contained HTML page to FILE (no network: it opens
    /// offline from a CI artifact; see REPORTS.md).
    #[arg(long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
}

/// The page to write, its file already open, and what it says about the run.
pub struct HtmlOut {
    path: PathBuf,
    file: File,
    command: String,
    time: String,
}

impl HtmlArgs {
    /// Opens FILE (when asked for), noting the command line and the time the run starts.
    pub fn open(&self) -> anyhow::Result<Option<HtmlOut>> {
        let Some(path) = &self.report_html else {
            return Ok(None);
        };
        let file =
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Some(HtmlOut {
            path: path.clone(),
            file,
            command: command_line(),
            time: now(),
        }))
    }
}

impl HtmlOut {
    /// Writes the page of JSON report `json`. `passing` names the verdicts that passed;
    /// `seed` is a generated run's; `baseline` maps case ids to their baseline status.
    pub fn write(
        mut self,
        json: &Value,
        passing: &str,
        seed: Option<u64>,
        baseline: BTreeMap<String, String>,
    ) -> anyhow::Result<()> {
        let info = HtmlRunInfo {
            command: self.command,
            time: self.time,
            seed,
            passing: vec![passing.to_string()],
            not_run: vec![Verdict::NotRun.as_str().to_string()],
            baseline,
        };
        self.file
            .write_all(report::html_report(json, &info).as_bytes())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// `$GITHUB_STEP_SUMMARY`, open for appending, when the variable is set.
pub struct StepSummary {
    path: PathBuf,
    file: File,
}

impl StepSummary {
    pub fn open() -> anyhow::Result<Option<StepSummary>> {
        let Some(path) = std::env::var_os(STEP_SUMMARY).filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        let path = PathBuf::from(path);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot write {STEP_SUMMARY} {}", path.display()))?;
        Ok(Some(StepSummary { path, file }))
    }

    /// Appends the summary of JSON report `json` under the heading `title`.
    pub fn append(mut self, json: &Value, title: &str) -> anyhow::Result<()> {
        self.file
            .write_all(report::step_summary(json, title).as_bytes())
            .with_context(|| format!("cannot write {STEP_SUMMARY} {}", self.path.display()))
    }
}

/// Each case's status against the baseline the run was judged by, for the page: `new`,
/// `changed` (with what was recorded), `fixed`, `expired` (with the entry's reason and last
/// day), or `known` for the rest that failed.
pub fn baseline_statuses(j: &Judgement, results: &[CaseResult]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for id in &j.new {
        out.insert(id.clone(), "new: not in the baseline".to_string());
    }
    for (id, was, _) in &j.changed {
        let was = report::divergence_line(was);
        out.insert(id.clone(), format!("changed: recorded as {was}"));
    }
    for id in &j.fixed {
        out.insert(
            id.clone(),
            "fixed: passes now (remove it from the baseline)".into(),
        );
    }
    for (id, entry) in &j.expired {
        let line = report::expired_line(entry);
        out.insert(id.clone(), format!("expired: {line}; no longer hidden"));
    }
    for r in results {
        if r.verdict.failed() && !out.contains_key(&r.id) {
            out.insert(
                r.id.clone(),
                "known: diverges as the baseline records".into(),
            );
        }
    }
    out
}

/// The command line as a POSIX shell reads it back: words with other characters than these
/// single-quoted.
fn command_line() -> String {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    };
    std::env::args_os()
        .map(|a| {
            let a = a.to_string_lossy();
            if plain(&a) {
                a.into_owned()
            } else {
                quote(&a)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Now in UTC, as people read it: `2026-12-02 16:19:30 UTC`.
fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
