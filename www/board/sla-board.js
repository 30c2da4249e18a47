// @ts-check
// <sla-board>: a live SLA table for a static page. One ES module to include:
//
//   <script type="module" src="board/sla-board.js"></script>
//   <sla-board src="issues.json" policy="policy.json"></sla-board>
//
// Attributes
//   src       URL of the issues: canonical ticket JSON (an array or {"tickets": [...]}), or with
//             `tracker` the tracker's own REST export (one response, or an array of responses)
//   tracker   redmine | github | gitlab | jira: read `src` through the Rust adapters;
//             redmine-csv | jira-csv: `src` is the tracker's CSV issue export (bytes: UTF-8 with or
//             without BOM, or ISO-8859-1), read through the column mapping
//   mapping   the CSV column mapping (JSON text; docs/trackers.md "CSV exports"), over the
//             format's defaults
//   time-zone the zone the CSV's local times are in (required for CSV unless the mapping has
//             `timeZone`): CSV exports write times without an offset
//   policy    URL of the policy JSON, or the policy text itself (starts with `{`); default: the
//             seed SLA. A child <script type="application/json" data-policy> works too, and
//             <script type="application/json" data-tickets> holds inline tickets.
//   theme     light | dark (default: the page's prefers-color-scheme)
//   now       start the page clock at this instant (RFC 3339); `frozen` keeps it there
//   heading   the table's caption (default: the policy's name)
//
// Properties: `tickets` (set an array to show it), `policyText`, `rows`, `visibleRows`, and
// `sortBy(key, dir)`, `setFilter(key, value)`, `setGroupBy(key)`, `setQuery(text)`.
// Events: `sla-board-ready` (detail: timings in ms) after the first paint of the table.
//
// Rendering is text only: data reaches the page through textContent and setAttribute, never
// innerHTML. Rows are virtualised (fixed row height), so 10,000 issues scroll smoothly; print
// renders every row.
//
// The engine runs in a Worker (board/engine-worker.js, the fast module compiled once per page):
// the export is parsed or mapped there and stays there; the batch evaluation, the re-evaluation
// when a state changes, the countdowns' business time, the badges' full results and the
// tooltips' sentences are requests the page awaits. The page keeps the table's rows, so a
// 100,000-issue export never freezes it. Each element owns its worker; a reload or removing the
// element stops it, and answers for an older load are dropped.

import { now as clockNow, setClock } from '../sla-lens.js';
import { RowBoard, nextTask } from './row-board.js';
import { EngineClient } from './engine-client.js';
import {
  COLUMNS,
  FACETS,
  STATE_LABEL,
  sortRows,
  filterRows,
  facets,
  flatten,
  windowFor,
  toneTotals,
  formatDateTime,
  facetLabel,
  toCsv,
  markUnknown,
} from './board-model.js';
import { THEME_CSS, BADGE_DARK_CSS, darkBadges } from './theme.js';
import { httpUrl } from '../badge-view.js';
import { h } from '../dom.js';

const ROW_HEIGHT = 44;
const PRINT_LIMIT = 20000;
/** Rows above and below the window whose badges' results are asked for with the window's. */
const PREFETCH_AHEAD = 40;

const BOARD_CSS = `${THEME_CSS}
${darkBadges(BADGE_DARK_CSS)}
.wrap { display: flex; flex-direction: column; gap: 10px; }
.head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px 16px; }
.caption { font-size: 17px; font-weight: 650; margin: 0; }
.totals { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; font-size: 12.5px; color: var(--fg-soft); }
.totals li { display: inline-flex; align-items: center; gap: 5px; padding: 2px 9px; border-radius: 999px; background: var(--chip-bg); }
.totals b { color: var(--fg); font-variant-numeric: tabular-nums; }
.totals .dot { width: 8px; height: 8px; border-radius: 50%; }
.tools { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 8px 10px; padding: 10px 12px; background: var(--bg-soft); border: 1px solid var(--line); border-radius: 12px; }
.tools .search { flex: 1 1 220px; }
.tools .search input { width: 100%; }
.tools .field select { max-width: 170px; }
.tools .actions { display: flex; gap: 6px; margin-inline-start: auto; }
.status { font-size: 12.5px; color: var(--fg-faint); min-height: 1.2em; }
.scroller { position: relative; height: var(--sla-board-height, min(70vh, 720px)); overflow: auto; border: 1px solid var(--line); border-radius: 12px; background: var(--bg); contain: strict; }
table { width: 100%; border-collapse: separate; border-spacing: 0; table-layout: fixed; font-size: 13.5px; }
col.c-sla { width: 200px; } col.c-id { width: 70px; } col.c-title { width: auto; } col.c-priority { width: 92px; }
col.c-category { width: 150px; } col.c-state { width: 92px; } col.c-status { width: 120px; } col.c-assignee { width: 120px; }
col.c-level { width: 96px; } col.c-created { width: 168px; }
thead th { position: sticky; top: 0; z-index: 2; background: var(--bg-head); color: var(--fg-soft); text-align: start; font-size: 12px; font-weight: 650;
  border-bottom: 1px solid var(--line-strong); padding: 0; height: 36px; }
thead th button { all: unset; box-sizing: border-box; display: flex; width: 100%; height: 100%; align-items: center; gap: 4px; padding: 0 10px; cursor: pointer; }
thead th button:focus-visible { outline: 2px solid var(--focus); outline-offset: -3px; border-radius: 6px; }
thead th button:hover { color: var(--fg); }
thead th .arrow { font-size: 10px; opacity: .35; }
thead th[aria-sort] .arrow { opacity: 1; color: var(--accent); }
tbody td { height: ${ROW_HEIGHT}px; padding: 0 10px; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; vertical-align: middle; }
/* Each cell's text takes its direction from its own content (a Latin title or date in a right-to-left
   page keeps its order), while the cell stays aligned with the table's start edge. */
tbody td { unicode-bidi: plaintext; text-align: left; }
:host(:dir(rtl)) tbody td { text-align: right; }
tbody tr.r:hover td { background: var(--row-hover); }
td.id { color: var(--fg-faint); font-variant-numeric: tabular-nums; }
td.title a { color: var(--fg); text-decoration: none; font-weight: 550; }
td.title a:hover { text-decoration: underline; color: var(--accent); }
td.num, td.created { font-variant-numeric: tabular-nums; color: var(--fg-soft); }
.chip { display: inline-block; padding: 1px 8px; border-radius: 6px; background: var(--chip-bg); color: var(--chip-fg); font-size: 12px; font-weight: 550; }
.chip.crit { background: var(--esc-bg); color: var(--esc-fg); }
.lvl { display: inline-block; padding: 1px 7px; border-radius: 6px; background: var(--esc-bg); color: var(--esc-fg); font-size: 11.5px; font-weight: 700; }
.faint { color: var(--fg-faint); }
tr.g th { position: sticky; top: 36px; z-index: 1; height: ${ROW_HEIGHT}px; padding: 0 6px; text-align: start; background: var(--bg-soft); border-bottom: 1px solid var(--line-strong); font-weight: 650; }
tr.g button { all: unset; cursor: pointer; display: inline-flex; align-items: center; gap: 8px; padding: 4px 6px; border-radius: 6px; }
tr.g button:focus-visible { outline: 2px solid var(--focus); }
tr.g .count { color: var(--fg-faint); font-weight: 500; font-size: 12.5px; }
tr.g .tw { display: inline-block; transition: transform .1s; font-size: 10px; }
tr.g button[aria-expanded="false"] .tw { transform: rotate(-90deg); }
@media (prefers-reduced-motion: reduce) { tr.g .tw { transition: none; } }
tr.spacer td { padding: 0; border: 0; height: auto; }
.empty { padding: 28px; text-align: center; color: var(--fg-faint); }
.source { font-size: 12.5px; color: var(--fg-soft); border: 1px dashed var(--line-strong); border-radius: 12px; padding: 6px 14px; }
.source p { margin: 4px 0; }
.source ul { margin: 4px 0; padding-inline-start: 18px; }
.unknown { display: inline-block; padding: 2px 9px; border-radius: 999px; border: 1px dashed var(--line-strong); color: var(--fg-soft); font-size: 12px; font-weight: 600; }
details.bad { border: 1px solid var(--line); border-radius: 12px; padding: 8px 14px; background: var(--bg-soft); }
details.bad summary { cursor: pointer; font-weight: 600; color: var(--esc-fg); }
details.bad ul { margin: 8px 0 4px; padding-inline-start: 18px; max-height: 240px; overflow: auto; font-size: 13px; }
details.bad code { font-size: 12px; background: var(--chip-bg); padding: 0 4px; border-radius: 4px; }
@media print {
  .tools, .status .hint { display: none; }
  .scroller { height: auto; overflow: visible; contain: none; border: 0; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tbody td { height: auto; padding: 3px 6px; white-space: normal; }
  tr.r { break-inside: avoid; }
  tr.g th { position: static; }
  details.bad { break-before: auto; }
}
`;

/** @type {CSSStyleSheet | null} */
let sheet = null;
/** @param {ShadowRoot} root */
function adopt(root) {
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(BOARD_CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    const s = document.createElement('style');
    s.textContent = BOARD_CSS;
    root.append(s);
  }
}

/** @type {Record<string, string>} */
const TONE_DOT = {
  'on-track': 'var(--ok)',
  'at-risk': 'var(--warn)',
  breached: 'var(--bad)',
  paused: 'var(--pause)',
  unknown: 'var(--fg-faint)',
  met: 'var(--ok)',
  'met-late': 'var(--late)',
  'out-of-scope': 'var(--muted)',
};
/** @type {Record<string, string>} */
const TONE_WORD = {
  breached: 'breached',
  'at-risk': 'at risk',
  'on-track': 'on track',
  paused: 'paused',
  unknown: 'unknown (not in the export)',
  'met-late': 'met late',
  met: 'met',
  'out-of-scope': 'out of scope',
};

/**
 * A column's label (board-model.js `COLUMNS`), by its key.
 * @param {string} key
 */
function columnLabel(key) {
  return COLUMNS.find((c) => c.key === key)?.label ?? key;
}

/**
 * The board's shadow DOM, made once (`#render`).
 * @typedef {object} BoardUi
 * @property {HTMLHeadingElement} caption
 * @property {HTMLUListElement} totals
 * @property {HTMLInputElement} search
 * @property {Record<string, HTMLSelectElement>} selects  by facet key
 * @property {HTMLSelectElement} group
 * @property {HTMLDivElement} status
 * @property {HTMLDivElement} error
 * @property {HTMLTableSectionElement} tbody
 * @property {HTMLTableElement} table
 * @property {HTMLDivElement} scroller
 * @property {Record<string, HTMLTableCellElement>} ths  by column key
 * @property {HTMLDetailsElement} problems
 * @property {HTMLDivElement} source
 *
 * A ticket the board cannot show, and why: a CSV row or issue the mapping refused (`row`, `line`,
 * `column`: a CSV's), a ticket the engine could not read; `stage` on the board's list.
 * @typedef {{ id: string | null, index: number, code: string, path: string, message: string, stage?: string,
 *   row?: number, line?: number, column?: string | null }} Problem
 *
 * @typedef {import('./board-model.js').Row} Row
 */

/** Reads a URL as text, with a message that names it on failure. */
/**
 * @param {URL} url
 * @param {string} what
 */
async function fetchText(url, what) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${what}: ${url} answered ${res.status} ${res.statusText}`);
  return res.text();
}

export class SlaBoardElement extends HTMLElement {
  static observedAttributes = ['src', 'policy', 'tracker', 'heading', 'mapping', 'time-zone'];

  /** @type {BoardUi | null} */
  #ui = null;
  /** @type {RowBoard | null} */
  #board = null;
  /**
   * The engine's Worker for the current load (board/engine-client.js).
   * @type {EngineClient | null}
   */
  #client = null;
  /**
   * The policy's name (the default caption).
   * @type {string | null}
   */
  #name = null;
  /** @type {import('../pkg/sla_lens.js').TicketInput[] | null} */
  #tickets = null;
  /** @type {string | null} */
  #policyText = null;
  /** @type {Problem[]} */
  #mapErrors = [];
  /**
   * What the source cannot tell (`mapCsv`'s or `mapExport`'s `unknown`), and how a CSV was read.
   * @type {import('../pkg/sla_lens.js').MappedCsv['unknown']}
   */
  #unknown = [];
  /** @type {(Omit<import('../pkg/sla_lens.js').MappedCsv, 'tickets' | 'errors'> & { count: number }) | null} */
  #csv = null;
  /** @type {Row[]} */
  #rows = [];
  /** @type {Problem[]} */
  #bad = [];
  /** @type {Row[]} */
  #view = [];
  /** @type {import('./board-model.js').Item[]} */
  #items = [];
  /** @type {{ key: string, dir: 'asc' | 'desc' }} */
  #sort = { key: 'sla', dir: 'asc' };
  /** @type {Record<string, string>} */
  #filters = {};
  #query = '';
  #groupBy = '';
  #collapsed = new Set();
  #win = { first: -1, last: -1 };
  #printing = false;
  #raf = 0;
  #loadSeq = 0;
  /** The rows in the table now: row object → its <tr> (kept while the row stays on screen). */
  #rowEls = new Map();
  /** @type {HTMLTableRowElement[] | null} */
  #spacers = null;
  #connected = false;
  #priorityRank = new Map();
  /** @type {{ load: number, parse: number, evaluate: number, paint: number, total: number, rows: number } | null} */
  timings = null;

  connectedCallback() {
    this.#connected = true;
    if (!this.#ui) this.#render();
    if (this.hasAttribute('now')) {
      const start = Date.parse(this.getAttribute('now') ?? '');
      if (!Number.isNaN(start)) {
        const t0 = performance.now();
        setClock(this.hasAttribute('frozen') ? () => start : () => start + Math.floor(performance.now() - t0));
      }
    }
    this.#reload();
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#board?.dispose();
    this.#board = null;
    // The worker goes with the element (a new one comes if it is put back).
    this.#loadSeq += 1;
    this.#client?.terminate();
    this.#client = null;
    this.#print?.removeEventListener('change', this.#onPrint);
  }

  /**
   * @param {string} name
   * @param {string | null} old
   * @param {string | null} value
   */
  attributeChangedCallback(name, old, value) {
    if (!this.#connected || old === value) return;
    if (name === 'heading') this.#renderHead();
    else this.#reload();
  }

  /**
   * The tickets array set to show instead of `src` (canonical inputs), else null: an export read
   * from `src` or an inline script stays in the engine's worker.
   */
  get tickets() {
    return this.#tickets;
  }
  set tickets(v) {
    this.#tickets = v;
    this.#srcTickets = v;
    if (this.#connected) this.#reload();
  }
  /** @type {import('../pkg/sla_lens.js').TicketInput[] | null} */
  #srcTickets = null;

  /** The policy text in use; set it to re-evaluate under another policy. */
  get policyText() {
    return this.#policyText;
  }
  set policyText(v) {
    this.#policyOverride = v;
    if (this.#connected) this.#reload();
  }
  /** @type {string | null} */
  #policyOverride = null;

  /** The board (row-board.js: a Board whose engine is the worker), for pages that want more. */
  get board() {
    return this.#board;
  }
  get rows() {
    return this.#rows;
  }
  /** The rows after filters, search and sort, in table order. */
  get visibleRows() {
    return this.#view;
  }
  /** What the source cannot tell (`[{what, reason}]`: a CSV export's, or a tracker list export's from `mapExport`; empty otherwise). */
  get unknown() {
    return this.#unknown;
  }
  /** Tickets that could not be mapped or evaluated: `{id, index, code, path, message}` (CSV: also `row`, `line`, `column`). */
  get problems() {
    return this.#bad;
  }
  get state() {
    return { sort: { ...this.#sort }, filters: { ...this.#filters }, query: this.#query, groupBy: this.#groupBy };
  }

  /**
   * @param {string} key  a column's
   * @param {'asc' | 'desc'} [dir]  default: ascending, or the other way when already sorted by `key`
   */
  sortBy(key, dir) {
    const same = this.#sort.key === key;
    this.#sort = { key, dir: dir ?? (same && this.#sort.dir === 'asc' ? 'desc' : 'asc') };
    this.#refresh();
  }
  /**
   * @param {string} key  a facet's
   * @param {unknown} value  empty or null: any
   */
  setFilter(key, value) {
    if (value === '' || value == null) delete this.#filters[key];
    else this.#filters[key] = String(value);
    this.#syncControls();
    this.#refresh();
  }
  /** @param {string | null | undefined} key  a facet's; empty: no grouping */
  setGroupBy(key) {
    this.#groupBy = key ?? '';
    this.#collapsed.clear();
    this.#syncControls();
    this.#refresh();
  }
  /** @param {string | null | undefined} q */
  setQuery(q) {
    this.#query = q ?? '';
    this.#syncControls();
    this.#refresh();
  }

  // -------------------------------------------------------------------------------------------
  // Loading
  // -------------------------------------------------------------------------------------------

  async #reload() {
    const seq = ++this.#loadSeq;
    const t0 = performance.now();
    const ui = this.#ui;
    if (!ui) return;
    ui.error.hidden = true;
    ui.status.textContent = 'Loading…';
    // One worker per load: the previous one stops, and what it still had to answer with it.
    this.#client?.terminate();
    const client = new EngineClient();
    this.#client = client;
    try {
      const tracker = this.getAttribute('tracker');
      const csv = /-csv$/i.test(tracker ?? '');
      const mapping = csv ? this.#mapping() : undefined;
      // The worker gets the module while the policy and the export download.
      const [, policyText, source] = await Promise.all([
        client.call('init'),
        this.#readPolicy(),
        this.#readTickets(csv),
      ]);
      if (seq !== this.#loadSeq) return;
      const t1 = performance.now();
      // The export goes to the worker (a CSV's bytes moved, not copied) and stays there: it is
      // parsed or mapped there, and the page gets the rows.
      const info = await client.call(
        'loadBoard',
        { policy: policyText, tickets: source, tracker, mapping },
        source instanceof Uint8Array ? [source.buffer] : [],
      );
      if (seq !== this.#loadSeq) return;
      this.#policyText = info.policyText;
      this.#priorityRank = new Map(info.priorityRanks);
      this.#mapErrors = info.mapErrors;
      this.#unknown = info.unknown ?? [];
      this.#csv = info.csv;
      const t2 = performance.now();
      this.#board?.dispose();
      this.#name = info.name;
      this.#tickets = Array.isArray(source) ? source : null;
      // evaluateRows: the table's fields only; full results for the badges on screen.
      const board = new RowBoard(client, info.name, {
        onEvaluate: () => this.#rebuild(),
        onError: (e) => {
          if (seq === this.#loadSeq) this.#showError(e);
        },
      });
      this.#board = board;
      await board.start(); // evaluates → onEvaluate → rebuild → first window (its badges' results asked for)
      if (seq !== this.#loadSeq) return;
      await Promise.all([board.settled(), this.#facetsDone]); // the badges on screen have their results, the filters their options
      if (seq !== this.#loadSeq) return;
      const t3 = performance.now();
      this.#renderHead();
      requestAnimationFrame(() => {
        const t4 = performance.now();
        this.timings = {
          load: t1 - t0,
          parse: t2 - t1,
          evaluate: t3 - t2,
          paint: t4 - t3,
          total: t4 - t0,
          rows: info.count,
        };
        this.dataset.ready = 'true';
        this.dispatchEvent(new CustomEvent('sla-board-ready', { detail: this.timings, bubbles: true, composed: true }));
      });
    } catch (e) {
      if (seq !== this.#loadSeq) return;
      this.#showError(e);
    }
  }

  /** An error (loading, or the engine's) in the board's error box. */
  /** @param {unknown} e */
  #showError(e) {
    const ui = this.#ui;
    if (!ui) return;
    ui.error.hidden = false;
    ui.error.textContent = /** @type {{ message?: string } | null | undefined} */ (e)?.message ?? String(e);
    ui.status.textContent = '';
    this.dataset.ready = 'error';
    this.dispatchEvent(
      new CustomEvent('sla-board-error', { detail: { message: ui.error.textContent }, bubbles: true, composed: true }),
    );
  }

  async #readPolicy() {
    if (this.#policyOverride != null) return this.#policyOverride;
    const inline = this.querySelector(':scope > script[type="application/json"][data-policy]');
    if (inline) return inline.textContent;
    const attr = this.getAttribute('policy');
    if (!attr) return null;
    if (attr.trim().startsWith('{')) return attr;
    return fetchText(new URL(attr, document.baseURI), 'the policy');
  }

  async #readTickets(csv = false) {
    if (this.#srcTickets) return this.#srcTickets;
    const inline = this.querySelector(':scope > script[type="application/json"][data-tickets]');
    if (inline) return inline.textContent;
    const src = this.getAttribute('src');
    if (!src) return '[]';
    const url = new URL(src, document.baseURI);
    if (!csv) return fetchText(url, 'the issues');
    // A CSV export's bytes: Rust decodes them (UTF-8, else ISO-8859-1, Redmine's default).
    const res = await fetch(url);
    if (!res.ok) throw new Error(`the issues: ${url} answered ${res.status} ${res.statusText}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** A CSV export's column mapping: the `mapping` attribute, with the `time-zone` attribute's zone. */
  #mapping() {
    /** @type {Record<string, unknown>} */
    let mapping = {};
    const attr = this.getAttribute('mapping');
    if (attr) {
      try {
        mapping = JSON.parse(attr);
      } catch (e) {
        throw new Error(`The mapping attribute is not JSON: ${/** @type {SyntaxError} */ (e).message}`);
      }
    }
    const zone = this.getAttribute('time-zone');
    if (zone && mapping && typeof mapping === 'object' && mapping.timeZone == null)
      mapping = { ...mapping, timeZone: zone };
    return mapping;
  }

  /** Rows from the latest evaluation (after each (re-)evaluation of the batch). */
  #rebuild() {
    const board = this.#board;
    if (!board) return;
    /** @type {Problem[]} */
    const bad = this.#mapErrors.map((e) => ({
      id: e.id,
      index: e.index,
      code: e.code,
      path: e.path,
      message: e.message,
      stage: 'mapping',
      row: e.row,
      line: e.line,
      column: e.column,
    }));
    for (const e of board.errors) bad.push({ ...e, stage: 'reading' });
    const rank = this.#priorityRank;
    for (const row of board.rows) row.priorityRank = rank.get(row.priority) ?? 99;
    markUnknown(board.rows, this.#unknown);
    this.#rows = board.rows;
    this.#bad = bad;
    this.#renderProblems();
    this.#renderSource();
    this.#refresh();
    // The facets' counts in a task of their own (on a big export, each of the two is tens of ms).
    const rows = this.#rows;
    this.#facetsDone = nextTask().then(() => {
      if (this.#rows === rows) this.#renderFacets();
    });
  }
  /** The filters' options follow the rows after this. */
  #facetsDone = Promise.resolve();

  // -------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------

  #render() {
    const root = this.attachShadow({ mode: 'open' });
    adopt(root);
    const caption = h('h2', { class: 'caption', id: 'caption' });
    const totals = h('ul', { class: 'totals', 'aria-label': 'SLA states' });
    const head = h('div', { class: 'head' }, caption, totals);

    const search = h('input', {
      type: 'search',
      placeholder: 'Search id, title, assignee…',
      'aria-describedby': 'status',
      autocomplete: 'off',
    });
    const tools = h(
      'div',
      { class: 'tools no-print', role: 'group', 'aria-label': 'Filter, group and search' },
      h('label', { class: 'field search' }, 'Search', search),
    );
    /** @type {Record<string, HTMLSelectElement>} */
    const selects = {};
    for (const k of FACETS) {
      const sel = h('select', { 'data-facet': k });
      selects[k] = sel;
      tools.append(h('label', { class: 'field' }, columnLabel(k), sel));
      sel.addEventListener('change', () => this.setFilter(k, sel.value));
    }
    const group = h('select', { 'data-group': '' });
    group.append(h('option', { value: '', text: 'No grouping' }));
    for (const k of FACETS) group.append(h('option', { value: k, text: columnLabel(k) }));
    group.addEventListener('change', () => this.setGroupBy(group.value));
    tools.append(h('label', { class: 'field' }, 'Group by', group));
    const reset = h('button', { type: 'button', class: 'btn', text: 'Clear' });
    reset.addEventListener('click', () => {
      this.#filters = {};
      this.#query = '';
      this.#groupBy = '';
      this.#sort = { key: 'sla', dir: 'asc' };
      this.#syncControls();
      this.#refresh();
    });
    const csv = h('button', { type: 'button', class: 'btn', text: 'Export CSV' });
    csv.addEventListener('click', () => this.#exportCsv());
    tools.append(h('div', { class: 'actions' }, reset, csv));
    let searchTimer = 0;
    search.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        this.#query = search.value;
        this.#refresh();
      }, 80);
    });

    const status = h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' });
    const error = h('div', { class: 'error-box', role: 'alert' });
    error.hidden = true;
    error.style.whiteSpace = 'pre-wrap';

    const colgroup = h('colgroup');
    const headRow = h('tr');
    /** @type {Record<string, HTMLTableCellElement>} */
    const ths = {};
    for (const c of COLUMNS) {
      colgroup.append(h('col', { class: `c-${c.key}` }));
      const btn = h(
        'button',
        { type: 'button' },
        h('span', { text: c.label }),
        h('span', { class: 'arrow', 'aria-hidden': 'true', text: '↕' }),
      );
      btn.addEventListener('click', () => this.sortBy(c.key));
      const th = h('th', { scope: 'col', 'data-key': c.key }, btn);
      ths[c.key] = th;
      headRow.append(th);
    }
    const tbody = h('tbody');
    const table = h(
      'table',
      { 'aria-labelledby': 'caption', 'aria-describedby': 'status' },
      colgroup,
      h('thead', {}, headRow),
      tbody,
    );
    const scroller = h('div', { class: 'scroller', part: 'scroller' }, table);
    scroller.addEventListener('scroll', () => this.#schedule(), { passive: true });
    const problems = h('details', { class: 'bad' });
    problems.hidden = true;
    const source = h('div', { class: 'source', role: 'note' });
    source.hidden = true;

    root.append(h('div', { class: 'wrap', part: 'board' }, head, tools, error, source, status, scroller, problems));
    this.#ui = {
      caption,
      totals,
      search,
      selects,
      group,
      status,
      error,
      tbody,
      table,
      scroller,
      ths,
      problems,
      source,
    };

    this.#print = typeof matchMedia === 'function' ? matchMedia('print') : null;
    this.#print?.addEventListener('change', this.#onPrint);
    addEventListener('beforeprint', () => this.#onPrint({ matches: true }));
    addEventListener('afterprint', () => this.#onPrint({ matches: false }));
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.#schedule()).observe(scroller);
  }

  /** @type {MediaQueryList | null} */
  #print = null;
  #onPrint = (/** @type {{ matches: boolean }} */ e) => {
    if (this.#printing === e.matches) return;
    this.#printing = e.matches;
    this.#renderWindow(true);
  };

  #renderHead() {
    if (!this.#ui) return;
    this.#ui.caption.textContent = this.getAttribute('heading') ?? this.#name ?? 'SLA board';
  }

  #renderFacets() {
    // Counted in the worker with the rows (the same function), else here.
    const ui = this.#ui;
    if (!ui) return;
    const f = this.#board?.rows === this.#rows && this.#board.facets ? this.#board.facets : facets(this.#rows);
    for (const k of FACETS) {
      const sel = ui.selects[k];
      const opts = [h('option', { value: '', text: `All (${this.#rows.length})` })];
      for (const v of f[k]) opts.push(h('option', { value: v.value, text: `${v.label} (${v.count})` }));
      sel.replaceChildren(...opts);
    }
    this.#syncControls();
  }

  #syncControls() {
    const ui = this.#ui;
    if (!ui) return;
    for (const k of FACETS) ui.selects[k].value = this.#filters[k] ?? '';
    ui.group.value = this.#groupBy;
    if (ui.search.value !== this.#query) ui.search.value = this.#query;
  }

  #renderProblems() {
    if (!this.#ui) return;
    const { problems } = this.#ui;
    const bad = this.#bad;
    problems.hidden = bad.length === 0;
    if (!bad.length) return problems.replaceChildren();
    const list = h('ul');
    for (const b of bad.slice(0, 500)) {
      if (b.row != null) {
        // A CSV row: its spreadsheet row, file line and column.
        list.append(
          h(
            'li',
            { 'data-row': b.row },
            h('strong', { text: `Row ${b.row}` }),
            b.line !== b.row ? ` (line ${b.line})` : '',
            b.id != null ? `, issue ${b.id}` : '',
            b.column ? ', column ' : '',
            b.column ? h('code', { text: b.column }) : '',
            ` — not mapped (${b.code}): ${b.message}`,
          ),
        );
        continue;
      }
      list.append(
        h(
          'li',
          {},
          h('strong', { text: b.id != null ? `Issue ${b.id}` : `Item ${b.index + 1}` }),
          ` (${b.stage === 'mapping' ? 'not mapped' : 'not read'}) `,
          h('code', { text: b.path || b.code }),
          `: ${b.message}`,
        ),
      );
    }
    if (bad.length > 500) list.append(h('li', { text: `… and ${bad.length - 500} more` }));
    const what = bad.some((b) => b.row != null)
      ? `row${bad.length === 1 ? '' : 's'} of the CSV`
      : `issue${bad.length === 1 ? '' : 's'}`;
    problems.replaceChildren(h('summary', { text: `${bad.length} ${what} could not be shown — the reasons` }), list);
  }

  /** How a CSV export was read, and what an export cannot tell (shown above the table). */
  #renderSource() {
    if (!this.#ui) return;
    const { source } = this.#ui;
    const c = this.#csv;
    source.hidden = !c && this.#unknown.length === 0;
    if (!c) {
      // A tracker's list export without journals, timelines or comments (the engine's note).
      const items = this.#unknown.map((u) =>
        h(
          'li',
          { 'data-unknown': u.what },
          h('strong', { text: u.what === 'response' ? 'Replies: unknown. ' : 'Status history: unknown. ' }),
          u.reason,
        ),
      );
      return source.replaceChildren(...(items.length ? [h('ul', {}, ...items)] : []));
    }
    const name = c.format === 'jira-csv' ? 'Jira' : 'Redmine';
    const sep = c.delimiter === '\t' ? 'tab' : `“${c.delimiter}”`;
    const head = h(
      'p',
      {},
      h('strong', { text: `${name} CSV export` }),
      ` — ${c.count} issue${c.count === 1 ? '' : 's'} read, ${sep}-separated, ${c.encoding.toUpperCase()}, times read as ${c.timeZone}.`,
    );
    const items = c.unknown.map((u) =>
      h(
        'li',
        { 'data-unknown': u.what },
        h('strong', {
          text:
            u.what === 'response'
              ? 'First response: unknown. '
              : u.what === 'resolution'
                ? 'Resolution time: unknown. '
                : 'Pauses: unknown. ',
        }),
        u.reason,
        u.what === 'response' ? ' Response states are shown as “Unknown” unless the issue was closed in time.' : '',
      ),
    );
    source.replaceChildren(head, items.length ? h('ul', {}, ...items) : '');
  }

  /** Re-filters, re-sorts and re-groups, then renders the header and the visible window. */
  #refresh() {
    if (!this.#ui || !this.#board) return;
    // Most urgent first (the default): the worker's order, filtered (a filter keeps the order).
    const byUrgency =
      this.#sort.key === 'sla' && this.#sort.dir === 'asc' && this.#board.rows === this.#rows
        ? this.#board.byUrgency
        : null;
    const filtered = filterRows(byUrgency ?? this.#rows, this.#filters, this.#query);
    this.#view = byUrgency ? filtered : sortRows(filtered, this.#sort);
    this.#items = flatten(this.#view, this.#groupBy, this.#collapsed);
    for (const c of COLUMNS) {
      const th = this.#ui.ths[c.key];
      const arrow = /** @type {HTMLSpanElement} */ (th.querySelector('.arrow')); // #render made it
      if (this.#sort.key === c.key) {
        th.setAttribute('aria-sort', this.#sort.dir === 'asc' ? 'ascending' : 'descending');
        arrow.textContent = this.#sort.dir === 'asc' ? '▲' : '▼';
      } else {
        th.removeAttribute('aria-sort');
        arrow.textContent = '↕';
      }
    }
    const totals = toneTotals(this.#view);
    this.#ui.totals.replaceChildren(
      ...Object.keys(TONE_WORD)
        .filter((t) => totals[t])
        .map((t) =>
          h(
            'li',
            {},
            h('span', { class: 'dot', style: `background:${TONE_DOT[t]}`, 'aria-hidden': 'true' }),
            h('b', { text: String(totals[t]) }),
            ` ${TONE_WORD[t]}`,
          ),
        ),
    );
    const sortLabel = COLUMNS.find((c) => c.key === this.#sort.key)?.label ?? this.#sort.key;
    const parts = [`Showing ${this.#view.length} of ${this.#rows.length} issues`];
    if (this.#sort.key === 'sla' && this.#sort.dir === 'asc') parts.push('most urgent first');
    else parts.push(`sorted by ${sortLabel} ${this.#sort.dir === 'asc' ? 'ascending' : 'descending'}`);
    if (this.#groupBy) parts.push(`grouped by ${columnLabel(this.#groupBy).toLowerCase()}`);
    this.#ui.status.textContent = `${parts.join(', ')}.`;
    this.#ui.table.setAttribute('aria-rowcount', String(this.#items.length + 1));
    this.#ui.scroller.scrollTop = Math.min(this.#ui.scroller.scrollTop, Math.max(0, this.#items.length * ROW_HEIGHT));
    this.#renderWindow(true);
  }

  #schedule() {
    if (this.#raf) return;
    this.#raf = requestAnimationFrame(() => {
      this.#raf = 0;
      this.#renderWindow(false);
    });
  }

  /** @param {boolean} force  even when the window has not moved */
  #renderWindow(force) {
    const ui = this.#ui;
    if (!ui || !this.#board) return;
    const n = this.#items.length;
    const { first, last } = this.#printing
      ? { first: 0, last: Math.min(n, PRINT_LIMIT) }
      : windowFor(ui.scroller.scrollTop, ui.scroller.clientHeight || 720, ROW_HEIGHT, n);
    if (!force && first === this.#win.first && last === this.#win.last) return;
    this.#win = { first, last };
    const span = COLUMNS.length;
    // Two spacer rows stand for the rows above and below the window (fixed row height).
    if (!this.#spacers) {
      const spacer = () => h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: span }));
      this.#spacers = [spacer(), spacer()];
    }
    const [above, below] = this.#spacers;
    /** @type {HTMLTableRowElement[]} */
    const want = [];
    if (first > 0) {
      /** @type {HTMLTableCellElement} */ (above.firstChild).style.height = `${first * ROW_HEIGHT}px`;
      want.push(above);
    }
    // Rows still on screen keep their <tr> (and their badge); only the rows scrolling in are
    // built, and their badges' full results are evaluated in one batch.
    const kept = new Map();
    let entering = 0;
    for (let i = first; i < last; i++) {
      const item = this.#items[i];
      if (item.type === 'row' && !this.#rowEls.has(item.row) && item.row.state !== 'unknown') entering += 1;
    }
    if (entering > 0) {
      // Their results come from the worker: asked for a stretch ahead too, so that a row
      // scrolling in finds its result there (its badge then renders once, not "…" first).
      const ahead = [];
      for (let i = Math.max(0, first - PREFETCH_AHEAD); i < Math.min(n, last + PREFETCH_AHEAD); i++) {
        const item = this.#items[i];
        if (item.type === 'row' && item.row.state !== 'unknown') ahead.push(item.row.id);
      }
      this.#board.prefetch?.(ahead);
    }
    for (let i = first; i < last; i++) {
      const item = this.#items[i];
      if (item.type !== 'row') {
        want.push(this.#item(item, i));
        continue;
      }
      const tr = this.#rowEls.get(item.row) ?? this.#item(item, i);
      tr.setAttribute('aria-rowindex', String(i + 2));
      kept.set(item.row, tr);
      want.push(tr);
    }
    if (last < n) {
      /** @type {HTMLTableCellElement} */ (below.firstChild).style.height = `${(n - last) * ROW_HEIGHT}px`;
      want.push(below);
    }
    if (n === 0)
      want.push(
        h(
          'tr',
          {},
          h('td', {
            colspan: span,
            class: 'empty',
            text: this.#rows.length ? 'No issue matches the filters.' : 'No issues.',
          }),
        ),
      );
    for (const [row, tr] of this.#rowEls) {
      if (kept.has(row)) continue;
      const badge = tr.querySelector('sla-badge');
      if (badge) /** @type {any} */ (badge).board = null;
    }
    this.#rowEls = kept;
    // Remove what left, insert what came, in order; kept rows are not moved, so they are not
    // re-laid out or re-connected. (Keyboard focus in thead is untouched.)
    /** @type {Set<Element>} */
    const keep = new Set(want);
    for (const c of [...ui.tbody.children]) if (!keep.has(c)) c.remove();
    let ref = ui.tbody.firstChild;
    for (const node of want) {
      if (node === ref) ref = ref.nextSibling;
      else ui.tbody.insertBefore(node, ref);
    }
  }

  /**
   * @param {import('./board-model.js').Item} item
   * @param {number} i  its position in the list
   */
  #item(item, i) {
    if (item.type === 'group') {
      const g = item.group;
      const btn = h(
        'button',
        { type: 'button', 'aria-expanded': String(!item.collapsed) },
        h('span', { class: 'tw', 'aria-hidden': 'true', text: '▼' }),
        h('span', { text: `${columnLabel(this.#groupBy)}: ${g.label}` }),
        h('span', {
          class: 'count',
          text: `${g.rows.length} issue${g.rows.length === 1 ? '' : 's'}${g.states.breached ? ` · ${g.states.breached} breached` : ''}${g.states.atRisk ? ` · ${g.states.atRisk} at risk` : ''}`,
        }),
      );
      btn.addEventListener('click', () => {
        if (this.#collapsed.has(g.key)) this.#collapsed.delete(g.key);
        else this.#collapsed.add(g.key);
        this.#refresh();
        /** @type {HTMLButtonElement | null | undefined} */ (
          this.#ui?.tbody.querySelector(`tr.g[data-key="${CSS.escape(g.key)}"] button`)
        )?.focus();
      });
      return h(
        'tr',
        { class: 'g', 'data-key': g.key, 'aria-rowindex': i + 2 },
        h('th', { colspan: COLUMNS.length, scope: 'rowgroup' }, btn),
      );
    }
    const r = item.row;
    let badge;
    if (r.state === 'unknown') {
      // The engine's figure would rest on data the export does not have: say so instead.
      const unknown = /** @type {NonNullable<Row['unknown']>} */ (r.unknown); // markUnknown's, on every unknown row
      const label =
        unknown.what === 'response'
          ? 'Response unknown'
          : unknown.what === 'resolution'
            ? 'Resolution unknown'
            : 'Pause unknown';
      badge = h('span', {
        class: 'unknown',
        title: `${unknown.reason}${r.deadline ? ` If nothing has happened, the deadline is ${formatDateTime(r.deadline)} UTC.` : ''}`,
        text: label,
      });
    } else {
      badge = document.createElement('sla-badge');
      badge.setAttribute('ticket-id', r.id);
      /** @type {any} */ (badge).board = this.#board;
    }
    const href = httpUrl(r.url);
    const title = href
      ? h('a', { href, text: r.title || '(no title)', title: r.title, target: '_blank', rel: 'noopener noreferrer' })
      : h('span', { text: r.title || '(no title)', title: r.title });
    const crit = r.priorityRank === 0;
    return h(
      'tr',
      { class: 'r', 'data-id': r.id, 'data-state': r.state, 'aria-rowindex': i + 2 },
      h('td', { class: 'sla' }, badge),
      h('td', { class: 'id', text: r.id }),
      h('td', { class: 'title' }, title),
      h('td', {}, h('span', { class: crit ? 'chip crit' : 'chip', text: r.priority })),
      h('td', { text: r.category, title: r.category }),
      h('td', { text: STATE_LABEL[r.state] ?? r.state }),
      h('td', { text: r.status, title: r.status }),
      h('td', { text: r.assignee, title: r.assignee }),
      h(
        'td',
        {},
        r.level > 0
          ? h('span', { class: 'lvl', text: `L${r.level}`, title: r.levelRole || facetLabel('level', r.level) })
          : h('span', {
              class: 'faint',
              text: r.level < 0 ? '?' : '—',
              title:
                r.level < 0 ? 'Unknown: the escalation follows the response, which the export does not show' : null,
            }),
      ),
      h('td', { class: 'created', text: formatDateTime(r.created) }),
    );
  }

  #exportCsv() {
    const header = [
      'id',
      'title',
      'url',
      'priority',
      'category',
      'state',
      'status',
      'assignee',
      'escalationLevel',
      'created',
      'secondsToDeadline',
    ];
    const rows = this.#view.map((r) => [
      r.id,
      r.title,
      httpUrl(r.url) ?? '',
      r.priority,
      r.category,
      r.state,
      r.status,
      r.assignee,
      r.level < 0 ? '' : r.level,
      r.created == null ? '' : new Date(r.created).toISOString(),
      r.remaining ?? '',
    ]);
    download('sla-board.csv', toCsv(header, rows), 'text/csv');
  }

  /** The page clock's now (epoch ms), as the badges use it. */
  get now() {
    return clockNow();
  }
}

/**
 * Offers `text` as a file download.
 * @param {string} name
 * @param {string} text
 * @param {string} type  its media type
 */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

if (typeof customElements !== 'undefined' && !customElements.get('sla-board')) {
  customElements.define('sla-board', SlaBoardElement);
}
