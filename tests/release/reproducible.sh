#!/usr/bin/env bash
# `make release` is byte-for-byte reproducible and location-independent: it builds the release
# here, then again in a fresh clone of the same commit in another directory, and compares every
# artifact. The second build shares the first's build directory (RELEASE_TARGET_DIR), so the
# dependencies are not compiled twice; sla-lens itself is (its path changed, so Cargo builds it
# anew). RELEASE_FRESH=1 gives the clone an empty build directory instead (twice the time; it was
# run so when this test was written: identical bytes). Then the crate
# is verified (`cargo package` builds it from the packed sources, with no warnings) and the
# artifacts are checked for the version and their contents.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "tests/release: the working tree has uncommitted changes; a release is built from a commit" >&2
  exit 1
fi
VERSION=$(node scripts/version.mjs)
WORK=$(mktemp -d /tmp/sla-lens-release.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "tests/release: $*" >&2; exit 1; }

echo "== 1: here ($ROOT)"
start=$(date +%s)
RELEASE_DIR="$WORK/one" scripts/release.sh
echo "   $(( $(date +%s) - start )) s"

echo "== 2: a fresh clone elsewhere"
git clone -q --no-local "$ROOT" "$WORK/elsewhere/sla-lens"
ln -s "$ROOT/node_modules" "$WORK/elsewhere/sla-lens/node_modules"
start=$(date +%s)
shared="$ROOT/target/release-build"
[ -n "${RELEASE_FRESH:-}" ] && shared="$WORK/elsewhere/sla-lens/target/release-build"
(cd "$WORK/elsewhere/sla-lens" && RELEASE_DIR="$WORK/two" RELEASE_TARGET_DIR="$shared" scripts/release.sh)
echo "   $(( $(date +%s) - start )) s"

echo "== the same bytes"
want=(sla-lens-$VERSION-x86_64-linux-gnu.tar.gz sla-lens-$VERSION-chrome.zip sla-lens-$VERSION-firefox.zip
  sla_lens-redmine-plugin-$VERSION.tar.gz RT-Extension-SLALens-$VERSION.tar.gz sla-lens-demo-$VERSION.tar.gz sla-lens-$VERSION.crate sla-lens-$VERSION.tgz SHA256SUMS)
got=$(cd "$WORK/one" && ls | sort)
[ "$got" = "$(printf '%s\n' "${want[@]}" | sort)" ] || fail "artifacts: $got"
for f in "${want[@]}"; do
  if ! cmp -s "$WORK/one/$f" "$WORK/two/$f"; then
    fail "$f differs between the two builds ($(sha256sum "$WORK/one/$f" "$WORK/two/$f" | awk '{print $1}' | tr '\n' ' '))"
  fi
  echo "   $f  $(stat -c %s "$WORK/one/$f") bytes  identical"
done
(cd "$WORK/one" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"

echo "== what they hold"
T=$WORK/look
mkdir -p "$T"
tar -xzf "$WORK/one/sla-lens-$VERSION-x86_64-linux-gnu.tar.gz" -C "$T"
[ "$("$T/sla-lens-$VERSION/sla-lens" --version)" = "sla-lens $VERSION" ] || fail "the CLI's --version"
"$T/sla-lens-$VERSION/sla-lens" default-policy >"$T/default.json"
"$T/sla-lens-$VERSION/sla-lens" check "$T/default.json" >/dev/null \
  || fail "the CLI cannot check its own default policy"
if grep -aqF "$ROOT" "$T/sla-lens-$VERSION/sla-lens"; then fail "the CLI holds the checkout's path"; fi
for t in chrome firefox; do
  v=$(python3 -c 'import json, sys, zipfile; print(json.loads(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))["version"])' \
    "$WORK/one/sla-lens-$VERSION-$t.zip")
  [ "$v" = "$VERSION" ] || fail "$t manifest version $v"
done
[ "$(tar -xzOf "$WORK/one/sla_lens-redmine-plugin-$VERSION.tar.gz" sla_lens/VERSION)" = "$VERSION" ] \
  || fail "the Redmine plugin's VERSION"
# (The listing first: `grep -q` leaving a pipe early would fail it under pipefail.)
tar -tzf "$WORK/one/RT-Extension-SLALens-$VERSION.tar.gz" >"$T/rt.txt"
grep -q "^RT-Extension-SLALens/static/sla-lens/$VERSION/pkg/sla_lens_bg.wasm$" "$T/rt.txt" \
  || fail "the RT extension has no Wasm module under its version"
tar -tzf "$WORK/one/sla-lens-demo-$VERSION.tar.gz" >"$T/demo.txt"
for f in index.html pkg/sla_lens_bg.wasm pkg-engine/sla_lens_bg.wasm holidays/index.json holidays/DE.json; do
  grep -qx "sla-lens-demo-$VERSION/$f" "$T/demo.txt" || fail "the demo site has no $f"
done

v=$(tar -xzOf "$WORK/one/sla-lens-$VERSION.tgz" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).version')
[ "$v" = "$VERSION" ] || fail "the npm package's version $v"
tar -tzf "$WORK/one/sla-lens-$VERSION.tgz" >"$T/npm.txt"
for f in package.json sla-lens.js sla-lens.d.ts sla-lens.embed.js pkg/sla_lens_bg.wasm LICENSE-MIT; do
  grep -qx "package/$f" "$T/npm.txt" || fail "the npm package has no $f"
done

echo "== the crate builds from its packed sources, with no warnings"
log=$WORK/package.log
CARGO_TARGET_DIR="$ROOT/target/release-build" cargo package --locked 2>&1 | tee "$log" | tail -2
if grep -q '^warning' "$log"; then grep '^warning' "$log" >&2; fail "cargo package warns"; fi
echo "tests/release: ok"
