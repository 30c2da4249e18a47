//! Compacts the tz database for the engine (`src/time/zone.rs`).
//!
//! `tzdb_data` (a build-dependency only) holds every IANA zone as tz-rs tables: 16 bytes per
//! transition, history back to the 19th century, one table per zone even where zones have been
//! identical since 1970. This script writes, into `OUT_DIR`:
//! - `zones.bin`: each distinct zone once, from 1970 on, as varints (the format below);
//! - `zone_names.rs`: every zone name (canonical names and links, sorted) with the number of its
//!   zone in `zones.bin` and that record's byte offset.
//!
//! From 1970: the local time type in force at 1970-01-01T00:00Z becomes the zone's first type
//! (tz-rs uses it for every instant before the first transition), and transitions before 1970
//! are dropped. Everything from 1970 on is unchanged: `tests/zones.rs` compares the decoded
//! zones with `tzdb_data`'s full tables and with chrono-tz. `DESIGN.md` "Time zones" says what
//! this means for instants before 1970.
//!
//! Record format (all integers unsigned LEB128 varints unless said; `z` = zigzag-encoded):
//! ```text
//! types:       n, then n × (offset z, is_dst 0|1, designation length, designation bytes)
//! transitions: n, then n × (seconds since the previous transition (the first: since 1970), type index)
//! rule:        0 none | 1 fixed: type | 2 alternate: std type, dst type,
//!              start day, start time z, end day, end time z
//! type:        offset z, is_dst, designation length, designation bytes (as above)
//! day:         0 Julian1WithoutLeap n | 1 Julian0WithLeap n | 2 MonthWeekDay month week weekday
//! ```

use std::collections::HashMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use tz::timezone::{RuleDay, TransitionRule};
use tz::LocalTimeType;

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn zigzag(out: &mut Vec<u8>, v: i64) {
    varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn local_type(out: &mut Vec<u8>, t: &LocalTimeType) {
    zigzag(out, i64::from(t.ut_offset()));
    out.push(u8::from(t.is_dst()));
    let d = t.time_zone_designation().as_bytes();
    varint(out, d.len() as u64);
    out.extend_from_slice(d);
}

fn rule_day(out: &mut Vec<u8>, d: &RuleDay) {
    match d {
        RuleDay::Julian1WithoutLeap(j) => {
            out.push(0);
            varint(out, u64::from(j.get()));
        }
        RuleDay::Julian0WithLeap(j) => {
            out.push(1);
            varint(out, u64::from(j.get()));
        }
        RuleDay::MonthWeekDay(m) => {
            out.push(2);
            out.extend_from_slice(&[m.month(), m.week(), m.week_day()]);
        }
    }
}

/// One zone from 1970 on, encoded.
fn encode(zone: &tz::TimeZoneRef<'static>) -> Vec<u8> {
    assert!(
        zone.leap_seconds().is_empty(),
        "tzdb_data's zones have no leap seconds"
    );
    let all = zone.transitions();
    let types = zone.local_time_types();
    let first_kept = all.partition_point(|t| t.unix_leap_time() < 0);
    let initial = match first_kept {
        0 => 0,
        k => all[k - 1].local_time_type_index(),
    };
    let kept = &all[first_kept..];
    // The types in use from 1970, the one in force at 1970 first.
    let mut used: Vec<usize> = vec![initial];
    for t in kept {
        if !used.contains(&t.local_time_type_index()) {
            used.push(t.local_time_type_index());
        }
    }
    let mut out = Vec::new();
    varint(&mut out, used.len() as u64);
    for &i in &used {
        local_type(&mut out, &types[i]);
    }
    varint(&mut out, kept.len() as u64);
    let mut prev = 0i64;
    for t in kept {
        let delta = t.unix_leap_time() - prev;
        assert!(delta >= 0, "transitions are sorted");
        varint(&mut out, delta as u64);
        prev = t.unix_leap_time();
        let index = used
            .iter()
            .position(|&u| u == t.local_time_type_index())
            .expect("every kept transition's type is in use");
        varint(&mut out, index as u64);
    }
    match zone.extra_rule() {
        None => out.push(0),
        Some(TransitionRule::Fixed(t)) => {
            out.push(1);
            local_type(&mut out, t);
        }
        Some(TransitionRule::Alternate(a)) => {
            out.push(2);
            local_type(&mut out, a.std());
            local_type(&mut out, a.dst());
            rule_day(&mut out, a.dst_start());
            zigzag(&mut out, i64::from(a.dst_start_time()));
            rule_day(&mut out, a.dst_end());
            zigzag(&mut out, i64::from(a.dst_end_time()));
        }
    }
    out
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut blob: Vec<u8> = Vec::new();
    let mut offsets: Vec<usize> = Vec::new();
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut sorted: Vec<&str> = tzdb_data::TZ_NAMES.to_vec();
    sorted.sort_unstable();
    let count = sorted.len();
    let mut names = format!(
        "/// Every zone name (canonical names and links), sorted.\n\
         pub static NAMES: [&str; {count}] = [\n"
    );
    let mut zone_of = format!(
        "/// For each of [`NAMES`], its zone's number and the byte offset of that zone's record.\n\
         pub static ZONE_OF: [(u16, u32); {count}] = [\n"
    );
    for name in sorted {
        let zone = tzdb_data::find_tz(name.as_bytes()).expect("every listed name has a zone");
        let record = encode(zone);
        let next = offsets.len();
        let index = *seen.entry(record.clone()).or_insert_with(|| {
            offsets.push(blob.len());
            blob.extend_from_slice(&record);
            next
        });
        writeln!(names, "    {name:?},").unwrap();
        writeln!(zone_of, "    ({index}, {}),", offsets[index]).unwrap();
    }
    zone_of.push_str("];\n");
    names.push_str("];\n");
    names.push_str(&zone_of);
    writeln!(names, "/// The number of distinct zones in `zones.bin`.").unwrap();
    writeln!(names, "pub const ZONES: usize = {};", offsets.len()).unwrap();
    writeln!(
        names,
        "/// The tz database release.\npub const VERSION: &str = {:?};",
        tzdb_data::VERSION
    )
    .unwrap();
    fs::write(Path::new(&out_dir).join("zones.bin"), &blob).expect("write zones.bin");
    fs::write(Path::new(&out_dir).join("zone_names.rs"), names).expect("write zone_names.rs");
}
