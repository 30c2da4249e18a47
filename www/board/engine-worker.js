// @ts-check
// The dashboards' heavy engine calls, off the page's main thread: a module Worker that loads the
// same Wasm module and glue as the page would (www/pkg, the fast build) and answers one request
// at a time. `<sla-review>` computes its report here, and `<sla-board>` reads its export and
// evaluates its rows here, so a big export never freezes the page (BENCHMARKS.md, "Dashboard").
//
//   const w = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
//   w.postMessage({ id: 0, op: 'init', module: url });   // optional: start compiling the module
//   w.postMessage({ id: 1, op: 'load', policy: text | null, tickets: text | bytes });
//   w.postMessage({ id: 2, op: 'report' | 'reportCsv' | 'reportMarkdown', options: {nowMs, from, to, tracker} });
//   // answers: { id, result } or { id, error: { name, message, code?, diagnostics? } }
//
// `<sla-board>`'s session: the export is read here and stays here; the page gets table rows.
//   { op: 'loadBoard', policy, tickets: text | bytes | ticket objects, tracker, mapping }
//     → { name, policyText, priorityRanks, count, mapErrors, unknown, csv }  (the export parsed or mapped)
//   { op: 'rows', nowMs }            → evaluateRows' columnar rows (the Float64Array transferred),
//                                      `raw`: the inputs' fields the rows fall back on, and what
//                                      is slow on 100,000 rows: `order`, the rows' positions most
//                                      urgent first (board-model.js `sortRows` by 'sla'), and the
//                                      filters' `facets` (board-model.js `facets`)
//   { op: 'full', indices, nowMs }   → full results (engine.evaluate) of those tickets
//   { op: 'explain', index, nowMs }  → one ticket's explanation sentences ([] when it has none)
//   { op: 'elapsed', items: [{calendar, starts, ends}] } → business seconds per item (transferred)
//
// A `module` in a request: a compiled WebAssembly.Module (the page compiles it once for all its
// boards) or the module's URL. One engine and one export per worker (each element owns its
// worker); `load` and `loadBoard` replace them.

import init, * as wasm from '../pkg/sla_lens.js';
import { rowsFromBatch, markUnknown, compareUrgency, facets } from './board-model.js';

/** @type {Promise<wasm.InitOutput> | null} */
let ready = null;
/** @type {wasm.SlaEngine | null} */
let engine = null;
/** @type {wasm.TicketInput[] | string | string[] | Uint8Array | null} */
let tickets = null;
/**
 * The board session: `{ tickets, text, unknown, ranks }` (an export read here).
 * @type {{ tickets: wasm.TicketInput[], text: string | null, unknown: wasm.MappedCsv['unknown'], ranks: Map<string, number> } | null}
 */
let board = null;
/**
 * Buffers the current answer transfers instead of copying.
 * @type {Transferable[]}
 */
let transfer = [];

/**
 * A request from the page (engine-client.js `call`): `id`, `op` and the operation's fields.
 * @typedef {{
 *   id: number, op: string, module?: WebAssembly.Module, policy?: string | null,
 *   tickets: wasm.TicketInput[] | string | Uint8Array, tracker?: string | null,
 *   mapping?: wasm.CsvMappingInput, options: wasm.ReportOptions, nowMs: number,
 *   indices: number[], index: number,
 *   items: { calendar: string, starts: Float64Array, ends: Float64Array }[]
 * }} Request
 *
 * What is thrown: an `Error`, or the engine's errors with `code` and `diagnostics`.
 * @typedef {{ name?: string, message?: string, code?: string, diagnostics?: wasm.Diagnostic[] } | null | undefined} Thrown
 */

/**
 * `e`'s message with its diagnostics, one a line (`what`: a diagnostic's place when it has no path).
 * @param {unknown} e
 * @param {string} what
 */
function withDiagnostics(e, what) {
  const x = /** @type {Thrown} */ (e);
  return `${x?.message ?? e}${x?.diagnostics ? `\n${x.diagnostics.map((d) => `${d.path || what}: ${d.message}`).join('\n')}` : ''}`;
}

/**
 * Reads a board's export: canonical tickets, a tracker's REST export or a CSV export.
 * @param {Request} msg
 */
function readBoard(msg) {
  const { tracker, tickets: source } = msg;
  if (Array.isArray(source)) return { tickets: source, text: null, mapErrors: [], unknown: [], csv: null };
  if (/-csv$/i.test(tracker ?? '')) {
    let mapped;
    try {
      // The engine refuses a format it does not know.
      mapped = wasm.mapCsv(
        /** @type {wasm.CsvFormatName} */ ((tracker ?? '').toLowerCase()),
        source,
        msg.mapping ?? {},
      );
    } catch (e) {
      const zoneHint = /** @type {Partial<wasm.MappingError> | null | undefined} */ (e)?.diagnostics?.some(
        (d) => d.code === 'mapping-time-zone-missing',
      )
        ? '\n(Give the time-zone attribute.)'
        : '';
      throw new Error(`The CSV export could not be read: ${withDiagnostics(e, '(mapping)')}${zoneHint}`);
    }
    const { tickets: list, errors, unknown, ...how } = mapped;
    return { tickets: list, text: null, mapErrors: errors, unknown, csv: { ...how, unknown, count: list.length } };
  }
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  if (tracker) {
    const mapped = wasm.mapExport(/** @type {wasm.TrackerName} */ (tracker), text); // the engine refuses other names
    return { tickets: mapped.tickets, text: null, mapErrors: mapped.errors, unknown: mapped.unknown ?? [], csv: null };
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `The issues are not JSON: ${/** @type {SyntaxError} */ (e).message}. For a tracker's own export, add tracker="redmine|github|gitlab|jira".`,
    );
  }
  const list = Array.isArray(doc) ? doc : Array.isArray(doc?.tickets) ? doc.tickets : null;
  if (!list)
    throw new Error(
      'The issues must be a JSON array of tickets or {"tickets": [...]}; for a tracker\'s own export add tracker="redmine|github|gitlab|jira".',
    );
  return { tickets: list, text, mapErrors: [], unknown: [], csv: null };
}

/**
 * A typed array's buffer to transfer, when the array owns all of it (never Wasm memory).
 * @template {Float64Array | Int32Array} A
 * @param {A} a
 */
function own(a) {
  if (
    a &&
    a.byteOffset === 0 &&
    a.byteLength === a.buffer.byteLength &&
    !(typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer)
  )
    transfer.push(a.buffer);
  return a;
}

/** @param {unknown} v */
function str(v) {
  if (v == null) return '';
  if (Array.isArray(v)) return v.map(String).join(', ');
  return String(v);
}

/**
 * What a row falls back on when its evaluation leaves it open (board-model.js `rowsFromBatch`:
 * the raw priority, category and status), by ticket index: only for the rows that need it.
 */
/**
 * @param {wasm.BoardRows} batch
 * @param {wasm.TicketInput[]} tickets
 */
function rawFields(batch, tickets) {
  const { fields, numbers } = batch;
  const k = fields.length;
  const col = Object.fromEntries(fields.map((f, i) => [f, i]));
  /** @type {Record<number, { fields: { priority: string, category: string }, status: string }>} */
  const raw = {};
  for (let b = 0; b < numbers.length; b += k) {
    if (numbers[b + col.priorityName] >= 0 && numbers[b + col.categoryName] >= 0 && numbers[b + col.status] >= 0)
      continue;
    const index = numbers[b + col.index];
    const t = tickets[index] ?? {};
    const f = t.fields ?? {};
    raw[index] = { fields: { priority: str(f.priority), category: str(f.category) }, status: str(t.status) };
  }
  return raw;
}

/**
 * The policy's priorities in its order (name, else id → position): the table's priority order.
 * @param {string} text
 */
function priorityRanks(text) {
  /** @type {Map<string, number>} */
  const ranks = new Map();
  try {
    const spec = JSON.parse(text);
    (spec.priorities ?? []).forEach((/** @type {{ id: string, name?: string }} */ p, /** @type {number} */ i) => {
      ranks.set(p.name ?? p.id, i);
    });
  } catch {
    /* the engine read it; ranks stay alphabetical */
  }
  return ranks;
}

/** The engine and the board `loadBoard` read. */
function needBoard() {
  if (!engine || !board) throw new Error('engine-worker: load a board first');
  return { engine, board };
}

/** The engine and the tickets `load` gave (the report operations). */
function needTickets() {
  if (!engine || tickets == null) throw new Error('engine-worker: load a policy and an export first');
  return { engine, tickets };
}

/** The operations, by `op`. */
const OPS = {
  /** Only loads the module (a page sends it first, while it fetches the export). */
  init: () => null,
  /** @param {Request} msg */
  load(msg) {
    engine?.free?.();
    engine = null;
    board = null;
    engine = new wasm.SlaEngine(msg.policy ?? wasm.examplePolicy('default'));
    tickets = msg.tickets;
    return { name: engine.name };
  },
  report: (/** @type {Request} */ msg) => {
    const { engine, tickets } = needTickets();
    return engine.report(tickets, msg.options);
  },
  reportCsv: (/** @type {Request} */ msg) => {
    const { engine, tickets } = needTickets();
    return engine.reportCsv(tickets, msg.options);
  },
  reportMarkdown: (/** @type {Request} */ msg) => {
    const { engine, tickets } = needTickets();
    return engine.reportMarkdown(tickets, msg.options);
  },
  /** @param {Request} msg */
  loadBoard(msg) {
    engine?.free?.();
    engine = null;
    board = null;
    tickets = null;
    const policyText = msg.policy ?? wasm.examplePolicy('default');
    let next;
    try {
      next = new wasm.SlaEngine(policyText);
    } catch (e) {
      throw new Error(`The policy could not be loaded: ${withDiagnostics(e, '(document)')}`);
    }
    const read = readBoard(msg);
    engine = next;
    board = { tickets: read.tickets, text: read.text, unknown: read.unknown, ranks: priorityRanks(policyText) };
    return {
      name: next.name,
      policyText,
      priorityRanks: [...board.ranks],
      count: read.tickets.length,
      mapErrors: read.mapErrors,
      unknown: read.unknown,
      csv: read.csv,
    };
  },
  /** @param {Request} msg */
  rows(msg) {
    const { engine, board } = needBoard();
    const batch = engine.evaluateRows(board.text ?? board.tickets, msg.nowMs);
    // The rows as the page makes them (sla-board.js #rebuild), to sort them and count the facets here.
    const { rows } = rowsFromBatch(batch, board.tickets);
    for (const r of rows) r.priorityRank = board.ranks.get(r.priority) ?? 99;
    markUnknown(rows, board.unknown);
    const order = rows.map((_, i) => i);
    order.sort((x, y) => compareUrgency(rows[x], rows[y]) || rows[x].index - rows[y].index);
    const raw = rawFields(batch, board.tickets);
    const out = {
      fields: batch.fields,
      stringFields: batch.stringFields,
      numbers: own(batch.numbers),
      strings: batch.strings,
      errors: batch.errors,
      nextChange: batch.nextChange,
    };
    return { batch: out, raw, order: own(Int32Array.from(order)), facets: facets(rows) };
  },
  /** @param {Request} msg */
  full(msg) {
    const { engine, board } = needBoard();
    return engine.evaluate(
      msg.indices.map((i) => board.tickets[i]),
      msg.nowMs,
    );
  },
  /** @param {Request} msg */
  explain(msg) {
    const { engine, board } = needBoard();
    try {
      return engine.explain(board.tickets[msg.index], msg.nowMs).lines;
    } catch {
      return [];
    }
  },
  /** @param {Request} msg */
  elapsed(msg) {
    const { engine } = needBoard();
    return msg.items.map((it) => own(engine.elapsed(it.calendar, it.starts, it.ends)));
  },
};

/**
 * An error as data: an `Error`'s own properties (diagnostics, code) do not survive cloning.
 * @param {unknown} e
 */
function plain(e) {
  const x = /** @type {Thrown} */ (e);
  return {
    name: x?.name ?? 'Error',
    message: x?.message ?? String(e),
    ...(x?.code !== undefined ? { code: x.code } : {}),
    ...(x?.diagnostics !== undefined ? { diagnostics: x.diagnostics } : {}),
  };
}

self.addEventListener('message', async (/** @type {MessageEvent<Request>} */ { data: msg }) => {
  try {
    if (!ready) {
      ready = init({ module_or_path: msg.module ?? new URL('../pkg/sla_lens_fast_bg.wasm', import.meta.url) });
      ready.catch(() => {
        ready = null; // the next request tries again
      });
    }
    await ready;
    // Own keys only: "toString" names no operation.
    const op = Object.hasOwn(OPS, msg.op) ? OPS[/** @type {keyof typeof OPS} */ (msg.op)] : undefined;
    if (!op) throw new Error(`engine-worker: no operation "${msg.op}"`);
    if (msg.op !== 'load' && msg.op !== 'loadBoard' && msg.op !== 'init' && !engine)
      throw new Error('engine-worker: load a policy and an export first');
    transfer = [];
    const result = op(msg);
    // @ts-expect-error the DOM lib types `self` as a Window (postMessage's second argument the
    // target origin); here it is a worker's global scope, whose second argument is the transfer list.
    self.postMessage({ id: msg.id, result }, transfer);
  } catch (e) {
    self.postMessage({ id: msg.id, error: plain(e) });
  } finally {
    transfer = [];
  }
});
