//! Long histories: evaluation and the review report read a ticket's history a bounded number of
//! times (linear, not one replay per cycle), a cycle's figures from the one pass equal those of
//! replaying the ticket at that cycle's end (what the report did before), and a ticket carrying
//! more than `MAX_HISTORY` entries is an error for that ticket alone.

use proptest::prelude::*;
use serde_json::{json, Value};
use sla_lens::eval::{evaluate_observed, Observer};
use sla_lens::report::report;
use sla_lens::ticket::StatusChange;
use sla_lens::time::format_instant;
use sla_lens::{
    evaluate, evaluate_with_history, Instant, MetricEval, Policy, Reached, State, Ticket,
    BUSINESS_HOURS_POLICY_JSON, MAX_HISTORY,
};

#[path = "support/long_history.rs"]
mod long_history;
use long_history::{long_ticket as long_ticket_with, FLIP, PAUSE, START};

fn policies() -> [Policy; 2] {
    [
        Policy::default_policy(),
        Policy::from_json(BUSINESS_HOURS_POLICY_JSON).expect("the example policy"),
    ]
}

/// `n` changes 10 minutes apart, cycling through `cycle`, from In Progress, answered at once.
fn long_ticket(n: usize, cycle: &[&str]) -> Ticket {
    long_ticket_with(n, cycle, true)
}

/// History entries read by `f` (the `work-count` feature's counter).
#[cfg(feature = "work-count")]
fn entries_read(f: impl FnOnce()) -> u64 {
    sla_lens::eval::work::reset();
    f();
    sla_lens::eval::work::read()
}

#[cfg(feature = "work-count")]
#[test]
fn evaluation_and_report_read_a_long_history_a_bounded_number_of_times() {
    // Before the one-pass evaluation each cycle's clocks scanned the rest of the history for a
    // pause status, and the report replayed every earlier cycle by evaluating the ticket again
    // at its end: 2,000 changes were read millions of times.
    let n = 2_000;
    for policy in &policies() {
        for cycle in [FLIP, PAUSE] {
            let t = long_ticket(n, cycle);
            let now = START + 600 * (n as i64 + 10);
            let read = entries_read(|| {
                evaluate(policy, &t, now).expect("an evaluation");
            });
            assert!(
                read <= 20 * n as u64,
                "{}: evaluating read {read} history entries for {n} changes",
                policy.spec.id
            );
            let batch = [Ok(t.clone())];
            let read = entries_read(|| {
                let r = report(policy, &batch, Some(START - 86_400), Some(now + 1), now)
                    .expect("a report");
                assert_eq!(r.tickets.in_scope, 1);
            });
            assert!(
                read <= 20 * n as u64,
                "{}: the report read {read} history entries for {n} changes",
                policy.spec.id
            );
        }
    }
}

#[test]
fn a_hundred_thousand_changes_still_evaluate() {
    let t = long_ticket(100_000, FLIP);
    let now = START + 600 * 100_010;
    for policy in &policies() {
        let e = evaluate(policy, &t, now).expect("an evaluation");
        // The last change reopens: the 50,001st cycle runs, 100 minutes old.
        assert_eq!((e.response.cycles, e.resolution.cycles), (50_001, 50_001));
        assert_eq!(e.response.state, State::Running);
    }
}

fn many_changes(n: usize) -> Ticket {
    let mut t = long_ticket(0, FLIP);
    // Between two statuses that neither resolve nor pause: a single cycle, cheap to evaluate.
    t.history = (0..n)
        .map(|i| StatusChange {
            at: START + 1 + i as i64,
            from: None,
            to: if i % 2 == 0 { "Triaged" } else { "In Progress" }.into(),
        })
        .collect();
    t
}

#[test]
fn a_ticket_over_the_history_cap_is_an_error_for_that_ticket_only() {
    let policy = Policy::default_policy();
    let now = START + 86_400 * 30;
    let at_cap = many_changes(MAX_HISTORY - 1); // plus its one staff reply
    assert!(evaluate(&policy, &at_cap, now).is_ok());
    let over = many_changes(MAX_HISTORY);
    let e = evaluate(&policy, &over, now).expect_err("over the cap");
    assert_eq!(
        (e.code, e.path.as_str()),
        ("too-much-history", "statusHistory")
    );
    assert_eq!(e.id.as_deref(), Some("long"));
    assert!(
        e.message.contains("1000000 status changes"),
        "{}",
        e.message
    );
    // In a report it is listed as unreadable; the other ticket is counted.
    let mut ok = long_ticket(4, FLIP);
    ok.id = "ok".into();
    let r = report(
        &policy,
        &[Ok(over), Ok(ok)],
        Some(START - 86_400),
        Some(now),
        now,
    )
    .expect("a report");
    assert_eq!((r.tickets.unreadable, r.tickets.in_scope), (1, 1));
    assert_eq!(r.unreadable[0].code, "too-much-history");
}

// ---------------------------------------------------------------------------------------------
// The one pass equals the replay
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Cycles<'a> {
    cycles: Vec<[MetricEval; 2]>,
    reached: Vec<Reached<'a>>,
}

impl<'a> Observer<'a> for Cycles<'a> {
    fn reached(&mut self, r: Reached<'a>) {
        self.reached.push(r);
    }
    fn cycle(
        &mut self,
        _start: Instant,
        _end: Option<Instant>,
        response: &MetricEval,
        resolution: &MetricEval,
    ) {
        self.cycles.push([*response, *resolution]);
    }
}

/// What a finished cycle fixes and the report sums: its start and stop, the business time used,
/// the time paused, and its state (met or met late). (Its deadline, when after its end, is not:
/// it depends on how far the history is read.)
fn fixed(m: &MetricEval) -> (Option<i64>, Option<i64>, i64, i64, i64, State) {
    (
        m.start.map(|a| a.0),
        m.stopped_at.map(|a| a.0),
        m.elapsed,
        m.paused_seconds,
        m.paused_business_seconds,
        m.state,
    )
}

/// Random multi-cycle tickets: status changes (resolving, reopening, pausing, others) at random
/// gaps (some in the same second), staff replies, a priority.
fn ticket_value() -> impl Strategy<Value = Value> {
    let statuses = [
        "In Progress",
        "Resolved",
        "Waiting on customer",
        "Closed",
        "Feedback",
        "New",
    ];
    (
        0i64..200 * 86_400,
        proptest::collection::vec((0u64..6, 0i64..3 * 86_400), 0..40),
        proptest::collection::vec(0i64..60 * 86_400, 0..5),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(move |(created, changes, replies, prio, direct)| {
            let created = START + created;
            let mut at = created;
            let mut from = "New";
            let history: Vec<Value> = changes
                .iter()
                .map(|&(s, gap)| {
                    // A tenth of the changes in the same second as the one before.
                    at += if gap % 10 == 0 { 0 } else { gap };
                    let to = statuses[s as usize];
                    let c = json!({"at": format_instant(at), "from": from, "to": to});
                    from = to;
                    c
                })
                .collect();
            let priority = ["Urgent", "Normal", "Low"][prio];
            let mut v = json!({
                "id": "p", "created": format_instant(created),
                "fields": {"priority": priority, "requesterGroup": "Marketing"},
                "comments": replies.iter().map(|r| json!({"at": format_instant(created + r), "staff": true})).collect::<Vec<_>>(),
                "statusHistory": history
            });
            if direct {
                v["firstResponseAt"] = json!(format_instant(created + 3_600));
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Each earlier cycle's figures, as the one pass computes them, equal those of evaluating
    /// the ticket at that cycle's end (where it is the last cycle, its timeline cut there: how
    /// the report summed reopened tickets before); the escalation levels reached and
    /// `everBreached` are those the replays find; and the evaluation itself is unchanged by
    /// observing it.
    #[test]
    fn the_one_pass_equals_replaying_each_cycle(v in ticket_value(), later in 0i64..90 * 86_400) {
        let t = Ticket::from_value(&v).expect("a ticket");
        let now = t.created + later;
        for policy in &policies() {
            let mut seen = Cycles::default();
            let Ok(ev) = evaluate_observed(policy, &t, now, &mut seen) else { continue };
            prop_assert_eq!(ev, evaluate(policy, &t, now).expect("the same evaluation"));
            let (_, reached) = evaluate_with_history(policy, &t, now).expect("the same");
            prop_assert_eq!(&reached, &seen.reached);
            if seen.cycles.is_empty() {
                continue; // out of scope, no tier or no target
            }
            let last = seen.cycles.len() - 1;
            prop_assert_eq!(seen.cycles[last][0], ev.response);
            prop_assert_eq!(seen.cycles[last][1], ev.resolution);
            let mut expected_reached = Vec::new();
            let mut ever = [false, false];
            for (k, figures) in seen.cycles.iter().enumerate() {
                let cycle = k as u32 + 1;
                if k == last {
                    expected_reached.extend(reached.iter().filter(|r| r.cycle == cycle).copied());
                    continue;
                }
                let end = figures[1].stopped_at.expect("an earlier cycle has ended").0;
                let (replay, replay_reached) =
                    evaluate_with_history(policy, &t, end).expect("the replay evaluates");
                // The replay at `end` sees every later cycle that starts in that second too (a
                // ticket resolved and reopened several times within one second).
                let next_start = seen.cycles[k + 1][1].start.expect("a start").0;
                let seen_by_end = seen.cycles.iter().filter(|c| c[1].start.is_some_and(|s| s.0 <= end)).count();
                prop_assert_eq!(replay.response.cycles as usize, seen_by_end);
                if next_start == end {
                    expected_reached.extend(reached.iter().filter(|r| r.cycle == cycle).copied());
                } else {
                    prop_assert_eq!(fixed(&figures[0]), fixed(&replay.response));
                    prop_assert_eq!(fixed(&figures[1]), fixed(&replay.resolution));
                    expected_reached.extend(replay_reached.iter().filter(|r| r.cycle == cycle).copied());
                }
                for (i, f) in figures.iter().enumerate() {
                    ever[i] |= matches!(f.state, State::MetLate | State::Breached);
                }
            }
            prop_assert_eq!(&reached, &expected_reached);
            prop_assert_eq!(ev.response.ever_breached, ever[0] || matches!(ev.response.state, State::MetLate | State::Breached));
            prop_assert_eq!(ev.resolution.ever_breached, ever[1] || matches!(ev.resolution.state, State::MetLate | State::Breached));
        }
    }
}
