//! Tracker adapters: each tracker's REST responses mapped to the engine's [`crate::Ticket`].
