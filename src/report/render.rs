//! Rendering a [`Report`]: Markdown tables for a review meeting and the CSV forms (the figures
//! are aggregated in `report/mod.rs`; nothing here evaluates or counts).

use super::*;

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/// Text for a Markdown table cell: pipes escaped, line breaks flattened.
fn md_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

fn md_table(out: &mut String, head: &[&str], right: usize, rows: &[Vec<String>]) {
    use std::fmt::Write;
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let align: Vec<&str> = (0..head.len())
        .map(|i| if i < right { "---" } else { "--:" })
        .collect();
    let _ = writeln!(out, "|{}|", align.join("|"));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
    out.push('\n');
}

fn opt_hours(v: Option<i64>) -> String {
    v.map_or("–".into(), crate::time::duration::format_hours)
}

fn opt_wall(v: Option<i64>) -> String {
    v.map_or("–".into(), crate::time::duration::format)
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |p| format!("{p:.1} %"))
}

impl Report {
    fn tz(&self) -> Tz {
        self.period.zone.parse().unwrap_or(Tz::UTC)
    }

    /// An instant as local `YYYY-MM-DD HH:MM` in the report zone.
    fn local_time(&self, t: At) -> String {
        local(self.tz(), t.0)
            .map(crate::time::datefmt::date_hm)
            .unwrap_or_else(|| format_instant(t.0))
    }

    fn priority_name(&self, id: Option<&str>) -> String {
        match id {
            None => "All".into(),
            Some(id) => self
                .priorities
                .iter()
                .find(|p| p.id == id)
                .map_or(id.to_string(), |p| p.name.clone()),
        }
    }

    fn category_name(&self, id: Option<&str>) -> String {
        match id {
            None => "All".into(),
            Some("") => "(none)".into(),
            Some(id) => self
                .categories
                .iter()
                .find(|c| c.id == id)
                .map_or(id.to_string(), |c| c.name.clone()),
        }
    }

    fn metric_levels(&self, metric: MetricKind) -> Vec<&LevelRef> {
        self.levels.iter().filter(|l| l.metric == metric).collect()
    }

    /// The report as Markdown tables a review meeting can read (charts are the dashboard's).
    pub fn markdown(&self) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let p = &self.period;
        let _ = writeln!(o, "# SLA review report: {}\n", md_text(&self.policy.name));
        let _ = writeln!(
            o,
            "Policy `{}`. Tickets created from {} to {} inclusive ({}), evaluated as at {}.\n",
            md_text(&self.policy.id),
            p.first_day,
            p.last_day,
            p.zone,
            format_instant(p.evaluated_at.0)
        );
        match &self.review {
            Some(r) if r.overdue => {
                let _ = writeln!(
                    o,
                    "> **Review overdue**: due {} ({} days ago); reviewed every {} months, last \
                     on {}.\n",
                    r.next_review, -r.days_until, r.interval_months, r.last_review
                );
            }
            Some(r) => {
                let _ = writeln!(
                    o,
                    "> **Next review: {}** (in {} days); reviewed every {} months, last on {}.\n",
                    r.next_review, r.days_until, r.interval_months, r.last_review
                );
            }
            None => o.push_str("> The policy sets no review cadence.\n\n"),
        }

        // Tickets.
        let t = &self.tickets;
        o.push_str("## Tickets\n\n");
        let rows = [
            ("Read", t.read),
            ("Unreadable", t.unreadable),
            ("Created before the period", t.before_period),
            ("Created after the period (or after now)", t.after_period),
            ("Created in the period", t.in_period),
            ("In scope", t.in_scope),
            ("Out of scope", t.out_of_scope),
        ];
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|(k, v)| vec![k.to_string(), v.to_string()])
            .collect();
        md_table(&mut o, &["Tickets", "Count"], 1, &rows);
        let rows: Vec<Vec<String>> = self
            .scope
            .iter()
            .map(|s| {
                vec![
                    s.month.clone().unwrap_or_else(|| "**Period**".into()),
                    s.created.to_string(),
                    s.in_scope.to_string(),
                    s.out_of_scope.to_string(),
                    s.not_included.to_string(),
                    s.excluded.to_string(),
                    s.no_priority.to_string(),
                    s.no_target.to_string(),
                ]
            })
            .collect();
        md_table(
            &mut o,
            &[
                "Month",
                "Created",
                "In scope",
                "Out of scope",
                "Not included",
                "Excluded",
                "No priority",
                "No target",
            ],
            1,
            &rows,
        );
        if self.excluded_by.iter().any(|r| r.count > 0) {
            let rows: Vec<Vec<String>> = self
                .excluded_by
                .iter()
                .map(|r| vec![format!("`{}`", r.rule), r.count.to_string()])
                .collect();
            md_table(&mut o, &["Excluded by", "Tickets"], 1, &rows);
        }

        for m in &self.metrics {
            self.md_metric(&mut o, m);
        }
        self.md_distribution(&mut o);
        self.md_breaches(&mut o);

        if !self.unreadable.is_empty() {
            let _ = writeln!(o, "## Unreadable tickets ({})\n", self.unreadable.len());
            let rows: Vec<Vec<String>> = self
                .unreadable
                .iter()
                .map(|e| {
                    vec![
                        format!("`{}`", md_text(&e.path)),
                        md_text(e.id.as_deref().unwrap_or("")),
                        format!("`{}`", e.code),
                        md_text(&e.message),
                    ]
                })
                .collect();
            md_table(&mut o, &["Where", "Ticket", "Code", "Reason"], 4, &rows);
        }
        o
    }

    fn md_metric(&self, o: &mut String, m: &MetricRef) {
        use std::fmt::Write;
        let name = match m.metric {
            MetricKind::Response => ("Response", "respond"),
            MetricKind::Resolution => ("Resolution", "resolve"),
        };
        let _ = writeln!(o, "## {}\n", name.0);
        let levels = self.metric_levels(m.metric);
        if !m.targeted {
            let _ = writeln!(
                o,
                "No target sets this metric: the time to {} is measured, not judged.\n",
                name.1
            );
        } else {
            let _ = writeln!(
                o,
                "Met % = met / (met + met late + breached); open tickets are not yet decided. \
                 Times to {} are over the tickets whose clock stopped (nearest-rank median and \
                 90th percentile); business time excludes pauses, wall clock includes them.{}\n",
                name.1,
                if self
                    .cells
                    .iter()
                    .any(|c| c.metric == m.metric && c.unknown > 0)
                {
                    " Unknown: the export lacks the replies or the status history that would \
                     decide the outcome; counted apart, never as met or breached, and without a \
                     time."
                } else {
                    ""
                }
            );
        }
        let mut head: Vec<String> = vec!["Priority".into(), "Category".into()];
        // A column for the outcomes an input could not tell, when there are any.
        let unknown = self
            .cells
            .iter()
            .any(|c| c.metric == m.metric && c.unknown > 0);
        if m.targeted {
            for h in ["In scope", "Met", "Met late", "Breached", "Open"] {
                head.push(h.into());
            }
            if unknown {
                head.push("Unknown".into());
            }
            head.push("Met %".into());
        } else {
            head.push("Measured".into());
        }
        for h in [
            "Median (business)",
            "p90 (business)",
            "Median (wall)",
            "p90 (wall)",
        ] {
            head.push(h.into());
        }
        for l in &levels {
            head.push(format!("L{} {}", l.level, md_text(&l.role)));
        }
        head.push("Paused (tickets, total)".into());
        let row = |c: &Cell, first: Vec<String>| {
            let mut r = first;
            if m.targeted {
                r.extend([
                    c.in_scope.to_string(),
                    c.met.to_string(),
                    c.met_late.to_string(),
                    c.breached.to_string(),
                    c.open.to_string(),
                ]);
                if unknown {
                    r.push(c.unknown.to_string());
                }
                r.push(pct(c.met_percent));
            } else {
                r.push((c.in_scope + c.untargeted).to_string());
            }
            r.extend([
                opt_hours(c.business.median),
                opt_hours(c.business.p90),
                opt_wall(c.wall.median),
                opt_wall(c.wall.p90),
            ]);
            r.extend(c.escalations.iter().map(|e| e.reached.to_string()));
            r.push(if c.paused.tickets == 0 {
                "–".into()
            } else {
                format!(
                    "{}, {}",
                    c.paused.tickets,
                    crate::time::duration::format(c.paused.total_seconds)
                )
            });
            r
        };
        let measured = |c: &Cell| c.in_scope + c.untargeted > 0;
        let mine = |c: &&Cell| c.metric == m.metric;

        let _ = writeln!(o, "### By priority and category\n");
        let head_ref: Vec<&str> = head.iter().map(String::as_str).collect();
        let mut rows = Vec::new();
        let period: Vec<&Cell> = self
            .cells
            .iter()
            .filter(mine)
            .filter(|c| c.month.is_none())
            .collect();
        for pr in self
            .priorities
            .iter()
            .map(|p| Some(p.id.as_str()))
            .chain([None])
        {
            for c in period.iter().filter(|c| c.priority.as_deref() == pr) {
                if c.category.is_some() && !measured(c) {
                    continue;
                }
                let label = |s: String, bold: bool| if bold { format!("**{s}**") } else { s };
                let total = c.category.is_none();
                rows.push(row(
                    c,
                    vec![
                        label(self.priority_name(pr), total),
                        label(self.category_name(c.category.as_deref()), total),
                    ],
                ));
            }
        }
        md_table(o, &head_ref, 2, &rows);

        let _ = writeln!(o, "### By month\n");
        let mut head_m = head_ref.clone();
        head_m[0] = "Month";
        head_m[1] = "Priority";
        let mut rows = Vec::new();
        for month in &self.months {
            for pr in [None]
                .into_iter()
                .chain(self.priorities.iter().map(|p| Some(p.id.as_str())))
            {
                let Some(c) = self.cells.iter().find(|c| {
                    c.metric == m.metric
                        && c.month.as_deref() == Some(month)
                        && c.priority.as_deref() == pr
                        && c.category.is_none()
                }) else {
                    continue;
                };
                if pr.is_some() && !measured(c) {
                    continue;
                }
                rows.push(row(c, vec![month.clone(), self.priority_name(pr)]));
            }
        }
        md_table(o, &head_m, 2, &rows);
    }

    fn md_distribution(&self, o: &mut String) {
        const LABELS: [&str; RESPONSE_BUCKETS.len() + 1] = [
            "< 15m", "15–30m", "30m–1h", "1–2h", "2–4h", "4–8h", "8–24h", "1–2d", "≥ 2d",
        ];
        let d = &self.distribution;
        o.push_str("## Response-time distribution\n\n");
        if d.total == 0 {
            o.push_str("No ticket in scope got a first response in the period.\n\n");
            return;
        }
        let mut head = vec!["Priority"];
        head.extend(LABELS);
        head.push("Total");
        let rows: Vec<Vec<String>> = self
            .priorities
            .iter()
            .zip(&d.counts)
            .map(|(p, counts)| {
                let mut row = vec![md_text(&p.name)];
                row.extend(counts.iter().map(u64::to_string));
                row.push(counts.iter().sum::<u64>().to_string());
                row
            })
            .collect();
        md_table(o, &head, 1, &rows);
    }

    fn md_breaches(&self, o: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(o, "## Breaches ({})\n", self.breaches.len());
        if self.breaches.is_empty() {
            o.push_str("No ticket missed its target in the period.\n\n");
            return;
        }
        let rows: Vec<Vec<String>> = self
            .breaches
            .iter()
            .map(|b| {
                let id = match &b.url {
                    Some(u) => format!("[{}]({})", md_text(&b.id), md_text(u)),
                    None => md_text(&b.id),
                };
                let esc: Vec<String> = b
                    .escalations
                    .iter()
                    .map(|e| {
                        let cycle = if b.cycles > 1 {
                            format!(" (cycle {})", e.cycle)
                        } else {
                            String::new()
                        };
                        format!(
                            "L{} {} {}{}",
                            e.level,
                            md_text(&e.role),
                            self.local_time(e.at),
                            cycle
                        )
                    })
                    .collect();
                vec![
                    id,
                    md_text(b.title.as_deref().unwrap_or("")),
                    self.local_time(b.created),
                    self.priority_name(Some(&b.priority)),
                    self.category_name(b.category.as_deref().or(Some(""))),
                    b.metric.as_str().to_string(),
                    match b.state {
                        State::Breached => "breached".into(),
                        _ => "met late".into(),
                    },
                    crate::time::duration::format_hours(b.target),
                    b.deadline.map_or("–".into(), |d| self.local_time(d)),
                    b.stopped_at.map_or("open".into(), |d| self.local_time(d)),
                    b.cycles.to_string(),
                    if esc.is_empty() {
                        "–".into()
                    } else {
                        esc.join("; ")
                    },
                ]
            })
            .collect();
        md_table(
            o,
            &[
                "Ticket",
                "Title",
                "Created",
                "Priority",
                "Category",
                "Metric",
                "State",
                "Target",
                "Deadline",
                "Stopped",
                "Cycles",
                "Escalations",
            ],
            12,
            &rows,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180), and never a
/// formula: a field starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// `'` and is quoted (OWASP's rule against spreadsheet formula injection: the cell is read as
/// text, the quote mark shown or not depending on the spreadsheet) — unless the whole field is a plain decimal number
/// (`-3600`, `-0.5`), which a spreadsheet reads as that number and which cannot hold a formula.
/// The same rule as `csvField` in `www/board/board-model.js` (DESIGN.md, "CSV exports").
pub fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s);
    if formula {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `-12`, `3.25`, `-0.5`: an optional minus, digits, an optional fraction (no exponent, no `+`).
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

impl Report {
    /// Every cell as one CSV row (RFC 4180, header first, `\n` line ends): the figures of the
    /// JSON `cells`, flattened. An empty month, priority or category means "all"; the category
    /// `(none)` holds the tickets that matched no category tier. Absent figures are empty. Each
    /// escalation level has a column `levelN`, empty for the cells of the other metric.
    pub fn cells_csv(&self) -> String {
        let mut head: Vec<String> = [
            "metric",
            "month",
            "priority",
            "category",
            "inScope",
            "met",
            "metLate",
            "breached",
            "open",
            "unknown",
            "untargeted",
            "metPercent",
            "businessCount",
            "businessMedian",
            "businessP90",
            "wallCount",
            "wallMedian",
            "wallP90",
        ]
        .map(String::from)
        .to_vec();
        head.extend(self.levels.iter().map(|l| format!("level{}", l.level)));
        head.extend(
            [
                "pausedTickets",
                "pausedTotalSeconds",
                "pausedMedianSeconds",
                "pausedTotalBusinessSeconds",
            ]
            .map(String::from),
        );
        let mut out = head.join(",");
        out.push('\n');
        let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
        for c in &self.cells {
            let mut row = vec![
                c.metric.as_str().to_string(),
                c.month.clone().unwrap_or_default(),
                c.priority.clone().unwrap_or_default(),
                match c.category.as_deref() {
                    None => String::new(),
                    Some("") => "(none)".into(),
                    Some(id) => id.to_string(),
                },
                c.in_scope.to_string(),
                c.met.to_string(),
                c.met_late.to_string(),
                c.breached.to_string(),
                c.open.to_string(),
                c.unknown.to_string(),
                c.untargeted.to_string(),
                c.met_percent.map_or(String::new(), |p| p.to_string()),
                c.business.count.to_string(),
                opt(c.business.median),
                opt(c.business.p90),
                c.wall.count.to_string(),
                opt(c.wall.median),
                opt(c.wall.p90),
            ];
            for l in &self.levels {
                row.push(
                    c.escalations
                        .iter()
                        .find(|e| e.level == l.level)
                        .map_or(String::new(), |e| e.reached.to_string()),
                );
            }
            row.extend([
                c.paused.tickets.to_string(),
                c.paused.total_seconds.to_string(),
                opt(c.paused.median_seconds),
                c.paused.total_business_seconds.to_string(),
            ]);
            let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }
}
