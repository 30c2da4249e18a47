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

/// A deserialisation error and where it happened.
#[derive(Debug)]
pub(crate) struct Error {
    pub path: Path,
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

/// The `Deserializer` that the library read through before src/util/read.rs: no longer compiled into
/// it, kept for the differential tests below, which hold it to `serde_path_to_error` as before.
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

#[cfg(test)]
pub(crate) use de::from_value;

#[cfg(test)]
mod tests {
    //! Differential test against `serde_path_to_error`, which this module replaces: every value
    //! of the fixtures, replaced by values of every JSON type, keys removed and unknown keys
    //! added, must give the same result, path, segments and message through both.
    use super::*;
    use crate::adapters::{github, gitlab, jira, redmine};
    use crate::calendar::CalendarSpec;
    use crate::policy::{LevelSpec, PolicySpec, TargetSpec, TierSpec};
    use crate::util::read::Read;
    use serde::de::DeserializeOwned;
    use serde_json::json;
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
                    serde_path_to_error::Segment::Enum { variant } => {
                        Segment::Variant(variant.clone())
                    }
                    serde_path_to_error::Segment::Unknown => Segment::Key("?".into()),
                })
                .collect();
            (e.path().to_string(), segs, e.inner().to_string())
        }))
    }

    fn ours<T: DeserializeOwned + Debug>(v: &Value) -> String {
        outcome(from_value::<T>(v).map_err(|e| (e.path.to_string(), e.path.0, e.inner.to_string())))
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
            assert_eq!(ours::<T>(m), p2e::<T>(m), "input: {m}");
        }
        all.len() + 1
    }

    /// The hand-written reader of `T` (src/util/read.rs) against its derived `Deserialize`.
    fn hand<T: Read + Debug>(v: &Value) -> String {
        outcome(
            crate::util::read::from_value::<T>(v)
                .map_err(|e| (e.path.to_string(), e.path.0, e.inner.to_string())),
        )
    }

    /// [`same`], and the hand-written reader gives the same on every input too.
    fn both<T: Read + DeserializeOwned + Debug>(v: &Value) -> usize {
        let all = mutations(v);
        for m in std::iter::once(v).chain(&all) {
            let oracle = p2e::<T>(m);
            assert_eq!(ours::<T>(m), oracle, "input: {m}");
            assert_eq!(hand::<T>(m), oracle, "hand-written reader, input: {m}");
        }
        all.len() + 1
    }

    #[test]
    fn policies_read_as_through_serde_path_to_error() {
        let mut n = 0;
        for p in ["policies/default.json", "policies/business-hours.json"] {
            let v = fixture(p);
            n += both::<PolicySpec>(&v);
            for t in v["targets"].as_array().into_iter().flatten() {
                n += both::<TargetSpec>(t);
            }
            for t in v["priorities"].as_array().into_iter().flatten() {
                n += both::<TierSpec>(t);
            }
            for l in v["escalation"]["levels"].as_array().into_iter().flatten() {
                n += both::<LevelSpec>(l);
            }
            for c in v["calendars"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                n += both::<CalendarSpec>(c);
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
        n += both::<crate::policy::EscalationSpec>(&esc);
        n += both::<crate::policy::AtRiskSpec>(&esc["atRisk"]);
        for a in esc["atRisk"]["actions"].as_array().into_iter().flatten() {
            n += both::<crate::policy::ActionSpec>(a);
        }
        assert!(n > 5_000, "{n} cases");
    }

    fn v_level() -> Value {
        fixture("policies/default.json")["escalation"]["levels"][0].clone()
    }

    #[test]
    fn tracker_responses_read_as_through_serde_path_to_error() {
        let gh = fixture("tests/fixtures/github/bundles.json");
        both::<github::Bundle>(&gh[0]);
        both::<github::Issue>(&gh[0]["issue"]);
        for e in gh[0]["timeline"].as_array().into_iter().flatten().take(4) {
            both::<github::TimelineEvent>(e);
        }
        for c in gh[0]["comments"].as_array().into_iter().flatten().take(2) {
            both::<github::Comment>(c);
        }
        both::<github::Issue>(&fixture("tests/fixtures/github/issues.json")[0]);
        let gl = fixture("tests/fixtures/gitlab/bundles.json");
        both::<gitlab::Bundle>(&gl[0]);
        both::<gitlab::Issue>(&gl[0]["issue"]);
        for (k, name) in [
            ("resource_state_events", 0),
            ("resource_label_events", 1),
            ("notes", 2),
        ] {
            for e in gl[0][k].as_array().into_iter().flatten().take(2) {
                match name {
                    0 => both::<gitlab::StateEvent>(e),
                    1 => both::<gitlab::LabelEvent>(e),
                    _ => both::<gitlab::Note>(e),
                };
            }
        }
        both::<jira::Issue>(&fixture("tests/fixtures/jira/issue.json"));
        both::<jira::Issue>(&fixture("tests/fixtures/jira/search.json")["issues"][0]);
        for i in 1..=12 {
            both::<redmine::Issue>(
                &fixture(&format!("tests/fixtures/redmine/issues/{i}.json"))["issue"],
            );
        }
        both::<redmine::Group>(&fixture("tests/fixtures/redmine/groups/9.json")["group"]);
        both::<Vec<redmine::IssueStatus>>(
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
                n += both::<crate::ticket::ReadTicket>(t);
            }
        }
        assert!(n > 200, "{n} cases");
    }

    #[test]
    fn enums_and_maps_read_as_through_serde_path_to_error() {
        use crate::adapters::StaffRule;
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
            both::<crate::policy::MetricKind>(&v);
            both::<crate::policy::TimeBasis>(&v);
            both::<crate::policy::TriggerSpec>(&json!({"metric": v.clone(), "time": v}));
        }
        both::<BTreeMap<String, Vec<String>>>(&json!({"a": ["x"], "b": [1]}));
        same::<(String, u32)>(&json!(["a", 1, 2]));
        same::<Option<Vec<Option<u32>>>>(&json!([1, null, -2]));
    }
}
