//! The tracker-agnostic ticket: what the engine needs to know about one issue.
//!
//! Tickets arrive as JSON ([`TicketInput`], lenient: unknown fields are ignored because adapters
//! add their own) and are normalised into [`Ticket`] (instants parsed, history sorted). A ticket
//! whose timestamps are missing or garbled gives a [`TicketError`] for that ticket only.

use crate::calendar::Instant;
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A timestamp as it may arrive: RFC 3339 text (any offset) or epoch milliseconds.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Stamp {
    Text(String),
    Millis(f64),
}

/// A field value: one string, several, or nothing.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum FieldValue {
    One(String),
    Many(Vec<String>),
    Number(f64),
    Bool(bool),
    Null,
}

impl FieldValue {
    /// Whether any value equals `want`, ignoring ASCII case.
    pub fn matches(&self, want: &str) -> Option<&str> {
        match self {
            FieldValue::One(s) => s.eq_ignore_ascii_case(want).then_some(s.as_str()),
            FieldValue::Many(v) => v
                .iter()
                .find(|s| s.eq_ignore_ascii_case(want))
                .map(|s| s.as_str()),
            _ => None,
        }
    }

    pub fn first(&self) -> Option<&str> {
        match self {
            FieldValue::One(s) => Some(s),
            FieldValue::Many(v) => v.first().map(|s| s.as_str()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeInput {
    pub at: Stamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub to: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CommentInput {
    pub at: Stamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Whether the author is provider staff (their reply counts as a response).
    #[serde(default)]
    pub staff: bool,
}

/// A ticket as JSON (camelCase). Only `id` and `created` are required.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TicketInput {
    #[serde(default, deserialize_with = "id_string")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Stamp>,
    /// Facts for scope and tier conditions: `project`, `tracker`, `priority`, `category`,
    /// `requesterGroup`, custom fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The current status; used from creation on when there is no history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_history: Vec<StatusChangeInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<CommentInput>,
    /// The first response by provider staff, when the tracker knows it directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<Stamp>,
}

// Hand-written visitors instead of `#[serde(untagged)]`, which buffers every value first: ticket
// parsing is on the hot path of dashboards (10,000 tickets per page).

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Stamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or epoch milliseconds")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Stamp, E> {
                Ok(Stamp::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Stamp, E> {
                Ok(Stamp::Text(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Stamp, E> {
                Ok(Stamp::Millis(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Stamp, E> {
                Ok(Stamp::Millis(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Stamp, E> {
                Ok(Stamp::Millis(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FieldValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, a list of strings, a number, a boolean or null")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::One(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<FieldValue, E> {
                Ok(FieldValue::One(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(v))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<FieldValue, E> {
                Ok(FieldValue::Bool(v))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Null)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FieldValue, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(FieldValue::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(Value::from(v).to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(V)
}

/// A status change with a parsed instant.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub at: Instant,
    pub from: Option<String>,
    pub to: String,
}

/// A normalised ticket: instants in Unix seconds, history sorted by time.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub created: Instant,
    pub fields: BTreeMap<String, FieldValue>,
    pub labels: Vec<String>,
    pub requester: Option<String>,
    pub assignee: Option<String>,
    /// The status at creation (from the first change's `from`, or `status` without history).
    pub initial_status: Option<String>,
    pub history: Vec<StatusChange>,
    /// Instants of replies by provider staff, sorted.
    pub staff_replies: Vec<Instant>,
    pub first_response_at: Option<Instant>,
}

/// Why a ticket could not be read. It concerns that ticket only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketError {
    /// The ticket's id when it could be read.
    pub id: Option<String>,
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

impl fmt::Display for TicketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) if !id.is_empty() => write!(f, "ticket {id}: ")?,
            _ => {}
        }
        write!(f, "{} at {}: {}", self.code, self.path, self.message)
    }
}

impl std::error::Error for TicketError {}

/// Parses an instant: RFC 3339 with offset, or epoch milliseconds. Whole seconds (floored).
pub fn parse_instant(stamp: &Stamp) -> Result<Instant, String> {
    match stamp {
        Stamp::Text(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.timestamp())
            .map_err(|_| {
                format!(
                    "`{s}` is not an RFC 3339 timestamp: expected e.g. `2026-11-20T09:00:00Z` \
                     (with an offset) or epoch milliseconds"
                )
            }),
        Stamp::Millis(ms) => {
            if ms.is_finite() && ms.abs() < 1e16 {
                Ok((ms / 1000.0).floor() as i64)
            } else {
                Err(format!(
                    "`{ms}` is not a usable epoch-milliseconds timestamp"
                ))
            }
        }
    }
}

/// Formats an instant as RFC 3339 UTC (`2026-11-20T09:00:00Z`).
pub fn format_instant(t: Instant) -> String {
    DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

impl Ticket {
    /// Normalises a ticket input.
    ///
    /// # Errors
    /// A missing `created` or any unparseable timestamp.
    pub fn from_input(input: TicketInput) -> Result<Ticket, TicketError> {
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
            Some(s) => {
                parse_instant(s).map_err(|m| err("invalid-timestamp", "created".into(), m))?
            }
        };
        let mut history = Vec::with_capacity(input.status_history.len());
        for (i, c) in input.status_history.into_iter().enumerate() {
            let at = parse_instant(&c.at)
                .map_err(|m| err("invalid-timestamp", format!("statusHistory[{i}].at"), m))?;
            history.push(StatusChange {
                at: at.max(created),
                from: c.from,
                to: c.to,
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
            None => input.status.clone(),
        };
        Ok(Ticket {
            id: input.id,
            title: input.title,
            url: input.url,
            created,
            fields: input.fields,
            labels: input.labels,
            requester: input.requester,
            assignee: input.assignee,
            initial_status,
            history,
            staff_replies,
            first_response_at,
        })
    }

    /// Parses one ticket from a JSON value.
    ///
    /// # Errors
    /// A value that is not a ticket object, or bad timestamps.
    pub fn from_value(v: &Value) -> Result<Ticket, TicketError> {
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
        Ticket::from_input(input)
    }

    /// Parses a JSON array of tickets (or `{"tickets": [...]}`), one result per element.
    ///
    /// # Errors
    /// Only when the text is not JSON or holds no ticket list; bad tickets are per-element.
    pub fn parse_batch(text: &str) -> Result<Vec<Result<Ticket, TicketError>>, TicketError> {
        #[derive(Deserialize)]
        struct Wrapped<'a> {
            #[serde(borrow)]
            tickets: Vec<&'a RawValue>,
        }
        let not_a_list = || TicketError {
            id: None,
            code: "invalid-ticket",
            path: String::new(),
            message: "expected a JSON array of tickets or `{\"tickets\": [...]}`".into(),
        };
        let items = match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(v) => v,
            Err(_) => match serde_json::from_str::<Wrapped<'_>>(text) {
                Ok(w) => w.tickets,
                // Only now tell a syntax error (located) from a JSON value that is no list.
                Err(_) => {
                    return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                        Err(e) => TicketError {
                            id: None,
                            code: "json-syntax",
                            path: String::new(),
                            message: format!("the tickets are not valid JSON: {e}"),
                        },
                        Ok(_) => not_a_list(),
                    })
                }
            },
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                // The fast path parses straight into the input type; only a ticket that does
                // not parse is parsed again, for a located error.
                match serde_json::from_str::<TicketInput>(raw.get()) {
                    Ok(input) => Ticket::from_input(input),
                    Err(_) => {
                        let v: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
                        Ticket::from_value(&v)
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

    /// The value of a fact, for conditions. `status` is the status at `now`'s end of history.
    pub fn fact(&self, field: &str) -> Option<&FieldValue> {
        self.fields.get(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_offsets_and_millis_to_the_same_instant() {
        let a = parse_instant(&Stamp::Text("2026-11-20T10:00:00+01:00".into())).unwrap();
        let b = parse_instant(&Stamp::Text("2026-11-20T09:00:00Z".into())).unwrap();
        let c = parse_instant(&Stamp::Millis(1_795_165_200_000.0)).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(format_instant(b), "2026-11-20T09:00:00Z");
    }

    #[test]
    fn a_garbled_timestamp_fails_that_ticket_only() {
        let batch = Ticket::parse_batch(
            r#"[{"id": 1, "created": "2026-11-20T09:00:00Z"},
                {"id": "2", "created": "yesterday"},
                {"id": "3"},
                {"id": "4", "created": "2026-11-20T09:00:00Z", "statusHistory": [{"at": "soon", "to": "x"}]},
                "not a ticket"]"#,
        )
        .unwrap();
        assert!(batch[0].is_ok());
        assert_eq!(batch[0].as_ref().unwrap().id, "1");
        let e = batch[1].as_ref().unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str(), e.id.as_deref()),
            ("invalid-timestamp", "[1].created", Some("2"))
        );
        assert_eq!(batch[2].as_ref().unwrap_err().code, "missing-created");
        assert_eq!(
            batch[3].as_ref().unwrap_err().path,
            "[3].statusHistory[0].at"
        );
        assert_eq!(batch[4].as_ref().unwrap_err().code, "invalid-ticket");
    }

    #[test]
    fn a_broken_batch_says_whether_it_is_syntax_or_shape() {
        let syntax = Ticket::parse_batch("[{\"id\": 1,}]").unwrap_err();
        assert_eq!(syntax.code, "json-syntax");
        assert!(syntax.message.contains("line 1"), "{}", syntax.message);
        assert_eq!(
            Ticket::parse_batch("{\"issues\": []}").unwrap_err().code,
            "invalid-ticket"
        );
        assert_eq!(
            Ticket::parse_batch("42").unwrap_err().code,
            "invalid-ticket"
        );
        let wrapped = Ticket::parse_batch("{\"tickets\": [{\"id\": 1, \"created\": 0}]}").unwrap();
        assert_eq!(wrapped.len(), 1);
        assert!(Ticket::parse_batch("[]").unwrap().is_empty());
    }

    #[test]
    fn history_is_sorted_and_clamped_to_creation() {
        let t = Ticket::from_value(&serde_json::json!({
            "id": "9", "created": "2026-11-20T09:00:00Z",
            "statusHistory": [
                {"at": "2026-11-21T09:00:00Z", "from": "In Progress", "to": "Resolved"},
                {"at": "2026-11-19T09:00:00Z", "from": "New", "to": "In Progress"}
            ],
            "comments": [{"at": "2026-11-20T10:00:00Z", "staff": true}, {"at": "2026-11-20T09:30:00Z"}]
        }))
        .unwrap();
        assert_eq!(t.history[0].to, "In Progress");
        assert_eq!(t.history[0].at, t.created);
        assert_eq!(t.initial_status.as_deref(), Some("New"));
        assert_eq!(t.staff_replies, vec![t.created + 3600]);
    }
}
