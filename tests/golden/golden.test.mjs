// Golden suite: the native CLI and the Wasm API give identical results for the same policies,
// tickets and `now`. The same files (tests/golden/cases.json) drive both.
//   make test-golden   (needs `make wasm` and `make cli`)
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = process.env.SLA_LENS_BIN ?? join(ROOT, 'target/release/sla-lens');
const wasm = require('../../www/pkg-node/sla_lens.js');
const cases = JSON.parse(readFileSync(join(ROOT, 'tests/golden/cases.json'), 'utf8'));
const text = (p) => readFileSync(join(ROOT, p), 'utf8');
const cli = (args, input) => execFileSync(BIN, args, { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 64 << 20 });
/** JSON data as both sides print it (drops undefined, normalises -0 and numbers). */
const plain = (v) => JSON.parse(JSON.stringify(v));

describe('native CLI and Wasm API agree on evaluations', () => {
  for (const c of cases.evaluate) {
    for (const now of c.now) {
      it(`${c.policy} × ${c.tickets} at ${now}`, () => {
        const native = JSON.parse(cli(['eval', '--explain', '--policy', c.policy, '--now', now, c.tickets]));
        const engine = new wasm.SlaEngine(text(c.policy));
        const results = engine.evaluate(text(c.tickets), Date.parse(now), { explain: true });
        assert.equal(native.policy, engine.id);
        assert.ok(native.results.length > 0);
        assert.deepEqual(plain(results), native.results);
        // The object form of the same tickets gives the same results as the text form.
        const objects = engine.evaluate(JSON.parse(text(c.tickets)), Date.parse(now), { explain: true });
        assert.deepEqual(plain(objects), native.results);
        engine.free();
      });
    }
  }
});

/** Deterministic pseudo-random starts in 2026 (LCG), durations and ends. */
function* samples(n, seed = 7) {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const y2026 = Date.parse('2026-01-01T00:00:00Z');
  const durations = [0, 1, 59, 3600, 4 * 3600, 8 * 3600 + 1, 16 * 3600, 40 * 3600, 7 * 86400];
  for (let i = 0; i < n; i++) {
    const start = y2026 + Math.floor(next() * 365 * 86400) * 1000;
    const duration = durations[Math.floor(next() * durations.length)];
    const end = start + Math.floor(next() * 10 * 86400) * 1000;
    yield { start, duration, end };
  }
}

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('native CLI and Wasm API agree on calendar arithmetic', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-golden-'));
  });
  for (const c of cases.calendars) {
    it(`${c.calendar} of ${c.policy}: ${c.cases} deadlines and elapsed times`, () => {
      const policyText = text(c.policy);
      let calArg = '24x7';
      if (c.calendar !== '24x7') {
        calArg = join(dir, `${c.calendar}.json`);
        writeFileSync(calArg, JSON.stringify(JSON.parse(policyText).calendars[c.calendar]));
      }
      const rows = [...samples(c.cases)];
      const lines = (objs) => `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`;
      const nativeDue = cli(
        ['deadline', '--calendar', calArg],
        lines(rows.map((r) => ({ start: iso(r.start), duration: r.duration }))),
      )
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).deadline);
      const nativeUsed = cli(
        ['elapsed', '--calendar', calArg],
        lines(rows.map((r) => ({ start: iso(r.start), end: iso(r.end) }))),
      )
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seconds);
      const engine = new wasm.SlaEngine(policyText);
      const starts = Float64Array.from(rows, (r) => r.start);
      const due = engine.deadlines(
        c.calendar,
        starts,
        Float64Array.from(rows, (r) => r.duration),
      );
      const used = engine.elapsed(
        c.calendar,
        starts,
        Float64Array.from(rows, (r) => r.end),
      );
      assert.deepEqual([...due].map(iso), nativeDue);
      assert.deepEqual([...used], nativeUsed);
      engine.free();
    });
  }
});
