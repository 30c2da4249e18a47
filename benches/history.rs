//! One ticket with a long history (criterion): 100,000 status changes, In Progress ↔ Resolved
//! every 10 minutes (50,001 cycles), evaluated and reported under both shipped policies.
//! Figures and the command are in BENCHMARKS.md, "One ticket with a long history":
//! `cargo bench --bench history` (budget: ≤ 1 s native each).

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use sla_lens::report::report;
use sla_lens::ticket::format_instant;
use sla_lens::{evaluate, Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::hint::black_box;

/// 2024-01-01T09:00:00Z.
const START: i64 = 1_704_099_600;
const N: usize = 100_000;

fn long_ticket(cycle: &[&str]) -> Ticket {
    let mut from = "In Progress";
    let history: Vec<_> = (0..N)
        .map(|i| {
            let to = cycle[i % cycle.len()];
            let c =
                json!({"at": format_instant(START + 600 * (i as i64 + 1)), "from": from, "to": to});
            from = to;
            c
        })
        .collect();
    Ticket::from_value(&json!({
        "id": "long", "created": format_instant(START),
        "fields": {"priority": "Normal", "requesterGroup": "Marketing"},
        "statusHistory": history
    }))
    .expect("the generated ticket")
}

fn bench(c: &mut Criterion) {
    let now = START + 600 * (N as i64 + 10);
    let mut g = c.benchmark_group("history");
    g.sample_size(10);
    for (kind, cycle) in [
        ("flip", &["Resolved", "In Progress"][..]),
        (
            "pause",
            &[
                "Waiting on customer",
                "In Progress",
                "Resolved",
                "In Progress",
            ][..],
        ),
    ] {
        let batch = [Ok(long_ticket(cycle))];
        let Ok(ticket) = &batch[0] else {
            unreachable!()
        };
        for (name, policy) in [
            ("default", Policy::default_policy()),
            (
                "business hours",
                Policy::from_json(BUSINESS_HOURS_POLICY_JSON).expect("the example policy"),
            ),
        ] {
            g.bench_function(format!("100k changes ({kind}), {name}: evaluate"), |b| {
                b.iter(|| black_box(evaluate(&policy, black_box(ticket), now)).is_ok())
            });
            g.bench_function(format!("100k changes ({kind}), {name}: report"), |b| {
                b.iter(|| {
                    black_box(report(
                        &policy,
                        black_box(&batch),
                        Some(START - 86_400),
                        Some(now + 1),
                        now,
                    ))
                    .is_ok()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
