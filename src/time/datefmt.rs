//! The few fixed date texts the crate writes and reads, without chrono's `strftime` machinery.
//!
//! `DelayedFormat` (the `format("%…")` machinery) was about 5 KB of Wasm code, and its `%P`
//! pulls in `str::to_lowercase` and so the Unicode lowercase table (11 KB of data). Every
//! pattern the crate used is fixed, so these write the same text directly: each function names
//! the chrono pattern it stands for, and the tests below compare them with chrono's output over
//! chrono's whole date range. [`parse_ymd`] reads `%Y-%m-%d` as chrono's `parse_from_str` does
//! (its `strftime` parser is ~10 KB of Wasm, kept while CSV exports parse user patterns).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends `v` (< 100) as two digits: chrono's `%m`, `%d`, `%H`, `%M`, `%S`.
fn two(out: &mut String, v: u32) {
    out.push(char::from(b'0' + (v / 10 % 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

/// Appends `v` without padding: chrono's `%-d`.
fn plain(out: &mut String, v: u32) {
    if v >= 10 {
        out.push(char::from(b'0' + (v / 10 % 10) as u8));
    }
    out.push(char::from(b'0' + (v % 10) as u8));
}

/// Appends chrono's `%Y`: four digits for years 0 to 9999, otherwise a sign and at least four
/// digits (`-0001`, `+10000`), as ISO 8601 asks.
fn year(out: &mut String, y: i32) {
    if !(0..=9999).contains(&y) {
        out.push(if y < 0 { '-' } else { '+' });
    }
    let a = y.unsigned_abs();
    if a < 10_000 {
        two(out, a / 100);
        two(out, a % 100);
    } else {
        out.push_str(&a.to_string());
    }
}

/// `%Y-%m-%d`.
fn ymd(out: &mut String, d: NaiveDate) {
    year(out, d.year());
    out.push('-');
    two(out, d.month());
    out.push('-');
    two(out, d.day());
}

/// `%a %-d %b %Y`: `Tue 24 Nov 2026`.
pub(crate) fn day(d: NaiveDate) -> String {
    let mut out = String::with_capacity(16);
    out.push_str(WEEKDAYS[d.weekday().num_days_from_monday() as usize]);
    out.push(' ');
    plain(&mut out, d.day());
    out.push(' ');
    out.push_str(MONTHS[d.month0() as usize]);
    out.push(' ');
    year(&mut out, d.year());
    out
}

/// `%a %-d %b %Y %H:%M %Z` of a zoned date-time, given as its local time in seconds since
/// 1970-01-01T00:00 (the UTC instant plus the offset) and the text `%Z` prints (the offset's
/// `Display`): `Tue 24 Nov 2026 11:10 CET`. Proleptic Gregorian arithmetic, so a local time a
/// day beyond chrono's range prints as chrono's `format` does (it formats the overflowing local
/// time instead of panicking).
pub(crate) fn day_time_zone(local: i64, zone: &str) -> String {
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400) as u32);
    let (y, m, d) = super::rfc3339::civil_from_days(days);
    let mut out = String::with_capacity(24);
    // 1970-01-01 was a Thursday.
    out.push_str(WEEKDAYS[(days + 3).rem_euclid(7) as usize]);
    out.push(' ');
    plain(&mut out, d);
    out.push(' ');
    out.push_str(MONTHS[m as usize - 1]);
    out.push(' ');
    year(&mut out, y as i32);
    out.push(' ');
    two(&mut out, secs / 3600);
    out.push(':');
    two(&mut out, secs / 60 % 60);
    out.push(' ');
    out.push_str(zone);
    out
}

fn hm(out: &mut String, t: NaiveDateTime) {
    two(out, t.hour());
    out.push(':');
    two(out, t.minute());
}

/// `%Y-%m-%d %H:%M`: `2026-11-24 11:10`.
pub(crate) fn date_hm(t: NaiveDateTime) -> String {
    let mut out = String::with_capacity(16);
    ymd(&mut out, t.date());
    out.push(' ');
    hm(&mut out, t);
    out
}

/// `%Y-%m-%dT%H:%M:%SZ` of a UTC date-time: `2026-11-24T11:10:00Z`.
pub(crate) fn utc(t: NaiveDateTime) -> String {
    let mut out = String::with_capacity(20);
    ymd(&mut out, t.date());
    out.push('T');
    hm(&mut out, t);
    out.push(':');
    two(&mut out, t.second());
    out.push('Z');
    out
}

/// `NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()`, exactly: chrono skips whitespace before
/// each number, reads the year as up to 4 digits or as a sign and any number of digits, month
/// and day as 1 or 2 digits, and accepts nothing after the day.
pub(crate) fn parse_ymd(s: &str) -> Option<NaiveDate> {
    /// chrono's `scan::number(s, 1, max)`: 1 to `max` ASCII digits, `None` on overflow.
    fn number(s: &str, max: usize) -> Option<(&str, i64)> {
        let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let v = s.as_bytes()[..n].iter().try_fold(0i64, |v, &c| {
            v.checked_mul(10)?.checked_add(i64::from(c - b'0'))
        })?;
        Some((&s[n..], v))
    }
    let s = s.trim_start();
    let (s, y) = if let Some(r) = s.strip_prefix('-') {
        let (s, v) = number(r, usize::MAX)?;
        (s, -v)
    } else if let Some(r) = s.strip_prefix('+') {
        number(r, usize::MAX)?
    } else {
        number(s, 4)?
    };
    let (s, m) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let (s, d) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    if !s.is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset};
    use proptest::prelude::*;

    /// Any date-time chrono can represent (whole seconds).
    fn any_naive() -> impl Strategy<Value = NaiveDateTime> {
        let (lo, hi) = (
            NaiveDateTime::MIN.and_utc().timestamp(),
            NaiveDateTime::MAX.and_utc().timestamp(),
        );
        prop_oneof![
            lo..=hi,
            // Around years 0 and 10000, where `%Y` changes shape.
            -62_200_000_000i64..-62_100_000_000,
            253_400_000_000i64..253_410_000_000,
            // The years the engine sees.
            0i64..4_102_444_800,
        ]
        .prop_map(|t| DateTime::from_timestamp(t, 0).unwrap().naive_utc())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn as_chrono_formats(t in any_naive(), off in -86_399i32..86_400) {
            prop_assert_eq!(day(t.date()), t.date().format("%a %-d %b %Y").to_string());
            prop_assert_eq!(date_hm(t), t.format("%Y-%m-%d %H:%M").to_string());
            prop_assert_eq!(utc(t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            // `%Z` of a zone's date-time is its offset's `Display`; at chrono's ends the local
            // time overflows its range.
            let z = t.and_utc().with_timezone(&FixedOffset::east_opt(off).unwrap());
            prop_assert_eq!(
                day_time_zone(z.timestamp() + i64::from(off), &z.offset().to_string()),
                z.format("%a %-d %b %Y %H:%M %Z").to_string()
            );
        }
    }

    /// Text near the shape `%Y-%m-%d`: signs, spaces (Unicode ones too), short and long
    /// numbers, stray characters.
    fn date_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[0-9]{1,5}",
            1 => "[0-9]{6,21}",
            3 => Just("-".to_string()),
            1 => Just("+".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("\t".to_string()),
            1 => Just("\u{3000}".to_string()),
            1 => Just("\u{a0}".to_string()),
            1 => "[a-zé:T/.]",
        ];
        prop_oneof![
            prop::collection::vec(piece, 0..8).prop_map(|v| v.concat()),
            (
                "[ \t]{0,2}",
                "[-+]?",
                0u32..100_000,
                "[ ]{0,1}",
                0u32..14,
                "[ ]{0,1}",
                0u32..33,
                "[ x]{0,1}",
            )
                .prop_map(|(a, sign, y, b, m, c, d, e)| format!(
                    "{a}{sign}{y:04}-{b}{m:02}-{c}{d}{e}"
                )),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        #[test]
        fn parses_as_chrono(s in date_like()) {
            prop_assert_eq!(parse_ymd(&s), NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(), "{:?}", s);
        }
    }

    #[test]
    fn parse_edges() {
        for s in [
            "2026-11-24",
            "2026-1-5",
            " 2026- 1- 5",
            "0000-01-01",
            "-0001-12-31",
            "+10000-01-01",
            "99999-01-01",
            "2026-02-29",
            "2024-02-29",
            "2026-11-24 ",
            "2026-11-24x",
            "",
            "-",
            "+-1-01-01",
            "2026--1-01",
            "9223372036854775808-01-01",
            "-9223372036854775808-01-01",
            "\u{3000}2026-11-24",
            "2026-011-24",
            "20261-01-01",
        ] {
            assert_eq!(
                parse_ymd(s),
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn edges() {
        for (y, m, d) in [
            (0, 1, 1),
            (-1, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-262_143, 1, 1),
        ] {
            let t = NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(7, 5, 9)
                .unwrap();
            assert_eq!(utc(t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            assert_eq!(day(t.date()), t.format("%a %-d %b %Y").to_string());
        }
        let t = NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(11, 10, 0)
            .unwrap();
        assert_eq!(
            day_time_zone(t.and_utc().timestamp(), "CET"),
            "Tue 24 Nov 2026 11:10 CET"
        );
        for (t, off) in [(NaiveDateTime::MAX, 86_399), (NaiveDateTime::MIN, -86_399)] {
            let z = t
                .and_utc()
                .with_timezone(&FixedOffset::east_opt(off).unwrap());
            assert_eq!(
                day_time_zone(z.timestamp() + i64::from(off), &z.offset().to_string()),
                z.format("%a %-d %b %Y %H:%M %Z").to_string()
            );
        }
        assert_eq!(date_hm(t), "2026-11-24 11:10");
    }
}
