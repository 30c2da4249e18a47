// tests/js/tsconfig.strict.json (issue #15) checks a file only when its first line is
// `// @ts-check` (its `checkJs` is off, so that the files still being rewritten are read for their
// types, not checked). This keeps the list and the comments honest: every library file under
// www/ is in the strict list or in PENDING, and every listed file opts in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Library files not yet strict-clean (none left). */
const PENDING = [];

function listed() {
  const text = readFileSync(join(here, 'tsconfig.strict.json'), 'utf8');
  const files = text.slice(text.indexOf('"files"')).match(/"\.\.\/\.\.\/[^"]+"/g) ?? [];
  return files.map((f) => relative(root, resolve(here, JSON.parse(f))));
}

function libraryJs(dir = join(root, 'www')) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!/^pkg/.test(e.name)) out.push(...libraryJs(p));
    } else if (e.name.endsWith('.js')) out.push(relative(root, p));
  }
  return out;
}

test('every file in tsconfig.strict.json opts in with // @ts-check', () => {
  const files = listed();
  assert.ok(files.length > 0);
  for (const f of files) assert.equal(readFileSync(join(root, f), 'utf8').split('\n', 1)[0], '// @ts-check', f);
});

test('every library file under www/ is checked strictly or pending the merge', () => {
  const covered = new Set([...listed(), ...PENDING]);
  const missing = libraryJs().filter((f) => !covered.has(f));
  assert.deepEqual(missing, []);
});
