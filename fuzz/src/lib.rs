//! Support code for addperm's fuzz targets (`fuzz_targets/`): an independent Java-regex matcher
//! and input builders. Kept in a library so its own unit tests run without libFuzzer
//! (`cargo test --manifest-path fuzz/Cargo.toml --lib`).

pub mod gen;
pub mod java_regex;

use addperm::contract::{contract, AwsPattern};
use std::sync::LazyLock;

/// A pattern from the contract: where it comes from, and both of its matchers.
pub struct ContractPattern {
    /// `Member.pattern` (enforced) or `Member.doc.pattern` (documented) of `member`.
    pub label: String,
    pub source: &'static str,
    pub aws: AwsPattern,
    pub java: java_regex::Node,
}

/// Every pattern the contract holds: the enforced ones in member order, then the documented
/// (seed page) ones in member order. The fuzz inputs and `examples/seeds.rs` index this list.
pub static PATTERNS: LazyLock<Vec<ContractPattern>> = LazyLock::new(|| {
    let c = contract();
    let enforced = c.members.iter().filter_map(|m| {
        let p = m.pattern.as_ref()?;
        Some((format!("{} (enforced)", m.name), p.value.source()))
    });
    let documented = c.members.iter().filter_map(|m| {
        let p = m.doc.as_ref()?.pattern?;
        Some((format!("{} (documented)", m.name), p))
    });
    enforced
        .chain(documented)
        .map(|(label, source)| ContractPattern {
            aws: AwsPattern::new(source),
            java: java_regex::parse(source).unwrap_or_else(|e| {
                panic!("{label}: {source:?} outside the matcher's subset: {e:?}")
            }),
            label,
            source,
        })
        .collect()
});

#[cfg(test)]
mod tests {
    #[test]
    fn every_contract_pattern_is_in_the_subset() {
        assert!(super::PATTERNS.len() >= 14, "{}", super::PATTERNS.len());
    }
}
