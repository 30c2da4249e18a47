// The package's `sla-lens/engine` in Node and Deno (the "node" export condition): wasm-bindgen's
// glue, whose `init()` with no module reads `pkg/sla_lens_bg.wasm` from disk (Node's fetch does not
// read file: URLs) instead of fetching it.
import { readFile } from 'node:fs/promises';
import init from '../pkg/sla_lens.js';

export * from '../pkg/sla_lens.js';

/** The glue's `init`; with no module (or `{}`), this package's `pkg/sla_lens_bg.wasm`. */
export default function initFromDisk(input) {
  const empty =
    input === undefined || (Object.getPrototypeOf(input) === Object.prototype && input.module_or_path === undefined);
  return init(empty ? { module_or_path: readFile(new URL('../pkg/sla_lens_bg.wasm', import.meta.url)) } : input);
}
