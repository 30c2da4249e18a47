#!/bin/sh
# sla-lens's local Request Tracker 5 (Debian 12 packages; SQLite; http://127.0.0.1:3099).
# Usage (root): scripts/rt/rt.sh install|start|stop|status|seed|record|all
#   install  apt packages + site config (idempotent; scripts/rt/install.sh)
#   seed     stop RT, restore the empty database, seed it (scripts/rt/seed.pl, virtual clock), start
#   record   save the REST 2 answers for the seeded tickets in tests/fixtures/rt/
#   all      install, seed, record
# State (PID, log, seed.json with the REST token) lives in $RT_STATE (default
# /var/cache/sla-lens/rt): RT runs as www-data and the checkout may be under a 0700 home.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STATE=${RT_STATE:-/var/cache/sla-lens/rt}
export RT_STATE=$STATE
URL=http://127.0.0.1:${RT_PORT:-3099}
log() { echo "rt.sh: $*" >&2; }

seed() {
  "$HERE/start.sh" reset >/dev/null
  mkdir -p "$STATE"
  cp "$HERE/seed.pl" "$STATE/seed.pl" && chmod 0644 "$STATE/seed.pl"
  chmod 0755 "$STATE"
  t0=$(date +%s)
  setpriv --reuid=www-data --regid=www-data --init-groups perl "$STATE/seed.pl" >"$STATE/seed.json.tmp" 2>"$STATE/seed.log" \
    || { cat "$STATE/seed.log" >&2; exit 1; }
  mv "$STATE/seed.json.tmp" "$STATE/seed.json" && chmod 0600 "$STATE/seed.json"
  log "seeded in $(( $(date +%s) - t0 )) s: $STATE/seed.json"
  "$HERE/start.sh" start
}

get() {   # get PATH -> stdout (REST 2, root's token)
  curl -fsS --max-time 30 -H "Authorization: token $(jq -r .token "$STATE/seed.json")" "$URL/REST/2.0/$1"
}

record() {   # record [DIR]: DIR defaults to the committed fixtures
  out=${1:-$ROOT/tests/fixtures/rt}
  mkdir -p "$out/ticket" "$out/history" "$out/attachments"
  rm -f "$out"/ticket/*.json "$out"/history/*.json "$out"/attachments/*.json
  fields='Type,Creator,Created,Field,OldValue,NewValue,ObjectType,ObjectId'
  for id in $(jq -r '.tickets[]' "$STATE/seed.json"); do
    get "ticket/$id" >"$out/ticket/$id.json"
    get "ticket/$id/history?fields=$fields&per_page=100" >"$out/history/$id.json"
    # The bodies of messages (their words hold sla-lens's markers and claims).
    for tx in $(jq -r '.items[] | select(.Type == "Create" or .Type == "Correspond" or .Type == "Comment") | .id' "$out/history/$id.json"); do
      get "transaction/$tx/attachments?fields=TransactionId,ContentType,Content" >"$out/attachments/$tx.json"
    done
  done
  get "tickets?query=$(printf '%s' "Status!='__Active__' OR Status='__Active__'" | jq -sRr @uri)&fields=Subject,Status,Queue,Created,Due,SLA,Priority&per_page=100" >"$out/tickets.json"
  mkdir -p "$out/queue" "$out/user" "$out/group"
  rm -f "$out"/queue/*.json "$out"/user/*.json "$out"/group/*.json
  for q in $(jq -r '.Queue.id' "$out"/ticket/*.json | sort -u); do get "queue/$q" >"$out/queue/$q.json"; done
  for u in $(jq -r '.users[]' "$STATE/seed.json"); do get "user/$u" >"$out/user/$u.json"; done
  for g in $(jq -r '.groups[]' "$STATE/seed.json"); do get "group/$g" >"$out/group/$g.json"; done
  jq '{now, groups, users, tickets}' "$STATE/seed.json" >"$out/seed.json"
  [ -z "${1:-}" ] || cp "$ROOT/tests/fixtures/rt/policy.json" "$ROOT/tests/fixtures/rt/README.md" "$out/"
  log "recorded $(ls "$out/ticket" | wc -l) tickets in $out"
}

case "${1:-}" in
install) "$HERE/install.sh";;
start|stop|status) "$HERE/start.sh" "$1";;
seed) seed;;
record) record "${2:-}";;
all) "$HERE/install.sh"; seed; record;;
*) echo "usage: $0 install|start|stop|status|seed|record|all" >&2; exit 2;;
esac
