// GitHub-, GitLab- and Jira-shaped servers on free ports, built from the recorded responses in
// tests/fixtures/{github,gitlab,jira} (shapes from each tracker's REST reference): the fixture
// issues as recorded, plus `extra` new, unanswered open issues cloned from a fixture issue and
// opened at `createdAt`, so a test clock can watch them cross their response deadline. Each
// server pages its lists as the real API does, records every request (URL and headers), and,
// given a `token`, answers 401 to a request without it. `docs()` returns every open issue's
// complete REST documents, for the native CLI to evaluate independently of the extension.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const FIX = join(ROOT, 'tests/fixtures');
const read = (p) => JSON.parse(readFileSync(join(FIX, p), 'utf8'));

/** An HTTP server on 127.0.0.1 (or `host`) whose handler returns `[status, body]` or null (404). */
async function serve(handler, { host = '127.0.0.1', token = null, auth = () => true } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    requests.push({ url: req.url, headers: { ...req.headers } });
    const send = (status, body, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (token && !auth(req.headers, token)) return send(401, { message: 'Bad credentials' });
    let out;
    try {
      out = handler(u, req);
    } catch (e) {
      return send(500, { message: String(e) });
    }
    if (!out) return send(404, { message: 'Not Found' });
    return send(...out);
  });
  await new Promise((ok) => server.listen(0, host, ok));
  const name = host === '127.0.0.1' ? '127.0.0.1' : host;
  return {
    origin: `http://${name}:${server.address().port}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}

/** Items `page` (1-based) of `per_page` from a query, as GitHub and GitLab page lists. */
function paged(list, u) {
  const per = Math.min(100, Number(u.searchParams.get('per_page') ?? 30));
  const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
  return list.slice((page - 1) * per, page * per);
}

// ---------------------------------------------------------------------------------------------
// GitHub: the REST API (its own origin, as api.github.com is) and, optionally, the pages
// ---------------------------------------------------------------------------------------------

export async function fakeGitHub({
  extra = 0,
  createdAt = '2026-11-27T09:00:00Z',
  token = null,
  apiHost = 'localhost',
} = {}) {
  const REPO = 'acme/marketing-it';
  const list = read('github/issues.json');
  const bundles = read('github/bundles.json');
  const byNumber = new Map();
  for (const it of list) byNumber.set(it.number, { issue: it, timeline: [] });
  for (const b of bundles) byNumber.set(b.issue.number, { issue: b.issue, timeline: b.timeline ?? b.events ?? [] });
  // New issues: #101 (priority:critical) as just opened, with no comment.
  const template = byNumber.get(101).issue;
  for (let i = 0; i < extra; i++) {
    const n = 1001 + i;
    const issue = {
      ...structuredClone(template),
      number: n,
      id: template.id + n,
      comments: 0,
      created_at: createdAt,
      updated_at: createdAt,
      title: `New request ${n}`,
    };
    for (const k of ['url', 'html_url', 'comments_url', 'events_url', 'labels_url'])
      if (issue[k]) issue[k] = issue[k].replace(/\/101\b/, `/${n}`);
    byNumber.set(n, { issue, timeline: [] });
  }
  const open = () =>
    [...byNumber.values()]
      .map((b) => b.issue)
      .filter((it) => it.state === 'open')
      .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
  const api = await serve(
    (u) => {
      const base = `/repos/${REPO}/issues`;
      if (u.pathname === base)
        return [
          200,
          paged(u.searchParams.get('state') === 'open' ? open() : [...byNumber.values()].map((b) => b.issue), u),
        ];
      let m;
      m = new RegExp(`^${base}/(\\d+)$`).exec(u.pathname);
      if (m) {
        const b = byNumber.get(Number(m[1]));
        return b ? [200, b.issue] : null;
      }
      m = new RegExp(`^${base}/(\\d+)/timeline$`).exec(u.pathname);
      if (m) {
        const b = byNumber.get(Number(m[1]));
        return b ? [200, paged(b.timeline, u)] : null;
      }
      return null;
    },
    { host: apiHost, token, auth: (h, t) => h.authorization === `Bearer ${t}` },
  );
  // The pages, on another origin: the recorded issue list page.
  const pagesHtml = readFileSync(join(FIX, 'pages/github/issues.html'), 'utf8');
  const pages = await serve((u) =>
    u.pathname === `/${REPO}/issues` ? [200, pagesHtml, 'text/html; charset=utf-8'] : null,
  );
  return {
    origin: pages.origin,
    api: api.origin,
    repo: REPO,
    apiRequests: api.requests,
    pageRequests: pages.requests,
    /** Every open issue (`all`: every issue) as the adapter bundles it: `{"issue", "timeline"}`. */
    docs: (all = false) =>
      (all ? [...byNumber.values()].map((x) => x.issue).filter((it) => !it.pull_request) : open()).map((it) => ({
        issue: it,
        timeline: byNumber.get(it.number).timeline,
      })),
    extraIds: Array.from({ length: extra }, (_, i) => String(1001 + i)),
    close: () => Promise.all([api.close(), pages.close()]),
  };
}

// ---------------------------------------------------------------------------------------------
// GitLab: /api/v4 on the site's own origin
// ---------------------------------------------------------------------------------------------

export async function fakeGitLab({ extra = 0, createdAt = '2026-11-27T09:00:00Z', token = null } = {}) {
  const PROJECT = 'acme/it/marketing-it';
  const list = read('gitlab/issues.json');
  const bundles = read('gitlab/bundles.json');
  const byIid = new Map();
  for (const it of list)
    byIid.set(it.iid, { issue: it, resource_state_events: [], resource_label_events: [], notes: [] });
  for (const b of bundles)
    byIid.set(b.issue.iid, { resource_state_events: [], resource_label_events: [], notes: [], ...b });
  const template = byIid.get(7).issue;
  for (let i = 0; i < extra; i++) {
    const iid = 1001 + i;
    const issue = {
      ...structuredClone(template),
      iid,
      id: 500000 + iid,
      created_at: createdAt,
      updated_at: createdAt,
      user_notes_count: 0,
      title: `New request ${iid}`,
    };
    issue.web_url = template.web_url.replace(/\/7$/, `/${iid}`);
    if (issue.references) issue.references = { short: `#${iid}`, relative: `#${iid}`, full: `${PROJECT}#${iid}` };
    byIid.set(iid, { issue, resource_state_events: [], resource_label_events: [], notes: [] });
  }
  const all = () =>
    [...byIid.values()].map((b) => b.issue).sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
  const filter = (u) => {
    let out = all();
    const state = u.searchParams.get('state');
    if (state && state !== 'all') out = out.filter((it) => it.state === state);
    const iids = u.searchParams.getAll('iids[]').map(Number);
    if (iids.length) out = out.filter((it) => iids.includes(it.iid));
    return out;
  };
  const enc = encodeURIComponent(PROJECT);
  const server = await serve(
    (u) => {
      const p = u.pathname;
      if (
        p === '/api/v4/issues' ||
        p === `/api/v4/projects/${enc}/issues` ||
        p === `/api/v4/projects/${PROJECT}/issues`
      )
        return [200, paged(filter(u), u)];
      const m = new RegExp(
        `^/api/v4/projects/(?:${enc}|${PROJECT.replace(/\//g, '\\/')})/issues/(\\d+)/(resource_state_events|resource_label_events|notes)$`,
      ).exec(p);
      if (m) {
        const b = byIid.get(Number(m[1]));
        return b ? [200, paged(b[m[2]], u)] : null;
      }
      return null;
    },
    { token, auth: (h, t) => h['private-token'] === t },
  );
  return {
    origin: server.origin,
    project: PROJECT,
    requests: server.requests,
    docs: () =>
      all()
        .filter((it) => it.state === 'opened')
        .map((it) => byIid.get(it.iid)),
    extraIds: Array.from({ length: extra }, (_, i) => String(1001 + i)),
    close: server.close,
  };
}

// ---------------------------------------------------------------------------------------------
// Jira (Server/Data Center paths: /rest/api/2/search, paged by startAt)
// ---------------------------------------------------------------------------------------------

export async function fakeJira({ extra = 0, createdAt = '2026-11-27T09:00:00.000+0000', token = null } = {}) {
  const search = read('jira/search.json');
  const byKey = new Map(search.issues.map((it) => [it.key, it]));
  const single = read('jira/issue.json');
  byKey.set(single.key, single);
  const template = byKey.get('MKT-1');
  for (let i = 0; i < extra; i++) {
    const key = `MKT-${1001 + i}`;
    const it = structuredClone(template);
    it.key = key;
    it.id = String(20000 + i);
    it.fields.created = createdAt;
    it.fields.updated = createdAt;
    it.fields.summary = `New request ${key}`;
    it.fields.status = structuredClone(byKey.get('MKT-1').fields.status);
    if (it.fields.comment) it.fields.comment = { ...it.fields.comment, comments: [], total: 0, maxResults: 0 };
    it.changelog = { startAt: 0, maxResults: 0, total: 0, histories: [] };
    byKey.set(key, it);
  }
  const isOpen = (it) => (it.fields.status?.statusCategory?.key ?? 'new') !== 'done';
  const all = () =>
    [...byKey.values()].sort(
      (a, b) => Date.parse(b.fields.updated ?? b.fields.created) - Date.parse(a.fields.updated ?? a.fields.created),
    );
  const server = await serve(
    (u) => {
      if (u.pathname !== '/rest/api/2/search') return null;
      const jql = u.searchParams.get('jql') ?? '';
      const max = Math.min(100, Number(u.searchParams.get('maxResults') ?? 50));
      const startAt = Number(u.searchParams.get('startAt') ?? 0);
      let list;
      const keys = /key in \(([^)]*)\)/.exec(jql);
      if (keys)
        list = keys[1]
          .split(',')
          .map((k) => byKey.get(k.trim()))
          .filter(Boolean);
      else if (/statusCategory != Done/.test(jql)) list = all().filter(isOpen);
      else list = all();
      const pj = /project in \(([^)]*)\)/.exec(jql);
      if (pj) {
        const ps = pj[1].split(',').map((s) => s.trim());
        list = list.filter((it) => ps.includes(it.key.split('-')[0]));
      }
      const page = list.slice(startAt, startAt + max);
      const fieldsKeyOnly = u.searchParams.get('fields') === 'key';
      return [
        200,
        {
          startAt,
          maxResults: max,
          total: list.length,
          issues: page.map((it) => (fieldsKeyOnly ? { id: it.id, key: it.key, self: it.self } : it)),
        },
      ];
    },
    { token, auth: (h, t) => h.authorization === `Bearer ${t}` },
  );
  return {
    origin: server.origin,
    requests: server.requests,
    docs: () => [{ startAt: 0, maxResults: 1000, total: all().filter(isOpen).length, issues: all().filter(isOpen) }],
    extraIds: Array.from({ length: extra }, (_, i) => `MKT-${1001 + i}`),
    close: server.close,
  };
}
