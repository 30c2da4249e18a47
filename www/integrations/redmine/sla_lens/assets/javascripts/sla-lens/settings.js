// @ts-check
// The sla-lens plugin's settings page: the policy and the site mapping are checked by the sla-lens
// Wasm engine (validatePolicy, validateSite; ./settings-check.js, shared with the RT extension) as
// the administrator types or loads a file; every diagnostic is listed with its JSON path, code
// and message (as text), and Apply stays disabled
// — and the form refuses to submit — while either has an error or the check has not run.

import { load } from './sla-lens.js';
import { runSettingsPage } from './settings-check.js';

const $ = (/** @type {string} */ id) => document.getElementById(id);
// The settings template (app/views/settings/_sla_lens_settings.html.erb) renders these together;
// without them nothing below runs.
const policy = /** @type {HTMLTextAreaElement | null} */ ($('sla_lens_policy'));
const site = /** @type {HTMLTextAreaElement | null} */ ($('sla_lens_site'));
const status = $('sla-lens-status');

if (policy?.form && site && status)
  runSettingsPage(load, {
    policy,
    site,
    status,
    policyList: /** @type {HTMLElement} */ ($('sla_lens_policy_diagnostics')),
    siteList: /** @type {HTMLElement} */ ($('sla_lens_site_diagnostics')),
    buttons: [
      .../** @type {NodeListOf<HTMLInputElement | HTMLButtonElement>} */ (
        policy.form.querySelectorAll('input[type="submit"], button[type="submit"]')
      ),
    ],
    verb: 'Apply',
    siteNote: (hasSite) => (hasSite ? ' with the site mapping' : ', default Redmine mapping'),
    files: [
      [/** @type {HTMLInputElement | null} */ ($('sla_lens_policy_file')), policy],
      [/** @type {HTMLInputElement | null} */ ($('sla_lens_site_file')), site],
    ],
  });
