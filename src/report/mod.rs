//! Reports for people and CI: one block per non-passing case, expected and actual side by side.

mod text;

pub use text::{case_block, summary_block};
