//! The normalized form of a payload schema that the lock records: shared
//! definitions inlined (so changing one shows up in every event that uses
//! it), annotations dropped, and unordered lists sorted, so two schemas that
//! accept the same JSON compare equal.

use serde_json::{Map, Value};

use crate::schema_subset::ANNOTATIONS;

/// Normalizes `schema`, resolving `#/$defs/<Name>` against `definitions`.
pub fn normalize(schema: &Value, definitions: &Map<String, Value>) -> Value {
    normalize_at(schema, definitions, 0)
}

/// Validation rejects `$ref` cycles; the depth bound only keeps a bad input
/// from recursing forever.
const MAX_DEPTH: usize = 256;

fn normalize_at(schema: &Value, definitions: &Map<String, Value>, depth: usize) -> Value {
    // A copy changed in place: cloning a map copies its hashes, where
    // building a new one would hash every key again.
    let mut out = schema.clone();
    normalize_in_place(&mut out, definitions, depth);
    out
}

fn normalize_in_place(schema: &mut Value, definitions: &Map<String, Value>, depth: usize) {
    let Value::Object(map) = schema else {
        return;
    };
    if depth > MAX_DEPTH {
        *schema = Value::Object(Map::new());
        return;
    }
    // `anyOf: [X, {type: null}]` is X with null allowed: normalize it to the
    // inline form so both spellings compare equal.
    if let Some(nullable) = inline_nullable(map, definitions, depth) {
        *schema = nullable;
        return;
    }
    if let Some(target) = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix(crate::schema_subset::DEFS_PREFIX))
        && let Some(definition) = definitions.get(target)
    {
        *schema = normalize_at(definition, definitions, depth + 1);
        return;
    }
    map.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for property in properties.values_mut() {
                    normalize_in_place(property, definitions, depth + 1);
                }
            }
            ("items" | "additionalProperties", value) => {
                normalize_in_place(value, definitions, depth + 1);
            }
            ("oneOf", Value::Array(variants)) => {
                for variant in variants {
                    normalize_in_place(variant, definitions, depth + 1);
                }
            }
            ("required" | "enum" | "type", Value::Array(items)) => {
                items.sort_by_key(Value::to_string);
            }
            _ => {}
        }
    }
}

fn inline_nullable(
    map: &Map<String, Value>,
    definitions: &Map<String, Value>,
    depth: usize,
) -> Option<Value> {
    let Some(Value::Array(members)) = map.get("anyOf").or_else(|| map.get("oneOf")) else {
        return None;
    };
    let null = serde_json::json!({"type": "null"});
    let inner = match members.as_slice() {
        [a, b] if *b == null => a,
        [a, b] if *a == null => b,
        _ => return None,
    };
    let Value::Object(mut inner) = normalize_at(inner, definitions, depth + 1) else {
        return None;
    };
    let types = match inner.get("type") {
        Some(Value::String(name)) => vec![Value::String(name.clone()), "null".into()],
        Some(Value::Array(names)) => names
            .iter()
            .cloned()
            .chain(std::iter::once("null".into()))
            .collect(),
        _ => return None,
    };
    inner.insert("type".to_string(), sorted(&Value::Array(types)));
    let mut types = inner.remove("type").unwrap_or(Value::Null);
    if let Value::Array(list) = &mut types {
        list.dedup();
    }
    inner.insert("type".to_string(), types);
    Some(Value::Object(inner))
}

/// A list sorted by its JSON text; anything else as it is.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items = items.clone();
            items.sort_by_key(Value::to_string);
            Value::Array(items)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_any_of_equals_the_inline_form() {
        let definitions = json!({"PhaseId": {"type": "integer", "minimum": 1, "maximum": 9}});
        let any_of =
            json!({"anyOf": [{"$ref": "#/$defs/PhaseId"}, {"type": "null"}], "description": "x"});
        let inline = json!({"type": ["integer", "null"], "minimum": 1, "maximum": 9});
        let definitions = definitions.as_object().unwrap();
        assert_eq!(
            normalize(&any_of, definitions),
            normalize(&inline, definitions)
        );
    }

    #[test]
    fn inlines_definitions_and_drops_annotations() {
        let definitions =
            json!({"TaskId": {"type": "integer", "minimum": 1, "description": "An id."}});
        let schema = json!({
            "type": "object",
            "description": "Payload.",
            "required": ["b", "a"],
            "properties": {"a": {"$ref": "#/$defs/TaskId", "description": "The task."}, "b": {"type": ["null", "string"]}}
        });
        let normalized = normalize(&schema, definitions.as_object().unwrap());
        assert_eq!(
            normalized,
            json!({
                "type": "object",
                "required": ["a", "b"],
                "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"type": ["null", "string"]}}
            })
        );
    }
}
