// For the browser tests that run against the real RT of scripts/rt/ (tests/e2e/rt-page.live.mjs,
// tests/extension/rt.live.mjs): where that RT and its recorded answers are, and signing in through
// RT's own login form, as a person would.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The live RT the script that runs a suite set up (RT_URL, RT_LIVE: its recorded answers and
 * seed.json), the port of the test proxy in front of it, the CLI, the RT policy and where
 * screenshots go. Throws, naming `target`, when run without that script.
 * @param {string} target  the make target that runs the suite
 */
export function liveRt(target) {
  const RT = process.env.RT_URL;
  const LIVE = process.env.RT_LIVE;
  if (!(RT && LIVE)) throw new Error(`RT_URL/RT_LIVE are not set: run \`make ${target}\``);
  return {
    RT,
    LIVE,
    PUBLIC_PORT: Number(process.env.RT_PUBLIC_PORT ?? 3099),
    CLI: process.env.SLA_LENS_BIN ?? join(ROOT, 'target/debug/sla-lens'),
    POLICY: join(ROOT, 'tests/fixtures/rt/policy.json'),
    SHOTS: join(ROOT, 'target/screenshots'),
  };
}

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
