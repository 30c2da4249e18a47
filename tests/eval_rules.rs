//! The evaluation rules' vectors of DESIGN.md ("Evaluating a ticket": rules E1–E5), read from
//! its table (tests/support/design_tables.rs: the spec is their only copy), one test per rule,
//! through `sla_lens::evaluate` (and `explain` and `report` where a rule names them).
//!
//! Every expected value was computed by hand from the rules, not by running the engine. A row
//! that disagrees with the engine is reported with its DESIGN.md line, id and note; all failing
//! rows of a rule are listed at once. A row the test cannot read fails it, naming the row.

use serde_json::{json, Value};
use sla_lens::eval::{At, Evaluation};
use sla_lens::policy::MetricKind;
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::format_instant;
use sla_lens::{evaluate, explain, Policy, State, Ticket};

fn t(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).unwrap_or_else(|e| panic!("bad instant {s}: {e}"))
}

fn at(x: Option<At>) -> Option<String> {
    x.map(|a| format_instant(a.0))
}

/// The office calendar of the time-semantics vectors, without the holidays (none is near the
/// dates used here): Europe/Berlin, Mon–Fri 09:00–17:00.
const OFFICE: &str = r#"{"timeZone": "Europe/Berlin", "week": {
  "mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
  "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}"#;

/// The vectors' policy: priority `normal`, response 4h and resolution 16h on `office`, both
/// clocks paused by `Waiting on customer`, resolved by `Resolved`; `levels` and `response` (the
/// metric's spec) vary by table.
fn policy(levels: &str, response: &str) -> Policy {
    let text = format!(
        r#"{{
  "version": 1, "id": "rules", "name": "Evaluation-rule vectors",
  "parties": {{"provider": {{"name": "IT"}}, "customer": {{"name": "Marketing"}}}},
  "priorities": [{{"id": "normal", "name": "Normal"}}],
  "calendars": {{"office": {OFFICE}}},
  "statuses": {{"resolved": ["Resolved"]}},
  "metrics": {{
    "response": {response},
    "resolution": {{"pausedBy": ["Waiting on customer"]}}
  }},
  "targets": [{{"priority": "normal", "response": "4h", "resolution": "16h", "calendar": "office"}}],
  "escalation": {{"levels": {levels}}}
}}"#
    );
    Policy::from_json(&text).unwrap_or_else(|d| panic!("vector policy does not load: {d}"))
}

/// L1 when the response target runs out, L2 one more response target later.
const LADDER: &str = r#"[
  {"level": 1, "role": "Lead", "trigger": {"metric": "response", "after": "0h"}},
  {"level": 2, "role": "Head", "trigger": {"metric": "response", "after": "100%"}}]"#;
/// L1 on the resolution deadline, L2 on the response deadline: their instants cross.
const CROSSED: &str = r#"[
  {"level": 1, "role": "Lead", "trigger": {"metric": "resolution", "after": "0h"}},
  {"level": 2, "role": "Head", "trigger": {"metric": "response", "after": "0h"}}]"#;
const PAUSING: &str = r#"{"pausedBy": ["Waiting on customer"]}"#;
const ONCE: &str = r#"{"pausedBy": ["Waiting on customer"], "restartOnReopen": false}"#;

/// An event of a vector's history: `S` a status change to that status, `R` a staff reply; `at` a
/// full instant.
#[derive(Debug, Clone, PartialEq)]
enum Ev {
    S(String, String),
    R(String),
}

/// Monday 14 September 2026, Berlin summer time.
const CREATED: &str = "2026-09-14T09:00:00+02:00";

fn ticket(events: &[Ev]) -> Ticket {
    let mut history = Vec::new();
    let mut comments = Vec::new();
    let mut status = "New";
    for e in events {
        match e {
            Ev::S(at, to) => {
                history.push(json!({"at": at, "from": status, "to": to}));
                status = to.as_str();
            }
            Ev::R(at) => comments.push(json!({"at": at, "staff": true})),
        }
    }
    let v: Value = json!({
        "id": "v", "created": CREATED, "status": "New",
        "fields": {"priority": "Normal"},
        "statusHistory": history, "comments": comments,
    });
    Ticket::from_value(&v).unwrap_or_else(|e| panic!("ticket: {e}"))
}

/// One vector of DESIGN.md's table.
#[derive(Debug)]
struct Row {
    /// Where it is in DESIGN.md, for the failure messages.
    place: String,
    id: String,
    levels: &'static str,
    response: &'static str,
    events: Vec<Ev>,
    now: String,
    /// `(what, expected)`: each read off the evaluation by [`get`], which must give `expected`.
    want: Vec<(String, String)>,
}

fn state(s: State) -> String {
    s.as_str().to_string()
}

fn metric(m: MetricKind) -> &'static str {
    match m {
        MetricKind::Response => "response",
        MetricKind::Resolution => "resolution",
    }
}

fn opt(x: Option<String>) -> String {
    x.unwrap_or_else(|| "none".into())
}

/// The value a row names, as text: `none` for an absent instant or level.
fn get(ev: &Evaluation<'_>, what: &str) -> String {
    let (m, field) = match what.split_once('.') {
        Some(("response", f)) => (Some(&ev.response), f),
        Some(("resolution", f)) => (Some(&ev.resolution), f),
        _ => (None, what),
    };
    if let Some(m) = m {
        return match field {
            "state" => state(m.state),
            "deadline" => opt(at(m.deadline)),
            "atRisk" => opt(at(m.at_risk_at)),
            "stopped" => opt(at(m.stopped_at)),
            "start" => opt(at(m.start)),
            "elapsed" => (m.elapsed / 60).to_string() + "m",
            "paused" => (m.paused_seconds / 60).to_string() + "m",
            "cycles" => m.cycles.to_string(),
            "everBreached" => m.ever_breached.to_string(),
            _ => panic!("unknown field {what}"),
        };
    }
    let level = |l: Option<sla_lens::eval::LevelEval<'_>>| match l {
        None => "none".to_string(),
        Some(l) => format!("L{} at {}", l.level, opt(at(l.at))),
    };
    match what {
        "headline" => format!("{} {}", metric(ev.headline), state(ev.state)),
        "at" => format_instant(ev.at.0),
        "current" => level(ev.escalation.current),
        "next" => level(ev.escalation.next),
        "maxLevel" => ev.escalation.max_level.to_string(),
        "nextChange" => opt(at(ev.next_change)),
        _ => panic!("unknown field {what}"),
    }
}

fn run(rule: &str) {
    let rows: Vec<Row> = rows()
        .into_iter()
        .filter(|r| r.id.starts_with(&format!("{rule}.")))
        .collect();
    assert!(!rows.is_empty(), "DESIGN.md: no rows {rule}.*");
    let mut failures = Vec::new();
    for r in &rows {
        let p = policy(r.levels, r.response);
        let tk = ticket(&r.events);
        let ev = match evaluate(&p, &tk, t(&r.now)) {
            Ok(ev) => ev,
            Err(e) => {
                failures.push(format!("{}: evaluation error {e}", r.place));
                continue;
            }
        };
        for (what, want) in &r.want {
            let got = get(&ev, what);
            if got != *want {
                failures.push(format!(
                    "{}: {what} expected {want}, engine gave {got}",
                    r.place
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{rule}: {} disagreements with the engine:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The vectors, read from DESIGN.md's table
// ---------------------------------------------------------------------------------------------

#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, At as Place};

const HEADER: &[&str] = &["#", "Ladder", "History", "now", "Expected", "Note"];

/// `12:00`, `11:00:01`, `Tue 12:00`, `Wed 09:00`: that instant of the vectors' week (Berlin
/// summer time).
fn clock(s: &str) -> Result<String, String> {
    let (day, hm) = match s.split_once(' ') {
        Some(("Tue", hm)) => ("15", hm),
        Some(("Wed", hm)) => ("16", hm),
        Some(_) => return Err(format!("bad time `{s}` (HH:MM, or Tue/Wed HH:MM)")),
        None => ("14", s),
    };
    let parts: Vec<&str> = hm.split(':').collect();
    let two = |p: &str, max: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) && p < max;
    let ok = matches!(parts.len(), 2 | 3)
        && two(parts[0], "24")
        && parts[1..].iter().all(|p| two(p, "60"));
    if !ok {
        return Err(format!("bad time `{s}` (HH:MM or HH:MM:SS)"));
    }
    let hms = if parts.len() == 2 {
        format!("{hm}:00")
    } else {
        hm.to_string()
    };
    Ok(format!("2026-09-{day}T{hms}+02:00"))
}

/// A time as [`get`] writes it.
fn time_value(s: &str) -> Result<String, String> {
    Ok(format_instant(t(&clock(s)?)))
}

/// The items of a cell, separated by `, `, none of them empty.
fn items(cell: &str) -> Result<Vec<&str>, String> {
    let items: Vec<&str> = cell.split(", ").collect();
    if items.iter().any(|i| i.is_empty() || i.trim() != *i) {
        return Err(format!("`{cell}`: an empty item, or not separated by `, `"));
    }
    Ok(items)
}

/// Ladder: `A`, `X` or `—`, then optionally `response unpaused` or `response restartOnReopen:
/// false`: the policy's `levels` and `response`.
fn ladder(cell: &str) -> Result<(&'static str, &'static str), String> {
    let items = items(cell)?;
    let levels = match items[0] {
        "A" => LADDER,
        "X" => CROSSED,
        "—" => "[]",
        l => return Err(format!("unknown ladder `{l}` (A, X, —)")),
    };
    let response = match &items[1..] {
        [] => PAUSING,
        ["response unpaused"] => "{}",
        ["response restartOnReopen: false"] => ONCE,
        _ => return Err(format!("bad ladder `{cell}`")),
    };
    Ok((levels, response))
}

/// History: `none`, or `→ W 10:00` (`W` Waiting on customer, `IP` In Progress, `R` Resolved) and
/// `reply 09:30`, in order.
fn history(cell: &str) -> Result<Vec<Ev>, String> {
    if cell == "none" {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    for item in items(cell)? {
        if let Some(at) = item.strip_prefix("reply ") {
            events.push(Ev::R(clock(at)?));
            continue;
        }
        let rest = item
            .strip_prefix("→ ")
            .ok_or_else(|| format!("bad event `{item}` (`→ W 10:00`, `reply 09:30`)"))?;
        let (to, at) = rest
            .split_once(' ')
            .ok_or_else(|| format!("bad event `{item}`"))?;
        let to = match to {
            "W" => "Waiting on customer",
            "IP" => "In Progress",
            "R" => "Resolved",
            _ => return Err(format!("bad status `{to}` in `{item}` (W, IP, R)")),
        };
        events.push(Ev::S(clock(at)?, to.to_string()));
    }
    Ok(events)
}

const STATES: &[&str] = &[
    "running",
    "paused",
    "atRisk",
    "breached",
    "met",
    "metLate",
    "notApplicable",
    "unknown",
];

/// One `what=value` of Expected, as `(what, the value as [`get`] gives it)`.
fn expected(item: &str) -> Result<(String, String), String> {
    let (what, value) = item
        .split_once('=')
        .ok_or_else(|| format!("bad item `{item}` (what=value)"))?;
    let bad = |kind: &str| format!("bad value `{value}` of `{what}` ({kind})");
    let number = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let (metric, field) = match what.split_once('.') {
        Some((m @ ("response" | "resolution"), f)) => (Some(m), f),
        Some(_) => return Err(format!("unknown `{what}`")),
        None => (None, what),
    };
    let got = match (metric, field) {
        (Some(_), "state") if STATES.contains(&value) => value.to_string(),
        (Some(_), "state") => return Err(bad("a state")),
        (Some(_), "deadline" | "atRisk" | "stopped" | "start") if value == "none" => value.into(),
        (Some(_), "deadline" | "atRisk" | "stopped" | "start") | (None, "at" | "nextChange") => {
            time_value(value)?
        }
        (Some(_), "elapsed" | "paused") => {
            let minutes = match value {
                "0" => Some(0),
                _ => match value.split_once('h') {
                    Some((h, "")) if number(h) => h.parse::<i64>().ok().map(|h| h * 60),
                    None => value
                        .strip_suffix('m')
                        .filter(|m| number(m))
                        .and_then(|m| m.parse().ok()),
                    _ => None,
                },
            };
            format!("{}m", minutes.ok_or_else(|| bad("0, 30m, 1h"))?)
        }
        (Some(_), "cycles") | (None, "maxLevel") if number(value) => value.to_string(),
        (Some(_), "everBreached") if matches!(value, "true" | "false") => value.to_string(),
        (None, "headline") => match value.split_once(' ') {
            Some(("response" | "resolution", st)) if STATES.contains(&st) => value.to_string(),
            _ => return Err(bad("metric state")),
        },
        (None, "current" | "next") if value == "none" => value.to_string(),
        (None, "current" | "next") => {
            let (l, a) = value
                .split_once(" at ")
                .filter(|(l, _)| l.strip_prefix('L').is_some_and(number))
                .ok_or_else(|| bad("none, L1 at 15:00, L1 at unknown"))?;
            match a {
                "unknown" => format!("{l} at none"),
                _ => format!("{l} at {}", time_value(a)?),
            }
        }
        _ => return Err(bad("unknown field, or a value of the wrong kind")),
    };
    Ok((what.to_string(), got))
}

/// The vectors, E1.1 to E5.3: ids `E{rule}.{n}`, rules 1 to 5 in order, `n` from 1; a row the test
/// cannot read fails it, naming the row.
fn rows() -> Vec<Row> {
    let table = design_table("The rules' vectors", HEADER);
    let mut out: Vec<Row> = Vec::new();
    let (mut rule, mut n) = (1, 0);
    for r in &table.rows {
        let place = Place(&table, r).to_string();
        let c = &r.cells;
        if c[0] == format!("E{rule}.{}", n + 1) {
            n += 1;
        } else if c[0] == format!("E{}.1", rule + 1) && rule < 5 {
            (rule, n) = (rule + 1, 1);
        } else {
            panic!("{place}: the ids run E1.1, E1.2, …, E2.1, … in order, rules E1 to E5");
        }
        let parse = || -> Result<Row, String> {
            let (levels, response) = ladder(&c[1]).map_err(|e| format!("Ladder: {e}"))?;
            let events = history(&c[2]).map_err(|e| format!("History: {e}"))?;
            let now = clock(&c[3]).map_err(|e| format!("now: {e}"))?;
            let want = items(&c[4])
                .and_then(|i| i.into_iter().map(expected).collect())
                .map_err(|e| format!("Expected: {e}"))?;
            Ok(Row {
                place: format!("{place} ({})", c[5]),
                id: c[0].clone(),
                levels,
                response,
                events,
                now,
                want,
            })
        };
        out.push(parse().unwrap_or_else(|e| panic!("{place}: {e}")));
    }
    assert_eq!(
        rule, 5,
        "DESIGN.md:{}: the table ends before E5",
        table.line
    );
    out
}

/// The row `id`.
fn row(id: &str) -> Row {
    let row = rows().into_iter().find(|r| r.id == id);
    row.unwrap_or_else(|| panic!("DESIGN.md: no row {id}"))
}

const MON_16: &str = "2026-09-14T16:00:00+02:00";

// ---------------------------------------------------------------------------------------------
// E1: a deadline moves only by pauses while its clock runs; escalation counts every pause.
// ---------------------------------------------------------------------------------------------

#[test]
fn e1_deadlines_move_only_while_the_clock_runs() {
    run("E1");
}

#[test]
fn e1_explain_names_the_response_deadline() {
    let p = policy(LADDER, PAUSING);
    for id in ["E1.1", "E1.2"] {
        let r = row(id);
        let tk = ticket(&r.events);
        let x = explain(&p, &tk, t(&r.now)).unwrap();
        let want = "response met: responded Mon 14 Sep 2026 09:30 CEST after 30m of business \
                    time on office (Europe/Berlin) (deadline was Mon 14 Sep 2026 13:00 CEST)";
        assert!(
            x.lines.iter().any(|l| l == want),
            "{}: {:#?}",
            r.place,
            x.lines
        );
    }
    // E1.2's next level, whose clock is paused: named, with its instant unknown.
    let r = row("E1.2");
    let tk = ticket(&r.events);
    let x = explain(&p, &tk, t(&r.now)).unwrap();
    assert!(
        x.lines.iter().any(|l| l.starts_with(
            "next escalation: level 1 — Lead () at a time not known yet (its clock is paused) if"
        )),
        "{:#?}",
        x.lines
    );
}

// ---------------------------------------------------------------------------------------------
// E2: the escalation ladder: no level before a lower one; an unknown instant is next.
// ---------------------------------------------------------------------------------------------

#[test]
fn e2_the_escalation_ladder() {
    run("E2");
}

// ---------------------------------------------------------------------------------------------
// E3: the badge's headline.
// ---------------------------------------------------------------------------------------------

#[test]
fn e3_the_headline() {
    run("E3");
}

// ---------------------------------------------------------------------------------------------
// E4: `now` before the creation.
// ---------------------------------------------------------------------------------------------

#[test]
fn e4_now_before_creation() {
    run("E4");
}

// ---------------------------------------------------------------------------------------------
// E5: a metric measured once per issue (`restartOnReopen: false`).
// ---------------------------------------------------------------------------------------------

#[test]
fn e5_response_measured_once() {
    run("E5");
}

#[test]
fn e5_explain_says_the_response_is_measured_once() {
    let r = row("E5.2");
    let tk = ticket(&r.events);
    let line = "response is measured once per issue: the first cycle's result, kept though the \
                issue was reopened";
    let (once, each) = (policy(LADDER, ONCE), policy(LADDER, PAUSING));
    let x = explain(&once, &tk, t(&r.now)).unwrap();
    assert!(
        x.lines.iter().any(|l| l == line),
        "{}: {:#?}",
        r.place,
        x.lines
    );
    let x = explain(&each, &tk, t(&r.now)).unwrap();
    assert!(!x.lines.iter().any(|l| l == line), "{:#?}", x.lines);
}

#[test]
fn e5_report_sums_follow_restart_on_reopen() {
    use sla_lens::report::report;
    let tk2 = ticket(&[
        Ev::R("2026-09-14T09:30:00+02:00".into()),
        Ev::S("2026-09-14T10:00:00+02:00".into(), "Resolved".into()),
        Ev::S("2026-09-14T11:00:00+02:00".into(), "In Progress".into()),
        Ev::R("2026-09-14T12:00:00+02:00".into()),
    ]);
    let from = t("2026-09-01T00:00:00+02:00");
    let to = t("2026-10-01T00:00:00+02:00");
    // (policy, expected business time to respond: cycle 1 30m, + cycle 2 1h when restarting)
    for (response, want) in [(PAUSING, 90 * 60), (ONCE, 30 * 60)] {
        let p = policy("[]", response);
        let r = report(&p, &[Ok(tk2.clone())], Some(from), Some(to), t(MON_16)).unwrap();
        let all = r
            .cells
            .iter()
            .find(|c| {
                c.metric == MetricKind::Response
                    && c.month.is_none()
                    && c.priority.is_none()
                    && c.category.is_none()
            })
            .unwrap();
        assert_eq!(all.business.median, Some(want), "{response}");
        assert_eq!(all.met, 1, "{response}");
    }
}
