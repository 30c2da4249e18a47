// www/sla-lens.js in Node: loading once, boards, and the shared minute timer driven by
// nextChange (the custom element itself is covered in Chromium by tests/e2e).
import { describe, it, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { load, Board, setClock, timerState, isLoading } from '../../www/sla-lens.js';

const NOW = Date.parse('2026-11-27T12:00:30Z');
const bytes = () => readFile(new URL('../../www/pkg/sla_lens_bg.wasm', import.meta.url));

describe('load', () => {
  it('instantiates once from bytes and returns the same module afterwards', async () => {
    assert.equal(isLoading(), false);
    const p1 = load(await bytes());
    const p2 = load('ignored: already loading');
    assert.equal(p1, p2);
    const api = await p1;
    assert.equal(typeof api.SlaEngine, 'function');
    assert.equal(await load(), api);
  });
});

describe('Board and the shared timer', () => {
  let api;
  let now = NOW;
  before(async () => {
    api = await load(await bytes());
    mock.timers.enable({ apis: ['setTimeout'] });
    setClock(() => now);
  });
  after(() => mock.timers.reset());

  const tickets = [
    // Critical, 24x7: at risk at 15:00 (3h of 4h), breached after 16:00, L2 after 20:00.
    { id: 'T1', created: '2026-11-27T12:00:00Z', fields: { priority: 'Urgent', requesterGroup: 'Marketing' } },
    { id: 'T2', created: '2026-11-27T11:00:00Z', fields: { requesterGroup: 'Sales' } },
  ];

  it('evaluates a batch once, counts down every minute and re-evaluates only on a state change', () => {
    const board = new Board(api.SlaEngine.defaultPolicy());
    board.setTickets(tickets);
    assert.equal(board.evaluations, 1);
    assert.equal(board.view('T1').text, '3h 59m left');
    assert.equal(board.view('T1').tone, 'on-track');
    assert.equal(board.view('T2').text, 'out of scope');
    assert.equal(board.nextChangeMs, Date.parse('2026-11-27T15:00:01Z'));
    // One timer for the page, due at the next minute boundary.
    let st = timerState();
    assert.equal(st.running, true);
    assert.equal(st.boards, 1);
    assert.equal(st.dueAt, Date.parse('2026-11-27T12:01:00Z'));

    // A minute later: the text moves, the engine is not re-run.
    now = Date.parse('2026-11-27T12:01:00Z');
    mock.timers.tick(30_000);
    assert.equal(board.evaluations, 1);
    assert.equal(board.view('T1').text, '3h 59m left');
    now = Date.parse('2026-11-27T12:02:00Z');
    mock.timers.tick(60_000);
    assert.equal(board.evaluations, 1);
    assert.equal(board.view('T1').text, '3h 58m left');

    // Jump to just before the at-risk threshold, then past it: one re-evaluation.
    now = Date.parse('2026-11-27T14:59:00Z');
    mock.timers.tick(60_000);
    assert.equal(board.evaluations, 1);
    st = timerState();
    assert.equal(st.dueAt, Date.parse('2026-11-27T15:00:00Z'));
    now = Date.parse('2026-11-27T15:00:00Z');
    mock.timers.tick(60_000);
    assert.equal(board.evaluations, 1, 'the threshold is crossed just after 15:00:00');
    assert.equal(timerState().dueAt, Date.parse('2026-11-27T15:00:01Z'));
    now = Date.parse('2026-11-27T15:00:01Z');
    mock.timers.tick(1_000);
    assert.equal(board.evaluations, 2);
    assert.equal(board.view('T1').tone, 'at-risk');
    assert.equal(board.view('T1').text, '59m left');

    board.dispose();
    st = timerState();
    assert.equal(st.running, false);
    assert.equal(st.boards, 0);
  });

  it('explains lazily: one engine.explain when a tooltip asks, cached for the minute', () => {
    now = Date.parse('2026-11-27T12:00:30Z');
    const board = new Board(api.SlaEngine.defaultPolicy());
    board.setTickets(tickets);
    assert.equal(board.results[0].explanation, undefined);
    const lines = board.lines('T1');
    assert.ok(
      lines.some((l) => l.startsWith('response due')),
      lines.join('\n'),
    );
    assert.equal(board.lines('T1'), lines);
    assert.deepEqual(board.view('T1').lines, lines);
    assert.deepEqual(board.view('T1', now, false).lines, []);
    assert.equal(board.lines('nope'), null);
    board.dispose();
    const eager = new Board(api.SlaEngine.defaultPolicy(), { explain: true });
    eager.setTickets(tickets);
    assert.deepEqual(eager.results[0].explanation.lines, lines);
    eager.dispose();
  });

  it('counts business time only while the calendar is open', () => {
    const bh = new api.SlaEngine(api.examplePolicy('business-hours'));
    now = Date.parse('2026-11-27T15:30:00Z'); // Fri 16:30 in Berlin
    const board = new Board(bh);
    board.setTickets([
      { id: 'B', created: '2026-11-27T14:00:00Z', fields: { priority: 'Urgent', requesterGroup: 'Marketing' } },
    ]);
    assert.equal(board.view('B').text, '2h 30m left');
    now = Date.parse('2026-11-27T16:30:00Z'); // 17:30, closed since 17:00
    board.tick(now);
    assert.equal(board.view('B').text, '2h left');
    now = Date.parse('2026-11-28T12:00:00Z'); // Saturday
    board.tick(now);
    assert.equal(board.view('B').text, '2h left');
    assert.equal(board.evaluations, 1);
    board.dispose();
  });
});
