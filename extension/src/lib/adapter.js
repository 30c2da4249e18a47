// The tracker REST responses → canonical tickets, through the Rust adapters compiled into the
// Wasm module (src/adapters, the same mapping as `sla-lens eval --tracker`). The worker calls
// this after the engine is loaded.
import * as wasm from '../../../www/pkg/sla_lens.js';

/** Which binding the Wasm module offers (its export names changed while it was being built). */
function binding() {
  return wasm.mapResponses ?? wasm.mapTracker ?? wasm.mapTrackerResponses ?? null;
}

export function adapterInfo() {
  return { available: !!binding() };
}

/**
 * @param {string} kind  redmine | github | gitlab | jira
 * @param {any[]} docs   the tracker's responses, as fetched
 * @param {object} site  the site file (docs/trackers.md)
 * @returns {{ tickets: object[], errors: Record<string,string> }}
 */
export function mapDocs(kind, docs, site) {
  const f = binding();
  if (!f) throw new Error('this build of the Wasm module has no tracker adapters');
  let out;
  try {
    out = f(kind, docs, site);
  } catch (e) {
    // The whole input unreadable (no response of the tracker's shapes): every issue unavailable.
    return { tickets: [], errors: {}, fatal: e.message };
  }
  return normalizeBatch(out);
}

/** Accepts `{tickets, errors}` or an array of `{ticket}|{error}` (per-issue results). */
function normalizeBatch(out) {
  const tickets = [];
  const errors = {};
  const list = Array.isArray(out) ? out : out?.items ?? out?.results ?? null;
  if (list) {
    for (const r of list) {
      if (r?.ticket) tickets.push(r.ticket);
      else if (r?.error) errors[String(r.error.id ?? r.id ?? '?')] = r.error.message ?? String(r.error);
      else if (r?.id != null && r?.created != null) tickets.push(r);
    }
    return { tickets, errors };
  }
  for (const t of out?.tickets ?? []) tickets.push(t);
  for (const e of out?.errors ?? []) errors[String(e.id ?? '?')] = e.message ?? String(e);
  return { tickets, errors };
}
