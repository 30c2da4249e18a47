//! Escalation actions: which are due, exactly once (DESIGN.md "Escalation actions: what is due,
//! exactly once").
//!
//! Pure: [`plan`] takes the policy, the ticket, `now` and the [`ActionKey`]s already recorded on
//! the issue (parsed from its notes by [`parse_markers`] and from its labels by [`parse_label`])
//! and returns the actions due, each with its key; [`note_text`] and [`email`] render what an
//! action posts or sends, with the [`marker`] a later run recognises. Nothing here reads a clock
//! or the network: the `escalate` command performs the plan and records it in the tracker.

pub use crate::ticket::marker::{
    claim, label, marker, parse_claims, parse_label, parse_markers, ActionKey, Claim, Stage, CLAIM,
    LABEL_PREFIX, MARKER,
};

use crate::eval::{evaluate_observed, Applicability, Evaluation, MetricEval, Observer, State};
use crate::policy::{ActionSpec, Contact, MetricKind, Policy};
use crate::ticket::{Ticket, TicketError};
use crate::time::format_instant;
use crate::time::Instant;
use std::fmt::Write;

/// One action due.
#[derive(Debug, Clone, Copy)]
pub struct Due<'a> {
    pub key: ActionKey,
    pub action: &'a ActionSpec,
    /// The stage's contacts (the level's, or `escalation.atRisk`'s).
    pub contacts: &'a [Contact],
    /// The level's role (`None` for the at-risk stage).
    pub role: Option<&'a str>,
    /// When the stage's threshold was crossed (a level's instant; the at-risk instant).
    pub since: Instant,
}

/// What [`plan`] found: the evaluation at `now`, the current cycle and the actions due in it.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub evaluation: Evaluation<'a>,
    /// The current cycle (1 + reopenings); 0 when no target applies.
    pub cycle: u32,
    /// The current cycle is resolved at `now`.
    pub resolved: bool,
    /// The link, when the ticket has one.
    pub url: Option<&'a str>,
    /// The ticket is a snapshot (its replies or status history unknown): nothing is planned on
    /// it; read the full issue (journals, comments, changelog) and plan again.
    pub incomplete: bool,
    /// In stage order (at risk: response, resolution; then level 1, 2, …), each stage's actions
    /// in their order.
    pub due: Vec<Due<'a>>,
}

/// Every level reached and the last cycle, from one evaluation pass.
#[derive(Default)]
struct Seen {
    cycles: u32,
    resolved: bool,
    reached: Vec<(u32, u32, Instant)>,
}

impl<'a> Observer<'a> for Seen {
    fn reached(&mut self, r: crate::eval::Reached<'a>) {
        self.reached.push((r.cycle, r.level, r.at.0));
    }
    fn cycle(&mut self, _: Instant, end: Option<Instant>, _: &MetricEval, _: &MetricEval) {
        self.cycles += 1;
        self.resolved = end.is_some();
    }
}

/// The actions due on `ticket` at `now`, given the keys already recorded on it (`done`, from
/// [`parse_markers`] and [`parse_label`]; keys of other cycles are harmless). DESIGN.md
/// "Escalation actions: what is due, exactly once": the actions of every stage crossed in the
/// current cycle while it is unresolved, without those recorded; nothing for a ticket out of
/// scope, without a target, resolved at `now`, or a snapshot (`unknown` facts). Linear in the
/// ticket's history and the policy's actions (`done` is sorted once).
///
/// # Errors
/// As [`crate::evaluate`].
pub fn plan<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
    done: &[ActionKey],
) -> Result<Plan<'a>, TicketError> {
    let mut seen = Seen::default();
    let evaluation = evaluate_observed(policy, ticket, now, &mut seen)?;
    let mut out = Plan {
        evaluation,
        cycle: seen.cycles,
        resolved: seen.resolved,
        url: ticket.url.as_deref(),
        incomplete: !ticket.unknown.is_empty(),
        due: Vec::new(),
    };
    let ev = &out.evaluation;
    if !matches!(ev.applicability, Applicability::Applies)
        || seen.cycles == 0
        || seen.resolved
        || out.incomplete
        || ev.escalation.unknown
    {
        return Ok(out);
    }
    let mut done: Vec<ActionKey> = done.to_vec();
    done.sort_unstable();
    let cycle = seen.cycles;
    let push = |stage: Stage,
                actions: &'a [ActionSpec],
                contacts: &'a [Contact],
                role: Option<&'a str>,
                since: Instant,
                due: &mut Vec<Due<'a>>| {
        let mut counts = [0u32; 6];
        for a in actions {
            let ordinal = counts[a.kind as usize];
            counts[a.kind as usize] += 1;
            let key = ActionKey {
                cycle,
                stage,
                kind: a.kind,
                ordinal,
            };
            if done.binary_search(&key).is_err() {
                due.push(Due {
                    key,
                    action: a,
                    contacts,
                    role,
                    since,
                });
            }
        }
    };
    let mut due = Vec::new();
    if let Some(r) = &policy.spec.escalation.at_risk {
        for m in [MetricKind::Response, MetricKind::Resolution] {
            let me = ev.metric(m);
            if let (State::AtRisk | State::Breached, Some(at)) = (me.state, me.at_risk_at) {
                push(
                    Stage::AtRisk(m),
                    &r.actions,
                    &r.contacts,
                    None,
                    at.0,
                    &mut due,
                );
            }
        }
    }
    for &(c, level, at) in &seen.reached {
        if c != cycle {
            continue;
        }
        if let Some(l) = level_spec(policy, level) {
            push(
                Stage::Level(level),
                &l.spec.actions,
                &l.spec.contacts,
                Some(&l.spec.role),
                at,
                &mut due,
            );
        }
    }
    out.due = due;
    Ok(out)
}

/// Level `n` (checked policies number their levels 1, 2, 3… in order).
fn level_spec(policy: &Policy, n: u32) -> Option<&crate::policy::Level> {
    (n as usize)
        .checked_sub(1)
        .and_then(|i| policy.levels.get(i))
        .filter(|l| l.spec.level == n)
}

/// `2026-12-07 14:00 UTC`.
fn when(t: Instant) -> String {
    let s = format_instant(t);
    match (s.get(..10), s.get(11..16)) {
        (Some(d), Some(hm)) if s.len() == 20 => format!("{d} {hm} UTC"),
        _ => s,
    }
}

/// Who a stage reaches: `IT manager (Ann Example, Bo Example)`.
fn responsible(d: &Due<'_>) -> String {
    let names: Vec<&str> = d.contacts.iter().map(|c| c.name.as_str()).collect();
    match (d.role, names.is_empty()) {
        (Some(r), true) => r.to_string(),
        (Some(r), false) => format!("{r} ({})", names.join(", ")),
        (None, false) => names.join(", "),
        (None, true) => "nobody named (escalation.atRisk has no contacts)".to_string(),
    }
}

/// The metric a stage is about: the level's trigger metric, or the at-risk one.
fn stage_metric(policy: &Policy, stage: Stage) -> MetricKind {
    match stage {
        Stage::AtRisk(m) => m,
        Stage::Level(n) => {
            level_spec(policy, n).map_or(MetricKind::Response, |l| l.spec.trigger.metric)
        }
    }
}

/// What the stage's metric is now, in words.
fn metric_line(m: MetricKind, me: &MetricEval) -> String {
    let name = m.as_str();
    let target = me
        .target
        .map(|t| format!(" (target {})", crate::time::duration::format_hours(t)))
        .unwrap_or_default();
    let due = me
        .deadline
        .map(|d| format!(", due {}", when(d.0)))
        .unwrap_or_default();
    match (me.state, me.stopped_at, me.breached_at) {
        (State::Breached, _, Some(b)) => {
            format!(
                "The {name} target{target} was missed: overdue since {}.",
                when(b.0)
            )
        }
        (State::MetLate, Some(s), _) => {
            format!(
                "The {name} target{target} was missed: met late at {}{due}.",
                when(s.0)
            )
        }
        (State::Met, Some(s), _) => {
            format!("The {name}{target} was met at {}{due}.", when(s.0))
        }
        (State::AtRisk, _, _) => format!(
            "The {name} target{target} is at risk: {} used{due}.",
            me.percent_used
                .map_or_else(|| "most of it".to_string(), |p| format!("{p:.0}%"))
        ),
        (state, _, _) => format!("The {name} target{target} is {}{due}.", state.as_str()),
    }
}

/// The lines every message of an action starts with (plain text, never HTML).
fn summary(policy: &Policy, plan: &Plan<'_>, d: &Due<'_>) -> String {
    let ev = &plan.evaluation;
    let mut out = String::new();
    let head = match d.key.stage {
        Stage::Level(n) => format!(
            "SLA escalation, level {n}: {}.",
            d.role.unwrap_or("(no role)")
        ),
        Stage::AtRisk(m) => format!("SLA warning: the {} target is at risk.", m.as_str()),
    };
    let _ = writeln!(out, "{head}");
    let _ = writeln!(out, "Policy: {}. Issue: {}.", policy.spec.name, ev.id);
    let m = stage_metric(policy, d.key.stage);
    let _ = writeln!(out, "{}", metric_line(m, ev.metric(m)));
    let reached = match d.key.stage {
        Stage::Level(_) => "Escalated",
        Stage::AtRisk(_) => "At risk",
    };
    let _ = writeln!(
        out,
        "{reached} since {}; the issue is still unresolved (cycle {}).",
        when(d.since),
        plan.cycle
    );
    let _ = writeln!(out, "Now responsible: {}.", responsible(d));
    out
}

/// The text of a `note` action, ending with its marker line (`at` is when it is posted).
pub fn note_text(policy: &Policy, plan: &Plan<'_>, d: &Due<'_>, at: Instant) -> String {
    let mut out = summary(policy, plan, d);
    if let Some(t) = d.action.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let _ = writeln!(out, "{}", t.trim_end());
    }
    out.push_str(&marker(plan.evaluation.id, &d.key, at));
    out
}

/// An e-mail's subject and body (plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// One line: control characters (line breaks) of the policy's or the ticket's text become
    /// spaces, so a subject can never add a header.
    pub subject: String,
    pub body: String,
}

/// The e-mail of an `email` action; the body ends with the marker line, which the sender may
/// also turn into the Message-ID (DESIGN.md).
pub fn email(policy: &Policy, plan: &Plan<'_>, d: &Due<'_>, at: Instant) -> Email {
    let ev = &plan.evaluation;
    let subject = match d.action.subject.as_deref() {
        Some(s) => s.to_string(),
        None => match d.key.stage {
            Stage::Level(n) => format!(
                "[SLA] {} escalated to {} (level {n})",
                ev.id,
                d.role.unwrap_or("level")
            ),
            Stage::AtRisk(m) => format!("[SLA] {}: {} target at risk", ev.id, m.as_str()),
        },
    };
    let subject: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut body = summary(policy, plan, d);
    if let Some(t) = d.action.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let _ = writeln!(body, "{}", t.trim_end());
    }
    if let Some(url) = plan.url {
        let _ = writeln!(body, "Issue link: {url}");
    }
    body.push_str(&marker(ev.id, &d.key, at));
    Email {
        subject: subject.trim().to_string(),
        body,
    }
}

/// `level-1`, `at-risk-response`: a stage as the webhook's generic body names it.
fn stage_name(stage: Stage) -> String {
    match stage {
        Stage::Level(n) => format!("level-{n}"),
        Stage::AtRisk(m) => format!("at-risk-{}", m.as_str()),
    }
}

/// Slack's own escaping of message text (`&`, `<`, `>`: the characters of its link and mention
/// syntax), so the text shows as written.
fn slack_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown's punctuation backslash-escaped (Mattermost and Teams render message text as
/// Markdown), and `&`, `<`, `>` as entities (Teams also reads some HTML), so the text shows as
/// written: no link, image, heading or emphasis from a policy's or an issue's words.
fn markdown_escape(s: &str, entities: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut line_start = true;
    for c in s.chars() {
        match c {
            '&' if entities => out.push_str("&amp;"),
            '<' if entities => out.push_str("&lt;"),
            '>' if entities => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' | '~' | '<' | '>' | '@' => {
                out.push('\\');
                out.push(c);
            }
            // A list item or a rule only at a line's start.
            '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

/// The JSON body a `webhook` action POSTs, by its preset: Slack and Mattermost `{"text": …}`,
/// Microsoft Teams a message card, `generic` the facts as fields (`key` is the marker line, for
/// a receiver to drop a repeat).
pub fn webhook_body(
    policy: &Policy,
    plan: &Plan<'_>,
    d: &Due<'_>,
    at: Instant,
) -> serde_json::Value {
    use crate::policy::WebhookPreset;
    use serde_json::json;
    let mut text = summary(policy, plan, d);
    if let Some(t) = d.action.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let _ = writeln!(text, "{}", t.trim_end());
    }
    if let Some(url) = plan.url {
        let _ = writeln!(text, "Issue link: {url}");
    }
    let text = text.trim_end().to_string();
    let key = marker(plan.evaluation.id, &d.key, at);
    match d.action.preset.unwrap_or_default() {
        WebhookPreset::Slack => json!({ "text": slack_escape(&text) }),
        WebhookPreset::Mattermost => json!({ "text": markdown_escape(&text, false) }),
        WebhookPreset::Teams => json!({
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": text.lines().next().unwrap_or(""),
            "text": markdown_escape(&text, true).replace('\n', "\n\n"),
        }),
        WebhookPreset::Generic => json!({
            "event": "sla-lens.escalation",
            "ticket": plan.evaluation.id,
            "url": plan.url,
            "cycle": d.key.cycle,
            "stage": stage_name(d.key.stage),
            "role": d.role,
            "contacts": d.contacts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "since": format_instant(d.since),
            "text": text,
            "key": key,
        }),
    }
}
