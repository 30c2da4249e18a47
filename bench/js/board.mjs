// Dashboard benchmark (figures in BENCHMARKS.md, "Dashboard"):
//  1. a 10,000-issue export in <sla-board> in headless Chromium: parse + evaluate + first paint
//     of the table (the Wasm module already compiled; the fetch excluded), budget 300 ms; the
//     whole wait from the element's append (its worker's start included), and the longest gap
//     of a 10 ms timer on the page meanwhile (how long the page was frozen);
//  2. scrolling the 10,000 rows: frame times while the table scrolls 100 frames;
//  3. the review report for 100,000 issues in Wasm in Node: the module the dashboards load
//     (www/pkg/sla_lens_fast_bg.wasm) given the export's bytes, as <sla-review> gives them, and
//     the size-built module (www/pkg-node) for comparison; budget 1 s (the browser's figure is
//     bench/js/report-chromium.mjs's).
// Exports are generated with scripts/gen-export.py (seeded) into target/bench/.
//   make bench-board      (node bench/js/board.mjs [runs])
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveWww } from '../../tests/e2e/server.mjs';
import { CHROME, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target/bench');
const RUNS = Number(process.argv[2] ?? 5);
const NOW = '2026-11-27T12:00:00Z';
mkdirSync(OUT, { recursive: true });

function exportOf(n) {
  const file = join(OUT, `export-${n}.json`);
  if (!existsSync(file))
    execFileSync('python3', [join(ROOT, 'scripts/gen-export.py'), '--count', String(n), '--out', file]);
  return file;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(0);

// 1 + 2: Chromium
const text10k = readFileSync(exportOf(10000), 'utf8');
const server = await serveWww();
const profile = mkdtempSync(join(tmpdir(), 'sla-board-bench-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1440, height: 1000 },
});
const runs = [];
let scroll = null;
let paths = null;
try {
  const page = await ctx.newPage();
  await page.route('**/bench/export-10000.json', (r) => r.fulfill({ body: text10k, contentType: 'application/json' }));
  await page.goto(`${server.url}dashboard.html?frozen`);
  await page.waitForFunction(() => document.querySelector('sla-board').dataset.ready === 'true');
  for (let i = 0; i < RUNS; i++) {
    const t = await page.evaluate(async () => {
      // Fetched once outside the measurement: the board reads `src` text from the cache.
      await fetch('bench/export-10000.json').then((r) => r.text());
      for (const b of document.querySelectorAll('sla-board')) b.remove();
      const el = document.createElement('sla-board');
      el.setAttribute('src', 'bench/export-10000.json');
      el.setAttribute('now', '2026-11-27T12:00:00Z');
      el.setAttribute('frozen', '');
      // The page's own 10 ms timer: its longest gap is the longest the page was frozen.
      let last = performance.now();
      let longest = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 10);
      const done = new Promise((ok) => el.addEventListener('sla-board-ready', (e) => ok(e.detail), { once: true }));
      document.querySelector('main').append(el);
      const timings = await done;
      clearInterval(timer);
      return { ...timings, longest: Math.max(longest, performance.now() - last) };
    });
    runs.push(t);
  }
  // Before/after in the same page and run: the old batch path (engine.evaluate: full results,
  // then toRow) against the board's (engine.evaluateRows, then rowsFromBatch), alternated.
  paths = await page.evaluate(
    async ({ runs, now }) => {
      const { load } = await import('./sla-lens.js');
      const { toRow, rowsFromBatch } = await import('./board/board-model.js');
      const wasm = await load();
      const engine = wasm.SlaEngine.defaultPolicy();
      const text = await fetch('bench/export-10000.json').then((r) => r.text());
      const t = Date.parse(now);
      const full = [];
      const compact = [];
      for (let i = 0; i < runs; i++) {
        let t0 = performance.now();
        const tickets = JSON.parse(text);
        const res = engine.evaluate(tickets, t);
        res.map((r, j) => toRow(tickets[j], r, j));
        full.push(performance.now() - t0);
        t0 = performance.now();
        const tickets2 = JSON.parse(text);
        rowsFromBatch(engine.evaluateRows(text, t), tickets2);
        compact.push(performance.now() - t0);
      }
      engine.free();
      return { full, compact };
    },
    { runs: RUNS, now: NOW },
  );
  // Scrolling: 100 frames, each scrolls 600 px, timed with requestAnimationFrame.
  scroll = await page.evaluate(async () => {
    const el = document.querySelector('sla-board');
    const sc = el.shadowRoot.querySelector('.scroller');
    const frames = [];
    let last = performance.now();
    for (let i = 0; i < 100; i++) {
      sc.scrollTop += 600;
      await new Promise((ok) => requestAnimationFrame(() => ok()));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    return {
      rows: el.rows.length,
      rendered: el.shadowRoot.querySelectorAll('tr.r').length,
      median: frames[50],
      p95: frames[95],
      max: frames[99],
    };
  });
} finally {
  await ctx.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
const firstPaint = runs.map((r) => r.parse + r.evaluate + r.paint);
console.log(
  `10,000 issues in <sla-board> (Chromium, ${RUNS} runs, median): from the element's append to the ready event ${f(median(runs.map((r) => r.total)))} ms (min ${f(Math.min(...runs.map((r) => r.total)))}); the page's 10 ms timer's longest gap ${f(median(runs.map((r) => r.longest)))} ms (max ${f(Math.max(...runs.map((r) => r.longest)))})`,
);
console.log(
  `10,000 issues in <sla-board> (Chromium, ${RUNS} runs, median): parse ${f(median(runs.map((r) => r.parse)))} ms + evaluate/rows/window ${f(median(runs.map((r) => r.evaluate)))} ms + paint ${f(median(runs.map((r) => r.paint)))} ms = ${f(median(firstPaint))} ms (min ${f(Math.min(...firstPaint))}, max ${f(Math.max(...firstPaint))}; budget 300 ms)`,
);
console.log(
  `10,000 issues, JSON.parse + batch + rows (same page, alternated, ${RUNS} runs): engine.evaluate + toRow median ${f(median(paths.full))} ms (min ${f(Math.min(...paths.full))}); engine.evaluateRows + rowsFromBatch median ${f(median(paths.compact))} ms (min ${f(Math.min(...paths.compact))})`,
);
console.log(
  `scrolling 10,000 rows: ${scroll.rendered} rows in the DOM; frame time median ${scroll.median.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms, max ${scroll.max.toFixed(1)} ms`,
);

// 3: the report for 100,000 issues in Wasm (Node), both builds alternated
const require = createRequire(import.meta.url);
const small = require(join(ROOT, 'www/pkg-node/sla_lens.js'));
const fast = await import(join(ROOT, 'www/pkg/sla_lens.js'));
fast.initSync({ module: readFileSync(join(ROOT, 'www/pkg/sla_lens_fast_bg.wasm')) });
const buf100k = readFileSync(exportOf(100000));
const bytes100k = new Uint8Array(buf100k.buffer, buf100k.byteOffset, buf100k.length);
const builds = [
  ['fast module (what the dashboards load)', fast],
  ['size-built module', small],
].map(([name, m]) => ({ name, engine: m.SlaEngine.defaultPolicy(), times: [] }));
let report;
for (let i = 0; i < Math.max(3, Math.min(RUNS, 5)); i++) {
  for (const b of builds) {
    const t0 = performance.now();
    report = b.engine.report(bytes100k, { nowMs: Date.parse(NOW), from: '2025-11-27', to: '2026-11-26' });
    b.times.push(performance.now() - t0);
  }
}
for (const b of builds) {
  console.log(
    `review report, 100,000 issues (Wasm in Node, ${b.name}, ${b.times.length} runs alternated): median ${f(median(b.times))} ms (min ${f(Math.min(...b.times))}); ${report.tickets.inPeriod} in the period, ${report.cells.length} cells, ${report.breaches.length} breaches; budget 1000 ms`,
  );
}
