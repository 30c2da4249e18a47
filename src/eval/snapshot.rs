//! Snapshots: an evaluation of a ticket whose input lacks facts (`unknown` in the ticket JSON:
//! a tracker's list export without journals or timelines, a CSV export) keeps only the states
//! the input can back; the others become [`State::Unknown`] with the fact that is missing. The
//! rule, with vectors, is DESIGN.md's "Snapshots: what is unknown when".

use crate::eval::{Evaluation, MetricEval, State};
use crate::policy::{MetricKind, Policy};
use crate::ticket::{Missing, Ticket, Unknowns};

/// Degrades, in place, the states of `ev` that `ticket`'s missing facts leave open.
pub(crate) fn degrade(ev: &mut Evaluation<'_>, ticket: &Ticket, policy: &Policy) {
    let u = ticket.unknown;
    if u.is_empty() {
        return;
    }
    // The current cycle's resolution, when the history does not show the ticket entering the
    // resolved status then (created resolved, with no change a snapshot could show).
    let resolved = &policy.spec.statuses.resolved;
    let unbacked_end = u.has(Missing::StatusHistory)
        && ev.resolution.stopped_at.is_some_and(|end| {
            !ticket
                .history
                .iter()
                .any(|c| c.at == end.0 && resolved.iter().any(|r| r.eq_ignore_ascii_case(&c.to)))
        });
    let end = ev.resolution.stopped_at;
    // Before the last save, a snapshot's status is not known either (it shows the one
    // it has now): on track may then have been resolved.
    let before_snapshot =
        u.has(Missing::StatusHistory) && ticket.updated.is_some_and(|up| ev.at.0 < up);
    for m in [&mut ev.response, &mut ev.resolution] {
        let missing = match (m.metric, m.state) {
            (_, State::NotApplicable | State::Unknown) => None,
            // Stopped by a resolution whose instant is not known.
            (_, State::Met | State::MetLate) if unbacked_end && m.stopped_at == end => {
                Some(Missing::ResolvedAt)
            }
            // A reply the input does not show may have come in time; a stop in time stays met.
            (MetricKind::Response, s) if u.has(Missing::Replies) && s != State::Met => {
                Some(Missing::Replies)
            }
            // Without the history, the clock counts from creation with no pause: the time used
            // is at most that, never more. On track and met stay true with less time used;
            // paused (since when?), at risk, breached and met late may not.
            (_, State::Paused | State::AtRisk | State::Breached | State::MetLate)
                if u.has(Missing::StatusHistory) =>
            {
                Some(Missing::StatusHistory)
            }
            (_, State::Running) if before_snapshot => Some(Missing::StatusHistory),
            _ => None,
        };
        if let Some(missing) = missing {
            unknown(m, missing);
        }
    }
    if ev.metric(ev.headline).state == State::Unknown {
        ev.state = State::Unknown;
        ev.escalation.current = None;
        ev.escalation.next = None;
        ev.escalation.max_level = 0;
        ev.escalation.unknown = true;
    }
}

/// What a batch's tickets lack, for a note beside the results (the CLI's stderr, a dashboard):
/// per missing fact, how many tickets lack it and what that means.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SnapshotNote {
    /// `replies` or `statusHistory`.
    pub what: Missing,
    /// Tickets that lack it.
    pub tickets: usize,
    pub message: String,
}

/// The notes for `tickets` (empty when none lacks anything).
pub fn notes<'t>(tickets: impl IntoIterator<Item = &'t Ticket>) -> Vec<SnapshotNote> {
    notes_for(tickets.into_iter().map(|t| t.unknown))
}

/// The notes for tickets that lack `unknowns` each.
pub fn notes_for(unknowns: impl IntoIterator<Item = Unknowns>) -> Vec<SnapshotNote> {
    let mut counts = [0usize; 2];
    let mut total = 0;
    for u in unknowns {
        total += 1;
        for (k, m) in Missing::INPUT.iter().enumerate() {
            if u.has(*m) {
                counts[k] += 1;
            }
        }
    }
    Missing::INPUT
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(m, n)| SnapshotNote {
            what: *m,
            tickets: n,
            message: match m {
                Missing::Replies => format!(
                    "{n} of {total} issues come without their replies (a list export: no notes \
                     or comments), so a response not yet met shows as unknown; add each issue's \
                     own response (Redmine `/issues/N.json?include=journals`, GitHub and GitLab \
                     comments or notes, Jira `fields.comment`) to know it"
                ),
                _ => format!(
                    "{n} of {total} issues come without their status history (a list export: no \
                     journals, events or changelog), so a pause and a resolution the export does \
                     not date show as unknown, and time in earlier pauses is not taken off; add \
                     each issue's history (Redmine journals, GitHub timeline, GitLab state and \
                     label events, Jira `expand=changelog`) to know it"
                ),
            },
        })
        .collect()
}

fn unknown(m: &mut MetricEval, missing: Missing) {
    m.state = State::Unknown;
    m.missing = Some(missing);
    m.remaining = None;
    m.until_deadline = None;
    m.percent_used = None;
    m.breached_at = None;
    if m.cycles <= 1 {
        m.ever_breached = false;
    }
    // Pauses the history does not show could move the deadline later.
    if missing != Missing::Replies {
        m.deadline = None;
        m.at_risk_at = None;
    }
}
