// A static server for www/ on 127.0.0.1 (a free port), for the browser tests and screenshots.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../www/', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export async function serveWww(root = ROOT) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if (path.endsWith('/')) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * For a test file that drives www/ in headless Chromium: registers node:test `before`/`after`
 * hooks that serve www/ and open a persistent context on a fresh profile (`prefix` names its
 * temporary directory), and close both afterwards. `server` and `context` of the returned object
 * are set once `before` has run.
 * @param {string} prefix
 * @param {Record<string, unknown>} [options]  more launchPersistentContext options (viewport, …)
 * @returns {{ server: Awaited<ReturnType<typeof serveWww>>, context: import('playwright-core').BrowserContext }}
 */
export function chromiumOnWww(prefix, options = {}) {
  const env = /** @type {any} */ ({ server: null, context: null });
  /** @type {string | undefined} */
  let profile;
  before(async () => {
    env.server = await serveWww();
    profile = mkdtempSync(join(tmpdir(), prefix));
    env.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1360, height: 900 },
      ...options,
    });
  });
  after(async () => {
    await env.context?.close();
    await env.server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });
  return env;
}
