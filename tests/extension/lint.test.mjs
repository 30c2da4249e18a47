// `web-ext lint` on the Firefox build: 0 errors (warnings are printed), and the store builds carry
// no test-only permission or key.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

it('web-ext lint reports 0 errors for the Firefox build', () => {
  let out;
  try {
    out = execFileSync(join(ROOT, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', join(ROOT, 'dist/extension/firefox'), '--output', 'json', '--no-input'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = e.stdout; // web-ext exits non-zero on errors; the JSON says which
  }
  const report = JSON.parse(out.slice(out.indexOf('{')));
  for (const w of report.warnings) console.log(`warning ${w.code}: ${w.file ?? ''} ${w.message}`);
  assert.deepEqual(report.errors.map((e) => `${e.code}: ${e.file ?? ''} ${e.message}`), []);
  assert.equal(report.summary.errors, 0);
});

for (const target of ['chrome', 'firefox']) {
  it(`the ${target} store build asks for no host up front and has no test hooks`, () => {
    const dir = join(ROOT, 'dist/extension', target);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(m.host_permissions, undefined);
    assert.equal(m.key, undefined);
    assert.deepEqual(m.permissions, ['storage', 'scripting', 'alarms']);
    assert.deepEqual(m.optional_permissions, ['notifications']);
    assert.ok(!JSON.stringify(m).includes('<all_urls>'));
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    if (target === 'firefox') {
      assert.deepEqual(m.background, { scripts: ['background.js'] });
      assert.equal(m.browser_specific_settings.gecko.id, 'sla-lens@sla-lens.dev');
    } else assert.deepEqual(m.background, { service_worker: 'background.js' });
    const bg = readFileSync(join(dir, 'background.js'), 'utf8');
    assert.ok(!bg.includes('testNow'), 'the test clock is compiled out');
    assert.ok(!bg.includes('testManaged'), 'the managed-storage stub is compiled out');
    // No remote code: no script URL outside the extension, no eval.
    for (const f of ['background.js', 'content.js', 'badge-main.js', 'options.js', 'popup.js']) {
      const src = readFileSync(join(dir, f), 'utf8');
      assert.ok(!/\beval\(|new Function\(/.test(src), `${f} has no eval`);
      assert.ok(!/importScripts\(\s*['"]https?:/.test(src), `${f} loads no remote script`);
    }
    const badge = readFileSync(join(dir, 'badge-main.js'), 'utf8');
    assert.ok(!badge.includes('WebAssembly'), 'no Wasm in the page');
  });
}
