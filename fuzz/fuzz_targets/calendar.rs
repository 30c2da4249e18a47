//! Structured calendar fuzzing: a random calendar document (zones with DST, overnight and all-day
//! windows, one-off and yearly holidays, exceptions, now and then a garbled field), compiled,
//! then random instants and durations through `add`, `elapsed` and friends.
//!
//! Checked for every probe where `add(t, d)` succeeds (with `d' = max(d, 0)`):
//!   * `add(t, d) >= t`;
//!   * `elapsed(t, add(t, d)) == d'` (the deadline uses exactly the budget);
//!   * `add(t, d)` is inside business hours (`is_open`);
//!   * `add` is monotonic in `d`: `add(t, d / 2) <= add(t, d)`;
//!   * over short spans, the `open_intervals` of `[t, add(t, d))` add up to `d'`.
//!
//! Nothing may panic, including on calendars that fail to compile or instants out of range.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use sla_lens::calendar::{Calendar, CalendarSpec};

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe", // 30-minute DST shift
    "Pacific/Apia",        // skipped 2011-12-30 entirely
    "Pacific/Kiritimati",  // +14
    "America/St_Johns",    // -03:30 with DST
    "Asia/Kathmandu",      // +05:45
    "Africa/Casablanca",   // DST suspended during Ramadan
    "America/Santiago",    // DST at midnight
    "Europe/Dublin",       // negative DST in the tz database
    "Antarctica/Troll",    // two-hour DST shift
    "Asia/Tehran",
    "America/Sao_Paulo",
    "Pacific/Chatham", // +12:45 / +13:45
    "Etc/GMT+12",
    "Not/AZone",
];

/// 2026-01-01T00:00:00Z
const BASE: i64 = 1_767_225_600;
/// 1970-01-02, the first instant a business calendar covers.
const MIN_T: i64 = 86_400;
/// 2199-12-31T00:00:00Z, the last.
const MAX_T: i64 = 7_258_032_000;

#[derive(Arbitrary, Debug)]
enum Clock {
    Hm(u8, u8),
    Hms(u8, u8, u8),
    Raw(String),
}

impl Clock {
    fn text(&self) -> String {
        match self {
            Clock::Hm(h, m) => format!("{:02}:{:02}", h % 25, m % 60),
            Clock::Hms(h, m, s) => format!("{:02}:{:02}:{:02}", h % 25, m % 60, s % 61),
            Clock::Raw(s) => s.chars().take(12).collect(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Win {
    open: Clock,
    close: Clock,
}

impl Win {
    fn text(&self) -> String {
        format!("{}-{}", self.open.text(), self.close.text())
    }
}

#[derive(Arbitrary, Debug)]
struct Date {
    year: u8,
    month: u8,
    day: u8,
}

impl Date {
    fn text(&self) -> String {
        // Mostly 2020-2035, now and then anywhere in the covered years or just outside.
        let y = if self.year < 200 {
            2020 + i32::from(self.year % 16)
        } else {
            1969 + i32::from(self.year - 200) * 5
        };
        format!("{y:04}-{:02}-{:02}", 1 + self.month % 12, 1 + self.day % 31)
    }
}

#[derive(Arbitrary, Debug)]
enum Holiday {
    Once(Date),
    Yearly(u8, u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Exception {
    date: Date,
    windows: Vec<Win>,
}

#[derive(Arbitrary, Debug)]
enum When {
    /// Seconds after 2026-01-01, up to ten years.
    Near(u32),
    /// A boundary of the business interval around `BASE + offset`, plus a small nudge.
    Edge(u32, bool, i8),
    /// Close to the first or last covered instant.
    Limit(bool, u32),
    Any(i64),
}

#[derive(Arbitrary, Debug)]
enum Dur {
    Secs(u32),
    Hours(u16),
    Years(u8, u32),
    /// Just below `i64::MAX`: sums with it must not overflow.
    NearMax(u32),
    Any(i64),
}

#[derive(Arbitrary, Debug)]
struct Probe {
    when: When,
    dur: Dur,
}

#[derive(Arbitrary, Debug)]
struct Input {
    zone: u8,
    week: [Vec<Win>; 7],
    holidays: Vec<Holiday>,
    exceptions: Vec<Exception>,
    probes: Vec<Probe>,
}

fn document(input: &Input) -> Value {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut week = serde_json::Map::new();
    for (name, wins) in DAYS.iter().zip(&input.week) {
        let texts: Vec<String> = wins.iter().take(4).map(Win::text).collect();
        week.insert((*name).to_string(), json!(texts));
    }
    let holidays: Vec<Value> = input
        .holidays
        .iter()
        .take(24)
        .map(|h| {
            let date = match h {
                Holiday::Once(d) => d.text(),
                Holiday::Yearly(m, d) => format!("{:02}-{:02}", 1 + m % 12, 1 + d % 31),
                Holiday::Raw(s) => s.chars().take(12).collect(),
            };
            json!({ "date": date })
        })
        .collect();
    let exceptions: Vec<Value> = input
        .exceptions
        .iter()
        .take(8)
        .map(|e| {
            let windows: Vec<String> = e.windows.iter().take(3).map(Win::text).collect();
            json!({ "date": e.date.text(), "windows": windows })
        })
        .collect();
    json!({
        "timeZone": ZONES[usize::from(input.zone) % ZONES.len()],
        "week": week,
        "holidays": holidays,
        "exceptions": exceptions,
    })
}

fn instant(cal: &Calendar, when: &When) -> i64 {
    match *when {
        When::Near(s) => BASE + i64::from(s) % (10 * 366 * 86_400),
        When::Edge(s, close, nudge) => {
            let t = BASE + i64::from(s) % (10 * 366 * 86_400);
            let edge = if close {
                cal.prev_close(t).ok().flatten()
            } else {
                cal.next_open(t).ok()
            };
            edge.unwrap_or(t) + i64::from(nudge % 3)
        }
        When::Limit(high, s) => {
            let off = i64::from(s % (400 * 86_400)) - 200 * 86_400;
            if high {
                MAX_T + off
            } else {
                MIN_T + off
            }
        }
        When::Any(t) => t,
    }
}

fn duration(d: &Dur) -> i64 {
    match *d {
        Dur::Secs(s) => i64::from(s % (30 * 86_400)),
        Dur::Hours(h) => i64::from(h) * 3_600,
        Dur::Years(y, s) => i64::from(y % 101) * 365 * 86_400 + i64::from(s),
        Dur::NearMax(s) => i64::MAX - i64::from(s),
        Dur::Any(d) => d,
    }
}

fuzz_target!(|input: Input| {
    let doc = document(&input);
    let Ok(spec) = serde_json::from_value::<CalendarSpec>(doc) else {
        return;
    };
    let mut diags = Vec::new();
    let Some(cal) = Calendar::compile("fuzz", &spec, "calendars.fuzz", &mut diags) else {
        return;
    };
    for probe in input.probes.iter().take(8) {
        let t = instant(&cal, &probe.when);
        let d = duration(&probe.dur);
        let _ = cal.is_open(t);
        let _ = cal.prev_close(t);
        let _ = cal.local_date(t);
        let _ = cal.offset_at(t);
        let Ok(r) = cal.add(t, d) else {
            continue;
        };
        let want = d.max(0);
        assert!(r >= t, "add({t}, {d}) = {r} is before the start");
        assert_eq!(
            cal.elapsed(t, r),
            Ok(want),
            "elapsed({t}, add({t}, {d}) = {r}) is not the budget"
        );
        assert_eq!(
            cal.is_open(r),
            Ok(true),
            "add({t}, {d}) = {r} is outside business hours"
        );
        if let Ok(h) = cal.add(t, want / 2) {
            assert!(
                h <= r,
                "add({t}, {}) = {h} is after add({t}, {d}) = {r}",
                want / 2
            );
        }
        if r - t <= 60 * 86_400 {
            if let Ok(ivs) = cal.open_intervals(t, r) {
                let sum: i64 = ivs.iter().map(|(a, b)| b - a).sum();
                assert_eq!(
                    sum, want,
                    "open_intervals({t}, {r}) do not add up to {want}"
                );
            }
        }
    }
});
