// @ts-check
// The extension's adapter layer over the page integration's tracker adapters (www/trackers/*.js:
// where a tracker page's issues are, and how to fetch their REST data). The page integration
// runs them next to a local Wasm engine; a content script has none (the page's CSP may forbid
// it), so the Rust URL rules they use (`detectPage`, `issueLinks`) and the mapping come from the
// worker, by message, and this module hands the adapters the same context they get in the page.
import { Client } from '../../../www/trackers/net.js';
import { adapterOf, trackerLabel, targetContext } from '../../../www/trackers/adapters.js';

// The registry is the page integration's (www/trackers/adapters.js): one for every JS host.
export { ADAPTERS, adapterOf, trackerLabel, idShapeOf } from '../../../www/trackers/adapters.js';

/**
 * The adapter's targets on `root`: `{ id, anchor, where, heading }`. `page` is the worker's
 * `detectPage` for the URL; `resolveLinks(hrefs)` asks the worker's `issueLinks` for links the
 * adapter could not place by markup alone (only then is there a second, async pass).
 * @param {string} tracker
 * @param {ParentNode} root
 * @param {{ origin: string, page: import('../../../www/pkg/sla_lens.js').TrackerPage | null,
 *   resolveLinks?: (hrefs: string[]) => Promise<(string | null)[] | null> }} o
 */
export async function findTargets(tracker, root, { origin, page, resolveLinks }) {
  const adapter = adapterOf(tracker);
  if (!adapter) return [];
  /** @type {Map<string, string | null>} */
  const known = new Map();
  /** @type {string[]} */
  const asked = [];
  // The page integration's context (www/trackers/adapters.js); only the URL rules differ: the
  // worker's answers, asked for once for the links the first pass could not place.
  const ctx = targetContext({
    page,
    origin,
    issueLinks: (hrefs) =>
      hrefs.map((h) => {
        if (known.has(h)) return known.get(h) ?? null; // (has: never undefined)
        asked.push(h);
        return null;
      }),
  });
  let out = adapter.targets(root, ctx);
  if (asked.length && resolveLinks) {
    const ids = await resolveLinks([...new Set(asked)]).catch(() => null);
    if (ids) {
      [...new Set(asked)].forEach((h, i) => {
        known.set(h, ids[i] ?? null);
      });
      out = adapter.targets(root, ctx);
    }
  }
  return out;
}

/**
 * The REST responses for `ids`, fetched by the tracker's adapter: `{ docs (JSON texts), failed
 * (id → reason), skewMs, requests }`. In a content script: the page's session; in the worker: the
 * site's token and the browser's cookies for the site, through `fetch` (the worker's guarded
 * fetch, lib/fetch-tracker.js, which sends the token only to the site's own origins).
 * @param {string} tracker
 * @param {string[]} ids
 * @param {{ base: string, page: any, token?: string | null, apiBase?: string | null, document?: Document | null,
 *   credentials?: RequestCredentials, concurrency?: number, memo?: Map<string, any>, fetch?: typeof globalThis.fetch }} opt
 */
export async function loadIssues(
  tracker,
  ids,
  {
    base,
    page,
    token = null,
    apiBase = null,
    document = null,
    credentials = 'same-origin',
    concurrency = 4,
    memo = new Map(),
    fetch = undefined,
  },
) {
  // The site's tracker (lib/config.js checks it); an unknown one throws below, as it always did.
  const adapter = /** @type {import('../../../www/trackers/annotate.js').TrackerAdapter} */ (adapterOf(tracker));
  const client = new Client({ tracker: trackerLabel(tracker), credentials, fetch });
  // A collecting sink (the page integration's `collector`): no `map` here, so every answer is
  // delivered as fetched and the worker maps them all together.
  /** @type {string[]} */
  const shared = [];
  /** @type {{ text: string, ids: string[] }[]} */
  const texts = [];
  /** @type {Map<string, import('../../../www/trackers/net.js').Fault>} */
  const faults = new Map();
  /** @type {import('../../../www/trackers/annotate.js').LoadContext} */
  const io = {
    client,
    base,
    page,
    token,
    apiBase,
    document,
    batchSize: 100,
    concurrency,
    once: (key, fn) => {
      if (!memo.has(key)) memo.set(key, fn());
      return memo.get(key);
    },
    share: (text) => shared.push(text),
    deliver: (text, ids2) => texts.push({ text, ids: ids2.map(String) }),
    final: () => {},
    fail: (id, fault) => faults.set(String(id), fault),
  };
  client.setHeaders(await adapter.auth(io).catch(() => ({})));
  // Adapters that return their answers instead of delivering them (none of www/trackers/ does:
  // TrackerAdapter's `load` resolves nothing).
  const res =
    /** @type {{ texts?: { text: string, ids: string[] }[], faults?: Iterable<[string, import('../../../www/trackers/net.js').Fault]> } | undefined} */ (
      /** @type {unknown} */ (await adapter.load(ids, io))
    );
  for (const t of res?.texts ?? []) texts.push(t);
  for (const [id, f] of res?.faults ?? []) faults.set(String(id), f);
  /** @type {Record<string, string>} */
  const failed = {};
  for (const [id, fault] of faults) failed[id] = fault?.reason ?? String(fault);
  // `docIds[i]`: the issues `docs[i]` holds (null for a text every mapping shares), so that an
  // answer the mapping sets aside is told to the issues it held.
  const docIds = [...shared.map(() => null), ...texts.map((t) => t.ids)];
  return {
    docs: [...shared, ...texts.map((t) => t.text)],
    docIds,
    failed,
    skewMs: client.skewMs,
    requests: client.requests,
  };
}

/**
 * Why each of `asked` has no result in the worker's answer `out`: its own reason (`unavailable`),
 * else the reason of the answer that held it and was set aside (`out.rejected[].input` into
 * `docIds`, the docs as sent), else one for the whole answer: unreadable (`fatal`), an answer set
 * aside, or nothing returned. Returns id → reason for the ids with no result.
 * @param {{ results?: { id: any }[], unavailable?: Record<string, string>, rejected?: { input: number, reason: string }[], fatal?: string | null }} out
 * @param {string[]} asked
 * @param {((string[] | null)[]) | null} [docIds]
 * @returns {Map<string, string>}
 */
export function whyMissing(out, asked, docIds = null) {
  const why = new Map();
  const has = new Set((out?.results ?? []).filter((r) => r?.id != null).map((r) => String(r.id)));
  for (const [id, reason] of Object.entries(out?.unavailable ?? {})) why.set(String(id), String(reason));
  /** @type {string | null} */
  let aside = null;
  for (const r of out?.rejected ?? []) {
    const ids = docIds?.[r.input];
    if (Array.isArray(ids)) {
      for (const id of ids) if (!has.has(id) && !why.has(id)) why.set(id, String(r.reason));
    } else aside ??= String(r.reason);
  }
  const rest = out?.fatal
    ? `the tracker's answer could not be read (${out.fatal})`
    : (aside ?? 'the tracker did not return this issue');
  for (const id of asked) if (!has.has(id) && !why.has(id)) why.set(id, rest);
  return why;
}
