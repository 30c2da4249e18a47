//! The tracker-agnostic ticket: what the engine needs to know about one issue.
//!
//! Tickets arrive as JSON ([`TicketInput`], lenient: unknown fields are ignored because adapters
//! add their own) and are normalised into [`Ticket`] (instants parsed, history sorted). A ticket
//! whose timestamps are missing or garbled gives a [`TicketError`] for that ticket only.

pub mod marker;

use crate::time::rfc3339::{parse_millis_instant, parse_text_instant};
use crate::time::Instant;
use crate::util::read;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A timestamp as it may arrive: RFC 3339 text (any offset) or epoch milliseconds.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Stamp {
    Text(String),
    Millis(f64),
}

/// A short text of a ticket: a status, a field's name or value, a person. Inline up to 24 bytes
/// (12 in wasm32) without a heap allocation, a heap buffer beyond; derefs to `str`.
pub type Text = compact_str::CompactString;

/// A field value: one string, several, or nothing.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum FieldValue {
    One(Text),
    Many(Vec<Text>),
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
    pub fields: BTreeMap<Text, FieldValue>,
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
    /// Facts the input cannot tell (a snapshot without journals or timelines): `replies` (the
    /// staff replies are not in `comments`), `statusHistory` (`statusHistory` holds at most the
    /// resolution a snapshot shows, not when statuses changed). States they would decide are
    /// `unknown` (DESIGN.md, "Snapshots: what is unknown when").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
    /// When the tracker last saved the issue: with `statusHistory` unknown, its status before
    /// then is unknown too (a snapshot shows the status it has now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Stamp>,
    /// The escalations recorded on the issue (`sla-lens:escalated` markers in notes by the
    /// sla-lens agent, collected by the adapters; DESIGN.md "Evaluating a ticket",
    /// rule 11). Read tolerantly: an entry that is not one is left out, never an error.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "tolerant_escalations"
    )]
    pub escalations: Vec<EscalationInput>,
}

/// One escalation recorded on the issue: an `sla-lens:escalated` marker line and the note that
/// holds it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EscalationInput {
    /// The marker's `cycle`.
    pub cycle: u32,
    /// The marker's `level`: `1`, `2`, … or `at-risk-response`, `at-risk-resolution`.
    pub stage: String,
    /// The marker's `action`: `note#0`.
    pub action: String,
    /// The marker's `at`, else the note's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Stamp>,
    /// The note: Redmine's journal id, GitHub's, GitLab's or Jira's comment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<String>,
    /// Redmine: the note's number on the issue page (`#note-3`), its 1-based position among
    /// the issue's journals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_number: Option<u32>,
    /// The note's link, when the ticket has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl EscalationInput {
    /// One entry read from JSON, or `None` when it is not one (no `cycle` ≥ 1 or no `stage`).
    pub fn from_value(v: &Value) -> Option<EscalationInput> {
        let o = v.as_object()?;
        let text = |k: &str| -> Option<String> {
            match o.get(k)? {
                Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let cycle = o
            .get("cycle")
            .and_then(Value::as_u64)
            .filter(|c| (1..=u64::from(u32::MAX)).contains(c))? as u32;
        let at = match o.get("at") {
            Some(Value::String(s)) => Some(Stamp::Text(s.clone())),
            Some(Value::Number(n)) => n.as_f64().map(Stamp::Millis),
            _ => None,
        };
        Some(EscalationInput {
            cycle,
            stage: text("stage").or_else(|| text("level"))?,
            action: text("action").unwrap_or_default(),
            at,
            note_id: text("noteId"),
            note_number: o
                .get("noteNumber")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            url: text("url"),
        })
    }
}

/// `escalations` read tolerantly: anything but an array is none, and entries that are not
/// escalations are left out.
fn tolerant_escalations<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<EscalationInput>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(escalations_of(&v))
}

fn escalations_of(v: &Value) -> Vec<EscalationInput> {
    match v {
        Value::Array(a) => a.iter().filter_map(EscalationInput::from_value).collect(),
        _ => Vec::new(),
    }
}

/// An escalation recorded on the issue, as the evaluation reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    pub cycle: u32,
    /// The level; `None` for an at-risk stage (or a stage sla-lens does not write).
    pub level: Option<u32>,
    /// The action (`note#0`).
    pub action: String,
    pub at: Option<Instant>,
    /// How the tracker names the note: `#3` (Redmine's note number), else the note's id.
    pub note: Option<String>,
    pub url: Option<String>,
}

impl Escalation {
    pub fn from_input(e: EscalationInput) -> Escalation {
        let level = e
            .stage
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0 && !e.stage.starts_with(['+', '0']));
        let at = e.at.as_ref().and_then(|s| parse_instant(s).ok());
        Escalation {
            cycle: e.cycle,
            level,
            action: e.action,
            at,
            note: match (e.note_number, e.note_id) {
                (Some(n), _) => Some(format!("#{n}")),
                (None, id) => id,
            },
            url: e.url,
        }
    }
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
                Ok(FieldValue::One(v.into()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<FieldValue, E> {
                Ok(FieldValue::One(v.into()))
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
                while let Some(s) = seq.next_element::<Text>()? {
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
    pub from: Option<Text>,
    pub to: Text,
}

/// A normalised ticket: instants in Unix seconds, history sorted by time.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub created: Instant,
    pub fields: BTreeMap<Text, FieldValue>,
    pub labels: Vec<String>,
    pub requester: Option<Text>,
    pub assignee: Option<Text>,
    /// The status at creation (from the first change's `from`, or `status` without history).
    pub initial_status: Option<Text>,
    pub history: Vec<StatusChange>,
    /// Instants of replies by provider staff, sorted.
    pub staff_replies: Vec<Instant>,
    pub first_response_at: Option<Instant>,
    /// What the input could not tell (from `unknown`).
    pub unknown: Unknowns,
    /// When the tracker last saved the issue (`updated`), if given.
    pub updated: Option<Instant>,
    /// The escalations recorded on the issue (`escalations`), in input order.
    pub escalations: Vec<Escalation>,
}

/// A fact a ticket's input could not tell (`unknown` in the ticket JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Missing {
    /// The staff replies (no notes or comments in the input).
    Replies,
    /// When statuses changed (only the current status, and a resolution a snapshot shows).
    StatusHistory,
    /// When the ticket was resolved: it is in a resolved status the history does not show it
    /// entering (derived from `StatusHistory`; not an input name).
    ResolvedAt,
}

impl Missing {
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Replies => "replies",
            Missing::StatusHistory => "statusHistory",
            Missing::ResolvedAt => "resolvedAt",
        }
    }

    /// The names the ticket JSON's `unknown` accepts.
    pub const INPUT: [Missing; 2] = [Missing::Replies, Missing::StatusHistory];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of [`Missing`] facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unknowns(u8);

impl Unknowns {
    pub fn with(self, m: Missing) -> Unknowns {
        Unknowns(self.0 | m.bit())
    }

    pub fn has(self, m: Missing) -> bool {
        self.0 & m.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The set `names` give (a ticket input's `unknown`); names it does not know are left out
    /// (reading the ticket refuses them).
    pub fn from_names(names: &[String]) -> Unknowns {
        names.iter().fold(Unknowns::default(), |u, n| {
            match Missing::INPUT.iter().find(|m| m.as_str() == n) {
                Some(m) => u.with(*m),
                None => u,
            }
        })
    }

    /// The names, as the ticket JSON's `unknown` lists them.
    pub fn names(self) -> Vec<String> {
        Missing::INPUT
            .iter()
            .filter(|m| self.has(**m))
            .map(|m| m.as_str().to_string())
            .collect()
    }
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
        Stamp::Text(s) => parse_text_instant(s),
        Stamp::Millis(ms) => parse_millis_instant(*ms),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: one typed pass over the text, timestamps parsed as they are read
// ---------------------------------------------------------------------------------------------

/// A timestamp read straight to its instant (no `String` for the text); a bad one keeps
/// [`parse_instant`]'s message, reported when the ticket is normalised.
#[derive(Debug, Clone, PartialEq)]
struct ReadStamp(Result<Instant, String>);

impl From<&Stamp> for ReadStamp {
    fn from(s: &Stamp) -> Self {
        ReadStamp(parse_instant(s))
    }
}

impl<'de> Deserialize<'de> for ReadStamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ReadStamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or epoch milliseconds")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ReadStamp, E> {
                Ok(ReadStamp(parse_text_instant(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ReadStamp, E> {
                Ok(ReadStamp(parse_millis_instant(v as f64)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ReadStamp, E> {
                Ok(ReadStamp(parse_millis_instant(v as f64)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ReadStamp, E> {
                Ok(ReadStamp(parse_millis_instant(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string that must be there (or `null`) but is not kept: a comment's author.
#[derive(Debug)]
struct SkipStr;

impl<'de> Deserialize<'de> for SkipStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SkipStr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<SkipStr, E> {
                Ok(SkipStr)
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Deserialize, Debug)]
// Named as the public type in messages ("expected struct StatusChangeInput").
#[serde(
    rename = "StatusChangeInput",
    expecting = "struct StatusChangeInput",
    rename_all = "camelCase"
)]
struct ReadChange {
    at: ReadStamp,
    #[serde(default)]
    from: Option<Text>,
    to: Text,
}

#[derive(Deserialize, Debug)]
// Named as the public type in messages ("expected struct CommentInput").
#[serde(
    rename = "CommentInput",
    expecting = "struct CommentInput",
    rename_all = "camelCase"
)]
struct ReadComment {
    at: ReadStamp,
    #[serde(default)]
    #[allow(dead_code)]
    author: Option<SkipStr>,
    #[serde(default)]
    staff: bool,
}

/// What [`Ticket::from_input`] normalises: [`TicketInput`]'s fields with the timestamps parsed.
/// Read directly from JSON it accepts exactly the documents `TicketInput` accepts (same field
/// names, types and defaults), without allocating the timestamps' and authors' texts.
#[derive(Deserialize)]
// Named as the public type in messages ("expected struct TicketInput").
#[serde(
    rename = "TicketInput",
    expecting = "struct TicketInput",
    rename_all = "camelCase"
)]
#[derive(Default, Debug)]
pub(crate) struct ReadTicket {
    #[serde(default, deserialize_with = "id_string")]
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    created: Option<ReadStamp>,
    #[serde(default)]
    fields: BTreeMap<Text, FieldValue>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    requester: Option<Text>,
    #[serde(default)]
    assignee: Option<Text>,
    #[serde(default)]
    status: Option<Text>,
    #[serde(default)]
    status_history: Vec<ReadChange>,
    #[serde(default)]
    comments: Vec<ReadComment>,
    #[serde(default)]
    first_response_at: Option<ReadStamp>,
    #[serde(default)]
    unknown: Vec<String>,
    #[serde(default)]
    updated: Option<ReadStamp>,
    #[serde(default)]
    escalations: Option<Value>,
}

impl From<TicketInput> for ReadTicket {
    fn from(t: TicketInput) -> Self {
        ReadTicket {
            id: t.id,
            title: t.title,
            url: t.url,
            created: t.created.as_ref().map(ReadStamp::from),
            fields: t.fields,
            labels: t.labels,
            requester: t.requester.map(Text::from),
            assignee: t.assignee.map(Text::from),
            status: t.status.map(Text::from),
            status_history: t
                .status_history
                .into_iter()
                .map(|c| ReadChange {
                    at: ReadStamp::from(&c.at),
                    from: c.from.map(Text::from),
                    to: Text::from(c.to),
                })
                .collect(),
            comments: t
                .comments
                .into_iter()
                .map(|c| ReadComment {
                    at: ReadStamp::from(&c.at),
                    author: None,
                    staff: c.staff,
                })
                .collect(),
            first_response_at: t.first_response_at.as_ref().map(ReadStamp::from),
            unknown: t.unknown,
            updated: t.updated.as_ref().map(ReadStamp::from),
            escalations: (!t.escalations.is_empty())
                .then(|| serde_json::to_value(&t.escalations).unwrap_or(Value::Null)),
        }
    }
}

/// A ticket list as a whole: an array, or `{"tickets": [...]}` (other keys ignored).
#[derive(Deserialize)]
struct Wrapped<T> {
    tickets: T,
}

// ---------------------------------------------------------------------------------------------
// The fast reader: a ticket list read byte by byte into [`ReadTicket`]s, without serde
// ---------------------------------------------------------------------------------------------
//
// In Wasm at opt-level "z" nothing in serde_json's deserializer is inlined, and its token
// machinery was most of a 100,000-ticket report. This reader knows the ticket shape and reads
// it directly. It accepts a list only when serde would read it to the same values: on anything
// else (a float, a duplicate field, a wrong type, a syntax error, a lone surrogate, nesting
// deeper than 64) it gives up with `None` and the serde readers decide, so results and errors
// are theirs (`tests/ticket_parse.rs` holds every path to the old reader).

/// A cursor over a ticket list; every method gives `None` where [`read_fast`] gives up.
struct Scan<'a> {
    s: &'a str,
    i: usize,
}

/// Where the first of the eight bytes in `x` (read little-endian: the first byte lowest) that is
/// `"`, `\\` or a control character (below 0x20) is: the bytes a JSON string's reader must stop
/// at; `None` when there is none. By the usual "has a zero byte" and "has a byte less than n"
/// word tricks, whose lowest flagged byte is always a true match (a borrow only ever flags bytes
/// above one); bytes of 0x80 and above (UTF-8 beyond ASCII) never match.
fn first_look(x: u64) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    fn zero(v: u64) -> u64 {
        v.wrapping_sub(ONES) & !v & HIGH
    }
    let quote = zero(x ^ (ONES * b'"' as u64));
    let backslash = zero(x ^ (ONES * b'\\' as u64));
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    let m = quote | backslash | control;
    (m != 0).then(|| m.trailing_zeros() as usize / 8)
}

impl<'a> Scan<'a> {
    /// The next byte after JSON whitespace. (Inlined: called before every token, and at
    /// opt-level "z" LLVM would keep it a call.)
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        let b = self.s.as_bytes();
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = b.get(self.i) {
            self.i += 1;
        }
        b.get(self.i).copied()
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// `null` (consumed) or not.
    fn null(&mut self) -> Option<bool> {
        if self.peek()? != b'n' {
            return Some(false);
        }
        self.lit("null").map(|_| true)
    }

    fn lit(&mut self, word: &str) -> Option<()> {
        self.peek()?;
        let end = self.i + word.len();
        (self.s.as_bytes().get(self.i..end)? == word.as_bytes()).then(|| self.i = end)
    }

    /// A string, borrowed from the text when it has no escape.
    fn str(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let (text, start) = (self.s, self.i);
        let b = text.as_bytes();
        let mut i = start;
        // Eight bytes at a time up to the first that needs a look: most of an export's bytes
        // are in strings, and most strings hold neither escapes nor control characters.
        while let Some(&chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
            if let Some(k) = first_look(u64::from_le_bytes(chunk)) {
                i += k;
                break;
            }
            i += 8;
        }
        loop {
            match *b.get(i)? {
                b'"' => {
                    self.i = i + 1;
                    return Some(Cow::Borrowed(text.get(start..i)?));
                }
                b'\\' => {
                    self.i = i;
                    return self.escaped(start).map(Cow::Owned);
                }
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
    }

    /// The rest of a string with escapes, as serde_json unescapes it (paired surrogates only).
    #[cold]
    fn escaped(&mut self, start: usize) -> Option<String> {
        let b = self.s.as_bytes();
        let mut out = String::from(&self.s[start..self.i]);
        loop {
            let run = self.i;
            while !matches!(*b.get(self.i)?, b'"' | b'\\' | 0..=0x1f) {
                self.i += 1;
            }
            out.push_str(&self.s[run..self.i]);
            match b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {}
                _ => return None,
            }
            let c = match *b.get(self.i + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\x08',
                b'f' => '\x0c',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let n = self.hex(self.i + 2)?;
                    self.i += 4;
                    let n = match n {
                        0xD800..=0xDBFF if b.get(self.i + 2..self.i + 4)? == b"\\u" => {
                            let lo = self.hex(self.i + 4)?;
                            self.i += 6;
                            if !(0xDC00..=0xDFFF).contains(&lo) {
                                return None;
                            }
                            0x1_0000 + ((n - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        0xD800..=0xDFFF => return None,
                        n => n,
                    };
                    char::from_u32(n)?
                }
                _ => return None,
            };
            out.push(c);
            self.i += 2;
        }
    }

    fn hex(&self, at: usize) -> Option<u32> {
        let h = self.s.get(at..at + 4)?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(h, 16).ok()
    }

    /// An integer of at most 15 digits (exact as `f64`); not `-0`, floats or exponents.
    fn int(&mut self) -> Option<i64> {
        let b = self.s.as_bytes();
        let neg = self.peek()? == b'-';
        self.i += usize::from(neg);
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(&d @ b'0'..=b'9') = b.get(self.i) {
            if self.i - start == 15 {
                return None;
            }
            v = v * 10 + i64::from(d - b'0');
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || (n > 1 && b[start] == b'0') || (neg && v == 0) {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = b.get(self.i) {
            return None;
        }
        Some(if neg { -v } else { v })
    }

    /// Any JSON value, checked as serde_json checks what it ignores.
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > 64 {
            return None;
        }
        match self.peek()? {
            b'"' => self.str().map(drop),
            b'{' => self.object(|s, _| s.skip(depth + 1)),
            b'[' => self.array(|s| s.skip(depth + 1)),
            b't' => self.lit("true"),
            b'f' => self.lit("false"),
            b'n' => self.lit("null"),
            _ => {
                // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
                let b = self.s.as_bytes();
                let digits = |i: &mut usize| {
                    let start = *i;
                    while b.get(*i).is_some_and(u8::is_ascii_digit) {
                        *i += 1;
                    }
                    *i - start
                };
                let mut i = self.i + usize::from(b[self.i] == b'-');
                let n = digits(&mut i);
                if n == 0 || (n > 1 && b[i - n] == b'0') {
                    return None;
                }
                if b.get(i) == Some(&b'.') {
                    i += 1;
                    if digits(&mut i) == 0 {
                        return None;
                    }
                }
                if let Some(b'e' | b'E') = b.get(i) {
                    i += 1;
                    if let Some(b'+' | b'-') = b.get(i) {
                        i += 1;
                    }
                    if digits(&mut i) == 0 {
                        return None;
                    }
                }
                self.i = i;
                Some(())
            }
        }
    }

    /// `{…}`, `f` called at each value with its key.
    fn object(&mut self, mut f: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.str()?;
            self.eat(b':')?;
            f(self, &key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `[…]`, `f` called at each element.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            f(self)?;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `Option<String>`: `null` or a string.
    fn opt_string(&mut self) -> Option<Option<String>> {
        if self.null()? {
            return Some(None);
        }
        self.str().map(|s| Some(s.into_owned()))
    }

    /// A timestamp as [`ReadStamp`] reads it: a string or an integer.
    fn stamp(&mut self) -> Option<ReadStamp> {
        Some(ReadStamp(if self.peek()? == b'"' {
            parse_text_instant(&self.str()?)
        } else {
            parse_millis_instant(self.int()? as f64)
        }))
    }

    fn opt_stamp(&mut self) -> Option<Option<ReadStamp>> {
        if self.null()? {
            return Some(None);
        }
        self.stamp().map(Some)
    }

    /// `Option<Text>`: `null` or a string.
    fn opt_text(&mut self) -> Option<Option<Text>> {
        if self.null()? {
            return Some(None);
        }
        self.str().map(|s| Some(Text::from(&*s)))
    }

    fn texts(&mut self) -> Option<Vec<Text>> {
        let mut out = Vec::new();
        self.array(|s| {
            out.push(Text::from(&*s.str()?));
            Some(())
        })?;
        Some(out)
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        self.array(|s| {
            out.push(s.str()?.into_owned());
            Some(())
        })?;
        Some(out)
    }

    fn field_value(&mut self) -> Option<FieldValue> {
        Some(match self.peek()? {
            b'"' => FieldValue::One(Text::from(&*self.str()?)),
            b'[' => FieldValue::Many(self.texts()?),
            b't' => self.lit("true").map(|_| FieldValue::Bool(true))?,
            b'f' => self.lit("false").map(|_| FieldValue::Bool(false))?,
            b'n' => self.lit("null").map(|_| FieldValue::Null)?,
            _ => FieldValue::Number(self.int()? as f64),
        })
    }

    /// One field of a struct: `None` when it was seen before (serde's duplicate-field error).
    fn once(seen: &mut u16, bit: u16) -> Option<()> {
        (*seen & bit == 0).then(|| *seen |= bit)
    }

    fn change(&mut self) -> Option<ReadChange> {
        let (mut at, mut from, mut to, mut seen) = (None, None, None, 0);
        self.object(|s, k| match k {
            "at" => {
                Scan::once(&mut seen, 1)?;
                at = Some(s.stamp()?);
                Some(())
            }
            "from" => {
                Scan::once(&mut seen, 2)?;
                from = s.opt_text()?;
                Some(())
            }
            "to" => {
                Scan::once(&mut seen, 4)?;
                to = Some(Text::from(&*s.str()?));
                Some(())
            }
            _ => s.skip(3),
        })?;
        Some(ReadChange {
            at: at?,
            from,
            to: to?,
        })
    }

    fn comment(&mut self) -> Option<ReadComment> {
        let (mut at, mut staff, mut seen) = (None, false, 0);
        self.object(|s, k| match k {
            "at" => {
                Scan::once(&mut seen, 1)?;
                at = Some(s.stamp()?);
                Some(())
            }
            "author" => Scan::once(&mut seen, 2).and_then(|_| s.opt_string().map(drop)),
            "staff" => Scan::once(&mut seen, 4).and_then(|_| {
                staff = match s.peek()? {
                    b't' => s.lit("true").map(|_| true)?,
                    _ => s.lit("false").map(|_| false)?,
                };
                Some(())
            }),
            _ => s.skip(3),
        })?;
        Some(ReadComment {
            at: at?,
            author: None,
            staff,
        })
    }

    fn ticket(&mut self) -> Option<ReadTicket> {
        let mut t = ReadTicket::default();
        let mut seen = 0;
        self.object(|s, k| {
            // By length first: one comparison per key instead of one per field.
            let (bit, name): (u16, &str) = match k.len() {
                2 => (1, "id"),
                5 => (2, "title"),
                3 => (4, "url"),
                7 if k.as_bytes()[0] == b'u' && k.as_bytes()[1] == b'n' => (4096, "unknown"),
                7 if k.as_bytes()[0] == b'u' => (8192, "updated"),
                7 => (8, "created"),
                6 => match k.as_bytes()[0] {
                    b'f' => (16, "fields"),
                    b'l' => (32, "labels"),
                    _ => (256, "status"),
                },
                9 => (64, "requester"),
                8 if k.as_bytes()[0] == b'a' => (128, "assignee"),
                13 => (512, "statusHistory"),
                8 => (1024, "comments"),
                15 => (2048, "firstResponseAt"),
                // Rare: the serde readers read them (tolerantly).
                11 if k == "escalations" => return None,
                _ => return s.skip(2),
            };
            if k != name {
                return s.skip(2);
            }
            Scan::once(&mut seen, bit)?;
            match bit {
                1 => {
                    t.id = match s.peek()? {
                        b'"' => s.str()?.into_owned(),
                        b'n' => s.lit("null").map(|_| String::new())?,
                        _ => s.int()?.to_string(),
                    }
                }
                2 => t.title = s.opt_string()?,
                4 => t.url = s.opt_string()?,
                8 => t.created = s.opt_stamp()?,
                16 => s.object(|s, k| {
                    let k = Text::from(k);
                    let v = s.field_value()?;
                    t.fields.insert(k, v);
                    Some(())
                })?,
                32 => t.labels = s.strings()?,
                64 => t.requester = s.opt_text()?,
                128 => t.assignee = s.opt_text()?,
                256 => t.status = s.opt_text()?,
                512 => s.array(|s| {
                    t.status_history.push(s.change()?);
                    Some(())
                })?,
                1024 => s.array(|s| {
                    t.comments.push(s.comment()?);
                    Some(())
                })?,
                4096 => t.unknown = s.strings()?,
                8192 => t.updated = s.opt_stamp()?,
                _ => t.first_response_at = s.opt_stamp()?,
            }
            Some(())
        })?;
        Some(t)
    }

    /// The ticket list, each ticket's result handed to `sink` as soon as it is read.
    fn tickets(&mut self, sink: &mut dyn FnMut(Result<Ticket, TicketError>)) -> Option<()> {
        let mut i = 0;
        self.array(|s| {
            let t = s.ticket()?;
            sink(Ticket::from_read(t).map_err(|e| at_index(i, e)));
            i += 1;
            Some(())
        })
    }
}

/// One ticket's JSON read by [`Scan`], or `None` where serde must decide.
fn read_one(text: &str) -> Option<ReadTicket> {
    let mut s = Scan { s: text, i: 0 };
    let t = s.ticket()?;
    s.peek().is_none().then_some(t)
}

/// A ticket list read by [`Scan`], each ticket handed to `sink` in order; `None` where serde
/// must decide (possibly after some tickets were handed over).
fn read_fast(text: &str, sink: &mut dyn FnMut(Result<Ticket, TicketError>)) -> Option<()> {
    let mut s = Scan { s: text, i: 0 };
    if s.peek()? == b'{' {
        let mut seen = false;
        s.object(|s, k| {
            if k != "tickets" {
                return s.skip(1);
            }
            if seen {
                return None;
            }
            seen = true;
            s.tickets(sink)
        })?;
        if !seen {
            return None;
        }
    } else {
        s.tickets(sink)?;
    }
    s.peek().is_none().then_some(())
}

/// A ticket whose JSON a `Value` cannot hold: a string with a lone UTF-16 surrogate escape
/// (`"\ud800"`), valid JSON but no Unicode text. serde reads such a ticket when those strings
/// are in fields it ignores (unknown fields, anywhere) and refuses it otherwise, so the ticket
/// is read as serde reads it, from its text (cold: this is the only use of the derived reader in
/// the module); a ticket it refuses gets the located path's error for a ticket whose text does
/// not read.
#[cold]
fn lone_surrogates_ignored(raw: &str, e: &serde_json::Error) -> Result<Ticket, TicketError> {
    match serde_json::from_str::<ReadTicket>(raw) {
        Ok(t) => Ticket::from_read(t),
        // Nested deeper than serde_json reads, in a part of the ticket that is read (an
        // unknown field is skipped whatever its depth, as the read type does above).
        Err(_) if crate::util::diagnostic::json_too_deep(e) => Err(TicketError {
            id: None,
            code: "json-too-deep",
            path: String::new(),
            message: format!(
                "the ticket nests arrays and objects more than {} levels deep, the most sla-lens \
                 reads: a ticket needs a few levels; remove the extra nesting",
                crate::util::diagnostic::MAX_JSON_DEPTH
            ),
        }),
        Err(_) => Ticket::from_value(&Value::Null),
    }
}

/// `[i]` prefixed to a per-ticket error path.
fn at_index(i: usize, mut e: TicketError) -> TicketError {
    e.path = if e.path == "." || e.path.is_empty() {
        format!("[{i}]")
    } else {
        format!("[{i}].{}", e.path)
    };
    e
}

impl Ticket {
    /// Normalises a ticket input.
    ///
    /// # Errors
    /// A missing `created` or any unparseable timestamp.
    pub fn from_input(input: TicketInput) -> Result<Ticket, TicketError> {
        Ticket::from_read(ReadTicket::from(input))
    }

    fn from_read(input: ReadTicket) -> Result<Ticket, TicketError> {
        let err = |code: &'static str, path: String, message: String| TicketError {
            id: Some(input.id.clone()),
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
            Some(ReadStamp(s)) => s
                .clone()
                .map_err(|m| err("invalid-timestamp", "created".into(), m))?,
        };
        for (i, c) in input.status_history.iter().enumerate() {
            if let Err(m) = &c.at.0 {
                return Err(err(
                    "invalid-timestamp",
                    format!("statusHistory[{i}].at"),
                    m.clone(),
                ));
            }
        }
        for (i, c) in input.comments.iter().enumerate() {
            if let Err(m) = &c.at.0 {
                return Err(err(
                    "invalid-timestamp",
                    format!("comments[{i}].at"),
                    m.clone(),
                ));
            }
        }
        let first_response_at = match &input.first_response_at {
            None => None,
            Some(ReadStamp(s)) => Some(
                s.clone()
                    .map_err(|m| err("invalid-timestamp", "firstResponseAt".into(), m))?
                    .max(created),
            ),
        };
        let mut history: Vec<StatusChange> = input
            .status_history
            .into_iter()
            .map(|c| StatusChange {
                at: c.at.0.unwrap_or(created).max(created),
                from: c.from,
                to: c.to,
            })
            .collect();
        // Stable: changes at the same instant keep their order.
        crate::util::order::sort_by_key(&mut history, |c| c.at);
        let mut staff_replies: Vec<Instant> = input
            .comments
            .iter()
            .filter(|c| c.staff)
            .map(|c| c.at.0.as_ref().map_or(created, |&t| t).max(created))
            .collect();
        crate::util::order::sort_by_key(&mut staff_replies, |t| *t);
        let initial_status = match history.first() {
            Some(first) => first.from.clone(),
            None => input.status,
        };
        let updated = match &input.updated {
            None => None,
            Some(ReadStamp(s)) => Some(
                s.clone()
                    .map_err(|m| err("invalid-timestamp", "updated".into(), m))?,
            ),
        };
        let mut unknown = Unknowns::default();
        for (i, name) in input.unknown.iter().enumerate() {
            match Missing::INPUT.iter().find(|m| m.as_str() == name) {
                Some(m) => unknown = unknown.with(*m),
                None => {
                    return Err(err(
                        "invalid-ticket",
                        format!("unknown[{i}]"),
                        format!(
                            "`{name}` is not a fact a ticket can lack: `unknown` lists \
                             `replies` and `statusHistory`"
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
            requester: input.requester,
            assignee: input.assignee,
            initial_status,
            history,
            staff_replies,
            first_response_at,
            unknown,
            updated,
            escalations: input
                .escalations
                .as_ref()
                .map(escalations_of)
                .unwrap_or_default()
                .into_iter()
                .map(Escalation::from_input)
                .collect(),
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
        let input: ReadTicket = read::from_value(v).map_err(|e| TicketError {
            id: id.clone(),
            code: "invalid-ticket",
            path: e.path.to_string(),
            message: format!("{}: see the ticket format in the README", e.inner),
        })?;
        Ticket::from_read(input)
    }

    /// Parses a JSON array of tickets (or `{"tickets": [...]}`), one result per element.
    ///
    /// A well-formed list is read in one pass without serde (timestamps parsed as they are
    /// read, each ticket normalised at once); only when that reader gives up is the text read
    /// again ticket by ticket through serde ([`Ticket::parse_batch_located`]), which says which
    /// ticket is wrong and where. Both give the same results.
    ///
    /// # Errors
    /// Only when the text is not JSON or holds no ticket list; bad tickets are per-element.
    pub fn parse_batch(text: &str) -> Result<Vec<Result<Ticket, TicketError>>, TicketError> {
        Ticket::fold_batch(text, Vec::new, |v, t| v.push(t))
    }

    /// [`Ticket::parse_batch`] without keeping the list: each ticket's result is handed to
    /// `add` in the list's order, with state made by `fresh`. Should the one-pass reader give
    /// up part way, the state is dropped, made afresh and given every ticket again from the
    /// slow path, so the state returned has seen each ticket exactly once.
    ///
    /// # Errors
    /// As [`Ticket::parse_batch`].
    pub fn fold_batch<S>(
        text: &str,
        fresh: impl Fn() -> S,
        mut add: impl FnMut(&mut S, Result<Ticket, TicketError>),
    ) -> Result<S, TicketError> {
        let mut state = fresh();
        if read_fast(text, &mut |t| add(&mut state, t)).is_some() {
            return Ok(state);
        }
        let mut state = fresh();
        for t in Ticket::parse_batch_located(text)? {
            add(&mut state, t);
        }
        Ok(state)
    }

    /// [`Ticket::parse_batch`]'s slow path, for a list in which some ticket does not read: the
    /// text is checked and split into each ticket's raw JSON, and a ticket that does not read
    /// is read again through [`crate::util::located`] for the path of what is wrong. Public so
    /// that tests can hold both paths to the same results.
    ///
    /// # Errors
    /// As [`Ticket::parse_batch`].
    #[doc(hidden)]
    pub fn parse_batch_located(
        text: &str,
    ) -> Result<Vec<Result<Ticket, TicketError>>, TicketError> {
        let not_a_list = || TicketError {
            id: None,
            code: "invalid-ticket",
            path: String::new(),
            message: "expected a JSON array of tickets or `{\"tickets\": [...]}`".into(),
        };
        let items = match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(v) => v,
            Err(_) => match serde_json::from_str::<Wrapped<Vec<&RawValue>>>(text) {
                Ok(w) => w.tickets,
                // Only now tell a syntax error (located) from a JSON value that is no list.
                Err(_) => {
                    return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                        Err(e) => TicketError {
                            id: None,
                            code: crate::util::diagnostic::json_error_code(&e),
                            path: String::new(),
                            message: if crate::util::diagnostic::json_too_deep(&e) {
                                crate::util::diagnostic::json_refused("the list of tickets", &e)
                            } else {
                                format!("the tickets are not valid JSON: {e}")
                            },
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
                // Straight into the read type (the fast reader); a ticket it leaves is read
                // again from a `Value` (src/util/read.rs), which reads it or locates what is wrong.

                match read_one(raw.get()) {
                    Some(t) => Ticket::from_read(t),
                    None => match serde_json::from_str::<Value>(raw.get()) {
                        Ok(v) => Ticket::from_value(&v),
                        Err(e) => lone_surrogates_ignored(raw.get(), &e),
                    },
                }
                .map_err(|e| at_index(i, e))
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
        assert_eq!(crate::time::format_instant(b), "2026-11-20T09:00:00Z");
    }

    proptest::proptest! {
        /// The word test stops exactly where the byte-by-byte reader would.
        #[test]
        fn first_look_is_exact(bytes: [u8; 8], pick in proptest::collection::vec(
            proptest::sample::select(vec![b'"', b'\\', 0, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xff]), 8)) {
            // Random words, and words made of the bytes around the edges.
            for x in [bytes, <[u8; 8]>::try_from(pick.as_slice()).unwrap()] {
                let want = x.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
                proptest::prop_assert_eq!(first_look(u64::from_le_bytes(x)), want, "{:?}", x);
            }
        }
    }

    /// The fast reader's list, or `None` where it leaves the text to serde.
    fn read_fast_list(text: &str) -> Option<Vec<Result<Ticket, TicketError>>> {
        let mut out = Vec::new();
        read_fast(text, &mut |t| out.push(t)).map(|()| out)
    }

    /// Well-formed lists are read without serde (`tests/ticket_parse.rs` holds the results to
    /// the old reader's); what serde would read differently or refuse is left to it.
    #[test]
    fn the_fast_reader_reads_well_formed_lists_and_leaves_the_rest_to_serde() {
        let good = r#" [{"id": 7, "created": "2026-11-20T09:00:00Z", "title": "a \"q\" \u00e9 \ud83d\ude00",
            "fields": {"priority": "High", "n": -3, "b": true, "z": null, "m": ["x", "y"]},
            "labels": [], "statusHistory": [{"at": 1795165200000, "from": null, "to": "New", "x": 1e5}],
            "comments": [{"at": "2026-11-20T09:30:00Z", "author": "bob", "staff": true}],
            "other": {"deep": [1, -0.5, {"a": "\n"}]}, "": 1, "firstResponseAt": null},
            {"id": null}, {"id": "8", "created": 0}] "#;
        let fast = read_fast_list(good).expect("read without serde");
        assert_eq!(Ok(fast.clone()), Ticket::parse_batch_located(good));
        assert_eq!(fast.len(), 3);
        assert_eq!(
            fast[0].as_ref().unwrap().title.as_deref(),
            Some("a \"q\" \u{e9} \u{1f600}")
        );
        assert_eq!(fast[1].as_ref().unwrap_err().code, "missing-created");
        let wrapped = r#"{"x": [{}], "tickets": [{"id": "1", "created": 0}]}"#;
        assert_eq!(read_fast_list(wrapped).map(|v| v.len()), Some(1));
        for bad in [
            r#"[{"id": 1, "id": 2, "created": 0}]"#,
            r#"[{"id": 1.5, "created": 0}]"#,
            r#"[{"id": -0, "created": 0}]"#,
            r#"[{"id": "1", "created": 1e12}]"#,
            r#"[{"id": "1", "created": 0, "title": "\ud800"}]"#,
            r#"[{"id": "1", "created": 0, "labels": null}]"#,
            r#"[{"id": "1", "created": 0},]"#,
            r#"[{"id": "1", "created": 0}] x"#,
            r#"{"tickets": [], "tickets": []}"#,
            r#"{"x": []}"#,
            "[\"not a ticket\"]",
        ] {
            assert!(read_fast_list(bad).is_none(), "{bad}");
        }
    }

    /// A list the fast reader gives up on part way (after handing over its first ticket) is
    /// folded again from the slow path, into fresh state: each ticket once.
    #[test]
    fn fold_batch_starts_again_when_the_fast_reader_gives_up() {
        let text = r#"[{"id": "1", "created": 0}, {"id": "2", "created": 0}, "not a ticket"]"#;
        let made = std::cell::Cell::new(0);
        let folded = Ticket::fold_batch(
            text,
            || {
                made.set(made.get() + 1);
                Vec::new()
            },
            |v, t| v.push(t),
        );
        assert_eq!(made.get(), 2, "the fast reader's state is dropped");
        let folded = folded.unwrap();
        assert_eq!(Ok(folded.clone()), Ticket::parse_batch_located(text));
        assert_eq!(folded.len(), 3);
        assert_eq!(folded[2].as_ref().unwrap_err().path, "[2]");
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
