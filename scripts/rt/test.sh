#!/bin/bash
# make test-rt: a real Request Tracker 5 on 127.0.0.1, seeded (scripts/rt/seed.pl), read over
# REST 2, evaluated by the CLI; each ticket's response state and deadline must be
# tests/fixtures/rt/expected.json's (under the default policy and under the policy that follows
# RT's SLA), and RT's own Due timeline must be the recorded one (tests/rt.rs pins how it differs
# from ours). RT is stopped at the end. Root (apt, www-data); the Makefile holds
# /tmp/sla-lens-rt.lock for the whole run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${SLA_LENS_BIN:-$ROOT/target/debug/sla-lens}
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
export RT_STATE=$STATE
NOW=$(jq -r .now tests/fixtures/rt/seed.json)
t0=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "test-rt: run as root (apt-get, RT runs as www-data)" >&2; exit 2; }
mkdir -p "$STATE"
log() { echo "test-rt [$(( $(date +%s) - t0 )) s] $*" >&2; }
trap 'scripts/rt/start.sh stop >/dev/null 2>&1 || true' EXIT

command -v jq >/dev/null || apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends jq
scripts/rt/install.sh >"$STATE.install.log" 2>&1 || { mkdir -p "$(dirname "$STATE")"; cat "$STATE.install.log" >&2; exit 1; }
log "installed"
scripts/rt/rt.sh seed >&2
log "seeded and started"
live=$(mktemp -d /tmp/sla-lens-rt-live.XXXXXX)
trap 'scripts/rt/start.sh stop >/dev/null 2>&1 || true; rm -rf "$live"' EXIT
scripts/rt/rt.sh record "$live"
log "recorded"

fail=0
# The same tickets got the same ids (a fresh database each time).
if ! diff <(jq -S .tickets tests/fixtures/rt/seed.json) <(jq -S .tickets "$live/seed.json") >&2; then
  echo "FAIL: the seeded ticket ids differ from the recording" >&2; exit 1
fi
files() { (cd "$1" && ls ticket/*.json history/*.json attachments/*.json queue/*.json user/*.json group/*.json); }
for policy in default witness; do
  args=(); [ $policy = default ] || args=(--policy "$ROOT/tests/fixtures/rt/policy.json")
  (cd "$live" && "$BIN" eval --tracker rt "${args[@]}" --now "$NOW" $(files "$live")) >"$live/eval-$policy.json"
  jq -r --arg p $policy --slurpfile exp tests/fixtures/rt/expected.json --slurpfile seed "$live/seed.json" '
    ($seed[0].tickets | to_entries | map({key: (.value|tostring), value: .key}) | from_entries) as $tag
    | .results[] | .evaluation // error("a ticket failed: \(.)")
    | [(if .applicability.kind == "applies" then .response.state else "notApplicable" end), .response.deadline] as $got
    | $exp[0][$tag[.id]][$p] as $want
    | "\(if $got == $want then "ok  " else "FAIL" end) \($tag[.id]) \($p): \($got | tostring)\(if $got == $want then "" else " expected \($want | tostring)" end)"
  ' "$live/eval-$policy.json" | tee "$live/check-$policy.txt" >&2
  grep -q '^FAIL' "$live/check-$policy.txt" && fail=1
  [ "$(grep -c '^ok' "$live/check-$policy.txt")" = "$(jq length tests/fixtures/rt/expected.json)" ] || fail=1
done
# RT's Due timeline (its SLA as the witness) is the recorded one.
due() { jq -c '[.items[] | select(.Type == "Set" and .Field == "Due") | [.Created, .NewValue]]' "$1"; }
for f in tests/fixtures/rt/history/*.json; do
  if [ "$(due "$f")" != "$(due "$live/history/$(basename "$f")")" ]; then
    echo "FAIL: RT's Due timeline of ticket $(basename "$f" .json): $(due "$live/history/$(basename "$f")"), recorded $(due "$f")" >&2; fail=1
  fi
done
scripts/rt/start.sh stop >&2
log "$([ $fail = 0 ] && echo passed || echo FAILED)"
exit $fail
