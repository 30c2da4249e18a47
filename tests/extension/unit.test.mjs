// The extension's pure modules under node:test: configuration versions and migrations, managed
// values winning, import/export, and the notification decisions (once per transition, quiet
// hours, no flood on the first check).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIG_VERSION,
  migrate,
  normalizeOrigin,
  effective,
  exportConfig,
  importConfig,
  policyWithPauses,
  siteProblems,
  siteFile,
} from '../../extension/src/lib/config.js';
import { decide, inQuietHours, isMe, oneAtATime, transitions } from '../../extension/src/lib/notify.js';
import { cached } from '../../extension/src/lib/cache.js';
import { whyMissing } from '../../extension/src/lib/page-adapter.js';

process.env.TZ = 'UTC';

describe('configuration storage', () => {
  it('starts from the defaults', () => {
    const m = migrate(undefined);
    assert.equal(m.config.version, CONFIG_VERSION);
    assert.equal(m.config.policy.text, null);
    assert.deepEqual(m.config.sites, []);
    assert.equal(m.config.notifications.enabled, false);
  });

  it('migrates version 1 (flat policy text, sites with `kind`) through every version', () => {
    const v1 = {
      policyText: '{"x":1}',
      notify: true,
      sites: [{ origin: 'https://Redmine.Example.com:443/', kind: 'redmine', token: ' k ' }],
    };
    const m = migrate(v1);
    assert.equal(m.migrated, true);
    assert.equal(m.from, 1);
    assert.equal(m.config.version, CONFIG_VERSION);
    assert.equal(m.config.policy.text, '{"x":1}');
    assert.equal(m.config.policy.source, 'pasted');
    assert.equal(m.config.notifications.enabled, true);
    assert.deepEqual(
      m.config.sites.map((s) => [s.origin, s.tracker, s.token]),
      [['https://redmine.example.com', 'redmine', 'k']],
    );
    assert.deepEqual(m.config.me, { handles: [], emails: [] });
  });

  it('migrates version 2 (a handle on notifications) to `me`', () => {
    const m = migrate({
      version: 2,
      policy: { text: null },
      sites: [],
      notifications: { enabled: true, handle: 'it-manager' },
    });
    assert.deepEqual(m.config.me.handles, ['it-manager']);
    assert.equal(m.config.notifications.quietHours.start, '20:00');
  });

  it('refuses a configuration from a newer version instead of losing it', () => {
    const m = migrate({ version: CONFIG_VERSION + 1, sites: [] });
    assert.match(m.error, /newer/);
  });

  it('normalises origins and rejects what is not one', () => {
    assert.equal(normalizeOrigin('https://Host.example:443/redmine/issues'), 'https://host.example');
    assert.equal(normalizeOrigin('http://127.0.0.1:3088'), 'http://127.0.0.1:3088');
    assert.equal(normalizeOrigin('ftp://x'), null);
    assert.equal(normalizeOrigin('not a url'), null);
    const probs = siteProblems({ origin: 'nope', tracker: 'trac' });
    assert.deepEqual(
      probs.map((p) => p.path),
      ['origin', 'tracker'],
    );
    assert.deepEqual(
      siteProblems({ origin: 'https://a.example', tracker: 'jira' }, [{ origin: 'https://a.example' }]).map(
        (p) => p.path,
      ),
      ['origin'],
    );
  });

  it("builds the adapter's site file from a site entry", () => {
    const { config } = migrate({
      version: 3,
      sites: [{ origin: 'https://r.example', tracker: 'redmine', site: { basePath: '/rm', tracker: 'jira' } }],
    });
    assert.deepEqual(siteFile(config.sites[0]), { basePath: '/rm', tracker: 'redmine', origin: 'https://r.example' });
  });
});

describe('managed storage wins', () => {
  const user = migrate({
    version: 3,
    policy: { text: '{"mine":true}' },
    sites: [
      { origin: 'https://a.example', tracker: 'redmine', token: 'tok' },
      { origin: 'https://b.example', tracker: 'gitlab' },
    ],
    notifications: { enabled: false },
  }).config;

  it("a managed policy and managed sites replace the user's and are locked", () => {
    const e = effective(user, {
      policy: '{"managed":true}',
      sites: [{ origin: 'https://a.example', tracker: 'redmine', siteJson: '{"staff":{"groups":["IT"]}}' }],
      notifications: { enabled: true, quietHours: { start: '19:00' } },
    });
    assert.equal(e.managed, true);
    assert.equal(e.config.policy.text, '{"managed":true}');
    assert.equal(e.config.policy.source, 'managed');
    assert.deepEqual(e.locked.policy, true);
    assert.deepEqual(
      e.config.sites.map((s) => [s.origin, s.managed]),
      [
        ['https://a.example', true],
        ['https://b.example', false],
      ],
    );
    assert.deepEqual(e.config.sites[0].site, { staff: { groups: ['IT'] } });
    assert.equal(e.config.sites[0].token, 'tok', "the user's own token is kept for a managed site");
    assert.equal(e.config.notifications.enabled, true);
    assert.equal(e.config.notifications.quietHours.start, '19:00');
    assert.deepEqual(e.locked.notifications, ['enabled', 'quietHours']);
  });

  it("allowUserSites: false hides the user's own sites", () => {
    const e = effective(user, { sites: [{ origin: 'https://c.example', tracker: 'jira' }], allowUserSites: false });
    assert.deepEqual(
      e.config.sites.map((s) => s.origin),
      ['https://c.example'],
    );
  });

  it("nothing managed: the user's configuration as is", () => {
    const e = effective(user, {});
    assert.equal(e.managed, false);
    assert.equal(e.config.policy.text, '{"mine":true}');
    assert.equal(e.locked.policy, false);
  });
});

describe('import and export', () => {
  const cfg = migrate({
    version: 3,
    sites: [{ origin: 'https://a.example', tracker: 'redmine', token: 'secret' }],
  }).config;

  it('leaves tokens out unless asked, and round-trips', () => {
    const text = exportConfig(cfg);
    assert.doesNotMatch(text, /secret/);
    assert.match(exportConfig(cfg, { withTokens: true }), /secret/);
    const back = importConfig(text, cfg);
    assert.equal(back.config.sites[0].token, 'secret', 'the stored token is kept for the same origin');
    assert.deepEqual({ ...back.config, sites: [] }, { ...cfg, sites: [] });
  });

  it("a file that moves a site's API to another origin does not take the stored token there", () => {
    const gh = migrate({
      version: 3,
      sites: [{ origin: 'https://github.com', tracker: 'github', token: 'ghp_secret' }],
    }).config;
    const moved = JSON.stringify({
      version: 3,
      sites: [{ origin: 'https://github.com', tracker: 'github', api: 'https://collector.example/api' }],
    });
    const r = importConfig(moved, gh);
    assert.equal(r.config.sites[0].api, 'https://collector.example/api');
    assert.equal(r.config.sites[0].token, '', 'the token is dropped, not sent to the new API origin');
    // The same API (explicitly or by default), or only a base path changed: the token is kept.
    const same = importConfig(
      JSON.stringify({
        version: 3,
        sites: [{ origin: 'https://github.com', tracker: 'github', api: 'https://api.github.com' }],
      }),
      gh,
    );
    assert.equal(same.config.sites[0].token, 'ghp_secret');
    const rm = migrate({ version: 3, sites: [{ origin: 'https://r.example', tracker: 'redmine', token: 'k' }] }).config;
    const based = importConfig(
      JSON.stringify({
        version: 3,
        sites: [{ origin: 'https://r.example', tracker: 'redmine', site: { basePath: '/rm' } }],
      }),
      rm,
    );
    assert.equal(based.config.sites[0].token, 'k');
    // A managed site that points the API elsewhere does not get the user's token either.
    const e = effective(gh, {
      sites: [{ origin: 'https://github.com', tracker: 'github', api: 'https://collector.example/api' }],
    });
    assert.equal(e.config.sites[0].token, '');
  });

  it('reads a bare version-1 document and refuses what is not a configuration', () => {
    assert.equal(importConfig('{"policyText":"{}","sites":[]}').config.version, CONFIG_VERSION);
    assert.match(importConfig('nope').error, /Not JSON/);
    assert.match(importConfig('{"hello":1}').error, /Not an sla-lens configuration/);
  });
});

describe('site pause statuses', () => {
  it("extend every target's pausedBy, once", () => {
    const p = JSON.stringify({ targets: [{ response: '4h' }, { response: '1h', pausedBy: ['Feedback'] }] });
    const out = JSON.parse(policyWithPauses(p, ['Waiting on customer', 'Feedback']));
    assert.deepEqual(
      out.targets.map((t) => t.pausedBy),
      [
        ['Waiting on customer', 'Feedback'],
        ['Feedback', 'Waiting on customer'],
      ],
    );
    assert.equal(policyWithPauses(p, []), p);
  });
});

// A result as the engine gives it, with only what the notification logic reads.
function result(id, state, level = null, cycles = 1) {
  const metric = { deadline: '2026-11-28T10:00:00Z', cycles };
  return {
    id,
    evaluation: {
      state,
      headline: 'response',
      response: metric,
      resolution: { cycles: 1 },
      escalation: {
        current: level
          ? {
              level,
              role: level === 1 ? 'IT manager' : 'Marketing department head',
              contacts: [
                {
                  name: 'x',
                  handle: level === 1 ? 'it-manager' : 'marketing-head',
                  email: level === 1 ? 'it-manager@example.com' : 'head@example.com',
                },
              ],
            }
          : null,
      },
    },
  };
}

describe('notifications', () => {
  const prefs = {
    atRisk: true,
    breached: true,
    escalations: true,
    quietHours: { enabled: true, start: '20:00', end: '08:00' },
  };
  const me = { handles: ['IT-Manager'], emails: [] };
  const batch = (issues) => [
    {
      siteKey: 'https://r.example',
      issues: issues.map((r) => ({
        id: r.id,
        title: `Issue ${r.id}`,
        url: `https://r.example/issues/${r.id}`,
        result: r,
      })),
    },
  ];
  const noon = Date.parse('2026-11-27T12:00:00Z');

  it('matches the user by handle or email, case-insensitively', () => {
    assert.equal(isMe({ handle: 'it-manager' }, me), true);
    assert.equal(isMe({ email: 'A@x.example' }, { handles: [], emails: ['a@x.example'] }), true);
    assert.equal(isMe({ handle: 'someone' }, me), false);
  });

  it('quiet hours wrap midnight', () => {
    const q = { enabled: true, start: '20:00', end: '08:00' };
    assert.equal(inQuietHours(Date.parse('2026-11-27T21:00:00Z'), q), true);
    assert.equal(inQuietHours(Date.parse('2026-11-27T07:59:00Z'), q), true);
    assert.equal(inQuietHours(Date.parse('2026-11-27T08:00:00Z'), q), false);
    assert.equal(inQuietHours(Date.parse('2026-11-27T21:00:00Z'), { ...q, enabled: false }), false);
  });

  it('the first check records what is already true without notifying', () => {
    const d = decide({ batches: batch([result('3', 'breached', 1)]), memory: {}, baselined: {}, now: noon, prefs, me });
    assert.deepEqual(d.show, []);
    assert.deepEqual(d.memory['https://r.example#3'], ['breached@1', 'L1@1']);
  });

  it('crossing the deadline notifies the level-1 contact once, in one notification', () => {
    let mem = {};
    let base = {};
    let d = decide({ batches: batch([result('1', 'running')]), memory: mem, baselined: base, now: noon, prefs, me });
    assert.deepEqual(d.show, []);
    ({ memory: mem, baselined: base } = d);
    const later = Date.parse('2026-11-28T10:01:00Z');
    d = decide({ batches: batch([result('1', 'breached', 1)]), memory: mem, baselined: base, now: later, prefs, me });
    assert.equal(d.show.length, 1);
    assert.equal(d.show[0].title, 'Escalated to you (level 1, IT manager)');
    assert.match(d.show[0].message, /#1 Issue 1/);
    assert.match(d.show[0].message, /Response SLA breached/);
    assert.equal(d.show[0].url, 'https://r.example/issues/1');
    ({ memory: mem, baselined: base } = d);
    d = decide({
      batches: batch([result('1', 'breached', 1)]),
      memory: mem,
      baselined: base,
      now: later + 300_000,
      prefs,
      me,
    });
    assert.deepEqual(d.show, [], 'not twice');
  });

  it('names an issue as its tracker does, and keeps same numbers of two projects apart', () => {
    const later = Date.parse('2026-11-28T10:01:00Z');
    const two = ['acme/web', 'acme/infra'].map((p) => ({
      siteKey: `https://github.com ${p}`,
      issues: [
        {
          id: '7',
          label: `${p}#7`,
          title: 'Down',
          siteKey: `https://github.com ${p}`,
          result: result('7', 'breached', 1),
        },
      ],
    }));
    const first = decide({
      batches: two.map((b) => ({ ...b, issues: [{ ...b.issues[0], result: result('7', 'running') }] })),
      memory: {},
      baselined: {},
      now: noon,
      prefs,
      me,
    });
    const d = decide({ batches: two, memory: first.memory, baselined: first.baselined, now: later, prefs, me });
    assert.deepEqual(
      d.show.map((n) => n.message.split('\n')[0]),
      ['acme/web#7 Down', 'acme/infra#7 Down'],
    );
    const jira = decide({
      batches: [
        {
          siteKey: 'https://j.example',
          issues: [{ id: 'MKT-7', title: 'Down', result: result('MKT-7', 'breached', 1) }],
        },
      ],
      memory: {},
      baselined: { 'https://j.example': true },
      now: later,
      prefs,
      me,
    });
    assert.equal(jira.show[0].message.split('\n')[0], 'MKT-7 Down');
  });

  it('level 2 (someone else) does not notify this user; a reopened cycle notifies again', () => {
    const mem = { 'https://r.example#4': ['breached@1', 'L1@1'] };
    const base = { 'https://r.example': true };
    let d = decide({
      batches: batch([result('4', 'breached', 2)]),
      memory: mem,
      baselined: base,
      now: noon,
      prefs,
      me,
    });
    assert.deepEqual(d.show, []);
    d = decide({ batches: batch([result('4', 'breached', 1, 2)]), memory: mem, baselined: base, now: noon, prefs, me });
    assert.equal(d.show.length, 1);
  });

  it('nothing during quiet hours; what is still true afterwards is notified then', () => {
    const base = { 'https://r.example': true };
    const night = Date.parse('2026-11-27T23:00:00Z');
    let d = decide({ batches: batch([result('2', 'atRisk')]), memory: {}, baselined: base, now: night, prefs, me });
    assert.deepEqual(d.show, []);
    assert.equal(d.quiet, true);
    assert.deepEqual(d.memory, {});
    d = decide({
      batches: batch([result('2', 'atRisk')]),
      memory: d.memory,
      baselined: d.baselined,
      now: Date.parse('2026-11-28T08:05:00Z'),
      prefs,
      me,
    });
    assert.equal(d.show.length, 1);
    assert.equal(d.show[0].title, 'Response SLA at risk');
  });

  it('respects the per-kind switches', () => {
    const ev = result('9', 'breached', 1).evaluation;
    assert.deepEqual(transitions(ev, me, { ...prefs, breached: false, escalations: false }), []);
    assert.deepEqual(
      transitions(ev, me, prefs).map((t) => t.key),
      ['breached@1', 'L1@1'],
    );
  });
});

describe('checks one at a time', () => {
  it('a call made while another runs starts when it ends, each with its own result or error', async () => {
    const events = [];
    let running = 0;
    const slow = oneAtATime(async (name, ms, fail = false) => {
      running++;
      events.push(`start ${name} (${running} running)`);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      events.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
    const results = await Promise.allSettled([slow('alarm', 30, true), slow('check now', 5), slow('third', 1)]);
    assert.deepEqual(events, [
      'start alarm (1 running)',
      'end alarm',
      'start check now (1 running)',
      'end check now',
      'start third (1 running)',
      'end third',
    ]);
    assert.equal(results[0].status, 'rejected');
    assert.equal(results[0].reason.message, 'alarm failed');
    assert.deepEqual(
      results.slice(1).map((r) => r.value),
      ['check now', 'third'],
    );
  });
});

describe("the worker's configuration cache", () => {
  /** A store whose reads the test finishes by hand, in any order. */
  function store(initial) {
    const s = { value: initial, reads: [], writes: 0 };
    s.load = (isCurrent) =>
      new Promise((resolve, reject) => {
        const seen = s.value; // what storage held when the read started
        s.reads.push({
          finish: () => resolve({ seen, current: isCurrent() }),
          fail: () => reject(new Error('storage failed')),
        });
      });
    return s;
  }

  it('reads once for every caller until invalidated', async () => {
    const s = store('v1');
    const c = cached(s.load);
    const both = Promise.all([c.get(), c.get()]);
    assert.equal(s.reads.length, 1);
    s.reads[0].finish();
    assert.deepEqual(
      (await both).map((x) => x.seen),
      ['v1', 'v1'],
    );
    assert.equal((await c.get()).seen, 'v1');
    assert.equal(s.reads.length, 1, 'kept');
  });

  it('a read that started before a save and ends after it is not kept: the next reader gets the save', async () => {
    const s = store({ end: '08:00' });
    const c = cached(s.load);
    const stale = c.get(); // e.g. the onChanged of the save before
    s.value = { end: '16:00' }; // the options page's save lands…
    c.invalidate(); // …and invalidates
    const fresh = c.get();
    assert.equal(s.reads.length, 2, 'read again');
    s.reads[1].finish();
    assert.deepEqual(await fresh, { seen: { end: '16:00' }, current: true });
    s.reads[0].finish(); // the old read ends last
    assert.deepEqual(
      await stale,
      { seen: { end: '08:00' }, current: false },
      'its own caller gets it, and it knows it is not current',
    );
    assert.deepEqual((await c.get()).seen, { end: '16:00' }, 'the save stays in effect');
    assert.equal(s.reads.length, 2);
  });

  it('a failed read is not kept', async () => {
    const s = store('v1');
    const c = cached(s.load);
    const first = c.get();
    s.reads[0].fail();
    await assert.rejects(first, /storage failed/);
    const again = c.get();
    assert.equal(s.reads.length, 2);
    s.reads[1].finish();
    assert.equal((await again).seen, 'v1');
  });
});

describe('whyMissing: each issue with no result reads why (issue #15 b)', () => {
  it('an answer set aside: the issues it held read its reason; the others the general one', () => {
    const out = {
      ok: true,
      results: [{ id: '3' }],
      unavailable: { 4: 'HTTP 403' },
      rejected: [{ input: 1, reason: "Redmine's answer could not be read: not JSON" }],
    };
    const why = whyMissing(out, ['1', '2', '3', '4', '5'], [null, ['1', '2'], ['3', '5']]);
    assert.equal(why.get('1'), "Redmine's answer could not be read: not JSON");
    assert.equal(why.get('2'), "Redmine's answer could not be read: not JSON");
    assert.equal(why.has('3'), false);
    assert.equal(why.get('4'), 'HTTP 403');
    assert.equal(why.get('5'), 'the tracker did not return this issue');
  });

  it("without the docs' ids (the worker fetched): a rejection is the reason of every issue with no result", () => {
    const why = whyMissing({ ok: true, results: [], rejected: [{ input: 0, reason: 'R' }] }, ['1']);
    assert.equal(why.get('1'), 'R');
    assert.equal(
      whyMissing({ ok: true, results: [], fatal: 'boom' }, ['1']).get('1'),
      "the tracker's answer could not be read (boom)",
    );
  });
});
