//! Whole messages as JSON Schema: each event's envelope around its payload,
//! as the AsyncAPI document and the JSON Schema bundle describe it.
//!
//! An adjacent envelope is an object of the version (a `const`), the type
//! (a `const` of the wire name), the envelope's own fields and the payload
//! under its key. A flat envelope puts the type and the envelope's fields
//! beside the payload's own properties in one object; a payload that is not
//! a plain object (a `oneOf` at its top, say) is combined with them by
//! `allOf` instead.

use serde_json::{Map, Value, json};

use crate::model::{Catalog, EnvelopeStyle, Event};

/// The keywords of a payload that a flat envelope can take over as its own.
const PLAIN_OBJECT_KEYWORDS: &[&str] = &[
    "type",
    "title",
    "description",
    "properties",
    "required",
    "additionalProperties",
];

/// The schema of `event`'s whole message; `$ref`s to shared definitions
/// point under `definitions` (`#/components/schemas/`, `#/$defs/`).
pub fn envelope(catalog: &Catalog, event: &Event, definitions: &str) -> Value {
    envelope_around(
        catalog,
        event,
        definitions,
        with_references(&event.schema, definitions),
    )
}

/// [`envelope`] around `payload`, the payload's schema as the document
/// holds it: itself, or (in a document that holds it elsewhere) a
/// reference to it.
pub fn envelope_around(
    catalog: &Catalog,
    event: &Event,
    definitions: &str,
    payload: Value,
) -> Value {
    let envelope = &catalog.envelope;
    let own = own_fields(catalog, definitions);
    let closed = own.closed;
    let mut properties = Map::new();
    let mut required = Vec::new();
    if let Some(version) = &envelope.version_field {
        properties.insert(version.clone(), json!({"const": catalog.protocol_version}));
        required.push(json!(version));
    }
    properties.insert(envelope.type_field.clone(), json!({"const": event.name}));
    required.push(json!(envelope.type_field));
    properties.extend(own.properties);
    required.extend(own.required.into_iter().map(Value::String));
    match (&envelope.style, &envelope.payload_field) {
        (EnvelopeStyle::Adjacent, Some(key)) => {
            let optional = envelope.omit_empty_payload && !requires_any(&event.schema);
            properties.insert(key.clone(), payload);
            if !optional {
                required.push(json!(key));
            }
            object(properties, required, closed.as_ref())
        }
        _ if is_plain_object(&payload) => {
            let description = payload.get("description").cloned();
            properties.extend(members(&payload, "properties"));
            required.extend(payload["required"].as_array().cloned().unwrap_or_default());
            let mut schema = object(properties, required, payload.get("additionalProperties"));
            if let Some(description) = description {
                schema["description"] = description;
            }
            schema
        }
        _ => {
            let all_of = vec![object(properties, required, None), payload];
            Value::Object(Map::from_iter([("allOf".into(), Value::Array(all_of))]))
        }
    }
}

/// An example of `event`'s whole message around one of its example payloads:
/// the envelope's own required fields take a value their schema allows.
pub fn example(catalog: &Catalog, event: &Event, payload: &Value) -> Value {
    let envelope = &catalog.envelope;
    let mut message = Map::new();
    if let Some(version) = &envelope.version_field {
        message.insert(version.clone(), json!(catalog.protocol_version));
    }
    message.insert(envelope.type_field.clone(), json!(event.name));
    let own = own_fields(catalog, "#/$defs/");
    for name in &own.required {
        let schema = own.properties.get(name).cloned().unwrap_or(Value::Null);
        message.insert(name.clone(), sample(&schema, &catalog.definitions));
    }
    match &envelope.payload_field {
        Some(key) if envelope.style == EnvelopeStyle::Adjacent => {
            let empty = payload.as_object().is_some_and(Map::is_empty);
            if !(empty && envelope.omit_empty_payload) {
                message.insert(key.clone(), payload.clone());
            }
        }
        _ => {
            if let Some(fields) = payload.as_object() {
                message.extend(fields.clone());
            }
        }
    }
    Value::Object(message)
}

/// The envelope's own fields beside the version and type.
struct OwnFields {
    properties: Map<String, Value>,
    required: Vec<String>,
    /// `additionalProperties` of the fields: a closed adjacent envelope.
    closed: Option<Value>,
}

fn own_fields(catalog: &Catalog, definitions: &str) -> OwnFields {
    let schema = catalog
        .envelope
        .fields_schema
        .as_ref()
        .map(|schema| with_references(schema, definitions))
        .unwrap_or(Value::Null);
    let reserved = [
        Some(&catalog.envelope.type_field),
        catalog.envelope.version_field.as_ref(),
        catalog.envelope.payload_field.as_ref(),
    ];
    let mut properties = members(&schema, "properties");
    // A field that restates the type or version key adds nothing to its `const`.
    properties.retain(|name, _| !reserved.contains(&Some(name)));
    let required = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| properties.contains_key(*name))
        .map(str::to_string)
        .collect();
    OwnFields {
        properties,
        required,
        closed: schema.get("additionalProperties").cloned(),
    }
}

/// `schema` with every `#/$defs/<Name>` reference pointing under `prefix`.
/// A copy changed in place: cloning a map copies its hashes, where
/// building a new one would hash every key again.
pub fn with_references(schema: &Value, prefix: &str) -> Value {
    let mut schema = schema.clone();
    point_references(&mut schema, prefix);
    schema
}

fn point_references(schema: &mut Value, prefix: &str) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            *target = format!("{prefix}{name}");
                        }
                    }
                    (_, value) => point_references(value, prefix),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                point_references(item, prefix);
            }
        }
        _ => {}
    }
}

/// Built key by key: `json!` would copy `properties` whole (payloads
/// included) through serialization.
fn object(properties: Map<String, Value>, required: Vec<Value>, closed: Option<&Value>) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    if let Some(closed) = closed {
        schema.insert("additionalProperties".into(), closed.clone());
    }
    Value::Object(schema)
}

fn members(schema: &Value, key: &str) -> Map<String, Value> {
    schema[key].as_object().cloned().unwrap_or_default()
}

/// A payload an empty object does not satisfy.
fn requires_any(payload: &Value) -> bool {
    payload["required"]
        .as_array()
        .is_some_and(|r| !r.is_empty())
}

fn is_plain_object(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.get("type").is_none_or(|ty| ty == "object")
            && map
                .keys()
                .all(|key| PLAIN_OBJECT_KEYWORDS.contains(&key.as_str()))
    })
}

/// A value `schema` allows, made from the schema alone (for a message an
/// imported document gives no example of); references name `definitions`.
pub fn sample(schema: &Value, definitions: &Map<String, Value>) -> Value {
    sample_at(schema, definitions, 0)
}

/// How deep [`sample`] follows references and nesting.
const SAMPLE_DEPTH: usize = 16;

/// A value `schema` allows, for an envelope field an example must carry:
/// its `const`, first `enum` value, `default` or `examples` entry, else the
/// smallest value of its type and format.
fn sample_at(schema: &Value, definitions: &Map<String, Value>, depth: usize) -> Value {
    if depth > SAMPLE_DEPTH {
        return Value::Null;
    }
    let next = |schema: &Value| sample_at(schema, definitions, depth + 1);
    if let Some(target) = schema["$ref"].as_str() {
        let name = target.strip_prefix("#/$defs/").unwrap_or(target);
        return definitions.get(name).map_or(Value::Null, next);
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    for given in [
        &schema["enum"][0],
        &schema["default"],
        &schema["examples"][0],
    ] {
        if !given.is_null() {
            return given.clone();
        }
    }
    for choice in ["anyOf", "oneOf"] {
        if let Some(first) = schema[choice]
            .as_array()
            .and_then(|branches| branches.first())
        {
            return next(first);
        }
    }
    if let Some(members) = schema["allOf"].as_array() {
        // The members' values together, over the schema's own.
        let mut merged = Map::new();
        for member in members {
            if let Value::Object(fields) = next(member) {
                merged.extend(fields);
            }
        }
        let mut own = schema.clone();
        own.as_object_mut().map(|map| map.remove("allOf"));
        if let Value::Object(fields) = next(&own) {
            merged.extend(fields);
        }
        return Value::Object(merged);
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match ty.as_str().unwrap_or("object") {
        "integer" | "number" => match (schema["minimum"].as_i64(), schema["maximum"].as_i64()) {
            (Some(min), _) => json!(min),
            (None, Some(max)) => json!(max.min(1)),
            (None, None) => json!(1),
        },
        "boolean" => json!(false),
        "null" => Value::Null,
        "array" => Value::Array(Vec::new()),
        "string" => json!(sample_string(schema)),
        _ => Value::Object(
            schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|name| (name.to_string(), next(&schema["properties"][name])))
                .collect(),
        ),
    }
}

fn sample_string(schema: &Value) -> String {
    let text = match schema["format"].as_str() {
        Some("date-time") => "2025-01-01T00:00:00Z",
        Some("date") => "2025-01-01",
        Some("time") => "00:00:00Z",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("uri") | Some("iri") => "https://example.com/",
        Some("email") => "user@example.com",
        Some("hostname") => "example.com",
        _ => "x",
    };
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    format!(
        "{text}{}",
        "x".repeat(min.saturating_sub(text.chars().count()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_catalog::catalog;

    const EVENTS: &str = "resource: task\nevents:\n  - name: task_created\n    description: A task was created.\n    since: '0.1'\n    stability: frozen\n    payload:\n      type: object\n      additionalProperties: false\n      required: [task_id]\n      properties:\n        task_id: {$ref: '#/$defs/TaskId'}\n    examples:\n      - {task_id: 7}\n";

    const DEFINITIONS: &str =
        "definitions:\n  TaskId: {type: integer, minimum: 1, maximum: 9007199254740991}\n";

    #[test]
    fn an_adjacent_envelope_holds_the_payload_under_its_key() {
        let settings = format!(
            "channel: board\ndescription: d\nprotocol_version: 2\n{DEFINITIONS}events: [events]\n"
        );
        let catalog = catalog(&settings, EVENTS);
        let event = &catalog.events[0];
        let schema = envelope(&catalog, event, "#/components/schemas/");
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "protocol_version": {"const": 2},
                    "event_type": {"const": "task_created"},
                    "payload": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["task_id"],
                        "properties": {"task_id": {"$ref": "#/components/schemas/TaskId"}},
                    },
                },
                "required": ["protocol_version", "event_type", "payload"],
            })
        );
        assert_eq!(
            example(&catalog, event, &json!({"task_id": 7})),
            json!({"protocol_version": 2, "event_type": "task_created", "payload": {"task_id": 7}})
        );
    }

    #[test]
    fn a_flat_envelope_merges_the_payload_with_the_type_and_its_own_fields() {
        let settings = format!(
            "channel: board\ndescription: d\nprotocol_version: 1\nenvelope:\n  style: flat\n  version_field: null\n  type_field: type\n  fields:\n    type: object\n    required: [sent_at]\n    properties:\n      sent_at: {{type: string, format: date-time}}\n{DEFINITIONS}events: [events]\n"
        );
        let catalog = catalog(&settings, EVENTS);
        let event = &catalog.events[0];
        let schema = envelope(&catalog, event, "#/$defs/");
        assert_eq!(
            schema["required"],
            json!(["type", "sent_at", "task_id"]),
            "{schema}"
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["type", "sent_at", "task_id"]);
        // The envelope's required field gets a value its format allows.
        assert_eq!(
            example(&catalog, event, &json!({"task_id": 7})),
            json!({"type": "task_created", "sent_at": "2025-01-01T00:00:00Z", "task_id": 7})
        );
    }

    #[test]
    fn samples_satisfy_their_schema() {
        let definitions: Map<String, Value> =
            serde_json::from_value(json!({"Id": {"type": "integer", "minimum": 3}})).unwrap();
        let schema = json!({
            "type": "object",
            "required": ["id", "kind", "at", "tags", "name", "both"],
            "properties": {
                "id": {"$ref": "#/$defs/Id"},
                "kind": {"enum": ["a", "b"]},
                "at": {"type": "string", "format": "uuid"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "name": {"type": "string", "minLength": 4},
                "both": {"allOf": [
                    {"type": "object", "required": ["x"], "properties": {"x": {"type": "boolean"}}},
                    {"type": "object", "required": ["y"], "properties": {"y": {"const": null}}},
                ]},
            },
        });
        assert_eq!(
            sample(&schema, &definitions),
            json!({"id": 3, "kind": "a", "at": "00000000-0000-4000-8000-000000000000", "tags": [], "name": "xxxx", "both": {"x": false, "y": null}})
        );
    }

    #[test]
    fn only_definition_references_move() {
        let schema =
            json!({"properties": {"a": {"$ref": "#/$defs/A"}, "b": {"$ref": "other.json"}}});
        assert_eq!(
            with_references(&schema, "#/components/schemas/"),
            json!({"properties": {"a": {"$ref": "#/components/schemas/A"}, "b": {"$ref": "other.json"}}})
        );
    }
}
