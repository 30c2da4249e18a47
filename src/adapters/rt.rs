//! Request Tracker 5: REST 2 answers mapped to tickets.
//!
//! The responses read (each one document, or several in an array; docs/trackers.md):
//! - `GET /REST/2.0/ticket/N` — one ticket (`id`, `Subject`, `Status`, `Queue`, `Owner`,
//!   `Requestor`, `Created`, `Resolved`, `LastUpdated`, `Priority`, `SLA`, `CustomFields`).
//! - `GET /REST/2.0/ticket/N/history?fields=Type,Creator,Created,Field,OldValue,NewValue,ObjectType,ObjectId`
//!   — a page of its transactions; `ObjectId` ties them to their ticket (without it a page belongs
//!   to the input's only ticket).
//! - `GET /REST/2.0/transaction/T/attachments?fields=TransactionId,ContentType,Content` — the
//!   words of a message (their `text/plain` parts), where sla-lens's markers and claims are read.
//! - `GET /REST/2.0/tickets?query=…&fields=…` — a search page: tickets without their history.
//! - `GET /REST/2.0/queue/N`, `/user/NAME`, `/group/N` — the names of queues, who is privileged,
//!   who is in which group.
//!
//! The mapping:
//! - created: `Created`. Unset dates (`1970-01-01T00:00:00Z`, RT's "not set") are absent.
//! - status: RT's lifecycle name (`new`, `open`, `stalled`, `resolved`, `rejected`, `deleted`),
//!   renamed by the site's `statuses` (by default `stalled` → `Waiting on customer`, the pause of
//!   the shipped policies); the history from `Status` transactions.
//! - facts: `project` and `queue` (the queue's name and id), `priority` (the first of the site's
//!   `rt.priority` sources that has a value: the ticket's `SLA` level, RT's priority name, its
//!   number), `sla`, `priorityName`, custom fields by name, `requesterGroup`.
//! - replies: `Correspond` transactions (public); `Comment` transactions are RT's internal notes
//!   and respond only with `privateCommentsRespond`. Who is staff: the site's `rt.staff` rule.
//!   A message holding an `sla-lens:escalated` marker or claim is never a reply (DESIGN.md rule 6);
//!   the agent's markers are the ticket's escalations.

use super::{
    is_number, put, snapshot_unknown, split_url, unexpected, Batch, IssueCtx, Page, PageKind,
    SiteConfig, StaffRule, Tracker, TrackerKind,
};
use crate::ticket::{CommentInput, Stamp, StatusChangeInput, TicketError, TicketInput};
use crate::time::format_instant;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub struct Rt;

/// RT's "not set" date.
const UNSET: &str = "1970-01-01T00:00:00Z";

/// The `rt` object of a site file: what only Request Tracker has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RtSite {
    /// Who is staff. Default `notRequestor`, RT's own rule (its SLA's "inside"): anyone who is
    /// not a requestor of the ticket, or a requestor who owns it.
    pub staff: RtStaff,
    /// Where the `priority` fact comes from, the first source with a value: `sla` (the
    /// ticket's SLA level), `priorityName` (RT's name for its number, from `priorityNames`),
    /// `priority` (the number).
    pub priority: Vec<RtPrioritySource>,
    /// RT's priority names (`$PriorityAsString`): a number takes the name of the highest value
    /// not above it.
    pub priority_names: BTreeMap<String, i64>,
    /// Queue id → name, for inputs without the `/queue/N` responses.
    pub queues: BTreeMap<String, String>,
}

impl Default for RtSite {
    fn default() -> Self {
        RtSite {
            staff: RtStaff::NotRequestor,
            priority: vec![RtPrioritySource::Sla, RtPrioritySource::PriorityName],
            priority_names: [("Low", 0), ("Medium", 50), ("High", 100)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            queues: BTreeMap::new(),
        }
    }
}

/// Who counts as provider staff on an RT site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum RtStaff {
    /// Anyone who is not a requestor, or a requestor who owns the ticket (RT's inside/outside).
    NotRequestor,
    /// Privileged users (`Privileged: 1` in `/user/NAME` responses in the input).
    Privileged,
    /// Members of these groups (names or ids), from `/group/N` or `/user/NAME` responses.
    Groups(Vec<String>),
    /// These users (names, ids or e-mail addresses).
    Users(Vec<String>),
}

/// A source of the `priority` fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RtPrioritySource {
    Sla,
    PriorityName,
    Priority,
}

/// `{"id": "mia", "type": "user", "_url": …}`: RT's reference to a record.
#[derive(Debug, Clone, Deserialize)]
struct Ref {
    #[serde(deserialize_with = "text")]
    id: String,
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or a number, found {other}"
        ))),
    }
}

fn opt_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or a number, found {other}"
        ))),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ticket {
    #[serde(rename = "id", deserialize_with = "text")]
    id: String,
    #[serde(default)]
    subject: Option<String>,
    status: String,
    #[serde(default)]
    queue: Option<Ref>,
    #[serde(default)]
    owner: Option<Ref>,
    #[serde(default)]
    creator: Option<Ref>,
    #[serde(default)]
    requestor: Vec<Ref>,
    created: String,
    #[serde(default)]
    resolved: Option<String>,
    #[serde(default)]
    last_updated: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    priority: Option<String>,
    #[serde(default, rename = "SLA")]
    sla: Option<String>,
    #[serde(default)]
    custom_fields: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Txn {
    #[serde(rename = "id", deserialize_with = "text")]
    id: String,
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    creator: Option<Ref>,
    created: String,
    #[serde(default, deserialize_with = "opt_text")]
    old_value: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    new_value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct User {
    #[serde(rename = "id", deserialize_with = "text")]
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email_address: Option<String>,
    #[serde(default)]
    privileged: Option<Value>,
    /// `None`: the answer has no `Memberships` (then only `/group/N` answers can say).
    #[serde(default)]
    memberships: Option<Vec<Ref>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Group {
    #[serde(rename = "id", deserialize_with = "text")]
    id: String,
    name: String,
    #[serde(default)]
    members: Vec<Ref>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Queue {
    #[serde(rename = "id", deserialize_with = "text")]
    id: String,
    name: String,
}

/// Deserialises one record with a located error.
fn parse<T: serde::de::DeserializeOwned>(
    v: &Value,
    path: &str,
    id: Option<String>,
    what: &str,
) -> Result<T, TicketError> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let inner = e.path().to_string();
        TicketError {
            id,
            code: "invalid-issue",
            path: match (inner.as_str(), path) {
                ("." | "", _) => path.to_string(),
                (_, "") => inner,
                _ => format!("{path}.{inner}"),
            },
            message: format!(
                "{}: this is not the shape of {what} (see docs/trackers.md)",
                e.inner()
            ),
        }
    })
}

/// The record type a REST 2 response names in its `self` link, or in its `type`.
fn record_type(o: &serde_json::Map<String, Value>) -> Option<&str> {
    o.get("_hyperlinks")
        .and_then(Value::as_array)
        .and_then(|links| {
            links
                .iter()
                .find(|l| l.get("ref").and_then(Value::as_str) == Some("self"))
        })
        .and_then(|l| l.get("type"))
        .and_then(Value::as_str)
        .or_else(|| o.get("type").and_then(Value::as_str))
}

/// An RT id as text: REST 2 gives ids as strings or numbers.
pub fn raw_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The words an attachment item adds to its transaction's message: its `Content` when it is a
/// `text/plain` part (where sla-lens's markers and claims are read), else nothing. Both this
/// adapter and `sla-lens escalate --tracker rt` read messages through it.
pub fn message_part(item: &Value) -> Option<&str> {
    let is_text = item
        .get("ContentType")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("text/plain"));
    match (is_text, item.get("Content")) {
        (true, Some(Value::String(c))) => Some(c),
        _ => None,
    }
}

/// Everything the input holds, gathered before any ticket is mapped.
#[derive(Default)]
struct Input<'d> {
    /// Ticket id → (raw ticket, path, whether it is a full `/ticket/N` answer).
    tickets: BTreeMap<String, (&'d Value, String, bool)>,
    order: Vec<String>,
    /// Ticket id (`None`: no `ObjectId`) → its transactions (raw, path).
    history: BTreeMap<Option<String>, Vec<(&'d Value, String)>>,
    /// Transaction id → the text of its `text/plain` parts.
    bodies: BTreeMap<String, String>,
    users: Vec<User>,
    groups: Vec<Group>,
    queues: BTreeMap<String, String>,
}

const EXPECTED: &str = "a `/ticket/N` answer, a `/ticket/N/history` or `/tickets?query=` page, \
    `/transaction/T/attachments`, `/queue/N`, `/user/NAME`, `/group/N`, or an array of these";

impl<'d> Input<'d> {
    fn ticket(&mut self, v: &'d Value, path: String, full: bool) {
        let key = raw_text(v.get("id")).unwrap_or_else(|| format!("<{path}>"));
        match self.tickets.get(&key) {
            Some((_, _, true)) if !full => {}
            Some(_) => {
                self.tickets.insert(key, (v, path, full));
            }
            None => {
                self.order.push(key.clone());
                self.tickets.insert(key, (v, path, full));
            }
        }
    }

    fn visit(&mut self, v: &'d Value, path: String) -> Result<(), TicketError> {
        let Value::Object(o) = v else {
            return Err(unexpected(TrackerKind::Rt, path, EXPECTED));
        };
        if let Some(items) = o.get("items") {
            let Value::Array(items) = items else {
                return Err(unexpected(
                    TrackerKind::Rt,
                    super::join(&path, "items"),
                    EXPECTED,
                ));
            };
            for (i, item) in items.iter().enumerate() {
                let p = format!("{}[{i}]", super::join(&path, "items"));
                match item.get("type").and_then(Value::as_str) {
                    Some("ticket") => self.ticket(item, p, false),
                    Some("transaction") => {
                        // A queue's or a user's transactions are not a ticket's history.
                        let other = item
                            .get("ObjectType")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t != "RT::Ticket");
                        if other {
                            continue;
                        }
                        let object = raw_text(item.get("ObjectId"));
                        self.history.entry(object).or_default().push((item, p));
                    }
                    Some("attachment") => {
                        if let (Some(c), Some(tx)) =
                            (message_part(item), raw_text(item.get("TransactionId")))
                        {
                            let body = self.bodies.entry(tx).or_default();
                            body.push_str(c);
                            body.push('\n');
                        }
                    }
                    _ => return Err(unexpected(TrackerKind::Rt, p, EXPECTED)),
                }
            }
            return Ok(());
        }
        match record_type(o) {
            Some("ticket") => self.ticket(v, path, true),
            Some("queue") => {
                let q: Queue = parse(v, &path, None, "an RT queue")?;
                self.queues.insert(q.id, q.name);
            }
            Some("user") => self.users.push(parse(v, &path, None, "an RT user")?),
            Some("group") => self.groups.push(parse(v, &path, None, "an RT group")?),
            _ => return Err(unexpected(TrackerKind::Rt, path, EXPECTED)),
        }
        Ok(())
    }

    fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| {
            u.name.as_deref() == Some(name)
                || u.id == name
                || u.email_address
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(name))
        })
    }

    /// The groups (names and ids) user `name` is in, from `/group/N` and `/user/NAME` answers.
    fn groups_of(&self, name: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let user = self.user(name);
        let ids: Vec<&str> = std::iter::once(name)
            .chain(user.map(|u| u.id.as_str()))
            .chain(user.and_then(|u| u.name.as_deref()))
            .collect();
        for g in &self.groups {
            if g.members.iter().any(|m| ids.contains(&m.id.as_str())) {
                out.insert(g.id.clone());
                out.insert(g.name.clone());
            }
        }
        for m in user
            .and_then(|u| u.memberships.as_deref())
            .unwrap_or_default()
        {
            out.insert(m.id.clone());
            if let Some(g) = self.groups.iter().find(|g| g.id == m.id) {
                out.insert(g.name.clone());
            }
        }
        out
    }
}

impl Tracker for Rt {
    const KIND: TrackerKind = TrackerKind::Rt;

    fn page(url: &str) -> Option<Page> {
        let u = split_url(url);
        let segs = u.segments();
        let page = |kind, issue: Option<&str>| {
            Some(Page {
                tracker: TrackerKind::Rt,
                kind,
                project: None,
                issue: issue.map(str::to_string),
            })
        };
        match segs.as_slice() {
            ["Ticket" | "SelfService", "Display.html"] => {
                let id = u.param("id").filter(|n| is_number(n))?;
                page(PageKind::Issue, Some(id))
            }
            ["Search", "Results.html"] | ["SelfService"] | ["SelfService", "index.html"] => {
                page(PageKind::IssueList, None)
            }
            _ => None,
        }
    }

    fn tickets(docs: &[Value], site: &SiteConfig) -> Batch {
        let mut input = Input::default();
        super::each_item(docs, |v, path| input.visit(v, path))?;
        for (id, name) in &site.rt_site().queues {
            input
                .queues
                .entry(id.clone())
                .or_insert_with(|| name.clone());
        }
        let only = (input.order.len() == 1).then(|| input.order[0].clone());
        Ok(input
            .order
            .iter()
            .map(|k| {
                let (v, path, full) = &input.tickets[k];
                let (v, full) = (*v, *full);
                let t: Ticket = parse(v, path, raw_text(v.get("id")), "an RT ticket")?;
                let mut txns: Vec<&(&Value, String)> = input
                    .history
                    .get(&Some(t.id.clone()))
                    .into_iter()
                    .flatten()
                    .collect();
                if only.as_deref() == Some(k.as_str()) {
                    txns.extend(input.history.get(&None).into_iter().flatten());
                }
                let history = full && !txns.is_empty();
                let mut parsed = Vec::with_capacity(txns.len());
                for (tv, tp) in txns {
                    parsed.push(parse::<Txn>(
                        tv,
                        tp,
                        Some(t.id.clone()),
                        "an RT transaction",
                    )?);
                }
                map_ticket(&t, path, history.then_some(parsed), &input, site)
            })
            .collect())
    }
}

/// A date RT sends, or `None` for its "not set" date.
fn date(cx: &IssueCtx<'_>, path: &str, s: &Option<String>) -> Result<Option<i64>, TicketError> {
    match s.as_deref().map(str::trim) {
        None | Some("") | Some(UNSET) => Ok(None),
        Some(s) => cx.stamp(path, s).map(|(t, _)| Some(t)),
    }
}

/// RT's name for priority `n`: the name of the highest value not above it.
fn priority_name(names: &BTreeMap<String, i64>, n: i64) -> Option<String> {
    names
        .iter()
        .filter(|(_, v)| **v <= n)
        .max_by_key(|(_, v)| **v)
        .map(|(k, _)| k.clone())
}

fn custom_fields(t: &Ticket) -> Vec<(String, Vec<String>)> {
    t.custom_fields
        .iter()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?.to_string();
            let values = f
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| raw_text(Some(v))).collect())
                .unwrap_or_default();
            Some((name, values))
        })
        .collect()
}

fn map_ticket(
    t: &Ticket,
    path: &str,
    history: Option<Vec<Txn>>,
    input: &Input<'_>,
    site: &SiteConfig,
) -> Result<TicketInput, TicketError> {
    let rt = site.rt_site();
    let cx = IssueCtx {
        id: t.id.clone(),
        path,
    };
    let status_name = |s: &str| {
        site.statuses
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(s))
            .map_or_else(|| s.to_string(), |(_, v)| v.clone())
    };
    let mut out = TicketInput {
        id: t.id.clone(),
        title: t.subject.clone(),
        url: site.origin.as_ref().map(|o| {
            format!(
                "{}/Ticket/Display.html?id={}",
                o.trim_end_matches('/'),
                t.id
            )
        }),
        ..TicketInput::default()
    };
    let created = date(&cx, "Created", &Some(t.created.clone()))?.ok_or_else(|| {
        cx.err(
            "invalid-timestamp",
            "Created",
            "the ticket has no creation date",
        )
    })?;
    out.created = Some(Stamp::Text(format_instant(created)));
    if let Some(q) = &t.queue {
        let name = input.queues.get(&q.id).cloned();
        put(
            &mut out,
            "project",
            name.iter().cloned().chain([q.id.clone()]).collect(),
        );
        put(
            &mut out,
            "queue",
            name.into_iter().chain([q.id.clone()]).collect(),
        );
    }
    let number = t
        .priority
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok());
    let pname = number.and_then(|n| priority_name(&rt.priority_names, n));
    let sla = t.sla.clone().filter(|s| !s.trim().is_empty());
    let priority = rt
        .priority
        .iter()
        .find_map(|s| match s {
            RtPrioritySource::Sla => sla.clone(),
            RtPrioritySource::PriorityName => pname.clone(),
            RtPrioritySource::Priority => number.map(|n| n.to_string()),
        })
        .into_iter()
        .collect();
    put(&mut out, "priority", priority);
    put(&mut out, "sla", sla.into_iter().collect());
    put(&mut out, "priorityName", pname.into_iter().collect());
    let cfs = custom_fields(t);
    let requestors: Vec<&str> = t.requestor.iter().map(|r| r.id.as_str()).collect();
    let mut group = cfs
        .iter()
        .find(|(n, v)| {
            (n.eq_ignore_ascii_case("Requester group") || n.eq_ignore_ascii_case("Department"))
                && !v.is_empty()
        })
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if group.is_empty() {
        for r in &requestors {
            let mut keys = vec![*r];
            if let Some(u) = input.user(r) {
                keys.extend(u.name.as_deref());
                keys.extend(u.email_address.as_deref());
            }
            group.extend(site.group_of(&keys));
        }
    }
    if group.is_empty() {
        for r in &requestors {
            group.extend(
                input
                    .groups_of(r)
                    .into_iter()
                    .filter(|g| input.groups.iter().any(|x| &x.name == g)),
            );
        }
    }
    put(&mut out, "requesterGroup", group);
    for (name, values) in cfs {
        if !out.fields.contains_key(name.as_str()) {
            put(&mut out, &name, values);
        }
    }
    out.requester = requestors
        .first()
        .map(|s| s.to_string())
        .or_else(|| t.creator.as_ref().map(|c| c.id.clone()));
    let owner = t.owner.as_ref().map(|o| o.id.as_str());
    out.assignee = owner.filter(|o| *o != "Nobody").map(str::to_string);
    let status = status_name(&t.status);
    out.fields.insert(
        "status".into(),
        crate::ticket::FieldValue::One(status.as_str().into()),
    );
    out.status = Some(status);

    let is_staff = |who: &str| -> Result<bool, TicketError> {
        if who == "RT_System" || who == "Nobody" {
            return Ok(false);
        }
        let keys = || {
            let mut k = vec![who];
            if let Some(u) = input.user(who) {
                k.push(u.id.as_str());
                k.extend(u.name.as_deref());
                k.extend(u.email_address.as_deref());
            }
            k
        };
        Ok(match (&rt.staff, &site.staff) {
            (_, StaffRule::Users(list)) | (RtStaff::Users(list), _) => {
                SiteConfig::listed_staff(list, &keys())
            }
            (_, StaffRule::Groups(list)) | (RtStaff::Groups(list), _) => {
                // Known from each listed group's `/group/N` answer (its members), or from the
                // person's `/user/NAME` memberships for a group listed by id; without them,
                // "not staff" would be a guess (a reply would not count).
                let listed = |g: &String| {
                    input
                        .groups
                        .iter()
                        .any(|x| x.id.eq_ignore_ascii_case(g) || x.name.eq_ignore_ascii_case(g))
                };
                // A user's memberships name groups by id only.
                let by_id = |g: &String| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
                let memberships = input.user(who).is_some_and(|u| u.memberships.is_some());
                if !list.iter().all(|g| listed(g) || (memberships && by_id(g))) {
                    return Err(cx.err(
                        "unknown-group",
                        "",
                        format!(
                            "the site's staff rule lists groups, but the input lacks a listed \
                             group's `/REST/2.0/group/N` answer (or, for a group listed by id, \
                             `/REST/2.0/user/{who}` with its memberships): add them to the input"
                        ),
                    ));
                }
                let mine = input.groups_of(who);
                list.iter()
                    .any(|g| mine.iter().any(|m| m.eq_ignore_ascii_case(g)))
            }
            (RtStaff::Privileged, _) => {
                let u = input.user(who).ok_or_else(|| {
                    cx.err(
                        "unknown-user",
                        "",
                        format!(
                            "the site's staff rule is `privileged` but the input has no \
                             `/REST/2.0/user/{who}` answer: add it to the input"
                        ),
                    )
                })?;
                matches!(&u.privileged, Some(Value::Number(n)) if n.as_i64() == Some(1))
                    || matches!(&u.privileged, Some(Value::String(s)) if s == "1")
                    || matches!(&u.privileged, Some(Value::Bool(true)))
            }
            // RT's inside/outside rule: outside is a requestor who is not the owner.
            (RtStaff::NotRequestor, _) => {
                let k = keys();
                !requestors.iter().any(|r| k.contains(r)) || owner.is_some_and(|o| k.contains(&o))
            }
        })
    };

    let Some(mut txns) = history else {
        let updated = date(&cx, "LastUpdated", &t.last_updated)?;
        snapshot_unknown(&mut out, created, updated, false, false);
        if let Some(at) = date(&cx, "Resolved", &t.resolved)? {
            out.status_history.push(StatusChangeInput {
                at: Stamp::Text(format_instant(at.max(created))),
                from: None,
                to: out.status.clone().unwrap_or_default(),
            });
        }
        return Ok(out);
    };
    let mut times = Vec::with_capacity(txns.len());
    for (k, x) in txns.iter().enumerate() {
        times.push((cx.stamp(&format!("history[{k}].Created"), &x.created)?.0, k));
    }
    let order: Vec<usize> = {
        let mut o = times.clone();
        o.sort_by_key(|(at, k)| (*at, txns[*k].id.parse::<u64>().unwrap_or(0), *k));
        o.into_iter().map(|(_, k)| k).collect()
    };
    let mut first_response = None;
    let requester = out.requester.clone();
    for k in order {
        let x = &mut txns[k];
        let at = times[k].0;
        let stamp = Stamp::Text(format_instant(at));
        let who = x.creator.as_ref().map(|c| c.id.clone());
        match x.kind.as_str() {
            "Status" => {
                if let Some(to) = x.new_value.take().filter(|s| !s.is_empty()) {
                    out.status_history.push(StatusChangeInput {
                        at: stamp,
                        from: x.old_value.as_deref().map(status_name),
                        to: status_name(&to),
                    });
                }
            }
            "Correspond" | "Comment" => {
                let body = input.bodies.get(&x.id).map(String::as_str);
                if let (Some(text), Some(w)) = (body, who.as_deref()) {
                    let by_requester = requester.as_deref() == Some(w);
                    if site.is_agent(Some(&[w]), by_requester) {
                        let url = out.url.as_ref().map(|u| format!("{u}#txn-{}", x.id));
                        super::collect_escalations(&mut out, text, at, x.id.clone(), None, url);
                    }
                }
                let internal = x.kind == "Comment";
                if internal && !site.private_comments_respond {
                    continue;
                }
                let staff = match &who {
                    Some(w) => is_staff(w)?,
                    None => false,
                } && !body.is_some_and(crate::ticket::marker::is_record);
                if staff && first_response.is_none() && at >= created {
                    first_response = Some(stamp.clone());
                }
                out.comments.push(CommentInput {
                    at: stamp,
                    author: who,
                    staff,
                });
            }
            _ => {}
        }
    }
    out.first_response_at = first_response;
    Ok(out)
}
