#!/usr/bin/env bash
# Installs what sla-lens needs on a fresh Debian 12 machine. Idempotent: each step checks first.
#   scripts/setup.sh rust      the pinned Rust (rust-toolchain.toml), wasm target, wasm-bindgen-cli
#   scripts/setup.sh node      npm packages (npm ci)
#   scripts/setup.sh browser   Debian chromium + chromium-driver
#   scripts/setup.sh firefox   Debian firefox-esr (the extension's Firefox test)
#   scripts/setup.sh python    a venv with pandas for the differential test
#   scripts/setup.sh holidays  a venv with the pinned `holidays` package (make holidays)
#   scripts/setup.sh fuzz      the nightly toolchain (FUZZ_TOOLCHAIN) and the pinned cargo-fuzz
#   scripts/setup.sh mail      a venv with the pinned aiosmtpd (scripts/mail-requirements.txt) for
#                              the test sinks (scripts/sinks.sh), outside the checkout
#   scripts/setup.sh lint      the pinned cargo-deny and the npm packages (Biome) for make lint
#   scripts/setup.sh all       everything
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -ne 0 ]; then echo "sudo"; fi; }
SUDO=$(need_root)
APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $APT_UPDATED -eq 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

setup_rust() {
  # The toolchain rust-toolchain.toml pins, with its components and the wasm32 target. When the
  # machine's stable is that very version, it is linked under the pinned name (no download: the
  # same compiler); otherwise rustup installs the pinned one.
  local pinned stable_version
  pinned=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  if ! rustup toolchain list 2>/dev/null | grep -q "^$pinned-"; then
    stable_version=$(rustc +stable --version 2>/dev/null | awk '{print $2}' || true)
    if [ -n "$pinned" ] && [ "$stable_version" = "$pinned" ]; then
      # rustup refuses `toolchain link` for a release name, so the link is made by hand: the
      # pinned name pointing at stable's folder, as rustup lays toolchains out.
      local host
      host=$(rustc +stable -vV | sed -n 's/^host: //p')
      ln -sfn "$(rustc +stable --print sysroot)" "${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$pinned-$host"
    else
      rustup toolchain install >/dev/null
    fi
  fi
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  local want have
  want=$(wasm_bindgen_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    echo "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes about 10 minutes" >&2
    # Installed into cargo's own bin folder, outside the repo, so fresh clones reuse it.
    cargo install wasm-bindgen-cli --version "$want" --force >/dev/null
  fi
}

setup_node() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

setup_browser() {
  apt_install chromium chromium-driver
}

setup_firefox() {
  apt_install firefox-esr
}

setup_python() {
  if [ ! -x .tools/venv/bin/python ] || ! .tools/venv/bin/python -c 'import pandas' 2>/dev/null; then
    apt_install python3-venv >/dev/null 2>&1 || true
    python3 -m venv .tools/venv
    .tools/venv/bin/pip install -q -r tests/differential/requirements.txt
  fi
}

# The public-holiday data (make holidays, scripts/public-holidays.py): the pinned `holidays`
# package alone, in a venv of its own (the demo needs it; it need not install pandas).
setup_holidays() {
  local want
  want=$(sed -n 's/^holidays==//p' scripts/holidays-requirements.txt)
  if [ "$(.tools/holidays-venv/bin/python -c 'from importlib.metadata import version; print(version("holidays"))' 2>/dev/null)" != "$want" ]; then
    apt_install python3-venv >/dev/null 2>&1 || true
    python3 -m venv .tools/holidays-venv
    .tools/holidays-venv/bin/pip install -q --disable-pip-version-check -r scripts/holidays-requirements.txt
  fi
}

# The fuzz targets (scripts/fuzz.sh): a nightly toolchain for the sanitizer, and cargo-fuzz
# (about 2 minutes to build, into cargo's bin folder).
CARGO_FUZZ_VERSION=0.13.2
setup_fuzz() {
  local tc=${FUZZ_TOOLCHAIN:-nightly}
  rustup toolchain list | grep "^$tc" >/dev/null || rustup toolchain install "$tc" --profile minimal
  if [ "$(cargo "+$tc" fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    echo "installing cargo-fuzz $CARGO_FUZZ_VERSION; this takes about 2 minutes" >&2
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >/dev/null
  fi
}

# The escalation tests' SMTP sink (scripts/sinks.py) runs on aiosmtpd from PyPI, in a venv outside
# the checkout (Debian 12's pip refuses system installs, PEP 668): SLA_LENS_MAIL_VENV, else
# /var/cache/sla-lens/mail-venv when writable (root), else ${XDG_CACHE_HOME:-~/.cache}/sla-lens/.
# scripts/sinks.sh makes the same choice.
mail_venv() {
  if [ -n "${SLA_LENS_MAIL_VENV:-}" ]; then echo "$SLA_LENS_MAIL_VENV"
  elif mkdir -p /var/cache/sla-lens 2>/dev/null && [ -w /var/cache/sla-lens ]; then echo /var/cache/sla-lens/mail-venv
  else echo "${XDG_CACHE_HOME:-$HOME/.cache}/sla-lens/mail-venv"; fi
}
setup_mail() {
  local venv want
  venv=$(mail_venv)
  want=$(sed -n 's/^aiosmtpd==//p' scripts/mail-requirements.txt)
  if [ "$("$venv/bin/python" -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$want" ]; then
    apt_install python3-venv >/dev/null 2>&1 || true
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/mail-requirements.txt
  fi
}

# `make lint`: cargo-deny (licences, bans, sources of the dependency tree; deny.toml), built from
# source into cargo's bin folder (about 5 minutes the first time), and Biome (npm, package.json).
CARGO_DENY_VERSION=0.20.2
setup_lint() {
  if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
    echo "installing cargo-deny $CARGO_DENY_VERSION; this takes about 5 minutes" >&2
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked >/dev/null
  fi
  setup_node
}

for what in "${@:-all}"; do
  case "$what" in
    rust) setup_rust ;;
    node) setup_node ;;
    browser) setup_browser ;;
    firefox) setup_firefox ;;
    python) setup_python ;;
    holidays) setup_holidays ;;
    fuzz) setup_fuzz ;;
    mail) setup_mail ;;
    lint) setup_lint ;;
    all) scripts/prereqs.sh test; setup_rust; setup_node; setup_lint; setup_browser; setup_firefox; setup_python; setup_holidays; setup_fuzz; setup_mail ;;
    *) echo "unknown part: $what" >&2; exit 2 ;;
  esac
done
