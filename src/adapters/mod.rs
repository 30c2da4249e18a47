//! Tracker adapters: each tracker's REST responses mapped to the engine's [`TicketInput`].
//!
//! One module per tracker ([`redmine`], [`github`], [`gitlab`], [`jira`], [`rt`]), all behind one
//! interface, [`Tracker`]:
//! - [`Tracker::page`] — which page a URL is (an issue list, one issue, a board), a pure function
//!   of the URL; every tracker's detector rejects the others' URLs.
//! - [`Tracker::tickets`] — the tracker's own JSON responses, as fetched, mapped to tickets under
//!   a per-site [`SiteConfig`] (field mapping, staff rule, status names). One result per issue: a
//!   malformed issue is an error for that issue only; only input that holds no recognisable
//!   response at all is an error for the whole call.
//!
//! Everything here is pure: no clock, no I/O. The accepted response shapes are documented in
//! `docs/trackers.md`.
//!
//! # Example
//! ```
//! use sla_lens::adapters::{self, PageKind, SiteConfig, TrackerKind};
//! let page = adapters::detect_page(TrackerKind::Redmine, "https://rm.example/issues/42").unwrap();
//! assert_eq!((page.kind, page.issue.as_deref()), (PageKind::Issue, Some("42")));
//!
//! let site = SiteConfig::default_for(TrackerKind::Redmine);
//! let json = r#"{"issue": {"id": 42, "project": {"id": 1, "name": "Marketing IT support"},
//!   "status": {"id": 1, "name": "New"}, "priority": {"id": 4, "name": "Urgent"},
//!   "author": {"id": 7, "name": "Mia"}, "created_on": "2026-11-27T10:00:00Z", "journals": []}}"#;
//! let tickets = adapters::map_texts(TrackerKind::Redmine, &[json], &site)?;
//! let t = tickets[0].as_ref().unwrap();
//! assert_eq!(t.fields["priority"].first(), Some("Urgent"));
//! # Ok::<(), sla_lens::TicketError>(())
//! ```

pub mod csv;
pub mod github;
pub mod gitlab;
pub mod jira;
pub mod redmine;
pub mod rt;

#[cfg(test)]
mod oracle;
mod site;

pub use site::{FieldMap, SiteConfig, Source, StaffRule, Visibility};

use crate::ticket::{FieldValue, Stamp, TicketError, TicketInput};
use crate::time::format_instant;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// The trackers sla-lens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackerKind {
    Redmine,
    Github,
    Gitlab,
    Jira,
    /// Request Tracker 5 (REST 2).
    Rt,
}

impl TrackerKind {
    pub const ALL: [TrackerKind; 5] = [
        TrackerKind::Redmine,
        TrackerKind::Github,
        TrackerKind::Gitlab,
        TrackerKind::Jira,
        TrackerKind::Rt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TrackerKind::Redmine => "redmine",
            TrackerKind::Github => "github",
            TrackerKind::Gitlab => "gitlab",
            TrackerKind::Jira => "jira",
            TrackerKind::Rt => "rt",
        }
    }
}

impl fmt::Display for TrackerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TrackerKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TrackerKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown tracker `{s}`: expected one of redmine, github, gitlab, jira, rt")
            })
    }
}

/// What kind of page a URL shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PageKind {
    /// A list of issues (a project's or a saved query's).
    IssueList,
    /// One issue.
    Issue,
    /// A board of issues (Kanban, Scrum, project board).
    Board,
}

/// A recognised page: its kind, and the project and issue it names when it names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    pub tracker: TrackerKind,
    pub kind: PageKind,
    /// Redmine project identifier, `owner/repo`, `group/project`, or Jira project key.
    pub project: Option<String>,
    /// Redmine/GitHub/GitLab issue number, or Jira issue key (`KEY-123`).
    pub issue: Option<String>,
}

/// One adapter: URL detection and response mapping for one tracker.
pub trait Tracker {
    const KIND: TrackerKind;

    /// The page `url` shows, if this tracker serves such pages. `url` is absolute
    /// (`https://host/path?query`) or a path (`/path?query`); a site's `basePath` is removed
    /// first by [`detect_page_for_site`].
    fn page(url: &str) -> Option<Page>;

    /// Maps the tracker's JSON responses (one or several documents) to tickets, one result per
    /// issue, in the order the issues first appear.
    ///
    /// # Errors
    /// Only when a document is not one of the tracker's accepted response shapes.
    fn tickets(docs: &[Value], site: &SiteConfig) -> Batch;
}

/// One result per issue, or an error for input that holds no recognisable response.
pub type Batch = Result<Vec<Result<TicketInput, TicketError>>, TicketError>;

/// Which page `url` is on tracker `kind`.
pub fn detect_page(kind: TrackerKind, url: &str) -> Option<Page> {
    match kind {
        TrackerKind::Redmine => redmine::Redmine::page(url),
        TrackerKind::Github => github::Github::page(url),
        TrackerKind::Gitlab => gitlab::Gitlab::page(url),
        TrackerKind::Jira => jira::Jira::page(url),
        TrackerKind::Rt => rt::Rt::page(url),
    }
}

/// Which page `url` is on `site`, after removing the site's `basePath` (e.g. a Redmine served
/// under `/redmine`). URLs outside the base path are not the site's pages.
pub fn detect_page_for_site(site: &SiteConfig, url: &str) -> Option<Page> {
    let Some(base) = site
        .base_path
        .as_deref()
        .filter(|b| !b.is_empty() && *b != "/")
    else {
        return detect_page(site.tracker, url);
    };
    let parts = split_url(url);
    let base = base.trim_end_matches('/');
    let rest = parts.path.strip_prefix(base)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let rebuilt = if parts.query.is_empty() {
        rest.to_string()
    } else {
        format!("{rest}?{}", parts.query)
    };
    detect_page(site.tracker, &rebuilt)
}

/// The issue an `href` links to (an issue page URL), if any.
pub fn issue_link(kind: TrackerKind, href: &str) -> Option<Page> {
    detect_page(kind, href).filter(|p| p.kind == PageKind::Issue)
}

/// Maps parsed JSON documents from tracker `kind`.
///
/// # Errors
/// When a document is not one of the tracker's accepted response shapes.
pub fn map_responses(kind: TrackerKind, docs: &[Value], site: &SiteConfig) -> Batch {
    match kind {
        TrackerKind::Redmine => redmine::Redmine::tickets(docs, site),
        TrackerKind::Github => github::Github::tickets(docs, site),
        TrackerKind::Gitlab => gitlab::Gitlab::tickets(docs, site),
        TrackerKind::Jira => jira::Jira::tickets(docs, site),
        TrackerKind::Rt => rt::Rt::tickets(docs, site),
    }
}

/// Maps JSON texts (each one response, or a combination documented in `docs/trackers.md`).
///
/// # Errors
/// A text that is not JSON (`json-syntax`), or not an accepted shape (`unexpected-shape`).
/// An issue that cannot be read is an error for that issue only, in its place in the batch.
///
/// # Example
/// A Redmine `GET /issues/7.json?include=journals` answer: the note by someone other than the
/// issue's author is the response (the site file's default staff rule).
/// ```
/// use sla_lens::adapters::{map_texts, SiteConfig, TrackerKind};
/// let answer = r#"{"issue": {"id": 7, "project": {"id": 1, "name": "IT"},
///   "status": {"id": 1, "name": "New"}, "priority": {"id": 4, "name": "Urgent"},
///   "author": {"id": 5, "name": "Mia"}, "created_on": "2026-11-20T09:00:00Z",
///   "journals": [{"id": 1, "user": {"id": 2, "name": "Sam"}, "notes": "On it.",
///                 "created_on": "2026-11-20T09:40:00Z", "details": []}]}}"#;
/// let site = SiteConfig::default_for(TrackerKind::Redmine);
/// let batch = map_texts(TrackerKind::Redmine, &[answer], &site).expect("an accepted shape");
/// let ticket = batch[0].as_ref().expect("a readable issue");
/// assert_eq!(ticket.id, "7");
/// assert_eq!(ticket.comments.len(), 1);
/// assert!(ticket.comments[0].staff);
/// ```
pub fn map_texts(kind: TrackerKind, texts: &[&str], site: &SiteConfig) -> Batch {
    let mut docs = Vec::with_capacity(texts.len());
    for (i, t) in texts.iter().enumerate() {
        let v: Value = serde_json::from_str(t).map_err(|e| TicketError {
            id: None,
            code: crate::util::diagnostic::json_error_code(&e),
            path: if texts.len() > 1 {
                format!("<input {i}>")
            } else {
                String::new()
            },
            message: crate::util::diagnostic::json_refused(&format!("the {kind} response"), &e),
        })?;
        docs.push(v);
    }
    map_responses(kind, &docs, site)
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// `TicketInput::unknown` for an issue a snapshot shows without some of its history (a list
/// entry without journals, events or comments; DESIGN.md, "Snapshots: what is unknown when").
/// Nothing is unknown when the issue was never saved after its creation (`untouched`: its
/// update time is its creation time, and every reply and status change saves the issue).
/// Sets `t.unknown`, and `t.updated` (`updated`, the issue's last save) when anything is.
pub(crate) fn snapshot_unknown(
    t: &mut TicketInput,
    created: i64,
    updated: Option<i64>,
    replies_known: bool,
    history_known: bool,
) {
    use crate::ticket::Missing;
    if updated == Some(created) {
        return;
    }
    if !replies_known {
        t.unknown.push(Missing::Replies.as_str().to_string());
    }
    if !history_known {
        t.unknown.push(Missing::StatusHistory.as_str().to_string());
    }
    if !t.unknown.is_empty() {
        t.updated = updated.map(|u| Stamp::Text(format_instant(u)));
    }
}

/// Adds the escalations a note records for ticket `t` (its `sla-lens:escalated` markers; the
/// caller has checked the note is the agent's, [`SiteConfig::is_agent`]): the marker's `at`, else
/// the note's time `note_at`.
pub(crate) fn collect_escalations(
    t: &mut TicketInput,
    text: &str,
    note_at: i64,
    note_id: String,
    note_number: Option<u32>,
    url: Option<String>,
) {
    use crate::ticket::EscalationInput;
    let mut stage = String::new();
    for (k, at) in crate::ticket::marker::parse_markers_at(&t.id, text) {
        stage.clear();
        match k.stage {
            crate::ticket::marker::Stage::Level(n) => stage.push_str(&n.to_string()),
            crate::ticket::marker::Stage::AtRisk(m) => {
                stage.push_str("at-risk-");
                stage.push_str(m.as_str());
            }
        }
        t.escalations.push(EscalationInput {
            cycle: k.cycle,
            stage: stage.clone(),
            action: format!("{}#{}", k.kind.as_str(), k.ordinal),
            at: Some(Stamp::Text(format_instant(at.unwrap_or(note_at)))),
            note_id: Some(note_id.clone()),
            note_number,
            url: url.clone(),
        });
    }
}

/// The status a status label stands for on an open issue a snapshot shows without its label
/// events: the last of its current labels the site maps (`statusLabels`).
pub(crate) fn current_label_status(
    labels: &[String],
    status_labels: &std::collections::BTreeMap<String, String>,
) -> Option<String> {
    labels.iter().rev().find_map(|l| {
        status_labels
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(l))
            .map(|(_, v)| v.clone())
    })
}

/// A URL split into its path (without a trailing slash, `""` for the root) and query.
pub(crate) struct UrlParts<'a> {
    pub path: &'a str,
    pub query: &'a str,
    pub trailing_slash: bool,
}

impl<'a> UrlParts<'a> {
    pub fn segments(&self) -> Vec<&'a str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// The value of query parameter `key` (undecoded).
    pub fn param(&self, key: &str) -> Option<&'a str> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == key).then_some(v)
        })
    }
}

pub(crate) fn split_url(url: &str) -> UrlParts<'_> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or("");
    // Drop `scheme://host[:port]`.
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find(['/', '?']) {
                Some(j) => &after[j..],
                None => "",
            }
        }
        None => url,
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let trailing_slash = path.len() > 1 && path.ends_with('/');
    UrlParts {
        path: path.trim_end_matches('/'),
        query,
        trailing_slash,
    }
}

pub(crate) fn is_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a tracker timestamp: RFC 3339 (Redmine, GitHub, GitLab) or Jira's
/// `2026-11-27T10:00:00.000+0000`.
pub(crate) fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|t| t.timestamp())
        .ok()
}

/// Builds per-issue errors and normalised stamps for one issue.
pub(crate) struct IssueCtx<'a> {
    pub id: String,
    pub path: &'a str,
}

impl IssueCtx<'_> {
    pub fn err(&self, code: &'static str, path: &str, message: impl Into<String>) -> TicketError {
        TicketError {
            id: Some(self.id.clone()),
            code,
            path: if path.is_empty() {
                self.path.to_string()
            } else {
                format!("{}.{path}", self.path)
            },
            message: message.into(),
        }
    }

    /// A timestamp normalised to RFC 3339 UTC text, or an `invalid-timestamp` error.
    pub fn stamp(&self, path: &str, s: &str) -> Result<(i64, Stamp), TicketError> {
        match parse_time(s) {
            Some(t) => Ok((t, Stamp::Text(format_instant(t)))),
            None => Err(self.err(
                "invalid-timestamp",
                path,
                format!(
                    "`{s}` is not a timestamp the tracker sends: expected RFC 3339 \
                     (`2026-11-27T10:00:00Z`) or Jira's `2026-11-27T10:00:00.000+0000`"
                ),
            )),
        }
    }
}

/// Deserialises one issue (or bundle) with a located error.
pub(crate) fn parse_item<T: serde::de::DeserializeOwned>(
    v: &Value,
    path: &str,
    id: Option<String>,
    what: &str,
) -> Result<T, TicketError> {
    crate::util::read::from_value(v).map_err(|e| {
        let inner = e.path.to_string();
        TicketError {
            id,
            code: "invalid-issue",
            path: if inner == "." || inner.is_empty() {
                path.to_string()
            } else if path.is_empty() {
                inner
            } else {
                format!("{path}.{inner}")
            },
            message: format!(
                "{}: this is not the shape of {what} (see docs/trackers.md)",
                e.inner
            ),
        }
    })
}

/// The `id` (or `key`, `number`) of a raw issue value, for error messages.
pub(crate) fn raw_id(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

pub(crate) fn unexpected(kind: TrackerKind, path: String, expected: &str) -> TicketError {
    TicketError {
        id: None,
        code: "unexpected-shape",
        path,
        message: format!("this is not a {kind} response sla-lens reads: expected {expected}"),
    }
}

/// Collects one result per issue: a detailed entry (a bundle, or a response with history)
/// replaces a bare one (a list page's) for the same issue; otherwise the first entry stays.
/// Issues keep the order in which they first appear.
#[derive(Default)]
pub(crate) struct Collector {
    order: Vec<(bool, Result<TicketInput, TicketError>)>,
    index: std::collections::HashMap<String, usize>,
}

impl Collector {
    pub fn push(
        &mut self,
        key: Option<String>,
        detailed: bool,
        r: Result<TicketInput, TicketError>,
    ) {
        if let Some(k) = key {
            if let Some(&i) = self.index.get(&k) {
                if detailed && !self.order[i].0 {
                    self.order[i] = (detailed, r);
                }
                return;
            }
            self.index.insert(k, self.order.len());
        }
        self.order.push((detailed, r));
    }

    pub fn finish(self) -> Vec<Result<TicketInput, TicketError>> {
        self.order.into_iter().map(|(_, r)| r).collect()
    }
}

/// Calls `f` for every response in `docs`, and for every element of a response that is an array,
/// with its path (`<input 1>[3]` when several files were given).
pub(crate) fn each_item<'d, E>(
    docs: &'d [Value],
    mut f: impl FnMut(&'d Value, String) -> Result<(), E>,
) -> Result<(), E> {
    for (i, d) in docs.iter().enumerate() {
        let base = doc_path(docs, i);
        match d {
            Value::Array(items) => {
                for (j, item) in items.iter().enumerate() {
                    f(item, format!("{base}[{j}]"))?;
                }
            }
            other => f(other, base)?,
        }
    }
    Ok(())
}

pub(crate) fn doc_path(docs: &[Value], i: usize) -> String {
    if docs.len() > 1 {
        format!("<input {i}>")
    } else {
        String::new()
    }
}

pub(crate) fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else if key.starts_with('[') {
        format!("{base}{key}")
    } else {
        format!("{base}.{key}")
    }
}

/// Puts a fact into the ticket's fields unless it is empty.
pub(crate) fn put(t: &mut TicketInput, key: &str, values: Vec<String>) {
    let mut values: Vec<String> = values
        .into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    values.dedup();
    match values.len() {
        0 => {}
        1 => {
            t.fields
                .insert(key.into(), FieldValue::One(values.remove(0).into()));
        }
        _ => {
            let values = values.into_iter().map(Into::into).collect();
            t.fields.insert(key.into(), FieldValue::Many(values));
        }
    }
}

/// The labels that start with `prefix` (ASCII case-insensitive), with the prefix removed.
pub(crate) fn label_values(labels: &[String], prefix: &str) -> Vec<String> {
    labels
        .iter()
        .filter_map(|l| {
            let head = l.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix)
                .then(|| l[prefix.len()..].trim().to_string())
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// Status history from open/closed and status-label events, shared by GitHub and GitLab.
pub(crate) mod timeline {
    use crate::ticket::{Stamp, StatusChangeInput};
    use crate::time::format_instant;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    pub enum Event {
        Closed,
        Reopened,
        Labeled(String),
        Unlabeled(String),
    }

    /// Replays `events` (sorted by time, stable) from an open issue created at `created`.
    /// `status_labels` maps a label (case-insensitive) to the status it stands for while open.
    pub fn statuses(
        mut events: Vec<(i64, Event)>,
        open: &str,
        closed: &str,
        status_labels: &BTreeMap<String, String>,
        final_state_closed: bool,
        closed_at: Option<i64>,
    ) -> (String, Vec<StatusChangeInput>) {
        crate::util::order::sort_by_key(&mut events, |(t, _)| *t);
        let lookup = |label: &str| {
            status_labels
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(label))
                .map(|(_, v)| v.clone())
        };
        let mut is_closed = false;
        let mut active: Vec<String> = Vec::new();
        let mut current = open.to_string();
        let mut changes = Vec::new();
        let status_of = |is_closed: bool, active: &[String]| {
            if is_closed {
                closed.to_string()
            } else {
                active.last().cloned().unwrap_or_else(|| open.to_string())
            }
        };
        let mut push = |t: i64, next: String, current: &mut String| {
            if next != *current {
                changes.push(StatusChangeInput {
                    at: Stamp::Text(format_instant(t)),
                    from: Some(current.clone()),
                    to: next.clone(),
                });
                *current = next;
            }
        };
        for (t, e) in events {
            match e {
                Event::Closed => is_closed = true,
                Event::Reopened => is_closed = false,
                Event::Labeled(l) => {
                    if let Some(s) = lookup(&l) {
                        active.retain(|x| x != &s);
                        active.push(s);
                    }
                }
                Event::Unlabeled(l) => {
                    if let Some(s) = lookup(&l) {
                        active.retain(|x| x != &s);
                    }
                }
            }
            let next = status_of(is_closed, &active);
            push(t, next, &mut current);
        }
        // The events may be missing (a list response alone): trust the issue's own state.
        if final_state_closed && !is_closed {
            if let Some(t) = closed_at {
                push(t, closed.to_string(), &mut current);
            }
        } else if !final_state_closed && is_closed {
            // Open now, yet the events end closed (a page of them is missing): the reopening's
            // instant is unknown, so the close the issue's state contradicts is dropped rather
            // than a reopening invented.
            while changes.last().is_some_and(|c| c.to == closed) {
                changes.pop();
            }
            current = changes
                .last()
                .map_or_else(|| open.to_string(), |c| c.to.clone());
        }
        (current, changes)
    }
}
