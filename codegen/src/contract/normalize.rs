//! The normalized form of a payload schema that the lock records: shared
//! definitions inlined (so changing one shows up in every event that uses
//! it), annotations dropped, and unordered lists sorted, so two schemas that
//! accept the same JSON compare equal.

use std::cell::RefCell;

use serde_json::{Map, Value};

use crate::FastMap;
use crate::schema_subset::ANNOTATIONS;

/// Normalizes `schema`, resolving `#/$defs/<Name>` against `definitions`.
pub fn normalize(schema: &Value, definitions: &Map<String, Value>) -> Value {
    Normalizer::new(definitions).normalize(schema)
}

/// Normalizes many schemas against the same definitions, each definition
/// normalized once, when first referenced, however many schemas use it.
pub struct Normalizer<'a> {
    definitions: &'a Map<String, Value>,
    /// The normalized definitions, by name.
    normalized: RefCell<FastMap<&'a str, Value>>,
}

/// Validation rejects `$ref` cycles; the depth bound only keeps a bad input
/// from recursing forever.
const MAX_DEPTH: usize = 256;

impl<'a> Normalizer<'a> {
    pub fn new(definitions: &'a Map<String, Value>) -> Normalizer<'a> {
        Normalizer {
            definitions,
            normalized: RefCell::new(FastMap::default()),
        }
    }

    /// `schema` normalized.
    pub fn normalize(&self, schema: &Value) -> Value {
        self.normalize_at(schema, 0)
    }

    fn normalize_at(&self, schema: &Value, depth: usize) -> Value {
        // A copy changed in place: cloning a map copies its hashes, where
        // building a new one would hash every key again.
        let mut out = schema.clone();
        self.normalize_in_place(&mut out, depth);
        out
    }

    /// The definition `name` normalized, `None` when there is none.
    fn definition(&self, name: &str, depth: usize) -> Option<Value> {
        if let Some(done) = self.normalized.borrow().get(name) {
            return Some(done.clone());
        }
        let (name, definition) = self.definitions.get_key_value(name)?;
        let normalized = self.normalize_at(definition, depth + 1);
        // Kept for the next reference when made near the top: a definition
        // normalizes the same at every depth unless its nest reaches
        // `MAX_DEPTH`, which takes a `$ref` cycle (validation rejects
        // those) or a chain of over a hundred definitions.
        if depth < MAX_DEPTH / 2 {
            self.normalized
                .borrow_mut()
                .insert(name.as_str(), normalized.clone());
        }
        Some(normalized)
    }

    fn normalize_in_place(&self, schema: &mut Value, depth: usize) {
        let Value::Object(map) = schema else {
            return;
        };
        if depth > MAX_DEPTH {
            *schema = Value::Object(Map::new());
            return;
        }
        // `anyOf: [X, {type: null}]` is X with null allowed: normalize it to
        // the inline form so both spellings compare equal.
        if let Some(nullable) = self.inline_nullable(map, depth) {
            *schema = nullable;
            return;
        }
        if let Some(target) = map
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix(crate::schema_subset::DEFS_PREFIX))
            && let Some(definition) = self.definition(target, depth)
        {
            *schema = definition;
            return;
        }
        if map.keys().any(|key| ANNOTATIONS.contains(&key.as_str())) {
            map.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
        }
        for (key, value) in map.iter_mut() {
            match (key.as_str(), value) {
                ("properties", Value::Object(properties)) => {
                    for property in properties.values_mut() {
                        self.normalize_in_place(property, depth + 1);
                    }
                }
                ("items" | "additionalProperties", value) => {
                    self.normalize_in_place(value, depth + 1);
                }
                ("oneOf", Value::Array(variants)) => {
                    for variant in variants {
                        self.normalize_in_place(variant, depth + 1);
                    }
                }
                ("required" | "enum" | "type", Value::Array(items)) => sort(items),
                _ => {}
            }
        }
    }

    fn inline_nullable(&self, map: &Map<String, Value>, depth: usize) -> Option<Value> {
        let Some(Value::Array(members)) = map.get("anyOf").or_else(|| map.get("oneOf")) else {
            return None;
        };
        let inner = match members.as_slice() {
            [a, b] if is_null_schema(b) => a,
            [a, b] if is_null_schema(a) => b,
            _ => return None,
        };
        let Value::Object(mut inner) = self.normalize_at(inner, depth + 1) else {
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
}

/// Whether `schema` is `{"type": "null"}` and nothing else.
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|map| {
        map.len() == 1 && map.get("type").and_then(Value::as_str) == Some("null")
    })
}

/// A list sorted by its JSON text; anything else as it is.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Array(items) => {
            let mut items = items.clone();
            sort(&mut items);
            Value::Array(items)
        }
        other => other.clone(),
    }
}

/// Sorts `items` by their JSON text, each written once. Equal texts are
/// equal values, so the order is the same as a stable sort's.
fn sort(items: &mut [Value]) {
    if items.len() > 1 {
        items.sort_by_cached_key(Value::to_string);
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

    #[test]
    fn a_shared_definition_normalizes_the_same_from_the_cache() {
        let definitions = json!({
            "Task": {"type": "object", "description": "A task.", "required": ["b", "a"],
                     "properties": {"a": {"$ref": "#/$defs/Id"}, "b": {"type": ["string", "null"]}}},
            "Id": {"type": "integer", "minimum": 1, "title": "Id"}
        });
        let definitions = definitions.as_object().unwrap();
        let top = json!({"$ref": "#/$defs/Task"});
        let nested = json!({"type": "array", "items": {"$ref": "#/$defs/Task"}});
        let normalizer = Normalizer::new(definitions);
        let first = normalizer.normalize(&top);
        assert_eq!(normalizer.normalized.borrow().len(), 2);
        // Each is what a fresh normalizer gives, the cache filled or not.
        assert_eq!(first, normalize(&top, definitions));
        assert_eq!(
            normalizer.normalize(&nested),
            normalize(&nested, definitions)
        );
        assert_eq!(normalizer.normalize(&top), first);
        assert_eq!(
            first,
            json!({"type": "object", "required": ["a", "b"],
                   "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"type": ["null", "string"]}}})
        );
    }

    #[test]
    fn a_reference_cycle_ends() {
        let definitions =
            json!({"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}});
        let normalized = normalize(
            &json!({"$ref": "#/$defs/Node"}),
            definitions.as_object().unwrap(),
        );
        assert_eq!(normalized["type"], "object");
    }
}
