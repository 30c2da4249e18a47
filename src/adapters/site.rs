//! The per-site configuration: which tracker a site runs, how its fields map to the engine's
//! facts, who counts as provider staff, and how statuses are named.

use super::TrackerKind;
use crate::util::diagnostic::{Diagnostic, Diagnostics};
use crate::util::located;
use crate::util::validate::{validate, Document, Reader};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where a fact comes from in a tracker's issue. Written as text in the site file:
/// `"priority"`, `"tracker"`, `"category"`, `"project"`, `"issueType"`, `"components"`,
/// `"milestone"`, `"customField:NAME"` (Redmine: name or id; Jira: `customfield_10010` or its
/// name) and `"labelPrefix:PREFIX"` (labels that start with PREFIX, PREFIX removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Redmine's and Jira's priority field.
    Priority,
    /// Redmine's tracker.
    Tracker,
    /// Redmine's issue category.
    Category,
    /// The project (Redmine project name; `owner/repo` and `repo`; GitLab path and name; Jira
    /// key and name).
    Project,
    /// Jira's issue type.
    IssueType,
    /// Jira's components.
    Components,
    /// GitHub's and GitLab's milestone title.
    Milestone,
    CustomField(String),
    LabelPrefix(String),
}

impl Source {
    fn parse(s: &str) -> Result<Source, String> {
        if let Some(name) = s.strip_prefix("customField:") {
            return if name.trim().is_empty() {
                Err("`customField:` needs a field name or id after the colon".into())
            } else {
                Ok(Source::CustomField(name.trim().to_string()))
            };
        }
        if let Some(prefix) = s.strip_prefix("labelPrefix:") {
            return if prefix.is_empty() {
                Err(
                    "`labelPrefix:` needs a prefix after the colon, e.g. `labelPrefix:priority:`"
                        .into(),
                )
            } else {
                Ok(Source::LabelPrefix(prefix.to_string()))
            };
        }
        Ok(match s {
            "priority" => Source::Priority,
            "tracker" => Source::Tracker,
            "category" => Source::Category,
            "project" => Source::Project,
            "issueType" => Source::IssueType,
            "components" => Source::Components,
            "milestone" => Source::Milestone,
            other => {
                return Err(format!(
                    "unknown source `{other}`: expected one of priority, tracker, category, \
                     project, issueType, components, milestone, customField:NAME, \
                     labelPrefix:PREFIX"
                ))
            }
        })
    }

    /// Whether tracker `kind` has this source.
    pub fn supported_by(&self, kind: TrackerKind) -> bool {
        use TrackerKind::*;
        match self {
            Source::Project => true,
            Source::Priority => matches!(kind, Redmine | Jira),
            Source::Tracker | Source::Category => kind == Redmine,
            Source::IssueType | Source::Components => kind == Jira,
            Source::Milestone => matches!(kind, Github | Gitlab),
            Source::CustomField(_) => matches!(kind, Redmine | Jira),
            Source::LabelPrefix(_) => matches!(kind, Github | Gitlab | Jira),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Priority => f.write_str("priority"),
            Source::Tracker => f.write_str("tracker"),
            Source::Category => f.write_str("category"),
            Source::Project => f.write_str("project"),
            Source::IssueType => f.write_str("issueType"),
            Source::Components => f.write_str("components"),
            Source::Milestone => f.write_str("milestone"),
            Source::CustomField(n) => write!(f, "customField:{n}"),
            Source::LabelPrefix(p) => write!(f, "labelPrefix:{p}"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where each engine fact comes from: the sources are tried in order and the first that yields
/// a value wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldMap {
    pub priority: Vec<Source>,
    pub category: Vec<Source>,
    pub requester_group: Vec<Source>,
}

/// Who counts as provider staff, so that their reply is a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum StaffRule {
    /// Anyone but the issue's author (Redmine, GitLab and Jira default).
    AnyoneButAuthor,
    /// GitHub: comments whose `author_association` is in the list (default OWNER, MEMBER,
    /// COLLABORATOR).
    AuthorAssociation(Vec<String>),
    /// These users: Redmine user ids or names, GitHub/GitLab logins or ids, Jira account ids,
    /// names or display names.
    Users(Vec<String>),
    /// Redmine: members of these groups (names or ids); the memberships come from
    /// `/groups/N.json?include=users` responses in the input.
    Groups(Vec<String>),
}

/// A site's configuration. Build one with [`SiteConfig::default_for`] or
/// [`SiteConfig::from_json`]; every field left out of the JSON takes the tracker's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteConfig {
    pub tracker: TrackerKind,
    /// `https://host[:port]` — used to build issue URLs where the API gives none (Redmine).
    pub origin: Option<String>,
    /// A path the tracker is served under (`/redmine`), removed before URL detection.
    pub base_path: Option<String>,
    pub fields: FieldMap,
    pub staff: StaffRule,
    /// Requester group by author: group name → Redmine user ids or names, GitHub/GitLab
    /// logins, Jira account ids or names. Used when no `fields.requesterGroup` source yields.
    pub requester_groups: BTreeMap<String, Vec<String>>,
    /// Redmine status ids → names, for journals whose statuses the input does not name.
    pub statuses: BTreeMap<String, String>,
    /// GitHub/GitLab: a label (case-insensitive) → the status it stands for while open, e.g.
    /// `"waiting on customer": "Waiting on customer"` so a pause policy can stop the clock.
    pub status_labels: BTreeMap<String, String>,
    /// GitHub/GitLab: the status names of an open and a closed issue.
    pub open_status: String,
    pub closed_status: String,
    /// Whether private (Redmine), internal (GitLab) or non-public (Jira) comments count as
    /// responses. They are not visible to the customer, so by default they do not.
    pub private_comments_respond: bool,
    /// Jira: the visibility restriction `sla-lens escalate` gives its private comments (claims,
    /// records, `private` notes), as Jira writes it: `{"type": "role", "value": "Developers"}`
    /// or `{"type": "group", "value": "jira-servicedesk-users"}`. Without it those comments are
    /// public: Jira has no private comment but a restricted one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_visibility: Option<Visibility>,
    /// The tracker account `sla-lens escalate` runs as (Redmine user id or name, GitHub/GitLab
    /// login or id, Jira account id or name): only its notes' `sla-lens:escalated` markers are
    /// the issue's recorded escalations. Empty: the notes of anyone but the issue's author
    /// (DESIGN.md "Evaluating a ticket", rule 11).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agent: Vec<String>,
    /// Request Tracker: what only RT has (staff rule, priority sources, queue names);
    /// `super::rt::RtSite`'s defaults when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rt: Option<super::rt::RtSite>,
}

/// A Jira comment's `visibility`: a project role or a group that alone may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visibility {
    /// `role` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// `agent` in a site file: one account, or several.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SiteSpec {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    tracker: TrackerKind,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    base_path: Option<String>,
    #[serde(default)]
    fields: FieldSpec,
    #[serde(default)]
    staff: Option<StaffRule>,
    #[serde(default)]
    requester_groups: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    statuses: Option<BTreeMap<String, String>>,
    #[serde(default)]
    status_labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    open_status: Option<String>,
    #[serde(default)]
    closed_status: Option<String>,
    #[serde(default)]
    private_comments_respond: Option<bool>,
    #[serde(default)]
    private_visibility: Option<Visibility>,
    agent: Option<OneOrMany>,
    #[serde(default)]
    rt: Option<super::rt::RtSite>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FieldSpec {
    #[serde(default)]
    priority: Option<Vec<String>>,
    #[serde(default)]
    category: Option<Vec<String>>,
    #[serde(default)]
    requester_group: Option<Vec<String>>,
}

impl Document for SiteSpec {
    type Valid = SiteConfig;

    fn not_json(e: &serde_json::Error) -> Diagnostic {
        Diagnostic::error(
            "site-invalid",
            "",
            format!(
                "{}: see the site file format in docs/trackers.md",
                crate::util::diagnostic::json_error(e)
            ),
        )
    }

    fn refused(e: &located::Error, path: String) -> Diagnostic {
        Diagnostic::error(
            "site-invalid",
            path,
            format!("{}: see the site file format in docs/trackers.md", e.inner),
        )
    }

    /// Every rule that ties the site's settings to its tracker, once every value read: with a
    /// refused element left out of a list, the paths of the rest would be off by one.
    fn check(self, r: &mut Reader) -> Option<SiteConfig> {
        if r.dropped {
            return None;
        }
        let spec = self;
        let diags = &mut r.diags;
        let mut site = SiteConfig::default_for(spec.tracker);
        let kind = spec.tracker;
        let mut sources = |name: &str, given: Option<Vec<String>>, into: &mut Vec<Source>| {
            let Some(given) = given else { return };
            let mut out = Vec::new();
            for (i, s) in given.iter().enumerate() {
                let path = format!("fields.{name}[{i}]");
                match Source::parse(s) {
                    Err(m) => diags.push(Diagnostic::error("site-unknown-source", path, m)),
                    Ok(src) if !src.supported_by(kind) => diags.push(Diagnostic::error(
                        "site-unsupported-source",
                        path,
                        format!("{kind} issues have no `{src}`: see the sources per tracker in docs/trackers.md"),
                    )),
                    Ok(src) => out.push(src),
                }
            }
            *into = out;
        };
        sources("priority", spec.fields.priority, &mut site.fields.priority);
        sources("category", spec.fields.category, &mut site.fields.category);
        sources(
            "requesterGroup",
            spec.fields.requester_group,
            &mut site.fields.requester_group,
        );
        if let Some(o) = spec.origin {
            let o = o.trim_end_matches('/').to_string();
            if !(o.starts_with("https://") || o.starts_with("http://")) {
                diags.push(Diagnostic::error(
                    "site-invalid-origin",
                    "origin",
                    format!("`{o}` is not an origin: expected `https://host[:port]`"),
                ));
            }
            site.origin = Some(o);
        }
        if let Some(b) = spec.base_path {
            if !b.starts_with('/') {
                diags.push(Diagnostic::error(
                    "site-invalid-base-path",
                    "basePath",
                    format!("`{b}` is not a path: expected it to start with `/`, e.g. `/redmine`"),
                ));
            }
            site.base_path = Some(b);
        }
        if let Some(s) = spec.staff {
            if matches!(&s, StaffRule::AuthorAssociation(_)) && kind != TrackerKind::Github {
                diags.push(Diagnostic::error(
                    "site-unsupported-staff",
                    "staff",
                    format!("only GitHub has `authorAssociation`: use `anyoneButAuthor` or `{{\"users\": [...]}}` for {kind}"),
                ));
            }
            if matches!(&s, StaffRule::Groups(_))
                && !matches!(kind, TrackerKind::Redmine | TrackerKind::Rt)
            {
                diags.push(Diagnostic::error(
                    "site-unsupported-staff",
                    "staff",
                    format!("only Redmine and RT have `groups` (from `/groups/N.json`, `/REST/2.0/group/N`): use `anyoneButAuthor` or `{{\"users\": [...]}}` for {kind}"),
                ));
            }
            site.staff = s;
        }
        if let Some(g) = spec.requester_groups {
            site.requester_groups = g;
        }
        if let Some(s) = spec.statuses {
            site.statuses = s;
        }
        if let Some(s) = spec.status_labels {
            site.status_labels = s;
        }
        if let Some(s) = spec.open_status {
            site.open_status = s;
        }
        if let Some(s) = spec.closed_status {
            site.closed_status = s;
        }
        if let Some(p) = spec.private_comments_respond {
            site.private_comments_respond = p;
        }
        if let Some(v) = spec.private_visibility {
            if kind != TrackerKind::Jira {
                diags.push(Diagnostic::error(
                    "site-unsupported-visibility",
                    "privateVisibility",
                    format!("only Jira restricts a comment's visibility: {kind} has no `privateVisibility`"),
                ));
            } else if !(v.kind == "role" || v.kind == "group") || v.value.trim().is_empty() {
                diags.push(Diagnostic::error(
                    "site-invalid-visibility",
                    "privateVisibility",
                    "expected `{\"type\": \"role\" or \"group\", \"value\": NAME}`",
                ));
            }
            site.private_visibility = Some(v);
        }
        match spec.agent {
            Some(OneOrMany::One(a)) => site.agent = vec![a],
            Some(OneOrMany::Many(a)) => site.agent = a,
            None => {}
        }
        site.agent.retain(|a| !a.trim().is_empty());
        if let Some(rt) = spec.rt {
            if kind != TrackerKind::Rt {
                diags.push(Diagnostic::error(
                    "site-unsupported-rt",
                    "rt",
                    format!("`rt` is Request Tracker's: {kind} has none"),
                ));
            }
            site.rt = Some(rt);
        }
        Some(site)
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl SiteConfig {
    /// The defaults for a stock install of `kind`, which work with the seed policy.
    pub fn default_for(kind: TrackerKind) -> SiteConfig {
        use TrackerKind::*;
        let (priority, category, requester_group) = match kind {
            Redmine => (
                vec![Source::Priority],
                vec![Source::Category, Source::Tracker],
                vec![
                    Source::CustomField("Requester group".into()),
                    Source::CustomField("Department".into()),
                ],
            ),
            Github => (
                vec![Source::LabelPrefix("priority:".into())],
                vec![Source::LabelPrefix("category:".into())],
                vec![Source::LabelPrefix("dept:".into())],
            ),
            Gitlab => (
                vec![
                    Source::LabelPrefix("priority::".into()),
                    Source::LabelPrefix("priority:".into()),
                ],
                vec![
                    Source::LabelPrefix("category::".into()),
                    Source::LabelPrefix("category:".into()),
                ],
                vec![
                    Source::LabelPrefix("dept::".into()),
                    Source::LabelPrefix("dept:".into()),
                ],
            ),
            Jira => (
                vec![Source::Priority],
                vec![Source::Components, Source::IssueType],
                vec![],
            ),
            // RT's facts are chosen by its own `rt` object (rt::RtSite).
            Rt => (vec![], vec![], vec![]),
        };
        let staff = match kind {
            Github => StaffRule::AuthorAssociation(strings(&["OWNER", "MEMBER", "COLLABORATOR"])),
            _ => StaffRule::AnyoneButAuthor,
        };
        let status_labels = match kind {
            Github | Gitlab => [
                ("waiting on customer", "Waiting on customer"),
                ("waiting-on-customer", "Waiting on customer"),
                ("status::waiting on customer", "Waiting on customer"),
            ]
            .into_iter()
            .fold(BTreeMap::new(), |mut m, (k, v)| {
                m.insert(k.to_string(), v.to_string());
                m
            }),
            _ => BTreeMap::new(),
        };
        SiteConfig {
            tracker: kind,
            origin: None,
            base_path: None,
            fields: FieldMap {
                priority,
                category,
                requester_group,
            },
            staff,
            requester_groups: BTreeMap::new(),
            // RT's `stalled` is the shipped policies' pause.
            statuses: if kind == Rt {
                BTreeMap::from([("stalled".to_string(), "Waiting on customer".to_string())])
            } else {
                BTreeMap::new()
            },
            status_labels,
            open_status: "Open".into(),
            closed_status: "Closed".into(),
            private_comments_respond: false,
            private_visibility: None,
            agent: Vec::new(),
            rt: None,
        }
    }

    /// Reads a site file (JSON). Unknown keys are errors (they are usually typos); every
    /// problem is reported at once.
    ///
    /// # Errors
    /// Text that is not a site configuration, or sources the tracker does not have.
    pub fn from_json(text: &str) -> Result<SiteConfig, Diagnostics> {
        match validate::<SiteSpec>(text) {
            (Some(site), _) => Ok(site),
            (None, diags) => Err(Diagnostics(diags)),
        }
    }

    /// The RT settings: the site's `rt` object, or RT's defaults.
    pub(crate) fn rt_site(&self) -> std::borrow::Cow<'_, super::rt::RtSite> {
        match &self.rt {
            Some(r) => std::borrow::Cow::Borrowed(r),
            None => std::borrow::Cow::Owned(super::rt::RtSite::default()),
        }
    }

    /// The requester group configured for an author known by any of `keys`.
    pub(crate) fn group_of(&self, keys: &[&str]) -> Vec<String> {
        self.requester_groups
            .iter()
            .filter(|(_, members)| {
                members.iter().any(|m| {
                    keys.iter()
                        .any(|k| !k.is_empty() && m.eq_ignore_ascii_case(k))
                })
            })
            .map(|(g, _)| g.clone())
            .collect()
    }

    /// Whether a note by the user known by `author` (`None`: unknown) holds the issue's recorded
    /// escalations: the `agent` when one is set, else anyone known but the issue's author.
    pub(crate) fn is_agent(&self, author: Option<&[&str]>, by_issue_author: bool) -> bool {
        match author {
            None => false,
            Some(keys) if !self.agent.is_empty() => Self::listed_staff(&self.agent, keys),
            Some(_) => !by_issue_author,
        }
    }

    /// Whether a user known by `keys` is in the `users` staff list.
    pub(crate) fn listed_staff(users: &[String], keys: &[&str]) -> bool {
        users.iter().any(|u| {
            keys.iter()
                .any(|k| !k.is_empty() && u.eq_ignore_ascii_case(k))
        })
    }
}
