//! Jira (Cloud REST v2/v3, and Server/Data Center v2): issues from "Get issue" or "Search for
//! issues using JQL" with `expand=changelog`.
//!
//! - created: `fields.created` (`2026-11-27T10:00:00.000+0000`).
//! - status history: `changelog.histories[].items[]` with `field == "status"` (`fromString`,
//!   `toString`); without a changelog, the current `fields.status` from creation on.
//! - priority: `fields.priority.name`; category: component names, else the issue type.
//! - first response: the first comment (`fields.comment.comments`) by staff (by default anyone
//!   but the reporter), not restricted (`visibility`) nor internal (`jsdPublic: false`).

use super::{
    parse_item, put, raw_id, split_url, unexpected, Batch, Collector, IssueCtx, Page, PageKind,
    SiteConfig, Source, StaffRule, Tracker, TrackerKind,
};
use crate::ticket::{CommentInput, FieldValue, Stamp, StatusChangeInput, TicketError, TicketInput};
use crate::time::format_instant;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub struct Jira;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Cloud.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Server/Data Center.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
}

impl User {
    fn keys(&self) -> Vec<&str> {
        [&self.account_id, &self.name, &self.key, &self.display_name]
            .into_iter()
            .filter_map(|s| s.as_deref())
            .collect()
    }

    fn same(&self, other: &User) -> bool {
        match (&self.account_id, &other.account_id) {
            (Some(a), Some(b)) => a == b,
            _ => match (&self.key, &other.key) {
                (Some(a), Some(b)) => a == b,
                _ => self.name.is_some() && self.name == other.name,
            },
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Named {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub key: String,
    #[serde(default)]
    pub name: Option<String>,
    /// The project's id (a string in Jira's JSON; a number read too), which a key change or
    /// rename keeps.
    #[serde(default)]
    pub id: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: String,
    #[serde(default)]
    pub author: Option<User>,
    pub created: String,
    /// Jira Service Management: false for internal comments.
    #[serde(default)]
    pub jsd_public: Option<bool>,
    /// A role- or group-restricted comment.
    #[serde(default)]
    pub visibility: Option<Value>,
    /// The text: a string (REST API v2) or an Atlassian Document (v3).
    #[serde(default)]
    pub body: Option<Value>,
}

/// `fields.comment`: a page of comments (what Jira sends), or a bare array (as the "Get issue"
/// example in Atlassian's reference shows it).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CommentPage {
    Page {
        #[serde(default)]
        comments: Vec<Comment>,
    },
    List(Vec<Comment>),
}

impl CommentPage {
    fn comments(&self) -> &[Comment] {
        match self {
            CommentPage::Page { comments } | CommentPage::List(comments) => comments,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Fields {
    #[serde(default)]
    pub summary: Option<String>,
    pub created: String,
    #[serde(default)]
    pub status: Option<Named>,
    #[serde(default)]
    pub priority: Option<Named>,
    #[serde(default)]
    pub issuetype: Option<Named>,
    #[serde(default)]
    pub components: Vec<Named>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub project: Option<Project>,
    #[serde(default)]
    pub reporter: Option<User>,
    #[serde(default)]
    pub creator: Option<User>,
    #[serde(default)]
    pub assignee: Option<User>,
    #[serde(default)]
    pub comment: Option<CommentPage>,
    /// Custom fields (`customfield_10010`, ...) and everything else.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeItem {
    pub field: String,
    #[serde(default)]
    pub field_id: Option<String>,
    #[serde(default)]
    pub from_string: Option<String>,
    #[serde(default)]
    pub to_string: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct History {
    pub id: String,
    #[serde(default)]
    pub author: Option<User>,
    pub created: String,
    #[serde(default)]
    pub items: Vec<ChangeItem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Changelog {
    #[serde(default)]
    pub histories: Vec<History>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    pub id: String,
    pub key: String,
    #[serde(rename = "self", default)]
    pub self_url: Option<String>,
    pub fields: Fields,
    #[serde(default)]
    pub changelog: Option<Changelog>,
    /// With `expand=names`: field id → display name.
    #[serde(default)]
    pub names: Option<BTreeMap<String, String>>,
}

fn is_project_key(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_uppercase())
        && s.len() <= 255
        && b.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

fn is_issue_key(s: &str) -> bool {
    match s.rsplit_once('-') {
        Some((p, n)) => is_project_key(p) && super::is_number(n),
        None => false,
    }
}

impl Tracker for Jira {
    const KIND: TrackerKind = TrackerKind::Jira;

    /// `/browse/KEY-123`, `/jira/software/[c/]projects/KEY/issues[/KEY-123]`,
    /// `/jira/software/[c/]projects/KEY/boards/N`, `/jira/servicedesk/projects/KEY/queues/...`,
    /// `/issues/?jql=...` and `/secure/RapidBoard.jspa?rapidView=N`.
    fn page(url: &str) -> Option<Page> {
        let u = split_url(url);
        let segs = u.segments();
        let page = |kind, project: Option<&str>, issue: Option<&str>| {
            Some(Page {
                tracker: TrackerKind::Jira,
                kind,
                project: project.map(str::to_string),
                issue: issue.map(str::to_string),
            })
        };
        let rest = match segs.as_slice() {
            ["browse", k] if is_issue_key(k) => {
                return page(PageKind::Issue, k.rsplit_once('-').map(|(p, _)| p), Some(k))
            }
            ["issues"] if u.param("jql").is_some() || u.param("filter").is_some() => {
                return page(PageKind::IssueList, None, None)
            }
            ["secure", "RapidBoard.jspa"] if u.param("rapidView").is_some() => {
                return page(PageKind::Board, u.param("projectKey"), None)
            }
            ["jira", "software", "c", "projects", rest @ ..]
            | ["jira", "software", "projects", rest @ ..]
            | ["jira", "servicedesk", "projects", rest @ ..]
            | ["jira", "core", "projects", rest @ ..] => rest,
            _ => return None,
        };
        match rest {
            [p, "issues"] if is_project_key(p) => page(PageKind::IssueList, Some(p), None),
            [p, "issues", k] if is_project_key(p) && is_issue_key(k) => {
                page(PageKind::Issue, Some(p), Some(k))
            }
            [p, "boards", n] if is_project_key(p) && super::is_number(n) => {
                page(PageKind::Board, Some(p), None)
            }
            [p, "queues", ..] if is_project_key(p) => page(PageKind::IssueList, Some(p), None),
            _ => None,
        }
    }

    fn tickets(docs: &[Value], site: &SiteConfig) -> Batch {
        const EXPECTED: &str = "an issue (`{\"key\": ..., \"fields\": {...}}`), a search \
            result (`{\"issues\": [...]}`), or an array of issues";
        let mut out = Collector::default();
        let mut one = |v: &Value, path: String| {
            let id = raw_id(v, &["key", "id"]);
            let detailed = v.get("changelog").is_some();
            let r = parse_item::<Issue>(v, &path, id.clone(), "a Jira issue")
                .and_then(|i| map_issue(&i, &path, site));
            out.push(id, detailed, r);
        };
        let mut visit = |v: &Value, path: String| -> Result<(), TicketError> {
            match v {
                Value::Object(o) if o.contains_key("fields") || o.contains_key("key") => {
                    one(v, path);
                    Ok(())
                }
                Value::Object(o) => match o.get("issues") {
                    Some(Value::Array(list)) => {
                        for (j, item) in list.iter().enumerate() {
                            one(
                                item,
                                format!("{}.issues[{j}]", path)
                                    .trim_start_matches('.')
                                    .to_string(),
                            );
                        }
                        Ok(())
                    }
                    _ => Err(unexpected(TrackerKind::Jira, path, EXPECTED)),
                },
                _ => Err(unexpected(TrackerKind::Jira, path, EXPECTED)),
            }
        };
        super::each_item(docs, &mut visit)?;
        Ok(out.finish())
    }
}

/// The text values of a custom field: strings, numbers, `{value}`/`{name}`/`{displayName}`
/// objects, or arrays of them.
fn field_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(field_strings).collect(),
        Value::Object(o) => ["value", "name", "displayName"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_string))
            .into_iter()
            .collect(),
        _ => vec![],
    }
}

fn map_issue(i: &Issue, path: &str, site: &SiteConfig) -> Result<TicketInput, TicketError> {
    let cx = IssueCtx {
        id: i.key.clone(),
        path,
    };
    let f = &i.fields;
    let url = match (&site.origin, &i.self_url) {
        (Some(o), _) => Some(format!("{}/browse/{}", o.trim_end_matches('/'), i.key)),
        (None, Some(s)) => s
            .split_once("/rest/api/")
            .map(|(o, _)| format!("{o}/browse/{}", i.key)),
        _ => None,
    };
    let mut t = TicketInput {
        id: i.key.clone(),
        title: f.summary.clone(),
        url,
        labels: f.labels.clone(),
        ..TicketInput::default()
    };
    let (created, stamp) = cx.stamp("fields.created", &f.created)?;
    t.created = Some(stamp);
    let values = |src: &Source| -> Vec<String> {
        match src {
            Source::Priority => f.priority.iter().map(|p| p.name.clone()).collect(),
            Source::IssueType => f.issuetype.iter().map(|p| p.name.clone()).collect(),
            Source::Components => f.components.iter().map(|c| c.name.clone()).collect(),
            Source::Project => f
                .project
                .iter()
                .flat_map(|p| std::iter::once(p.key.clone()).chain(p.name.clone()))
                .collect(),
            Source::LabelPrefix(p) => super::label_values(&f.labels, p),
            Source::CustomField(key) => {
                let id = if f.other.contains_key(key) {
                    Some(key.clone())
                } else {
                    i.names.as_ref().and_then(|n| {
                        n.iter()
                            .find(|(_, name)| name.eq_ignore_ascii_case(key))
                            .map(|(id, _)| id.clone())
                    })
                };
                id.and_then(|id| f.other.get(&id))
                    .map(field_strings)
                    .unwrap_or_default()
            }
            _ => vec![],
        }
    };
    let first = |sources: &[Source]| {
        sources
            .iter()
            .map(values)
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    put(
        &mut t,
        "project",
        values(&Source::Project)
            .into_iter()
            .chain(f.project.iter().flat_map(|p| match &p.id {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }))
            .collect(),
    );
    put(&mut t, "tracker", values(&Source::IssueType));
    put(&mut t, "priority", first(&site.fields.priority));
    put(&mut t, "category", first(&site.fields.category));
    let requester = f.reporter.as_ref().or(f.creator.as_ref());
    let mut group = first(&site.fields.requester_group);
    if group.is_empty() {
        if let Some(r) = requester {
            group = site.group_of(&r.keys());
        }
    }
    put(&mut t, "requesterGroup", group);
    t.requester = requester.and_then(|r| r.display_name.clone().or(r.name.clone()));
    t.assignee = f
        .assignee
        .as_ref()
        .and_then(|a| a.display_name.clone().or(a.name.clone()));
    t.status = f.status.as_ref().map(|s| s.name.clone());
    if let Some(s) = &t.status {
        t.fields
            .insert("status".into(), FieldValue::One(s.as_str().into()));
    }

    let mut changes = Vec::new();
    for (k, h) in i
        .changelog
        .iter()
        .flat_map(|c| c.histories.iter())
        .enumerate()
    {
        let (at, _) = cx.stamp(&format!("changelog.histories[{k}].created"), &h.created)?;
        for item in &h.items {
            let is_status = item.field_id.as_deref() == Some("status")
                || (item.field_id.is_none() && item.field.eq_ignore_ascii_case("status"));
            if !is_status {
                continue;
            }
            if let Some(to) = &item.to_string {
                changes.push((
                    at,
                    h.id.parse::<i64>().unwrap_or(0),
                    item.from_string.clone(),
                    to.clone(),
                ));
            }
        }
    }
    // Histories come newest first from some endpoints: order by time, then id.
    crate::util::order::sort_by_key(&mut changes, |(at, id, _, _)| (*at, *id));
    t.status_history = changes
        .into_iter()
        .map(|(at, _, from, to)| StatusChangeInput {
            at: Stamp::Text(format_instant(at)),
            from,
            to,
        })
        .collect();
    // Without `expand=changelog` the history is unknown but for the resolution Jira records
    // (`resolutiondate`); without `fields.comment` the replies are unknown.
    let other_instant = |key: &str| -> Result<Option<i64>, TicketError> {
        match f.other.get(key).and_then(Value::as_str) {
            Some(s) => Ok(Some(cx.stamp(&format!("fields.{key}"), s)?.0)),
            None => Ok(None),
        }
    };
    if i.changelog.is_none() {
        if let (Some(at), Some(status)) = (other_instant("resolutiondate")?, &t.status) {
            t.status_history.push(StatusChangeInput {
                at: Stamp::Text(format_instant(at.max(created))),
                from: None,
                to: status.clone(),
            });
        }
    }
    super::snapshot_unknown(
        &mut t,
        created,
        other_instant("updated")?,
        f.comment.is_some(),
        i.changelog.is_some(),
    );

    let mut comments = Vec::new();
    for (k, c) in f
        .comment
        .iter()
        .flat_map(|p| p.comments().iter())
        .enumerate()
    {
        let (at, _) = cx.stamp(&format!("fields.comment.comments[{k}].created"), &c.created)?;
        comments.push((at, c));
    }
    crate::util::order::sort_by_key(&mut comments, |(at, c)| {
        (*at, c.id.parse::<i64>().unwrap_or(0))
    });
    for (at, c) in comments {
        if let (Some(body), Some(a)) = (&c.body, &c.author) {
            if site.is_agent(Some(&a.keys()), requester.is_some_and(|r| r.same(a))) {
                let url = t
                    .url
                    .as_ref()
                    .map(|u| format!("{u}?focusedCommentId={}", c.id));
                super::collect_escalations(&mut t, &body_text(body), at, c.id.clone(), None, url);
            }
        }
        let private =
            c.jsd_public == Some(false) || c.visibility.as_ref().is_some_and(|v| !v.is_null());
        if private && !site.private_comments_respond {
            continue;
        }
        let staff = match (&site.staff, &c.author) {
            (_, None) => false,
            (StaffRule::Users(list), Some(a)) => SiteConfig::listed_staff(list, &a.keys()),
            (_, Some(a)) => requester.is_none_or(|r| !r.same(a)),
        } && !c
            .body
            .as_ref()
            .is_some_and(|b| crate::ticket::marker::is_record(&body_text(b)));
        let stamp = Stamp::Text(format_instant(at));
        if staff && t.first_response_at.is_none() && at >= created {
            t.first_response_at = Some(stamp.clone());
        }
        t.comments.push(CommentInput {
            at: stamp,
            author: c
                .author
                .as_ref()
                .and_then(|a| a.display_name.clone().or(a.name.clone())),
            staff,
        });
    }
    Ok(t)
}

/// A comment's text: the string of REST API v2, or the text nodes of an Atlassian Document
/// (v3), each block on its own line. Bounded: at most 64 levels deep.
pub(crate) fn body_text(v: &Value) -> String {
    fn walk(v: &Value, depth: u32, out: &mut String) {
        if depth > 64 {
            return;
        }
        match v {
            Value::String(s) => out.push_str(s),
            Value::Object(o) => {
                if let Some(Value::String(t)) = o.get("text") {
                    out.push_str(t);
                }
                if o.get("type").and_then(Value::as_str) == Some("hardBreak") {
                    out.push('\n');
                }
                if let Some(Value::Array(c)) = o.get("content") {
                    for x in c {
                        walk(x, depth + 1, out);
                    }
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    walk(v, 0, &mut out);
    out
}
