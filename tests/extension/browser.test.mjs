// The extension in headless Chromium (the unpacked test build) against a real Redmine 5
// (scripts/redmine.sh on 127.0.0.1:3089, seeded), a CSP proxy in front of it, and a Redmine-shaped
// server with hostile strings. The site is configured through the options page with clicks and
// typing; badge states are checked against the native CLI on the same REST data.
//   make test-extension
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync, existsSync, readdirSync, rmdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, extensionId, eventually, ROOT } from './harness.mjs';
import * as redmine from './redmine.mjs';
import { fakeRedmine } from './fake-redmine.mjs';
import { badgeView } from '../../www/badge-view.js';
import { assertAccessible, audit } from '../support/axe.mjs';

const NOW_MS = Date.parse(redmine.NOW);
const SHOTS = join(ROOT, 'target/screenshots');
const XSS = '<img src=x onerror=alert(1)>';
mkdirSync(SHOTS, { recursive: true });

let b; // the browser with the extension
let tags; // tag → issue id
let cli; // id → the CLI's result
let proxy;
let fake;

async function options() {
  const p = await b.context.newPage();
  await p.goto(b.url('options.html'));
  await p.waitForSelector('body[data-ready="true"]');
  return p;
}

/** Adds a site through the options form, as a user would. */
async function addSite(origin, tracker = 'redmine', { token = '' } = {}) {
  const p = await options();
  await p.getByRole('button', { name: 'Add a site' }).click();
  await p.locator('#site-origin').click();
  await p.keyboard.type(origin);
  await p.locator('#site-tracker').selectOption(tracker);
  if (token) {
    await p.locator('#site-token').click();
    await p.keyboard.type(token);
  }
  await p.getByRole('button', { name: 'Save and grant access' }).click();
  await p.locator(`tr[data-origin="${origin}"] .access.ok`).waitFor();
  await p.close();
}

/** Removes a site through the options page. */
async function removeSite(origin) {
  const o = await options();
  await o.locator(`tr[data-origin="${origin}"]`).getByRole('button', { name: 'Remove' }).click();
  await o.locator(`tr[data-origin="${origin}"]`).waitFor({ state: 'detached' });
  await o.close();
}

async function badges(page) {
  await page.waitForSelector('html[data-sla-lens-badges]', { timeout: 20_000 });
  return page.evaluate(() =>
    [...document.querySelectorAll('sla-badge')].map((el) => ({
      id: el.getAttribute('ticket-id'),
      state: el.getAttribute('state'),
      text: el.shadowRoot?.querySelector('.text')?.textContent ?? null,
      esc: el.shadowRoot?.querySelector('.esc:not([hidden])')?.textContent ?? null,
      label: el.shadowRoot?.querySelector('.badge')?.getAttribute('aria-label') ?? null,
      row: el.closest('tr')?.id ?? null,
    })),
  );
}

function expectLikeCli(list, what) {
  assert.ok(list.length > 0, `${what}: badges`);
  for (const x of list) {
    const r = cli[x.id];
    assert.ok(r, `${what}: the CLI knows #${x.id}`);
    const v = badgeView(r, NOW_MS, {});
    assert.equal(x.state, r.evaluation.state, `${what} #${x.id} state`);
    assert.equal(x.text, v.text, `${what} #${x.id} text`);
    assert.equal(x.esc, v.escalation, `${what} #${x.id} escalation`);
  }
}

async function openTracker(url) {
  const p = await b.context.newPage();
  await p.goto(url);
  return p;
}

before(async () => {
  tags = await redmine.start();
  cli = await redmine.cliResults(Object.values(tags));
  b = await launch();
  await b.worker((t) => self.slaLens.setNow(t), NOW_MS);
});

after(async () => {
  try {
    assert.deepEqual(b?.dialogs ?? [], [], 'no script from data ever ran');
    assert.deepEqual(b?.errors ?? [], [], 'no page errors');
  } finally {
    await b?.close();
    await proxy?.close();
    await fake?.close();
    await redmine.stop();
  }
});

describe('real Redmine', () => {
  it('the seeded issues have the states the fixtures document (sanity check of the CLI side)', () => {
    const want = {
      'S01 on-track': 'running',
      'S02 at-risk': 'atRisk',
      'S03 breached': 'breached',
      'S04 escalated-2': 'breached',
      'S05 met': 'met',
      'S06 met-late': 'metLate',
      'S07 out-of-scope': 'notApplicable',
      'S08 excluded': 'notApplicable',
      'S09 critical-running': 'running',
      'S10 reopened': 'running',
      'S11 paused': 'met',
      'S12 requester-group': 'running',
    };
    for (const [tag, state] of Object.entries(want)) assert.equal(cli[tags[tag]].evaluation.state, state, tag);
  });

  it('configures the site through the options page; content scripts are registered for it only', async () => {
    await addSite(redmine.BASE);
    const regs = await b.worker(() => chrome.scripting.getRegisteredContentScripts());
    assert.deepEqual(regs.map((r) => r.matches[0]).sort(), [`${redmine.BASE}/*`, `${redmine.BASE}/*`]);
    assert.deepEqual(regs.map((r) => r.world).sort(), ['ISOLATED', 'MAIN']);
  });

  it('the issue list: one badge per issue, each as the native CLI says', async (t) => {
    const p = await openTracker(`${redmine.BASE}/issues?set_filter=1&status_id=*&sort=id&per_page=25`);
    const list = await badges(p);
    const rows = await p.locator('table.issues tr.issue').count();
    assert.equal(rows, 12);
    assert.equal(list.length, 12, 'exactly one badge per row');
    assert.deepEqual(
      list.map((x) => x.row),
      list.map((x) => `issue-${x.id}`),
    );
    expectLikeCli(list, 'list');
    assert.equal(list.find((x) => x.id === tags['S04 escalated-2']).esc, 'L2');
    // The tooltip's sentences come from the worker when it opens.
    await p.mouse.move(5, 5);
    const s03 = p.locator(`tr#issue-${tags['S03 breached']} sla-badge`);
    await s03.locator('.badge').hover();
    await p.waitForFunction(
      (id) => document.querySelector(`tr#issue-${id} sla-badge`).shadowRoot.querySelectorAll('.tip li').length > 0,
      tags['S03 breached'],
    );
    const tip = await s03.locator('.tip').innerText();
    assert.match(tip, /response breached: 24h target used up/);
    assert.match(tip, /Policy: IT ↔ Marketing internal SLA/);
    await p.mouse.move(5, 5);
    await p.screenshot({ path: join(SHOTS, 'extension-redmine-list.png') });
    await s03.locator('.badge').hover();
    await p.screenshot({ path: join(SHOTS, 'extension-redmine-tooltip.png') });
    // The toolbar badge counts the breached issues on the tab.
    const tabId = await b.worker((url) => chrome.tabs.query({ url }).then((t) => t[0].id), `${redmine.BASE}/issues*`);
    const text = await b.worker((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    assert.equal(text, String(Object.values(cli).filter((r) => r.evaluation.state === 'breached').length));
    // The popup for that tab.
    const pop = await b.context.newPage();
    await pop.setViewportSize({ width: 320, height: 400 });
    await pop.goto(b.url(`popup.html?tab=${tabId}`));
    await pop.waitForSelector('body[data-ready="true"]');
    const found = await pop.locator('#found').innerText();
    assert.equal(found, '12 issues on this page');
    assert.match(await pop.locator('#counts').innerText(), /2 breached/);
    const running = Object.values(cli).filter((r) => ['running', 'atRisk'].includes(r.evaluation.state));
    const nearest = running.sort(
      (x, y) => Date.parse(x.evaluation.response.deadline) - Date.parse(y.evaluation.response.deadline),
    )[0];
    assert.match(
      await pop.locator('#nearest').innerText(),
      new RegExp(`^Nearest deadline: #${nearest.id}, in ${badgeView(nearest, NOW_MS).text.replace(' left', '')} `),
    );
    assert.equal(await pop.locator('#review').innerText(), 'SLA review due on 2026-12-01');
    assert.equal(await pop.locator('#policy').innerText(), 'IT ↔ Marketing internal SLA');
    await pop.locator('body').screenshot({ path: join(SHOTS, 'extension-popup.png') });
    assertAccessible(t, await audit(pop), 'the popup');
    await pop.close();
    await p.close();
  });

  it('an issue page, a filter change, navigation and reload: badges right and never duplicated', async () => {
    const id = tags['S04 escalated-2'];
    const p = await openTracker(`${redmine.BASE}/issues/${id}`);
    let list = await badges(p);
    assert.deepEqual(
      list.map((x) => x.id),
      [id],
    );
    expectLikeCli(list, 'issue page');
    await p.locator('sla-badge .badge').focus();
    await p.waitForFunction(
      () => document.querySelector('sla-badge').shadowRoot.querySelectorAll('.tip li').length > 0,
    );
    await p.screenshot({ path: join(SHOTS, 'extension-redmine-issue.png') });

    // The list, then a filter change through Redmine's own form: open issues only.
    await p.goto(`${redmine.BASE}/issues?set_filter=1&status_id=*&sort=id`);
    await badges(p);
    await p.locator('#operators_status_id').selectOption('o');
    await Promise.all([p.waitForNavigation(), p.locator('#query_form a.icon-checked', { hasText: 'Apply' }).click()]);
    list = await badges(p);
    const rows = await p.locator('table.issues tr.issue').evaluateAll((trs) => trs.map((tr) => tr.id.slice(6)));
    assert.ok(rows.length < 12 && rows.length > 0, `filtered rows: ${rows.length}`);
    assert.deepEqual(list.map((x) => x.id).sort(), rows.sort());
    expectLikeCli(list, 'filtered list');

    // A row added without a page load (as an XHR update would): re-annotated, one badge.
    const met = tags['S05 met'];
    assert.ok(!rows.includes(met), 'the closed issue is not in the open filter');
    await p.evaluate(
      ({ from, to }) => {
        const tr = document.getElementById(`issue-${from}`).cloneNode(true);
        tr.id = `issue-${to}`;
        document.querySelector('table.issues tbody').append(tr);
      },
      { from: rows[0], to: met },
    );
    await p.waitForFunction(
      (id) => document.querySelector(`tr#issue-${id} sla-badge`)?.getAttribute('state') === 'met',
      met,
      { timeout: 15_000 },
    );
    assert.equal(await p.locator(`tr#issue-${met} sla-badge`).count(), 1);
    assert.equal(await p.locator(`tr#issue-${rows[0]} sla-badge`).count(), 1);

    // Navigate to an issue by its link, back, and reload.
    const first = rows[0];
    await Promise.all([p.waitForNavigation(), p.locator(`tr#issue-${first} td.subject a`).click()]);
    list = await badges(p);
    assert.deepEqual(
      list.map((x) => x.id),
      [first],
    );
    await p.goBack();
    list = await badges(p);
    assert.equal(list.length, rows.length);
    await p.reload();
    list = await badges(p);
    assert.equal(list.length, rows.length, 'no duplicates after reload');
    expectLikeCli(list, 'reloaded list');
    await p.close();
  });

  it('behind a proxy with a strict CSP (no wasm-unsafe-eval) badges still appear', async () => {
    proxy = await redmine.cspProxy();
    await addSite(proxy.origin);
    const p = await openTracker(`${proxy.origin}/issues?set_filter=1&status_id=*&sort=id`);
    const res = await p.request.get(`${proxy.origin}/issues`);
    assert.doesNotMatch(res.headers()['content-security-policy'], /wasm-unsafe-eval/);
    // The page itself may not compile Wasm...
    const pageWasm = await p.evaluate(() =>
      WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
        () => 'compiled',
        (e) => e.name,
      ),
    );
    assert.equal(pageWasm, 'CompileError');
    // ...and the badges are there anyway: the worker evaluated.
    const list = await badges(p);
    assert.equal(list.length, 12);
    expectLikeCli(list, 'CSP proxy');
    await p.close();
    // Remove the proxy's site again (it is the same Redmine under a second origin).
    await removeSite(proxy.origin);
  });

  it("follows the tracker's clock when this computer's is hours behind, and the tooltip says so", async () => {
    // Redmine's answers come through a proxy whose Date header is 3 hours ahead of this
    // computer's clock; the worker's test clock is off, so the real clocks are compared.
    const ahead = await redmine.cspProxy(undefined, { dateOffsetMs: 3 * 3600_000 });
    await addSite(ahead.origin);
    await b.worker((t) => self.slaLens.setNow(t), null);
    try {
      const p = await openTracker(`${ahead.origin}/issues?set_filter=1&status_id=*&sort=id`);
      assert.equal((await badges(p)).length, 12);
      const id = tags['S03 breached'];
      await p.mouse.move(5, 5);
      await p.locator(`tr#issue-${id} sla-badge .badge`).hover();
      await p.waitForFunction(
        (i) => document.querySelector(`tr#issue-${i} sla-badge`).shadowRoot.querySelectorAll('.tip li').length > 0,
        id,
      );
      const tip = await p.locator(`tr#issue-${id} sla-badge .tip`).innerText();
      assert.match(tip, /Your computer's clock is 3h behind Redmine's; times here follow Redmine's clock/);
      await p.screenshot({ path: join(SHOTS, 'extension-redmine-skew.png') });
      await p.close();
    } finally {
      await b.worker((t) => self.slaLens.setNow(t), NOW_MS);
      await removeSite(ahead.origin);
      await ahead.close();
    }
  });
});

describe('live updates and tokens', () => {
  it('badges update on their own when a deadline passes (the minute timer / nextChange)', async () => {
    const s09 = tags['S09 critical-running']; // critical: response due 15:00
    await b.worker((t) => self.slaLens.setNow(t, false), Date.parse('2026-11-27T14:59:52Z'));
    try {
      const p = await openTracker(`${redmine.BASE}/issues?set_filter=1&status_id=*&sort=id`);
      await badges(p);
      assert.equal(await p.locator(`tr#issue-${s09} sla-badge`).getAttribute('state'), 'atRisk');
      await p.waitForFunction(
        (id) => document.querySelector(`tr#issue-${id} sla-badge`)?.getAttribute('state') === 'breached',
        s09,
        { timeout: 30_000 },
      );
      assert.match(await p.locator(`tr#issue-${s09} sla-badge .text`).innerText(), /^breached (just now|<1m ago)$/);
      const tabId = await b.worker((url) => chrome.tabs.query({ url }).then((t) => t[0].id), `${redmine.BASE}/issues*`);
      const count = await eventually(
        () => b.worker((id) => chrome.action.getBadgeText({ tabId: id }), tabId),
        (t) => t === '3',
      );
      assert.equal(count, '3', 'the toolbar count follows');
      await p.close();
    } finally {
      await b.worker((t) => self.slaLens.setNow(t), NOW_MS);
    }
  });

  it('a site with an API token: the worker fetches with it, and no page request carries it', async () => {
    const key = redmine.apiKey();
    assert.ok(key, 'the seed wrote the admin API key');
    const o = await options();
    await o.locator(`tr[data-origin="${redmine.BASE}"]`).getByRole('button', { name: 'Edit' }).click();
    await o.locator('#site-token').click();
    await o.keyboard.type(key);
    await o.getByRole('button', { name: 'Save and grant access' }).click();
    await o.locator(`tr[data-origin="${redmine.BASE}"] .tag`, { hasText: 'token' }).waitFor();
    const p = await b.context.newPage();
    const carried = [];
    p.on('request', (r) => {
      if (Object.keys(r.headers()).some((h) => h.toLowerCase() === 'x-redmine-api-key')) carried.push(r.url());
    });
    await p.goto(`${redmine.BASE}/issues?set_filter=1&status_id=*&sort=id`);
    const list = await badges(p);
    assert.equal(list.length, 12);
    expectLikeCli(list, 'token');
    assert.deepEqual(carried, []);
    assert.ok(!(await p.content()).includes(key));
    await p.close();
    // The export leaves the token out unless asked.
    const [download] = await Promise.all([
      o.waitForEvent('download'),
      o.getByRole('button', { name: 'Export configuration' }).click(),
    ]);
    const exported = readFileSync(await download.path(), 'utf8');
    assert.ok(!exported.includes(key));
    assert.equal(JSON.parse(exported).config.sites[0].origin, redmine.BASE);
    // Remove the token again.
    await o.locator(`tr[data-origin="${redmine.BASE}"]`).getByRole('button', { name: 'Edit' }).click();
    await o.locator('#site-token').fill('');
    await o.getByRole('button', { name: 'Save and grant access' }).click();
    await o.waitForFunction(
      (origin) => !document.querySelector(`tr[data-origin="${origin}"]`)?.textContent.includes('token'),
      redmine.BASE,
    );
    // Import: a file with one more site; the existing one is kept.
    const file = join(SHOTS, '..', 'sla-lens-import-test.json');
    const cfg = JSON.parse(exported);
    cfg.config.sites.push({
      origin: 'https://gitlab.example.com',
      tracker: 'gitlab',
      site: {},
      pauseStatuses: [],
      token: '',
      enabled: true,
    });
    writeFileSync(file, JSON.stringify(cfg));
    await o.locator('#import-file').setInputFiles(file);
    await o.locator('tr[data-origin="https://gitlab.example.com"]').waitFor();
    assert.match(
      await o.locator('#io-out').innerText(),
      /Imported 2 sites; grant access to https:\/\/gitlab.example.com/,
    );
    await o.locator('tr[data-origin="https://gitlab.example.com"]').getByRole('button', { name: 'Remove' }).click();
    await o.locator('tr[data-origin="https://gitlab.example.com"]').waitFor({ state: 'detached' });
    rmSync(file, { force: true });
    await o.close();
  });
});

describe('options page', () => {
  it('a re-render does not show a setting from before a save still waiting (a box just ticked stays ticked)', async () => {
    const stored = () => b.worker(() => self.slaLens.readConfig().then((c) => c.user.notifications));
    const before = await stored();
    const p = await options();
    // The page's messages to the worker, slowed down so the order is certain: the re-render's
    // read takes 1 s, and the second save 600 ms.
    await p.evaluate(() => {
      const send = chrome.runtime.sendMessage.bind(chrome.runtime);
      window.answered = [];
      chrome.runtime.sendMessage = async (msg) => {
        if (msg.type === 'state' && window.slowState) await new Promise((r) => setTimeout(r, 1000));
        if (msg.type === 'saveConfig' && window.slowSave) await new Promise((r) => setTimeout(r, 600));
        const r = await send(msg);
        window.answered.push(msg.type);
        return r;
      };
      window.slowState = true;
      document.getElementById('n-atrisk').click(); // saved, then the page reads the settings again…
    });
    await p.waitForFunction(() => window.answered.includes('saveConfig'));
    await p.evaluate(() => {
      window.slowSave = true;
      document.getElementById('n-breached').click(); // …and this is ticked while that read is out
    });
    await p.waitForFunction(() => window.answered.includes('state'));
    assert.equal(await p.locator('#n-breached').isChecked(), !before.breached, 'the box just changed keeps its state');
    assert.equal(await p.locator('#n-atrisk').isChecked(), !before.atRisk);
    const both = await eventually(stored, (n) => n.breached !== before.breached && n.atRisk !== before.atRisk);
    assert.deepEqual([both.atRisk, both.breached], [!before.atRisk, !before.breached]);
    await p.waitForFunction(() => window.answered.filter((t) => t === 'state').length >= 2);
    assert.equal(await p.locator('#n-breached').isChecked(), !before.breached, 'and after its own save');
    // Back as it was.
    await p.evaluate(() => {
      window.slowState = window.slowSave = false;
      document.getElementById('n-atrisk').click();
      document.getElementById('n-breached').click();
    });
    assert.deepEqual(
      await eventually(stored, (n) => n.atRisk === before.atRisk && n.breached === before.breached),
      before,
    );
    await p.close();
  });

  it('saving one setting re-renders the page without undoing what the user is typing in another', async () => {
    const stored = () => b.worker(() => self.slaLens.readConfig().then((c) => c.user.notifications));
    const before = await stored();
    const p = await options();
    // The user is in "Quiet until" and has typed 17:30, not yet committed (no change event).
    await p.locator('#n-quiet-end').focus();
    await p.evaluate(() => {
      document.getElementById('n-quiet-end').value = '17:30';
    });
    // Another setting's save lands meanwhile (a click from script keeps the focus where it is),
    // and the page re-renders from the stored settings; the toast comes after that render.
    await p.evaluate(() => document.getElementById('n-atrisk').click());
    await p.locator('#toast', { hasText: 'Saved' }).waitFor();
    assert.equal((await stored()).atRisk, !before.atRisk);
    assert.equal(await p.evaluate(() => document.activeElement.id), 'n-quiet-end');
    assert.equal(await p.locator('#n-quiet-end').inputValue(), '17:30', 'the field the user is in keeps their value');
    assert.notEqual(await p.locator('#n-quiet-start').inputValue(), '', 'the other fields are rendered');
    // Their change, when it comes, saves what they typed.
    await p.locator('#n-quiet-end').dispatchEvent('change');
    const after = await eventually(stored, (n) => n.quietHours.end === '17:30');
    assert.equal(after.quietHours.end, '17:30');
    assert.equal(after.atRisk, !before.atRisk, 'and keeps the other save');
    // Back as it was, for the tests after this one.
    await p.locator('#n-quiet-end').fill(before.quietHours.end);
    await p.locator('#n-quiet-end').dispatchEvent('change');
    await p.evaluate(() => document.getElementById('n-atrisk').click());
    const back = await eventually(
      stored,
      (n) => n.quietHours.end === before.quietHours.end && n.atRisk === before.atRisk,
    );
    assert.deepEqual(back, before);
    await p.close();
  });

  it('a bad policy shows every diagnostic with its path and keeps the draft; a good one applies to the open tab without reload', async (t) => {
    const tab = await openTracker(`${redmine.BASE}/issues?set_filter=1&status_id=*&sort=id`);
    await badges(tab);
    await tab.evaluate(() => {
      window.__notReloaded = true;
    });
    const s03 = tags['S03 breached'];
    assert.equal((await badges(tab)).find((x) => x.id === s03).state, 'breached');

    const p = await options();
    const ta = p.locator('#policy-text');
    const text = await ta.inputValue();
    const bad = text
      .replace('"response": "24h"', '"response": "a day or so"')
      .replace('"priority": "critical", "response": "4h"', '"priority": "urgent", "response": "4h"');
    await ta.fill(bad);
    await p.waitForSelector('#policy-diags[data-valid="false"]');
    const rows = await p.locator('#policy-diags .diag .path').allInnerTexts();
    assert.deepEqual(
      rows.slice(1).sort(),
      ['priorities[0]', 'targets[0].priority', 'targets[1].response'],
      rows.join(' | '),
    );
    assert.match(await p.locator('#policy-diags').innerText(), /`a day or so` is not a duration/);
    assert.ok(await p.getByRole('button', { name: 'Apply policy' }).isDisabled());
    await p.screenshot({ path: join(SHOTS, 'extension-options-diagnostics.png'), fullPage: false });
    assertAccessible(t, await audit(p), 'the options page with diagnostics');
    // The draft survives closing the page.
    await p.reload();
    await p.waitForSelector('#policy-diags[data-valid="false"]');
    assert.equal(await p.locator('#policy-text').inputValue(), bad);

    // A good policy: 48h for normal issues. The open tab re-evaluates in place.
    await p
      .locator('#policy-text')
      .fill(
        text
          .replace('"response": "24h"', '"response": "48h"')
          .replace('"name": "IT ↔ Marketing internal SLA"', '"name": "IT ↔ Marketing SLA (48h)"'),
      );
    await p.waitForSelector('#policy-diags[data-valid="true"]');
    await p.getByRole('button', { name: 'Apply policy' }).click();
    await p.waitForSelector('#policy-status.ok');
    await tab.waitForFunction(
      (id) => document.querySelector(`tr#issue-${id} sla-badge`)?.getAttribute('state') === 'running',
      s03,
      { timeout: 10_000 },
    );
    assert.equal(await tab.evaluate(() => window.__notReloaded), true, 'the tab was not reloaded');
    // Back to the default for the other tests.
    await p.getByRole('button', { name: 'Start from the default' }).click();
    await p.waitForSelector('#policy-diags[data-valid="true"]');
    await p.getByRole('button', { name: 'Apply policy' }).click();
    await tab.waitForFunction(
      (id) => document.querySelector(`tr#issue-${id} sla-badge`)?.getAttribute('state') === 'breached',
      s03,
      { timeout: 10_000 },
    );
    await p.close();
    await tab.close();
  });

  it("the policy's escalation contacts and a tracker's strings render as text", async () => {
    fake = await fakeRedmine({ count: 12, payload: XSS });
    await addSite(fake.origin);
    const p = await options();
    const hostile = JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8'));
    hostile.escalation.levels[0].role = `<b>boss</b>${XSS}`;
    hostile.escalation.levels[0].contacts[0].name = `<script>alert(2)</script>`;
    // The tracker's category name carries a payload too; the policy names it so the tooltip shows it.
    hostile.categories[2].when[0].in.push(`${XSS}Backup`);
    await p.locator('#policy-text').fill(JSON.stringify(hostile, null, 2));
    await p.waitForSelector('#policy-diags[data-valid="true"]');
    await p.getByRole('button', { name: 'Apply policy' }).click();
    await p.waitForSelector('#policy-status.ok');
    await p.waitForFunction(() =>
      document.querySelector('#contacts-table tbody').textContent.includes('<script>alert(2)</script>'),
    );
    assert.equal(await p.locator('#contacts-table img, #contacts-table script, #contacts-table b').count(), 0);

    const tab = await openTracker(`${fake.origin}/issues`);
    const list = await badges(tab);
    assert.equal(list.length, 12);
    const s03 = tab.locator('tr#issue-3 sla-badge');
    await s03.locator('.badge').hover();
    await tab.waitForFunction(
      () => document.querySelector('tr#issue-3 sla-badge').shadowRoot.querySelectorAll('.tip li').length > 0,
    );
    const tip = await s03.locator('.tip').innerText();
    assert.ok(tip.includes(`category = ${XSS}Backup`), tip);
    assert.ok(tip.includes(`<b>boss</b>${XSS}`), tip);
    const injected = await tab.evaluate(() =>
      [...document.querySelectorAll('sla-badge')].reduce(
        (n, el) => n + el.shadowRoot.querySelectorAll('img, script, b').length,
        0,
      ),
    );
    assert.equal(injected, 0);
    await tab.screenshot({ path: join(SHOTS, 'extension-hostile-strings.png') });
    await tab.close();
    // Default policy again, and the hostile site removed.
    await p.getByRole('button', { name: 'Start from the default' }).click();
    await p.waitForSelector('#policy-diags[data-valid="true"]');
    await p.getByRole('button', { name: 'Apply policy' }).click();
    await p.waitForSelector('#policy-status.ok');
    await p.locator(`tr[data-origin="${fake.origin}"]`).getByRole('button', { name: 'Remove' }).click();
    await p.locator(`tr[data-origin="${fake.origin}"]`).waitFor({ state: 'detached' });
    await p.close();
  });

  it('keyboard only: the site form opens, takes typing, closes on Escape and gives the focus back; a setting toggles with Space', async () => {
    const sites = () => b.worker(() => self.slaLens.readConfig().then((c) => c.user.sites.length));
    const n = await sites();
    const stored = () => b.worker(() => self.slaLens.readConfig().then((c) => c.user.notifications.atRisk));
    const atRisk = await stored();
    const p = await options();
    const focused = () => p.evaluate(() => document.activeElement?.id ?? '');
    const tabTo = async (/** @type {string} */ id) => {
      for (let i = 0; i < 80; i++) {
        if ((await focused()) === id) return;
        await p.keyboard.press('Tab');
      }
      assert.fail(`#${id} is not reached with Tab`);
    };
    await tabTo('site-add');
    await p.keyboard.press('Enter');
    assert.equal(await p.locator('#site-form').isVisible(), true, 'Enter opens the form');
    assert.equal(await focused(), 'site-origin', 'the focus moves into it');
    await p.keyboard.type('https://tracker.example');
    await p.keyboard.press('Tab');
    assert.equal(await focused(), 'site-tracker');
    await p.keyboard.press('Escape');
    assert.equal(await p.locator('#site-form').isVisible(), false, 'Escape closes it');
    assert.equal(await focused(), 'site-add', 'the focus is back on the button that opened it');
    assert.equal(await sites(), n, 'nothing was added');
    // Cancel, reached with Tab and pressed with Enter, does the same.
    await p.keyboard.press('Enter');
    await tabTo('site-cancel');
    await p.keyboard.press('Enter');
    assert.equal(await p.locator('#site-form').isVisible(), false);
    assert.equal(await focused(), 'site-add');
    // A notification setting: Space toggles and saves it, Space again restores it.
    await tabTo('n-atrisk');
    await p.keyboard.press('Space');
    await eventually(stored, (v) => v === !atRisk);
    await p.keyboard.press('Space');
    assert.equal(await eventually(stored, (v) => v === atRisk), atRisk);
    await p.close();
  });

  it('"test on this URL" reports issues found and mapped', async (t) => {
    const p = await options();
    await p.locator(`tr[data-origin="${redmine.BASE}"]`).getByRole('button', { name: 'Edit' }).click();
    await p.locator('#site-test-url').fill(`${redmine.BASE}/issues?set_filter=1&status_id=*`);
    await p.getByRole('button', { name: 'Test', exact: true }).click();
    await p.waitForSelector('#site-test-out[data-found]');
    assert.equal(
      await p.locator('#site-test-out').innerText(),
      'Found 12 issues; 12 mapped and evaluated (2 breached, 1 at risk, 4 on track, 1 met late, 2 met, 2 out of scope).',
    );
    await p.screenshot({ path: join(SHOTS, 'extension-options.png'), fullPage: true });
    assertAccessible(t, await audit(p), 'the options page, a site open');
    await p.getByRole('button', { name: 'Cancel' }).click();
    await p.close();
  });
});

describe('escalation notifications', () => {
  it('a seeded issue crossing its response deadline notifies the level-1 contact once, not twice, and never in quiet hours', async () => {
    const p = await options();
    // Opt in, and say who I am: the policy's level-1 contact.
    await p.getByText("Desktop notifications for the configured trackers' open issues").click();
    await p.waitForFunction(() => document.getElementById('n-enabled').checked);
    await p.getByRole('checkbox', { name: 'IT manager is me' }).check();
    await p.waitForFunction(() => document.getElementById('me-handles').value === 'it-manager');
    // Quiet hours 14:00–16:00 (the browser runs in UTC).
    await p.locator('#n-quiet-start').fill('14:00');
    await p.locator('#n-quiet-start').dispatchEvent('change');
    await p.locator('#n-quiet-end').fill('16:00');
    await p.locator('#n-quiet-end').dispatchEvent('change');
    // Every setting made above is stored (switching on waits for the permission, so its save
    // may land after the others) before any check runs, and the page is closed so nothing on it
    // saves during the checks.
    const stored = await eventually(
      () => b.worker(() => self.slaLens.readConfig().then((c) => c.config)),
      (c) =>
        c.notifications.enabled &&
        c.me.handles.includes('it-manager') &&
        c.notifications.quietHours?.start === '14:00' &&
        c.notifications.quietHours?.end === '16:00',
    );
    const cfg = stored.notifications;
    assert.deepEqual(cfg.quietHours, { enabled: true, start: '14:00', end: '16:00' });
    assert.deepEqual(stored.me.handles, ['it-manager']);
    assert.equal(await b.worker(() => chrome.alarms.get('sla-lens-check').then((a) => a?.periodInMinutes)), 5);
    await p.close();

    // What the user was shown, from the worker's notification log. The scheduled check (the
    // alarm) may run between the test's own checks at the same test clock; either one's
    // notification counts, so the assertions are on the log, not on one call's result.
    const logOf = (id) =>
      b
        .worker(() => chrome.storage.local.get('notifyLog').then((x) => x.notifyLog ?? []))
        .then((log) => log.filter((n) => n.issueId === id));
    const check = async (iso) => {
      await b.worker((t) => self.slaLens.setNow(t), Date.parse(iso));
      return b.worker(() => self.slaLens.check());
    };
    const s09 = tags['S09 critical-running']; // critical, response due 15:00 on the 27th
    const s01 = tags['S01 on-track']; // normal, response due 10:00 on the 28th
    let r = await check('2026-11-27T12:00:00Z');
    assert.deepEqual(r.shown, [], 'the first check records, it does not flood');
    assert.ok(r.checked >= 9, `open issues checked: ${r.checked}`);
    r = await check('2026-11-27T15:01:00Z');
    assert.equal(r.quiet, true);
    assert.deepEqual(r.shown, [], 'quiet hours');
    assert.deepEqual(await logOf(s09), [], 'nothing during quiet hours');
    r = await check('2026-11-27T16:01:00Z');
    const s09n = await logOf(s09);
    if (s09n.length !== 1) {
      // What the worker knew. (This failed intermittently in CI when an options-page re-render reset
      // the focused "Quiet until" field before the test's own change event; fixed, and pinned by
      // the options page tests above.)
      const state = await b.worker(() =>
        Promise.all([
          self.slaLens.readConfig(),
          chrome.storage.local.get(['notifyMemory', 'notifyBaselined', 'notifyLog', 'testNow', 'config']),
        ]),
      );
      const [c, st] = state;
      const memory = Object.fromEntries(Object.entries(st.notifyMemory ?? {}).filter(([k]) => k.endsWith(`#${s09}`)));
      assert.fail(
        `notified once quiet hours ended: ${s09n.length} notifications for S09 (this check: ${r.checked} issues, quiet ${r.quiet}, shown ${JSON.stringify(r.shown.map((n) => n.issueId))}, errors ${JSON.stringify(r.errors)}; notifications ${JSON.stringify(c.config.notifications)}, me ${JSON.stringify(c.config.me)}, memory ${JSON.stringify(memory)}, baselined ${JSON.stringify(st.notifyBaselined)}, log ${st.notifyLog?.length ?? 0}, clock ${JSON.stringify(st.testNow)}; stored notifications ${JSON.stringify(st.config?.notifications)})`,
      );
    }
    assert.equal(s09n[0].at, Date.parse('2026-11-27T16:01:00Z'));
    assert.equal(s09n[0].title, 'Escalated to you (level 1, IT manager)');
    // Two checks at once (the alarm and "Check now" overlapping) notify once between them.
    await b.worker((t) => self.slaLens.setNow(t), Date.parse('2026-11-28T10:01:00Z'));
    const both = await b.worker(() => Promise.all([self.slaLens.check(), self.slaLens.check()]));
    r = both[0];
    assert.equal(
      both.flatMap((x) => x.shown).filter((n) => n.issueId === s01).length,
      1,
      'one of the two checks notifies',
    );
    const s01n = await logOf(s01);
    assert.equal(s01n.length, 1, `this check: ${r.checked} issues, errors ${JSON.stringify(r.errors)}`);
    assert.equal(s01n[0].title, 'Escalated to you (level 1, IT manager)');
    assert.match(s01n[0].message, /Response SLA breached/);
    assert.equal(s01n[0].url, `${redmine.BASE}/issues/${s01}`);
    r = await check('2026-11-28T10:06:00Z');
    assert.deepEqual(
      r.shown.filter((n) => n.issueId === s01),
      [],
      'not twice',
    );
    assert.equal((await logOf(s01)).length, 1, 'not twice');
    assert.equal((await logOf(s09)).length, 1);
    await b.worker((t) => self.slaLens.setNow(t), NOW_MS);
  });
});

describe('managed storage', () => {
  /** The options page of `browser` shows the managed policy, site and quiet hours read-only. */
  async function assertManaged(browser, name) {
    const p = await browser.context.newPage();
    await p.goto(browser.url('options.html'));
    await p.waitForSelector('body[data-ready="true"]');
    await p.waitForFunction(() => !document.getElementById('managed-banner').hidden);
    assert.match(await p.locator('#managed-what').innerText(), /the policy, the tracker sites, notification settings/);
    assert.equal(await p.locator('#policy-status').innerText(), 'Managed · read-only');
    assert.equal(await p.locator('#policy-text').getAttribute('readonly'), '');
    assert.equal(await p.locator('#policy-tools').isHidden(), true);
    assert.match(await p.locator('#policy-current').innerText(), new RegExp(name.replace(/[()]/g, '\\$&')));
    const row = p.locator(`tr[data-origin="${redmine.BASE}"]`);
    assert.match(await row.innerText(), /managed/);
    assert.equal(await row.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await p.locator('#n-quiet-start').isDisabled(), true);
    assert.equal(await p.locator('#n-quiet-start').inputValue(), '19:00');
    await p.screenshot({ path: join(SHOTS, 'extension-options-managed.png'), fullPage: false });
    await p.close();
  }
  const managedValues = (name) => {
    const policy = JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8'));
    policy.name = name;
    return {
      policy: JSON.stringify(policy),
      sites: [{ origin: redmine.BASE, tracker: 'redmine' }],
      notifications: { quietHours: { enabled: true, start: '19:00', end: '07:00' } },
    };
  };

  it("managed policy and sites win and show read-only (the test build's managed-storage stub, and a Chromium policy file where one can be written)", async () => {
    const dir = '/etc/chromium/policies/managed';
    let created = false;
    let writable = true;
    try {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        created = true;
      }
    } catch {
      writable = false;
    }
    // The test build's stub of storage.managed (what the options page reads either way)...
    await b.worker((v) => chrome.storage.local.set({ testManaged: v }), managedValues('Org-wide IT SLA (stub)'));
    try {
      await assertManaged(b, 'Org-wide IT SLA (stub)');
      // An organisation that allows no sites of the user's own: no "Add a site".
      const p = await options();
      assert.equal(await p.locator('#site-add').isVisible(), true);
      await b.worker(
        (v) =>
          chrome.storage.local.set({
            testManaged: {
              ...v,
              sites: [{ origin: 'https://redmine.example.com', tracker: 'redmine' }],
              allowUserSites: false,
            },
          }),
        managedValues('Org-wide IT SLA (stub)'),
      );
      await p.reload(); // (the stub is in local storage: no managed-storage change event)
      await p.waitForSelector('body[data-ready="true"]');
      await p.waitForFunction(() => document.getElementById('site-add').hidden);
      assert.deepEqual(
        await p.locator('#sites-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.origin)),
        ['https://redmine.example.com'],
        'only the managed site',
      );
      await p.close();
    } finally {
      await b.worker(() => chrome.storage.local.remove('testManaged'));
    }
    // ...and Chromium's own managed storage from a policy file, where this user may write one.
    if (!writable) {
      console.log(`# ${dir} is not writable here: managed storage checked through the stub only`);
      return;
    }
    const file = join(dir, `sla-lens-test-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ '3rdparty': { extensions: { [extensionId()]: managedValues('Org-wide IT SLA (managed)') } } }),
    );
    // Policies are read at start: a second browser with the same extension.
    const b2 = await launch();
    try {
      await assertManaged(b2, 'Org-wide IT SLA (managed)');
    } finally {
      await b2.close();
      rmSync(file, { force: true });
      if (created && readdirSync(dir).length === 0) rmdirSync(dir);
    }
  });
});
