//! GitHub: issues ("List repository issues", "Get an issue"), their timeline ("List timeline
//! events for an issue") or events ("List issue events"), and comments ("List issue comments").
//!
//! - created: `created_at`.
//! - status: open/closed from `closed` and `reopened` events (or, without events, the issue's
//!   `state` and `closed_at`); while open, a label listed in the site's `statusLabels` stands for
//!   its status (`labeled`/`unlabeled` events), so a pause policy can stop the clock.
//! - priority and category: labels with a configurable prefix (`priority:critical`).
//! - first response: the first comment whose `author_association` is OWNER, MEMBER or
//!   COLLABORATOR (configurable).
//! - pull requests, which the issue list also returns (they carry `pull_request`), are skipped.

use super::timeline::{self, Event};
use super::{
    is_number, join, label_values, parse_item, put, raw_id, split_url, unexpected, Batch,
    Collector, IssueCtx, Page, PageKind, SiteConfig, Source, StaffRule, Tracker, TrackerKind,
};
use crate::ticket::{CommentInput, FieldValue, Stamp, TicketError, TicketInput};
use crate::time::format_instant;
use serde::Deserialize;
use serde_json::Value;

pub struct Github;

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub login: String,
    pub id: i64,
}

/// Issue labels come as objects, or as plain names in some responses.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LabelRef {
    Name(String),
    Object { name: Option<String> },
}

impl LabelRef {
    fn name(&self) -> Option<&str> {
        match self {
            LabelRef::Name(n) => Some(n),
            LabelRef::Object { name } => name.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Milestone {
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub state: String,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub repository_url: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub labels: Vec<LabelRef>,
    #[serde(default)]
    pub assignee: Option<User>,
    #[serde(default)]
    pub milestone: Option<Milestone>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub closed_at: Option<String>,
    /// The number of comments (the issue JSON's own `comments`).
    #[serde(default)]
    pub comments: Option<Value>,
    #[serde(default)]
    pub pull_request: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub name: String,
}

/// One timeline or issue event. Timeline `commented` events carry the comment's fields.
#[derive(Debug, Clone, Deserialize)]
pub struct TimelineEvent {
    pub event: String,
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub actor: Option<User>,
    #[serde(default)]
    pub label: Option<Label>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default)]
    pub author_association: Option<String>,
    /// A `commented` event's text.
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub id: i64,
    #[serde(default)]
    pub user: Option<User>,
    pub created_at: String,
    #[serde(default)]
    pub author_association: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

/// One issue with the responses fetched for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub issue: Value,
    #[serde(default)]
    pub timeline: Option<Vec<Value>>,
    #[serde(default)]
    pub events: Option<Vec<Value>>,
    #[serde(default)]
    pub comments: Option<Vec<Value>>,
}

/// Paths that are GitHub's own pages, not `owner/repo`.
const RESERVED: &[&str] = &[
    "orgs",
    "users",
    "projects",
    "settings",
    "issues",
    "pulls",
    "notifications",
    "marketplace",
    "search",
    "explore",
    "topics",
    "login",
    "sponsors",
    "enterprises",
    "apps",
    "features",
    "browse",
    "jira",
    "groups",
    "secure",
    "rest",
    "api",
    "-",
];

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Tracker for Github {
    const KIND: TrackerKind = TrackerKind::Github;

    /// `/owner/repo/issues`, `/owner/repo/issues/N`, `/orgs/o/projects/N`,
    /// `/users/u/projects/N`.
    fn page(url: &str) -> Option<Page> {
        let u = split_url(url);
        let segs = u.segments();
        let page = |kind, project: Option<String>, issue: Option<&str>| {
            Some(Page {
                tracker: TrackerKind::Github,
                kind,
                project,
                issue: issue.map(str::to_string),
            })
        };
        match segs.as_slice() {
            ["orgs" | "users", o, "projects", n] if is_name(o) && is_number(n) => {
                page(PageKind::Board, Some(o.to_string()), None)
            }
            [o, r, rest @ ..] if !RESERVED.contains(o) && is_name(o) && is_name(r) && *r != "-" => {
                let project = Some(format!("{o}/{r}"));
                match rest {
                    ["issues"] => page(PageKind::IssueList, project, None),
                    ["issues", n] if is_number(n) => page(PageKind::Issue, project, Some(n)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn tickets(docs: &[Value], site: &SiteConfig) -> Batch {
        const EXPECTED: &str = "an issue, an array of issues (List repository issues), or \
            `{\"issue\": ..., \"timeline\": [...], \"comments\": [...]}` bundles";
        let mut out = Collector::default();
        let mut one = |v: &Value, path: String| -> Result<(), TicketError> {
            let Value::Object(o) = v else {
                return Err(unexpected(TrackerKind::Github, path, EXPECTED));
            };
            if o.contains_key("issue") {
                let id = o.get("issue").and_then(|i| raw_id(i, &["number"]));
                let r = parse_item::<Bundle>(v, &path, id.clone(), "a GitHub issue bundle")
                    .and_then(|b| map_bundle(&b, true, &path, site));
                // A bundled pull request is skipped like a listed one.
                if let Some(r) = r.transpose() {
                    out.push(id, true, r);
                }
            } else if o.contains_key("number") {
                if o.get("pull_request").is_some_and(|p| !p.is_null()) {
                    return Ok(());
                }
                let b = Bundle {
                    issue: v.clone(),
                    timeline: None,
                    events: None,
                    comments: None,
                };
                if let Some(r) = map_bundle(&b, false, &path, site).transpose() {
                    out.push(raw_id(v, &["number"]), false, r);
                }
            } else {
                return Err(unexpected(TrackerKind::Github, path, EXPECTED));
            }
            Ok(())
        };
        super::each_item(docs, &mut one)?;
        Ok(out.finish())
    }
}

fn repo_of(i: &Issue) -> Option<String> {
    let url = i.repository_url.as_deref()?;
    let (_, rest) = url.split_once("/repos/")?;
    Some(rest.trim_end_matches('/').to_string())
}

fn map_bundle(
    b: &Bundle,
    bundled: bool,
    path: &str,
    site: &SiteConfig,
) -> Result<Option<TicketInput>, TicketError> {
    let issue_path = if bundled {
        join(path, "issue")
    } else {
        path.to_string()
    };
    let id = raw_id(&b.issue, &["number"]);
    let i: Issue = parse_item(&b.issue, &issue_path, id.clone(), "a GitHub issue")?;
    if i.pull_request.as_ref().is_some_and(|p| !p.is_null()) {
        return Ok(None);
    }
    let cx = IssueCtx {
        id: i.number.to_string(),
        path,
    };
    let mut t = TicketInput {
        id: i.number.to_string(),
        title: Some(i.title.clone()),
        url: i.html_url.clone(),
        ..TicketInput::default()
    };
    let (created, stamp) = cx.stamp("created_at", &i.created_at)?;
    t.created = Some(stamp);
    t.labels = i
        .labels
        .iter()
        .filter_map(|l| l.name().map(str::to_string))
        .collect();
    let values = |src: &Source| -> Vec<String> {
        match src {
            Source::LabelPrefix(p) => label_values(&t.labels, p),
            Source::Milestone => i.milestone.iter().map(|m| m.title.clone()).collect(),
            Source::Project => repo_of(&i).into_iter().collect(),
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
    let priority = first(&site.fields.priority);
    let category = first(&site.fields.category);
    let mut group = first(&site.fields.requester_group);
    if group.is_empty() {
        if let Some(u) = &i.user {
            group = site.group_of(&[&u.login, &u.id.to_string()]);
        }
    }
    if let Some(repo) = repo_of(&i) {
        let name = repo.rsplit('/').next().unwrap_or_default().to_string();
        put(&mut t, "project", vec![repo, name]);
    }
    put(&mut t, "priority", priority);
    put(&mut t, "category", category);
    put(&mut t, "requesterGroup", group);
    t.requester = i.user.as_ref().map(|u| u.login.clone());
    t.assignee = i.assignee.as_ref().map(|u| u.login.clone());

    // Events: the timeline, else the issue events.
    let mut events: Vec<(i64, Event)> = Vec::new();
    // (at, comment id, author, author association, text)
    type Row = (i64, i64, Option<User>, Option<String>, Option<String>);
    let mut comments: Vec<Row> = Vec::new();
    let (list, key) = match (&b.timeline, &b.events) {
        (Some(t), _) => (t.as_slice(), "timeline"),
        (None, Some(e)) => (e.as_slice(), "events"),
        _ => (&[][..], "timeline"),
    };
    for (k, raw) in list.iter().enumerate() {
        let p = format!("{key}[{k}]");
        let e: TimelineEvent =
            parse_item(raw, &join(path, &p), id.clone(), "a GitHub timeline event")?;
        let Some(at) = &e.created_at else { continue };
        let (at, _) = cx.stamp(&format!("{p}.created_at"), at)?;
        match e.event.as_str() {
            "closed" => events.push((at, Event::Closed)),
            "reopened" => events.push((at, Event::Reopened)),
            "labeled" | "unlabeled" => {
                if let Some(l) = e.label {
                    events.push((
                        at,
                        if e.event == "labeled" {
                            Event::Labeled(l.name)
                        } else {
                            Event::Unlabeled(l.name)
                        },
                    ));
                }
            }
            "commented" => {
                if let Some(cid) = e.id {
                    comments.push((at, cid, e.user.or(e.actor), e.author_association, e.body));
                }
            }
            _ => {}
        }
    }
    for (k, raw) in b.comments.iter().flatten().enumerate() {
        let p = format!("comments[{k}]");
        let c: Comment = parse_item(raw, &join(path, &p), id.clone(), "a GitHub issue comment")?;
        if comments.iter().any(|(_, cid, ..)| *cid == c.id) {
            continue;
        }
        let (at, _) = cx.stamp(&format!("{p}.created_at"), &c.created_at)?;
        comments.push((at, c.id, c.user, c.author_association, c.body));
    }
    crate::util::order::sort_by_key(&mut comments, |(at, cid, ..)| (*at, *cid));

    let closed_at = match &i.closed_at {
        Some(s) => Some(cx.stamp("closed_at", s)?.0),
        None => None,
    };
    let (current, history) = timeline::statuses(
        events,
        &site.open_status,
        &site.closed_status,
        &site.status_labels,
        i.state == "closed",
        closed_at,
    );
    // Without events (a list entry), the statuses are the issue's state and close time, and a
    // status label it carries now stands for its status; how long it has, and any reopening or
    // earlier label, is unknown.
    let events_known = b.timeline.is_some() || b.events.is_some();
    let current = match super::current_label_status(&t.labels, &site.status_labels) {
        Some(s) if !events_known && i.state != "closed" => s,
        _ => current,
    };
    t.status = Some(current.clone());
    t.fields
        .insert("status".into(), FieldValue::One(current.into()));
    t.status_history = history;
    let updated = match &i.updated_at {
        Some(u) => Some(cx.stamp("updated_at", u)?.0),
        None => None,
    };
    let no_comments = i.comments.as_ref().and_then(Value::as_i64) == Some(0);
    super::snapshot_unknown(
        &mut t,
        created,
        updated,
        b.timeline.is_some() || b.comments.is_some() || no_comments,
        events_known,
    );

    let author = i.user.as_ref();
    for (at, cid, user, assoc, body) in comments {
        if let Some(text) = body.as_deref() {
            let by_author = matches!((author, &user), (Some(a), Some(u)) if a.id == u.id);
            let id = user.as_ref().map(|u| u.id.to_string());
            let keys = user
                .as_ref()
                .map(|u| [u.login.as_str(), id.as_deref().unwrap_or("")]);
            if site.is_agent(keys.as_ref().map(|k| &k[..]), by_author) {
                let url = t.url.as_ref().map(|u| format!("{u}#issuecomment-{cid}"));
                super::collect_escalations(&mut t, text, at, cid.to_string(), None, url);
            }
        }
        // A note recording sla-lens's own work is never a reply (DESIGN.md, rule 6).
        let record = body
            .as_deref()
            .is_some_and(crate::ticket::marker::is_record);
        let staff = !record
            && match &site.staff {
                StaffRule::AuthorAssociation(list) => assoc
                    .as_deref()
                    .is_some_and(|a| list.iter().any(|x| x.eq_ignore_ascii_case(a))),
                StaffRule::Users(list) => user.as_ref().is_some_and(|u| {
                    SiteConfig::listed_staff(list, &[&u.login, &u.id.to_string()])
                }),
                // Group memberships are Redmine's only; elsewhere a group rule means "not the author".
                StaffRule::AnyoneButAuthor | StaffRule::Groups(_) => user
                    .as_ref()
                    .is_some_and(|u| author.is_none_or(|a| a.id != u.id)),
            };
        let stamp = Stamp::Text(format_instant(at));
        if staff && t.first_response_at.is_none() && at >= created {
            t.first_response_at = Some(stamp.clone());
        }
        t.comments.push(CommentInput {
            at: stamp,
            author: user.map(|u| u.login),
            staff,
        });
    }
    Ok(Some(t))
}
