//! Notes that record sla-lens's own escalation work (`sla-lens:escalated` markers and
//! `sla-lens:claim` lines, src/ticket/marker.rs) in every adapter that reads notes: such a note is never
//! a reply, whoever wrote it (DESIGN.md "Evaluating a ticket", rule 6; the vectors R1–R6 are
//! read from its table "Notes that record sla-lens's work: vectors", every row of it).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, At as Place};

use serde_json::{json, Value};
use sla_lens::adapters::csv::{map_csv, CsvFormat, CsvMapping};
use sla_lens::adapters::{self, SiteConfig, StaffRule, TrackerKind};
use sla_lens::ticket::{Stamp, TicketInput};
use sla_lens::time::format_instant;
use std::path::Path;

const MARKER: &str =
    "sla-lens:escalated ticket=42 cycle=1 level=1 action=note#0 at=2026-12-07T10:00:00Z";
const CLAIM: &str =
    "sla-lens:claim ticket=42 cycle=1 level=1 action=watch#0 at=2026-12-07T10:00:01Z run=r1";

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn text(s: &Option<Stamp>) -> Option<String> {
    s.as_ref().map(|s| match s {
        Stamp::Text(t) => t.clone(),
        Stamp::Millis(m) => format_instant((m / 1000.0) as i64),
    })
}

fn one(kind: TrackerKind, doc: &Value, site: &SiteConfig) -> TicketInput {
    let text = doc.to_string();
    let mut r = adapters::map_texts(kind, &[&text], site).expect("an accepted shape");
    assert_eq!(r.len(), 1);
    r.remove(0).unwrap_or_else(|e| panic!("{e}"))
}

fn staff_flags(t: &TicketInput) -> Vec<bool> {
    t.comments.iter().map(|c| c.staff).collect()
}

// ---------------------------------------------------------------------------------------------
// Redmine
// ---------------------------------------------------------------------------------------------

/// Issue 42 by Mia (id 7): a note by the API user (id 1) at 10:00, then `notes2` by the same
/// user at 10:00:01, then Sam's (id 9) reply at 11:00.
pub fn redmine_issue(notes1: &str, notes2: &str) -> Value {
    json!({"issue": {
        "id": 42, "subject": "Printer offline",
        "project": {"id": 1, "name": "Marketing IT support"},
        "status": {"id": 1, "name": "New"}, "priority": {"id": 4, "name": "Urgent"},
        "author": {"id": 7, "name": "Mia Marketing"},
        "created_on": "2026-12-07T09:00:00Z",
        "journals": [
            {"id": 100, "user": {"id": 1, "name": "Redmine Admin"}, "notes": notes1,
             "created_on": "2026-12-07T10:00:00Z", "details": []},
            {"id": 101, "user": {"id": 1, "name": "Redmine Admin"}, "notes": notes2,
             "created_on": "2026-12-07T10:00:01Z", "details": []},
            {"id": 102, "user": {"id": 9, "name": "Sam Support"}, "notes": "On it.",
             "created_on": "2026-12-07T11:00:00Z", "details": []}
        ]
    }})
}

// ---------------------------------------------------------------------------------------------
// GitHub (comments and timeline), GitLab, Jira, Jira CSV
// ---------------------------------------------------------------------------------------------

fn github_bundle(body: &str, timeline: bool) -> Value {
    let mut b: Vec<Value> = serde_json::from_str(&fixture("github/bundles.json")).unwrap();
    let mut b = b.remove(0);
    let bot = json!({"login": "sla-lens-bot", "id": 770001});
    let sam = json!({"login": "sam-it", "id": 5830002});
    let c = |id: i64, user: &Value, at: &str, body: &str| {
        json!({"id": id, "user": user, "created_at": at, "author_association": "MEMBER",
               "body": body, "html_url": format!("https://github.com/acme/marketing-it/issues/101#issuecomment-{id}")})
    };
    let comments = vec![
        c(1, &bot, "2026-11-27T09:10:00Z", body),
        c(2, &sam, "2026-11-27T10:30:00Z", "On it."),
    ];
    if timeline {
        b["timeline"] = Value::Array(
            comments
                .iter()
                .map(|c| {
                    let mut e = c.clone();
                    e["event"] = json!("commented");
                    e
                })
                .collect(),
        );
        b.as_object_mut().unwrap().remove("comments");
    } else {
        b["timeline"] = json!([]);
        b["comments"] = Value::Array(comments);
    }
    b
}

fn gitlab_bundle(body: &str) -> Value {
    let mut b: Vec<Value> = serde_json::from_str(&fixture("gitlab/bundles.json")).unwrap();
    let mut b = b.remove(0);
    let bot = json!({"id": 90, "username": "sla-lens", "name": "sla-lens"});
    let sam = json!({"id": 32, "username": "sam", "name": "Sam Support"});
    b["notes"] = json!([
        {"id": 5001, "body": body, "author": bot, "created_at": "2026-11-27T08:10:00.000Z",
         "system": false, "internal": false},
        {"id": 5002, "body": "Rolled back.", "author": sam,
         "created_at": "2026-11-27T09:15:00.000Z", "system": false, "internal": false}
    ]);
    b
}

fn jira_issue(body: Value) -> Value {
    let mut i: Value = serde_json::from_str(&fixture("jira/issue.json")).unwrap();
    let bot = json!({"accountId": "bot-1", "displayName": "sla-lens"});
    let sam = json!({"accountId": "sam-1", "displayName": "Sam Support"});
    i["fields"]["comment"]["comments"] = json!([
        {"id": "20001", "author": bot, "created": "2026-11-26T09:00:00.000+0000", "body": body},
        {"id": "20002", "author": sam, "created": "2026-11-26T10:00:00.000+0000", "body": "Done."}
    ]);
    i
}

/// The Jira CSV fixture's first issue with Sam's comment (the note under test) as `notes`
/// says: `marker` puts the marker's words before his text; a quoted text must be how it starts.
fn jira_csv(notes: &str) -> Result<TicketInput, String> {
    let m = CsvMapping::from_json(Some(CsvFormat::Jira), r#"{"timeZone": "Europe/Berlin"}"#)
        .map_err(|d| format!("{d:?}"))?;
    let csv = fixture("jira-csv/issues.csv");
    let sam = "712020:sam;";
    let csv = match notes {
        "marker" => csv.replacen(
            &format!("{sam}Looking at"),
            &format!("{sam}{} Looking at", MARKER.replace("42", "MKT-1")),
            1,
        ),
        quoted => {
            let start = quoted
                .strip_prefix('"')
                .and_then(|q| q.strip_suffix(" …\""))
                .ok_or_else(|| format!("Notes: `{quoted}` is neither `marker` nor `\"… …\"`"))?;
            if !csv.contains(&format!("{sam}{start}")) {
                return Err(format!("Sam's comment does not start with `{start}`"));
            }
            csv
        }
    };
    let mut e = map_csv(&csv, &m).map_err(|e| format!("{e:?}"))?;
    e.rows.remove(0).map_err(|e| format!("{e:?}"))
}

/// RT ticket 2 of the recorded seed (Max's, created 2026-11-27 08:00) with its history: Max's
/// Create, then a correspondence by the agent `sla` (`body`) at 09:00 and Alice's at 10:00, the
/// words of each message in its `/transaction/T/attachments` answer.
fn rt_ticket(body: &str) -> Value {
    let ticket: Value = serde_json::from_str(&fixture("rt/ticket/2.json")).unwrap();
    let user = |u: &str| json!({"type": "user", "id": u});
    let txn = |id: u64, kind: &str, who: &str, at: &str| {
        json!({"type": "transaction", "id": id.to_string(), "Type": kind, "Creator": user(who),
               "Created": at, "ObjectType": "RT::Ticket", "ObjectId": "2",
               "Field": "", "OldValue": "", "NewValue": ""})
    };
    let words = |id: u64, text: &str| {
        json!({"items": [{"type": "attachment", "id": (id + 100).to_string(),
                          "TransactionId": id.to_string(), "ContentType": "text/plain",
                          "Content": text}]})
    };
    json!([
        ticket,
        {"items": [
            txn(74, "Create", "max", "2026-11-27T08:00:00Z"),
            txn(9001, "Correspond", "sla", "2026-11-27T09:00:00Z"),
            txn(9002, "Correspond", "alice", "2026-11-27T10:00:00Z")
        ]},
        words(74, "Please help (R02)."),
        words(9001, body),
        words(9002, "Looking into it.")
    ])
}

// ---------------------------------------------------------------------------------------------
// The vectors R1–R6 (DESIGN.md "Notes that record sla-lens's work: vectors")
// ---------------------------------------------------------------------------------------------

const R_HEADER: &[&str] = &[
    "#", "Tracker", "Notes", "Staff", "Replies", "Response", "Note",
];

/// One note of a row's Notes cell, for the issue `id`.
fn note_text(item: &str, id: &str) -> Result<String, String> {
    let marker = MARKER.replace("42", id);
    Ok(match item {
        "marker" => format!("SLA escalation, level 1.\n{marker}"),
        "<!-- marker -->" => format!("SLA escalation.\n<!-- {marker} -->"),
        "marker for ticket 99" => MARKER.replace("42", "99"),
        "claim" => CLAIM.replace("42", id),
        q if q.len() > 1 && q.starts_with('"') && q.ends_with('"') => q[1..q.len() - 1].into(),
        _ => return Err(format!("Notes: `{item}` is not a note this test knows")),
    })
}

/// A row's issue, mapped through its adapter, and the times of its first note and of the reply.
fn r_issue(
    tracker: &str,
    notes: &[&str],
    staff: &str,
) -> Result<(TicketInput, &'static str, Option<&'static str>), String> {
    let kind = match tracker {
        "redmine" => TrackerKind::Redmine,
        "github comments" | "github timeline" => TrackerKind::Github,
        "gitlab" => TrackerKind::Gitlab,
        "jira text" | "jira document" => TrackerKind::Jira,
        "rt" => TrackerKind::Rt,
        "jira csv" => {
            let [one] = notes else {
                return Err("jira csv: one note".into());
            };
            return Ok((jira_csv(one)?, "2026-11-27T09:15:00Z", None));
        }
        _ => return Err(format!("Tracker: `{tracker}`")),
    };
    let mut site = SiteConfig::default_for(kind);
    site.staff = match staff {
        "default" => site.staff,
        "users: 1" => StaffRule::Users(vec!["1".into()]),
        _ => return Err(format!("Staff: `{staff}`")),
    };
    let single = |what: &str| match notes {
        [one] => Ok(*one),
        _ => Err(format!("{what}: one note")),
    };
    let (doc, first, reply) = match tracker {
        "redmine" => {
            let [a, b] = notes else {
                return Err("redmine: two notes".into());
            };
            let doc = redmine_issue(&note_text(a, "42")?, &note_text(b, "42")?);
            (doc, "2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z")
        }
        "github comments" | "github timeline" => {
            let body = note_text(single(tracker)?, "101")?;
            let doc = github_bundle(&body, tracker == "github timeline");
            (doc, "2026-11-27T09:10:00Z", "2026-11-27T10:30:00Z")
        }
        "gitlab" => {
            let doc = gitlab_bundle(&note_text(single(tracker)?, "7")?);
            (doc, "2026-11-27T08:10:00Z", "2026-11-27T09:15:00Z")
        }
        "rt" => {
            let doc = rt_ticket(&note_text(single(tracker)?, "2")?);
            (doc, "2026-11-27T09:00:00Z", "2026-11-27T10:00:00Z")
        }
        _ => {
            let text = note_text(single(tracker)?, "MKT-3")?;
            let body = if tracker == "jira document" {
                // One paragraph a line.
                let paragraphs: Vec<Value> = text
                    .lines()
                    .map(|l| json!({"type": "paragraph", "content": [{"type": "text", "text": l}]}))
                    .collect();
                json!({"type": "doc", "version": 1, "content": paragraphs})
            } else {
                json!(text)
            };
            (
                jira_issue(body),
                "2026-11-26T09:00:00Z",
                "2026-11-26T10:00:00Z",
            )
        }
    };
    Ok((one(kind, &doc, &site), first, Some(reply)))
}

#[test]
fn notes_that_record_sla_lens_work_are_never_replies() {
    let table = design_table("Notes that record sla-lens's work: vectors", R_HEADER);
    let mut ids = Vec::new();
    for r in &table.rows {
        let at = format!("{} ({})", Place(&table, r), r.cells[6]);
        let c = &r.cells;
        ids.push(c[0].clone());
        let notes: Vec<&str> = c[2].split("; ").collect();
        let (t, first, reply) =
            r_issue(&c[1], &notes, &c[3]).unwrap_or_else(|e| panic!("{at}: {e}"));
        let want: Vec<bool> = c[4]
            .split(", ")
            .map(|f| match f {
                "yes" => true,
                "no" => false,
                _ => panic!("{at}: Replies: `{f}` is neither yes nor no"),
            })
            .collect();
        assert_eq!(staff_flags(&t), want, "{at}: replies");
        let response = match c[5].as_str() {
            "the first note" => Some(first),
            "the reply" => Some(reply.unwrap_or_else(|| panic!("{at}: this issue has no reply"))),
            "none" => None,
            other => panic!("{at}: Response: `{other}`"),
        };
        // The engine's first response: the adapter's `firstResponseAt` where it sets one (it must
        // agree with the comments), else the first staff comment.
        let first_staff = t.comments.iter().find(|c| c.staff).map(|c| c.at.clone());
        let first_staff = text(&first_staff);
        if t.first_response_at.is_some() {
            assert_eq!(
                text(&t.first_response_at),
                first_staff,
                "{at}: firstResponseAt"
            );
        }
        assert_eq!(first_staff.as_deref(), response, "{at}: response");
    }
    let want = [
        "R1.1", "R1.2", "R2.1", "R2.2", "R3.1", "R3.2", "R3.3", "R3.4", "R4.1", "R4.2", "R5.1",
        "R5.2", "R5.3", "R5.4", "R5.5", "R6.1", "R6.2", "R6.3",
    ];
    assert_eq!(ids, want, "DESIGN.md:{}: the rows R1–R6", table.line);
}

// ---------------------------------------------------------------------------------------------
// The escalations recorded on the issue (DESIGN.md "Evaluating a ticket", rule 11)
// ---------------------------------------------------------------------------------------------

fn recorded(t: &TicketInput) -> Vec<String> {
    t.escalations
        .iter()
        .map(|e| {
            format!(
                "c{} {} {} at {} note {}/{} {}",
                e.cycle,
                e.stage,
                e.action,
                text(&e.at).unwrap_or_default(),
                e.note_id.as_deref().unwrap_or("-"),
                e.note_number.map_or("-".to_string(), |n| n.to_string()),
                e.url.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn e1_redmine_collects_the_agents_markers() {
    let note = format!(
        "SLA escalation, level 1.\n{MARKER}\n{}",
        "sla-lens:escalated ticket=42 cycle=1 level=at-risk-response action=note#0"
    );
    let issue = redmine_issue(&note, CLAIM);
    let mut site =
        SiteConfig::from_json(r#"{"tracker": "redmine", "origin": "https://rm.example/"}"#)
            .unwrap();
    let want = [
        "c1 1 note#0 at 2026-12-07T10:00:00Z note 100/1 https://rm.example/issues/42#note-1",
        // Without `at`, the note's time.
        "c1 at-risk-response note#0 at 2026-12-07T10:00:00Z note 100/1 https://rm.example/issues/42#note-1",
    ];
    // No agent set: anyone but the issue's author; the claim (journal 101) records nothing.
    assert_eq!(recorded(&one(TrackerKind::Redmine, &issue, &site)), want);
    // The agent by id or by name.
    for agent in [r#""1""#, r#"["x", "redmine admin"]"#] {
        site = SiteConfig::from_json(&format!(
            r#"{{"tracker": "redmine", "origin": "https://rm.example", "agent": {agent}}}"#
        ))
        .unwrap();
        assert!(!site.agent.is_empty());
        assert_eq!(
            recorded(&one(TrackerKind::Redmine, &issue, &site)),
            want,
            "{agent}"
        );
    }
    // Another agent: the admin's markers are not the agent's.
    site.agent = vec!["2".into()];
    assert!(recorded(&one(TrackerKind::Redmine, &issue, &site)).is_empty());
    // The customer pasting a marker (the issue's author) records nothing.
    let mut pasted = issue.clone();
    pasted["issue"]["journals"][0]["user"] = json!({"id": 7, "name": "Mia Marketing"});
    site.agent.clear();
    assert!(recorded(&one(TrackerKind::Redmine, &pasted, &site)).is_empty());
    // Another ticket's marker is not this one's; the note is still no reply.
    let other = redmine_issue(&MARKER.replace("ticket=42", "ticket=99"), "ok");
    let t = one(TrackerKind::Redmine, &other, &site);
    assert!(recorded(&t).is_empty());
    // The ticket JSON carries them, and reads them back.
    let t = one(TrackerKind::Redmine, &issue, &site);
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(
        v["escalations"][0],
        json!({"cycle": 1, "stage": "1", "action": "note#0", "at": "2026-12-07T10:00:00Z",
               "noteId": "100", "noteNumber": 1, "url": "https://rm.example/issues/42#note-1"})
    );
    let back: TicketInput = serde_json::from_value(v).unwrap();
    assert_eq!(back, t);
}

#[test]
fn e2_ticket_json_reads_escalations_tolerantly() {
    let text = r#"[{"id": "1", "created": "2026-12-07T09:00:00Z", "escalations": [
        {"cycle": 1, "stage": "1", "at": "2026-12-07T10:00:00Z", "noteNumber": 3},
        {"cycle": "x", "stage": "1"}, {"stage": "2"}, 7, {"cycle": 2, "level": 2, "noteId": "9"}
    ]}, {"id": "2", "created": "2026-12-07T09:00:00Z", "escalations": "none"}]"#;
    let all = sla_lens::Ticket::parse_batch(text).unwrap();
    let t = all[0].as_ref().unwrap();
    let got: Vec<(u32, Option<u32>, Option<String>)> = t
        .escalations
        .iter()
        .map(|e| (e.cycle, e.level, e.note.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (1, Some(1), Some("#3".into())),
            (2, Some(2), Some("9".into()))
        ]
    );
    assert!(all[1].as_ref().unwrap().escalations.is_empty());
    let inputs: Vec<TicketInput> = serde_json::from_str(text).unwrap();
    assert_eq!(inputs[0].escalations.len(), 2);
}

#[test]
fn e3_github_gitlab_jira_collect_the_agents_markers() {
    let site = SiteConfig::default_for(TrackerKind::Github);
    let body = format!("Escalated.\n<!-- {} -->", MARKER.replace("42", "101"));
    let t = one(TrackerKind::Github, &github_bundle(&body, true), &site);
    assert_eq!(
        recorded(&t),
        ["c1 1 note#0 at 2026-12-07T10:00:00Z note 1/- https://github.com/acme/marketing-it/issues/101#issuecomment-1"]
    );
    let mut site = SiteConfig::default_for(TrackerKind::Github);
    site.agent = vec!["someone-else".into()];
    let t = one(TrackerKind::Github, &github_bundle(&body, false), &site);
    assert!(recorded(&t).is_empty());

    let site = SiteConfig::default_for(TrackerKind::Gitlab);
    let t = one(
        TrackerKind::Gitlab,
        &gitlab_bundle(&MARKER.replace("42", "7")),
        &site,
    );
    let r = recorded(&t);
    assert_eq!(r.len(), 1);
    assert!(
        r[0].starts_with("c1 1 note#0 at 2026-12-07T10:00:00Z note 5001/- https://")
            && r[0].ends_with("#note_5001"),
        "{r:?}"
    );

    let mut site = SiteConfig::default_for(TrackerKind::Jira);
    site.agent = vec!["bot-1".into()];
    let t = one(
        TrackerKind::Jira,
        &jira_issue(json!(MARKER.replace("42", "MKT-3"))),
        &site,
    );
    let r = recorded(&t);
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].ends_with("?focusedCommentId=20001"), "{r:?}");
}
