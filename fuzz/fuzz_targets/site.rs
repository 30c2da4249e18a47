//! Arbitrary bytes as a site file (`--site`, the extension's and the plugin's site mapping),
//! then page URLs and responses read under it.
//!
//! Input layout, cut at NUL bytes: the site file's JSON; then any number of parts, each a page
//! URL (detected with the site's base path) or, when it starts with `{` or `[`, a REST response
//! of the site's tracker. Without a response part, the tracker's recorded responses from
//! tests/fixtures are mapped under the site instead, so that every field source, staff rule and
//! status table the fuzzer writes is applied to real issues. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use std::sync::OnceLock;

/// The recorded responses of each tracker (tests/fixtures), parsed once.
fn recorded(kind: TrackerKind) -> &'static [Value] {
    static DOCS: OnceLock<Vec<Vec<Value>>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        let texts: [&[&str]; 4] = [
            &[
                include_str!("../../tests/fixtures/redmine/issues/3.json"),
                include_str!("../../tests/fixtures/redmine/issues/5.json"),
                include_str!("../../tests/fixtures/redmine/issues/8.json"),
                include_str!("../../tests/fixtures/redmine/issue_statuses.json"),
                include_str!("../../tests/fixtures/redmine/groups/9.json"),
            ],
            &[include_str!("../../tests/fixtures/github/bundles.json")],
            &[include_str!("../../tests/fixtures/gitlab/bundles.json")],
            &[include_str!("../../tests/fixtures/jira/search.json")],
        ];
        texts
            .iter()
            .map(|ts| {
                ts.iter()
                    .map(|t| serde_json::from_str(t).expect("a recorded fixture is JSON"))
                    .collect()
            })
            .collect()
    });
    &docs[TrackerKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0)]
}

fuzz_target!(|data: &[u8]| {
    let Some(parts) = sla_lens_fuzz::parts(data, 9) else {
        return;
    };
    let site = match SiteConfig::from_json(parts[0]) {
        Ok(s) => s,
        Err(d) => {
            let _ = d.to_string();
            return;
        }
    };
    let mut responses = Vec::new();
    for part in &parts[1..] {
        if part.trim_start().starts_with(['{', '[']) {
            responses.push(*part);
        } else {
            let _ = adapters::detect_page_for_site(&site, part);
            let _ = adapters::issue_link(site.tracker, part);
        }
    }
    let batch = if responses.is_empty() {
        adapters::map_responses(site.tracker, recorded(site.tracker), &site)
    } else {
        adapters::map_texts(site.tracker, &responses, &site)
    };
    match batch {
        Ok(batch) => batch
            .into_iter()
            .for_each(|t| sla_lens_fuzz::finish(t, sla_lens_fuzz::NOW)),
        Err(e) => drop(serde_json::to_string(&e)),
    }
});
