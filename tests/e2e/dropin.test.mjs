// The drop-in tag (www/sla-lens-dropin.js) on static Redmine pages served locally: the recorded
// issue list and issue pages (tests/fixtures/pages/redmine/) with one tag added to their head,
// and the recorded REST answers (tests/fixtures/redmine/) at Redmine's API paths, under the CSP
// docs/trackers.md gives. The badges are the ones the native CLI computes from the same recorded
// data — configured by attributes, and by an inline JSON element; a policy with errors gives
// grey badges that say why; without 'wasm-unsafe-eval' the CSP stops the engine and the page is
// left alone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { badgeView } from '../../www/badge-view.js';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { readBadges } from '../support/badges.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WWW = resolve(ROOT, 'www');
const FIX = join(ROOT, 'tests/fixtures/redmine');
const PAGES = join(ROOT, 'tests/fixtures/pages/redmine');
const SEED = JSON.parse(readFileSync(join(FIX, 'seed.json'), 'utf8'));
const NOW = Date.parse(SEED.now);
const ID = new Map(SEED.issues.map((i) => [i.tag.split(' ')[0], String(i.id)]));
const CLI = join(ROOT, 'target/release/sla-lens');
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

const DATA = [
  join(FIX, 'issue_statuses.json'),
  join(FIX, 'issues.json'),
  ...readdirSync(join(FIX, 'issues')).map((f) => join(FIX, 'issues', f)),
];

function cli(policy) {
  const args = ['eval', '--tracker', 'redmine', '--now', SEED.now];
  if (policy) args.push('--policy', join(ROOT, 'policies', `${policy}.json`));
  const out = JSON.parse(execFileSync(CLI, [...args, ...DATA], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  return new Map(out.results.map((r) => [String(r.id), r]));
}

function want(r) {
  const v = badgeView(r, NOW);
  const ev = r.evaluation;
  const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
  return { state: ev.state, text: v.text, escalation: v.escalation, deadline: m.deadline ?? '' };
}

let server;
let base;
let browser;
/** What each test puts in the pages' head, and the CSP they are served with. */
let head = '';
let csp = CSP;
const BAD_POLICY = {
  ...JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8')),
  atRiskPercent: 'eighty',
  colour: 'red',
};

async function answer(req, res) {
  const url = new URL(req.url, 'http://x');
  const p = decodeURIComponent(url.pathname);
  // No `Date` header, as Redmine's puma serves it (with one, sla-lens would follow the server's
  // clock instead of the page's frozen one).
  res.sendDate = false;
  const send = (status, type, body, extra = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra });
    res.end(body);
  };
  if (p.startsWith('/__sla-lens/')) {
    const file = normalize(join(WWW, p.slice('/__sla-lens/'.length)));
    if (!file.startsWith(WWW)) return send(404, 'text/plain', 'not found');
    return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  }
  if (p.startsWith('/policies/'))
    return send(
      200,
      'application/json',
      await readFile(join(ROOT, 'policies', p.slice('/policies/'.length).replace(/[^\w.-]/g, ''))),
    );
  if (p === '/bad-policy.json') return send(200, 'application/json', JSON.stringify(BAD_POLICY));
  if (p === '/issue_statuses.json')
    return send(200, 'application/json', await readFile(join(FIX, 'issue_statuses.json')));
  if (p === '/issues.json') {
    // The recorded list, cut to the ids asked for (as Redmine answers `issue_id=1,2,…`).
    const ids = new Set((url.searchParams.get('issue_id') ?? '').split(','));
    const all = JSON.parse(await readFile(join(FIX, 'issues.json'), 'utf8'));
    const issues = all.issues.filter((i) => ids.has(String(i.id)));
    return send(
      200,
      'application/json',
      JSON.stringify({ ...all, issues, total_count: issues.length, limit: issues.length }),
    );
  }
  let m = /^\/issues\/(\d+)\.json$/.exec(p);
  if (m) return send(200, 'application/json', await readFile(join(FIX, 'issues', `${m[1]}.json`)));
  let page = null;
  if (p === '/issues') page = 'issues.html';
  m = /^\/issues\/(\d+)$/.exec(p);
  if (m) page = [...ID].find(([, id]) => id === m[1])?.[0];
  if (page && !page.endsWith('.html')) page = `issue-${page}.html`;
  if (page) {
    const html = (await readFile(join(PAGES, page), 'utf8')).replace('</head>', `${head}\n</head>`);
    return send(200, 'text/html; charset=utf-8', html, { 'content-security-policy': csp });
  }
  return send(404, 'text/plain', 'not found');
}

async function open(path) {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
  });
  const page = await context.newPage();
  const log = [];
  page.on('console', (msg) => log.push(msg.text()));
  await page.clock.setFixedTime(new Date(NOW));
  await page.goto(`${base}${path}`);
  return { page, log, close: () => context.close() };
}

const badges = (page) => readBadges(page);

const strip = ({ state, text, escalation, deadline }) => ({ state, text, escalation, deadline });

describe('the drop-in tag on static Redmine pages', () => {
  before(async () => {
    mkdirSync(join(ROOT, 'target/screenshots'), { recursive: true });
    server = createServer((req, res) =>
      answer(req, res).catch((e) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }),
    );
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  it('configured by attributes: the list gets the badges the CLI computes (business hours, under the documented CSP)', async () => {
    csp = CSP;
    head =
      '<script type="module" src="/__sla-lens/sla-lens-dropin.js" data-tracker="redmine" data-policy="/policies/business-hours.json"></script>';
    const expected = cli('business-hours');
    const { page, close } = await open('/issues');
    await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
    const got = await badges(page);
    assert.equal(got.length, SEED.issues.length, 'one badge per row');
    for (const b of got) assert.deepEqual(strip(b), want(expected.get(b.id)), b.id);
    assert.ok(
      got.some((b) => b.state === 'paused'),
      'S11 waits on the customer',
    );
    await page.screenshot({ path: join(ROOT, 'target/screenshots/dropin-redmine-list.png') });
    await close();
  });

  it('configured by an inline JSON element: the issue page gets its badge (seed policy)', async () => {
    csp = CSP;
    head =
      '<script type="application/json" id="sla-lens-config">{"tracker": "redmine"}</script>\n<script type="module" src="/__sla-lens/sla-lens-dropin.js"></script>';
    const expected = cli(null);
    for (const tag of ['S03', 'S05']) {
      const { page, close } = await open(`/issues/${ID.get(tag)}`);
      await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
      const got = await badges(page);
      assert.equal(got.length, 1, tag);
      assert.equal(got[0].id, ID.get(tag));
      assert.deepEqual(strip(got[0]), want(expected.get(ID.get(tag))), tag);
      await close();
    }
  });

  it('a policy with errors gives every issue a grey badge that says which path is wrong', async () => {
    csp = CSP;
    head =
      '<script type="module" src="/__sla-lens/sla-lens-dropin.js" data-tracker="redmine" data-policy="/bad-policy.json"></script>';
    const { page, close } = await open('/issues');
    await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
    const got = await badges(page);
    assert.equal(got.length, SEED.issues.length);
    assert.ok(
      got.every((b) => b.state === 'unavailable'),
      JSON.stringify(got),
    );
    await page.locator(`tr#issue-${got[0].id} sla-badge .badge`).hover();
    const tip = page.locator(`tr#issue-${got[0].id} sla-badge .tip`);
    await tip.waitFor({ state: 'visible' });
    assert.match(
      await tip.textContent(),
      /sla-lens's policy has 2 error\(s\) \(first: (colour unknown-field|atRiskPercent invalid-type): .*\); an administrator has to fix it/,
    );
    await close();
  });

  it("without 'wasm-unsafe-eval' in the CSP the engine cannot start, and the page is left as it was", async () => {
    csp = "default-src 'self'; script-src 'self'";
    head = '<script type="module" src="/__sla-lens/sla-lens-dropin.js" data-tracker="redmine"></script>';
    const { page, log, close } = await open('/issues');
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.list.issues tr.issue').length === n,
      SEED.issues.length,
    );
    await page.waitForSelector('html[data-sla-lens="failed"]', { timeout: 30_000 });
    assert.equal(await page.locator('sla-badge').count(), 0);
    assert.ok(
      log.some((l) => /sla-lens:.*(WebAssembly|wasm|Content Security Policy)/i.test(l)),
      log.join('\n'),
    );
    await close();
  });
});
