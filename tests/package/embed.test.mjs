// The single-file embed (README, "One script tag"): sla-lens.embed.js as the npm tarball ships
// it, served alone next to a plain HTML page whose only script is that one tag (with
// data-tickets and data-policy) and its <sla-badge> elements. In headless Chromium, with the
// clock fixed, every badge shows what `sla-lens eval` says of the same tickets under the same
// policy, and the page asks for nothing but the page, the embed and the two data files (the
// engine is inside). A policy with errors gives grey badges that say why.
//   make test-package
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { badgeView } from '../../www/badge-view.js';
import { version } from '../../scripts/version.mjs';

const execFile = promisify(execFileCb);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TGZ = join(ROOT, `dist/sla-lens-${version()}.tgz`);
const CLI = process.env.SLA_LENS_BIN ?? join(ROOT, 'target/debug/sla-lens');
const LOCK = process.env.SLA_LENS_BROWSER_LOCK ?? '/tmp/sla-lens-browser.lock';
const SHOTS = process.env.SLA_LENS_SHOTS;
const POLICY = join(ROOT, 'policies/business-hours.json');
const TICKETS = join(ROOT, 'tests/golden/tickets-business.json');
const NOW = '2026-11-27T12:00:00Z';
const tickets = JSON.parse(readFileSync(TICKETS, 'utf8'));

/** The plain page: a list of the tickets with a badge each, and the one tag. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Open issues</title><link rel="icon" href="data:,"></head>
<body>
<ul>
${tickets.map((t) => `<li>${t.id} <sla-badge ticket-id="${t.id}"></sla-badge></li>`).join('\n')}
</ul>
<script type="module" src="/sla-lens.embed.js" data-tickets="tickets.json" data-policy="policy.json"></script>
</body>
</html>
`;

let work;
let server;
let base;
let policyText = readFileSync(POLICY, 'utf8');
const requested = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'sla-lens-embed-'));
  execFileSync('tar', ['-xzf', TGZ, '-C', work, 'package/sla-lens.embed.js']);
  const embed = readFileSync(join(work, 'package/sla-lens.embed.js'));
  server = createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    requested.push(p);
    const files = {
      '/': ['text/html; charset=utf-8', PAGE],
      '/sla-lens.embed.js': ['text/javascript', embed],
      '/tickets.json': ['application/json', readFileSync(TICKETS)],
      '/policy.json': ['application/json', policyText],
    };
    const f = files[p];
    if (!f) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/`;
});

after(() => {
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function read(shot) {
  const args = ['-o', LOCK, process.execPath, join(ROOT, 'tests/package/read-badges.mjs'), base, NOW];
  if (SHOTS) args.push(join(SHOTS, shot));
  const { stdout } = await execFile('flock', args, { maxBuffer: 1 << 24 });
  return JSON.parse(stdout);
}

it('one script tag: badges equal sla-lens eval, nothing fetched beside the embed and the data', async () => {
  const out = JSON.parse(execFileSync(CLI, ['eval', '--policy', POLICY, '--now', NOW, TICKETS], { encoding: 'utf8' }));
  const expected = out.results.map((r) => {
    const v = badgeView(r, Date.parse(NOW));
    return { id: String(r.id), state: r.evaluation.state, text: v.text, escalation: v.escalation };
  });
  assert.ok(new Set(expected.map((e) => e.state)).size >= 3);
  requested.length = 0;
  const { badges, failed, errors } = await read('embed.png');
  assert.deepEqual(errors, []);
  assert.deepEqual(failed, []);
  assert.deepEqual(badges, expected);
  assert.deepEqual([...new Set(requested)].sort(), ['/', '/policy.json', '/sla-lens.embed.js', '/tickets.json']);
});

it('a policy with errors: every badge is grey and says why', async () => {
  policyText = JSON.stringify({ ...JSON.parse(policyText), atRiskPercent: 'eighty' });
  const { badges, errors } = await read('embed-bad-policy.png');
  assert.deepEqual(errors, []);
  assert.equal(badges.length, tickets.length);
  for (const b of badges) {
    assert.equal(b.state, 'unavailable', JSON.stringify(b));
    assert.equal(b.text, 'SLA unavailable');
  }
});
