//! Hand-written readers over a [`serde_json::Value`]: what `#[derive(Deserialize)]` read through
//! [`crate::util::located`] gave, with the same results, error messages and error paths, in a fraction
//! of the Wasm module's code.
//!
//! The derived code is a `visit_map` per type, compiled again for every deserializer it meets;
//! most of it was inlined into `located`'s map access, one copy per type (docs/benchmarks-log.md,
//! "Code size"). Here one non-generic walker, [`object`], reads every struct: it goes through the
//! map in its order (serde_json's `Map` is sorted), hands each known field to the type's small
//! reader, rejects unknown fields where serde would, and reads an array positionally as serde's
//! `visit_seq` does. The messages are serde's own (`missing field`, `unknown field`, `invalid
//! type`, `invalid length`, built with [`serde::de::Error`]), located as `serde_path_to_error`
//! locates them. The types keep their derived `Deserialize` (the public API, the JSON schema) and
//! that derive is the oracle: `located`'s differential test holds every reader here to it.

use crate::util::located::{unexpected, Chain, Kind};
use serde::de::{self, Unexpected};
use serde_json::{Number, Value};
use std::collections::BTreeMap;

/// A located error, boxed: every `?` in the readers moves one pointer, not the error.
pub(crate) type Error = Box<crate::util::located::Error>;
pub(crate) type R<T> = Result<T, Error>;

/// A type read from a JSON value at a path.
pub(crate) trait Read: Sized {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self>;
}

/// Reads `T` from `v`, locating the first error.
pub(crate) fn from_value<T: Read>(v: &Value) -> R<T> {
    T::read(v, &Chain::Root)
}

/// An error at `at`.
#[cold]
pub(crate) fn fail(at: &Chain<'_>, kind: Kind, inner: serde_json::Error) -> Error {
    Box::new(crate::util::located::Error {
        path: at.path(),
        kind,
        inner,
    })
}

/// `invalid type: <what v is>, expected <exp>` at `at`.
#[cold]
pub(crate) fn invalid_type(v: &Value, at: &Chain<'_>, exp: &str) -> Error {
    fail(
        at,
        Kind::InvalidType,
        de::Error::invalid_type(unexpected(v), &exp),
    )
}

/// A message of serde's own (`data did not match any variant ...`) at `at`.
#[cold]
pub(crate) fn custom(at: &Chain<'_>, msg: &str) -> Error {
    fail(at, Kind::Custom, de::Error::custom(msg))
}

/// A required field that was not there.
pub(crate) fn req<T>(x: Option<T>, at: &Chain<'_>, name: &'static str) -> R<T> {
    match x {
        Some(x) => Ok(x),
        None => Err(missing(at, name)),
    }
}

#[cold]
fn missing(at: &Chain<'_>, name: &'static str) -> Error {
    fail(at, Kind::MissingField(name), de::Error::missing_field(name))
}

/// An `Option` field: missing and `null` are both `None`.
pub(crate) fn opt<T>(x: Option<Option<T>>) -> Option<T> {
    x.flatten()
}

/// A `#[serde(default)]` field.
pub(crate) fn dflt<T: Default>(x: Option<T>) -> T {
    x.unwrap_or_default()
}

/// What a struct's derived `Deserialize` knows about it.
pub(crate) struct Shape {
    /// What its visitor expects: `struct User` (or the `expecting` attribute).
    pub name: &'static str,
    /// Its field names as JSON spells them, in declaration order (serde's `FIELDS`).
    pub fields: &'static [&'static str],
    /// Bit `i`: field `i` has a default, so an array may stop before it.
    pub defaults: u64,
    /// Bit `i`: field `i` must be in an object (`missing field`); neither a default nor an
    /// `Option`.
    pub required: u64,
    /// An array too short says how many fields there are (`struct X with 3 elements`), unless
    /// the struct names its own `expecting`.
    pub counted: bool,
    /// `#[serde(deny_unknown_fields)]`.
    pub deny_unknown: bool,
    /// An array reads too, field by field (`visit_seq`): not for an untagged enum's struct
    /// variant nor for a struct with a flattened field.
    pub seq: bool,
    /// `#[serde(flatten)]` on a map field: each unknown key goes to the reader as field
    /// `usize::MAX`.
    pub flatten: bool,
}

/// The bits of [`Shape::defaults`].
pub(crate) const fn mask(defaults: &[bool]) -> u64 {
    let mut m = 0;
    let mut i = 0;
    while i < defaults.len() {
        if defaults[i] {
            m |= 1 << i;
        }
        i += 1;
    }
    m
}

/// One field's reader: its index in [`Shape::fields`], its key, its value and where it is.
pub(crate) type FieldFn<'f> = dyn FnMut(usize, &str, &Value, &Chain<'_>) -> R<()> + 'f;

/// Walks a struct's value as its derived `visit_map` (an object) or `visit_seq` (an array)
/// does, handing each field to `field`, and reports the first missing required field.
pub(crate) fn object(v: &Value, at: &Chain<'_>, shape: &Shape, field: &mut FieldFn<'_>) -> R<()> {
    match v {
        Value::Object(m) => {
            let mut seen = 0u64;
            for (k, val) in m {
                let key = Chain::Key(at, k);
                match shape.fields.iter().position(|f| f == k) {
                    Some(i) => {
                        seen |= 1 << i;
                        field(i, k, val, &key)?
                    }
                    None if shape.flatten => field(usize::MAX, k, val, &key)?,
                    None if shape.deny_unknown => return Err(unknown_field(&key, k, shape.fields)),
                    None => {}
                }
            }
            // After the walk, in declaration order, as the derive checks them.
            match shape.required & !seen {
                0 => Ok(()),
                absent => Err(missing(at, shape.fields[absent.trailing_zeros() as usize])),
            }
        }
        Value::Array(a) if shape.seq => {
            let n = shape.fields.len();
            for (i, name) in shape.fields.iter().enumerate() {
                match a.get(i) {
                    Some(val) => field(i, name, val, &Chain::Index(at, i))?,
                    None if shape.defaults & (1 << i) != 0 => {}
                    None => return Err(too_short(at, shape, i)),
                }
            }
            if a.len() > n {
                return Err(fail(
                    at,
                    Kind::InvalidLength,
                    de::Error::invalid_length(a.len(), &"fewer elements in array"),
                ));
            }
            Ok(())
        }
        _ => Err(invalid_type(v, at, shape.name)),
    }
}

#[cold]
fn too_short(at: &Chain<'_>, shape: &Shape, i: usize) -> Error {
    let n = shape.fields.len();
    let exp = if !shape.counted {
        shape.name.to_string()
    } else if n == 1 {
        format!("{} with 1 element", shape.name)
    } else {
        format!("{} with {n} elements", shape.name)
    };
    fail(
        at,
        Kind::InvalidLength,
        de::Error::invalid_length(i, &exp.as_str()),
    )
}

#[cold]
fn unknown_field(at: &Chain<'_>, field: &str, expected: &'static [&'static str]) -> Error {
    let inner = de::Error::unknown_field(field, expected);
    let field = field.to_string();
    fail(at, Kind::UnknownField { field, expected }, inner)
}

#[cold]
fn unknown_variant(at: &Chain<'_>, variant: &str, expected: &'static [&'static str]) -> Error {
    let inner = de::Error::unknown_variant(variant, expected);
    let variant = variant.to_string();
    fail(at, Kind::UnknownVariant { variant, expected }, inner)
}

/// A unit-variant enum (`"response"`), read as serde reads an externally tagged enum from a
/// value: a string, or an object with one key whose value is `null`. The variant's index.
pub(crate) fn unit_variant(
    v: &Value,
    at: &Chain<'_>,
    variants: &'static [&'static str],
) -> R<usize> {
    let (name, value) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Object(m) => match (m.len(), m.iter().next()) {
            (1, Some((k, v))) => (k.as_str(), Some(v)),
            _ => {
                return Err(fail(
                    at,
                    Kind::InvalidValue,
                    de::Error::invalid_value(Unexpected::Map, &"map with a single key"),
                ))
            }
        },
        _ => return Err(invalid_type(v, at, "string or map")),
    };
    let Some(i) = variants.iter().position(|x| *x == name) else {
        return Err(unknown_variant(at, name, variants));
    };
    match value {
        None | Some(Value::Null) => Ok(i),
        Some(other) => Err(invalid_type(other, &Chain::Variant(at, name), "unit")),
    }
}

/// A number out of an integer type's range, or a float: serde's primitive visitors' messages.
#[cold]
fn bad_number(n: &Number, at: &Chain<'_>, exp: &str) -> Error {
    let u = if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        return fail(
            at,
            Kind::InvalidType,
            de::Error::invalid_type(Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)), &exp),
        );
    };
    fail(at, Kind::InvalidValue, de::Error::invalid_value(u, &exp))
}

impl Read for String {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(v, at, "a string")),
        }
    }
}

impl Read for compact_str::CompactString {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::String(s) => Ok(s.as_str().into()),
            _ => Err(invalid_type(v, at, "a string")),
        }
    }
}

impl Read for bool {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(invalid_type(v, at, "a boolean")),
        }
    }
}

impl Read for i64 {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::Number(n) => n.as_i64().ok_or_else(|| bad_number(n, at, "i64")),
            _ => Err(invalid_type(v, at, "i64")),
        }
    }
}

impl Read for u32 {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|u| u32::try_from(u).ok())
                .ok_or_else(|| bad_number(n, at, "u32")),
            _ => Err(invalid_type(v, at, "u32")),
        }
    }
}

impl Read for Value {
    fn read(v: &Value, _: &Chain<'_>) -> R<Self> {
        Ok(v.clone())
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        match v {
            Value::Null => Ok(None),
            _ => T::read(v, at).map(Some),
        }
    }
}

/// The elements of an array, each read by `item`; anything else is `expected a sequence`.
pub(crate) fn items(
    v: &Value,
    at: &Chain<'_>,
    item: &mut dyn FnMut(&Value, &Chain<'_>) -> R<()>,
) -> R<usize> {
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                item(x, &Chain::Index(at, i))?;
            }
            Ok(a.len())
        }
        _ => Err(invalid_type(v, at, "a sequence")),
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        let mut out = Vec::new();
        items(v, at, &mut |x, at| {
            out.push(T::read(x, at)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// The entries of an object, each read by `entry`; anything else is `expected a map`.
pub(crate) fn entries(
    v: &Value,
    at: &Chain<'_>,
    entry: &mut dyn FnMut(&str, &Value, &Chain<'_>) -> R<()>,
) -> R<()> {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                entry(k, x, &Chain::Key(at, k))?;
            }
            Ok(())
        }
        _ => Err(invalid_type(v, at, "a map")),
    }
}

impl<K: Ord + for<'k> From<&'k str>, T: Read> Read for BTreeMap<K, T> {
    fn read(v: &Value, at: &Chain<'_>) -> R<Self> {
        let mut out = BTreeMap::new();
        entries(v, at, &mut |k, x, at| {
            out.insert(K::from(k), T::read(x, at)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// A struct's [`Read`], from its fields as the derive sees them (the syntax, not a doctest: the
/// macro is crate-internal; every use is in the adapters, the policy and the ticket types):
///
/// ```text
/// read_struct!(User, "struct User", deny = false, {   // or `expecting "..."` for serde's attribute
///     login: "login" => req,               // required (a type with a `Default`, never used)
///     ref_: "ref" => must,                 // required, a type without a `Default`
///     name: "name" => opt,                 // an Option without `default`
///     labels: "labels" => default,         // #[serde(default)]
///     calendar: "calendar" => with(default_calendar), // #[serde(default = "...")]
///     id: "id" => default via id_string,   // deserialize_with
/// });
/// ```
///
/// Each field is a local holding its default (or `None`) that the walk overwrites; [`object`]
/// reports a missing required field, so the struct is built without a check per field.
macro_rules! read_struct {
    ($ty:ident, expecting $name:literal, deny = $deny:literal, { $($fields:tt)* }) => {
        $crate::util::read::read_struct!(@impl $ty, $name, false, $deny, { $($fields)* });
    };
    ($ty:ident, $name:literal, deny = $deny:literal, { $($fields:tt)* }) => {
        $crate::util::read::read_struct!(@impl $ty, $name, true, $deny, { $($fields)* });
    };
    (@impl $ty:ident, $name:literal, $counted:literal, $deny:literal, {
        $($field:ident : $key:literal => $how:ident $(($f:path))? $(via $r:path)?),* $(,)?
    }) => {
        impl $crate::util::read::Read for $ty {
            fn read(
                v: &serde_json::Value,
                at: &$crate::util::located::Chain<'_>,
            ) -> $crate::util::read::R<Self> {
                #[allow(non_camel_case_types, non_upper_case_globals, dead_code)]
                mod idx {
                    pub(super) enum F { $($field),* }
                    $(pub(super) const $field: usize = F::$field as usize;)*
                }
                const SHAPE: $crate::util::read::Shape = $crate::util::read::Shape {
                    name: $name,
                    fields: &[$($key),*],
                    defaults: $crate::util::read::mask(&[$($crate::util::read::read_struct!(@def $how)),*]),
                    required: $crate::util::read::mask(&[$($crate::util::read::read_struct!(@req $how)),*]),
                    counted: $counted,
                    deny_unknown: $deny,
                    seq: true,
                    flatten: false,
                };
                $(let mut $field = $crate::util::read::read_struct!(@init $how $(, $f)?);)*
                $crate::util::read::object(v, at, &SHAPE, &mut |i, _, v, at| {
                    match i {
                        $(idx::$field => {
                            $field = $crate::util::read::read_struct!(@read $how, v, at $(, $r)?)
                        })*
                        _ => {}
                    }
                    Ok(())
                })?;
                Ok($ty {
                    $($field: $crate::util::read::read_struct!(@finish $how, $field, $key, at),)*
                })
            }
        }
    };
    (@def default) => { true };
    (@def with) => { true };
    (@def $how:ident) => { false };
    (@req req) => { true };
    (@req must) => { true };
    (@req $how:ident) => { false };
    (@init with, $f:path) => { $f() };
    (@init must) => { None };
    (@init $how:ident) => { Default::default() };
    (@read must, $v:ident, $at:ident) => { Some($crate::util::read::Read::read($v, $at)?) };
    (@read $how:ident, $v:ident, $at:ident) => { $crate::util::read::Read::read($v, $at)? };
    (@read $how:ident, $v:ident, $at:ident, $r:path) => { $r($v, $at)? };
    (@finish must, $field:ident, $key:literal, $at:ident) => {
        $crate::util::read::req($field, $at, $key)?
    };
    (@finish $how:ident, $field:ident, $key:literal, $at:ident) => { $field };
}
pub(crate) use read_struct;
