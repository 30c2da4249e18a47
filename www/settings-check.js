// @ts-check
// The settings pages' check (the Redmine plugin's and the RT extension's): the policy and the site
// file validated by the sla-lens Wasm engine (validatePolicy, validateSite) and every diagnostic
// listed with its JSON path, code and message, as text (never HTML). The pages keep saving
// disabled while `checkSettings` counts an error.

/** @typedef {Awaited<ReturnType<typeof import('./sla-lens.js').load>>} Api */

/**
 * Lists `result`'s diagnostics in `ul`; returns how many are errors.
 * @param {HTMLElement} ul
 * @param {{ diagnostics: import('./pkg/sla_lens.js').Diagnostic[] }} result
 */
export function listDiagnostics(ul, result) {
  const items = result.diagnostics.map((d) => {
    const li = document.createElement('li');
    li.className = d.severity === 'warning' ? 'warning' : 'error';
    li.dataset.path = d.path;
    li.dataset.code = d.code;
    const path = document.createElement('code');
    path.className = 'path';
    path.textContent = d.path || '(the whole document)';
    const code = document.createElement('code');
    code.className = 'code';
    code.textContent = d.code;
    const msg = document.createElement('span');
    msg.className = 'message';
    msg.textContent = d.message;
    li.append(path, code, msg);
    return li;
  });
  ul.replaceChildren(...items);
  return result.diagnostics.filter((d) => d.severity !== 'warning').length;
}

/**
 * Validates the policy and site texts (an empty one is the default: valid) and lists their
 * diagnostics; `name` is the valid policy's name, or `null` for the seed policy.
 * @param {Api} api
 * @param {{ policy: string, site: string, policyList: HTMLElement, siteList: HTMLElement }} at
 * @returns {{ errors: number, warnings: number, name: string | null }}
 */
export function checkSettings(api, at) {
  const p = at.policy.trim();
  const s = at.site.trim();
  const pr = p ? api.validatePolicy(p) : { ok: true, diagnostics: [] };
  const sr = s ? api.validateSite(s) : { ok: true, diagnostics: [] };
  const errors = listDiagnostics(at.policyList, pr) + listDiagnostics(at.siteList, sr);
  const warnings = pr.diagnostics.length + sr.diagnostics.length - errors;
  let name = null;
  if (!errors && p) {
    try {
      const engine = new api.SlaEngine(p);
      name = engine.name;
      engine.free();
    } catch {
      name = 'the policy';
    }
  }
  return { errors, warnings, name };
}
