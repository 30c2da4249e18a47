//! Request Tracker 5: the adapter on REST 2 answers recorded from a real RT
//! (`scripts/rt/rt.sh all`; tests/fixtures/rt/README.md), and RT's own SLA as a witness of the
//! response deadlines (docs/trackers.md, "Request Tracker").
//!
//! The tickets are found by the tag their subject starts with (R01…R12, scripts/rt/seed.pl).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::format_instant;
use sla_lens::{evaluate, Policy, Ticket, TicketInput};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-27T12:00:00Z";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rt")
}

fn json_file(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every recorded answer, as documents (tickets, history pages, attachments, queues, users, groups).
fn docs(with: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    for sub in with {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        out.extend(files.iter().map(|f| json_file(f)));
    }
    out
}

const ALL: &[&str] = &["ticket", "history", "attachments", "queue", "user", "group"];

fn map(docs: &[Value], site: &SiteConfig) -> Vec<TicketInput> {
    adapters::map_responses(TrackerKind::Rt, docs, site)
        .expect("recorded answers are accepted")
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Ticket by tag: the seed's id for it.
fn by_tag<'a>(tickets: &'a [TicketInput], tag: &str) -> &'a TicketInput {
    let seed = json_file(&dir().join("seed.json"));
    let id = seed["tickets"][tag].to_string();
    tickets
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{tag} (#{id}) not mapped"))
}

fn text(s: &Stamp) -> String {
    match s {
        Stamp::Text(t) => t.clone(),
        Stamp::Millis(m) => format_instant((m / 1000.0) as i64),
    }
}

fn site() -> SiteConfig {
    SiteConfig::default_for(TrackerKind::Rt)
}

fn now() -> i64 {
    parse_instant(&Stamp::Text(NOW.into())).unwrap()
}

fn policy(file: Option<&str>) -> Policy {
    match file {
        Some(f) => Policy::from_json(&std::fs::read_to_string(dir().join(f)).unwrap()).unwrap(),
        None => Policy::from_json(include_str!("../policies/default.json")).unwrap(),
    }
}

/// (response state, response deadline) of every ticket by tag.
fn states(p: &Policy, tickets: &[TicketInput]) -> BTreeMap<String, (String, Option<String>)> {
    let seed = json_file(&dir().join("seed.json"));
    let mut out = BTreeMap::new();
    for (tag, id) in seed["tickets"].as_object().unwrap() {
        let id = id.as_u64().expect("seed ids are numbers").to_string();
        let t = tickets.iter().find(|t| t.id == id).unwrap();
        let ticket = Ticket::from_input(t.clone()).unwrap();
        let e = evaluate(p, &ticket, now()).unwrap();
        let v = serde_json::to_value(e).unwrap();
        let state = if v["applicability"]["kind"] != "applies" {
            "notApplicable".to_string()
        } else {
            v["response"]["state"].as_str().unwrap().to_string()
        };
        let deadline = v["response"]["deadline"].as_str().map(str::to_string);
        out.insert(tag.clone(), (state, deadline));
    }
    out
}

#[test]
fn the_recording_is_of_the_seeded_now() {
    assert_eq!(json_file(&dir().join("seed.json"))["now"], NOW);
}

#[test]
fn recorded_tickets_map_to_what_the_seed_did() {
    let t = map(&docs(ALL), &site());
    assert_eq!(t.len(), 15);
    // R01: created by Mia, Alice's correspondence is the response; queue by name and id.
    let r01 = by_tag(&t, "R01");
    assert_eq!(r01.title.as_deref(), Some("R01 answered"));
    assert_eq!(
        r01.created.as_ref().map(text).as_deref(),
        Some("2026-11-26T09:00:00Z")
    );
    assert_eq!(
        r01.first_response_at.as_ref().map(text).as_deref(),
        Some("2026-11-26T11:00:00Z")
    );
    assert_eq!(r01.requester.as_deref(), Some("mia"));
    assert_eq!(r01.assignee, None, "Nobody owns it");
    assert_eq!(
        r01.fields["project"].first(),
        Some("Marketing IT support"),
        "the queue's name, from /queue/N"
    );
    assert_eq!(
        r01.fields["priority"].first(),
        Some("normal"),
        "the SLA level"
    );
    assert_eq!(r01.fields["priorityName"].first(), Some("Low"));
    assert_eq!(r01.fields["requesterGroup"].first(), Some("Marketing"));
    assert!(r01.unknown.is_empty());
    // Unset dates are absent: R01 was never resolved, so no status change comes from `Resolved`.
    assert!(r01
        .status_history
        .iter()
        .all(|c| !text(&c.at).starts_with("1970")));
    // R03: an internal comment is not a reply; stalled is the shipped pause's status.
    let r03 = by_tag(&t, "R03");
    assert!(r03.comments.is_empty());
    assert_eq!(r03.status.as_deref(), Some("Waiting on customer"));
    // R04: reopened by the requester's correspondence.
    let r04 = by_tag(&t, "R04");
    let hist: Vec<(String, Option<String>, String)> = r04
        .status_history
        .iter()
        .map(|c| (text(&c.at), c.from.clone(), c.to.clone()))
        .collect();
    assert_eq!(
        hist,
        [
            ("2026-11-24T10:00:00Z", "new", "open"),
            ("2026-11-24T11:00:00Z", "open", "resolved"),
            ("2026-11-27T09:00:00Z", "resolved", "open"),
        ]
        .map(|(a, f, t)| (a.to_string(), Some(f.to_string()), t.to_string()))
    );
    let staff: Vec<bool> = r04.comments.iter().map(|c| c.staff).collect();
    assert_eq!(staff, [true, false]);
    // R05: RT's SLA level `critical` is the priority.
    assert_eq!(
        by_tag(&t, "R05").fields["priority"].first(),
        Some("critical")
    );
    // R06: the other queue.
    assert_eq!(
        by_tag(&t, "R06").fields["queue"].first(),
        Some("General IT")
    );
    // R12: priority 100 is "High"; sla-lens's correspondence holds a marker: a record, not a
    // reply, and the ticket's escalation; the claim is an internal comment.
    let r12 = by_tag(&t, "R12");
    assert_eq!(r12.fields["priorityName"].first(), Some("High"));
    assert_eq!(r12.assignee.as_deref(), Some("alice"));
    assert_eq!(r12.first_response_at, None);
    assert_eq!(
        r12.comments.iter().map(|c| c.staff).collect::<Vec<_>>(),
        [false]
    );
    assert_eq!(r12.escalations.len(), 1);
    assert_eq!(r12.escalations[0].stage, "1");
    assert_eq!(
        r12.escalations[0].at.as_ref().map(text).as_deref(),
        Some("2026-11-27T10:10:00Z")
    );
}

#[test]
fn the_staff_rules_agree_on_the_seeded_staff() {
    let all = docs(ALL);
    let base = map(&all, &site());
    for rule in [
        json!("notRequestor"),
        json!("privileged"),
        json!({"groups": ["IT Staff"]}),
        json!({"users": ["alice", "bob", "sla"]}),
    ] {
        let s = SiteConfig::from_json(&json!({"tracker": "rt", "rt": {"staff": rule}}).to_string())
            .unwrap();
        let t = map(&all, &s);
        for (a, b) in base.iter().zip(&t) {
            assert_eq!(a.first_response_at, b.first_response_at, "{rule} #{}", a.id);
        }
    }
    // Without the /user answers, `privileged` cannot tell: an error for each ticket with a reply.
    let s = SiteConfig::from_json(r#"{"tracker": "rt", "rt": {"staff": "privileged"}}"#).unwrap();
    let r = adapters::map_responses(
        TrackerKind::Rt,
        &docs(&["ticket", "history", "attachments", "queue"]),
        &s,
    )
    .unwrap();
    let errors: Vec<_> = r.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .all(|e| e.code == "unknown-user" && e.id.is_some()));
    assert!(r.iter().any(Result::is_ok), "the others are still mapped");
    // Nor can `groups` without the group's members or the people's memberships (what a page
    // reading RT's REST as a user gets): never "nobody is staff", which would be a wrong state.
    let s =
        SiteConfig::from_json(r#"{"tracker": "rt", "rt": {"staff": {"groups": ["IT Staff"]}}}"#)
            .unwrap();
    let bare = docs(&["ticket", "history", "attachments", "queue"]);
    let r = adapters::map_responses(TrackerKind::Rt, &bare, &s).unwrap();
    let errors: Vec<_> = r.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .all(|e| e.code == "unknown-group" && e.id.is_some()));
    assert!(r.iter().any(Result::is_ok), "the others are still mapped");
    // Either source is enough: the group answers alone, or, for a group listed by id (39 is
    // IT Staff), the users' answers with their memberships alone.
    let by_id =
        SiteConfig::from_json(r#"{"tracker": "rt", "rt": {"staff": {"groups": ["39"]}}}"#).unwrap();
    for (extra, site) in [("group", &s), ("user", &by_id)] {
        let mut d = bare.clone();
        d.extend(docs(&[extra]));
        let t = map(&d, site);
        for (a, b) in base.iter().zip(&t) {
            assert_eq!(
                a.first_response_at, b.first_response_at,
                "{extra} #{}",
                a.id
            );
        }
    }
    // The users' answers cannot name a group listed by name.
    let mut d = bare.clone();
    d.extend(docs(&["user"]));
    let r = adapters::map_responses(TrackerKind::Rt, &d, &s).unwrap();
    assert!(r
        .iter()
        .any(|r| r.as_ref().is_err_and(|e| e.code == "unknown-group")));
}

#[test]
fn a_search_page_alone_leaves_replies_unknown() {
    let t = map(&[json_file(&dir().join("tickets.json"))], &site());
    assert_eq!(t.len(), 15);
    let r02 = by_tag(&t, "R02");
    assert_eq!(r02.unknown, ["replies", "statusHistory"]);
    // A full ticket answer with its history replaces the search page's entry.
    let mut d = vec![json_file(&dir().join("tickets.json"))];
    d.extend(docs(ALL));
    let t = map(&d, &site());
    assert_eq!(t.len(), 15);
    assert!(by_tag(&t, "R02").unknown.is_empty());
}

#[test]
fn a_bad_ticket_is_an_error_for_that_ticket_only() {
    let mut d = docs(&["ticket", "queue"]);
    d[0]["Created"] = json!("yesterday");
    d[1]["Status"] = json!(7);
    let r = adapters::map_responses(TrackerKind::Rt, &d, &site()).unwrap();
    let n = r.len();
    assert_eq!(n, 15);
    let e0 = r[0].as_ref().unwrap_err();
    assert_eq!(
        (e0.code, e0.path.as_str()),
        ("invalid-timestamp", "<input 0>.Created")
    );
    let e1 = r[1].as_ref().unwrap_err();
    assert_eq!(e1.code, "invalid-issue");
    assert!(r[2..].iter().all(Result::is_ok));
    // A transaction that is not one: an error for its ticket.
    let mut h = docs(&["ticket", "history"]);
    h[n]["items"][0]["Created"] = json!(null);
    let r = adapters::map_responses(TrackerKind::Rt, &h, &site()).unwrap();
    assert_eq!(r.iter().filter(|r| r.is_err()).count(), 1);
    // Another record's transactions (a queue's) are no ticket's history.
    h[n]["items"][0]["ObjectType"] = json!("RT::Queue");
    let r = adapters::map_responses(TrackerKind::Rt, &h, &site()).unwrap();
    assert!(r.iter().all(Result::is_ok));
}

#[test]
fn the_site_file_rt_object() {
    let s = SiteConfig::from_json(
        r#"{"tracker": "rt", "rt": {"priority": ["priorityName"], "queues": {"3": "MIT"}}}"#,
    )
    .unwrap();
    let t = map(&docs(&["ticket", "history", "attachments"]), &s);
    assert_eq!(by_tag(&t, "R12").fields["priority"].first(), Some("High"));
    assert_eq!(by_tag(&t, "R01").fields["project"].first(), Some("MIT"));
    let e = SiteConfig::from_json(r#"{"tracker": "redmine", "rt": {}}"#).unwrap_err();
    assert_eq!(e.0[0].code, "site-unsupported-rt");
    assert!(SiteConfig::from_json(r#"{"tracker": "rt", "rt": {"staf": "privileged"}}"#).is_err());
    // `statuses` renames RT's lifecycle names; `{}` keeps them.
    let s = SiteConfig::from_json(r#"{"tracker": "rt", "statuses": {}}"#).unwrap();
    let t = map(&docs(&["ticket"]), &s);
    assert_eq!(by_tag(&t, "R03").status.as_deref(), Some("stalled"));
}

/// The response state and deadline of every ticket at the seed's now, under the shipped default
/// policy and under the policy that follows RT's SLA: tests/fixtures/rt/expected.json (checked by
/// hand against the seed's instants; `make test-rt` holds a live RT to the same file).
#[test]
fn expected_states() {
    let expected = json_file(&dir().join("expected.json"));
    let tickets = map(&docs(ALL), &site());
    for (name, file) in [("default", None), ("witness", Some("policy.json"))] {
        let got = states(&policy(file), &tickets);
        for (tag, want) in expected.as_object().unwrap() {
            let want = (
                want[name][0].as_str().unwrap().to_string(),
                want[name][1].as_str().map(str::to_string),
            );
            assert_eq!(got[tag], want, "{tag} under the {name} policy");
        }
        assert_eq!(got.len(), expected.as_object().unwrap().len());
    }
}

// ---------------------------------------------------------------------------------------------
// RT's own SLA as a witness
// ---------------------------------------------------------------------------------------------

/// RT's `Due` timeline of a ticket: each `Set Due` transaction's (when, new value), `None` for
/// cleared.
fn rt_due(id: &str) -> Vec<(String, Option<String>)> {
    let h = json_file(&dir().join(format!("history/{id}.json")));
    let mut out = Vec::new();
    for x in h["items"].as_array().unwrap() {
        if x["Type"] == "Set" && x["Field"] == "Due" {
            let v = x["NewValue"].as_str().unwrap();
            let v = (v != "1970-01-01 00:00:00").then(|| format!("{}Z", v.replace(' ', "T")));
            out.push((x["Created"].as_str().unwrap().to_string(), v));
        }
    }
    out
}

/// Our response deadline and RT's `Due` for every ticket, under the policy that follows RT's
/// `%ServiceAgreements` (tests/fixtures/rt/policy.json). Where the models agree the deadlines
/// are equal — also in business hours, to the second; where they differ the difference is the
/// one docs/trackers.md describes ("Request Tracker: RT's SLA and sla-lens").
#[test]
fn rt_due_is_our_response_deadline_where_the_models_agree() {
    let seed = json_file(&dir().join("seed.json"));
    let id = |tag: &str| seed["tickets"][tag].to_string();
    let got = states(&policy(Some("policy.json")), &map(&docs(ALL), &site()));
    let first_due = |tag: &str| rt_due(&id(tag)).first().and_then(|(_, d)| d.clone());
    let last_due = |tag: &str| rt_due(&id(tag)).last().and_then(|(_, d)| d.clone());
    // The same deadline: unanswered (24 h, 4 h critical), answered in time, and in business
    // hours — from within hours and from overnight (the clock starts at the next opening), and
    // one that uses the day up exactly at closing (both give the next opening, 09:00).
    // Business hours across a weekend, Christmas and New Year (RT's holidays, ours the same).
    for tag in [
        "R01", "R02", "R05", "R07", "R08", "R10", "R13", "R14", "R15",
    ] {
        assert_eq!(got[tag].1, first_due(tag), "{tag}: first Due");
    }
    for tag in ["R02", "R05", "R07", "R13", "R14", "R15"] {
        assert_eq!(got[tag].1, last_due(tag), "{tag}: Due now");
    }
    assert_eq!(first_due("R07").as_deref(), Some("2026-11-27T09:00:00Z"));
    assert_eq!(first_due("R08").as_deref(), Some("2026-11-26T13:00:00Z"));
    assert_eq!(first_due("R13").as_deref(), Some("2026-11-23T11:00:00Z"));
    assert_eq!(first_due("R14").as_deref(), Some("2025-12-29T11:00:00Z"));
    assert_eq!(first_due("R15").as_deref(), Some("2026-01-02T10:00:00Z"));
    // A reopening: RT's new clock from the requester's message is our second cycle's.
    assert_eq!(got["R04"].1, last_due("R04"));
    assert_eq!(got["R04"].0, "running");

    // The differences (docs/trackers.md):
    // 1. a staff reply clears RT's Due; ours keeps the deadline and says `met`.
    assert_eq!(last_due("R01"), None);
    assert_eq!(got["R01"].0, "met");
    // 2. the requester's next message starts a new RT clock; our response was met once.
    assert_eq!(last_due("R10").as_deref(), Some("2026-11-27T10:00:00Z"));
    assert_eq!(
        got["R10"],
        ("met".into(), Some("2026-11-27T08:00:00Z".into()))
    );
    // 3. a ticket a member of staff created has no Due in RT; ours counts from creation.
    assert!(rt_due(&id("R09")).is_empty());
    assert_eq!(
        got["R09"],
        ("running".into(), Some("2026-11-28T09:30:00Z".into()))
    );
    // 4. resolving keeps RT's Due; resolving stops our response clock.
    assert_eq!(last_due("R11").as_deref(), Some("2026-11-27T14:00:00Z"));
    assert_eq!(got["R11"].0, "met");
    // 5. stalled does not stop RT's response clock; our policy pauses on it.
    assert_eq!(last_due("R03").as_deref(), Some("2026-11-26T10:00:00Z"));
    assert_eq!(got["R03"], ("paused".into(), None));
    // 6. sla-lens's own escalation record (correspondence) clears RT's Due; for us it is no reply.
    assert_eq!(last_due("R12"), None);
    assert_eq!(got["R12"].0, "running");
    // Out of scope: RT computes a Due (its SLA is on in every queue we enabled); ours does not apply.
    assert_eq!(got["R06"].0, "notApplicable");
}
