// @ts-check
// The RT extension's settings page (Admin → Tools → sla-lens, html/Admin/Tools/SLALens.html): the
// policy and the site file are checked by the sla-lens Wasm engine (./settings-check.js, shared
// with the Redmine plugin) as the administrator types; every diagnostic is listed with its JSON
// path, code and message, and Save stays disabled — and the form refuses to submit — while
// either has an error or the check has not run. scripts/build-rt-extension.sh stages this file
// beside the drop-in's modules (static/sla-lens/<version>/), so its imports resolve there.

import { load } from './sla-lens.js';
import { checkSettings } from './settings-check.js';

const $ = (/** @type {string} */ id) => document.getElementById(id);
const policy = /** @type {HTMLTextAreaElement | null} */ ($('sla-lens-policy'));
const site = /** @type {HTMLTextAreaElement | null} */ ($('sla-lens-site'));
const status = /** @type {HTMLElement | null} */ ($('sla-lens-status'));
const save = /** @type {HTMLButtonElement | null} */ ($('sla-lens-save'));
let blocked = true;

/** @param {boolean} yes */
function block(yes) {
  blocked = yes;
  if (save) save.disabled = yes;
}

if (policy && site && status && policy.form) {
  const form = policy.form;
  block(true);
  form.addEventListener('submit', (e) => {
    if (blocked) {
      e.preventDefault();
      status.scrollIntoView({ block: 'center' });
    }
  });
  /** @param {Awaited<ReturnType<typeof load>>} api */
  const check = (api) => {
    const { errors, warnings, name } = checkSettings(api, {
      policy: policy.value,
      site: site.value,
      policyList: /** @type {HTMLElement} */ ($('sla-lens-policy-diagnostics')),
      siteList: /** @type {HTMLElement} */ ($('sla-lens-site-diagnostics')),
    });
    block(errors > 0);
    status.className = errors ? 'bad' : 'ok';
    if (errors) status.textContent = `${errors} error(s): fix them to save (Save is disabled).`;
    else {
      const what = name === null ? 'the seed SLA (empty policy)' : `policy “${name}”`;
      const where = site.value.trim() ? 'with the site file' : 'with RT’s default site file';
      status.textContent = `Valid: ${what} ${where}${warnings ? `, ${warnings} warning(s)` : ''}.`;
    }
    // For tests and tools: how many checks ran; `pending` while an edit waits for its check.
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
      policy.addEventListener('input', soon);
      site.addEventListener('input', soon);
      check(api);
    })
    .catch((/** @type {Error} */ e) => {
      status.className = 'bad';
      status.textContent = `The sla-lens engine could not be loaded here (${e.message}), so nothing can be checked or saved.`;
    });
}
