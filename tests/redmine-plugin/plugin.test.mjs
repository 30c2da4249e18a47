// The Redmine plugin in a real Redmine 5 (scripts/redmine-plugin-test.sh installs the archive
// `make redmine-plugin` builds, starts Redmine with it on a port of its own, and uninstalls it
// afterwards): an administrator configures it through Administration → Plugins → sla-lens with
// clicks and typing (a bad policy lists the engine's diagnostics, path by path, and is not
// saved; a good one, uploaded as a file, is); then an ordinary signed-in user with nothing
// installed in the browser sees on the issue list and on every issue page the badge the native
// CLI computes from the same REST data, read through the plugin under the user's session — no API
// key read or created, the policy without contacts' e-mails, no group member lists — also with
// the REST API off; the plugin's endpoint answers only the signed-in user's visible issues;
// anonymous visitors get nothing; the settings page keeps the hostile corpus (tests/hostile/) as
// text. Screenshots go to target/screenshots/.
//
//   make test-redmine-plugin
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { badgeView } from '../../www/badge-view.js';
import { hostilePolicy, watch, assertSafe, deepText, SHOWN } from '../hostile/hostile.mjs';
import { CHROME, CHROMIUM_ARGS } from '../support/chromium.mjs';
import { readBadges } from '../support/badges.mjs';
import { assertAccessible, audit } from '../support/axe.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDMINE = process.env.REDMINE_URL;
if (!REDMINE) throw new Error('REDMINE_URL is not set: run `make test-redmine-plugin`');
const SETUP = JSON.parse(readFileSync(process.env.REDMINE_SETUP, 'utf8'));
const SEED = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/redmine/seed.json'), 'utf8'));
const NOW = Date.parse(SEED.now);
const TAG = new Map(SEED.issues.map((i) => [String(i.id), i.tag.split(' ')[0]]));
const CLI = join(ROOT, 'target/release/sla-lens');
const SHOTS = join(ROOT, 'target/screenshots');
const ALL = '/issues?set_filter=1&f%5B%5D=status_id&op%5Bstatus_id%5D=%2A&sort=id';
const VIEWER_ZONE = 'America/New_York';
const SETTINGS = '/settings/plugin/sla_lens';

// What the administrator configures: the business-hours policy (its name carrying markup that
// must stay text), and a site mapping whose IT staff are the members of the group "IT".
const POLICY = JSON.parse(readFileSync(join(ROOT, 'policies/business-hours.json'), 'utf8'));
POLICY.name = 'Office hours </script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
const POLICY_TEXT = JSON.stringify(POLICY, null, 2);
const SITE_TEXT = JSON.stringify({
  tracker: 'redmine',
  staff: { groups: ['IT'] },
  statuses: { [String(SETUP.status_waiting)]: 'Waiting on customer' },
});
// A bad policy: an unknown key and a percentage that is a word.
const BAD = JSON.parse(JSON.stringify(POLICY));
BAD.colour = 'red';
BAD.atRiskPercent = 'eighty';

let browser;
let work;
const pageErrors = [];

async function userContext(login, password) {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    timezoneId: VIEWER_ZONE,
    locale: 'en-US',
  });
  if (login) {
    const page = await context.newPage();
    await page.goto(`${REDMINE}/login`);
    await page.fill('#username', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
    assert.ok(await page.locator('#loggedas').count(), `${login} is signed in`);
    await page.close();
  }
  return context;
}

async function open(context, path, { clock = true } = {}) {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
  if (clock) await page.clock.setFixedTime(new Date(NOW));
  await page.goto(`${REDMINE}${path}`);
  return page;
}

async function settingsPage(admin) {
  const page = await open(admin, SETTINGS, { clock: false });
  await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) > 0);
  return page;
}

/** Waits for a check after `before` checks, and for no edit to be waiting for its check. */
async function checked(page, before) {
  await page.waitForFunction(
    (n) => Number(document.body.dataset.slaLensChecked ?? 0) > n && !document.body.dataset.slaLensPending,
    before,
  );
}
const checks = (page) => page.evaluate(() => Number(document.body.dataset.slaLensChecked ?? 0));

const diagnostics = (page, list) =>
  page.locator(`#${list} li`).evaluateAll((lis) =>
    lis.map((li) => ({
      severity: li.className,
      path: li.querySelector('.path').textContent,
      code: li.querySelector('.code').textContent,
      message: li.querySelector('.message').textContent,
    })),
  );

const sql = (query) => {
  const r = spawnSync(
    'sqlite3',
    ['-cmd', '.timeout 5000', '/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default', query],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
/** The API keys Redmine holds for `login` (reading /my/api_key creates one). */
const apiKeys = (login) =>
  sql(
    `SELECT COUNT(*) FROM tokens JOIN users ON users.id = tokens.user_id WHERE users.login = '${login}' AND tokens.action = 'api'`,
  );
/** The policy as the page should get it: every contact reduced to its name. */
const forBadges = (p) => {
  const q = structuredClone(p);
  for (const l of q.escalation?.levels ?? []) l.contacts = (l.contacts ?? []).map((c) => ({ name: c.name }));
  return q;
};

const storedSetting = () => {
  const r = spawnSync(
    'sqlite3',
    [
      '-cmd',
      '.timeout 5000',
      '/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default',
      "SELECT value FROM settings WHERE name = 'plugin_sla_lens'",
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

const badges = (page) => readBadges(page, { row: true });

function want(r) {
  const v = badgeView(r, NOW);
  const ev = r.evaluation;
  const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
  return { state: ev.state, text: v.text, escalation: v.escalation, deadline: m.deadline ?? '' };
}

/** The CLI over the REST data (fetched with the admin's key) with the configured policy and site. */
async function expected() {
  const get = async (path) => {
    const r = await fetch(`${REDMINE}${path}`, { headers: { 'X-Redmine-API-Key': SETUP.api_key } });
    assert.equal(r.status, 200, path);
    return r.text();
  };
  const files = [];
  const save = (name, text) => {
    const f = join(work, name);
    writeFileSync(f, text);
    files.push(f);
  };
  save('policy.json', POLICY_TEXT);
  save('site.json', SITE_TEXT);
  save('issue_statuses.json', await get('/issue_statuses.json'));
  save('issues.json', await get('/issues.json?status_id=*&sort=id&limit=100'));
  for (const id of TAG.keys()) save(`issue-${id}.json`, await get(`/issues/${id}.json?include=journals`));
  const groups = JSON.parse(await get('/groups.json')).groups.filter((g) => g.name === 'IT');
  assert.equal(groups.length, 1, 'the seed has the group IT');
  save('group-it.json', await get(`/groups/${groups[0].id}.json?include=users`));
  const [policy, site, ...data] = files;
  const out = JSON.parse(
    execFileSync(CLI, ['eval', '--site', site, '--policy', policy, '--now', SEED.now, ...data], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  return new Map(out.results.map((r) => [String(r.id), r]));
}

describe('the sla-lens Redmine plugin', () => {
  let admin;
  let sam;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'sla-plugin-'));
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROME,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    admin = await userContext('admin', 'admin');
    sam = await userContext('sam', 'sla-lens-seed-1');
  });

  after(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'no error was thrown into a page');
  });

  it('is listed under Administration → Plugins with a Configure link', async () => {
    const page = await open(admin, '/admin/plugins', { clock: false });
    const row = page.locator('tr#plugin-sla_lens');
    assert.match(await row.locator('td.name span.name').textContent(), /sla-lens/);
    assert.equal(await row.locator('a', { hasText: 'Configure' }).getAttribute('href'), SETTINGS);
    await page.close();
  });

  it('lists every diagnostic of a bad policy with its path, and does not save it', async (t) => {
    const before = storedSetting();
    const page = await settingsPage(admin);
    const apply = page.locator('#settings input[type="submit"]');
    assert.equal(await apply.isEnabled(), true, 'empty settings (the seed SLA) can be saved');
    // Typed, as an administrator would paste it.
    let n = await checks(page);
    await page.locator('#sla_lens_policy').click();
    await page.locator('#sla_lens_policy').fill(JSON.stringify(BAD, null, 2));
    await checked(page, n);
    const got = await diagnostics(page, 'sla_lens_policy_diagnostics');
    const badFile = join(work, 'bad.json');
    writeFileSync(badFile, JSON.stringify(BAD, null, 2));
    const r = spawnSync(CLI, ['check', '--json', badFile], { encoding: 'utf8' });
    assert.equal(r.status, 1, 'the CLI refuses it too');
    const cliDiags = JSON.parse(r.stdout);
    assert.ok(cliDiags.length >= 2, JSON.stringify(cliDiags));
    assert.deepEqual(
      got,
      cliDiags.map((d) => ({
        severity: d.severity,
        path: d.path || '(the whole document)',
        code: d.code,
        message: d.message,
      })),
    );
    for (const path of ['colour', 'atRiskPercent'])
      assert.ok(
        got.some((d) => d.path === path),
        `a diagnostic at ${path}`,
      );
    assert.equal(await apply.isEnabled(), false, 'Apply is disabled');
    assert.match(await page.locator('#sla-lens-status').textContent(), /error\(s\): fix them to save/);
    // A broken site mapping is listed too, with its paths.
    n = await checks(page);
    await page.locator('#sla_lens_site').click();
    await page.keyboard.type('{"tracker": "redmine", "staff": {"group": ["IT"]}}');
    await checked(page, n);
    const site = await diagnostics(page, 'sla_lens_site_diagnostics');
    assert.ok(site.length > 0 && site.every((d) => d.path.startsWith('staff')), JSON.stringify(site));
    await page.screenshot({ path: join(SHOTS, 'redmine-plugin-settings-errors.png'), fullPage: true });
    // The settings, diagnostics listed, for keyboard and screen-reader users (Redmine's own page
    // around them is not ours to judge).
    assertAccessible(t, await audit(page, { include: ['#sla-lens-settings'] }), 'settings with diagnostics');
    // Enter in a field, or a script submitting the form, does not save it either.
    await page.evaluate(() => document.querySelector('#sla_lens_policy').form.requestSubmit());
    await page.waitForTimeout(500);
    assert.equal(new URL(page.url()).pathname, SETTINGS);
    assert.equal(storedSetting(), before, 'nothing was stored');
    await page.reload();
    await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) > 0);
    assert.equal(await page.locator('#sla_lens_policy').inputValue(), '', 'the saved policy is still the empty one');
    await page.close();
  });

  it('saves a valid policy uploaded as a file and a typed site mapping', async () => {
    const page = await settingsPage(admin);
    const policyFile = join(work, 'upload.json');
    writeFileSync(policyFile, POLICY_TEXT);
    let n = await checks(page);
    await page.locator('#sla_lens_policy_file').setInputFiles(policyFile);
    await checked(page, n);
    n = await checks(page);
    await page.locator('#sla_lens_site').click();
    await page.keyboard.type(SITE_TEXT, { delay: 2 });
    await page.waitForFunction((t) => document.querySelector('#sla_lens_site').value === t, SITE_TEXT);
    await checked(page, n);
    assert.deepEqual(await diagnostics(page, 'sla_lens_policy_diagnostics'), []);
    assert.deepEqual(await diagnostics(page, 'sla_lens_site_diagnostics'), []);
    // The name, markup and all, is shown as text.
    assert.equal(
      await page.locator('#sla-lens-status').textContent(),
      `Valid: policy “${POLICY.name}” with the site mapping.`,
    );
    assert.equal(await page.locator('#sla-lens-rest-warning').count(), 0, 'no REST warning while it is on');
    const apply = page.locator('#settings input[type="submit"]');
    assert.equal(await apply.isEnabled(), true);
    await page.screenshot({ path: join(SHOTS, 'redmine-plugin-settings-valid.png'), fullPage: true });
    await Promise.all([page.waitForURL((u) => u.pathname === SETTINGS), apply.click()]);
    await page.waitForSelector('#flash_notice');
    assert.equal(await page.locator('#sla_lens_policy').inputValue(), POLICY_TEXT);
    assert.equal(await page.locator('#sla_lens_site').inputValue(), SITE_TEXT);
    assert.ok(storedSetting().includes('it-marketing-business-hours'), 'stored');
    await page.close();
  });

  it('badges every seeded issue on the list for an ordinary user as the CLI computes it', async (t) => {
    const cli = await expected();
    const wasm = [];
    const keysBefore = apiKeys('sam');
    const page = await sam.newPage();
    page.on('pageerror', (e) => pageErrors.push(`list: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().endsWith('.wasm')) wasm.push({ url: new URL(r.url()).pathname, type: r.headers()['content-type'] });
    });
    const asked = [];
    page.on('request', (r) =>
      asked.push({ path: new URL(r.url()).pathname, key: r.headers()['x-redmine-api-key'] ?? null }),
    );
    await page.clock.setFixedTime(new Date(NOW));
    await page.goto(`${REDMINE}${ALL}`);
    await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
    assert.deepEqual(wasm, [
      { url: '/plugin_assets/sla_lens/javascripts/sla-lens/pkg/sla_lens_bg.wasm', type: 'application/wasm' },
    ]);
    // The settings reached the page as data, markup included, and ran nothing.
    const handed = await page.evaluate(() => ({
      config: JSON.parse(document.getElementById('sla-lens-config').textContent),
      pwned: window.pwned ?? null,
      imgs: document.querySelectorAll('head img, body > img[src="x"]').length,
    }));
    // The policy as badges need it: no contact's e-mail or handle; no group's member list.
    assert.deepEqual(JSON.parse(handed.config.policy), forBadges(POLICY));
    const html = await page.content();
    for (const c of POLICY.escalation.levels.flatMap((l) => l.contacts)) {
      if (c.email) assert.ok(!html.includes(c.email), `${c.email} is not in the page`);
    }
    assert.equal(handed.config.site, SITE_TEXT);
    assert.equal(handed.config.shared, undefined, 'no staff group members in the page');
    assert.equal(handed.config.endpoint, '/sla_lens/issues');
    assert.deepEqual([handed.pwned, handed.imgs], [null, 0], 'no markup from the settings ran');
    const got = await badges(page);
    assert.equal(got.length, SEED.issues.length, 'one badge per row');
    for (const b of got) {
      const tag = TAG.get(b.id);
      assert.ok(cli.get(b.id)?.evaluation, `the CLI evaluated ${tag}`);
      assert.deepEqual(
        { state: b.state, text: b.text, escalation: b.escalation, deadline: b.deadline },
        want(cli.get(b.id)),
        tag,
      );
      assert.equal(b.row, `issue-${b.id}`);
    }
    const states = new Set(got.map((b) => b.state));
    assert.ok(states.has('paused') && states.has('notApplicable') && states.size >= 4, [...states].join());
    await page.screenshot({ path: join(SHOTS, 'redmine-plugin-list.png') });
    // The badges in Redmine's list, one's tooltip open by keyboard focus.
    await page.locator('sla-badge').first().locator('.badge').focus();
    await page.locator('sla-badge').first().locator('[role="tooltip"]').waitFor({ state: 'visible' });
    assertAccessible(t, await audit(page, { include: ['sla-badge'] }), 'badges on the issue list');
    await page.close();
    // The data came from the plugin under the session: no key read, sent or created.
    assert.ok(
      asked.some((r) => r.path === '/sla_lens/issues'),
      'the issues came from the plugin',
    );
    assert.deepEqual(
      asked.filter((r) => r.path === '/my/api_key' || r.key || r.path.endsWith('.json')),
      [],
      'no API key read or sent, no REST call',
    );
    assert.equal(apiKeys('sam'), keysBefore, 'no API key was created for sam');
  });

  it("answers only a signed-in user, only for the issues asked that exist, with no more of the staff groups than those issues' people", async () => {
    const ids = [...TAG.keys()].join(',');
    const anon = await userContext(null);
    const a = await anon.request.get(`${REDMINE}/sla_lens/issues?ids=${ids}`, { maxRedirects: 0 });
    // 401; or, where Redmine requires a login for everything, its redirect to the login page.
    assert.ok(
      a.status() === 401 || (a.status() === 302 && /\/login/.test(a.headers().location)),
      `anonymous: ${a.status()}`,
    );
    await anon.close();
    const r = await sam.request.get(`${REDMINE}/sla_lens/issues?ids=${ids},999999,1/../2,abc`);
    assert.equal(r.status(), 200);
    const docs = await r.json();
    const issues = docs.filter((d) => d.issue).map((d) => String(d.issue.id));
    assert.deepEqual(
      issues.sort(),
      [...TAG.keys()].sort(),
      'the seeded issues sam sees, nothing for unknown or malformed ids',
    );
    const groups = docs.filter((d) => d.group);
    assert.deepEqual(
      groups.map((g) => g.group.name),
      ['IT'],
    );
    // Only members who wrote one of these issues or a note on them.
    const people = new Set(
      docs
        .filter((d) => d.issue)
        .flatMap((d) => [d.issue.author?.id, ...(d.issue.journals ?? []).map((j) => j.user?.id)]),
    );
    assert.ok(
      groups[0].group.users.every((u) => people.has(u.id)),
      JSON.stringify(groups[0].group.users),
    );
    assert.ok(groups[0].group.users.length > 0, 'the staff who answered are there');
  });

  it('badges each issue page next to its heading as the CLI computes it', async () => {
    const cli = await expected();
    for (const [id, tag] of TAG) {
      const page = await open(sam, `/issues/${id}`);
      await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
      const got = await badges(page);
      assert.equal(got.length, 1, `${tag}: one badge`);
      assert.equal(got[0].id, id);
      assert.deepEqual(
        { state: got[0].state, text: got[0].text, escalation: got[0].escalation, deadline: got[0].deadline },
        want(cli.get(id)),
        tag,
      );
      assert.ok(
        await page.evaluate(() => !!document.querySelector('#content sla-badge.sla-lens')),
        `${tag}: in the content`,
      );
      if (tag === 'S02') await page.screenshot({ path: join(SHOTS, 'redmine-plugin-issue.png') });
      await page.close();
    }
  });

  it('gives anonymous visitors neither the settings nor the engine', async () => {
    const anon = await userContext(null);
    const page = await open(anon, '/projects');
    const head = await page.evaluate(() => ({
      config: document.getElementById('sla-lens-config') !== null,
      modules: [...document.querySelectorAll('script[src*="sla_lens"]')].length,
    }));
    assert.deepEqual(head, { config: false, modules: 0 });
    await page.close();
    await anon.close();
  });

  it('needs no REST API: with it off, the badges are the same', async (t) => {
    const setRest = async (on) => {
      const page = await open(admin, '/settings?tab=api', { clock: false });
      const box = page.locator('#settings_rest_api_enabled');
      if ((await box.isChecked()) !== on) await box.click();
      await Promise.all([page.waitForURL(/tab=api/), page.locator('#tab-content-api input[type="submit"]').click()]);
      await page.waitForSelector('#flash_notice');
      assert.equal(await page.locator('#settings_rest_api_enabled').isChecked(), on);
      await page.close();
    };
    const cli = await expected();
    t.after(() => setRest(true));
    await setRest(false);
    const page = await open(sam, ALL);
    await page.waitForSelector('html[data-sla-lens="ready"]', { timeout: 30_000 });
    const got = await badges(page);
    assert.equal(got.length, SEED.issues.length);
    for (const b of got)
      assert.deepEqual(
        { state: b.state, text: b.text, escalation: b.escalation, deadline: b.deadline },
        want(cli.get(b.id)),
        TAG.get(b.id),
      );
    await page.screenshot({ path: join(SHOTS, 'redmine-plugin-rest-off.png') });
    await page.close();
    const settings = await settingsPage(admin);
    assert.equal(
      await settings.locator('#sla-lens-rest-warning').count(),
      0,
      'no warning: the plugin does not need it',
    );
    assert.match(
      await settings.locator('#sla-lens-privacy').textContent(),
      /reads no user's API key and\s+creates none/,
    );
    await settings.close();
  });

  it("the settings page keeps the hostile corpus as text: a valid policy full of it, and a bad one's diagnostics", async () => {
    const page = await open(admin, SETTINGS, { clock: false });
    const dialogs = watch(page);
    await page.waitForFunction(() => Number(document.body.dataset.slaLensChecked ?? 0) > 0);
    const hostile = hostilePolicy(POLICY);
    let n = await checks(page);
    await page.locator('#sla_lens_policy').fill(JSON.stringify(hostile, null, 2));
    await checked(page, n);
    assert.equal(
      await page.locator('#sla-lens-status').textContent(),
      `Valid: policy “${hostile.name}” with the site mapping.`,
    );
    // Unknown keys named by the corpus: each listed with its path, as text.
    const bad = structuredClone(hostile);
    for (const v of SHOWN.slice(0, 8)) bad[v] = v;
    n = await checks(page);
    await page.locator('#sla_lens_policy').fill(JSON.stringify(bad, null, 2));
    await checked(page, n);
    const diags = await diagnostics(page, 'sla_lens_policy_diagnostics');
    for (const v of SHOWN.slice(0, 8))
      assert.ok(
        diags.some((d) => d.path === v || d.message.includes(v)),
        `a diagnostic names ${JSON.stringify(v.slice(0, 40))}`,
      );
    await page.screenshot({ path: join(SHOTS, 'redmine-plugin-settings-hostile.png'), fullPage: true });
    // Redmine's own markup has inline handlers: the checks look inside the plugin's part.
    await assertSafe(page, dialogs, "the plugin's settings page", { within: '#sla-lens-settings' });
    const text = await deepText(page);
    assert.ok(text.includes(hostile.name));
    await page.close();
  });
});
