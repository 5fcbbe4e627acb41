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
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if depth > MAX_DEPTH {
        return Value::Object(Map::new());
    }
    // `anyOf: [X, {type: null}]` is X with null allowed: normalize it to the
    // inline form so both spellings compare equal.
    if let Some(nullable) = inline_nullable(map, definitions, depth) {
        return nullable;
    }
    if let Some(target) = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix(crate::schema_subset::DEFS_PREFIX))
        && let Some(definition) = definitions.get(target)
    {
        return normalize_at(definition, definitions, depth + 1);
    }
    let mut out = Map::new();
    for (key, value) in map {
        if ANNOTATIONS.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            "properties" => match value {
                Value::Object(properties) => Value::Object(
                    properties
                        .iter()
                        .map(|(name, property)| {
                            (name.clone(), normalize_at(property, definitions, depth + 1))
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            "items" | "additionalProperties" => normalize_at(value, definitions, depth + 1),
            "oneOf" => match value {
                Value::Array(variants) => Value::Array(
                    variants
                        .iter()
                        .map(|variant| normalize_at(variant, definitions, depth + 1))
                        .collect(),
                ),
                other => other.clone(),
            },
            "required" | "enum" | "type" => sorted(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
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
