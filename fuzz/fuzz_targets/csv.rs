//! Arbitrary bytes as a CSV issue export and its column mapping, read as
//! `sla-lens eval --tracker redmine-csv|jira-csv --mapping M --time-zone Z` reads them.
//!
//! Input layout: one byte of options (bit 0: Jira's export, else Redmine's; bits 1-3: the
//! `--time-zone`, or none; bit 4: the mapping part below is used), then — when bit 4 is set —
//! the mapping JSON up to the first NUL byte, then the export's bytes (any encoding). A mapping
//! that is refused is a finding only if it panics; the export is then read with the defaults,
//! so that the CSV reader is reached either way. Every row goes on to be read and evaluated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use sla_lens::adapters::csv::{map_csv_bytes, CsvFormat, CsvMapping};

const ZONES: [Option<&str>; 8] = [
    None,
    Some("UTC"),
    Some("Europe/Berlin"),
    Some("America/New_York"),
    Some("Australia/Lord_Howe"),
    Some("Asia/Kathmandu"),
    Some("Pacific/Apia"),
    Some("Not/AZone"),
];

fn mapping(format: CsvFormat, text: &str, zone: Option<&str>) -> Option<CsvMapping> {
    // As the CLI: `--time-zone` goes into the mapping object.
    let mut value: Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(text).ok()?
    };
    if let (Some(tz), Some(o)) = (zone, value.as_object_mut()) {
        o.insert("timeZone".into(), json!(tz));
    }
    match CsvMapping::from_json(Some(format), &value.to_string()) {
        Ok(m) => Some(m),
        Err(d) => {
            let _ = d.to_string();
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&opts, rest)) = data.split_first() else {
        return;
    };
    let format = if opts & 1 == 1 {
        CsvFormat::Jira
    } else {
        CsvFormat::Redmine
    };
    let zone = ZONES[usize::from(opts >> 1) & 7];
    let (given, export) = if opts & 0x10 != 0 {
        match rest.iter().position(|&b| b == 0) {
            Some(i) => (std::str::from_utf8(&rest[..i]).ok(), &rest[i + 1..]),
            None => (None, rest),
        }
    } else {
        (None, rest)
    };
    let m = given
        .and_then(|t| mapping(format, t, zone))
        .or_else(|| mapping(format, "", zone.or(Some("UTC"))));
    let Some(m) = m else {
        return;
    };
    match map_csv_bytes(export, &m) {
        Ok(e) => {
            for u in &e.unknown {
                let _ = serde_json::to_string(u);
            }
            for row in e.rows {
                sla_lens_fuzz::finish(row.map_err(|r| r.error), sla_lens_fuzz::NOW);
            }
        }
        Err(e) => drop(serde_json::to_string(&e)),
    }
});
