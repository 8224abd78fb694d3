//! `case_file`: the JSONL case parser, `addperm::case::parse`, on any text.
//!
//! Case files are a public interface (`addperm gen` writes them, `addperm check --cases` and
//! other tools read them), so the reader must never panic on a hand-edited or truncated file,
//! and the writer must not change a case's meaning. This target checks that parsing never panics;
//! that an error names a line that exists; and that whatever parses serialises
//! (`case::to_jsonl`) to one line per case, re-parses to an equal value, and serialises again to
//! the same text.
#![no_main]

use addperm::case::{self, CaseFileError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match case::parse(&text, "fuzz") {
        Ok(cases) => {
            let jsonl = case::to_jsonl(&cases);
            assert_eq!(
                jsonl.lines().count(),
                cases.len(),
                "one line per case: {jsonl}"
            );
            let again = case::parse(&jsonl, "fuzz-again")
                .unwrap_or_else(|e| panic!("to_jsonl wrote a file parse rejects: {e}\n{jsonl}"));
            assert_eq!(again, cases, "re-parsed cases differ:\n{jsonl}");
            assert_eq!(case::to_jsonl(&again), jsonl, "serialisation is not stable");
            for c in &cases {
                let _ = c.body_bytes();
            }
        }
        Err(e) => {
            let message = e.to_string();
            if let CaseFileError::Line { line, .. } = e {
                assert!(
                    line >= 1 && line <= text.lines().count(),
                    "line {line}: {message}"
                );
            }
        }
    }
});
