// The store build speaks the browser's language (issue #18): Chromium loads dist/extension/chrome
// and its name is the one in _locales/<lang>/messages.json for the browser's UI language, English
// otherwise (default_locale). Headless Chromium, no tracker.
//   make test-extension
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { ROOT } from './harness.mjs';

const BUILD = join(ROOT, 'dist/extension/chrome');
const message = (/** @type {string} */ lang) =>
  JSON.parse(readFileSync(join(ROOT, 'extension/_locales', lang, 'messages.json'), 'utf8')).name.message;

for (const [ui, lang] of [
  ['de', 'de'],
  ['ja', 'ja'],
  ['pt-BR', 'pt_BR'],
  ['en-US', 'en'],
  ['nl', 'en'],
]) {
  it(`a browser in ${ui} shows the ${lang} name`, async () => {
    const profile = mkdtempSync(join(tmpdir(), 'sla-locale-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROME,
      headless: true,
      locale: ui,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${BUILD}`, `--load-extension=${BUILD}`, `--lang=${ui}`],
    });
    try {
      const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
      const name = await sw.evaluate(() => chrome.runtime.getManifest().name);
      assert.equal(name, message(lang));
    } finally {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}
