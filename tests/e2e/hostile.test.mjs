// The hostile-input corpus (tests/hostile/) in every page-side view, in headless Chromium: badges in
// a tracker's pages (the drop-in tag on the recorded Redmine issue list, its REST answers and the
// policy full of corpus strings), the demo page's badges and policy editor, <sla-board>,
// <sla-review> and the CSV view, and the CSV files
// they export. In each: no payload runs, no markup or non-http(s) link gets into the page, nothing
// overflows the page sideways, the strings show as written, and no exported CSV field starts a
// formula. Screenshots: target/screenshots/hostile-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumOnWww } from './server.mjs';
import {
  HOSTILE,
  SHOWN,
  FORMULAS,
  hostileTickets,
  hostilePolicy,
  hostileCsv,
  watch,
  assertSafe,
  deepText,
  assertCsvSafe,
  parseCsv,
} from '../hostile/hostile.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WWW = resolve(ROOT, 'www');
const SHOTS = join(ROOT, 'target/screenshots');
const NOW = '2026-11-27T12:00:00Z';
const SEED = JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8'));
const POLICY = hostilePolicy(SEED);
const TICKETS = hostileTickets({ now: NOW });

const env = chromiumOnWww('sla-hostile-', { viewport: { width: 1280, height: 1000 }, acceptDownloads: true });

before(() => {
  mkdirSync(SHOTS, { recursive: true });
});

/** A page of www/ with one element built in it by `build` (run in the page with `arg`). */
async function openWith(path, build, arg) {
  const page = await env.context.newPage();
  const dialogs = watch(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.server.url}${path}`);
  await page.evaluate(build, arg);
  await page.waitForFunction(
    () => [...document.querySelectorAll('sla-board, sla-review')].every((e) => e.dataset.ready),
    null,
    { timeout: 30000 },
  );
  return { page, dialogs, errors };
}

/** The text of a download the button `name` starts. */
async function downloaded(page, locator) {
  const [d] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  return readFile(await d.path(), 'utf8');
}

describe('the hostile corpus in the dashboards', () => {
  it("<sla-board>: titles, ids, statuses, assignees, categories and the policy's names as text; only http(s) links; the CSV export holds no formula", async () => {
    const { page, dialogs, errors } = await openWith(
      'dashboard.html?frozen',
      ({ tickets, policy }) => {
        document.querySelector('main').replaceChildren();
        const el = document.createElement('sla-board');
        el.id = 'h';
        el.setAttribute('heading', policy.name);
        el.setAttribute('policy', JSON.stringify(policy));
        el.setAttribute('now', '2026-11-27T12:00:00Z');
        el.style.setProperty('--sla-board-height', '3000px');
        el.tickets = tickets;
        document.querySelector('main').append(el);
      },
      { tickets: TICKETS, policy: POLICY },
    );
    const board = page.locator('#h');
    assert.equal(await board.evaluate((b) => b.dataset.ready), 'true', await board.textContent());
    assert.equal(await board.locator('tr.r').count(), TICKETS.length, 'every hostile ticket is a row');
    await page.screenshot({ path: join(SHOTS, 'hostile-board.png') });
    await assertSafe(page, dialogs, '<sla-board>');
    const text = await deepText(page);
    for (const v of SHOWN)
      assert.ok(text.includes(v), `<sla-board> shows ${JSON.stringify(v.slice(0, 50))} as written`);
    // The http(s) URLs are links (one with quotes and brackets in it: a link, percent-encoded, and
    // harmless); the javascript:, data: and vbscript: ones are not.
    const links = await board.locator('td.title a').evaluateAll((as) => as.map((a) => a.href));
    assert.equal(links.length, TICKETS.filter((t) => /^https:/.test(t.url)).length);
    assert.ok(
      links.every((h) => h.startsWith('https://tracker.example/issues/1')),
      links.join(' '),
    );
    const csv = await downloaded(page, board.getByRole('button', { name: 'Export CSV' }));
    assertCsvSafe(csv, "the board's CSV");
    const rows = parseCsv(csv);
    const fields = rows.flat();
    for (const f of FORMULAS)
      assert.ok(fields.includes(`'${f}`), `the formula ${JSON.stringify(f)} is exported as text`);
    assert.equal(rows[0][2], 'url');
    const urls = rows
      .slice(1)
      .map((r) => r[2])
      .filter(Boolean);
    assert.ok(
      urls.length > 0 && urls.every((u) => u.startsWith('https://')),
      `the url column holds http(s) URLs only: ${urls.join(' ')}`,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('<sla-review>: the breaches and the names as text; its CSVs hold no formula', async () => {
    const { page, dialogs, errors } = await openWith(
      'review.html?frozen',
      ({ tickets, policy }) => {
        document.querySelector('main').replaceChildren();
        const el = document.createElement('sla-review');
        el.id = 'h';
        el.setAttribute('policy', JSON.stringify(policy));
        el.setAttribute('now', '2026-11-27T12:00:00Z');
        el.setAttribute('from', '2026-11-01');
        el.setAttribute('to', '2026-11-30');
        const s = document.createElement('script');
        s.type = 'application/json';
        s.dataset.tickets = '';
        s.textContent = JSON.stringify(tickets);
        el.append(s);
        document.querySelector('main').append(el);
      },
      { tickets: TICKETS, policy: POLICY },
    );
    const review = page.locator('#h');
    assert.equal(await review.evaluate((b) => b.dataset.ready), 'true', await review.textContent());
    await page.screenshot({ path: join(SHOTS, 'hostile-review.png'), fullPage: true });
    await assertSafe(page, dialogs, '<sla-review>');
    const text = await deepText(page);
    // The breaches list a page of titles; every title on it, and the policy's names, as written.
    const titles = await review
      .locator('[data-part="breaches"] tr[data-breach]')
      .evaluateAll((trs) => trs.map((t) => t.cells[1].textContent));
    assert.ok(titles.length > 0, 'breaches are listed');
    for (const t of titles)
      assert.ok(HOSTILE.includes(t), `a breach title as written: ${JSON.stringify(t.slice(0, 40))}`);
    // A long id or title wraps in its cell: no cell of the breaches table grows past 480 px (the
    // table itself may scroll sideways in its box, as it does with ordinary data at this width).
    const widths = await review
      .locator('[data-part="breaches"] tr[data-breach]')
      .evaluateAll((trs) => trs.flatMap((t) => [...t.cells].map((c) => c.offsetWidth)));
    assert.ok(Math.max(...widths) <= 480, `every breach cell wraps: ${Math.max(...widths)} px`);
    assert.ok(text.includes(POLICY.name), 'the policy name as written');
    for (const name of ['Breaches CSV', 'Cells CSV', 'Charts CSV']) {
      const csv = await downloaded(page, review.getByRole('button', { name }));
      assertCsvSafe(csv, name);
      if (name === 'Breaches CSV') {
        const fields = parseCsv(csv).flat();
        for (const f of FORMULAS) assert.ok(fields.includes(`'${f}`), `${name}: ${JSON.stringify(f)} as text`);
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("the CSV view: a CSV export's hostile cells as text", async () => {
    const { page, dialogs, errors } = await openWith(
      'csv.html?frozen',
      (csv) => {
        document.querySelector('main').replaceChildren();
        const el = document.createElement('sla-board');
        el.id = 'h';
        el.setAttribute('tracker', 'redmine-csv');
        el.setAttribute('time-zone', 'UTC');
        el.setAttribute('now', '2026-11-27T12:00:00Z');
        el.style.setProperty('--sla-board-height', '3000px');
        el.setAttribute('src', URL.createObjectURL(new Blob([csv], { type: 'text/csv' })));
        document.querySelector('main').append(el);
      },
      hostileCsv(),
    );
    const board = page.locator('#h');
    assert.equal(await board.evaluate((b) => b.dataset.ready), 'true', await board.textContent());
    assert.equal(await board.locator('tr.r').count(), SHOWN.length);
    await page.screenshot({ path: join(SHOTS, 'hostile-csv.png') });
    await assertSafe(page, dialogs, 'the CSV view');
    const text = await deepText(page);
    // As written, less the blanks around a cell, which the CSV reader trims.
    for (const v of SHOWN)
      assert.ok(text.includes(v.trim()), `the CSV view shows ${JSON.stringify(v.slice(0, 50))} as written`);
    assertCsvSafe(await downloaded(page, board.getByRole('button', { name: 'Export CSV' })), "the CSV view's export");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the hostile corpus on the demo page', () => {
  it("the policy editor: a policy full of it applied (badges, tooltips, the name) and a bad one's diagnostics, as text", async () => {
    const page = await env.context.newPage();
    const dialogs = watch(page);
    await page.goto(`${env.server.url}?frozen#policy`);
    await page.waitForSelector('body[data-ready="true"]');
    const seed = JSON.parse(await page.locator('#policy-text').inputValue());
    const hostile = hostilePolicy(seed);
    await page.locator('#policy-text').fill(JSON.stringify(hostile, null, 2));
    await page.locator('#apply').click();
    await page.waitForSelector('#panel-issues:not([hidden])');
    assert.equal(await page.locator('#policy-name').textContent(), hostile.name);
    // Every badge's tooltip, opened by keyboard focus and closed with Escape.
    const tips = [];
    const n = await page.locator('sla-badge').count();
    for (let i = 0; i < n; i++) {
      const b = page.locator('sla-badge').nth(i);
      if (!(await b.isVisible())) continue;
      await b.locator('.badge').focus();
      await page.waitForTimeout(20);
      tips.push(await b.evaluate((el) => el.shadowRoot.textContent));
      await page.keyboard.press('Escape');
    }
    await page.screenshot({ path: join(SHOTS, 'hostile-demo.png') });
    await assertSafe(page, dialogs, 'the demo page');
    const all = `${tips.join('\n')}\n${await deepText(page)}`;
    const level = hostile.escalation.levels[0];
    assert.ok(all.includes(level.role), `the role as written: ${JSON.stringify(level.role)}`);
    assert.ok(
      all.includes(level.contacts[0].name),
      `the contact as written: ${JSON.stringify(level.contacts[0].name)}`,
    );
    // Unknown keys named by the corpus: each diagnostic shows its key as text.
    const bad = structuredClone(hostile);
    for (const v of SHOWN.slice(0, 8)) bad[v] = true;
    await page.goto(`${env.server.url}?frozen#policy`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('#policy-text').fill(JSON.stringify(bad, null, 2));
    await page.waitForFunction(() => document.querySelectorAll('#diagnostics li.error').length >= 8);
    const items = (await page.locator('#diagnostics li').allTextContents()).join('\n');
    for (const v of SHOWN.slice(0, 8))
      assert.ok(items.includes(v), `a diagnostic names ${JSON.stringify(v.slice(0, 40))}`);
    await page.locator('#diagnostics').screenshot({ path: join(SHOTS, 'hostile-demo-diagnostics.png') });
    await assertSafe(page, dialogs, "the demo page's diagnostics");
    await page.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Badges in a tracker's page: the recorded Redmine issue list, its REST answers made hostile
// ---------------------------------------------------------------------------------------------

const FIX = join(ROOT, 'tests/fixtures/redmine');
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/**
 * A Redmine issue with corpus strings in its texts: subject, description, author, assignee,
 * journal notes and authors. What decides scope and tiers (project, tracker, category, custom
 * fields, status) stays, so the badges still cover every state and escalation level.
 */
function hostileIssue(it, i) {
  const v = (k) => SHOWN[(i * 7 + k) % SHOWN.length];
  return {
    ...it,
    subject: v(0),
    description: v(1),
    author: it.author && { ...it.author, name: v(4) },
    assigned_to: { id: 99, name: v(5) },
    journals: it.journals?.map((j, k) => ({
      ...j,
      notes: j.notes ? v(8 + k) : j.notes,
      user: j.user && { ...j.user, name: v(9 + k) },
    })),
  };
}

describe('the hostile corpus in badges on a tracker page', () => {
  let server;
  let base;
  before(async () => {
    const config = JSON.stringify({ tracker: 'redmine', policy: JSON.stringify(POLICY) }).replace(/</g, '\\u003c');
    const head = `<script type="application/json" id="sla-lens-config">${config}</script>\n<script type="module" src="/__sla-lens/sla-lens-dropin.js"></script>`;
    server = createServer(async (req, res) => {
      const url = new URL(req.url, 'http://x');
      const p = decodeURIComponent(url.pathname);
      res.sendDate = false;
      const send = (status, type, body, extra = {}) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
        res.end(body);
      };
      try {
        if (p.startsWith('/__sla-lens/')) {
          const file = normalize(join(WWW, p.slice('/__sla-lens/'.length)));
          if (!file.startsWith(WWW)) return send(404, 'text/plain', 'not found');
          return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
        }
        if (p === '/issue_statuses.json')
          return send(200, 'application/json', await readFile(join(FIX, 'issue_statuses.json')));
        if (p === '/issues.json') {
          const ids = new Set((url.searchParams.get('issue_id') ?? '').split(','));
          const all = JSON.parse(await readFile(join(FIX, 'issues.json'), 'utf8'));
          const issues = all.issues.filter((i) => ids.has(String(i.id))).map(hostileIssue);
          return send(
            200,
            'application/json',
            JSON.stringify({ ...all, issues, total_count: issues.length, limit: issues.length }),
          );
        }
        const m = /^\/issues\/(\d+)\.json$/.exec(p);
        if (m) {
          const doc = JSON.parse(await readFile(join(FIX, 'issues', `${m[1]}.json`), 'utf8'));
          return send(200, 'application/json', JSON.stringify({ issue: hostileIssue(doc.issue, Number(m[1])) }));
        }
        if (p === '/issues') {
          const html = (await readFile(join(ROOT, 'tests/fixtures/pages/redmine/issues.html'), 'utf8')).replace(
            '</head>',
            `${head}\n</head>`,
          );
          return send(200, 'text/html; charset=utf-8', html, { 'content-security-policy': CSP });
        }
        return send(404, 'text/plain', 'not found');
      } catch (e) {
        return send(500, 'text/plain', String(e));
      }
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((ok) => server.close(ok)));

  it("badges and their tooltips show the policy's and the tracker's strings as text", async () => {
    const page = await env.context.newPage();
    const dialogs = watch(page);
    await page.clock.setFixedTime(new Date(JSON.parse(readFileSync(join(FIX, 'seed.json'), 'utf8')).now));
    await page.goto(`${base}/issues`);
    await page.waitForFunction(() => document.documentElement.dataset.slaLens === 'ready', null, { timeout: 30000 });
    const n = await page.locator('sla-badge.sla-lens').count();
    assert.ok(n >= 10, `${n} badges`);
    // Every badge's tooltip, opened by keyboard focus as a reader would.
    const lines = [];
    for (let i = 0; i < n; i++) {
      const b = page.locator('sla-badge.sla-lens').nth(i);
      await b.evaluate((el) => (el.shadowRoot.querySelector('[tabindex]') ?? el).focus());
      await page.waitForTimeout(30);
      lines.push(await b.evaluate((el) => el.shadowRoot.textContent));
    }
    await page.screenshot({ path: join(SHOTS, 'hostile-badges.png') });
    // Redmine's own markup has inline handlers (onclick): the checks look inside the badges.
    await assertSafe(page, dialogs, 'badges on a Redmine page', { within: 'sla-badge' });
    const all = `${lines.join('\n')}\n${await deepText(page)}`;
    assert.ok(all.includes(POLICY.name), 'the policy name as written');
    const escalated = await page.locator('sla-badge.sla-lens[state="breached"]').count();
    assert.ok(escalated > 0, 'breached (escalated) issues among the badges');
    const level = POLICY.escalation.levels[0];
    assert.ok(all.includes(level.role), `the escalation role as written: ${JSON.stringify(level.role)}`);
    assert.ok(
      all.includes(level.contacts[0].name),
      `the contact's name as written: ${JSON.stringify(level.contacts[0].name)}`,
    );
    for (const p of POLICY.priorities)
      assert.ok(all.includes(p.name), `the priority tier's name as written: ${JSON.stringify(p.name)}`);
    await page.close();
  });
});
