#!/usr/bin/env bash
# scripts/prereqs.sh (`make test-prereqs`): run with a PATH of stand-ins for the tools it checks —
# all there, each one missing, each one too old — it must pass, or stop with exit status 1 and a
# message naming the missing piece and how to get it.
# The cases' set-up snippets are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BASH_BIN=$(command -v bash)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
min_rust=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml)
failures=0
cases=0

# A stand-in: prints its --version line.
fake() { # dir name version-line
  mkdir -p "$1"
  printf '#!%s\necho "%s"\n' "$BASH_BIN" "$3" >"$1/$2"
  chmod +x "$1/$2"
}

# A bin folder where every prerequisite is present and new enough.
good_bin() {
  local d=$1
  fake "$d" rustup "rustup 1.29.0 (28d1352db 2026-03-05)"
  fake "$d" rustc "rustc 1.95.0 (59807616e 2026-04-14)"
  fake "$d" cargo "cargo 1.95.0 (f2d3ce0bd 2026-03-21)"
  fake "$d" cc "cc (Debian 12.2.0-14) 12.2.0"
  fake "$d" node "v20.20.2"
  fake "$d" npm "11.19.1"
  fake "$d" python3 "Python 3.11.2"
  fake "$d" apt-get "apt 2.6.1 (amd64)"
  fake "$d" sudo "Sudo version 1.9.13p3"
}

# check NAME MODE WANT_STATUS SETUP [WANT_TEXT…]: SETUP edits the bin folder $bin.
check() {
  local name=$1 mode=$2 want=$3 setup=$4
  shift 4
  cases=$((cases + 1))
  local bin="$work/$cases/bin" home="$work/$cases/home" out status
  mkdir -p "$home"
  good_bin "$bin"
  eval "$setup"
  out=$(env -i HOME="$home" PATH="$bin" "$BASH_BIN" scripts/prereqs.sh "$mode" 2>&1)
  status=$?
  local bad=
  [ "$status" -eq "$want" ] || bad="exit status $status, want $want"
  for text in "$@"; do
    [[ $out == *"$text"* ]] || bad="${bad:+$bad; }no \"$text\" in the output"
  done
  if [ "$want" -eq 0 ] && [ -n "$out" ]; then bad="${bad:+$bad; }output where none is expected"; fi
  if [ -n "$bad" ]; then
    failures=$((failures + 1))
    printf 'not ok %d - %s: %s\n%s\n' "$cases" "$name" "$bad" "# ${out//$'\n'/$'\n'# }"
  else
    printf 'ok %d - %s\n' "$cases" "$name"
  fi
}

check "everything present (demo)" demo 0 ':'
check "everything present (test)" test 0 ':'
check "no node on PATH" demo 1 'rm "$bin/node"' \
  "missing: Node.js >= 20" "deb.nodesource.com/setup_20.x" "make demo"
check "Debian 12's node 18" test 1 'fake "$bin" node v18.19.0' \
  "missing: Node.js >= 20 (found v18.19.0)" "Debian 12's nodejs is 18" "make test"
check "node without npm" demo 1 'rm "$bin/npm"' "missing: npm"
check "Debian's cargo 1.63, no rustup" demo 1 \
  'rm "$bin/rustup"; fake "$bin" rustc "rustc 1.63.0"; fake "$bin" cargo "cargo 1.63.0"' \
  "missing: rustup with a stable Rust >= $min_rust" "https://sh.rustup.rs"
check "rustup installed but not on PATH" demo 1 \
  'rm "$bin/rustup"; mkdir -p "$home/.cargo/bin"; fake "$home/.cargo/bin" rustup "rustup 1.29.0"' \
  "missing: rustup on PATH" '. "$HOME/.cargo/env"'
check "rustup with an old stable" demo 1 'fake "$bin" rustc "rustc 1.80.1 (3f5fd8dd4 2024-08-06)"' \
  "missing: Rust >= $min_rust (found rustc 1.80.1)" "rustup update stable"
check "rustup without a default toolchain" demo 1 \
  'printf "#!%s\necho no default toolchain >&2; exit 1\n" "$BASH_BIN" >"$bin/cargo"' \
  "missing: cargo (Rust >= $min_rust)" "rustup default stable"
check "no C linker" demo 1 'rm "$bin/cc"' "missing: a C compiler and linker" "build-essential"
check "no python3" demo 1 'rm "$bin/python3"' "missing: Python 3 >= 3.9" "apt-get install python3"
check "python 3.7" test 1 'fake "$bin" python3 "Python 3.7.3"' "missing: Python 3 >= 3.9 (found 3.7.3)"
check "no apt-get: demo still fine" demo 0 'rm "$bin/apt-get"'
check "no apt-get: test stops" test 1 'rm "$bin/apt-get"' "missing: apt-get" "run on Debian 12"
check "several missing, all named" test 1 'rm "$bin/node" "$bin/cc"' \
  "missing: Node.js >= 20" "missing: a C compiler" "2 prerequisite(s) missing"
check "a bad argument" nonsense 2 ':' "usage: scripts/prereqs.sh demo|test"

echo "# $cases cases, $failures failed"
[ "$failures" -eq 0 ]
