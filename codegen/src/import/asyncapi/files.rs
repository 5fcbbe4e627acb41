//! The imported catalog as files: `catalog.yaml` and one event file per
//! resource and direction.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::channels::Sender;
use super::document::file_name;
use super::events::ImportedEvent;
use super::wire::from_components;
use crate::init::yaml;

pub(super) struct CatalogSettings<'a> {
    pub(super) channel: &'a str,
    pub(super) document: &'a Value,
    pub(super) source: &'a Path,
    pub(super) envelope: &'a Value,
    pub(super) address: Option<&'a str>,
    pub(super) definitions: &'a Map<String, Value>,
    pub(super) grandfathered: &'a [String],
    /// The event files, in the order their events come in the document.
    pub(super) event_files: Vec<String>,
}

/// `catalog.yaml`: the settings eventcat wrote (for its own documents), or
/// what the document says, and outputs beside the catalog.
pub(super) fn catalog_file(settings: &CatalogSettings) -> String {
    let own = &settings.document["x-eventcat"];
    let mut catalog = Map::new();
    catalog.insert("channel".into(), json!(settings.channel));
    catalog.insert("description".into(), json!(description(settings)));
    let version = own.get("protocol_version").cloned();
    catalog.insert("protocol_version".into(), version.unwrap_or(json!(1)));
    if let Some(address) = settings.address {
        catalog.insert("address".into(), json!(address));
    }
    catalog.insert("envelope".into(), settings.envelope.clone());
    let transports = own.get("transports").cloned();
    catalog.insert(
        "transports".into(),
        transports.unwrap_or(json!(["websocket"])),
    );
    for key in ["large_integers", "attributes"] {
        if let Some(value) = own.get(key) {
            catalog.insert(key.into(), value.clone());
        }
    }
    let naming = naming(settings);
    if !naming.is_empty() {
        catalog.insert("naming".into(), Value::Object(naming));
    }
    if !settings.definitions.is_empty() {
        let definitions = Value::Object(settings.definitions.clone());
        catalog.insert("definitions".into(), definitions);
    }
    catalog.insert("events".into(), json!(settings.event_files));
    if let Some(decisions) = own.get("breaking_changes") {
        catalog.insert("breaking_changes".into(), decisions.clone());
    }
    catalog.insert("outputs".into(), outputs(settings.channel));
    let mut text = format!(
        "# Imported by `eventcat import asyncapi` from {}.\n",
        file_name(settings.source)
    );
    for (key, value) in &catalog {
        text.push_str(&yaml::field(key, value, 0));
    }
    text
}

/// The document's description, else its title.
fn description(settings: &CatalogSettings) -> String {
    let info = &settings.document["info"];
    info["description"]
        .as_str()
        .or_else(|| info["title"].as_str())
        .map_or_else(
            || format!("The `{}` messages.", settings.channel),
            |text| text.trim().to_string(),
        )
}

/// The naming settings eventcat wrote, with the names kept as published.
fn naming(settings: &CatalogSettings) -> Map<String, Value> {
    let own = &settings.document["x-eventcat"]["naming"];
    let mut naming = from_components(own)
        .as_object()
        .cloned()
        .unwrap_or_default();
    if settings.grandfathered.is_empty() {
        return naming;
    }
    let reason = format!(
        "Published as this wire name in {}; kept as it is (imported by `eventcat import asyncapi`).",
        file_name(settings.source)
    );
    let mut names = naming
        .get("grandfathered")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let imported = settings.grandfathered.iter();
    names.extend(imported.map(|name| json!({"name": name, "reason": reason})));
    naming.insert("grandfathered".into(), Value::Array(names));
    naming
}

/// The generated files, under `generated/` beside the catalog.
fn outputs(channel: &str) -> Value {
    json!({
        "rust": {"dir": "generated/rust", "package": format!("{}-events", channel.replace('_', "-"))},
        "typescript": format!("generated/ts/{channel}.ts"),
        "docs": format!("generated/docs/{channel}-events.md"),
    })
}

/// What puts events in one file: their resource, sender and naming policy.
type FileKey = (String, Sender, Option<String>);

/// One file per resource and direction, in the order the events come.
pub(super) fn event_files(events: &[ImportedEvent], own: &Value) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(FileKey, Vec<Value>)> = Vec::new();
    for event in events {
        let key = (
            event.resource.clone(),
            event.sender,
            event.naming_policy.clone(),
        );
        match files.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, entries)) => entries.push(event.entry.clone()),
            None => files.push((key, vec![event.entry.clone()])),
        }
    }
    let described: BTreeMap<&str, &str> = own["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|resource| {
            Some((
                resource["name"].as_str()?,
                resource["description"].as_str()?,
            ))
        })
        .collect();
    let mut used = BTreeSet::new();
    files
        .into_iter()
        .map(|((resource, sender, policy), entries)| {
            let mut stem = resource.clone();
            if sender == Sender::Client {
                stem.push_str(".commands");
            }
            let mut n = 2;
            let base = stem.clone();
            while !used.insert(stem.clone()) {
                stem = format!("{base}.{n}");
                n += 1;
            }
            let mut text = yaml::field("resource", &json!(resource), 0);
            if let Some(description) = described.get(resource.as_str()) {
                text.push_str(&yaml::field("description", &json!(description), 0));
            }
            if sender == Sender::Client {
                text.push_str(&yaml::field("direction", &json!("client-to-server"), 0));
            }
            if let Some(policy) = policy {
                text.push_str(&yaml::field("naming_policy", &json!(policy), 0));
            }
            text.push_str(&yaml::field("events", &Value::Array(entries), 0));
            (PathBuf::from(format!("events/{stem}.yaml")), text)
        })
        .collect()
}
