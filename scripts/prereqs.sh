#!/usr/bin/env bash
# What must be on the machine before `make demo` and `make test` (scripts/setup.sh installs the
# rest): checked first, so that a missing piece stops the command at once with its name and how
# to get it on Debian 12, instead of failing deep inside a build.
#   scripts/prereqs.sh demo   rustup with a stable Rust >= Cargo.toml's rust-version, a C linker,
#                             Node.js >= 20 with npm, Python 3 >= 3.9
#   scripts/prereqs.sh test   the same, plus apt-get and root or sudo (the tests' browsers, Redmine
#                             and the fuzzer's nightly toolchain are installed by scripts/setup.sh)
# Exit status 0 when everything is there; 1 with one "missing: …" paragraph per piece on stderr;
# 2 for a bad argument. Uses nothing but bash builtins and the tools it checks, so that
# tests/prereqs.test.sh can run it with a PATH of stand-ins.
set -uo pipefail
here=${BASH_SOURCE[0]%/*}
[ "$here" = "${BASH_SOURCE[0]}" ] && here=.
cd "$here/.." || exit 2

mode=${1:-}
case "$mode" in
  demo | test) ;;
  *) echo "usage: scripts/prereqs.sh demo|test" >&2; exit 2 ;;
esac

# The crate's rust-version, e.g. 1.85.
min_rust=
while IFS= read -r line; do
  if [[ $line =~ ^rust-version[[:space:]]*=[[:space:]]*\"([0-9.]+)\" ]]; then
    min_rust=${BASH_REMATCH[1]}
    break
  fi
done <Cargo.toml

if [ "${EUID:-0}" -eq 0 ]; then SUDO=; else SUDO='sudo '; fi
problems=0
missing() {
  problems=$((problems + 1))
  printf 'missing: %s\n  %s\n' "$1" "$2" >&2
}

# "1.85.0" >= "1.85"? Compares up to three numeric parts.
version_at_least() {
  local IFS=. got need i
  read -r -a got <<<"$1"
  read -r -a need <<<"$2"
  for i in 0 1 2; do
    local h=${got[i]:-0} w=${need[i]:-0}
    h=${h%%[!0-9]*} w=${w%%[!0-9]*}
    h=${h:-0} w=${w:-0}
    if ((10#$h > 10#$w)); then return 0; fi
    if ((10#$h < 10#$w)); then return 1; fi
  done
  return 0
}

# The first x.y[.z] in a tool's --version output.
version_of() {
  local out
  out=$("$@" 2>&1) || return 1
  [[ $out =~ ([0-9]+\.[0-9]+(\.[0-9]+)?) ]] || return 1
  echo "${BASH_REMATCH[1]}"
}

rustup_hint="curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal && . \"\$HOME/.cargo/env\" (Debian 12's own cargo and rustc are 1.63: too old, and they have no rustup)"

# Rust: rustup (scripts/setup.sh adds the wasm32 target and, for the fuzz targets, the nightly
# toolchain through it) and a stable rustc/cargo at least the crate's rust-version.
if ! command -v rustup >/dev/null 2>&1; then
  if [ -x "${HOME:-/nonexistent}/.cargo/bin/rustup" ]; then
    missing "rustup on PATH (it is in ~/.cargo/bin)" ". \"\$HOME/.cargo/env\" (or open a new login shell)"
  else
    missing "rustup with a stable Rust >= $min_rust" "$rustup_hint"
  fi
else
  for tool in rustc cargo; do
    if ! have=$(version_of "$tool" --version); then
      missing "$tool (Rust >= $min_rust)" "rustup default stable"
    elif ! version_at_least "$have" "$min_rust"; then
      missing "Rust >= $min_rust (found $tool $have)" "rustup update stable && rustup default stable"
    fi
  done
fi
if ! command -v cc >/dev/null 2>&1; then
  missing "a C compiler and linker, cc (Rust links with it)" "${SUDO}apt-get install build-essential"
fi

# Node.js >= 20 with npm.
node_hint="Debian 12's nodejs is 18: take Node.js 20 or later from NodeSource (curl -fsSL https://deb.nodesource.com/setup_20.x | ${SUDO}bash - && ${SUDO}apt-get install nodejs, which brings npm) or nvm (https://github.com/nvm-sh/nvm)"
if ! have=$(version_of node --version); then
  missing "Node.js >= 20" "$node_hint"
elif ! version_at_least "$have" 20; then
  missing "Node.js >= 20 (found v$have)" "$node_hint"
elif ! command -v npm >/dev/null 2>&1; then
  missing "npm (Node.js's package manager)" "$node_hint"
fi

# Python 3 >= 3.9 (the demo's web server; pandas for the differential test).
if ! have=$(version_of python3 --version); then
  missing "Python 3 >= 3.9" "${SUDO}apt-get install python3 python3-venv"
elif ! version_at_least "$have" 3.9; then
  missing "Python 3 >= 3.9 (found $have)" "${SUDO}apt-get install python3 python3-venv (Debian 12's is 3.11)"
fi

if [ "$mode" = test ]; then
  # scripts/setup.sh installs Chromium, Firefox ESR and Redmine with apt-get, as root or via sudo.
  if ! command -v apt-get >/dev/null 2>&1; then
    missing "apt-get (the tests install Debian packages: chromium, firefox-esr, redmine)" "run on Debian 12"
  fi
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
    missing "root or sudo (scripts/setup.sh installs Debian packages)" "run as root, or apt-get install sudo and add yourself to the sudo group"
  fi
fi

if [ "$problems" -gt 0 ]; then
  echo "sla-lens: $problems prerequisite(s) missing for make $mode (README.md, \"Before the two commands\")" >&2
  exit 1
fi
exit 0
