// @ts-check
// The dashboard and review pages: the theme switch (auto → light → dark, kept in ?theme=) and the
// demo clock (?frozen stops it at the export's "now"). Then the components load.
const params = new URLSearchParams(location.search);
const THEMES = ['auto', 'light', 'dark'];
const asked = params.get('theme') ?? '';
let theme = THEMES.includes(asked) ? asked : 'auto';
const parts = () => document.querySelectorAll('sla-board, sla-review');

function applyTheme() {
  const root = document.documentElement;
  if (theme === 'auto') delete root.dataset.theme;
  else root.dataset.theme = theme;
  for (const el of parts()) {
    if (theme === 'auto') el.removeAttribute('theme');
    else el.setAttribute('theme', theme);
  }
  const btn = document.getElementById('theme');
  if (btn) btn.textContent = `Theme: ${theme}`;
}

if (params.has('frozen')) for (const el of parts()) el.setAttribute('frozen', '');
applyTheme();
document.getElementById('theme')?.addEventListener('click', () => {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  applyTheme();
});
document.getElementById('print')?.addEventListener('click', () => print());
