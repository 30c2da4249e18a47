// @ts-check
// sla-lens as one tag in a tracker's own pages (a Redmine plugin or theme, Jira Data Center's
// announcement banner, a self-hosted GitLab's custom HTML): the same shim and tracker adapters as
// the extension, configured by the tag's attributes or a small inline JSON.
//
//   <script type="module" src="https://assets.example.com/sla-lens/sla-lens-dropin.js"
//           data-tracker="redmine" data-policy="/sla/policy.json" data-site="/sla/site.json"></script>
//
// or, for a config that comes with the page (what the Redmine plugin writes):
//
//   <script type="application/json" id="sla-lens-config">{"tracker": "redmine", "policy": "…"}</script>
//   <script type="module" src="…/sla-lens-dropin.js"></script>
//
// or, on a page of its own with no tracker (a static status page), the page's
// `<sla-badge ticket-id="…">` elements for canonical tickets (README, "Tickets") from a file:
//
//   <script type="module" src="…/sla-lens.embed.js" data-tickets="tickets.json" data-policy="policy.json"></script>
//
// Config (JSON keys; the attributes `data-tracker`, `data-policy` (a URL), `data-site` (a URL),
// `data-tickets` (a URL) and `data-config` (the id of the JSON element, default
// `sla-lens-config`) override them):
//   tracker    redmine | jira | gitlab | github | rt       (required, unless tickets are given)
//   tickets    canonical tickets, a JSON array (text or array); ticketsUrl: fetched. With no
//              tracker, the page's <sla-badge ticket-id> elements show these tickets
//   policy     the policy, as JSON text or an object; empty: the seed policy
//   policyUrl  where to fetch it instead (same origin or CORS)
//   site       the site file (docs/trackers.md), text or object;  siteUrl: fetched
//   restApi    false when the tracker's REST API is off: every badge says so instead of asking
//   shared     tracker documents every mapping includes (e.g. Redmine `/groups/N.json` answers
//              that an ordinary user may not fetch, for a `staff.groups` rule)
//   endpoint   Redmine with the sla-lens plugin: where the plugin answers for the page's issues
//              under the session (same origin only; `viaPlugin` in trackers/redmine.js), instead
//              of the REST API with the user's key from /my/api_key, which creates one
//
// A policy or site that cannot be had or has errors gives every issue a grey "SLA unavailable"
// badge whose tooltip says why (the page itself is never broken). Files next to this one:
// sla-lens.js, badge-view.js, pkg/ (the Wasm engine), trackers/. The Wasm is fetched as
// `pkg/sla_lens_bg.wasm` (served as `application/wasm`, or compiled from its bytes otherwise); a
// Content-Security-Policy needs `script-src 'self' 'wasm-unsafe-eval'` (or this file's origin).

import { load, Board } from './sla-lens.js';
import { unavailableResult } from './badge-view.js';
import { annotate, ADAPTERS, Fault } from './trackers/annotate.js';
import { viaPlugin } from './trackers/redmine.js';

const SELF = import.meta.url;

/**
 * The config above, as `readConfig` reads it (`error`: why it could not be read).
 * @typedef {object} DropinConfig
 * @property {string} [error]
 * @property {string} [tracker]
 * @property {string | object} [policy]
 * @property {string} [policyUrl]
 * @property {string | object} [site]
 * @property {string} [siteUrl]
 * @property {boolean} [restApi]
 * @property {(string | object)[]} [shared]
 * @property {string} [endpoint]
 * @property {string | object[]} [tickets]
 * @property {string} [ticketsUrl]
 */

/** The `<script type="module">` element that loaded this file, if any. */
export function ownTag(doc = document) {
  for (const s of /** @type {NodeListOf<HTMLScriptElement>} */ (doc.querySelectorAll('script[type="module"][src]')))
    if (s.src === SELF) return s;
  return null;
}

/**
 * The config from the inline JSON element and the tag's attributes (attributes win).
 * Never throws: a config that is not JSON comes back as `{ error }`.
 * @param {HTMLElement | null} tag
 * @param {Document} doc
 * @returns {DropinConfig}
 */
export function readConfig(tag, doc = document) {
  const id = tag?.dataset.config || 'sla-lens-config';
  const el = doc.getElementById(id);
  /** @type {DropinConfig} */
  let config = {};
  if (el) {
    try {
      const parsed = JSON.parse(el.textContent ?? '');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed;
      else return { error: `the element #${id} must hold a JSON object` };
    } catch (e) {
      return { error: `the element #${id} is not JSON: ${/** @type {SyntaxError} */ (e).message}` };
    }
  }
  const d = tag?.dataset ?? {};
  if (d.tracker) config.tracker = d.tracker;
  if (d.policy) config.policyUrl = new URL(d.policy, doc.baseURI).href;
  if (d.site) config.siteUrl = new URL(d.site, doc.baseURI).href;
  if (d.tickets) config.ticketsUrl = new URL(d.tickets, doc.baseURI).href;
  return config;
}

/**
 * An adapter that finds the same issues but gives each this fault instead of asking.
 * @param {import('./trackers/annotate.js').TrackerAdapter} adapter
 * @param {Fault} fault
 * @returns {import('./trackers/annotate.js').TrackerAdapter}
 */
export function explaining(adapter, fault) {
  return {
    ...adapter,
    auth: async () => ({}),
    async load(ids, io) {
      for (const id of ids) io.fail(id, fault);
    },
  };
}

/**
 * The adapter, with `shared` documents handed to every mapping before its own answers.
 * @param {import('./trackers/annotate.js').TrackerAdapter} adapter
 * @param {string[]} shared
 * @returns {import('./trackers/annotate.js').TrackerAdapter}
 */
function sharing(adapter, shared) {
  if (!shared.length) return adapter;
  return {
    ...adapter,
    async load(ids, io) {
      for (const s of shared) io.share(s);
      return adapter.load(ids, io);
    },
  };
}

const text = (/** @type {unknown} */ v) =>
  v == null || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v);

/**
 * @param {string} url
 * @param {string} what
 * @param {typeof fetch} fetchFn
 */
async function fetchText(url, what, fetchFn) {
  let r;
  try {
    r = await fetchFn(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (e) {
    throw new Error(`the ${what} at ${url} could not be fetched (${/** @type {Error} */ (e).message})`);
  }
  if (!r.ok) throw new Error(`the ${what} at ${url} could not be fetched (${r.status})`);
  return r.text();
}

/**
 * @param {string} what
 * @param {{ diagnostics: import('./pkg/sla_lens.js').Diagnostic[] }} result
 */
function firstError(what, result) {
  const errors = result.diagnostics.filter((d) => d.severity !== 'warning');
  const d = errors[0];
  return `sla-lens's ${what} has ${errors.length} error(s) (first: ${d.path || '/'} ${d.code}: ${d.message}); an administrator has to fix it`;
}

/**
 * Starts sla-lens with a config (see the top of this file). Resolves to the page session, or
 * to null when there is nothing to do (an unknown tracker is reported on the console).
 * @param {DropinConfig} config
 * @param {{ document?: Document, fetch?: typeof fetch, options?: object,
 *   wasm?: import('./pkg/sla_lens.js').InitInput }} [more]  `wasm`: what `load()` instantiates
 */
export async function start(config, more = {}) {
  const doc = more.document ?? document;
  const fetchFn = more.fetch ?? globalThis.fetch.bind(globalThis);
  if (config.error) {
    globalThis.console?.warn?.(`sla-lens: ${config.error}`);
    return null;
  }
  if (!config.tracker && (config.tickets != null || config.ticketsUrl))
    return startStatic(config, doc, fetchFn, more.wasm);
  // Own keys only: a `tracker` such as "toString" names no adapter.
  const tracker = config.tracker ?? '';
  /** @type {import('./trackers/annotate.js').TrackerAdapter | undefined} */
  let base = Object.hasOwn(ADAPTERS, tracker) ? ADAPTERS[/** @type {keyof typeof ADAPTERS} */ (tracker)] : undefined;
  if (base && config.tracker === 'redmine' && typeof config.endpoint === 'string' && config.endpoint) {
    const url = new URL(config.endpoint, doc.baseURI);
    if (url.origin === new URL(doc.baseURI).origin) base = viaPlugin(url.href);
    else globalThis.console?.warn?.(`sla-lens: the endpoint must be on this page's origin (got ${url.origin})`);
  }
  if (!base) {
    globalThis.console?.warn?.(
      `sla-lens: data-tracker must be one of ${Object.keys(ADAPTERS).join(', ')} (got \`${config.tracker}\`)`,
    );
    return null;
  }
  const api = await load(more.wasm);
  globalThis.performance?.mark?.('sla-lens:engine-ready');
  /** @type {string | null} */
  let problem = null;
  let policy = text(config.policy);
  let site = text(config.site);
  try {
    if (config.policyUrl) policy = await fetchText(config.policyUrl, 'policy', fetchFn);
    if (config.siteUrl) site = await fetchText(config.siteUrl, 'site file', fetchFn);
  } catch (e) {
    problem = `sla-lens: ${/** @type {Error} */ (e).message}`;
  }
  if (!problem && policy != null) {
    const v = api.validatePolicy(policy);
    if (!v.ok) problem = firstError('policy', v);
  }
  if (!problem && site != null) {
    const v = api.validateSite(site);
    if (!v.ok) problem = firstError('site mapping', v);
  }
  if (!problem && config.restApi === false) {
    problem = `${base.label}'s REST API is disabled, and sla-lens reads issues through it: an administrator can enable it (Administration → Settings → API)`;
  }
  let adapter = sharing(
    base,
    (config.shared ?? []).map(text).filter((s) => s !== null),
  );
  if (problem) {
    adapter = explaining(base, new Fault('http', problem));
    policy = null;
    site = null;
  }
  const session = annotate({
    ...more.options,
    adapter,
    policy: policy ?? undefined,
    site: site ?? undefined,
    document: doc,
  });
  return Object.assign(session, { problem });
}

/**
 * A page with no tracker: the canonical tickets of `tickets`/`ticketsUrl` under the policy, on the
 * page's `<sla-badge ticket-id>` elements (a `Board`). A policy or tickets that cannot be had or
 * have errors give every badge a grey "SLA unavailable" that says why.
 * @param {DropinConfig} config
 * @param {Document} doc
 * @param {typeof fetch} fetchFn
 * @param {import('./pkg/sla_lens.js').InitInput} [wasm]
 */
async function startStatic(config, doc, fetchFn, wasm) {
  const api = await load(wasm);
  globalThis.performance?.mark?.('sla-lens:engine-ready');
  /** @type {string | null} */
  let problem = null;
  let policy = text(config.policy);
  let tickets = text(config.tickets);
  try {
    if (config.policyUrl) policy = await fetchText(config.policyUrl, 'policy', fetchFn);
    if (config.ticketsUrl) tickets = await fetchText(config.ticketsUrl, 'tickets', fetchFn);
  } catch (e) {
    problem = `sla-lens: ${/** @type {Error} */ (e).message}`;
  }
  if (!problem && policy != null) {
    const v = api.validatePolicy(policy);
    if (!v.ok) problem = firstError('policy', v);
  }
  /** @type {Board | null} */
  let board = null;
  if (!problem) {
    try {
      const engine = policy == null ? api.SlaEngine.defaultPolicy() : new api.SlaEngine(policy);
      board = new Board(engine);
      board.setTickets(JSON.parse(tickets ?? '[]'));
      board.mount(doc);
    } catch (e) {
      problem = `sla-lens: the tickets could not be read (${/** @type {Error} */ (e).message})`;
      board = null;
    }
  }
  if (problem) {
    for (const el of /** @type {NodeListOf<HTMLElement & { result: unknown }>} */ (
      doc.querySelectorAll('sla-badge[ticket-id]')
    ))
      el.result = unavailableResult(el.getAttribute('ticket-id') ?? '', problem);
  }
  return { board, problem, ready: Promise.resolve() };
}

// Loaded by a tag: start on the current page, once.
const tag = typeof document === 'undefined' ? null : ownTag();
if (tag && !tag.dataset.slaLensStarted) {
  tag.dataset.slaLensStarted = '1';
  globalThis.performance?.mark?.('sla-lens:dropin-start');
  // `data-sla-lens` on <html>: starting → ready, or failed (the reason is on the console).
  document.documentElement.dataset.slaLens = 'starting';
  start(readConfig(tag))
    .then(async (session) => {
      if (!session) return;
      /** @type {typeof globalThis & { slaLens?: { session: typeof session } }} */ (globalThis).slaLens = { session };
      await session.ready;
      globalThis.performance?.mark?.('sla-lens:dropin-ready');
      document.documentElement.dataset.slaLens = 'ready';
      document.dispatchEvent(new CustomEvent('sla-lens:ready', { detail: { problem: session.problem } }));
    })
    .catch((e) => {
      document.documentElement.dataset.slaLens = 'failed';
      globalThis.console?.warn?.(`sla-lens: could not start (${e?.message ?? e})`);
    });
}
