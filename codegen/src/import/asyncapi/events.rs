//! Messages as catalog events: name, payload, examples, what eventcat's
//! own extensions say; and the catalog they make.

use std::collections::BTreeSet;
use std::path::PathBuf;

use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::channels::{Channel, Message, Sender, split};
use super::convert::Converter;
use super::document::Place;
use super::files::{CatalogSettings, catalog_file, event_files};
use super::wire::{Wire, constants, envelope_of};
use super::{Finding, ImportedCatalog, Options};

impl Converter<'_> {
    /// The catalog of a group of channels' messages.
    pub(super) fn catalog(
        mut self,
        channel: &str,
        group: &[&Channel],
        options: &Options,
    ) -> Result<ImportedCatalog, String> {
        let messages = self.messages_of(group);
        let wire = envelope_of(self.loaded, &messages, self.findings);
        self.envelope_keys = wire.envelope_keys.clone();
        let mut events: Vec<ImportedEvent> = messages
            .iter()
            .filter_map(|message| self.event(message, &wire))
            .collect();
        let document = self.loaded.document().clone();
        if document.get("x-eventcat").is_some() {
            self.keep_every_definition();
        }
        let definitions = self.ordered_definitions();
        for event in &mut events {
            settle_examples(event, &definitions, self.findings);
        }
        let grandfathered = to_grandfather(&events, &document);
        let event_files = event_files(&events, &document["x-eventcat"]);
        let address = group.iter().find_map(|channel| channel.address.clone());
        if document.get("x-eventcat").is_none() && !group.iter().any(|c| c.websocket) {
            self.findings.push(Finding {
                at: format!("{}#/servers", super::document::file_name(&options.document)),
                message: "no server or channel binding says WebSocket: the catalog's transport is WebSocket (its payload types, validators and docs hold for any transport)".into(),
            });
        }
        let settings = CatalogSettings {
            channel,
            document: &document,
            source: &options.document,
            envelope: &wire.settings,
            address: address.as_deref(),
            definitions: &definitions,
            grandfathered: if options.no_grandfather {
                &[]
            } else {
                &grandfathered
            },
            event_files: event_files
                .iter()
                .map(|(path, _)| path.display().to_string())
                .collect(),
        };
        let mut files = vec![(PathBuf::from("catalog.yaml"), catalog_file(&settings))];
        files.extend(event_files);
        Ok(ImportedCatalog {
            channel: channel.to_string(),
            files,
            events: events.len(),
            definitions: definitions.len(),
            grandfathered,
            sampled_examples: events
                .iter()
                .filter(|e| e.sampled)
                .map(ImportedEvent::name)
                .collect(),
        })
    }

    /// The group's messages, each once (channels may share one), a message
    /// of several typed variants as one each.
    fn messages_of(&mut self, group: &[&Channel]) -> Vec<Message> {
        let mut seen = BTreeSet::new();
        let messages: Vec<Message> = group
            .iter()
            .flat_map(|channel| channel.messages.iter().cloned())
            .filter(|message| seen.insert(message.place.clone()))
            .collect();
        messages
            .into_iter()
            .flat_map(|message| split(self.loaded, message))
            .collect()
    }

    /// A document eventcat wrote keeps every definition it had, used or not.
    fn keep_every_definition(&mut self) {
        let places: Vec<(Place, String)> = self
            .definitions
            .iter()
            .map(|(place, name)| (place.clone(), name.clone()))
            .collect();
        for (place, name) in places {
            if !self.bodies.contains_key(&name) && place.file == self.loaded.root {
                let _ = self.reference(&place, 0);
            }
        }
    }

    /// One message as an event; `None` (and a finding) for a payload that is
    /// not JSON Schema.
    pub(super) fn event(&mut self, message: &Message, wire: &Wire) -> Option<ImportedEvent> {
        let value = &message.value;
        if let Some(format) = value["payload"]["schemaFormat"].as_str()
            && !is_json_schema(format)
        {
            self.findings.push(Finding {
                at: self.loaded.show(&message.place),
                message: format!(
                    "payload schema format `{format}` is not JSON Schema: message `{}` left out",
                    message.key
                ),
            });
            return None;
        }
        let (payload, deprecated) = self.payload(message, wire);
        if let Some(kind) = not_an_object(&payload) {
            self.findings.push(Finding {
                at: self.loaded.show(&message.place.join("payload")),
                message: format!(
                    "the payload of `{}` is {kind}, and an eventcat payload is an object: message left out",
                    message.key
                ),
            });
            return None;
        }
        let name = self.wire_name(message, wire);
        let mut entry = Map::new();
        entry.insert("name".into(), json!(name));
        entry.insert("description".into(), json!(description(value, &name)));
        let since = value.get("x-eventcat-since").cloned();
        entry.insert("since".into(), since.unwrap_or(json!("0.1")));
        let stability = value.get("x-eventcat-stability").cloned();
        entry.insert(
            "stability".into(),
            stability.unwrap_or(json!("experimental")),
        );
        entry.insert("webhook".into(), webhook(value, &name));
        entry.insert("payload".into(), payload);
        entry.insert("examples".into(), Value::Array(examples(value, wire)));
        let deprecated = value.get("x-eventcat-deprecated").cloned().or_else(|| {
            (deprecated || value["deprecated"] == true)
                .then(|| json!("Deprecated in the AsyncAPI document."))
        });
        if let Some(note) = deprecated {
            entry.insert("deprecated".into(), note);
        }
        for (key, extension) in EVENT_EXTENSIONS {
            if let Some(found) = value.get(format!("x-eventcat-{extension}")) {
                entry.insert(key.to_string(), found.clone());
            }
        }
        let sender = self.sender(message, &name);
        Some(ImportedEvent {
            resource: resource(value, &name),
            sender,
            naming_policy: value["x-eventcat-naming-policy"]
                .as_str()
                .map(str::to_string),
            at: self.loaded.show(&message.place),
            entry: Value::Object(entry),
            sampled: false,
        })
    }

    /// The payload schema, and whether the message's schema is deprecated.
    fn payload(&mut self, message: &Message, wire: &Wire) -> (Value, bool) {
        let value = &message.value;
        let payload_place = message.place.join("payload");
        let raw = value["payload"]
            .get("schema")
            .or_else(|| value.get("payload"))
            .cloned()
            .unwrap_or(json!({"type": "object"}));
        let (place, whole) = self.loaded.deref(payload_place, raw);
        let mut payload = match &wire.payload_key {
            Some(key) => {
                let inner = whole["properties"][key].clone();
                self.schema(&place.join("properties").join(key), &inner, 0)
            }
            None => {
                let stripped = self.strip(&place, &whole, &wire.envelope_keys, 0);
                let stripped = self.one_object(&place, stripped, &message.key);
                self.schema(&place, &stripped, 0)
            }
        };
        if let Some(map) = payload.as_object_mut() {
            map.remove("deprecated");
        }
        (payload, whole["deprecated"] == true)
    }

    /// Who sends the message: the application unless only clients do.
    fn sender(&mut self, message: &Message, name: &str) -> Sender {
        if message.senders.len() > 1 {
            self.findings.push(Finding {
                at: self.loaded.show(&message.place),
                message: format!("`{name}` is both sent and received by the application: imported as an event it sends (a catalog message has one direction)"),
            });
        }
        if message.senders.contains(&Sender::Client)
            && !message.senders.contains(&Sender::Application)
        {
            Sender::Client
        } else {
            Sender::Application
        }
    }

    /// The wire name: the `const` of the type field, else the message's
    /// `name`, else its key.
    pub(super) fn wire_name(&mut self, message: &Message, wire: &Wire) -> String {
        let type_key = wire.settings["type_field"].as_str().unwrap_or("type");
        let payload = message.value.get("payload").cloned().unwrap_or(Value::Null);
        let fixed = constants(self.loaded, &message.place.join("payload"), &payload, 0);
        fixed
            .get(type_key)
            .cloned()
            .or_else(|| message.value["name"].as_str().map(str::to_string))
            .unwrap_or_else(|| message.key.clone())
    }
}

/// What a payload schema is instead of an object (`a string`), if it says.
fn not_an_object(payload: &Value) -> Option<String> {
    let types: Vec<&str> = match &payload["type"] {
        Value::String(single) => vec![single.as_str()],
        Value::Array(several) => several.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if types.is_empty() || types.contains(&"object") {
        return None;
    }
    Some(format!("`{}`", types.join(" | ")))
}

/// Whether a payload's `schemaFormat` is JSON Schema (or AsyncAPI's
/// superset of it), in JSON or YAML: not Avro, RAML or Protobuf.
fn is_json_schema(format: &str) -> bool {
    let media_type = format.split(';').next().unwrap_or_default().trim();
    matches!(
        media_type,
        "application/schema+json"
            | "application/schema+yaml"
            | "application/vnd.aai.asyncapi"
            | "application/vnd.aai.asyncapi+json"
            | "application/vnd.aai.asyncapi+yaml"
    )
}

/// Event settings eventcat writes as `x-eventcat-<extension>`, by their key
/// in the event file.
const EVENT_EXTENSIONS: [(&str, &str); 4] = [
    ("aliases", "aliases"),
    ("exceptions", "exceptions"),
    ("emitted_elsewhere", "emitted-elsewhere"),
    ("attributes", "attributes"),
];

/// The message's description, summary or title.
fn description(message: &Value, name: &str) -> String {
    ["description", "summary", "title"]
        .iter()
        .find_map(|key| message[*key].as_str())
        .map_or_else(
            || format!("The `{name}` message."),
            |text| text.trim().to_string(),
        )
}

/// The message's example payloads, without the envelope's keys; with the
/// ones eventcat wrote as JSON text (a `__proto__` key) back in their place.
fn examples(message: &Value, wire: &Wire) -> Vec<Value> {
    let mut examples: Vec<Value> = message["examples"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|example| example.get("payload"))
        .map(|example| match &wire.payload_key {
            Some(key) => example.get(key).cloned().unwrap_or(json!({})),
            None => without_keys(example, &wire.envelope_keys),
        })
        .filter(Value::is_object)
        .collect();
    let as_text = message["x-eventcat-examples-as-json"].as_array();
    for entry in as_text.into_iter().flatten() {
        let parsed = entry["json"]
            .as_str()
            .and_then(|text| serde_json::from_str(text).ok());
        if let (Some(index), Some(example)) = (entry["index"].as_u64(), parsed) {
            let index = (index as usize).min(examples.len());
            examples.insert(index, example);
        }
    }
    examples
}

/// The resource eventcat wrote, else the name's first word.
fn resource(message: &Value, name: &str) -> String {
    match message["x-eventcat-resource"].as_str() {
        Some(resource) => resource.to_string(),
        None => name
            .to_snake_case()
            .split('_')
            .next()
            .unwrap_or("message")
            .to_string(),
    }
}

/// The published names that break the naming rule and the document does
/// not grandfather already (none in a document eventcat wrote).
fn to_grandfather(events: &[ImportedEvent], document: &Value) -> Vec<String> {
    if document.get("x-eventcat").is_some() {
        return Vec::new();
    }
    let lexicon = crate::naming::lexicon::Lexicon::builtin();
    events
        .iter()
        .map(ImportedEvent::name)
        .filter(|name| !crate::init::rule_breaks(name, lexicon).is_empty())
        .collect()
}

/// Leaves out (and lists) the examples the payload schema refuses, and
/// gives an event with none left one made from its schema.
fn settle_examples(
    event: &mut ImportedEvent,
    definitions: &Map<String, Value>,
    findings: &mut Vec<Finding>,
) {
    let name = event.name();
    let mut schema = event.entry["payload"].clone();
    if let Some(map) = schema.as_object_mut() {
        map.insert("$defs".into(), Value::Object(definitions.clone()));
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .ok();
    let examples = event.entry["examples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut kept = Vec::new();
    for (index, example) in examples.into_iter().enumerate() {
        let error = validator.as_ref().and_then(|validator| {
            validator
                .iter_errors(&example)
                .next()
                .map(|error| error.to_string())
        });
        match error {
            Some(error) => findings.push(Finding {
                at: format!("{}/examples/{index}", event.at),
                message: format!(
                    "this example of `{name}` does not match its payload schema ({error}): left out"
                ),
            }),
            None => kept.push(example),
        }
    }
    if kept.is_empty() {
        kept.push(crate::render::message_schema::sample(
            &event.entry["payload"],
            definitions,
        ));
        event.sampled = true;
    }
    event.entry["examples"] = Value::Array(kept);
}

fn without_keys(example: &Value, keys: &[String]) -> Value {
    match example.as_object() {
        Some(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !keys.contains(key))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        None => example.clone(),
    }
}

/// The event's `webhook:` setting: as eventcat wrote it, else none (an
/// AsyncAPI channel has no webhook counterpart).
fn webhook(message: &Value, name: &str) -> Value {
    match message.get("x-eventcat-webhook") {
        Some(Value::String(webhook)) => {
            let derived = match name.rsplit_once('_') {
                Some((head, verb)) => format!("{head}.{verb}"),
                None => name.to_string(),
            };
            if *webhook == derived {
                json!("derived")
            } else {
                json!({"name": webhook})
            }
        }
        _ => json!("ws-only"),
    }
}

/// One message as a catalog event entry.
pub(super) struct ImportedEvent {
    /// Where the message is in the document.
    pub(super) at: String,
    pub(super) resource: String,
    pub(super) sender: Sender,
    pub(super) naming_policy: Option<String>,
    pub(super) entry: Value,
    pub(super) sampled: bool,
}

impl ImportedEvent {
    fn name(&self) -> String {
        self.entry["name"].as_str().unwrap_or_default().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::is_json_schema;

    #[test]
    fn json_schema_formats_are_told_from_others() {
        for format in [
            "application/schema+yaml;version=draft-07",
            "application/schema+json;version=draft-07",
            "application/vnd.aai.asyncapi+json;version=3.0.0",
            "application/vnd.aai.asyncapi;version=3.1.0",
        ] {
            assert!(is_json_schema(format), "{format}");
        }
        for format in [
            "application/vnd.apache.avro;version=1.9.0",
            "application/raml+yaml;version=1.0",
            "application/vnd.google.protobuf;version=3",
        ] {
            assert!(!is_json_schema(format), "{format}");
        }
    }
}
