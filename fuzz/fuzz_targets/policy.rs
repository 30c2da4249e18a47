//! Arbitrary bytes as a policy document: parsing and checking must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sla_lens::Policy;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Policy::from_json(text);
    let diags = Policy::validate(text);
    // `validate` is `from_json` keeping only the diagnostics: they must agree on the verdict.
    let has_error = diags.iter().any(|d| d.is_error());
    assert_eq!(
        parsed.is_err(),
        has_error,
        "from_json and validate disagree"
    );
});
