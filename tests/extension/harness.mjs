// Test harness: Debian Chromium (headless=new) with the unpacked test build of the extension,
// driven by playwright-core. Every browser it starts, it stops.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXT_DIR = join(ROOT, 'dist/extension/test');

/** The test build's extension id, from the public key in its manifest. */
export function extensionId() {
  const key = Buffer.from(readFileSync(join(ROOT, 'tests/extension/test-key.txt'), 'utf8').trim(), 'base64');
  const hex = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export async function launch({ viewport = { width: 1280, height: 860 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'sla-ext-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME,
    headless: true,
    env: { ...process.env, TZ: 'UTC' },
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${EXT_DIR}`, `--load-extension=${EXT_DIR}`, '--lang=en-US'],
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  let [sw] = context.serviceWorkers();
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 15_000 });
  const id = new URL(sw.url()).host;
  const errors = [];
  const dialogs = [];
  context.on('page', (p) => {
    p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`));
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
  });
  return {
    context,
    id,
    sw,
    errors,
    dialogs,
    url: (path) => `chrome-extension://${id}/${path}`,
    /** Runs `fn(arg)` in the service worker (the extension's own global `slaLens`). */
    worker: (fn, arg) => sw.evaluate(fn, arg),
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `read` until `ok(value)` holds, then returns the value; after `ms` returns the last value
 * so the caller's assertion reports what was actually there. For state written asynchronously
 * (the options page saving to storage, the worker updating the toolbar) where a fixed sleep races
 * a loaded machine.
 */
export async function eventually(read, ok, ms = 10_000) {
  const end = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
