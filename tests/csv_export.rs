//! CSV issue exports (src/adapters/csv.rs) on real Redmine 5 exports
//! (tests/fixtures/redmine-csv, recorded by scripts/redmine/record-csv.sh) and a Jira export in
//! the documented shape (tests/fixtures/jira-csv).

use sla_lens::adapters::csv::{
    decode, map_csv, map_csv_bytes, CsvExport, CsvFormat, CsvMapping, Encoding,
};
use sla_lens::ticket::{FieldValue, Stamp, TicketInput};
use sla_lens::{Policy, Ticket};
use std::path::Path;

fn fixture(p: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(p),
    )
    .unwrap()
}

fn mapping(format: CsvFormat, json: &str) -> CsvMapping {
    CsvMapping::from_json(Some(format), json).unwrap_or_else(|d| panic!("{d:?}"))
}

fn stamp(s: &Option<Stamp>) -> &str {
    match s {
        Some(Stamp::Text(t)) => t,
        other => panic!("not a text stamp: {other:?}"),
    }
}

fn one(t: &TicketInput, k: &str) -> Option<String> {
    match t.fields.get(k) {
        None => None,
        Some(FieldValue::One(s)) => Some(s.to_string()),
        Some(other) => panic!("{k} of {}: {other:?}", t.id),
    }
}

fn ok(e: &CsvExport) -> Vec<&TicketInput> {
    e.rows.iter().filter_map(|r| r.as_ref().ok()).collect()
}

/// The 12 seeded issues, as read by hand from issues-en-all.csv (server time zone UTC):
/// id, title tag, created, status, priority, category, assignee, requester, project, tracker,
/// requester group, closed.
#[allow(clippy::type_complexity)]
const REDMINE: [(
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    Option<&str>,
    &str,
    &str,
    &str,
    Option<&str>,
    Option<&str>,
); 12] = [
    (
        "1",
        "[S01 on-track]",
        "2026-11-27T10:00:00Z",
        "New",
        "Normal",
        "Hardware",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        None,
    ),
    (
        "2",
        "[S02 at-risk]",
        "2026-11-26T16:00:00Z",
        "New",
        "Normal",
        "Network",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Bug",
        None,
        None,
    ),
    (
        "3",
        "[S03 breached]",
        "2026-11-26T06:00:00Z",
        "In Progress",
        "High",
        "Backup",
        Some("Sam Support"),
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        None,
    ),
    (
        "4",
        "[S04 escalated-2]",
        "2026-11-27T02:00:00Z",
        "New",
        "Urgent",
        "Network",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Incident",
        None,
        None,
    ),
    (
        "5",
        "[S05 met]",
        "2026-11-25T10:00:00Z",
        "Closed",
        "Normal",
        "Training",
        Some("Sam Support"),
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        Some("2026-11-25T20:00:00Z"),
    ),
    (
        "6",
        "[S06 met-late]",
        "2026-11-26T06:00:00Z",
        "In Progress",
        "Immediate",
        "Hardware",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Incident",
        None,
        None,
    ),
    (
        "7",
        "[S07 out-of-scope]",
        "2026-11-27T07:00:00Z",
        "New",
        "Normal",
        "General IT services",
        None,
        "Gus General",
        "General IT",
        "Support",
        None,
        None,
    ),
    (
        "8",
        "[S08 excluded]",
        "2026-11-27T07:00:00Z",
        "New",
        "Normal",
        "General IT services",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        None,
    ),
    (
        "9",
        "[S09 critical-running]",
        "2026-11-27T11:00:00Z",
        "New",
        "Critical",
        "Network",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Incident",
        None,
        None,
    ),
    (
        "10",
        "[S10 reopened]",
        "2026-11-22T12:00:00Z",
        "In Progress",
        "Normal",
        "Hardware",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        None,
    ),
    (
        "11",
        "[S11 paused]",
        "2026-11-26T08:00:00Z",
        "Waiting on customer",
        "Normal",
        "Hardware",
        None,
        "Mia Marketing",
        "Marketing IT support",
        "Support",
        None,
        None,
    ),
    (
        "12",
        "[S12 requester-group]",
        "2026-11-27T06:00:00Z",
        "New",
        "High",
        "Hardware",
        None,
        "Mia Marketing",
        "General IT",
        "Bug",
        Some("Marketing"),
        None,
    ),
];

fn assert_redmine_rows(e: &CsvExport) {
    assert_eq!(e.rows.len(), 12);
    for (t, want) in ok(e).into_iter().zip(REDMINE) {
        let (
            id,
            tag,
            created,
            status,
            priority,
            category,
            assignee,
            requester,
            project,
            tracker,
            group,
            closed,
        ) = want;
        assert_eq!(t.id, id);
        assert!(
            t.title.as_deref().unwrap().starts_with(tag),
            "{id}: {:?}",
            t.title
        );
        assert_eq!(stamp(&t.created), created, "{id}");
        assert_eq!(t.status.as_deref(), Some(status), "{id}");
        assert_eq!(one(t, "status").as_deref(), Some(status), "{id}");
        assert_eq!(one(t, "priority").as_deref(), Some(priority), "{id}");
        assert_eq!(one(t, "category").as_deref(), Some(category), "{id}");
        assert_eq!(t.assignee.as_deref(), assignee, "{id}");
        assert_eq!(t.requester.as_deref(), Some(requester), "{id}");
        assert_eq!(one(t, "project").as_deref(), Some(project), "{id}");
        assert_eq!(one(t, "tracker").as_deref(), Some(tracker), "{id}");
        assert_eq!(one(t, "requesterGroup").as_deref(), group, "{id}");
        match closed {
            None => assert!(t.status_history.is_empty(), "{id}"),
            Some(at) => {
                assert_eq!(t.status_history.len(), 1, "{id}");
                assert_eq!(t.status_history[0].to, status);
                assert_eq!(t.status_history[0].from, None);
                assert!(matches!(&t.status_history[0].at, Stamp::Text(s) if s == at));
            }
        }
        assert!(
            t.comments.is_empty() && t.first_response_at.is_none(),
            "{id}"
        );
        assert!(t.labels.is_empty(), "{id}");
        assert_eq!(t.url, None, "{id}");
    }
}

#[test]
fn redmine_english_export_every_row() {
    let m = mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#);
    let e = map_csv_bytes(&fixture("redmine-csv/issues-en-all.csv"), &m).unwrap();
    assert_eq!((e.delimiter, e.encoding), (',', "utf-8"));
    assert_eq!(e.columns["created"], ["Created"]);
    assert_eq!(e.columns["closed"], ["Closed"]);
    assert_eq!(e.columns["requesterGroup"], ["Department"]);
    assert_redmine_rows(&e);
    // What a Redmine CSV cannot give is said, not guessed.
    let unknown: Vec<&str> = e.unknown.iter().map(|u| u.what).collect();
    assert_eq!(unknown, ["response", "pauses"]);
    assert!(e.unknown[0].reason.contains("Last notes"));
}

#[test]
fn redmine_german_export_semicolons_bom_and_localised_headers() {
    let raw = fixture("redmine-csv/issues-de-all.csv");
    assert!(raw.starts_with(b"\xEF\xBB\xBF#;Projekt;"));
    let m = mapping(
        CsvFormat::Redmine,
        r#"{"timeZone": "UTC", "dateFormat": "%d.%m.%Y %H:%M"}"#,
    );
    let e = map_csv_bytes(&raw, &m).unwrap();
    assert_eq!(e.delimiter, ';');
    assert_eq!(e.columns["created"], ["Angelegt"]);
    assert_eq!(e.columns["closed"], ["Geschlossen am"]);
    assert_eq!(e.columns["title"], ["Thema"]);
    assert_redmine_rows(&e);
    // The same issues as the English export, field for field.
    let en = map_csv_bytes(
        &fixture("redmine-csv/issues-en-all.csv"),
        &mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#),
    )
    .unwrap();
    assert_eq!(ok(&e), ok(&en));
}

#[test]
fn redmine_csv_agrees_with_the_rest_responses() {
    // The REST fixture of the same seeded instance, mapped by the REST adapter.
    let site =
        sla_lens::adapters::SiteConfig::default_for(sla_lens::adapters::TrackerKind::Redmine);
    let text = String::from_utf8(fixture("redmine/issues.json")).unwrap();
    let rest =
        sla_lens::adapters::map_texts(sla_lens::adapters::TrackerKind::Redmine, &[&text], &site)
            .unwrap();
    let csv = map_csv_bytes(
        &fixture("redmine-csv/issues-en-all.csv"),
        &mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#),
    )
    .unwrap();
    for (r, c) in rest.iter().zip(ok(&csv)) {
        let r = r.as_ref().unwrap();
        assert_eq!(
            (&r.id, &r.title, &r.created, &r.status),
            (&c.id, &c.title, &c.created, &c.status)
        );
        for k in ["priority", "category", "tracker"] {
            assert_eq!(r.fields.get(k), c.fields.get(k), "{} {k}", r.id);
        }
        // The CSV names the project; the REST issue also gives its id.
        let project = |f: &std::collections::BTreeMap<_, sla_lens::ticket::FieldValue>| {
            f.get("project").and_then(|v| v.first()).map(str::to_string)
        };
        assert_eq!(project(&r.fields), project(&c.fields), "{} project", r.id);
    }
}

#[test]
fn redmine_default_export_without_created_is_refused_with_the_fix() {
    // Redmine's default CSV dialog: the list's columns only, ISO-8859-1.
    let m = mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#);
    let err = map_csv_bytes(&fixture("redmine-csv/issues-en-default.csv"), &m).unwrap_err();
    assert_eq!(err.code, "csv-missing-column");
    assert!(
        err.message.contains("no `created` column"),
        "{}",
        err.message
    );
    assert!(err.message.contains("All columns"), "{}", err.message);
    assert!(err
        .message
        .contains("#,Project,Tracker,Status,Priority,Subject,Assignee,Updated"));
}

#[test]
fn a_created_column_mapped_by_hand() {
    // The default export, with `Updated` standing in for the creation time by explicit choice.
    let m = mapping(
        CsvFormat::Redmine,
        r#"{"timeZone": "America/New_York", "columns": {"created": "Updated"}, "urlTemplate": "https://rm.example/issues/{id}"}"#,
    );
    let e = map_csv_bytes(&fixture("redmine-csv/issues-en-default.csv"), &m).unwrap();
    assert_eq!(e.encoding, "utf-8"); // plain ASCII is valid UTF-8
    let t = ok(&e);
    assert_eq!(t.len(), 12);
    // 11/27/2026 11:00 AM in New York (EST, -05:00).
    assert_eq!(stamp(&t[0].created), "2026-11-27T16:00:00Z");
    assert_eq!(t[0].url.as_deref(), Some("https://rm.example/issues/1"));
    // No Closed column: resolution times are unknown too.
    let unknown: Vec<&str> = e.unknown.iter().map(|u| u.what).collect();
    assert_eq!(unknown, ["response", "resolution", "pauses"]);
}

#[test]
fn latin1_bytes_are_decoded() {
    // Redmine's default encoding for most languages is ISO-8859-1.
    let bytes = b"#;Thema;Angelegt\n7;Drucker im B\xFCro;27.11.2026 10:00\n";
    let (text, enc) = decode(bytes, Encoding::Auto).unwrap();
    assert_eq!(
        (text.as_ref(), enc),
        (
            "#;Thema;Angelegt\n7;Drucker im Büro;27.11.2026 10:00\n",
            "iso-8859-1"
        )
    );
    let m = mapping(
        CsvFormat::Redmine,
        r#"{"timeZone": "Europe/Berlin", "dateFormat": "%d.%m.%Y %H:%M"}"#,
    );
    let e = map_csv_bytes(bytes, &m).unwrap();
    assert_eq!(e.encoding, "iso-8859-1");
    assert_eq!(ok(&e)[0].title.as_deref(), Some("Drucker im Büro"));
    assert_eq!(stamp(&ok(&e)[0].created), "2026-11-27T09:00:00Z");
    // Asked for UTF-8, the same bytes are refused with the fix.
    let strict = mapping(
        CsvFormat::Redmine,
        r#"{"timeZone": "UTC", "encoding": "utf-8"}"#,
    );
    let err = map_csv_bytes(bytes, &strict).unwrap_err();
    assert_eq!(err.code, "csv-encoding");
    assert!(err.message.contains("iso-8859-1"));
}

#[test]
fn jira_export_every_row() {
    let m = mapping(CsvFormat::Jira, r#"{"timeZone": "Europe/Berlin"}"#);
    let e = map_csv_bytes(&fixture("jira-csv/issues.csv"), &m).unwrap();
    assert_eq!(e.rows.len(), 5);
    assert_eq!(e.columns["comments"], ["Comment"]);
    assert_eq!(e.columns["category"], ["Component/s", "Issue Type"]);
    // Comments with a Reporter Id: the response is known; there is still no status history.
    let unknown: Vec<&str> = e.unknown.iter().map(|u| u.what).collect();
    assert_eq!(unknown, ["pauses"]);

    let t1 = e.rows[0].as_ref().unwrap();
    assert_eq!(
        (t1.id.as_str(), t1.title.as_deref()),
        ("MKT-1", Some("VPN drops every hour"))
    );
    assert_eq!(stamp(&t1.created), "2026-11-27T08:05:00Z");
    assert_eq!(t1.labels, ["dept:marketing", "priority:critical"]);
    assert_eq!(
        t1.fields["category"],
        FieldValue::Many(vec!["Network".into(), "VPN".into()])
    );
    assert_eq!(one(t1, "priority").as_deref(), Some("Highest"));
    assert_eq!(one(t1, "project").as_deref(), Some("MKT"));
    assert_eq!(one(t1, "tracker").as_deref(), Some("Incident"));
    assert_eq!(one(t1, "Department").as_deref(), Some("Marketing"));
    assert_eq!(
        (t1.requester.as_deref(), t1.assignee.as_deref()),
        (Some("Mia Marketing"), Some("Sam Support"))
    );
    assert!(t1.status_history.is_empty());
    let c: Vec<(String, &str, bool)> = t1
        .comments
        .iter()
        .map(|c| {
            (
                stamp(&Some(c.at.clone())).to_string(),
                c.author.as_deref().unwrap(),
                c.staff,
            )
        })
        .collect();
    assert_eq!(
        c,
        [
            ("2026-11-27T08:40:00Z".to_string(), "712020:mia", false),
            ("2026-11-27T09:15:00Z".to_string(), "712020:sam", true)
        ]
    );

    let t2 = e.rows[1].as_ref().unwrap();
    assert_eq!(t2.title.as_deref(), Some("Printer, 3rd floor, jams"));
    assert_eq!(stamp(&t2.created), "2026-11-20T15:30:00Z");
    assert_eq!(one(t2, "category").as_deref(), Some("Hardware"));
    assert_eq!(t2.labels, ["dept:marketing"]);
    assert_eq!(t2.status_history.len(), 1);
    assert!(matches!(&t2.status_history[0].at, Stamp::Text(s) if s == "2026-11-21T09:00:00Z"));
    assert_eq!(t2.status_history[0].to, "Done");
    assert_eq!(t2.comments.len(), 1);
    assert!(t2.comments[0].staff);

    let bad = e.rows[2].as_ref().unwrap_err();
    assert_eq!(
        (bad.row, bad.line, bad.column.as_deref()),
        (4, 5, Some("Created"))
    );
    assert_eq!(
        (bad.error.code, bad.error.id.as_deref()),
        ("csv-invalid-date", Some("MKT-3"))
    );
    assert!(bad.error.message.contains("2026-13-45 10:00"));
    assert_eq!(bad.error.path, "row 4, column `Created`");

    // 02:30 on 25 October 2026 happens twice in Berlin: the earlier (CEST) instant.
    let t4 = e.rows[3].as_ref().unwrap();
    assert_eq!(stamp(&t4.created), "2026-10-25T00:30:00Z");
    assert_eq!(one(t4, "category").as_deref(), Some("Service request"));
    assert!(t4.comments.is_empty() && t4.labels.is_empty());

    let nokey = e.rows[4].as_ref().unwrap_err();
    assert_eq!(
        (nokey.row, nokey.line, nokey.error.code),
        (6, 7, "csv-missing-id")
    );
    assert_eq!(nokey.column.as_deref(), Some("Issue key"));
}

#[test]
fn jira_comments_without_a_way_to_tell_staff_leave_the_response_unknown() {
    // The same export without the Reporter Id column (Jira Data Center writes user names).
    let text = String::from_utf8(fixture("jira-csv/issues.csv")).unwrap();
    let m = mapping(
        CsvFormat::Jira,
        r#"{"timeZone": "Europe/Berlin", "columns": {"requester": []}}"#,
    );
    let stripped: String = text.replace("Reporter Id", "Reporter key");
    let e = map_csv(&stripped, &m).unwrap();
    assert_eq!(e.unknown[0].what, "response");
    assert!(e.unknown[0].reason.contains("staff"));
    // No comment is taken for a response.
    assert!(ok(&e).iter().all(|t| t.comments.iter().all(|c| !c.staff)));
    // A staff list tells them apart again.
    let m = mapping(
        CsvFormat::Jira,
        r#"{"timeZone": "Europe/Berlin", "staff": ["712020:sam", "712020:ines"]}"#,
    );
    let e = map_csv(&stripped, &m).unwrap();
    assert_eq!(e.unknown.len(), 1);
    let staff: Vec<bool> = e.rows[0]
        .as_ref()
        .unwrap()
        .comments
        .iter()
        .map(|c| c.staff)
        .collect();
    assert_eq!(staff, [false, true]);
}

#[test]
fn quoting_newlines_separators_and_line_numbers() {
    let text = "\u{feff}#;Subject;Created;Description\r\n\
                1;\"Semi;colon, comma\";11/27/2026 10:00 AM;\"two\r\nlines \"\"quoted\"\"\"\r\n\
                2;\"Three\nline\nsubject\";11/27/2026 11:30 PM;x\r\n\
                3;Plain;bad date;y\r\n\
                \r\n\
                4;Last;11/28/2026 12:05 AM\r\n";
    let m = mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#);
    let e = map_csv(text, &m).unwrap();
    assert_eq!(e.delimiter, ';');
    assert_eq!(e.rows.len(), 4); // the blank line is skipped
    let t: Vec<_> = e.rows.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(t[0].title.as_deref(), Some("Semi;colon, comma"));
    assert_eq!(t[1].title.as_deref(), Some("Three\nline\nsubject"));
    assert_eq!(stamp(&t[1].created), "2026-11-27T23:30:00Z");
    // A short row (no Description cell) is fine; 12:05 AM is just after midnight.
    assert_eq!(
        (t[2].id.as_str(), stamp(&t[2].created)),
        ("4", "2026-11-28T00:05:00Z")
    );
    // Row 4 of the spreadsheet starts on line 7 of the file (two cells held three line breaks).
    let bad = e.rows[2].as_ref().unwrap_err();
    assert_eq!(
        (bad.row, bad.line, bad.error.code),
        (4, 7, "csv-invalid-date")
    );
    assert_eq!(bad.error.id.as_deref(), Some("3"));
}

#[test]
fn bad_rows_are_reported_and_the_rest_mapped() {
    let text = "#,Subject,Created\n\
                1,ok,11/27/2026 10:00 AM\n\
                1,again,11/27/2026 10:00 AM\n\
                ,no id,11/27/2026 10:00 AM\n\
                5,no date,\n\
                6,too,many,cells\n\
                7,ok too,11/27/2026 10:00 AM\n";
    let m = mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#);
    let e = map_csv(text, &m).unwrap();
    let codes: Vec<Result<&str, (usize, &str)>> = e
        .rows
        .iter()
        .map(|r| match r {
            Ok(t) => Ok(t.id.as_str()),
            Err(b) => Err((b.row, b.error.code)),
        })
        .collect();
    assert_eq!(
        codes,
        [
            Ok("1"),
            Err((3, "csv-duplicate-id")),
            Err((4, "csv-missing-id")),
            Err((5, "csv-missing-created")),
            Err((6, "csv-row-width")),
            Ok("7"),
        ]
    );
}

#[test]
fn whole_file_problems() {
    let m = mapping(CsvFormat::Jira, r#"{"timeZone": "UTC"}"#);
    assert_eq!(map_csv("", &m).unwrap_err().code, "csv-empty");
    let err = map_csv("Summary,Issue key\nx,K-1\n", &m).unwrap_err();
    assert_eq!(err.code, "csv-missing-column");
    assert!(err.message.contains("`Created`"));
}

#[test]
fn mapping_problems_are_all_reported_with_paths() {
    let d = CsvMapping::from_json(
        None,
        r#"{"dateFormat": "%Y", "delimiter": "::", "encoding": "ebcdic",
            "columns": {"createdAt": "Created"}, "urlTemplate": "https://x/issues"}"#,
    )
    .unwrap_err();
    let got: Vec<(&str, &str)> = d.0.iter().map(|x| (x.code, x.path.as_str())).collect();
    assert_eq!(
        got,
        [
            ("mapping-format", "format"),
            ("mapping-time-zone-missing", "timeZone"),
            ("mapping-date-format", "dateFormat"),
            ("mapping-delimiter", "delimiter"),
            ("mapping-encoding", "encoding"),
            ("mapping-unknown-target", "columns.createdAt"),
            ("mapping-url-template", "urlTemplate"),
        ]
    );
    let d = CsvMapping::from_json(
        Some(CsvFormat::Jira),
        r#"{"timeZone": "Europe/Berln", "colums": {}}"#,
    )
    .unwrap_err();
    assert_eq!(
        (d.0[0].code, d.0[0].path.as_str()),
        ("mapping-invalid", "colums")
    );
    let d = CsvMapping::from_json(
        Some(CsvFormat::Jira),
        r#"{"timeZone": "Europe/Berln", "format": "redmine-csv"}"#,
    )
    .unwrap_err();
    let got: Vec<&str> = d.0.iter().map(|x| x.code).collect();
    assert_eq!(got, ["mapping-format", "mapping-time-zone"]);
    // Wrong types: each at its path, all at once.
    let d = CsvMapping::from_json(
        Some(CsvFormat::Jira),
        r#"{"timeZone": 5, "staff": "sam", "fields": {"Team": 1}, "requesterGroups": {"M": [1]}, "columns": {"id": 7}}"#,
    )
    .unwrap_err();
    let got: Vec<(&str, &str)> = d.0.iter().map(|x| (x.code, x.path.as_str())).collect();
    assert_eq!(
        got,
        [
            ("mapping-invalid", "columns.id"),
            ("mapping-invalid", "fields.Team"),
            // The exact element since the mapping is read by its serde derive (was the list).
            ("mapping-invalid", "requesterGroups.M[0]"),
            ("mapping-invalid", "staff"),
            ("mapping-invalid", "timeZone"),
        ]
    );
    // Structural errors of every kind, each at its path with serde's words and the fix, all at
    // once: an unknown key, a wrong type, a bad element of a list, a bad entry of a map.
    let d = CsvMapping::from_json(
        None,
        r#"{"colums": {}, "dateFormat": ["%Y"], "staff": ["a", 2, "b", 3],
            "columns": {"id": "ID", "title": [1]}, "fields": {"Team": "T", "Site": false}}"#,
    )
    .unwrap_err();
    let got: Vec<(&str, &str)> = d.0.iter().map(|x| (x.code, x.path.as_str())).collect();
    assert_eq!(
        got,
        [
            ("mapping-invalid", "columns.title"),
            ("mapping-invalid", "colums"),
            ("mapping-invalid", "dateFormat"),
            ("mapping-invalid", "fields.Site"),
            ("mapping-invalid", "staff[1]"),
            ("mapping-invalid", "staff[3]"),
        ]
    );
    assert!(d.0[1]
        .message
        .starts_with("unknown field `colums`: expected one of format, "));
    assert_eq!(
        d.0[0].message,
        "a header name or a list of header names (`[]` switches it off): see the CSV mapping \
         in docs/trackers.md"
    );
    assert_eq!(
        d.0[5].message,
        "invalid type: integer `3`, expected a string: see the CSV mapping in docs/trackers.md"
    );
    assert_eq!(
        CsvMapping::from_json(Some(CsvFormat::Jira), "[1]")
            .unwrap_err()
            .0[0]
            .code,
        "mapping-invalid"
    );
}

#[test]
fn evaluation_of_a_redmine_csv_under_the_seed_policy() {
    let e = map_csv_bytes(
        &fixture("redmine-csv/issues-en-all.csv"),
        &mapping(CsvFormat::Redmine, r#"{"timeZone": "UTC"}"#),
    )
    .unwrap();
    let policy = Policy::from_json(sla_lens::DEFAULT_POLICY_JSON).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .timestamp();
    let state = |id: &str| {
        let t = ok(&e).into_iter().find(|t| t.id == id).unwrap().clone();
        let ticket = Ticket::from_input(t).unwrap();
        let state = sla_lens::evaluate(&policy, &ticket, now).unwrap().state;
        state.as_str()
    };
    // Closed 10 h after creation: the response came at the latest then, inside 24 h — met.
    assert_eq!(state("5"), "met");
    // S12 is in scope through the Department column, S07 is not in scope. S12 is open: a reply
    // the export does not show may have come, so its response is unknown, not on track.
    assert_eq!(state("12"), "unknown");
    assert_eq!(state("7"), "notApplicable");
}

#[cfg(feature = "cli")]
#[test]
fn cli_reads_csv_exports_row_errors_and_notes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sla-lens"))
            .args(args)
            .output()
            .unwrap()
    };
    let jira = dir.join("jira-csv/issues.csv");
    let o = run(&[
        "eval",
        "--tracker",
        "jira-csv",
        "--time-zone",
        "Europe/Berlin",
        "--now",
        "2026-11-27T12:00:00Z",
        jira.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = out["results"].as_array().unwrap();
    let got: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            let what = r["evaluation"]["state"]
                .as_str()
                .or(r["error"]["code"].as_str())
                .unwrap();
            (
                r["id"].as_str().unwrap_or("-").to_string(),
                what.to_string(),
            )
        })
        .collect();
    let want = [
        ("MKT-1", "met"),
        ("MKT-2", "met"),
        ("MKT-3", "csv-invalid-date"),
        ("MKT-4", "notApplicable"),
        ("-", "csv-missing-id"),
    ];
    assert_eq!(
        got,
        want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    assert_eq!(results[2]["error"]["path"], "row 4, column `Created`");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("pauses unknown"), "{stderr}");
    assert!(!stderr.contains("response unknown"), "{stderr}");

    // A Redmine export: the response is unknown, said on stderr; a missing zone is refused.
    let rm = dir.join("redmine-csv/issues-en-all.csv");
    let o = run(&[
        "report",
        "--tracker",
        "redmine-csv",
        "--mapping",
        r#"{"timeZone": "UTC"}"#,
        "--now",
        "2026-11-27T12:00:00Z",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        rm.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["tickets"]["read"], 12);
    assert!(String::from_utf8_lossy(&o.stderr).contains("response unknown"));
    let o = run(&["eval", "--tracker", "redmine-csv", rm.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("mapping-time-zone-missing"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Any text, in either format and any separator: rows or errors, never a panic; every
        /// row error names a row after the header.
        #[test]
        fn any_text(text in "[#a-zA-Z0-9 ,;\t\"\r\n:/.APM\u{feff}é-]{0,300}", jira in any::<bool>()) {
            let format = if jira { CsvFormat::Jira } else { CsvFormat::Redmine };
            let header = if jira { "Issue key,Created,Comment,Resolved\n" } else { "#,Created,Closed\n" };
            let m = mapping(format, r#"{"timeZone": "Europe/Berlin"}"#);
            for t in [text.clone(), format!("{header}{text}")] {
                if let Ok(e) = map_csv(&t, &m) {
                    for r in &e.rows {
                        if let Err(b) = r {
                            prop_assert!(b.row >= 2 && b.line >= 2, "{b:?}");
                        }
                    }
                }
            }
            let _ = map_csv_bytes(text.as_bytes(), &m);
        }

        /// Any mapping text: a mapping or diagnostics, never a panic.
        #[test]
        fn any_mapping(text in "[{}\\[\\]\":,a-zA-Z0-9/%. ]{0,120}") {
            let _ = CsvMapping::from_json(None, &text);
        }
    }
}
