// @ts-check
// The content script (isolated world): finds the page's issues through the tracker adapter layer,
// has them fetched and evaluated through its engine port (lib/worker-port.js `load`: the page's
// own session, or the worker with the site's token, which never enters the page's process; every
// message to the worker goes through the port), and hands the
// results to the badge script in the page's world, which renders <sla-badge> elements. No Wasm
// here: the page's CSP may forbid it. The canonical tickets stay in the worker.
//
// Badges are placed for the issues on screen (and a screen's height around it) at once; the
// others when they scroll near, so a 1,000-row list costs the main thread what the visible rows
// cost. A minute timer (or the worker's `nextChange`, when earlier) re-evaluates; no timer runs
// while the tab is hidden.

/* global __SLA_TEST__ */
import { ext } from './lib/chrome.js';
import { findTargets, trackerLabel, whyMissing } from './lib/page-adapter.js';
import { place, changesPage } from '../../www/trackers/placement.js';
import { LazyMount } from '../../www/trackers/lazy.js';
import { workerPort } from './lib/worker-port.js';

const MINUTE = 60_000;
const EV_RESULTS = 'sla-lens:results';
const EV_LINES = 'sla-lens:lines';
const EV_WANT_LINES = 'sla-lens:want-lines';
const EV_MAIN_READY = 'sla-lens:main-ready';

/**
 * This page's site, as the worker's `hello` gives it (lib/config.js).
 * @typedef {{ tracker: string, token?: string | null, fetchInWorker?: boolean, basePath?: string }} Site
 */

/**
 * @type {{ site: Site | null, results: Map<string, { id: unknown }>, unavailable: Map<string, string>,
 *   known: Set<string>, placed: Set<string>, page: import('../../www/pkg/sla_lens.js').TrackerPage | null,
 *   url: string | null, memo: Map<string, unknown>, policyName: string, skewMs: number, offsetMs: number,
 *   nextChange: number | null, timer: ReturnType<typeof setTimeout> | null, busy: Promise<void> | null,
 *   perf: object[], split: { readMs: number, writeMs: number }, split2: { placeMs: number, publishMs: number } }}
 */
const state = {
  site: null,
  results: new Map(), // id → result (compact: what the badge shows)
  unavailable: new Map(), // id → reason
  known: new Set(), // ids requested in this page view (cache)
  placed: new Set(), // ids with a badge on the page
  page: null, // the worker's detectPage for this URL
  url: null,
  memo: new Map(), // per page view: the adapter's once-only requests (statuses, API key)
  policyName: '',
  skewMs: 0,
  offsetMs: 0, // worker's now - Date.now()
  nextChange: null,
  timer: null,
  busy: null,
  perf: [],
  split: { readMs: 0, writeMs: 0 }, // lazy mounting's last reads and writes (the benchmark's)
  split2: { placeMs: 0, publishMs: 0 },
};

/** The engine: the worker, by messages (www/trackers/port.js `WorkerPort`). */
const port = workerPort({ send: (msg) => ext.runtime.sendMessage(msg), href: () => location.href });

/** The badge script in the page's world is ready (it may load before or after us). */
/** @type {Promise<void>} */
const mainReady = new Promise((resolve) => {
  if (document.documentElement.hasAttribute('data-sla-lens-main')) resolve();
  else document.addEventListener(EV_MAIN_READY, () => resolve(), { once: true });
  setTimeout(resolve, 5000);
});

/** @param {string} type @param {unknown} detail */
function post(type, detail) {
  document.dispatchEvent(new CustomEvent(type, { detail: JSON.stringify(detail) }));
}

/** Sends the results of `ids` (default: every placed badge) to the badge script. */
function publish(ids = [...state.placed]) {
  post(EV_RESULTS, {
    offsetMs: state.offsetMs,
    skewMs: state.skewMs,
    tracker: trackerLabel(state.site?.tracker),
    policyName: state.policyName,
    results: ids.filter((id) => state.results.has(id)).map((id) => state.results.get(id)),
    unavailable: ids.filter((id) => state.unavailable.has(id)).map((id) => [id, state.unavailable.get(id)]),
  });
}

/**
 * `docIds`: the issues each doc held, where this script fetched the docs (null: the worker did).
 * @param {import('../../www/trackers/port.js').WorkerAnswer | undefined} out
 * @param {string[]} asked
 * @param {(string[] | null)[] | null} [docIds]
 */
function absorb(out, asked, docIds = null) {
  if (!out?.ok) {
    for (const id of asked) state.unavailable.set(id, out?.error ?? 'sla-lens could not evaluate this issue');
    return;
  }
  state.policyName = out.policy?.name ?? state.policyName;
  state.skewMs = out.skewMs ?? 0;
  state.offsetMs = /** @type {number} */ (out.nowMs) - Date.now(); // an ok answer has the worker's clock
  state.nextChange = out.nextChange ?? null;
  for (const r of out.results ?? []) {
    if (r.id == null) continue;
    state.results.set(String(r.id), r);
    state.unavailable.delete(String(r.id));
  }
  // Each issue asked for with no result reads why (its own reason, the reason of the answer that
  // held it, or the whole answer's), as the page integration says it.
  for (const [id, why] of whyMissing(out, asked, docIds)) {
    state.unavailable.set(id, why);
    state.results.delete(id);
  }
}

/** The adapter's targets on the page (a new URL is a new page view: its page kind is asked). */
async function targets() {
  if (state.url !== location.href) {
    state.url = location.href;
    state.memo = new Map();
    state.page = await port.detectPage(location.href);
  }
  return findTargets(/** @type {Site} */ (state.site).tracker, document, {
    // set before the first `annotate`
    origin: location.origin,
    page: state.page,
    resolveLinks: (hrefs) => Promise.resolve(port.issueLinks(hrefs)),
  });
}

// Badges for the rows on screen now, the others when they scroll near (www/trackers/lazy.js, the
// one viewport-lazy mounting); `show` places and publishes, out of the observer's sight.
const lazy = new LazyMount({
  document,
  show,
  writing: (fn) => {
    observer.disconnect();
    fn();
    observe();
  },
});

/** @param {import('../../www/trackers/annotate.js').Target[]} found */
function show(found) {
  observer.disconnect();
  const w0 = performance.now();
  place(document, found, /** @type {Site} */ (state.site).tracker); // set before the first `annotate`
  const w1 = performance.now();
  const ids = [...new Set(found.map((f) => f.id))];
  for (const id of ids) state.placed.add(id);
  publish(ids);
  state.split2 = { placeMs: w1 - w0, publishMs: performance.now() - w1 };
  observe();
}

/** Badges for the issues on screen (and a screen around it) now, the rest when they come near. @param {import('../../www/trackers/annotate.js').Target[]} found */
function render(found) {
  lazy.mount(found);
  state.split = lazy.split;
}

/** Finds the page's issues, loads the new ones, and renders their badges. */
async function annotate(reset = false) {
  if (state.busy) return state.busy;
  state.busy = (async () => {
    const found = await targets();
    if (!found.length) return;
    const fresh = [...new Set(found.map((f) => f.id))].filter((id) => !state.known.has(id));
    for (const id of fresh) state.known.add(id);
    if (fresh.length) {
      // Before the data: slots for every row and badges ("…") for the rows on screen.
      await mainReady;
      const p0 = performance.now();
      render(found);
      const prep = {
        prepMs: performance.now() - p0,
        prepReadMs: state.split.readMs,
        prepPlaceMs: state.split2.placeMs,
        prepPlaced: state.placed.size,
      };
      let out;
      /** @type {(string[] | null)[] | null} */
      let docIds = null;
      try {
        ({ out, docIds } = await port.load(fresh, {
          site: /** @type {Site} */ (state.site), // set before the first `annotate` (start), never unset
          origin: location.origin,
          page: state.page,
          document,
          memo: state.memo,
          reset,
        }));
      } catch (e) {
        out = { ok: false, error: `sla-lens: ${/** @type {{ message?: unknown }} */ (e).message}` };
      }
      // Data ready: from here to painted badges is the content script's main-thread cost.
      const t0 = performance.now();
      absorb(out, fresh, docIds);
      const again = found.every((f) => f.anchor.isConnected) ? null : await targets();
      if (again) render(again);
      else publish();
      const t1 = performance.now();
      // Marks for the benchmark: script time, the next frame, and after that frame's style,
      // layout and paint (a task queued from its animation callback).
      // The marks are the test build's only (tests/extension/bench.mjs); every build says, once
      // the badges are painted, how many issues have one (the tests' and the smoke test's cue).
      requestAnimationFrame(() => {
        const t2 = performance.now();
        setTimeout(() => {
          const t3 = performance.now();
          document.documentElement.setAttribute(
            'data-sla-lens-badges',
            String(state.results.size + state.unavailable.size),
          );
          if (__SLA_TEST__) {
            state.perf.push({
              issues: fresh.length,
              badges: state.placed.size,
              dataReadyAt: t0,
              scriptMs: t1 - t0,
              frameMs: t2 - t0,
              paintedMs: t3 - t0,
              ...prep,
            });
            document.documentElement.setAttribute('data-sla-lens-perf', JSON.stringify(state.perf.at(-1)));
          }
        }, 0);
      });
    } else render(found);
    schedule();
  })().finally(() => {
    state.busy = null;
  });
  return state.busy;
}

/** Re-evaluates this page's issues at the worker's clock (the worker keeps their tickets). */
async function refresh() {
  if (!state.results.size) return;
  let out;
  try {
    out = await port.refresh({ unavailable: state.unavailable.size, skewMs: state.skewMs });
  } catch {
    return; // the next tick tries again
  }
  if (out?.gone) {
    // The worker lost this tab's tickets (or the site changed): load them again.
    state.known.clear();
    await annotate(true);
    return;
  }
  if (!out?.ok) return;
  // An ok answer has the worker's clock and the results.
  state.offsetMs = /** @type {number} */ (out.nowMs) - Date.now();
  state.nextChange = out.nextChange ?? null;
  state.policyName = out.policy?.name ?? state.policyName;
  for (const r of /** @type {{ id: unknown }[]} */ (out.results)) if (r.id != null) state.results.set(String(r.id), r);
  publish();
}

function schedule() {
  clearTimeout(state.timer ?? undefined);
  state.timer = null;
  if (document.visibilityState === 'hidden' || !state.results.size) return;
  const t = Date.now() + state.offsetMs;
  let due = t - (t % MINUTE) + MINUTE;
  if (state.nextChange != null && state.nextChange > t && state.nextChange < due) due = state.nextChange;
  state.timer = setTimeout(
    async () => {
      await refresh();
      schedule();
    },
    Math.max(50, due - t),
  );
}

// Pages that change without a full load (filters, XHR pagination, Turbo): re-annotate, never
// duplicating a badge (place() is idempotent), at most once per animation frame.
let queued = false;
const observer = new MutationObserver((records) => {
  if (queued) return;
  // Our own badges and slots going in are not a change of the page (placement.js, as annotate.js).
  if (!records.some(changesPage)) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
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
    id = String(JSON.parse(/** @type {CustomEvent} */ (e).detail).id);
  } catch {
    return;
  }
  if (!state.results.has(id)) return;
  post(EV_LINES, { id, lines: await port.explain(id, Date.now() + state.offsetMs) });
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh().then(schedule);
  else schedule();
});

// Leaving the page: no observer or timer runs while it waits in the back/forward cache. Coming
// back from it (`pageshow`, persisted) re-arms them: the page's changes are watched again, the
// rows still waiting for their badges are watched again, and the badges catch up with the clock.
window.addEventListener('pagehide', () => {
  observer.disconnect();
  lazy.pause();
  clearTimeout(state.timer ?? undefined);
  state.timer = null;
});

window.addEventListener('pageshow', (e) => {
  if (!e.persisted || !state.site) return;
  observe();
  lazy.resume();
  annotate()
    .then(() => refresh())
    .then(schedule)
    .catch(() => {});
});

// The policy or the sites changed in the options page: re-evaluate in place, no reload.
ext.runtime.onMessage.addListener((/** @type {{ type?: unknown } | null | undefined} */ msg) => {
  if (msg?.type !== 'configChanged') return false;
  (async () => {
    const hello = await port.hello();
    if (!hello?.site) {
      post(EV_RESULTS, { clear: true });
      state.placed.clear();
      return;
    }
    const siteChanged = JSON.stringify(hello.site) !== JSON.stringify(state.site);
    state.site = hello.site;
    if (siteChanged || !state.results.size) {
      // A changed mapping or token needs the data again.
      state.known.clear();
      await annotate(true);
    } else await refresh();
    schedule();
  })();
  return false;
});

async function start() {
  if (globalThis.__slaLensStarted) return;
  globalThis.__slaLensStarted = true;
  const hello = await port.hello();
  if (!hello?.site) return;
  state.site = hello.site;
  observe();
  await annotate(true);
}

start();
