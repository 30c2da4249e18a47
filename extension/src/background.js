// @ts-check
// The service worker (Chromium) / event page (Firefox): owns the Wasm engine, the policy and the
// site configuration. Content scripts send it their tracker's REST responses; it maps them with
// the Rust adapters, evaluates, and answers with results they render. It also registers the
// content scripts for the configured origins, keeps the toolbar badge, and runs the scheduled
// escalation check that shows desktop notifications.
//
// Imported statically (service workers have no dynamic import()); the esbuild bundle is one
// classic script, the same file for Chromium's `service_worker` and Firefox's `scripts`.

import {
  initSync,
  SlaEngine,
  TicketSet,
  validatePolicy,
  validateSite,
  examplePolicy,
  detectPage,
  issueLinks,
} from '../../www/pkg/sla_lens.js';
import { ext, matchPorts } from './lib/chrome.js';
import {
  migrate,
  effective,
  siteFile,
  policyWithPauses,
  normalize,
  normalizeSite,
  apiBaseOf,
  hostPatterns,
} from './lib/config.js';
import { decide, oneAtATime } from './lib/notify.js';
import { cached } from './lib/cache.js';
import { mapDocs, adapterInfo } from './lib/adapter.js';
import { listOpen, siteClient, siteFetch, credentialsFor } from './lib/fetch-tracker.js';
import { ADAPTERS, idShapeOf, loadIssues } from './lib/page-adapter.js';
import { senderOf, pageUrlOf, checkIds } from './lib/senders.js';
import { httpUrl } from '../../www/badge-view.js';
import { batchColumn } from '../../www/board/board-model.js';

// `__SLA_TEST__` is replaced at build time (true only in the test build), so every test-only
// branch below is compiled out of the store builds.
/* global __SLA_TEST__ */

/** @typedef {import('../../www/pkg/sla_lens.js').TicketInput} TicketInput */
/** @typedef {import('../../www/pkg/sla_lens.js').TicketResult} TicketResult */
/** @typedef {Awaited<ReturnType<typeof readConfig>>} Config  the effective configuration */
/**
 * A configured site (lib/config.js `normalizeSite`'s entry); configured sites have an origin
 * (lib/config.js `normalize` keeps no other).
 * @typedef {Config['config']['sites'][number] & { origin: string }} Site
 */
/** @typedef {NonNullable<ReturnType<typeof senderOf>>} Who  a message's sender (lib/senders.js) */
/** @typedef {Extract<Who, { kind: 'content' }>} ContentWho */
/**
 * A runtime message: untyped (another process's JSON, any shape); each handler checks what it
 * reads.
 * @typedef {Record<string, any>} Message
 */

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/**
 * @type {{ fetchMs: number | null, compileMs: number | null, instantiateMs: number | null,
 *   evaluations: { tickets: number, mapMs: number, evaluateMs: number, full: boolean }[] }}
 */
export const stats = { fetchMs: null, compileMs: null, instantiateMs: null, evaluations: [] };
/** @type {Promise<void> | null} */
let ready = null;

function loadEngine() {
  if (!ready) {
    ready = (async () => {
      const t0 = performance.now();
      const bytes = await (await fetch(ext.runtime.getURL('sla_lens_bg.wasm'))).arrayBuffer();
      const t1 = performance.now();
      const module = await WebAssembly.compile(bytes);
      const t2 = performance.now();
      initSync({ module });
      const t3 = performance.now();
      stats.fetchMs = t1 - t0;
      stats.compileMs = t2 - t1;
      stats.instantiateMs = t3 - t2;
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}

/** @type {Map<string, SlaEngine>} */
const engines = new Map();
/**
 * The engine for a policy text (null: the built-in seed policy) and a site's extra pauses.
 * @param {string | null | undefined} text
 * @param {string[]} [pauses]
 */
function engineFor(text, pauses = []) {
  const key = `${pauses.join('\u0001')}\u0000${text ?? ''}`;
  let e = engines.get(key);
  if (!e) {
    const base = text ?? null;
    e =
      base === null && !pauses.length
        ? SlaEngine.defaultPolicy()
        : new SlaEngine(policyWithPauses(base ?? defaultPolicyText(), pauses));
    if (engines.size > 8) {
      for (const old of engines.values()) old.free?.();
      engines.clear();
    }
    engines.set(key, e);
  }
  return e;
}

function defaultPolicyText() {
  return examplePolicy('default');
}

// ---------------------------------------------------------------------------------------------
// Configuration: storage.local (the user's), storage.managed (the organisation's)
// ---------------------------------------------------------------------------------------------

// Read once per change. A read that started before a save and ends after it is never kept: kept,
// it would give every reader the settings the save had just replaced until the next change —
// the options page too, whose next save is made on top of what it reads.
const configCache = cached(async (isCurrent) => {
  const { config: stored } = await ext.storage.local.get('config');
  const m = migrate(stored);
  if ((m.migrated || (!stored && !m.error)) && isCurrent()) await ext.storage.local.set({ config: m.config });
  /** @type {Record<string, any>} */
  let managed = {}; // what managed storage held: untyped (the organisation's, any shape)
  try {
    managed = (await ext.storage.managed?.get(null)) ?? {};
  } catch {
    managed = {}; // no managed storage (Firefox without a policy, or no schema support)
  }
  if (__SLA_TEST__) {
    const { testManaged } = await ext.storage.local.get('testManaged');
    if (testManaged) managed = { ...managed, ...testManaged };
  }
  const eff = effective(m.config, managed);
  return { user: m.config, managedRaw: managed, ...eff, storageError: m.error ?? null };
});

export function readConfig() {
  return configCache.get();
}

function invalidate() {
  configCache.invalidate();
}

/**
 * The policy's engine, or the default one with the error when the stored policy fails.
 * @param {Config} cfg
 * @param {string[]} [pauses]
 */
function policyEngine(cfg, pauses = []) {
  try {
    return { engine: engineFor(cfg.config.policy.text, pauses), error: null };
  } catch (e) {
    const x = /** @type {import('../../www/pkg/sla_lens.js').PolicyError} */ (e); // what the engine throws for a policy
    return { engine: engineFor(null, pauses), error: x.message, diagnostics: x.diagnostics ?? [] };
  }
}

/**
 * @param {Config} cfg
 * @param {string | null} origin
 * @returns {Site | null}
 */
function siteFor(cfg, origin) {
  return /** @type {Site | undefined} */ (cfg.config.sites.find((s) => s.origin === origin && s.enabled)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The clock: the browser's, or the tracker's when they differ by more than a minute; test builds
// can set it.
// ---------------------------------------------------------------------------------------------

/** @type {{ base: number, setAt: number, frozen: boolean } | null} */
let testClock = null;
async function loadTestClock() {
  if (!__SLA_TEST__) return;
  const { testNow } = await ext.storage.local.get('testNow');
  testClock = testNow ?? null;
}

export function now() {
  if (__SLA_TEST__ && testClock)
    return testClock.frozen ? testClock.base : testClock.base + (Date.now() - testClock.setAt);
  return Date.now();
}

/**
 * Now, from the tracker's clock when this computer's differs by more than a minute.
 * @param {number | null | undefined} skewMs
 */
function clockFor(skewMs) {
  const t = now();
  if (skewMs == null || !Number.isFinite(skewMs) || (__SLA_TEST__ && testClock)) return { nowMs: t, skewMs: 0 };
  return Math.abs(skewMs) > 60_000 ? { nowMs: t + skewMs, skewMs } : { nowMs: t, skewMs: 0 };
}

// ---------------------------------------------------------------------------------------------
// Evaluation for content scripts
// ---------------------------------------------------------------------------------------------

/**
 * A tab's summary for the popup and the toolbar badge (noteTab).
 * @typedef {ReturnType<typeof summarize> & { unavailable: number, policyName: string, origin: string,
 *   url: string | null }} TabSummary
 */
/** @type {Map<number, TabSummary>} */
const tabs = new Map(); // tabId → summary for the popup and the toolbar badge

/**
 * What evaluateLite makes of a compact row: what www/badge-view.js reads of an `Evaluation`
 * (`nextChange` in epoch ms here); `escalation.done` from attachDone.
 * @typedef {{ deadline?: string | null, remaining?: number | null }} LiteMetric
 * @typedef {{ state: import('../../www/pkg/sla_lens.js').State, headline: import('../../www/pkg/sla_lens.js').MetricKind,
 *   calendar: string | null, status: string | null, applicability: { kind: string },
 *   priority: { id: string | null, name: string } | null, category: { id: string | null, name: string } | null,
 *   escalation: { current: { level: number, role: string, contacts: import('../../www/pkg/sla_lens.js').Contact[] } | null,
 *     done?: import('../../www/pkg/sla_lens.js').EscalationDone[] },
 *   response: LiteMetric, resolution: LiteMetric, nextChange: number | null }} LiteEvaluation
 * @typedef {{ id: string, evaluation: LiteEvaluation, error?: undefined, explanation?: undefined }} LiteResult
 * @typedef {TicketResult | LiteResult} Result  a batch result: the engine's full one, or evaluateLite's
 */

/**
 * @param {Result[]} results
 * @param {number} nowMs
 */
function summarize(results, nowMs) {
  /** @type {Record<string, number>} */
  const counts = {};
  /** @type {{ at: number, id: unknown } | null} */
  let nearest = null;
  // Issues escalated in their current cycle, as their notes record it (at most 10 listed).
  const escalated = [];
  for (const r of results) {
    const done = r.evaluation?.escalation?.done;
    if (Array.isArray(done) && done.length && escalated.length < 10) escalated.push({ id: String(r.id), done });
    const st = r.error ? 'error' : r.evaluation.state;
    counts[st] = (counts[st] ?? 0) + 1;
    const ev = r.evaluation;
    if (ev && (ev.state === 'running' || ev.state === 'atRisk')) {
      const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
      const d = Date.parse(/** @type {string} */ (m.deadline)); // none (null) parses as NaN
      if (Number.isFinite(d) && (!nearest || d < nearest.at)) nearest = { at: d, id: r.id };
    }
  }
  return { total: results.length, counts, nearest, escalated, at: nowMs };
}

/**
 * @param {number | null | undefined} tabId
 * @param {TabSummary} summary
 */
async function setTabBadge(tabId, summary) {
  if (tabId == null || !ext.action) return;
  const breached = summary?.counts?.breached ?? 0;
  try {
    await ext.action.setBadgeBackgroundColor({ tabId, color: '#d92d20' });
    await ext.action.setBadgeText({ tabId, text: breached ? String(breached) : '' });
    await ext.action.setTitle({
      tabId,
      title: summary
        ? `sla-lens: ${summary.total} issue${summary.total === 1 ? '' : 's'}${breached ? `, ${breached} breached` : ''}`
        : 'sla-lens',
    });
  } catch {
    // the tab closed meanwhile
  }
}

/**
 * Evaluates a batch for badges: the engine's compact rows (`evaluateRows`: state, headline metric,
 * level, names; no JSON of the full evaluation) turned into results that carry exactly what
 * www/badge-view.js reads. With `set` (a `TicketSet` of the same `tickets`, in the same order)
 * the tickets are not read again: minute refreshes only evaluate. Builds without `evaluateRows`
 * fall back to full results.
 * @param {SlaEngine} engine
 * @param {TicketInput[]} tickets
 * @param {number} nowMs
 * @param {TicketSet | null} [set]
 * @returns {{ results: Result[], nextChange: number | null }}
 */
function evaluateLite(engine, tickets, nowMs, set = null) {
  if (typeof engine.evaluateRows !== 'function') {
    const results = engine.evaluate(tickets, nowMs, {});
    return { results, nextChange: results.length ? engine.nextChange(results, nowMs) : null };
  }
  const rows = set ? engine.evaluateSetRows(set, nowMs) : engine.evaluateRows(tickets, nowMs);
  const F = rows.fields.length;
  const n = rows.numbers;
  // One reader per field (www/board/board-model.js `batchColumn`, the board's own), made once
  // per call, not per row: a field this build's rows lack, a "no string" and a NaN read as null.
  const col = Object.fromEntries(
    [
      'id',
      'state',
      'headline',
      'calendar',
      'status',
      'applicability',
      'priorityId',
      'priorityName',
      'categoryId',
      'categoryName',
      'level',
      'levelRole',
      'deadlineMs',
      'remaining',
      'nextChangeMs',
    ].map((f) => [f, batchColumn(rows, f)]),
  );
  /** @type {Result[]} */
  const results = [];
  for (let base = 0; base < n.length; base += F) {
    const get = (/** @type {ReturnType<typeof batchColumn>} */ read) => read(base);
    const deadlineMs = get(col.deadlineMs);
    const metric = {
      deadline: deadlineMs == null ? null : new Date(deadlineMs).toISOString().replace('.000Z', 'Z'),
      remaining: get(col.remaining),
    };
    const headline = get(col.headline) ?? 'response';
    const level = get(col.level);
    const priorityName = get(col.priorityName);
    const categoryName = get(col.categoryName);
    results.push({
      id: String(get(col.id)),
      evaluation: {
        state: get(col.state),
        headline,
        calendar: get(col.calendar),
        status: get(col.status),
        applicability: { kind: get(col.applicability) },
        priority: priorityName == null ? null : { id: get(col.priorityId), name: priorityName },
        category: categoryName == null ? null : { id: get(col.categoryId), name: categoryName },
        escalation: { current: level ? { level, role: get(col.levelRole) ?? '', contacts: [] } : null },
        response: headline === 'response' ? metric : {},
        resolution: headline === 'resolution' ? metric : {},
        nextChange: get(col.nextChangeMs),
      },
    });
  }
  for (const e of rows.errors)
    results.push({
      id: e.id ?? String(tickets[e.index]?.id ?? e.index),
      error: { id: e.id, code: e.code, path: e.path, message: e.message },
    });
  attachDone(engine, tickets, nowMs, results);
  return { results, nextChange: rows.nextChange };
}

/**
 * The escalations done (`escalation.done`, which compact rows lack) for the few tickets whose
 * notes record escalations (`escalations`, from the adapters): those alone evaluated in full.
 * @param {SlaEngine} engine
 * @param {TicketInput[]} tickets
 * @param {number} nowMs
 * @param {Result[]} results
 */
function attachDone(engine, tickets, nowMs, results) {
  const some = tickets.filter((t) => Array.isArray(t?.escalations) && t.escalations.length);
  if (!some.length) return;
  let full;
  try {
    full = engine.evaluate(some, nowMs, {});
  } catch {
    return;
  }
  /** @type {Map<string, import('../../www/pkg/sla_lens.js').EscalationDone[]>} */
  const done = new Map();
  for (const r of full)
    if (r.evaluation?.escalation?.done?.length) done.set(String(r.id), r.evaluation.escalation.done);
  for (const r of results) {
    const d = done.get(String(r.id));
    if (d && r.evaluation) r.evaluation.escalation = { ...r.evaluation.escalation, done: d };
  }
}

/**
 * Maps a site's REST documents and evaluates them: compact results for badges, or the engine's
 * full results (`opts.full`, for the notification check, which reads cycles and contacts).
 * @param {Config} cfg
 * @param {Site} site
 * @param {unknown[]} docs  the tracker's answers (JSON texts or objects)
 * @param {Record<string, string> | null | undefined} failed  issues whose requests failed: why
 * @param {number | null | undefined} skewMs
 * @param {{ full?: boolean, docIds?: (string[] | null)[] }} [opts]  `docIds[i]`: the issues `docs[i]` held
 */
function evaluateDocs(cfg, site, docs, failed, skewMs, opts = {}) {
  const { engine, error } = policyEngine(cfg, site.pauseStatuses);
  const clock = clockFor(skewMs);
  const t0 = performance.now();
  const mapped = mapDocs(site.tracker, docs, siteFile(site));
  const t1 = performance.now();
  const tickets = /** @type {TicketInput[]} */ (mapped.tickets); // the mapping's (MappedIssues.tickets)
  /** @type {Result[]} */
  let results = [];
  /** @type {number | null} */
  let nextChange = null;
  if (tickets.length && opts.full) {
    const full = engine.evaluate(tickets, clock.nowMs, {});
    results = full;
    nextChange = engine.nextChange(full, clock.nowMs);
  } else if (tickets.length) ({ results, nextChange } = evaluateLite(engine, tickets, clock.nowMs));
  const t2 = performance.now();
  // Issues the adapter could not read, and issues whose requests failed, are unavailable.
  const unavailable = { ...mapped.errors };
  for (const [id, why] of Object.entries(failed ?? {})) unavailable[id] = why;
  // Answers the mapping set aside: where the worker knows which issues each held (its own
  // fetch), those issues read why; the rest go to the content script, which knows its docs.
  const held = new Set(tickets.map((t) => String(t.id)));
  /** @type {{ input: number, reason: string }[]} */
  const rejected = [];
  for (const r of mapped.rejected ?? []) {
    const ids = opts.docIds?.[r.input];
    if (Array.isArray(ids)) {
      for (const id of ids) if (!held.has(id) && !(id in unavailable)) unavailable[id] = r.reason;
    } else rejected.push(r);
  }
  stats.evaluations.push({ tickets: tickets.length, mapMs: t1 - t0, evaluateMs: t2 - t1, full: !!opts.full });
  if (stats.evaluations.length > 20) stats.evaluations.shift();
  return {
    ok: true,
    nowMs: clock.nowMs,
    skewMs: clock.skewMs,
    policy: { id: engine.id, name: engine.name, error },
    tickets,
    results,
    unavailable,
    nextChange,
    rejected,
    fatal: mapped.fatal ?? null,
    timing: { mapMs: t1 - t0, evaluateMs: t2 - t1 },
  };
}

// The canonical tickets of each annotated tab stay here (and in session storage, for when the
// worker was stopped), so content scripts never hold or re-send them. `set` is the same tickets
// read once into Wasm memory (a TicketSet, made when first evaluated, freed when they change).
/**
 * @typedef {{ origin: string, byId: Map<string, TicketInput>, list?: TicketInput[], set?: TicketSet | null }} Kept
 */
/** @type {Map<number, Kept>} */
const tabTickets = new Map(); // tabId → { origin, byId: Map<id, ticket>, list, set }

/**
 * The tab's tickets as a list and as a TicketSet in the same order (made once per change).
 * @param {Kept} t
 */
function ticketSetOf(t) {
  if (!t.set) {
    t.list = [...t.byId.values()];
    t.set = typeof TicketSet === 'function' && t.list.length ? new TicketSet(t.list) : null;
  }
  // A set is made with its list: with no set, the list was made just above.
  return { list: /** @type {TicketInput[]} */ (t.list), set: t.set };
}

/** @param {Kept | null | undefined} t */
function dropSet(t) {
  t?.set?.free();
  if (t) t.set = null;
}

/** @param {number} tabId */
async function ticketsOf(tabId) {
  let t = tabTickets.get(tabId);
  if (!t && ext.storage.session) {
    const key = `tickets:${tabId}`;
    const saved = (await ext.storage.session.get(key).catch(() => ({})))[key];
    if (saved) {
      t = {
        origin: saved.origin,
        byId: new Map(saved.tickets.map((/** @type {TicketInput} */ x) => [String(x.id), x])), // keepTickets' own
      };
      tabTickets.set(tabId, t);
    }
  }
  return t ?? null;
}

/**
 * @param {number | null | undefined} tabId
 * @param {string} origin
 * @param {TicketInput[]} tickets
 * @param {unknown} reset  truthy: the tab's kept tickets are dropped first
 */
function keepTickets(tabId, origin, tickets, reset) {
  if (tabId == null) return;
  let t = tabTickets.get(tabId);
  if (!t || reset || t.origin !== origin) {
    dropSet(t);
    t = { origin, byId: new Map() };
    tabTickets.set(tabId, t);
  }
  dropSet(t);
  for (const x of tickets) t.byId.set(String(x.id), x);
  ext.storage.session?.set({ [`tickets:${tabId}`]: { origin, tickets: [...t.byId.values()] } }).catch(() => {});
}

/**
 * @param {number | null | undefined} tabId
 * @param {Result[]} results
 * @param {number} nowMs
 * @param {number} unavailable  how many issues are
 * @param {string} policyName
 * @param {string} origin
 * @param {string | null} url
 */
function noteTab(tabId, results, nowMs, unavailable, policyName, origin, url) {
  if (tabId == null) return;
  const summary = { ...summarize(results, nowMs), unavailable, policyName, origin, url };
  tabs.set(tabId, summary);
  ext.storage.session?.set({ [`tab:${tabId}`]: summary }).catch(() => {});
  setTabBadge(tabId, summary);
}

/**
 * @param {Site} site
 * @param {string} url
 */
function pageOf(site, url) {
  try {
    const u = new URL(url);
    return detectPage(site.tracker, u.pathname + u.search, siteFile(site));
  } catch {
    return null;
  }
}

/**
 * The worker's own fetch of a site's issues, through the tracker's adapter: the site's token
 * (only ever sent to the site's own origins: its pages' and its API's, lib/fetch-tracker.js) and
 * the browser's cookies for the tracker (none for GitHub's API). `page` defaults to the URL's.
 * @param {Site} site
 * @param {string[]} ids
 * @param {string | null} url
 * @param {{ kind: string, project: string } | null} [page]
 */
function workerLoad(site, ids, url, page = null) {
  const base = `${site.origin}${site.site?.basePath ?? ''}`.replace(/\/$/, '');
  return loadIssues(site.tracker, ids, {
    base,
    apiBase: site.tracker === 'github' ? apiBaseOf(site) : null,
    page: page ?? (url ? pageOf(site, url) : null),
    token: site.token || null,
    credentials: credentialsFor(site),
    fetch: siteFetch(site),
  });
}

/**
 * What a content script gets: the results and names, never the tickets.
 * @param {ReturnType<typeof evaluateDocs>} out
 */
function forPage(out) {
  const { tickets, ...rest } = out;
  void tickets;
  return rest;
}

// Each handler gets the message and `who`, the sender as lib/senders.js establishes it: an
// extension page (`{ kind: 'page' }`) or a content script (`{ kind: 'content', origin, url,
// tabId }`, its origin the browser's word, not the message's). `ACCESS` says which kinds may
// send which message; the listener refuses the rest before any handler runs.
const CONTENT = 'content';
const PAGE = 'page';
/** @type {Record<keyof typeof handlers, Who['kind'][]>} */
const ACCESS = {
  hello: [CONTENT],
  evaluate: [CONTENT],
  fetchEvaluate: [CONTENT, PAGE],
  refresh: [CONTENT],
  detectPage: [CONTENT, PAGE],
  issueLinks: [CONTENT],
  explain: [CONTENT],
  validate: [PAGE],
  validateSite: [PAGE],
  examplePolicy: [PAGE],
  state: [PAGE],
  tabSummary: [PAGE],
  saveConfig: [PAGE],
  checkNow: [PAGE],
};

/**
 * A short digest of `text` (53-bit FNV-1a-style mix): tells a change, says nothing of the text.
 * @param {string} text
 */
function digest(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The site a message is about: a content script's own origin's; an extension page's draft or URL.
 * @param {Config} cfg
 * @param {Message} msg
 * @param {Who} who
 * @returns {Site | null}
 */
function siteOfMessage(cfg, msg, who) {
  if (who.kind === CONTENT) return siteFor(cfg, who.origin);
  if (msg.siteDraft && typeof msg.siteDraft === 'object') {
    const s = normalizeSite(msg.siteDraft);
    return s.origin ? /** @type {Site} */ (s) : null;
  }
  return siteFor(cfg, originOf(msg.url));
}

/**
 * The page URL a message is about: for a content script, on its own origin only.
 * @param {Message} msg
 * @param {Who} who
 * @returns {string | null}
 */
function urlOfMessage(msg, who) {
  if (who.kind === CONTENT) return pageUrlOf(who, msg.url);
  return typeof msg.url === 'string' ? msg.url : null;
}

const handlers = {
  /**
   * A content script starting: its site (or null) and the policy's name.
   * @param {Message} _msg
   * @param {ContentWho} who
   */
  async hello(_msg, who) {
    const cfg = await readConfig();
    const site = siteFor(cfg, who.origin);
    if (!site) return { ok: true, site: null };
    // `mapping` lets a content script tell a changed mapping (fetch again) from a changed policy:
    // a digest of it, not the mapping (which may name staff).
    // `fetchInWorker`: the worker fetches for this site, with its token (which never enters the
    // page's process), or from an API on another origin (GitHub's), which needs its own host
    // permission and does not take the page's session.
    const fetchInWorker = !!site.token || apiOrigin(site) !== site.origin;
    return {
      ok: true,
      site: {
        origin: site.origin,
        tracker: site.tracker,
        basePath: site.site?.basePath ?? '',
        token: !!site.token,
        fetchInWorker,
        mapping: digest(JSON.stringify(site.site ?? {})),
      },
      adapter: adapterInfo(),
    };
  },

  /**
   * The content script's fetched REST documents (JSON texts or objects) → results.
   * @param {Message} msg
   * @param {ContentWho} who
   */
  async evaluate(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const origin = who.origin;
    const site = siteFor(cfg, origin);
    if (!site) return { ok: false, error: `no site configured for ${origin}` };
    if (!Array.isArray(msg.docs)) return { ok: false, error: "docs must be a list of the tracker's answers" };
    /** @type {Record<string, string>} */
    const failed = {};
    if (msg.failed && typeof msg.failed === 'object')
      for (const [id, why] of Object.entries(msg.failed)) failed[id] = String(why);
    const out = evaluateDocs(cfg, site, msg.docs, failed, Number.isFinite(msg.skewMs) ? msg.skewMs : null, {
      full: !!msg.full,
    });
    const tabId = who.tabId;
    keepTickets(tabId, origin, out.tickets, msg.reset);
    // The tab's summary covers every issue it shows, not only this batch.
    const kept = /** @type {Kept} */ (tabTickets.get(tabId)); // keepTickets' (a content script's tab has an id)
    const { engine } = policyEngine(cfg, site.pauseStatuses);
    let results = out.results;
    if (kept.byId.size !== out.tickets.length) {
      const { list, set } = ticketSetOf(kept);
      ({ results } = evaluateLite(engine, list, out.nowMs, set));
    }
    noteTab(
      tabId,
      results,
      out.nowMs,
      Object.keys(out.unavailable).length,
      out.policy.name,
      origin,
      urlOfMessage(msg, who),
    );
    return forPage(out);
  },

  /**
   * Fetches and evaluates on the worker's side: for a site with a token (which never enters the
   * page's process), for pages that forbid the content script's requests, and for the options
   * page's "test on this URL" (a site draft: extension pages only). The ids are checked against
   * the adapter's id shape: a message naming anything else is refused whole.
   * @param {Message} msg
   * @param {Who} who
   */
  async fetchEvaluate(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const site = siteOfMessage(cfg, msg, who);
    if (!site) return { ok: false, error: 'no site configured for this URL' };
    const ids = checkIds(msg.ids, idShapeOf(site.tracker));
    if (!ids)
      return { ok: false, error: `refused: the ids are not ${ADAPTERS[site.tracker]?.label ?? 'tracker'} issue ids` };
    const url = urlOfMessage(msg, who);
    const f = await workerLoad(site, ids, url);
    const out = evaluateDocs(cfg, site, f.docs, f.failed, f.skewMs, { full: !!msg.full, docIds: f.docIds });
    if (who.kind === CONTENT) {
      keepTickets(who.tabId, site.origin, out.tickets, msg.reset);
      noteTab(
        who.tabId,
        out.results,
        out.nowMs,
        Object.keys(out.unavailable).length,
        out.policy.name,
        site.origin,
        url,
      );
    }
    return { ...forPage(out), requests: f.requests };
  },

  /**
   * Re-evaluates the tab's tickets now (timer ticks, a changed policy).
   * @param {Message} msg
   * @param {ContentWho} who
   */
  async refresh(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const origin = who.origin;
    const site = siteFor(cfg, origin);
    const tabId = who.tabId;
    const kept = await ticketsOf(tabId);
    if (!site || !kept || kept.origin !== origin) return { ok: false, gone: true };
    const { engine } = policyEngine(cfg, site.pauseStatuses);
    const t = clockFor(msg.skewMs).nowMs;
    const { list: tickets, set } = ticketSetOf(kept);
    const { results, nextChange } = tickets.length
      ? evaluateLite(engine, tickets, t, set)
      : { results: [], nextChange: null };
    noteTab(
      tabId,
      results,
      t,
      Number.isInteger(msg.unavailable) ? msg.unavailable : 0,
      engine.name,
      origin,
      urlOfMessage(msg, who),
    );
    return { ok: true, nowMs: t, results, nextChange, policy: { name: engine.name } };
  },

  /**
   * What kind of tracker page a URL is (the Rust detectors).
   * @param {Message} msg
   * @param {Who} who
   */
  async detectPage(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const site = siteOfMessage(cfg, msg, who);
    const url = urlOfMessage(msg, who);
    if (!site || !url) return { ok: true, page: null };
    return { ok: true, page: pageOf(site, url) };
  },

  /**
   * Issue ids of links (the Rust URL rules), for links the adapter cannot place by markup.
   * @param {Message} msg
   * @param {ContentWho} who
   */
  async issueLinks(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const site = siteFor(cfg, who.origin);
    const hrefs = Array.isArray(msg.hrefs) ? msg.hrefs.slice(0, 10_000).map(String) : [];
    if (!site) return { ok: true, ids: hrefs.map(() => null) };
    try {
      return { ok: true, ids: issueLinks(site.tracker, hrefs, siteFile(site)) };
    } catch {
      return { ok: true, ids: hrefs.map(() => null) };
    }
  },

  /**
   * One ticket's tooltip sentences: only for a ticket this tab was given.
   * @param {Message} msg
   * @param {ContentWho} who
   */
  async explain(msg, who) {
    await loadEngine();
    const cfg = await readConfig();
    const site = siteFor(cfg, who.origin);
    const kept = await ticketsOf(who.tabId);
    if (!site || !kept || kept.origin !== who.origin) return { ok: true, lines: [] };
    const { engine } = policyEngine(cfg, site.pauseStatuses);
    const ticket = kept.byId.get(String(msg.id));
    if (!ticket) return { ok: true, lines: [] };
    try {
      return { ok: true, lines: engine.explain(ticket, Number.isFinite(msg.nowMs) ? msg.nowMs : now()).lines };
    } catch (e) {
      return { ok: true, lines: [/** @type {Error} */ (e).message] }; // the engine throws Errors
    }
  },

  /**
   * The options page's live validation.
   * @param {Message} msg
   */
  async validate(msg) {
    await loadEngine();
    const v = validatePolicy(msg.text);
    /** @type {{ id: string, name: string, contacts: ReturnType<typeof contactsOf> } | null} */
    let info = null;
    if (v.ok) {
      try {
        const e = new SlaEngine(msg.text);
        info = { id: e.id, name: e.name, contacts: contactsOf(msg.text) };
        e.free?.();
      } catch (e) {
        const x = /** @type {import('../../www/pkg/sla_lens.js').PolicyError} */ (e); // what the engine throws for a policy
        return {
          ok: true,
          valid: false,
          diagnostics: x.diagnostics ?? [{ severity: 'error', code: 'invalid', path: '', message: x.message }],
        };
      }
    }
    return { ok: true, valid: v.ok, diagnostics: v.diagnostics, info };
  },

  /**
   * The options page's check of a site before it is saved: the site file it makes (lib/config.js
   * `siteFile`: the tracker, origin and mapping; for Request Tracker its `rt` object) read by the
   * engine's own site reader (the one the mapping uses), every problem with its path.
   * @param {Message} msg
   */
  async validateSite(msg) {
    await loadEngine();
    if (!msg.site || typeof msg.site !== 'object') return { ok: false, error: 'no site to check' };
    const s = normalizeSite(msg.site);
    if (!s.origin) return { ok: false, error: 'the site has no address' };
    const v = validateSite(siteFile(s));
    return { ok: true, valid: v.ok, diagnostics: v.diagnostics };
  },

  /**
   * The built-in policies, for "start from the default".
   * @param {Message} msg
   */
  async examplePolicy(msg) {
    await loadEngine();
    return { ok: true, text: examplePolicy(msg.name ?? 'default') };
  },

  /** What the options page and the popup show. */
  async state() {
    const cfg = await readConfig();
    await loadEngine();
    const { engine, error, diagnostics } = policyEngine(cfg);
    const policyText = cfg.config.policy.text ?? examplePolicyText('default');
    return {
      ok: true,
      config: cfg.config,
      user: cfg.user,
      locked: cfg.locked,
      managed: cfg.managed,
      allowUserSites: cfg.managedRaw?.allowUserSites !== false,
      storageError: cfg.storageError,
      policy: {
        id: engine.id,
        name: engine.name,
        error,
        diagnostics: diagnostics ?? [],
        text: policyText,
        contacts: contactsOf(policyText),
        review: reviewOf(engine),
      },
      adapter: adapterInfo(),
      stats,
      testBuild: __SLA_TEST__,
      nowMs: now(),
    };
  },

  /**
   * The popup: the current tab's summary.
   * @param {Message} msg
   */
  async tabSummary(msg) {
    const cfg = await readConfig();
    await loadEngine();
    const { engine } = policyEngine(cfg);
    let s = tabs.get(msg.tabId);
    if (!s && ext.storage.session) s = (await ext.storage.session.get(`tab:${msg.tabId}`))[`tab:${msg.tabId}`];
    return {
      ok: true,
      summary: s ?? null,
      policy: { name: engine.name, review: reviewOf(engine) },
      nowMs: now(),
      sites: cfg.config.sites.length,
    };
  },

  /**
   * Saves the user's configuration (the options page); managed parts are not written.
   * @param {Message} msg
   */
  async saveConfig(msg) {
    const m = migrate(msg.config);
    if (m.error) return { ok: false, error: m.error };
    const c = normalize(m.config);
    c.sites = c.sites.filter((s) => !s.managed);
    await ext.storage.local.set({ config: c });
    invalidate();
    await syncContentScripts().catch(() => {});
    await syncAlarm().catch(() => {});
    await broadcast({ type: 'configChanged' }).catch(() => {});
    return { ok: true };
  },

  /** The options page's "Check now". */
  async checkNow() {
    return { ok: true, ...(await check()) };
  },
};

/** @param {import('../../www/pkg/sla_lens.js').ExamplePolicy} name */
function examplePolicyText(name) {
  return examplePolicy(name);
}

/** @param {string} text */
function contactsOf(text) {
  try {
    const p = JSON.parse(text);
    // `l`: a level of the policy's JSON, untyped (any shape: the stored text may be invalid).
    return (p.escalation?.levels ?? []).map((/** @type {any} */ l) => ({
      level: l.level,
      role: l.role,
      contacts: l.contacts ?? [],
    }));
  } catch {
    return [];
  }
}

/**
 * The policy's review status today ("SLA review due on …"), via an explanation's trace.
 * @param {SlaEngine} engine
 */
function reviewOf(engine) {
  try {
    const t = now();
    return engine.explain({ id: 'review', created: t }, t).review ?? null;
  } catch {
    return null;
  }
}

/** @param {Site} site */
function apiOrigin(site) {
  return originOf(apiBaseOf(site));
}

/** @param {string} url */
function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** @typedef {(msg: Message, who: Who) => Promise<unknown>} Handler */
/** @typedef {keyof typeof handlers} MessageType */

/**
 * The runtime's MessageSender, as far as it is read here and in lib/senders.js.
 * @typedef {{ id?: string, url?: string, origin?: string, tab?: { id?: number } }} Sender
 */

/**
 * A runtime message: answered by its handler when ACCESS lets its sender send it.
 * @param {any} msg  untyped: another process's message (any value, null included; checked below)
 * @param {Sender} sender
 * @param {(answer: unknown) => void} sendResponse
 */
function onMessage(msg, sender, sendResponse) {
  // `h`: one of the handlers' own (hasOwn); a handler for content scripts only gets their senders
  // (ACCESS, below).
  const h =
    msg && typeof msg.type === 'string' && Object.hasOwn(handlers, msg.type)
      ? /** @type {Handler} */ (handlers[/** @type {MessageType} */ (msg.type)])
      : null;
  if (!h) return false;
  // Only our own pages and our content scripts talk to us (runtime messages never come from
  // web pages without externally_connectable), but a content script speaks for its page's
  // renderer: each message type is answered only for the senders ACCESS lists.
  const who = sender?.id === ext.runtime.id ? senderOf(sender, ext.runtime.getURL('')) : null;
  if (!who || !ACCESS[/** @type {MessageType} */ (msg.type)]?.includes(who.kind)) {
    sendResponse({ ok: false, refused: true, error: `sla-lens: ${msg.type} is not answered for this sender` });
    return false;
  }
  Promise.resolve()
    .then(() => (__SLA_TEST__ ? loadTestClock() : null))
    .then(() => h(msg, who))
    .then(sendResponse, (e) => sendResponse({ ok: false, error: String(e?.message ?? e) }));
  return true;
}
ext.runtime.onMessage.addListener(onMessage);

/**
 * Tells every annotated tab that the policy or the sites changed, so badges update in place.
 * @param {{ type: string }} msg
 */
async function broadcast(msg) {
  const ids = new Set(tabs.keys());
  if (ext.storage.session) {
    const all = await ext.storage.session.get(null);
    for (const k of Object.keys(all)) if (k.startsWith('tab:')) ids.add(Number(k.slice(4)));
  }
  await Promise.all(
    [...ids].map((id) =>
      ext.tabs.sendMessage(id, msg).catch(() => {
        tabs.delete(id);
        ext.storage.session?.remove(`tab:${id}`).catch(() => {});
      }),
    ),
  );
}

/**
 * @param {Record<string, { oldValue?: unknown, newValue?: unknown }>} changes
 * @param {string} area
 */
function onStorageChanged(changes, area) {
  if (area === 'managed' || (area === 'local' && (changes.config || (__SLA_TEST__ && changes.testManaged)))) {
    invalidate();
    syncContentScripts().catch(() => {});
    syncAlarm().catch(() => {});
    broadcast({ type: 'configChanged' }).catch(() => {});
  }
  if (__SLA_TEST__ && area === 'local' && changes.testNow) {
    testClock = /** @type {typeof testClock} */ (changes.testNow.newValue ?? null); // setNow's
    broadcast({ type: 'configChanged' }).catch(() => {});
  }
}
ext.storage.onChanged.addListener(onStorageChanged);

ext.tabs.onRemoved.addListener((/** @type {number} */ id) => {
  tabs.delete(id);
  dropSet(tabTickets.get(id));
  tabTickets.delete(id);
  ext.storage.session?.remove([`tab:${id}`, `tickets:${id}`]).catch(() => {});
});

// ---------------------------------------------------------------------------------------------
// Content scripts, registered per configured origin that the user granted
// ---------------------------------------------------------------------------------------------

const CS_PREFIX = 'sla-lens-site-';
// Content scripts match the site's pages: with its port in Chromium, by host in Firefox (whose
// match patterns have no port); the content script then asks `hello`, which answers for the
// configured origin, port included, only.
/** @param {string} origin */
function contentPattern(origin) {
  return hostPatterns({ origin, tracker: 'redmine' }, { ports: matchPorts })[0];
}

/** @type {Promise<unknown>} */
let syncing = Promise.resolve();
/** Registers the content scripts for the granted, enabled sites; one sync at a time. */
export function syncContentScripts() {
  const run = syncing.then(syncOnce, syncOnce);
  syncing = run.catch(() => {});
  return run;
}

async function syncOnce() {
  const cfg = await readConfig();
  /** @type {{ id: string, matches: string[] }[]} */
  const want = [];
  for (const s of /** @type {Site[]} */ (cfg.config.sites)) {
    if (!s.enabled) continue;
    // The pages and, for GitHub, the API origin the worker fetches from.
    const granted = await ext.permissions
      .contains({ origins: hostPatterns(s, { ports: matchPorts }) })
      .catch(() => false);
    if (granted)
      want.push({ id: CS_PREFIX + s.origin.replace(/[^a-z0-9]/gi, '_'), matches: [contentPattern(s.origin)] });
  }
  /** @type {{ id: string, matches?: string[] }[]} */
  const have = await ext.scripting.getRegisteredContentScripts().catch(() => []);
  const mine = have.filter((c) => c.id.startsWith(CS_PREFIX) && !c.id.endsWith('-main'));
  const stale = mine
    .filter((c) => !want.some((w) => w.id === c.id && w.matches[0] === c.matches?.[0]))
    .map((c) => c.id);
  if (stale.length) {
    const ids = new Set(have.map((c) => c.id));
    await ext.scripting.unregisterContentScripts({
      ids: stale.flatMap((id) => [id, `${id}-main`]).filter((id) => ids.has(id)),
    });
  }
  const add = want.filter((w) => !mine.some((c) => c.id === w.id && !stale.includes(c.id)));
  if (add.length) {
    // Two scripts per origin: the badge element in the page's world (custom elements do not
    // exist in isolated worlds), and the content script that talks to this worker.
    await ext.scripting.registerContentScripts(
      add.flatMap((w) => [
        {
          id: `${w.id}-main`,
          matches: w.matches,
          js: ['badge-main.js'],
          runAt: 'document_idle',
          world: 'MAIN',
          persistAcrossSessions: true,
        },
        { id: w.id, matches: w.matches, js: ['content.js'], runAt: 'document_idle', persistAcrossSessions: true },
      ]),
    );
  }
  return { registered: want.map((w) => w.matches[0]) };
}

ext.permissions.onAdded?.addListener(() => syncContentScripts().catch(() => {}));
ext.permissions.onRemoved?.addListener(() => syncContentScripts().catch(() => {}));
ext.runtime.onInstalled.addListener(async (/** @type {{ reason: string }} */ details) => {
  await syncContentScripts().catch(() => {});
  await syncAlarm().catch(() => {});
  if (details.reason === 'install' && !__SLA_TEST__) ext.runtime.openOptionsPage?.();
});
ext.runtime.onStartup?.addListener(() => {
  syncContentScripts().catch(() => {});
  syncAlarm().catch(() => {});
});

// ---------------------------------------------------------------------------------------------
// Escalation notifications (opt-in): a scheduled check of the configured trackers' open issues
// ---------------------------------------------------------------------------------------------

const ALARM = 'sla-lens-check';
/**
 * Open issues read per site and check. GitHub has no list call by number: each issue costs two
 * requests (the issue and its timeline), so 100 issues every 5 minutes stay within its
 * 5,000-an-hour limit for a token; the others list 100 issues a call.
 */
const CHECK_MAX = { redmine: 300, gitlab: 300, jira: 300, rt: 300, github: 100 };

async function syncAlarm() {
  const cfg = await readConfig();
  const n = cfg.config.notifications;
  const allowed = await ext.permissions.contains({ permissions: ['notifications'] }).catch(() => false);
  if (n.enabled && allowed) {
    const cur = await ext.alarms.get(ALARM);
    if (!cur || cur.periodInMinutes !== n.intervalMinutes)
      await ext.alarms.create(ALARM, { periodInMinutes: n.intervalMinutes, delayInMinutes: 1 });
  } else {
    await ext.alarms.clear(ALARM);
  }
}

ext.alarms.onAlarm.addListener(async (/** @type {{ name: string }} */ a) => {
  if (a.name !== ALARM) return;
  // Test builds: a test that froze the clock drives the checks itself, at the instants it
  // chooses; a scheduled check in between would take their transitions.
  if (__SLA_TEST__) {
    await loadTestClock();
    if (testClock?.frozen) return;
  }
  check().catch(() => {});
});

/**
 * One check: fetch open issues, evaluate, decide, notify. Checks run one at a time (the alarm
 * and "Check now" may overlap): each reads the notification memory the one before it wrote, so
 * a transition is notified once, never lost or doubled by two checks interleaving.
 */
export const check = oneAtATime(checkOnce);

async function checkOnce() {
  await loadEngine();
  if (__SLA_TEST__) await loadTestClock();
  const cfg = await readConfig();
  const prefs = cfg.config.notifications;
  if (!prefs.enabled) return { skipped: 'notifications are off', shown: [] };
  if (!(await ext.permissions.contains({ permissions: ['notifications'] }).catch(() => false)))
    return { skipped: 'no notifications permission', shown: [] };
  /** @type {Parameters<typeof decide>[0]['batches']} */
  const batches = [];
  /** @type {Record<string, string>} */
  const errors = {};
  /** @type {Record<string, number>} */
  const requests = {};
  for (const site of /** @type {Site[]} */ (cfg.config.sites)) {
    if (!site.enabled) continue;
    if (!(await ext.permissions.contains({ origins: hostPatterns(site, { ports: matchPorts }) }).catch(() => false))) {
      errors[site.origin] =
        `no access to ${hostPatterns(site, { ports: matchPorts }).join(' and ')}: grant it in the options`;
      continue;
    }
    const client = siteClient(site);
    // The adapters' auth reads the token and the client (Redmine's, without one, the page's
    // document: none here), nothing else of a page view's LoadContext.
    const io = /** @type {import('../../www/trackers/annotate.js').LoadContext} */ ({
      token: site.token || null,
      client,
    });
    client.setHeaders(await ADAPTERS[site.tracker].auth(io).catch(() => ({})));
    const open = await listOpen(site, { client, max: CHECK_MAX[site.tracker] });
    if (open.errors.length) errors[site.origin] = open.errors.join('; ');
    let sent = client.requests;
    for (const { project, ids } of open.groups) {
      const f = await workerLoad(site, ids, null, project ? { kind: 'issueList', project } : null);
      sent += f.requests;
      const out = evaluateDocs(cfg, site, f.docs, f.failed, f.skewMs, { full: true, docIds: f.docIds });
      // Issue numbers are per project on GitHub and GitLab: one memory per project.
      const siteKey = project ? `${site.origin} ${project}` : site.origin;
      batches.push({
        siteKey,
        issues: out.results.map((r, i) => ({
          id: String(r.id ?? out.tickets[i].id),
          label: project ? `${project}#${r.id ?? out.tickets[i].id}` : null,
          title: out.tickets[i].title,
          url: out.tickets[i].url,
          siteKey,
          result: r,
        })),
      });
    }
    requests[site.origin] = sent;
  }
  const { notifyMemory = {}, notifyBaselined = {} } = await ext.storage.local.get(['notifyMemory', 'notifyBaselined']);
  const d = decide({ batches, memory: notifyMemory, baselined: notifyBaselined, now: now(), prefs, me: cfg.config.me });
  await ext.storage.local.set({ notifyMemory: d.memory, notifyBaselined: d.baselined });
  const { notifyLog = [] } = await ext.storage.local.get('notifyLog');
  for (const n of d.show) {
    const id = `sla:${n.id}`.slice(0, 200);
    await ext.notifications
      .create(id, {
        type: 'basic',
        iconUrl: ext.runtime.getURL('icons/icon-128.png'),
        title: n.title,
        message: n.message,
        priority: 1,
      })
      .catch(() => {});
    notifyLog.push({ ...n, at: now() });
    if (n.url) await ext.storage.session?.set({ [`notif:${id}`]: n.url }).catch(() => {});
  }
  const checked = batches.reduce((a, b) => a + b.issues.length, 0);
  // What the options page shows as the last check: when, how much, and each site's problem.
  await ext.storage.local.set({
    notifyLog: notifyLog.slice(-50),
    notifyLast: { at: now(), checked, shown: d.show.length, quiet: d.quiet, errors },
  });
  return { shown: d.show, quiet: d.quiet, errors, requests, checked };
}

ext.notifications?.onClicked?.addListener(async (/** @type {string} */ id) => {
  const key = `notif:${id}`;
  const url = (await ext.storage.session?.get(key))?.[key];
  const href = httpUrl(url);
  if (href) await ext.tabs.create({ url: href });
  ext.notifications.clear(id).catch(() => {});
});

// ---------------------------------------------------------------------------------------------
// Hooks for the test harness and the benchmarks (the extension's own global, not the page's):
// the test build only (scripts/build-extension.mjs `test`, which tests/extension/bench.mjs and
// bench-check.mjs load too); the store builds compile them out (tests/extension/lint.test.mjs).
// ---------------------------------------------------------------------------------------------

/** @typedef {typeof globalThis & { slaLens: Record<string, unknown> }} TestGlobal  the test build's hooks */

if (__SLA_TEST__)
  /** @type {TestGlobal} */ (globalThis).slaLens = {
    stats,
    loadEngine,
    check,
    syncContentScripts,
    readConfig: async () => {
      invalidate();
      return readConfig();
    },
    /**
     * Maps a tracker's documents and evaluates them `rounds` times: the worker benchmark. Each
     * round: a refresh of a tab's kept tickets (`ticketSetOf` + `evaluateLite` with the set, as
     * the `refresh` handler does), the same from the ticket objects (read each time), and full
     * results; `setMs` is reading the tickets into a set once (when a tab's tickets change).
     * @param {import('../../www/pkg/sla_lens.js').TrackerName} kind
     * @param {unknown[]} docs
     * @param {number} nowMs
     */
    async benchDocs(kind, docs, nowMs, rounds = 7) {
      await loadEngine();
      const cfg = await readConfig();
      const { engine } = policyEngine(cfg);
      const t0 = performance.now();
      const tickets = /** @type {TicketInput[]} */ (mapDocs(kind, docs, { tracker: kind }).tickets); // the mapping's
      const mapMs = performance.now() - t0;
      /** @type {number[]} */
      const times = [];
      const first = [];
      /** @type {number[]} */
      const tiering = [];
      const unkept = [];
      const full = [];
      const setMs = [];
      /** @type {Result[]} */
      let results = [];
      let same = true;
      for (let i = 0; i < rounds; i++) {
        const kept = { origin: 'bench', byId: new Map(tickets.map((x) => [String(x.id), x])) };
        let t = performance.now();
        ticketSetOf(kept);
        setMs.push(performance.now() - t);
        t = performance.now();
        const { list, set } = ticketSetOf(kept);
        results = evaluateLite(engine, list, nowMs, set).results;
        first.push(performance.now() - t);
        // Refreshes: the same kept set evaluated again a minute later each time (its texts
        // crossed to JS when the set was made). The first three are V8 tiering the engine's
        // code up (Liftoff → TurboFan) and are reported on their own; the rest are warm.
        for (let j = 1; j <= 20; j++) {
          t = performance.now();
          const again = evaluateLite(engine, list, nowMs + j * 60_000, set).results;
          (j <= 3 ? tiering : times).push(performance.now() - t);
          same &&= again.length === results.length;
        }
        dropSet(kept);
        t = performance.now();
        const fromObjects = evaluateLite(engine, tickets, nowMs).results;
        unkept.push(performance.now() - t);
        same &&= JSON.stringify(fromObjects) === JSON.stringify(results);
        t = performance.now();
        engine.evaluate(tickets, nowMs, {});
        full.push(performance.now() - t);
      }
      return {
        tickets: tickets.length,
        mapMs,
        setMs,
        evaluateMs: times,
        firstEvaluateMs: first,
        tieringEvaluateMs: tiering,
        unkeptEvaluateMs: unkept,
        fullEvaluateMs: full,
        same,
        states: results.map((r) => r.evaluation?.state ?? 'error'),
      };
    },
    /**
     * Evaluates `tickets` under the configured policy: the worker benchmark.
     * @param {TicketInput[]} tickets
     * @param {number} nowMs
     */
    async bench(tickets, nowMs, rounds = 5) {
      await loadEngine();
      const { engine } = policyEngine(await readConfig());
      const times = [];
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        engine.evaluate(tickets, nowMs, {});
        times.push(performance.now() - t0);
      }
      return times;
    },
  };
if (__SLA_TEST__) {
  /** @type {TestGlobal} */ (globalThis).slaLens.setNow = async (/** @type {number | null} */ ms, frozen = true) => {
    const v = ms == null ? null : { base: ms, setAt: Date.now(), frozen };
    testClock = v;
    if (v) await ext.storage.local.set({ testNow: v });
    else await ext.storage.local.remove('testNow');
  };
}

loadEngine().catch(() => {});
