//! Review-report benchmarks (criterion): the report over the demo generator's 10,000- and
//! 100,000-ticket exports. Figures and the command are in BENCHMARKS.md, "Review report":
//! `cargo bench --bench report`.
//!
//! The exports are generated on first use (`python3 scripts/gen-export.py --count N --out
//! target/export-N.json`, seeded, so always the same tickets) and are not committed.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sla_lens::report::report;
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::{Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;

fn t(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).expect("a valid instant")
}

/// The generator's export of `n` tickets, generated into `target/` when missing.
fn export(n: usize) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(format!("target/export-{n}.json"));
    if !path.exists() {
        let status = Command::new("python3")
            .arg(root.join("scripts/gen-export.py"))
            .args(["--count", &n.to_string(), "--out"])
            .arg(&path)
            .status()
            .expect("python3 runs scripts/gen-export.py");
        assert!(status.success(), "scripts/gen-export.py failed");
    }
    std::fs::read_to_string(&path).expect("the generated export")
}

fn bench(c: &mut Criterion) {
    let seed = Policy::default_policy();
    let business = Policy::from_json(BUSINESS_HOURS_POLICY_JSON).expect("the example policy");
    let now = t("2026-11-27T12:00:00Z");
    // The whole 12 months of the export, so every ticket is in the period and evaluated.
    let (from, to) = (t("2025-11-27T00:00:00Z"), t("2026-11-28T00:00:00Z"));

    for n in [10_000usize, 100_000] {
        let text = export(n);
        let batch = Ticket::parse_batch(&text).expect("a ticket array");
        // Warm the calendars' lazily built year tables, as a long-lived engine would have them.
        let r = report(&business, &batch, Some(from), Some(to), now).expect("a report");
        assert_eq!(r.tickets.in_period as usize, n);

        let mut g = c.benchmark_group("report");
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(10);
        let k = n / 1000;
        g.bench_function(
            format!("{k}k tickets, 12 months, default (24x7) policy"),
            |b| b.iter(|| black_box(report(&seed, black_box(&batch), Some(from), Some(to), now))),
        );
        g.bench_function(format!("{k}k tickets, 12 months, business hours"), |b| {
            b.iter(|| {
                black_box(report(
                    &business,
                    black_box(&batch),
                    Some(from),
                    Some(to),
                    now,
                ))
            })
        });
        g.bench_function(format!("{k}k tickets, default period (6 months)"), |b| {
            b.iter(|| black_box(report(&seed, black_box(&batch), None, None, now)))
        });
        g.bench_function(format!("{k}k tickets, parse the export"), |b| {
            b.iter(|| black_box(Ticket::parse_batch(black_box(&text)).map(|v| v.len())))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
