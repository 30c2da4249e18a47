//! The six-monthly review report: what the SLA achieved over a period, as figures.
//!
//! [`report`] is a pure function of `(policy, tickets, from, to, now)`: it evaluates every ticket
//! created in the period as at `min(now, to)` (so later events do not leak in) and counts, per
//! metric × priority × category and per month, the tickets in scope, met, met late, breached and
//! still open, the met percentage, the median and 90th percentile of the time to respond and to
//! resolve (business time and wall clock), the escalation levels reached and the time paused
//! waiting on the customer; it lists the breaches with their escalation history and the tickets
//! that could not be read, and carries the review banner. [`Report::markdown`] renders it for a
//! review meeting and [`Report::cells_csv`] as CSV (both in `render.rs`: this file aggregates,
//! that one renders). The rules (which tickets count, reopened tickets, percentiles, zones) are
//! written down in `DESIGN.md`, "Review report".

mod render;

pub use render::csv_field;

use crate::eval::{evaluate_observed, Applicability, At, MetricEval, Observer, Reached, State};
use crate::policy::review::ReviewStatus;
use crate::policy::{MetricKind, Policy};
use crate::ticket::{Ticket, TicketError};
use crate::time::format_instant;
use crate::time::zone::resolve_local;
use crate::time::zone::Tz;
use crate::time::Instant;
use chrono::{DateTime, Datelike, Months, NaiveDate, Timelike};
use serde::Serialize;
use std::fmt;

/// The period's length when the policy has no review cadence to take it from.
pub const DEFAULT_PERIOD_MONTHS: u32 = 6;

/// The longest period a report covers, in months (the cube of figures grows with it).
pub const MAX_MONTHS: usize = 120;

/// Why no report could be made (the period, never a ticket: bad tickets are listed in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportError {
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ReportError {}

// ---------------------------------------------------------------------------------------------
// The period and its zone
// ---------------------------------------------------------------------------------------------

/// The zone months and dates are counted in: the zone of the first business calendar a target
/// uses (in target order), or UTC when every target counts on the 24x7 calendar.
pub fn zone(policy: &Policy) -> Tz {
    policy
        .targets
        .iter()
        .map(|t| policy.calendar(t.calendar))
        .find(|c| !c.is_always())
        .map_or(Tz::UTC, |c| c.time_zone())
}

/// The instant local `date` begins in `tz`.
pub fn day_start(tz: Tz, date: NaiveDate) -> Instant {
    resolve_local(&tz, date, 0)
}

fn local(tz: Tz, t: Instant) -> Option<chrono::NaiveDateTime> {
    Some(
        DateTime::from_timestamp(t, 0)?
            .with_timezone(&tz)
            .naive_local(),
    )
}

/// The local date of `t` in `tz`.
pub fn local_date(tz: Tz, t: Instant) -> Option<NaiveDate> {
    local(tz, t).map(|d| d.date())
}

/// `t` moved by `months` calendar months in `tz`, keeping the wall-clock time (the day clamped
/// to the month's end).
fn add_months(tz: Tz, t: Instant, months: u32, forward: bool) -> Option<Instant> {
    let l = local(tz, t)?;
    let m = Months::new(months);
    let date = if forward {
        l.date().checked_add_months(m)?
    } else {
        l.date().checked_sub_months(m)?
    };
    Some(resolve_local(
        &tz,
        date,
        l.time().num_seconds_from_midnight(),
    ))
}

/// Where a report's period came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PeriodSource {
    /// From the last review (or the effective date) to the next review.
    Review,
    /// The [`DEFAULT_PERIOD_MONTHS`] before `now` (the policy has no review cadence).
    BeforeNow,
    /// Given (one end given: the review interval from it).
    Given,
}

/// A half-open period `[from, to)` of creation instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Instant,
    pub to: Instant,
    pub source: PeriodSource,
}

/// The period a report covers. Both ends absent: from the last review (or the effective date)
/// to the next review, or the six months before `now` when the policy has no review. One end
/// given: the review interval (six months without one) from or to it.
///
/// # Errors
/// `empty-period` when `from` is not before `to`; `period-too-long` beyond [`MAX_MONTHS`].
pub fn period(
    policy: &Policy,
    from: Option<Instant>,
    to: Option<Instant>,
    now: Instant,
) -> Result<Period, ReportError> {
    let tz = zone(policy);
    let review = policy.spec.review.as_ref();
    let months = review.map_or(DEFAULT_PERIOD_MONTHS, |r| r.interval_months);
    let bad = || ReportError {
        code: "out-of-range",
        message: "the period's ends are outside the dates sla-lens can count: give dates between \
                  1970 and 2199"
            .into(),
    };
    let (from, to, source) = match (from, to) {
        (Some(f), Some(t)) => (f, t, PeriodSource::Given),
        (Some(f), None) => (
            f,
            add_months(tz, f, months, true).ok_or_else(bad)?,
            PeriodSource::Given,
        ),
        (None, Some(t)) => (
            add_months(tz, t, months, false).ok_or_else(bad)?,
            t,
            PeriodSource::Given,
        ),
        (None, None) => {
            let today = local_date(tz, now).ok_or_else(bad)?;
            match review.and_then(|r| r.status(today)) {
                Some(s) => (
                    day_start(tz, s.last_review),
                    day_start(tz, s.next_review),
                    PeriodSource::Review,
                ),
                None => (
                    add_months(tz, now, DEFAULT_PERIOD_MONTHS, false).ok_or_else(bad)?,
                    now,
                    PeriodSource::BeforeNow,
                ),
            }
        }
    };
    if from >= to {
        return Err(ReportError {
            code: "empty-period",
            message: format!(
                "the period starts at {} and ends at {}, so it holds no time: give a start \
                 before the end",
                format_instant(from),
                format_instant(to)
            ),
        });
    }
    Ok(Period { from, to, source })
}

/// The starts of the months overlapping `[from, to)` in `tz`, then the start of the month after.
fn month_starts(tz: Tz, from: Instant, to: Instant) -> Option<Vec<(NaiveDate, Instant)>> {
    let first = local_date(tz, from)?.with_day(1)?;
    let mut out = Vec::new();
    let mut d = first;
    loop {
        let s = day_start(tz, d);
        out.push((d, s));
        if s >= to || out.len() > MAX_MONTHS + 1 {
            return Some(out);
        }
        d = d.checked_add_months(Months::new(1))?;
    }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodInfo {
    /// First instant of the period (tickets created at or after it count).
    pub from: At,
    /// End of the period, exclusive.
    pub to: At,
    /// The period's first and last local day in the report zone.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub source: PeriodSource,
    /// The zone months and days are counted in.
    pub zone: String,
    /// `now` as given.
    pub now: At,
    /// The instant every ticket is evaluated at: `min(now, to)`.
    pub evaluated_at: At,
}

/// A tier as named by the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierRef {
    pub id: String,
    pub name: String,
}

/// An escalation level as named by the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelRef {
    pub level: u32,
    pub role: String,
    pub metric: MetricKind,
}

/// A metric and whether any target sets it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricRef {
    pub metric: MetricKind,
    /// Some target sets this metric; without one its times are measured but nothing is judged.
    pub targeted: bool,
}

/// How the tickets read were accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketCounts {
    /// Every ticket given, readable or not.
    pub read: u64,
    /// Tickets that could not be read or evaluated (listed in `unreadable`).
    pub unreadable: u64,
    /// Created before the period.
    pub before_period: u64,
    /// Created at or after the period's end, or after the evaluation instant.
    pub after_period: u64,
    /// Created in the period: `in_scope + out_of_scope`.
    pub in_period: u64,
    pub in_scope: u64,
    pub out_of_scope: u64,
}

/// Tickets created in the period (or one month of it) and why some are out of scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeRow {
    /// `YYYY-MM`; `null` for the whole period.
    pub month: Option<String>,
    pub created: u64,
    pub in_scope: u64,
    pub out_of_scope: u64,
    /// `scope.include` is not empty and none of its conditions held.
    pub not_included: u64,
    /// A `scope.exclude` condition held.
    pub excluded: u64,
    /// No priority tier matched and there is no fallback.
    pub no_priority: u64,
    /// The priority (and category) have no target.
    pub no_target: u64,
}

/// How often each `scope.exclude` rule excluded a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// `scope.exclude[N]`.
    pub rule: String,
    pub count: u64,
}

/// Count, median and 90th percentile (nearest rank) of durations in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Times {
    pub count: u64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// How often an escalation level was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelCount {
    pub level: u32,
    pub reached: u64,
}

/// Time a metric's clock was paused (its `pausedBy` statuses: waiting on the customer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paused {
    /// Measured tickets with any paused time.
    pub tickets: u64,
    /// Wall-clock seconds paused, summed over the measured tickets.
    pub total_seconds: i64,
    /// Median wall-clock seconds paused, over the tickets with any paused time.
    pub median_seconds: Option<i64>,
    /// Business seconds that fell in pauses, summed.
    pub total_business_seconds: i64,
}

/// The figures of one metric for one month (or the whole period), priority (or all) and
/// category (or all).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    pub metric: MetricKind,
    /// `YYYY-MM`; `null` for the whole period.
    pub month: Option<String>,
    /// Priority tier id; `null` for all priorities.
    pub priority: Option<String>,
    /// Category tier id; `null` for all categories; `""` for tickets that matched no category.
    pub category: Option<String>,
    /// In the SLA's scope with a target for this metric: `met + metLate + breached + open +
    /// unknown`.
    pub in_scope: u64,
    pub met: u64,
    pub met_late: u64,
    /// Still open past the deadline.
    pub breached: u64,
    /// Still open, deadline not passed (running, at risk or paused).
    pub open: u64,
    /// The input (a snapshot without history) cannot tell the outcome: neither met nor
    /// breached, and left out of met % and the times (DESIGN.md, "Snapshots").
    pub unknown: u64,
    /// In the SLA's scope but no target sets this metric: measured, not judged.
    pub untargeted: u64,
    /// `met / (met + metLate + breached)` in percent; `null` when that is 0 / 0.
    pub met_percent: Option<f64>,
    /// Time to respond or resolve in business seconds (the target calendar, pauses excluded).
    pub business: Times,
    /// The same in wall-clock seconds, from the cycle's start to the stop, pauses included.
    pub wall: Times,
    /// Times each level triggered by this metric was reached.
    pub escalations: Vec<LevelCount>,
    pub paused: Paused,
}

/// An escalation level reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    pub cycle: u32,
    pub level: u32,
    pub role: String,
    pub at: At,
}

/// A ticket whose metric missed its target (in any cycle), with its escalation history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Breach {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub created: At,
    pub month: String,
    pub priority: String,
    pub category: Option<String>,
    pub metric: MetricKind,
    /// `breached` (open past the deadline) or `metLate` (stopped late, or missed in an earlier
    /// cycle).
    pub state: State,
    /// Target in business seconds.
    pub target: i64,
    /// The current cycle's deadline and stop.
    pub deadline: Option<At>,
    pub stopped_at: Option<At>,
    /// Business seconds used in the current cycle.
    pub elapsed: i64,
    pub cycles: u32,
    /// The levels of this metric reached, in every cycle, in order.
    pub escalations: Vec<Escalation>,
}

/// The review report. Every figure is a whole count, seconds, a percentage or `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub policy: PolicyRef,
    pub period: PeriodInfo,
    /// The review banner on `now`'s date; `null` when the policy has no review cadence.
    pub review: Option<ReviewStatus>,
    /// `YYYY-MM` of every month the period overlaps, in the report zone.
    pub months: Vec<String>,
    pub priorities: Vec<TierRef>,
    pub categories: Vec<TierRef>,
    pub metrics: Vec<MetricRef>,
    pub levels: Vec<LevelRef>,
    pub tickets: TicketCounts,
    /// The whole period first, then each month.
    pub scope: Vec<ScopeRow>,
    pub excluded_by: Vec<RuleCount>,
    /// Every metric × (period, each month) × (all, each priority) × (all, each category).
    pub cells: Vec<Cell>,
    /// Sorted by creation, then id.
    pub breaches: Vec<Breach>,
    /// The response-time distribution chart's figures.
    pub distribution: Distribution,
    /// In input order.
    pub unreadable: Vec<TicketError>,
}

/// Upper bounds (exclusive, seconds) of the response-time distribution's buckets; a last
/// bucket holds everything from 2 days up: < 15m, 15–30m, 30m–1h, 1–2h, 2–4h, 4–8h, 8–24h,
/// 1–2d, ≥ 2d.
pub const RESPONSE_BUCKETS: [i64; 8] = [900, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400, 172_800];

/// Time to first response of the in-scope tickets created in the period that got one, per
/// priority and bucket ([`RESPONSE_BUCKETS`]): the response metric's elapsed time in its latest
/// cycle (business time on a business calendar, as the policy counts it; a reopened ticket's
/// latest response), at the report's evaluation instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    /// [`RESPONSE_BUCKETS`]: each bucket's exclusive upper bound; the last bucket has none.
    pub bounds: Vec<i64>,
    /// One row per priority, in `priorities` order; one count per bucket.
    pub counts: Vec<Vec<u64>>,
    /// Tickets counted (the sum of `counts`).
    pub total: u64,
    /// Per priority id: the response target of the last ticket counted with that priority, in
    /// input order (the chart marks it); absent when none had a target.
    pub targets: std::collections::BTreeMap<String, i64>,
}

impl Report {
    /// The cell of a metric, month, priority and category (`None`: all).
    pub fn cell(
        &self,
        metric: MetricKind,
        month: Option<&str>,
        priority: Option<&str>,
        category: Option<&str>,
    ) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            c.metric == metric
                && c.month.as_deref() == month
                && c.priority.as_deref() == priority
                && c.category.as_deref() == category
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Accumulation
// ---------------------------------------------------------------------------------------------

const METRICS: [MetricKind; 2] = [MetricKind::Response, MetricKind::Resolution];

#[derive(Default)]
struct Acc {
    in_scope: u64,
    met: u64,
    met_late: u64,
    breached: u64,
    open: u64,
    unknown: u64,
    untargeted: u64,
    business: Vec<i64>,
    wall: Vec<i64>,
    paused: Vec<i64>,
    paused_total: i64,
    paused_business_total: i64,
    escalations: Vec<u64>,
}

impl Acc {
    /// Adds another cell's counts and totals to this one (not its samples: a cell with an "all"
    /// index gathers those from the cells it covers only while its percentiles are computed).
    fn merge_counts(&mut self, o: &Acc) {
        self.in_scope += o.in_scope;
        self.met += o.met;
        self.met_late += o.met_late;
        self.breached += o.breached;
        self.open += o.open;
        self.unknown += o.unknown;
        self.untargeted += o.untargeted;
        self.paused_total += o.paused_total;
        self.paused_business_total += o.paused_business_total;
        for (a, b) in self.escalations.iter_mut().zip(&o.escalations) {
            *a += b;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Met,
    MetLate,
    Breached,
    Open,
    Unknown,
    Untargeted,
}

/// A ticket's outcome for one metric: the current cycle's state, except that a miss in any
/// cycle (`everBreached`) counts as met late unless the current cycle is breached.
fn class(m: &MetricEval) -> Class {
    if m.target.is_none() {
        return Class::Untargeted;
    }
    match m.state {
        State::Breached => Class::Breached,
        State::Unknown => Class::Unknown,
        _ if m.ever_breached => Class::MetLate,
        State::Met => Class::Met,
        State::MetLate => Class::MetLate,
        State::Running | State::AtRisk | State::Paused => Class::Open,
        State::NotApplicable => Class::Untargeted,
    }
}

/// A metric's figures over all of a ticket's cycles.
#[derive(Clone, Copy, Default)]
struct Sums {
    /// Business and wall-clock seconds to the stop, summed over the cycles; `None` while the
    /// current cycle has not stopped.
    business: Option<i64>,
    wall: Option<i64>,
    paused: i64,
    paused_business: i64,
}

fn add_cycle(s: &mut Sums, m: &MetricEval) {
    s.paused += m.paused_seconds;
    s.paused_business += m.paused_business_seconds;
    match (m.start, m.stopped_at) {
        (Some(a), Some(b)) => {
            s.business = s.business.map(|x| x + m.elapsed);
            s.wall = s.wall.map(|x| x + (b.0 - a.0));
        }
        _ => {
            s.business = None;
            s.wall = None;
        }
    }
}

/// Both metrics summed over every cycle, from the figures the ticket's one evaluation pass gives
/// for each cycle ([`Observer::cycle`]); the evaluation's own result describes the last cycle.
/// Also keeps the escalation levels reached.
struct CycleSums<'a> {
    sums: [Sums; 2],
    /// The latest cycle's figures, added once the next cycle shows it does not start in the same
    /// second this one ended (a cycle resolved and reopened within one second is left out of the
    /// sums: its end is not an instant at which it is the ticket's last cycle).
    pending: Option<(Option<Instant>, [MetricEval; 2])>,
    reached: Vec<Reached<'a>>,
}

impl CycleSums<'_> {
    fn new() -> Self {
        let zero = Sums {
            business: Some(0),
            wall: Some(0),
            ..Sums::default()
        };
        CycleSums {
            sums: [zero, zero],
            pending: None,
            reached: Vec::new(),
        }
    }

    /// The sums, with the last cycle's figures taken from the evaluation.
    fn finish(mut self, ev: &[&MetricEval; 2]) -> [Sums; 2] {
        add_cycle(&mut self.sums[0], ev[0]);
        add_cycle(&mut self.sums[1], ev[1]);
        self.sums
    }
}

impl<'a> Observer<'a> for CycleSums<'a> {
    fn reached(&mut self, r: Reached<'a>) {
        self.reached.push(r);
    }

    fn cycle(
        &mut self,
        start: Instant,
        end: Option<Instant>,
        response: &MetricEval,
        resolution: &MetricEval,
    ) {
        if let Some((ended, figures)) = self.pending.take() {
            if ended.is_some_and(|e| e != start) {
                // A metric measured once per issue (`restartOnReopen: false`) is not measured
                // again: its first cycle's figures stay the evaluation's, added by `finish`.
                for (i, now) in [response, resolution].into_iter().enumerate() {
                    if now.cycles > figures[i].cycles {
                        add_cycle(&mut self.sums[i], &figures[i]);
                    }
                }
            }
        }
        self.pending = Some((end, [*response, *resolution]));
    }
}

/// Nearest-rank percentile position (1-based) of `p` percent among `n` samples, `n > 0`.
fn rank(p: usize, n: usize) -> usize {
    (p * n).div_ceil(100).max(1)
}

fn times(v: &mut [i64]) -> Times {
    let n = v.len();
    if n == 0 {
        return Times::default();
    }
    let (r50, r90) = (rank(50, n), rank(90, n));
    let p90 = *v.select_nth_unstable(r90 - 1).1;
    let median = if r50 == r90 {
        p90
    } else {
        *v[..r90 - 1].select_nth_unstable(r50 - 1).1
    };
    Times {
        count: n as u64,
        median: Some(median),
        p90: Some(p90),
    }
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The review report over `tickets` (readable or not) for the period `[from, to)` (see
/// [`period`] for the defaults), with every ticket evaluated as at `min(now, to)`.
///
/// # Errors
/// Only for the period ([`period`]); unreadable tickets are listed in the report.
///
/// # Example
/// ```
/// use sla_lens::{report::report, Policy, Ticket};
/// let policy = Policy::default_policy();
/// let tickets = Ticket::parse_batch(r#"[
///   {"id": "1", "created": "2026-07-01T09:00:00Z", "fields": {"requesterGroup": "Marketing"},
///    "comments": [{"at": "2026-07-01T11:00:00Z", "staff": true}]},
///   {"id": "2", "created": "2026-07-02T09:00:00Z", "fields": {"requesterGroup": "Sales"}}
/// ]"#)?;
/// let now = 1_795_780_800; // 2026-11-27T12:00:00Z
/// let r = report(&policy, &tickets, None, None, now).unwrap();
/// assert_eq!(r.period.first_day.to_string(), "2026-06-01"); // since the effective date
/// assert_eq!((r.tickets.in_scope, r.tickets.out_of_scope), (1, 1));
/// let all = r.cell(sla_lens::policy::MetricKind::Response, None, None, None).unwrap();
/// assert_eq!((all.met, all.met_percent, all.business.median), (1, Some(100.0), Some(7200)));
/// # Ok::<(), sla_lens::TicketError>(())
/// ```
pub fn report(
    policy: &Policy,
    tickets: &[Result<Ticket, TicketError>],
    from: Option<Instant>,
    to: Option<Instant>,
    now: Instant,
) -> Result<Report, ReportError> {
    let mut b = ReportBuilder::new(policy, from, to, now)?;
    for t in tickets {
        b.add(t);
    }
    Ok(b.finish())
}

/// [`report`] one ticket at a time: [`ReportBuilder::add`] each ticket (in the list's order),
/// then [`ReportBuilder::finish`]. The same figures as [`report`] over the same list, without
/// keeping the list: a batch can be read, evaluated and counted ticket by ticket
/// ([`Ticket::fold_batch`]), so a 100,000-issue export never holds 100,000 tickets in memory.
pub struct ReportBuilder<'p> {
    policy: &'p Policy,
    p: Period,
    tz: Tz,
    at: Instant,
    now: Instant,
    starts: Vec<(NaiveDate, Instant)>,
    bounds: Vec<Instant>,
    n_months: usize,
    /// The cube's sizes: months + 1, priorities + 1, categories + 2 (index 0 of each is "all";
    /// the last category index is "no category").
    dims: (usize, usize, usize),
    cells: Vec<Acc>,
    scope: Vec<ScopeRow>,
    excluded_by: Vec<u64>,
    counts: TicketCounts,
    breaches: Vec<Breach>,
    unreadable: Vec<TicketError>,
    uncategorised: bool,
    distribution: Distribution,
    /// The metric each level is triggered by.
    level_metric: Vec<MetricKind>,
}

impl<'p> ReportBuilder<'p> {
    /// An empty report for the period `[from, to)` (see [`period`]).
    ///
    /// # Errors
    /// As [`report`]: only for the period.
    pub fn new(
        policy: &'p Policy,
        from: Option<Instant>,
        to: Option<Instant>,
        now: Instant,
    ) -> Result<Self, ReportError> {
        let p = period(policy, from, to, now)?;
        let tz = zone(policy);
        let at = now.min(p.to);
        let starts = month_starts(tz, p.from, p.to).ok_or_else(|| ReportError {
            code: "out-of-range",
            message: "the period's ends are outside the dates sla-lens can count: give dates \
                      between 1970 and 2199"
                .into(),
        })?;
        let n_months = starts.len() - 1;
        if n_months > MAX_MONTHS {
            return Err(ReportError {
                code: "period-too-long",
                message: format!(
                    "the period spans more than {MAX_MONTHS} months: report on at most ten \
                     years at a time"
                ),
            });
        }
        let bounds: Vec<Instant> = starts.iter().map(|s| s.1).collect();
        let spec = &policy.spec;
        let (n_p, n_c, n_l) = (
            spec.priorities.len(),
            spec.categories.len(),
            policy.levels.len(),
        );
        let (dm, dp, dc) = (n_months + 1, n_p + 1, n_c + 2);
        let cells: Vec<Acc> = (0..2 * dm * dp * dc)
            .map(|_| Acc {
                escalations: vec![0; n_l],
                ..Acc::default()
            })
            .collect();
        Ok(ReportBuilder {
            policy,
            p,
            tz,
            at,
            now,
            starts,
            bounds,
            n_months,
            dims: (dm, dp, dc),
            cells,
            scope: (0..dm).map(|_| ScopeRow::default()).collect(),
            excluded_by: vec![0u64; spec.scope.exclude.len()],
            counts: TicketCounts::default(),
            breaches: Vec::new(),
            unreadable: Vec::new(),
            uncategorised: false,
            distribution: Distribution {
                bounds: RESPONSE_BUCKETS.to_vec(),
                counts: vec![vec![0; RESPONSE_BUCKETS.len() + 1]; n_p],
                total: 0,
                targets: std::collections::BTreeMap::new(),
            },
            level_metric: policy
                .levels
                .iter()
                .map(|l| l.spec.trigger.metric)
                .collect(),
        })
    }

    fn idx(&self, metric: usize, m: usize, p: usize, c: usize) -> usize {
        let (dm, dp, dc) = self.dims;
        ((metric * dm + m) * dp + p) * dc + c
    }

    /// Counts one ticket (or lists it as unreadable).
    pub fn add(&mut self, t: &Result<Ticket, TicketError>) {
        let policy = self.policy;
        let (p, at) = (self.p, self.at);
        let n_c = policy.spec.categories.len();
        let level_index = |n: u32| policy.levels.iter().position(|l| l.spec.level == n);
        self.counts.read += 1;
        let t = match t {
            Ok(t) => t,
            Err(e) => {
                self.unreadable.push(e.clone());
                return;
            }
        };
        if t.created < p.from {
            self.counts.before_period += 1;
            return;
        }
        if t.created >= p.to || t.created > at {
            self.counts.after_period += 1;
            return;
        }
        let mut observed = CycleSums::new();
        let ev = match evaluate_observed(policy, t, at, &mut observed) {
            Ok(x) => x,
            Err(e) => {
                self.unreadable.push(e);
                return;
            }
        };
        self.counts.in_period += 1;
        let month = self.bounds.partition_point(|&s| s <= t.created).max(1);
        let rows = [0, month];
        for &m in &rows {
            self.scope[m].created += 1;
        }
        let reason = match ev.applicability {
            Applicability::Applies => None,
            Applicability::NotIncluded => Some(0),
            Applicability::Excluded { rule, .. } => {
                if let Some(c) = self.excluded_by.get_mut(rule) {
                    *c += 1;
                }
                Some(1)
            }
            Applicability::NoPriority => Some(2),
            Applicability::NoTarget => Some(3),
        };
        if let Some(r) = reason {
            self.counts.out_of_scope += 1;
            for &m in &rows {
                let s = &mut self.scope[m];
                s.out_of_scope += 1;
                match r {
                    0 => s.not_included += 1,
                    1 => s.excluded += 1,
                    2 => s.no_priority += 1,
                    _ => s.no_target += 1,
                }
            }
            return;
        }
        self.counts.in_scope += 1;
        for &m in &rows {
            self.scope[m].in_scope += 1;
        }
        let Some(prio) = ev.priority else { return };
        let pi = prio.index + 1;
        if ev.response.stopped_at.is_some() {
            let d = &mut self.distribution;
            if let Some(row) = d.counts.get_mut(prio.index) {
                let bucket = RESPONSE_BUCKETS.partition_point(|&b| b <= ev.response.elapsed);
                row[bucket] += 1;
                d.total += 1;
                if let Some(target) = ev.response.target {
                    if d.targets.get(&prio.tier.id) != Some(&target) {
                        d.targets.insert(prio.tier.id.clone(), target);
                    }
                }
            }
        }
        let ci = ev.category.map_or(n_c + 1, |c| c.index + 1);
        self.uncategorised |= ev.category.is_none();
        let metrics = [&ev.response, &ev.resolution];
        let history = std::mem::take(&mut observed.reached);
        let sums = observed.finish(&metrics);
        for (k, metric) in METRICS.iter().enumerate() {
            let m = metrics[k];
            let cls = class(m);
            let s = sums[k];
            let reached: Vec<(usize, &crate::eval::Reached<'_>)> = history
                .iter()
                .filter_map(|r| {
                    let i = level_index(r.level)?;
                    (self.level_metric[i] == *metric).then_some((i, r))
                })
                .collect();
            // The ticket's own cell only (its month, priority and category): the "all" rows
            // are rolled up from these cells once, in `finish`.
            let i = self.idx(k, month, pi, ci);
            let a = &mut self.cells[i];
            match cls {
                Class::Met => a.met += 1,
                Class::MetLate => a.met_late += 1,
                Class::Breached => a.breached += 1,
                Class::Open => a.open += 1,
                Class::Unknown => a.unknown += 1,
                Class::Untargeted => a.untargeted += 1,
            }
            if cls != Class::Untargeted {
                a.in_scope += 1;
            }
            // An unknown outcome gives no time (its stop is not known).
            if let (Some(b), Some(w), false) = (s.business, s.wall, cls == Class::Unknown) {
                a.business.push(b);
                a.wall.push(w);
            }
            if s.paused > 0 || s.paused_business > 0 {
                a.paused.push(s.paused);
            }
            a.paused_total += s.paused;
            a.paused_business_total += s.paused_business;
            // An unknown outcome's levels are not known either.
            for &(l, _) in reached.iter().filter(|_| cls != Class::Unknown) {
                a.escalations[l] += 1;
            }
            if matches!(cls, Class::Breached | Class::MetLate) {
                self.breaches.push(Breach {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    url: t.url.clone(),
                    created: At(t.created),
                    month: month_key(self.starts[month - 1].0),
                    priority: prio.tier.id.clone(),
                    category: ev.category.map(|c| c.tier.id.clone()),
                    metric: *metric,
                    state: if cls == Class::Breached {
                        State::Breached
                    } else {
                        State::MetLate
                    },
                    target: m.target.unwrap_or(0),
                    deadline: m.deadline,
                    stopped_at: m.stopped_at,
                    elapsed: m.elapsed,
                    cycles: m.cycles,
                    escalations: reached
                        .iter()
                        .map(|(_, r)| Escalation {
                            cycle: r.cycle,
                            level: r.level,
                            role: r.role.to_string(),
                            at: r.at,
                        })
                        .collect(),
                });
            }
        }
    }

    /// The report over every ticket added.
    pub fn finish(self) -> Report {
        let ReportBuilder {
            policy,
            p,
            tz,
            at,
            now,
            starts,
            n_months,
            dims: (dm, dp, dc),
            mut cells,
            mut scope,
            excluded_by,
            mut counts,
            mut breaches,
            unreadable,
            uncategorised,
            distribution,
            ..
        } = self;
        let spec = &policy.spec;
        let n_c = spec.categories.len();
        let idx =
            |metric: usize, m: usize, p: usize, c: usize| ((metric * dm + m) * dp + p) * dc + c;
        // Each ticket was counted in its own cell (a month, a priority, a category); every cell
        // with an "all" index sums the counts of the cells it covers here, and gathers their
        // time samples into one scratch list when its percentiles are computed below (so each
        // sample is held once, not once per cell that covers it).
        for k in 0..METRICS.len() {
            for m in 1..dm {
                for pj in 1..dp {
                    for cj in 1..dc {
                        let own = idx(k, m, pj, cj);
                        if cells[own].in_scope + cells[own].untargeted == 0 {
                            continue;
                        }
                        let a = std::mem::take(&mut cells[own]);
                        for (tm, tp, tc) in [
                            (0, pj, cj),
                            (m, 0, cj),
                            (m, pj, 0),
                            (0, 0, cj),
                            (0, pj, 0),
                            (m, 0, 0),
                            (0, 0, 0),
                        ] {
                            cells[idx(k, tm, tp, tc)].merge_counts(&a);
                        }
                        cells[own] = a;
                    }
                }
            }
        }
        counts.unreadable = unreadable.len() as u64;
        crate::util::order::sort_by(&mut breaches, |a, b| {
            (a.created, &a.id).cmp(&(b.created, &b.id))
        });

        let month_name = |m: usize| (m > 0).then(|| month_key(starts[m - 1].0));
        for (m, s) in scope.iter_mut().enumerate() {
            s.month = month_name(m);
        }
        let prio_name = |p: usize| (p > 0).then(|| spec.priorities[p - 1].id.clone());
        let cat_name = |c: usize| match c {
            0 => None,
            c if c <= n_c => Some(spec.categories[c - 1].id.clone()),
            _ => Some(String::new()),
        };
        let mut out_cells = Vec::with_capacity(cells.len());
        let mut scratch: [Vec<i64>; 3] = Default::default();
        for (k, metric) in METRICS.iter().enumerate() {
            for m in 0..dm {
                for pj in 0..dp {
                    for cj in 0..dc {
                        if cj == n_c + 1 && !uncategorised {
                            continue;
                        }
                        let i = idx(k, m, pj, cj);
                        let rolled = m == 0 || pj == 0 || cj == 0;
                        if rolled {
                            // The samples of the own cells this one covers.
                            for v in &mut scratch {
                                v.clear();
                            }
                            let span = |x: usize, d: usize| if x == 0 { 1..d } else { x..x + 1 };
                            for om in span(m, dm) {
                                for op in span(pj, dp) {
                                    for oc in span(cj, dc) {
                                        let o = &cells[idx(k, om, op, oc)];
                                        scratch[0].extend_from_slice(&o.business);
                                        scratch[1].extend_from_slice(&o.wall);
                                        scratch[2].extend_from_slice(&o.paused);
                                    }
                                }
                            }
                        }
                        let a = &mut cells[i];
                        let [business, wall, paused] = if rolled {
                            let [b, w, p] = &mut scratch;
                            [b, w, p]
                        } else {
                            [&mut a.business, &mut a.wall, &mut a.paused]
                        };
                        let decided = a.met + a.met_late + a.breached;
                        out_cells.push(Cell {
                            metric: *metric,
                            month: month_name(m),
                            priority: prio_name(pj),
                            category: cat_name(cj),
                            in_scope: a.in_scope,
                            met: a.met,
                            met_late: a.met_late,
                            breached: a.breached,
                            open: a.open,
                            unknown: a.unknown,
                            untargeted: a.untargeted,
                            met_percent: (decided > 0)
                                .then(|| a.met as f64 * 100.0 / decided as f64),
                            business: times(business),
                            wall: times(wall),
                            escalations: policy
                                .levels
                                .iter()
                                .zip(&a.escalations)
                                .filter(|(l, _)| l.spec.trigger.metric == *metric)
                                .map(|(l, &n)| LevelCount {
                                    level: l.spec.level,
                                    reached: n,
                                })
                                .collect(),
                            paused: Paused {
                                tickets: paused.len() as u64,
                                total_seconds: a.paused_total,
                                median_seconds: times(paused).median,
                                total_business_seconds: a.paused_business_total,
                            },
                        });
                    }
                }
            }
        }

        let tiers = |v: &[crate::policy::TierSpec]| {
            v.iter()
                .map(|t| TierRef {
                    id: t.id.clone(),
                    name: t.name.clone(),
                })
                .collect()
        };
        let last = p.to - 1;
        let day = |t: Instant| local_date(tz, t).unwrap_or_default();
        Report {
            policy: PolicyRef {
                id: spec.id.clone(),
                name: spec.name.clone(),
            },
            period: PeriodInfo {
                from: At(p.from),
                to: At(p.to),
                first_day: day(p.from),
                last_day: day(last),
                source: p.source,
                zone: tz.name().to_string(),
                now: At(now),
                evaluated_at: At(at),
            },
            review: spec.review.as_ref().and_then(|r| r.status(day(now))),
            months: starts[..n_months].iter().map(|s| month_key(s.0)).collect(),
            priorities: tiers(&spec.priorities),
            categories: tiers(&spec.categories),
            metrics: METRICS
                .iter()
                .map(|&metric| MetricRef {
                    metric,
                    targeted: policy.targets.iter().any(|t| match metric {
                        MetricKind::Response => t.response.is_some(),
                        MetricKind::Resolution => t.resolution.is_some(),
                    }),
                })
                .collect(),
            levels: policy
                .levels
                .iter()
                .map(|l| LevelRef {
                    level: l.spec.level,
                    role: l.spec.role.clone(),
                    metric: l.spec.trigger.metric,
                })
                .collect(),
            tickets: counts,
            distribution,
            scope,
            excluded_by: excluded_by
                .iter()
                .enumerate()
                .map(|(i, &count)| RuleCount {
                    rule: format!("scope.exclude[{i}]"),
                    count,
                })
                .collect(),
            cells: out_cells,
            breaches,
            unreadable,
        }
    }
}
