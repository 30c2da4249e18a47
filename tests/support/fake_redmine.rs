//! A stateful fake Redmine on 127.0.0.1 for `sla-lens escalate`'s performing tests: the REST
//! requests the executor makes (DESIGN.md "The escalate command"), each checked for the API key
//! and its documented shape (method, path, JSON body), with notes, watchers, assignee, priority
//! and custom fields kept as state; a webhook sink at `/hook`; an SMTP sink; and a fault proxy
//! that answers 500/429, hangs, or lets a write through and loses its answer, at chosen
//! requests.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const KEY: &str = "k3y-0f-the-sla-lens-user-5f2a9c";
/// The sla-lens user.
pub const ME: i64 = 5;
/// The customer who opens the issues.
pub const CUSTOMER: i64 = 9;
/// Ivo Manager, login `ivo` (the vectors' L1 contact).
pub const IVO: i64 = 12;
/// Sam Staff, in the group `IT`.
pub const STAFF: i64 = 20;

pub use super::fake_http::{read_request, Req as Request};

/// One answer (status, extra headers, JSON body): fake_http's writer.
pub fn write_response(stream: &TcpStream, status: u16, headers: &[(&str, String)], body: &str) {
    let h: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    super::fake_http::write_response(stream, status, &h, body);
}

fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string();
    (listener, addr)
}

/// The tracker's state.
#[derive(Default)]
pub struct State {
    /// Issue id → the issue as `/issues/N.json` shows it (with `journals` and `watchers`).
    pub issues: BTreeMap<i64, Value>,
    pub next_journal: i64,
    /// The `created_on` of journals posted now.
    pub now: String,
    /// Every request: method and path.
    pub log: Vec<(String, String)>,
    /// Webhook POSTs received at `/hook`: their JSON bodies.
    pub hooks: Vec<Value>,
    /// Answer `/hook` with this status (200 when 0).
    pub hook_status: u16,
    /// A pause before each write is applied (to widen races between two agents).
    pub write_delay: Duration,
    /// Requests that were not what the API documents (method, path, why): must stay empty.
    pub wrong: Vec<String>,
    /// Resolve this issue (a journal by someone else, at `now`) the moment a claim note is
    /// posted on it: a person resolving it while a run is between reading and acting.
    pub resolve_on_claim: Option<i64>,
}

impl State {
    /// The sla-lens user's journals' notes on an issue, in order.
    pub fn notes_by_me(&self, id: i64) -> Vec<String> {
        self.journals(id)
            .into_iter()
            .filter(|j| j["user"]["id"] == ME)
            .filter_map(|j| j["notes"].as_str().map(str::to_string))
            .collect()
    }

    pub fn journals(&self, id: i64) -> Vec<Value> {
        self.issues
            .get(&id)
            .and_then(|i| i["journals"].as_array().cloned())
            .unwrap_or_default()
    }

    pub fn watchers(&self, id: i64) -> Vec<i64> {
        self.issues
            .get(&id)
            .and_then(|i| i["watchers"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|w| w["id"].as_i64())
            .collect()
    }
}

pub struct Fake {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

impl Fake {
    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An open Support issue created at `created` by the customer.
pub fn issue(id: i64, created: &str) -> Value {
    json!({
        "id": id,
        "project": {"id": 1, "name": "Marketing IT"},
        "tracker": {"id": 1, "name": "Support"},
        "status": {"id": 1, "name": "New"},
        "priority": {"id": 2, "name": "Normal"},
        "author": {"id": CUSTOMER, "name": "Cora Customer"},
        "subject": format!("Issue {id}"),
        "created_on": created,
        "updated_on": created,
        "custom_fields": [{"id": 4, "name": "Escalated", "value": ""}],
        "journals": [],
        "watchers": [],
    })
}

/// A fake Redmine holding `issues`.
pub fn serve(issues: Vec<Value>, now: &str) -> Fake {
    let mut st = State {
        next_journal: 100,
        now: now.to_string(),
        ..State::default()
    };
    for i in issues {
        let id = i["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("issue without id"));
        st.issues.insert(id, i);
    }
    let state = Arc::new(Mutex::new(st));
    let (listener, addr) = listen();
    let shared = state.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = shared.clone();
            std::thread::spawn(move || {
                if let Some(req) = read_request(&stream) {
                    let (status, body) = route(&state, &req);
                    write_response(&stream, status, &[], &body);
                }
            });
        }
    });
    Fake {
        base: format!("http://{addr}"),
        state,
    }
}

fn query<'a>(path: &'a str, name: &str) -> Option<&'a str> {
    path.split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

fn issue_id(path: &str, prefix: &str, suffix: &str) -> Option<i64> {
    path.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

fn route(state: &Mutex<State>, req: &Request) -> (u16, String) {
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    lock().log.push((req.method.clone(), req.target.clone()));
    let path = req.target.as_str();
    if path == "/hook" && req.method == "POST" {
        let mut st = lock();
        let body = serde_json::from_str(&req.body).unwrap_or(Value::Null);
        st.hooks.push(body);
        let s = if st.hook_status == 0 {
            200
        } else {
            st.hook_status
        };
        return (s, "{}".into());
    }
    if req.header("X-Redmine-API-Key") != Some(KEY) {
        return (401, String::new());
    }
    let wrong = |why: &str| {
        lock()
            .wrong
            .push(format!("{} {}: {why}", req.method, req.target));
        (400, json!({"errors": [why]}).to_string())
    };
    let body: Value = if req.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_str(&req.body) {
            Ok(v) => v,
            Err(_) => return wrong("body is not JSON"),
        }
    };
    if req.method != "GET" && req.header("Content-Type") != Some("application/json") {
        return wrong("a write without Content-Type: application/json");
    }
    match (req.method.as_str(), path.split('?').next().unwrap_or("")) {
        ("GET", "/users/current.json") => (
            200,
            json!({"user": {"id": ME, "login": "sla-lens"}}).to_string(),
        ),
        ("GET", "/issue_statuses.json") => (
            200,
            json!({"issue_statuses": [
                {"id": 1, "name": "New", "is_closed": false},
                {"id": 2, "name": "In Progress", "is_closed": false},
                {"id": 3, "name": "Resolved", "is_closed": false},
                {"id": 5, "name": "Closed", "is_closed": true}
            ]})
            .to_string(),
        ),
        ("GET", "/users.json") => {
            let name = query(path, "name").unwrap_or("");
            let users: Vec<Value> = [(IVO, "ivo"), (7, "ann")]
                .iter()
                .filter(|(_, l)| l.contains(name))
                .map(|(id, l)| json!({"id": id, "login": l}))
                .collect();
            (
                200,
                json!({"users": users, "total_count": users.len()}).to_string(),
            )
        }
        ("GET", "/groups.json") => (
            200,
            json!({"groups": [{"id": 3, "name": "IT"}, {"id": 4, "name": "Marketing"}]}).to_string(),
        ),
        ("GET", "/groups/3.json") if query(path, "include") == Some("users") => (
            200,
            json!({"group": {"id": 3, "name": "IT", "users": [{"id": STAFF, "name": "Sam Staff"}]}})
                .to_string(),
        ),
        ("GET", "/enumerations/issue_priorities.json") => (
            200,
            json!({"issue_priorities": [
                {"id": 1, "name": "Low"}, {"id": 2, "name": "Normal"},
                {"id": 3, "name": "High"}, {"id": 4, "name": "Urgent"}
            ]})
            .to_string(),
        ),
        ("GET", "/issues.json") => {
            if query(path, "status_id") != Some("open") {
                return wrong("the list must ask for open issues");
            }
            let offset: usize = query(path, "offset")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let limit: usize = query(path, "limit")
                .and_then(|s| s.parse().ok())
                .unwrap_or(25);
            let st = lock();
            let open: Vec<Value> = st
                .issues
                .values()
                .filter(|i| i["status"]["id"] != 5)
                .map(|i| {
                    let mut i = i.clone();
                    if let Some(o) = i.as_object_mut() {
                        o.remove("journals");
                        o.remove("watchers");
                    }
                    i
                })
                .collect();
            let page: Vec<Value> = open
                .iter()
                .skip(offset)
                .take(limit.min(100))
                .cloned()
                .collect();
            (
                200,
                json!({"issues": page, "total_count": open.len(), "offset": offset, "limit": limit})
                    .to_string(),
            )
        }
        ("GET", p) if p.starts_with("/issues/") => {
            let Some(id) = issue_id(p, "/issues/", ".json") else {
                return (404, String::new());
            };
            if !path.contains("include=journals") {
                return wrong("a full read must include journals");
            }
            match lock().issues.get(&id) {
                Some(i) => (200, json!({ "issue": i }).to_string()),
                None => (404, String::new()),
            }
        }
        ("PUT", p) if p.starts_with("/issues/") => {
            let Some(id) = issue_id(p, "/issues/", ".json") else {
                return (404, String::new());
            };
            let Some(fields) = body.get("issue").and_then(Value::as_object) else {
                return wrong("PUT /issues/N.json takes {\"issue\": {...}}");
            };
            for k in fields.keys() {
                if ![
                    "notes",
                    "private_notes",
                    "assigned_to_id",
                    "priority_id",
                    "custom_fields",
                ]
                .contains(&k.as_str())
                {
                    return wrong(&format!("unexpected issue field `{k}`"));
                }
            }
            let delay = lock().write_delay;
            std::thread::sleep(delay);
            let mut st = lock();
            let journal_id = st.next_journal;
            let now = st.now.clone();
            let Some(issue) = st.issues.get_mut(&id) else {
                return (404, String::new());
            };
            if let Some(a) = fields.get("assigned_to_id") {
                issue["assigned_to"] = json!({"id": a});
            }
            if let Some(p) = fields.get("priority_id") {
                issue["priority"] = json!({"id": p, "name": format!("priority {p}")});
            }
            if let Some(cfs) = fields.get("custom_fields").and_then(Value::as_array) {
                for cf in cfs {
                    if let Some(slot) = issue["custom_fields"]
                        .as_array_mut()
                        .and_then(|a| a.iter_mut().find(|f| f["id"] == cf["id"]))
                    {
                        slot["value"] = cf["value"].clone();
                    }
                }
            }
            let claim = fields
                .get("notes")
                .and_then(Value::as_str)
                .is_some_and(|n| n.contains("sla-lens:claim "));
            let resolve = claim && st.resolve_on_claim == Some(id);
            let Some(issue) = st.issues.get_mut(&id) else {
                return (404, String::new());
            };
            if let Some(notes) = fields.get("notes").and_then(Value::as_str) {
                let j = json!({
                    "id": journal_id, "user": {"id": ME, "name": "sla-lens"}, "notes": notes,
                    "created_on": now, "private_notes": fields.get("private_notes") == Some(&json!(true)),
                    "details": []
                });
                if let Some(a) = issue["journals"].as_array_mut() {
                    a.push(j);
                }
                issue["updated_on"] = json!(now);
            }
            if resolve {
                issue["status"] = json!({"id": 3, "name": "Resolved"});
                if let Some(a) = issue["journals"].as_array_mut() {
                    a.push(json!({
                        "id": journal_id + 1, "user": {"id": 20, "name": "Sam Staff"}, "notes": "",
                        "created_on": now, "private_notes": false,
                        "details": [{"property": "attr", "name": "status_id", "old_value": "1", "new_value": "3"}]
                    }));
                }
            }
            if fields.contains_key("notes") {
                st.next_journal += 2;
            }
            (204, String::new())
        }
        ("POST", p) if p.starts_with("/issues/") && p.ends_with("/watchers.json") => {
            let Some(id) = issue_id(p, "/issues/", "/watchers.json") else {
                return (404, String::new());
            };
            let Some(user) = body.get("user_id").and_then(Value::as_i64) else {
                return wrong("POST watchers takes {\"user_id\": N}");
            };
            let delay = lock().write_delay;
            std::thread::sleep(delay);
            let mut st = lock();
            let Some(issue) = st.issues.get_mut(&id) else {
                return (404, String::new());
            };
            if let Some(w) = issue["watchers"].as_array_mut() {
                if !w.iter().any(|x| x["id"] == user) {
                    w.push(json!({"id": user, "name": format!("user {user}")}));
                }
            }
            (204, String::new())
        }
        _ => (404, String::new()),
    }
}

/// What the fault proxy does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward it.
    Pass,
    /// Answer this status without forwarding (the tracker did nothing).
    Status(u16),
    /// Answer 429 with `Retry-After: 0` without forwarding.
    TooMany,
    /// Never answer (the client's timeout ends it).
    Hang,
    /// Forward it (the tracker applies it), then answer 500 instead of the tracker's answer.
    AppliedThen500,
}

/// A proxy in front of a tracker: `rule(method, path, n)` (n: how many times this method and
/// path were asked, from 1) says what to do with each request.
pub struct Proxy {
    pub base: String,
    pub faults: Arc<Mutex<Vec<String>>>,
}

pub fn proxy(
    upstream: &str,
    rule: impl Fn(&str, &str, usize) -> Fault + Send + Sync + 'static,
) -> Proxy {
    let (listener, addr) = listen();
    let upstream = upstream
        .strip_prefix("http://")
        .unwrap_or(upstream)
        .to_string();
    let rule = Arc::new(rule);
    let counts: Arc<Mutex<BTreeMap<(String, String), usize>>> = Arc::default();
    let faults: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = faults.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (rule, counts, seen, upstream) =
                (rule.clone(), counts.clone(), seen.clone(), upstream.clone());
            std::thread::spawn(move || {
                let Some(req) = read_request(&stream) else {
                    return;
                };
                let n = {
                    let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
                    let e = c
                        .entry((req.method.clone(), req.target.clone()))
                        .or_default();
                    *e += 1;
                    *e
                };
                let f = rule(&req.method, &req.target, n);
                if f != Fault::Pass {
                    seen.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("{f:?} {} {} #{n}", req.method, req.target));
                }
                match f {
                    Fault::Status(s) => write_response(&stream, s, &[], "{}"),
                    Fault::TooMany => {
                        write_response(&stream, 429, &[("Retry-After", "0".into())], "")
                    }
                    Fault::Hang => {
                        std::thread::sleep(Duration::from_secs(30));
                    }
                    Fault::Pass | Fault::AppliedThen500 => {
                        let (status, headers, body) = forward(&upstream, &req);
                        if f == Fault::AppliedThen500 {
                            write_response(&stream, 500, &[], "{}");
                        } else {
                            let h: Vec<(&str, String)> = headers
                                .iter()
                                .map(|(k, v)| (k.as_str(), v.clone()))
                                .collect();
                            write_response(&stream, status, &h, &body);
                        }
                    }
                }
                let _ = stream.shutdown(Shutdown::Both);
            });
        }
    });
    Proxy {
        base: format!("http://{addr}"),
        faults,
    }
}

fn forward(upstream: &str, req: &Request) -> (u16, Vec<(String, String)>, String) {
    let Ok(mut s) = TcpStream::connect(upstream) else {
        return (502, vec![], String::new());
    };
    let mut out = format!(
        "{} {} HTTP/1.1\r\nHost: {upstream}\r\n",
        req.method, req.target
    );
    for (k, v) in &req.headers {
        if !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("connection") {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let _ = s.write_all(out.as_bytes());
    let _ = s.write_all(req.body.as_bytes());
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// One message the SMTP sink received.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A minimal SMTP server on 127.0.0.1 that accepts every message (RFC 5321's commands as lettre
/// sends them, no TLS).
pub struct Smtp {
    pub url: String,
    pub mail: Arc<Mutex<Vec<Mail>>>,
}

pub fn smtp() -> Smtp {
    let (listener, addr) = listen();
    let mail: Arc<Mutex<Vec<Mail>>> = Arc::default();
    let store = mail.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let store = store.clone();
            std::thread::spawn(move || smtp_session(stream, &store));
        }
    });
    Smtp {
        url: format!("smtp://{addr}"),
        mail,
    }
}

fn smtp_session(stream: TcpStream, store: &Mutex<Vec<Mail>>) {
    let mut w = &stream;
    let mut r = BufReader::new(&stream);
    let say = |w: &mut &TcpStream, s: &str| {
        let _ = w.write_all(format!("{s}\r\n").as_bytes());
    };
    say(&mut w, "220 sink ESMTP");
    let (mut from, mut to) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let up = line.to_ascii_uppercase();
        if up.starts_with("EHLO") || up.starts_with("HELO") {
            say(&mut w, "250-sink\r\n250 8BITMIME");
        } else if up.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_string();
            say(&mut w, "250 ok");
        } else if up.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_string());
            say(&mut w, "250 ok");
        } else if up.starts_with("DATA") {
            say(&mut w, "354 go on");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            store.lock().unwrap_or_else(|e| e.into_inner()).push(Mail {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data,
            });
            say(&mut w, "250 queued");
        } else if up.starts_with("QUIT") {
            say(&mut w, "221 bye");
            return;
        } else {
            say(&mut w, "250 ok");
        }
    }
}
