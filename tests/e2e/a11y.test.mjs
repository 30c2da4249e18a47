// Accessibility of the web UIs with axe-core in headless Chromium: the demo (badges, tooltip
// open), the dashboard (<sla-board>), the review page (<sla-review>) and the CSV view, each in the
// light and the dark colour scheme. Serious or critical violations fail the test; the others are
// listed in the test output (node:test diagnostics).
//   make test-e2e   (serves www/ on a free 127.0.0.1 port and stops it afterwards)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnWww } from './server.mjs';
import { assertAccessible, audit } from '../support/axe.mjs';

const env = chromiumOnWww('sla-a11y-', { viewport: { width: 1360, height: 900 } });

/**
 * Loads `path` in `scheme`, waits for `ready`, runs `prepare`, then axe over the whole document
 * (open shadow roots included: the badges and boards render into them).
 */
async function auditPage(path, scheme, ready, prepare = async () => {}) {
  const page = await env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${env.server.url}${path}`);
  await page.waitForFunction(ready, null, { timeout: 30000 });
  await prepare(page);
  const violations = await audit(page);
  await page.close();
  assert.deepEqual(errors, [], `${path}: no page errors`);
  return violations;
}

const demoReady = () => document.body.dataset.ready === 'true';
const boardsReady = () =>
  [...document.querySelectorAll('sla-board, sla-review')].every(
    (e) => e instanceof HTMLElement && e.dataset.ready === 'true',
  );

const PAGES = [
  {
    name: 'the demo, a badge tooltip open',
    path: '?frozen',
    ready: demoReady,
    /** @param {import('playwright-core').Page} page */
    prepare: async (page) => {
      // Focus opens a badge's tooltip (keyboard users get the explanation too): audit it open.
      const badge = page.locator('sla-badge').first();
      await badge.locator('.badge').focus();
      await badge.locator('[role="tooltip"]').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'the demo, policy editor tab',
    path: '?frozen',
    ready: demoReady,
    /** @param {import('playwright-core').Page} page */
    prepare: async (page) => {
      await page.locator('#tab-policy').click();
      await page.locator('#panel-policy').waitFor({ state: 'visible' });
    },
  },
  { name: 'the dashboard (<sla-board>)', path: 'dashboard.html?frozen', ready: boardsReady },
  { name: 'the review page (<sla-review>)', path: 'review.html?frozen', ready: boardsReady },
  { name: 'the CSV view', path: 'csv.html?frozen', ready: boardsReady },
];

describe('axe-core: no serious or critical violations', () => {
  for (const { name, path, ready, prepare } of PAGES) {
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      it(`${name}, ${scheme}`, async (t) => {
        assertAccessible(t, await auditPage(path, scheme, ready, prepare), `${path} (${scheme})`);
      });
    }
  }

  it("respects prefers-reduced-motion: the board's group toggles do not animate", async () => {
    const page = await env.context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${env.server.url}dashboard.html?frozen`);
    await page.waitForFunction(boardsReady, null, { timeout: 30000 });
    await page.locator('sla-board select[data-group]').selectOption({ index: 1 });
    const tw = page.locator('sla-board tr.g .tw').first();
    assert.equal(await tw.evaluate((e) => getComputedStyle(e).transitionDuration), '0s');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    assert.notEqual(await tw.evaluate((e) => getComputedStyle(e).transitionDuration), '0s', 'animated otherwise');
    await page.close();
  });

  it('fails on a page with a serious violation (the check is live)', async () => {
    // An image without alt text and unlabeled button on a blank page: axe must report them.
    const page = await env.context.newPage();
    await page.setContent('<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main>');
    const violations = await audit(page);
    await page.close();
    const ids = violations.map((v) => v.id);
    assert.ok(ids.includes('image-alt'), `image-alt reported: ${ids}`);
    assert.ok(ids.includes('button-name'), `button-name reported: ${ids}`);
    const quiet = /** @type {import('node:test').TestContext} */ (/** @type {unknown} */ ({ diagnostic() {} }));
    assert.throws(() => assertAccessible(quiet, violations, 'bad page'), /image-alt/);
  });
});
