//! Reading a part of a document with its derived `Deserialize`: the one reading path of every
//! document type (the policy and its calendars, the site file, the CSV mapping, tracker
//! responses, tickets that the fast scanner leaves).
//!
//! The value is read by `ValueDe`, a `Deserializer` over a [`serde_json::Value`] whose error type
//! is [`Refusal`]: serde's visitors say what they refuse through the `de::Error` callbacks
//! (`unknown_field`, `missing_field`, `unknown_variant`, `invalid_type`, ...), and [`Refusal`]
//! keeps which one as a typed [`Kind`], so a caller picks a diagnostic code from data, never
//! from the message. The message is serde_json's own wording (built by `serde_json::Error`'s
//! callbacks), and the path is located by `serde_path_to_error`'s rules (`targets[0].respons`;
//! an error on a map key at that key), tracked here rather than by wrapping the deserializer in
//! `serde_path_to_error`, whose wrappers cost the engine module 6.6 KB gzipped; the oracle test
//! (src/adapters/oracle.rs) holds both to the same results.

use crate::util::located::{Error, Kind, Path, Segment};
use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Expected, Unexpected, Visitor};
use serde_json::{Number, Value};
use std::cell::RefCell;
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
    let track = Track(RefCell::new(None));
    T::deserialize(ValueDe {
        v,
        chain: Chain::Root,
        track: &track,
    })
    .map_err(|Refusal { kind, inner }| {
        Box::new(Error {
            path: track.0.into_inner().unwrap_or_default(),
            kind,
            inner,
        })
    })
}

/// The path to the value being read, as a list on the stack.
#[derive(Clone, Copy)]
enum Chain<'a> {
    Root,
    Index(&'a Chain<'a>, usize),
    Key(&'a Chain<'a>, &'a str),
    Variant(&'a Chain<'a>, &'a str),
}

impl Chain<'_> {
    fn path(&self) -> Path {
        let mut segs = Vec::new();
        let mut c = self;
        loop {
            c = match c {
                Chain::Root => break,
                Chain::Index(p, i) => {
                    segs.push(Segment::Index(*i));
                    p
                }
                Chain::Key(p, k) => {
                    segs.push(Segment::Key(k.to_string()));
                    p
                }
                Chain::Variant(p, k) => {
                    segs.push(Segment::Variant(k.to_string()));
                    p
                }
            };
        }
        segs.reverse();
        Path(segs)
    }
}

/// The path of the first error, set by the innermost frame that sees it (as
/// `serde_path_to_error` locates it: an error on a map key at that key).
struct Track(RefCell<Option<Path>>);

impl Track {
    #[cold]
    fn trigger(&self, chain: &Chain<'_>) {
        let mut p = self.0.borrow_mut();
        if p.is_none() {
            *p = Some(chain.path());
        }
    }

    fn mark<T>(&self, chain: &Chain<'_>, r: Result<T, Refusal>) -> Result<T, Refusal> {
        if r.is_err() {
            self.trigger(chain);
        }
        r
    }
}

/// A `Deserializer` over a borrowed [`Value`] whose errors are [`Refusal`]s, located as
/// `serde_path_to_error` locates them; it reads as serde_json's `&Value` deserializer does (an
/// enum from a string or an object with one key, the same messages), but a struct from an
/// object only: serde_json also reads one from an array, field by field, which no sla-lens
/// document does, and not compiling every struct's `visit_seq` keeps the engine module within
/// its size budget (BENCHMARKS.md).
#[derive(Clone, Copy)]
struct ValueDe<'a, 'de> {
    v: &'de Value,
    chain: Chain<'a>,
    track: &'a Track,
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

impl<'a, 'de: 'a> ValueDe<'a, 'de> {
    fn array<V: Visitor<'de>>(&self, a: &'de [Value], visitor: V) -> Result<V::Value, Refusal> {
        let mut access = SeqAccess {
            iter: a.iter(),
            index: 0,
            chain: &self.chain,
            track: self.track,
        };
        let out = visitor.visit_seq(&mut access)?;
        if access.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(
                a.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn object<V: Visitor<'de>>(
        &self,
        m: &'de serde_json::Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        let mut access = MapAccess {
            iter: m.iter(),
            value: None,
            chain: &self.chain,
            track: self.track,
        };
        let out = visitor.visit_map(&mut access)?;
        if access.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(m.len(), &"fewer elements in map"))
        }
    }

    fn any<V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Refusal> {
        match self.v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(a) => self.array(a, visitor),
            Value::Object(m) => self.object(m, visitor),
        }
    }

    fn enumeration<V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Refusal> {
        let (variant, value) = match self.v {
            Value::String(s) => (s.as_str(), None),
            Value::Object(m) => {
                let mut it = m.iter();
                match (it.next(), it.next()) {
                    (Some((k, v)), None) => (k.as_str(), Some(v)),
                    _ => {
                        return Err(de::Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ))
                    }
                }
            }
            other => return Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        };
        visitor.visit_enum(EnumAccess {
            variant,
            value,
            chain: &self.chain,
            track: self.track,
        })
    }
}

/// One deserializer method: its result, and on an error this value's path if none is set yet.
macro_rules! located {
    ($self:ident, $e:expr) => {{
        let r = $e;
        $self.track.mark(&$self.chain, r)
    }};
}

/// Methods that read one JSON type through one visit.
macro_rules! one_type {
    ($($method:ident => $read:ident;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
            self.$read(visitor)
        }
    )*};
}

impl<'a, 'de: 'a> ValueDe<'a, 'de> {
    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Number(n) => visit_number(n, visitor),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn text<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::String(s) => visitor.visit_borrowed_str(s),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn sequence<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Array(a) => self.array(a, visitor),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Null => visitor.visit_unit(),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn everything<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(self, self.any(visitor))
    }
}

// Each method calls only the visits its type can take (as serde_json's `&Value` deserializer
// does): a struct's visitor is never asked to visit a number, so the visits it refuses are not
// compiled for every type read (most of the derive's code size).
impl<'a, 'de: 'a> de::Deserializer<'de> for ValueDe<'a, 'de> {
    type Error = Refusal;

    one_type! {
        deserialize_any => everything;
        deserialize_char => everything;
        deserialize_bytes => everything;
        deserialize_byte_buf => everything;
        deserialize_u8 => number; deserialize_u16 => number; deserialize_u32 => number;
        deserialize_u64 => number; deserialize_u128 => number; deserialize_i8 => number;
        deserialize_i16 => number; deserialize_i32 => number; deserialize_i64 => number;
        deserialize_i128 => number; deserialize_f32 => number; deserialize_f64 => number;
        deserialize_str => text; deserialize_string => text; deserialize_identifier => text;
        deserialize_seq => sequence;
        deserialize_unit => unit;
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Bool(b) => visitor.visit_bool(*b),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Null => visitor.visit_none(),
                _ => visitor.visit_some(self),
            }
        )
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        located!(self, visitor.visit_newtype_struct(self))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.sequence(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        self.sequence(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Object(m) => self.object(m, visitor),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.v {
                Value::Object(m) => self.object(m, visitor),
                other => Err(refuse(other, &visitor)),
            }
        )
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        located!(self, self.enumeration(visitor))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refusal> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a, 'de> {
    iter: std::slice::Iter<'de, Value>,
    index: usize,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a, 'de: 'a> de::SeqAccess<'de> for SeqAccess<'a, 'de> {
    type Error = Refusal;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refusal> {
        let Some(v) = self.iter.next() else {
            return Ok(None);
        };
        let chain = Chain::Index(self.chain, self.index);
        self.index += 1;
        // A seed's own errors (an untagged enum matching no variant) belong to the element.
        let r = seed.deserialize(ValueDe {
            v,
            chain,
            track: self.track,
        });
        self.track.mark(&chain, r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapAccess<'a, 'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a, 'de: 'a> de::MapAccess<'de> for MapAccess<'a, 'de> {
    type Error = Refusal;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refusal> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some((k, v));
        let r = seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some);
        if r.is_err() {
            self.track.trigger(&Chain::Key(self.chain, k));
        }
        r
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Refusal> {
        match self.value.take() {
            Some((k, v)) => {
                let chain = Chain::Key(self.chain, k);
                let r = seed.deserialize(ValueDe {
                    v,
                    chain,
                    track: self.track,
                });
                self.track.mark(&chain, r)
            }
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct EnumAccess<'a, 'de> {
    variant: &'de str,
    value: Option<&'de Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a, 'de: 'a> de::EnumAccess<'de> for EnumAccess<'a, 'de> {
    type Error = Refusal;
    type Variant = VariantAccess<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Refusal> {
        let v = seed.deserialize(StrDeserializer::new(self.variant))?;
        Ok((
            v,
            VariantAccess {
                value: self.value,
                chain: Chain::Variant(self.chain, self.variant),
                track: self.track,
            },
        ))
    }
}

struct VariantAccess<'a, 'de> {
    value: Option<&'de Value>,
    chain: Chain<'a>,
    track: &'a Track,
}

impl<'a, 'de: 'a> VariantAccess<'a, 'de> {
    fn de(&self, v: &'de Value) -> ValueDe<'_, 'de> {
        ValueDe {
            v,
            chain: self.chain,
            track: self.track,
        }
    }
}

impl<'a, 'de: 'a> de::VariantAccess<'de> for VariantAccess<'a, 'de> {
    type Error = Refusal;

    fn unit_variant(self) -> Result<(), Refusal> {
        located!(
            self,
            match self.value {
                Some(v) => de::Deserialize::deserialize(self.de(v)),
                None => Ok(()),
            }
        )
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Refusal> {
        located!(
            self,
            match self.value {
                Some(v) => seed.deserialize(self.de(v)),
                None => Err(de::Error::invalid_type(
                    Unexpected::UnitVariant,
                    &"newtype variant",
                )),
            }
        )
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.value {
                Some(Value::Array(a)) if a.is_empty() => visitor.visit_unit(),
                Some(Value::Array(a)) => self
                    .de(self.value.unwrap_or(&Value::Null))
                    .array(a, visitor),
                Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
                None => Err(de::Error::invalid_type(
                    Unexpected::UnitVariant,
                    &"tuple variant",
                )),
            }
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refusal> {
        located!(
            self,
            match self.value {
                Some(v @ Value::Object(m)) => self.de(v).object(m, visitor),
                Some(other) => Err(de::Error::invalid_type(
                    unexpected(other),
                    &"struct variant"
                )),
                None => Err(de::Error::invalid_type(
                    Unexpected::UnitVariant,
                    &"struct variant",
                )),
            }
        )
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
