//! IANA time zones: the tz database's tables, read by `tz-rs`, behind chrono's [`TimeZone`]
//! trait so the calendar keeps chrono for all date arithmetic.
//!
//! The tables come from `tzdb_data`, compacted at build time by `build.rs`: from 1970 on, each
//! distinct zone once, as varints (its module docs have the format). A zone is decoded into
//! tz-rs tables the first time its name is looked up, and kept.
//!
//! Why not chrono-tz (which the tests still use as a cross-check) or `tzdb_data`'s own tables:
//! with every zone, chrono-tz's are 137 KB of the Wasm module gzipped, `tzdb_data`'s about
//! 30 KB smaller, and these much smaller again (measured, `docs/benchmarks-log.md` "Wasm
//! size"); the database is newer than chrono-tz's. `DESIGN.md` ("Time zones") has the differences,
//! including what instants before 1970 get.

use chrono::{
    Duration, FixedOffset, LocalResult, MappedLocalTime, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Timelike,
};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use tz::datetime::{DateTime as TzDateTime, FoundDateTimeKind};
use tz::timezone::{
    AlternateTime, Julian0WithLeap, Julian1WithoutLeap, MonthWeekDay, RuleDay, Transition,
    TransitionRule,
};
use tz::{LocalTimeType, TimeZoneRef};

/// `NAMES`, `ZONE_OF`, `ZONES`, `VERSION`, written by `build.rs`.
mod table {
    include!(concat!(env!("OUT_DIR"), "/zone_names.rs"));
}

/// The distinct zones' records (`build.rs` has the format).
static RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/zones.bin"));

/// Each distinct zone once decoded.
static DECODED: [OnceLock<Option<TimeZoneRef<'static>>>; table::ZONES] =
    [const { OnceLock::new() }; table::ZONES];

const UTC_ZONE: TimeZoneRef<'static> = TimeZoneRef::utc();

/// An IANA time zone, e.g. `Europe/Berlin`. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Tz {
    name: &'static str,
    zone: &'static TimeZoneRef<'static>,
}

/// The offset of a [`Tz`] at some instant (chrono's `Offset` for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TzOffset {
    tz: Tz,
    fixed: FixedOffset,
    /// The abbreviation in force (`CET`, `-03`), which `%Z` prints.
    abbreviation: &'static str,
}

/// A name that is not in the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownZone;

impl Tz {
    /// `UTC`.
    pub const UTC: Tz = Tz {
        name: "UTC",
        zone: &UTC_ZONE,
    };

    /// The zone's IANA name as the database spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every zone name of the database (canonical names and links), sorted.
    pub fn names() -> &'static [&'static str] {
        &table::NAMES
    }

    /// The version of the tz database, e.g. `2026b`.
    pub fn database_version() -> &'static str {
        table::VERSION
    }

    /// The UTC offset in seconds at Unix second `t`.
    pub fn offset_at(&self, t: i64) -> i32 {
        self.local_type(t).ut_offset()
    }

    /// The local time type in force at Unix second `t` (UTC for an instant outside what
    /// tz-rs can represent, never a panic).
    fn local_type(&self, t: i64) -> &'static LocalTimeType {
        static UTC: LocalTimeType = LocalTimeType::utc();
        self.zone.find_local_time_type(t).unwrap_or(&UTC)
    }

    fn offset(&self, t: i64) -> TzOffset {
        let l = self.local_type(t);
        TzOffset {
            tz: *self,
            // tzdb offsets are well within chrono's ±24 h; UTC otherwise, never a panic.
            fixed: FixedOffset::east_opt(l.ut_offset()).unwrap_or(chrono::Utc.fix()),
            abbreviation: l.time_zone_designation(),
        }
    }
}

impl FromStr for Tz {
    type Err = UnknownZone;

    /// The exact IANA name (case-sensitive, as chrono-tz has it: `europe/berlin` is not a zone).
    fn from_str(s: &str) -> Result<Tz, UnknownZone> {
        let i = table::NAMES.binary_search(&s).map_err(|_| UnknownZone)?;
        let (zone, offset) = table::ZONE_OF[i];
        let zone = DECODED
            .get(usize::from(zone))
            .ok_or(UnknownZone)?
            .get_or_init(|| decode(RECORDS.get(offset as usize..)?))
            .as_ref()
            .ok_or(UnknownZone)?;
        Ok(Tz {
            name: table::NAMES[i],
            zone,
        })
    }
}

impl fmt::Debug for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Tz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Tz {
    fn eq(&self, other: &Tz) -> bool {
        self.name == other.name
    }
}

impl Eq for Tz {}

impl Offset for TzOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for TzOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbreviation)
    }
}

impl TimeZone for Tz {
    type Offset = TzOffset;

    fn from_offset(offset: &TzOffset) -> Tz {
        offset.tz
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<TzOffset> {
        match local.and_hms_opt(0, 0, 0) {
            Some(dt) => self.offset_from_local_datetime(&dt),
            None => MappedLocalTime::None,
        }
    }

    /// One offset for a local time that exists once, the earlier and the later for one that
    /// exists twice (a fold), none for one skipped by a gap.
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<TzOffset> {
        use chrono::Datelike;
        let mut buf = [None; 2];
        let found = TzDateTime::find_n(
            &mut buf,
            local.year(),
            local.month() as u8,
            local.day() as u8,
            local.hour() as u8,
            local.minute() as u8,
            local.second() as u8,
            0,
            *self.zone,
        );
        let Ok(found) = found else {
            return MappedLocalTime::None;
        };
        let mut offsets = found.data().iter().flatten().map(|k| match k {
            FoundDateTimeKind::Normal(dt) => Some(dt.unix_time()),
            FoundDateTimeKind::Skipped { .. } => None,
        });
        match (offsets.next(), offsets.next()) {
            (Some(Some(a)), None) => MappedLocalTime::Single(self.offset(a)),
            // tz-rs lists them in ascending order of instants.
            (Some(Some(a)), Some(Some(b))) => {
                MappedLocalTime::Ambiguous(self.offset(a), self.offset(b))
            }
            _ => MappedLocalTime::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> TzOffset {
        let t = utc
            .and_hms_opt(0, 0, 0)
            .map_or(0, |d| d.and_utc().timestamp());
        self.offset(t)
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> TzOffset {
        self.offset(utc.and_utc().timestamp())
    }
}

/// The UTC instant of local `date` + `secs` seconds (which may run past midnight), resolving a
/// nonexistent local time forward by the gap and an ambiguous one to its earlier instant.
pub fn resolve_local(tz: &Tz, date: NaiveDate, secs: u32) -> i64 {
    let naive: NaiveDateTime =
        date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(i64::from(secs));
    resolve_naive(tz, naive)
}

/// The UTC instant of the local time `naive` in `tz`: the crate's one local-time resolver
/// (DESIGN.md "Time semantics", rule 3). An ambiguous time (a fold) is its earlier instant; a
/// nonexistent one (a gap) is read with the offset in force before the gap, which moves it
/// forward by exactly the gap's length, however long the gap is.
///
/// That offset is read at `naive` − 24 h taken as UTC: a local time in a gap starting at UTC
/// instant `g` is earlier than `g` + the offset after the gap, and offsets are under 24 h, so
/// the probe is always before the gap (a whole skipped day included, Pacific/Apia 2011-12-30).
pub fn resolve_naive(tz: &Tz, naive: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        LocalResult::None => {
            let before = naive
                .checked_sub_signed(Duration::hours(24))
                .map_or(0, |probe| {
                    tz.offset_from_utc_datetime(&probe).fix().local_minus_utc()
                });
            naive.and_utc().timestamp() - i64::from(before)
        }
    }
}

/// Reads `build.rs`'s record of one zone into tz-rs tables (kept for the program's life: one
/// per distinct zone used). `None` for a malformed record, which `build.rs` does not write.
fn decode(b: &[u8]) -> Option<TimeZoneRef<'static>> {
    let mut r = Reader(b);
    let n = r.len()?;
    let mut types = Vec::with_capacity(n);
    for _ in 0..n {
        types.push(r.local_type()?);
    }
    let n = r.len()?;
    let mut transitions = Vec::with_capacity(n);
    let mut at = 0i64;
    for _ in 0..n {
        at = at.checked_add(i64::try_from(r.varint()?).ok()?)?;
        transitions.push(Transition::new(at, r.len()?));
    }
    let rule = match r.byte()? {
        0 => None,
        1 => Some(TransitionRule::Fixed(r.local_type()?)),
        2 => {
            let std = r.local_type()?;
            let dst = r.local_type()?;
            let start = r.rule_day()?;
            let start_time = i32::try_from(r.zigzag()?).ok()?;
            let end = r.rule_day()?;
            let end_time = i32::try_from(r.zigzag()?).ok()?;
            Some(TransitionRule::Alternate(
                AlternateTime::new(std, dst, start, start_time, end, end_time).ok()?,
            ))
        }
        _ => return None,
    };
    let transitions: &'static [Transition] = transitions.leak();
    let types: &'static [LocalTimeType] = types.leak();
    let rule: &'static Option<TransitionRule> = Box::leak(Box::new(rule));
    TimeZoneRef::new(transitions, types, &[], rule).ok()
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn zigzag(&mut self) -> Option<i64> {
        let v = self.varint()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn local_type(&mut self) -> Option<LocalTimeType> {
        let offset = i32::try_from(self.zigzag()?).ok()?;
        let is_dst = self.byte()? != 0;
        let n = self.len()?;
        let name = self.0.get(..n)?;
        self.0 = &self.0[n..];
        LocalTimeType::new(offset, is_dst, (n > 0).then_some(name)).ok()
    }

    fn rule_day(&mut self) -> Option<RuleDay> {
        Some(match self.byte()? {
            0 => RuleDay::Julian1WithoutLeap(
                Julian1WithoutLeap::new(u16::try_from(self.varint()?).ok()?).ok()?,
            ),
            1 => RuleDay::Julian0WithLeap(
                Julian0WithLeap::new(u16::try_from(self.varint()?).ok()?).ok()?,
            ),
            2 => {
                let (m, w, d) = (self.byte()?, self.byte()?, self.byte()?);
                RuleDay::MonthWeekDay(MonthWeekDay::new(m, w, d).ok()?)
            }
            _ => return None,
        })
    }
}
