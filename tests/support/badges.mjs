// The sla-lens badges on a tracker page, as the browser tests compare them with the CLI: each
// badge's ticket, state, text, escalation (null when hidden) and deadline, and with `row` the id
// of the table row it is in.

/**
 * @param {import('playwright-core').Page} page
 * @param {{ row?: boolean }} [o]
 */
export function readBadges(page, { row = false } = {}) {
  return page.evaluate(
    (withRow) =>
      [...document.querySelectorAll('sla-badge.sla-lens')].map((b) => {
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
    row,
  );
}
