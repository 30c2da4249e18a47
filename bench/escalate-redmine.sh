#!/usr/bin/env bash
# `make bench-escalate` (not a test; figures go in BENCHMARKS.md, "Escalation against Redmine"):
# the seeded Redmine plus BENCH_ISSUES (default 989: with the 11 open seed issues, 1,000 open issues) copies of the
# breached seed issue S03, inserted with SQL into the instance database (REST would take minutes),
# created 1 to 60 hours before the seed's now (so some on track, some at level 1, some at level
# 2); then `sla-lens escalate` as the agent account with tests/fixtures/redmine/escalate-policy.json:
#   bench/escalate-redmine.sh dry    one --dry-run run
#   bench/escalate-redmine.sh all    the dry run, then one performing run (SMTP and webhook sinks)
# Each run: requests Redmine served (counted in its production.log: "Started …" lines), wall time
# and peak memory (/usr/bin/time -v). Redmine is seeded again afterwards (also on failure), and
# stopped if this script started it. Run under the Redmine lock (the make target takes it).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${REDMINE_PORT:-3088}
STATE=${REDMINE_STATE:-/tmp/sla-lens-redmine}
SMTP_PORT=${REDMINE_SMTP_PORT:-3025}
BASE="http://127.0.0.1:$PORT"
DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
LOG=/var/log/redmine/default/production.log
N=${BENCH_ISSUES:-989}
BIN=${ESCALATE_BIN:-target/release/sla-lens}
mode=${1:-all}
log() { printf '[bench-escalate %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
out=$(mktemp -d /tmp/sla-lens-bench-escalate.XXXXXX)

CLEANUP=()
# shellcheck disable=SC2154  # c: the loop variable inside the trap's string
at_exit() { CLEANUP=("$1" "${CLEANUP[@]}"); trap 'for c in "${CLEANUP[@]}"; do eval "$c"; done' EXIT; trap 'exit 130' INT TERM; }

scripts/redmine.sh install
if ! curl -fsS -o /dev/null --max-time 3 "$BASE/login" 2>/dev/null; then
  scripts/redmine.sh start >"$out/start.log" 2>&1 </dev/null || { cat "$out/start.log" >&2; exit 1; }
  at_exit "scripts/redmine.sh stop >/dev/null 2>&1 </dev/null || true"
fi
log "seeding (the 12 seed issues)"
touch "$STATE/escalated"  # scripts/redmine-e2e.sh seeds again if this run does not finish
at_exit "log 'seeding again'; scripts/redmine.sh seed >'$out/reseed.log' 2>&1 </dev/null && rm -f '$STATE/escalated'"
scripts/redmine.sh seed >"$out/seed.log" 2>&1 </dev/null || { cat "$out/seed.log" >&2; exit 1; }
now=$(jq -r .now "$STATE/seed.json")
tmpl=$(jq -r '.issues[] | select(.tag | startswith("S03")) | .id' "$STATE/seed.json")
t0=$SECONDS
sqlite3 -cmd '.timeout 30000' "$DB" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO issues (tracker_id, project_id, subject, description, due_date, category_id, status_id,
  assigned_to_id, priority_id, fixed_version_id, author_id, lock_version, created_on, updated_on,
  start_date, done_ratio, estimated_hours, parent_id, root_id, lft, rgt, is_private, closed_on)
SELECT tracker_id, project_id, printf('[B%04d bench] Restore deleted campaign folder', i), description,
  NULL, category_id, status_id, NULL, priority_id, NULL, author_id, 0,
  datetime('$now', printf('-%d minutes', 60 + (i * 37) % 3540)), datetime('$now', '-30 minutes'),
  date('$now'), 0, NULL, NULL, NULL, 1, 2, is_private, NULL
FROM issues, n WHERE issues.id = $tmpl;
UPDATE issues SET root_id = id WHERE root_id IS NULL;
SQL
open=$(curl -fsS -H "X-Redmine-API-Key: $(jq -r .api_key "$STATE/setup.json")" "$BASE/issues.json?status_id=open&limit=1" | jq .total_count)
log "inserted $N issues in $((SECONDS - t0)) s: $open open issues"

agent_key=$(jq -r .escalation.agent_api_key "$STATE/setup.json")
policy="$out/policy.json"
hook=http://127.0.0.1:9/none
if [ "$mode" = all ]; then
  scripts/setup.sh mail
  ports=$(scripts/sinks.sh start "$out/sinks" "$SMTP_PORT")
  at_exit "scripts/sinks.sh stop '$out/sinks'"
  hook="http://127.0.0.1:$(jq -r .http <<<"$ports")/hooks/sla-lens"
fi
jq --arg hook "$hook" --arg im "$(jq -r .escalation.it_manager "$STATE/setup.json")" '
    .escalation.levels[0].contacts[0].redmine = $im
    | (.escalation.levels[].actions[] | select(.kind == "webhook")).url = $hook' \
  tests/fixtures/redmine/escalate-policy.json >"$policy"

# One run: its JSON summary, Redmine's requests by method, wall time, peak memory.
measure() {
  local name=$1; shift
  local from rc=0
  from=$(($(stat -c %s "$LOG") + 1))
  SLA_LENS_REDMINE_KEY="$agent_key" SLA_LENS_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" SLA_LENS_SMTP_FROM=sla-lens@example.test \
    /usr/bin/time -v -o "$out/$name.time" "$BIN" escalate --tracker redmine --url "$BASE" --policy "$policy" \
    --now "$now" --json "$@" >"$out/$name.json" 2>"$out/$name.err" || rc=$?
  sleep 1
  local reqs
  reqs=$(tail -c +"$from" "$LOG" | grep -o 'Started [A-Z]* "[^"?]*' | awk '{print $2}' | sort | uniq -c | awk '{printf "%s%s %s", (NR>1?", ":""), $2, $1}')
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$name.time")
  log "$name: exit $rc; $(jq -c '{listed, outOfScope, candidates, read, issuesDue, actionsDue, done: ((.done // []) | length), pending: ((.pending // []) | length), faults: (.faults | length)}' "$out/$name.json" 2>/dev/null)"
  log "$name: requests $reqs; wall $wall; peak RSS $((rss / 1024)) MB"
  printf '| %s | %s | %s | %s | %s MB |\n' "$name" "$(jq -c '{listed, read, actionsDue, done: ((.done // []) | length)}' "$out/$name.json" 2>/dev/null)" "$reqs" "$wall" "$((rss / 1024))" >>"$out/table.md"
}
measure dry-run --dry-run
[ "$mode" = all ] && measure perform
cat "$out/table.md"
log "outputs in $out"
