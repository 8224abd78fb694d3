//! Which contract constraints a set of cases exercises, read from the cases' tags.

use super::label::{Constraint, Violation};
use crate::case::Case;
use crate::contract::{contract, Location};
use std::collections::BTreeMap;

/// Every constraint the contract states, in member order: each length bound, pattern and
/// enum, and for body members the required/null rule and the JSON type.
pub fn contract_constraints() -> Vec<Violation> {
    let mut out = Vec::new();
    for m in &contract().members {
        let body = m.location == Location::Body;
        for (present, c) in [
            (m.min().is_some(), Constraint::LengthMin),
            (m.max().is_some(), Constraint::LengthMax),
            (m.pattern.is_some(), Constraint::Pattern),
            (m.enum_values.is_some(), Constraint::Enum),
            (body, Constraint::Required),
            (body, Constraint::Type),
        ] {
            if present {
                out.push((m.name, c));
            }
        }
    }
    out
}

/// The (member, constraint) pair a case's tags name: the second and third tags.
fn subject(case: &Case) -> Option<(&str, &str)> {
    match case.tags.as_slice() {
        [_, member, constraint, ..] if Constraint::ALL.iter().any(|c| c.tag() == constraint) => {
            Some((member.as_str(), constraint.as_str()))
        }
        _ => None,
    }
}

/// Counts of cases per (member, constraint tag), every pair the cases name included.
pub fn counts(cases: &[Case]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for case in cases {
        if let Some((m, c)) = subject(case) {
            *out.entry((m.to_string(), c.to_string())).or_insert(0) += 1;
        }
    }
    out
}

/// The contract constraints no case exercises.
pub fn missing(cases: &[Case]) -> Vec<Violation> {
    let counts = counts(cases);
    contract_constraints()
        .into_iter()
        .filter(|(m, c)| !counts.contains_key(&(m.to_string(), c.tag().to_string())))
        .collect()
}
