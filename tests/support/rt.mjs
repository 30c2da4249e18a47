// Signing in to Request Tracker through its own login form, as a person would, for the browser
// tests that run against the real RT of scripts/rt/ (tests/e2e/rt-page.live.mjs,
// tests/extension/rt.live.mjs).

/**
 * Fills RT's login form at `base` and submits it; resolves once the form has gone (signed in).
 * @param {import('playwright-core').Page} page
 * @param {string} base  RT's URL (the test proxy's)
 * @param {string} user
 * @param {string} password
 */
export async function signInToRt(page, base, user, password) {
  if (!page.url().startsWith(base)) await page.goto(`${base}/`);
  await page.waitForSelector('input[name="user"]');
  await page.fill('input[name="user"]', user);
  await page.fill('input[name="pass"]', password);
  // RT serves its login form at the page asked for and answers the post with that page.
  await Promise.all([page.waitForNavigation(), page.press('input[name="pass"]', 'Enter')]);
  await page.waitForSelector('input[name="pass"]', { state: 'detached' });
}
