// The Firefox build in a real Firefox: Debian's firefox-esr, headless, the add-on installed as a
// temporary add-on through WebDriver BiDi by tests/extension/firefox-smoke.mjs (run in a child
// Node with WebSocket). Its event page loads the Wasm engine (the options page gets ready with
// the built-in policy and its review date), a bad policy lists its diagnostic with its path and
// keeps Apply disabled, and the popup renders; a Redmine-shaped site on 127.0.0.1:PORT, added
// through the options page, gets badges on its issue list equal to the native CLI's results.
// Screenshots: target/screenshots/extension-firefox-{options,redmine-list}.png.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { fakeRedmine } from './fake-redmine.mjs';
import { badgeView } from '../../www/badge-view.js';

/** The native CLI's results for `docs` at `now`: id → result. */
function cli(docs, now) {
  const out = execFileSync(
    join(ROOT, 'target/release/sla-lens'),
    ['eval', '--tracker', 'redmine', '--now', new Date(now).toISOString(), '-'],
    { input: JSON.stringify(docs), encoding: 'utf8' },
  );
  return Object.fromEntries(JSON.parse(out).results.map((r) => [String(r.id), r]));
}

it('the Firefox build loads in Firefox ESR: options page, live validation, popup, badges on a tracker page', async (t) => {
  const rm = await fakeRedmine({ count: 12 });
  t.after(() => rm.close());
  const flags = globalThis.WebSocket ? [] : ['--experimental-websocket'];
  // Asynchronously: the fake tracker answers from this process meanwhile.
  const stdout = await new Promise((ok, fail) => {
    execFile(
      process.execPath,
      [...flags, join(ROOT, 'tests/extension/firefox-smoke.mjs')],
      { timeout: 240_000, encoding: 'utf8', env: { ...process.env, SLA_FF_SITE: rm.origin } },
      (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${errOut}`)) : ok(out)),
    );
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.equal(r.error, undefined, r.error);
  assert.match(r.firefox, /^firefox \d+/);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/extension/firefox/manifest.json'), 'utf8'));
  assert.ok(
    Number(r.firefox.split(' ')[1].split('.')[0]) >=
      Number(manifest.browser_specific_settings.gecko.strict_min_version.split('.')[0]),
    'this Firefox meets strict_min_version',
  );
  assert.equal(r.installed, manifest.browser_specific_settings.gecko.id);
  const policy = JSON.parse(readFileSync(join(ROOT, 'policies/default.json'), 'utf8'));
  assert.ok(
    r.options.policy.startsWith(`In effect: ${policy.name} (the built-in default) · SLA review `),
    r.options.policy,
  );
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
  assert.ok(
    r.options.policy.endsWith(r.popup.review.replace('SLA review ', '')),
    'the popup and the options page give the same review date',
  );
  // Firefox's match patterns have no port: the host permission and the content scripts name the
  // host, and the badges are on the page anyway.
  assert.deepEqual(r.origins, ['http://127.0.0.1/*']);
  assert.deepEqual(r.registered.map((c) => c.world).sort(), ['ISOLATED', 'MAIN']);
  assert.equal(r.badges.rows, 12);
  assert.deepEqual(
    r.badges.list.map((x) => x.row),
    r.badges.list.map((x) => `issue-${x.id}`),
    'one badge per row',
  );
  assert.equal(r.badges.list.length, 12);
  // The store build runs on this computer's clock: the CLI at the instant the badges were read
  // (a badge's text may be up to a minute older).
  const want = cli(rm.docs(true), r.badges.at);
  const before = cli(rm.docs(true), r.badges.at - 60_000);
  for (const x of r.badges.list) {
    assert.ok(
      [want[x.id].evaluation.state, before[x.id].evaluation.state].includes(x.state),
      `#${x.id} state ${x.state}`,
    );
    assert.ok(
      [badgeView(want[x.id], r.badges.at, {}).text, badgeView(before[x.id], r.badges.at - 60_000, {}).text].includes(
        x.text,
      ),
      `#${x.id} text ${x.text}`,
    );
  }
});
