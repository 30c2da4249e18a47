// The review report for 100,000 issues in headless Chromium (figures in BENCHMARKS.md,
// "Dashboard"): `engine.report(bytes, …)` on the 64 MB canonical export, the call `<sla-review>`
// makes, for one or more `--target web` builds side by side (by default www/pkg's two modules:
// sla_lens_bg.wasm, opt-level "z", and sla_lens_fast_bg.wasm, opt-level 3, what the dashboards
// load). Each run is a fresh page per build
// (runs alternated, so the machine's load hits each build alike): the module is fetched,
// compiled and instantiated, the export's text fetched, then `report` is called twice — the
// first call is what a dashboard pays (much of the module still in V8's baseline tier), the
// second a warm one. Every build's report must equal the first build's (the script fails
// otherwise).
//   node bench/js/report-chromium.mjs [--runs 5] [--profile DIR] [BUILD[:text]...]
// A BUILD is a `--target web` directory (its sla_lens.js and sla_lens_bg.wasm) or a `.wasm` file
// (with the sla_lens.js next to it).
// Each build is given the export as the bytes fetched (a `Uint8Array`, as `<sla-review>` hands it
// over); `DIR:text` gives that build the text instead (`response.text()`; builds before
// 2026-11-28 took text only).
//   make bench-report-chromium BEFORE=target/base-pkg   (that build, then www/pkg's two)
// --profile DIR: afterwards one more page per build with the CDP Profiler running around the
// first call; writes DIR/<build>.cpuprofile (a build with its name section gives function
// names: see docs/benchmarks-log.md, "Dashboard").
// --review: also time `<sla-review>` with the same export (the module it loads: FAST_MODULE):
// the page's own `timings` (report, and render: charts, tables and the distribution).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
let RUNS = 5;
let PROFILE = null;
let REVIEW = false;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') RUNS = Number(args[++i]);
  else if (args[i] === '--profile') PROFILE = resolve(args[++i]);
  else if (args[i] === '--review') REVIEW = true;
  else dirs.push(args[i]);
}
if (!dirs.length) dirs.push('www/pkg/sla_lens_bg.wasm', 'www/pkg/sla_lens_fast_bg.wasm');
// `DIR:text`: that build, given the export as a string (`response.text()`) instead of the bytes
// fetched (`new Uint8Array(await response.arrayBuffer())`, what `<sla-review>` hands over).
const asText = dirs.map((d) => d.endsWith(':text'));
for (const [i, d] of dirs.entries()) dirs[i] = resolve(asText[i] ? d.slice(0, -':text'.length) : d);
// Each build's glue and module.
const files = dirs.map((d) =>
  d.endsWith('.wasm')
    ? { glue: join(dirname(d), 'sla_lens.js'), wasm: d }
    : { glue: join(d, 'sla_lens.js'), wasm: join(d, 'sla_lens_bg.wasm') },
);

const OUT = join(ROOT, 'target/bench');
mkdirSync(OUT, { recursive: true });
const exportFile = join(OUT, 'export-100000.json');
if (!existsSync(exportFile))
  execFileSync('python3', [join(ROOT, 'scripts/gen-export.py'), '--count', '100000', '--out', exportFile]);
const exportBody = readFileSync(exportFile);

// /b<i>/… serves build i, /www/… the repository's www/, /export.json the export.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const server = createServer(async (req, res) => {
  try {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let body;
    let type = TYPES[extname(path)] ?? 'application/octet-stream';
    const m = /^\/b(\d+)\/([\w.-]+)$/.exec(path);
    if (path === '/export.json') body = exportBody;
    else if (path === '/blank') [body, type] = ['<!doctype html><title>report bench</title>', TYPES['.html']];
    else if (m && files[Number(m[1])])
      body = await readFile(files[Number(m[1])][m[2] === 'sla_lens.js' ? 'glue' : 'wasm']);
    else if (path.startsWith('/www/') && !path.includes('..')) body = await readFile(join(ROOT, path));
    else throw new Error('not found');
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const profileDir = mkdtempSync(join(tmpdir(), 'sla-report-bench-'));
const ctx = await chromium.launchPersistentContext(profileDir, {
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
});

const NOW = Date.parse('2026-11-27T12:00:00Z');
const OPTS = { nowMs: NOW, from: '2025-11-27', to: '2026-11-26' };

/** One fresh page with build i: load, fetch, report twice. */
async function runOnce(i, profileTo) {
  const page = await ctx.newPage();
  try {
    await page.goto(`${base}/blank`);
    await page.evaluate(
      async ({ i, text }) => {
        const glue = await import(`/b${i}/sla_lens.js`);
        await glue.default({ module_or_path: `/b${i}/sla_lens_bg.wasm` });
        window.__engine = glue.SlaEngine.defaultPolicy();
        const res = await fetch('/export.json');
        window.__text = text ? await res.text() : new Uint8Array(await res.arrayBuffer());
      },
      { i, text: asText[i] },
    );
    let cdp = null;
    if (profileTo) {
      cdp = await ctx.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const r = await page.evaluate(
      ({ opts }) => {
        const t0 = performance.now();
        const first = window.__engine.report(window.__text, opts);
        const t1 = performance.now();
        const second = window.__engine.report(window.__text, opts);
        const t2 = performance.now();
        const json = JSON.stringify(first);
        return { first: t1 - t0, second: t2 - t1, same: json === JSON.stringify(second), json };
      },
      { opts: OPTS },
    );
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      await cdp.detach();
    }
    return r;
  } finally {
    await page.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
const fmt = (xs) =>
  `${median(xs).toFixed(0)} ms, p90 ${p90(xs).toFixed(0)} [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;
const builds = dirs.map((d, i) => ({ dir: asText[i] ? `${d} (text)` : d, first: [], second: [], json: null }));
const load = [loadavg()[0]];
let review = null;
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [i, b] of builds.entries()) {
      const r = await runOnce(i);
      if (!r.same) throw new Error(`${b.dir}: two calls gave different reports`);
      b.json ??= r.json;
      if (r.json !== builds[0].json) throw new Error(`${b.dir}: the report differs from ${builds[0].dir}'s`);
      b.first.push(r.first);
      b.second.push(r.second);
    }
  }
  load.push(loadavg()[0]);
  if (PROFILE) {
    mkdirSync(PROFILE, { recursive: true });
    for (const [i, b] of builds.entries()) {
      const to = join(PROFILE, `${i}-${basename(b.dir)}.cpuprofile`);
      await runOnce(i, to);
      console.log(`profile of the first call: ${to}`);
    }
  }
  if (REVIEW) {
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await ctx.newPage();
      await page.goto(`${base}/blank`);
      const t = await page.evaluate(
        async ({ now }) => {
          await import('/www/board/report-view.js');
          const el = document.createElement('sla-review');
          el.setAttribute('src', '/export.json');
          el.setAttribute('now', now);
          el.setAttribute('from', '2025-11-27');
          el.setAttribute('to', '2026-11-26');
          const done = new Promise((ok, no) => {
            el.addEventListener('sla-review-ready', (e) => ok(e.detail), { once: true });
            setTimeout(() => no(new Error(`timed out: ${el.dataset.ready}`)), 300_000);
          });
          document.body.append(el);
          return done;
        },
        { now: new Date(NOW).toISOString() },
      );
      times.push(t);
      await page.close();
    }
    review = times;
  }
} finally {
  await ctx.close();
  server.close();
  rmSync(profileDir, { recursive: true, force: true });
}

const reportMb = (builds[0].json.length / 1e6).toFixed(1);
console.log(
  `review report, 100,000 issues (64 MB export), headless Chromium, ${RUNS} fresh pages per build, alternated; load average ${load.map((x) => x.toFixed(2)).join(' → ')}; median, p90 [min–max]:`,
);
for (const b of builds) {
  console.log(`  ${b.dir}: first call ${fmt(b.first)}; second call ${fmt(b.second)}`);
}
console.log(`  every build gave the same report (${reportMb} MB of JSON); budget 1000 ms`);
if (review) {
  console.log(
    `<sla-review> (FAST_MODULE, ${RUNS} pages): report ${fmt(review.map((t) => t.report))}; render (tables, charts, distribution) ${fmt(review.map((t) => t.render))}; load (module, policy, fetch) ${fmt(review.map((t) => t.load))}`,
  );
}
