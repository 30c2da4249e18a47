// @ts-check
// Request Tracker 5 in its own pages: the ticket display page's heading and the rows of search
// results, and how to fetch a ticket over RT's REST 2 API. Every RT selector is in `SELECTORS`;
// the URL rules are the Rust detector (src/adapters/rt.rs `page`, through the Wasm `detectPage`),
// so the page and the CLI agree on what a ticket URL is.
//
// REST 2 is on RT's own origin and takes the signed-in user's session cookie (no key to hand out,
// none read or created): the page reads what that user may see. REST 2 sends no CORS headers, so
// only a page on RT's origin can read it (the RT extension in www/integrations/rt/, the drop-in
// tag, the browser extension's content script).
//
// Per ticket, the answers `sla-lens eval --tracker rt` reads (scripts/rt/rt.sh `record`), handed to
// the Rust mapping as one JSON array: `/ticket/N`, its history pages (RT gives no total: pages
// until a short one) and the attachments of its messages (Create, Correspond, Comment), whose
// words hold sla-lens's markers and claims. Its queue's `/queue/N` (the queue's name) is asked
// for once a page view and goes with every mapping.

import { Fault, pool, tryJson, wellFormed } from './net.js';

/** Every RT selector sla-lens uses (RT 5.0 markup, the Elevator theme). */
export const SELECTORS = Object.freeze({
  /** Search results (`/Search/Results.html`, the home page's ticket lists): one tbody a ticket. */
  row: 'tbody.list-item[data-record-id]',
  /** The cell a row's badge goes into: the one linking the ticket's subject, else the first. */
  rowCell: ':scope > tr:first-child > td',
  rowLink: 'a[href*="/Ticket/Display.html?id="]',
  /** The ticket page's title (`#3: Printer on fire`). */
  heading: '#header > h1',
});

/** History fields the Rust mapping reads; `ObjectId` ties a page to its ticket. */
const HISTORY_FIELDS = 'Type,Creator,Created,Field,OldValue,NewValue,ObjectType,ObjectId';
/** RT's largest page. */
const PER_PAGE = 100;
/** At most this many history pages a ticket (10,000 transactions). */
const MAX_PAGES = 100;
/** Transactions whose words sla-lens reads (markers, claims). */
const MESSAGES = new Set(['Create', 'Correspond', 'Comment']);
/** Attachment calls in flight for one ticket (tickets themselves: `io.concurrency`). */
const ATTACHMENTS_IN_FLIGHT = 2;

/**
 * The parsed answer, or a fault saying it could not be read.
 * @param {string} text
 * @param {string} what
 * @returns {{ doc: any } | { fault: Fault }}
 */
function parsed(text, what) {
  const doc = tryJson(text);
  if (doc && typeof doc === 'object') return { doc };
  return { fault: new Fault('malformed', `Request Tracker's ${what} could not be read: it is not JSON`) };
}

/**
 * The ticket's queue (`/queue/N`: its name, for a policy's scope), once a page view, shared with
 * every mapping. A user who may not see the queue gets no name from here (a site file's
 * `rt.queues` can give it).
 * @param {any} ticket
 * @param {import('./annotate.js').LoadContext} io
 */
async function queueOf(ticket, io) {
  const q = String(ticket?.Queue?.id ?? '');
  if (!/^\d{1,12}$/.test(q)) return;
  await io.once(`rt:queue:${q}`, async () => {
    const r = await io.client.get(`${io.base}/REST/2.0/queue/${q}`, { retries: 0 });
    if (r.ok && tryJson(r.text)) io.share(r.text);
  });
}

/**
 * One ticket's answers, in order: the ticket, its history pages, its messages' attachments.
 * @param {string} id
 * @param {import('./annotate.js').LoadContext} io
 * @returns {Promise<{ texts: string[] } | { fault: Fault }>}
 */
async function fetchTicket(id, io) {
  const api = `${io.base}/REST/2.0`;
  const n = encodeURIComponent(id);
  const ticket = await io.client.get(`${api}/ticket/${n}`);
  if (!ticket.ok) return { fault: ticket.fault };
  const t = parsed(ticket.text, 'ticket');
  if ('fault' in t) return t;
  const texts = [ticket.text];
  await queueOf(t.doc, io);
  /** @type {string[]} */
  const messages = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const r = await io.client.get(
      `${api}/ticket/${n}/history?fields=${HISTORY_FIELDS}&per_page=${PER_PAGE}&page=${page}`,
    );
    if (!r.ok) return { fault: r.fault };
    const h = parsed(r.text, 'ticket history');
    if ('fault' in h) return h;
    const items = Array.isArray(h.doc.items) ? h.doc.items : [];
    texts.push(r.text);
    for (const it of items)
      if (MESSAGES.has(it?.Type) && /^\d{1,12}$/.test(String(it?.id))) messages.push(String(it.id));
    if (items.length < PER_PAGE) break;
  }
  const answers = await pool(messages, ATTACHMENTS_IN_FLIGHT, (tx) =>
    io.client.get(`${api}/transaction/${tx}/attachments?fields=TransactionId,ContentType,Content&per_page=${PER_PAGE}`),
  );
  for (const a of answers) {
    if (!a.ok) return { fault: a.fault };
    const p = parsed(a.text, 'message');
    if ('fault' in p) return p;
    texts.push(a.text);
  }
  return { texts };
}

/** @type {import('./annotate.js').TrackerAdapter} */
export const rt = {
  tracker: 'rt',
  label: 'Request Tracker',
  selectors: SELECTORS,
  /** A ticket id: its number (the Rust detector's `is_number`). */
  idShape: /^\d{1,12}$/,

  targets(root, ctx) {
    /** @type {import('./annotate.js').Target[]} */
    const out = [];
    for (const tbody of root.querySelectorAll(SELECTORS.row)) {
      const id = tbody.getAttribute('data-record-id') ?? '';
      if (!/^\d{1,12}$/.test(id)) continue;
      const cells = [...tbody.querySelectorAll(SELECTORS.rowCell)];
      const cell =
        cells.find((td) => td.querySelector(SELECTORS.rowLink) && !/^\s*\d+\s*$/.test(td.textContent ?? '')) ??
        cells[0];
      if (cell) out.push({ id, anchor: cell, where: 'prepend', fixed: true });
    }
    if (ctx.page?.kind === 'issue' && ctx.page.issue) {
      const h1 = root.querySelector(SELECTORS.heading);
      if (h1) out.push({ id: ctx.page.issue, anchor: h1, where: 'append', heading: true });
    }
    return out;
  },

  /** No headers: REST 2 takes the signed-in user's session cookie on RT's own origin. */
  async auth() {
    return {};
  },

  /**
   * Per ticket, its answers (see the top of this file) as one array, at most `io.concurrency`
   * tickets at a time. A ticket any of whose calls fails gets that call's fault; the others are
   * not touched by it.
   */
  async load(ids, io) {
    ids = wellFormed(ids, this.idShape, io, this.label);
    await pool(ids, io.concurrency, async (id) => {
      const r = await fetchTicket(id, io);
      if ('fault' in r) io.fail(id, r.fault);
      else io.deliver(`[${r.texts.join(',')}]`, [id]);
    });
  },
};
