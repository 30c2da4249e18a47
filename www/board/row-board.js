// @ts-check
// The Board of <sla-board>, with its engine in a Worker (board/engine-worker.js through
// board/engine-client.js): the export stays in the worker, which evaluates the batch with
// `evaluateRows` (what a table row needs: one Float64Array and a string table, transferred, no
// per-ticket JSON). The page keeps the rows. A badge's full result is evaluated in the worker
// when the badge asks for it — only the ~30 rows on screen have one, fetched in one request as
// they scroll in — and kept until the next evaluation of the batch; a tooltip's sentences the
// same way. Same timer, countdowns and re-evaluation as the shim's Board; every engine call is
// a request the page awaits, never a main-thread task.
//
// Until its answer comes, a badge shows "…" ("not evaluated yet") and an open tooltip the
// sentences it had. Answers for an evaluation that has since been replaced are dropped.

import { Board, badgeView, now } from '../sla-lens.js';
import { rowsFromBatch } from './board-model.js';

const MINUTE = 60_000;

/** Resolves in a task of its own: what the page has waiting (input, timers, paint) runs first. */
export function nextTask() {
  return new Promise((ok) => setTimeout(ok, 0));
}

export class RowBoard extends Board {
  /**
   * @param {import('./engine-client.js').EngineClient} client  a worker with the board loaded (`loadBoard`)
   * @param {string} policyName
   * @param {{ onEvaluate?: (rows: any[]) => void, onError?: (e: any) => void }} [options]
   *   `onError`: an engine error after the first evaluation (a re-evaluation, a measure).
   */
  constructor(client, policyName, options = {}) {
    // The engine is in the worker: the Board's methods that call one (evaluate, measure, lines)
    // are all overridden here; the Board reads only its name.
    const engine = /** @type {import('../pkg/sla_lens.js').SlaEngine} */ (
      /** @type {unknown} */ ({ name: policyName })
    );
    super(engine, { ...options, explain: 'lazy' });
    this.client = client;
    this.onError = options.onError ?? null;
    /**
     * Table rows (board-model.js `rowsFromBatch`), in batch order.
     * @type {import('./board-model.js').Row[]}
     */
    this.rows = [];
    /**
     * The same rows most urgent first (`sortRows(rows, {key: 'sla'})`, sorted in the worker).
     * @type {import('./board-model.js').Row[]}
     */
    this.byUrgency = [];
    /** The rows' facets (board-model.js `facets`, counted in the worker), or null. */
    this.facets = null;
    /**
     * Tickets that could not be read or evaluated: `{id, index, code, path, message}`.
     * @type {ReturnType<typeof rowsFromBatch>['errors']}
     */
    this.errors = [];
    /** Full results evaluated on demand since the last batch evaluation, by id. */
    this.full = new Map();
    this.rowById = new Map();
    /** Bumped by each evaluation: answers for an older one are dropped. */
    this.generation = 0;
    /** Ids whose full result / sentences (`id|minute`) are being fetched. */
    this.pendingFull = new Set();
    this.pendingLines = new Set();
    /** The batch evaluation in flight, and the full-result requests in flight. */
    this.evaluating = null;
    this.requests = new Set();
    this.disposed = false;
  }

  /** Evaluates the tickets loaded in the worker and joins the shared timer; resolves with the rows. */
  start() {
    super.setTickets([]);
    return this.evaluating;
  }

  /** Evaluates the whole batch at `t` in the worker; resolves with the rows once they are shown. */
  evaluate(t = now()) {
    const gen = ++this.generation;
    // No due state change while the answer is out (the timer would tick again at once).
    this.nextChangeMs = null;
    const p = this.client.call('rows', { nowMs: t }).then(async ({ batch, raw, order, facets }) => {
      if (gen !== this.generation || this.disposed) return this.rows;
      const { rows, errors } = rowsFromBatch(batch, raw);
      const byUrgency = Array.from(order, (i) => rows[i]);
      const rowById = new Map();
      for (const r of rows) rowById.set(r.id, r);
      // The badges on screen get their new results with the rows (never "…" in between); the
      // page gets a turn between reading the rows and showing them either way.
      const shown = [...new Set([...this.badges].map((b) => b.ticketId))].filter((id) => rowById.has(id));
      const fresh = shown.length
        ? await this.client.call('full', { indices: shown.map((id) => rowById.get(id).index), nowMs: t })
        : await nextTask().then(() => []);
      if (gen !== this.generation || this.disposed) return this.rows;
      this.rows = rows;
      this.byUrgency = byUrgency;
      this.facets = facets;
      this.errors = errors;
      this.evaluations += 1;
      this.evaluatedAt = t;
      this.full.clear();
      this.pendingFull.clear();
      this.linesCache.clear();
      this.pendingLines.clear();
      this.rowById = rowById;
      shown.forEach((id, i) => {
        this.full.set(id, fresh[i]);
      });
      for (const e of errors) {
        const id = String(e.id ?? e.index);
        this.full.set(id, { id: e.id, error: { id: e.id, code: e.code, path: e.path, message: e.message } });
      }
      this.results = [];
      this.remaining.clear();
      this.nextChangeMs = batch.nextChange;
      this.render(t);
      this.onEvaluate?.(rows);
      this.reschedule();
      return rows;
    });
    p.finally(() => {
      if (this.evaluating === p) this.evaluating = null;
    }).catch(() => {});
    this.evaluating = p;
    return p;
  }

  /**
   * Called by the shared timer: re-evaluates when a state changes, else moves the countdowns.
   * @param {number} t
   */
  tick(t) {
    if (this.disposed || this.evaluating) return;
    if (this.nextChangeMs !== null && t >= this.nextChangeMs) this.evaluate(t).catch((e) => this.#error(e));
    else
      this.measure(t).then(
        () => this.render(t),
        (e) => this.#error(e),
      );
  }

  /** @param {unknown} e */
  #error(e) {
    if (this.disposed || /** @type {{ name?: string } | null | undefined} */ (e)?.name === 'AbortError') return;
    this.onError?.(e);
  }

  /**
   * Business seconds left at `t` on every running row's headline metric (one request, one call per calendar).
   * @param {number} t
   */
  async measure(t) {
    if (this.evaluatedAt === null) return;
    const gen = this.generation;
    const at = Math.floor(this.evaluatedAt / 1000) * 1000;
    /** @type {Map<string, { id: string, businessRemaining: number }[]>} */
    const byCal = new Map();
    for (const r of this.rows) {
      if ((r.state !== 'running' && r.state !== 'atRisk') || !r.calendar || r.businessRemaining == null) continue;
      let list = byCal.get(r.calendar);
      if (!list) {
        list = [];
        byCal.set(r.calendar, list);
      }
      list.push({ id: r.id, businessRemaining: r.businessRemaining });
    }
    const groups = [...byCal];
    const items = groups.map(([calendar, rows]) => ({
      calendar,
      starts: new Float64Array(rows.length).fill(at),
      ends: new Float64Array(rows.length).fill(t),
    }));
    const used = items.length
      ? await this.client.call(
          'elapsed',
          { items },
          items.flatMap((i) => [i.starts.buffer, i.ends.buffer]),
        )
      : [];
    if (gen !== this.generation || this.disposed) return;
    this.remaining.clear();
    groups.forEach(([, rows], g) => {
      rows.forEach((r, i) => {
        const u = used[g][i];
        this.remaining.set(r.id, Number.isNaN(u) ? r.businessRemaining : r.businessRemaining - u);
      });
    });
  }

  /**
   * The full result for a ticket id (asked of the worker if not there yet: undefined until it comes).
   * @param {string | number} id
   */
  result(id) {
    const key = String(id);
    const hit = this.full.get(key);
    if (hit) return hit;
    if (this.evaluatedAt !== null && this.rowById.has(key)) this.prefetch([key]);
    return undefined;
  }

  /**
   * Evaluates the full results of `ids` not yet evaluated, in one request (the rows scrolling into
   * the table); their badges update when the answer comes. Resolves when it has.
   * @param {string[]} ids
   */
  prefetch(ids) {
    if (this.evaluatedAt === null) return Promise.resolve();
    /** @type {string[]} */
    const want = [];
    for (const id of ids) {
      const key = String(id);
      if (!this.full.has(key) && !this.pendingFull.has(key) && this.rowById.has(key)) want.push(key);
    }
    if (want.length === 0) return Promise.resolve();
    for (const key of want) this.pendingFull.add(key);
    const gen = this.generation;
    const indices = want.map((key) => this.rowById.get(key).index);
    const p = this.client.call('full', { indices, nowMs: this.evaluatedAt }).then(
      (results) => {
        if (gen !== this.generation || this.disposed) return;
        want.forEach((key, i) => {
          this.full.set(key, results[i]);
          this.pendingFull.delete(key);
        });
        this.#update(new Set(want));
      },
      (e) => {
        if (gen === this.generation) for (const key of want) this.pendingFull.delete(key);
        this.#error(e);
      },
    );
    this.requests.add(p);
    p.finally(() => this.requests.delete(p));
    return p;
  }

  /** Resolves when the full results asked for so far have come (or failed). */
  async settled() {
    while (this.requests.size) await Promise.all([...this.requests]);
  }

  /**
   * Re-renders the badges of `ids`.
   * @param {Set<string>} ids
   */
  #update(ids) {
    const t = now();
    for (const b of this.badges) if (ids.has(b.ticketId)) b.update(t);
  }

  /**
   * The table row for a ticket id, or undefined.
   * @param {string | number} id
   */
  row(id) {
    return this.rowById.get(String(id));
  }

  /**
   * A tooltip's sentences for `id` at `t` (minute resolution, cached until the next evaluation);
   * asked of the worker when not cached: until the answer, the sentences it had ([] at first).
   * @param {string | number} id
   * @returns {string[] | null}
   */
  lines(id, t = now()) {
    const key = String(id);
    const r = this.full.get(key);
    if (!r || r.error) return null;
    const minute = Math.floor(t / MINUTE);
    const hit = this.linesCache.get(key);
    if (hit && hit.minute === minute) return hit.lines;
    const ask = `${key}|${minute}`;
    const row = this.rowById.get(key);
    if (row && !this.pendingLines.has(ask)) {
      this.pendingLines.add(ask);
      const gen = this.generation;
      this.client.call('explain', { index: row.index, nowMs: t }).then(
        (lines) => {
          if (gen !== this.generation || this.disposed) return;
          this.pendingLines.delete(ask);
          this.linesCache.set(key, { minute, lines });
          this.#update(new Set([key]));
        },
        (e) => {
          if (gen === this.generation) this.pendingLines.delete(ask);
          this.#error(e);
        },
      );
    }
    return hit?.lines ?? [];
  }

  /** @param {string | number} id */
  view(id, t = now(), withLines = true) {
    const key = String(id);
    return badgeView(this.result(key), t, {
      remainingNow: this.remaining.has(key) ? this.remaining.get(key) : null,
      policyName: this.policyName,
      lines: withLines ? this.lines(key, t) : null,
    });
  }

  dispose() {
    this.disposed = true;
    super.dispose();
  }
}
