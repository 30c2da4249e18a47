//! GitLab: issues (Issues API), their resource state events, resource label events and notes.
//!
//! - created: `created_at`.
//! - status: open/closed from resource state events (`closed`, `reopened`), or without them the
//!   issue's `state` and `closed_at`; while open, a label listed in the site's `statusLabels`
//!   stands for its status (resource label events `add`/`remove`).
//! - priority and category: labels with a configurable prefix (`priority::1`, `priority:critical`).
//! - first response: the first note that is not a system note, not internal, by staff (by default
//!   anyone but the author; configurable as a list of usernames or ids).

use super::timeline::{self, Event};
use super::{
    is_number, join, label_values, parse_item, put, raw_id, split_url, unexpected, Batch,
    Collector, IssueCtx, Page, PageKind, SiteConfig, Source, StaffRule, Tracker, TrackerKind,
};
use crate::ticket::{CommentInput, FieldValue, Stamp, TicketError, TicketInput};
use crate::time::format_instant;
use serde::Deserialize;
use serde_json::Value;

pub struct Gitlab;

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// Labels are names, or objects with `with_labels_details=true`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LabelRef {
    Name(String),
    Object { name: String },
}

#[derive(Debug, Clone, Deserialize)]
pub struct Milestone {
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct References {
    pub full: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Issue {
    pub id: i64,
    pub iid: i64,
    #[serde(default)]
    pub project_id: Option<i64>,
    pub title: String,
    pub state: String,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub closed_at: Option<String>,
    /// The number of notes by people (not system notes).
    #[serde(default)]
    pub user_notes_count: Option<Value>,
    #[serde(default)]
    pub labels: Vec<LabelRef>,
    #[serde(default)]
    pub author: Option<User>,
    #[serde(default)]
    pub assignee: Option<User>,
    #[serde(default)]
    pub milestone: Option<Milestone>,
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub references: Option<References>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StateEvent {
    pub id: i64,
    #[serde(default)]
    pub user: Option<User>,
    pub created_at: String,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub resource_id: Option<i64>,
    pub state: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventLabel {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LabelEvent {
    pub id: i64,
    #[serde(default)]
    pub user: Option<User>,
    pub created_at: String,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub resource_id: Option<i64>,
    /// Null when the label was deleted since.
    #[serde(default)]
    pub label: Option<EventLabel>,
    pub action: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    pub id: i64,
    #[serde(default)]
    pub body: Option<String>,
    pub author: User,
    pub created_at: String,
    pub system: bool,
    #[serde(default)]
    pub internal: Option<bool>,
    #[serde(default)]
    pub confidential: Option<bool>,
}

/// One issue with the responses fetched for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub issue: Value,
    #[serde(default)]
    pub resource_state_events: Vec<Value>,
    #[serde(default)]
    pub resource_label_events: Vec<Value>,
    #[serde(default)]
    pub notes: Vec<Value>,
}

fn is_path_segment(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Tracker for Gitlab {
    const KIND: TrackerKind = TrackerKind::Gitlab;

    /// `/group[/sub]/project/-/issues`, `.../-/issues/N`, `.../-/work_items/N`,
    /// `.../-/boards[/N]`, and group-level `/groups/g/-/issues` and `/groups/g/-/boards`.
    fn page(url: &str) -> Option<Page> {
        let u = split_url(url);
        let segs = u.segments();
        let dash = segs.iter().position(|s| *s == "-")?;
        let (before, after) = (&segs[..dash], &segs[dash + 1..]);
        if before.is_empty() || !before.iter().all(|s| is_path_segment(s)) {
            return None;
        }
        let group_level = before[0] == "groups";
        let owner = if group_level { &before[1..] } else { before };
        if owner.is_empty() || (!group_level && owner.len() < 2) {
            return None;
        }
        let project = Some(owner.join("/"));
        let page = |kind, issue: Option<&str>| {
            Some(Page {
                tracker: TrackerKind::Gitlab,
                kind,
                project: project.clone(),
                issue: issue.map(str::to_string),
            })
        };
        match after {
            ["issues"] => page(PageKind::IssueList, None),
            ["issues", n] | ["work_items", n] if !group_level && is_number(n) => {
                page(PageKind::Issue, Some(n))
            }
            ["boards"] => page(PageKind::Board, None),
            ["boards", n] if is_number(n) => page(PageKind::Board, None),
            _ => None,
        }
    }

    fn tickets(docs: &[Value], site: &SiteConfig) -> Batch {
        const EXPECTED: &str = "an issue, an array of issues (List issues), or `{\"issue\": \
            ..., \"resource_state_events\": [...], \"resource_label_events\": [...], \"notes\": \
            [...]}` bundles";
        let mut out = Collector::default();
        let mut one = |v: &Value, path: String| -> Result<(), TicketError> {
            let Value::Object(o) = v else {
                return Err(unexpected(TrackerKind::Gitlab, path, EXPECTED));
            };
            if o.contains_key("issue") {
                let id = o.get("issue").and_then(|i| raw_id(i, &["id"]));
                let r = parse_item::<Bundle>(v, &path, id.clone(), "a GitLab issue bundle")
                    .and_then(|b| map_bundle(&b, true, &path, site));
                out.push(id, true, r);
            } else if o.contains_key("iid") {
                let b = Bundle {
                    issue: v.clone(),
                    resource_state_events: vec![],
                    resource_label_events: vec![],
                    notes: vec![],
                };
                out.push(
                    raw_id(v, &["id"]),
                    false,
                    map_bundle(&b, false, &path, site),
                );
            } else {
                return Err(unexpected(TrackerKind::Gitlab, path, EXPECTED));
            }
            Ok(())
        };
        super::each_item(docs, &mut one)?;
        Ok(out.finish())
    }
}

/// `group/sub/project` from `references.full` (`group/sub/project#12`) or `web_url`.
fn project_path(i: &Issue) -> Option<String> {
    if let Some(r) = &i.references {
        if let Some((p, _)) = r.full.rsplit_once('#') {
            return Some(p.to_string());
        }
    }
    let url = i.web_url.as_deref()?;
    let u = split_url(url);
    let segs = u.segments();
    let dash = segs
        .iter()
        .position(|s| *s == "-" || *s == "issues")
        .unwrap_or(segs.len());
    (dash > 0).then(|| segs[..dash].join("/"))
}

fn user_keys(u: &User) -> [String; 2] {
    [u.username.clone(), u.id.to_string()]
}

fn map_bundle(
    b: &Bundle,
    bundled: bool,
    path: &str,
    site: &SiteConfig,
) -> Result<TicketInput, TicketError> {
    let issue_path = if bundled {
        join(path, "issue")
    } else {
        path.to_string()
    };
    let id = raw_id(&b.issue, &["iid"]);
    let i: Issue = parse_item(&b.issue, &issue_path, id.clone(), "a GitLab issue")?;
    let cx = IssueCtx {
        id: i.iid.to_string(),
        path,
    };
    let mut t = TicketInput {
        id: i.iid.to_string(),
        title: Some(i.title.clone()),
        url: i.web_url.clone(),
        ..TicketInput::default()
    };
    let (created, stamp) = cx.stamp("created_at", &i.created_at)?;
    t.created = Some(stamp);
    t.labels = i
        .labels
        .iter()
        .map(|l| match l {
            LabelRef::Name(n) | LabelRef::Object { name: n } => n.clone(),
        })
        .collect();
    let project = project_path(&i);
    let values = |src: &Source| -> Vec<String> {
        match src {
            Source::LabelPrefix(p) => label_values(&t.labels, p),
            Source::Milestone => i.milestone.iter().map(|m| m.title.clone()).collect(),
            Source::Project => project.clone().into_iter().collect(),
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
        if let Some(a) = &i.author {
            let k = user_keys(a);
            group = site.group_of(&[&k[0], &k[1]]);
        }
    }
    // The project's path and name (which a rename or transfer changes) and its id (which
    // does not).
    let mut names: Vec<String> = Vec::new();
    if let Some(p) = &project {
        names.push(p.clone());
        names.push(p.rsplit('/').next().unwrap_or_default().to_string());
    }
    names.extend(i.project_id.map(|id| id.to_string()));
    put(&mut t, "project", names);
    put(&mut t, "priority", priority);
    put(&mut t, "category", category);
    put(&mut t, "requesterGroup", group);
    t.requester = i.author.as_ref().map(|u| u.username.clone());
    t.assignee = i.assignee.as_ref().map(|u| u.username.clone());

    let mut events = Vec::new();
    for (k, raw) in b.resource_state_events.iter().enumerate() {
        let p = format!("resource_state_events[{k}]");
        let e: StateEvent = parse_item(
            raw,
            &join(path, &p),
            id.clone(),
            "a GitLab resource state event",
        )?;
        let (at, _) = cx.stamp(&format!("{p}.created_at"), &e.created_at)?;
        match e.state.as_str() {
            "closed" => events.push((at, Event::Closed)),
            "reopened" | "opened" => events.push((at, Event::Reopened)),
            _ => {}
        }
    }
    for (k, raw) in b.resource_label_events.iter().enumerate() {
        let p = format!("resource_label_events[{k}]");
        let e: LabelEvent = parse_item(
            raw,
            &join(path, &p),
            id.clone(),
            "a GitLab resource label event",
        )?;
        let (at, _) = cx.stamp(&format!("{p}.created_at"), &e.created_at)?;
        if let Some(l) = e.label {
            match e.action.as_str() {
                "add" => events.push((at, Event::Labeled(l.name))),
                "remove" => events.push((at, Event::Unlabeled(l.name))),
                _ => {}
            }
        }
    }
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
    // A list entry (not a bundle) has no events and no notes: its statuses are its state and
    // close time, and a status label it carries now stands for its status; how long it has,
    // any reopening or earlier label, and the replies are unknown.
    let current = match super::current_label_status(&t.labels, &site.status_labels) {
        Some(s) if !bundled && i.state != "closed" => s,
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
    let no_notes = i.user_notes_count.as_ref().and_then(Value::as_i64) == Some(0);
    super::snapshot_unknown(&mut t, created, updated, bundled || no_notes, bundled);

    let mut notes = Vec::new();
    for (k, raw) in b.notes.iter().enumerate() {
        let p = format!("notes[{k}]");
        let n: Note = parse_item(raw, &join(path, &p), id.clone(), "a GitLab note")?;
        let (at, _) = cx.stamp(&format!("{p}.created_at"), &n.created_at)?;
        notes.push((at, n));
    }
    // The Notes API lists newest first by default.
    crate::util::order::sort_by_key(&mut notes, |(at, n)| (*at, n.id));
    for (at, n) in notes {
        let private = n.internal.or(n.confidential).unwrap_or(false);
        let empty = n.body.as_deref().is_none_or(|b| b.trim().is_empty());
        if let (Some(text), false) = (n.body.as_deref(), n.system || empty) {
            let k = user_keys(&n.author);
            let by_author = i.author.as_ref().is_some_and(|a| a.id == n.author.id);
            if site.is_agent(Some(&[&k[0], &k[1]]), by_author) {
                let url = t.url.as_ref().map(|u| format!("{u}#note_{}", n.id));
                super::collect_escalations(&mut t, text, at, n.id.to_string(), None, url);
            }
        }
        if n.system || empty || (private && !site.private_comments_respond) {
            continue;
        }
        let k = user_keys(&n.author);
        let staff = match &site.staff {
            StaffRule::Users(list) => SiteConfig::listed_staff(list, &[&k[0], &k[1]]),
            _ => i.author.as_ref().is_none_or(|a| a.id != n.author.id),
        } && !n
            .body
            .as_deref()
            .is_some_and(crate::ticket::marker::is_record);
        let stamp = Stamp::Text(format_instant(at));
        if staff && t.first_response_at.is_none() && at >= created {
            t.first_response_at = Some(stamp.clone());
        }
        t.comments.push(CommentInput {
            at: stamp,
            author: Some(n.author.username.clone()),
            staff,
        });
    }
    Ok(t)
}
