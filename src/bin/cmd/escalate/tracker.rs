//! What the executor needs of a tracker: read the open issues and one issue in full, post a
//! note, and the idempotent actions (watch, assign, set). One implementation per tracker kind;
//! the executor (`mod.rs`) holds the exactly-once protocol, the same for all.

use super::http::HttpError;
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
    /// The answer, for the writes that need its current fields (custom field ids,
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
