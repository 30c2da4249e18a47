//! `sla-lens escalate` performing against fake GitHub, GitLab and Jira servers on 127.0.0.1. Each
//! fake keeps the issue's comments, labels, assignees, watchers and fields as state and checks
//! every request against the published API: method, path, query parameters, auth and `Accept`
//! headers, and the body's shape; anything else is refused (400/401/404) and noted, so a wrong
//! shape fails the test. Per tracker: a dry run writes nothing; a performing run does each due
//! action once (watch, assign, set label/priority/field, notes, a webhook); a second run does
//! nothing; the token is in no output.
#![cfg(feature = "cli")]

#[path = "support/fake_http.rs"]
mod fake_http;

use fake_http::{serve, serve_with_headers, Fake, Req};
use serde_json::{json, Value};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// The vectors' Monday at 14:00: created 09:00, response due 13:00 (at risk from 12:00), so the
/// at-risk note and level 1 are due.
const NOW: &str = "2026-09-14T14:00:00Z";
const CREATED: &str = "2026-09-14T09:00:00Z";

const GH_TOKEN: &str = "ghp_s3cr3tGithubToken4b1d";
const GL_TOKEN: &str = "glpat-s3cr3tGitlabToken77";
const JIRA_TOKEN: &str = "ATATTs3cr3tJiraToken9c2e";
const JIRA_EMAIL: &str = "sla-bot@example.com";

type Answer = (u16, String);

fn ok(v: Value) -> Answer {
    (200, v.to_string())
}

/// Whether `v` is an object with all of `required` and otherwise only `optional` keys.
fn shape(v: &Value, required: &[&str], optional: &[&str]) -> bool {
    v.as_object().is_some_and(|o| {
        required.iter().all(|k| o.contains_key(*k))
            && o.keys()
                .all(|k| required.contains(&k.as_str()) || optional.contains(&k.as_str()))
    })
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// Shared by the fakes: the requests refused, and the webhook's deliveries.
#[derive(Default)]
struct Common {
    refused: Vec<String>,
    hooks: Vec<Value>,
}

impl Common {
    fn refuse(&mut self, r: &Req, status: u16, why: &str) -> Answer {
        self.refused.push(format!(
            "{} {} {:?} {}: {why}",
            r.method, r.path, r.query, r.body
        ));
        (status, json!({ "message": why }).to_string())
    }

    /// The webhook (`POST /hook`): a JSON body with the action's key, and none of the trackers'
    /// secrets or auth headers.
    fn hook(&mut self, r: &Req) -> Answer {
        let leaked = ["authorization", "private-token", "x-redmine-api-key"]
            .iter()
            .any(|h| r.header(h).is_some());
        match r.json() {
            Some(v) if r.method == "POST" && !leaked && v.get("key").is_some() => {
                self.hooks.push(v);
                ok(json!({}))
            }
            _ => self.refuse(
                r,
                400,
                "webhook: not a keyed JSON POST, or auth headers sent",
            ),
        }
    }
}

/// The policy: at risk a public note; level 1 (at the response deadline) watch, assign, a label,
/// a priority raise, `extra` actions, a private note and a webhook. Contacts have identities on
/// every tracker.
fn policy(hook: &str, extra: &str) -> String {
    format!(
        r#"{{
  "version": 1, "id": "trackers", "name": "Tracker actions",
  "parties": {{"provider": {{"name": "IT"}}, "customer": {{"name": "Marketing"}}}},
  "priorities": [{{"id": "normal", "name": "Normal"}}],
  "targets": [{{"priority": "normal", "response": "4h", "resolution": "16h"}}],
  "escalation": {{
    "atRisk": {{"contacts": [{{"name": "Ann Lead", "github": "ann-lead", "gitlab": "ann", "jira": "acc-ann"}}],
               "actions": [{{"kind": "note"}}]}},
    "levels": [
      {{"level": 1, "role": "IT manager",
       "contacts": [{{"name": "Ivo Manager", "github": "ivo-m", "gitlab": "ivo", "jira": "acc-ivo"}}],
       "trigger": {{"metric": "response", "after": "0h"}},
       "actions": [{{"kind": "watch"}}, {{"kind": "assign"}}, {{"kind": "set", "label": "sla-escalated"}},
                   {{"kind": "set", "priority": "High"}}{extra},
                   {{"kind": "note", "private": true}}, {{"kind": "webhook", "url": "{hook}"}}]}}
    ]
  }}
}}"#
    )
}

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
        let p = dir.join(format!("trackers-{}-{n}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Path(p)
    }
}

fn escalate(tracker: &str, base: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sla-lens"));
    c.args(["escalate", "--tracker", tracker, "--url", base])
        .args(args)
        .env("SLA_LENS_BACKOFF_MS", "10");
    if !args.contains(&"--now") {
        c.args(["--now", NOW]);
    }
    for v in [
        "SLA_LENS_REDMINE_KEY",
        "SLA_LENS_GITHUB_TOKEN",
        "SLA_LENS_GITLAB_TOKEN",
        "SLA_LENS_JIRA_TOKEN",
    ] {
        c.env_remove(v).env_remove(format!("{v}_FILE"));
    }
    for v in [
        "SLA_LENS_JIRA_EMAIL",
        "SLA_LENS_SMTP_URL",
        "SLA_LENS_SMTP_FROM",
    ] {
        c.env_remove(v);
    }
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

/// The run's JSON document, the secret checked absent from stdout and stderr.
fn doc(o: &Output, secret: &str) -> Value {
    let (out, err) = text(o);
    assert!(
        !out.contains(secret) && !err.contains(secret),
        "the secret leaked:\n{out}\n{err}"
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}\n{err}"))
}

fn keys(v: &Value, list: &str) -> Vec<String> {
    let mut k: Vec<String> = v[list]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["key"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    k.sort();
    k
}

fn writes(fake: &Fake) -> Vec<Req> {
    fake.requests()
        .into_iter()
        .filter(|r| r.is_write() && r.path != "/hook")
        .collect()
}

fn expected(extra: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = [
        "c1 AR-response note#0",
        "c1 L1 watch#0",
        "c1 L1 assign#0",
        "c1 L1 set#0",
        "c1 L1 set#1",
        "c1 L1 note#0",
        "c1 L1 webhook#0",
    ]
    .iter()
    .chain(extra)
    .map(|s| s.to_string())
    .collect();
    k.sort();
    k
}

fn count(reqs: &[Req], method: &str, suffix: &str) -> usize {
    reqs.iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix))
        .count()
}

// ---------------------------------------------------------------------------------------------
// GitHub

#[derive(Default)]
struct Github {
    common: Common,
    /// id, login, body.
    comments: Vec<(u64, String, String)>,
    labels: Vec<String>,
    assignees: Vec<String>,
    /// Answer 502 to every new comment but a claim and a mention (a run that loses its notes).
    break_notes: bool,
}

const GH_REPO: &str = "/repos/acme/support";

fn gh_user(login: &str) -> Value {
    json!({ "login": login, "id": if login == "sla-bot" { 77 } else { 9 }, "type": "User" })
}

fn gh_issue(s: &Github, number: i64) -> Value {
    let mut i = json!({
        "id": 1000 + number, "number": number, "title": format!("Issue {number}"),
        "state": "open", "html_url": format!("https://github.com/acme/support/issues/{number}"),
        "repository_url": "https://api.github.com/repos/acme/support",
        "user": gh_user("cora"), "labels": [], "assignees": [], "assignee": null,
        "created_at": CREATED, "updated_at": "2026-09-14T13:30:00Z", "closed_at": null,
        "comments": 0,
    });
    if number == 1 {
        i["labels"] = s.labels.iter().map(|l| json!({ "name": l })).collect();
        i["assignees"] = s.assignees.iter().map(|l| gh_user(l)).collect();
        i["assignee"] = s.assignees.first().map_or(Value::Null, |l| gh_user(l));
        i["comments"] = json!(s.comments.len());
    }
    i
}

fn gh_comment(c: &(u64, String, String)) -> Value {
    json!({ "id": c.0, "user": gh_user(&c.1), "created_at": if c.0 == 1 { "2026-09-14T10:00:00Z" } else { NOW },
            "author_association": "NONE", "body": c.2 })
}

fn github(st: &Mutex<Github>, r: &Req) -> Answer {
    let mut s = st.lock().unwrap();
    if r.path == "/hook" {
        return s.common.hook(r);
    }
    if r.header("authorization") != Some(&format!("Bearer {GH_TOKEN}")) {
        return s.common.refuse(r, 401, "Bad credentials");
    }
    if r.header("accept") != Some("application/vnd.github+json")
        || r.header("x-github-api-version") != Some("2022-11-28")
    {
        return s.common.refuse(r, 400, "Accept / X-GitHub-Api-Version");
    }
    if r.is_write() && r.header("content-type") != Some("application/json") {
        return s.common.refuse(r, 415, "Content-Type");
    }
    let paged = |r: &Req| r.query_keys() == ["page", "per_page"] && r.q("per_page") == Some("100");
    let page1 = |r: &Req| r.q("page") == Some("1");
    let body = r.json().unwrap_or(Value::Null);
    let rest = r.path.strip_prefix(GH_REPO);
    match (r.method.as_str(), r.path.as_str(), rest) {
        ("GET", "/user", _) if r.query.is_empty() => ok(gh_user("sla-bot")),
        ("GET", _, Some("/issues"))
            if r.query_keys() == ["direction", "page", "per_page", "sort", "state"]
                && r.q("state") == Some("open")
                && r.q("per_page") == Some("100") =>
        {
            if page1(r) {
                // Issue 1, and a pull request (the list returns both), to be skipped.
                let mut pr = gh_issue(&s, 2);
                pr["pull_request"] =
                    json!({ "url": "https://api.github.com/repos/acme/support/pulls/2" });
                ok(json!([gh_issue(&s, 1), pr]))
            } else {
                ok(json!([]))
            }
        }
        ("GET", _, Some("/issues/1")) if r.query.is_empty() => ok(gh_issue(&s, 1)),
        ("GET", _, Some("/issues/1/comments")) if paged(r) => ok(if page1(r) {
            s.comments.iter().map(gh_comment).collect()
        } else {
            json!([])
        }),
        ("GET", _, Some("/issues/1/timeline")) if paged(r) => ok(if page1(r) {
            s.comments
                .iter()
                .map(|c| {
                    let mut e = gh_comment(c);
                    e["event"] = json!("commented");
                    e["actor"] = gh_user(&c.1);
                    e
                })
                .collect()
        } else {
            json!([])
        }),
        ("POST", _, Some("/issues/1/comments"))
            if shape(&body, &["body"], &[]) && body["body"].is_string() =>
        {
            let text = body["body"].as_str().unwrap_or("").to_string();
            if s.break_notes
                && !text.starts_with("sla-lens is performing")
                && !text.starts_with("cc ")
            {
                return (502, json!({ "message": "Bad Gateway" }).to_string());
            }
            let id = 100 + s.comments.len() as u64;
            s.comments.push((id, "sla-bot".into(), text));
            (201, gh_comment(s.comments.last().unwrap()).to_string())
        }
        ("POST", _, Some("/issues/1/assignees")) if shape(&body, &["assignees"], &[]) => {
            match strings(&body["assignees"]) {
                Some(list) => {
                    for l in list {
                        if !s.assignees.contains(&l) {
                            s.assignees.push(l);
                        }
                    }
                    (201, gh_issue(&s, 1).to_string())
                }
                None => s.common.refuse(r, 422, "assignees: strings"),
            }
        }
        ("POST", _, Some("/issues/1/labels")) if shape(&body, &["labels"], &[]) => {
            match strings(&body["labels"]) {
                Some(list) => {
                    for l in list {
                        if !s.labels.contains(&l) {
                            s.labels.push(l);
                        }
                    }
                    ok(s.labels.iter().map(|l| json!({ "name": l })).collect())
                }
                None => s.common.refuse(r, 422, "labels: strings"),
            }
        }
        _ => s.common.refuse(r, 404, "Not Found"),
    }
}

fn github_fake() -> (Fake, Arc<Mutex<Github>>) {
    let st = Arc::new(Mutex::new(Github::default()));
    // A customer pastes a marker: it must not count as done.
    st.lock().unwrap().comments.push((
        1,
        "cora".into(),
        "sla-lens:escalated ticket=1 cycle=1 level=1 action=note#0 at=2026-09-14T10:00:00Z".into(),
    ));
    let s = st.clone();
    let fake = serve(move |r| github(&s, r));
    (fake, st)
}

#[test]
fn github_performs_each_action_once() {
    let (fake, st) = github_fake();
    let pol = tempfile_path::write("gh.json", &policy(&format!("{}/hook", fake.base), ""));
    let p = pol.0.to_string_lossy().into_owned();
    let args = ["--policy", p.as_str(), "--project", "acme/support"];
    let env = [("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)];
    let common = CommonView(st.clone());
    let w = three_runs(
        "github",
        &fake,
        &common,
        &args,
        &env,
        GH_TOKEN,
        &expected(&[]),
    );
    let s = st.lock().unwrap();
    assert_eq!(s.assignees, ["ivo-m"]);
    assert_eq!(s.labels, ["sla-escalated", "priority:High"]);
    assert_eq!(count(&w, "POST", "/assignees"), 1);
    assert_eq!(count(&w, "POST", "/labels"), 2);
    let bodies: Vec<&str> = s.comments.iter().map(|c| c.2.as_str()).collect();
    // The watch: one comment mentioning the level's contact.
    assert_eq!(
        bodies.iter().filter(|b| b.contains("@ivo-m")).count(),
        1,
        "{bodies:#?}"
    );
    // Every sla-lens comment after the customer's: claim, at-risk note, mention, level-1 note
    // (with the watch's, assignment's and sets' markers), the webhook's record.
    assert_eq!(s.comments.len(), 6, "{bodies:#?}");
    for k in [
        "note#0",
        "watch#0",
        "assign#0",
        "set#0",
        "set#1",
        "webhook#0",
    ] {
        assert!(
            bodies[2..]
                .iter()
                .any(|b| b.contains(&format!("level=1 action={k}"))),
            "{k}: {bodies:#?}"
        );
    }
}

/// A fake's state, for its refusals and webhook deliveries.
struct CommonView<T>(Arc<Mutex<T>>);

trait HasCommon {
    fn common(&mut self) -> &mut Common;
}
impl HasCommon for Github {
    fn common(&mut self) -> &mut Common {
        &mut self.common
    }
}
impl HasCommon for Gitlab {
    fn common(&mut self) -> &mut Common {
        &mut self.common
    }
}
impl HasCommon for Jira {
    fn common(&mut self) -> &mut Common {
        &mut self.common
    }
}

/// The three runs every tracker goes through: a dry run (no write, no webhook, the plan), a
/// performing run (every action done, none pending, no request refused), and a second run
/// (nothing due, no write). Returns the writes of the performing run.
fn three_runs<T: HasCommon>(
    tracker: &str,
    fake: &Fake,
    view: &CommonView<T>,
    args: &[&str],
    env: &[(&str, &str)],
    secret: &str,
    due: &[String],
) -> Vec<Req> {
    // The fake's refusals and deliveries, copied out after each run.
    let mirror = Mutex::new(Common::default());
    let sync = || {
        let mut s = view.0.lock().unwrap();
        let c = s.common();
        let mut m = mirror.lock().unwrap();
        m.refused = c.refused.clone();
        m.hooks = c.hooks.clone();
    };
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["--json", "--dry-run"]);
    let o = escalate(tracker, &fake.base, &a, env);
    let d = doc(&o, secret);
    sync();
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o).0, text(&o).1);
    assert!(
        writes(fake).is_empty(),
        "a dry run wrote: {:?}",
        writes(fake)
    );
    let mut planned: Vec<String> = d["plan"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["actions"].as_array().cloned().unwrap_or_default())
        .filter_map(|x| x["key"].as_str().map(str::to_string))
        .collect();
    planned.sort();
    assert_eq!(planned, due, "{d}");
    assert!(mirror.lock().unwrap().hooks.is_empty());

    a.pop();
    let o = escalate(tracker, &fake.base, &a, env);
    let d = doc(&o, secret);
    sync();
    let refused = mirror.lock().unwrap().refused.clone();
    assert!(refused.is_empty(), "requests refused: {refused:#?}\n{d}");
    assert_eq!(o.status.code(), Some(0), "{d}\n{}", text(&o).1);
    assert_eq!(keys(&d, "done"), due, "{d}");
    assert!(keys(&d, "pending").is_empty(), "{d}");
    let performed = writes(fake);
    assert_eq!(mirror.lock().unwrap().hooks.len(), 1);

    let o = escalate(tracker, &fake.base, &a, env);
    let d = doc(&o, secret);
    sync();
    assert_eq!(o.status.code(), Some(0), "{d}");
    assert_eq!(d["actionsDue"], 0, "{d}");
    assert_eq!(writes(fake).len(), performed.len(), "the second run wrote");
    assert_eq!(mirror.lock().unwrap().hooks.len(), 1, "the webhook again");
    assert!(mirror.lock().unwrap().refused.is_empty());
    performed
}

// ---------------------------------------------------------------------------------------------
// GitLab

#[derive(Default)]
struct Gitlab {
    common: Common,
    /// id, author id, body, internal.
    notes: Vec<(u64, i64, String, bool)>,
    labels: Vec<String>,
    assignee_ids: Vec<i64>,
}

/// The project's path, percent-encoded as the API wants it in a path.
const GL_PROJECT: &str = "/projects/acme%2Fsupport";
const GL_ME: i64 = 77;
const GL_IVO: i64 = 31;

fn gl_user(id: i64) -> Value {
    let name = match id {
        GL_ME => "sla-bot",
        GL_IVO => "ivo",
        _ => "cora",
    };
    json!({ "id": id, "username": name, "name": name })
}

fn gl_issue(s: &Gitlab) -> Value {
    json!({
        "id": 2001, "iid": 1, "project_id": 42, "title": "Printer down", "state": "opened",
        "created_at": CREATED, "updated_at": "2026-09-14T13:30:00Z", "closed_at": null,
        "labels": s.labels, "author": gl_user(9),
        "assignees": s.assignee_ids.iter().map(|i| gl_user(*i)).collect::<Vec<_>>(),
        "assignee": s.assignee_ids.first().map_or(Value::Null, |i| gl_user(*i)),
        "web_url": "https://gitlab.example.com/acme/support/-/issues/1",
        "references": { "full": "acme/support#1" },
        "user_notes_count": s.notes.len(),
    })
}

fn gitlab(st: &Mutex<Gitlab>, r: &Req) -> Answer {
    let mut s = st.lock().unwrap();
    if r.path == "/hook" {
        return s.common.hook(r);
    }
    if r.header("private-token") != Some(GL_TOKEN) || r.header("authorization").is_some() {
        return s.common.refuse(r, 401, "401 Unauthorized");
    }
    if r.is_write() && r.header("content-type") != Some("application/json") {
        return s.common.refuse(r, 415, "Content-Type");
    }
    let paged = |r: &Req, more: &[&str]| {
        let mut want: Vec<&str> = ["page", "per_page"].iter().chain(more).copied().collect();
        want.sort_unstable();
        r.query_keys() == want && r.q("per_page") == Some("100")
    };
    let page1 = |r: &Req| r.q("page") == Some("1");
    let body = r.json().unwrap_or(Value::Null);
    let rest = r.path.strip_prefix(GL_PROJECT);
    match (r.method.as_str(), r.path.as_str(), rest) {
        ("GET", "/user", _) if r.query.is_empty() => ok(gl_user(GL_ME)),
        ("GET", "/users", _) if r.query_keys() == ["username"] => ok(match r.q("username") {
            Some("ivo") => json!([gl_user(GL_IVO)]),
            _ => json!([]),
        }),
        ("GET", _, Some("/issues"))
            if paged(r, &["order_by", "sort", "state"]) && r.q("state") == Some("opened") =>
        {
            ok(if page1(r) {
                json!([gl_issue(&s)])
            } else {
                json!([])
            })
        }
        ("GET", _, Some("/issues/1")) if r.query.is_empty() => ok(gl_issue(&s)),
        ("GET", _, Some("/issues/1/notes"))
            if paged(r, &["order_by", "sort"]) && r.q("sort") == Some("asc") =>
        {
            ok(if page1(r) {
                s.notes
                    .iter()
                    .map(|n| {
                        json!({ "id": n.0, "body": n.2, "author": gl_user(n.1),
                                "created_at": if n.0 == 1 { "2026-09-14T10:00:00Z" } else { NOW },
                                "system": false, "internal": n.3, "confidential": n.3,
                                "noteable_type": "Issue", "noteable_iid": 1 })
                    })
                    .collect()
            } else {
                json!([])
            })
        }
        ("GET", _, Some("/issues/1/resource_state_events" | "/issues/1/resource_label_events"))
            if paged(r, &[]) =>
        {
            ok(json!([]))
        }
        ("POST", _, Some("/issues/1/notes"))
            if shape(&body, &["body"], &["internal"])
                && body["body"].is_string()
                && body.get("internal").is_none_or(Value::is_boolean) =>
        {
            let id = 100 + s.notes.len() as u64;
            let internal = body["internal"].as_bool().unwrap_or(false);
            s.notes.push((
                id,
                GL_ME,
                body["body"].as_str().unwrap_or("").to_string(),
                internal,
            ));
            (201, json!({ "id": id, "body": body["body"] }).to_string())
        }
        ("PUT", _, Some("/issues/1")) if shape(&body, &["assignee_ids"], &[]) => {
            match body["assignee_ids"]
                .as_array()
                .and_then(|a| a.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>())
            {
                Some(ids) => {
                    s.assignee_ids = ids;
                    ok(gl_issue(&s))
                }
                None => s.common.refuse(r, 400, "assignee_ids: integers"),
            }
        }
        ("PUT", _, Some("/issues/1"))
            if shape(&body, &["add_labels"], &[]) && body["add_labels"].is_string() =>
        {
            for l in body["add_labels"].as_str().unwrap_or("").split(',') {
                if !s.labels.iter().any(|x| x == l) {
                    s.labels.push(l.to_string());
                }
            }
            ok(gl_issue(&s))
        }
        _ => s.common.refuse(r, 404, "404 Not Found"),
    }
}

#[test]
fn gitlab_performs_each_action_once() {
    let st = Arc::new(Mutex::new(Gitlab::default()));
    st.lock().unwrap().notes.push((
        1,
        9,
        "sla-lens:escalated ticket=1 cycle=1 level=1 action=note#0 at=2026-09-14T10:00:00Z".into(),
        false,
    ));
    let s2 = st.clone();
    let fake = serve(move |r| gitlab(&s2, r));
    let pol = tempfile_path::write("gl.json", &policy(&format!("{}/hook", fake.base), ""));
    let p = pol.0.to_string_lossy().into_owned();
    let args = ["--policy", p.as_str(), "--project", "acme/support"];
    let env = [("SLA_LENS_GITLAB_TOKEN", GL_TOKEN)];
    let w = three_runs(
        "gitlab",
        &fake,
        &CommonView(st.clone()),
        &args,
        &env,
        GL_TOKEN,
        &expected(&[]),
    );
    let s = st.lock().unwrap();
    assert_eq!(s.assignee_ids, [GL_IVO]);
    // GitLab's default priority label prefix is `priority::` (a scoped label).
    assert_eq!(s.labels, ["sla-escalated", "priority::High"]);
    assert_eq!(count(&w, "PUT", "/issues/1"), 3);
    let ours: Vec<&(u64, i64, String, bool)> = s.notes.iter().filter(|n| n.1 == GL_ME).collect();
    // Claim, at-risk note (public), mention (internal), level-1 note (internal, `private`),
    // the webhook's record (internal).
    assert_eq!(ours.len(), 5, "{ours:#?}");
    let public: Vec<&str> = ours.iter().filter(|n| !n.3).map(|n| n.2.as_str()).collect();
    assert_eq!(public.len(), 1, "{ours:#?}");
    assert!(public[0].contains("at-risk-response action=note#0"));
    assert_eq!(
        ours.iter().filter(|n| n.2.contains("@ivo")).count(),
        1,
        "{ours:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Jira

#[derive(Default)]
struct Jira {
    common: Common,
    /// id, author account, body, visibility.
    comments: Vec<(u64, String, String, Option<Value>)>,
    labels: Vec<String>,
    assignee: Option<String>,
    watchers: Vec<String>,
    priority: String,
    team: Option<String>,
}

const JIRA_ROLE: &str = "Service Desk Team";

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn jira_comment(c: &(u64, String, String, Option<Value>)) -> Value {
    let mut v = json!({
        "id": c.0.to_string(), "author": { "accountId": c.1, "displayName": c.1 },
        "body": c.2,
        "created": if c.0 == 10001 { "2026-09-14T10:00:00.000+0000" } else { "2026-09-14T14:00:00.000+0000" },
    });
    if let Some(vis) = &c.3 {
        v["visibility"] = vis.clone();
    }
    v
}

fn jira_issue(s: &Jira, n: i64, full: bool) -> Value {
    let mut fields = json!({
        "summary": format!("Issue {n}"),
        "created": if n == 1 { "2026-09-14T09:00:00.000+0000" } else { "2026-09-14T13:30:00.000+0000" },
        "updated": "2026-09-14T13:30:00.000+0000",
        "status": { "name": "To Do", "statusCategory": { "key": "new" } },
        "priority": { "name": "Medium" },
        "issuetype": { "name": "Service Request" },
        "project": { "key": "SUP", "name": "Support" },
        "reporter": { "accountId": "acc-cora", "displayName": "Cora" },
        "assignee": null, "labels": [], "components": [], "customfield_10050": null,
        "comment": { "comments": [], "startAt": 0, "maxResults": 0, "total": 0 },
    });
    if n == 1 {
        fields["priority"] = json!({ "name": s.priority });
        fields["labels"] = json!(s.labels);
        fields["assignee"] = s
            .assignee
            .as_ref()
            .map_or(Value::Null, |a| json!({ "accountId": a }));
        fields["customfield_10050"] = s
            .team
            .as_ref()
            .map_or(Value::Null, |t| json!({ "value": t }));
        let list: Vec<Value> = s.comments.iter().map(jira_comment).collect();
        let total = list.len();
        fields["comment"] =
            json!({ "comments": list, "startAt": 0, "maxResults": total, "total": total });
    }
    let mut i = json!({
        "id": (10000 + n).to_string(), "key": format!("SUP-{n}"),
        "self": format!("https://example.atlassian.net/rest/api/2/issue/{}", 10000 + n),
        "fields": fields,
    });
    if full {
        i["changelog"] = if n == 2 {
            // More histories than the issue holds: the rest come from `…/changelog`.
            json!({ "startAt": 0, "maxResults": 1, "total": 2, "histories": [jira_history(2)] })
        } else {
            json!({ "startAt": 0, "maxResults": 100, "total": 0, "histories": [] })
        };
    }
    i
}

/// SUP-2's status changes: to In Progress at 13:40, back to To Do at 13:50.
fn jira_history(k: u64) -> Value {
    let (at, from, to) = if k == 1 {
        ("13:40", "To Do", "In Progress")
    } else {
        ("13:50", "In Progress", "To Do")
    };
    json!({
        "id": (500 + k).to_string(), "author": { "accountId": "acc-ivo" },
        "created": format!("2026-09-14T{at}:00.000+0000"),
        "items": [{ "field": "status", "fieldtype": "jira", "fromString": from, "toString": to }],
    })
}

const JQL: &str = "project = \"SUP\" AND statusCategory != Done ORDER BY created ASC";
/// A `--jql` of the user's, sent as given (quotes, `=`, `&`, `+` and spaces encoded).
const JQL_VIP: &str = "project = SUP AND labels in (\"vip&gold\", \"a+b\") ORDER BY key";

fn jira(st: &Mutex<Jira>, r: &Req) -> Answer {
    let mut s = st.lock().unwrap();
    if r.path == "/hook" {
        return s.common.hook(r);
    }
    let basic = format!(
        "Basic {}",
        b64(format!("{JIRA_EMAIL}:{JIRA_TOKEN}").as_bytes())
    );
    if r.header("authorization") != Some(basic.as_str()) {
        return s.common.refuse(r, 401, "Unauthorized");
    }
    if r.is_write() && r.header("content-type") != Some("application/json") {
        return s.common.refuse(r, 415, "Content-Type");
    }
    let body = r.json().unwrap_or(Value::Null);
    let rest = r.path.strip_prefix("/rest/api/2");
    match (r.method.as_str(), rest) {
        ("GET", Some("/myself")) if r.query.is_empty() => {
            ok(json!({ "accountId": "acc-bot", "displayName": "SLA bot" }))
        }
        ("GET", Some("/search/jql"))
            if (r.q("jql") == Some(JQL) || r.q("jql") == Some(JQL_VIP))
                && r.q("fields") == Some("*all")
                && r.q("maxResults") == Some("100") =>
        {
            // Two pages: SUP-1, then (by the token) SUP-2, created at 13:30 and not yet due.
            match (r.query_keys().as_slice(), r.q("nextPageToken")) {
                _ if r.q("jql") == Some(JQL_VIP) => ok(json!({ "issues": [], "isLast": true })),
                (["fields", "jql", "maxResults"], None) => ok(json!({
                    "issues": [jira_issue(&s, 1, false)], "nextPageToken": "tok-2", "isLast": false
                })),
                (["fields", "jql", "maxResults", "nextPageToken"], Some("tok-2")) => {
                    ok(json!({ "issues": [jira_issue(&s, 2, false)], "isLast": true }))
                }
                _ => s.common.refuse(r, 400, "search/jql: parameters"),
            }
        }
        ("GET", Some(p @ ("/issue/SUP-1" | "/issue/SUP-2")))
            if r.query_keys() == ["expand"] && r.q("expand") == Some("changelog") =>
        {
            ok(jira_issue(&s, if p.ends_with('1') { 1 } else { 2 }, true))
        }
        ("GET", Some(p @ ("/issue/SUP-1/comment" | "/issue/SUP-2/comment")))
            if r.query_keys() == ["maxResults", "orderBy", "startAt"]
                && r.q("maxResults") == Some("100") =>
        {
            let start: usize = r.q("startAt").and_then(|v| v.parse().ok()).unwrap_or(0);
            let all: Vec<Value> = if p.contains("SUP-1") {
                s.comments.iter().map(jira_comment).collect()
            } else {
                vec![]
            };
            let total = all.len();
            let page: Vec<Value> = all.into_iter().skip(start).take(100).collect();
            ok(json!({ "comments": page, "startAt": start, "maxResults": 100, "total": total }))
        }
        ("GET", Some("/issue/SUP-2/changelog"))
            if r.query_keys() == ["maxResults", "startAt"] && r.q("maxResults") == Some("100") =>
        {
            let start: usize = r.q("startAt").and_then(|v| v.parse().ok()).unwrap_or(0);
            let all = [jira_history(1), jira_history(2)];
            let page: Vec<Value> = all.iter().skip(start).cloned().collect();
            ok(
                json!({ "values": page, "startAt": start, "maxResults": 100, "total": 2, "isLast": true }),
            )
        }
        ("GET", Some("/priority")) if r.query.is_empty() => ok(json!([
            { "id": "1", "name": "Highest" }, { "id": "2", "name": "High" },
            { "id": "3", "name": "Medium" }, { "id": "4", "name": "Low" }
        ])),
        ("GET", Some("/field")) if r.query.is_empty() => ok(json!([
            { "id": "summary", "name": "Summary", "custom": false, "schema": { "type": "string" } },
            { "id": "customfield_10050", "name": "Support team", "custom": true,
              "schema": { "type": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select" } }
        ])),
        ("POST", Some("/issue/SUP-1/comment"))
            if shape(&body, &["body"], &["visibility"]) && body["body"].is_string() =>
        {
            let vis = body.get("visibility").cloned();
            if let Some(v) = &vis {
                if !shape(v, &["type", "value"], &[])
                    || v["type"] != "role"
                    || v["value"] != JIRA_ROLE
                {
                    return s.common.refuse(r, 400, "visibility");
                }
            }
            let id = 10100 + s.comments.len() as u64;
            s.comments.push((
                id,
                "acc-bot".into(),
                body["body"].as_str().unwrap_or("").to_string(),
                vis,
            ));
            (201, jira_comment(s.comments.last().unwrap()).to_string())
        }
        // The body is the account id as a JSON string.
        ("POST", Some("/issue/SUP-1/watchers")) if body.is_string() => {
            let a = body.as_str().unwrap_or("").to_string();
            if !s.watchers.contains(&a) {
                s.watchers.push(a);
            }
            (204, String::new())
        }
        ("PUT", Some("/issue/SUP-1/assignee"))
            if shape(&body, &["accountId"], &[]) && body["accountId"].is_string() =>
        {
            s.assignee = body["accountId"].as_str().map(str::to_string);
            (204, String::new())
        }
        ("PUT", Some("/issue/SUP-1")) if shape(&body, &["update"], &[]) => {
            let adds = body.pointer("/update/labels").and_then(Value::as_array);
            let ok_shape = shape(&body["update"], &["labels"], &[])
                && adds.is_some_and(|a| {
                    a.iter()
                        .all(|x| shape(x, &["add"], &[]) && x["add"].is_string())
                });
            if !ok_shape {
                return s.common.refuse(r, 400, "update.labels: [{add}]");
            }
            for x in adds.into_iter().flatten() {
                let l = x["add"].as_str().unwrap_or("").to_string();
                if !s.labels.contains(&l) {
                    s.labels.push(l);
                }
            }
            (204, String::new())
        }
        ("PUT", Some("/issue/SUP-1")) if shape(&body, &["fields"], &[]) => {
            let f = &body["fields"];
            if shape(f, &["priority"], &[]) && shape(&f["priority"], &["name"], &[]) {
                s.priority = f["priority"]["name"].as_str().unwrap_or("").to_string();
            } else if shape(f, &["customfield_10050"], &[])
                && shape(&f["customfield_10050"], &["value"], &[])
            {
                s.team = f["customfield_10050"]["value"].as_str().map(str::to_string);
            } else {
                return s.common.refuse(
                    r,
                    400,
                    "fields: priority {name} or the select field {value}",
                );
            }
            (204, String::new())
        }
        _ => s.common.refuse(
            r,
            404,
            "Issue does not exist or you do not have permission to see it.",
        ),
    }
}

#[test]
fn jira_performs_each_action_once() {
    let st = Arc::new(Mutex::new(Jira {
        priority: "Medium".into(),
        ..Jira::default()
    }));
    st.lock().unwrap().comments.push((
        10001,
        "acc-cora".into(),
        "sla-lens:escalated ticket=SUP-1 cycle=1 level=1 action=note#0 at=2026-09-14T10:00:00Z"
            .into(),
        None,
    ));
    let s2 = st.clone();
    let fake = serve(move |r| jira(&s2, r));
    let extra = r#", {"kind": "set", "field": "Support team", "value": "Tier 2"}"#;
    let pol = tempfile_path::write("jira.json", &policy(&format!("{}/hook", fake.base), extra));
    let site = tempfile_path::write(
        "jira-site.json",
        &json!({ "tracker": "jira", "privateVisibility": { "type": "role", "value": JIRA_ROLE } })
            .to_string(),
    );
    let p = pol.0.to_string_lossy().into_owned();
    let sp = site.0.to_string_lossy().into_owned();
    let args = [
        "--policy",
        p.as_str(),
        "--site",
        sp.as_str(),
        "--project",
        "SUP",
    ];
    let env = [
        ("SLA_LENS_JIRA_TOKEN", JIRA_TOKEN),
        ("SLA_LENS_JIRA_EMAIL", JIRA_EMAIL),
    ];
    let w = three_runs(
        "jira",
        &fake,
        &CommonView(st.clone()),
        &args,
        &env,
        JIRA_TOKEN,
        &expected(&["c1 L1 set#2"]),
    );
    let s = st.lock().unwrap();
    assert_eq!(s.watchers, ["acc-ivo"]);
    assert_eq!(s.assignee.as_deref(), Some("acc-ivo"));
    assert_eq!(s.labels, ["sla-escalated"]);
    assert_eq!(s.priority, "High");
    assert_eq!(s.team.as_deref(), Some("Tier 2"));
    assert_eq!(count(&w, "POST", "/watchers"), 1);
    assert_eq!(count(&w, "PUT", "/assignee"), 1);
    assert_eq!(count(&w, "PUT", "/issue/SUP-1"), 3);
    // SUP-2 (on the search's second page) holds one of its two histories: the rest was read.
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.path == "/rest/api/2/issue/SUP-2/changelog"));
    let ours: Vec<_> = s.comments.iter().filter(|c| c.1 == "acc-bot").collect();
    // Claim, at-risk note (public), level-1 note, the webhook's record: all but the at-risk
    // note restricted to the site's role.
    assert_eq!(ours.len(), 4, "{ours:#?}");
    let public: Vec<&str> = ours
        .iter()
        .filter(|c| c.3.is_none())
        .map(|c| c.2.as_str())
        .collect();
    assert_eq!(public.len(), 1, "{ours:#?}");
    assert!(
        public[0].contains("at-risk-response action=note#0"),
        "{public:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Usage and refusals

#[test]
fn usage_errors_name_the_missing_flag_or_variable() {
    /// Tracker, arguments, environment, what the error names.
    type Case<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 6] = [
        (
            "github",
            &[],
            &[("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)],
            "--project",
        ),
        (
            "github",
            &["--project", "acme/support"],
            &[],
            "SLA_LENS_GITHUB_TOKEN",
        ),
        (
            "github",
            &["--project", "acme"],
            &[("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)],
            "owner/name",
        ),
        (
            "gitlab",
            &["--project", "acme/support"],
            &[],
            "SLA_LENS_GITLAB_TOKEN",
        ),
        (
            "jira",
            &["--project", "SUP"],
            &[("SLA_LENS_JIRA_TOKEN", JIRA_TOKEN)],
            "SLA_LENS_JIRA_EMAIL",
        ),
        (
            "jira",
            &[],
            &[
                ("SLA_LENS_JIRA_TOKEN", JIRA_TOKEN),
                ("SLA_LENS_JIRA_EMAIL", JIRA_EMAIL),
            ],
            "--jql",
        ),
    ];
    for (tracker, args, env, want) in cases {
        // Nothing listens here: a usage error must come before any request.
        let mut a = args.to_vec();
        a.push("--dry-run");
        let o = escalate(tracker, "http://127.0.0.1:9", &a, env);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{tracker} {args:?}: {out}{err}");
        assert!(err.contains(want), "{tracker} {args:?}: {err}");
        assert!(!err.contains(GH_TOKEN) && !err.contains(JIRA_TOKEN));
    }
}

/// A `set` of a custom field on GitHub cannot be done: pending with a clear reason, the other
/// actions done, and the next run tries it again (it is not recorded).
#[test]
fn github_refuses_a_custom_field_clearly() {
    let (fake, st) = github_fake();
    let extra = r#", {"kind": "set", "field": "Team", "value": "Tier 2"}"#;
    let pol = tempfile_path::write(
        "gh-field.json",
        &policy(&format!("{}/hook", fake.base), extra),
    );
    let p = pol.0.to_string_lossy().into_owned();
    let o = escalate(
        "github",
        &fake.base,
        &[
            "--policy",
            p.as_str(),
            "--project",
            "acme/support",
            "--json",
        ],
        &[("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)],
    );
    let d = doc(&o, GH_TOKEN);
    assert_eq!(o.status.code(), Some(1), "{d}");
    assert_eq!(keys(&d, "pending"), ["c1 L1 set#2"], "{d}");
    let why = d["pending"][0]["error"].as_str().unwrap_or("");
    assert!(why.contains("no custom fields"), "{why}");
    assert_eq!(keys(&d, "done").len(), 7, "{d}");
    assert!(st.lock().unwrap().common.refused.is_empty());
}

/// A run that performed the watch but lost every note after it (502s) leaves it unrecorded; the
/// next run (after the claim's 10-minute lease) redoes it without a second mention, and records
/// everything.
#[test]
fn github_redoes_an_unrecorded_watch_without_a_second_mention() {
    let (fake, st) = github_fake();
    st.lock().unwrap().break_notes = true;
    let pol = tempfile_path::write("gh-redo.json", &policy(&format!("{}/hook", fake.base), ""));
    let p = pol.0.to_string_lossy().into_owned();
    let env = [("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)];
    let mut args = vec![
        "--policy",
        p.as_str(),
        "--project",
        "acme/support",
        "--json",
    ];
    let o = escalate("github", &fake.base, &args, &env);
    let d = doc(&o, GH_TOKEN);
    assert_eq!(o.status.code(), Some(1), "{d}");
    assert!(keys(&d, "done").is_empty(), "{d}");
    assert_eq!(keys(&d, "pending"), expected(&[]), "{d}");
    let mentions = |s: &Github| {
        s.comments
            .iter()
            .filter(|c| c.2.starts_with("cc @ivo-m"))
            .count()
    };
    assert_eq!(mentions(&st.lock().unwrap()), 1);

    st.lock().unwrap().break_notes = false;
    // Before the lease ends, run 1's claims hold every action: nothing is done.
    args.extend(["--now", "2026-09-14T14:05:00Z"]);
    let o = escalate("github", &fake.base, &args, &env);
    let d = doc(&o, GH_TOKEN);
    assert!(keys(&d, "done").is_empty(), "{d}");
    assert_eq!(keys(&d, "elsewhere"), expected(&[]), "{d}");
    // After it, everything is redone once and recorded; the watch mentions nobody again.
    *args.last_mut().unwrap() = "2026-09-14T14:11:00Z";
    let o = escalate("github", &fake.base, &args, &env);
    let d = doc(&o, GH_TOKEN);
    assert_eq!(o.status.code(), Some(0), "{d}");
    assert_eq!(keys(&d, "done"), expected(&[]), "{d}");
    let s = st.lock().unwrap();
    assert_eq!(mentions(&s), 1);
    assert_eq!(s.assignees, ["ivo-m"]);
    assert_eq!(s.labels, ["sla-escalated", "priority:High"]);
    // The webhook is the one action sent twice (run 1 could not record it), with the same
    // action in its key for the receiver to drop the repeat.
    assert_eq!(s.common.hooks.len(), 2);
    assert!(s.common.hooks.iter().all(|h| h["key"]
        .as_str()
        .is_some_and(|k| k.contains("action=webhook#0"))));
    assert!(s.common.refused.is_empty(), "{:#?}", s.common.refused);
}

/// GitHub's secondary rate limit (a 403 with `Retry-After`) is waited out and retried, for a read
/// and for a write (GitHub did not apply it); a used-up primary limit (`x-ratelimit-remaining:
/// 0`) fails the run saying so and until when, not as a refused token.
#[test]
fn github_rate_limits_are_retried_or_named_not_taken_for_a_refused_token() {
    let st = Arc::new(Mutex::new(Github::default()));
    let throttle = Arc::new(Mutex::new(vec![
        "GET /user",
        "POST /repos/acme/support/issues/1/comments",
    ]));
    let (s2, t2) = (st.clone(), throttle.clone());
    let fake = serve_with_headers(move |r| {
        let this = format!("{} {}", r.method, r.path);
        let mut t = t2.lock().unwrap();
        if let Some(i) = t.iter().position(|x| *x == this) {
            t.remove(i);
            let body = json!({ "message": "You have exceeded a secondary rate limit." });
            return (
                403,
                body.to_string(),
                vec![("Retry-After".into(), "0".into())],
            );
        }
        let (status, body) = github(&s2, r);
        (status, body, vec![])
    });
    let pol = tempfile_path::write("gh-limit.json", &policy(&format!("{}/hook", fake.base), ""));
    let p = pol.0.to_string_lossy().into_owned();
    let env = [("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)];
    let args = [
        "--policy",
        p.as_str(),
        "--project",
        "acme/support",
        "--json",
    ];
    let o = escalate("github", &fake.base, &args, &env);
    let d = doc(&o, GH_TOKEN);
    assert_eq!(o.status.code(), Some(0), "{d}");
    assert_eq!(keys(&d, "done"), expected(&[]), "{d}");
    assert!(throttle.lock().unwrap().is_empty());
    let s = st.lock().unwrap();
    assert!(s.common.refused.is_empty(), "{:#?}", s.common.refused);
    // One claim note, though its first POST was throttled.
    let claims = s
        .comments
        .iter()
        .filter(|c| c.2.starts_with("sla-lens is performing"))
        .count();
    assert_eq!(claims, 1);
    drop(s);

    let fake = serve_with_headers(|_| {
        let headers = vec![
            ("x-ratelimit-remaining".into(), "0".into()),
            ("x-ratelimit-reset".into(), "1789390800".into()),
        ];
        (
            403,
            json!({ "message": "API rate limit exceeded" }).to_string(),
            headers,
        )
    });
    let o = escalate("github", &fake.base, &args, &env);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}{err}");
    assert!(
        err.contains("rate limit is used up until 2026-09-14T13:00:00Z"),
        "{err}"
    );
    assert!(!err.contains("refused") && !err.contains(GH_TOKEN), "{err}");
}

/// A tracker's error text that quotes the token (or the `Authorization` value) is scrubbed before
/// it is printed: the action is pending with the tracker's reason, the secret replaced.
#[test]
fn a_refusal_quoting_the_token_is_scrubbed() {
    let st = Arc::new(Mutex::new(Github::default()));
    let s2 = st.clone();
    let fake = serve_with_headers(move |r| {
        if r.method == "POST" && r.path.ends_with("/labels") {
            let why = format!("Validation Failed for {GH_TOKEN} (Bearer {GH_TOKEN})");
            return (422, json!({ "message": why }).to_string(), vec![]);
        }
        let (status, body) = github(&s2, r);
        (status, body, vec![])
    });
    let pol = tempfile_path::write("gh-scrub.json", &policy(&format!("{}/hook", fake.base), ""));
    let p = pol.0.to_string_lossy().into_owned();
    // The JSON document, then (after the first run's claims expired) the summary.
    for extra in [&["--json"][..], &["--now", "2026-09-14T14:11:00Z"]] {
        let mut args = vec!["--policy", p.as_str(), "--project", "acme/support"];
        args.extend(extra);
        let o = escalate(
            "github",
            &fake.base,
            &args,
            &[("SLA_LENS_GITHUB_TOKEN", GH_TOKEN)],
        );
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{out}{err}");
        assert!(
            !out.contains(GH_TOKEN) && !err.contains(GH_TOKEN),
            "{out}{err}"
        );
        assert!(out.contains("Validation Failed for [key]"), "{out}");
    }
}

/// `--jql` goes to `/search/jql` as given; a GitLab contact with no such user is pending with the
/// reason, the other actions done.
#[test]
fn jira_jql_as_given_and_gitlab_unknown_user_pending() {
    let st = Arc::new(Mutex::new(Jira::default()));
    let s2 = st.clone();
    let fake = serve(move |r| jira(&s2, r));
    let o = escalate(
        "jira",
        &fake.base,
        &["--jql", JQL_VIP, "--json", "--dry-run"],
        &[
            ("SLA_LENS_JIRA_TOKEN", JIRA_TOKEN),
            ("SLA_LENS_JIRA_EMAIL", JIRA_EMAIL),
        ],
    );
    let d = doc(&o, JIRA_TOKEN);
    assert_eq!(
        (o.status.code(), d["listed"].as_u64()),
        (Some(0), Some(0)),
        "{d}"
    );
    assert!(st.lock().unwrap().common.refused.is_empty());

    let st = Arc::new(Mutex::new(Gitlab::default()));
    let s2 = st.clone();
    let fake = serve(move |r| gitlab(&s2, r));
    let pol = policy(&format!("{}/hook", fake.base), "")
        .replace("\"gitlab\": \"ivo\"", "\"gitlab\": \"ivo.gone\"");
    let pol = tempfile_path::write("gl-gone.json", &pol);
    let p = pol.0.to_string_lossy().into_owned();
    let o = escalate(
        "gitlab",
        &fake.base,
        &[
            "--policy",
            p.as_str(),
            "--project",
            "acme/support",
            "--json",
        ],
        &[("SLA_LENS_GITLAB_TOKEN", GL_TOKEN)],
    );
    let d = doc(&o, GL_TOKEN);
    assert_eq!(o.status.code(), Some(1), "{d}");
    assert_eq!(keys(&d, "pending"), ["c1 L1 assign#0"], "{d}");
    let why = d["pending"][0]["error"].as_str().unwrap_or("");
    assert!(why.contains("no GitLab user `ivo.gone`"), "{why}");
    assert_eq!(keys(&d, "done").len(), 6, "{d}");
    assert!(st.lock().unwrap().common.refused.is_empty());
}
