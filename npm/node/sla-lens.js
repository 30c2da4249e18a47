// The package's `sla-lens` (and `sla-lens/badge`) in Node and Deno (the "node" export
// condition): the browser shim, with `load()` reading the Wasm module next to the glue from disk
// by default (Node's fetch does not read file: URLs). Everything else is the shim's own.
import { readFile } from 'node:fs/promises';
import { load as loadShim } from '../sla-lens.js';

export * from '../sla-lens.js';

/** `load()` of the shim; with no source, the module `pkg/sla_lens_bg.wasm` of this package. */
export function load(source) {
  return loadShim(source ?? readFile(new URL('../pkg/sla_lens_bg.wasm', import.meta.url)));
}
