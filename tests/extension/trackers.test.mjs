// The worker's tracker requests under node:test, against the fake trackers (real HTTP on
// 127.0.0.1/localhost): the open-issue lists of every tracker kind (paged, bounded, pull requests
// skipped, GitLab grouped by project), a site's API origin and host permissions (GitHub's API on
// another origin), and the token guard (a site's token goes only to its own origins, never
// through a redirect).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { normalizeSite, apiBaseOf, hostPatterns, tokenOrigins, siteProblems } from '../../extension/src/lib/config.js';
import { listOpen, siteClient, guardedFetch } from '../../extension/src/lib/fetch-tracker.js';
import { loadIssues, ADAPTERS } from '../../extension/src/lib/page-adapter.js';
import { fakeGitHub, fakeGitLab, fakeJira } from './fake-trackers.mjs';
import { fakeRedmine } from './fake-redmine.mjs';

const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function up(p) {
  const s = await p;
  servers.push(s);
  return s;
}

/** A client as the worker builds it: the guard, and the adapter's auth headers for the token. */
async function client(site) {
  const c = siteClient(site);
  c.setHeaders(await ADAPTERS[site.tracker].auth({ token: site.token || null, client: c }));
  return c;
}

describe("a site's API origin and host permissions", () => {
  it('github.com: the API is api.github.com, and both origins are asked for', () => {
    const s = normalizeSite({ origin: 'https://github.com', tracker: 'github' });
    assert.equal(apiBaseOf(s), 'https://api.github.com');
    assert.deepEqual(hostPatterns(s), ['https://github.com/*', 'https://api.github.com/*']);
    assert.deepEqual(tokenOrigins(s), ['https://api.github.com'], 'a GitHub token goes to the API only');
  });

  it('GitHub Enterprise: <origin>/api/v3 on the same origin, or the address given', () => {
    const ghes = normalizeSite({ origin: 'https://ghe.example.com', tracker: 'github' });
    assert.equal(apiBaseOf(ghes), 'https://ghe.example.com/api/v3');
    assert.deepEqual(hostPatterns(ghes), ['https://ghe.example.com/*']);
    const own = normalizeSite({
      origin: 'https://ghe.example.com',
      tracker: 'github',
      api: 'https://api.ghe.example.com/',
    });
    assert.equal(apiBaseOf(own), 'https://api.ghe.example.com');
    assert.deepEqual(hostPatterns(own), ['https://ghe.example.com/*', 'https://api.ghe.example.com/*']);
  });

  it("the other trackers answer on their own origin (and base path); `api` is GitHub's only", () => {
    const r = normalizeSite({
      origin: 'https://r.example',
      tracker: 'redmine',
      site: { basePath: '/rm' },
      api: 'https://elsewhere.example',
    });
    assert.equal(r.api, '');
    assert.equal(apiBaseOf(r), 'https://r.example/rm');
    assert.deepEqual(hostPatterns(r), ['https://r.example/*']);
  });

  it('the site form reports a bad API address and bad watch entries with their field', () => {
    const p = siteProblems({
      origin: 'https://github.com',
      tracker: 'github',
      api: 'ftp://x',
      watch: 'acme/site, not a repo',
    });
    assert.deepEqual(
      p.map((x) => x.path),
      ['api', 'watch'],
    );
    assert.match(p[1].message, /not a repo/);
    assert.deepEqual(
      siteProblems({ origin: 'https://j.example', tracker: 'jira', watch: 'MKT, it' }).map((x) => x.path),
      ['watch'],
    );
  });
});

describe('the token guard', () => {
  /** A server that records the headers it gets; `/hop` redirects to `to`. */
  async function recorder(host = '127.0.0.1') {
    const seen = [];
    let to = null;
    const server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === '/hop' && to) {
        res.writeHead(302, { location: to });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise((ok) => server.listen(0, host, ok));
    const s = {
      origin: `http://${host}:${server.address().port}`,
      seen,
      redirectTo: (u) => {
        to = u;
      },
      close: () => new Promise((ok) => server.close(ok)),
    };
    servers.push(s);
    return s;
  }

  it("sends a token to the site's origins only; another origin gets the request without it", async () => {
    const mine = await recorder();
    const other = await recorder('localhost');
    const f = guardedFetch([mine.origin]);
    for (const h of [{ 'X-Redmine-API-Key': 'k1' }, { 'PRIVATE-TOKEN': 'k2' }, { Authorization: 'Bearer k3' }]) {
      await f(`${mine.origin}/a`, { headers: h });
      await f(`${other.origin}/b`, { headers: { ...h, Accept: 'application/json' } });
    }
    assert.deepEqual(
      mine.seen.map((r) => r.headers['x-redmine-api-key'] ?? r.headers['private-token'] ?? r.headers.authorization),
      ['k1', 'k2', 'Bearer k3'],
    );
    assert.equal(other.seen.length, 3, 'the other origin still gets its requests');
    for (const r of other.seen) {
      assert.equal(r.headers['x-redmine-api-key'] ?? r.headers['private-token'] ?? r.headers.authorization, undefined);
      assert.equal(r.headers.accept, 'application/json');
    }
  });

  it('a request with a token never follows a redirect (to another origin or not)', async () => {
    const mine = await recorder();
    const other = await recorder('localhost');
    mine.redirectTo(`${other.origin}/stolen`);
    const f = guardedFetch([mine.origin]);
    await assert.rejects(f(`${mine.origin}/hop`, { headers: { 'X-Redmine-API-Key': 'secret' } }));
    assert.deepEqual(other.seen, [], 'the redirect target was never asked');
    // Without a token, a redirect is followed as usual.
    const r = await f(`${mine.origin}/hop`, { headers: {} });
    assert.equal(r.status, 200);
    assert.deepEqual(
      other.seen.map((x) => x.url),
      ['/stolen'],
    );
  });

  it("GitHub: the token goes to the API origin, never to the pages' origin or elsewhere", async () => {
    const gh = await up(fakeGitHub({ extra: 2, token: 'ghp_test' }));
    const site = normalizeSite({
      origin: gh.origin,
      tracker: 'github',
      api: gh.api,
      token: 'ghp_test',
      watch: [gh.repo],
    });
    assert.notEqual(new URL(gh.api).origin, gh.origin, 'the API is on another origin');
    const c = await client(site);
    const open = await listOpen(site, { client: c });
    assert.deepEqual(open.errors, []);
    const f = await loadIssues('github', open.groups[0].ids, {
      base: gh.origin,
      apiBase: apiBaseOf(site),
      page: { kind: 'issueList', project: gh.repo },
      token: site.token,
      credentials: 'omit',
      fetch: siteClient(site).fetch,
    });
    assert.deepEqual(f.failed, {});
    assert.ok(gh.apiRequests.length > 4);
    assert.ok(gh.apiRequests.every((r) => r.headers.authorization === 'Bearer ghp_test'));
    assert.deepEqual(gh.pageRequests, []);
    // A request the adapter might make to another origin goes without the token.
    await c.get(`${gh.origin}/acme/marketing-it/issues`, { accept: 'text/html' });
    assert.equal(gh.pageRequests.length, 1);
    assert.equal(gh.pageRequests[0].headers.authorization, undefined);
  });
});

describe('open issues of every tracker kind: paged and bounded', () => {
  it('GitHub: every page of each watched repository, pull requests skipped, at most `max`', async () => {
    const gh = await up(fakeGitHub({ extra: 150, token: 'ghp_test' }));
    const site = normalizeSite({
      origin: gh.origin,
      tracker: 'github',
      api: gh.api,
      token: 'ghp_test',
      watch: [gh.repo],
    });
    const all = await listOpen(site, { client: await client(site), max: 1000 });
    const want = gh
      .docs()
      .map((d) => d.issue)
      .filter((it) => !it.pull_request)
      .map((it) => String(it.number));
    assert.deepEqual(
      all.groups.map((g) => g.project),
      [gh.repo],
    );
    assert.deepEqual(all.groups[0].ids.sort(), want.sort());
    assert.equal(all.groups[0].ids.length, 152, '150 new + #101 and #102 (#103 is closed, #104 a pull request)');
    const listCalls = gh.apiRequests.filter((r) => /\/issues\?/.test(r.url));
    assert.equal(listCalls.length, 2, 'two pages of 100');
    const some = await listOpen(site, { client: await client(site), max: 120 });
    assert.equal(some.groups[0].ids.length, 120);
    // No repositories to watch: said, not guessed.
    const none = await listOpen({ ...site, watch: [] }, { client: await client(site) });
    assert.deepEqual(none.groups, []);
    assert.match(none.errors[0], /list the repositories to watch/);
    // Without the token: the API's 401, as a reason.
    const anon = normalizeSite({ ...site, token: '' });
    const refused = await listOpen(anon, { client: await client(anon) });
    assert.match(refused.errors[0], /401/);
  });

  it("GitLab: a watched project's pages, or every open issue grouped by project", async () => {
    const gl = await up(fakeGitLab({ extra: 130, token: 'glpat' }));
    const site = normalizeSite({ origin: gl.origin, tracker: 'gitlab', token: 'glpat', watch: [gl.project] });
    const want = gl
      .docs()
      .map((d) => String(d.issue.iid))
      .sort();
    const r = await listOpen(site, { client: await client(site), max: 1000 });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.groups.map((g) => [g.project, g.ids.slice().sort()]),
      [[gl.project, want]],
    );
    const all = await listOpen({ ...site, watch: [] }, { client: await client(site), max: 1000 });
    assert.deepEqual(
      all.groups.map((g) => [g.project, g.ids.slice().sort()]),
      [[gl.project, want]],
    );
    const bounded = await listOpen(site, { client: await client(site), max: 101 });
    assert.equal(bounded.groups[0].ids.length, 101);
    assert.ok(gl.requests.every((q) => q.headers['private-token'] === 'glpat'));
  });

  it('Jira: open issues by JQL, paged by startAt, watched projects in the JQL', async () => {
    const j = await up(fakeJira({ extra: 205, token: 'jt' }));
    const site = normalizeSite({ origin: j.origin, tracker: 'jira', token: 'jt' });
    const want = j
      .docs()[0]
      .issues.map((it) => it.key)
      .sort();
    const r = await listOpen(site, { client: await client(site), max: 1000 });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.groups[0].ids.slice().sort(), want);
    assert.ok(!want.includes('MKT-2'), 'MKT-2 is done');
    assert.equal(j.requests.length, 3, 'three pages of 100');
    const watched = await listOpen({ ...site, watch: ['OPS'] }, { client: await client(site) });
    assert.deepEqual(watched.groups, [], 'no OPS issues');
    assert.match(decodeURIComponent(j.requests.at(-1).url), /project in \(OPS\) AND statusCategory != Done/);
    const bounded = await listOpen(site, { client: await client(site), max: 150 });
    assert.equal(bounded.groups[0].ids.length, 150);
  });

  it('Redmine: status_id=open by limit and offset', async () => {
    const rm = await up(fakeRedmine({ count: 230 }));
    const site = normalizeSite({ origin: rm.origin, tracker: 'redmine' });
    const r = await listOpen(site, { client: await client(site), max: 1000 });
    const open = rm
      .docs()
      .filter((d) => d.issue)
      .map((d) => String(d.issue.id));
    assert.ok(rm.docs(true).length > rm.docs().length, 'some are closed');
    assert.deepEqual(r.groups[0].ids.slice().sort(), open.sort());
    assert.ok(open.length < 230 && open.length > 100);
    assert.equal(rm.requests.list, Math.ceil(open.length / 100));
    const bounded = await listOpen(site, { client: await client(site), max: 50 });
    assert.equal(bounded.groups[0].ids.length, 50);
  });
});
