// @ts-check
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

import { Fault, chunks, pool, tryJson, wellFormed } from './net.js';

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

/**
 * Status names from a list's issues, when `/issue_statuses.json` cannot be had.
 * @param {Iterable<{ status?: { id?: number, name?: string, is_closed?: boolean } }>} issues  as the list has them
 */
function statusesOf(issues) {
  const byId = new Map();
  for (const it of issues)
    if (it.status?.id != null)
      byId.set(it.status.id, { id: it.status.id, name: it.status.name, is_closed: !!it.status.is_closed });
  return [...byId.values()];
}
const API_KEY = /<pre[^>]*>\s*([0-9a-f]{40})\s*<\/pre>/i;

/** @type {import('./annotate.js').TrackerAdapter} */
export const redmine = {
  tracker: 'redmine',
  label: 'Redmine',
  selectors: SELECTORS,
  /** An issue id: its number (the Rust detectors' `is_number`). */
  idShape: /^\d{1,12}$/,

  targets(root, ctx) {
    /** @type {import('./annotate.js').Target[]} */
    const out = [];
    /** @type {{ href: string, anchor: Element, where: 'prepend' | 'append', fixed: true }[]} */
    const pending = [];
    for (const tr of root.querySelectorAll(SELECTORS.row)) {
      const subject = tr.querySelector(SELECTORS.rowCell);
      const cell = subject ?? tr.querySelector(SELECTORS.rowIdCell);
      if (!cell) continue;
      const where = subject ? 'prepend' : 'append';
      const m = ROW_ID.exec(tr.id);
      if (m) out.push({ id: m[1], anchor: cell, where, fixed: true });
      else {
        const a = /** @type {HTMLAnchorElement | null} */ (tr.querySelector(SELECTORS.rowLink));
        if (a && ctx.sameOrigin(a)) pending.push({ href: ctx.path(a), anchor: cell, where, fixed: true });
      }
    }
    if (pending.length) {
      const ids = ctx.issueLinks(pending.map((p) => p.href));
      pending.forEach((p, i) => {
        if (ids[i]) out.push({ id: ids[i], anchor: p.anchor, where: p.where, fixed: true });
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

  /**
   * Request headers: the site's token, else the signed-in user's key from `/my/api_key`.
   * @returns {Promise<Record<string, string>>}
   */
  async auth(io) {
    if (io.token) return { 'X-Redmine-API-Key': io.token };
    if (!io.document?.querySelector?.(SELECTORS.signedIn)) return {};
    const r = await io.client.get(`${io.base}/my/api_key`, { accept: 'text/html', retries: 0 });
    const key = r.ok ? API_KEY.exec(r.text)?.[1] : null;
    return key ? { 'X-Redmine-API-Key': key } : {};
  },

  /**
   * Fetches `ids`: `/issue_statuses.json` (once per page view, for the journals' status ids),
   * one `/issues.json?issue_id=…&status_id=*` per 100 ids, then
   * `/issues/N.json?include=journals` only for issues that have journals (`updated_on` differs
   * from `created_on`: every note and status change saves the issue; the journals that leave
   * `updated_on` alone — relations added or removed — hold neither) and that the policy covers
   * (scope and tiers depend only on fields the list has), at most `io.concurrency` at a time. Issues the list tells all about are final at
   * once; each per-issue answer is delivered as it arrives.
   * @param {string[]} ids
   * @param {import('./annotate.js').LoadContext} io
   */
  async load(ids, io) {
    ids = wellFormed(ids, this.idShape, io, this.label);
    if (!ids.length) return;
    const statuses = io.once('redmine:statuses', () => io.client.get(`${io.base}/issue_statuses.json`));
    const parts = chunks(ids, io.batchSize);
    const lists = await pool(parts, 2, (chunk) =>
      io.client.get(
        `${io.base}/issues.json?issue_id=${chunk.map(encodeURIComponent).join(',')}&status_id=*&sort=id&limit=${chunk.length}`,
      ),
    );
    const listed = new Map();
    /** @type {{ text: string, ids: string[] }[]} */
    const pages = [];
    lists.forEach((r, i) => {
      const chunk = parts[i];
      if (!r.ok) {
        for (const id of chunk) io.fail(id, r.fault);
        return;
      }
      const doc = tryJson(r.text);
      if (!Array.isArray(doc?.issues)) {
        io.deliver(r.text, chunk); // the mapper says what is wrong with it
        return;
      }
      const here = [];
      for (const it of doc.issues) {
        if (it && it.id != null && chunk.includes(String(it.id))) {
          listed.set(String(it.id), it);
          here.push(String(it.id));
        }
      }
      pages.push({ text: r.text, ids: here });
      for (const id of chunk) {
        if (!listed.has(id))
          io.fail(id, new Fault('missing', 'Redmine did not list this issue: it was deleted, or you cannot see it'));
      }
    });
    const st = await statuses;
    if (st.ok) io.share(st.text);
    else if (listed.size) io.share(JSON.stringify({ issue_statuses: statusesOf(listed.values()) }));

    const journals = [...listed.values()].filter((it) => it.updated_on !== it.created_on).map((it) => String(it.id));
    let want = new Set(journals);
    const m = io.map?.(pages.map((p) => p.text)) ?? null;
    if (m) {
      const covered = io.applies?.(journals.map((id) => m.tickets.get(id)).filter((t) => t != null)) ?? null;
      if (covered) want = new Set(journals.filter((id) => covered.has(id) || !m.tickets.has(id)));
      pages.forEach((p, i) => {
        for (const id of p.ids) {
          if (want.has(id)) continue;
          const t = m.tickets.get(id);
          if (t) io.final(id, t);
          else
            io.fail(
              id,
              m.errors.get(id) ??
                m.rejected.get(i) ??
                new Fault('missing', "Redmine's list did not describe this issue"),
            );
        }
      });
    } else {
      for (const p of pages)
        io.deliver(
          p.text,
          p.ids.filter((id) => !want.has(id)),
        );
    }
    await pool([...want], io.concurrency, async (id) => {
      const r = await io.client.get(`${io.base}/issues/${encodeURIComponent(id)}.json?include=journals`);
      if (r.ok) io.deliver(r.text, [id]);
      else io.fail(id, r.fault);
    });
  },
};

/**
 * Redmine with the sla-lens plugin (www/integrations/redmine/sla_lens/): the same adapter, but
 * its issues come from the plugin's `endpoint` (`/sla_lens/issues?ids=…`, 100 ids a request),
 * which answers under the signed-in user's session with the visible issues and their journals,
 * the status names and the staff groups' members among those issues' people, as one array of
 * REST-shaped documents. No API key is sent or read: reading `/my/api_key` creates a permanent
 * key for every user who views a page with badges.
 * @param {string} endpoint  same origin as the page
 * @returns {import('./annotate.js').TrackerAdapter}
 */
export function viaPlugin(endpoint) {
  return {
    ...redmine,
    async auth() {
      return {};
    },
    async load(ids, io) {
      ids = wellFormed(ids, redmine.idShape, io, redmine.label);
      await pool(chunks(ids, io.batchSize), 2, async (chunk) => {
        const r = await io.client.get(`${endpoint}?ids=${chunk.map(encodeURIComponent).join(',')}`);
        if (!r.ok) {
          for (const id of chunk) io.fail(id, r.fault);
          return;
        }
        const doc = tryJson(r.text);
        const found = new Set(
          Array.isArray(doc) ? doc.filter((d) => d?.issue?.id != null).map((d) => String(d.issue.id)) : chunk,
        );
        io.deliver(
          r.text,
          chunk.filter((id) => found.has(id)),
        );
        for (const id of chunk) {
          if (!found.has(id))
            io.fail(id, new Fault('missing', 'Redmine did not list this issue: it was deleted, or you cannot see it'));
        }
      });
    },
  };
}
