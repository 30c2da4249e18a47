//! One ticket with a long status history, evaluated and reported once under each shipped
//! policy, with the wall time of each (BENCHMARKS.md, "One ticket with a long history"):
//! `cargo run --release --example long_history -- 100000 [flip|pause]`.
//!
//! `flip`: the ticket moves In Progress ↔ Resolved every 10 minutes (each change ends or
//! starts a cycle); `pause`: In Progress → Waiting on customer → In Progress → Resolved →
//! In Progress …, so the resolution clock pauses in every cycle.
use sla_lens::report::report;
use sla_lens::{evaluate, Policy, BUSINESS_HOURS_POLICY_JSON};
use std::time::Instant as Clock;

#[path = "../tests/support/long_history.rs"]
mod long_history;
use long_history::{long_ticket, FLIP, PAUSE, START};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(100_000, |a| a.parse().expect("a count"));
    let pause = args.next().as_deref() == Some("pause");
    let ticket = long_ticket(n, if pause { PAUSE } else { FLIP }, false);
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
