//! CSV issue exports, as Redmine and Jira write them, mapped to tickets through a column mapping.
//!
//! A CSV export is a snapshot: one row per issue with the *current* values. It has no status
//! history, and (Redmine) no comment times, so what it cannot give is reported in
//! [`CsvExport::unknown`] rather than guessed; the dashboard shows those metrics as unknown.
//!
//! - **Redmine** (`redmine-csv`): the issue list's *CSV* link. Headers are the column captions in
//!   the exporting user's language (`#`, `Subject`, `Created`, … / `Thema`, `Angelegt`, …), the
//!   separator is the language's (`,` in English, `;` in German, French, …), dates are in the
//!   user's date and time format (English default `11/27/2026 10:00 AM`) and the user's time zone
//!   (or the server's), to the minute. UTF-8 exports start with a BOM; the default encoding of
//!   most languages is ISO-8859-1. The default "selected columns" export has no `Created`
//!   column: choose "All columns" (or add Created to the list).
//! - **Jira** (`jira-csv`): *Export → CSV (all fields / current fields)*. Repeated columns
//!   (`Labels`, `Comment`, `Component/s`, `Watchers`) hold one value each; a `Comment` cell is
//!   `date;author;body`; custom fields are `Custom field (Name)`; dates are in the user's Jira
//!   format, by default `27/Nov/26 10:05 AM`, in the user's time zone.
//!
//! Local times carry no offset, so the mapping must name the export's time zone. A local time
//! that happens twice (the hour repeated when clocks fall back) is read as the earlier instant;
//! one that does not exist (skipped when clocks spring forward) is moved forward by the gap —
//! DESIGN.md, rule 3.

use super::put;
use crate::ticket::{
    CommentInput, FieldValue, Missing, Stamp, StatusChangeInput, TicketError, TicketInput,
};
use crate::time::format_instant;
use crate::time::zone::Tz;
use crate::util::diagnostic::{Diagnostic, Diagnostics};
use crate::util::located::{self, Kind};
use crate::util::validate::{validate, Document, Reader};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// The CSV exports sla-lens reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CsvFormat {
    #[serde(rename = "redmine-csv")]
    Redmine,
    #[serde(rename = "jira-csv")]
    Jira,
}

impl CsvFormat {
    pub const ALL: [CsvFormat; 2] = [CsvFormat::Redmine, CsvFormat::Jira];

    pub fn as_str(self) -> &'static str {
        match self {
            CsvFormat::Redmine => "redmine-csv",
            CsvFormat::Jira => "jira-csv",
        }
    }

    /// The default date and time format of the tracker's English interface (chrono `strftime`).
    pub fn default_date_format(self) -> &'static str {
        match self {
            CsvFormat::Redmine => "%m/%d/%Y %I:%M %p",
            CsvFormat::Jira => "%d/%b/%y %I:%M %p",
        }
    }
}

impl fmt::Display for CsvFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CsvFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        CsvFormat::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown CSV format `{s}`: expected redmine-csv or jira-csv"))
    }
}

/// The ticket parts a column can feed, in the order the mapping documents them.
pub const TARGETS: [&str; 16] = [
    "id",
    "title",
    "url",
    "created",
    "closed",
    "status",
    "priority",
    "category",
    "assignee",
    "requester",
    "project",
    "tracker",
    "labels",
    "comments",
    "requesterGroup",
    "firstResponse",
];

/// Redmine's column captions in the languages whose exports are read without a mapping
/// (config/locales/*.yml of Redmine 5: en, de, fr, es, it, nl, pt-BR, ru).
const REDMINE_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["#"]),
    (
        "title",
        &[
            "Subject",
            "Thema",
            "Sujet",
            "Asunto",
            "Oggetto",
            "Onderwerp",
            "Título",
            "Тема",
        ],
    ),
    (
        "created",
        &[
            "Created",
            "Angelegt",
            "Créé",
            "Creado",
            "Creato",
            "Aangemaakt op",
            "Criado em",
            "Создано",
        ],
    ),
    (
        "closed",
        &[
            "Closed",
            "Geschlossen am",
            "Fermé",
            "Cerrada",
            "Chiuso",
            "Gesloten",
            "Concluído",
            "Закрыта",
        ],
    ),
    (
        "status",
        &["Status", "Statut", "Estado", "Stato", "Situação", "Статус"],
    ),
    (
        "priority",
        &[
            "Priority",
            "Priorität",
            "Priorité",
            "Prioridad",
            "Priorità",
            "Prioriteit",
            "Prioridade",
            "Приоритет",
        ],
    ),
    // The REST adapter's default: the category, else the tracker.
    (
        "category",
        &[
            "Category",
            "Kategorie",
            "Catégorie",
            "Categoría",
            "Categoria",
            "Categorie",
            "Категория",
            "Tracker",
            "Tipo",
            "Трекер",
        ],
    ),
    (
        "assignee",
        &[
            "Assignee",
            "Zugewiesen an",
            "Assigné à",
            "Asignado a",
            "Assegnato a",
            "Toegewezen aan",
            "Atribuído para",
            "Назначена",
        ],
    ),
    (
        "requester",
        &["Author", "Autor", "Auteur", "Autore", "Автор"],
    ),
    (
        "project",
        &[
            "Project",
            "Projekt",
            "Projet",
            "Proyecto",
            "Progetto",
            "Projeto",
            "Проект",
        ],
    ),
    ("tracker", &["Tracker", "Tipo", "Трекер"]),
    ("requesterGroup", &["Requester group", "Department"]),
];

const JIRA_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["Issue key"]),
    ("title", &["Summary"]),
    ("created", &["Created"]),
    ("closed", &["Resolved"]),
    ("status", &["Status"]),
    ("priority", &["Priority"]),
    // The REST adapter's default: the components, else the issue type.
    ("category", &["Component/s", "Components", "Issue Type"]),
    ("assignee", &["Assignee"]),
    ("requester", &["Reporter"]),
    ("project", &["Project key", "Project name"]),
    ("tracker", &["Issue Type"]),
    ("labels", &["Labels"]),
    ("comments", &["Comment"]),
];

/// Which bytes a CSV export is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else ISO-8859-1.
    Auto,
    Utf8,
    Latin1,
}

/// A column mapping: which header feeds which ticket part, and how dates are written.
#[derive(Debug, Clone)]
pub struct CsvMapping {
    pub format: CsvFormat,
    /// The zone the export's local times are in.
    pub time_zone: Tz,
    /// chrono `strftime` pattern of the export's date-time cells.
    pub date_format: String,
    /// The separator; `None`: the most frequent of `,` `;` TAB in the header line.
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    /// Target → headers, in order of preference (per row, the first that has a value).
    pub columns: BTreeMap<String, Vec<String>>,
    /// Extra facts: fact name → header.
    pub fields: BTreeMap<String, String>,
    /// `https://tracker/issues/{id}`: the issue URL where the export has none.
    pub url_template: Option<String>,
    /// Comment authors who are the provider's staff. Empty: anyone but the requester.
    pub staff: Vec<String>,
    /// Requester group by requester name, where no `requesterGroup` column has a value.
    pub requester_groups: BTreeMap<String, Vec<String>>,
}

/// The mapping as written, read by its serde derive through [`validate`] (every refused value
/// at its path, all at once); [`Document::check`] turns it into a [`CsvMapping`].
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "a JSON object"
)]
struct MappingSpec {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    time_zone: Option<String>,
    #[serde(default)]
    date_format: Option<String>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    columns: BTreeMap<String, Headers>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    url_template: Option<String>,
    #[serde(default)]
    staff: Vec<String>,
    #[serde(default)]
    requester_groups: BTreeMap<String, Vec<String>>,
}

/// A target's headers: one, or a list in order of preference (`[]` switches the target off).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a header name or a list of header names (`[]` switches it off)"
)]
enum Headers {
    One(String),
    Many(Vec<String>),
}

const SEE: &str = "see the CSV mapping in docs/trackers.md";

impl Document for MappingSpec {
    /// The mapping's rules need the export's format, the caller's or the mapping's own:
    /// [`CsvMapping::from_json`] checks them, into the same list of diagnostics.
    type Valid = MappingSpec;

    fn not_json(e: &serde_json::Error) -> Diagnostic {
        Diagnostic::error(
            "mapping-invalid",
            "",
            crate::util::diagnostic::json_refused("the mapping", e),
        )
    }

    fn refused(e: &located::Error, path: String) -> Diagnostic {
        let message = match &e.kind {
            Kind::UnknownField { field, expected } => format!(
                "unknown field `{field}`: expected one of {}; {SEE}",
                expected.join(", ")
            ),
            _ => format!("{}: {SEE}", e.inner),
        };
        Diagnostic::error("mapping-invalid", path, message)
    }

    fn check(self, _: &mut Reader) -> Option<MappingSpec> {
        Some(self)
    }
}

impl CsvMapping {
    /// The default mapping of `format` with the export's time zone.
    pub fn default_for(format: CsvFormat, time_zone: Tz) -> CsvMapping {
        let table = match format {
            CsvFormat::Redmine => REDMINE_COLUMNS,
            CsvFormat::Jira => JIRA_COLUMNS,
        };
        CsvMapping {
            format,
            time_zone,
            date_format: format.default_date_format().to_string(),
            delimiter: None,
            encoding: Encoding::Auto,
            // Inserted one by one: `collect` into a map compiles a sort per entry type.
            columns: table.iter().fold(BTreeMap::new(), |mut m, (k, v)| {
                m.insert(k.to_string(), v.iter().map(|s| s.to_string()).collect());
                m
            }),
            fields: BTreeMap::new(),
            url_template: None,
            staff: Vec::new(),
            requester_groups: BTreeMap::new(),
        }
    }

    /// Reads a mapping (JSON) over the defaults of `format` (or of its own `format`). Every
    /// problem is reported at once, each with its JSON path, a code and a fix.
    ///
    /// # Errors
    /// Unknown keys or targets, a missing or unknown `timeZone`, an unusable `dateFormat`,
    /// `delimiter` or `encoding`, or a format that disagrees with `format`.
    pub fn from_json(format: Option<CsvFormat>, text: &str) -> Result<CsvMapping, Diagnostics> {
        let text = if text.trim().is_empty() { "{}" } else { text };
        let (spec, mut diags) = validate::<MappingSpec>(text);
        let Some(spec) = spec else {
            return Err(Diagnostics(diags));
        };
        let own = match spec.format.as_deref().map(CsvFormat::from_str) {
            None => None,
            Some(Ok(f)) => Some(f),
            Some(Err(e)) => {
                diags.push(Diagnostic::error(
                    "mapping-format",
                    "format",
                    format!("{e}; or leave `format` out"),
                ));
                None
            }
        };
        let format = match (format, own) {
            (Some(a), Some(b)) if a != b => {
                diags.push(Diagnostic::error(
                    "mapping-format",
                    "format",
                    format!("the mapping is for {b} but the export is read as {a}: drop one"),
                ));
                a
            }
            (Some(a), _) | (None, Some(a)) => a,
            (None, None) => {
                diags.push(Diagnostic::error(
                    "mapping-format",
                    "format",
                    "which export is this? give `format`: redmine-csv or jira-csv",
                ));
                CsvFormat::Redmine
            }
        };
        let time_zone = match spec.time_zone.as_deref().map(str::trim) {
            None | Some("") => {
                diags.push(Diagnostic::error(
                    "mapping-time-zone-missing",
                    "timeZone",
                    "a CSV export's times have no offset: give the time zone they were written \
                     in (the exporting user's time zone in the tracker's preferences, else the \
                     server's), e.g. `Europe/Berlin` or `UTC`",
                ));
                Tz::UTC
            }
            Some(z) => z.parse::<Tz>().unwrap_or_else(|_| {
                diags.push(Diagnostic::error(
                    "mapping-time-zone",
                    "timeZone",
                    format!(
                        "`{z}` is not an IANA time zone: use a name such as `Europe/Berlin`, \
                         `America/New_York` or `UTC`"
                    ),
                ));
                Tz::UTC
            }),
        };
        let mut m = CsvMapping::default_for(format, time_zone);
        if let Some(f) = spec.date_format {
            if let Err(why) = check_date_format(&f) {
                diags.push(Diagnostic::error("mapping-date-format", "dateFormat", why));
            }
            m.date_format = f;
        }
        if let Some(d) = spec.delimiter {
            match d.as_str() {
                "," | ";" | "\t" | "|" => m.delimiter = Some(d.as_bytes()[0]),
                _ => diags.push(Diagnostic::error(
                    "mapping-delimiter",
                    "delimiter",
                    format!(
                        "`{d}` is not a separator sla-lens reads: use \",\", \";\", \"\\t\" or \
                         \"|\", or leave it out to detect it from the header line"
                    ),
                )),
            }
        }
        if let Some(e) = spec.encoding {
            match e.to_ascii_lowercase().replace('_', "-").as_str() {
                "utf-8" | "utf8" => m.encoding = Encoding::Utf8,
                "iso-8859-1" | "latin1" | "latin-1" => m.encoding = Encoding::Latin1,
                "auto" => m.encoding = Encoding::Auto,
                _ => diags.push(Diagnostic::error(
                    "mapping-encoding",
                    "encoding",
                    format!(
                        "`{e}` is not an encoding sla-lens reads: use `utf-8`, `iso-8859-1` or \
                         `auto` (UTF-8 when valid, else ISO-8859-1)"
                    ),
                )),
            }
        }
        for (target, headers) in spec.columns {
            if !TARGETS.contains(&target.as_str()) {
                diags.push(Diagnostic::error(
                    "mapping-unknown-target",
                    format!("columns.{target}"),
                    format!(
                        "`{target}` is not a ticket part a column can feed: use one of {}; \
                         other facts go in `fields`",
                        TARGETS.join(", ")
                    ),
                ));
                continue;
            }
            let list = match headers {
                Headers::One(h) => vec![h],
                Headers::Many(v) => v,
            };
            // An empty list switches the target off (e.g. a column that means something else).
            m.columns.insert(target, list);
        }
        m.fields = spec.fields;
        if let Some(u) = spec.url_template {
            if !u.contains("{id}") {
                diags.push(Diagnostic::error(
                    "mapping-url-template",
                    "urlTemplate",
                    format!("`{u}` has no `{{id}}`: e.g. `https://redmine.example/issues/{{id}}`"),
                ));
            }
            m.url_template = Some(u);
        }
        m.staff = spec.staff;
        m.requester_groups = spec.requester_groups;
        if diags.is_empty() {
            Ok(m)
        } else {
            Err(Diagnostics(diags))
        }
    }
}

fn check_date_format(f: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    let items: Vec<Item<'_>> = StrftimeItems::new(f).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "`{f}` is not a chrono strftime pattern: e.g. `%m/%d/%Y %I:%M %p` (Redmine, \
             English), `%d.%m.%Y %H:%M` (Redmine, German), `%d/%b/%y %I:%M %p` (Jira)"
        ));
    }
    let has = |c: &str| f.contains(c);
    if !(has("%d") || has("%e") || has("%F")) || !(has("%H") || has("%I") || has("%R") || has("%T"))
    {
        return Err(format!(
            "`{f}` must give a day and an hour (e.g. `%d.%m.%Y %H:%M`): the SLA clocks need \
             the time of day"
        ));
    }
    Ok(())
}

/// What an export cannot tell, export-wide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// `response` (first response times), `resolution` (close times), `pauses` (status history).
    pub what: &'static str,
    pub reason: String,
}

/// A row that could not be mapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// The spreadsheet row (the header is row 1).
    pub row: usize,
    /// The file line the row starts on (differs from `row` after cells with line breaks).
    pub line: u64,
    /// The header of the offending column, when one is to blame.
    pub column: Option<String>,
    #[serde(flatten)]
    pub error: TicketError,
}

/// A mapped export: one result per data row, in file order.
#[derive(Debug, Clone)]
pub struct CsvExport {
    pub format: CsvFormat,
    pub delimiter: char,
    pub encoding: &'static str,
    pub time_zone: String,
    /// Target → the header that fed it (the first of the mapping's alternatives present).
    pub columns: BTreeMap<String, Vec<String>>,
    pub unknown: Vec<Unknown>,
    pub rows: Vec<Result<TicketInput, RowError>>,
}

fn file_error(code: &'static str, message: impl Into<String>) -> TicketError {
    TicketError {
        id: None,
        code,
        path: String::new(),
        message: message.into(),
    }
}

/// Decodes an export's bytes (a UTF-8 BOM is dropped).
///
/// # Errors
/// `Encoding::Utf8` and bytes that are not UTF-8.
pub fn decode(
    bytes: &[u8],
    encoding: Encoding,
) -> Result<(Cow<'_, str>, &'static str), TicketError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let latin1 = |b: &[u8]| Cow::Owned(b.iter().map(|&c| char::from(c)).collect::<String>());
    match encoding {
        Encoding::Latin1 => Ok((latin1(body), "iso-8859-1")),
        Encoding::Utf8 | Encoding::Auto => match std::str::from_utf8(body) {
            Ok(s) => Ok((Cow::Borrowed(s), "utf-8")),
            Err(e) if encoding == Encoding::Utf8 => Err(file_error(
                "csv-encoding",
                format!(
                    "the export is not UTF-8 (byte {} is not): export it again with the \
                     UTF-8 encoding, or set `encoding` to `iso-8859-1`",
                    e.valid_up_to()
                ),
            )),
            Err(_) => Ok((latin1(body), "iso-8859-1")),
        },
    }
}

/// The separator of the header line: the most frequent of `,` `;` TAB `|` outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let seps = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = seps.iter().position(|&s| s == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        seps[best]
    }
}

/// Reads a local date-time cell as an instant in `tz` (earlier instant in a fold, moved
/// forward by the gap in a gap). RFC 3339 text with an offset is taken as it is.
fn parse_local(cell: &str, format: &str, tz: Tz) -> Option<i64> {
    let cell = cell.trim();
    if let Ok(naive) = NaiveDateTime::parse_from_str(cell, format) {
        return Some(local_instant(naive, tz));
    }
    super::parse_time(cell)
}

/// The instant of a local date-time in `tz`: the zone's resolver (DESIGN.md rule 3), as the
/// calendar's windows are resolved.
fn local_instant(naive: NaiveDateTime, tz: Tz) -> i64 {
    crate::time::zone::resolve_naive(&tz, naive)
}

/// Columns resolved against the header: target → column indexes in preference order.
struct Resolved {
    /// Target → its columns, in the mapping's order (16 targets: a list is enough).
    cols: Vec<(String, Vec<(usize, String)>)>,
}

impl Resolved {
    /// The first value among the target's columns (repeated headers: the first non-empty).
    fn first<'r>(&self, target: &str, row: &'r [String]) -> Option<(&'r str, &str)> {
        self.get(target)?.iter().find_map(|(i, h)| {
            let v = row.get(*i)?.trim();
            (!v.is_empty()).then_some((v, h.as_str()))
        })
    }

    /// Every non-empty value of the target's columns (repeated headers, e.g. Jira `Labels`).
    fn all<'r>(&self, target: &str, row: &'r [String]) -> Vec<(&'r str, &str)> {
        self.get(target)
            .map(|cs| {
                cs.iter()
                    .filter_map(|(i, h)| {
                        let v = row.get(*i)?.trim();
                        (!v.is_empty()).then_some((v, h.as_str()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn get(&self, target: &str) -> Option<&[(usize, String)]> {
        self.cols
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, c)| c.as_slice())
    }

    /// The first column's header (the target is known to have one: `id`, `created`).
    fn header(&self, target: &str) -> String {
        self.get(target)
            .and_then(|c| c.first())
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }

    fn has(&self, target: &str) -> bool {
        self.get(target).is_some_and(|c| !c.is_empty())
    }
}

/// Header names compare trimmed and ASCII-case-insensitively (`Created` = `created`; `Priorität`
/// must be written as Redmine writes it).
fn same_header(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The records of `text` (RFC 4180: quoted cells with separators, doubled quotes and line
/// breaks; LF or CRLF; rows of any width), each with the byte offset it starts at. `csv-core`
/// (the `csv` crate's parser, without its `std::io` reader: smaller in Wasm) never fails: a
/// stray quote gives *a* reading, which the row checks then judge.
fn records(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
    use csv_core::{ReadRecordResult, ReaderBuilder};
    let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = text.as_bytes();
    let (mut out, mut ends) = (vec![0u8; 4096], vec![0usize; 64]);
    let (mut nout, mut nend, mut consumed, mut start) = (0, 0, 0, 0);
    let mut all = Vec::new();
    loop {
        let (res, i, o, e) = reader.read_record(input, &mut out[nout..], &mut ends[nend..]);
        input = &input[i..];
        consumed += i;
        nout += o;
        nend += e;
        match res {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let mut from = 0;
                let cells = ends[..nend]
                    .iter()
                    .map(|&to| {
                        let cell = String::from_utf8_lossy(&out[from..to]).into_owned();
                        from = to;
                        cell
                    })
                    .collect();
                all.push((start, cells));
                (nout, nend, start) = (0, 0, consumed);
            }
            ReadRecordResult::End => return all,
        }
    }
}

/// Maps an export's bytes (decoded per the mapping's encoding).
///
/// # Errors
/// Only for the file as a whole: not decodable, no header, or no `id`/`created` column.
pub fn map_csv_bytes(bytes: &[u8], m: &CsvMapping) -> Result<CsvExport, TicketError> {
    let (text, encoding) = decode(bytes, m.encoding)?;
    let mut out = map_csv(&text, m)?;
    out.encoding = encoding;
    Ok(out)
}

/// Maps an export's text. One result per data row: a row that cannot be mapped is an error for
/// that row only, with its row number and column.
///
/// # Errors
/// Only for the file as a whole: no header, or no `id` or `created` column.
pub fn map_csv(text: &str, m: &CsvMapping) -> Result<CsvExport, TicketError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = m.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut records = records(text, delimiter).into_iter();
    let header: Vec<String> = match records.next() {
        Some((_, r)) => r.iter().map(|h| h.trim().to_string()).collect(),
        None => {
            return Err(file_error(
                "csv-empty",
                "the export is empty: expected a header line and one row per issue",
            ))
        }
    };
    // Target → every column whose header is one of the target's names, names in mapping order.
    let mut cols = Vec::new();
    for (target, names) in &m.columns {
        let mut found = Vec::new();
        for name in names {
            for (i, h) in header.iter().enumerate() {
                if same_header(h, name) {
                    found.push((i, h.clone()));
                }
            }
        }
        cols.push((target.clone(), found));
    }
    let res = Resolved { cols };
    let sep = char::from(delimiter);
    for required in ["id", "created"] {
        if !res.has(required) {
            let names = m.columns.get(required).cloned().unwrap_or_default();
            let hint = if required == "created" && m.format == CsvFormat::Redmine {
                " (Redmine's default CSV export has only the list's columns: choose \"All \
                 columns\" in the export dialog, or add Created to the issue list)"
            } else {
                ""
            };
            return Err(file_error(
                "csv-missing-column",
                format!(
                    "no `{required}` column: the header has none of {}{hint}; or map it in \
                     `columns.{required}` (the header is: {})",
                    quoted_list(&names),
                    header.join(&sep.to_string()),
                ),
            ));
        }
    }
    let fields: Vec<(String, Vec<usize>)> = m
        .fields
        .iter()
        .map(|(fact, h)| {
            (
                fact.clone(),
                (0..header.len())
                    .filter(|&i| same_header(&header[i], h))
                    .collect(),
            )
        })
        .collect();
    // Jira's custom fields are facts under their names (`Custom field (Team)` → `Team`);
    // other columns only through `fields`.
    let mut extra: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(name) = h
            .strip_prefix("Custom field (")
            .and_then(|s| s.strip_suffix(')'))
        {
            match extra.iter_mut().find(|(n, _)| n == name) {
                Some((_, is)) => is.push(i),
                None => extra.push((name.to_string(), vec![i])),
            }
        }
    }

    let has_reporter_id = header.iter().any(|h| same_header(h, "Reporter Id"));
    let unknown = unknowns(m, &res, has_reporter_id);
    // What the export cannot tell, on each ticket, for the evaluation (src/eval/snapshot.rs): no
    // replies without first responses, and never a status history. A missing close time needs
    // no name: a resolved ticket with no close in its history is one.
    let mut lacks: Vec<String> = Vec::new();
    if unknown.iter().any(|u| u.what == "response") {
        lacks.push(Missing::Replies.as_str().into());
    }
    lacks.push(Missing::StatusHistory.as_str().into());
    let mut seen: HashSet<String> = HashSet::new();
    let mut rows = Vec::new();
    // File lines, counted from byte offsets (the reader's own line count misses line breaks
    // inside quoted cells written as CRLF).
    let bytes = text.as_bytes();
    let (mut at, mut lines) = (0usize, 1u64);
    let mut line_of = |byte: u64| {
        // A record's offset may point at the line break that ends the one before.
        let mut byte = (byte as usize).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte >= at {
            lines += bytes[at..byte].iter().filter(|&&b| b == b'\n').count() as u64;
            at = byte;
        }
        lines
    };
    for (n, (start, cells)) in records.enumerate() {
        let row_no = n + 2;
        let line = line_of(start as u64);
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line (e.g. at the end of the file)
        }
        let r =
            map_row(m, &res, &fields, &extra, &header, &cells, row_no, &mut seen).map(|mut t| {
                t.unknown = lacks.clone();
                t
            });
        rows.push(r.map_err(|(column, error)| RowError {
            row: row_no,
            line,
            column,
            error,
        }));
    }
    Ok(CsvExport {
        format: m.format,
        delimiter: sep,
        encoding: "utf-8",
        time_zone: m.time_zone.name().to_string(),
        columns: res.cols.iter().filter(|(_, c)| !c.is_empty()).fold(
            BTreeMap::new(),
            |mut m, (k, c)| {
                let mut hs: Vec<String> = c.iter().map(|(_, h)| h.clone()).collect();
                hs.dedup();
                m.insert(k.clone(), hs);
                m
            },
        ),
        unknown,
        rows,
    })
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none mapped)".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the export's columns cannot give, whatever the rows hold.
fn unknowns(m: &CsvMapping, res: &Resolved, has_reporter_id: bool) -> Vec<Unknown> {
    let mut out = Vec::new();
    // Comment authors are account ids (Cloud) or user names (Data Center), not the display
    // names of the Reporter column: only a staff list or the reporter's id tells them apart.
    let can_tell_staff = !m.staff.is_empty() || has_reporter_id;
    let from_comments = res.has("comments") && can_tell_staff;
    if !res.has("firstResponse") && !from_comments {
        let why = match m.format {
            CsvFormat::Redmine => {
                "Redmine's CSV export has no note times or authors (\"Last notes\" is only the \
                 text of the last note), so the first response time is unknown."
            }
            CsvFormat::Jira if res.has("comments") => {
                "the comments' authors (account ids or user names) cannot be told apart from \
                 the requester: give `staff` (who answers for the provider), or export with the \
                 `Reporter Id` column."
            }
            CsvFormat::Jira => {
                "the export has no Comment columns (export \"all fields\" to get them), so the \
                 first response time is unknown."
            }
        };
        out.push(Unknown {
            what: "response",
            reason: why.to_string(),
        });
    }
    if !res.has("closed") {
        out.push(Unknown {
            what: "resolution",
            reason: format!(
                "no {} column, so when resolved issues were resolved is unknown.",
                match m.format {
                    CsvFormat::Redmine => "Closed",
                    CsvFormat::Jira => "Resolved",
                }
            ),
        });
    }
    out.push(Unknown {
        what: "pauses",
        reason: "A CSV export holds only the current status, not when it changed: time spent \
                 in a pausing status cannot be taken off, and a closed issue is taken as closed \
                 once, at its close time."
            .to_string(),
    });
    out
}

type Failure = (Option<String>, TicketError);

#[allow(clippy::too_many_arguments)]
fn map_row(
    m: &CsvMapping,
    res: &Resolved,
    fields: &[(String, Vec<usize>)],
    extra: &[(String, Vec<usize>)],
    header: &[String],
    cells: &[String],
    row_no: usize,
    seen: &mut HashSet<String>,
) -> Result<TicketInput, Failure> {
    let fail = |id: Option<&str>, column: Option<&str>, code: &'static str, msg: String| {
        (
            column.map(str::to_string),
            TicketError {
                id: id.map(str::to_string),
                code,
                path: match column {
                    Some(c) => format!("row {row_no}, column `{c}`"),
                    None => format!("row {row_no}"),
                },
                message: msg,
            },
        )
    };
    if cells.len() > header.len() {
        let id = res.first("id", cells).map(|(v, _)| v);
        return Err(fail(
            id,
            None,
            "csv-row-width",
            format!(
                "{} cells for {} columns: a separator or quote inside a cell was not quoted, so \
                 the values would land in the wrong columns",
                cells.len(),
                header.len()
            ),
        ));
    }
    let Some((id, _)) = res.first("id", cells) else {
        let h = res.header("id");
        return Err(fail(
            None,
            Some(&h),
            "csv-missing-id",
            "the issue's id is empty".into(),
        ));
    };
    if !seen.insert(id.to_string()) {
        let h = res.header("id");
        return Err(fail(
            Some(id),
            Some(&h),
            "csv-duplicate-id",
            format!("issue {id} is already in an earlier row: only the first is shown"),
        ));
    }
    let fmt = &m.date_format;
    let tz = m.time_zone;
    let when = |target: &str| -> Result<Option<i64>, Failure> {
        match res.first(target, cells) {
            None => Ok(None),
            Some((v, h)) => parse_local(v, fmt, tz).map(Some).ok_or_else(|| {
                fail(
                    Some(id),
                    Some(h),
                    "csv-invalid-date",
                    format!(
                        "`{v}` is not a date in the format `{fmt}`: set `dateFormat` to the \
                         export's (the tracker user's date and time format)"
                    ),
                )
            }),
        }
    };
    let Some(created) = when("created")? else {
        let h = res.header("created");
        return Err(fail(
            Some(id),
            Some(&h),
            "csv-missing-created",
            "the creation time is empty".into(),
        ));
    };
    let closed = when("closed")?;
    let first_response = when("firstResponse")?;
    let text = |target: &str| res.first(target, cells).map(|(v, _)| v.to_string());
    let mut t = TicketInput {
        id: id.to_string(),
        title: text("title"),
        url: text("url").or_else(|| m.url_template.as_ref().map(|u| u.replace("{id}", id))),
        created: Some(Stamp::Text(format_instant(created))),
        requester: text("requester"),
        assignee: text("assignee"),
        status: text("status"),
        first_response_at: first_response.map(|t| Stamp::Text(format_instant(t))),
        ..TicketInput::default()
    };
    t.labels = res
        .all("labels", cells)
        .into_iter()
        .flat_map(|(v, _)| v.split(',').map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    for (fact, target) in [
        ("project", "project"),
        ("tracker", "tracker"),
        ("priority", "priority"),
        ("category", "category"),
    ] {
        let values = match target {
            // Several columns (Jira's repeated Component/s): all of the first column kind.
            "category" => {
                let all = res.all(target, cells);
                let first_header = all.first().map(|(_, h)| *h);
                all.iter()
                    .filter(|(_, h)| Some(*h) == first_header)
                    .map(|(v, _)| v.to_string())
                    .collect()
            }
            _ => text(target).into_iter().collect(),
        };
        put(&mut t, fact, values);
    }
    let mut group: Vec<String> = text("requesterGroup").into_iter().collect();
    if group.is_empty() {
        if let Some(r) = &t.requester {
            group = m
                .requester_groups
                .iter()
                .filter(|(_, who)| who.iter().any(|w| same_header(w, r)))
                .map(|(g, _)| g.clone())
                .collect();
        }
    }
    put(&mut t, "requesterGroup", group);
    for (fact, idx) in fields {
        let values = idx.iter().filter_map(|&i| cells.get(i).cloned()).collect();
        put(&mut t, fact, values);
    }
    for (fact, idx) in extra {
        if t.fields.contains_key(fact.as_str()) {
            continue;
        }
        let values = idx.iter().filter_map(|&i| cells.get(i).cloned()).collect();
        put(&mut t, fact, values);
    }
    if let Some(s) = &t.status {
        t.fields
            .insert("status".into(), FieldValue::One(s.as_str().into()));
        // The one change a snapshot shows: closed (resolved) at its close time.
        if let Some(c) = closed {
            t.status_history.push(StatusChangeInput {
                at: Stamp::Text(format_instant(c.max(created))),
                from: None,
                to: s.clone(),
            });
        }
    }
    // Jira comment cells: `date;author;body` (the body may hold more `;`).
    let reporter_ids: Vec<&str> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| same_header(h, "Reporter Id"))
        .filter_map(|(i, _)| cells.get(i).map(|s| s.trim()))
        .filter(|s| !s.is_empty())
        .collect();
    for (v, h) in res.all("comments", cells) {
        let mut parts = v.splitn(3, ';');
        let (at, author) = (parts.next().unwrap_or(""), parts.next().map(str::trim));
        // A note recording sla-lens's own work is never a reply (DESIGN.md, rule 6).
        let record = parts.next().is_some_and(crate::ticket::marker::is_record);
        let Some(at) = parse_local(at, fmt, tz) else {
            return Err(fail(
                Some(id),
                Some(h),
                "csv-invalid-comment",
                format!(
                    "a comment cell must start `date;author;` with the date in the format \
                     `{fmt}`: it starts `{}`",
                    v.chars().take(40).collect::<String>()
                ),
            ));
        };
        let author = author.filter(|a| !a.is_empty());
        let staff = match author {
            None => false,
            Some(a) if !m.staff.is_empty() => m.staff.iter().any(|s| same_header(s, a)),
            // Anyone but the requester, when the export names the requester's id; otherwise
            // no comment counts (the response is reported unknown).
            Some(a) => !reporter_ids.is_empty() && !reporter_ids.iter().any(|r| same_header(r, a)),
        } && !record;
        t.comments.push(CommentInput {
            at: Stamp::Text(format_instant(at)),
            author: author.map(str::to_string),
            staff,
        });
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_delimiter("a;b;c\n1,2"), b';');
        assert_eq!(detect_delimiter("\"a;b;c\",d,e\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("single"), b',');
    }

    #[test]
    fn local_times_in_folds_and_gaps() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let at = |s: &str| {
            format_instant(local_instant(
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
                berlin,
            ))
        };
        // Fold (25 October 2026, 02:00–03:00 twice): the earlier instant, CEST.
        assert_eq!(at("2026-10-25 02:30"), "2026-10-25T00:30:00Z");
        // Gap (29 March 2026, 02:00→03:00): moved forward by the gap, 03:30 CEST.
        assert_eq!(at("2026-03-29 02:30"), "2026-03-29T01:30:00Z");
        assert_eq!(at("2026-11-27 10:00"), "2026-11-27T09:00:00Z");
    }

    /// A gap longer than a few hours: Samoa skipped Friday 30 December 2011 (UTC−10 → UTC+14 at
    /// its midnight). A local time on the missing day moves forward by the whole day, as the
    /// calendar resolves it (the resolver CSV exports used before looked 3 h back, still inside
    /// the gap, and read the time as UTC).
    #[test]
    fn local_times_in_a_skipped_day() {
        let apia: Tz = "Pacific/Apia".parse().unwrap();
        let at = |s: &str| {
            format_instant(local_instant(
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
                apia,
            ))
        };
        // The last minute of the 29th is UTC−10, the first of the 31st UTC+14.
        assert_eq!(at("2011-12-29 23:59"), "2011-12-30T09:59:00Z");
        assert_eq!(at("2011-12-31 00:00"), "2011-12-30T10:00:00Z");
        // 30 December, 12:00 (nonexistent) is 31 December, 12:00 UTC+14.
        assert_eq!(at("2011-12-30 12:00"), "2011-12-30T22:00:00Z");
        assert_eq!(at("2011-12-30 23:30"), "2011-12-31T09:30:00Z");
        // The same instant the calendar's resolver gives.
        let naive = NaiveDateTime::parse_from_str("2011-12-30 12:00", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            local_instant(naive, apia),
            crate::time::zone::resolve_local(&apia, naive.date(), 12 * 3600)
        );
    }
}
