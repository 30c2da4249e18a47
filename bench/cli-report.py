#!/usr/bin/env python3
"""Whole-process time of `sla-lens report` (read the export, parse, report, print JSON), one or
more builds side by side: the runs alternate between the builds, so the machine's load hits
each alike. Every build's output must be byte-identical to the first's (the script fails
otherwise). Figures go in BENCHMARKS.md, "Review report".

  python3 bench/cli-report.py [--runs 9] [--count 100000] BIN [BIN...]

e.g. `python3 bench/cli-report.py target/base/release/sla-lens target/release/sla-lens`
(a build of the previous commit in target/base: `git worktree add --detach /tmp/base <rev> &&
CARGO_TARGET_DIR=$PWD/target/base cargo build --release --features cli --manifest-path
/tmp/base/Cargo.toml`). The export is scripts/gen-export.py's, made on first use.
"""
import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=9)
ap.add_argument("--count", type=int, default=100000)
ap.add_argument("bins", nargs="+")
a = ap.parse_args()

export = os.path.join(ROOT, f"target/export-{a.count}.json")
if not os.path.exists(export):
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen-export.py"), "--count",
                    str(a.count), "--out", export], check=True)
args = ["report", "--from", "2025-11-27", "--to", "2026-11-26", "--now", "2026-11-27T12:00:00Z",
        "--format", "json", export]
times = {b: [] for b in a.bins}
digest = {}
load = [os.getloadavg()[0]]
for _ in range(a.runs):
    for b in a.bins:
        t0 = time.perf_counter()
        out = subprocess.run([b, *args], check=True, stdout=subprocess.PIPE).stdout
        times[b].append(time.perf_counter() - t0)
        digest[b] = hashlib.sha256(out).hexdigest()
load.append(os.getloadavg()[0])
first = digest[a.bins[0]]
print(f"sla-lens report, {a.count:,} tickets, {a.runs} runs alternated; "
      f"load average {min(load):.1f}-{max(load):.1f}")
for b in a.bins:
    xs = times[b]
    same = "same output" if digest[b] == first else "OUTPUT DIFFERS"
    print(f"{b:40} median {statistics.median(xs) * 1000:7.0f} ms  "
          f"[{min(xs) * 1000:.0f}-{max(xs) * 1000:.0f}]  {same}")
if any(d != first for d in digest.values()):
    sys.exit(1)
