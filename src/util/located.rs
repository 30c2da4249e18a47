//! Where in a [`serde_json::Value`] an error is, with `serde_path_to_error`'s path rules
//! (`targets[0].respons`, `staff.users[1]`): a map key or struct field is a segment, an array
//! index is `[i]`, an enum's variant is a segment, `Some` and newtype wrappers add none, and an
//! error on a map key (an unknown field) is located at that key.
//!
//! The reader (src/util/read.rs) turns `serde_path_to_error`'s path into this one, and the
//! `de::Error` callback that refused the value into a [`Kind`].

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
