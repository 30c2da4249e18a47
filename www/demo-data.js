// @ts-check
// Demo issues. Deterministic: every instant is fixed relative to DEMO_NOW, Friday
// 27 November 2026, 13:00 in Berlin (12:00 UTC). The demo clock starts there and runs on in real
// time (add `?frozen` to the URL to stop it), so the countdowns tick while the states stay the
// ones listed here. tests/e2e asserts these states and texts.

export const DEMO_NOW = Date.parse('2026-11-27T12:00:00Z');

const H = 3600_000;
const M = 60_000;
const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** DEMO_NOW minus hours and minutes, as RFC 3339. */
const ago = (/** @type {number} */ h, m = 0) => iso(DEMO_NOW - h * H - m * M);
/** A Berlin wall-clock time in November 2026 (CET, UTC+1), as RFC 3339 with its offset. */
const cet = (/** @type {number} */ day, /** @type {string} */ hhmm) =>
  `2026-11-${String(day).padStart(2, '0')}T${hhmm}:00+01:00`;

const marketing = (/** @type {Record<string, string>} */ fields) => ({
  requesterGroup: 'Marketing',
  project: 'marketing-it',
  ...fields,
});

/**
 * A demo issue: the ticket the engine reads (`engineTickets`) and what the demo page shows.
 * @typedef {object} DemoTicket
 * @property {string} id
 * @property {string} title
 * @property {string} created  RFC 3339 (MKT-4108's is not, on purpose)
 * @property {string} status
 * @property {string | null} assignee
 * @property {string} requester
 * @property {Record<string, string>} fields
 * @property {string[]} labels
 * @property {{ at: string, author: string, staff: boolean }[]} [comments]
 * @property {{ at: string, from: string, to: string }[]} [statusHistory]
 * @property {{ state: string, text: string, escalation?: string }} expect  the badge the e2e test expects
 */

/**
 * Issues under the seed policy (24x7: critical 4h, normal 24h response; L1 at the deadline,
 * L2 one more target later). Expected badge in `expect` (used by the e2e test).
 * @type {DemoTicket[]}
 */
export const SEED_TICKETS = [
  {
    id: 'MKT-4127',
    title: 'Campaign landing page returns 502 for EU visitors',
    created: ago(1, 10),
    status: 'In Progress',
    assignee: 'Jonas Weber',
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Urgent', category: 'Network' }),
    labels: ['web', 'campaign'],
    expect: { state: 'running', text: '2h 50m left' },
  },
  {
    id: 'MKT-4125',
    title: 'Print server rejects jobs from the design team',
    created: ago(3, 15),
    status: 'New',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Critical', category: 'Printer' }),
    labels: ['printer'],
    expect: { state: 'atRisk', text: '45m left' },
  },
  {
    id: 'MKT-4121',
    title: 'VPN drops every 10 minutes for the video team',
    created: ago(5, 40),
    status: 'In Progress',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Urgent', category: 'VPN' }),
    labels: ['vpn'],
    expect: { state: 'breached', text: 'breached 1h ago', escalation: 'L1' },
  },
  {
    id: 'MKT-4116',
    title: 'Restore deleted Q4 campaign assets from backup',
    created: ago(10, 30),
    status: 'New',
    assignee: null,
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Critical', category: 'Backup' }),
    labels: ['restore'],
    expect: { state: 'breached', text: 'breached 6h ago', escalation: 'L2' },
  },
  {
    id: 'MKT-4126',
    title: 'Adobe Creative Cloud seat for the new intern',
    created: ago(2, 5),
    status: 'New',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Normal', category: 'Software' }),
    labels: [],
    expect: { state: 'running', text: '21h 55m left' },
  },
  {
    id: 'MKT-4119',
    title: 'Training: the new CRM reporting dashboard',
    created: ago(19, 30),
    status: 'New',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Normal', category: 'Training' }),
    labels: ['training'],
    expect: { state: 'atRisk', text: '4h 30m left' },
  },
  {
    id: 'MKT-4110',
    title: 'Shared drive permissions for the event agency',
    created: ago(31),
    status: 'New',
    assignee: null,
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Normal' }),
    labels: [],
    expect: { state: 'breached', text: 'breached 7h ago', escalation: 'L1' },
  },
  {
    id: 'MKT-4118',
    title: 'Replace the flickering monitor at desk 3.14',
    created: ago(8),
    status: 'In Progress',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Normal', category: 'Hardware' }),
    labels: ['hardware'],
    comments: [{ at: ago(7, 15), author: 'Aylin Demir', staff: true }],
    expect: { state: 'met', text: 'met' },
  },
  {
    id: 'MKT-4112',
    title: 'Email signature generator shows the old logo',
    created: ago(26),
    status: 'Resolved',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Critical', category: 'Application' }),
    labels: [],
    statusHistory: [{ at: ago(20, 40), from: 'New', to: 'Resolved' }],
    expect: { state: 'metLate', text: 'met late' },
  },
  {
    id: 'MKT-4124',
    title: 'Banner renders blurry on retina screens',
    created: ago(28),
    status: 'Resolved',
    assignee: 'Aylin Demir',
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Normal', category: 'Software' }),
    labels: ['web'],
    statusHistory: [{ at: ago(25), from: 'New', to: 'Resolved' }],
    expect: { state: 'met', text: 'met' },
  },
  {
    id: 'MKT-4123',
    title: 'New laptop for the Sales team lead',
    created: ago(4),
    status: 'New',
    assignee: null,
    requester: 'Paul Keller',
    fields: { requesterGroup: 'Sales', project: 'general-it', priority: 'Normal', category: 'Hardware' },
    labels: [],
    expect: { state: 'notApplicable', text: 'out of scope' },
  },
  {
    id: 'MKT-4120',
    title: 'Company-wide Wi-Fi password rotation',
    created: ago(6),
    status: 'In Progress',
    assignee: 'Jonas Weber',
    requester: 'IT Service Desk',
    fields: marketing({ priority: 'Normal', category: 'Wi-Fi' }),
    labels: ['general-it'],
    expect: { state: 'notApplicable', text: 'out of scope' },
  },
  {
    id: 'MKT-4108',
    title: 'Imported from the legacy tracker (bad timestamp)',
    created: 'last Tuesday',
    status: 'New',
    assignee: null,
    requester: 'Migration bot',
    fields: marketing({ priority: 'Normal' }),
    labels: ['import'],
    expect: { state: 'error', text: 'SLA error' },
  },
];

/** Issues under the business-hours example (Mon–Fri 09:00–17:00 Europe/Berlin; critical 4h
 * response / 16h resolution, normal 8h / 40h; resolution paused while waiting on Marketing;
 * L1 at the response deadline, L2 at the resolution deadline).
 * @type {DemoTicket[]}
 */
export const BUSINESS_TICKETS = [
  {
    id: 'MKT-4127',
    title: 'Campaign landing page returns 502 for EU visitors',
    created: cet(27, '11:10'),
    status: 'In Progress',
    assignee: 'Jonas Weber',
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Urgent', category: 'Network' }),
    labels: ['web', 'campaign'],
    expect: { state: 'running', text: '2h 10m left' },
  },
  {
    id: 'MKT-4125',
    title: 'Print server rejects jobs from the design team',
    created: cet(27, '09:45'),
    status: 'New',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Critical', category: 'Printer' }),
    labels: ['printer'],
    expect: { state: 'atRisk', text: '45m left' },
  },
  {
    id: 'MKT-4126',
    title: 'Adobe Creative Cloud seat for the new intern',
    created: cet(26, '15:30'),
    status: 'New',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Normal', category: 'Software' }),
    labels: [],
    expect: { state: 'running', text: '2h 30m left' },
  },
  {
    id: 'MKT-4117',
    title: 'Tracking pixels missing on the partner site',
    created: cet(24, '10:00'),
    status: 'Waiting on customer',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Normal', category: 'Network' }),
    labels: ['web'],
    comments: [{ at: cet(24, '11:00'), author: 'Jonas Weber', staff: true }],
    statusHistory: [
      { at: cet(24, '11:00'), from: 'New', to: 'In Progress' },
      { at: cet(26, '14:00'), from: 'In Progress', to: 'Waiting on customer' },
    ],
    expect: { state: 'paused', text: 'paused' },
  },
  {
    id: 'MKT-4121',
    title: 'VPN drops every 10 minutes for the video team',
    created: cet(26, '14:30'),
    status: 'In Progress',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Urgent', category: 'VPN' }),
    labels: ['vpn'],
    expect: { state: 'breached', text: 'breached 2h ago', escalation: 'L1' },
  },
  {
    id: 'MKT-4116',
    title: 'Restore deleted Q4 campaign assets from backup',
    created: cet(23, '10:00'),
    status: 'In Progress',
    assignee: 'Aylin Demir',
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Critical', category: 'Backup' }),
    labels: ['restore'],
    comments: [{ at: cet(23, '10:30'), author: 'Aylin Demir', staff: true }],
    statusHistory: [{ at: cet(23, '10:30'), from: 'New', to: 'In Progress' }],
    expect: { state: 'breached', text: 'breached 2d ago', escalation: 'L2' },
  },
  {
    id: 'MKT-4118',
    title: 'Replace the flickering monitor at desk 3.14',
    created: cet(26, '09:00'),
    status: 'Resolved',
    assignee: 'Aylin Demir',
    requester: 'Tom Fischer',
    fields: marketing({ priority: 'Normal', category: 'Hardware' }),
    labels: ['hardware'],
    comments: [{ at: cet(26, '10:15'), author: 'Aylin Demir', staff: true }],
    statusHistory: [{ at: cet(26, '16:00'), from: 'In Progress', to: 'Resolved' }],
    expect: { state: 'met', text: 'met' },
  },
  {
    id: 'MKT-4112',
    title: 'Email signature generator shows the old logo',
    created: cet(25, '09:00'),
    status: 'Resolved',
    assignee: 'Jonas Weber',
    requester: 'Mia Schulz',
    fields: marketing({ priority: 'Critical', category: 'Application' }),
    labels: [],
    comments: [{ at: cet(25, '14:30'), author: 'Jonas Weber', staff: true }],
    statusHistory: [{ at: cet(25, '16:30'), from: 'New', to: 'Resolved' }],
    expect: { state: 'metLate', text: 'met late' },
  },
  {
    id: 'MKT-3391',
    title: 'Easter campaign microsite down',
    created: '2026-04-02T16:30:00+02:00',
    status: 'Resolved',
    assignee: 'Aylin Demir',
    requester: 'Lea Braun',
    fields: marketing({ priority: 'Critical', category: 'Network' }),
    labels: ['web', 'campaign'],
    comments: [{ at: '2026-04-07T09:30:00+02:00', author: 'Aylin Demir', staff: true }],
    statusHistory: [{ at: '2026-04-08T12:00:00+02:00', from: 'In Progress', to: 'Resolved' }],
    expect: { state: 'met', text: 'met' },
  },
  {
    id: 'MKT-4123',
    title: 'New laptop for the Sales team lead',
    created: cet(27, '09:00'),
    status: 'New',
    assignee: null,
    requester: 'Paul Keller',
    fields: { requesterGroup: 'Sales', project: 'general-it', priority: 'Normal', category: 'Hardware' },
    labels: [],
    expect: { state: 'notApplicable', text: 'out of scope' },
  },
];

/**
 * The ticket objects the engine reads (without the demo's `expect`).
 * @param {DemoTicket[]} list
 * @returns {import('./pkg/sla_lens.js').TicketInput[]}
 */
export function engineTickets(list) {
  // As the engine reads them: MKT-4108's unassigned `null` and bad timestamp included (its badge
  // shows the engine's error).
  return list.map(({ expect, ...t }) => /** @type {import('./pkg/sla_lens.js').TicketInput} */ (t));
}
