// Right-to-left pages (issue #18 item 4): with dir="rtl" on the page, a badge's dot leads on the
// right, its tooltip opens under it aligned with its right edge and inside the viewport, the
// tooltip's list is indented from the right, and the board's columns run from right to left.
// Each holds the left-to-right page to the mirror image, so the check is not vacuous.
// Screenshots: target/screenshots/rtl-*.png.
//   make test-e2e   (serves www/ on a free 127.0.0.1 port and stops it afterwards)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumOnWww } from './server.mjs';

const SHOTS = join(fileURLToPath(new URL('../../', import.meta.url)), 'target/screenshots');
const env = chromiumOnWww('sla-rtl-');

/** @param {string} path @param {'ltr' | 'rtl'} dir @param {() => boolean} ready */
async function open(path, dir, ready) {
  const page = await env.context.newPage();
  await page.addInitScript((d) => {
    document.addEventListener('DOMContentLoaded', () => {
      document.documentElement.dir = d;
    });
  }, dir);
  await page.goto(`${env.server.url}${path}`);
  await page.waitForFunction(ready, null, { timeout: 30000 });
  return page;
}

const demoReady = () => document.body.dataset.ready === 'true';
const boardReady = () => document.querySelector('sla-board')?.getAttribute('data-ready') === 'true';

/** Where a badge's dot, text and tooltip are, its tooltip open by focus. */
async function badgeGeometry(page) {
  const badge = page.locator('sla-badge').first();
  await badge.locator('.badge').focus();
  await badge.locator('[role="tooltip"]').waitFor({ state: 'visible' });
  return badge.evaluate((host) => {
    const root = /** @type {ShadowRoot} */ (host.shadowRoot);
    const box = (/** @type {string} */ s) => /** @type {Element} */ (root.querySelector(s)).getBoundingClientRect();
    const b = box('.badge');
    const tip = box('.tip');
    const ul = getComputedStyle(/** @type {Element} */ (root.querySelector('.tip ul')));
    return {
      dot: box('.badge .dot').x,
      text: box('.badge .text').x,
      badge: { left: b.left, right: b.right, bottom: b.bottom },
      tip: { left: tip.left, right: tip.right, top: tip.top, width: tip.width },
      viewport: document.documentElement.clientWidth,
      indent: { left: ul.paddingLeft, right: ul.paddingRight },
      align: getComputedStyle(/** @type {Element} */ (root.querySelector('.tip'))).textAlign,
    };
  });
}

describe('right-to-left pages', () => {
  it('a badge leads with its dot on the right and its tooltip opens from its right edge', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const got = {};
    for (const dir of /** @type {const} */ (['ltr', 'rtl'])) {
      const page = await open('?frozen', dir, demoReady);
      got[dir] = await badgeGeometry(page);
      await page.screenshot({ path: join(SHOTS, `rtl-demo-${dir}.png`) });
      await page.close();
    }
    const { ltr, rtl } = got;
    assert.ok(ltr.dot < ltr.text, 'left to right: the dot, then the text');
    assert.ok(rtl.dot > rtl.text, 'right to left: the dot on the right of the text');
    for (const [dir, g] of Object.entries(got)) {
      assert.ok(g.tip.left >= 0 && g.tip.right <= g.viewport, `${dir}: the tooltip is inside the viewport`);
      assert.ok(g.tip.top >= g.badge.bottom, `${dir}: under the badge`);
    }
    // Aligned with the start edge unless the viewport pushed it in.
    if (ltr.badge.left + ltr.tip.width + 8 <= ltr.viewport) assert.ok(Math.abs(ltr.tip.left - ltr.badge.left) < 1.5);
    if (rtl.badge.right - rtl.tip.width >= 8) assert.ok(Math.abs(rtl.tip.right - rtl.badge.right) < 1.5);
    assert.deepEqual(ltr.indent, { left: '16px', right: '0px' });
    assert.deepEqual(rtl.indent, { left: '0px', right: '16px' });
    assert.deepEqual([ltr.align, rtl.align], ['start', 'start']);
  });

  it("the board's columns and controls run from right to left", async () => {
    const got = {};
    for (const dir of /** @type {const} */ (['ltr', 'rtl'])) {
      const page = await open('dashboard.html?frozen', dir, boardReady);
      got[dir] = await page.locator('sla-board').evaluate((host) => {
        const root = /** @type {ShadowRoot} */ (host.shadowRoot);
        const ths = [...root.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().x);
        const search = /** @type {Element} */ (root.querySelector('input[type="search"]')).getBoundingClientRect();
        const actions = /** @type {Element} */ (root.querySelector('.tools .actions')).getBoundingClientRect();
        // A cell with Latin text (the title) keeps its own order but sits at the column's start edge.
        const th = /** @type {Element} */ (root.querySelector('thead th[data-key="title"]')).getBoundingClientRect();
        const a = /** @type {Element} */ (root.querySelector('tbody tr.r td.title a')).getBoundingClientRect();
        const gap = { left: a.left - th.left, right: th.right - a.right };
        return { first: ths[0], last: ths[ths.length - 1], search: search.x, actions: actions.x, gap };
      });
      await page.screenshot({ path: join(SHOTS, `rtl-board-${dir}.png`) });
      await page.close();
    }
    assert.ok(got.ltr.first < got.ltr.last && got.ltr.search < got.ltr.actions, JSON.stringify(got.ltr));
    assert.ok(got.rtl.first > got.rtl.last, `the first column is on the right: ${JSON.stringify(got.rtl)}`);
    assert.ok(
      got.rtl.search > got.rtl.actions,
      `search on the right, the actions at the end: ${JSON.stringify(got.rtl)}`,
    );
  });
});
