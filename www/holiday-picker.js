// @ts-check
// A small form that fills a calendar's `holidays` from the generated public-holiday data
// (holidays.js): a country (named in the page's language by Intl.DisplayNames), optionally one of
// its regions, a range of years and the calendar to fill. The host says which calendars exist and
// what filling one means (the demo rewrites its policy JSON; the policy editor will set its
// form). Text only: every name reaches the page through textContent.
//
//   const picker = await holidayPicker({ calendars: () => ['berlin-office'], fill: (cal, list) => … });
//   parent.append(picker.element);   // picker.refresh() after the host's calendars changed

import { h } from './dom.js';
import { holidayIndex, publicHolidays } from './holidays.js';

/**
 * @typedef {import('./holidays.js').Holiday} Holiday
 * @typedef {object} PickerOptions
 * @property {() => string[]} calendars  the calendars that can be filled, asked each time it matters
 * @property {(calendar: string, holidays: Holiday[], summary: string) => void} fill
 * @property {string} [lang]  for country names (default: the page's `lang`, then the browser's)
 * @property {string} [country]  the country first selected (default: the language's region, else DE)
 * @property {number} [year]  the first year offered (default: this year, within the data's years)
 * @property {import('./holidays.js').ReadJson} [read]  how to read the data (tests)
 */

let serial = 0;

/**
 * Builds the form (a `<fieldset>`); it reads the data's index once. `refresh` re-reads the host's
 * calendars.
 * @param {PickerOptions} o
 * @returns {Promise<{ element: HTMLFieldSetElement, refresh: () => void }>}
 */
export async function holidayPicker(o) {
  const index = await holidayIndex(o.read ? { read: o.read } : {});
  const id = `sla-holidays-${++serial}`;
  const lang = o.lang || document.documentElement.lang || navigator.language || 'en';
  /** @type {Intl.DisplayNames | null} */
  let names = null;
  try {
    names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
  } catch {
    names = null;
  }
  const countryName = (/** @type {string} */ code) => {
    try {
      return names?.of(code) ?? code;
    } catch {
      return code;
    }
  };
  const countries = Object.keys(index.countries)
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));

  const field = (/** @type {string} */ label, /** @type {HTMLElement} */ control) => {
    control.id = `${id}-${control.dataset.part}`;
    return h('p', { class: 'field' }, h('label', { for: control.id, text: label }), control);
  };
  const country = h('select', { 'data-part': 'country' });
  for (const c of countries) country.append(h('option', { value: c.code, text: `${c.name} (${c.code})` }));
  const region = h('select', { 'data-part': 'region' });
  const [lo, hi] = index.years;
  const year = (/** @type {string} */ part) =>
    h('input', { type: 'number', min: lo, max: hi, step: 1, 'data-part': part });
  const from = year('from');
  const to = year('to');
  const calendar = h('select', { 'data-part': 'calendar' });
  const button = h('button', { type: 'button', text: 'Fill holidays' });
  const status = h('p', { class: 'hint', role: 'status' });

  const preferred = (o.country ?? new Intl.Locale(lang).maximize().region ?? 'DE').toUpperCase();
  country.value = Object.hasOwn(index.countries, preferred)
    ? preferred
    : Object.hasOwn(index.countries, 'DE')
      ? 'DE'
      : countries[0].code;
  const first = Math.min(Math.max(o.year ?? new Date().getFullYear(), lo), hi);
  from.value = String(first);
  to.value = String(Math.min(first + 1, hi));

  const regions = () => {
    const known = index.countries[country.value];
    region.replaceChildren(h('option', { value: '', text: 'The whole country' }));
    for (const r of known?.regions ?? [])
      region.append(h('option', { value: r.code, text: r.name === r.code ? r.code : `${r.name} (${r.code})` }));
    region.disabled = !known?.regions.length;
  };
  const calendars = () => {
    const list = o.calendars();
    const was = calendar.value;
    calendar.replaceChildren(...list.map((c) => h('option', { value: c, text: c })));
    if (list.includes(was)) calendar.value = was;
    button.disabled = list.length === 0;
    status.textContent = list.length ? '' : 'The policy has no calendar to fill: add one under "calendars" first.';
  };
  country.addEventListener('change', regions);
  calendar.addEventListener('focus', calendars);
  button.addEventListener('click', async () => {
    calendars();
    if (button.disabled) return;
    const f = Number(from.value);
    const t = Number(to.value);
    try {
      const list = await publicHolidays(country.value, {
        region: region.value || null,
        from: f,
        to: t,
        ...(o.read ? { read: o.read } : {}),
      });
      const where = region.value
        ? `${countryName(country.value)}, ${region.selectedOptions[0]?.textContent ?? region.value}`
        : countryName(country.value);
      const summary = `${list.length} public holidays of ${where}, ${f}–${t}, filled into "${calendar.value}" (${index.source}); edit them as you need.`;
      o.fill(calendar.value, list, summary);
      status.textContent = summary;
    } catch (e) {
      status.textContent = e instanceof Error ? e.message : String(e);
    }
  });
  regions();
  calendars();

  const element = h(
    'fieldset',
    { class: 'holiday-picker' },
    h('legend', { text: 'Public holidays' }),
    h('div', { class: 'row' }, field('Country', country), field('Region', region)),
    h('div', { class: 'row' }, field('From', from), field('To', to), field('Calendar', calendar)),
    h('div', { class: 'row' }, button),
    status,
  );
  return { element, refresh: calendars };
}
