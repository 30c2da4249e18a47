#!/usr/bin/env bash
# The real-Redmine end-to-end test of the page integration (www/trackers/) and its page fixtures.
#   scripts/redmine-e2e.sh run     install Redmine if needed (apt, idempotent), start it unless it
#                                  already runs, seed it unless the seed is in place, run
#                                  tests/e2e/redmine.live.mjs, and stop Redmine again if this
#                                  script started it (also on failure or Ctrl-C)
#   scripts/redmine-e2e.sh pages   save the issue list and issue pages, as the normal user `sam`
#                                  sees them, into tests/fixtures/pages/redmine/ (Redmine running)
#   scripts/redmine-e2e.sh escalate  as `run` (install, start, seed, stop), then
#                                  `sla-lens escalate --dry-run --json` at the seed's now, compared
#                                  with what `sla-lens eval` says of the same issues read in full
#                                  (target/release/sla-lens: `make cli` first); then performing
#                                  runs (three at the seed's now, two a day later) with the SMTP
#                                  and webhook sinks, checked on Redmine and in the sinks
#                                  (`perform` below), and Redmine seeded again
# Environment: as scripts/redmine.sh (REDMINE_PORT, default 3088; REDMINE_STATE; REDMINE_SMTP_PORT,
# default 3025, where the SMTP sink listens for Redmine's mail and sla-lens's); ESCALATE_BIN, the
# binary the performing runs use (default target/release/sla-lens).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${REDMINE_PORT:-3088}
STATE=${REDMINE_STATE:-/tmp/sla-lens-redmine}
BASE="http://127.0.0.1:$PORT"
log() { printf '[redmine-e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Clean-ups run on exit (also on failure or Ctrl-C), the last added first.
CLEANUP=()
# shellcheck disable=SC2154  # c: the loop variable inside the trap's string
at_exit() { CLEANUP=("$1" "${CLEANUP[@]}"); trap 'for c in "${CLEANUP[@]}"; do eval "$c"; done' EXIT; trap 'exit 130' INT TERM; }

running() { curl -fsS -o /dev/null --max-time 3 "$BASE/login" 2>/dev/null; }

# The seed is in place when every seeded tag is there with its backdated creation instant.
seeded() {
  [ -f "$STATE/setup.json" ] || return 1
  # A performing escalation test (below) that did not finish leaves its notes and watchers; a
  # seed from before the escalation people (setup.rb) lacks them: seed again.
  [ ! -e "$STATE/escalated" ] || return 1
  jq -e .escalation.agent_api_key "$STATE/setup.json" >/dev/null 2>&1 || return 1
  local key want got
  key=$(jq -r .api_key "$STATE/setup.json")
  want=$(jq -c '[.issues[] | {id, tag}]' tests/fixtures/redmine/seed.json)
  got=$(curl -fsS --max-time 10 -H "X-Redmine-API-Key: $key" "$BASE/issues.json?status_id=*&sort=id&limit=100" 2>/dev/null \
    | jq -c '[.issues[] | select(.subject | test("^\\[S[0-9]+ ")) | {id, tag: (.subject | capture("^\\[(?<t>[^\\]]+)\\]").t)}] | sort_by(.id)') || return 1
  [ "$want" = "$got" ] || return 1
  # S01 was opened two hours before the seed's now.
  [ "$(curl -fsS -H "X-Redmine-API-Key: $key" "$BASE/issues/$(jq -r '.issues[0].id' tests/fixtures/redmine/seed.json).json" | jq -r .issue.created_on)" = "2026-11-27T10:00:00Z" ]
}

# Install, start unless running (stopped again on exit if started here), seed unless seeded.
up() {
  scripts/redmine.sh install
  local started=0
  if ! running; then
    # Output to a file, not a pipe: puma inherits the script's descriptors.
    scripts/redmine.sh start >"$STATE.e2e-start.log" 2>&1 </dev/null || { cat "$STATE.e2e-start.log" >&2; exit 1; }
    started=1
  else
    log "Redmine already answers on $BASE: using it, and leaving it running"
  fi
  [ $started -eq 1 ] && at_exit "scripts/redmine.sh stop >/dev/null 2>&1 </dev/null || true"
  if seeded; then log "seed in place"; else
    log "seeding"
    scripts/redmine.sh seed >"$STATE.e2e-seed.log" 2>&1 </dev/null || { cat "$STATE.e2e-seed.log" >&2; exit 1; }
  fi
}

run() {
  up
  REDMINE_URL="$BASE" REDMINE_SETUP="$STATE/setup.json" node --test --test-concurrency=1 tests/e2e/redmine.live.mjs
}

pages() {
  local out=tests/fixtures/pages/redmine jar tok
  jar=$(mktemp)
  trap 'rm -f "$jar"' RETURN
  tok=$(curl -fsS -c "$jar" -b "$jar" "$BASE/login" | grep -o 'name="authenticity_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "authenticity_token=$tok" \
    --data-urlencode username=sam --data-urlencode password=sla-lens-seed-1 "$BASE/login"
  mkdir -p "$out"
  get() { curl -fsS -b "$jar" -H 'Accept-Language: en' "$BASE$1" >"$out/$2"; }
  get '/issues?set_filter=1&f%5B%5D=status_id&op%5Bstatus_id%5D=%2A&sort=id' issues.html
  get '/projects/marketing-it/issues?set_filter=1&f%5B%5D=subject&op%5Bsubject%5D=%7E&v%5Bsubject%5D%5B%5D=no-such-issue-anywhere' issues-empty.html
  for tag in S03 S05; do
    local id
    id=$(jq -r --arg t "$tag" '.issues[] | select(.tag | startswith($t)) | .id' tests/fixtures/redmine/seed.json)
    get "/issues/$id" "issue-$tag.html"
  done
  log "saved $(ls "$out"/*.html | wc -l) pages into $out"
}

# The dry run's plan against the evaluation: with nothing recorded on the seed, every open
# issue in scope escalated to level L at the seed's now plans the actions of levels 1..L (the
# default policy has no at-risk actions), and the issues out of scope are not read in full.
escalate() {
  up
  local key now tmp plan
  key=$(jq -r .api_key "$STATE/setup.json")
  now=$(jq -r .now tests/fixtures/redmine/seed.json)
  tmp="$STATE.escalate"
  rm -rf "$tmp" && mkdir -p "$tmp"
  plan=$(SLA_LENS_REDMINE_KEY="$key" target/release/sla-lens escalate --tracker redmine --url "$BASE" --dry-run --json --now "$now")
  api() { curl -fsS --max-time 10 -H "X-Redmine-API-Key: $key" "$BASE$1"; }
  api /issue_statuses.json >"$tmp/statuses.json"
  for id in $(api "/issues.json?status_id=open&limit=100" | jq -r '.issues[].id'); do
    api "/issues/$id.json?include=journals" >"$tmp/issue-$id.json"
  done
  local evaluated want got
  evaluated=$(target/release/sla-lens eval --tracker redmine --now "$now" "$tmp"/statuses.json "$tmp"/issue-*.json 2>/dev/null)
  want=$(jq -c '([.results[] | select(.evaluation.applicability.kind == "applies" and .evaluation.escalation.current != null
      and (.evaluation.resolution.state | IN("met", "metLate") | not))
    | {id, levels: [range(1; .evaluation.escalation.current.level + 1)]}] | sort_by(.id))
    + [{outOfScope: ([.results[] | select(.evaluation.applicability.kind != "applies")] | length)}]' <<<"$evaluated")
  got=$(jq -c '([.plan[] | {id, levels: ([.actions[].level | select(. != null)] | unique)}] | sort_by(.id))
    + [{outOfScope}]' <<<"$plan")
  log "eval:     $want"
  log "escalate: $got"
  [ "$(jq -r .exit <<<"$plan")" = 0 ] || { log "escalate reported faults: $(jq -c .faults <<<"$plan")"; exit 1; }
  [ "$want" = "$got" ] || { log "the plan differs from the evaluation"; exit 1; }
  [ "$(jq '.plan | length' <<<"$plan")" -gt 0 ] || { log "nothing planned on the seed"; exit 1; }
  log "ok: the dry run plans what eval says of $(jq '.plan | length' <<<"$plan") escalated issues"
  perform "$now" "$tmp"
}

# Performing (#14): the escalate command as the agent account (setup.rb's `sla-lens`, no admin)
# with tests/fixtures/redmine/escalate-policy.json — the seed policy with its contacts filled in
# (the IT manager: watch + note; the Marketing department head: e-mail) and a generic webhook —
# Redmine's mail and sla-lens's own going to the SMTP sink on 127.0.0.1:$REDMINE_SMTP_PORT, the
# webhook to the HTTP sink (scripts/sinks.sh). Three runs at the seed's now, then two a day later
# (more issues past level 2), each checked by scripts/redmine/escalate_check.py against what
# `sla-lens eval` says of the seeded issues at that instant. Redmine is seeded again afterwards
# (also on failure), so the other suites see the seed as it was.
SMTP_PORT=${REDMINE_SMTP_PORT:-3025}
HEAD_MAIL=marketing-head@example.test
FROM_MAIL=sla-lens@example.test
perform() {
  local now=$1 tmp=$2 sinks ports http policy agent_key
  scripts/setup.sh mail
  sinks="$tmp/sinks"
  ports=$(scripts/sinks.sh start "$sinks" "$SMTP_PORT") || { log "the sinks did not start (is 127.0.0.1:$SMTP_PORT taken?)"; exit 1; }
  at_exit "scripts/sinks.sh stop '$sinks'"
  http=$(jq -r .http <<<"$ports")
  log "sinks: SMTP 127.0.0.1:$SMTP_PORT, webhooks 127.0.0.1:$http"
  # From here on Redmine holds the test's notes and watchers until seeded again.
  touch "$STATE/escalated"
  at_exit "log 'seeding Redmine again'; scripts/redmine.sh seed >'$STATE.e2e-seed.log' 2>&1 </dev/null && rm -f '$STATE/escalated' || log 'seeding again failed: $STATE.e2e-seed.log'"
  agent_key=$(jq -r .escalation.agent_api_key "$STATE/setup.json")
  policy="$tmp/policy.json"
  jq --arg hook "http://127.0.0.1:$http/hooks/sla-lens" --arg im "$(jq -r .escalation.it_manager "$STATE/setup.json")" '
      .escalation.levels[0].contacts[0].redmine = $im
      | (.escalation.levels[].actions[] | select(.kind == "webhook")).url = $hook' \
    tests/fixtures/redmine/escalate-policy.json >"$policy"
  local later n=0 at label rc
  later=$(date -u -d "$now + 24 hours" +%Y-%m-%dT%H:%M:%SZ)
  for at in "$now" "$now" "$now" "$later" "$later"; do
    n=$((n + 1))
    # What eval says of the seeded issues (as read before any run) at this instant.
    target/release/sla-lens eval --tracker redmine --policy "$policy" --now "$at" "$tmp"/statuses.json "$tmp"/issue-*.json 2>/dev/null >"$tmp/eval-$n.json"
    jq '[.results[] | select(.evaluation.applicability.kind == "applies" and .evaluation.escalation.current != null
        and (.evaluation.resolution.state | IN("met", "metLate") | not)) | {id, level: .evaluation.escalation.current.level}]' \
      "$tmp/eval-$n.json" >"$tmp/expected-$n.json"
    jq '[.results[] | select(.evaluation.applicability.kind != "applies") | .id]' "$tmp/eval-$n.json" >"$tmp/out-of-scope.json"
    label="run $n at $at"
    rc=0
    SLA_LENS_REDMINE_KEY="$agent_key" SLA_LENS_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" SLA_LENS_SMTP_FROM="$FROM_MAIL" \
      "${ESCALATE_BIN:-target/release/sla-lens}" escalate --tracker redmine --url "$BASE" --policy "$policy" --now "$at" --json --once \
      >"$tmp/run-$n.json" 2>"$tmp/run-$n.err" || rc=$?
    [ $rc -eq 0 ] || { log "$label: exit $rc"; cat "$tmp/run-$n.err" >&2; head -c 4000 "$tmp/run-$n.json" >&2; exit 1; }
    log "$label: $(jq -c '{actionsDue, issuesDue, done: (.done | length), pending: (.pending | length), faults: (.faults | length), exit}' "$tmp/run-$n.json")"
    local repeat=()
    [ "$n" -eq 2 ] || [ "$n" -eq 3 ] || [ "$n" -eq 5 ] && repeat=(--repeat)
    python3 scripts/redmine/escalate_check.py --base "$BASE" --setup "$STATE/setup.json" --policy "$policy" \
      --expected "$tmp/expected-$n.json" --sinks "$sinks" --run "$tmp/run-$n.json" --state "$tmp/check-state.json" \
      --out-of-scope "$tmp/out-of-scope.json" --label "$label" --head-mail "$HEAD_MAIL" --from-mail "$FROM_MAIL" "${repeat[@]}"
  done
  [ "$(jq length "$tmp/expected-4.json")" -gt "$(jq length "$tmp/expected-1.json")" ] \
    || [ "$(jq '[.[] | select(.level == 2)] | length' "$tmp/expected-4.json")" -gt "$(jq '[.[] | select(.level == 2)] | length' "$tmp/expected-1.json")" ] \
    || { log "a day later, no more issue is escalated than at the seed's now: the test clock shows nothing"; exit 1; }
  log "ok: performed on the real Redmine; each action once (markers, watchers, Redmine's and sla-lens's mail, webhooks); repeated runs did nothing"
  login_lookup "$now" "$tmp"
}

# A contact given by login (`"redmine": "ingrid"`) is looked up in /users.json, which Redmine
# lists to administrators only (README, "Running escalations (admins)"): with the agent's key the
# level 1 watch stays undone (exit 1, an error per issue, no watcher); with an administrator's key
# it is done. Each on a fresh seed; only the watch, so nothing else muddles it.
login_lookup() {
  local now=$1 tmp=$2 pol="$tmp/policy-login.json" out rc ids watched
  jq '.escalation.levels[0].actions = [{"kind": "watch"}] | .escalation.levels[1].actions = []' \
    tests/fixtures/redmine/escalate-policy.json >"$pol"
  ids=$(jq -c '[.[] | .id] | sort' "$tmp/expected-1.json")
  watchers_of() {  # the ids of the issues ingrid watches, among the open ones
    local k im; k=$(jq -r .api_key "$STATE/setup.json"); im=$(jq -r .escalation.it_manager "$STATE/setup.json")
    for i in $(jq -r '.[]' <<<"$ids") $(jq -r '.[]' "$tmp/out-of-scope.json"); do
      curl -fsS -H "X-Redmine-API-Key: $k" "$BASE/issues/$i.json?include=watchers" | jq -r --argjson im "$im" 'select([.issue.watchers[]?.id] | index($im)) | .issue.id | tostring'
    done | jq -Rsc 'split("\n") | map(select(length > 0)) | sort'
  }
  for who in agent admin; do
    scripts/redmine.sh seed >"$STATE.e2e-seed.log" 2>&1 </dev/null || { cat "$STATE.e2e-seed.log" >&2; exit 1; }
    local key
    if [ "$who" = agent ]; then key=$(jq -r .escalation.agent_api_key "$STATE/setup.json"); else key=$(jq -r .api_key "$STATE/setup.json"); fi
    rc=0
    out=$(SLA_LENS_REDMINE_KEY="$key" "${ESCALATE_BIN:-target/release/sla-lens}" escalate --tracker redmine --url "$BASE" \
      --policy "$pol" --now "$now" --json --once 2>"$tmp/login-$who.err") || rc=$?
    watched=$(watchers_of)
    log "login lookup as $who: exit $rc, done $(jq -c '[.done[].id]' <<<"$out"), pending $(jq -c '[.pending[] | {id, error}]' <<<"$out" | cut -c1-300), watched $watched"
    if [ "$who" = agent ]; then
      [ $rc -eq 1 ] && [ "$(jq '.done | length' <<<"$out")" = 0 ] && [ "$watched" = "[]" ] \
        && [ "$(jq -c '[.pending[] | .id | tostring] | unique | sort' <<<"$out")" = "$ids" ] \
        && [ "$(jq '[.pending[] | select(.error | contains("needs an administrator'"'"'s key"))] | length' <<<"$out")" -gt 0 ] \
        || { log "with the agent's key a login contact must stay unwatched and pending on $ids, saying an administrator's key is needed"; exit 1; }
    else
      [ $rc -eq 0 ] && [ "$watched" = "$ids" ] && [ "$(jq '.pending | length' <<<"$out")" = 0 ] \
        || { log "with an administrator's key the login must be looked up and $ids watched"; exit 1; }
    fi
  done
  log "ok: a contact by login is watched with an administrator's key, and left pending (exit 1) with the agent's"
}

case "${1:-}" in
  run) run ;;
  escalate) escalate ;;
  pages) pages ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
