// @ts-check
// sla-lens inside a tracker's own pages: one call puts an SLA badge on every issue row and on the
// issue page's heading, and keeps them right while the page changes.
//
//   import { annotate } from './trackers/annotate.js';
//   const session = annotate({ tracker: 'redmine' });      // policy: the seed SLA by default
//   await session.ready;                                    // first pass done
//   session.stop();                                         // observers, requests, badges gone
//
// A pass: the adapter finds targets (reads only), badges are mounted in one batch of writes
// (idempotent: a target that has a badge keeps it, so annotating twice leaves one badge), the
// issues not yet known in this page view are fetched through the adapter (batched list calls,
// per-issue calls only where the API needs them, bounded concurrency, retries), the responses
// are mapped by the Rust adapters (Wasm `mapResponses`, the CLI's mapping) and evaluated by
// `Board`s — in chunks while answers are still arriving (each chunk one Wasm call for mapping
// and one for evaluation), so badges fill in as data comes and little is left to do once the
// last answer is in. An issue whose data cannot be had gets a grey "SLA unavailable" badge
// whose tooltip says why; nothing is thrown into the page.
//
// Later passes run on DOM changes (MutationObserver, debounced) and on navigation; a new URL is
// a new page view (its own cache; the previous view's requests are aborted). Everything is torn
// down by `stop()` or the `signal` given. The tracker's `Date` header corrects a wrong local
// clock (more than a minute off), and the tooltips say so.

import { load, Board, setClock, now as pageNow } from '../sla-lens.js';
import { dueText, ms, skewNote } from '../badge-view.js';
import { Client, Fault } from './net.js';
import { wasmPort } from './port.js';
import { ADAPTERS, adapterOf, targetContext } from './adapters.js';
import { unavailableResult } from '../badge-view.js';
import { place, unplace, changesPage } from './placement.js';
import { LazyMount } from './lazy.js';

export { Fault } from './net.js';
export { ADAPTERS } from './adapters.js';

/**
 * One adapter per tracker: data plus small functions.
 * @typedef {object} TrackerAdapter
 * @property {import('../pkg/sla_lens.js').TrackerName} tracker  the Rust adapter's name
 * @property {string} label                                 for tooltips: `Redmine`
 * @property {Readonly<Record<string, string>>} selectors   every selector it uses, in one place
 * @property {RegExp} idShape   an issue id's shape; `load` fails any other id (net.js `wellFormed`)
 * @property {(root: ParentNode, ctx: FindContext) => Target[]} targets  reads the DOM, no writes
 * @property {(io: LoadContext) => Promise<Record<string, string>>} auth  request headers
 * @property {(ids: string[], io: LoadContext) => Promise<void>} load  fetches; tells `io` what it got
 *
 * @typedef {object} Target
 * @property {string} id           the issue (`42`, `MKT-7`)
 * @property {Element} anchor
 * @property {'append'|'prepend'|'after'} where  at the end or start of the anchor, or after it
 * @property {boolean} [heading]   the issue page's own heading
 * @property {boolean} [fixed]     in a table cell: a line of its own, fixed height (no table relayout on update)
 *
 * @typedef {object} FindContext
 * @property {import('../pkg/sla_lens.js').TrackerPage | null} page  what the URL is
 * @property {(a: HTMLAnchorElement) => boolean} sameOrigin
 * @property {(a: HTMLAnchorElement) => string} path       path + query of a link
 * @property {(hrefs: string[]) => (string | null)[]} issueLinks  the Rust URL rules, one call
 *
 * @typedef {object} LoadContext
 * @property {Client} client
 * @property {string} base         origin + base path
 * @property {import('../pkg/sla_lens.js').TrackerPage | null} page
 * @property {string | null} token
 * @property {string | null} apiBase
 * @property {Document | null} document  the page's (null in the extension's worker)
 * @property {number} batchSize
 * @property {number} concurrency
 * @property {(key: string, fn: () => Promise<any>) => Promise<any>} once  memo per page view
 * @property {(text: string) => void} share                  a text every mapping includes
 * @property {(text: string, ids: string[]) => void} deliver  an answer holding these issues
 * @property {(id: string, ticket: object) => void} final     an issue already mapped
 * @property {(id: string, fault: Fault) => void} fail        an issue whose data is not to be had
 * @property {((texts: string[]) => Mapped) | undefined} [map]  the Rust mapping, where it runs here
 * @property {((tickets: object[]) => Set<string> | null) | undefined} [applies]  ids the policy covers
 *
 * @typedef {object} Mapped
 * @property {Map<string, object>} tickets    by issue id
 * @property {Map<string, Fault>} errors      issues that cannot be read
 * @property {Map<number, Fault>} rejected    answers set aside, by position
 *
 * @typedef {{ ticket?: object, fault?: Fault, at: number }} Known  what a page view knows of an issue
 *
 * @typedef {object} View  one page view (a URL): its requests, what it knows of its issues
 * @property {string} href
 * @property {AbortController} controller
 * @property {Map<string, Known>} cache
 * @property {Map<string, ReturnType<LoadContext['once']>>} memo  `once`'s
 * @property {import('../pkg/sla_lens.js').TrackerPage | null} page
 * @property {Promise<Record<string, string>> | null} auth
 * @property {Set<string>} onPage
 * @property {Client} client
 *
 * @typedef {HTMLElement & { board: import('../sla-lens.js').BadgeBoard | null,
 *   result: import('../badge-view.js').UnavailableResult | undefined }} BadgeElement  an `<sla-badge>` (sla-lens.js)
 */

const SKEW_MS = 60_000;
const RETRY_TRANSIENT_MS = 30_000;

/**
 * Starts sla-lens on the current page. Never throws for anything the page or the tracker does;
 * throws a TypeError only for an unknown tracker.
 * @param {AnnotateOptions} options
 * @returns {PageSession}
 *
 * @typedef {object} AnnotateOptions
 * @property {import('../pkg/sla_lens.js').TrackerName} [tracker]
 * @property {TrackerAdapter} [adapter]        instead of `tracker`
 * @property {string | object} [site]          the site file (docs/trackers.md); default: this origin
 * @property {string} [policy]                 policy JSON text; default: the seed policy
 * @property {import('../pkg/sla_lens.js').SlaEngine} [engine]  instead of `policy`
 * @property {any} [wasm]                      what `load()` instantiates (URL, bytes)
 * @property {import('./port.js').WasmPort} [port]  the engine port instead of the Wasm module
 *   (`engine`, `wasm` unused; `policy` only for the calendars' zones): tests, other hosts
 * @property {string} [token]                  API token where the tracker needs one
 * @property {string} [apiBase]                GitHub API origin (default api.github.com)
 * @property {AbortSignal} [signal]            aborting it is `stop()`
 * @property {typeof fetch} [fetch]
 * @property {number} [timeoutMs]              per request attempt (15 s)
 * @property {number} [retries]                for 429/5xx (2)
 * @property {number} [backoffMs]              first backoff (500 ms), doubling
 * @property {number} [concurrency]            per-issue calls in flight (6)
 * @property {number} [batchSize]              ids per list call (100)
 * @property {number} [debounceMs]             after DOM changes (150)
 * @property {boolean} [lazy]                 badges for the rows on screen (and a screen around
 *   it) at once, the others when they scroll near (lazy.js; the extension's way for long lists)
 * @property {'auto'|'local'} [clock]          `auto`: follow the tracker's clock when ours is off
 * @property {string} [viewerZone]             default: the browser's zone
 * @property {Document} [document]
 */
export function annotate(options) {
  const session = new PageSession(options);
  session.start();
  return session;
}

export class PageSession {
  /** @param {AnnotateOptions} options */
  constructor(options = {}) {
    const adapter = options.adapter ?? adapterOf(options.tracker);
    if (!adapter)
      throw new TypeError(
        `sla-lens: no adapter for tracker \`${options.tracker}\`: use one of ${Object.keys(ADAPTERS).join(', ')}`,
      );
    this.options = options;
    this.adapter = adapter;
    this.document = options.document ?? globalThis.document;
    this.window = this.document.defaultView ?? globalThis;
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    options.signal?.addEventListener('abort', () => this.stop(), { once: true, signal: this.signal });
    this.origin = new URL(this.document.location.href).origin;
    this.site = siteInput(options.site, adapter.tracker, this.origin);
    this.base =
      this.origin +
      (typeof this.site === 'object' && this.site.basePath ? String(this.site.basePath).replace(/\/$/, '') : '');
    this.viewerZone = options.viewerZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    /** Server clock minus local clock (ms) when they differ by more than a minute, else null. */
    /** @type {number | null} */
    this.skewMs = null;
    this.ownClock = false;
    /** @type {View | null} */
    this.view = null;
    /** One board per chunk of issues evaluated together; `boardOf`: issue → its board. @type {Set<PageBoard>} */
    this.boards = new Set();
    /** @type {Map<string, PageBoard>} */
    this.boardOf = new Map();
    /** @type {Map<string, BadgeElement[]>} */
    this.badgesById = new Map();
    /** @type {typeof import('../pkg/sla_lens.js') | null} */
    this.api = null;
    /** @type {Map<string, string>} */
    this.zones = new Map();
    /** @type {{ where: string, message: string }[]} */
    this.problems = [];
    /**
     * @type {{ passes: number, requests: number, badges: number, evaluated: number, unavailable: number,
     *   boards?: number, lastPass: { targets: number, ids: number, fetched: number } | null }}
     */
    this.stats = { passes: 0, requests: 0, badges: 0, evaluated: 0, unavailable: 0, lastPass: null };
    /** @type {Promise<void> | null} */
    this.ready = null;
    /** @type {Promise<void> | null} */
    this.running = null;
    this.again = false;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.debounce = null;
    /** Viewport-lazy mounting (`lazy: true`), else null: every badge at once. @type {LazyMount | null} */
    this.lazy = null;
  }

  start() {
    this.ready = this.#init()
      .then(() => this.refresh())
      .catch((e) => this.#problem('start', e));
    return this.ready;
  }

  async #init() {
    if (this.options.port) {
      this.port = this.options.port;
      this.engine = this.port.engine;
      this.zones = calendarZones(this.options.policy ?? null);
      this.#watch();
      return;
    }
    this.api = await load(this.options.wasm);
    if (this.signal.aborted) return;
    const policyText = this.options.policy ?? (this.options.engine ? null : this.api.examplePolicy('default'));
    // `policyText` is null only when `options.engine` is given.
    this.engine = this.options.engine ?? new this.api.SlaEngine(/** @type {string} */ (policyText));
    this.zones = calendarZones(policyText);
    /** @type {import('./port.js').WasmPort} */
    this.port = wasmPort({
      api: this.api,
      engine: this.engine,
      tracker: this.adapter.tracker,
      label: this.adapter.label,
      site: this.site,
      now: pageNow,
      onError: (where, e) => this.#problem(where, e),
    });
    this.#watch();
  }

  /** Runs a pass now (after any running one); resolves when the page is up to date. */
  refresh() {
    if (this.signal.aborted || !this.engine) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.#pass();
        } while (this.again && !this.signal.aborted);
      } catch (e) {
        if (!this.signal.aborted) this.#problem('pass', e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops observing and fetching, and removes the badges this page got. */
  stop() {
    if (this.signal.aborted) return;
    clearTimeout(this.debounce ?? undefined);
    this.controller.abort(new DOMException('sla-lens stopped', 'AbortError'));
    this.view?.controller.abort(new DOMException('sla-lens stopped', 'AbortError'));
    for (const b of this.boards) b.dispose();
    this.boards.clear();
    unplace(this.document);
    if (this.ownClock) setClock(() => Date.now());
  }

  // -------------------------------------------------------------------------------------------
  // One pass
  // -------------------------------------------------------------------------------------------

  async #pass() {
    const href = this.document.location.href;
    if (!this.view || this.view.href !== href) this.#newView(href);
    const view = /** @type {View} */ (this.view); // #newView has just set it, if it was not this URL's
    this.stats.passes += 1;
    const page = this.#detect(href);
    view.page = page;
    const targets = this.adapter.targets(this.document, this.#findContext(page));
    this.#mount(targets);
    const ids = [...new Set(targets.map((t) => t.id))];
    view.onPage = new Set(ids);
    const need = ids.filter((id) => this.#stale(view, id));
    const asked = new Set(need);
    // What is known already (an earlier pass, a re-rendered row) shows at once.
    this.#show(
      ids.filter((id) => !asked.has(id)),
      view,
    );
    if (need.length) {
      const done = await this.#fetch(need, view);
      if (!done || view !== this.view || this.signal.aborted) return;
      mark('sla-lens:rendered');
      measure('sla-lens:render', 'sla-lens:data-ready', 'sla-lens:rendered');
      afterPaint(this.window, () => {
        mark('sla-lens:painted');
        measure('sla-lens:paint', 'sla-lens:data-ready', 'sla-lens:painted');
      });
    }
    this.#retire();
    let evaluated = 0;
    let faulted = 0;
    for (const id of ids) {
      const e = view.cache.get(id);
      if (e?.ticket) evaluated += 1;
      else if (e?.fault) faulted += 1;
    }
    this.stats.evaluated = evaluated;
    this.stats.unavailable = faulted;
    this.stats.boards = this.boards.size;
    this.stats.lastPass = { targets: targets.length, ids: ids.length, fetched: need.length };
    this.document.dispatchEvent(
      new CustomEvent('sla-lens:annotated', { detail: { ...this.stats, ...this.stats.lastPass } }),
    );
  }

  /** @param {string} href */
  #newView(href) {
    this.view?.controller.abort(new DOMException('navigated away', 'AbortError'));
    for (const b of this.boards) b.dispose();
    this.boards.clear();
    this.boardOf.clear();
    const controller = new AbortController();
    this.signal.addEventListener('abort', () => controller.abort(this.signal.reason), {
      once: true,
      signal: controller.signal,
    });
    const o = this.options;
    this.view = {
      href,
      controller,
      cache: new Map(),
      memo: new Map(),
      page: null,
      auth: null,
      onPage: new Set(),
      client: new Client({
        fetch: o.fetch,
        signal: controller.signal,
        timeoutMs: o.timeoutMs,
        retries: o.retries,
        backoffMs: o.backoffMs,
        tracker: this.adapter.label,
        credentials: 'same-origin',
      }),
    };
  }

  /** @param {string} href */
  #detect(href) {
    return this.port.detectPage(href);
  }

  /** @param {import('../pkg/sla_lens.js').TrackerPage | null} page */
  #findContext(page) {
    return targetContext({ page, origin: this.origin, issueLinks: (hrefs) => this.port.issueLinks(hrefs) });
  }

  /** @param {View} view @param {string} id */
  #stale(view, id) {
    const e = view.cache.get(id);
    if (!e) return true;
    return !!e.fault?.transient && Date.now() - e.at > RETRY_TRANSIENT_MS;
  }

  /**
   * Mounts one badge per target, in one batch of DOM writes after all reads. A target that
   * already has a badge keeps it (re-pointed if the DOM now shows another issue there).
   * @param {Target[]} targets
   */
  #mount(targets) {
    this.badgesById.clear();
    if (this.lazy)
      this.lazy.mount(targets); // places the ones on screen now, through #place
    else this.#place(targets);
  }

  /**
   * @param {Target[]} targets
   * @returns {string[]} the ids of `targets`
   */
  #place(targets) {
    const ids = new Set();
    for (const { target, badge: el, created } of place(this.document, targets, this.adapter.tracker)) {
      const badge = /** @type {BadgeElement} */ (el); // placement's badges are `<sla-badge>`s
      let list = this.badgesById.get(target.id);
      if (!list) {
        list = [];
        this.badgesById.set(target.id, list);
      }
      if (!list.includes(badge)) list.push(badge);
      if (created) this.stats.badges += 1;
      ids.add(target.id);
    }
    return [...ids];
  }

  /** Lazy mounting: badges for rows that came near (during a pass, or on scrolling afterwards). @param {Target[]} targets */
  #placeNear(targets) {
    const ids = this.#place(targets);
    if (this.view) {
      // Bound to what is known now (results, faults); what is still on its way binds them later.
      this.#show(ids, this.view);
      for (const board of new Set(ids.map((id) => this.boardOf.get(id)).filter(Boolean))) this.#decorate(board);
    }
  }

  /**
   * Fetches `need` through the adapter. Answers are mapped and evaluated in chunks while the
   * rest are still on their way (a chunk: up to FLUSH_AT answers, or what came within
   * FLUSH_MS), so badges fill in as data arrives and what is left once the last answer is in
   * is one small chunk.
   * @param {string[]} need
   * @param {View} view
   * @returns {Promise<boolean>} false when the view went away meanwhile
   */
  async #fetch(need, view) {
    const sink = new Sink(this, view, need);
    const io = this.#io(view, sink);
    try {
      if (!view.auth) view.auth = this.adapter.auth(io).catch(() => ({}));
      view.client.setHeaders(await view.auth);
      await this.adapter.load(need, io);
      // Every answer is in: what follows (mapping and evaluating the last chunk, rendering) is
      // sla-lens's own main-thread work, measured up to the next painted frame (bench/js/page.mjs).
      mark('sla-lens:data-ready');
    } catch (e) {
      if (view.controller.signal.aborted) {
        sink.cancel();
        return false;
      }
      this.#problem('load', e);
      sink.failRest(
        new Fault(
          'unreadable',
          `sla-lens could not read ${this.adapter.label}: ${/** @type {{ message?: unknown } | null | undefined} */ (e)?.message ?? e}`,
        ),
      );
    } finally {
      this.stats.requests = view.client.requests;
    }
    this.#clock(view.client.skewMs);
    sink.finish();
    return view === this.view;
  }

  /**
   * @param {View} view
   * @param {Sink} sink
   * @returns {LoadContext}
   */
  #io(view, sink) {
    const o = this.options;
    return {
      client: view.client,
      base: this.base,
      page: view.page,
      token: o.token ?? null,
      apiBase: o.apiBase ?? null,
      document: this.document,
      batchSize: Math.max(1, Math.min(100, o.batchSize ?? 100)),
      concurrency: Math.max(1, o.concurrency ?? 6),
      once: (key, fn) => {
        if (!view.memo.has(key)) view.memo.set(key, fn());
        return /** @type {ReturnType<LoadContext['once']>} */ (view.memo.get(key)); // set just above if it was not
      },
      share: (text) => sink.share(text),
      deliver: (text, ids) => sink.deliver(text, ids),
      final: (id, ticket) => sink.final(id, ticket),
      fail: (id, fault) => sink.fail(id, fault),
      map: (texts) => this.map(texts),
      applies: (tickets) => this.port.applies(tickets),
    };
  }

  /**
   * Maps REST answers with the Rust adapters: tickets by id, and a fault for each issue that
   * cannot be read and for each answer set aside (by its position).
   * @param {string[]} texts
   */
  map(texts) {
    return this.port.map(texts);
  }

  /**
   * Shows `ids`: the ones with a ticket not yet on a board are evaluated together on a new
   * board (one Wasm call); the ones with a fault get a grey badge; each badge is bound to the
   * board that holds its issue.
   * @param {string[]} ids
   * @param {View} view
   */
  showChunk(ids, view) {
    if (view !== this.view) return;
    this.#show(ids, view);
  }

  /** @param {string[]} ids @param {View} view */
  #show(ids, view) {
    const fresh = [];
    for (const id of ids) {
      const e = view.cache.get(id);
      if (e?.ticket && !this.boardOf.has(id)) fresh.push(e.ticket);
    }
    if (fresh.length) {
      // A pass runs only with an engine (`refresh`); the tickets are the Rust mapping's (or an
      // adapter's `final` ones, mapped elsewhere).
      const board = new PageBoard(/** @type {import('../pkg/sla_lens.js').SlaEngine} */ (this.engine), this);
      const tickets = /** @type {import('../pkg/sla_lens.js').TicketInput[]} */ (fresh);
      for (const t of tickets) this.boardOf.set(String(t.id), board);
      this.boards.add(board);
      board.setTickets(tickets);
    }
    for (const id of ids) {
      const e = view.cache.get(id);
      for (const b of this.badgesById.get(id) ?? []) {
        if (e?.fault) {
          if (b.result?.unavailable?.reason !== e.fault.reason) b.result = unavailable(id, e.fault);
          continue;
        }
        if (b.result?.unavailable) b.result = undefined;
        const board = this.boardOf.get(id);
        if (board && b.board !== board) b.board = board;
      }
    }
    if (fresh.length) this.#decorate([...this.boards].at(-1));
  }

  /** Boards none of whose badges are still in the page stop following the timer. */
  #retire() {
    for (const board of this.boards) {
      if ([...board.badges].some((b) => b.isConnected)) continue;
      if ([...this.boardOf.entries()].some(([id, b]) => b === board && this.view?.onPage.has(id))) continue;
      board.dispose();
      this.boards.delete(board);
      for (const [id, b] of this.boardOf) if (b === board) this.boardOf.delete(id);
    }
  }

  /** After each evaluation: each badge's deadline as a data attribute (for tests and styles). @param {PageBoard | undefined} board */
  #decorate(board) {
    if (!board) return;
    for (const b of board.badges) {
      const ev = board.result(/** @type {string} */ (b.getAttribute('ticket-id')))?.evaluation; // placement sets it on every badge
      const m = ev ? (ev.headline === 'resolution' ? ev.resolution : ev.response) : null;
      const d = m?.deadline ?? '';
      if (b.getAttribute('data-deadline') !== d) b.setAttribute('data-deadline', d);
    }
  }

  /** @param {PageBoard} board */
  onEvaluate(board) {
    this.#decorate(board);
  }

  // -------------------------------------------------------------------------------------------
  // Clock, notes, observers
  // -------------------------------------------------------------------------------------------

  /** @param {number | null} skew  the tracker's clock less ours (ms), if known */
  #clock(skew) {
    if (skew == null || this.options.clock === 'local') return;
    if (Math.abs(skew) <= SKEW_MS) {
      if (this.skewMs !== null && this.ownClock) setClock(() => Date.now());
      this.skewMs = null;
      return;
    }
    const moved = this.skewMs === null || Math.abs(this.skewMs - skew) > 5_000;
    this.skewMs = skew;
    // Only a page clock that follows the local one is corrected (a test or a demo that froze
    // it keeps its own).
    if (moved && (this.ownClock || Math.abs(pageNow() - Date.now()) < 2_000)) {
      this.ownClock = true;
      setClock(() => Date.now() + skew);
    }
  }

  /**
   * The tooltip lines sla-lens adds to the engine's: the deadline in both zones, clock skew.
   * @param {import('../pkg/sla_lens.js').TicketResult | undefined} result
   * @param {number} t
   */
  notes(result, t) {
    const out = [];
    const ev = result?.evaluation;
    if (ev && (ev.state === 'running' || ev.state === 'atRisk' || ev.state === 'breached')) {
      const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
      const d = ms(m?.deadline);
      if (d !== null) {
        const calendarZone = ev.calendar && ev.calendar !== '24x7' ? (this.zones.get(ev.calendar) ?? null) : null;
        out.push(dueText(d, { nowMs: t, viewerZone: this.viewerZone, calendarZone, past: d <= t }));
      }
    }
    if (this.skewMs !== null) out.push(skewNote(this.skewMs, this.adapter.label));
    return out;
  }

  #watch() {
    const signal = this.signal;
    if (this.options.lazy) {
      // Our own writes (slots, badges) are not changes of the page (`changesPage`): no hiding needed.
      this.lazy = new LazyMount({
        document: this.document,
        show: (targets) => this.#placeNear(targets),
        writing: (fn) => fn(),
      });
      signal.addEventListener('abort', () => this.lazy?.pause(), { once: true });
    }
    const schedule = () => {
      clearTimeout(this.debounce ?? undefined);
      this.debounce = setTimeout(() => this.refresh(), this.options.debounceMs ?? 150);
    };
    const MO = this.window.MutationObserver ?? globalThis.MutationObserver;
    if (MO) {
      const mo = new MO((records) => {
        // Our own badges going in are not a change of the page.
        if (records.some(changesPage) || this.document.location.href !== this.view?.href) schedule();
      });
      mo.observe(this.document.body ?? this.document.documentElement, { childList: true, subtree: true });
      signal.addEventListener('abort', () => mo.disconnect(), { once: true });
    }
    this.window.addEventListener?.('popstate', schedule, { signal });
    this.window.navigation?.addEventListener?.('navigatesuccess', schedule, { signal });
    for (const type of ['turbo:load', 'turbo:render', 'pjax:end'])
      this.document.addEventListener(type, schedule, { signal });
  }

  /** @param {string} where @param {unknown} e */
  #problem(where, e) {
    this.problems.push({
      where,
      message: String(/** @type {{ message?: unknown } | null | undefined} */ (e)?.message ?? e),
    });
    if (this.problems.length > 50) this.problems.shift();
    globalThis.console?.debug?.(`sla-lens (${where}):`, e);
  }
}

const FLUSH_AT = 24;
const FLUSH_MS = 150;
const SHOW_AT = 128;

/**
 * Where an adapter's answers go during one fetch: texts to map (batched), tickets already
 * mapped, faults; each batch is mapped in one Wasm call and shown as soon as it is ready.
 */
class Sink {
  /** @param {PageSession} session @param {View} view @param {string[]} need */
  constructor(session, view, need) {
    this.session = session;
    this.view = view;
    this.need = need;
    /** @type {string[]} */
    this.shared = [];
    /** @type {{ text: string, ids: string[] }[]} */
    this.pending = [];
    /** @type {string[]} */
    this.ready = [];
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    this.done = false;
    this.finishing = false;
  }

  /** A text every mapping call includes (Redmine's status names). @param {string} text */
  share(text) {
    this.shared.push(text);
  }

  /** @param {string} text @param {string[]} ids */
  deliver(text, ids) {
    if (this.done) return;
    this.pending.push({ text, ids: ids.map(String) });
    if (this.pending.length >= FLUSH_AT) this.flush();
    else this.#soon();
  }

  /** @param {string} id @param {object} ticket */
  final(id, ticket) {
    if (this.done) return;
    this.view.cache.set(String(id), { ticket, at: Date.now() });
    this.ready.push(String(id));
    this.#soon();
  }

  /** @param {string} id @param {Fault} fault */
  fail(id, fault) {
    if (this.done) return;
    this.view.cache.set(String(id), { fault, at: Date.now() });
    this.ready.push(String(id));
    this.#soon();
  }

  /** Every issue asked for that got nothing yet fails with `fault`. @param {Fault} fault */
  failRest(fault) {
    for (const id of this.need) if (!this.view.cache.has(id)) this.fail(id, fault);
  }

  #soon() {
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush() {
    clearTimeout(this.timer ?? undefined);
    this.timer = null;
    if (this.view !== this.session.view || this.session.signal.aborted) return;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) {
      const m = this.session.map([...this.shared, ...batch.map((b) => b.text)]);
      const at = Date.now();
      batch.forEach((b, i) => {
        const whole = m.rejected.get(this.shared.length + i);
        for (const id of b.ids) {
          const entry = whole
            ? { fault: whole, at }
            : m.errors.has(id)
              ? { fault: m.errors.get(id), at }
              : m.tickets.has(id)
                ? { ticket: m.tickets.get(id), at }
                : null;
          if (entry) {
            this.view.cache.set(id, entry);
            this.ready.push(id);
          }
        }
      });
    }
    // At most SHOW_AT issues per task while answers still arrive (short tasks keep the page
    // responsive); the rest in the next task. `finish` shows everything at once.
    const all = this.done || this.finishing;
    const ready = all ? this.ready : this.ready.slice(0, SHOW_AT);
    this.ready = all ? [] : this.ready.slice(SHOW_AT);
    if (ready.length) this.session.showChunk(ready, this.view);
    if (this.ready.length && this.timer === null) this.timer = setTimeout(() => this.flush(), 0);
  }

  /** The last chunk; issues nothing was said about are missing. */
  finish() {
    this.finishing = true;
    this.flush();
    const label = this.session.adapter.label;
    for (const id of this.need) {
      if (!this.view.cache.has(id))
        this.view.cache.set(id, {
          fault: new Fault('missing', `${label} sent nothing for this issue`),
          at: Date.now(),
        });
      else continue;
      this.ready.push(id);
    }
    this.flush();
    this.done = true;
  }

  cancel() {
    clearTimeout(this.timer ?? undefined);
    this.done = true;
  }
}

/**
 * A sink that only collects (for callers that map elsewhere, e.g. an extension's worker, and
 * for tests): `io` to give an adapter's `load`, `result()` afterwards.
 */
export function collector() {
  /** @type {{ text: string, ids: string[] }[]} */
  const texts = [];
  /** @type {string[]} */
  const shared = [];
  /** @type {Map<string, object>} */
  const finals = new Map();
  /** @type {Map<string, Fault>} */
  const faults = new Map();
  return {
    /** @type {Pick<LoadContext, 'share' | 'deliver' | 'final' | 'fail'>} */
    io: {
      share: (text) => shared.push(text),
      deliver: (text, ids) => texts.push({ text, ids: ids.map(String) }),
      final: (id, ticket) => finals.set(String(id), ticket),
      fail: (id, fault) => faults.set(String(id), fault),
    },
    /** @returns {{ shared: string[], texts: { text: string, ids: string[] }[], finals: Map<string, object>, faults: Map<string, Fault> }} */
    result: () => ({ shared, texts, finals, faults }),
  };
}

/** A Board whose tooltips also give the deadline in both zones and any clock correction. */
class PageBoard extends Board {
  /** @param {import('../pkg/sla_lens.js').SlaEngine} engine @param {PageSession} session */
  constructor(engine, session) {
    super(engine, { onEvaluate: () => session.onEvaluate(this) });
    this.session = session;
  }

  /** @param {string | number} id @param {number} [t] */
  view(id, t, withLines = true) {
    const v = super.view(id, t, withLines);
    if (withLines) {
      const notes = this.session.notes(this.result(id), t ?? pageNow());
      if (notes.length) v.lines = [...notes, ...v.lines];
    }
    return v;
  }
}

/**
 * What an adapter's `targets` needs: the page the URL is, and the Rust URL rules for links.
 * @param {{ api: typeof import('../pkg/sla_lens.js'), tracker: import('../pkg/sla_lens.js').TrackerName,
 *   site: import('../pkg/sla_lens.js').SiteInput | null, origin: string,
 *   page: import('../pkg/sla_lens.js').TrackerPage | null, onError?: (e: unknown) => void }} o
 * @returns {FindContext}
 */
export function findContext({ api, tracker, site, origin, page, onError }) {
  const port = wasmPort({
    api,
    engine: null,
    tracker,
    label: tracker,
    site,
    now: pageNow,
    onError: (_, e) => onError?.(e),
  });
  return targetContext({ page, origin, issueLinks: (hrefs) => port.issueLinks(hrefs) });
}

/** The result an "SLA unavailable" badge shows (badge-view.js `unavailableResult`, for a Fault). @param {string} id @param {Fault} fault */
export function unavailable(id, fault) {
  return unavailableResult(id, fault.reason, { kind: fault.kind, transient: fault.transient });
}

/**
 * The site file for the Wasm calls: the one given, else this origin with the defaults.
 * @param {string | object | undefined} site
 * @param {import('../pkg/sla_lens.js').TrackerName} tracker
 * @param {string} origin
 * @returns {import('../pkg/sla_lens.js').SiteInput}
 */
function siteInput(site, tracker, origin) {
  if (site == null) return { tracker, origin };
  if (typeof site === 'string') {
    try {
      return { origin, ...JSON.parse(site) };
    } catch {
      return site; // the Wasm side reports the syntax error
    }
  }
  return { origin, ...site };
}

/** Calendar name → IANA zone, from the policy's text. @param {string | null} policyText */
function calendarZones(policyText) {
  /** @type {Map<string, string>} */
  const zones = new Map();
  try {
    const cals = JSON.parse(policyText ?? 'null')?.calendars ?? {};
    for (const [name, c] of Object.entries(cals)) if (typeof c?.timeZone === 'string') zones.set(name, c.timeZone);
  } catch {
    // the engine has already refused a policy that is not JSON
  }
  return zones;
}

/** @param {string} name */
function mark(name) {
  try {
    globalThis.performance?.mark?.(name);
  } catch {
    /* marks are best effort */
  }
}

/** @param {string} name @param {string} from @param {string} to */
function measure(name, from, to) {
  try {
    globalThis.performance?.measure?.(name, from, to);
  } catch {
    /* a mark missing after a clear */
  }
}

/** Calls `fn` once the next frame has been painted. @param {Pick<Window, 'requestAnimationFrame'>} win @param {() => void} fn */
function afterPaint(win, fn) {
  if (typeof win.requestAnimationFrame !== 'function') return void setTimeout(fn, 0);
  win.requestAnimationFrame(() => setTimeout(fn, 0));
}
