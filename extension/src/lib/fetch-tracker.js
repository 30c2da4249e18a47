// The worker's scheduled check: which of a Redmine's issues are open (the issues' own data is
// then fetched by the tracker adapter, www/trackers/redmine.js). 429/5xx retried with backoff;
// the site's token is sent only to the site's own origin.

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
