// Size of what a page downloads (the .wasm and the JS glue, gzipped), against the budget, and
// the module by part. `make wasm-size` (after `make wasm`); exits 1 when over the budget.
// Two modules (scripts/wasm-build.sh): the engine module (www/pkg-engine: SlaEngine, evaluate,
// explain, nextChange, ticket sets, rows, the calendar API, every IANA zone), which a page that
// evaluates canonical tickets loads and the 200 KB budget is for; and the full module (www/pkg:
// the engine plus tracker responses and exports, CSV exports and the review report), which the
// tracker pages, the extension and the Redmine plugin load; and the same full module at opt-level
// 3 (www/pkg/sla_lens_fast_bg.wasm, sharing www/pkg's glue), which the dashboards load for speed.
// The parts below are the full module's.
//   by section: code vs data of the shipped (wasm-opt'ed) module;
//   tz:         examples/tz_probe.rs (every zone by name, offset and local-time lookups) built
//               for wasm32 with the same profile and wasm-opt flags: its data section is the
//               zone tables, its code the zone code (tz-rs, the lookups, what std they need);
//   by crate:   the code of the unoptimised cargo output, whose name section names every
//               function (shares only: wasm-opt shrinks all parts; gzip figures per crate are
//               the code's gzip size split by those shares, an estimate).
//   SIZE_NO_PROBE=1 skips the probe build.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { functions, part, sections } from './wasm-names.mjs';

const BUDGET_GZ = 200 * 1024;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** The crate of a (legacy-mangled or demangled) function name. */
function crateOf(name) {
  let first = name;
  const mangled = /^_ZN(\d+)/.exec(name);
  if (mangled) {
    const len = Number(mangled[1]);
    first = name
      .substr(mangled[0].length, len)
      .replace(/^_?\$LT\$/, '')
      .replace(/^_/, '');
    first = first.split('..')[0].split('$')[0];
  } else {
    first = name.replace(/^<+/, '').split('::')[0].split('[')[0];
  }
  const c =
    /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(first) && first !== name
      ? first
      : name.startsWith('__') || name.startsWith('dlmalloc')
        ? 'runtime'
        : 'other';
  if (['core', 'alloc', 'std', 'dlmalloc', 'compiler_builtins', 'hashbrown'].includes(c)) return 'core/alloc/std';
  if (c.startsWith('serde') || c === 'zmij' || c === 'itoa' || c === 'ryu')
    return 'serde, serde_json, serde-wasm-bindgen';
  if (c === 'wasm_bindgen' || c === 'js_sys') return 'wasm-bindgen, js-sys';
  if (c === 'sla_lens') {
    if (/serde(_core)?(::|\.\.)(de|ser)|Deserialize|Serialize|Visitor/.test(name))
      return 'serde, serde_json, serde-wasm-bindgen';
    return 'sla_lens (engine + binding)';
  }
  if (c === 'chrono_tz' || c === 'tz' || c === 'tzdb_data') return 'tz-rs, tzdb_data (code)';
  if (c === 'chrono') return 'chrono';
  return c;
}

/** Code bytes per crate, from a module with a name section. */
function codeByCrate(b) {
  const per = new Map();
  for (const { name, size } of functions(b)) {
    const c = crateOf(name);
    per.set(c, (per.get(c) ?? 0) + size);
  }
  return per;
}

/** Prints a module's download (wasm + glue), gzip and brotli; returns the gzip total. */
function download(dir, title, budget, file = 'sla_lens_bg.wasm') {
  const w = readFileSync(`${dir}/${file}`);
  const g = readFileSync(`${dir}/sla_lens.js`);
  const t = gz(w) + gz(g);
  const verdict = budget ? `   budget ${kb(budget)} gzip: ${t <= budget ? 'within' : `OVER by ${kb(t - budget)}`}` : '';
  console.log(`${title} (${dir}, --target web)`);
  console.log(
    `  ${file.padEnd(18)} ${kb(w.length).padStart(10)} raw  ${kb(gz(w)).padStart(9)} gzip  ${kb(br(w)).padStart(9)} brotli`,
  );
  console.log(
    `  sla_lens.js glue   ${kb(g.length).padStart(10)} raw  ${kb(gz(g)).padStart(9)} gzip  ${kb(br(g)).padStart(9)} brotli`,
  );
  console.log(
    `  total              ${''.padStart(10)}      ${kb(t).padStart(9)} gzip  ${kb(br(w) + br(g)).padStart(9)} brotli${verdict}`,
  );
  const c = part(w, 10);
  const d = part(w, 11);
  console.log(`  code ${kb(c.length)} raw / ${kb(gz(c))} gzip, data ${kb(d.length)} raw / ${kb(gz(d))} gzip`);
  return t;
}

const total = download('www/pkg-engine', 'engine module: what a badge page loads', BUDGET_GZ);
download('www/pkg', 'full module: + tracker responses and exports, CSV exports, the review report');
download('www/pkg', 'fast full module: the same at opt-level 3, what the dashboards load', 0, 'sla_lens_fast_bg.wasm');
const wasm = readFileSync('www/pkg/sla_lens_bg.wasm');
const secs = sections(wasm);
const code = part(wasm, 10);
const data = part(wasm, 11);
const row = (label, raw, gzip, note = '') =>
  console.log(
    `  ${label.padEnd(40)} ${kb(raw).padStart(10)} raw  ${gzip === null ? ''.padStart(9) : kb(gzip).padStart(9)} gzip${note ? `   ${note}` : ''}`,
  );
console.log('by section (full module)');
row('code', code.length, gz(code));
row('data', data.length, gz(data), '(zone tables + strings)');
console.log(
  `  custom sections    ${
    secs
      .filter((s) => s.id === 0)
      .map((s) => s.name)
      .join(', ') || '(none)'
  }`,
);

// The zone part alone: examples/tz_probe.rs, same profile and wasm-opt flags as the build.
let tz = null;
if (!process.env.SIZE_NO_PROBE) {
  const targetDir = process.env.CARGO_TARGET_DIR ?? 'target';
  execFileSync(
    'cargo',
    [
      'build',
      '--release',
      '--target',
      'wasm32-unknown-unknown',
      '--example',
      'tz_probe',
      '--no-default-features',
      '--quiet',
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, CARGO_PROFILE_RELEASE_OPT_LEVEL: process.env.WASM_OPT_LEVEL ?? 'z' },
    },
  );
  const probe = `${targetDir}/wasm32-unknown-unknown/release/examples/tz_probe.wasm`;
  const opt = `${targetDir}/tz_probe.opt.wasm`;
  execFileSync(
    'node_modules/.bin/wasm-opt',
    ['-O', '--skip-pass=memory-packing', '--skip-pass=inlining-optimizing', probe, '-o', opt],
    { stdio: 'inherit' },
  );
  const b = readFileSync(opt);
  tz = { code: part(b, 10), data: part(b, 11) };
}

console.log('by part (full module; gzip of a part alone, so the parts add up to a little more than the whole)');
if (tz) {
  row('tz data: zone tables, all zones (probe)', tz.data.length, gz(tz.data));
  row('tz code: tz-rs + lookups (probe)', tz.code.length, gz(tz.code), '(includes the std code it needs)');
  row(
    'other data (strings, policy texts, tables)',
    data.length - tz.data.length,
    Math.max(0, gz(data) - gz(tz.data)),
    "(data minus the probe's)",
  );
}
const raw = 'target/wasm32-unknown-unknown/release/sla_lens.wasm';
if (existsSync(raw)) {
  const per = codeByCrate(readFileSync(raw));
  const sum = [...per.values()].reduce((a, b) => a + b, 0);
  const codeGz = gz(code);
  console.log(
    `  code by crate (shares of the unoptimised cargo output's ${kb(sum)} of code, scaled to the shipped code):`,
  );
  for (const [c, n] of [...per].sort((a, b) => b[1] - a[1]).slice(0, 9)) {
    row(`  ${c} ${((100 * n) / sum).toFixed(1)} %`, (code.length * n) / sum, (codeGz * n) / sum, '(estimate)');
  }
}
const over = total - BUDGET_GZ;
console.log(
  over > 0
    ? `engine module OVER the ${kb(BUDGET_GZ)} gzip budget by ${kb(over)}`
    : `engine module within the ${kb(BUDGET_GZ)} gzip budget (${kb(-over)} to spare)`,
);
process.exitCode = over > 0 ? 1 : 0;
