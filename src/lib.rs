//! sla-lens: evaluate a declarative SLA policy against tracker issues.
//!
//! The core is pure: no clock reads, no I/O, no JavaScript. `now` is always a parameter, in Unix
//! seconds. [`Policy::from_json`] reads and checks a policy (reporting every problem at once),
//! [`Ticket`] is the tracker-agnostic issue, and [`evaluate`] gives each metric's state, deadline,
//! escalation level and the reasons behind them. [`explain`] adds the trace a tooltip shows.
//!
//! The time semantics (business calendars, DST, holidays, pauses, landing on a close) are
//! specified in `DESIGN.md` and pinned by the test vectors in `tests/`.

pub mod adapters;
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
