//! `sla-lens eval` and `sla-lens report` stream: they read a canonical ticket list a chunk at a
//! time and write each result as it is computed, so their memory stays flat in the number of
//! tickets. Checked without timing anything: the command runs under an address-space limit
//! (`ulimit -v`) that holding every ticket's result (~26 KB each before) or every ticket (the
//! report: ~2.3 KB each before) would exceed many times over, on tickets the test generates
//! into its standard input as it goes. Also: a streamed document is the same as the whole one,
//! and errors keep their index in the whole list.

#![cfg(feature = "cli")]

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// The binary under test (`SLA_LENS_BIN` runs these checks on another build, e.g. one from
/// before streaming, which fails them).
fn bin() -> String {
    std::env::var("SLA_LENS_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sla-lens").to_string())
}
const NOW: &str = "2026-11-27T12:00:00Z";

/// A ticket of the generated list (2026, a mix of priorities, some answered, some paused).
fn ticket(i: usize) -> Value {
    let created = 1_767_225_600 + (i as i64 * 7_919) % (320 * 86_400);
    let at = |s: i64| sla_lens::time::format_instant(created + s);
    let priority = ["Urgent", "Normal", "Low"][i % 3];
    let mut v = json!({
        "id": format!("T-{i}"), "title": format!("Generated ticket number {i}"),
        "created": at(0),
        "fields": {"priority": priority, "requesterGroup": "Marketing"},
    });
    if i % 2 == 0 {
        v["comments"] = json!([{"at": at(3_600 + i as i64 % 50_000), "staff": true}]);
    }
    if i % 5 == 0 {
        v["statusHistory"] = json!([
            {"at": at(600), "from": "New", "to": "Waiting on customer"},
            {"at": at(90_000), "from": "Waiting on customer", "to": "Resolved"},
            {"at": at(200_000), "from": "Resolved", "to": "In Progress"}
        ]);
    }
    v
}

/// Runs `sla-lens <args> -` under an address-space limit of `limit_kb`, feeding it a list of
/// `n` generated tickets (with a bad one at `bad`) as it reads; returns its exit status, standard
/// output and error.
fn run_limited(args: &[&str], limit_kb: u64, n: usize, bad: usize) -> (bool, Vec<u8>, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kb} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sla-lens starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::new(&mut stdin);
        let _ = w.write_all(b"[\n");
        for i in 0..n {
            let mut t = ticket(i);
            if i == bad {
                t["created"] = json!("not a time");
            }
            let sep: &[u8] = if i + 1 < n { b",\n" } else { b"\n" };
            // The command may stop reading (it failed): stop writing then.
            if serde_json::to_writer(&mut w, &t).is_err() || w.write_all(sep).is_err() {
                return;
            }
        }
        let _ = w.write_all(b"]\n");
    });
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut out)
        .expect("the output");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("the errors");
    let ok = child.wait().expect("sla-lens ends").success();
    feeder.join().expect("the feeder");
    (ok, out, err)
}

/// 96 MB of address space: the binary and its libraries need a fraction of it.
const LIMIT_KB: u64 = 96 * 1024;
/// Enough tickets that holding them all, or all their results, needs several times the limit.
const N: usize = 60_000;

#[test]
fn eval_streams_its_results_in_flat_memory() {
    let (ok, out, err) = run_limited(&["eval", "--now", NOW], LIMIT_KB, N, 40_000);
    assert!(ok, "sla-lens eval failed under {LIMIT_KB} KB: {err}");
    let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), N);
    assert_eq!(results[N - 1]["id"], "T-59999");
    // The bad ticket keeps its index in the whole list (it is in the 40th chunk).
    let bad = &results[40_000]["error"];
    assert_eq!(bad["id"], "T-40000");
    assert!(
        bad["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("[40000]")),
        "{bad}"
    );
    assert_eq!(doc["now"], NOW);
}

#[test]
fn report_counts_as_it_reads_in_flat_memory() {
    let (ok, out, err) = run_limited(
        &[
            "report",
            "--now",
            NOW,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
        ],
        LIMIT_KB,
        N,
        40_000,
    );
    assert!(ok, "sla-lens report failed under {LIMIT_KB} KB: {err}");
    let r: Value = serde_json::from_slice(&out).expect("one JSON document");
    assert_eq!(r["tickets"]["read"], N as u64);
    assert_eq!(r["tickets"]["unreadable"], 1);
    assert_eq!(r["unreadable"][0]["path"], "[40000].created");
}

#[test]
fn a_streamed_document_is_the_same_as_one_written_whole() {
    // Three chunks' worth, from a file and from standard input, against the library's results
    // serialised as one value (the output before streaming).
    let n = 2_500;
    let list: Vec<Value> = (0..n).map(ticket).collect();
    let text = serde_json::to_string(&list).expect("the list");
    let dir = std::env::temp_dir().join(format!("sla-lens-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("tickets.json");
    std::fs::write(&file, &text).expect("the tickets file");
    let policy = sla_lens::Policy::default_policy();
    let now =
        sla_lens::ticket::parse_instant(&sla_lens::ticket::Stamp::Text(NOW.into())).expect("now");
    let batch = sla_lens::Ticket::parse_batch(&text).expect("tickets");
    let results: Vec<Value> = batch
        .iter()
        .map(|t| match t {
            Ok(t) => match sla_lens::evaluate(&policy, t, now) {
                Ok(e) => json!({ "id": t.id, "evaluation": e }),
                Err(e) => json!({ "id": t.id, "error": e }),
            },
            Err(e) => json!({ "id": e.id, "error": e }),
        })
        .collect();
    let whole = serde_json::to_string_pretty(
        &json!({ "policy": policy.spec.id, "now": NOW, "results": results }),
    )
    .expect("the whole document")
        + "\n";
    let from_file = Command::new(bin())
        .args(["eval", "--now", NOW])
        .arg(&file)
        .output()
        .expect("sla-lens runs");
    assert!(from_file.status.success());
    assert!(String::from_utf8_lossy(&from_file.stdout) == whole);
    // The `{"tickets": [...]}` wrapper is read whole, with the same results.
    let wrapped = dir.join("wrapped.json");
    std::fs::write(&wrapped, format!("{{\"tickets\": {text}}}")).expect("the wrapped file");
    let from_wrapped = Command::new(bin())
        .args(["eval", "--now", NOW])
        .arg(&wrapped)
        .output()
        .expect("sla-lens runs");
    assert!(String::from_utf8_lossy(&from_wrapped.stdout) == whole);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_list_that_breaks_off_fails_the_command() {
    let dir = std::env::temp_dir().join(format!("sla-lens-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    for (name, text) in [
        ("cut.json", format!("[{}, {}", ticket(1), ticket(2))),
        ("comma.json", format!("[{}, ]", ticket(1))),
        ("trailing.json", format!("[{}] x", ticket(1))),
    ] {
        let f = dir.join(name);
        std::fs::write(&f, text).expect("the file");
        let o = Command::new(bin())
            .args(["eval", "--now", NOW])
            .arg(&f)
            .output()
            .expect("sla-lens runs");
        assert!(!o.status.success(), "{name} was accepted");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("json-syntax"),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
