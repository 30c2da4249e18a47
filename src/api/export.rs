//! Mapped tracker input as the binding presents it: tickets, the issues or rows that could not
//! be mapped (with their position), and what the input cannot tell.

use crate::adapters::csv::{self, CsvExport, RowError};
use crate::adapters::TrackerKind;
use crate::ticket::{Missing, TicketError, TicketInput, Unknowns};
use serde::Serialize;
use serde_json::Value;

use super::Rejected;

/// One item that could not be mapped, with its position among the items.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Indexed<'a, E> {
    pub index: usize,
    #[serde(flatten)]
    pub error: &'a E,
}

/// What a tracker export lacks, export-wide (`response`: the replies, `pauses`: the status
/// history), with the sentence that says so.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ExportUnknown {
    pub what: &'static str,
    pub reason: String,
}

/// Tickets mapped from a tracker's REST responses with the default site (`mapExport`).
#[derive(Serialize, Debug)]
pub struct MappedExport<'a> {
    pub tickets: Vec<&'a TicketInput>,
    pub errors: Vec<Indexed<'a, TicketError>>,
    pub unknown: Vec<ExportUnknown>,
}

impl<'a> MappedExport<'a> {
    pub fn new(all: &'a [Result<TicketInput, TicketError>]) -> Self {
        let (tickets, errors) = split(all);
        let lacks = tickets.iter().map(|t| Unknowns::from_names(&t.unknown));
        let unknown = crate::eval::snapshot::notes_for(lacks)
            .into_iter()
            .map(|n| ExportUnknown {
                what: match n.what {
                    Missing::Replies => "response",
                    _ => "pauses",
                },
                reason: n.message,
            })
            .collect();
        MappedExport {
            tickets,
            errors,
            unknown,
        }
    }
}

/// Tickets mapped from a tracker's REST responses under a site (`mapResponses`): the issues
/// that cannot be read, and the responses set aside by [`super::map_tolerant`].
#[derive(Serialize, Debug)]
pub struct MappedIssues<'a> {
    pub tickets: Vec<&'a TicketInput>,
    pub errors: Vec<&'a TicketError>,
    pub rejected: &'a [Rejected],
}

impl<'a> MappedIssues<'a> {
    pub fn new(all: &'a [Result<TicketInput, TicketError>], rejected: &'a [Rejected]) -> Self {
        let (tickets, errors) = split(all);
        MappedIssues {
            tickets,
            errors: errors.into_iter().map(|e| e.error).collect(),
            rejected,
        }
    }
}

/// A mapped CSV export (`mapCsv`): its tickets, the rows that could not be mapped, and the
/// export's facts.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct MappedCsv<'a> {
    pub format: &'static str,
    pub tickets: Vec<&'a TicketInput>,
    pub errors: Vec<Indexed<'a, RowError>>,
    pub unknown: &'a [csv::Unknown],
    pub columns: &'a std::collections::BTreeMap<String, Vec<String>>,
    pub delimiter: String,
    pub encoding: &'static str,
    pub time_zone: &'a str,
}

impl<'a> MappedCsv<'a> {
    pub fn new(export: &'a CsvExport) -> Self {
        let (tickets, errors) = split(&export.rows);
        MappedCsv {
            format: export.format.as_str(),
            tickets,
            errors,
            unknown: &export.unknown,
            columns: &export.columns,
            delimiter: export.delimiter.to_string(),
            encoding: export.encoding,
            time_zone: &export.time_zone,
        }
    }
}

/// The mapped items and the failed ones with their positions, each in order.
fn split<T, E>(all: &[Result<T, E>]) -> (Vec<&T>, Vec<Indexed<'_, E>>) {
    let mut ok = Vec::with_capacity(all.len());
    let mut failed = Vec::new();
    for (index, r) in all.iter().enumerate() {
        match r {
            Ok(t) => ok.push(t),
            Err(error) => failed.push(Indexed { index, error }),
        }
    }
    (ok, failed)
}

/// A site file's JSON text for a call that names `kind`: an object without `tracker` takes
/// `kind`'s; any other text is left as it is (the site reader reports it).
pub fn site_text_for(kind: TrackerKind, text: String) -> String {
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut o)) if !o.contains_key("tracker") => {
            o.insert("tracker".into(), Value::String(kind.as_str().into()));
            Value::Object(o).to_string()
        }
        _ => text,
    }
}

/// The text of a built-in example policy: `default` (the seed SLA, 24x7) or `business-hours`
/// (Mon–Fri 09:00–17:00 Europe/Berlin with German holidays); `None` for another name.
pub fn example_policy(name: &str) -> Option<&'static str> {
    match name {
        "default" => Some(crate::policy::DEFAULT_POLICY_JSON),
        "business-hours" => Some(crate::policy::BUSINESS_HOURS_POLICY_JSON),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket_error(id: &str) -> TicketError {
        TicketError {
            id: Some(id.into()),
            code: "missing-field",
            path: "created".into(),
            message: "no created".into(),
        }
    }

    #[test]
    fn failed_items_keep_their_position_and_lists_say_what_they_lack() {
        let input = |id: &str, unknown: &[&str]| {
            let mut v = serde_json::json!({"id": id, "created": "2026-03-01T10:00:00Z"});
            v["unknown"] = serde_json::json!(unknown);
            serde_json::from_value::<TicketInput>(v).unwrap()
        };
        let all = vec![
            Ok(input("1", &["replies"])),
            Err(ticket_error("2")),
            Ok(input("3", &["replies", "statusHistory"])),
        ];
        let m = MappedExport::new(&all);
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["tickets"].as_array().unwrap().len(), 2);
        assert_eq!(v["errors"][0]["index"], 1);
        assert_eq!(v["errors"][0]["code"], "missing-field");
        assert_eq!(v["errors"][0]["id"], "2");
        let what: Vec<&str> = m.unknown.iter().map(|u| u.what).collect();
        assert_eq!(what, ["response", "pauses"]);
        let issues = MappedIssues::new(&all, &[]);
        let v = serde_json::to_value(&issues).unwrap();
        assert_eq!(v["errors"][0]["id"], "2");
        assert!(v["errors"][0].get("index").is_none());
        assert_eq!(v["rejected"], serde_json::json!([]));
    }

    #[test]
    fn a_site_object_without_tracker_takes_the_calls() {
        let kind = TrackerKind::Gitlab;
        let got = site_text_for(kind, r#"{"basePath": "/x"}"#.into());
        let v: Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["tracker"], "gitlab");
        let jira = r#"{"tracker": "jira"}"#.to_string();
        assert_eq!(site_text_for(kind, jira.clone()), jira);
        assert_eq!(site_text_for(kind, "[1".into()), "[1");
    }

    #[test]
    fn example_policies_by_name() {
        assert!(example_policy("default").is_some());
        assert!(example_policy("business-hours").is_some());
        assert_eq!(example_policy("x"), None);
    }
}
