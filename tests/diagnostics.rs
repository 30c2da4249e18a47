//! Every policy diagnostic, pinned by a snapshot of its message (insta), and the rule that a bad
//! policy reports every problem at once.

use serde_json::{json, Value};
use sla_lens::{Policy, Severity, DEFAULT_POLICY_JSON};

fn default_value() -> Value {
    serde_json::from_str(DEFAULT_POLICY_JSON).unwrap()
}

fn business_calendar() -> Value {
    json!({
        "timeZone": "Europe/Berlin",
        "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}
    })
}

/// The default policy changed by `f`, then checked.
fn diags_of(f: impl FnOnce(&mut Value)) -> String {
    let mut v = default_value();
    f(&mut v);
    render(&serde_json::to_string(&v).unwrap())
}

fn render(text: &str) -> String {
    let diags = Policy::validate(text);
    assert!(!diags.is_empty(), "expected at least one diagnostic");
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One case per diagnostic code (and form), each a small edit of the default policy.
fn cases() -> Vec<(&'static str, String)> {
    vec![
        (
            "json_syntax",
            render("{\"version\": 1,\n \"id\": \"x\",\n}"),
        ),
        ("root_not_object", render("[1, 2]")),
        (
            "json_too_deep",
            render(&format!(
                "{{\"version\": 1, \"x\": {}{}}}",
                "[".repeat(200),
                "]".repeat(200)
            )),
        ),
        ("unknown_field_top", diags_of(|v| v["titel"] = json!("x"))),
        (
            "unknown_field_nested",
            diags_of(|v| v["targets"][0]["respons"] = json!("4h")),
        ),
        (
            "missing_field",
            diags_of(|v| {
                v["priorities"][0].as_object_mut().unwrap().remove("name");
            }),
        ),
        ("invalid_type", diags_of(|v| v["version"] = json!("one"))),
        (
            "invalid_value_enum",
            diags_of(|v| v["escalation"]["levels"][0]["trigger"]["metric"] = json!("reply")),
        ),
        ("unsupported_version", diags_of(|v| v["version"] = json!(2))),
        ("empty_name", diags_of(|v| v["name"] = json!(" "))),
        (
            "empty_party",
            diags_of(|v| v["parties"]["customer"]["name"] = json!("")),
        ),
        (
            "invalid_time_zone",
            diags_of(|v| {
                v["calendars"] = json!({"office": {"timeZone": "Europe/Berln", "week": {"mon": ["09:00-17:00"]}}});
            }),
        ),
        (
            "invalid_window",
            diags_of(|v| {
                v["calendars"] = json!({"office": {"timeZone": "UTC", "week": {"mon": ["9-17", "09:00-25:00", "24:00-01:00"]}}});
            }),
        ),
        (
            "overlapping_windows_same_day",
            diags_of(|v| {
                v["calendars"] = json!({"office": {"timeZone": "UTC", "week": {"mon": ["09:00-13:00", "12:00-17:00"]}}});
            }),
        ),
        (
            "overlapping_windows_overnight",
            diags_of(|v| {
                v["calendars"] = json!({"office": {"timeZone": "UTC", "week": {"mon": ["22:00-08:00"], "tue": ["07:00-17:00"]}}});
            }),
        ),
        (
            "overlapping_windows_exception_overnight",
            diags_of(|v| {
                // Sunday 13 September 2026's overnight exception runs into Monday's 09:00.
                v["calendars"] = json!({"office": {"timeZone": "UTC",
                    "week": {"mon": ["09:00-17:00"]},
                    "exceptions": [{"date": "2026-09-13", "windows": ["22:00-10:00"]}]}});
            }),
        ),
        (
            "overlapping_windows_into_exception",
            diags_of(|v| {
                // Monday's overnight window runs into Tuesday 15 September 2026's exception,
                // and that exception's own overnight window into the next one's.
                v["calendars"] = json!({"office": {"timeZone": "UTC",
                "week": {"mon": ["22:00-06:00"]},
                "exceptions": [
                    {"date": "2026-09-15", "windows": ["05:00-09:00", "23:00-02:00"]},
                    {"date": "2026-09-16", "windows": ["01:00-03:00"]}
                ]}});
            }),
        ),
        (
            "invalid_holiday_date",
            diags_of(|v| {
                let mut c = business_calendar();
                c["holidays"] =
                    json!([{"date": "2026-02-30"}, {"date": "13-01"}, {"date": "Christmas"}]);
                v["calendars"] = json!({"office": c});
            }),
        ),
        (
            "duplicate_holiday",
            diags_of(|v| {
                let mut c = business_calendar();
                c["holidays"] = json!([{"date": "12-25"}, {"date": "12-25", "name": "again"}]);
                v["calendars"] = json!({"office": c});
                v["targets"][0]["calendar"] = json!("office");
                v["targets"][0]["response"] = json!("0h");
            }),
        ),
        (
            "duplicate_exception",
            diags_of(|v| {
                let mut c = business_calendar();
                c["exceptions"] = json!([{"date": "2026-12-24", "windows": []}, {"date": "2026-12-24", "windows": ["09:00-12:00"]}]);
                v["calendars"] = json!({"office": c});
            }),
        ),
        (
            "invalid_exception_date",
            diags_of(|v| {
                let mut c = business_calendar();
                c["exceptions"] = json!([{"date": "24.12.2026", "windows": []}]);
                v["calendars"] = json!({"office": c});
            }),
        ),
        (
            "calendar_without_hours",
            diags_of(|v| {
                v["calendars"] = json!({"closed": {"timeZone": "UTC", "week": {}}});
            }),
        ),
        (
            "calendar_without_open_hours",
            diags_of(|v| {
                // Weekday hours, and a yearly holiday on every date of the year.
                let mut holidays = Vec::new();
                for (m, days) in [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                    .into_iter()
                    .enumerate()
                {
                    for d in 1..=days {
                        holidays.push(json!({"date": format!("{:02}-{d:02}", m + 1)}));
                    }
                }
                v["calendars"] = json!({"closed": {"timeZone": "UTC",
                    "week": {"mon": ["09:00-17:00"], "fri": ["09:00-17:00"]},
                    "holidays": holidays}});
                v["targets"][0]["calendar"] = json!("closed");
            }),
        ),
        (
            "reserved_calendar_name",
            diags_of(|v| {
                v["calendars"] = json!({"24x7": business_calendar()});
            }),
        ),
        (
            "unknown_calendar",
            diags_of(|v| v["targets"][1]["calendar"] = json!("office")),
        ),
        (
            "unknown_priority",
            diags_of(|v| v["targets"][0]["priority"] = json!("urgent")),
        ),
        (
            "unknown_category",
            diags_of(|v| v["targets"][0]["category"] = json!("printers")),
        ),
        (
            "zero_duration",
            diags_of(|v| v["targets"][0]["response"] = json!("0m")),
        ),
        (
            "invalid_duration",
            diags_of(|v| v["targets"][0]["response"] = json!("4 hours")),
        ),
        (
            "empty_target",
            diags_of(|v| {
                v["targets"][0].as_object_mut().unwrap().remove("response");
            }),
        ),
        (
            "duplicate_target",
            diags_of(|v| {
                let t = v["targets"][0].clone();
                v["targets"].as_array_mut().unwrap().push(t);
            }),
        ),
        (
            "missing_target",
            diags_of(|v| {
                v["targets"].as_array_mut().unwrap().remove(1);
            }),
        ),
        (
            "levels_out_of_order_numbering",
            diags_of(|v| v["escalation"]["levels"][1]["level"] = json!(3)),
        ),
        (
            "levels_out_of_order_trigger",
            diags_of(|v| {
                v["escalation"]["levels"][0]["trigger"]["after"] = json!("200%");
            }),
        ),
        (
            // 2h, then 25% of the target: 1h for the critical 4h response target.
            "levels_out_of_order_mixed",
            diags_of(|v| {
                v["escalation"]["levels"][0]["trigger"]["after"] = json!("2h");
                v["escalation"]["levels"][1]["trigger"]["after"] = json!("25%");
            }),
        ),
        (
            "invalid_trigger_after",
            diags_of(|v| {
                v["escalation"]["levels"][0]["trigger"]["after"] = json!("soon");
                v["escalation"]["levels"][1]["trigger"]["after"] = json!("x%");
            }),
        ),
        (
            "unreachable_level",
            diags_of(|v| {
                v["escalation"]["levels"][1]["trigger"]["metric"] = json!("resolution");
            }),
        ),
        (
            "empty_role_and_contact",
            diags_of(|v| {
                v["escalation"]["levels"][0]["role"] = json!("");
                v["escalation"]["levels"][0]["contacts"][0]["name"] = json!("");
            }),
        ),
        (
            "at_risk_out_of_range",
            diags_of(|v| v["atRiskPercent"] = json!(100)),
        ),
        (
            "zero_review_interval",
            diags_of(|v| v["review"]["intervalMonths"] = json!(0)),
        ),
        (
            "invalid_review_dates",
            diags_of(|v| {
                v["review"]["effective"] = json!("June 2026");
                v["review"]["lastReview"] = json!("2026-13-01");
            }),
        ),
        (
            "review_before_effective",
            diags_of(|v| {
                v["review"]["lastReview"] = json!("2026-01-01");
                v["targets"][0]["response"] = json!("0h");
            }),
        ),
        (
            "pause_is_resolved",
            diags_of(|v| {
                v["metrics"] =
                    json!({"resolution": {"pausedBy": ["Waiting on customer", "closed"]}});
            }),
        ),
        (
            "no_resolved_status",
            diags_of(|v| v["statuses"] = json!({"resolved": []})),
        ),
        (
            "incomplete_condition",
            diags_of(|v| {
                v["scope"]["include"][0] = json!({"field": "requesterGroup"});
                v["scope"]["include"][1] = json!({"in": ["x"]});
            }),
        ),
        (
            "empty_condition",
            diags_of(|v| {
                v["scope"]["exclude"][0] = json!({});
                v["scope"]["exclude"][1] = json!({"labels": []});
            }),
        ),
        (
            "duplicate_tier_id",
            diags_of(|v| {
                v["categories"][1]["id"] = json!("hardware-software");
                v["priorities"][0]["id"] = json!("");
            }),
        ),
        (
            "unreachable_tier",
            diags_of(|v| {
                v["priorities"][0].as_object_mut().unwrap().remove("when");
                v["targets"][0]["response"] = json!("0h");
            }),
        ),
        (
            "no_fallback_tier",
            diags_of(|v| {
                v["priorities"][1]["when"] = json!([{"labels": ["normal"]}]);
                v["targets"][0]["response"] = json!("0h");
            }),
        ),
        (
            "no_priorities",
            diags_of(|v| {
                v["priorities"] = json!([]);
                v["targets"] = json!([]);
            }),
        ),
        (
            "action_option_not_applicable",
            diags_of(|v| {
                v["escalation"]["levels"][0]["actions"][1] =
                    json!({"kind": "note", "url": "https://example.com/hook"});
                v["escalation"]["levels"][0]["actions"][0] =
                    json!({"kind": "watch", "private": true});
            }),
        ),
        (
            "action_duplicate",
            diags_of(|v| {
                v["escalation"]["levels"][1]["actions"] =
                    json!([{"kind": "email"}, {"kind": "email", "subject": "again"}]);
            }),
        ),
        (
            "action_no_contacts",
            diags_of(|v| {
                v["escalation"]["atRisk"] =
                    json!({"actions": [{"kind": "watch"}, {"kind": "note"}]});
            }),
        ),
        (
            "action_unknown_contact",
            diags_of(|v| {
                v["escalation"]["levels"][0]["actions"] = json!([{"kind": "assign", "contact": 1}]);
            }),
        ),
        (
            "action_no_email_address",
            diags_of(|v| {
                v["escalation"]["levels"][1]["contacts"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("email");
            }),
        ),
        (
            "action_invalid_email",
            diags_of(|v| {
                v["escalation"]["levels"][1]["contacts"][0]["email"] =
                    json!("Head <head@example.com>\nBcc: all@example.com");
            }),
        ),
        (
            "action_webhook_without_url",
            diags_of(|v| {
                v["escalation"]["levels"][1]["actions"] =
                    json!([{"kind": "webhook", "preset": "slack"}]);
            }),
        ),
        (
            "action_invalid_url",
            diags_of(|v| {
                v["escalation"]["levels"][1]["actions"] = json!([{"kind": "webhook", "url": "hooks.slack.com/services/T0"},
                           {"kind": "webhook", "url": "ftp://example.com/x"}]);
            }),
        ),
        (
            "action_unknown_preset",
            diags_of(|v| {
                v["escalation"]["levels"][1]["actions"] = json!([{"kind": "webhook", "url": "https://example.com/h", "preset": "discord"}]);
            }),
        ),
        (
            "action_unknown_kind",
            diags_of(|v| v["escalation"]["levels"][1]["actions"] = json!([{"kind": "sms"}])),
        ),
        (
            "action_set_incomplete",
            diags_of(|v| {
                v["escalation"]["levels"][1]["actions"] = json!([
                    {"kind": "set"},
                    {"kind": "set", "label": "escalated", "priority": "High"},
                    {"kind": "set", "field": "Escalated"},
                    {"kind": "set", "label": " "}
                ]);
            }),
        ),
        (
            "action_no_tracker_identity",
            diags_of(|v| {
                v["escalation"]["levels"][0]["contacts"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("handle");
            }),
        ),
        (
            "contact_empty_identity",
            diags_of(|v| v["escalation"]["levels"][0]["contacts"][0]["jira"] = json!("")),
        ),
        (
            "many_at_once",
            diags_of(|v| {
                v["version"] = json!(3);
                v["targets"][0]["respons"] = json!("4h");
                v["targets"][1]["response"] = json!("forever");
                v["categories"][2]["when"][0]["fields"] = json!("x");
                v["calendars"] =
                    json!({"office": {"timeZone": "Mars/Olympus", "week": {"mon": ["9-5"]}}});
                v["escalation"]["levels"][0]["trigger"]["time"] = json!("wall");
                v["atRiskPercent"] = json!(0);
            }),
        ),
    ]
}

#[test]
fn every_diagnostic_message_is_pinned() {
    for (name, text) in cases() {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn every_code_in_the_source_is_exercised() {
    let sources = [
        include_str!("../src/policy/mod.rs"),
        include_str!("../src/calendar/mod.rs"),
        include_str!("../src/policy/review.rs"),
    ];
    let mut codes = Vec::new();
    for src in sources {
        for marker in ["Diagnostic::error(", "Diagnostic::warning("] {
            for (i, _) in src.match_indices(marker) {
                let rest = &src[i + marker.len()..];
                let start = rest.find('"').unwrap() + 1;
                let end = start + rest[start..].find('"').unwrap();
                codes.push(rest[start..end].to_string());
            }
        }
    }
    // Codes built from serde's messages.
    codes.extend(
        [
            "unknown-field",
            "missing-field",
            "invalid-type",
            "invalid-value",
        ]
        .map(String::from),
    );
    codes.sort();
    codes.dedup();
    let all: String = cases()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n");
    for code in &codes {
        assert!(
            all.contains(&format!("[{code}]")),
            "no case exercises diagnostic code `{code}`"
        );
    }
}

#[test]
fn a_bad_policy_reports_every_problem_at_once() {
    let mut v = default_value();
    v["version"] = json!(3);
    v["targets"][1]["response"] = json!("forever");
    v["calendars"] = json!({"office": {"timeZone": "Mars/Olympus", "week": {"mon": ["9-5"]}}});
    v["atRiskPercent"] = json!(0);
    let diags = Policy::validate(&v.to_string());
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    for want in [
        "unsupported-version",
        "invalid-duration",
        "invalid-time-zone",
        "invalid-window",
        "at-risk-out-of-range",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    let paths: Vec<&str> = diags.iter().map(|d| d.path.as_str()).collect();
    assert!(paths.contains(&"targets[1].response"));
    assert!(paths.contains(&"calendars.office.timeZone"));
    assert!(paths.contains(&"calendars.office.week.mon[0]"));
    // Errors come before warnings.
    let first_warning = diags
        .iter()
        .position(|d| d.severity == Severity::Warning)
        .unwrap_or(diags.len());
    assert!(diags[first_warning..]
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

#[test]
fn structural_errors_in_several_elements_are_all_reported() {
    let mut v = default_value();
    v["targets"][0]["respons"] = json!("4h");
    v["targets"][1]["calender"] = json!("24x7");
    v["priorities"][1]["nmae"] = json!("x");
    v["escalation"]["levels"][1]["trigger"]["metric"] = json!("reply");
    let diags = Policy::validate(&v.to_string());
    let paths: Vec<&str> = diags.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "priorities[1].nmae",
            "targets[0].respons",
            "targets[1].calender",
            "escalation.levels[1].trigger.metric"
        ],
        "{diags:#?}"
    );
}

#[test]
fn the_built_in_policies_are_clean() {
    assert_eq!(Policy::validate(sla_lens::DEFAULT_POLICY_JSON), vec![]);
    assert_eq!(
        Policy::validate(sla_lens::BUSINESS_HOURS_POLICY_JSON),
        vec![]
    );
}

/// The overlap rule for exceptions (DESIGN.md, "Corners the rules leave open, decided"): an
/// overnight exception window may run into a date that opens after it ends, or into a holiday.
#[test]
fn exception_overnight_windows_that_fit_are_clean() {
    for calendar in [
        // Into Monday, which opens at 09:00, after 06:00.
        json!({"timeZone": "UTC", "week": {"mon": ["09:00-17:00"]},
               "exceptions": [{"date": "2026-09-13", "windows": ["22:00-06:00"]}]}),
        // Into a holiday Monday.
        json!({"timeZone": "UTC", "week": {"mon": ["00:00-17:00"]},
               "holidays": [{"date": "2026-09-14"}],
               "exceptions": [{"date": "2026-09-13", "windows": ["22:00-06:00"]}]}),
        // Into an exception that opens at the overnight window's end.
        json!({"timeZone": "UTC", "week": {"mon": ["09:00-17:00"]},
               "exceptions": [{"date": "2026-09-13", "windows": ["22:00-06:00"]},
                              {"date": "2026-09-14", "windows": ["06:00-12:00"]}]}),
        // Closed on every date but 29 February (a Friday in 2036): still open hours.
        json!({"timeZone": "UTC", "week": {"fri": ["09:00-17:00"]},
               "holidays": (1..=12).flat_map(|m: u32| (1..=31).map(move |d: u32| (m, d)))
                   .filter(|&(m, d)| chrono::NaiveDate::from_ymd_opt(2024, m, d).is_some() && (m, d) != (2, 29))
                   .map(|(m, d)| json!({"date": format!("{m:02}-{d:02}")}))
                   .collect::<Vec<_>>()}),
    ] {
        let mut v = default_value();
        v["calendars"] = json!({"office": calendar});
        v["targets"][0]["calendar"] = json!("office");
        assert_eq!(Policy::validate(&v.to_string()), vec![], "{calendar}");
    }
}
