// Size of what a page downloads (the .wasm and the JS glue, gzipped), against the budget, and
// the module by part. `make wasm-size` (after `make wasm`).
//   by section: code vs data of the shipped (wasm-opt'ed) module;
//   by crate:   the code of the unoptimised cargo output, whose name section names every
//               function (shares only: wasm-opt shrinks all parts);
//   tz data:    the data section is chrono-tz's zone tables plus the engine's strings; a probe
//               with chrono-tz alone (see BENCHMARKS.md) measures the tables.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const BUDGET_GZ = 200 * 1024;
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function leb(b, i) {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, i];
  }
}

/** Sections of a module: id → [{start, end, name}] (payload ranges). */
function sections(b) {
  const out = [];
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    let n;
    [n, i] = leb(b, i);
    let name = '';
    if (id === 0) {
      const [l, j] = leb(b, i);
      name = b.subarray(j, j + l).toString('utf8');
    }
    out.push({ id, start: i, end: i + n, name });
    i += n;
  }
  return out;
}

/** The crate of a (legacy-mangled or demangled) function name. */
function crateOf(name) {
  let first = name;
  const mangled = /^_ZN(\d+)/.exec(name);
  if (mangled) {
    const len = Number(mangled[1]);
    first = name.substr(mangled[0].length, len).replace(/^_?\$LT\$/, '').replace(/^_/, '');
    first = first.split('..')[0].split('$')[0];
  } else {
    first = name.replace(/^<+/, '').split('::')[0].split('[')[0];
  }
  const c = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(first) && first !== name ? first : name.startsWith('__') || name.startsWith('dlmalloc') ? 'runtime' : 'other';
  if (['core', 'alloc', 'std', 'dlmalloc', 'compiler_builtins', 'hashbrown'].includes(c)) return 'core/alloc/std';
  if (c.startsWith('serde') || c === 'zmij' || c === 'itoa' || c === 'ryu') return 'serde, serde_json, serde-wasm-bindgen';
  if (c === 'wasm_bindgen' || c === 'js_sys') return 'wasm-bindgen, js-sys';
  if (c === 'sla_lens') {
    if (/serde(_core)?(::|\.\.)(de|ser)|Deserialize|Serialize|Visitor/.test(name)) return 'serde, serde_json, serde-wasm-bindgen';
    return 'sla_lens (engine + binding)';
  }
  if (c === 'chrono_tz') return 'chrono-tz (code)';
  if (c === 'chrono') return 'chrono';
  return c;
}

/** Code bytes per crate, from a module with a name section. */
function codeByCrate(b) {
  const secs = sections(b);
  let imported = 0;
  const imp = secs.find((s) => s.id === 2);
  if (imp) {
    let [n, i] = leb(b, imp.start);
    for (let k = 0; k < n; k++) {
      let l;
      [l, i] = leb(b, i);
      i += l;
      [l, i] = leb(b, i);
      i += l;
      const kind = b[i++];
      if (kind === 0) [, i] = leb(b, i);
      else if (kind === 1) { i += 1; const f = b[i++]; [, i] = leb(b, i); if (f & 1) [, i] = leb(b, i); }
      else if (kind === 2) { const f = b[i++]; [, i] = leb(b, i); if (f & 1) [, i] = leb(b, i); }
      else if (kind === 3) i += 2;
      else if (kind === 4) { i += 1; [, i] = leb(b, i); }
      if (kind === 0) imported++;
    }
  }
  const names = new Map();
  const ns = secs.find((s) => s.id === 0 && s.name === 'name');
  if (ns) {
    let [l, i] = leb(b, ns.start);
    i += l;
    while (i < ns.end) {
      const sub = b[i++];
      let size;
      [size, i] = leb(b, i);
      if (sub === 1) {
        let [n, j] = leb(b, i);
        for (let k = 0; k < n; k++) {
          let idx, len;
          [idx, j] = leb(b, j);
          [len, j] = leb(b, j);
          names.set(idx, b.subarray(j, j + len).toString('utf8'));
          j += len;
        }
      }
      i += size;
    }
  }
  const code = secs.find((s) => s.id === 10);
  const per = new Map();
  let [n, i] = leb(b, code.start);
  for (let k = 0; k < n; k++) {
    const [size, j] = leb(b, i);
    const name = names.get(imported + k) ?? '?';
    const c = crateOf(name);
    per.set(c, (per.get(c) ?? 0) + size + (j - i));
    i = j + size;
  }
  return per;
}

const wasmPath = 'www/pkg/sla_lens_bg.wasm';
const gluePath = 'www/pkg/sla_lens.js';
const wasm = readFileSync(wasmPath);
const glue = readFileSync(gluePath);
const total = gz(wasm) + gz(glue);
console.log('shipped (www/pkg, --target web)');
console.log(`  sla_lens_bg.wasm   ${kb(wasm.length).padStart(10)} raw  ${kb(gz(wasm)).padStart(9)} gzip  ${kb(br(wasm)).padStart(9)} brotli`);
console.log(`  sla_lens.js glue   ${kb(glue.length).padStart(10)} raw  ${kb(gz(glue)).padStart(9)} gzip  ${kb(br(glue)).padStart(9)} brotli`);
console.log(`  total              ${''.padStart(10)}      ${kb(total).padStart(9)} gzip  ${kb(br(wasm) + br(glue)).padStart(9)} brotli   budget ${kb(BUDGET_GZ)} gzip: ${total <= BUDGET_GZ ? 'within' : `OVER by ${kb(total - BUDGET_GZ)}`}`);
const secs = sections(wasm);
const part = (id) => Buffer.concat(secs.filter((s) => s.id === id).map((s) => wasm.subarray(s.start, s.end)));
const code = part(10);
const data = part(11);
console.log('by section (shipped module)');
console.log(`  code               ${kb(code.length).padStart(10)} raw  ${kb(gz(code)).padStart(9)} gzip`);
console.log(`  data               ${kb(data.length).padStart(10)} raw  ${kb(gz(data)).padStart(9)} gzip   (chrono-tz zone tables + strings)`);
console.log(`  custom sections    ${secs.filter((s) => s.id === 0).map((s) => s.name).join(', ') || '(none)'}`);

const raw = 'target/wasm32-unknown-unknown/release/sla_lens.wasm';
if (existsSync(raw)) {
  const per = codeByCrate(readFileSync(raw));
  const sum = [...per.values()].reduce((a, b) => a + b, 0);
  console.log(`code by crate (shares of the unoptimised cargo output, ${kb(sum)}; scaled to the shipped code)`);
  for (const [c, n] of [...per].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${c.padEnd(40)} ${(100 * n / sum).toFixed(1).padStart(5)} %  ≈ ${kb(code.length * n / sum).padStart(9)} raw`);
  }
}
