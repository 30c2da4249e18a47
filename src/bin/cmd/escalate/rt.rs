//! Request Tracker 5 over its REST 2 API (DESIGN.md "The escalate command"; docs/trackers.md
//! "Request Tracker"): the account from the auth token (`1-<user id>-<secret>`, RT's own format)
//! read as `GET /user/<id>`, the active tickets by TicketSQL a page at a time (`GET
//! /tickets?query=…`), a ticket with its history pages and the words of its messages
//! (`/transaction/T/attachments`), a note by `POST /ticket/N/comment` (private: RT's internal
//! comment) or `…/correspond` (public: mailed to the requestors), AdminCc and the owner by `PUT
//! /ticket/N`, checked by reading the ticket again (RT answers a refused field with 200 and a
//! message, never with an error status).

use super::http::{percent, Client};
use super::tracker::{get_json, Failure, Full, Listed, Note, Tracker};
use serde_json::{json, Value};
use sla_lens::adapters::rt::{message_part, raw_text, RtPrioritySource, RtStaff};
use sla_lens::adapters::SiteConfig;
use sla_lens::policy::{ActionKind, ActionSpec, Contact};
use std::collections::{BTreeMap, BTreeSet};

const API: &str = "/REST/2.0";
/// Items per page (RT's maximum is 100).
const PAGE: usize = 100;
/// The transaction fields the adapter maps (src/adapters/rt.rs).
const HISTORY_FIELDS: &str = "Type,Creator,Created,Field,OldValue,NewValue,ObjectType,ObjectId";
/// The ticket fields a search page carries: what scope and targets depend on.
const LIST_FIELDS: &str =
    "Subject,Status,Queue,Owner,Requestor,Creator,Created,Resolved,LastUpdated,Priority,SLA";

pub struct Rt {
    client: Client,
    /// TicketSQL: the active tickets, of one queue with `--project`.
    query: String,
    /// The staff rule, for the documents the adapter needs beside the ticket.
    staff: RtStaff,
    /// RT's priority names (the site's `rt.priorityNames`), for a `set` of `priority`.
    priority_names: BTreeMap<String, i64>,
    /// Whether the site maps priority from names at all.
    by_name: bool,
    /// The account the token belongs to: its user name and id.
    me: (String, String),
}

/// The user id in an RT auth token (`1-<user id>-<32 hex digits>`), or `None` when the token
/// is not in RT's format.
pub fn token_user(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("1-")?;
    let (id, secret) = rest.split_once('-')?;
    (!id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && secret.len() == 32
        && secret.bytes().all(|b| b.is_ascii_hexdigit()))
    .then_some(id)
}

/// A contact's RT user name: its `handle`.
fn user_of(c: &Contact) -> Option<&str> {
    c.handle.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn no_identity(c: &Contact) -> String {
    format!("{} has no RT identity (`handle`: the RT user name)", c.name)
}

/// The ids (user names, group ids) of a role in a `/ticket/N` answer (`AdminCc`, `Owner`).
fn role_ids(ticket: &Value, role: &str) -> Vec<String> {
    let ids = |v: &Value| match v.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match ticket.get(role) {
        Some(Value::Array(a)) => a.iter().filter_map(ids).collect(),
        Some(v @ Value::Object(_)) => ids(v).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn has(ids: &[String], name: &str) -> bool {
    ids.iter().any(|i| i.eq_ignore_ascii_case(name))
}

impl Rt {
    /// `queue`: `--project`, the one queue whose tickets are read (else every queue the token
    /// can see).
    pub fn new(client: Client, queue: Option<&str>, site: &SiteConfig) -> Result<Rt, String> {
        let active = "Status = '__Active__'";
        let query = match queue.map(str::trim) {
            None => active.to_string(),
            Some(q)
                if q.is_empty() || q.contains(['\'', '\\']) || q.chars().any(char::is_control) =>
            {
                return Err(format!(
                    "--project `{q}`: give an RT queue name (without quotes or backslashes)"
                ))
            }
            Some(q) => format!("Queue = '{q}' AND {active}"),
        };
        let rt = site.rt.clone().unwrap_or_default();
        Ok(Rt {
            client,
            query,
            by_name: rt.priority.contains(&RtPrioritySource::PriorityName),
            staff: rt.staff,
            priority_names: rt.priority_names,
            me: (String::new(), String::new()),
        })
    }

    fn get(&self, path: &str) -> Result<String, Failure> {
        let path = format!("{API}{path}");
        self.client.get(&path).map_err(|e| Failure::new(&path, e))
    }

    fn json(&self, path: &str) -> Result<Value, Failure> {
        get_json(&self.client, &format!("{API}{path}"))
    }

    /// Every page of a REST 2 collection (`path` has a query): the answers as read.
    fn pages(&self, path: &str) -> Result<Vec<(String, Value)>, Failure> {
        let mut out = Vec::new();
        // A bound against a server that never says it is on its last page.
        for page in 1..=1000 {
            let p = format!("{path}&per_page={PAGE}&page={page}");
            let text = self.get(&p)?;
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::config(format!("{API}{p}"), format!("not JSON ({e})")))?;
            let n = v
                .get("items")
                .and_then(Value::as_array)
                .ok_or_else(|| Failure::config(format!("{API}{p}"), "not a list (no `items`)"))?
                .len();
            let pages = v.get("pages").and_then(Value::as_u64);
            out.push((text, v));
            if n < PAGE || pages.is_some_and(|t| page as u64 >= t) {
                break;
            }
        }
        Ok(out)
    }

    fn ticket_path(id: &str) -> String {
        format!("/ticket/{}", percent(id))
    }

    /// PUT fields on a ticket, then the ticket as RT has it now (RT answers 200 with a message
    /// per field also when it refused one).
    fn update(&self, id: &str, body: Value) -> Result<(Value, String), Failure> {
        let path = format!("{API}{}", Rt::ticket_path(id));
        let said = self
            .client
            .write("PUT", &path, &body)
            .map_err(|e| Failure::new(format!("PUT {path}"), e))?;
        let now = self.json(&Rt::ticket_path(id))?;
        Ok((now, said))
    }
}

impl Tracker for Rt {
    fn secret(&self) -> &str {
        self.client.key()
    }

    fn login(&mut self) -> Result<(), Failure> {
        let id = token_user(self.client.key())
            .ok_or_else(|| {
                Failure::config(
                    "SLA_LENS_RT_TOKEN",
                    "not an RT auth token (`1-<user id>-<32 hex digits>`, as RT shows it once \
                     when it is created: Logged in as → Settings → Auth Tokens)",
                )
            })?
            .to_string();
        let path = format!("/user/{id}");
        let v = self.json(&path)?;
        let name = v
            .get("Name")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Failure::config(format!("{API}{path}"), "no user name in the answer"))?;
        self.me = (name.to_string(), id);
        Ok(())
    }

    fn context(&self) -> Result<Vec<String>, Failure> {
        // Queue names (scope by queue), then the groups with their members (staff by group, the
        // requester's group).
        let mut out = Vec::new();
        for (what, list, one) in [
            ("queue", "/queues/all?fields=Name", "/queue"),
            ("group", "/groups?fields=Name", "/group"),
        ] {
            for (_, page) in self.pages(list)? {
                for item in page["items"].as_array().into_iter().flatten() {
                    let id = match item.get("id") {
                        Some(Value::Number(n)) => n.to_string(),
                        Some(Value::String(s)) => s.clone(),
                        _ => continue,
                    };
                    // Only user-defined groups have a name an admin can put in a site file;
                    // role and system groups have no `Name` of their own.
                    if what == "group" && item.get("Name").and_then(Value::as_str).is_none() {
                        continue;
                    }
                    out.push(self.get(&format!("{one}/{}", percent(&id)))?);
                }
            }
        }
        Ok(out)
    }

    fn list_open(&self) -> Result<Vec<Listed>, Failure> {
        let path = format!(
            "/tickets?query={}&orderby=id&order=ASC&fields={LIST_FIELDS}",
            percent(&self.query)
        );
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (_, page) in self.pages(&path)? {
            for item in page["items"].as_array().into_iter().flatten() {
                let id = match item.get("id") {
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::String(s)) => s.clone(),
                    _ => continue,
                };
                // A ticket seen on two pages (the list shifted while it was paged) is read once.
                if seen.insert(id.clone()) {
                    out.push(Listed {
                        id,
                        texts: vec![json!({ "items": [item] }).to_string()],
                    });
                }
            }
        }
        Ok(out)
    }

    fn read_path(&self, id: &str) -> String {
        format!("{API}{}", Rt::ticket_path(id))
    }

    fn read(&self, id: &str) -> Result<Full, Failure> {
        let tp = Rt::ticket_path(id);
        let text = self.get(&tp)?;
        let raw: Value = serde_json::from_str(&text)
            .map_err(|e| Failure::config(format!("{API}{tp}"), format!("not JSON ({e})")))?;
        let mut texts = vec![text];
        let history = self.pages(&format!("{tp}/history?fields={HISTORY_FIELDS}"))?;
        let mut notes = Vec::new();
        let mut people: BTreeSet<String> = role_ids(&raw, "Requestor").into_iter().collect();
        for (text, page) in history {
            for t in page["items"].as_array().into_iter().flatten() {
                let kind = t.get("Type").and_then(Value::as_str).unwrap_or("");
                let creator = raw_text(t.pointer("/Creator/id"));
                if let Some(c) = &creator {
                    people.insert(c.clone());
                }
                if !matches!(kind, "Create" | "Correspond" | "Comment") {
                    continue;
                }
                let Some(tx) = raw_text(t.get("id")).and_then(|s| s.parse::<u64>().ok()) else {
                    continue;
                };
                // The words of the message: where markers and claims are read.
                let mut body = String::new();
                for (a_text, a) in self.pages(&format!(
                    "/transaction/{tx}/attachments?fields=TransactionId,ContentType,Content"
                ))? {
                    for c in a["items"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(message_part)
                    {
                        body.push_str(c);
                        body.push('\n');
                    }
                    texts.push(a_text);
                }
                if kind != "Create" {
                    let by_me = creator
                        .as_deref()
                        .is_some_and(|c| c == self.me.0 || c == self.me.1);
                    notes.push(Note {
                        id: tx,
                        by_me,
                        text: body,
                    });
                }
            }
            texts.push(text);
        }
        // Who is privileged, for the `privileged` staff rule.
        if self.staff == RtStaff::Privileged {
            for who in people {
                texts.push(self.get(&format!("/user/{}", percent(&who)))?);
            }
        }
        notes.sort_by_key(|n| n.id);
        Ok(Full {
            texts,
            notes,
            labels: Vec::new(),
            raw,
        })
    }

    fn cannot(&self, action: &ActionSpec, contacts: &[Contact]) -> Option<String> {
        match action.kind {
            ActionKind::Set if action.label.is_some() => Some(
                "RT tickets have no labels: use `field` + `value` (a custom field) instead".into(),
            ),
            ActionKind::Set if action.priority.is_some() && !self.by_name => Some(
                "the site maps RT's priority from no names (`rt.priority` without \
                 `priorityName`): set a custom field instead"
                    .into(),
            ),
            ActionKind::Watch if !contacts.iter().any(|c| user_of(c).is_some()) => {
                Some("no contact has an RT identity (`handle`: the RT user name)".into())
            }
            ActionKind::Assign => match contacts.get(action.contact.unwrap_or(0) as usize) {
                Some(c) if user_of(c).is_some() => None,
                Some(c) => Some(no_identity(c)),
                None => Some("the stage has no such contact".into()),
            },
            _ => None,
        }
    }

    fn post_note(&self, id: &str, text: &str, private: bool) -> Result<(), Failure> {
        let kind = if private { "comment" } else { "correspond" };
        let path = format!("{API}{}/{kind}", Rt::ticket_path(id));
        self.client
            .write(
                "POST",
                &path,
                &json!({ "Content": text, "ContentType": "text/plain" }),
            )
            .map(|_| ())
            .map_err(|e| Failure::new(format!("POST {path}"), e))
    }

    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure> {
        let names: Vec<&str> = contacts.iter().filter_map(user_of).collect();
        if names.is_empty() {
            return Err(Failure::config(
                "contacts",
                "no contact has an RT identity (`handle`: the RT user name)",
            ));
        }
        let now = self.json(&Rt::ticket_path(id))?;
        let mut admin_cc = role_ids(&now, "AdminCc");
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !has(&admin_cc, n))
            .collect();
        if missing.is_empty() {
            return Ok(()); // all watching already
        }
        // RT's `AdminCc` is the whole list: the ones there stay (groups by their id).
        admin_cc.extend(missing.iter().map(|s| s.to_string()));
        let (after, said) = self.update(id, json!({ "AdminCc": admin_cc }))?;
        let after = role_ids(&after, "AdminCc");
        let absent: Vec<&&str> = missing.iter().filter(|n| !has(&after, n)).collect();
        if !absent.is_empty() {
            return Err(Failure::config(
                format!("PUT {API}{}", Rt::ticket_path(id)),
                format!(
                    "RT did not add {absent:?} as AdminCc (it said: {})",
                    said.trim()
                ),
            ));
        }
        Ok(())
    }

    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure> {
        let user =
            user_of(contact).ok_or_else(|| Failure::config("contacts", no_identity(contact)))?;
        let (after, said) = self.update(id, json!({ "Owner": user }))?;
        if !has(&role_ids(&after, "Owner"), user) {
            return Err(Failure::config(
                format!("PUT {API}{}", Rt::ticket_path(id)),
                format!(
                    "RT did not make {user} the owner (it said: {})",
                    said.trim()
                ),
            ));
        }
        Ok(())
    }

    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure> {
        if action.label.is_some() {
            return Err(Failure::config(
                "set",
                "RT tickets have no labels: use `field` + `value` (a custom field) instead",
            ));
        }
        let request = format!("PUT {API}{}", Rt::ticket_path(id));
        if let (Some(field), Some(value)) = (&action.field, &action.value) {
            let (after, said) = self.update(
                id,
                json!({ "CustomFields": { field.as_str(): value.as_str() } }),
            )?;
            let now = after
                .get("CustomFields")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|f| f.get("name").and_then(Value::as_str) == Some(field.as_str()))
                .and_then(|f| f.get("values").and_then(Value::as_array))
                .is_some_and(|v| v.iter().any(|x| x.as_str() == Some(value.as_str())));
            if !now {
                return Err(Failure::config(
                    request,
                    format!("RT did not set `{field}` (it said: {})", said.trim()),
                ));
            }
            return Ok(());
        }
        if let Some(want) = &action.priority {
            let target = self
                .priority_names
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(want))
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    Failure::config(
                        "set",
                        format!("the site's `rt.priorityNames` has no priority named `{want}`"),
                    )
                })?;
            let number = |t: &Value| match t.get("Priority") {
                Some(Value::Number(n)) => n.as_i64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            if number(&full.raw).is_some_and(|c| c >= target) {
                return Ok(()); // already that high or higher: a raise never lowers
            }
            let (after, said) = self.update(id, json!({ "Priority": target }))?;
            if number(&after) != Some(target) {
                return Err(Failure::config(
                    request,
                    format!("RT did not set the priority (it said: {})", said.trim()),
                ));
            }
            return Ok(());
        }
        Err(Failure::config("set", "nothing to set"))
    }
}

#[cfg(test)]
mod tests {
    use super::{role_ids, token_user};
    use serde_json::json;

    #[test]
    fn the_user_id_is_read_from_rts_token_format() {
        assert_eq!(
            token_user("1-14-0123456789abcdef0123456789ABCDEF"),
            Some("14")
        );
        for bad in [
            "",
            "14-0123456789abcdef0123456789abcdef",
            "2-14-0123456789abcdef0123456789abcdef",
            "1--0123456789abcdef0123456789abcdef",
            "1-x4-0123456789abcdef0123456789abcdef",
            "1-14-0123456789abcdef",
            "1-14-0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(token_user(bad), None, "{bad}");
        }
    }

    #[test]
    fn role_members_are_user_names_and_group_ids() {
        let t = json!({
            "AdminCc": [{"type": "user", "id": "bob"}, {"type": "group", "id": 39}],
            "Owner": {"type": "user", "id": "Nobody"}
        });
        assert_eq!(role_ids(&t, "AdminCc"), ["bob", "39"]);
        assert_eq!(role_ids(&t, "Owner"), ["Nobody"]);
        assert!(role_ids(&t, "Cc").is_empty());
    }
}
