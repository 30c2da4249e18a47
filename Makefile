# sla-lens — `make demo` builds and serves the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8037
CARGO ?= cargo
FUZZ_SECONDS ?= 60
# Every target that installs, starts, seeds or restarts the shared local Redmine (one SQLite
# database, ports 3088/3089, plugins folder) holds this lock for its whole run, so suites run
# by several people or jobs on one machine take turns instead of seeing each other's state.
# (-o: a server a suite leaves running does not inherit the lock.)
REDMINE_LOCK ?= flock -o /tmp/sla-lens-redmine.lock

.PHONY: help setup prereqs test-prereqs demo test test-rust test-differential lint bench fuzz cli release test-release

help:
	@echo "make demo   build and serve the demo (default policy) on http://127.0.0.1:$(PORT)/"
	@echo "make test   run every test (Rust, differential, Wasm, JS, browser)"
	@echo "make lint   cargo fmt --check, clippy -D warnings, cargo deny and Biome (JS)"
	@echo "make bench  run the benchmarks (figures go in BENCHMARKS.md)"
	@echo "make release  build every artifact of this version into dist/release/ with SHA256SUMS"
	@echo "make fuzz   run each cargo-fuzz target for FUZZ_SECONDS (default 60); make test runs each for FUZZ_TEST_SECONDS (8)"

setup:
	scripts/setup.sh all

cli:
	$(CARGO) build --release --features cli

demo:
	scripts/prereqs.sh demo
	scripts/setup.sh rust node
	$(MAKE) wasm holidays
	@echo "sla-lens demo: http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory www

test: prereqs test-prereqs lint test-rust test-fuzz test-differential test-wasm-node test-wasm-browser test-js test-golden test-e2e test-extension test-e2e-redmine test-escalate-redmine test-escalate-docs test-rt test-escalate-rt test-rt-page test-extension-rt test-redmine-plugin test-package test-release

# What must be there before setup.sh can install the rest (README, "Before the two commands"):
# `make test` stops at once, naming what is missing and how to get it. test-prereqs tests that check.
prereqs:
	scripts/prereqs.sh test

test-prereqs:
	tests/prereqs.test.sh

test-rust:
	$(CARGO) test --all-features

test-differential: cli
	scripts/setup.sh python
	.tools/venv/bin/python tests/differential/pandas_cbh.py --cases 10000 --bin ./target/release/sla-lens

# Rust: rustfmt, clippy, and cargo-deny on the dependency tree (deny.toml: licences, bans,
# sources; not advisories, which need the RustSec database from the network), rustdoc without
# warnings. JS: Biome's recommended rules and its formatter on the library JS, its tests, benches
# and scripts (biome.jsonc; `biome ci` fails on a lint finding or an unformatted file;
# `node_modules/.bin/biome format --write` formats).
lint:
	scripts/setup.sh lint
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --all-features -- -D warnings
	$(CARGO) deny check --hide-inclusion-graph licenses bans sources
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --all-features
	node_modules/.bin/biome ci

# Native benchmarks (criterion): the engine, then the review report. The browser and Node ones:
# bench-wasm, bench-page, bench-board, bench-extension.
bench:
	$(CARGO) bench --bench engine
	$(CARGO) bench --bench report
	$(CARGO) bench --bench history

# The cargo-fuzz targets (fuzz/fuzz_targets): policy, evaluate, calendar; what reads tracker
# input: redmine, github, gitlab, jira, rt (REST responses), csv (exports and mappings), site (site
# files, URLs); report (long status histories). Empty: all of them. scripts/fuzz.sh runs them.
FUZZ_TARGETS ?=
FUZZ_TEST_SECONDS ?= 8

# Each target grows its corpus in fuzz/corpus/<target> (ignored by git), starting from the
# committed fuzz/seeds/<target>, with its format's dictionary in fuzz/dicts.
fuzz:
	scripts/setup.sh fuzz
	scripts/fuzz.sh long $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Part of make test: every target for FUZZ_TEST_SECONDS from its committed seeds (a scratch corpus).
.PHONY: test-fuzz
test-fuzz:
	scripts/setup.sh fuzz
	scripts/fuzz.sh short $(FUZZ_TEST_SECONDS) $(FUZZ_TARGETS)

# --- Wasm / JS (src/wasm.rs, www/, tests/wasm.rs, tests/js, tests/golden, tests/e2e) ---------
.PHONY: wasm wasm-size wasm-screenshots test-wasm-node test-wasm-browser test-js test-golden test-e2e bench-wasm
WASM_TEST = CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	$(CARGO) test --target wasm32-unknown-unknown --no-default-features --features full --test wasm

wasm:
	scripts/setup.sh rust node
	scripts/wasm-build.sh

# www/holidays/: public holidays per country and region, 2025–2035, generated from the pinned
# Python `holidays` package (scripts/public-holidays.py; www/holidays.js reads them).
.PHONY: holidays
holidays: www/holidays/index.json
www/holidays/index.json: scripts/public-holidays.py scripts/holidays-requirements.txt
	scripts/setup.sh holidays
	.tools/holidays-venv/bin/python scripts/public-holidays.py www/holidays

wasm-size: wasm
	node scripts/wasm-size.mjs

wasm-screenshots: wasm
	scripts/setup.sh browser
	node scripts/wasm-screenshot.mjs target/screenshots

test-wasm-node:
	scripts/setup.sh rust
	$(CARGO) clippy --target wasm32-unknown-unknown --no-default-features --features full --lib --test wasm -- -D warnings
	CARGO_TARGET_DIR=target/engine $(CARGO) clippy --target wasm32-unknown-unknown --no-default-features --lib -- -D warnings
	$(WASM_TEST)

test-wasm-browser:
	scripts/setup.sh rust browser
	WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/e2e/webdriver.json $(WASM_TEST)

test-js: wasm holidays
	scripts/setup.sh browser
	node_modules/.bin/tsc --noEmit -p tsconfig.json
	node_modules/.bin/tsc -p tests/js/tsconfig.www.json
	node_modules/.bin/tsc -p tests/js/tsconfig.strict.json
	node_modules/.bin/tsc -p tests/js/tsconfig.extension.json
	node_modules/.bin/tsc -p tests/js/tsconfig.extension-noany.json
	node --test tests/js/

test-golden: wasm cli
	node --test tests/golden/

test-e2e: wasm
	scripts/setup.sh browser
	node --test tests/e2e/

bench-wasm: wasm cli
	scripts/setup.sh browser
	node bench/js/deadlines.mjs
	node bench/js/instantiate.mjs

# --- Browser extension (extension/, scripts/build-extension.mjs, tests/extension) -----------------
.PHONY: extension test-extension test-extension-rt bench-extension
# dist/sla-lens-chrome.zip, dist/sla-lens-firefox.zip and the unpacked builds in dist/extension/
# (chrome, firefox, and the test build the browser tests load).
extension: wasm
	scripts/setup.sh node
	node scripts/build-extension.mjs chrome firefox test

# Unit tests, web-ext lint, the browser tests against a real Redmine (started on
# 127.0.0.1:3089 and stopped afterwards) and a local CSP proxy in front of it, notifications for
# every tracker kind against fake trackers, and the Firefox build in Firefox ESR.
test-extension: extension cli
	scripts/setup.sh browser firefox
	$(REDMINE_LOCK) sh -c 'scripts/redmine.sh install && node --test --test-concurrency=1 tests/extension/'

# The extension with Request Tracker as a tracker kind, on the real RT of test-rt (seeded; behind a
# fault-injecting proxy on 127.0.0.1:3099): the RT site and policy set in the options page, signed
# in as staff, the badges of a search page and ticket pages held to the CLI on the same REST 2
# answers; a failing answer gives a grey badge. RT is stopped at the end (about 1 min once installed).
test-extension-rt: extension
	$(CARGO) build --bin sla-lens --features cli
	scripts/setup.sh browser
	$(RT_LOCK) $(BROWSER_LOCK) scripts/test-extension-rt.sh

bench-extension: extension
	scripts/setup.sh browser
	node tests/extension/bench.mjs
	node tests/extension/bench-check.mjs

# --- Tracker pages (www/trackers/, tests/js/trackers*.test.mjs, tests/e2e/redmine*, bench/js/page*)
.PHONY: test-e2e-redmine test-escalate-redmine bench-page
# A real Redmine (installed with apt if missing, started on 127.0.0.1:3088 and seeded unless it
# already runs seeded, stopped again afterwards) in headless Chromium, checked against the CLI.
test-e2e-redmine: wasm cli
	scripts/setup.sh browser
	$(REDMINE_LOCK) scripts/redmine-e2e.sh run

# `sla-lens escalate --dry-run` against the same seeded Redmine: its plan is what `sla-lens eval`
# says of the same issues (levels reached, issues out of scope), with no faults. Then it performs
# (as the agent account, tests/fixtures/redmine/escalate-policy.json) with an SMTP and a webhook
# sink on 127.0.0.1 (scripts/sinks.sh; aiosmtpd from `setup.sh mail`), three runs at the seed's
# now and two a day later: each action once on Redmine, in the mail and at the webhook; Redmine
# is seeded again afterwards.
test-escalate-redmine: cli
	scripts/setup.sh mail
	$(REDMINE_LOCK) scripts/redmine-e2e.sh escalate

# `sla-lens escalate` against a Redmine with 1,000 open issues (SQL-inserted copies of a seed
# issue): a dry run and a performing run, requests served, wall time, peak memory (BENCHMARKS.md).
# BENCH_ESCALATE=dry for the dry run only.
.PHONY: bench-escalate
bench-escalate: cli
	scripts/setup.sh mail
	$(REDMINE_LOCK) bench/escalate-redmine.sh $(or $(BENCH_ESCALATE),all)

# The operating files (docs/escalate: systemd service and timer, GitHub Actions workflow) and the
# README's admin commands: well formed (systemd-analyze verify, a YAML parse), and every flag and
# SLA_LENS_* variable they use is one the CLI has.
.PHONY: test-escalate-docs
test-escalate-docs: cli
	scripts/setup.sh node
	command -v systemd-analyze >/dev/null || { apt-get update -qq && apt-get install -y -qq systemd >/dev/null; }
	node --test tests/escalate-docs/

# A 1,000-row Redmine issue list served locally: main-thread time and requests (BENCHMARKS.md).
bench-page: wasm
	scripts/setup.sh browser
	node bench/js/page.mjs

# --- Dashboards (www/board/, tests/js/board*.test.mjs, tests/e2e/board*.test.mjs, bench/js/board*.mjs)
.PHONY: test-board bench-board
# The board e2e test compares the review page with the CLI's report.
test-e2e: cli

test-board: wasm cli
	scripts/setup.sh browser
	node --test tests/js/board-model.test.mjs tests/e2e/board.test.mjs

bench-board: wasm
	scripts/setup.sh browser
	node bench/js/board.mjs
	node bench/js/engine-paths.mjs
	node bench/js/board-scroll.mjs
	node bench/js/report-chromium.mjs

# The 100,000-issue review report in headless Chromium, www/pkg's two builds of the full module
# (size and speed) side by side, and `<sla-review>`; BEFORE=another `--target web` build (a dir,
# or a .wasm file next to its glue; e.g. main's www/pkg copied to target/base-pkg) to compare
# with (`dir:text` for a build from before engine.report took bytes).
.PHONY: bench-report-chromium
bench-report-chromium: wasm
	scripts/setup.sh browser
	node bench/js/report-chromium.mjs --runs $(or $(RUNS),5) --review $(BEFORE) www/pkg/sla_lens_bg.wasm www/pkg/sla_lens_fast_bg.wasm

# --- Request Tracker 5 (scripts/rt/, tests/rt.rs, tests/fixtures/rt/) -----------------------
# test-rt: install (apt, once), seed a real RT on 127.0.0.1:3099, read it over REST 2 and hold the
# CLI's evaluation and RT's own SLA Due timeline to tests/fixtures/rt (about 1 min once
# installed); RT is stopped at the end. In `make test`. rt-record: record the fixtures again.
RT_LOCK ?= flock -o /tmp/sla-lens-rt.lock
.PHONY: test-rt rt-record
test-rt:
	$(CARGO) build --bin sla-lens --features cli
	$(RT_LOCK) scripts/rt/test.sh

rt-record:
	$(RT_LOCK) sh -c 'scripts/rt/rt.sh all && scripts/rt/start.sh stop'

# test-escalate-rt: `sla-lens escalate --tracker rt` performing on that RT, freshly seeded, as the
# agent user with its own auth token (tests/fixtures/rt/escalate-policy.json): runs at the seed's
# now and a day later, each twice, every ticket's RT history checked after each run
# (scripts/rt/escalate_check.py: each action once, the repeats write nothing), then a claim of a
# stopped run held for its lease and taken over once. RT stopped at the end. In `make test`.
.PHONY: test-escalate-rt
test-escalate-rt:
	$(CARGO) build --bin sla-lens --features cli
	$(RT_LOCK) scripts/rt/escalate-test.sh

# The RT extension (www/integrations/rt/RT-Extension-SLALens): dist/RT-Extension-SLALens.tar.gz
# with the built Wasm engine, shim and adapters.
.PHONY: rt-extension test-rt-page
BROWSER_LOCK ?= flock -o /tmp/sla-lens-browser.lock
rt-extension: wasm
	scripts/build-rt-extension.sh

# Installs that archive into the real RT of test-rt (seeded; behind a fault-injecting proxy on
# 127.0.0.1:3099), signs in as staff in headless Chromium, and holds the badges of a ticket page
# and a search page to the CLI's evaluation of the same REST 2 answers; faults give grey badges.
# The extension is removed and RT stopped at the end (about 2 min once RT is installed).
test-rt-page: rt-extension
	$(CARGO) build --bin sla-lens --features cli
	scripts/setup.sh browser
	$(RT_LOCK) $(BROWSER_LOCK) scripts/rt/page-test.sh

# --- Redmine plugin and drop-in tag (www/integrations/redmine/sla_lens/, www/sla-lens-dropin.js)
.PHONY: redmine-plugin test-redmine-plugin bench-redmine-plugin
# dist/sla_lens-redmine-plugin.tar.gz: the plugin with the built Wasm engine, shim and adapters.
redmine-plugin: wasm
	scripts/build-redmine-plugin.sh

# Installs that archive into the real Redmine (on 127.0.0.1:3090, seeded if needed), configures it
# as an administrator, checks the badges an ordinary user sees against the CLI, and uninstalls it
# (also on failure). The drop-in tag's own test is in tests/e2e/ (make test-e2e).
test-redmine-plugin: redmine-plugin cli
	scripts/setup.sh browser
	$(REDMINE_LOCK) scripts/redmine-plugin-test.sh run

# Archive size, and page load → badges on the issue list with the plugin (BENCHMARKS.md).
bench-redmine-plugin: redmine-plugin
	scripts/setup.sh browser
	$(REDMINE_LOCK) scripts/redmine-plugin-test.sh bench

# --- The npm package (scripts/package.mjs, npm/, tests/package/) -------------------------------
.PHONY: package test-package
# dist/sla-lens-<version>.tgz: the library modules, the Wasm modules, .d.ts, Node/Deno entries.
package: wasm
	scripts/package.mjs

# The tarball installed into a fresh project per bundler (Vite, webpack 5, esbuild, Rollup, Parcel;
# pinned, from the npm registry, cached in /var/cache/sla-lens/npm), built as README "Use it from
# npm" says, and each page's badges in headless Chromium held to `sla-lens eval`; Node and Deno
# evaluate through the package's API, held to the CLI too.
test-package: package
	scripts/setup.sh browser
	$(CARGO) build --bin sla-lens --features cli
	node --test tests/package/

# --- Releases (scripts/release.sh, tests/release/) ---------------------------------------------
# dist/release/: the CLI, the extension zips, the Redmine plugin, the demo site, the npm package and the crate of
# Cargo.toml's version, with SHA256SUMS (README "Releases").
release:
	scripts/setup.sh rust node
	scripts/release.sh

# Builds the release twice (here, and in a fresh clone elsewhere with an empty build cache) and
# compares the bytes; checks what the artifacts hold; `cargo package` verifies the crate.
test-release:
	scripts/setup.sh rust node
	tests/release/reproducible.sh
