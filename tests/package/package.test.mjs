// The npm package (make package → dist/sla-lens-<version>.tgz) as its users get it: installed
// from the tarball into a fresh project per bundler (Vite, webpack 5, esbuild, Rollup, Parcel;
// pinned versions from the npm registry, cached in $SLA_LENS_NPM_CACHE, default
// /var/cache/sla-lens/npm), built with the files and options README.md's "Use it from npm" gives
// (read from that section; Vite's development server too), and each page loaded in headless
// Chromium with the clock fixed:
// every badge shows what `sla-lens eval` says of the same tickets under the same policy. Node
// (ESM) and Deno (the npm package `deno`) evaluate through the package's three engine entry
// points and get exactly the CLI's results; a TypeScript file using every entry point checks
// against the package's .d.ts. The projects live in a temporary directory outside
// the checkout, removed afterwards.
//   make test-package
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { badgeView } from '../../www/badge-view.js';
import { version } from '../../scripts/version.mjs';

const execFile = promisify(execFileCb);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TGZ = join(ROOT, `dist/sla-lens-${version()}.tgz`);
const CLI = process.env.SLA_LENS_BIN ?? join(ROOT, 'target/debug/sla-lens');
const CACHE = process.env.SLA_LENS_NPM_CACHE ?? '/var/cache/sla-lens/npm';
const LOCK = process.env.SLA_LENS_BROWSER_LOCK ?? '/tmp/sla-lens-browser.lock';
const SHOTS = process.env.SLA_LENS_SHOTS; // a directory for each page's screenshot (optional)
const POLICY = join(ROOT, 'policies/business-hours.json');
const TICKETS = join(ROOT, 'tests/golden/tickets-business.json');
const NOW = '2026-11-27T12:00:00Z';

/** The versions the README names and the test installs. */
const PINS = {
  vite: '8.4.0',
  webpack: '5.112.2',
  'webpack-cli': '7.3.1',
  esbuild: '0.28.2',
  rollup: '4.68.8',
  '@rollup/plugin-node-resolve': '16.0.3',
  '@web/rollup-plugin-import-meta-assets': '2.3.3',
  parcel: '2.16.4',
  deno: '2.9.6',
};
const pinned = (...names) => names.map((n) => `${n}@${PINS[n]}`);

// README.md, "Use it from npm": its fenced blocks whose first line names a file.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SECTION = readme.slice(
  readme.indexOf('\n## Use it from npm\n'),
  readme.indexOf('\n## ', readme.indexOf('\n## Use it from npm\n') + 5),
);
const FILES = Object.fromEntries(
  [...SECTION.matchAll(/```\w+\n((?:<!-- |\/\/ )([\w./-]+\.(?:html|js|mjs))(?: -->)?\n[\s\S]*?)```/g)].map((m) => [
    m[2],
    m[1],
  ]),
);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** A static server on 127.0.0.1 for DIR; resolves to its URL. */
function serve(dir) {
  const server = createServer(async (req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = normalize(join(dir, p));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(await readFile(file));
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`)),
  );
}

const servers = [];
let work;
let expected;
let cliResults;

/** `npm …` in DIR with the shared cache. */
const npm = (dir, args) =>
  execFile('npm', args, {
    cwd: dir,
    env: { ...process.env, npm_config_cache: CACHE, npm_config_update_notifier: 'false' },
    maxBuffer: 1 << 26,
  });

/** A new project as the README makes one, with the tarball and PACKAGES installed. */
async function project(name, packages) {
  const dir = join(work, `app-${name}`);
  mkdirSync(dir);
  await npm(dir, ['init', '-y']);
  await npm(dir, ['pkg', 'set', 'type=module']);
  await npm(dir, ['pkg', 'delete', 'main']);
  await npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', ...packages]);
  await npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', TGZ]);
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules/sla-lens/package.json'), 'utf8'));
  assert.equal(installed.version, version());
  return dir;
}

/** Writes FILES (name → text) into DIR. */
function write(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** The page's index.html for a bundler that does not read HTML: the README's, with its bundle. */
const pageFor = (script) => FILES['index.html'].replace('<script type="module" src="/src/main.js"></script>', script);

/** The data files the README puts in public/. */
function data(dir) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(POLICY, join(dir, 'policy.json'));
  copyFileSync(TICKETS, join(dir, 'tickets.json'));
}

const run = (dir, bin, args) =>
  execFile(join(dir, 'node_modules/.bin', bin), args, {
    cwd: dir,
    maxBuffer: 1 << 26,
    env: { ...process.env, CI: 'true' },
  });

/** A port free on 127.0.0.1 now. */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Serves DIST, reads its badges in Chromium (under the browser lock) and holds them to the CLI. */
async function checkPage(name, dist) {
  const wasm = readdirSync(dist, { recursive: true }).filter((f) => String(f).endsWith('.wasm'));
  assert.ok(wasm.length > 0, `${name}: the build has no .wasm file`);
  await checkUrl(name, await serve(dist));
}

/** Reads the badges of the page at URL in Chromium (under the browser lock); holds them to the CLI. */
async function checkUrl(name, url) {
  const args = ['-o', LOCK, process.execPath, join(ROOT, 'tests/package/read-badges.mjs'), url, NOW];
  if (SHOTS) args.push(join(SHOTS, `package-${name}.png`));
  const { stdout } = await execFile('flock', args, { maxBuffer: 1 << 24 });
  const { badges, failed, errors } = JSON.parse(stdout);
  assert.deepEqual(errors, [], `${name}: page errors`);
  assert.deepEqual(failed, [], `${name}: failed requests`);
  assert.equal(badges.length, expected.length);
  assert.deepEqual(badges, expected);
}

before(() => {
  assert.ok(existsSync(TGZ), `${TGZ} is missing: make package`);
  for (const f of ['index.html', 'src/main.js', 'rollup.config.mjs'])
    assert.ok(FILES[f], `README.md "Use it from npm" has no ${f} block`);
  for (const n of ['vite', 'webpack', 'esbuild', 'rollup', 'parcel']) assert.match(SECTION, new RegExp(`\\b${n}\\b`));
  assert.match(SECTION, new RegExp(`npm install --save-dev vite@${PINS.vite.replaceAll('.', '\\.')}\\n`));
  assert.match(SECTION, /\nnpm init -y && npm pkg set type=module && npm pkg delete main\n/);
  mkdirSync(CACHE, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'sla-lens-package-'));
  const out = JSON.parse(
    execFileSync(CLI, ['eval', '--policy', POLICY, '--now', NOW, TICKETS], { encoding: 'utf8', maxBuffer: 1 << 26 }),
  );
  cliResults = out.results;
  expected = cliResults.map((r) => {
    const v = badgeView(r, Date.parse(NOW));
    return { id: String(r.id), state: r.evaluation.state, text: v.text, escalation: v.escalation };
  });
  // The comparison means something: the tickets are in more than one state.
  assert.ok(new Set(expected.map((e) => e.state)).size >= 3, JSON.stringify(expected));
});

after(() => {
  for (const s of servers) s.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// Each bundler's project, installed and built (two at a time: most of it is npm and the builds);
// each resolves to the directory to serve. Started together in `before`, awaited by the tests.
const BUILDS = {
  async vite() {
    const dir = await project('vite', pinned('vite'));
    write(dir, { 'index.html': FILES['index.html'], 'src/main.js': FILES['src/main.js'] });
    data(join(dir, 'public'));
    await run(dir, 'vite', ['build']);
    viteProject = dir;
    return join(dir, 'dist');
  },
  async webpack() {
    const dir = await project('webpack', pinned('webpack', 'webpack-cli'));
    write(dir, { 'src/main.js': FILES['src/main.js'] });
    await run(dir, 'webpack', ['--mode', 'production', '--entry', './src/main.js', '--output-path', 'dist']);
    write(join(dir, 'dist'), { 'index.html': pageFor('<script src="main.js"></script>') });
    data(join(dir, 'dist'));
    return join(dir, 'dist');
  },
  async parcel() {
    const dir = await project('parcel', pinned('parcel'));
    write(dir, { 'index.html': FILES['index.html'], 'src/main.js': FILES['src/main.js'] });
    await run(dir, 'parcel', ['build', 'index.html', '--no-cache']);
    data(join(dir, 'dist'));
    return join(dir, 'dist');
  },
  async esbuild() {
    const dir = await project('esbuild', pinned('esbuild'));
    const main = FILES['src/main.js']
      .replace(
        "import { load, Board } from 'sla-lens';",
        "import { load, Board } from 'sla-lens';\nimport wasm from 'sla-lens/sla_lens_bg.wasm';",
      )
      .replace('await load()', 'await load(wasm)');
    assert.notEqual(main, FILES['src/main.js']);
    assert.match(SECTION, /import wasm from 'sla-lens\/sla_lens_bg\.wasm';/);
    assert.match(SECTION, /--loader:\.wasm=file/);
    write(dir, { 'src/main.js': main });
    await run(dir, 'esbuild', ['src/main.js', '--bundle', '--format=esm', '--loader:.wasm=file', '--outdir=dist']);
    write(join(dir, 'dist'), { 'index.html': pageFor('<script type="module" src="main.js"></script>') });
    data(join(dir, 'dist'));
    return join(dir, 'dist');
  },
  async rollup() {
    const dir = await project(
      'rollup',
      pinned('rollup', '@rollup/plugin-node-resolve', '@web/rollup-plugin-import-meta-assets'),
    );
    write(dir, { 'src/main.js': FILES['src/main.js'], 'rollup.config.mjs': FILES['rollup.config.mjs'] });
    await run(dir, 'rollup', ['-c']);
    write(join(dir, 'dist'), { 'index.html': pageFor('<script type="module" src="main.js"></script>') });
    data(join(dir, 'dist'));
    return join(dir, 'dist');
  },
  async api() {
    const dir = await project('api', pinned('deno'));
    write(dir, { 'check.mjs': API_CHECK, 'types.ts': TYPES_CHECK, 'tsconfig.json': TSCONFIG });
    data(dir);
    return dir;
  },
};

/** @type {Record<string, Promise<string>>} */
const built = {};
let viteProject;
let running = 0;
const queue = [];
const next = () => {
  while (running < 2 && queue.length) {
    running += 1;
    queue.shift()();
  }
};
before(() => {
  for (const [name, build] of Object.entries(BUILDS)) {
    built[name] = new Promise((resolve, reject) => {
      queue.push(() =>
        build()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          }),
      );
    });
    built[name].catch(() => {}); // awaited (and reported) by its test
  }
  next();
});

describe('the npm package in each bundler, in Chromium: badges equal sla-lens eval', { concurrency: false }, () => {
  it('Vite (no config): vite build', async () => {
    await checkPage('vite', await built.vite);
  });
  it('Vite (no config): its development server, `npx vite`', async () => {
    await built.vite;
    const port = await freePort();
    const dev = spawn(
      join(viteProject, 'node_modules/.bin/vite'),
      ['--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      {
        cwd: viteProject,
        // NO_COLOR: with CI set, Vite's colours split the URL it prints ("127.0.0.1:" bold port).
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise((resolve, reject) => {
        let out = '';
        const late = setTimeout(() => reject(new Error(`vite did not say it serves in 60 s: ${out}`)), 60_000);
        dev.stdout.on('data', (d) => {
          // Colour codes removed all the same (a terminal setting must not hang the test).
          out += String(d).replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
          if (out.includes(`127.0.0.1:${port}`)) {
            clearTimeout(late);
            resolve(undefined);
          }
        });
        dev.on('exit', (code) => {
          clearTimeout(late);
          reject(new Error(`vite exited (${code}): ${out}`));
        });
      });
      await checkUrl('vite-dev', `http://127.0.0.1:${port}/`);
    } finally {
      dev.kill();
    }
  });
  it('webpack 5 (no config)', async () => {
    await checkPage('webpack', await built.webpack);
  });
  it('Parcel (no config)', async () => {
    await checkPage('parcel', await built.parcel);
  });
  it('esbuild (its file loader for the .wasm, as the README says)', async () => {
    await checkPage('esbuild', await built.esbuild);
  });
  it('Rollup (node-resolve and import-meta-assets, the README rollup.config.mjs)', async () => {
    await checkPage('rollup', await built.rollup);
  });
});

// The API in Node and Deno: the shim's load(), and init() of sla-lens/engine and
// sla-lens/engine-small, each evaluating the tickets under the policy.
const API_CHECK = `
import { readFile } from 'node:fs/promises';
import { load } from 'sla-lens';
import initFull, * as full from 'sla-lens/engine';
import initSmall, * as small from 'sla-lens/engine-small';

const policy = await readFile('policy.json', 'utf8');
const tickets = await readFile('tickets.json', 'utf8');
const now = Date.parse('${NOW}');
const { SlaEngine } = await load();
await initFull();
await initSmall();
console.log(JSON.stringify({
  shim: new SlaEngine(policy).evaluate(tickets, now),
  engine: new full.SlaEngine(policy).evaluate(tickets, now),
  small: new small.SlaEngine(policy).evaluate(JSON.parse(tickets), now),
}));
`;

// A TypeScript user of every entry point: the package's .d.ts resolve through its exports map and
// type the API (the @ts-expect-error lines fail the check should a type be lost to `any`).
const TYPES_CHECK = `
import { load, Board, setClock, badgeView } from 'sla-lens';
import 'sla-lens/badge';
import init, { SlaEngine, validatePolicy, type TicketResult } from 'sla-lens/engine';
import initSmall, { SlaEngine as SmallEngine } from 'sla-lens/engine-small';
import 'sla-lens/board';
import 'sla-lens/review';
import { load as loadEmbedded } from 'sla-lens/embed';

export async function use(policy: string): Promise<TicketResult[]> {
  const api = await load();
  await loadEmbedded();
  await init();
  await initSmall();
  const engine: SlaEngine = new api.SlaEngine(policy);
  const small: SmallEngine = new SmallEngine(policy);
  small.free();
  const ok: boolean = validatePolicy(policy).ok;
  const board = new Board(engine);
  board.mount(document);
  setClock(() => 0);
  const results = engine.evaluate('[]', Date.now());
  const text: string = badgeView(results[0], 0).text;
  // @ts-expect-error: a policy is text, not a number
  new api.SlaEngine(42);
  // @ts-expect-error: Board takes an engine
  new Board(policy);
  return ok && text ? results : [];
}
`;
const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'es2022',
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['esnext', 'dom', 'dom.iterable'],
    types: [],
  },
  files: ['types.ts'],
});

describe("the npm package's API: its types in TypeScript; in Node and Deno what sla-lens eval prints", {
  concurrency: false,
}, () => {
  let dir;
  before(async () => {
    dir = await built.api;
  });
  const holds = (stdout) => {
    const got = JSON.parse(stdout);
    for (const k of ['shim', 'engine', 'small']) assert.deepEqual(JSON.parse(JSON.stringify(got[k])), cliResults, k);
  };

  it("TypeScript: every entry point's .d.ts types its API", async () => {
    await execFile(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
  });

  it('Node (ESM)', async () => {
    const { stdout } = await execFile(process.execPath, ['check.mjs'], { cwd: dir, maxBuffer: 1 << 26 });
    holds(stdout);
  });

  it('Deno', async () => {
    const { stdout } = await execFile(join(dir, 'node_modules/.bin/deno'), ['run', '--allow-read', 'check.mjs'], {
      cwd: dir,
      maxBuffer: 1 << 26,
      env: { ...process.env, DENO_DIR: join(CACHE, '..', 'deno'), DENO_NO_UPDATE_CHECK: '1' },
    });
    holds(stdout);
  });
});
