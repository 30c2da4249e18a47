#!/bin/bash
# make test-rt-page: the RT extension (www/integrations/rt/, built by scripts/build-rt-extension.sh)
# installed into the real Request Tracker 5 of make test-rt, seeded (scripts/rt/seed.pl), its REST
# 2 answers recorded for the CLI, then tests/e2e/rt-page.live.mjs in headless Chromium: badges on
# a ticket page and a search page equal `sla-lens eval --tracker rt`; faults give grey badges.
# RT listens on 127.0.0.1:$RT_INNER_PORT (3097) behind the test's proxy on 3099 (RT's
# $WebBaseURL), which makes answers fail on demand. The extension, its config and RT are removed
# and stopped at the end. Root (apt, www-data); the Makefile holds /tmp/sla-lens-rt.lock and
# /tmp/sla-lens-browser.lock for the whole run.
set -euo pipefail
cd "$(dirname "$0")/../.."
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
export RT_STATE=$STATE
export RT_PORT=${RT_INNER_PORT:-3097}
PLUGINS=/usr/local/share/request-tracker5/plugins
CONF=/etc/request-tracker5/RT_SiteConfig.d/60-sla-lens-extension.pm
ETC=/etc/request-tracker5/sla-lens
t0=$(date +%s)
log() { echo "test-rt-page [$(( $(date +%s) - t0 )) s] $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "test-rt-page: run as root (apt-get, RT runs as www-data)" >&2; exit 2; }
live=$(mktemp -d /tmp/sla-lens-rt-page.XXXXXX)
cleanup() {
  scripts/rt/start.sh stop >/dev/null 2>&1 || true
  rm -rf "$PLUGINS/RT-Extension-SLALens" "$CONF" "$ETC" "$live"
}
trap cleanup EXIT
mkdir -p "$STATE"
scripts/rt/install.sh >"$STATE.install.log" 2>&1 || { cat "$STATE.install.log" >&2; exit 1; }
log "RT installed"

# The extension's Perl alone: the config cannot end its element, contacts are names only.
perl tests/rt-extension/head.t >&2
perl tests/rt-extension/settings.t >&2
# What an administrator does (README "Request Tracker extension"): unpack, configure, restart.
scripts/build-rt-extension.sh >&2
mkdir -p "$PLUGINS" "$ETC"
tar -xzf dist/RT-Extension-SLALens.tar.gz -C "$PLUGINS"
# RT's compiled Mason components: the archive's files carry the commit's time, older than what
# RT compiled from an earlier build, so without this RT would keep serving that (README, Upgrade).
rm -rf /var/cache/request-tracker5/mason_data/obj
install -m 0644 tests/fixtures/rt/policy.json "$ETC/policy.json"
cat >"$CONF" <<'PERL'
Plugin('RT::Extension::SLALens');
Set($SLALensPolicyFile, '/etc/request-tracker5/sla-lens/policy.json');
1;
PERL
chown root:www-data "$CONF" && chmod 0640 "$CONF"
log "extension installed"

scripts/rt/rt.sh seed >&2
scripts/rt/rt.sh record "$live"
log "seeded, started on 127.0.0.1:$RT_PORT, recorded"
RT_URL="http://127.0.0.1:$RT_PORT" RT_LIVE="$live" node --test --test-concurrency=1 tests/e2e/rt-page.live.mjs
log "passed"
