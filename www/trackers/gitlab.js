// @ts-check
// GitLab in its own pages: rows of a project's or group's issue list and the issue page's
// title. GitLab's REST API is on the same origin and takes the signed-in session for GET
// requests, so no token is needed (a `PRIVATE-TOKEN` from the site settings is sent if given).
//
// Markup sources (GitLab 16–17): the issuable list renders `li.issue` rows
// (`data-testid="issuable-item-wrapper"`) whose title link is
// `a[data-testid="issuable-title-link"]` (older: `.issue-title-text a`); the issue page's title
// is `h1[data-testid="issue-title"]` (work items: `[data-testid="work-item-title"]`). See
// tests/fixtures/pages/gitlab/README.md.

import { Fault, chunks, isProjectPath, pool, tryJson, wellFormed } from './net.js';

export const SELECTORS = Object.freeze({
  rowLink: 'li.issue a[data-testid="issuable-title-link"], li.issue .issue-title-text a, li.issue a.issue-title-text',
  title: 'h1[data-testid="issue-title"], [data-testid="work-item-title"]',
});

/**
 * `group/sub/project` of a link to `/group/sub/project/-/issues/7`.
 * @param {string} href
 */
function projectOf(href) {
  const path = new URL(href, 'https://x.invalid').pathname;
  const i = path.indexOf('/-/');
  return i > 0 ? path.slice(1, i) : null;
}

/** @type {import('./annotate.js').TrackerAdapter} */
export const gitlab = {
  tracker: 'gitlab',
  label: 'GitLab',
  selectors: SELECTORS,
  /** An issue id: its iid in the project. */
  idShape: /^\d{1,12}$/,

  targets(root, ctx) {
    /** @type {import('./annotate.js').Target[]} */
    const out = [];
    const links = [.../** @type {NodeListOf<HTMLAnchorElement>} */ (root.querySelectorAll(SELECTORS.rowLink))].filter(
      (a) => ctx.sameOrigin(a),
    );
    const ids = ctx.issueLinks(links.map((a) => ctx.path(a)));
    const project = ctx.page?.project ?? null;
    links.forEach((a, i) => {
      // iids are per project: badge the page's own project's issues.
      if (ids[i] && (!project || projectOf(ctx.path(a)) === project)) {
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
    return io.token ? { 'PRIVATE-TOKEN': io.token } : {};
  },

  /**
   * One `GET /api/v4/projects/:path/issues?iids[]=…` per 100 iids; then, for issues changed
   * since they were opened, their resource state events, label events and notes (three calls),
   * bundled with the issue as `{"issue", "resource_state_events", "resource_label_events",
   * "notes"}`.
   */
  async load(ids, io) {
    const project = io.page?.project;
    if (!isProjectPath(project)) return;
    ids = wellFormed(ids, this.idShape, io, this.label);
    const api = `${io.base}/api/v4/projects/${encodeURIComponent(project)}/issues`;
    const parts = chunks(ids, io.batchSize);
    const lists = await pool(parts, 2, (chunk) =>
      io.client.get(
        `${api}?${chunk.map((id) => `iids[]=${encodeURIComponent(id)}`).join('&')}&scope=all&state=all&per_page=${chunk.length}`,
      ),
    );
    const changed = new Map();
    lists.forEach((r, i) => {
      const chunk = parts[i];
      if (!r.ok) {
        for (const id of chunk) io.fail(id, r.fault);
        return;
      }
      const doc = tryJson(r.text);
      if (!Array.isArray(doc)) {
        io.deliver(r.text, chunk);
        return;
      }
      const plain = [];
      const seen = new Set();
      for (const it of doc) {
        const id = String(it?.iid);
        if (!chunk.includes(id)) continue;
        seen.add(id);
        // Changed since opened: its events and notes tell the history.
        if (it.updated_at !== it.created_at) changed.set(id, it);
        else plain.push(it);
      }
      if (plain.length)
        io.deliver(
          JSON.stringify(plain),
          plain.map((it) => String(it.iid)),
        );
      for (const id of chunk) {
        if (!seen.has(id))
          io.fail(
            id,
            new Fault('missing', 'GitLab did not list this issue: it was deleted, moved, or you cannot see it'),
          );
      }
    });
    await pool([...changed.keys()], io.concurrency, async (id) => {
      /** @type {Record<string, string>} */
      const parts3 = {};
      for (const what of ['resource_state_events', 'resource_label_events', 'notes']) {
        const r = await io.client.get(`${api}/${encodeURIComponent(id)}/${what}?per_page=100`);
        if (!r.ok) return io.fail(id, r.fault);
        parts3[what] = r.text;
      }
      const issue = JSON.stringify(changed.get(id));
      io.deliver(
        `{"issue":${issue},"resource_state_events":${parts3.resource_state_events},"resource_label_events":${parts3.resource_label_events},"notes":${parts3.notes}}`,
        [id],
      );
    });
  },
};
