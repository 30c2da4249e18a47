// The hostile-input corpus (tests/hostile/) in the extension, in headless Chromium with the
// unpacked test build: a policy whose name, tiers, roles and contacts are corpus strings, applied
// through the options page, and a Redmine-shaped server (fake-redmine.mjs) whose subjects,
// categories and priorities carry them. The options page, the badges and their tooltips on the
// tracker's list, and the popup: no payload runs, no markup or non-http(s) link gets in, nothing
// overflows sideways, the strings show as written. No real Redmine needed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ROOT } from './harness.mjs';
import { fakeRedmine } from './fake-redmine.mjs';
import { SHOWN, hostilePolicy, watch, assertSafe, deepText } from '../hostile/hostile.mjs';
import { escalationItems } from '../../www/badge-view.js';

const SHOTS = join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const POLICY = hostilePolicy(JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8')));

let b;
let fake;
before(async () => {
  b = await launch();
  fake = await fakeRedmine({ count: SHOWN.length, payload: (id) => SHOWN[id % SHOWN.length], escalated: true });
});
after(async () => {
  await b?.close();
  await fake?.close();
});

async function options() {
  const p = await b.context.newPage();
  const dialogs = watch(p);
  await p.goto(b.url('options.html'));
  await p.waitForSelector('body[data-ready="true"]');
  return { p, dialogs };
}

describe('the hostile corpus in the extension', () => {
  it("the options page: the policy's hostile names in the contacts table and the status, as text", async () => {
    const { p, dialogs } = await options();
    await p.getByRole('button', { name: 'Add a site' }).click();
    await p.locator('#site-origin').fill(fake.origin);
    await p.getByRole('button', { name: 'Save and grant access' }).click();
    await p.locator(`tr[data-origin="${fake.origin}"] .access.ok`).waitFor();
    await p.locator('#policy-text').fill(JSON.stringify(POLICY, null, 2));
    await p.waitForSelector('#policy-diags[data-valid="true"]');
    await p.getByRole('button', { name: 'Apply policy' }).click();
    await p.waitForSelector('#policy-status.ok');
    const contact = POLICY.escalation.levels[0].contacts[0].name;
    await p.waitForFunction(
      (name) => document.querySelector('#contacts-table tbody').textContent.includes(name),
      contact,
    );
    await p.screenshot({ path: join(SHOTS, 'extension-hostile-options.png'), fullPage: true });
    await assertSafe(p, dialogs, 'the options page');
    const text = await deepText(p);
    for (const l of POLICY.escalation.levels) {
      assert.ok(text.includes(l.role), `role ${JSON.stringify(l.role)} as written`);
      for (const c of l.contacts) assert.ok(text.includes(c.name), `contact ${JSON.stringify(c.name)} as written`);
    }
    await p.close();
  });

  it("badges and tooltips on the tracker's list, and the popup", async () => {
    // The recorded issues' own clock: one on track, one breached at level 1, one at level 2, ….
    const seedNow = Date.parse(JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/redmine/seed.json'), 'utf8')).now);
    await b.worker((t) => self.slaLens.setNow(t), seedNow);
    const tab = await b.context.newPage();
    const dialogs = watch(tab);
    await tab.goto(`${fake.origin}/issues`);
    await tab.waitForSelector('html[data-sla-lens-badges]', { timeout: 20_000 });
    const n = await tab.locator('sla-badge').count();
    assert.equal(n, SHOWN.length);
    const tips = [];
    for (let i = 0; i < n; i++) {
      const badge = tab.locator('sla-badge').nth(i);
      await badge.locator('.badge').hover();
      await tab.waitForFunction(
        (k) => document.querySelectorAll('sla-badge')[k].shadowRoot.querySelectorAll('.tip li').length > 0,
        i,
        { timeout: 10_000 },
      );
      tips.push(await badge.evaluate((el) => el.shadowRoot.textContent));
    }
    await tab.screenshot({ path: join(SHOTS, 'extension-hostile-badges.png') });
    await assertSafe(tab, dialogs, "the extension's badges", { within: 'sla-badge' });
    const all = tips.join('\n');
    assert.ok(all.includes(POLICY.name), 'the policy name as written');
    for (const level of POLICY.escalation.levels) {
      assert.ok(all.includes(level.role), `the level-${level.level} role as written: ${JSON.stringify(level.role)}`);
      assert.ok(
        all.includes(level.contacts[0].name),
        `the level-${level.level} contact as written: ${JSON.stringify(level.contacts[0].name)}`,
      );
    }
    // A hostile category name from the tracker, in the tooltip that names it.
    assert.ok(
      SHOWN.some((v) => all.includes(v)),
      "the tracker's strings as written",
    );
    // The escalations the marker notes record (the S03 issues): the hostile contact as written.
    // "Escalated to <the level-1 contacts>", as www/badge-view.js says it (names trimmed).
    const who = escalationItems([POLICY.escalation.levels[0]], 0)[0].text;
    assert.ok(all.includes(`${who} `), `an escalation done, in its tooltip: ${who}`);

    const tabId = await b.worker((url) => chrome.tabs.query({ url }).then((t) => t[0].id), `${fake.origin}/issues*`);
    const pop = await b.context.newPage();
    const popDialogs = watch(pop);
    await pop.setViewportSize({ width: 320, height: 400 });
    await pop.goto(b.url(`popup.html?tab=${tabId}`));
    await pop.waitForSelector('body[data-ready="true"]');
    await pop.screenshot({ path: join(SHOTS, 'extension-hostile-popup.png') });
    await assertSafe(pop, popDialogs, 'the popup');
    assert.equal(await pop.locator('#policy').textContent(), POLICY.name);
    // The popup lists the escalations done: text as written, the note linked on the tracker.
    const escalated = pop.locator('#escalated li');
    assert.ok((await escalated.count()) > 0, 'escalations listed');
    for (const t of await escalated.allTextContents())
      assert.ok(t.includes(`: ${who} `) && /\(note #\d+\)$/.test(t), t);
    for (const href of await pop.locator('#escalated a').evaluateAll((as) => as.map((a) => a.href))) {
      assert.ok(href.startsWith(`${fake.origin}/issues/`) && /#note-\d+$/.test(href), href);
    }
    await pop.close();
    await tab.close();
    assert.deepEqual(b.errors, []);
  });
});
