//! Every example in the committed catalog travels through the generated Rust
//! types and comes back as the same JSON; the generated metadata agrees with
//! the catalog it came from.

use std::path::Path;
use std::str::FromStr;

use board_events::{
    BoardEnvelope, BoardEvent, BoardEventType, EnvelopeError, PROTOCOL_VERSION, Stability,
};
use eventcat_codegen::model::{self, Catalog};
use eventcat_codegen::source::Sources;
use serde_json::{Value, json};

fn catalog() -> Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut sources = Sources::new(root);
    match eventcat_codegen::build(&mut sources, &root.join("schema/catalog.yaml")) {
        Ok(catalog) => catalog,
        Err(diagnostics) => panic!("the committed catalog does not build: {diagnostics:?}"),
    }
}

fn envelope(name: &str, payload: &Value) -> Value {
    json!({ "protocol_version": PROTOCOL_VERSION, "event_type": name, "payload": payload })
}

#[test]
fn every_example_round_trips_through_the_envelope() {
    let catalog = catalog();
    let mut checked = 0;
    for event in &catalog.events {
        assert!(!event.examples.is_empty(), "{} has no example", event.name);
        for example in &event.examples {
            let wire = envelope(&event.name, example).to_string();
            let parsed = BoardEnvelope::from_json(&wire)
                .unwrap_or_else(|error| panic!("{}: {error}\n{wire}", event.name));
            assert_eq!(parsed.protocol_version, PROTOCOL_VERSION);
            assert_eq!(parsed.event.event_type().as_str(), event.name);
            let written: Value = serde_json::from_str(&parsed.to_json().unwrap()).unwrap();
            assert_eq!(
                written,
                envelope(&event.name, example),
                "{} changed on the round trip",
                event.name
            );
            checked += 1;
        }
    }
    assert!(checked >= catalog.events.len());
}

/// Two messages are equal exactly when their wire JSON is: the same type
/// and equal payloads. `PartialEq` of the message enum is generated (one
/// arm per message, comparing with the other's payload through `Any`), so
/// every pair of examples checks it against the JSON.
#[test]
fn messages_are_equal_exactly_when_their_json_is() {
    let catalog = catalog();
    let messages: Vec<(Value, BoardEvent)> = catalog
        .events
        .iter()
        .flat_map(|event| {
            event
                .examples
                .iter()
                .map(|example| envelope(&event.name, example))
        })
        .map(|wire| {
            let parsed = BoardEnvelope::from_json(&wire.to_string()).unwrap();
            (wire, parsed.event)
        })
        .collect();
    let mut equal_pairs = 0;
    for (wire, event) in &messages {
        for (other_wire, other) in &messages {
            assert_eq!(event == other, wire == other_wire, "{wire}\n{other_wire}");
            equal_pairs += usize::from(event == other);
        }
        assert_eq!(event, &event.clone());
    }
    assert!(equal_pairs >= messages.len());
    assert!(
        messages.len() > catalog.events.len(),
        "more than one example of some event"
    );
}

#[test]
fn field_order_does_not_matter() {
    let text = r#"{"payload":{"task_id":7},"event_type":"task_deleted","protocol_version":1,"extra":true}"#;
    let parsed = BoardEnvelope::from_json(text).unwrap();
    assert_eq!(parsed.event.event_type(), BoardEventType::TaskDeleted);
    let again = BoardEnvelope::from_json(&parsed.to_json().unwrap()).unwrap();
    assert_eq!(again, parsed);
}

#[test]
fn unknown_event_types_are_a_typed_error() {
    let text = r#"{"protocol_version":1,"event_type":"task_exploded","payload":{"task_id":1}}"#;
    match BoardEnvelope::from_json(text) {
        Err(EnvelopeError::UnknownEventType(unknown)) => assert_eq!(unknown.0, "task_exploded"),
        other => panic!("expected an unknown event type, got {other:?}"),
    }
    assert!(BoardEventType::from_str("__proto__").is_err());
    // Through plain serde the same input is an error, not a panic.
    assert!(serde_json::from_str::<BoardEnvelope>(text).is_err());
}

#[test]
fn malformed_envelopes_are_json_errors() {
    for text in [
        r#"{"event_type":"task_deleted","payload":{"task_id":7}}"#,
        r#"{"protocol_version":1,"payload":{"task_id":7}}"#,
        r#"{"protocol_version":1,"event_type":"task_deleted"}"#,
        r#"{"protocol_version":1,"event_type":"task_deleted","payload":{"task_id":"seven"}}"#,
        r#"{"protocol_version":1,"event_type":"task_deleted","payload":{"task_id":7,"surprise":1}}"#,
        r#"{"protocol_version":1,"event_type":"task_deleted","event_type":"task_deleted","payload":{"task_id":7}}"#,
        r#"[1,2,3]"#,
        "",
    ] {
        assert!(
            matches!(BoardEnvelope::from_json(text), Err(EnvelopeError::Json(_))),
            "{text}"
        );
    }
}

#[test]
fn metadata_matches_the_catalog() {
    let catalog = catalog();
    assert_eq!(BoardEventType::ALL.len(), catalog.events.len());
    for (kind, event) in BoardEventType::ALL.iter().zip(&catalog.events) {
        assert_eq!(kind.as_str(), event.name);
        assert_eq!(BoardEventType::from_str(&event.name), Ok(*kind));
        assert_eq!(kind.to_string(), event.name);
        let metadata = kind.metadata();
        assert_eq!(metadata.name, event.name);
        assert_eq!(metadata.webhook, event.webhook.as_deref());
        assert_eq!(kind.webhook_name(), event.webhook.as_deref());
        assert_eq!(metadata.since, event.since);
        assert_eq!(metadata.resource, event.resource);
        assert_eq!(metadata.grandfathered, event.grandfathered.as_deref());
        let frozen = event.stability == model::Stability::Frozen;
        assert_eq!(metadata.stability == Stability::Frozen, frozen);
    }
    assert_eq!(
        BoardEventType::TaskCreated.webhook_name(),
        Some("task.created")
    );
    assert_eq!(BoardEventType::TaskRunProgress.webhook_name(), None);
    assert!(
        BoardEventType::TasksReordered
            .metadata()
            .grandfathered
            .is_some()
    );
}

#[test]
fn optional_and_nullable_fields_keep_their_wire_form() {
    // absent, null and a value are three different wire forms of one field.
    for payload in [
        json!({"baseline_id": 3, "activated_at": "2026-03-14T09:26:53Z"}),
        json!({"baseline_id": 3, "activated_at": "2026-03-14T09:26:53Z", "previous_baseline_id": null}),
        json!({"baseline_id": 3, "activated_at": "2026-03-14T09:26:53Z", "previous_baseline_id": 2}),
    ] {
        let wire = envelope("baseline_activated", &payload);
        let parsed = BoardEnvelope::from_json(&wire.to_string()).unwrap();
        let written: Value = serde_json::from_str(&parsed.to_json().unwrap()).unwrap();
        assert_eq!(written, wire);
    }
}

#[test]
fn emit_sites_build_envelopes_from_payloads() {
    let payload = board_events::TaskDeletedPayload {
        task_id: 7,
        subtask_ids: None,
    };
    let envelope = BoardEnvelope::new(payload);
    assert!(matches!(envelope.event, BoardEvent::TaskDeleted(_)));
    assert_eq!(
        serde_json::to_value(&envelope).unwrap(),
        json!({"protocol_version": 1, "event_type": "task_deleted", "payload": {"task_id": 7}})
    );
}

#[test]
fn events_build_from_a_type_and_a_json_payload() {
    let event =
        BoardEvent::from_payload(BoardEventType::TaskDeleted, json!({"task_id": 7})).unwrap();
    assert_eq!(event.event_type(), BoardEventType::TaskDeleted);
    assert!(
        BoardEvent::from_payload(BoardEventType::TaskDeleted, json!({"task_id": "x"})).is_err()
    );
}

#[test]
fn what_the_types_cannot_say_is_checked_on_read_and_in_validate() {
    use board_events::{TaskCreatedPayload, ValidationError};
    // `task_id` is a `TaskId` (`minimum: 1`): 0 parses as a `u64` but breaks the schema.
    let text = r#"{"protocol_version":1,"event_type":"task_created","payload":{"task_id":0,"phase_id":null}}"#;
    match BoardEnvelope::from_json(text) {
        Err(EnvelopeError::Invalid(error)) => assert_eq!(
            error,
            ValidationError {
                pointer: "/payload/task_id".to_string(),
                keyword: "minimum",
                expected: "1".to_string(),
            }
        ),
        other => panic!("expected an invalid envelope, got {other:?}"),
    }
    let payload = TaskCreatedPayload {
        task_id: 0,
        phase_id: None,
    };
    let error = payload.validate().unwrap_err();
    assert_eq!(
        (error.pointer.as_str(), error.keyword),
        ("/task_id", "minimum")
    );
    let valid = TaskCreatedPayload {
        task_id: 1,
        phase_id: None,
    };
    assert!(valid.validate().is_ok());
    // Debug builds refuse to write it; tests run in debug.
    let envelope = BoardEnvelope::new(BoardEvent::TaskCreated(payload));
    assert!(
        envelope
            .to_json()
            .unwrap_err()
            .to_string()
            .contains("/payload/task_id")
    );
}
