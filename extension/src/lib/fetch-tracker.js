// Fetching a tracker's REST responses, as fetched, for the Rust adapters to map. Used by the
// content script (the page's own session, same origin) and by the worker's scheduled check (the
// user's token, sent only to the tracker's own origin). Batched (≤ 100 ids per list call),
// bounded concurrency, 429/5xx retried with backoff, and every failure reported per issue.

const LIST_BATCH = 100;
const CONCURRENCY = 4;

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * GET `url` as JSON. Resolves `{ ok, status, json, date, reason }`; never rejects.
 * @param {{ headers?: Record<string,string>, credentials?: RequestCredentials, retries?: number, timeoutMs?: number, fetchImpl?: typeof fetch }} opt
 */
export async function getJson(url, opt = {}) {
  const retries = opt.retries ?? 2;
  const f = opt.fetchImpl ?? fetch;
  for (let attempt = 0; ; attempt++) {
    let res;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), opt.timeoutMs ?? 15_000);
    try {
      res = await f(url, { headers: { Accept: 'application/json', ...opt.headers }, credentials: opt.credentials ?? 'same-origin', signal: ctl.signal });
    } catch (e) {
      clearTimeout(timer);
      if (attempt < retries) {
        await sleep(300 * 2 ** attempt);
        continue;
      }
      return { ok: false, status: 0, json: null, date: null, reason: ctl.signal.aborted ? 'the tracker did not answer in time' : `network error (${e.message})` };
    }
    clearTimeout(timer);
    const date = res.headers.get('date');
    if ((res.status === 429 || res.status >= 500) && attempt < retries) {
      const ra = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(ra) && ra > 0 ? Math.min(ra, 10) * 1000 : 400 * 2 ** attempt);
      continue;
    }
    if (!res.ok) {
      const why = { 401: 'not signed in to the tracker (401)', 403: 'no permission to read this issue (403)', 404: 'issue not found (404)', 429: 'the tracker is rate limiting (429)' }[res.status];
      return { ok: false, status: res.status, json: null, date, reason: why ?? `the tracker answered ${res.status}` };
    }
    try {
      // `raw`: the JSON text, unparsed, for the worker's adapter (no parse on the page's thread).
      if (opt.raw) return { ok: true, status: res.status, json: null, text: await res.text(), date, reason: null };
      return { ok: true, status: res.status, json: await res.json(), date, reason: null };
    } catch {
      return { ok: false, status: res.status, json: null, date, reason: 'the tracker\'s answer is not JSON' };
    }
  }
}

/** The Redmine base URL of a site (origin plus base path). */
export function redmineBase(site) {
  return `${site.origin}${site.site?.basePath ?? ''}`.replace(/\/$/, '');
}

/** Token headers for a site (only ever sent to the site's own origin). */
export function authHeaders(site) {
  if (!site.token) return {};
  switch (site.tracker) {
    case 'redmine':
      return { 'X-Redmine-API-Key': site.token };
    case 'gitlab':
      return { 'PRIVATE-TOKEN': site.token };
    default:
      return { Authorization: `Bearer ${site.token}` };
  }
}

/**
 * Redmine: the REST documents for `ids` (a list call per 100 ids, then each issue's journals),
 * plus `/issue_statuses.json` and, for a `groups` staff rule, the groups' memberships.
 * @returns {Promise<{ docs: any[], failed: Record<string,string>, serverDate: string|null, requests: number }>}
 */
export async function fetchRedmine(site, ids, opt = {}) {
  const base = redmineBase(site);
  const get = (path, raw = false) => getJson(`${base}${path}`, { headers: authHeaders(site), credentials: opt.credentials, fetchImpl: opt.fetchImpl, raw });
  const docs = [];
  const failed = {};
  let serverDate = null;
  let requests = 0;
  const note = (r) => {
    requests += 1;
    if (r.date && !serverDate) serverDate = r.date;
    return r;
  };
  const uniq = [...new Set(ids.map(String))];
  const listCalls = [];
  for (let i = 0; i < uniq.length; i += LIST_BATCH) listCalls.push(uniq.slice(i, i + LIST_BATCH));
  const statusP = get('/issue_statuses.json').then(note);
  const groups = (site.site?.staff?.groups ?? []).filter((g) => /^\d+$/.test(String(g)));
  const groupP = pool(groups, 2, (g) => get(`/groups/${g}.json?include=users`).then(note));
  const lists = await pool(listCalls, 2, (chunk) => get(`/issues.json?issue_id=${chunk.join(',')}&status_id=*&sort=id&limit=${LIST_BATCH}`).then(note));
  const listed = new Set();
  lists.forEach((r, i) => {
    if (r.ok && Array.isArray(r.json?.issues)) {
      docs.push(r.json);
      for (const it of r.json.issues) listed.add(String(it.id));
    } else for (const id of listCalls[i]) failed[id] = r.reason ?? 'unexpected answer';
  });
  for (const id of uniq) if (!listed.has(id) && !failed[id]) failed[id] = 'issue not found (404)';
  const want = uniq.filter((id) => listed.has(id));
  const singles = await pool(want, opt.concurrency ?? CONCURRENCY, (id) => get(`/issues/${id}.json?include=journals`, opt.raw).then(note));
  singles.forEach((r, i) => {
    if (r.ok && opt.raw && r.text.startsWith('{"issue"')) docs.push(r.text);
    else if (r.ok && r.json?.issue) docs.push(r.json);
    else failed[want[i]] = r.reason ?? 'unexpected answer';
  });
  const st = await statusP;
  if (st.ok) docs.push(st.json);
  for (const g of await groupP) if (g.ok) docs.push(g.json);
  return { docs, failed, serverDate, requests };
}

/**
 * Redmine: the ids of open issues (newest first), up to `max`, for the scheduled check.
 */
export async function listOpenRedmine(site, max = 300, opt = {}) {
  const base = redmineBase(site);
  const ids = [];
  for (let offset = 0; offset < max; offset += 100) {
    const r = await getJson(`${base}/issues.json?status_id=open&sort=updated_on:desc&limit=100&offset=${offset}`, { headers: authHeaders(site), credentials: opt.credentials ?? 'include', fetchImpl: opt.fetchImpl });
    if (!r.ok) return { ids, error: r.reason };
    for (const it of r.json.issues ?? []) ids.push(String(it.id));
    if ((r.json.issues ?? []).length < 100) break;
  }
  return { ids: ids.slice(0, max), error: null };
}
