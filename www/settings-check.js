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

/**
 * @typedef {object} SettingsPage  one settings page's parts
 * @property {HTMLTextAreaElement} policy
 * @property {HTMLTextAreaElement} site
 * @property {HTMLElement} status  `role="status"`: what the check found
 * @property {HTMLElement} policyList  the policy's diagnostics
 * @property {HTMLElement} siteList  the site file's
 * @property {(HTMLButtonElement | HTMLInputElement)[]} buttons  the form's submit buttons
 * @property {string} verb  what they say ("Apply", "Save")
 * @property {(hasSite: boolean) => string} siteNote  what a valid status says of the site file
 * @property {[HTMLInputElement | null, HTMLTextAreaElement][]} [files]  file inputs loading into a text area
 */

/**
 * Runs a settings page (the Redmine plugin's, the RT extension's): loads the engine, checks the
 * policy and the site file now and 120 ms after each edit or loaded file, and keeps the submit
 * buttons disabled — and the form from submitting — while either has an error or a check is due.
 * `body[data-sla-lens-pending]` is set while an edit waits for its check and
 * `body[data-sla-lens-checked]` counts the checks (tests and tools wait on them).
 * @param {() => Promise<Api>} load  the shim's `load`
 * @param {SettingsPage} o
 */
export function runSettingsPage(load, o) {
  const form = o.policy.form;
  if (!form) return;
  let blocked = true;
  const block = (/** @type {boolean} */ yes) => {
    blocked = yes;
    for (const b of o.buttons) b.disabled = yes;
  };
  block(true);
  form.addEventListener('submit', (e) => {
    if (blocked) {
      e.preventDefault();
      o.status.scrollIntoView({ block: 'center' });
    }
  });
  const check = (/** @type {Api} */ api) => {
    const hasSite = o.site.value.trim() !== '';
    const { errors, warnings, name } = checkSettings(api, {
      policy: o.policy.value,
      site: o.site.value,
      policyList: o.policyList,
      siteList: o.siteList,
    });
    block(errors > 0);
    o.status.className = errors ? 'bad' : 'ok';
    if (errors) o.status.textContent = `${errors} error(s): fix them to save (${o.verb} is disabled).`;
    else {
      const what = name === null ? 'the seed SLA (empty policy)' : `policy “${name}”`;
      o.status.textContent = `Valid: ${what}${o.siteNote(hasSite)}${warnings ? `, ${warnings} warning(s)` : ''}.`;
    }
    delete document.body.dataset.slaLensPending;
    document.body.dataset.slaLensChecked = String(Number(document.body.dataset.slaLensChecked ?? 0) + 1);
  };
  load()
    .then((api) => {
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let timer;
      const soon = () => {
        clearTimeout(timer);
        block(true);
        document.body.dataset.slaLensPending = '1';
        timer = setTimeout(() => check(api), 120);
      };
      o.policy.addEventListener('input', soon);
      o.site.addEventListener('input', soon);
      for (const [input, area] of o.files ?? []) {
        input?.addEventListener('change', async () => {
          const f = input.files?.[0];
          if (!f) return;
          area.value = await f.text();
          soon();
        });
      }
      check(api);
    })
    .catch((/** @type {Error} */ e) => {
      o.status.className = 'bad';
      o.status.textContent = `The sla-lens engine could not be loaded here (${e.message}), so nothing can be checked or saved.`;
    });
}
