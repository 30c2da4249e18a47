//! The engine's IANA zones (tzdb_data tables read by tz-rs, `src/time/zone.rs`) against chrono-tz,
//! which the engine used before and which stays a dev-dependency for this cross-check.
//!
//! The two ship different releases of the tz database (chrono-tz 0.10.4: 2025b; tzdb_data:
//! `Tz::database_version()`), and chrono-tz stops applying DST rules after 2099. So: every name
//! chrono-tz knows is known; UTC→local offsets and local→UTC resolution agree for every zone
//! at many instants 1970–2099, except for the zones whose rules the newer releases changed
//! (listed below, each checked to really differ); after 2099 the engine keeps the zones' DST
//! rules.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone};
use sla_lens::time::zone::resolve_local;
use sla_lens::time::zone::Tz;

/// Zones whose offsets in 1970–2099 changed in tz releases after 2025b (up to 2026b): British
/// Columbia's permanent daylight time from November 2026, Baja California's 1970s history, and
/// Moldova's transitions from 2038 (chrono-tz's own data stops early there). Links are listed
/// with their zone.
const CHANGED_SINCE_2025B: &[&str] = &[
    "America/Ensenada",
    "America/Santa_Isabel",
    "America/Tijuana",
    "America/Vancouver",
    "Canada/Pacific",
    "Europe/Chisinau",
    "Europe/Tiraspol",
    "Mexico/BajaNorte",
];

/// 1970-01-02 and 2100-01-01 (chrono-tz's last DST rules are for 2099).
const FROM: i64 = 86_400;
const UNTIL_2100: i64 = 4_102_444_800;

fn chrono_offset(tz: chrono_tz::Tz, t: i64) -> i32 {
    let dt = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
    tz.offset_from_utc_datetime(&dt).fix().local_minus_utc()
}

fn engine(name: &str) -> Tz {
    name.parse::<Tz>()
        .unwrap_or_else(|_| panic!("{name} is not known"))
}

/// Instants 1970–2099 every 17 days and a bit (so every weekday and time of day comes round),
/// and the instants either side of each chrono-tz transition (found by bisection).
fn instants(tz: chrono_tz::Tz) -> (Vec<i64>, Vec<i64>) {
    let step = 17 * 86_400 + 3_607;
    let coarse: Vec<i64> = (0..)
        .map(|k| FROM + k * step)
        .take_while(|t| *t < UNTIL_2100)
        .collect();
    let mut out = Vec::new();
    for w in coarse.windows(2) {
        let (mut a, mut b) = (w[0], w[1]);
        if chrono_offset(tz, a) == chrono_offset(tz, b) {
            continue;
        }
        while b - a > 1 {
            let m = a + (b - a) / 2;
            if chrono_offset(tz, m) == chrono_offset(tz, a) {
                a = m;
            } else {
                b = m;
            }
        }
        out.extend([a - 1, a, b, b + 1]);
    }
    (coarse, out)
}

#[test]
fn every_zone_chrono_tz_knows_is_known_by_its_exact_name() {
    assert!(chrono_tz::TZ_VARIANTS.len() > 590);
    for tz in chrono_tz::TZ_VARIANTS {
        let z = engine(tz.name());
        assert_eq!(z.name(), tz.name());
    }
    for name in Tz::names() {
        assert_eq!(engine(name).name(), *name);
    }
    // As with chrono-tz, names are case-sensitive and unknown names are refused.
    for bad in [
        "europe/berlin",
        "EUROPE/BERLIN",
        "Europe/Berln",
        "",
        "Mars/Olympus_Mons",
    ] {
        assert!(bad.parse::<Tz>().is_err(), "{bad:?} parsed");
        assert!(
            bad.parse::<chrono_tz::Tz>().is_err(),
            "{bad:?} parsed by chrono-tz"
        );
    }
    assert_eq!(Tz::UTC, engine("UTC"));
    assert_eq!(Tz::UTC.offset_at(1_800_000_000), 0);
}

#[test]
fn offsets_agree_with_chrono_tz_for_every_zone_1970_to_2099() {
    let mut differ = Vec::new();
    let mut checked = 0usize;
    for tz in chrono_tz::TZ_VARIANTS {
        let z = engine(tz.name());
        let mut same = true;
        let (coarse, transitions) = instants(tz);
        for (i, t) in coarse.into_iter().chain(transitions).enumerate() {
            let (want, got) = (chrono_offset(tz, t), z.offset_at(t));
            checked += 1;
            if want != got {
                same = false;
                assert!(
                    CHANGED_SINCE_2025B.contains(&tz.name()),
                    "{} at {t}: chrono-tz {want}, engine {got}",
                    tz.name()
                );
            }
            // The same offset through chrono's TimeZone trait, with the zone's abbreviation.
            let dt = chrono::DateTime::from_timestamp(t, 0).unwrap();
            let local = dt.with_timezone(&z);
            assert_eq!(local.offset().fix().local_minus_utc(), got);
            if same && i % 8 == 0 {
                assert_eq!(
                    local.format("%Z").to_string(),
                    dt.with_timezone(&tz).format("%Z").to_string(),
                    "{} at {t}",
                    tz.name()
                );
            }
        }
        if !same {
            differ.push(tz.name());
        }
    }
    assert!(checked > 597 * 2_700, "{checked}");
    // Each listed zone really differs: the list holds no stale entries.
    assert_eq!(differ, CHANGED_SINCE_2025B);
}

fn timestamps(r: LocalResult<i64>) -> Vec<i64> {
    match r {
        LocalResult::Single(a) => vec![a],
        LocalResult::Ambiguous(a, b) => vec![a, b],
        LocalResult::None => vec![],
    }
}

#[test]
fn local_times_resolve_as_with_chrono_tz_gaps_and_folds_included() {
    let (mut gaps, mut folds) = (0, 0);
    for tz in chrono_tz::TZ_VARIANTS {
        if CHANGED_SINCE_2025B.contains(&tz.name()) {
            continue;
        }
        let z = engine(tz.name());
        // Local wall times around each transition: the wall clock just before and after the
        // change read with either offset (gaps, folds and their edges).
        let mut locals: Vec<NaiveDateTime> = Vec::new();
        for t in instants(tz).1.into_iter().skip(1).step_by(4) {
            for off in [chrono_offset(tz, t - 7_200), chrono_offset(tz, t + 7_200)] {
                for d in [-1, 0, 1, 1_800] {
                    if let Some(l) = chrono::DateTime::from_timestamp(t + i64::from(off) + d, 0) {
                        locals.push(l.naive_utc());
                    }
                }
            }
        }
        for l in locals {
            let want = timestamps(tz.from_local_datetime(&l).map(|d| d.timestamp()));
            let got = timestamps(z.from_local_datetime(&l).map(|d| d.timestamp()));
            assert_eq!(got, want, "{} local {l}", tz.name());
            gaps += usize::from(got.is_empty());
            folds += usize::from(got.len() == 2);
            // The calendar's rule on top: a gap moves forward, a fold takes the earlier.
            let (date, secs) = (l.date(), l.time().signed_duration_since(Default::default()));
            let secs = secs.num_seconds() as u32;
            let old = {
                use chrono::Offset;
                match tz.from_local_datetime(&l) {
                    LocalResult::Single(a) => a.timestamp(),
                    LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
                    LocalResult::None => {
                        let before = tz
                            .offset_from_utc_datetime(&(l - chrono::Duration::hours(24)))
                            .fix()
                            .local_minus_utc();
                        l.and_utc().timestamp() - i64::from(before)
                    }
                }
            };
            assert_eq!(
                resolve_local(&z, date, secs),
                old,
                "{} local {l}",
                tz.name()
            );
        }
    }
    assert!(
        gaps > 20_000 && folds > 20_000,
        "gaps {gaps}, folds {folds}"
    );
}

/// Noon UTC of a date, as a Unix second.
fn at(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

#[test]
fn after_2099_zones_keep_their_dst_rules() {
    // chrono-tz has Berlin on +01:00 all year from 2100; the tz database's rule goes on.
    let berlin = engine("Europe/Berlin");
    for y in [2100, 2150, 2199] {
        assert_eq!(berlin.offset_at(at(y, 1, 15)), 3_600, "{y}");
        assert_eq!(berlin.offset_at(at(y, 7, 15)), 7_200, "{y}");
    }
    let lord_howe = engine("Australia/Lord_Howe");
    assert_eq!(lord_howe.offset_at(at(2150, 1, 15)), 11 * 3_600);
    assert_eq!(lord_howe.offset_at(at(2150, 7, 15)), 10 * 3_600 + 1_800);
    // The gap and the fold of 2150 in Berlin (last Sunday of March and of October).
    let gap = NaiveDate::from_ymd_opt(2150, 3, 29).unwrap();
    assert_eq!(
        resolve_local(&berlin, gap, 2 * 3_600 + 1_800),
        at(2150, 3, 29) - 12 * 3_600 + 5_400
    );
    let fold = NaiveDate::from_ymd_opt(2150, 10, 25).unwrap();
    assert_eq!(
        resolve_local(&berlin, fold, 2 * 3_600 + 1_800),
        at(2150, 10, 25) - 12 * 3_600 + 1_800
    );
}

/// The offset and abbreviation tzdb_data's full tables give at `t`.
fn full(name: &str, t: i64) -> (i32, String) {
    let l = tzdb_data::find_tz(name.as_bytes())
        .unwrap()
        .find_local_time_type(t)
        .unwrap();
    (l.ut_offset(), l.time_zone_designation().to_owned())
}

fn compact(z: Tz, t: i64) -> (i32, String) {
    let dt = chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .with_timezone(&z);
    (
        dt.offset().fix().local_minus_utc(),
        dt.format("%Z").to_string(),
    )
}

/// `build.rs` keeps every zone from 1970 on unchanged: at each of tzdb_data's transitions from
/// 1970 (and a second either side), at every 17 days and a bit from 1970 to 2200, and for the
/// local times around each transition, the compact tables give the same offset, abbreviation
/// and resolution as tzdb_data's full ones, for every name, links included.
#[test]
fn compact_tables_equal_tzdb_data_from_1970() {
    let step = 17 * 86_400 + 3_607;
    let until_2200 = 7_258_118_400;
    let mut checked = 0usize;
    for name in tzdb_data::TZ_NAMES {
        let z = engine(name);
        let zone = tzdb_data::find_tz(name.as_bytes()).unwrap();
        let changes: Vec<i64> = zone
            .transitions()
            .iter()
            .map(|t| t.unix_leap_time())
            .filter(|t| *t >= 0)
            .collect();
        let grid = (0..).map(|k| k * step).take_while(|t| *t < until_2200);
        let around = changes.iter().flat_map(|t| [t - 1, *t, t + 1]);
        for t in grid.chain(around) {
            assert_eq!(compact(z, t), full(name, t), "{name} at {t}");
            checked += 1;
        }
        // Local wall times either side of each change, read with both offsets.
        for &t in &changes {
            for off in [full(name, t - 1).0, full(name, t).0] {
                for d in [-1, 0, 1] {
                    let l = chrono::DateTime::from_timestamp(t + i64::from(off) + d, 0)
                        .unwrap()
                        .naive_utc();
                    let mut buf = [None; 2];
                    let found = tz::datetime::DateTime::find_n(
                        &mut buf,
                        chrono::Datelike::year(&l),
                        chrono::Datelike::month(&l) as u8,
                        chrono::Datelike::day(&l) as u8,
                        chrono::Timelike::hour(&l) as u8,
                        chrono::Timelike::minute(&l) as u8,
                        chrono::Timelike::second(&l) as u8,
                        0,
                        *zone,
                    )
                    .unwrap();
                    let want: Vec<i64> = found
                        .data()
                        .iter()
                        .flatten()
                        .filter_map(|k| match k {
                            tz::datetime::FoundDateTimeKind::Normal(dt) => Some(dt.unix_time()),
                            tz::datetime::FoundDateTimeKind::Skipped { .. } => None,
                        })
                        .collect();
                    let got = timestamps(z.from_local_datetime(&l).map(|d| d.timestamp()));
                    assert_eq!(got, want, "{name} local {l}");
                }
            }
        }
    }
    assert!(checked > 597 * 4_900, "{checked}");
}

/// Before 1970 a zone keeps the local time type in force on 1970-01-01 (DESIGN.md "Time
/// zones"): Berlin's 1945 double summer time and its local mean time of 1890 are not kept.
#[test]
fn before_1970_a_zone_has_its_1970_offset() {
    let berlin = engine("Europe/Berlin");
    assert_eq!(full("Europe/Berlin", at(1945, 6, 1)).0, 3 * 3_600);
    assert_eq!(berlin.offset_at(at(1945, 6, 1)), 3_600);
    assert_eq!(full("Europe/Berlin", at(1890, 1, 1)).0, 3_208);
    assert_eq!(berlin.offset_at(at(1890, 1, 1)), 3_600);
    assert_eq!(compact(berlin, at(1969, 12, 31)), (3_600, "CET".into()));
    // A zone identical to another since 1970 (a link, or merged by build.rs) still has its own
    // name.
    assert_eq!(engine("Africa/Accra").name(), "Africa/Accra");
    assert_eq!(engine("Africa/Accra").offset_at(at(1960, 1, 1)), 0);
}
