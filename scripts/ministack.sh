#!/usr/bin/env bash
# Run MiniStack (PyPI `ministack`, a pure-Python AWS emulator, MIT) as an AddPermission target.
#
# Usage:
#   scripts/ministack.sh start  [PORT]   install if needed, start, wait, print base URL
#   scripts/ministack.sh stop   [PORT]   SIGTERM, SIGKILL after a grace period, clean up
#   scripts/ministack.sh status [PORT]   print the base URL if running (exit 0), else exit 1
#   scripts/ministack.sh reset  [PORT]   wipe all of MiniStack's state (no restart)
# PORT defaults to 4567. The server binds 127.0.0.1 only.
#
# `start` is idempotent: if our MiniStack already runs on PORT it just prints the URL.
# It refuses to start when some *other* process listens on PORT.
#
# Environment:
#   ADDPERM_TARGETS_DIR    where venvs, pid and log files live
#                          (default: $HOME/.cache/addperm/targets)
#   ADDPERM_PYTHON         interpreter for the venv (default: first python >= 3.10 found)
#   ADDPERM_MINISTACK_SPEC pip requirement (default: 'ministack==1.5.33', installed with
#                          the pins of scripts/constraints/ministack.txt, the versions
#                          conformance/baselines/ministack.json was recorded with)
#   ADDPERM_START_TIMEOUT  seconds to wait for readiness (default: 30)
#   ADDPERM_STOP_GRACE     seconds between SIGTERM and SIGKILL (default: 10)
#
# Needs: bash, curl, python3 (>= 3.10) with the venv module, and access to PyPI
# for the first start.
#
# Talking to MiniStack (facts observed with ministack 1.5.33):
#   * The `ministack` command binds every interface (BIND_HOST defaults to
#     0.0.0.0). This script never uses it: it runs the ASGI app under hypercorn
#     bound to 127.0.0.1, with GATEWAY_PORT telling the app its own port.
#   * SERVICES=lambda,iam,sts loads only those (other paths answer 400
#     "Unsupported service"); SFTP_ENABLED=0 and IOT_MTLS_ENABLED=0 keep the
#     Transfer SFTP and IoT MQTT listeners (which bind 0.0.0.0) from starting;
#     PERSIST_STATE=0, and STATE_DIR/TMPDIR point under ADDPERM_TARGETS_DIR so
#     nothing lands in /tmp.
#   * Ready: GET /_ministack/health answers {"services": {"lambda": "available", ...}}.
#   * Requests are routed by the SigV4 credential scope (like moto); the account
#     is the credential's access key when it is 12 digits (addperm's fake
#     signature uses 123456789012), else 000000000000. No signature is checked.
#   * CreateFunction needs no IAM role (nothing is seeded). A new function is
#     `State: Pending` for a fixed 0.5 s (so is an updated one, `LastUpdateStatus:
#     InProgress`): addperm's runner waits before PublishVersion, which makes a
#     case with versions take about a second.
#   * Reset all state without a restart: POST <URL>/_ministack/reset (`reset`).
set -euo pipefail

PROG="ministack.sh"
# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lib/targets.sh"

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD="${1:-}"
PORT="${2:-4567}"
[ $# -le 2 ] || usage
case "$CMD" in start | stop | status | reset) ;; -h | --help | *) usage ;; esac
validate_port "$PORT"

DIR="$(targets_dir)"
VENV="$DIR/ministack-venv"
DATA="$DIR/ministack-$PORT"
PIDFILE="$DIR/run/ministack-$PORT.pid"
LOGFILE="$DIR/run/ministack-$PORT.log"
URL="http://127.0.0.1:$PORT"
SPEC="${ADDPERM_MINISTACK_SPEC:-ministack==1.5.33}"
CONSTRAINTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/constraints/ministack.txt"
START_TIMEOUT="${ADDPERM_START_TIMEOUT:-30}"
STOP_GRACE="${ADDPERM_STOP_GRACE:-10}"
validate_uint ADDPERM_START_TIMEOUT "$START_TIMEOUT"
validate_uint ADDPERM_STOP_GRACE "$STOP_GRACE"
# The server, and what its command line (as /proc shows it) is recognised by.
SERVER=("$VENV/bin/python" -m hypercorn ministack.app:app --bind "127.0.0.1:$PORT")
PATTERN="${SERVER[*]}"

ministack_ready() {
  curl -s -m 2 "$URL/_ministack/health" 2>/dev/null | grep -q '"lambda": *"available"'
}

do_start() {
  local pid py
  require_cmd curl

  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")"; then
    wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" ministack_ready
    log "already running (pid $pid)"
    echo "$URL"
    return 0
  fi
  port_in_use "$PORT" && die "port $PORT is already in use by another process (not started by this script)"

  py="$(find_python 3 10 ADDPERM_PYTHON)" ||
    die "no python >= 3.10 found (set ADDPERM_PYTHON=/path/to/python3)"
  ensure_venv "$VENV" "$py" "ministack.app, hypercorn" "$SPEC" -c "$CONSTRAINTS"

  # Fresh state on every start.
  rm -rf "$DATA"
  mkdir -p "$DATA/tmp" "$DATA/state"

  spawn_detached "$LOGFILE" env \
    GATEWAY_PORT="$PORT" \
    SERVICES=lambda,iam,sts \
    SFTP_ENABLED=0 \
    IOT_MTLS_ENABLED=0 \
    PERSIST_STATE=0 \
    STATE_DIR="$DATA/state" \
    TMPDIR="$DATA/tmp" \
    "${SERVER[@]}"
  pid="$SPAWNED_PID"
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" ministack_ready
  log "ministack $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("ministack"))') ready (pid $pid, log $LOGFILE)"
  echo "$URL"
}

do_stop() {
  stop_emulator "$PIDFILE" "$PATTERN" "$STOP_GRACE" "ministack on port $PORT"
  rm -rf "$DATA"
}

do_status() {
  local pid
  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")" && ministack_ready; then
    log "running (pid $pid)"
    echo "$URL"
    return 0
  fi
  log "not running on port $PORT"
  return 1
}

do_reset() {
  read_pidfile "$PIDFILE" "$PATTERN" >/dev/null || die "ministack is not running on port $PORT (start it first)"
  [ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$URL/_ministack/reset" || true)" = 200 ] ||
    die "POST $URL/_ministack/reset failed"
  log "reset ministack on port $PORT"
}

case "$CMD" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  reset) do_reset ;;
esac
