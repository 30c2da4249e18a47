/* tslint:disable */
/* eslint-disable */

/** An instant in output: RFC 3339 UTC text, e.g. `2026-11-27T12:00:00Z`. */
export type IsoInstant = string;
/** An instant in input: RFC 3339 text with an offset, or epoch milliseconds. */
export type Stamp = string | number;

export type Severity = "error" | "warning";
/** One problem in a policy: a stable code, a JSON path and a message naming the fix. */
export interface Diagnostic {
    severity: Severity;
    code: string;
    /** e.g. `targets[0].response`; `""` for the whole document. */
    path: string;
    message: string;
}
export interface ValidationResult {
    /** No diagnostic is an error. Warnings may remain. */
    ok: boolean;
    diagnostics: Diagnostic[];
}
/** Thrown by `new SlaEngine(text)` when the policy has errors. */
export interface PolicyError extends Error {
    name: "PolicyError";
    diagnostics: Diagnostic[];
}
/** Thrown by `explain` for a ticket that cannot be read or evaluated. */
export interface TicketErrorThrown extends Error {
    name: "TicketError";
    code: string;
    path: string;
    ticketId: string | null;
}

export type FieldValue = string | string[] | number | boolean | null;
/** A tracker-agnostic ticket (only `id` and `created` are required). */
export interface TicketInput {
    id: string | number;
    title?: string;
    url?: string;
    created: Stamp;
    /** Facts for scope and tier conditions: `project`, `priority`, `category`, `requesterGroup`... */
    fields?: Record<string, FieldValue>;
    labels?: string[];
    requester?: string;
    assignee?: string;
    /** The current status; used from creation on when there is no history. */
    status?: string;
    statusHistory?: { at: Stamp; from?: string; to: string }[];
    comments?: { at: Stamp; author?: string; staff?: boolean }[];
    firstResponseAt?: Stamp;
}

export type State =
| "running" | "paused" | "atRisk" | "breached" | "met" | "metLate" | "notApplicable";
export type MetricKind = "response" | "resolution";

export interface Matched { field: string; value: string }
export type Applicability =
| { kind: "applies" }
| { kind: "notIncluded" }
| { kind: "excluded"; rule: number; matched: Matched }
| { kind: "noPriority" }
| { kind: "noTarget" };
export interface TierMatch {
    id: string;
    name: string;
    /** e.g. `priorities[0].when[1]`. */
    rule: string;
    fallback: boolean;
    matched: Matched | null;
}
export interface MetricEval {
    metric: MetricKind;
    state: State;
    /** Target in business seconds. */
    target: number | null;
    start: IsoInstant | null;
    deadline: IsoInstant | null;
    atRiskAt: IsoInstant | null;
    stoppedAt: IsoInstant | null;
    /** Business seconds used. */
    elapsed: number;
    /** Business seconds left (negative once breached). */
    remaining: number | null;
    /** Wall-clock seconds from now to the deadline (negative once passed). */
    untilDeadline: number | null;
    percentUsed: number | null;
    pausedSeconds: number;
    pausedBusinessSeconds: number;
    paused: boolean;
    breachedAt: IsoInstant | null;
    cycles: number;
    everBreached: boolean;
}
export interface Contact { name: string; email?: string; handle?: string }
/** `at` is null only for a next level whose instant is not known yet (its clock is paused). */
export interface LevelEval { level: number; role: string; contacts: Contact[]; at: IsoInstant | null }
export interface EscalationEval {
    current: LevelEval | null;
    next: LevelEval | null;
    maxLevel: number;
}
export interface Evaluation {
    id: string;
    at: IsoInstant;
    applicability: Applicability;
    priority: TierMatch | null;
    category: TierMatch | null;
    calendar: string | null;
    status: string | null;
    /** The badge's state: the most urgent active metric, else the last stopped one. */
    state: State;
    headline: MetricKind;
    response: MetricEval;
    resolution: MetricEval;
    escalation: EscalationEval;
    /** The next instant at which anything above changes if nothing else happens. */
    nextChange: IsoInstant | null;
}
export type Segment =
| { kind: "counted"; start: IsoInstant; end: IsoInstant; seconds: number }
| { kind: "outsideHours"; start: IsoInstant; end: IsoInstant }
| { kind: "closed"; start: IsoInstant; end: IsoInstant; days: ClosedDay[] }
| { kind: "paused"; start: IsoInstant; end: IsoInstant; status: string | null; businessSeconds: number }
| { kind: "dstChange"; at: IsoInstant; fromOffset: string; toOffset: string };
/** A holiday or exception date inside a `closed` segment. */
export interface ClosedDay {
    /** e.g. `Thu 24 Dec 2026`. */
    date: string;
    name: string | null;
    kind: "holiday" | "exception";
}
export interface ReviewStatus {
    effective: string;
    lastReview: string;
    nextReview: string;
    intervalMonths: number;
    overdue: boolean;
    daysUntil: number;
}
/** The trace behind an evaluation; `lines` are plain-text tooltip sentences. */
export interface ExplanationTrace {
    timeZone: string;
    segments: Segment[];
    truncated: boolean;
    lines: string[];
    review: ReviewStatus | null;
}
export interface Explanation extends ExplanationTrace { evaluation: Evaluation }
export interface TicketErrorInfo {
    id: string | null;
    code: string;
    path: string;
    message: string;
}
/** One ticket's outcome in a batch: exactly the objects `sla-lens eval` prints. */
export type TicketResult =
| { id: string; evaluation: Evaluation; explanation?: ExplanationTrace; error?: undefined }
| { id: string | null; error: TicketErrorInfo; evaluation?: undefined; explanation?: undefined };
export interface EvaluateOptions {
    /** Add each ticket's explanation trace and tooltip sentences. */
    explain?: boolean;
}
/** What `nextChange` reads: batch results, evaluations or explanations. */
export type HasNextChange =
| { evaluation?: { nextChange: IsoInstant | null } | null }
| { nextChange: IsoInstant | null };
export type ExamplePolicy = "default" | "business-hours";



/** The fields of one row of `BoardRows.numbers`, in order. `…Ms` are epoch ms; a `string`
 *  field holds an index into `BoardRows.strings` (-1: none); a missing number is `NaN`. */
export type BoardRowField =
| "index" | "id" | "state" | "headline" | "applicability" | "calendar"
| "deadlineMs" | "untilDeadline" | "remaining" | "percentUsed" | "level" | "levelRole"
| "priorityId" | "priorityName" | "categoryId" | "categoryName"
| "status" | "assignee" | "title" | "url" | "createdMs" | "nextChangeMs";
export interface BoardRows {
    /** Field names of each row, in order (`fields.length` numbers per row). */
    fields: BoardRowField[];
    /** Which fields are indices into `strings`. */
    stringFields: BoardRowField[];
    /** One row per readable ticket, in batch order (`index`: position in the batch). */
    numbers: Float64Array;
    /** Every text the rows refer to, each once. */
    strings: string[];
    /** One per ticket that could not be read or evaluated, with its position. */
    errors: (TicketErrorInfo & { index: number })[];
    /** The earliest `nextChangeMs` (at least now); null when nothing changes without an event. */
    nextChange: number | null;
}



export type CsvFormatName = "redmine-csv" | "jira-csv";
/** A CSV column mapping (docs/trackers.md, "CSV exports"): JSON text or an object. `timeZone` is required. */
export type CsvMappingInput = string | Record<string, unknown>;
/** A row that could not be mapped: its spreadsheet row (header = 1), file line and column. */
export interface CsvRowError extends TicketErrorInfo {
    index: number; row: number; line: number; column: string | null;
}
/** Tickets mapped from a CSV export, the rows that could not be, and what the export cannot tell. */
export interface MappedCsv {
    format: CsvFormatName;
    tickets: TicketInput[];
    errors: CsvRowError[];
    /** Export-wide: `response` (no first-response times), `resolution` (no close times), `pauses` (no status history). */
    unknown: { what: "response" | "resolution" | "pauses"; reason: string }[];
    /** Ticket part → the header(s) it was read from. */
    columns: Record<string, string[]>;
    delimiter: string;
    encoding: "utf-8" | "iso-8859-1";
    timeZone: string;
}
/** Thrown by `mapCsv` for a mapping with errors (every one in `diagnostics`). */
export interface MappingError extends Error { name: "MappingError"; diagnostics: Diagnostic[] }



export type TrackerName = "redmine" | "github" | "gitlab" | "jira";
/** Tickets mapped from a tracker's own REST responses: the readable ones and why others are not. */
export interface MappedExport {
    tickets: TicketInput[];
    /** One per issue that could not be mapped, with its position among the issues. */
    errors: (TicketErrorInfo & { index: number })[];
}
/** A period end: `YYYY-MM-DD` in the report zone (`to` inclusive, as the CLI), RFC 3339, or epoch ms. */
export type PeriodEnd = string | number;
export interface ReportOptions {
    /** The report instant (epoch ms); tickets are evaluated at min(now, end of the period). */
    nowMs: number;
    from?: PeriodEnd | null;
    to?: PeriodEnd | null;
    /** Read the tracker's own REST responses instead of canonical tickets. */
    tracker?: TrackerName | null;
}
export interface ReportTimes { count: number; median: number | null; p90: number | null }
export interface ReportCell {
    metric: MetricKind;
    month: string | null;
    priority: string | null;
    category: string | null;
    inScope: number; met: number; metLate: number; breached: number; open: number; untargeted: number;
    metPercent: number | null;
    business: ReportTimes;
    wall: ReportTimes;
    escalations: { level: number; reached: number }[];
    paused: { tickets: number; totalSeconds: number; medianSeconds: number | null; totalBusinessSeconds: number };
}
export interface ReportScopeRow {
    month: string | null;
    created: number; inScope: number; outOfScope: number;
    notIncluded: number; excluded: number; noPriority: number; noTarget: number;
}
export interface ReportBreach {
    id: string; title?: string; url?: string;
    created: IsoInstant; month: string; priority: string; category: string | null;
    metric: MetricKind; state: State; target: number;
    deadline: IsoInstant | null; stoppedAt: IsoInstant | null; elapsed: number; cycles: number;
    escalations: { cycle: number; level: number; role: string; at: IsoInstant }[];
}
/** The review report: exactly what `sla-lens report --format json` prints. */
export interface Report {
    policy: { id: string; name: string };
    period: {
        from: IsoInstant; to: IsoInstant; firstDay: string; lastDay: string;
        source: "review" | "beforeNow" | "given"; zone: string; now: IsoInstant; evaluatedAt: IsoInstant;
    };
    review: ReviewStatus | null;
    months: string[];
    priorities: { id: string; name: string }[];
    categories: { id: string; name: string }[];
    metrics: { metric: MetricKind; targeted: boolean }[];
    levels: { level: number; role: string; metric: MetricKind }[];
    tickets: {
        read: number; unreadable: number; beforePeriod: number; afterPeriod: number;
        inPeriod: number; inScope: number; outOfScope: number;
    };
    scope: ReportScopeRow[];
    excludedBy: { rule: string; count: number }[];
    cells: ReportCell[];
    breaches: ReportBreach[];
    unreadable: TicketErrorInfo[];
}
/** Thrown by `report` when the period is empty or out of range. */
export interface ReportErrorThrown extends Error { name: "ReportError"; code: string }



export type TrackerPageKind = "issueList" | "issue" | "board";
/** A recognised tracker page: its kind, and the project and issue the URL names. */
export interface TrackerPage {
    tracker: TrackerName;
    kind: TrackerPageKind;
    /** Redmine project identifier, `owner/repo`, `group/project`, or Jira project key. */
    project: string | null;
    /** Redmine/GitHub/GitLab issue number, or Jira issue key (`KEY-123`). */
    issue: string | null;
}
/** A site file (docs/trackers.md), as an object or its JSON text; `tracker` may be left out. */
export type SiteInput = string | ({ tracker?: TrackerName } & Record<string, unknown>);
/** Thrown for a site file with errors. */
export interface SiteError extends Error {
    name: "SiteError";
    diagnostics: Diagnostic[];
}
/** A response that was set aside: not JSON, or none of the tracker's shapes. */
export interface RejectedResponse {
    /** Its position in the `responses` given. */
    input: number;
    code: "json-syntax" | "unexpected-shape" | string;
    message: string;
}
/** Tickets mapped from a tracker's REST responses under a site's configuration. */
export interface MappedIssues {
    tickets: TicketInput[];
    /** Issues that were found but cannot be read, each with its id when known. */
    errors: TicketErrorInfo[];
    rejected: RejectedResponse[];
}



/**
 * A checked SLA policy, ready to evaluate tickets. Call `free()` when done with it (or let the
 * finalizer do it).
 */
export class SlaEngine {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Deadlines on one of the policy's calendars for many starts at once: for each start
     * (epoch ms, floored to the second) the instant (epoch ms) at which `durationSeconds` of
     * business time are used. `durationSeconds` is one number for all, or one per start.
     * A start outside the calendar's years gives `NaN` in its slot.
     */
    deadlines(calendar: string, startsMs: Float64Array | number[], durationSeconds: number | Float64Array): Float64Array;
    /**
     * The built-in default (seed) policy.
     */
    static defaultPolicy(): SlaEngine;
    /**
     * Business seconds in `[start, end)` on one of the policy's calendars, for many pairs at
     * once (epoch ms, floored to the second). `0` when `end <= start`; `NaN` outside the
     * calendar's years.
     */
    elapsed(calendar: string, startsMs: Float64Array | number[], endsMs: Float64Array | number[]): Float64Array;
    /**
     * Evaluates a batch like `evaluate` and returns only what a table row needs (`BoardRows`:
     * numbers in a Float64Array, texts in a string table), the unreadable tickets apart, and
     * the batch's next change. Pass the JSON text when you have it: it is read without
     * `JSON.stringify`.
     */
    evaluateRows(tickets: TicketInput[] | string, nowMs: number): BoardRows;
    /**
     * `evaluateRows` over a `TicketSet`: the tickets were read once, when the set was made,
     * so a re-evaluation (a minute later, or under another policy) only evaluates.
     */
    evaluateSetRows(set: TicketSet, nowMs: number): BoardRows;
    /**
     * Evaluates a whole batch in one call. `tickets` is an array of ticket objects, or the JSON
     * text of one (an array or `{"tickets": [...]}`). One result per ticket, in order; a bad
     * ticket gives `{id, error}` and does not stop the others. With `{explain: true}` each
     * result also carries `explanation` (the trace and the tooltip sentences).
     */
    evaluate(tickets: TicketInput[] | string, nowMs: number, options?: EvaluateOptions): TicketResult[];
    /**
     * Explains one ticket: its evaluation, the trace of what counted, paused, fell outside
     * hours or on holidays, and the tooltip sentences. Throws a `TicketError` for a bad ticket.
     */
    explain(ticket: TicketInput, nowMs: number): Explanation;
    /**
     * Reads and checks a policy from its JSON **text** (so unknown fields are caught).
     * Throws a `PolicyError` whose `diagnostics` lists every problem.
     */
    constructor(policyText: string);
    /**
     * The next instant (epoch ms) at which any of these results changes state or escalation
     * level: re-evaluate then. Reads `nextChange` of each batch result, evaluation or
     * explanation. `nowMs` when a change is already due (the results are stale); `null` when
     * nothing will change without a new event.
     */
    nextChange(evaluations: HasNextChange[], nowMs: number): number | null;
    /**
     * Every cell of the report as CSV, one row each (`sla-lens report --format csv`).
     */
    reportCsv(tickets: TicketInput[] | string | string[] | Uint8Array, options: ReportOptions): string;
    /**
     * The report as Markdown tables for a review meeting (`sla-lens report --format markdown`).
     */
    reportMarkdown(tickets: TicketInput[] | string | string[] | Uint8Array, options: ReportOptions): string;
    /**
     * The review report over `tickets` (canonical tickets as JSON text or an array, or with
     * `options.tracker` the tracker's own REST responses): exactly the figures of
     * `sla-lens report --format json` for the same export, period and now.
     */
    report(tickets: TicketInput[] | string | string[] | Uint8Array, options: ReportOptions): Report;
    /**
     * The names of the policy's calendars, `24x7` first.
     */
    readonly calendars: string[];
    /**
     * The policy's id.
     */
    readonly id: string;
    /**
     * The policy's human name.
     */
    readonly name: string;
    /**
     * Warnings found while loading the policy (errors prevent loading).
     */
    readonly warnings: Diagnostic[];
}

/**
 * A batch of tickets read once and kept in Wasm memory: evaluate it again and again (every
 * minute, under any policy) with `engine.evaluateSetRows(set, nowMs)` without reading the
 * tickets' JSON each time. Made from the same input as `evaluate` (an array of ticket objects,
 * or the JSON text of one); a ticket that cannot be read stays an error for that ticket.
 * Call `free()` when the set is replaced.
 */
export class TicketSet {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Reads the tickets. Throws a `TicketError` only when the input holds no ticket list.
     */
    constructor(tickets: TicketInput[] | string);
    /**
     * How many tickets the batch held (the unreadable ones included).
     */
    readonly length: number;
    /**
     * How many of them could not be read (`evaluateSetRows` lists them in `errors`).
     */
    readonly unreadable: number;
}

/**
 * Which page `url` is on a `tracker` site (after removing the site's `basePath`), or `null`.
 * A pure function of the URL's path and query: the caller checks the origin.
 */
export function detectPage(tracker: TrackerName, url: string, site?: SiteInput | null): TrackerPage | null;

/**
 * The text of a built-in example policy: `default` (the seed SLA, 24x7) or `business-hours`
 * (Mon–Fri 09:00–17:00 Europe/Berlin with German holidays).
 */
export function examplePolicy(name: ExamplePolicy): string;

/**
 * For each href (a path or an absolute URL of the site), the issue it links to (`"42"`,
 * `"MKT-7"`), or `null` when it is not a link to an issue page. One call for a whole page.
 */
export function issueLinks(tracker: TrackerName, hrefs: string[], site?: SiteInput | null): (string | null)[];

/**
 * Maps a CSV issue export (text, or its bytes: UTF-8 with or without BOM, or ISO-8859-1) under
 * a column mapping over the format's defaults. Rows that cannot be mapped are in `errors` with
 * their row, line and column; the rest are in `tickets`. Throws a `MappingError` for a mapping
 * with errors, and a `TicketError` for a file that cannot be read at all (no header, no id or
 * created column).
 */
export function mapCsv(format: CsvFormatName, data: string | Uint8Array, mapping: CsvMappingInput | null | undefined): MappedCsv;

/**
 * Maps a tracker's own REST responses (Redmine, GitHub, GitLab, Jira; one JSON text or an array
 * of them) to canonical tickets with the default site mapping. Issues that cannot be mapped are
 * listed in `errors` with the reason; the rest are in `tickets`. Throws only for input that
 * holds no recognisable response at all.
 */
export function mapExport(tracker: TrackerName, _export: string | string[] | object): MappedExport;

/**
 * Maps a tracker's REST responses (JSON texts or parsed objects, as fetched) to tickets under
 * a site's configuration (its defaults when `site` is left out): exactly what
 * `sla-lens eval --tracker T --site S` reads. An issue that cannot be read is in `errors`; a
 * response that is not JSON or not one of the tracker's shapes is in `rejected` and the
 * others are still mapped together (so list pages, per-issue responses and status names
 * combine as in the CLI). Throws only for a bad tracker name or site file.
 */
export function mapResponses(tracker: TrackerName, responses: (string | object)[] | string | object, site?: SiteInput | null): MappedIssues;

/**
 * Checks a policy document without keeping it: every error and warning, each with a path.
 */
export function validatePolicy(text: string): ValidationResult;

/**
 * Checks a site file (docs/trackers.md) without keeping it: every problem, each with a path.
 */
export function validateSite(site: SiteInput): ValidationResult;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_slaengine_free: (a: number, b: number) => void;
    readonly __wbg_ticketset_free: (a: number, b: number) => void;
    readonly detectPage: (a: number, b: number, c: number, d: number, e: any) => [number, number, number];
    readonly examplePolicy: (a: number, b: number) => [number, number, number, number];
    readonly issueLinks: (a: number, b: number, c: any, d: any) => [number, number, number];
    readonly mapCsv: (a: number, b: number, c: any, d: any) => [number, number, number];
    readonly mapExport: (a: number, b: number, c: any) => [number, number, number];
    readonly mapResponses: (a: number, b: number, c: any, d: any) => [number, number, number];
    readonly slaengine_calendars: (a: number) => [number, number];
    readonly slaengine_deadlines: (a: number, b: number, c: number, d: number, e: number, f: any) => [number, number, number, number];
    readonly slaengine_defaultPolicy: () => [number, number, number];
    readonly slaengine_elapsed: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number, number];
    readonly slaengine_evaluate: (a: number, b: any, c: number, d: number) => [number, number, number];
    readonly slaengine_evaluateRows: (a: number, b: any, c: number) => [number, number, number];
    readonly slaengine_evaluateSetRows: (a: number, b: number, c: number) => [number, number, number];
    readonly slaengine_explain: (a: number, b: any, c: number) => [number, number, number];
    readonly slaengine_id: (a: number) => [number, number];
    readonly slaengine_name: (a: number) => [number, number];
    readonly slaengine_new: (a: number, b: number) => [number, number, number];
    readonly slaengine_nextChange: (a: number, b: any, c: number) => [number, number, number];
    readonly slaengine_report: (a: number, b: any, c: any) => [number, number, number];
    readonly slaengine_reportCsv: (a: number, b: any, c: any) => [number, number, number, number];
    readonly slaengine_reportMarkdown: (a: number, b: any, c: any) => [number, number, number, number];
    readonly slaengine_warnings: (a: number) => [number, number, number];
    readonly ticketset_length: (a: number) => number;
    readonly ticketset_new: (a: any) => [number, number, number];
    readonly ticketset_unreadable: (a: number) => number;
    readonly validatePolicy: (a: number, b: number) => [number, number, number];
    readonly validateSite: (a: any) => [number, number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
