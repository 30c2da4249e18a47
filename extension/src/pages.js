// Placing badges for the adapter's targets (www/trackers/*.js `targets`: `{ id, anchor, where }`),
// idempotently and in one batch of writes after all reads, as the page integration does: the
// badge is prepended to or appended into the anchor, or put after it (an issue page's heading).

export const BADGE = 'sla-badge.sla-lens';
export const BADGE_ATTR = 'data-sla-lens';

/** The badge already placed for a target, if any. */
export function existing(t) {
  if (t.where === 'after') {
    const n = t.anchor.nextElementSibling;
    return n?.matches(BADGE) ? n : null;
  }
  return t.anchor.querySelector(`:scope > ${BADGE}`);
}

/** Inserts a `<sla-badge class="sla-lens" ticket-id>` for each target that has none yet. */
export function place(doc, targets, tracker = '') {
  const writes = [];
  for (const t of targets) {
    const b = existing(t);
    if (b) {
      if (b.getAttribute('ticket-id') !== t.id) writes.push(() => b.setAttribute('ticket-id', t.id));
      continue;
    }
    writes.push(() => {
      const el = doc.createElement('sla-badge');
      el.className = 'sla-lens';
      el.setAttribute(BADGE_ATTR, t.heading ? 'heading' : 'row');
      el.setAttribute('ticket-id', t.id);
      if (tracker) el.setAttribute('data-tracker', tracker);
      if (t.where === 'prepend') {
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
}
