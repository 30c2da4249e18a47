//! `sla-lens escalate`: reads a tracker's open issues over its REST API, evaluates them and plans
//! the escalation actions due (DESIGN.md "Escalation actions: what is due, exactly once" and
//! "The escalate command: what it reads"). This step is the read-only half: `--dry-run` prints
//! the plan; performing it is not implemented yet.
//!
//! The network lives here, in the CLI: the core (`sla_lens::escalate::plan`) stays pure. The API
//! key comes from the environment (`SLA_LENS_REDMINE_KEY`) or a file
//! (`SLA_LENS_REDMINE_KEY_FILE`), is sent only to the given origin (no redirects, no proxy) and
//! is never printed, also not in errors.

use serde_json::{json, Value};
use sla_lens::adapters::{self, SiteConfig, StaffRule, TrackerKind};
use sla_lens::escalate::{self, ActionKey, Stage};
use sla_lens::eval::Applicability;
use sla_lens::ticket::format_instant;
use sla_lens::{evaluate, Policy, Ticket};
use std::io::Read;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Exit codes (README "Escalation actions"): a scheduler alerts on anything but 0.
pub const EXIT_OK: u8 = 0;
/// Some issues could not be read or evaluated; the others were planned.
pub const EXIT_FAULTS: u8 = 1;
/// Usage or configuration: bad arguments, no key, an invalid policy or site file.
pub const EXIT_USAGE: u8 = 2;
/// The run failed as a whole: the tracker could not be reached, refused the key, or its issue
/// list could not be read.
pub const EXIT_FAILED: u8 = 3;

/// Requests in flight at once while reading issues in full.
const POOL: usize = 4;
/// Issues per list page (Redmine's maximum).
const PAGE: usize = 100;
/// Attempts per request on a 5xx, a 429 or a transport error.
const ATTEMPTS: u32 = 3;

pub struct Args {
    pub tracker: String,
    pub url: String,
    pub site: Option<String>,
    pub policy: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub now: Option<i64>,
}

/// A run's failure before any planning, with its exit code.
pub struct Fatal(pub u8, pub String);

fn usage(m: impl Into<String>) -> Fatal {
    Fatal(EXIT_USAGE, m.into())
}

/// The tracker's base: `scheme://host[:port][/prefix]`, no user info, query or fragment.
fn base_url(url: &str) -> Result<String, Fatal> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| usage("--url: give the tracker's http:// or https:// address"))?;
    if rest.contains(['?', '#', '@']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(usage(
            "--url: the tracker's address only (no user name, query or fragment)",
        ));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(usage("--url: no host"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The API key: `SLA_LENS_REDMINE_KEY`, or the first line of the file
/// `SLA_LENS_REDMINE_KEY_FILE` names. Never echoed.
fn api_key(var: &str) -> Result<String, Fatal> {
    let file_var = format!("{var}_FILE");
    let direct = std::env::var(var).ok().filter(|s| !s.is_empty());
    let file = std::env::var(&file_var).ok().filter(|s| !s.is_empty());
    let key = match (direct, file) {
        (Some(_), Some(_)) => {
            return Err(usage(format!(
                "both {var} and {file_var} are set: keep one"
            )))
        }
        (Some(k), None) => k,
        (None, Some(path)) => {
            let mut s = String::new();
            std::fs::File::open(&path)
                .and_then(|mut f| f.read_to_string(&mut s))
                .map_err(|e| usage(format!("{file_var}: cannot read `{path}`: {}", e.kind())))?;
            s.lines().next().unwrap_or("").to_string()
        }
        (None, None) => {
            return Err(usage(format!(
                "no API key: set {var} or {file_var} (a file holding the key)"
            )))
        }
    };
    let key = key.trim().to_string();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(usage(format!(
            "the API key from {var}/{file_var} is empty or has characters a key cannot have"
        )));
    }
    Ok(key)
}

/// One request that failed after its retries.
#[derive(Debug, Clone)]
struct Fault {
    /// The issue, when the request was for one.
    issue: Option<String>,
    /// The path and query asked for (never the key: it travels in a header).
    path: String,
    error: String,
}

struct Client {
    agent: ureq::Agent,
    base: String,
    key: String,
    /// The pause before the second attempt (doubled before the third).
    backoff: Duration,
}

impl Client {
    fn new(base: String, key: String) -> Client {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .proxy(None)
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .user_agent(concat!("sla-lens/", env!("CARGO_PKG_VERSION")))
            .build();
        let backoff = std::env::var("SLA_LENS_BACKOFF_MS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .map_or(Duration::from_millis(500), Duration::from_millis);
        Client {
            agent: ureq::Agent::new_with_config(config),
            base,
            key,
            backoff,
        }
    }

    /// GET `path` (from the base), retried on a 5xx, a 429 (after its `Retry-After`, at most
    /// 30 s) and a transport error; the body as text.
    fn get(&self, path: &str) -> Result<String, String> {
        let url = format!("{}{path}", self.base);
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                std::thread::sleep(self.backoff * (1 << (attempt - 1)));
            }
            let resp = self
                .agent
                .get(&url)
                .header("X-Redmine-API-Key", &self.key)
                .header("Accept", "application/json")
                .call();
            let mut resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    last = scrub(&e.to_string(), &self.key);
                    continue;
                }
            };
            let status = resp.status().as_u16();
            if status == 200 {
                return resp
                    .body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_string()
                    .map_err(|e| scrub(&e.to_string(), &self.key));
            }
            last = format!("HTTP {status}");
            match status {
                429 => {
                    let wait = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s.min(30)));
                    if let Some(w) = wait {
                        if attempt + 1 < ATTEMPTS {
                            std::thread::sleep(w);
                        }
                    }
                }
                500..=599 => {}
                300..=399 => {
                    return Err(format!(
                        "HTTP {status}: a redirect, not followed (the key goes to --url only)"
                    ))
                }
                401 | 403 => return Err(format!("HTTP {status}: the API key was refused")),
                _ => return Err(last),
            }
        }
        Err(last)
    }
}

/// `text` without the key in it (an error message should never carry it, but make sure).
fn scrub(text: &str, key: &str) -> String {
    if key.is_empty() {
        text.to_string()
    } else {
        text.replace(key, "[key]")
    }
}

/// `key` as the run's output names it: `c1 L1 note#0`, `c1 AR-response note#0`.
fn key_text(k: &ActionKey) -> String {
    let stage = match k.stage {
        Stage::Level(n) => format!("L{n}"),
        Stage::AtRisk(m) => format!("AR-{}", m.as_str()),
    };
    format!("c{} {stage} {}#{}", k.cycle, k.kind.as_str(), k.ordinal)
}

/// The markers recorded on a full issue response: `sla-lens:escalated` lines in the notes of
/// journals written by the sla-lens user (`me`) only.
fn recorded(ticket: &str, issue: &Value, me: i64) -> Vec<ActionKey> {
    let mut done = Vec::new();
    let journals = issue
        .pointer("/issue/journals")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for j in journals {
        if j.pointer("/user/id").and_then(Value::as_i64) != Some(me) {
            continue;
        }
        if let Some(notes) = j.get("notes").and_then(Value::as_str) {
            done.extend(escalate::parse_markers(ticket, notes));
        }
    }
    done
}

/// The issues of a list page and the total the tracker reports.
fn list_page(text: &str) -> Result<(Vec<Value>, Option<u64>), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not an issue list ({e})"))?;
    let issues = v
        .get("issues")
        .and_then(Value::as_array)
        .ok_or("not an issue list (no `issues`)")?
        .clone();
    Ok((issues, v.get("total_count").and_then(Value::as_u64)))
}

pub fn run(a: Args) -> Result<ExitCode, Fatal> {
    let kind: TrackerKind = a.tracker.parse().map_err(usage)?;
    if kind != TrackerKind::Redmine {
        return Err(usage(format!(
            "escalate reads Redmine only so far (--tracker redmine); {kind} comes next"
        )));
    }
    if !a.dry_run {
        return Err(usage(
            "performing the actions is not implemented yet: run with --dry-run to see the plan",
        ));
    }
    let base = base_url(&a.url)?;
    let policy = match a.policy.as_deref() {
        None => Policy::default_policy(),
        Some(p) => {
            let text =
                std::fs::read_to_string(p).map_err(|e| usage(format!("cannot read `{p}`: {e}")))?;
            Policy::from_json(&text).map_err(|d| usage(format!("{p}: {d}")))?
        }
    };
    let mut site = match a.site.as_deref() {
        None => SiteConfig::default_for(kind),
        Some(p) => {
            let text =
                std::fs::read_to_string(p).map_err(|e| usage(format!("cannot read `{p}`: {e}")))?;
            SiteConfig::from_json(&text).map_err(|d| {
                let lines: Vec<String> = d.0.iter().map(|x| x.to_string()).collect();
                usage(format!("{p}:\n  {}", lines.join("\n  ")))
            })?
        }
    };
    if site.tracker != kind {
        return Err(usage(format!(
            "the site file is for {}, not {kind}",
            site.tracker
        )));
    }
    if matches!(site.staff, StaffRule::Groups(_)) {
        return Err(usage(
            "a site whose staff are Redmine groups is not supported by escalate yet: list the \
             staff users (`staff: {\"users\": [...]}`)",
        ));
    }
    if site.origin.is_none() {
        site.origin = Some(base.clone());
    }
    let key = api_key("SLA_LENS_REDMINE_KEY")?;
    let client = Client::new(base.clone(), key);
    let failed = |what: &str, e: String| Fatal(EXIT_FAILED, format!("{base}{what}: {e}"));

    // Who sla-lens is on this tracker: only its notes' markers count.
    let me_text = client
        .get("/users/current.json")
        .map_err(|e| failed("/users/current.json", e))?;
    let me = serde_json::from_str::<Value>(&me_text)
        .ok()
        .and_then(|v| v.pointer("/user/id").and_then(Value::as_i64))
        .ok_or_else(|| failed("/users/current.json", "no user id in the answer".into()))?;
    let statuses = client
        .get("/issue_statuses.json")
        .map_err(|e| failed("/issue_statuses.json", e))?;

    // The open issues, a page at a time until `total_count`.
    let mut listed: Vec<Value> = Vec::new();
    let mut offset = 0usize;
    loop {
        let path = format!("/issues.json?status_id=open&sort=id&limit={PAGE}&offset={offset}");
        let text = client.get(&path).map_err(|e| failed(&path, e))?;
        let (issues, total) = list_page(&text).map_err(|e| failed(&path, e))?;
        let n = issues.len();
        listed.extend(issues);
        offset += n;
        if n == 0 || total.is_none_or(|t| offset as u64 >= t) {
            break;
        }
    }

    // Which of them a full read could make due: those in scope with a target. Scope and
    // targets depend on an issue's current fields only, which the list has (DESIGN.md
    // "Snapshots"); everything else (replies, pauses, reopenings) needs the journals.
    let list_now = a.now.unwrap_or_else(super::now_seconds);
    let mut candidates: Vec<String> = Vec::new();
    // An issue seen on two pages (the list shifted while it was paged) is read once.
    let mut seen = std::collections::HashSet::new();
    let mut out_of_scope = 0usize;
    let statuses_ref = statuses.as_str();
    for issue in &listed {
        let id = match issue.get("id").and_then(Value::as_i64) {
            Some(id) if seen.insert(id) => id.to_string(),
            _ => continue,
        };
        let doc = json!({ "issues": [issue] }).to_string();
        let skip = adapters::map_texts(kind, &[&doc, statuses_ref], &site)
            .ok()
            .and_then(|b| b.into_iter().next())
            .and_then(|t| t.and_then(Ticket::from_input).ok())
            .and_then(|t| {
                evaluate(&policy, &t, list_now)
                    .ok()
                    .map(|e| !matches!(e.applicability, Applicability::Applies))
            })
            .unwrap_or(false);
        if skip {
            out_of_scope += 1;
        } else {
            candidates.push(id);
        }
    }

    // Each candidate in full, POOL requests at a time.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<String, String>>>> =
        Mutex::new(vec![None; candidates.len()]);
    std::thread::scope(|s| {
        for _ in 0..POOL.min(candidates.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(id) = candidates.get(i) else { break };
                let r = client.get(&format!("/issues/{id}.json?include=journals"));
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let read_ok = results.iter().filter(|r| matches!(r, Some(Ok(_)))).count();

    // `now` is read once, after the issues.
    let now = a.now.unwrap_or_else(super::now_seconds);
    let mut faults: Vec<Fault> = Vec::new();
    let mut planned: Vec<Value> = Vec::new();
    let (mut due_total, mut issues_due) = (0usize, 0usize);
    for (id, r) in candidates.iter().zip(results) {
        let path = format!("/issues/{id}.json?include=journals");
        let fault = |e: String| Fault {
            issue: Some(id.clone()),
            path: path.clone(),
            error: e,
        };
        let text = match r {
            Some(Ok(t)) => t,
            Some(Err(e)) => {
                faults.push(fault(e));
                continue;
            }
            None => {
                faults.push(fault("not read".into()));
                continue;
            }
        };
        let ticket = adapters::map_texts(kind, &[&text, statuses_ref], &site)
            .map_err(|e| format!("{}: {}", e.code, e.message))
            .and_then(|b| {
                b.into_iter()
                    .next()
                    .ok_or_else(|| "no issue in the answer".to_string())
            })
            .and_then(|t| {
                t.and_then(Ticket::from_input)
                    .map_err(|e| format!("{}: {}", e.code, e.message))
            });
        let ticket = match ticket {
            Ok(t) => t,
            Err(e) => {
                faults.push(fault(e));
                continue;
            }
        };
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let done = recorded(&ticket.id, &value, me);
        let p = match escalate::plan(&policy, &ticket, now, &done) {
            Ok(p) => p,
            Err(e) => {
                faults.push(fault(format!("{}: {}", e.code, e.message)));
                continue;
            }
        };
        if p.incomplete {
            faults.push(fault(
                "the full issue still lacks facts (replies or status history)".into(),
            ));
            continue;
        }
        if p.due.is_empty() {
            continue;
        }
        issues_due += 1;
        due_total += p.due.len();
        let actions: Vec<Value> = p
            .due
            .iter()
            .map(|d| {
                let (stage, level) = match d.key.stage {
                    Stage::Level(n) => ("level".to_string(), Some(n)),
                    Stage::AtRisk(m) => (format!("at-risk-{}", m.as_str()), None),
                };
                json!({
                    "key": key_text(&d.key),
                    "cycle": d.key.cycle,
                    "stage": stage,
                    "level": level,
                    "action": format!("{}#{}", d.key.kind.as_str(), d.key.ordinal),
                    "kind": d.key.kind.as_str(),
                    "role": d.role,
                    "contacts": d.contacts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
                    "since": format_instant(d.since),
                    "marker": escalate::marker(&ticket.id, &d.key, now),
                })
            })
            .collect();
        planned.push(json!({
            "id": ticket.id,
            "title": ticket.title,
            "url": p.url,
            "cycle": p.cycle,
            "recorded": done.iter().map(key_text).collect::<Vec<_>>(),
            "actions": actions,
        }));
    }

    let code = if faults.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAULTS
    };
    // A fault's text may quote the tracker's answer: scrubbed of the key like every error.
    for f in &mut faults {
        f.error = scrub(&f.error, &client.key);
    }
    let faults_json: Vec<Value> = faults
        .iter()
        .map(|f| json!({ "issue": f.issue, "request": f.path, "error": f.error }))
        .collect();
    if a.json {
        let doc = json!({
            "now": format_instant(now),
            "tracker": kind.as_str(),
            "url": base,
            "policy": policy.spec.id,
            "dryRun": true,
            "listed": listed.len(),
            "outOfScope": out_of_scope,
            "candidates": candidates.len(),
            "read": read_ok,
            "issuesDue": issues_due,
            "actionsDue": due_total,
            "plan": planned,
            "faults": faults_json,
            "exit": code,
        });
        println!("{doc}");
    } else {
        println!(
            "sla-lens escalate (dry run) {} at {}, policy {}",
            base,
            format_instant(now),
            policy.spec.id
        );
        for p in &planned {
            println!(
                "#{} {}",
                p["id"].as_str().unwrap_or(""),
                p["title"].as_str().unwrap_or("")
            );
            for d in p["actions"].as_array().map_or(&[][..], Vec::as_slice) {
                let stage = match d["level"].as_u64() {
                    Some(n) => format!("level {n}"),
                    None => d["stage"].as_str().unwrap_or("").to_string(),
                };
                let role = d["role"]
                    .as_str()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                println!(
                    "  would {}: {stage}{role}, cycle {}, since {}",
                    d["action"].as_str().unwrap_or(""),
                    d["cycle"],
                    d["since"].as_str().unwrap_or("")
                );
            }
        }
        for f in &faults {
            match &f.issue {
                Some(i) => println!("fault: #{i}: {}", f.error),
                None => println!("fault: {}: {}", f.path, f.error),
            }
        }
        println!(
            "{} open issues listed, {} out of scope, {} of {} read in full; {} actions due on \
             {} issues; {} faults",
            listed.len(),
            out_of_scope,
            read_ok,
            candidates.len(),
            due_total,
            issues_due,
            faults.len()
        );
    }
    Ok(ExitCode::from(code))
}
