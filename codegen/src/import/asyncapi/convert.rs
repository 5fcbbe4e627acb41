//! Payload schemas as catalog schemas: each `$ref` to a whole schema
//! becomes a shared definition, any other is put in place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use super::Finding;
use super::document::{Loaded, Place, file_stem};
use crate::schema_subset::{ANNOTATIONS, UNSUPPORTED_KEYWORDS};

/// Turns messages into events and their schemas' references into shared
/// definitions.
pub(super) struct Converter<'a> {
    pub(super) loaded: &'a mut Loaded,
    pub(super) findings: &'a mut Vec<Finding>,
    /// The definitions, by the place they come from.
    pub(super) definitions: BTreeMap<Place, String>,
    /// Definition bodies, by name, filled as they are reached.
    pub(super) bodies: BTreeMap<String, Value>,
    /// Referenced schemas that carry envelope keys, shared without them.
    pub(super) stripped: BTreeSet<Place>,
    /// The envelope's keys, which payloads do not have.
    pub(super) envelope_keys: Vec<String>,
    /// Names taken, in the order they were given: the document's schemas
    /// first, in its order, then the ones reached in other files.
    pub(super) order: Vec<String>,
}

impl<'a> Converter<'a> {
    pub(super) fn new(
        loaded: &'a mut Loaded,
        root: &Path,
        findings: &'a mut Vec<Finding>,
    ) -> Converter<'a> {
        let mut converter = Converter {
            loaded,
            findings,
            definitions: BTreeMap::new(),
            bodies: BTreeMap::new(),
            stripped: BTreeSet::new(),
            envelope_keys: Vec::new(),
            order: Vec::new(),
        };
        // The document's own schemas keep their names (made UpperCamelCase)
        // and their order.
        let schemas = converter.loaded.document()["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let base = Place {
            file: root.to_path_buf(),
            pointer: "/components/schemas".into(),
        };
        for key in schemas.keys() {
            converter.name_for(base.join(key), key);
        }
        converter
    }

    pub(super) fn name_for(&mut self, place: Place, key: &str) -> String {
        if let Some(name) = self.definitions.get(&place) {
            return name.clone();
        }
        let stem = key.to_upper_camel_case();
        let stem = if stem.is_empty() {
            "Schema".to_string()
        } else {
            stem
        };
        let mut name = stem.clone();
        let mut n = 2;
        while self.order.contains(&name) {
            name = format!("{stem}{n}");
            n += 1;
        }
        self.order.push(name.clone());
        self.definitions.insert(place, name.clone());
        name
    }

    /// `schema` (found at `place`) with every reference made a catalog one:
    /// to a whole schema of `components/schemas` or another file, a shared
    /// definition; to anything else, the referenced schema itself.
    pub(super) fn schema(&mut self, place: &Place, schema: &Value, depth: usize) -> Value {
        if depth > 64 {
            return schema.clone();
        }
        match schema {
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, value) in map {
                    let value = match (key.as_str(), value.as_str()) {
                        ("$ref", Some(reference)) => {
                            let target = self.loaded.target(&place.file, reference);
                            match self.reference(&target, depth) {
                                Ok(name) => json!(format!("#/$defs/{name}")),
                                Err(Some(inline)) => {
                                    out.extend(inline.as_object().cloned().unwrap_or_default());
                                    continue;
                                }
                                Err(None) => value.clone(),
                            }
                        }
                        (keyword, _) if UNSUPPORTED_KEYWORDS.contains(&keyword) => {
                            self.findings.push(Finding {
                                at: self.loaded.show(&place.join(key)),
                                message: format!(
                                    "eventcat payloads have no `{key}`: left out, so the catalog accepts values the document refuses"
                                ),
                            });
                            continue;
                        }
                        // Values, not schemas: kept as they are.
                        ("const" | "enum" | "default" | "examples" | "example", _) => value.clone(),
                        ("properties" | "patternProperties", _) => {
                            self.members(place, key, value, depth)
                        }
                        _ => self.schema(&place.join(key), value, depth + 1),
                    };
                    out.insert(key.clone(), value);
                }
                Value::Object(annotated_reference(out))
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.schema(&place.join(&index.to_string()), item, depth + 1)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// A mapping of names to schemas (`properties`): each schema converted,
    /// the names left as they are.
    pub(super) fn members(
        &mut self,
        place: &Place,
        key: &str,
        value: &Value,
        depth: usize,
    ) -> Value {
        let Some(members) = value.as_object() else {
            return value.clone();
        };
        let at = place.join(key);
        Value::Object(
            members
                .iter()
                .map(|(name, schema)| {
                    (name.clone(), self.schema(&at.join(name), schema, depth + 1))
                })
                .collect(),
        )
    }

    /// The definition a reference names (`Ok`), or the schema to put in
    /// its place (`Err(Some)`), or nothing found (`Err(None)`).
    pub(super) fn reference(
        &mut self,
        target: &Place,
        depth: usize,
    ) -> Result<String, Option<Value>> {
        let shared = is_whole_schema(target, &self.loaded.root);
        let Some(found) = self.loaded.at(target) else {
            self.findings.push(Finding {
                at: self.loaded.show(target),
                message: "this `$ref` names nothing; it is left as written".into(),
            });
            return Err(None);
        };
        let found = if self.stripped.contains(target) {
            let keys = self.envelope_keys.clone();
            self.strip(target, &found, &keys, depth + 1)
        } else {
            found
        };
        if !shared {
            return Err(Some(self.schema(target, &found, depth + 1)));
        }
        let key = target
            .pointer
            .rsplit('/')
            .next()
            .filter(|key| !key.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| file_stem(&target.file));
        let name = self.name_for(target.clone(), &key);
        if !self.bodies.contains_key(&name) {
            self.bodies.insert(name.clone(), Value::Null);
            let body = self.schema(target, &found, depth + 1);
            self.bodies.insert(name.clone(), body);
        }
        Ok(name)
    }

    /// The definitions reached, in the document's order, then the ones
    /// found elsewhere in the order they were reached.
    pub(super) fn ordered_definitions(&self) -> Map<String, Value> {
        self.order
            .iter()
            .filter_map(|name| {
                self.bodies
                    .get(name)
                    .map(|body| (name.clone(), body.clone()))
            })
            .collect()
    }
}

/// Whether a reference names a whole schema, which becomes a definition:
/// one of `components/schemas`, or another file or one of its top-level
/// entries (`./schemas.yaml#/commentId`).
fn is_whole_schema(target: &Place, root: &Path) -> bool {
    let depth = target.pointer.matches('/').count();
    let component = target.pointer.starts_with("/components/schemas/") && depth == 3;
    component || (target.file != root && depth <= 1)
}

/// `allOf: [{$ref: X}, {description: ...}]`, the idiom that annotates a
/// reference, as the reference with its annotations beside it (which JSON
/// Schema 2020-12 allows): an `allOf` member must otherwise be an object.
pub(super) fn annotated_reference(mut schema: Map<String, Value>) -> Map<String, Value> {
    let Some(members) = schema.get("allOf").and_then(Value::as_array) else {
        return schema;
    };
    let is_annotation = |member: &Value| {
        member
            .as_object()
            .is_some_and(|map| map.keys().all(|key| ANNOTATIONS.contains(&key.as_str())))
    };
    let references: Vec<&Value> = members
        .iter()
        .filter(|member| !is_annotation(member))
        .collect();
    let [reference] = references.as_slice() else {
        return schema;
    };
    if reference.get("$ref").is_none() || reference.as_object().is_some_and(|map| map.len() != 1) {
        return schema;
    }
    let mut merged = Map::new();
    merged.insert("$ref".into(), reference["$ref"].clone());
    for member in members.iter().filter(|member| is_annotation(member)) {
        merged.extend(member.as_object().cloned().unwrap_or_default());
    }
    schema.remove("allOf");
    for (key, value) in schema {
        merged.entry(key).or_insert(value);
    }
    merged
}
