//! Where in a [`serde_json::Value`] an error is, with `serde_path_to_error`'s path rules
//! (`targets[0].respons`, `staff.users[1]`): a map key or struct field is a segment, an array
//! index is `[i]`, an enum's variant is a segment, `Some` and newtype wrappers add none, and an
//! error on a map key (an unknown field) is located at that key.
//!
//! The library's readers (src/util/read.rs) build their errors with these paths. Before them, the
//! library deserialised through a path-tracking `Deserializer` here (behaving exactly as
//! serde_json's `&Value` deserializer, recording where the first error happened); it is now
//! compiled for the tests only, where the differential tests below still hold it, and each
//! hand-written reader, to `serde_path_to_error` over the derived `Deserialize`.

use serde::de::Unexpected;
use serde_json::{Number, Value};
use std::fmt;

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An array element.
    Index(usize),
    /// A map key or struct field.
    Key(String),
    /// An enum's variant (externally tagged).
    Variant(String),
}

/// Where an error is in the value: `calendars.office.week.mon[0]`; `.` for the value itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Path(pub Vec<Segment>);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(k) | Segment::Variant(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
            }
        }
        Ok(())
    }
}

/// What a reader refused, as data: callers choose a diagnostic code from it, never from the
/// message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A key that a `deny_unknown_fields` struct does not have, and the fields it has.
    UnknownField {
        field: String,
        expected: &'static [&'static str],
    },
    /// A required field that is not there.
    MissingField(&'static str),
    /// A name that no variant of a unit-variant enum has, and the names it has.
    UnknownVariant {
        variant: String,
        expected: &'static [&'static str],
    },
    /// A value of the wrong JSON type (serde's `invalid type`).
    InvalidType,
    /// A value of the right type that the type does not take (serde's `invalid value`).
    InvalidValue,
    /// An array too short or too long for a struct read from an array (`invalid length`).
    InvalidLength,
    /// A reader's own message.
    Custom,
}

/// A deserialisation error and where it happened.
#[derive(Debug)]
pub(crate) struct Error {
    pub path: Path,
    /// What was refused; [`Error::inner`] says it in serde's words.
    pub kind: Kind,
    pub inner: serde_json::Error,
}

/// The path to the value being read, as a list on the stack.
#[derive(Clone, Copy)]
pub(crate) enum Chain<'a> {
    Root,
    Index(&'a Chain<'a>, usize),
    Key(&'a Chain<'a>, &'a str),
    Variant(&'a Chain<'a>, &'a str),
}

impl Chain<'_> {
    pub(crate) fn path(&self) -> Path {
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

/// serde_json's description of a value in an "invalid type" message.
pub(crate) fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
pub(crate) use de::from_value;

/// The `Deserializer` that the library read through before src/util/read.rs: no longer compiled
/// into it, kept for the differential tests (src/adapters/oracle.rs), which hold it to
/// `serde_path_to_error` as before.
#[cfg(test)]
mod de {
    use super::*;
    use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
    use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
    use serde_json::Map;
    use std::cell::RefCell;

    /// Deserialises `T` from `v`, locating the first error.
    pub(crate) fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, Error> {
        let track = Track(RefCell::new(None));
        T::deserialize(De {
            v,
            chain: Chain::Root,
            track: &track,
        })
        .map_err(|inner| Error {
            path: track.0.into_inner().unwrap_or_default(),
            // The oracle compares paths and messages; the kinds are the hand-written readers'.
            kind: Kind::Custom,
            inner,
        })
    }

    /// The path of the first error, set by the innermost frame that sees it.
    struct Track(RefCell<Option<Path>>);

    impl Track {
        #[cold]
        fn trigger(&self, chain: &Chain<'_>) {
            let mut p = self.0.borrow_mut();
            if p.is_none() {
                *p = Some(chain.path());
            }
        }

        fn mark<T>(
            &self,
            chain: &Chain<'_>,
            r: Result<T, serde_json::Error>,
        ) -> Result<T, serde_json::Error> {
            if r.is_err() {
                self.trigger(chain);
            }
            r
        }
    }

    #[cold]
    fn invalid_type(v: &Value, exp: &dyn de::Expected) -> serde_json::Error {
        de::Error::invalid_type(unexpected(v), exp)
    }

    /// The deserializer: a value, its path and the shared error slot.
    struct De<'a, 'de> {
        v: &'de Value,
        chain: Chain<'a>,
        track: &'a Track,
    }

    impl<'a, 'de: 'a> De<'a, 'de> {
        fn seq<V: Visitor<'de>>(
            self,
            items: &'de [Value],
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            let mut access = SeqAccess {
                iter: items.iter(),
                index: 0,
                chain: &self.chain,
                track: self.track,
            };
            let out = visitor.visit_seq(&mut access)?;
            if access.iter.len() == 0 {
                Ok(out)
            } else {
                Err(de::Error::invalid_length(
                    items.len(),
                    &"fewer elements in array",
                ))
            }
        }

        fn map<V: Visitor<'de>>(
            self,
            map: &'de Map<String, Value>,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            let mut access = MapAccess {
                iter: map.iter(),
                value: None,
                chain: &self.chain,
                track: self.track,
            };
            let out = visitor.visit_map(&mut access)?;
            if access.iter.len() == 0 {
                Ok(out)
            } else {
                Err(de::Error::invalid_length(
                    map.len(),
                    &"fewer elements in map",
                ))
            }
        }

        fn any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
            match self.v {
                Value::Array(a) => self.seq(a, visitor),
                Value::Object(m) => self.map(m, visitor),
                v => de::Deserializer::deserialize_any(v, visitor),
            }
        }

        fn enumeration<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
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

    macro_rules! track {
        ($self:ident, $e:expr) => {{
            let chain = $self.chain;
            let track = $self.track;
            let r = $e;
            track.mark(&chain, r)
        }};
    }

    /// Scalars: serde_json's own `&Value` deserializer (a leaf's errors are located at the leaf).
    macro_rules! scalar {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
            track!(self, de::Deserializer::$method(self.v, visitor))
        }
    )*};
}

    impl<'a, 'de: 'a> de::Deserializer<'de> for De<'a, 'de> {
        type Error = serde_json::Error;

        scalar! {
            deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
            deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
            deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
            deserialize_identifier deserialize_ignored_any
        }

        fn deserialize_any<V: Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(self, self.any(visitor))
        }

        fn deserialize_option<V: Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.v {
                    Value::Null => visitor.visit_none(),
                    _ => visitor.visit_some(self),
                }
            )
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            self.deserialize_unit(visitor)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                if name == "$serde_json::private::RawValue" {
                    de::Deserializer::deserialize_newtype_struct(self.v, name, visitor)
                } else {
                    visitor.visit_newtype_struct(self)
                }
            )
        }

        fn deserialize_seq<V: Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.v {
                    Value::Array(a) => self.seq(a, visitor),
                    v => Err(invalid_type(v, &visitor)),
                }
            )
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_map<V: Visitor<'de>>(
            self,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.v {
                    Value::Object(m) => self.map(m, visitor),
                    v => Err(invalid_type(v, &visitor)),
                }
            )
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.v {
                    Value::Array(a) => self.seq(a, visitor),
                    Value::Object(m) => self.map(m, visitor),
                    v => Err(invalid_type(v, &visitor)),
                }
            )
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(self, self.enumeration(visitor))
        }
    }

    struct SeqAccess<'a, 'de> {
        iter: std::slice::Iter<'de, Value>,
        index: usize,
        chain: &'a Chain<'a>,
        track: &'a Track,
    }

    impl<'a, 'de: 'a> de::SeqAccess<'de> for SeqAccess<'a, 'de> {
        type Error = serde_json::Error;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, serde_json::Error> {
            let Some(v) = self.iter.next() else {
                return Ok(None);
            };
            let chain = Chain::Index(self.chain, self.index);
            self.index += 1;
            // A seed's own errors (an untagged enum matching no variant) belong to the element.
            let r = seed.deserialize(De {
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
        type Error = serde_json::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, serde_json::Error> {
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

        fn next_value_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<T::Value, serde_json::Error> {
            match self.value.take() {
                Some((k, v)) => {
                    let chain = Chain::Key(self.chain, k);
                    let r = seed.deserialize(De {
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
        type Error = serde_json::Error;
        type Variant = VariantAccess<'a, 'de>;

        fn variant_seed<V: DeserializeSeed<'de>>(
            self,
            seed: V,
        ) -> Result<(V::Value, Self::Variant), serde_json::Error> {
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
        fn de(&self, v: &'de Value) -> De<'_, 'de> {
            De {
                v,
                chain: self.chain,
                track: self.track,
            }
        }
    }

    impl<'a, 'de: 'a> de::VariantAccess<'de> for VariantAccess<'a, 'de> {
        type Error = serde_json::Error;

        fn unit_variant(self) -> Result<(), serde_json::Error> {
            track!(
                self,
                match self.value {
                    Some(v) => de::Deserialize::deserialize(self.de(v)),
                    None => Ok(()),
                }
            )
        }

        fn newtype_variant_seed<T: DeserializeSeed<'de>>(
            self,
            seed: T,
        ) -> Result<T::Value, serde_json::Error> {
            track!(
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

        fn tuple_variant<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.value {
                    Some(Value::Array(a)) if a.is_empty() => visitor.visit_unit(),
                    Some(v @ Value::Array(a)) => self.de(v).seq(a, visitor),
                    Some(other) =>
                        Err(de::Error::invalid_type(unexpected(other), &"tuple variant",)),
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
        ) -> Result<V::Value, serde_json::Error> {
            track!(
                self,
                match self.value {
                    Some(v @ Value::Object(m)) => self.de(v).map(m, visitor),
                    Some(other) => Err(de::Error::invalid_type(
                        unexpected(other),
                        &"struct variant",
                    )),
                    None => Err(de::Error::invalid_type(
                        Unexpected::UnitVariant,
                        &"struct variant",
                    )),
                }
            )
        }
    }
}
