//! The dependency rule of `src/` (stated in `src/lib.rs`), checked mechanically: every
//! `crate::…` path in a layer's folder names itself or a layer below it, so an upward import (or
//! a new folder left out of the rule) fails here.
//!
//! Comment lines are skipped (a doc link is no dependency); code, tests inside the folders and
//! `$crate::` macro paths all count. `src/wasm.rs` and `src/bin/` sit on top and may use
//! anything; `src/lib.rs` only declares and re-exports.

use std::fs;
use std::path::{Path, PathBuf};

/// Each folder of `src/` and the folders its code may name (`crate::<folder>`), its own aside.
const RULE: &[(&str, &[&str])] = &[
    ("util", &[]),
    ("time", &["util"]),
    ("calendar", &["time", "util"]),
    ("policy", &["calendar", "time", "util"]),
    ("ticket", &["policy", "calendar", "time", "util"]),
    ("eval", &["ticket", "policy", "calendar", "time", "util"]),
    (
        "report",
        &["eval", "ticket", "policy", "calendar", "time", "util"],
    ),
    (
        "adapters",
        &["ticket", "policy", "calendar", "time", "util"],
    ),
    (
        "api",
        &[
            "report", "adapters", "eval", "ticket", "policy", "calendar", "time", "util",
        ],
    ),
];

/// The files directly in `src/`: the crate root and the top.
const TOP_FILES: &[&str] = &["lib.rs", "wasm.rs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every `crate::<name>` in the code of `text` (comment lines skipped), with its line number.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().next_back();
            let after = &rest[i + "crate::".len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `my_crate::…`
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((n + 1, name));
        }
    }
    out
}

#[test]
fn every_folder_imports_only_its_own_layer_and_those_below() {
    let root = src();
    let mut wrong = Vec::new();
    for e in fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_file() {
            assert!(
                TOP_FILES.contains(&name.as_str()),
                "src/{name}: a module belongs in a layer's folder (src/lib.rs has the rule)"
            );
            continue;
        }
        if name == "bin" {
            continue;
        }
        let Some((_, allowed)) = RULE.iter().find(|(f, _)| *f == name) else {
            panic!("src/{name}/ is in no layer: add it to src/lib.rs's rule and to RULE here");
        };
        let mut files = Vec::new();
        rust_files(&p, &mut files);
        for f in files {
            let text = fs::read_to_string(&f).unwrap();
            for (line, used) in crate_paths(&text) {
                if used != name && !allowed.contains(&used.as_str()) {
                    let at = f.strip_prefix(&root).unwrap().display().to_string();
                    wrong.push(format!("src/{at}:{line}: crate::{used}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layer rule in src/lib.rs (a layer names only itself and the layers \
         below; root re-exports such as `crate::Policy` are for the crate's users):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_rule_has_no_cycle_and_no_unknown_layer() {
    let names: Vec<&str> = RULE.iter().map(|(f, _)| *f).collect();
    for (i, (f, allowed)) in RULE.iter().enumerate() {
        for a in *allowed {
            let j = names.iter().position(|n| n == a);
            assert!(
                j.is_some_and(|j| j < i),
                "{f} may use {a}: not a layer listed before it"
            );
        }
    }
}

#[test]
fn the_scan_sees_what_it_must() {
    let text = "use crate::eval::x;\n// crate::report in a comment\n    $crate::util::read::f();\nmy_crate::policy";
    let got: Vec<String> = crate_paths(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(got, ["eval", "util"]);
}

#[test]
fn api_names_no_javascript_crate() {
    let mut files = Vec::new();
    rust_files(&src().join("api"), &mut files);
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for bad in ["wasm_bindgen", "js_sys", "serde_wasm_bindgen"] {
            assert!(
                !text.contains(bad),
                "{}: src/api/ is plain Rust; `{bad}` belongs in src/wasm.rs",
                f.display()
            );
        }
    }
}
