#!/bin/bash
# make test-escalate-rt: `sla-lens escalate --tracker rt` performing on a real Request Tracker 5
# (issue #17 item 5). A fresh seed (scripts/rt/seed.pl) on 127.0.0.1:3099; the agent `sla` (IT
# Staff's rights, no SuperUser) with its own auth token and tests/fixtures/rt/escalate-policy.json
# (level 1: Bob as AdminCc and owner, a public note; level 2: Alice as AdminCc, a private note).
# Runs at the seed's now (twice) and a day later (twice); after each, scripts/rt/escalate_check.py
# reads every ticket's history over REST 2 and holds what the agent did to what `sla-lens eval`
# says of the seeded tickets at that instant: each action exactly once, nothing on the others,
# and the repeated runs write nothing. Then a run that dies between its claim and its actions is
# taken over by the next run after the claim's lease, without a duplicate. RT is stopped at the
# end (its database is seeded afresh by every RT suite). Root; the Makefile holds
# /tmp/sla-lens-rt.lock.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${SLA_LENS_BIN:-$ROOT/target/debug/sla-lens}
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
export RT_STATE=$STATE
URL=http://127.0.0.1:${RT_PORT:-3099}
POLICY=$ROOT/tests/fixtures/rt/escalate-policy.json
t0=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "test-escalate-rt: run as root (apt-get, RT runs as www-data)" >&2; exit 2; }
log() { echo "test-escalate-rt [$(( $(date +%s) - t0 )) s] $*" >&2; }
live=$(mktemp -d /tmp/sla-lens-rt-escalate.XXXXXX)
trap 'scripts/rt/start.sh stop >/dev/null 2>&1 || true; rm -rf "$live"' EXIT

command -v jq >/dev/null || apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends jq
mkdir -p "$STATE"
scripts/rt/install.sh >"$STATE.install.log" 2>&1 || { cat "$STATE.install.log" >&2; exit 1; }
scripts/rt/rt.sh seed >&2
# The seeded tickets as read before any run: what eval is given, and the histories' baseline.
scripts/rt/rt.sh record "$live/seed" 2>/dev/null
cp "$STATE/seed.json" "$live/seed.json"
AGENT=$(jq -r .agent_token "$live/seed.json")
NOW=$(jq -r .now "$live/seed.json")
LATER=$(date -u -d "$NOW + 24 hours" +%Y-%m-%dT%H:%M:%SZ)
log "seeded; runs at $NOW and $LATER"

files() { (cd "$live/seed" && ls ticket/*.json history/*.json attachments/*.json queue/*.json user/*.json group/*.json); }
escalate() {  # escalate NOW [ARGS...] -> the run's JSON on stdout
  local at=$1; shift
  SLA_LENS_RT_TOKEN="$AGENT" "$BIN" escalate --tracker rt --url "$URL" --policy "$POLICY" --now "$at" --json "$@"
}
n=0
for at in "$NOW" "$NOW" "$LATER" "$LATER"; do
  n=$((n + 1))
  (cd "$live/seed" && "$BIN" eval --tracker rt --policy "$POLICY" --now "$at" $(files)) >"$live/eval-$n.json"
  jq '[.results[] | select(.evaluation.applicability.kind == "applies" and .evaluation.escalation.current != null
      and (.evaluation.resolution.state | IN("met", "metLate") | not)) | {id, level: .evaluation.escalation.current.level}]' \
    "$live/eval-$n.json" >"$live/expected-$n.json"
  # The dry run plans exactly what eval says is due (before run 1 nothing is done yet).
  if [ $n = 1 ]; then
    escalate "$at" --dry-run >"$live/dry.json"
    got=$(jq -c '[.plan[] | {id: (.id | tostring), levels: ([.actions[].key | capture("L(?<l>[0-9]+)").l | tonumber] | max)}] | sort_by(.id | tonumber)' "$live/dry.json")
    want=$(jq -c '[.[] | {id: (.id | tostring), levels: .level}] | sort_by(.id | tonumber)' "$live/expected-1.json")
    [ "$got" = "$want" ] || { log "FAIL: the dry run plans $got, eval says $want"; exit 1; }
    log "ok: the dry run plans what eval says ($(jq length "$live/expected-1.json") tickets)"
  fi
  rc=0
  escalate "$at" >"$live/run-$n.json" 2>"$live/run-$n.err" || rc=$?
  [ $rc = 0 ] || { log "run $n at $at: exit $rc"; cat "$live/run-$n.err" >&2; head -c 4000 "$live/run-$n.json" >&2; exit 1; }
  log "run $n at $at: $(jq -c '{actionsDue, issuesDue, done: (.done | length), pending: (.pending | length), faults: (.faults | length), exit}' "$live/run-$n.json")"
  repeat=(); { [ $n = 2 ] || [ $n = 4 ]; } && repeat=(--repeat)
  python3 scripts/rt/escalate_check.py --base "$URL" --seed "$live/seed.json" --baseline "$live/seed" \
    --expected "$live/expected-$n.json" --run "$live/run-$n.json" --state "$live/counts.json" \
    --label "run $n at $at" "${repeat[@]}"
done
[ "$(jq '[.[] | select(.level >= 2)] | length' "$live/expected-3.json")" -gt "$(jq '[.[] | select(.level >= 2)] | length' "$live/expected-1.json")" ] \
  || { log "FAIL: a day later no more ticket is at level 2 than at the seed's now: the test clock shows nothing"; exit 1; }
log "ok: each action once on the real RT (Correspond, Comment, AdminCc, owner); repeated runs wrote nothing"

# A run that stopped between its claim and its actions (a crash; here: the claim posted by
# hand as that run would) holds them for the claim's lease; the next run after it performs them
# once: ticket R05 (critical, at level 1 at the seed's now), its watch claimed by a run that
# never came back.
scripts/rt/rt.sh seed >&2
AGENT=$(jq -r .agent_token "$STATE/seed.json")
cp "$STATE/seed.json" "$live/seed.json"
R=$(jq -r .tickets.R05 "$live/seed.json")
claim="sla-lens:claim ticket=$R cycle=1 level=1 action=watch#0 at=$NOW run=crashed"
curl -fsS -X POST -H "Authorization: token $AGENT" -H 'Content-Type: application/json' \
  --data "$(jq -n --arg c "$claim" '{Content: $c, ContentType: "text/plain"}')" "$URL/REST/2.0/ticket/$R/comment" >/dev/null
escalate "$NOW" --dry-run >/dev/null
rc=0; escalate "$NOW" >"$live/held.json" 2>"$live/held.err" || rc=$?
held=$(jq -c --arg r "$R" '[.elsewhere[] | select((.id | tostring) == $r) | .key] | sort' "$live/held.json")
log "within the lease: exit $rc, ticket $R's actions held by the other run: $held"
[ "$held" = '["c1 L1 watch#0"]' ] && [ "$(jq -c --arg r "$R" '[.done[] | select((.id | tostring) == $r and (.key | contains("watch")))] | length' "$live/held.json")" = 0 ] \
  || { log "FAIL: ticket $R's claimed watch must be held by the other run within its lease, not done"; exit 1; }
AFTER=$(date -u -d "$NOW + 11 minutes" +%Y-%m-%dT%H:%M:%SZ)
escalate "$AFTER" >"$live/taken.json" 2>"$live/taken.err" || { cat "$live/taken.err" >&2; exit 1; }
n_watch=$(curl -fsS -H "Authorization: token $(jq -r .token "$live/seed.json")" \
  "$URL/REST/2.0/ticket/$R/history?fields=Type,Field,NewValue&per_page=100" | jq '[.items[] | select(.Type == "AddWatcher" and .Field == "AdminCc")] | length')
[ "$n_watch" = 1 ] || { log "FAIL: after the lease ticket $R has $n_watch AdminCc additions, expected 1"; exit 1; }
log "ok: a claim of a run that stopped held its action for the lease; the next run did it once"
scripts/rt/start.sh stop >&2
log passed
