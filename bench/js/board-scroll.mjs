// Scrolling the 10,000-issue <sla-board> from top to bottom in headless Chromium, with a trace
// (figures in BENCHMARKS.md, "Dashboard"): a requestAnimationFrame loop moves the table
// STEP px a frame (the whole table: 10,000 × 44 px) and records each frame's time; the trace
// gives the renderer main thread's busy time per frame and where it goes (script, style,
// layout, paint); long animation frames (LoAF, > 50 ms) are counted by a PerformanceObserver.
//   node bench/js/board-scroll.mjs [passes] [step px] [--before REV]   (make bench-board runs it)
// --before REV: also scroll www/board/sla-board.js as it was at git revision REV (served as
// <sla-board-before>), alternated with the current one in the same page: a side-by-side run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveWww } from '../../tests/e2e/server.mjs';
import { CHROME, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'target/bench');
const args = process.argv.slice(2);
const bi = args.indexOf('--before');
const BEFORE = bi >= 0 ? args.splice(bi, 2)[1] : null;
const PASSES = Number(args[0] ?? 3);
const STEP = Number(args[1] ?? 600);
const beforeSource = BEFORE
  ? execFileSync('git', ['show', `${BEFORE}:www/board/sla-board.js`], { cwd: ROOT, encoding: 'utf8' })
      .replaceAll("customElements.get('sla-board')", "customElements.get('sla-board-before')")
      .replaceAll("customElements.define('sla-board',", "customElements.define('sla-board-before',")
      .replaceAll("from './row-board.js'", "from './row-board-before.js'")
  : null;
// Its Board as it was then too (since c306cb5 the board's engine is a worker: another constructor).
const beforeRowBoard = BEFORE
  ? execFileSync('git', ['show', `${BEFORE}:www/board/row-board.js`], { cwd: ROOT, encoding: 'utf8' })
  : null;
const VARIANTS = BEFORE
  ? [
      ['sla-board-before', `before (${BEFORE})`],
      ['sla-board', 'after (this tree)'],
    ]
  : [['sla-board', 'this tree']];
const CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'toplevel'];
mkdirSync(OUT, { recursive: true });

const file = join(OUT, 'export-10000.json');
if (!existsSync(file))
  execFileSync('python3', [join(ROOT, 'scripts/gen-export.py'), '--count', '10000', '--out', file]);
const text10k = readFileSync(file, 'utf8');

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const ms = (x) => x.toFixed(1);

/** Merged [start, end) intervals. */
function union(intervals) {
  const out = [];
  for (const [a, b] of intervals.sort((x, y) => x[0] - y[0])) {
    if (out.length && a <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], b);
    else out.push([a, b]);
  }
  return out;
}
const within = (ivs, from, to) => ivs.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);

/** Per frame: the main thread's busy time (µs → ms); over the scroll: time by event kind. */
function analyse(trace, frames) {
  const events = JSON.parse(trace.toString()).traceEvents;
  const start = events.find((e) => e.name === 'scroll:start' && e.cat?.includes('blink.user_timing'));
  if (!start) throw new Error('scroll:start mark missing from the trace');
  const main = (e) => e.pid === start.pid && e.tid === start.tid;
  // Trace time of a performance.now() value: the mark's own start time anchors the two clocks.
  const t0 = start.ts - frames.markAt * 1000;
  const at = (t) => t0 + t * 1000;
  const tasks = [];
  const kinds = {};
  const end = at(frames.times[frames.times.length - 1]);
  for (const e of events) {
    if (!main(e) || e.ph !== 'X' || typeof e.dur !== 'number') continue;
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') {
      tasks.push([e.ts, e.ts + e.dur]);
      continue;
    }
    if (e.ts < start.ts || e.ts > end) continue;
    const k = {
      FunctionCall: 'script',
      EventDispatch: 'script',
      FireAnimationFrame: 'script',
      TimerFire: 'script',
      v8: 'script',
      UpdateLayoutTree: 'style',
      ParseAuthorStyleSheet: 'style',
      Layout: 'layout',
      PrePaint: 'paint',
      Paint: 'paint',
      PaintImage: 'paint',
      Layerize: 'paint',
      UpdateLayer: 'paint',
      Commit: 'paint',
    }[e.name];
    if (k) kinds[k] = (kinds[k] ?? 0) + e.dur / 1000;
  }
  const busy = union(tasks);
  const perFrame = [];
  for (let i = 1; i < frames.times.length; i++)
    perFrame.push(within(busy, at(frames.times[i - 1]), at(frames.times[i])) / 1000);
  return { perFrame, kinds, busyMs: within(busy, start.ts, end) / 1000 };
}

const server = await serveWww();
const browser = await chromium.launch({
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
});
const results = [];
const load = [];
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/bench/export-10000.json', (r) => r.fulfill({ body: text10k, contentType: 'application/json' }));
  if (beforeSource)
    await page.route('**/board/sla-board-before.js', (r) =>
      r.fulfill({ body: beforeSource, contentType: 'text/javascript' }),
    );
  if (beforeRowBoard)
    await page.route('**/board/row-board-before.js', (r) =>
      r.fulfill({ body: beforeRowBoard, contentType: 'text/javascript' }),
    );
  await page.goto(`${server.url}dashboard.html?frozen`);
  await page.waitForFunction(() => document.querySelector('sla-board')?.dataset.ready === 'true');
  if (beforeSource) await page.evaluate(() => import('./board/sla-board-before.js'));
  for (let pass = 0; pass < PASSES; pass++)
    for (const [tag, label] of VARIANTS) {
      load.push(loadavg()[0]);
      // A fresh board each pass (no full results cached from an earlier pass).
      await page.evaluate(async (tag) => {
        for (const b of document.querySelectorAll('sla-board, sla-board-before')) b.remove();
        const el = document.createElement(tag);
        el.setAttribute('src', 'bench/export-10000.json');
        el.setAttribute('now', '2026-11-27T12:00:00Z');
        el.setAttribute('frozen', '');
        const done = new Promise((ok) => el.addEventListener('sla-board-ready', ok, { once: true }));
        document.querySelector('main').append(el);
        await done;
        await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      }, tag);
      await browser.startTracing(page, { categories: CATEGORIES });
      const frames = await page.evaluate(
        async ({ step, tag }) => {
          const el = document.querySelector(tag);
          const sc = el.shadowRoot.querySelector('.scroller');
          const loaf = [];
          const obs =
            typeof PerformanceObserver === 'function' &&
            PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
              ? new PerformanceObserver((l) =>
                  loaf.push(...l.getEntries().map((e) => ({ duration: e.duration, blocking: e.blockingDuration }))),
                )
              : null;
          obs?.observe({ type: 'long-animation-frame' });
          const mark = performance.mark('scroll:start');
          const times = [];
          const rendered = [];
          const end = sc.scrollHeight - sc.clientHeight;
          await new Promise((ok) => {
            const tick = (t) => {
              times.push(t);
              rendered.push(el.shadowRoot.querySelectorAll('tr.r').length);
              if (sc.scrollTop >= end) return ok();
              sc.scrollTop = Math.min(end, sc.scrollTop + step);
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          });
          await new Promise((ok) => setTimeout(ok, 100)); // the observer's last entries
          obs?.disconnect();
          const last = el.shadowRoot.querySelector('tr.r:last-of-type')?.dataset.id;
          return {
            times,
            markAt: mark.startTime,
            loaf,
            supported: !!obs,
            maxRows: Math.max(...rendered),
            last,
            lastVisible: el.visibleRows.at(-1).id,
            rows: el.rows.length,
          };
        },
        { step: STEP, tag },
      );
      const trace = await browser.stopTracing();
      if (frames.last !== frames.lastVisible)
        throw new Error(`the last row rendered is ${frames.last}, not ${frames.lastVisible}`);
      const a = analyse(trace, frames);
      const intervals = frames.times.slice(1).map((t, i) => t - frames.times[i]);
      results.push({ label, frames, intervals, ...a });
    }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}

console.log(
  `scrolling 10,000 rows top to bottom (${STEP} px a frame, rAF loop, headless Chromium, load average ${load.map((l) => l.toFixed(1)).join(' / ')}):`,
);
for (const r of results) {
  const slow = r.intervals.filter((x) => x > 1000 / 30).length;
  const k = Object.entries(r.kinds)
    .sort((x, y) => y[1] - x[1])
    .map(([n, v]) => `${n} ${v.toFixed(0)}`)
    .join(', ');
  console.log(
    `  ${r.label}: ${r.intervals.length} frames, ≤ ${r.frames.maxRows} rows in the DOM; frame time median ${ms(q(r.intervals, 0.5))} ms, p95 ${ms(q(r.intervals, 0.95))}, max ${ms(Math.max(...r.intervals))} (${slow} over 33.3 ms); main thread per frame median ${ms(q(r.perFrame, 0.5))} ms, p95 ${ms(q(r.perFrame, 0.95))}, max ${ms(Math.max(...r.perFrame))}; busy ${r.busyMs.toFixed(0)} ms of ${(r.frames.times.at(-1) - r.frames.times[0]).toFixed(0)} (${k} ms); long animation frames ${r.frames.supported ? `${r.frames.loaf.length} (max ${ms(Math.max(0, ...r.frames.loaf.map((l) => l.duration)))} ms)` : 'not supported'}`,
  );
}
for (const [, label] of VARIANTS) {
  const rs = results.filter((r) => r.label === label);
  const all = rs.flatMap((r) => r.intervals);
  const work = rs.flatMap((r) => r.perFrame);
  console.log(
    `  ${label}, all ${rs.length} passes: frame time median ${ms(q(all, 0.5))} ms, p95 ${ms(q(all, 0.95))} (pass medians ${rs.map((r) => ms(q(r.intervals, 0.5))).join(' / ')}); main thread per frame median ${ms(q(work, 0.5))} ms, p95 ${ms(q(work, 0.95))}`,
  );
}
