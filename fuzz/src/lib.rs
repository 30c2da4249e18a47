//! What the fuzz targets share: the policies tickets are evaluated against, the input's split
//! into documents, and the path every reader's tickets take afterwards (as in `sla-lens eval`:
//! `Ticket::from_input`, then evaluation). Nothing here may panic on any input; a panic is a
//! finding.

use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use sla_lens::{evaluate, Policy, Ticket, TicketError, TicketInput, BUSINESS_HOURS_POLICY_JSON};
use std::sync::OnceLock;

/// 2026-11-27T12:00:00Z, the seed's "now".
pub const NOW: i64 = 1_795_780_800;

/// The built-in default policy and the business-hours example.
pub fn policies() -> &'static [Policy; 2] {
    static P: OnceLock<[Policy; 2]> = OnceLock::new();
    P.get_or_init(|| {
        let bh = match Policy::from_json(BUSINESS_HOURS_POLICY_JSON) {
            Ok(p) => p,
            Err(d) => panic!("the business-hours example policy is invalid: {d}"),
        };
        [Policy::default_policy(), bh]
    })
}

/// The input's UTF-8 text cut at NUL bytes (JSON has no raw NUL), at most `max` parts: several
/// documents (responses, a site file, URLs) in one input.
pub fn parts(data: &[u8], max: usize) -> Option<Vec<&str>> {
    let text = std::str::from_utf8(data).ok()?;
    Some(text.split('\0').take(max).collect())
}

/// A mapped ticket the rest of the way: read, evaluated under both policies, serialised.
pub fn finish(t: Result<TicketInput, TicketError>, now: i64) {
    match t.and_then(Ticket::from_input) {
        Ok(ticket) => {
            for policy in policies() {
                match evaluate(policy, &ticket, now) {
                    Ok(e) => drop(serde_json::to_string(&e)),
                    Err(e) => drop(serde_json::to_string(&e)),
                }
            }
        }
        Err(e) => drop(serde_json::to_string(&e)),
    }
}

/// A site file beyond the defaults for each tracker: every kind of field source, a staff rule,
/// requester groups, status names, an origin and a base path.
pub fn rich_site(kind: TrackerKind) -> &'static SiteConfig {
    static SITES: OnceLock<Vec<SiteConfig>> = OnceLock::new();
    let sites = SITES.get_or_init(|| {
        TrackerKind::ALL
            .iter()
            .map(|&k| {
                let text = match k {
                    TrackerKind::Redmine => {
                        r#"{"tracker": "redmine", "origin": "https://rm.example", "basePath": "/redmine",
                        "fields": {"priority": ["customField:Urgency", "priority"], "category": ["category", "tracker", "project"],
                                   "requesterGroup": ["customField:Department", "customField:5"]},
                        "staff": {"groups": ["IT", "9"]}, "requesterGroups": {"Marketing": ["7", "Mia Marketing"]},
                        "statuses": {"7": "Waiting on customer", "3": "Resolved"}, "privateCommentsRespond": true}"#
                    }
                    TrackerKind::Github => {
                        r#"{"tracker": "github", "origin": "https://github.example",
                        "fields": {"priority": ["labelPrefix:p-"], "category": ["milestone", "project"], "requesterGroup": ["labelPrefix:team:"]},
                        "staff": {"users": ["octocat", "42"]}, "requesterGroups": {"Marketing": ["mia"]},
                        "statusLabels": {"blocked": "Waiting on customer"}, "openStatus": "New", "closedStatus": "Done"}"#
                    }
                    TrackerKind::Gitlab => {
                        r#"{"tracker": "gitlab", "basePath": "/gitlab",
                        "fields": {"priority": ["labelPrefix:priority::"], "category": ["milestone"], "requesterGroup": ["project"]},
                        "staff": "anyoneButAuthor", "statusLabels": {"status::blocked": "Waiting on customer"},
                        "privateCommentsRespond": true}"#
                    }
                    TrackerKind::Jira => {
                        r#"{"tracker": "jira", "origin": "https://jira.example",
                        "fields": {"priority": ["priority", "customField:customfield_10010"], "category": ["components", "issueType", "project"],
                                   "requesterGroup": ["customField:Department", "labelPrefix:dept:"]},
                        "staff": {"users": ["712020:sam", "Ines Infra"]}, "privateCommentsRespond": false}"#
                    }
                    TrackerKind::Rt => {
                        r#"{"tracker": "rt", "origin": "https://rt.example", "statuses": {"stalled": "Waiting on customer"},
                        "rt": {"staff": "privileged", "priority": ["priority", "sla"], "priorityNames": {"Low": 0, "High": 70},
                               "queues": {"3": "Marketing IT support"}},
                        "privateCommentsRespond": true}"#
                    }
                };
                match SiteConfig::from_json(text) {
                    Ok(s) => s,
                    Err(d) => panic!("the fuzz harness's {k} site file is invalid: {d}"),
                }
            })
            .collect()
    });
    &sites[TrackerKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0)]
}

/// One adapter target: the input is one or more of the tracker's REST responses (cut at NUL),
/// mapped as `sla-lens eval --tracker KIND` maps its files, under the tracker's default site and
/// a richer one, and evaluated. The first part is also tried as a page URL.
pub fn adapter(kind: TrackerKind, data: &[u8]) {
    let Some(texts) = parts(data, 8) else {
        return;
    };
    if let Some(first) = texts.first().filter(|t| t.len() < 4096) {
        let _ = adapters::detect_page(kind, first);
        let _ = adapters::issue_link(kind, first);
        let _ = adapters::detect_page_for_site(rich_site(kind), first);
    }
    for site in [&SiteConfig::default_for(kind), rich_site(kind)] {
        match adapters::map_texts(kind, &texts, site) {
            Ok(batch) => batch.into_iter().for_each(|t| finish(t, NOW)),
            Err(e) => drop(serde_json::to_string(&e)),
        }
    }
}
