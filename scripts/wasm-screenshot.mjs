// Screenshots of the demo in headless Chromium (Debian's), for looking at the page:
//   node scripts/wasm-screenshot.mjs [outdir]   (serves www/ itself on a free 127.0.0.1 port)
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveWww } from '../tests/e2e/server.mjs';
import { CHROME, CHROMIUM_ARGS } from '../tests/support/chromium.mjs';

const out = process.argv[2] ?? 'target/screenshots';
mkdirSync(out, { recursive: true });
const server = await serveWww();
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sla-chromium-')), {
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1360, height: 860 },
  deviceScaleFactor: 1,
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  const shots = [
    ['seed', '', null],
    ['seed-tooltip', '', 'MKT-4121'],
    ['business', '#business', null],
    ['business-tooltip', '#business', 'MKT-4117'],
    ['business-holidays', '#business', 'MKT-3391'],
    ['policy', '#policy', null],
  ];
  for (const [name, hash, hover] of shots) {
    await page.goto('about:blank');
    await page.goto(`${server.url}?frozen${hash}`);
    await page.waitForSelector('body[data-ready="true"]');
    if (hover) {
      await page.locator(`tr[data-id="${hover}"] sla-badge`).hover();
      await page.waitForTimeout(150);
    }
    const file = join(out, `demo-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
} finally {
  await browser.close();
  await server.close();
}
