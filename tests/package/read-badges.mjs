// Loads a page in headless Chromium with the clock fixed at NOW and prints, as JSON, every
// <sla-badge>'s ticket, state, text and escalation once each has been evaluated (and the requests
// that failed). Run by tests/package/package.test.mjs under the machine's browser lock:
//   node tests/package/read-badges.mjs URL NOW [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { readBadges } from '../support/badges.mjs';

const [url, now, shot] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROME, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const failed = [];
  const errors = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.url()}: ${r.status()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.setFixedTime(new Date(now));
  await page.goto(url);
  let badges = [];
  try {
    await page.waitForFunction(
      () => {
        // Each evaluated: a badge shows its placeholder ("not evaluated yet", state `unknown`)
        // from the moment it is on the page until its result comes.
        const all = [...document.querySelectorAll('sla-badge')];
        return (
          all.length > 0 &&
          all.every(
            (b) =>
              b.hasAttribute('state') &&
              b.shadowRoot?.querySelector('.badge')?.getAttribute('aria-label') !== 'SLA: not evaluated yet',
          )
        );
      },
      null,
      { timeout: 20_000 },
    );
    // The fields the CLI's results are compared on (a page's own badges have no deadline attribute).
    badges = (await readBadges(page, { selector: 'sla-badge' })).map(({ id, state, text, escalation }) => ({
      id,
      state,
      text: text ?? null,
      escalation,
    }));
  } catch (e) {
    errors.push(`no badges with a state: ${e.message}`);
  }
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify({ badges, failed, errors }));
} finally {
  await browser.close();
}
