//! A message's payload without the envelope's keys, and as one object.

use serde_json::{Map, Value, json};

use super::Finding;
use super::convert::Converter;
use super::document::Place;
use super::wire::{carries, members};

impl Converter<'_> {
    /// `schema` without the envelope's keys, inlining the referenced parts
    /// that carry them.
    pub(super) fn strip(
        &mut self,
        place: &Place,
        schema: &Value,
        keys: &[String],
        depth: usize,
    ) -> Value {
        if depth > 16 || keys.is_empty() {
            return schema.clone();
        }
        let mut schema = schema.clone();
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            // A shared schema that carries the envelope's keys is shared
            // without them: they are the envelope's, never a payload's.
            let target = self.loaded.target(&place.file, reference);
            if let Some(found) = self.loaded.at(&target)
                && carries(self.loaded, &target, &found, keys)
            {
                self.stripped.insert(target);
            }
        }
        if let Some(map) = schema.as_object_mut() {
            if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
                properties.retain(|name, _| !keys.contains(name));
            }
            if let Some(required) = map.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|name| {
                    !name
                        .as_str()
                        .is_some_and(|name| keys.iter().any(|key| key == name))
                });
                if required.is_empty() {
                    map.remove("required");
                }
            }
            for choice in ["allOf", "oneOf", "anyOf"] {
                if let Some(members) = map.get(choice).and_then(Value::as_array).cloned() {
                    let members: Vec<Value> = members
                        .iter()
                        .enumerate()
                        .map(|(index, member)| {
                            self.strip(
                                &place.join(choice).join(&index.to_string()),
                                member,
                                keys,
                                depth + 1,
                            )
                        })
                        .collect();
                    map.insert(choice.into(), Value::Array(members));
                }
            }
        }
        schema
    }
}

impl Converter<'_> {
    /// A payload that is one of several objects (a `oneOf`/`anyOf` at its
    /// top) as one object: a catalog payload is one object type. It has
    /// every branch's properties, required where every branch requires
    /// them, so it accepts every message the document does (and some it
    /// refuses): listed as not represented.
    pub(super) fn one_object(&mut self, place: &Place, schema: Value, key: &str) -> Value {
        let Some((choice, branches)) = ["oneOf", "anyOf"]
            .iter()
            .find_map(|choice| schema[*choice].as_array().map(|b| (*choice, b.clone())))
        else {
            return schema;
        };
        let mut properties = Map::new();
        let mut required: Option<Vec<Value>> = None;
        for (index, branch) in branches.iter().enumerate() {
            let (own_properties, own_required) =
                self.object_parts(&place.join(choice).join(&index.to_string()), branch, 0);
            for (name, property) in own_properties {
                properties.entry(name).or_insert(property);
            }
            required = Some(match required {
                None => own_required,
                Some(mut shared) => {
                    shared.retain(|name| own_required.contains(name));
                    shared
                }
            });
        }
        let (top_properties, top_required) = self.object_parts(
            place,
            &json!({"properties": schema["properties"], "required": schema["required"]}),
            0,
        );
        let mut merged = Map::new();
        merged.insert("type".into(), json!("object"));
        if let Some(description) = schema.get("description") {
            merged.insert("description".into(), description.clone());
        }
        let mut all_required = top_required;
        for name in required.unwrap_or_default() {
            if !all_required.contains(&name) {
                all_required.push(name);
            }
        }
        if !all_required.is_empty() {
            merged.insert("required".into(), Value::Array(all_required));
        }
        let mut all_properties = top_properties;
        for (name, property) in properties {
            all_properties.entry(name).or_insert(property);
        }
        merged.insert("properties".into(), Value::Object(all_properties));
        self.findings.push(Finding {
            at: self.loaded.show(place),
            message: format!(
                "the payload of `{key}` is one of {} objects (`{choice}`); a catalog payload is one object, so it has every branch's properties, required only where all branches require them: it also accepts messages the document refuses",
                branches.len()
            ),
        });
        Value::Object(merged)
    }

    /// The properties and required names of an object schema, through
    /// `$ref`s and `allOf`.
    pub(super) fn object_parts(
        &mut self,
        place: &Place,
        schema: &Value,
        depth: usize,
    ) -> (Map<String, Value>, Vec<Value>) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        if depth > 16 {
            return (properties, required);
        }
        let (place, schema) = self.loaded.deref(place.clone(), schema.clone());
        let keys = self.envelope_keys.clone();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if !keys.contains(name) {
                properties.insert(name.clone(), property.clone());
            }
        }
        for name in schema["required"].as_array().into_iter().flatten() {
            if !name
                .as_str()
                .is_some_and(|name| keys.iter().any(|key| key == name))
                && !required.contains(name)
            {
                required.push(name.clone());
            }
        }
        for (at, member) in members(&place, &schema, "allOf") {
            let (more, more_required) = self.object_parts(&at, &member, depth + 1);
            for (name, property) in more {
                properties.entry(name).or_insert(property);
            }
            for name in more_required {
                if !required.contains(&name) {
                    required.push(name);
                }
            }
        }
        (properties, required)
    }
}
