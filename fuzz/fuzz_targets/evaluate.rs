//! Arbitrary bytes as a tickets JSON text, evaluated and explained against the built-in default
//! policy and the business-hours example at a `now` taken from the input.
//!
//! Input layout: the tickets text, then (when the input is at least 8 bytes long) its last 8
//! bytes as a little-endian `u64` that picks `now`: one time in four any `i64` at all, otherwise
//! an instant in 2023-2043 so that most inputs evaluate at a realistic time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sla_lens::{evaluate, explain, Ticket};
use sla_lens_fuzz::policies;

fn split(data: &[u8]) -> (&[u8], i64) {
    if data.len() < 8 {
        return (data, 1_795_165_200);
    }
    let (text, tail) = data.split_at(data.len() - 8);
    let mut raw = [0u8; 8];
    raw.copy_from_slice(tail);
    let raw = u64::from_le_bytes(raw);
    let now = if raw % 4 == 0 {
        raw as i64
    } else {
        // 2023-11-14 plus up to 20 years.
        1_700_000_000 + ((raw >> 2) % (20 * 366 * 86_400)) as i64
    };
    (text, now)
}

fuzz_target!(|data: &[u8]| {
    let (text, now) = split(data);
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(batch) = Ticket::parse_batch(text) else {
        return;
    };
    for policy in policies() {
        for ticket in batch.iter().flatten() {
            if let Ok(e) = evaluate(policy, ticket, now) {
                let _ = serde_json::to_string(&e);
            }
            if let Ok(x) = explain(policy, ticket, now) {
                let _ = serde_json::to_string(&x);
            }
        }
    }
});
