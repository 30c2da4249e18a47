//! The committed JSON Schema (`policies/policy.schema.json`) is the one the code generates.

#[test]
fn committed_schema_is_current() {
    let generated = serde_json::to_string_pretty(&sla_lens::policy_schema()).unwrap() + "\n";
    let committed = include_str!("../policies/policy.schema.json");
    assert!(
        generated == committed,
        "policies/policy.schema.json is stale: run `cargo run -- schema > policies/policy.schema.json`"
    );
}

#[test]
fn schema_names_every_top_level_field() {
    let schema = sla_lens::policy_schema();
    let props = schema["properties"].as_object().unwrap();
    for field in [
        "version",
        "parties",
        "scope",
        "categories",
        "priorities",
        "calendars",
        "targets",
        "escalation",
        "review",
        "atRiskPercent",
    ] {
        assert!(props.contains_key(field), "{field} missing from the schema");
    }
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields must be rejected by editors too"
    );
}
