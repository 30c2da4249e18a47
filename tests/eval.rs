//! Evaluation scenarios under the default (seed) policy and the business-hours example: every
//! state, scope decisions, escalation levels, cycles, pauses and the next change.

use serde_json::{json, Value};
use sla_lens::eval::At;
use sla_lens::policy::MetricKind;
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::format_instant;
use sla_lens::{
    evaluate, explain, Applicability, Policy, State, Ticket, BUSINESS_HOURS_POLICY_JSON,
};

fn t(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).unwrap()
}

fn at(x: Option<At>) -> Option<String> {
    x.map(|a| format_instant(a.0))
}

fn ticket(v: Value) -> Ticket {
    Ticket::from_value(&v).unwrap()
}

fn marketing(id: &str, created: &str, priority: &str) -> Value {
    json!({"id": id, "created": created, "fields": {"priority": priority, "requesterGroup": "Marketing"}})
}

const NOW: &str = "2026-11-27T12:00:00Z";

#[test]
fn seed_critical_states_over_time() {
    let p = Policy::default_policy();
    // (created, state, deadline, escalation level)
    let rows = [
        (
            "2026-11-27T10:00:00Z",
            State::Running,
            "2026-11-27T14:00:00Z",
            0,
        ),
        (
            "2026-11-27T08:30:00Z",
            State::AtRisk,
            "2026-11-27T12:30:00Z",
            0,
        ),
        // Exactly at the at-risk instant (3 h of 4 used) it is not yet at risk; a second later it is.
        (
            "2026-11-27T09:00:00Z",
            State::Running,
            "2026-11-27T13:00:00Z",
            0,
        ),
        (
            "2026-11-27T08:59:59Z",
            State::AtRisk,
            "2026-11-27T12:59:59Z",
            0,
        ),
        // Exactly at the deadline it is on time; a second later it is breached.
        (
            "2026-11-27T08:00:00Z",
            State::AtRisk,
            "2026-11-27T12:00:00Z",
            0,
        ),
        (
            "2026-11-27T07:59:59Z",
            State::Breached,
            "2026-11-27T11:59:59Z",
            1,
        ),
        (
            "2026-11-27T07:00:00Z",
            State::Breached,
            "2026-11-27T11:00:00Z",
            1,
        ),
        (
            "2026-11-26T12:00:00Z",
            State::Breached,
            "2026-11-26T16:00:00Z",
            2,
        ),
    ];
    for (created, state, deadline, level) in rows {
        let tk = ticket(marketing("1", created, "Urgent"));
        let e = evaluate(&p, &tk, t(NOW)).unwrap();
        assert_eq!(e.priority.unwrap().tier.id, "critical");
        assert_eq!(e.response.state, state, "created {created}");
        assert_eq!(e.state, state, "badge state, created {created}");
        assert_eq!(
            at(e.response.deadline).as_deref(),
            Some(deadline),
            "created {created}"
        );
        assert_eq!(
            e.escalation.current.map_or(0, |l| l.level),
            level,
            "created {created}"
        );
        assert_eq!(
            e.resolution.state,
            State::NotApplicable,
            "the seed sets no resolution target"
        );
    }
}

#[test]
fn seed_escalation_levels_follow_the_response_target() {
    let p = Policy::default_policy();
    let tk = ticket(marketing("1", "2026-11-27T07:00:00Z", "Immediate"));
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    let cur = e.escalation.current.unwrap();
    assert_eq!((cur.level, cur.role), (1, "IT manager"));
    assert_eq!(at(cur.at).unwrap(), "2026-11-27T11:00:00Z");
    assert_eq!(
        cur.contacts[0].email.as_deref(),
        Some("it-manager@example.com")
    );
    // Level 2: one more response target (4 h) later, if still unresolved.
    let next = e.escalation.next.unwrap();
    assert_eq!((next.level, next.role), (2, "Marketing department head"));
    assert_eq!(at(next.at).unwrap(), "2026-11-27T15:00:00Z");
    assert_eq!(at(e.next_change).as_deref(), Some("2026-11-27T15:00:01Z"));
}

#[test]
fn escalation_history_lists_every_level_in_every_cycle() {
    let p = Policy::default_policy();
    let mut v = marketing("13", "2026-11-20T09:00:00Z", "Urgent");
    v["statusHistory"] = json!([
        {"at": "2026-11-20T19:00:00Z", "from": "New", "to": "Resolved"},
        {"at": "2026-11-27T06:00:00Z", "from": "Resolved", "to": "In Progress"}
    ]);
    let tk = ticket(v);
    let (e, history) = sla_lens::evaluate_with_history(&p, &tk, t(NOW)).unwrap();
    let seen: Vec<(u32, u32, String)> = history
        .iter()
        .map(|r| (r.cycle, r.level, format_instant(r.at.0)))
        .collect();
    assert_eq!(
        seen,
        [
            (1, 1, "2026-11-20T13:00:00Z".to_string()),
            (1, 2, "2026-11-20T17:00:00Z".to_string()),
            (2, 1, "2026-11-27T10:00:00Z".to_string()),
        ]
    );
    assert_eq!(e.escalation.current.unwrap().level, 1);
    assert_eq!(e.escalation.max_level, 2);
    assert_eq!(
        e,
        evaluate(&p, &tk, t(NOW)).unwrap(),
        "the history does not change the evaluation"
    );
}

#[test]
fn seed_normal_issue_responded_but_unresolved_still_escalates() {
    // "If IT is unable to resolve an issue within the response time, it is escalated."
    let p = Policy::default_policy();
    let mut v = marketing("2", "2026-11-26T09:00:00Z", "Normal");
    v["comments"] = json!([{"at": "2026-11-26T11:00:00Z", "author": "it-staff", "staff": true},
                           {"at": "2026-11-26T10:00:00Z", "author": "requester", "staff": false}]);
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.priority.unwrap().tier.id, "normal");
    assert_eq!(e.response.state, State::Met);
    assert_eq!(
        at(e.response.stopped_at).as_deref(),
        Some("2026-11-26T11:00:00Z")
    );
    assert_eq!(e.response.elapsed, 2 * 3600);
    let cur = e.escalation.current.unwrap();
    assert_eq!(cur.level, 1);
    assert_eq!(at(cur.at).unwrap(), "2026-11-27T09:00:00Z");
    assert_eq!(
        at(e.escalation.next.unwrap().at).unwrap(),
        "2026-11-28T09:00:00Z"
    );
}

#[test]
fn resolution_stops_response_and_escalation() {
    let p = Policy::default_policy();
    let mut v = marketing("3", "2026-11-25T09:00:00Z", "Normal");
    v["statusHistory"] = json!([
        {"at": "2026-11-25T10:00:00Z", "from": "New", "to": "In Progress"},
        {"at": "2026-11-26T05:00:00Z", "from": "In Progress", "to": "Resolved"}
    ]);
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.response.state, State::Met);
    assert_eq!(
        at(e.response.stopped_at).as_deref(),
        Some("2026-11-26T05:00:00Z")
    );
    assert_eq!(e.escalation.current, None);
    assert_eq!(e.escalation.next, None);
    assert_eq!(e.escalation.max_level, 0);
    assert_eq!(e.next_change, None);
    assert_eq!(e.status, Some("Resolved"));
}

#[test]
fn late_response_is_met_late_and_remembered() {
    let p = Policy::default_policy();
    let mut v = marketing("4", "2026-11-25T09:00:00Z", "Normal");
    v["firstResponseAt"] = json!("2026-11-26T15:00:00Z");
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.response.state, State::MetLate);
    assert_eq!(
        at(e.response.breached_at).as_deref(),
        Some("2026-11-26T09:00:00Z")
    );
    assert!(e.response.ever_breached);
    // Still unresolved: level 2 at 48 h.
    assert_eq!(e.escalation.current.unwrap().level, 2);
    assert_eq!(e.escalation.max_level, 2);
}

#[test]
fn scope_decisions_say_why() {
    let p = Policy::default_policy();
    let sales = ticket(
        json!({"id": "5", "created": "2026-11-27T09:00:00Z", "fields": {"requesterGroup": "Sales"}}),
    );
    let e = evaluate(&p, &sales, t(NOW)).unwrap();
    assert_eq!(e.applicability, Applicability::NotIncluded);
    assert_eq!(e.state, State::NotApplicable);
    assert_eq!(e.next_change, None);

    let mut v = marketing("6", "2026-11-27T09:00:00Z", "Urgent");
    v["labels"] = json!(["General-IT"]);
    let general = ticket(v);
    let e = evaluate(&p, &general, t(NOW)).unwrap();
    match e.applicability {
        Applicability::Excluded { rule, matched } => {
            assert_eq!(rule, 0);
            assert_eq!((matched.field, matched.value), ("labels", "General-IT"));
        }
        other => panic!("expected exclusion, got {other:?}"),
    }
    let x = explain(&p, &general, t(NOW)).unwrap();
    assert_eq!(
        x.lines[0],
        "out of scope: excluded by scope.exclude[0] (labels = General-IT)"
    );
}

#[test]
fn tiers_match_labels_fields_and_fallbacks_with_reasons() {
    let p = Policy::default_policy();
    let tk = ticket(json!({"id": "7", "created": "2026-11-27T09:00:00Z",
        "fields": {"project": "Marketing IT support", "category": "vpn"}, "labels": ["priority:critical"]}));
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    let pr = e.priority.unwrap();
    assert_eq!(
        (pr.tier.id.as_str(), pr.rule, pr.matched.unwrap().value),
        ("critical", Some(1), "priority:critical")
    );
    let cat = e.category.unwrap();
    assert_eq!(
        (cat.tier.id.as_str(), cat.matched.unwrap().value),
        ("network", "vpn")
    );
    let s = serde_json::to_value(e).unwrap();
    assert_eq!(s["priority"]["rule"], "priorities[0].when[1]");
    assert_eq!(s["category"]["rule"], "categories[1].when[0]");

    let plain = ticket(marketing("8", "2026-11-27T09:00:00Z", "Low"));
    let e = evaluate(&p, &plain, t(NOW)).unwrap();
    let pr = e.priority.unwrap();
    assert_eq!((pr.tier.id.as_str(), pr.rule), ("normal", None));
    assert_eq!(e.category.unwrap().tier.id, "other");
    assert_eq!(
        serde_json::to_value(e).unwrap()["priority"]["fallback"],
        true
    );
}

#[test]
fn priority_changes_apply_retroactively() {
    // The target follows the current priority, counted from creation (as ServiceNow does).
    let p = Policy::default_policy();
    let before = ticket(marketing("9", "2026-11-27T07:00:00Z", "Normal"));
    let after = ticket(marketing("9", "2026-11-27T07:00:00Z", "Urgent"));
    assert_eq!(
        evaluate(&p, &before, t(NOW)).unwrap().response.state,
        State::Running
    );
    let e = evaluate(&p, &after, t(NOW)).unwrap();
    assert_eq!(e.response.state, State::Breached);
    assert_eq!(
        at(e.response.deadline).as_deref(),
        Some("2026-11-27T11:00:00Z")
    );
}

#[test]
fn reopening_starts_a_new_cycle_and_remembers_breaches() {
    let p = Policy::default_policy();
    let mut v = marketing("10", "2026-11-20T09:00:00Z", "Urgent");
    v["statusHistory"] = json!([
        {"at": "2026-11-20T15:00:00Z", "from": "New", "to": "Resolved"},
        {"at": "2026-11-27T10:00:00Z", "from": "Resolved", "to": "In Progress"}
    ]);
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.response.cycles, 2);
    assert_eq!(
        at(e.response.start).as_deref(),
        Some("2026-11-27T10:00:00Z")
    );
    assert_eq!(e.response.state, State::Running);
    assert_eq!(
        at(e.response.deadline).as_deref(),
        Some("2026-11-27T14:00:00Z")
    );
    // The first cycle was resolved after 6 h: the 4 h response target was met late.
    assert!(e.response.ever_breached);
    assert_eq!(e.escalation.max_level, 1);
    assert_eq!(e.escalation.current, None);
}

#[test]
fn events_after_now_are_ignored() {
    let p = Policy::default_policy();
    let mut v = marketing("11", "2026-11-27T10:00:00Z", "Urgent");
    v["statusHistory"] = json!([{"at": "2026-11-27T13:00:00Z", "from": "New", "to": "Closed"}]);
    v["comments"] = json!([{"at": "2026-11-27T12:30:00Z", "staff": true}]);
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.response.state, State::Running);
    assert_eq!(e.response.stopped_at, None);
    let later = evaluate(&p, &tk, t("2026-11-27T14:00:00Z")).unwrap();
    assert_eq!(later.response.state, State::Met);
    assert_eq!(
        at(later.response.stopped_at).as_deref(),
        Some("2026-11-27T12:30:00Z")
    );
}

#[test]
fn a_now_before_creation_counts_from_creation() {
    let p = Policy::default_policy();
    let tk = ticket(marketing("12", "2026-11-27T12:00:30Z", "Urgent"));
    let e = evaluate(&p, &tk, t(NOW)).unwrap();
    assert_eq!(e.response.elapsed, 0);
    assert_eq!(e.response.state, State::Running);
}

fn business() -> Policy {
    Policy::from_json(BUSINESS_HOURS_POLICY_JSON).unwrap()
}

#[test]
fn business_hours_pause_moves_the_deadline_by_the_business_time_paused() {
    let p = business();
    // Mon 23 Nov 2026 09:00 Berlin; waiting on Marketing Mon 13:00 – Tue 13:00.
    let v = json!({"id": "20", "created": "2026-11-23T08:00:00Z",
    "fields": {"priority": "Normal", "requesterGroup": "Marketing"},
    "statusHistory": [
        {"at": "2026-11-23T12:00:00Z", "from": "New", "to": "Waiting on customer"},
        {"at": "2026-11-24T12:00:00Z", "from": "Waiting on customer", "to": "In Progress"}
    ]});
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t("2026-11-25T08:00:00Z")).unwrap();
    let r = e.resolution;
    assert_eq!(r.elapsed, 8 * 3600);
    assert_eq!(r.paused_business_seconds, 8 * 3600);
    assert_eq!(r.paused_seconds, 24 * 3600);
    // 40 h target: 8 h used, 32 h left from Wed 09:00 → Mon 30 Nov 17:00, a close, so the
    // deadline is the next opening, Tue 1 Dec 09:00 Berlin.
    assert_eq!(at(r.deadline).as_deref(), Some("2026-12-01T08:00:00Z"));
    assert_eq!(r.state, State::Running);
    // The response clock has no pauses: 8 h from Mon 09:00 runs out at Mon 17:00 → Tue 09:00.
    assert_eq!(
        at(e.response.deadline).as_deref(),
        Some("2026-11-24T08:00:00Z")
    );
    assert_eq!(e.response.state, State::Breached);
    assert_eq!(e.state, State::Breached);
    assert_eq!(e.headline, MetricKind::Response);
    let x = explain(&p, &tk, t("2026-11-25T08:00:00Z")).unwrap();
    assert!(x.lines.iter().any(|l| l == "all 8h used at Mon 23 Nov 2026 17:00 CET; late from Tue 24 Nov 2026 09:00 CET (no business time in between)"), "{:#?}", x.lines);
}

#[test]
fn business_hours_open_pause_suspends_the_deadline() {
    let p = business();
    let v = json!({"id": "21", "created": "2026-11-23T08:00:00Z",
        "fields": {"priority": "Normal", "requesterGroup": "Marketing"},
        "comments": [{"at": "2026-11-23T09:00:00Z", "staff": true}],
        "statusHistory": [{"at": "2026-11-23T12:00:00Z", "from": "New", "to": "Waiting on customer"}]});
    let tk = ticket(v);
    let e = evaluate(&p, &tk, t("2026-11-25T08:00:00Z")).unwrap();
    assert_eq!(e.resolution.state, State::Paused);
    assert!(e.resolution.paused);
    assert_eq!(e.resolution.deadline, None);
    assert_eq!(e.resolution.elapsed, 4 * 3600);
    assert_eq!(e.response.state, State::Met);
    assert_eq!(e.state, State::Paused);
    assert_eq!(e.headline, MetricKind::Resolution);
    // Level 1 (the response deadline, Tue 09:00) was reached; level 2 waits on the paused
    // resolution clock: it is next, at an instant not known yet (rule 9's ladder), and nothing
    // changes until the status does.
    assert_eq!(e.escalation.current.unwrap().level, 1);
    let next = e.escalation.next.unwrap();
    assert_eq!((next.level, next.at), (2, None));
    assert_eq!(e.next_change, None);
    let x = explain(&p, &tk, t("2026-11-25T08:00:00Z")).unwrap();
    assert!(
        x.lines
            .iter()
            .any(|l| l.starts_with("resolution clock paused (Waiting on customer); 36h left")),
        "{:#?}",
        x.lines
    );
    assert!(x
        .segments
        .iter()
        .any(|s| matches!(s, sla_lens::eval::explain::Segment::Paused { .. })));
}

#[test]
fn business_hours_explanation_names_holidays_and_dst() {
    let p = business();
    // Thu 22 Oct 2026 16:00 Berlin (CEST); 40 h run across the DST change on Sun 25 Oct.
    let tk = ticket(json!({"id": "22", "created": "2026-10-22T14:00:00Z",
        "fields": {"priority": "Normal", "requesterGroup": "Marketing"}}));
    let x = explain(&p, &tk, t("2026-10-22T15:00:00Z")).unwrap();
    assert!(
        x.lines
            .iter()
            .any(|l| l.contains("clocks changed Sun 25 Oct 2026 02:00 CET (+02:00 → +01:00)")),
        "{:#?}",
        x.lines
    );
    assert_eq!(x.time_zone, "Europe/Berlin");
    // Across Christmas 2026: 24 Dec half day, 25/26 Dec holidays.
    let tk = ticket(json!({"id": "23", "created": "2026-12-23T15:00:00Z",
        "fields": {"priority": "Urgent", "requesterGroup": "Marketing"}}));
    let e = evaluate(&p, &tk, t("2026-12-23T15:30:00Z")).unwrap();
    // Critical response 4 h: Wed 23 Dec 16:00–17:00 (1 h), Thu 24 Dec 09:00–12:00 (3 h) → 12:00
    // is the half day's close, so the deadline is the next opening: Mon 28 Dec 09:00.
    assert_eq!(
        at(e.response.deadline).as_deref(),
        Some("2026-12-28T08:00:00Z")
    );
    let x = explain(&p, &tk, t("2026-12-23T15:30:00Z")).unwrap();
    let holidays: Vec<&String> = x
        .lines
        .iter()
        .filter(|l| l.starts_with("not counted") || l.starts_with("shorter hours"))
        .collect();
    assert_eq!(
        holidays,
        [
            "shorter hours: Heiligabend (half day), Thu 24 Dec 2026",
            "not counted: 1. Weihnachtstag, Fri 25 Dec 2026",
        ],
        "{:#?}",
        x.lines
    );
}

#[test]
fn evaluations_serialise_with_camel_case_and_rfc3339() {
    let p = Policy::default_policy();
    let tk = ticket(marketing("30", "2026-11-27T10:00:00Z", "Urgent"));
    let v = serde_json::to_value(evaluate(&p, &tk, t(NOW)).unwrap()).unwrap();
    assert_eq!(v["state"], "running");
    assert_eq!(v["response"]["deadline"], "2026-11-27T14:00:00Z");
    assert_eq!(v["response"]["atRiskAt"], "2026-11-27T13:00:00Z");
    assert_eq!(v["response"]["untilDeadline"], 7200);
    assert_eq!(v["response"]["percentUsed"], 50.0);
    assert_eq!(v["nextChange"], "2026-11-27T13:00:01Z");
    assert_eq!(v["applicability"]["kind"], "applies");
}
