//! A progress bar on standard error while cases run, only when standard error is a terminal:
//! in CI logs and pipes a bar is noise (or escape codes), and the report lines say it all.

use addperm::outcome::{CaseResult, Verdict};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts finished cases; draws nothing unless standard error is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    failed: AtomicUsize,
}

impl Progress {
    /// A bar for `len` cases, labelled `prefix` (the target).
    pub fn new(len: usize, prefix: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(prefix.to_string());
            bar.set_message("0 not passed");
            bar
        });
        Progress {
            bar,
            failed: AtomicUsize::new(0),
        }
    }

    /// Called once per finished case, from any worker thread.
    pub fn case_done(&self, r: &CaseResult) {
        let Some(bar) = &self.bar else { return };
        if r.verdict != Verdict::Pass {
            let failed = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!("{failed} not passed"));
        }
        bar.inc(1);
    }
}

impl Drop for Progress {
    /// Clears the bar so the report starts on a clean screen.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Progress of `addperm fuzz`: a bar on a terminal, else a line every [`FuzzProgress::EVERY`]
/// (a fuzz run is long and a CI log should show it is alive).
pub struct FuzzProgress {
    bar: Option<ProgressBar>,
    last_line: std::time::Duration,
}

impl FuzzProgress {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(10);

    /// For a run of at most `max_requests` requests against `target`.
    pub fn new(max_requests: usize, target: &str) -> FuzzProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(max_requests as u64),
                ProgressDrawTarget::stderr(),
            );
            let style =
                ProgressStyle::with_template("{prefix} [{elapsed_precise}] {pos} requests {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_prefix(format!("fuzzing {target}"));
            bar
        });
        FuzzProgress {
            bar,
            last_line: std::time::Duration::ZERO,
        }
    }

    pub fn tick(&mut self, t: &addperm::fuzz::FuzzRun) {
        let status = format!(
            "{} findings in {} signatures, {:.0} requests/s",
            t.findings.total(),
            t.findings.entries().len(),
            t.requests_per_second()
        );
        match &self.bar {
            Some(bar) => {
                bar.set_position(t.requests as u64);
                bar.set_message(status);
            }
            None if t.elapsed >= self.last_line + Self::EVERY => {
                self.last_line = t.elapsed;
                eprintln!(
                    "fuzz: {} requests in {:.0} s, {status}",
                    t.requests,
                    t.elapsed.as_secs_f64()
                );
            }
            None => {}
        }
    }
}

impl Drop for FuzzProgress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
