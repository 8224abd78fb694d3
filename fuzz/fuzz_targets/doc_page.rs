//! `doc_page`: the API reference page reader, `addperm::contract::doc_page`, on any text.
//!
//! `addperm contract --check-doc PAGE` reads pages a maintainer pastes or downloads: any
//! language, layout, truncation or stray markup. The reader must answer with a page or a
//! `PageError` naming what is missing, never a panic. This target checks that `extract` never
//! panics; that what it reads is coherent (members and errors are named, members once each);
//! that comparing it with the contract never panics; and that
//! `PageCheck::run` agrees with `extract` + `compare`, with drift and known findings
//! partitioning the findings. Seeds are the English markdown and Spanish text seed pages.
#![no_main]

use addperm::contract::contract;
use addperm::contract::doc_page::{compare, extract, PageCheck};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let page = match extract(&text) {
        Ok(page) => page,
        Err(e) => {
            let _ = e.to_string();
            assert!(PageCheck::run(&text, contract()).is_err());
            return;
        }
    };
    let mut seen = HashSet::new();
    for m in &page.members {
        assert!(!m.name.is_empty(), "unnamed member in {page:?}");
        assert!(seen.insert(m.name.clone()), "member {} read twice", m.name);
        assert_eq!(page.member(&m.name), Some(m));
    }
    for e in &page.errors {
        assert!(!e.name.is_empty(), "unnamed error in {page:?}");
    }
    let findings = compare(&page, contract());
    let check = PageCheck::run(&text, contract()).expect("run reads what extract reads");
    assert_eq!(check.page, page);
    assert_eq!(check.deviations, findings);
    assert_eq!(
        check.drift().count() + check.known().count(),
        findings.len()
    );
    assert_eq!(check.matches_doc(), check.drift().next().is_none());
});
