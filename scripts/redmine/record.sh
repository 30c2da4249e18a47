# Sourced by scripts/redmine.sh: `record` (needs a seeded, started server). Saves the REST
# responses byte for byte as Redmine sent them, into tests/fixtures/redmine (or $REDMINE_FIXTURES).
record() {
  local out="${REDMINE_FIXTURES:-$ROOT/tests/fixtures/redmine}" key ids id version
  key=$(jq -r .api_key "$STATE/setup.json")
  version=$(jq -r .redmine "$STATE/setup.json")
  get() { curl -fsS -H "X-Redmine-API-Key: $key" "$BASE$1"; }
  rm -rf "$out/issues"; mkdir -p "$out/issues"
  # The list page the issue list shows (closed ones too), as the page integration fetches it.
  get "/issues.json?status_id=*&sort=id&limit=100" >"$out/issues.json"
  get "/issue_statuses.json" >"$out/issue_statuses.json"
  get "/enumerations/issue_priorities.json" >"$out/issue_priorities.json"
  ids=$(jq -r '.issues[].id' "$STATE/seed.json")
  for id in $ids; do get "/issues/$id.json?include=journals" >"$out/issues/$id.json"; done
  # Group memberships (admin only): the staff rule and requester groups can use them.
  rm -rf "$out/groups"; mkdir -p "$out/groups"
  for id in $(get "/groups.json" | jq -r '.groups[].id'); do
    get "/groups/$id.json?include=users" >"$out/groups/$id.json"
  done
  jq --arg v "$version" '. + {redmine: $v}' "$STATE/seed.json" >"$out/seed.json"
  # An empty page, as Redmine answers a filter that matches nothing.
  get "/issues.json?subject=~no-such-issue-anywhere&status_id=*" >"$out/empty-page.json"
  log "recorded $(echo $ids | wc -w) issues from Redmine $version into $out"
}
