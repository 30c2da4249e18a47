// @ts-check
// Escalation notifications: which issues deserve a desktop notification now. Pure: the worker
// passes the evaluation results, what it notified before and the clock; this returns what to show
// and the new memory. Each issue notifies once per transition (entering "at risk", breaching,
// reaching an escalation level aimed at the current user), per SLA cycle, and never in quiet hours.

/**
 * A transition an evaluation has reached (`transitions`).
 * @typedef {{ key: string, kind: 'atRisk' | 'breached' | 'escalation', metric?: string, level?: number, role?: string }} Transition
 */

/** Minutes since local midnight of `ms` (the browser's time zone). @param {number} ms */
function minuteOfDay(ms) {
  const d = new Date(ms);
  return d.getHours() * 60 + d.getMinutes();
}

/** @param {string} s  `HH:MM` */
function hhmm(s) {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Whether `ms` falls in the quiet hours (which may wrap midnight, e.g. 20:00–08:00).
 * @param {number} ms
 * @param {{ enabled?: boolean, start: string, end: string } | null | undefined} quiet
 */
export function inQuietHours(ms, quiet) {
  if (!quiet?.enabled) return false;
  const t = minuteOfDay(ms);
  const a = hhmm(quiet.start);
  const b = hhmm(quiet.end);
  if (a === b) return false;
  return a < b ? t >= a && t < b : t >= a || t < b;
}

/**
 * Whether a policy contact is the current user (by tracker handle or email, case-insensitive).
 * @param {{ handle?: string | null, email?: string | null }} contact
 * @param {{ handles: string[], emails: string[] }} me
 */
export function isMe(contact, me) {
  const h = (contact.handle ?? '').toLowerCase();
  const e = (contact.email ?? '').toLowerCase();
  return (
    (!!h && me.handles.some((x) => x.toLowerCase() === h)) || (!!e && me.emails.some((x) => x.toLowerCase() === e))
  );
}

/**
 * The transitions an evaluation has reached: `atRisk`, `breached`, and `L<n>` for each escalation
 * level reached whose contacts include the user. Keys carry the cycle so a reopened issue can
 * notify again.
 * @param {import('../../../www/pkg/sla_lens.js').Evaluation} ev
 * @param {{ handles: string[], emails: string[] }} me
 * @param {{ atRisk?: boolean, breached?: boolean, escalations?: boolean }} prefs
 */
export function transitions(ev, me, prefs) {
  /** @type {Transition[]} */
  const out = [];
  const metric = ev.headline === 'resolution' ? ev.resolution : ev.response;
  const cycle = Math.max(ev.response?.cycles ?? 1, ev.resolution?.cycles ?? 1);
  if (prefs.atRisk && ev.state === 'atRisk') out.push({ key: `atRisk@${cycle}`, kind: 'atRisk' });
  if (prefs.breached && ev.state === 'breached')
    out.push({ key: `breached@${cycle}`, kind: 'breached', metric: ev.headline });
  const cur = ev.escalation?.current;
  if (prefs.escalations && cur) {
    // Every level up to the current one; a user met at a lower level already got that one.
    const mine = cur.contacts.filter((c) => isMe(c, me));
    if (mine.length) out.push({ key: `L${cur.level}@${cycle}`, kind: 'escalation', level: cur.level, role: cur.role });
  }
  void metric;
  return out;
}

/**
 * Decides the notifications for one check.
 * @param {object} args
 * @param {{ siteKey: string, issues: { id: string, label?: string | null, title?: string, url?: string, result: any }[] }[]} args.batches
 * @param {Record<string, string[]>} args.memory   issue key (`siteKey#id`) → transition keys already notified
 * @param {Record<string, boolean>} args.baselined  siteKey → whether a first check happened
 * @param {number} args.now
 * @param {Record<string, any>} args.prefs   the `notifications` part of the configuration
 * @param {{ handles: string[], emails: string[] }} args.me
 * @returns {{ show: Record<string, any>[], memory: Record<string, string[]>, baselined: Record<string, boolean>, quiet: boolean }}
 */
export function decide({ batches, memory, baselined, now, prefs, me }) {
  const mem = { ...memory };
  const base = { ...baselined };
  const quiet = inQuietHours(now, prefs.quietHours);
  const show = [];
  for (const { siteKey, issues } of batches) {
    const first = !base[siteKey];
    for (const it of issues) {
      const ev = it.result?.evaluation;
      if (!ev) continue;
      const k = `${siteKey}#${it.id}`;
      const had = new Set(mem[k] ?? []);
      const reached = transitions(ev, me, prefs);
      const fresh = reached.filter((t) => !had.has(t.key));
      if (!fresh.length) continue;
      // The first check only records what is already true: no flood when notifications are
      // switched on, only what changes from then on. Quiet hours record nothing, so what is
      // still true when they end is notified then.
      if (first) {
        mem[k] = [...had, ...fresh.map((t) => t.key)];
        continue;
      }
      if (quiet) continue;
      mem[k] = [...had, ...fresh.map((t) => t.key)];
      show.push(notification(it, ev, fresh));
    }
    if (!quiet || first) base[siteKey] = true;
  }
  return { show, memory: mem, baselined: base, quiet };
}

/**
 * The notification's text: plain strings (the browser renders them as text).
 * @param {{ id: string, label?: string | null, title?: string, url?: string, siteKey?: string }} issue
 * @param {import('../../../www/pkg/sla_lens.js').Evaluation} ev
 * @param {Transition[]} fresh
 */
export function notification(issue, ev, fresh) {
  const esc = fresh.find((t) => t.kind === 'escalation');
  const breached = fresh.some((t) => t.kind === 'breached');
  const atRisk = fresh.some((t) => t.kind === 'atRisk');
  const metric = ev.headline === 'resolution' ? 'Resolution' : 'Response';
  let title;
  if (esc) title = `Escalated to you (level ${esc.level}, ${esc.role})`;
  else if (breached) title = `${metric} SLA breached`;
  else if (atRisk) title = `${metric} SLA at risk`;
  else title = 'SLA update';
  const parts = [];
  if (esc && breached) parts.push(`${metric} SLA breached`);
  const m = ev.headline === 'resolution' ? ev.resolution : ev.response;
  if (m?.deadline)
    parts.push(
      `${breached || ev.state === 'breached' ? 'was due' : 'due'} ${m.deadline.replace('T', ' ').replace(/:00Z$/, ' UTC')}`,
    );
  // `owner/repo#7` (GitHub, GitLab), `#7` (Redmine), `MKT-7` (Jira).
  const ref = issue.label ?? (/^\d+$/.test(issue.id) ? `#${issue.id}` : issue.id);
  const subject = issue.title ? `${ref} ${issue.title}` : ref;
  return {
    id: `${issue.siteKey ?? ''}#${issue.id}#${fresh.map((t) => t.key).join(',')}`,
    issueId: issue.id,
    url: issue.url ?? null,
    title,
    message: [subject, ...parts].join('\n'),
    kinds: fresh.map((t) => t.key),
  };
}

/**
 * `fn` made to run one call at a time: a call made while another runs starts when it ends
 * (whether it succeeded or threw), so a check always reads the notification memory the one
 * before it wrote. Each call gets its own result or error.
 * @template {unknown[]} A
 * @template R
 * @param {(...args: A) => Promise<R>} fn
 * @returns {(...args: A) => Promise<R>}
 */
export function oneAtATime(fn) {
  /** @type {Promise<unknown>} */
  let last = Promise.resolve();
  return (...args) => {
    const run = last.then(
      () => fn(...args),
      () => fn(...args),
    );
    last = run.catch(() => {});
    return run;
  };
}
