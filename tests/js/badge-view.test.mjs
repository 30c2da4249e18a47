// What a badge shows, from batch results (pure functions, no DOM).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  badgeView,
  escalationItems,
  shortDuration,
  coarseDuration,
  spokenDuration,
  toneCounts,
  httpUrl,
  stateWord,
  STATE_ORDER,
} from '../../www/badge-view.js';
import { BACKENDS } from './backends.mjs';
import { DEMO_NOW, SEED_TICKETS, BUSINESS_TICKETS, engineTickets } from '../../www/demo-data.js';

describe('state words', () => {
  it('has a word and a place in the summaries for every state the engine gives', () => {
    // The engine's `State`, as its TypeScript type in www/pkg/sla_lens.d.ts spells it.
    const dts = readFileSync(new URL('../../www/pkg/sla_lens.d.ts', import.meta.url), 'utf8');
    const decl = /export type State =([^;]*);/.exec(dts);
    assert.ok(decl, 'sla_lens.d.ts declares State');
    const states = [...decl[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    assert.ok(states.includes('unknown'));
    assert.deepEqual([...STATE_ORDER].sort(), [...states].sort());
    assert.deepEqual(STATE_ORDER.map(stateWord), [
      'breached',
      'at risk',
      'on track',
      'paused',
      'unknown',
      'met late',
      'met',
      'out of scope',
    ]);
  });
});

describe('links from tracker data', () => {
  it('only absolute http(s) URLs become link targets', () => {
    assert.equal(httpUrl('https://tracker.example/issues/1'), 'https://tracker.example/issues/1');
    assert.equal(httpUrl('HTTP://Tracker.example/a b'), 'http://tracker.example/a%20b');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      '\tjava\nscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'blob:https://x/1',
      'file:///etc/passwd',
      '/issues/1',
      '//evil.example/x',
      'issues/1',
      '',
      null,
      42,
      {},
    ]) {
      assert.equal(httpUrl(bad), null, JSON.stringify(bad));
    }
  });
});

describe('durations', () => {
  const table = [
    [0, '<1m', '<1m', 'less than a minute'],
    [59, '<1m', '<1m', 'less than a minute'],
    [60, '1m', '1m', '1 minute'],
    [45 * 60, '45m', '45m', '45 minutes'],
    [3600, '1h', '1h', '1 hour'],
    [4 * 3600 + 12 * 60 + 59, '4h 12m', '4h', '4 hours 12 minutes'],
    [26 * 3600, '1d 2h', '1d', '1 day 2 hours'],
    [3 * 86400, '3d', '3d', '3 days'],
    [-5, '<1m', '<1m', 'less than a minute'],
  ];
  for (const [s, short, coarse, spoken] of table) {
    it(`${s}s → ${short} / ${coarse} / ${spoken}`, () => {
      assert.equal(shortDuration(s), short);
      assert.equal(coarseDuration(s), coarse);
      assert.equal(spokenDuration(s), spoken);
    });
  }
});

describe('badge views of the demo issues', async () => {
  const w = await BACKENDS.nodejs();
  for (const [policy, list] of [
    ['default', SEED_TICKETS],
    ['business-hours', BUSINESS_TICKETS],
  ]) {
    const engine = new w.SlaEngine(w.examplePolicy(policy));
    const results = engine.evaluate(engineTickets(list), DEMO_NOW, { explain: true });
    list.forEach((t, i) => {
      it(`${policy} ${t.id}: ${t.expect.state} "${t.expect.text}"`, () => {
        const v = badgeView(results[i], DEMO_NOW, { policyName: engine.name });
        assert.equal(v.state, t.expect.state);
        assert.equal(v.text, t.expect.text);
        if ('escalation' in t.expect) assert.equal(v.escalation, t.expect.escalation);
        assert.ok(v.label.length > v.text.length, v.label);
        assert.ok(v.lines.length > 0);
        assert.equal(v.footer, engine.name);
      });
    });
  }

  it('labels speak the metric, the state, the time and the escalation', () => {
    const engine = w.SlaEngine.defaultPolicy();
    const [r] = engine.evaluate(engineTickets([SEED_TICKETS[2]]), DEMO_NOW, { explain: true });
    const v = badgeView(r, DEMO_NOW);
    assert.equal(v.tone, 'breached');
    assert.match(
      v.label,
      /^Response SLA breached: breached 1 hour 40 minutes ago, escalated to level 1 \(IT manager\)$/,
    );
    assert.equal(v.heading, 'Response breached · Critical');
  });

  it('counts down from the business time measured since the evaluation', () => {
    const engine = w.SlaEngine.defaultPolicy();
    const [r] = engine.evaluate(engineTickets([SEED_TICKETS[0]]), DEMO_NOW, { explain: true });
    assert.equal(
      badgeView(r, DEMO_NOW + 60_000, { remainingNow: r.evaluation.response.remaining - 60 }).text,
      '2h 49m left',
    );
    assert.equal(badgeView(r, DEMO_NOW, { remainingNow: 0 }).text, 'due now');
  });

  it('says unknown, and what the export lacks, for a state a snapshot cannot back', () => {
    const engine = w.SlaEngine.defaultPolicy();
    // The breached critical ticket, as a list export without its replies shows it.
    const t = { ...engineTickets([SEED_TICKETS[2]])[0], unknown: ['replies'] };
    const [r] = engine.evaluate([t], DEMO_NOW, { explain: true });
    assert.equal(r.evaluation.state, 'unknown');
    assert.equal(r.evaluation.response.missing, 'replies');
    assert.equal(r.evaluation.escalation.unknown, true);
    const v = badgeView(r, DEMO_NOW);
    assert.equal(v.tone, 'unknown');
    assert.equal(v.text, 'unknown');
    assert.equal(v.escalation, null);
    assert.match(v.label, /^Response SLA unknown: unknown: the export lacks the replies$/);
    assert.ok(
      v.lines.some((l) => /no staff replies/.test(l)),
      v.lines.join('\n'),
    );
    assert.deepEqual(toneCounts([r]), { unknown: 1 });
  });

  it('shows errors and missing results', () => {
    const v = badgeView({ id: 'x', error: { id: 'x', code: 'invalid-timestamp', path: 'created', message: 'bad' } }, 0);
    assert.equal(v.tone, 'error');
    assert.equal(v.text, 'SLA error');
    assert.deepEqual(v.lines, ['bad', 'at created']);
    assert.equal(badgeView(undefined, 0).text, '…');
  });

  it('counts tones', () => {
    const engine = w.SlaEngine.defaultPolicy();
    const results = engine.evaluate(engineTickets(SEED_TICKETS), DEMO_NOW);
    assert.deepEqual(toneCounts(results), {
      'on-track': 2,
      'at-risk': 2,
      breached: 3,
      met: 2,
      'met-late': 1,
      'out-of-scope': 2,
      error: 1,
    });
  });
});

describe('escalations done (escalation.done, DESIGN.md rule 11)', () => {
  const NOW = Date.parse('2026-12-07T12:00:00Z');
  const L1 = {
    level: 1,
    role: 'IT manager',
    contacts: [{ name: 'Ingrid Vogt' }],
    at: '2026-12-07T10:05:00Z',
    note: '#3',
    url: 'https://rm.example/issues/12#note-3',
  };

  it("says who, when and which note, with the note's link", () => {
    assert.deepEqual(escalationItems([L1], NOW, { viewerZone: 'UTC' }), [
      {
        text: 'Escalated to Ingrid Vogt 10:05',
        note: 'note #3',
        url: 'https://rm.example/issues/12#note-3',
        line: 'Escalated to Ingrid Vogt 10:05 (note #3)',
      },
    ]);
    // Another day: the day too; the viewer's zone; a comment id; the role without contacts.
    const other = {
      level: 2,
      role: 'Head of <b>Marketing</b>',
      contacts: [],
      at: '2026-12-04T16:30:00Z',
      note: '9101001',
      url: null,
    };
    assert.deepEqual(
      escalationItems([other], NOW, { viewerZone: 'Europe/Berlin' }).map((e) => e.line),
      ['Escalated to Head of <b>Marketing</b> Fri 4 Dec 17:30 (comment 9101001)'],
    );
  });

  it('never links anything but http(s), and tolerates junk', () => {
    for (const url of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', '/issues/1', 42]) {
      assert.equal(escalationItems([{ ...L1, url }], NOW, { viewerZone: 'UTC' })[0].url, null, String(url));
    }
    assert.deepEqual(escalationItems(null, NOW), []);
    assert.deepEqual(
      escalationItems([null, 7, { level: 1 }], NOW, { viewerZone: 'UTC' }).map((e) => e.line),
      ['Escalated to level 1'],
    );
  });

  it("the badge view carries them, in its label, without the engine's sentence twice", async () => {
    const w = await BACKENDS.nodejs();
    const engine = new w.SlaEngine(w.examplePolicy('default'));
    const ticket = {
      id: '12',
      created: '2026-12-07T05:00:00Z',
      status: 'New',
      url: 'https://rm.example/issues/12',
      fields: { priority: 'Critical', project: 'Marketing IT support' },
      comments: [{ at: '2026-12-07T10:05:00Z', author: 'sla-lens', staff: false }],
      escalations: [
        {
          cycle: 1,
          stage: '1',
          action: 'note#0',
          at: '2026-12-07T10:05:00Z',
          noteId: '31',
          noteNumber: 3,
          url: 'https://rm.example/issues/12#note-3',
        },
        // A claim is never collected; a level the policy lacks and an earlier cycle are ignored.
        { cycle: 1, stage: '7', action: 'note#0', at: '2026-12-07T10:06:00Z', noteNumber: 4 },
        { cycle: 2, stage: '2', action: 'note#0', at: '2026-12-07T10:07:00Z', noteNumber: 5 },
      ],
    };
    const [r] = engine.evaluate([ticket], NOW, { explain: true });
    assert.deepEqual(r.evaluation.escalation.done, [
      {
        level: 1,
        role: 'IT manager',
        contacts: [{ name: 'IT manager', email: 'it-manager@example.com', handle: 'it-manager' }],
        at: '2026-12-07T10:05:00Z',
        note: '#3',
        url: 'https://rm.example/issues/12#note-3',
      },
    ]);
    assert.ok(
      r.explanation.lines.some((l) => /^Escalated to IT manager at .*10:05.* \(note #3\)\.$/.test(l)),
      r.explanation.lines.join(' | '),
    );
    const v = badgeView(r, NOW, { viewerZone: 'UTC' });
    assert.deepEqual(
      v.escalated.map((e) => e.line),
      ['Escalated to IT manager 10:05 (note #3)'],
    );
    assert.equal(v.escalated[0].url, 'https://rm.example/issues/12#note-3');
    assert.equal(v.lines.filter((l) => l.startsWith('Escalated to')).length, 0, 'said once, by the item');
    assert.match(v.label, /; Escalated to IT manager 10:05 \(note #3\)$/);
    assert.equal(v.state, 'breached', 'the escalation note is no reply');
    // Without records: no items, the label as before.
    const [plain] = engine.evaluate([{ ...ticket, escalations: [] }], NOW, { explain: true });
    assert.equal(plain.evaluation.escalation.done, undefined);
    const pv = badgeView(plain, NOW);
    assert.deepEqual(pv.escalated, []);
    assert.doesNotMatch(pv.label, /Escalated/);
    // The extension's compact results carry `done` apart (extra.done).
    assert.deepEqual(
      badgeView(plain, NOW, { done: r.evaluation.escalation.done, viewerZone: 'UTC' }).escalated.length,
      1,
    );
  });
});

it('one "SLA unavailable" view: the extension\'s reason and the page\'s Fault show the same badge (issue #15)', async () => {
  const { unavailableResult } = await import('../../www/badge-view.js');
  const { unavailable, Fault } = await import('../../www/trackers/annotate.js');
  const fromWorker = badgeView(unavailableResult('7', 'HTTP 403 from Redmine'), 0, { policyName: 'P' });
  const fromPage = badgeView(unavailable('7', new Fault('forbidden', 'HTTP 403 from Redmine')), 0, { policyName: 'P' });
  assert.deepEqual(fromWorker, fromPage);
  assert.equal(fromWorker.tone, 'unavailable');
  assert.equal(fromWorker.text, 'SLA unavailable');
  assert.deepEqual(fromWorker.lines, ['HTTP 403 from Redmine']);
  const transient = badgeView(unavailableResult('7', 'timed out', { transient: true }), 0);
  assert.deepEqual(transient.lines, ['timed out', 'The page itself is unaffected.']);
});
