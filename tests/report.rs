//! The review report against hand-computed fixtures (`tests/fixtures/report/`): every figure of
//! a small seed-policy export, an empty period, all-paused tickets, reopened tickets,
//! out-of-scope tickets, percentiles of a few samples and a month boundary in Europe/Berlin; the
//! CLI's JSON and Markdown; and a property test of the counts' invariants.
//!
//! The expected values were worked out by hand from `DESIGN.md` ("Review report"), in comments
//! beside each assertion.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use sla_lens::policy::MetricKind::{self, Resolution, Response};
use sla_lens::report::{self, day_start, Cell, PeriodSource, Report, Times};
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::format_instant;
use sla_lens::{Policy, State, Ticket, TicketError, BUSINESS_HOURS_POLICY_JSON};
use std::path::Path;

fn t(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).unwrap()
}

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn batch(name: &str) -> Vec<Result<Ticket, TicketError>> {
    Ticket::parse_batch(&fixture(name)).unwrap()
}

fn business_hours() -> Policy {
    Policy::from_json(BUSINESS_HOURS_POLICY_JSON).unwrap()
}

fn cell<'r>(
    r: &'r Report,
    metric: MetricKind,
    month: Option<&str>,
    priority: Option<&str>,
    category: Option<&str>,
) -> &'r Cell {
    r.cell(metric, month, priority, category)
        .unwrap_or_else(|| panic!("no cell {metric:?} {month:?} {priority:?} {category:?}"))
}

/// (inScope, met, metLate, breached, open, untargeted)
fn counts(c: &Cell) -> (u64, u64, u64, u64, u64, u64) {
    (
        c.in_scope,
        c.met,
        c.met_late,
        c.breached,
        c.open,
        c.untargeted,
    )
}

fn times(count: u64, median: i64, p90: i64) -> Times {
    Times {
        count,
        median: Some(median),
        p90: Some(p90),
    }
}

const H: i64 = 3600;

/// The seed fixture over June and July 2026, reported on 15 August (so evaluated at 1 August).
fn seed_report() -> Report {
    let p = Policy::default_policy();
    report::report(
        &p,
        &batch("seed.json"),
        Some(t("2026-06-01T00:00:00Z")),
        Some(t("2026-08-01T00:00:00Z")),
        t("2026-08-15T00:00:00Z"),
    )
    .unwrap()
}

#[test]
fn seed_period_and_banner() {
    let r = seed_report();
    assert_eq!(r.policy.id, "it-marketing-internal-sla");
    let p = &r.period;
    assert_eq!(format_instant(p.from.0), "2026-06-01T00:00:00Z");
    assert_eq!(format_instant(p.to.0), "2026-08-01T00:00:00Z");
    assert_eq!(
        (p.first_day.to_string(), p.last_day.to_string()),
        ("2026-06-01".into(), "2026-07-31".into())
    );
    assert_eq!(p.zone, "UTC"); // every target is on 24x7
    assert_eq!(p.source, PeriodSource::Given);
    // now is after the period: evaluated at its end, so e's reply on 1 August does not count.
    assert_eq!(format_instant(p.evaluated_at.0), "2026-08-01T00:00:00Z");
    assert_eq!(r.months, ["2026-06", "2026-07"]);
    // No last review: counted from the effective date 2026-06-01; 15 Aug → 1 Dec is 108 days.
    let b = r.review.as_ref().unwrap();
    assert_eq!(b.next_review.to_string(), "2026-12-01");
    assert_eq!((b.overdue, b.days_until), (false, 108));
    let levels: Vec<(u32, &str, MetricKind)> = r
        .levels
        .iter()
        .map(|l| (l.level, l.role.as_str(), l.metric))
        .collect();
    assert_eq!(
        levels,
        [
            (1, "IT manager", Response),
            (2, "Marketing department head", Response)
        ]
    );
    assert_eq!(
        r.metrics.iter().map(|m| m.targeted).collect::<Vec<_>>(),
        [true, false]
    );
}

#[test]
fn seed_ticket_accounting_and_scope() {
    let r = seed_report();
    let c = &r.tickets;
    // 13 tickets: i before, j after (the end is exclusive), k unreadable, 10 in the period.
    assert_eq!(
        (c.read, c.unreadable, c.before_period, c.after_period),
        (13, 1, 1, 1)
    );
    assert_eq!((c.in_period, c.in_scope, c.out_of_scope), (10, 7, 3));
    assert_eq!(r.unreadable.len(), 1);
    let u = &r.unreadable[0];
    assert_eq!(
        (u.id.as_deref(), u.code, u.path.as_str()),
        (Some("k"), "missing-created", "[10].created")
    );
    // Out of scope: f (Sales, not included), g (label general-it, exclude[0]), h (category
    // General IT services, exclude[1]).
    let rows: Vec<_> = r
        .scope
        .iter()
        .map(|s| {
            (
                s.month.as_deref(),
                s.created,
                s.in_scope,
                s.out_of_scope,
                s.not_included,
                s.excluded,
                s.no_priority,
                s.no_target,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (None, 10, 7, 3, 1, 2, 0, 0),
            (Some("2026-06"), 5, 4, 1, 0, 1, 0, 0), // a b c h r2
            (Some("2026-07"), 5, 3, 2, 1, 1, 0, 0), // d e f g r
        ]
    );
    let ex: Vec<_> = r
        .excluded_by
        .iter()
        .map(|e| (e.rule.as_str(), e.count))
        .collect();
    assert_eq!(ex, [("scope.exclude[0]", 1), ("scope.exclude[1]", 1)]);
}

#[test]
fn seed_response_figures() {
    let r = seed_report();
    // a met (1h of 4h); b met late (6h of 4h); c met (6h of 24h); d breached (no reply);
    // e open (its reply comes after the period); r met late in its second cycle (2h, then 48h
    // of 24h); r2 missed in its first cycle (5h of 4h), met in its second (1h): met late.
    let all = cell(&r, Response, None, None, None);
    assert_eq!(counts(all), (7, 2, 3, 1, 1, 0));
    assert_eq!(all.met_percent, Some(200.0 / 6.0)); // 2 / (2 + 3 + 1)
                                                    // Stopped: a 1h, b 6h, c 6h, r 2h + 48h, r2 5h + 1h; sorted 1 6 6 6 50:
                                                    // median rank ⌈0.5·5⌉ = 3 → 6h, p90 rank ⌈0.9·5⌉ = 5 → 50h. 24x7: wall = business.
    assert_eq!(all.business, times(5, 6 * H, 50 * H));
    assert_eq!(all.wall, all.business);
    // L1 at each deadline while unresolved: b, d, r (cycle 2), r2 (cycle 1); a and c resolved
    // exactly at their deadline, which is not "still unresolved". L2 one target later: b, d.
    let esc: Vec<(u32, u64)> = all
        .escalations
        .iter()
        .map(|e| (e.level, e.reached))
        .collect();
    assert_eq!(esc, [(1, 4), (2, 2)]);
    assert_eq!(
        (
            all.paused.tickets,
            all.paused.total_seconds,
            all.paused.median_seconds
        ),
        (0, 0, None)
    );

    let crit = cell(&r, Response, None, Some("critical"), None); // a b r2
    assert_eq!(counts(crit), (3, 1, 2, 0, 0, 0));
    assert_eq!(crit.met_percent, Some(100.0 / 3.0));
    assert_eq!(crit.business, times(3, 6 * H, 6 * H)); // 1 6 6: ranks 2 and 3
    let esc: Vec<u64> = crit.escalations.iter().map(|e| e.reached).collect();
    assert_eq!(esc, [2, 1]);

    let normal = cell(&r, Response, None, Some("normal"), None); // c d e r
    assert_eq!(counts(normal), (4, 1, 1, 1, 1, 0));
    assert_eq!(normal.met_percent, Some(100.0 / 3.0)); // 1 / (1 + 1 + 1)
    assert_eq!(normal.business, times(2, 6 * H, 50 * H)); // 6 50: ranks 1 and 2
    let esc: Vec<u64> = normal.escalations.iter().map(|e| e.reached).collect();
    assert_eq!(esc, [2, 1]);

    let june = cell(&r, Response, Some("2026-06"), None, None); // a b c r2
    assert_eq!(counts(june), (4, 2, 2, 0, 0, 0));
    assert_eq!(june.met_percent, Some(50.0));
    assert_eq!(june.business, times(4, 6 * H, 6 * H)); // 1 6 6 6: ranks 2 and 4
    let july = cell(&r, Response, Some("2026-07"), None, None); // d e r
    assert_eq!(counts(july), (3, 0, 1, 1, 1, 0));
    assert_eq!(july.met_percent, Some(0.0));
    assert_eq!(july.business, times(1, 50 * H, 50 * H));

    // Categories: a (Network) and e (VPN) are network.
    let net = cell(&r, Response, None, None, Some("network"));
    assert_eq!(counts(net), (2, 1, 0, 0, 1, 0));
    assert_eq!(net.met_percent, Some(100.0));
    let hw = cell(&r, Response, None, None, Some("hardware-software")); // b r r2
    assert_eq!(counts(hw), (3, 0, 3, 0, 0, 0));
    assert_eq!(hw.met_percent, Some(0.0));
    let other = cell(&r, Response, None, None, Some("other"));
    assert_eq!(counts(other), (0, 0, 0, 0, 0, 0));
    assert_eq!((other.met_percent, other.business.median), (None, None));
    let cell3 = cell(
        &r,
        Response,
        Some("2026-07"),
        Some("normal"),
        Some("backup-recovery"),
    ); // d
    assert_eq!(counts(cell3), (1, 0, 0, 1, 0, 0));
    assert_eq!(cell3.business, Times::default());
    // Every category matched a tier, so there is no "" (uncategorised) cell.
    assert!(r.cell(Response, None, None, Some("")).is_none());
    // 2 metrics × (period + 2 months) × (all + 2 priorities) × (all + 5 categories).
    assert_eq!(r.cells.len(), 2 * 3 * 3 * 6);
}

#[test]
fn seed_response_time_distribution() {
    let r = seed_report();
    let d = &r.distribution;
    assert_eq!(d.bounds, report::RESPONSE_BUCKETS);
    // Responded by the evaluation instant, latest cycle: critical a 1h, b 6h, r2 1h (its second
    // cycle); normal c 6h, r 48h (its second cycle). d has no reply, e's comes after the period.
    // Buckets: 1h is in 1–2h (index 3), 6h in 4–8h (5), 48h is not under 48h: ≥ 2d (8).
    let row = |id: &str| &d.counts[r.priorities.iter().position(|p| p.id == id).unwrap()];
    assert_eq!(row("critical"), &[0, 0, 0, 2, 0, 1, 0, 0, 0]);
    assert_eq!(row("normal"), &[0, 0, 0, 0, 0, 1, 0, 0, 1]);
    assert_eq!(d.total, 5);
    assert_eq!(
        d.targets
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [("critical", 4 * H), ("normal", 24 * H)]
    );
    // An empty period counts nothing, one row of zeros per priority.
    let empty = report::report(
        &Policy::default_policy(),
        &[],
        None,
        None,
        t("2026-06-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(empty.distribution.counts, vec![vec![0; 9]; 2]);
    assert_eq!(empty.distribution.total, 0);
    assert!(empty.distribution.targets.is_empty());
}

#[test]
fn seed_resolution_is_measured_not_judged() {
    let r = seed_report();
    let all = cell(&r, Resolution, None, None, None);
    // No target sets resolution in the seed: every in-scope ticket is untargeted.
    assert_eq!(counts(all), (0, 0, 0, 0, 0, 7));
    assert_eq!(all.met_percent, None);
    // Resolved: a 4h, b 24h, c 24h, r 10h + 48h, r2 6h + 3h; d and e are open.
    // Sorted 4 9 24 24 58: median rank 3 → 24h, p90 rank 5 → 58h.
    assert_eq!(all.business, times(5, 24 * H, 58 * H));
    assert!(all.escalations.is_empty()); // no level triggers on resolution
}

#[test]
fn seed_breaches_with_escalation_history() {
    let r = seed_report();
    type Row<'a> = (&'a str, State, u32, Vec<(u32, u32, String)>);
    let got: Vec<Row> = r
        .breaches
        .iter()
        .map(|b| {
            (
                b.id.as_str(),
                b.state,
                b.cycles,
                b.escalations
                    .iter()
                    .map(|e| (e.cycle, e.level, format_instant(e.at.0)))
                    .collect(),
            )
        })
        .collect();
    let e = |c: u32, l: u32, at: &str| (c, l, at.to_string());
    assert_eq!(
        got,
        [
            (
                "r2",
                State::MetLate,
                2,
                vec![e(1, 1, "2026-06-01T04:00:00Z")]
            ),
            (
                "b",
                State::MetLate,
                1,
                vec![
                    e(1, 1, "2026-06-20T14:00:00Z"),
                    e(1, 2, "2026-06-20T18:00:00Z")
                ]
            ),
            (
                "d",
                State::Breached,
                1,
                vec![
                    e(1, 1, "2026-07-06T00:00:00Z"),
                    e(1, 2, "2026-07-07T00:00:00Z")
                ]
            ),
            // The second cycle's L2 falls at its resolution: not reached.
            (
                "r",
                State::MetLate,
                2,
                vec![e(2, 1, "2026-07-21T00:00:00Z")]
            ),
        ]
    );
    let b = &r.breaches[1];
    assert_eq!(
        (b.priority.as_str(), b.category.as_deref(), b.month.as_str()),
        ("critical", Some("hardware-software"), "2026-06")
    );
    assert_eq!((b.target, b.elapsed), (4 * H, 6 * H));
    assert_eq!(b.title.as_deref(), Some("Laptop does not boot"));
    // r2's current cycle was met: the breach row shows that cycle (deadline 04:00, reply 01:00).
    let r2 = &r.breaches[0];
    assert_eq!(
        r2.deadline.map(|d| format_instant(d.0)).as_deref(),
        Some("2026-06-02T04:00:00Z")
    );
    assert_eq!(
        r2.stopped_at.map(|d| format_instant(d.0)).as_deref(),
        Some("2026-06-02T01:00:00Z")
    );
}

#[test]
fn default_period_is_since_the_last_review() {
    let p = Policy::default_policy();
    let r = report::report(
        &p,
        &batch("seed.json"),
        None,
        None,
        t("2026-11-27T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.period.source, PeriodSource::Review);
    assert_eq!(
        (
            r.period.first_day.to_string(),
            r.period.last_day.to_string()
        ),
        ("2026-06-01".into(), "2026-11-30".into())
    );
    assert_eq!(format_instant(r.period.to.0), "2026-12-01T00:00:00Z");
    // now is before the period's end: evaluated at now; j and e are now in the period.
    assert_eq!(
        format_instant(r.period.evaluated_at.0),
        "2026-11-27T12:00:00Z"
    );
    assert_eq!(r.months.len(), 6);
    assert_eq!((r.tickets.in_period, r.tickets.before_period), (11, 1));
    // e's reply (1 August 02:00) is now known: 6h of 24h, met.
    assert_eq!(counts(cell(&r, Response, None, None, None)).1, 3);
    // One end given: the review interval from it.
    let r = report::report(
        &p,
        &[],
        Some(t("2026-03-01T00:00:00Z")),
        None,
        t("2026-11-27T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.period.last_day.to_string(), "2026-08-31");
    let r = report::report(
        &p,
        &[],
        None,
        Some(t("2026-03-01T00:00:00Z")),
        t("2026-11-27T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.period.first_day.to_string(), "2025-09-01");
}

#[test]
fn a_policy_without_review_reports_the_six_months_before_now() {
    let mut v: Value = serde_json::from_str(sla_lens::DEFAULT_POLICY_JSON).unwrap();
    v.as_object_mut().unwrap().remove("review");
    let p = Policy::from_json(&v.to_string()).unwrap();
    let r = report::report(&p, &[], None, None, t("2026-11-27T12:00:00Z")).unwrap();
    assert_eq!(r.period.source, PeriodSource::BeforeNow);
    assert_eq!(format_instant(r.period.from.0), "2026-05-27T12:00:00Z");
    assert_eq!(format_instant(r.period.to.0), "2026-11-27T12:00:00Z");
    assert!(r.review.is_none());
    assert!(r.markdown().contains("The policy sets no review cadence."));
}

#[test]
fn an_empty_or_inverted_period() {
    let p = Policy::default_policy();
    let r = report::report(
        &p,
        &batch("seed.json"),
        Some(t("2025-01-01T00:00:00Z")),
        Some(t("2025-02-01T00:00:00Z")),
        t("2026-08-15T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.months, ["2025-01"]);
    assert_eq!((r.tickets.in_period, r.tickets.after_period), (0, 12));
    for c in &r.cells {
        assert_eq!(counts(c), (0, 0, 0, 0, 0, 0));
        assert_eq!(c.met_percent, None);
        assert_eq!((c.business, c.wall), (Times::default(), Times::default()));
        assert_eq!(c.paused.median_seconds, None);
    }
    assert!(r.breaches.is_empty());
    // Absent figures are null, never NaN.
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("NaN"));
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["cells"][0]["metPercent"], Value::Null);
    assert_eq!(v["cells"][0]["business"]["median"], Value::Null);
    let md = r.markdown();
    assert!(md.contains("No ticket missed its target in the period."));
    assert!(!md.contains("NaN"));

    let err = report::report(
        &p,
        &[],
        Some(t("2026-02-01T00:00:00Z")),
        Some(t("2026-02-01T00:00:00Z")),
        0,
    )
    .unwrap_err();
    assert_eq!(err.code, "empty-period");
    insta::assert_snapshot!(err, @"empty-period: the period starts at 2026-02-01T00:00:00Z and ends at 2026-02-01T00:00:00Z, so it holds no time: give a start before the end");
    let err = report::report(
        &p,
        &[],
        Some(t("2000-01-01T00:00:00Z")),
        Some(t("2026-01-01T00:00:00Z")),
        0,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"period-too-long: the period spans more than 120 months: report on at most ten years at a time");
}

#[test]
fn all_paused_tickets() {
    // Business hours (Berlin, Mon–Fri 09–17); resolution paused while "Waiting on customer".
    // Both tickets wait on the customer from creation; reported on Tue 15 Sep 09:00 Berlin.
    let p = business_hours();
    let r = report::report(
        &p,
        &batch("paused.json"),
        Some(t("2026-09-01T00:00:00+02:00")),
        Some(t("2026-10-01T00:00:00+02:00")),
        t("2026-09-15T07:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.period.zone, "Europe/Berlin");
    assert_eq!(r.months, ["2026-09"]);
    let res = cell(&r, Resolution, None, None, None);
    // Both open (paused): nothing decided, nothing stopped.
    assert_eq!(counts(res), (2, 0, 0, 0, 2, 0));
    assert_eq!(res.met_percent, None);
    assert_eq!(res.business, Times::default());
    // p1 paused Mon 09:00 → Tue 09:00 (24h wall, 8h business); p2 Mon 10:00 → Tue 09:00 (23h
    // wall, 7h business). Median of 23h and 24h: rank 1 → 23h.
    let pz = res.paused;
    assert_eq!(
        (
            pz.tickets,
            pz.total_seconds,
            pz.median_seconds,
            pz.total_business_seconds
        ),
        (2, 47 * H, Some(23 * H), 15 * H)
    );
    // Response is not paused: p1 replied after 1h (met), p2 at risk (7h of 8h used): open.
    let resp = cell(&r, Response, None, None, None);
    assert_eq!(counts(resp), (2, 1, 0, 0, 1, 0));
    assert_eq!(resp.met_percent, Some(100.0));
    assert_eq!(resp.business, times(1, H, H));
    assert_eq!(resp.wall, times(1, H, H));
    assert_eq!(resp.paused.tickets, 0);
    let esc: Vec<(u32, u64)> = resp
        .escalations
        .iter()
        .map(|e| (e.level, e.reached))
        .collect();
    assert_eq!(esc, [(1, 0)]);
    let esc: Vec<(u32, u64)> = res
        .escalations
        .iter()
        .map(|e| (e.level, e.reached))
        .collect();
    assert_eq!(esc, [(2, 0)]);
    assert!(r.breaches.is_empty());
    let net = cell(&r, Resolution, None, Some("normal"), Some("network")); // p1
    assert_eq!(
        (net.paused.total_seconds, net.paused.total_business_seconds),
        (24 * H, 8 * H)
    );
}

#[test]
fn month_boundaries_in_berlin() {
    // The business-hours policy counts months in Europe/Berlin: 1 October begins at
    // 2026-09-30T22:00Z (CEST), 1 November at 2026-10-31T23:00Z (CET, after the fall-back).
    let p = business_hours();
    let tz = report::zone(&p);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let from = day_start(tz, d("2026-09-01"));
    let to = day_start(tz, d("2026-11-01"));
    assert_eq!(format_instant(from), "2026-08-31T22:00:00Z");
    assert_eq!(format_instant(to), "2026-10-31T23:00:00Z");
    let r = report::report(
        &p,
        &batch("berlin-months.json"),
        Some(from),
        Some(to),
        t("2026-12-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(r.months, ["2026-09", "2026-10"]);
    assert_eq!(
        (
            r.period.first_day.to_string(),
            r.period.last_day.to_string()
        ),
        ("2026-09-01".into(), "2026-10-31".into())
    );
    assert_eq!(
        (
            r.tickets.before_period,
            r.tickets.in_period,
            r.tickets.after_period
        ),
        (1, 4, 1)
    );
    let created: Vec<(Option<&str>, u64)> = r
        .scope
        .iter()
        .map(|s| (s.month.as_deref(), s.created))
        .collect();
    assert_eq!(
        created,
        [(None, 4), (Some("2026-09"), 2), (Some("2026-10"), 2)]
    );
    // No replies, evaluated at the end of October. September's two and oct-first (Thu 1 Oct
    // 00:00, due 17:00) are breached; oct-last (Sat 31 Oct 23:59:59, due Mon 2 Nov 17:00) is
    // open.
    let sep = cell(&r, Response, Some("2026-09"), None, None);
    assert_eq!(counts(sep), (2, 0, 0, 2, 0, 0));
    let oct = cell(&r, Response, Some("2026-10"), None, None);
    assert_eq!(counts(oct), (2, 0, 0, 1, 1, 0));
    // Resolution (40h) is missed by the same three: created by 1 October, due by 7 October.
    let rows: Vec<(&str, &str, MetricKind)> = r
        .breaches
        .iter()
        .map(|b| (b.id.as_str(), b.month.as_str(), b.metric))
        .collect();
    assert_eq!(
        rows,
        [
            ("sep-first", "2026-09", Response),
            ("sep-first", "2026-09", Resolution),
            ("sep-last", "2026-09", Response),
            ("sep-last", "2026-09", Resolution),
            ("oct-first", "2026-10", Response),
            ("oct-first", "2026-10", Resolution),
        ]
    );
}

/// A met normal ticket answered after `hours`.
fn answered(id: usize, hours: i64) -> Result<Ticket, TicketError> {
    let created = t("2026-07-01T00:00:00Z") + id as i64 * 60;
    Ticket::from_value(&json!({
        "id": id.to_string(), "created": format_instant(created),
        "fields": {"requesterGroup": "Marketing"},
        "comments": [{"at": format_instant(created + hours * H), "staff": true}]
    }))
}

#[test]
fn nearest_rank_percentiles_of_few_samples() {
    let p = Policy::default_policy();
    let stats = |hours: &[i64]| {
        let tickets: Vec<_> = hours
            .iter()
            .enumerate()
            .map(|(i, &h)| answered(i, h))
            .collect();
        let r = report::report(
            &p,
            &tickets,
            Some(t("2026-07-01T00:00:00Z")),
            Some(t("2026-08-01T00:00:00Z")),
            t("2026-09-01T00:00:00Z"),
        )
        .unwrap();
        let b = cell(&r, Response, None, None, None).business;
        (b.count, b.median.map(|s| s / H), b.p90.map(|s| s / H))
    };
    // rank = ⌈p/100 · n⌉: one sample is its own median and p90.
    assert_eq!(stats(&[7]), (1, Some(7), Some(7)));
    // n = 2: median rank 1 (the lower), p90 rank 2.
    assert_eq!(stats(&[9, 3]), (2, Some(3), Some(9)));
    // n = 3: ranks 2 and 3.
    assert_eq!(stats(&[5, 1, 3]), (3, Some(3), Some(5)));
    // n = 10: ranks 5 and 9 — the p90 is not the maximum.
    assert_eq!(
        stats(&[10, 1, 9, 2, 8, 3, 7, 4, 6, 5]),
        (10, Some(5), Some(9))
    );
    // n = 11: ranks 6 and 10.
    assert_eq!(
        stats(&[11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6]),
        (11, Some(6), Some(10))
    );
    // Ties.
    assert_eq!(stats(&[2, 2, 2, 20]), (4, Some(2), Some(20)));
}

#[test]
fn markdown_tables() {
    let md = seed_report().markdown();
    for line in [
        "# SLA review report: IT ↔ Marketing internal SLA",
        "> **Next review: 2026-12-01** (in 108 days); reviewed every 6 months, last on 2026-06-01.",
        "| Read | 13 |",
        "| **Period** | 10 | 7 | 3 | 1 | 2 | 0 | 0 |",
        "| **All** | **All** | 7 | 2 | 3 | 1 | 1 | 33.3 % | 6h | 50h | 6h | 2d 2h | 4 | 2 | – |",
        "| 2026-07 | Normal | 3 | 0 | 1 | 1 | 1 | 0.0 % | 50h | 50h | 2d 2h | 2d 2h | 2 | 1 | – |",
        "| **All** | **All** | 7 | 24h | 58h | 1d | 2d 10h | – |",
        "## Breaches (4)",
        "| r | Photoshop crashes on export | 2026-07-10 00:00 | Normal | Hardware and software | response | met late | 24h | 2026-07-21 00:00 | 2026-07-22 00:00 | 2 | L1 IT manager 2026-07-21 00:00 (cycle 2) |",
        "| `[10].created` | k | `missing-created` |",
    ] {
        assert!(md.contains(line), "missing {line:?} in:\n{md}");
    }
}

#[test]
fn csv_of_every_cell() {
    let r = seed_report();
    let csv = r.cells_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + r.cells.len());
    assert_eq!(
        lines[0],
        "metric,month,priority,category,inScope,met,metLate,breached,open,unknown,untargeted,\
         metPercent,\
         businessCount,businessMedian,businessP90,wallCount,wallMedian,wallP90,level1,level2,\
         pausedTickets,pausedTotalSeconds,pausedMedianSeconds,pausedTotalBusinessSeconds"
    );
    // The whole period, all priorities, all categories (see seed_response_figures).
    assert_eq!(
        lines[1],
        "response,,,,7,2,3,1,1,0,0,33.333333333333336,5,21600,180000,5,21600,180000,4,2,0,0,,0"
    );
    // A resolution cell: no level triggers on resolution, no met %.
    let res = lines
        .iter()
        .find(|l| l.starts_with("resolution,,,,"))
        .unwrap();
    assert_eq!(
        *res,
        "resolution,,,,0,0,0,0,0,0,7,,5,86400,208800,5,86400,208800,,,0,0,,0"
    );
}

#[test]
fn csv_fields_never_start_a_formula() {
    use sla_lens::report::csv_field;
    // OWASP: = + - @ tab CR at the start → a leading ' and quotes; the table is shared with the
    // JS writer's test (tests/js/board-model.test.mjs).
    let table: Value = serde_json::from_str(include_str!("hostile/csv-fields.json")).unwrap();
    for case in table["cases"].as_array().unwrap() {
        let (raw, out) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        assert_eq!(csv_field(raw), out, "{raw:?}");
    }
    // In the cells CSV: policy ids as cells are neutralised, figures stay numbers.
    let mut r = seed_report();
    r.cells[0].priority = Some("=1+1".into());
    r.cells[0].category = Some("@cmd".into());
    let csv = r.cells_csv();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("response,,\"'=1+1\",\"'@cmd\",7,2,3,1,1,0,"),
        "{csv}"
    );
}

#[cfg(feature = "cli")]
#[test]
fn cli_json_and_markdown_match_the_library() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/seed.json");
    let run = |format: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_sla-lens"))
            .args([
                "report",
                "--from",
                "2026-06-01",
                "--to",
                "2026-07-31",
                "--now",
                "2026-08-15T00:00:00Z",
                "--format",
                format,
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let r = seed_report();
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json, serde_json::to_value(&r).unwrap());
    assert_eq!(json["cells"][0]["metPercent"], json!(200.0 / 6.0));
    assert_eq!(json["tickets"]["inScope"], 7);
    assert_eq!(run("markdown"), r.markdown());
    assert_eq!(run("csv"), r.cells_csv());
    // A bad period is refused with the reason.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sla-lens"))
        .args(["report", "--from", "2026-07-01", "--to", "2026-06-30"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("empty-period"));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const DAY: i64 = 86_400;
const BASE: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

prop_compose! {
    fn ticket_json(id: usize)(
        created in 0..(330 * DAY),
        group in prop::sample::select(vec!["Marketing", "Marketing", "Marketing", "Sales"]),
        priority in prop::sample::select(vec!["Urgent", "Normal", "Low"]),
        category in prop::sample::select(vec!["Network", "Printer", "Backup", "Training", "", "General IT services"]),
        reply in prop::option::of(0..(3 * DAY)),
        pause in prop::option::of((0..DAY, 0..(4 * DAY))),
        resolve in prop::option::of(0..(10 * DAY)),
        reopen in prop::option::of((0..(5 * DAY), prop::option::of(0..(5 * DAY)))),
    ) -> Value {
        let c = BASE + created;
        let at = |d: i64| format_instant(c + d);
        let mut history = vec![];
        let mut status = "New";
        if let Some((a, len)) = pause {
            history.push(json!({"at": at(a), "from": status, "to": "Waiting on customer"}));
            history.push(json!({"at": at(a + len), "from": "Waiting on customer", "to": "In Progress"}));
            status = "In Progress";
        }
        if let Some(r) = resolve {
            let r = r + pause.map_or(0, |(a, l)| a + l);
            history.push(json!({"at": at(r), "from": status, "to": "Resolved"}));
            if let Some((o, again)) = reopen {
                history.push(json!({"at": at(r + 1 + o), "from": "Resolved", "to": "In Progress"}));
                if let Some(g) = again {
                    history.push(json!({"at": at(r + 2 + o + g), "from": "In Progress", "to": "Closed"}));
                }
            }
        }
        let mut comments = vec![];
        if let Some(r) = reply {
            comments.push(json!({"at": at(r), "staff": true}));
        }
        json!({
            "id": id.to_string(), "created": format_instant(c),
            "fields": {"requesterGroup": group, "priority": priority, "category": category},
            "statusHistory": history, "comments": comments
        })
    }
}

fn tickets_json() -> impl Strategy<Value = Vec<Value>> {
    (0usize..40).prop_flat_map(|n| (0..n).map(ticket_json).collect::<Vec<_>>())
}

fn check_invariants(r: &Report) {
    for c in &r.cells {
        assert_eq!(
            c.met + c.met_late + c.breached + c.open,
            c.in_scope,
            "{c:?}"
        );
        let decided = c.met + c.met_late + c.breached;
        match c.met_percent {
            None => assert_eq!(decided, 0),
            Some(p) => assert!((0.0..=100.0).contains(&p), "{p}"),
        }
        for s in [c.business, c.wall] {
            assert!(s.count <= c.in_scope + c.untargeted);
            assert_eq!(s.median.is_some(), s.count > 0);
            assert!(s.median <= s.p90);
            assert!(s.median.is_none_or(|m| m >= 0));
        }
        assert!(c.paused.tickets <= c.in_scope + c.untargeted);
        assert!(c.paused.total_seconds >= 0);
    }
    // Each in-scope ticket counts once per metric in the whole-period, all-tier cell, and
    // the months add up to the period.
    for m in [Response, Resolution] {
        let all = cell(r, m, None, None, None);
        assert_eq!(all.in_scope + all.untargeted, r.tickets.in_scope);
        let months: u64 = r
            .months
            .iter()
            .map(|mo| cell(r, m, Some(mo), None, None).in_scope)
            .sum();
        assert_eq!(months, all.in_scope);
        let prios: u64 = r
            .priorities
            .iter()
            .map(|p| cell(r, m, None, Some(&p.id), None).met)
            .sum();
        assert_eq!(prios, all.met);
    }
    let t = &r.tickets;
    assert_eq!(
        t.read,
        t.unreadable + t.before_period + t.after_period + t.in_period
    );
    assert_eq!(t.in_period, t.in_scope + t.out_of_scope);
    assert_eq!(r.scope[0].created, t.in_period);
    assert_eq!(
        r.scope[1..].iter().map(|s| s.created).sum::<u64>(),
        t.in_period
    );
    let breaches = cell(r, Response, None, None, None);
    let resolution = cell(r, Resolution, None, None, None);
    assert_eq!(
        r.breaches.len() as u64,
        breaches.met_late + breaches.breached + resolution.met_late + resolution.breached
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn counts_add_up_and_percentages_are_percentages(
        tickets in tickets_json(),
        from in 0..(300 * DAY),
        len in 1..(200 * DAY),
        now in 0..(400 * DAY),
        hours in any::<bool>(),
    ) {
        let p = if hours { business_hours() } else { Policy::default_policy() };
        let batch: Vec<_> = tickets.iter().map(Ticket::from_value).collect();
        let r = report::report(&p, &batch, Some(BASE + from), Some(BASE + from + len), BASE + now)
            .unwrap();
        check_invariants(&r);
        prop_assert!(!serde_json::to_string(&r).unwrap().contains("NaN"));
    }
}
