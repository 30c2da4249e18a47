// @ts-check
// Public holidays for a calendar's `holidays` list, from static data (issue #16 item 2): pick a
// country, optionally a region (a state, province, canton …) and a range of years, get the dated
// holidays, then edit them. The data is www/holidays/*.json, generated at build time from the
// maintained Python `holidays` package (scripts/public-holidays.py, `make holidays`) — never
// typed by hand: each country's public holidays in its own language, and per region the dates it
// adds or drops. Nothing here touches the DOM or the clock.
//
//   import { holidayIndex, publicHolidays } from './holidays.js';
//   const index = await holidayIndex();                 // countries, their regions, the years
//   const list = await publicHolidays('DE', { region: 'BE', from: 2026, to: 2027 });
//   policy.calendars.office.holidays = list;            // [{ date: '2026-01-01', name: 'Neujahr' }, …]

/**
 * @typedef {{ date: string, name: string }} Holiday  a calendar `holidays` entry (a dated one)
 * @typedef {{ code: string, name: string }} Region
 * @typedef {{ source: string, years: [number, number], countries: Record<string, { language: string | null, regions: Region[] }> }} HolidayIndex
 * @typedef {{ country: string, language: string | null, years: [number, number], source: string,
 *   holidays: [string, string][], regions: Record<string, { add: [string, string][], drop: [string, string][] }> }} CountryHolidays
 * @typedef {(name: string) => Promise<unknown>} ReadJson  reads `index.json` or `<CC>.json`
 */

const BASE = new URL('./holidays/', import.meta.url);

/** @type {ReadJson} */
async function fetchJson(name) {
  const r = await fetch(new URL(name, BASE));
  if (!r.ok) throw new Error(`holidays: ${name}: HTTP ${r.status}`);
  return r.json();
}

/**
 * The countries with data, each with its regions, and the years covered.
 * @param {{ read?: ReadJson }} [options]  how to read the data files (default: fetch next to this module)
 * @returns {Promise<HolidayIndex>}
 */
export function holidayIndex({ read = fetchJson } = {}) {
  let index = indexes.get(read);
  if (!index) {
    index = /** @type {Promise<HolidayIndex>} */ (read('index.json'));
    indexes.set(read, index);
    index.catch(() => indexes.delete(read)); // a failed read is tried again next time
  }
  return index;
}

/**
 * The index, read once per reader (the picker and each `publicHolidays` call share it).
 * @type {WeakMap<ReadJson, Promise<HolidayIndex>>}
 */
const indexes = new WeakMap();

/**
 * The public holidays of `country` (ISO 3166-1 alpha-2, e.g. "DE") — and of `region` within it
 * (its ISO 3166-2 subdivision code without the country, e.g. "BY") — from `from` to `to`
 * (years, inclusive), sorted by date, one entry per date (a date with two holidays names both).
 * Refuses a country or region without data, and years outside the data's, rather than return a
 * list that silently lacks them.
 * @param {string} country
 * @param {{ region?: string | null, from: number, to: number, read?: ReadJson }} options
 * @returns {Promise<Holiday[]>}
 */
export async function publicHolidays(country, { region = null, from, to, read = fetchJson }) {
  const cc = String(country).toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) throw new RangeError(`holidays: "${country}" is not a two-letter country code`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to)
    throw new RangeError(`holidays: the years ${from}–${to} are not a range`);
  const index = await holidayIndex({ read });
  const known = Object.hasOwn(index.countries, cc) ? index.countries[cc] : null;
  if (!known) throw new RangeError(`holidays: no data for the country "${cc}"`);
  const [lo, hi] = index.years;
  if (from < lo || to > hi) throw new RangeError(`holidays: the data covers ${lo}–${hi}, not ${from}–${to}`);
  const data = /** @type {CountryHolidays} */ (await read(`${cc}.json`));
  let pairs = data.holidays;
  if (region != null && region !== '') {
    const r = Object.hasOwn(data.regions, region) ? data.regions[region] : null;
    if (!r)
      throw new RangeError(`holidays: "${region}" is not a region of ${cc} (${Object.keys(data.regions).join(', ')})`);
    const drop = new Set(r.drop.map(([d, n]) => `${d}\u0000${n}`));
    pairs = [...pairs.filter(([d, n]) => !drop.has(`${d}\u0000${n}`)), ...r.add];
  }
  /** @type {Map<string, string[]>} */
  const byDate = new Map();
  for (const [date, name] of pairs) {
    const year = Number(date.slice(0, 4));
    if (year < from || year > to) continue;
    const names = byDate.get(date) ?? [];
    if (!names.includes(name)) names.push(name);
    byDate.set(date, names);
  }
  return [...byDate.keys()]
    .sort()
    .map((date) => ({ date, name: /** @type {string[]} */ (byDate.get(date)).join('; ') }));
}
