// The Redmine plugin's cost on a real page: the seeded issue list (12 issues) as the ordinary
// user `sam`, with the plugin installed (scripts/redmine-plugin-test.sh bench installs it, runs
// this and uninstalls it). For each run, in a fresh browser context (cold cache) and then again
// in the same context (warm cache): navigation start → DOMContentLoaded, → load, → every badge
// in place (the drop-in's `sla-lens:ready`), and the bytes the plugin's assets cost. Also the
// archive's size. Medians and ranges; the machine's load average is printed with them.
//
//   make bench-redmine-plugin            RUNS=15 by default
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDMINE = process.env.REDMINE_URL;
if (!REDMINE) throw new Error('REDMINE_URL is not set: run `make bench-redmine-plugin`');
const RUNS = Number(process.env.RUNS ?? 15);
const ALL = '/issues?set_filter=1&f%5B%5D=status_id&op%5Bstatus_id%5D=%2A&sort=id';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (xs, unit = 'ms') =>
  `${median(xs).toFixed(0)} ${unit} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

const browser = await chromium.launch({
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
});

async function measure(page) {
  await page.goto(`${REDMINE}${ALL}`);
  await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 60_000 });
  await page.waitForFunction(() => performance.getEntriesByName('sla-lens:painted').length > 0);
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const ready = performance.getEntriesByName('sla-lens:dropin-ready')[0]?.startTime;
    const start = performance.getEntriesByName('sla-lens:dropin-start')[0]?.startTime;
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const resources = performance.getEntriesByType('resource');
    const assets = resources.filter((r) => r.name.includes('/plugin_assets/sla_lens/'));
    return {
      dcl: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      start,
      ready,
      badges: document.querySelectorAll('sla-badge.sla-lens').length,
      engine: at('sla-lens:engine-ready'),
      data: at('sla-lens:data-ready'),
      painted: at('sla-lens:painted'),
      calls: resources.filter((r) => /\.json|\/my\/api_key/.test(r.name)).length,
      // What the server sent (puma sends no Content-Encoding: this is the files' size).
      bytes: assets.reduce((n, r) => n + (r.encodedBodySize || 0), 0),
      files: assets.length,
    };
  });
}

const load0 = loadavg()[0];
const cold = [];
const warm = [];
for (let i = 0; i < RUNS; i += 1) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${REDMINE}/login`);
  await page.fill('#username', 'sam');
  await page.fill('#password', 'sla-lens-seed-1');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
  cold.push(await measure(page));
  warm.push(await measure(page));
  await context.close();
}
await browser.close();
const load1 = loadavg()[0];

const archive = join(ROOT, 'dist/sla_lens-redmine-plugin.tar.gz');
const wasm = join(ROOT, 'www/pkg/sla_lens_bg.wasm');
console.log(
  `Redmine plugin, ${RUNS} runs, issue list with ${cold[0].badges} badges; load average ${load0.toFixed(2)} → ${load1.toFixed(2)} (2 cores)`,
);
console.log(
  `archive ${archive.slice(ROOT.length)}: ${statSync(archive).size} bytes; Wasm ${statSync(wasm).size} bytes uncompressed`,
);
for (const [name, runs] of [
  ['cold cache', cold],
  ['warm cache', warm],
]) {
  console.log(
    `${name}: DOMContentLoaded ${fmt(runs.map((r) => r.dcl))}, load ${fmt(runs.map((r) => r.load))}, ` +
      `badges ready ${fmt(runs.map((r) => r.ready))} after navigation start, ${fmt(runs.map((r) => r.ready - r.start))} after the module started; ` +
      `plugin assets ${fmt(
        runs.map((r) => r.bytes / 1024),
        'KiB',
      )} received in ${runs[0].files} files`,
  );
  console.log(
    `  of which: module start → engine ready (Wasm fetched, compiled, instantiated) ${fmt(runs.map((r) => r.engine - r.start))}; ` +
      `→ data ready (${runs[0].calls} Redmine calls: API key, statuses, list, journals) ${fmt(runs.map((r) => r.data - r.engine))}; ` +
      `data ready → painted ${fmt(runs.map((r) => r.painted - r.data))}`,
  );
}
