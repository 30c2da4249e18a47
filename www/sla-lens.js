// @ts-check
// sla-lens in a web page: load the Wasm engine once, evaluate batches of issues, and show each
// one's SLA with the <sla-badge> element. An ES module; no bundler needed.
//
//   import { load, Board } from './sla-lens.js';
//   const { SlaEngine } = await load();                 // idempotent; or load(url | bytes)
//   const board = new Board(SlaEngine.defaultPolicy()); // or new SlaEngine(policyText)
//   board.setTickets(tickets);                          // one Wasm call for the whole batch
//   board.mount(document);                              // <sla-badge ticket-id="42"> get results
//
// Live countdown: every board shares one page timer at minute resolution. Between state
// changes only the badges' texts move (business time is measured with the engine's calendar
// API); the batch is re-evaluated only when `engine.nextChange` says a state or escalation
// level changes. No timer runs while the tab is hidden.
//
// Rendering is text only: no data from a policy or a tracker ever reaches innerHTML.

import init, * as wasm from './pkg/sla_lens.js';
import { badgeView, escalationLi, ms } from './badge-view.js';

export {
  badgeView,
  escalationItems,
  shortDuration,
  coarseDuration,
  spokenDuration,
  skewNote,
  TONES,
  toneCounts,
} from './badge-view.js';

/** @type {Promise<typeof import('./pkg/sla_lens.js')> | null} */
let loading = null;

/**
 * Loads and instantiates the Wasm module once. `source` is a URL (string or URL), a Response,
 * the module's bytes (ArrayBuffer / typed array) or a compiled WebAssembly.Module; by default
 * `sla_lens_bg.wasm` next to the glue module: `pkg/`, or `pkg-engine/` on a page whose import
 * map points `./pkg/sla_lens.js` at the engine module (www/README.md). Later calls return the
 * same promise, whatever their source; after a failure the next call tries again.
 * @param {import('./pkg/sla_lens.js').InitInput | Promise<import('./pkg/sla_lens.js').InitInput>} [source]
 * @returns {Promise<typeof import('./pkg/sla_lens.js')>}
 */
export function load(source) {
  if (!loading) {
    // `module_or_path` undefined: the glue's own default, the module next to it.
    loading = init({ module_or_path: source }).then(() => wasm);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/**
 * The full module built for speed: `pkg/sla_lens_fast_bg.wasm`, the same code, API and glue as
 * `pkg/sla_lens_bg.wasm` compiled at opt-level 3 instead of "z" — about 1.5× as fast on big
 * batches (the review report, a 10,000-row board) and ~88 KB bigger gzipped. The dashboards
 * (`<sla-board>`, `<sla-review>`) load it; tracker pages, the drop-in tag, the Redmine plugin
 * and the extension keep the smaller one (www/README.md, "Three builds").
 */
// Its URL; `null` where the shim is bundled into a classic script (the extension's bundles, whose
// `import.meta` is empty) — nothing there loads it. Never throws at load. Written inline as
// `new URL('…', import.meta.url)` so that bundlers (the npm package) see and copy the asset, and
// Parcel, which defines that asset's URL just before the statement, defines it before it is read.
export const FAST_MODULE = import.meta.url ? new URL('./pkg/sla_lens_fast_bg.wasm', import.meta.url) : null;

/** Whether `load` has been called (and not failed). */
export function isLoading() {
  return loading !== null;
}

// ---------------------------------------------------------------------------------------------
// The page clock and the one shared timer
// ---------------------------------------------------------------------------------------------

let clock = () => Date.now();

/**
 * Replaces the page clock (tests, demos with a fixed "now"). Re-evaluates every board.
 * @param {() => number} fn  epoch ms
 */
export function setClock(fn) {
  clock = fn;
  scheduler.kick();
}

/** The page clock's current instant (epoch ms). */
export function now() {
  return clock();
}

const MINUTE = 60_000;
const hasDocument = typeof document !== 'undefined';

const scheduler = {
  /** @type {Set<Board>} */
  boards: new Set(),
  /** @type {ReturnType<typeof setTimeout> | null} */
  timer: null,
  /**
   * Instant the next tick is due (epoch ms of the page clock), for tests.
   * @type {number | null}
   */
  dueAt: null,
  ticks: 0,
  /** @param {Board} board */
  add(board) {
    this.boards.add(board);
    this.schedule();
  },
  /** @param {Board} board */
  remove(board) {
    this.boards.delete(board);
    this.schedule();
  },
  hidden() {
    return hasDocument && document.visibilityState === 'hidden';
  },
  schedule() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
    if (this.boards.size === 0 || this.hidden()) return;
    const t = clock();
    // Minute resolution: the next minute boundary, or a state change due before it.
    let due = t - (t % MINUTE) + MINUTE;
    for (const b of this.boards) {
      if (b.nextChangeMs !== null && b.nextChangeMs < due) due = b.nextChangeMs;
    }
    this.dueAt = due;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - t));
  },
  tick() {
    this.timer = null;
    this.ticks += 1;
    const t = clock();
    for (const b of this.boards) b.tick(t);
    this.schedule();
  },
  /** Updates every board now (after the clock or visibility changed) and reschedules. */
  kick() {
    if (this.boards.size === 0) return this.schedule();
    if (this.hidden()) return this.schedule();
    this.tick();
  },
};

if (hasDocument) {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden')
      scheduler.schedule(); // clears the timer
    else scheduler.kick();
  });
}

/** The shared timer's state, for tests and diagnostics. */
export function timerState() {
  return {
    running: scheduler.timer !== null,
    dueAt: scheduler.dueAt,
    boards: scheduler.boards.size,
    ticks: scheduler.ticks,
  };
}

// ---------------------------------------------------------------------------------------------
// Boards: one engine, one batch of tickets, the badges that show them
// ---------------------------------------------------------------------------------------------

/**
 * What an `<sla-badge>` asks of the board it is bound to — the one interface of every board a
 * badge can have: `Board` and its subclasses (annotate.js `PageBoard`, www/board `RowBoard`) and
 * the extension's page-world `RemoteBoard` (extension/src/badge-main.js), which holds results
 * the worker evaluated.
 * @typedef {object} BadgeBoard
 * @property {Set<HTMLElement>} badges  the badges bound to it (they add and remove themselves)
 * @property {(id: string) => any} result  the result for a ticket id, or undefined
 * @property {(id: string, t?: number, withLines?: boolean) => ReturnType<typeof import('./badge-view.js').badgeView>} view
 *   what the badge for `id` shows at `t`
 * @property {(t?: number) => void} render  refreshes every bound badge at `t`
 */

/**
 * A batch of tickets evaluated together under one policy engine. Results are kept by ticket id;
 * badges bound to the board show them and follow the shared timer.
 * @implements {BadgeBoard}
 */
export class Board {
  /**
   * @param {import('./pkg/sla_lens.js').SlaEngine} engine
   * @param {{ explain?: boolean | 'lazy', onEvaluate?: (results: any[]) => void }} [options]
   *   `explain: 'lazy'` (default): the batch is evaluated without explanations, and a badge asks
   *   for its ticket's sentences when its tooltip opens (about 20× cheaper per ticket); `true`:
   *   every result carries its explanation. `onEvaluate(results)`: called after each
   *   (re-)evaluation of the batch.
   */
  constructor(engine, options = {}) {
    this.engine = engine;
    this.explain = options.explain ?? 'lazy';
    this.onEvaluate = options.onEvaluate ?? null;
    /** @type {import('./pkg/sla_lens.js').TicketInput[]} */
    this.tickets = [];
    this.inputs = new Map();
    this.linesCache = new Map();
    /** @type {import('./pkg/sla_lens.js').TicketResult[]} */
    this.results = [];
    this.byId = new Map();
    this.remaining = new Map();
    this.badges = new Set();
    this.evaluatedAt = null;
    this.nextChangeMs = null;
    this.evaluations = 0;
    this.policyName = safe(() => engine.name, '');
  }

  /**
   * Replaces the tickets and evaluates them at once (one Wasm call).
   * @param {Iterable<import('./pkg/sla_lens.js').TicketInput> | ArrayLike<import('./pkg/sla_lens.js').TicketInput>} tickets
   */
  setTickets(tickets) {
    this.tickets = Array.from(tickets);
    this.evaluate(clock());
    scheduler.add(this);
    return this.results;
  }

  /**
   * Evaluates the whole batch at `t` and refreshes every badge; returns the results (a subclass
   * that evaluates elsewhere, www/board RowBoard in a worker, returns a promise of its rows).
   * @returns {any[] | Promise<any[]>}
   */
  evaluate(t = clock()) {
    this.results = this.engine.evaluate(this.tickets, t, { explain: this.explain === true });
    this.evaluations += 1;
    this.evaluatedAt = t;
    this.byId.clear();
    this.inputs.clear();
    this.linesCache.clear();
    this.results.forEach((r, i) => {
      const id = String(r.id ?? this.tickets[i]?.id ?? i);
      this.byId.set(id, r);
      this.inputs.set(id, this.tickets[i]);
    });
    this.remaining.clear();
    this.nextChangeMs = this.engine.nextChange(this.results, t);
    this.render(t);
    this.onEvaluate?.(this.results);
    return this.results;
  }

  /**
   * Called by the shared timer.
   * @param {number} t
   */
  tick(t) {
    if (this.nextChangeMs !== null && t >= this.nextChangeMs) {
      this.evaluate(t);
    } else {
      this.measure(t);
      this.render(t);
    }
  }

  /**
   * Business seconds left now for every running metric, without re-evaluating: one calendar
   * batch call per calendar (`engine.elapsed` since the evaluation instant).
   * @param {number} t
   */
  measure(t) {
    this.remaining.clear();
    if (this.evaluatedAt === null) return;
    /** @type {Map<string, [id: string, remaining: number, startMs: number][]>} */
    const byCal = new Map();
    for (const r of this.results) {
      const ev = r.evaluation;
      if (!ev || (ev.state !== 'running' && ev.state !== 'atRisk') || !ev.calendar) continue;
      const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
      const start = ms(ev.at);
      if (m.remaining == null || start == null) continue;
      let list = byCal.get(ev.calendar);
      if (!list) {
        list = [];
        byCal.set(ev.calendar, list);
      }
      list.push([r.id, m.remaining, start]);
    }
    for (const [cal, rows] of byCal) {
      const starts = Float64Array.from(rows, (row) => row[2]);
      const ends = new Float64Array(rows.length).fill(t);
      const used = this.engine.elapsed(cal, starts, ends);
      rows.forEach(([id, remaining], i) => {
        const u = used[i];
        this.remaining.set(String(id), Number.isNaN(u) ? remaining : remaining - u);
      });
    }
  }

  /**
   * The result for a ticket id, or undefined.
   * @param {string | number} id
   */
  result(id) {
    return this.byId.get(String(id));
  }

  /**
   * The explanation sentences for `id` at `t` (minute resolution, cached until the next
   * evaluation): from the batch result when it has them, else one `engine.explain` call.
   * @param {string | number} id
   * @returns {string[] | null}
   */
  lines(id, t = clock()) {
    const key = String(id);
    const r = this.byId.get(key);
    if (!r || r.error) return null;
    if (r.explanation) return r.explanation.lines;
    const minute = Math.floor(t / MINUTE);
    const hit = this.linesCache.get(key);
    if (hit && hit.minute === minute) return hit.lines;
    /** @type {string[]} */
    let lines = [];
    try {
      lines = this.engine.explain(this.inputs.get(key), t).lines;
    } catch {
      lines = [];
    }
    this.linesCache.set(key, { minute, lines });
    return lines;
  }

  /**
   * What the badge for `id` shows at `t`; tooltip sentences only `withLines`.
   * @param {string | number} id
   */
  view(id, t = clock(), withLines = true) {
    const key = String(id);
    return badgeView(this.byId.get(key), t, {
      remainingNow: this.remaining.has(key) ? this.remaining.get(key) : null,
      policyName: this.policyName,
      lines: withLines ? this.lines(key, t) : null,
    });
  }

  /** @param {number} [t] */
  render(t) {
    for (const b of this.badges) b.update(t);
  }

  /**
   * Binds every `<sla-badge ticket-id>` under `root` to this board.
   * @param {ParentNode} root
   */
  mount(root) {
    for (const el of /** @type {NodeListOf<HTMLElement & { board: BadgeBoard | null }>} */ (
      root.querySelectorAll('sla-badge[ticket-id]')
    ))
      el.board = this;
    return this;
  }

  /** Re-plans the shared timer (a board whose evaluation came later, from a Worker). */
  reschedule() {
    if (scheduler.boards.has(this)) scheduler.schedule();
  }

  /** Stops updating; unbinds badges. */
  dispose() {
    scheduler.remove(this);
    for (const b of [...this.badges]) b.board = null;
  }
}

/**
 * @template T
 * @param {() => T} fn
 * @param {T} fallback  what a throw gives
 * @returns {T}
 */
function safe(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// <sla-badge>
// ---------------------------------------------------------------------------------------------

const CSS = `
:host { display: inline-block; position: relative; font: 500 12px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; vertical-align: middle; }
:host([hidden]) { display: none; }
.badge { display: inline-flex; align-items: center; gap: 6px; padding-block: 3px; padding-inline: 7px 9px; border-radius: 999px;
  border: 1px solid var(--bd); background: var(--bg); color: var(--fg); white-space: nowrap; cursor: default;
  outline: none; font-variant-numeric: tabular-nums; letter-spacing: .01em; }
.badge:focus-visible { box-shadow: 0 0 0 2px #fff, 0 0 0 4px #2563eb; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--dot); flex: none; }
/* --esc-bg is set here, on the badge itself, so a page's variable of that name (the board's theme
   has one) never reaches the chip: white on the page's colour could be unreadable. */
.badge { --esc-bg: #7f1d1d; }
.esc { font-size: 10.5px; font-weight: 700; padding: 1px 5px; border-radius: 4px; background: var(--esc-bg); color: #fff; letter-spacing: .03em; }
.esc[hidden] { display: none; }
.tone-on-track   { --bg:#ecfdf3; --fg:#05603a; --bd:#abefc6; --dot:#12b76a; }
.tone-at-risk    { --bg:#fffaeb; --fg:#93370d; --bd:#fedf89; --dot:#f79009; --esc-bg:#b54708; }
.tone-breached   { --bg:#fef3f2; --fg:#912018; --bd:#fecdca; --dot:#f04438; }
.tone-paused     { --bg:#f0f4ff; --fg:#3538cd; --bd:#c7d7fe; --dot:#6172f3; }
.tone-met        { --bg:#f6fef9; --fg:#067647; --bd:#d1fadf; --dot:transparent; }
.tone-met-late   { --bg:#fff6ed; --fg:#9c2a10; --bd:#f9dbaf; --dot:transparent; }
.tone-out-of-scope { --bg:#f9fafb; --fg:#475467; --bd:#eaecf0; --dot:#98a2b3; }
.tone-error      { --bg:#fff; --fg:#b42318; --bd:#fda29b; --dot:#b42318; border-style: dashed; }
.tone-unavailable { --bg:#f9fafb; --fg:#667085; --bd:#d0d5dd; --dot:#98a2b3; }
.tone-unknown    { --bg:#f9fafb; --fg:#475467; --bd:#d0d5dd; --dot:#98a2b3; border-style: dashed; }
.badge.tone-unavailable { border-style: dashed; }
.tone-met .dot, .tone-met-late .dot { width: auto; height: auto; background: none; border-radius: 0; }
.tone-met .dot::before { content: "✓"; font-weight: 700; }
.tone-met-late .dot::before { content: "✓"; font-weight: 700; }
.tone-paused .dot { border-radius: 1px; width: 8px; background: linear-gradient(90deg, var(--dot) 0 35%, transparent 35% 65%, var(--dot) 65%); }
.tone-breached .dot { box-shadow: 0 0 0 3px rgba(240,68,56,.18); }
.tip { position: fixed; inset: auto; margin: 0; z-index: 2147483000; box-sizing: border-box; width: max-content; max-width: min(420px, calc(100vw - 16px));
  padding: 10px 12px; border: 1px solid #d0d5dd; border-radius: 10px; background: #fff; color: #101828;
  box-shadow: 0 12px 24px -6px rgba(16,24,40,.18), 0 4px 8px -4px rgba(16,24,40,.08);
  font: 400 12.5px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; white-space: normal; text-align: start; }
.tip:not(:popover-open).fallback-hidden, .tip.fallback-hidden { display: none; }
.tip-head { font-weight: 650; font-size: 13px; margin-bottom: 6px; display: flex; align-items: center; gap: 6px; }
.tip-head .dot { width: 8px; height: 8px; }
.tip ul { margin: 0; padding: 0; padding-inline-start: 16px; }
.tip li { margin: 2px 0; }
.tip li::marker { color: #98a2b3; }
.tip li.tip-esc { font-weight: 600; color: #b42318; }
.tip li.tip-esc a { color: #175cd3; font-weight: 500; }
.tip-foot { margin-top: 8px; padding-top: 6px; border-top: 1px solid #eaecf0; color: #667085; font-size: 11.5px; }
.tip-foot:empty { display: none; }
`;

/** @type {CSSStyleSheet | null} */
let sheet = null;
/** @param {ShadowRoot} root */
function styleFor(root) {
  if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  root.append(style);
}

/**
 * @param {string} tag
 * @param {string} cls
 * @param {Record<string, string>} [attrs]
 */
function el(tag, cls, attrs = {}) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

const supportsPopover = typeof HTMLElement !== 'undefined' && 'popover' in HTMLElement.prototype;

if (typeof customElements !== 'undefined' && typeof HTMLElement !== 'undefined') {
  class SlaBadge extends HTMLElement {
    static observedAttributes = ['ticket-id'];

    /** @type {BadgeBoard | null} */
    #board = null;
    #result = undefined;
    /**
     * @type {{ badge: HTMLElement, text: HTMLElement, esc: HTMLElement, tip: HTMLElement,
     *   head: HTMLElement, headText: HTMLElement, list: HTMLElement, foot: HTMLElement } | null}
     */
    #ui = null;
    #lastKey = '';
    #open = false;

    /** The board whose result for `ticket-id` this badge shows. */
    get board() {
      return this.#board;
    }
    set board(b) {
      if (this.#board === b) return;
      this.#board?.badges.delete(this);
      this.#board = b;
      b?.badges.add(this);
      this.update();
    }

    /** A result to show directly (without a board); frozen at `now()` of the page clock. */
    get result() {
      return this.#result ?? this.#board?.result(this.ticketId);
    }
    set result(r) {
      this.#result = r;
      this.update();
    }

    get ticketId() {
      return this.getAttribute('ticket-id') ?? '';
    }

    /** What the badge shows now: tone, text, escalation, label and tooltip lines. */
    get view() {
      return this.#computeView(clock());
    }

    connectedCallback() {
      this.#render();
      this.update();
    }

    disconnectedCallback() {
      this.#hide();
    }

    attributeChangedCallback() {
      this.update();
    }

    /** @param {number} t */
    #computeView(t) {
      if (this.#result !== undefined) return badgeView(this.#result, t, {});
      if (this.#board) return this.#board.view(this.ticketId, t, this.#open);
      return badgeView(null, t);
    }

    #render() {
      if (this.#ui) return;
      const root = this.attachShadow({ mode: 'open' });
      styleFor(root);
      const badge = el('span', 'badge', { part: 'badge', role: 'img', tabindex: '0', 'aria-describedby': 'tip' });
      const dot = el('span', 'dot', { 'aria-hidden': 'true' });
      const text = el('span', 'text', { 'aria-hidden': 'true' });
      const esc = el('span', 'esc', { 'aria-hidden': 'true', part: 'escalation' });
      esc.hidden = true;
      badge.append(dot, text, esc);
      const tip = el('div', 'tip', { id: 'tip', role: 'tooltip', part: 'tooltip' });
      if (supportsPopover) tip.setAttribute('popover', 'manual');
      else tip.classList.add('fallback-hidden');
      const headDot = el('span', 'dot', { 'aria-hidden': 'true' });
      const headText = el('span', 'tip-title');
      const head = el('div', 'tip-head');
      head.append(headDot, headText);
      const list = el('ul', 'tip-lines');
      const foot = el('div', 'tip-foot');
      tip.append(head, list, foot);
      root.append(badge, tip);
      this.#ui = { badge, text, esc, tip, head, headText, list, foot };
      const show = () => this.#show();
      const hide = () => this.#hide();
      // The tooltip may hold a link (an escalation's note): it stays open while the pointer
      // moves from the badge onto it.
      const later = () =>
        setTimeout(() => {
          if (!badge.matches(':hover') && !tip.matches(':hover')) hide();
        }, 250);
      tip.addEventListener('mouseleave', later);
      badge.addEventListener('mouseenter', show);
      badge.addEventListener('mouseleave', later);
      badge.addEventListener('focus', show);
      badge.addEventListener('blur', hide);
      badge.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') hide();
      });
    }

    /** Re-renders when what the badge shows changed. Text only: textContent, never HTML. */
    update(t = clock()) {
      if (!this.#ui) return;
      const v = this.#computeView(t);
      const key = JSON.stringify(v);
      if (key === this.#lastKey) return;
      this.#lastKey = key;
      const ui = this.#ui;
      ui.badge.className = `badge tone-${v.tone}`;
      ui.text.textContent = v.text;
      ui.esc.textContent = v.escalation ?? '';
      ui.esc.hidden = !v.escalation;
      ui.badge.setAttribute('aria-label', v.label);
      ui.head.className = `tip-head tone-${v.tone}`;
      ui.headText.textContent = v.heading;
      ui.list.replaceChildren(
        // Escalations done, first: text, and the note as a link when its URL is http(s).
        ...(v.escalated ?? []).map((/** @type {Parameters<typeof escalationLi>[0]} */ e) =>
          escalationLi(e, { className: 'tip-esc' }),
        ),
        ...v.lines.map((line) => {
          const li = document.createElement('li');
          li.textContent = line;
          return li;
        }),
      );
      ui.foot.textContent = v.footer ? `Policy: ${v.footer}` : '';
      this.setAttribute('tone', v.tone);
      this.setAttribute('state', v.state);
      if (this.#open) this.#place();
    }

    #show() {
      if (!this.#ui) return;
      this.#open = true;
      this.update();
      const { tip } = this.#ui;
      if (supportsPopover) {
        if (!tip.matches(':popover-open')) tip.showPopover();
      } else tip.classList.remove('fallback-hidden');
      this.#place();
      this.dispatchEvent(new CustomEvent('sla-tooltip', { detail: { open: true }, bubbles: true, composed: true }));
    }

    #hide() {
      if (!this.#ui) return;
      this.#open = false;
      const { tip } = this.#ui;
      if (supportsPopover) {
        if (tip.matches(':popover-open')) tip.hidePopover();
      } else tip.classList.add('fallback-hidden');
    }

    #place() {
      if (!this.#ui) return;
      const { badge, tip } = this.#ui;
      const r = badge.getBoundingClientRect();
      const w = tip.offsetWidth;
      const h = tip.offsetHeight;
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      // Under the badge, aligned with its start edge: its left in a left-to-right page, its right
      // in a right-to-left one (dir="rtl"); kept inside the viewport.
      const rtl = getComputedStyle(this).direction === 'rtl';
      const start = rtl ? r.right - w : r.left;
      const left = Math.min(Math.max(8, start), Math.max(8, vw - w - 8));
      let top = r.bottom + 6;
      if (top + h > vh - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
      tip.style.left = `${Math.round(left)}px`;
      tip.style.top = `${Math.round(top)}px`;
    }
  }

  if (!customElements.get('sla-badge')) customElements.define('sla-badge', SlaBadge);
}
