//! The SLA's own review cadence ("reviewed every six months").

use crate::util::diagnostic::{join, Diagnostic};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReviewSpec {
    /// Date the SLA took effect, `YYYY-MM-DD`.
    pub effective: String,
    /// Months between reviews (the seed: 6).
    pub interval_months: u32,
    /// Date of the last review, `YYYY-MM-DD`; the effective date when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_review: Option<String>,
}

/// Where the review cadence stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewStatus {
    pub effective: NaiveDate,
    pub last_review: NaiveDate,
    pub next_review: NaiveDate,
    pub interval_months: u32,
    /// `today` is after `next_review`.
    pub overdue: bool,
    /// Days from `today` to `next_review` (negative when overdue).
    pub days_until: i64,
}

fn date(text: &str) -> Option<NaiveDate> {
    crate::time::datefmt::parse_ymd(text)
}

impl ReviewSpec {
    pub(crate) fn check(&self, path: &str, diags: &mut Vec<Diagnostic>) {
        let eff = date(&self.effective);
        if eff.is_none() {
            diags.push(Diagnostic::error(
                "invalid-date",
                join(path, "effective"),
                format!("`{}` is not a date: write `YYYY-MM-DD`", self.effective),
            ));
        }
        if self.interval_months == 0 {
            diags.push(Diagnostic::error(
                "zero-review-interval",
                join(path, "intervalMonths"),
                "a review interval of 0 months would make the review due every day: give the \
                 number of months between reviews, e.g. 6",
            ));
        }
        if let Some(last) = &self.last_review {
            match date(last) {
                None => diags.push(Diagnostic::error(
                    "invalid-date",
                    join(path, "lastReview"),
                    format!("`{last}` is not a date: write `YYYY-MM-DD`"),
                )),
                Some(l) if eff.is_some_and(|e| l < e) => diags.push(Diagnostic::warning(
                    "review-before-effective",
                    join(path, "lastReview"),
                    format!(
                        "the last review `{last}` is before the effective date `{}`: correct \
                         one of the dates",
                        self.effective
                    ),
                )),
                Some(_) => {}
            }
        }
    }

    /// The review status on `today`; `None` when the spec has invalid dates (a checked policy
    /// never does).
    pub fn status(&self, today: NaiveDate) -> Option<ReviewStatus> {
        let effective = date(&self.effective)?;
        let last_review = match &self.last_review {
            Some(l) => date(l)?,
            None => effective,
        };
        let next_review = last_review.checked_add_months(Months::new(self.interval_months))?;
        Some(ReviewStatus {
            effective,
            last_review,
            next_review,
            interval_months: self.interval_months,
            overdue: today > next_review,
            days_until: (next_review - today).num_days(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        date(s).unwrap()
    }

    #[test]
    fn six_months_after_the_last_review() {
        let r = ReviewSpec {
            effective: "2026-01-01".into(),
            interval_months: 6,
            last_review: Some("2026-05-31".into()),
        };
        let s = r.status(d("2026-11-27")).unwrap();
        // 31 May + 6 months clamps to 30 November.
        assert_eq!(s.next_review, d("2026-11-30"));
        assert!(!s.overdue);
        assert_eq!(s.days_until, 3);
        let late = r.status(d("2026-12-01")).unwrap();
        assert!(late.overdue);
        assert_eq!(late.days_until, -1);
        // Due on the day itself is not overdue yet.
        assert!(!r.status(d("2026-11-30")).unwrap().overdue);
    }

    #[test]
    fn counts_from_the_effective_date_without_a_review() {
        let r = ReviewSpec {
            effective: "2026-03-15".into(),
            interval_months: 6,
            last_review: None,
        };
        assert_eq!(
            r.status(d("2026-04-01")).unwrap().next_review,
            d("2026-09-15")
        );
    }
}
