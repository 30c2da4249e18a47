//! Reading a part of a document with its derived `Deserialize`, through `serde_path_to_error`:
//! the one reading path of every document type (the policy and its calendars, the site file,
//! the CSV mapping, tracker responses, tickets that the fast scanner leaves).
//!
//! The value is read by [`ValueDe`], a `Deserializer` over a [`serde_json::Value`] put together
//! from serde's own `de::value` parts, whose error type is [`Refusal`]: serde's visitors say what
//! they refuse through the `de::Error` callbacks (`unknown_field`, `missing_field`,
//! `unknown_variant`, `invalid_type`, ...), and [`Refusal`] keeps which one as a typed [`Kind`],
//! so a caller picks a diagnostic code from data, never from the message. The message is
//! serde_json's own wording (built by `serde_json::Error`'s callbacks), and the path is
//! `serde_path_to_error`'s.

use crate::util::located::{Error, Kind, Path, Segment};
use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Expected, IntoDeserializer, Unexpected, Visitor};
use serde_json::{Number, Value};
use std::fmt;

/// What a reader refused, as the `de::Error` callback that said it: a [`Kind`] and serde_json's
/// message for it.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub kind: Kind,
    pub inner: serde_json::Error,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Refusal {}

impl de::Error for Refusal {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Refusal {
            kind: Kind::Custom,
            inner: de::Error::custom(msg),
        }
    }

    #[cold]
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Refusal {
            kind: Kind::InvalidType,
            inner: de::Error::invalid_type(unexp, exp),
        }
    }

    #[cold]
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Refusal {
            kind: Kind::InvalidValue,
            inner: de::Error::invalid_value(unexp, exp),
        }
    }

    #[cold]
    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        Refusal {
            kind: Kind::InvalidLength,
            inner: de::Error::invalid_length(len, exp),
        }
    }

    #[cold]
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Refusal {
            kind: Kind::UnknownVariant {
                variant: variant.to_string(),
                expected,
            },
            inner: de::Error::unknown_variant(variant, expected),
        }
    }

    #[cold]
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Refusal {
            kind: Kind::UnknownField {
                field: field.to_string(),
                expected,
            },
            inner: de::Error::unknown_field(field, expected),
        }
    }

    #[cold]
    fn missing_field(field: &'static str) -> Self {
        Refusal {
            kind: Kind::MissingField(field),
            inner: de::Error::missing_field(field),
        }
    }
}

/// Reads `T` from `v` with its derived `Deserialize`; the first error with its path and kind.
pub(crate) fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, Box<Error>> {
    serde_path_to_error::deserialize(ValueDe(v)).map_err(|e| {
        let path = Path(
            e.path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { variant } => {
                        Some(Segment::Variant(variant.clone()))
                    }
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect(),
        );
        let Refusal { kind, inner } = e.into_inner();
        Box::new(Error { path, kind, inner })
    })
}

/// A `Deserializer` over a borrowed [`Value`] whose errors are [`Refusal`]s; it reads as
/// serde_json's `&Value` deserializer does (a struct from an object or an array, an enum from
/// a string or an object with one key, the same `invalid length` messages).
#[derive(Clone, Copy)]
pub(crate) struct ValueDe<'de>(pub &'de Value);

impl<'de> IntoDeserializer<'de, Refusal> for ValueDe<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Refusal> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

fn visit_array<'de, V: Visitor<'de>>(a: &'de [Value], visitor: V) -> Result<V::Value, Refusal> {
    let mut iter = a.iter();
    let out = visitor.visit_seq(SeqDeserializer::new((&mut iter).map(ValueDe)))?;
    if iter.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(
            a.len(),
            &"fewer elements in array",
        ))
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    m: &'de serde_json::Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Refusal> {
    let mut iter = m.iter();
    let entries = (&mut iter).map(|(k, v)| (k.as_str(), ValueDe(v)));
    let out = visitor.visit_map(MapDeserializer::new(entries))?;
    if iter.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(m.len(), &"fewer elements in map"))
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = Refusal;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(a) => visit_array(a, visitor),
            Value::Object(m) => visit_object(m, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(m) if m.len() == 1 => {
                let entries = m.iter().map(|(k, v)| (k.as_str(), ValueDe(v)));
                visitor.visit_enum(MapAccessDeserializer::new(MapDeserializer::new(entries)))
            }
            Value::Object(_) => Err(de::Error::invalid_value(
                Unexpected::Map,
                &"map with a single key",
            )),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    // Each method calls only the visits its type can take (as serde_json's `&Value` deserializer
    // does): a struct's visitor is never asked to visit a number, so its wrapped `visit_u64`,
    // `visit_str`, ... are not compiled for every type read (most of the derive's code size).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Array(a) => visit_array(a, visitor),
            Value::Object(m) => visit_object(m, visitor),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Object(m) => visit_object(m, visitor),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Array(a) => visit_array(a, visitor),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            other => Err(refuse(other, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        visitor.visit_unit()
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        match self.0 {
            Value::Number(n) => visit_number(n, visitor),
            other => Err(refuse(other, &visitor)),
        }
    }

    serde::forward_to_deserialize_any! { char bytes byte_buf }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        self.deserialize_u64(visitor)
    }
}

/// `invalid type: <what v is>, expected <what the visitor reads>`.
#[cold]
fn refuse(v: &Value, exp: &dyn Expected) -> Refusal {
    de::Error::invalid_type(unexpected(v), exp)
}

/// serde_json's description of a value in an "invalid type" message.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}
