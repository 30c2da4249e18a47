//! Jira Cloud over its REST API v2 (DESIGN.md "The escalate command"): `GET
//! /rest/api/2/myself`, the open issues by JQL a page at a time (`/rest/api/2/search/jql`, the
//! enhanced search with `nextPageToken`, which replaced `/search` on Cloud), an issue with its
//! whole changelog (`…/changelog` pages beyond the issue's 100 histories) and every comment, a comment by `POST …/comment` (restricted to the site's
//! `privateVisibility` where private), watchers by `POST …/watchers`, the assignee by `PUT
//! …/assignee`, labels, the priority and custom fields by `PUT` on the issue. Version 2, not 3:
//! its comment bodies are plain text (v3's are Atlassian Document Format), so the markers read
//! and written are the text itself.

use super::http::{percent, Client};
use super::tracker;
use super::tracker::{get_json, identity, Failure, Full, Listed, Tracker};
use serde_json::{json, Value};
use sla_lens::adapters::Visibility;
use sla_lens::policy::{ActionSpec, Contact};

const API: &str = "/rest/api/2";
/// Issues and comments per page (the most Jira returns).
const PAGE: usize = 100;

pub struct Jira {
    client: Client,
    jql: String,
    visibility: Option<Visibility>,
    me: String,
}

impl Jira {
    pub fn new(client: Client, jql: String, visibility: Option<Visibility>) -> Jira {
        Jira {
            client,
            jql,
            visibility,
            me: String::new(),
        }
    }

    /// The JQL for `--project KEY`: its issues not in a Done status, oldest first.
    pub fn project_jql(key: &str) -> Result<String, String> {
        let key = key.trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!(
                "--project `{key}`: give a Jira project key (e.g. SUP), or --jql"
            ));
        }
        Ok(format!(
            "project = \"{key}\" AND statusCategory != Done ORDER BY created ASC"
        ))
    }

    fn issue(&self, id: &str) -> String {
        format!("{API}/issue/{}", percent(id))
    }

    fn write(&self, method: &str, path: &str, body: Value) -> Result<(), Failure> {
        self.client
            .write(method, path, &body)
            .map(|_| ())
            .map_err(|e| Failure::new(format!("{method} {path}"), e))
    }

    fn account(c: &Contact) -> Result<&str, Failure> {
        identity(c.jira.as_deref(), c).ok_or_else(|| {
            Failure::config(
                "contacts",
                format!("{} has no Jira identity (`jira`: an account id)", c.name),
            )
        })
    }
}

impl Tracker for Jira {
    fn secret(&self) -> &str {
        self.client.key()
    }

    fn login(&mut self) -> Result<(), Failure> {
        let path = format!("{API}/myself");
        let v = get_json(&self.client, &path)?;
        self.me = v
            .get("accountId")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::config(&path, "no accountId in the answer"))?
            .to_string();
        Ok(())
    }

    fn context(&self) -> Result<Vec<String>, Failure> {
        Ok(Vec::new())
    }

    fn list_open(&self) -> Result<Vec<Listed>, Failure> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut token: Option<String> = None;
        for _ in 0..10_000 {
            let mut path = format!(
                "{API}/search/jql?jql={}&fields=*all&maxResults={PAGE}",
                percent(&self.jql)
            );
            if let Some(t) = &token {
                path.push_str(&format!("&nextPageToken={}", percent(t)));
            }
            let v = get_json(&self.client, &path)?;
            let issues = v
                .get("issues")
                .and_then(Value::as_array)
                .ok_or_else(|| Failure::config(&path, "not a search result (no `issues`)"))?;
            for i in issues {
                let Some(key) = i.get("key").and_then(Value::as_str) else {
                    continue;
                };
                if seen.insert(key.to_string()) {
                    out.push(Listed {
                        id: key.to_string(),
                        texts: vec![i.to_string()],
                    });
                }
            }
            token = v
                .get("nextPageToken")
                .and_then(Value::as_str)
                .map(str::to_string);
            let last = v.get("isLast").and_then(Value::as_bool).unwrap_or(false);
            if last || token.is_none() || issues.is_empty() {
                break;
            }
        }
        Ok(out)
    }

    fn read_path(&self, id: &str) -> String {
        format!("{}?expand=changelog", self.issue(id))
    }

    fn read(&self, id: &str) -> Result<Full, Failure> {
        let mut issue = get_json(&self.client, &self.read_path(id))?;
        // Every comment: the issue's own `comment` field may hold only the first ones.
        let mut comments: Vec<Value> = Vec::new();
        loop {
            let path = format!(
                "{}/comment?startAt={}&maxResults={PAGE}&orderBy=created",
                self.issue(id),
                comments.len()
            );
            let v = get_json(&self.client, &path)?;
            let page = v
                .get("comments")
                .and_then(Value::as_array)
                .ok_or_else(|| Failure::config(&path, "no `comments` in the answer"))?;
            let n = page.len();
            comments.extend(page.iter().cloned());
            let total = v.get("total").and_then(Value::as_u64).unwrap_or(0);
            if n == 0 || comments.len() as u64 >= total {
                break;
            }
        }
        // Every status change: the issue's `changelog` holds at most 100 histories; the rest
        // come from `…/changelog`, oldest first.
        let listed = issue
            .pointer("/changelog/histories")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let total = issue
            .pointer("/changelog/total")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if total > listed as u64 {
            let mut histories: Vec<Value> = Vec::new();
            loop {
                let path = format!(
                    "{}/changelog?startAt={}&maxResults={PAGE}",
                    self.issue(id),
                    histories.len()
                );
                let v = get_json(&self.client, &path)?;
                let page = v
                    .get("values")
                    .and_then(Value::as_array)
                    .ok_or_else(|| Failure::config(&path, "no `values` in the answer"))?;
                let n = page.len();
                histories.extend(page.iter().cloned());
                let last = v.get("isLast").and_then(Value::as_bool).unwrap_or(false);
                if n == 0 || last || histories.len() as u64 >= total {
                    break;
                }
            }
            issue["changelog"] = json!({
                "startAt": 0, "maxResults": histories.len(), "total": histories.len(),
                "histories": histories,
            });
        }
        let me = self.me.as_str();
        let notes = tracker::notes_from(&comments, |c| {
            c.pointer("/author/accountId").and_then(Value::as_str) == Some(me)
        });
        let labels = tracker::label_names(issue.pointer("/fields/labels"));
        if let Some(f) = issue.get_mut("fields").and_then(Value::as_object_mut) {
            let total = comments.len();
            f.insert(
                "comment".into(),
                json!({ "comments": comments, "startAt": 0, "maxResults": total, "total": total }),
            );
        }
        Ok(Full {
            texts: vec![issue.to_string()],
            notes,
            labels,
            raw: issue,
        })
    }

    /// A private comment is restricted to the site's `privateVisibility`; without one it is
    /// public (Jira has restricted comments, not private ones).
    fn post_note(&self, id: &str, text: &str, private: bool) -> Result<(), Failure> {
        let mut body = json!({ "body": text });
        if let (true, Some(v)) = (private, &self.visibility) {
            body["visibility"] = json!({ "type": v.kind, "value": v.value });
        }
        self.write("POST", &format!("{}/comment", self.issue(id)), body)
    }

    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure> {
        let path = format!("{}/watchers", self.issue(id));
        let mut reached = 0;
        for c in contacts {
            if c.jira.is_none() && c.handle.is_none() {
                continue;
            }
            // The body is the account id as a JSON string.
            self.write("POST", &path, Value::String(Self::account(c)?.to_string()))?;
            reached += 1;
        }
        if reached == 0 {
            return Err(Failure::config(
                "contacts",
                "no contact has a Jira identity (`jira`: an account id)",
            ));
        }
        Ok(())
    }

    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure> {
        let account = Self::account(contact)?;
        self.write(
            "PUT",
            &format!("{}/assignee", self.issue(id)),
            json!({ "accountId": account }),
        )
    }

    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure> {
        let path = self.issue(id);
        if let Some(label) = &action.label {
            if label.chars().any(char::is_whitespace) {
                return Err(Failure::config(
                    "set",
                    format!("`{label}`: a Jira label cannot hold spaces"),
                ));
            }
            return self.write(
                "PUT",
                &path,
                json!({ "update": { "labels": [{ "add": label }] } }),
            );
        }
        if let (Some(field), Some(value)) = (&action.field, &action.value) {
            let fpath = format!("{API}/field");
            let fields = get_json(&self.client, &fpath)?;
            let f = fields
                .as_array()
                .into_iter()
                .flatten()
                .find(|f| {
                    f.get("id").and_then(Value::as_str) == Some(field.as_str())
                        || f.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(field))
                })
                .ok_or_else(|| {
                    Failure::config(&fpath, format!("Jira has no field named `{field}`"))
                })?;
            let fid = f.get("id").and_then(Value::as_str).unwrap_or_default();
            // The value in the field's own shape: a select list takes `{"value"}`, a number a
            // number, a user picker `{"accountId"}`, a labels-like array a list; else text.
            let v = match f.pointer("/schema/type").and_then(Value::as_str) {
                Some("option") => json!({ "value": value }),
                Some("number") => value
                    .parse::<f64>()
                    .map(|n| json!(n))
                    .map_err(|_| Failure::config("set", format!("`{field}` takes a number")))?,
                Some("user") => json!({ "accountId": value }),
                Some("array") => match f.pointer("/schema/items").and_then(Value::as_str) {
                    Some("option") => json!([{ "value": value }]),
                    _ => json!([value]),
                },
                _ => json!(value),
            };
            return self.write("PUT", &path, json!({ "fields": { fid: v } }));
        }
        if let Some(want) = &action.priority {
            let ppath = format!("{API}/priority");
            let list = get_json(&self.client, &ppath)?;
            // Jira lists priorities highest first: a raise moves earlier in the list.
            let names: Vec<&str> = list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .collect();
            let target = names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(want))
                .ok_or_else(|| {
                    Failure::config(&ppath, format!("Jira has no priority named `{want}`"))
                })?;
            let current = full
                .raw
                .pointer("/fields/priority/name")
                .and_then(Value::as_str)
                .and_then(|c| names.iter().position(|n| n.eq_ignore_ascii_case(c)));
            if current.is_some_and(|c| c <= target) {
                return Ok(()); // already that high or higher: a raise never lowers
            }
            return self.write(
                "PUT",
                &path,
                json!({ "fields": { "priority": { "name": names[target] } } }),
            );
        }
        Err(Failure::config("set", "nothing to set"))
    }
}
