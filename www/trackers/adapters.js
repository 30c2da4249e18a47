// @ts-check
// The one registry of tracker adapters (www/trackers/<tracker>.js: each owns everything about its
// host — selectors, list calls, auth headers), shared by the page integration (annotate.js, the
// drop-in script, the Redmine plugin) and the browser extension (extension/src/lib/page-adapter.js,
// its worker). No engine, no DOM writes: safe in a content script and in a service worker.
import { redmine } from './redmine.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { jira } from './jira.js';
import { rt } from './rt.js';

export const ADAPTERS = Object.freeze({ redmine, github, gitlab, jira, rt });

/**
 * The one context an adapter's `targets` reads (annotate.js `FindContext`), for every host: the
 * page the URL is, same-origin links and their paths, and `issueLinks(hrefs)` — the Rust URL
 * rules (the page: its Wasm; the extension: the worker's answers, asked for by message).
 * @param {{ page: import('../pkg/sla_lens.js').TrackerPage | null, origin: string, issueLinks: (hrefs: string[]) => (string | null)[] }} o
 * @returns {import('./annotate.js').FindContext}
 */
export function targetContext({ page, origin, issueLinks }) {
  const prefix = `${origin}/`;
  return {
    page,
    sameOrigin: (a) => typeof a.href === 'string' && a.href.startsWith(prefix),
    path: (a) => a.href.slice(origin.length),
    issueLinks,
  };
}

/**
 * The adapter of `tracker`, or null for a tracker sla-lens does not know.
 * @param {unknown} tracker
 * @returns {import('./annotate.js').TrackerAdapter | null}
 */
export function adapterOf(tracker) {
  // The key cast: `Object.hasOwn` has just said it is one of ADAPTERS' own keys.
  return typeof tracker === 'string' && Object.hasOwn(ADAPTERS, tracker)
    ? ADAPTERS[/** @type {keyof typeof ADAPTERS} */ (tracker)]
    : null;
}

/** The tracker's name as its users write it: `Redmine`, `GitHub`, … @param {unknown} tracker */
export function trackerLabel(tracker) {
  return adapterOf(tracker)?.label ?? 'the tracker';
}

/** The shape of an issue id of `tracker` (the adapter's `idShape`), or null for an unknown tracker. @param {unknown} tracker */
export function idShapeOf(tracker) {
  return adapterOf(tracker)?.idShape ?? null;
}
