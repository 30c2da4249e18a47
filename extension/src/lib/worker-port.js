// @ts-check
// The content script's engine port (www/trackers/port.js `WorkerPort`): the extension's worker,
// reached by messages. The worker holds the engine, the site's token and the tab's tickets; the
// content script sends it URLs, links, REST answers it fetched with the page's session, and ids,
// and gets page kinds, issue ids, results and tooltip sentences back. The worker checks every
// message it receives (background.js `ACCESS`, `checkIds`, its handlers); this side reads the
// answers as data only (badge-main.js renders them as text).

/**
 * @param {{ send: (msg: Record<string, any>) => Promise<any>, href: () => string }} o
 *   `send`: runtime.sendMessage; `href`: this page's URL now
 * @returns {import('../../../www/trackers/port.js').WorkerPort}
 */
export function workerPort({ send, href }) {
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
    evaluateDocs: ({ docs, failed, skewMs, reset }) =>
      send({ type: 'evaluate', url: href(), docs, failed, skewMs, reset }),
    fetchEvaluate: (ids, reset) => send({ type: 'fetchEvaluate', url: href(), ids, reset }),
    refresh: ({ unavailable, skewMs }) => send({ type: 'refresh', url: href(), unavailable, skewMs }),
    explain: (id, nowMs) =>
      send({ type: 'explain', url: href(), id, nowMs }).then(
        (out) => (Array.isArray(out?.lines) ? out.lines.map(String) : []),
        () => [],
      ),
  };
}
