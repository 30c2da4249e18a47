//! Redmine: `/issues.json` pages, `/issues/N.json?include=journals` responses and
//! `/issue_statuses.json`, mapped to tickets.
//!
//! - created: `created_on`.
//! - status history: journal details with `property: "attr"`, `name: "status_id"`; their
//!   `old_value`/`new_value` are status ids, named through `/issue_statuses.json` (in the input),
//!   the site's `statuses`, or any issue in the input whose current status has that id.
//! - first response: the first journal with non-empty, non-private notes by staff (by default
//!   anyone but the author; or listed users; or members of listed groups, known from
//!   `/groups/N.json?include=users` responses in the input).
//! - `/issues.json` ignores `include=journals`: an issue known only from a list page has no
//!   history and no replies, so unless nothing was saved since its creation they are unknown
//!   (`unknown`), and `closed_on` is its one status change; a `/issues/N.json?include=journals`
//!   response for the same issue, in the same input, takes its place.

use super::{
    is_number, join, parse_item, put, raw_id, split_url, unexpected, Batch, IssueCtx, Page,
    PageKind, SiteConfig, Source, StaffRule, Tracker, TrackerKind,
};
use crate::ticket::{CommentInput, FieldValue, StatusChangeInput, TicketError, TicketInput};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub struct Redmine;

/// `{"id": 1, "name": "..."}`, Redmine's reference to another record.
#[derive(Debug, Clone, Deserialize)]
pub struct Ref {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IssueStatus {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub is_closed: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CustomField {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub multiple: Option<bool>,
    /// A string, an array of strings (multiple values), or null.
    #[serde(default)]
    pub value: Value,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JournalDetail {
    pub property: String,
    pub name: String,
    #[serde(default)]
    pub old_value: Option<String>,
    #[serde(default)]
    pub new_value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Journal {
    pub id: i64,
    #[serde(default)]
    pub user: Option<Ref>,
    #[serde(default)]
    pub notes: Option<String>,
    pub created_on: String,
    #[serde(default)]
    pub private_notes: Option<bool>,
    #[serde(default)]
    pub details: Vec<JournalDetail>,
}

/// A project as `/projects.json` and `/projects/N.json` return it: its `identifier`, which the
/// issue JSON does not carry.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectRecord {
    pub id: i64,
    #[serde(default)]
    pub identifier: Option<String>,
}

/// A group as `/groups/N.json?include=users` returns it (admin only).
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub users: Vec<Ref>,
}

/// Group memberships known from the input.
#[derive(Debug, Default)]
struct Groups(Vec<Group>);

impl Groups {
    /// The names of the groups user `u` is in.
    fn of(&self, u: &Ref) -> Vec<String> {
        self.0
            .iter()
            .filter(|g| g.users.iter().any(|m| m.id == u.id))
            .map(|g| g.name.clone())
            .collect()
    }

    /// Whether user `u` is in one of `wanted` (group names or ids).
    fn member_of_any(&self, u: &Ref, wanted: &[String]) -> bool {
        self.0.iter().any(|g| {
            wanted
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&g.name) || *w == g.id.to_string())
                && g.users.iter().any(|m| m.id == u.id)
        })
    }
}

/// An issue as `/issues.json` and `/issues/N.json` return it (the fields sla-lens reads).
#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    pub id: i64,
    pub project: Ref,
    #[serde(default)]
    pub tracker: Option<Ref>,
    pub status: Ref,
    #[serde(default)]
    pub priority: Option<Ref>,
    #[serde(default)]
    pub author: Option<Ref>,
    #[serde(default)]
    pub assigned_to: Option<Ref>,
    #[serde(default)]
    pub category: Option<Ref>,
    #[serde(default)]
    pub subject: Option<String>,
    pub created_on: String,
    #[serde(default)]
    pub updated_on: Option<String>,
    #[serde(default)]
    pub closed_on: Option<String>,
    #[serde(default)]
    pub custom_fields: Vec<CustomField>,
    /// Present only in `/issues/N.json?include=journals`.
    #[serde(default)]
    pub journals: Option<Vec<Journal>>,
}

impl Tracker for Redmine {
    const KIND: TrackerKind = TrackerKind::Redmine;

    /// `/issues`, `/issues/N`, `/projects/P/issues`, `/projects/P/agile/board` (RedmineUP
    /// Agile plugin). Jira's `/issues/?jql=` navigator is not Redmine's.
    fn page(url: &str) -> Option<Page> {
        let u = split_url(url);
        let segs = u.segments();
        let page = |kind, project: Option<&str>, issue: Option<&str>| {
            Some(Page {
                tracker: TrackerKind::Redmine,
                kind,
                project: project.map(str::to_string),
                issue: issue.map(str::to_string),
            })
        };
        if u.param("jql").is_some() || u.param("filter").is_some() {
            return None;
        }
        match segs.as_slice() {
            ["issues"] if !u.trailing_slash => page(PageKind::IssueList, None, None),
            ["issues", n] if is_number(n) => page(PageKind::Issue, None, Some(n)),
            ["projects", p, "issues"] if is_identifier(p) => {
                page(PageKind::IssueList, Some(p), None)
            }
            ["projects", p, "agile", "board"] if is_identifier(p) => {
                page(PageKind::Board, Some(p), None)
            }
            _ => None,
        }
    }

    fn tickets<'d>(docs: &'d [Value], site: &SiteConfig) -> Batch {
        // Gather every issue (list pages and single responses) and every status name.
        let mut names: BTreeMap<String, String> = site.statuses.clone();
        let mut groups = Groups::default();
        // Project id → identifier, from `/projects.json` and `/projects/N.json` in the input.
        let mut identifiers: BTreeMap<i64, String> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut issues: BTreeMap<String, (&Value, String, bool)> = BTreeMap::new();
        let mut add = |v: &'d Value, path: String, detailed: bool| {
            let key = raw_id(v, &["id"]).unwrap_or_else(|| format!("<{path}>"));
            match issues.get(&key) {
                Some((_, _, true)) if !detailed => {}
                Some(_) => {
                    issues.insert(key, (v, path, detailed));
                }
                None => {
                    order.push(key.clone());
                    issues.insert(key, (v, path, detailed));
                }
            }
        };
        const EXPECTED: &str = "a `/issues.json` page (`{\"issues\": [...]}`), an \
            `/issues/N.json` response (`{\"issue\": {...}}`), `/issue_statuses.json`, \
            `/groups/N.json?include=users`, `/projects.json`, `/projects/N.json`, or an array \
            of these";
        let mut visit = |v: &'d Value, path: String| -> Result<(), TicketError> {
            let Value::Object(o) = v else {
                return Err(unexpected(TrackerKind::Redmine, path, EXPECTED));
            };
            let mut known = false;
            if let Some(issue) = o.get("issue") {
                known = true;
                add(issue, join(&path, "issue"), issue.get("journals").is_some());
            }
            if let Some(list) = o.get("issues") {
                known = true;
                let Value::Array(list) = list else {
                    return Err(unexpected(
                        TrackerKind::Redmine,
                        join(&path, "issues"),
                        EXPECTED,
                    ));
                };
                for (i, issue) in list.iter().enumerate() {
                    add(issue, format!("{}[{i}]", join(&path, "issues")), false);
                }
            }
            if let Some(list) = o.get("issue_statuses") {
                known = true;
                let statuses: Vec<IssueStatus> = parse_item(
                    list,
                    &join(&path, "issue_statuses"),
                    None,
                    "`/issue_statuses.json`",
                )?;
                for s in statuses {
                    names.insert(s.id.to_string(), s.name);
                }
            }
            let mut project = |v: &Value, path: String| -> Result<(), TicketError> {
                let p: ProjectRecord = parse_item(v, &path, None, "a Redmine project")?;
                if let Some(id) = p.identifier.filter(|s| !s.trim().is_empty()) {
                    identifiers.insert(p.id, id);
                }
                Ok(())
            };
            if let Some(list) = o.get("projects") {
                known = true;
                let Value::Array(list) = list else {
                    return Err(unexpected(
                        TrackerKind::Redmine,
                        join(&path, "projects"),
                        EXPECTED,
                    ));
                };
                for (i, p) in list.iter().enumerate() {
                    project(p, format!("{}[{i}]", join(&path, "projects")))?;
                }
            }
            if let Some(p) = o.get("project") {
                known = true;
                project(p, join(&path, "project"))?;
            }
            if let Some(g) = o.get("group") {
                known = true;
                groups.0.push(parse_item(
                    g,
                    &join(&path, "group"),
                    None,
                    "`/groups/N.json`",
                )?);
            }
            if o.contains_key("issue_priorities")
                || o.contains_key("trackers")
                || o.contains_key("groups")
            {
                known = true; // Reference data, read for the record; not needed for mapping.
            }
            if known {
                Ok(())
            } else {
                Err(unexpected(TrackerKind::Redmine, path, EXPECTED))
            }
        };
        super::each_item(docs, &mut visit)?;
        let parsed: Vec<Result<Issue, TicketError>> = order
            .iter()
            .map(|k| {
                let (v, path, _) = &issues[k];
                parse_item::<Issue>(v, path, raw_id(v, &["id"]), "a Redmine issue")
            })
            .collect();
        // Every issue's current status names its id too.
        for i in parsed.iter().flatten() {
            if let Some(n) = &i.status.name {
                names
                    .entry(i.status.id.to_string())
                    .or_insert_with(|| n.clone());
            }
        }
        Ok(order
            .iter()
            .zip(parsed)
            .map(|(k, r)| {
                r.and_then(|i| map_issue(&i, &issues[k].1, &names, &groups, &identifiers, site))
            })
            .collect())
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn custom_value(f: &CustomField) -> Vec<String> {
    match &f.value {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => vec![],
    }
}

fn source_values(i: &Issue, src: &Source) -> Vec<String> {
    let name = |r: &Option<Ref>| {
        r.as_ref()
            .and_then(|r| r.name.clone())
            .into_iter()
            .collect()
    };
    match src {
        Source::Priority => name(&i.priority),
        Source::Tracker => name(&i.tracker),
        Source::Category => name(&i.category),
        Source::Project => i.project.name.clone().into_iter().collect(),
        Source::CustomField(key) => i
            .custom_fields
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(key) || f.id.to_string() == *key)
            .flat_map(custom_value)
            .collect(),
        _ => vec![],
    }
}

fn first_source(i: &Issue, sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .map(|s| source_values(i, s))
        .find(|v| v.iter().any(|s| !s.trim().is_empty()))
        .unwrap_or_default()
}

fn user_keys(r: &Ref) -> Vec<String> {
    let mut k = vec![r.id.to_string()];
    k.extend(r.name.clone());
    k
}

fn map_issue(
    i: &Issue,
    path: &str,
    names: &BTreeMap<String, String>,
    groups: &Groups,
    identifiers: &BTreeMap<i64, String>,
    site: &SiteConfig,
) -> Result<TicketInput, TicketError> {
    let cx = IssueCtx {
        id: i.id.to_string(),
        path,
    };
    let mut t = TicketInput {
        id: i.id.to_string(),
        title: i.subject.clone(),
        url: site
            .origin
            .as_ref()
            .map(|o| format!("{}/issues/{}", o.trim_end_matches('/'), i.id)),
        ..TicketInput::default()
    };
    let (created, stamp) = cx.stamp("created_on", &i.created_on)?;
    t.created = Some(stamp);
    // The project by every name it has: its name (which a rename changes), its id and, when the
    // input has `/projects.json`, its identifier (neither of which changes).
    put(
        &mut t,
        "project",
        i.project
            .name
            .clone()
            .into_iter()
            .chain([i.project.id.to_string()])
            .chain(identifiers.get(&i.project.id).cloned())
            .collect(),
    );
    put(&mut t, "tracker", source_values(i, &Source::Tracker));
    put(&mut t, "priority", first_source(i, &site.fields.priority));
    put(&mut t, "category", first_source(i, &site.fields.category));
    let author = i.author.as_ref();
    let mut group = first_source(i, &site.fields.requester_group);
    if group.is_empty() {
        if let Some(a) = author {
            let keys = user_keys(a);
            group = site.group_of(&keys.iter().map(String::as_str).collect::<Vec<_>>());
            if group.is_empty() {
                // The author's Redmine groups, when the input holds `/groups/N.json` responses.
                group = groups.of(a);
            }
        }
    }
    put(&mut t, "requesterGroup", group);
    // Custom fields are facts too, under their names (the standard facts above win).
    for f in &i.custom_fields {
        if !t.fields.contains_key(f.name.as_str()) {
            put(&mut t, &f.name, custom_value(f));
        }
    }
    t.requester = author.and_then(|a| a.name.clone());
    t.assignee = i.assigned_to.as_ref().and_then(|a| a.name.clone());
    t.status = i.status.name.clone();
    if let Some(s) = &t.status {
        t.fields
            .insert("status".into(), FieldValue::One(s.as_str().into()));
    }

    let mut journals: Vec<(usize, &Journal)> = i.journals.iter().flatten().enumerate().collect();
    let mut times = BTreeMap::new();
    for (k, j) in &journals {
        let (at, _) = cx.stamp(&format!("journals[{k}].created_on"), &j.created_on)?;
        times.insert(*k, at);
    }
    crate::util::order::sort_by_key(&mut journals, |(k, j)| (times[k], j.id));
    let status_name = |id: &Option<String>, path: String| -> Result<Option<String>, TicketError> {
        let Some(id) = id.as_deref().filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        names.get(id).cloned().map(Some).ok_or_else(|| {
            cx.err(
                "unknown-status",
                &path,
                format!(
                    "status id {id} has no name in the input: add Redmine's \
                     `/issue_statuses.json` response to the input, or `statuses` to the site file"
                ),
            )
        })
    };
    let mut first_response = None;
    for (k, j) in &journals {
        let at = times[k];
        let stamp = crate::ticket::Stamp::Text(crate::time::format_instant(at));
        for (d, detail) in j.details.iter().enumerate() {
            if detail.property == "attr" && detail.name == "status_id" {
                let p = format!("journals[{k}].details[{d}]");
                let from = status_name(&detail.old_value, format!("{p}.old_value"))?;
                let Some(to) = status_name(&detail.new_value, format!("{p}.new_value"))? else {
                    continue;
                };
                t.status_history.push(StatusChangeInput {
                    at: stamp.clone(),
                    from,
                    to,
                });
            }
        }
        let has_notes = j.notes.as_deref().is_some_and(|n| !n.trim().is_empty());
        // The escalations this note records (also a private note's): Redmine numbers notes by
        // their journal's position on the issue (`#note-3`).
        if let (Some(text), true) = (j.notes.as_deref(), has_notes) {
            let keys = j.user.as_ref().map(user_keys);
            let keys: Option<Vec<&str>> = keys
                .as_ref()
                .map(|k| k.iter().map(String::as_str).collect());
            let by_author = matches!((author, &j.user), (Some(a), Some(u)) if a.id == u.id);
            if site.is_agent(keys.as_deref(), by_author) {
                let number = u32::try_from(k + 1).ok();
                let url = t.url.as_ref().map(|u| format!("{u}#note-{}", k + 1));
                super::collect_escalations(&mut t, text, at, j.id.to_string(), number, url);
            }
        }
        let private = j.private_notes.unwrap_or(false);
        if !has_notes || (private && !site.private_comments_respond) {
            continue;
        }
        let staff = match (&site.staff, &j.user) {
            (_, None) => false,
            (StaffRule::Users(list), Some(u)) => {
                let keys = user_keys(u);
                SiteConfig::listed_staff(list, &keys.iter().map(String::as_str).collect::<Vec<_>>())
            }
            (StaffRule::Groups(list), Some(u)) => groups.member_of_any(u, list),
            // Redmine has no author association: any other rule means "not the author".
            (_, Some(u)) => author.is_none_or(|a| a.id != u.id),
        } && !j
            .notes
            .as_deref()
            .is_some_and(crate::ticket::marker::is_record);
        if staff && first_response.is_none() && at >= created {
            first_response = Some(stamp.clone());
        }
        t.comments.push(CommentInput {
            at: stamp,
            author: j.user.as_ref().and_then(|u| u.name.clone()),
            staff,
        });
    }
    t.first_response_at = first_response;
    if i.journals.is_none() {
        list_issue(i, &cx, created, &mut t)?;
    }
    Ok(t)
}

/// An issue known only from a list page (`/issues.json` has no journals): what it tells and
/// what it cannot (DESIGN.md, "Snapshots: what is unknown when").
///
/// - `updated_on` equal to `created_on`: nothing was saved since creation (every note and
///   status change saves the issue), so there are no replies and no status changes to miss.
/// - otherwise the replies and the status history are unknown; `closed_on`, the last time the
///   issue was closed, is the one status change the list shows.
fn list_issue(
    i: &Issue,
    cx: &IssueCtx<'_>,
    created: crate::time::Instant,
    t: &mut TicketInput,
) -> Result<(), TicketError> {
    let updated = match &i.updated_on {
        Some(u) => Some(cx.stamp("updated_on", u)?.0),
        None => None,
    };
    super::snapshot_unknown(t, created, updated, false, false);
    if let (Some(c), Some(status)) = (&i.closed_on, &t.status) {
        let at = cx.stamp("closed_on", c)?.0.max(created);
        t.status_history.push(StatusChangeInput {
            at: crate::ticket::Stamp::Text(crate::time::format_instant(at)),
            from: None,
            to: status.clone(),
        });
    }
    Ok(())
}
