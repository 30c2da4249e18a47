// The Firefox build in a real Firefox: Debian's firefox-esr, headless, the add-on installed as a
// temporary add-on through WebDriver BiDi by tests/extension/firefox-smoke.mjs (run in a child
// Node with WebSocket). Its event page loads the Wasm engine (the options page gets ready with
// the built-in policy and its review date), a bad policy lists its diagnostic with its path and
// keeps Apply disabled, and the popup renders. Screenshot: target/screenshots/extension-firefox-options.png.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

it('the Firefox build loads in Firefox ESR: options page, live validation, popup', async () => {
  const flags = globalThis.WebSocket ? [] : ['--experimental-websocket'];
  const stdout = await new Promise((ok, fail) => {
    execFile(process.execPath, [...flags, join(ROOT, 'tests/extension/firefox-smoke.mjs')], { timeout: 240_000, encoding: 'utf8' }, (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${errOut}`)) : ok(out)));
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.equal(r.error, undefined, r.error);
  assert.match(r.firefox, /^firefox \d+/);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/extension/firefox/manifest.json'), 'utf8'));
  assert.ok(Number(r.firefox.split(' ')[1].split('.')[0]) >= Number(manifest.browser_specific_settings.gecko.strict_min_version.split('.')[0]), 'this Firefox meets strict_min_version');
  assert.equal(r.installed, manifest.browser_specific_settings.gecko.id);
  const policy = JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8'));
  assert.ok(r.options.policy.startsWith(`In effect: ${policy.name} (the built-in default) · SLA review `), r.options.policy);
  assert.equal(r.options.version, `sla-lens ${manifest.version}`);
  const contacts = policy.escalation.levels.reduce((n, l) => n + l.contacts.length, 0);
  assert.equal(r.options.contacts, contacts);
  const i = policy.targets.findIndex((t) => t.response === '24h');
  assert.deepEqual(r.diagnostics.paths, [`targets[${i}].response`]);
  assert.match(r.diagnostics.text, /`a day or so` is not a duration/);
  assert.match(r.diagnostics.text, /Your draft is kept/);
  assert.equal(r.diagnostics.applyDisabled, true);
  assert.equal(r.popup.found, 'No tracker configured yet: add one in the options.');
  assert.equal(r.popup.policy, policy.name);
  assert.ok(r.options.policy.endsWith(r.popup.review.replace('SLA review ', '')), 'the popup and the options page give the same review date');
});
