// Every relative import of the staged modules under DIR is staged too (a module added to the shim
// or the adapters later would otherwise be missing from an archive only). Used by
// scripts/build-redmine-plugin.sh and scripts/build-rt-extension.sh.
//   node scripts/staged-imports.mjs DIR
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';

const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const missing = [];
for (const f of walk(process.argv[2]).filter((f) => f.endsWith('.js'))) {
  for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    if (!existsSync(join(dirname(f), m[1]))) missing.push(`${f}: ${m[1]}`);
  }
}
if (missing.length) {
  console.error(`not in the archive:\n${missing.join('\n')}`);
  process.exit(1);
}
