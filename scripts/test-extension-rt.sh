#!/bin/bash
# make test-extension-rt: the browser extension (the unpacked test build, dist/extension/test)
# with Request Tracker as a tracker kind, on the real Request Tracker 5 of make test-rt
# (scripts/rt/: installed, seeded at its virtual clock, its REST 2 answers recorded for the CLI),
# then tests/extension/rt.live.mjs in headless Chromium. RT listens on 127.0.0.1:$RT_INNER_PORT
# (3097) behind the test's proxy on 3099 (RT's $WebBaseURL), which makes answers fail on demand.
# RT is stopped at the end. Root (apt, www-data); the Makefile holds /tmp/sla-lens-rt.lock and
# /tmp/sla-lens-browser.lock for the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
export RT_STATE=$STATE
export RT_PORT=${RT_INNER_PORT:-3097}
t0=$(date +%s)
log() { echo "test-extension-rt [$(( $(date +%s) - t0 )) s] $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "test-extension-rt: run as root (apt-get, RT runs as www-data)" >&2; exit 2; }
live=$(mktemp -d /tmp/sla-lens-ext-rt.XXXXXX)
cleanup() {
  scripts/rt/start.sh stop >/dev/null 2>&1 || true
  rm -rf "$live"
}
trap cleanup EXIT
mkdir -p "$STATE"
scripts/rt/install.sh >"$STATE.install.log" 2>&1 || { cat "$STATE.install.log" >&2; exit 1; }
log "RT installed"
scripts/rt/rt.sh seed >&2
scripts/rt/rt.sh record "$live"
log "seeded, started on 127.0.0.1:$RT_PORT, recorded"
RT_URL="http://127.0.0.1:$RT_PORT" RT_LIVE="$live" node --test --test-concurrency=1 tests/extension/rt.live.mjs
log "passed"
