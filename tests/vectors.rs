//! The time-semantics test vectors of DESIGN.md ("Time semantics"), one table per rule, and the
//! calendars they run on (its JSON block), read from DESIGN.md itself
//! (tests/support/design_tables.rs): the spec is their only copy.
//!
//! Every expected value was computed by hand from the rules, not by running the engine. A row
//! that disagrees with the engine is reported with its DESIGN.md line, id and note; all failing
//! rows of a rule are listed at once. A row the test cannot read fails it, naming the row.

use sla_lens::calendar::Calendar;
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::format_instant;
use sla_lens::{evaluate, CalendarSpec, Policy, Ticket};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Calendars: DESIGN.md's "The calendars of the vectors", its ```json block
// ---------------------------------------------------------------------------------------------

/// The vectors' calendars by name (the built-in `24x7` aside), read from DESIGN.md once.
fn calendars() -> &'static serde_json::Map<String, serde_json::Value> {
    static CALENDARS: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    CALENDARS.get_or_init(|| {
        let text = design_tables::design_code_block("The calendars of the vectors", "json");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("DESIGN.md, the calendars of the vectors: {e}"))
    })
}

/// A calendar's JSON, as a policy's `calendars` holds it.
fn calendar_json(name: &str) -> Option<String> {
    calendars().get(name).map(|v| v.to_string())
}

fn calendar(name: &str) -> Calendar {
    if name == "24x7" {
        return Calendar::always();
    }
    let json = calendar_json(name).unwrap_or_else(|| panic!("unknown calendar `{name}`"));
    let spec: CalendarSpec =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("calendar `{name}`: {e}"));
    let mut diags = Vec::new();
    let cal = Calendar::compile(name, &spec, &format!("calendars.{name}"), &mut diags);
    cal.unwrap_or_else(|| panic!("calendar `{name}` does not compile: {diags:?}"))
}

// ---------------------------------------------------------------------------------------------
// The vectors, read from DESIGN.md's tables
// ---------------------------------------------------------------------------------------------

#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, parse_tables, At, Table};

/// The header of the tables of rules 1 to 7 and 9.
const TIME_HEADER: &[&str] = &["#", "Calendar", "Start", "Operation", "Expected", "Note"];

/// The header of rule 8's table.
const PAUSE_HEADER: &[&str] = &[
    "#",
    "Calendar, target",
    "Created",
    "Pauses (Waiting on customer from → to, ; between pauses)",
    "now",
    "Expected deadline",
    "Note",
];

#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// `add(start, duration)` must be `expected`, or an error (`None`: an instant outside the
    /// supported years).
    Add {
        duration: String,
        expected: Option<String>,
    },
    /// `elapsed(start, end)` must be `expected` seconds.
    Elapsed { end: String, expected: i64 },
}

/// One row of a rule's table.
#[derive(Debug, Clone)]
struct Row {
    /// Where it is in DESIGN.md, for the failure messages.
    place: String,
    cal: String,
    start: String,
    op: Op,
    note: String,
}

/// `2h`, `30m`, `1h30m`, `1s`, `8h 1s`, `0`: the durations of the tables, in seconds.
fn secs(text: &str) -> Result<i64, String> {
    let compact: String = text.chars().filter(|c| *c != ' ').collect();
    if compact == "0" {
        return Ok(0);
    }
    let (mut total, mut n, mut digits) = (0_i64, 0_i64, 0);
    for c in compact.chars() {
        let unit = match c {
            '0'..='9' => {
                n = n * 10 + i64::from(c as u8 - b'0');
                digits += 1;
                continue;
            }
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(format!("bad duration `{text}`")),
        };
        if digits == 0 {
            return Err(format!("bad duration `{text}`"));
        }
        (total, n, digits) = (total + n * unit, 0, 0);
    }
    if digits != 0 || compact.is_empty() {
        return Err(format!("bad duration `{text}`"));
    }
    Ok(total)
}

fn instant(text: &str) -> Result<i64, String> {
    parse_instant(&Stamp::Text(text.to_string())).map_err(|e| format!("bad instant `{text}`: {e}"))
}

fn at(text: &str) -> i64 {
    instant(text).unwrap_or_else(|e| panic!("{e}"))
}

fn known_calendar(name: &str) -> Result<(), String> {
    if name == "24x7" || calendar_json(name).is_some() {
        Ok(())
    } else {
        Err(format!("unknown calendar `{name}`"))
    }
}

/// `28800 s (8h)`, `0 s`, `31536000 s (365 × 24h)`: whole seconds, and the parenthesis (when there
/// is one) must say the same.
fn seconds_cell(text: &str) -> Result<i64, String> {
    let bad = || format!("expected `N s` or `N s (duration)`, found `{text}`");
    let (number, rest) = text.split_once(" s").ok_or_else(bad)?;
    let n: i64 = number.parse().map_err(|_| bad())?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(n);
    }
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(bad)?;
    let said = match inner.split_once(" × ") {
        Some((times, d)) => times.parse::<i64>().map_err(|_| bad())? * secs(d)?,
        None => secs(inner)?,
    };
    if said != n {
        return Err(format!("`{text}`: {n} s but the parenthesis says {said} s"));
    }
    Ok(n)
}

/// One row of a time table, or why it cannot be read.
fn time_row(cells: &[String]) -> Result<(String, String, Op, String), String> {
    let [_, cal, start, operation, expected, note] = cells else {
        return Err(format!("{} cells", cells.len()));
    };
    known_calendar(cal)?;
    instant(start)?;
    let op = if let Some(d) = operation.strip_prefix("add ") {
        secs(d)?;
        let expected = match expected.as_str() {
            "error" => None,
            e => {
                instant(e)?;
                Some(e.to_string())
            }
        };
        Op::Add {
            duration: d.to_string(),
            expected,
        }
    } else if let Some(end) = operation.strip_prefix("elapsed until ") {
        instant(end)?;
        Op::Elapsed {
            end: end.to_string(),
            expected: seconds_cell(expected)?,
        }
    } else {
        return Err(format!(
            "the operation is `add D` or `elapsed until T`, found `{operation}`"
        ));
    };
    Ok((cal.clone(), start.clone(), op, note.clone()))
}

/// The ids of a rule's rows: `N.1`, `N.2`, … in order, N the rule's number (`Rule N — …`), so a
/// row copied twice or numbered out of turn is caught.
fn id_errors(table: &Table) -> Vec<String> {
    let rule = table
        .heading
        .strip_prefix("Rule ")
        .and_then(|h| h.split_whitespace().next())
        .unwrap_or("?");
    let mut errors = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        let want = format!("{rule}.{}", i + 1);
        if r.id() != want {
            errors.push(format!("{}: expected the id {want}", At(table, r)));
        }
    }
    errors
}

/// Every row of the time table under the heading `heading`; panics naming each row it cannot
/// read.
fn rule_rows(heading: &str) -> Vec<Row> {
    let table = design_table(heading, TIME_HEADER);
    let mut rows = Vec::new();
    let mut errors = id_errors(&table);
    for r in &table.rows {
        match time_row(&r.cells) {
            Ok((cal, start, op, note)) => rows.push(Row {
                place: At(&table, r).to_string(),
                cal,
                start,
                op,
                note,
            }),
            Err(e) => errors.push(format!("{}: {e}", At(&table, r))),
        }
    }
    assert!(
        errors.is_empty(),
        "rows the test cannot read:\n  {}",
        errors.join("\n  ")
    );
    rows
}

/// The headings of the tables rules 1 to 7 and 9 state.
const TIME_TABLES: &[&str] = &[
    "Rule 1 —",
    "Rule 2 —",
    "Rule 3 —",
    "Rule 4 —",
    "Rule 5 —",
    "Rule 6 —",
    "Rule 7 —",
    "Rule 9 —",
];

/// Runs every row of a table and panics with all failing rows.
fn run(rule: &str, rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let cal = calendar(&r.cal);
        let t = at(&r.start);
        let head = format!("{} {} | {} | {}", r.place, r.note, r.cal, r.start);
        match &r.op {
            Op::Add {
                duration,
                expected: None,
            } => {
                let d = secs(duration).unwrap();
                match cal.add(t, d) {
                    Err(e) => {
                        let msg = e.to_string();
                        if !msg.contains("outside the supported years 1970..=2199 (UTC)") {
                            failures.push(format!("{head} + {duration}: message `{msg}`"));
                        }
                    }
                    Ok(got) => failures.push(format!(
                        "{head} + {duration}: expected an error, engine gave {}",
                        format_instant(got)
                    )),
                }
            }
            Op::Add {
                duration,
                expected: Some(expected),
            } => {
                let d = secs(duration).unwrap();
                let want = at(expected);
                match cal.add(t, d) {
                    Ok(got) => {
                        if got != want {
                            failures.push(format!(
                                "{head} + {duration}: expected {expected} ({}), engine gave {} \
                                 (off by {} s)",
                                format_instant(want),
                                format_instant(got),
                                got - want
                            ));
                        }
                        // Rule 7: elapsed(t, add(t, d)) == d, on the engine's own result.
                        match cal.elapsed(t, got) {
                            Ok(e) if e == d => {}
                            Ok(e) => failures.push(format!(
                                "{head} + {duration}: elapsed(start, add(start, d)) = {e} s, \
                                 expected {d} s"
                            )),
                            Err(e) => failures.push(format!("{head}: elapsed error {e}")),
                        }
                        // And on the hand-computed deadline.
                        if got != want {
                            match cal.elapsed(t, want) {
                                Ok(e) if e == d => {}
                                Ok(e) => failures.push(format!(
                                    "{head} + {duration}: elapsed(start, {expected}) = {e} s, \
                                     expected {d} s"
                                )),
                                Err(e) => failures.push(format!("{head}: elapsed error {e}")),
                            }
                        }
                    }
                    Err(e) => failures.push(format!("{head} + {duration}: add error {e}")),
                }
            }
            Op::Elapsed { end, expected } => match cal.elapsed(t, at(end)) {
                Ok(got) if got == *expected => {}
                Ok(got) => failures.push(format!(
                    "{head} .. {end}: expected {expected} s, engine gave {got} s (off by {} s)",
                    got - expected
                )),
                Err(e) => failures.push(format!("{head} .. {end}: elapsed error {e}")),
            },
        }
    }
    assert!(
        failures.is_empty(),
        "{rule}: {} of {} vectors disagree with the engine:\n  {}",
        failures.len(),
        rows.len(),
        failures.join("\n  ")
    );
}

#[test]
fn rule1_windows() {
    run("rule 1", &rule_rows("Rule 1 —"));
}

#[test]
fn rule2_holidays_and_exceptions() {
    run("rule 2", &rule_rows("Rule 2 —"));
}

#[test]
fn rule3_nonexistent_and_ambiguous_local_times() {
    run("rule 3", &rule_rows("Rule 3 —"));
}

#[test]
fn rule4_real_seconds() {
    run("rule 4", &rule_rows("Rule 4 —"));
}

#[test]
fn rule5_zero_duration() {
    run("rule 5", &rule_rows("Rule 5 —"));
}

#[test]
fn rule6_deadline() {
    run("rule 6", &rule_rows("Rule 6 —"));
}

#[test]
fn rule7_elapsed() {
    run("rule 7", &rule_rows("Rule 7 —"));
}

/// Rule 7 on every `add` row of rules 1 to 6: `elapsed(t, add(t, d)) == d` and
/// `is_open(t) == (add(t, 0) == t)`, whatever the hand-computed value.
#[test]
fn rule7_round_trip_on_every_add_row() {
    let mut failures = Vec::new();
    let rows: Vec<Row> = TIME_TABLES[..6].iter().flat_map(|h| rule_rows(h)).collect();
    for r in &rows {
        let Op::Add { duration, .. } = &r.op else {
            continue;
        };
        let cal = calendar(&r.cal);
        let t = at(&r.start);
        let d = secs(duration).unwrap();
        let (Ok(end), Ok(zero), Ok(open)) = (cal.add(t, d), cal.add(t, 0), cal.is_open(t)) else {
            failures.push(format!("{} {}: calendar error", r.place, r.note));
            continue;
        };
        if cal.elapsed(t, end) != Ok(d) {
            failures.push(format!(
                "{} {}: elapsed(start, add(start, {duration})) = {:?}",
                r.place,
                r.note,
                cal.elapsed(t, end)
            ));
        }
        if open != (zero == t) {
            failures.push(format!(
                "{} {}: is_open = {open} but add(t, 0) = {}",
                r.place,
                r.note,
                format_instant(zero)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The vector tables of "Time semantics" are exactly the ones these tests read, and the calendars
/// DESIGN.md's "The calendars of the vectors" lists in words are the ones its JSON block defines.
#[test]
fn every_vector_table_is_read_and_every_calendar_defined() {
    let tables = parse_tables(&design_tables::design_text());
    let rules: Vec<&Table> = tables
        .iter()
        .filter(|t| {
            t.heading.starts_with("Rule ") && t.header.first().map(String::as_str) == Some("#")
        })
        .collect();
    let mut read: Vec<&str> = TIME_TABLES.to_vec();
    read.push("Rule 8 —");
    let mut found: Vec<String> = rules
        .iter()
        .map(|t| t.heading.split_inclusive('—').next().unwrap().to_string())
        .collect();
    found.sort();
    read.sort();
    assert_eq!(
        found, read,
        "DESIGN.md's vector tables and the ones tests/vectors.rs reads"
    );

    let cals = design_table("The calendars of the vectors", &["Name", "Definition"]);
    let mut named: Vec<&str> = cals.rows.iter().map(|r| r.id()).collect();
    named.sort();
    let mut ours: Vec<&str> = calendars().keys().map(String::as_str).collect();
    ours.push("24x7");
    ours.sort();
    assert_eq!(named, ours, "DESIGN.md's calendar table and its JSON block");
}

// ---------------------------------------------------------------------------------------------
// Rule 8: pauses, through the evaluator.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct PauseRow {
    place: String,
    id: String,
    cal: String,
    target: String,
    created: String,
    /// `(from, to)` of each `Waiting on customer` stretch; `to` is `None` while still paused.
    pauses: Vec<(String, Option<String>)>,
    now: String,
    expected: Option<String>,
    note: String,
}

/// `none`, or `A → B; C → still paused`: only the last pause may still run.
fn pauses_cell(text: &str) -> Result<Vec<(String, Option<String>)>, String> {
    if text == "none" {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = text.split("; ").collect();
    let mut pauses = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let (from, to) = part
            .split_once(" → ")
            .ok_or_else(|| format!("a pause is `from → to`, found `{part}`"))?;
        instant(from)?;
        let to = match to {
            "still paused" if i + 1 == parts.len() => None,
            "still paused" => return Err(format!("only the last pause can be running: `{text}`")),
            to => {
                instant(to)?;
                Some(to.to_string())
            }
        };
        pauses.push((from.to_string(), to));
    }
    Ok(pauses)
}

fn pause_row(table: &Table, r: &design_tables::Row) -> Result<PauseRow, String> {
    let [id, cal_target, created, pauses, now, expected, note] = &r.cells[..] else {
        return Err(format!("{} cells", r.cells.len()));
    };
    let (cal, target) = cal_target
        .split_once(", ")
        .ok_or_else(|| format!("`calendar, target`, found `{cal_target}`"))?;
    known_calendar(cal)?;
    secs(target)?;
    instant(created)?;
    instant(now)?;
    let expected = match expected.as_str() {
        "none" => None,
        e => {
            instant(e)?;
            Some(e.to_string())
        }
    };
    Ok(PauseRow {
        place: At(table, r).to_string(),
        id: id.clone(),
        cal: cal.to_string(),
        target: target.to_string(),
        created: created.clone(),
        pauses: pauses_cell(pauses)?,
        now: now.clone(),
        expected,
        note: note.clone(),
    })
}

fn pause_rows() -> Vec<PauseRow> {
    let table = design_table("Rule 8 —", PAUSE_HEADER);
    let (mut rows, mut errors) = (Vec::new(), id_errors(&table));
    for r in &table.rows {
        match pause_row(&table, r) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(format!("{}: {e}", At(&table, r))),
        }
    }
    assert!(
        errors.is_empty(),
        "rows the test cannot read:\n  {}",
        errors.join("\n  ")
    );
    rows
}

fn pause_policy(cal: &str, target: &str) -> Policy {
    let calendars = match calendar_json(cal) {
        Some(json) => format!(r#"{{"{cal}": {json}}}"#),
        None => "{}".to_string(),
    };
    let text = format!(
        r#"{{
  "version": 1,
  "id": "vectors",
  "name": "Time-semantics vectors",
  "parties": {{"provider": {{"name": "IT"}}, "customer": {{"name": "Marketing"}}}},
  "priorities": [{{"id": "normal", "name": "Normal"}}],
  "calendars": {calendars},
  "metrics": {{"resolution": {{"pausedBy": ["Waiting on customer"]}}}},
  "targets": [{{"priority": "normal", "resolution": "{target}", "calendar": "{cal}"}}]
}}"#
    );
    Policy::from_json(&text).unwrap_or_else(|d| panic!("vector policy does not load: {d}"))
}

fn pause_ticket(r: &PauseRow) -> Ticket {
    let mut history = Vec::new();
    let mut status = "New";
    for (from, to) in &r.pauses {
        history.push(serde_json::json!({"at": from, "from": status, "to": "Waiting on customer"}));
        status = "Waiting on customer";
        if let Some(to) = to {
            history.push(serde_json::json!({"at": to, "from": status, "to": "In Progress"}));
            status = "In Progress";
        }
    }
    let v = serde_json::json!({
        "id": r.id,
        "created": r.created,
        "status": "New",
        "fields": {"priority": "Normal"},
        "statusHistory": history,
    });
    Ticket::from_value(&v).unwrap_or_else(|e| panic!("{} ticket: {e}", r.place))
}

#[test]
fn rule8_pauses() {
    let rows = pause_rows();
    let mut failures = Vec::new();
    for r in &rows {
        let policy = pause_policy(&r.cal, &r.target);
        let ticket = pause_ticket(r);
        let now = at(&r.now);
        let head = format!(
            "{} {} | {} {} from {}",
            r.place, r.note, r.cal, r.target, r.created
        );
        let ev = match evaluate(&policy, &ticket, now) {
            Ok(ev) => ev,
            Err(e) => {
                failures.push(format!("{head}: evaluation error {e}"));
                continue;
            }
        };
        let got = ev.resolution.deadline.map(|a| a.0);
        let want = r.expected.as_deref().map(at);
        if got != want {
            failures.push(format!(
                "{head}: expected deadline {:?} ({:?}), engine gave {:?}",
                r.expected,
                want.map(format_instant),
                got.map(format_instant)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "rule 8: {} of {} vectors disagree with the engine:\n  {}",
        failures.len(),
        rows.len(),
        failures.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// Rule 9: the instants sla-lens reads: whole seconds (floored), from 1970-01-01T00:00:00Z to
// 2199-12-31T23:59:59Z. An `error` row must fail with the out-of-range message.
// ---------------------------------------------------------------------------------------------

#[test]
fn rule9_supported_instants() {
    run("rule 9", &rule_rows("Rule 9 —"));
}

/// Rule 9 through the evaluator: epoch milliseconds and fractions of a second are floored, so a
/// reply 999 ms after the deadline second is on time, and one a second later is late.
#[test]
fn rule9_sub_second_replies_are_floored() {
    let policy = Policy::default_policy();
    let created = "2026-09-14T09:00:00Z"; // critical: 4h on 24x7, deadline 13:00:00Z
    for (reply, state) in [
        (serde_json::json!("2026-09-14T13:00:00.999Z"), "met"),
        (serde_json::json!(1_789_390_800_999_i64), "met"),
        (serde_json::json!("2026-09-14T13:00:01Z"), "metLate"),
        (serde_json::json!(1_789_390_801_000_i64), "metLate"),
    ] {
        let v = serde_json::json!({
            "id": "1", "created": created, "labels": ["dept:marketing", "priority:critical"],
            "firstResponseAt": reply,
        });
        let ticket = Ticket::from_value(&v).unwrap();
        let ev = evaluate(&policy, &ticket, at("2026-09-15T00:00:00Z")).unwrap();
        let got = serde_json::to_value(ev.response.state).unwrap();
        assert_eq!(got, state, "reply at {reply}");
    }
}
