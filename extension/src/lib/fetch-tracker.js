// @ts-check
// The worker's own requests to a tracker: a fetch that keeps a site's token to the tracker's API
// origin, and the scheduled check's list of open issues for each tracker kind (the issues' data
// is then fetched by the tracker's adapter, www/trackers/*.js, as for a page). Lists are paged
// and bounded; 429/5xx are retried by the page integration's Client (www/trackers/net.js).
import { Client, TOKEN_HEADERS, tryJson } from '../../../www/trackers/net.js';
import { apiBaseOf, tokenOrigins } from './config.js';
import { trackerLabel } from './page-adapter.js';

/** The request headers that carry a site's token (Redmine, GitLab, GitHub and Jira): net.js's. */
export { TOKEN_HEADERS };

/** @param {string} url */
function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * A fetch for one site's requests. A request carrying a token header goes out with it only to
 * `allowed` origins (the tracker's API origin: config.js tokenOrigins), and then never follows a
 * redirect: the Fetch
 * standard drops `Authorization` on a cross-origin redirect, but not `X-Redmine-API-Key` or
 * `PRIVATE-TOKEN`. To any other origin it goes without the token headers and without cookies.
 * @param {string[]} allowed  origins (`https://host[:port]`)
 * @param {typeof fetch} [fetchImpl]
 */
export function guardedFetch(allowed, fetchImpl = (...a) => globalThis.fetch(...a)) {
  /** @type {Set<string | null>} */
  const ok = new Set(allowed);
  /** @type {typeof fetch} */
  const guarded = (url, init = {}) => {
    const headers = new Headers(init.headers ?? {});
    if (!TOKEN_HEADERS.some((h) => headers.has(h))) return fetchImpl(url, init);
    if (ok.has(originOf(String(url)))) return fetchImpl(url, { ...init, headers, redirect: 'error' });
    for (const h of TOKEN_HEADERS) headers.delete(h);
    return fetchImpl(url, { ...init, headers, credentials: 'omit' });
  };
  return guarded;
}

/** Statuses Jira counts as finished: its status category `done`. */
const JIRA_OPEN = 'statusCategory != Done';

/**
 * The open issues of a site, newest change first, at most `max` in all: `{ groups: [{ project,
 * ids }], errors: string[], requests }`. `project` is what the adapter's `load` needs for trackers
 * whose numbers are per project (GitHub `owner/repo`, GitLab `group/project`), else null.
 * `opt.client` is a net.js Client already carrying the site's auth headers.
 * @param {Record<string, any>} site   a normalised site entry (config.js)
 * @param {{ client: Client, max?: number, pageSize?: number }} opt
 */
export async function listOpen(site, opt) {
  const max = opt.max ?? 300;
  const size = Math.min(100, opt.pageSize ?? 100);
  const client = opt.client;
  const groups = new Map(); // project → ids
  const errors = [];
  let total = 0;
  /** @param {string | null} project @param {string | number} id */
  const add = (project, id) => {
    if (total >= max) return false;
    if (!groups.has(project)) groups.set(project, []);
    groups.get(project).push(String(id));
    total += 1;
    return true;
  };
  /** GETs `url` as JSON: the document, or null with the reason in `errors`. */
  /** @param {string} url */
  const get = async (url) => {
    const r = await client.get(url);
    if (!r.ok) {
      errors.push(r.fault.reason);
      return null;
    }
    const doc = tryJson(r.text);
    if (doc == null) errors.push(`${trackerLabel(site.tracker)}'s answer is not JSON (${url})`);
    return doc;
  };
  const base = apiBaseOf(site);
  const pages = Math.ceil(max / size) + 1;

  if (site.tracker === 'redmine') {
    for (let offset = 0; total < max; offset += size) {
      const doc = await get(`${base}/issues.json?status_id=open&sort=updated_on:desc&limit=${size}&offset=${offset}`);
      const list = Array.isArray(doc?.issues) ? doc.issues : null;
      if (!list) break;
      for (const it of list) if (it?.id != null && !add(null, it.id)) break;
      if (list.length < size || offset + size >= (doc.total_count ?? Infinity)) break;
    }
  } else if (site.tracker === 'github') {
    // Numbers are per repository: the repositories to watch are listed in the site.
    if (!site.watch.length) errors.push('GitHub: list the repositories to watch (owner/name) in the site settings');
    for (const repo of site.watch) {
      for (let page = 1; page <= pages && total < max; page++) {
        const doc = await get(
          `${base}/repos/${repo}/issues?state=open&sort=updated&direction=desc&per_page=${size}&page=${page}`,
        );
        if (!Array.isArray(doc)) break;
        // The issues endpoint lists pull requests too; they have no SLA here.
        for (const it of doc) if (it?.number != null && !it.pull_request && !add(repo, it.number)) break;
        if (doc.length < size) break;
      }
    }
  } else if (site.tracker === 'gitlab') {
    // Listed projects, or every open issue the user can see, grouped by project.
    const lists = site.watch.length
      ? site.watch.map((/** @type {string} */ p) => ({
          url: `${base}/api/v4/projects/${encodeURIComponent(p)}/issues?state=opened&scope=all&order_by=updated_at&sort=desc`,
          project: p,
        }))
      : [{ url: `${base}/api/v4/issues?state=opened&scope=all&order_by=updated_at&sort=desc`, project: null }];
    for (const { url, project } of lists) {
      for (let page = 1; page <= pages && total < max; page++) {
        const doc = await get(`${url}&per_page=${size}&page=${page}`);
        if (!Array.isArray(doc)) break;
        for (const it of doc) {
          const p = project ?? gitlabProject(it);
          if (it?.iid != null && p && !add(p, it.iid)) break;
        }
        if (doc.length < size) break;
      }
    }
  } else if (site.tracker === 'jira') {
    const keys = site.watch.filter((/** @type {string} */ k) => /^[A-Z][A-Z0-9_]*$/.test(k));
    const jql = encodeURIComponent(
      `${keys.length ? `project in (${keys.join(',')}) AND ` : ''}${JIRA_OPEN} ORDER BY updated DESC`,
    );
    const cloud = /\.atlassian\.net$/.test(new URL(base).hostname);
    let token = null;
    for (let page = 0, startAt = 0; page < pages && total < max; page++) {
      // Cloud pages by `nextPageToken` (/rest/api/3/search/jql), Server/DC by `startAt`.
      const url = cloud
        ? `${base}/rest/api/3/search/jql?jql=${jql}&fields=key&maxResults=${size}${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`
        : `${base}/rest/api/2/search?jql=${jql}&fields=key&maxResults=${size}&startAt=${startAt}`;
      const doc = await get(url);
      const list = Array.isArray(doc?.issues) ? doc.issues : null;
      if (!list) break;
      for (const it of list) if (typeof it?.key === 'string' && !add(null, it.key)) break;
      if (cloud) {
        token = doc.nextPageToken ?? null;
        if (!token || doc.isLast) break;
      } else {
        startAt += list.length;
        if (!list.length || startAt >= (doc.total ?? 0)) break;
      }
    }
  } else if (site.tracker === 'rt') {
    // REST 2's ticket search (TicketSQL): the active tickets (RT's `__Active__`: every status of
    // the queue's lifecycle that is not inactive), of the watched queues if any. RT gives no
    // reliable total: pages until a short one.
    const quote = (/** @type {string} */ q) => `'${String(q).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const queues = site.watch.map((/** @type {string} */ q) => `Queue = ${quote(q)}`).join(' OR ');
    const query = encodeURIComponent(`Status = '__Active__'${queues ? ` AND (${queues})` : ''}`);
    for (let page = 1; page <= pages && total < max; page++) {
      const doc = await get(
        `${base}/REST/2.0/tickets?query=${query}&orderby=LastUpdated&order=DESC&per_page=${size}&page=${page}`,
      );
      const list = Array.isArray(doc?.items) ? doc.items : null;
      if (!list) break;
      for (const it of list) if (/^\d{1,12}$/.test(String(it?.id ?? '')) && !add(null, String(it.id))) break;
      if (list.length < size) break;
    }
  } else {
    errors.push(`no open-issue list for tracker ${site.tracker}`);
  }
  return { groups: [...groups].map(([project, ids]) => ({ project, ids })), errors, requests: client.requests };
}

/** A GitLab issue's project path, from `references.full` (`group/project#7`) or `web_url`. @param {any} it  a REST answer's issue */
function gitlabProject(it) {
  const full = it?.references?.full;
  if (typeof full === 'string' && full.includes('#')) return full.slice(0, full.lastIndexOf('#'));
  try {
    const path = new URL(it.web_url).pathname;
    const i = path.indexOf('/-/');
    return i > 0 ? path.slice(1, i) : null;
  } catch {
    return null;
  }
}

/**
 * The credentials mode of a site's worker requests: the browser's cookies for the tracker's own
 * origin, none for GitHub's API (it does not take the github.com session).
 */
/** @param {Record<string, any>} site @returns {RequestCredentials} */
export function credentialsFor(site) {
  return site.tracker === 'github' ? 'omit' : 'include';
}

/**
 * The guarded fetch for a site: its token goes only to `tokenOrigins(site)` (its API's origin).
 * @param {Record<string, any>} site
 * @param {typeof fetch} [fetchImpl]
 */
export function siteFetch(site, fetchImpl) {
  return guardedFetch(tokenOrigins(site), fetchImpl);
}

/**
 * A Client for a site's worker requests, through the token guard.
 * @param {Record<string, any>} site
 * @param {{ fetchImpl?: typeof fetch }} [opt]
 */
export function siteClient(site, { fetchImpl } = {}) {
  return new Client({
    tracker: trackerLabel(site.tracker),
    credentials: credentialsFor(site),
    fetch: siteFetch(site, fetchImpl),
  });
}
