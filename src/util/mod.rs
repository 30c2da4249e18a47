//! Infrastructure under every layer, about no domain: one compiled sort (`order`), reading JSON
//! documents with their serde derives and located, typed errors (`read`, `located`), the one
//! collect-every-diagnostic `validate` of the policy, the site file and the CSV mapping, and the
//! diagnostics and JSON error texts they report ([`diagnostic`]).
//!
//! Nothing here imports from the rest of the crate (`lib.rs` has the rule).

pub mod diagnostic;
pub(crate) mod located;
pub(crate) mod order;
pub(crate) mod read;
pub(crate) mod validate;
