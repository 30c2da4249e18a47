// @ts-check
// Who sent the worker a runtime message, as far as the worker trusts it. A message crosses a
// trust boundary: a content script runs in the tracker page's renderer process, which a hostile
// page (or a compromised renderer) controls, so nothing in its message decides what it may see or
// where the worker fetches. Pure functions only: tests/extension/worker.test.mjs drives the
// worker's handlers with both kinds of sender, tests/extension/unit.test.mjs these rules.
//
// - An **extension page** (options, popup): its URL is under the extension's own origin
//   (`runtime.getURL('')`). The options page opens in a tab, so a tab alone says nothing; a
//   content script's URL is its web page's, and the extension lists no web-accessible resources,
//   so no web page can frame an extension page. Extension pages may read and write the
//   configuration (tokens included) and test a site draft.
// - A **content script**: a message from a tab whose URL is an http(s) page. Its origin is the
//   sender's (`sender.origin` where the browser gives it, else `sender.url`'s), never one the
//   message names; a URL in the message is used (for its path: single-page trackers change it
//   without a load) only when it is on that origin.
// - Anything else is refused.

/**
 * @param {{ url?: string, origin?: string, tab?: { id?: number } }} sender  the runtime's MessageSender
 * @param {string} extensionBase  `runtime.getURL('')`, e.g. `chrome-extension://ID/`
 * @returns {{ kind: 'page' } | { kind: 'content', origin: string, url: string, tabId: number } | null}
 */
export function senderOf(sender, extensionBase) {
  if (!sender || typeof sender.url !== 'string' || typeof extensionBase !== 'string' || !extensionBase) return null;
  if (sender.url.startsWith(extensionBase)) {
    if (sender.origin != null && `${sender.origin}/` !== extensionBase) return null;
    return { kind: 'page' };
  }
  if (!sender.tab || typeof sender.tab.id !== 'number') return null;
  let u;
  try {
    u = new URL(sender.url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (sender.origin != null && sender.origin !== u.origin) return null;
  return { kind: 'content', origin: u.origin, url: u.href, tabId: sender.tab.id };
}

/**
 * The page URL a content script's message is about: the URL it names when that is on the
 * sender's own origin, else the sender's URL.
 * @param {{ origin: string, url: string }} who  a content-script sender (`senderOf`)
 * @param {unknown} claimed
 */
export function pageUrlOf(who, claimed) {
  if (typeof claimed === 'string') {
    try {
      const u = new URL(claimed);
      if (u.origin === who.origin) return u.href;
    } catch {
      // not a URL: the sender's
    }
  }
  return who.url;
}

/** The most issue ids one message may name (a page view's new issues; the adapters page by 100). */
export const MAX_IDS = 2000;

/**
 * `ids` as issue ids of tracker kind `shape` (a RegExp, the adapter's `idShape`): strings, at most
 * `MAX_IDS`, each of the adapter's shape; numbers are taken as their decimal text. Null when any
 * is not: the message is refused whole.
 * @param {unknown} ids
 * @param {RegExp | null} shape  (null, an unknown tracker's: refused)
 * @returns {string[] | null}
 */
export function checkIds(ids, shape) {
  if (!Array.isArray(ids) || ids.length > MAX_IDS || !(shape instanceof RegExp)) return null;
  const out = [];
  for (const id of ids) {
    const s = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
    if (typeof s !== 'string' || !shape.test(s)) return null;
    out.push(s);
  }
  return out;
}
