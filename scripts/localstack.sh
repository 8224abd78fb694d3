#!/usr/bin/env bash
# Run LocalStack community (the `localstack-core` PyPI package) in *host mode*,
# i.e. as a plain Python process without docker, as an AddPermission target.
#
# Usage:
#   scripts/localstack.sh start  [PORT]   install if needed, start, wait, print base URL
#   scripts/localstack.sh stop   [PORT]   SIGTERM, SIGKILL after ~5 s, clean up
#   scripts/localstack.sh status [PORT]   print the base URL if running (exit 0), else exit 1
# PORT defaults to 4566. The gateway binds 127.0.0.1 only.
#
# `start` is idempotent: if our LocalStack already runs on PORT it just prints
# the URL. It refuses to start when some *other* process listens on PORT.
# Every start begins with empty state (PERSISTENCE=0, fresh FILESYSTEM_ROOT).
#
# Environment:
#   ADDPERM_TARGETS_DIR      where venvs, pid/log files and LocalStack's data live
#                            (default: $HOME/.cache/addperm/targets)
#   ADDPERM_PYTHON / LOCALSTACK_PYTHON
#                            interpreter for the venv; must be >= 3.12
#                            (default: first python >= 3.12 found on PATH,
#                            in pyenv's versions, or via `uv python find`)
#   ADDPERM_LOCALSTACK_SPEC  pip requirement (default: localstack-core[runtime]==2026.3.0,
#                            installed with the pins of scripts/constraints/localstack.txt,
#                            the versions conformance/baselines/localstack.json was
#                            recorded with)
#   ADDPERM_START_TIMEOUT    seconds to wait for readiness (default: 120)
#   ADDPERM_STOP_GRACE       seconds between SIGTERM and SIGKILL (default: 5)
#   ADDPERM_LOCALSTACK_DEBUG set to 1 for LocalStack's DEBUG logging
#
# Needs: bash, curl, python >= 3.12 with the venv module, and access to PyPI
# for the first start. No docker.
#
# Why the knobs below are needed (observed with localstack-core 2026.3.0):
#  * Python >= 3.12: localstack-core uses PEP 695 syntax (`class X[T]:`) but
#    declares Requires-Python >= 3.10, so pip installs it into 3.10/3.11 and it
#    then dies with a SyntaxError. We therefore pick the interpreter ourselves.
#  * Extra pins installed next to localstack-core[runtime]:
#      cbor2<6               cbor2 6 removed the private cbor2._decoder it imports
#      pyopenssl>=25,<26     pyopenssl 26 removed X509.add_extensions
#      cryptography<47       upper bound of pyopenssl 25.x
#      service_identity      twisted's TLS support imports it at start-up
#  * OVERRIDE_IN_DOCKER=0: if the host has /.dockerenv (CI containers do),
#    LocalStack believes it runs inside its own image and writes under
#    /var/lib/localstack. Host mode keeps everything under FILESYSTEM_ROOT.
#  * GATEWAY_SERVER=hypercorn: the default twisted gateway ignores the host
#    part of GATEWAY_LISTEN and binds 0.0.0.0; hypercorn honours 127.0.0.1.
#  * SERVICES=lambda,iam,sts, DNS_ADDRESS=0, DISABLE_EVENTS=1, telemetry off,
#    SKIP_SSL_CERT_DOWNLOAD=1: start only what the tests need, no DNS server, no
#    phoning home (without the last one it tries to fetch a TLS certificate from
#    api.localstack.cloud at every start).
#  * EAGER_SERVICE_LOADING=1, and "ready" means the health endpoint says
#    "lambda": "running": otherwise the Lambda provider is loaded by the first
#    request, which then takes 2-10 s (more than a client's time-out on a busy
#    machine) and makes the first case of a run flaky.
#  * XDG_CACHE_HOME/TMPDIR under the data dir: the plugin entry-point cache and
#    temp files stay out of ~/.cache and /tmp.
#  * Without docker, CreateFunction succeeds but the function ends in
#    State=Failed (the Lambda runtime cannot be fetched). The control plane -
#    versions, aliases, Add/Get/RemovePermission - still works. DeleteFunction
#    of such a function answers 500 InternalError, so for fresh state restart
#    LocalStack (stop + start takes a few seconds).
#  * Stop: SIGTERM normally ends it in about a second, but it sometimes hangs in
#    "[shutdown] Stopping all services" with the port already closed; hence the
#    short grace period before SIGKILL.
#  * Function zips are stored under /tmp/localstack-s3-storage, a path that is
#    hard-wired (not affected by TMPDIR or FILESYSTEM_ROOT). `stop` removes it.
set -euo pipefail

PROG="localstack.sh"
# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lib/targets.sh"

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD="${1:-}"
PORT="${2:-4566}"
[ $# -le 2 ] || usage
case "$CMD" in start | stop | status) ;; *) usage ;; esac
validate_port "$PORT"

DIR="$(targets_dir)"
VENV="$DIR/localstack-venv"
DATA="$DIR/localstack-$PORT"
PIDFILE="$DIR/run/localstack-$PORT.pid"
LOGFILE="$DIR/run/localstack-$PORT.log"
URL="http://127.0.0.1:$PORT"
SPEC="${ADDPERM_LOCALSTACK_SPEC:-localstack-core[runtime]==2026.3.0}"
CONSTRAINTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/constraints/localstack.txt"
START_TIMEOUT="${ADDPERM_START_TIMEOUT:-120}"
STOP_GRACE="${ADDPERM_STOP_GRACE:-5}"
validate_uint ADDPERM_START_TIMEOUT "$START_TIMEOUT"
validate_uint ADDPERM_STOP_GRACE "$STOP_GRACE"
S3_STORAGE="/tmp/localstack-s3-storage"
PATTERN="$VENV/bin/python -m localstack.runtime.main"

# Ready once the health endpoint says the (eagerly loaded) lambda service runs.
localstack_ready() {
  curl -s -m 2 "$URL/_localstack/health" 2>/dev/null | grep -q '"lambda": *"running"'
}

do_start() {
  local pid py
  require_cmd curl

  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")"; then
    wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" localstack_ready
    log "already running (pid $pid)"
    echo "$URL"
    return 0
  fi
  port_in_use "$PORT" && die "port $PORT is already in use by another process (not started by this script)"

  if ! py="$(find_python 3 12 ADDPERM_PYTHON LOCALSTACK_PYTHON)"; then
    die "LocalStack needs python >= 3.12 and none was found on PATH, in pyenv or via uv.
  Install one (e.g. 'pyenv install 3.12', 'uv python install 3.12', or your OS
  package python3.12) and/or point ADDPERM_PYTHON at it."
  fi
  ensure_venv "$VENV" "$py" "localstack.runtime.main, cbor2._decoder, service_identity, hypercorn" \
    "$SPEC" 'cbor2<6' 'pyopenssl>=25,<26' 'cryptography>=45.0.7,<47' service_identity -c "$CONSTRAINTS"

  # Fresh state on every start.
  rm -rf "$DATA"
  mkdir -p "$DATA/tmp" "$DATA/cache" "$DATA/fs"

  spawn_detached "$LOGFILE" env \
    OVERRIDE_IN_DOCKER=0 \
    GATEWAY_SERVER=hypercorn \
    GATEWAY_LISTEN="127.0.0.1:$PORT" \
    SERVICES=lambda,iam,sts \
    EAGER_SERVICE_LOADING=1 \
    SKIP_SSL_CERT_DOWNLOAD=1 \
    PERSISTENCE=0 \
    DNS_ADDRESS=0 \
    DISABLE_EVENTS=1 \
    LOCALSTACK_TELEMETRY_DISABLED=1 \
    DEBUG="${ADDPERM_LOCALSTACK_DEBUG:-0}" \
    FILESYSTEM_ROOT="$DATA/fs" \
    TMPDIR="$DATA/tmp" \
    XDG_CACHE_HOME="$DATA/cache" \
    "$VENV/bin/python" -m localstack.runtime.main
  pid="$SPAWNED_PID"
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" localstack_ready
  log "localstack-core $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("localstack-core"))') ready (pid $pid, log $LOGFILE)"
  echo "$URL"
}

do_stop() {
  stop_emulator "$PIDFILE" "$PATTERN" "$STOP_GRACE" "localstack on port $PORT"
  # Clean up what LocalStack leaves behind. The S3 store path is shared by all
  # LocalStack instances on the machine, so keep it while another one runs.
  rm -rf "$DATA"
  if ls "$DIR"/run/localstack-*.pid >/dev/null 2>&1; then
    log "another LocalStack pid file exists; leaving $S3_STORAGE in place"
  else
    rm -rf "$S3_STORAGE"
  fi
}

do_status() {
  local pid
  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")" && localstack_ready; then
    log "running (pid $pid)"
    echo "$URL"
    return 0
  fi
  log "not running on port $PORT"
  return 1
}

case "$CMD" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
esac
