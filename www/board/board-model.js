// @ts-check
// The <sla-board> table as plain data: rows from tickets and batch results, urgency, sorting,
// filtering, grouping, search, facets and formatting. Pure functions (no DOM, no clock, no Wasm),
// so node:test covers them directly (tests/js/board-model.test.mjs).

import { TONES, shortDuration } from '../badge-view.js';

/**
 * A table row (`toRow`, `rowsFromBatch`): what the board shows, sorts, filters and groups by.
 * `markUnknown` adds `unknown`, the board sets `priorityRank`; `row[key]` for a column or facet
 * key reads as unknown.
 * @typedef {{
 *   index: number, id: string, title: string, url: string, priority: string, priorityRank: number,
 *   category: string, status: string, assignee: string, created: number | null, state: string,
 *   level: number, remaining: number | null, error: unknown, levelRole?: string,
 *   headline?: string | null, calendar?: string | null, deadline?: number | null,
 *   businessRemaining?: number | null, nextChange?: number | null, missing?: string | null,
 *   unknown?: { what: string, reason: string }, [key: string]: unknown
 * }} Row
 */

/**
 * Urgency rank of a row's state: smaller is more urgent.
 * @type {Readonly<Record<string, number>>}
 */
export const STATE_RANK = Object.freeze({
  breached: 0,
  atRisk: 1,
  running: 2,
  paused: 3,
  unknown: 3.5,
  metLate: 4,
  met: 5,
  notApplicable: 6,
});

/**
 * `unknown`: the export (a list or a CSV) cannot tell the state (the engine's; see `markUnknown`).
 * @type {Readonly<Record<string, string>>}
 */
export const STATE_LABEL = Object.freeze({
  breached: 'Breached',
  atRisk: 'At risk',
  running: 'On track',
  paused: 'Paused',
  metLate: 'Met late',
  met: 'Met',
  notApplicable: 'Out of scope',
  unknown: 'Unknown',
});

/** The table's columns: key, header, and whether the column can filter and group. */
export const COLUMNS = Object.freeze([
  { key: 'sla', label: 'SLA', facet: false },
  { key: 'id', label: '#', facet: false },
  { key: 'title', label: 'Issue', facet: false },
  { key: 'priority', label: 'Priority', facet: true },
  { key: 'category', label: 'Category', facet: true },
  { key: 'state', label: 'State', facet: true },
  { key: 'status', label: 'Status', facet: true },
  { key: 'assignee', label: 'Assignee', facet: true },
  { key: 'level', label: 'Escalation', facet: true },
  { key: 'created', label: 'Created', facet: false },
]);

/** The dimensions rows can be filtered and grouped by. */
export const FACETS = Object.freeze(['priority', 'category', 'state', 'status', 'assignee', 'level']);

const NONE = '—';
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** @param {unknown} v */
function str(v) {
  if (v == null) return '';
  if (Array.isArray(v)) return v.map(String).join(', ');
  return String(v);
}

/**
 * One table row from a ticket input and its batch result (`engine.evaluate`). Rows whose result
 * is an error are returned with `error` set (the board lists them apart, with the reason).
 * @param {any} ticket  the ticket input (canonical JSON), may be undefined
 * @param {any} result  the batch result `{id, evaluation}` or `{id, error}`
 * @param {number} index  position in the batch
 */
export function toRow(ticket, result, index) {
  const t = ticket ?? {};
  const id = str(result?.id ?? t.id ?? '') || `#${index + 1}`;
  const ev = result?.evaluation ?? null;
  const fields = t.fields ?? {};
  const created = Date.parse(ev?.response?.start ?? t.created ?? '');
  /** @type {Row} */
  const row = {
    index,
    id,
    title: str(t.title),
    url: typeof t.url === 'string' ? t.url : '',
    priority: ev?.priority?.name ?? (str(fields.priority) || NONE),
    priorityRank: 0,
    category: ev?.category?.name ?? (str(fields.category) || NONE),
    status: str(ev?.status ?? t.status) || NONE,
    assignee: str(t.assignee) || 'Unassigned',
    created: Number.isNaN(created) ? (typeof t.created === 'number' ? t.created : null) : created,
    state: ev?.state ?? 'error',
    level: ev?.escalation?.current?.level ?? 0,
    remaining: null,
    error: result?.error ?? null,
  };
  if (ev) {
    const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
    row.remaining = m?.untilDeadline ?? m?.remaining ?? null;
  }
  return row;
}

/**
 * The one reader of a column of `engine.evaluateRows` (BoardRows): `(base) => value` for the row
 * starting at `base` (row × fields.length). A text field holds an index into `strings`, and the
 * "no string" marker (-1, or NaN) reads as null; a missing number (NaN) reads as null; a field
 * this build's rows lack reads as null. Made once per column (a 100,000-row batch reads 2
 * million cells). The board (rowsFromBatch) and the extension's worker (evaluateLite) both read
 * rows through it.
 * @param {{ fields: string[], stringFields: string[], numbers: Float64Array | number[], strings: string[] }} batch
 * @param {string} field
 * @returns {(base: number) => any}
 */
export function batchColumn(batch, field) {
  const { numbers, strings } = batch;
  const c = batch.fields.indexOf(field);
  if (c < 0) return () => null;
  if (batch.stringFields.includes(field)) {
    return (base) => {
      const v = numbers[base + c];
      // NaN >= 0 is false: both "no string" markers are null.
      return v >= 0 ? (strings[v] ?? null) : null;
    };
  }
  return (base) => {
    const v = numbers[base + c];
    return Number.isNaN(v) ? null : v;
  };
}

/**
 * Table rows from `engine.evaluateRows` (numbers in a Float64Array, texts in a string table):
 * the same rows `toRow` makes from full results, plus `levelRole`, `headline`, `calendar`,
 * `deadline`, `businessRemaining` and `nextChange` (epoch ms / seconds). Tickets that could not
 * be read or evaluated are in `errors` (`{id, index, code, path, message}`), not in `rows`.
 * @param {{ fields: string[], stringFields: string[], numbers: Float64Array, strings: string[], errors: any[] }} batch
 * @param {any[]} [tickets]  the inputs, for what the evaluation leaves open (raw priority, category, status)
 */
export function rowsFromBatch(batch, tickets = []) {
  const { fields, numbers } = batch;
  const k = fields.length;
  const column = (/** @type {string} */ f) => batchColumn(batch, f);
  const cIndex = fields.indexOf('index');
  const id = column('id');
  const title = column('title');
  const url = column('url');
  const priorityName = column('priorityName');
  const categoryName = column('categoryName');
  const status = column('status');
  const assignee = column('assignee');
  const createdMs = column('createdMs');
  const state = column('state');
  const level = column('level');
  const levelRole = column('levelRole');
  const untilDeadline = column('untilDeadline');
  const remainingAt = column('remaining');
  const headline = column('headline');
  const calendar = column('calendar');
  const deadlineMs = column('deadlineMs');
  const nextChangeMs = column('nextChangeMs');
  const missing = column('missing');
  const n = numbers.length / k;
  /** @type {Row[]} */
  const rows = new Array(n);
  for (let r = 0; r < n; r++) {
    const b = r * k;
    const index = numbers[b + cIndex];
    const until = untilDeadline(b);
    const remaining = remainingAt(b);
    const priority = priorityName(b);
    const category = categoryName(b);
    const st = status(b);
    // The input's own fields only where the evaluation leaves one open.
    const t = priority === null || category === null || st === null ? (tickets[index] ?? {}) : null;
    rows[r] = {
      index,
      id: id(b) || `#${index + 1}`,
      title: title(b) ?? '',
      url: url(b) ?? '',
      priority: priority ?? (str(t.fields?.priority) || NONE),
      priorityRank: 0,
      category: category ?? (str(t.fields?.category) || NONE),
      status: st ?? (str(t.status) || NONE),
      assignee: assignee(b) || 'Unassigned',
      created: createdMs(b),
      state: state(b),
      level: level(b) ?? 0,
      levelRole: levelRole(b) ?? '',
      remaining: until ?? remaining,
      error: null,
      headline: headline(b),
      calendar: calendar(b),
      deadline: deadlineMs(b),
      businessRemaining: remaining,
      nextChange: nextChangeMs(b),
      missing: missing(b) ?? null,
    };
  }
  const errors = batch.errors.map((e) => ({
    id: e.id ?? null,
    index: e.index,
    code: e.code,
    path: e.path,
    message: e.message,
  }));
  return { rows, errors };
}

/** The engine's missing fact → the export note's name for it (`mapCsv`/`mapExport` `unknown`). */
/** @type {Record<string, string>} */
const MISSING_WHAT = { replies: 'response', resolvedAt: 'resolution', statusHistory: 'pauses' };
/** @type {Record<string, string>} */
const MISSING_REASON = {
  response: 'The export has no replies, so whether one came in time is not known.',
  resolution: 'The issue is resolved, but the export does not say when.',
  pauses: 'The export has no status history, so pauses, reopenings and since when the status holds are not known.',
};

/**
 * Says why, on the rows the engine judged `unknown` (a list or CSV export lacks the replies or
 * the status history that would decide them: DESIGN.md, "Snapshots: what is unknown when"), in
 * place: `unknown: {what, reason}` with `what` ∈ `response`, `resolution`, `pauses` from the
 * row's `missing`, and the reason the export's `unknown` list gives for it. The decision is the
 * engine's (its level is -1 then); this only words it, and no other row changes.
 * @param {Row[]} rows
 * @param {{ what: string, reason: string }[]} [unknown]
 */
export function markUnknown(rows, unknown = []) {
  const reasons = new Map(unknown.map((u) => [u.what, u.reason]));
  for (const r of rows) {
    if (r.state !== 'unknown') continue;
    const what = MISSING_WHAT[r.missing ?? ''] ?? 'pauses';
    r.unknown = { what, reason: reasons.get(what) ?? MISSING_REASON[what] };
    r.remaining = null;
  }
  return rows;
}

/**
 * The label of a row's value in a facet (what filters and group headers show).
 * @param {string} key
 * @param {unknown} value
 */
export function facetLabel(key, value) {
  if (key === 'state') return STATE_LABEL[String(value)] ?? String(value);
  if (key === 'level') return Number(value) > 0 ? `Level ${value}` : Number(value) < 0 ? 'Unknown' : 'Not escalated';
  return String(value);
}

/**
 * Urgency order: breached (most overdue first), at risk and on track (least time left first),
 * paused, met late, met, out of scope; ties by creation (newest first), then id.
 * @param {Row} a
 * @param {Row} b
 */
export function compareUrgency(a, b) {
  const ra = STATE_RANK[a.state] ?? 7;
  const rb = STATE_RANK[b.state] ?? 7;
  if (ra !== rb) return ra - rb;
  const xa = a.remaining ?? Infinity;
  const xb = b.remaining ?? Infinity;
  if (xa !== xb) return xa < xb ? -1 : 1;
  return (b.created ?? 0) - (a.created ?? 0) || collator.compare(a.id, b.id);
}

/**
 * @param {string} key
 * @returns {(a: Row, b: Row) => number}
 */
function compareKey(key) {
  switch (key) {
    case 'sla':
      return compareUrgency;
    case 'created':
      return (a, b) => (a.created ?? -Infinity) - (b.created ?? -Infinity);
    case 'level':
      return (a, b) => a.level - b.level;
    case 'state':
      return (a, b) => (STATE_RANK[a.state] ?? 7) - (STATE_RANK[b.state] ?? 7);
    case 'priority':
      return (a, b) => a.priorityRank - b.priorityRank || collator.compare(a.priority, b.priority);
    default:
      return (a, b) => collator.compare(str(a[key]), str(b[key]));
  }
}

/**
 * Sorted copy of `rows` by `key` (`asc` or `desc`); stable, ties broken by urgency then id.
 * @param {Row[]} rows
 * @param {{ key: string, dir?: 'asc' | 'desc' }} sort
 */
export function sortRows(rows, { key = 'sla', dir = 'asc' } = { key: 'sla' }) {
  const cmp = compareKey(key);
  const sign = dir === 'desc' ? -1 : 1;
  const out = rows.slice();
  out.sort((a, b) => sign * cmp(a, b) || (key === 'sla' ? 0 : compareUrgency(a, b)) || a.index - b.index);
  return out;
}

/**
 * Lower-case, accent-free text for search.
 * @param {unknown} s
 */
export function fold(s) {
  return String(s)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Rows that pass every filter: `filters` maps a facet key to the wanted value (as text; empty
 * or absent: any), `query` matches id, title, assignee, status, priority and category.
 * @param {Row[]} rows
 * @param {Record<string, string | null | undefined>} [filters]
 */
export function filterRows(rows, filters = {}, query = '') {
  const active = Object.entries(filters).filter(([, v]) => v !== '' && v != null);
  const words = fold(query).split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    for (const [k, v] of active) if (String(r[k]) !== String(v)) return false;
    if (words.length === 0) return true;
    const hay = fold(
      `${r.id} ${r.title} ${r.assignee} ${r.status} ${r.priority} ${r.category} ${STATE_LABEL[r.state] ?? ''}`,
    );
    return words.every((w) => hay.includes(w));
  });
}

/**
 * Every value of each facet with its count, in a useful order (states by urgency, levels
 * ascending, priorities by policy order, the rest alphabetically).
 * @param {Row[]} rows
 * @returns {Record<string, { value: string, label: string, count: number }[]>}
 */
export function facets(rows) {
  /** @type {Record<string, Map<string, number>>} */
  const maps = {};
  const ranks = new Map();
  for (const k of FACETS) maps[k] = new Map();
  for (const r of rows) {
    for (const k of FACETS) {
      const v = String(r[k]);
      maps[k].set(v, (maps[k].get(v) ?? 0) + 1);
    }
    ranks.set(r.priority, r.priorityRank);
  }
  /** @type {Record<string, any[]>} */
  const out = {};
  for (const k of FACETS) {
    const vals = [...maps[k].keys()];
    if (k === 'state') vals.sort((a, b) => (STATE_RANK[a] ?? 7) - (STATE_RANK[b] ?? 7));
    else if (k === 'level') vals.sort((a, b) => Number(a) - Number(b));
    else if (k === 'priority') vals.sort((a, b) => (ranks.get(a) ?? 0) - (ranks.get(b) ?? 0) || collator.compare(a, b));
    else vals.sort(collator.compare);
    out[k] = vals.map((value) => ({ value, label: facetLabel(k, value), count: maps[k].get(value) }));
  }
  return out;
}

/**
 * Groups sorted rows by a facet (group order: as `facets` orders values); each group keeps the
 * rows' order and counts its states.
 * @param {Row[]} rows
 * @param {string} key
 * @returns {Group[]}
 *
 * @typedef {{ key: string, label: string, rows: Row[], states: Record<string, number> }} Group
 */
export function groupRows(rows, key) {
  const order = facets(rows)[key]?.map((f) => f.value) ?? [];
  /** @type {Map<string, Group>} */
  const groups = new Map(order.map((v) => [v, { key: v, label: facetLabel(key, v), rows: [], states: {} }]));
  for (const r of rows) {
    const g = groups.get(String(r[key]));
    // `key` not a facet (FACETS): no groups, rather than a TypeError.
    if (!g) continue;
    g.rows.push(r);
    g.states[r.state] = (g.states[r.state] ?? 0) + 1;
  }
  return [...groups.values()].filter((g) => g.rows.length > 0);
}

/**
 * What the virtualised table shows: the flat list of items (group headers, rows), optionally
 * with groups collapsed.
 * @param {Row[]} rows
 * @param {string} groupBy  a facet key, or '' for none
 * @param {Set<string>} [collapsed]  group keys
 * @returns {Item[]}
 *
 * @typedef {{ type: 'row', row: Row } | { type: 'group', group: Group, collapsed: boolean }} Item
 */
export function flatten(rows, groupBy, collapsed = new Set()) {
  if (!groupBy) return rows.map((row) => ({ type: 'row', row }));
  /** @type {Item[]} */
  const items = [];
  for (const g of groupRows(rows, groupBy)) {
    items.push({ type: 'group', group: g, collapsed: collapsed.has(g.key) });
    if (!collapsed.has(g.key)) for (const row of g.rows) items.push({ type: 'row', row });
  }
  return items;
}

/**
 * The first and last item index (exclusive) to render for a scroll position, with overscan.
 * @param {number} scrollTop
 * @param {number} viewport
 * @param {number} rowHeight
 * @param {number} count
 */
export function windowFor(scrollTop, viewport, rowHeight, count, overscan = 8) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/**
 * Counts of rows by badge tone (`on-track`, `breached`...).
 * @param {Row[]} rows
 */
export function toneTotals(rows) {
  /** @type {Record<string, number>} */
  const out = {};
  const tones = /** @type {Readonly<Record<string, string>>} */ (TONES);
  for (const r of rows) {
    const tone = r.state === 'unknown' ? 'unknown' : (tones[r.state] ?? 'error');
    out[tone] = (out[tone] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** @type {Map<string, Intl.DateTimeFormat>} */
const dateFormats = new Map();
/**
 * `27 Nov 2026, 13:00` in `timeZone` (default UTC); `—` for null.
 * @param {number | null | undefined} msValue
 */
export function formatDateTime(msValue, timeZone = 'UTC') {
  if (msValue == null || Number.isNaN(msValue)) return NONE;
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    });
    dateFormats.set(timeZone, f);
  }
  return f.format(msValue);
}

/**
 * A percentage with one decimal (`93.4 %`), `—` for null.
 * @param {number | null | undefined} p
 */
export function formatPercent(p) {
  if (p == null || Number.isNaN(p)) return NONE;
  return `${(Math.round(p * 10) / 10).toFixed(1)} %`;
}

/**
 * A duration in seconds for reports: `4h 12m`, `2d 3h`, `—` for null.
 * @param {number | null | undefined} s
 */
export function formatSeconds(s) {
  if (s == null || Number.isNaN(s)) return NONE;
  return s < 60 ? `${Math.max(0, Math.round(s))}s` : shortDuration(s);
}

/**
 * `2026-11` → `Nov 2026`.
 * @param {string | null | undefined} ym
 */
export function formatMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym ?? '');
  if (!m) return String(ym ?? NONE);
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break), never a formula:
 * a field starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` and is
 * quoted (OWASP's rule against spreadsheet formula injection), unless the whole field is a plain
 * decimal number (`-3600`, `-0.5`: read as that number, it cannot hold a formula). The same rule
 * as `csv_field` in src/report/render.rs (DESIGN.md, "CSV exports").
 * @param {unknown} v
 */
export function csvField(v) {
  const s = v == null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV text from a header and rows of values.
 * @param {unknown[]} header
 * @param {unknown[][]} rows
 */
export function toCsv(header, rows) {
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
