// Loads the Firefox build (dist/extension/firefox) into Debian's headless Firefox ESR as a
// temporary add-on through WebDriver BiDi (`webExtension.install`, Firefox 138+; no web-ext run,
// no Marionette client, no Playwright: Playwright's Firefox is a patched build), then drives the
// options page the store build opens on install: the event page's Wasm engine answers (the page
// gets ready with the built-in policy's name), a bad policy lists its diagnostics with their
// paths, and the popup renders. With SLA_FF_SITE (a Redmine-shaped origin), it also adds that
// site through the options page (a real click; optional permissions granted without the prompt
// by a profile preference) and opens its issue list: the content scripts put badges on it.
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
writeFileSync(
  join(profile, 'user.js'),
  [
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
    // Grants what permissions.request asks for without the prompt a headless test cannot click
    // (the host permission of the site added below); the build itself is the store build.
    ['extensions.webextOptionalPermissionPrompts', false],
  ]
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join('\n'),
);

const ff = spawn(
  FIREFOX,
  [
    '--headless',
    '--no-remote',
    '--profile',
    profile,
    '--remote-debugging-port',
    '0',
    '--window-size',
    '1280,900',
    'about:blank',
  ],
  {
    env: { ...process.env, TZ: 'UTC', MOZ_CRASHREPORTER_DISABLE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
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
const send = (method, params = {}) =>
  new Promise((ok, fail) => {
    const id = next++;
    const timer = setTimeout(() => {
      waiting.delete(id);
      fail(new Error(`${method}: no answer in 60 s`));
    }, 60_000);
    waiting.set(id, {
      ok: (v) => {
        clearTimeout(timer);
        ok(v);
      },
      fail: (e) => {
        clearTimeout(timer);
        fail(e);
      },
    });
    if (process.env.SLA_FF_DEBUG) console.error(`→ ${method}`);
    ws.send(JSON.stringify({ id, method, params }));
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Optional: a Redmine-shaped site to add through the options page and open (its origin).
const SITE = process.env.SLA_FF_SITE ?? null;
const out = {
  firefox: null,
  installed: null,
  options: null,
  diagnostics: null,
  popup: null,
  origins: null,
  registered: null,
  badges: null,
};
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
    const r = await send('script.evaluate', {
      expression,
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
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

  await until('document.body.dataset.ready === "true"', "the options page (the event page's answer)");
  await until('document.getElementById("policy-diags").dataset.valid === "true"', 'the default policy validated');
  out.options = JSON.parse(
    await evaluate(`JSON.stringify({
    policy: document.getElementById('policy-current').textContent,
    version: document.getElementById('version').textContent,
    contacts: document.querySelectorAll('#contacts-table tbody tr').length,
  })`),
  );
  await shot('extension-firefox-options.png');
  // A bad policy: every diagnostic with its path, the draft kept.
  await evaluate(`(() => {
    const ta = document.getElementById('policy-text');
    ta.value = ta.value.replace('"response": "24h"', '"response": "a day or so"');
    ta.dispatchEvent(new Event('input'));
    return true;
  })()`);
  await until('document.getElementById("policy-diags").dataset.valid === "false"', 'the diagnostics');
  out.diagnostics = JSON.parse(
    await evaluate(`JSON.stringify({
    paths: [...document.querySelectorAll('#policy-diags .diag .path')].slice(1).map((e) => e.textContent),
    text: document.getElementById('policy-diags').textContent,
    applyDisabled: document.getElementById('policy-apply').disabled,
  })`),
  );
  await evaluate('location.href = "popup.html"; true');
  await until('location.pathname === "/popup.html" && document.body.dataset.ready === "true"', 'the popup');
  out.popup = JSON.parse(
    await evaluate(`JSON.stringify({
    found: document.getElementById('found').textContent,
    policy: document.getElementById('policy').textContent,
    review: document.getElementById('review').textContent,
  })`),
  );
  if (SITE) {
    // Add the site as a user would; the click on "Save and grant access" is a real one (input
    // events), as permissions.request needs a user action.
    await evaluate('location.href = "options.html"; true');
    await until(
      'location.pathname === "/options.html" && document.body.dataset.ready === "true"',
      'the options page again',
    );
    await evaluate(`(() => {
      document.getElementById('site-add').click();
      const o = document.getElementById('site-origin');
      o.value = ${JSON.stringify(SITE)};
      o.dispatchEvent(new Event('input'));
      o.dispatchEvent(new Event('change'));
      document.getElementById('site-save').scrollIntoView({ block: 'center' });
      return true;
    })()`);
    const ref = await send('script.evaluate', {
      expression: 'document.getElementById("site-save")',
      target: { context },
      awaitPromise: false,
      resultOwnership: 'root',
    });
    await send('input.performActions', {
      context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            {
              type: 'pointerMove',
              x: 0,
              y: 0,
              origin: { type: 'element', element: { sharedId: ref.result.sharedId } },
            },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
    await until(
      `document.querySelector('tr[data-origin=${JSON.stringify(SITE)}] .access.ok')`,
      'the site saved with access granted',
    );
    out.origins = JSON.parse(await evaluate('browser.permissions.getAll().then((p) => JSON.stringify(p.origins))'));
    out.registered = JSON.parse(
      await until(
        'browser.scripting.getRegisteredContentScripts().then((r) => r.length && JSON.stringify(r.map((c) => ({ matches: c.matches, world: c.world ?? null }))))',
        'the content scripts registered',
        10_000,
      ),
    );
    const tab = (await send('browsingContext.create', { type: 'tab' })).context;
    await send('browsingContext.navigate', { context: tab, url: `${SITE}/issues`, wait: 'complete' });
    const inTab = async (expression) => {
      const r = await send('script.evaluate', {
        expression,
        target: { context: tab },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      return r.type === 'exception' ? null : r.result.value;
    };
    for (
      const end = Date.now() + 30_000;
      !(await inTab('document.documentElement.hasAttribute("data-sla-lens-badges")'));
      await sleep(200)
    ) {
      if (Date.now() > end)
        throw new Error(
          `no badges on the tracker page in Firefox (${await inTab('location.href + " " + document.readyState + ", " + document.querySelectorAll("sla-badge").length + " badges, page-world script: " + document.documentElement.hasAttribute("data-sla-lens-main")')}; registered: ${JSON.stringify(out.registered)})`,
        );
    }
    out.badges = JSON.parse(
      await inTab(`JSON.stringify({
      at: Date.now(),
      rows: document.querySelectorAll('table.issues tr.issue').length,
      list: [...document.querySelectorAll('sla-badge')].map((el) => ({ id: el.getAttribute('ticket-id'), state: el.getAttribute('state'), row: el.closest('tr')?.id ?? null, text: el.shadowRoot?.querySelector('.text')?.textContent ?? null })),
    })`),
    );
    const { data } = await send('browsingContext.captureScreenshot', { context: tab });
    writeFileSync(join(SHOTS, 'extension-firefox-redmine-list.png'), Buffer.from(data, 'base64'));
  }
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
