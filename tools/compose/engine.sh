#!/usr/bin/env bash
# tools/compose/engine.sh — make sure a Docker engine answers `docker info`, and that
# docker-compose (v1) is installed. Idempotent; exits non-zero on any failure.
#
#   - Engine already answers: prints "docker engine: already running ..." and exits 0
#     (starts nothing, so there is nothing for the caller to stop).
#   - Otherwise (as root): installs docker.io docker-compose debootstrap with apt-get if dockerd or
#     the docker CLI is missing, then starts dockerd in the background (setsid + nohup, so it
#     outlives this script), logging to $SSO_DOCKERD_LOG (default /var/log/sso-dockerd.log).
#
# STOPPING WHAT THIS SCRIPT STARTED: if it started dockerd, it prints
#     docker engine: started dockerd (pid N, pid file /run/sso-dockerd.pid, log ...)
# and the pid is in $SSO_DOCKERD_PIDFILE (default /run/sso-dockerd.pid). Stop exactly that daemon with
#     kill "$(cat /run/sso-dockerd.pid)" && rm -f /run/sso-dockerd.pid
# (SIGTERM; dockerd then stops its containers and the containerd it spawned itself).
# The pid file is only ever written for a daemon this script started.
#
# Environment: SSO_DOCKERD_PIDFILE, SSO_DOCKERD_LOG, SSO_DOCKERD_WAIT (seconds, default 60),
#              SSO_DOCKERD_ARGS (extra dockerd flags, word-split).
set -euo pipefail

PIDFILE=${SSO_DOCKERD_PIDFILE:-/run/sso-dockerd.pid}
LOG=${SSO_DOCKERD_LOG:-/var/log/sso-dockerd.log}
WAIT=${SSO_DOCKERD_WAIT:-60}

say() { printf '%s\n' "engine.sh: $*"; }
die() { printf '%s\n' "engine.sh: ERROR: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 needs root (run as root or with sudo)."
}

apt_install() {
  need_root "installing $*"
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand."
  say "installing $* with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

engine_answers() {
  command -v docker >/dev/null 2>&1 || return 1
  timeout 15 docker info >/dev/null 2>&1
}

ensure_compose() {
  if docker compose version >/dev/null 2>&1; then
    say "docker compose (v2) $(docker compose version --short 2>/dev/null)"
    return 0
  fi
  if ! command -v docker-compose >/dev/null 2>&1; then
    apt_install docker-compose
  fi
  local v
  v=$(docker-compose version --short 2>/dev/null) || die "docker-compose is installed but does not run: $(docker-compose version 2>&1 | tail -n 3)"
  say "docker-compose $v at $(command -v docker-compose)"
}

pid_is_dockerd() { # pid   (/proc/PID/comm is readable by anyone)
  [ -n "${1:-}" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null || true)" = dockerd ]
}

wait_for_engine() { # pid
  local pid=$1 i
  for ((i = 0; i < WAIT; i++)); do
    engine_answers && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
if engine_answers; then
  say "docker engine: already running (server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')); did not start dockerd"
  ensure_compose
  exit 0
fi
if command -v docker >/dev/null 2>&1 && [[ "$(timeout 15 docker info 2>&1 || true)" == *"permission denied"* ]]; then
  die "a docker engine runs but this user may not use its socket (permission denied): run as root or join the docker group."
fi

DOCKERD=$(command -v dockerd || true)
[ -n "$DOCKERD" ] || DOCKERD=/usr/sbin/dockerd
if [ ! -x "$DOCKERD" ] || ! command -v docker >/dev/null 2>&1; then
  apt_install docker.io docker-compose debootstrap
  DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
  [ -x "$DOCKERD" ] || die "dockerd still missing after installing docker.io"
fi
ensure_compose

# A daemon this script started earlier may still be coming up: wait for it instead of starting a second.
if [ -f "$PIDFILE" ]; then
  oldpid=$(cat "$PIDFILE" 2>/dev/null || true)
  if pid_is_dockerd "$oldpid"; then
    say "dockerd pid $oldpid (from $PIDFILE) is running but not answering yet; waiting up to ${WAIT}s ..."
    if wait_for_engine "$oldpid"; then
      say "docker engine: already running (dockerd pid $oldpid started earlier by this script, pid file $PIDFILE); did not start dockerd"
      exit 0
    fi
    die "dockerd pid $oldpid does not answer 'docker info' after ${WAIT}s. Last lines of $LOG:
$(tail -n 20 "$LOG" 2>/dev/null)"
  fi
  need_root "removing the stale pid file $PIDFILE and starting dockerd"
  rm -f "$PIDFILE"
fi

# Some other dockerd (not ours) running but not answering: do not start a competing one.
if other=$(pgrep -x dockerd 2>/dev/null | head -n 1) && [ -n "$other" ]; then
  die "a dockerd (pid $other) not started by this script is running but 'docker info' fails; fix or stop it first."
fi

need_root "starting dockerd"
mkdir -p "$(dirname "$LOG")" "$(dirname "$PIDFILE")"
printf '\n==== %s engine.sh starting %s ====\n' "$(date -Is)" "$DOCKERD" >>"$LOG"
# shellcheck disable=SC2086
setsid nohup "$DOCKERD" ${SSO_DOCKERD_ARGS:-} >>"$LOG" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$PIDFILE"

if ! wait_for_engine "$pid"; then
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    sleep 2
  fi
  rm -f "$PIDFILE"
  die "dockerd (pid $pid) did not answer 'docker info' within ${WAIT}s. Last lines of $LOG:
$(tail -n 20 "$LOG")"
fi
say "docker engine: started dockerd (pid $pid, pid file $PIDFILE, log $LOG, server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')); stop it with: kill \"\$(cat $PIDFILE)\""
