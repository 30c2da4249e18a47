#!/usr/bin/env bash
# A real local Redmine (Debian 12 packages, SQLite, puma on 127.0.0.1) for sla-lens's fixtures
# and end-to-end tests.
#   scripts/redmine.sh install   apt-get install redmine + redmine-sqlite + puma (idempotent, ~1 min)
#   scripts/redmine.sh start     run puma as www-data on 127.0.0.1:$REDMINE_PORT, wait until ready
#   scripts/redmine.sh stop      stop that puma (and wait until it is gone)
#   scripts/redmine.sh seed      enable REST, create users/group/trackers/priorities/statuses,
#                                seed issues over REST, backdate them with sqlite3
#   scripts/redmine.sh record    save the REST responses into tests/fixtures/redmine/
#   scripts/redmine.sh all       install, start, seed, record, stop
# Environment: REDMINE_PORT (default 3088), REDMINE_STATE (default /tmp/sla-lens-redmine),
# REDMINE_FIXTURES (where `record` writes; default tests/fixtures/redmine), REDMINE_SMTP_PORT
# (default 3025: where Redmine delivers its mail, over SMTP to 127.0.0.1 — the escalation test's
# sink, scripts/sinks.sh; with nothing listening there, mail fails in Redmine's log, harmlessly).
# Re-seeding deletes and recreates the seeded projects. Issue ids come out the same (SQLite reuses
# the freed ids), project and category ids do not; the tests key on the tag each subject starts
# with, not on ids.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${REDMINE_PORT:-3088}
STATE=${REDMINE_STATE:-/tmp/sla-lens-redmine}
RM_DIR=/usr/share/redmine
DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
BASE="http://127.0.0.1:$PORT"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
# Run as www-data (Redmine's files and database belong to it).
if [ "$(id -u)" -eq 0 ]; then AS_WWW=(runuser -u www-data --); else AS_WWW=(sudo -u www-data); fi

log() { printf '[redmine %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

install() {
  if dpkg -s redmine redmine-sqlite puma >/dev/null 2>&1; then log "already installed"; return 0; fi
  local t0=$SECONDS
  cat <<'SEL' | $SUDO debconf-set-selections
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/db/basepath string /var/lib/dbconfig-common/sqlite3/redmine/instances/default
redmine redmine/instances/default/db/dbname string redmine_default
SEL
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    redmine redmine-sqlite puma sqlite3 curl jq >/dev/null
  log "installed in $((SECONDS - t0)) s"
}

# The wrapper Gemfile: Redmine's own plus puma (Debian's Redmine Gemfile does not list it).
wrapper_gemfile() {
  mkdir -p "$STATE"
  cat >"$STATE/Gemfile" <<GEM
eval_gemfile '$RM_DIR/Gemfile'
gem 'puma'
GEM
  # Bundler writes a lock file beside the Gemfile: let www-data own the folder.
  chown -R www-data:www-data "$STATE"
}

as_www() {
  (cd "$RM_DIR" && "${AS_WWW[@]}" env HOME="$STATE" BUNDLE_GEMFILE="$STATE/Gemfile" \
    RAILS_ENV=production REDMINE_INSTANCE=default "$@")
}

rails_runner() { as_www ruby -rbundler/setup bin/rails runner "$@"; }

# Runs one of the checkout's Ruby scripts through `rails runner` as www-data. The checkout may
# sit where www-data cannot read (a clone under /root, or a Debian 12 home, which is 0700), and
# `rails runner PATH` takes a PATH it cannot read for Ruby code ("unknown regexp options"): so
# the script is handed over as a copy in $STATE, a folder www-data owns, and checked first.
rails_runner_script() {
  local src=$1 copy
  shift
  wrapper_gemfile
  copy="$STATE/runner-$(basename "$src")"
  cp "$src" "$copy"  # (not install(1): `install` is this script's apt step)
  chmod 0644 "$copy"
  if ! "${AS_WWW[@]}" test -r "$copy"; then
    log "www-data cannot read $copy: REDMINE_STATE ($STATE) must be in a folder other users can enter"
    return 1
  fi
  rails_runner "$copy" "$@"
}

# Redmine's mail (Debian reads /etc/redmine/<instance>/configuration.yml, ERB first): SMTP to
# 127.0.0.1:$REDMINE_SMTP_PORT, read at boot. Written only if absent or written by this script,
# so an admin's own file is left alone. Nothing of the checkout is read by www-data.
CONF=/etc/redmine/default/configuration.yml
mail_config() {
  local tmp
  if [ -f "$CONF" ] && ! grep -q '^# sla-lens test Redmine' "$CONF"; then
    log "keeping $CONF (not written by this script): Redmine's mail goes where it says"; return 0
  fi
  tmp=$(mktemp)
  cat >"$tmp" <<'YML'
# sla-lens test Redmine (scripts/redmine.sh writes this file): mail over SMTP to the local sink.
default:
  email_delivery:
    delivery_method: :smtp
    smtp_settings:
      address: "127.0.0.1"
      port: <%= ENV.fetch('REDMINE_SMTP_PORT', '3025').to_i %>
      domain: "redmine.localhost"
      enable_starttls_auto: false
      open_timeout: 5
      read_timeout: 5
YML
  if ! cmp -s "$tmp" "$CONF" 2>/dev/null; then
    $SUDO cp "$tmp" "$CONF" && $SUDO chmod 0644 "$CONF"  # (cp: `install` is this script's apt step)
  fi
  rm -f "$tmp"
}

start() {
  if [ -f "$STATE/puma.pid" ] && kill -0 "$(cat "$STATE/puma.pid")" 2>/dev/null; then
    log "already running (pid $(cat "$STATE/puma.pid")) on $BASE"; return 0
  fi
  # A plugin test killed before its own cleanup leaves the sla_lens plugin linked in: remove it
  # (and its settings) so that no other suite sees plugin badges.
  if [ -L "$RM_DIR/plugins/sla_lens" ] && [ -z "${SLA_LENS_PLUGIN_RUN:-}" ]; then
    log "removing a plugin left by an interrupted plugin test"
    scripts/redmine-plugin-test.sh clean
  fi
  wrapper_gemfile
  mail_config
  local t0=$SECONDS
  # setsid: puma gets its own session, so `stop` can end it (and only it) by its pid.
  (cd "$RM_DIR" && setsid "${AS_WWW[@]}" env HOME="$STATE" BUNDLE_GEMFILE="$STATE/Gemfile" \
    RAILS_ENV=production REDMINE_INSTANCE=default REDMINE_SMTP_PORT="${REDMINE_SMTP_PORT:-3025}" \
    ruby -rbundler/setup /usr/bin/puma -b "tcp://127.0.0.1:$PORT" -e production \
    --pidfile "$STATE/puma.pid" config.ru >"$STATE/puma.log" 2>&1 &)
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$BASE/login" 2>/dev/null; then
      log "ready on $BASE in $((SECONDS - t0)) s (pid $(cat "$STATE/puma.pid" 2>/dev/null))"; return 0
    fi
    if [ -f "$STATE/puma.pid" ] && ! kill -0 "$(cat "$STATE/puma.pid")" 2>/dev/null; then
      log "puma exited; see $STATE/puma.log"; tail -20 "$STATE/puma.log" >&2; return 1
    fi
    sleep 1
  done
  log "puma did not answer within 120 s; see $STATE/puma.log"; tail -20 "$STATE/puma.log" >&2; return 1
}

stop() {
  local pid
  if [ ! -f "$STATE/puma.pid" ]; then log "not running"; return 0; fi
  pid=$(cat "$STATE/puma.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "puma $pid ignored TERM; sending KILL"; kill -KILL "$pid"; fi
  fi
  rm -f "$STATE/puma.pid"
  if curl -fsS -o /dev/null --max-time 2 "$BASE/login" 2>/dev/null; then
    log "something still answers on $BASE"; return 1
  fi
  log "stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  seed) . scripts/redmine/seed.sh; seed ;;
  record) . scripts/redmine/record.sh; record ;;
  all) install; start; . scripts/redmine/seed.sh; seed; . scripts/redmine/record.sh; record; stop ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
