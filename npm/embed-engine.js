// The single-file embed's engine: the full Wasm module's bytes, inlined by esbuild's binary
// loader (scripts/package.mjs), handed to the shim's `load()` before anything else asks for it.
import bytes from '../www/pkg/sla_lens_bg.wasm';
import { load } from '../www/sla-lens.js';

load(bytes);
