// One contract suite over every tracker adapter (www/trackers/), in headless Chromium, on the
// committed page fixtures (tests/fixtures/pages/): each adapter recognises its own pages and
// issue links, finds nothing on the other trackers' pages, places its badges idempotently
// (annotating twice leaves one badge per issue), handles an empty page, and with the tracker's
// API (served from the REST fixtures) brings every badge to the state the engine gives.
// Skipped when Chromium is not installed (scripts/setup.sh browser).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { serveTrackers, PAGE_FIXTURES } from './trackers-harness.mjs';
import { ADAPTERS, collector } from '../../www/trackers/annotate.js';
import { Client } from '../../www/trackers/net.js';

const require = createRequire(import.meta.url);
const wasm = require('../../www/pkg-node/sla_lens.js');
const NOW = Date.parse('2026-11-27T12:00:00Z');
const TRACKERS = Object.keys(PAGE_FIXTURES);

let server;
let context;
let profile;
const pageErrors = [];

/** The states the engine gives the fixture issues, from the same API answers, in Node. */
async function expectedStates(tracker, pageUrl, ids) {
  const page = wasm.detectPage(tracker, pageUrl);
  const memo = new Map();
  const io = {
    client: new Client({ fetch: (u, init) => fetch(new URL(u, server.url), init), tracker }),
    base: server.url,
    page,
    token: null,
    apiBase: `${server.url}/gh-api`,
    document: { querySelector: () => null },
    batchSize: 100,
    concurrency: 6,
    applies: null,
    once: (k, fn) => (memo.has(k) ? memo.get(k) : memo.set(k, fn()).get(k)),
  };
  const c = collector();
  await ADAPTERS[tracker].load(ids, { ...io, ...c.io });
  const res = c.result();
  const m = wasm.mapResponses(tracker, [...res.shared, ...res.texts.map((t) => t.text)], { origin: server.url });
  const engine = wasm.SlaEngine.defaultPolicy();
  const out = new Map(engine.evaluate(m.tickets, NOW).map((r) => [String(r.id), r.evaluation?.state ?? 'error']));
  engine.free();
  return out;
}

async function open(url) {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${url}: ${e.message}`));
  await page.goto(`${server.url}${url}`);
  await page.addScriptTag({
    type: 'module',
    content: `
      import * as shim from '/__sla-lens/sla-lens.js';
      import * as trackers from '/__sla-lens/trackers/annotate.js';
      shim.setClock(() => ${NOW});
      const api = await shim.load();
      window.sla = { shim, api, ...trackers };
      document.documentElement.dataset.slaLoaded = '1';
    `,
  });
  await page.waitForSelector('html[data-sla-loaded="1"]');
  return page;
}

/** In the page: each adapter's targets, as ids (and where they go). */
const targetsByAdapter = (page) =>
  page.evaluate(() => {
    const out = {};
    for (const [name, adapter] of Object.entries(window.sla.ADAPTERS)) {
      const u = new URL(location.href);
      const site = { tracker: name, origin: location.origin };
      const detected = window.sla.api.detectPage(name, u.pathname + u.search, site);
      const ctx = window.sla.findContext({
        api: window.sla.api,
        tracker: name,
        site,
        origin: location.origin,
        page: detected,
      });
      out[name] = {
        page: detected,
        targets: adapter
          .targets(document, ctx)
          .map((t) => ({ id: t.id, where: t.where, heading: !!t.heading, anchor: t.anchor.tagName.toLowerCase() })),
      };
    }
    return out;
  });

const annotateIn = (page, tracker, extra = {}) =>
  page.evaluate(
    async ({ tracker, extra }) => {
      const s = window.sla.annotate({ tracker, apiBase: `${location.origin}/gh-api`, debounceMs: 20, ...extra });
      window.sessions ??= [];
      window.sessions.push(s);
      await s.ready;
      return { stats: s.stats, problems: s.problems };
    },
    { tracker, extra },
  );

const badgeStates = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('sla-badge')].map((b) => ({
      id: b.getAttribute('ticket-id'),
      state: b.getAttribute('state'),
      text: b.shadowRoot?.querySelector('.text')?.textContent,
    })),
  );

// A missing browser fails the suite (make test-js installs it first: scripts/setup.sh browser).
if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME}: scripts/setup.sh browser`);

describe('tracker adapters on their pages (contract)', () => {
  before(async () => {
    server = await serveTrackers();
    profile = mkdtempSync(join(tmpdir(), 'sla-pages-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Europe/Berlin',
    });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    assert.deepEqual(pageErrors, []);
  });

  for (const tracker of TRACKERS) {
    describe(tracker, () => {
      for (const fx of PAGE_FIXTURES[tracker]) {
        it(`${fx.file}: recognised as ${fx.kind}, its issues found, nothing found by the others`, async () => {
          const page = await open(fx.url);
          const all = await targetsByAdapter(page);
          assert.equal(all[tracker].page?.kind, fx.kind, 'its detector knows the page');
          assert.deepEqual([...new Set(all[tracker].targets.map((t) => t.id))], fx.ids);
          if (fx.kind === 'issue')
            assert.ok(
              all[tracker].targets.some((t) => t.heading && t.id === fx.ids[0]),
              'a badge for the heading',
            );
          for (const other of TRACKERS.filter((t) => t !== tracker)) {
            assert.equal(all[other].page, null, `${other} does not take ${tracker}'s page`);
            assert.deepEqual(all[other].targets, [], `${other} finds nothing on ${tracker}'s page`);
          }
          await page.close();
        });
      }

      it('places one badge per issue, idempotently, in the states the engine gives', async () => {
        const fx = PAGE_FIXTURES[tracker][0];
        const want = await expectedStates(tracker, fx.url, fx.ids);
        const page = await open(fx.url);
        const first = await annotateIn(page, tracker);
        assert.deepEqual(first.problems, []);
        const got = await badgeStates(page);
        assert.deepEqual(
          got.map((b) => b.id),
          fx.ids,
          'one badge per issue, in page order',
        );
        for (const b of got) assert.equal(b.state, want.get(b.id), `${tracker} ${b.id}`);
        // A second session and more passes: still one badge each.
        await annotateIn(page, tracker);
        await page.evaluate(() => Promise.all(window.sessions.map((s) => s.refresh())));
        assert.deepEqual(
          (await badgeStates(page)).map((b) => b.id),
          fx.ids,
        );
        // A DOM change that re-renders a row without its badge gets one back, and only one.
        await page.evaluate(() => {
          const b = document.querySelector('sla-badge');
          const host = b.parentElement;
          b.remove();
          host.append(document.createElement('span'));
        });
        await page.waitForFunction((n) => document.querySelectorAll('sla-badge').length === n, fx.ids.length);
        assert.deepEqual((await badgeStates(page)).map((b) => b.id).sort(), [...fx.ids].sort());
        await page.evaluate(() => {
          for (const s of window.sessions) s.stop();
        });
        assert.equal((await badgeStates(page)).length, 0, 'stop() takes the badges away');
        await page.close();
      });

      it('an empty page: no badge, no request, no problem', async () => {
        const mark = server.log.length;
        const page = await open(`${PAGE_FIXTURES[tracker][0].url.split('?')[0]}?sla-empty=1`);
        const r = await annotateIn(page, tracker);
        assert.deepEqual(r.problems, []);
        assert.equal(r.stats.badges, 0);
        assert.equal((await badgeStates(page)).length, 0);
        assert.equal(server.log.slice(mark).filter((l) => l.api).length, 0);
        await page.close();
      });

      it('a failing API: grey "SLA unavailable" badges, the page unchanged otherwise', async () => {
        const fx = PAGE_FIXTURES[tracker][0];
        const page = await open(fx.url);
        const before = await page.evaluate(() => document.body.innerText.length);
        server.fault = (u) =>
          u.pathname.startsWith('/__sla-lens/') || !/\.json$|^\/(gh-api|api|rest)\//.test(u.pathname)
            ? null
            : { status: 503 };
        try {
          await annotateIn(page, tracker, { retries: 1, backoffMs: 10 });
        } finally {
          server.fault = null;
        }
        const got = await badgeStates(page);
        assert.equal(got.length, fx.ids.length);
        assert.ok(
          got.every((b) => b.state === 'unavailable' && b.text === 'SLA unavailable'),
          JSON.stringify(got),
        );
        const after = await page.evaluate(() => document.body.innerText.length);
        assert.ok(after >= before, 'nothing of the page was removed');
        await page.close();
      });
    });
  }

  it("lazy: true — badges for the rows on screen first, the others as they scroll near, in the engine's states", async () => {
    const fx = PAGE_FIXTURES.redmine[0];
    const want = await expectedStates('redmine', fx.url, fx.ids);
    const page = await open(fx.url);
    // A page taller than the viewport: rows two screens down wait until they come near.
    await page.evaluate(() =>
      document.body.prepend(Object.assign(document.createElement('div'), { style: 'height: 3000px' })),
    );
    const r = await annotateIn(page, 'redmine', { lazy: true });
    assert.deepEqual(r.problems, []);
    assert.equal((await badgeStates(page)).length, 0, 'no row near the screen yet');
    assert.equal(
      await page.evaluate(() => document.querySelectorAll('span.sla-lens-slot').length),
      fx.ids.length,
      'every row has its slot already',
    );
    await page.evaluate(() => document.querySelector('table.list.issues').scrollIntoView());
    await page.waitForFunction((n) => document.querySelectorAll('sla-badge').length === n, fx.ids.length);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('sla-badge')].every(
        (b) => b.getAttribute('state') && b.getAttribute('state') !== 'loading',
      ),
    );
    const got = await badgeStates(page);
    assert.deepEqual(
      got.map((b) => b.id),
      fx.ids,
    );
    for (const b of got) assert.equal(b.state, want.get(b.id), `redmine ${b.id}`);
    await page.evaluate(() => {
      for (const s of window.sessions) s.stop();
    });
    assert.equal((await badgeStates(page)).length, 0);
    await page.close();
  });
});
