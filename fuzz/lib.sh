# shellcheck shell=bash
# Shared by fuzz/smoke.sh and fuzz/long-run.sh (sourced, from the repository root).

# The eight targets, in the order CI runs them.
# shellcheck disable=SC2034 # used by the sourcing scripts
FUZZ_ALL_TARGETS="function_name case_file target_response aws_regex doc_page http_request add_permission differential"

# fuzz_args TARGET: the libFuzzer flags every run of TARGET takes, one per line.
fuzz_args() {
  echo "-dict=fuzz/addperm.dict"
  echo "-timeout=20"
  echo "-print_final_stats=1"
  case "$1" in
    # aws_regex ignores inputs over 256 bytes (see the target); don't let libFuzzer grow them.
    aws_regex) echo "-max_len=256" ;;
    # case_file: the parser's branches do not depend on a line's length, and the 13 curated
    # lines over 4 KB (policy-size cases, ~30 KB each) would set libFuzzer's limit to 30 KB
    # and make every mutation of them ~10x slower; cut at 4 KB they still reach the same code.
    case_file) echo "-max_len=4096" ;;
  esac
}

# fuzz_seeds TARGET: the committed seed directory of TARGET, if it has one.
fuzz_seeds() {
  if [ -d "fuzz/seeds/$1" ]; then
    echo "fuzz/seeds/$1"
  fi
}
