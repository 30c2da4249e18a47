//! IANA time zones: the tz database compiled into static tables by `tzdb_data`, read by `tz-rs`,
//! behind chrono's [`TimeZone`] trait so the calendar keeps chrono for all date arithmetic.
//!
//! Why not chrono-tz (which the tests still use as a cross-check): with every zone, its tables
//! are 137 KB of the Wasm module gzipped; `tzdb_data`'s are about 30 KB smaller for the same
//! zones (measured, `BENCHMARKS.md` "Wasm size"), and its database is newer. `DESIGN.md` ("Time
//! zones") has the differences between the two.

use chrono::{
    Duration, FixedOffset, LocalResult, MappedLocalTime, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Timelike,
};
use std::fmt;
use std::str::FromStr;
use tz::datetime::{DateTime as TzDateTime, FoundDateTimeKind};
use tz::{LocalTimeType, TimeZoneRef};

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
        zone: &tzdb_data::time_zone::UTC,
    };

    /// The zone's IANA name as the database spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every zone name of the database (canonical names and links), sorted.
    pub fn names() -> &'static [&'static str] {
        tzdb_data::TZ_NAMES
    }

    /// The version of the tz database, e.g. `2026b`.
    pub fn database_version() -> &'static str {
        tzdb_data::VERSION
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
        let names = tzdb_data::TZ_NAMES;
        let name = names
            .binary_search(&s)
            .ok()
            .map(|i| names[i])
            .or_else(|| names.iter().copied().find(|n| *n == s))
            .ok_or(UnknownZone)?;
        let zone = tzdb_data::find_tz(name.as_bytes()).ok_or(UnknownZone)?;
        Ok(Tz { name, zone })
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
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        LocalResult::None => {
            // In a gap: read the wall clock with the offset in force before the gap, which moves
            // the time forward by exactly the gap's length.
            let probe = naive - Duration::hours(24);
            let before = tz.offset_from_utc_datetime(&probe).fix().local_minus_utc();
            naive.and_utc().timestamp() - i64::from(before)
        }
    }
}
