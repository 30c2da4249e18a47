#!/usr/bin/env bash
# Builds the installable Request Tracker extension: dist/RT-Extension-SLALens.tar.gz holds
# `RT-Extension-SLALens/` (www/integrations/rt/RT-Extension-SLALens/ plus, under
# static/sla-lens/<version>/, the built assets: the Wasm engine and its glue from www/pkg, the
# shim, the badge view, the drop-in loader and the tracker adapters, laid out as in www/ so their
# relative imports hold). RT serves a plugin's static/ under /static/ with "cache forever"
# headers: the version in the path makes an upgrade reach every browser. Run `make wasm` first
# (`make rt-extension` does). Unpack into RT's plugin path (Debian:
# /usr/local/share/request-tracker5/plugins/) and add Plugin('RT::Extension::SLALens').
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=RT-Extension-SLALens
SRC=www/integrations/rt/$NAME
STAGE=target/rt-extension
OUT=dist/$NAME.tar.gz
[ -f www/pkg/sla_lens_bg.wasm ] || { echo "www/pkg is missing: run make wasm" >&2; exit 1; }
VERSION=$(node scripts/version.mjs)

rm -rf "$STAGE"
mkdir -p "$STAGE" dist
cp -r "$SRC" "$STAGE/$NAME"
sed -i "s/^our \$VERSION = .*/our \$VERSION = '$VERSION';/" "$STAGE/$NAME/lib/RT/Extension/SLALens.pm"
JS="$STAGE/$NAME/static/sla-lens/$VERSION"
# The settings page's module and style (html/Admin/Tools/SLALens.html), beside the modules it
# imports (stage-dropin.mjs then checks those imports too).
mkdir -p "$JS"
cp www/integrations/rt/settings.js www/integrations/rt/settings.css "$JS/"
node scripts/stage-dropin.mjs "$JS"
cp LICENSE* "$STAGE/$NAME/" 2>/dev/null || true
git rev-parse --short HEAD >"$STAGE/$NAME/BUILD" 2>/dev/null || echo unknown >"$STAGE/$NAME/BUILD"

scripts/tgz.sh "$OUT" "$STAGE" "$NAME"
echo "$OUT: $(stat -c %s "$OUT") bytes, $(tar -tzf "$OUT" | grep -vc '/$') files"
