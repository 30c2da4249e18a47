// @ts-check
// The options page: the policy editor with live validation (the draft is kept, whatever its
// errors), the tracker sites with a "test on this URL" preview, the escalation contacts, the
// notification settings, and import/export. Managed values show read-only. Text only: nothing
// from a policy, a tracker or a file reaches innerHTML.
import { ext, ask, matchPorts } from './lib/chrome.js';
import {
  exportConfig,
  importConfig,
  normalizeOrigin,
  normalizeSite,
  siteProblems,
  apiBaseOf,
  hostPatterns,
  TRACKERS,
} from './lib/config.js';
import { findTargets } from './lib/page-adapter.js';
import { stateWord, STATE_ORDER } from '../../www/badge-view.js';
import { h } from '../../www/dom.js';

/**
 * options.html's form fields, by id (its other elements are HTMLElements to `$`).
 * @typedef {{ 'policy-text': HTMLTextAreaElement, 'site-tracker': HTMLSelectElement, 'site-staff-kind': HTMLSelectElement,
 *   'site-rt-staff': HTMLSelectElement,
 *   'n-interval': HTMLSelectElement, 'policy-apply': HTMLButtonElement, 'n-check': HTMLButtonElement }
 *   & Record<'policy-file' | 'import-file' | 'site-origin' | 'site-basepath' | 'site-token' | 'site-api' | 'site-watch'
 *   | 'site-priority' | 'site-rt-priority' | 'site-category' | 'site-group' | 'site-staff-list' | 'site-pauses' | 'site-test-url' | 'me-handles'
 *   | 'me-emails' | 'n-enabled' | 'n-atrisk' | 'n-breached' | 'n-escalations' | 'n-quiet' | 'n-quiet-start' | 'n-quiet-end'
 *   | 'export-tokens', HTMLInputElement>} Fields
 */
/**
 * An element of options.html, which has every id asked for here (the cast: by id, its element type).
 * @template {string} K
 * @param {K} id
 * @returns {K extends keyof Fields ? Fields[K] : HTMLElement}
 */
const $ = (id) =>
  /** @type {K extends keyof Fields ? Fields[K] : HTMLElement} */ (
    /** @type {unknown} */ (document.getElementById(id))
  );

const COUNT_ORDER = [...STATE_ORDER, 'error'];
const countWord = (/** @type {string} */ k) => (k === 'error' ? 'unreadable' : stateWord(k));

/**
 * The worker's `state` answer (background.js): the configurations as lib/config.js keeps them.
 * @typedef {{ config: Record<string, any>, user: Record<string, any>, locked: Record<string, any>, managed: unknown,
 *   allowUserSites: boolean, storageError: string | null, testBuild?: boolean, policy: Record<string, any> }} WorkerState
 */
/** @type {WorkerState} */
let st; // the worker's state: effective config, user config, locks, policy (from the first `refresh`)
/** @type {number | null} */
let editing = null; // index in user sites, or -1 for a new one
/** The comma-separated entries of a field. @param {string} v @returns {string[]} */
const list = (v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/** @param {string} text */
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    t.hidden = true;
  }, 2500);
}

async function refresh() {
  st = await ask({ type: 'state' });
  document.body.dataset.ready = 'true';
  // A save queued while this read was on its way renders when it is done: rendering now would
  // show, for a moment, the settings from before it (a checkbox just ticked, unticked).
  if (queued === 0) render();
}

let saving = Promise.resolve();
let queued = 0;

/**
 * Saves the user's configuration after `edit(user)` changes a copy of it. Saves run one at a time,
 * each editing the configuration the one before it stored, so two quick changes (start then end of
 * quiet hours) both land; the form is re-rendered only once no save is waiting, so a re-render
 * never overwrites a field the user changed meanwhile. `edit` may instead be a whole configuration
 * (import).
 * @param {((user: Record<string, any>) => void) | Record<string, any>} edit
 * @param {string} [message]  the toast once saved
 */
function save(edit, message) {
  queued++;
  const turn = saving.then(async () => {
    try {
      let user = structuredClone(st.user);
      if (typeof edit === 'function') edit(user);
      else user = edit;
      const r = await ask({ type: 'saveConfig', config: user });
      if (!r.ok) throw new Error(r.error);
      st.user = user;
    } finally {
      queued--;
    }
    if (queued === 0) await refresh();
    if (message) toast(message);
  });
  saving = turn.catch(() => {});
  return turn;
}

/**
 * Shows a stored setting in its field, unless the user is in that field: a re-render (after
 * another field's save) must not replace what they are typing, which their own change saves.
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} el
 * @param {string} value
 */
function showValue(el, value) {
  if (el === document.activeElement && !el.disabled && !('readOnly' in el && el.readOnly)) return;
  el.value = value;
}

function render() {
  const { locked } = st;
  const what = [];
  if (locked.policy) what.push('the policy');
  if (locked.sites) what.push('the tracker sites');
  if (locked.notifications.length) what.push('notification settings');
  $('managed-banner').hidden = !st.managed;
  $('managed-what').textContent = what.length ? `Set by browser policy and read-only here: ${what.join(', ')}.` : '';
  $('storage-error').hidden = !st.storageError;
  $('storage-error').textContent = st.storageError ?? '';
  $('version').textContent = `sla-lens ${ext.runtime.getManifest().version}${st.testBuild ? ' (test build)' : ''}`;
  renderPolicy();
  renderSites();
  renderContacts();
  renderNotifications();
}

// ---------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------

/** @type {ReturnType<typeof setTimeout> | null} */
let validateTimer = null;
/** @type {string | null} */
let lastValid = null;

async function renderPolicy() {
  const p = st.policy;
  const ta = $('policy-text');
  const managed = st.locked.policy;
  const status = $('policy-status');
  status.className = `pill ${managed ? 'lock' : p.error ? 'err' : 'ok'}`;
  status.textContent = managed ? 'Managed · read-only' : p.error ? 'Stored policy has errors' : 'In effect';
  $('policy-current').textContent =
    `In effect: ${p.name}${st.config.policy.source === 'default' ? ' (the built-in default)' : ''}${p.review ? ` · SLA review ${p.review.overdue ? 'overdue since' : 'due on'} ${p.review.nextReview}` : ''}`;
  $('policy-tools').hidden = managed;
  ta.readOnly = managed;
  if (managed) {
    try {
      ta.value = JSON.stringify(JSON.parse(p.text), null, 2);
    } catch {
      ta.value = p.text;
    }
    $('policy-diags').replaceChildren();
    return;
  }
  if (document.activeElement !== ta) {
    const { policyDraft } = await ext.storage.local.get('policyDraft');
    ta.value = policyDraft ?? p.text;
  }
  validate();
}

/**
 * A diagnostic (the engine's, for the policy or a site; or a form check's) as a row, as text.
 * @param {{ severity: string, code: string, path: string, message: string }} d
 */
function diagRow(d) {
  return h(
    'div',
    { class: `diag ${d.severity}`, role: d.severity === 'error' ? 'alert' : null },
    h('span', { class: 'path', text: d.path || '(whole policy)' }),
    h('span', { class: 'code', text: d.code }),
    h('span', { class: 'msg', text: d.message }),
  );
}

async function validate() {
  const text = $('policy-text').value;
  const r = await ask({ type: 'validate', text });
  if ($('policy-text').value !== text) return; // a newer keystroke wins
  const box = $('policy-diags');
  const errors = r.diagnostics.filter((/** @type {{ severity: string }} */ d) => d.severity === 'error');
  lastValid = r.valid ? text : null;
  const rows = r.diagnostics.map(diagRow);
  if (r.valid) {
    rows.unshift(
      h('div', {
        class: 'diag ok',
        text: `Valid: ${r.info?.name ?? 'policy'}${r.diagnostics.length ? `, ${r.diagnostics.length} warning${r.diagnostics.length === 1 ? '' : 's'}` : ''}.`,
      }),
    );
  } else {
    rows.unshift(
      h(
        'div',
        { class: 'diag', role: 'alert' },
        h('span', { class: 'path', text: `${errors.length} error${errors.length === 1 ? '' : 's'}` }),
        h('span'),
        h('span', { text: 'Your draft is kept; fix the problems below to apply it.' }),
      ),
    );
  }
  box.replaceChildren(...rows);
  box.dataset.valid = String(r.valid);
  const current = st.policy.text;
  $('policy-apply').disabled = !r.valid || text === current;
}

$('policy-text').addEventListener('input', () => {
  ext.storage.local.set({ policyDraft: $('policy-text').value });
  clearTimeout(validateTimer ?? undefined);
  validateTimer = setTimeout(validate, 120);
});

$('policy-apply').addEventListener('click', async () => {
  const text = $('policy-text').value;
  if (lastValid !== text) return;
  const policy = { text, source: 'pasted', updatedAt: new Date().toISOString() };
  await ext.storage.local.remove('policyDraft');
  await save((user) => {
    user.policy = policy;
  }, 'Policy applied to open tracker tabs');
});

$('policy-revert').addEventListener('click', async () => {
  await ext.storage.local.remove('policyDraft');
  $('policy-text').value = st.policy.text;
  validate();
});

/** @param {string} name */
async function loadExample(name) {
  const r = await ask({ type: 'examplePolicy', name });
  $('policy-text').value = r.text;
  await ext.storage.local.set({ policyDraft: r.text });
  validate();
}
$('policy-default').addEventListener('click', () => loadExample('default'));
$('policy-business').addEventListener('click', () => loadExample('business-hours'));
$('policy-file').addEventListener('change', async (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target); // the file input itself
  const f = input.files?.[0];
  if (!f) return;
  $('policy-text').value = await f.text();
  await ext.storage.local.set({ policyDraft: $('policy-text').value });
  input.value = '';
  validate();
});

// ---------------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------------

/** @param {Record<string, any>} s  a site entry */
function mappingSummary(s) {
  const f = s.site?.fields ?? {};
  const parts = [];
  if (f.priority) parts.push(`priority ← ${f.priority.join(', ')}`);
  if (f.category) parts.push(`category ← ${f.category.join(', ')}`);
  if (f.requesterGroup) parts.push(`group ← ${f.requesterGroup.join(', ')}`);
  const rt = s.site?.rt ?? {};
  if (rt.priority) parts.push(`priority ← ${rt.priority.join(', ')}`);
  if (rt.staff) parts.push(`staff: ${typeof rt.staff === 'string' ? rt.staff : JSON.stringify(rt.staff)}`);
  if (s.pauseStatuses.length) parts.push(`pauses: ${s.pauseStatuses.join(', ')}`);
  const api = apiBaseOf(s);
  if (!api.startsWith(`${s.origin}/`) && api !== s.origin) parts.push(`API: ${api}`);
  if (s.watch.length) parts.push(`watching ${s.watch.join(', ')}`);
  return parts.length ? parts.join(' · ') : 'tracker defaults';
}

async function renderSites() {
  const tbody = /** @type {HTMLElement} */ ($('sites-table').querySelector('tbody')); // options.html's table has it
  const rows = [];
  for (const s of st.config.sites) {
    const granted = await ext.permissions
      .contains({ origins: hostPatterns(s, { ports: matchPorts }) })
      .catch(() => false);
    const userIndex = st.user.sites.findIndex((/** @type {{ origin: string }} */ u) => u.origin === s.origin);
    const actions = h('td', { class: 'actions' });
    if (!granted)
      actions.append(
        h('button', { type: 'button', class: 'secondary', text: 'Grant access', onclick: () => grant(s) }),
      );
    if (!s.managed && userIndex >= 0) {
      actions.append(
        h('button', { type: 'button', class: 'secondary', text: 'Edit', onclick: () => openForm(userIndex) }),
      );
      actions.append(
        h('button', { type: 'button', class: 'danger', text: 'Remove', onclick: () => removeSite(userIndex) }),
      );
    }
    rows.push(
      h(
        'tr',
        { 'data-origin': s.origin },
        h(
          'td',
          {},
          h('span', { class: 'mono', text: s.origin }),
          s.managed ? h('span', { class: 'tag', text: 'managed' }) : null,
          s.token ? h('span', { class: 'tag', text: 'token' }) : null,
        ),
        h('td', { text: s.tracker }),
        h('td', { text: mappingSummary(s) }),
        h('td', {}, h('span', { class: `access ${granted ? 'ok' : 'no'}`, text: granted ? 'granted' : 'not granted' })),
        actions,
      ),
    );
  }
  tbody.replaceChildren(...rows);
  $('sites-empty').hidden = rows.length > 0;
  $('sites-table').hidden = rows.length === 0;
  // An organisation may allow no sites but its own (`allowUserSites: false`).
  $('site-add').hidden = st.allowUserSites === false;
}

/** @param {Record<string, any>} site */
async function grant(site) {
  const ok = await ext.permissions.request({ origins: hostPatterns(site, { ports: matchPorts }) });
  toast(
    ok
      ? `Access to ${hostPatterns(site, { ports: matchPorts })
          .map((p) => p.slice(0, -2))
          .join(' and ')} granted`
      : 'Access not granted',
  );
  // Saved again (unchanged) so the worker re-registers content scripts for the granted origins.
  await save(() => {});
}

/**
 * Gives back the host access `site` had, except what a configured site still needs (two sites
 * on one API).
 * @param {Parameters<typeof hostPatterns>[0]} site
 */
function releaseAccess(site) {
  const still = new Set(
    st.config.sites.flatMap((/** @type {Record<string, any>} */ x) => hostPatterns(x, { ports: matchPorts })),
  );
  const drop = hostPatterns(site, { ports: matchPorts }).filter((p) => !still.has(p));
  if (drop.length) ext.permissions.remove({ origins: drop }).catch(() => {});
}

/** @param {number} i  its index in the user's sites */
async function removeSite(i) {
  const gone = st.user.sites[i];
  await save((user) => {
    user.sites = user.sites.filter((/** @type {{ origin: string }} */ x) => x.origin !== gone.origin);
  }, `Removed ${gone.origin}`);
  releaseAccess(gone);
}

/** What had the focus when the site form opened (its Add or Edit button): it gets it back. */
/** @type {HTMLElement | null} */
let opener = null;

/** Closes the site form and gives the focus back to what opened it (keyboard users stay put). */
function closeForm() {
  $('site-form').hidden = true;
  editing = null;
  const back = opener?.isConnected ? opener : $('site-add');
  opener = null;
  back.focus();
}

/** @param {number} i  the site's index in the user's sites, or -1 for a new one */
function openForm(i) {
  if ($('site-form').hidden) opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  editing = i;
  const s = i >= 0 ? st.user.sites[i] : normalizeSite({ origin: '', tracker: 'redmine' });
  $('site-form-title').textContent = i >= 0 ? `Edit ${s.origin}` : 'Add a site';
  $('site-origin').value = s.origin ?? '';
  $('site-tracker').value = s.tracker;
  $('site-basepath').value = s.site?.basePath ?? '';
  $('site-token').value = s.token ?? '';
  $('site-api').value = s.api ?? '';
  $('site-watch').value = s.watch.join(', ');
  trackerHints();
  $('site-priority').value = (s.site?.fields?.priority ?? []).join(', ');
  $('site-category').value = (s.site?.fields?.category ?? []).join(', ');
  $('site-group').value = (s.site?.fields?.requesterGroup ?? []).join(', ');
  const staff = s.site?.staff;
  const kind = !staff || staff === 'anyoneButAuthor' ? 'anyoneButAuthor' : Object.keys(staff)[0];
  $('site-staff-kind').value = kind;
  $('site-staff-list').value = kind === 'anyoneButAuthor' ? '' : (staff[kind] ?? []).join(', ');
  const rt = s.site?.rt ?? {};
  const rtKind = typeof rt.staff === 'string' ? rt.staff : rt.staff ? Object.keys(rt.staff)[0] : 'notRequestor';
  $('site-rt-staff').value = rtKind;
  if (s.tracker === 'rt') $('site-staff-list').value = rt.staff?.[rtKind]?.join?.(', ') ?? '';
  $('site-rt-priority').value = (rt.priority ?? []).join(', ');
  trackerHints();
  $('site-pauses').value = s.pauseStatuses.join(', ');
  $('site-test-url').value = s.origin ? testUrl(s) : '';
  $('site-test-out').textContent = '';
  $('site-problems').replaceChildren();
  $('site-form').hidden = false;
  $('site-origin').focus();
}

/** The site being edited, as stored. */
function formSite() {
  const site = {};
  const basePath = $('site-basepath').value.trim();
  if (basePath) site.basePath = basePath.replace(/\/$/, '');
  /** @type {Record<string, string[]>} */
  const fields = {};
  for (const [k, id] of /** @type {const} */ ([
    ['priority', 'site-priority'],
    ['category', 'site-category'],
    ['requesterGroup', 'site-group'],
  ])) {
    const v = list($(id).value);
    if (v.length) fields[k] = v;
  }
  const tracker = $('site-tracker').value;
  if (tracker === 'rt') {
    // RT's facts and staff rule are its own `rt` object (docs/trackers.md, src/adapters/rt.rs
    // RtSite); the generic field sources do not apply to it.
    /** @type {Record<string, any>} */
    const rt = {};
    const staff = $('site-rt-staff').value;
    if (staff === 'users' || staff === 'groups') rt.staff = { [staff]: list($('site-staff-list').value) };
    else if (staff !== 'notRequestor') rt.staff = staff;
    const priority = list($('site-rt-priority').value);
    if (priority.length) rt.priority = priority;
    const kept = editing != null && editing >= 0 ? st.user.sites[editing]?.site?.rt : null;
    if (kept?.priorityNames) rt.priorityNames = kept.priorityNames; // set by an import or a managed site
    if (kept?.queues) rt.queues = kept.queues;
    if (Object.keys(rt).length) site.rt = rt;
  } else {
    if (Object.keys(fields).length) site.fields = fields;
    const kind = $('site-staff-kind').value;
    if (kind !== 'anyoneButAuthor') site.staff = { [kind]: list($('site-staff-list').value) };
  }
  return normalizeSite({
    origin: $('site-origin').value,
    tracker,
    site,
    pauseStatuses: list($('site-pauses').value),
    token: $('site-token').value,
    api: $('site-api').value,
    watch: list($('site-watch').value),
  });
}

const WATCH_HINT = {
  redmine: ['every open issue you can see', 'Redmine lists all open issues'],
  github: ['acme/website, acme/infra', 'repositories (owner/name); needed for GitHub notifications'],
  gitlab: ['acme/it/helpdesk (empty: all you can see)', 'project paths; empty: every open issue you can see'],
  jira: ['MKT, IT (empty: all you can see)', 'project keys; empty: every open issue you can see'],
  rt: ['Support, Marketing IT support (empty: all you can see)', 'queue names; empty: every active ticket you can see'],
};

/** Fields and hints that depend on the tracker kind: GitHub's API address, what to watch. */
function trackerHints() {
  const t = $('site-tracker').value;
  $('site-api-row').hidden = t !== 'github';
  // Request Tracker: no token (its session), its own staff rule and priority sources.
  const rt = t === 'rt';
  for (const id of [
    'site-token-row',
    'site-priority-row',
    'site-category-row',
    'site-group-row',
    'site-staff-kind-row',
  ])
    $(id).hidden = rt;
  for (const id of ['site-rt-staff-row', 'site-rt-priority-row']) $(id).hidden = !rt;
  $('site-staff-list').disabled = rt && !['users', 'groups'].includes($('site-rt-staff').value);
  const [ph, title] = WATCH_HINT[/** @type {keyof typeof WATCH_HINT} */ (t)] ?? WATCH_HINT.redmine;
  $('site-watch').placeholder = ph;
  $('site-watch').title = title;
  $('site-watch').disabled = t === 'redmine';
  const draft = normalizeSite({
    origin: $('site-origin').value,
    tracker: t,
    api: $('site-api').value,
    site: { basePath: $('site-basepath').value.trim() || undefined },
  });
  $('site-api').placeholder = draft.origin ? apiBaseOf(draft) : 'https://api.github.com';
}
for (const id of ['site-tracker', 'site-origin', 'site-basepath', 'site-rt-staff'])
  $(id).addEventListener('input', trackerHints);

/** A page to test a site on: its issue list (GitHub, GitLab: the first watched project's). */
/** @param {Record<string, any>} s */
function testUrl(s) {
  const base = `${s.origin}${s.site?.basePath ?? ''}`;
  if (s.tracker === 'github' && s.watch[0]) return `${base}/${s.watch[0]}/issues`;
  if (s.tracker === 'gitlab' && s.watch[0]) return `${base}/${s.watch[0]}/-/issues`;
  if (s.tracker === 'jira')
    return `${base}/issues/?jql=${encodeURIComponent(s.watch[0] ? `project = ${s.watch[0]}` : 'order by updated DESC')}`;
  if (s.tracker === 'rt') return `${base}/Search/Results.html`;
  return `${base}/issues`;
}

$('site-add').addEventListener('click', () => openForm(-1));
$('site-cancel').addEventListener('click', closeForm);
$('site-form').addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    e.preventDefault();
    closeForm();
  }
});
$('site-origin').addEventListener('change', () => {
  const o = normalizeOrigin($('site-origin').value);
  if (o && !$('site-test-url').value) $('site-test-url').value = testUrl(formSite());
});

$('site-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const s = formSite();
  const others = st.user.sites.filter((/** @type {unknown} */ _, /** @type {number} */ i) => i !== editing);
  const problems = siteProblems(
    { ...s, origin: $('site-origin').value, api: $('site-api').value, watch: $('site-watch').value },
    others,
  );
  $('site-problems').replaceChildren(
    ...problems.map((p) => diagRow({ severity: 'error', code: p.path, path: p.path, message: p.message })),
  );
  if (problems.length) return;
  // Ask for the host permissions inside the click (a user gesture), before anything awaits: the
  // site's pages and, for GitHub, its API's origin (api.github.com).
  const asked = ext.permissions.request({ origins: hostPatterns(s, { ports: matchPorts }) });
  (async () => {
    const granted = await asked.catch(() => false);
    // The engine reads the site file the mapping will read (the worker's `validateSite`): a site
    // it refuses is not saved, and the access just granted for it goes again.
    const v = await ask({ type: 'validateSite', site: s });
    if (!v?.ok || !v.valid) {
      const diags = v?.ok
        ? v.diagnostics
        : [{ severity: 'error', code: 'site', path: '', message: v?.error ?? 'the site could not be checked' }];
      $('site-problems').replaceChildren(
        ...diags.map((/** @type {Parameters<typeof diagRow>[0]} */ d) =>
          diagRow({ ...d, path: d.path || '(whole site)' }),
        ),
      );
      if (granted) releaseAccess(s);
      return;
    }
    const at = /** @type {number} */ (editing); // the form is open: openForm set it
    closeForm();
    await save(
      (user) => {
        if (at >= 0) user.sites[at] = s;
        else user.sites.push(s);
      },
      granted ? `Saved ${s.origin}; badges appear on its pages` : `Saved ${s.origin}; grant access to see badges`,
    );
  })();
});

$('site-test').addEventListener('click', () => {
  const s = formSite();
  const out = $('site-test-out');
  let url;
  try {
    url = new URL($('site-test-url').value.trim());
  } catch {
    out.textContent = 'Enter a page address of this tracker.';
    return;
  }
  if (!s.origin || url.origin !== s.origin) {
    out.textContent = `The URL must be on ${s.origin ?? "the site's address"}.`;
    return;
  }
  const asked = ext.permissions.request({ origins: hostPatterns(s, { ports: matchPorts }) });
  (async () => {
    if (!(await asked.catch(() => false))) {
      out.textContent = 'Access to the site was not granted.';
      return;
    }
    out.textContent = 'Testing…';
    try {
      const res = await fetch(url, { credentials: 'include' });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const { page } = await ask({ type: 'detectPage', siteDraft: s, url: url.href });
      const found = await findTargets(s.tracker, doc, { origin: url.origin, page: page ?? null });
      const ids = [...new Set(found.map((f) => f.id))];
      if (!ids.length) {
        out.textContent = `No issues found on this page (HTTP ${res.status}).`;
        return;
      }
      const r = await ask({ type: 'fetchEvaluate', siteDraft: s, ids });
      if (!r.ok) {
        out.textContent = `Found ${ids.length} issues; ${r.error}`;
        return;
      }
      /** @type {Record<string, number>} */
      const counts = {};
      for (const x of r.results) {
        const k = x.error ? 'error' : x.evaluation.state;
        counts[k] = (counts[k] ?? 0) + 1;
      }
      const un = Object.keys(r.unavailable).length;
      const by = COUNT_ORDER.filter((k) => counts[k])
        .map((k) => `${counts[k]} ${countWord(k)}`)
        .join(', ');
      out.textContent = `Found ${ids.length} issue${ids.length === 1 ? '' : 's'}; ${r.results.length} mapped and evaluated${by ? ` (${by})` : ''}${un ? `; ${un} unavailable: ${Object.values(r.unavailable)[0]}` : ''}.`;
      out.dataset.found = String(ids.length);
      out.dataset.mapped = String(r.results.length);
    } catch (err) {
      out.textContent = `Could not test: ${/** @type {{ message?: unknown }} */ (err).message}`;
    }
  })();
});

// ---------------------------------------------------------------------------------------------
// Escalation contacts and "me"
// ---------------------------------------------------------------------------------------------

function renderContacts() {
  const me = st.config.me;
  const tbody = /** @type {HTMLElement} */ ($('contacts-table').querySelector('tbody')); // options.html's table has it
  const rows = [];
  for (const lvl of st.policy.contacts) {
    for (const c of lvl.contacts) {
      const mine = (c.handle && me.handles.includes(c.handle)) || (c.email && me.emails.includes(c.email));
      const box = h('input', { type: 'checkbox', 'aria-label': `${c.name ?? ''} is me` });
      box.checked = !!mine;
      box.disabled = st.locked.me;
      box.addEventListener('change', () => toggleMe(c, box.checked));
      rows.push(
        h(
          'tr',
          {},
          h('td', { text: `L${lvl.level}` }),
          h('td', { text: lvl.role ?? '' }),
          h('td', { text: c.name ?? '' }),
          h('td', { class: 'mono', text: c.email ?? '' }),
          h('td', { class: 'mono', text: c.handle ?? '' }),
          h('td', {}, box),
        ),
      );
    }
  }
  if (!rows.length)
    rows.push(h('tr', {}, h('td', { colspan: '6', class: 'muted', text: 'The policy names no escalation contacts.' })));
  tbody.replaceChildren(...rows);
  showValue($('me-handles'), me.handles.join(', '));
  showValue($('me-emails'), me.emails.join(', '));
  $('me-handles').readOnly = $('me-emails').readOnly = st.locked.me;
}

/**
 * @param {{ name?: string, handle?: string, email?: string }} c  a contact of the policy
 * @param {boolean} on  whether it is me
 */
async function toggleMe(c, on) {
  /** @param {string[]} arr @param {string | undefined} v */
  const edit = (arr, v) => {
    if (!v) return arr;
    const rest = arr.filter((x) => x.toLowerCase() !== v.toLowerCase());
    return on ? [...rest, v] : rest;
  };
  await save(
    (user) => {
      user.me.handles = edit(user.me.handles, c.handle);
      user.me.emails = edit(user.me.emails, c.email);
    },
    on ? `Escalations to ${c.name} will notify you` : `${c.name} is not you`,
  );
}

for (const id of ['me-handles', 'me-emails']) {
  $(id).addEventListener('change', async () => {
    const me = { handles: list($('me-handles').value), emails: list($('me-emails').value) };
    await save((user) => {
      user.me = me;
    }, 'Saved');
  });
}

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

function renderNotifications() {
  const n = st.config.notifications;
  const lock = (/** @type {string} */ k) => st.locked.notifications.includes(k);
  $('n-enabled').checked = n.enabled;
  $('n-enabled').disabled = lock('enabled');
  $('n-atrisk').checked = n.atRisk;
  $('n-atrisk').disabled = lock('atRisk');
  $('n-breached').checked = n.breached;
  $('n-breached').disabled = lock('breached');
  $('n-escalations').checked = n.escalations;
  $('n-escalations').disabled = lock('escalations');
  showValue($('n-interval'), String(n.intervalMinutes));
  $('n-interval').disabled = lock('intervalMinutes');
  $('n-quiet').checked = n.quietHours.enabled;
  showValue($('n-quiet-start'), n.quietHours.start);
  showValue($('n-quiet-end'), n.quietHours.end);
  for (const id of /** @type {const} */ (['n-quiet', 'n-quiet-start', 'n-quiet-end']))
    $(id).disabled = lock('quietHours');
  $('n-details').classList.toggle('off', !n.enabled);
  renderLastCheck();
}

/** The last check (scheduled or "Check now"): when, what it read, and each site's problem. */
async function renderLastCheck() {
  const { notifyLast: l } = await ext.storage.local.get('notifyLast');
  const out = $('n-last');
  if (!l) {
    out.textContent = 'No check yet.';
    $('n-problems').replaceChildren();
    return;
  }
  const when = new Date(l.at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  out.textContent = `Last check ${when}: ${l.checked} open issue${l.checked === 1 ? '' : 's'} read, ${l.shown} notification${l.shown === 1 ? '' : 's'}${l.quiet ? ' (quiet hours)' : ''}.`;
  $('n-problems').replaceChildren(
    ...Object.entries(l.errors ?? {}).map(([origin, why]) =>
      diagRow({ severity: 'error', code: 'check', path: origin, message: why }),
    ),
  );
}

$('n-check').addEventListener('click', async () => {
  $('n-check').disabled = true;
  $('n-last').textContent = 'Checking…';
  try {
    const r = await ask({ type: 'checkNow' });
    if (r.skipped) $('n-last').textContent = `Not checked: ${r.skipped}.`;
    else await renderLastCheck();
  } catch (e) {
    $('n-last').textContent = `Could not check: ${/** @type {{ message?: unknown }} */ (e).message}`;
  } finally {
    $('n-check').disabled = false;
  }
});

function notificationsFromForm() {
  return {
    enabled: $('n-enabled').checked,
    atRisk: $('n-atrisk').checked,
    breached: $('n-breached').checked,
    escalations: $('n-escalations').checked,
    intervalMinutes: Number($('n-interval').value),
    quietHours: {
      enabled: $('n-quiet').checked,
      start: $('n-quiet-start').value || '20:00',
      end: $('n-quiet-end').value || '08:00',
    },
  };
}

/**
 * A change to the notification settings: only the field the user changed is written, on top of
 * the settings the save before stored. (Writing the whole form instead let a late save — switching
 * on waits for the permission prompt — put back values the user had changed meanwhile.)
 */
/**
 * @param {(n: Record<string, any>) => Record<string, any>} change  the notification settings' new value
 * @param {string} message
 */
function saveNotifications(change, message) {
  return save((user) => {
    user.notifications = change(structuredClone(user.notifications ?? notificationsFromForm()));
  }, message);
}

$('n-enabled').addEventListener('change', () => {
  const on = $('n-enabled').checked;
  const asked = on ? ext.permissions.request({ permissions: ['notifications'] }) : Promise.resolve(true);
  (async () => {
    const ok = await asked.catch(() => false);
    await saveNotifications(
      (n) => ({ ...n, enabled: on && ok }),
      on ? (ok ? 'Notifications on' : 'Notifications need your permission') : 'Notifications off',
    );
  })();
});
/**
 * Each field's value as the user left it, and where it goes in the settings.
 * @type {Record<string, (n: Record<string, any>, f: Record<string, any>) => Record<string, any>>}
 */
const NOTIFICATION_FIELDS = {
  'n-atrisk': (n, f) => ({ ...n, atRisk: f.atRisk }),
  'n-breached': (n, f) => ({ ...n, breached: f.breached }),
  'n-escalations': (n, f) => ({ ...n, escalations: f.escalations }),
  'n-interval': (n, f) => ({ ...n, intervalMinutes: f.intervalMinutes }),
  'n-quiet': (n, f) => ({ ...n, quietHours: { ...n.quietHours, enabled: f.quietHours.enabled } }),
  'n-quiet-start': (n, f) => ({ ...n, quietHours: { ...n.quietHours, start: f.quietHours.start } }),
  'n-quiet-end': (n, f) => ({ ...n, quietHours: { ...n.quietHours, end: f.quietHours.end } }),
};
for (const [id, put] of Object.entries(NOTIFICATION_FIELDS)) {
  $(id).addEventListener('change', async () => {
    // Read now, at the change: a re-render before the save's turn may reset the form.
    const form = notificationsFromForm();
    await saveNotifications((n) => put(n, form), 'Saved');
  });
}

// ---------------------------------------------------------------------------------------------
// Import / export
// ---------------------------------------------------------------------------------------------

$('export').addEventListener('click', () => {
  const text = exportConfig(st.user, { withTokens: $('export-tokens').checked });
  const a = h('a', {
    href: URL.createObjectURL(new Blob([text], { type: 'application/json' })),
    download: 'sla-lens-config.json',
  });
  document.body.append(a);
  a.click();
  a.remove();
  $('io-out').textContent =
    `Exported ${st.user.sites.length} site${st.user.sites.length === 1 ? '' : 's'} and the ${st.user.policy.text ? 'custom' : 'default'} policy${$('export-tokens').checked ? ', with tokens' : ' (tokens left out)'}.`;
});

$('import-file').addEventListener('change', async (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target); // the file input itself
  const f = input.files?.[0];
  input.value = '';
  if (!f) return;
  const r = importConfig(await f.text(), st.user);
  if (!r.config) {
    // importConfig gives a configuration or an error
    $('io-out').textContent = `Not imported: ${r.error}`;
    return;
  }
  await save(r.config, 'Configuration imported');
  const missing = [];
  for (const s of r.config.sites)
    if (!(await ext.permissions.contains({ origins: hostPatterns(s, { ports: matchPorts }) }).catch(() => false)))
      missing.push(s.origin);
  $('io-out').textContent =
    `Imported ${r.config.sites.length} site${r.config.sites.length === 1 ? '' : 's'}${missing.length ? `; grant access to ${missing.join(', ')} in the site list` : ''}.`;
});

// Managed values can arrive or change while the page is open (browser policy refresh).
ext.storage.onChanged.addListener((/** @type {unknown} */ _changes, /** @type {string} */ area) => {
  if (area === 'managed') setTimeout(refresh, 50);
});

void TRACKERS;
refresh();
