//! GitHub over its REST API (DESIGN.md "The escalate command"; API version 2022-11-28): `GET
//! /user`, the repository's open issues a page at a time (pull requests skipped), an issue with
//! its comments and timeline, a comment by `POST …/comments`, assignees and labels by `POST`.
//! GitHub has no private comments (a `private` note is an ordinary comment) and no API that
//! subscribes another user: `watch` posts a comment that @-mentions the contacts, which
//! subscribes them.

use super::http::{percent, Client};
use super::tracker;
use super::tracker::{
    all_pages, get_json, identity, Failure, Full, Listed, PriorityOrder, Tracker,
};
use serde_json::{json, Value};
use sla_lens::policy::{ActionSpec, Contact};

pub struct Github {
    client: Client,
    /// `/repos/{owner}/{repo}`, each part percent-encoded.
    repo: String,
    /// The site's priority label prefix and the policy's tier order, for `set` with `priority`.
    priority: PriorityOrder,
    me: String,
}

/// A GitHub login: letters, digits and single hyphens (checked loosely: nothing that could
/// break out of a mention).
fn is_login(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 39
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// The text of a watch: `cc @a @b (…)`.
pub fn mention_text(names: &[String]) -> String {
    format!(
        "cc {} (SLA escalation: added to this issue)",
        names.join(" ")
    )
}

/// Whether one of sla-lens's earlier watch texts (`cc @a @b (…)`) names `name` (`@a`).
pub fn mentioned(earlier: &[&str], name: &str) -> bool {
    earlier.iter().any(|b| {
        b.lines().any(|line| {
            line.strip_prefix("cc ").is_some_and(|rest| {
                rest.split_whitespace()
                    .take_while(|w| w.starts_with('@'))
                    .any(|w| w.eq_ignore_ascii_case(name))
            })
        })
    })
}

impl Github {
    /// `repo` is `owner/name`.
    pub fn new(client: Client, repo: &str, priority: PriorityOrder) -> Result<Github, String> {
        let (o, r) = repo
            .split_once('/')
            .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
            .ok_or_else(|| format!("--project `{repo}`: give the repository as owner/name"))?;
        Ok(Github {
            client,
            repo: format!("/repos/{}/{}", percent(o), percent(r)),
            priority,
            me: String::new(),
        })
    }

    fn issue(&self, id: &str) -> String {
        format!("{}/issues/{}", self.repo, percent(id))
    }

    fn post(&self, path: &str, body: Value) -> Result<(), Failure> {
        self.client
            .write("POST", path, &body)
            .map(|_| ())
            .map_err(|e| Failure::new(format!("POST {path}"), e))
    }

    fn login_of(c: &Contact) -> Result<&str, Failure> {
        let who = identity(c.github.as_deref(), c).ok_or_else(|| {
            Failure::config(
                "contacts",
                format!("{} has no GitHub identity (`github`: a login)", c.name),
            )
        })?;
        if !is_login(who) {
            return Err(Failure::config(
                "contacts",
                format!("{}: `{who}` is not a GitHub login", c.name),
            ));
        }
        Ok(who)
    }

    fn add_label(&self, id: &str, label: &str) -> Result<(), Failure> {
        let path = format!("{}/labels", self.issue(id));
        self.post(&path, json!({ "labels": [label] }))
    }
}

impl Tracker for Github {
    fn secret(&self) -> &str {
        self.client.key()
    }

    fn login(&mut self) -> Result<(), Failure> {
        let v = get_json(&self.client, "/user")?;
        self.me = v
            .get("login")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::config("/user", "no login in the answer"))?
            .to_string();
        Ok(())
    }

    fn context(&self) -> Result<Vec<String>, Failure> {
        Ok(Vec::new())
    }

    fn list_open(&self) -> Result<Vec<Listed>, Failure> {
        let path = format!("{}/issues?state=open&sort=created&direction=asc", self.repo);
        let mut seen = std::collections::HashSet::new();
        Ok(all_pages(&self.client, &path)?
            .into_iter()
            // The issue list also returns pull requests: they carry `pull_request`.
            .filter(|i| i.get("pull_request").is_none_or(Value::is_null))
            .filter_map(|i| {
                let n = i.get("number").and_then(Value::as_i64)?;
                seen.insert(n).then(|| Listed {
                    id: n.to_string(),
                    texts: vec![i.to_string()],
                })
            })
            .collect())
    }

    fn read_path(&self, id: &str) -> String {
        self.issue(id)
    }

    fn read(&self, id: &str) -> Result<Full, Failure> {
        let path = self.issue(id);
        let issue = get_json(&self.client, &path)?;
        let comments = all_pages(&self.client, &format!("{path}/comments"))?;
        let timeline = all_pages(&self.client, &format!("{path}/timeline"))?;
        let me = self.me.as_str();
        let notes = tracker::notes_from(&comments, |c| {
            c.pointer("/user/login").and_then(Value::as_str) == Some(me)
        });
        let labels = tracker::label_names(issue.get("labels"));
        let bundle = json!({ "issue": issue, "comments": comments, "timeline": timeline });
        Ok(Full {
            texts: vec![bundle.to_string()],
            notes,
            labels,
            raw: issue,
        })
    }

    /// GitHub has no private comments: `private` is ignored.
    fn post_note(&self, id: &str, text: &str, _private: bool) -> Result<(), Failure> {
        let path = format!("{}/comments", self.issue(id));
        self.post(&path, json!({ "body": text }))
    }

    /// A comment @-mentioning the contacts (GitHub subscribes a mentioned user to the issue).
    /// Contacts an earlier mention comment of sla-lens's already names are subscribed: a redo
    /// (after a run stopped before recording the watch) posts nothing for them.
    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure> {
        let mut logins = Vec::new();
        for c in contacts {
            if c.github.is_none() && c.handle.is_none() {
                continue;
            }
            logins.push(format!("@{}", Self::login_of(c)?));
        }
        if logins.is_empty() {
            return Err(Failure::config(
                "contacts",
                "no contact has a GitHub identity (`github`: a login)",
            ));
        }
        let comments = all_pages(&self.client, &format!("{}/comments", self.issue(id)))?;
        let earlier: Vec<&str> = comments
            .iter()
            .filter(|c| c.pointer("/user/login").and_then(Value::as_str) == Some(self.me.as_str()))
            .filter_map(|c| c.get("body").and_then(Value::as_str))
            .collect();
        logins.retain(|l| !mentioned(&earlier, l));
        if logins.is_empty() {
            return Ok(());
        }
        self.post_note(id, &mention_text(&logins), false)
    }

    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure> {
        let login = Self::login_of(contact)?;
        let path = format!("{}/assignees", self.issue(id));
        self.post(&path, json!({ "assignees": [login] }))
    }

    fn cannot(&self, action: &ActionSpec, _: &[Contact]) -> Option<String> {
        tracker::no_custom_fields("GitHub", action)
    }

    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure> {
        // GitHub has no priority field: the site's priority label.
        tracker::set_by_labels("GitHub", &self.priority, action, full, |l| {
            self.add_label(id, l)
        })
    }
}
