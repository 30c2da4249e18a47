// The content script (isolated world): finds the page's issues through the tracker adapter layer,
// fetches their REST data with the page's own session (or asks the worker to, with the site's
// token, which never enters the page's process), asks the worker to evaluate, and hands the
// results to the badge script in the page's world, which renders <sla-badge> elements. No Wasm
// here: the page's CSP may forbid it.
//
// Between evaluations a shared minute timer asks the worker to re-evaluate the tickets it already
// has (or earlier, at the worker's `nextChange`); no timer runs while the tab is hidden.

import { ext } from './lib/chrome.js';
import { fetchRedmine } from './lib/fetch-tracker.js';
import { findIssues, place } from './pages.js';

const MINUTE = 60_000;
const EV_RESULTS = 'sla-lens:results';
const EV_LINES = 'sla-lens:lines';
const EV_WANT_LINES = 'sla-lens:want-lines';
const EV_MAIN_READY = 'sla-lens:main-ready';

const state = {
  site: null,
  tickets: new Map(), // id → canonical ticket (from the worker)
  results: new Map(), // id → result
  unavailable: new Map(), // id → reason
  known: new Set(), // ids fetched in this page view (cache)
  policyName: '',
  skewMs: 0,
  offsetMs: 0, // worker's now - Date.now()
  nextChange: null,
  timer: null,
  busy: null,
  perf: [],
};

function send(msg) {
  return ext.runtime.sendMessage(msg);
}

/** The badge script in the page's world is ready (it may load before or after us). */
const mainReady = new Promise((resolve) => {
  if (document.documentElement.hasAttribute('data-sla-lens-main')) resolve();
  else document.addEventListener(EV_MAIN_READY, () => resolve(), { once: true });
  setTimeout(resolve, 5000);
});

function post(type, detail) {
  document.dispatchEvent(new CustomEvent(type, { detail: JSON.stringify(detail) }));
}

/** Sends the current results to the badge script: one event, one batch of DOM writes. */
function publish(changedIds) {
  const ids = changedIds ?? [...new Set([...state.results.keys(), ...state.unavailable.keys()])];
  post(EV_RESULTS, {
    nowMs: Date.now() + state.offsetMs,
    offsetMs: state.offsetMs,
    skewMs: state.skewMs,
    policyName: state.policyName,
    results: ids.filter((id) => state.results.has(id)).map((id) => state.results.get(id)),
    unavailable: ids.filter((id) => state.unavailable.has(id)).map((id) => [id, state.unavailable.get(id)]),
  });
}

function absorb(out, asked) {
  if (!out?.ok) {
    for (const id of asked) state.unavailable.set(id, out?.error ?? 'sla-lens could not evaluate this issue');
    return;
  }
  state.policyName = out.policy?.name ?? state.policyName;
  state.skewMs = out.skewMs ?? 0;
  state.offsetMs = out.nowMs - Date.now();
  state.nextChange = out.nextChange ?? null;
  (out.tickets ?? []).forEach((t) => state.tickets.set(String(t.id), t));
  for (const r of out.results ?? []) {
    if (r.id == null) continue;
    state.results.set(String(r.id), r);
    state.unavailable.delete(String(r.id));
  }
  for (const [id, why] of Object.entries(out.unavailable ?? {})) {
    state.unavailable.set(id, why);
    state.results.delete(id);
  }
  const why = out.fatal ? `the tracker's answer could not be read (${out.fatal})` : 'the tracker did not return this issue';
  for (const id of asked) if (!state.results.has(id) && !state.unavailable.has(id)) state.unavailable.set(id, why);
}

/** Fetches and evaluates `ids` (new to this page view). */
async function load(ids) {
  const site = state.site;
  if (site.token || site.tracker !== 'redmine') {
    // The token stays in the worker; it fetches from the tracker's origin itself.
    return send({ type: 'fetchEvaluate', url: location.href, ids });
  }
  const f = await fetchRedmine({ origin: location.origin, tracker: 'redmine', site: { basePath: site.basePath } }, ids, { credentials: 'same-origin' });
  if (!f.docs.length && Object.keys(f.failed).length === ids.length && Object.values(f.failed).every((r) => r.startsWith('network'))) {
    // The page forbids our requests (e.g. a connect-src CSP): let the worker fetch.
    return send({ type: 'fetchEvaluate', url: location.href, ids });
  }
  return send({ type: 'evaluate', url: location.href, docs: f.docs, failed: f.failed, serverDate: f.serverDate });
}

/** Finds the page's issues, loads the new ones, and renders every badge. */
async function annotate() {
  if (state.busy) return state.busy;
  state.busy = (async () => {
    const found = findIssues(state.site.tracker, document, location, state.site.basePath);
    if (!found.length) return;
    const fresh = [...new Set(found.map((f) => f.id))].filter((id) => !state.known.has(id));
    fresh.forEach((id) => state.known.add(id));
    if (fresh.length) {
      let out;
      try {
        out = await load(fresh);
      } catch (e) {
        out = { ok: false, error: `sla-lens: ${e.message}` };
      }
      await mainReady;
      // Data ready: from here to painted badges is the content script's main-thread cost.
      const t0 = performance.now();
      absorb(out, fresh);
      observer.disconnect();
      place(document, findIssues(state.site.tracker, document, location, state.site.basePath));
      publish();
      observe();
      const t1 = performance.now();
      // Performance marks for the benchmark: script time, the next frame, and after that frame's
      // style, layout and paint (a task queued from its animation callback).
      requestAnimationFrame(() => {
        const t2 = performance.now();
        setTimeout(() => {
          const t3 = performance.now();
          state.perf.push({ issues: fresh.length, dataReadyAt: t0, scriptMs: t1 - t0, frameMs: t2 - t0, paintedMs: t3 - t0 });
          document.documentElement.setAttribute('data-sla-lens-badges', String(state.results.size + state.unavailable.size));
          document.documentElement.setAttribute('data-sla-lens-perf', JSON.stringify(state.perf.at(-1)));
        }, 0);
      });
    } else {
      observer.disconnect();
      place(document, found);
      publish(found.map((f) => f.id));
      observe();
    }
    schedule();
  })().finally(() => {
    state.busy = null;
  });
  return state.busy;
}

/** Re-evaluates the tickets this page has, at the worker's clock. */
async function refresh() {
  const tickets = [...state.tickets.values()];
  if (!tickets.length) return;
  try {
    const out = await send({ type: 'evaluateTickets', url: location.href, tickets, unavailable: state.unavailable.size });
    if (!out?.ok) return;
    state.offsetMs = out.nowMs - Date.now();
    state.nextChange = out.nextChange ?? null;
    state.policyName = out.policy?.name ?? state.policyName;
    for (const r of out.results) if (r.id != null) state.results.set(String(r.id), r);
    publish();
  } catch {
    // the worker restarted; the next tick tries again
  }
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = null;
  if (document.visibilityState === 'hidden' || !state.tickets.size) return;
  const t = Date.now() + state.offsetMs;
  let due = t - (t % MINUTE) + MINUTE;
  if (state.nextChange != null && state.nextChange > t && state.nextChange < due) due = state.nextChange;
  state.timer = setTimeout(async () => {
    await refresh();
    schedule();
  }, Math.max(50, due - t));
}

// Pages that change without a full load (filters, XHR pagination, Turbo): re-annotate, never
// duplicating a badge (place() is idempotent), at most once per animation frame.
let pending = false;
const observer = new MutationObserver((records) => {
  if (pending) return;
  const relevant = records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && n.localName !== 'sla-badge'));
  if (!relevant) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    annotate();
  });
});
function observe() {
  observer.observe(document.body, { childList: true, subtree: true });
}

// The badge script asks for a tooltip's sentences.
document.addEventListener(EV_WANT_LINES, async (e) => {
  let id;
  try {
    id = String(JSON.parse(e.detail).id);
  } catch {
    return;
  }
  const ticket = state.tickets.get(id);
  if (!ticket) return;
  const out = await send({ type: 'explain', url: location.href, ticket, nowMs: Date.now() + state.offsetMs }).catch(() => null);
  post(EV_LINES, { id, lines: out?.lines ?? [] });
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh().then(schedule);
  else schedule();
});

window.addEventListener('pagehide', () => {
  observer.disconnect();
  clearTimeout(state.timer);
});

// The policy or the sites changed in the options page: re-evaluate in place, no reload.
ext.runtime.onMessage.addListener((msg) => {
  if (msg?.type !== 'configChanged') return false;
  (async () => {
    const hello = await send({ type: 'hello', url: location.href }).catch(() => null);
    if (!hello?.site) {
      post(EV_RESULTS, { clear: true });
      return;
    }
    state.site = hello.site;
    // A changed site (mapping, token) needs the data again; a changed policy only re-evaluates.
    state.known.clear();
    state.tickets.clear();
    await annotate();
  })();
  return false;
});

async function start() {
  if (globalThis.__slaLensStarted) return;
  globalThis.__slaLensStarted = true;
  const hello = await send({ type: 'hello', url: location.href }).catch(() => null);
  if (!hello?.site) return;
  state.site = hello.site;
  observe();
  await annotate();
}

start();
