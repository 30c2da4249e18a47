#!/usr/bin/env bash
# The Redmine plugin (www/integrations/redmine/sla_lens/) in the real local Redmine, on a port of
# its own, for the duration of one run:
#   scripts/redmine-plugin-test.sh run     install the archive (dist/sla_lens-redmine-plugin.tar.gz,
#                                          `make redmine-plugin`), start Redmine with it, seed it
#                                          if the seed is not in place, run
#                                          tests/redmine-plugin/*.test.mjs, and uninstall
#   scripts/redmine-plugin-test.sh bench   the same install, then bench/js/redmine-plugin.mjs
#   scripts/redmine-plugin-test.sh clean   uninstall only (what every run does first and last)
# Uninstalling leaves Redmine as it was: that server stopped, the plugin and its copied assets
# gone, its settings row deleted, the other settings and the admin account's
# must-change-password flag as they were. It runs on exit, failure, Ctrl-C and TERM, and again at
# the start of the next run (after a KILL). Hold /tmp/sla-lens-redmine.lock around it (the
# Makefile does): other suites start the same Redmine, which would load the plugin too.
# Environment: REDMINE_PLUGIN_PORT (default 3090).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${REDMINE_PLUGIN_PORT:-3090}
STATE=/tmp/sla-lens-redmine-plugin
SEED_STATE=${REDMINE_STATE:-/tmp/sla-lens-redmine}
BASE="http://127.0.0.1:$PORT"
RM_DIR=/usr/share/redmine
PLUGINS=$RM_DIR/plugins
ASSETS=$RM_DIR/public/plugin_assets/sla_lens
DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
ARCHIVE=dist/sla_lens-redmine-plugin.tar.gz
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
log() { printf '[redmine-plugin %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
sql() { $SUDO sqlite3 -cmd '.timeout 10000' "$DB" "$@"; }
rm_env() { env REDMINE_PORT="$PORT" REDMINE_STATE="$STATE" SLA_LENS_PLUGIN_RUN=1 "$@"; }

clean() {
  rm_env scripts/redmine.sh stop >/dev/null 2>&1 </dev/null || true
  if [ -L "$PLUGINS/sla_lens" ] || [ -e "$PLUGINS/sla_lens" ]; then $SUDO rm -rf "$PLUGINS/sla_lens"; fi
  if [ -f "$STATE/created-plugins-dir" ]; then $SUDO rmdir "$PLUGINS" 2>/dev/null || true; rm -f "$STATE/created-plugins-dir"; fi
  $SUDO rm -rf "$ASSETS"
  if [ -f "$DB" ]; then
    sql "DELETE FROM settings WHERE name = 'plugin_sla_lens';"
    # What the run changed, as it was before (saved by `install_plugin`).
    if [ -f "$STATE/saved.sql" ]; then sql <"$STATE/saved.sql"; rm -f "$STATE/saved.sql"; fi
  fi
  rm -rf "$STATE/plugin"
}

# The seed is in place when every seeded issue is there with its tag (as scripts/redmine-e2e.sh).
seeded() {
  [ -f "$SEED_STATE/setup.json" ] || return 1
  local key want got
  key=$(jq -r .api_key "$SEED_STATE/setup.json")
  want=$(jq -c '[.issues[] | {id, tag}]' tests/fixtures/redmine/seed.json)
  got=$(curl -fsS --max-time 10 -H "X-Redmine-API-Key: $key" "$BASE/issues.json?status_id=*&sort=id&limit=100" 2>/dev/null \
    | jq -c '[.issues[] | select(.subject | test("^\\[S[0-9]+ ")) | {id, tag: (.subject | capture("^\\[(?<t>[^\\]]+)\\]").t)}] | sort_by(.id)') || return 1
  [ "$want" = "$got" ]
}

install_plugin() {
  [ -f "$ARCHIVE" ] || { log "$ARCHIVE is missing: make redmine-plugin"; exit 1; }
  mkdir -p "$STATE/plugin"
  # Install as the README says: the archive's sla_lens/ in Redmine's plugins folder (here a
  # symlink to where it was unpacked, so removing it is one unlink), and the assets copied to
  # public/plugin_assets/sla_lens/ as root (Debian's package keeps that folder root's: Redmine's
  # own copy at boot, as www-data, does not happen, and the assets would answer 404).
  tar -xzf "$ARCHIVE" -C "$STATE/plugin"
  chmod -R a+rX "$STATE"
  if [ ! -d "$PLUGINS" ]; then $SUDO mkdir "$PLUGINS"; touch "$STATE/created-plugins-dir"; fi
  $SUDO ln -sfn "$STATE/plugin/sla_lens" "$PLUGINS/sla_lens"
  $SUDO mkdir -p "$(dirname "$ASSETS")"
  $SUDO cp -r "$STATE/plugin/sla_lens/assets" "$ASSETS"
  local t0=$SECONDS
  rm_env scripts/redmine.sh start >"$STATE/start.log" 2>&1 </dev/null || { cat "$STATE/start.log" >&2; exit 1; }
  log "Redmine with the plugin on $BASE (start $((SECONDS - t0)) s)"
  if seeded; then log "seed in place"; else
    log "seeding"
    REDMINE_PORT="$PORT" REDMINE_STATE="$SEED_STATE" scripts/redmine.sh seed >"$STATE/seed.log" 2>&1 </dev/null || { cat "$STATE/seed.log" >&2; exit 1; }
  fi
  # Restored by `clean`: the settings table as it is now, seeded (the test turns the REST API off and on
  # through the settings page, which also writes the other API setting), and the admin's
  # must-change-password flag (the test signs in as admin/admin, which Debian's package leaves
  # flagged). The REST row's time is renewed so that a running Redmine drops its cached value.
  {
    echo "BEGIN; DELETE FROM settings;"
    sql "SELECT 'INSERT INTO settings (id, name, value, updated_on) VALUES (' || quote(id) || ', ' || quote(name) || ', ' || quote(value) || ', ' || quote(updated_on) || ');' FROM settings WHERE name != 'plugin_sla_lens' ORDER BY id;"
    echo "UPDATE settings SET updated_on = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE name = 'rest_api_enabled';"
    sql "SELECT 'UPDATE users SET must_change_passwd = ' || must_change_passwd || ' WHERE login = ''admin'';' FROM users WHERE login = 'admin';"
    echo "COMMIT;"
  } >"$STATE/saved.sql"
  sql "UPDATE users SET must_change_passwd = 0 WHERE login = 'admin';"
}

prepare() {
  scripts/redmine.sh install
  mkdir -p "$STATE"
  clean
  trap 'clean; log "uninstalled"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  install_plugin
}

case "${1:-}" in
  run)
    prepare
    REDMINE_URL="$BASE" REDMINE_SETUP="$SEED_STATE/setup.json" REDMINE_PLUGIN_DIR="$STATE/plugin/sla_lens" \
      node --test --test-concurrency=1 tests/redmine-plugin/
    ;;
  bench)
    prepare
    REDMINE_URL="$BASE" REDMINE_SETUP="$SEED_STATE/setup.json" node bench/js/redmine-plugin.mjs
    ;;
  clean) mkdir -p "$STATE"; clean; log "uninstalled" ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
