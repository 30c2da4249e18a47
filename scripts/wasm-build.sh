#!/usr/bin/env bash
# Builds the Wasm engine for the browser (www/pkg, --target web) and for Node tests
# (www/pkg-node, --target nodejs): release wasm32, wasm-bindgen (pinned to Cargo.lock), then
# wasm-opt -O from the npm `binaryen` package. The shipped module has no name section.
# Also the engine module (www/pkg-engine, --target web): the same crate without feature `full`
# (no tracker, export, CSV or report bindings), for pages that only evaluate canonical tickets
# (an import map points ./pkg/sla_lens.js at it: www/index.html). Its own target directory
# (target/engine), so neither build invalidates the other.
# And the full module built for speed, www/pkg/sla_lens_fast_bg.wasm: the same crate and features
# as www/pkg/sla_lens_bg.wasm at opt-level 3 (target/fast), 1.5x as fast on big batches and
# ~88 KB bigger gzipped; what the dashboards load (`FAST_MODULE` in www/sla-lens.js). It shares
# www/pkg's glue: the build fails if wasm-bindgen writes it a different one.
#   WASM_OPT_LEVEL=3|s|z   override the release opt-level of www/pkg, www/pkg-node and
#                          www/pkg-engine (measured in docs/benchmarks-log.md; default z)
#   WASM_FAST_OPT_LEVEL    the same for sla_lens_fast_bg.wasm (default 3)
#   WASM_NO_WASM_OPT=1     skip wasm-opt (to measure what it saves)
#   WASM_OPT_INLINE=1      keep wasm-opt's inlining-optimizing pass: 10-20 % faster batch paths,
#                          55 KB more gzipped (the trade-off: docs/benchmarks-log.md "Wasm size")
set -euo pipefail
cd "$(dirname "$0")/.."

# opt-level "z" gave the smallest module (z < s < 3, docs/benchmarks-log.md); Cargo.toml keeps 3
# for the native build, so the Wasm build overrides it here only.
LEVEL="${WASM_OPT_LEVEL:-z}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL="$LEVEL"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features full
RAW="$TARGET_DIR/wasm32-unknown-unknown/release/sla_lens.wasm"
CARGO_TARGET_DIR="$TARGET_DIR/engine" \
  cargo build --release --target wasm32-unknown-unknown --lib --no-default-features
RAW_ENGINE="$TARGET_DIR/engine/wasm32-unknown-unknown/release/sla_lens.wasm"
CARGO_TARGET_DIR="$TARGET_DIR/fast" CARGO_PROFILE_RELEASE_OPT_LEVEL="${WASM_FAST_OPT_LEVEL:-3}" \
  cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features full
RAW_FAST="$TARGET_DIR/fast/wasm32-unknown-unknown/release/sla_lens.wasm"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-bindgen $have does not match Cargo.lock ($want): run scripts/setup.sh rust" >&2
  exit 1
fi
WASM_OPT=node_modules/.bin/wasm-opt
if [ -z "${WASM_NO_WASM_OPT:-}" ] && [ ! -x "$WASM_OPT" ]; then
  echo "node_modules/.bin/wasm-opt is missing: run scripts/setup.sh node" >&2
  exit 1
fi

# Up to date: both outputs are newer than the cargo output and this script (a plain build only).
stamp=www/pkg-node/.built
custom="${WASM_OPT_LEVEL:-}${WASM_FAST_OPT_LEVEL:-}${WASM_NO_WASM_OPT:-}${WASM_OPT_INLINE:-}"
[ -n "$custom" ] && rm -f "$stamp"
if [ -z "$custom${WASM_FORCE:-}" ] && [ -f "$stamp" ] \
  && [ "$stamp" -nt "$RAW" ] && [ "$stamp" -nt "$RAW_ENGINE" ] && [ "$stamp" -nt "$RAW_FAST" ] \
  && [ "$stamp" -nt "$0" ] && [ -f www/pkg/sla_lens_bg.wasm ] && [ -f www/pkg/sla_lens_fast_bg.wasm ] \
  && [ -f www/pkg-engine/sla_lens_bg.wasm ]; then
  echo "www/pkg (with sla_lens_fast_bg.wasm), www/pkg-node and www/pkg-engine are up to date"
  exit 0
fi

for build in web nodejs engine fast; do
  target=web raw="$RAW" out=www/pkg
  [ "$build" = nodejs ] && target=nodejs out=www/pkg-node
  [ "$build" = engine ] && raw="$RAW_ENGINE" out=www/pkg-engine
  [ "$build" = fast ] && raw="$RAW_FAST" out=www/pkg-fast
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  wasm-bindgen "$raw" --target "$target" --out-dir "$out.tmp" \
    --remove-name-section --remove-producers-section
  if [ -z "${WASM_NO_WASM_OPT:-}" ]; then
    # -O: the default optimisation level; without -g binaryen writes no name section.
    # Two passes are skipped because they make the module bigger gzipped (measured,
    # docs/benchmarks-log.md "Wasm size"): memory-packing splits the data segment at zero runs
    # (29 KB less raw, 21 KB more gzipped); inlining-optimizing copies function bodies into their
    # callers (55 KB more gzipped code).
    skip=(--skip-pass=memory-packing --skip-pass=inlining-optimizing)
    [ -n "${WASM_OPT_INLINE:-}" ] && skip=(--skip-pass=memory-packing)
    "$WASM_OPT" -O "${skip[@]}" "$out.tmp/sla_lens_bg.wasm" -o "$out.tmp/sla_lens_bg.opt.wasm"
    mv "$out.tmp/sla_lens_bg.opt.wasm" "$out.tmp/sla_lens_bg.wasm"
  fi
  # The nodejs glue is CommonJS; the repo's package.json says "type": "module".
  [ "$target" = nodejs ] && echo '{ "type": "commonjs" }' > "$out.tmp/package.json"
  if [ "$build" = fast ]; then
    # Only its .wasm is kept, next to www/pkg's glue, which must be what it was built with.
    if ! cmp -s "$out.tmp/sla_lens.js" www/pkg/sla_lens.js; then
      echo "the fast module's glue differs from www/pkg's: it cannot share it" >&2
      exit 1
    fi
    mv "$out.tmp/sla_lens_bg.wasm" www/pkg/sla_lens_fast_bg.wasm
    rm -rf "$out.tmp"
    continue
  fi
  rm -rf "$out" && mv "$out.tmp" "$out"
done
[ -z "$custom" ] && touch "$stamp"
if [ -n "${WASM_NO_WASM_OPT:-}" ]; then
  echo "built www/pkg, www/pkg-node and www/pkg-engine (opt-level $LEVEL, no wasm-opt) and www/pkg/sla_lens_fast_bg.wasm (opt-level ${WASM_FAST_OPT_LEVEL:-3})"
else
  echo "built www/pkg, www/pkg-node and www/pkg-engine (opt-level $LEVEL, wasm-opt -O) and www/pkg/sla_lens_fast_bg.wasm (opt-level ${WASM_FAST_OPT_LEVEL:-3})"
fi
