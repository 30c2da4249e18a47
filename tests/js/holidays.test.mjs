// Public holidays from the generated data (www/holidays.js over www/holidays/, `make holidays`;
// issue #16 item 2): the hand-typed German holidays of the business-hours example agree with the
// dataset, regions add their own days, bad requests are refused, and the engine counts business
// time around the holidays filled in from the data.
//   make test-js
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { holidayIndex, publicHolidays } from '../../www/holidays.js';

const www = new URL('../../www/', import.meta.url);
const read = async (/** @type {string} */ name) => JSON.parse(readFileSync(new URL(`holidays/${name}`, www), 'utf8'));
const engine = createRequire(import.meta.url)('../../www/pkg-node/sla_lens.js');

describe('public holidays from the generated data', () => {
  it('covers the world: every country with regions, the years, and the source named', async () => {
    const index = await holidayIndex({ read });
    assert.ok(Object.keys(index.countries).length > 200, 'more than 200 countries');
    assert.deepEqual(index.years, [2025, 2035]);
    assert.match(index.source, /^holidays \d+\.\d+/);
    const de = index.countries.DE;
    assert.equal(de.language, 'de');
    assert.deepEqual(
      de.regions.find((r) => r.code === 'BY'),
      { code: 'BY', name: 'Bayern' },
    );
    assert.ok(
      ['BE', 'BY', 'NW', 'SN'].every((c) => de.regions.some((r) => r.code === c)),
      'the German states',
    );
  });

  it("agrees with the business-hours example's hand-typed German holidays for 2026–2027", async () => {
    const policy = JSON.parse(readFileSync(new URL('../../policies/business-hours.json', import.meta.url), 'utf8'));
    const typed = new Set();
    for (const h of policy.calendars['berlin-office'].holidays) {
      if (/^\d\d-\d\d$/.test(h.date)) for (const y of [2026, 2027]) typed.add(`${y}-${h.date}`);
      else typed.add(h.date);
    }
    const data = await publicHolidays('DE', { from: 2026, to: 2027, read });
    assert.deepEqual(
      data.map((h) => h.date),
      [...typed].sort(),
    );
    assert.deepEqual(data.slice(0, 3), [
      { date: '2026-01-01', name: 'Neujahr' },
      { date: '2026-04-03', name: 'Karfreitag' },
      { date: '2026-04-06', name: 'Ostermontag' },
    ]);
  });

  it("adds a region's own days and keeps the country's", async () => {
    const berlin = await publicHolidays('de', { region: 'BE', from: 2026, to: 2026, read });
    assert.ok(berlin.some((h) => h.date === '2026-03-08' && h.name === 'Frauentag'));
    assert.ok(berlin.some((h) => h.date === '2026-10-03'));
    const bavaria = await publicHolidays('DE', { region: 'BY', from: 2026, to: 2026, read });
    assert.ok(bavaria.some((h) => h.date === '2026-01-06' && h.name === 'Heilige Drei Könige'));
    assert.ok(!bavaria.some((h) => h.date === '2026-03-08'), 'not Berlin’s');
    const national = await publicHolidays('DE', { from: 2026, to: 2026, read });
    assert.ok(bavaria.length > national.length && berlin.length > national.length);
    for (const list of [berlin, bavaria, national]) {
      const dates = list.map((h) => h.date);
      assert.deepEqual(dates, [...new Set(dates)].sort(), 'one entry per date, in order');
    }
    // Other countries, in their own language.
    const fr = await publicHolidays('FR', { from: 2026, to: 2026, read });
    assert.ok(fr.some((h) => h.date === '2026-07-14'));
    const jp = await publicHolidays('JP', { from: 2026, to: 2026, read });
    assert.ok(jp.some((h) => h.date === '2026-01-01'));
  });

  it('is what the generator writes, byte for byte, from the pinned package (nothing typed by hand)', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'sla-holidays-'));
    try {
      execFileSync(join(root, '.tools/holidays-venv/bin/python'), [join(root, 'scripts/public-holidays.py'), out], {
        stdio: 'pipe',
      });
      const built = readdirSync(out).sort();
      assert.deepEqual(built, readdirSync(new URL('holidays/', www)).sort());
      for (const f of built)
        assert.ok(readFileSync(join(out, f)).equals(readFileSync(new URL(`holidays/${f}`, www))), `${f} is the same`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses what it has no data for rather than return a short list', async () => {
    await assert.rejects(publicHolidays('XX', { from: 2026, to: 2026, read }), /no data for the country "XX"/);
    await assert.rejects(publicHolidays('Germany', { from: 2026, to: 2026, read }), /not a two-letter/);
    await assert.rejects(publicHolidays('DE', { region: 'ZZ', from: 2026, to: 2026, read }), /not a region of DE/);
    await assert.rejects(publicHolidays('DE', { from: 2024, to: 2026, read }), /covers 2025–2035/);
    await assert.rejects(publicHolidays('DE', { from: 2027, to: 2026, read }), /not a range/);
    await assert.rejects(publicHolidays('toString', { from: 2026, to: 2026, read }), /two-letter/);
  });

  it('fills a calendar the engine accepts and counts around (Bavaria, 6 January 2026)', async () => {
    const policy = JSON.parse(engine.examplePolicy('business-hours'));
    const cal = policy.calendars['berlin-office'];
    cal.holidays = await publicHolidays('DE', { region: 'BY', from: 2026, to: 2027, read });
    cal.exceptions = [];
    const text = JSON.stringify(policy);
    const check = engine.validatePolicy(text);
    assert.deepEqual(
      check.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const e = new engine.SlaEngine(text);
    // Mon 5 Jan 16:00 + 2h business time: 1h on Monday; Tuesday 6 January is a holiday in
    // Bavaria; so Wed 7 Jan 10:00 (Berlin), 09:00 UTC.
    const due = e.deadlines('berlin-office', new Float64Array([Date.parse('2026-01-05T15:00:00Z')]), 2 * 3600);
    assert.equal(new Date(due[0]).toISOString(), '2026-01-07T09:00:00.000Z');
  });
});
