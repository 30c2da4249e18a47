//! Snapshots without history (issue 13, item 2): a tracker's list export lacks journals,
//! timelines or changelogs. The states it cannot back are `unknown`, with the missing fact; the
//! states it shows agree with the full history. DESIGN.md, "Snapshots: what is unknown when".

use serde_json::{json, Value};
use sla_lens::adapters::{map_texts, SiteConfig, TrackerKind};
use sla_lens::report::report;
use sla_lens::ticket::{parse_instant, Stamp};
use sla_lens::{evaluate, Policy, State, Ticket};
use std::collections::BTreeMap;
use std::path::Path;

#[path = "support/design_tables.rs"]
mod design_tables;

use design_tables::{design_table, At};

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn at(s: &str) -> i64 {
    parse_instant(&Stamp::Text(s.into())).unwrap()
}

fn tickets(kind: TrackerKind, texts: &[String]) -> Vec<Ticket> {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    map_texts(kind, &refs, &SiteConfig::default_for(kind))
        .unwrap()
        .into_iter()
        .map(|r| Ticket::from_input(r.unwrap()).unwrap())
        .collect()
}

fn redmine_full() -> Vec<String> {
    let mut texts = vec![
        fixture("redmine/issues.json"),
        fixture("redmine/issue_statuses.json"),
    ];
    for n in 1..=12 {
        texts.push(fixture(&format!("redmine/issues/{n}.json")));
    }
    texts
}

/// Jira's search without `expand=changelog` and without `fields.comment`.
fn jira_list() -> String {
    let mut v: Value = serde_json::from_str(&fixture("jira/search.json")).unwrap();
    for i in v["issues"].as_array_mut().unwrap() {
        i.as_object_mut().unwrap().remove("changelog");
        i["fields"].as_object_mut().unwrap().remove("comment");
    }
    v.to_string()
}

/// Each ticket's (badge, response, resolution) states.
type States = BTreeMap<String, [State; 3]>;

fn states(policy: &Policy, tickets: &[Ticket], now: i64) -> States {
    tickets
        .iter()
        .map(|t| {
            let e = evaluate(policy, t, now).unwrap();
            (
                t.id.clone(),
                [e.state, e.response.state, e.resolution.state],
            )
        })
        .collect()
}

/// The property: a snapshot's state is the full history's, or `unknown` — never another one.
#[test]
fn a_snapshot_never_contradicts_the_full_history() {
    let business = Policy::from_json(sla_lens::BUSINESS_HOURS_POLICY_JSON).unwrap();
    let seed = Policy::default_policy();
    let cases = [
        (
            TrackerKind::Redmine,
            vec![fixture("redmine/issues.json")],
            redmine_full(),
        ),
        (
            TrackerKind::Github,
            vec![fixture("github/issues.json")],
            vec![fixture("github/bundles.json")],
        ),
        (
            TrackerKind::Gitlab,
            vec![fixture("gitlab/issues.json")],
            vec![fixture("gitlab/bundles.json")],
        ),
        (
            TrackerKind::Jira,
            vec![jira_list()],
            vec![fixture("jira/search.json")],
        ),
    ];
    let mut known = 0;
    let mut unknown = 0;
    for (kind, list, full) in cases {
        let (list, full) = (tickets(kind, &list), tickets(kind, &full));
        for policy in [&seed, &business] {
            for now in [
                "2026-11-26T12:00:00Z",
                "2026-11-27T12:00:00Z",
                "2026-12-03T12:00:00Z",
            ] {
                let (l, f) = (
                    states(policy, &list, at(now)),
                    states(policy, &full, at(now)),
                );
                for (id, ls) in &l {
                    let Some(fs) = f.get(id) else { continue };
                    for k in 0..3 {
                        if ls[k] == State::Unknown {
                            unknown += 1;
                        } else {
                            known += 1;
                            assert_eq!(
                                ls[k], fs[k],
                                "{kind} #{id} at {now} under {}: state {k} of the list is {:?}, \
                                 the full history's {:?}",
                                policy.spec.id, ls[k], fs[k]
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(known > 0 && unknown > 0, "known {known}, unknown {unknown}");
}

/// Redmine's `/issues.json` alone, under the seed policy (the issue's report: closed issues
/// "met at creation", answered ones "breached" or "at risk", paused ones "paused since
/// creation" — exit 0, no note).
#[test]
fn a_redmine_list_says_what_it_cannot_tell() {
    let list = tickets(TrackerKind::Redmine, &[fixture("redmine/issues.json")]);
    let policy = Policy::default_policy();
    let now = at("2026-11-27T12:00:00Z");
    let got: Vec<(String, String, Option<String>)> = list
        .iter()
        .map(|t| {
            let e = evaluate(&policy, t, now).unwrap();
            let m = e.metric(e.headline);
            (
                t.id.clone(),
                e.state.as_str().to_string(),
                m.missing.map(|m| m.as_str().to_string()),
            )
        })
        .collect();
    let want = [
        // Saved since creation (a note, a status change): the reply may have come.
        ("1", "unknown", Some("replies")),
        ("2", "unknown", Some("replies")),
        ("3", "unknown", Some("replies")),
        // Never saved since creation: nothing to miss, and 10 h past its 4 h.
        ("4", "breached", None),
        // Closed 10 h after creation (`closed_on`), within 24 h: met, whatever the replies.
        ("5", "met", None),
        ("6", "unknown", Some("replies")),
        ("7", "notApplicable", None),
        ("8", "notApplicable", None),
        ("9", "running", None),
        ("10", "unknown", Some("replies")),
        ("11", "unknown", Some("replies")),
        ("12", "running", None),
    ];
    let want: Vec<(String, String, Option<String>)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.map(str::to_string)))
        .collect();
    assert_eq!(got, want);
    // Issue 5's close is the list's `closed_on`, not its creation.
    let five = list.iter().find(|t| t.id == "5").unwrap();
    let e = evaluate(&policy, five, now).unwrap();
    assert_eq!(
        e.resolution.stopped_at.map(|a| a.0),
        Some(at("2026-11-25T20:00:00Z"))
    );
}

fn one_issue<'p>(issue: Value, policy: &'p Policy, now: &str) -> sla_lens::Evaluation<'p> {
    let t = tickets(
        TrackerKind::Redmine,
        &[json!({"issues": [issue]}).to_string()],
    );
    let t: &'static Ticket = Box::leak(Box::new(t.into_iter().next().unwrap()));
    evaluate(policy, t, at(now)).unwrap()
}

/// A metric's cell of DESIGN.md's snapshot vectors: `state`, `state (missing)`, either followed
/// by `, no deadline`; `—` says nothing.
#[derive(Debug, PartialEq)]
struct Want {
    state: String,
    missing: Option<String>,
    no_deadline: bool,
}

fn want_cell(text: &str) -> Result<Option<Want>, String> {
    if text == "—" {
        return Ok(None);
    }
    let (text, no_deadline) = match text.strip_suffix(", no deadline") {
        Some(t) => (t, true),
        None => (text, false),
    };
    let (state, missing) = match text.split_once(" (") {
        Some((state, rest)) => {
            let missing = rest
                .strip_suffix(')')
                .ok_or_else(|| format!("`{text}`: `state (missing)`"))?;
            (state, Some(missing.to_string()))
        }
        None => (text, None),
    };
    if state.is_empty() || !state.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("`{text}` is not a state"));
    }
    Ok(Some(Want {
        state: state.to_string(),
        missing,
        no_deadline,
    }))
}

/// `a / b`: one per `now` (`n` of them), or one for all.
fn per_now(text: &str, n: usize) -> Result<Vec<String>, String> {
    let parts: Vec<String> = text.split(" / ").map(str::to_string).collect();
    match parts.len() {
        1 => Ok(vec![parts[0].clone(); n]),
        k if k == n => Ok(parts),
        k => Err(format!("`{text}`: {k} values for {n} `now`s")),
    }
}

fn metric_errors(name: &str, m: &sla_lens::eval::MetricEval, want: &Option<Want>) -> Vec<String> {
    let Some(want) = want else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    if m.state.as_str() != want.state {
        errors.push(format!(
            "{name} {} (expected {})",
            m.state.as_str(),
            want.state
        ));
    }
    let missing = m.missing.map(|x| x.as_str().to_string());
    if missing != want.missing {
        errors.push(format!(
            "{name} missing {missing:?} (expected {:?})",
            want.missing
        ));
    }
    if want.no_deadline && m.deadline.is_some() {
        errors.push(format!("{name} has a deadline (expected none)"));
    }
    errors
}

/// The rule's corners, one issue each: DESIGN.md's vectors S.1–S.7, read from its table.
#[test]
fn snapshot_vectors() {
    let seed = Policy::default_policy();
    let business = Policy::from_json(sla_lens::BUSINESS_HOURS_POLICY_JSON).unwrap();
    let table = design_table(
        "Snapshots: what is unknown when",
        &[
            "#",
            "Policy",
            "Status",
            "updated_on",
            "closed_on",
            "now",
            "Badge",
            "Response",
            "Resolution",
            "Note",
        ],
    );
    let mut failures = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        let place = At(&table, r);
        if r.id() != format!("S.{}", i + 1) {
            failures.push(format!("{place}: expected the id S.{}", i + 1));
        }
        let [_, policy, status, updated, closed, nows, badge, response, resolution, _note] =
            &r.cells[..]
        else {
            unreachable!("design_table checks the cell count");
        };
        let read = || -> Result<_, String> {
            let policy = match policy.as_str() {
                "seed" => &seed,
                "business hours" => &business,
                p => return Err(format!("unknown policy `{p}`")),
            };
            // The Redmine status ids of tests/fixtures/redmine/issue_statuses.json.
            let status = match status.as_str() {
                "New" => (1, "New", false),
                "In Progress" => (2, "In Progress", false),
                "Closed" => (5, "Closed", true),
                "Waiting on customer" => (7, "Waiting on customer", false),
                s => return Err(format!("unknown status `{s}`")),
            };
            for t in [updated.as_str()]
                .into_iter()
                .chain((closed != "none").then_some(closed.as_str()))
            {
                parse_instant(&Stamp::Text(t.into())).map_err(|e| format!("`{t}`: {e}"))?;
            }
            let nows: Vec<String> = nows.split(" / ").map(str::to_string).collect();
            for t in &nows {
                parse_instant(&Stamp::Text(t.clone())).map_err(|e| format!("`{t}`: {e}"))?;
            }
            let n = nows.len();
            let badges = per_now(badge, n)?;
            let responses = per_now(response, n)?;
            let resolutions = per_now(resolution, n)?;
            let mut cases = Vec::new();
            for k in 0..n {
                let badge = match badges[k].as_str() {
                    "—" => None,
                    b if b.chars().all(|c| c.is_ascii_alphabetic()) => Some(b.to_string()),
                    b => return Err(format!("`{b}` is not a state")),
                };
                cases.push((
                    nows[k].clone(),
                    badge,
                    want_cell(&responses[k])?,
                    want_cell(&resolutions[k])?,
                ));
            }
            Ok((policy, status, cases))
        };
        let (policy, status, cases) = match read() {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{place}: {e}"));
                continue;
            }
        };
        let closed_on = (closed != "none").then_some(closed.as_str());
        for (now, badge, response, resolution) in cases {
            let issue = json!({"id": 1, "project": {"id": 5, "name": "Marketing IT support"},
                "status": {"id": status.0, "name": status.1, "is_closed": status.2},
                "priority": {"id": 2, "name": "Normal"},
                "custom_fields": [{"id": 1, "name": "Department", "value": "Marketing"}],
                "created_on": "2026-11-20T09:00:00Z", "updated_on": updated,
                "closed_on": closed_on});
            let e = one_issue(issue, policy, &now);
            let mut errors = Vec::new();
            if let Some(b) = &badge {
                if e.state.as_str() != b {
                    errors.push(format!("badge {} (expected {b})", e.state.as_str()));
                }
                if b == "unknown" && (!e.escalation.unknown || e.escalation.current.is_some()) {
                    errors.push("the escalation is not unknown".to_string());
                }
            }
            errors.extend(metric_errors("response", &e.response, &response));
            errors.extend(metric_errors("resolution", &e.resolution, &resolution));
            if !errors.is_empty() {
                failures.push(format!("{place} at {now}: {}", errors.join("; ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "snapshot vectors: {} failing:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// The report counts unknown outcomes apart: never met or breached, not in met % or times.
#[test]
fn the_report_counts_unknown_outcomes_apart() {
    let list = tickets(TrackerKind::Redmine, &[fixture("redmine/issues.json")]);
    let full = tickets(TrackerKind::Redmine, &redmine_full());
    let policy = Policy::default_policy();
    let now = at("2026-11-27T12:00:00Z");
    let (from, to) = (
        Some(at("2026-11-01T00:00:00Z")),
        Some(at("2026-12-01T00:00:00Z")),
    );
    let batch = |ts: &[Ticket]| ts.iter().cloned().map(Ok).collect::<Vec<_>>();
    let l = report(&policy, &batch(&list), from, to, now).unwrap();
    let f = report(&policy, &batch(&full), from, to, now).unwrap();
    let all = |r: &sla_lens::report::Report| {
        r.cells
            .iter()
            .find(|c| {
                c.metric == sla_lens::policy::MetricKind::Response
                    && c.month.is_none()
                    && c.priority.is_none()
                    && c.category.is_none()
            })
            .unwrap()
            .clone()
    };
    let (lc, fc) = (all(&l), all(&f));
    assert_eq!(fc.unknown, 0);
    assert_eq!(lc.in_scope, fc.in_scope);
    assert_eq!(
        (lc.met, lc.met_late, lc.breached, lc.open, lc.unknown),
        (1, 0, 1, 2, 6)
    );
    for c in &l.cells {
        assert_eq!(
            c.met + c.met_late + c.breached + c.open + c.unknown,
            c.in_scope,
            "{c:?}"
        );
    }
    // Only the known outcomes are decided: 1 met of 2 decided.
    assert_eq!(lc.met_percent, Some(50.0));
    // The one stopped clock known (issue 5, 10 h) is the only time.
    assert_eq!(lc.business.count, 1);
    assert!(!l.breaches.iter().any(|b| b.id != "4"));
}

#[cfg(feature = "cli")]
#[test]
fn the_cli_says_what_a_list_lacks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redmine");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sla-lens"))
        .args([
            "eval",
            "--tracker",
            "redmine",
            "--now",
            "2026-11-27T12:00:00Z",
        ])
        .arg(dir.join("issues.json"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    insta::assert_snapshot!(err);
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &out["results"][0]["evaluation"];
    assert_eq!(first["state"], "unknown");
    assert_eq!(first["response"]["missing"], "replies");
    // With every issue's journals, nothing is unknown and nothing is said.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sla-lens"));
    cmd.args([
        "eval",
        "--tracker",
        "redmine",
        "--now",
        "2026-11-27T12:00:00Z",
    ]);
    cmd.arg(dir.join("issues.json"))
        .arg(dir.join("issue_statuses.json"));
    for n in 1..=12 {
        cmd.arg(dir.join(format!("issues/{n}.json")));
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stderr).unwrap(), "");
}
