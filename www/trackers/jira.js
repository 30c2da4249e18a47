// @ts-check
// Jira in its own pages: rows of the issue navigator (Server/Data Center `tr.issuerow`, Cloud
// list and table views linking `/browse/KEY-1`) and the issue page's summary heading. Jira's
// REST API is on the same origin and takes the signed-in session; a token from the site
// settings is sent as a Bearer header if given.
//
// Markup sources: `tr.issuerow[data-issuekey]` with `td.summary` (Jira Server/DC issue
// navigator); `h1[data-testid="issue.views.issue-base.foundation.summary.heading"]` and
// `[data-testid="issue.views.issue-base.foundation.breadcrumbs.current-issue.item"]` (Jira
// Cloud issue view, as used by many content scripts); `#summary-val` (Server/DC issue page).
// See tests/fixtures/pages/jira/README.md.

import { Fault, chunks, pool, tryJson, wellFormed } from './net.js';

export const SELECTORS = Object.freeze({
  /** Server/DC issue navigator rows, keyed by `data-issuekey`. */
  row: 'tr.issuerow[data-issuekey]',
  rowCell: ':scope > td.summary',
  /** Cloud list and table views: issue links in rows. */
  rowLink:
    '[data-testid="native-issue-table.ui.issue-row"] a[href*="/browse/"], [data-testid="issue-navigator.ui.issue-results.detail-view.card-list.card"] a[href*="/browse/"]',
  title: 'h1[data-testid="issue.views.issue-base.foundation.summary.heading"], h1#summary-val',
});

/** @type {import('./annotate.js').TrackerAdapter} */
export const jira = {
  tracker: 'jira',
  label: 'Jira',
  selectors: SELECTORS,
  /** An issue id: its key, `PROJECT-123` (the Rust adapter's `is_issue_key`). */
  idShape: /^[A-Z][A-Z0-9_]{0,254}-\d{1,12}$/,

  targets(root, ctx) {
    /** @type {import('./annotate.js').Target[]} */
    const out = [];
    for (const tr of root.querySelectorAll(SELECTORS.row)) {
      const cell = tr.querySelector(SELECTORS.rowCell);
      const key = tr.getAttribute('data-issuekey');
      if (cell && key && /^[A-Z][A-Z0-9_]*-\d+$/.test(key))
        out.push({ id: key, anchor: cell, where: 'prepend', fixed: true });
    }
    const links = [.../** @type {NodeListOf<HTMLAnchorElement>} */ (root.querySelectorAll(SELECTORS.rowLink))].filter(
      (a) => ctx.sameOrigin(a),
    );
    const ids = ctx.issueLinks(links.map((a) => ctx.path(a)));
    const seen = new Set();
    links.forEach((a, i) => {
      // A row may link its key and its summary: one badge, after the first link.
      const row = a.closest('[data-testid]') ?? a;
      if (ids[i] && !seen.has(row)) {
        seen.add(row);
        out.push({ id: ids[i], anchor: a, where: 'after' });
      }
    });
    if (ctx.page?.kind === 'issue' && ctx.page.issue) {
      const title = root.querySelector(SELECTORS.title);
      if (title) out.push({ id: ctx.page.issue, anchor: title, where: 'append', heading: true });
    }
    return out;
  },

  /** @returns {Promise<Record<string, string>>} */
  async auth(io) {
    return io.token ? { Authorization: `Bearer ${io.token}` } : {};
  },

  /**
   * One search per 100 keys with the changelog and comments embedded: Cloud's
   * `/rest/api/3/search/jql`, Server/DC's `/rest/api/2/search`. No per-issue calls.
   */
  async load(ids, io) {
    ids = wellFormed(ids, this.idShape, io, this.label);
    const cloud = /\.atlassian\.net$/.test(new URL(io.base).hostname);
    const path = cloud ? '/rest/api/3/search/jql' : '/rest/api/2/search';
    await pool(chunks(ids, io.batchSize), 2, async (chunk) => {
      const jql = encodeURIComponent(`key in (${chunk.join(',')})`);
      const r = await io.client.get(
        `${io.base}${path}?jql=${jql}&expand=changelog&fields=*all&maxResults=${chunk.length}`,
      );
      if (!r.ok) {
        for (const id of chunk) io.fail(id, r.fault);
        return;
      }
      const doc = tryJson(r.text);
      const found = new Set(
        Array.isArray(doc?.issues) ? doc.issues.map((/** @type {{ key?: string } | null} */ it) => it?.key) : chunk,
      );
      io.deliver(
        r.text,
        chunk.filter((id) => found.has(id)),
      );
      for (const id of chunk) {
        if (!found.has(id))
          io.fail(
            id,
            new Fault('missing', 'Jira did not return this issue: it was deleted, moved, or you cannot see it'),
          );
      }
    });
  },
};
