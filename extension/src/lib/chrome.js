// @ts-check
// The WebExtension API object: `browser` (Firefox, promise-based) or `chrome` (Chromium, whose
// MV3 APIs also return promises). Every call site uses promise forms only.
export const ext = globalThis.browser?.runtime?.id ? globalThis.browser : globalThis.chrome;

/** Sends a message to the service worker; resolves with its answer or rejects with its error. */
/** @param {Record<string, unknown>} msg */
export async function ask(msg) {
  const r = await ext.runtime.sendMessage(msg);
  if (r?.error && r.ok === false) throw Object.assign(new Error(r.error), r);
  return r;
}

/**
 * Whether this browser's match patterns name ports: Chromium's do; Firefox's have none (a pattern
 * with a port there grants nothing on that port), so Firefox asks for the host on every port.
 */
export const matchPorts = typeof globalThis.browser?.runtime?.getBrowserInfo !== 'function';
