#!/usr/bin/env bash
# make release: every artifact of this version into dist/release/ (or $RELEASE_DIR), with
# SHA256SUMS, byte-for-byte reproducible from the same commit on the same toolchain wherever the
# checkout is (tests/release/reproducible.sh builds twice, in two checkouts, and compares):
#   sla-lens-<v>-x86_64-linux-gnu.tar.gz   the CLI (glibc: the musl target cannot be installed
#                                          here, see README "Releases"), README, CHANGELOG, licences
#   sla-lens-<v>-chrome.zip, -firefox.zip  the extension, as the stores take it
#   sla_lens-redmine-plugin-<v>.tar.gz     the Redmine plugin
#   RT-Extension-SLALens-<v>.tar.gz        the Request Tracker extension
#   sla-lens-demo-<v>.tar.gz               the demo site and dashboards (www/ with the built Wasm)
#   sla-lens-<v>.crate                     the Rust crate, as `cargo package` makes it
#   sla-lens-<v>.tgz                       the npm package, with the single-file embed
# The version is Cargo.toml's (scripts/version.mjs). Timestamps in archives are the commit's
# (SOURCE_DATE_EPOCH); names are sorted, owners and modes fixed; the Rust builds map the checkout
# and Cargo's home out of their paths. Run `make release` (it installs what the builds need).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(node scripts/version.mjs)
OUT=${RELEASE_DIR:-dist/release}
case "$OUT" in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
export TZ=UTC LC_ALL=C
umask 022
CARGO_HOME_DIR=${CARGO_HOME:-$HOME/.cargo}
# The release builds' own target directory (the path flags would otherwise rebuild the dev one).
export CARGO_TARGET_DIR="${RELEASE_TARGET_DIR:-$ROOT/target/release-build}"
export RUSTFLAGS="--remap-path-prefix=$ROOT=/sla-lens --remap-path-prefix=$CARGO_HOME_DIR=/cargo --remap-path-prefix=$CARGO_TARGET_DIR=/target"

rm -rf "$OUT"
mkdir -p "$OUT"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

echo "== the Wasm modules (www/pkg, www/pkg-engine, www/pkg-node)"
WASM_FORCE=1 scripts/wasm-build.sh >/dev/null

echo "== the CLI"
cargo build --release --locked --features cli --bin sla-lens
mkdir -p "$STAGE/cli/sla-lens-$VERSION"
cp "$CARGO_TARGET_DIR/release/sla-lens" README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE \
  "$STAGE/cli/sla-lens-$VERSION/"
strip --strip-unneeded "$STAGE/cli/sla-lens-$VERSION/sla-lens" 2>/dev/null || true
scripts/tgz.sh "$OUT/sla-lens-$VERSION-x86_64-linux-gnu.tar.gz" "$STAGE/cli" "sla-lens-$VERSION"

echo "== the extension"
node scripts/build-extension.mjs chrome firefox >/dev/null
for t in chrome firefox; do cp "dist/sla-lens-$t.zip" "$OUT/sla-lens-$VERSION-$t.zip"; done

echo "== the Redmine plugin"
scripts/build-redmine-plugin.sh >/dev/null
cp dist/sla_lens-redmine-plugin.tar.gz "$OUT/sla_lens-redmine-plugin-$VERSION.tar.gz"

echo "== the Request Tracker extension"
scripts/build-rt-extension.sh >/dev/null
cp dist/RT-Extension-SLALens.tar.gz "$OUT/RT-Extension-SLALens-$VERSION.tar.gz"

echo "== the demo site"
mkdir -p "$STAGE/demo/sla-lens-demo-$VERSION"
# What git tracks under www/ (not the Redmine plugin's sources: that is its own archive), and the
# built modules.
git ls-files -z www | grep -zv '^www/integrations/' |
  xargs -0 -I{} cp --parents {} "$STAGE/demo/"
cp -r www/pkg www/pkg-engine "$STAGE/demo/www/"
# The public-holiday data the policy editor's picker reads (generated from the pinned package).
scripts/setup.sh holidays
.tools/holidays-venv/bin/python scripts/public-holidays.py "$STAGE/demo/www/holidays" >/dev/null
rm -f "$STAGE/demo/www/pkg/.gitignore" "$STAGE/demo/www/pkg-engine/.gitignore"
cp README.md LICENSE-MIT LICENSE-APACHE "$STAGE/demo/www/"
mv "$STAGE/demo/www"/* "$STAGE/demo/sla-lens-demo-$VERSION/"
scripts/tgz.sh "$OUT/sla-lens-demo-$VERSION.tar.gz" "$STAGE/demo" "sla-lens-demo-$VERSION"

echo "== the crate"
# Verified by `make test-release` (cargo package builds it); here only packed. Allowed dirty only
# when asked (a release is made from a clean commit).
cargo package --locked --no-verify ${RELEASE_ALLOW_DIRTY:+--allow-dirty} >/dev/null
cp "$CARGO_TARGET_DIR/package/sla-lens-$VERSION.crate" "$OUT/"

echo "== the npm package"
node scripts/package.mjs >/dev/null
cp "dist/sla-lens-$VERSION.tgz" "$OUT/"

(cd "$OUT" && sha256sum -- * >SHA256SUMS)
echo "== $OUT (version $VERSION):"
(cd "$OUT" && ls -l --time-style=+ -- * | awk '{printf "  %-48s %9d bytes\n", $NF, $5}')
