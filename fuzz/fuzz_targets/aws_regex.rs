//! `aws_regex`: `addperm::contract::translate` / `AwsPattern` against an independent matcher.
//!
//! AWS validates with Java's `String.matches`; the harness matches with Rust's `regex` after
//! `translate` rewrites the pattern. A translation slip (a Unicode `\d`, a `.` that crosses
//! U+2028, a top-level `|` left unanchored, a class `-` read as a range) would make the reference
//! accept what AWS rejects, silently. This target compares, for every contract pattern (enforced
//! and documented) and for random patterns in the same Java subset, the translated matcher with
//! `addperm_fuzz::java_regex`, a backtracking matcher written from Java's rules and sharing no
//! code with `translate`. Inputs are built from the fuzz bytes so they sit on the patterns'
//! edges: strings generated to match, then mutated, from an alphabet of the patterns' ASCII and
//! Unicode look-alikes (Arabic-Indic digits, NBSP, U+2028, Kelvin sign, ...).
//!
//! Input layout: byte 0 picks the pattern (the contract's list, or a random pattern), byte 1 how
//! the string is made (generated+mutated, token soup, or the remaining bytes as UTF-8).
#![no_main]

use addperm::contract::translate;
use addperm_fuzz::{gen, java_regex, PATTERNS};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
use std::cell::RefCell;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    // Values past a few hundred characters add nothing the patterns can tell apart, and make
    // the backtracking reference quadratic on `.*`-style patterns.
    if data.len() > 256 {
        return;
    }
    let [pick, how, rest @ ..] = data else { return };
    let n = PATTERNS.len();
    let choice = usize::from(*pick) % (n + 4);
    let mut u = Unstructured::new(rest);
    if choice < n {
        let p = &PATTERNS[choice];
        let value = make_value(&p.java, *how, &mut u, rest);
        let Some(java) = java_regex::matches(&p.java, &value) else {
            return;
        };
        assert_eq!(
            p.aws.matches(&value),
            java,
            "{}: {:?} on {value:?}: AwsPattern says {}, Java semantics say {java}",
            p.label,
            p.source,
            !java
        );
    } else {
        // A random pattern: Java syntax first, then both readings of it.
        let source = gen::java_pattern(&mut u);
        let Some((node, rust, re)) = compiled(&source) else {
            return;
        };
        for _ in 0..4 {
            let value = make_value(
                &node,
                how.wrapping_add(u.arbitrary().unwrap_or(0)),
                &mut u,
                &[],
            );
            let Some(java) = java_regex::matches(&node, &value) else {
                return;
            };
            assert_eq!(
                re.is_match(&mut re.create_cache(), value.as_str()),
                java,
                "pattern {source:?} (translated {rust:?}) on {value:?}: Java semantics say {java}"
            );
            if u.is_empty() {
                break;
            }
        }
    }
});

/// A random pattern as the independent matcher reads it, its translation, and that compiled.
type Compiled = (java_regex::Node, String, PikeVM);

/// Both readings of a random pattern, or `None` when either side refuses it (outside the
/// subset, or a construct `translate` rejects: an error, never a wrong answer). Compiling the
/// Rust regex dominates the cost of an input, so it is compiled to the `regex` crate's own
/// Thompson NFA and matched with its PikeVM: the same parser, NFA and match semantics as
/// `regex::Regex` (whose meta engine only adds faster strategies over that NFA), without
/// building the reverse NFA, prefilters and lazy DFAs a `Regex` builds for a handful of short
/// matches (half the time of an input). libFuzzer revisits patterns often, so the results are
/// also cached (a few hundred entries, dropped wholesale when full).
fn compiled(source: &str) -> Option<Compiled> {
    thread_local! {
        static CACHE: RefCell<HashMap<String, Option<Compiled>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(source) {
            return hit.clone();
        }
        let entry = (|| {
            let node = java_regex::parse(source).ok()?;
            let rust = translate(source).ok()?;
            let re = PikeVM::builder()
                .thompson(thompson::Config::new().nfa_size_limit(Some(1 << 16)))
                .build(&format!("^(?:{rust})$"))
                .ok()?;
            Some((node, rust, re))
        })();
        let mut cache = cache.borrow_mut();
        if cache.len() >= 512 {
            cache.clear();
        }
        cache.insert(source.to_string(), entry.clone());
        entry
    })
}

fn make_value(node: &java_regex::Node, how: u8, u: &mut Unstructured, rest: &[u8]) -> String {
    match how % 8 {
        0..=4 => {
            let mut s = String::new();
            gen::matching(node, u, &mut s, 0);
            gen::mutate(&s, u)
        }
        5 | 6 => gen::soup(u, 48),
        _ => String::from_utf8_lossy(rest).into_owned(),
    }
}
