// `web-ext lint` on the Firefox build: 0 errors (warnings are printed), and the store builds carry
// no test-only permission or key.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

it('web-ext lint reports 0 errors for the Firefox build', () => {
  let out;
  try {
    out = execFileSync(
      join(ROOT, 'node_modules/.bin/web-ext'),
      ['lint', '--source-dir', join(ROOT, 'dist/extension/firefox'), '--output', 'json', '--no-input'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    out = e.stdout; // web-ext exits non-zero on errors; the JSON says which
  }
  const report = JSON.parse(out.slice(out.indexOf('{')));
  for (const w of report.warnings) console.log(`warning ${w.code}: ${w.file ?? ''} ${w.message}`);
  assert.deepEqual(
    report.errors.map((e) => `${e.code}: ${e.file ?? ''} ${e.message}`),
    [],
  );
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
    // Issue #15 (d): the test and benchmark hooks are the test build's only.
    assert.ok(!/globalThis\.slaLens\b/.test(bg), 'no globalThis.slaLens hooks');
    for (const hook of ['benchDocs', 'syncContentScripts:', 'setNow']) assert.ok(!bg.includes(hook), `no ${hook} hook`);
    assert.ok(
      !readFileSync(join(dir, 'content.js'), 'utf8').includes('data-sla-lens-perf'),
      'no benchmark marks on the page',
    );
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

/** A zip's entries: name → { size, head (first 8 bytes, hex), text (for .json/.md) }, read by Python's zipfile. */
function zipEntries(file) {
  const py =
    'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: {"size": i.file_size, "head": z.read(i)[:8].hex(), "text": z.read(i).decode() if i.filename.endswith((".json", ".md")) else None} for i in z.infolist() if not i.is_dir()}))';
  return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }));
}

for (const target of ['chrome', 'firefox']) {
  it(`dist/sla-lens-${target}.zip is ready for the store: the unpacked build, icons, description, privacy note`, () => {
    const z = zipEntries(join(ROOT, `dist/sla-lens-${target}.zip`));
    const dir = join(ROOT, 'dist/extension', target);
    const m = JSON.parse(z['manifest.json'].text);
    assert.deepEqual(
      m,
      JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')),
      "the zip holds the unpacked build's manifest",
    );
    // The name and description come from _locales (issue #18): every language's, in the zip, within
    // the store's limits (name 75, description 132 characters), with the same message ids as en.
    assert.equal(m.name, '__MSG_name__');
    assert.equal(m.description, '__MSG_description__');
    assert.equal(m.default_locale, 'en');
    const langs = readdirSync(join(ROOT, 'extension/_locales')).sort();
    assert.deepEqual(langs, ['de', 'en', 'es', 'fr', 'ja', 'pt_BR']);
    const en = JSON.parse(z['_locales/en/messages.json'].text);
    for (const lang of langs) {
      const doc = JSON.parse(z[`_locales/${lang}/messages.json`]?.text ?? 'null');
      assert.ok(doc, `_locales/${lang}/messages.json is in the zip`);
      assert.deepEqual(Object.keys(doc).sort(), Object.keys(en).sort(), `${lang}: the same messages as en`);
      assert.ok(doc.name.message.length <= 75 && doc.name.message.startsWith('sla-lens'), `${lang} name`);
      const d = doc.description.message;
      assert.ok(
        d.length > 40 && d.length <= 132,
        `${lang}: a store description of at most 132 characters (${d.length})`,
      );
      assert.match(d, /Redmine.*Request Tracker.*GitHub.*GitLab.*Jira/, `${lang} names the trackers`);
      if (lang !== 'en') assert.notEqual(d, en.description.message, `${lang} is translated`);
    }
    for (const [size, path] of Object.entries(m.icons)) {
      assert.ok(z[path], `icon ${path}`);
      assert.equal(z[path].head, '89504e470d0a1a0a', `${path} is a PNG`);
      assert.ok(Number(size) > 0);
    }
    for (const f of [
      m.action.default_popup,
      m.options_ui.page,
      ...(m.background.scripts ?? [m.background.service_worker]),
      'content.js',
      'badge-main.js',
      'sla_lens_bg.wasm',
    ])
      assert.ok(z[f]?.size > 0, f);
    assert.equal(z['sla_lens_bg.wasm'].head.slice(0, 8), '0061736d', 'the Wasm module');
    assert.match(z['PRIVACY.md'].text, /nothing leaves your browser except requests to your own tracker/);
    assert.match(z['PRIVACY.md'].text, /api\.github\.com/);
    assert.equal('managed_schema.json' in z, target === 'chrome');
  });
}
