//! The HTML report (`--report-html`): one self-contained page a person opens from a CI artifact
//! or a `file://` path, offline. At the top the run (its facts, command line, time, counts by
//! verdict) and bar charts of the findings; then every case that did not pass, both answers side
//! by side with the differing fields marked, its curl line with a copy button, where a shrunk
//! case came from and its baseline status; the passing cases folded away at the end. Filters by
//! verdict, finding and free text are a small inline script that also reads them from the URL
//! fragment (`#verdict=mismatch&bucket=2&q=Principal`), so a filtered view can be linked.
//!
//! The page is rendered from the JSON report (`json_report`, `pair_json_report`, a merged
//! report) without a schema ([`data`]): verdicts, difference fields and finding columns are
//! read from the data, so one added later appears with no change here.
//!
//! Every value is untrusted (case ids, messages and bodies come from case files and targets):
//! the page is built with maud, which escapes every interpolated value, no data is placed
//! inside the `<script>` or `<style>` elements, and a Content-Security-Policy lets only the
//! page's own script and style run and forbids every network request.

mod data;

pub(crate) use data::{
    bucket_count, bucket_label, bucket_of, buckets, cases, difference_fields, notes, verdict,
    verdict_counts,
};

use crate::report::text::clip as clip_text;
use base64::Engine;
use data::{text, NONE};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Characters of a value shown before it is clipped; the rest is a click away, up to
/// [`FULL`] characters. Bounds the page of a run with thousands of failures (a 256-character
/// function name appears in the request, the message, the ARN and the curl line).
const CLIP: usize = 240;
/// Longer values (a fuzzer's megabyte body) are cut here, saying how much was left out: the
/// JSON report keeps them whole.
const FULL: usize = 4096;
/// A curl line longer than this is shown clipped and without its copy button, since a cut
/// command would run the wrong request.
const CURL_MAX: usize = 16 * 1024;
/// Bars per chart; the rest are counted under the chart.
const BARS: usize = 8;
/// Cases of one finding shown with both whole answers; the finding's later cases show their
/// differences and curl line only. A fault fails hundreds of cases the same way: their first
/// cases say how, and the page of a 2,000-case run stays small enough to open at once.
const ANSWERS_PER_FINDING: usize = 20;
/// Cases open when the page opens: the first few show what a case looks like.
const OPEN: usize = 3;

/// What the page says about the run besides the JSON report's own facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlRunInfo {
    /// The command line of the run, so a reader can run it again.
    pub command: String,
    /// When the run started, as people read it (`2026-12-02 16:19:30 UTC`).
    pub time: String,
    /// The `--seed` of a generated run.
    pub seed: Option<u64>,
    /// Verdict names of the cases that passed: listed folded away at the end; every other
    /// verdict is a case to look at, but those in `not_run`.
    pub passing: Vec<String>,
    /// Verdict names of cases that were never sent (a run that stopped when its target did):
    /// listed folded away like the passing ones, since they have nothing to show; the notes at
    /// the top say why they were not run.
    pub not_run: Vec<String>,
    /// Case id (as run: a shrunk case is looked up under the id it was shrunk from too) -> its
    /// status against the baseline the run was judged by. Empty without a baseline.
    pub baseline: BTreeMap<String, String>,
}

/// The page for JSON report `json` (see the module doc), as a complete HTML document.
pub fn html_report(json: &Value, info: &HtmlRunInfo) -> String {
    Page::new(json, info).render().into_string()
}

/// The report's verdicts, each with its count and colour class.
struct Verdicts {
    list: Vec<(String, u64, String)>,
}

impl Verdicts {
    fn new(json: &Value, info: &HtmlRunInfo) -> Verdicts {
        let mut failing = 0;
        let list = verdict_counts(json)
            .into_iter()
            .map(|(name, n)| {
                let class = if info.passing.contains(&name) {
                    "vp".to_string()
                } else {
                    failing += 1;
                    // Six colours, in the report's order of verdicts.
                    format!("v{}", (failing - 1) % 6)
                };
                (name, n, class)
            })
            .collect();
        Verdicts { list }
    }

    fn class(&self, verdict: &str) -> &str {
        self.list
            .iter()
            .find(|(name, ..)| name == verdict)
            .map_or("v0", |(.., c)| c.as_str())
    }
}

struct Page<'a> {
    json: &'a Value,
    info: &'a HtmlRunInfo,
    verdicts: Verdicts,
    buckets: &'a [Value],
}

impl<'a> Page<'a> {
    fn new(json: &'a Value, info: &'a HtmlRunInfo) -> Page<'a> {
        Page {
            json,
            info,
            verdicts: Verdicts::new(json, info),
            buckets: buckets(json),
        }
    }

    fn passes(&self, case: &Value) -> bool {
        self.info.passing.iter().any(|p| p == verdict(case))
    }

    fn ran(&self, case: &Value) -> bool {
        !self.info.not_run.iter().any(|p| p == verdict(case))
    }

    fn title(&self) -> String {
        let facts = data::facts(self.json);
        let fact = |k: &str| facts.iter().find(|(key, _)| *key == k).map(|(_, v)| v);
        match (fact("target"), fact("a"), fact("b")) {
            (Some(t), ..) => format!("addperm report: {t}"),
            (None, Some(a), Some(b)) => format!("addperm report: {a} vs {b}"),
            _ => "addperm report".to_string(),
        }
    }

    fn render(&self) -> Markup {
        let all = cases(self.json);
        let (ran, not_run): (Vec<&Value>, Vec<&Value>) = all.iter().partition(|c| self.ran(c));
        let (passing, failing): (Vec<&Value>, Vec<&Value>) =
            ran.into_iter().partition(|c| self.passes(c));
        let title = self.title();
        // Cases shown with their answers, by finding.
        let mut shown: Vec<usize> = vec![0; self.buckets.len()];
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta http-equiv="Content-Security-Policy" content=(csp());
                    title { (title) }
                    style { (PreEscaped(STYLE)) }
                }
                body {
                    header {
                        h1 { (title) }
                        (self.run_facts(all.len()))
                        @for note in data::notes(self.json) {
                            p.note { (note) }
                        }
                    }
                    (self.charts(&failing))
                    (self.findings())
                    (self.filters())
                    section #cases {
                        h2 { "Cases that did not pass (" (failing.len()) ")" }
                        @if failing.is_empty() {
                            p.none { "Every case passed (" (self.info.passing.join(", ")) ")." }
                        }
                        @for (n, c) in failing.iter().enumerate() {
                            (self.case(n, c, &mut shown))
                        }
                    }
                    (folded("not-run", "Cases not run", &not_run))
                    (folded("passing", "Passing cases", &passing))
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        }
    }

    fn run_facts(&self, total: usize) -> Markup {
        let info = self.info;
        html! {
            dl.run {
                @for (k, v) in data::facts(self.json) {
                    dt { (k) } dd { (v) }
                }
                @if let Some(seed) = info.seed {
                    dt { "seed" } dd { (seed) }
                }
                @if !info.time.is_empty() {
                    dt { "time" } dd { (info.time) }
                }
                @if !info.command.is_empty() {
                    dt { "command" } dd { code { (info.command) } }
                }
            }
            p.counts {
                strong { (total) " cases:" }
                @for (name, n, class) in &self.verdicts.list {
                    " " span class={ "badge " (class) } { (name) " " (n) }
                }
            }
        }
    }

    /// Bar charts of the failures: by each column of the findings (member, rule or constraint,
    /// expected, actual: whatever the findings carry), by differing field, and the biggest
    /// findings themselves.
    fn charts(&self, failing: &[&Value]) -> Markup {
        if failing.is_empty() {
            return html! {};
        }
        let mut columns: Vec<&str> = Vec::new();
        for b in self.buckets {
            for (k, v) in b.as_object().into_iter().flatten() {
                if k != "example" && v.is_string() && !columns.contains(&k.as_str()) {
                    columns.push(k);
                }
            }
        }
        let by_column = columns.iter().map(|col| {
            let mut counts: Vec<(String, u64)> = Vec::new();
            for b in self.buckets {
                let label = b.get(*col).map_or_else(|| NONE.to_string(), text);
                add(&mut counts, label, bucket_count(b));
            }
            (format!("by {col}"), counts)
        });
        let mut fields: Vec<(String, u64)> = Vec::new();
        for c in failing {
            let mut seen = HashSet::new();
            for f in difference_fields(c) {
                if seen.insert(f) {
                    add(&mut fields, f.to_string(), 1);
                }
            }
        }
        let top: Vec<(String, u64)> = self
            .buckets
            .iter()
            .map(|b| (bucket_label(b), bucket_count(b)))
            .collect();
        let mut charts: Vec<(String, Vec<(String, u64)>)> = by_column.collect();
        charts.push(("by differing field".to_string(), fields));
        charts.push(("biggest findings".to_string(), top));
        html! {
            section.charts {
                h2 { "Failures" }
                div.grid {
                    @for (title, counts) in charts {
                        @if !counts.is_empty() {
                            (chart(&title, counts))
                        }
                    }
                }
            }
        }
    }

    fn findings(&self) -> Markup {
        if self.buckets.is_empty() {
            return html! {};
        }
        let mut columns: Vec<&str> = Vec::new();
        for b in self.buckets {
            for k in b.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
                if !columns.contains(&k) {
                    columns.push(k);
                }
            }
        }
        html! {
            section.findings {
                h2 { "Findings (" (self.buckets.len()) ")" }
                div.scroll { table {
                    thead { tr { th { "#" } @for c in &columns { th { (c) } } } }
                    tbody {
                        @for (n, b) in self.buckets.iter().enumerate() {
                            tr {
                                td { a href={ "#bucket=" (n) } title="show only these cases" { (n) } }
                                @for c in &columns {
                                    td { (b.get(*c).map_or_else(String::new, text)) }
                                }
                            }
                        }
                    }
                } }
            }
        }
    }

    fn filters(&self) -> Markup {
        html! {
            section.filters #filters {
                h2 { "Filter" }
                div.verdicts {
                    @for (name, n, class) in &self.verdicts.list {
                        label class={ "badge " (class) } {
                            input type="checkbox" name="verdict" value=(name) checked;
                            " " (name) " " (n)
                        }
                    }
                }
                label {
                    "finding "
                    select #f-bucket {
                        option value="" { "all" }
                        @for (n, b) in self.buckets.iter().enumerate() {
                            option value=(n) { "#" (n) " " (clip_text(&bucket_label(b), 90)) " (" (bucket_count(b)) ")" }
                        }
                    }
                }
                label {
                    "text "
                    input #f-q type="search" placeholder="id, message, body…";
                }
                " " span #f-shown {}
            }
        }
    }

    /// One case that did not pass: a summary line (verdict, id, finding, differing fields)
    /// that opens to the rest. `shown` counts, by finding, the cases shown with their answers.
    fn case(&self, n: usize, c: &Value, shown: &mut [usize]) -> Markup {
        let v = verdict(c);
        let bucket = bucket_of(c, self.buckets);
        let with_answers = match bucket.and_then(|b| shown.get_mut(b)) {
            Some(count) => {
                *count += 1;
                *count <= ANSWERS_PER_FINDING
            }
            None => true,
        };
        let fields = difference_fields(c);
        let differs = |key: &str| fields.iter().any(|f| names(key, f));
        let sides = self.sides(c);
        let keys = if with_answers {
            answer_keys(&sides)
        } else {
            Vec::new()
        };
        // A pair's two results each have a detail and a curl line: say whose.
        let labelled = sides.iter().filter(|s| s.case.is_some()).count() > 1;
        html! {
            details.case id={ "c" (n) } data-verdict=(v) data-bucket=[bucket] open[n < OPEN] {
                summary {
                    span class={ "badge " (self.verdicts.class(v)) } { (v) }
                    " " code.id { (data::id(c)) }
                    @if let Some(b) = bucket { " " span.bucket { "#" (b) } }
                    @for f in &fields { " " span.field { (f) } }
                }
                dl.meta {
                    @if let Some(tags) = c.get("tags").and_then(Value::as_array).filter(|t| !t.is_empty()) {
                        dt { "tags" } dd { (tags.iter().map(text).collect::<Vec<_>>().join(" ")) }
                    }
                    (shrunk(c.get("shrunk")))
                    @if let Some(status) = self.baseline_status(c) {
                        dt { "baseline" } dd { (status) }
                    }
                    @for s in &sides {
                        @if let Some(d) = s.case.and_then(|c| c.get("detail")).filter(|d| !d.is_null()) {
                            dt { "detail" @if labelled { " (" (s.label) ")" } }
                            dd { (clipped(&text(d))) }
                        }
                    }
                }
                @if with_answers {
                    (answers(&sides, &keys, &differs))
                } @else if let Some(b) = bucket {
                    p.folded { "Answers folded: finding #" (b) " shows them for its first " (ANSWERS_PER_FINDING) " cases (the JSON report has every one)." }
                }
                (difference_table(c, &sides, &keys))
                @for s in &sides {
                    @if let Some(curl) = s.case.and_then(|c| c.get("curl")).and_then(Value::as_str) {
                        (curl_line(labelled.then_some(s.label.as_str()), curl))
                    }
                }
            }
        }
    }

    fn baseline_status(&self, c: &Value) -> Option<&str> {
        let b = &self.info.baseline;
        let from = c
            .get("shrunk")
            .and_then(|s| s.get("from"))
            .and_then(Value::as_str);
        b.get(data::id(c))
            .or_else(|| from.and_then(|f| b.get(f)))
            .map(String::as_str)
    }

    /// The two answers compared: a `check` case's expectation and answer, or a `diff` pair's
    /// answers from A and B.
    fn sides<'c>(&self, c: &'c Value) -> Vec<Side<'c>> {
        if data::is_pair(c) {
            ["a", "b"]
                .iter()
                .map(|k| Side {
                    label: format!(
                        "{k}: {}",
                        self.json.get(*k).map_or_else(|| NONE.to_string(), text)
                    ),
                    answer: c[*k].get("actual"),
                    case: Some(&c[*k]),
                })
                .collect()
        } else {
            vec![
                Side {
                    label: "expected".into(),
                    answer: c.get("expected"),
                    case: None,
                },
                Side {
                    label: "actual".into(),
                    answer: c.get("actual"),
                    case: Some(c),
                },
            ]
        }
    }
}

/// Cases with nothing to show (passing, not run), listed by id in one folded section: `id` is
/// the section's, `title` its heading.
fn folded(id: &str, title: &str, list: &[&Value]) -> Markup {
    if list.is_empty() {
        return html! {};
    }
    html! {
        section.folded id=(id) {
            details {
                summary { h2 { (title) " (" (list.len()) ")" } }
                ul.ids {
                    @for c in list {
                        li data-verdict=(verdict(c)) { (data::id(c)) }
                    }
                }
            }
        }
    }
}

/// One side of a comparison: its column label, the answer (an object; null or absent when
/// there was none) and the result it belongs to (where its curl line and detail are).
struct Side<'c> {
    label: String,
    answer: Option<&'c Value>,
    case: Option<&'c Value>,
}

fn add(counts: &mut Vec<(String, u64)>, label: String, n: u64) {
    match counts.iter_mut().find(|(l, _)| *l == label) {
        Some((_, c)) => *c += n,
        None => counts.push((label, n)),
    }
}

/// A horizontal bar chart (inline SVG) of the biggest counts, the rest summed up below it.
fn chart(title: &str, mut counts: Vec<(String, u64)>) -> Markup {
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let max = counts.first().map_or(1, |(_, n)| (*n).max(1));
    let rest: Vec<&(String, u64)> = counts.iter().skip(BARS).collect();
    let shown = &counts[..counts.len().min(BARS)];
    let (w, row, label_w) = (420u64, 20u64, 230u64);
    let h = row * shown.len() as u64;
    html! {
        figure.chart {
            figcaption { (title) }
            svg viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img" {
                @for (i, (label, n)) in shown.iter().enumerate() {
                    @let y = i as u64 * row;
                    @let bar = (w - label_w - 40) * n / max;
                    g {
                        title { (label) ": " (n) }
                        text x="0" y=(y + 14) { (clip_text(label, 32)) }
                        rect x=(label_w) y=(y + 3) width=(bar.max(1)) height=(row - 6) {}
                        text.n x=(label_w + bar + 4) y=(y + 14) { (n) }
                    }
                }
            }
            @if !rest.is_empty() {
                p.rest { "and " (rest.len()) " more (" (rest.iter().map(|(_, n)| n).sum::<u64>()) ")" }
            }
        }
    }
}

/// `shrunk` of a case: where it came from, then its other members as they are.
fn shrunk(s: Option<&Value>) -> Markup {
    let Some(obj) = s.and_then(Value::as_object) else {
        return html! {};
    };
    let from = obj.get("from").map(text);
    let rest: Vec<String> = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "from")
        .map(|(k, v)| format!("{k} {}", text(v)))
        .collect();
    html! {
        dt { "shrunk" }
        dd {
            @if let Some(from) = from { "from " code { (from) } " " }
            "(" (rest.join(", ")) ")"
        }
    }
}

/// Whether answer member `key` is what difference `field` is about: the same name (`-` and
/// `_` alike), or a name that starts with it (`message_like`, `statement_raw`).
fn names(key: &str, field: &str) -> bool {
    let norm = |s: &str| s.replace('-', "_");
    let (k, f) = (norm(key), norm(field));
    k == f || k.strip_prefix(&f).is_some_and(|rest| rest.starts_with('_'))
}

/// The members either side's answer has (not null), in order: the rows of [`answers`].
fn answer_keys<'c>(sides: &[Side<'c>]) -> Vec<&'c str> {
    let mut keys: Vec<&str> = Vec::new();
    for s in sides {
        for (k, v) in s.answer.and_then(Value::as_object).into_iter().flatten() {
            if !v.is_null() && !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    keys
}

/// One row of [`answers`]: a member, whether a difference names it, and its cells.
struct Row<'k> {
    key: &'k str,
    differs: bool,
    cells: Cells<'k>,
}

enum Cells<'k> {
    /// Both sides have the same value: shown once across both columns.
    Same(String),
    /// One cell per side.
    Each(Vec<Cell<'k>>),
}

enum Cell<'k> {
    Value(String),
    /// The value this side already showed under member `.0`.
    SameAs(&'k str),
    Absent,
}

/// Both answers side by side, one row per member either has (members both lack are left
/// out); a member named by a difference is marked. A value both sides share spans both
/// columns, and one a side already showed under another member says so instead of repeating
/// it (the statement and its raw text): that keeps the page of a big run small.
fn answers(sides: &[Side], keys: &[&str], differs: &dyn Fn(&str) -> bool) -> Markup {
    let objects: Vec<Option<&serde_json::Map<String, Value>>> = sides
        .iter()
        .map(|s| s.answer.and_then(Value::as_object))
        .collect();
    let mut shown: Vec<Vec<(String, &str)>> = vec![Vec::new(); sides.len()];
    let mut rows = Vec::new();
    for &key in keys {
        let values: Vec<Option<&Value>> = objects
            .iter()
            .map(|o| o.and_then(|o| o.get(key)).filter(|v| !v.is_null()))
            .collect();
        let cells = match values.as_slice() {
            [Some(a), Some(b)] if a == b => Cells::Same(text(a)),
            _ => Cells::Each(
                values
                    .iter()
                    .zip(&mut shown)
                    .map(|(v, seen)| {
                        let Some(v) = v else {
                            return Cell::Absent;
                        };
                        let t = text(v);
                        if let Some((_, earlier)) = seen.iter().find(|(s, _)| *s == t) {
                            return Cell::SameAs(earlier);
                        }
                        seen.push((t.clone(), key));
                        Cell::Value(t)
                    })
                    .collect(),
            ),
        };
        rows.push(Row {
            key,
            differs: differs(key),
            cells,
        });
    }
    html! {
        table.answers {
            thead { tr { th {} @for s in sides { th { (s.label) } } } }
            tbody {
                @for r in &rows {
                    tr class=[r.differs.then_some("diff")] {
                        th { (r.key) }
                        @match &r.cells {
                            Cells::Same(t) => td.same colspan=(sides.len()) { (clipped(t)) },
                            Cells::Each(cells) => @for cell in cells {
                                @match cell {
                                    Cell::Value(t) => td { (clipped(t)) },
                                    Cell::SameAs(k) => td.dup { "= " (k) },
                                    Cell::Absent => td.absent { (NONE) },
                                }
                            },
                        }
                    }
                }
                @if objects.iter().any(Option::is_none) {
                    tr {
                        th {}
                        @for o in &objects {
                            td.none { @if o.is_none() { "no answer" } }
                        }
                    }
                }
            }
        }
    }
}

/// The differences the comparison found, as it words them (the expected message as its
/// regex, the statement as its text), but those about a member of the answers shown (`keys`),
/// which are marked there.
fn difference_table(c: &Value, sides: &[Side], keys: &[&str]) -> Markup {
    let diffs: Vec<&Value> = data::differences(c)
        .iter()
        .filter(|d| {
            let field = d.get("field").and_then(Value::as_str).unwrap_or(NONE);
            !keys.iter().any(|k| names(k, field))
        })
        .collect();
    if diffs.is_empty() {
        return html! {};
    }
    let mut columns: Vec<&str> = Vec::new();
    for d in &diffs {
        for k in d.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
            if k != "field" && !columns.contains(&k) {
                columns.push(k);
            }
        }
    }
    // `expected` and `actual` are the two sides' values; any other column keeps its name.
    let heading = |col: &str| {
        let side = match col {
            "expected" => sides.first(),
            "actual" => sides.get(1),
            _ => None,
        };
        side.map_or_else(|| col.to_string(), |s| s.label.clone())
    };
    html! {
        table.differences {
            thead { tr { th { "differs" } @for col in &columns { th { (heading(col)) } } } }
            tbody {
                @for d in &diffs {
                    tr.diff {
                        th { (d.get("field").map_or_else(String::new, text)) }
                        @for col in &columns { td { (clipped(&d.get(*col).map_or_else(String::new, text))) } }
                    }
                }
            }
        }
    }
}

/// A curl line with its copy button; `label` says whose, in a pair.
fn curl_line(label: Option<&str>, curl: &str) -> Markup {
    let whole = curl.chars().count() <= CURL_MAX;
    html! {
        div.curl {
            @if whole { button.copy type="button" title="copy the curl command" { "copy" } }
            span.label { "curl" @if let Some(l) = label { " (" (l) ")" } }
            @if whole {
                pre { code { (curl) } }
            } @else {
                pre { code { (clip_text(curl, CLIP)) } }
                p.cut { "The curl line is " (curl.len()) " bytes, too long for the page: the JSON report (--report-json) has it." }
            }
        }
    }
}

/// A value for a table cell: whole when short; else its first [`CLIP`] characters with the
/// rest behind a click (up to [`FULL`], beyond which it says how much is left out).
fn clipped(s: &str) -> Markup {
    let n = s.chars().count();
    if n <= CLIP {
        return html! { (s) };
    }
    let (head, tail) = s.split_at(s.char_indices().nth(CLIP).map_or(s.len(), |(i, _)| i));
    let more: String = tail.chars().take(FULL - CLIP).collect();
    let left_out = n.saturating_sub(FULL);
    html! {
        (head)
        details.more {
            summary { "… " (n - CLIP) " more characters" }
            (more)
            @if left_out > 0 { span.cut { " … " (left_out) " characters left out (the JSON report has them)" } }
        }
    }
}

/// The page's Content-Security-Policy: only its own script and style (by hash), images only
/// inline, no request of any kind.
fn csp() -> String {
    let hash = |s: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
        hash(SCRIPT),
        hash(STYLE)
    )
}

#[cfg(test)]
mod tests;
