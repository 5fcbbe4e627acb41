//! The wire messages the Rust wire benchmarks read: one event of the
//! repository catalog per payload shape, shared by the criterion bench
//! (`benches/wire.rs`) and the instruction count (`examples/wire_count.rs`).

/// A payload of each shape: two ids; 64 ids in an array whose items must
/// differ; a nested object with an enum and a URI; a tagged union.
pub fn payloads() -> [(&'static str, String); 4] {
    let ids: Vec<String> = (0..64).map(|i| (5000 + i * 7).to_string()).collect();
    [
        ("task_created", r#"{"task_id":4812,"phase_id":37}"#.to_string()),
        (
            "backlog_reranked",
            format!(r#"{{"project_id":7,"task_ids":[{}]}}"#, ids.join(",")),
        ),
        (
            "risks_imported",
            r#"{"project_id":7,"risk_ids":[301,302,303],"source":{"format":"jira","uri":"https://example.atlassian.net/projects/OPS"}}"#.to_string(),
        ),
        (
            "task_run_completed",
            r#"{"task_run_id":"3f6c2a1e-8b4d-4c7a-9e21-5d0b7f3a9c44","task_id":4812,"outcome":{"kind":"skipped","reason":"Inputs unchanged since the last run"}}"#.to_string(),
        ),
    ]
}

/// The envelope around a payload, type first.
pub fn message(event_type: &str, payload: &str) -> String {
    format!(r#"{{"protocol_version":1,"event_type":"{event_type}","payload":{payload}}}"#)
}

/// The same message with the payload before the type.
pub fn message_payload_first(event_type: &str, payload: &str) -> String {
    format!(r#"{{"payload":{payload},"protocol_version":1,"event_type":"{event_type}"}}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_json_with_its_type() {
        for (event_type, payload) in payloads() {
            for text in [
                message(event_type, &payload),
                message_payload_first(event_type, &payload),
            ] {
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value["event_type"], event_type);
            }
        }
    }
}
