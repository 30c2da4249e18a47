// The scheduled notification check, per tracker kind, in headless Chromium with the unpacked test
// build against the fake trackers (tests/extension/fake-trackers.mjs, fake-redmine.mjs) on
// 127.0.0.1/localhost: one site at a time with its bound of open issues (Redmine, GitLab, Jira
// 300; GitHub 100), the first check (it records) and then RUNS checks, each listing, fetching,
// mapping, evaluating and deciding. Reports the worker's wall time per check (median, range),
// the requests per check, and the machine's load.
//   make bench-extension        (figures go in BENCHMARKS.md)
import { loadavg, cpus } from 'node:os';
import { launch } from './harness.mjs';
import { fakeGitHub, fakeGitLab, fakeJira } from './fake-trackers.mjs';
import { fakeRedmine } from './fake-redmine.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const NOW = Date.parse('2026-11-28T12:00:00Z');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sites = [
  [
    'redmine',
    async () => {
      const f = await fakeRedmine({ count: 400 });
      return { f, site: { origin: f.origin, tracker: 'redmine' } };
    },
  ],
  [
    'github',
    async () => {
      const f = await fakeGitHub({ extra: 150, token: 't' });
      return { f, site: { origin: f.origin, tracker: 'github', api: f.api, token: 't', watch: [f.repo] } };
    },
  ],
  [
    'gitlab',
    async () => {
      const f = await fakeGitLab({ extra: 400 });
      return { f, site: { origin: f.origin, tracker: 'gitlab' } };
    },
  ],
  [
    'jira',
    async () => {
      const f = await fakeJira({ extra: 400 });
      return { f, site: { origin: f.origin, tracker: 'jira' } };
    },
  ],
];

const load0 = loadavg();
const b = await launch();
const rows = [];
try {
  await b.worker((t) => self.slaLens.setNow(t), NOW);
  for (const [kind, make] of sites) {
    const { f, site } = await make();
    try {
      await b.worker(async (s) => {
        await chrome.storage.local.set({
          config: {
            version: 3,
            policy: { text: null },
            sites: [s],
            me: { handles: ['it-manager'], emails: [] },
            notifications: { enabled: true, quietHours: { enabled: false } },
          },
          notifyMemory: {},
          notifyBaselined: {},
        });
        await self.slaLens.readConfig();
      }, site);
      const timed = () =>
        b.worker(async () => {
          const t0 = performance.now();
          const r = await self.slaLens.check();
          return {
            ms: performance.now() - t0,
            checked: r.checked,
            requests: Object.values(r.requests).reduce((a, x) => a + x, 0),
            errors: r.errors,
            shown: r.shown.length,
          };
        });
      const first = await timed();
      if (Object.keys(first.errors).length) throw new Error(`${kind}: ${JSON.stringify(first.errors)}`);
      const times = [];
      let last = first;
      for (let i = 0; i < RUNS; i++) {
        last = await timed();
        times.push(last.ms);
      }
      rows.push({
        kind,
        checked: last.checked,
        requests: last.requests,
        first: first.ms,
        median: median(times),
        min: Math.min(...times),
        max: Math.max(...times),
      });
    } finally {
      await f.close();
    }
  }
} finally {
  await b.close();
}
const load1 = loadavg();
console.log(
  `notification check, ${RUNS} checks per kind after the first; ${cpus().length} cores, load average ${load0[0].toFixed(2)} → ${load1[0].toFixed(2)} (1 min)`,
);
console.log(
  '| tracker | open issues read | requests per check | first check (ms) | later checks: median (ms) | range (ms) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const r of rows)
  console.log(
    `| ${r.kind} | ${r.checked} | ${r.requests} | ${r.first.toFixed(0)} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)}–${r.max.toFixed(0)} |`,
  );
