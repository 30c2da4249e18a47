//! The levels escalated in the current cycle, as the issue records them (DESIGN.md "Evaluating
//! a ticket", rule 11, vectors D1–D5): `escalation.done` and the explanation's sentence.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/action_policy.rs"]
mod action_policy;

use serde_json::{json, Value};
use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use sla_lens::ticket::parse_instant;
use sla_lens::{evaluate, explain, Policy, Ticket};

fn policy() -> Policy {
    Policy::from_json(action_policy::POLICY).unwrap_or_else(|d| panic!("{d:?}"))
}

fn t(s: &str) -> i64 {
    parse_instant(&sla_lens::ticket::Stamp::Text(s.into())).unwrap()
}

/// Ticket `v` (created Monday 2026-09-14 09:00 UTC; response deadline and L1 13:00, L2 17:00)
/// with `history` (status changes) and `escalations`.
fn ticket(history: &[(&str, &str)], escalations: Value) -> Ticket {
    let mut status = "New";
    let mut h = Vec::new();
    for (at, to) in history {
        h.push(json!({"at": format!("2026-09-14T{at}:00Z"), "from": status, "to": to}));
        status = to;
    }
    Ticket::from_value(&json!({
        "id": "v", "created": "2026-09-14T09:00:00Z", "status": "New",
        "fields": {"priority": "Normal"}, "statusHistory": h, "escalations": escalations,
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn esc(cycle: u32, stage: &str, at: &str, number: u32) -> Value {
    json!({"cycle": cycle, "stage": stage, "action": "note#0",
           "at": format!("2026-09-14T{at}:00Z"), "noteId": format!("{}", 100 + number),
           "noteNumber": number, "url": format!("https://rm.example/issues/1#note-{number}")})
}

/// `escalation.done` as JSON (`null` when absent), at `now` (UTC hh:mm on Monday).
fn done(p: &Policy, tk: &Ticket, now: &str) -> Value {
    let ev = evaluate(p, tk, t(&format!("2026-09-14T{now}:00Z"))).unwrap();
    let v = serde_json::to_value(ev).unwrap();
    v["escalation"].get("done").cloned().unwrap_or(Value::Null)
}

fn levels(v: &Value) -> Vec<(u64, String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["level"].as_u64().unwrap(),
                        d["at"].as_str().unwrap_or("-").to_string(),
                        d["note"].as_str().unwrap_or("-").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn d1_levels_escalated_in_the_current_cycle() {
    let p = policy();
    let tk = ticket(
        &[],
        json!([
            esc(1, "2", "17:02", 4),
            esc(1, "1", "13:05", 3),
            esc(1, "1", "13:09", 5)
        ]),
    );
    let d = done(&p, &tk, "18:00");
    assert_eq!(
        levels(&d),
        [
            (1, "2026-09-14T13:05:00Z".into(), "#3".into()),
            (2, "2026-09-14T17:02:00Z".into(), "#4".into())
        ],
        "lowest level first; a level's earliest record"
    );
    assert_eq!(d[0]["role"], "IT manager");
    assert_eq!(d[0]["contacts"][0]["name"], "Ivo Manager");
    assert_eq!(d[0]["url"], "https://rm.example/issues/1#note-3");
    let ex = explain(&p, &tk, t("2026-09-14T18:00:00Z")).unwrap();
    let lines: Vec<&String> = ex
        .lines
        .iter()
        .filter(|l| l.starts_with("Escalated to"))
        .collect();
    assert_eq!(lines.len(), 2, "{:?}", ex.lines);
    assert!(
        lines[0].starts_with("Escalated to IT manager (Ivo Manager) at ")
            && lines[0].contains("13:05")
            && lines[0].ends_with(" (note #3).")
            && !lines[0].contains("  "),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("Escalated to Marketing department head (Mia Head) at ")
            && lines[1].ends_with(" (note #4)."),
        "{}",
        lines[1]
    );
}

#[test]
fn d2_an_earlier_cycles_markers_do_not_count_after_a_reopening() {
    let p = policy();
    // Resolved 13:30, reopened 15:00: cycle 2 (deadline 19:00).
    let h = [("13:30", "Resolved"), ("15:00", "In Progress")];
    let tk = ticket(&h, json!([esc(1, "1", "13:05", 3)]));
    assert_eq!(done(&p, &tk, "16:00"), Value::Null);
    assert!(!explain(&p, &tk, t("2026-09-14T16:00:00Z"))
        .unwrap()
        .lines
        .iter()
        .any(|l| l.starts_with("Escalated")));
    let tk = ticket(
        &h,
        json!([esc(1, "1", "13:05", 3), esc(2, "1", "19:05", 6)]),
    );
    assert_eq!(
        levels(&done(&p, &tk, "20:00")),
        [(1, "2026-09-14T19:05:00Z".into(), "#6".into())]
    );
    // Before the reopening, cycle 1's marker counts.
    let tk = ticket(&h[..1], json!([esc(1, "1", "13:05", 3)]));
    assert_eq!(
        levels(&done(&p, &tk, "14:00")).len(),
        1,
        "resolved: still shown"
    );
}

#[test]
fn d3_a_level_the_policy_does_not_have_and_at_risk_stages_are_ignored() {
    let p = policy();
    let tk = ticket(
        &[],
        json!([
            esc(1, "3", "18:00", 3),
            esc(1, "at-risk-response", "12:30", 2),
            esc(1, "0", "12:00", 1)
        ]),
    );
    assert_eq!(done(&p, &tk, "19:00"), Value::Null);
}

#[test]
fn d4_a_claim_alone_is_not_escalated_and_the_marker_note_is_no_reply() {
    let p = policy();
    let site =
        SiteConfig::from_json(r#"{"tracker": "redmine", "origin": "https://rm.example"}"#).unwrap();
    let issue = |notes: &str| {
        json!({"issue": {
        "id": 7, "project": {"id": 1, "name": "IT"},
        "status": {"id": 1, "name": "New"}, "priority": {"id": 4, "name": "Normal"},
        "author": {"id": 7, "name": "Mia"}, "created_on": "2026-09-14T09:00:00Z",
        "journals": [
            {"id": 50, "user": {"id": 2, "name": "Ed Editor"}, "notes": "Looking.",
             "created_on": "2026-09-14T09:30:00Z", "details": [], "private_notes": true},
            {"id": 51, "user": {"id": 1, "name": "Redmine Admin"}, "notes": notes,
             "created_on": "2026-09-14T13:05:00Z", "details": []}
        ]}})
        .to_string()
    };
    let eval = |notes: &str| {
        let text = issue(notes);
        let input = adapters::map_texts(TrackerKind::Redmine, &[&text], &site).unwrap()[0]
            .clone()
            .unwrap();
        let tk = Ticket::from_input(input).unwrap();
        let v =
            serde_json::to_value(evaluate(&p, &tk, t("2026-09-14T14:00:00Z")).unwrap()).unwrap();
        v
    };
    let claim =
        "sla-lens:claim ticket=7 cycle=1 level=1 action=note#0 at=2026-09-14T13:05:00Z run=a";
    let v = eval(claim);
    assert_eq!(v["escalation"].get("done"), None, "a claim alone");
    assert_eq!(
        v["response"]["state"], "breached",
        "the claim note is no reply"
    );
    let marker = "SLA escalation, level 1.\nsla-lens:escalated ticket=7 cycle=1 level=1 action=note#0 at=2026-09-14T13:05:00Z";
    let v = eval(marker);
    assert_eq!(
        v["response"]["state"], "breached",
        "the marker note is no reply"
    );
    assert_eq!(
        v["escalation"]["done"],
        json!([{"level": 1, "role": "IT manager",
                "contacts": [{"name": "Ivo Manager", "email": "it-manager@example.com", "redmine": "ivo"}],
                "at": "2026-09-14T13:05:00Z", "note": "#2",
                "url": "https://rm.example/issues/7#note-2"}])
    );
}

#[test]
fn d5_without_records_the_evaluation_is_unchanged() {
    let p = policy();
    let tk = ticket(&[], json!([]));
    let ev = serde_json::to_value(evaluate(&p, &tk, t("2026-09-14T14:00:00Z")).unwrap()).unwrap();
    assert_eq!(ev["escalation"].get("done"), None);
    assert_eq!(ev["escalation"]["current"]["level"], 1);
}
