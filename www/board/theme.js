// @ts-check
// Colours shared by <sla-board> and <sla-review>: light by default, dark with
// prefers-color-scheme or theme="dark" (theme="light" forces light), and print (black on white).

export const THEME_CSS = `
:host {
  --bg: #ffffff; --bg-soft: #f8fafc; --bg-head: #f2f4f7; --fg: #101828; --fg-soft: #475467; --fg-faint: #667085;
  --line: #eaecf0; --line-strong: #d0d5dd; --accent: #2563eb; --accent-soft: #eff4ff; --focus: #2563eb;
  --ok: #12b76a; --warn: #f79009; --bad: #f04438; --pause: #6172f3; --late: #ef6820; --muted: #98a2b3;
  --row-hover: #f9fafb; --chip-bg: #f2f4f7; --chip-fg: #344054; --esc-bg: #fef3f2; --esc-fg: #b42318;
  --c1: #2563eb; --c2: #ef6820; --c3: #15b79e; --c4: #ee46bc; --c5: #7a5af8; --c6: #667085;
  color-scheme: light;
  display: block; color: var(--fg); background: var(--bg);
  font: 400 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
:host([hidden]) { display: none; }
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) {
    --bg: #0f1420; --bg-soft: #151b29; --bg-head: #1b2232; --fg: #e6e9f0; --fg-soft: #b3bccd; --fg-faint: #8d97ab;
    --line: #263044; --line-strong: #36425a; --accent: #7aa2ff; --accent-soft: #1c2742; --focus: #8fb2ff;
    --row-hover: #18202f; --chip-bg: #222b3d; --chip-fg: #d0d7e4; --esc-bg: #3b1a1a; --esc-fg: #ffb4ab;
    --c1: #7aa2ff; --c2: #ff9c66; --c3: #3ccbb4; --c4: #f47fcf; --c5: #a995ff; --c6: #98a2b3;
    color-scheme: dark;
  }
}
:host([theme="dark"]) {
  --bg: #0f1420; --bg-soft: #151b29; --bg-head: #1b2232; --fg: #e6e9f0; --fg-soft: #b3bccd; --fg-faint: #8d97ab;
  --line: #263044; --line-strong: #36425a; --accent: #7aa2ff; --accent-soft: #1c2742; --focus: #8fb2ff;
  --row-hover: #18202f; --chip-bg: #222b3d; --chip-fg: #d0d7e4; --esc-bg: #3b1a1a; --esc-fg: #ffb4ab;
  --c1: #7aa2ff; --c2: #ff9c66; --c3: #3ccbb4; --c4: #f47fcf; --c5: #a995ff; --c6: #98a2b3;
  color-scheme: dark;
}
@media print {
  :host, :host([theme="dark"]), :host(:not([theme="light"])) {
    --bg: #fff; --bg-soft: #fff; --bg-head: #f2f2f2; --fg: #000; --fg-soft: #222; --fg-faint: #444;
    --line: #bbb; --line-strong: #888; --row-hover: #fff; --chip-bg: #fff; --chip-fg: #000;
    --c1: #1d4ed8; --c2: #c2410c; --c3: #0f766e; --c4: #be185d; --c5: #6d28d9; --c6: #444;
    color-scheme: light; font-size: 10pt;
  }
  .no-print { display: none !important; }
}
*, *::before, *::after { box-sizing: border-box; }
button, input, select { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.btn { border: 1px solid var(--line-strong); background: var(--bg); border-radius: 8px; padding: 6px 12px; cursor: pointer; font-weight: 550; }
.btn:hover { background: var(--bg-soft); }
.field { display: inline-flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--fg-faint); font-weight: 550; }
.field select, .field input { font-size: 13.5px; font-weight: 400; color: var(--fg); background: var(--bg); border: 1px solid var(--line-strong); border-radius: 8px; padding: 6px 8px; min-width: 0; }
.error-box { border: 1px solid var(--bad); border-radius: 10px; padding: 10px 14px; margin: 10px 0; color: var(--fg); background: var(--esc-bg); }
/* The badges follow the theme (their tone is on the host). */
:host([theme="dark"]) sla-badge::part(badge) { filter: saturate(.9); }
`;

/** Dark badge colours (the badge's own palette is light), by tone. */
export const BADGE_DARK_CSS = `
sla-badge[tone="on-track"]::part(badge) { background: #0c2a1e; color: #6ce9a6; border-color: #125c3c; }
sla-badge[tone="at-risk"]::part(badge) { background: #2e2208; color: #fec84b; border-color: #6b4a09; }
sla-badge[tone="breached"]::part(badge) { background: #3a1311; color: #fda29b; border-color: #7a271a; }
sla-badge[tone="paused"]::part(badge) { background: #1b1f45; color: #a4bcfd; border-color: #2d31a6; }
sla-badge[tone="met"]::part(badge) { background: #0f2419; color: #75e0a7; border-color: #1a4731; }
sla-badge[tone="met-late"]::part(badge) { background: #2e1a0c; color: #f7b27a; border-color: #6f3a12; }
sla-badge[tone="out-of-scope"]::part(badge) { background: #1d2433; color: #b3bccd; border-color: #36425a; }
`;

/** @param {string} css */
export function darkBadges(css) {
  return `
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { --_x: 0; } }
@media screen and (prefers-color-scheme: dark) { ${scope(':host(:not([theme="light"]))', css)} }
@media screen { ${scope(':host([theme="dark"])', css)} }
`;
}

/**
 * @param {string} prefix
 * @param {string} css
 */
function scope(prefix, css) {
  return css
    .trim()
    .split('\n')
    .map((l) => (l.trim() ? `${prefix} ${l}` : l))
    .join('\n');
}
