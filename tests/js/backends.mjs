// The Wasm API from each JS backend the project ships, so one suite runs over all of them:
//   nodejs  www/pkg-node (wasm-bindgen --target nodejs, CommonJS)
//   web     www/pkg      (wasm-bindgen --target web, ES module), instantiated from bytes
//   fast    www/pkg's glue with sla_lens_fast_bg.wasm (the same crate at opt-level 3, what the
//           dashboards load), in a module instance of its own
// The browser backend runs the same module in Chromium in tests/e2e.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';

const require = createRequire(import.meta.url);
const www = new URL('../../www/', import.meta.url);

export const BACKENDS = {
  async nodejs() {
    return require('../../www/pkg-node/sla_lens.js');
  },
  async web() {
    const mod = await import(new URL('pkg/sla_lens.js', www));
    const bytes = await readFile(new URL('pkg/sla_lens_bg.wasm', www));
    await mod.default({ module_or_path: bytes });
    return mod;
  },
  async fast() {
    // Another URL, another instance of the glue (its Wasm state is per module instance).
    const mod = await import(new URL('pkg/sla_lens.js?fast', www));
    const bytes = await readFile(new URL('pkg/sla_lens_fast_bg.wasm', www));
    await mod.default({ module_or_path: bytes });
    return mod;
  },
};
