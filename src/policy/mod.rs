//! The SLA policy: its JSON document form ([`PolicySpec`]), parsing that reports every problem at
//! once, and the checked form the evaluator runs on ([`Policy`]).

pub mod review;

use crate::calendar::{Calendar, CalendarSpec, ALWAYS};
use crate::policy::review::ReviewSpec;
use crate::time::duration;
use crate::util::diagnostic::{index, join, Diagnostic, Diagnostics};
use crate::util::located::{self, Kind};
use crate::util::validate::{validate, Document, Reader};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The only policy format version this build reads.
pub const POLICY_VERSION: u32 = 1;

/// The default (seed) policy: the internal IT ↔ Marketing SLA.
pub const DEFAULT_POLICY_JSON: &str = include_str!("../../policies/default.json");
/// The business-hours example: Mon–Fri 09:00–17:00 Europe/Berlin with German holidays.
pub const BUSINESS_HOURS_POLICY_JSON: &str = include_str!("../../policies/business-hours.json");

// ---------------------------------------------------------------------------------------------
// Document form
// ---------------------------------------------------------------------------------------------

/// A policy document (format version 1).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicySpec {
    /// Optional pointer to the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version; must be 1.
    pub version: u32,
    /// Stable identifier, e.g. `it-marketing-internal-sla`.
    pub id: String,
    /// Human name shown in badges and reports.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who provides the service and who receives it.
    pub parties: Parties,
    /// Which tickets the SLA covers.
    #[serde(default)]
    pub scope: ScopeSpec,
    /// Service categories, first match wins; a tier without `when` is the fallback.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<TierSpec>,
    /// Priority tiers, first match wins; a tier without `when` is the fallback.
    pub priorities: Vec<TierSpec>,
    /// Named business calendars. `24x7` is built in and need not be declared.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// Which ticket statuses mean what.
    #[serde(default)]
    pub statuses: StatusesSpec,
    /// How the two metrics run.
    #[serde(default)]
    pub metrics: MetricsSpec,
    /// Targets per priority (and optionally category).
    pub targets: Vec<TargetSpec>,
    /// Percent of a target used at which a metric is "at risk" (1–99, default 75).
    #[serde(
        default = "default_at_risk",
        skip_serializing_if = "is_default_at_risk"
    )]
    pub at_risk_percent: u32,
    /// Who is told, in order, when a ticket stays unresolved.
    #[serde(default)]
    pub escalation: EscalationSpec,
    /// When the SLA itself is reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewSpec>,
}

fn default_at_risk() -> u32 {
    75
}

fn is_default_at_risk(v: &u32) -> bool {
    *v == 75
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Parties {
    pub provider: Party,
    pub customer: Party,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScopeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A ticket is in scope when it matches any of these (or when the list is empty)...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Condition>,
    /// ...and matches none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Condition>,
}

/// A test on a ticket's facts. Every part given must hold; a `when` list holds when any of its
/// conditions does. Values compare case-insensitively.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// A ticket fact: `project`, `tracker`, `priority`, `category`, `requesterGroup`, `assignee`,
    /// `status`, or any custom field name the adapter fills in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `field`: the field's value must be one of these.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// The ticket must carry at least one of these labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Matches when any condition holds. Omit it (or leave it empty) for the fallback tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusesSpec {
    /// Statuses that mean the ticket is resolved (case-insensitive). Moving out of one reopens it.
    pub resolved: Vec<String>,
}

impl Default for StatusesSpec {
    fn default() -> Self {
        StatusesSpec {
            resolved: ["Resolved", "Closed", "Rejected", "Done"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricsSpec {
    #[serde(default)]
    pub response: MetricSpec,
    #[serde(default)]
    pub resolution: MetricSpec,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricSpec {
    /// Statuses during which this metric's clock stops (case-insensitive).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paused_by: Vec<String>,
    /// Whether a reopened issue measures this metric again (`true`, the default: each cycle has
    /// its own clock) or keeps the first cycle's result (`false`: measured once per issue, as
    /// "first response" metrics in most service desks are).
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub restart_on_reopen: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Default for MetricSpec {
    fn default() -> Self {
        MetricSpec {
            paused_by: Vec::new(),
            restart_on_reopen: true,
            description: None,
        }
    }
}

fn default_true() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// A priority tier id.
    pub priority: String,
    /// A category id; a target with a category wins over one without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Time to first response, e.g. `4h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// Time to resolution, e.g. `3d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// The calendar the durations are counted on (default `24x7`).
    #[serde(default = "default_calendar")]
    pub calendar: String,
}

fn default_calendar() -> String {
    ALWAYS.to_string()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelSpec>,
    /// Actions taken once per cycle when a metric first goes at risk (`atRiskPercent` of its
    /// target used while the cycle is unresolved), before any level is reached.
    #[serde(rename = "atRisk", default, skip_serializing_if = "Option::is_none")]
    pub at_risk: Option<AtRiskSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// 1, 2, ... in order.
    pub level: u32,
    /// Who is escalated to, e.g. `IT manager`.
    pub role: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// When the level is reached, while the ticket is unresolved.
    pub trigger: TriggerSpec,
    /// What `sla-lens escalate` does once the level is reached, once per cycle (none: the level
    /// is only shown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionSpec>,
}

/// The at-risk threshold's actions (`escalation.atRisk`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AtRiskSpec {
    /// Who the at-risk actions reach (`watch`, `assign`, `email`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The person's user name in the tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// Redmine user: its numeric id (`"42"`) or login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redmine: Option<String>,
    /// GitHub login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<String>,
    /// GitLab username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitlab: Option<String>,
    /// Jira Cloud account id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jira: Option<String>,
}

impl Contact {
    /// Whether the contact has a user in any tracker (`handle` or a tracker's own identity).
    pub fn has_identity(&self) -> bool {
        [
            &self.handle,
            &self.redmine,
            &self.github,
            &self.gitlab,
            &self.jira,
        ]
        .iter()
        .any(|x| x.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// What an escalation action does (DESIGN.md "Escalation actions").
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// A comment on the issue: which target was missed, since when, who is responsible now.
    Note,
    /// Add the contacts as watchers (Redmine, Jira) or subscribers (GitHub, GitLab).
    Watch,
    /// Assign the issue to one contact.
    Assign,
    /// Set a label, a custom field or the priority.
    Set,
    /// E-mail the contacts over SMTP (for people who are not tracker users).
    Email,
    /// POST a JSON message to a URL (Slack, Microsoft Teams, Mattermost or a generic body).
    Webhook,
}

impl ActionKind {
    pub const ALL: [&'static str; 6] = ["note", "watch", "assign", "set", "email", "webhook"];

    pub fn as_str(self) -> &'static str {
        Self::ALL[self as usize]
    }

    /// Parses the name `as_str` gives.
    pub fn from_name(s: &str) -> Option<ActionKind> {
        Some(match s {
            "note" => ActionKind::Note,
            "watch" => ActionKind::Watch,
            "assign" => ActionKind::Assign,
            "set" => ActionKind::Set,
            "email" => ActionKind::Email,
            "webhook" => ActionKind::Webhook,
            _ => return None,
        })
    }
}

/// The body a webhook posts.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum WebhookPreset {
    /// `{"event": ..., "ticket": ..., "level": ..., "text": ...}`.
    #[default]
    Generic,
    /// A Slack incoming webhook: `{"text": ...}`.
    Slack,
    /// A Microsoft Teams incoming webhook (a message card).
    Teams,
    /// A Mattermost incoming webhook: `{"text": ...}`.
    Mattermost,
}

/// One escalation action. `kind` says which options apply: `private` and `text` (note), `contact`
/// (assign), `label`, `field` + `value`, `priority` (set), `subject` and `text` (email), `url`
/// and `preset` (webhook, `text` too).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    pub kind: ActionKind,
    /// note: a private note where the tracker has them (Redmine, GitLab internal notes, Jira
    /// with a restricted visibility); default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
    /// note, email, webhook: extra text after the generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// assign: which of the level's contacts, by position (default 0, the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<u32>,
    /// set: a label to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// set: a field (a custom field's name) to set to `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// set: the value of `field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// set: the priority to raise the issue to (the tracker's name for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// email: the subject (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// webhook: an absolute `https://` (or `http://`) URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// webhook: the body's form (default `generic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<WebhookPreset>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    Response,
    Resolution,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Response => "response",
            MetricKind::Resolution => "resolution",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum TimeBasis {
    /// Counted on the target's calendar, with the metric's pauses.
    #[default]
    Business,
    /// Wall-clock time after the deadline.
    Calendar,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TriggerSpec {
    /// The metric whose deadline the trigger is relative to.
    pub metric: MetricKind,
    /// How long after that deadline: a duration (`0h`, `2h`) or a share of the metric's target
    /// (`100%` = one more target).
    #[serde(default = "zero_after")]
    pub after: String,
    /// `business` (the target's calendar and pauses, the default) or `calendar` (wall clock).
    #[serde(default)]
    pub time: TimeBasis,
}

fn zero_after() -> String {
    "0h".into()
}

// ---------------------------------------------------------------------------------------------
// Checked form
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Seconds(i64),
    /// Percent of the metric's target.
    Percent(u32),
}

#[derive(Debug)]
pub struct Target {
    pub priority: usize,
    pub category: Option<usize>,
    pub response: Option<i64>,
    pub resolution: Option<i64>,
    pub calendar: usize,
}

#[derive(Debug)]
pub struct Level {
    pub spec: LevelSpec,
    pub after: After,
}

/// A checked policy, ready to evaluate tickets.
#[derive(Debug)]
pub struct Policy {
    pub spec: PolicySpec,
    /// `calendars[0]` is the built-in 24x7.
    pub calendars: Vec<Calendar>,
    pub targets: Vec<Target>,
    pub levels: Vec<Level>,
    /// Warnings found while loading (errors prevent loading).
    pub warnings: Vec<Diagnostic>,
}

impl Policy {
    /// Parses and checks a policy document, reporting every problem at once.
    ///
    /// # Errors
    /// The full list of diagnostics when any of them is an error.
    ///
    /// # Example
    /// ```
    /// let policy = sla_lens::Policy::from_json(sla_lens::DEFAULT_POLICY_JSON)?;
    /// assert_eq!(policy.spec.priorities[0].id, "critical");
    /// # Ok::<(), sla_lens::Diagnostics>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Policy, Diagnostics> {
        match validate::<PolicySpec>(text) {
            (Some(mut p), diags) => {
                p.warnings = diags;
                Ok(p)
            }
            (None, mut diags) => {
                sort_diagnostics(&mut diags);
                Err(Diagnostics(diags))
            }
        }
    }

    /// The built-in default policy (the seed SLA).
    pub fn default_policy() -> Policy {
        match Policy::from_json(DEFAULT_POLICY_JSON) {
            Ok(p) => p,
            // The default policy is pinned by tests; this branch is unreachable in a release.
            Err(d) => panic!("the built-in default policy is invalid: {d}"),
        }
    }

    /// Diagnostics of a policy document, errors and warnings, without keeping the policy.
    pub fn validate(text: &str) -> Vec<Diagnostic> {
        match Policy::from_json(text) {
            Ok(p) => p.warnings,
            Err(d) => d.0,
        }
    }

    pub fn calendar(&self, i: usize) -> &Calendar {
        &self.calendars[i]
    }

    pub fn calendar_by_name(&self, name: &str) -> Option<&Calendar> {
        self.calendars.iter().find(|c| c.name() == name)
    }

    /// The target for a priority tier and category, preferring the category-specific one.
    pub fn target_for(&self, priority: usize, category: Option<usize>) -> Option<&Target> {
        let exact = category.and_then(|c| {
            self.targets
                .iter()
                .find(|t| t.priority == priority && t.category == Some(c))
        });
        exact.or_else(|| {
            self.targets
                .iter()
                .find(|t| t.priority == priority && t.category.is_none())
        })
    }
}

fn sort_diagnostics(diags: &mut [Diagnostic]) {
    crate::util::order::sort_by_key(diags, |d| d.severity);
}

// ---------------------------------------------------------------------------------------------
// Parsing: section by section, element by element, so one typo does not hide the next
// ---------------------------------------------------------------------------------------------

/// A reader's error as a diagnostic: the code from its [`Kind`], a message that names the fix.
fn read_diagnostic(e: &located::Error, path: String) -> Diagnostic {
    let inner = &e.inner;
    match &e.kind {
        Kind::UnknownField { field, expected } => unknown_field(field, expected, path),
        Kind::MissingField(field) => Diagnostic::error(
            "missing-field",
            path,
            format!("missing field `{field}`: add it (see `sla-lens schema` for its form)"),
        ),
        Kind::UnknownVariant { variant, expected } => Diagnostic::error(
            "invalid-value",
            path,
            match expected {
                [] => format!("unknown value `{variant}`, there are no variants"),
                _ => format!("unknown value `{variant}`, expected {}", one_of(expected)),
            },
        ),
        Kind::InvalidType | Kind::InvalidValue => Diagnostic::error(
            "invalid-type",
            path,
            format!(
                "{}: change the value to the expected type",
                plain_types(&inner.to_string())
            ),
        ),
        Kind::InvalidLength | Kind::Custom => {
            Diagnostic::error("invalid-value", path, inner.to_string())
        }
    }
}

/// `unknown-field`: `field` is not one of `expected`.
fn unknown_field(field: &str, expected: &[&str], path: String) -> Diagnostic {
    let hint = match expected {
        [] => "remove it".to_string(),
        _ => format!(
            "expected {}; check the spelling or remove it",
            one_of(expected)
        ),
    };
    Diagnostic::error(
        "unknown-field",
        path,
        format!("unknown field `{field}`: {hint}"),
    )
}

/// The names, as serde lists them: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// serde names Rust types; policy authors write JSON.
fn plain_types(msg: &str) -> String {
    let mut out = msg
        .replace("u32", "a whole number")
        .replace("a sequence", "a list `[...]`")
        .replace("a map", "an object `{...}`");
    if let Some(i) = out.find("expected struct ") {
        out.truncate(i);
        out.push_str("expected an object `{...}`");
    }
    out
}

const TOP_LEVEL: [&str; 16] = [
    "$schema",
    "version",
    "id",
    "name",
    "description",
    "parties",
    "scope",
    "categories",
    "priorities",
    "calendars",
    "statuses",
    "metrics",
    "targets",
    "atRiskPercent",
    "escalation",
    "review",
];

/// Diagnostics that only follow from an element dropped for a structural error; they are not
/// reported when something was dropped, since fixing the element fixes them.
const CONSEQUENTIAL: [&str; 7] = [
    "unknown-priority",
    "unknown-category",
    "unknown-calendar",
    "missing-target",
    "unreachable-level",
    "levels-out-of-order",
    "no-fallback-tier",
];

impl Document for PolicySpec {
    type Valid = Policy;

    fn not_json(e: &serde_json::Error) -> Diagnostic {
        if crate::util::diagnostic::json_too_deep(e) {
            return Diagnostic::error(
                "json-too-deep",
                "",
                format!(
                    "the policy nests arrays and objects more than {} levels deep (at line {}, \
                     column {}), the most sla-lens reads: a policy needs a few levels; remove \
                     the extra brackets",
                    crate::util::diagnostic::MAX_JSON_DEPTH,
                    e.line(),
                    e.column()
                ),
            );
        }
        Diagnostic::error(
            "json-syntax",
            "",
            format!(
                "the policy is not valid JSON: {} at line {}, column {}; fix the syntax (a \
                 trailing comma or a missing quote is the usual cause)",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        )
    }

    fn refused(e: &located::Error, path: String) -> Diagnostic {
        read_diagnostic(e, path)
    }

    /// Section by section, element by element ([`Reader::element`]): each bad target, tier,
    /// calendar or level gets its own diagnostic and is left out, and the rest is still read.
    fn read(mut root: Value, r: &mut Reader) -> Option<PolicySpec> {
        let Value::Object(obj) = &mut root else {
            r.diags.push(Diagnostic::error(
                "invalid-type",
                "",
                "the policy must be a JSON object `{ ... }`: start from `sla-lens default-policy`",
            ));
            return None;
        };
        let unknown: Vec<String> = obj
            .keys()
            .filter(|k| !TOP_LEVEL.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            r.diags.push(unknown_field(&key, &TOP_LEVEL, key.clone()));
            obj.remove(&key);
        }
        for k in ["categories", "priorities", "targets"] {
            if let Some(Value::Array(items)) = obj.get_mut(k) {
                let mut keep = Vec::with_capacity(items.len());
                for (i, mut item) in std::mem::take(items).into_iter().enumerate() {
                    let path = index(k, i);
                    let ok = match k {
                        "targets" => r.element::<TargetSpec>(&mut item, &path).is_some(),
                        _ => r.element::<TierSpec>(&mut item, &path).is_some(),
                    };
                    if ok {
                        keep.push(item);
                    }
                }
                *items = keep;
            }
        }
        if let Some(Value::Object(cals)) = obj.get_mut("calendars") {
            let names: Vec<String> = cals.keys().cloned().collect();
            for name in names {
                let path = join("calendars", &name);
                let ok = cals
                    .get_mut(&name)
                    .is_some_and(|c| r.element::<CalendarSpec>(c, &path).is_some());
                if !ok {
                    cals.remove(&name);
                }
            }
        }
        if let Some(Value::Array(levels)) =
            obj.get_mut("escalation").and_then(|e| e.get_mut("levels"))
        {
            let mut keep = Vec::new();
            for (i, mut l) in std::mem::take(levels).into_iter().enumerate() {
                if r.element::<LevelSpec>(&mut l, &index("escalation.levels", i))
                    .is_some()
                {
                    keep.push(l);
                }
            }
            *levels = keep;
        }
        r.element::<PolicySpec>(&mut root, "")
    }

    /// [`check`]; when elements were left out for structural errors, the diagnostics that only
    /// follow from their absence ([`CONSEQUENTIAL`]) are not reported.
    fn check(self, r: &mut Reader) -> Option<Policy> {
        let structural = r.diags.len();
        let policy = check(self, &mut r.diags);
        if r.dropped {
            let mut i = 0;
            r.diags.retain(|d| {
                i += 1;
                i <= structural || !CONSEQUENTIAL.contains(&d.code)
            });
        }
        policy
    }
}

fn strip_position(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

// ---------------------------------------------------------------------------------------------
// Checking: every semantic rule, every problem pushed
// ---------------------------------------------------------------------------------------------

/// Every semantic rule, section by section, in the document's order (the diagnostics keep it);
/// the checked policy when nothing is an error.
fn check(spec: PolicySpec, diags: &mut Vec<Diagnostic>) -> Option<Policy> {
    check_header(&spec, diags);
    check_conditions(&spec.scope.include, "scope.include", diags);
    check_conditions(&spec.scope.exclude, "scope.exclude", diags);
    check_tiers(&spec.categories, "categories", false, diags);
    check_tiers(&spec.priorities, "priorities", true, diags);
    let (calendars, calendars_ok) = check_calendars(&spec, diags);
    check_statuses(&spec, diags);
    let targets = check_targets(&spec, &calendars, diags);
    let levels = check_escalation(&spec, &targets, diags);
    if !(1..=99).contains(&spec.at_risk_percent) {
        diags.push(Diagnostic::error(
            "at-risk-out-of-range",
            "atRiskPercent",
            format!(
                "{} is not a usable threshold: give a percent of the target between 1 and 99 \
                 (default 75)",
                spec.at_risk_percent
            ),
        ));
    }
    if let Some(r) = &spec.review {
        r.check("review", diags);
    }

    if !calendars_ok || diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Policy {
        spec,
        calendars,
        targets,
        levels,
        warnings: Vec::new(),
    })
}

/// `version`, the policy's `id` and `name`, its parties' names.
fn check_header(spec: &PolicySpec, diags: &mut Vec<Diagnostic>) {
    if spec.version != POLICY_VERSION {
        diags.push(Diagnostic::error(
            "unsupported-version",
            "version",
            format!(
                "policy format version {} is not supported: this build reads version \
                 {POLICY_VERSION}; set `\"version\": {POLICY_VERSION}`",
                spec.version
            ),
        ));
    }
    for (field, value) in [("id", &spec.id), ("name", &spec.name)] {
        if value.trim().is_empty() {
            diags.push(Diagnostic::error(
                "empty-value",
                field,
                format!("`{field}` is empty: give the policy a {field}"),
            ));
        }
    }
    for (p, party) in [
        ("parties.provider", &spec.parties.provider),
        ("parties.customer", &spec.parties.customer),
    ] {
        if party.name.trim().is_empty() {
            diags.push(Diagnostic::error(
                "empty-value",
                join(p, "name"),
                "the party's name is empty: name the department, e.g. `IT department`",
            ));
        }
    }
}

/// `calendars`: the built-in `24x7`, then each one that compiles; and whether all of them did.
fn check_calendars(spec: &PolicySpec, diags: &mut Vec<Diagnostic>) -> (Vec<Calendar>, bool) {
    let mut calendars = vec![Calendar::always()];
    let mut calendars_ok = true;
    for (name, cal) in &spec.calendars {
        let path = join("calendars", name);
        if name == ALWAYS {
            diags.push(Diagnostic::error(
                "reserved-name",
                path,
                "`24x7` is the built-in round-the-clock calendar: give your calendar another name",
            ));
            calendars_ok = false;
            continue;
        }
        match Calendar::compile(name, cal, &path, diags) {
            Some(c) => calendars.push(c),
            None => calendars_ok = false,
        }
    }
    (calendars, calendars_ok)
}

/// `statuses` and the metrics' `pausedBy`.
fn check_statuses(spec: &PolicySpec, diags: &mut Vec<Diagnostic>) {
    for (metric, m) in [
        ("response", &spec.metrics.response),
        ("resolution", &spec.metrics.resolution),
    ] {
        for (i, s) in m.paused_by.iter().enumerate() {
            if spec
                .statuses
                .resolved
                .iter()
                .any(|r| r.eq_ignore_ascii_case(s))
            {
                diags.push(Diagnostic::error(
                    "pause-is-resolved",
                    index(&format!("metrics.{metric}.pausedBy"), i),
                    format!(
                        "status `{s}` both pauses the {metric} clock and resolves the ticket: \
                         remove it from one of `metrics.{metric}.pausedBy` and `statuses.resolved`"
                    ),
                ));
            }
        }
    }
    if spec.statuses.resolved.is_empty() {
        diags.push(Diagnostic::error(
            "empty-value",
            "statuses.resolved",
            "no status resolves a ticket, so no ticket could ever be met: list the tracker's \
             closing statuses, e.g. `[\"Resolved\", \"Closed\"]`",
        ));
    }
}

/// `targets` against the tiers and `calendars`; the usable ones, compiled.
fn check_targets(
    spec: &PolicySpec,
    calendars: &[Calendar],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    let mut targets = Vec::new();
    let mut seen: Vec<(usize, Option<usize>, usize)> = Vec::new();
    for (i, t) in spec.targets.iter().enumerate() {
        let path = index("targets", i);
        let priority = spec.priorities.iter().position(|p| p.id == t.priority);
        if priority.is_none() {
            diags.push(Diagnostic::error(
                "unknown-priority",
                join(&path, "priority"),
                format!(
                    "no priority tier has id `{}`: use one of {}",
                    t.priority,
                    ids(&spec.priorities)
                ),
            ));
        }
        let category = match &t.category {
            None => Some(None),
            Some(c) => match spec.categories.iter().position(|x| &x.id == c) {
                Some(ci) => Some(Some(ci)),
                None => {
                    diags.push(Diagnostic::error(
                        "unknown-category",
                        join(&path, "category"),
                        format!(
                            "no category has id `{c}`: use one of {}",
                            ids(&spec.categories)
                        ),
                    ));
                    None
                }
            },
        };
        let calendar = if t.calendar == ALWAYS {
            Some(0)
        } else if spec.calendars.contains_key(&t.calendar) {
            calendars.iter().position(|c| c.name() == t.calendar)
        } else {
            let known: Vec<String> = std::iter::once(ALWAYS.to_string())
                .chain(spec.calendars.keys().cloned())
                .map(|k| format!("`{k}`"))
                .collect();
            diags.push(Diagnostic::error(
                "unknown-calendar",
                join(&path, "calendar"),
                format!(
                    "no calendar is named `{}`: use one of {}, or declare it under `calendars`",
                    t.calendar,
                    known.join(", ")
                ),
            ));
            None
        };
        let response = target_duration(t.response.as_deref(), &join(&path, "response"), diags);
        let resolution =
            target_duration(t.resolution.as_deref(), &join(&path, "resolution"), diags);
        if t.response.is_none() && t.resolution.is_none() {
            diags.push(Diagnostic::error(
                "empty-target",
                path.clone(),
                "the target sets neither `response` nor `resolution`: add at least one duration, \
                 e.g. `\"response\": \"4h\"`",
            ));
        }
        if let (Some(p), Some(c)) = (priority, category) {
            if let Some(&(_, _, j)) = seen.iter().find(|(sp, sc, _)| *sp == p && *sc == c) {
                diags.push(Diagnostic::error(
                    "duplicate-target",
                    path.clone(),
                    format!(
                        "`targets[{j}]` already covers priority `{}`{}: remove one of them",
                        t.priority,
                        t.category
                            .as_ref()
                            .map(|c| format!(" in category `{c}`"))
                            .unwrap_or_default()
                    ),
                ));
            }
            seen.push((p, c, i));
            if let (Some(cal), Some(Ok(r)), Some(Ok(s))) = (calendar, response, resolution) {
                targets.push(Target {
                    priority: p,
                    category: c,
                    response: r,
                    resolution: s,
                    calendar: cal,
                });
            }
        }
    }
    for (i, p) in spec.priorities.iter().enumerate() {
        if !seen.iter().any(|(sp, sc, _)| *sp == i && sc.is_none()) {
            diags.push(Diagnostic::warning(
                "missing-target",
                index("priorities", i),
                format!(
                    "priority `{}` has no target without a category, so its tickets outside the \
                     categories that have one get no SLA: add `{{\"priority\": \"{}\", \
                     \"response\": \"24h\"}}` to `targets`",
                    p.id, p.id
                ),
            ));
        }
    }
    targets
}

/// `escalation`: the at-risk notice, the levels and their order against `targets`.
fn check_escalation(
    spec: &PolicySpec,
    targets: &[Target],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Level> {
    if let Some(r) = &spec.escalation.at_risk {
        let path = "escalation.atRisk";
        for (j, c) in r.contacts.iter().enumerate() {
            if c.name.trim().is_empty() {
                diags.push(Diagnostic::error(
                    "empty-value",
                    join(&index(&join(path, "contacts"), j), "name"),
                    "the contact's name is empty: give the person's name",
                ));
            }
        }
        check_actions(&r.contacts, &r.actions, path, diags);
    }
    let mut levels = Vec::new();
    for (i, l) in spec.escalation.levels.iter().enumerate() {
        let path = index("escalation.levels", i);
        if l.level as usize != i + 1 {
            diags.push(Diagnostic::error(
                "levels-out-of-order",
                join(&path, "level"),
                format!(
                    "level {} is listed in position {}: number the levels 1, 2, 3… in the order \
                     they are reached",
                    l.level,
                    i + 1
                ),
            ));
        }
        if l.role.trim().is_empty() {
            diags.push(Diagnostic::error(
                "empty-value",
                join(&path, "role"),
                "the level's role is empty: name who is escalated to, e.g. `IT manager`",
            ));
        }
        for (j, c) in l.contacts.iter().enumerate() {
            if c.name.trim().is_empty() {
                diags.push(Diagnostic::error(
                    "empty-value",
                    join(&index(&join(&path, "contacts"), j), "name"),
                    "the contact's name is empty: give the person's name",
                ));
            }
        }
        check_actions(&l.contacts, &l.actions, &path, diags);
        let after = parse_after(&l.trigger.after, &join(&path, "trigger.after"), diags);
        if let Some(after) = after {
            if let Some(prev) = levels.last() {
                let prev: &Level = prev;
                // A duration and a share of the target compare only per target: each target
                // of that metric is checked.
                let durations: Vec<i64> = targets
                    .iter()
                    .filter_map(|t: &Target| match l.trigger.metric {
                        MetricKind::Response => t.response,
                        MetricKind::Resolution => t.resolution,
                    })
                    .collect();
                let same = prev.spec.trigger.metric == l.trigger.metric
                    && prev.spec.trigger.time == l.trigger.time;
                let mixed = durations
                    .iter()
                    .copied()
                    .find(|&d| same && crosses(prev.after, after, d));
                if let Some(d) = mixed {
                    diags.push(Diagnostic::error(
                        "levels-out-of-order",
                        join(&path, "trigger.after"),
                        format!(
                            "level {} triggers at `{}` after the {} deadline, before level {} \
                             (`{}`) for a `{}` {} target: a later level must trigger at the \
                             same time or later; give both as durations or both as shares",
                            l.level,
                            l.trigger.after,
                            l.trigger.metric.as_str(),
                            prev.spec.level,
                            prev.spec.trigger.after,
                            crate::time::duration::format_compact(d),
                            l.trigger.metric.as_str()
                        ),
                    ));
                } else if prev.spec.trigger.metric == l.trigger.metric
                    && prev.spec.trigger.time == l.trigger.time
                    && before_previous(prev.after, after)
                {
                    diags.push(Diagnostic::error(
                        "levels-out-of-order",
                        join(&path, "trigger.after"),
                        format!(
                            "level {} triggers at `{}` after the {} deadline, before level {} \
                             (`{}`): a later level must trigger at the same time or later",
                            l.level,
                            l.trigger.after,
                            l.trigger.metric.as_str(),
                            prev.spec.level,
                            prev.spec.trigger.after
                        ),
                    ));
                }
            }
            levels.push(Level {
                spec: l.clone(),
                after,
            });
        }
    }
    if spec
        .escalation
        .levels
        .iter()
        .any(|l| l.trigger.metric == MetricKind::Response)
        && !spec.targets.iter().any(|t| t.response.is_some())
        || spec
            .escalation
            .levels
            .iter()
            .any(|l| l.trigger.metric == MetricKind::Resolution)
            && !spec.targets.iter().any(|t| t.resolution.is_some())
    {
        diags.push(Diagnostic::error(
            "unreachable-level",
            "escalation.levels",
            "a level triggers on a metric that no target sets, so it can never be reached: add \
             that metric to `targets` or trigger on the other metric",
        ));
    }
    levels
}

fn before_previous(prev: After, next: After) -> bool {
    match (prev, next) {
        (After::Seconds(a), After::Seconds(b)) => b < a,
        (After::Percent(a), After::Percent(b)) => b < a,
        _ => false,
    }
}

/// A duration after a share of the target (or the reverse) that comes earlier for a target
/// of `d` seconds.
fn crosses(prev: After, next: After, d: i64) -> bool {
    let off = |a: After| match a {
        After::Seconds(s) => s,
        After::Percent(p) => d * i64::from(p) / 100,
    };
    matches!(
        (prev, next),
        (After::Seconds(_), After::Percent(_)) | (After::Percent(_), After::Seconds(_))
    ) && off(next) < off(prev)
}

fn ids(tiers: &[TierSpec]) -> String {
    if tiers.is_empty() {
        return "(none declared)".into();
    }
    tiers
        .iter()
        .map(|t| format!("`{}`", t.id))
        .collect::<Vec<_>>()
        .join(", ")
}

fn target_duration(
    text: Option<&str>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Result<Option<i64>, ()>> {
    let Some(text) = text else {
        return Some(Ok(None));
    };
    match duration::parse(text) {
        Ok(0) => {
            diags.push(Diagnostic::error(
                "zero-duration",
                path,
                format!("the target `{text}` is zero, so every ticket would breach at once: give a positive duration such as `4h`"),
            ));
            Some(Err(()))
        }
        Ok(s) => Some(Ok(Some(s))),
        Err(e) => {
            diags.push(Diagnostic::error("invalid-duration", path, e.to_string()));
            Some(Err(()))
        }
    }
}

fn parse_after(text: &str, path: &str, diags: &mut Vec<Diagnostic>) -> Option<After> {
    if let Some(p) = text.trim().strip_suffix('%') {
        return match p.trim().parse::<u32>() {
            Ok(v) if v <= 10_000 => Some(After::Percent(v)),
            _ => {
                diags.push(Diagnostic::error(
                    "invalid-duration",
                    path,
                    format!(
                        "`{text}` is not a share of the target: write a whole percent such as \
                         `100%` (one more target), or a duration such as `2h`"
                    ),
                ));
                None
            }
        };
    }
    match duration::parse(text) {
        Ok(s) => Some(After::Seconds(s)),
        Err(e) => {
            diags.push(Diagnostic::error(
                "invalid-duration",
                path,
                format!("{e}; a share of the target such as `100%` also works"),
            ));
            None
        }
    }
}

fn check_conditions(conds: &[Condition], path: &str, diags: &mut Vec<Diagnostic>) {
    for (i, c) in conds.iter().enumerate() {
        let p = index(path, i);
        let has_field = c.field.is_some() || c.one_of.is_some();
        if c.field.is_some() != c.one_of.is_some() {
            diags.push(Diagnostic::error(
                "incomplete-condition",
                p.clone(),
                "a condition with `field` needs `in` (and the other way round): write \
                 `{\"field\": \"priority\", \"in\": [\"Urgent\"]}`",
            ));
        }
        if !has_field && c.labels.is_none() {
            diags.push(Diagnostic::error(
                "empty-condition",
                p.clone(),
                "the condition tests nothing, so it would match every ticket: give \
                 `field` with `in`, or `labels`",
            ));
        }
        for (k, list) in [("in", &c.one_of), ("labels", &c.labels)] {
            if matches!(list, Some(l) if l.is_empty()) {
                diags.push(Diagnostic::error(
                    "empty-condition",
                    join(&p, k),
                    format!("`{k}` is an empty list, so the condition can never match: list at least one value"),
                ));
            }
        }
    }
}

fn check_tiers(tiers: &[TierSpec], path: &str, required: bool, diags: &mut Vec<Diagnostic>) {
    if required && tiers.is_empty() {
        diags.push(Diagnostic::error(
            "empty-value",
            path,
            "no priority tiers are declared: declare at least one, e.g. `{\"id\": \"normal\", \
             \"name\": \"Normal\"}` as the fallback",
        ));
    }
    let mut fallback: Option<usize> = None;
    for (i, t) in tiers.iter().enumerate() {
        let p = index(path, i);
        if t.id.trim().is_empty() {
            diags.push(Diagnostic::error(
                "empty-value",
                join(&p, "id"),
                "the tier's id is empty: give it a short id such as `critical`",
            ));
        }
        if let Some(j) = tiers[..i].iter().position(|o| o.id == t.id) {
            diags.push(Diagnostic::error(
                "duplicate-id",
                join(&p, "id"),
                format!(
                    "`{}` is already the id of `{path}[{j}]`: ids must be unique",
                    t.id
                ),
            ));
        }
        if let Some(f) = fallback {
            diags.push(Diagnostic::warning(
                "unreachable-tier",
                p.clone(),
                format!(
                    "`{}` can never match: `{path}[{f}]` has no `when` and catches every ticket \
                     first; move the fallback to the end",
                    t.id
                ),
            ));
        }
        check_conditions(&t.when, &join(&p, "when"), diags);
        if t.when.is_empty() && fallback.is_none() {
            fallback = Some(i);
        }
    }
    if !tiers.is_empty() && fallback.is_none() {
        diags.push(Diagnostic::warning(
            "no-fallback-tier",
            path,
            format!(
                "no tier in `{path}` is a fallback, so a ticket matching none of them gets no \
                 SLA: add a last tier without `when`"
            ),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Escalation actions (DESIGN.md "Escalation actions")
// ---------------------------------------------------------------------------------------------

/// The options each action kind takes, in [`ActionKind`] order.
const ACTION_OPTIONS: [&[&str]; 6] = [
    &["private", "text"],
    &[],
    &["contact"],
    &["label", "field", "value", "priority"],
    &["subject", "text"],
    &["url", "preset", "text"],
];

/// Kinds a level takes at most once: a second one repeats the first or contradicts it.
const ONCE_PER_LEVEL: [ActionKind; 4] = [
    ActionKind::Note,
    ActionKind::Watch,
    ActionKind::Assign,
    ActionKind::Email,
];

/// The options an action sets, as JSON names.
fn options_set(a: &ActionSpec) -> impl Iterator<Item = &'static str> + '_ {
    [
        ("private", a.private.is_some()),
        ("text", a.text.is_some()),
        ("contact", a.contact.is_some()),
        ("label", a.label.is_some()),
        ("field", a.field.is_some()),
        ("value", a.value.is_some()),
        ("priority", a.priority.is_some()),
        ("subject", a.subject.is_some()),
        ("url", a.url.is_some()),
        ("preset", a.preset.is_some()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(k, _)| k)
}

/// One address, `local@domain`, without spaces or control characters (a header injection needs
/// a line break).
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}

/// An absolute `http://` or `https://` URL with a host, without spaces or control characters.
pub(crate) fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks the contacts' identities and the actions of one level (or of `escalation.atRisk`) at
/// `path`.
fn check_actions(
    contacts: &[Contact],
    actions: &[ActionSpec],
    path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let cpath = |j: usize| index(&join(path, "contacts"), j);
    for (j, c) in contacts.iter().enumerate() {
        for (key, v) in [
            ("email", &c.email),
            ("handle", &c.handle),
            ("redmine", &c.redmine),
            ("github", &c.github),
            ("gitlab", &c.gitlab),
            ("jira", &c.jira),
        ] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                diags.push(Diagnostic::error(
                    "empty-value",
                    join(&cpath(j), key),
                    format!("the contact's `{key}` is empty: fill it in or remove it"),
                ));
            }
        }
    }
    // Contacts that need a tracker user, each reported once.
    let mut need_identity = vec![None; contacts.len()];
    let mut seen: Vec<ActionKind> = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let apath = index(&join(path, "actions"), i);
        let kind = a.kind.as_str();
        let allowed = ACTION_OPTIONS[a.kind as usize];
        for opt in options_set(a).filter(|o| !allowed.contains(o)) {
            let takes = if allowed.is_empty() {
                "it takes no options".to_string()
            } else {
                format!(
                    "it takes {}",
                    allowed
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            diags.push(Diagnostic::error(
                "option-not-applicable",
                join(&apath, opt),
                format!(
                    "`{opt}` does not apply to a `{kind}` action ({takes}): remove it, or fix \
                     `kind`"
                ),
            ));
        }
        if ONCE_PER_LEVEL.contains(&a.kind) {
            if seen.contains(&a.kind) {
                diags.push(Diagnostic::error(
                    "duplicate-action",
                    join(&apath, "kind"),
                    format!(
                        "a second `{kind}` action here: a level takes one `note`, `watch`, \
                         `assign` and `email` each (a second one repeats or contradicts the \
                         first); merge them into one"
                    ),
                ));
            } else {
                seen.push(a.kind);
            }
        }
        let needs_contacts = matches!(
            a.kind,
            ActionKind::Watch | ActionKind::Assign | ActionKind::Email
        );
        if needs_contacts && contacts.is_empty() {
            diags.push(Diagnostic::error(
                "no-contacts",
                apath.clone(),
                format!(
                    "a `{kind}` action reaches the contacts, and there are none: add the person \
                     under `{}`",
                    join(path, "contacts")
                ),
            ));
            continue;
        }
        match a.kind {
            ActionKind::Watch => {
                for slot in need_identity.iter_mut() {
                    slot.get_or_insert(kind);
                }
            }
            ActionKind::Assign => {
                let j = a.contact.unwrap_or(0) as usize;
                match need_identity.get_mut(j) {
                    Some(slot) => {
                        slot.get_or_insert(kind);
                    }
                    None => diags.push(Diagnostic::error(
                        "unknown-contact",
                        join(&apath, "contact"),
                        format!(
                            "there is no contact {j}: contacts are numbered from 0, and there \
                             {} {}; give the position of the person to assign",
                            if contacts.len() == 1 { "is" } else { "are" },
                            contacts.len()
                        ),
                    )),
                }
            }
            ActionKind::Email => {
                if !contacts.iter().any(|c| c.email.is_some()) {
                    diags.push(Diagnostic::error(
                        "no-email-address",
                        apath.clone(),
                        format!(
                            "an `email` action, and no contact has an `email`: add the address \
                             to the contacts under `{}`",
                            join(path, "contacts")
                        ),
                    ));
                }
                for (j, c) in contacts.iter().enumerate() {
                    if let Some(e) = c.email.as_deref().filter(|e| !e.trim().is_empty()) {
                        if !is_email(e) {
                            diags.push(Diagnostic::error(
                                "invalid-email",
                                join(&cpath(j), "email"),
                                format!(
                                    "`{e}` is not one e-mail address: write it as \
                                     `name@example.com`, without spaces or a display name"
                                ),
                            ));
                        }
                    }
                }
            }
            ActionKind::Webhook => match a.url.as_deref() {
                None => diags.push(Diagnostic::error(
                    "incomplete-action",
                    apath.clone(),
                    "a `webhook` action without `url`: add the incoming webhook's URL, e.g. \
                     `\"url\": \"https://hooks.slack.com/services/…\"`",
                )),
                Some(u) if !is_http_url(u) => diags.push(Diagnostic::error(
                    "invalid-url",
                    join(&apath, "url"),
                    format!(
                        "`{u}` is not an absolute `https://` (or `http://`) URL: paste the \
                         webhook's full URL"
                    ),
                )),
                Some(_) => {}
            },
            ActionKind::Set => {
                let what = [a.label.is_some(), a.field.is_some(), a.priority.is_some()]
                    .iter()
                    .filter(|x| **x)
                    .count();
                if what != 1 {
                    diags.push(Diagnostic::error(
                        "incomplete-action",
                        apath.clone(),
                        "a `set` action sets one thing: give exactly one of `label`, `field` \
                         (with `value`) or `priority`; use one `set` action per change",
                    ));
                } else if a.field.is_some() != a.value.is_some() {
                    diags.push(Diagnostic::error(
                        "incomplete-action",
                        apath.clone(),
                        "`field` and `value` go together: give the field's name and the value \
                         to set it to",
                    ));
                }
                for (key, v) in [
                    ("label", &a.label),
                    ("field", &a.field),
                    ("value", &a.value),
                    ("priority", &a.priority),
                ] {
                    if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                        diags.push(Diagnostic::error(
                            "empty-value",
                            join(&apath, key),
                            format!("`{key}` is empty: give what to set"),
                        ));
                    }
                }
            }
            ActionKind::Note => {}
        }
    }
    for (j, why) in need_identity.iter().enumerate() {
        if let (Some(kind), Some(c)) = (why, contacts.get(j)) {
            if !c.has_identity() {
                diags.push(Diagnostic::warning(
                    "no-tracker-identity",
                    cpath(j),
                    format!(
                        "contact `{}` has no tracker user, so the `{kind}` action cannot reach \
                         them on any tracker: add their `redmine` id or login, `github` or \
                         `gitlab` username, `jira` account id, or `handle`",
                        c.name
                    ),
                ));
            }
        }
    }
}
