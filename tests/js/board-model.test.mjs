// The <sla-board> table's pure parts: rows, urgency, sorting, filtering, grouping, search,
// windowing and formatting (www/board/board-model.js), and the report view's figure helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  toRow,
  rowsFromBatch,
  batchColumn,
  sortRows,
  filterRows,
  facets,
  groupRows,
  flatten,
  windowFor,
  compareUrgency,
  toneTotals,
  formatPercent,
  formatSeconds,
  formatMonth,
  formatDateTime,
  csvField,
  toCsv,
  fold,
  markUnknown,
  facetLabel,
} from '../../www/board/board-model.js';
import { niceTicks, scale, bucketOf, TIME_BUCKETS } from '../../www/board/charts.js';
import { createRequire } from 'node:module';

const ev = (
  state,
  { remaining = null, level = 0, priority = 'Normal', category = 'Network', status = 'New' } = {},
) => ({
  state,
  headline: 'response',
  priority: { name: priority },
  category: { name: category },
  status,
  response: { untilDeadline: remaining, remaining, start: '2026-11-27T10:00:00Z' },
  resolution: {},
  escalation: { current: level ? { level, role: 'IT manager' } : null },
});
const mk = (id, state, opts = {}, ticket = {}) =>
  toRow(
    { id, title: `Ticket ${id}`, created: '2026-11-27T10:00:00Z', assignee: opts.assignee, ...ticket },
    { id, evaluation: ev(state, opts) },
    Number(id),
  );

const rows = [
  mk('1', 'met'),
  mk('2', 'running', { remaining: 3600 }),
  mk('3', 'breached', { remaining: -60, level: 1 }),
  mk('4', 'breached', { remaining: -7200, level: 2, priority: 'Critical' }),
  mk('5', 'atRisk', { remaining: 600, assignee: 'it-ana' }),
  mk('6', 'paused', { remaining: 9000, category: 'Hardware' }),
  mk('7', 'notApplicable'),
  mk('8', 'metLate', { category: 'Hardware' }),
  mk('10', 'running', { remaining: 60 }),
];

test('toRow reads the evaluation and falls back to the ticket', () => {
  const r = rows[3];
  assert.equal(r.id, '4');
  assert.equal(r.priority, 'Critical');
  assert.equal(r.level, 2);
  assert.equal(r.remaining, -7200);
  assert.equal(r.assignee, 'Unassigned');
  assert.equal(r.created, Date.parse('2026-11-27T10:00:00Z'));
  const bad = toRow(
    { id: 'x' },
    { id: 'x', error: { code: 'missing-field', path: '[0].created', message: 'no created' } },
    0,
  );
  assert.equal(bad.state, 'error');
  assert.equal(bad.error.code, 'missing-field');
  const plain = toRow(
    { id: 9, created: 'nope', fields: { priority: 'Low', category: ['A', 'B'] } },
    { id: '9', evaluation: null },
    0,
  );
  assert.deepEqual([plain.priority, plain.category, plain.created], ['Low', 'A, B', null]);
});

test('urgency: breached (most overdue first), at risk / running by time left, paused, met late, met, out of scope', () => {
  assert.deepEqual(
    sortRows(rows, { key: 'sla', dir: 'asc' }).map((r) => r.id),
    ['4', '3', '5', '10', '2', '6', '8', '1', '7'],
  );
  assert.deepEqual(
    sortRows(rows, { key: 'sla', dir: 'desc' })
      .map((r) => r.id)
      .slice(0, 2),
    ['7', '1'],
  );
  assert.ok(compareUrgency(rows[2], rows[1]) < 0);
});

test('sort by any column; ids sort numerically; stable', () => {
  assert.deepEqual(
    sortRows(rows, { key: 'id', dir: 'asc' }).map((r) => r.id),
    ['1', '2', '3', '4', '5', '6', '7', '8', '10'],
  );
  assert.deepEqual(sortRows(rows, { key: 'id', dir: 'desc' }).map((r) => r.id)[0], '10');
  assert.deepEqual(
    sortRows(rows, { key: 'level', dir: 'desc' })
      .map((r) => r.id)
      .slice(0, 2),
    ['4', '3'],
  );
  const byCat = sortRows(rows, { key: 'category', dir: 'asc' }).map((r) => r.category);
  assert.deepEqual(byCat, [...byCat].sort());
  assert.equal(sortRows(rows, { key: 'assignee', dir: 'asc' })[0].assignee, 'it-ana');
  const ranked = rows.map((r) => ({ ...r, priorityRank: r.priority === 'Critical' ? 0 : 1 }));
  assert.equal(sortRows(ranked, { key: 'priority', dir: 'asc' })[0].id, '4');
});

test('filters by facet, search across fields (case and accent insensitive)', () => {
  assert.deepEqual(
    filterRows(rows, { state: 'breached' }).map((r) => r.id),
    ['3', '4'],
  );
  assert.deepEqual(
    filterRows(rows, { level: '2' }).map((r) => r.id),
    ['4'],
  );
  assert.deepEqual(
    filterRows(rows, { category: 'Hardware', state: 'paused' }).map((r) => r.id),
    ['6'],
  );
  assert.deepEqual(filterRows(rows, { priority: '' }).length, rows.length);
  assert.deepEqual(
    filterRows(rows, {}, 'IT-ANA').map((r) => r.id),
    ['5'],
  );
  assert.deepEqual(
    filterRows(rows, {}, 'ticket 10').map((r) => r.id),
    ['10'],
  );
  assert.deepEqual(
    filterRows(rows, {}, 'breached critical').map((r) => r.id),
    ['4'],
  );
  assert.equal(fold('Café Ärger'), 'cafe arger');
});

test('facets count values in a useful order; groups keep the sort order', () => {
  const f = facets(rows);
  assert.deepEqual(
    f.state.map((x) => x.value),
    ['breached', 'atRisk', 'running', 'paused', 'metLate', 'met', 'notApplicable'],
  );
  assert.deepEqual(
    f.state.find((x) => x.value === 'running'),
    { value: 'running', label: 'On track', count: 2 },
  );
  assert.deepEqual(
    f.level.map((x) => x.label),
    ['Not escalated', 'Level 1', 'Level 2'],
  );
  const sorted = sortRows(rows, { key: 'sla' });
  const groups = groupRows(sorted, 'category');
  assert.deepEqual(
    groups.map((g) => [g.label, g.rows.length]),
    [
      ['Hardware', 2],
      ['Network', 7],
    ],
  );
  assert.deepEqual(groups[1].rows.map((r) => r.id).slice(0, 2), ['4', '3']);
  assert.equal(groups[1].states.breached, 2);
  const items = flatten(sorted, 'category', new Set(['Hardware']));
  assert.deepEqual(
    items.slice(0, 2).map((i) => i.type),
    ['group', 'group'],
  );
  assert.equal(items.length, 2 + 7);
  assert.equal(flatten(sorted, '').length, rows.length);
  assert.deepEqual(toneTotals(rows), {
    met: 1,
    'on-track': 2,
    breached: 2,
    'at-risk': 1,
    paused: 1,
    'out-of-scope': 1,
    'met-late': 1,
  });
});

test('virtual window: only the visible rows plus overscan', () => {
  assert.deepEqual(windowFor(0, 440, 44, 10000, 5), { first: 0, last: 15 });
  assert.deepEqual(windowFor(44 * 5000, 440, 44, 10000, 5), { first: 4995, last: 5015 });
  assert.deepEqual(windowFor(44 * 20000, 440, 44, 10000, 5), { first: 19995, last: 19995 });
});

test('formatting', () => {
  assert.equal(formatPercent(85.2987), '85.3 %');
  assert.equal(formatPercent(100), '100.0 %');
  assert.equal(formatPercent(null), '—');
  assert.equal(formatSeconds(8580), '2h 23m');
  assert.equal(formatSeconds(30), '30s');
  assert.equal(formatSeconds(null), '—');
  assert.equal(formatMonth('2026-11'), 'Nov 2026');
  assert.equal(formatDateTime(Date.parse('2026-11-27T07:14:09Z')), '27 Nov 2026, 07:14');
  assert.equal(formatDateTime(null), '—');
  assert.equal(csvField('a,"b"'), '"a,""b"""');
  assert.equal(toCsv(['x', 'y'], [[1, 'two\nlines']]), 'x,y\r\n1,"two\nlines"\r\n');
});

test('CSV fields never start a formula (the table src/report/render.rs is held to); numbers stay numbers', () => {
  const { cases } = JSON.parse(readFileSync(new URL('../hostile/csv-fields.json', import.meta.url), 'utf8'));
  for (const [raw, out] of cases) assert.equal(csvField(raw), out, JSON.stringify(raw));
  assert.equal(csvField(-3600), '-3600');
  assert.equal(csvField(-0.25), '-0.25');
  assert.equal(
    toCsv(['title', 'remaining'], [["=cmd|' /C calc'!A0", -60]]),
    "title,remaining\r\n\"'=cmd|' /C calc'!A0\",-60\r\n",
  );
});

test('chart helpers: nice ticks, scales, response-time buckets', () => {
  assert.deepEqual(niceTicks(52), [0, 20, 40, 60]);
  assert.deepEqual(niceTicks(177), [0, 50, 100, 150, 200]);
  assert.deepEqual(niceTicks(0), [0, 1]);
  assert.equal(scale(0, 100, 200, 0)(25), 150);
});

test("the distribution chart's buckets are the report's: labels for the engine's bounds, counts from the engine", () => {
  const wasm = createRequire(import.meta.url)('../../www/pkg-node/sla_lens.js');
  const engine = wasm.SlaEngine.defaultPolicy();
  const at = (h) => new Date(Date.parse('2026-06-01T08:00:00Z') + h * 3_600_000).toISOString();
  // Critical (24x7, 4 h): first responses after 10 min, 45 min, 3 h; normal: 30 h, 50 h; one
  // critical without a response is not counted.
  const t = (id, priority, respondedAfterH) => ({
    id,
    created: at(0),
    status: 'In Progress',
    fields: { requesterGroup: 'Marketing', project: 'marketing-it', priority },
    comments: respondedAfterH == null ? [] : [{ at: at(respondedAfterH), author: 'Aylin Demir', staff: true }],
  });
  const tickets = [
    t('1', 'Critical', 1 / 6),
    t('2', 'Critical', 0.75),
    t('3', 'Critical', 3),
    t('4', 'Normal', 30),
    t('5', 'Normal', 50),
    t('6', 'Critical', null),
  ];
  const report = engine.report(JSON.stringify(tickets), {
    nowMs: Date.parse('2026-06-10T00:00:00Z'),
    from: '2026-06-01',
    to: '2026-06-30',
  });
  const d = report.distribution;
  assert.deepEqual(
    [...d.bounds, Infinity],
    TIME_BUCKETS.map((b) => b.max),
  );
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(3600), 3);
  assert.equal(bucketOf(10 ** 9), TIME_BUCKETS.length - 1);
  const row = (id) => d.counts[report.priorities.findIndex((p) => p.id === id)];
  assert.deepEqual(row('critical'), [1, 0, 1, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(row('normal'), [0, 0, 0, 0, 0, 0, 0, 1, 1]);
  assert.equal(d.total, 5);
  assert.deepEqual(d.targets, { critical: 4 * 3600, normal: 24 * 3600 });
  engine.free();
});

test('rowsFromBatch (engine.evaluateRows) gives the rows toRow gives from full results', async () => {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const wasm = createRequire(import.meta.url)('../../www/pkg-node/sla_lens.js');
  const engine = wasm.SlaEngine.defaultPolicy();
  const text = readFileSync(new URL('../../www/demo-data/export-2000.json', import.meta.url), 'utf8');
  const doc = JSON.parse(text);
  const tickets = [...(Array.isArray(doc) ? doc : doc.tickets), { id: 'no-created' }, { id: 'bad', created: 'nope' }];
  const now = Date.parse('2026-11-27T12:00:00Z');
  const full = engine.evaluate(tickets, now);
  const { rows, errors } = rowsFromBatch(engine.evaluateRows(JSON.stringify(tickets), now), tickets);
  // `created` is the ticket's creation (toRow reads the response cycle's start, which a
  // reopened ticket moves).
  const expected = full
    .map((r, i) => ({ ...toRow(tickets[i], r, i), created: Date.parse(tickets[i].created) }))
    .filter((r) => !r.error);
  const keys = [
    'index',
    'id',
    'title',
    'url',
    'priority',
    'category',
    'status',
    'assignee',
    'created',
    'state',
    'level',
    'remaining',
  ];
  const pick = (r) => Object.fromEntries(keys.map((k) => [k, r[k]]));
  assert.equal(rows.length, expected.length);
  assert.deepEqual(rows.map(pick), expected.map(pick));
  for (const r of rows) {
    const ev = full[r.index].evaluation;
    assert.equal(r.levelRole, ev.escalation.current?.role ?? '');
    assert.equal(r.nextChange, ev.nextChange ? Date.parse(ev.nextChange) : null);
    const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
    assert.equal(r.deadline, m.deadline ? Date.parse(m.deadline) : null);
    assert.equal(r.businessRemaining, m.remaining);
  }
  assert.deepEqual(
    errors,
    full
      .map((r, index) => ({ r, index }))
      .filter(({ r }) => r.error)
      .map(({ r, index }) => ({
        id: r.error.id,
        index,
        code: r.error.code,
        path: r.error.path,
        message: r.error.message,
      })),
  );
  assert.equal(errors.length, 2);
  // The same from an array (JSON.stringify inside) and from {"tickets": [...]}.
  assert.deepEqual(rowsFromBatch(engine.evaluateRows(tickets, now), tickets).rows.map(pick), rows.map(pick));
  assert.deepEqual(
    rowsFromBatch(engine.evaluateRows(JSON.stringify({ tickets }), now), tickets).rows.length,
    rows.length,
  );
  engine.free();
});

test('markUnknown words the states the engine judged unknown, and decides none itself', () => {
  // Rows as rowsFromBatch gives them: the engine's state and, when unknown, what is missing.
  const fresh = () => rows.map((r) => ({ ...r, headline: 'response', missing: null }));
  const unknown = [
    { what: 'response', reason: 'no note times' },
    { what: 'pauses', reason: 'no status history' },
  ];
  // Nothing the engine did not judge unknown changes, whatever the export lacks.
  assert.deepEqual(markUnknown(fresh(), unknown), fresh());
  const judged = fresh();
  Object.assign(
    judged.find((r) => r.id === '3'),
    { state: 'unknown', missing: 'replies', level: -1 },
  );
  Object.assign(
    judged.find((r) => r.id === '6'),
    { state: 'unknown', missing: 'statusHistory' },
  );
  Object.assign(
    judged.find((r) => r.id === '8'),
    { state: 'unknown', missing: 'resolvedAt' },
  );
  const out = markUnknown(judged, unknown);
  const byId = Object.fromEntries(out.map((r) => [r.id, r]));
  assert.deepEqual(byId['3'].unknown, { what: 'response', reason: 'no note times' });
  assert.equal(byId['3'].remaining, null);
  assert.deepEqual(byId['6'].unknown, { what: 'pauses', reason: 'no status history' });
  // No reason in the list: the engine's fact in words.
  assert.equal(byId['8'].unknown.what, 'resolution');
  assert.match(byId['8'].unknown.reason, /does not say when/);
  assert.equal(byId['2'].unknown, undefined);
  // Unknown sorts after paused and before met late; it has its own tone and facet label.
  assert.deepEqual(
    sortRows(out, { key: 'sla' })
      .map((r) => r.state)
      .slice(-3),
    ['unknown', 'met', 'notApplicable'],
  );
  assert.equal(toneTotals(out).unknown, 3);
  assert.equal(facetLabel('state', 'unknown'), 'Unknown');
  assert.equal(facetLabel('level', -1), 'Unknown');
  assert.equal(facetLabel('level', 0), 'Not escalated');
});

test('a Redmine list export through the engine: what it cannot back is unknown, said once', async () => {
  const { readFileSync } = await import('node:fs');
  const wasm = createRequire(import.meta.url)('../../www/pkg-node/sla_lens.js');
  const engine = wasm.SlaEngine.defaultPolicy();
  const list = readFileSync(new URL('../fixtures/redmine/issues.json', import.meta.url), 'utf8');
  const mapped = wasm.mapExport('redmine', list);
  assert.deepEqual(
    mapped.unknown.map((u) => u.what),
    ['response', 'pauses'],
  );
  assert.match(mapped.unknown[0].reason, /^7 of 12 issues come without their replies/);
  const now = Date.parse('2026-11-27T12:00:00Z');
  const { rows } = rowsFromBatch(engine.evaluateRows(mapped.tickets, now), mapped.tickets);
  markUnknown(rows, mapped.unknown);
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const id of ['1', '2', '3', '6', '10', '11']) {
    assert.equal(byId[id].state, 'unknown', id);
    assert.equal(byId[id].missing, 'replies', id);
    assert.equal(byId[id].level, -1, id);
    assert.equal(byId[id].unknown.what, 'response', id);
  }
  // Never saved since creation (nothing to miss), or closed in time (closed_on): known.
  assert.deepEqual(
    ['4', '5', '9', '12'].map((id) => byId[id].state),
    ['breached', 'met', 'running', 'running'],
  );
  // With the CSV of the same issues: the same engine rule, the CSV's own reasons.
  const csv = wasm.mapCsv(
    'redmine-csv',
    readFileSync(new URL('../fixtures/redmine-csv/issues-en-all.csv', import.meta.url)),
    { timeZone: 'UTC' },
  );
  const c = rowsFromBatch(engine.evaluateRows(csv.tickets, now), csv.tickets).rows;
  markUnknown(c, csv.unknown);
  const five = c.find((r) => r.id === '5');
  assert.equal(five.state, 'met');
  const open = c.find((r) => r.id === '1');
  assert.equal(open.state, 'unknown');
  assert.match(open.unknown.reason, /no note times/);
  engine.free();
});

test('batchColumn: the one BoardRows reader reads "no string" (-1 or NaN), a NaN number and a field the build lacks as null', () => {
  const batch = {
    fields: ['id', 'calendar', 'deadlineMs'],
    stringFields: ['id', 'calendar'],
    numbers: new Float64Array([0, -1, Number.NaN, 1, Number.NaN, 5]),
    strings: ['7', 'eu'],
  };
  const id = batchColumn(batch, 'id');
  const cal = batchColumn(batch, 'calendar');
  const due = batchColumn(batch, 'deadlineMs');
  assert.deepEqual([id(0), cal(0), due(0)], ['7', null, null]);
  assert.deepEqual([id(3), cal(3), due(3)], ['eu', null, 5]);
  assert.equal(batchColumn(batch, 'level')(0), null);
});
