// The hostile-input corpus (tests/hostile/corpus.json) and the checks every UI test makes with it:
// badges on tracker pages, <sla-board>, <sla-review>, the CSV view, the extension's options page
// and popup, the Redmine plugin's settings page. Feed the strings in as tracker and policy text
// (`hostileTickets`, `hostilePolicy`, `hostileCsv`), then `assertSafe(page, watch)`:
//   - no script ran: `window.__pwned` is unset in every frame and no dialog opened (`watch(page)`
//     counts them from the page's first load);
//   - no markup got in: no element in the page (shadow roots included) carries an event-handler
//     attribute or `srcdoc`, and no link goes anywhere but http(s) (or the page's own scheme);
//   - nothing overflows the page sideways (`document.scrollingElement.scrollWidth`), or, with
//     `within` (a tracker's own page, whose layout is not ours), no checked element sticks out of
//     its parent.
// `deepText(page)` is the page's text with its shadow roots' (and title/aria-label attributes),
// for "the text shows literally".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const raw = JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8'));

/** Every corpus string, `repeat` entries expanded: `{ kind, value }`. */
export const CORPUS = Object.freeze(
  raw.strings.map((s) => Object.freeze({ kind: s.kind, value: s.value ?? s.repeat.repeat(s.times) })),
);
/** The strings alone. */
export const HOSTILE = Object.freeze(CORPUS.map((c) => c.value));
/** Issue URLs that must never become links. */
export const HOSTILE_URLS = Object.freeze([...raw.urls]);
/** Strings a view shows on one line: the corpus without its control characters (a line break in a table cell is the view's choice). */
export const SHOWN = Object.freeze(CORPUS.filter((c) => c.kind !== 'control').map((c) => c.value));
/** The formula cells. */
export const FORMULAS = Object.freeze(CORPUS.filter((c) => c.kind === 'formula').map((c) => c.value));

/**
 * Canonical tickets, one per corpus string: the string as id, title, status, assignee, requester,
 * category and label; a hostile URL each (and one plain https URL on the first ticket, so a
 * view's links are still checked to work). Created `hoursAgo` before `now` (default 30 h: past
 * the seed policy's response deadline, so they are breached and listed as breaches).
 * @param {{ now?: string, hoursAgo?: number }} [o]
 */
export function hostileTickets({ now = '2026-11-27T12:00:00Z', hoursAgo = 30 } = {}) {
  const created = new Date(Date.parse(now) - hoursAgo * 3600_000).toISOString();
  return HOSTILE.map((v, i) => ({
    id: v,
    title: v,
    url: i === 0 ? 'https://tracker.example/issues/1' : HOSTILE_URLS[i % HOSTILE_URLS.length],
    created,
    status: v,
    assignee: v,
    requester: v,
    fields: { priority: i % 2 ? 'Urgent' : 'Normal', category: v, requesterGroup: 'Marketing' },
    labels: [v],
  }));
}

/**
 * The policy `p` (an object; not changed) with corpus strings as its name, party names, tier and
 * category names, escalation roles and contacts (name, e-mail, handle). Ids stay valid.
 * @param {any} p
 */
export function hostilePolicy(p) {
  const q = structuredClone(p);
  let i = 0;
  const next = () => SHOWN[i++ % SHOWN.length];
  q.name = next();
  if (q.parties) for (const k of Object.keys(q.parties)) q.parties[k].name = next();
  for (const t of q.priorities ?? []) t.name = next();
  for (const c of q.categories ?? []) c.name = next();
  for (const l of q.escalation?.levels ?? []) {
    l.role = next();
    l.contacts = [
      { name: next(), email: 'x@example.com', handle: next() },
      ...(l.contacts ?? []).map((c) => ({ ...c, name: next() })),
    ];
  }
  return q;
}

/** A Redmine CSV export (`redmine-csv`, UTC) whose cells are corpus strings. */
export function hostileCsv() {
  const cell = (v) => `"${String(v).replace(/"/g, '""')}"`;
  const rows = SHOWN.map((v, i) => [String(i + 1), v, '11/27/2026 10:00 AM', v, v].map(cell).join(','));
  return `#,Subject,Created,Status,Assignee\r\n${rows.join('\r\n')}\r\n`;
}

/** Starts counting `page`'s dialogs (an `alert` payload); call before its first navigation. */
export function watch(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

/**
 * Every element of the document, shadow roots included (or only inside the elements `within`
 * matches: a tracker's own page has its own inline handlers): what the checks look at.
 */
function inspect(within) {
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  if (within) {
    for (const el of document.querySelectorAll(within)) {
      all.push(el);
      walk(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  } else walk(document);
  const handlers = [];
  const links = [];
  for (const el of all) {
    for (const a of el.getAttributeNames())
      if (/^on/i.test(a) || a.toLowerCase() === 'srcdoc') handlers.push(`<${el.localName} ${a}>`);
    if ((el.localName === 'a' || el.localName === 'area') && el.hasAttribute('href')) links.push(el.href);
  }
  const s = document.scrollingElement ?? document.documentElement;
  // What sticks out: the page sideways, or (with `within`) an element past its parent's box.
  const wide = [];
  const name = (el) =>
    `<${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}>`;
  if (within) {
    for (const el of document.querySelectorAll(within)) {
      const box = el.getBoundingClientRect();
      const outer = el.parentElement?.getBoundingClientRect();
      if (outer && box.right > outer.right + 1)
        wide.push(`${name(el)} ${Math.round(box.right - outer.right)} px past its parent`);
    }
  } else if (s.scrollWidth > s.clientWidth + 1) {
    const edge = s.clientWidth;
    const past = all.filter(
      (el) =>
        el.getBoundingClientRect().right > edge + 1 &&
        ![...el.children].some((c) => c.getBoundingClientRect().right > edge + 1),
    );
    wide.push(`the page is ${s.scrollWidth} px wide in ${edge}: ${past.slice(0, 5).map(name).join(', ')}`);
  }
  return { handlers, links, wide, protocol: location.protocol };
}

/**
 * The checks (see the top of this file). `dialogs`: `watch(page)`'s list. `label` names the view
 * in failure messages.
 * @param {import('playwright-core').Page} page
 * @param {string[]} dialogs
 * @param {string} label
 * @param {{ within?: string }} [o]  look for markup and links only inside these elements
 */
export async function assertSafe(page, dialogs, label, { within = null } = {}) {
  for (const f of page.frames()) {
    const pwned = await f.evaluate(() => globalThis.__pwned ?? null).catch(() => null);
    assert.equal(pwned, null, `${label}: a payload ran (${pwned}) in ${f.url()}`);
  }
  assert.deepEqual(dialogs, [], `${label}: a payload opened a dialog`);
  const r = await page.evaluate(inspect, within);
  assert.deepEqual(r.handlers, [], `${label}: markup from data got into the page`);
  const bad = r.links.filter((h) => {
    try {
      const p = new URL(h).protocol;
      return !(p === 'http:' || p === 'https:' || p === r.protocol || p === 'blob:');
    } catch {
      return true;
    }
  });
  assert.deepEqual(bad, [], `${label}: links that are not http(s)`);
  assert.deepEqual(r.wide, [], `${label}: overflows`);
}

/** The text of the page and its shadow roots, plus title and aria-label attributes. */
export function deepText(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = (root) => {
      const tw = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = tw.currentNode; n; n = tw.nextNode()) {
        if (n.nodeType === 3) out.push(n.data);
        else {
          for (const a of ['title', 'aria-label']) if (n.hasAttribute?.(a)) out.push(n.getAttribute(a));
          if (n.shadowRoot) walk(n.shadowRoot);
        }
      }
    };
    walk(document.documentElement);
    return out.join('\n');
  });
}

/** The fields of a CSV text (RFC 4180), row by row. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else f += c;
  }
  if (f || row.length) rows.push([...row, f]);
  return rows;
}

/**
 * Every field of a CSV written by sla-lens is safe in a spreadsheet: none starts with
 * `= + - @`, tab or CR unless it is a plain number.
 */
export function assertCsvSafe(text, label) {
  for (const row of parseCsv(text)) {
    for (const f of row) {
      assert.ok(
        !/^[=+\-@\t\r]/.test(f) || /^-?\d+(\.\d+)?$/.test(f),
        `${label}: a field starts a formula: ${JSON.stringify(f.slice(0, 60))}`,
      );
    }
  }
}
