// @ts-check
// The tracker REST responses → canonical tickets, through the Rust adapters compiled into the
// Wasm module (src/adapters, the same mapping as `sla-lens eval --tracker`). The worker calls
// this after the engine is loaded.
import * as wasm from '../../../www/pkg/sla_lens.js';
import { rejectedFault } from '../../../www/trackers/net.js';
import { trackerLabel } from './page-adapter.js';

/**
 * The binding the Wasm module offers: a site-aware mapping `(kind, docs, site)` when present,
 * else `mapExport(kind, docs)`, which maps with the tracker's default site configuration.
 * @returns {{ fn: (kind: import('../../../www/pkg/sla_lens.js').TrackerName, docs: (string | object)[], site: import('../../../www/pkg/sla_lens.js').SiteInput) =>
 *   import('../../../www/pkg/sla_lens.js').MappedIssues | import('../../../www/pkg/sla_lens.js').MappedExport, site: boolean } | null}
 */
function binding() {
  const siteAware = wasm.mapResponses;
  if (siteAware) return { fn: siteAware, site: true };
  if (wasm.mapExport) return { fn: (kind, docs) => wasm.mapExport(kind, docs), site: false };
  return null;
}

export function adapterInfo() {
  const b = binding();
  return { available: !!b, siteMapping: !!b?.site };
}

/**
 * @param {import('../../../www/pkg/sla_lens.js').TrackerName} kind  redmine | github | gitlab | jira
 * @param {any[]} docs   the tracker's responses, as fetched
 * @param {Record<string, any>} site  the site file (docs/trackers.md)
 * @returns {{ tickets: Record<string, any>[], errors: Record<string,string>, rejected: { input: number, reason: string }[], fatal?: string }}
 *   `rejected`: the answers the mapping set aside (by position in `docs`), each with why, in the
 *   page integration's words.
 */
export function mapDocs(kind, docs, site) {
  const b = binding();
  if (!b) throw new Error('this build of the Wasm module has no tracker adapters');
  let out;
  try {
    out = b.fn(kind, docs, site);
  } catch (e) {
    // The whole input unreadable (no response of the tracker's shapes): every issue unavailable.
    return { tickets: [], errors: {}, rejected: [], fatal: /** @type {Error} */ (e).message }; // the mapping throws Errors (MappingError)
  }
  const label = trackerLabel(kind);
  // mapExport's answer (a build without mapResponses) has no `rejected`.
  const aside = /** @type {{ rejected?: import('../../../www/pkg/sla_lens.js').RejectedResponse[] }} */ (out).rejected;
  const rejected = (Array.isArray(aside) ? aside : []).map((r) => ({
    input: Number(r.input),
    reason: rejectedFault(label, r).reason,
  }));
  return { ...normalizeBatch(out), rejected };
}

/**
 * @typedef {{ ticket?: object, error?: { id?: unknown, message?: string }, id?: unknown, created?: unknown }} BatchItem
 */
/**
 * Accepts `{tickets, errors}` or an array of `{ticket}|{error}` (per-issue results).
 * @param {{ tickets?: object[], errors?: { id?: unknown, message?: string }[], items?: BatchItem[], results?: BatchItem[] } | BatchItem[] | null | undefined} out
 */
function normalizeBatch(out) {
  /** @type {object[]} */
  const tickets = [];
  /** @type {Record<string, string>} */
  const errors = {};
  const list = Array.isArray(out) ? out : (out?.items ?? out?.results ?? null);
  if (list) {
    for (const r of list) {
      if (r?.ticket) tickets.push(r.ticket);
      else if (r?.error) errors[String(r.error.id ?? r.id ?? '?')] = r.error.message ?? String(r.error);
      else if (r?.id != null && r?.created != null) tickets.push(r);
    }
    return { tickets, errors };
  }
  const batch = /** @type {Exclude<typeof out, BatchItem[]>} */ (out); // not an array: that returned above
  for (const t of batch?.tickets ?? []) tickets.push(t);
  for (const e of batch?.errors ?? []) errors[String(e.id ?? '?')] = e.message ?? String(e);
  return { tickets, errors };
}
