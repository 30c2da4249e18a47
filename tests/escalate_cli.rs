//! `sla-lens escalate --tracker redmine --dry-run` against a fake Redmine on 127.0.0.1: a
//! `TcpListener` thread answering fixed responses, checking the API key header and recording the
//! paths asked for. Paging, a 500 on one issue, a 429 then success, markers in notes by the
//! sla-lens user and by a customer, an issue out of scope never read in full, and the key never
//! in the output.
#![cfg(feature = "cli")]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const KEY: &str = "k3y-0f-the-sla-lens-user-5f2a9c";
/// The sla-lens user.
const ME: i64 = 5;
/// The customer who opened the issues.
const CUSTOMER: i64 = 9;

#[path = "support/action_policy.rs"]
mod action_policy;

/// At 14:00 on the vectors' Monday: response deadline 13:00, at risk 12:00, L1 at 13:00 (X3).
const NOW: &str = "2026-09-14T14:00:00Z";

fn issue(id: i64, tracker: &str) -> Value {
    json!({
        "id": id,
        "project": {"id": 1, "name": "Marketing IT"},
        "tracker": {"id": if tracker == "Support" { 1 } else { 2 }, "name": tracker},
        "status": {"id": 1, "name": "New"},
        "priority": {"id": 2, "name": "Normal"},
        "author": {"id": CUSTOMER, "name": "Cora Customer"},
        "subject": format!("Issue {id}"),
        "created_on": "2026-09-14T09:00:00Z",
        "updated_on": "2026-09-14T13:30:00Z"
    })
}

fn journal(id: i64, user: i64, notes: &str, private: bool) -> Value {
    json!({
        "id": id, "user": {"id": user, "name": "someone"}, "notes": notes,
        "created_on": "2026-09-14T13:30:00Z", "private_notes": private, "details": []
    })
}

fn full(id: i64, journals: Vec<Value>) -> String {
    let mut i = issue(id, "Support");
    i["journals"] = Value::Array(journals);
    json!({ "issue": i }).to_string()
}

/// The fake tracker's answer to one request: status, extra headers, body.
type Answer = (u16, Vec<(&'static str, String)>, String);

struct Fake {
    base: String,
    /// Every request's path, and whether it carried the key.
    seen: Arc<Mutex<Vec<(String, bool)>>>,
}

fn serve(route: impl Fn(&str, usize) -> Answer + Send + Sync + 'static) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let base = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let seen: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
    let route = Arc::new(route);
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (route, log) = (route.clone(), log.clone());
            std::thread::spawn(move || answer(stream, &*route, &log));
        }
    });
    Fake { base, seen }
}

fn answer(
    stream: TcpStream,
    route: &dyn Fn(&str, usize) -> Answer,
    log: &Mutex<Vec<(String, bool)>>,
) {
    let mut r = BufReader::new(&stream);
    let mut first = String::new();
    if r.read_line(&mut first).is_err() {
        return;
    }
    let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut keyed = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("x-redmine-api-key") && value.trim() == KEY {
                keyed = true;
            }
        }
    }
    let n = {
        let mut l = log.lock().unwrap_or_else(|e| e.into_inner());
        l.push((path.clone(), keyed));
        l.iter().filter(|(p, _)| *p == path).count()
    };
    let (status, headers, body) = if keyed {
        route(&path, n)
    } else {
        (401, vec![], String::new())
    };
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    let _ = (&stream).write_all(out.as_bytes());
}

/// Five open issues over three pages of two: #1 nothing recorded; #2 the at-risk note and the
/// L1 watch recorded by sla-lens, the L1 note's marker pasted by the customer; #3 answers 500;
/// #4 answers 429 once; #5 is a Feature, out of the policy's scope (Support issues only).
fn redmine(path: &str, n: usize) -> Answer {
    let ok = |b: String| (200, vec![], b);
    match path {
        "/users/current.json" => ok(json!({"user": {"id": ME, "login": "sla-lens"}}).to_string()),
        "/issue_statuses.json" => ok(json!({"issue_statuses": [
            {"id": 1, "name": "New", "is_closed": false},
            {"id": 3, "name": "Resolved", "is_closed": false},
            {"id": 5, "name": "Closed", "is_closed": true}
        ]})
        .to_string()),
        p if p.starts_with("/issues.json?") => {
            let offset: usize = p
                .split("offset=")
                .nth(1)
                .and_then(|s| s.split('&').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            assert!(p.contains("status_id=open"), "{p}");
            let issues: Vec<Value> = (offset..(offset + 2).min(5))
                .map(|i| issue(i as i64 + 1, if i == 4 { "Feature" } else { "Support" }))
                .collect();
            ok(json!({"issues": issues, "total_count": 5, "offset": offset, "limit": 2})
                .to_string())
        }
        "/issues/1.json?include=journals" => ok(full(1, vec![])),
        "/issues/2.json?include=journals" => ok(full(
            2,
            vec![
                journal(
                    11,
                    ME,
                    "At risk.\nsla-lens:escalated ticket=2 cycle=1 level=at-risk-response action=note#0 at=2026-09-14T12:05:00Z",
                    true,
                ),
                journal(
                    12,
                    ME,
                    "sla-lens:escalated ticket=2 cycle=1 level=1 action=watch#0 at=2026-09-14T13:05:00Z",
                    true,
                ),
                journal(
                    13,
                    CUSTOMER,
                    "sla-lens:escalated ticket=2 cycle=1 level=1 action=note#0 at=2026-09-14T13:06:00Z",
                    false,
                ),
            ],
        )),
        "/issues/3.json?include=journals" => (500, vec![], "oops".into()),
        "/issues/4.json?include=journals" if n == 1 => {
            (429, vec![("Retry-After", "0".into())], String::new())
        }
        "/issues/4.json?include=journals" => ok(full(4, vec![])),
        _ => (404, vec![], String::new()),
    }
}

/// The vectors' policy of tests/escalate.rs (DESIGN.md X1–X17), for Support issues only.
fn policy_file() -> tempfile_path::Path {
    let mut v: Value = serde_json::from_str(action_policy::POLICY).expect("the vectors' policy");
    v["scope"] = json!({"include": [{"field": "tracker", "in": ["Support"]}]});
    tempfile_path::write("policy.json", &v.to_string())
}

/// A file under the target directory (no tempfile crate in the CLI's tests).
mod tempfile_path {
    pub struct Path(pub std::path::PathBuf);
    impl Drop for Path {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    pub fn write(name: &str, text: &str) -> Path {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let p = dir.join(format!("escalate-{}-{n}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Path(p)
    }
}

fn escalate(base: &str, policy: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sla-lens"));
    c.args([
        "escalate",
        "--tracker",
        "redmine",
        "--url",
        base,
        "--policy",
    ])
    .arg(policy)
    .args(["--now", NOW])
    .args(extra)
    .env_remove("SLA_LENS_REDMINE_KEY")
    .env_remove("SLA_LENS_REDMINE_KEY_FILE")
    .env("SLA_LENS_BACKOFF_MS", "10");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output()
        .unwrap_or_else(|e| panic!("cannot run sla-lens: {e}"))
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn keys(doc: &Value, id: &str) -> Vec<String> {
    doc["plan"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["id"] == id)
        .flat_map(|p| p["actions"].as_array().cloned().unwrap_or_default())
        .map(|a| a["key"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn dry_run_plans_pages_and_reports_faults() {
    let fake = serve(redmine);
    let policy = policy_file();
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run", "--json"],
        &[("SLA_LENS_REDMINE_KEY", KEY)],
    );
    let (out, err) = text(&o);
    assert!(!out.contains(KEY) && !err.contains(KEY), "{out}\n{err}");
    // One issue could not be read: exit 1, the others planned.
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let doc: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(doc["listed"], 5, "{doc}");
    assert_eq!(doc["outOfScope"], 1, "{doc}");
    assert_eq!(doc["candidates"], 4, "{doc}");
    assert_eq!(doc["read"], 3, "{doc}");
    assert_eq!(doc["dryRun"], true);
    assert_eq!(doc["now"], NOW);
    let x3 = ["c1 AR-response note#0", "c1 L1 watch#0", "c1 L1 note#0"];
    assert_eq!(keys(&doc, "1"), x3, "{doc}");
    // The customer's pasted marker does not silence the L1 note (X4 otherwise).
    assert_eq!(keys(&doc, "2"), ["c1 L1 note#0"], "{doc}");
    assert_eq!(keys(&doc, "4"), x3, "after a 429: {doc}");
    assert_eq!(doc["issuesDue"], 3);
    assert_eq!(doc["actionsDue"], 7);
    let plan2 = doc["plan"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] == "2"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        plan2["recorded"],
        json!(["c1 AR-response note#0", "c1 L1 watch#0"])
    );
    assert_eq!(
        plan2["actions"][0]["marker"],
        "sla-lens:escalated ticket=2 cycle=1 level=1 action=note#0 at=2026-09-14T14:00:00Z"
    );
    assert_eq!(plan2["actions"][0]["role"], "IT manager");
    assert_eq!(plan2["actions"][0]["since"], "2026-09-14T13:00:00Z");
    assert_eq!(plan2["url"], format!("{}/issues/2", fake.base));
    let faults = doc["faults"].as_array().cloned().unwrap_or_default();
    assert_eq!(faults.len(), 1, "{doc}");
    assert_eq!(faults[0]["issue"], "3");
    assert_eq!(faults[0]["error"], "HTTP 500");

    let seen = fake.seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(seen.iter().all(|(_, keyed)| *keyed), "{seen:?}");
    let count = |p: &str| seen.iter().filter(|(q, _)| q == p).count();
    // Paged by what the tracker returned: offsets 0, 2, 4.
    for off in [0, 2, 4] {
        assert_eq!(
            count(&format!(
                "/issues.json?status_id=open&sort=id&limit=100&offset={off}"
            )),
            1,
            "{seen:?}"
        );
    }
    assert_eq!(count("/issues/1.json?include=journals"), 1);
    assert_eq!(
        count("/issues/3.json?include=journals"),
        3,
        "three attempts"
    );
    assert_eq!(count("/issues/4.json?include=journals"), 2, "429, then 200");
    // Out of scope on the list: never read in full.
    assert_eq!(count("/issues/5.json?include=journals"), 0, "{seen:?}");
}

#[test]
fn the_summary_names_issues_actions_and_faults() {
    let fake = serve(redmine);
    let policy = policy_file();
    let key_file = tempfile_path::write("key", &format!("{KEY}\n"));
    let key_path = key_file.0.to_string_lossy().into_owned();
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run", "--once"],
        &[("SLA_LENS_REDMINE_KEY_FILE", key_path.as_str())],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(!out.contains(KEY) && !err.contains(KEY));
    assert!(out.contains("#2 Issue 2\n  would note#0: level 1 (IT manager), cycle 1, since 2026-09-14T13:00:00Z\n"), "{out}");
    assert!(
        out.contains("would note#0: at-risk-response, cycle 1, since 2026-09-14T12:00:00Z"),
        "{out}"
    );
    assert!(out.contains("fault: #3: HTTP 500"), "{out}");
    assert!(out.contains("5 open issues listed, 1 out of scope, 3 of 4 read in full; 7 actions due on 3 issues; 1 faults"), "{out}");
}

#[test]
fn a_refused_key_fails_the_run_without_showing_it() {
    let fake = serve(redmine);
    let policy = policy_file();
    let wrong = "wr0ng-key-8d7e6f";
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run"],
        &[("SLA_LENS_REDMINE_KEY", wrong)],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(err.contains("the API key was refused"), "{err}");
    assert!(!out.contains(wrong) && !err.contains(wrong));
    // Nothing is asked after the refusal.
    let seen = fake.seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
}

#[test]
fn usage_errors_exit_2_before_any_request() {
    let fake = serve(redmine);
    let policy = policy_file();
    // No key.
    let o = escalate(&fake.base, &policy.0, &["--dry-run"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).1.contains("SLA_LENS_REDMINE_KEY"),
        "{}",
        text(&o).1
    );
    // Performing a policy with `email` actions needs an SMTP server.
    let o = escalate(&fake.base, &policy.0, &[], &[("SLA_LENS_REDMINE_KEY", KEY)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("SLA_LENS_SMTP_URL"), "{}", text(&o).1);
    // --every with --now.
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run", "--every", "5m"],
        &[("SLA_LENS_REDMINE_KEY", KEY)],
    );
    assert_eq!(o.status.code(), Some(2));
    // A user name in the URL.
    let with_user = fake.base.replace("http://", "http://u:p@");
    let o = escalate(
        &with_user,
        &policy.0,
        &["--dry-run"],
        &[("SLA_LENS_REDMINE_KEY", KEY)],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(fake
        .seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_empty());
}

#[test]
fn redirects_are_not_followed_with_the_key() {
    let elsewhere = serve(redmine);
    let target = format!("{}/users/current.json", elsewhere.base);
    let fake = serve(move |_, _| (302, vec![("Location", target.clone())], String::new()));
    let policy = policy_file();
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run"],
        &[("SLA_LENS_REDMINE_KEY", KEY)],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(elsewhere
        .seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_empty());
    assert!(!err.contains(KEY));
}

#[test]
fn an_issue_on_two_pages_is_read_and_planned_once() {
    // The list shifted while it was paged: issue 2 is on both pages.
    let fake = serve(|path, n| match path {
        p if p.starts_with("/issues.json?") && p.ends_with("offset=0") => (
            200,
            vec![],
            json!({"issues": [issue(1, "Support"), issue(2, "Support")], "total_count": 4})
                .to_string(),
        ),
        p if p.starts_with("/issues.json?") && p.ends_with("offset=2") => (
            200,
            vec![],
            json!({"issues": [issue(2, "Support"), issue(3, "Support")], "total_count": 4})
                .to_string(),
        ),
        p => redmine(p, n),
    });
    let policy = policy_file();
    let o = escalate(
        &fake.base,
        &policy.0,
        &["--dry-run", "--json"],
        &[("SLA_LENS_REDMINE_KEY", KEY)],
    );
    let (out, err) = text(&o);
    let doc: Value =
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let ids: Vec<&str> = doc["plan"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["1", "2"], "{doc}");
    assert_eq!(doc["candidates"], 3, "{doc}");
    let seen = fake.seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let twos = seen
        .iter()
        .filter(|(p, _)| p == "/issues/2.json?include=journals")
        .count();
    assert_eq!(twos, 1, "{seen:?}");
}
