// Stages the drop-in's browser assets into DIR, laid out as in www/ so their relative imports
// hold: the shim, the badge view and the drop-in loader, the Wasm engine and its glue (pkg/, from
// `make wasm`), the tracker adapters (trackers/). Then checks that every relative import of the
// staged modules is staged too (a module added to the shim or the adapters later would otherwise
// be missing from an archive only). Used by scripts/build-redmine-plugin.sh and
// scripts/build-rt-extension.sh.
//   node scripts/stage-dropin.mjs DIR
import { copyFileSync, mkdirSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/stage-dropin.mjs DIR');
  process.exit(2);
}
const files = [
  'sla-lens.js',
  'badge-view.js',
  'sla-lens-dropin.js',
  'settings-check.js',
  'pkg/sla_lens.js',
  'pkg/sla_lens_bg.wasm',
  ...readdirSync('www/trackers')
    .filter((f) => f.endsWith('.js'))
    .map((f) => `trackers/${f}`),
];
for (const f of files) {
  mkdirSync(dirname(join(dir, f)), { recursive: true });
  copyFileSync(join('www', f), join(dir, f));
}

const walk = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const missing = [];
for (const f of walk(dir).filter((f) => f.endsWith('.js'))) {
  for (const m of readFileSync(f, 'utf8').matchAll(
    /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm,
  )) {
    if (!existsSync(join(dirname(f), m[1]))) missing.push(`${f}: ${m[1]}`);
  }
}
if (missing.length) {
  console.error(`not in the archive:\n${missing.join('\n')}`);
  process.exit(1);
}
