//! What the CLI (`src/bin/`) and the JavaScript binding (`src/wasm.rs`) both present, once, as
//! plain Rust over Rust types: the per-ticket result envelope, period ends, the `<input k>` path
//! of a multi-document error, example policies; and the binding's own logic, so that `wasm.rs`
//! only converts: the board rows (`rows.rs`), the review report over a text, a batch or tracker
//! responses (`report.rs`), the mapped-export projections (`export.rs`), tolerant mapping
//! (`tolerant.rs`). No wasm-bindgen or js-sys here; the callers convert from and to their side
//! (arguments and JSON text, or JS values).
//!
//! Layer: above `report` and `adapters`, below `wasm.rs` and `bin/` (`src/lib.rs`).

use crate::eval::explain::{explain, Segment};
use crate::eval::{evaluate, Evaluation};
use crate::policy::review::ReviewStatus;
use crate::policy::Policy;
use crate::ticket::{parse_instant, Stamp, Ticket, TicketError};
use crate::time::Instant;
use serde::Serialize;

mod export;
mod report;
mod rows;
mod tolerant;
pub use export::{
    example_policy, site_text_for, ExportUnknown, Indexed, MappedCsv, MappedExport, MappedIssues,
};
pub use report::{map_default, report, ReportFailure, ReportInput};
pub use rows::{
    applicability_kind, board_rows, kept_texts, BoardRowField, BoardRows, IndexedError, Texts,
    BOARD_ROW_FIELDS,
};
pub use tolerant::{map_tolerant, Mapped, Rejected};

// ---------------------------------------------------------------------------------------------
// The result envelope: one ticket's result, shaped exactly as `sla-lens eval` prints it
// ---------------------------------------------------------------------------------------------

/// The explanation part of a result (`--explain`, `explain`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceView<'a> {
    pub time_zone: &'a str,
    pub segments: &'a [Segment],
    pub truncated: bool,
    pub lines: &'a [String],
    pub review: &'a Option<ReviewStatus>,
}

/// One ticket's result: `{id, evaluation[, explanation]}` or `{id, error}`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ResultView<'a> {
    Evaluated {
        id: &'a str,
        evaluation: &'a Evaluation<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        explanation: Option<TraceView<'a>>,
    },
    Failed {
        id: Option<&'a str>,
        error: &'a TicketError,
    },
}

/// Evaluates (or explains, with `with_trace`) one ticket at `now` and hands its result envelope
/// to `f`; a ticket that could not be read gives its error's envelope.
pub fn with_result<R>(
    policy: &Policy,
    ticket: Result<&Ticket, &TicketError>,
    now: Instant,
    with_trace: bool,
    f: impl FnOnce(&ResultView<'_>) -> R,
) -> R {
    let t = match ticket {
        Ok(t) => t,
        Err(e) => {
            return f(&ResultView::Failed {
                id: e.id.as_deref(),
                error: e,
            })
        }
    };
    if with_trace {
        return match explain(policy, t, now) {
            Ok(x) => f(&ResultView::Evaluated {
                id: &t.id,
                evaluation: &x.evaluation,
                explanation: Some(TraceView {
                    time_zone: x.time_zone,
                    segments: &x.segments,
                    truncated: x.truncated,
                    lines: &x.lines,
                    review: &x.review,
                }),
            }),
            Err(e) => f(&ResultView::Failed {
                id: Some(&t.id),
                error: &e,
            }),
        };
    }
    match evaluate(policy, t, now) {
        Ok(evaluation) => f(&ResultView::Evaluated {
            id: &t.id,
            evaluation: &evaluation,
            explanation: None,
        }),
        Err(e) => f(&ResultView::Failed {
            id: Some(&t.id),
            error: &e,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Period ends
// ---------------------------------------------------------------------------------------------

/// Which end of a report period a text gives: a `to` date is inclusive, so its end is the next
/// day's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

/// A period end from text: a local date `YYYY-MM-DD` in the report zone of `policy` (see
/// [`End`]) or an RFC 3339 instant. The error names neither the option nor the argument: the
/// caller prefixes `--to: ` or `to: `.
pub fn period_end(policy: &Policy, text: &str, end: End) -> Result<Instant, String> {
    if let Some(d) = crate::time::datefmt::parse_ymd(text.trim()) {
        let d = match end {
            End::To => d.succ_opt().unwrap_or(d),
            End::From => d,
        };
        return Ok(crate::report::day_start(crate::report::zone(policy), d));
    }
    parse_instant(&Stamp::Text(text.to_string()))
        .map_err(|_| format!("`{text}` is neither a date `YYYY-MM-DD` nor an RFC 3339 instant"))
}

// ---------------------------------------------------------------------------------------------
// `<input k>` paths
// ---------------------------------------------------------------------------------------------

/// The document a multi-document error path names, and the path inside it:
/// `<input 3>.issues[0]` → `(3, "issues[0]")`; `None` for a path without `<input k>`.
pub fn input_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("<input ")?;
    let (k, at) = rest.split_once('>')?;
    Some((k.parse().ok()?, at.trim_start_matches('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_paths() {
        assert_eq!(input_path("<input 3>.issues[0]"), Some((3, "issues[0]")));
        assert_eq!(input_path("<input 0>"), Some((0, "")));
        assert_eq!(input_path("<input x>.a"), None);
        assert_eq!(input_path("issues[0]"), None);
        assert_eq!(input_path("<input 2"), None);
    }

    #[test]
    fn period_ends() {
        let p = Policy::from_json(crate::policy::DEFAULT_POLICY_JSON).unwrap();
        let from = period_end(&p, "2026-03-01", End::From).unwrap();
        let to = period_end(&p, " 2026-03-01 ", End::To).unwrap();
        assert_eq!(to - from, 86_400);
        assert_eq!(
            period_end(&p, "2026-03-01T10:00:00Z", End::To).unwrap(),
            1_772_359_200
        );
        let e = period_end(&p, "March", End::From).unwrap_err();
        assert_eq!(
            e,
            "`March` is neither a date `YYYY-MM-DD` nor an RFC 3339 instant"
        );
    }
}
