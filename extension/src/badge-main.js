// @ts-check
// The badge script, in the page's own world (custom elements are not available in a content
// script's isolated world): defines <sla-badge> from www/sla-lens.js and binds every badge the
// content script placed to a board that shows the worker's results. No engine here: the Wasm glue
// is replaced by a stub at build time, and each view comes from www/badge-view.js (pure functions
// over a result and the clock). Data arrives as JSON text in DOM events; it is only ever rendered
// as text.

import { badgeView, setClock, skewNote } from '../../www/sla-lens.js';
import { unavailableResult } from '../../www/badge-view.js';

const EV_RESULTS = 'sla-lens:results';
const EV_LINES = 'sla-lens:lines';
const EV_WANT_LINES = 'sla-lens:want-lines';
const EV_MAIN_READY = 'sla-lens:main-ready';

/** The Board interface <sla-badge> uses (badges, result, view), over results from the worker. */
class RemoteBoard {
  constructor() {
    this.badges = new Set();
    this.byId = new Map();
    this.unavailable = new Map();
    this.linesById = new Map();
    this.asked = new Set();
    this.policyName = '';
    this.skewMs = 0;
    this.tracker = 'the tracker';
  }

  /** @param {string} id */
  result(id) {
    return this.byId.get(String(id));
  }

  /** @param {string} id @param {number} t */
  view(id, t, withLines = true) {
    const key = String(id);
    const why = this.unavailable.get(key);
    // The page integration's "SLA unavailable" view (badge-view.js), not one of our own.
    if (why !== undefined) return badgeView(unavailableResult(key, why), t, { policyName: this.policyName });
    /** @type {string[] | null} */
    let lines = null;
    if (withLines) {
      lines = this.linesById.get(key) ?? null;
      if (!lines && !this.asked.has(key) && this.byId.has(key)) {
        this.asked.add(key);
        document.dispatchEvent(new CustomEvent(EV_WANT_LINES, { detail: JSON.stringify({ id: key }) }));
      }
      if (lines && this.skewMs) lines = [...lines, skewNote(this.skewMs, this.tracker)];
    }
    return badgeView(this.byId.get(key), t, { policyName: this.policyName, lines: lines ?? [] });
  }

  render() {
    for (const b of this.badges) b.update();
  }
}

const board = new RemoteBoard();

function bindAll() {
  for (const el of /** @type {NodeListOf<any>} */ (document.querySelectorAll('sla-badge[data-sla-lens]'))) {
    if (!(el instanceof HTMLElement) || typeof (/** @type {any} */ (el).update) !== 'function')
      customElements.upgrade(el);
    if (el.board !== board) el.board = board;
  }
  // Badges removed from the page stop being updated.
  for (const b of board.badges) if (!b.isConnected) board.badges.delete(b);
}

document.addEventListener(EV_RESULTS, (e) => {
  let d;
  try {
    d = JSON.parse(/** @type {CustomEvent} */ (e).detail);
  } catch {
    return;
  }
  if (d.clear) {
    for (const el of document.querySelectorAll('sla-badge[data-sla-lens]')) el.remove();
    board.byId.clear();
    board.unavailable.clear();
    return;
  }
  setClock(() => Date.now() + (d.offsetMs ?? 0));
  board.policyName = d.policyName ?? '';
  board.skewMs = d.skewMs ?? 0;
  board.tracker = typeof d.tracker === 'string' && d.tracker ? d.tracker : 'the tracker';
  board.linesById.clear();
  board.asked.clear();
  for (const r of d.results ?? []) {
    board.byId.set(String(r.id), r);
    board.unavailable.delete(String(r.id));
  }
  for (const [id, why] of d.unavailable ?? []) {
    board.unavailable.set(String(id), String(why));
    board.byId.delete(String(id));
  }
  bindAll();
  board.render();
});

document.addEventListener(EV_LINES, (e) => {
  let d;
  try {
    d = JSON.parse(/** @type {CustomEvent} */ (e).detail);
  } catch {
    return;
  }
  board.linesById.set(String(d.id), (d.lines ?? []).map(String));
  for (const b of board.badges) if (b.ticketId === String(d.id)) b.update();
});

document.documentElement.setAttribute('data-sla-lens-main', '');
document.dispatchEvent(new CustomEvent(EV_MAIN_READY));
