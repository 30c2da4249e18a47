#!/usr/bin/env node
// make package: the npm package of this version, dist/sla-lens-<version>.tgz (README, "Use it
// from npm"). The root package.json is the private dev manifest; the published one is made here
// from npm/package.template.json (its version set from Cargo.toml, scripts/version.mjs) in
// target/npm/package/, with the library modules laid out as in www/ (their relative imports and
// `new URL('…', import.meta.url)` assets hold as they are), the built Wasm modules (`make wasm`),
// the Node/Deno entries (npm/node/), a .d.ts for every module (tsc --declaration over the checked
// JS; wasm-bindgen's own for the glue), the package README and the licences. Packed by
// scripts/tgz.sh (sorted names, fixed owners, modes and times: the same bytes every time), with
// the `package/` folder npm's own tarballs have. No install scripts.
//   node scripts/package.mjs            prints the tarball's path
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { version } from './version.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = version();
const WORK = join(ROOT, 'target/npm');
const STAGE = join(WORK, 'package');
const OUT = join(ROOT, 'dist', `sla-lens-${VERSION}.tgz`);

const copy = (from, to) => {
  mkdirSync(dirname(join(STAGE, to)), { recursive: true });
  copyFileSync(join(ROOT, from), join(STAGE, to));
};

rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });

// The library modules (not the demo pages), as in www/.
for (const f of ['sla-lens.js', 'badge-view.js', 'dom.js']) copy(`www/${f}`, f);
for (const f of readdirSync(join(ROOT, 'www/board')).filter((f) => f.endsWith('.js') && f !== 'page.js'))
  copy(`www/board/${f}`, `board/${f}`);
// The Wasm modules and their glue: the full module (small and fast builds), the engine module.
for (const f of ['sla_lens.js', 'sla_lens.d.ts', 'sla_lens_bg.wasm', 'sla_lens_bg.wasm.d.ts', 'sla_lens_fast_bg.wasm'])
  copy(`www/pkg/${f}`, `pkg/${f}`);
for (const f of ['sla_lens.js', 'sla_lens.d.ts', 'sla_lens_bg.wasm', 'sla_lens_bg.wasm.d.ts'])
  copy(`www/pkg-engine/${f}`, `pkg-engine/${f}`);
for (const f of readdirSync(join(ROOT, 'npm/node'))) copy(`npm/node/${f}`, `node/${f}`);
for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) copy(f, f);
copy('npm/README.md', 'README.md');

// wasm-bindgen's glue names its module `new URL('sla_lens_bg.wasm', import.meta.url)`; bundlers
// (webpack among them) take only a `./` path in that pattern for a file next to the module.
for (const glue of ['pkg/sla_lens.js', 'pkg-engine/sla_lens.js']) {
  const p = join(STAGE, glue);
  const text = readFileSync(p, 'utf8');
  const from = "new URL('sla_lens_bg.wasm', import.meta.url)";
  if (!text.includes(from)) throw new Error(`${glue}: wasm-bindgen's default module URL is not ${from} any more`);
  writeFileSync(p, text.replace(from, "new URL('./sla_lens_bg.wasm', import.meta.url)"));
}

// The .d.ts of every module the entries reach (the glue has wasm-bindgen's own).
const tsconfig = join(WORK, 'tsconfig.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      allowJs: true,
      declaration: true,
      emitDeclarationOnly: true,
      strict: true,
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['esnext', 'dom', 'dom.iterable'],
      types: [],
      rootDir: 'package',
      outDir: 'package',
    },
    files: [
      'package/sla-lens.js',
      'package/board/sla-board.js',
      'package/board/report-view.js',
      'package/board/engine-worker.js',
    ],
  }),
);
execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', tsconfig], { stdio: 'inherit' });

// The single-file embed: the drop-in, the shim and the full module's bytes in one ES module
// (npm/embed.js), and its types (the shim's API).
execFileSync(
  join(ROOT, 'node_modules/.bin/esbuild'),
  [
    'npm/embed.js',
    '--bundle',
    '--format=esm',
    '--minify',
    '--legal-comments=none',
    '--loader:.wasm=binary',
    '--log-level=warning',
    `--outfile=${join(STAGE, 'sla-lens.embed.js')}`,
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
writeFileSync(join(STAGE, 'sla-lens.embed.d.ts'), "export * from './sla-lens.js';\n");
const embed = readFileSync(join(STAGE, 'sla-lens.embed.js'));
const gzipped = gzipSync(embed, { level: 9 }).length;
console.error(`sla-lens.embed.js: ${embed.length} bytes, ${gzipped} gzipped (gzip -9)`);

// The manifest: the template, with this version.
const manifest = JSON.parse(readFileSync(join(ROOT, 'npm/package.template.json'), 'utf8'));
manifest.version = VERSION;
writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Checks: every file the exports name is there; every JS module has its .d.ts (but the Node
// entries, whose types are the browser entries'); every relative import and `new URL` asset of a
// module is in the package; no install scripts.
const walk = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const problems = [];
const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
for (const t of targets) if (!existsSync(join(STAGE, t))) problems.push(`exports names ${t}, which is not built`);
for (const f of walk(STAGE).filter((f) => f.endsWith('.js'))) {
  const rel = relative(STAGE, f);
  if (!rel.startsWith('node/') && !existsSync(f.replace(/\.js$/, '.d.ts'))) problems.push(`${rel}: no .d.ts`);
  const text = readFileSync(f, 'utf8');
  const refs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm),
    ...text.matchAll(/new URL\('(\.{1,2}\/[^']+)', import\.meta\.url\)/g),
  ];
  for (const m of refs) if (!existsSync(join(dirname(f), m[1]))) problems.push(`${rel}: ${m[1]} is not in the package`);
}
if (manifest.scripts) problems.push('the manifest has scripts (a published package has no install scripts)');
if (problems.length) {
  console.error(`scripts/package.mjs:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

mkdirSync(dirname(OUT), { recursive: true });
execFileSync(join(ROOT, 'scripts/tgz.sh'), [OUT, WORK, 'package'], { stdio: 'inherit' });
console.log(relative(ROOT, OUT));
