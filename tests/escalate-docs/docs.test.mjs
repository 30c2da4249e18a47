// The operating files for `sla-lens escalate` (docs/escalate/: the systemd service and timer, the
// GitHub Actions workflow; the cron line in README.md) are well formed, and every flag and
// SLA_LENS_* variable they use is one the built CLI has (`make test-escalate-docs`; needs
// target/release/sla-lens: `make cli`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// js-yaml comes with the dev tooling (package-lock.json), installed by `npm ci`.
import yaml from 'js-yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'target/release/sla-lens');
const read = (p) => readFileSync(join(root, p), 'utf8');
const service = read('docs/escalate/sla-lens-escalate.service');
const timer = read('docs/escalate/sla-lens-escalate.timer');
const workflowText = read('docs/escalate/github-actions.yml');
const readme = read('README.md');
const help = execFileSync(bin, ['escalate', '--help'], { encoding: 'utf8' });
const binary = readFileSync(bin);

/** A unit file as {section: [[key, value]]}; throws on a line that is none of the three forms. */
function parseUnit(text) {
  const out = {};
  let section = null;
  text.split('\n').forEach((line, i) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    const sec = /^\[([A-Za-z]+)\]$/.exec(line);
    if (sec) {
      section = sec[1];
      out[section] ??= [];
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`line ${i + 1} is not a unit file line: ${line}`);
    out[section].push([kv[1], kv[2]]);
  });
  return out;
}

/** The `sla-lens escalate …` command lines in a text. */
function escalateCommands(text) {
  return [...text.matchAll(/sla-lens escalate ([^\n]*)/g)].map((m) => m[1]);
}

/** Each command's flags exist in `escalate --help`, and its --tracker is a possible value. */
function checkCommand(cmd, where) {
  const flags = [...cmd.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1]);
  assert.ok(flags.length > 0, `${where}: no flags in ${cmd}`);
  for (const f of flags) {
    assert.match(help, new RegExp(`\\s${f}[\\s,]`), `${where}: ${f} is not in \`sla-lens escalate --help\``);
  }
  const tracker = /--tracker (\S+)/.exec(cmd);
  assert.ok(tracker, `${where}: no --tracker`);
  const values = /possible values: ([^\]]+)\]/.exec(help)[1].split(', ');
  assert.ok(values.includes(tracker[1]), `${where}: --tracker ${tracker[1]} is not one of ${values}`);
  // While the help says only Redmine is performed, nothing may promise another tracker.
  if (/only `redmine`/.test(help)) assert.equal(tracker[1], 'redmine', `${where}: escalate reads Redmine only`);
  // Every tracker but Redmine reads one project.
  if (tracker[1] !== 'redmine')
    assert.ok(/--project |--jql /.test(cmd), `${where}: --tracker ${tracker[1]} without --project`);
  assert.ok(
    !/SLA_LENS_[A-Z_]*=\S/.test(cmd.replace(/^.*sla-lens escalate/, '')),
    `${where}: a secret on the command line`,
  );
}

/** Every SLA_LENS_* name in a text is one the binary knows. */
function checkVariables(text, where) {
  const names = new Set([...text.matchAll(/SLA_LENS_[A-Z][A-Z_]*[A-Z]/g)].map((m) => m[0]));
  for (const n of names) {
    // A secret's file form is its name with _FILE (the help says so), built at run time.
    const known =
      binary.includes(Buffer.from(n)) ||
      (n.endsWith('_FILE') && /the name with _FILE/.test(help) && binary.includes(Buffer.from(n.slice(0, -5))));
    assert.ok(known, `${where}: ${n} is not a variable sla-lens reads`);
  }
  return names;
}

describe('docs/escalate: the systemd units', () => {
  it('parse as unit files, with the sections and keys a service and a timer need', () => {
    const s = parseUnit(service);
    assert.deepEqual(Object.keys(s), ['Unit', 'Service']);
    const get = (sec, k) => sec.filter(([key]) => key === k).map(([, v]) => v);
    assert.deepEqual(get(s.Service, 'Type'), ['oneshot']);
    assert.deepEqual(get(s.Service, 'DynamicUser'), ['yes']);
    // The key reaches the service as a credential file, never as a literal.
    assert.ok(get(s.Service, 'LoadCredential').some((v) => v.startsWith('redmine.key:/')));
    assert.ok(get(s.Service, 'Environment').includes('SLA_LENS_REDMINE_KEY_FILE=%d/redmine.key'));
    assert.ok(
      !get(s.Service, 'Environment').some((v) => /^SLA_LENS_(REDMINE_KEY|SMTP_PASSWORD)=/.test(v)),
      'no secret as a literal',
    );
    // Every credential loaded is one a *_FILE variable names.
    for (const c of get(s.Service, 'LoadCredential')) {
      const name = c.split(':')[0];
      assert.ok(
        get(s.Service, 'Environment').some((v) => /^SLA_LENS_[A-Z_]+_FILE=%d\//.test(v) && v.endsWith(`/${name}`)),
        `credential ${name} is not handed to sla-lens`,
      );
    }
    for (const k of [
      'ProtectSystem',
      'ProtectHome',
      'NoNewPrivileges',
      'RestrictAddressFamilies',
      'SystemCallFilter',
      'CapabilityBoundingSet',
    ]) {
      assert.ok(get(s.Service, k).length > 0, `the service sets ${k}`);
    }
    const t = parseUnit(timer);
    assert.deepEqual(Object.keys(t), ['Unit', 'Timer', 'Install']);
    assert.ok(get(t.Timer, 'OnCalendar').length === 1);
    assert.deepEqual(get(t.Install, 'WantedBy'), ['timers.target']);
  });

  it('pass `systemd-analyze verify` without a word (binary and credential paths pointed at real files)', () => {
    // Debian's systemd package; `make test-escalate-docs` installs it when missing.
    const probe = spawnSync('systemd-analyze', ['--version']);
    assert.equal(probe.status, 0, 'systemd-analyze is not installed (apt-get install systemd)');
    const dir = mkdtempSync(join(tmpdir(), 'sla-lens-units-'));
    for (const f of ['redmine.key', 'smtp.password']) writeFileSync(join(dir, f), 'x\n');
    const svc = service
      .replaceAll('/usr/local/bin/sla-lens', bin)
      .replaceAll('/etc/sla-lens/redmine.key', join(dir, 'redmine.key'))
      .replaceAll('/etc/sla-lens/smtp.password', join(dir, 'smtp.password'));
    writeFileSync(join(dir, 'sla-lens-escalate.service'), svc);
    writeFileSync(join(dir, 'sla-lens-escalate.timer'), timer);
    const r = spawnSync(
      'systemd-analyze',
      ['verify', '--man=no', join(dir, 'sla-lens-escalate.service'), join(dir, 'sla-lens-escalate.timer')],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    // What it says about our two units (`<dir>/sla-lens-escalate.*: …`, or without a path); it
    // also loads the machine's own units, and their complaints (say, a tracker's package naming a
    // database unit this machine lacks) are not ours.
    const ours = (r.stdout + r.stderr)
      .split('\n')
      .filter((l) => l.trim() && (l.includes(dir) || !/^\/(?:lib|usr|etc|run)\/systemd\//.test(l)));
    assert.deepEqual(ours, [], 'systemd-analyze verify has something to say about the units');
  });

  it('run a command whose flags and variables sla-lens has', () => {
    const exec = parseUnit(service)
      .Service.filter(([k]) => k === 'ExecStart')
      .map(([, v]) => v);
    assert.equal(exec.length, 1);
    assert.match(exec[0], /^\/usr\/local\/bin\/sla-lens escalate /);
    assert.ok(!exec[0].includes('--dry-run'), 'the service performs');
    checkCommand(exec[0], 'ExecStart');
    const names = checkVariables(service, 'the service');
    assert.ok(names.has('SLA_LENS_REDMINE_KEY_FILE'));
  });
});

describe('docs/escalate/github-actions.yml', () => {
  const wf = yaml.load(workflowText);
  it('is a scheduled workflow with a valid cron and least permissions', () => {
    assert.equal(typeof wf.name, 'string');
    const cron = wf.on.schedule[0].cron.split(/\s+/);
    assert.equal(cron.length, 5, 'five cron fields');
    assert.ok(
      cron.every((f) => /^[\d*/,-]+$/.test(f)),
      `cron ${cron}`,
    );
    assert.equal(wf.permissions.contents, 'read');
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    assert.ok(steps.length > 0);
    for (const s of steps) assert.ok(s.uses || s.run, `a step with neither uses nor run: ${JSON.stringify(s)}`);
  });

  it('runs commands whose flags and variables sla-lens has; secrets only as environment', () => {
    const steps = Object.values(wf.jobs)
      .flatMap((j) => j.steps)
      .filter((s) => /sla-lens escalate/.test(s.run ?? ''));
    assert.ok(steps.length > 0);
    assert.ok(
      steps.some((s) => !/--dry-run/.test(s.run)),
      'one step performs',
    );
    for (const s of steps) {
      for (const cmd of escalateCommands(s.run)) checkCommand(cmd, `step "${s.name}"`);
      assert.ok(!/secrets\./.test(s.run), `step "${s.name}": a secret in the command`);
      checkVariables(Object.keys(s.env ?? {}).join(' '), `step "${s.name}"`);
      // Secrets reach the step as environment only, each from secrets.* or vars.*.
      for (const [k, v] of Object.entries(s.env ?? {})) {
        if (/KEY|PASSWORD|TOKEN/.test(k))
          assert.match(String(v), /^\$\{\{ secrets\.[A-Z_]+ \}\}$/, `${k} from a secret`);
      }
    }
  });
});

describe('README: the escalation commands an admin copies', () => {
  it("every `sla-lens escalate` line of the admins' section uses flags and variables sla-lens has", () => {
    const start = readme.indexOf('## Running escalations (admins)');
    assert.ok(start >= 0, 'README has the section');
    const end = readme.indexOf('\n## ', start + 3);
    const section = readme.slice(start, end < 0 ? undefined : end);
    const cmds = escalateCommands(section);
    assert.ok(cmds.length >= 3, `found ${cmds.length} commands`);
    cmds.forEach((c, i) => {
      checkCommand(c.replace(/\\$/, ''), `README command ${i + 1}`);
    });
    checkVariables(section, 'README');
    assert.match(section, /^\*\/5 \* \* \* \* .*sla-lens escalate /m, 'a cron line');
  });
});
