//! Redmine over its REST API (DESIGN.md "The escalate command"): `/users/current.json`, the open
//! issues a page at a time, an issue with its journals, a note by `PUT /issues/N.json`, watchers
//! by `POST /issues/N/watchers.json`, assignment, custom fields and priority by `PUT`.

use super::http::{percent, Client};
use super::tracker::{Failure, Full, Listed, Note, Tracker};
use serde_json::{json, Value};
use sla_lens::policy::{ActionSpec, Contact};
use std::collections::HashMap;
use std::sync::Mutex;

/// Issues per list page (Redmine's maximum).
const PAGE: usize = 100;

pub struct Redmine {
    client: Client,
    me: i64,
    /// Logins looked up once per run.
    logins: Mutex<HashMap<String, i64>>,
    /// The groups whose members are staff (the site's `staff: {"groups": [...]}`), by name or
    /// id: read with their users once per run, for the adapter.
    groups: Vec<String>,
}

impl Redmine {
    pub fn new(client: Client) -> Redmine {
        Redmine {
            client,
            me: -1,
            logins: Mutex::default(),
            groups: Vec::new(),
        }
    }

    /// Staff are the members of these groups (names or ids).
    pub fn with_groups(mut self, groups: Vec<String>) -> Redmine {
        self.groups = groups;
        self
    }

    fn get_json(&self, path: &str) -> Result<Value, Failure> {
        let text = self.client.get(path).map_err(|e| Failure::new(path, e))?;
        serde_json::from_str(&text).map_err(|e| Failure::config(path, format!("not JSON ({e})")))
    }

    /// A contact's Redmine user id: its `redmine` identity (a numeric id, or a login looked up
    /// through `/users.json`, which needs an administrator's key), else its `handle` as a login.
    fn user_id(&self, c: &Contact) -> Result<i64, Failure> {
        let who = c
            .redmine
            .as_deref()
            .or(c.handle.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Failure::config(
                    "contacts",
                    format!(
                        "{} has no Redmine identity (`redmine`: a user id or login)",
                        c.name
                    ),
                )
            })?;
        if let Ok(id) = who.parse::<i64>() {
            return Ok(id);
        }
        if let Some(id) = self.logins.lock().ok().and_then(|m| m.get(who).copied()) {
            return Ok(id);
        }
        let path = format!("/users.json?name={}&limit=100", percent(who));
        let v = self.get_json(&path).map_err(|mut f| {
            // Redmine lists users to administrators only: the key is fine, the lookup is not.
            if f.error.message.starts_with("HTTP 403") {
                f.error.message = format!(
                    "HTTP 403: looking up the login `{who}` needs an administrator's key; give \
                     {}'s user id instead (`\"redmine\": \"42\"`)",
                    c.name
                );
            }
            f
        })?;
        let id = v
            .get("users")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|u| u.get("login").and_then(Value::as_str) == Some(who))
            .and_then(|u| u.get("id").and_then(Value::as_i64))
            .ok_or_else(|| {
                Failure::config(
                    &path,
                    format!("no Redmine user with the login `{who}` ({})", c.name),
                )
            })?;
        if let Ok(mut m) = self.logins.lock() {
            m.insert(who.to_string(), id);
        }
        Ok(id)
    }

    fn put_issue(&self, id: &str, issue: Value) -> Result<(), Failure> {
        let path = format!("/issues/{}.json", percent(id));
        self.client
            .write("PUT", &path, &json!({ "issue": issue }))
            .map(|_| ())
            .map_err(|e| Failure::new(format!("PUT {path}"), e))
    }
}

impl Tracker for Redmine {
    fn secret(&self) -> &str {
        self.client.key()
    }

    fn login(&mut self) -> Result<(), Failure> {
        let v = self.get_json("/users/current.json")?;
        self.me = v
            .pointer("/user/id")
            .and_then(Value::as_i64)
            .ok_or_else(|| Failure::config("/users/current.json", "no user id in the answer"))?;
        Ok(())
    }

    fn context(&self) -> Result<Vec<String>, Failure> {
        let path = "/issue_statuses.json";
        let text = self.client.get(path).map_err(|e| Failure::new(path, e))?;
        let mut out = vec![text];
        if self.groups.is_empty() {
            return Ok(out);
        }
        // Group names need the group list (an administrator's key); ids do not.
        let mut ids: Vec<i64> = self.groups.iter().filter_map(|g| g.parse().ok()).collect();
        let named: Vec<&String> = self
            .groups
            .iter()
            .filter(|g| g.parse::<i64>().is_err())
            .collect();
        if !named.is_empty() {
            let list = self.get_json("/groups.json")?;
            let all = list.get("groups").and_then(Value::as_array);
            for name in named {
                let id = all
                    .into_iter()
                    .flatten()
                    .find(|g| {
                        g.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .and_then(|g| g.get("id").and_then(Value::as_i64))
                    .ok_or_else(|| {
                        Failure::config("/groups.json", format!("no Redmine group named `{name}`"))
                    })?;
                ids.push(id);
            }
        }
        for id in ids {
            let path = format!("/groups/{id}.json?include=users");
            out.push(self.client.get(&path).map_err(|e| Failure::new(&path, e))?);
        }
        Ok(out)
    }

    fn list_open(&self) -> Result<Vec<Listed>, Failure> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut offset = 0usize;
        loop {
            let path = format!("/issues.json?status_id=open&sort=id&limit={PAGE}&offset={offset}");
            let v = self.get_json(&path)?;
            let issues = v
                .get("issues")
                .and_then(Value::as_array)
                .ok_or_else(|| Failure::config(&path, "not an issue list (no `issues`)"))?;
            let n = issues.len();
            for issue in issues {
                // An issue seen on two pages (the list shifted while it was paged) is read once.
                let Some(id) = issue.get("id").and_then(Value::as_i64) else {
                    continue;
                };
                if seen.insert(id) {
                    out.push(Listed {
                        id: id.to_string(),
                        texts: vec![json!({ "issues": [issue] }).to_string()],
                    });
                }
            }
            offset += n;
            let total = v.get("total_count").and_then(Value::as_u64);
            if n == 0 || total.is_none_or(|t| offset as u64 >= t) {
                break;
            }
        }
        Ok(out)
    }

    fn read_path(&self, id: &str) -> String {
        format!("/issues/{}.json?include=journals", percent(id))
    }

    fn read(&self, id: &str) -> Result<Full, Failure> {
        let path = self.read_path(id);
        let text = self.client.get(&path).map_err(|e| Failure::new(&path, e))?;
        let raw: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::config(&path, format!("not JSON ({e})")))?;
        let mut notes: Vec<Note> = raw
            .pointer("/issue/journals")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|j| {
                let text = j.get("notes").and_then(Value::as_str)?;
                Some(Note {
                    id: j.get("id").and_then(Value::as_u64)?,
                    by_me: j.pointer("/user/id").and_then(Value::as_i64) == Some(self.me),
                    text: text.to_string(),
                })
            })
            .collect();
        notes.sort_by_key(|n| n.id);
        Ok(Full {
            texts: vec![text],
            notes,
            labels: Vec::new(),
            raw,
        })
    }

    fn cannot(&self, action: &ActionSpec, contacts: &[Contact]) -> Option<String> {
        use sla_lens::policy::ActionKind;
        let identity = |c: &Contact| c.redmine.is_some() || c.handle.is_some();
        match action.kind {
            ActionKind::Set if action.label.is_some() => Some(
                "Redmine issues have no labels: use `field` + `value` (a custom field) instead"
                    .into(),
            ),
            ActionKind::Watch if !contacts.iter().any(identity) => {
                Some("no contact has a Redmine identity (`redmine`: a user id or login)".into())
            }
            ActionKind::Assign => match contacts.get(action.contact.unwrap_or(0) as usize) {
                Some(c) if identity(c) => None,
                Some(c) => Some(format!(
                    "{} has no Redmine identity (`redmine`: a user id or login)",
                    c.name
                )),
                None => Some("the stage has no such contact".into()),
            },
            _ => None,
        }
    }

    fn post_note(&self, id: &str, text: &str, private: bool) -> Result<(), Failure> {
        self.put_issue(id, json!({ "notes": text, "private_notes": private }))
    }

    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure> {
        let path = format!("/issues/{}/watchers.json", percent(id));
        let mut reached = 0;
        for c in contacts {
            if c.redmine.is_none() && c.handle.is_none() {
                continue;
            }
            let user = self.user_id(c)?;
            self.client
                .write("POST", &path, &json!({ "user_id": user }))
                .map_err(|e| Failure::new(format!("POST {path}"), e))?;
            reached += 1;
        }
        if reached == 0 {
            return Err(Failure::config(
                "contacts",
                "no contact has a Redmine identity (`redmine`: a user id or login)",
            ));
        }
        Ok(())
    }

    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure> {
        let user = self.user_id(contact)?;
        self.put_issue(id, json!({ "assigned_to_id": user }))
    }

    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure> {
        if action.label.is_some() {
            return Err(Failure::config(
                "set",
                "Redmine issues have no labels: use `field` + `value` (a custom field) instead",
            ));
        }
        if let (Some(field), Some(value)) = (&action.field, &action.value) {
            let cf = full
                .raw
                .pointer("/issue/custom_fields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|f| f.get("name").and_then(Value::as_str) == Some(field.as_str()))
                .and_then(|f| f.get("id").and_then(Value::as_i64))
                .ok_or_else(|| {
                    Failure::config(
                        "set",
                        format!("the issue has no custom field named `{field}`"),
                    )
                })?;
            return self.put_issue(
                id,
                json!({ "custom_fields": [{ "id": cf, "value": value }] }),
            );
        }
        if let Some(want) = &action.priority {
            let path = "/enumerations/issue_priorities.json";
            let v = self.get_json(path)?;
            let list: Vec<(i64, String)> = v
                .get("issue_priorities")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    Some((p.get("id")?.as_i64()?, p.get("name")?.as_str()?.to_string()))
                })
                .collect();
            // Redmine lists priorities lowest first: a raise moves later in the list.
            let pos = |id: i64| list.iter().position(|(i, _)| *i == id);
            let target = list
                .iter()
                .position(|(_, n)| n.eq_ignore_ascii_case(want))
                .ok_or_else(|| {
                    Failure::config(path, format!("Redmine has no priority named `{want}`"))
                })?;
            let current = full
                .raw
                .pointer("/issue/priority/id")
                .and_then(Value::as_i64)
                .and_then(pos);
            if current.is_some_and(|c| c >= target) {
                return Ok(()); // already that high or higher: a raise never lowers
            }
            return self.put_issue(id, json!({ "priority_id": list[target].0 }));
        }
        Err(Failure::config("set", "nothing to set"))
    }
}
