//! Property tests: the calendar arithmetic laws, pauses, and "never panic on input".

use proptest::prelude::*;
use serde_json::{json, Value};
use sla_lens::calendar::{Calendar, CalendarSpec};
use sla_lens::{evaluate, explain, Policy, Ticket};

const ZONES: [&str; 6] = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe", // a 30-minute DST shift
    "Asia/Kolkata",
    "America/Sao_Paulo",
];

/// 2025-01-01 .. 2028-01-01.
const T0: i64 = 1_735_689_600;
const T1: i64 = 1_830_297_600;

fn hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// A weekday's windows: closed, one window, a split day, or an overnight window ending before
/// 06:00 (the next day's windows then start at 06:00 or later).
fn day() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        2 => Just(vec![]),
        4 => (360u32..1200, 15u32..600).prop_map(|(a, len)| vec![format!("{}-{}", hhmm(a), hhmm((a + len).min(1440)))]),
        2 => (360u32..700, 30u32..200, 10u32..120, 30u32..300).prop_map(|(a, l1, gap, l2)| {
            let b = a + l1;
            let c = b + gap;
            let d = (c + l2).min(1440);
            vec![format!("{}-{}", hhmm(a), hhmm(b)), format!("{}-{}", hhmm(c), hhmm(d))]
        }),
        1 => (1200u32..1380, 0u32..360).prop_map(|(a, b)| vec![format!("{}-{}", hhmm(a), hhmm(b))]),
        1 => Just(vec!["00:00-24:00".to_string()]),
    ]
}

fn calendar_json() -> impl Strategy<Value = Value> {
    (
        0usize..ZONES.len(),
        proptest::collection::vec(day(), 7),
        proptest::collection::vec((2025i32..2028, 1u32..13, 1u32..29), 0..12),
        proptest::collection::vec((1u32..13, 1u32..29), 0..3),
        proptest::collection::vec(((2025i32..2028, 1u32..13, 1u32..29), 540u32..700, 30u32..300), 0..3),
    )
        .prop_map(|(z, days, hol, yearly, exc)| {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let mut week = serde_json::Map::new();
            for (n, d) in names.iter().zip(days) {
                week.insert(n.to_string(), json!(d));
            }
            let mut holidays: Vec<Value> = hol.iter().map(|(y, m, d)| json!({"date": format!("{y}-{m:02}-{d:02}")})).collect();
            holidays.extend(yearly.iter().map(|(m, d)| json!({"date": format!("{m:02}-{d:02}")})));
            holidays.sort_by_key(|h| h["date"].as_str().unwrap().to_string());
            holidays.dedup();
            let mut exceptions: Vec<Value> = exc
                .iter()
                .map(|((y, m, d), a, len)| json!({"date": format!("{y}-{m:02}-{d:02}"), "windows": [format!("{}-{}", hhmm(*a), hhmm(a + len))]}))
                .collect();
            exceptions.sort_by_key(|e| e["date"].as_str().unwrap().to_string());
            exceptions.dedup_by_key(|e| e["date"].clone());
            json!({"timeZone": ZONES[z], "week": week, "holidays": holidays, "exceptions": exceptions})
        })
}

fn compile(v: &Value) -> Option<Calendar> {
    let spec: CalendarSpec = serde_json::from_value(v.clone()).ok()?;
    let mut d = Vec::new();
    Calendar::compile("p", &spec, "", &mut d)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        max_global_rejects: 4096,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn deadline_laws(cal in calendar_json(), t in T0..T1, d in 0i64..2_000 * 3600, d2 in 0i64..400 * 3600, dt in 0i64..30 * 86_400) {
        let Some(c) = compile(&cal) else { return Err(TestCaseError::reject("overlapping windows")) };
        let Ok(a) = c.add(t, d) else { return Ok(()) };
        // deadline >= start
        prop_assert!(a >= t);
        // elapsed(t, add(t, d)) == d
        prop_assert_eq!(c.elapsed(t, a).unwrap(), d);
        // monotone in d
        if let Ok(b) = c.add(t, d + d2) { prop_assert!(b >= a); }
        // monotone in t
        if let Ok(b) = c.add(t + dt, d) { prop_assert!(b >= a); }
        // add(t, 0) is t inside business time, else the next opening (and nothing is open in between)
        let z = c.add(t, 0).unwrap();
        prop_assert_eq!(c.elapsed(t, z).unwrap(), 0);
        prop_assert!(c.is_open(z).unwrap());
        if c.is_open(t).unwrap() { prop_assert_eq!(z, t); }
        // the deadline is the LAST instant within budget: one second later is over it, when open
        if c.is_open(a).unwrap() {
            prop_assert_eq!(c.elapsed(t, a + 1).unwrap(), d + 1);
        }
    }

    #[test]
    fn elapsed_is_additive(cal in calendar_json(), a in T0..T1, x in 0i64..40 * 86_400, y in 0i64..40 * 86_400) {
        let Some(c) = compile(&cal) else { return Err(TestCaseError::reject("overlapping windows")) };
        let (b, e) = (a + x, a + x + y);
        prop_assert_eq!(c.elapsed(a, e).unwrap(), c.elapsed(a, b).unwrap() + c.elapsed(b, e).unwrap());
        prop_assert!(c.elapsed(a, b).unwrap() <= x);
    }

    #[test]
    fn pauses_shift_deadlines_by_exactly_their_business_time(
        cal in calendar_json(), created in T0..T1 - 200 * 86_400, target_h in 1i64..200,
        p_start in 0i64..20 * 86_400, p_len in 1i64..10 * 86_400,
    ) {
        if compile(&cal).is_none() { return Err(TestCaseError::reject("overlapping windows")); }
        let policy_text = json!({
            "version": 1, "id": "p", "name": "p",
            "parties": {"provider": {"name": "IT"}, "customer": {"name": "M"}},
            "priorities": [{"id": "n", "name": "N"}],
            "calendars": {"c": cal},
            "metrics": {"resolution": {"pausedBy": ["Waiting"]}},
            "targets": [{"priority": "n", "resolution": format!("{target_h}h"), "calendar": "c"}]
        }).to_string();
        let policy = Policy::from_json(&policy_text).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let c = policy.calendar_by_name("c").unwrap();
        let (ps, pe) = (created + p_start, created + p_start + p_len);
        let fmt = sla_lens::time::format_instant;
        let ticket = Ticket::from_value(&json!({
            "id": "1", "created": fmt(created),
            "statusHistory": [{"at": fmt(ps), "from": "New", "to": "Waiting"}, {"at": fmt(pe), "from": "Waiting", "to": "In Progress"}]
        })).unwrap();
        let now = created + 400 * 86_400;
        let Ok(e) = evaluate(&policy, &ticket, now) else { return Ok(()) };
        let deadline = e.resolution.deadline.unwrap().0;
        let target = target_h * 3600;
        let paused = c.elapsed(ps, pe.min(deadline)).unwrap();
        // The clock counted exactly the target: business time minus the paused business time.
        prop_assert_eq!(c.elapsed(created, deadline).unwrap() - paused, target);
        // And the deadline moved by exactly the business time paused, when the pause began before it.
        let unpaused = c.add(created, target).unwrap();
        if ps < unpaused {
            prop_assert_eq!(c.elapsed(created, deadline).unwrap(), c.elapsed(created, unpaused).unwrap() + paused);
        } else {
            prop_assert_eq!(deadline, unpaused);
        }
    }
}

/// Arbitrary JSON values, for "never panic" properties.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z0-9:+\\- ._%]{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("2026-03-29T02:30:00+01:00"),
            Just("24:00"),
            Just("22:00-06:00"),
            Just("4h"),
            Just("100%"),
            Just("Europe/Berlin"),
            Just("0h"),
            Just("12-25"),
            Just("2026-02-29"),
            Just("9999-12-31T23:59:59Z"),
            Just("1900-01-01T00:00:00Z"),
            Just("critical"),
            Just("24x7"),
            Just("response"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    "[a-z]{1,8}",
                    Just("created".to_string()),
                    Just("statusHistory".to_string()),
                    Just("at".to_string()),
                    Just("to".to_string()),
                    Just("from".to_string()),
                    Just("fields".to_string()),
                    Just("timeZone".to_string()),
                    Just("week".to_string()),
                    Just("mon".to_string()),
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the value at a random place in `v` with `with`.
fn mutate(v: &mut Value, path: &[usize], with: Value) {
    let Some((&i, rest)) = path.split_first() else {
        *v = with;
        return;
    };
    match v {
        Value::Object(o) if !o.is_empty() => {
            let k = o.keys().nth(i % o.len()).unwrap().clone();
            mutate(o.get_mut(&k).unwrap(), rest, with);
        }
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            mutate(&mut a[i % n], rest, with);
        }
        _ => *v = with,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_policy_json_never_panics(v in any_json()) {
        let _ = Policy::validate(&v.to_string());
    }

    #[test]
    fn mutated_default_policies_never_panic(path in proptest::collection::vec(any::<usize>(), 0..6), with in any_json()) {
        for base in [sla_lens::DEFAULT_POLICY_JSON, sla_lens::BUSINESS_HOURS_POLICY_JSON] {
            let mut v: Value = serde_json::from_str(base).unwrap();
            mutate(&mut v, &path, with.clone());
            let _ = Policy::validate(&v.to_string());
        }
    }

    #[test]
    fn arbitrary_tickets_never_panic(items in proptest::collection::vec(any_json(), 0..4), now in any::<i64>(), created in T0..T1) {
        let default = Policy::default_policy();
        let business = Policy::from_json(sla_lens::BUSINESS_HOURS_POLICY_JSON).unwrap();
        let mut list = items;
        // Some tickets that get far into evaluation, with arbitrary parts.
        list.push(json!({"id": "x", "created": sla_lens::time::format_instant(created), "fields": {"priority": "Urgent", "requesterGroup": "Marketing"},
            "statusHistory": [{"at": sla_lens::time::format_instant(created + 3600), "to": "Waiting on customer"}]}));
        let text = Value::Array(list).to_string();
        let Ok(batch) = Ticket::parse_batch(&text) else { return Ok(()) };
        for t in batch.iter().flatten() {
            for p in [&default, &business] {
                let _ = evaluate(p, t, now);
                let _ = explain(p, t, now);
            }
        }
    }
}
