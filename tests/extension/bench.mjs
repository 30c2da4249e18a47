// Extension overhead on a 1,000-issue Redmine list (the Redmine-shaped server from recorded real
// responses), in headless Chromium with the unpacked test build:
//   - content script main-thread time from data-ready (the worker's results arrive) to badges
//     painted: synchronous script + DOM work, the next frame, and after that frame's paint;
//     plus any long animation frame (> 50 ms) the browser reports during it;
//   - worker evaluation of the 1,000 mapped tickets (and the mapping of their REST responses);
//   - worker Wasm compile + instantiate, on fresh browser starts.
//   make bench-extension        (figures go in BENCHMARKS.md)
import { launch } from './harness.mjs';
import { fakeRedmine } from './fake-redmine.mjs';

const N = Number(process.env.N ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
const NOW = Date.parse('2026-11-27T12:00:00Z');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1);

const fake = await fakeRedmine({ count: N });
const page = [];
const loaf = [];
const instantiate = [];
const placedFirst = [];
const pageLoaf = [];
const scrollLoaf = [];
let worker = null;
let requests = null;
try {
  for (let run = 0; run < RUNS; run++) {
    const b = await launch();
    try {
      const s = await b.worker(() => self.slaLens.loadEngine().then(() => self.slaLens.stats));
      instantiate.push(s.compileMs + s.instantiateMs);
      await b.worker((t) => self.slaLens.setNow(t), NOW);
      await b.worker(async (origin) => {
        await chrome.storage.local.set({
          config: { version: 3, policy: { text: null }, sites: [{ origin, tracker: 'redmine' }] },
        });
        await self.slaLens.readConfig();
        await self.slaLens.syncContentScripts();
      }, fake.origin);
      const p = await b.context.newPage();
      await p.addInitScript(() => {
        window.__loaf = [];
        try {
          new PerformanceObserver((l) =>
            window.__loaf.push(...l.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))),
          ).observe({ type: 'long-animation-frame', buffered: true });
        } catch {
          // no LoAF support
        }
      });
      const before = { ...fake.requests };
      await p.goto(`${fake.origin}/issues`);
      await p.waitForSelector('html[data-sla-lens-perf]', { timeout: 120_000 });
      const perf = JSON.parse(await p.getAttribute('html', 'data-sla-lens-perf'));
      const count = await p.evaluate(() => document.querySelectorAll('sla-badge[state]').length);
      if (count !== perf.prepPlaced || count < 20)
        throw new Error(`expected the on-screen rows' ${perf.prepPlaced} badges, found ${count}`);
      placedFirst.push(count);
      const frames = await p.evaluate(
        (t0) => window.__loaf.filter((e) => e.start + e.duration >= t0),
        perf.dataReadyAt,
      );
      loaf.push(frames.length ? Math.max(...frames.map((f) => f.duration)) : 0);
      const own = await p.evaluate((t0) => window.__loaf.filter((e) => e.start + e.duration < t0), perf.dataReadyAt);
      pageLoaf.push(own.length ? Math.max(...own.map((f) => f.duration)) : 0);
      const beforeScroll = await p.evaluate(() => performance.now());
      // The rest appear as they scroll near: jump to the end, then check every row has one.
      await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await p.waitForFunction((n) => document.querySelector(`tr#issue-${n} sla-badge[state]`), N, { timeout: 10_000 });
      for (let y = 0; ; y += 1200) {
        const done = await p.evaluate((yy) => {
          window.scrollTo(0, yy);
          return yy > document.body.scrollHeight;
        }, y);
        if (done) break;
        await p.waitForTimeout(120);
      }
      await p.waitForFunction((n) => document.querySelectorAll('sla-badge[state]').length === n, N, {
        timeout: 20_000,
      });
      const scrolled = await p.evaluate((t0) => window.__loaf.filter((e) => e.start >= t0), beforeScroll);
      scrollLoaf.push(scrolled.length ? Math.max(...scrolled.map((f) => f.duration)) : 0);
      page.push(perf);
      requests = {
        list: fake.requests.list - before.list,
        single: fake.requests.single - before.single,
        other: fake.requests.other - before.other,
      };
      if (run === 0) {
        const docs = [];
        const ids = Array.from({ length: N }, (_, i) => i + 1);
        for (let i = 0; i < N; i += 100)
          docs.push(
            await (await fetch(`${fake.origin}/issues.json?issue_id=${ids.slice(i, i + 100).join(',')}`)).json(),
          );
        for (const id of ids)
          docs.push(await (await fetch(`${fake.origin}/issues/${id}.json?include=journals`)).json());
        docs.push(await (await fetch(`${fake.origin}/issue_statuses.json`)).json());
        worker = await b.worker(([d, t]) => self.slaLens.benchDocs('redmine', d, t, 9), [docs, NOW]);
      }
    } finally {
      await b.close();
    }
  }
} finally {
  await fake.close();
}

console.log(`sla-lens extension, ${N}-issue Redmine list, headless Chromium, ${RUNS} runs (median [min–max])`);
const row = (name, xs, budget) =>
  console.log(
    `${name.padEnd(58)} ${fmt(median(xs)).padStart(7)} ms  [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]${budget ? `  budget ${budget} ms` : ''}`,
  );
console.log(
  `badges placed at data-ready (the rows on screen and a screen around them): ${placedFirst.join(', ')}; all ${N} after scrolling`,
);
row(
  'content script: data-ready → badges in the DOM (script)',
  page.map((p) => p.scriptMs),
  50,
);
row(
  'content script: data-ready → next frame',
  page.map((p) => p.frameMs),
);
row(
  'content script: data-ready → after that frame painted',
  page.map((p) => p.paintedMs),
);
row(
  'before the data: slots for every row + on-screen badges ("…")',
  page.map((p) => p.prepMs),
);
row(
  '  of which placing the on-screen badges (custom elements)',
  page.map((p) => p.prepPlaceMs),
);
row('longest animation frame from data-ready to painted (0: < 50 ms)', loaf);
row("the page's own longest frame before (its first layout)", pageLoaf);
row('longest frame while scrolling through all 1,000 (badges placed)', scrollLoaf);
if (!worker.same) throw new Error('the kept TicketSet and the ticket objects gave different results');
row(`worker: evaluate ${worker.tickets} tickets (kept TicketSet, compact rows: a refresh, warm)`, worker.evaluateMs, 5);
row(`worker: … refreshes 1–3 of a set (V8 tiering the engine up)`, worker.tieringEvaluateMs);
row(`worker: … the set's first evaluation`, worker.firstEvaluateMs);
row(`worker: evaluate ${worker.tickets} tickets (read from the objects, compact rows)`, worker.unkeptEvaluateMs);
row(`worker: read ${worker.tickets} tickets into a TicketSet, ids/titles/URLs to JS (once per change)`, worker.setMs);
row(`worker: evaluate ${worker.tickets} tickets (full results, JSON)`, worker.fullEvaluateMs);
console.log(`${'worker: map the REST responses to tickets (once)'.padEnd(58)} ${fmt(worker.mapMs).padStart(7)} ms`);
row('worker: Wasm compile + instantiate (fresh start)', instantiate, 30);
console.log(
  `requests per page view: ${requests.list} list calls (≤ ⌈N/100⌉ = ${Math.ceil(N / 100)}), ${requests.single} issue calls (journals), ${requests.other} other`,
);
