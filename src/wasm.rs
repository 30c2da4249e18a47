//! The JavaScript binding (wasm32 only): a facade over the core, and the only code that touches
//! wasm-bindgen, js-sys and serde-wasm-bindgen.
//!
//! Every method is *JS value in → core → JS value out*: what is logic rather than conversion
//! (board rows, the report's input choice, mapped-export projections) is in `crate::api`, where
//! it is plain Rust with unit tests. Conventions on the JS side:
//! - property names are camelCase, maps are plain objects, `None` is `null`: values cross as JSON
//!   text (one `JSON.stringify`/`JSON.parse` per call, see `to_js` and `from_js`);
//! - instants **going in** are epoch milliseconds (`nowMs`, typed arrays) or, inside tickets,
//!   RFC 3339 text or epoch milliseconds; instants **coming out** of `evaluate`/`explain` are
//!   RFC 3339 UTC strings (exactly what the CLI prints), while `nextChange` and the calendar batch
//!   API return epoch milliseconds, ready for `setTimeout` and `new Date(ms)`;
//! - errors are thrown as `Error` objects: a policy error carries `diagnostics` (every problem
//!   found), a ticket error carries `code`, `path` and `ticketId`. Nothing here panics on input.
//!
//! The TypeScript declarations are hand-written below ([`TYPESCRIPT`] and the sections beside
//! their bindings), except those generated from the Rust types by `derive(tsify::Tsify)`
//! (`BoardRows`, `BoardRowField` in `crate::api`); all are checked with `tsc --noEmit` by
//! `make test-js` (`tests/js/types-usage.ts`).

use crate::calendar::Calendar;
use crate::ticket::{parse_instant, Stamp};
use crate::util::diagnostic::Diagnostic;
use crate::{explain as core_explain, Policy, Ticket, TicketError, DEFAULT_POLICY_JSON};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = r#"
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
  /** What the input lacks (a list or CSV export): states they would decide are `unknown`. */
  unknown?: ("replies" | "statusHistory")[];
  /** When the tracker last saved the issue. */
  updated?: Stamp;
  /** The escalations recorded on the issue (`sla-lens:escalated` markers in the sla-lens agent's
   * notes); entries that are not escalations are left out. */
  escalations?: EscalationInput[];
}
/** One recorded escalation: the marker's `cycle`, `level` (as `stage`: `"1"`, `"at-risk-response"`)
 * and `action`, its `at` (else the note's time), and the note holding it. */
export interface EscalationInput {
  cycle: number;
  stage: string;
  action?: string;
  at?: Stamp;
  noteId?: string;
  /** Redmine: the note's number on the issue page (`#note-3`). */
  noteNumber?: number;
  url?: string;
}

export type State =
  | "running" | "paused" | "atRisk" | "breached" | "met" | "metLate" | "notApplicable"
  | "unknown";
/** What a snapshot's input lacks, for a metric whose state is `unknown`. */
export type Missing = "replies" | "statusHistory" | "resolvedAt";
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
  /** With state `unknown`: the fact the input lacks. */
  missing?: Missing;
}
export interface Contact {
  name: string;
  email?: string;
  handle?: string;
  redmine?: string;
  github?: string;
  gitlab?: string;
  jira?: string;
}
/** `at` is null only for a next level whose instant is not known yet (its clock is paused). */
export interface LevelEval { level: number; role: string; contacts: Contact[]; at: IsoInstant | null }
export interface EscalationEval {
  current: LevelEval | null;
  next: LevelEval | null;
  maxLevel: number;
  /** The badge's state is `unknown`, so is the level (no `current` or `next`). */
  unknown?: boolean;
  /** The levels escalated in the current cycle, as the issue records them (absent: none). */
  done?: EscalationDone[];
}
/** A level escalated in the current cycle: `note` is `#3` (Redmine's note number) or the note's id. */
export interface EscalationDone {
  level: number;
  role: string;
  contacts: Contact[];
  at: IsoInstant | null;
  note: string | null;
  url: string | null;
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
"#;

// ---------------------------------------------------------------------------------------------
// The error adapter
// ---------------------------------------------------------------------------------------------

/// An `Error` with a name and extra properties (diagnostics, codes).
fn js_error(name: &str, message: &str, props: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    for (k, v) in props {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(k), v);
    }
    err.into()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    // JSON text and one `JSON.parse` beat building the objects property by property through
    // the boundary (docs/benchmarks-log.md, "Boundary cost"), and give exactly the CLI's JSON:
    // plain objects, `null` for `None`, numbers for integers.
    let text = serde_json::to_string(value).map_err(|e| {
        JsValue::from(JsError::new(&format!(
            "cannot convert the result to JS: {e}"
        )))
    })?;
    js_sys::JSON::parse(&text)
}

/// Small, cold values (diagnostics) go through serde-wasm-bindgen, configured once to give plain
/// JSON-compatible objects (maps as objects, `None` as `null`); hot batches use `to_js`.
fn to_js_object<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            JsValue::from(JsError::new(&format!(
                "cannot convert the result to JS: {e}"
            )))
        })
}

fn policy_error(diags: &[Diagnostic]) -> JsValue {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let first = diags
        .iter()
        .find(|d| d.is_error())
        .map(|d| format!(": {d}"))
        .unwrap_or_default();
    let more = if errors > 1 {
        format!(" (and {} more; see `diagnostics`)", errors - 1)
    } else {
        String::new()
    };
    let list = to_js_object(diags).unwrap_or_else(|_| js_sys::Array::new().into());
    js_error(
        "PolicyError",
        &format!("the policy has {errors} error(s){first}{more}"),
        &[("diagnostics", list)],
    )
}

fn ticket_error(e: &TicketError) -> JsValue {
    let id = e.id.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    js_error(
        "TicketError",
        &e.to_string(),
        &[
            ("code", JsValue::from_str(e.code)),
            ("path", JsValue::from_str(&e.path)),
            ("ticketId", id),
        ],
    )
}

/// `nowMs` → Unix seconds (floored, like ticket stamps).
fn now_seconds(now_ms: f64) -> Result<i64, JsValue> {
    parse_instant(&Stamp::Millis(now_ms)).map_err(|m| {
        JsError::new(&format!(
            "nowMs: {m}; pass `Date.now()` or `date.getTime()`"
        ))
        .into()
    })
}

// ---------------------------------------------------------------------------------------------
// Results, shaped exactly as the CLI prints them
// ---------------------------------------------------------------------------------------------

// The envelope is `crate::api::ResultView`, shared with `sla-lens eval`.

// ---------------------------------------------------------------------------------------------
// Free functions
// ---------------------------------------------------------------------------------------------

/// Checks a policy document without keeping it: every error and warning, each with a path.
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "ValidationResult")]
pub fn validate_policy(text: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Out {
        ok: bool,
        diagnostics: Vec<Diagnostic>,
    }
    let diagnostics = Policy::validate(text);
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    to_js_object(&Out { ok, diagnostics })
}

/// The text of a built-in example policy: `default` (the seed SLA, 24x7) or `business-hours`
/// (Mon–Fri 09:00–17:00 Europe/Berlin with German holidays).
#[wasm_bindgen(js_name = examplePolicy)]
pub fn example_policy(
    #[wasm_bindgen(unchecked_param_type = "ExamplePolicy")] name: &str,
) -> Result<String, JsError> {
    crate::api::example_policy(name)
        .map(str::to_string)
        .ok_or_else(|| {
            JsError::new(&format!(
                "no example policy is named `{name}`: use `default` or `business-hours`"
            ))
        })
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/// A checked SLA policy, ready to evaluate tickets. Call `free()` when done with it (or let the
/// finalizer do it).
#[wasm_bindgen]
pub struct SlaEngine {
    policy: Policy,
}

#[wasm_bindgen]
impl SlaEngine {
    /// Reads and checks a policy from its JSON **text** (so unknown fields are caught).
    /// Throws a `PolicyError` whose `diagnostics` lists every problem.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = policyText)] policy_text: &str,
    ) -> Result<SlaEngine, JsValue> {
        Policy::from_json(policy_text)
            .map(|policy| SlaEngine { policy })
            .map_err(|d| policy_error(&d.0))
    }

    /// The built-in default (seed) policy.
    #[wasm_bindgen(js_name = defaultPolicy)]
    pub fn default_policy() -> Result<SlaEngine, JsValue> {
        SlaEngine::new(DEFAULT_POLICY_JSON)
    }

    /// The policy's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.policy.spec.id.clone()
    }

    /// The policy's human name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.policy.spec.name.clone()
    }

    /// Warnings found while loading the policy (errors prevent loading).
    #[wasm_bindgen(getter, unchecked_return_type = "Diagnostic[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        to_js(&self.policy.warnings)
    }

    /// The names of the policy's calendars, `24x7` first.
    #[wasm_bindgen(getter)]
    pub fn calendars(&self) -> Vec<String> {
        self.policy
            .calendars
            .iter()
            .map(|c| c.name().to_string())
            .collect()
    }

    /// Evaluates a whole batch in one call. `tickets` is an array of ticket objects, or the JSON
    /// text of one (an array or `{"tickets": [...]}`). One result per ticket, in order; a bad
    /// ticket gives `{id, error}` and does not stop the others. With `{explain: true}` each
    /// result also carries `explanation` (the trace and the tooltip sentences).
    #[wasm_bindgen(unchecked_return_type = "TicketResult[]")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketInput[] | string")] tickets: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<
            js_sys::Object,
        >,
    ) -> Result<JsValue, JsValue> {
        let now = now_seconds(now_ms)?;
        let explain = match options {
            Some(o) => js_sys::Reflect::get(&o, &JsValue::from_str("explain"))
                .map(|v| v.is_truthy())
                .unwrap_or(false),
            None => false,
        };
        let batch = read_batch(tickets)?;
        let out = js_sys::Array::new_with_length(batch.len() as u32);
        for (i, t) in batch.iter().enumerate() {
            let v = crate::api::with_result(&self.policy, t.as_ref(), now, explain, |r| to_js(r))?;
            out.set(i as u32, v);
        }
        Ok(out.into())
    }

    /// Explains one ticket: its evaluation, the trace of what counted, paused, fell outside
    /// hours or on holidays, and the tooltip sentences. Throws a `TicketError` for a bad ticket.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketInput")] ticket: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let now = now_seconds(now_ms)?;
        let value = from_js(&ticket)?;
        let ticket = Ticket::from_value(&value).map_err(|e| ticket_error(&e))?;
        let x = core_explain(&self.policy, &ticket, now).map_err(|e| ticket_error(&e))?;
        to_js(&x)
    }

    /// The next instant (epoch ms) at which any of these results changes state or escalation
    /// level: re-evaluate then. Reads `nextChange` of each batch result, evaluation or
    /// explanation. `nowMs` when a change is already due (the results are stale); `null` when
    /// nothing will change without a new event.
    #[wasm_bindgen(js_name = nextChange, unchecked_return_type = "number | null")]
    pub fn next_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HasNextChange[]")] evaluations: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let now = now_seconds(now_ms)?;
        let Some(items) = evaluations.dyn_ref::<js_sys::Array>() else {
            return Err(JsError::new(
                "nextChange expects the array `evaluate` returned (or evaluations)",
            )
            .into());
        };
        let key_eval = JsValue::from_str("evaluation");
        let key_next = JsValue::from_str("nextChange");
        let mut next: Option<i64> = None;
        for (i, item) in items.iter().enumerate() {
            if !item.is_object() {
                continue;
            }
            let inner = js_sys::Reflect::get(&item, &key_eval).unwrap_or(JsValue::UNDEFINED);
            let ev = if inner.is_object() { inner } else { item };
            let Some(text) = js_sys::Reflect::get(&ev, &key_next)
                .ok()
                .and_then(|v| v.as_string())
            else {
                continue;
            };
            let t = parse_instant(&Stamp::Text(text))
                .map_err(|m| JsError::new(&format!("nextChange of item {i}: {m}")))?;
            next = Some(next.map_or(t, |n| n.min(t)));
        }
        Ok(next.map_or(JsValue::NULL, |t| {
            JsValue::from_f64(t.max(now) as f64 * 1000.0)
        }))
    }

    /// Deadlines on one of the policy's calendars for many starts at once: for each start
    /// (epoch ms, floored to the second) the instant (epoch ms) at which `durationSeconds` of
    /// business time are used. `durationSeconds` is one number for all, or one per start.
    /// A start outside the calendar's years gives `NaN` in its slot.
    pub fn deadlines(
        &self,
        calendar: &str,
        #[wasm_bindgen(js_name = startsMs)] starts_ms: &[f64],
        #[wasm_bindgen(js_name = durationSeconds, unchecked_param_type = "number | Float64Array")]
        duration_seconds: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let cal = self.calendar(calendar)?;
        let per_item = durations(&duration_seconds, starts_ms.len())?;
        let mut out = Vec::with_capacity(starts_ms.len());
        for (i, &s) in starts_ms.iter().enumerate() {
            let d = match &per_item {
                Durations::One(d) => *d,
                Durations::Each(v) => v[i],
            };
            out.push(match (ms_to_seconds(s), seconds(d)) {
                (Some(s), Some(d)) => cal.add(s, d).map_or(f64::NAN, |t| t as f64 * 1000.0),
                _ => f64::NAN,
            });
        }
        Ok(out)
    }

    /// Business seconds in `[start, end)` on one of the policy's calendars, for many pairs at
    /// once (epoch ms, floored to the second). `0` when `end <= start`; `NaN` outside the
    /// calendar's years.
    pub fn elapsed(
        &self,
        calendar: &str,
        #[wasm_bindgen(js_name = startsMs)] starts_ms: &[f64],
        #[wasm_bindgen(js_name = endsMs)] ends_ms: &[f64],
    ) -> Result<Vec<f64>, JsError> {
        let cal = self.calendar(calendar)?;
        if starts_ms.len() != ends_ms.len() {
            return Err(JsError::new(&format!(
                "startsMs has {} items and endsMs {}: give one end per start",
                starts_ms.len(),
                ends_ms.len()
            )));
        }
        Ok(starts_ms
            .iter()
            .zip(ends_ms)
            .map(|(&a, &b)| match (ms_to_seconds(a), ms_to_seconds(b)) {
                (Some(a), Some(b)) => cal.elapsed(a, b).map_or(f64::NAN, |s| s as f64),
                _ => f64::NAN,
            })
            .collect())
    }
}

impl SlaEngine {
    fn calendar(&self, name: &str) -> Result<&Calendar, JsError> {
        self.policy.calendar_by_name(name).ok_or_else(|| {
            let known: Vec<String> = self
                .policy
                .calendars
                .iter()
                .map(|c| format!("`{}`", c.name()))
                .collect();
            JsError::new(&format!(
                "the policy has no calendar named `{name}`: use one of {}",
                known.join(", ")
            ))
        })
    }
}

enum Durations {
    One(f64),
    Each(Vec<f64>),
}

fn durations(v: &JsValue, n: usize) -> Result<Durations, JsError> {
    if let Some(d) = v.as_f64() {
        return Ok(Durations::One(d));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        let each = a.to_vec();
        if each.len() != n {
            return Err(JsError::new(&format!(
                "durationSeconds has {} items for {n} starts: give one per start, or one number",
                each.len()
            )));
        }
        return Ok(Durations::Each(each));
    }
    Err(JsError::new(
        "durationSeconds must be a number of seconds or a Float64Array with one per start",
    ))
}

/// Epoch ms → Unix seconds (floored); `None` for NaN or absurd values.
fn ms_to_seconds(ms: f64) -> Option<i64> {
    (ms.is_finite() && ms.abs() < 1e16).then(|| (ms / 1000.0).floor() as i64)
}

fn seconds(d: f64) -> Option<i64> {
    (0.0..1e15).contains(&d).then_some(d.floor() as i64)
}

/// JS data → JSON text: `JSON.stringify` (so `Date` objects become RFC 3339 text).
fn json_text(v: &JsValue, what: &str) -> Result<String, JsValue> {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            JsError::new(&format!(
                "{what} must be plain JSON data (objects, arrays, strings, numbers): it could not \
                 be converted with JSON.stringify"
            ))
            .into()
        })
}

fn from_js(v: &JsValue) -> Result<Value, JsValue> {
    let text = json_text(v, "the ticket")?;
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("the ticket: {e}")).into())
}

/// Tickets from an array of objects or from JSON text, one result each; the batch is read by
/// `Ticket::parse_batch`, so error paths are the CLI's (`[3].created`).
fn read_batch(tickets: JsValue) -> Result<Vec<Result<Ticket, TicketError>>, JsValue> {
    let text = match tickets.as_string() {
        Some(text) => text,
        None if js_sys::Array::is_array(&tickets) => json_text(&tickets, "the tickets")?,
        None => {
            return Err(JsError::new(
                "tickets must be an array of ticket objects or the JSON text of one",
            )
            .into())
        }
    };
    Ticket::parse_batch(&text).map_err(|e| ticket_error(&e))
}

// The tracker, export, CSV and report bindings: in the full module (feature `full`, what the
// dashboards, tracker pages, the extension and the Redmine plugin load); a page that only
// evaluates canonical tickets can load the engine module, built without them (`www/pkg-engine`).
#[cfg(feature = "full")]
mod full {
    use super::*;

    // =============================================================================================
    // Report: the review report and raw tracker exports for the dashboards (`www/board/`)
    // =============================================================================================

    #[wasm_bindgen(typescript_custom_section)]
    const TYPESCRIPT_REPORT: &'static str = r#"
export type TrackerName = "redmine" | "github" | "gitlab" | "jira" | "rt";
/** Tickets mapped from a tracker's own REST responses: the readable ones and why others are not. */
export interface MappedExport {
  tickets: TicketInput[];
  /** One per issue that could not be mapped, with its position among the issues. */
  errors: (TicketErrorInfo & { index: number })[];
  /** What the export lacks (a list without journals, timelines or comments), as `mapCsv`'s
   *  `unknown` says it: `response` (the replies), `pauses` (the status history). */
  unknown: { what: "response" | "pauses"; reason: string }[];
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
  inScope: number; met: number; metLate: number; breached: number; open: number; unknown: number; untargeted: number;
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
"#;

    /// Raw texts for the adapters: one JSON text, or an array of them (one per REST response).
    fn export_texts(v: &JsValue) -> Result<Vec<String>, JsValue> {
        if let Some(s) = v.as_string() {
            return Ok(vec![s]);
        }
        if let Some(a) = v.dyn_ref::<js_sys::Array>() {
            return a
                .iter()
                .map(|x| match x.as_string() {
                    Some(s) => Ok(s),
                    None => json_text(&x, "each response"),
                })
                .collect();
        }
        if v.is_object() {
            return Ok(vec![json_text(v, "the response")?]);
        }
        Err(JsError::new("a tracker export must be JSON text or an array of JSON texts").into())
    }

    fn tracker_kind(name: &str) -> Result<crate::adapters::TrackerKind, JsValue> {
        name.parse::<crate::adapters::TrackerKind>()
            .map_err(|e| JsError::new(&e).into())
    }

    /// Maps a tracker's own REST responses (Redmine, GitHub, GitLab, Jira; one JSON text or an array
    /// of them) to canonical tickets with the default site mapping. Issues that cannot be mapped are
    /// listed in `errors` with the reason; the rest are in `tickets`. Throws only for input that
    /// holds no recognisable response at all.
    #[wasm_bindgen(js_name = mapExport, unchecked_return_type = "MappedExport")]
    pub fn map_export(
        #[wasm_bindgen(unchecked_param_type = "TrackerName")] tracker: &str,
        #[wasm_bindgen(unchecked_param_type = "string | string[] | object")] export: JsValue,
    ) -> Result<JsValue, JsValue> {
        let all = crate::api::map_default(tracker_kind(tracker)?, &export_texts(&export)?)
            .map_err(|e| ticket_error(&e))?;
        to_js(&crate::api::MappedExport::new(&all))
    }

    /// A period end from JS: a date (`to` inclusive), RFC 3339 text or epoch ms.
    fn report_end(policy: &Policy, v: &JsValue, what: &str) -> Result<Option<i64>, JsValue> {
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        if let Some(n) = v.as_f64() {
            return ms_to_seconds(n)
                .map(Some)
                .ok_or_else(|| JsError::new(&format!("{what}: not a valid instant")).into());
        }
        let Some(text) = v.as_string() else {
            return Err(JsError::new(&format!(
                "{what}: give a date `YYYY-MM-DD`, RFC 3339 text or epoch milliseconds"
            ))
            .into());
        };
        let end = if what == "to" {
            crate::api::End::To
        } else {
            crate::api::End::From
        };
        crate::api::period_end(policy, &text, end)
            .map(Some)
            .map_err(|e| JsError::new(&format!("{what}: {e}")).into())
    }

    /// The text of a JS string, or of the UTF-8 bytes of a fetched body (a `Uint8Array`, as
    /// `new Uint8Array(await response.arrayBuffer())` gives it); `None` for anything else.
    ///
    /// Bytes are the cheaper way in for a big export: copied as they are, where a string is
    /// re-encoded to UTF-8 (`TextEncoder.encodeInto`, ~7× the copy's time for 64 MB) into a buffer
    /// three times its length.
    fn text_of(v: &JsValue) -> Result<Option<String>, JsValue> {
        match v.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => utf8_text(bytes).map(Some),
            None => Ok(v.as_string()),
        }
    }

    /// Bytes as text, copied and checked 64 KB at a time: the check over a whole export in one
    /// call would run in V8's baseline tier from start to end (a Wasm function is replaced by its
    /// optimised code only between calls).
    fn utf8_text(bytes: &js_sys::Uint8Array) -> Result<String, JsValue> {
        const PIECE: u32 = 1 << 16;
        let not_utf8 = || {
            JsValue::from(JsError::new(
            "the tickets' bytes are not UTF-8 text: give the export as it was saved, or as text",
        ))
        };
        let len = bytes.length();
        let mut text = String::with_capacity(len as usize);
        // A character cut at a piece's end is carried over to the front of the next piece.
        let mut buf = vec![0u8; PIECE as usize + 4];
        let mut carry = 0;
        let mut at = 0;
        while at < len {
            let end = at.saturating_add(PIECE).min(len);
            let filled = carry + (end - at) as usize;
            bytes.subarray(at, end).copy_to(&mut buf[carry..filled]);
            match std::str::from_utf8(&buf[..filled]) {
                Ok(s) => {
                    text.push_str(s);
                    carry = 0;
                }
                Err(e) if e.error_len().is_none() && end < len => {
                    let ok = e.valid_up_to();
                    text.push_str(std::str::from_utf8(&buf[..ok]).map_err(|_| not_utf8())?);
                    buf.copy_within(ok..filled, 0);
                    carry = filled - ok;
                }
                Err(_) => return Err(not_utf8()),
            }
            at = end;
        }
        Ok(text)
    }

    fn get(o: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    #[wasm_bindgen]
    impl SlaEngine {
        /// The review report over `tickets` (canonical tickets as JSON text or an array, or with
        /// `options.tracker` the tracker's own REST responses): exactly the figures of
        /// `sla-lens report --format json` for the same export, period and now.
        #[wasm_bindgen(unchecked_return_type = "Report")]
        pub fn report(
            &self,
            #[wasm_bindgen(
                unchecked_param_type = "TicketInput[] | string | string[] | Uint8Array"
            )]
            tickets: JsValue,
            #[wasm_bindgen(unchecked_param_type = "ReportOptions")] options: JsValue,
        ) -> Result<JsValue, JsValue> {
            let r = self.make_report(tickets, &options)?;
            to_js(&r)
        }

        /// The report as Markdown tables for a review meeting (`sla-lens report --format markdown`).
        #[wasm_bindgen(js_name = reportMarkdown)]
        pub fn report_markdown(
            &self,
            #[wasm_bindgen(
                unchecked_param_type = "TicketInput[] | string | string[] | Uint8Array"
            )]
            tickets: JsValue,
            #[wasm_bindgen(unchecked_param_type = "ReportOptions")] options: JsValue,
        ) -> Result<String, JsValue> {
            Ok(self.make_report(tickets, &options)?.markdown())
        }

        /// Every cell of the report as CSV, one row each (`sla-lens report --format csv`).
        #[wasm_bindgen(js_name = reportCsv)]
        pub fn report_csv(
            &self,
            #[wasm_bindgen(
                unchecked_param_type = "TicketInput[] | string | string[] | Uint8Array"
            )]
            tickets: JsValue,
            #[wasm_bindgen(unchecked_param_type = "ReportOptions")] options: JsValue,
        ) -> Result<String, JsValue> {
            Ok(self.make_report(tickets, &options)?.cells_csv())
        }
    }

    impl SlaEngine {
        fn make_report(
            &self,
            tickets: JsValue,
            options: &JsValue,
        ) -> Result<crate::report::Report, JsValue> {
            if !options.is_object() {
                return Err(JsError::new("report options must be an object with `nowMs`").into());
            }
            let now = now_seconds(get(options, "nowMs").as_f64().unwrap_or(f64::NAN))?;
            let from = report_end(&self.policy, &get(options, "from"), "from")?;
            let to = report_end(&self.policy, &get(options, "to"), "to")?;
            let tracker = get(options, "tracker").as_string();
            let text = text_of(&tickets)?;
            use crate::api::{ReportFailure, ReportInput};
            let input = match (tracker.as_deref(), &text) {
                (None | Some(""), Some(text)) => ReportInput::Text(text),
                (None | Some(""), None) => ReportInput::Read(read_batch(tickets)?),
                (Some(name), Some(text)) => {
                    ReportInput::Tracker(tracker_kind(name)?, vec![text.clone()])
                }
                (Some(name), None) => {
                    ReportInput::Tracker(tracker_kind(name)?, export_texts(&tickets)?)
                }
            };
            crate::api::report(&self.policy, input, from, to, now).map_err(|e| match e {
                ReportFailure::Tickets(e) => ticket_error(&e),
                ReportFailure::Report(e) => js_error(
                    "ReportError",
                    &e.message,
                    &[("code", JsValue::from_str(e.code))],
                ),
            })
        }
    }

    // =============================================================================================
    // Tracker pages: site-aware mapping of REST responses, page and link detection (`www/trackers/`)
    // =============================================================================================
    //
    // The page integration (`www/trackers/annotate.js`) and the extension fetch a tracker's own REST
    // responses and hand them over as they came. A response that is not JSON or not one of the
    // tracker's shapes (an HTML error page, `{"errors": [...]}`) is set aside with the reason instead
    // of failing the others, so one bad answer costs only the issues it was meant to carry.

    #[wasm_bindgen(typescript_custom_section)]
    const TYPESCRIPT_TRACKERS: &'static str = r#"
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
  code: "json-syntax" | "json-too-deep" | "unexpected-shape" | string;
  message: string;
}
/** Tickets mapped from a tracker's REST responses under a site's configuration. */
export interface MappedIssues {
  tickets: TicketInput[];
  /** Issues that were found but cannot be read, each with its id when known. */
  errors: TicketErrorInfo[];
  rejected: RejectedResponse[];
}
"#;

    /// A site file for `kind`: the tracker's defaults when `site` is null or undefined; otherwise
    /// its JSON text or an object (which may leave `tracker` out). Throws a `SiteError`.
    fn site_config(
        kind: crate::adapters::TrackerKind,
        site: &JsValue,
    ) -> Result<crate::adapters::SiteConfig, JsValue> {
        use crate::adapters::SiteConfig;
        if site.is_null() || site.is_undefined() {
            return Ok(SiteConfig::default_for(kind));
        }
        let text = match site.as_string() {
            Some(t) => t,
            None => json_text(site, "the site")?,
        };
        // An object without `tracker` takes the one the call names.
        let text = crate::api::site_text_for(kind, text);
        let cfg = SiteConfig::from_json(&text).map_err(|d| site_error(&d.0))?;
        if cfg.tracker != kind {
            return Err(JsError::new(&format!(
                "the site file is for {} but the call names {kind}: drop one",
                cfg.tracker
            ))
            .into());
        }
        Ok(cfg)
    }

    fn site_error(diags: &[Diagnostic]) -> JsValue {
        let first = diags
            .iter()
            .find(|d| d.is_error())
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let list = to_js_object(diags).unwrap_or_else(|_| js_sys::Array::new().into());
        js_error(
            "SiteError",
            &format!("the site file has {} error(s){first}", diags.len()),
            &[("diagnostics", list)],
        )
    }

    /// Checks a site file (docs/trackers.md) without keeping it: every problem, each with a path.
    #[wasm_bindgen(js_name = validateSite, unchecked_return_type = "ValidationResult")]
    pub fn validate_site(
        #[wasm_bindgen(unchecked_param_type = "SiteInput")] site: JsValue,
    ) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Out {
            ok: bool,
            diagnostics: Vec<Diagnostic>,
        }
        let text = match site.as_string() {
            Some(t) => t,
            None => json_text(&site, "the site")?,
        };
        let diagnostics = match crate::adapters::SiteConfig::from_json(&text) {
            Ok(_) => Vec::new(),
            Err(d) => d.0,
        };
        let ok = !diagnostics.iter().any(Diagnostic::is_error);
        to_js_object(&Out { ok, diagnostics })
    }

    /// Which page `url` is on a `tracker` site (after removing the site's `basePath`), or `null`.
    /// A pure function of the URL's path and query: the caller checks the origin.
    #[wasm_bindgen(js_name = detectPage, unchecked_return_type = "TrackerPage | null")]
    pub fn detect_page(
        #[wasm_bindgen(unchecked_param_type = "TrackerName")] tracker: &str,
        url: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "SiteInput | null")] site: JsValue,
    ) -> Result<JsValue, JsValue> {
        let site = site_config(tracker_kind(tracker)?, &site)?;
        match crate::adapters::detect_page_for_site(&site, url) {
            Some(p) => to_js(&p),
            None => Ok(JsValue::NULL),
        }
    }

    /// For each href (a path or an absolute URL of the site), the issue it links to (`"42"`,
    /// `"MKT-7"`), or `null` when it is not a link to an issue page. One call for a whole page.
    #[wasm_bindgen(js_name = issueLinks, unchecked_return_type = "(string | null)[]")]
    pub fn issue_links(
        #[wasm_bindgen(unchecked_param_type = "TrackerName")] tracker: &str,
        #[wasm_bindgen(unchecked_param_type = "string[]")] hrefs: js_sys::Array,
        #[wasm_bindgen(unchecked_optional_param_type = "SiteInput | null")] site: JsValue,
    ) -> Result<js_sys::Array, JsValue> {
        use crate::adapters::PageKind;
        let site = site_config(tracker_kind(tracker)?, &site)?;
        let out = js_sys::Array::new_with_length(hrefs.length());
        for (i, h) in hrefs.iter().enumerate() {
            let issue = h
                .as_string()
                .and_then(|h| crate::adapters::detect_page_for_site(&site, &h))
                .filter(|p| p.kind == PageKind::Issue)
                .and_then(|p| p.issue);
            out.set(
                i as u32,
                issue.map_or(JsValue::NULL, |s| JsValue::from_str(&s)),
            );
        }
        Ok(out)
    }

    /// Maps a tracker's REST responses (JSON texts or parsed objects, as fetched) to tickets under
    /// a site's configuration (its defaults when `site` is left out): exactly what
    /// `sla-lens eval --tracker T --site S` reads. An issue that cannot be read is in `errors`; a
    /// response that is not JSON or not one of the tracker's shapes is in `rejected` and the
    /// others are still mapped together (so list pages, per-issue responses and status names
    /// combine as in the CLI). Throws only for a bad tracker name or site file.
    #[wasm_bindgen(js_name = mapResponses, unchecked_return_type = "MappedIssues")]
    pub fn map_responses(
        #[wasm_bindgen(unchecked_param_type = "TrackerName")] tracker: &str,
        #[wasm_bindgen(unchecked_param_type = "(string | object)[] | string | object")]
        responses: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SiteInput | null")] site: JsValue,
    ) -> Result<JsValue, JsValue> {
        let kind = tracker_kind(tracker)?;
        let site = site_config(kind, &site)?;
        let texts = export_texts(&responses)?;
        let (results, rejected) = crate::api::map_tolerant(kind, &texts, &site);
        to_js(&crate::api::MappedIssues::new(&results, &rejected))
    }
}

// =============================================================================================
// Board rows: the compact batch path of `<sla-board>` (`www/board/`; the projection is
// `crate::api::board_rows`)
// =============================================================================================

// `BoardRows` and `BoardRowField`: declared from the Rust types (`derive(tsify::Tsify)` in
// `src/api/rows.rs`).

/// A batch of tickets read once and kept in Wasm memory: evaluate it again and again (every
/// minute, under any policy) with `engine.evaluateSetRows(set, nowMs)` without reading the
/// tickets' JSON each time. Made from the same input as `evaluate` (an array of ticket objects,
/// or the JSON text of one); a ticket that cannot be read stays an error for that ticket.
/// Call `free()` when the set is replaced.
#[wasm_bindgen]
pub struct TicketSet {
    tickets: Vec<Result<Ticket, TicketError>>,
    /// Each ticket's id, title and URL as JS strings (`api::kept_texts`, 3 per ticket), made
    /// with the set (they belong to the tickets, not to an evaluation): evaluations send only
    /// the texts that change.
    texts: js_sys::Array,
}

#[wasm_bindgen]
impl TicketSet {
    /// Reads the tickets. Throws a `TicketError` only when the input holds no ticket list.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TicketInput[] | string")] tickets: JsValue,
    ) -> Result<TicketSet, JsValue> {
        let tickets = read_batch(tickets)?;
        let texts = js_sys::Array::new_with_length(3 * tickets.len() as u32);
        for (i, t) in tickets.iter().enumerate() {
            if let Ok(t) = t {
                for (k, s) in crate::api::kept_texts(t).into_iter().enumerate() {
                    texts.set(3 * i as u32 + k as u32, JsValue::from_str(s));
                }
            }
        }
        Ok(TicketSet { tickets, texts })
    }

    /// How many tickets the batch held (the unreadable ones included).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.tickets.len()
    }

    /// How many of them could not be read (`evaluateSetRows` lists them in `errors`).
    #[wasm_bindgen(getter)]
    pub fn unreadable(&self) -> usize {
        self.tickets.iter().filter(|t| t.is_err()).count()
    }
}

#[wasm_bindgen]
impl SlaEngine {
    /// Evaluates a batch like `evaluate` and returns only what a table row needs (`BoardRows`:
    /// numbers in a Float64Array, texts in a string table), the unreadable tickets apart, and
    /// the batch's next change. Pass the JSON text when you have it: it is read without
    /// `JSON.stringify`.
    #[wasm_bindgen(js_name = evaluateRows, unchecked_return_type = "BoardRows")]
    pub fn evaluate_rows(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TicketInput[] | string")] tickets: JsValue,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let now = now_seconds(now_ms)?;
        let batch = read_batch(tickets)?;
        rows_to_js(
            &crate::api::board_rows(&self.policy, &batch, now, crate::api::Texts::Pushed),
            None,
        )
    }

    /// `evaluateRows` over a `TicketSet`: the tickets were read once, when the set was made,
    /// so a re-evaluation (a minute later, or under another policy) only evaluates.
    #[wasm_bindgen(js_name = evaluateSetRows, unchecked_return_type = "BoardRows")]
    pub fn evaluate_set_rows(
        &self,
        set: &TicketSet,
        #[wasm_bindgen(js_name = nowMs)] now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let now = now_seconds(now_ms)?;
        let rows = crate::api::board_rows(&self.policy, &set.tickets, now, crate::api::Texts::Kept);
        rows_to_js(&rows, Some(&set.texts))
    }
}

/// `BoardRows` as JS: `numbers` a Float64Array, `strings` after the `kept` texts if any.
fn rows_to_js(
    rows: &crate::api::BoardRows<'_>,
    kept: Option<&js_sys::Array>,
) -> Result<JsValue, JsValue> {
    let out = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), v);
    set("fields", &to_js(&rows.fields)?)?;
    set("stringFields", &to_js(&rows.string_fields)?)?;
    set(
        "numbers",
        &js_sys::Float64Array::from(&rows.numbers[..]).into(),
    )?;
    let list = to_js(&rows.strings)?;
    let list = match kept {
        None => list,
        Some(a) => a.concat(list.unchecked_ref::<js_sys::Array>()).into(),
    };
    set("strings", &list)?;
    set("errors", &to_js(&rows.errors)?)?;
    let next = rows
        .next_change
        .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
    set("nextChange", &next)?;
    Ok(out.into())
}

#[cfg(feature = "full")]
mod csv_bindings {
    use super::*;

    // =============================================================================================
    // CSV issue exports (`src/adapters/csv.rs`) for `<sla-board tracker="redmine-csv|jira-csv">`
    // =============================================================================================

    #[wasm_bindgen(typescript_custom_section)]
    const TYPESCRIPT_CSV: &'static str = r#"
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
"#;

    /// Maps a CSV issue export (text, or its bytes: UTF-8 with or without BOM, or ISO-8859-1) under
    /// a column mapping over the format's defaults. Rows that cannot be mapped are in `errors` with
    /// their row, line and column; the rest are in `tickets`. Throws a `MappingError` for a mapping
    /// with errors, and a `TicketError` for a file that cannot be read at all (no header, no id or
    /// created column).
    #[wasm_bindgen(js_name = mapCsv, unchecked_return_type = "MappedCsv")]
    pub fn map_csv(
        #[wasm_bindgen(unchecked_param_type = "CsvFormatName")] format: &str,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CsvMappingInput | null | undefined")]
        mapping: JsValue,
    ) -> Result<JsValue, JsValue> {
        use crate::adapters::csv::{self, CsvFormat, CsvMapping};
        let format: CsvFormat = format.parse().map_err(|e: String| JsError::new(&e))?;
        let text = if mapping.is_null() || mapping.is_undefined() {
            String::new()
        } else {
            match mapping.as_string() {
                Some(t) => t,
                None => json_text(&mapping, "the mapping")?,
            }
        };
        let m = CsvMapping::from_json(Some(format), &text).map_err(|d| {
            let first = d.0.first().map(|x| format!(": {x}")).unwrap_or_default();
            let list = to_js_object(&d.0).unwrap_or_else(|_| js_sys::Array::new().into());
            js_error(
                "MappingError",
                &format!("the CSV mapping has {} error(s){first}", d.0.len()),
                &[("diagnostics", list)],
            )
        })?;
        let export = if let Some(s) = data.as_string() {
            csv::map_csv(&s, &m)
        } else if let Some(a) = data.dyn_ref::<js_sys::Uint8Array>() {
            csv::map_csv_bytes(&a.to_vec(), &m)
        } else {
            return Err(
                JsError::new("a CSV export must be text or a Uint8Array of its bytes").into(),
            );
        }
        .map_err(|e| ticket_error(&e))?;
        to_js(&crate::api::MappedCsv::new(&export))
    }
}
