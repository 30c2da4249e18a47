// @ts-check
// The one element helper of sla-lens's own pages and views (the board, the report, the demo, the
// extension's options page): `h('td', { class: 'x', text: data }, ...children)`. Text goes in as
// text (textContent, text nodes), attributes through setAttribute, never HTML; `on…` props take a
// function only (a listener), so no string ever becomes an inline handler.

/**
 * The element `h(tag)` makes: `h('input')` an HTMLInputElement, a custom element's tag an HTMLElement.
 * @template {string} K
 * @typedef {K extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[K] : HTMLElement} ElementOf
 */

/**
 * @template {string} K
 * @param {K} tag
 * @param {Record<string, any>} [props]  `class`, `text`, `on<event>` (a function), other attributes
 *   (true: present and empty; null, undefined, false: absent)
 * @param {...(Node | string | number | null | undefined)} children
 * @returns {ElementOf<K>}
 */
export function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) {
      if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    } else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null) e.append(typeof c === 'number' ? String(c) : c);
  return /** @type {ElementOf<K>} */ (e);
}
