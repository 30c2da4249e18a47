//! A second, deliberately simple evaluator written from DESIGN.md alone ("Time semantics" and
//! "Evaluating a ticket"), compared field by field with `sla_lens::evaluate` on random ticket
//! histories.
//!
//! It shares no code with the engine's calendar or evaluation: it reads the policy's JSON itself,
//! marks every minute of 2025-12..2028-01 business or not per calendar (rules 1-3: windows of
//! the local day they start on, holidays and exceptions by that day, a local time in a gap moved
//! forward by the gap, a repeated one taken at its first occurrence) with chrono-tz, and walks
//! each clock minute by minute. Every instant of the random histories is minute-aligned and every
//! target a whole number of minutes, so a minute is all business or none of it.
//!
//! `SLA_DIFF_CASES` sets the number of histories (default 10,000), `SLA_DIFF_SEED` the seed.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde_json::{json, Value};
use sla_lens::eval::{At, Evaluation, MetricEval};
use sla_lens::policy::MetricKind;
use sla_lens::{evaluate, Applicability, Policy, State, Ticket};

// ---------------------------------------------------------------------------------------------
// Minutes
// ---------------------------------------------------------------------------------------------

/// The first minute of the flag tables: 2025-12-01T00:00Z.
const BASE: i64 = 1_764_547_200;
/// Minutes covered: to 2028-01-31.
const SPAN: usize = 60 * 24 * (31 + 365 + 366 + 31);

fn minute(t: i64) -> usize {
    assert!(
        t >= BASE && (t - BASE) % 60 == 0,
        "instant {t} not minute-aligned"
    );
    let m = ((t - BASE) / 60) as usize;
    assert!(m < SPAN, "instant {t} beyond the tables");
    m
}

// ---------------------------------------------------------------------------------------------
// Calendars from the policy's JSON (rules 1-3)
// ---------------------------------------------------------------------------------------------

/// `HH:MM` minutes after midnight; `24:00` is 1440.
fn hm(s: &str) -> u32 {
    let (h, m) = s.split_once(':').unwrap();
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

/// Rule 3: the instant of a local wall-clock time; a time in a gap moves forward by the gap
/// (it is read in the offset before the gap), a repeated time is its earlier instant.
fn local_instant(tz: Tz, day: NaiveDate, min: u32) -> i64 {
    let ndt = day.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(i64::from(min));
    match tz.from_local_datetime(&ndt) {
        chrono::LocalResult::Single(x) => x.timestamp(),
        chrono::LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        chrono::LocalResult::None => {
            // The offset in force just before the gap: the last local time that exists.
            let mut k = 1;
            loop {
                let before = ndt - Duration::minutes(k);
                if let Some(x) = tz.from_local_datetime(&before).earliest() {
                    let off = i64::from(x.offset().fix().local_minus_utc());
                    return ndt.and_utc().timestamp() - off;
                }
                k += 1;
            }
        }
    }
}

use chrono::Offset;

fn weekday_key(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// Every minute's business flag for a calendar (`None`: the built-in `24x7`).
fn business_minutes(cal: Option<&Value>) -> Vec<bool> {
    let Some(cal) = cal else {
        return vec![true; SPAN];
    };
    let tz: Tz = cal["timeZone"].as_str().unwrap().parse().unwrap();
    let dates = |key: &str| -> Vec<Value> { cal[key].as_array().cloned().unwrap_or_default() };
    let holidays = dates("holidays");
    let exceptions = dates("exceptions");
    let mut flags = vec![false; SPAN];
    let first = NaiveDate::from_ymd_opt(2025, 11, 29).unwrap();
    let last = NaiveDate::from_ymd_opt(2028, 1, 30).unwrap();
    let mut day = first;
    while day <= last {
        let ymd = day.format("%Y-%m-%d").to_string();
        let md = day.format("%m-%d").to_string();
        // Rule 2: an exception replaces the date's windows (and wins over a holiday); a holiday
        // removes the windows that start on it.
        let windows: Vec<String> = if let Some(e) = exceptions.iter().find(|e| e["date"] == ymd) {
            e["windows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect()
        } else if holidays.iter().any(|h| h["date"] == ymd || h["date"] == md) {
            Vec::new()
        } else {
            cal["week"][weekday_key(day.weekday())]
                .as_array()
                .map(|a| a.iter().map(|w| w.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        };
        for w in windows {
            let (a, b) = w.split_once('-').unwrap();
            let (a, b) = (hm(a), hm(b));
            let open = local_instant(tz, day, a);
            // Rule 1: an end at or before the start is on the next day; 24:00 is the next
            // day's 00:00.
            let close = if b <= a {
                local_instant(tz, day.succ_opt().unwrap(), b)
            } else if b == 1440 {
                local_instant(tz, day.succ_opt().unwrap(), 0)
            } else {
                local_instant(tz, day, b)
            };
            let mut t = open;
            while t < close {
                if t >= BASE {
                    let m = ((t - BASE) / 60) as usize;
                    if m < SPAN {
                        flags[m] = true;
                    }
                }
                t += 60;
            }
        }
        day = day.succ_opt().unwrap();
    }
    flags
}

/// [`business_minutes`], computed once per distinct calendar (the variants share them).
fn cached_minutes(cal: Option<&Value>) -> std::rc::Rc<Vec<bool>> {
    use std::cell::RefCell;
    use std::rc::Rc;
    type Cache = Vec<(Option<Value>, Rc<Vec<bool>>)>;
    thread_local!(static CACHE: RefCell<Cache> = const { RefCell::new(Vec::new()) });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((_, f)) = c.iter().find(|(k, _)| k.as_ref() == cal) {
            return f.clone();
        }
        let f = Rc::new(business_minutes(cal));
        c.push((cal.cloned(), f.clone()));
        f
    })
}

// ---------------------------------------------------------------------------------------------
// The policy, read from its JSON
// ---------------------------------------------------------------------------------------------

/// `4h`, `30m`, `1h30m`, `0h` in seconds.
fn duration(s: &str) -> i64 {
    let mut total = 0;
    let mut n = 0i64;
    for c in s.chars() {
        match c {
            '0'..='9' => n = n * 10 + i64::from(c as u8 - b'0'),
            'd' => (total, n) = (total + n * 86_400, 0),
            'h' => (total, n) = (total + n * 3600, 0),
            'm' => (total, n) = (total + n * 60, 0),
            _ => panic!("duration {s}"),
        }
    }
    total
}

#[derive(Clone, Copy)]
enum AfterSpec {
    Seconds(i64),
    Percent(i64),
}

struct LevelSpec {
    level: u32,
    metric: usize,
    after: AfterSpec,
    calendar_time: bool,
}

struct Spec {
    json: Value,
    resolved: Vec<String>,
    paused_by: [Vec<String>; 2],
    restart: [bool; 2],
    at_risk: i64,
    levels: Vec<LevelSpec>,
    /// Business flags per calendar name (`24x7` included).
    flags: Vec<(String, std::rc::Rc<Vec<bool>>)>,
}

fn has(list: &[String], s: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(s))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

impl Spec {
    fn new(json: Value) -> Spec {
        let metric = |name: &str| &json["metrics"][name];
        let levels = json["escalation"]["levels"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|l| {
                let after = l["trigger"]["after"].as_str().unwrap_or("0h");
                LevelSpec {
                    level: l["level"].as_u64().unwrap() as u32,
                    metric: usize::from(l["trigger"]["metric"] == "resolution"),
                    after: match after.strip_suffix('%') {
                        Some(p) => AfterSpec::Percent(p.parse().unwrap()),
                        None => AfterSpec::Seconds(duration(after)),
                    },
                    calendar_time: l["trigger"]["time"] == "calendar",
                }
            })
            .collect();
        let mut flags = vec![("24x7".to_string(), cached_minutes(None))];
        if let Some(cals) = json["calendars"].as_object() {
            for (name, cal) in cals {
                flags.push((name.clone(), cached_minutes(Some(cal))));
            }
        }
        Spec {
            // The schema's default when the policy has no `statuses`.
            resolved: if json["statuses"].is_null() {
                ["Resolved", "Closed", "Rejected", "Done"]
                    .map(String::from)
                    .to_vec()
            } else {
                strings(&json["statuses"]["resolved"])
            },
            paused_by: [
                strings(&metric("response")["pausedBy"]),
                strings(&metric("resolution")["pausedBy"]),
            ],
            restart: [
                metric("response")["restartOnReopen"] != false,
                metric("resolution")["restartOnReopen"] != false,
            ],
            at_risk: json["atRiskPercent"].as_i64().unwrap_or(75),
            levels,
            flags,
            json,
        }
    }

    /// Rule 3 (tiers): the first tier whose `when` holds, a tier without `when` the fallback.
    fn tier(&self, list: &str, t: &Gen) -> Option<String> {
        for tier in self.json[list].as_array()? {
            let Some(when) = tier["when"].as_array() else {
                return Some(tier["id"].as_str()?.to_string());
            };
            let holds = when.iter().any(|c| {
                let field_ok = match (c["field"].as_str(), c["in"].as_array()) {
                    (Some(f), Some(values)) => {
                        let v = match f {
                            "priority" => Some(t.priority),
                            "category" => Some(t.category),
                            "requesterGroup" => Some("Marketing"),
                            _ => None,
                        };
                        v.is_some_and(|v| {
                            values
                                .iter()
                                .any(|w| w.as_str().unwrap().eq_ignore_ascii_case(v))
                        })
                    }
                    _ => true,
                };
                // The generated tickets have no labels: a `labels` part never holds.
                let labels_ok = c["labels"].is_null();
                field_ok && labels_ok && (c["field"].is_string() || c["labels"].is_array())
            });
            if holds {
                return Some(tier["id"].as_str()?.to_string());
            }
        }
        None
    }

    /// Rule 4: the target of the current priority (and category): `(response, resolution,
    /// calendar)`.
    fn target(&self, t: &Gen) -> ([Option<i64>; 2], &[bool]) {
        let p = self.tier("priorities", t).expect("a priority tier");
        let c = self.tier("categories", t);
        let targets = self.json["targets"].as_array().unwrap();
        let found = targets
            .iter()
            .find(|x| {
                x["priority"] == p.as_str() && c.is_some() && x["category"] == c.as_deref().unwrap()
            })
            .or_else(|| {
                targets
                    .iter()
                    .find(|x| x["priority"] == p.as_str() && x["category"].is_null())
            })
            .expect("a target");
        let d = |k: &str| found[k].as_str().map(duration);
        let cal = found["calendar"].as_str().unwrap_or("24x7");
        let flags = &self.flags.iter().find(|(n, _)| n == cal).unwrap().1;
        ([d("response"), d("resolution")], flags)
    }
}

// ---------------------------------------------------------------------------------------------
// Random tickets
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Debug)]
enum Event {
    Status(i64, &'static str),
    Reply(i64, bool),
}

#[derive(Debug)]
struct Gen {
    created: i64,
    priority: &'static str,
    category: &'static str,
    events: Vec<Event>,
    first_response: Option<i64>,
    now: i64,
}

const STATUSES: [&str; 8] = [
    "In Progress",
    "Waiting on customer",
    "Feedback",
    "Resolved",
    "Closed",
    "New",
    "resolved",
    "waiting on customer",
];

/// Days around the 2026 DST changes (Berlin 29 March and 25 October, New York 8 March and 1
/// November), Easter, Christmas and the new year, and ordinary weeks.
const DAYS: [(i32, u32, u32); 9] = [
    (2026, 3, 26),
    (2026, 10, 22),
    (2026, 3, 6),
    (2026, 10, 29),
    (2026, 4, 1),
    (2026, 12, 22),
    (2026, 12, 29),
    (2026, 9, 14),
    (2026, 6, 3),
];

fn gen(r: &mut Rng) -> Gen {
    let (y, m, d) = r.pick(&DAYS);
    let day = NaiveDate::from_ymd_opt(y, m, d).unwrap() + Duration::days(r.below(5) as i64);
    let min = if r.chance(40) {
        r.pick(&[
            7 * 60,
            8 * 60 + 59,
            9 * 60,
            12 * 60,
            16 * 60 + 59,
            17 * 60,
            23 * 60 + 30,
        ])
    } else {
        r.below(1440) as u32
    };
    let local = NaiveDateTime::new(day, NaiveTime::from_hms_opt(min / 60, min % 60, 0).unwrap());
    // A UTC instant near that Berlin wall-clock time (the offset does not matter here).
    let created = Utc.from_utc_datetime(&local).timestamp() - 3600;
    let mut t = created;
    let mut events = Vec::new();
    for _ in 0..r.below(9) {
        if !r.chance(20) {
            t += 60
                * match r.below(4) {
                    0 => 1 + r.below(60),
                    1 => 1 + r.below(600),
                    2 => 1 + r.below(3 * 1440),
                    _ => 1 + r.below(8 * 60),
                } as i64;
        }
        if r.chance(30) {
            events.push(Event::Reply(t, r.chance(80)));
        } else {
            events.push(Event::Status(t, r.pick(&STATUSES)));
        }
    }
    let first_response = r
        .chance(15)
        .then(|| created + 60 * r.below(2 * 1440) as i64);
    let now = match r.below(5) {
        0 => created - 60 * r.below(180) as i64,
        1 => match events.get(r.below(events.len().max(1) as u64) as usize) {
            Some(Event::Status(at, _) | Event::Reply(at, _)) => *at,
            None => created,
        },
        _ => created + 60 * r.below(12 * 1440) as i64,
    };
    Gen {
        created,
        priority: r.pick(&["Urgent", "Normal", "Low", "P1", "Blocker"]),
        category: r.pick(&["Hardware", "Network", "VPN", "Backup", "Training", "Other"]),
        events,
        first_response,
        now,
    }
}

fn to_ticket(g: &Gen, id: usize) -> Ticket {
    let iso = |t: i64| Utc.timestamp_opt(t, 0).unwrap().to_rfc3339();
    let mut history = Vec::new();
    let mut comments = Vec::new();
    let mut status = "New";
    for e in &g.events {
        match e {
            Event::Status(at, to) => {
                history.push(json!({"at": iso(*at), "from": status, "to": to}));
                status = to;
            }
            Event::Reply(at, staff) => comments.push(json!({"at": iso(*at), "staff": staff})),
        }
    }
    let mut v = json!({
        "id": id.to_string(), "created": iso(g.created), "status": status,
        "fields": {"priority": g.priority, "category": g.category, "requesterGroup": "Marketing"},
        "statusHistory": history, "comments": comments,
    });
    if let Some(f) = g.first_response {
        v["firstResponseAt"] = json!(iso(f));
    }
    Ticket::from_value(&v).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The second evaluator
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct M {
    state: Option<State>,
    start: Option<i64>,
    deadline: Option<i64>,
    at_risk: Option<i64>,
    stopped: Option<i64>,
    elapsed: i64,
    paused_seconds: i64,
    paused_business: i64,
    breached_at: Option<i64>,
    paused: bool,
    cycles: u32,
    ever_breached: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Out {
    at: i64,
    m: [M; 2],
    current: Option<(u32, i64)>,
    next: Option<(u32, Option<i64>)>,
    max_level: u32,
    headline: (usize, State),
    next_change: Option<i64>,
}

/// The known history at `now` (rule 1): status changes and staff replies at or before it.
struct Known<'a> {
    initial: &'a str,
    changes: Vec<(i64, &'a str)>,
    replies: Vec<i64>,
}

impl Known<'_> {
    /// The status during the minute starting at `t` (the last change at or before `t`).
    fn status_at(&self, t: i64) -> &str {
        let mut s = self.initial;
        for &(at, to) in &self.changes {
            if at <= t {
                s = to;
            }
        }
        s
    }
}

/// A clock walked minute by minute from `start`: a minute counts when it is business time and
/// (while pauses count) its status does not pause. Pauses count before `pauses_until` only.
/// Returns, for each budget, the deadline (rule 6: the first instant at which the budget is
/// used and the clock would count the next second), or `None` when the history ends in a pause
/// first.
fn walk(
    flags: &[bool],
    k: &Known<'_>,
    pause: &[String],
    start: i64,
    pauses_until: Option<i64>,
    budgets: &[i64],
) -> Vec<Option<i64>> {
    let mut out = vec![None; budgets.len()];
    let last_change = k.changes.last().map_or(start, |c| c.0).max(start);
    let mut used = 0;
    let mut t = start;
    let mut ci = 0; // the changes at or before t
    let mut status = k.initial;
    loop {
        while ci < k.changes.len() && k.changes[ci].0 <= t {
            status = k.changes[ci].1;
            ci += 1;
        }
        let pausing = pauses_until.is_none_or(|s| t < s) && has(pause, status);
        let counts = flags[minute(t)] && !pausing;
        if counts {
            for (i, b) in budgets.iter().enumerate() {
                if out[i].is_none() && used == *b {
                    out[i] = Some(t);
                }
            }
            used += 60;
        }
        if out.iter().all(Option::is_some) {
            return out;
        }
        // Paused for good: the history ends in a pause status and pauses count to the end.
        if t >= last_change && pausing && pauses_until.is_none() {
            return out;
        }
        t += 60;
    }
}

/// Business seconds the clock used in `[start, upto)`, the wall-clock seconds it was paused and
/// the business seconds among them.
fn used(flags: &[bool], k: &Known<'_>, pause: &[String], start: i64, upto: i64) -> (i64, i64, i64) {
    let (mut used, mut paused, mut paused_business) = (0, 0, 0);
    let mut t = start;
    let mut status = k.status_at(t);
    let mut ci = k.changes.partition_point(|c| c.0 <= t);
    while t < upto {
        while ci < k.changes.len() && k.changes[ci].0 <= t {
            status = k.changes[ci].1;
            ci += 1;
        }
        let p = has(pause, status);
        if p {
            paused += 60;
            if flags[minute(t)] {
                paused_business += 60;
            }
        } else if flags[minute(t)] {
            used += 60;
        }
        t += 60;
    }
    (used, paused, paused_business)
}

/// A level's `after` in seconds for a target of `target` seconds.
fn offset(after: AfterSpec, target: i64) -> i64 {
    match after {
        AfterSpec::Seconds(s) => s,
        AfterSpec::Percent(p) => target * p / 100,
    }
}

fn urgency(s: State) -> u8 {
    match s {
        State::Breached => 6,
        State::AtRisk => 5,
        State::Running => 4,
        State::Paused => 3,
        State::MetLate => 2,
        State::Met => 1,
        // The generated histories are complete, so no state is unknown; ranked as the engine does.
        State::NotApplicable | State::Unknown => 0,
    }
}

fn slow_eval(spec: &Spec, g: &Gen) -> Out {
    // Rule 1: a `now` before the creation is the creation; later events are ignored.
    let now = g.now.max(g.created);
    let mut changes = Vec::new();
    // The generated tickets start in `New` (the first change's `from`, or the status).
    let initial = "New";
    let mut replies = Vec::new();
    // The ticket's history is sorted by time, same-instant events in their order.
    let mut evs: Vec<&Event> = g.events.iter().collect();
    evs.sort_by_key(|e| match e {
        Event::Status(t, _) | Event::Reply(t, _) => *t,
    });
    for e in evs {
        match e {
            Event::Status(at, to) => {
                if *at <= now {
                    changes.push((*at, *to));
                }
            }
            Event::Reply(at, true) if *at <= now => replies.push(*at),
            Event::Reply(..) => {}
        }
    }
    let k = Known {
        initial,
        changes,
        replies,
    };
    // Rule 5: cycles.
    let mut cycles = Vec::new();
    let mut start = Some(g.created);
    let mut resolved = has(&spec.resolved, k.initial);
    if resolved {
        cycles.push((g.created, Some(g.created)));
        start = None;
    }
    for &(at, to) in &k.changes {
        let r = has(&spec.resolved, to);
        if !resolved && r {
            cycles.push((start.take().unwrap(), Some(at)));
        } else if resolved && !r {
            start = Some(at);
        }
        resolved = r;
    }
    if let Some(s) = start {
        cycles.push((s, None));
    }

    let (targets, flags) = spec.target(g);
    let mut m = [M::default(), M::default()];
    let mut current = None;
    let mut next = None;
    let mut max_level = 0;
    for (ci, &(start, end)) in cycles.iter().enumerate() {
        let measured = |i: usize| ci == 0 || spec.restart[i];
        // Rule 6: the stops.
        let stops = [
            {
                let reply = k.replies.iter().copied().find(|&r| r >= start);
                let direct = if ci == 0 {
                    g.first_response.filter(|&f| f <= now)
                } else {
                    None
                };
                [reply, direct, end].into_iter().flatten().min()
            },
            end,
        ];
        let mut esc_deadline: [Option<i64>; 2] = [None, None];
        // Per metric: (budget, instant) of the levels' clock.
        let mut esc_at: [Vec<(i64, Option<i64>)>; 2] = [Vec::new(), Vec::new()];
        for i in 0..2 {
            if !measured(i) {
                continue;
            }
            let stop = stops[i];
            let upto = stop.unwrap_or(now).min(now).max(start);
            let (elapsed, paused_seconds, paused_business) =
                used(flags, &k, &spec.paused_by[i], start, upto);
            let x = &mut m[i];
            x.cycles += 1;
            x.start = Some(start);
            x.stopped = stop;
            x.elapsed = elapsed;
            x.paused_seconds = paused_seconds;
            x.paused_business = paused_business;
            x.breached_at = None;
            x.paused = stop.is_none() && has(&spec.paused_by[i], k.status_at(now));
            x.deadline = None;
            x.at_risk = None;
            let Some(target) = targets[i] else {
                x.state = Some(State::NotApplicable);
                continue;
            };
            let risk = target * spec.at_risk / 100;
            // Rule 8: a deadline moves only by pauses before the stop.
            let d = walk(flags, &k, &spec.paused_by[i], start, stop, &[target, risk]);
            x.deadline = d[0];
            x.at_risk = d[1];
            x.state = Some(match (stop, d[0]) {
                (Some(s), Some(dl)) if s > dl => State::MetLate,
                (Some(_), _) => State::Met,
                (None, Some(dl)) if now > dl => State::Breached,
                (None, _) if x.paused => State::Paused,
                (None, _) if d[1].is_some_and(|r| now > r) => State::AtRisk,
                (None, _) => State::Running,
            });
            if matches!(x.state, Some(State::Breached | State::MetLate)) {
                x.ever_breached = true;
                x.breached_at = x.deadline;
            }
            // Rule 9: the levels' clock counts every pause of the cycle. One walk for the target
            // and every business-time level on this metric.
            let mut budgets = vec![target];
            for l in spec
                .levels
                .iter()
                .filter(|l| l.metric == i && !l.calendar_time)
            {
                budgets.push(target + offset(l.after, target));
            }
            let found = walk(flags, &k, &spec.paused_by[i], start, None, &budgets);
            esc_deadline[i] = found[0];
            esc_at[i] = budgets.into_iter().zip(found).collect();
        }
        // Rule 9: the ladder.
        current = None;
        next = None;
        let mut floor: Option<Option<i64>> = None;
        for l in &spec.levels {
            if !measured(l.metric) {
                continue;
            }
            let Some(target) = targets[l.metric] else {
                continue;
            };
            let offset = offset(l.after, target);
            let own = if l.calendar_time {
                esc_deadline[l.metric].map(|d| d + offset)
            } else {
                esc_at[l.metric]
                    .iter()
                    .find(|(b, _)| *b == target + offset)
                    .unwrap()
                    .1
            };
            let at = match (own, floor) {
                (Some(a), None) => Some(a),
                (Some(a), Some(Some(f))) => Some(a.max(f)),
                _ => None,
            };
            floor = Some(at);
            match at {
                None => {
                    if end.is_none() && next.is_none() {
                        next = Some((l.level, None));
                    }
                }
                Some(a) if end.is_some_and(|e| e <= a) => {}
                Some(a) if now > a => {
                    max_level = max_level.max(l.level);
                    if end.is_none() {
                        current = Some((l.level, a));
                    }
                }
                Some(a) => {
                    if end.is_none() && next.is_none() {
                        next = Some((l.level, Some(a)));
                    }
                }
            }
        }
    }
    // Rule 8: the headline.
    let key = |i: usize| {
        let x = &m[i];
        let s = x.state.unwrap();
        let active = matches!(
            s,
            State::Breached | State::AtRisk | State::Running | State::Paused
        );
        if active {
            let remaining = targets[i].unwrap() - x.elapsed;
            (urgency(s), -x.deadline.unwrap_or(i64::MAX), -remaining)
        } else {
            (urgency(s), x.stopped.unwrap_or(i64::MIN), 0)
        }
    };
    // Equal keys: the resolution.
    let headline = usize::from(key(1) >= key(0));
    // Rule 7: the next change.
    let mut nc: Option<i64> = None;
    let mut consider = |t: Option<i64>| {
        if let Some(t) = t.filter(|&t| t >= now) {
            nc = Some(nc.map_or(t + 1, |n| n.min(t + 1)));
        }
    };
    for x in &m {
        let s = x.state.unwrap();
        if matches!(s, State::Running | State::AtRisk | State::Breached) && !x.paused {
            if s == State::Running {
                consider(x.at_risk);
            }
            if s != State::Breached {
                consider(x.deadline);
            }
        }
    }
    consider(next.and_then(|n| n.1));
    Out {
        at: now,
        headline: (headline, m[headline].state.unwrap()),
        m,
        current,
        next,
        max_level,
        next_change: nc,
    }
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

fn from_engine(ev: &Evaluation<'_>) -> Out {
    let o = |x: Option<At>| x.map(|a| a.0);
    let metric = |x: &MetricEval| M {
        state: Some(x.state),
        start: o(x.start),
        deadline: o(x.deadline),
        at_risk: o(x.at_risk_at),
        stopped: o(x.stopped_at),
        elapsed: x.elapsed,
        paused_seconds: x.paused_seconds,
        paused_business: x.paused_business_seconds,
        breached_at: o(x.breached_at),
        paused: x.paused,
        cycles: x.cycles,
        ever_breached: x.ever_breached,
    };
    Out {
        at: ev.at.0,
        m: [metric(&ev.response), metric(&ev.resolution)],
        current: ev.escalation.current.map(|l| (l.level, l.at.unwrap().0)),
        next: ev.escalation.next.map(|l| (l.level, o(l.at))),
        max_level: ev.escalation.max_level,
        headline: (usize::from(ev.headline == MetricKind::Resolution), ev.state),
        next_change: o(ev.next_change),
    }
}

fn policies() -> Vec<(&'static str, Value)> {
    let read =
        |p: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let default = read("policies/default.json");
    let business = read("policies/business-hours.json");
    let mut both_paused = business.clone();
    both_paused["metrics"]["response"] = json!({"pausedBy": ["Waiting on customer", "Feedback"]});
    let mut once = both_paused.clone();
    once["metrics"]["response"]["restartOnReopen"] = json!(false);
    let mut default_once = default.clone();
    default_once["metrics"] =
        json!({"response": {"pausedBy": ["Waiting on customer"], "restartOnReopen": false}});
    // Crossing levels, a calendar-time level and a share of the target.
    let mut crossed = both_paused.clone();
    crossed["escalation"]["levels"] = json!([
        {"level": 1, "role": "A", "trigger": {"metric": "resolution", "after": "0h"}},
        {"level": 2, "role": "B", "trigger": {"metric": "response", "after": "50%"}},
        {"level": 3, "role": "C", "trigger": {"metric": "response", "after": "2h", "time": "calendar"}}
    ]);
    // Night shifts: every window spans midnight and the DST changes (7h and 9h nights).
    let mut night = once.clone();
    let nights = json!(["22:00-06:00"]);
    for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        night["calendars"]["berlin-office"]["week"][d] = nights.clone();
    }
    vec![
        ("default", default),
        (
            "business-hours on night shifts, response paused, once",
            night,
        ),
        ("business-hours", business),
        ("business-hours, response paused", both_paused),
        ("business-hours, response paused, once", once),
        ("default, response paused, once", default_once),
        ("business-hours, crossed ladder", crossed),
    ]
}

#[test]
fn the_engine_agrees_with_a_minute_by_minute_evaluator() {
    let cases: usize = std::env::var("SLA_DIFF_CASES")
        .ok()
        .map_or(10_000, |s| s.parse().expect("SLA_DIFF_CASES"));
    let seed: u64 = std::env::var("SLA_DIFF_SEED")
        .ok()
        .map_or(0x51A_1E25, |s| s.parse().expect("SLA_DIFF_SEED"));
    let specs: Vec<(&str, Spec, Policy)> = policies()
        .into_iter()
        .map(|(name, v)| {
            let p = Policy::from_json(&v.to_string())
                .unwrap_or_else(|d| panic!("{name} does not load: {d}"));
            (name, Spec::new(v), p)
        })
        .collect();
    let mut r = Rng(seed);
    let mut failures = Vec::new();
    for case in 0..cases {
        let (name, spec, policy) = &specs[case % specs.len()];
        let g = gen(&mut r);
        let tk = to_ticket(&g, case);
        let ev = evaluate(policy, &tk, g.now).unwrap();
        assert_eq!(ev.applicability, Applicability::Applies, "case {case}");
        let got = from_engine(&ev);
        let want = slow_eval(spec, &g);
        if got != want {
            failures.push(format!(
                "case {case} ({name}), now {}, {g:?}:\n  engine {got:?}\n  rules  {want:?}",
                g.now
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} histories disagree (seed {seed}); first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
