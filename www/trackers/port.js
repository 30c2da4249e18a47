// @ts-check
// The engine port of a page session (issue #15, item 1): what a JS host's session asks of the
// Rust engine — which page a URL is, which links are issues, mapping REST answers to tickets,
// and evaluating. Two implementations: `wasmPort` below, over the Wasm module in the page
// (annotate.js), and the extension's `workerPort` (extension/src/lib/worker-port.js), over
// messages to its worker, which holds the engine, the site's token and the tickets. Both answer
// `detectPage` and `issueLinks` (the page at once, the worker by message: `Awaitable`); the rest
// is each side's own (the page maps and evaluates here, the worker maps and evaluates there).
// A session holds no other handle on the engine than its port (and the Wasm port's `engine`,
// which the page's Boards evaluate with). tsc holds both implementations to these typedefs
// (tests/js/tsconfig.www.json, tests/js/tsconfig.extension.json).

import { Fault, rejectedFault } from './net.js';

/**
 * @typedef {object} Mapping
 * @property {Map<string, object>} tickets   mapped tickets by issue id
 * @property {Map<string, Fault>} errors     issues whose data cannot be read
 * @property {Map<number, Fault>} rejected   whole answers set aside, by their position in `texts`
 */

/**
 * @template T
 * @typedef {T | Promise<T>} Awaitable
 */

/**
 * What every host's session asks of the engine, on either side (never rejects).
 * @typedef {object} EnginePort
 * @property {(href: string) => Awaitable<import('../pkg/sla_lens.js').TrackerPage | null>} detectPage
 *   the page `href` is (null when not a tracker page, or when detection failed)
 * @property {(hrefs: string[]) => Awaitable<(string | null)[] | null>} issueLinks  the issue each
 *   link points to (null: not answered)
 */

/**
 * The port over the Wasm module in the page: answers at once; maps and evaluates here.
 * @typedef {object} WasmPortOwn
 * @property {(href: string) => import('../pkg/sla_lens.js').TrackerPage | null} detectPage
 * @property {(hrefs: string[]) => (string | null)[]} issueLinks
 * @property {(texts: string[]) => Mapping} map  maps REST answers (never throws)
 * @property {(tickets: object[]) => Set<string> | null} applies  ids the policy applies to
 *   (null when evaluation failed)
 * @property {import('../pkg/sla_lens.js').SlaEngine | null} engine  what the page's Boards evaluate with
 *   (null: a port for the URL rules only, annotate.js `findContext`)
 * @typedef {WasmPortOwn & EnginePort} WasmPort  (its own signatures first: what a call resolves to)
 */

/**
 * A worker's answer with results (the extension's `evaluate`, `fetchEvaluate`, `refresh`
 * messages): `ok: false` with `error` when it could not; `gone` when the worker no longer holds
 * the tab's tickets. Only `results` and `unavailable` reach the badges, as text.
 * @typedef {{ ok?: boolean, error?: string, gone?: boolean, nowMs?: number, skewMs?: number,
 *   nextChange?: number | null, policy?: { name?: string }, results?: { id: any }[],
 *   unavailable?: Record<string, string>, rejected?: { input: number, reason: string }[],
 *   fatal?: string | null }} WorkerAnswer
 */

/**
 * The port over the extension's worker (extension/src/lib/worker-port.js): every answer comes by
 * message; the worker maps, evaluates and keeps the tab's tickets, and fetches itself where the
 * site has a token (which never enters the page's process) or an API on another origin.
 * @typedef {object} WorkerPortOwn
 * @property {() => Promise<{ site?: any } | null>} hello  this page's site (null: none)
 * @property {(d: { docs: string[], failed: Record<string, string>, skewMs: number | null,
 *   reset: boolean }) => Promise<WorkerAnswer>} evaluateDocs  REST answers fetched here → results
 * @property {(ids: string[], reset: boolean) => Promise<WorkerAnswer>} fetchEvaluate  the worker
 *   fetches `ids` itself and evaluates them
 * @property {(d: { unavailable: number, skewMs: number }) => Promise<WorkerAnswer>} refresh
 *   the tab's tickets at the worker's clock
 * @property {(id: string, nowMs: number) => Promise<string[]>} explain  a tooltip's sentences
 * @property {(ids: string[], view: WorkerView) => Promise<WorkerLoad>} load  issues new to this
 *   page view, fetched where the site's requests are made (the fetch choice, in one place) and
 *   evaluated by the worker
 * @typedef {EnginePort & WorkerPortOwn} WorkerPort
 */

/**
 * What `WorkerPort.load` needs of the page view: the site as the worker's `hello` gave it
 * (`fetchInWorker`: the worker fetches for it — a token, which never enters the page's process,
 * or an API on another origin), the page kind, the adapter's once-only requests, whether the
 * worker should drop the tab's kept tickets first.
 * @typedef {{ site: { tracker: string, fetchInWorker?: boolean, token?: unknown, basePath?: string },
 *   origin: string, page: import('../pkg/sla_lens.js').TrackerPage | null, document: Document | null,
 *   memo: Map<string, any>, reset: boolean }} WorkerView
 */

/**
 * The worker's answer, and where the page fetched: `docIds[i]`, the issues the i-th document
 * sent held (null: a document every mapping shares), so an answer the mapping sets aside is told
 * to its issues (`whyMissing`); null when the worker fetched.
 * @typedef {{ out: WorkerAnswer, docIds: (string[] | null)[] | null }} WorkerLoad
 */

/**
 * The engine port over the Wasm module in the page.
 * @param {{ api: typeof import('../pkg/sla_lens.js'), engine: import('../pkg/sla_lens.js').SlaEngine | null,
 *   tracker: import('../pkg/sla_lens.js').TrackerName, label: string, site: import('../pkg/sla_lens.js').SiteInput | null,
 *   now: () => number, onError?: (where: string, e: unknown) => void }} o
 * @returns {WasmPort}
 */
export function wasmPort({ api, engine, tracker, label, site, now, onError }) {
  /** @param {string} where @param {unknown} e */
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
        const f = new Fault(
          'unreadable',
          `sla-lens could not map ${label}'s answers: ${/** @type {{ message?: unknown } | null | undefined} */ (e)?.message ?? e}`,
        );
        texts.forEach((_, i) => {
          rejected.set(i, f);
        });
        return { tickets, errors, rejected };
      }
      for (const t of m.tickets) tickets.set(String(t.id), t);
      for (const e of m.errors) {
        if (e.id != null)
          errors.set(
            String(e.id),
            new Fault(
              'unreadable',
              `${label}'s data for this issue cannot be read: ${e.message}${e.path ? ` (at ${e.path})` : ''}`,
            ),
          );
      }
      for (const r of m.rejected) {
        rejected.set(r.input, rejectedFault(label, r));
      }
      return { tickets, errors, rejected };
    },
    applies(tickets) {
      if (!engine) return null; // a port for the URL rules only (what evaluating null did: threw, caught below)
      try {
        // `tickets` are `map`'s (mapResponses's) TicketInputs.
        const results = engine.evaluate(/** @type {import('../pkg/sla_lens.js').TicketInput[]} */ (tickets), now());
        return new Set(results.filter((r) => r.evaluation?.applicability.kind === 'applies').map((r) => String(r.id)));
      } catch {
        return null;
      }
    },
  };
}
