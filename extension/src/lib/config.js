// @ts-check
// The extension's configuration: one versioned document in chrome.storage.local, the managed
// (browser policy) values that win over it, and the import/export format. Pure functions only:
// no chrome.* here, so node:test covers every migration and merge rule.

export const CONFIG_VERSION = 3;
export const TRACKERS = ['redmine', 'github', 'gitlab', 'jira', 'rt'];
export const EXPORT_KIND = 'sla-lens-extension-config';

/** The configuration of a fresh install: the built-in seed policy, no sites, no notifications. */
export function defaultConfig() {
  return {
    version: CONFIG_VERSION,
    policy: { text: null, source: 'default', updatedAt: null },
    sites: [],
    me: { handles: [], emails: [] },
    notifications: {
      enabled: false,
      atRisk: true,
      breached: true,
      escalations: true,
      intervalMinutes: 5,
      quietHours: { enabled: true, start: '20:00', end: '08:00' },
    },
  };
}

/**
 * Migrations, each from version `from` to `from + 1`. Version 1 (0.0.x builds) kept the policy
 * text and one flat site list; version 2 had no `me` and a notifications flag only.
 */
/** @type {Record<number, (c: any) => any>} */
const MIGRATIONS = {
  1: (c) => ({
    version: 2,
    policy: { text: c.policyText ?? null, source: c.policyText ? 'pasted' : 'default', updatedAt: null },
    sites: (c.sites ?? []).map((/** @type {any} */ s) => ({
      origin: s.origin,
      tracker: s.tracker ?? s.kind ?? 'redmine',
      token: s.token ?? '',
      site: s.site ?? {},
    })),
    notifications: { enabled: !!c.notify },
  }),
  2: (c) => ({
    ...c,
    version: 3,
    me: { handles: c.notifications?.handle ? [c.notifications.handle] : [], emails: [] },
    notifications: {
      ...defaultConfig().notifications,
      enabled: !!c.notifications?.enabled,
    },
  }),
};

/**
 * Brings a stored document (any version, or nothing) to the current version, filling every
 * missing key with its default. Unknown future versions are refused (returned as `error`),
 * never silently downgraded.
 * @param {any} stored  what storage held (untrusted: any shape)
 * @returns {{ config: Record<string, any>, migrated: boolean, from: number | null, error?: string }}
 */
export function migrate(stored) {
  if (stored == null || typeof stored !== 'object') return { config: defaultConfig(), migrated: false, from: null };
  let c = stored;
  const from = Number.isInteger(c.version) ? c.version : 1;
  if (from > CONFIG_VERSION) {
    return {
      config: defaultConfig(),
      migrated: false,
      from,
      error: `stored configuration is version ${from}, newer than this extension (${CONFIG_VERSION})`,
    };
  }
  let v = from;
  if (!Number.isInteger(c.version)) c = { ...c, version: 1 };
  while (v < CONFIG_VERSION) {
    c = MIGRATIONS[v](c);
    v += 1;
  }
  return { config: normalize(c), migrated: from !== CONFIG_VERSION, from };
}

/** A list of non-empty strings from an array or a comma/line-separated text. @param {unknown} v @returns {string[]} */
function strings(v) {
  if (Array.isArray(v)) return v.map((s) => String(s).trim()).filter(Boolean);
  if (typeof v === 'string')
    return v
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Fills defaults and drops what is not ours; sites get normalised origins and ids. @param {any} c */
export function normalize(c) {
  const d = defaultConfig();
  const n = c.notifications ?? {};
  const q = n.quietHours ?? {};
  return {
    version: CONFIG_VERSION,
    policy: {
      text: typeof c.policy?.text === 'string' && c.policy.text.trim() ? c.policy.text : null,
      source: c.policy?.source ?? (c.policy?.text ? 'pasted' : 'default'),
      updatedAt: c.policy?.updatedAt ?? null,
    },
    sites: (Array.isArray(c.sites) ? /** @type {unknown[]} */ (c.sites) : [])
      .map(normalizeSite)
      .filter((s) => s.origin),
    me: { handles: strings(c.me?.handles), emails: strings(c.me?.emails) },
    notifications: {
      enabled: !!n.enabled,
      atRisk: n.atRisk ?? d.notifications.atRisk,
      breached: n.breached ?? d.notifications.breached,
      escalations: n.escalations ?? d.notifications.escalations,
      intervalMinutes: Math.min(60, Math.max(1, Number(n.intervalMinutes) || d.notifications.intervalMinutes)),
      quietHours: {
        enabled: q.enabled ?? d.notifications.quietHours.enabled,
        start: HHMM.test(q.start ?? '') ? q.start : d.notifications.quietHours.start,
        end: HHMM.test(q.end ?? '') ? q.end : d.notifications.quietHours.end,
      },
    },
  };
}

/**
 * `https://Host:443/path` → `https://host`; anything that is not an http(s) origin → null.
 * Paths are not part of an origin: a tracker under a path sets the site's `basePath`.
 * @param {unknown} text
 */
export function normalizeOrigin(text) {
  if (typeof text !== 'string' || !text.trim()) return null;
  let u;
  try {
    u = new URL(text.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  return u.origin;
}

/**
 * A site entry as stored: every field present and of its type, whatever `s` held.
 * @param {any} s
 */
export function normalizeSite(s) {
  const origin = normalizeOrigin(s?.origin ?? '');
  const tracker = /** @type {import('../../../www/pkg/sla_lens.js').TrackerName} */ (
    TRACKERS.includes(s?.tracker) ? s.tracker : 'redmine'
  ); // TRACKERS lists the TrackerNames
  let site = s?.site && typeof s.site === 'object' ? { ...s.site } : {};
  // Managed storage carries the site file as JSON text (its schema has no free-form objects).
  if (typeof s?.siteJson === 'string' && s.siteJson.trim()) {
    try {
      const parsed = JSON.parse(s.siteJson);
      if (parsed && typeof parsed === 'object') site = parsed;
    } catch {
      site = {};
    }
  }
  delete site.tracker;
  delete site.origin;
  return {
    origin,
    tracker,
    enabled: s?.enabled !== false,
    site,
    pauseStatuses: strings(s?.pauseStatuses),
    // Request Tracker is read with the signed-in user's session cookie on its own origin: no
    // token is stored for it (none is asked for, and one imported or managed is dropped).
    token: tracker !== 'rt' && typeof s?.token === 'string' ? s.token.trim() : '',
    // GitHub only: the REST API's base URL when it is not the default (see apiBaseOf).
    api: tracker === 'github' ? normalizeApi(s?.api) : '',
    // What the notification check lists: GitHub `owner/repo`s, GitLab project paths, Jira
    // project keys, RT queue names (Redmine: every open issue the user can see).
    watch: strings(s?.watch),
    managed: !!s?.managed,
  };
}

/** An API base URL (`https://ghe.example.com/api/v3`) without its trailing slash, or ''. @param {unknown} text */
export function normalizeApi(text) {
  if (typeof text !== 'string' || !text.trim()) return '';
  let u;
  try {
    u = new URL(text.trim());
  } catch {
    return '';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return '';
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

/**
 * Where a site's REST calls go. GitHub's API is on another origin: `https://api.github.com` for
 * github.com, `<origin>/api/v3` for GitHub Enterprise Server, or the site's `api` address. The
 * other trackers answer on the site itself (plus its base path).
 * @param {Record<string, any>} s  a site entry (`normalizeSite`'s)
 * @returns {string}
 */
export function apiBaseOf(s) {
  const own = `${s.origin}${s.site?.basePath ?? ''}`.replace(/\/$/, '');
  if (s.tracker !== 'github') return own;
  if (s.api) return s.api;
  let host = '';
  try {
    host = new URL(s.origin).hostname;
  } catch {
    return own;
  }
  return /(^|\.)github\.com$/.test(host) ? 'https://api.github.com' : `${own}/api/v3`;
}

/** The origins a site's token may be sent to: its API's only (for GitHub, not the pages'). @param {Record<string, any>} s @returns {string[]} */
export function tokenOrigins(s) {
  try {
    return [new URL(apiBaseOf(s)).origin];
  } catch {
    return [s.origin];
  }
}

/**
 * Whether a token kept for site `had` may go on to site `s`: the same pages' origin and the same
 * API origin. A configuration (imported, or managed) that moves a tracker's API elsewhere does
 * not take the stored token there.
 * @param {Record<string, any>} s
 * @param {Record<string, any> | null | undefined} had
 */
export function keepsToken(s, had) {
  return !!had && s.origin === had.origin && tokenOrigins(s).join(' ') === tokenOrigins(had).join(' ');
}

/**
 * The host permissions a site needs (match patterns): its pages and, when elsewhere, its API.
 * `ports: false` (Firefox) leaves the port out: Firefox's match patterns have no port, and one
 * with a port grants nothing on that port (found by the Firefox ESR test on 127.0.0.1:PORT).
 * @param {Record<string, any>} s
 * @param {{ ports?: boolean }} [o]
 * @returns {string[]}
 */
export function hostPatterns(s, { ports = true } = {}) {
  /** @param {string} o */
  const pattern = (o) => {
    if (ports) return `${o}/*`;
    const u = new URL(o);
    return `${u.protocol}//${u.hostname}/*`;
  };
  return [...new Set([s.origin, ...tokenOrigins(s)].map(pattern))];
}

/** The site file (docs/trackers.md) the adapter reads for `s`: the tracker, origin and mapping. @param {Record<string, any>} s */
export function siteFile(s) {
  return { ...s.site, tracker: s.tracker, origin: s.origin };
}

/**
 * Problems with a site entry, each with the form field it belongs to.
 * @param {Record<string, any>} s  a draft (the form's texts) or an entry
 * @param {{ origin: string | null }[]} [others]  the other sites
 * @returns {{ path: string, message: string }[]}
 */
export function siteProblems(s, others = []) {
  const out = [];
  if (!normalizeOrigin(s.origin ?? ''))
    out.push({ path: 'origin', message: "Enter the tracker's address, e.g. https://redmine.example.com" });
  if (!TRACKERS.includes(s.tracker)) out.push({ path: 'tracker', message: `Choose one of ${TRACKERS.join(', ')}` });
  const o = normalizeOrigin(s.origin ?? '');
  if (o && others.some((x) => x.origin === o)) out.push({ path: 'origin', message: `${o} is already configured` });
  if (s.tracker === 'github' && typeof s.api === 'string' && s.api.trim() && !normalizeApi(s.api)) {
    out.push({
      path: 'api',
      message: "Enter the API's address, e.g. https://github.example.com/api/v3, or leave it empty",
    });
  }
  if (s.tracker === 'github') {
    const bad = strings(s.watch).filter((r) => !/^[\w.-]+\/[\w.-]+$/.test(r));
    if (bad.length) out.push({ path: 'watch', message: `Repositories are owner/name: ${bad.join(', ')}` });
  }
  if (s.tracker === 'rt' && typeof s.token === 'string' && s.token.trim())
    out.push({
      path: 'token',
      message: 'Request Tracker is read with your signed-in session: leave the token empty (none is stored)',
    });
  if (s.tracker === 'jira') {
    const bad = strings(s.watch).filter((k) => !/^[A-Z][A-Z0-9_]*$/.test(k));
    if (bad.length)
      out.push({ path: 'watch', message: `Jira project keys are upper case, e.g. MKT: ${bad.join(', ')}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Managed storage (chrome.storage.managed, schema in managed_schema.json)
// ---------------------------------------------------------------------------------------------

/**
 * The effective configuration: managed values win. A managed `policy` replaces the user's; managed
 * `sites` come first and hide a user site with the same origin; managed notification settings
 * replace the user's field by field. Returns which parts are locked so pages show them read-only.
 * @param {Record<string, any>} user  a normalised configuration (`migrate`'s)
 * @param {any} managed  what managed storage held (untrusted: any shape)
 */
export function effective(user, managed) {
  const m = managed && typeof managed === 'object' ? managed : {};
  const cfg = structuredClone(user);
  const locked = { policy: false, sites: false, notifications: /** @type {string[]} */ ([]), me: false };
  if (typeof m.policy === 'string' && m.policy.trim()) {
    cfg.policy = { text: m.policy, source: 'managed', updatedAt: null };
    locked.policy = true;
  } else if (m.policy && typeof m.policy === 'object') {
    cfg.policy = { text: JSON.stringify(m.policy, null, 2), source: 'managed', updatedAt: null };
    locked.policy = true;
  }
  if (Array.isArray(m.sites)) {
    const managedSites = m.sites
      .map((/** @type {any} */ s) => ({ ...normalizeSite(s), managed: true }))
      .filter((/** @type {{ origin: string | null }} */ s) => s.origin);
    const taken = new Set(managedSites.map((/** @type {{ origin: string | null }} */ s) => s.origin));
    const own =
      m.allowUserSites === false ? [] : cfg.sites.filter((/** @type {{ origin: string }} */ s) => !taken.has(s.origin));
    // A token is personal: a user's token for a managed origin is kept.
    for (const s of managedSites) {
      const mine = user.sites.find((/** @type {{ origin: string }} */ u) => u.origin === s.origin);
      if (!s.token && mine?.token && keepsToken(s, mine)) s.token = mine.token;
    }
    cfg.sites = [...managedSites, ...own];
    locked.sites = true;
  }
  if (m.notifications && typeof m.notifications === 'object') {
    const n = m.notifications;
    for (const k of ['enabled', 'atRisk', 'breached', 'escalations', 'intervalMinutes']) {
      if (n[k] !== undefined) {
        cfg.notifications[k] = n[k];
        locked.notifications.push(k);
      }
    }
    if (n.quietHours) {
      cfg.notifications.quietHours = { ...cfg.notifications.quietHours, ...n.quietHours };
      locked.notifications.push('quietHours');
    }
  }
  if (m.me && typeof m.me === 'object') {
    cfg.me = { handles: strings(m.me.handles), emails: strings(m.me.emails) };
    locked.me = true;
  }
  return { config: normalizeKeepManaged(cfg), locked, managed: Object.keys(m).length > 0 };
}

/** @param {any} c */
function normalizeKeepManaged(c) {
  const n = normalize(c);
  n.sites = n.sites.map((s, i) => ({ ...s, managed: !!c.sites[i]?.managed }));
  return n;
}

// ---------------------------------------------------------------------------------------------
// Import / export: the whole configuration as one JSON file
// ---------------------------------------------------------------------------------------------

/**
 * The export file. Tokens are left out unless `withTokens` (they are secrets).
 * @param {Record<string, any>} config
 * @param {{ withTokens?: boolean }} [o]
 */
export function exportConfig(config, { withTokens = false } = {}) {
  const c = structuredClone(config);
  c.sites = c.sites
    .filter((/** @type {{ managed?: boolean }} */ s) => !s.managed)
    .map((/** @type {Record<string, any>} */ { managed, ...s }) => (withTokens ? s : { ...s, token: '' }));
  return JSON.stringify({ kind: EXPORT_KIND, exportedAt: new Date().toISOString(), config: c }, null, 2);
}

/**
 * Reads an export file (or a bare configuration document of any version). Tokens already stored
 * for the same origins are kept when the file has none — unless the file moves that site's API to
 * another origin (GitHub's `api`): then the stored token is dropped (`keepsToken`).
 * @param {string} text
 * @param {Record<string, any> | null | undefined} current  the stored configuration
 * @returns {{ config: Record<string, any>, error?: undefined } | { error: string, config?: undefined }}
 */
export function importConfig(text, current) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `Not JSON: ${/** @type {{ message?: unknown }} */ (e).message}` };
  }
  if (!doc || typeof doc !== 'object') return { error: 'Not a configuration file' };
  const body = doc.kind === EXPORT_KIND ? doc.config : doc;
  if (!body || typeof body !== 'object' || !('sites' in body || 'policy' in body || 'policyText' in body)) {
    return { error: 'Not an sla-lens configuration: expected "policy" and "sites"' };
  }
  const m = migrate(body);
  if (m.error) return { error: m.error };
  const cfg = m.config;
  for (const s of cfg.sites) {
    const had = current?.sites?.find((/** @type {{ origin: string }} */ x) => x.origin === s.origin);
    if (!s.token && had?.token && keepsToken(s, had)) s.token = had.token;
  }
  return { config: cfg };
}

/**
 * The policy text with a site's extra pause statuses added to every target's `pausedBy`, so a
 * tracker whose "waiting" status has its own name still stops the clock. Unchanged when none.
 * @param {string} policyText
 * @param {string[] | null | undefined} pauseStatuses
 */
export function policyWithPauses(policyText, pauseStatuses) {
  if (!pauseStatuses?.length) return policyText;
  let p;
  try {
    p = JSON.parse(policyText);
  } catch {
    return policyText;
  }
  if (!Array.isArray(p.targets)) return policyText;
  for (const t of p.targets) {
    const have = Array.isArray(t.pausedBy) ? t.pausedBy : [];
    t.pausedBy = [...have, ...pauseStatuses.filter((s) => !have.includes(s))];
  }
  return JSON.stringify(p);
}
