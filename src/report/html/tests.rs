use super::*;
use serde_json::json;

const HOSTILE: &str =
    "</script><script>document.title='pwned'</script><img src=x onerror=alert(1)>";

fn info() -> HtmlRunInfo {
    HtmlRunInfo {
        command: "addperm check --target http://127.0.0.1:1 --cases c.jsonl".into(),
        time: "2026-12-02 16:19:30 UTC".into(),
        seed: Some(7),
        passing: vec!["pass".into()],
        not_run: vec!["not-run".into()],
        baseline: BTreeMap::new(),
    }
}

fn case(id: &str, verdict: &str, differences: Value) -> Value {
    json!({
        "id": id, "tags": ["invalid", "StatementId", "pattern"], "verdict": verdict,
        "expected": {"status": 400, "error_type": "ValidationException", "message_like": "^x$"},
        "actual": {"status": 201, "error_type": null, "message": null,
                   "statement": {"Sid": "s"}, "statement_raw": "{\"Sid\":\"s\"}",
                   "content_type": "application/json", "rule": "created",
                   "body_problem": null, "body_excerpt": "{}"},
        "differences": differences, "detail": null,
        "request": {"function_name": "f", "qualifier": null, "body": "{}"},
        "curl": "curl -sS -X POST 'http://127.0.0.1:PORT/2015-03-31/functions/f/policy'",
        "shrunk": null,
    })
}

fn report(cases: Vec<Value>) -> Value {
    json!({
        "target": "http://127.0.0.1:1", "compare": "message",
        "summary": {"total": cases.len(), "pass": 0, "mismatch": 0, "setup-failure": 0, "target-error": 0},
        "buckets": [{"member": "StatementId", "constraint": "pattern",
                     "expected": "400 ValidationException", "actual": "201", "count": 1, "example": "a"}],
        "cases": cases,
    })
}

fn status_difference() -> Value {
    json!([{"field": "status", "expected": "400", "actual": "201"}])
}

/// The text of every `<script>` element of `page`.
fn scripts(page: &str) -> Vec<&str> {
    page.split("<script")
        .skip(1)
        .map(|s| &s[..s.find("</script>").unwrap_or(s.len())])
        .collect()
}

#[test]
fn attacker_controlled_values_show_as_text() {
    let mut hostile = case(HOSTILE, "mismatch", status_difference());
    hostile["actual"]["message"] = json!(HOSTILE);
    hostile["curl"] = json!(format!("curl --data-binary '{HOSTILE}'"));
    hostile["tags"] = json!([HOSTILE]);
    let mut j = report(vec![hostile]);
    j["target"] = json!(HOSTILE);
    j["buckets"][0]["member"] = json!(HOSTILE);
    let mut i = info();
    i.command = HOSTILE.into();
    i.baseline.insert(HOSTILE.into(), HOSTILE.into());
    let page = html_report(&j, &i);
    // One script element, the page's own, holding no data.
    assert_eq!(scripts(&page), [format!(">{SCRIPT}").as_str()]);
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("onerror=alert(1)>"));
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;document.title="));
    // In attributes too (the verdict filter, the case's data attributes).
    let mut weird = case("x", HOSTILE, status_difference());
    weird["verdict"] = json!("\" onmouseover=\"alert(1)");
    let page = html_report(&report(vec![weird]), &info());
    assert!(!page.contains("\" onmouseover=\"alert(1)\""));
    assert!(page.contains("&quot; onmouseover=&quot;alert(1)"));
}

#[test]
fn the_page_loads_nothing_from_anywhere() {
    let page = html_report(
        &report(vec![case("a", "mismatch", status_difference())]),
        &info(),
    );
    assert!(page.contains("default-src 'none'"));
    for reference in [
        " src=",
        "href=\"http",
        "href='http",
        "url(",
        "@import",
        "<link",
        "<iframe",
    ] {
        assert!(!page.contains(reference), "{reference} in the page");
    }
    // The policy admits exactly the page's own script and style.
    let digest = |s: &str| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
    assert!(page.contains(&format!("script-src 'sha256-{}'", digest(SCRIPT))));
    assert!(page.contains(&format!("style-src 'sha256-{}'", digest(STYLE))));
    // Neither ends its element early, and the page sets no inline style attribute (the
    // policy would refuse it).
    assert!(!SCRIPT.contains("</") && !STYLE.contains("</"));
    assert!(!page.contains(" style="));
}

#[test]
fn every_verdict_in_the_data_is_shown_and_filterable() {
    let cases = vec![
        case("p", "pass", json!([])),
        case("m", "mismatch", status_difference()),
        case("n", "verdict-from-the-future", json!([])),
    ];
    let page = html_report(&report(cases), &info());
    for v in [
        "pass",
        "mismatch",
        "setup-failure",
        "target-error",
        "verdict-from-the-future",
    ] {
        assert!(
            page.contains(&format!("name=\"verdict\" value=\"{v}\"")),
            "no filter for {v}"
        );
    }
    assert!(page.contains("data-verdict=\"verdict-from-the-future\""));
    // Failing cases are blocks; the passing one is listed at the end.
    assert!(page.contains("<code class=\"id\">n</code>"));
    assert!(page.contains("<li data-verdict=\"pass\">p</li>"));
    assert!(!page.contains("<code class=\"id\">p</code>"));
}

#[test]
fn unknown_difference_fields_and_finding_columns_render() {
    let d = json!([{"field": "quantum-flux", "expected": "up", "actual": "down", "confidence": "high"}]);
    let mut j = report(vec![case("q", "mismatch", d)]);
    j["buckets"][0]["severity"] = json!("grave");
    let page = html_report(&j, &info());
    assert!(page.contains("<span class=\"field\">quantum-flux</span>"));
    assert!(page.contains("<th>quantum-flux</th>"));
    assert!(page.contains("<th>confidence</th>") && page.contains("<td>high</td>"));
    assert!(page.contains("<th>severity</th>") && page.contains("by severity"));
    assert!(page.contains("by differing field"));
}

#[test]
fn differing_members_are_marked_and_shared_values_shown_once() {
    let page = html_report(
        &report(vec![case("m", "mismatch", status_difference())]),
        &info(),
    );
    assert!(page.contains("<tr class=\"diff\"><th>status</th><td>400</td><td>201</td></tr>"));
    // Not a difference: not marked.
    assert!(page.contains("<tr><th>content_type</th>"));
    // The raw statement repeats the statement: said so, not repeated.
    assert!(page.contains("<td class=\"dup\">= statement</td>"));
    // The status is marked in the answers, so the differences table has nothing more.
    assert!(!page.contains("class=\"differences\""));
}

#[test]
fn long_values_are_clipped_and_huge_ones_cut() {
    let mut c = case("big", "mismatch", status_difference());
    c["actual"]["message"] = json!("m".repeat(CLIP + 10));
    c["actual"]["body_excerpt"] = json!("b".repeat(FULL + 1000));
    c["curl"] = json!(format!("curl {}", "c".repeat(CURL_MAX)));
    let page = html_report(&report(vec![c]), &info());
    assert!(page.contains("… 10 more characters"));
    assert!(page.contains("1000 characters left out"));
    assert!(!page.contains(&"b".repeat(FULL)));
    assert!(page.contains("too long for the page"));
    assert!(!page.contains(&"c".repeat(CURL_MAX)));
}

#[test]
fn shrunk_cases_say_where_they_came_from_and_their_baseline_status() {
    let mut c = case("gen-1-shrunk", "mismatch", status_difference());
    c["shrunk"] = json!({"from": "gen-1", "steps": 3, "tried": 9, "stop": "minimal"});
    let mut i = info();
    i.baseline
        .insert("gen-1".into(), "new: not in the baseline".into());
    let page = html_report(&report(vec![c]), &i);
    assert!(page.contains("from <code>gen-1</code> (steps 3, tried 9, stop minimal)"));
    assert!(page.contains("<dt>baseline</dt><dd>new: not in the baseline</dd>"));
    assert!(page.contains("<dt>seed</dt><dd>7</dd>"));
    assert!(page.contains("addperm check --target http://127.0.0.1:1 --cases c.jsonl"));
}

#[test]
fn later_cases_of_a_finding_fold_their_answers() {
    let cases: Vec<Value> = (0..ANSWERS_PER_FINDING + 2)
        .map(|n| case(&format!("c{n}"), "mismatch", status_difference()))
        .collect();
    let page = html_report(&report(cases), &info());
    assert_eq!(
        page.matches("<table class=\"answers\">").count(),
        ANSWERS_PER_FINDING
    );
    assert_eq!(page.matches("Answers folded").count(), 2);
    // A folded case still shows what differs, and its curl line.
    assert_eq!(page.matches("<table class=\"differences\">").count(), 2);
    assert_eq!(
        page.matches("<div class=\"curl\">").count(),
        ANSWERS_PER_FINDING + 2
    );
}

#[test]
fn diff_pairs_show_both_targets() {
    let side = |status: u16| {
        let mut c = case("x", "pass", json!([]));
        c["actual"]["status"] = json!(status);
        c
    };
    let j = json!({
        "a": "reference", "b": "http://127.0.0.1:1", "compare": "message",
        "summary": {"total": 1, "same": 0, "differ": 1, "not-compared": 0},
        "buckets": [],
        "cases": [{"id": "x", "tags": [], "verdict": "differ",
                   "differences": [{"field": "status", "expected": "201", "actual": "200"}],
                   "shrunk": null, "a": side(201), "b": side(200)}],
    });
    let mut i = info();
    i.passing = vec!["same".into()];
    let page = html_report(&j, &i);
    assert!(page.contains("<title>addperm report: reference vs http://127.0.0.1:1</title>"));
    assert!(page.contains("<th>a: reference</th><th>b: http://127.0.0.1:1</th>"));
    assert!(page.contains("<tr class=\"diff\"><th>status</th><td>201</td><td>200</td></tr>"));
    assert!(page.contains("curl (a: reference)") && page.contains("curl (b: http://127.0.0.1:1)"));
}

#[test]
fn anything_renders_without_panicking() {
    for j in [
        json!(null),
        json!([]),
        json!({"cases": 5, "buckets": "x", "summary": []}),
        json!({"cases": [null, 1, "x", {"verdict": 3, "differences": [null, {"field": 1}]}]}),
        json!({"cases": [{"a": {}, "b": {"actual": []}, "shrunk": {"from": null}}], "buckets": [{}]}),
    ] {
        let page = html_report(&j, &HtmlRunInfo::default());
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>"));
    }
}

#[test]
fn notes_lead_and_cases_not_run_are_folded_away() {
    let mut not_run = case("later", "not-run", json!([]));
    not_run["actual"] = Value::Null;
    let mut j = report(vec![case("n", "mismatch", status_difference()), not_run]);
    j["notes"] = json!([format!(
        "the target stopped answering at case 1 (n): {HOSTILE}; 1 case not run"
    )]);
    let page = html_report(&j, &info());
    assert!(
        page.contains(
            "<p class=\"note\">the target stopped answering at case 1 (n): &lt;/script&gt;"
        ),
        "{page}"
    );
    assert!(page.contains("<section class=\"folded\" id=\"not-run\">"));
    assert!(page.contains("<li data-verdict=\"not-run\">later</li>"));
    assert!(!page.contains("<code class=\"id\">later</code>"));
    assert!(page.contains("Cases that did not pass (1)"));
}
