// The real Redmine for the extension's browser tests: scripts/redmine.sh on its own port and state
// folder (127.0.0.1:3089 by default, so it never stops someone else's server), seeded when the
// seeded issues are missing, stopped by `stop()` only if this process started it. Plus the native
// CLI's results on the same REST data, and a local proxy that adds a strict CSP.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

export const PORT = Number(process.env.SLA_EXT_REDMINE_PORT ?? 3089);
export const BASE = `http://127.0.0.1:${PORT}`;
export const STATE = process.env.SLA_EXT_REDMINE_STATE ?? '/tmp/sla-lens-redmine-ext';
export const NOW = '2026-11-27T12:00:00Z';
const env = { ...process.env, REDMINE_PORT: String(PORT), REDMINE_STATE: STATE };
let started = false;

/**
 * Runs scripts/redmine.sh. Waits for the script to exit, not for its output to close: the puma it
 * starts keeps inherited descriptors open.
 */
function sh(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'scripts/redmine.sh'), args, {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 600_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`scripts/redmine.sh ${args.join(' ')} exited with ${code}`));
    });
  });
}

async function up() {
  try {
    const r = await fetch(`${BASE}/login`);
    return r.ok;
  } catch {
    return false;
  }
}

/** The seeded issues by tag (`S01 on-track` → id), read from the server. */
export async function seededIssues() {
  const r = await fetch(`${BASE}/issues.json?status_id=*&sort=id&limit=100`);
  if (!r.ok) return {};
  const out = {};
  for (const it of (await r.json()).issues) {
    const m = /^\[(S\d\d [^\]]+)\]/.exec(it.subject);
    if (m) out[m[1]] = String(it.id);
  }
  return out;
}

export async function start() {
  if (!(await up())) {
    await sh('start');
    started = true;
  }
  const tags = await seededIssues();
  if (Object.keys(tags).length < 12) await sh('seed');
  return seededIssues();
}

export async function stop() {
  if (started) await sh('stop');
  started = false;
}

/** The admin's API key (written by the seed into the state folder, or the default one's). */
export function apiKey() {
  for (const dir of [STATE, '/tmp/sla-lens-redmine']) {
    const f = join(dir, 'setup.json');
    if (existsSync(f)) return JSON.parse(readFileSync(f, 'utf8')).api_key;
  }
  return null;
}

/**
 * The native CLI's results for `ids`, from the same REST requests the content script makes
 * (a list call, each issue with its journals, the statuses), evaluated at `now`.
 */
export async function cliResults(ids, now = NOW) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-ext-cli-'));
  try {
    const files = [];
    const save = async (name, path) => {
      const r = await fetch(`${BASE}${path}`);
      const f = join(dir, name);
      writeFileSync(f, await r.text());
      files.push(f);
    };
    await save('list.json', `/issues.json?issue_id=${ids.join(',')}&status_id=*&sort=id&limit=100`);
    for (const id of ids) await save(`issue-${id}.json`, `/issues/${id}.json?include=journals`);
    await save('statuses.json', '/issue_statuses.json');
    const out = execFileSync(
      join(ROOT, 'target/release/sla-lens'),
      ['eval', '--tracker', 'redmine', '--now', now, ...files],
      { encoding: 'utf8' },
    );
    const byId = {};
    for (const r of JSON.parse(out).results) byId[String(r.id)] = r;
    return byId;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A proxy in front of Redmine on a free port that adds a strict CSP (no 'wasm-unsafe-eval'), and
 * a Date header `dateOffsetMs` off the real clock (as a proxy in front of a Redmine whose host's
 * clock is right, seen from a computer whose clock is not).
 */
export async function cspProxy(
  csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'",
  { dateOffsetMs = 0 } = {},
) {
  const server = createServer((req, res) => {
    const up = request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: `127.0.0.1:${PORT}` },
      },
      (r) => {
        const headers = { ...r.headers };
        if (String(headers['content-type'] ?? '').includes('text/html')) headers['content-security-policy'] = csp;
        if (dateOffsetMs) headers.date = new Date(Date.now() + dateOffsetMs).toUTCString();
        // Redmine's redirects name its own port; keep the browser on the proxy.
        if (headers.location)
          headers.location = headers.location.replace(BASE, `http://127.0.0.1:${server.address().port}`);
        res.writeHead(r.statusCode, headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}
