//! The JS binding, run as Wasm in Node and in headless Chromium (wasm-bindgen-test):
//!   make test-wasm-node      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!                            cargo test --target wasm32-unknown-unknown --test wasm
//!   make test-wasm-browser   the same with WASM_BINDGEN_USE_BROWSER=1 and chromedriver
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float64Array, Reflect, JSON};
use sla_lens::wasm::{example_policy, validate_policy, SlaEngine, TicketSet};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: &str = "2026-11-27T12:00:00Z";

fn now_ms() -> f64 {
    js_sys::Date::parse(NOW)
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |acc, k| {
        Reflect::get(&acc, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    })
}

fn s(v: &JsValue, path: &str) -> String {
    get(v, path).as_string().unwrap_or_default()
}

fn engine() -> SlaEngine {
    SlaEngine::default_policy().expect("the default policy loads")
}

fn business() -> SlaEngine {
    SlaEngine::new(&example_policy("business-hours").expect("example exists"))
        .expect("the business-hours policy loads")
}

const TICKETS: &str = r#"[
  {"id": "1", "created": "2026-11-27T08:50:00Z",
   "fields": {"priority": "Urgent", "requesterGroup": "Marketing", "category": "Printer"}},
  {"id": 2, "created": 1795165200000,
   "fields": {"priority": "Normal", "requesterGroup": "Marketing"}},
  {"id": "3", "created": "2026-11-27T09:00:00Z", "fields": {"requesterGroup": "Sales"}},
  {"id": "4", "created": "yesterday"},
  "not a ticket"
]"#;

#[wasm_bindgen_test]
fn evaluates_a_batch_in_one_call_with_errors_per_ticket() {
    let results: Array = engine()
        .evaluate(json(TICKETS), now_ms(), None)
        .expect("evaluate")
        .unchecked_into();
    assert_eq!(results.length(), 5);
    let r0 = results.get(0);
    assert_eq!(s(&r0, "id"), "1");
    // 3h10m of 4 critical hours used: at risk (over 75 %), 50m left.
    assert_eq!(s(&r0, "evaluation.state"), "atRisk");
    assert_eq!(
        s(&r0, "evaluation.response.deadline"),
        "2026-11-27T12:50:00Z"
    );
    assert_eq!(
        get(&r0, "evaluation.response.remaining").as_f64(),
        Some(3000.0)
    );
    assert_eq!(s(&r0, "evaluation.priority.id"), "critical");
    assert!(get(&r0, "explanation").is_undefined());
    // Epoch-ms stamps and numeric ids are read too.
    assert_eq!(s(&results.get(1), "id"), "2");
    assert_eq!(s(&results.get(1), "evaluation.state"), "breached");
    assert_eq!(
        s(&results.get(2), "evaluation.applicability.kind"),
        "notIncluded"
    );
    let bad = results.get(3);
    assert_eq!(s(&bad, "error.code"), "invalid-timestamp");
    assert_eq!(s(&bad, "error.path"), "[3].created");
    assert_eq!(s(&results.get(4), "error.code"), "invalid-ticket");
    assert_eq!(s(&results.get(4), "error.path"), "[4]");
}

#[wasm_bindgen_test]
fn json_text_and_objects_give_the_same_results() {
    let e = engine();
    let opts: js_sys::Object = json(r#"{"explain": true}"#).unchecked_into();
    let a = e
        .evaluate(json(TICKETS), now_ms(), Some(opts.clone()))
        .unwrap();
    let b = e
        .evaluate(JsValue::from_str(TICKETS), now_ms(), Some(opts))
        .unwrap();
    assert_eq!(
        JSON::stringify(&a).unwrap().as_string(),
        JSON::stringify(&b).unwrap().as_string()
    );
    let lines: Array = get(&Array::from(&a).get(0), "explanation.lines").unchecked_into();
    assert!(lines.length() > 0);
    assert!(lines
        .iter()
        .any(|l| l.as_string().unwrap_or_default().contains("response due")));
}

#[wasm_bindgen_test]
fn outputs_are_plain_objects_with_nulls() {
    let results: Array = engine()
        .evaluate(json(TICKETS), now_ms(), None)
        .unwrap()
        .unchecked_into();
    let ev = get(&results.get(0), "evaluation");
    assert!(!ev.is_instance_of::<js_sys::Map>());
    assert!(get(&ev, "response").is_object());
    assert!(get(&ev, "escalation.current").is_null());
    assert!(get(&ev, "resolution.deadline").is_null());
    let next = get(&ev, "escalation.next");
    assert!(Array::is_array(&get(&next, "contacts")));
    assert_eq!(s(&next, "role"), "IT manager");
}

#[wasm_bindgen_test]
fn a_bad_policy_throws_an_error_with_every_diagnostic() {
    let text = r#"{"version": 1, "id": "x", "name": "x",
      "parties": {"provider": {"name": "IT"}, "customer": {"name": "M"}},
      "priorities": [{"id": "p", "name": "P"}],
      "targets": [{"priority": "p", "response": "4 hours", "calendr": "24x7"}],
      "atRiskPercent": 150}"#;
    let err = match SlaEngine::new(text) {
        Ok(_) => panic!("the policy must be rejected"),
        Err(e) => e,
    };
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(s(&err, "name"), "PolicyError");
    let diags: Array = get(&err, "diagnostics").unchecked_into();
    let codes: Vec<String> = diags.iter().map(|d| s(&d, "code")).collect();
    assert!(codes.contains(&"unknown-field".to_string()), "{codes:?}");
    assert!(diags.iter().all(|d| !s(&d, "message").is_empty()));
    assert!(s(&err, "message").contains("error"));

    let v = validate_policy(text).unwrap();
    assert_eq!(get(&v, "ok").as_bool(), Some(false));
    assert_eq!(
        Array::from(&get(&v, "diagnostics")).length(),
        diags.length()
    );
    let ok = validate_policy(&example_policy("default").unwrap()).unwrap();
    assert_eq!(get(&ok, "ok").as_bool(), Some(true));
    assert!(SlaEngine::new("not json").is_err());
    assert!(example_policy("nope").is_err());
}

#[wasm_bindgen_test]
fn explain_returns_the_trace_and_throws_ticket_errors() {
    let e = business();
    let ticket = json(
        r#"{"id": "9", "created": "2026-11-26T14:30:00Z",
            "fields": {"priority": "Urgent", "requesterGroup": "Marketing"}}"#,
    );
    let x = e.explain(ticket, now_ms()).expect("explain");
    assert_eq!(s(&x, "timeZone"), "Europe/Berlin");
    assert_eq!(s(&x, "evaluation.calendar"), "berlin-office");
    assert!(Array::from(&get(&x, "segments")).length() > 0);
    assert!(Array::from(&get(&x, "lines")).length() > 0);

    let err = e
        .explain(json(r#"{"id": "b", "created": "soon"}"#), now_ms())
        .expect_err("a bad ticket throws");
    assert_eq!(s(&err, "name"), "TicketError");
    assert_eq!(s(&err, "code"), "invalid-timestamp");
    assert_eq!(s(&err, "ticketId"), "b");
    assert!(e.explain(JsValue::from_f64(3.0), now_ms()).is_err());
}

#[wasm_bindgen_test]
fn next_change_is_the_earliest_state_change_in_epoch_ms() {
    let e = engine();
    let results = e.evaluate(json(TICKETS), now_ms(), None).unwrap();
    let next = e.next_change(results.clone(), now_ms()).unwrap();
    // Ticket 1 breaches just after its 12:50 deadline.
    assert_eq!(
        next.as_f64(),
        Some(js_sys::Date::parse("2026-11-27T12:50:01Z"))
    );
    // Stale results: a change already due means "now".
    let later = now_ms() + 2.0 * 3_600_000.0;
    assert!(
        e.next_change(results.clone(), later)
            .unwrap()
            .as_f64()
            .unwrap()
            >= later
    );
    assert!(e
        .next_change(Array::new().into(), now_ms())
        .unwrap()
        .is_null());
    assert!(e.next_change(JsValue::from_str("x"), now_ms()).is_err());
}

#[wasm_bindgen_test]
fn calendar_batch_api_over_typed_arrays() {
    let e = business();
    let fri_16 = js_sys::Date::parse("2026-11-27T15:00:00Z"); // 16:00 in Berlin
    let starts = [
        fri_16,
        f64::NAN,
        js_sys::Date::parse("1900-01-01T00:00:00Z"),
    ];
    let out = e
        .deadlines("berlin-office", &starts, JsValue::from_f64(4.0 * 3600.0))
        .expect("deadlines");
    // 1h on Friday, 3h on Monday: Mon 30 Nov 12:00 Berlin.
    assert_eq!(out[0], js_sys::Date::parse("2026-11-30T11:00:00Z"));
    assert!(out[1].is_nan() && out[2].is_nan());
    let each = Float64Array::from(&[3600.0, 60.0, 60.0][..]);
    let out = e.deadlines("berlin-office", &starts, each.into()).unwrap();
    // One hour from 16:00 runs out exactly at the 17:00 close: the deadline is the next
    // opening, Monday 09:00 in Berlin.
    assert_eq!(out[0], js_sys::Date::parse("2026-11-30T08:00:00Z"));
    let elapsed = e
        .elapsed(
            "berlin-office",
            &[fri_16],
            &[js_sys::Date::parse("2026-11-30T15:00:00Z")],
        )
        .unwrap();
    assert_eq!(elapsed, vec![8.0 * 3600.0]);
    assert!(e
        .deadlines("nope", &starts, JsValue::from_f64(1.0))
        .is_err());
    assert!(e.elapsed("24x7", &[1.0, 2.0], &[3.0]).is_err());
    assert!(e
        .deadlines("24x7", &starts, JsValue::from_str("4h"))
        .is_err());
    assert!(e
        .deadlines("24x7", &starts, Float64Array::new_with_length(1).into())
        .is_err());
}

#[wasm_bindgen_test]
fn garbage_input_throws_instead_of_panicking() {
    let e = engine();
    assert!(e.evaluate(JsValue::from_f64(42.0), now_ms(), None).is_err());
    assert!(e.evaluate(JsValue::from_str("{"), now_ms(), None).is_err());
    assert!(e.evaluate(Array::new().into(), f64::NAN, None).is_err());
    let weird = json(r#"[null, 1, [], {"id": {"x": 1}, "created": []}]"#);
    let r: Array = e.evaluate(weird, now_ms(), None).unwrap().unchecked_into();
    assert_eq!(r.length(), 4);
    assert!(r.iter().all(|x| !get(&x, "error").is_undefined()));
    assert_eq!(e.id(), "it-marketing-internal-sla");
    assert_eq!(e.calendars(), vec!["24x7".to_string()]);
}

/// Each row of `BoardRows` as text: numbers as they are (NaN as `null`), string fields as the
/// text they point to in `strings` (whatever the table's order).
fn resolved_rows(rows: &JsValue) -> Vec<Vec<String>> {
    let fields: Array = get(rows, "fields").unchecked_into();
    let string_fields: Array = get(rows, "stringFields").unchecked_into();
    let is_string: Vec<bool> = fields
        .iter()
        .map(|f| string_fields.includes(&f, 0))
        .collect();
    let strings: Array = get(rows, "strings").unchecked_into();
    let numbers = Float64Array::from(get(rows, "numbers")).to_vec();
    numbers
        .chunks(is_string.len())
        .map(|row| {
            row.iter()
                .zip(&is_string)
                .map(|(&x, &text)| match (text, x) {
                    (true, x) if x >= 0.0 => strings.get(x as u32).as_string().unwrap(),
                    (_, x) if x.is_nan() || x < 0.0 => "null".into(),
                    (_, x) => x.to_string(),
                })
                .collect()
        })
        .collect()
}

#[wasm_bindgen_test]
fn a_ticket_set_is_read_once_and_evaluates_like_the_text() {
    let e = engine();
    let set = TicketSet::new(JsValue::from_str(TICKETS)).expect("a ticket list");
    assert_eq!((set.length(), set.unreadable()), (5, 2));
    // The same rows as evaluateRows on the text, at two instants, and under another policy.
    for (engine, at) in [
        (&e, now_ms()),
        (&e, now_ms() + 3_600_000.0),
        (&business(), now_ms()),
    ] {
        let from_text = engine
            .evaluate_rows(JsValue::from_str(TICKETS), at)
            .unwrap();
        let from_set = engine.evaluate_set_rows(&set, at).unwrap();
        assert_eq!(resolved_rows(&from_text), resolved_rows(&from_set));
        let text = |v: &JsValue, k: &str| JSON::stringify(&get(v, k)).unwrap().as_string();
        for k in ["errors", "fields", "nextChange"] {
            assert_eq!(text(&from_text, k), text(&from_set, k), "{k}");
        }
    }
    // Ticket 1 is at risk (50 minutes left); an hour later it has breached.
    let first_state = |rows: &JsValue| {
        let fields: Array = get(rows, "fields").unchecked_into();
        let col = fields.index_of(&JsValue::from_str("state"), 0) as u32;
        let numbers = Float64Array::from(get(rows, "numbers"));
        let strings: Array = get(rows, "strings").unchecked_into();
        strings.get(numbers.get_index(col) as u32).as_string()
    };
    let rows = |at: f64| e.evaluate_set_rows(&set, at).unwrap();
    assert_eq!(first_state(&rows(now_ms())).as_deref(), Some("atRisk"));
    let later = rows(now_ms() + 3_600_000.0);
    assert_eq!(first_state(&later).as_deref(), Some("breached"));
    let errors: Array = get(&later, "errors").unchecked_into();
    assert_eq!(s(&errors.get(0), "path"), "[3].created");
    assert_eq!(get(&errors.get(1), "index").as_f64(), Some(4.0));
    // From objects too; input that holds no list throws, as evaluate does.
    assert_eq!(TicketSet::new(json(TICKETS)).unwrap().length(), 5);
    assert!(TicketSet::new(JsValue::from_str("{")).is_err());
    assert!(TicketSet::new(JsValue::from_f64(1.0)).is_err());
    assert!(e.evaluate_set_rows(&set, f64::NAN).is_err());
}
