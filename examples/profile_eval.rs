//! Profiling aid: evaluates 20,000 generated tickets under the business-hours policy
//! (`valgrind --tool=callgrind target/release/examples/profile_eval`).
use serde_json::json;
use sla_lens::time::format_instant;
use sla_lens::{evaluate, Policy, Ticket, BUSINESS_HOURS_POLICY_JSON};
use std::hint::black_box;
const Y2026: i64 = 1_767_225_600;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Realistic tickets: mixed priorities and categories, a third with a staff reply, a fifth
/// paused waiting on the customer for a while, a tenth resolved.
fn tickets(n: usize) -> Vec<Ticket> {
    let mut rng = Lcg(42);
    let priorities = ["Urgent", "Normal", "Low", "High", "Immediate"];
    let categories = ["Hardware", "Network", "Backup", "Training", "Other"];
    (0..n)
        .map(|i| {
            let created = Y2026 + rng.below(330 * 86_400) as i64;
            let mut v = json!({
                "id": i.to_string(),
                "created": format_instant(created),
                "fields": {
                    "priority": priorities[rng.below(5) as usize],
                    "category": categories[rng.below(5) as usize],
                    "requesterGroup": "Marketing"
                }
            });
            if rng.below(3) == 0 {
                v["comments"] = json!([{"at": format_instant(created + rng.below(20 * 3600) as i64), "staff": true}]);
            }
            let mut history = vec![];
            if rng.below(5) == 0 {
                let p = created + rng.below(10 * 3600) as i64;
                history.push(json!({"at": format_instant(p), "from": "New", "to": "Waiting on customer"}));
                history.push(json!({"at": format_instant(p + rng.below(3 * 86_400) as i64), "from": "Waiting on customer", "to": "In Progress"}));
            }
            if rng.below(10) == 0 {
                history.push(json!({"at": format_instant(created + 5 * 86_400), "from": "In Progress", "to": "Resolved"}));
            }
            v["statusHistory"] = json!(history);
            Ticket::from_value(&v).expect("generated ticket")
        })
        .collect()
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let policy = if which == "default" {
        Policy::default_policy()
    } else {
        Policy::from_json(BUSINESS_HOURS_POLICY_JSON).unwrap()
    };
    let batch = tickets(20_000);
    let now = Y2026 + 331 * 86_400;
    let mut n = 0;
    for _ in 0..5 {
        for t in &batch {
            n += usize::from(evaluate(&policy, black_box(t), now).is_ok());
        }
    }
    println!("{n}");
}
