//! Saving failing cases as fixtures (`--save-failures DIR`) and reading them back
//! (`addperm replay`).
//!
//! Each failing case is written to a file of its own, `DIR/<id>.jsonl`: a valid case file that
//! holds the original case (original function names, placeholders unresolved; a failing
//! generated case in its shrunk form) after one `//` comment line saying how it failed. One file per case lets a finding be kept as a regression
//! fixture, or deleted once fixed, by itself. A directory is never emptied: a later run
//! overwrites the files of the cases that fail again and leaves the others.

use crate::case::{self, Case, CaseFileError};
use crate::outcome::CaseResult;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// Longest file stem written; ids of generated cases can be long, file names cannot.
const MAX_STEM: usize = 120;

/// Writes every case that ran and did not pass to `dir` (created if missing) and returns the
/// files written. `results` are in the order of `cases`, as `runner::run` returns them; a
/// shrunk generated case is saved in its shrunk form, the comment naming the original.
pub fn save_failures(
    dir: &Path,
    cases: &[Case],
    results: &[CaseResult],
    target: &str,
) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut used = HashSet::new();
    let mut written = Vec::new();
    for (case, result) in cases.iter().zip(results) {
        if !result.verdict.failed() {
            continue;
        }
        let path = dir.join(format!("{}.jsonl", unique_stem(&case.id, &mut used)));
        let shrunk = match &result.shrunk {
            Some(note) if note.steps > 0 => format!(" ({note})"),
            _ => String::new(),
        };
        let text = format!(
            "// {} on {target}{shrunk}: {}\n{}",
            result.verdict.as_str(),
            why(result),
            case::to_jsonl(std::slice::from_ref(case))
        );
        std::fs::write(&path, text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

/// Reads cases for a replay: a case file as it is, or every `*.jsonl` file of a directory in
/// name order.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, CaseFileError> {
    if !path.is_dir() {
        return case::read(path);
    }
    let entries = std::fs::read_dir(path).map_err(|e| CaseFileError::File {
        origin: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        cases.extend(case::read(&f)?);
    }
    Ok(cases)
}

/// A file stem for `id`: the characters that are safe in file names on every system kept,
/// others replaced by `_`, and a `-2`, `-3`... suffix where two ids would share a file (case-
/// insensitively, for file systems that fold case).
fn unique_stem(id: &str, used: &mut HashSet<String>) -> String {
    let base: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM)
        .collect();
    // A stem of dots alone would name the directory itself or its parent.
    let base = if base.chars().all(|c| c == '.') {
        format!("_{base}")
    } else {
        base
    };
    let mut stem = base.clone();
    let mut n = 1;
    while !used.insert(stem.to_ascii_lowercase()) {
        n += 1;
        stem = format!("{base}-{n}");
    }
    stem
}

/// The failure in one line, for the comment above the saved case.
fn why(r: &CaseResult) -> String {
    let text = match &r.detail {
        Some(d) => d.clone(),
        None => r
            .differences
            .iter()
            .map(|d| format!("{} {} -> {}", d.field, d.expected, d.actual))
            .collect::<Vec<_>>()
            .join("; "),
    };
    super::text::clip(&text.replace(['\n', '\r'], " "), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique_stem("ok-sid_1.x", &mut used), "ok-sid_1.x");
        assert_eq!(unique_stem("a/b c", &mut used), "a_b_c");
        assert_eq!(unique_stem("a:b?c", &mut used), "a_b_c-2");
        assert_eq!(unique_stem("A_B_C", &mut used), "A_B_C-3");
        assert_eq!(unique_stem("..", &mut used), "_..");
        assert_eq!(unique_stem(&"x".repeat(500), &mut used).len(), MAX_STEM);
    }
}
