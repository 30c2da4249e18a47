//! `sla-lens escalate`: reads a tracker's open issues over its REST API, evaluates them, and
//! performs the escalation actions due, each exactly once (DESIGN.md "Escalation actions: what is
//! due, exactly once", "The escalate command: what it reads" and "… what it does").
//!
//! The network lives here, in the CLI: the core (`sla_lens::eval::escalate::plan`) stays pure. The API
//! key or token comes from the environment (`SLA_LENS_REDMINE_KEY`, `SLA_LENS_GITHUB_TOKEN`,
//! `SLA_LENS_GITLAB_TOKEN`, `SLA_LENS_JIRA_TOKEN` with `SLA_LENS_JIRA_EMAIL`, `SLA_LENS_RT_TOKEN`) or a file (the same
//! name with `_FILE`), is sent only to the given origin (no redirects, no proxy) and is never
//! printed, also not in errors.

mod github;
mod gitlab;
mod http;
mod jira;
mod notify;
mod redmine;
mod rt;
mod tracker;

use http::Client;
use serde_json::{json, Value};
use sla_lens::adapters::{self, SiteConfig, StaffRule, TrackerKind};
use sla_lens::eval::escalate::{self, ActionKey, Due, Plan, Stage};
use sla_lens::eval::Applicability;
use sla_lens::policy::ActionKind;
use sla_lens::time::format_instant;
use sla_lens::{evaluate, Policy, Ticket};
use std::io::Read;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracker::{Failure, Full, Note, Tracker};

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
/// How long a claim of another run holds its actions (DESIGN.md): a run that stopped between its
/// claim and its record leaves them to the next run after this long.
const LEASE: i64 = 600;

pub struct Args {
    pub tracker: String,
    pub url: String,
    pub site: Option<String>,
    /// GitHub `owner/name`, GitLab project id or path, Jira project key.
    pub project: Option<String>,
    /// Jira: the issues to read (instead of `--project`'s).
    pub jql: Option<String>,
    pub policy: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub now: Option<i64>,
    /// `--every`: run again this many seconds after each run starts, until SIGTERM/SIGINT.
    pub every: Option<String>,
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

/// The API key or token: `var` (`SLA_LENS_REDMINE_KEY`, …), or the first line of the file
/// `{var}_FILE` names. Never echoed.
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

/// One request or action that failed: the issue, what was asked, why.
#[derive(Debug, Clone)]
struct Fault {
    /// The issue, when the request was for one.
    issue: Option<String>,
    /// The path and query asked for (never the key: it travels in a header).
    path: String,
    error: String,
}

/// `key` as the run's output names it: `c1 L1 note#0`, `c1 AR-response note#0`.
fn key_text(k: &ActionKey) -> String {
    let stage = match k.stage {
        Stage::Level(n) => format!("L{n}"),
        Stage::AtRisk(m) => format!("AR-{}", m.as_str()),
    };
    format!("c{} {stage} {}#{}", k.cycle, k.kind.as_str(), k.ordinal)
}

/// The keys recorded on an issue: `sla-lens:escalated` lines in notes written by the sla-lens
/// account only (a marker a customer pastes does not count), and marker labels.
fn recorded(ticket: &str, full: &Full) -> Vec<ActionKey> {
    let mut done: Vec<ActionKey> = full
        .notes
        .iter()
        .filter(|n| n.by_me)
        .flat_map(|n| escalate::parse_markers(ticket, &n.text))
        .collect();
    done.extend(full.labels.iter().filter_map(|l| escalate::parse_label(l)));
    done
}

/// Everything a run needs that does not change between runs.
struct Config {
    kind: TrackerKind,
    base: String,
    policy: Policy,
    site: SiteConfig,
    dry_run: bool,
    json: bool,
    now: Option<i64>,
    mailer: Option<notify::Mailer>,
    /// This process's id in claims (`run=`), new for every run.
    process: String,
}

fn load(a: &Args, kind: TrackerKind, base: &str) -> Result<(Policy, SiteConfig), Fatal> {
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
    if site.origin.is_none() {
        site.origin = Some(base.to_string());
    }
    Ok((policy, site))
}

/// Every action of the policy (levels and at risk).
fn actions(policy: &Policy) -> impl Iterator<Item = &sla_lens::policy::ActionSpec> {
    let at_risk = policy
        .spec
        .escalation
        .at_risk
        .iter()
        .flat_map(|r| r.actions.iter());
    at_risk.chain(policy.levels.iter().flat_map(|l| l.spec.actions.iter()))
}

/// A webhook may go to `https://` anywhere, or to `http://` on this machine only (a local relay,
/// a test sink): never plain http across a network.
fn webhook_allowed(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    host == "localhost" || host == "[::1]" || host.starts_with("127.")
}

/// A run id: 16 hex digits from the process id, the clock and std's random hash keys.
fn run_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:016x}", h.finish())
}

/// `5m`, `30s`, `1h` (at least 10 s).
fn every_seconds(text: &str) -> Result<u64, Fatal> {
    let t = text.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| usage(format!("--every `{text}`: give e.g. 5m, 30s or 1h")))?;
    let secs = match unit {
        "s" => n,
        "m" | "" => n * 60,
        "h" => n * 3600,
        _ => return Err(usage(format!("--every `{text}`: give e.g. 5m, 30s or 1h"))),
    };
    if secs < 10 {
        return Err(usage("--every: at least 10s"));
    }
    Ok(secs)
}

/// The tracker `kind` at `base`, with its secret from the environment (README "Escalation
/// actions": the variables per tracker).
fn tracker_for(
    kind: TrackerKind,
    base: &str,
    a: &Args,
    site: &SiteConfig,
    policy: &Policy,
) -> Result<Box<dyn Tracker>, Fatal> {
    let base = base.to_string();
    // GitHub's and GitLab's priority is a label: the site's first priority label prefix.
    let prefix = site.fields.priority.iter().find_map(|s| match s {
        adapters::Source::LabelPrefix(p) => Some(p.clone()),
        _ => None,
    });
    let prefix = tracker::PriorityOrder::new(prefix, policy);
    if kind != TrackerKind::Jira && a.jql.is_some() {
        return Err(usage("--jql is for --tracker jira"));
    }
    let project = || {
        a.project.as_deref().ok_or_else(|| {
            usage(match kind {
                TrackerKind::Github => "--project: give the repository (owner/name)",
                _ => "--project: give the GitLab project's id or path (group/project)",
            })
        })
    };
    Ok(match kind {
        TrackerKind::Rt => {
            // RT's auth token: `Authorization: token …` (RT 5's own auth tokens).
            let token = api_key("SLA_LENS_RT_TOKEN")?;
            if rt::token_user(&token).is_none() {
                return Err(usage(
                    "SLA_LENS_RT_TOKEN: not an RT auth token (`1-<user id>-<32 hex digits>`, as RT \
                     shows it once when it is created)",
                ));
            }
            let client = Client::with_headers(
                base,
                vec![
                    ("Authorization", format!("token {token}")),
                    ("Accept", "application/json".into()),
                ],
                token,
            );
            Box::new(rt::Rt::new(client, a.project.as_deref(), site).map_err(usage)?)
        }
        TrackerKind::Redmine => {
            if a.project.is_some() {
                return Err(usage(
                    "--project is not for Redmine (it reads every open issue the key can see)",
                ));
            }
            let key = api_key("SLA_LENS_REDMINE_KEY")?;
            // Staff given as groups: their members are read once per run.
            let groups = match &site.staff {
                StaffRule::Groups(g) => g.clone(),
                _ => Vec::new(),
            };
            Box::new(
                redmine::Redmine::new(Client::new(base, "X-Redmine-API-Key", key))
                    .with_groups(groups),
            )
        }
        TrackerKind::Github => {
            let repo = project()?;
            let token = api_key("SLA_LENS_GITHUB_TOKEN")?;
            let client = Client::with_headers(
                base,
                vec![
                    ("Authorization", format!("Bearer {token}")),
                    ("Accept", "application/vnd.github+json".into()),
                    ("X-GitHub-Api-Version", "2022-11-28".into()),
                ],
                token,
            );
            Box::new(github::Github::new(client, repo, prefix).map_err(usage)?)
        }
        TrackerKind::Gitlab => {
            let p = project()?;
            let token = api_key("SLA_LENS_GITLAB_TOKEN")?;
            let client = Client::with_headers(
                base,
                vec![
                    ("PRIVATE-TOKEN", token.clone()),
                    ("Accept", "application/json".into()),
                ],
                token,
            );
            Box::new(gitlab::Gitlab::new(client, p, prefix).map_err(usage)?)
        }
        TrackerKind::Jira => {
            let jql = match (&a.jql, &a.project) {
                (Some(_), Some(_)) => return Err(usage("give --jql or --project, not both")),
                (Some(q), None) if !q.trim().is_empty() => q.trim().to_string(),
                (None, Some(p)) => jira::Jira::project_jql(p).map_err(usage)?,
                _ => return Err(usage("--project: give the Jira project key (or --jql)")),
            };
            let email = std::env::var("SLA_LENS_JIRA_EMAIL")
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && !s.contains(':') && !s.chars().any(char::is_control))
                .ok_or_else(|| {
                    usage("no Jira account: set SLA_LENS_JIRA_EMAIL (the e-mail the API token belongs to)")
                })?;
            let token = api_key("SLA_LENS_JIRA_TOKEN")?;
            let basic = http::base64(format!("{email}:{token}").as_bytes());
            let client = Client::with_headers(
                base,
                vec![
                    ("Authorization", format!("Basic {basic}")),
                    ("Accept", "application/json".into()),
                ],
                token,
            );
            Box::new(jira::Jira::new(
                client,
                jql,
                site.private_visibility.clone(),
            ))
        }
    })
}

pub fn run(a: Args) -> Result<ExitCode, Fatal> {
    let kind: TrackerKind = a.tracker.parse().map_err(usage)?;
    let base = base_url(&a.url)?;
    let (policy, site) = load(&a, kind, &base)?;
    let every = a.every.as_deref().map(every_seconds).transpose()?;
    if every.is_some() && a.now.is_some() {
        return Err(usage(
            "--every with --now would repeat one instant: give one of them",
        ));
    }
    let needs_mail = actions(&policy).any(|x| x.kind == ActionKind::Email);
    let mailer = if a.dry_run {
        None
    } else {
        notify::Mailer::from_env().map_err(usage)?
    };
    if needs_mail && !a.dry_run && mailer.is_none() {
        return Err(usage(
            "the policy has `email` actions: set SLA_LENS_SMTP_URL (smtp://host:port) and \
             SLA_LENS_SMTP_FROM (or run with --dry-run)",
        ));
    }
    for x in actions(&policy).filter(|x| x.kind == ActionKind::Webhook) {
        if let Some(u) = x.url.as_deref().filter(|u| !webhook_allowed(u)) {
            return Err(usage(format!(
                "webhook {}: only https:// (or http:// to this machine) is allowed",
                notify::webhook_host(u)
            )));
        }
    }
    let mut tracker = tracker_for(kind, &base, &a, &site, &policy)?;
    let mut cfg = Config {
        kind,
        base,
        policy,
        site,
        dry_run: a.dry_run,
        json: a.json,
        now: a.now,
        mailer,
        process: String::new(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let Some(every) = every else {
        cfg.process = run_id();
        return once(&cfg, tracker.as_mut(), &stop).map(ExitCode::from);
    };
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, stop.clone())
            .map_err(|e| Fatal(EXIT_FAILED, format!("cannot handle signals: {e}")))?;
    }
    while !stop.load(Ordering::Relaxed) {
        let started = std::time::Instant::now();
        cfg.process = run_id();
        match once(&cfg, tracker.as_mut(), &stop) {
            Ok(_) => {}
            // A run that failed as a whole is reported; the next one tries again.
            Err(Fatal(code, m)) if code == EXIT_FAILED => eprintln!("sla-lens: {m}"),
            Err(f) => return Err(f),
        }
        let next = started + Duration::from_secs(every);
        while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < next {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    eprintln!("sla-lens: stopped");
    Ok(ExitCode::from(EXIT_OK))
}

/// What one run did, for the summary and the JSON log.
#[derive(Default)]
struct Log {
    plan: Vec<Value>,
    done: Vec<Value>,
    pending: Vec<Value>,
    elsewhere: Vec<Value>,
    /// Claimed, then found no longer due on the re-read (resolved meanwhile).
    dropped: Vec<Value>,
    faults: Vec<Fault>,
    issues_due: usize,
    actions_due: usize,
    stopped: usize,
}

/// One run: list, read, plan, and (without `--dry-run`) perform. The exit code.
fn once(cfg: &Config, tracker: &mut dyn Tracker, stop: &AtomicBool) -> Result<u8, Fatal> {
    let base = &cfg.base;
    let failed = |f: Failure| Fatal(EXIT_FAILED, format!("{base}{f}"));
    tracker.login().map_err(failed)?;
    let context = tracker.context().map_err(failed)?;
    let listed = tracker.list_open().map_err(failed)?;
    let tracker: &dyn Tracker = tracker;

    // Which of them a full read could make due: those in scope with a target. Scope and
    // targets depend on an issue's current fields only, which the list has (DESIGN.md
    // "Snapshots"); everything else (replies, pauses, reopenings) needs the journals.
    let list_now = cfg.now.unwrap_or_else(super::now_seconds);
    let map = |texts: &[String]| -> Result<Ticket, String> {
        let refs: Vec<&str> = texts
            .iter()
            .chain(context.iter())
            .map(String::as_str)
            .collect();
        adapters::map_texts(cfg.kind, &refs, &cfg.site)
            .map_err(|e| format!("{}: {}", e.code, e.message))
            .and_then(|b| {
                b.into_iter()
                    .next()
                    .ok_or_else(|| "no issue in the answer".to_string())
            })
            .and_then(|t| {
                t.and_then(Ticket::from_input)
                    .map_err(|e| format!("{}: {}", e.code, e.message))
            })
    };
    let mut candidates: Vec<String> = Vec::new();
    let mut out_of_scope = 0usize;
    for l in &listed {
        let skip = map(&l.texts)
            .ok()
            .and_then(|t| {
                evaluate(&cfg.policy, &t, list_now)
                    .ok()
                    .map(|e| !matches!(e.applicability, Applicability::Applies))
            })
            .unwrap_or(false);
        if skip {
            out_of_scope += 1;
        } else {
            candidates.push(l.id.clone());
        }
    }

    // Each candidate in full, POOL requests at a time.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Full, Failure>>>> =
        Mutex::new(vec![None; candidates.len()]);
    std::thread::scope(|s| {
        for _ in 0..POOL.min(candidates.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(id) = candidates.get(i) else { break };
                let r = tracker.read(id);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let read_ok = results.iter().filter(|r| matches!(r, Some(Ok(_)))).count();

    // `now` is read once, after the issues.
    let now = cfg.now.unwrap_or_else(super::now_seconds);
    let mut log = Log::default();
    for (id, r) in candidates.iter().zip(results) {
        let fault = |e: String| Fault {
            issue: Some(id.clone()),
            path: tracker.read_path(id),
            error: e,
        };
        let full = match r {
            Some(Ok(f)) => f,
            Some(Err(f)) => {
                log.faults.push(Fault {
                    issue: Some(id.clone()),
                    path: f.request,
                    error: f.error.message,
                });
                continue;
            }
            None => {
                log.faults.push(fault("not read".into()));
                continue;
            }
        };
        let ticket = match map(&full.texts) {
            Ok(t) => t,
            Err(e) => {
                log.faults.push(fault(e));
                continue;
            }
        };
        let done = recorded(&ticket.id, &full);
        let p = match escalate::plan(&cfg.policy, &ticket, now, &done) {
            Ok(p) => p,
            Err(e) => {
                log.faults.push(fault(format!("{}: {}", e.code, e.message)));
                continue;
            }
        };
        if p.incomplete {
            log.faults.push(fault(
                "the full issue still lacks facts (replies or status history)".into(),
            ));
            continue;
        }
        if p.due.is_empty() {
            continue;
        }
        log.issues_due += 1;
        log.actions_due += p.due.len();
        log.plan.push(plan_json(&ticket, &p, &done, now));
        if cfg.dry_run {
            continue;
        }
        if stop.load(Ordering::Relaxed) {
            log.stopped += 1;
            for d in &p.due {
                log.pending.push(json!({
                    "id": ticket.id, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
                    "action": action_token(&d.key), "error": "stopped (SIGTERM) before this issue",
                }));
            }
            continue;
        }
        perform(cfg, tracker, &map, &ticket.id, &p, &full, now, &mut log);
    }

    let code = if log.faults.is_empty() && log.pending.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAULTS
    };
    // A fault's text may quote the tracker's answer: scrubbed of the secrets like every error.
    let secrets: Vec<String> = [
        tracker.secret().to_string(),
        cfg.mailer
            .as_ref()
            .map(|m| m.password.clone())
            .unwrap_or_default(),
    ]
    .into_iter()
    .filter(|s| s.len() >= 4)
    .collect();
    let clean = |s: &str| {
        secrets
            .iter()
            .fold(s.to_string(), |acc, k| http::scrub(&acc, k))
    };
    let faults_json: Vec<Value> = log
        .faults
        .iter()
        .map(|f| json!({ "issue": f.issue, "request": f.path, "error": clean(&f.error) }))
        .collect();
    for p in &mut log.pending {
        if let Some(e) = p.get("error").and_then(Value::as_str).map(clean) {
            p["error"] = Value::String(e);
        }
    }
    if cfg.json {
        let doc = json!({
            "now": format_instant(now),
            "tracker": cfg.kind.as_str(),
            "url": cfg.base,
            "policy": cfg.policy.spec.id,
            "dryRun": cfg.dry_run,
            "run": cfg.process,
            "listed": listed.len(),
            "outOfScope": out_of_scope,
            "candidates": candidates.len(),
            "read": read_ok,
            "issuesDue": log.issues_due,
            "actionsDue": log.actions_due,
            "plan": log.plan,
            "done": log.done,
            "pending": log.pending,
            "elsewhere": log.elsewhere,
            "noLongerDue": log.dropped,
            "faults": faults_json,
            "exit": code,
        });
        println!("{doc}");
    } else {
        print_summary(cfg, now, &log, &faults_json);
        println!(
            "{} open issues listed, {} out of scope, {} of {} read in full; {} actions due on \
             {} issues{}; {} faults",
            listed.len(),
            out_of_scope,
            read_ok,
            candidates.len(),
            log.actions_due,
            log.issues_due,
            if cfg.dry_run {
                String::new()
            } else {
                format!(
                    ": {} done, {} pending, {} left to another run",
                    log.done.len(),
                    log.pending.len(),
                    log.elsewhere.len()
                )
            },
            log.faults.len()
        );
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    Ok(code)
}

fn action_token(k: &ActionKey) -> String {
    format!("{}#{}", k.kind.as_str(), k.ordinal)
}

fn plan_json(ticket: &Ticket, p: &Plan<'_>, done: &[ActionKey], now: i64) -> Value {
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
                "action": action_token(&d.key),
                "kind": d.key.kind.as_str(),
                "role": d.role,
                "contacts": d.contacts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
                "since": format_instant(d.since),
                "marker": escalate::marker(&ticket.id, &d.key, now),
            })
        })
        .collect();
    json!({
        "id": ticket.id,
        "title": ticket.title,
        "url": p.url,
        "cycle": p.cycle,
        "recorded": done.iter().map(key_text).collect::<Vec<_>>(),
        "actions": actions,
    })
}

fn print_summary(cfg: &Config, now: i64, log: &Log, faults: &[Value]) {
    println!(
        "sla-lens escalate{} {} at {}, policy {}",
        if cfg.dry_run { " (dry run)" } else { "" },
        cfg.base,
        format_instant(now),
        cfg.policy.spec.id
    );
    let verb = if cfg.dry_run { "would" } else { "due" };
    for p in &log.plan {
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
                "  {verb} {}: {stage}{role}, cycle {}, since {}",
                d["action"].as_str().unwrap_or(""),
                d["cycle"],
                d["since"].as_str().unwrap_or("")
            );
        }
    }
    let s = |d: &Value, k: &str| d[k].as_str().unwrap_or("").to_string();
    let lines = [
        (&log.done, "done", ""),
        (&log.pending, "pending", "error"),
        (&log.elsewhere, "left to another run", "run"),
        (&log.dropped, "no longer due", ""),
    ];
    for (list, what, detail) in lines {
        for d in list {
            let tail = match detail {
                "error" => format!(": {}", s(d, "error")),
                "run" => format!(" (claimed by run {} at {})", s(d, "run"), s(d, "at")),
                _ if what == "no longer due" => " (the issue changed since it was read)".into(),
                _ => String::new(),
            };
            println!("{what}: #{} {}{tail}", s(d, "id"), s(d, "key"));
        }
    }
    for f in faults {
        match f["issue"].as_str() {
            Some(i) => println!("fault: #{i}: {}", f["error"].as_str().unwrap_or("")),
            None => println!(
                "fault: {}: {}",
                f["request"].as_str().unwrap_or(""),
                f["error"].as_str().unwrap_or("")
            ),
        }
    }
}

/// The live claims of other runs on these notes: key → (run, at), the earliest note's claim per
/// key among those not older than [`LEASE`] (a claim without `at` is never live).
fn live_claims(ticket: &str, notes: &[Note], now: i64) -> Vec<(ActionKey, String, i64)> {
    let mut out: Vec<(ActionKey, String, i64)> = Vec::new();
    for n in notes.iter().filter(|n| n.by_me) {
        for c in escalate::parse_claims(ticket, &n.text) {
            let Some(at) = c.at.filter(|at| now - at < LEASE && *at <= now + LEASE) else {
                continue;
            };
            if !out.iter().any(|(k, _, _)| *k == c.key) {
                out.push((c.key, c.run, at));
            }
        }
    }
    out
}

/// How many times each key was claimed on these notes (by any run) and the latest claim's
/// instant: a key claimed but not recorded was tried without success (or by a run that died).
fn attempts(ticket: &str, notes: &[Note]) -> std::collections::HashMap<ActionKey, (u32, i64)> {
    let mut out = std::collections::HashMap::new();
    for n in notes.iter().filter(|n| n.by_me) {
        for c in escalate::parse_claims(ticket, &n.text) {
            let Some(at) = c.at else { continue };
            let e = out.entry(c.key).or_insert((0u32, at));
            e.0 += 1;
            e.1 = e.1.max(at);
        }
    }
    out
}

/// The wait after the `n`th unsuccessful attempt: the lease, doubled per attempt after the
/// first, at most a day.
fn retry_after(n: u32) -> i64 {
    let doubled = LEASE.saturating_mul(1i64 << n.saturating_sub(1).min(20));
    doubled.min(86_400)
}

/// A few words on what an action did, for the note that records it.
fn done_line(d: &Due<'_>) -> String {
    let stage = match d.key.stage {
        Stage::Level(n) => format!("level {n}"),
        Stage::AtRisk(m) => format!("{} at risk", m.as_str()),
    };
    let names: Vec<&str> = d.contacts.iter().map(|c| c.name.as_str()).collect();
    let who = names.join(", ");
    match d.key.kind {
        ActionKind::Watch => format!("Added as watchers ({stage}): {who}."),
        ActionKind::Assign => format!("Assigned ({stage})."),
        ActionKind::Set => format!("Updated the issue ({stage})."),
        ActionKind::Email => format!("E-mailed ({stage}): {who}."),
        ActionKind::Webhook => format!(
            "Posted to the webhook {} ({stage}).",
            notify::webhook_host(d.action.url.as_deref().unwrap_or(""))
        ),
        ActionKind::Note => format!("Noted ({stage})."),
    }
}

/// Performs one issue's due actions, exactly once (DESIGN.md "The escalate command: what it
/// does"): claim, re-read, act on the keys this run won, record.
#[allow(clippy::too_many_arguments)]
fn perform(
    cfg: &Config,
    tracker: &dyn Tracker,
    map: &dyn Fn(&[String]) -> Result<Ticket, String>,
    id: &str,
    p: &Plan<'_>,
    full: &Full,
    now: i64,
    log: &mut Log,
) {
    let ticket = p.evaluation.id;
    let run = cfg.process.as_str();
    let pending = |log: &mut Log, d: &Due<'_>, e: &str| {
        log.pending.push(json!({
            "id": ticket, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
            "action": action_token(&d.key), "error": e,
        }));
    };
    let elsewhere = |log: &mut Log, d: &Due<'_>, run: &str, at: i64| {
        log.elsewhere.push(json!({
            "id": ticket, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
            "run": run, "at": format_instant(at),
        }));
    };
    let fault = |log: &mut Log, f: &Failure| {
        log.faults.push(Fault {
            issue: Some(id.to_string()),
            path: f.request.clone(),
            error: f.error.message.clone(),
        })
    };

    // 1. Keys another run claimed, not long ago, are its own. An action this tracker cannot
    // do is not claimed (it would fail every time), and one that failed after earlier claims
    // waits longer each time (DESIGN.md: 10 minutes, doubled per attempt, at most a day), so
    // an SMTP outage does not post a claim note every ten minutes.
    let foreign = live_claims(ticket, &full.notes, now);
    let tried = attempts(ticket, &full.notes);
    let mut mine: Vec<&Due<'_>> = Vec::new();
    for d in &p.due {
        if let Some(why) = tracker.cannot(d.action, d.contacts) {
            pending(log, d, &why);
            continue;
        }
        match foreign.iter().find(|(k, _, _)| *k == d.key) {
            Some((_, r, at)) if r != run => {
                elsewhere(log, d, r, *at);
                continue;
            }
            _ => {}
        }
        if let Some(&(n, last)) = tried.get(&d.key) {
            let next = last + retry_after(n);
            if now < next {
                pending(
                    log,
                    d,
                    &format!(
                        "tried {n} time{} without success; next attempt after {}",
                        if n == 1 { "" } else { "s" },
                        format_instant(next)
                    ),
                );
                continue;
            }
        }
        mine.push(d);
    }
    if mine.is_empty() {
        return;
    }

    // 2. Claim them all in one private note.
    let mut text = String::from(
        "sla-lens is performing these escalation actions; a note recording them follows.\n",
    );
    for d in &mine {
        text.push_str(&escalate::claim(ticket, &d.key, now, run));
        text.push('\n');
    }
    if let Err(f) = tracker.post_note(id, text.trim_end(), true) {
        // The claim may have been stored all the same: then it holds the keys for the lease.
        fault(log, &f);
        for d in &mine {
            pending(log, d, &format!("not claimed: {}", f.error.message));
        }
        return;
    }

    // 3. Re-read: the earliest live claim per key wins; a key recorded meanwhile is done.
    let again = match tracker.read(id) {
        Ok(f) => f,
        Err(f) => {
            fault(log, &f);
            for d in &mine {
                pending(
                    log,
                    d,
                    &format!("claimed, not confirmed: {}", f.error.message),
                );
            }
            return;
        }
    };
    let recorded_now = recorded(ticket, &again);
    let claims = live_claims(ticket, &again.notes, now);
    // Still due as the issue is now? An issue resolved (or changed) since it was read is not
    // escalated late: planned again on the re-read, at the clock's time (not before `now`;
    // `--now` when given), without the records (they are checked next).
    let replan_at = if cfg.now.is_some() {
        now
    } else {
        super::now_seconds().max(now)
    };
    let still: Result<Vec<ActionKey>, String> = map(&again.texts).and_then(|t| {
        escalate::plan(&cfg.policy, &t, replan_at, &[])
            .map(|p| p.due.iter().map(|d| d.key).collect())
            .map_err(|e| format!("{}: {}", e.code, e.message))
    });
    let still = match still {
        Ok(k) => k,
        Err(e) => {
            for d in &mine {
                pending(log, d, &format!("the re-read issue cannot be planned: {e}"));
            }
            return;
        }
    };
    let mut won: Vec<&Due<'_>> = Vec::new();
    for d in mine {
        if recorded_now.contains(&d.key) {
            continue; // another run did it meanwhile
        }
        if !still.contains(&d.key) {
            log.dropped.push(json!({
                "id": ticket, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
                "action": action_token(&d.key),
                "reason": "no longer due: the issue changed since it was read (resolved?)",
            }));
            continue;
        }
        match claims.iter().find(|(k, _, _)| *k == d.key) {
            Some((_, r, _)) if r == run => won.push(d),
            Some((_, r, at)) => elsewhere(log, d, r, *at),
            None => pending(log, d, "the claim note is not on the issue"),
        }
    }

    // 4. Act, in the plan's order. The idempotent kinds are recorded with the next note this
    // run posts; a note records itself; an e-mail or webhook is recorded at once.
    let mut unrecorded: Vec<(&Due<'_>, String)> = Vec::new();
    // Whether `key`'s marker is on the issue now (after a write whose answer was lost).
    let landed = |key: &ActionKey| {
        tracker
            .read(id)
            .map(|f| recorded(ticket, &f).contains(key))
            .unwrap_or(false)
    };
    let mut done_now: Vec<&Due<'_>> = Vec::new();
    for d in won {
        let marker = escalate::marker(ticket, &d.key, now);
        let result: Result<(), String> = match d.key.kind {
            ActionKind::Note => {
                let mut text = escalate::note_text(&cfg.policy, p, d, now);
                for (_, m) in &unrecorded {
                    text.push('\n');
                    text.push_str(m);
                }
                let private = d.action.private.unwrap_or(false);
                match tracker.post_note(id, &text, private) {
                    Ok(()) => {
                        done_now.extend(unrecorded.drain(..).map(|(d, _)| d));
                        done_now.push(d);
                        continue;
                    }
                    Err(f) if landed(&d.key) => {
                        let _ = f;
                        done_now.extend(unrecorded.drain(..).map(|(d, _)| d));
                        done_now.push(d);
                        continue;
                    }
                    Err(f) => Err(f.to_string()),
                }
            }
            ActionKind::Watch => tracker.watch(id, d.contacts).map_err(|f| f.to_string()),
            ActionKind::Assign => {
                let i = d.action.contact.unwrap_or(0) as usize;
                match d.contacts.get(i) {
                    Some(c) => tracker.assign(id, c).map_err(|f| f.to_string()),
                    None => Err(format!("the stage has no contact #{i}")),
                }
            }
            ActionKind::Set => tracker.set(id, d.action, &again).map_err(|f| f.to_string()),
            ActionKind::Email => match &cfg.mailer {
                None => Err("no SMTP server configured (SLA_LENS_SMTP_URL)".into()),
                Some(m) => {
                    let mail = escalate::email(&cfg.policy, p, d, now);
                    m.send(ticket, &d.key, d.contacts, &mail)
                }
            },
            ActionKind::Webhook => match d.action.url.as_deref() {
                None => Err("no url".into()),
                Some(u) => notify::post_webhook(u, &escalate::webhook_body(&cfg.policy, p, d, now)),
            },
        };
        if let Err(e) = result {
            pending(log, d, &e);
            continue;
        }
        unrecorded.push((d, marker));
        if matches!(d.key.kind, ActionKind::Email | ActionKind::Webhook) {
            flush(
                tracker,
                id,
                &mut unrecorded,
                &mut done_now,
                &landed,
                log,
                ticket,
            );
        }
    }
    flush(
        tracker,
        id,
        &mut unrecorded,
        &mut done_now,
        &landed,
        log,
        ticket,
    );
    for d in done_now {
        log.done.push(json!({
            "id": ticket, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
            "action": action_token(&d.key),
        }));
    }
}

/// The note recording actions done: a line each in words, then their markers.
type Done<'p> = (&'p Due<'p>, String);

fn record_text(items: &[Done<'_>]) -> String {
    let mut t = String::from("sla-lens escalation actions done:\n");
    for (d, _) in items {
        t.push_str(&done_line(d));
        t.push('\n');
    }
    for (_, m) in items {
        t.push_str(m);
        t.push('\n');
    }
    t.trim_end().to_string()
}

/// Posts the record of the actions done but not yet recorded (one private note of markers).
#[allow(clippy::too_many_arguments)]
fn flush<'p>(
    tracker: &dyn Tracker,
    id: &str,
    unrecorded: &mut Vec<Done<'p>>,
    done_now: &mut Vec<&'p Due<'p>>,
    landed: &dyn Fn(&ActionKey) -> bool,
    log: &mut Log,
    ticket: &str,
) {
    if unrecorded.is_empty() {
        return;
    }
    let text = record_text(unrecorded);
    match tracker.post_note(id, &text, true) {
        Ok(()) => done_now.extend(unrecorded.drain(..).map(|(d, _)| d)),
        Err(_) if unrecorded.iter().all(|(d, _)| landed(&d.key)) => {
            done_now.extend(unrecorded.drain(..).map(|(d, _)| d))
        }
        Err(f) => {
            for (d, _) in unrecorded.drain(..) {
                let repeat = matches!(d.key.kind, ActionKind::Email | ActionKind::Webhook);
                log.pending.push(json!({
                    "id": ticket, "key": key_text(&d.key), "kind": d.key.kind.as_str(),
                    "action": action_token(&d.key),
                    "error": format!(
                        "done but not recorded ({}){}",
                        f.error.message,
                        if repeat { ": the next run sends it again, with the same key" } else { ": the next run redoes it (no change)" }
                    ),
                }));
            }
        }
    }
}
