//! Board rows: the compact batch projection of `<sla-board>` (`www/board/`, `evaluateRows`).
//!
//! `evaluate` gives every ticket's full evaluation (~1.2 KB of JSON each); a 10,000-row table
//! needs ~20 values per row. [`board_rows`] evaluates the same batch and keeps only those:
//! numbers row-major ([`BOARD_ROW_FIELDS`] per row) and every text once in a string table.
//! The binding turns `numbers` into a Float64Array; badges on screen ask for their full result
//! lazily.

use crate::eval::{evaluate, Applicability};
use crate::policy::Policy;
use crate::ticket::{Ticket, TicketError};
use crate::time::Instant;
use serde::Serialize;

/// A field of one row of `BoardRows.numbers`. `…Ms` are epoch ms; a field in `stringFields`
/// holds an index into `BoardRows.strings` (-1: none); a missing number is `NaN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum BoardRowField {
    Index,
    Id,
    State,
    Headline,
    Applicability,
    Calendar,
    DeadlineMs,
    UntilDeadline,
    Remaining,
    PercentUsed,
    Level,
    LevelRole,
    PriorityId,
    PriorityName,
    CategoryId,
    CategoryName,
    Status,
    Assignee,
    Title,
    Url,
    CreatedMs,
    NextChangeMs,
    Missing,
}

/// The row layout of [`BoardRows::numbers`], in order; `true`: an index into the string table.
pub const BOARD_ROW_FIELDS: [(BoardRowField, bool); 23] = {
    use BoardRowField as F;
    [
        (F::Index, false),
        (F::Id, true),
        (F::State, true),
        (F::Headline, true),
        (F::Applicability, true),
        (F::Calendar, true),
        (F::DeadlineMs, false),
        (F::UntilDeadline, false),
        (F::Remaining, false),
        (F::PercentUsed, false),
        (F::Level, false),
        (F::LevelRole, true),
        (F::PriorityId, true),
        (F::PriorityName, true),
        (F::CategoryId, true),
        (F::CategoryName, true),
        (F::Status, true),
        (F::Assignee, true),
        (F::Title, true),
        (F::Url, true),
        (F::CreatedMs, false),
        (F::NextChangeMs, false),
        (F::Missing, true),
    ]
};

/// Where a row's per-ticket texts (id, title, URL) are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    /// Pushed to this call's string table.
    Pushed,
    /// Kept by the caller, made once per batch with [`kept_texts`]: ticket `i`'s at `3 * i + k`
    /// (`k`: 0 id, 1 title, 2 URL), and the call's string table continues after them (its
    /// indices start at `3 * batch.len()`).
    Kept,
}

/// A ticket's three kept texts (see [`Texts::Kept`]): id, title, URL, `""` where none.
pub fn kept_texts(t: &Ticket) -> [&str; 3] {
    [
        t.id.as_str(),
        t.title.as_deref().unwrap_or(""),
        t.url.as_deref().unwrap_or(""),
    ]
}

/// A ticket that could not be read or evaluated, with its position in the batch.
#[derive(Serialize, Debug)]
pub struct IndexedError {
    pub index: usize,
    #[serde(flatten)]
    pub error: TicketError,
}

/// A batch's rows: what `evaluateRows` returns (the binding hands `numbers` over as a
/// Float64Array, the TypeScript type says so).
#[derive(Serialize, Debug)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BoardRows<'a> {
    /// Field names of each row, in order (`fields.length` numbers per row).
    pub fields: Vec<BoardRowField>,
    /// Which fields are indices into `strings`.
    pub string_fields: Vec<BoardRowField>,
    /// One row per readable ticket, in batch order (`index`: position in the batch).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Float64Array"))]
    pub numbers: Vec<f64>,
    /// Every text the rows refer to, each once.
    pub strings: Vec<&'a str>,
    /// One per ticket that could not be read or evaluated, with its position.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "(TicketErrorInfo & { index: number })[]")
    )]
    pub errors: Vec<IndexedError>,
    /// The earliest `nextChangeMs` (at least now); null when nothing changes without an event.
    pub next_change: Option<i64>,
}

/// Strings by first use (low-cardinality ones once each); `None` → -1. Indices start at `base`.
#[derive(Default)]
struct StringTable<'a> {
    index: std::collections::HashMap<&'a str, u32, foldhash::fast::FixedState>,
    list: Vec<&'a str>,
    base: u32,
}

impl<'a> StringTable<'a> {
    fn id(&mut self, s: Option<&'a str>) -> f64 {
        let Some(s) = s else { return -1.0 };
        let next = self.base + self.list.len() as u32;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.list.push(s);
        }
        f64::from(i)
    }

    /// A text that is (nearly) unique per row (id, title, URL): added without a lookup.
    fn push(&mut self, s: Option<&'a str>) -> f64 {
        let Some(s) = s else { return -1.0 };
        self.list.push(s);
        f64::from(self.base) + (self.list.len() - 1) as f64
    }
}

/// The `kind` of an applicability, as `evaluate` writes it.
pub fn applicability_kind(a: &Applicability<'_>) -> &'static str {
    match a {
        Applicability::Applies => "applies",
        Applicability::NotIncluded => "notIncluded",
        Applicability::Excluded { .. } => "excluded",
        Applicability::NoPriority => "noPriority",
        Applicability::NoTarget => "noTarget",
    }
}

/// Evaluates `batch` at `now` under `policy` and projects each result to a row.
pub fn board_rows<'a>(
    policy: &'a Policy,
    batch: &'a [Result<Ticket, TicketError>],
    now: Instant,
    texts: Texts,
) -> BoardRows<'a> {
    let mut evals = Vec::with_capacity(batch.len());
    let mut errors = Vec::new();
    for (index, t) in batch.iter().enumerate() {
        match t {
            Ok(t) => match evaluate(policy, t, now) {
                Ok(ev) => evals.push((index, t, ev)),
                Err(error) => errors.push(IndexedError { index, error }),
            },
            Err(e) => errors.push(IndexedError {
                index,
                error: e.clone(),
            }),
        }
    }
    let num = |x: Option<i64>| x.map_or(f64::NAN, |v| v as f64);
    let mut strings = StringTable {
        base: match texts {
            Texts::Pushed => 0,
            Texts::Kept => 3 * batch.len() as u32,
        },
        ..StringTable::default()
    };
    // A per-ticket text: pushed to this call's table, or the kept array's slot.
    let own =
        |strings: &mut StringTable<'a>, index: usize, k: usize, s: Option<&'a str>| match texts {
            Texts::Pushed => strings.push(s),
            Texts::Kept => s.map_or(-1.0, |_| (3 * index + k) as f64),
        };
    let mut numbers = Vec::with_capacity(evals.len() * BOARD_ROW_FIELDS.len());
    let mut next: Option<i64> = None;
    for (index, t, ev) in &evals {
        let index = *index;
        let m = ev.metric(ev.headline);
        let cur = ev.escalation.current.as_ref();
        let nc = ev.next_change.map(|a| a.0);
        if let Some(n) = nc {
            next = Some(next.map_or(n, |x| x.min(n)));
        }
        numbers.extend_from_slice(&[
            index as f64,
            own(&mut strings, index, 0, Some(t.id.as_str())),
            strings.id(Some(ev.state.as_str())),
            strings.id(Some(ev.headline.as_str())),
            strings.id(Some(applicability_kind(&ev.applicability))),
            strings.id(ev.calendar),
            num(m.deadline.map(|d| d.0 * 1000)),
            num(m.until_deadline),
            num(m.remaining),
            m.percent_used.unwrap_or(f64::NAN),
            // -1: the level is unknown (a snapshot's unknown badge).
            if ev.escalation.unknown {
                -1.0
            } else {
                f64::from(cur.map_or(0, |c| c.level))
            },
            strings.id(cur.map(|c| c.role)),
            strings.id(ev.priority.map(|p| p.tier.id.as_str())),
            strings.id(ev.priority.map(|p| p.tier.name.as_str())),
            strings.id(ev.category.map(|c| c.tier.id.as_str())),
            strings.id(ev.category.map(|c| c.tier.name.as_str())),
            strings.id(ev.status),
            strings.id(t.assignee.as_deref()),
            own(&mut strings, index, 1, t.title.as_deref()),
            own(&mut strings, index, 2, t.url.as_deref()),
            (t.created * 1000) as f64,
            num(nc.map(|n| n * 1000)),
            strings.id(m.missing.map(|x| x.as_str())),
        ]);
    }
    BoardRows {
        fields: BOARD_ROW_FIELDS.iter().map(|f| f.0).collect(),
        string_fields: BOARD_ROW_FIELDS
            .iter()
            .filter(|f| f.1)
            .map(|f| f.0)
            .collect(),
        numbers,
        strings: strings.list,
        errors,
        next_change: next.map(|t| t.max(now) * 1000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = 1_772_359_200; // 2026-03-01T10:00:00Z

    fn batch() -> Vec<Result<Ticket, TicketError>> {
        Ticket::parse_batch(
            r#"[{"id": "a", "title": "First", "created": "2026-03-01T08:00:00Z",
                 "labels": ["dept:marketing"], "fields": {"priority": "High"}},
                {"id": "b"},
                {"id": "c", "url": "https://x/c", "created": "2026-03-01T09:00:00Z",
                 "labels": ["dept:marketing"], "assignee": "sam"}]"#,
        )
        .unwrap()
    }

    use BoardRowField as F;

    fn field(rows: &BoardRows<'_>, row: usize, name: BoardRowField) -> f64 {
        let k = rows.fields.iter().position(|f| *f == name).unwrap();
        rows.numbers[row * rows.fields.len() + k]
    }

    fn text<'a>(
        rows: &BoardRows<'a>,
        row: usize,
        name: BoardRowField,
        base: usize,
    ) -> Option<&'a str> {
        let i = field(rows, row, name);
        (i >= 0.0).then(|| rows.strings[i as usize - base])
    }

    #[test]
    fn rows_hold_the_evaluation_and_texts_once() {
        let p = Policy::from_json(crate::policy::DEFAULT_POLICY_JSON).unwrap();
        let b = batch();
        let rows = board_rows(&p, &b, NOW, Texts::Pushed);
        assert_eq!(rows.fields.len(), BOARD_ROW_FIELDS.len());
        assert_eq!(rows.numbers.len(), 2 * rows.fields.len());
        assert!(rows.string_fields.contains(&F::Title));
        assert!(!rows.string_fields.contains(&F::DeadlineMs));
        let names = serde_json::to_value(&rows.fields).unwrap();
        assert_eq!(names[6], "deadlineMs");
        assert_eq!(names[21], "nextChangeMs");
        // The unreadable ticket is an error with its position, not a row.
        assert_eq!(rows.errors.len(), 1);
        assert_eq!(rows.errors[0].index, 1);
        assert_eq!(field(&rows, 0, F::Index), 0.0);
        assert_eq!(field(&rows, 1, F::Index), 2.0);
        assert_eq!(text(&rows, 0, F::Id, 0), Some("a"));
        assert_eq!(text(&rows, 0, F::Title, 0), Some("First"));
        assert_eq!(text(&rows, 0, F::Url, 0), None);
        assert_eq!(text(&rows, 1, F::Url, 0), Some("https://x/c"));
        assert_eq!(text(&rows, 1, F::Assignee, 0), Some("sam"));
        assert_eq!(field(&rows, 0, F::CreatedMs), 1_772_352_000_000.0);
        assert!(field(&rows, 0, F::DeadlineMs) > 1_772_352_000_000.0);
        // Each evaluation's state and headline, each text once.
        let ev = crate::eval::evaluate(&p, b[0].as_ref().unwrap(), NOW).unwrap();
        assert_eq!(text(&rows, 0, F::State, 0), Some(ev.state.as_str()));
        let kind = applicability_kind(&ev.applicability);
        assert_eq!(text(&rows, 0, F::Applicability, 0), Some(kind));
        let mut unique = rows.strings.clone();
        unique.sort_unstable();
        let states = unique
            .iter()
            .filter(|s| **s == ev.headline.as_str())
            .count();
        assert_eq!(states, 1);
        // The batch's next change: the earliest row's, in ms, never before now.
        let earliest = (0..2)
            .map(|r| field(&rows, r, F::NextChangeMs))
            .filter(|x| !x.is_nan())
            .reduce(f64::min);
        assert!(earliest.is_some());
        let want = earliest.map(|e| e.max(NOW as f64 * 1000.0));
        assert_eq!(rows.next_change.map(|n| n as f64), want);
    }

    #[test]
    fn kept_texts_are_referred_to_by_slot() {
        let p = Policy::from_json(crate::policy::DEFAULT_POLICY_JSON).unwrap();
        let b = batch();
        let rows = board_rows(&p, &b, NOW, Texts::Kept);
        // Ticket 2 (the third) keeps its id at 6, its URL at 8; no title: -1.
        assert_eq!(field(&rows, 1, F::Id), 6.0);
        assert_eq!(field(&rows, 1, F::Title), -1.0);
        assert_eq!(field(&rows, 1, F::Url), 8.0);
        assert_eq!(kept_texts(b[2].as_ref().unwrap()), ["c", "", "https://x/c"]);
        // The call's own strings start after the kept ones, and hold no per-ticket text.
        let ev = crate::eval::evaluate(&p, b[0].as_ref().unwrap(), NOW).unwrap();
        let kind = applicability_kind(&ev.applicability);
        assert_eq!(text(&rows, 0, F::Applicability, 9), Some(kind));
        assert!(!rows.strings.contains(&"First"));
        let pushed = board_rows(&p, &b, NOW, Texts::Pushed);
        assert_eq!(rows.next_change, pushed.next_change);
    }
}
