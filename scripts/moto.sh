#!/usr/bin/env bash
# Run moto's standalone server (moto 5.x) as an AddPermission target.
#
# Usage:
#   scripts/moto.sh start  [PORT]   install if needed, start, wait, print base URL
#   scripts/moto.sh stop   [PORT]   SIGTERM, SIGKILL after a grace period, clean up
#   scripts/moto.sh status [PORT]   print the base URL if running (exit 0), else exit 1
#   scripts/moto.sh reset  [PORT]   wipe all of moto's state, then seed it again
# PORT defaults to 5055. The server binds 127.0.0.1 only.
#
# `start` is idempotent: if our moto already runs on PORT it just prints the URL.
# It refuses to start when some *other* process listens on PORT.
#
# Environment:
#   ADDPERM_TARGETS_DIR   where venvs, pid and log files live
#                         (default: $HOME/.cache/addperm/targets)
#   ADDPERM_PYTHON        interpreter for the venv (default: first python >= 3.9 found)
#   ADDPERM_MOTO_SPEC     pip requirement (default: 'moto[server]==5.2.5', installed
#                         with the pins of scripts/constraints/moto.txt, the versions
#                         conformance/baselines/moto.json was recorded with)
#   ADDPERM_START_TIMEOUT seconds to wait for readiness (default: 30)
#   ADDPERM_STOP_GRACE    seconds between SIGTERM and SIGKILL (default: 10)
#
# Needs: bash, curl, python3 (>= 3.9) with the venv module, and access to PyPI
# for the first start.
#
# Talking to moto (facts observed with moto 5.2.x; see the notes in the repo
# history / docs for details):
#   * moto routes a request to a service by the SigV4 credential scope in the
#     Authorization header ("Credential=<key>/<date>/<region>/lambda/aws4_request").
#     The signature is never verified, so any well-formed header works. Without
#     it, POST /2015-03-31/functions/... is routed to S3 and fails.
#   * region = the credential scope's region; account = 123456789012 unless
#     the server runs with MOTO_ACCOUNT_ID or the request has x-moto-account-id.
#   * Reset all state without a restart: `moto.sh reset` (POST <URL>/moto-api/reset,
#     then the seeding below again).
#
# Seeding: moto checks that the Role of a CreateFunction exists in its IAM (400
# InvalidParameterValueException "The role defined for the function cannot be
# assumed by Lambda." otherwise). addperm's CreateFunction names the role
# arn:aws:iam::<account>:role/addperm-fixture-role (HttpOptions::role), so
# `start` and `reset` create that role (IAM CreateRole; EntityAlreadyExists is
# fine), exactly what `addperm check --create-role` does through moto's IAM API.
# The script keeps its own seeding so that a started moto is ready for any tool,
# and needs no addperm build. It is the only thing seeded: every function,
# version, alias and permission a case needs is created by addperm's runner
# through the Lambda API. (--create-role is refused with --sign: addperm never
# creates IAM roles in a real account.)
set -euo pipefail

PROG="moto.sh"
# shellcheck source-path=SCRIPTDIR source=lib/targets.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lib/targets.sh"

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD="${1:-}"
PORT="${2:-5055}"
[ $# -le 2 ] || usage
case "$CMD" in start | stop | status | reset) ;; *) usage ;; esac
validate_port "$PORT"

DIR="$(targets_dir)"
VENV="$DIR/moto-venv"
PIDFILE="$DIR/run/moto-$PORT.pid"
LOGFILE="$DIR/run/moto-$PORT.log"
URL="http://127.0.0.1:$PORT"
SPEC="${ADDPERM_MOTO_SPEC:-moto[server]==5.2.5}"
CONSTRAINTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/constraints/moto.txt"
START_TIMEOUT="${ADDPERM_START_TIMEOUT:-30}"
STOP_GRACE="${ADDPERM_STOP_GRACE:-10}"
validate_uint ADDPERM_START_TIMEOUT "$START_TIMEOUT"
validate_uint ADDPERM_STOP_GRACE "$STOP_GRACE"
# Our process is "<venv>/bin/python <venv>/bin/moto_server ..." : match on that.
PATTERN="$VENV/bin/moto_server"

# moto answers GET /moto-api/ (its dashboard) with 200 once it serves requests.
moto_ready() {
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$URL/moto-api/" 2>/dev/null)" = 200 ]
}

# The role of addperm's CreateFunction (wire::FIXTURE_ROLE, in the default account).
# Account 123456789012 is moto's default account, which is also addperm's default
# ${ACCOUNT}.
ROLE_NAME="addperm-fixture-role"
ROLE_TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'

# seed_role: create ROLE_NAME in moto's IAM; an existing one is kept.
seed_role() {
  local out code
  out="$(mktemp)"
  code="$(curl -s -m 10 -o "$out" -w '%{http_code}' -X POST "$URL/" \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=123456789012/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' \
    --data-urlencode Action=CreateRole --data-urlencode Version=2010-05-08 \
    --data-urlencode "RoleName=$ROLE_NAME" --data-urlencode "AssumeRolePolicyDocument=$ROLE_TRUST" || true)"
  case "$code" in
    200) log "created IAM role $ROLE_NAME" ;;
    409) ;; # EntityAlreadyExists: seeded before
    *)
      head -c 500 "$out" >&2 || true
      rm -f "$out"
      die "IAM CreateRole $ROLE_NAME on $URL answered HTTP ${code:-nothing}"
      ;;
  esac
  rm -f "$out"
}

do_start() {
  local pid py
  require_cmd curl

  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")"; then
    wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" moto_ready
    seed_role
    log "already running (pid $pid)"
    echo "$URL"
    return 0
  fi
  port_in_use "$PORT" && die "port $PORT is already in use by another process (not started by this script)"

  py="$(find_python 3 9 ADDPERM_PYTHON)" ||
    die "no python >= 3.9 found (set ADDPERM_PYTHON=/path/to/python3)"
  ensure_venv "$VENV" "$py" "moto.server, flask" "$SPEC" -c "$CONSTRAINTS"
  [ -x "$VENV/bin/moto_server" ] || die "$VENV/bin/moto_server missing after install"

  spawn_detached "$LOGFILE" "$VENV/bin/python" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT"
  pid="$SPAWNED_PID"
  echo "$pid" >"$PIDFILE"
  wait_ready "$pid" "$START_TIMEOUT" "$LOGFILE" moto_ready
  seed_role
  log "moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)') ready (pid $pid, log $LOGFILE)"
  echo "$URL"
}

do_status() {
  local pid
  if pid="$(read_pidfile "$PIDFILE" "$PATTERN")" && moto_ready; then
    log "running (pid $pid)"
    echo "$URL"
    return 0
  fi
  log "not running on port $PORT"
  return 1
}

do_reset() {
  read_pidfile "$PIDFILE" "$PATTERN" >/dev/null || die "moto is not running on port $PORT (start it first)"
  [ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$URL/moto-api/reset" || true)" = 200 ] ||
    die "POST $URL/moto-api/reset failed"
  seed_role
  log "reset moto on port $PORT"
}

case "$CMD" in
  start) do_start ;;
  reset) do_reset ;;
  stop) stop_emulator "$PIDFILE" "$PATTERN" "$STOP_GRACE" "moto on port $PORT" ;;
  status) do_status ;;
esac
