#!/usr/bin/env bash
# Records Redmine's own CSV issue exports (the "CSV" link under the issue list, as a user clicks
# it) into tests/fixtures/redmine-csv/, byte for byte. Needs the seeded instance running
# (scripts/redmine.sh start); run it under the shared lock:
#   flock /tmp/sla-lens-redmine.lock bash -c 'scripts/redmine.sh start && scripts/redmine/record-csv.sh; scripts/redmine.sh stop'
# Nothing in the instance is changed: one export logs in as `sam` (language en), the others are
# anonymous (the seeded projects are public) with a browser language, as Redmine localises them.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${REDMINE_PORT:-3088}
BASE="http://127.0.0.1:$PORT"
OUT=${REDMINE_CSV_FIXTURES:-tests/fixtures/redmine-csv}
mkdir -p "$OUT"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
# The query the issue list shows for every status, sorted by id.
q='set_filter=1&f[]=status_id&op[status_id]=*&sort=id'
# sam's session (the login form's CSRF token, then the form post).
token=$(curl -gfsS -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -gfsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "authenticity_token=$token" \
  --data-urlencode username=sam --data-urlencode password=sla-lens-seed-1 "$BASE/login"
# English, all columns, Description and Last notes ticked, UTF-8 chosen in the dialog.
curl -gfsS -b "$jar" -H 'Accept-Language: en' \
  "$BASE/issues.csv?$q&c[]=all_inline&c[]=description&c[]=last_notes&encoding=UTF-8" >"$OUT/issues-en-all.csv"
# English, the default dialog: the list's selected columns, ISO-8859-1 (en's CSV encoding).
curl -gfsS -H 'Accept-Language: en' "$BASE/issues.csv?$q&c[]=" >"$OUT/issues-en-default.csv"
# German (anonymous, the browser's language): `;` separator, dd.mm.yyyy HH:MM, all columns, UTF-8.
curl -gfsS -H 'Accept-Language: de' \
  "$BASE/issues.csv?$q&c[]=all_inline&c[]=description&c[]=last_notes&encoding=UTF-8" >"$OUT/issues-de-all.csv"
for f in "$OUT"/issues-*.csv; do echo "$f: $(wc -c <"$f") bytes, $(file -b "$f")"; done
