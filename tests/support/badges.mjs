// The sla-lens badges on a tracker page, as the browser tests compare them with the CLI: each
// badge's ticket, state, text, escalation (null when hidden) and deadline, and with `row` the id
// of the table row it is in.

/**
 * @param {import('playwright-core').Page} page
 * @param {{ row?: boolean, selector?: string }} [o]  `selector`: which badges (default: the ones
 *   sla-lens placed on a tracker's page; `sla-badge` for a page's own)
 */
export function readBadges(page, { row = false, selector = 'sla-badge.sla-lens' } = {}) {
  return page.evaluate(
    ([withRow, which]) =>
      [...document.querySelectorAll(which)].map((b) => {
        const root = /** @type {ShadowRoot} */ (b.shadowRoot);
        const esc = /** @type {HTMLElement} */ (root.querySelector('.esc'));
        return {
          id: b.getAttribute('ticket-id'),
          state: b.getAttribute('state'),
          text: root.querySelector('.text')?.textContent,
          escalation: esc.hidden ? null : esc.textContent,
          deadline: b.getAttribute('data-deadline') ?? '',
          ...(withRow ? { row: b.closest('tr')?.id ?? null } : {}),
        };
      }),
    /** @type {const} */ ([row, selector]),
  );
}
