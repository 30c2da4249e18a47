// @ts-check
// The RT extension's settings page (Admin → Tools → sla-lens, html/Admin/Tools/SLALens.html): the
// policy and the site file are checked by the sla-lens Wasm engine as the administrator types;
// every diagnostic is listed with its JSON path, code and message, and Save stays disabled — and
// the form refuses to submit — while either has an error or the check has not run
// (./settings-check.js, shared with the Redmine plugin). scripts/build-rt-extension.sh stages this
// file beside the drop-in's modules (static/sla-lens/<version>/), so its imports resolve there.

import { load } from './sla-lens.js';
import { runSettingsPage } from './settings-check.js';

const $ = (/** @type {string} */ id) => document.getElementById(id);
const policy = /** @type {HTMLTextAreaElement | null} */ ($('sla-lens-policy'));
const site = /** @type {HTMLTextAreaElement | null} */ ($('sla-lens-site'));
const status = $('sla-lens-status');
const save = /** @type {HTMLButtonElement | null} */ ($('sla-lens-save'));

if (policy && site && status)
  runSettingsPage(load, {
    policy,
    site,
    status,
    policyList: /** @type {HTMLElement} */ ($('sla-lens-policy-diagnostics')),
    siteList: /** @type {HTMLElement} */ ($('sla-lens-site-diagnostics')),
    buttons: save ? [save] : [],
    verb: 'Save',
    siteNote: (hasSite) => (hasSite ? ' with the site file' : ' with RT’s default site file'),
  });
