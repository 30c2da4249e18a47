// The engine's batch paths in Wasm (Node), one or more builds side by side, runs alternated so
// the machine's load hits each alike (figures in BENCHMARKS.md, "Dashboard" and "Browser
// extension"):
//   - the review report for 100,000 issues (`engine.report(text)`, JSON back), budget 1 s;
//   - `evaluateRows` of the 10,000-issue export from its text (the dashboard's batch);
//   - a refresh of 1,000 kept tickets: `evaluateSetRows(set)` (builds that have TicketSet)
//     against `evaluateRows(objects)` (what a refresh did before).
// Every build must give the same report and rows as the first (the script fails otherwise).
//   node bench/js/engine-paths.mjs [--runs 7] [PKG_NODE_DIR...]   (default: www/pkg-node)
// e.g. a build of the previous commit copied to target/base-pkg-node:
//   node bench/js/engine-paths.mjs target/base-pkg-node www/pkg-node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
let RUNS = 7;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') RUNS = Number(args[++i]);
  else dirs.push(resolve(args[i]));
}
if (!dirs.length) dirs.push(join(ROOT, 'www/pkg-node'));

const OUT = join(ROOT, 'target/bench');
mkdirSync(OUT, { recursive: true });
function exportOf(n) {
  const file = join(OUT, `export-${n}.json`);
  if (!existsSync(file))
    execFileSync('python3', [join(ROOT, 'scripts/gen-export.py'), '--count', String(n), '--out', file]);
  return readFileSync(file, 'utf8');
}
const text100k = exportOf(100000);
const text10k = exportOf(10000);
const objects1k = JSON.parse(text10k).slice(0, 1000);
const NOW = Date.parse('2026-11-27T12:00:00Z');
const require = createRequire(import.meta.url);
const builds = dirs.map((d) => {
  const wasm = require(join(d, 'sla_lens.js'));
  return {
    dir: d,
    wasm,
    engine: wasm.SlaEngine.defaultPolicy(),
    t: { report: [], rows: [], refresh: [], unkept: [], set: [] },
    out: {},
  };
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
};
// Rows as text, string fields resolved through the string table (whose order may differ).
const rowsKey = (r) => {
  const F = r.fields.length;
  const text = r.fields.map((f) => r.stringFields.includes(f));
  const cells = [...r.numbers].map((x, i) =>
    Number.isNaN(x) ? null : text[i % F] ? (x < 0 ? null : r.strings[x]) : x,
  );
  return JSON.stringify({ cells, e: r.errors, c: r.nextChange });
};

const load = [loadavg()[0]];
for (let run = 0; run < RUNS; run++) {
  for (const b of builds) {
    const [tr, report] = time(() => b.engine.report(text100k, { nowMs: NOW, from: '2025-11-27', to: '2026-11-26' }));
    b.t.report.push(tr);
    const [tw, rows] = time(() => b.engine.evaluateRows(text10k, NOW));
    b.t.rows.push(tw);
    const [tu, unkept] = time(() => b.engine.evaluateRows(objects1k, NOW + run * 60_000));
    b.t.unkept.push(tu);
    if (typeof b.wasm.TicketSet === 'function') {
      const [ts, set] = time(() => new b.wasm.TicketSet(objects1k));
      b.t.set.push(ts);
      const [tk, kept] = time(() => b.engine.evaluateSetRows(set, NOW + run * 60_000));
      b.t.refresh.push(tk);
      if (rowsKey(kept) !== rowsKey(unkept)) throw new Error(`${b.dir}: evaluateSetRows differs from evaluateRows`);
      set.free();
    }
    if (run === 0) b.out = { report: JSON.stringify(report), rows: rowsKey(rows) };
  }
}
load.push(loadavg()[0]);

const f = (xs) =>
  xs.length ? `${median(xs).toFixed(1)} ms [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]` : '—';
console.log(
  `Wasm in Node ${process.version}, ${RUNS} runs alternated, median [min–max]; load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
);
for (const b of builds) {
  const same = b.out.report === builds[0].out.report && b.out.rows === builds[0].out.rows;
  console.log(`${b.dir}${same ? '' : '  OUTPUT DIFFERS from the first build'}`);
  console.log(`  report, 100,000 issues (budget 1000 ms):         ${f(b.t.report)}`);
  console.log(`  evaluateRows, 10,000 issues from text:           ${f(b.t.rows)}`);
  console.log(`  1,000 kept tickets: evaluateRows(objects):       ${f(b.t.unkept)}`);
  console.log(`  1,000 kept tickets: evaluateSetRows(set) (≤ 5):  ${f(b.t.refresh)}`);
  console.log(`  1,000 tickets: new TicketSet(objects), once:     ${f(b.t.set)}`);
  if (!same) process.exitCode = 1;
}
