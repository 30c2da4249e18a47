// The RT extension (www/integrations/rt/RT-Extension-SLALens, installed into a real Request
// Tracker 5 by scripts/rt/page-test.sh) in headless Chromium, signed in as the staff user `alice`
// through RT's own login form: on a ticket display page and on a search results page, every
// badge (state, text, escalation, deadline) is the one `sla-lens eval --tracker rt` computes from
// the same REST 2 answers under the same policy; REST answers that fail (500, a hang, malformed
// JSON) give their tickets grey "SLA unavailable" badges and leave the page intact. Screenshots
// go to target/screenshots/rt-*.png. Also: the home page's ticket lists, and nothing on the login page.
// Last, the settings page (Admin → Tools → sla-lens) as root: an invalid policy shows the engine's
// diagnostics and cannot be saved, a POST without RT's referrer is refused, and a valid policy
// saved there is what alice's badges follow.
//
//   make test-rt-page   (scripts/rt/page-test.sh: installs the extension, seeds, starts and stops RT)
//
// Fails unless RT_URL (RT itself) and RT_LIVE (its REST answers, scripts/rt/rt.sh record) are
// set. A proxy on RT's public address (RT_PUBLIC_PORT, 3099: RT's $WebBaseURL) forwards to RT_URL
// and makes answers fail on demand.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startProxy } from './redmine-proxy.mjs';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { badgeView } from '../../www/badge-view.js';
import { assertAccessible, audit } from '../support/axe.mjs';
import { liveRt, signInToRt } from '../support/rt.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { RT, LIVE, PUBLIC_PORT, CLI, POLICY, SHOTS } = liveRt('test-rt-page');
const SEED = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/rt/seed.json'), 'utf8'));
const ID = SEED.tickets;
const TAG = new Map(Object.entries(ID).map(([tag, id]) => [String(id), tag]));
const SEARCH = `/Search/Results.html?Query=${encodeURIComponent('id > 0')}&OrderBy=id&Order=ASC&RowsPerPage=50`;

let proxy;
let context;
let profile;
const pageErrors = [];

// Named *.live.mjs so that `node --test tests/e2e/` (make test-e2e) does not pick it up.

// A bound on the whole suite (about 45 s when well): a hang anywhere fails it, naming the suite,
// instead of holding CI until its own limit (seen once in a fresh-clone run, not reproduced in
// four runs since).
describe('sla-lens in a real Request Tracker (the RT extension)', { timeout: 300_000 }, () => {
  before(async () => {
    proxy = await startProxy({ upstream: RT, port: PUBLIC_PORT });
    profile = mkdtempSync(join(tmpdir(), 'sla-rt-'));
    mkdirSync(SHOTS, { recursive: true });
    const view = { viewport: { width: 1360, height: 900 }, timezoneId: 'UTC', locale: 'en-US' };
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
      ...view,
    });
    // Sign in through RT's own form, as a person would. Before that, the login page has no
    // sla-lens (no config, no engine).
    const page = await context.newPage();
    await page.goto(`${proxy.url}/`);
    assert.equal(
      await page.locator('#sla-lens-config, script[src*="sla-lens"]').count(),
      0,
      'nothing for anonymous visitors',
    );
    await signInToRt(page, proxy.url, 'alice', 'alice-pw-1');
    await page.close();
  });

  after(async () => {
    await context?.close();
    await proxy?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'no error was thrown into the page');
  });

  /** The native CLI over the REST answers scripts/rt/rt.sh recorded, at `nowMs`, by ticket id. */
  function cli(nowMs, policy = POLICY) {
    const files = ['ticket', 'history', 'attachments', 'queue', 'user', 'group'].flatMap((d) =>
      readdirSync(join(LIVE, d)).map((f) => join(d, f)),
    );
    const now = new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const out = JSON.parse(
      execFileSync(CLI, ['eval', '--tracker', 'rt', '--policy', policy, '--now', now, ...files], {
        cwd: LIVE,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    );
    return new Map(out.results.map((r) => [String(r.id), r]));
  }

  /** What the badge for a CLI result must show at `nowMs`. */
  function want(r, nowMs) {
    const v = badgeView(r, nowMs);
    const ev = r.evaluation;
    const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
    return { state: ev.state, text: v.text, escalation: v.escalation, deadline: m.deadline ?? '' };
  }

  /** A page of RT's with the extension's badges, once the drop-in says it is done. */
  async function open(path) {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${proxy.url}${path}`);
    await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 90_000 });
    return page;
  }

  /** The badges, and the page's clock when they were read (the drop-in runs at the real time). */
  const badges = (page) =>
    page.evaluate(() => ({
      now: Date.now(),
      list: [...document.querySelectorAll('sla-badge.sla-lens')].map((b) => ({
        id: b.getAttribute('ticket-id'),
        state: b.getAttribute('state'),
        text: b.shadowRoot?.querySelector('.text')?.textContent ?? '',
        escalation: b.shadowRoot?.querySelector('.esc')?.hidden
          ? null
          : (b.shadowRoot?.querySelector('.esc')?.textContent ?? null),
        deadline: b.getAttribute('data-deadline') ?? '',
        row: b.closest('tbody.list-item')?.getAttribute('data-record-id') ?? null,
        heading: !!b.closest('#header h1'),
      })),
    }));

  /** Each badge equals the CLI's evaluation at the page's clock. */
  function assertLikeCli(list, now, policy = POLICY) {
    const results = cli(now, policy);
    for (const b of list) {
      const r = results.get(b.id);
      assert.ok(r?.evaluation, `the CLI evaluated ${TAG.get(b.id)}: ${JSON.stringify(r)}`);
      assert.deepEqual(
        { state: b.state, text: b.text, escalation: b.escalation, deadline: b.deadline },
        want(r, now),
        TAG.get(b.id),
      );
    }
  }

  it("the ticket display page: one badge in its heading (and in the requestor's ticket list), the CLI's", async () => {
    const seen = new Set();
    for (const tag of ['R02', 'R03', 'R05', 'R13']) {
      const page = await open(`/Ticket/Display.html?id=${ID[tag]}`);
      const { now, list } = await badges(page);
      const heading = list.filter((b) => b.heading);
      assert.equal(heading.length, 1, `${tag}: one badge in the heading`);
      assert.equal(heading[0].id, String(ID[tag]));
      // The requestor's other tickets ("Active Tickets" of the People box) are rows too.
      for (const b of list.filter((x) => !x.heading)) assert.equal(b.row, b.id, `${tag}: ${TAG.get(b.id)} in its row`);
      assertLikeCli(list, now);
      seen.add(heading[0].state);
      if (tag === 'R03') await page.screenshot({ path: join(SHOTS, 'rt-ticket.png') });
      await page.close();
    }
    assert.ok(seen.size >= 2, `more than one state: ${[...seen]}`);
  });

  it("the search results page: one badge in every row's subject cell, the CLI's", async () => {
    const page = await open(SEARCH);
    const { now, list } = await badges(page);
    assert.equal(list.length, Object.keys(ID).length, 'one badge per ticket');
    for (const b of list) assert.equal(b.row, b.id, `${TAG.get(b.id)}'s badge is in its own row`);
    assertLikeCli(list, now);
    const states = new Set(list.map((b) => b.state));
    assert.ok(states.has('notApplicable') && states.size >= 3, `states: ${[...states]}`);
    await page.screenshot({ path: join(SHOTS, 'rt-search.png'), fullPage: true });
    await page.close();
  });

  it("the home page's ticket lists: the CLI's badges in their rows", async () => {
    const page = await open('/');
    const { now, list } = await badges(page);
    assert.ok(list.length >= 1, "alice's home page lists tickets");
    for (const b of list) assert.equal(b.row, b.id, `${TAG.get(b.id)} in its row`);
    assertLikeCli(list, now);
    await page.close();
  });

  it('a 500, a hang and malformed JSON give their tickets grey badges; the page stays intact', async (t) => {
    t.after(() => {
      proxy.fault = null;
    });
    const [r01, r02, r03] = [ID.R01, ID.R02, ID.R03];
    proxy.fault = (req) => {
      const p = new URL(req.url, 'http://x').pathname;
      if (p === `/REST/2.0/ticket/${r01}`) return { status: 500 };
      if (p === `/REST/2.0/ticket/${r02}/history`) return { hang: true };
      if (p === `/REST/2.0/ticket/${r03}`)
        return { status: 200, type: 'application/json', body: '{"id": "3", "Subject": ' };
      return null;
    };
    const page = await open(SEARCH);
    const { now, list } = await badges(page);
    const byId = new Map(list.map((b) => [b.id, b]));
    for (const id of [r01, r02, r03]) {
      const b = byId.get(String(id));
      assert.equal(b?.state, 'unavailable', `${TAG.get(String(id))}: ${JSON.stringify(b)}`);
      assert.equal(b.text, 'SLA unavailable');
    }
    assertLikeCli(
      list.filter((b) => ![r01, r02, r03].map(String).includes(b.id)),
      now,
    );
    const intact = await page.evaluate(() => ({
      rows: document.querySelectorAll('tbody.list-item[data-record-id]').length,
      subjects: [...document.querySelectorAll('tbody.list-item a[href*="Display.html?id="]')]
        .map((a) => a.textContent.trim())
        .filter((s) => /^R\d\d /.test(s)),
      title: document.querySelector('#header h1')?.textContent ?? '',
    }));
    assert.equal(intact.rows, Object.keys(ID).length);
    assert.equal(intact.subjects.length, Object.keys(ID).length);
    assert.match(intact.title, /Found \d+ tickets?/);
    await page.screenshot({ path: join(SHOTS, 'rt-search-faults.png'), fullPage: true });
    await page.close();
  });
  it("the settings page: root edits the policy, the engine validates it, alice's badges follow", async (t) => {
    const SETTINGS = '/Admin/Tools/SLALens.html';
    // Not for staff: alice (no SuperUser) gets 403, no form (RT's Abort; the body is empty, so
    // asked for over HTTP with her session rather than rendered).
    const denied = await context.request.get(`${proxy.url}${SETTINGS}`, { maxRedirects: 0 });
    assert.equal(denied.status(), 403, 'the settings page is for SuperUsers only');
    assert.doesNotMatch(await denied.text(), /sla-lens-policy/);

    // root signs in through RT's form in a context of its own.
    const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROMIUM_ARGS });
    try {
      const admin = await browser.newContext({
        viewport: { width: 1360, height: 1000 },
        timezoneId: 'UTC',
        locale: 'en-US',
      });
      const page = await admin.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${proxy.url}/`);
      await signInToRt(page, proxy.url, 'root', process.env.RT_ROOT_PW ?? 'rt-root-pw');
      await page.waitForSelector('#li-admin-tools', { state: 'attached' });
      // Admin → Tools → sla-lens is in RT's menu.
      assert.equal(await page.locator(`#li-admin-tools-sla-lens a[href$="${SETTINGS}"]`).count(), 1, 'the menu entry');
      const checks = async () => Number((await page.evaluate(() => document.body.dataset.slaLensChecked)) ?? 0);
      /** Types `text` into the policy and waits for the engine's check of it. */
      const typePolicy = async (text) => {
        const before = await checks();
        await page.fill('#sla-lens-policy', text);
        await page.waitForFunction(
          (n) => Number(document.body.dataset.slaLensChecked ?? 0) > n && !document.body.dataset.slaLensPending,
          before,
        );
      };
      await page.goto(`${proxy.url}${SETTINGS}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
      await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) >= 1, null, {
        timeout: 60_000,
      });
      assert.equal(await page.inputValue('#sla-lens-policy'), '', 'nothing saved yet');
      assert.equal(await page.locator('#sla-lens-save').isEnabled(), true, 'empty (the seed policy) is valid');

      // An invalid policy: every diagnostic with its path, code and message; Save disabled, and
      // submitting anyway saves nothing.
      const policy = JSON.parse(readFileSync(POLICY, 'utf8'));
      const bad = structuredClone(policy);
      bad.targets[0].response = 'soon';
      await typePolicy(JSON.stringify(bad, null, 2));
      const diags = await page.$$eval('#sla-lens-policy-diagnostics li.error', (lis) =>
        lis.map((li) => ({
          path: li.querySelector('.path')?.textContent ?? '',
          code: li.querySelector('.code')?.textContent ?? '',
          message: li.querySelector('.message')?.textContent ?? '',
        })),
      );
      assert.ok(diags.length >= 1, 'diagnostics listed');
      const d = diags.find((x) => /targets/.test(x.path) && /response/.test(x.path));
      assert.ok(d?.code && d.message, `a diagnostic at targets[0].response: ${JSON.stringify(diags)}`);
      assert.equal(await page.locator('#sla-lens-save').isEnabled(), false, 'Save is disabled');
      assert.match((await page.textContent('#sla-lens-status')) ?? '', /error/);
      await page.screenshot({ path: join(SHOTS, 'rt-settings-invalid.png'), fullPage: true });
      // The settings form, diagnostics listed, for keyboard and screen-reader users (RT's own
      // page around it is not ours to judge).
      assertAccessible(t, await audit(page, { include: ['#sla-lens-settings'] }), 'RT settings with diagnostics');
      await page.evaluate(() =>
        /** @type {HTMLFormElement} */ (document.getElementById('sla-lens-settings')).requestSubmit(),
      );
      await page.goto(`${proxy.url}${SETTINGS}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
      await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) >= 1, null, {
        timeout: 60_000,
      });
      assert.equal(await page.inputValue('#sla-lens-policy'), '', 'the invalid policy was not saved');

      // A valid policy that changes the badges: every response target 1h.
      const fast = structuredClone(policy);
      fast.name = 'Witness policy, every response within 1h';
      for (const t of fast.targets) t.response = '1h';
      const fastText = JSON.stringify(fast, null, 2);
      const fastFile = join(profile, 'fast-policy.json');
      writeFileSync(fastFile, fastText);
      await typePolicy(fastText);
      assert.equal(await page.locator('#sla-lens-policy-diagnostics li.error').count(), 0);
      assert.equal(await page.locator('#sla-lens-save').isEnabled(), true);
      await Promise.all([page.waitForNavigation(), page.click('#sla-lens-save')]);
      // RT shows its action results in the page (ListActions).
      assert.match(await page.content(), /Saved: every page gets these settings now/);
      await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) >= 1, null, {
        timeout: 60_000,
      });
      assert.equal(JSON.parse(await page.inputValue('#sla-lens-policy')).name, fast.name, 'saved as typed');
      await page.screenshot({ path: join(SHOTS, 'rt-settings-saved.png'), fullPage: true });

      // RT's CSRF check: a POST without RT's referrer (as from another site) changes nothing.
      const forged = await page.evaluate(async (url) => {
        const body = new URLSearchParams({ Save: '1', Policy: '', Site: '' });
        const r = await fetch(url, { method: 'POST', body, referrerPolicy: 'no-referrer', credentials: 'include' });
        return { status: r.status, text: await r.text() };
      }, `${proxy.url}${SETTINGS}`);
      assert.match(forged.text, /cross-site request forgery/i, 'RT intercepts the forged POST');
      await page.goto(`${proxy.url}${SETTINGS}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
      assert.equal(JSON.parse(await page.inputValue('#sla-lens-policy')).name, fast.name, 'still saved');
      await admin.close();

      // alice's badges follow the saved policy (not the configured file's any more).
      const search = await open(SEARCH);
      const { now, list } = await badges(search);
      assert.equal(list.length, Object.keys(ID).length);
      assertLikeCli(list, now, fastFile);
      const before = cli(now);
      const changed = list.filter(
        (b) =>
          JSON.stringify(want(before.get(b.id), now)) !==
          JSON.stringify({ state: b.state, text: b.text, escalation: b.escalation, deadline: b.deadline }),
      );
      assert.ok(changed.length >= 1, "some badge differs from the configured policy's");
      await search.screenshot({ path: join(SHOTS, 'rt-search-saved-policy.png'), fullPage: true });
      await search.close();
    } finally {
      await browser.close();
    }
  });
});
