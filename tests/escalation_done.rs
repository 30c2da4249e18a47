//! The levels escalated in the current cycle, as the issue records them (DESIGN.md "Evaluating
//! a ticket", rule 11): `escalation.done` and the explanation's sentences. The vectors D1–D5 are
//! read from DESIGN.md's table "Escalations done: vectors" (its only copy), every row of it.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/action_policy.rs"]
mod action_policy;
#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, At};
use serde_json::{json, Value};
use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use sla_lens::ticket::parse_instant;
use sla_lens::{evaluate, explain, Policy, Ticket};

const HEADER: &[&str] = &[
    "#", "History", "Records", "now", "Done", "Response", "Current", "Note",
];

fn policy() -> Policy {
    Policy::from_json(action_policy::POLICY).unwrap_or_else(|d| panic!("{d:?}"))
}

/// Monday 2026-09-14 `hh:mm` UTC.
fn mon(hhmm: &str) -> Result<String, String> {
    let ok = hhmm.len() == 5
        && hhmm.as_bytes()[2] == b':'
        && hhmm
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    ok.then(|| format!("2026-09-14T{hhmm}:00Z"))
        .ok_or_else(|| format!("`{hhmm}` is not HH:MM"))
}

fn t(s: &str) -> i64 {
    parse_instant(&sla_lens::ticket::Stamp::Text(s.into())).unwrap()
}

/// A cell's items (`none` is none).
fn items(cell: &str) -> Vec<&str> {
    if cell == "none" {
        Vec::new()
    } else {
        cell.split(", ").collect()
    }
}

/// `→ R 13:30` → (time, status).
fn change(item: &str) -> Result<(String, &'static str), String> {
    let words: Vec<&str> = item.split(' ').collect();
    let status = match words.as_slice() {
        ["→", "R", _] => "Resolved",
        ["→", "IP", _] => "In Progress",
        _ => return Err(format!("History: `{item}` is not `→ R|IP HH:MM`")),
    };
    Ok((mon(words[2])?, status))
}

/// A ticket record `c1 L2 17:02 #4` (or `c1 at-risk-response 12:30 #2`) as the ticket JSON's
/// `escalations` entry.
fn record(item: &str) -> Result<Value, String> {
    let w: Vec<&str> = item.split(' ').collect();
    let [c, stage, at, note] = w.as_slice() else {
        return Err(format!("Records: `{item}` is not `cN LN HH:MM #N`"));
    };
    let cycle: u32 = c
        .strip_prefix('c')
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("Records: `{c}` is not `cN`"))?;
    let stage = stage.strip_prefix('L').unwrap_or(stage);
    let number: u32 = note
        .strip_prefix('#')
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("Records: `{note}` is not `#N`"))?;
    Ok(
        json!({"cycle": cycle, "stage": stage, "action": "note#0", "at": mon(at)?,
              "noteId": format!("{}", 100 + number), "noteNumber": number,
              "url": format!("https://rm.example/issues/1#note-{number}")}),
    )
}

/// The ticket of a row whose records are the ticket's own: issue 1, created 09:00, no reply.
fn ticket(history: &[(String, &str)], escalations: Vec<Value>) -> Ticket {
    let mut status = "New";
    let mut h = Vec::new();
    for (at, to) in history {
        h.push(json!({"at": at, "from": status, "to": to}));
        status = to;
    }
    Ticket::from_value(&json!({
        "id": "1", "created": "2026-09-14T09:00:00Z", "status": status,
        "fields": {"priority": "Normal"}, "statusHistory": h, "escalations": escalations,
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The ticket of a `note: claim|marker L1 13:05` row: Redmine issue 7 read through the adapter;
/// Ed's private note at 09:30, then the API user's note holding the line.
fn redmine_ticket(item: &str) -> Result<Ticket, String> {
    let w: Vec<&str> = item.split(' ').collect();
    let ["note:", kind, level, at] = w.as_slice() else {
        return Err(format!(
            "Records: `{item}` is not `note: claim|marker LN HH:MM`"
        ));
    };
    let level = level
        .strip_prefix('L')
        .ok_or_else(|| format!("Records: `{level}` is not `LN`"))?;
    let at = mon(at)?;
    let words = format!("ticket=7 cycle=1 level={level} action=note#0 at={at}");
    let notes = match *kind {
        "claim" => format!("sla-lens:claim {words} run=a"),
        "marker" => format!("SLA escalation, level {level}.\nsla-lens:escalated {words}"),
        _ => return Err(format!("Records: `{kind}` is neither `claim` nor `marker`")),
    };
    let site =
        SiteConfig::from_json(r#"{"tracker": "redmine", "origin": "https://rm.example"}"#).unwrap();
    let text = json!({"issue": {
    "id": 7, "project": {"id": 1, "name": "IT"},
    "status": {"id": 1, "name": "New"}, "priority": {"id": 4, "name": "Normal"},
    "author": {"id": 7, "name": "Mia"}, "created_on": "2026-09-14T09:00:00Z",
    "journals": [
        {"id": 50, "user": {"id": 2, "name": "Ed Editor"}, "notes": "Looking.",
         "created_on": "2026-09-14T09:30:00Z", "details": [], "private_notes": true},
        {"id": 51, "user": {"id": 1, "name": "Redmine Admin"}, "notes": notes,
         "created_on": at, "details": []}
    ]}})
    .to_string();
    let input = adapters::map_texts(TrackerKind::Redmine, &[&text], &site)
        .map_err(|e| e.to_string())?
        .remove(0)
        .map_err(|e| e.to_string())?;
    Ticket::from_input(input).map_err(|e| e.to_string())
}

struct Row {
    place: String,
    ticket: Ticket,
    /// The issue's number in the notes' URLs.
    issue: u32,
    now: i64,
    /// `(level, at, note number)`.
    done: Vec<(u64, String, u32)>,
    response: String,
    current: Option<u64>,
}

fn level(cell: &str) -> Result<u64, String> {
    cell.strip_prefix('L')
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("`{cell}` is not `LN`"))
}

fn rows() -> Vec<Row> {
    let table = design_table("Escalations done: vectors", HEADER);
    let mut ids = Vec::new();
    let out = table
        .rows
        .iter()
        .map(|r| {
            let place = At(&table, r).to_string();
            let c = &r.cells;
            ids.push(c[0].clone());
            let parse = || -> Result<Row, String> {
                let history: Vec<(String, &str)> = items(&c[1])
                    .into_iter()
                    .map(change)
                    .collect::<Result<_, _>>()?;
                let records = items(&c[2]);
                let (ticket, issue) = match records.as_slice() {
                    [one] if one.starts_with("note:") => {
                        if !history.is_empty() {
                            return Err("a `note:` row has no history".into());
                        }
                        (redmine_ticket(one)?, 7)
                    }
                    _ => {
                        let esc = records.into_iter().map(record).collect::<Result<_, _>>()?;
                        (ticket(&history, esc), 1)
                    }
                };
                let done = items(&c[4])
                    .into_iter()
                    .map(|d| {
                        let w: Vec<&str> = d.split(' ').collect();
                        let [l, at, n] = w.as_slice() else {
                            return Err(format!("Done: `{d}` is not `LN HH:MM #N`"));
                        };
                        let n = n.strip_prefix('#').and_then(|n| n.parse().ok());
                        Ok((level(l)?, mon(at)?, n.ok_or("Done: no `#N`")?))
                    })
                    .collect::<Result<_, String>>()?;
                let current = match c[6].as_str() {
                    "none" => None,
                    l => Some(level(l)?),
                };
                Ok(Row {
                    place: format!("{place} ({})", c[7]),
                    ticket,
                    issue,
                    now: t(&mon(&c[3])?),
                    done,
                    response: c[5].clone(),
                    current,
                })
            };
            parse().unwrap_or_else(|e| panic!("{place}: {e}"))
        })
        .collect();
    let want = ["D1", "D2.1", "D2.2", "D2.3", "D3", "D4.1", "D4.2", "D5"];
    assert_eq!(ids, want, "DESIGN.md:{}: the rows D1–D5", table.line);
    out
}

#[test]
fn escalations_done_vectors() {
    let p = policy();
    for row in rows() {
        let at = &row.place;
        let v = serde_json::to_value(evaluate(&p, &row.ticket, row.now).unwrap()).unwrap();
        assert_eq!(
            v["response"]["state"],
            row.response.as_str(),
            "{at}: response"
        );
        assert_eq!(
            v["escalation"]["current"]["level"].as_u64(),
            row.current,
            "{at}: current level"
        );
        let lines = explain(&p, &row.ticket, row.now).unwrap().lines;
        let sentences: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("Escalated"))
            .collect();
        if row.done.is_empty() {
            assert_eq!(v["escalation"].get("done"), None, "{at}: no `done` key");
            assert!(sentences.is_empty(), "{at}: {sentences:?}");
            continue;
        }
        let done = v["escalation"]["done"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let got: Vec<(u64, String, String)> = done
            .iter()
            .map(|d| {
                (
                    d["level"].as_u64().unwrap_or(0),
                    d["at"].as_str().unwrap_or("-").into(),
                    d["note"].as_str().unwrap_or("-").into(),
                )
            })
            .collect();
        let want: Vec<(u64, String, String)> = row
            .done
            .iter()
            .map(|(l, a, n)| (*l, a.clone(), format!("#{n}")))
            .collect();
        assert_eq!(got, want, "{at}: done");
        assert_eq!(
            sentences.len(),
            done.len(),
            "{at}: one sentence a level: {lines:?}"
        );
        for ((d, (lv, at_time, n)), s) in done.iter().zip(&row.done).zip(&sentences) {
            let policy_level = &p.spec.escalation.levels[*lv as usize - 1];
            assert_eq!(d["role"], policy_level.role.as_str(), "{at}: L{lv} role");
            let names: Vec<&str> = d["contacts"]
                .as_array()
                .map(|cs| cs.iter().filter_map(|c| c["name"].as_str()).collect())
                .unwrap_or_default();
            let want_names: Vec<&str> = policy_level
                .contacts
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            assert_eq!(names, want_names, "{at}: L{lv} contacts");
            assert_eq!(
                d["url"],
                format!("https://rm.example/issues/{}#note-{n}", row.issue),
                "{at}: L{lv} url"
            );
            let lead = format!(
                "Escalated to {} ({}) at ",
                policy_level.role,
                want_names.join(", ")
            );
            assert!(
                s.starts_with(&lead)
                    && s.contains(&at_time[11..16])
                    && s.ends_with(&format!(" (note #{n})."))
                    && !s.contains("  "),
                "{at}: L{lv} sentence `{s}`"
            );
        }
    }
}
