//! The review report's memory: counted one ticket at a time (`ReportBuilder`), it keeps each
//! measured ticket's time samples once — not once in its own cell and again in each of the
//! seven cells with an "all" index that cover it — so its peak grows by a few dozen bytes a
//! ticket. A global allocator that tracks the bytes in use proves it (its own test binary: the
//! counts are process-wide).

use serde_json::json;
use sla_lens::report::ReportBuilder;
use sla_lens::time::format_instant;
use sla_lens::{Policy, Ticket};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Tracking;
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        IN_USE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// A ticket answered within the hour and resolved the next day: in scope, met, measured.
fn ticket(i: i64) -> Ticket {
    let created = 1_767_225_600 + i * 1_201; // from 2026-01-01, about 14 days per 1,000
    Ticket::from_value(&json!({
        "id": i.to_string(),
        "created": format_instant(created),
        "fields": {"priority": if i % 2 == 0 { "Urgent" } else { "Normal" }, "requesterGroup": "Marketing", "category": "Network"},
        "comments": [{"at": format_instant(created + 600 + i % 1_800), "staff": true}],
        "statusHistory": [
            {"at": format_instant(created + 86_400), "from": "New", "to": "Resolved"}
        ]
    }))
    .expect("a generated ticket")
}

#[test]
fn the_report_keeps_each_time_sample_once() {
    let policy = Policy::default_policy();
    let (from, to) = (1_767_225_600, 1_798_761_600); // 2026
    let now = to;
    let n = 20_000;
    // Warm up (calendar tables, the builder's cube).
    let mut warm = ReportBuilder::new(&policy, Some(from), Some(to), now).expect("a period");
    warm.add(&Ok(ticket(0)));
    drop(warm.finish());

    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut b = ReportBuilder::new(&policy, Some(from), Some(to), now).expect("a period");
    for i in 0..n {
        b.add(&Ok(ticket(i)));
    }
    let r = b.finish();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(r.tickets.in_scope, n as u64);
    let all = r
        .cell(sla_lens::policy::MetricKind::Response, None, None, None)
        .expect("the all cell");
    assert_eq!((all.met, all.business.count), (n as u64, n as u64));
    // Two metrics × (business, wall) × 8 bytes = 32 bytes of samples a ticket in its own cell,
    // as much again while an "all" cell's percentiles are computed, list growth on top; the
    // cube's fixed cells (~1,000 of them here) and the report's own size. Holding the samples
    // eight times over (as the roll-up did) needs 256 bytes a ticket and more.
    let per_ticket = peak as f64 / n as f64;
    assert!(
        per_ticket < 200.0,
        "the report's peak grew by {peak} bytes for {n} tickets ({per_ticket:.0} a ticket)"
    );
}
