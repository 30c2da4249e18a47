// One suite over every backend (see backends.mjs): the JS-visible contract of the Wasm API.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS } from './backends.mjs';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const TICKETS = [
  { id: 'A', created: '2026-11-27T08:50:00Z', fields: { priority: 'Urgent', requesterGroup: 'Marketing' } },
  { id: 7, created: Date.parse('2026-11-26T09:00:00Z'), fields: { priority: 'Normal', requesterGroup: 'Marketing' } },
  { id: 'C', created: '2026-11-27T09:00:00Z', fields: { requesterGroup: 'Sales' } },
  { id: 'D', created: 'not a date' },
];

for (const [name, loadBackend] of Object.entries(BACKENDS)) {
  describe(`Wasm API (${name})`, () => {
    let w;
    before(async () => {
      w = await loadBackend();
    });

    it('evaluates a batch and keeps bad tickets to themselves', () => {
      const e = w.SlaEngine.defaultPolicy();
      const r = e.evaluate(TICKETS, NOW);
      assert.equal(r.length, 4);
      assert.equal(r[0].evaluation.state, 'atRisk');
      assert.equal(r[0].evaluation.response.deadline, '2026-11-27T12:50:00Z');
      assert.equal(r[1].id, '7');
      assert.equal(r[1].evaluation.escalation.current.level, 1);
      assert.equal(r[2].evaluation.applicability.kind, 'notIncluded');
      assert.deepEqual(Object.keys(r[3]).sort(), ['error', 'id']);
      assert.equal(r[3].error.code, 'invalid-timestamp');
      assert.equal(r[3].error.path, '[3].created');
      e.free();
    });

    it('gives plain JSON data: objects, arrays, strings, numbers and null', () => {
      const e = w.SlaEngine.defaultPolicy();
      const r = e.evaluate(TICKETS, NOW, { explain: true });
      assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
      assert.equal(Object.getPrototypeOf(r[0].evaluation), Object.prototype);
      assert.equal(r[0].evaluation.escalation.current, null);
      assert.ok(r[0].explanation.lines.some((l) => l.includes('response due')));
    });

    it('throws a PolicyError with every diagnostic', () => {
      const bad = JSON.parse(w.examplePolicy('default'));
      bad.targets[0].response = 'soon';
      bad.atRiskPercent = 0;
      bad.colour = 'blue';
      assert.throws(
        () => new w.SlaEngine(JSON.stringify(bad)),
        (err) => {
          assert.ok(err instanceof Error);
          assert.equal(err.name, 'PolicyError');
          const codes = err.diagnostics.map((d) => d.code);
          assert.ok(codes.includes('unknown-field'), codes.join());
          assert.ok(codes.includes('invalid-duration'), codes.join());
          assert.ok(codes.includes('at-risk-out-of-range'), codes.join());
          assert.ok(err.diagnostics.every((d) => d.severity && d.message && typeof d.path === 'string'));
          return true;
        },
      );
      const v = w.validatePolicy(JSON.stringify(bad));
      assert.equal(v.ok, false);
      assert.equal(v.diagnostics.length, 3);
      assert.deepEqual(w.validatePolicy(w.examplePolicy('business-hours')), { ok: true, diagnostics: [] });
    });

    it('explains one ticket and throws TicketError for a bad one', () => {
      const e = new w.SlaEngine(w.examplePolicy('business-hours'));
      const x = e.explain(TICKETS[0], NOW);
      assert.equal(x.timeZone, 'Europe/Berlin');
      assert.ok(x.segments.length > 0);
      assert.ok(x.lines.length > 0);
      assert.throws(
        () => e.explain(TICKETS[3], NOW),
        (err) => err.name === 'TicketError' && err.code === 'invalid-timestamp' && err.ticketId === 'D',
      );
    });

    it('nextChange says when to re-evaluate, in epoch ms', () => {
      const e = w.SlaEngine.defaultPolicy();
      const r = e.evaluate(TICKETS, NOW);
      assert.equal(e.nextChange(r, NOW), Date.parse('2026-11-27T12:50:01Z'));
      assert.equal(e.nextChange(r.map((x) => x.evaluation).filter(Boolean), NOW), Date.parse('2026-11-27T12:50:01Z'));
      assert.equal(e.nextChange([], NOW), null);
      const later = NOW + 3 * 3600_000;
      assert.equal(e.nextChange(r, later), later);
    });

    it('computes deadlines and elapsed business time over typed arrays', () => {
      const e = new w.SlaEngine(w.examplePolicy('business-hours'));
      const starts = new Float64Array([Date.parse('2026-11-27T15:00:00Z'), Date.parse('2026-12-24T08:00:00Z')]);
      const due = e.deadlines('berlin-office', starts, 4 * 3600);
      assert.ok(due instanceof Float64Array);
      // Fri 16:00 + 4h: 1h Friday, 3h Monday. Thu 24 Dec (half day 09-12) + 4h: 3h, then the
      // 25th and 26th are holidays and the 27th a Sunday: Mon 28 Dec 10:00.
      assert.deepEqual(
        [...due].map((t) => new Date(t).toISOString()),
        ['2026-11-30T11:00:00.000Z', '2026-12-28T09:00:00.000Z'],
      );
      const used = e.elapsed('berlin-office', starts, due);
      assert.deepEqual([...used], [4 * 3600, 4 * 3600]);
      assert.throws(() => e.deadlines('nope', starts, 1), /no calendar named `nope`/);
      assert.throws(() => e.elapsed('24x7', starts, new Float64Array(1)), /one end per start/);
      assert.ok(Number.isNaN(e.deadlines('24x7', new Float64Array([NaN]), 1)[0]));
    });

    it('reports on an export text ticket by ticket with the figures of the same tickets as objects', async () => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(new URL('../../www/demo-data/export-2000.json', import.meta.url), 'utf8');
      const doc = JSON.parse(text);
      const list = Array.isArray(doc) ? doc : doc.tickets;
      const e = w.SlaEngine.defaultPolicy();
      const opts = { nowMs: NOW, from: '2026-01-01', to: '2026-10-31' };
      // The text is read, evaluated and counted one ticket at a time; objects go through a list.
      const streamed = e.report(text, opts);
      assert.deepEqual(streamed, e.report(list, opts));
      assert.ok(streamed.tickets.inScope > 500 && streamed.breaches.length > 10, JSON.stringify(streamed.tickets));
      // A list the one-pass reader gives up on part way (a fractional id, which serde reads)
      // is read again from the start: every ticket counted once.
      const odd = [
        ...list.slice(0, 300),
        { id: 'x' },
        { id: 1.5, created: '2026-03-01T09:00:00Z' },
        ...list.slice(300, 400),
      ];
      const r = e.report(JSON.stringify(odd), opts);
      assert.deepEqual(r, e.report(odd, opts));
      assert.equal(r.tickets.read, 402);
      assert.deepEqual(
        r.unreadable.map((u) => [u.id, u.code]),
        [['x', 'missing-created']],
      );
      // The bytes fetched (`Uint8Array`) give the text's report, whichever character the copy's
      // 64 KB pieces cut (titles of 3- and 4-byte characters across the first cut, shifted by
      // 0–3 bytes of leading space); bytes that are not UTF-8 are refused.
      const enc = new TextEncoder();
      const wide = [{ ...list[0], title: '€'.repeat(15000) + '😀'.repeat(6000) }, ...list.slice(1, 50)];
      for (const pad of ['', ' ', '  ', '   ']) {
        const t = pad + JSON.stringify(wide);
        const fromBytes = e.report(enc.encode(t), opts);
        assert.deepEqual(fromBytes, e.report(t, opts));
        assert.equal(fromBytes.tickets.read, 50);
      }
      assert.deepEqual(e.report(enc.encode(text), opts), streamed);
      assert.equal(e.reportMarkdown(enc.encode(text), opts), e.reportMarkdown(text, opts));
      const bad = enc.encode(JSON.stringify(list.slice(0, 2)));
      bad[20] = 0xff;
      assert.throws(() => e.report(bad, opts), /not UTF-8 text/);
      // A bad list is reported before a bad period, as for objects.
      assert.throws(
        () => e.report('[{"id": 1,', { nowMs: NOW, from: '2026-02-01', to: '2026-01-01' }),
        /not valid JSON/,
      );
      assert.throws(
        () => e.report('[]', { nowMs: NOW, from: '2026-02-01', to: '2026-01-01' }),
        (err) => err.code === 'empty-period',
      );
      e.free();
    });
  });
}

// The engine module (www/pkg-engine, built without feature `full`): the same engine, without the
// tracker, export, CSV and report bindings.
describe('engine module (www/pkg-engine)', () => {
  let engineGlue;
  let full;
  before(async () => {
    const { readFile } = await import('node:fs/promises');
    const www = new URL('../../www/', import.meta.url);
    engineGlue = await import(new URL('pkg-engine/sla_lens.js', www));
    await engineGlue.default({ module_or_path: await readFile(new URL('pkg-engine/sla_lens_bg.wasm', www)) });
    full = await BACKENDS.nodejs();
  });

  it("gives the full module's results for evaluate, explain, nextChange and rows", () => {
    const a = engineGlue.SlaEngine.defaultPolicy();
    const b = full.SlaEngine.defaultPolicy();
    const ra = a.evaluate(TICKETS, NOW, { explain: true });
    assert.deepEqual(ra, b.evaluate(TICKETS, NOW, { explain: true }));
    assert.equal(ra[0].evaluation.state, 'atRisk');
    assert.deepEqual(a.explain(TICKETS[1], NOW), b.explain(TICKETS[1], NOW));
    assert.equal(a.nextChange(ra, NOW), b.nextChange(b.evaluate(TICKETS, NOW), NOW));
    const text = JSON.stringify(TICKETS);
    const rows = a.evaluateRows(text, NOW);
    const other = b.evaluateRows(text, NOW);
    assert.deepEqual([...rows.numbers], [...other.numbers]);
    assert.deepEqual({ ...rows, numbers: null }, { ...other, numbers: null });
    assert.ok(rows.numbers.length > 0 && rows.errors.length === 1);
    assert.deepEqual(engineGlue.validatePolicy('{}'), full.validatePolicy('{}'));
    assert.equal(engineGlue.examplePolicy('business-hours'), full.examplePolicy('business-hours'));
    a.free();
    b.free();
  });

  it('has none of the tracker, export, CSV or report bindings', () => {
    const e = engineGlue.SlaEngine.defaultPolicy();
    for (const name of ['mapExport', 'mapResponses', 'mapCsv', 'detectPage', 'issueLinks', 'validateSite']) {
      assert.equal(typeof engineGlue[name], 'undefined', name);
      assert.equal(typeof full[name], 'function', name);
    }
    for (const name of ['report', 'reportMarkdown', 'reportCsv']) assert.equal(typeof e[name], 'undefined', name);
    e.free();
  });
});

// The fast module (www/pkg/sla_lens_fast_bg.wasm: the full module at opt-level 3, what the
// dashboards load): the suite above runs over it as the `fast` backend; here its report and rows
// of the demo export are held to the small module's, and the shim's FAST_MODULE to the file.
describe('fast module (www/pkg/sla_lens_fast_bg.wasm)', () => {
  let fast;
  let small;
  before(async () => {
    fast = await BACKENDS.fast();
    small = await BACKENDS.web();
  });

  it("gives the small module's report and rows for the demo export, byte for byte", async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../www/demo-data/export-2000.json', import.meta.url), 'utf8');
    const a = fast.SlaEngine.defaultPolicy();
    const b = small.SlaEngine.defaultPolicy();
    const opts = { nowMs: NOW, from: '2025-12-01', to: '2026-11-26' };
    const report = JSON.stringify(a.report(text, opts));
    assert.equal(report, JSON.stringify(b.report(text, opts)));
    assert.ok(JSON.parse(report).tickets.inScope > 1000);
    assert.equal(a.reportMarkdown(text, opts), b.reportMarkdown(text, opts));
    const rows = a.evaluateRows(text, NOW);
    const other = b.evaluateRows(text, NOW);
    assert.deepEqual([...rows.numbers], [...other.numbers]);
    assert.deepEqual({ ...rows, numbers: null }, { ...other, numbers: null });
    a.free();
    b.free();
  });

  it('is the file the shim names as FAST_MODULE, and differs from the small one', async () => {
    const { readFile, stat } = await import('node:fs/promises');
    const { FAST_MODULE } = await import('../../www/sla-lens.js');
    const www = new URL('../../www/', import.meta.url);
    assert.equal(FAST_MODULE.href, new URL('pkg/sla_lens_fast_bg.wasm', www).href);
    const [f, s] = await Promise.all([readFile(FAST_MODULE), readFile(new URL('pkg/sla_lens_bg.wasm', www))]);
    assert.ok(!f.equals(s), 'a build of its own');
    assert.ok((await stat(FAST_MODULE)).size > s.length, 'opt-level 3 is the bigger build');
  });
});
