// @ts-check
// The one badge placement of every JS host (the page integration's annotate.js, the extension's
// content script): badges for the adapter's targets (www/trackers/*.js `targets`: `{ id, anchor,
// where, fixed, heading }`), idempotently and in one batch of writes after all reads. A `fixed` target (a table cell) gets a slot first: a line of its own of fixed
// height with size containment, reserved for every row in one batch, so that badges filling in
// later (results arriving, rows scrolling near) lay out inside their slot and never re-lay out
// the tracker's table.

export const BADGE = 'sla-badge.sla-lens';
export const SLOT = 'span.sla-lens-slot';
export const BADGE_ATTR = 'data-sla-lens';
const SLOT_STYLE =
  'display:block;contain:size layout style;block-size:23px;margin:1px 0 3px;line-height:23px;white-space:nowrap';

/** @typedef {import('./annotate.js').Target} Target */

/** The slot of a fixed target, if reserved. @param {Target} t */
export function slotOf(t) {
  return t.anchor.querySelector(`:scope > ${SLOT}`);
}

/** The badge already placed for a target, if any. @param {Target} t */
export function existing(t) {
  if (t.where === 'after') {
    const n = t.anchor.nextElementSibling;
    return n?.matches(BADGE) ? n : null;
  }
  if (t.fixed) return slotOf(t)?.querySelector(`:scope > ${BADGE}`) ?? null;
  return t.anchor.querySelector(`:scope > ${BADGE}`);
}

/** Reserves the slots of `targets` that have none (one batch of writes). @param {Document} doc @param {Target[]} targets */
export function reserve(doc, targets) {
  const writes = [];
  for (const t of targets) {
    if (!t.fixed || slotOf(t)) continue;
    writes.push(t);
  }
  for (const t of writes) {
    const s = doc.createElement('span');
    s.className = 'sla-lens-slot';
    s.style.cssText = SLOT_STYLE;
    if (t.where === 'append') t.anchor.append(s);
    else t.anchor.prepend(s);
  }
  return writes.length;
}

/** @param {Document} doc @param {Target} t @param {string} tracker */
function badge(doc, t, tracker) {
  const el = doc.createElement('sla-badge');
  el.className = 'sla-lens';
  el.setAttribute(BADGE_ATTR, t.heading ? 'heading' : 'row');
  el.setAttribute('ticket-id', t.id);
  if (tracker) el.setAttribute('data-tracker', tracker);
  return el;
}

/**
 * Inserts a `<sla-badge class="sla-lens" ticket-id>` for each target that has none yet (a badge
 * already there is kept, re-pointed if the DOM now shows another issue there). Returns each
 * target's badge: `{ target, badge, created }`.
 * @param {Document} doc
 * @param {Target[]} targets
 * @param {string} [tracker]
 */
export function place(doc, targets, tracker = '') {
  const writes = [];
  const out = [];
  for (const t of targets) {
    const b = existing(t);
    if (b) {
      out.push({ target: t, badge: b, created: false });
      if (b.getAttribute('ticket-id') !== t.id) writes.push(() => b.setAttribute('ticket-id', t.id));
      continue;
    }
    const el = badge(doc, t, tracker);
    out.push({ target: t, badge: el, created: true });
    writes.push(() => {
      if (t.fixed) {
        let s = slotOf(t);
        if (!s) {
          reserve(doc, [t]);
          s = slotOf(t);
        }
        /** @type {Element} */ (s).append(el); // `reserve` has just put it there
      } else if (t.where === 'prepend') {
        el.style.marginInlineEnd = '6px';
        t.anchor.prepend(el);
      } else {
        el.style.marginInlineStart = t.heading ? '10px' : '6px';
        if (t.where === 'append') t.anchor.append(el);
        else t.anchor.after(el);
      }
    });
  }
  for (const w of writes) w();
  return out;
}

/** Removes every badge and slot placed in `doc`. @param {Document} doc */
export function unplace(doc) {
  for (const el of doc.querySelectorAll(`${BADGE}, ${SLOT}`)) el.remove();
}

/** Whether a MutationObserver record adds a node of the tracker's page (not one of ours). @param {MutationRecord} record */
export function changesPage(record) {
  for (const n of record.addedNodes) if (n.nodeType === 1 && !isOurs(n)) return true;
  return false;
}

/** A node the placement itself adds (a badge, a slot): not a change of the tracker's page. @param {Node} n */
export function isOurs(n) {
  const el = /** @type {Element} */ (n); // read only once `nodeType` says it is an element
  return (
    n.nodeType === 1 &&
    ((el.localName === 'sla-badge' && el.classList.contains('sla-lens')) ||
      (el.localName === 'span' && el.classList.contains('sla-lens-slot')))
  );
}
