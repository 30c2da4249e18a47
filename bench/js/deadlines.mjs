// 100,000 SLA deadlines — 4 business hours on Mon–Fri 09:00–17:00 Europe/Berlin with 10 holidays,
// from random creation instants in 2026 — with the Wasm batch API and with the best plain-JS
// alternative (luxon + a hand-written business-hours loop), in one Node process.
//   make bench-wasm          (or: node bench/js/deadlines.mjs [--n 100000] [--no-native])
// Prints ops/s, the ratio, that the results are identical, the boundary cost of one call per
// item vs one batch, and Wasm vs native Rust on the same starts.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { DateTime } from 'luxon';
import { Temporal } from 'temporal-polyfill';

const require = createRequire(import.meta.url);
const wasm = require('../../www/pkg-node/sla_lens.js');
const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--n') + 1]) || 100_000;
const BUDGET = 4 * 3600;
const HOLIDAYS = [
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-01',
  '2026-05-14',
  '2026-05-25',
  '2026-10-03',
  '2026-12-24',
  '2026-12-25',
  '2026-12-31',
];

export const POLICY = JSON.stringify({
  version: 1,
  id: 'bench',
  name: 'Benchmark',
  parties: { provider: { name: 'IT' }, customer: { name: 'Marketing' } },
  priorities: [{ id: 'normal', name: 'Normal' }],
  calendars: {
    berlin: {
      timeZone: 'Europe/Berlin',
      week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-17:00']])),
      holidays: HOLIDAYS.map((date) => ({ date })),
    },
  },
  targets: [{ priority: 'normal', response: '4h', calendar: 'berlin' }],
});

/** Random whole-second instants in 2026 (seeded LCG: the same on every run). */
export function starts2026(n, seed = 2026) {
  let x = seed >>> 0;
  const from = Date.UTC(2026, 0, 1) / 1000;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const y = (Math.imul(x ^ (x >>> 15), 2246822519) >>> 0) / 2 ** 32;
    out[i] = (from + Math.floor(y * 365 * 86400)) * 1000;
  }
  return out;
}

// The JS alternative: luxon for the zone, a hand-written loop over business days. Same rule as
// the engine: a budget running out exactly at a close lands on the next opening.
const holidaySet = new Set(HOLIDAYS);
export function deadlineLuxon(startMs, budgetSeconds) {
  let t = DateTime.fromMillis(startMs, { zone: 'Europe/Berlin' });
  let left = budgetSeconds * 1000;
  for (;;) {
    const day = t.startOf('day');
    if (t.weekday <= 5 && !holidaySet.has(day.toISODate())) {
      const open = day.set({ hour: 9 }).toMillis();
      const close = day.set({ hour: 17 }).toMillis();
      const from = Math.max(t.toMillis(), open);
      if (from < close) {
        if (left < close - from) return from + left;
        left -= close - from;
      }
    }
    t = day.plus({ days: 1 });
  }
}

// The same loop on the Temporal API (temporal-polyfill), what new code would reach for.
export function deadlineTemporal(startMs, budgetSeconds) {
  let t = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO('Europe/Berlin');
  let left = budgetSeconds * 1000;
  for (;;) {
    const day = t.startOfDay();
    if (t.dayOfWeek <= 5 && !holidaySet.has(day.toPlainDate().toString())) {
      const open = day.with({ hour: 9 }).epochMilliseconds;
      const close = day.with({ hour: 17 }).epochMilliseconds;
      const from = Math.max(t.epochMilliseconds, open);
      if (from < close) {
        if (left < close - from) return from + left;
        left -= close - from;
      }
    }
    t = day.add({ days: 1 });
  }
}

function time(fn, minMs = 1500) {
  fn(); // warm-up
  const runs = [];
  const t0 = performance.now();
  do {
    const a = performance.now();
    fn();
    runs.push(performance.now() - a);
  } while (performance.now() - t0 < minMs || runs.length < 3);
  runs.sort((a, b) => a - b);
  return runs[0];
}

/** One timed run after a warm-up (for the slow JS alternatives: one pass over all items). */
function once(fn, warm) {
  warm();
  const a = performance.now();
  fn();
  return performance.now() - a;
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');

async function main() {
  const engine = new wasm.SlaEngine(POLICY);
  const starts = starts2026(N);

  let wasmOut;
  const wasmMs = time(() => {
    wasmOut = engine.deadlines('berlin', starts, BUDGET);
  });
  const jsOut = new Float64Array(N);
  const jsMs = once(
    () => {
      for (let i = 0; i < N; i++) jsOut[i] = deadlineLuxon(starts[i], BUDGET);
    },
    () => {
      for (let i = 0; i < 2000; i++) deadlineLuxon(starts[i], BUDGET);
    },
  );
  const tOut = new Float64Array(N);
  const tMs = once(
    () => {
      for (let i = 0; i < N; i++) tOut[i] = deadlineTemporal(starts[i], BUDGET);
    },
    () => {
      for (let i = 0; i < 2000; i++) deadlineTemporal(starts[i], BUDGET);
    },
  );
  let diff = 0;
  for (let i = 0; i < N; i++) if (wasmOut[i] !== jsOut[i] || wasmOut[i] !== tOut[i]) diff++;
  const tOps = (N / tMs) * 1000;

  const wasmOps = (N / wasmMs) * 1000;
  const jsOps = (N / jsMs) * 1000;
  console.log(
    `deadlines: ${N.toLocaleString('en-US')} × 4 business hours, Mon–Fri 09–17 Europe/Berlin, ${HOLIDAYS.length} holidays, starts in 2026`,
  );
  console.log(
    `  wasm batch (engine.deadlines)      ${wasmMs.toFixed(1).padStart(8)} ms  ${fmt(wasmOps).padStart(12)} ops/s`,
  );
  console.log(
    `  luxon + business-hours loop        ${jsMs.toFixed(1).padStart(8)} ms  ${fmt(jsOps).padStart(12)} ops/s`,
  );
  console.log(`  temporal-polyfill + same loop      ${tMs.toFixed(1).padStart(8)} ms  ${fmt(tOps).padStart(12)} ops/s`);
  const best = Math.max(jsOps, tOps);
  console.log(
    `  ratio wasm / fastest JS            ${(wasmOps / best).toFixed(1)}×  (target ≥ 50×; vs ${best === jsOps ? 'luxon' : 'temporal-polyfill'})`,
  );
  console.log(`  results identical                  ${diff === 0 ? 'yes' : `NO: ${diff} differ`}`);

  // Boundary cost: the same deadlines, one call per item.
  const one = new Float64Array(1);
  const M = Math.min(N, 20_000);
  const perCallMs = time(() => {
    for (let i = 0; i < M; i++) {
      one[0] = starts[i];
      engine.deadlines('berlin', one, BUDGET);
    }
  });
  console.log('boundary cost');
  console.log(`  deadlines, one batch call          ${((wasmMs / N) * 1e6).toFixed(0).padStart(8)} ns/item`);
  console.log(`  deadlines, one call per item       ${((perCallMs / M) * 1e6).toFixed(0).padStart(8)} ns/item`);

  // Tickets: evaluate() converts objects with serde-wasm-bindgen; batch vs one call per ticket.
  const seed = new wasm.SlaEngine(wasm.examplePolicy('business-hours'));
  const T = 2_000;
  const tickets = Array.from({ length: T }, (_, i) => ({
    id: `T-${i}`,
    created: new Date(starts[i]).toISOString(),
    fields: { priority: i % 3 ? 'Normal' : 'Urgent', requesterGroup: 'Marketing', category: 'Printer' },
    statusHistory: [{ at: new Date(starts[i] + 3_600_000).toISOString(), from: 'New', to: 'In Progress' }],
  }));
  const now = Date.UTC(2026, 11, 31, 12);
  const batchMs = time(() => seed.evaluate(tickets, now));
  const eachMs = time(() => {
    for (const t of tickets) seed.evaluate([t], now);
  });
  const textMs = time(() => seed.evaluate(JSON.stringify(tickets), now));
  const explainMs = time(() => seed.evaluate(tickets, now, { explain: true }));
  console.log(`  evaluate, ${T} tickets in one call   ${((batchMs / T) * 1e3).toFixed(1).padStart(8)} µs/ticket`);
  console.log(`  evaluate, one call per ticket      ${((eachMs / T) * 1e3).toFixed(1).padStart(8)} µs/ticket`);
  console.log(
    `  evaluate, batch as JSON text       ${((textMs / T) * 1e3).toFixed(1).padStart(8)} µs/ticket (incl. JSON.stringify)`,
  );
  console.log(`  evaluate + explain, one call       ${((explainMs / T) * 1e3).toFixed(1).padStart(8)} µs/ticket`);

  if (!args.includes('--no-native')) {
    mkdirSync('target/bench', { recursive: true });
    writeFileSync('target/bench/starts.f64', Buffer.from(starts.buffer));
    const out = execFileSync(
      'cargo',
      ['run', '--release', '--quiet', '--no-default-features', '--example', 'native_deadlines'],
      {
        encoding: 'utf8',
        env: { ...process.env, SLA_BENCH_POLICY: POLICY },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const ns = Number(/native_ns_per_op=([\d.]+)/.exec(out)?.[1]);
    const native = new Float64Array(readFileSync('target/bench/native.f64').buffer.slice(0));
    let nd = 0;
    for (let i = 0; i < N; i++) if (native[i] !== wasmOut[i]) nd++;
    console.log('wasm vs native (same starts, Calendar::add)');
    console.log(
      `  native Rust                        ${ns.toFixed(0).padStart(8)} ns/op  ${fmt(1e9 / ns).padStart(12)} ops/s`,
    );
    console.log(
      `  wasm batch                         ${((wasmMs / N) * 1e6).toFixed(0).padStart(8)} ns/op  (${(((wasmMs / N) * 1e6) / ns).toFixed(2)}× native)`,
    );
    console.log(`  results identical                  ${nd === 0 ? 'yes' : `NO: ${nd} differ`}`);
  }
  if (diff !== 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
