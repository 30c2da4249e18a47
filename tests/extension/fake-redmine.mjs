// A Redmine-shaped server on a free 127.0.0.1 port, built from the recorded responses in
// tests/fixtures/redmine (real Redmine 5 shapes): N issues cycling through the 12 seeded ones, an
// issue list page and issue pages with Redmine's markup, and the REST endpoints the content
// script calls. `payload` puts HTML/script into tracker strings (category, priority, subject,
// status) to check they render as text. Used for the hostile-strings test, the notification
// check of every tracker kind (it lists open issues by limit and offset) and the 1,000-issue
// benchmark; the real Redmine covers everything else.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const FIX = join(ROOT, 'tests/fixtures/redmine');
const SEED = Array.from(
  { length: 12 },
  (_, i) => JSON.parse(readFileSync(join(FIX, `issues/${i + 1}.json`), 'utf8')).issue,
);
const STATUSES = JSON.parse(readFileSync(join(FIX, 'issue_statuses.json'), 'utf8'));

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export async function fakeRedmine({ count = 12, payload = null, csp = null, escalated = false } = {}) {
  const issue = (id) => {
    const base = structuredClone(SEED[(id - 1) % 12]);
    base.id = id;
    // `escalated`: the S03 issues (breached, level 1) carry a marker note by the API user, as
    // `sla-lens escalate` posts it (issue #14).
    if (escalated && (id - 1) % 12 === 2 && base.journals?.length) {
      const at = base.journals[base.journals.length - 1].created_on;
      base.journals.push({
        id: 9000 + id,
        user: { id: 1, name: 'Redmine Admin' },
        created_on: at,
        details: [],
        notes: `SLA escalation, level 1.\nsla-lens:escalated ticket=${id} cycle=1 level=1 action=note#0 at=${at}`,
      });
    }
    // `payload`: one string for every issue, or a function of the issue's id (a corpus).
    const text = typeof payload === 'function' ? payload(id) : payload;
    if (text) {
      base.subject = `${text} ${base.subject}`;
      if (base.category) base.category.name = `${text}${base.category.name}`;
      base.priority.name = `${base.priority.name}${text}`;
    }
    return base;
  };
  const listItem = (id) => {
    const { journals, ...rest } = issue(id);
    void journals;
    return rest;
  };
  const statuses = payload
    ? {
        issue_statuses: STATUSES.issue_statuses.map((s) =>
          s.name === 'Waiting on customer' ? s : { ...s, name: s.name },
        ),
      }
    : STATUSES;
  const requests = { list: 0, single: 0, other: 0 };
  const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:13px/1.5 Verdana,sans-serif;margin:0}#header{background:#628db6;color:#fff;padding:10px 16px;font-size:18px}#content{padding:12px 16px}
table.list{border-collapse:collapse;width:100%}table.list td,table.list th{border:1px solid #e4e4e4;padding:4px 6px;text-align:left}tr.odd{background:#f6f7f8}</style>
</head><body><div id="header">Fake Redmine</div><div id="main"><div id="content">${body}</div></div></body></html>`;
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      const headers = { 'content-type': type, 'cache-control': 'no-store' };
      if (csp && type.startsWith('text/html')) headers['content-security-policy'] = csp;
      res.writeHead(status, headers);
      res.end(body);
    };
    let m;
    if (u.pathname === '/issues') {
      const per = Number(u.searchParams.get('per_page') ?? count);
      const rows = [];
      for (let id = 1; id <= Math.min(count, per); id++) {
        const it = issue(id);
        rows.push(
          `<tr id="issue-${id}" class="hascontextmenu ${id % 2 ? 'odd' : 'even'} issue"><td class="id"><a href="/issues/${id}">${id}</a></td><td class="tracker">${esc(it.tracker.name)}</td><td class="status">${esc(it.status.name)}</td><td class="priority">${esc(it.priority.name)}</td><td class="subject"><a href="/issues/${id}">${esc(it.subject)}</a></td></tr>`,
        );
      }
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          'Issues',
          `<h2>Issues</h2><table class="list issues"><thead><tr><th>#</th><th>Tracker</th><th>Status</th><th>Priority</th><th>Subject</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
        ),
      );
    }
    m = /^\/issues\/(\d+)$/.exec(u.pathname);
    if (m) {
      const id = Number(m[1]);
      if (id < 1 || id > count) return send(404, 'text/html', page('404', '<p>Not found</p>'));
      const it = issue(id);
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          it.subject,
          `<h2>${esc(it.tracker.name)} #${id}</h2><div class="issue details"><div class="subject"><div><h3>${esc(it.subject)}</h3></div></div><p>Status: ${esc(it.status.name)} · Category: ${esc(it.category?.name ?? '')}</p></div>`,
        ),
      );
    }
    if (u.pathname === '/issues.json' && !u.searchParams.has('issue_id')) {
      // The notification check's list: open issues (statuses not closed), by limit and offset.
      requests.list += 1;
      const closed = new Set(STATUSES.issue_statuses.filter((s) => s.is_closed).map((s) => s.id));
      const open = Array.from({ length: count }, (_, i) => i + 1).filter(
        (id) => u.searchParams.get('status_id') !== 'open' || !closed.has(issue(id).status.id),
      );
      const limit = Math.min(100, Number(u.searchParams.get('limit') ?? 25));
      const offset = Number(u.searchParams.get('offset') ?? 0);
      return send(
        200,
        'application/json',
        JSON.stringify({
          issues: open.slice(offset, offset + limit).map(listItem),
          total_count: open.length,
          offset,
          limit,
        }),
      );
    }
    if (u.pathname === '/issues.json') {
      requests.list += 1;
      const ids = (u.searchParams.get('issue_id') ?? '')
        .split(',')
        .map(Number)
        .filter((n) => n >= 1 && n <= count);
      return send(
        200,
        'application/json',
        JSON.stringify({ issues: ids.map(listItem), total_count: ids.length, offset: 0, limit: 100 }),
      );
    }
    m = /^\/issues\/(\d+)\.json$/.exec(u.pathname);
    if (m) {
      requests.single += 1;
      const id = Number(m[1]);
      if (id < 1 || id > count) return send(404, 'application/json', '{"errors":["not found"]}');
      return send(200, 'application/json', JSON.stringify({ issue: issue(id) }));
    }
    if (u.pathname === '/issue_statuses.json') {
      requests.other += 1;
      return send(200, 'application/json', JSON.stringify(statuses));
    }
    requests.other += 1;
    return send(404, 'text/plain', 'not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Every open issue's (`all`: every issue's) documents with journals, and the statuses, for the CLI. */
    docs: (all = false) => {
      const closed = new Set(STATUSES.issue_statuses.filter((s) => s.is_closed).map((s) => s.id));
      const list = Array.from({ length: count }, (_, i) => issue(i + 1)).filter(
        (it) => all || !closed.has(it.status.id),
      );
      return [...list.map((it) => ({ issue: it })), statuses];
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}
