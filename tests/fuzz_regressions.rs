//! Inputs found by the cargo-fuzz targets in `fuzz/`, minimised and kept as ordinary tests.
//! Each test names the target and the panic it found.

use serde_json::json;
use sla_lens::calendar::{Calendar, CalendarSpec};
use sla_lens::OutOfRange;

fn calendar(doc: serde_json::Value) -> Calendar {
    let spec: CalendarSpec = serde_json::from_value(doc).expect("a calendar document");
    let mut diags = Vec::new();
    Calendar::compile("fuzz", &spec, "calendars.fuzz", &mut diags)
        .unwrap_or_else(|| panic!("the calendar compiles: {diags:?}"))
}

/// fuzz target `calendar`: `add(t, d)` with `d` near `i64::MAX` panicked with "attempt to add
/// with overflow" at `pos.used + d` (in a release build it wrapped and returned an instant
/// before `t`, e.g. `sla-lens deadline` printed `{"deadline":"-9223372035086297409"}` for
/// `{"start": "2026-03-02T12:00:00Z", "duration": 9223372036854775807}`).
#[test]
fn add_with_a_duration_near_i64_max_is_out_of_range() {
    // The input as the fuzzer found it: Lord Howe Island, Saturdays 22:42-24:00, a start in 2033.
    let found = calendar(json!({
        "timeZone": "Australia/Lord_Howe",
        "week": { "sat": ["22:42:00-00:00"] }
    }));
    let t = 1_767_225_600 + 237_424_128;
    assert_eq!(found.add(t, i64::MAX), Err(OutOfRange));

    // The same on a plain office calendar, from inside and outside business hours.
    let office = calendar(json!({
        "timeZone": "UTC",
        "week": {
            "mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
            "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]
        }
    }));
    for t in [
        1_772_452_800, // 2026-03-02T12:00:00Z, a Monday, open
        1_772_481_600, // 2026-03-02T20:00:00Z, closed
        1_767_225_600, // 2026-01-01T00:00:00Z, nothing used yet this year
    ] {
        for d in [i64::MAX, i64::MAX - 1, i64::MAX - 31_536_000] {
            assert_eq!(office.add(t, d), Err(OutOfRange), "add({t}, {d})");
        }
    }
}

/// fuzz target `calendar`: `add(t, d)` returned an instant after the last covered one
/// (then 2199-12-31T00:00:00Z, now 2199-12-31T23:59:59Z: DESIGN.md rule 9), which `elapsed`
/// and every other operation then rejected, so `elapsed(t, add(t, d)) == d` failed with
/// `Err(OutOfRange)`. The 24x7 calendar already answered `OutOfRange` there; a business
/// calendar now does too.
#[test]
fn add_never_returns_an_instant_past_the_covered_years() {
    // 2199-12-31T23:59:59Z, the last supported instant.
    const LAST: i64 = 7_258_118_399;

    // The input as the fuzzer found it: Kathmandu (+05:45), an overnight Monday window and a
    // Saturday afternoon; the deadline fell on 2199-12-31T01:16:15Z (then past the last
    // instant, now within the years). Whatever `d`, a deadline is within the years and
    // `elapsed` gives `d` back, or there is none.
    let found = calendar(json!({
        "timeZone": "Asia/Kathmandu",
        "week": { "mon": ["12:02-12:00"], "sat": ["12:38-19:58:01"] }
    }));
    let t = 7_248_930_611;
    assert_eq!(found.add(t, 1_724_179), Ok(7_258_036_575)); // 2199-12-31T01:16:15Z
    let mut errors = 0;
    for d in (1_724_179..1_724_179 + 40 * 86_400).step_by(3_607) {
        match found.add(t, d) {
            Ok(r) => {
                assert!(r <= LAST, "add({t}, {d}) = {r}");
                assert_eq!(found.elapsed(t, r), Ok(d), "elapsed after add({t}, {d})");
            }
            Err(e) => {
                assert_eq!(e, OutOfRange);
                errors += 1;
            }
        }
    }
    assert!(errors > 0, "no duration reached past the last instant");

    let always_open = calendar(json!({
        "timeZone": "UTC",
        "week": {
            "mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"],
            "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"],
            "sun": ["00:00-24:00"]
        }
    }));
    assert_eq!(always_open.add(LAST - 10, 10), Ok(LAST));
    assert_eq!(always_open.elapsed(LAST - 10, LAST), Ok(10));
    assert_eq!(always_open.add(LAST - 10, 11), Err(OutOfRange));
    assert_eq!(always_open.add(LAST, 1), Err(OutOfRange));
    assert_eq!(Calendar::always().add(LAST, 1), Err(OutOfRange));
}
