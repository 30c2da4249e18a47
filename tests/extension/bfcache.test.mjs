// The content script across the back/forward cache (issue #15 c): `pagehide` stops its observers
// and timer; a persisted `pageshow` (the page restored from the cache) re-arms them, so the page's
// later changes get badges again. Headless Chromium with the unpacked test build and the
// Redmine-shaped fake server (fake-redmine.mjs); no real Redmine. The events are the ones the
// browser fires on a cache round trip (whether headless Chromium caches a page with an
// extension's content scripts is the browser's choice, so the test fires them itself).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, eventually } from './harness.mjs';
import { fakeRedmine } from './fake-redmine.mjs';

let b;
let fake;
before(async () => {
  b = await launch();
  fake = await fakeRedmine({ count: 6, payload: (id) => `Issue ${id}` });
  const o = await b.context.newPage();
  await o.goto(b.url('options.html'));
  await o.waitForSelector('body[data-ready="true"]');
  await o.getByRole('button', { name: 'Add a site' }).click();
  await o.locator('#site-origin').fill(fake.origin);
  await o.getByRole('button', { name: 'Save and grant access' }).click();
  await o.locator(`tr[data-origin="${fake.origin}"] .access.ok`).waitFor();
  await o.close();
});
after(async () => {
  try {
    assert.deepEqual(b?.errors ?? [], [], 'no page errors');
  } finally {
    await b?.close();
    await fake?.close();
  }
});

/** Takes a row out of the list (its badge with it) and puts it back without one. */
function reinsertRow(tab) {
  return tab.evaluate(() => {
    const row = document.querySelector('table.issues tr.issue');
    for (const el of row.querySelectorAll('sla-badge, .sla-lens-slot')) el.remove();
    const parent = row.parentNode;
    row.remove();
    parent.append(row);
    return row.id;
  });
}

const hasBadge = (tab, rowId) => tab.evaluate((id) => !!document.getElementById(id)?.querySelector('sla-badge'), rowId);

describe('the back/forward cache', () => {
  it('pagehide then a persisted pageshow: the content script watches the page again', async () => {
    const tab = await b.context.newPage();
    await tab.goto(`${fake.origin}/issues`);
    await tab.waitForSelector('html[data-sla-lens-badges]', { timeout: 20_000 });
    assert.ok((await tab.locator('table.issues tr.issue sla-badge').count()) > 0, 'badges on the list');
    // Before the cache: a row put back gets its badge (the page's changes are watched).
    const first = await reinsertRow(tab);
    assert.equal(await eventually(() => hasBadge(tab, first), Boolean), true, 'a changed row gets its badge');
    // Into the cache and back.
    await tab.evaluate(() => {
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    const again = await reinsertRow(tab);
    assert.equal(
      await eventually(() => hasBadge(tab, again), Boolean),
      true,
      'after the round trip, a changed row gets its badge again',
    );
    await tab.close();
  });
});
