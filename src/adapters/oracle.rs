//! The JSON reader against its oracle (tests only): `util::read::from_value` (the derived
//! `Deserialize` over `util::read::ValueDe`, whose errors keep serde's callback as a typed
//! `Kind`) against `serde_path_to_error` over serde_json's own `&Value` deserializer. Every value
//! of the fixtures, replaced by values of every JSON type, keys removed and unknown keys added,
//! must give the same result, path, segments and message through both, and the error's `Kind`
//! must be what serde's message says. It lives here, the highest layer whose types it reads
//! (policy, ticket and tracker types), since `util` names none of them.

use super::{github, gitlab, jira, redmine};
use crate::calendar::CalendarSpec;
use crate::policy::{LevelSpec, PolicySpec, TargetSpec, TierSpec};
use crate::util::located::{Kind, Segment};
use serde::de::DeserializeOwned;
use serde_json::json;
use serde_json::Value;
use std::fmt::Debug;

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn outcome<T: Debug>(r: Result<T, (String, Vec<Segment>, String)>) -> String {
    format!("{r:?}")
}

fn p2e<T: DeserializeOwned + Debug>(v: &Value) -> String {
    outcome(serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let segs = e
            .path()
            .iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Segment::Index(*index),
                serde_path_to_error::Segment::Map { key } => Segment::Key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Segment::Variant(variant.clone()),
                serde_path_to_error::Segment::Unknown => Segment::Key("?".into()),
            })
            .collect();
        (e.path().to_string(), segs, e.inner().to_string())
    }))
}

/// Every variant of `v` with one node changed.
fn mutations(v: &Value) -> Vec<Value> {
    let replacements = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(4294967296u64),
        json!(1.5),
        json!("x"),
        json!("response"),
        json!([]),
        json!(["x", 1]),
        json!({}),
        json!({"zzz": 1}),
        json!({"users": ["a"]}),
    ];
    let mut out = Vec::new();
    for r in &replacements {
        out.push(r.clone());
    }
    match v {
        Value::Object(m) => {
            for k in m.keys() {
                let mut without = m.clone();
                without.remove(k);
                out.push(Value::Object(without));
                for child in mutations(&m[k]) {
                    let mut changed = m.clone();
                    changed.insert(k.clone(), child);
                    out.push(Value::Object(changed));
                }
            }
            let mut extra = m.clone();
            extra.insert("zzz".into(), json!(1));
            out.push(Value::Object(extra));
        }
        Value::Array(a) => {
            for (i, item) in a.iter().enumerate().take(3) {
                for child in mutations(item) {
                    let mut changed = a.clone();
                    changed[i] = child;
                    out.push(Value::Array(changed));
                }
            }
        }
        _ => {}
    }
    out
}

fn same<T: DeserializeOwned + Debug>(v: &Value) -> usize {
    let all = mutations(v);
    for m in std::iter::once(v).chain(&all) {
        let (ours, oracle) = (ours::<T>(m), p2e::<T>(m));
        if ours != oracle && struct_from_array::<T>(m) {
            continue;
        }
        assert_eq!(ours, oracle, "input: {m}");
    }
    all.len() + 1
}

/// The one deliberate difference: a struct is read from a JSON object only, where serde_json
/// also reads one from an array, field by field (no sla-lens document writes a struct so, and
/// not compiling each struct's `visit_seq` keeps the engine module within its budget). Such an
/// input is refused with `invalid type: sequence, expected struct ...` at the array.
fn struct_from_array<T: DeserializeOwned + Debug>(m: &Value) -> bool {
    let Err(e) = crate::util::read::from_value::<T>(m) else {
        return false;
    };
    let mut at = m;
    for s in &e.path.0 {
        at = match (s, at) {
            (Segment::Key(k) | Segment::Variant(k), Value::Object(o)) => &o[k],
            (Segment::Index(i), Value::Array(a)) => &a[*i],
            _ => return false,
        };
    }
    let msg = e.inner.to_string();
    e.kind == Kind::InvalidType
        && at.is_array()
        && (msg.starts_with("invalid type: sequence, expected struct ")
            || msg.starts_with("invalid type: sequence, expected a JSON object"))
}

/// The kind a serde message names (the test's reading of the text; the library never reads it).
fn kind_in(msg: &str) -> &'static str {
    [
        ("unknown field ", "unknown-field"),
        ("missing field ", "missing-field"),
        ("unknown variant ", "unknown-variant"),
        ("invalid type", "invalid-type"),
        ("invalid value", "invalid-value"),
        ("invalid length", "invalid-length"),
    ]
    .iter()
    .find(|(prefix, _)| msg.starts_with(prefix))
    .map_or("custom", |(_, k)| k)
}

fn kind_tag(k: &Kind) -> &'static str {
    match k {
        Kind::UnknownField { .. } => "unknown-field",
        Kind::MissingField(_) => "missing-field",
        Kind::UnknownVariant { .. } => "unknown-variant",
        Kind::InvalidType => "invalid-type",
        Kind::InvalidValue => "invalid-value",
        Kind::InvalidLength => "invalid-length",
        Kind::Custom => "custom",
    }
}

/// `T` read by the library's reader (src/util/read.rs); the error's [`Kind`] must be what
/// serde's message says it is.
fn ours<T: DeserializeOwned + Debug>(v: &Value) -> String {
    outcome(crate::util::read::from_value::<T>(v).map_err(|e| {
        let msg = e.inner.to_string();
        assert_eq!(kind_in(&msg), kind_tag(&e.kind), "{msg}");
        if let Kind::UnknownField { field, expected } = &e.kind {
            let m: serde_json::Error = serde::de::Error::unknown_field(field, expected);
            assert_eq!(msg, m.to_string());
        }
        if let Kind::UnknownVariant { variant, expected } = &e.kind {
            let m: serde_json::Error = serde::de::Error::unknown_variant(variant, expected);
            assert_eq!(msg, m.to_string());
        }
        if let Kind::MissingField(field) = &e.kind {
            assert_eq!(msg, format!("missing field `{field}`"));
        }
        (e.path.to_string(), e.path.0, msg)
    }))
}

#[test]
fn policies_read_as_through_serde_path_to_error() {
    let mut n = 0;
    for p in ["policies/default.json", "policies/business-hours.json"] {
        let v = fixture(p);
        n += same::<PolicySpec>(&v);
        for t in v["targets"].as_array().into_iter().flatten() {
            n += same::<TargetSpec>(t);
        }
        for t in v["priorities"].as_array().into_iter().flatten() {
            n += same::<TierSpec>(t);
        }
        for l in v["escalation"]["levels"].as_array().into_iter().flatten() {
            n += same::<LevelSpec>(l);
        }
        for c in v["calendars"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            n += same::<CalendarSpec>(c);
        }
    }
    // Every action option and contact identity, and the at-risk actions.
    let esc = json!({
        "atRisk": {
            "contacts": [{"name": "Lead", "redmine": "42", "github": "lead", "gitlab": "lead",
                          "jira": "5b10a2844c20165700ede21g", "email": "lead@example.com"}],
            "actions": [
                {"kind": "note", "private": true, "text": "x"},
                {"kind": "assign", "contact": 0},
                {"kind": "set", "field": "Escalated", "value": "yes", "label": "l",
                 "priority": "High"},
                {"kind": "email", "subject": "s", "text": "t"},
                {"kind": "webhook", "url": "https://example.com/h", "preset": "teams"}
            ]
        },
        "levels": [v_level()]
    });
    n += same::<crate::policy::EscalationSpec>(&esc);
    n += same::<crate::policy::AtRiskSpec>(&esc["atRisk"]);
    for a in esc["atRisk"]["actions"].as_array().into_iter().flatten() {
        n += same::<crate::policy::ActionSpec>(a);
    }
    assert!(n > 5_000, "{n} cases");
}

fn v_level() -> Value {
    fixture("policies/default.json")["escalation"]["levels"][0].clone()
}

#[test]
fn tracker_responses_read_as_through_serde_path_to_error() {
    let gh = fixture("tests/fixtures/github/bundles.json");
    same::<github::Bundle>(&gh[0]);
    same::<github::Issue>(&gh[0]["issue"]);
    for e in gh[0]["timeline"].as_array().into_iter().flatten().take(4) {
        same::<github::TimelineEvent>(e);
    }
    for c in gh[0]["comments"].as_array().into_iter().flatten().take(2) {
        same::<github::Comment>(c);
    }
    same::<github::Issue>(&fixture("tests/fixtures/github/issues.json")[0]);
    let gl = fixture("tests/fixtures/gitlab/bundles.json");
    same::<gitlab::Bundle>(&gl[0]);
    same::<gitlab::Issue>(&gl[0]["issue"]);
    for (k, name) in [
        ("resource_state_events", 0),
        ("resource_label_events", 1),
        ("notes", 2),
    ] {
        for e in gl[0][k].as_array().into_iter().flatten().take(2) {
            match name {
                0 => same::<gitlab::StateEvent>(e),
                1 => same::<gitlab::LabelEvent>(e),
                _ => same::<gitlab::Note>(e),
            };
        }
    }
    same::<jira::Issue>(&fixture("tests/fixtures/jira/issue.json"));
    same::<jira::Issue>(&fixture("tests/fixtures/jira/search.json")["issues"][0]);
    for i in 1..=12 {
        same::<redmine::Issue>(
            &fixture(&format!("tests/fixtures/redmine/issues/{i}.json"))["issue"],
        );
    }
    same::<redmine::Group>(&fixture("tests/fixtures/redmine/groups/9.json")["group"]);
    same::<Vec<redmine::IssueStatus>>(
        &fixture("tests/fixtures/redmine/issue_statuses.json")["issue_statuses"],
    );
}

#[test]
fn tickets_read_as_through_serde_path_to_error() {
    let seed = fixture("tests/golden/tickets-seed.json");
    let edge = fixture("tests/golden/tickets-edge.json");
    let mut n = 0;
    for list in [&seed, &edge] {
        let list = list.get("tickets").unwrap_or(list);
        for t in list.as_array().into_iter().flatten().take(6) {
            n += same::<crate::ticket::ReadTicket>(t);
        }
    }
    assert!(n > 200, "{n} cases");
}

#[test]
fn enums_and_maps_read_as_through_serde_path_to_error() {
    use super::StaffRule;
    use std::collections::BTreeMap;
    for v in [
        json!("anyoneButAuthor"),
        json!({"anyoneButAuthor": null}),
        json!({"anyoneButAuthor": 5}),
        json!({"users": ["a", 2]}),
        json!({"users": "a"}),
        json!("users"),
        json!({"users": ["a"], "groups": ["b"]}),
        json!({}),
        json!({"nobody": []}),
        json!(7),
    ] {
        same::<StaffRule>(&v);
    }
    for v in [
        json!("response"),
        json!({"resolution": null}),
        json!({"response": 5}),
        json!({"response": null, "resolution": null}),
        json!({}),
        json!({"zzz": null}),
        json!("Response"),
        json!(7),
        json!(null),
    ] {
        same::<crate::policy::MetricKind>(&v);
        same::<crate::policy::TimeBasis>(&v);
        same::<crate::policy::TriggerSpec>(&json!({"metric": v.clone(), "time": v}));
    }
    same::<BTreeMap<String, Vec<String>>>(&json!({"a": ["x"], "b": [1]}));
    same::<(String, u32)>(&json!(["a", 1, 2]));
    same::<Option<Vec<Option<u32>>>>(&json!([1, null, -2]));
}
