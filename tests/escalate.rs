//! Escalation actions: the vectors of DESIGN.md ("Escalation actions: what is due, exactly
//! once", X1–X17), read from its table (tests/support/design_tables.rs: the spec is their only
//! copy), the texts an action posts, and properties: planning is idempotent (the plan's markers,
//! posted, leave nothing due) and markers and labels round-trip through their parsers.
//!
//! Every expected value was computed by hand from the rules, not by running the planner. A row
//! that disagrees with the planner is reported with its DESIGN.md line, id and note; a row the
//! test cannot read fails it, naming the row.
#![cfg(feature = "escalate")]

use proptest::prelude::*;
use serde_json::{json, Value};
use sla_lens::eval::escalate::{
    claim, email, label, marker, note_text, parse_claims, parse_label, parse_markers, plan,
    ActionKey, Stage,
};
use sla_lens::policy::{ActionKind, MetricKind};
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::{Policy, Ticket};

fn t(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).unwrap_or_else(|e| panic!("bad instant {s}: {e}"))
}

#[path = "support/action_policy.rs"]
mod action_policy;
use action_policy::POLICY;

fn policy() -> Policy {
    Policy::from_json(POLICY).unwrap_or_else(|d| panic!("vector policy does not load: {d}"))
}

/// An event of a vector's history: `S(at, status)` a status change, `R(at)` a staff reply; `at`
/// a full instant.
#[derive(Debug, Clone, PartialEq)]
enum Ev {
    S(String, String),
    R(String),
}

/// `14:00` on the vectors' Monday 2026-09-14 (UTC), `Tue 09:00` on the Tuesday.
fn clock(s: &str) -> Result<String, String> {
    let (day, hm) = match s.strip_prefix("Tue ") {
        Some(hm) => ("15", hm),
        None => ("14", s),
    };
    let b = hm.as_bytes();
    let ok = b.len() == 5
        && b[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        && hm[..2] < *"24"
        && hm[3..] < *"60";
    if !ok {
        return Err(format!("bad time `{s}` (HH:MM, or Tue HH:MM)"));
    }
    Ok(format!("2026-09-{day}T{hm}:00Z"))
}

fn ticket(events: &[Ev], labels: &[String], snapshot: bool) -> Ticket {
    let mut history = Vec::new();
    let mut comments = Vec::new();
    let mut status = "New";
    for e in events {
        match e {
            Ev::S(at, to) => {
                history.push(json!({"at": at, "from": status, "to": to}));
                status = to;
            }
            Ev::R(at) => comments.push(json!({"at": at, "staff": true})),
        }
    }
    let mut v: Value = json!({
        "id": "v", "created": "2026-09-14T09:00:00Z", "status": "New",
        "fields": {"priority": "Normal"}, "labels": labels,
        "statusHistory": history, "comments": comments,
    });
    if snapshot {
        v["unknown"] = json!(["replies", "statusHistory"]);
        v["updated"] = json!("2026-09-14T10:00:00Z");
    }
    Ticket::from_value(&v).unwrap_or_else(|e| panic!("ticket: {e}"))
}

/// `c1 L1 watch#0`, `c1 AR-response note#0`: a key as the table writes it.
fn show(k: &ActionKey) -> String {
    let stage = match k.stage {
        Stage::Level(n) => format!("L{n}"),
        Stage::AtRisk(m) => format!("AR-{}", m.as_str()),
    };
    format!("c{} {stage} {}#{}", k.cycle, k.kind.as_str(), k.ordinal)
}

/// A key as the table writes it (the inverse of `show`, which must give the text back).
fn key(text: &str) -> Result<ActionKey, String> {
    let bad = || format!("bad key `{text}` (as `c1 L1 note#0`, `c1 AR-response note#0`)");
    let words: Vec<&str> = text.split(' ').collect();
    let [cycle, stage, action] = words[..] else {
        return Err(bad());
    };
    let number = |s: &str| -> Result<u32, String> {
        if s.is_empty() || (s.len() > 1 && s.starts_with('0')) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let cycle = number(cycle.strip_prefix('c').ok_or_else(bad)?)?;
    let stage = match stage {
        "AR-response" => Stage::AtRisk(MetricKind::Response),
        "AR-resolution" => Stage::AtRisk(MetricKind::Resolution),
        _ => Stage::Level(number(stage.strip_prefix('L').ok_or_else(bad)?)?),
    };
    let (kind, ordinal) = action.split_once('#').ok_or_else(bad)?;
    let k = ActionKey {
        cycle,
        stage,
        kind: ActionKind::from_name(kind).ok_or_else(bad)?,
        ordinal: number(ordinal)?,
    };
    if show(&k) != text {
        return Err(bad());
    }
    Ok(k)
}

/// A cell's items: `none`/`nothing` (`empty`) is no item; otherwise items separated by `, `
/// (outside `"…"`), none of them empty.
fn items<'a>(cell: &'a str, empty: &str) -> Result<Vec<&'a str>, String> {
    if cell == empty {
        return Ok(Vec::new());
    }
    let (mut out, mut from, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in cell.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&cell[from..i]);
                from = i + 1;
                if !cell[from..].starts_with(' ') {
                    return Err(format!("`{cell}`: items are separated by `, `"));
                }
                from += 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(format!("`{cell}`: an unclosed `\"`"));
    }
    out.push(&cell[from..]);
    if out.iter().any(|i| i.is_empty() || i.trim() != *i) {
        return Err(format!(
            "`{cell}`: an empty item (`{empty}` when there is none)"
        ));
    }
    Ok(out)
}

/// History: `→ R 13:30` (`R` Resolved, `IP` In Progress, `W` Waiting), `reply 09:30`, or the one
/// item `a snapshot (…)` (a ticket whose replies and status history are unknown).
fn history(cell: &str) -> Result<(Vec<Ev>, bool), String> {
    if cell.starts_with("a snapshot (") && cell.ends_with(')') {
        return Ok((Vec::new(), true));
    }
    let mut events = Vec::new();
    for item in items(cell, "none")? {
        if let Some(at) = item.strip_prefix("reply ") {
            events.push(Ev::R(clock(at)?));
            continue;
        }
        let rest = item
            .strip_prefix("→ ")
            .ok_or_else(|| format!("bad event `{item}` (`→ R 13:30`, `reply 09:30`)"))?;
        let (to, at) = rest
            .split_once(' ')
            .ok_or_else(|| format!("bad event `{item}`"))?;
        let to = match to {
            "R" => "Resolved",
            "IP" => "In Progress",
            "W" => "Waiting",
            _ => return Err(format!("bad status `{to}` in `{item}` (R, IP, W)")),
        };
        events.push(Ev::S(clock(at)?, to.to_string()));
    }
    Ok((events, false))
}

/// Markers: a key (a note holding its marker line: a `note` action's after the note's text, the
/// other kinds' alone), a key `in <!-- -->`, `label …`, `note "…"` (a note of exactly that text).
/// The markers' `at` (informational) is the row's `now`.
fn markers(cell: &str, now: i64) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut notes, mut labels) = (Vec::new(), Vec::new());
    for item in items(cell, "none")? {
        if let Some(l) = item.strip_prefix("label ") {
            if l.contains(' ') {
                return Err(format!("bad label `{l}`"));
            }
            labels.push(l.to_string());
        } else if let Some(text) = item.strip_prefix("note \"") {
            let text = text
                .strip_suffix('"')
                .filter(|t| !t.is_empty() && !t.contains('"'))
                .ok_or_else(|| format!("bad note `{item}` (`note \"…\"`)"))?;
            notes.push(text.to_string());
        } else if let Some(k) = item.strip_suffix(" in <!-- -->") {
            notes.push(format!("<!-- {} -->", marker("v", &key(k)?, now)));
        } else {
            let k = key(item)?;
            let m = marker("v", &k, now);
            notes.push(if k.kind == ActionKind::Note {
                format!("Escalated.\n{m}")
            } else {
                m
            });
        }
    }
    Ok((notes, labels))
}

#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, At};

const HEADER: &[&str] = &["#", "History", "Markers", "now", "Due", "Note"];

/// One vector of DESIGN.md's table.
#[derive(Debug)]
struct Row {
    /// Where it is in DESIGN.md, for the failure messages.
    place: String,
    events: Vec<Ev>,
    snapshot: bool,
    /// Note texts found on the issue (marker lines among other text).
    notes: Vec<String>,
    labels: Vec<String>,
    now: String,
    due: Vec<String>,
    note: String,
}

/// The vectors, X1 to X17 in order; a row the test cannot read fails it, naming the row.
fn rows() -> Vec<Row> {
    let table = design_table("Escalation actions: what is due, exactly once", HEADER);
    let mut out = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        let place = At(&table, r).to_string();
        let c = &r.cells;
        let want_id = format!("X{}", i + 1);
        assert_eq!(c[0], want_id, "{place}: the ids run X1, X2, … in order");
        let parse = || -> Result<Row, String> {
            let (events, snapshot) = history(&c[1]).map_err(|e| format!("History: {e}"))?;
            let now = clock(&c[3]).map_err(|e| format!("now: {e}"))?;
            let (notes, labels) = markers(&c[2], t(&now)).map_err(|e| format!("Markers: {e}"))?;
            let due = items(&c[4], "nothing")
                .and_then(|ks| ks.into_iter().map(|k| key(k).map(|k| show(&k))).collect())
                .map_err(|e| format!("Due: {e}"))?;
            Ok(Row {
                place: place.clone(),
                events,
                snapshot,
                notes,
                labels,
                now,
                due,
                note: c[5].clone(),
            })
        };
        out.push(parse().unwrap_or_else(|e| panic!("{place}: {e}")));
    }
    out
}

fn done_keys(ticket: &Ticket, notes: &[String]) -> Vec<ActionKey> {
    let mut keys: Vec<ActionKey> = notes
        .iter()
        .flat_map(|n| parse_markers(&ticket.id, n))
        .collect();
    keys.extend(ticket.labels.iter().filter_map(|l| parse_label(l)));
    keys
}

#[test]
fn the_vectors_hold() {
    let p = policy();
    let mut failed = Vec::new();
    for r in rows() {
        let tk = ticket(&r.events, &r.labels, r.snapshot);
        let done = done_keys(&tk, &r.notes);
        let got: Vec<String> = plan(&p, &tk, t(&r.now), &done)
            .unwrap_or_else(|e| panic!("{}: {e:?}", r.place))
            .due
            .iter()
            .map(|d| show(&d.key))
            .collect();
        if got != r.due {
            failed.push(format!(
                "{}: got {got:?}, want {:?} ({})",
                r.place, r.due, r.note
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_note_says_what_was_missed_since_when_and_who_is_responsible() {
    let p = policy();
    let tk = ticket(&[], &[], false);
    let now = t("2026-09-14T14:00:00Z");
    let pl = plan(&p, &tk, now, &[]).unwrap();
    let d = pl
        .due
        .iter()
        .find(|d| show(&d.key) == "c1 L1 note#0")
        .unwrap();
    assert_eq!(
        note_text(&p, &pl, d, now),
        "SLA escalation, level 1: IT manager.\n\
         Policy: Action vectors. Issue: v.\n\
         The response target (target 4h) was missed: overdue since 2026-09-14 13:00 UTC.\n\
         Escalated since 2026-09-14 13:00 UTC; the issue is still unresolved (cycle 1).\n\
         Now responsible: IT manager (Ivo Manager).\n\
         sla-lens:escalated ticket=v cycle=1 level=1 action=note#0 at=2026-09-14T14:00:00Z"
    );
    assert!(d.action.private == Some(true));
    let ar = pl
        .due
        .iter()
        .find(|d| show(&d.key) == "c1 AR-response note#0")
        .unwrap();
    assert!(
        note_text(&p, &pl, ar, now).starts_with("SLA warning: the response target is at risk.\n")
    );
}

#[test]
fn the_email_is_one_subject_line_and_a_plain_body() {
    let mut v: Value = serde_json::from_str(POLICY).unwrap();
    v["escalation"]["levels"][1]["actions"][0] = json!({"kind": "email", "subject": "Escalated\r\nBcc: all@example.com", "text": "Call Ivo."});
    let p = Policy::from_json(&v.to_string()).unwrap();
    let tk = ticket(&[Ev::R("2026-09-14T09:30:00Z".into())], &[], false);
    let now = t("2026-09-14T18:00:00Z");
    let pl = plan(&p, &tk, now, &[]).unwrap();
    let d = pl
        .due
        .iter()
        .find(|d| d.key.kind == ActionKind::Email)
        .unwrap();
    let e = email(&p, &pl, d, now);
    assert_eq!(e.subject, "Escalated  Bcc: all@example.com");
    assert_eq!(
        e.body,
        "SLA escalation, level 2: Marketing department head.\n\
         Policy: Action vectors. Issue: v.\n\
         The response (target 4h) was met at 2026-09-14 09:30 UTC, due 2026-09-14 13:00 UTC.\n\
         Escalated since 2026-09-14 17:00 UTC; the issue is still unresolved (cycle 1).\n\
         Now responsible: Marketing department head (Mia Head).\n\
         Call Ivo.\n\
         sla-lens:escalated ticket=v cycle=1 level=2 action=email#0 at=2026-09-14T18:00:00Z"
    );
    // Without a subject of its own.
    let p = policy();
    let pl = plan(&p, &tk, now, &[]).unwrap();
    let d = pl
        .due
        .iter()
        .find(|d| d.key.kind == ActionKind::Email)
        .unwrap();
    assert_eq!(
        email(&p, &pl, d, now).subject,
        "[SLA] v escalated to Marketing department head (level 2)"
    );
}

#[test]
fn markers_encode_odd_ticket_ids() {
    let key = ActionKey {
        cycle: 3,
        stage: Stage::AtRisk(MetricKind::Resolution),
        kind: ActionKind::Webhook,
        ordinal: 1,
    };
    let id = "acme/web#12 x=y\n%";
    let m = marker(id, &key, 0);
    assert_eq!(
        m,
        "sla-lens:escalated ticket=acme/web#12%20x%3Dy%0A%25 cycle=3 level=at-risk-resolution \
         action=webhook#1 at=1970-01-01T00:00:00Z"
    );
    assert_eq!(parse_markers(id, &m), vec![key]);
    assert_eq!(parse_markers("acme/web#12", &m), vec![]);
    assert_eq!(label(&key), "sla-lens:c3:at-risk-resolution:webhook#1");
    for bad in [
        "sla-lens:c0:l1:note#0",
        "sla-lens:c01:l1:note#0",
        "sla-lens:c1:l0:note#0",
        "sla-lens:c1:1:note#0",
        "sla-lens:c1:l1:note#0:x",
        "sla-lens:c1:l1:sms#0",
        "sla-lens:c1:at-risk-x:note#0",
        "sla-lens:c1:l1:note#",
        "sla-lens:c99999999999:l1:note#0",
    ] {
        assert_eq!(parse_label(bad), None, "{bad}");
    }
}

/// A line of 20,000 glued markers is read in linear time (each marker reads at most 16 words).
#[test]
fn a_line_of_many_markers_is_read_once() {
    let line = "sla-lens:escalated x=sla-lens:escalated ".repeat(20_000)
        + "ticket=v cycle=1 level=1 action=note#0";
    let start = std::time::Instant::now();
    // Only the last marker word is followed by the keys.
    assert_eq!(parse_markers("v", &line).len(), 1);
    let one = "sla-lens:escalated ticket=v cycle=1 level=1 action=note#0 ".repeat(20_000);
    assert_eq!(parse_markers("v", &one).len(), 20_000);
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

fn arb_key() -> impl Strategy<Value = ActionKey> {
    (
        1u32..=u32::MAX,
        prop_oneof![
            (1u32..=u32::MAX).prop_map(Stage::Level),
            Just(Stage::AtRisk(MetricKind::Response)),
            Just(Stage::AtRisk(MetricKind::Resolution)),
        ],
        0usize..6,
        0u32..=u32::MAX,
    )
        .prop_map(|(cycle, stage, k, ordinal)| ActionKey {
            cycle,
            stage,
            kind: ActionKind::from_name(ActionKind::ALL[k]).unwrap(),
            ordinal,
        })
}

/// Random histories of the vectors' ticket: status changes and replies over three days.
fn arb_events() -> impl Strategy<Value = Vec<(u32, u8)>> {
    prop::collection::vec((0u32..72 * 60, 0u8..4), 0..8)
}

fn ticket_of(events: &[(u32, u8)]) -> Ticket {
    let mut evs: Vec<(u32, u8)> = events.to_vec();
    evs.sort_unstable();
    let base = t("2026-09-14T09:00:00Z");
    let mut history = Vec::new();
    let mut comments = Vec::new();
    let mut status = "New";
    for (m, what) in evs {
        let at = sla_lens::time::format_instant(base + i64::from(m) * 60);
        match what {
            0 => comments.push(json!({"at": at, "staff": true})),
            w => {
                let to = ["", "In Progress", "Resolved", "Waiting"][w as usize];
                if to != status {
                    history.push(json!({"at": at, "from": status, "to": to}));
                    status = to;
                }
            }
        }
    }
    Ticket::from_value(&json!({
        "id": "acme/web#7", "created": "2026-09-14T09:00:00Z", "status": "New",
        "fields": {"priority": "Normal"}, "statusHistory": history, "comments": comments,
    }))
    .unwrap()
}

proptest! {
    #[test]
    fn markers_and_labels_round_trip(key in arb_key(), id in "\\PC{0,20}", at in 0i64..7_258_118_400) {
        let m = marker(&id, &key, at);
        prop_assert_eq!(parse_markers(&id, &format!("text before\n{m}\nafter")), vec![key]);
        prop_assert_eq!(parse_label(&label(&key)), Some(key));
        // Claims and markers are told apart, also on one line.
        let c = claim(&id, &key, at, "r1a2");
        let claims = parse_claims(&id, &format!("{c} {m}"));
        prop_assert_eq!(claims.len(), 1);
        prop_assert_eq!(claims[0].key, key);
        prop_assert_eq!(claims[0].run.as_str(), "r1a2");
        prop_assert_eq!(claims[0].at, Some(at));
        prop_assert_eq!(parse_markers(&id, &format!("{c} {m}")), vec![key]);
        prop_assert_eq!(parse_markers(&id, &c), vec![]);
        // GitHub's 50-character limit holds for up to 9,999 cycles, 99 levels, 99 actions.
        if key.cycle < 10_000 && key.ordinal < 100 && !matches!(key.stage, Stage::Level(n) if n >= 100) {
            prop_assert!(label(&key).len() <= 50, "{}", label(&key));
        }
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,200}", id in "\\PC{0,10}") {
        let _ = parse_markers(&id, &text);
        let _ = parse_markers(&id, &format!("sla-lens:escalated {text}"));
        let _ = parse_claims(&id, &format!("sla-lens:claim {text}"));
        let _ = parse_label(&text);
        let _ = parse_label(&format!("sla-lens:c{text}"));
    }

    /// Posting what the plan says (each action's marker: a note's text, a label, or a marker
    /// note written for the other kinds), then planning again, leaves nothing due; planning
    /// later only adds actions of stages crossed since.
    #[test]
    fn planning_is_idempotent(events in arb_events(), now_min in 0i64..80 * 60, later in 0i64..600, form in 0u8..3) {
        let p = policy();
        let tk = ticket_of(&events);
        let now = t("2026-09-14T09:00:00Z") + now_min * 60;
        let first = plan(&p, &tk, now, &[]).unwrap();
        let mut notes = Vec::new();
        let mut labels = Vec::new();
        for d in &first.due {
            match form {
                0 if d.key.kind == ActionKind::Note => notes.push(note_text(&p, &first, d, now)),
                0 if d.key.kind == ActionKind::Email => notes.push(email(&p, &first, d, now).body),
                1 => labels.push(label(&d.key)),
                _ => notes.push(marker(&tk.id, &d.key, now)),
            }
        }
        let mut done: Vec<ActionKey> = notes.iter().flat_map(|n| parse_markers(&tk.id, n)).collect();
        done.extend(labels.iter().filter_map(|l| parse_label(l)));
        let again = plan(&p, &tk, now, &done).unwrap();
        prop_assert!(again.due.is_empty(), "{:?}", again.due.iter().map(|d| d.key).collect::<Vec<_>>());
        // Later, with the same record: nothing already done comes back.
        let next = plan(&p, &tk, now + later * 60, &done).unwrap();
        for d in &next.due {
            prop_assert!(!done.contains(&d.key));
        }
        // A resolved cycle has nothing due.
        if first.resolved {
            prop_assert!(first.due.is_empty());
        }
    }
}

#[test]
fn webhook_bodies_by_preset_show_the_text_as_written() {
    use sla_lens::eval::escalate::webhook_body;
    let mut v: Value = serde_json::from_str(POLICY).unwrap();
    let p = policy();
    let tk = ticket(&[], &[], false);
    let now = t("2026-09-14T18:00:00Z");
    let pl = plan(&p, &tk, now, &[]).unwrap();
    let d = pl
        .due
        .iter()
        .find(|d| d.key.kind == ActionKind::Webhook)
        .unwrap();
    let body = webhook_body(&p, &pl, d, now);
    let text = body["text"].as_str().unwrap();
    // Mattermost: Markdown punctuation escaped.
    assert!(
        text.starts_with("SLA escalation, level 2: Marketing department head.\n"),
        "{text}"
    );
    assert!(
        text.contains("overdue since 2026-09-14 13:00 UTC."),
        "{text}"
    );
    assert!(!body.to_string().contains("\\\\"), "{body}");
    for (preset, check) in [("slack", "text"), ("teams", "@type"), ("generic", "key")] {
        v["escalation"]["levels"][1]["actions"][1]["preset"] = json!(preset);
        v["escalation"]["levels"][1]["role"] = json!("Head <@U123> & *boss*");
        let p = Policy::from_json(&v.to_string()).unwrap();
        let pl = plan(&p, &tk, now, &[]).unwrap();
        let d = pl
            .due
            .iter()
            .find(|d| d.key.kind == ActionKind::Webhook)
            .unwrap();
        let body = webhook_body(&p, &pl, d, now);
        assert!(body.get(check).is_some(), "{preset}: {body}");
        let text = body["text"].as_str().unwrap();
        match preset {
            "slack" => assert!(text.contains("Head &lt;@U123&gt; &amp; *boss*"), "{text}"),
            "teams" => assert!(
                text.contains("Head &lt;\\@U123&gt; &amp; \\*boss\\*"),
                "{text}"
            ),
            _ => {
                assert!(text.contains("Head <@U123> & *boss*"), "{text}");
                assert_eq!(body["stage"], "level-2");
                assert_eq!(body["cycle"], 1);
                assert_eq!(
                    body["key"],
                    "sla-lens:escalated ticket=v cycle=1 level=2 action=webhook#0 at=2026-09-14T18:00:00Z"
                );
            }
        }
    }
}
