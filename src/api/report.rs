//! The review report over what a caller was given: the canonical export's text read one ticket
//! at a time, or tickets already read, or a tracker's REST responses.

use crate::adapters::{SiteConfig, TrackerKind};
use crate::policy::Policy;
use crate::report::{Report, ReportBuilder, ReportError};
use crate::ticket::{Ticket, TicketError, TicketInput};
use crate::time::Instant;

/// The tickets of a report.
pub enum ReportInput<'t> {
    /// A canonical export's JSON text (a list, or `{"tickets": [...]}`): read, evaluated and
    /// counted one ticket at a time, never holding the whole list (`Ticket::fold_batch`).
    Text(&'t str),
    /// Tickets already read.
    Read(Vec<Result<Ticket, TicketError>>),
    /// A tracker's own REST responses, mapped with its default site configuration.
    Tracker(TrackerKind, Vec<String>),
}

/// Why there is no report: the input holds no ticket list (or no recognisable response), or
/// the period is empty or out of range. A bad list's error comes before a bad period's.
#[derive(Debug)]
pub enum ReportFailure {
    Tickets(TicketError),
    Report(ReportError),
}

/// A tracker's REST responses (one JSON text each) mapped with the tracker's default site
/// configuration; an issue that cannot be mapped is an error for that issue.
pub fn map_default(
    kind: TrackerKind,
    texts: &[String],
) -> Result<Vec<Result<TicketInput, TicketError>>, TicketError> {
    let site = SiteConfig::default_for(kind);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    crate::adapters::map_texts(kind, &refs, &site)
}

/// The review report of `input` over the period `from`..`to` at `now`: exactly the figures of
/// `sla-lens report --format json` for the same tickets.
pub fn report(
    policy: &Policy,
    input: ReportInput<'_>,
    from: Option<Instant>,
    to: Option<Instant>,
    now: Instant,
) -> Result<Report, ReportFailure> {
    let batch = match input {
        ReportInput::Text(text) => return report_streamed(policy, text, from, to, now),
        ReportInput::Read(batch) => batch,
        ReportInput::Tracker(kind, texts) => map_default(kind, &texts)
            .map_err(ReportFailure::Tickets)?
            .into_iter()
            .map(|r| r.and_then(Ticket::from_input))
            .collect(),
    };
    crate::report::report(policy, &batch, from, to, now).map_err(ReportFailure::Report)
}

fn report_streamed(
    policy: &Policy,
    text: &str,
    from: Option<Instant>,
    to: Option<Instant>,
    now: Instant,
) -> Result<Report, ReportFailure> {
    let builder = || ReportBuilder::new(policy, from, to, now);
    if builder().is_err() {
        // A bad list's error comes first, as for the other inputs.
        Ticket::parse_batch(text).map_err(ReportFailure::Tickets)?;
    }
    // The allocator grows Wasm memory 64 KB at a time as it runs out, and each growth is a
    // runtime call; a big export's report needs about as much again as its text (cells,
    // breaches, the JSON), so ask for that in one growth up front. (`black_box`: an allocation
    // nothing uses may otherwise be optimised away.)
    drop(std::hint::black_box(Vec::<u8>::with_capacity(text.len())));
    let built = Ticket::fold_batch(text, builder, |b, t| {
        if let Ok(b) = b {
            b.add(&t);
        }
    })
    .map_err(ReportFailure::Tickets)?;
    built
        .map(ReportBuilder::finish)
        .map_err(ReportFailure::Report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy::from_json(crate::policy::DEFAULT_POLICY_JSON).unwrap()
    }

    const NOW: Instant = 1_772_359_200; // 2026-03-01T10:00:00Z
    const TICKETS: &str = r#"[{"id": "1", "created": "2026-02-10T09:00:00Z"},
        {"id": "2", "created": "2026-02-11T09:00:00Z", "status": "Closed",
         "statusHistory": [{"at": "2026-02-12T09:00:00Z", "to": "Closed"}]},
        {"id": "3"}]"#;

    fn json(r: &Report) -> String {
        serde_json::to_string(r).unwrap()
    }

    #[test]
    fn the_streamed_text_and_the_read_batch_give_the_same_report() {
        let p = policy();
        let from = Some(NOW - 60 * 86_400);
        let streamed = report(&p, ReportInput::Text(TICKETS), from, None, NOW).unwrap();
        let batch = Ticket::parse_batch(TICKETS).unwrap();
        let read = report(&p, ReportInput::Read(batch), from, None, NOW).unwrap();
        assert_eq!(json(&streamed), json(&read));
        assert_eq!(streamed.tickets.read, 3);
        assert_eq!(streamed.tickets.unreadable, 1);
    }

    #[test]
    fn a_bad_list_is_named_before_a_bad_period() {
        let p = policy();
        let empty = (Some(NOW), Some(NOW - 86_400));
        let e = report(&p, ReportInput::Text("{oops"), empty.0, empty.1, NOW).unwrap_err();
        assert!(matches!(e, ReportFailure::Tickets(_)), "{e:?}");
        let e = report(&p, ReportInput::Text(TICKETS), empty.0, empty.1, NOW).unwrap_err();
        assert!(matches!(e, ReportFailure::Report(_)), "{e:?}");
        let e = report(&p, ReportInput::Read(Vec::new()), empty.0, empty.1, NOW).unwrap_err();
        assert!(matches!(e, ReportFailure::Report(_)), "{e:?}");
    }

    #[test]
    fn tracker_responses_are_mapped_with_the_default_site() {
        let p = policy();
        let kind = TrackerKind::Github;
        let e = report(
            &p,
            ReportInput::Tracker(kind, vec!["[".into()]),
            None,
            None,
            NOW,
        );
        assert!(matches!(e, Err(ReportFailure::Tickets(_))));
        let issue = r#"[{"number": 7, "title": "t", "state": "open",
            "created_at": "2026-02-10T09:00:00Z", "html_url": "https://github.com/o/r/issues/7",
            "labels": [], "user": {"login": "u"}}]"#;
        let r = report(
            &p,
            ReportInput::Tracker(kind, vec![issue.into()]),
            None,
            None,
            NOW,
        );
        let r = r.unwrap();
        assert_eq!(r.tickets.read, 1);
    }
}
