# sla-lens — `make demo` builds and serves the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8037
CARGO ?= cargo
FUZZ_SECONDS ?= 60

.PHONY: help setup demo test test-rust test-differential lint bench fuzz cli

help:
	@echo "make demo   build and serve the demo (default policy) on http://127.0.0.1:$(PORT)/"
	@echo "make test   run every test (Rust, differential, Wasm, JS, browser)"
	@echo "make lint   cargo fmt --check and clippy -D warnings"
	@echo "make bench  run the benchmarks (figures go in BENCHMARKS.md)"
	@echo "make fuzz   run each cargo-fuzz target for FUZZ_SECONDS (default 60)"

setup:
	scripts/setup.sh all

cli:
	$(CARGO) build --release --features cli

demo: cli
	./target/release/sla-lens eval --explain --now 2026-11-27T12:00:00Z tests/fixtures/demo-tickets.json

test: lint test-rust test-differential

test-rust:
	$(CARGO) test --all-features

test-differential: cli
	scripts/setup.sh python
	.tools/venv/bin/python tests/differential/pandas_cbh.py --cases 10000 --bin ./target/release/sla-lens

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --all-features -- -D warnings

bench:
	$(CARGO) bench --bench engine

fuzz:
	cd fuzz && for t in policy evaluate; do cargo +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; done
