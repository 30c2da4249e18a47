// The extension's page session (extension/src/content.js, the page-world badge script
// badge-main.js) over a fake worker port, on the committed Redmine page fixtures in Chromium: the
// content script's messages (lib/worker-port.js) are answered in Node by a stand-in for the
// worker that maps and evaluates with the real Wasm adapters and engine (www/pkg-node), so the
// badges show real results. Checks the badges and their states, the "SLA unavailable" reasons (an
// answer the mapping sets aside, a request that failed), and the re-arm after a back/forward-cache
// `pageshow` (the page's changes are watched again, the badges catch up with the clock).
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { serveTrackers, PAGE_FIXTURES } from './trackers-harness.mjs';
import { whyMissing } from '../../extension/src/lib/page-adapter.js';
import { rejectedFault } from '../../www/trackers/net.js';

const require = createRequire(import.meta.url);
const wasm = require('../../www/pkg-node/sla_lens.js');
const NOW = Date.parse('2026-11-27T12:00:00Z');
const LIST = PAGE_FIXTURES.redmine[0];
const src = (rel) => fileURLToPath(new URL(`../../extension/src/${rel}`, import.meta.url));

let server;
let browser;
let scripts;

/** The content script and the badge script as the test build has them (esbuild, __SLA_TEST__). */
async function bundle(entry, plugins = []) {
  const out = await build({
    entryPoints: [src(entry)],
    bundle: true,
    format: 'iife',
    write: false,
    target: ['chrome116'],
    define: { __SLA_TEST__: 'true' },
    logLevel: 'silent',
    plugins,
  });
  return out.outputFiles[0].text;
}

const noEngine = {
  name: 'no-engine',
  setup(b) {
    b.onResolve({ filter: /pkg\/sla_lens\.js$/ }, () => ({ path: 'stub', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export default function init() { throw new Error("no engine"); }',
      loader: 'js',
    }));
  },
};

/**
 * A stand-in for the worker's content-script handlers (background.js `hello`, `detectPage`,
 * `issueLinks`, `evaluate`, `refresh`, `explain`): the same answers' shapes, from the real Wasm
 * mapping and engine. `log` holds the messages' types.
 */
function fakeWorker(origin) {
  const site = { origin, tracker: 'redmine' };
  const engine = wasm.SlaEngine.defaultPolicy();
  const kept = new Map();
  const log = [];
  let nowMs = NOW;
  const handlers = {
    hello: () => ({
      ok: true,
      site: { origin, tracker: 'redmine', basePath: '', token: false, fetchInWorker: false, mapping: '' },
    }),
    detectPage: (m) => {
      const u = new URL(m.url);
      return { ok: true, page: wasm.detectPage('redmine', u.pathname + u.search, site) };
    },
    issueLinks: (m) => ({ ok: true, ids: wasm.issueLinks('redmine', m.hrefs, site) }),
    evaluate: (m) => {
      if (m.reset) kept.clear();
      const mapped = wasm.mapResponses('redmine', m.docs, site);
      for (const t of mapped.tickets) kept.set(String(t.id), t);
      const unavailable = { ...m.failed };
      for (const e of mapped.errors) if (e.id != null) unavailable[e.id] = e.message;
      const rejected = mapped.rejected.map((r) => ({ input: r.input, reason: rejectedFault('Redmine', r).reason }));
      const results = mapped.tickets.length ? engine.evaluate(mapped.tickets, nowMs) : [];
      return {
        ok: true,
        nowMs,
        skewMs: 0,
        policy: { name: engine.name },
        results,
        unavailable,
        rejected,
        nextChange: null,
        fatal: null,
      };
    },
    refresh: () => ({
      ok: true,
      nowMs,
      results: engine.evaluate([...kept.values()], nowMs),
      nextChange: null,
      policy: { name: engine.name },
    }),
    explain: (m) => ({
      ok: true,
      lines: kept.has(String(m.id)) ? engine.explain(kept.get(String(m.id)), m.nowMs).lines : [],
    }),
  };
  return {
    log,
    setNow: (t) => {
      nowMs = t;
    },
    answer(text) {
      const m = JSON.parse(text);
      log.push(m.type);
      const h = handlers[m.type];
      return JSON.stringify(h ? h(m) : { ok: false, error: `no handler for ${m.type}` });
    },
    /** The engine's state for each ticket the worker holds, at its clock. */
    expected: () =>
      new Map(engine.evaluate([...kept.values()], nowMs).map((r) => [String(r.id), r.evaluation?.state ?? null])),
    free: () => engine.free(),
  };
}

/** A fixture page with the extension's two scripts, its messages answered by `worker`. */
async function open(url, worker) {
  // Tall enough for every row of the fixture to be on screen (rows off screen get their badges
  // when they scroll near: tests/extension covers that).
  const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.exposeFunction('__slaFakeWorker', (text) => worker.answer(text));
  await page.addInitScript(() => {
    const sendMessage = (msg) => globalThis.__slaFakeWorker(JSON.stringify(msg)).then(JSON.parse);
    globalThis.chrome = { runtime: { id: 'test', sendMessage, onMessage: { addListener() {} } } };
  });
  await page.goto(`${server.url}${url}`);
  await page.addScriptTag({ content: scripts.main });
  await page.addScriptTag({ content: scripts.content });
  return { page, errors };
}

before(async () => {
  server = await serveTrackers();
  scripts = { content: await bundle('content.js'), main: await bundle('badge-main.js', [noEngine]) };
  browser = await chromium.launch({ executablePath: CHROME, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The badges' issue ids, results' states and unavailable reasons, as the badge script holds them. */
const shownResults = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('sla-badge.sla-lens')].map((b) => {
      const id = b.getAttribute('ticket-id');
      const board = /** @type {any} */ (b).board;
      return {
        id,
        state: board?.result(id)?.evaluation?.state ?? null,
        why: board?.unavailable.get(id) ?? null,
        text: b.shadowRoot?.textContent ?? '',
      };
    }),
  );

const allBadged = (page, n) =>
  page.waitForFunction((k) => document.documentElement.getAttribute('data-sla-lens-badges') === String(k), n, {
    timeout: 20_000,
  });

/**
 * The list page under `fault` (server.fault for its run), all its issues badged: `check` gets
 * what the badges show and the worker; no page error.
 */
async function onList(fault, check) {
  const worker = fakeWorker(server.url);
  server.fault = fault;
  try {
    const { page, errors } = await open(LIST.url, worker);
    await allBadged(page, LIST.ids.length);
    const shown = await shownResults(page);
    assert.deepEqual(shown.map((b) => b.id).sort(), [...LIST.ids].sort(), 'one badge per issue');
    check(shown, worker);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.fault = null;
    worker.free();
  }
}

it("badges every issue of the list with the worker's results; an issue whose request failed reads why", async () => {
  // Issue 10 has journals: its own request fails (404), so it is "SLA unavailable" with why.
  await onList(
    (u) => (u.pathname === '/issues/10.json' ? { status: 404, type: 'application/json', body: '{}' } : null),
    (shown, worker) => {
      const expected = worker.expected();
      for (const b of shown.filter((x) => x.id !== '10')) {
        assert.equal(b.why, null, `issue ${b.id} is available`);
        assert.equal(b.state, expected.get(b.id), `issue ${b.id}: the engine's state`);
      }
      const ten = shown.find((b) => b.id === '10');
      assert.equal(ten.state, null);
      assert.match(ten.why, /Redmine/, `issue 10 says why: ${ten.why}`);
      assert.match(ten.text, /unavailable/i, 'its badge reads "SLA unavailable"');
    },
  );
});

it("an answer the mapping sets aside: each issue it held reads the worker's reason (rejected)", async () => {
  // The list answer is JSON of another shape: the adapter delivers it for its issues, the worker's
  // mapping sets it aside, and the content script tells each issue of that answer why.
  await onList(
    (u) => (u.pathname === '/issues.json' ? { status: 200, type: 'application/json', body: '{"issues": 5}' } : null),
    (shown) => {
      for (const b of shown) {
        assert.equal(b.state, null, `issue ${b.id} has no result`);
        assert.match(
          b.why,
          /^Redmine's answer could not be read: this is not a redmine response sla-lens reads/,
          `issue ${b.id}: ${b.why}`,
        );
        assert.match(b.text, /unavailable/i);
      }
    },
  );
});

it("after a back/forward-cache pageshow, the page's changes are watched again and the badges catch up with the clock", async () => {
  const worker = fakeWorker(server.url);
  try {
    const { page, errors } = await open(LIST.url, worker);
    await allBadged(page, LIST.ids.length);
    // Leaving: no observer runs; a row added meanwhile gets no badge.
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    const first = LIST.ids[0];
    const addRow = (tag) =>
      page.evaluate(
        ([id, tag]) => {
          const row = document.querySelector(`tr#issue-${id}`);
          const copy = /** @type {Element} */ (row.cloneNode(true));
          copy.id = `issue-${id}-${tag}`;
          for (const b of copy.querySelectorAll('sla-badge, span.sla-lens-slot')) b.remove();
          row.after(copy);
        },
        [first, tag],
      );
    await addRow('a');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      await page.$$eval(`tr#issue-${first}-a sla-badge`, (els) => els.length),
      0,
      'no observer while in the cache',
    );
    const refreshes = worker.log.filter((t) => t === 'refresh').length;
    // Coming back: a pass (the row added meanwhile gets its badge), a refresh at the worker's
    // clock, and the observer again: a row added afterwards gets its badge too.
    worker.setNow(NOW + 60_000);
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    await page.waitForFunction((id) => document.querySelectorAll(`tr#issue-${id}-a sla-badge`).length === 1, first, {
      timeout: 10_000,
    });
    const deadline = Date.now() + 10_000;
    while (worker.log.filter((t) => t === 'refresh').length === refreshes && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      worker.log.filter((t) => t === 'refresh').length > refreshes,
      'the badges caught up with the clock (a refresh)',
    );
    await addRow('b');
    await page.waitForFunction((id) => document.querySelectorAll(`tr#issue-${id}-b sla-badge`).length === 1, first, {
      timeout: 10_000,
    });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    worker.free();
  }
});

it("tells each issue with no result why, from the worker's answer (whyMissing)", () => {
  const why = whyMissing(
    { results: [{ id: '1' }], unavailable: { 2: 'gone' }, rejected: [{ input: 1, reason: 'set aside' }] },
    ['1', '2', '3', '4'],
    [null, ['3'], ['4']],
  );
  assert.deepEqual(
    [...why],
    [
      ['2', 'gone'],
      ['3', 'set aside'],
      ['4', 'the tracker did not return this issue'],
    ],
  );
});
