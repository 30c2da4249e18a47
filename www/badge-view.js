// @ts-check
// What a badge shows, as plain data: tone, short text, escalation chip, accessible label and
// tooltip lines. Pure functions (no DOM, no clock, no Wasm), so node:test covers them directly.
//
// Input: one batch result of `engine.evaluate(tickets, nowMs, {explain: true})` and the current
// instant. Between two evaluations only time moves, so the countdown is derived here from the
// evaluation: `remainingNow` (business seconds left now) comes from the caller, which asks the
// engine's calendar API (`engine.elapsed`) how much business time passed since the evaluation.

/** @typedef {import('./pkg/sla_lens.js').TicketResult} TicketResult */
/** @typedef {import('./pkg/sla_lens.js').State} State */
/**
 * An issue whose tracker data could not be had (www/trackers/): shown as "SLA unavailable".
 * @typedef {{ id: string, unavailable: { kind: string, reason: string, lines?: string[] },
 *   evaluation?: undefined, error?: undefined, explanation?: undefined }} UnavailableResult
 */

/**
 * A URL from tracker data (a ticket's `url`) as a link target: the parsed URL when it is an
 * absolute http(s) URL, else null — `javascript:`, `data:`, `blob:`, relative and unparsable
 * texts are never made links (URL parsing, not a pattern: `JaVaScRiPt:`, leading blanks and
 * control characters are what the browser would see). Every view that links an issue uses it.
 * @param {unknown} text
 * @returns {string | null}
 */
export function httpUrl(text) {
  if (typeof text !== 'string' || !text) return null;
  let u;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
}

/** Badge tones, one per state (plus `error`). */
export const TONES = Object.freeze({
  running: 'on-track',
  atRisk: 'at-risk',
  breached: 'breached',
  paused: 'paused',
  met: 'met',
  metLate: 'met-late',
  notApplicable: 'out-of-scope',
  unknown: 'unknown',
});

const TONE_WORDS = Object.freeze({
  'on-track': 'on track',
  'at-risk': 'at risk',
  breached: 'breached',
  paused: 'paused',
  met: 'met',
  'met-late': 'met late',
  'out-of-scope': 'out of scope',
  unknown: 'unknown',
  error: 'error',
  unavailable: 'unavailable',
});

/** The engine's states, most urgent first: the order summaries (popup, options) list them in. */
export const STATE_ORDER = Object.freeze([
  'breached',
  'atRisk',
  'running',
  'paused',
  'unknown',
  'metLate',
  'met',
  'notApplicable',
]);

/**
 * A state's word, as the badges say it ("on track", "met late", "unknown", …).
 * @param {string} state
 */
export function stateWord(state) {
  return WORD_OF[TONE_OF[state] ?? ''] ?? state;
}

/** TONES and TONE_WORDS looked up by any text (a state or tone they lack reads as undefined). */
const TONE_OF = /** @type {Readonly<Record<string, string | undefined>>} */ (TONES);
const WORD_OF = /** @type {Readonly<Record<string, string | undefined>>} */ (TONE_WORDS);

/** Instant text (RFC 3339) or null → epoch ms or null. @param {string | null | undefined} iso */
export function ms(iso) {
  if (iso == null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Compact duration, two units at most, minute resolution: `2d 3h`, `4h 12m`, `12m`, `<1m`. @param {number} seconds */
export function shortDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return '<1m';
  const m = Math.floor(s / 60);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return mm > 0 ? `${h}h ${mm}m` : `${h}h`;
  return `${mm}m`;
}

/**
 * The tooltip line for a computer whose clock is off from the tracker's (`skewMs`: the tracker's
 * clock less ours). The skew is known to about a second (trackers/net.js), so it is said to the
 * nearest minute: 2h 59m 59.6s behind reads "3h behind", not "2h 59m".
 * @param {number} skewMs
 * @param {string} label
 */
export function skewNote(skewMs, label) {
  const ahead = skewMs < 0;
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  return `Your computer's clock is ${shortDuration(minutes * 60)} ${ahead ? 'ahead of' : 'behind'} ${label}'s; times here follow ${label}'s clock`;
}

/** One unit, floored, for "… ago": `2h`, `3d`, `5m`. @param {number} seconds */
export function coarseDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return '<1m';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Spoken duration for labels: `4 hours 12 minutes`. @param {number} seconds */
export function spokenDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return 'less than a minute';
  const m = Math.floor(s / 60);
  const parts = [];
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  const unit = (/** @type {number} */ n, /** @type {string} */ w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (d) parts.push(unit(d, 'day'));
  if (h) parts.push(unit(h, 'hour'));
  if (mm && !d) parts.push(unit(mm, 'minute'));
  return parts.join(' ');
}

const METRIC = { response: 'Response', resolution: 'Resolution' };

/**
 * The one "SLA unavailable" result: an issue whose tracker data could not be had, and why (text).
 * The page integration makes it from a Fault (annotate.js `unavailable`), the extension's badge
 * script from the worker's reason; `badgeView` shows it the same way for both.
 * @param {string} id
 * @param {string} reason
 * @param {{ kind?: string, transient?: boolean }} [o]  `transient`: worth asking again (a timeout, a 5xx)
 * @returns {UnavailableResult}
 */
export function unavailableResult(id, reason, { kind = 'unavailable', transient = false } = {}) {
  return {
    id,
    unavailable: { kind, reason: String(reason), lines: transient ? ['The page itself is unaffected.'] : [] },
  };
}

/**
 * The badge's view of a result at `nowMs`.
 * @param {TicketResult | UnavailableResult | null | undefined} result
 * @param {number} nowMs
 * @param {{ remainingNow?: number | null, policyName?: string, lines?: string[] | null, done?: unknown, viewerZone?: string }} [extra]
 *   `lines`: the tooltip sentences when the result has no `explanation` (lazy boards); `done`:
 *   the escalations done when the result's evaluation lacks them (the extension's compact rows).
 */
export function badgeView(result, nowMs, extra = {}) {
  if (!result) {
    return {
      tone: 'out-of-scope',
      state: 'unknown',
      text: '…',
      escalation: null,
      label: 'SLA: not evaluated yet',
      heading: 'Not evaluated yet',
      lines: [],
      footer: '',
    };
  }
  if ('unavailable' in result && result.unavailable) {
    // The tracker's data could not be had (HTTP error, timeout, malformed answer): a grey badge
    // whose tooltip says why (www/trackers/).
    const u = result.unavailable;
    return {
      tone: 'unavailable',
      state: 'unavailable',
      text: 'SLA unavailable',
      escalation: null,
      label: `SLA unavailable: ${u.reason}`,
      heading: 'SLA unavailable',
      lines: [u.reason, ...(u.lines ?? [])],
      footer: extra.policyName ?? '',
    };
  }
  if (result.error) {
    const e = result.error;
    return {
      tone: 'error',
      state: 'error',
      text: 'SLA error',
      escalation: null,
      label: `SLA error: ${e.message}`,
      heading: `Cannot evaluate this issue (${e.code})`,
      lines: [e.message, e.path ? `at ${e.path}` : ''].filter(Boolean),
      footer: extra.policyName ?? '',
    };
  }
  // Neither unavailable nor an error: an evaluated result (TicketResult's first member).
  const ev = /** @type {import('./pkg/sla_lens.js').Evaluation} */ (result.evaluation);
  const tone = TONES[ev.state] ?? 'out-of-scope';
  const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
  const metric = METRIC[ev.headline] ?? 'SLA';
  const calendarKind = ev.calendar && ev.calendar !== '24x7' ? ' of business time' : '';
  let text;
  let spoken;
  switch (ev.state) {
    case 'running':
    case 'atRisk': {
      const left = extra.remainingNow ?? m.remaining ?? 0;
      if (left <= 0) {
        text = 'due now';
        spoken = 'due now';
      } else {
        text = `${shortDuration(left)} left`;
        spoken = `${spokenDuration(left)}${calendarKind} left`;
      }
      break;
    }
    case 'breached': {
      const due = ms(m.deadline);
      const ago = due == null ? 0 : (nowMs - due) / 1000;
      text = ago < 60 ? 'breached just now' : `breached ${coarseDuration(ago)} ago`;
      spoken = ago < 60 ? 'breached just now' : `breached ${spokenDuration(ago)} ago`;
      break;
    }
    case 'paused':
      text = 'paused';
      spoken = `paused${ev.status ? ` (${ev.status})` : ''}, ${spokenDuration(m.remaining ?? 0)}${calendarKind} left when it resumes`;
      break;
    case 'met':
      text = 'met';
      spoken = 'met';
      break;
    case 'metLate':
      text = 'met late';
      spoken = 'met late';
      break;
    case 'unknown':
      // A list or CSV export lacks what would decide it (DESIGN.md, "Snapshots").
      text = 'unknown';
      spoken = `unknown: the export lacks ${m.missing === 'replies' ? 'the replies' : m.missing === 'resolvedAt' ? 'when it was resolved' : 'the status history'}`;
      break;
    default: {
      const kind = ev.applicability.kind;
      const out = kind === 'notIncluded' || kind === 'excluded';
      text = out ? 'out of scope' : 'no SLA';
      spoken = out ? 'out of scope' : 'no SLA applies';
    }
  }
  const cur = ev.escalation.current;
  const escalation = cur ? `L${cur.level}` : null;
  const escSpoken = cur ? `, escalated to level ${cur.level} (${cur.role})` : '';
  const isNa = ev.state === 'notApplicable';
  const label = isNa ? `SLA: ${spoken}` : `${metric} SLA ${TONE_WORDS[tone]}: ${spoken}${escSpoken}`;
  const tier = ev.priority ? ` · ${ev.priority.name}` : '';
  const heading = isNa ? (text === 'out of scope' ? 'Out of scope' : 'No SLA') : `${metric} ${TONE_WORDS[tone]}${tier}`;
  // Escalations done in this cycle: items with a link to the note; the engine's own sentence for
  // them ("Escalated to IT manager (…) at … (note #3).") is then not repeated among the lines.
  const escalated = escalationItems(extra.done ?? ev.escalation?.done, nowMs, { viewerZone: extra.viewerZone });
  let lines = (extra.lines ?? result.explanation?.lines ?? []).slice();
  if (escalated.length) lines = lines.filter((l) => !(typeof l === 'string' && l.startsWith('Escalated to ')));
  return {
    tone,
    state: ev.state,
    text,
    escalation,
    label: escalated.length ? `${label}; ${escalated.map((e) => e.line).join('; ')}` : label,
    heading,
    lines,
    escalated,
    footer: extra.policyName ?? '',
  };
}

/**
 * One escalation item (`escalationItems`) as a list item: its text (after `prefix`), and the note
 * in brackets — a link opening in a new tab when it has an http(s) URL. Text nodes only, never
 * HTML. Shared by the tooltip and the extension's popup.
 * @param {{ text: string, note: string | null, url: string | null }} e
 * @param {{ prefix?: string, className?: string }} [o]
 * @returns {HTMLLIElement}
 */
export function escalationLi(e, o = {}) {
  const li = document.createElement('li');
  if (o.className) li.className = o.className;
  li.append(`${o.prefix ?? ''}${e.text}`);
  if (e.note) {
    li.append(' (');
    if (e.url) {
      const a = document.createElement('a');
      a.href = e.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = e.note;
      li.append(a);
    } else li.append(e.note);
    li.append(')');
  }
  return li;
}

/**
 * The levels escalated in the current cycle (`evaluation.escalation.done`, as the issue's
 * sla-lens notes record them; DESIGN.md "Evaluating a ticket", rule 11) as tooltip items:
 * `{ text: 'Escalated to Ingrid Vogt 10:05', note: 'note #3', url, line }` — who (the contacts by
 * name, else the role), when (the time in the viewer's zone, with the day when not today), the
 * note (`note #3`: Redmine's note number; `comment 123` elsewhere) and its link when it is an
 * http(s) URL (`httpUrl`), `line` all of it as one text. Plain text, never HTML.
 * @param {unknown} done
 * @param {number} nowMs
 * @param {{ viewerZone?: string }} [o]
 * @returns {{ text: string, note: string | null, url: string | null, line: string }[]}
 */
export function escalationItems(done, nowMs, o = {}) {
  if (!Array.isArray(done)) return [];
  const zone = o.viewerZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const out = [];
  for (const d of done) {
    if (!d || typeof d !== 'object') continue;
    const names = (Array.isArray(d.contacts) ? d.contacts : [])
      .map((/** @type {{ name?: unknown } | null | undefined} */ c) =>
        c && typeof c.name === 'string' ? c.name.trim() : '',
      )
      .filter(Boolean);
    const role = typeof d.role === 'string' && d.role.trim() ? d.role.trim() : `level ${Number(d.level) || '?'}`;
    const who = names.length ? names.join(', ') : role;
    const at = ms(typeof d.at === 'string' ? d.at : null);
    let when = '';
    if (at != null) {
      const c = clockIn(at, zone, nowMs);
      when = ` ${c.day}${c.time}`;
    }
    const text = `Escalated to ${who}${when}`;
    const ref = typeof d.note === 'string' && d.note ? d.note : null;
    const note = ref == null ? null : ref.startsWith('#') ? `note ${ref}` : `comment ${ref}`;
    const url = note == null ? null : httpUrl(d.url);
    out.push({ text, note, url, line: note ? `${text} (${note})` : text });
  }
  return out;
}

/**
 * Counts of results per tone, for summaries.
 * @param {Iterable<{ unavailable?: unknown, error?: unknown, evaluation?: { state: string } | null } | null | undefined>} results
 */
export function toneCounts(results) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const r of results) {
    const t = r?.unavailable
      ? 'unavailable'
      : r?.error
        ? 'error'
        : (TONE_OF[r?.evaluation?.state ?? ''] ?? 'out-of-scope');
    counts[t] = (counts[t] ?? 0) + 1;
  }
  return counts;
}

export { TONE_WORDS };

// ---------------------------------------------------------------------------------------------
// Deadlines in two zones
// ---------------------------------------------------------------------------------------------

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();
/**
 * @param {number} ms
 * @param {string} zone
 * @returns {Partial<Record<Intl.DateTimeFormatPartTypes, string>>}
 */
function parts(ms, zone) {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, f);
  }
  /** @type {Partial<Record<Intl.DateTimeFormatPartTypes, string>>} */
  const out = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

/** `Europe/Berlin` → `Berlin`, `America/New_York` → `New York`, `UTC` → `UTC`. @param {string} zone */
export function zonePlace(zone) {
  const last = String(zone).split('/').pop() ?? String(zone);
  return last.replace(/_/g, ' ');
}

/**
 * `{ day, time }` in that zone; `day` (`Mon 30 Nov`) is empty when it is today there.
 * @param {number} ms
 * @param {string} zone
 * @param {number} nowMs
 */
function clockIn(ms, zone, nowMs) {
  const d = parts(ms, zone);
  const n = parts(nowMs, zone);
  const time = `${d.hour}:${d.minute}`;
  if (d.day === n.day && d.month === n.month && d.year === n.year) return { day: '', time };
  const year = d.year === n.year ? '' : ` ${d.year}`;
  return { day: `${d.weekday} ${d.day} ${d.month}${year} `, time };
}

/**
 * A deadline for a reader in `viewerZone` under a calendar in `calendarZone`:
 * `due 17:00 Berlin · 11:00 your time`; `due 17:00 Berlin time` when both clocks read the same;
 * `due 11:00 your time` without a calendar zone (24x7 counts no local hours). The day is added
 * when it is not today in that zone (`due Mon 30 Nov 09:00 Berlin · 03:00 your time`; the
 * viewer's day only when it differs from the calendar's). `past: true` says `was due`.
 * @param {number} deadlineMs
 * @param {{ nowMs: number, viewerZone?: string, calendarZone?: string | null, past?: boolean }} o
 */
export function dueText(deadlineMs, o) {
  const word = o.past ? 'was due' : 'due';
  const viewer = o.viewerZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const mine = clockIn(deadlineMs, viewer, o.nowMs);
  const cal = o.calendarZone;
  if (!cal) return `${word} ${mine.day}${mine.time} your time`;
  const theirs = clockIn(deadlineMs, cal, o.nowMs);
  if (theirs.day === mine.day && theirs.time === mine.time)
    return `${word} ${theirs.day}${theirs.time} ${zonePlace(cal)} time`;
  // The viewer's day only when it differs from the calendar's.
  const myDay = mine.day === theirs.day ? '' : mine.day || 'today ';
  return `${word} ${theirs.day}${theirs.time} ${zonePlace(cal)} · ${myDay}${mine.time} your time`;
}
