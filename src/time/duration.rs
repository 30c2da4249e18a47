//! Human durations: `30m`, `4h`, `24h`, `1h30m`, `2d`, `90s`, `1w`.
//!
//! A duration is a whole number of seconds. Units are `w` (7 days), `d` (24 hours), `h`, `m` and
//! `s`; each may appear once, largest first. Calendar units (months) are not durations: they only
//! appear in the policy's review intervals.

use std::fmt;

/// Longest duration accepted: 100 years of seconds keeps every sum far from `i64` overflow.
pub const MAX_SECONDS: i64 = 100 * 366 * 86_400;

/// Why a duration string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    Empty,
    Syntax(String),
    TooLong,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => f.write_str("the duration is empty"),
            DurationError::Syntax(found) => write!(
                f,
                "`{found}` is not a duration: write whole numbers with units w, d, h, m, s, \
                 largest first, such as `4h`, `1h30m` or `2d`"
            ),
            DurationError::TooLong => write!(f, "the duration is longer than 100 years"),
        }
    }
}

/// Parses `1h30m`-style text into seconds. Zero (`0h`) is allowed here; callers that need a
/// positive duration say so in their own diagnostic.
pub fn parse(text: &str) -> Result<i64, DurationError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DurationError::Empty);
    }
    let syntax = || DurationError::Syntax(text.to_string());
    let mut total: i64 = 0;
    let mut last_rank = usize::MAX;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i || i - start > 12 {
            return Err(syntax());
        }
        let n: i64 = s[start..i].parse().map_err(|_| syntax())?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let (rank, secs) = match &s[unit_start..i] {
            "w" => (0, 7 * 86_400),
            "d" => (1, 86_400),
            "h" => (2, 3_600),
            "m" | "min" => (3, 60),
            "s" => (4, 1),
            _ => return Err(syntax()),
        };
        if last_rank != usize::MAX && rank <= last_rank {
            return Err(syntax());
        }
        last_rank = rank;
        total = n
            .checked_mul(secs)
            .and_then(|v| total.checked_add(v))
            .ok_or(DurationError::TooLong)?;
        if total > MAX_SECONDS {
            return Err(DurationError::TooLong);
        }
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
    }
    Ok(total)
}

/// Formats seconds the way people read them on a badge: `4h 12m`, `2d 3h`, `45s`, `0m`.
/// At most two units are shown, largest first; negative values get a leading minus.
pub fn format(seconds: i64) -> String {
    let mut out = String::new();
    if seconds < 0 {
        out.push('-');
    }
    let s = seconds.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60, s % 60);
    let parts = [(d, "d"), (h, "h"), (m, "m"), (sec, "s")];
    let first = parts.iter().position(|(v, _)| *v > 0);
    match first {
        None => out.push_str("0m"),
        Some(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{}{}", parts[i].0, parts[i].1);
            if i + 1 < parts.len() && parts[i + 1].0 > 0 && i < 3 {
                let _ = write!(out, " {}{}", parts[i + 1].0, parts[i + 1].1);
            }
        }
    }
    out
}

/// Formats business time in hours and minutes (`36h`, `3h 30m`, `45m`): a "day" of business
/// time would be read as a business day, so days are never used.
pub fn format_hours(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (h, m) = (s / 3600, (s % 3600) / 60);
    match (h, m) {
        (0, 0) if s > 0 => format!("{sign}{s}s"),
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h {m}m"),
    }
}

/// Formats seconds in the policy's own canonical syntax (`1h30m`), lossless.
pub fn format_compact(seconds: i64) -> String {
    if seconds == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut s = seconds.unsigned_abs();
    if seconds < 0 {
        out.push('-');
    }
    for (unit, size) in [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_policies_use() {
        let cases = [
            ("30m", 1_800),
            ("4h", 14_400),
            ("24h", 86_400),
            ("1h30m", 5_400),
            ("1h 30m", 5_400),
            ("2d", 172_800),
            ("1w", 604_800),
            ("90s", 90),
            ("0h", 0),
            ("1d2h3m4s", 93_784),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        for text in [
            "", "h", "4", "4x", "30m4h", "4h4h", "-4h", "1.5h", "4 hours",
        ] {
            assert!(parse(text).is_err(), "{text} should be rejected");
        }
        assert_eq!(
            parse("9999999999999h"),
            Err(DurationError::Syntax("9999999999999h".into()))
        );
        assert_eq!(parse("999999999h"), Err(DurationError::TooLong));
    }

    #[test]
    fn formats_two_units_at_most() {
        assert_eq!(format(0), "0m");
        assert_eq!(format(45), "45s");
        assert_eq!(format(4 * 3600 + 12 * 60 + 5), "4h 12m");
        assert_eq!(format(2 * 86_400 + 3 * 3600), "2d 3h");
        assert_eq!(format(86_400), "1d");
        assert_eq!(format(-7200), "-2h");
        assert_eq!(format(61), "1m 1s");
    }

    #[test]
    fn business_time_is_shown_in_hours() {
        assert_eq!(format_hours(36 * 3600), "36h");
        assert_eq!(format_hours(3 * 3600 + 30 * 60), "3h 30m");
        assert_eq!(format_hours(45 * 60), "45m");
        assert_eq!(format_hours(0), "0m");
        assert_eq!(format_hours(30), "30s");
        assert_eq!(format_hours(-5400), "-1h 30m");
    }

    #[test]
    fn compact_round_trips() {
        for s in [0, 1, 59, 60, 5_400, 86_400, 93_784] {
            assert_eq!(parse(&format_compact(s)), Ok(s));
        }
    }
}
