//! Arbitrary bytes as Request Tracker REST 2 answers (several cut at NUL bytes): mapped by the rt adapter
//! as `sla-lens eval --tracker rt` maps its files, under the default and a richer site file,
//! then read and evaluated; the first part is also tried as a page URL. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sla_lens::adapters::TrackerKind;

fuzz_target!(|data: &[u8]| sla_lens_fuzz::adapter(TrackerKind::Rt, data));
