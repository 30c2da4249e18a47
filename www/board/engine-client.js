// @ts-check
// The page's side of board/engine-worker.js for `<sla-board>`: one Worker per client, requests
// answered by id. The fast module (FAST_MODULE) is fetched and compiled once per page (off the
// main thread: WebAssembly compiles in the background) and given to every worker, which only
// instantiates it: a page with several boards fetches it once.

import { FAST_MODULE } from '../sla-lens.js';

/** @type {Promise<WebAssembly.Module> | null} */
let compiled = null;

/** The fast module compiled (once per page); a failure is retried by the next call. */
export function compiledFastModule() {
  if (!compiled) {
    compiled = (async () => {
      if (!FAST_MODULE)
        throw new Error('the engine module: no URL for it where the shim is bundled into a classic script');
      const res = await fetch(FAST_MODULE);
      if (!res.ok) throw new Error(`the engine module: ${FAST_MODULE} answered ${res.status} ${res.statusText}`);
      if (
        typeof WebAssembly.compileStreaming === 'function' &&
        /^application\/wasm\b/.test(res.headers.get('content-type') ?? '')
      ) {
        return WebAssembly.compileStreaming(res);
      }
      return WebAssembly.compile(await res.arrayBuffer());
    })();
    compiled.catch(() => {
      compiled = null;
    });
  }
  return compiled;
}

export class EngineClient {
  #worker;
  #calls = new Map();
  #seq = 0;
  #closed = false;
  /** Posts wait for the module, so the worker's first message carries it. */
  #module;

  constructor() {
    this.#module = FAST_MODULE ? compiledFastModule() : Promise.resolve(undefined);
    this.#worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
    this.#worker.addEventListener('message', ({ data }) => {
      const pending = this.#calls.get(data.id);
      if (!pending) return;
      this.#calls.delete(data.id);
      if (data.error) pending.reject(Object.assign(new Error(data.error.message), data.error));
      else pending.resolve(data.result);
    });
    this.#worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      this.#fail(new Error(`the engine worker failed: ${e.message ?? 'could not start'}`));
    });
  }

  /** Whether `terminate` was called. */
  get closed() {
    return this.#closed;
  }

  /**
   * Runs engine operation `op` in the worker (engine-worker.js lists them); resolves with its
   * result or rejects with its error (`name`, `message`, `code`, `diagnostics` as thrown there).
   * `transfer`: buffers moved to the worker instead of copied.
   * @param {string} op
   * @param {Record<string, unknown>} [msg]
   * @param {Transferable[]} [transfer]
   */
  async call(op, msg = {}, transfer = []) {
    if (this.#closed) throw closedError();
    const module = await this.#module;
    if (this.#closed) throw closedError();
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, module, ...msg }, transfer);
    });
  }

  /** Stops the worker; what is still out rejects (`name` 'AbortError'). */
  terminate() {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    this.#fail(closedError());
  }

  /** @param {Error} err */
  #fail(err) {
    for (const p of this.#calls.values()) p.reject(err);
    this.#calls.clear();
  }
}

function closedError() {
  return Object.assign(new Error('the engine worker was stopped'), { name: 'AbortError' });
}
