// @ts-check
// <sla-review>: the six-monthly SLA review report in a page — the same figures as
// `sla-lens report` (the Rust report, run in WebAssembly), with charts and exports.
//
//   <script type="module" src="board/report-view.js"></script>
//   <sla-review src="issues.json" policy="policy.json" now="2026-11-27T12:00:00Z"></sla-review>
//
// Attributes: src, policy, tracker (as <sla-board>), now (the report instant, RFC 3339; default
// the page clock), from / to (YYYY-MM-DD, `to` inclusive; default: the period since the policy's
// last review), theme. Properties: `report` (the Report object), `timings`.
// Text only: every figure and name reaches the page through textContent / setAttribute.
//
// The engine runs in a Worker (board/engine-worker.js, the same fast module and glue): the
// report over a big export, and the Cells CSV and Markdown exports, are computed there while
// the page stays responsive; the page only fetches the export and renders the figures.

import { now as clockNow } from '../sla-lens.js';
import { EngineClient } from './engine-client.js';
import { formatPercent, formatSeconds, formatMonth, formatDateTime, toCsv } from './board-model.js';
import { lineChart, barChart, columnChart, TIME_BUCKETS } from './charts.js';
import { THEME_CSS } from './theme.js';
import { h } from '../dom.js';
import { download } from './sla-board.js';
/** @import * as wasm from '../pkg/sla_lens.js' */

const CSS = `${THEME_CSS}
div.wrap { display: flex; flex-direction: column; gap: 16px; }
.banner { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; padding: 12px 16px; border-radius: 12px; border: 1px solid var(--line); background: var(--accent-soft); }
.banner.overdue { background: var(--esc-bg); border-color: var(--bad); }
.banner strong { font-size: 15px; }
.banner .tag { font-weight: 700; padding: 2px 8px; border-radius: 6px; background: var(--bg); border: 1px solid var(--line-strong); font-size: 12.5px; }
.banner.overdue .tag { color: var(--esc-fg); border-color: var(--bad); }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
.controls .spacer { flex: 1; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.kpi { border: 1px solid var(--line); border-radius: 12px; padding: 10px 14px; background: var(--bg); }
.kpi .v { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .k { font-size: 12px; color: var(--fg-faint); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
.kpi .s { font-size: 12px; color: var(--fg-soft); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 12px; padding: 12px 14px; background: var(--bg); break-inside: avoid; }
figcaption { font-weight: 650; margin-bottom: 6px; }
figcaption .sub { display: block; font-weight: 400; font-size: 12.5px; color: var(--fg-faint); }
svg.chart { display: block; max-height: 320px; }
svg .grid line { stroke: var(--line); stroke-width: 1; }
svg .tick, svg .legend-text, svg .label, svg .value { fill: var(--fg-soft); font-size: 11.5px; font-family: inherit; }
svg .label { fill: var(--fg); font-size: 12px; }
svg .value { fill: var(--fg); font-weight: 650; }
svg .marker { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .marker-text { fill: var(--bad); font-size: 11px; font-weight: 650; }
details.data { margin-top: 6px; font-size: 12.5px; }
details.data summary { cursor: pointer; color: var(--fg-faint); }
section > h2 { font-size: 16px; margin: 8px 0 8px; }
section > p.note { margin: -4px 0 8px; color: var(--fg-faint); font-size: 12.5px; }
.tablewrap { overflow: auto; border: 1px solid var(--line); border-radius: 12px; max-height: 560px; }
.tablewrap:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
table { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: end; white-space: nowrap; vertical-align: top; }
th:first-child, td:first-child, th.l, td.l { text-align: start; }
thead th { position: sticky; top: 0; background: var(--bg-head); color: var(--fg-soft); font-size: 12px; font-weight: 650; z-index: 1; }
tbody tr.all td { font-weight: 650; background: var(--bg-soft); }
td.bad { color: var(--esc-fg); font-weight: 650; }
td.wrap { white-space: normal; min-width: 260px; overflow-wrap: anywhere; }
th.id { white-space: normal; overflow-wrap: anywhere; min-width: 6ch; max-width: 16ch; }
.exports { display: flex; flex-wrap: wrap; gap: 6px; }
.muted { color: var(--fg-faint); }
.pager { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 0 0 8px; }
.pager .btn:disabled { opacity: .45; cursor: default; }
.pager-status { min-width: 16ch; text-align: center; font-variant-numeric: tabular-nums; color: var(--fg-soft); }
@media print {
  .controls, .exports { display: none; }
  .charts { grid-template-columns: 1fr 1fr; }
  .tablewrap { max-height: none; overflow: visible; border: 0; }
  thead th { position: static; }
  section { break-inside: auto; }
  h2 { break-after: avoid; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 5px; white-space: normal; }
  td.wrap { min-width: 0; }
}
`;

const PALETTE = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)', 'var(--c6)'];
/** @type {Record<string, string>} */
const METRIC = { response: 'Response', resolution: 'Resolution' };
/** Breaches per page of the breaches table. */
export const BREACH_PAGE = 100;

/**
 * A table: header labels (text, or {text, class} — `l` for a left-aligned column), rows of cells
 * (text or {text, class}), optional row attributes.
 * @param {string} caption
 * @param {(string | { text: string, class?: string })[]} header
 * @param {{ attrs?: Record<string, string | null>, cells: Cell[] }[]} rows
 *
 * @typedef {string | number | null | undefined | { text: string | number | null | undefined, class?: string | null }} Cell
 */
function table(caption, header, rows) {
  const t = h('table');
  if (caption) t.append(h('caption', { class: 'sr-only', text: caption }));
  t.append(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...header.map((x, i) => {
          const head = typeof x === 'string' ? { text: x, class: undefined } : x;
          return h('th', { scope: 'col', class: i === 0 ? 'l' : (head.class ?? null), text: head.text });
        }),
      ),
    ),
  );
  const tb = h('tbody');
  for (const r of rows) {
    const tr = h('tr', r.attrs ?? {});
    r.cells.forEach((c, i) => {
      const cell = typeof c === 'object' && c !== null ? c : { text: c };
      tr.append(
        h(i === 0 ? 'th' : 'td', {
          scope: i === 0 ? 'row' : null,
          class: [cell.class, i === 0 ? 'l' : null].filter(Boolean).join(' ') || null,
          text: cell.text == null ? '—' : String(cell.text),
        }),
      );
    });
    tb.append(tr);
  }
  t.append(tb);
  // A scrollable region: focusable, so keyboard users can scroll it, and named by its caption.
  return h('div', { class: 'tablewrap', tabindex: '0', role: 'region', 'aria-label': caption || null }, t);
}

/**
 * The report's figures as the page shows them (pure; node:test covers it). `unknown`: with the
 * column of outcomes a list or CSV export cannot tell (shown when the report has any).
 * @param {wasm.ReportCell} c
 * @param {wasm.Report['levels']} levels
 * @returns {Cell[]}
 */
export function cellFigures(c, levels, unknown = false) {
  return [
    c.inScope,
    c.met,
    c.metLate,
    c.breached,
    c.open,
    ...(unknown ? [c.unknown ?? 0] : []),
    formatPercent(c.metPercent),
    formatSeconds(c.business.median),
    formatSeconds(c.business.p90),
    formatSeconds(c.wall.median),
    formatSeconds(c.wall.p90),
    ...levels.map((l) => c.escalations.find((e) => e.level === l.level)?.reached ?? 0),
    c.paused.tickets,
    formatSeconds(c.paused.totalSeconds),
  ];
}

/** @param {wasm.Report['levels']} levels */
export function cellHeader(levels, unknown = false) {
  return [
    'In scope',
    'Met',
    'Met late',
    'Breached',
    'Open',
    ...(unknown ? ['Unknown'] : []),
    'Met %',
    'Median (business)',
    'P90 (business)',
    'Median (wall)',
    'P90 (wall)',
    ...levels.map((l) => `L${l.level} ${l.role}`),
    'Paused tickets',
    'Paused total',
  ];
}

/**
 * Met % by month per priority (the "all" series first): the line chart's data.
 * @param {wasm.Report} report
 * @param {wasm.MetricKind} metric
 */
export function metByMonth(report, metric) {
  const find = (/** @type {string} */ m, /** @type {string | null} */ p) =>
    report.cells.find((c) => c.metric === metric && c.month === m && c.priority === p && c.category === null);
  /** @type {{ name: string, id: string | null }[]} */
  const series = [{ name: 'All priorities', id: null }, ...report.priorities.map((p) => ({ name: p.name, id: p.id }))];
  return series.map((se) => ({
    name: se.name,
    id: se.id,
    values: report.months.map((m) => find(m, se.id)?.metPercent ?? null),
  }));
}

/**
 * Missed targets (breached + met late) per category for a metric over the period.
 * @param {wasm.Report} report
 * @param {wasm.MetricKind} metric
 */
export function breachesByCategory(report, metric) {
  const cats = [...report.categories, { id: '', name: 'No category' }];
  return cats
    .map((c) => {
      const cell = report.cells.find(
        (x) => x.metric === metric && x.month === null && x.priority === null && x.category === c.id,
      );
      return {
        label: c.name,
        id: c.id,
        breached: cell?.breached ?? 0,
        metLate: cell?.metLate ?? 0,
        inScope: cell?.inScope ?? 0,
      };
    })
    .filter((r) => r.inScope > 0 || r.breached + r.metLate > 0);
}

/**
 * The report as the engine returns it. The generated `Report` type (src/wasm.rs, the d.ts
 * section) lacks the response-time `distribution` the Rust report has (src/report/mod.rs).
 * @typedef {import('../pkg/sla_lens.js').Report & {
 *   distribution: { bounds: number[], counts: number[][], total: number, targets: Record<string, number> } }} FullReport
 */

export class SlaReviewElement extends HTMLElement {
  static observedAttributes = ['src', 'policy', 'tracker', 'from', 'to', 'now'];
  /**
   * @type {{ banner: HTMLElement, from: HTMLInputElement, to: HTMLInputElement, exports: HTMLElement,
   *   error: HTMLElement, body: HTMLElement } | null}
   */
  #ui = null;
  /** The engine's Worker (board/engine-worker.js), made on first use; its answers by request. */
  /** @type {EngineClient | null} */
  #client = null;
  /** A policy and an export are loaded into the worker. */
  #loaded = false;
  #seq = 0;
  /** The page of breaches shown (BREACH_PAGE each). */
  #breachPage = 0;
  /** @type {FullReport | null} */
  report = null;
  /** @type {{ load: number, report: number, render: number } | null} */
  timings = null;
  /** @type {{ priorities: string[], counts: number[][], total: number, targets: Record<string, number> } | null} */
  distribution = null;

  connectedCallback() {
    if (!this.#ui) this.#render();
    this.#reload(true);
  }

  /**
   * @param {string} name
   * @param {string | null} old
   * @param {string | null} value
   */
  attributeChangedCallback(name, old, value) {
    if (!this.#ui || old === value) return;
    this.#reload(name !== 'from' && name !== 'to');
  }

  #options() {
    const nowAttr = this.getAttribute('now');
    const nowMs = nowAttr ? Date.parse(nowAttr) : clockNow();
    const tracker = this.getAttribute('tracker') || null;
    return { nowMs, from: this.getAttribute('from') || null, to: this.getAttribute('to') || null, tracker };
  }

  /** Runs engine operation `op` in the worker (one per element, started on first use). */
  /**
   * @param {string} op
   * @param {Record<string, unknown>} [msg]
   * @param {Transferable[]} [transfer]
   */
  #call(op, msg = {}, transfer = []) {
    this.#client ??= new EngineClient();
    return this.#client.call(op, msg, transfer);
  }

  disconnectedCallback() {
    this.#client?.terminate(); // what is still out rejects with an AbortError
    this.#client = null;
    this.#loaded = false;
  }

  /** @param {boolean} refetch  the policy and the export too, not only the report */
  async #reload(refetch) {
    const seq = ++this.#seq;
    const ui = this.#ui;
    if (!ui) return;
    ui.error.hidden = true;
    try {
      const t0 = performance.now();
      if (refetch || !this.#loaded) {
        // The worker starts compiling the module while the policy and the export download.
        const [policy, tickets] = await Promise.all([this.#readPolicy(), this.#readTickets(), this.#call('init')]);
        if (seq !== this.#seq) return;
        // The export's bytes move to the worker (transferred, not copied); it keeps them for
        // the next period and the exports.
        this.#loaded = false;
        await this.#call('load', { policy, tickets }, tickets instanceof Uint8Array ? [tickets.buffer] : []);
        if (seq !== this.#seq) return;
        this.#loaded = true;
      }
      const t1 = performance.now();
      const opts = this.#options();
      const report = await this.#call('report', { options: opts });
      if (seq !== this.#seq) return;
      const t2 = performance.now();
      this.report = report;
      const distribution = this.#distribution(report);
      this.distribution = distribution;
      this.#show(report, distribution);
      const t3 = performance.now();
      this.timings = { load: t1 - t0, report: t2 - t1, render: t3 - t2 };
      this.dataset.ready = 'true';
      this.dispatchEvent(new CustomEvent('sla-review-ready', { detail: this.timings, bubbles: true, composed: true }));
    } catch (e) {
      if (seq !== this.#seq) return;
      ui.error.hidden = false;
      const err = /** @type {Partial<import('../pkg/sla_lens.js').PolicyError> | null | undefined} */ (e);
      ui.error.textContent = err?.diagnostics
        ? `${err.message}\n${err.diagnostics.map((d) => `${d.path || '(document)'}: ${d.message}`).join('\n')}`
        : (err?.message ?? String(e));
      this.dataset.ready = 'error';
    }
  }

  async #readPolicy() {
    const inline = this.querySelector(':scope > script[type="application/json"][data-policy]');
    if (inline) return inline.textContent;
    const attr = this.getAttribute('policy');
    if (!attr) return null;
    if (attr.trim().startsWith('{')) return attr;
    const res = await fetch(new URL(attr, document.baseURI));
    if (!res.ok) throw new Error(`the policy: ${attr} answered ${res.status}`);
    return res.text();
  }

  async #readTickets() {
    const inline = this.querySelector(':scope > script[type="application/json"][data-tickets]');
    if (inline) return inline.textContent;
    const src = this.getAttribute('src');
    if (!src) return '[]';
    const res = await fetch(new URL(src, document.baseURI));
    if (!res.ok) throw new Error(`the issues: ${src} answered ${res.status}`);
    // The bytes as fetched: the engine copies them as they are, where a string would be
    // decoded here and encoded back to UTF-8 on the way in (docs/benchmarks-log.md, "Dashboard").
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * Time to first response of the in-scope tickets created in the period that got one, per
   * priority and bucket: the report's own figures (`report.distribution`, counted in Rust with
   * everything else), labelled for the chart.
   * @param {FullReport} report
   */
  #distribution(report) {
    /** @type {FullReport['distribution']} */
    const d = report.distribution;
    return { priorities: report.priorities.map((p) => p.name), counts: d.counts, total: d.total, targets: d.targets };
  }

  #render() {
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
    const banner = h('div', { class: 'banner', role: 'status' });
    const from = h('input', { type: 'date', name: 'from' });
    const to = h('input', { type: 'date', name: 'to' });
    const apply = h('button', { type: 'button', class: 'btn', text: 'Show period' });
    const reset = h('button', { type: 'button', class: 'btn', text: 'Since last review' });
    apply.addEventListener('click', () => {
      if (from.value) this.setAttribute('from', from.value);
      else this.removeAttribute('from');
      if (to.value) this.setAttribute('to', to.value);
      else this.removeAttribute('to');
    });
    reset.addEventListener('click', () => {
      this.removeAttribute('from');
      this.removeAttribute('to');
    });
    const exports = h('div', { class: 'exports', role: 'group', 'aria-label': 'Export' });
    const controls = h(
      'div',
      { class: 'controls no-print' },
      h('label', { class: 'field' }, 'From', from),
      h('label', { class: 'field' }, 'To (inclusive)', to),
      apply,
      reset,
      h('span', { class: 'spacer' }),
      exports,
    );
    const error = h('div', { class: 'error-box', role: 'alert' });
    error.hidden = true;
    error.style.whiteSpace = 'pre-wrap';
    const body = h('div', { class: 'wrap' });
    root.append(h('div', { class: 'wrap', part: 'review' }, banner, controls, error, body));
    this.#ui = { banner, from, to, exports, error, body };
    // Print shows every chart's numbers.
    const openAll = () => {
      for (const d of root.querySelectorAll('details.data')) /** @type {HTMLDetailsElement} */ (d).open = true;
    };
    if (typeof matchMedia === 'function') matchMedia('print').addEventListener('change', (e) => e.matches && openAll());
    addEventListener('beforeprint', openAll);
    const btn = (/** @type {string} */ label, /** @type {() => void} */ fn) => {
      const b = h('button', { type: 'button', class: 'btn', text: label });
      b.addEventListener('click', fn);
      exports.append(b);
    };
    const name = () => `sla-review-${this.report?.period.firstDay ?? ''}-${this.report?.period.lastDay ?? ''}`;
    btn('JSON', () => download(`${name()}.json`, `${JSON.stringify(this.report, null, 2)}\n`, 'application/json'));
    /** An export computed in the worker, downloaded; an error is shown where reports' are. */
    const fromWorker = (/** @type {string} */ op, /** @type {string} */ file, /** @type {string} */ type) =>
      this.#call(op, { options: this.#options() }).then(
        (text) => download(file, text, type),
        (e) => {
          error.hidden = false;
          error.textContent = e?.message ?? String(e);
        },
      );
    btn('Cells CSV', () => fromWorker('reportCsv', `${name()}-cells.csv`, 'text/csv'));
    btn('Breaches CSV', () => download(`${name()}-breaches.csv`, this.breachesCsv(), 'text/csv'));
    btn('Charts CSV', () => download(`${name()}-charts.csv`, this.chartsCsv(), 'text/csv'));
    btn('Markdown', () => fromWorker('reportMarkdown', `${name()}.md`, 'text/markdown'));
    btn('Print', () => print());
  }

  /** Every breach with its escalation history, as CSV. */
  breachesCsv() {
    const r = this.report;
    if (!r) throw new Error('sla-review: no report yet');
    return toCsv(
      [
        'id',
        'title',
        'created',
        'month',
        'priority',
        'category',
        'metric',
        'state',
        'targetSeconds',
        'deadline',
        'stoppedAt',
        'elapsedSeconds',
        'cycles',
        'escalations',
      ],
      r.breaches.map((b) => [
        b.id,
        b.title ?? '',
        b.created,
        b.month,
        b.priority,
        b.category ?? '',
        b.metric,
        b.state,
        b.target,
        b.deadline ?? '',
        b.stoppedAt ?? '',
        b.elapsed,
        b.cycles,
        b.escalations.map((e) => `L${e.level} ${e.role} ${e.at} (cycle ${e.cycle})`).join('; '),
      ]),
    );
  }

  /** The charts' numbers, as CSV: chart, series, x, value. */
  chartsCsv() {
    const r = this.report;
    const d = this.distribution;
    if (!r || !d) throw new Error('sla-review: no report yet');
    const rows = [];
    for (const m of r.metrics.filter((x) => x.targeted)) {
      for (const se of metByMonth(r, m.metric))
        se.values.forEach((v, i) => {
          rows.push([`met % by month (${m.metric})`, se.name, r.months[i], v ?? '']);
        });
      for (const c of breachesByCategory(r, m.metric)) {
        rows.push([`missed by category (${m.metric})`, 'breached', c.label, c.breached]);
        rows.push([`missed by category (${m.metric})`, 'met late', c.label, c.metLate]);
      }
    }
    d.priorities.forEach((p, k) => {
      TIME_BUCKETS.forEach((b, i) => {
        rows.push(['response-time distribution (business)', p, b.label, d.counts[k][i]]);
      });
    });
    return toCsv(['chart', 'series', 'x', 'value'], rows);
  }

  /**
   * The breaches with their escalation history, BREACH_PAGE at a time with a pager: a year of a
   * big tracker has thousands (13,459 in the 100,000-issue benchmark), which as one table take
   * seconds to build and lay out. The Breaches CSV export has them all; print shows the page on
   * screen and says so.
   * @param {FullReport} r
   */
  #breaches(r) {
    const n = r.breaches.length;
    const section = h(
      'section',
      { 'data-part': 'breaches' },
      h('h2', { text: `Breaches (${n}) with their escalation history` }),
    );
    if (n === 0) {
      section.append(h('p', { class: 'note', text: 'No target was missed in the period.' }));
      return section;
    }
    const pname = new Map(r.priorities.map((p) => [p.id, p.name]));
    const cname = new Map(r.categories.map((c) => [c.id, c.name]));
    const header = [
      'Ticket',
      { text: 'Title', class: 'l' },
      'Created',
      'Priority',
      'Category',
      'Metric',
      'Outcome',
      'Target',
      'Deadline',
      'Stopped',
      { text: 'Escalations', class: 'l' },
    ];
    const row = (/** @type {wasm.ReportBreach} */ b) => ({
      attrs: { 'data-breach': b.id },
      cells: [
        { text: b.id, class: 'id' },
        { text: b.title ?? '', class: 'l wrap' },
        formatDateTime(Date.parse(b.created)),
        pname.get(b.priority) ?? b.priority,
        b.category == null ? '—' : (cname.get(b.category) ?? b.category),
        METRIC[b.metric],
        {
          text: b.state === 'breached' ? 'open past deadline' : 'met late',
          class: b.state === 'breached' ? 'bad' : null,
        },
        formatSeconds(b.target),
        b.deadline ? formatDateTime(Date.parse(b.deadline)) : '—',
        b.stoppedAt ? formatDateTime(Date.parse(b.stoppedAt)) : '—',
        {
          text: b.escalations.length
            ? b.escalations
                .map(
                  (e) =>
                    `L${e.level} ${e.role}, ${formatDateTime(Date.parse(e.at))}${b.cycles > 1 ? ` (cycle ${e.cycle})` : ''}`,
                )
                .join(' → ')
            : 'none',
          class: 'l wrap',
        },
      ],
    });
    const pages = Math.ceil(n / BREACH_PAGE);
    if (pages === 1) {
      section.append(table('Breaches', header, r.breaches.map(row)));
      return section;
    }
    const status = h('span', { class: 'pager-status', 'aria-live': 'polite' });
    const note = h('p', { class: 'note' });
    const go = (/** @type {string} */ label, /** @type {string} */ aria, /** @type {() => number} */ to) => {
      const b = h('button', { type: 'button', class: 'btn', text: label, 'aria-label': aria });
      b.addEventListener('click', () => show(to(), b));
      return b;
    };
    const first = go('« First', 'First page of breaches', () => 0);
    const prev = go('‹ Previous', 'Previous page of breaches', () => this.#breachPage - 1);
    const next = go('Next ›', 'Next page of breaches', () => this.#breachPage + 1);
    const last = go('Last »', 'Last page of breaches', () => pages - 1);
    section.append(
      note,
      h('nav', { class: 'pager no-print', 'aria-label': 'Pages of breaches' }, first, prev, status, next, last),
    );
    /** @type {HTMLElement | null} */
    let shown = null;
    /** @type {(page: number, from?: HTMLButtonElement) => void} */
    const show = (page, from) => {
      const p = Math.max(0, Math.min(pages - 1, page));
      this.#breachPage = p;
      const lo = p * BREACH_PAGE;
      const hi = Math.min(n, lo + BREACH_PAGE);
      status.textContent = `${lo + 1}–${hi} of ${n}`;
      note.textContent = `Breaches ${lo + 1}–${hi} of ${n} are shown (page ${p + 1} of ${pages}); the Breaches CSV export has all of them.`;
      first.disabled = prev.disabled = p === 0;
      next.disabled = last.disabled = p === pages - 1;
      const t = table(`Breaches ${lo + 1} to ${hi} of ${n}`, header, r.breaches.slice(lo, hi).map(row));
      if (shown) shown.replaceWith(t);
      else section.append(t);
      shown = t;
      // A button that has just disabled itself (the last page reached) hands the focus on.
      if (from?.disabled) (from === first || from === prev ? next : prev).focus();
    };
    show(0);
    return section;
  }

  /**
   * @param {FullReport} r
   * @param {NonNullable<SlaReviewElement['distribution']>} d  `#distribution(r)`
   */
  #show(r, d) {
    const ui = this.#ui;
    if (!ui) return;
    // Banner
    const rv = r.review;
    ui.banner.className = `banner${rv?.overdue ? ' overdue' : ''}`;
    const period = `${formatDay(r.period.firstDay)} – ${formatDay(r.period.lastDay)}`;
    const banner = [h('strong', { text: r.policy.name })];
    if (rv) {
      banner.push(
        h('span', { text: `Reviewed every ${rv.intervalMonths} months · last review ${formatDay(rv.lastReview)}` }),
      );
      banner.push(
        h('span', {
          class: 'tag',
          text: rv.overdue
            ? `Review overdue by ${-rv.daysUntil} day${rv.daysUntil === -1 ? '' : 's'} (due ${formatDay(rv.nextReview)})`
            : `Next review ${formatDay(rv.nextReview)} · in ${rv.daysUntil} day${rv.daysUntil === 1 ? '' : 's'}`,
        }),
      );
    } else banner.push(h('span', { text: 'The policy sets no review cadence.' }));
    banner.push(
      h('span', {
        class: 'muted',
        text: `Period ${period} (${r.period.zone}) · evaluated at ${formatDateTime(Date.parse(r.period.evaluatedAt), 'UTC')} UTC`,
      }),
    );
    ui.banner.replaceChildren(...banner);
    ui.from.value = r.period.firstDay;
    ui.to.value = r.period.lastDay;

    const levels = r.levels;
    const metrics = r.metrics.filter((m) => m.targeted).map((m) => m.metric);
    const main = metrics[0] ?? 'response';
    const all = r.cells.find(
      (c) => c.metric === main && c.month === null && c.priority === null && c.category === null,
    );
    const sections = [];

    // KPIs
    /** @type {(k: string, v: string, sub?: string) => HTMLDivElement} */
    const kpi = (k, v, sub) =>
      h(
        'div',
        { class: 'kpi' },
        h('div', { class: 'k', text: k }),
        h('div', { class: 'v', text: v }),
        h('div', { class: 's', text: sub ?? '' }),
      );
    sections.push(
      h(
        'div',
        { class: 'kpis', 'data-part': 'kpis' },
        kpi(
          'Tickets in period',
          String(r.tickets.inPeriod),
          `${r.tickets.inScope} in scope · ${r.tickets.outOfScope} out of scope`,
        ),
        kpi(
          `${METRIC[main]} met`,
          formatPercent(all?.metPercent),
          `${all?.met ?? 0} met · ${all?.metLate ?? 0} late · ${all?.breached ?? 0} open past deadline`,
        ),
        kpi(
          `Median ${main}`,
          formatSeconds(all?.business.median),
          `p90 ${formatSeconds(all?.business.p90)} (business time)`,
        ),
        kpi(
          'Breaches',
          String(r.breaches.length),
          `${levels.map((l) => `L${l.level}: ${all?.escalations.find((e) => e.level === l.level)?.reached ?? 0}`).join(' · ')}`,
        ),
        kpi('Paused (customer)', formatSeconds(all?.paused.totalSeconds), `${all?.paused.tickets ?? 0} tickets paused`),
        kpi('Unreadable', String(r.tickets.unreadable), `${r.tickets.read} read`),
      ),
    );

    // Charts
    const charts = h('div', { class: 'charts' });
    for (const metric of metrics) {
      const series = metByMonth(r, metric).map((se, i) => ({
        ...se,
        color: PALETTE[i % PALETTE.length],
        bold: i === 0,
      }));
      const lows = series.flatMap((se) => se.values).filter((v) => v != null);
      const yMin = lows.length ? Math.max(0, Math.min(80, Math.floor((Math.min(...lows) - 5) / 10) * 10)) : 0;
      const labels = r.months.map((m) => formatMonth(m).replace(/ \d{4}$/, (y) => ` '${y.trim().slice(2)}`));
      const desc = series
        .map(
          (se) =>
            `${se.name}: ${se.values.map((v, i) => `${formatMonth(r.months[i])} ${v == null ? 'none' : formatPercent(v)}`).join(', ')}`,
        )
        .join('. ');
      charts.append(
        figure(
          `${METRIC[metric]} met % by month, per priority`,
          'Met on time ÷ (met + met late + breached), by month of creation',
          lineChart({ title: `${METRIC[metric]} met % by month per priority`, desc, labels, series, yMin }),
          table(
            `${METRIC[metric]} met % by month per priority`,
            ['Series', ...r.months.map(formatMonth)],
            series.map((se) => ({ cells: [se.name, ...se.values.map(formatPercent)] })),
          ),
          'met-by-month',
        ),
      );
      const cats = breachesByCategory(r, metric);
      const parts = [
        { name: 'open past deadline', color: 'var(--bad)' },
        { name: 'met late', color: 'var(--late)' },
      ];
      charts.append(
        figure(
          `${METRIC[metric]} targets missed by category`,
          'Tickets created in the period whose target was missed',
          barChart({
            title: `${METRIC[metric]} targets missed by category`,
            desc: cats
              .map((c) => `${c.label}: ${c.breached} open past deadline, ${c.metLate} met late of ${c.inScope}`)
              .join('. '),
            rows: cats.map((c) => ({ label: c.label, parts: [c.breached, c.metLate] })),
            parts,
          }),
          table(
            'Missed by category',
            ['Category', 'In scope', 'Open past deadline', 'Met late', 'Missed %'],
            cats.map((c) => ({
              cells: [
                c.label,
                c.inScope,
                c.breached,
                c.metLate,
                formatPercent(c.inScope ? (100 * (c.breached + c.metLate)) / c.inScope : null),
              ],
            })),
          ),
          'by-category',
        ),
      );
    }
    const dseries = d.priorities.map((p, k) => ({
      name: p,
      color: PALETTE[(k + 1) % PALETTE.length],
      values: d.counts[k],
    }));
    charts.append(
      figure(
        'Time to first response',
        `Business time, ${d.total} tickets answered in the period, by priority`,
        columnChart({
          title: 'Distribution of the time to first response (business time) per priority',
          desc: dseries
            .map((se) => `${se.name}: ${TIME_BUCKETS.map((b, i) => `${b.label} ${se.values[i]}`).join(', ')}`)
            .join('. '),
          labels: TIME_BUCKETS.map((b) => b.label),
          series: dseries,
        }),
        table(
          'Response-time distribution',
          ['Priority', ...TIME_BUCKETS.map((b) => b.label), 'Total'],
          dseries.map((se) => ({ cells: [se.name, ...se.values, se.values.reduce((a, b) => a + b, 0)] })),
        ),
        'distribution',
      ),
    );
    sections.push(charts);

    // Per metric × priority × category (the period)
    // An "Unknown" column for a metric with outcomes a list or CSV export cannot tell.
    const unknownOf = (/** @type {string} */ metric) => r.cells.some((c) => c.metric === metric && c.unknown > 0);
    const prios = [{ id: null, name: 'All priorities' }, ...r.priorities];
    const cats = [{ id: null, name: 'All categories' }, ...r.categories, { id: '', name: 'No category' }];
    for (const metric of r.metrics.map((m) => m.metric)) {
      const rows = [];
      for (const p of prios) {
        for (const c of cats) {
          const cell = r.cells.find(
            (x) => x.metric === metric && x.month === null && x.priority === p.id && x.category === c.id,
          );
          if (!cell || (cell.inScope === 0 && cell.untargeted === 0 && (p.id !== null || c.id !== null))) continue;
          rows.push({
            attrs: { 'data-cell': key(metric, null, p.id, c.id), class: p.id === null && c.id === null ? 'all' : null },
            cells: [p.name, c.name, ...cellFigures(cell, levels, unknownOf(metric))],
          });
        }
      }
      const targeted = r.metrics.find((m) => m.metric === metric)?.targeted;
      sections.push(
        h(
          'section',
          { 'data-part': `cube-${metric}` },
          h('h2', { text: `${METRIC[metric]} by priority and category — ${period}` }),
          targeted
            ? null
            : h('p', { class: 'note', text: 'No target sets this metric: times are measured, nothing is judged.' }),
          unknownOf(metric)
            ? h('p', {
                class: 'note',
                text: 'Unknown: the export lacks the replies or the status history that would decide the outcome; counted apart, never as met or breached, and without a time.',
              })
            : null,
          table(
            `${METRIC[metric]} by priority and category`,
            ['Priority', 'Category', ...cellHeader(levels, unknownOf(metric))],
            rows,
          ),
        ),
      );
    }

    // Per month
    for (const metric of metrics) {
      const rows = [];
      for (const m of r.months) {
        for (const p of prios) {
          const cell = r.cells.find(
            (x) => x.metric === metric && x.month === m && x.priority === p.id && x.category === null,
          );
          if (!cell) continue;
          rows.push({
            attrs: { 'data-cell': key(metric, m, p.id, null), class: p.id === null ? 'all' : null },
            cells: [formatMonth(m), p.name, ...cellFigures(cell, levels, unknownOf(metric))],
          });
        }
      }
      sections.push(
        h(
          'section',
          { 'data-part': `months-${metric}` },
          h('h2', { text: `${METRIC[metric]} by month` }),
          table(`${METRIC[metric]} by month`, ['Month', 'Priority', ...cellHeader(levels, unknownOf(metric))], rows),
        ),
      );
    }

    // Scope
    sections.push(
      h(
        'section',
        { 'data-part': 'scope' },
        h('h2', { text: 'Tickets in the period and the SLA scope' }),
        h('p', {
          class: 'note',
          text: `${r.tickets.read} tickets read: ${r.tickets.beforePeriod} created before the period, ${r.tickets.afterPeriod} after it, ${r.tickets.unreadable} unreadable.${r.excludedBy.length ? ` Excluded by rule: ${r.excludedBy.map((x) => `${x.rule} ${x.count}`).join(', ')}.` : ''}`,
        }),
        table(
          'Scope by month',
          ['Month', 'Created', 'In scope', 'Out of scope', 'Not included', 'Excluded', 'No priority', 'No target'],
          r.scope.map((s) => ({
            attrs: { class: s.month === null ? 'all' : null },
            cells: [
              s.month === null ? 'Whole period' : formatMonth(s.month),
              s.created,
              s.inScope,
              s.outOfScope,
              s.notIncluded,
              s.excluded,
              s.noPriority,
              s.noTarget,
            ],
          })),
        ),
      ),
    );

    // Breaches, a page at a time
    sections.push(this.#breaches(r));

    if (r.unreadable.length) {
      sections.push(
        h(
          'section',
          { 'data-part': 'unreadable' },
          h('h2', { text: `Unreadable tickets (${r.unreadable.length})` }),
          table(
            'Unreadable',
            ['Ticket', { text: 'Where', class: 'l' }, { text: 'Why', class: 'l' }],
            r.unreadable.map((u) => ({
              cells: [u.id ?? '—', { text: u.path, class: 'l' }, { text: u.message, class: 'l wrap' }],
            })),
          ),
        ),
      );
    }
    ui.body.replaceChildren(...sections);
  }
}

/**
 * @param {string} metric
 * @param {string | null} month
 * @param {string | null} priority
 * @param {string | null} category
 */
function key(metric, month, priority, category) {
  return [metric, month ?? '*', priority ?? '*', category == null ? '*' : category].join('|');
}

/**
 * @param {string} caption
 * @param {string} sub
 * @param {Element} chart
 * @param {Element} data  the chart's numbers
 * @param {string} part
 */
function figure(caption, sub, chart, data, part) {
  return h(
    'figure',
    { 'data-part': part },
    h('figcaption', {}, caption, h('span', { class: 'sub', text: sub })),
    chart,
    h('details', { class: 'data' }, h('summary', { text: 'The numbers' }), data),
  );
}

const dayFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** @param {string} ymd */
function formatDay(ymd) {
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isNaN(t) ? String(ymd) : dayFmt.format(t);
}

if (typeof customElements !== 'undefined' && !customElements.get('sla-review')) {
  customElements.define('sla-review', SlaReviewElement);
}
