// Type-checked (tsc --noEmit, `make test-js`), never run: exercises the declarations of the Wasm
// API in www/pkg/sla_lens.d.ts the way a page would use them (hand-written in src/wasm.rs, or
// generated from the Rust types: `BoardRows`, `BoardRowField`).
import init, {
  SlaEngine, validatePolicy, examplePolicy,
  type Diagnostic, type Evaluation, type Explanation, type PolicyError, type Segment, type State,
  type TicketInput, type TicketResult, type ValidationResult, type TicketErrorThrown,
} from '../../www/pkg/sla_lens.js';

export async function usage(bytes: ArrayBuffer): Promise<number | null> {
  await init({ module_or_path: bytes });
  const check: ValidationResult = validatePolicy(examplePolicy('business-hours'));
  const errors: Diagnostic[] = check.diagnostics.filter((d) => d.severity === 'error');
  if (!check.ok) throw new Error(errors.map((d) => `${d.path}: ${d.message}`).join('\n'));

  let engine: SlaEngine;
  try {
    engine = new SlaEngine(examplePolicy('default'));
  } catch (e) {
    const err = e as PolicyError;
    const codes: string[] = err.diagnostics.map((d) => d.code);
    throw new Error(codes.join(', '));
  }
  const fallback: SlaEngine = SlaEngine.defaultPolicy();
  const name: string = fallback.name;
  const calendars: string[] = engine.calendars;

  const tickets: TicketInput[] = [
    { id: 'MKT-1', created: '2026-11-27T09:00:00Z', fields: { priority: 'Urgent', requesterGroup: 'Marketing' } },
    { id: 2, created: Date.parse('2026-11-27T09:00:00Z'), labels: ['dept:marketing'], statusHistory: [{ at: 0, to: 'Done' }] },
  ];
  const now = Date.now();
  const results: TicketResult[] = engine.evaluate(tickets, now, { explain: true });
  const alsoText: TicketResult[] = engine.evaluate(JSON.stringify(tickets), now);
  for (const r of results) {
    if (r.error) {
      const code: string = r.error.code;
      void code;
      continue;
    }
    const ev: Evaluation = r.evaluation;
    const state: State = ev.state;
    const left: number | null = ev.response.remaining;
    const level: number | undefined = ev.escalation.current?.level;
    const lines: string[] = r.explanation?.lines ?? [];
    void [state, left, level, lines, ev.nextChange?.length];
  }
  const x: Explanation = engine.explain(tickets[0], now);
  for (const s of x.segments as Segment[]) {
    if (s.kind === 'closed') void s.days.map((d) => d.name ?? d.date);
    if (s.kind === 'counted') void (s.seconds + 1);
  }
  try {
    engine.explain({ id: 'x', created: 'soon' }, now);
  } catch (e) {
    const te = e as TicketErrorThrown;
    void [te.code, te.path, te.ticketId];
  }
  const starts = new Float64Array([now, now + 1000]);
  const due: Float64Array = engine.deadlines(calendars[0], starts, 4 * 3600);
  const dueEach: Float64Array = engine.deadlines('24x7', starts, new Float64Array([60, 120]));
  const used: Float64Array = engine.elapsed('24x7', starts, due);
  void [name, alsoText, dueEach, used];
  const next: number | null = engine.nextChange(results, now);
  const report: import('../../www/pkg/sla_lens.js').Report = engine.report(JSON.stringify(tickets), { nowMs: now, from: '2026-06-01', to: null });
  const mapped: import('../../www/pkg/sla_lens.js').MappedExport = (await import('../../www/pkg/sla_lens.js')).mapExport('redmine', '{"issues": []}');
  void [report.cells[0]?.metPercent, engine.reportMarkdown(tickets, { nowMs: now }), engine.reportCsv('[]', { nowMs: now, tracker: 'jira' }), mapped.errors];
  const trackers = await import('../../www/pkg/sla_lens.js');
  const site: import('../../www/pkg/sla_lens.js').MappedIssues = trackers.mapResponses('redmine', ['{"issues": []}', { issue: {} }], { origin: 'https://rm.example' });
  const page: import('../../www/pkg/sla_lens.js').TrackerPage | null = trackers.detectPage('redmine', '/issues/1');
  void [site.rejected[0]?.input, site.errors[0]?.id, page?.kind, trackers.issueLinks('jira', ['/browse/MKT-1'], null), trackers.validateSite('{"tracker": "jira"}').ok];
  const rows: import('../../www/pkg/sla_lens.js').BoardRows = engine.evaluateRows(JSON.stringify(tickets), now);
  const field: import('../../www/pkg/sla_lens.js').BoardRowField = rows.fields[0];
  void [rows.numbers[rows.fields.indexOf('remaining')], rows.strings[0], rows.stringFields.includes(field), rows.errors[0]?.index, rows.nextChange];
  // The row fields are the Rust enum's names, not any string; the numbers a typed array.
  const deadline: import('../../www/pkg/sla_lens.js').BoardRowField = 'deadlineMs';
  // @ts-expect-error: `deadline` is no row field (`deadlineMs` is)
  const notAField: import('../../www/pkg/sla_lens.js').BoardRowField = 'deadline';
  const firstError: { index: number; code: string; id: string | null } | undefined = rows.errors[0];
  const numbers: Float64Array = rows.numbers;
  const nextMs: number | null = rows.nextChange;
  void [deadline, notAField, firstError, numbers.subarray(0, rows.fields.length), nextMs];
  const set = new trackers.TicketSet(JSON.stringify(tickets));
  const again: import('../../www/pkg/sla_lens.js').BoardRows = engine.evaluateSetRows(set, now + 60_000);
  const counts: number[] = [set.length, set.unreadable];
  void [again.numbers.length, counts, new trackers.TicketSet(tickets).length];
  set.free();
  engine.free();
  return next;
}
