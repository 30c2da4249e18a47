//! Infrastructure under every layer, about no domain: one compiled sort (`order`), reading JSON
//! documents with located errors (`read`, `located`) and the diagnostics and JSON error texts
//! those readers and the policy report ([`diagnostic`]).
//!
//! Nothing here imports from the rest of the crate (`lib.rs` has the rule).

pub mod diagnostic;
pub(crate) mod located;
pub(crate) mod order;
pub(crate) mod read;
pub(crate) mod validate;
