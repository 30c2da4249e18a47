// The content script's adapter layer: which issues a tracker page shows and where each one's badge
// goes. Href patterns first (`/issues/123`, `/owner/repo/issues/123`, `/group/project/-/issues/123`,
// `/browse/KEY-123`), then a few selectors for the best placement. Pure DOM reads; the badges are
// inserted by `place`, idempotently.

const PATTERNS = {
  redmine: /^\/issues\/(\d+)\/?$/,
  github: /^\/([^/]+\/[^/]+)\/issues\/(\d+)\/?$/,
  gitlab: /^\/(.+?)\/-\/issues\/(\d+)\/?$/,
  jira: /^\/browse\/([A-Z][A-Z0-9_]+-\d+)\/?$/,
};

function stripBase(path, basePath) {
  if (basePath && path.startsWith(basePath)) return path.slice(basePath.length) || '/';
  return path;
}

/** The issue an URL path names, as the id the adapter gives its ticket, or null. */
export function issueIdOfPath(tracker, path, basePath = '') {
  const m = PATTERNS[tracker]?.exec(stripBase(path, basePath));
  if (!m) return null;
  switch (tracker) {
    case 'redmine':
      return m[1];
    case 'github':
      return `${m[1]}#${m[2]}`;
    case 'gitlab':
      return `${m[1]}#${m[2]}`;
    default:
      return m[1];
  }
}

/**
 * The issues on the page: `{ id, anchor, kind }` where `anchor` is the element the badge is
 * appended to. One entry per issue and anchor; an issue page yields its own issue first.
 */
export function findIssues(tracker, doc, loc, basePath = '') {
  const out = [];
  const seen = new Set();
  const add = (id, anchor, kind) => {
    if (!id || !anchor || seen.has(anchor)) return;
    seen.add(anchor);
    out.push({ id: String(id), anchor, kind });
  };
  if (tracker === 'redmine') {
    const own = issueIdOfPath('redmine', loc.pathname, basePath);
    if (own) add(own, doc.querySelector('#content .issue .subject h3') ?? doc.querySelector('#content > h2'), 'issue');
    for (const tr of doc.querySelectorAll('table.issues tr.issue[id^="issue-"]')) {
      const id = tr.id.slice('issue-'.length);
      if (/^\d+$/.test(id)) add(id, tr.querySelector('td.subject') ?? tr.lastElementChild, 'row');
    }
    return out;
  }
  // Other trackers: issue links by href pattern, badge after the link.
  const own = issueIdOfPath(tracker, loc.pathname, basePath);
  if (own) add(own, doc.querySelector('h1') ?? doc.body, 'issue');
  for (const a of doc.querySelectorAll('a[href]')) {
    let u;
    try {
      u = new URL(a.getAttribute('href'), loc.href);
    } catch {
      continue;
    }
    if (u.origin !== loc.origin) continue;
    const id = issueIdOfPath(tracker, u.pathname, basePath);
    if (id && a.textContent.trim()) add(id, a.parentElement, 'link');
  }
  return out;
}

export const BADGE_ATTR = 'data-sla-lens';

/**
 * Appends a `<sla-badge ticket-id>` to each anchor that has none yet (never duplicates).
 * Returns the badges, new and existing, in page order.
 */
export function place(doc, found) {
  const badges = [];
  const frag = [];
  for (const f of found) {
    let b = f.anchor.querySelector(`:scope > sla-badge[${BADGE_ATTR}]`);
    if (!b) {
      b = doc.createElement('sla-badge');
      b.setAttribute(BADGE_ATTR, f.kind);
      b.setAttribute('ticket-id', f.id);
      b.style.marginLeft = '8px';
      frag.push([f.anchor, b]);
    } else if (b.getAttribute('ticket-id') !== f.id) b.setAttribute('ticket-id', f.id);
    badges.push(b);
  }
  // All writes together, after all reads: no layout thrashing.
  for (const [anchor, b] of frag) anchor.append(b);
  return badges;
}
