// Builds the browser extension from extension/ and the Wasm package in www/pkg:
//   node scripts/build-extension.mjs [chrome] [firefox] [test]   (default: chrome firefox)
// Outputs dist/extension/<target>/ (unpacked) and, for the store targets, dist/sla-lens-<target>.zip.
// The `test` target is the Chromium build the tests load: it pre-grants http://127.0.0.1/*,
// http://localhost/* and notifications (a permission prompt cannot be clicked headless), has a
// fixed extension id
// (tests/extension/test-key.txt holds a public key only), and compiles in the test clock and the
// managed-storage stub. The store builds have none of these.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawIcon, encodePng } from '../extension/tools/icons.mjs';
import { version as cargoVersion } from './version.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'extension');
const DIST = join(ROOT, 'dist');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['chrome', 'firefox'];

const version = cargoVersion();
const GECKO_ID = 'sla-lens@sla-lens.dev';

function manifestFor(target) {
  const m = JSON.parse(readFileSync(join(SRC, 'manifest.template.json'), 'utf8').replace('{{version}}', version));
  if (target === 'firefox') {
    m.background = { scripts: ['background.js'] };
    m.browser_specific_settings = {
      // 140: data_collection_permissions (and MAIN-world content scripts, from 128).
      gecko: { id: GECKO_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
      gecko_android: { strict_min_version: '142.0' },
    };
    // Firefox reads managed storage from enterprise policies / native manifests, not a schema.
    delete m.storage;
  } else {
    m.background = { service_worker: 'background.js' };
    m.minimum_chrome_version = '116';
  }
  if (target === 'test') {
    m.name = 'sla-lens (test build)'; // the store builds' name is `__MSG_name__` (extension/_locales)
    m.key = readFileSync(join(ROOT, 'tests/extension/test-key.txt'), 'utf8').trim();
    // 127.0.0.1 for the trackers' pages, localhost for a fake GitHub API on another origin.
    m.host_permissions = ['http://127.0.0.1/*', 'http://localhost/*'];
    m.permissions = [...m.permissions, 'notifications'];
  }
  return m;
}

// The page-world badge script needs <sla-badge> and badge-view.js, never the engine: the Wasm
// glue is replaced with a stub so no Wasm code or loader reaches the page.
const noEngine = {
  name: 'no-engine',
  setup(b) {
    b.onResolve({ filter: /pkg\/sla_lens\.js$/ }, () => ({ path: 'sla-lens-engine-stub', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export default function init() { throw new Error("no engine in the page"); }',
      loader: 'js',
    }));
  },
};

async function bundle(target, out) {
  const common = {
    bundle: true,
    format: 'iife',
    target: ['chrome116', 'firefox128'],
    minifySyntax: true, // drops the test-only branches of store builds; names and layout stay readable
    legalComments: 'inline',
    charset: 'utf8',
    define: { __SLA_TEST__: target === 'test' ? 'true' : 'false' },
    logLevel: 'warning',
    // The wasm-bindgen glue and load() read import.meta.url only when no module is passed; the
    // worker always passes one, and the page-world script never loads the engine.
    logOverride: { 'empty-import-meta': 'silent' },
  };
  await build({
    ...common,
    entryPoints: {
      background: join(SRC, 'src/background.js'),
      content: join(SRC, 'src/content.js'),
      options: join(SRC, 'src/options.js'),
      popup: join(SRC, 'src/popup.js'),
    },
    outdir: out,
  });
  await build({
    ...common,
    entryPoints: { 'badge-main': join(SRC, 'src/badge-main.js') },
    outdir: out,
    plugins: [noEngine],
  });
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

function icons(out) {
  for (const size of [16, 32, 48, 128]) {
    const png = encodePng(size, size, drawIcon(size));
    mkdirSync(join(out, 'icons'), { recursive: true });
    writeFileSync(join(out, 'icons', `icon-${size}.png`), png);
  }
}

/**
 * The store zip of an unpacked build: scripts/zip-reproducible.py (sorted, dated
 * SOURCE_DATE_EPOCH, fixed modes), so the same sources give the same bytes (`make release`).
 */
function zip(dir, dest) {
  execFileSync('python3', [join(ROOT, 'scripts/zip-reproducible.py'), dir, dest], { stdio: 'inherit' });
}

const wasm = join(ROOT, 'www/pkg/sla_lens_bg.wasm');
if (!existsSync(wasm)) {
  console.error('www/pkg/sla_lens_bg.wasm is missing: run `make wasm` first');
  process.exit(1);
}

for (const target of targets) {
  const out = join(DIST, 'extension', target);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await bundle(target, out);
  for (const f of ['options.html', 'options.css', 'popup.html', 'popup.css']) copy(join(SRC, 'src', f), join(out, f));
  copy(join(SRC, 'managed_schema.json'), join(out, 'managed_schema.json'));
  copy(join(SRC, 'PRIVACY.md'), join(out, 'PRIVACY.md'));
  // The store name and description in each language (manifest `__MSG_name__`, `default_locale`).
  for (const lang of readdirSync(join(SRC, '_locales')))
    copy(join(SRC, '_locales', lang, 'messages.json'), join(out, '_locales', lang, 'messages.json'));
  copy(wasm, join(out, 'sla_lens_bg.wasm'));
  icons(out);
  const manifest = manifestFor(target);
  if (target === 'firefox') rmSync(join(out, 'managed_schema.json'));
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (target !== 'test') {
    const dest = join(DIST, `sla-lens-${target}.zip`);
    zip(out, dest);
    const sha = createHash('sha256').update(readFileSync(dest)).digest('hex').slice(0, 16);
    console.log(`${relative(ROOT, dest)}  ${(statSync(dest).size / 1024).toFixed(0)} KiB  sha256 ${sha}…`);
  } else {
    console.log(`${relative(ROOT, out)}/ (unpacked test build)`);
  }
}
