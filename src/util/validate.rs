//! One way to read a configuration document — the policy, the site file, the CSV mapping — that
//! reports every problem at once, in cargo-deny's shape: the document's types are read with
//! their serde derives (src/util/read.rs), element by element, each refused part giving one
//! diagnostic at its exact path while the rest is still read; then the document's own checks
//! push every semantic problem into the same list; the checked form comes out only when no
//! diagnostic is an error.
//!
//! A document says what it is with [`Document`]; [`validate`] is the entry point all three use.

use crate::util::diagnostic::Diagnostic;
use crate::util::located::{Error, Kind, Path, Segment};
use crate::util::read;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A configuration document: its written form (`Self`, read by serde derive) and how it is
/// refused and checked.
pub(crate) trait Document: Sized + DeserializeOwned {
    /// The checked form.
    type Valid;

    /// The diagnostic for text that is not JSON (or nests too deep).
    fn not_json(e: &serde_json::Error) -> Diagnostic;

    /// The diagnostic for a part the reader refused, at `path` (`""`: the whole document).
    fn refused(e: &Error, path: String) -> Diagnostic;

    /// Reads the written form from the parsed JSON, pushing a diagnostic per refused part; the
    /// default reads every member of every object and array ([`Reader::members`]).
    fn read(root: Value, r: &mut Reader) -> Option<Self> {
        r.members(root)
    }

    /// Every semantic rule, section by section, pushing every problem; the checked form.
    fn check(self, r: &mut Reader) -> Option<Self::Valid>;
}

/// Reads and checks a document: the checked form (`None` when a diagnostic is an error) and
/// every diagnostic, errors and warnings, in the order they were found.
pub(crate) fn validate<D: Document>(text: &str) -> (Option<D::Valid>, Vec<Diagnostic>) {
    let mut r = Reader {
        diags: Vec::new(),
        dropped: false,
        refused: D::refused,
    };
    let valid = match serde_json::from_str::<Value>(text) {
        Ok(root) => D::read(root, &mut r).and_then(|spec| spec.check(&mut r)),
        Err(e) => {
            r.diags.push(D::not_json(&e));
            None
        }
    };
    let valid = valid.filter(|_| !r.diags.iter().any(Diagnostic::is_error));
    (valid, r.diags)
}

/// The diagnostics of one document as it is read and checked.
pub(crate) struct Reader {
    pub diags: Vec<Diagnostic>,
    /// Whether a part was left out for a structural error (not an unknown field): checks that
    /// only follow from the missing part may then stay quiet.
    pub dropped: bool,
    refused: fn(&Error, String) -> Diagnostic,
}

/// Fewer refused parts than this in one value, or the reading stops (each retry reads it all).
const MAX_REFUSED: usize = 256;

impl Reader {
    /// Reads one element (`path` is where it is in the document) as a whole: an unknown field
    /// is reported and removed and the element read again; any other error is reported and the
    /// element is left out (`None`).
    pub fn element<T: DeserializeOwned>(&mut self, v: &mut Value, path: &str) -> Option<T> {
        for _ in 0..MAX_REFUSED {
            match read::from_value::<T>(v) {
                Ok(t) => return Some(t),
                Err(e) => {
                    self.diags
                        .push((self.refused)(&e, full_path(path, &e.path.to_string())));
                    let unknown = matches!(e.kind, Kind::UnknownField { .. });
                    if !(unknown && remove(v, &e.path.0)) {
                        self.dropped = true;
                        return None;
                    }
                }
            }
        }
        None
    }

    /// Reads a whole document, every member of it: each refused value is reported at its path
    /// and removed (an array element, an object member), and the document read again, so every
    /// refused value gets its own diagnostic. A required field whose value was removed is not
    /// reported again: the struct that lacks it is removed in turn, up to the document (then
    /// `None`, once every other member has been read).
    pub fn members<T: DeserializeOwned>(&mut self, mut v: Value) -> Option<T> {
        let mut removed = Removed::default();
        for _ in 0..MAX_REFUSED {
            let e = match read::from_value::<T>(&v) {
                Ok(t) => return Some(t),
                Err(e) => e,
            };
            let at = removed.original(&e.path.0);
            let consequence = match &e.kind {
                Kind::MissingField(f) => {
                    let mut field = at.clone();
                    field.push(Segment::Key((*f).to_string()));
                    removed.keys.contains(&field)
                }
                _ => false,
            };
            if !consequence {
                let path = Path(at).to_string();
                let path = if path == "." { String::new() } else { path };
                self.diags.push((self.refused)(&e, path));
            }
            if !matches!(e.kind, Kind::UnknownField { .. }) {
                self.dropped = true;
            }
            // What goes: the refused value (or the struct missing a field); an enum's variant
            // goes with its enum.
            let mut target = e.path.0;
            while matches!(target.last(), Some(Segment::Variant(_))) {
                target.pop();
            }
            let original = removed.original(&target);
            match target.last() {
                Some(Segment::Index(_)) if remove(&mut v, &target) => {
                    let (Some(Segment::Index(i)), parent) = (original.last(), &original) else {
                        return None;
                    };
                    removed
                        .items
                        .push((parent[..parent.len() - 1].to_vec(), *i));
                }
                Some(Segment::Key(_)) if remove(&mut v, &target) => removed.keys.push(original),
                _ => return None,
            }
        }
        None
    }
}

/// What [`Reader::members`] removed, in the document's own coordinates.
#[derive(Default)]
struct Removed {
    keys: Vec<Vec<Segment>>,
    /// An array's path and the index its element had.
    items: Vec<(Vec<Segment>, usize)>,
}

impl Removed {
    /// A path in the value as it is now, as a path in the document as written (indexes after a
    /// removed element moved down by one).
    fn original(&self, now: &[Segment]) -> Vec<Segment> {
        let mut out: Vec<Segment> = Vec::with_capacity(now.len());
        for s in now {
            match s {
                Segment::Index(i) => {
                    let mut gone: Vec<usize> = self
                        .items
                        .iter()
                        .filter(|(array, _)| *array == out)
                        .map(|(_, j)| *j)
                        .collect();
                    gone.sort_unstable();
                    let mut o = *i;
                    for j in gone {
                        if j <= o {
                            o += 1;
                        }
                    }
                    out.push(Segment::Index(o));
                }
                other => out.push(other.clone()),
            }
        }
        out
    }
}

/// Removes the value at `path` (an object member or an array element) from `v`.
fn remove(v: &mut Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = v;
    for s in parents {
        cur = match (s, cur) {
            (Segment::Key(k) | Segment::Variant(k), Value::Object(o)) => match o.get_mut(k) {
                Some(x) => x,
                None => return false,
            },
            (Segment::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, cur) {
        (Segment::Key(k) | Segment::Variant(k), Value::Object(o)) => o.remove(k).is_some(),
        (Segment::Index(i), Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// `base` and a path inside the value at `base` (`.`: the value itself).
pub(crate) fn full_path(base: &str, inner: &str) -> String {
    if inner == "." {
        base.to_string()
    } else if base.is_empty() {
        inner.to_string()
    } else if inner.starts_with('[') {
        format!("{base}{inner}")
    } else {
        format!("{base}.{inner}")
    }
}
