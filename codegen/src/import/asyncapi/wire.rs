//! How messages are told apart on the wire: the envelope settings of a
//! document eventcat wrote, else a property every message fixes to a
//! `const` of its own.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Finding;
use super::channels::Message;
use super::document::{Loaded, Place};
use crate::render::asyncapi::SCHEMAS;

/// The envelope the catalog describes the wire with.
#[derive(Debug, Clone)]
pub(super) struct Wire {
    /// The catalog's `envelope:` settings.
    pub(super) settings: Value,
    /// Keys of a message that are not the payload's.
    pub(super) envelope_keys: Vec<String>,
    /// The payload's key in an adjacent envelope.
    pub(super) payload_key: Option<String>,
}

/// How the messages are told apart on the wire.
pub(super) fn envelope_of(
    loaded: &mut Loaded,
    messages: &[Message],
    findings: &mut Vec<Finding>,
) -> Wire {
    if let Some(settings) = loaded.document()["x-eventcat"].get("envelope").cloned() {
        let mut keys: Vec<String> = ["version_field", "type_field"]
            .iter()
            .filter_map(|key| settings[*key].as_str().map(str::to_string))
            .collect();
        if let Some(fields) = settings["fields"]["properties"].as_object() {
            keys.extend(fields.keys().cloned());
        }
        let payload_key = (settings["style"] == "adjacent").then(|| {
            settings["payload_field"]
                .as_str()
                .unwrap_or("payload")
                .to_string()
        });
        return Wire {
            settings: from_components(&settings),
            envelope_keys: keys,
            payload_key,
        };
    }
    let fixed: Vec<BTreeMap<String, String>> = messages
        .iter()
        .map(|message| {
            let payload = message.value.get("payload").cloned().unwrap_or(Value::Null);
            let (place, payload) = loaded.deref(message.place.join("payload"), payload);
            constants(loaded, &place, &payload, 0)
        })
        .collect();
    match telling_key(&fixed) {
        Some(key) => Wire {
            settings: json!({"style": "flat", "version_field": null, "type_field": key}),
            envelope_keys: vec![key],
            payload_key: None,
        },
        None => {
            findings.push(Finding {
                at: format!("{}#/channels", loaded.root.display()),
                message: "no property tells these messages apart on the wire (a `const` every message sets to a value of its own): the catalog wraps each payload in an adjacent envelope `{\"type\": <name>, \"payload\": {...}}`, which this document's messages do not have".into(),
            });
            Wire {
                settings: json!({"style": "adjacent", "version_field": null, "type_field": "type", "payload_field": "payload"}),
                envelope_keys: Vec::new(),
                payload_key: None,
            }
        }
    }
}

/// The string `const`s a payload fixes at its top: its own properties',
/// every `allOf` member's, and those all `oneOf`/`anyOf` branches share.
pub(super) fn constants(
    loaded: &mut Loaded,
    place: &Place,
    schema: &Value,
    depth: usize,
) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    if depth > 8 {
        return found;
    }
    let (place, schema) = loaded.deref(place.clone(), schema.clone());
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let (_, property) = loaded.deref(place.join("properties").join(name), property.clone());
        let value = property.get("const").or_else(|| {
            property["enum"]
                .as_array()
                .filter(|values| values.len() == 1)
                .and_then(|values| values.first())
        });
        if let Some(text) = value.and_then(Value::as_str) {
            found.insert(name.clone(), text.to_string());
        }
    }
    for (at, member) in members(&place, &schema, "allOf") {
        found.extend(constants(loaded, &at, &member, depth + 1));
    }
    for choice in ["oneOf", "anyOf"] {
        let Some(branches) = schema[choice].as_array().cloned() else {
            continue;
        };
        let mut shared: Option<BTreeMap<String, String>> = None;
        for (index, branch) in branches.iter().enumerate() {
            let at = place.join(choice).join(&index.to_string());
            let own = constants(loaded, &at, branch, depth + 1);
            shared = Some(match shared {
                None => own,
                Some(mut shared) => {
                    shared.retain(|key, value| own.get(key) == Some(value));
                    shared
                }
            });
        }
        found.extend(shared.unwrap_or_default());
    }
    found
}

/// The property that tells schemas apart: one each fixes to a `const` of
/// its own (`fixed` holds each schema's constants).
pub(super) fn telling_key(fixed: &[BTreeMap<String, String>]) -> Option<String> {
    let first = fixed.first()?;
    first
        .keys()
        .find(|key| {
            let values: Option<BTreeSet<&String>> =
                fixed.iter().map(|names| names.get(*key)).collect();
            values.is_some_and(|values| values.len() == fixed.len())
        })
        .cloned()
}

/// The schemas of a combinator (`allOf`, `oneOf`, ...), each with its place.
pub(super) fn members(place: &Place, schema: &Value, keyword: &str) -> Vec<(Place, Value)> {
    let members = schema[keyword].as_array().cloned().unwrap_or_default();
    members
        .into_iter()
        .enumerate()
        .map(|(index, member)| (place.join(keyword).join(&index.to_string()), member))
        .collect()
}

/// `#/components/schemas/X` references as the catalog's `#/$defs/X`.
pub(super) fn from_components(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value.as_str()) {
                        ("$ref", Some(target)) => match target.strip_prefix(SCHEMAS) {
                            Some(name) => json!(format!("#/$defs/{name}")),
                            None => value.clone(),
                        },
                        _ => from_components(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(from_components).collect()),
        other => other.clone(),
    }
}

/// Whether a schema names one of `keys` as a property (its own, or fixed
/// through `allOf` and every branch of a choice).
pub(super) fn carries(loaded: &mut Loaded, place: &Place, schema: &Value, keys: &[String]) -> bool {
    let own = schema["properties"]
        .as_object()
        .is_some_and(|properties| keys.iter().any(|key| properties.contains_key(key)))
        || schema["required"].as_array().is_some_and(|required| {
            required.iter().any(|name| {
                name.as_str()
                    .is_some_and(|name| keys.iter().any(|key| key == name))
            })
        });
    own || constants(loaded, place, schema, 0)
        .keys()
        .any(|key| keys.contains(key))
}
