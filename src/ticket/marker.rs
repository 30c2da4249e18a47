//! Escalation markers (DESIGN.md "Escalation actions: what is due, exactly once"): the
//! `sla-lens:escalated` and `sla-lens:claim` lines and the `sla-lens:c…` labels by which
//! `sla-lens escalate` records in the tracker what it did, written and read back.
//!
//! Compiled always (the adapters read the markers: a note holding one is never a reply, and the
//! escalations it records are the ticket's `escalations`), so it sits in the ticket layer, which
//! the adapters may use; the planner that decides what is due is `eval::escalate`
//! (feature `escalate`), which re-exports everything here. Pure, linear in the text, never
//! panics.

use crate::policy::{ActionKind, MetricKind};
use crate::time::format_instant;
use crate::time::Instant;
use std::fmt::Write;

/// What every marker line starts with.
pub const MARKER: &str = "sla-lens:escalated";
/// What a claim line starts with: an executor's "about to do this" (DESIGN.md), same words.
pub const CLAIM: &str = "sla-lens:claim";
/// What every marker label starts with.
pub const LABEL_PREFIX: &str = "sla-lens:c";

/// Which threshold an action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// `escalation.atRisk`, for one metric.
    AtRisk(MetricKind),
    /// `escalation.levels[level - 1]`.
    Level(u32),
}

/// What identifies one action done on one issue: the cycle, the stage, the action's kind and its
/// ordinal among the stage's actions of that kind (`note#0` is the stage's first note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActionKey {
    pub cycle: u32,
    pub stage: Stage,
    pub kind: ActionKind,
    pub ordinal: u32,
}

impl Stage {
    fn write(self, out: &mut String, label: bool) {
        match self {
            Stage::Level(n) if label => {
                let _ = write!(out, "l{n}");
            }
            Stage::Level(n) => {
                let _ = write!(out, "{n}");
            }
            Stage::AtRisk(m) => {
                let _ = write!(out, "at-risk-{}", m.as_str());
            }
        }
    }

    fn parse(s: &str, label: bool) -> Option<Stage> {
        if let Some(m) = s.strip_prefix("at-risk-") {
            return match m {
                "response" => Some(Stage::AtRisk(MetricKind::Response)),
                "resolution" => Some(Stage::AtRisk(MetricKind::Resolution)),
                _ => None,
            };
        }
        let n = if label { s.strip_prefix('l')? } else { s };
        number(n).filter(|n| *n > 0).map(Stage::Level)
    }
}

/// A decimal `u32` without sign or leading zeros (one spelling per number, so one key each).
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `note#0`.
fn action_token(kind: ActionKind, ordinal: u32) -> String {
    format!("{}#{ordinal}", kind.as_str())
}

fn parse_action(s: &str) -> Option<(ActionKind, u32)> {
    let (k, n) = s.split_once('#')?;
    Some((ActionKind::from_name(k)?, number(n)?))
}

/// A ticket id as a marker writes it: bytes other than ASCII letters, digits and `-._~/#:@+`
/// percent-encoded (so an id never contains a space, `=` or a line break).
fn encode_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/#:@+".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The marker line of an action done at `at` on ticket `ticket`:
/// `sla-lens:escalated ticket=123 cycle=2 level=1 action=note#0 at=2026-12-07T10:00:00Z`.
pub fn marker(ticket: &str, key: &ActionKey, at: Instant) -> String {
    line(MARKER, ticket, key, at)
}

/// The claim line an executor posts before it acts (DESIGN.md "What the executor must do"):
/// [`marker`]'s words after [`CLAIM`], and `run=`, the claiming run's id (ASCII letters and
/// digits; another character is dropped), so two agents under the same tracker account can tell
/// their claims apart.
pub fn claim(ticket: &str, key: &ActionKey, at: Instant, run: &str) -> String {
    let mut out = line(CLAIM, ticket, key, at);
    out.push_str(" run=");
    out.extend(run.chars().filter(char::is_ascii_alphanumeric).take(32));
    out
}

/// A claim line read back: the action, the run that claimed it and when (its `at`, if well
/// formed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub key: ActionKey,
    pub run: String,
    pub at: Option<Instant>,
}

fn line(word: &str, ticket: &str, key: &ActionKey, at: Instant) -> String {
    let mut out = format!(
        "{word} ticket={} cycle={} level=",
        encode_id(ticket),
        key.cycle
    );
    key.stage.write(&mut out, false);
    let _ = write!(
        out,
        " action={} at={}",
        action_token(key.kind, key.ordinal),
        format_instant(at)
    );
    out
}

/// The label form, for a tracker where the action cannot post a note: `sla-lens:c2:l1:watch#0`
/// (at most 50 characters, GitHub's limit, up to 9,999 cycles, 99 levels and 99 actions of a
/// kind).
pub fn label(key: &ActionKey) -> String {
    let mut out = format!("{LABEL_PREFIX}{}:", key.cycle);
    key.stage.write(&mut out, true);
    let _ = write!(out, ":{}", action_token(key.kind, key.ordinal));
    out
}

/// The key of a marker label, if `label` is one (exactly as [`label`] writes it).
pub fn parse_label(label: &str) -> Option<ActionKey> {
    let rest = label.strip_prefix(LABEL_PREFIX)?;
    let mut parts = rest.split(':');
    let cycle = number(parts.next()?).filter(|c| *c > 0)?;
    let stage = Stage::parse(parts.next()?, true)?;
    let (kind, ordinal) = parse_action(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some(ActionKey {
        cycle,
        stage,
        kind,
        ordinal,
    })
}

/// The keys of the markers for `ticket` in a note's text: each line holding
/// [`MARKER`] followed by `key=value` words with `ticket` (this ticket's id), `cycle`, `level`
/// and `action`; other keys (`at`) are ignored, and the words end at the first one without `=`
/// (a closing `-->`), at the next marker or claim, or after 16 words. A marker for another ticket, or with a key missing,
/// repeated or malformed, is no marker. Linear in the text.
pub fn parse_markers(ticket: &str, text: &str) -> Vec<ActionKey> {
    parse_lines(MARKER, ticket, text, |k, _, _| k)
}

/// The [`claim`] lines for `ticket` in a note's text, read as [`parse_markers`] reads markers; a
/// claim without `run=` has an empty run (it matches no run).
pub fn parse_claims(ticket: &str, text: &str) -> Vec<Claim> {
    parse_lines(CLAIM, ticket, text, |key, run, at| Claim {
        key,
        run: run.unwrap_or("").to_string(),
        at: at.and_then(instant),
    })
}

fn parse_lines<'t, T>(
    word: &str,
    ticket: &str,
    text: &'t str,
    make: impl Fn(ActionKey, Option<&'t str>, Option<&'t str>) -> T,
) -> Vec<T> {
    let id = encode_id(ticket);
    let mut out = Vec::new();
    scan(word, Some(&id), text, |k, run, at| {
        out.push(make(k, run, at));
        false
    });
    out
}

/// Calls `found` on every well-formed `word` line in `text` (for ticket `id`, or for any ticket
/// when `id` is `None`) until it returns true.
fn scan<'t>(
    word: &str,
    id: Option<&str>,
    text: &'t str,
    mut found: impl FnMut(ActionKey, Option<&'t str>, Option<&'t str>) -> bool,
) {
    for line in text.lines() {
        let mut rest = line;
        while let Some(i) = rest.find(word) {
            let after = &rest[i + word.len()..];
            if let Some((k, run, at)) = parse_words(id, after) {
                if found(k, run, at) {
                    return;
                }
            }
            rest = after;
        }
    }
}

/// The markers for `ticket` in a note's text with their `at` (when well formed), as
/// [`parse_markers`] reads them.
pub fn parse_markers_at(ticket: &str, text: &str) -> Vec<(ActionKey, Option<Instant>)> {
    parse_lines(MARKER, ticket, text, |k, _, at| (k, at.and_then(instant)))
}

fn instant(at: &str) -> Option<Instant> {
    crate::ticket::parse_instant(&crate::ticket::Stamp::Text(at.into())).ok()
}

/// Whether a note's text records sla-lens's own work: it holds a well-formed
/// `sla-lens:escalated` or `sla-lens:claim` line, for any ticket (DESIGN.md "Evaluating a
/// ticket", rule 6: such a note is never a reply, whoever wrote it). The words alone in a
/// sentence (`sla-lens:escalated` without `ticket=… cycle=… level=… action=…`) are not one.
pub fn is_record(text: &str) -> bool {
    let mut any = false;
    for word in [MARKER, CLAIM] {
        scan(word, None, text, |_, _, _| {
            any = true;
            true
        });
        if any {
            break;
        }
    }
    any
}

/// The key, `run` and `at` of one marker's or claim's words.
fn parse_words<'t>(
    id: Option<&str>,
    words: &'t str,
) -> Option<(ActionKey, Option<&'t str>, Option<&'t str>)> {
    // The marker word must end there: `sla-lens:escalatedX` is not one.
    if !words.is_empty() && !words.starts_with(char::is_whitespace) {
        return None;
    }
    let (mut ticket, mut cycle, mut stage, mut action) = (None, None, None, None);
    let (mut run, mut at) = (None, None);
    // At most 16 words: a marker has five, and a line of many markers is read once, not once
    // per marker (linear).
    for w in words.split_whitespace().take(16) {
        // A word without `=` ends the marker, and so does the next marker.
        let next = w.contains(MARKER) || w.contains(CLAIM);
        let Some((k, v)) = w.split_once('=').filter(|_| !next) else {
            break;
        };
        let slot = match k {
            "ticket" => &mut ticket,
            "cycle" => &mut cycle,
            "level" => &mut stage,
            "action" => &mut action,
            "run" => &mut run,
            "at" => &mut at,
            _ => continue,
        };
        if slot.replace(v).is_some() {
            return None;
        }
    }
    let ticket = ticket?;
    let ours = match id {
        Some(id) => ticket == id,
        None => !ticket.is_empty(),
    };
    if !ours {
        return None;
    }
    let (kind, ordinal) = parse_action(action?)?;
    let key = ActionKey {
        cycle: number(cycle?).filter(|c| *c > 0)?,
        stage: Stage::parse(stage?, false)?,
        kind,
        ordinal,
    };
    Some((key, run, at))
}
