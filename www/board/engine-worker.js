// The dashboards' heavy engine calls, off the page's main thread: a module Worker that loads the
// same Wasm module and glue as the page would (www/pkg, the fast build) and answers one request
// at a time. `<sla-review>` computes its report here, so a big export never freezes the page
// (BENCHMARKS.md, "Dashboard").
//
//   const w = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
//   w.postMessage({ id: 0, op: 'init', module: url });   // optional: start compiling the module
//   w.postMessage({ id: 1, op: 'load', policy: text | null, tickets: text | bytes });
//   w.postMessage({ id: 2, op: 'report' | 'reportCsv' | 'reportMarkdown', options: {nowMs, from, to, tracker} });
//   // answers: { id, result } or { id, error: { name, message, code?, diagnostics? } }
//
// One engine and one export per worker (each <sla-review> owns its worker); `load` replaces them.

import init, * as wasm from '../pkg/sla_lens.js';

let ready = null;
let engine = null;
let tickets = null;

const OPS = {
  /** Only loads the module (a page sends it first, while it fetches the export). */
  init: () => null,
  load(msg) {
    engine?.free?.();
    engine = null;
    engine = new wasm.SlaEngine(msg.policy ?? wasm.examplePolicy('default'));
    tickets = msg.tickets;
    return { name: engine.name };
  },
  report: (msg) => engine.report(tickets, msg.options),
  reportCsv: (msg) => engine.reportCsv(tickets, msg.options),
  reportMarkdown: (msg) => engine.reportMarkdown(tickets, msg.options),
};

/** An error as data: an `Error`'s own properties (diagnostics, code) do not survive cloning. */
function plain(e) {
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(e),
    ...(e?.code !== undefined ? { code: e.code } : {}),
    ...(e?.diagnostics !== undefined ? { diagnostics: e.diagnostics } : {}),
  };
}

self.addEventListener('message', async ({ data: msg }) => {
  try {
    if (!ready) {
      ready = init({ module_or_path: msg.module ?? new URL('../pkg/sla_lens_fast_bg.wasm', import.meta.url) });
      ready.catch(() => {
        ready = null; // the next request tries again
      });
    }
    await ready;
    const op = OPS[msg.op];
    if (!op) throw new Error(`engine-worker: no operation "${msg.op}"`);
    if (msg.op !== 'load' && msg.op !== 'init' && !engine) throw new Error('engine-worker: load a policy and an export first');
    self.postMessage({ id: msg.id, result: op(msg) });
  } catch (e) {
    self.postMessage({ id: msg.id, error: plain(e) });
  }
});
