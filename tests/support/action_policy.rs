//! The escalation vectors' policy (DESIGN.md X1–X17), shared by tests/escalate.rs and
//! tests/escalate_cli.rs (each includes this file with `#[path]`).

/// The vectors' policy: round the clock (UTC), response 4h and resolution 16h, both paused by
/// `Waiting`, at risk at 75 %;
/// L1 at the response deadline (watch, note), L2 one response target later (email, webhook);
/// at risk: a note.
pub const POLICY: &str = r#"{
  "version": 1, "id": "actions", "name": "Action vectors",
  "parties": {"provider": {"name": "IT"}, "customer": {"name": "Marketing"}},
  "priorities": [{"id": "normal", "name": "Normal"}],
  "statuses": {"resolved": ["Resolved"]},
  "metrics": {"response": {"pausedBy": ["Waiting"]}, "resolution": {"pausedBy": ["Waiting"]}},
  "targets": [{"priority": "normal", "response": "4h", "resolution": "16h"}],
  "escalation": {
    "atRisk": {"contacts": [{"name": "Ann Lead", "redmine": "7"}], "actions": [{"kind": "note"}]},
    "levels": [
      {"level": 1, "role": "IT manager",
       "contacts": [{"name": "Ivo Manager", "email": "it-manager@example.com", "redmine": "ivo"}],
       "trigger": {"metric": "response", "after": "0h"},
       "actions": [{"kind": "watch"}, {"kind": "note", "private": true}]},
      {"level": 2, "role": "Marketing department head",
       "contacts": [{"name": "Mia Head", "email": "marketing-head@example.com"}],
       "trigger": {"metric": "response", "after": "100%"},
       "actions": [{"kind": "email"}, {"kind": "webhook", "url": "https://chat.example.com/hooks/x", "preset": "mattermost"}]}
    ]
  }
}"#;
