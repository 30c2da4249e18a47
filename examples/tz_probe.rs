//! Size probe: the time-zone part of the Wasm module alone (`node scripts/wasm-size.mjs` builds
//! it for wasm32 with the same profile and wasm-opt flags and measures its sections). It
//! compiles the engine's zone module on its own (not the whole library, whose Wasm exports
//! would come along); every zone of the database is reachable by name, and the exports are the
//! two lookups the calendar makes.

#[allow(dead_code)]
#[path = "../src/time/zone.rs"]
mod zone;

use zone::{resolve_local, Tz};

fn zone(index: u32) -> Tz {
    Tz::names()
        .get(index as usize)
        .and_then(|n| n.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// The UTC offset of zone number `index` at Unix second `t`.
#[no_mangle]
pub extern "C" fn tz_offset(index: u32, t: i64) -> i32 {
    zone(index).offset_at(t)
}

/// The instant of local `days` (since 1970-01-01) + `secs` in zone number `index`, gaps moved
/// forward and folds taking the earlier instant.
#[no_mangle]
pub extern "C" fn tz_local(index: u32, days: i32, secs: u32) -> i64 {
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(719_163 + days).unwrap_or_default();
    resolve_local(&zone(index), date, secs)
}
