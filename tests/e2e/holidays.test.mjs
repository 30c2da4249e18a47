// The demo's public-holiday picker (www/holiday-picker.js over the generated www/holidays/ data,
// issue #16 item 2) in headless Chromium: with the business-hours example in the editor, picking
// Germany, Bavaria and 2026–2027 fills the calendar's holidays with exactly the data's list, the
// engine finds the policy valid, and applying it re-evaluates the issue list. Screenshot:
// target/screenshots/demo-holidays.png.
//   make test-e2e   (needs make holidays)
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumOnWww } from './server.mjs';
import { publicHolidays } from '../../www/holidays.js';
import { assertAccessible, audit } from '../support/axe.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = async (/** @type {string} */ name) => JSON.parse(readFileSync(join(ROOT, 'www/holidays', name), 'utf8'));
const env = chromiumOnWww('sla-holidays-');
const pageErrors = [];
after(() => assert.deepEqual(pageErrors, []));

describe('the demo policy editor: public holidays', () => {
  it('fills a calendar from a country, a region and years, and the engine accepts it', async (t) => {
    const page = await env.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${env.server.url}?frozen#policy`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const picker = page.locator('fieldset.holiday-picker');
    await picker.waitFor();
    // The seed policy has no calendar to fill: the button says so instead of guessing one.
    assert.equal(await picker.getByRole('button', { name: 'Fill holidays' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Load the business-hours example' }).click();
    await picker.getByLabel('Country').selectOption('DE');
    await picker.getByLabel('Region').selectOption('BY');
    await picker.getByLabel('From').fill('2026');
    await picker.getByLabel('To').fill('2027');
    await picker.getByLabel('Calendar').selectOption('berlin-office');
    await picker.getByRole('button', { name: 'Fill holidays' }).click();
    await picker.locator('[role="status"]', { hasText: 'filled into' }).waitFor();
    const want = await publicHolidays('DE', { region: 'BY', from: 2026, to: 2027, read });
    const policy = JSON.parse(await page.locator('#policy-text').inputValue());
    assert.deepEqual(policy.calendars['berlin-office'].holidays, want);
    assert.ok(
      want.some((h) => h.date === '2026-01-06'),
      'Heilige Drei Könige',
    );
    // The rest of the policy is untouched (the exceptions, the week).
    assert.equal(policy.calendars['berlin-office'].exceptions.length, 4);
    assert.match(await picker.locator('[role="status"]').textContent(), /^\d+ public holidays of Germany, Bayern/);
    await page.locator('#diagnostics li.ok').waitFor();
    mkdirSync(join(ROOT, 'target/screenshots'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'target/screenshots/demo-holidays.png'), fullPage: true });
    assertAccessible(t, await audit(page, { include: ['fieldset.holiday-picker'] }), 'the holiday picker');
    // Applied, the issue list is evaluated under it.
    await page.getByRole('button', { name: 'Apply to the issue list' }).click();
    await page.waitForFunction(() => document.querySelector('#policy-name')?.textContent?.length);
    assert.match(await page.locator('#apply-status').textContent(), /Applied/);
    await page.close();
  });
});
