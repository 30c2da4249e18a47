// @ts-check
// GitHub in its own pages: issue rows of a repository's issue list (the React list view and the
// older `.js-issue-row` list) and the issue page's title. GitHub's REST API lives on another
// origin (api.github.com, or `/api/v3` on GitHub Enterprise Server) and does not take the
// github.com session, so it needs a token from the site settings (sent as a Bearer header to the
// API origin only, never with cookies); without one, public repositories answer within
// GitHub's anonymous rate limit.
//
// Markup sources (2024–2025 GitHub): `a[data-testid="issue-pr-title-link"]` and
// `[data-listview-component="items-list"] > li` are what refined-github and GitHub's own list
// view use for issue rows; `.js-issue-row` with `a.Link--primary[data-hovercard-type="issue"]`
// is the older list; `bdi[data-testid="issue-title"]` and `h1.gh-header-title .js-issue-title`
// are the issue page's title (React and classic). See tests/fixtures/pages/github/README.md.

import { isProjectPath, pool, wellFormed } from './net.js';

export const SELECTORS = Object.freeze({
  /** Links to issues in list rows, newest markup first. */
  rowLink: [
    'a[data-testid="issue-pr-title-link"]',
    'a[data-testid="listitem-title-link"]',
    '.js-issue-row a.Link--primary[data-hovercard-type="issue"]',
  ].join(', '),
  /** The issue page's title. */
  title: 'bdi[data-testid="issue-title"], h1.gh-header-title .js-issue-title',
});

/**
 * `owner/repo` of a link to `/owner/repo/issues/N`.
 * @param {HTMLAnchorElement} a
 */
const repoOf = (a) => new URL(a.href).pathname.split('/').slice(1, 3).join('/');

/** @type {import('./annotate.js').TrackerAdapter & { apiBase: (io: import('./annotate.js').LoadContext) => string }} */
export const github = {
  tracker: 'github',
  label: 'GitHub',
  selectors: SELECTORS,
  /** An issue id: its number in the repository. */
  idShape: /^\d{1,12}$/,

  targets(root, ctx) {
    /** @type {import('./annotate.js').Target[]} */
    const out = [];
    const links = [.../** @type {NodeListOf<HTMLAnchorElement>} */ (root.querySelectorAll(SELECTORS.rowLink))].filter(
      (a) => ctx.sameOrigin(a),
    );
    const ids = ctx.issueLinks(links.map((a) => ctx.path(a)));
    const repo = ctx.page?.project ?? null;
    links.forEach((a, i) => {
      // Numbers are per repository: on a repository's pages only its own issues are badged.
      if (ids[i] && (!repo || repoOf(a) === repo)) out.push({ id: ids[i], anchor: a, where: 'after' });
    });
    if (ctx.page?.kind === 'issue' && ctx.page.issue) {
      const title = root.querySelector(SELECTORS.title);
      if (title) out.push({ id: ctx.page.issue, anchor: title, where: 'after', heading: true });
    }
    return out;
  },

  /** @returns {Promise<Record<string, string>>} */
  async auth(io) {
    return io.token ? { Authorization: `Bearer ${io.token}`, 'X-GitHub-Api-Version': '2022-11-28' } : {};
  },

  /** The API origin: `apiBase` from the options, else api.github.com (GHES: `/api/v3`). */
  apiBase(io) {
    if (io.apiBase) return io.apiBase.replace(/\/$/, '');
    return /(^|\.)github\.com$/.test(new URL(io.base).hostname) ? 'https://api.github.com' : `${io.base}/api/v3`;
  },

  /**
   * Per issue, the issue and its timeline (close/reopen and label events, comments with their
   * `author_association`), bundled as `{"issue", "timeline"}`: GitHub has no list call by
   * number, so two calls per issue, at most `io.concurrency` issues at a time.
   */
  async load(ids, io) {
    const repo = io.page?.project;
    if (!isProjectPath(repo, 2)) return;
    ids = wellFormed(ids, this.idShape, io, this.label);
    const api = `${this.apiBase(io)}/repos/${repo.split('/').map(encodeURIComponent).join('/')}/issues`;
    const accept = 'application/vnd.github+json';
    await pool(ids, io.concurrency, async (id) => {
      const issue = await io.client.get(`${api}/${encodeURIComponent(id)}`, { accept });
      if (!issue.ok) return io.fail(id, issue.fault);
      const timeline = await io.client.get(`${api}/${encodeURIComponent(id)}/timeline?per_page=100`, { accept });
      if (!timeline.ok) return io.fail(id, timeline.fault);
      io.deliver(`{"issue":${issue.text},"timeline":${timeline.text}}`, [id]);
    });
  },
};
