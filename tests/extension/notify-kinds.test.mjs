// Escalation notifications for every tracker kind, and GitHub's API on another origin, in headless
// Chromium with the unpacked test build, against the fake trackers built from the recorded
// fixtures (tests/extension/fake-trackers.mjs, fake-redmine.mjs). Each site is added through the
// options page; with a clock the test controls, new unanswered issues cross their response
// deadline (as the native CLI says, on the same documents) and the level-1 contact is notified
// once, not twice. No real Redmine is needed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, eventually, ROOT } from './harness.mjs';
import { fakeGitHub, fakeGitLab, fakeJira } from './fake-trackers.mjs';
import { fakeRedmine } from './fake-redmine.mjs';
import { badgeView } from '../../www/badge-view.js';

const SHOTS = join(ROOT, 'target/screenshots');
mkdirSync(SHOTS, { recursive: true });
const CREATED = '2026-11-27T09:00:00Z';
const MIN = 60_000;

let b;
const fakes = [];

/** The native CLI's results for `docs` at `now`: id → result. */
function cli(tracker, docs, now, site = null) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-ext-kinds-'));
  try {
    const file = join(dir, 'docs.json');
    writeFileSync(file, JSON.stringify(docs));
    const args = ['eval', '--tracker', tracker, '--now', new Date(now).toISOString(), file];
    if (site) {
      writeFileSync(join(dir, 'site.json'), JSON.stringify({ tracker, ...site }));
      args.splice(3, 0, '--site', join(dir, 'site.json'));
    }
    const out = JSON.parse(execFileSync(join(ROOT, 'target/release/sla-lens'), args, { encoding: 'utf8' }));
    return Object.fromEntries(out.results.map((r) => [String(r.id), r]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function options() {
  const p = await b.context.newPage();
  await p.goto(b.url('options.html'));
  await p.waitForSelector('body[data-ready="true"]');
  return p;
}

/** Adds a site through the options form, as a user would. */
async function addSite(origin, tracker, { token = '', api = '', watch = '' } = {}) {
  const p = await options();
  await p.getByRole('button', { name: 'Add a site' }).click();
  await p.locator('#site-origin').click();
  await p.keyboard.type(origin);
  await p.locator('#site-tracker').selectOption(tracker);
  assert.equal(
    await p.locator('#site-api-row').isVisible(),
    tracker === 'github',
    'the API address is asked for GitHub only',
  );
  for (const [id, v] of [
    ['#site-token', token],
    ['#site-api', api],
    ['#site-watch', watch],
  ]) {
    if (!v) continue;
    await p.locator(id).click();
    await p.keyboard.type(v);
  }
  if (tracker === 'github')
    await p.locator('#site-form').screenshot({ path: join(SHOTS, 'extension-options-github-site.png') });
  await p.getByRole('button', { name: 'Save and grant access' }).click();
  await p.locator(`tr[data-origin="${origin}"] .access.ok`).waitFor();
  return p;
}

async function removeSite(origin) {
  const p = await options();
  await p.locator(`tr[data-origin="${origin}"]`).getByRole('button', { name: 'Remove' }).click();
  await p.locator(`tr[data-origin="${origin}"]`).waitFor({ state: 'detached' });
  await p.close();
}

async function check(ms) {
  await b.worker((t) => self.slaLens.setNow(t), ms);
  return b.worker(() => self.slaLens.check());
}

before(async () => {
  b = await launch();
  await b.worker((t) => self.slaLens.setNow(t), Date.parse(CREATED));
  // Opt in, say who I am (the policy's level-1 contact), and no quiet hours.
  const p = await options();
  await p.getByText("Desktop notifications for the configured trackers' open issues").click();
  await p.waitForFunction(() => document.getElementById('n-enabled').checked);
  await p.getByRole('checkbox', { name: 'IT manager is me' }).check();
  await p.waitForFunction(() => document.getElementById('me-handles').value === 'it-manager');
  await p.locator('#n-quiet').uncheck();
  await p.waitForFunction(() => !document.getElementById('n-quiet').checked);
  const n = await eventually(
    () => b.worker(() => self.slaLens.readConfig().then((c) => c.config.notifications)),
    (x) => x.enabled === true && x.quietHours?.enabled === false,
  );
  assert.equal(n.enabled, true);
  assert.equal(n.quietHours.enabled, false);
  await p.close();
});

after(async () => {
  try {
    assert.deepEqual(b?.errors ?? [], [], 'no page errors');
  } finally {
    await b?.close();
    await Promise.all(fakes.map((f) => f.close()));
  }
});

/**
 * A crossing for one site: the new issues' response deadline D (the CLI, on the fake's
 * documents), checks at D − 2 min (the site's first check: it records, it does not notify),
 * D + 1 min (one notification per new issue, to the level-1 contact) and D + 6 min (none again).
 */
async function crossing({ tracker, origin, fake, label = (id) => id, site = null }) {
  const docs = fake.docs();
  const before0 = cli(tracker, docs, Date.parse(CREATED) + MIN, site);
  const deadlines = new Set(fake.extraIds.map((id) => before0[id]?.evaluation?.response?.deadline));
  assert.equal(deadlines.size, 1, `${tracker}: the new issues share one response deadline: ${[...deadlines]}`);
  const D = Date.parse([...deadlines][0]);
  const [t0, t1, t2] = [D - 2 * MIN, D + MIN, D + 6 * MIN];
  const at0 = cli(tracker, docs, t0, site);
  const at1 = cli(tracker, docs, t1, site);
  for (const id of fake.extraIds) {
    assert.notEqual(at0[id].evaluation.state, 'breached', `${tracker} ${id} before D`);
    assert.equal(at0[id].evaluation.escalation?.current ?? null, null);
    assert.equal(at1[id].evaluation.state, 'breached', `${tracker} ${id} after D`);
    assert.equal(at1[id].evaluation.escalation.current.level, 1);
    assert.deepEqual(
      at1[id].evaluation.escalation.current.contacts.map((c) => c.handle),
      ['it-manager'],
    );
  }
  const mine = (r) =>
    r.errors[origin] ? assert.fail(`${tracker}: ${r.errors[origin]}`) : r.shown.filter((n) => n.id.startsWith(origin));

  let r = await check(t0);
  assert.deepEqual(mine(r), [], `${tracker}: the first check records, it does not notify`);
  assert.ok(r.checked >= Object.keys(at0).length, `${tracker}: open issues checked (${r.checked})`);
  r = await check(t1);
  const shown = mine(r);
  // Every new issue, once, as an escalation to me; any other notification is an issue whose
  // state or level the CLI says changed between the two checks.
  for (const id of fake.extraIds) {
    const n = shown.filter((x) => x.issueId === id);
    assert.equal(n.length, 1, `${tracker} ${id}: one notification`);
    assert.equal(n[0].title, 'Escalated to you (level 1, IT manager)');
    assert.ok(n[0].message.startsWith(`${label(id)} `), `${tracker} ${id}: named ${label(id)}: ${n[0].message}`);
    assert.match(n[0].message, /Response SLA breached/);
    assert.ok(n[0].url?.startsWith('http'), `${tracker} ${id}: links to the issue (${n[0].url})`);
  }
  for (const n of shown) {
    const a = at0[n.issueId]?.evaluation;
    const z = at1[n.issueId]?.evaluation;
    assert.ok(
      a && z && (a.state !== z.state || a.escalation?.current?.level !== z.escalation?.current?.level),
      `${tracker} ${n.issueId}: notified without a change`,
    );
  }
  r = await check(t2);
  assert.deepEqual(
    mine(r).filter((n) => fake.extraIds.includes(n.issueId)),
    [],
    `${tracker}: not twice`,
  );
  const log = await b.worker(() => chrome.storage.local.get('notifyLog').then((x) => x.notifyLog));
  for (const id of fake.extraIds)
    assert.equal(log.filter((n) => n.id.startsWith(origin) && n.issueId === id).length, 1);
  return r;
}

describe('escalation notifications for every tracker kind (fake trackers, test clock)', () => {
  it('GitHub: the open issues of the watched repository, through the API on its own origin, with the token', async () => {
    const gh = await fakeGitHub({ extra: 3, createdAt: CREATED, token: 'ghp_sla_lens_test' });
    fakes.push(gh);
    const p = await addSite(gh.origin, 'github', { token: 'ghp_sla_lens_test', api: gh.api, watch: gh.repo });
    assert.match(
      await p.locator(`tr[data-origin="${gh.origin}"]`).innerText(),
      new RegExp(`API: ${gh.api.replace(/[.:/]/g, '\\$&')}`),
    );
    await p.locator('#sites-card').screenshot({ path: join(SHOTS, 'extension-options-sites.png') });
    await p.close();
    await crossing({
      tracker: 'github',
      origin: `${gh.origin} ${gh.repo}`,
      fake: gh,
      label: (id) => `${gh.repo}#${id}`,
    });
    assert.ok(gh.apiRequests.length > 0);
    assert.deepEqual(
      gh.apiRequests.filter((r) => r.headers.authorization !== 'Bearer ghp_sla_lens_test').map((r) => r.url),
      [],
      'every API request carries the token',
    );
    await removeSite(gh.origin);
  });

  it('GitLab: every open issue, grouped by project, with the token', async () => {
    const gl = await fakeGitLab({ extra: 3, createdAt: CREATED, token: 'glpat-sla-lens' });
    fakes.push(gl);
    await (await addSite(gl.origin, 'gitlab', { token: 'glpat-sla-lens' })).close();
    await crossing({
      tracker: 'gitlab',
      origin: `${gl.origin} ${gl.project}`,
      fake: gl,
      label: (id) => `${gl.project}#${id}`,
    });
    assert.ok(gl.requests.every((r) => r.headers['private-token'] === 'glpat-sla-lens'));
    await removeSite(gl.origin);
  });

  it('Jira: open issues by JQL (watched projects)', async () => {
    const j = await fakeJira({ extra: 3, createdAt: CREATED.replace('Z', '.000+0000') });
    fakes.push(j);
    await (await addSite(j.origin, 'jira', { watch: 'MKT' })).close();
    await crossing({ tracker: 'jira', origin: j.origin, fake: j, site: { origin: j.origin } });
    assert.ok(j.requests.some((r) => /project%20in%20\(MKT\)/.test(r.url)));
    await removeSite(j.origin);
  });

  it('Redmine: open issues by limit and offset', async () => {
    const rm = await fakeRedmine({ count: 12 });
    fakes.push(rm);
    // The seeded issues cross at different times: the new ones here are the open issues the CLI
    // says are running at 09:01 with the earliest response deadline.
    const docs = rm.docs();
    const at = cli('redmine', docs, Date.parse(CREATED) + MIN);
    const running = Object.values(at).filter(
      (r) => ['running', 'atRisk'].includes(r.evaluation?.state) && !r.evaluation.escalation?.current,
    );
    const first = Math.min(...running.map((r) => Date.parse(r.evaluation.response.deadline)));
    const ids = running.filter((r) => Date.parse(r.evaluation.response.deadline) === first).map((r) => String(r.id));
    assert.ok(ids.length > 0);
    await (await addSite(rm.origin, 'redmine')).close();
    await crossing({
      tracker: 'redmine',
      origin: rm.origin,
      fake: { docs: () => docs, extraIds: ids },
      label: (id) => `#${id}`,
    });
    await removeSite(rm.origin);
  });
});

describe('the options page shows what the check could not read', () => {
  it('"Check now": a GitHub site with no repository to watch, a GitLab token the tracker refuses', async () => {
    const gh = await fakeGitHub({ token: 'ghp_right' });
    const gl = await fakeGitLab({ token: 'glpat-right' });
    fakes.push(gh, gl);
    await (await addSite(gh.origin, 'github', { token: 'ghp_right', api: gh.api })).close();
    await (await addSite(gl.origin, 'gitlab', { token: 'glpat-wrong' })).close();
    const p = await options();
    await p.getByRole('button', { name: 'Check now' }).click();
    await p.waitForFunction(() => /^Last check /.test(document.getElementById('n-last').textContent));
    const rows = await p
      .locator('#n-problems .diag')
      .evaluateAll((ds) => ds.map((d) => [d.querySelector('.path').textContent, d.querySelector('.msg').textContent]));
    assert.deepEqual(rows.map((r) => r[0]).sort(), [gh.origin, gl.origin].sort());
    assert.match(rows.find((r) => r[0] === gh.origin)[1], /list the repositories to watch/);
    assert.match(rows.find((r) => r[0] === gl.origin)[1], /401/);
    assert.match(await p.locator('#n-last').innerText(), /^Last check .*: 0 open issues read, 0 notifications\.$/);
    assert.deepEqual(gh.apiRequests, [], 'no repository, no request');
    await p.locator('#notify-card').screenshot({ path: join(SHOTS, 'extension-options-notifications.png') });
    await p.close();
    await removeSite(gh.origin);
    await removeSite(gl.origin);
  });
});

describe('GitHub pages with the API on another origin', () => {
  it('badges on the issue list: the worker fetches from the API origin with the token; no page request carries it', async () => {
    const gh = await fakeGitHub({ token: 'ghp_page_test' });
    fakes.push(gh);
    await (await addSite(gh.origin, 'github', { token: 'ghp_page_test', api: gh.api })).close();
    const regs = await b.worker(() => chrome.scripting.getRegisteredContentScripts());
    assert.ok(
      regs.some((r) => r.matches[0] === `${gh.origin}/*`),
      "content scripts for the pages' origin",
    );
    const now = Date.parse('2026-11-27T12:00:00Z');
    await b.worker((t) => self.slaLens.setNow(t), now);
    const page = await b.context.newPage();
    const carried = [];
    page.on('request', (r) => {
      if (r.headers().authorization) carried.push(r.url());
    });
    await page.goto(`${gh.origin}/${gh.repo}/issues`);
    await page.waitForSelector('html[data-sla-lens-badges]', { timeout: 20_000 });
    const list = await page.evaluate(() =>
      [...document.querySelectorAll('sla-badge')].map((el) => ({
        id: el.getAttribute('ticket-id'),
        state: el.getAttribute('state'),
        text: el.shadowRoot?.querySelector('.text')?.textContent ?? null,
      })),
    );
    const want = cli('github', gh.docs(true), now);
    assert.deepEqual(
      list.map((x) => x.id).sort(),
      ['101', '102', '103'],
      "the repository's issues, not the pull request or the other repository's",
    );
    for (const x of list) {
      assert.equal(x.state, want[x.id].evaluation.state, `#${x.id}`);
      assert.equal(x.text, badgeView(want[x.id], now, {}).text, `#${x.id}`);
    }
    assert.deepEqual(carried, [], 'no request from the page carries the token');
    assert.ok(gh.apiRequests.length >= 6, 'the issue and its timeline, for each of three issues');
    assert.ok(gh.apiRequests.every((r) => r.headers.authorization === 'Bearer ghp_page_test'));
    assert.ok(
      gh.pageRequests.every((r) => !r.headers.authorization),
      "the pages' origin never gets the token",
    );
    await page.screenshot({ path: join(SHOTS, 'extension-github-list.png') });
    await page.close();
    await removeSite(gh.origin);
  });
});
