//! The review report (`sla-lens report`, `engine.report`) over generated exports with long status
//! histories.
//!
//! A small structured input expands into a canonical tickets export (JSON, read by
//! `Ticket::parse_batch` as the CLI reads one): each ticket's status-change pattern is repeated
//! up to `max_changes()` times in all, so a few bytes make an issue flipping In Progress ↔
//! Resolved hundreds of times — the shape of issue #13's item 7 (a report super-linear in one
//! ticket's history). Now and then a timestamp is garbled, so unreadable tickets are counted too. The
//! report is built for a period from the input (or the policy's default), rendered as JSON,
//! Markdown and CSV, and its ticket counts must add up.
//!
//! The cap is 5,000 changes per input (`SLA_LENS_FUZZ_MAX_CHANGES` sets another), where the
//! report before the one-pass evaluation (issue #13's item 7) took 57 s on one ticket; it had to
//! be 500 then: one ticket flipping 500, 1,000 and 2,000 times under the business-hours policy
//! took 0.04, 0.25 and 1.95 s in the native release CLI. The same 2,000 now take under a
//! millisecond, and 100,000 well under a second (BENCHMARKS.md, "One ticket with a long history").
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use sla_lens::report::report;
use sla_lens::Ticket;
use std::sync::OnceLock;

/// Status changes per export, over all tickets.
fn max_changes() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        std::env::var("SLA_LENS_FUZZ_MAX_CHANGES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000)
    })
}
/// 2026-05-01T00:00:00Z: tickets are created from a month before the default period on.
const BASE: i64 = 1_777_593_600;

const STATUSES: [&str; 8] = [
    "New",
    "In Progress",
    "Resolved",
    "Closed",
    "Waiting on customer",
    "Feedback",
    "Rejected",
    "Done",
];
const PRIORITIES: [&str; 5] = ["Normal", "Urgent", "Immediate", "Low", "P1"];
const CATEGORIES: [&str; 6] = [
    "Printer",
    "VPN",
    "Backup",
    "How-to",
    "General IT services",
    "",
];
const GROUPS: [&str; 3] = ["Marketing", "Sales", ""];
const LABELS: [&str; 6] = [
    "dept:marketing",
    "general-it",
    "priority:critical",
    "network",
    "backup",
    "support",
];

#[derive(Arbitrary, Debug)]
struct Change {
    /// Seconds after the previous change (or the creation).
    gap: u16,
    to: u8,
}

#[derive(Arbitrary, Debug)]
struct Comment {
    after: u32,
    staff: bool,
}

#[derive(Arbitrary, Debug)]
struct Issue {
    /// Seconds after `BASE` (up to about 14 months).
    created: u32,
    priority: u8,
    category: u8,
    group: u8,
    labels: u8,
    /// The change pattern, and how often it repeats.
    pattern: Vec<Change>,
    repeat: u16,
    comments: Vec<Comment>,
    first_response: Option<u32>,
    /// Some(n): the n-th timestamp of this ticket is garbled.
    garble: Option<u8>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    business_hours: bool,
    /// Days after `BASE`, for the period's ends and the evaluation instant.
    from: Option<u16>,
    to: Option<u16>,
    now: u16,
    issues: Vec<Issue>,
}

fn stamp(t: i64, garbled: bool) -> Value {
    if garbled {
        json!("2026-13-45T99:00:00Z")
    } else {
        json!(t * 1000)
    }
}

fn ticket(n: usize, issue: &Issue, budget: &mut usize) -> Value {
    let created = BASE + i64::from(issue.created % (430 * 86_400));
    let garble = issue.garble.map(usize::from);
    let mut k = 0usize;
    let mut next = |t: i64| {
        k += 1;
        stamp(t, garble == Some(k))
    };
    let mut history = Vec::new();
    let mut status = "New";
    let mut t = created;
    if !issue.pattern.is_empty() {
        let len = issue.pattern.len().min(16);
        let rounds = (usize::from(issue.repeat) + 1).min(*budget / len);
        for change in issue.pattern.iter().take(len).cycle().take(rounds * len) {
            t += i64::from(change.gap);
            let to = STATUSES[usize::from(change.to) % STATUSES.len()];
            history.push(json!({ "at": next(t), "from": status, "to": to }));
            status = to;
        }
        *budget -= rounds * len;
    }
    let comments: Vec<Value> = issue
        .comments
        .iter()
        .take(8)
        .map(|c| {
            json!({ "at": next(created + i64::from(c.after % (90 * 86_400))), "author": "sam", "staff": c.staff })
        })
        .collect();
    let labels: Vec<&str> = LABELS
        .iter()
        .enumerate()
        .filter(|(i, _)| issue.labels >> i & 1 == 1)
        .map(|(_, l)| *l)
        .collect();
    let mut t = json!({
        "id": format!("T{n}"),
        "created": next(created),
        "fields": {
            "priority": PRIORITIES[usize::from(issue.priority) % PRIORITIES.len()],
            "category": CATEGORIES[usize::from(issue.category) % CATEGORIES.len()],
            "requesterGroup": GROUPS[usize::from(issue.group) % GROUPS.len()],
        },
        "labels": labels,
        "status": status,
        "statusHistory": history,
        "comments": comments,
    });
    if let Some(r) = issue.first_response {
        t["firstResponseAt"] = next(created + i64::from(r % (30 * 86_400)));
    }
    t
}

fuzz_target!(|input: Input| {
    let mut budget = max_changes();
    let export: Vec<Value> = input
        .issues
        .iter()
        .take(64)
        .enumerate()
        .map(|(n, issue)| ticket(n, issue, &mut budget))
        .collect();
    let Ok(text) = serde_json::to_string(&export) else {
        return;
    };
    let Ok(batch) = Ticket::parse_batch(&text) else {
        return;
    };
    let policy = &sla_lens_fuzz::policies()[usize::from(input.business_hours)];
    let day = |d: u16| BASE + i64::from(d % 800) * 86_400;
    let now = day(input.now);
    let Ok(r) = report(policy, &batch, input.from.map(day), input.to.map(day), now) else {
        return;
    };
    let c = &r.tickets;
    assert_eq!(c.read, batch.len() as u64, "every ticket given is read");
    assert_eq!(
        c.read,
        c.unreadable + c.before_period + c.after_period + c.in_period,
        "each ticket is unreadable, before, after or in the period: {c:?}"
    );
    assert_eq!(c.in_period, c.in_scope + c.out_of_scope, "{c:?}");
    let _ = serde_json::to_string(&r);
    let _ = r.markdown();
    let _ = r.cells_csv();
});
