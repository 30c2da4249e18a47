//! Size probe (see build.sh): one zone library per feature, every IANA zone by name.

use wasm_bindgen::prelude::*;

#[cfg(feature = "ctz")]
mod imp {
    use chrono::{LocalResult, NaiveDate, Offset, TimeZone};
    use chrono_tz::Tz;
    pub fn offset(name: &str, t: i64) -> i32 {
        let Ok(tz) = name.parse::<Tz>() else {
            return i32::MIN;
        };
        let dt = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
        tz.offset_from_utc_datetime(&dt).fix().local_minus_utc()
    }
    pub fn local(name: &str, y: i32, m: u32, d: u32, s: u32) -> f64 {
        let Ok(tz) = name.parse::<Tz>() else {
            return f64::NAN;
        };
        let n = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + chrono::Duration::seconds(s as i64);
        match tz.from_local_datetime(&n) {
            LocalResult::Single(t) => t.timestamp() as f64,
            LocalResult::Ambiguous(a, _) => -(a.timestamp() as f64),
            LocalResult::None => f64::INFINITY,
        }
    }
}

#[cfg(feature = "jiff")]
mod imp {
    use jiff::civil::date;
    use jiff::tz::{AmbiguousOffset, TimeZone};
    use jiff::Timestamp;
    pub fn offset(name: &str, t: i64) -> i32 {
        let Ok(tz) = TimeZone::get(name) else {
            return i32::MIN;
        };
        tz.to_offset(Timestamp::from_second(t).unwrap()).seconds()
    }
    pub fn local(name: &str, y: i32, m: u32, d: u32, s: u32) -> f64 {
        let Ok(tz) = TimeZone::get(name) else {
            return f64::NAN;
        };
        let dt = date(y as i16, m as i8, d as i8)
            .at(0, 0, 0, 0)
            .checked_add(jiff::SignedDuration::from_secs(s as i64))
            .unwrap();
        match tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset.seconds() as f64,
            AmbiguousOffset::Fold { before, .. } => -(before.seconds() as f64),
            AmbiguousOffset::Gap { before, .. } => before.seconds() as f64 + 0.5,
        }
    }
}

#[cfg(feature = "tzrs")]
mod imp {
    use tz::TimeZoneRef;
    fn find(name: &str) -> Option<TimeZoneRef<'static>> {
        tzdb_data::find_tz(name.as_bytes()).copied()
    }
    pub fn offset(name: &str, t: i64) -> i32 {
        let Some(tz) = find(name) else {
            return i32::MIN;
        };
        tz.find_local_time_type(t)
            .map(|l| l.ut_offset())
            .unwrap_or(0)
    }
    pub fn local(name: &str, y: i32, m: u32, d: u32, s: u32) -> f64 {
        let Some(tz) = find(name) else {
            return f64::NAN;
        };
        // local→UTC: tz-rs DateTime::find (unique, or the earlier of two, or none in a gap)
        match tz::DateTime::find(
            y,
            m as u8,
            d as u8,
            (s / 3600) as u8,
            ((s / 60) % 60) as u8,
            (s % 60) as u8,
            0,
            tz,
        ) {
            Ok(f) => match f.unique() {
                Some(dt) => dt.unix_time() as f64,
                None => f
                    .earliest()
                    .map_or(f64::INFINITY, |e| -(e.unix_time() as f64)),
            },
            Err(_) => f64::NAN,
        }
    }
}

#[wasm_bindgen]
pub fn offset(name: &str, t: f64) -> i32 {
    imp::offset(name, t as i64)
}
#[wasm_bindgen]
pub fn local(name: &str, y: i32, m: u32, d: u32, s: u32) -> f64 {
    imp::local(name, y, m, d, s)
}
