#!/usr/bin/env bash
# CI: `pip install addperm` works. Builds the wheel from this checkout (pyproject.toml:
# maturin, bindings = "bin", a release build), installs it into a fresh venv, runs the
# installed `addperm --version`, then python/tests with pytest: the installed addperm, run
# as a subprocess with --junit, against moto (scripts/moto.sh, which seeds the IAM role).
#
# Usage: scripts/wheel-check.sh
#
# Environment:
#   ADDPERM_MATURIN_SPEC         maturin to build with (default maturin==1.16.0), pip-installed
#                                into $ADDPERM_TARGETS_DIR/maturin-venv, kept between runs
#   ADDPERM_PYTEST_SPEC          pytest for the fresh venv (default pytest==9.2.0)
#   ADDPERM_WHEEL_MOTO_PORT      first port tried for moto (default 15155)
#   ADDPERM_WHEEL_OUT            keep the wheel, the venv and the logs in this directory
#                                (default: a temporary directory, removed at exit)
#   ADDPERM_WHEEL_BUILD_TIMEOUT  seconds for the wheel build (default 1800)
# plus those of scripts/moto.sh (ADDPERM_TARGETS_DIR, ADDPERM_PYTHON, ...). The build
# uses cargo's usual target directory (CARGO_TARGET_DIR, else target/).
#
# Needs: Rust (cargo), python3 >= 3.9 with venv, curl, and PyPI for maturin and pytest.
# The last lines are pytest's (`N passed`); any failure exits non-zero.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROG="wheel-check.sh"
case "${1:-}" in
  '') ;;
  -h | --help)
    sed -n '2,/^set /{/^set /!p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "wheel-check.sh: takes no arguments (see --help)" >&2
    exit 2
    ;;
esac

# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. scripts/lib/targets.sh
# shellcheck source-path=SCRIPTDIR source=lib/conformance.sh
. scripts/lib/conformance.sh

MATURIN_SPEC="${ADDPERM_MATURIN_SPEC:-maturin==1.16.0}"
PYTEST_SPEC="${ADDPERM_PYTEST_SPEC:-pytest==9.2.0}"
MOTO_PORT="${ADDPERM_WHEEL_MOTO_PORT:-15155}"
BUILD_TIMEOUT="${ADDPERM_WHEEL_BUILD_TIMEOUT:-1800}"
validate_port "$MOTO_PORT"
validate_uint ADDPERM_WHEEL_BUILD_TIMEOUT "$BUILD_TIMEOUT"
require_cmd cargo "Rust"
require_cmd curl
require_cmd timeout "coreutils"

OUT="${ADDPERM_WHEEL_OUT:-}"
KEEP_OUT=1
if [ -z "$OUT" ]; then
  OUT="$(mktemp -d)"
  KEEP_OUT=0
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"

# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
  stop_started
  [ "$KEEP_OUT" = 1 ] || rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PY="$(find_python 3 9 ADDPERM_PYTHON)" || die "no python >= 3.9 found (set ADDPERM_PYTHON=/path/to/python3)"
TOOLS="$(targets_dir)/maturin-venv"
ensure_venv "$TOOLS" "$PY" maturin "$MATURIN_SPEC"

# 1. The wheel, as `pip install addperm` would get it: a release build.
log "building the wheel with $("$TOOLS/bin/maturin" --version) (release; log: $OUT/maturin.log)"
rm -rf "$OUT/dist"
t0=$SECONDS
rc=0
# shellcheck disable=SC2016 # $@ is expanded by sh
bounded "$BUILD_TIMEOUT" "$OUT/maturin.log" sh -c 'exec "$@" 2>&1' sh \
  "$TOOLS/bin/maturin" build --release --locked --out "$OUT/dist" || rc=$?
if [ "$rc" != 0 ]; then
  tail -n 30 "$OUT/maturin.log" >&2
  die "maturin build failed (exit $rc; log: $OUT/maturin.log)"
fi
wheels=("$OUT"/dist/addperm-*.whl)
if [ "${#wheels[@]}" != 1 ] || [ ! -f "${wheels[0]}" ]; then
  die "expected one addperm wheel in $OUT/dist"
fi
WHEEL="${wheels[0]}"
echo "wheel: ${WHEEL##*/} ($(($(wc -c <"$WHEEL") / 1024)) KiB) built in $((SECONDS - t0))s"

# 2. A fresh venv with nothing but the wheel (no index: it has no dependencies) and pytest.
VENV="$OUT/venv"
rm -rf "$VENV"
"$PY" -m venv "$VENV" || die "'$PY -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
pip_q() { "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$@"; }
pip_q --no-index "$WHEEL" || die "pip install $WHEEL failed"
pip_q "$PYTEST_SPEC" || die "pip install $PYTEST_SPEC failed"
[ -x "$VENV/bin/addperm" ] || die "the wheel installed no $VENV/bin/addperm"
want="addperm $(sed -nE 's/^version = "([^"]+)"$/\1/p' Cargo.toml | head -n 1)"
got="$("$VENV/bin/addperm" --version)" || die "the installed addperm --version failed"
[ "$got" = "$want" ] || die "the installed addperm --version says '$got', Cargo.toml '$want'"
echo "installed: $VENV/bin/addperm --version: $got"

# 3. The installed binary against moto, from pytest.
port="$(free_port "$MOTO_PORT")"
STARTED+=("scripts/moto.sh stop $port")
bounded 900 "$OUT/moto.url" scripts/moto.sh start "$port" || die "moto could not be started"
url="$(head -n 1 "$OUT/moto.url")"
export PATH="$VENV/bin:$PATH"
[ "$(command -v addperm)" = "$VENV/bin/addperm" ] || die "addperm on PATH is $(command -v addperm), not the venv's"
rc=0
ADDPERM_TARGET="$url" PYTHONDONTWRITEBYTECODE=1 \
  "$VENV/bin/python" -m pytest -p no:cacheprovider -v python/tests || rc=$?
timeout 60 scripts/moto.sh stop "$port" >/dev/null 2>&1 || log "moto: stop failed"
unset 'STARTED[${#STARTED[@]}-1]'
[ "$KEEP_OUT" = 0 ] || log "wheel, venv and logs kept in $OUT"
[ "$rc" = 0 ] || die "pytest failed (exit $rc)"
