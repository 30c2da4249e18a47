// Reading a Wasm module's sections and its name section (function names), shared by
// scripts/wasm-size.mjs and scripts/wasm-fns.mjs.

export function leb(b, i) {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
    if (x < 0x80) return [r, i];
  }
}

/** Sections of a module: [{id, start, end, name}] (payload ranges). */
export function sections(b) {
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

/** The payloads of every section with this id, concatenated. */
export const part = (b, id) =>
  Buffer.concat(
    sections(b)
      .filter((s) => s.id === id)
      .map((s) => b.subarray(s.start, s.end)),
  );

const ESC = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

/** Demangles a legacy Rust symbol (`_ZN…E`, hash dropped); other names are returned as they are. */
export function demangle(name) {
  // Names the linker already demangled: drop the hash and crate disambiguators.
  if (!name.startsWith('_ZN')) return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');
  const segs = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    const m = /^\d+/.exec(name.slice(i));
    if (!m) return name;
    i += m[0].length;
    segs.push(name.substr(i, Number(m[0])));
    i += Number(m[0]);
  }
  if (segs.length > 1 && /^h[0-9a-f]{16}$/.test(segs[segs.length - 1])) segs.pop();
  return segs
    .map((s) =>
      s
        .replace(/^_\$/, '$')
        .replace(/\.\./g, '::')
        .replace(/\$([A-Z]{1,2})\$/g, (m, k) => ESC[k] ?? m)
        .replace(/\$u([0-9a-f]{2})\$/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    )
    .join('::');
}

/** Every defined function of a module with a name section: [{name, size, body}] (size and body
 *  with the body's length prefix). */
export function functions(b) {
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
      else if (kind === 1) {
        i += 1;
        const f = b[i++];
        [, i] = leb(b, i);
        if (f & 1) [, i] = leb(b, i);
      } else if (kind === 2) {
        const f = b[i++];
        [, i] = leb(b, i);
        if (f & 1) [, i] = leb(b, i);
      } else if (kind === 3) i += 2;
      else if (kind === 4) {
        i += 1;
        [, i] = leb(b, i);
      }
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
  const out = [];
  let [n, i] = leb(b, code.start);
  for (let k = 0; k < n; k++) {
    const [size, j] = leb(b, i);
    out.push({ name: names.get(imported + k) ?? '?', size: size + (j - i), body: b.subarray(i, j + size) });
    i = j + size;
  }
  return out;
}
