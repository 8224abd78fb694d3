//! The run as a GitHub Actions job summary (markdown appended to `$GITHUB_STEP_SUMMARY`): its
//! notes (why it stopped early, expired baseline entries), the counts by verdict and the
//! biggest findings, read from the JSON report like the HTML page, so it names whatever
//! verdicts the report has.

use super::html::{bucket_count, bucket_label, buckets, notes, verdict_counts};
use serde_json::Value;
use std::fmt::Write;

/// Findings listed; the rest are counted in one line.
const TOP: usize = 10;

/// The summary of JSON report `json` under the heading `title` (`addperm check: URL`).
pub fn step_summary(json: &Value, title: &str) -> String {
    let mut out = format!("### {}\n\n", cell(title));
    for note in notes(json) {
        let _ = writeln!(out, "**{}**\n", cell(note));
    }
    out.push_str("| verdict | cases |\n|---|---:|\n");
    for (name, n) in verdict_counts(json) {
        let _ = writeln!(out, "| {} | {n} |", cell(&name));
    }
    let all = buckets(json);
    if !all.is_empty() {
        out.push_str("\n| finding | cases | e.g. |\n|---|---:|---|\n");
        for b in all.iter().take(TOP) {
            let example = b.get("example").and_then(Value::as_str).unwrap_or("");
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&bucket_label(b)),
                bucket_count(b),
                cell(example)
            );
        }
        if all.len() > TOP {
            let rest: u64 = all[TOP..].iter().map(bucket_count).sum();
            let _ = writeln!(out, "\n{} more findings ({rest} cases)", all.len() - TOP);
        }
    }
    out.push('\n');
    out
}

/// `s` safe inside a markdown table cell: one line, `|` escaped, HTML's specials as entities
/// (GitHub renders inline HTML in summaries, and ids and labels come from case files).
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_every_verdict_and_escapes_cells() {
        let j = json!({
            "summary": {"total": 2, "pass": 1, "mismatch": 0},
            "buckets": [{"member": "A|B", "constraint": "<x>", "count": 1, "example": "id\nnext"}],
            "cases": [{"verdict": "pass"}, {"verdict": "not-run"}],
            "notes": ["the target stopped | answering"],
        });
        let md = step_summary(&j, "addperm check: t");
        assert!(
            md.starts_with(
                "### addperm check: t\n\n**the target stopped \\| answering**\n\n| verdict"
            ),
            "{md}"
        );
        assert!(md.contains("| pass | 1 |"), "{md}");
        assert!(md.contains("| mismatch | 0 |"), "{md}");
        assert!(md.contains("| not-run | 1 |"), "{md}");
        assert!(md.contains("| A\\|B &lt;x&gt; | 1 | id next |"), "{md}");
    }
}
