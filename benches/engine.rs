//! Engine benchmarks (criterion). Figures and the command that reproduces them are in
//! BENCHMARKS.md: `make bench` (or `cargo bench --bench engine`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::json;
use sla_lens::time::format_instant;
use sla_lens::{evaluate, Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::hint::black_box;

/// 2026-01-01T00:00:00Z and a deterministic generator (no clock, no rand crate).
const Y2026: i64 = 1_767_225_600;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Realistic tickets: mixed priorities and categories, a third with a staff reply, a fifth
/// paused waiting on the customer for a while, a tenth resolved.
pub fn tickets(n: usize) -> Vec<Ticket> {
    ticket_values(n)
        .iter()
        .map(|v| Ticket::from_value(v).expect("generated ticket"))
        .collect()
}

/// The same tickets as JSON values.
pub fn ticket_values(n: usize) -> Vec<serde_json::Value> {
    let mut rng = Lcg(42);
    let priorities = ["Urgent", "Normal", "Low", "High", "Immediate"];
    let categories = ["Hardware", "Network", "Backup", "Training", "Other"];
    (0..n)
        .map(|i| {
            let created = Y2026 + rng.below(330 * 86_400) as i64;
            let mut v = json!({
                "id": i.to_string(),
                "created": format_instant(created),
                "fields": {
                    "priority": priorities[rng.below(5) as usize],
                    "category": categories[rng.below(5) as usize],
                    "requesterGroup": "Marketing"
                }
            });
            if rng.below(3) == 0 {
                v["comments"] = json!([{"at": format_instant(created + rng.below(20 * 3600) as i64), "staff": true}]);
            }
            let mut history = vec![];
            if rng.below(5) == 0 {
                let p = created + rng.below(10 * 3600) as i64;
                history.push(json!({"at": format_instant(p), "from": "New", "to": "Waiting on customer"}));
                history.push(json!({"at": format_instant(p + rng.below(3 * 86_400) as i64), "from": "Waiting on customer", "to": "In Progress"}));
            }
            if rng.below(10) == 0 {
                history.push(json!({"at": format_instant(created + 5 * 86_400), "from": "In Progress", "to": "Resolved"}));
            }
            v["statusHistory"] = json!(history);
            v
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let business = Policy::from_json(BUSINESS_HOURS_POLICY_JSON).unwrap();
    let seed = Policy::default_policy();
    let batch = tickets(100_000);
    let now = Y2026 + 331 * 86_400;
    // Build the calendar's year tables once, as a long-lived engine would have.
    for t in &batch {
        let _ = evaluate(&business, t, now);
    }

    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.sample_size(10);
    g.bench_function("100k tickets, business hours + holidays + pauses", |b| {
        b.iter(|| {
            let mut breached = 0usize;
            for t in &batch {
                if let Ok(e) = evaluate(&business, black_box(t), now) {
                    breached += usize::from(e.state == sla_lens::State::Breached);
                }
            }
            black_box(breached)
        })
    });
    g.bench_function("100k tickets, default (24x7) policy", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &batch {
                n += usize::from(evaluate(&seed, black_box(t), now).is_ok());
            }
            black_box(n)
        })
    });
    g.finish();

    let text = serde_json::Value::Array(ticket_values(10_000)).to_string();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(10_000));
    g.sample_size(10);
    g.bench_function("10k tickets from JSON text", |b| {
        b.iter(|| black_box(Ticket::parse_batch(black_box(&text)).map(|v| v.len())))
    });
    // The same list through serde's derive (`TicketInput`), as if there were no fast ticket
    // reader: what that reader earns (BENCHMARKS.md).
    let through_serde = serde_json::from_str::<Vec<sla_lens::ticket::TicketInput>>(&text);
    assert_eq!(through_serde.map(|v| v.len()).ok(), Some(10_000));
    g.bench_function("10k tickets from JSON text, serde derive", |b| {
        b.iter(|| {
            let inputs: Vec<sla_lens::ticket::TicketInput> =
                serde_json::from_str(black_box(&text)).unwrap_or_default();
            black_box(inputs.into_iter().map(Ticket::from_input).count())
        })
    });
    g.finish();

    let cal = business.calendar_by_name("berlin-office").unwrap();
    let mut rng = Lcg(7);
    let starts: Vec<i64> = (0..1024)
        .map(|_| Y2026 + rng.below(360 * 86_400) as i64)
        .collect();
    let mut g = c.benchmark_group("calendar");
    g.bench_function("add 2,000 business hours", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.add(black_box(starts[i]), 2_000 * 3600))
        })
    });
    g.bench_function("add 4 business hours", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.add(black_box(starts[i]), 4 * 3600))
        })
    });
    g.bench_function("elapsed over one year", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.elapsed(black_box(starts[i]), starts[i] + 365 * 86_400))
        })
    });
    g.bench_function("compile the business-hours policy", |b| {
        b.iter_batched(
            || BUSINESS_HOURS_POLICY_JSON,
            |p| black_box(Policy::from_json(p).is_ok()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
