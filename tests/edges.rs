//! Messages at the edges of what sla-lens reads (issue 13, item 5): the supported years, the
//! JSON nesting limit, negative durations on the CLI's JSON lines. Each message is pinned by an
//! insta snapshot.

use serde_json::json;
use sla_lens::adapters::{map_texts, SiteConfig, TrackerKind};
use sla_lens::{evaluate, Policy, Ticket};
use std::io::Write;
use std::process::{Command, Stdio};

fn nested(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// `sla-lens <args>` with `input` on stdin: its stdout.
fn cli(args: &[&str], input: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sla-lens"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sla-lens runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_lines_refuse_negative_and_fractional_durations() {
    let lines = [
        json!({"start": "2026-09-14T09:00:00Z", "duration": 3600}),
        json!({"start": "2026-09-14T09:00:00Z", "duration": -5}),
        json!({"start": "2026-09-14T09:00:00Z", "duration": 1.5}),
        json!({"start": "2026-09-14T09:00:00Z", "duration": 0}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    insta::assert_snapshot!(cli(&["deadline", "--calendar", "24x7"], &lines));
}

#[test]
fn json_lines_say_the_nesting_limit() {
    let line = format!(
        r#"{{"start": "2026-09-14T09:00:00Z", "duration": "1h", "x": {}}}"#,
        nested(200)
    );
    insta::assert_snapshot!(cli(&["deadline", "--calendar", "24x7"], &line));
}

#[test]
fn a_ticket_nested_too_deep_says_the_nesting_limit() {
    let text = format!(
        r#"[{{"id": "1", "created": "2026-09-14T09:00:00Z", "fields": {{"x": {}}}}},
            {}]"#,
        nested(200),
        nested(200)
    );
    let batch = Ticket::parse_batch(&text).unwrap();
    let errors: Vec<String> = batch
        .iter()
        .map(|r| r.as_ref().map(|_| ()).unwrap_err().to_string())
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
    // An unknown field is skipped whatever its depth, as before.
    let junk = format!(
        r#"[{{"id": "1", "created": "2026-09-14T09:00:00Z", "junk": {}}}]"#,
        nested(200)
    );
    assert!(Ticket::parse_batch(&junk).unwrap()[0].is_ok());
}

#[test]
fn a_tracker_response_nested_too_deep_says_the_nesting_limit() {
    let text = format!(r#"{{"issues": {}}}"#, nested(200));
    let e = map_texts(
        TrackerKind::Redmine,
        &[&text],
        &SiteConfig::default_for(TrackerKind::Redmine),
    )
    .unwrap_err();
    assert_eq!(e.code, "json-too-deep");
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn a_ticket_outside_the_supported_years_says_them() {
    let ticket = Ticket::from_value(&json!({
        "id": "1", "created": "1969-12-31T23:59:59Z", "labels": ["dept:marketing"]
    }))
    .unwrap();
    let e = evaluate(&Policy::default_policy(), &ticket, 1_789_390_800).unwrap_err();
    assert_eq!(e.code, "out-of-range");
    insta::assert_snapshot!(e.to_string());
    let e = sla_lens::Calendar::always().add(-1, 0).unwrap_err();
    insta::assert_snapshot!("calendar_out_of_range", e.to_string());
}
