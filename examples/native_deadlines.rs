//! The native half of `bench/js/deadlines.mjs` (Wasm vs native on the same workload): reads the
//! starts the JS bench wrote, computes the same deadlines with `Calendar::add`, prints the time
//! per deadline and writes the results back for comparison. A benchmark, not a test:
//!   cargo run --release --no-default-features --example native_deadlines

use sla_lens::Policy;
use std::time::Instant;

fn main() {
    let policy_text = std::env::var("SLA_BENCH_POLICY").expect("SLA_BENCH_POLICY");
    let policy = Policy::from_json(&policy_text).expect("bench policy");
    let cal = policy.calendar_by_name("berlin").expect("berlin calendar");
    let bytes = std::fs::read("target/bench/starts.f64").expect("starts written by the JS bench");
    let starts: Vec<i64> = bytes
        .chunks_exact(8)
        .map(|c| {
            let ms = f64::from_le_bytes(c.try_into().expect("8 bytes"));
            (ms / 1000.0).floor() as i64
        })
        .collect();
    let mut out = vec![0f64; starts.len()];
    let run = |out: &mut [f64]| {
        for (o, &s) in out.iter_mut().zip(&starts) {
            *o = cal.add(s, 4 * 3600).map_or(f64::NAN, |t| t as f64 * 1000.0);
        }
    };
    run(&mut out); // warm-up: builds the year tables
    let mut best = f64::MAX;
    let t0 = Instant::now();
    while t0.elapsed().as_millis() < 1500 {
        let a = Instant::now();
        run(&mut out);
        best = best.min(a.elapsed().as_secs_f64());
    }
    let ns = best * 1e9 / starts.len() as f64;
    println!("native_ns_per_op={ns:.1}");
    let raw: Vec<u8> = out.iter().flat_map(|x| x.to_le_bytes()).collect();
    std::fs::write("target/bench/native.f64", raw).expect("write results");
}
