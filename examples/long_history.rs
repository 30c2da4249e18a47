//! One ticket with a long status history, evaluated and reported once under each shipped
//! policy, with the wall time of each (BENCHMARKS.md, "One ticket with a long history"):
//! `cargo run --release --example long_history -- 100000 [flip|pause]`.
//!
//! `flip`: the ticket moves In Progress ↔ Resolved every 10 minutes (each change ends or
//! starts a cycle); `pause`: In Progress → Waiting on customer → In Progress → Resolved →
//! In Progress …, so the resolution clock pauses in every cycle.
use serde_json::json;
use sla_lens::report::report;
use sla_lens::ticket::format_instant;
use sla_lens::{evaluate, Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::time::Instant as Clock;

/// 2024-01-01T09:00:00Z.
const START: i64 = 1_704_099_600;

/// The ticket: `n` status changes, 10 minutes apart.
pub fn long_ticket(n: usize, pause: bool) -> Ticket {
    let cycle: &[&str] = if pause {
        &[
            "Waiting on customer",
            "In Progress",
            "Resolved",
            "In Progress",
        ]
    } else {
        &["Resolved", "In Progress"]
    };
    let mut from = "In Progress";
    let history: Vec<_> = (0..n)
        .map(|i| {
            let to = cycle[i % cycle.len()];
            let c =
                json!({"at": format_instant(START + 600 * (i as i64 + 1)), "from": from, "to": to});
            from = to;
            c
        })
        .collect();
    Ticket::from_value(&json!({
        "id": "long", "created": format_instant(START), "status": from,
        "fields": {"priority": "Normal", "requesterGroup": "Marketing"},
        "statusHistory": history
    }))
    .expect("the generated ticket")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(100_000, |a| a.parse().expect("a count"));
    let pause = args.next().as_deref() == Some("pause");
    let ticket = long_ticket(n, pause);
    let now = START + 600 * (n as i64 + 10);
    let batch = vec![Ok(ticket.clone())];
    for (name, policy) in [
        ("default", Policy::default_policy()),
        (
            "business hours",
            Policy::from_json(BUSINESS_HOURS_POLICY_JSON).expect("the example policy"),
        ),
    ] {
        let t = Clock::now();
        let e = evaluate(&policy, &ticket, now).expect("an evaluation");
        let t_eval = t.elapsed();
        let t = Clock::now();
        let r =
            report(&policy, &batch, Some(START - 86_400), Some(now + 1), now).expect("a report");
        let t_report = t.elapsed();
        println!(
            "{n} changes ({}), {name}: evaluate {:.3} s, report {:.3} s ({} cycles, {} in scope)",
            if pause { "pause" } else { "flip" },
            t_eval.as_secs_f64(),
            t_report.as_secs_f64(),
            e.resolution.cycles,
            r.tickets.in_scope
        );
    }
}
