// @ts-check
// The demo page: a tracker's issue list with an SLA column. Everything from the data (titles,
// names, policy text) is put into the page with textContent only.

import { load, Board, setClock, toneCounts, TONES } from './sla-lens.js';
import { DEMO_NOW, SEED_TICKETS, BUSINESS_TICKETS, engineTickets } from './demo-data.js';
import { h } from './dom.js';
import { TONE_WORDS } from './badge-view.js';
import { holidayPicker } from './holiday-picker.js';

const params = new URLSearchParams(location.search);
const frozen = params.has('frozen');
const started = performance.now();
// The demo clock: DEMO_NOW, running on in real time unless frozen.
setClock(frozen ? () => DEMO_NOW : () => DEMO_NOW + Math.floor(performance.now() - started));

/** The demo page's own elements (index.html has every one this file asks for). */
const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

const AVATAR_COLORS = ['#7a5af8', '#2e90fa', '#ee46bc', '#15b79e', '#ef6820', '#6172f3'];

/** @param {string | null | undefined} s */
function statusClass(s) {
  const v = (s ?? '').toLowerCase();
  if (v === 'new') return 's-new';
  if (v === 'in progress') return 's-progress';
  if (v.startsWith('waiting') || v === 'feedback') return 's-waiting';
  if (['resolved', 'closed', 'done', 'rejected'].includes(v)) return 's-done';
  return '';
}

/** @param {string} name */
function initials(name) {
  return name
    .split(/\s+/)
    .map((p) => p[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

/** @param {string} name */
function colorFor(name) {
  let n = 0;
  for (const ch of name) n = (n * 31 + /** @type {number} */ (ch.codePointAt(0))) >>> 0;
  return AVATAR_COLORS[n % AVATAR_COLORS.length];
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Berlin',
});

/** @param {string} stamp */
function createdText(stamp) {
  const t = Date.parse(stamp);
  return Number.isNaN(t) ? String(stamp) : dateFmt.format(t);
}

/** @param {import('./demo-data.js').DemoTicket} t */
function row(t) {
  const critical = /^(urgent|critical|immediate|blocker|highest|p1)$/i.test(t.fields?.priority ?? '');
  const title = h('td', { class: 'title' }, h('a', { href: `#${t.id}`, text: t.title }));
  const meta = h('div', { class: 'meta' });
  meta.append(h('span', { text: `by ${t.requester ?? 'unknown'}` }));
  for (const l of t.labels ?? [])
    meta.append(h('span', { class: l === 'general-it' ? 'label warn' : 'label', text: l }));
  title.append(meta);
  const assignee = t.assignee
    ? h(
        'span',
        { class: 'assignee' },
        h('span', {
          class: 'avatar',
          style: `--av:${colorFor(t.assignee)}`,
          'aria-hidden': 'true',
          text: initials(t.assignee),
        }),
        t.assignee,
      )
    : h('span', { class: 'unassigned', text: 'Unassigned' });
  const badge = h('sla-badge', { 'ticket-id': t.id });
  return h(
    'tr',
    { 'data-id': t.id },
    h('td', { class: 'id', text: t.id }),
    title,
    h('td', {}, h('span', { class: critical ? 'prio critical' : 'prio', text: t.fields?.priority ?? '—' })),
    h('td', { text: t.fields?.category ?? '—' }),
    h('td', {}, h('span', { class: `status ${statusClass(t.status)}`, text: t.status ?? '—' })),
    h('td', {}, assignee),
    h('td', { class: 'created', text: createdText(t.created) }),
    h('td', { class: 'sla' }, badge),
  );
}

/** @param {string} spec */
function durationText(spec) {
  return spec;
}

/** @param {string} policyText */
function termsOf(policyText) {
  try {
    const p = JSON.parse(policyText);
    const tiers = new Map((p.priorities ?? []).map((/** @type {{ id: string, name: string }} */ x) => [x.id, x.name]));
    const parts = (p.targets ?? [])
      .filter((/** @type {{ category?: string }} */ t) => !t.category)
      .map((/** @type {{ priority: string, response?: string, resolution?: string }} */ t) => {
        const m = [
          t.response && `response ${durationText(t.response)}`,
          t.resolution && `resolution ${durationText(t.resolution)}`,
        ]
          .filter(Boolean)
          .join(', ');
        return `${tiers.get(t.priority) ?? t.priority}: ${m}`;
      });
    const cal = (p.targets ?? [])[0]?.calendar ?? '24x7';
    const calText = cal === '24x7' ? 'round the clock (24×7)' : `${cal} (${p.calendars?.[cal]?.timeZone ?? ''})`;
    const esc = (p.escalation?.levels ?? [])
      .map((/** @type {{ level: number, role: string }} */ l) => `L${l.level} ${l.role}`)
      .join(' → ');
    return [parts.join(' · '), calText, esc && `escalation ${esc}`].filter(Boolean).join(' · ');
  } catch {
    return '';
  }
}

// `policyText`: set by main() from the engine's example policies before any view shows.
const views = {
  seed: { tickets: SEED_TICKETS, policyText: '' },
  business: { tickets: BUSINESS_TICKETS, policyText: '' },
};
/** @type {typeof import('./pkg/sla_lens.js')} */
let api;
/** @type {Board | null} */
let board = null;
let current = 'seed';

/** @param {string} view  `seed` or `business` */
function showIssues(view) {
  const v = views[/** @type {keyof typeof views} */ (view)];
  const engine = new api.SlaEngine(v.policyText);
  board?.dispose();
  board = new Board(engine, { onEvaluate: () => renderSummary() });
  const rows = $('#rows');
  rows.replaceChildren(...v.tickets.map(row));
  board.setTickets(engineTickets(v.tickets));
  board.mount(rows);
  $('#policy-name').textContent = engine.name;
  $('#policy-terms').textContent = termsOf(v.policyText);
}

function renderSummary() {
  if (!board) return;
  const counts = /** @type {Record<string, number>} */ (toneCounts(board.results));
  /** @type {string[]} */
  const order = [...Object.values(TONES), 'error'];
  const items = [...new Set(order)]
    .filter((t) => counts[t])
    .map((t) =>
      h(
        'li',
        { class: `t-${t}` },
        h('b', { text: String(counts[t]) }),
        ` ${TONE_WORDS[/** @type {keyof typeof TONE_WORDS} */ (t)]}`,
      ),
    );
  $('#summary').replaceChildren(...items);
}

/** @param {string} view  `seed`, `business` or `policy` */
function selectTab(view) {
  current = view;
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.tabs button[data-view]'))) {
    b.setAttribute('aria-selected', String(b.dataset.view === view));
  }
  const policy = view === 'policy';
  $('#panel-issues').hidden = policy;
  $('#panel-policy').hidden = !policy;
  if (!policy) {
    $('#panel-issues').setAttribute('aria-labelledby', `tab-${view}`);
    showIssues(view);
  }
  const url = new URL(location.href);
  url.hash = view === 'seed' ? '' : view;
  history.replaceState(null, '', url);
}

/** @param {string} text  the policy */
function renderDiagnostics(text) {
  const res = api.validatePolicy(text);
  const list = $('#diagnostics');
  if (res.diagnostics.length === 0) {
    list.replaceChildren(
      h('li', { class: 'ok' }, h('div', { class: 'd-head', text: 'No problems found' }), 'The policy is valid.'),
    );
  } else {
    list.replaceChildren(
      ...res.diagnostics.map((d) =>
        h(
          'li',
          { class: d.severity },
          h(
            'div',
            { class: 'd-head' },
            `${d.severity} · ${d.code}`,
            h('span', { class: 'd-path', text: d.path || '(document)' }),
          ),
          d.message,
        ),
      ),
    );
  }
  /** @type {HTMLButtonElement} */ ($('#apply')).disabled = !res.ok;
  return res;
}

function tickClock() {
  const el = $('#clock');
  const t = frozen ? DEMO_NOW : DEMO_NOW + Math.floor(performance.now() - started);
  const when = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
    timeZoneName: 'short',
  }).format(t);
  el.replaceChildren(
    h('span', { text: `Demo time ${when}` }),
    h('span', { class: frozen ? 'live frozen' : 'live', text: frozen ? 'frozen' : 'live' }),
  );
}

async function main() {
  const t0 = performance.now();
  api = await load();
  const loadMs = performance.now() - t0;
  $('#load-time').textContent = `(engine loaded in ${loadMs.toFixed(0)} ms)`;
  views.seed.policyText = api.examplePolicy('default');
  views.business.policyText = api.examplePolicy('business-hours');
  $('#legend').textContent =
    'Hover or focus a badge for the explanation: business vs wall-clock time, pauses, holidays, escalation. The countdowns tick every minute; the engine re-evaluates only when a state or escalation level changes.';

  const editor = /** @type {HTMLTextAreaElement} */ ($('#policy-text'));
  editor.value = views.seed.policyText;
  renderDiagnostics(editor.value);
  let pending = 0;
  editor.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => renderDiagnostics(editor.value), 150);
  });
  $('#apply').addEventListener('click', () => {
    const res = renderDiagnostics(editor.value);
    if (!res.ok) return;
    views.seed.policyText = editor.value;
    $('#apply-status').textContent = 'Applied to the "Seed SLA" issue list.';
    selectTab('seed');
  });
  $('#reset').addEventListener('click', () => {
    editor.value = api.examplePolicy('default');
    views.seed.policyText = editor.value;
    renderDiagnostics(editor.value);
    $('#apply-status').textContent = 'Reset to the seed policy.';
  });
  // Public holidays for the policy's calendars, from the generated data (holidays.js).
  const calendarsOf = () => {
    try {
      const c = JSON.parse(editor.value)?.calendars;
      return c && typeof c === 'object' && !Array.isArray(c) ? Object.keys(c) : [];
    } catch {
      return [];
    }
  };
  const picker = await holidayPicker({
    calendars: calendarsOf,
    fill: (calendar, holidays) => {
      const p = JSON.parse(editor.value);
      p.calendars[calendar].holidays = holidays;
      editor.value = JSON.stringify(p, null, 2);
      renderDiagnostics(editor.value);
    },
    year: 2026,
  }).catch((e) => {
    $('#holidays').textContent = `Public holidays are not available here: ${e.message}`;
    return null;
  });
  if (picker) {
    $('#holidays').replaceChildren(picker.element);
    editor.addEventListener('change', picker.refresh);
    $('#reset').addEventListener('click', picker.refresh);
    $('#load-business').addEventListener('click', () => {
      editor.value = api.examplePolicy('business-hours');
      renderDiagnostics(editor.value);
      picker.refresh();
      $('#apply-status').textContent = 'The business-hours example is in the editor.';
    });
  }
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.tabs button[data-view]'))) {
    b.addEventListener('click', () => selectTab(/** @type {string} */ (b.dataset.view))); // [data-view]
  }
  tickClock();
  setInterval(tickClock, 15_000);
  window.addEventListener('hashchange', () => {
    const v = location.hash.slice(1);
    const view = v === 'business' || v === 'policy' ? v : 'seed';
    if (view !== current) selectTab(view);
  });
  const initial = location.hash.slice(1);
  selectTab(initial === 'business' || initial === 'policy' ? initial : 'seed');
  document.body.dataset.ready = 'true';
  /** @type {any} */ (window).slaDemo = { board: () => board, api, current: () => current };
}

main().catch((e) => {
  document.body.dataset.ready = 'error';
  $('#rows').replaceChildren(h('tr', {}, h('td', { colspan: '8', text: `Cannot load the SLA engine: ${e.message}` })));
  throw e;
});
