// The Board of <sla-board>: the batch is evaluated with `engine.evaluateRows` (what a table row
// needs: one Float64Array and a string table, no per-ticket JSON) instead of `engine.evaluate`
// (every ticket's full evaluation, ~1.2 KB of JSON each). A badge's full result is evaluated
// when the badge asks for it — only the ~30 rows on screen have one — and kept until the next
// evaluation of the batch. Same timer, countdowns and re-evaluation as the shim's Board.

import { Board, badgeView, now } from '../sla-lens.js';
import { rowsFromBatch } from './board-model.js';

const MINUTE = 60_000;

export class RowBoard extends Board {
  /**
   * @param {import('../pkg/sla_lens.js').SlaEngine} engine
   * @param {{ onEvaluate?: (rows: any[]) => void }} [options]
   */
  constructor(engine, options = {}) {
    super(engine, { ...options, explain: 'lazy' });
    /** Table rows (board-model.js `rowsFromBatch`), in batch order. */
    this.rows = [];
    /** Tickets that could not be read or evaluated: `{id, index, code, path, message}`. */
    this.errors = [];
    /** Full results evaluated on demand since the last batch evaluation, by id. */
    this.full = new Map();
    this.text = null;
    this.rowById = new Map();
  }

  /**
   * Replaces the tickets (`text`: their JSON text when the page has it, read by the engine
   * without `JSON.stringify`) and evaluates them at once.
   */
  setTickets(tickets, text = null) {
    this.text = typeof text === 'string' ? text : null;
    return super.setTickets(tickets);
  }

  evaluate(t = now()) {
    const batch = this.engine.evaluateRows(this.text ?? this.tickets, t);
    const { rows, errors } = rowsFromBatch(batch, this.tickets);
    this.rows = rows;
    this.errors = errors;
    this.evaluations += 1;
    this.evaluatedAt = t;
    this.full.clear();
    this.linesCache.clear();
    this.rowById.clear();
    this.inputs.clear();
    for (const r of rows) {
      this.rowById.set(r.id, r);
      this.inputs.set(r.id, this.tickets[r.index]);
    }
    for (const e of errors) {
      const id = String(e.id ?? this.tickets[e.index]?.id ?? e.index);
      this.full.set(id, { id: e.id, error: { id: e.id, code: e.code, path: e.path, message: e.message } });
    }
    this.results = [];
    this.remaining.clear();
    this.nextChangeMs = batch.nextChange;
    this.render(t);
    this.onEvaluate?.(rows);
    return rows;
  }

  /** Business seconds left now on every running row's headline metric (one call per calendar). */
  measure(t) {
    this.remaining.clear();
    if (this.evaluatedAt === null) return;
    const at = Math.floor(this.evaluatedAt / 1000) * 1000;
    const byCal = new Map();
    for (const r of this.rows) {
      if ((r.state !== 'running' && r.state !== 'atRisk') || !r.calendar || r.businessRemaining == null) continue;
      if (!byCal.has(r.calendar)) byCal.set(r.calendar, []);
      byCal.get(r.calendar).push(r);
    }
    for (const [cal, rows] of byCal) {
      const starts = new Float64Array(rows.length).fill(at);
      const ends = new Float64Array(rows.length).fill(t);
      const used = this.engine.elapsed(cal, starts, ends);
      rows.forEach((r, i) => {
        const u = used[i];
        this.remaining.set(r.id, Number.isNaN(u) ? r.businessRemaining : r.businessRemaining - u);
      });
    }
  }

  /** The full result for a ticket id (evaluated now if not yet), or undefined. */
  result(id) {
    const key = String(id);
    const hit = this.full.get(key);
    if (hit) return hit;
    const input = this.inputs.get(key);
    if (input === undefined || this.evaluatedAt === null) return undefined;
    const [r] = this.engine.evaluate([input], this.evaluatedAt);
    this.full.set(key, r);
    return r;
  }

  /**
   * Evaluates the full results of `ids` not yet evaluated in one engine call (the rows scrolling
   * into the table: one boundary crossing instead of one per badge).
   * @param {string[]} ids
   */
  prefetch(ids) {
    if (this.evaluatedAt === null) return;
    const want = [];
    for (const id of ids) {
      const key = String(id);
      if (!this.full.has(key) && this.inputs.has(key)) want.push(key);
    }
    if (want.length === 0) return;
    const results = this.engine.evaluate(want.map((id) => this.inputs.get(id)), this.evaluatedAt);
    want.forEach((id, i) => this.full.set(id, results[i]));
  }

  /** The table row for a ticket id, or undefined. */
  row(id) {
    return this.rowById.get(String(id));
  }

  lines(id, t = now()) {
    const key = String(id);
    const r = this.result(key);
    if (!r || r.error) return null;
    const minute = Math.floor(t / MINUTE);
    const hit = this.linesCache.get(key);
    if (hit && hit.minute === minute) return hit.lines;
    let lines = [];
    try {
      lines = this.engine.explain(this.inputs.get(key), t).lines;
    } catch {
      lines = [];
    }
    this.linesCache.set(key, { minute, lines });
    return lines;
  }

  view(id, t = now(), withLines = true) {
    const key = String(id);
    return badgeView(this.result(key), t, {
      remainingNow: this.remaining.has(key) ? this.remaining.get(key) : null,
      policyName: this.policyName,
      lines: withLines ? this.lines(key, t) : null,
    });
  }
}
