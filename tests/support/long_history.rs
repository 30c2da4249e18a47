//! One ticket with a long status history, shared by tests/history.rs, benches/history.rs and
//! examples/long_history.rs (each includes this file with `#[path]`).

use serde_json::{json, Value};
use sla_lens::time::format_instant;
use sla_lens::Ticket;

/// 2024-01-01T09:00:00Z, the ticket's creation.
pub const START: i64 = 1_704_099_600;

/// In Progress ↔ Resolved: each change ends or starts a cycle.
pub const FLIP: &[&str] = &["Resolved", "In Progress"];

/// In Progress → Waiting on customer → In Progress → Resolved → In Progress …: the resolution
/// clock pauses in every cycle.
pub const PAUSE: &[&str] = &[
    "Waiting on customer",
    "In Progress",
    "Resolved",
    "In Progress",
];

/// `n` status changes 10 minutes apart, cycling through `cycle` from In Progress; with `reply`, a
/// staff reply 5 minutes after the creation.
pub fn long_ticket(n: usize, cycle: &[&str], reply: bool) -> Ticket {
    let mut from = "In Progress";
    let history: Vec<Value> = (0..n)
        .map(|i| {
            let to = cycle[i % cycle.len()];
            let c =
                json!({"at": format_instant(START + 600 * (i as i64 + 1)), "from": from, "to": to});
            from = to;
            c
        })
        .collect();
    let comments: Vec<Value> = if reply {
        vec![json!({"at": format_instant(START + 300), "staff": true})]
    } else {
        Vec::new()
    };
    Ticket::from_value(&json!({
        "id": "long", "created": format_instant(START),
        "fields": {"priority": "Normal", "requesterGroup": "Marketing"},
        "comments": comments,
        "statusHistory": history
    }))
    .expect("the generated ticket")
}
