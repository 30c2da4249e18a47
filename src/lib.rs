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
