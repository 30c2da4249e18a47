//! RFC 3339 instants: reading (any offset, or epoch milliseconds) and writing (UTC, `Z`).
//!
//! The common shapes are read and written without chrono (reports read and write hundreds of
//! thousands of instants); anything else goes to chrono, so the results are chrono's
//! (`tests/ticket_parse.rs` compares them).

use super::Instant;
use chrono::DateTime;

/// Parses RFC 3339 text with an offset, to whole seconds (floored).
pub(crate) fn parse_text_instant(s: &str) -> Result<Instant, String> {
    if let Some(t) = parse_rfc3339_common(s.as_bytes()) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.timestamp())
        .map_err(|_| {
            format!(
                "`{s}` is not an RFC 3339 timestamp: expected e.g. `2026-11-20T09:00:00Z` \
                 (with an offset) or epoch milliseconds"
            )
        })
}

/// Reads epoch milliseconds, to whole seconds (floored).
pub(crate) fn parse_millis_instant(ms: f64) -> Result<Instant, String> {
    if ms.is_finite() && ms.abs() < 1e16 {
        Ok((ms / 1000.0).floor() as i64)
    } else {
        Err(format!(
            "`{ms}` is not a usable epoch-milliseconds timestamp"
        ))
    }
}

/// Formats an instant as RFC 3339 UTC (`2026-11-20T09:00:00Z`).
pub fn format_instant(t: Instant) -> String {
    let mut buf = [0; 20];
    match write_instant(t, &mut buf) {
        Some(s) => s.to_string(),
        None => DateTime::from_timestamp(t, 0)
            .map(|d| super::datefmt::utc(d.naive_utc()))
            .unwrap_or_else(|| t.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 3339 without chrono for the common shapes: reports serialise and read hundreds of thousands
// of instants, and chrono's general parser and `strftime` formatting were a tenth of a report
// in Wasm. Anything else goes to chrono, so the results are chrono's (`tests/ticket_parse.rs`
// compares them).
// ---------------------------------------------------------------------------------------------

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (the inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The instant of `s` when it has the shape `YYYY-MM-DD(T|t| )HH:MM:SS(.D+)?(Z|z|±HH:MM)`
/// exactly (no surrounding space) and is a valid time; `None` for anything else, including
/// what chrono would refuse. A leap second (`:60`) is the second before, as chrono floors it.
fn parse_rfc3339_common(s: &[u8]) -> Option<Instant> {
    if s.len() < 20 {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        let (a, b) = (s[i].wrapping_sub(b'0'), s[i + 1].wrapping_sub(b'0'));
        (a < 10 && b < 10).then_some(u32::from(a) * 10 + u32::from(b))
    };
    if s[4] != b'-'
        || s[7] != b'-'
        || !matches!(s[10], b'T' | b't' | b' ')
        || s[13] != b':'
        || s[16] != b':'
    {
        return None;
    }
    let year = i64::from(two(0)? * 100 + two(2)?);
    let (month, day, hour, min, sec) = (two(5)?, two(8)?, two(11)?, two(14)?, two(17)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if day == 0 || day > month_days || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let [b'.', frac @ ..] = rest {
        let digits = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match *rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (h1.wrapping_sub(b'0'), m1.wrapping_sub(b'0'));
            let (h2, m2) = (h2.wrapping_sub(b'0'), m2.wrapping_sub(b'0'));
            if h > 2 || h2 > 9 || m > 5 || m2 > 9 || h * 10 + h2 > 23 {
                return None;
            }
            let secs = i64::from(h * 10 + h2) * 3600 + i64::from(m * 10 + m2) * 60;
            if sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return None,
    };
    let secs = i64::from(hour * 3600 + min * 60 + sec.min(59));
    Some(days_from_civil(year, month, day) * 86_400 + secs - offset)
}

/// Writes `t` as `YYYY-MM-DDTHH:MM:SSZ` into `buf` for years 0 to 9999 (what chrono's
/// `%Y-%m-%dT%H:%M:%SZ` gives there); `None` outside.
pub(crate) fn write_instant(t: Instant, buf: &mut [u8; 20]) -> Option<&str> {
    // 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z.
    if !(-62_167_219_200..253_402_300_800).contains(&t) {
        return None;
    }
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400) as u32);
    let (y, m, d) = civil_from_days(days);
    let y = y as u32;
    let mut put = |at: usize, v: u32, n: usize| {
        let mut v = v;
        for i in (at..at + n).rev() {
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60, 2);
    for (i, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        buf[i] = c;
    }
    std::str::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The common shapes take the fast path (`tests/ticket_parse.rs` holds every result to
    /// chrono's); the rest are left to chrono.
    #[test]
    fn common_rfc3339_shapes_are_read_without_chrono() {
        for (s, want) in [
            ("2026-11-20T09:00:00Z", 1_795_165_200),
            ("2026-11-20T09:00:00.123Z", 1_795_165_200),
            ("2026-11-20T10:00:00+01:00", 1_795_165_200),
            ("2026-11-20 09:00:00z", 1_795_165_200),
            ("2016-12-31T23:59:60Z", 1_483_228_799),
            ("1969-12-31T23:59:59Z", -1),
        ] {
            assert_eq!(parse_rfc3339_common(s.as_bytes()), Some(want), "{s}");
        }
        for s in [
            " 2026-11-20T09:00:00Z",
            "2026-11-20T09:00:00\u{2212}01:00",
            "2026-02-29T09:00:00Z",
            "2026-11-20T09:00:00+24:00",
            "2026-11-20T09:00:00",
        ] {
            assert_eq!(parse_rfc3339_common(s.as_bytes()), None, "{s}");
        }
        let mut buf = [0; 20];
        assert_eq!(
            write_instant(1_795_165_200, &mut buf),
            Some("2026-11-20T09:00:00Z")
        );
        assert_eq!(write_instant(253_402_300_800, &mut buf), None);
    }
}
