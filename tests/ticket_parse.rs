//! `Ticket::parse_batch` reads a well-formed list in one typed pass and falls back to the
//! located, ticket-by-ticket path otherwise. These tests hold both paths to the reader they
//! replaced (kept below, verbatim, as the oracle): the same tickets, the same errors with the
//! same codes, paths and messages, for lists mixing good and bad tickets of every kind.

use proptest::prelude::*;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use sla_lens::ticket::{parse_instant, StatusChange, TicketError, TicketInput};
use sla_lens::Ticket;

// ---------------------------------------------------------------------------------------------
// The oracle: the reader before the one-pass change (a2ee2b0's src/ticket.rs)
// ---------------------------------------------------------------------------------------------

fn old_from_input(input: TicketInput) -> Result<Ticket, TicketError> {
    let id = input.id.clone();
    let err = |code: &'static str, path: String, message: String| TicketError {
        id: Some(id.clone()),
        code,
        path,
        message,
    };
    let created = match &input.created {
        None => {
            return Err(err(
                "missing-created",
                "created".into(),
                "the ticket has no `created` timestamp, so no clock can start: map the \
                 tracker's creation time to `created`"
                    .into(),
            ))
        }
        Some(s) => parse_instant(s).map_err(|m| err("invalid-timestamp", "created".into(), m))?,
    };
    let mut history = Vec::with_capacity(input.status_history.len());
    for (i, c) in input.status_history.into_iter().enumerate() {
        let at = parse_instant(&c.at)
            .map_err(|m| err("invalid-timestamp", format!("statusHistory[{i}].at"), m))?;
        history.push(StatusChange {
            at: at.max(created),
            from: c.from.map(Into::into),
            to: c.to.into(),
        });
    }
    history.sort_by_key(|c| c.at);
    let mut staff_replies = Vec::new();
    for (i, c) in input.comments.iter().enumerate() {
        let at = parse_instant(&c.at)
            .map_err(|m| err("invalid-timestamp", format!("comments[{i}].at"), m))?;
        if c.staff {
            staff_replies.push(at.max(created));
        }
    }
    staff_replies.sort_unstable();
    let first_response_at = match &input.first_response_at {
        None => None,
        Some(s) => Some(
            parse_instant(s)
                .map_err(|m| err("invalid-timestamp", "firstResponseAt".into(), m))?
                .max(created),
        ),
    };
    let initial_status = match history.first() {
        Some(first) => first.from.clone(),
        None => input.status.clone().map(Into::into),
    };
    // `unknown` and `updated` (added after this reader was replaced).
    let updated = match &input.updated {
        None => None,
        Some(s) => {
            Some(parse_instant(s).map_err(|m| err("invalid-timestamp", "updated".into(), m))?)
        }
    };
    let mut unknown = sla_lens::ticket::Unknowns::default();
    for (i, name) in input.unknown.iter().enumerate() {
        match sla_lens::ticket::Missing::INPUT
            .iter()
            .find(|m| m.as_str() == name)
        {
            Some(m) => unknown = unknown.with(*m),
            None => {
                return Err(err(
                    "invalid-ticket",
                    format!("unknown[{i}]"),
                    format!(
                        "`{name}` is not a fact a ticket can lack: `unknown` lists `replies` and \
                         `statusHistory`"
                    ),
                ))
            }
        }
    }
    Ok(Ticket {
        id: input.id,
        title: input.title,
        url: input.url,
        created,
        fields: input.fields,
        labels: input.labels,
        requester: input.requester.map(Into::into),
        assignee: input.assignee.map(Into::into),
        initial_status,
        history,
        staff_replies,
        first_response_at,
        unknown,
        updated,
        // `escalations` (added later still).
        escalations: input
            .escalations
            .into_iter()
            .map(sla_lens::ticket::Escalation::from_input)
            .collect(),
    })
}

fn old_from_value(v: &Value) -> Result<Ticket, TicketError> {
    let id = match v.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let input: TicketInput = serde_path_to_error::deserialize(v).map_err(|e| TicketError {
        id: id.clone(),
        code: "invalid-ticket",
        path: e.path().to_string(),
        message: format!("{}: see the ticket format in the README", e.inner()),
    })?;
    old_from_input(input)
}

type Batch = Vec<Result<Ticket, TicketError>>;

fn old_parse_batch(text: &str) -> Result<Batch, TicketError> {
    #[derive(serde::Deserialize)]
    struct Wrapped<'a> {
        #[serde(borrow)]
        tickets: Vec<&'a RawValue>,
    }
    let items = match serde_json::from_str::<Vec<&RawValue>>(text) {
        Ok(v) => v,
        Err(_) => match serde_json::from_str::<Wrapped<'_>>(text) {
            Ok(w) => w.tickets,
            Err(_) => {
                return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                    Err(e) => TicketError {
                        id: None,
                        code: "json-syntax",
                        path: String::new(),
                        message: format!("the tickets are not valid JSON: {e}"),
                    },
                    Ok(_) => TicketError {
                        id: None,
                        code: "invalid-ticket",
                        path: String::new(),
                        message: "expected a JSON array of tickets or `{\"tickets\": [...]}`"
                            .into(),
                    },
                })
            }
        },
    };
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            // The one deliberate difference from serde_json: sla-lens reads a struct from a JSON
            // object only (serde_json also reads one from an array, field by field), so a ticket
            // given as an array is refused as the wrong type (DESIGN.md, "Reading a policy").
            if raw.get().starts_with('[') {
                return Err(TicketError {
                    id: None,
                    code: "invalid-ticket",
                    path: format!("[{i}]"),
                    message: "invalid type: sequence, expected struct TicketInput: see the \
                              ticket format in the README"
                        .into(),
                });
            }
            match serde_json::from_str::<TicketInput>(raw.get()) {
                Ok(input) => old_from_input(input),
                Err(_) => {
                    let v: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
                    old_from_value(&v)
                }
            }
            .map_err(|mut e| {
                e.path = if e.path == "." || e.path.is_empty() {
                    format!("[{i}]")
                } else {
                    format!("[{i}].{}", e.path)
                };
                e
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Generated tickets: mostly well-formed, with every kind of fault mixed in
// ---------------------------------------------------------------------------------------------

fn stamp() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (1_700_000_000i64..1_830_000_000).prop_map(|t| {
            json!(chrono::DateTime::from_timestamp(t, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string())
        }),
        2 => (1_700_000_000i64..1_830_000_000, -14i32..14).prop_map(|(t, h)| {
            let off = chrono::FixedOffset::east_opt(h * 3600).unwrap();
            json!(chrono::DateTime::from_timestamp(t, 0).unwrap().with_timezone(&off).to_rfc3339())
        }),
        2 => (1_700_000_000_000i64..1_830_000_000_000).prop_map(|ms| json!(ms)),
        1 => (1.7e12f64..1.83e12).prop_map(|ms| json!(ms)),
        1 => Just(json!(" 2026-11-20T09:00:00Z ")),
        1 => Just(json!("yesterday")),
        1 => Just(json!(1e300)),
        1 => Just(json!(-5)),
        1 => Just(json!(true)),
        1 => Just(json!(null)),
        1 => Just(json!({"at": 1})),
    ]
}

fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => "[A-Za-z ]{0,12}".prop_map(|s| json!(s)),
        1 => Just(json!("esc\"aped \\ \u{e9}\n")),
        1 => Just(json!(null)),
        1 => Just(json!(7)),
        1 => Just(json!(["x"])),
    ]
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop_oneof![Just("High"), Just("Normal"), Just("Wi-Fi")].prop_map(|s| json!(s)),
        1 => Just(json!(["a", "b"])),
        1 => Just(json!(3.5)),
        1 => Just(json!(false)),
        1 => Just(json!(null)),
        1 => Just(json!([1])),
        1 => Just(json!({"k": 1})),
    ]
}

fn ticket() -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        4 => (1u32..100_000).prop_map(|n| json!(n.to_string())),
        2 => (1u32..100_000).prop_map(|n| json!(n)),
        1 => Just(json!(12.5)),
        1 => Just(json!(-3)),
        1 => Just(json!(null)),
        1 => Just(json!(true)),
    ];
    let change = (stamp(), proptest::option::of(text()), text()).prop_map(|(at, from, to)| {
        let mut c = json!({"at": at, "to": to});
        if let Some(f) = from {
            c["from"] = f;
        }
        c
    });
    let comment = (
        stamp(),
        proptest::option::of(text()),
        proptest::option::of(prop_oneof![
            4 => Just(json!(true)),
            4 => Just(json!(false)),
            1 => Just(json!("yes")),
        ]),
    )
        .prop_map(|(at, author, staff)| {
            let mut c = json!({"at": at});
            if let Some(a) = author {
                c["author"] = a;
            }
            if let Some(s) = staff {
                c["staff"] = s;
            }
            c
        });
    let fields = proptest::collection::btree_map(
        prop_oneof![Just("priority"), Just("category"), Just("project")],
        field_value(),
        0..3,
    );
    (
        (
            proptest::option::of(id),
            proptest::option::of(stamp()),
            proptest::option::of(text()),
        ),
        (
            fields,
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        (
            proptest::collection::vec(change, 0..4),
            proptest::collection::vec(comment, 0..3),
            proptest::option::of(stamp()),
        ),
        (
            any::<bool>(),
            prop_oneof![8 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
            proptest::option::of(prop_oneof![
                4 => Just(json!(["replies"])),
                4 => Just(json!(["statusHistory", "replies"])),
                1 => Just(json!([])),
                1 => Just(json!(["nope"])),
                1 => Just(json!("replies")),
                1 => Just(json!([1])),
            ]),
        ),
    )
        .prop_map(
            |(
                (id, created, title),
                (fields, status, assignee),
                (history, comments, first),
                (extra, shape, unknown),
            )| {
                let mut t = json!({});
                if let Some(v) = id {
                    t["id"] = v;
                }
                if let Some(v) = created {
                    t["created"] = v;
                }
                if let Some(v) = title {
                    t["title"] = v;
                }
                if !fields.is_empty() {
                    t["fields"] = json!(fields);
                }
                if let Some(v) = status {
                    t["status"] = v;
                }
                if let Some(v) = assignee {
                    t["assignee"] = v;
                }
                if !history.is_empty() {
                    t["statusHistory"] = json!(history);
                }
                if !comments.is_empty() {
                    t["comments"] = json!(comments);
                }
                if let Some(v) = first {
                    t["firstResponseAt"] = v;
                }
                if extra {
                    t["trackerOwn"] = json!({"nested": [1, 2, {"x": null}]});
                }
                if let Some(u) = unknown {
                    t["unknown"] = u;
                    t["updated"] = json!("2026-11-21T09:00:00Z");
                }
                match shape {
                    0 => t,
                    1 => json!("not a ticket"),
                    2 => json!(null),
                    _ => json!([t]),
                }
            },
        )
}

fn same(text: &str) -> Result<(), TestCaseError> {
    let want = old_parse_batch(text);
    prop_assert_eq!(
        &Ticket::parse_batch(text),
        &want,
        "parse_batch, text {}",
        text
    );
    prop_assert_eq!(
        &Ticket::parse_batch_located(text),
        &want,
        "parse_batch_located, text {}",
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Lists of mixed tickets, as an array and wrapped: the one-pass reader, its fallback and
    /// the old reader agree on every ticket and every error.
    #[test]
    fn one_pass_and_located_agree_with_the_old_reader(
        tickets in proptest::collection::vec(ticket(), 0..6)
    ) {
        let list = Value::Array(tickets);
        same(&list.to_string())?;
        same(&serde_json::to_string_pretty(&json!({"other": 1, "tickets": list})).unwrap())?;
        // Each ticket alone, so lists of only good tickets (the one-pass path) are common.
        for t in list.as_array().unwrap() {
            same(&Value::Array(vec![t.clone()]).to_string())?;
        }
    }
}

/// A string with a lone surrogate escape cannot be held by a `Value`: where serde ignores it
/// (unknown fields, also in history entries) the ticket reads as serde reads it, whatever else
/// sends it down the slow path (a fractional id, a repeated field, a garbled timestamp); where
/// serde reads it (a title), the ticket is refused as serde refuses it.
#[test]
fn lone_surrogates_are_read_where_serde_ignores_them_and_refused_where_it_reads_them() {
    for text in [
        r#"[{"id": "7", "created": "2026-11-20T09:00:00Z", "other": "\ud800"}]"#,
        r#"[{"id": 1.5, "created": 0, "other": "\ud800"}]"#,
        r#"[{"id": 7, "created": 0, "id": 8, "other": "\udc00x"}]"#,
        r#"[{"id": "7", "created": "nope", "x": "\ud800\u0041"}]"#,
        r#"[{"id": "7", "created": 0, "statusHistory": [{"at": 0, "to": "New", "x": "\ud800"}]}]"#,
        r#"[{"id": "7", "created": 0, "title": "\ud800"}]"#,
        r#"{"tickets": [{"id": "7", "created": 0, "other": ["\ud800"]}], "x": "\udfff"}"#,
    ] {
        same(text).unwrap();
    }
    let read = Ticket::parse_batch(r#"[{"id": 1.5, "created": 0, "other": "\ud800"}]"#).unwrap();
    assert_eq!(read[0].as_ref().map(|t| t.id.as_str()), Ok("1.5"));
    let refused = Ticket::parse_batch(r#"[{"id": "7", "created": 0, "title": "\ud800"}]"#).unwrap();
    assert_eq!(refused[0].as_ref().unwrap_err().code, "invalid-ticket");
}

#[test]
fn a_well_formed_list_goes_through_one_pass_with_the_old_results() {
    let text = r#"[
        {"id": 7, "created": "2026-11-20T10:00:00+01:00", "title": "A \"quoted\" title",
         "fields": {"priority": "High", "category": ["Wi-Fi", "Network"], "n": 2, "b": true, "z": null},
         "labels": ["x"], "requester": "r", "assignee": "a", "status": "Resolved",
         "statusHistory": [{"at": 1795165200000, "from": "New", "to": "In Progress"},
                           {"at": "2026-11-19T09:00:00Z", "to": "Waiting"}],
         "comments": [{"at": "2026-11-20T09:30:00Z", "author": "it-bob", "staff": true},
                      {"at": 1795165200000.5, "author": null}],
         "firstResponseAt": "2026-11-20T09:10:00Z", "ignored": {"deep": [1, {"a": 2}]}},
        {"id": "8", "created": 1795165200000}
    ]"#;
    let batch = Ticket::parse_batch(text).unwrap();
    assert_eq!(batch, old_parse_batch(text).unwrap());
    let t = batch[0].as_ref().unwrap();
    assert_eq!(t.id, "7");
    assert_eq!(t.created, 1_795_165_200);
    // Both changes are clamped to creation (the second was before it): a stable sort keeps
    // their order.
    assert_eq!(t.history[0].to, "In Progress");
    assert_eq!(t.history[1].to, "Waiting");
    assert_eq!((t.history[0].at, t.history[1].at), (t.created, t.created));
    assert_eq!(t.staff_replies, vec![t.created + 1800]);
    assert_eq!(t.first_response_at, Some(t.created + 600));
    assert_eq!(batch[1].as_ref().unwrap().id, "8");
}

#[test]
fn a_bad_ticket_among_good_ones_is_located_as_before() {
    let text = r#"{"tickets": [
        {"id": 1, "created": "2026-11-20T09:00:00Z"},
        {"id": 2, "created": "2026-11-20T09:00:00Z", "comments": [{"at": 0, "author": 5}]},
        {"id": 3, "created": "2026-11-20T09:00:00Z", "comments": [{"at": "later"}]}
    ]}"#;
    let batch = Ticket::parse_batch(text).unwrap();
    assert_eq!(batch, old_parse_batch(text).unwrap());
    assert!(batch[0].is_ok());
    let e = batch[1].as_ref().unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        ("invalid-ticket", "[1].comments[0].author")
    );
    assert!(e.message.contains("expected a string"), "{}", e.message);
    let e = batch[2].as_ref().unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        ("invalid-timestamp", "[2].comments[0].at")
    );
    // A ticket that is not an object names the type as before.
    let e = &Ticket::parse_batch("[1]").unwrap()[0];
    assert!(
        e.as_ref()
            .unwrap_err()
            .message
            .contains("struct TicketInput"),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Timestamps: the common RFC 3339 shapes are read and written without chrono; every result must
// be chrono's (its parser and `%Y-%m-%dT%H:%M:%SZ`), which stays the fallback.
// ---------------------------------------------------------------------------------------------

fn chrono_instant(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.timestamp())
}

fn text_instant(s: &str) -> Result<i64, String> {
    parse_instant(&sla_lens::ticket::Stamp::Text(s.into()))
}

#[test]
fn rfc3339_table_agrees_with_chrono() {
    let cases: &[(&str, Option<i64>)] = &[
        ("2026-11-20T09:00:00Z", Some(1_795_165_200)),
        ("2026-11-20t09:00:00z", Some(1_795_165_200)),
        ("2026-11-20 09:00:00Z", Some(1_795_165_200)),
        ("2026-11-20T10:00:00+01:00", Some(1_795_165_200)),
        ("2026-11-20T04:30:00-04:30", Some(1_795_165_200)),
        ("2026-11-20T09:00:00-00:00", Some(1_795_165_200)),
        ("2026-11-20T09:00:00.999999999999Z", Some(1_795_165_200)),
        ("2026-11-20T09:00:00.5+00:00", Some(1_795_165_200)),
        ("1969-12-31T23:59:59.5Z", Some(-1)),
        ("1970-01-01T00:00:00Z", Some(0)),
        ("0000-01-01T00:00:00Z", Some(-62_167_219_200)),
        ("9999-12-31T23:59:59+23:59", Some(253_402_214_459)),
        ("2024-02-29T12:00:00Z", Some(1_709_208_000)),
        ("2000-02-29T00:00:00Z", Some(951_782_400)),
        // A leap second is the second before it (chrono floors it there).
        ("2016-12-31T23:59:60Z", Some(1_483_228_799)),
        ("2016-12-31T23:59:60.9Z", Some(1_483_228_799)),
        (" 2026-11-20T09:00:00Z\n", Some(1_795_165_200)),
        ("2026-11-20T09:00:00\u{2212}01:00", Some(1_795_168_800)),
        ("2100-02-29T00:00:00Z", None),
        ("2026-04-31T00:00:00Z", None),
        ("2026-13-01T00:00:00Z", None),
        ("2026-00-01T00:00:00Z", None),
        ("2026-11-00T00:00:00Z", None),
        ("2026-11-20T24:00:00Z", None),
        ("2026-11-20T09:60:00Z", None),
        ("2026-11-20T09:00:61Z", None),
        ("2026-11-20T09:00:00+24:00", None),
        ("2026-11-20T09:00:00+01:60", None),
        ("2026-11-20T09:00:00+0100", None),
        ("2026-11-20T09:00:00.Z", None),
        ("2026-11-20T09:00:00", None),
        ("2026-11-20T09:00:00ZZ", None),
        ("2026-11-20X09:00:00Z", None),
        ("2026-11-20", None),
        ("+2026-11-20T09:00:00Z", None),
        ("yesterday", None),
        ("", None),
    ];
    for &(s, want) in cases {
        assert_eq!(chrono_instant(s), want, "chrono on {s:?}");
        assert_eq!(text_instant(s).ok(), want, "{s:?}");
    }
}

#[test]
fn format_instant_table_agrees_with_chrono() {
    use sla_lens::time::format_instant;
    for (t, want) in [
        (0, "1970-01-01T00:00:00Z"),
        (1_795_165_200, "2026-11-20T09:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (-62_167_219_200, "0000-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (253_402_300_800, "+10000-01-01T00:00:00Z"),
        (-62_167_219_201, "-0001-12-31T23:59:59Z"),
        (i64::MAX, "9223372036854775807"),
    ] {
        assert_eq!(format_instant(t), want, "{t}");
    }
}

fn rfc3339_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        4 => 1960u32..2110,
        1 => prop_oneof![Just(0u32), Just(1900), Just(2000), Just(2100), Just(9999)],
        1 => 0u32..10_000,
    ];
    let sep = prop_oneof![8 => Just("T"), 1 => Just("t"), 1 => Just(" "), 1 => Just("x")];
    let frac = prop_oneof![
        4 => Just(String::new()),
        3 => "\\.[0-9]{0,12}",
        1 => Just(".x".to_string()),
    ];
    let offset = prop_oneof![
        4 => Just("Z".to_string()),
        1 => Just("z".to_string()),
        4 => (
            prop_oneof![Just("+"), Just("-"), Just("\u{2212}")],
            0u32..26,
            0u32..62
        )
            .prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        1 => (0u32..26, 0u32..62).prop_map(|(h, m)| format!("+{h:02}{m:02}")),
        1 => Just(String::new()),
        1 => Just("UTC".to_string()),
        1 => Just("+1:00".to_string()),
    ];
    let pad = prop_oneof![8 => Just(""), 1 => Just(" "), 1 => Just("\t")];
    (
        (year, 0u32..14, 0u32..33, sep),
        (0u32..26, 0u32..62, 0u32..62, frac),
        (offset, pad.clone(), pad),
        prop_oneof![10 => Just(String::new()), 1 => ".{0,3}"],
    )
        .prop_map(
            |((y, mo, d, sep), (h, mi, s, frac), (off, pre, post), junk)| {
                format!(
                    "{pre}{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{frac}{off}{post}{junk}"
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Every text the reader accepts gives chrono's instant; every text it refuses, chrono
    /// refuses too.
    #[test]
    fn rfc3339_agrees_with_chrono(s in prop_oneof![8 => rfc3339_like(), 1 => ".{0,30}"]) {
        prop_assert_eq!(text_instant(&s).ok(), chrono_instant(&s), "{:?}", s);
    }

    /// Formatting agrees with chrono's `%Y-%m-%dT%H:%M:%SZ` for every instant chrono can hold.
    #[test]
    fn format_instant_agrees_with_chrono(
        t in prop_oneof![
            4 => -100_000_000_000i64..300_000_000_000,
            1 => -8_210_266_876_800i64..8_210_266_876_800,
        ]
    ) {
        let want = chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| t.to_string());
        prop_assert_eq!(sla_lens::time::format_instant(t), want);
        // And it reads back.
        if (-62_167_219_200..253_402_300_800).contains(&t) {
            prop_assert_eq!(text_instant(&sla_lens::time::format_instant(t)), Ok(t));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Texts serde_json::Value cannot produce: duplicate keys, escaped keys, odd numbers and escapes,
// whitespace, deep nesting, syntax errors. `parse_batch` reads well-formed lists without serde
// and must give up (to serde) on everything it would read differently.
// ---------------------------------------------------------------------------------------------

fn ws() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just(""), 1 => Just(" "), 1 => Just("\n\t "), 1 => Just("\r\n")]
}

fn raw_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(r#""2026-11-20T09:00:00Z""#.to_string()),
        1 => Just(r#""2026-11-20T10:00:00+01:00""#.to_string()),
        1 => Just(r#""2026-11-20T09:00:00\u005A""#.to_string()),
        2 => Just("1795165200000".to_string()),
        1 => prop_oneof![
            Just("-5"), Just("-0"), Just("0"), Just("01"), Just("1.0"), Just("1e3"), Just("1E+3"),
            Just("123456789012345"), Just("1234567890123456"), Just("12345678901234567890"),
            Just("-"), Just("1."), Just(".5"), Just("+1"), Just("1e"),
        ].prop_map(str::to_string),
        2 => prop_oneof![
            Just(r#""plain""#), Just(r#""New""#), Just(r#""Resolved""#), Just(r#""In Progress""#),
            Just(r#""with \"quotes\" and \\ \/ \b\f\n\r\t""#), Just(r#""\u00e9\u4e2d""#),
            Just(r#""\ud83d\ude00""#), Just(r#""\ud800""#), Just(r#""\udc00x""#),
            Just(r#""\ud800\u0041""#), Just(r#""\x""#), Just(r#""\u12""#), Just("\"tab\there\""),
            Just(r#""é ü 😀""#), Just(r#""unterminated"#), Just(r#""""#),
        ].prop_map(str::to_string),
        1 => prop_oneof![Just("true"), Just("false"), Just("null"), Just("nul"), Just("tru")]
            .prop_map(str::to_string),
        1 => prop_oneof![
            Just(r#"["a", "b"]"#), Just("[]"), Just("[1]"), Just(r#"["a",]"#), Just("[null]"),
            Just(r#"{"k": 1}"#), Just("{}"), Just(r#"{"k": 1,}"#), Just(r#"{"a": {"b": [1, {"c": null}]}}"#),
            Just(r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#),
        ].prop_map(str::to_string),
    ]
}

fn raw_object(keys: Vec<&'static str>) -> impl Strategy<Value = String> {
    let n = keys.len();
    proptest::collection::vec(
        (proptest::sample::select(keys), raw_value(), ws(), ws()),
        0..n + 2,
    )
    .prop_map(|pairs| {
        let body: Vec<String> = pairs
            .into_iter()
            .map(|(k, v, a, b)| format!("{a}\"{k}\"{b}:{a}{v}{b}"))
            .collect();
        format!("{{{}}}", body.join(","))
    })
}

fn raw_ticket() -> impl Strategy<Value = String> {
    let change = raw_object(vec!["at", "from", "to", "x", "t\\u006f"]);
    let comment = raw_object(vec!["at", "author", "staff", "x"]);
    let list = |s: BoxedStrategy<String>| {
        proptest::collection::vec(s, 0..3).prop_map(|v| format!("[{}]", v.join(", ")))
    };
    (
        raw_object(vec![
            "id",
            "title",
            "url",
            "created",
            "labels",
            "requester",
            "assignee",
            "status",
            "firstResponseAt",
            "other",
            "cr\\u0065ated",
            "",
            "firstResponseAx",
            "assigne\\u0065",
        ]),
        raw_object(vec!["priority", "category", "project"]),
        list(change.boxed()),
        list(comment.boxed()),
        prop_oneof![
            3 => Just(r#""id": "7", "created": "2026-11-20T09:00:00Z""#.to_string()),
            1 => Just(r#""id": 7, "created": 1795165200000, "id": 8"#.to_string()),
            1 => Just(String::new()),
        ],
    )
        .prop_map(|(head, fields, history, comments, base)| {
            let head = head
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_string();
            let parts: Vec<String> = [
                base,
                head,
                format!(r#""fields": {fields}"#),
                format!(r#""statusHistory": {history}"#),
                format!(r#""comments": {comments}"#),
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
            format!("{{{}}}", parts.join(", "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Hand-made texts: every path gives the old reader's tickets and errors.
    #[test]
    fn odd_texts_agree_with_the_old_reader(
        tickets in proptest::collection::vec(raw_ticket(), 0..4),
        (pre, post) in (ws(), prop_oneof![8 => Just(""), 1 => Just(" x"), 1 => Just(","), 1 => Just("]")]),
        wrapped in prop_oneof![3 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
    ) {
        let list = format!("{pre}[{}]{post}", tickets.join(",\n"));
        let text = match wrapped {
            0 => list,
            1 => format!(r#"{{"a": [1], "tickets": {list}, "b": null}}"#),
            _ => format!(r#"{{"tickets": [], "tickets": {list}}}"#),
        };
        same(&text)?;
    }
}
