//! Drawing from lists with the fuzzer's RNG.

use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;
use serde_json::{Map, Value};

/// One of `items`, uniformly.
pub(super) fn pick<'a, T>(rng: &mut TestRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A member of the body to mutate (the first one when the body has none).
pub(super) fn pick_member(rng: &mut TestRng, members: &Map<String, Value>) -> String {
    let keys: Vec<&String> = members.keys().collect();
    if keys.is_empty() {
        return "StatementId".into();
    }
    (*pick(rng, &keys)).clone()
}
