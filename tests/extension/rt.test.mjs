// Request Tracker as a tracker kind of the browser extension, under node:test (issue #17 item 2):
// the site entry (no token kept: RT is read with the signed-in session), the site file the engine
// checks (the worker's `validateSite`), the content script's fetch of REST 2 through the shared
// adapter (www/trackers/rt.js, reached by lib/page-adapter.js `loadIssues`) from a server that
// answers with the recorded answers of a real RT 5.0.3 (tests/fixtures/rt/), mapped and evaluated
// by the Wasm engine as the worker does, equal to `sla-lens eval --tracker rt` on the same files;
// and the notification check's list of active tickets (TicketSQL, paged).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { normalizeSite, siteProblems, siteFile, hostPatterns, TRACKERS } from '../../extension/src/lib/config.js';
import { listOpen, siteClient } from '../../extension/src/lib/fetch-tracker.js';
import { loadIssues, whyMissing } from '../../extension/src/lib/page-adapter.js';
import { workerPort } from '../../extension/src/lib/worker-port.js';
import { ROOT } from './harness.mjs';

const require = createRequire(import.meta.url);
const wasm = require('../../www/pkg-node/sla_lens.js');
const FIX = join(ROOT, 'tests/fixtures/rt');
const SEED = JSON.parse(readFileSync(join(FIX, 'seed.json'), 'utf8'));
const NOW = Date.parse(SEED.now);
const POLICY = readFileSync(join(FIX, 'policy.json'), 'utf8');
const CLI = process.env.SLA_LENS_BIN ?? join(ROOT, 'target/release/sla-lens');
const IDS = Object.values(SEED.tickets).map(String);

/**
 * A Request Tracker that answers REST 2 from the recorded fixtures (one history page each: the
 * seeded tickets have fewer than 100 transactions), and its ticket search with `active` ids in
 * pages of `per_page`. `log`: the paths and queries asked for; `cookies`: the Cookie headers.
 */
async function fakeRt({ active = [] } = {}) {
  const log = [];
  const cookies = [];
  const file = (dir, name) => {
    const p = join(FIX, dir, `${name}.json`);
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    log.push(u.pathname + u.search);
    cookies.push(req.headers.cookie ?? null);
    const routes = [
      [/^\/REST\/2\.0\/ticket\/(\d+)$/, 'ticket'],
      [/^\/REST\/2\.0\/ticket\/(\d+)\/history$/, 'history'],
      [/^\/REST\/2\.0\/transaction\/(\d+)\/attachments$/, 'attachments'],
      [/^\/REST\/2\.0\/queue\/(\d+)$/, 'queue'],
    ];
    let body = null;
    for (const [re, dir] of routes) {
      const m = u.pathname.match(re);
      if (m) body = file(dir, m[1]);
    }
    if (u.pathname === '/REST/2.0/tickets') {
      const per = Number(u.searchParams.get('per_page'));
      const page = Number(u.searchParams.get('page'));
      const items = active.slice((page - 1) * per, page * per).map((id) => ({ type: 'ticket', id: String(id) }));
      body = JSON.stringify({ items, count: items.length, page, per_page: per, total: null });
    }
    res.writeHead(body == null ? 404 : 200, {
      'content-type': 'application/json; charset=utf-8',
      date: new Date(NOW).toUTCString(),
    });
    res.end(body ?? '{"message":"Resource does not exist"}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, log, cookies, close: () => new Promise((r) => server.close(r)) };
}

/** `sla-lens eval --tracker rt` on every recorded answer, by ticket id. */
function cliResults() {
  const files = ['ticket', 'history', 'attachments', 'queue'].flatMap((d) =>
    readdirSync(join(FIX, d)).map((f) => join(d, f)),
  );
  const out = JSON.parse(
    execFileSync(CLI, ['eval', '--tracker', 'rt', '--policy', join(FIX, 'policy.json'), '--now', SEED.now, ...files], {
      cwd: FIX,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  return new Map(out.results.map((r) => [String(r.id), r]));
}

let rt;
before(async () => {
  rt = await fakeRt({ active: [...IDS].reverse() });
});
after(() => rt?.close());

describe('the Request Tracker site entry', () => {
  it('is a tracker kind; no token is kept for it, whatever a form, an import or a policy gives', () => {
    assert.ok(TRACKERS.includes('rt'));
    const s = normalizeSite({
      origin: 'https://RT.example.com:443/',
      tracker: 'rt',
      token: 'secret',
      watch: 'Support',
    });
    assert.equal(s.tracker, 'rt');
    assert.equal(s.origin, 'https://rt.example.com');
    assert.equal(s.token, '');
    assert.deepEqual(s.watch, ['Support']);
    // Another kind keeps its token: the rule is RT's alone.
    assert.equal(normalizeSite({ origin: 'https://r.example.com', tracker: 'redmine', token: ' k ' }).token, 'k');
  });

  it('refuses a token with the field it belongs to', () => {
    const p = siteProblems({ origin: 'https://rt.example.com', tracker: 'rt', token: 'k', watch: [] });
    assert.deepEqual(
      p.map((x) => x.path),
      ['token'],
    );
    assert.match(p[0].message, /signed-in session/);
    assert.deepEqual(siteProblems({ origin: 'https://rt.example.com', tracker: 'rt', token: '', watch: [] }), []);
  });

  it('asks for access to its own origin only (REST 2 is on RT itself)', () => {
    const s = normalizeSite({ origin: 'http://127.0.0.1:3099', tracker: 'rt' });
    assert.deepEqual(hostPatterns(s), ['http://127.0.0.1:3099/*']);
  });

  it("its site file (the `rt` object) is the engine's to check: valid ones pass, each fault has its path", () => {
    const good = normalizeSite({
      origin: 'https://rt.example.com',
      tracker: 'rt',
      site: { rt: { staff: { groups: ['IT Staff'] }, priority: ['sla', 'priority'] } },
    });
    assert.deepEqual(siteFile(good), {
      rt: { staff: { groups: ['IT Staff'] }, priority: ['sla', 'priority'] },
      tracker: 'rt',
      origin: 'https://rt.example.com',
    });
    const ok = wasm.validateSite(siteFile(good));
    assert.equal(ok.ok, true, JSON.stringify(ok.diagnostics));
    const bad = wasm.validateSite(
      siteFile(
        normalizeSite({ origin: 'https://rt.example.com', tracker: 'rt', site: { rt: { priority: ['urgency'] } } }),
      ),
    );
    assert.equal(bad.ok, false);
    assert.ok(
      bad.diagnostics.some((d) => d.severity === 'error' && /rt/.test(d.path)),
      JSON.stringify(bad.diagnostics),
    );
    // `rt` is Request Tracker's: on another kind the engine refuses it.
    const other = wasm.validateSite(
      siteFile(normalizeSite({ origin: 'https://r.example.com', tracker: 'redmine', site: { rt: {} } })),
    );
    assert.equal(other.ok, false);
  });
});

describe("the content script's fetch: REST 2 on RT's origin, mapped and evaluated as the worker does", () => {
  it('every seeded ticket, read through the shared adapter, is what `sla-lens eval --tracker rt` says', async () => {
    const site = normalizeSite({ origin: rt.origin, tracker: 'rt' });
    rt.log.length = 0;
    const f = await loadIssues('rt', IDS, { base: rt.origin, page: null, memo: new Map() });
    assert.deepEqual(f.failed, {});
    // One ticket a document (its ticket, history and messages), and each queue once, shared.
    assert.equal(f.docIds.filter((d) => Array.isArray(d)).length, IDS.length);
    assert.equal(rt.log.filter((p) => /^\/REST\/2\.0\/queue\//.test(p)).length, 2, 'each queue asked for once');
    assert.ok(
      rt.log.every((p) => p.startsWith('/REST/2.0/')),
      'nothing but REST 2',
    );
    // The worker's part (background.js `evaluate`: mapDocs with the site file, then the engine).
    const mapped = wasm.mapResponses('rt', f.docs, siteFile(site));
    assert.deepEqual(mapped.errors, []);
    assert.deepEqual(mapped.rejected, []);
    const engine = new wasm.SlaEngine(POLICY);
    const results = engine.evaluate(mapped.tickets, NOW);
    engine.free();
    const cli = cliResults();
    assert.equal(results.length, IDS.length);
    const states = new Set();
    for (const r of results) {
      const want = cli.get(String(r.id));
      assert.ok(want, `the CLI evaluated ticket ${r.id}`);
      assert.deepEqual(r.evaluation, want.evaluation, `ticket ${r.id}`);
      states.add(r.evaluation.state);
    }
    assert.ok(states.size >= 4, `several states: ${[...states]}`);
  });

  it('a ticket RT does not answer reads why; the others are untouched', async () => {
    const f = await loadIssues('rt', ['1', '999'], { base: rt.origin, page: null, memo: new Map() });
    assert.deepEqual(Object.keys(f.failed), ['999']);
    assert.match(f.failed['999'], /404|not found|does not exist/i);
    const mapped = wasm.mapResponses('rt', f.docs, { tracker: 'rt', origin: rt.origin });
    assert.deepEqual(
      mapped.tickets.map((t) => String(t.id)),
      ['1'],
    );
    const why = whyMissing({ results: [{ id: '1' }], unavailable: f.failed }, ['1', '999'], f.docIds);
    assert.deepEqual([...why.keys()], ['999']);
  });

  it('an id that is not a ticket number is never requested', async () => {
    rt.log.length = 0;
    const f = await loadIssues('rt', ['1/../../admin'], { base: rt.origin, page: null, memo: new Map() });
    assert.deepEqual(rt.log, []);
    assert.deepEqual(f.docs, []);
    assert.deepEqual(Object.keys(f.failed), ['1/../../admin']);
  });
});

describe("RT's pages: the page kinds the worker answers the content script's `detectPage` with", () => {
  it('a ticket display page is an issue page, the search results a list (the Rust detector)', () => {
    // The adapter's DOM rules are the page integration's (tests/js/trackers.test.mjs, and RT's own
    // markup in the real-RT browser test, tests/extension/rt.live.mjs).
    const site = siteFile(normalizeSite({ origin: rt.origin, tracker: 'rt' }));
    assert.deepEqual(wasm.detectPage('rt', '/Ticket/Display.html?id=3', site), {
      tracker: 'rt',
      kind: 'issue',
      project: null,
      issue: '3',
    });
    assert.equal(wasm.detectPage('rt', '/Search/Results.html?Query=id%3E0', site)?.kind, 'issueList');
    assert.equal(wasm.detectPage('rt', '/Admin/Queues/', site), null);
  });
});

describe("the notification check's list: RT's active tickets", () => {
  it('pages through TicketSQL `__Active__`, newest change first, bounded, in the watched queues', async () => {
    const site = normalizeSite({ origin: rt.origin, tracker: 'rt', watch: ['Marketing IT support', "O'Brien"] });
    rt.log.length = 0;
    rt.cookies.length = 0;
    const r = await listOpen(site, { client: siteClient(site), pageSize: 4, max: 10 });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.groups, [{ project: null, ids: [...IDS].reverse().slice(0, 10) }]);
    const asked = rt.log.map((p) => new URL(p, 'http://x'));
    assert.equal(asked.length, 3, 'pages of 4 until 10');
    assert.equal(
      asked[0].searchParams.get('query'),
      "Status = '__Active__' AND (Queue = 'Marketing IT support' OR Queue = 'O\\'Brien')",
    );
    assert.equal(asked[0].searchParams.get('orderby'), 'LastUpdated');
    assert.equal(asked[0].searchParams.get('order'), 'DESC');
  });

  it('without watched queues: every active ticket the user can see; a short page ends the list', async () => {
    const site = normalizeSite({ origin: rt.origin, tracker: 'rt' });
    rt.log.length = 0;
    const r = await listOpen(site, { client: siteClient(site), pageSize: 10 });
    assert.deepEqual(r.groups[0].ids, [...IDS].reverse());
    assert.equal(rt.log.length, 2);
    assert.equal(new URL(rt.log[0], 'http://x').searchParams.get('query'), "Status = '__Active__'");
  });
});

describe("the content script's engine port: where an issue's data is fetched (`load`, the fetch choice)", () => {
  /** A port whose worker records the messages and answers `ok`; `fetch`: the page-origin fetch. */
  function port(fetch) {
    const sent = [];
    const p = workerPort({
      send: async (msg) => {
        sent.push(msg);
        return { ok: true, nowMs: NOW, results: [] };
      },
      href: () => `${rt.origin}/Search/Results.html`,
      fetch,
    });
    return { p, sent };
  }
  const view = (site) => ({ site, origin: rt.origin, page: null, document: null, memo: new Map(), reset: true });

  it("an RT site: the page's session fetches REST 2 here; the worker gets the answers to evaluate", async () => {
    const { p, sent } = port(undefined);
    rt.log.length = 0;
    const r = await p.load(['2', '5'], view({ tracker: 'rt', token: false, fetchInWorker: false, basePath: '' }));
    assert.deepEqual(
      sent.map((m) => m.type),
      ['evaluate'],
    );
    assert.equal(sent[0].reset, true);
    assert.ok(rt.log.some((x) => x === '/REST/2.0/ticket/2'));
    // One document a ticket and the shared queue answer; docIds says which issues each held.
    assert.deepEqual(r.docIds.filter(Array.isArray).map(String).sort(), ['2', '5']);
    assert.ok(r.docIds.includes(null), 'the queue answer, shared');
    assert.equal(sent[0].docs.length, r.docIds.length);
    const mapped = wasm.mapResponses('rt', sent[0].docs, { tracker: 'rt', origin: rt.origin });
    assert.deepEqual(mapped.tickets.map((t) => String(t.id)).sort(), ['2', '5']);
  });

  it('a site the worker fetches for (a token, an API elsewhere): nothing is fetched here', async () => {
    let fetched = 0;
    const { p, sent } = port(async () => {
      fetched += 1;
      throw new Error('must not fetch');
    });
    const r = await p.load(['7'], view({ tracker: 'redmine', token: true, fetchInWorker: true }));
    assert.equal(fetched, 0);
    assert.deepEqual(sent, [
      { type: 'fetchEvaluate', url: `${rt.origin}/Search/Results.html`, ids: ['7'], reset: true },
    ]);
    assert.equal(r.docIds, null);
  });

  it('a page that forbids our requests (every one unreachable): the worker fetches after all', async () => {
    const { p, sent } = port(async () => {
      throw new TypeError('Failed to fetch'); // what a connect-src CSP refusal looks like
    });
    const r = await p.load(['2', '3'], view({ tracker: 'rt', fetchInWorker: false }));
    assert.deepEqual(
      sent.map((m) => [m.type, m.ids]),
      [['fetchEvaluate', ['2', '3']]],
    );
    assert.equal(r.docIds, null);
  });
});
