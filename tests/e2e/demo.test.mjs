// The demo page in headless Chromium (playwright-core, Debian's /usr/bin/chromium): badge states
// and texts, tooltips, text-only rendering of policy data, and the shared timer.
//   make test-e2e   (serves www/ on a free 127.0.0.1 port and stops it afterwards)
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnWww } from './server.mjs';
import { SEED_TICKETS, BUSINESS_TICKETS } from '../../www/demo-data.js';

const XSS = '<img src=x onerror=alert(1)>';
const dialogs = [];
const pageErrors = [];

async function open(query = '?frozen', hash = '') {
  const page = await env.context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${env.server.url}${query}${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

const badge = (page, id) => page.locator(`tr[data-id="${id}"] sla-badge`);

async function badgeInfo(page, id) {
  const b = badge(page, id);
  return {
    state: await b.getAttribute('state'),
    tone: await b.getAttribute('tone'),
    text: await b.locator('.text').textContent(),
    escalation: (await b.locator('.esc').isVisible()) ? await b.locator('.esc').textContent() : null,
    label: await b.locator('.badge').getAttribute('aria-label'),
  };
}

const env = chromiumOnWww('sla-e2e-', { viewport: { width: 1360, height: 900 } });

after(() => {
  assert.deepEqual(dialogs, [], 'no script from data ever ran');
  assert.deepEqual(pageErrors, []);
});

for (const [view, hash, list] of [
  ['seed', '', SEED_TICKETS],
  ['business', '#business', BUSINESS_TICKETS],
]) {
  describe(`demo page, ${view} view`, () => {
    it('shows every issue with the expected badge', async () => {
      const page = await open('?frozen', hash);
      assert.equal(await page.locator('tbody tr').count(), list.length);
      for (const t of list) {
        const info = await badgeInfo(page, t.id);
        assert.equal(info.state, t.expect.state, t.id);
        assert.equal(info.text, t.expect.text, t.id);
        if ('escalation' in t.expect) assert.equal(info.escalation, t.expect.escalation, t.id);
        assert.ok(info.label && info.label.length > info.text.length, `${t.id}: ${info.label}`);
      }
      await page.close();
    });
  });
}

describe('the engine module', () => {
  it('the demo page loads www/pkg-engine (its import map), not the full module', async () => {
    const page = await env.context.newPage();
    const wasm = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.wasm') || /sla_lens\.js$/.test(r.url())) wasm.push(new URL(r.url()).pathname);
    });
    await page.goto(`${env.server.url}?frozen`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual([...new Set(wasm)].sort(), ['/pkg-engine/sla_lens.js', '/pkg-engine/sla_lens_bg.wasm']);
    // The engine module has the badge API and none of the tracker, export or report bindings.
    const api = await page.evaluate(async () => {
      const glue = await import('./pkg/sla_lens.js');
      const e = glue.SlaEngine.defaultPolicy();
      return {
        report: typeof e.report,
        evaluateRows: typeof e.evaluateRows,
        mapExport: typeof glue.mapExport,
        detectPage: typeof glue.detectPage,
        validatePolicy: typeof glue.validatePolicy,
      };
    });
    assert.deepEqual(api, {
      report: 'undefined',
      evaluateRows: 'function',
      mapExport: 'undefined',
      detectPage: 'undefined',
      validatePolicy: 'function',
    });
    await page.close();
  });
});

describe('tooltips', () => {
  it('explain escalation: level, target, next level and when', async () => {
    const page = await open();
    await badge(page, 'MKT-4121').locator('.badge').hover();
    const tip = badge(page, 'MKT-4121').locator('.tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    assert.match(text, /Response breached · Critical/);
    assert.match(text, /response target 4h of calendar time/);
    assert.match(text, /escalated to level 1 — IT manager/);
    assert.match(text, /next escalation: level 2 — Marketing department head .* if still unresolved/);
    assert.match(text, /Policy: IT ↔ Marketing internal SLA/);
    const box = await tip.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50);
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden' });
    await page.close();
  });

  it('explain business time, pauses and closed days, and open on keyboard focus', async () => {
    const page = await open('?frozen', '#business');
    await badge(page, 'MKT-4117').locator('.badge').focus();
    const tip = badge(page, 'MKT-4117').locator('.tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    assert.match(text, /Resolution paused/);
    assert.match(text, /resolution clock paused \(Waiting on customer\); 20h left when it resumes/);
    assert.match(text, /business time on berlin-office \(Europe\/Berlin\)/);
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    await badge(page, 'MKT-4126').locator('.badge').hover();
    const t2 = await badge(page, 'MKT-4126').locator('.tip').textContent();
    assert.match(t2, /2h 30m business time left/);
    await badge(page, 'MKT-3391').locator('.badge').hover();
    const t3 = await badge(page, 'MKT-3391').locator('.tip').textContent();
    assert.match(t3, /responded Tue 7 Apr 2026 09:30 CEST after 1h of business time/);
    assert.match(t3, /not counted: Karfreitag, Fri 3 Apr 2026/);
    assert.match(t3, /not counted: Ostermontag, Mon 6 Apr 2026/);
    await page.close();
  });
});

describe('text-only rendering', () => {
  it('renders a policy contact name full of HTML as text', async () => {
    const page = await open('?frozen', '#policy');
    const policy = JSON.parse(await page.locator('#policy-text').inputValue());
    policy.escalation.levels[0].contacts[0].name = XSS;
    policy.escalation.levels[0].role = `${XSS} manager`;
    policy.name = `SLA ${XSS}`;
    await page.locator('#policy-text').fill(JSON.stringify(policy, null, 2));
    await page.locator('#apply').click();
    await page.waitForSelector('#panel-issues:not([hidden])');
    const b = badge(page, 'MKT-4121');
    assert.equal(await b.locator('.esc').textContent(), 'L1');
    assert.ok((await b.locator('.badge').getAttribute('aria-label')).includes(`${XSS} manager`));
    await b.locator('.badge').hover();
    const tip = b.locator('.tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    assert.ok(text.includes(`escalated to level 1 — ${XSS} manager (${XSS})`), text);
    assert.ok(text.includes(`Policy: SLA ${XSS}`), text);
    assert.equal(await page.locator('#policy-name').textContent(), `SLA ${XSS}`);
    // No element was made from the data, in the page or in any shadow root.
    const imgs = await page.evaluate(() => {
      const all = [document];
      for (const el of document.querySelectorAll('*')) if (el.shadowRoot) all.push(el.shadowRoot);
      return all.reduce((n, root) => n + root.querySelectorAll('img').length, 0);
    });
    assert.equal(imgs, 0);
    await page.close();
  });

  it('shows every diagnostic of a broken policy and refuses to apply it', async () => {
    const page = await open('?frozen', '#policy');
    const policy = JSON.parse(await page.locator('#policy-text').inputValue());
    policy.targets[0].response = 'four hours';
    policy.atRiskPercent = 0;
    policy[XSS] = true;
    await page.locator('#policy-text').fill(JSON.stringify(policy, null, 2));
    await page.waitForFunction(() => document.querySelectorAll('#diagnostics li.error').length === 3);
    const items = await page.locator('#diagnostics li').allTextContents();
    assert.ok(
      items.some((t) => t.includes('unknown-field') && t.includes(XSS)),
      items.join('\n'),
    );
    assert.ok(items.some((t) => t.includes('targets[0].response')));
    assert.equal(await page.locator('#apply').isDisabled(), true);
    await page.close();
  });
});

describe('the shared timer', () => {
  it('counts down each minute without re-evaluating, and re-evaluates on a state change', async () => {
    const page = await env.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.clock.install();
    await page.goto(env.server.url);
    await page.waitForSelector('body[data-ready="true"]');
    const evaluations = () => page.evaluate(() => window.slaDemo.board().evaluations);
    assert.equal(await evaluations(), 1);
    assert.equal((await badgeInfo(page, 'MKT-4127')).text, '2h 50m left');
    await page.clock.runFor(61_000);
    assert.equal((await badgeInfo(page, 'MKT-4127')).text, '2h 49m left');
    assert.equal(await evaluations(), 1);
    // MKT-4125 is due at 12:45 demo time: the board re-evaluates once it passes.
    await page.clock.runFor(45 * 60_000);
    assert.equal((await badgeInfo(page, 'MKT-4125')).state, 'breached');
    assert.ok((await evaluations()) >= 2);
    const timers = await page.evaluate(async () => (await import('./sla-lens.js')).timerState());
    assert.equal(timers.running, true);
    assert.equal(timers.boards, 1);
    await page.close();
  });

  it('stops while the tab is hidden and catches up when it is shown again', async () => {
    const page = await open();
    const state = () => page.evaluate(async () => (await import('./sla-lens.js')).timerState());
    assert.equal((await state()).running, true);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal((await state()).running, false);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal((await state()).running, true);
    await page.close();
  });
});
