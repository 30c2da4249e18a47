// Keyboard-only walks through the web UIs in headless Chromium (issue #18 item 6): only Tab,
// Shift+Tab, Enter, Space, Escape and arrow keys — no clicks. A badge's tooltip opens on focus and
// closes on Escape; the board's search, filters, grouping and sort work; the review page's
// breach pager turns pages and its tables scroll from the keyboard.
//   make test-e2e   (serves www/ on a free 127.0.0.1 port and stops it afterwards)
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumOnWww } from './server.mjs';

const pageErrors = [];

const env = chromiumOnWww('sla-keys-', { viewport: { width: 1360, height: 900 } });

after(() => {
  assert.deepEqual(pageErrors, []);
});

/** @param {string} path @param {() => boolean} ready */
async function open(path, ready) {
  const page = await env.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${env.server.url}${path}`);
  await page.waitForFunction(ready, null, { timeout: 30000 });
  return page;
}

const boardsReady = () =>
  [...document.querySelectorAll('sla-board, sla-review')].every(
    (e) => e instanceof HTMLElement && e.dataset.ready === 'true',
  );

/**
 * What has the focus, through open shadow roots: `{ host, tag, cls, label, text, attrs }`.
 * @param {import('playwright-core').Page} page
 */
function focused(page) {
  return page.evaluate(() => {
    /** @type {Element | null} */
    let e = document.activeElement;
    let host = '';
    while (e?.shadowRoot?.activeElement) {
      host = e.localName;
      e = e.shadowRoot.activeElement;
    }
    if (!e) return null;
    return {
      host,
      tag: e.localName,
      cls: e.getAttribute('class') ?? '',
      label: e.getAttribute('aria-label') ?? '',
      text: (e.textContent ?? '').trim().slice(0, 60),
      type: e.getAttribute('type') ?? '',
      facet: e.getAttribute('data-facet'),
      group: e.hasAttribute('data-group'),
      expanded: e.getAttribute('aria-expanded'),
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until `want(focused)` holds; fails after `max` presses.
 * @param {import('playwright-core').Page} page
 * @param {(f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean} want
 * @param {string} what
 */
async function tabTo(page, want, what, { max = 120, back = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && want(f)) return f;
  }
  assert.fail(`${what}: not reached with ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}`);
}

const board = (page) => page.locator('sla-board');
const rowIds = (page) =>
  board(page)
    .locator('tr.r')
    .evaluateAll((trs) => trs.map((t) => t.dataset.id));

describe('keyboard only', () => {
  it('the demo: Tab reaches each badge, focus opens its tooltip, Escape closes it', async () => {
    const page = await open('?frozen', () => document.body.dataset.ready === 'true');
    const first = await tabTo(page, (f) => f.host === 'sla-badge' && f.cls.startsWith('badge'), 'a badge');
    // The badge's name says its state and time in words (not by colour alone).
    assert.match(first.label, /\w+ \w+/, `a spoken name: ${first.label}`);
    const tip = page.locator('sla-badge').first().locator('[role="tooltip"]');
    await tip.waitFor({ state: 'visible' });
    assert.ok((await tip.locator('li').count()) > 0, 'the tooltip explains');
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    // Tab moves on to the next badge, whose tooltip opens in turn.
    const second = await tabTo(page, (f) => f.host === 'sla-badge' && f.cls.startsWith('badge'), 'the next badge', {
      max: 20,
    });
    assert.ok(second.label, 'the next badge has a name');
    await page.locator('sla-badge').nth(1).locator('[role="tooltip"]').waitFor({ state: 'visible' });
    await page.close();
  });

  it('the dashboard: search, a filter, grouping, a group toggle and sort, by keyboard alone', async () => {
    const page = await open('dashboard.html?frozen', boardsReady);
    const all = (await rowIds(page)).length;
    assert.ok(all > 10, `rows: ${all}`);

    // Search.
    await tabTo(page, (f) => f.host === 'sla-board' && f.type === 'search', 'the search field');
    const status = board(page).locator('.status');
    const everything = await status.textContent();
    await page.keyboard.type('laptop');
    await page.waitForFunction(
      (s) => document.querySelector('sla-board')?.shadowRoot?.querySelector('.status')?.textContent !== s,
      everything,
    );
    const titles = await board(page)
      .locator('tr.r td.title')
      .evaluateAll((tds) => tds.map((t) => (t.textContent ?? '').toLowerCase()));
    assert.ok(titles.length > 0, `${titles.length} rows`);
    assert.ok(
      titles.every((t) => t.includes('laptop')),
      titles.filter((t) => !t.includes('laptop')).join(' | '),
    );
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.waitForFunction(
      (s) => document.querySelector('sla-board')?.shadowRoot?.querySelector('.status')?.textContent === s,
      everything,
    );

    // A filter: the first facet, one step down from "All".
    const facet = await tabTo(page, (f) => f.host === 'sla-board' && f.tag === 'select' && !!f.facet, 'a filter');
    await page.keyboard.press('ArrowDown');
    const chosen = await board(page).locator(`select[data-facet="${facet.facet}"]`).inputValue();
    assert.notEqual(chosen, '', 'ArrowDown picked a value');
    await page.waitForFunction(
      (s) => document.querySelector('sla-board')?.shadowRoot?.querySelector('.status')?.textContent !== s,
      everything,
    );
    await page.keyboard.press('ArrowUp');
    assert.equal(await board(page).locator(`select[data-facet="${facet.facet}"]`).inputValue(), '', 'back to All');
    await page.waitForFunction(
      (s) => document.querySelector('sla-board')?.shadowRoot?.querySelector('.status')?.textContent === s,
      everything,
    );

    // Group by the first choice, then fold the first group with Enter on its button.
    await tabTo(page, (f) => f.host === 'sla-board' && f.group, 'Group by');
    await page.keyboard.press('ArrowDown');
    const toggle = board(page).locator('tr.g button').first();
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await tabTo(page, (f) => f.host === 'sla-board' && f.tag === 'button' && f.expanded === 'true', 'a group', {
      max: 40,
    });
    const before = (await rowIds(page)).length;
    const label = await toggle.textContent();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const b = document.querySelector('sla-board')?.shadowRoot?.querySelector('tr.g button');
      return b?.getAttribute('aria-expanded') === 'false';
    });
    assert.ok((await rowIds(page)).length < before, `folding ${label} hides its rows`);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => {
      const b = document.querySelector('sla-board')?.shadowRoot?.querySelector('tr.g button');
      return b?.getAttribute('aria-expanded') === 'true';
    });

    // Sort: back to the column headers with Shift+Tab, Enter sorts, Enter again reverses.
    const head = await tabTo(
      page,
      (f) => f.host === 'sla-board' && f.tag === 'button' && !f.cls && f.text.includes('↕'),
      'a column header',
      { back: true, max: 60 },
    );
    const name = head.text.replace('↕', '').trim();
    const th = board(page).locator('thead th', { hasText: name });
    await page.keyboard.press('Enter');
    const dir1 = await th.getAttribute('aria-sort');
    assert.ok(dir1 === 'ascending' || dir1 === 'descending', `${name} sorted: ${dir1}`);
    await page.keyboard.press('Enter');
    const dir2 = await th.getAttribute('aria-sort');
    assert.notEqual(dir2, dir1, `${name} reversed`);
    await page.close();
  });

  it('the review page: the breach pager turns pages and a table scrolls, by keyboard alone', async () => {
    const page = await open('review.html?frozen', boardsReady);
    const review = page.locator('sla-review');
    const status = review.locator('.pager-status');
    const start = await status.textContent();
    assert.match(start ?? '', /^1–\d+ of \d+$/);
    await tabTo(page, (f) => f.host === 'sla-review' && f.label === 'Next page of breaches', 'Next page of breaches', {
      max: 200,
    });
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (s) => document.querySelector('sla-review')?.shadowRoot?.querySelector('.pager-status')?.textContent !== s,
      start,
    );
    assert.match((await status.textContent()) ?? '', /^\d+–\d+ of \d+$/);
    assert.doesNotMatch((await status.textContent()) ?? '', /^1–/, 'page 2');
    // The breaches table below the pager is a focusable region: arrow keys scroll it.
    const region = await tabTo(
      page,
      (f) => f.host === 'sla-review' && f.cls.includes('tablewrap') && f.label.startsWith('Breaches'),
      'the breaches table',
      { max: 10 },
    );
    assert.ok(region.label, 'the region is named by its caption');
    const wrap = review.locator('.tablewrap[aria-label^="Breaches"]');
    const top0 = await wrap.evaluate((e) => e.scrollTop);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction(
      (t) =>
        (document.querySelector('sla-review')?.shadowRoot?.querySelector('.tablewrap[aria-label^="Breaches"]')
          ?.scrollTop ?? t) > t,
      top0,
    );
    await page.close();
  });
});
