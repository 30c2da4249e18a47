// @ts-check
// The content script's engine port (www/trackers/port.js `WorkerPort`): the extension's worker,
// reached by messages. The worker holds the engine, the site's token and the tab's tickets; the
// content script sends it URLs, links, REST answers it fetched with the page's session, and ids,
// and gets page kinds, issue ids, results and tooltip sentences back. The worker checks every
// message it receives (background.js `ACCESS`, `checkIds`, its handlers); this side reads the
// answers as data only (badge-main.js renders them as text).

import { loadIssues } from './page-adapter.js';

/**
 * @param {{ send: (msg: Record<string, any>) => Promise<any>, href: () => string, fetch?: typeof globalThis.fetch }} o
 *   `send`: runtime.sendMessage; `href`: this page's URL now; `fetch`: the page-origin fetch
 *   (default: the content script's own)
 * @returns {import('../../../www/trackers/port.js').WorkerPort}
 */
export function workerPort({ send, href, fetch = undefined }) {
  /** @type {import('../../../www/trackers/port.js').WorkerPort['fetchEvaluate']} */
  const fetchEvaluate = (ids, reset) => send({ type: 'fetchEvaluate', url: href(), ids, reset });
  /** @type {import('../../../www/trackers/port.js').WorkerPort['evaluateDocs']} */
  const evaluateDocs = ({ docs, failed, skewMs, reset }) =>
    send({ type: 'evaluate', url: href(), docs, failed, skewMs, reset });
  return {
    hello: () => send({ type: 'hello', url: href() }).catch(() => null),
    detectPage: (url) =>
      send({ type: 'detectPage', url }).then(
        (d) => d?.page ?? null,
        () => null,
      ),
    issueLinks: (hrefs) =>
      send({ type: 'issueLinks', url: href(), hrefs }).then(
        (r) => r?.ids ?? null,
        () => null,
      ),
    evaluateDocs,
    fetchEvaluate,
    // The fetch choice: the worker fetches where the site's requests are its to make (a token,
    // an API on another origin: `fetchInWorker`), and where the page forbids ours (every request
    // unreachable, e.g. a connect-src CSP); otherwise the page's own session fetches here (the
    // tracker's adapter, with the page's cookies: Redmine, GitLab, Jira, Request Tracker) and the
    // worker evaluates what came.
    async load(ids, { site, origin, page, document, memo, reset }) {
      if (site.token || site.fetchInWorker) return { out: await fetchEvaluate(ids, reset), docIds: null };
      const f = await loadIssues(site.tracker, ids, {
        base: origin + (site.basePath ?? ''),
        page,
        document,
        memo,
        fetch,
      });
      const failures = Object.values(f.failed);
      if (!f.docs.length && failures.length === ids.length && failures.every((r) => /could not be reached/.test(r)))
        return { out: await fetchEvaluate(ids, reset), docIds: null };
      return { out: await evaluateDocs({ docs: f.docs, failed: f.failed, skewMs: f.skewMs, reset }), docIds: f.docIds };
    },
    refresh: ({ unavailable, skewMs }) => send({ type: 'refresh', url: href(), unavailable, skewMs }),
    explain: (id, nowMs) =>
      send({ type: 'explain', url: href(), id, nowMs }).then(
        (out) => (Array.isArray(out?.lines) ? out.lines.map(String) : []),
        () => [],
      ),
  };
}
