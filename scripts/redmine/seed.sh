# shellcheck shell=bash
# Sourced by scripts/redmine.sh: `seed` (needs a started server).
seed() {
  local t0=$SECONDS summary
  wrapper_gemfile
  # What REST cannot do: enable REST, users, groups, a status, a tracker, a priority, a field.
  summary=$(rails_runner_script "$ROOT/scripts/redmine/setup.rb" | tail -1)
  echo "$summary" >"$STATE/setup.json"
  log "setup done in $((SECONDS - t0)) s: $(jq -c '{redmine, users}' <<<"$summary")"
  python3 "$ROOT/scripts/redmine/seed.py" --base "$BASE" --key "$(jq -r .api_key <<<"$summary")" \
    --db "$DB" --users "$(jq -c .users <<<"$summary")" \
    --department-field "$(jq -r .department_field <<<"$summary")" >"$STATE/seed.json"
  log "seeded in $((SECONDS - t0)) s: $(jq -c '[.issues[].id]' "$STATE/seed.json")"
}
