//! Time, the lowest domain layer: instants, their RFC 3339 text, the crate's fixed date texts,
//! human durations, IANA zones and the one local-time resolver (DESIGN.md "Time semantics",
//! rule 3: a nonexistent local time moves forward by the gap, an ambiguous one is the earlier
//! instant, [`zone::resolve_local`] and [`zone::resolve_naive`]).
//!
//! Nothing here knows about calendars, policies or tickets (`lib.rs` has the rule).

pub(crate) mod datefmt;
pub mod duration;
pub mod rfc3339;
pub mod zone;

pub use rfc3339::format_instant;

/// An instant: Unix seconds (UTC, whole seconds).
///
/// An alias, not a newtype: instants are added to, subtracted from and compared with plain
/// second counts throughout the calendar, the evaluator, the report and the Wasm binding (a few
/// hundred sites), so a newtype would be a crate-wide rewrite of arithmetic with no change in
/// behaviour; it is a step of its own, not part of moving the modules into layers.
pub type Instant = i64;
