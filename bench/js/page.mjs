// Benchmark: sla-lens on a Redmine issue list of 1,000 rows, in headless Chromium.
//
//   make bench-page        (node bench/js/page.mjs [--rows 1000] [--runs 5] [--json])
//
// The page is the real Redmine list (tests/fixtures/pages/redmine/issues.html) grown to N rows,
// with Redmine's own stylesheet when Redmine is installed (/usr/share/redmine/public), served
// locally with a REST API whose answers are the recorded fixtures (tests/fixtures/redmine/)
// cycled over N issues. Measured per run, from a Chromium trace:
//   - main-thread time sla-lens adds from data-ready (the last REST answer in) to all badges
//     painted: the renderer main thread's busy time between the `sla-lens:data-ready` and
//     `sla-lens:painted` marks (budget: 50 ms), and its wall-clock time;
//   - layouts forced inside sla-lens's own scripts (layout thrashing: should be 0);
//   - requests: list calls (budget ⌈N/100⌉), per-issue calls, the most in flight at once.
import { readFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveTrackers, CHROMIUM_ARGS } from '../../tests/js/trackers-harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('rows', 1000);
const RUNS = arg('runs', 5);
/** Server latency per REST answer (ms): a LAN-like Redmine. */
const LATENCY = arg('latency', 5);
const NOW = Date.parse('2026-11-27T12:00:00Z');
const REDMINE_PUBLIC = '/usr/share/redmine/public';
const FIX = join(ROOT, 'tests/fixtures/redmine');

// ---------------------------------------------------------------------------------------------
// A Redmine list of ROWS issues, and its API
// ---------------------------------------------------------------------------------------------

const seedIds = JSON.parse(readFileSync(join(FIX, 'seed.json'), 'utf8')).issues.map((i) => String(i.id));
const listFixture = JSON.parse(readFileSync(join(FIX, 'issues.json'), 'utf8')).issues;
const byId = new Map(listFixture.map((i) => [String(i.id), i]));
const details = new Map(seedIds.map((id) => [id, JSON.parse(readFileSync(join(FIX, `issues/${id}.json`), 'utf8'))]));

/** Issue 1001 + k is a copy of seeded issue (k mod 12) under a new id. */
const ids = Array.from({ length: ROWS }, (_, k) => String(1001 + k));
const template = (id) => seedIds[(Number(id) - 1001) % seedIds.length];
function listIssue(id) {
  const t = byId.get(template(id));
  return { ...t, id: Number(id), subject: `${t.subject} (copy ${id})` };
}
function detailIssue(id) {
  const d = details.get(template(id));
  return JSON.stringify({ issue: { ...d.issue, id: Number(id), subject: `${d.issue.subject} (copy ${id})` } });
}

function bigPage() {
  const html = readFileSync(join(ROOT, 'tests/fixtures/pages/redmine/issues.html'), 'utf8');
  const start = html.indexOf('<tbody>') + '<tbody>'.length;
  const end = html.indexOf('</tbody>');
  const rows = html.slice(start, end);
  const first = rows.slice(rows.indexOf('<tr id="issue-'), rows.indexOf('</tr>') + 5);
  const seedFirst = seedIds[0];
  const out = ids.map((id, k) =>
    first
      .replaceAll(`issue-${seedFirst}"`, `issue-${id}"`)
      .replaceAll(`/issues/${seedFirst}"`, `/issues/${id}"`)
      .replaceAll(`value="${seedFirst}"`, `value="${id}"`)
      .replace(`>${seedFirst}</a>`, `>${id}</a>`)
      .replace(/>\[S01 on-track\][^<]*</, `>${listIssue(id).subject.replace(/&/g, '&amp;').replace(/</g, '&lt;')}<`)
      .replace(/\b(odd|even)\b/, k % 2 ? 'even' : 'odd'),
  );
  return `${html.slice(0, start)}\n${out.join('\n')}\n${html.slice(end)}`.replace(
    /<script\b[^>]*>[\s\S]*?<\/script>/gi,
    '',
  );
}

const PAGE = bigPage();
const PAGE_PATH = '/issues';

async function publicFile(pathname) {
  if (!existsSync(REDMINE_PUBLIC)) return null;
  const file = normalize(join(REDMINE_PUBLIC, decodeURIComponent(pathname)));
  if (!file.startsWith(REDMINE_PUBLIC)) return null;
  try {
    return {
      body: await readFile(file),
      type:
        { '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' }[extname(file)] ??
        'application/octet-stream',
    };
  } catch {
    return null;
  }
}

const publicCache = new Map();
for (const p of [
  '/stylesheets/application.css',
  '/stylesheets/responsive.css',
  '/stylesheets/jquery/jquery-ui-1.13.2.css',
]) {
  const f = await publicFile(p);
  if (f) publicCache.set(p, f);
}

function api(u) {
  const r = answer(u);
  return r && LATENCY && !r.type?.startsWith('text/') ? { ...r, delayMs: LATENCY } : r;
}

function answer(u) {
  if (u.pathname === PAGE_PATH) return { type: 'text/html; charset=utf-8', body: PAGE };
  if (publicCache.has(u.pathname)) return publicCache.get(u.pathname);
  if (u.pathname === '/issues.json') {
    const want = (u.searchParams.get('issue_id') ?? '')
      .split(',')
      .filter((id) => Number(id) > 1000 && Number(id) <= 1000 + ROWS);
    const issues = want.map(listIssue);
    return { body: JSON.stringify({ issues, total_count: issues.length, offset: 0, limit: 100 }) };
  }
  const m = /^\/issues\/(\d+)\.json$/.exec(u.pathname);
  if (m && Number(m[1]) > 1000) return { body: detailIssue(m[1]) };
  return null;
}

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

// Not `disabled-by-default-devtools.timeline`: its invalidation tracking is itself costly.
const CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'toplevel'];

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

/**
 * From a trace: the renderer main thread's busy time (tasks, merged: nested tasks count once)
 * between the `sla-lens:data-ready` and `sla-lens:painted` marks and over the whole run, the
 * longest task, and the layouts (a layout inside sla-lens's synchronous block is one it forced).
 */
function analyse(trace) {
  const events = JSON.parse(trace.toString()).traceEvents;
  const marks = new Map();
  for (const e of events) {
    if (e.cat?.includes('blink.user_timing') && e.name?.startsWith('sla-lens:'))
      marks.set(e.name, { ts: e.ts, pid: e.pid, tid: e.tid });
  }
  const a = marks.get('sla-lens:data-ready');
  const b = marks.get('sla-lens:painted');
  const r = marks.get('sla-lens:rendered');
  const s0 = marks.get('sla-lens:start');
  if (!a || !b) throw new Error(`marks missing in the trace: ${[...marks.keys()].join(', ')}`);
  const main = (e) => e.pid === a.pid && e.tid === a.tid;
  const tasks = [];
  let layouts = 0;
  let forced = 0;
  for (const e of events) {
    if (!main(e) || e.ph !== 'X' || typeof e.dur !== 'number') continue;
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') tasks.push([e.ts, e.ts + e.dur]);
    if (e.name === 'Layout' && e.ts >= a.ts && e.ts <= b.ts) {
      layouts += 1;
      if (r && e.ts <= r.ts) forced += 1;
    }
  }
  const busy = union(tasks);
  // What the main thread did, by event (the direct children of tasks), over the whole run.
  const breakdown = {};
  if (process.argv.includes('--breakdown')) {
    const top = busy;
    const depthOne = events.filter(
      (e) =>
        main(e) &&
        e.ph === 'X' &&
        typeof e.dur === 'number' &&
        !['ThreadControllerImpl::RunTask', 'RunTask'].includes(e.name),
    );
    for (const e of depthOne) {
      if (e.ts < (s0?.ts ?? a.ts) || e.ts > b.ts) continue;
      breakdown[e.name] = (breakdown[e.name] ?? 0) + e.dur / 1000;
    }
    void top;
    const longTasks = events.filter(
      (e) =>
        main(e) &&
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.dur > 40_000 &&
        e.ts >= (s0?.ts ?? a.ts) &&
        e.ts <= b.ts,
    );
    const win = {};
    for (const e of depthOne)
      if (e.ts >= a.ts && e.ts <= b.ts && e.dur > 500) win[e.name] = (win[e.name] ?? 0) + e.dur / 1000;
    breakdown.__window = win;
    breakdown.__long = longTasks.map((t) => ({
      at: ((t.ts - (s0?.ts ?? a.ts)) / 1000).toFixed(0),
      ms: (t.dur / 1000).toFixed(1),
      inside: events
        .filter(
          (e) => main(e) && e.ph === 'X' && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 8_000 && e !== t,
        )
        .map(
          (e) =>
            `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${(e.dur / 1000).toFixed(1)}`,
        )
        .slice(0, 8),
    }));
  }
  const from = s0?.ts ?? a.ts;
  const longest = busy.filter(([x, y]) => y > from && x < b.ts).reduce((m, [x, y]) => Math.max(m, y - x), 0);
  return {
    busyMs: within(busy, a.ts, b.ts) / 1000,
    wallMs: (b.ts - a.ts) / 1000,
    syncMs: r ? (r.ts - a.ts) / 1000 : null,
    totalBusyMs: within(busy, from, b.ts) / 1000,
    longestTaskMs: longest / 1000,
    layouts,
    forcedLayouts: forced,
    breakdown,
  };
}

async function run(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const mark = server.log.length;
  server.maxInFlight = 0;
  await page.goto(`${server.url}${PAGE_PATH}?set_filter=1`);
  await page.waitForLoadState('load');
  await browser.startTracing(page, { categories: CATEGORIES });
  const t0 = Date.now();
  // The page signals the end through a promise awaited by one evaluate call: no polling by the
  // harness on the page's main thread while sla-lens works.
  await page.addScriptTag({
    type: 'module',
    content: `
      window.__slaDone = (async () => {
        const shim = await import('/__sla-lens/sla-lens.js');
        const { annotate } = await import('/__sla-lens/trackers/annotate.js');
        shim.setClock(() => ${NOW});
        performance.mark('sla-lens:start');
        const s = annotate({ tracker: 'redmine' });
        window.slaSession = s;
        await s.ready;
        await new Promise((resolve) => {
          const done = () => performance.getEntriesByName('sla-lens:painted').length ? resolve() : setTimeout(done, 20);
          done();
        });
      })();
    `,
  });
  await page.evaluate(() => window.__slaDone);
  const wall = Date.now() - t0;
  const trace = await browser.stopTracing();
  const inPage = await page.evaluate(() => {
    const m = (n) => performance.getEntriesByName(n)[0]?.duration ?? null;
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
    const badges = [...document.querySelectorAll('sla-badge.sla-lens')];
    return {
      renderMs: m('sla-lens:render'),
      paintMs: m('sla-lens:paint'),
      startToPaintedMs: at('sla-lens:painted') - at('sla-lens:start'),
      badges: badges.length,
      evaluated: badges.filter(
        (b) =>
          b.getAttribute('state') && b.getAttribute('state') !== 'unknown' && b.getAttribute('state') !== 'unavailable',
      ).length,
      unavailable: badges.filter((b) => b.getAttribute('state') === 'unavailable').length,
      stats: window.slaSession.stats,
    };
  });
  const calls = server.log
    .slice(mark)
    .filter((l) => l.api)
    .map((l) => new URL(l.path, 'http://x').pathname);
  await context.close();
  return {
    ...analyse(trace),
    ...inPage,
    wallToDoneMs: wall,
    listCalls: calls.filter((p) => p === '/issues.json').length,
    issueCalls: calls.filter((p) => /^\/issues\/\d+\.json$/.test(p)).length,
    otherCalls: calls.filter((p) => p !== '/issues.json' && !/^\/issues\/\d+\.json$/.test(p)).length,
    maxInFlight: server.maxInFlight,
    errors,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serveTrackers({ extra: api });
// launch() runs Chromium on a fresh temporary profile of its own (deleted on close); a trace
// needs a Browser, which a persistent context does not give.
const browser = await chromium.launch({
  executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
});
const runs = [];
try {
  await run(browser, server); // warm-up: the HTTP cache is off, but V8 and the disk are warm
  for (let i = 0; i < RUNS; i++) runs.push(await run(browser, server));
} finally {
  await browser.close();
  await server.close();
}

const needJournals = ids.filter((id) => {
  const t = byId.get(template(id));
  return t.updated_on !== t.created_on;
}).length;
const r0 = runs[0];
const summary = {
  rows: ROWS,
  runs: RUNS,
  latencyMs: LATENCY,
  redmineCss: publicCache.size > 0,
  badges: r0.badges,
  evaluated: r0.evaluated,
  unavailable: r0.unavailable,
  dataReadyToPainted: {
    mainThreadBusyMs: median(runs.map((r) => r.busyMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    syncScriptMs: median(runs.map((r) => r.syncMs ?? r.renderMs)),
    worstBusyMs: Math.max(...runs.map((r) => r.busyMs)),
    totalBusyMs: median(runs.map((r) => r.totalBusyMs)),
    longestTaskMs: median(runs.map((r) => r.longestTaskMs)),
    layouts: median(runs.map((r) => r.layouts)),
    forcedLayouts: Math.max(...runs.map((r) => r.forcedLayouts)),
  },
  startToPaintedMs: median(runs.map((r) => r.startToPaintedMs)),
  requests: {
    list: r0.listCalls,
    listBudget: Math.ceil(ROWS / 100),
    perIssue: r0.issueCalls,
    perIssueWithJournals: needJournals,
    other: r0.otherCalls,
    maxInFlight: Math.max(...runs.map((r) => r.maxInFlight)),
  },
  errors: runs.flatMap((r) => r.errors),
};

if (process.argv.includes('--breakdown')) {
  console.log(
    `  data-ready → painted, by event: ${Object.entries(runs[0].breakdown.__window ?? {})
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}`,
  );
  for (const t of runs[0].breakdown.__long ?? [])
    console.log(`  long task at +${t.at} ms: ${t.ms} ms: ${t.inside.join(' | ')}`);
  const top = Object.entries(runs[0].breakdown)
    .filter(([k]) => !k.startsWith('__'))
    .sort((x, y) => y[1] - x[1])
    .slice(0, 25);
  for (const [name, ms] of top) console.log(`  ${ms.toFixed(1).padStart(9)} ms  ${name}`);
}
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ summary, runs }, null, 2));
} else {
  const d = summary.dataReadyToPainted;
  console.log(
    `sla-lens on a ${ROWS}-row Redmine list (headless Chromium, ${RUNS} runs, median; REST latency ${LATENCY} ms; Redmine CSS: ${summary.redmineCss ? 'yes' : 'no'})`,
  );
  console.log(`  badges ${summary.badges} (evaluated ${summary.evaluated}, unavailable ${summary.unavailable})`);
  console.log(
    `  data-ready → painted: main thread busy ${d.mainThreadBusyMs.toFixed(1)} ms (worst ${d.worstBusyMs.toFixed(1)}; budget 50), wall ${d.wallMs.toFixed(1)} ms, sla-lens's synchronous block ${d.syncScriptMs.toFixed(1)} ms`,
  );
  console.log(`  layouts in that window ${d.layouts}, forced inside sla-lens's scripts ${d.forcedLayouts}`);
  console.log(
    `  whole annotation (start → painted): main thread busy ${d.totalBusyMs.toFixed(0)} ms, longest task ${d.longestTaskMs.toFixed(0)} ms`,
  );
  console.log(`  start → painted (Wasm load, fetches, everything) ${summary.startToPaintedMs.toFixed(0)} ms`);
  const q = summary.requests;
  console.log(
    `  requests: ${q.list} list (budget ${q.listBudget}), ${q.perIssue} per-issue (issues with journals: ${q.perIssueWithJournals}; the rest need none or are out of scope), ${q.other} other (statuses, API key), at most ${q.maxInFlight} in flight`,
  );
  if (summary.errors.length) console.log(`  page errors: ${summary.errors.join('; ')}`);
}
const ok =
  summary.dataReadyToPainted.mainThreadBusyMs <= 50 &&
  summary.requests.list <= summary.requests.listBudget &&
  summary.badges === ROWS &&
  summary.errors.length === 0;
if (!ok) process.exitCode = 1;
