#!/usr/bin/env bash
# Builds the installable Redmine plugin: dist/sla_lens-redmine-plugin.tar.gz holds `sla_lens/`
# (www/integrations/redmine/sla_lens/ plus the built assets: the Wasm engine and its glue from
# www/pkg, the shim, the badge view, the drop-in loader and the tracker adapters, laid out as in
# www/ so their relative imports hold). Run `make wasm` first (`make redmine-plugin` does).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=www/integrations/redmine/sla_lens
STAGE=target/redmine-plugin
OUT=dist/sla_lens-redmine-plugin.tar.gz
[ -f www/pkg/sla_lens_bg.wasm ] || { echo "www/pkg is missing: run make wasm" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE" dist
cp -r "$SRC" "$STAGE/sla_lens"
JS="$STAGE/sla_lens/assets/javascripts/sla-lens"
node scripts/stage-dropin.mjs "$JS"
cp LICENSE* "$STAGE/sla_lens/" 2>/dev/null || true
node scripts/version.mjs >"$STAGE/sla_lens/VERSION"
git rev-parse --short HEAD >"$STAGE/sla_lens/BUILD" 2>/dev/null || echo unknown >"$STAGE/sla_lens/BUILD"

scripts/tgz.sh "$OUT" "$STAGE" sla_lens
echo "$OUT: $(stat -c %s "$OUT") bytes, $(tar -tzf "$OUT" | grep -vc '/$') files"
