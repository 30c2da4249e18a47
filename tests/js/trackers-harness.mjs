// A local stand-in for the four trackers, for the page contract suite and the page benchmark:
// it serves the committed page fixtures at each tracker's own paths (their scripts removed: only
// the markup is under test), sla-lens's www/ at /__sla-lens/, and each tracker's REST API over
// the committed REST fixtures. It logs every request and counts those in flight.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WWW = resolve(ROOT, 'www');
const PAGES = join(ROOT, 'tests/fixtures/pages');
const FIX = join(ROOT, 'tests/fixtures');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const text = (rel) => readFileSync(join(FIX, rel), 'utf8');
const json = (rel) => JSON.parse(text(rel));

export const SEED = json('redmine/seed.json');
export const REDMINE_IDS = SEED.issues.map((i) => String(i.id));
const byTag = (tag) => SEED.issues.find((i) => i.tag.startsWith(tag)).id;

/** Each tracker's fixture pages: where they are served, what the URL is, which issues they show. */
export const PAGE_FIXTURES = {
  redmine: [
    {
      file: 'redmine/issues.html',
      url: '/issues?set_filter=1&f%5B%5D=status_id&op%5Bstatus_id%5D=%2A&sort=id',
      kind: 'issueList',
      ids: REDMINE_IDS,
    },
    { file: 'redmine/issue-S03.html', url: `/issues/${byTag('S03')}`, kind: 'issue', ids: [String(byTag('S03'))] },
    { file: 'redmine/issue-S05.html', url: `/issues/${byTag('S05')}`, kind: 'issue', ids: [String(byTag('S05'))] },
    {
      file: 'redmine/issues-empty.html',
      url: '/projects/marketing-it/issues?set_filter=1&f%5B%5D=subject&op%5Bsubject%5D=%7E&v%5Bsubject%5D%5B%5D=no-such-issue-anywhere',
      kind: 'issueList',
      ids: [],
    },
  ],
  github: [
    { file: 'github/issues.html', url: '/acme/marketing-it/issues', kind: 'issueList', ids: ['101', '102', '103'] },
    { file: 'github/issue.html', url: '/acme/marketing-it/issues/102', kind: 'issue', ids: ['102'] },
  ],
  gitlab: [
    { file: 'gitlab/issues.html', url: '/acme/it/marketing-it/-/issues', kind: 'issueList', ids: ['7', '8', '9'] },
    { file: 'gitlab/issue.html', url: '/acme/it/marketing-it/-/issues/7', kind: 'issue', ids: ['7'] },
  ],
  jira: [
    {
      file: 'jira/issues.html',
      url: '/issues/?jql=project%20%3D%20MKT',
      kind: 'issueList',
      ids: ['MKT-1', 'MKT-2', 'MKT-3'],
    },
    { file: 'jira/issue.html', url: '/browse/MKT-2', kind: 'issue', ids: ['MKT-2'] },
  ],
};

/** An empty page (no issue anywhere) at any tracker path: `?sla-empty=1`. */
const EMPTY =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Empty</title></head><body><main id="content"><h2>Issues</h2><p class="nodata">No data to display</p></main></body></html>';

function stripScripts(html) {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<script\b[^>]*\/>/gi, '');
}

/** The REST fixtures behind each tracker's API. */
function fakeApis() {
  const rmList = json('redmine/issues.json').issues;
  const rm = new Map(rmList.map((i) => [String(i.id), i]));
  const ghBundles = new Map(json('github/bundles.json').map((b) => [String(b.issue.number), b]));
  const glIssues = json('gitlab/issues.json');
  const glBundles = new Map(json('gitlab/bundles.json').map((b) => [String(b.issue.iid), b]));
  const jiraSearch = json('jira/search.json');
  const jiraAll = [...jiraSearch.issues, json('jira/issue.json')];
  return (u) => {
    const p = u.pathname;
    // Redmine
    if (p === '/issue_statuses.json') return text('redmine/issue_statuses.json');
    if (p === '/issues.json') {
      const issues = (u.searchParams.get('issue_id') ?? '')
        .split(',')
        .filter((id) => rm.has(id))
        .map((id) => rm.get(id));
      return JSON.stringify({ issues, total_count: issues.length, offset: 0, limit: 100 });
    }
    let m = /^\/issues\/(\d+)\.json$/.exec(p);
    if (m && rm.has(m[1])) return text(`redmine/issues/${m[1]}.json`);
    // GitHub (the API on this origin under /gh-api)
    m = /^\/gh-api\/repos\/acme\/marketing-it\/issues\/(\d+)(\/timeline)?$/.exec(p);
    if (m && ghBundles.has(m[1])) {
      const b = ghBundles.get(m[1]);
      return JSON.stringify(m[2] ? (b.timeline ?? b.events) : b.issue);
    }
    // GitLab
    if (p === '/api/v4/projects/acme%2Fit%2Fmarketing-it/issues') {
      const iids = u.searchParams.getAll('iids[]');
      return JSON.stringify(glIssues.filter((i) => iids.includes(String(i.iid))));
    }
    m =
      /^\/api\/v4\/projects\/acme%2Fit%2Fmarketing-it\/issues\/(\d+)\/(resource_state_events|resource_label_events|notes)$/.exec(
        p,
      );
    if (m) return JSON.stringify(glBundles.get(m[1])?.[m[2]] ?? []);
    // Jira
    if (p === '/rest/api/2/search' || p === '/rest/api/3/search/jql') {
      const keys = (/key in \(([^)]*)\)/.exec(u.searchParams.get('jql') ?? '')?.[1] ?? '').split(',');
      return JSON.stringify({ ...jiraSearch, issues: jiraAll.filter((i) => keys.includes(i.key)) });
    }
    return null;
  };
}

/**
 * @param {{ extra?: (url: URL) => ({ status?: number, type?: string, body: string } | null) }} [o]
 *   `extra` answers first (the benchmark's 1,000-row list); `fault(url)` may be set later.
 */
export async function serveTrackers(o = {}) {
  const api = fakeApis();
  const pages = new Map();
  for (const list of Object.values(PAGE_FIXTURES)) {
    for (const f of list) pages.set(f.url, stripScripts(readFileSync(join(PAGES, f.file), 'utf8')));
  }
  const state = { log: [], fault: null, inFlight: 0, maxInFlight: 0 };
  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const isApi =
      u.pathname.endsWith('.json') ||
      u.pathname.startsWith('/gh-api/') ||
      u.pathname.startsWith('/api/') ||
      u.pathname.startsWith('/rest/');
    state.log.push({ path: req.url, api: isApi, at: Date.now() });
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', date: new Date().toUTCString() });
      res.end(body);
    };
    if (isApi) {
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      res.on('close', () => {
        state.inFlight -= 1;
      });
    }
    try {
      if (u.pathname.startsWith('/__sla-lens/')) {
        const file = normalize(join(WWW, decodeURIComponent(u.pathname.slice('/__sla-lens/'.length))));
        if (!file.startsWith(WWW)) return send(404, 'text/plain', 'not found');
        return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
      }
      const fault = state.fault?.(u);
      if (fault) return send(fault.status ?? 200, fault.type ?? 'text/html', fault.body ?? `<h1>${fault.status}</h1>`);
      const extra = o.extra?.(u);
      if (extra) {
        if (extra.delayMs) await new Promise((r) => setTimeout(r, extra.delayMs));
        return send(extra.status ?? 200, extra.type ?? 'application/json', extra.body);
      }
      if (u.searchParams.get('sla-empty') === '1') return send(200, 'text/html; charset=utf-8', EMPTY);
      const page = pages.get(u.pathname + u.search);
      if (page) return send(200, 'text/html; charset=utf-8', page);
      if (isApi) {
        const body = api(u);
        return body === null
          ? send(404, 'application/json', '{"message": "Not Found"}')
          : send(200, 'application/json', body);
      }
      return send(404, 'text/plain', 'not found');
    } catch (e) {
      return send(500, 'text/plain', String(e));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return Object.assign(state, {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  });
}
