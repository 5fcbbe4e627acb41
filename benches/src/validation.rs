//! The input of the TypeScript validation benchmark (`benches/ts/validate.mjs`):
//! a catalog's event payload schemas as JSON Schema 2020-12 with the shared
//! definitions (the documents `eventcat verify` and the differential test
//! compile), its examples, the envelope, and the names of the generated
//! guards and parser that check the same things.

use std::path::{Path, PathBuf};

use eventcat_codegen::model::{Catalog, Direction};
use eventcat_codegen::source::Sources;
use serde_json::{Value, json};

/// What the benchmark needs of one catalog.
pub struct Input {
    /// The JSON text `validate.mjs` reads.
    pub json: String,
    /// The generated TypeScript module, when the catalog has one.
    pub module: Option<PathBuf>,
}

/// Builds the catalog at `catalog` (paths resolved against `root`) and
/// returns the benchmark's input.
pub fn input(root: &Path, catalog: &Path) -> Result<Input, String> {
    let mut sources = Sources::new(root);
    let catalog = eventcat_codegen::build(&mut sources, catalog).map_err(|errors| {
        format!(
            "{}: {} error(s) building the catalog",
            catalog.display(),
            errors.len()
        )
    })?;
    Ok(Input {
        json: input_of(&catalog).to_string(),
        module: catalog
            .outputs
            .typescript
            .as_ref()
            .map(|module| root.join(module)),
    })
}

/// The input for a built catalog: its events (server to client), each with
/// its payload schema, examples and `is<Payload>` guard; `parse<Channel>Event`;
/// and the envelope when the payload sits under its own key (`null` otherwise,
/// or when the envelope has fields of its own: then only payloads are timed).
pub fn input_of(catalog: &Catalog) -> Value {
    let envelope = &catalog.envelope;
    let envelope = match (&envelope.payload_field, &envelope.fields_schema) {
        (Some(payload), None) if !envelope.omit_empty_payload => json!({
            "type": envelope.type_field,
            "version": envelope.version_field,
            "payload": payload,
            "protocol_version": catalog.protocol_version,
        }),
        _ => Value::Null,
    };
    let events: Vec<Value> = catalog
        .events
        .iter()
        .filter(|event| event.direction == Direction::ServerToClient)
        .map(|event| {
            json!({
                "name": event.name,
                "guard": format!("is{}", catalog.ty(event.payload).name),
                "schema": event.schema,
                "examples": event.examples,
            })
        })
        .collect();
    json!({
        "channel": catalog.channel,
        "parse": format!("parse{}Event", catalog.channel_ident),
        "envelope": envelope,
        "definitions": catalog.definitions,
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    #[test]
    fn every_event_with_its_guard_schema_and_examples() {
        let dir = std::env::temp_dir().join(format!("eventcat-validation-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let layout = synth::catalog(12).write(&dir).unwrap();
        let input = input(&layout.root, &layout.catalog).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(input.module.as_deref(), Some(layout.typescript.as_path()));
        let value: Value = serde_json::from_str(&input.json).unwrap();
        assert_eq!(value["parse"], "parseSynthEvent");
        assert_eq!(value["envelope"]["type"], "event_type");
        assert_eq!(value["envelope"]["payload"], "payload");
        let events = value["events"].as_array().unwrap();
        assert!(!events.is_empty() && events.len() <= 12);
        for event in events {
            assert!(event["guard"].as_str().unwrap().starts_with("is"));
            assert!(event["schema"].is_object());
            assert!(!event["examples"].as_array().unwrap().is_empty());
        }
        assert!(
            value["definitions"]
                .as_object()
                .is_some_and(|defs| !defs.is_empty())
        );
    }
}
