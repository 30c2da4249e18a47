// The engine port of a page session (issue #15, item 1): what a JS host's session asks of the
// Rust engine — which page a URL is, which links are issues, mapping REST answers to tickets,
// and evaluating. `wasmPort` is its implementation over the Wasm module in the page (annotate.js);
// the extension's worker, reached by messages, is to be the second. A session holds no other
// handle on the engine than its port (and the port's `engine`, which the page's Boards evaluate
// with).

import { Fault, rejectedFault } from './net.js';

/**
 * @typedef {object} Mapping
 * @property {Map<string, object>} tickets   mapped tickets by issue id
 * @property {Map<string, Fault>} errors     issues whose data cannot be read
 * @property {Map<number, Fault>} rejected   whole answers set aside, by their position in `texts`
 */

/**
 * @typedef {object} EnginePort
 * @property {(href: string) => import('../pkg/sla_lens.js').TrackerPage | null} detectPage
 *   the page `href` is (null when not a tracker page, or when detection failed)
 * @property {(hrefs: string[]) => (string | null)[]} issueLinks  the issue each link points to
 * @property {(texts: string[]) => Mapping} map  maps REST answers (never throws)
 * @property {(tickets: object[]) => Set<string> | null} applies  ids the policy applies to
 *   (null when evaluation failed)
 * @property {import('../pkg/sla_lens.js').SlaEngine} engine  what the page's Boards evaluate with
 */

/**
 * The engine port over the Wasm module in the page.
 * @param {{ api: any, engine: any, tracker: string, label: string, site: any, now: () => number,
 *   onError?: (where: string, e: unknown) => void }} o
 * @returns {EnginePort}
 */
export function wasmPort({ api, engine, tracker, label, site, now, onError }) {
  const problem = (where, e) => onError?.(where, e);
  return {
    engine,
    detectPage(href) {
      try {
        const u = new URL(href);
        return api.detectPage(tracker, u.pathname + u.search, site);
      } catch (e) {
        problem('detect', e);
        return null;
      }
    },
    issueLinks(hrefs) {
      if (!hrefs.length) return [];
      try {
        return api.issueLinks(tracker, hrefs, site);
      } catch (e) {
        problem('links', e);
        return hrefs.map(() => null);
      }
    },
    map(texts) {
      const tickets = new Map();
      const errors = new Map();
      const rejected = new Map();
      if (!texts.length) return { tickets, errors, rejected };
      let m;
      try {
        m = api.mapResponses(tracker, texts, site);
      } catch (e) {
        problem('map', e);
        const f = new Fault('unreadable', `sla-lens could not map ${label}'s answers: ${e?.message ?? e}`);
        texts.forEach((_, i) => {
          rejected.set(i, f);
        });
        return { tickets, errors, rejected };
      }
      for (const t of m.tickets) tickets.set(String(t.id), t);
      for (const e of m.errors) {
        if (e.id != null) errors.set(String(e.id), new Fault('unreadable', `${label}'s data for this issue cannot be read: ${e.message}${e.path ? ` (at ${e.path})` : ''}`));
      }
      for (const r of m.rejected) {
        rejected.set(r.input, rejectedFault(label, r));
      }
      return { tickets, errors, rejected };
    },
    applies(tickets) {
      try {
        const results = engine.evaluate(tickets, now());
        return new Set(results.filter((r) => r.evaluation?.applicability.kind === 'applies').map((r) => String(r.id)));
      } catch {
        return null;
      }
    },
  };
}
