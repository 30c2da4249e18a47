//! What the executor needs of a tracker: read the open issues and one issue in full, post a
//! note, and the idempotent actions (watch, assign, set). One implementation per tracker kind;
//! the executor (`mod.rs`) holds the exactly-once protocol, the same for all.

use super::http::HttpError;
use serde_json::Value;
use sla_lens::policy::{ActionSpec, Contact};

/// One note (journal, comment) of an issue.
#[derive(Debug, Clone)]
pub struct Note {
    /// The tracker's id: increasing in posting order on one issue (Redmine journal ids, GitHub
    /// and GitLab comment ids, Jira comment ids).
    pub id: u64,
    /// Written by the account sla-lens runs as: only its markers and claims count.
    pub by_me: bool,
    pub text: String,
}

/// An issue as the tracker's list shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    /// The documents the adapter maps to its snapshot ticket (with [`Tracker::context`]'s).
    pub texts: Vec<String>,
}

/// An issue in full.
#[derive(Debug, Clone, Default)]
pub struct Full {
    /// The documents the adapter maps to its ticket (with [`Tracker::context`]'s).
    pub texts: Vec<String>,
    /// In posting order.
    pub notes: Vec<Note>,
    pub labels: Vec<String>,
    /// The issue's answer, for the writes that need its current fields (custom field ids,
    /// priority).
    pub raw: serde_json::Value,
}

/// A failed tracker request: which request, and why.
#[derive(Debug, Clone)]
pub struct Failure {
    pub request: String,
    pub error: HttpError,
}

impl Failure {
    pub fn new(request: impl Into<String>, error: HttpError) -> Failure {
        Failure {
            request: request.into(),
            error,
        }
    }

    /// A failure that is not an HTTP answer (a contact that cannot be resolved, a field the
    /// issue does not have).
    pub fn config(request: impl Into<String>, message: impl Into<String>) -> Failure {
        Failure {
            request: request.into(),
            error: HttpError {
                message: message.into(),
            },
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.request, self.error)
    }
}

pub trait Tracker: Sync {
    /// The secret to scrub from every text the run prints.
    fn secret(&self) -> &str;
    /// Who sla-lens is here (the account the key belongs to), read once per run.
    fn login(&mut self) -> Result<(), Failure>;
    /// Documents every issue's mapping needs beside the issue (Redmine's status list).
    fn context(&self) -> Result<Vec<String>, Failure>;
    /// The open issues, every page (a page that cannot be read fails the list).
    fn list_open(&self) -> Result<Vec<Listed>, Failure>;
    /// The request that reads one issue in full (for the run's log).
    fn read_path(&self, id: &str) -> String;
    fn read(&self, id: &str) -> Result<Full, Failure>;
    /// Why this tracker can never perform `action` for these contacts (checked before claiming,
    /// so an impossible action is reported, not claimed again and again).
    fn cannot(&self, action: &ActionSpec, contacts: &[Contact]) -> Option<String> {
        let _ = (action, contacts);
        None
    }
    /// Posts a note; `private` where the tracker has private notes.
    fn post_note(&self, id: &str, text: &str, private: bool) -> Result<(), Failure>;
    /// Puts the contacts on the issue as watchers (a no-op for one already watching).
    fn watch(&self, id: &str, contacts: &[Contact]) -> Result<(), Failure>;
    fn assign(&self, id: &str, contact: &Contact) -> Result<(), Failure>;
    /// A label, a custom field or a priority raise (never a lowering).
    fn set(&self, id: &str, action: &ActionSpec, full: &Full) -> Result<(), Failure>;
}

/// GET `path` from `client` as JSON.
pub fn get_json(client: &super::http::Client, path: &str) -> Result<serde_json::Value, Failure> {
    let text = client.get(path).map_err(|e| Failure::new(path, e))?;
    serde_json::from_str(&text).map_err(|e| Failure::config(path, format!("not JSON ({e})")))
}

/// Every item of a paged list answer (`per_page=100&page=N`, GitHub and GitLab): pages are read
/// until one comes back shorter than 100; `path` ends in `?…` or has no query.
pub fn all_pages(
    client: &super::http::Client,
    path: &str,
) -> Result<Vec<serde_json::Value>, Failure> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    // A bound against a tracker that never returns a short page.
    for page in 1..=1000 {
        let p = format!("{path}{sep}per_page=100&page={page}");
        let v = get_json(client, &p)?;
        let items = v
            .as_array()
            .ok_or_else(|| Failure::config(&p, "not a list"))?;
        let n = items.len();
        out.extend(items.iter().cloned());
        if n < 100 {
            break;
        }
    }
    Ok(out)
}

/// A contact's user name on a tracker: its own identity there (`github`, `gitlab`, `jira`), else
/// its `handle`.
pub fn identity<'c>(own: Option<&'c str>, c: &'c Contact) -> Option<&'c str> {
    own.or(c.handle.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// GitHub's and GitLab's priority is a label (`priority:high`): which of two such labels is the
/// higher comes from the policy's priority tiers, taken highest first (the seed lists critical
/// before normal). A value ranks as the first tier whose id or name it is, or whose `when` names
/// it (a `priority` field value, or a label with or without the prefix).
#[derive(Debug, Clone, Default)]
pub struct PriorityOrder {
    pub prefix: Option<String>,
    /// Per tier, highest first: the values that stand for it (lower-cased).
    tiers: Vec<Vec<String>>,
}

impl PriorityOrder {
    pub fn new(prefix: Option<String>, policy: &sla_lens::Policy) -> PriorityOrder {
        let p = prefix.clone().unwrap_or_default().to_lowercase();
        let tiers = policy
            .spec
            .priorities
            .iter()
            .map(|t| {
                let mut names = vec![t.id.to_lowercase(), t.name.to_lowercase()];
                for c in &t.when {
                    if c.field.as_deref() == Some("priority") {
                        names.extend(c.one_of.iter().flatten().map(|v| v.to_lowercase()));
                    }
                    for l in c.labels.iter().flatten() {
                        let l = l.to_lowercase();
                        names.push(l.strip_prefix(&p).unwrap_or(&l).to_string());
                    }
                }
                names
            })
            .collect();
        PriorityOrder { prefix, tiers }
    }

    /// The tier `value` stands for: 0 is the highest.
    pub fn rank(&self, value: &str) -> Option<usize> {
        let v = value.trim().to_lowercase();
        self.tiers.iter().position(|names| names.contains(&v))
    }

    /// The label that raises an issue carrying `labels` to `want`, or `None` when it carries one
    /// already as high or higher (or `want` itself): a raise never lowers.
    pub fn raise(&self, labels: &[String], want: &str) -> Option<String> {
        let prefix = self.prefix.as_deref()?;
        let label = format!("{prefix}{want}");
        let current: Vec<&str> = labels
            .iter()
            .filter_map(|l| {
                let head = l.get(..prefix.len())?;
                head.eq_ignore_ascii_case(prefix)
                    .then(|| &l[prefix.len()..])
            })
            .collect();
        if current.iter().any(|c| c.trim().eq_ignore_ascii_case(want)) {
            return None;
        }
        let target = self.rank(want);
        let higher = current.iter().any(|c| match (self.rank(c), target) {
            (Some(r), Some(t)) => r <= t,
            _ => false,
        });
        (!higher).then_some(label)
    }
}

/// The notes of a tracker's comment objects, in posting order: the id (a number, or a number in
/// a string), whether `mine` says the comment is by the sla-lens account, and the text at `body`
/// (empty when absent). Comments without an id are skipped.
pub fn notes_from<'a>(
    comments: impl IntoIterator<Item = &'a Value>,
    mine: impl Fn(&Value) -> bool,
) -> Vec<Note> {
    let mut notes: Vec<Note> = comments
        .into_iter()
        .filter_map(|c| {
            let id = c.get("id")?;
            let id = id
                .as_u64()
                .or_else(|| id.as_str().and_then(|s| s.parse().ok()))?;
            Some(Note {
                id,
                by_me: mine(c),
                text: c
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            })
        })
        .collect();
    notes.sort_by_key(|n| n.id);
    notes
}

/// Label names from an array of names or of `{"name": …}` objects (GitHub, GitLab, Jira).
pub fn label_names(labels: Option<&Value>) -> Vec<String> {
    labels
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().or_else(|| l.get("name").and_then(Value::as_str)))
        .map(str::to_string)
        .collect()
}

/// `set` on a tracker whose issues have labels but no priority or custom fields (GitHub,
/// GitLab): a label is added; a priority is the site's priority label, added only when no label
/// as high or higher is there; a custom field cannot be set.
pub fn set_by_labels(
    tracker: &str,
    priority: &PriorityOrder,
    action: &ActionSpec,
    full: &Full,
    add_label: impl Fn(&str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    if let Some(label) = &action.label {
        return add_label(label);
    }
    if let Some(p) = &action.priority {
        priority.prefix.as_deref().ok_or_else(|| {
            Failure::config(
                "set",
                format!(
                    "{tracker} has no priority field and the site maps priority from no label \
                     prefix: use `label` instead"
                ),
            )
        })?;
        return match priority.raise(&full.labels, p) {
            Some(label) => add_label(&label),
            None => Ok(()), // as high or higher already: a raise never lowers
        };
    }
    if let Some(why) = no_custom_fields(tracker, action) {
        return Err(Failure::config("set", why));
    }
    Err(Failure::config("set", "nothing to set"))
}

/// Why a `set` of a custom field cannot work on a tracker without them (checked before
/// claiming).
pub fn no_custom_fields(tracker: &str, action: &ActionSpec) -> Option<String> {
    (action.kind == sla_lens::policy::ActionKind::Set
        && action.field.is_some()
        && action.label.is_none()
        && action.priority.is_none())
    .then(|| format!("{tracker} issues have no custom fields: use `label` instead"))
}

#[cfg(test)]
mod tests {
    use super::PriorityOrder;

    #[test]
    fn a_priority_label_raises_never_lowers() {
        let policy = sla_lens::Policy::from_json(
            r#"{"version": 1, "id": "p", "name": "P",
              "parties": {"provider": {"name": "IT"}, "customer": {"name": "M"}},
              "priorities": [
                {"id": "critical", "name": "Critical", "when": [{"labels": ["priority:critical", "urgent"]}]},
                {"id": "high", "name": "High", "when": [{"field": "priority", "in": ["P2"]}]},
                {"id": "normal", "name": "Normal"}],
              "targets": [{"priority": "normal", "response": "4h"}, {"priority": "high", "response": "2h"},
                          {"priority": "critical", "response": "1h"}]}"#,
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let o = PriorityOrder::new(Some("priority:".into()), &policy);
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(o.rank("CRITICAL"), Some(0));
        assert_eq!(o.rank("urgent"), Some(0));
        assert_eq!(o.rank("p2"), Some(1));
        assert_eq!(o.rank("whatever"), None);
        // Raised from normal, or from nothing.
        assert_eq!(
            o.raise(&l(&["priority:normal", "bug"]), "High").as_deref(),
            Some("priority:High")
        );
        assert_eq!(
            o.raise(&l(&["bug"]), "High").as_deref(),
            Some("priority:High")
        );
        // Already that high, or higher: nothing.
        assert_eq!(o.raise(&l(&["Priority:high"]), "High"), None);
        assert_eq!(o.raise(&l(&["priority:critical"]), "High"), None);
        assert_eq!(o.raise(&l(&["priority:P2"]), "High"), None);
        // A value the policy does not rank is not taken as higher.
        assert_eq!(
            o.raise(&l(&["priority:odd"]), "Critical").as_deref(),
            Some("priority:Critical")
        );
        // No prefix: no label to add.
        assert_eq!(PriorityOrder::new(None, &policy).raise(&[], "High"), None);
    }
}
