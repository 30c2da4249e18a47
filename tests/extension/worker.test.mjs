// The extension's worker (extension/src/background.js, bundled as the build bundles it) under
// node:test with a fake WebExtension API: every message handler is called as the browser calls
// it, with a content script's sender (a tab on a configured tracker, whose renderer a hostile
// page may control) and with an extension page's. A content script gets what badges need and
// nothing else: no configuration, no tokens, no site drafts, no fetches off its own site, no ids
// that are not issue ids in a request path. Needs www/pkg (make wasm); no browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;

const REDMINE = 'https://redmine.example';
const GITHUB = 'https://github.com';
const ELSEWHERE = 'https://attacker.example';
const REDMINE_TOKEN = 'redmine-secret-0123456789';
const GITHUB_TOKEN = 'ghp_secret_0123456789';

/** The configuration the user saved: a Redmine with a token, github.com with a token. */
const CONFIG = {
  version: 3,
  policy: { text: null },
  sites: [
    { origin: REDMINE, tracker: 'redmine', token: REDMINE_TOKEN, site: { staff: { users: ['secret-staff-member'] } } },
    { origin: GITHUB, tracker: 'github', token: GITHUB_TOKEN },
  ],
};

/** Every request the worker sends: URL and headers. Answers: the recorded fixtures. */
const requests = [];
/** When set, the body Redmine's /issues.json answers with (an answer the mapping sets aside). */
let issuesBody = null;
const redmineIssues = readFileSync(join(ROOT, 'tests/fixtures/redmine/issues.json'), 'utf8');
const redmineStatuses = readFileSync(join(ROOT, 'tests/fixtures/redmine/issue_statuses.json'), 'utf8');

function fakeFetch(input, init = {}) {
  const url = String(input instanceof Request ? input.url : input);
  if (url === `${BASE}sla_lens_bg.wasm`) {
    return Promise.resolve(
      new Response(readFileSync(join(ROOT, 'www/pkg/sla_lens_bg.wasm')), {
        headers: { 'content-type': 'application/wasm' },
      }),
    );
  }
  requests.push({
    url,
    headers: Object.fromEntries(new Headers(init.headers ?? {})),
    redirect: init.redirect,
    credentials: init.credentials,
  });
  const u = new URL(url);
  let body = '{}';
  if (u.pathname === '/issue_statuses.json') body = redmineStatuses;
  else if (u.pathname === '/issues.json') body = issuesBody ?? redmineIssues;
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
}

function event() {
  const fns = [];
  return { fns, addListener: (f) => fns.push(f), removeListener: () => {}, hasListener: () => false };
}

function area(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    async get(keys) {
      if (keys == null) return structuredClone(data);
      const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
      const out = {};
      for (const k of list) if (k in data) out[k] = structuredClone(data[k]);
      return out;
    },
    async set(obj) {
      Object.assign(data, structuredClone(obj));
    },
    async remove(keys) {
      for (const k of typeof keys === 'string' ? [keys] : keys) delete data[k];
    },
  };
}

const local = area({ config: CONFIG });
const onMessage = event();
globalThis.chrome = {
  runtime: {
    id: ID,
    getURL: (p) => `${BASE}${p}`,
    onMessage,
    onInstalled: event(),
    onStartup: event(),
    openOptionsPage: () => {},
  },
  storage: {
    local,
    session: area(),
    managed: { get: async () => ({}) },
    onChanged: event(),
  },
  tabs: { onRemoved: event(), sendMessage: async () => {}, create: async () => {} },
  permissions: { contains: async () => true, onAdded: event(), onRemoved: event() },
  scripting: {
    getRegisteredContentScripts: async () => [],
    registerContentScripts: async () => {},
    unregisterContentScripts: async () => {},
  },
  alarms: { get: async () => null, create: async () => {}, clear: async () => {}, onAlarm: event() },
  notifications: { onClicked: event(), create: async () => {}, clear: async () => {} },
};

let dir;
before(async () => {
  globalThis.fetch = fakeFetch;
  dir = mkdtempSync(join(tmpdir(), 'sla-worker-'));
  await build({
    entryPoints: [join(ROOT, 'extension/src/background.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(dir, 'background.mjs'),
    // The test build's worker: its hooks (`globalThis.slaLens`) exist in test builds only.
    define: { __SLA_TEST__: 'true' },
    logLevel: 'error',
  });
  await import(pathToFileURL(join(dir, 'background.mjs')).href);
  await globalThis.slaLens.loadEngine();
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends `msg` as the browser delivers it; resolves with the worker's answer. */
function send(msg, sender) {
  return new Promise((ok) => {
    let answered = false;
    const reply = (r) => {
      answered = true;
      ok(r);
    };
    const async = onMessage.fns.map((f) => f(msg, sender, reply)).some(Boolean);
    if (!async && !answered) ok(undefined);
  });
}

/** A content script on `url` in tab 7: the sender the browser gives the worker. */
const content = (url = `${REDMINE}/issues`) => ({
  id: ID,
  url,
  origin: new URL(url).origin,
  tab: { id: 7, url },
  frameId: 0,
});
/** The options page (it opens in a tab). */
const optionsPage = {
  id: ID,
  url: `${BASE}options.html`,
  origin: BASE.slice(0, -1),
  tab: { id: 3, url: `${BASE}options.html` },
  frameId: 0,
};
const popup = { id: ID, url: `${BASE}popup.html`, origin: BASE.slice(0, -1) };

const leaks = (answer) =>
  JSON.stringify(answer ?? null).includes(REDMINE_TOKEN) || JSON.stringify(answer ?? null).includes(GITHUB_TOKEN);

describe('the worker answers a content script only with what badges need', () => {
  it('state (the configuration, every token): refused', async () => {
    const r = await send({ type: 'state' }, content());
    assert.equal(r?.ok, false);
    assert.equal(r.refused, true);
    assert.ok(!leaks(r), 'no token in the answer');
    assert.equal(r.config, undefined);
  });

  it('saveConfig: refused, and nothing is written', async () => {
    const before = JSON.stringify(local.data.config);
    const evil = {
      version: 3,
      sites: [
        { origin: REDMINE, tracker: 'redmine', token: REDMINE_TOKEN, api: '' },
        { origin: ELSEWHERE, tracker: 'redmine' },
      ],
    };
    const r = await send({ type: 'saveConfig', config: evil }, content());
    assert.equal(r?.ok, false);
    assert.equal(JSON.stringify(local.data.config), before);
  });

  it('validate, examplePolicy, tabSummary and checkNow: refused', async () => {
    for (const type of ['validate', 'examplePolicy', 'tabSummary', 'checkNow']) {
      const r = await send({ type, text: '{}', tabId: 3 }, content());
      assert.equal(r?.ok, false, type);
      assert.equal(r.refused, true, type);
    }
  });

  it("hello: the sender's own site, whatever URL the message names", async () => {
    const r = await send({ type: 'hello', url: `${GITHUB}/o/r/issues` }, content(`${REDMINE}/issues`));
    assert.equal(r.ok, true);
    assert.equal(r.site.origin, REDMINE);
    assert.equal(r.site.token, true, 'whether there is a token, not the token');
    assert.ok(!leaks(r));
    assert.ok(!JSON.stringify(r).includes('secret-staff-member'), 'a digest of the site mapping, not the mapping');
    const none = await send({ type: 'hello', url: `${REDMINE}/issues` }, content(`${ELSEWHERE}/issues`));
    assert.equal(none.site, null, 'an unconfigured page learns nothing about the configured sites');
  });

  it('fetchEvaluate: a site draft from a content script is not used — no fetch to its origin, no token off the site', async () => {
    requests.length = 0;
    const draft = { origin: ELSEWHERE, tracker: 'redmine', token: 'x' };
    const r = await send(
      { type: 'fetchEvaluate', siteDraft: draft, url: `${ELSEWHERE}/issues`, ids: ['1'] },
      content(`${REDMINE}/issues`),
    );
    assert.ok(r.ok, r.error);
    assert.ok(requests.length > 0);
    for (const q of requests) assert.equal(new URL(q.url).origin, REDMINE, q.url);
    assert.ok(!leaks(r));
  });

  it('fetchEvaluate from a page that is no configured site: nothing fetched', async () => {
    requests.length = 0;
    const r = await send(
      {
        type: 'fetchEvaluate',
        siteDraft: { origin: GITHUB, tracker: 'github' },
        url: `${GITHUB}/o/r/issues`,
        ids: ['1'],
      },
      content(`${ELSEWHERE}/o/r/issues`),
    );
    assert.equal(r.ok, false);
    assert.deepEqual(requests, []);
  });

  it('fetchEvaluate: ids that are not issue ids are refused, none reaches a request path', async () => {
    for (const ids of [
      ['../../user'],
      ['1', '2/timeline'],
      ['1?per_page=1'],
      [{}],
      'notalist',
      Array.from({ length: 2001 }, (_, i) => String(i)),
    ]) {
      requests.length = 0;
      const r = await send(
        { type: 'fetchEvaluate', url: `${GITHUB}/o/r/issues`, ids },
        content(`${GITHUB}/o/r/issues`),
      );
      assert.equal(r.ok, false, JSON.stringify(ids).slice(0, 60));
      assert.match(r.error, /not GitHub issue ids/);
      assert.deepEqual(
        requests.map((q) => q.url),
        [],
      );
    }
  });

  it("fetchEvaluate: a page URL off the sender's origin is not used; the project's path segments stay segments", async () => {
    requests.length = 0;
    // The message names a page on another site: the sender's URL is used instead.
    await send(
      { type: 'fetchEvaluate', url: `${ELSEWHERE}/x/y/issues`, ids: ['5'] },
      content(`${GITHUB}/acme/site/issues`),
    );
    assert.deepEqual(
      requests.map((q) => q.url),
      [
        'https://api.github.com/repos/acme/site/issues/5',
        'https://api.github.com/repos/acme/site/issues/5/timeline?per_page=100',
      ],
    );
    assert.equal(requests[0].headers.authorization, `Bearer ${GITHUB_TOKEN}`);
    assert.equal(requests[0].redirect, 'error', 'a request carrying the token follows no redirect');
    // Dot segments in the page's path are resolved before the page is read: no repository, no request.
    requests.length = 0;
    const dots = await send(
      { type: 'fetchEvaluate', url: `${GITHUB}/%2e%2e/../issues`, ids: ['5'] },
      content(`${GITHUB}/acme/site/issues`),
    );
    assert.equal(dots.ok, true);
    assert.deepEqual(requests, []);
  });

  it("detectPage: for the sender's site and a URL on it, never a draft", async () => {
    const r = await send(
      { type: 'detectPage', siteDraft: { origin: GITHUB, tracker: 'github' }, url: `${GITHUB}/o/r/issues/3` },
      content(`${REDMINE}/issues/12`),
    );
    assert.equal(r.ok, true);
    assert.equal(r.page?.tracker, 'redmine', "the sender's site (Redmine), not the draft (GitHub)");
    assert.equal(r.page?.issue, '12', "a URL off the sender's origin is replaced by the sender's");
  });

  it("evaluate, refresh and explain: the sender's site and tab only", async () => {
    const docs = [redmineStatuses, redmineIssues];
    const r = await send(
      { type: 'evaluate', url: `${GITHUB}/o/r/issues`, docs, failed: {}, reset: true },
      content(`${REDMINE}/issues`),
    );
    assert.equal(r.ok, true, r.error);
    assert.ok(r.results.length > 0);
    assert.equal(r.tickets, undefined, 'results, never the tickets');
    const again = await send({ type: 'refresh', url: `${REDMINE}/issues` }, content(`${REDMINE}/issues`));
    assert.equal(again.ok, true);
    assert.equal(again.results.length, r.results.length);
    // Another site in the same tab (or a sender claiming one) gets nothing of these tickets.
    const other = await send({ type: 'refresh', url: `${REDMINE}/issues` }, content(`${ELSEWHERE}/issues`));
    assert.equal(other.ok, false);
    const lines = await send({ type: 'explain', id: r.results[0].id }, content(`${ELSEWHERE}/issues`));
    assert.deepEqual(lines.lines, []);
    const mine = await send({ type: 'explain', id: r.results[0].id }, content(`${REDMINE}/issues`));
    assert.ok(mine.lines.length > 0);
  });

  it("issueLinks: by the sender's site's URL rules only", async () => {
    const hrefs = ['/issues/12', '/o/r/issues/3'];
    const mine = await send({ type: 'issueLinks', url: `${GITHUB}/o/r/issues`, hrefs }, content(`${REDMINE}/issues`));
    assert.deepEqual(mine.ids, ['12', null], "Redmine's rules: the page's site, not the one the message names");
    const none = await send({ type: 'issueLinks', hrefs }, content(`${ELSEWHERE}/issues`));
    assert.deepEqual(none.ids, [null, null]);
  });

  it("a sender that is neither an extension page nor a tab's web page is refused", async () => {
    for (const sender of [
      { id: ID, url: `${REDMINE}/issues` }, // no tab
      { id: 'another-extension', url: `${BASE}options.html` },
      { id: ID, url: `${BASE}options.html`, origin: ELSEWHERE },
      { id: ID, url: 'file:///etc/passwd', tab: { id: 1 } },
      { id: ID, url: `${REDMINE}/issues`, origin: ELSEWHERE, tab: { id: 1 } },
    ]) {
      const r = await send({ type: 'hello', url: `${REDMINE}/issues` }, sender);
      assert.equal(r?.ok, false, JSON.stringify(sender));
    }
  });
});

describe('extension pages keep their powers', () => {
  it('the options page reads the configuration and tests a site draft', async () => {
    const st = await send({ type: 'state' }, optionsPage);
    assert.equal(st.ok, true);
    assert.equal(st.config.sites[0].token, REDMINE_TOKEN);
    requests.length = 0;
    const r = await send(
      { type: 'fetchEvaluate', siteDraft: { origin: 'https://draft.example', tracker: 'redmine' }, ids: ['1'] },
      optionsPage,
    );
    assert.equal(r.ok, true, r.error);
    assert.ok(requests.length && requests.every((q) => new URL(q.url).origin === 'https://draft.example'));
    const bad = await send(
      { type: 'fetchEvaluate', siteDraft: { origin: 'https://draft.example', tracker: 'redmine' }, ids: ['1/../x'] },
      optionsPage,
    );
    assert.equal(bad.ok, false);
  });

  it("an escalation a marker note records: badges get escalation.done, the popup's summary lists it", async () => {
    const marker =
      'SLA escalation, level 1: IT manager.\nsla-lens:escalated ticket=4242 cycle=1 level=1 action=note#0 at=2026-11-27T10:05:00Z';
    const issue = {
      issue: {
        id: 4242,
        subject: 'VPN down',
        project: { id: 1, name: 'Marketing IT support' },
        status: { id: 1, name: 'New' },
        priority: { id: 5, name: 'Urgent' },
        author: { id: 7, name: 'Mia' },
        created_on: '2026-11-27T06:00:00Z',
        journals: [
          { id: 900, user: { id: 9, name: 'Sam' }, notes: '', created_on: '2026-11-27T06:30:00Z', details: [] },
          {
            id: 901,
            user: { id: 1, name: 'Redmine Admin' },
            notes: marker,
            created_on: '2026-11-27T10:05:00Z',
            details: [],
          },
        ],
      },
    };
    const r = await send(
      {
        type: 'evaluate',
        url: `${REDMINE}/issues/4242`,
        docs: [redmineStatuses, JSON.stringify(issue)],
        failed: {},
        reset: true,
      },
      content(`${REDMINE}/issues/4242`),
    );
    assert.equal(r.ok, true, r.error);
    const ev = r.results.find((x) => x.id === '4242').evaluation;
    assert.equal(ev.state, 'breached', 'the marker note is no reply');
    assert.deepEqual(
      ev.escalation.done.map((d) => [d.level, d.at, d.note, d.url]),
      [[1, '2026-11-27T10:05:00Z', '#2', `${REDMINE}/issues/4242#note-2`]],
    );
    const s = await send({ type: 'tabSummary', tabId: 7 }, popup);
    assert.equal(s.ok, true);
    assert.deepEqual(
      s.summary.escalated.map((e) => [e.id, e.done[0].note]),
      [['4242', '#2']],
    );
  });

  it('compact results read the rows as the board does: "no string" is null, never undefined (issue #15 a)', async () => {
    // The fixture has issues with no calendar and no priority: their cells hold the "no string"
    // marker (-1), which the worker's own decoder read as `strings[-1]`, undefined.
    const r = await send(
      { type: 'evaluate', url: `${REDMINE}/issues`, docs: [redmineStatuses, redmineIssues], failed: {}, reset: true },
      content(`${REDMINE}/issues`),
    );
    assert.equal(r.ok, true, r.error);
    const evs = r.results.filter((x) => x.evaluation).map((x) => x.evaluation);
    assert.ok(
      evs.some((e) => e.calendar === null),
      'an issue with no calendar',
    );
    for (const e of evs) {
      for (const k of ['state', 'headline', 'calendar', 'status', 'nextChange'])
        assert.notEqual(e[k], undefined, `evaluation.${k}`);
      assert.notEqual(e.applicability.kind, undefined);
      if (e.escalation.current) assert.notEqual(e.escalation.current.role, undefined);
    }
  });

  it('an answer the mapping rejects: its issues say why, not "the tracker did not return this issue" (issue #15 b)', async () => {
    issuesBody = '{"issues": 5}';
    try {
      const r = await send(
        { type: 'fetchEvaluate', url: `${REDMINE}/issues`, ids: ['1', '2'], reset: true },
        content(`${REDMINE}/issues`),
      );
      assert.equal(r.ok, true, r.error);
      for (const id of ['1', '2'])
        assert.match(
          r.unavailable[id] ?? '',
          /^Redmine's answer could not be read: this is not a redmine response/,
          id,
        );
    } finally {
      issuesBody = null;
    }
    // The content script's own fetch: the worker hands back what it set aside, by position.
    const r = await send(
      { type: 'evaluate', url: `${REDMINE}/issues`, docs: [redmineStatuses, '{"issues": 5}'], failed: {}, reset: true },
      content(`${REDMINE}/issues`),
    );
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(
      r.rejected.map((x) => x.input),
      [1],
    );
    assert.match(r.rejected[0].reason, /^Redmine's answer could not be read/);
  });

  it("the popup reads its tab's summary", async () => {
    const r = await send({ type: 'tabSummary', tabId: 7 }, popup);
    assert.equal(r.ok, true);
  });
});
