//! The `sla-lens` command line: check policies, evaluate tickets, and do raw calendar arithmetic.

use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use sla_lens::adapters::csv::{self, CsvFormat, CsvMapping};
use sla_lens::adapters::{self, SiteConfig, TrackerKind};
use sla_lens::api;
use sla_lens::calendar::{Calendar, CalendarSpec, ALWAYS};
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::time::duration;
use sla_lens::time::format_instant;
use sla_lens::util::diagnostic::{json_refused, Diagnostic};
use sla_lens::{Policy, Ticket};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[path = "cmd/escalate/mod.rs"]
mod escalate_cmd;

#[derive(Parser)]
#[command(
    name = "sla-lens",
    version,
    about = "Evaluate SLA policies against tracker issues"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a policy and print every diagnostic; exit 1 if any is an error.
    Check {
        /// The policy file (JSON).
        policy: String,
        /// Print the diagnostics as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Evaluate tickets (a JSON array in the canonical ticket format) and print JSON results.
    Eval {
        /// The policy file; the built-in default (seed) policy when omitted.
        #[arg(long)]
        policy: Option<String>,
        /// The evaluation instant (RFC 3339); the current time when omitted.
        #[arg(long)]
        now: Option<String>,
        /// Include each ticket's explanation trace and sentences.
        #[arg(long)]
        explain: bool,
        /// Read the tracker's own REST responses instead of canonical tickets (see
        /// docs/trackers.md for each tracker's accepted shapes), or its CSV issue export
        /// (`redmine-csv`, `jira-csv`, with --time-zone or --mapping).
        #[arg(long, value_parser = TRACKERS)]
        tracker: Option<String>,
        /// CSV exports: the column mapping (a JSON file, or the JSON itself), over the format's
        /// defaults (docs/trackers.md, "CSV exports").
        #[arg(long)]
        mapping: Option<String>,
        /// CSV exports: the time zone the export's local times are in (IANA name).
        #[arg(long)]
        time_zone: Option<String>,
        /// The site file (tracker kind, field mapping, staff rule); the tracker's defaults when
        /// omitted. Implies --tracker.
        #[arg(long)]
        site: Option<String>,
        /// The tickets files (`-` for standard input). With --tracker, every file's responses
        /// are read together (e.g. an `/issues.json` page, `/issues/N.json` responses and
        /// `/issue_statuses.json`).
        #[arg(required = true)]
        tickets: Vec<String>,
    },
    /// The deadline `duration` of business time after `start` on a calendar. Without --start,
    /// reads JSON lines `{"start": ..., "duration": ...}` on stdin and writes one line each.
    Deadline {
        /// A calendar file (one `calendars` entry of a policy), or `24x7`.
        #[arg(long)]
        calendar: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        duration: Option<String>,
    },
    /// The business time in `[start, end)` on a calendar. Without --start, reads JSON lines
    /// `{"start": ..., "end": ...}` on stdin and writes one line each.
    Elapsed {
        #[arg(long)]
        calendar: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
    },
    /// Print the built-in default policy (the seed SLA), the starting point for admins.
    DefaultPolicy {
        /// `business-hours` prints the Berlin business-hours example instead.
        #[arg(long)]
        example: Option<String>,
    },
    /// Print the policy JSON Schema.
    Schema,
    /// The review report over an export: per metric × priority × category and per month, the
    /// tickets in scope, met %, breaches, time to respond and resolve, escalations and pauses;
    /// the breaches with their escalation history; the review banner.
    Report {
        /// The policy file; the built-in default (seed) policy when omitted.
        #[arg(long)]
        policy: Option<String>,
        /// First day of the period (`YYYY-MM-DD` in the report zone, or RFC 3339). Default: the
        /// policy's last review (or effective date).
        #[arg(long)]
        from: Option<String>,
        /// Last day of the period, inclusive (`YYYY-MM-DD`; an RFC 3339 instant is exclusive).
        /// Default: the day before the next review.
        #[arg(long)]
        to: Option<String>,
        /// The report instant (RFC 3339); tickets are evaluated at min(now, end of the period).
        /// The current time when omitted.
        #[arg(long)]
        now: Option<String>,
        /// Read the tracker's own REST responses instead of canonical tickets, or its CSV
        /// issue export (`redmine-csv`, `jira-csv`).
        #[arg(long, value_parser = TRACKERS)]
        tracker: Option<String>,
        /// CSV exports: the column mapping (a JSON file, or the JSON itself).
        #[arg(long)]
        mapping: Option<String>,
        /// CSV exports: the time zone the export's local times are in (IANA name).
        #[arg(long)]
        time_zone: Option<String>,
        /// The site file (tracker kind, field mapping, staff rule). Implies --tracker.
        #[arg(long)]
        site: Option<String>,
        /// `json` (every figure), `markdown` (tables for a review meeting) or `csv` (every cell's
        /// figures, one row each).
        #[arg(long, default_value = "json", value_parser = ["json", "markdown", "csv"])]
        format: String,
        /// The export files (`-` for standard input).
        #[arg(required = true)]
        export: Vec<String>,
    },
    /// Read the tracker's open issues over its REST API, evaluate them and perform the escalation
    /// actions due since the last run, each exactly once (`--dry-run`: only plan them; README
    /// "Escalation actions"). The key or token comes from
    /// the environment, never from the command line: SLA_LENS_REDMINE_KEY,
    /// SLA_LENS_GITHUB_TOKEN, SLA_LENS_GITLAB_TOKEN, or SLA_LENS_JIRA_EMAIL with
    /// SLA_LENS_JIRA_TOKEN (each secret also as a file: the name with _FILE). Exit
    /// codes: 0 planned without faults, 1 some issues could not be read or planned, 2 usage or
    /// configuration, 3 the tracker could not be read at all.
    Escalate {
        /// The tracker.
        #[arg(long, value_parser = ["redmine", "github", "gitlab", "jira", "rt"])]
        tracker: String,
        /// The tracker's API address: `https://redmine.example.com` (or with the path it is
        /// served under), `https://api.github.com`, `https://gitlab.example.com/api/v4`,
        /// `https://example.atlassian.net`, `https://rt.example.com` (Request Tracker: the address
        /// its web interface is served at; REST 2 is under it). Requests go to it only; redirects
        /// are not followed.
        #[arg(long)]
        url: String,
        /// The site file (field mapping, staff rule); the tracker's defaults when omitted.
        #[arg(long)]
        site: Option<String>,
        /// Which issues: GitHub `owner/name`, GitLab project id or path (`group/project`), Jira
        /// project key (its issues not Done), RT queue name (its active tickets; without it, every
        /// queue's). Not for Redmine, which reads every open issue the key can see.
        #[arg(long)]
        project: Option<String>,
        /// Jira: the JQL selecting the issues to read, instead of --project.
        #[arg(long, conflicts_with = "project")]
        jql: Option<String>,
        /// The policy file; the built-in default (seed) policy when omitted.
        #[arg(long)]
        policy: Option<String>,
        /// Print the plan, perform nothing.
        #[arg(long)]
        dry_run: bool,
        /// One run, then exit (the default).
        #[arg(long, conflicts_with = "every")]
        once: bool,
        /// Run again this often (`5m`, `30s`, `1h`; at least 10s) until SIGTERM or SIGINT,
        /// which end the process cleanly after the issue being acted on.
        #[arg(long)]
        every: Option<String>,
        /// One JSON document for the run instead of the summary.
        #[arg(long)]
        json: bool,
        /// The evaluation instant (RFC 3339); the current time, read after the issues, when
        /// omitted.
        #[arg(long)]
        now: Option<String>,
    },
}

/// A period end (`--from`, `--to`): see [`api::period_end`].
fn period_end(policy: &Policy, text: Option<&str>, end: api::End) -> Fallible<Option<i64>> {
    let Some(text) = text else { return Ok(None) };
    let what = match end {
        api::End::From => "from",
        api::End::To => "to",
    };
    api::period_end(policy, text, end)
        .map(Some)
        .map_err(|e| format!("--{what}: {e}"))
}

type Fallible<T> = Result<T, String>;

fn read(path: &str) -> Fallible<String> {
    if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

fn instant(text: &str, what: &str) -> Fallible<i64> {
    parse_instant(&Stamp::Text(text.to_string())).map_err(|e| format!("--{what}: {e}"))
}

fn load_policy(path: Option<&str>) -> Fallible<Policy> {
    match path {
        None => Ok(Policy::default_policy()),
        Some(p) => Policy::from_json(&read(p)?).map_err(|d| format!("{p}: {d}")),
    }
}

fn load_calendar(arg: &str) -> Fallible<Calendar> {
    if arg == ALWAYS {
        return Ok(Calendar::always());
    }
    let text = read(arg)?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{arg}: {}", json_refused("the calendar", &e)))?;
    let spec: CalendarSpec = serde_path_to_error::deserialize(&v)
        .map_err(|e| format!("{arg}: at {}: {}", e.path(), e.inner()))?;
    let mut diags = Vec::new();
    Calendar::compile("calendar", &spec, "", &mut diags).ok_or_else(|| {
        let lines: Vec<String> = diags.iter().map(Diagnostic::to_string).collect();
        format!("{arg}:\n  {}", lines.join("\n  "))
    })
}

const TRACKERS: [&str; 7] = [
    "redmine",
    "github",
    "gitlab",
    "jira",
    "rt",
    "redmine-csv",
    "jira-csv",
];

/// The CSV format `--tracker` names, if it names one (a site file is for REST responses).
fn csv_format(tracker: Option<&str>, site: &Option<String>) -> Fallible<Option<CsvFormat>> {
    match tracker.map(str::parse::<CsvFormat>) {
        Some(Ok(f)) if site.is_some() => Err(format!(
            "--site is for REST responses; a {f} export takes --mapping (and --time-zone)"
        )),
        Some(Ok(f)) => Ok(Some(f)),
        _ => Ok(None),
    }
}

/// CSV issue exports mapped through `mapping` (a file or inline JSON) and `time_zone`. A row that
/// cannot be mapped is an error for that ticket (its path names the row and column); what the
/// export cannot tell goes to stderr as notes.
fn load_csv(
    format: CsvFormat,
    mapping: Option<&str>,
    time_zone: Option<&str>,
    files: &[String],
) -> Fallible<Vec<Result<Ticket, sla_lens::TicketError>>> {
    let text = match mapping {
        Some(m) if m.trim_start().starts_with('{') => m.to_string(),
        Some(path) => read(path)?,
        None => String::new(),
    };
    let mut value: serde_json::Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(&text)
            .map_err(|e| format!("--mapping: {}", json_refused("the mapping", &e)))?
    };
    if let (Some(tz), Some(o)) = (time_zone, value.as_object_mut()) {
        o.insert("timeZone".into(), json!(tz));
    }
    let m = CsvMapping::from_json(Some(format), &value.to_string()).map_err(|d| {
        let lines: Vec<String> = d.0.iter().map(Diagnostic::to_string).collect();
        format!("--mapping:\n  {}", lines.join("\n  "))
    })?;
    let mut all = Vec::new();
    for f in files {
        let bytes = if f == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            b
        } else {
            std::fs::read(f).map_err(|e| format!("cannot read `{f}`: {e}"))?
        };
        let export = csv::map_csv_bytes(&bytes, &m)
            .map_err(|e| format!("{f}: {}: {}", e.code, e.message))?;
        for u in &export.unknown {
            eprintln!("note: {f}: {} unknown: {}", u.what, u.reason);
        }
        all.extend(
            export
                .rows
                .into_iter()
                .map(|r| r.map_err(|e| e.error).and_then(Ticket::from_input)),
        );
    }
    Ok(all)
}

/// The tickets of `files`: canonical tickets, or a tracker's REST responses mapped through a
/// site configuration. A ticket that cannot be read stays an error for that ticket alone.
fn load_tickets(
    tracker: Option<&str>,
    site: Option<&str>,
    files: &[String],
) -> Fallible<Vec<Result<Ticket, sla_lens::TicketError>>> {
    let texts = files
        .iter()
        .map(|f| read(f))
        .collect::<Fallible<Vec<_>>>()?;
    let site = match site {
        Some(path) => Some(SiteConfig::from_json(&read(path)?).map_err(|d| {
            let lines: Vec<String> = d.0.iter().map(Diagnostic::to_string).collect();
            format!("{path}:\n  {}", lines.join("\n  "))
        })?),
        None => None,
    };
    let kind = match (tracker, &site) {
        (None, None) => {
            let mut all = Vec::new();
            for (f, t) in files.iter().zip(&texts) {
                all.extend(Ticket::parse_batch(t).map_err(|e| format!("{f}: {e}"))?);
            }
            return Ok(all);
        }
        (Some(t), None) => t.parse::<TrackerKind>()?,
        (None, Some(s)) => s.tracker,
        (Some(t), Some(s)) => {
            let k = t.parse::<TrackerKind>()?;
            if k != s.tracker {
                return Err(format!(
                    "--tracker {k} disagrees with the site file's tracker `{}`: drop one",
                    s.tracker
                ));
            }
            k
        }
    };
    let site = site.unwrap_or_else(|| SiteConfig::default_for(kind));
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mapped = adapters::map_texts(kind, &refs, &site).map_err(|e| {
        let (which, at) = match api::input_path(&e.path) {
            Some((k, at)) => (
                files.get(k).map(|f| format!("{f}: ")).unwrap_or_default(),
                at,
            ),
            None if files.len() == 1 => (format!("{}: ", files[0]), e.path.as_str()),
            None => (String::new(), e.path.as_str()),
        };
        if at.is_empty() {
            format!("{which}{}: {}", e.code, e.message)
        } else {
            format!("{which}{} at {at}: {}", e.code, e.message)
        }
    })?;
    let tickets: Vec<_> = mapped
        .into_iter()
        .map(|r| r.and_then(Ticket::from_input))
        .collect();
    // What a list export lacks (DESIGN.md, "Snapshots"): said once, the states it leaves open
    // are `unknown` in the results.
    for n in sla_lens::eval::snapshot::notes(tickets.iter().flatten()) {
        eprintln!("note: {}", n.message);
    }
    Ok(tickets)
}

/// Tickets read from the canonical JSON list in `file` (`-`: standard input) a chunk at a time,
/// each handed to `each` as soon as its chunk is read: memory stays flat in the number of
/// tickets. The list's elements are cut out by a scanner that follows strings and nesting, and
/// each chunk of up to [`CHUNK`] elements is read by [`Ticket::parse_batch`] (error paths keep
/// the ticket's index in the whole list). Input that is not a top-level array (`{"tickets":
/// [...]}`) is read whole, as before. A syntax error part way stops the command there (exit 1).
fn stream_tickets(
    file: &str,
    each: &mut dyn FnMut(Result<Ticket, sla_lens::TicketError>) -> Fallible<()>,
) -> Fallible<()> {
    let input: Box<dyn std::io::Read> = if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot read `{file}`: {e}"))?)
    };
    let cannot = |e: std::io::Error| match file {
        "-" => format!("cannot read standard input: {e}"),
        f => format!("cannot read `{f}`: {e}"),
    };
    let mut r = std::io::BufReader::with_capacity(1 << 16, input);
    let mut scan = ListScanner::default();
    // The current chunk as a JSON list of its `n` elements so far, `done` tickets before it.
    let mut chunk: Vec<u8> = b"[".to_vec();
    let (mut n, mut done) = (0usize, 0usize);
    let flush = |chunk: &mut Vec<u8>,
                 n: usize,
                 done: &mut usize,
                 each: &mut dyn FnMut(Result<Ticket, sla_lens::TicketError>) -> Fallible<()>|
     -> Fallible<()> {
        if n > 0 {
            chunk.push(b']');
            let text = std::str::from_utf8(chunk)
                .map_err(|_| format!("{file}: the tickets are not UTF-8 text"))?;
            let batch = Ticket::parse_batch(text)
                .map_err(|e| format!("{file}: {e} (in tickets {}..={})", *done, *done + n - 1))?;
            for t in batch {
                each(t.map_err(|e| reindex(e, *done)))?;
            }
            *done += n;
        }
        chunk.clear();
        chunk.push(b'[');
        Ok(())
    };
    loop {
        let buf = r.fill_buf().map_err(cannot)?;
        if buf.is_empty() {
            break;
        }
        let len = buf.len();
        let mut i = 0;
        while i < len {
            if scan.in_string && !scan.escaped {
                // Inside a string (most of the text): copy up to its next quote or backslash.
                let k = memchr::memchr2(b'"', b'\\', &buf[i..]).unwrap_or(len - i);
                chunk.extend_from_slice(&buf[i..i + k]);
                i += k;
                if i == len {
                    break;
                }
            }
            let b = buf[i];
            i += 1;
            match scan.step(b) {
                Step::NotAList => {
                    // Read the rest whole (the `{"tickets": [...]}` wrapper, or an error).
                    let mut text = std::mem::take(&mut scan.prefix);
                    text.extend_from_slice(&buf[i - 1..]);
                    r.consume(len);
                    std::io::Read::read_to_end(&mut r, &mut text).map_err(cannot)?;
                    let text = String::from_utf8(text)
                        .map_err(|_| format!("{file}: the tickets are not UTF-8 text"))?;
                    for t in Ticket::parse_batch(&text).map_err(|e| format!("{file}: {e}"))? {
                        each(t)?;
                    }
                    return Ok(());
                }
                Step::Byte => chunk.push(b),
                Step::Skip => {}
                Step::Next => {
                    n += 1;
                    if n == CHUNK {
                        flush(&mut chunk, n, &mut done, each)?;
                        n = 0;
                    } else {
                        chunk.push(b',');
                    }
                }
                Step::End => {
                    if scan.element_started {
                        n += 1;
                    } else if done + n > 0 {
                        return Err(format!(
                            "{file}: json-syntax: the tickets are not valid JSON: a comma \
                             before the list's end (after ticket {})",
                            done + n - 1
                        ));
                    }
                    flush(&mut chunk, n, &mut done, each)?;
                    n = 0;
                }
                Step::Trailing => {
                    return Err(format!(
                        "{file}: json-syntax: the tickets are not valid JSON: trailing characters \
                         after the list"
                    ))
                }
            }
        }
        r.consume(len);
    }
    if !scan.ended {
        return Err(format!(
            "{file}: json-syntax: the tickets are not valid JSON: the text ends before the list \
             does"
        ));
    }
    Ok(())
}

/// Tickets per chunk of [`stream_tickets`].
const CHUNK: usize = 1024;

/// `e` (of a ticket in a chunk) with its path's index moved by `offset` to the whole list's.
fn reindex(mut e: sla_lens::TicketError, offset: usize) -> sla_lens::TicketError {
    if offset == 0 {
        return e;
    }
    if let Some(rest) = e.path.strip_prefix('[') {
        if let Some((i, tail)) = rest.split_once(']') {
            if let Ok(i) = i.parse::<usize>() {
                e.path = format!("[{}]{tail}", i + offset);
            }
        }
    }
    e
}

/// What [`ListScanner::step`] made of a byte.
enum Step {
    /// Before the list, or whitespace between elements: not part of an element.
    Skip,
    /// Part of the current element.
    Byte,
    /// A comma between elements: the current element is complete.
    Next,
    /// The list's closing bracket.
    End,
    /// Anything but whitespace after the list.
    Trailing,
    /// The text does not start with `[`.
    NotAList,
}

/// Finds the elements of a top-level JSON array byte by byte: it follows strings (and their
/// escapes) and nesting only; the elements' own syntax is checked when they are read.
#[derive(Default)]
struct ListScanner {
    /// The leading whitespace, kept for the whole-text fallback.
    prefix: Vec<u8>,
    in_list: bool,
    ended: bool,
    depth: u32,
    in_string: bool,
    escaped: bool,
    element_started: bool,
}

impl ListScanner {
    fn step(&mut self, b: u8) -> Step {
        if self.ended {
            return if b.is_ascii_whitespace() {
                Step::Skip
            } else {
                Step::Trailing
            };
        }
        if !self.in_list {
            if b.is_ascii_whitespace() {
                self.prefix.push(b);
                return Step::Skip;
            }
            if b == b'[' {
                self.in_list = true;
                return Step::Skip;
            }
            return Step::NotAList;
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return Step::Byte;
        }
        match b {
            b'"' => self.in_string = true,
            b'[' | b'{' => self.depth += 1,
            b']' | b'}' if self.depth > 0 => self.depth -= 1,
            b']' if self.depth == 0 => {
                self.ended = true;
                return Step::End;
            }
            b',' if self.depth == 0 => {
                // An empty element (`[,1]`) still counts: its chunk then fails to read.
                self.element_started = false;
                return Step::Next;
            }
            _ if self.depth == 0 && b.is_ascii_whitespace() && !self.element_started => {
                return Step::Skip
            }
            _ => {}
        }
        self.element_started = true;
        Step::Byte
    }
}

/// Every ticket of `files`, in order, handed to `each`: canonical JSON lists are streamed
/// ([`stream_tickets`]); a tracker's REST responses and CSV exports are read whole first (their
/// files are read together: an issue list with its statuses' response, a CSV's header).
fn for_each_ticket(
    tracker: Option<&str>,
    site: Option<&str>,
    mapping: Option<&str>,
    time_zone: Option<&str>,
    files: &[String],
    each: &mut dyn FnMut(Result<Ticket, sla_lens::TicketError>) -> Fallible<()>,
) -> Fallible<()> {
    let site_arg = site.map(str::to_string);
    let batch = match csv_format(tracker, &site_arg)? {
        Some(f) => load_csv(f, mapping, time_zone, files)?,
        None if tracker.is_none() && site.is_none() => {
            for f in files {
                stream_tickets(f, each)?;
            }
            return Ok(());
        }
        None => load_tickets(tracker, site, files)?,
    };
    for t in batch {
        each(t)?;
    }
    Ok(())
}

/// Hands one element to a [`StreamedList`]'s output.
type Emit<'e> = dyn FnMut(&Value) -> Fallible<()> + 'e;

/// A JSON list whose elements are produced while it is being written: `produce` is called once,
/// during serialisation, and each element it emits is written at once.
struct StreamedList<F>(std::cell::RefCell<Option<F>>);

impl<F: FnOnce(&mut Emit<'_>) -> Fallible<()>> StreamedList<F> {
    fn new(produce: F) -> Self {
        StreamedList(std::cell::RefCell::new(Some(produce)))
    }
}

impl<F: FnOnce(&mut Emit<'_>) -> Fallible<()>> serde::Serialize for StreamedList<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let produce = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("a streamed list is written once"))?;
        let mut seq = s.serialize_seq(None)?;
        let mut failed: Option<S::Error> = None;
        let r = produce(&mut |v: &Value| {
            seq.serialize_element(v).map_err(|e| {
                let text = e.to_string();
                failed = Some(e);
                text
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        r.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// `sla-lens eval`'s output (keys in the order a `serde_json::Value` writes them).
struct EvalOutput<'p, F> {
    now: String,
    policy: &'p str,
    results: StreamedList<F>,
}

impl<F: FnOnce(&mut Emit<'_>) -> Fallible<()>> serde::Serialize for EvalOutput<'_, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("EvalOutput", 3)?;
        st.serialize_field("now", &self.now)?;
        st.serialize_field("policy", self.policy)?;
        st.serialize_field("results", &self.results)?;
        st.end()
    }
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn out(v: &impl serde::Serialize) -> Fallible<()> {
    // Buffered: stdout is line-buffered, and a report's pretty JSON has a line per figure (a
    // write call each made up a third of `sla-lens report` on 100,000 tickets).
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut stdout, v).map_err(|e| e.to_string())?;
    writeln!(stdout).map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())
}

/// Runs a calendar computation once, or once per JSON line of stdin.
fn per_case(single: Option<Value>, f: impl Fn(&Value) -> Fallible<Value>) -> Fallible<()> {
    if let Some(case) = single {
        return out(&f(&case)?);
    }
    let stdin = std::io::stdin();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let result = serde_json::from_str::<Value>(&line)
            .map_err(|e| format!("line {}: {}", n + 1, json_refused("the line", &e)))
            .and_then(|v| f(&v));
        let v = result.unwrap_or_else(|e| json!({ "error": e }));
        serde_json::to_writer(&mut stdout, &v).map_err(|e| e.to_string())?;
        writeln!(stdout).map_err(|e| e.to_string())?;
    }
    stdout.flush().map_err(|e| e.to_string())
}

fn field<'v>(v: &'v Value, k: &str) -> Fallible<&'v str> {
    v.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field `{k}`"))
}

fn run(cli: Cli) -> Fallible<ExitCode> {
    match cli.command {
        Command::Escalate {
            tracker,
            url,
            site,
            project,
            jql,
            policy,
            dry_run,
            once: _,
            every,
            json,
            now,
        } => {
            let now = match now {
                Some(n) => Some(instant(&n, "now")?),
                None => None,
            };
            let args = escalate_cmd::Args {
                tracker,
                url,
                site,
                project,
                jql,
                policy,
                dry_run,
                json,
                now,
                every,
            };
            match escalate_cmd::run(args) {
                Ok(code) => Ok(code),
                Err(escalate_cmd::Fatal(code, message)) => {
                    eprintln!("sla-lens: {message}");
                    Ok(ExitCode::from(code))
                }
            }
        }
        Command::Check { policy, json } => {
            let diags = Policy::validate(&read(&policy)?);
            if json {
                out(&diags)?;
            } else if diags.is_empty() {
                println!("{policy}: ok");
            } else {
                for d in &diags {
                    println!("{d}");
                }
            }
            let failed = diags.iter().any(Diagnostic::is_error);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Eval {
            policy,
            now,
            explain: with_trace,
            tracker,
            mapping,
            time_zone,
            site,
            tickets,
        } => {
            let policy = load_policy(policy.as_deref())?;
            let now = match now {
                Some(n) => instant(&n, "now")?,
                None => now_seconds(),
            };
            let result = |t: &Result<Ticket, sla_lens::TicketError>| {
                api::with_result(&policy, t.as_ref(), now, with_trace, |r| {
                    serde_json::to_value(r)
                        .map_err(|e| format!("cannot write a result as JSON: {e}"))
                })
            };
            // Each result is written as soon as it is computed (memory flat in the number of
            // tickets); the document is the same as one serialised whole.
            let results = StreamedList::new(|emit: &mut Emit<'_>| {
                for_each_ticket(
                    tracker.as_deref(),
                    site.as_deref(),
                    mapping.as_deref(),
                    time_zone.as_deref(),
                    &tickets,
                    &mut |t| emit(&result(&t)?),
                )
            });
            out(&EvalOutput {
                now: format_instant(now),
                policy: &policy.spec.id,
                results,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Deadline {
            calendar,
            start,
            duration: d,
        } => {
            let cal = load_calendar(&calendar)?;
            let single = match (start, d) {
                (Some(s), Some(d)) => Some(json!({ "start": s, "duration": d })),
                (None, None) => None,
                _ => {
                    return Err(
                        "give both --start and --duration, or neither to read JSON lines".into(),
                    )
                }
            };
            per_case(single, |v| {
                let start = instant(field(v, "start")?, "start")?;
                let secs = match v.get("duration") {
                    Some(Value::Number(n)) => match n.as_i64() {
                        Some(s) if s >= 0 => s,
                        Some(s) => {
                            return Err(format!(
                                "`duration` is {s}: a duration is 0 or more whole seconds"
                            ))
                        }
                        None => return Err("`duration` must be whole seconds, 0 or more".into()),
                    },
                    _ => duration::parse(field(v, "duration")?).map_err(|e| e.to_string())?,
                };
                let t = cal.add(start, secs).map_err(|e| e.to_string())?;
                Ok(json!({ "deadline": format_instant(t) }))
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Elapsed {
            calendar,
            start,
            end,
        } => {
            let cal = load_calendar(&calendar)?;
            let single = match (start, end) {
                (Some(s), Some(e)) => Some(json!({ "start": s, "end": e })),
                (None, None) => None,
                _ => {
                    return Err("give both --start and --end, or neither to read JSON lines".into())
                }
            };
            per_case(single, |v| {
                let a = instant(field(v, "start")?, "start")?;
                let b = instant(field(v, "end")?, "end")?;
                let s = cal.elapsed(a, b).map_err(|e| e.to_string())?;
                Ok(json!({ "seconds": s, "duration": duration::format_compact(s) }))
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::DefaultPolicy { example } => {
            let name = example.as_deref().unwrap_or("default");
            let Some(text) = api::example_policy(name) else {
                return Err(format!("no example named `{name}`: use `business-hours`"));
            };
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            out(&sla_lens::policy_schema())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            policy,
            from,
            to,
            now,
            tracker,
            mapping,
            time_zone,
            site,
            format,
            export,
        } => {
            let policy = load_policy(policy.as_deref())?;
            let now = match now {
                Some(n) => instant(&n, "now")?,
                None => now_seconds(),
            };
            let from = period_end(&policy, from.as_deref(), api::End::From)?;
            let to = period_end(&policy, to.as_deref(), api::End::To)?;
            // Each ticket is counted as it is read: the export is never held whole.
            let mut builder = sla_lens::report::ReportBuilder::new(&policy, from, to, now)
                .map_err(|e| e.to_string())?;
            for_each_ticket(
                tracker.as_deref(),
                site.as_deref(),
                mapping.as_deref(),
                time_zone.as_deref(),
                &export,
                &mut |t| {
                    builder.add(&t);
                    Ok(())
                },
            )?;
            let report = builder.finish();
            let text = match format.as_str() {
                "markdown" => report.markdown(),
                "csv" => report.cells_csv(),
                _ => return out(&report).map(|()| ExitCode::SUCCESS),
            };
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sla-lens: {e}");
            ExitCode::from(2)
        }
    }
}
