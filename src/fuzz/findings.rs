//! Findings, grouped by signature, written as replayable cases and a summary for people.
//!
//! One bug usually answers thousands of fuzz requests the same way. A signature (kind, status,
//! the normalised error type or first body line, mutation family) stands for one such way; each
//! keeps a count and its smallest example, which is what a person reads and replays first.

use super::judge::Flag;
use super::mutate::Family;
use crate::case::{self, Case};
use crate::outcome::SentRequest;
use crate::report::curl_command;
use crate::target::Endpoint;
use std::collections::HashMap;
use std::fmt::Write as _;

/// One request the judge flagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub flag: Flag,
    pub family: Family,
    /// What the mutation did.
    pub note: String,
    /// The request's number in the run, from 1.
    pub number: usize,
    /// The request's size (the smaller example of a signature is kept).
    pub size: usize,
    /// The request as a case: the fixture as `given`, the reference's answer as `expect`, so
    /// replaying it with `addperm check` shows the target's answer beside AWS's.
    pub case: Case,
    pub sent: SentRequest,
}

impl Finding {
    /// `kind|status|what|family`: what makes two findings the same finding.
    pub fn signature(&self) -> String {
        let status = self
            .flag
            .status
            .map_or_else(|| "-".to_string(), |s| s.to_string());
        format!(
            "{}|{status}|{}|{}",
            self.flag.symptom.name(),
            self.flag.what,
            self.family.name()
        )
    }
}

/// A signature's smallest example and how many requests had it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub example: Finding,
    pub count: usize,
}

/// The findings of a run, deduplicated by signature, in the order signatures were first seen.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Findings {
    /// Adds a finding; true when its signature is new.
    pub fn add(&mut self, finding: Finding) -> bool {
        match self.index.get(&finding.signature()) {
            Some(&i) => {
                let entry = &mut self.entries[i];
                entry.count += 1;
                if finding.size < entry.example.size {
                    entry.example = finding;
                }
                false
            }
            None => {
                self.index.insert(finding.signature(), self.entries.len());
                self.entries.push(Entry {
                    example: finding,
                    count: 1,
                });
                true
            }
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Flagged requests, duplicates included.
    pub fn total(&self) -> usize {
        self.entries.iter().map(|e| e.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One case per signature, ids `fuzz-1`, `fuzz-2`, ... in the order of the summary.
    pub fn cases(&self) -> Vec<Case> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| Case {
                id: case_id(i),
                ..e.example.case.clone()
            })
            .collect()
    }

    /// The case file of [`Findings::cases`].
    pub fn to_jsonl(&self) -> String {
        case::to_jsonl(&self.cases())
    }

    /// One block per signature, after `header`: the kind, status, family and count on the
    /// first line (`[1] server-error 500 json-truncated x123`), then the detail, the body, a
    /// curl line against `endpoint` and the `addperm check` line that replays the case.
    pub fn summary(&self, header: &str, endpoint: &Endpoint, cases_file: &str) -> String {
        let mut out = header.to_string();
        let _ = writeln!(
            out,
            "{} findings in {} signatures{}",
            self.total(),
            self.entries.len(),
            if self.is_empty() {
                ""
            } else {
                " (one replayable case each in the case file):"
            }
        );
        for (i, e) in self.entries.iter().enumerate() {
            let f = &e.example;
            let status = f
                .flag
                .status
                .map_or_else(|| "-".to_string(), |s| s.to_string());
            let _ = writeln!(
                out,
                "\n[{}] {} {status} {} x{}",
                i + 1,
                f.flag.symptom.name(),
                f.family.name(),
                e.count
            );
            let _ = writeln!(out, "    signature: {}", f.signature());
            let _ = writeln!(
                out,
                "    example: request #{} ({}), {}",
                f.number, f.note, f.flag.detail
            );
            if !f.flag.body.is_empty() {
                let _ = writeln!(out, "    body: {:?}", f.flag.body);
            }
            let _ = writeln!(out, "    curl: {}", curl_command(&f.sent, endpoint));
            let _ = writeln!(
                out,
                "    replay: addperm check --cases {cases_file} --id {} --target {}",
                case_id(i),
                endpoint.base_url
            );
        }
        out
    }
}

fn case_id(i: usize) -> String {
    format!("fuzz-{}", i + 1)
}

#[cfg(test)]
mod tests {
    use super::super::judge::Symptom;
    use super::*;
    use crate::case::fixture;
    use crate::case::{Expect, Request};

    fn finding(symptom: Symptom, what: &str, family: Family, body: &str, number: usize) -> Finding {
        Finding {
            flag: Flag {
                symptom,
                status: (symptom == Symptom::ServerError).then_some(500),
                detail: "answered 500".into(),
                what: what.into(),
                body: "oops".into(),
            },
            family,
            note: "n".into(),
            number,
            size: body.len(),
            case: Case {
                id: "x".into(),
                tags: vec!["fuzz".into()],
                given: fixture::given(),
                request: Request {
                    function_name: "fuzz-fn".into(),
                    qualifier: None,
                    body: None,
                    raw_body: Some(body.into()),
                },
                expect: Expect {
                    status: 400,
                    error_type: Some(Some("InvalidRequestContentException".into())),
                    message_like: None,
                    statement: None,
                    policy: None,
                },
            },
            sent: SentRequest {
                function_name: "fuzz-fn".into(),
                qualifier: None,
                body: body.into(),
                sent_function_name: None,
            },
        }
    }

    #[test]
    fn one_entry_per_signature_with_its_smallest_example() {
        let mut f = Findings::default();
        let e500 =
            |body: &str, n| finding(Symptom::ServerError, "E", Family::JsonTruncated, body, n);
        assert!(f.add(e500("{\"StatementId\":\"abc", 1)));
        assert!(!f.add(e500("{\"S", 2)));
        assert!(!f.add(e500("{\"StatementId\":", 3)));
        // Another family, another kind, another normalised line: three more signatures.
        assert!(f.add(finding(Symptom::ServerError, "E", Family::EmptyBody, "", 4)));
        assert!(f.add(finding(Symptom::Reset, "", Family::JsonTruncated, "{", 5)));
        assert!(f.add(finding(
            Symptom::ServerError,
            "F",
            Family::JsonTruncated,
            "{",
            6
        )));
        assert_eq!((f.entries().len(), f.total()), (4, 6));
        let first = &f.entries()[0];
        assert_eq!((first.count, first.example.number), (3, 2));
        let cases = case::parse(&f.to_jsonl(), "findings").unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["fuzz-1", "fuzz-2", "fuzz-3", "fuzz-4"]);
        assert_eq!(cases[0].request.raw_body.as_deref(), Some("{\"S"));
        let text = f.summary(
            "header\n",
            &Endpoint::unsigned("http://127.0.0.1:1"),
            "out/findings.jsonl",
        );
        assert!(
            text.starts_with("header\n6 findings in 4 signatures"),
            "{text}"
        );
        assert!(
            text.contains("\n[1] server-error 500 json-truncated x3\n"),
            "{text}"
        );
        assert!(text.contains("\n[3] reset - json-truncated x1\n"), "{text}");
        assert!(text.contains("curl -sS"), "{text}");
        assert!(
            text.contains("--id fuzz-2 --target http://127.0.0.1:1"),
            "{text}"
        );
    }
}
