# shellcheck shell=bash
# Shared helpers for scripts/moto.sh, scripts/localstack.sh, scripts/ministack.sh (and
# scripts/wheel-check.sh).
#
# This file is *sourced*, not executed. It defines functions only and changes
# no shell options itself (the callers run with `set -euo pipefail`).
#
# Layout of everything the target scripts create (nothing is written elsewhere,
# except LocalStack's hard-wired /tmp/localstack-s3-storage, see localstack.sh):
#
#   ${ADDPERM_TARGETS_DIR:-$HOME/.cache/addperm/targets}/
#     moto-venv/              virtualenv with moto[server]
#     localstack-venv/        virtualenv with localstack-core
#     ministack-venv/         virtualenv with ministack (and hypercorn)
#     maturin-venv/           virtualenv with maturin (scripts/wheel-check.sh)
#     run/<name>-<port>.pid   pid of the running emulator (also its process group)
#     run/<name>-<port>.log   its stdout/stderr
#     localstack-<port>/      LocalStack's FILESYSTEM_ROOT / TMPDIR / cache
#     ministack-<port>/       MiniStack's STATE_DIR / TMPDIR

# --- messages -----------------------------------------------------------------

# All diagnostics go to stderr so that stdout carries only the result (the URL).
log() { printf '%s: %s\n' "${PROG:-targets}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${PROG:-targets}" "$*" >&2; exit 1; }

# --- configuration --------------------------------------------------------------

targets_dir() {
  local d="${ADDPERM_TARGETS_DIR:-${HOME:?HOME is not set; set ADDPERM_TARGETS_DIR}/.cache/addperm/targets}"
  mkdir -p "$d/run" || die "cannot create $d/run"
  # Absolute path, so that pid/log paths printed to the user are unambiguous.
  (cd "$d" && pwd -P)
}

# validate_port PORT: a decimal TCP port, 1..65535.
validate_port() {
  case "$1" in
    '' | *[!0-9]*) die "invalid port '$1' (expected a number 1-65535)" ;;
  esac
  if [ "$1" -lt 1 ] || [ "$1" -gt 65535 ]; then
    die "invalid port '$1' (expected a number 1-65535)"
  fi
}

# validate_uint NAME VALUE: VALUE must be a whole number (used for timeouts).
validate_uint() {
  case "$2" in
    '' | *[!0-9]*) die "$1 must be a whole number of seconds, got '$2'" ;;
  esac
}

require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not on PATH${2:+ ($2)}"
}

# --- python discovery -----------------------------------------------------------

# python_at_least PY MAJOR MINOR: true if the interpreter PY runs and is >= MAJOR.MINOR.
# Running it (instead of `command -v`) matters with pyenv: its shims exist for
# every installed version but fail unless that version is activated.
python_at_least() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info >= ($2, $3) else 1)" >/dev/null 2>&1
}

# find_python MAJOR MINOR [ENV_VAR...]: print the path of a python >= MAJOR.MINOR.
# Order: the named env vars (first one set wins, and must qualify), then
# python3.14 .. python3.MINOR and python3 on PATH, then pyenv's installed
# versions (even when pyenv is not on PATH), then `uv python find`.
find_python() {
  local major="$1" minor="$2" var c v root
  shift 2
  for var in "$@"; do
    v="${!var:-}"
    if [ -n "$v" ]; then
      if ! python_at_least "$v" "$major" "$minor"; then
        log "$var=$v is not a working python >= $major.$minor"
        return 1
      fi
      command -v "$v"
      return 0
    fi
  done
  for v in 14 13 12 11 10 9; do
    [ "$v" -ge "$minor" ] || continue
    c="python$major.$v"
    if command -v "$c" >/dev/null 2>&1 && python_at_least "$c" "$major" "$minor"; then
      # Resolve a pyenv shim to the real interpreter so the venv does not
      # depend on the shim's activation state later.
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  if command -v python3 >/dev/null 2>&1 && python_at_least python3 "$major" "$minor"; then
    python3 -c 'import sys; print(sys.executable)'
    return 0
  fi
  root="${PYENV_ROOT:-}"
  [ -n "$root" ] || { command -v pyenv >/dev/null 2>&1 && root="$(pyenv root 2>/dev/null)"; } || true
  [ -n "$root" ] || root="$HOME/.pyenv"
  if [ -d "$root/versions" ]; then
    # Newest first; only plain CPython builds like 3.12.1 (skips e.g. pypy, -dev).
    for c in $(for d in "$root"/versions/*; do
                 n="${d##*/}"
                 [[ "$n" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && echo "$n"
               done | sort -t. -k1,1nr -k2,2nr -k3,3nr); do
      if [ -x "$root/versions/$c/bin/python3" ] && python_at_least "$root/versions/$c/bin/python3" "$major" "$minor"; then
        echo "$root/versions/$c/bin/python3"
        return 0
      fi
    done
  fi
  if command -v uv >/dev/null 2>&1; then
    c="$(uv python find ">=$major.$minor" 2>/dev/null || true)"
    if [ -n "$c" ] && python_at_least "$c" "$major" "$minor"; then
      echo "$c"
      return 0
    fi
  fi
  return 1
}

# --- virtualenv -------------------------------------------------------------------

# ensure_venv VENV PYTHON CHECK_IMPORTS PIP_ARGS...
# Creates VENV with PYTHON and pip-installs PIP_ARGS, unless it already exists,
# was built from the same PIP_ARGS (stamp file; for `-c FILE` the stamp holds
# FILE's name and checksum, so editing a constraints file reinstalls) and
# `import CHECK_IMPORTS` works.
# The stamp is written last, so an interrupted install is redone from scratch.
ensure_venv() {
  local venv="$1" py="$2" imports="$3" spec arg prev=""
  shift 3
  spec=""
  for arg in "$@"; do
    if [ "$prev" = "-c" ]; then
      [ -r "$arg" ] || die "constraints file $arg is missing"
      # Name and checksum, not the path: every checkout shares the venv.
      arg="${arg##*/}@$(cksum <"$arg" | cut -d' ' -f1)"
    fi
    spec="${spec:+$spec }$arg"
    prev="$arg"
  done
  if [ -x "$venv/bin/python" ] && [ -f "$venv/.addperm-spec" ] &&
     [ "$(cat "$venv/.addperm-spec")" = "$spec" ] &&
     "$venv/bin/python" -c "import $imports" >/dev/null 2>&1; then
    return 0
  fi
  log "installing into $venv (python: $py): $spec"
  rm -rf "$venv"
  "$py" -m venv "$venv" || die "'$py -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
  # Quiet pip, but keep its full output for post-mortems.
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q "$@" >"$venv.install.log" 2>&1; then
    tail -n 30 "$venv.install.log" >&2
    die "pip install failed (full log: $venv.install.log)"
  fi
  "$venv/bin/python" -c "import $imports" >/dev/null 2>&1 ||
    die "installed, but 'import $imports' fails in $venv (see $venv.install.log)"
  printf '%s\n' "$spec" >"$venv/.addperm-spec"
}

# --- processes ----------------------------------------------------------------------

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# pid_is PID PATTERN: PID is alive and its command line contains PATTERN.
# Protects against killing an unrelated process that reused a stale pid.
pid_is() {
  local args
  pid_alive "$1" || return 1
  if [ -r "/proc/$1/cmdline" ]; then
    args="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  else
    args="$(ps -o args= -p "$1" 2>/dev/null)" || return 1
  fi
  case "$args" in *"$2"*) return 0 ;; *) return 1 ;; esac
}

# read_pidfile FILE PATTERN: print the pid stored in FILE if it is our running
# emulator; remove FILE if it is stale. Returns 1 when nothing is running.
read_pidfile() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  if pid_is "$pid" "$2"; then
    echo "$pid"
    return 0
  fi
  log "removing stale pid file $1"
  rm -f "$1"
  return 1
}

# spawn_detached LOG CMD...: run CMD in the background, detached from this
# shell (own session/process group via setsid where available, immune to
# SIGHUP), output to LOG. Sets SPAWNED_PID.
spawn_detached() {
  local logf="$1"
  shift
  if command -v setsid >/dev/null 2>&1; then
    # In a non-interactive script a background job is not a process-group
    # leader, so setsid execs in place: $! is the emulator itself and also
    # the id of its new process group.
    nohup setsid "$@" </dev/null >"$logf" 2>&1 &
  else
    nohup "$@" </dev/null >"$logf" 2>&1 &
  fi
  # shellcheck disable=SC2034  # read by the sourcing script
  SPAWNED_PID=$!
}

# signal_tree SIG PID: signal PID's process group if PID leads one (so helper
# children die too), else PID alone.
signal_tree() {
  local pgid
  pgid="$(ps -o pgid= -p "$2" 2>/dev/null | tr -d ' ' || true)"
  if [ -n "$pgid" ] && [ "$pgid" = "$2" ]; then
    kill "-$1" -- "-$2" 2>/dev/null || true
  else
    kill "-$1" "$2" 2>/dev/null || true
  fi
}

# wait_gone PID SECONDS: wait up to SECONDS (whole seconds) for PID to exit.
# Returns 1 on time-out. Counts 0.1 s ticks: bash's $SECONDS is too coarse.
wait_gone() {
  local ticks=$(($2 * 10))
  while pid_alive "$1"; do
    [ "$ticks" -gt 0 ] || return 1
    ticks=$((ticks - 1))
    sleep 0.1
  done
}

# stop_emulator PIDFILE PATTERN GRACE_SECONDS NAME
# SIGTERM, wait GRACE_SECONDS, then SIGKILL; remove PIDFILE. Idempotent.
stop_emulator() {
  local pidfile="$1" pattern="$2" grace="$3" name="$4" pid
  if ! pid="$(read_pidfile "$pidfile" "$pattern")"; then
    log "$name is not running (no live pid in $pidfile)"
    return 0
  fi
  log "stopping $name (pid $pid)"
  signal_tree TERM "$pid"
  if ! wait_gone "$pid" "$grace"; then
    log "$name did not exit within ${grace}s after SIGTERM; sending SIGKILL"
    signal_tree KILL "$pid"
    wait_gone "$pid" 10 || die "$name (pid $pid) survived SIGKILL"
  fi
  rm -f "$pidfile"
  log "$name stopped"
}

# wait_ready PID SECONDS LOG CHECK_CMD...: poll CHECK_CMD until it succeeds.
# Fails early when PID dies (printing the log tail) or after SECONDS.
wait_ready() {
  local pid="$1" timeout="$2" logf="$3" deadline
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! pid_alive "$pid"; then
      tail -n 30 "$logf" >&2 || true
      die "the emulator exited during start-up (log: $logf)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$logf" >&2 || true
      signal_tree KILL "$pid"
      die "not ready after ${timeout}s; killed it (log: $logf)"
    fi
    sleep 0.2
  done
}
