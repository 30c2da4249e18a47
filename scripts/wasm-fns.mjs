// The shipped module's code by function and by group, to see what the code budget goes to.
//   node scripts/wasm-fns.mjs [--top N] [MODULE.wasm]
// Without MODULE, builds a copy of the shipped module that keeps its name section from the
// cargo output (`make wasm` first): wasm-bindgen as scripts/wasm-build.sh runs it, then wasm-opt
// with the same passes and `-g` (names only; the code is the shipped code, give or take a few
// bytes). Per group: raw bytes, gzip of the group's functions alone, and what the whole code
// section's gzip size drops by without them ("saved if gone": the figure to compare, since
// near-identical copies of generic code cost little once compressed).
import { readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { demangle, functions } from './wasm-names.mjs';

const args = process.argv.slice(2);
let top = 40;
let input = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else input = args[i];
}
if (!input) {
  const raw = `${process.env.CARGO_TARGET_DIR ?? 'target'}/wasm32-unknown-unknown/release/sla_lens.wasm`;
  const dir = 'target/wasm-fns';
  mkdirSync(dir, { recursive: true });
  execFileSync('wasm-bindgen', [raw, '--target', 'web', '--out-dir', dir, '--remove-producers-section'], {
    stdio: 'inherit',
  });
  input = `${dir}/sla_lens_bg.named.wasm`;
  execFileSync(
    'node_modules/.bin/wasm-opt',
    [
      '-O',
      '-g',
      '--skip-pass=memory-packing',
      '--skip-pass=inlining-optimizing',
      `${dir}/sla_lens_bg.wasm`,
      '-o',
      input,
    ],
    { stdio: 'inherit' },
  );
}

const gz = (b) => gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** The group a (demangled) function name belongs to; first match wins. */
const GROUPS = [
  ['serde_path_to_error', /serde_path_to_error/],
  ['serde-wasm-bindgen', /serde_wasm_bindgen/],
  ['serde_json::Value (de, ser, map)', /serde_json::value|serde_json::map/],
  ['serde_json reader (text → types)', /serde_json::(de|read)/],
  ['serde_json writer + Serialize impls', /serde_json::ser|serde(_core)?::ser::|Serializ|::serialize/],
  ['serde: Deserialize impls, visitors, located', /serde|Deserializ|Visitor|sla_lens::located/],
  ['sort (core::slice::sort)', /core::slice::sort/],
  ['BTreeMap (alloc::collections::btree)', /alloc::collections::btree/],
  ['fmt: float formatting', /flt2dec|dragon|grisu|float_to_decimal|float_to_exponential|zmij|ryu/],
  ['fmt: core::fmt', /core::fmt|alloc::fmt|format_inner/],
  ['chrono', /chrono/],
  ['tz-rs', /^_?<?tz::|tz::timezone|tz::datetime/],
  ['csv_core', /csv_core/],
  ['wasm-bindgen, js-sys (+ glue exports)', /wasm_bindgen|js_sys|__wbg|__wbindgen|externref/],
  ['runtime (dlmalloc, builtins)', /dlmalloc|compiler_builtins|__rust|memcpy|memset|memmove|memcmp|^__/],
  ['sla_lens::read: hand-written readers (Read impls)', /sla_lens::read/],
  ['sla_lens::adapters::csv', /sla_lens::adapters::csv/],
  ['sla_lens::adapters (trackers, site)', /sla_lens::adapters/],
  ['sla_lens::wasm (binding)', /sla_lens::wasm/],
  ['sla_lens::policy', /sla_lens::policy/],
  ['sla_lens::report', /sla_lens::report/],
  ['sla_lens::ticket', /sla_lens::ticket/],
  ['sla_lens::eval + explain', /sla_lens::(eval|explain)/],
  ['sla_lens::calendar + zone + duration + review', /sla_lens::(calendar|zone|duration|review)/],
  ['sla_lens (other)', /sla_lens/],
  ['core/alloc/std (other)', /(^|<|_)(core|alloc|std|hashbrown)::|\$core|\$alloc|\$std/],
  ['other (unnamed, closures)', /./],
];
const groupOf = (name) => GROUPS.find(([, re]) => re.test(name))[0];

const b = readFileSync(input);
const fns = functions(b).map((f) => ({ ...f, name: demangle(f.name) }));
const codeAll = Buffer.concat(fns.map((f) => f.body));
const whole = gz(codeAll);
const byGroup = new Map();
for (const f of fns) {
  const g = groupOf(f.name);
  if (!byGroup.has(g)) byGroup.set(g, []);
  byGroup.get(g).push(f);
}
console.log(`${input}: ${fns.length} functions, code ${kb(codeAll.length)} raw, ${kb(whole)} gzip`);
console.log(
  `${'group'.padEnd(46)} ${'fns'.padStart(5)} ${'raw'.padStart(10)} ${'gzip alone'.padStart(11)} ${'saved if gone'.padStart(14)}`,
);
const rows = [...byGroup].map(([g, list]) => {
  const raw = list.reduce((a, f) => a + f.size, 0);
  const alone = gz(Buffer.concat(list.map((f) => f.body)));
  const without = gz(Buffer.concat(fns.filter((f) => groupOf(f.name) !== g).map((f) => f.body)));
  return { g, n: list.length, raw, alone, saved: whole - without };
});
for (const r of rows.sort((x, y) => y.saved - x.saved)) {
  console.log(
    `${r.g.padEnd(46)} ${String(r.n).padStart(5)} ${kb(r.raw).padStart(10)} ${kb(r.alone).padStart(11)} ${kb(r.saved).padStart(14)}`,
  );
}
console.log(`\ntop ${top} functions (raw bytes):`);
for (const f of [...fns].sort((x, y) => y.size - x.size).slice(0, top)) {
  console.log(`${String(f.size).padStart(7)}  ${f.name.slice(0, 150)}`);
}
