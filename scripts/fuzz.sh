#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (nightly toolchain and cargo-fuzz: scripts/setup.sh fuzz).
#   scripts/fuzz.sh short SECONDS [TARGET…]   `make test-fuzz`: each target for SECONDS from its
#                                            committed seeds (fuzz/seeds/<target>) in a scratch
#                                            corpus, so nothing committed changes; one summary
#                                            line per target, the log's tail when one fails
#   scripts/fuzz.sh long SECONDS [TARGET…]    `make fuzz`: each target for SECONDS, growing its
#                                            corpus in fuzz/corpus/<target> (ignored by git)
# Without TARGETs: every target in fuzz/Cargo.toml. A crash, a panic, a timeout (an input taking
# over FUZZ_TIMEOUT seconds, default 10) or running out of memory fails the run; the input is kept
# in fuzz/artifacts/<target>/ (replay: cargo +nightly fuzz run <target> <file>; minimise it into
# a test in tests/fuzz_regressions.rs). Environment: FUZZ_TOOLCHAIN (default nightly).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
mode=${1:-}
seconds=${2:-}
case "$mode" in short | long) ;; *) sed -n '2,14p' "$0" >&2; exit 2 ;; esac
[[ $seconds =~ ^[0-9]+$ ]] || { echo "scripts/fuzz.sh: SECONDS must be a whole number" >&2; exit 2; }
shift 2
if [ $# -gt 0 ]; then targets=("$@"); else
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^sla-lens-fuzz$')
fi

# The dictionary of each target's input format (none for the structured ones).
dict() {
  case "$1" in
    policy | evaluate) echo dicts/policy.dict ;;
    redmine | github | gitlab | jira | rt | site) echo dicts/trackers.dict ;;
    csv) echo dicts/csv.dict ;;
  esac
}

logs=target/fuzz-logs
mkdir -p "$logs"
t0=$SECONDS
if ! cargo "+$TOOLCHAIN" fuzz build >"$logs/build.log" 2>&1; then
  tail -40 "$logs/build.log" >&2
  echo "fuzz: the build failed (log: $PWD/$logs/build.log)" >&2
  exit 1
fi
echo "fuzz: built in $((SECONDS - t0)) s" >&2
# The binaries cargo fuzz built (for the host), run directly: `cargo fuzz run` would check the
# build again before each one.
host=$(rustc "+$TOOLCHAIN" -vV | sed -n 's/^host: //p')
bin=target/$host/release
failed=()
for t in "${targets[@]}"; do
  args=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1)
  d=$(dict "$t")
  [ -n "$d" ] && args+=(-dict="$d")
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  if [ "$mode" = short ]; then
    corpus=$(mktemp -d)
  else
    corpus=corpus/$t
    mkdir -p "$corpus"
  fi
  s0=$SECONDS
  mkdir -p "artifacts/$t"
  if "$bin/$t" -artifact_prefix="artifacts/$t/" "${args[@]}" "$corpus" "${seeds[@]}" >"$logs/$t.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$logs/$t.log" | tail -1)
    echo "fuzz $t: ok, ${runs:-?} runs in $((SECONDS - s0)) s, ${cov:-cov: ?}, corpus $(find "$corpus" -type f | wc -l) new inputs" >&2
  else
    failed+=("$t")
    echo "fuzz $t: FAILED after $((SECONDS - s0)) s; the end of $PWD/$logs/$t.log:" >&2
    tail -60 "$logs/$t.log" >&2
  fi
  [ "$mode" = short ] && rm -rf "$corpus"
done
echo "fuzz: ${#targets[@]} targets in $((SECONDS - t0)) s" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
  exit 1
fi
