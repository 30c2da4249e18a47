#!/usr/bin/env bash
# The zone libraries compared for the Wasm size budget (docs/benchmarks-log.md "Wasm size"): one
# tiny cdylib per library — every IANA zone by name, UTC→local offset, local→UTC with gaps and
# folds — built like the engine (opt-level "z", LTO, one codegen unit, wasm-bindgen,
# wasm-opt -O without memory-packing and inlining-optimizing), then its sections gzipped.
#   bench/tz-probe/build.sh            all three: ctz (chrono-tz), jiff, tzrs (tz-rs + tzdb_data)
#   bench/tz-probe/build.sh jiff       one
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
for f in "${@:-ctz jiff tzrs}"; do
  for f in $f; do
    target="$root/target/tz-probe-$f"
    CARGO_TARGET_DIR="$target" cargo build --quiet --release --target wasm32-unknown-unknown --features "$f"
    out="$target/out"
    rm -rf "$out"
    wasm-bindgen "$target/wasm32-unknown-unknown/release/probe.wasm" --target web --out-dir "$out" \
      --remove-name-section --remove-producers-section
    "$root/node_modules/.bin/wasm-opt" -O --skip-pass=memory-packing --skip-pass=inlining-optimizing \
      "$out/probe_bg.wasm" -o "$out/$f.wasm"
    node sections.cjs "$out/$f.wasm"
  done
done
