//! Notes that record sla-lens's own escalation work (`sla-lens:escalated` markers and
//! `sla-lens:claim` lines, src/ticket/marker.rs) in every adapter that reads notes: such a note is never
//! a reply, whoever wrote it (DESIGN.md "Evaluating a ticket", rule 6, vectors R1–R5).
#![cfg(not(target_arch = "wasm32"))]

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

#[test]
fn r1_redmine_marker_and_claim_notes_are_not_replies() {
    let note = format!("SLA escalation, level 1: IT manager.\n{MARKER}");
    for staff in [
        StaffRule::AnyoneButAuthor,
        // Even when the agent's account is listed as staff.
        StaffRule::Users(vec!["1".into()]),
    ] {
        let mut site = SiteConfig::default_for(TrackerKind::Redmine);
        site.staff = staff.clone();
        let t = one(TrackerKind::Redmine, &redmine_issue(&note, CLAIM), &site);
        if matches!(staff, StaffRule::AnyoneButAuthor) {
            assert_eq!(staff_flags(&t), [false, false, true], "{staff:?}");
            assert_eq!(
                text(&t.first_response_at).as_deref(),
                Some("2026-12-07T11:00:00Z"),
                "{staff:?}: Sam's reply is the response, not the escalation note"
            );
        } else {
            assert_eq!(staff_flags(&t)[..2], [false, false], "{staff:?}");
            assert_eq!(t.first_response_at, None, "{staff:?}: Sam is not listed");
        }
    }
}

#[test]
fn r2_the_words_alone_or_in_html_comments() {
    let site = SiteConfig::default_for(TrackerKind::Redmine);
    // Prose naming the word, without the marker's key=value words, is an ordinary reply.
    let t = one(
        TrackerKind::Redmine,
        &redmine_issue("Why was no sla-lens:escalated note posted?", "ok"),
        &site,
    );
    assert_eq!(staff_flags(&t), [true, true, true]);
    assert_eq!(
        text(&t.first_response_at).as_deref(),
        Some("2026-12-07T10:00:00Z")
    );
    // A marker inside `<!-- -->`, and one for another ticket (a note quoting it records
    // sla-lens's work all the same), are records.
    let t = one(
        TrackerKind::Redmine,
        &redmine_issue(
            &format!("Escalated.\n<!-- {MARKER} -->"),
            &MARKER.replace("ticket=42", "ticket=99"),
        ),
        &site,
    );
    assert_eq!(staff_flags(&t), [false, false, true]);
    assert_eq!(
        text(&t.first_response_at).as_deref(),
        Some("2026-12-07T11:00:00Z")
    );
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

#[test]
fn r3_github_comments_and_timeline() {
    let site = SiteConfig::default_for(TrackerKind::Github);
    for timeline in [false, true] {
        let body = format!("SLA escalation.\n<!-- {} -->", MARKER.replace("42", "101"));
        let t = one(TrackerKind::Github, &github_bundle(&body, timeline), &site);
        assert_eq!(staff_flags(&t), [false, true], "timeline {timeline}");
        assert_eq!(
            text(&t.first_response_at).as_deref(),
            Some("2026-11-27T10:30:00Z"),
            "timeline {timeline}"
        );
        let t = one(
            TrackerKind::Github,
            &github_bundle("Looking into it.", timeline),
            &site,
        );
        assert_eq!(
            text(&t.first_response_at).as_deref(),
            Some("2026-11-27T09:10:00Z"),
            "timeline {timeline}: an ordinary comment by the same account is a reply"
        );
    }
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

#[test]
fn r4_gitlab_notes() {
    let site = SiteConfig::default_for(TrackerKind::Gitlab);
    let t = one(
        TrackerKind::Gitlab,
        &gitlab_bundle(&CLAIM.replace("42", "7")),
        &site,
    );
    assert_eq!(staff_flags(&t), [false, true]);
    assert_eq!(
        text(&t.first_response_at).as_deref(),
        Some("2026-11-27T09:15:00Z")
    );
    let t = one(TrackerKind::Gitlab, &gitlab_bundle("Looking."), &site);
    assert_eq!(
        text(&t.first_response_at).as_deref(),
        Some("2026-11-27T08:10:00Z")
    );
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

#[test]
fn r5_jira_comments_v2_text_and_v3_documents() {
    let site = SiteConfig::default_for(TrackerKind::Jira);
    let marker = MARKER.replace("42", "MKT-3");
    let adf = json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "SLA escalation, level 1."}]},
        {"type": "paragraph", "content": [{"type": "text", "text": marker}]}
    ]});
    for body in [json!(marker), adf] {
        let t = one(TrackerKind::Jira, &jira_issue(body.clone()), &site);
        assert_eq!(staff_flags(&t), [false, true], "{body}");
        assert_eq!(
            text(&t.first_response_at).as_deref(),
            Some("2026-11-26T10:00:00Z"),
            "{body}"
        );
    }
    let t = one(TrackerKind::Jira, &jira_issue(json!("Looking.")), &site);
    assert_eq!(
        text(&t.first_response_at).as_deref(),
        Some("2026-11-26T09:00:00Z")
    );
}

#[test]
fn r5_jira_csv_comment_cells() {
    let m = CsvMapping::from_json(Some(CsvFormat::Jira), r#"{"timeZone": "Europe/Berlin"}"#)
        .unwrap_or_else(|d| panic!("{d:?}"));
    let csv = fixture("jira-csv/issues.csv");
    let first = |csv: &str| {
        let e = map_csv(csv, &m).unwrap();
        staff_flags(e.rows[0].as_ref().unwrap())
    };
    assert_eq!(first(&csv), [false, true], "Mia's comment, then Sam's");
    let marked = csv.replacen(
        "712020:sam;Looking at",
        "712020:sam;sla-lens:escalated ticket=MKT-1 cycle=1 level=1 action=note#0 Looking at",
        1,
    );
    assert_ne!(marked, csv);
    assert_eq!(
        first(&marked),
        [false, false],
        "Sam's only comment is a marker note"
    );
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
