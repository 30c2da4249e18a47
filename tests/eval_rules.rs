//! The evaluation rules' vectors of DESIGN.md ("Evaluating a ticket": rules E1–E5), one table
//! per rule, through `sla_lens::evaluate` (and `explain` and `report` where a rule names them).
//!
//! Every expected value was computed by hand from the rules, not by running the engine. A row
//! that disagrees with the engine is reported with its id and note; all failing rows of a table
//! are listed at once.

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

/// An event of a vector's history: `S` a status change to that status, `R` a staff reply.
enum Ev {
    S(&'static str, &'static str),
    R(&'static str),
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
                status = to;
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

/// What a row checks: `(what, expected)`, each read off the evaluation by [`get`].
type Want = &'static [(&'static str, &'static str)];

struct Row {
    id: &'static str,
    levels: &'static str,
    response: &'static str,
    events: &'static [Ev],
    now: &'static str,
    want: Want,
    note: &'static str,
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

fn run(rule: &str, rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let p = policy(r.levels, r.response);
        let tk = ticket(r.events);
        let ev = match evaluate(&p, &tk, t(r.now)) {
            Ok(ev) => ev,
            Err(e) => {
                failures.push(format!("[{}] {}: evaluation error {e}", r.id, r.note));
                continue;
            }
        };
        for (what, want) in r.want {
            let want = if want.contains('T') && !want.contains(' ') {
                format_instant(t(want))
            } else if let Some((l, a)) = want.split_once(" at ") {
                if a == "none" {
                    want.to_string()
                } else {
                    format!("{l} at {}", format_instant(t(a)))
                }
            } else {
                want.to_string()
            };
            let got = get(&ev, what);
            if got != want {
                failures.push(format!(
                    "[{}] {}: {what} expected {want}, engine gave {got}",
                    r.id, r.note
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

const MON_NOON: &str = "2026-09-14T12:00:00+02:00";
const MON_16: &str = "2026-09-14T16:00:00+02:00";
const TUE_NOON: &str = "2026-09-15T12:00:00+02:00";

// ---------------------------------------------------------------------------------------------
// E1: a deadline moves only by pauses while its clock runs; escalation counts every pause.
// ---------------------------------------------------------------------------------------------

const E1: &[Row] = &[
    Row {
        id: "E1.1",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T09:30:00+02:00"),
            Ev::S("2026-09-14T09:30:00+02:00", "Waiting on customer"),
            Ev::S("2026-09-14T13:00:00+02:00", "In Progress"),
        ],
        now: TUE_NOON,
        want: &[
            ("response.state", "met"),
            ("response.stopped", "2026-09-14T09:30:00+02:00"),
            ("response.deadline", "2026-09-14T13:00:00+02:00"),
            ("response.atRisk", "2026-09-14T12:00:00+02:00"),
            ("response.elapsed", "30m"),
            ("response.paused", "0m"),
        ],
        note: "the reply and the pause in one journal: the pause after the response moves \
               nothing (it was 16:30)",
    },
    Row {
        id: "E1.2",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T09:30:00+02:00"),
            Ev::S("2026-09-14T09:30:00+02:00", "Waiting on customer"),
        ],
        now: TUE_NOON,
        want: &[
            ("response.state", "met"),
            ("response.deadline", "2026-09-14T13:00:00+02:00"),
            ("current", "none"),
            ("next", "L1 at none"),
        ],
        note: "answered, still paused: the response deadline is known (it was none); the \
               escalation clock is paused with 3h30m left, so L1 is next at an unknown instant",
    },
    Row {
        id: "E1.3",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer"),
            Ev::R("2026-09-14T11:00:00+02:00"),
            Ev::S("2026-09-14T12:00:00+02:00", "In Progress"),
        ],
        now: MON_NOON,
        want: &[
            ("response.state", "met"),
            ("response.stopped", "2026-09-14T11:00:00+02:00"),
            ("response.elapsed", "60m"),
            ("response.paused", "60m"),
            ("response.deadline", "2026-09-14T14:00:00+02:00"),
            ("current", "none"),
            ("next", "L1 at 2026-09-14T15:00:00+02:00"),
        ],
        note: "a staff reply during a pause stops the clock there: 1h of the pause counts \
               (10-11), the deadline is 14:00; the escalation counts the whole pause (2h): 15:00",
    },
    Row {
        id: "E1.4",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::S("2026-09-14T12:00:00+02:00", "Waiting on customer"),
            Ev::R("2026-09-14T14:00:00+02:00"),
        ],
        now: MON_16,
        want: &[
            ("response.state", "met"),
            ("response.elapsed", "180m"),
            ("response.deadline", "2026-09-14T15:00:00+02:00"),
        ],
        note: "a reply during a pause with 1h left: met, and the deadline is 1h after the reply",
    },
    Row {
        id: "E1.5",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T09:30:00+02:00"),
            Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer"),
            Ev::S("2026-09-14T12:00:00+02:00", "In Progress"),
        ],
        now: MON_16,
        want: &[
            ("response.deadline", "2026-09-14T13:00:00+02:00"),
            ("current", "L1 at 2026-09-14T15:00:00+02:00"),
            ("next", "L2 at 2026-09-15T11:00:00+02:00"),
            ("nextChange", "2026-09-15T11:00:01+02:00"),
        ],
        note: "unresolved: L1 counts the 2h pause after the response (13:00 + 2h); L2 is 4h of \
               business time later (Mon 15-17, Tue 09-11)",
    },
    Row {
        id: "E1.6",
        levels: LADDER,
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T09:30:00+02:00"),
            Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer"),
            Ev::S("2026-09-14T12:00:00+02:00", "In Progress"),
            Ev::S("2026-09-14T14:00:00+02:00", "Resolved"),
        ],
        now: MON_16,
        want: &[
            ("current", "none"),
            ("maxLevel", "0"),
            ("headline", "resolution met"),
        ],
        note: "resolved at 14:00, after the response deadline but before L1's 15:00: no level",
    },
];

#[test]
fn e1_deadlines_move_only_while_the_clock_runs() {
    run("E1", E1);
}

#[test]
fn e1_explain_names_the_response_deadline() {
    let p = policy(LADDER, PAUSING);
    for (events, id) in [(&E1[0].events, "E1.1"), (&E1[1].events, "E1.2")] {
        let tk = ticket(events);
        let x = explain(&p, &tk, t(TUE_NOON)).unwrap();
        let want = "response met: responded Mon 14 Sep 2026 09:30 CEST after 30m of business \
                    time on office (Europe/Berlin) (deadline was Mon 14 Sep 2026 13:00 CEST)";
        assert!(x.lines.iter().any(|l| l == want), "[{id}] {:#?}", x.lines);
    }
    // E1.2's next level, whose clock is paused: named, with its instant unknown.
    let tk = ticket(E1[1].events);
    let x = explain(&p, &tk, t(TUE_NOON)).unwrap();
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

const E2: &[Row] = &[
    Row {
        id: "E2.1",
        levels: CROSSED,
        response: PAUSING,
        events: &[],
        now: MON_16,
        want: &[
            ("current", "none"),
            ("next", "L1 at 2026-09-16T09:00:00+02:00"),
            ("resolution.atRisk", "2026-09-15T13:00:00+02:00"),
            ("nextChange", "2026-09-15T13:00:01+02:00"),
        ],
        note: "L2's own instant (the response deadline, 13:00) has passed, but L1 (16h: Tue \
               17:00, rule 6: Wed 09:00) has not: L2 waits for it",
    },
    Row {
        id: "E2.2",
        levels: CROSSED,
        response: PAUSING,
        events: &[],
        now: "2026-09-16T10:00:00+02:00",
        want: &[
            ("current", "L2 at 2026-09-16T09:00:00+02:00"),
            ("next", "none"),
            ("maxLevel", "2"),
        ],
        note: "both reached at L1's instant, the later of the two",
    },
    Row {
        id: "E2.3",
        levels: LADDER,
        response: PAUSING,
        events: &[Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer")],
        now: MON_NOON,
        want: &[("current", "none"), ("next", "L1 at none")],
        note: "the response clock paused with 3h left: L1 is next at an unknown instant, L2 \
               is not shown in its place",
    },
    Row {
        id: "E2.4",
        levels: CROSSED,
        response: r#"{}"#,
        events: &[Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer")],
        now: MON_16,
        want: &[("current", "none"), ("next", "L1 at none")],
        note: "L1's resolution clock is paused; L2's response clock is not and its instant \
               (13:00) has passed, yet L2 is not reached before L1",
    },
];

#[test]
fn e2_the_escalation_ladder() {
    run("E2", E2);
}

// ---------------------------------------------------------------------------------------------
// E3: the badge's headline.
// ---------------------------------------------------------------------------------------------

const E3: &[Row] = &[
    Row {
        id: "E3.1",
        levels: "[]",
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T09:30:00+02:00"),
            Ev::S("2026-09-14T11:00:00+02:00", "Resolved"),
        ],
        now: MON_NOON,
        want: &[("headline", "resolution met")],
        note: "answered in time, then resolved in time: the resolution, which stopped last",
    },
    Row {
        id: "E3.2",
        levels: "[]",
        response: PAUSING,
        events: &[
            Ev::R("2026-09-14T14:00:00+02:00"),
            Ev::S("2026-09-14T15:00:00+02:00", "Resolved"),
        ],
        now: MON_16,
        want: &[("headline", "response metLate")],
        note: "answered late, resolved in time: met late before met",
    },
    Row {
        id: "E3.3",
        levels: "[]",
        response: PAUSING,
        events: &[Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer")],
        now: MON_NOON,
        want: &[
            ("response.state", "paused"),
            ("resolution.state", "paused"),
            ("response.deadline", "none"),
            ("headline", "response paused"),
        ],
        note: "both paused, no deadline: the one with less business time left (3h against 15h)",
    },
    Row {
        id: "E3.4",
        levels: "[]",
        response: r#"{}"#,
        events: &[Ev::S("2026-09-14T10:00:00+02:00", "Waiting on customer")],
        now: MON_NOON,
        want: &[("headline", "response running")],
        note: "running over paused",
    },
    Row {
        id: "E3.5",
        levels: "[]",
        response: PAUSING,
        events: &[Ev::S("2026-09-14T11:00:00+02:00", "Resolved")],
        now: MON_NOON,
        want: &[
            ("response.stopped", "2026-09-14T11:00:00+02:00"),
            ("headline", "resolution met"),
        ],
        note: "both stopped at the same instant (resolved unanswered): the resolution",
    },
];

#[test]
fn e3_the_headline() {
    run("E3", E3);
}

// ---------------------------------------------------------------------------------------------
// E4: `now` before the creation.
// ---------------------------------------------------------------------------------------------

const E4: &[Row] = &[Row {
    id: "E4.1",
    levels: LADDER,
    response: PAUSING,
    events: &[],
    now: "2026-09-14T08:00:00+02:00",
    want: &[
        ("at", "2026-09-14T09:00:00+02:00"),
        ("headline", "response running"),
        ("response.elapsed", "0m"),
        ("response.deadline", "2026-09-14T13:00:00+02:00"),
        ("next", "L1 at 2026-09-14T13:00:00+02:00"),
    ],
    note: "evaluated as at the creation, and `at` says so",
}];

#[test]
fn e4_now_before_creation() {
    run("E4", E4);
}

// ---------------------------------------------------------------------------------------------
// E5: a metric measured once per issue (`restartOnReopen: false`).
// ---------------------------------------------------------------------------------------------

const REOPENED: &[Ev] = &[
    Ev::R("2026-09-14T09:30:00+02:00"),
    Ev::S("2026-09-14T10:00:00+02:00", "Resolved"),
    Ev::S("2026-09-14T11:00:00+02:00", "In Progress"),
];

const E5: &[Row] = &[
    Row {
        id: "E5.1",
        levels: LADDER,
        response: PAUSING,
        events: REOPENED,
        now: MON_16,
        want: &[
            ("response.state", "breached"),
            ("response.start", "2026-09-14T11:00:00+02:00"),
            ("response.deadline", "2026-09-14T15:00:00+02:00"),
            ("response.cycles", "2"),
            ("current", "L1 at 2026-09-14T15:00:00+02:00"),
            ("next", "L2 at 2026-09-15T11:00:00+02:00"),
            ("headline", "response breached"),
        ],
        note: "the default: the reopened cycle measures the response again (no reply since)",
    },
    Row {
        id: "E5.2",
        levels: LADDER,
        response: ONCE,
        events: REOPENED,
        now: MON_16,
        want: &[
            ("response.state", "met"),
            ("response.start", "2026-09-14T09:00:00+02:00"),
            ("response.stopped", "2026-09-14T09:30:00+02:00"),
            ("response.deadline", "2026-09-14T13:00:00+02:00"),
            ("response.cycles", "1"),
            ("resolution.cycles", "2"),
            ("resolution.start", "2026-09-14T11:00:00+02:00"),
            ("current", "none"),
            ("maxLevel", "0"),
            ("headline", "resolution running"),
        ],
        note: "measured once: the first cycle's result stays; its levels apply in that cycle only",
    },
    Row {
        id: "E5.3",
        levels: LADDER,
        response: ONCE,
        events: &[
            Ev::S("2026-09-14T14:00:00+02:00", "Resolved"),
            Ev::S("2026-09-14T15:00:00+02:00", "In Progress"),
            Ev::R("2026-09-14T15:30:00+02:00"),
        ],
        now: MON_16,
        want: &[
            ("response.state", "metLate"),
            ("response.stopped", "2026-09-14T14:00:00+02:00"),
            ("response.everBreached", "true"),
            ("maxLevel", "1"),
            ("current", "none"),
        ],
        note: "the first cycle stopped unanswered at its resolution, late; L1 was reached at \
               13:00 in that cycle; the reply in the second cycle changes nothing",
    },
];

#[test]
fn e5_response_measured_once() {
    run("E5", E5);
}

#[test]
fn e5_explain_says_the_response_is_measured_once() {
    let tk = ticket(REOPENED);
    let line = "response is measured once per issue: the first cycle's result, kept though the \
                issue was reopened";
    let (once, each) = (policy(LADDER, ONCE), policy(LADDER, PAUSING));
    let x = explain(&once, &tk, t(MON_16)).unwrap();
    assert!(x.lines.iter().any(|l| l == line), "{:#?}", x.lines);
    let x = explain(&each, &tk, t(MON_16)).unwrap();
    assert!(!x.lines.iter().any(|l| l == line), "{:#?}", x.lines);
}

#[test]
fn e5_report_sums_follow_restart_on_reopen() {
    use sla_lens::report::report;
    let tk2 = ticket(&[
        Ev::R("2026-09-14T09:30:00+02:00"),
        Ev::S("2026-09-14T10:00:00+02:00", "Resolved"),
        Ev::S("2026-09-14T11:00:00+02:00", "In Progress"),
        Ev::R("2026-09-14T12:00:00+02:00"),
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
