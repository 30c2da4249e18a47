//! Evaluating a policy against a ticket at a given `now`.
//!
//! Everything here is a pure function of `(policy, ticket, now)`. Events after `now` are ignored,
//! so evaluating at an earlier `now` replays the past exactly. The result borrows its strings from
//! the policy and the ticket: evaluation allocates nothing per ticket.

#[cfg(feature = "escalate")]
pub mod escalate;
pub mod explain;
pub mod snapshot;

use crate::calendar::{Calendar, OutOfRange, Pos};
use crate::policy::{
    After, Condition, Contact, MetricKind, MetricSpec, Policy, Target, TierSpec, TimeBasis,
};
use crate::ticket::{FieldValue, Ticket, TicketError};
use crate::time::format_instant;
use crate::time::Instant;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// An instant that serialises as RFC 3339 UTC text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct At(pub Instant);

impl Serialize for At {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Without a `String` each: a report serialises hundreds of thousands of instants.
        let mut buf = [0; 20];
        match crate::time::rfc3339::write_instant(self.0, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&format_instant(self.0)),
        }
    }
}

/// The state of one metric (and of the badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    /// The clock runs and less than the at-risk share of the target is used ("on track").
    Running,
    /// The clock is stopped by a pause status.
    Paused,
    /// More than the at-risk share of the target is used.
    AtRisk,
    /// The deadline has passed and the metric has not stopped.
    Breached,
    /// Stopped at or before the deadline.
    Met,
    /// Stopped after the deadline.
    MetLate,
    /// No target applies (out of scope, no tier, no target for this metric).
    NotApplicable,
    /// The input cannot back a state: a snapshot lacks a fact that would decide it (the
    /// metric's `missing` says which; DESIGN.md, "Snapshots: what is unknown when").
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Paused => "paused",
            State::AtRisk => "atRisk",
            State::Breached => "breached",
            State::Met => "met",
            State::MetLate => "metLate",
            State::NotApplicable => "notApplicable",
            State::Unknown => "unknown",
        }
    }

    fn is_active(self) -> bool {
        matches!(
            self,
            State::Running | State::Paused | State::AtRisk | State::Breached
        )
    }

    /// Rank for picking the badge's headline metric: the most urgent active state first.
    fn urgency(self) -> u8 {
        match self {
            State::Breached => 6,
            State::AtRisk => 5,
            State::Running => 4,
            State::Paused => 3,
            State::MetLate => 2,
            State::Met => 1,
            State::NotApplicable | State::Unknown => 0,
        }
    }
}

/// Which fact made a condition hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Matched<'a> {
    pub field: &'a str,
    pub value: &'a str,
}

/// The tier (priority or category) a ticket fell into, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierMatch<'a> {
    pub list: &'static str,
    pub index: usize,
    pub tier: &'a TierSpec,
    /// The condition that matched; `None` for the fallback tier.
    pub rule: Option<usize>,
    pub matched: Option<Matched<'a>>,
}

impl Serialize for TierMatch<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TierMatch", 5)?;
        st.serialize_field("id", &self.tier.id)?;
        st.serialize_field("name", &self.tier.name)?;
        let rule = match self.rule {
            Some(r) => format!("{}[{}].when[{}]", self.list, self.index, r),
            None => format!("{}[{}]", self.list, self.index),
        };
        st.serialize_field("rule", &rule)?;
        st.serialize_field("fallback", &self.rule.is_none())?;
        st.serialize_field("matched", &self.matched)?;
        st.end()
    }
}

/// Why a ticket is in or out of scope, or why it has no SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Applicability<'a> {
    /// In scope with a target.
    Applies,
    /// `scope.include` is not empty and no condition matched.
    NotIncluded,
    /// `scope.exclude[rule]` matched.
    Excluded { rule: usize, matched: Matched<'a> },
    /// No priority tier matched and there is no fallback.
    NoPriority,
    /// The priority (and category) have no target.
    NoTarget,
}

/// One metric's result for the current cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricEval {
    pub metric: MetricKind,
    pub state: State,
    /// Target in seconds of the calendar's business time.
    pub target: Option<i64>,
    /// Start of the current cycle.
    pub start: Option<At>,
    /// Last instant at which the metric is on time; `None` while paused indefinitely.
    pub deadline: Option<At>,
    /// Instant the at-risk share of the target is used.
    pub at_risk_at: Option<At>,
    /// Instant the metric stopped (first response, resolution).
    pub stopped_at: Option<At>,
    /// Business seconds used (up to now or the stop).
    pub elapsed: i64,
    /// Business seconds left (negative once breached).
    pub remaining: Option<i64>,
    /// Wall-clock seconds from now to the deadline (negative once passed).
    pub until_deadline: Option<i64>,
    /// Share of the target used, in percent.
    pub percent_used: Option<f64>,
    /// Wall-clock seconds spent paused in this cycle.
    pub paused_seconds: i64,
    /// Business seconds that fell in pauses (the deadline moved by exactly this much).
    pub paused_business_seconds: i64,
    /// The clock is in a pause status now.
    pub paused: bool,
    /// When the deadline was passed, if it was (this cycle).
    pub breached_at: Option<At>,
    /// Cycles so far (1 + reopenings).
    pub cycles: u32,
    /// Any cycle, this one included, breached or was met late.
    pub ever_breached: bool,
    /// With state `unknown`: the fact the input lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<crate::ticket::Missing>,
}

/// An escalation level as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelEval<'a> {
    pub level: u32,
    pub role: &'a str,
    pub contacts: &'a [Contact],
    /// When it was (or will be) reached; `None` for a next level whose instant is not known yet
    /// (its clock, or a lower level's, is paused with budget left).
    pub at: Option<At>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EscalationEval<'a> {
    /// The level reached now (absent: none, or the ticket is resolved).
    pub current: Option<LevelEval<'a>>,
    /// The next level and when it is reached if the ticket stays unresolved.
    pub next: Option<LevelEval<'a>>,
    /// The highest level reached in any cycle.
    pub max_level: u32,
    /// The badge's state is `unknown`, so which level is reached is too (`current` and `next`
    /// are absent).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    /// The levels escalated in the current cycle, as the issue records them (DESIGN.md
    /// "Evaluating a ticket", rule 11); absent when none.
    #[serde(skip_serializing_if = "Done::is_empty")]
    pub done: Done<'a>,
}

/// The levels escalated in the current cycle: for each level of the policy, the earliest
/// escalation the ticket records for it in that cycle (`Ticket::escalations`). Computed when
/// read (so an evaluation stays `Copy` and allocates nothing); [`Done::iter`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Done<'a> {
    cycle: u32,
    levels: &'a [crate::policy::Level],
    recorded: &'a [crate::ticket::Escalation],
}

/// A level escalated in the current cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoneLevel<'a> {
    pub level: u32,
    pub role: &'a str,
    pub contacts: &'a [Contact],
    /// When (the marker's `at`, else its note's time).
    pub at: Option<At>,
    /// The note that records it: `#3` (Redmine's note number), else the note's id.
    pub note: Option<&'a str>,
    /// The note's link, when the ticket has one.
    pub url: Option<&'a str>,
}

impl<'a> Done<'a> {
    /// The levels escalated, lowest first. Markers of other cycles, of levels the policy does
    /// not have, and of at-risk stages are not among them.
    pub fn iter(&self) -> impl Iterator<Item = DoneLevel<'a>> + 'a {
        let (cycle, recorded) = (self.cycle, self.recorded);
        self.levels.iter().filter_map(move |l| {
            let n = l.spec.level;
            recorded
                .iter()
                .filter(|e| e.cycle == cycle && e.level == Some(n))
                // The earliest; one without a time last; the first of equals.
                .min_by_key(|e| (e.at.is_none(), e.at))
                .map(|e| DoneLevel {
                    level: n,
                    role: &l.spec.role,
                    contacts: &l.spec.contacts,
                    at: e.at.map(At),
                    note: e.note.as_deref(),
                    url: e.url.as_deref(),
                })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.recorded.is_empty() || self.iter().next().is_none()
    }
}

impl PartialEq for Done<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Serialize for Done<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The evaluation of one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation<'a> {
    pub id: &'a str,
    pub at: At,
    pub applicability: Applicability<'a>,
    pub priority: Option<TierMatch<'a>>,
    pub category: Option<TierMatch<'a>>,
    /// The calendar the targets are counted on.
    pub calendar: Option<&'a str>,
    pub status: Option<&'a str>,
    /// The badge's state: the most urgent active metric, else a stopped one (met late first,
    /// then the last to stop); DESIGN.md "Evaluating a ticket" rule 8.
    pub state: State,
    /// Which metric the badge state comes from.
    pub headline: MetricKind,
    pub response: MetricEval,
    pub resolution: MetricEval,
    pub escalation: EscalationEval<'a>,
    /// The next instant at which anything above changes if nothing else happens.
    pub next_change: Option<At>,
}

impl Evaluation<'_> {
    pub fn metric(&self, m: MetricKind) -> &MetricEval {
        match m {
            MetricKind::Response => &self.response,
            MetricKind::Resolution => &self.resolution,
        }
    }
}

fn out_of_range(t: &Ticket, _: OutOfRange) -> TicketError {
    TicketError {
        id: Some(t.id.clone()),
        code: "out-of-range",
        path: String::new(),
        message: format!(
            "the ticket's times, or a deadline counted from them, fall outside the supported \
             years {}..={} (UTC): check its timestamps",
            crate::calendar::MIN_YEAR,
            crate::calendar::MAX_YEAR
        ),
    }
}

/// The most status changes and staff replies, together, one ticket may carry: a ticket with more
/// is an error for that ticket (`too-much-history`), so that one runaway ticket cannot take a
/// whole batch's time and memory. Evaluation is linear in the history (a 100,000-change ticket
/// takes a fraction of a second natively, BENCHMARKS.md), so the cap is far above any real
/// ticket's.
pub const MAX_HISTORY: usize = 1_000_000;

fn too_much_history(t: &Ticket) -> Option<TicketError> {
    let (changes, replies) = (t.history.len(), t.staff_replies.len());
    (changes + replies > MAX_HISTORY).then(|| TicketError {
        id: Some(t.id.clone()),
        code: "too-much-history",
        path: if changes >= replies {
            "statusHistory"
        } else {
            "comments"
        }
        .into(),
        message: format!(
            "the ticket carries {changes} status changes and {replies} staff replies, more than \
             the {MAX_HISTORY} sla-lens evaluates for one ticket: export it with a shorter \
             history (e.g. only since its last reopening)"
        ),
    })
}

// ---------------------------------------------------------------------------------------------
// The status timeline
// ---------------------------------------------------------------------------------------------

/// History entries read by evaluations on this thread: with the `work-count` feature (tests
/// only), a count that lets tests hold evaluation and the report linear in a ticket's history
/// without timing anything (tests/history.rs); without it, nothing.
#[cfg(feature = "work-count")]
pub mod work {
    use std::cell::Cell;
    thread_local!(static READ: Cell<u64> = const { Cell::new(0) });
    /// Entries read since the last [`reset`].
    pub fn read() -> u64 {
        READ.with(Cell::get)
    }
    pub fn reset() {
        READ.with(|c| c.set(0));
    }
    pub(crate) fn add(n: usize) {
        READ.with(|c| c.set(c.get() + n as u64));
    }
}

#[cfg(not(feature = "work-count"))]
mod work {
    #[inline(always)]
    pub(crate) fn add(_: usize) {}
}

fn any_eq(list: &[String], s: Option<&str>) -> bool {
    s.is_some_and(|s| list.iter().any(|x| x.eq_ignore_ascii_case(s)))
}

/// The ticket's history as seen at `now`: changes after `now` are ignored.
#[derive(Clone, Copy)]
pub(crate) struct Timeline<'a> {
    pub ticket: &'a Ticket,
    pub changes: &'a [crate::ticket::StatusChange],
}

impl<'a> Timeline<'a> {
    pub fn new(ticket: &'a Ticket, now: Instant) -> Self {
        let k = ticket.history.partition_point(|c| c.at <= now);
        Timeline {
            ticket,
            changes: &ticket.history[..k],
        }
    }

    /// The history as seen at `t` (changes after `t` dropped), for a finished cycle: nothing
    /// after its end changes its figures, so it is read only up to there.
    fn until(&self, t: Instant) -> Self {
        let k = self.changes.partition_point(|c| c.at <= t);
        Timeline {
            ticket: self.ticket,
            changes: &self.changes[..k],
        }
    }

    /// The status in force at `t` (the last change at or before `t`).
    pub fn status_at(&self, t: Instant) -> Option<&'a str> {
        let k = self.changes.partition_point(|c| c.at <= t);
        if k == 0 {
            self.ticket.initial_status.as_deref()
        } else {
            Some(self.changes[k - 1].to.as_str())
        }
    }

    /// Cycles `(start, end)`: the first starts at creation; a resolution ends one; moving out
    /// of a resolved status starts the next.
    pub fn cycles(&self, resolved: &'a [String]) -> Cycles<'a> {
        Cycles {
            tl: *self,
            resolved,
            i: 0,
            next_start: Some(self.ticket.created),
            state_resolved: any_eq(resolved, self.ticket.initial_status.as_deref()),
        }
    }

    /// The running stretches of a metric's clock from `start` on, skipping pause statuses.
    pub fn runs(&self, start: Instant, pause: &'a [String]) -> Runs<'a> {
        let i = self.changes.partition_point(|c| c.at <= start);
        Runs {
            changes: self.changes,
            i,
            t: start,
            status: self.status_at(start),
            pause,
            done: false,
        }
    }
}

pub(crate) struct Cycles<'a> {
    tl: Timeline<'a>,
    resolved: &'a [String],
    i: usize,
    next_start: Option<Instant>,
    state_resolved: bool,
}

impl Iterator for Cycles<'_> {
    type Item = (Instant, Option<Instant>);
    fn next(&mut self) -> Option<Self::Item> {
        let start = self.next_start.take()?;
        if self.state_resolved {
            // Created in a resolved status: the cycle ends where it starts.
            let end = start;
            self.advance_to_reopen();
            return Some((start, Some(end)));
        }
        while self.i < self.tl.changes.len() {
            let c = &self.tl.changes[self.i];
            self.i += 1;
            work::add(1);
            if any_eq(self.resolved, Some(&c.to)) {
                let end = c.at;
                self.state_resolved = true;
                self.advance_to_reopen();
                return Some((start, Some(end)));
            }
        }
        Some((start, None))
    }
}

impl Cycles<'_> {
    fn advance_to_reopen(&mut self) {
        while self.i < self.tl.changes.len() {
            let c = &self.tl.changes[self.i];
            self.i += 1;
            work::add(1);
            if !any_eq(self.resolved, Some(&c.to)) {
                self.state_resolved = false;
                self.next_start = Some(c.at);
                return;
            }
        }
    }
}

pub(crate) struct Runs<'a> {
    changes: &'a [crate::ticket::StatusChange],
    i: usize,
    t: Instant,
    status: Option<&'a str>,
    pause: &'a [String],
    done: bool,
}

impl Iterator for Runs<'_> {
    /// A running stretch `[a, b)`; `b` is `None` when it runs on past the known history.
    type Item = (Instant, Option<Instant>);
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let paused = any_eq(self.pause, self.status);
            if paused {
                match self.changes.get(self.i) {
                    None => {
                        self.done = true;
                        return None;
                    }
                    Some(c) => {
                        self.t = c.at;
                        self.status = Some(&c.to);
                        self.i += 1;
                        work::add(1);
                    }
                }
                continue;
            }
            let a = self.t;
            // Run on through changes to other non-pause statuses.
            loop {
                match self.changes.get(self.i) {
                    None => {
                        self.done = true;
                        return Some((a, None));
                    }
                    Some(c) => {
                        self.i += 1;
                        work::add(1);
                        self.t = c.at;
                        self.status = Some(&c.to);
                        if any_eq(self.pause, self.status) {
                            if c.at > a {
                                return Some((a, Some(c.at)));
                            }
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// The runs of a clock whose pauses count only before `stop`: from `stop` on it runs without a
/// break (rule 8: a deadline moves only by pauses while its clock runs).
pub(crate) struct UntilStop<I> {
    runs: I,
    stop: Instant,
    done: bool,
}

impl<I: Iterator<Item = (Instant, Option<Instant>)>> Iterator for UntilStop<I> {
    type Item = (Instant, Option<Instant>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.runs.next() {
            Some((a, Some(b))) if b <= self.stop => Some((a, Some(b))),
            Some((a, _)) => {
                self.done = true;
                Some((a.min(self.stop), None))
            }
            None => {
                self.done = true;
                Some((self.stop, None))
            }
        }
    }
}

/// The instant at which a clock made of `runs` has used `budget` business seconds (the last
/// instant at which it has used at most that); `None` when the history ends in a pause first.
pub(crate) fn clock_instant(
    cal: &Calendar,
    runs: impl Iterator<Item = (Instant, Option<Instant>)>,
    budget: i64,
) -> Result<Option<Instant>, OutOfRange> {
    let mut left = budget;
    for (a, b) in runs {
        let cand = cal.add(a, left)?;
        match b {
            None => return Ok(Some(cand)),
            Some(b) if cand < b => return Ok(Some(cand)),
            Some(b) => left -= cal.elapsed(a, b)?,
        }
    }
    Ok(None)
}

/// Business seconds used by the clock before `upto`, and the wall-clock length of its runs.
fn clock_used(
    cal: &Calendar,
    runs: impl Iterator<Item = (Instant, Option<Instant>)>,
    upto: Instant,
) -> Result<(i64, i64), OutOfRange> {
    let (mut used, mut wall) = (0, 0);
    for (a, b) in runs {
        if a >= upto {
            break;
        }
        let e = b.map_or(upto, |b| b.min(upto));
        used += cal.elapsed(a, e)?;
        wall += e - a;
    }
    Ok((used, wall))
}

// ---------------------------------------------------------------------------------------------
// Conditions and tiers
// ---------------------------------------------------------------------------------------------

/// A ticket fact looked up once per condition.
enum Fact<'a> {
    Missing,
    Text(&'a str),
    Field(&'a FieldValue),
}

impl<'a> Fact<'a> {
    fn of(ticket: &'a Ticket, field: &str, status: Option<&'a str>) -> Fact<'a> {
        let text = |v: Option<&'a str>| v.map_or(Fact::Missing, Fact::Text);
        if let Some(v) = ticket.fields.get(field) {
            return Fact::Field(v);
        }
        match field {
            "status" => text(status),
            "assignee" => text(ticket.assignee.as_deref()),
            "requester" => text(ticket.requester.as_deref()),
            _ => Fact::Missing,
        }
    }

    fn matches(&self, want: &str) -> Option<&'a str> {
        match self {
            Fact::Missing => None,
            Fact::Text(v) => v.eq_ignore_ascii_case(want).then_some(*v),
            Fact::Field(v) => v.matches(want),
        }
    }
}

fn condition_matches<'a>(
    c: &'a Condition,
    ticket: &'a Ticket,
    status: Option<&'a str>,
) -> Option<Matched<'a>> {
    let mut hit = None;
    if let (Some(field), Some(values)) = (&c.field, &c.one_of) {
        let fact = Fact::of(ticket, field, status);
        let value = values.iter().find_map(|w| fact.matches(w))?;
        hit = Some(Matched { field, value });
    }
    if let Some(labels) = &c.labels {
        let value = ticket
            .labels
            .iter()
            .find(|l| labels.iter().any(|w| w.eq_ignore_ascii_case(l)))?;
        hit = hit.or(Some(Matched {
            field: "labels",
            value,
        }));
    }
    hit
}

/// Tests a ticket's conditions; `status` is its status at `now`.
#[derive(Clone, Copy)]
struct Test<'a> {
    ticket: &'a Ticket,
    status: Option<&'a str>,
}

impl<'a> Test<'a> {
    /// The first condition that holds, with the fact that made it hold.
    fn any(&self, conds: &'a [Condition]) -> Option<(usize, Matched<'a>)> {
        conds
            .iter()
            .enumerate()
            .find_map(|(i, c)| condition_matches(c, self.ticket, self.status).map(|m| (i, m)))
    }

    /// The first tier whose `when` holds, or the fallback.
    fn tier(&self, list: &'static str, tiers: &'a [TierSpec]) -> Option<TierMatch<'a>> {
        tiers.iter().enumerate().find_map(|(index, tier)| {
            if tier.when.is_empty() {
                return Some(TierMatch {
                    list,
                    index,
                    tier,
                    rule: None,
                    matched: None,
                });
            }
            self.any(&tier.when).map(|(r, m)| TierMatch {
                list,
                index,
                tier,
                rule: Some(r),
                matched: Some(m),
            })
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

struct Ctx<'a> {
    policy: &'a Policy,
    tl: Timeline<'a>,
    now: Instant,
}

impl<'a> Ctx<'a> {
    fn spec(&self, m: MetricKind) -> &'a MetricSpec {
        match m {
            MetricKind::Response => &self.policy.spec.metrics.response,
            MetricKind::Resolution => &self.policy.spec.metrics.resolution,
        }
    }

    /// When metric `m` stops in the cycle `(start, end)`, as far as known at `now`; `first`:
    /// the ticket's first cycle (the only one `firstResponseAt` answers).
    fn stop(
        &self,
        m: MetricKind,
        start: Instant,
        end: Option<Instant>,
        first: bool,
    ) -> Option<Instant> {
        let known = |t: Instant| (t <= self.now).then_some(t);
        match m {
            MetricKind::Resolution => end,
            MetricKind::Response => {
                let k = self.tl.ticket.staff_replies.partition_point(|&r| r < start);
                let reply = self.tl.ticket.staff_replies.get(k).copied().and_then(known);
                // Not `start == created`: a ticket resolved and reopened in the second it was
                // created has a second cycle starting then too.
                let direct = if first {
                    self.tl.ticket.first_response_at.and_then(known)
                } else {
                    None
                };
                let replied = match (reply, direct) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                match (replied, end) {
                    (Some(r), Some(e)) => Some(r.min(e)),
                    (r, e) => r.or(e),
                }
            }
        }
    }

    /// Both metrics and the escalation, over every cycle in one pass; the results describe the
    /// current (last) cycle.
    ///
    /// Linear in the history: a finished cycle is read only up to its end (what comes after
    /// cannot change it: its stop, the time used before the stop, and whether its deadline or
    /// an escalation instant fell before its end are all decided by then), so each change is
    /// read by a bounded number of cycles' clocks; only the current cycle reads to the end.
    fn run(
        &self,
        cal: &'a Calendar,
        target: &Target,
        mut history: Option<&mut dyn Observer<'a>>,
    ) -> Result<(MetricEval, MetricEval, EscalationEval<'a>), OutOfRange> {
        let mut resp = blank(MetricKind::Response, target.response);
        let mut res = blank(MetricKind::Resolution, target.resolution);
        let mut esc = EscalationEval {
            current: None,
            next: None,
            max_level: 0,
            unknown: false,
            done: Done::default(),
        };
        let once = |m: MetricKind| !self.spec(m).restart_on_reopen;
        let mut cycles = self
            .tl
            .cycles(&self.policy.spec.statuses.resolved)
            .peekable();
        let mut cycle = 0u32;
        while let Some((start, end)) = cycles.next() {
            cycle += 1;
            let tl = match end {
                Some(e) if cycles.peek().is_some() => self.tl.until(e),
                _ => self.tl,
            };
            let pos = cal.pos(start)?;
            let c_resp = Clock::new(cal, tl, &self.spec(MetricKind::Response).paused_by, pos);
            let c_res = Clock::new(cal, tl, &self.spec(MetricKind::Resolution).paused_by, pos);
            // A metric measured once per issue keeps its first cycle's result (and levels).
            let measured = |m: MetricKind| cycle == 1 || !once(m);
            let (d_resp, s_resp) = if measured(MetricKind::Response) {
                self.cycle(&mut resp, &c_resp, end)?
            } else {
                (None, None)
            };
            let (d_res, s_res) = if measured(MetricKind::Resolution) {
                self.cycle(&mut res, &c_res, end)?
            } else {
                (None, None)
            };
            esc.current = None;
            esc.next = None;
            // Rule 9: escalation counts every pause of the cycle while it stays unresolved, so
            // its deadline is the clock's over the whole cycle, not the metric's (which stops
            // moving at the metric's stop). They differ only when pauses follow the stop.
            let mut esc_deadline = [None, None];
            // The ladder: a level is reached once its own instant has passed and every lower
            // level is reached; `Some(None)` once a lower level's instant is unknown.
            let mut floor: Option<Option<Instant>> = None;
            for level in &self.policy.levels {
                let m = level.spec.trigger.metric;
                if !measured(m) {
                    continue;
                }
                let (clock, t, deadline, stop, slot) = match m {
                    MetricKind::Response => (&c_resp, target.response, d_resp, s_resp, 0),
                    MetricKind::Resolution => (&c_res, target.resolution, d_res, s_res, 1),
                };
                let Some(t) = t else { continue };
                let deadline = match esc_deadline[slot] {
                    Some(d) => d,
                    None => {
                        let d = if stop.is_some() && !clock.simple {
                            clock.instant(t)?
                        } else {
                            deadline
                        };
                        esc_deadline[slot] = Some(d);
                        d
                    }
                };
                let offset = match level.after {
                    After::Seconds(s) => s,
                    After::Percent(p) => t * i64::from(p) / 100,
                };
                let own = match level.spec.trigger.time {
                    TimeBasis::Business if offset == 0 => deadline,
                    TimeBasis::Business => clock.instant(t + offset)?,
                    TimeBasis::Calendar => deadline.map(|d| d + offset),
                };
                let at = match (own, floor) {
                    (Some(a), None) => Some(a),
                    (Some(a), Some(Some(f))) => Some(a.max(f)),
                    _ => None,
                };
                floor = Some(at);
                let lv = |at: Option<Instant>| LevelEval {
                    level: level.spec.level,
                    role: &level.spec.role,
                    contacts: &level.spec.contacts,
                    at: at.map(At),
                };
                let Some(at) = at else {
                    // Not known yet: the next level, with an unknown instant (never skipped).
                    if end.is_none() && esc.next.is_none() {
                        esc.next = Some(lv(None));
                    }
                    continue;
                };
                // Reached only if the cycle was still unresolved at that instant.
                if end.is_some_and(|e| e <= at) {
                    continue;
                }
                if self.now > at {
                    if let Some(h) = history.as_deref_mut() {
                        h.reached(Reached {
                            cycle,
                            level: level.spec.level,
                            role: &level.spec.role,
                            at: At(at),
                        });
                    }
                    esc.max_level = esc.max_level.max(level.spec.level);
                    if end.is_none() {
                        esc.current = Some(lv(Some(at)));
                    }
                } else if end.is_none() && esc.next.is_none() {
                    esc.next = Some(lv(Some(at)));
                }
            }
            if let Some(h) = history.as_deref_mut() {
                h.cycle(start, end, &resp, &res);
            }
        }
        esc.done = Done {
            cycle,
            levels: &self.policy.levels,
            recorded: &self.tl.ticket.escalations,
        };
        Ok((resp, res, esc))
    }

    /// One metric in one cycle, written into `out`; returns the cycle's deadline and the
    /// metric's stop.
    fn cycle(
        &self,
        out: &mut MetricEval,
        clock: &Clock<'_>,
        end: Option<Instant>,
    ) -> Result<(Option<Instant>, Option<Instant>), OutOfRange> {
        let start = clock.start.instant();
        // `cycles` counts this metric's cycles so far: 0 in the first.
        let stop = self.stop(out.metric, start, end, out.cycles == 0);
        let upto = stop.unwrap_or(self.now).min(self.now).max(start);
        let (used, run_wall) = clock.used(upto)?;
        let total_biz = if clock.simple {
            used
        } else {
            clock.cal.elapsed_from(clock.start, upto)?
        };
        out.cycles += 1;
        out.start = Some(At(start));
        out.stopped_at = stop.map(At);
        out.elapsed = used;
        out.paused_seconds = (upto - start) - run_wall;
        out.paused_business_seconds = total_biz - used;
        out.paused = stop.is_none() && any_eq(clock.pause, self.tl.status_at(self.now));
        out.breached_at = None;
        out.deadline = None;
        out.at_risk_at = None;
        out.remaining = None;
        out.until_deadline = None;
        out.percent_used = None;
        let Some(target) = out.target else {
            out.state = State::NotApplicable;
            return Ok((None, stop));
        };
        // Rule 8: only pauses while the clock runs (before its stop) move the deadline.
        let deadline = clock.instant_until(target, stop)?;
        let at_risk = clock.instant_until(
            target * i64::from(self.policy.spec.at_risk_percent) / 100,
            stop,
        )?;
        out.deadline = deadline.map(At);
        out.at_risk_at = at_risk.map(At);
        out.remaining = Some(target - used);
        out.until_deadline = deadline.map(|d| d - self.now);
        out.percent_used = Some(used as f64 * 100.0 / target as f64);
        out.state = match (stop, deadline) {
            (Some(s), Some(d)) if s > d => State::MetLate,
            (Some(_), _) => State::Met,
            (None, Some(d)) if self.now > d => State::Breached,
            (None, _) if out.paused => State::Paused,
            (None, _) if at_risk.is_some_and(|r| self.now > r) => State::AtRisk,
            (None, _) => State::Running,
        };
        if matches!(out.state, State::Breached | State::MetLate) {
            out.breached_at = out.deadline;
            out.ever_breached = true;
        }
        Ok((deadline, stop))
    }
}

/// A metric's clock in one cycle: it runs from `start` and stops while the status pauses it.
struct Clock<'a> {
    cal: &'a Calendar,
    tl: Timeline<'a>,
    pause: &'a [String],
    start: Pos,
    /// No pause status occurs from the start on, so the clock is one run (the common case).
    simple: bool,
}

impl<'a> Clock<'a> {
    fn new(cal: &'a Calendar, tl: Timeline<'a>, pause: &'a [String], start: Pos) -> Self {
        let t = start.instant();
        let k = tl.changes.partition_point(|c| c.at <= t);
        let simple = pause.is_empty()
            || !(any_eq(pause, tl.status_at(t))
                || tl.changes[k..].iter().any(|c| {
                    work::add(1);
                    any_eq(pause, Some(&c.to))
                }));
        Clock {
            cal,
            tl,
            pause,
            start,
            simple,
        }
    }

    /// The instant at which the clock has used `budget` (see [`clock_instant`]).
    fn instant(&self, budget: i64) -> Result<Option<Instant>, OutOfRange> {
        if self.simple {
            return self.cal.add_from(self.start, budget).map(Some);
        }
        clock_instant(
            self.cal,
            self.tl.runs(self.start.instant(), self.pause),
            budget,
        )
    }

    /// As [`Clock::instant`], for a clock that stopped at `stop`: pauses after the stop do not
    /// count (the metric's deadline and at-risk instant).
    fn instant_until(
        &self,
        budget: i64,
        stop: Option<Instant>,
    ) -> Result<Option<Instant>, OutOfRange> {
        let Some(stop) = stop else {
            return self.instant(budget);
        };
        if self.simple {
            return self.instant(budget);
        }
        clock_instant(
            self.cal,
            UntilStop {
                runs: self.tl.runs(self.start.instant(), self.pause),
                stop,
                done: false,
            },
            budget,
        )
    }

    /// Business seconds used before `upto`, and the wall-clock length of the runs.
    fn used(&self, upto: Instant) -> Result<(i64, i64), OutOfRange> {
        if self.simple {
            let used = self.cal.elapsed_from(self.start, upto)?;
            return Ok((used, (upto - self.start.instant()).max(0)));
        }
        clock_used(
            self.cal,
            self.tl.runs(self.start.instant(), self.pause),
            upto,
        )
    }
}

fn blank(metric: MetricKind, target: Option<i64>) -> MetricEval {
    MetricEval {
        metric,
        state: State::NotApplicable,
        target,
        start: None,
        deadline: None,
        at_risk_at: None,
        stopped_at: None,
        elapsed: 0,
        remaining: None,
        until_deadline: None,
        percent_used: None,
        paused_seconds: 0,
        paused_business_seconds: 0,
        paused: false,
        breached_at: None,
        cycles: 0,
        ever_breached: false,
        missing: None,
    }
}

// ---------------------------------------------------------------------------------------------
// The evaluation
// ---------------------------------------------------------------------------------------------

/// Evaluates one ticket at `now` (Unix seconds).
///
/// # Errors
/// A [`TicketError`] for this ticket only, when its instants fall outside the calendars' years.
///
/// # Example
/// ```
/// use sla_lens::{evaluate, Policy, Ticket, State};
/// let policy = Policy::default_policy();
/// let ticket = Ticket::from_value(&serde_json::json!({
///     "id": "7", "created": "2026-11-20T09:00:00Z",
///     "fields": {"priority": "Urgent", "requesterGroup": "Marketing"}
/// }))?;
/// let now = 1_795_165_200 + 3 * 3600 + 60; // 3 h 1 m later
/// let e = evaluate(&policy, &ticket, now)?;
/// assert_eq!(e.response.state, State::AtRisk); // over 75 % of the critical 4 h used
/// # Ok::<(), sla_lens::TicketError>(())
/// ```
pub fn evaluate<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
) -> Result<Evaluation<'a>, TicketError> {
    evaluate_with(policy, ticket, now, None)
}

/// An escalation level reached in some cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reached<'a> {
    pub cycle: u32,
    pub level: u32,
    pub role: &'a str,
    pub at: At,
}

/// What one evaluation pass tells besides its result: every escalation level reached and every
/// cycle's figures, as they are computed (the review report sums them; nothing is evaluated
/// twice).
pub trait Observer<'a> {
    /// An escalation level reached (before `now`), in cycle order.
    fn reached(&mut self, _r: Reached<'a>) {}
    /// A cycle's figures of both metrics, once computed: every cycle in order, the current one
    /// last (its figures are then the evaluation's). Of an earlier cycle only the figures up to
    /// its stop are meaningful (`start`, `stopped_at`, `elapsed`, the paused times, `state`):
    /// its deadline is not computed past the cycle's end. `start` and `end` are the cycle's; a
    /// metric measured once per issue (`restartOnReopen: false`) keeps its first cycle's figures
    /// in every later cycle (its `cycles` stays 1).
    fn cycle(
        &mut self,
        _start: Instant,
        _end: Option<Instant>,
        _response: &MetricEval,
        _resolution: &MetricEval,
    ) {
    }
}

impl<'a> Observer<'a> for Vec<Reached<'a>> {
    fn reached(&mut self, r: Reached<'a>) {
        self.push(r);
    }
}

/// Evaluates a ticket and lists every escalation level it reached, in every cycle (for reports
/// and explanations; unlike [`evaluate`] this allocates).
///
/// # Errors
/// As [`evaluate`].
pub fn evaluate_with_history<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
) -> Result<(Evaluation<'a>, Vec<Reached<'a>>), TicketError> {
    let mut history = Vec::new();
    let ev = evaluate_with(policy, ticket, now, Some(&mut history))?;
    Ok((ev, history))
}

/// [`evaluate`], telling `observer` every level reached and every cycle's figures on the way.
///
/// # Errors
/// As [`evaluate`].
pub fn evaluate_observed<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
    observer: &mut dyn Observer<'a>,
) -> Result<Evaluation<'a>, TicketError> {
    evaluate_with(policy, ticket, now, Some(observer))
}

fn evaluate_with<'a>(
    policy: &'a Policy,
    ticket: &'a Ticket,
    now: Instant,
    history: Option<&mut dyn Observer<'a>>,
) -> Result<Evaluation<'a>, TicketError> {
    if let Some(e) = too_much_history(ticket) {
        return Err(e);
    }
    let now = now.max(ticket.created);
    let tl = Timeline::new(ticket, now);
    let status = tl.status_at(now);
    let ctx = Ctx { policy, tl, now };
    let spec = &policy.spec;
    let mut ev = Evaluation {
        id: &ticket.id,
        at: At(now),
        applicability: Applicability::Applies,
        priority: None,
        category: None,
        calendar: None,
        status,
        state: State::NotApplicable,
        headline: MetricKind::Response,
        response: blank(MetricKind::Response, None),
        resolution: blank(MetricKind::Resolution, None),
        escalation: EscalationEval {
            current: None,
            next: None,
            max_level: 0,
            unknown: false,
            done: Done::default(),
        },
        next_change: None,
    };

    let test = Test { ticket, status };

    // Scope.
    if !spec.scope.include.is_empty() && test.any(&spec.scope.include).is_none() {
        ev.applicability = Applicability::NotIncluded;
        return Ok(ev);
    }
    if let Some((rule, matched)) = test.any(&spec.scope.exclude) {
        ev.applicability = Applicability::Excluded { rule, matched };
        return Ok(ev);
    }

    // Tiers.
    ev.category = test.tier("categories", &spec.categories);
    ev.priority = test.tier("priorities", &spec.priorities);
    let Some(priority) = ev.priority else {
        ev.applicability = Applicability::NoPriority;
        return Ok(ev);
    };
    let Some(target) = policy.target_for(priority.index, ev.category.map(|c| c.index)) else {
        ev.applicability = Applicability::NoTarget;
        return Ok(ev);
    };
    let cal = policy.calendar(target.calendar);
    ev.calendar = Some(cal.name());
    let oor = |e| out_of_range(ticket, e);
    (ev.response, ev.resolution, ev.escalation) = ctx.run(cal, target, history).map_err(oor)?;

    // The badge's headline (DESIGN.md, "Evaluating a ticket", rule 8 and its table).
    let (headline, state) = [&ev.response, &ev.resolution]
        .into_iter()
        .max_by_key(|m| headline_key(m))
        .map_or((MetricKind::Response, State::NotApplicable), |m| {
            (m.metric, m.state)
        });
    ev.headline = headline;
    ev.state = state;
    // What a snapshot cannot back becomes unknown (src/eval/snapshot.rs).
    crate::eval::snapshot::degrade(&mut ev, ticket, policy);

    // The next change: a threshold of an active metric, or the next escalation level.
    let mut next: Option<Instant> = None;
    let mut consider = |t: Option<At>| {
        if let Some(At(t)) = t {
            // A threshold at `t` is crossed just after it.
            if t >= now {
                next = Some(next.map_or(t + 1, |n: Instant| n.min(t + 1)));
            }
        }
    };
    for m in [&ev.response, &ev.resolution] {
        if m.state.is_active() && !m.paused {
            if m.state == State::Running {
                consider(m.at_risk_at);
            }
            if m.state != State::Breached {
                consider(m.deadline);
            }
        }
    }
    consider(ev.escalation.next.and_then(|l| l.at));
    ev.next_change = next.map(At);
    Ok(ev)
}

/// How prominent a metric is on the badge; the larger key heads it, and on equal keys the
/// resolution (the later of the two in `max_by_key`'s order). Active metrics first, by urgency
/// (breached > at risk > running > paused), then the earlier deadline (one without a deadline
/// last), then the less business time left. With none active, a metric met late before one met,
/// then the one that stopped last.
fn headline_key(m: &MetricEval) -> (u8, i64, i64) {
    if m.state.is_active() {
        (
            m.state.urgency(),
            -m.deadline.map_or(i64::MAX, |d| d.0),
            -m.remaining.unwrap_or(i64::MAX),
        )
    } else {
        (m.state.urgency(), m.stopped_at.map_or(i64::MIN, |d| d.0), 0)
    }
}

/// Evaluates a batch; each ticket's error stays with that ticket.
pub fn evaluate_all<'a>(
    policy: &'a Policy,
    tickets: &'a [Ticket],
    now: Instant,
) -> Vec<Result<Evaluation<'a>, TicketError>> {
    tickets.iter().map(|t| evaluate(policy, t, now)).collect()
}

/// The earliest `next_change` among evaluations: when a page should re-evaluate.
pub fn next_change<'e, 'a: 'e>(
    evals: impl IntoIterator<Item = &'e Evaluation<'a>>,
) -> Option<Instant> {
    evals
        .into_iter()
        .filter_map(|e| e.next_change.map(|a| a.0))
        .min()
}
