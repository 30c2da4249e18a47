// Wasm instantiate time in headless Chromium (Debian's): fetch + compile + instantiate of
// www/pkg through the shim's load() (streaming), and the parts separately. Target: ≤ 20 ms.
//   make bench-wasm   (or: node bench/js/instantiate.mjs [runs])
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveWww } from '../../tests/e2e/server.mjs';
import { CHROME, CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const RUNS = Number(process.argv[2]) || 15;
const server = await serveWww();
const profile = mkdtempSync(join(tmpdir(), 'sla-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROME,
  headless: true,
  args: CHROMIUM_ARGS,
});
const rows = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    await page.goto(`${server.url}blank`);
    rows.push(
      await page.evaluate(async () => {
        const t0 = performance.now();
        const shim = await import('/sla-lens.js');
        const t1 = performance.now();
        await shim.load(); // fetch + WebAssembly.instantiateStreaming + wasm-bindgen start
        const t2 = performance.now();
        const engine = (await shim.load()).SlaEngine.defaultPolicy();
        const t3 = performance.now();
        // The parts: fetch, compile, instantiate (a second instance, from the same bytes).
        const bytes = await (await fetch('/pkg/sla_lens_bg.wasm', { cache: 'no-store' })).arrayBuffer();
        const t4 = performance.now();
        const mod = await WebAssembly.compile(bytes);
        const t5 = performance.now();
        const glue = await import('/pkg/sla_lens.js?second');
        const t6 = performance.now();
        glue.initSync({ module: mod });
        const t7 = performance.now();
        const t8 = performance.now();
        await WebAssembly.instantiate(bytes, { './sla_lens_bg.js': new Proxy({}, { get: () => () => {} }) }).catch(
          () => null,
        );
        const t9 = performance.now();
        engine.free();
        return {
          importJs: t1 - t0,
          load: t2 - t1,
          firstEngine: t3 - t2,
          fetch: t4 - t3,
          compile: t5 - t4,
          instantiate: t7 - t6,
          bytesToInstance: t9 - t8,
        };
      }),
    );
    await page.close();
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
const median = (k) => {
  const v = rows.map((r) => r[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const version = context.browser()?.version?.() ?? '';
console.log(`Wasm instantiate in headless Chromium ${version} (median of ${RUNS} fresh pages, ms)`);
console.log(`  load(): fetch + compile + instantiate (streaming)  ${median('load').toFixed(1).padStart(6)}`);
console.log(`  first SlaEngine.defaultPolicy()                    ${median('firstEngine').toFixed(1).padStart(6)}`);
console.log(
  `  from bytes: WebAssembly.compile ${median('compile').toFixed(1)} + instantiate ${median('instantiate').toFixed(1)} = ${(median('compile') + median('instantiate')).toFixed(1)}   target ≤ 20`,
);
console.log(`  WebAssembly.instantiate(bytes) in one step         ${median('bytesToInstance').toFixed(1)}`);
console.log(`  fetch of the .wasm from the 127.0.0.1 test server   ${median('fetch').toFixed(1)}`);
