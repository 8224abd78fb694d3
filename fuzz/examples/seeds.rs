//! Writes the fuzz targets' seed corpora into `fuzz/seeds/<target>/` from the curated cases in
//! `tests/cases/*.jsonl` (run by `fuzz/seed.sh`; the output is committed).
//!
//! - `case_file`: every case line alone, and the first lines of every case file.
//! - `function_name`: every FunctionName the cases use (placeholders filled in), plus the
//!   documented formats.
//! - `aws_regex`: for each contract pattern (`addperm_fuzz::PATTERNS` order), the values the
//!   cases give that member, in the target's "raw" layout: pattern byte, mode byte 7, UTF-8.
//! - `doc_page`: the seed API reference pages in `../shared/seeds/`, when present.
//! - `http_request`: every case as HTTP requests (`Operation::to_http`) in the target's layout,
//!   `METHOD SP TARGET LF BODY` separated by 0xFF: its `given` state (CreateFunction,
//!   PublishVersion, CreateAlias, AddPermission), then its request, with `${CURRENT_REVISION}`
//!   read from a reference in the state the target starts from.
//!
//! Once `addperm gen` exists its output can be added the same way.

use addperm::case::{self, Case, Placeholders};
use addperm::contract::FunctionRef;
use addperm::generate::arbitrary::fuzz_reference;
use addperm::reference::{AddPermissionRequest, Body};
use addperm::wire::route::handle;
use addperm::wire::Operation;
use addperm_fuzz::PATTERNS;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("fuzz/seeds"));
    let vars = Placeholders::default();

    let mut files: Vec<PathBuf> = fs::read_dir(root.join("tests/cases"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
    files.sort();

    let mut case_seeds = BTreeMap::new();
    let mut http_seeds = BTreeMap::new();
    let mut names = BTreeSet::new();
    // Member name -> values the cases give it.
    let mut values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let text = fs::read_to_string(file)?;
        let stem = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        // The head of each file (comments, blank lines, several cases) rather than the whole
        // file: a 300 KB seed would raise libFuzzer's input length limit to 300 KB.
        let head: String = text.lines().take(12).flat_map(|l| [l, "\n"]).collect();
        case_seeds.insert(format!("head-{stem}"), head);
        for c in case::parse(&text, &file.display().to_string())? {
            http_seeds.insert(format!("case-{}", c.id), http_requests(&c));
            case_seeds.insert(
                format!("case-{}", c.id),
                case::to_jsonl(std::slice::from_ref(&c)),
            );
            let function_name = vars.apply(&c.request.function_name);
            names.insert(function_name.clone());
            values
                .entry("FunctionName".into())
                .or_default()
                .insert(function_name);
            if let Some(q) = &c.request.qualifier {
                values
                    .entry("Qualifier".into())
                    .or_default()
                    .insert(vars.apply(q));
            }
            for f in &c.given.functions {
                names.insert(f.name.clone());
            }
            if let Some(Value::Object(body)) = &c.request.body {
                for (k, v) in body {
                    if let Value::String(s) = v {
                        values.entry(k.clone()).or_default().insert(vars.apply(s));
                    }
                }
            }
        }
    }
    for documented in [
        "my-function",
        "my-function:v1",
        "123456789012:function:my-function",
        "arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST.PUBLISHED",
    ] {
        names.insert(documented.to_string());
    }

    write_dir(
        &out.join("case_file"),
        case_seeds.into_iter().map(|(k, v)| (k, v.into_bytes())),
    )?;
    write_dir(
        &out.join("function_name"),
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("name-{i:03}"), n.clone().into_bytes())),
    )?;
    let mut regex_seeds = Vec::new();
    for (i, p) in PATTERNS.iter().enumerate() {
        let member = p.label.split(' ').next().unwrap_or_default();
        for (j, v) in values
            .get(member)
            .into_iter()
            .flatten()
            .take(12)
            .enumerate()
        {
            let mut bytes = vec![u8::try_from(i)?, 7];
            bytes.extend_from_slice(v.as_bytes());
            regex_seeds.push((format!("{member}-{i:02}-{j:02}"), bytes));
        }
    }
    write_dir(&out.join("aws_regex"), regex_seeds)?;

    write_dir(&out.join("http_request"), http_seeds)?;

    let pages = root.join("../shared/seeds");
    if pages.is_dir() {
        let mut seeds = Vec::new();
        for e in fs::read_dir(&pages)? {
            let path = e?.path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            seeds.push((name, fs::read(&path)?));
        }
        write_dir(&out.join("doc_page"), seeds)?;
    }
    Ok(())
}

/// Case `c` as the `http_request` target's input: its setup and its request, each sent to a
/// reference as the target does, so `${CURRENT_REVISION}` gets the value the target will see.
fn http_requests(c: &Case) -> Vec<u8> {
    let mut ops = Vec::new();
    for f in &c.given.functions {
        ops.push(Operation::CreateFunction {
            name: f.name.clone(),
        });
        ops.extend(f.versions.iter().map(|_| Operation::PublishVersion {
            name: f.name.clone(),
        }));
        ops.extend(
            f.aliases
                .iter()
                .map(|(alias, version)| Operation::CreateAlias {
                    name: f.name.clone(),
                    alias: alias.clone(),
                    version: version.clone(),
                }),
        );
        ops.extend(f.permissions.iter().map(|p| {
            Operation::AddPermission(AddPermissionRequest {
                function_name: f.name.clone(),
                qualifier: p.qualifier.clone(),
                body: Body::Json(Placeholders::default().apply_json(&p.body)),
            })
        }));
    }
    let mut reference = fuzz_reference();
    let mut records: Vec<Vec<u8>> = ops
        .iter()
        .map(|op| {
            let record = record(op);
            let (method, target, body) = split(&record);
            handle(&mut reference, method, target, body);
            record
        })
        .collect();
    let mut vars = Placeholders::default();
    let function_name = vars.apply(&c.request.function_name);
    let qualifier = c.request.qualifier.as_deref().map(|q| vars.apply(q));
    vars.current_revision = FunctionRef::parse(&function_name).and_then(|f| {
        let q = qualifier.clone().or(f.qualifier);
        reference.precondition_revision(&f.name, q.as_deref())
    });
    let body = match (&c.request.body, &c.request.raw_body) {
        (Some(v), _) => Body::Json(vars.apply_json(v)),
        (None, raw) => Body::Raw(vars.apply(raw.as_deref().unwrap_or_default()).into_bytes()),
    };
    records.push(record(&Operation::AddPermission(AddPermissionRequest {
        function_name,
        qualifier,
        body,
    })));
    records.join(&0xFF)
}

/// One request in the `http_request` layout: `METHOD SP TARGET LF BODY`. CreateFunction's
/// body is cut to the FunctionName the emulator reads (`to_http` adds the code, role and
/// runtime real Lambdas need), so seeds stay small and the fuzzer mutates what matters.
fn record(op: &Operation) -> Vec<u8> {
    let http = op.to_http();
    let mut out = format!("{} {}\n", http.method, http.path_and_query()).into_bytes();
    match op {
        Operation::CreateFunction { name } => out.extend_from_slice(
            serde_json::json!({ "FunctionName": name })
                .to_string()
                .as_bytes(),
        ),
        _ => out.extend_from_slice(&http.body),
    }
    out
}

fn split(record: &[u8]) -> (&str, &str, &[u8]) {
    let newline = record
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(record.len());
    let head = std::str::from_utf8(&record[..newline]).expect("ASCII request line");
    let (method, target) = head.split_once(' ').expect("METHOD TARGET");
    (method, target, &record[(newline + 1).min(record.len())..])
}

/// Replaces `dir`'s contents with `seeds` (name, bytes).
fn write_dir(
    dir: &Path,
    seeds: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> Result<(), Box<dyn std::error::Error>> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    let mut n = 0;
    for (name, bytes) in seeds {
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        fs::write(dir.join(safe), bytes)?;
        n += 1;
    }
    eprintln!("{}: {n} seeds", dir.display());
    Ok(())
}
