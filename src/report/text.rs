//! The plain-text report.

use crate::runner::{CaseResult, Summary, Verdict};
use std::fmt::Write;

const WIDTH: usize = 44;

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The block for one case: nothing for a pass, otherwise the verdict, the differing fields
/// side by side (expected | actual) and the rule the reference named, if any.
pub fn case_block(r: &CaseResult) -> String {
    if r.verdict == Verdict::Pass {
        return String::new();
    }
    let mut out = String::new();
    let rule = r
        .actual
        .as_ref()
        .and_then(|a| a.rule.as_deref())
        .map(|rule| format!("  [rule {rule}]"))
        .unwrap_or_default();
    let _ = writeln!(out, "{} {}{rule}", r.verdict.as_str().to_uppercase(), r.id);
    if let Some(d) = &r.detail {
        let _ = writeln!(out, "  {d}");
    }
    if !r.differences.is_empty() {
        let _ = writeln!(out, "  {:<16}{:<WIDTH$}  actual", "", "expected");
        for d in &r.differences {
            let _ = writeln!(
                out,
                "  {:<16}{:<WIDTH$}  {}",
                d.field,
                clip(&d.expected, WIDTH),
                clip(&d.actual, 200)
            );
        }
    }
    if let Some(a) = &r.actual {
        if let Some(p) = &a.body_problem {
            let _ = writeln!(out, "  body: {p}: {}", clip(&a.body_excerpt, 120));
        } else if !r.differences.iter().any(|d| d.field == "message") {
            if let Some(m) = &a.message {
                let _ = writeln!(out, "  message: {}", clip(m, 200));
            }
        }
    }
    if let Some(s) = &r.sent {
        let q = s
            .qualifier
            .as_deref()
            .map(|q| format!(" ?Qualifier={q}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  request: {}{q} {}", s.function_name, clip(&s.body, 160));
    }
    out
}

/// The verdict counts and the closing `N passed, M failed` line.
pub fn summary_block(s: &Summary) -> String {
    let mut out = String::new();
    if s.setup_failure + s.target_error > 0 {
        let _ = writeln!(
            out,
            "{} mismatch, {} setup-failure, {} target-error",
            s.mismatch, s.setup_failure, s.target_error
        );
    }
    let _ = writeln!(out, "{}", s.line());
    out
}
