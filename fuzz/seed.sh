#!/usr/bin/env bash
# Regenerates the committed seed corpora fuzz/seeds/<target>/ from tests/cases/*.jsonl (and the
# seed API reference pages in ../shared/seeds, when present). Stable toolchain is enough.
set -euo pipefail
cd "$(dirname "$0")"
cargo run --quiet --example seeds -- "$PWD/seeds"
