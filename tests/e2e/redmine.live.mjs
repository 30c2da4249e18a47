// The page integration (www/trackers/) in a real Redmine 5, in headless Chromium, signed in as
// the normal user `sam`: the badge of every seeded issue (state, text, escalation, deadline) is
// the one the native CLI computes from the same REST data; re-annotation after a filter change
// and after an XHR change of the page; the failures a tracker can have (500, 429, a hang, a
// malformed answer, the API gone) give grey "SLA unavailable" badges and leave the page intact;
// a wrong local clock is corrected from Redmine's `Date` header. Screenshots go to
// target/screenshots/.
//
//   make test-e2e-redmine   (scripts/redmine-e2e.sh run: starts, seeds and stops Redmine)
//
// Skipped unless REDMINE_URL is set (plain `node --test tests/e2e/` has no Redmine).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startProxy } from './redmine-proxy.mjs';
import { badgeView, dueText, escalationItems } from '../../www/badge-view.js';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { readBadges } from '../support/badges.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDMINE = process.env.REDMINE_URL;
const SEED = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/redmine/seed.json'), 'utf8'));
const NOW = Date.parse(SEED.now);
const TAG = new Map(SEED.issues.map((i) => [String(i.id), i.tag.split(' ')[0]]));
const ID = new Map(SEED.issues.map((i) => [i.tag.split(' ')[0], String(i.id)]));
const VIEWER_ZONE = 'America/New_York';
const CLI = join(ROOT, 'target/release/sla-lens');
const SHOTS = join(ROOT, 'target/screenshots');
const ALL = '/issues?set_filter=1&f%5B%5D=status_id&op%5Bstatus_id%5D=%2A&sort=id';
const FAST = { retries: 2, backoffMs: 50, timeoutMs: 1500, debounceMs: 50 };

/** What tests/fixtures/redmine/README.md says each seeded issue is at `now`. */
const SEEDED_DEFAULT = {
  S01: 'running',
  S02: 'atRisk',
  S03: 'breached',
  S04: 'breached',
  S05: 'met',
  S06: 'metLate',
  S07: 'notApplicable',
  S08: 'notApplicable',
  S09: 'running',
  S10: 'running',
  S11: 'met',
  S12: 'running',
};

let proxy;
let context;
let profile;
let apiKey;
let work;
const pageErrors = [];

// Run by scripts/redmine-e2e.sh (make test-e2e-redmine), which starts Redmine and sets REDMINE_URL;
// named *.live.mjs so that `node --test tests/e2e/` (make test-e2e) does not pick it up.
if (!REDMINE) throw new Error('REDMINE_URL is not set: run `make test-e2e-redmine`');

describe('sla-lens in a real Redmine', () => {
  before(async () => {
    proxy = await startProxy({ upstream: REDMINE });
    profile = mkdtempSync(join(tmpdir(), 'sla-redmine-'));
    work = mkdtempSync(join(tmpdir(), 'sla-redmine-data-'));
    mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1360, height: 900 },
      timezoneId: VIEWER_ZONE,
      locale: 'en-US',
    });
    // Sign in through Redmine's own form, as a person would.
    const page = await context.newPage();
    await page.goto(`${proxy.url}/login`);
    await page.fill('#username', 'sam');
    await page.fill('#password', 'sla-lens-seed-1');
    await Promise.all([page.waitForURL(/\/my\/page/), page.click('#login-submit')]);
    const html = await (await context.request.get(`${proxy.url}/my/api_key`)).text();
    apiKey = /<pre[^>]*>\s*([0-9a-f]{40})\s*<\/pre>/.exec(html)?.[1];
    assert.ok(apiKey, 'sam has an API key');
    await page.close();
  });

  after(async () => {
    await context?.close();
    await proxy?.close();
    for (const d of [profile, work]) if (d) rmSync(d, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'no error was thrown into the page');
  });

  /** The expected results: the native CLI over the REST data as sam sees it. */
  const expected = new Map();
  async function cli(policy) {
    if (expected.has(policy)) return expected.get(policy);
    const get = async (path) => {
      const r = await fetch(`${REDMINE}${path}`, { headers: { 'X-Redmine-API-Key': apiKey } });
      assert.equal(r.status, 200, path);
      return r.text();
    };
    const files = [];
    const save = (name, text) => {
      const f = join(work, name);
      writeFileSync(f, text);
      files.push(f);
    };
    save('issue_statuses.json', await get('/issue_statuses.json'));
    save('issues.json', await get('/issues.json?status_id=*&sort=id&limit=100'));
    for (const id of TAG.keys()) save(`issue-${id}.json`, await get(`/issues/${id}.json?include=journals`));
    const args = ['eval', '--tracker', 'redmine', '--now', SEED.now];
    if (policy !== 'default') args.push('--policy', join(ROOT, `policies/${policy}.json`));
    const out = JSON.parse(execFileSync(CLI, [...args, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const byId = new Map(out.results.map((r) => [String(r.id), r]));
    expected.set(policy, byId);
    return byId;
  }

  /** What the badge for a CLI result must show. */
  function want(r) {
    const v = badgeView(r, NOW);
    const ev = r.evaluation;
    const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
    return { state: ev.state, text: v.text, escalation: v.escalation, deadline: m.deadline ?? '' };
  }

  /**
   * A tab whose every page load gets the integration, as an extension's content script would
   * (at DOMContentLoaded), with the page clock frozen at the seed's `now`.
   */
  async function open(path, options = {}, { freeze = true, prepare = null } = {}) {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await prepare?.(page);
    await page.addInitScript(
      ({ options, now, freeze }) => {
        document.addEventListener('DOMContentLoaded', () => {
          const s = document.createElement('script');
          s.type = 'module';
          s.textContent = `
          import * as shim from '/__sla-lens/sla-lens.js';
          import { annotate } from '/__sla-lens/trackers/annotate.js';
          const options = ${JSON.stringify(options)};
          if (${freeze}) shim.setClock(() => ${now});
          const api = await shim.load();
          if (options.policyName) options.policy = api.examplePolicy(options.policyName);
          window.slaLens = { shim, annotate, options, session: annotate({ tracker: 'redmine', ...options }) };
          document.addEventListener('sla-lens:annotated', () => {
            document.body.dataset.slaPasses = String(Number(document.body.dataset.slaPasses ?? 0) + 1);
          });
          window.slaLens.session.ready.then(() => { document.body.dataset.slaLens = 'ready'; });
        `;
          document.head.append(s);
        });
      },
      { options: { ...FAST, ...options }, now: NOW, freeze },
    );
    await page.goto(`${proxy.url}${path}`);
    await page.waitForSelector('body[data-sla-lens="ready"]', { timeout: 30_000 });
    return page;
  }

  const badges = (page) => readBadges(page, { row: true });

  async function tooltip(page, selector) {
    // Close any open tooltip first: it may lie over the next badge.
    await page.mouse.move(1, 1);
    await page.waitForFunction(
      () => ![...document.querySelectorAll('sla-badge')].some((b) => b.shadowRoot?.querySelector('.tip:popover-open')),
    );
    const b = page.locator(selector);
    await b.locator('.badge').hover();
    const tip = b.locator('.tip');
    await tip.waitFor({ state: 'visible' });
    return tip.textContent();
  }

  const apiCalls = (from = 0) => proxy.log.slice(from).filter((l) => /\.json/.test(l.path));

  it('shows on the issue list the badge the CLI computes for every seeded issue', async () => {
    const mark = proxy.log.length;
    const page = await open(ALL);
    const got = await badges(page);
    const cliResults = await cli('default');
    assert.equal(got.length, SEED.issues.length, 'one badge per row');
    for (const b of got) {
      const tag = TAG.get(b.id);
      const r = cliResults.get(b.id);
      assert.ok(r?.evaluation, `the CLI evaluated ${tag}`);
      assert.deepEqual({ state: b.state, text: b.text, escalation: b.escalation, deadline: b.deadline }, want(r), tag);
      assert.equal(b.state, SEEDED_DEFAULT[tag], `${tag} as seeded`);
      assert.equal(b.row, `issue-${b.id}`, `${tag}'s badge is in its own row`);
    }
    assert.equal(got.find((b) => b.id === ID.get('S04')).escalation, 'L2');
    // Network: one list call for 12 ids, the statuses, sam's key, and journals only for the
    // issues that have some and that the policy covers.
    const calls = apiCalls(mark).map((l) => new URL(l.path, 'http://x').pathname);
    assert.equal(calls.filter((p) => p === '/issues.json').length, 1);
    const list = JSON.parse(readFileSync(join(work, 'issues.json'), 'utf8')).issues;
    const needJournals = list.filter(
      (i) => i.updated_on !== i.created_on && cliResults.get(String(i.id)).evaluation.applicability.kind === 'applies',
    );
    assert.deepEqual(
      calls.filter((p) => /^\/issues\/\d+\.json$/.test(p)).sort(),
      needJournals.map((i) => `/issues/${i.id}.json`).sort(),
    );
    assert.ok(proxy.maxInFlight <= 6 + 2, `bounded concurrency (${proxy.maxInFlight})`);
    // The tooltip: the deadline in the viewer's zone (the 24x7 calendar has none of its own).
    const s03 = cliResults.get(ID.get('S03')).evaluation.response.deadline;
    const tip = await tooltip(page, `tr#issue-${ID.get('S03')} sla-badge`);
    assert.ok(tip.includes(dueText(Date.parse(s03), { nowMs: NOW, viewerZone: VIEWER_ZONE, past: true })), tip);
    assert.match(tip, /Response breached/);
    await page.screenshot({ path: join(SHOTS, 'redmine-list.png') });
    await page.close();
  });

  it("shows the issue page's own badge next to its heading, business hours in both zones", async () => {
    const cliResults = await cli('business-hours');
    for (const tag of ['S02', 'S11']) {
      const page = await open(`/issues/${ID.get(tag)}`, { policyName: 'business-hours' });
      const got = await badges(page);
      assert.equal(got.length, 1, `${tag}: one badge`);
      const heading = await page.evaluate(() => {
        const b = document.querySelector('sla-badge.sla-lens');
        return { after: b.previousElementSibling?.className, inContent: !!b.closest('#content') };
      });
      assert.deepEqual(heading, { after: 'badge badge-status-open', inContent: true }, "after Redmine's status badge");
      const r = cliResults.get(ID.get(tag));
      assert.deepEqual(
        { state: got[0].state, text: got[0].text, escalation: got[0].escalation, deadline: got[0].deadline },
        want(r),
        tag,
      );
      if (tag === 'S11') assert.equal(got[0].state, 'paused', 'waiting on customer pauses on business hours');
      if (tag === 'S02') {
        const d = Date.parse(r.evaluation.response.deadline);
        const line = dueText(d, { nowMs: NOW, viewerZone: VIEWER_ZONE, calendarZone: 'Europe/Berlin' });
        assert.match(line, /Berlin · .* your time/);
        const tip = await tooltip(page, '#content sla-badge');
        assert.ok(tip.includes(line), tip);
        await page.screenshot({ path: join(SHOTS, 'redmine-issue.png') });
      }
      await page.close();
    }
  });

  it('an issue sla-lens escalated: the tooltip says so, with a link to the marker note, which is no response', async () => {
    // Issue #14. Made here, not in the seed, and deleted again: Redmine numbers issues max(id) + 1
    // in this shared database, so a seeded 13th issue would renumber every other worktree's seed
    // (and add a row to the lists four suites count). Written by the API user (admin), who is
    // not the author: without the rule, its notes would be the first response.
    const setup = JSON.parse(readFileSync(process.env.REDMINE_SETUP, 'utf8'));
    const rest = async (method, path, body, asUser) => {
      const headers = { 'X-Redmine-API-Key': setup.api_key, 'Content-Type': 'application/json' };
      if (asUser) headers['X-Redmine-Switch-User'] = asUser;
      const r = await fetch(`${REDMINE}${path}`, { method, headers, body: body && JSON.stringify(body) });
      assert.ok(r.ok, `${method} ${path}: ${r.status}`);
      const text = await r.text();
      return text.trim() ? JSON.parse(text) : {};
    };
    const marketing = (await rest('GET', '/projects/marketing-it.json')).project;
    const priorities = (await rest('GET', '/enumerations/issue_priorities.json')).issue_priorities;
    const urgent = priorities.find((p) => p.name === 'Urgent');
    const { issue } = await rest(
      'POST',
      '/issues.json',
      {
        issue: {
          project_id: marketing.id,
          priority_id: urgent.id,
          subject: '[E01 escalated-noted] Mail server rejects campaign sends',
          description: 'Made by tests/e2e/redmine.live.mjs (issue #14) and deleted again.',
        },
      },
      'mia',
    );
    const id = String(issue.id);
    // A second later, as sla-lens would come: Redmine's times are whole seconds, and a list entry
    // saved in its creation second has no journals to read.
    await new Promise((r) => setTimeout(r, 1100));
    try {
      const at = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
      await rest('PUT', `/issues/${id}.json`, {
        issue: { notes: `sla-lens:claim ticket=${id} cycle=1 level=1 action=note#0 at=${at} run=e2e` },
      });
      await rest('PUT', `/issues/${id}.json`, {
        issue: {
          notes: `SLA escalation, level 1: IT manager.\nNow responsible: IT manager.\nsla-lens:escalated ticket=${id} cycle=1 level=1 action=note#0 at=${at}`,
        },
      });
      // The CLI over the same REST data: the marker note (#2) is recorded, the claim (#1) is not,
      // and neither is a response.
      const file = join(work, `escalated-${id}.json`);
      writeFileSync(file, JSON.stringify(await rest('GET', `/issues/${id}.json?include=journals`)));
      const statuses = join(work, 'issue_statuses.json');
      writeFileSync(statuses, JSON.stringify(await rest('GET', '/issue_statuses.json')));
      const site = join(work, 'site-escalated.json');
      writeFileSync(site, JSON.stringify({ tracker: 'redmine', origin: proxy.url }));
      const out = JSON.parse(
        execFileSync(
          CLI,
          ['eval', '--tracker', 'redmine', '--site', site, '--now', new Date().toISOString(), statuses, file],
          { encoding: 'utf8' },
        ),
      );
      const ev = out.results[0].evaluation;
      assert.equal(ev.response.state, 'running', 'the marker and claim notes are no response');
      assert.deepEqual(
        ev.escalation.done.map((d) => [d.level, d.at, d.note, d.url]),
        [[1, at, '#2', `${proxy.url}/issues/${id}#note-2`]],
      );
      // The badge on the issue page, as sam sees it (now: the real clock).
      const page = await open(`/issues/${id}`, {}, { freeze: false });
      const got = await badges(page);
      assert.equal(got.length, 1);
      assert.equal(got[0].state, 'running', 'the marker note did not stop the response clock');
      const want = escalationItems(ev.escalation.done, Date.now(), { viewerZone: VIEWER_ZONE });
      assert.equal(want.length, 1);
      assert.match(want[0].line, /^Escalated to IT manager \d\d:\d\d \(note #2\)$/);
      const tip = await tooltip(page, '#content sla-badge');
      assert.ok(tip.includes(want[0].line), tip);
      const link = page.locator('#content sla-badge .tip li.tip-esc a');
      assert.equal(await link.innerText(), 'note #2');
      assert.equal(await link.getAttribute('href'), `${proxy.url}/issues/${id}#note-2`);
      await page.screenshot({ path: join(SHOTS, 'redmine-escalated-tooltip.png') });
      // The note the link names is the marker note on Redmine's own page.
      const note = await page.locator('#note-2').innerText();
      assert.match(note, new RegExp(`sla-lens:escalated ticket=${id} cycle=1 level=1`));
      await page.close();
    } finally {
      await rest('DELETE', `/issues/${id}.json`);
    }
  });

  it('annotates idempotently: a second session and repeated passes leave one badge per row', async () => {
    const page = await open(ALL);
    const n = await page.evaluate(async () => {
      const second = window.slaLens.annotate({ tracker: 'redmine', ...window.slaLens.options });
      await second.ready;
      await second.refresh();
      await window.slaLens.session.refresh();
      const count = document.querySelectorAll('sla-badge').length;
      const perRow = [...document.querySelectorAll('tr.issue')].map((tr) => tr.querySelectorAll('sla-badge').length);
      return { count, perRow };
    });
    assert.equal(n.count, SEED.issues.length);
    assert.ok(
      n.perRow.every((c) => c === 1),
      JSON.stringify(n.perRow),
    );
    await page.close();
  });

  it('re-annotates after a filter change (Redmine reloads the list) and after an XHR change (My page)', async () => {
    const cliResults = await cli('default');
    const page = await open(ALL);
    // Filter: status "open", through Redmine's own filter form.
    await page.selectOption('#operators_status_id', 'o');
    await Promise.all([
      page.waitForURL(/op%5Bstatus_id%5D=o/),
      page.locator('#query_form a.icon-checked', { hasText: 'Apply' }).click(),
    ]);
    await page.waitForSelector('body[data-sla-lens="ready"]');
    const rows = await page.locator('table.list.issues tr.issue').count();
    const closed = [...cliResults.values()].filter((r) => r.evaluation.status === 'Closed').length;
    assert.ok(
      closed > 0 && rows === SEED.issues.length - closed,
      `the filter dropped the closed issues (${rows} rows)`,
    );
    const got = await badges(page);
    assert.equal(got.length, rows);
    for (const b of got)
      assert.deepEqual(
        { state: b.state, text: b.text },
        { state: want(cliResults.get(b.id)).state, text: want(cliResults.get(b.id)).text },
        TAG.get(b.id),
      );
    await page.close();

    // XHR: on My page, add the "Updated issues" block; Redmine inserts it with jQuery (no
    // page load), and its issue rows get badges. The block goes again afterwards (it is only
    // sam's page layout; no issue changes).
    const my = await open('/my/page');
    const before = Number(await my.evaluate(() => document.body.dataset.slaPasses));
    const already = await my.locator('sla-badge.sla-lens').count();
    await my.selectOption('#block-select', 'issuesupdatedbyme');
    try {
      await my.waitForFunction(
        () => {
          const rows = [...document.querySelectorAll('#block-issuesupdatedbyme tr.issue')];
          return (
            rows.length > 0 &&
            rows.every(
              (tr) => ['unknown', null].indexOf(tr.querySelector('sla-badge')?.getAttribute('state') ?? null) < 0,
            )
          );
        },
        null,
        { timeout: 10_000 },
      );
      const block = await my.evaluate(() =>
        [...document.querySelectorAll('#block-issuesupdatedbyme tr.issue')].map((tr) => ({
          row: tr.id,
          badges: tr.querySelectorAll('sla-badge').length,
          id: tr.querySelector('sla-badge')?.getAttribute('ticket-id'),
          state: tr.querySelector('sla-badge')?.getAttribute('state'),
        })),
      );
      assert.ok(block.length > 0, 'sam updated some issues');
      for (const r of block) {
        assert.equal(r.badges, 1, r.row);
        assert.equal(r.row, `issue-${r.id}`);
        assert.equal(r.state, want(cliResults.get(r.id)).state, TAG.get(r.id));
      }
      assert.ok(
        Number(await my.evaluate(() => document.body.dataset.slaPasses)) > before,
        'a pass ran for the DOM change',
      );
      assert.equal(await my.locator('sla-badge.sla-lens').count(), already + block.length, 'no badge twice');
    } finally {
      await my
        .locator('#block-issuesupdatedbyme a.icon-close')
        .click()
        .catch(() => {});
      await my.waitForSelector('#block-issuesupdatedbyme', { state: 'detached', timeout: 10_000 }).catch(() => {});
    }
    await my.close();
  });

  it('gives grey "SLA unavailable" badges when the API fails, and leaves the page intact', async (t) => {
    t.after(() => {
      proxy.fault = null;
    });
    proxy.fault = (req) => (req.url.includes('.json') ? { status: 500 } : null);
    const mark = proxy.log.length;
    const page = await open(ALL);
    const got = await badges(page);
    assert.equal(got.length, SEED.issues.length);
    assert.ok(
      got.every((b) => b.state === 'unavailable' && b.text === 'SLA unavailable'),
      JSON.stringify(got),
    );
    const tip = await tooltip(page, `tr#issue-${ID.get('S01')} sla-badge`);
    assert.match(tip, /Redmine answered 500 Internal Server Error \(3 tries\)/);
    // Bounded: the list call three times (two retries), no per-issue calls without a list.
    const lists = apiCalls(mark).filter((l) => l.path.startsWith('/issues.json'));
    assert.equal(lists.length, 3);
    // The page: every row, subject and link as Redmine rendered them.
    const intact = await page.evaluate(() => ({
      rows: document.querySelectorAll('table.list.issues tr.issue').length,
      subjects: [...document.querySelectorAll('td.subject a')].map((a) => a.textContent),
      title: document.querySelector('#content h2').textContent,
    }));
    assert.equal(intact.rows, SEED.issues.length);
    assert.ok(
      intact.subjects.every((s) => /^\[S\d\d /.test(s)),
      intact.subjects.join(),
    );
    assert.equal(intact.title, 'Issues');
    await page.screenshot({ path: join(SHOTS, 'redmine-unavailable.png') });
    await page.close();
    proxy.fault = null;
  });

  it('contains each fault to its issues: 429 is retried, a malformed answer and a hang fail alone', async (t) => {
    t.after(() => {
      proxy.fault = null;
    });
    const s02 = ID.get('S02');
    const s03 = ID.get('S03');
    let limited = 0;
    proxy.fault = (req) => {
      const p = new URL(req.url, 'http://x').pathname;
      if (p === '/issues.json' && limited++ === 0)
        return { status: 429, headers: { 'retry-after': '1' }, type: 'application/json', body: '{}' };
      if (p === `/issues/${s02}.json`)
        return { status: 200, type: 'application/json', body: '{"issue": {"id": 2, "subject": "cut' };
      if (p === `/issues/${s03}.json`) return { hang: true };
      return null;
    };
    const page = await open(ALL);
    const got = new Map((await badges(page)).map((b) => [b.id, b]));
    const cliResults = await cli('default');
    assert.equal(limited, 2, 'the list call was retried once after its 429');
    assert.equal(got.get(s02).state, 'unavailable');
    assert.match(
      await tooltip(page, `tr#issue-${s02} sla-badge`),
      /answer could not be read: the redmine response is not valid JSON/,
    );
    assert.equal(got.get(s03).state, 'unavailable');
    assert.match(await tooltip(page, `tr#issue-${s03} sla-badge`), /did not answer within 2 s \(2 tries\)/);
    for (const [id, b] of got) {
      if (id === s02 || id === s03) continue;
      assert.equal(b.state, want(cliResults.get(id)).state, TAG.get(id));
    }
    await page.close();
    proxy.fault = null;
  });

  it('keeps the page when Redmine goes away mid-session', async () => {
    const page = await open(ALL);
    assert.equal((await badges(page)).filter((b) => b.state === 'unavailable').length, 0);
    // Redmine gone (the proxy's upstream refuses connections): a DOM change that shows a new
    // issue row makes sla-lens ask, and the answer is a 502 from the front.
    proxy.upstream = 'http://127.0.0.1:9';
    try {
      await page.evaluate(() => {
        const tr = document.querySelector('tr#issue-1').cloneNode(true);
        tr.id = 'issue-999';
        tr.querySelector('sla-badge')?.remove();
        for (const a of tr.querySelectorAll('a[href="/issues/1"]')) a.setAttribute('href', '/issues/999');
        document.querySelector('table.list.issues tbody').append(tr);
      });
      await page.waitForSelector('tr#issue-999 sla-badge[state="unavailable"]', { timeout: 15_000 });
      assert.match(await tooltip(page, 'tr#issue-999 sla-badge'), /Redmine answered 502 Bad Gateway/);
      const states = (await badges(page)).filter((b) => b.id !== '999').map((b) => b.state);
      assert.ok(!states.includes('unavailable'), 'the issues already shown keep their badges');
    } finally {
      proxy.upstream = REDMINE;
    }
    await page.close();
  });

  it("follows Redmine's clock when the local one is hours off, and says so", async () => {
    const real = Date.now();
    const local = real - 3 * 3600_000;
    const p = await open(ALL, {}, { freeze: false, prepare: (page) => page.clock.setFixedTime(new Date(local)) });
    const s = await p.evaluate(() => ({
      skew: window.slaLens.session.skewMs,
      pageNow: window.slaLens.shim.now(),
      local: Date.now(),
    }));
    assert.ok(Math.abs(s.local - local) < 5_000, "the page's own clock is 3 hours behind");
    assert.ok(Math.abs(s.skew - 3 * 3600_000) < 120_000, `skew ${s.skew}`);
    assert.ok(Math.abs(s.pageNow - real) < 120_000, "sla-lens's clock follows Redmine's");
    const tip = await tooltip(p, `tr#issue-${ID.get('S01')} sla-badge`);
    assert.match(tip, /Your computer's clock is 3h behind Redmine's; times here follow Redmine's clock/);
    await p.close();
  });
});
