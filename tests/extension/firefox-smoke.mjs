// Loads the Firefox build (dist/extension/firefox) into Debian's headless Firefox ESR as a
// temporary add-on through WebDriver BiDi (`webExtension.install`, Firefox 138+; no web-ext run,
// no Marionette client, no Playwright: Playwright's Firefox is a patched build), then drives the
// options page the store build opens on install: the event page's Wasm engine answers (the page gets ready with the built-in
// policy's name), a bad policy lists its diagnostics with their paths, and the popup renders.
// Prints one JSON line with what it saw; tests/extension/firefox.test.mjs asserts on it.
//   node --experimental-websocket tests/extension/firefox-smoke.mjs   (Node 20; 22+ has WebSocket)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXT = join(ROOT, 'dist/extension/firefox');
const FIREFOX = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'sla-lens@sla-lens.dev';
// A fixed moz-extension:// UUID for the add-on (Firefox picks a random one per profile).
const UUID = '5a1a1e25-0b0e-4c1e-9d1a-51a1e25a1e25';
const SHOTS = join(ROOT, 'target/screenshots');

const profile = mkdtempSync(join(tmpdir(), 'sla-ff-'));
writeFileSync(join(profile, 'user.js'), [
  ['extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: UUID })],
  ['browser.shell.checkDefaultBrowser', false],
  ['browser.startup.homepage_override.mstone', 'ignore'],
  ['datareporting.policy.dataSubmissionEnabled', false],
  ['toolkit.telemetry.reportingpolicy.firstRun', false],
  ['app.update.disabledForTesting', true],
  ['browser.aboutwelcome.enabled', false],
  ['network.connectivity-service.enabled', false],
  ['extensions.getAddons.cache.enabled', false],
  ['intl.locale.requested', 'en-US'],
].map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));

const ff = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0', '--window-size', '1280,900', 'about:blank'], {
  env: { ...process.env, TZ: 'UTC', MOZ_CRASHREPORTER_DISABLE: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
const port = await new Promise((ok, fail) => {
  const timer = setTimeout(() => fail(new Error(`Firefox did not start its WebDriver BiDi server:\n${log}`)), 60_000);
  const read = (d) => {
    log += d;
    const m = /WebDriver BiDi listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(log);
    if (m) {
      clearTimeout(timer);
      ok(Number(m[1]));
    }
  };
  ff.stderr.on('data', read);
  ff.stdout.on('data', read);
  ff.on('exit', (code) => fail(new Error(`Firefox exited (${code}):\n${log}`)));
});

const ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
await new Promise((ok, fail) => {
  ws.onopen = ok;
  ws.onerror = () => fail(new Error('no BiDi connection'));
});
let next = 1;
const waiting = new Map();
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.id && waiting.has(m.id)) {
    const { ok, fail } = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.type === 'error') fail(new Error(`${m.error}: ${m.message}`));
    else ok(m.result);
  }
};
const send = (method, params = {}) => new Promise((ok, fail) => {
  const id = next++;
  waiting.set(id, { ok, fail });
  ws.send(JSON.stringify({ id, method, params }));
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const out = { firefox: null, installed: null, options: null, diagnostics: null, popup: null };
try {
  const session = await send('session.new', { capabilities: {} });
  out.firefox = `${session.capabilities.browserName} ${session.capabilities.browserVersion}`;
  out.installed = (await send('webExtension.install', { extensionData: { type: 'path', path: EXT } })).extension;
  // BiDi may not navigate a tab to moz-extension:// pages; the add-on opens its options page
  // itself on install (runtime.openOptionsPage), and its pages may navigate to each other.
  let context = null;
  for (const end = Date.now() + 30_000; !context && Date.now() < end; await sleep(200)) {
    const { contexts } = await send('browsingContext.getTree', {});
    context = contexts.find((c) => c.url.startsWith(`moz-extension://${UUID}/options.html`))?.context ?? null;
  }
  if (!context) throw new Error('the options page did not open on install');
  const evaluate = async (expression) => {
    const r = await send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
    if (r.type === 'exception') throw new Error(r.exceptionDetails.text);
    return r.result.value;
  };
  const until = async (expression, what, ms = 30_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await evaluate(expression).catch(() => null);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  const shot = async (name) => {
    const { data } = await send('browsingContext.captureScreenshot', { context });
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, name), Buffer.from(data, 'base64'));
  };

  await until('document.body.dataset.ready === "true"', 'the options page (the event page\'s answer)');
  await until('document.getElementById("policy-diags").dataset.valid === "true"', 'the default policy validated');
  out.options = JSON.parse(await evaluate(`JSON.stringify({
    policy: document.getElementById('policy-current').textContent,
    version: document.getElementById('version').textContent,
    contacts: document.querySelectorAll('#contacts-table tbody tr').length,
  })`));
  await shot('extension-firefox-options.png');
  // A bad policy: every diagnostic with its path, the draft kept.
  await evaluate(`(() => {
    const ta = document.getElementById('policy-text');
    ta.value = ta.value.replace('"response": "24h"', '"response": "a day or so"');
    ta.dispatchEvent(new Event('input'));
    return true;
  })()`);
  await until('document.getElementById("policy-diags").dataset.valid === "false"', 'the diagnostics');
  out.diagnostics = JSON.parse(await evaluate(`JSON.stringify({
    paths: [...document.querySelectorAll('#policy-diags .diag .path')].slice(1).map((e) => e.textContent),
    text: document.getElementById('policy-diags').textContent,
    applyDisabled: document.getElementById('policy-apply').disabled,
  })`));
  await evaluate('location.href = "popup.html"; true');
  await until('location.pathname === "/popup.html" && document.body.dataset.ready === "true"', 'the popup');
  out.popup = JSON.parse(await evaluate(`JSON.stringify({
    found: document.getElementById('found').textContent,
    policy: document.getElementById('policy').textContent,
    review: document.getElementById('review').textContent,
  })`));
  await send('session.end', {}).catch(() => {});
} catch (e) {
  out.error = String(e?.message ?? e);
} finally {
  ws.close();
  ff.kill('SIGTERM');
  await new Promise((r) => {
    if (ff.exitCode != null) r();
    else ff.on('exit', r);
    setTimeout(r, 5000);
  });
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
