//! Explanations: the trace of what counted, what paused, what fell outside hours or on holidays,
//! where the clocks changed, and the sentences a tooltip shows.

use crate::calendar::{Calendar, DayKind, OutOfRange};
use crate::eval::{evaluate, Applicability, At, Evaluation, MetricEval, State, Timeline};
use crate::policy::review::ReviewStatus;
use crate::policy::{MetricKind, Policy};
use crate::ticket::Missing;
use crate::ticket::{Ticket, TicketError};
use crate::time::duration::{format as dur, format_hours as hours};
use crate::time::Instant;
use chrono::{DateTime, Offset, TimeZone};
use serde::Serialize;

/// At most this many trace segments are kept; `truncated` says when more existed.
pub const MAX_SEGMENTS: usize = 200;

/// One stretch of the headline metric's current cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Segment {
    /// Business time that counted against the target.
    Counted { start: At, end: At, seconds: i64 },
    /// Outside opening hours on a regular day.
    OutsideHours { start: At, end: At },
    /// Outside hours that include holidays or exception dates, which would otherwise have
    /// had business hours in this stretch.
    Closed {
        start: At,
        end: At,
        days: Vec<ClosedDay>,
    },
    /// The clock was stopped by a pause status.
    Paused {
        start: At,
        end: At,
        status: Option<String>,
        #[serde(rename = "businessSeconds")]
        business_seconds: i64,
    },
    /// The calendar's zone changed its UTC offset (DST).
    DstChange {
        at: At,
        #[serde(rename = "fromOffset")]
        from_offset: String,
        #[serde(rename = "toOffset")]
        to_offset: String,
    },
}

/// A holiday or exception date inside a [`Segment::Closed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedDay {
    /// `Thu 24 Dec 2026`.
    pub date: String,
    pub name: Option<String>,
    /// `holiday` or `exception` (a date with its own, shorter hours).
    pub kind: &'static str,
}

/// An evaluation with its trace and human sentences.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation<'a> {
    pub evaluation: Evaluation<'a>,
    /// The calendar's IANA zone (for showing local times).
    pub time_zone: &'static str,
    pub segments: Vec<Segment>,
    pub truncated: bool,
    /// Sentences for a tooltip, most important first. Plain text.
    pub lines: Vec<String>,
    pub review: Option<ReviewStatus>,
}

/// Formats an instant in the calendar's zone: `Tue 24 Nov 2026 11:10 CET`.
pub fn local(cal: &Calendar, t: Instant) -> String {
    let tz = cal.time_zone();
    match DateTime::from_timestamp(t, 0) {
        Some(d) => {
            let off = tz.offset_from_utc_datetime(&d.naive_utc());
            crate::time::datefmt::day_time_zone(
                t + i64::from(off.fix().local_minus_utc()),
                &off.to_string(),
            )
        }
        None => t.to_string(),
    }
}

fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// Explains one ticket at `now`.
///
/// # Errors
/// As [`evaluate`].
pub fn explain<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
) -> Result<Explanation<'a>, TicketError> {
    let ev = evaluate(policy, ticket, now)?;
    let review = policy.spec.review.as_ref().and_then(|r| {
        let today = DateTime::from_timestamp(now, 0)?.date_naive();
        r.status(today)
    });
    let mut out = Explanation {
        evaluation: ev,
        time_zone: "UTC",
        segments: Vec::new(),
        truncated: false,
        lines: Vec::new(),
        review,
    };
    let err = |_: OutOfRange| TicketError {
        id: Some(ticket.id.clone()),
        code: "out-of-range",
        path: String::new(),
        message: "the ticket's times fall outside the calendars' years".into(),
    };
    lines_for_scope(policy, &ev, &mut out.lines);
    if ev.applicability != Applicability::Applies {
        return Ok(out);
    }
    let Some(cal) = ev.calendar.and_then(|c| policy.calendar_by_name(c)) else {
        return Ok(out);
    };
    out.time_zone = cal.time_zone().name();
    let now = ev.at.0;
    let tl = Timeline::new(ticket, now);
    let headline = *ev.metric(ev.headline);
    let other = match ev.headline {
        MetricKind::Response => ev.resolution,
        MetricKind::Resolution => ev.response,
    };
    for (i, m) in [headline, other].iter().enumerate() {
        if i == 1 && m.state == State::NotApplicable {
            continue;
        }
        let mut t = Trace::default();
        if let Some(At(start)) = m.start {
            let end = match (m.stopped_at, m.deadline) {
                (Some(At(s)), _) => s,
                (None, Some(At(d))) => d.max(now),
                (None, None) => now,
            };
            let pause = match m.metric {
                MetricKind::Response => &policy.spec.metrics.response.paused_by,
                MetricKind::Resolution => &policy.spec.metrics.resolution.paused_by,
            };
            trace(cal, &tl, pause, start, end, &mut t).map_err(err)?;
        }
        metric_lines(cal, &ev, m, &t.segments, &mut out.lines).map_err(err)?;
        let spec = match m.metric {
            MetricKind::Response => &policy.spec.metrics.response,
            MetricKind::Resolution => &policy.spec.metrics.resolution,
        };
        let reopened = ev
            .response
            .cycles
            .max(ev.resolution.cycles)
            .saturating_sub(1);
        if !spec.restart_on_reopen && reopened > 0 && m.target.is_some() {
            out.lines.push(format!(
                "{} is measured once per issue: the first cycle's result, kept though the issue \
                 was reopened{}",
                metric_name(m.metric),
                if reopened == 1 {
                    String::new()
                } else {
                    format!(" {reopened} times")
                }
            ));
        }
        if i == 0 {
            out.segments = t.segments;
            out.truncated = t.truncated;
        }
    }
    // A holiday or clock change inside both metrics' periods is said once.
    let mut seen = std::collections::HashSet::new();
    out.lines.retain(|l| seen.insert(l.clone()));
    escalation_lines(policy, cal, &ev, &mut out.lines);
    if let Some(r) = &out.review {
        out.lines.push(if r.overdue {
            format!(
                "SLA review overdue since {} (every {} months)",
                r.next_review, r.interval_months
            )
        } else {
            format!(
                "next SLA review due {} (every {} months)",
                r.next_review, r.interval_months
            )
        });
    }
    Ok(out)
}

fn lines_for_scope(policy: &Policy, ev: &Evaluation<'_>, lines: &mut Vec<String>) {
    match ev.applicability {
        Applicability::Applies => {}
        Applicability::NotIncluded => {
            lines.push(format!(
                "out of scope: no condition of scope.include matched, so \"{}\" does not cover this issue",
                policy.spec.name
            ));
            return;
        }
        Applicability::Excluded { rule, matched } => {
            lines.push(format!(
                "out of scope: excluded by scope.exclude[{rule}] ({} = {})",
                matched.field, matched.value
            ));
            if let Some(d) = &policy.spec.scope.description {
                lines.push(d.clone());
            }
            return;
        }
        Applicability::NoPriority => {
            lines.push(
                "no SLA: no priority tier matched and the policy has no fallback tier".into(),
            );
            return;
        }
        Applicability::NoTarget => {
            lines.push("no SLA: the policy sets no target for this priority".into());
        }
    }
    if let Some(p) = ev.priority {
        let why = match p.matched {
            Some(m) => format!("{} = {}", m.field, m.value),
            None => "fallback".into(),
        };
        let cat = ev
            .category
            .map(|c| {
                let w = c
                    .matched
                    .map(|m| format!("{} = {}", m.field, m.value))
                    .unwrap_or_else(|| "fallback".into());
                format!("; category {} ({w})", c.tier.name)
            })
            .unwrap_or_default();
        lines.push(format!("priority {} ({why}){cat}", p.tier.name));
    }
}

fn metric_name(m: MetricKind) -> &'static str {
    match m {
        MetricKind::Response => "response",
        MetricKind::Resolution => "resolution",
    }
}

fn metric_lines(
    cal: &Calendar,
    ev: &Evaluation<'_>,
    m: &MetricEval,
    segs: &[Segment],
    lines: &mut Vec<String>,
) -> Result<(), OutOfRange> {
    let name = metric_name(m.metric);
    let Some(target) = m.target else {
        return Ok(());
    };
    let kind = if cal.is_always() {
        "calendar time".to_string()
    } else {
        format!(
            "business time on {} ({})",
            cal.name(),
            cal.time_zone().name()
        )
    };
    let now = ev.at.0;
    let deadline = m.deadline.map(|d| d.0);
    match m.state {
        State::Running | State::AtRisk => {
            if let Some(d) = deadline {
                let risk = if m.state == State::AtRisk {
                    format!(" — at risk, {:.0}% used", m.percent_used.unwrap_or(0.0))
                } else {
                    String::new()
                };
                let left = if cal.is_always() {
                    ""
                } else {
                    " business time"
                };
                lines.push(format!(
                    "{name} due {}, {}{left} left ({} wall clock){risk}",
                    local(cal, d),
                    hours(m.remaining.unwrap_or(0)),
                    dur(d - now)
                ));
            }
        }
        State::Paused => {
            let status = ev.status.unwrap_or("a pause status");
            lines.push(format!(
                "{name} clock paused ({status}); {} left when it resumes",
                hours(m.remaining.unwrap_or(0))
            ));
            if let Some(d) = deadline {
                lines.push(format!("{name} due {} if nothing changes", local(cal, d)));
            }
        }
        State::Breached => {
            if let Some(d) = deadline {
                lines.push(format!(
                    "{name} breached: {} target used up; late since {} ({} ago)",
                    hours(target),
                    local(cal, d),
                    dur(now - d)
                ));
                if let Some(close) = landed_on_close(cal, d)? {
                    lines.push(format!(
                        "all {} used at {}; late from {} (no business time in between)",
                        hours(target),
                        local(cal, close),
                        local(cal, d)
                    ));
                }
            }
        }
        State::Met | State::MetLate => {
            if let (Some(At(s)), Some(At(start))) = (m.stopped_at, m.start) {
                let verb = if m.metric == MetricKind::Response {
                    "responded"
                } else {
                    "resolved"
                };
                let how = match (m.state, deadline) {
                    (State::MetLate, Some(d)) => {
                        format!("{} after the deadline {}", dur(s - d), local(cal, d))
                    }
                    (_, Some(d)) => format!("deadline was {}", local(cal, d)),
                    _ => String::new(),
                };
                lines.push(format!(
                    "{name} {}: {verb} {} after {} of {kind} ({how})",
                    if m.state == State::Met {
                        "met"
                    } else {
                        "met late"
                    },
                    local(cal, s),
                    hours(m.elapsed),
                ));
                let _ = start;
            }
        }
        State::NotApplicable => {}
        State::Unknown => lines.push(match m.missing.unwrap_or(Missing::StatusHistory) {
            Missing::Replies => format!(
                "{name} unknown: the input has no staff replies (an export without notes or \
                 comments), so whether one came in time is not known"
            ),
            Missing::StatusHistory => format!(
                "{name} unknown: the input has no status history, so since when the ticket is \
                 in `{}` (a pause status) is not known",
                ev.status.unwrap_or("its status")
            ),
            Missing::ResolvedAt => {
                format!("{name} unknown: the ticket is resolved, but the input does not say when")
            }
        }),
    }
    if m.state != State::Met && m.state != State::MetLate && m.state != State::NotApplicable {
        lines.push(format!("{name} target {} of {kind}", hours(target)));
    }
    if m.paused_seconds > 0 {
        let tail = if m.paused {
            "so far"
        } else {
            "the deadline moved by that much"
        };
        lines.push(format!(
            "{name} clock paused {} in all ({} of business time); {tail}",
            dur(m.paused_seconds),
            hours(m.paused_business_seconds)
        ));
    }
    if m.cycles > 1 {
        lines.push(format!(
            "reopened: cycle {} of {name}{}",
            m.cycles,
            if m.ever_breached {
                ", an earlier cycle breached"
            } else {
                ""
            }
        ));
    }
    for s in segs {
        match s {
            Segment::Closed { days, .. } => {
                for d in days {
                    let holiday = d.kind == "holiday";
                    let name = d.name.as_deref().unwrap_or(if holiday {
                        "holiday"
                    } else {
                        "special hours"
                    });
                    let what = if holiday {
                        "not counted"
                    } else {
                        "shorter hours"
                    };
                    lines.push(format!("{what}: {name}, {}", d.date));
                }
            }
            Segment::DstChange {
                at,
                from_offset,
                to_offset,
            } => lines.push(format!(
                "clocks changed {} ({from_offset} → {to_offset}); durations count real time",
                local(cal, at.0)
            )),
            _ => {}
        }
    }
    Ok(())
}

/// When the deadline lies on an opening because the budget ran out at the close before it,
/// that close.
fn landed_on_close(cal: &Calendar, deadline: Instant) -> Result<Option<Instant>, OutOfRange> {
    if cal.is_always() {
        return Ok(None);
    }
    let before_open = !cal.is_open(deadline - 1)?;
    if !before_open {
        return Ok(None);
    }
    cal.prev_close(deadline)
}

/// Why a level triggers, in words: "still unresolved when the response target ran out".
fn trigger_text(policy: &Policy, level: u32) -> String {
    use crate::policy::{After, TimeBasis};
    let Some(l) = policy.levels.iter().find(|l| l.spec.level == level) else {
        return String::new();
    };
    let metric = metric_name(l.spec.trigger.metric);
    match (l.after, l.spec.trigger.time) {
        (After::Seconds(0), _) | (After::Percent(0), _) => {
            format!("not resolved when the {metric} target ran out")
        }
        (After::Percent(100), _) => {
            format!("not resolved one more {metric} target after the {metric} deadline")
        }
        (After::Percent(p), _) => {
            format!("not resolved {p}% of the {metric} target after the {metric} deadline")
        }
        (After::Seconds(s), TimeBasis::Business) => {
            format!(
                "not resolved {} of business time after the {metric} deadline",
                hours(s)
            )
        }
        (After::Seconds(s), TimeBasis::Calendar) => {
            format!("not resolved {} after the {metric} deadline", dur(s))
        }
    }
}

fn escalation_lines(policy: &Policy, cal: &Calendar, ev: &Evaluation<'_>, lines: &mut Vec<String>) {
    let who = |contacts: &[crate::policy::Contact]| {
        contacts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(c) = ev.escalation.current {
        let since =
            c.at.map_or_else(|| "an unknown time".to_string(), |a| local(cal, a.0));
        lines.push(format!(
            "escalated to level {} — {} ({}) since {}: {}",
            c.level,
            c.role,
            who(c.contacts),
            since,
            trigger_text(policy, c.level)
        ));
    }
    // What the issue records as done in this cycle (DESIGN.md "Evaluating a ticket", rule 11): text, never HTML.
    for d in ev.escalation.done.iter() {
        // The contacts by name, but not a contact named as the role.
        let names = d
            .contacts
            .iter()
            .map(|c| c.name.as_str())
            .filter(|n| !n.eq_ignore_ascii_case(d.role))
            .collect::<Vec<_>>()
            .join(", ");
        let to = if names.is_empty() {
            d.role.to_string()
        } else {
            format!("{} ({names})", d.role)
        };
        let when = d.at.map(|a| format!(" at {}", local(cal, a.0).trim_end()));
        let note = d.note.map(|n| {
            if n.starts_with('#') {
                format!(" (note {n})")
            } else {
                format!(" (comment {n})")
            }
        });
        lines.push(format!(
            "Escalated to {to}{}{}.",
            when.unwrap_or_default(),
            note.unwrap_or_default()
        ));
    }
    if let Some(n) = ev.escalation.next {
        // Unknown while its clock (or a lower level's) is paused with budget left.
        let when = n.at.map_or_else(
            || "a time not known yet (its clock is paused)".to_string(),
            |a| local(cal, a.0),
        );
        lines.push(format!(
            "next escalation: level {} — {} ({}) at {} if {}",
            n.level,
            n.role,
            who(n.contacts),
            when,
            trigger_text(policy, n.level).replacen("not resolved", "still unresolved", 1)
        ));
    }
}

#[derive(Default)]
struct Trace {
    segments: Vec<Segment>,
    truncated: bool,
}

fn push(out: &mut Trace, s: Segment) {
    if out.segments.len() >= MAX_SEGMENTS {
        out.truncated = true;
    } else {
        out.segments.push(s);
    }
}

fn trace(
    cal: &Calendar,
    tl: &Timeline<'_>,
    pause: &[String],
    start: Instant,
    end: Instant,
    out: &mut Trace,
) -> Result<(), OutOfRange> {
    let mut cursor = start;
    let runs: Vec<(Instant, Instant)> = tl
        .runs(start, pause)
        .map(|(a, b)| (a, b.unwrap_or(Instant::MAX)))
        .take_while(|(a, _)| *a < end)
        .map(|(a, b)| (a, b.min(end)))
        .collect();
    for (a, b) in runs {
        if a > cursor {
            let biz = cal.elapsed(cursor, a)?;
            push(
                out,
                Segment::Paused {
                    start: At(cursor),
                    end: At(a),
                    status: tl.status_at(cursor).map(str::to_string),
                    business_seconds: biz,
                },
            );
        }
        let mut c = a;
        for (s, e) in cal.open_intervals(a, b)? {
            if s > c {
                gap(cal, c, s, out);
            }
            push(
                out,
                Segment::Counted {
                    start: At(s),
                    end: At(e),
                    seconds: e - s,
                },
            );
            dst(cal, s, e, out);
            c = e;
        }
        if c < b {
            gap(cal, c, b, out);
        }
        cursor = b;
    }
    if cursor < end {
        let biz = cal.elapsed(cursor, end)?;
        push(
            out,
            Segment::Paused {
                start: At(cursor),
                end: At(end),
                status: tl.status_at(cursor).map(str::to_string),
                business_seconds: biz,
            },
        );
    }
    Ok(())
}

fn gap(cal: &Calendar, a: Instant, b: Instant, out: &mut Trace) {
    // Holidays and exception dates whose regular hours fall in this gap are named.
    let mut days = Vec::new();
    let (mut d, last) = (cal.local_date(a), cal.local_date(b - 1));
    while let (Some(day), Some(l)) = (d, last) {
        if day > l {
            break;
        }
        let kind = match cal.day_kind(day) {
            DayKind::Holiday { name } => Some((name, "holiday")),
            DayKind::Exception { name } => Some((name, "exception")),
            DayKind::Regular => None,
        };
        if let Some((name, kind)) = kind {
            if cal
                .regular_windows(day)
                .iter()
                .any(|&(s, e)| s < b && a < e)
            {
                days.push(ClosedDay {
                    date: crate::time::datefmt::day(day),
                    name,
                    kind,
                });
            }
        }
        d = day.succ_opt();
    }
    if days.is_empty() {
        push(
            out,
            Segment::OutsideHours {
                start: At(a),
                end: At(b),
            },
        );
    } else {
        push(
            out,
            Segment::Closed {
                start: At(a),
                end: At(b),
                days,
            },
        );
    }
    dst(cal, a, b, out);
}

fn dst(cal: &Calendar, a: Instant, b: Instant, out: &mut Trace) {
    let (oa, ob) = (cal.offset_at(a), cal.offset_at(b - 1));
    if oa == ob {
        return;
    }
    // Binary search for the first second with the new offset.
    let (mut lo, mut hi) = (a, b - 1);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cal.offset_at(mid) == oa {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    push(
        out,
        Segment::DstChange {
            at: At(hi),
            from_offset: offset_text(oa),
            to_offset: offset_text(ob),
        },
    );
}
