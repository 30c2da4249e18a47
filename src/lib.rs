//! sla-lens: evaluate a declarative SLA policy against tracker issues.
//!
//! The core is pure: no clock reads, no I/O, no JavaScript. `now` is always a parameter, in Unix
//! seconds. [`Policy::from_json`] reads and checks a policy (reporting every problem at once),
//! [`Ticket`] is the tracker-agnostic issue, and [`evaluate`] gives each metric's state, deadline,
//! escalation level and the reasons behind them. [`explain`] adds the trace a tooltip shows.
//!
//! The time semantics (business calendars, DST, holidays, pauses, landing on a close) are
//! specified in `DESIGN.md` and pinned by the test vectors in `tests/`.
//!
//! # Quick start
//!
//! The seed SLA ([`DEFAULT_POLICY_JSON`]: IT answers Marketing within 24 hours, critical issues
//! within 4, and escalates to the IT manager, then the Marketing department head) against one
//! ticket, two hours and a minute after it was opened:
//!
//! ```
//! use sla_lens::{evaluate, explain, Policy, State, Ticket};
//!
//! let policy = Policy::from_json(sla_lens::DEFAULT_POLICY_JSON)?;
//! let ticket = Ticket::from_value(&serde_json::json!({
//!     "id": "42", "created": "2026-11-20T09:00:00Z", "status": "New",
//!     "fields": {"priority": "Urgent", "requesterGroup": "Marketing"}
//! }))?;
//! let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).map(|d| d.timestamp());
//! let now = at("2026-11-20T11:01:00Z")?;
//!
//! let e = evaluate(&policy, &ticket, now)?;
//! assert_eq!(e.response.state, State::Running); // 2 h 1 m of the critical 4 h used
//! assert_eq!(e.response.deadline.map(|d| d.0), Some(at("2026-11-20T13:00:00Z")?));
//!
//! // The same, with the sentences a tooltip shows (plain text, never HTML).
//! let why = explain(&policy, &ticket, now)?;
//! assert!(why.lines.iter().any(|l| l.contains("13:00")), "{:?}", why.lines);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A policy with mistakes is refused with every problem at once, each with a stable code, the
//! path of the offending value and how to fix it:
//!
//! ```
//! // The seed with two mistakes: a duration a person would write, and a tier nobody defined.
//! let bad = sla_lens::DEFAULT_POLICY_JSON
//!     .replace(r#""response": "4h""#, r#""response": "4 hours""#)
//!     .replace(r#""priority": "normal""#, r#""priority": "norml""#);
//! let problems = sla_lens::Policy::from_json(&bad).unwrap_err();
//! let paths: Vec<&str> = problems.0.iter().map(|d| d.path.as_str()).collect();
//! assert!(paths.contains(&"targets[0].response"), "{problems:?}");
//! assert!(paths.contains(&"targets[1].priority"), "{problems:?}");
//! for d in &problems.0 {
//!     assert!(!d.code.is_empty() && !d.message.is_empty());
//! }
//! ```
//!
//! Tracker answers become tickets through [`adapters`] (Redmine, GitHub, GitLab, Jira, CSV
//! exports); the review report is [`report::report`]. The same API is in JavaScript through the
//! Wasm binding (`www/`), and on the command line (`sla-lens eval`, `report`, `escalate`).
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `cli` | yes | the `sla-lens` binary: clap, the HTTP client and mailer of `escalate`; implies `schema` and `escalate` |
//! | `full` | yes | for the Wasm build: the bindings for tracker answers, CSV exports and the review report (without it, the smaller badge-only engine module) |
//! | `escalate` | with `cli` | the escalation planner (`eval::escalate`): which policy actions are due, their markers and texts |
//! | `schema` | with `cli` | `policy_schema()`: the policy document's JSON Schema (schemars) |
//! | `work-count` | no | tests only: counts the history entries evaluations read |
//!
//! A library user who needs only the engine: `sla-lens = { version = "0.1", default-features =
//! false }`.
//!
//! # Layers
//!
//! `src/` is one folder per layer, and a layer's code names only itself and the layers below it
//! (`crate::<layer>::…`), so there is no cycle:
//!
//! ```text
//!  wasm.rs, bin/          the bindings and the CLI: may use anything
//!     api/                what both present, and the binding's logic, no JS types: the result
//!        |                envelope, period ends, `<input k>` paths, tolerant mapping of tracker
//!        |                answers, the board rows, the report's streaming-or-batch choice, the
//!        |                mapped-export projections, example policies
//!     report/             the review report: aggregation, Markdown and CSV
//!     eval/               evaluate, explain, snapshots, the escalation planner (`escalate`)
//!     adapters/           tracker responses and CSV exports -> tickets (beside eval: it uses
//!        |                ticket, policy and what is below, never eval or report)
//!     ticket/             the tracker-agnostic ticket, its escalation markers
//!     policy/             the policy document, its checks, its review cadence
//!     calendar/           business calendars and the time arithmetic on them
//!     time/               Instant, RFC 3339, date texts, durations, zones, the local-time resolver
//!     util/               infrastructure, no domain: one sort, JSON readers, diagnostics
//! ```
//!
//! That is `time ← calendar ← policy ← ticket ← eval ← report`, `adapters → ticket, policy`,
//! all over `util`; `api` sits on `report` and `adapters` (plain Rust; on wasm32 alone, a few of
//! its types also derive `tsify::Tsify`, which writes their TypeScript declarations).
//! `tests/layers.rs` checks every `crate::` path against this rule, so an upward import fails
//! CI. The root re-exports below (`sla_lens::Policy`, `Ticket`, `evaluate`…) are for the
//! crate's users; the crate's own code uses the layered paths.
//!
//! [`Instant`] is an alias of `i64` (Unix seconds), not a newtype: see [`time::Instant`].

pub mod adapters;
pub mod api;
pub mod calendar;
pub mod eval;
pub mod policy;
pub mod report;
pub mod ticket;
pub mod time;
pub mod util;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use calendar::{Calendar, CalendarSpec, OutOfRange};
pub use eval::explain::{explain, Explanation};
pub use eval::{
    evaluate, evaluate_all, evaluate_observed, evaluate_with_history, next_change, Applicability,
    Evaluation, MetricEval, Reached, State, MAX_HISTORY,
};
pub use policy::{Policy, PolicySpec, BUSINESS_HOURS_POLICY_JSON, DEFAULT_POLICY_JSON};
pub use ticket::{Ticket, TicketError, TicketInput};
pub use time::Instant;
pub use util::diagnostic::{Diagnostic, Diagnostics, Severity};

/// The JSON Schema of the policy document.
#[cfg(feature = "schema")]
pub fn policy_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(policy::PolicySpec);
    serde_json::to_value(&schema).unwrap_or(serde_json::Value::Null)
}
