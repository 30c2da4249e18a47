// What a badge shows, from batch results (pure functions, no DOM).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { badgeView, shortDuration, coarseDuration, spokenDuration, toneCounts, httpUrl, stateWord, STATE_ORDER } from '../../www/badge-view.js';
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
    assert.deepEqual(STATE_ORDER.map(stateWord), ['breached', 'at risk', 'on track', 'paused', 'unknown', 'met late', 'met', 'out of scope']);
  });
});

describe('links from tracker data', () => {
  it('only absolute http(s) URLs become link targets', () => {
    assert.equal(httpUrl('https://tracker.example/issues/1'), 'https://tracker.example/issues/1');
    assert.equal(httpUrl('HTTP://Tracker.example/a b'), 'http://tracker.example/a%20b');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\tjava\nscript:alert(1)', 'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)', 'blob:https://x/1', 'file:///etc/passwd', '/issues/1', '//evil.example/x', 'issues/1', '', null, 42, {}]) {
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
  for (const [policy, list] of [['default', SEED_TICKETS], ['business-hours', BUSINESS_TICKETS]]) {
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
    assert.match(v.label, /^Response SLA breached: breached 1 hour 40 minutes ago, escalated to level 1 \(IT manager\)$/);
    assert.equal(v.heading, 'Response breached · Critical');
  });

  it('counts down from the business time measured since the evaluation', () => {
    const engine = w.SlaEngine.defaultPolicy();
    const [r] = engine.evaluate(engineTickets([SEED_TICKETS[0]]), DEMO_NOW, { explain: true });
    assert.equal(badgeView(r, DEMO_NOW + 60_000, { remainingNow: r.evaluation.response.remaining - 60 }).text, '2h 49m left');
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
    assert.ok(v.lines.some((l) => /no staff replies/.test(l)), v.lines.join('\n'));
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
    assert.deepEqual(toneCounts(results), { 'on-track': 2, 'at-risk': 2, breached: 3, met: 2, 'met-late': 1, 'out-of-scope': 2, error: 1 });
  });
});
