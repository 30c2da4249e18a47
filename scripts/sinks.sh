#!/usr/bin/env bash
# Starts and stops scripts/sinks.py (an SMTP and a webhook sink on 127.0.0.1) for the tests.
#   scripts/sinks.sh start DIR [SMTP_PORT [HTTP_PORT]]   start in the background (0 or nothing: a
#                       free port), wait until both listen, print DIR/ports.json ({pid, smtp, http})
#   scripts/sinks.sh stop DIR                            stop it (TERM, then KILL after 5 s)
#   scripts/sinks.sh python                              the venv's python (aiosmtpd in it)
# The venv is the one `scripts/setup.sh mail` makes: SLA_LENS_MAIL_VENV, else
# /var/cache/sla-lens/mail-venv when that is writable (root), else
# ${XDG_CACHE_HOME:-~/.cache}/sla-lens/mail-venv — outside the checkout, so a clone anywhere works.
set -euo pipefail
cd "$(dirname "$0")/.."

mail_venv() {  # the same choice as scripts/setup.sh's
  if [ -n "${SLA_LENS_MAIL_VENV:-}" ]; then echo "$SLA_LENS_MAIL_VENV"
  elif mkdir -p /var/cache/sla-lens 2>/dev/null && [ -w /var/cache/sla-lens ]; then echo /var/cache/sla-lens/mail-venv
  else echo "${XDG_CACHE_HOME:-$HOME/.cache}/sla-lens/mail-venv"; fi
}

start() {
  local dir=$1 py pid
  py="$(mail_venv)/bin/python"
  if ! { [ -x "$py" ] && "$py" -c 'import aiosmtpd' 2>/dev/null; }; then
    echo "sinks: no aiosmtpd venv at $(mail_venv): run scripts/setup.sh mail" >&2; return 1
  fi
  mkdir -p "$dir"
  rm -f "$dir/ports.json"
  # setsid: its own session, so that stop ends it (and only it) by its pid; output to a file, not
  # the caller's pipe.
  setsid "$py" scripts/sinks.py --dir "$dir" --smtp-port "${2:-0}" --http-port "${3:-0}" \
    >"$dir/sinks.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/sinks.pid"
  for _ in $(seq 1 100); do
    if [ -s "$dir/ports.json" ]; then cat "$dir/ports.json"; echo; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "sinks: exited; $dir/sinks.log:" >&2; cat "$dir/sinks.log" >&2; return 1; fi
    sleep 0.1
  done
  echo "sinks: not ready within 10 s" >&2; kill "$pid" 2>/dev/null || true; return 1
}

stop() {
  local dir=$1 pid
  [ -f "$dir/sinks.pid" ] || return 0
  pid=$(cat "$dir/sinks.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$dir/sinks.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop "$2" ;;
  python) echo "$(mail_venv)/bin/python" ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
