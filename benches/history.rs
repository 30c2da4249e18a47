//! One ticket with a long history (criterion): 100,000 status changes, In Progress ↔ Resolved
//! every 10 minutes (50,001 cycles), evaluated and reported under both shipped policies.
//! Figures and the command are in BENCHMARKS.md, "One ticket with a long history":
//! `cargo bench --bench history` (budget: ≤ 1 s native each).

use criterion::{criterion_group, criterion_main, Criterion};
use sla_lens::report::report;
use sla_lens::{evaluate, Policy, BUSINESS_HOURS_POLICY_JSON};
use std::hint::black_box;

#[path = "../tests/support/long_history.rs"]
mod long_history;
use long_history::{long_ticket, FLIP, PAUSE, START};

const N: usize = 100_000;

fn bench(c: &mut Criterion) {
    let now = START + 600 * (N as i64 + 10);
    let mut g = c.benchmark_group("history");
    g.sample_size(10);
    for (kind, cycle) in [("flip", FLIP), ("pause", PAUSE)] {
        let batch = [Ok(long_ticket(N, cycle, false))];
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
