//! Business calendars and the time arithmetic on them.
//!
//! The rules are written down, with test vectors, in `DESIGN.md` ("Time semantics"). In short:
//! windows are local wall-clock times in the calendar's zone, half-open `[open, close)`; a close at
//! or before the open is an overnight window owned by the weekday it starts on; a holiday removes
//! the windows that *start* on its local date; a nonexistent local time moves forward by the gap,
//! an ambiguous one means its earlier instant; durations are real elapsed seconds.
//!
//! Instants are Unix seconds (`i64`). A compiled calendar turns its weekly pattern into sorted UTC
//! intervals with prefix sums, one lazily built table per local year, so `add` and `elapsed` are
//! two binary searches however long the duration is.

use crate::time::zone::{resolve_local, Tz};
use crate::time::Instant;
use crate::util::diagnostic::{index, join, Diagnostic};
use chrono::{Datelike, NaiveDate, Offset, TimeZone, Weekday};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// First and last supported year: instants from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z
/// (UTC years, DESIGN.md rule 9). Instants outside are an error.
pub const MIN_YEAR: i32 = 1970;
pub const MAX_YEAR: i32 = 2199;

/// The local years a business calendar's tables cover: one more on each side of the supported
/// UTC years, so that every supported instant falls in a table in any zone (offsets are within
/// ±1 day).
const FIRST_TABLE_YEAR: i32 = MIN_YEAR - 1;
const LAST_TABLE_YEAR: i32 = MAX_YEAR + 1;

/// The name of the built-in round-the-clock calendar.
pub const ALWAYS: &str = "24x7";

// ---------------------------------------------------------------------------------------------
// The document form
// ---------------------------------------------------------------------------------------------

/// A calendar as written in a policy (`calendars.<name>`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CalendarSpec {
    /// Free text shown in explanations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// IANA time zone, e.g. `Europe/Berlin`. The windows are wall-clock times in this zone.
    pub time_zone: String,
    /// Opening hours per weekday, as `HH:MM-HH:MM` strings. A missing day is closed.
    /// `24:00` is the end of the day; an end at or before the start is an overnight window.
    pub week: WeekSpec,
    /// Days with no business hours. `YYYY-MM-DD` for one date, `MM-DD` for every year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<HolidaySpec>,
    /// Dates with their own windows (half days, a Saturday opening); `[]` closes the day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ExceptionSpec>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WeekSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mon: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tue: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thu: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fri: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sat: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sun: Vec<String>,
}

impl WeekSpec {
    fn days(&self) -> [(&'static str, &Vec<String>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidaySpec {
    /// `YYYY-MM-DD`, or `MM-DD` for a holiday on that date every year.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExceptionSpec {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The windows of that date, replacing the weekday's; `[]` closes the day.
    pub windows: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The compiled form
// ---------------------------------------------------------------------------------------------

/// A window in seconds after the local midnight of the day it belongs to. `close` may exceed
/// 86,400 for an overnight window (it then ends on the next day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalWindow {
    pub open: u32,
    pub close: u32,
}

#[derive(Debug, Clone, Copy)]
struct Interval {
    start: Instant,
    end: Instant,
    /// Business seconds in this year's table before `start`.
    before: i64,
}

impl Interval {
    fn after(&self) -> i64 {
        self.before + (self.end - self.start)
    }
}

#[derive(Debug, Default)]
struct YearTable {
    intervals: Vec<Interval>,
    total: i64,
}

impl YearTable {
    /// Business seconds of this table in `[table start, t)`.
    fn used_before(&self, t: Instant) -> i64 {
        let k = self.intervals.partition_point(|iv| iv.start <= t);
        if k == 0 {
            return 0;
        }
        let iv = &self.intervals[k - 1];
        if t < iv.end {
            iv.before + (t - iv.start)
        } else {
            iv.after()
        }
    }

    /// The last instant at which `p` business seconds of this table are used, for
    /// `p < total`.
    fn instant_at(&self, p: i64) -> Instant {
        let k = self.intervals.partition_point(|iv| iv.after() <= p);
        let iv = &self.intervals[k];
        iv.start + (p - iv.before)
    }
}

#[derive(Debug)]
struct Business {
    tz: Tz,
    week: [Vec<LocalWindow>; 7],
    holidays: Dates<NaiveDate, Option<String>>,
    yearly: Dates<(u32, u32), Option<String>>,
    exceptions: Dates<NaiveDate, (Vec<LocalWindow>, Option<String>)>,
    /// UTC instant of local midnight, 1 January, for `FIRST_TABLE_YEAR ..= LAST_TABLE_YEAR + 1`.
    year_starts: Vec<Instant>,
    years: Vec<OnceLock<YearTable>>,
}

/// A calendar's dated entries (holidays, exceptions): a few dozen, so a list searched by
/// equality, which compiles to far less Wasm than a `BTreeMap` per entry type.
#[derive(Debug)]
struct Dates<K, V>(Vec<(K, V)>);

impl<K, V> Default for Dates<K, V> {
    fn default() -> Self {
        Dates(Vec::new())
    }
}

impl<K: PartialEq, V> Dates<K, V> {
    fn get(&self, k: &K) -> Option<&V> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    /// Adds or replaces the entry for `k` (the last one given wins); true when `k` was there.
    fn insert(&mut self, k: K, v: V) -> bool {
        match self.0.iter_mut().find(|(x, _)| *x == k) {
            Some(e) => {
                e.1 = v;
                true
            }
            None => {
                self.0.push((k, v));
                false
            }
        }
    }
}

/// A compiled calendar: the built-in 24x7 or a business calendar.
#[derive(Debug)]
pub struct Calendar {
    name: String,
    business: Option<Box<Business>>,
}

/// Calendar arithmetic failed: an instant outside the years the calendar covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "instant outside the supported years {MIN_YEAR}..={MAX_YEAR} (UTC): sla-lens counts \
             time from {MIN_YEAR}-01-01T00:00:00Z to {MAX_YEAR}-12-31T23:59:59Z"
        )
    }
}

/// What a local date is, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DayKind {
    Regular,
    Holiday { name: Option<String> },
    Exception { name: Option<String> },
}

/// 1970-01-01T00:00:00Z, the first supported instant.
pub const MIN_INSTANT: Instant = 0;
/// 2199-12-31T23:59:59Z, the last supported instant (a test pins it).
pub const MAX_INSTANT: Instant = 7_258_118_399;

/// Where an instant sits on a calendar: its year table and the business seconds before it in
/// that year. Computing it once lets several deadlines from one start share the lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    t: Instant,
    year: usize,
    used: i64,
}

impl Pos {
    pub fn instant(&self) -> Instant {
        self.t
    }
}

impl Calendar {
    /// The built-in round-the-clock calendar: every second counts.
    pub fn always() -> Calendar {
        Calendar {
            name: ALWAYS.to_string(),
            business: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_always(&self) -> bool {
        self.business.is_none()
    }

    /// The IANA zone of a business calendar; `UTC` for 24x7.
    pub fn time_zone(&self) -> Tz {
        self.business.as_ref().map_or(Tz::UTC, |b| b.tz)
    }

    /// Compiles a calendar, pushing every problem found into `diags` (paths start at `path`).
    /// Returns `None` when any error was found.
    pub fn compile(
        name: &str,
        spec: &CalendarSpec,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Calendar> {
        let before = diags.iter().filter(|d| d.is_error()).count();
        let tz: Option<Tz> = match spec.time_zone.parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                diags.push(Diagnostic::error(
                    "invalid-time-zone",
                    join(path, "timeZone"),
                    format!(
                        "`{}` is not an IANA time zone: use a name such as `Europe/Berlin`, \
                         `America/New_York` or `UTC`",
                        spec.time_zone
                    ),
                ));
                None
            }
        };
        let week_path = join(path, "week");
        let mut week: [Vec<LocalWindow>; 7] = Default::default();
        for (i, (day, texts)) in spec.week.days().into_iter().enumerate() {
            let day_path = join(&week_path, day);
            week[i] = parse_windows(texts, &day_path, diags);
        }
        check_week_overlaps(&week, &week_path, diags);
        let open_per_week: u64 = week
            .iter()
            .flatten()
            .map(|w| u64::from(w.close - w.open))
            .sum();
        let mut holidays = Dates::default();
        let mut yearly = Dates::default();
        for (i, h) in spec.holidays.iter().enumerate() {
            let hp = join(&index(&join(path, "holidays"), i), "date");
            match parse_holiday_date(&h.date) {
                Some(HolidayDate::Once(d)) => {
                    if holidays.insert(d, h.name.clone()) {
                        diags.push(Diagnostic::warning(
                            "duplicate-holiday",
                            hp,
                            format!("`{}` is listed twice: remove one of the entries", h.date),
                        ));
                    }
                }
                Some(HolidayDate::Yearly(m, d)) => {
                    if yearly.insert((m, d), h.name.clone()) {
                        diags.push(Diagnostic::warning(
                            "duplicate-holiday",
                            hp,
                            format!("`{}` is listed twice: remove one of the entries", h.date),
                        ));
                    }
                }
                None => diags.push(Diagnostic::error(
                    "invalid-date",
                    hp,
                    format!(
                        "`{}` is not a date: write `YYYY-MM-DD` for one day or `MM-DD` for the \
                         same day every year",
                        h.date
                    ),
                )),
            }
        }
        let mut exceptions = Dates::default();
        let mut exception_hours = false;
        for (i, e) in spec.exceptions.iter().enumerate() {
            let ep = index(&join(path, "exceptions"), i);
            let windows = parse_windows(&e.windows, &join(&ep, "windows"), diags);
            exception_hours |= !windows.is_empty();
            match crate::time::datefmt::parse_ymd(&e.date) {
                Some(d) => {
                    if exceptions.insert(d, (windows, e.name.clone())) {
                        diags.push(Diagnostic::error(
                            "duplicate-exception",
                            join(&ep, "date"),
                            format!(
                                "`{}` has two exceptions: merge their windows into one entry",
                                e.date
                            ),
                        ));
                    }
                }
                None => diags.push(Diagnostic::error(
                    "invalid-date",
                    join(&ep, "date"),
                    format!("`{}` is not a date: write `YYYY-MM-DD`", e.date),
                )),
            }
        }
        if open_per_week == 0 && !exception_hours {
            diags.push(Diagnostic::error(
                "calendar-without-hours",
                week_path,
                format!(
                    "calendar `{name}` has no opening hours, so no deadline on it could ever be \
                     reached: add windows such as `\"mon\": [\"09:00-17:00\"]`, or use the \
                     built-in `24x7` calendar"
                ),
            ));
        }
        check_exception_overlaps(spec, &week, &holidays, &yearly, &exceptions, path, diags);
        if (open_per_week > 0 || exception_hours)
            && !has_open_day(&week, &holidays, &yearly, &exceptions)
        {
            let what = if spec.holidays.is_empty() {
                "exceptions"
            } else {
                "holidays"
            };
            diags.push(Diagnostic::error(
                "calendar-without-open-hours",
                join(path, what),
                format!(
                    "calendar `{name}` has opening hours, but its holidays and exceptions close \
                     every day that has them from {MIN_YEAR} to {MAX_YEAR}, so no deadline on it \
                     could ever be reached: remove holidays (a `MM-DD` holiday recurs every \
                     year), or use the built-in `24x7` calendar"
                ),
            ));
        }
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let tz = tz?;
        if errors > before {
            return None;
        }
        Some(Calendar::business(
            name, tz, week, holidays, yearly, exceptions,
        ))
    }

    fn business(
        name: &str,
        tz: Tz,
        week: [Vec<LocalWindow>; 7],
        holidays: Dates<NaiveDate, Option<String>>,
        yearly: Dates<(u32, u32), Option<String>>,
        exceptions: Dates<NaiveDate, (Vec<LocalWindow>, Option<String>)>,
    ) -> Calendar {
        let year_starts = (FIRST_TABLE_YEAR..=LAST_TABLE_YEAR + 1)
            .map(|y| {
                let d = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
                resolve_local(&tz, d, 0)
            })
            .collect();
        let years = (FIRST_TABLE_YEAR..=LAST_TABLE_YEAR)
            .map(|_| OnceLock::new())
            .collect();
        Calendar {
            name: name.to_string(),
            business: Some(Box::new(Business {
                tz,
                week,
                holidays,
                yearly,
                exceptions,
                year_starts,
                years,
            })),
        }
    }

    fn check(t: Instant) -> Result<(), OutOfRange> {
        if (MIN_INSTANT..=MAX_INSTANT).contains(&t) {
            Ok(())
        } else {
            Err(OutOfRange)
        }
    }

    /// Business seconds in `[a, b)`; zero when `b <= a`.
    pub fn elapsed(&self, a: Instant, b: Instant) -> Result<i64, OutOfRange> {
        Self::check(b)?;
        if b <= a {
            Self::check(a)?;
            return Ok(0);
        }
        self.elapsed_from(self.pos(a)?, b)
    }

    /// The deadline `d` business seconds after `t`: the last instant at which the business time
    /// used since `t` is still at most `d`. `add(t, 0)` is `t` inside business hours, else the
    /// next opening; a budget running out exactly at a close lands on the next opening.
    pub fn add(&self, t: Instant, d: i64) -> Result<Instant, OutOfRange> {
        self.add_from(self.pos(t)?, d)
    }

    /// The position of `t`, for [`Calendar::add_from`] and [`Calendar::elapsed_from`].
    pub fn pos(&self, t: Instant) -> Result<Pos, OutOfRange> {
        Self::check(t)?;
        Ok(match &self.business {
            None => Pos {
                t,
                year: 0,
                used: 0,
            },
            Some(biz) => {
                let year = biz.year_of(t);
                Pos {
                    t,
                    year,
                    used: biz.table(year).used_before(t),
                }
            }
        })
    }

    /// `add(pos.t, d)` from a position computed once.
    pub fn add_from(&self, pos: Pos, d: i64) -> Result<Instant, OutOfRange> {
        let d = d.max(0);
        let Some(biz) = &self.business else {
            let r = pos.t.checked_add(d).ok_or(OutOfRange)?;
            Self::check(r)?;
            return Ok(r);
        };
        let mut y = pos.year;
        let mut p = pos.used.checked_add(d).ok_or(OutOfRange)?;
        loop {
            let table = biz.table(y);
            if p < table.total {
                let r = table.instant_at(p);
                Self::check(r)?;
                return Ok(r);
            }
            p -= table.total;
            y += 1;
            if y >= biz.years.len() {
                return Err(OutOfRange);
            }
        }
    }

    /// `elapsed(pos.t, b)` from a position computed once.
    pub fn elapsed_from(&self, pos: Pos, b: Instant) -> Result<i64, OutOfRange> {
        Self::check(b)?;
        if b <= pos.t {
            return Ok(0);
        }
        let Some(biz) = &self.business else {
            return Ok(b - pos.t);
        };
        let yb = biz.year_of(b);
        let mut sum = -pos.used;
        for y in pos.year..yb {
            sum += biz.table(y).total;
        }
        Ok(sum + biz.table(yb).used_before(b))
    }

    /// The next instant at or after `t` that is inside business hours.
    pub fn next_open(&self, t: Instant) -> Result<Instant, OutOfRange> {
        self.add(t, 0)
    }

    /// The end of the last business interval that ends at or before `t` (within a year back).
    pub fn prev_close(&self, t: Instant) -> Result<Option<Instant>, OutOfRange> {
        Self::check(t)?;
        let Some(biz) = &self.business else {
            return Ok(Some(t));
        };
        let y = biz.year_of(t);
        for yy in (y.saturating_sub(1)..=y).rev() {
            let table = biz.table(yy);
            let k = table.intervals.partition_point(|iv| iv.end <= t);
            if k > 0 {
                return Ok(Some(table.intervals[k - 1].end));
            }
        }
        Ok(None)
    }

    /// Whether `t` is inside business hours.
    pub fn is_open(&self, t: Instant) -> Result<bool, OutOfRange> {
        Ok(self.next_open(t)? == t)
    }

    /// The business intervals intersecting `[a, b)`, clipped to it, in order.
    pub fn open_intervals(
        &self,
        a: Instant,
        b: Instant,
    ) -> Result<Vec<(Instant, Instant)>, OutOfRange> {
        Self::check(a)?;
        Self::check(b)?;
        let Some(biz) = &self.business else {
            return Ok(if a < b { vec![(a, b)] } else { vec![] });
        };
        let mut out: Vec<(Instant, Instant)> = Vec::new();
        if b <= a {
            return Ok(out);
        }
        for y in biz.year_of(a)..=biz.year_of(b) {
            let t = biz.table(y);
            let k = t.intervals.partition_point(|iv| iv.end <= a);
            for iv in &t.intervals[k..] {
                if iv.start >= b {
                    break;
                }
                let (s, e) = (iv.start.max(a), iv.end.min(b));
                match out.last_mut() {
                    Some(last) if last.1 == s => last.1 = e,
                    _ => out.push((s, e)),
                }
            }
        }
        Ok(out)
    }

    /// The UTC offset in seconds at `t` in the calendar's zone.
    pub fn offset_at(&self, t: Instant) -> i32 {
        let tz = self.time_zone();
        match chrono::DateTime::from_timestamp(t, 0) {
            Some(dt) => tz
                .offset_from_utc_datetime(&dt.naive_utc())
                .fix()
                .local_minus_utc(),
            None => 0,
        }
    }

    /// The local date of `t` in the calendar's zone.
    pub fn local_date(&self, t: Instant) -> Option<NaiveDate> {
        let dt = chrono::DateTime::from_timestamp(t, 0)?;
        Some(dt.with_timezone(&self.time_zone()).date_naive())
    }

    /// What kind of day a local date is (holiday, exception, regular).
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        let Some(biz) = &self.business else {
            return DayKind::Regular;
        };
        if let Some((_, name)) = biz.exceptions.get(&date) {
            return DayKind::Exception { name: name.clone() };
        }
        if let Some(name) = biz.holiday(date) {
            return DayKind::Holiday { name: name.clone() };
        }
        DayKind::Regular
    }

    /// The weekday's regular windows on `date` as UTC intervals, ignoring holidays and
    /// exceptions (what the day would have had).
    pub fn regular_windows(&self, date: NaiveDate) -> Vec<(Instant, Instant)> {
        let Some(biz) = &self.business else {
            return Vec::new();
        };
        biz.week[date.weekday().num_days_from_monday() as usize]
            .iter()
            .map(|w| {
                (
                    resolve_local(&biz.tz, date, w.open),
                    resolve_local(&biz.tz, date, w.close),
                )
            })
            .collect()
    }

    /// The nominal weekly pattern: windows per weekday (Monday first).
    pub fn week(&self) -> Option<&[Vec<LocalWindow>; 7]> {
        self.business.as_ref().map(|b| &b.week)
    }
}

impl Business {
    fn year_of(&self, t: Instant) -> usize {
        // Estimate from the mean Gregorian year, then step to the exact table (`check` keeps t
        // within the covered years, so at most a step or two).
        let last = self.years.len() - 1;
        let mut y = ((t - self.year_starts[0]).max(0) / 31_556_952) as usize;
        y = y.min(last);
        while y > 0 && self.year_starts[y] > t {
            y -= 1;
        }
        while y < last && self.year_starts[y + 1] <= t {
            y += 1;
        }
        y
    }

    fn holiday(&self, date: NaiveDate) -> Option<&Option<String>> {
        self.holidays
            .get(&date)
            .or_else(|| self.yearly.get(&(date.month(), date.day())))
    }

    fn windows_of(&self, date: NaiveDate) -> &[LocalWindow] {
        if let Some((w, _)) = self.exceptions.get(&date) {
            return w;
        }
        if self.holiday(date).is_some() {
            return &[];
        }
        &self.week[date.weekday().num_days_from_monday() as usize]
    }

    fn table(&self, y: usize) -> &YearTable {
        self.years[y].get_or_init(|| self.build(y))
    }

    fn build(&self, y: usize) -> YearTable {
        let (lo, hi) = (self.year_starts[y], self.year_starts[y + 1]);
        let year = FIRST_TABLE_YEAR + y as i32;
        let mut spans: Vec<(Instant, Instant)> = Vec::with_capacity(400);
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.pred_opt()) else {
            return YearTable::default();
        };
        let mut day = first;
        while day.year() <= year {
            for w in self.windows_of(day) {
                let s = resolve_local(&self.tz, day, w.open).max(lo);
                let e = resolve_local(&self.tz, day, w.close).min(hi);
                if e > s {
                    spans.push((s, e));
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        crate::util::order::sort_by(&mut spans, |a, b| a.cmp(b));
        let mut intervals: Vec<Interval> = Vec::with_capacity(spans.len());
        let mut total = 0;
        for (s, e) in spans {
            match intervals.last_mut() {
                Some(last) if s <= last.end => {
                    if e > last.end {
                        total += e - last.end;
                        last.end = e;
                    }
                }
                _ => {
                    intervals.push(Interval {
                        start: s,
                        end: e,
                        before: total,
                    });
                    total += e - s;
                }
            }
        }
        YearTable { intervals, total }
    }
}

enum HolidayDate {
    Once(NaiveDate),
    Yearly(u32, u32),
}

fn parse_holiday_date(text: &str) -> Option<HolidayDate> {
    if let Some(d) = crate::time::datefmt::parse_ymd(text) {
        return Some(HolidayDate::Once(d));
    }
    let (m, d) = text.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted as a yearly date.
    NaiveDate::from_ymd_opt(2024, m, d)?;
    Some(HolidayDate::Yearly(m, d))
}

/// Parses `HH:MM` (or `HH:MM:SS`) into seconds after midnight; `24:00` is 86,400.
pub fn parse_clock(text: &str) -> Option<u32> {
    let mut parts = text.trim().split(':');
    let h: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let m: u32 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let s: u32 = match parts.next() {
        Some(p) if p.len() == 2 => p.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    if parts.next().is_some() || m > 59 || s > 59 {
        return None;
    }
    let secs = h * 3600 + m * 60 + s;
    (secs <= 86_400).then_some(secs)
}

/// Parses `HH:MM-HH:MM` into a window; an end at or before the start runs overnight.
pub fn parse_window(text: &str) -> Option<LocalWindow> {
    let (a, b) = text.split_once('-')?;
    let open = parse_clock(a)?;
    let close = parse_clock(b)?;
    if open >= 86_400 {
        return None;
    }
    let close = if close <= open { close + 86_400 } else { close };
    Some(LocalWindow { open, close })
}

fn parse_windows(texts: &[String], path: &str, diags: &mut Vec<Diagnostic>) -> Vec<LocalWindow> {
    let mut out: Vec<LocalWindow> = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let p = index(path, i);
        match parse_window(t) {
            Some(w) => {
                if let Some(j) = out
                    .iter()
                    .position(|o| w.open < o.close && o.open < w.close)
                {
                    diags.push(Diagnostic::error(
                        "overlapping-windows",
                        p,
                        format!(
                            "window `{t}` overlaps window `{}` of the same day: make them \
                             disjoint or merge them into one window",
                            texts[j]
                        ),
                    ));
                }
                out.push(w);
            }
            None => diags.push(Diagnostic::error(
                "invalid-window",
                p,
                format!(
                    "`{t}` is not a window: write `HH:MM-HH:MM` in 24-hour time, such as \
                     `09:00-17:00`, `22:00-06:00` (overnight) or `00:00-24:00` (all day)"
                ),
            )),
        }
    }
    crate::util::order::sort_by_key(&mut out, |w| w.open);
    out
}

/// Overnight windows must not run into the next weekday's first window.
fn check_week_overlaps(week: &[Vec<LocalWindow>; 7], path: &str, diags: &mut Vec<Diagnostic>) {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for i in 0..7 {
        let next = (i + 1) % 7;
        for w in &week[i] {
            if w.close <= 86_400 {
                continue;
            }
            let spill = w.close - 86_400;
            if let Some(o) = week[next].iter().find(|o| o.open < spill) {
                diags.push(Diagnostic::error(
                    "overlapping-windows",
                    join(path, NAMES[i]),
                    format!(
                        "the overnight window {} of `{}` runs until {} on `{}`, past the opening \
                         {} of that day: end the overnight window earlier or start `{}` later",
                        fmt_window(w),
                        NAMES[i],
                        fmt_clock(spill),
                        NAMES[next],
                        fmt_clock(o.open),
                        NAMES[next]
                    ),
                ));
            }
        }
    }
}

/// The windows a local date has, from the parsed parts (as [`Business::windows_of`]).
fn windows_on<'a>(
    date: NaiveDate,
    week: &'a [Vec<LocalWindow>; 7],
    holidays: &Dates<NaiveDate, Option<String>>,
    yearly: &Dates<(u32, u32), Option<String>>,
    exceptions: &'a Dates<NaiveDate, (Vec<LocalWindow>, Option<String>)>,
) -> &'a [LocalWindow] {
    if let Some((w, _)) = exceptions.get(&date) {
        return w;
    }
    if holidays.get(&date).is_some() || yearly.get(&(date.month(), date.day())).is_some() {
        return &[];
    }
    &week[date.weekday().num_days_from_monday() as usize]
}

/// An exception's overnight window must not run into the next date's first window, nor the
/// previous date's overnight window into the exception's: the rule `week` follows
/// ([`check_week_overlaps`]), applied to every pair of dates with an exception in it.
fn check_exception_overlaps(
    spec: &CalendarSpec,
    week: &[Vec<LocalWindow>; 7],
    holidays: &Dates<NaiveDate, Option<String>>,
    yearly: &Dates<(u32, u32), Option<String>>,
    exceptions: &Dates<NaiveDate, (Vec<LocalWindow>, Option<String>)>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let on = |d: NaiveDate| windows_on(d, week, holidays, yearly, exceptions);
    let describe = |d: NaiveDate| {
        let kind = if exceptions.get(&d).is_some() {
            "its exception"
        } else {
            "its weekday's hours"
        };
        format!("{} ({}, {kind})", d, weekday_name(d.weekday()))
    };
    // Each date once, at the entry that won for it (the last; a duplicate is its own error).
    let mut dated: Vec<(NaiveDate, usize)> = spec
        .exceptions
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((crate::time::datefmt::parse_ymd(&e.date)?, i)))
        .collect();
    crate::util::order::sort_by(&mut dated, |a, b| a.cmp(b));
    for (k, &(date, i)) in dated.iter().enumerate() {
        if dated.get(k + 1).is_some_and(|n| n.0 == date) {
            continue;
        }
        let wp = join(&index(&join(path, "exceptions"), i), "windows");
        let pairs = [(date.pred_opt(), Some(date)), (Some(date), date.succ_opt())];
        for (j, (a, b)) in pairs.into_iter().enumerate() {
            let (Some(a), Some(b)) = (a, b) else { continue };
            // The pair (previous day, this exception) is checked from the previous day's
            // exception when it has one.
            if j == 0 && exceptions.get(&a).is_some() {
                continue;
            }
            let first = on(b).iter().map(|o| o.open).min();
            for w in on(a) {
                let Some(open) = first else { break };
                if w.close <= 86_400 || w.close - 86_400 <= open {
                    continue;
                }
                diags.push(Diagnostic::error(
                    "overlapping-windows",
                    wp.clone(),
                    format!(
                        "the overnight window {} of {} runs until {} on {}, past the opening {} \
                         of that day: end the overnight window earlier or start {} later",
                        fmt_window(w),
                        describe(a),
                        fmt_clock(w.close - 86_400),
                        describe(b),
                        fmt_clock(open),
                        b
                    ),
                ));
            }
        }
    }
}

/// Whether any local date from `MIN_YEAR` to `MAX_YEAR` has a window. Usually the first few
/// dates answer; a calendar closed on every date is walked through once, a constant number of
/// days, with each date's holiday looked up in a table or by binary search.
fn has_open_day(
    week: &[Vec<LocalWindow>; 7],
    holidays: &Dates<NaiveDate, Option<String>>,
    yearly: &Dates<(u32, u32), Option<String>>,
    exceptions: &Dates<NaiveDate, (Vec<LocalWindow>, Option<String>)>,
) -> bool {
    let (Some(lo), Some(hi)) = (
        NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1),
        NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31),
    ) else {
        return false;
    };
    if exceptions
        .0
        .iter()
        .any(|(d, (w, _))| !w.is_empty() && (lo..=hi).contains(d))
    {
        return true;
    }
    if week.iter().all(Vec::is_empty) {
        return false;
    }
    let mut yearly_closed = [false; 13 * 32];
    for ((m, d), _) in &yearly.0 {
        yearly_closed[(*m * 32 + *d) as usize] = true;
    }
    // Every exception left is closed (`[]`).
    let mut closed: Vec<NaiveDate> = holidays
        .0
        .iter()
        .map(|(d, _)| *d)
        .chain(exceptions.0.iter().map(|(d, _)| *d))
        .collect();
    crate::util::order::sort_by(&mut closed, |a, b| a.cmp(b));
    let mut d = lo;
    while d <= hi {
        if !week[d.weekday().num_days_from_monday() as usize].is_empty()
            && !yearly_closed[(d.month() * 32 + d.day()) as usize]
            && closed.binary_search(&d).is_err()
        {
            return true;
        }
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    false
}

pub fn fmt_clock(secs: u32) -> String {
    let secs = secs % 86_400 + if secs == 86_400 { 86_400 } else { 0 };
    if secs % 60 == 0 {
        format!("{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
    } else {
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        )
    }
}

fn fmt_window(w: &LocalWindow) -> String {
    format!("{}-{}", fmt_clock(w.open), fmt_clock(w.close % 86_400))
}

/// Weekday index helper for explanations.
pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_range_is_what_the_constants_say() {
        let min = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let max = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap();
        assert_eq!(min.and_utc().timestamp(), MIN_INSTANT);
        assert_eq!(max.and_utc().timestamp(), MAX_INSTANT);
        assert_eq!(Calendar::always().add(MAX_INSTANT, 1), Err(OutOfRange));
        assert_eq!(Calendar::always().elapsed(-1, 10), Err(OutOfRange));
        assert_eq!(Calendar::always().elapsed(MIN_INSTANT, 10), Ok(10));
    }
}
