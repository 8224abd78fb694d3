//! The odd things the fuzzer knows: FunctionName path segments, qualifiers, member values,
//! encodings and member sets that break parsers and routers. Each builder returns a note for
//! people and a request of the public case format.

use super::json_text::{escape_all, json_type, object_text, replaced};
use super::pick::{pick, pick_member};
use crate::case::fixture::{ALIAS, FUNCTION as FIXTURE, VERSION};
use crate::case::Request;
use crate::contract::FUNCTION_URL_ACTION;
use crate::generate::values::FOREIGN_ACCOUNT;
use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;
use serde_json::{json, Map, Value};

/// Qualifiers AWS rejects or treats specially, and ones that are odd in a URL.
pub(super) const ODD_QUALIFIERS: [&str; 24] = [
    "",
    "$LATEST",
    "$latest",
    "LATEST",
    "$LATEST.PUBLISHED",
    "0",
    "01",
    "-1",
    "1.0",
    "99999999999999999999",
    "Live",
    "no-such-alias",
    "live:1",
    "live/x",
    "..",
    "%",
    "?",
    "#",
    "\u{0}",
    " ",
    "\u{1F600}",
    "\u{202E}live",
    "live\u{200B}",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// A FunctionName path segment: odd characters around the fixture's name, partial and full
/// ARNs (well-formed ones name the fixture, so the runner renames them on the target),
/// malformed ARNs, names of every length.
pub(super) fn function_name(rng: &mut TestRng) -> String {
    let f = FIXTURE;
    let arn = "arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:";
    let forms: Vec<String> = vec![
        format!("{f}%"),
        format!("{f}%2F"),
        format!("{f}/.."),
        format!("{f}/x"),
        "..".into(),
        ".".into(),
        "%".into(),
        "/".into(),
        format!("{f}?x=1"),
        format!("{f}#frag"),
        format!("{f}\u{0}"),
        format!("{f} "),
        String::new(),
        format!("{f}\u{200B}"),
        format!("{f}\u{1F600}"),
        format!("\u{202E}{f}"),
        "a".repeat(65),
        "a".repeat(141),
        "a".repeat(257),
        "a".repeat(5000),
        format!("{f}:"),
        format!("{f}::"),
        format!("{f}:{ALIAS}:{VERSION}"),
        format!(":{ALIAS}"),
        format!("${{ACCOUNT}}:function:{f}"),
        format!("${{ACCOUNT}}:function:{f}:{ALIAS}"),
        "123456789012:function:fn".into(),
        format!("{FOREIGN_ACCOUNT}:function:{f}"),
        "${ACCOUNT}:function:".into(),
        format!("${{ACCOUNT}}:{f}"),
        format!("function:{f}"),
        format!(":function:{f}"),
        format!("12345678901:function:{f}"),
        format!("{arn}{f}"),
        format!("{arn}{f}:{ALIAS}"),
        format!("{arn}{f}:$LATEST"),
        format!("{arn}{f}:{VERSION}:x"),
        arn.to_string(),
        format!("arn:aws:lambda:::function:{f}"),
        format!("arn:aws:lambda:nowhere-1:${{ACCOUNT}}:function:{f}"),
        format!("arn:aws-cn:lambda:cn-north-1:${{ACCOUNT}}:function:{f}"),
        format!("arn:aws:lambda:us-east-1:{FOREIGN_ACCOUNT}:function:{f}"),
        format!("arn:aws:lambda:us-east-1:${{ACCOUNT}}:layer:{f}"),
        "arn:aws:s3:::bucket".into(),
        "arn:".into(),
        "arn:aws:lambda".into(),
    ];
    pick(rng, &forms).clone()
}

/// A member's string value made odd.
pub(super) fn odd_value(
    rng: &mut TestRng,
    members: &Map<String, Value>,
    raw: &dyn Fn(String) -> Request,
    json: &dyn Fn(Value) -> Request,
) -> (String, Request) {
    let key = pick_member(rng, members);
    let current = members
        .get(&key)
        .and_then(Value::as_str)
        .unwrap_or("x")
        .to_string();
    // Lone surrogates exist only as escapes: the value goes into the raw JSON text.
    if rng.random_bool(0.15) {
        let escaped = *pick(
            rng,
            &[
                r#""\ud800""#,
                r#""a\udc00b""#,
                r#""\udbff""#,
                r#""\ud800\ud800""#,
            ],
        );
        return (
            format!("{key} <- {escaped}"),
            raw(object_text(&replaced(members, &key, escaped.to_string()))),
        );
    }
    let (what, value) = match rng.random_range(0..12u8) {
        0 => {
            let n = *pick(rng, &[257usize, 1_000, 10_000, 100_000]);
            (format!("{n} characters"), "a".repeat(n))
        }
        1 => (
            "control characters".into(),
            format!("{current}\u{1}\u{1F}\t\n\r\u{7F}"),
        ),
        2 => ("a NUL".into(), format!("{current}\u{0}x")),
        3 => (
            "right-to-left override".into(),
            format!("\u{202E}{current}"),
        ),
        4 => ("zero-width space".into(), format!("{current}\u{200B}")),
        5 => ("no-break space".into(), format!("{current}\u{A0}")),
        6 => (
            "emoji".into(),
            format!("{current}\u{1F600}\u{1F1FA}\u{1F1F8}"),
        ),
        7 => ("combining mark".into(), format!("{current}e\u{301}")),
        8 => ("empty".into(), String::new()),
        9 => ("white space".into(), " \t ".into()),
        10 => (
            "path-like".into(),
            (*pick(rng, &["../../etc/passwd", "%00", "%s%n", "a/b?c#d"])).into(),
        ),
        _ => (
            "markup".into(),
            (*pick(rng, &["<script>x</script>", "' OR 1=1 --", "{\"a\":1}"])).into(),
        ),
    };
    let mut body = members.clone();
    body.insert(key.clone(), Value::String(value));
    (format!("{key} <- {what}"), json(Value::Object(body)))
}

/// The body in odd encodings (all expressible as a UTF-8 `raw_body`).
pub(super) fn encoding(
    rng: &mut TestRng,
    members: &Map<String, Value>,
    text: &str,
    raw: &dyn Fn(String) -> Request,
) -> (String, Request) {
    let key = pick_member(rng, members);
    let with = |value: &str| raw(object_text(&replaced(members, &key, value.to_string())));
    match rng.random_range(0..7u8) {
        0 => (
            "byte order mark first".into(),
            raw(format!("\u{FEFF}{text}")),
        ),
        1 => {
            let utf16: String = text.chars().flat_map(|c| [c, '\u{0}']).collect();
            (
                "UTF-16-looking (NUL after each character)".into(),
                raw(format!("\u{FF}\u{FE}{utf16}")),
            )
        }
        2 => ("every character escaped".into(), raw(escape_all(text))),
        3 => (
            format!("{key} <- Latin-1 mojibake escapes"),
            with(r#""caf\u00c3\u00a9 \u00ff\u00fe""#),
        ),
        4 => (
            format!("{key} <- escaped surrogate pair"),
            with(r#""\ud83d\ude00""#),
        ),
        5 => {
            let bad = *pick(
                rng,
                &[r#""\x41""#, r#""\u12""#, r#""\U0041""#, r#""\""#, r#""\q""#],
            );
            (format!("{key} <- invalid escape {bad}"), with(bad))
        }
        _ => (
            format!("{key} <- noncharacters"),
            with(r#""\uffff\ufffe\ufdd0""#),
        ),
    }
}

/// Many members at once: unknown ones, odd keys, or every member of the model.
pub(super) fn many_members(
    rng: &mut TestRng,
    members: &Map<String, Value>,
    json: &dyn Fn(Value) -> Request,
) -> (String, Request) {
    let mut body = members.clone();
    if rng.random_bool(0.3) {
        for (k, v) in [
            ("SourceArn", json!("arn:aws:s3:::fuzz-bucket")),
            ("SourceAccount", json!("${ACCOUNT}")),
            ("EventSourceToken", json!("fuzz-token")),
            ("RevisionId", json!("00000000-0000-0000-0000-000000000000")),
            ("PrincipalOrgID", json!("o-abcdefghij")),
            ("FunctionUrlAuthType", json!("NONE")),
            ("InvokedViaFunctionUrl", json!(true)),
            ("Action", json!(FUNCTION_URL_ACTION)),
        ] {
            body.insert(k.into(), v);
        }
        return ("every member set".into(), json(Value::Object(body)));
    }
    let n = *pick(rng, &[1usize, 10, 100, 2_000]);
    for i in 0..n {
        body.insert(format!("Unknown{i}"), json!(i));
    }
    let odd = *pick(
        rng,
        &[
            "",
            "__proto__",
            "constructor",
            "StatementID",
            "statementId",
            "a\u{0}b",
            "Condition",
        ],
    );
    let value = pick(
        rng,
        &[json!("x"), json!(0), json!({"nested": [1, "x", null]})],
    )
    .clone();
    let note = format!("{n} unknown members and {odd:?} as {}", json_type(&value));
    body.insert(odd.into(), value);
    (note, json(Value::Object(body)))
}
