//! `__proto__` as a key, in documents JavaScript tools read.
//!
//! JSON allows any key, but a JavaScript object with a `__proto__` key is
//! read as a prototype, and the AsyncAPI parser fails on one. A schema
//! property of that name is written as a `patternProperties` entry that
//! matches only it (the same constraint), with the property order kept in
//! `x-eventcat-property-order`; [`restore`] turns it back. (Examples with
//! such a key travel as JSON text: see `asyncapi.rs`.)

use serde_json::{Map, Value, json};

/// The key JavaScript reads as a prototype.
const PROTO: &str = "__proto__";

/// The `patternProperties` key that matches exactly [`PROTO`].
const PROTO_PATTERN: &str = "^__proto__$";

/// Where the property order is kept when a property moved.
const ORDER: &str = "x-eventcat-property-order";

/// Whether a value has an object with a `__proto__` key anywhere.
pub fn has_proto_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, value)| key == PROTO || has_proto_key(value)),
        Value::Array(items) => items.iter().any(has_proto_key),
        _ => false,
    }
}

/// Moves every schema property named `__proto__` under `patternProperties`.
pub fn hide(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get_mut("properties")
                && properties.contains_key(PROTO)
            {
                let order: Vec<Value> = properties.keys().map(|key| json!(key)).collect();
                let schema = properties.shift_remove(PROTO).unwrap_or(Value::Bool(true));
                let patterns = map
                    .entry("patternProperties")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(patterns) = patterns {
                    patterns.insert(PROTO_PATTERN.into(), schema);
                }
                map.insert(ORDER.into(), Value::Array(order));
            }
            map.values_mut().for_each(hide);
        }
        Value::Array(items) => items.iter_mut().for_each(hide),
        _ => {}
    }
}

/// Undoes [`hide`]: the property back in its place.
pub fn restore(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(restore);
            let Some(Value::Array(order)) = map.shift_remove(ORDER) else {
                return;
            };
            let moved = match map.get_mut("patternProperties") {
                Some(Value::Object(patterns)) => patterns.shift_remove(PROTO_PATTERN),
                _ => None,
            };
            if map["patternProperties"]
                .as_object()
                .is_some_and(Map::is_empty)
            {
                map.shift_remove("patternProperties");
            }
            let mut properties = match map.shift_remove("properties") {
                Some(Value::Object(properties)) => properties,
                _ => Map::new(),
            };
            if let Some(schema) = moved {
                properties.insert(PROTO.into(), schema);
            }
            let mut ordered: Map<String, Value> = order
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|key| properties.shift_remove(key).map(|v| (key.to_string(), v)))
                .collect();
            ordered.extend(properties);
            map.insert("properties".into(), Value::Object(ordered));
        }
        Value::Array(items) => items.iter_mut().for_each(restore),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proto_property_moves_out_of_the_way_and_back_in_place() {
        let schema = json!({
            "type": "object",
            "required": ["__proto__"],
            "properties": {"a": {"type": "string"}, "__proto__": {"type": "integer"}, "b": {}},
        });
        let mut hidden = schema.clone();
        hide(&mut hidden);
        assert!(!has_proto_key(&hidden));
        assert_eq!(
            hidden["patternProperties"][PROTO_PATTERN],
            json!({"type": "integer"})
        );
        restore(&mut hidden);
        assert_eq!(hidden, schema);
        let keys: Vec<&String> = hidden["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "__proto__", "b"]);
    }
}
