//! The JavaScript binding (wasm32 only). Filled in by the Wasm/JS issue.
