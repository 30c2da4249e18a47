//! Evaluation allocates nothing per ticket beyond its result (which borrows every string from
//! the policy and the ticket). A counting global allocator proves it.

use serde_json::json;
use sla_lens::time::format_instant;
use sla_lens::{evaluate, Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn evaluation_allocates_nothing_per_ticket() {
    let base = 1_780_000_000; // 2026-05-28
    let tickets: Vec<Ticket> = (0..500)
        .map(|i| {
            let created = base + i * 7_919;
            let priority = if i % 2 == 0 { "Urgent" } else { "Normal" };
            Ticket::from_value(&json!({
                "id": i.to_string(),
                "created": format_instant(created),
                "fields": {"priority": priority, "requesterGroup": "Marketing", "category": "Network"},
                "labels": ["x", "network"],
                "comments": [{"at": format_instant(created + 3_600 * (i % 9)), "staff": i % 3 == 0}],
                "statusHistory": [
                    {"at": format_instant(created + 600), "from": "New", "to": "Waiting on customer"},
                    {"at": format_instant(created + 90_000), "from": "Waiting on customer", "to": "In Progress"},
                    {"at": format_instant(created + 400_000), "from": "In Progress", "to": "Resolved"},
                    {"at": format_instant(created + 500_000), "from": "Resolved", "to": "In Progress"}
                ]
            }))
            .unwrap()
        })
        .collect();
    let now = base + 600 * 7_919;
    for policy in [
        Policy::default_policy(),
        Policy::from_json(BUSINESS_HOURS_POLICY_JSON).unwrap(),
    ] {
        // Warm up: the calendar's year tables are built once, on first use.
        for t in &tickets {
            evaluate(&policy, t, now).unwrap();
        }
        let before = ALLOCS.load(Ordering::Relaxed);
        let mut breached = 0;
        for t in &tickets {
            let e = evaluate(&policy, t, now).unwrap();
            breached += usize::from(e.state == sla_lens::State::Breached);
        }
        let after = ALLOCS.load(Ordering::Relaxed);
        assert_eq!(
            after - before,
            0,
            "{} allocations for {} evaluations",
            after - before,
            tickets.len()
        );
        assert!(breached > 0, "the workload must reach real states");
    }
}
