//! GitLab over its REST API v4 (DESIGN.md "The escalate command"): `GET /user`, the project's
//! open issues a page at a time, an issue with its notes and resource state and label events, a
//! note (internal where `private`) by `POST …/notes`, assignment and labels by `PUT` on the
//! issue. GitLab has no API that subscribes another user: `watch` posts an internal note that
//! @-mentions the contacts, which subscribes them.

use super::github::{mention_text, mentioned};
use super::http::{percent, Client};
use super::tracker;
use super::tracker::{
    all_pages, get_json, identity, Failure, Full, Listed, PriorityOrder, Tracker,
};
use serde_json::{json, Value};
use sla_lens::policy::{ActionSpec, Contact};
use std::collections::HashMap;
use std::sync::Mutex;

pub struct Gitlab {
    client: Client,
    /// `/projects/{id}`: the numeric id, or the path percent-encoded (`group%2Fproject`).
    project: String,
    /// The site's priority label prefix and the policy's tier order, for `set` with `priority`.
    priority: PriorityOrder,
    me: i64,
    /// Usernames looked up once per run.
    users: Mutex<HashMap<String, i64>>,
}

/// A GitLab username: letters, digits, `_`, `-`, `.` (nothing that could break out of a
/// mention).
fn is_username(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Gitlab {
    /// `project` is the numeric id or the full path (`group/sub/project`).
    pub fn new(client: Client, project: &str, priority: PriorityOrder) -> Result<Gitlab, String> {
        let project = project.trim().trim_matches('/');
        if project.is_empty() {
            return Err("--project: give the GitLab project's id or path (group/project)".into());
        }
        Ok(Gitlab {
            client,
            project: format!("/projects/{}", percent(project)),
            priority,
            me: -1,
            users: Mutex::default(),
        })
    }

    fn issue(&self, id: &str) -> String {
        format!("{}/issues/{}", self.project, percent(id))
    }

    fn put_issue(&self, id: &str, body: Value) -> Result<(), Failure> {
        let path = self.issue(id);
        self.client
            .write("PUT", &path, &body)
            .map(|_| ())
            .map_err(|e| Failure::new(format!("PUT {path}"), e))
    }

    fn username(c: &Contact) -> Result<&str, Failure> {
        let who = identity(c.gitlab.as_deref(), c).ok_or_else(|| {
            Failure::config(
                "contacts",
                format!("{} has no GitLab identity (`gitlab`: a username)", c.name),
            )
        })?;
        if !is_username(who) {
            return Err(Failure::config(
                "contacts",
                format!("{}: `{who}` is not a GitLab username", c.name),
            ));
        }
        Ok(who)
    }

    /// A username's user id, by `GET /users?username=`.
    fn user_id(&self, c: &Contact) -> Result<i64, Failure> {
        let who = Self::username(c)?;
        if let Some(id) = self.users.lock().ok().and_then(|m| m.get(who).copied()) {
            return Ok(id);
        }
        let path = format!("/users?username={}", percent(who));
        let v = get_json(&self.client, &path)?;
        let id = v
            .as_array()
            .into_iter()
            .flatten()
            .find(|u| {
                u.get("username")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(who))
            })
            .and_then(|u| u.get("id").and_then(Value::as_i64))
            .ok_or_else(|| {
                Failure::config(&path, format!("no GitLab user `{who}` ({})", c.name))
            })?;
        if let Ok(mut m) = self.users.lock() {
            m.insert(who.to_string(), id);
        }
        Ok(id)
    }

    fn add_label(&self, id: &str, label: &str) -> Result<(), Failure> {
        if label.contains(',') {
            return Err(Failure::config(
                "set",
                format!("`{label}`: a GitLab label cannot hold a comma"),
            ));
        }
        self.put_issue(id, json!({ "add_labels": label }))
    }
}

impl Tracker for Gitlab {
    fn secret(&self) -> &str {
        self.client.key()
    }

    fn login(&mut self) -> Result<(), Failure> {
        let v = get_json(&self.client, "/user")?;
        self.me = v
            .get("id")
            .and_then(Value::as_i64)
            .ok_or_else(|| Failure::config("/user", "no user id in the answer"))?;
        Ok(())
    }

    fn context(&self) -> Result<Vec<String>, Failure> {
        Ok(Vec::new())
    }

    fn list_open(&self) -> Result<Vec<Listed>, Failure> {
        let path = format!(
            "{}/issues?state=opened&order_by=created_at&sort=asc",
            self.project
        );
        let mut seen = std::collections::HashSet::new();
        Ok(all_pages(&self.client, &path)?
            .into_iter()
            .filter_map(|i| {
                let n = i.get("iid").and_then(Value::as_i64)?;
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
        let notes_raw = all_pages(
            &self.client,
            &format!("{path}/notes?sort=asc&order_by=created_at"),
        )?;
        let states = all_pages(&self.client, &format!("{path}/resource_state_events"))?;
        let labels_ev = all_pages(&self.client, &format!("{path}/resource_label_events"))?;
        let me = self.me;
        let notes = tracker::notes_from(
            notes_raw
                .iter()
                .filter(|n| n.get("system").and_then(Value::as_bool) != Some(true)),
            |n| n.pointer("/author/id").and_then(Value::as_i64) == Some(me),
        );
        let labels = tracker::label_names(issue.get("labels"));
        let bundle = json!({
            "issue": issue,
            "notes": notes_raw,
            "resource_state_events": states,
            "resource_label_events": labels_ev,
        });
        Ok(Full {
            texts: vec![bundle.to_string()],
            notes,
            labels,
            raw: issue,
        })
    }

    fn post_note(&self, id: &str, text: &str, private: bool) -> Result<(), Failure> {
        let path = format!("{}/notes", self.issue(id));
        self.client
            .write("POST", &path, &json!({ "body": text, "internal": private }))
            .map(|_| ())
            .map_err(|e| Failure::new(format!("POST {path}"), e))
    }

    /// An internal note @-mentioning the contacts (GitLab subscribes a mentioned user who can
    /// see the note: project members from Reporter up); as on GitHub, nothing for contacts an
    /// earlier mention of sla-lens's names.
    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure> {
        let mut names = Vec::new();
        for c in contacts {
            if c.gitlab.is_none() && c.handle.is_none() {
                continue;
            }
            names.push(format!("@{}", Self::username(c)?));
        }
        if names.is_empty() {
            return Err(Failure::config(
                "contacts",
                "no contact has a GitLab identity (`gitlab`: a username)",
            ));
        }
        // Contacts an earlier mention note of sla-lens's names are subscribed already.
        let notes = all_pages(
            &self.client,
            &format!("{}/notes?sort=asc&order_by=created_at", self.issue(id)),
        )?;
        let earlier: Vec<&str> = notes
            .iter()
            .filter(|n| n.pointer("/author/id").and_then(Value::as_i64) == Some(self.me))
            .filter_map(|n| n.get("body").and_then(Value::as_str))
            .collect();
        names.retain(|n| !mentioned(&earlier, n));
        if names.is_empty() {
            return Ok(());
        }
        self.post_note(id, &mention_text(&names), true)
    }

    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure> {
        let user = self.user_id(contact)?;
        self.put_issue(id, json!({ "assignee_ids": [user] }))
    }

    fn cannot(&self, action: &ActionSpec, _: &[Contact]) -> Option<String> {
        tracker::no_custom_fields("GitLab", action)
    }

    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure> {
        // GitLab has no priority field: the site's priority label.
        tracker::set_by_labels("GitLab", &self.priority, action, full, |l| {
            self.add_label(id, l)
        })
    }
}
