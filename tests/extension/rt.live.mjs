// The browser extension with Request Tracker as a tracker kind (issue #17 item 2), end to end on a
// real Request Tracker 5 (scripts/rt/: installed, seeded, started by scripts/test-extension-rt.sh)
// in headless Chromium with the unpacked test build loaded (--load-extension, headless=new). The
// RT site and the policy are set through the options page as a user would; signed in to RT as the
// staff user `alice` through RT's own form, the content script reads REST 2 with RT's session
// cookie (no token, no Authorization header), and every badge on a ticket page and on a search
// page (state, text, escalation) is the one `sla-lens eval --tracker rt` computes from the same
// REST answers under the same policy at the same instant. A ticket RT fails to answer (a 500)
// gets a grey badge; the page stays intact. Screenshots: target/screenshots/ext-rt-*.png.
//
//   make test-extension-rt
//
// Fails unless RT_URL (RT itself) and RT_LIVE (its REST answers, scripts/rt/rt.sh record) are
// set. A proxy on RT's public address (RT_PUBLIC_PORT, 3099: RT's $WebBaseURL) forwards to RT_URL
// and makes answers fail on demand. Named *.live.mjs so `node --test tests/extension/` (make
// test-extension) does not pick it up.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, eventually } from './harness.mjs';
import { startProxy } from '../e2e/redmine-proxy.mjs';
import { badgeView } from '../../www/badge-view.js';
import { liveRt, signInToRt } from '../support/rt.mjs';

const { RT, LIVE, PUBLIC_PORT, CLI, POLICY, SHOTS } = liveRt('test-extension-rt');
const SEED = JSON.parse(readFileSync(join(LIVE, 'seed.json'), 'utf8'));
const ID = SEED.tickets;
const TAG = new Map(Object.entries(ID).map(([tag, id]) => [String(id), tag]));
// The seed's instant: the worker's test clock is frozen there, and the CLI evaluates at it.
const NOW_MS = Date.parse(SEED.now);
const SEARCH = `/Search/Results.html?Query=${encodeURIComponent('id > 0')}&OrderBy=id&Order=ASC&RowsPerPage=50`;

let b;
let proxy;
/** Every REST 2 request's headers, as RT's proxy saw them. */
const restHeaders = [];

/** `sla-lens eval --tracker rt` over the recorded REST answers, at NOW_MS, by ticket id. */
function cli() {
  const files = ['ticket', 'history', 'attachments', 'queue', 'user', 'group'].flatMap((d) =>
    readdirSync(join(LIVE, d)).map((f) => join(d, f)),
  );
  const out = JSON.parse(
    execFileSync(CLI, ['eval', '--tracker', 'rt', '--policy', POLICY, '--now', SEED.now, ...files], {
      cwd: LIVE,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  return new Map(out.results.map((r) => [String(r.id), r]));
}

/** An RT page with the extension's badges, once the content script says they are painted. */
async function open(path) {
  const page = await b.context.newPage();
  await page.goto(`${proxy.url}${path}`);
  await page.waitForSelector('html[data-sla-lens-badges]', { timeout: 60_000 });
  return page;
}

/** The badges the page-world badge script shows. */
const badges = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('sla-badge[data-sla-lens]')].map((el) => ({
      id: el.getAttribute('ticket-id'),
      state: el.getAttribute('state'),
      text: el.shadowRoot?.querySelector('.text')?.textContent ?? null,
      escalation: el.shadowRoot?.querySelector('.esc:not([hidden])')?.textContent ?? null,
      row: el.closest('tbody.list-item')?.getAttribute('data-record-id') ?? null,
      heading: !!el.closest('#header h1'),
    })),
  );

/** Each badge is the CLI's evaluation at NOW_MS. */
function assertLikeCli(list, results) {
  assert.ok(list.length > 0, 'badges');
  for (const x of list) {
    const r = results.get(x.id);
    assert.ok(r?.evaluation, `the CLI evaluated ${TAG.get(x.id)}: ${JSON.stringify(r)}`);
    const v = badgeView(r, NOW_MS, {});
    assert.deepEqual(
      { state: x.state, text: x.text, escalation: x.escalation },
      { state: r.evaluation.state, text: v.text, escalation: v.escalation },
      TAG.get(x.id),
    );
  }
}

describe('the browser extension on a real Request Tracker', { timeout: 300_000 }, () => {
  before(async () => {
    proxy = await startProxy({ upstream: RT, port: PUBLIC_PORT });
    mkdirSync(SHOTS, { recursive: true });
    b = await launch({ viewport: { width: 1360, height: 1400 } });
    await b.worker((t) => self.slaLens.setNow(t), NOW_MS);
  });

  after(async () => {
    try {
      assert.deepEqual(b?.dialogs ?? [], [], 'no script from data ever ran');
      assert.deepEqual(b?.errors ?? [], [], 'no page errors');
    } finally {
      await b?.close();
      await proxy?.close();
    }
  });

  it('the options page takes the RT site (engine-checked: a bad `rt` rule is refused) and the policy', async () => {
    const p = await b.context.newPage();
    await p.goto(b.url('options.html'));
    await p.waitForSelector('body[data-ready="true"]');
    const policy = readFileSync(POLICY, 'utf8');
    await p.locator('#policy-text').fill(policy);
    await p.getByRole('button', { name: 'Apply policy' }).click();
    const stored = await eventually(
      () => b.worker(() => self.slaLens.readConfig().then((c) => c.config.policy.text)),
      (t) => t === policy,
    );
    assert.equal(stored, policy, 'the policy is applied');
    await p.getByRole('button', { name: 'Add a site' }).click();
    await p.locator('#site-origin').fill(proxy.url);
    await p.locator('#site-tracker').selectOption('rt');
    // RT's fields in place of the generic ones; no token field.
    assert.equal(await p.locator('#site-token').isVisible(), false, 'no token for RT');
    assert.equal(await p.locator('#site-rt-staff').isVisible(), true);
    // A priority source RT does not have: the engine refuses the site, with its path.
    await p.locator('#site-rt-priority').fill('urgency');
    await p.getByRole('button', { name: 'Save and grant access' }).click();
    await p.locator('#site-problems .diag.error').first().waitFor();
    assert.match(await p.locator('#site-problems').innerText(), /rt\.priority/);
    await p.locator('#site-form').screenshot({ path: join(SHOTS, 'ext-rt-site-form.png') });
    assert.deepEqual(await b.worker(() => self.slaLens.readConfig().then((c) => c.config.sites)), []);
    await p.locator('#site-rt-priority').fill('sla, priorityName');
    await p.getByRole('button', { name: 'Save and grant access' }).click();
    await p.locator(`tr[data-origin="${proxy.url}"] .access.ok`).waitFor();
    const sites = await b.worker(() => self.slaLens.readConfig().then((c) => c.config.sites));
    assert.equal(sites.length, 1);
    assert.equal(sites[0].tracker, 'rt');
    assert.equal(sites[0].token, '');
    assert.deepEqual(sites[0].site, { rt: { priority: ['sla', 'priorityName'] } });
    // Access to RT's origin, granted at runtime (the test build's manifest has no port-specific
    // host, and never every site).
    const origin = `${proxy.url}/*`;
    const access = await b.worker(
      (o) =>
        Promise.all([
          chrome.permissions.contains({ origins: [o] }),
          chrome.permissions.contains({ origins: ['http://*/*'] }),
          chrome.runtime.getManifest().host_permissions ?? [],
        ]),
      origin,
    );
    assert.deepEqual(access.slice(0, 2), [true, false]);
    assert.ok(!access[2].includes(origin), 'not a manifest grant');
    assert.match(await p.locator(`tr[data-origin="${proxy.url}"]`).innerText(), /priority ← sla, priorityName/);
    await p.screenshot({ path: join(SHOTS, 'ext-rt-options.png'), fullPage: true });
    await p.close();
  });

  it("signs in with RT's own form; the login page gets no badge", async () => {
    const page = await b.context.newPage();
    await page.goto(`${proxy.url}/`);
    await page.waitForSelector('input[name="user"]');
    // The content script runs here too (RT's origin) and finds no ticket: nothing is placed.
    await page.waitForSelector('html[data-sla-lens-main]', { timeout: 10_000 });
    assert.equal(await page.locator('sla-badge').count(), 0);
    await signInToRt(page, proxy.url, 'alice', 'alice-pw-1');
    await page.close();
  });

  it("the search results page: a badge in every ticket's row, each the CLI's, read with RT's session", async () => {
    restHeaders.length = 0;
    proxy.fault = (req) => {
      if (req.url.startsWith('/REST/2.0/')) restHeaders.push(req.headers);
      return null;
    };
    const page = await open(SEARCH);
    const list = await eventually(
      () => badges(page),
      (l) => l.length === Object.keys(ID).length && l.every((x) => x.state && x.text),
    );
    assert.equal(list.length, Object.keys(ID).length, 'one badge per ticket');
    for (const x of list) assert.equal(x.row, x.id, `${TAG.get(x.id)}'s badge is in its own row`);
    assertLikeCli(list, cli());
    const states = new Set(list.map((x) => x.state));
    assert.ok(states.has('notApplicable') && states.size >= 3, `states: ${[...states]}`);
    // Same origin, the session cookie, no token of any kind.
    assert.ok(restHeaders.length >= Object.keys(ID).length, `${restHeaders.length} REST calls`);
    for (const h of restHeaders) {
      assert.equal(h.authorization, undefined);
      assert.match(h.cookie ?? '', /RT_SID_/);
    }
    await page.screenshot({ path: join(SHOTS, 'ext-rt-search.png'), fullPage: true });
    await page.close();
  });

  it('the ticket display page: one badge in its heading, the CLI’s', async () => {
    const results = cli();
    const seen = new Set();
    for (const tag of ['R02', 'R03', 'R05']) {
      const page = await open(`/Ticket/Display.html?id=${ID[tag]}`);
      const list = await eventually(
        () => badges(page),
        (l) => l.some((x) => x.heading && x.state),
      );
      const heading = list.filter((x) => x.heading);
      assert.equal(heading.length, 1, `${tag}: one badge in the heading`);
      assert.equal(heading[0].id, String(ID[tag]));
      assertLikeCli(
        list.filter((x) => x.state),
        results,
      );
      seen.add(heading[0].state);
      if (tag === 'R03') await page.screenshot({ path: join(SHOTS, 'ext-rt-ticket.png') });
      await page.close();
    }
    assert.ok(seen.size >= 2, `more than one state: ${[...seen]}`);
  });

  it("the notification check: the worker lists RT's active tickets with the browser's RT session and reads them", async () => {
    const p = await b.context.newPage();
    await p.goto(b.url('options.html'));
    await p.waitForSelector('body[data-ready="true"]');
    await p.getByText("Desktop notifications for the configured trackers' open issues").click();
    await eventually(
      () => b.worker(() => self.slaLens.readConfig().then((c) => c.config.notifications.enabled)),
      (on) => on === true,
    );
    await p.close();
    const out = await b.worker(() => self.slaLens.check());
    assert.deepEqual(out.errors, {}, JSON.stringify(out.errors));
    // RT's active tickets (`__Active__`: new, open, stalled), from the recorded search of all.
    const all = JSON.parse(readFileSync(join(LIVE, 'tickets.json'), 'utf8')).items;
    const active = all.filter((t) => ['new', 'open', 'stalled'].includes(t.Status));
    assert.ok(active.length >= 5 && active.length < all.length, `${active.length} of ${all.length} active`);
    assert.equal(out.checked, active.length, 'every active ticket read and evaluated');
  });

  it('a ticket RT fails to answer gets a grey badge; the others and the page are intact', async (t) => {
    t.after(() => {
      proxy.fault = null;
    });
    const bad = String(ID.R01);
    proxy.fault = (req) =>
      new URL(req.url, 'http://x').pathname === `/REST/2.0/ticket/${bad}` ? { status: 500 } : null;
    const page = await open(SEARCH);
    const list = await eventually(
      () => badges(page),
      (l) => l.length === Object.keys(ID).length && l.every((x) => x.state),
    );
    const grey = list.find((x) => x.id === bad);
    assert.equal(grey?.state, 'unavailable', JSON.stringify(grey));
    assert.equal(grey.text, 'SLA unavailable');
    assertLikeCli(
      list.filter((x) => x.id !== bad),
      cli(),
    );
    assert.equal(
      await page.locator('tbody.list-item[data-record-id]').count(),
      Object.keys(ID).length,
      'every row still there',
    );
    await page.close();
  });
});
