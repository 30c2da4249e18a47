// @ts-check
// The sla-lens plugin's settings page: the policy and the site mapping are checked by the sla-lens
// Wasm engine (validatePolicy, validateSite; ./settings-check.js, shared with the RT extension) as
// the administrator types or loads a file; every diagnostic is listed with its JSON path, code
// and message (as text), and Apply stays disabled
// — and the form refuses to submit — while either has an error or the check has not run.

import { load } from './sla-lens.js';
import { checkSettings } from './settings-check.js';

const $ = (/** @type {string} */ id) => document.getElementById(id);
// The settings template (app/views/settings/_sla_lens_settings.html.erb) renders these together;
// without them there is no `form` and nothing below runs.
const policy = /** @type {HTMLTextAreaElement} */ ($('sla_lens_policy'));
const site = /** @type {HTMLTextAreaElement} */ ($('sla_lens_site'));
const status = /** @type {HTMLElement} */ ($('sla-lens-status'));
const form = policy?.form;
const buttons = form
  ? [
      .../** @type {NodeListOf<HTMLInputElement | HTMLButtonElement>} */ (
        form.querySelectorAll('input[type="submit"], button[type="submit"]')
      ),
    ]
  : [];
let blocked = true;

/** @param {boolean} yes */
function block(yes) {
  blocked = yes;
  for (const b of buttons) b.disabled = yes;
}

/** @param {Awaited<ReturnType<typeof load>>} api */
async function check(api) {
  const s = site.value.trim();
  const { errors, warnings, name } = checkSettings(api, {
    policy: policy.value,
    site: s,
    policyList: /** @type {HTMLElement} */ ($('sla_lens_policy_diagnostics')),
    siteList: /** @type {HTMLElement} */ ($('sla_lens_site_diagnostics')),
  });
  block(errors > 0);
  status.className = errors ? 'bad' : 'ok';
  if (errors) status.textContent = `${errors} error(s): fix them to save (Apply is disabled).`;
  else {
    const what = name === null ? 'the seed SLA (empty policy)' : `policy “${name}”`;
    status.textContent = `Valid: ${what}${s ? ' with the site mapping' : ', default Redmine mapping'}${warnings ? `, ${warnings} warning(s)` : ''}.`;
  }
  // For tests and tools: how many checks ran; `pending` while an edit waits for its check.
  delete document.body.dataset.slaLensPending;
  document.body.dataset.slaLensChecked = String(Number(document.body.dataset.slaLensChecked ?? 0) + 1);
}

if (form) {
  block(true);
  form.addEventListener('submit', (e) => {
    if (blocked) {
      e.preventDefault();
      status.scrollIntoView({ block: 'center' });
    }
  });
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
      policy.addEventListener('input', soon);
      site.addEventListener('input', soon);
      /** @type {[HTMLInputElement | null, HTMLTextAreaElement][]} */
      const files = [
        [/** @type {HTMLInputElement | null} */ ($('sla_lens_policy_file')), policy],
        [/** @type {HTMLInputElement | null} */ ($('sla_lens_site_file')), site],
      ];
      for (const [input, area] of files) {
        input?.addEventListener('change', async () => {
          const f = input.files?.[0];
          if (!f) return;
          area.value = await f.text();
          soon();
        });
      }
      return check(api);
    })
    .catch((e) => {
      status.className = 'bad';
      status.textContent = `The sla-lens engine could not be loaded here (${e.message}), so nothing can be checked or saved.`;
    });
}
