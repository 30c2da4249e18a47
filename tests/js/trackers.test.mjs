// The tracker-page layer in Node, without a DOM: the URL detectors as tables (read from
// tests/adapters.rs, so the JS side is held to the Rust table), the Wasm site-aware mapping,
// the fetch layer (retries, backoff, timeouts, faults, clock), and each adapter's fetch plan
// against a fake API serving the committed REST fixtures (requests per issue, batching, bounded
// concurrency). The DOM half (finding issues in real pages, mounting badges) runs in Chromium:
// tests/js/trackers-pages.test.mjs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  Client,
  Fault,
  pool,
  chunks,
  retryAfterMs,
  statusFault,
  isProjectPath,
  MAX_RESPONSE_BYTES,
} from '../../www/trackers/net.js';
import { createServer } from 'node:http';
import { redmine, viaPlugin } from '../../www/trackers/redmine.js';
import { github } from '../../www/trackers/github.js';
import { gitlab } from '../../www/trackers/gitlab.js';
import { jira } from '../../www/trackers/jira.js';
import { rt } from '../../www/trackers/rt.js';
import { unavailable, collector } from '../../www/trackers/annotate.js';
import { skewNote } from '../../www/badge-view.js';
import { badgeView, dueText, zonePlace } from '../../www/badge-view.js';

const require = createRequire(import.meta.url);
const wasm = require('../../www/pkg-node/sla_lens.js');
const root = new URL('../../', import.meta.url);
const text = (rel) => readFileSync(new URL(rel, root), 'utf8');
const json = (rel) => JSON.parse(text(rel));
const NOW = Date.parse('2026-11-27T12:00:00Z');
const TRACKERS = ['redmine', 'github', 'gitlab', 'jira'];

// -------------------------------------------------------------------------------------------
// URL detection: the Rust table, through the Wasm binding
// -------------------------------------------------------------------------------------------

function rustUrlTable() {
  const src = text('tests/adapters.rs');
  const start = src.indexOf('fn url_table()');
  const body = src.slice(start, src.indexOf('#[test]', start));
  const re =
    /\(\s*(Redmine|Github|Gitlab|Jira),\s*"([^"]*)",\s*(IssueList|Issue|Board),\s*(None|Some\("([^"]*)"\)),\s*(None|Some\("([^"]*)"\)),?\s*\)/g;
  const rows = [...body.matchAll(re)].map((m) => ({
    tracker: m[1].toLowerCase(),
    url: m[2],
    kind: { IssueList: 'issueList', Issue: 'issue', Board: 'board' }[m[3]],
    project: m[5] ?? null,
    issue: m[7] ?? null,
  }));
  const f = src.slice(src.indexOf('let foreign = ['), src.indexOf('];', src.indexOf('let foreign = [')));
  const foreign = [...f.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  return { rows, foreign };
}

describe('URL detectors (the table of tests/adapters.rs)', () => {
  const { rows, foreign } = rustUrlTable();

  it('reads the whole table', () => {
    assert.ok(rows.length >= 27, `${rows.length} rows`);
    for (const t of TRACKERS)
      assert.ok(
        rows.some((r) => r.tracker === t),
        t,
      );
    assert.ok(foreign.length >= 18);
  });

  for (const row of rows) {
    it(`${row.tracker}: ${row.url}`, () => {
      for (const t of TRACKERS) {
        const page = wasm.detectPage(t, row.url);
        if (t === row.tracker) {
          assert.deepEqual(page, { tracker: row.tracker, kind: row.kind, project: row.project, issue: row.issue });
          assert.deepEqual(wasm.issueLinks(t, [row.url]), [row.kind === 'issue' ? row.issue : null]);
        } else {
          assert.equal(page, null, `${t} must reject ${row.tracker}'s ${row.url}`);
          assert.deepEqual(wasm.issueLinks(t, [row.url]), [null]);
        }
      }
    });
  }

  it('no detector takes pages that are not issue pages', () => {
    for (const url of foreign) for (const t of TRACKERS) assert.equal(wasm.detectPage(t, url), null, `${t}: ${url}`);
  });

  it("removes a site's base path first, and refuses URLs outside it", () => {
    const site = { basePath: '/redmine' };
    assert.equal(wasm.detectPage('redmine', '/redmine/issues/3', site).issue, '3');
    assert.equal(wasm.detectPage('redmine', '/issues/3', site), null);
    assert.deepEqual(
      wasm.issueLinks('redmine', ['/redmine/issues/3?tab=history', '/redmine/issues/new', '/issues/3'], site),
      ['3', null, null],
    );
  });

  it('takes a whole page of hrefs in one call, and is total', () => {
    const hrefs = Array.from({ length: 1000 }, (_, i) => `/issues/${i + 1}`);
    const ids = wasm.issueLinks('redmine', hrefs);
    assert.equal(ids.length, 1000);
    assert.equal(ids[999], '1000');
    assert.deepEqual(wasm.issueLinks('jira', ['', '/browse/', 'javascript:alert(1)', 42, null]), [
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

// -------------------------------------------------------------------------------------------
// Mapping responses under a site file
// -------------------------------------------------------------------------------------------

const RM = 'tests/fixtures/redmine/';
const ISSUE_IDS = json(`${RM}seed.json`).issues.map((i) => String(i.id));

describe('mapResponses', () => {
  it('maps the recorded Redmine responses as the CLI reads them', () => {
    const texts = [
      text(`${RM}issue_statuses.json`),
      text(`${RM}issues.json`),
      ...ISSUE_IDS.map((id) => text(`${RM}issues/${id}.json`)),
    ];
    const m = wasm.mapResponses('redmine', texts, { origin: 'http://127.0.0.1:3088' });
    assert.deepEqual(m.tickets.map((t) => t.id).sort(), [...ISSUE_IDS].sort());
    assert.deepEqual([m.errors, m.rejected], [[], []]);
    assert.equal(m.tickets.find((t) => t.id === ISSUE_IDS[0]).url, `http://127.0.0.1:3088/issues/${ISSUE_IDS[0]}`);
  });

  it("sets aside answers that are not JSON or not the tracker's, and maps the rest together", () => {
    const texts = [
      text(`${RM}issue_statuses.json`),
      '<!DOCTYPE html><html><body>Internal error</body></html>',
      text(`${RM}issues/3.json`),
      '{"errors": ["Access denied"]}',
      text(`${RM}issues/5.json`),
      '{"issue": {"id": 5',
    ];
    const m = wasm.mapResponses('redmine', texts);
    assert.deepEqual(
      m.tickets.map((t) => t.id),
      ['3', '5'],
    );
    assert.deepEqual(
      m.rejected.map((r) => [r.input, r.code]),
      [
        [1, 'json-syntax'],
        [3, 'unexpected-shape'],
        [5, 'json-syntax'],
      ],
    );
    assert.match(m.rejected[0].message, /not valid JSON/);
  });

  it('stays linear with many bad answers', () => {
    const texts = [
      ...Array.from({ length: 300 }, () => '{"message": "Not Found"}'),
      text(`${RM}issue_statuses.json`),
      text(`${RM}issues/3.json`),
    ];
    const m = wasm.mapResponses('redmine', texts);
    assert.equal(m.rejected.length, 300);
    assert.deepEqual(
      m.tickets.map((t) => t.id),
      ['3'],
    );
  });

  it('keeps an unreadable issue to itself', () => {
    const list = JSON.parse(text(`${RM}issues.json`));
    list.issues[0].created_on = 'yesterday';
    const m = wasm.mapResponses('redmine', [JSON.stringify(list)]);
    assert.equal(m.errors.length, 1);
    assert.equal(m.errors[0].code, 'invalid-timestamp');
    assert.equal(m.tickets.length, list.issues.length - 1);
  });

  it('takes parsed objects as well as texts, and a site object without `tracker`', () => {
    const m = wasm.mapResponses('redmine', [json(`${RM}issue_statuses.json`), json(`${RM}issues/3.json`)], {
      fields: { category: ['tracker'] },
    });
    assert.equal(m.tickets[0].fields.category, 'Support');
  });

  it('reports every problem of a bad site file, and a tracker mismatch', () => {
    assert.throws(
      () => wasm.mapResponses('redmine', [], { fields: { priority: ['colour'], category: ['labelPrefix:x'] } }),
      (e) => {
        assert.equal(e.name, 'SiteError');
        assert.deepEqual(
          e.diagnostics.map((d) => d.code),
          ['site-unknown-source', 'site-unsupported-source'],
        );
        return true;
      },
    );
    assert.throws(() => wasm.mapResponses('redmine', [], { tracker: 'jira' }), /site file is for jira/);
    assert.throws(() => wasm.mapResponses('bugzilla', []), /unknown tracker/);
    assert.equal(wasm.validateSite({ tracker: 'gitlab', staff: { groups: ['IT'] } }).ok, false);
    assert.equal(wasm.validateSite('{"tracker": "redmine", "basePath": "/redmine"}').ok, true);
  });

  it('a Redmine issue without journals maps the same from the list alone, and scope never needs journals', () => {
    // What lets the page skip `/issues/N.json?include=journals` (tests the adapter's plan).
    const statuses = text(`${RM}issue_statuses.json`);
    const list = text(`${RM}issues.json`);
    const listOnly = new Map(wasm.mapResponses('redmine', [statuses, list]).tickets.map((t) => [t.id, t]));
    const detailed = new Map(
      wasm
        .mapResponses('redmine', [statuses, list, ...ISSUE_IDS.map((id) => text(`${RM}issues/${id}.json`))])
        .tickets.map((t) => [t.id, t]),
    );
    let same = 0;
    for (const it of JSON.parse(list).issues) {
      if (it.updated_on === it.created_on) {
        assert.deepEqual(listOnly.get(String(it.id)), detailed.get(String(it.id)), `issue ${it.id}`);
        same += 1;
      }
    }
    assert.ok(same >= 3, `${same} issues without journals`);
    for (const name of ['default', 'business-hours']) {
      const engine = new wasm.SlaEngine(wasm.examplePolicy(name));
      const a = engine.evaluate([...listOnly.values()], NOW);
      const b = engine.evaluate([...detailed.values()], NOW);
      const kinds = (rs) => new Map(rs.map((r) => [r.id, r.evaluation.applicability.kind]));
      assert.deepEqual(kinds(a), kinds(b), name);
      engine.free();
    }
  });
});

// -------------------------------------------------------------------------------------------
// The fetch layer
// -------------------------------------------------------------------------------------------

/** A fake `fetch`: `handler(url, init)` returns `{status, body, headers}` or throws. */
function fakeFetch(handler, { delayMs = 0 } = {}) {
  const calls = [];
  let inFlight = 0;
  const f = async (url, init) => {
    calls.push(String(url));
    inFlight += 1;
    f.maxInFlight = Math.max(f.maxInFlight, inFlight);
    try {
      if (delayMs) {
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, delayMs);
          init?.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(init.signal.reason);
          });
        });
      }
      const r = await handler(String(url), init);
      return new Response(r.body ?? '', { status: r.status ?? 200, headers: r.headers ?? {} });
    } finally {
      inFlight -= 1;
    }
  };
  f.calls = calls;
  f.maxInFlight = 0;
  return f;
}

describe('Client', () => {
  const fast = { backoffMs: 1, maxBackoffMs: 5, tracker: 'Redmine' };

  it('retries 5xx with backoff, then succeeds', async () => {
    let n = 0;
    const f = fakeFetch(() => (n++ < 2 ? { status: 503 } : { body: '{"ok": true}' }));
    const c = new Client({ fetch: f, ...fast });
    const r = await c.get('/issues.json');
    assert.deepEqual([r.ok, r.text, c.requests], [true, '{"ok": true}', 3]);
  });

  it('gives up after `retries`, with a reason people can read', async () => {
    const f = fakeFetch(() => ({ status: 500 }));
    const r = await new Client({ fetch: f, ...fast }).get('/issues.json');
    assert.equal(r.ok, false);
    assert.ok(r.fault instanceof Fault);
    assert.deepEqual([r.fault.kind, r.fault.status, r.fault.tries, r.fault.transient], ['server', 500, 3, true]);
    assert.match(r.fault.reason, /^Redmine answered 500 Internal Server Error \(3 tries\)/);
    assert.equal(f.calls.length, 3);
  });

  it('honours Retry-After on 429', async () => {
    let n = 0;
    const f = fakeFetch(() => (n++ === 0 ? { status: 429, headers: { 'retry-after': '0.05' } } : { body: '[]' }));
    const t0 = Date.now();
    const r = await new Client({ fetch: f, ...fast }).get('/x');
    assert.equal(r.ok, true);
    assert.ok(Date.now() - t0 >= 5, 'waited for the 429 (capped by maxBackoffMs)');
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(NOW + 3000).toUTCString(), NOW), 3000);
    assert.equal(retryAfterMs('soon'), null);
    assert.equal(retryAfterMs(null), null);
  });

  it('does not retry 401, 403 and 404, and names each', async () => {
    for (const [status, kind, words] of [
      [401, 'unauthorized', /asked for a login/],
      [403, 'forbidden', /REST API may be disabled/],
      [404, 'not-found', /deleted or you cannot see it/],
    ]) {
      const f = fakeFetch(() => ({ status }));
      const r = await new Client({ fetch: f, ...fast }).get('/x');
      assert.deepEqual([r.fault.kind, r.fault.transient, f.calls.length], [kind, false, 1]);
      assert.match(r.fault.reason, words);
    }
    assert.equal(statusFault(418).kind, 'http');
  });

  it('times out a request that hangs (and tries once more)', async () => {
    const f = fakeFetch(() => ({ body: 'late' }), { delayMs: 10_000 });
    const r = await new Client({ fetch: f, ...fast, timeoutMs: 30 }).get('/x');
    assert.deepEqual([r.fault.kind, r.fault.tries, f.calls.length], ['timeout', 2, 2]);
    assert.match(r.fault.reason, /did not answer within 0 s \(2 tries\)/);
  });

  it('turns a network error into a fault', async () => {
    const f = fakeFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const r = await new Client({ fetch: f, ...fast }).get('/x');
    assert.deepEqual([r.fault.kind, f.calls.length], ['network', 2]);
    assert.match(r.fault.reason, /could not be reached \(Failed to fetch\)/);
  });

  it("stops quietly on abort: rejects with the signal's reason and sends nothing more", async () => {
    const ctl = new AbortController();
    const f = fakeFetch(() => ({ status: 500 }), { delayMs: 20 });
    const c = new Client({ fetch: f, ...fast, backoffMs: 50, signal: ctl.signal });
    const p = c.get('/x');
    setTimeout(() => ctl.abort(new Error('navigated away')), 30);
    await assert.rejects(p, /navigated away/);
    const sent = f.calls.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(f.calls.length, sent);
  });

  it("reads the server's clock from the Date header, at the middle of its second and of the round trip", async () => {
    // Our clock reads NOW when the request goes and NOW + 400 ms when the answer comes. The
    // server's clock is 3 h ahead and read NOW + 3 h − 300 ms when it wrote its Date header,
    // which is truncated to the second. The estimate takes the header + 500 ms against our
    // round trip's midpoint, NOW + 200 ms.
    let local = NOW;
    const server = NOW + 3 * 3600_000 - 300;
    const f = fakeFetch(() => {
      local += 400;
      return { body: '{}', headers: { date: new Date(server).toUTCString() } };
    });
    const c = new Client({ fetch: f, now: () => local });
    await c.get('/x');
    const header = Math.floor(server / 1000) * 1000;
    assert.equal(header, NOW + 3 * 3600_000 - 1000, 'the header is whole seconds');
    assert.equal(c.skewMs, header + 500 - (NOW + 200));
    assert.ok(Math.abs(c.skewMs - 3 * 3600_000) <= 200 + 500, `skew ${c.skewMs} within half the round trip + 0.5 s`);
  });

  it('says a clock skew to the nearest minute: a header truncated to the second does not make 3 h read 2h 59m', () => {
    const cases = [
      [3 * 3600_000 - 600, "Your computer's clock is 3h behind Redmine's; times here follow Redmine's clock"],
      [3 * 3600_000 + 29_000, "Your computer's clock is 3h behind Redmine's; times here follow Redmine's clock"],
      [3 * 3600_000 + 31_000, "Your computer's clock is 3h 1m behind Redmine's; times here follow Redmine's clock"],
      [-90_000, "Your computer's clock is 2m ahead of Redmine's; times here follow Redmine's clock"],
      [
        -(26 * 3600_000 + 20_000),
        "Your computer's clock is 1d 2h ahead of Redmine's; times here follow Redmine's clock",
      ],
    ];
    for (const [skew, text] of cases) assert.equal(skewNote(skew, 'Redmine'), text, `skew ${skew}`);
  });

  it('pool bounds concurrency and keeps order; chunks splits by 100', async () => {
    let now = 0;
    let max = 0;
    const out = await pool([5, 1, 4, 2, 3, 6, 7, 8], 3, async (x) => {
      now += 1;
      max = Math.max(max, now);
      await new Promise((r) => setTimeout(r, x));
      now -= 1;
      return x * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30, 60, 70, 80]);
    assert.equal(max, 3);
    assert.deepEqual(
      chunks([...Array(250).keys()], 100).map((c) => c.length),
      [100, 100, 50],
    );
  });
});

// -------------------------------------------------------------------------------------------
// Each adapter's fetch plan against a fake API serving the fixtures
// -------------------------------------------------------------------------------------------

function io(fetch, extra = {}) {
  const memo = new Map();
  return {
    client: new Client({ fetch, backoffMs: 1, maxBackoffMs: 5, tracker: 'Tracker' }),
    base: 'https://tracker.example',
    page: null,
    token: null,
    apiBase: null,
    document: { querySelector: () => null },
    batchSize: 100,
    concurrency: 6,
    once: (k, fn) => (memo.has(k) ? memo.get(k) : memo.set(k, fn()).get(k)),
    ...extra,
  };
}

/** Runs an adapter's `load` with a collecting sink: what it shared, delivered, finalised, failed. */
async function plan(adapter, ids, fetch, extra = {}) {
  const c = collector();
  await adapter.load(ids, io(fetch, { ...c.io, ...extra }));
  return c.result();
}

/** The mapping and scope check the page gives adapters, over the Node Wasm build. */
function wasmMap(tracker) {
  return (texts) => {
    const m = wasm.mapResponses(tracker, texts);
    return {
      tickets: new Map(m.tickets.map((t) => [String(t.id), t])),
      errors: new Map(m.errors.map((e) => [String(e.id), new Fault('unreadable', e.message)])),
      rejected: new Map(m.rejected.map((r) => [r.input, new Fault('shape', r.message)])),
    };
  };
}

/** Every ticket a plan yields, mapped as the page would. */
function ticketsOf(tracker, p) {
  const m = wasm.mapResponses(tracker, [...p.shared, ...p.texts.map((t) => t.text)]);
  const delivered = new Set(p.texts.flatMap((t) => t.ids));
  return [...m.tickets.filter((t) => delivered.has(String(t.id))), ...p.finals.values()];
}

/** Redmine's API over the recorded fixtures, plus synthetic issues above the seeded ids. */
function fakeRedmine({ extra = 0, drop = [], fail = {} } = {}) {
  const list = json(`${RM}issues.json`).issues;
  const synthetic = Array.from({ length: extra }, (_, i) => ({ ...list[3], id: 1000 + i }));
  const all = new Map([...list, ...synthetic].map((i) => [String(i.id), i]));
  return fakeFetch(
    (url) => {
      const u = new URL(url, 'https://tracker.example');
      if (fail[u.pathname]) return { status: fail[u.pathname] };
      if (u.pathname === '/issue_statuses.json') return { body: text(`${RM}issue_statuses.json`) };
      if (u.pathname === '/issues.json') {
        const ids = (u.searchParams.get('issue_id') ?? '').split(',');
        assert.ok(ids.length <= 100, 'at most 100 ids per list call');
        assert.equal(u.searchParams.get('status_id'), '*', 'closed issues too');
        const issues = ids.filter((id) => all.has(id) && !drop.includes(id)).map((id) => all.get(id));
        return { body: JSON.stringify({ issues, total_count: issues.length, offset: 0, limit: 100 }) };
      }
      const m = /^\/issues\/(\d+)\.json$/.exec(u.pathname);
      if (m && ISSUE_IDS.includes(m[1])) return { body: text(`${RM}issues/${m[1]}.json`) };
      if (m) return { body: JSON.stringify({ issue: { ...all.get(m[1]), journals: [] } }) };
      if (u.pathname === '/my/api_key')
        return {
          body: '<h2>API access key</h2>\n<div class="box">\n  <pre>f77ba4c1650fca9415ec3feab39f1854d04381d0</pre>\n</div>',
        };
      return { status: 404 };
    },
    { delayMs: 5 },
  );
}

const paths = (f) => f.calls.map((c) => new URL(c, 'https://tracker.example').pathname);

describe('Redmine fetch plan', () => {
  it('one list call, the statuses, and journals only where there are some', async () => {
    const f = fakeRedmine();
    const res = await plan(redmine, ISSUE_IDS, f);
    const list = json(`${RM}issues.json`).issues;
    const withJournals = list.filter((i) => i.updated_on !== i.created_on).map((i) => `/issues/${i.id}.json`);
    assert.ok(withJournals.length < list.length);
    assert.deepEqual(paths(f).filter((p) => p === '/issues.json').length, 1);
    assert.deepEqual(
      paths(f)
        .filter((p) => /^\/issues\/\d+/.test(p))
        .sort(),
      withJournals.sort(),
    );
    assert.equal(paths(f).filter((p) => p === '/issue_statuses.json').length, 1);
    assert.equal(res.faults.size, 0);
    assert.equal(res.shared.length, 1, 'the status names go with every mapping');
    assert.deepEqual(
      ticketsOf('redmine', res)
        .map((t) => t.id)
        .sort(),
      [...ISSUE_IDS].sort(),
    );
  });

  it('with the mapper at hand: issues without journals are final from the list, and out-of-scope ones skip theirs', async () => {
    const f = fakeRedmine();
    const engine = wasm.SlaEngine.defaultPolicy();
    const applies = (tickets) =>
      new Set(
        engine
          .evaluate(tickets, NOW)
          .filter((r) => r.evaluation.applicability.kind === 'applies')
          .map((r) => r.id),
      );
    const res = await plan(redmine, ISSUE_IDS, f, { map: wasmMap('redmine'), applies });
    const details = paths(f)
      .filter((p) => /^\/issues\/\d+/.test(p))
      .map((p) => p.match(/\d+/)[0]);
    const listOnly = wasm.mapResponses('redmine', [text(`${RM}issues.json`)]).tickets;
    const covered = applies(listOnly);
    assert.ok(details.length > 0 && details.every((id) => covered.has(id)));
    assert.deepEqual(
      [...res.finals.keys(), ...res.texts.flatMap((t) => t.ids)].sort(),
      [...ISSUE_IDS].sort(),
      'every issue exactly once',
    );
    // The page's result equals the CLI's mapping of everything.
    const all = wasm.mapResponses('redmine', [
      text(`${RM}issue_statuses.json`),
      text(`${RM}issues.json`),
      ...ISSUE_IDS.map((id) => text(`${RM}issues/${id}.json`)),
    ]).tickets;
    const states = (ts) => new Map(engine.evaluate(ts, NOW).map((r) => [r.id, r.evaluation.state]));
    assert.deepEqual(states(ticketsOf('redmine', res)), states(all));
    engine.free();
  });

  it('1,250 issues: ⌈N/100⌉ list calls, per-issue calls at most 6 at a time', async () => {
    const f = fakeRedmine({ extra: 1238 });
    const ids = [...ISSUE_IDS, ...Array.from({ length: 1238 }, (_, i) => String(1000 + i))];
    await plan(redmine, ids, f);
    assert.equal(paths(f).filter((p) => p === '/issues.json').length, Math.ceil(ids.length / 100));
    assert.ok(f.maxInFlight <= 6 + 2, `max in flight ${f.maxInFlight}`);
  });

  it('a missing issue and a failing per-issue call fault only their issue', async () => {
    const f = fakeRedmine({ drop: [ISSUE_IDS[0]], fail: { [`/issues/${ISSUE_IDS[2]}.json`]: 404 } });
    const res = await plan(redmine, ISSUE_IDS, f);
    assert.deepEqual([...res.faults.keys()].sort(), [ISSUE_IDS[0], ISSUE_IDS[2]].sort());
    assert.equal(res.faults.get(ISSUE_IDS[0]).kind, 'missing');
    assert.equal(res.faults.get(ISSUE_IDS[2]).kind, 'not-found');
  });

  it('a failing list call faults its ids, with the reason; without the statuses, names come from the list', async () => {
    const f = fakeRedmine({ fail: { '/issues.json': 502 } });
    const res = await plan(redmine, ISSUE_IDS, f);
    assert.equal(res.faults.size, ISSUE_IDS.length);
    assert.match(res.faults.get(ISSUE_IDS[0]).reason, /502 Bad Gateway \(3 tries\)/);
    const g = fakeRedmine({ fail: { '/issue_statuses.json': 500 } });
    const res2 = await plan(redmine, ISSUE_IDS, g);
    assert.match(res2.shared[0], /^\{"issue_statuses":\[/);
  });

  it("authenticates with the site's token, else the signed-in user's key, else not at all", async () => {
    const f = fakeRedmine();
    assert.deepEqual(await redmine.auth(io(f, { token: 't0k' })), { 'X-Redmine-API-Key': 't0k' });
    assert.deepEqual(await redmine.auth(io(f)), {}, 'nobody signed in: anonymous');
    const signedIn = { querySelector: (s) => (s === '#loggedas' ? {} : null) };
    assert.deepEqual(await redmine.auth(io(f, { document: signedIn })), {
      'X-Redmine-API-Key': 'f77ba4c1650fca9415ec3feab39f1854d04381d0',
    });
  });
});

describe('Redmine through the sla-lens plugin', () => {
  it("one session request per 100 ids to the plugin's endpoint: no API key read, none sent", async () => {
    const list = json(`${RM}issues.json`).issues;
    const f = fakeFetch((url) => {
      const u = new URL(url, 'https://tracker.example');
      if (u.pathname === '/sla_lens/issues') {
        const ids = u.searchParams.get('ids').split(',');
        const docs = [
          json(`${RM}issue_statuses.json`),
          ...ISSUE_IDS.filter((id) => ids.includes(id)).map((id) => json(`${RM}issues/${id}.json`)),
        ];
        return { body: JSON.stringify(docs) };
      }
      return { status: 404 };
    });
    const adapter = viaPlugin('https://tracker.example/sla_lens/issues');
    const signedIn = { querySelector: (q) => (q === '#loggedas' ? {} : null) };
    assert.deepEqual(await adapter.auth(io(f, { document: signedIn })), {}, 'no /my/api_key');
    const res = await plan(adapter, [...ISSUE_IDS, '999'], f, { document: signedIn });
    assert.deepEqual(paths(f), ['/sla_lens/issues']);
    assert.deepEqual([...res.faults.keys()], ['999']);
    assert.equal(res.faults.get('999').kind, 'missing');
    // The same tickets as the REST API's answers give.
    const all = wasm.mapResponses('redmine', [
      text(`${RM}issue_statuses.json`),
      ...ISSUE_IDS.map((id) => text(`${RM}issues/${id}.json`)),
    ]).tickets;
    assert.deepEqual(
      ticketsOf('redmine', res),
      all.filter((t) => ISSUE_IDS.includes(String(t.id))),
    );
    assert.ok(list.length >= ISSUE_IDS.length);
  });
});

describe('GitHub, GitLab and Jira fetch plans', () => {
  it('GitHub: the issue and its timeline per issue, bundled for the mapper; a token as Bearer', async () => {
    const bundles = new Map(json('tests/fixtures/github/bundles.json').map((b) => [String(b.issue.number), b]));
    const f = fakeFetch((url) => {
      const m = /\/repos\/acme\/marketing-it\/issues\/(\d+)(\/timeline)?/.exec(url);
      const b = m && bundles.get(m[1]);
      if (!b) return { status: 404 };
      // The fixtures record 103's history from the events endpoint; its items are timeline items.
      return { body: JSON.stringify(m[2] ? (b.timeline ?? b.events) : b.issue) };
    });
    const x = io(f, {
      base: 'https://github.com',
      page: { tracker: 'github', kind: 'issueList', project: 'acme/marketing-it', issue: null },
    });
    const c = collector();
    await github.load(['101', '102', '103'], { ...x, ...c.io });
    assert.equal(f.calls.length, 6);
    assert.ok(f.calls.every((u) => u.startsWith('https://api.github.com/repos/acme/marketing-it/issues/')));
    assert.deepEqual(
      ticketsOf('github', c.result())
        .map((t) => t.id)
        .sort(),
      ['101', '102', '103'],
    );
    assert.deepEqual(await github.auth(io(f, { token: 'ghp' })), {
      Authorization: 'Bearer ghp',
      'X-GitHub-Api-Version': '2022-11-28',
    });
    assert.equal(github.apiBase({ base: 'https://git.example.com', apiBase: null }), 'https://git.example.com/api/v3');
  });

  it('GitLab: one list call by iids, then the events and notes of changed issues', async () => {
    const issues = json('tests/fixtures/gitlab/issues.json');
    const bundles = new Map(json('tests/fixtures/gitlab/bundles.json').map((b) => [String(b.issue.iid), b]));
    const f = fakeFetch((url) => {
      const u = new URL(url);
      if (u.pathname === '/api/v4/projects/acme%2Fit%2Fmarketing-it/issues') {
        const iids = u.searchParams.getAll('iids[]');
        return { body: JSON.stringify(issues.filter((i) => iids.includes(String(i.iid)))) };
      }
      const m = /\/issues\/(\d+)\/(resource_state_events|resource_label_events|notes)$/.exec(u.pathname);
      if (m) return { body: JSON.stringify(bundles.get(m[1])?.[m[2]] ?? []) };
      return { status: 404 };
    });
    const x = io(f, {
      base: 'https://gitlab.example.com',
      page: { tracker: 'gitlab', kind: 'issueList', project: 'acme/it/marketing-it', issue: null },
    });
    const c = collector();
    await gitlab.load(['7', '8', '9'], { ...x, ...c.io });
    const lists = f.calls.filter((u) => /\/issues\?/.test(u));
    assert.equal(lists.length, 1);
    assert.equal(f.calls.length, 1 + 3 * issues.filter((i) => i.updated_at !== i.created_at).length);
    assert.deepEqual(
      ticketsOf('gitlab', c.result())
        .map((t) => t.id)
        .sort(),
      ['7', '8', '9'],
    );
    assert.equal(c.result().faults.size, 0);
  });

  it('Jira: one search per 100 keys, changelog embedded', async () => {
    const search = json('tests/fixtures/jira/search.json');
    const all = [...search.issues, json('tests/fixtures/jira/issue.json')];
    const f = fakeFetch((url) => {
      const u = new URL(url);
      const keys = /key in \(([^)]*)\)/.exec(u.searchParams.get('jql'))[1].split(',');
      assert.equal(u.searchParams.get('expand'), 'changelog');
      return { body: JSON.stringify({ ...search, issues: all.filter((i) => keys.includes(i.key)) }) };
    });
    const res = await plan(jira, ['MKT-1', 'MKT-2', 'MKT-3', 'MKT-9'], f, { base: 'https://acme.atlassian.net' });
    assert.deepEqual(
      f.calls.map((u) => new URL(u).pathname),
      ['/rest/api/3/search/jql'],
    );
    assert.deepEqual([...res.faults.keys()], ['MKT-9']);
    assert.deepEqual(
      ticketsOf('jira', res).map((t) => t.id),
      ['MKT-1', 'MKT-2', 'MKT-3'],
    );
    const server = fakeFetch(() => ({ body: '{"issues": []}' }));
    await plan(jira, ['MKT-1'], server, { base: 'https://jira.example.com' });
    assert.equal(new URL(server.calls[0]).pathname, '/rest/api/2/search');
  });
});

describe('Client against a local server: redirects and response sizes', () => {
  /** A server on 127.0.0.1: `/hop` redirects to `to`, `/big` streams without end, `/declared` claims 1 GB. */
  async function server() {
    const seen = [];
    let to = null;
    let streamed = 0;
    const srv = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === '/hop') {
        res.writeHead(302, { location: to });
        return res.end();
      }
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const more = () => {
          while (!res.destroyed && streamed < 256 * 1024 * 1024) {
            streamed += chunk.length;
            if (!res.write(chunk)) return res.once('drain', more);
          }
          res.end();
        };
        res.on('close', () => {});
        return more();
      }
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
        return res.write('[');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
    const origin = `http://127.0.0.1:${srv.address().port}`;
    return {
      origin,
      seen,
      redirectTo: (u) => (to = u),
      streamed: () => streamed,
      close: () =>
        new Promise((ok) => {
          srv.closeAllConnections();
          srv.close(ok);
        }),
    };
  }

  it('a request carrying a key does not follow a redirect: a `redirect` fault, nothing sent on', async () => {
    const a = await server();
    const b = await server();
    try {
      a.redirectTo(`${b.origin}/steal`);
      for (const headers of [{ 'X-Redmine-API-Key': 'k' }, { 'PRIVATE-TOKEN': 'k' }, { Authorization: 'Bearer k' }]) {
        const r = await new Client({ headers, retries: 0 }).get(`${a.origin}/hop`);
        assert.equal(r.ok, false);
        assert.equal(r.fault.kind, 'redirect', JSON.stringify(headers));
        assert.match(r.fault.reason, /redirect/);
      }
      assert.deepEqual(b.seen, [], 'the other origin never saw a request');
      // Without a key, a redirect is followed as before.
      const plain = await new Client({ retries: 0 }).get(`${a.origin}/hop`);
      assert.equal(plain.ok, true);
      assert.equal(b.seen.length, 1);
      assert.equal(b.seen[0].headers['x-redmine-api-key'], undefined);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an answer over the size cap is refused unread: streamed, or declared by Content-Length', async () => {
    const a = await server();
    try {
      const t0 = Date.now();
      const r = await new Client({ retries: 0, maxBytes: 1024 * 1024 }).get(`${a.origin}/big`);
      assert.equal(r.ok, false);
      assert.equal(r.fault.kind, 'too-large');
      assert.ok(a.streamed() < 64 * 1024 * 1024, `stopped reading early (${a.streamed()} bytes sent)`);
      assert.ok(Date.now() - t0 < 10_000);
      const d = await new Client({ retries: 0, maxBytes: 1024 * 1024 }).get(`${a.origin}/declared`);
      assert.equal(d.fault.kind, 'too-large');
      const ok = await new Client({ retries: 0, maxBytes: 1024 * 1024 }).get(`${a.origin}/small`);
      assert.equal(ok.text, '{"ok":true}');
      assert.equal(MAX_RESPONSE_BYTES, 32 * 1024 * 1024, 'the default cap (www/trackers/README.md)');
    } finally {
      await a.close();
    }
  });
});

describe('ids and projects in request paths', () => {
  it('every adapter fails an id that is not of its shape and never puts it in a URL', async () => {
    const evil = ['../../user', '1/timeline', '1?x=1', '1,2', '1#', 'MKT-1) OR (key = SECRET-1', ' 1'];
    const pages = {
      redmine: null,
      github: { tracker: 'github', kind: 'issueList', project: 'acme/site', issue: null },
      gitlab: { tracker: 'gitlab', kind: 'issueList', project: 'acme/site', issue: null },
      jira: null,
    };
    for (const [name, adapter] of Object.entries({ redmine, github, gitlab, jira })) {
      const f = fakeFetch(() => ({ body: '[]' }));
      const res = await plan(adapter, evil, f, { page: pages[name] });
      assert.deepEqual([...res.faults.keys()].sort(), [...evil].sort(), name);
      assert.ok(
        [...res.faults.values()].every((x) => x.kind === 'malformed'),
        name,
      );
      assert.deepEqual(
        f.calls.filter((u) => u.includes('issue')),
        [],
        `${name}: ${f.calls.join(' ')}`,
      );
      assert.ok(adapter.idShape.test(name === 'jira' ? 'MKT-12' : '12'));
    }
  });

  it('a project path with a dot segment or an odd character is not fetched; names are path-encoded', async () => {
    for (const project of ['..', '../..', 'a/..', 'acme/./site', 'a b/c', 'acme/site?x']) {
      for (const adapter of [github, gitlab]) {
        const f = fakeFetch(() => ({ body: '[]' }));
        await plan(adapter, ['1'], f, { page: { tracker: adapter.tracker, kind: 'issueList', project, issue: null } });
        assert.deepEqual(f.calls, [], `${adapter.tracker} ${project}`);
      }
    }
    assert.equal(isProjectPath('acme/site.js', 2), true);
    assert.equal(isProjectPath('acme/sub/site', 2), false);
    assert.equal(isProjectPath('acme/sub/site'), true);
  });
});

// -------------------------------------------------------------------------------------------
// What the badges say
// -------------------------------------------------------------------------------------------

describe('badge texts for tracker pages', () => {
  it('an unavailable issue: grey, "SLA unavailable", the reason in the tooltip', () => {
    const v = badgeView(unavailable('7', statusFault(500, 'Redmine', 3)), NOW);
    assert.deepEqual(
      [v.tone, v.state, v.text, v.heading],
      ['unavailable', 'unavailable', 'SLA unavailable', 'SLA unavailable'],
    );
    assert.match(v.lines[0], /Redmine answered 500 Internal Server Error \(3 tries\)/);
    assert.match(v.label, /^SLA unavailable: Redmine answered 500/);
  });

  it("deadlines in the calendar's zone and the viewer's", () => {
    const cases = [
      ['2026-11-27T16:00:00Z', 'America/New_York', 'Europe/Berlin', false, 'due 17:00 Berlin · 11:00 your time'],
      [
        '2026-11-30T08:00:00Z',
        'America/New_York',
        'Europe/Berlin',
        false,
        'due Mon 30 Nov 09:00 Berlin · 03:00 your time',
      ],
      [
        '2026-11-30T02:00:00Z',
        'America/New_York',
        'Europe/Berlin',
        false,
        'due Mon 30 Nov 03:00 Berlin · Sun 29 Nov 21:00 your time',
      ],
      [
        '2026-11-27T23:30:00Z',
        'America/New_York',
        'Europe/Berlin',
        false,
        'due Sat 28 Nov 00:30 Berlin · today 18:30 your time',
      ],
      ['2026-11-27T16:00:00Z', 'Europe/Paris', 'Europe/Berlin', false, 'due 17:00 Berlin time'],
      ['2026-11-27T10:00:00Z', 'UTC', null, true, 'was due 10:00 your time'],
      ['2027-01-04T10:00:00Z', 'Asia/Kolkata', null, false, 'due Mon 4 Jan 2027 15:30 your time'],
    ];
    for (const [d, viewerZone, calendarZone, past, want] of cases) {
      assert.equal(dueText(Date.parse(d), { nowMs: NOW, viewerZone, calendarZone, past }), want);
    }
    assert.deepEqual(['Europe/Berlin', 'America/New_York', 'UTC'].map(zonePlace), ['Berlin', 'New York', 'UTC']);
  });
});

// -------------------------------------------------------------------------------------------
// Request Tracker (www/trackers/rt.js): REST 2 over the recorded real-RT fixtures
// -------------------------------------------------------------------------------------------

const RTF = 'tests/fixtures/rt/';
const RT_SEED = json(`${RTF}seed.json`);
const RT_IDS = Object.values(RT_SEED.tickets).map(String);

/** RT's REST 2 over tests/fixtures/rt/ (what scripts/rt/rt.sh recorded from the real RT). */
function fakeRt({ fail = {}, history = null } = {}) {
  return fakeFetch(
    (url) => {
      const u = new URL(url, 'https://tracker.example');
      const p = u.pathname.replace(/^\/REST\/2\.0/, '');
      if (fail[p]) return typeof fail[p] === 'number' ? { status: fail[p] } : { body: fail[p] };
      let m = /^\/ticket\/(\d+)$/.exec(p);
      if (m) return { body: text(`${RTF}ticket/${m[1]}.json`) };
      m = /^\/ticket\/(\d+)\/history$/.exec(p);
      if (m) {
        assert.equal(u.searchParams.get('fields'), 'Type,Creator,Created,Field,OldValue,NewValue,ObjectType,ObjectId');
        return {
          body: history ? history(m[1], Number(u.searchParams.get('page'))) : text(`${RTF}history/${m[1]}.json`),
        };
      }
      m = /^\/transaction\/(\d+)\/attachments$/.exec(p);
      if (m) return { body: text(`${RTF}attachments/${m[1]}.json`) };
      m = /^\/queue\/(\d+)$/.exec(p);
      if (m) return { body: text(`${RTF}queue/${m[1]}.json`) };
      return { status: 404 };
    },
    { delayMs: 2 },
  );
}

describe('Request Tracker fetch plan', () => {
  const states = (tickets) => {
    const engine = wasm.SlaEngine.defaultPolicy();
    const out = new Map(
      engine
        .evaluate(tickets, Date.parse(RT_SEED.now))
        .map((r) => [r.id, [r.evaluation.state, r.evaluation.response?.deadline ?? null]]),
    );
    engine.free();
    return out;
  };

  it("per ticket: the ticket, its history, its messages' attachments; queues once; equal to the CLI's mapping", async () => {
    const f = fakeRt();
    const res = await plan(rt, RT_IDS, f);
    assert.equal(res.faults.size, 0);
    const ps = paths(f);
    assert.equal(ps.filter((p) => /^\/REST\/2\.0\/ticket\/\d+$/.test(p)).length, RT_IDS.length);
    assert.equal(ps.filter((p) => /\/history$/.test(p)).length, RT_IDS.length, 'one history page each (all short)');
    assert.equal(
      ps.filter((p) => /\/attachments$/.test(p)).length,
      readdirSync(new URL(`${RTF}attachments/`, root)).length,
    );
    assert.deepEqual(ps.filter((p) => /\/queue\//.test(p)).sort(), ['/REST/2.0/queue/3', '/REST/2.0/queue/4']);
    assert.equal(res.shared.length, 2);
    const dir = (d) => readdirSync(new URL(`${RTF}${d}/`, root)).map((n) => text(`${RTF}${d}/${n}`));
    const cli = wasm.mapResponses(
      'rt',
      ['ticket', 'history', 'attachments', 'queue', 'user', 'group'].flatMap(dir),
    ).tickets;
    assert.equal(cli.length, RT_IDS.length);
    assert.deepEqual(states(ticketsOf('rt', res)), states(cli));
  });

  it('pages the history until a short page', async () => {
    const full = json(`${RTF}history/1.json`);
    const pad = Array.from({ length: 100 }, (_, i) => ({ ...full.items[0], id: String(90000 + i), Type: 'AddLink' }));
    const f = fakeRt({ history: (_id, page) => JSON.stringify({ ...full, items: page === 1 ? pad : full.items }) });
    await plan(rt, ['1'], f);
    assert.deepEqual(
      f.calls.filter((c) => c.includes('/history')).map((c) => new URL(c).searchParams.get('page')),
      ['1', '2'],
    );
  });

  it('a failing, malformed or missing answer faults only its ticket', async () => {
    const f = fakeRt({
      fail: {
        '/ticket/1': 500,
        '/ticket/2/history': '{"items": [',
        '/ticket/3': 404,
        [`/transaction/${readdirSync(new URL(`${RTF}attachments/`, root))[0].replace('.json', '')}/attachments`]:
          'not json',
      },
    });
    const res = await plan(rt, RT_IDS, f);
    const tx = readdirSync(new URL(`${RTF}attachments/`, root))[0].replace('.json', '');
    const owner = RT_IDS.find((id) => json(`${RTF}history/${id}.json`).items.some((it) => it.id === tx));
    assert.deepEqual([...res.faults.keys()].sort(), ['1', '2', '3', owner].sort());
    assert.match(res.faults.get('1').reason, /500/);
    assert.equal(res.faults.get('2').kind, 'malformed');
    assert.equal(res.faults.get('3').kind, 'not-found');
    assert.equal(res.faults.get(owner).kind, 'malformed');
    assert.equal(res.texts.length, RT_IDS.length - 4);
  });

  it("no key: the session cookie on RT's origin; ids that are not numbers never reach a URL", async () => {
    assert.deepEqual(await rt.auth(io(fakeRt())), {});
    const f = fakeRt();
    const res = await plan(rt, ['1/../2', 'x'], f);
    assert.equal(f.calls.length, 0);
    assert.equal(res.faults.size, 2);
  });
});
