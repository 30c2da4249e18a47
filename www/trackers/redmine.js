// Redmine in its own pages: where the issues are (the issue list, "My page" blocks, subtasks
// and related issues, the issue page's heading) and how to fetch their data from Redmine's REST
// API. Every Redmine selector is in `SELECTORS`; the URL rules are the Rust detectors (through
// the Wasm `detectPage`/`issueLinks`), so the page and the CLI agree on what an issue URL is.
//
// Redmine's REST API ignores the session cookie (`/issues.json` is served as to an anonymous
// user unless a key comes with it), so the adapter sends the user's own API key: the one the
// site settings give, else the one Redmine shows the signed-in user at `/my/api_key` (same
// origin, kept in memory for the page view only). Without either, it reads what anonymous users
// may see.

import { Fault, chunks, pool, tryJson } from './net.js';

/** Every Redmine selector sla-lens uses (Redmine 4.2–5.x markup). */
export const SELECTORS = Object.freeze({
  /** Rows of issue tables: the issue list, My page blocks, subtasks, related issues. */
  row: 'table.list.issues tr.issue',
  /** The cell a row's badge goes into (at its start, so badges line up): the subject. */
  rowCell: ':scope > td.subject',
  /** Lists configured without a subject column: the id cell. */
  rowIdCell: ':scope > td.id',
  /** Links in a row that name its issue when the row's id does not (`tr#relation-7`). */
  rowLink: ':scope > td.subject a[href], :scope > td.id a[href]',
  /** The issue page's heading ("Support #3"), followed in Redmine 5 by a status badge. */
  heading: '#content > h2',
  headingBadge: 'span.badge',
  /** Present when someone is signed in. */
  signedIn: '#loggedas',
});

const ROW_ID = /^issue-(\d+)$/;
const API_KEY = /<pre[^>]*>\s*([0-9a-f]{40})\s*<\/pre>/i;

/** @type {import('./annotate.js').TrackerAdapter} */
export const redmine = {
  tracker: 'redmine',
  label: 'Redmine',
  selectors: SELECTORS,

  targets(root, ctx) {
    const out = [];
    const pending = [];
    for (const tr of root.querySelectorAll(SELECTORS.row)) {
      const subject = tr.querySelector(SELECTORS.rowCell);
      const cell = subject ?? tr.querySelector(SELECTORS.rowIdCell);
      if (!cell) continue;
      const where = subject ? 'prepend' : 'append';
      const m = ROW_ID.exec(tr.id);
      if (m) out.push({ id: m[1], anchor: cell, where });
      else {
        const a = tr.querySelector(SELECTORS.rowLink);
        if (a && ctx.sameOrigin(a)) pending.push({ href: ctx.path(a), anchor: cell, where });
      }
    }
    if (pending.length) {
      const ids = ctx.issueLinks(pending.map((p) => p.href));
      pending.forEach((p, i) => {
        if (ids[i]) out.push({ id: ids[i], anchor: p.anchor, where: p.where });
      });
    }
    if (ctx.page?.kind === 'issue' && ctx.page.issue) {
      const h2 = root.querySelector(SELECTORS.heading);
      if (h2) {
        const next = h2.nextElementSibling;
        const after = next?.matches(SELECTORS.headingBadge) ? next : h2;
        out.push({ id: ctx.page.issue, anchor: after, where: 'after', heading: true });
      }
    }
    return out;
  },

  /** Request headers: the site's token, else the signed-in user's key from `/my/api_key`. */
  async auth(io) {
    if (io.token) return { 'X-Redmine-API-Key': io.token };
    if (!io.document?.querySelector?.(SELECTORS.signedIn)) return {};
    const r = await io.client.get(`${io.base}/my/api_key`, { accept: 'text/html', retries: 0 });
    const key = r.ok ? API_KEY.exec(r.text)?.[1] : null;
    return key ? { 'X-Redmine-API-Key': key } : {};
  },

  /**
   * The REST responses for `ids`: `/issue_statuses.json` (once per page view, for the journals'
   * status ids), one `/issues.json?issue_id=…&status_id=*` per 100 ids, then
   * `/issues/N.json?include=journals` only for issues that have journals (`updated_on` differs
   * from `created_on`) and that the policy covers (`io.applies`, from the list alone: scope and
   * tiers depend on fields the list has), at most `io.concurrency` at a time.
   * @returns {Promise<import('./annotate.js').LoadResult>}
   */
  async load(ids, io) {
    const faults = new Map();
    const texts = [];
    const statuses = io.once('redmine:statuses', () => io.client.get(`${io.base}/issue_statuses.json`));
    const parts = chunks(ids, io.batchSize);
    const lists = await pool(parts, 2, (chunk) =>
      io.client.get(`${io.base}/issues.json?issue_id=${chunk.join(',')}&status_id=*&sort=id&limit=${chunk.length}`),
    );
    const listed = new Map();
    lists.forEach((r, i) => {
      const chunk = parts[i];
      if (!r.ok) {
        for (const id of chunk) faults.set(id, r.fault);
        return;
      }
      texts.push({ text: r.text, ids: chunk });
      const doc = tryJson(r.text);
      if (!Array.isArray(doc?.issues)) return; // the mapper says what is wrong with it
      for (const it of doc.issues) if (it && it.id != null) listed.set(String(it.id), it);
      for (const id of chunk) {
        if (!listed.has(id)) {
          faults.set(id, new Fault('missing', 'Redmine did not list this issue: it was deleted, or you cannot see it'));
        }
      }
    });
    const st = await statuses;
    if (st.ok) texts.unshift({ text: st.text, ids: [] });
    let want = [...listed.values()].filter((it) => it.updated_on !== it.created_on).map((it) => String(it.id));
    if (want.length && io.applies) {
      const applies = io.applies(texts.map((t) => t.text));
      if (applies) want = want.filter((id) => applies.has(id));
    }
    const details = await pool(want, io.concurrency, (id) => io.client.get(`${io.base}/issues/${id}.json?include=journals`));
    details.forEach((r, i) => {
      const id = want[i];
      if (r.ok) texts.push({ text: r.text, ids: [id] });
      else faults.set(id, r.fault);
    });
    return { texts, faults };
  },
};
