//! `eventcat import asyncapi FILE`: an AsyncAPI 3.0 or 3.1 document (YAML
//! or JSON, `$ref`s into other files followed) turned into catalogs.
//!
//! The steps: [`Loaded`] reads the document and every file it refers to;
//! [`messages`] lists each channel's messages with the direction its
//! operations give them (from the application's side: `send` is an event,
//! `receive` a command); [`envelope_of`] finds how messages are told apart
//! on the wire (the `x-eventcat` settings of a document eventcat wrote, else
//! a property every message fixes to its own `const`); [`Converter`] turns
//! each message into an event, payload schemas' `$ref`s into shared
//! definitions; [`write`](catalog_files) lays the catalog out as files.
//!
//! Nothing is renamed or dropped silently: a wire name that breaks the naming
//! rule is kept (and grandfathered, unless asked not to), and what a catalog
//! cannot say is listed in [`Imported::unrepresented`] with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value, json};

use crate::init::yaml;
use crate::render::asyncapi::SCHEMAS;
use crate::schema_subset::UNSUPPORTED_KEYWORDS;

/// What `import asyncapi` reads and how it splits the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The AsyncAPI document.
    pub document: PathBuf,
    /// The channel name of the catalog (snake_case); by default the
    /// document's own (`x-eventcat`), its only channel's, or its title's.
    pub channel: Option<String>,
    /// One catalog per AsyncAPI channel instead of one for the document.
    pub per_channel: bool,
    /// Leave names that break the naming rule for `gen` to report, rather
    /// than grandfathering them as published.
    pub no_grandfather: bool,
}

/// The catalogs, and what they could not say.
#[derive(Debug, Default)]
pub struct Imported {
    /// One per catalog: its folder (relative) and files.
    pub catalogs: Vec<ImportedCatalog>,
    /// What the catalogs do not represent, each at its place in the document.
    pub unrepresented: Vec<Finding>,
}

/// One catalog written from the document.
#[derive(Debug, Default)]
pub struct ImportedCatalog {
    /// The channel name.
    pub channel: String,
    /// `catalog.yaml` and one event file per resource and direction.
    pub files: Vec<(PathBuf, String)>,
    /// How many events and commands.
    pub events: usize,
    /// How many shared definitions.
    pub definitions: usize,
    /// Names kept as published though they break the naming rule.
    pub grandfathered: Vec<String>,
    /// Events whose example was made from the schema (the document had none).
    pub sampled_examples: Vec<String>,
}

/// Something the catalog cannot represent, and where the document says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `file#/json/pointer`.
    pub at: String,
    /// What is lost or changed.
    pub message: String,
}

/// Imports the document; an error says why nothing could be imported.
pub fn import(options: &Options) -> Result<Imported, String> {
    let mut loaded = Loaded::read(&options.document)?;
    let root = loaded.root.clone();
    let mut findings = Vec::new();
    check_version(&loaded, &mut findings)?;
    let channels = messages(&mut loaded, &mut findings)?;
    if channels.iter().all(|channel| channel.messages.is_empty()) {
        return Err(format!(
            "{} describes no messages: there is nothing to import",
            options.document.display()
        ));
    }
    let groups: Vec<Vec<&Channel>> = if options.per_channel {
        channels.iter().map(|channel| vec![channel]).collect()
    } else {
        vec![channels.iter().collect()]
    };
    let mut imported = Imported::default();
    for group in groups {
        let name = channel_name(options, &loaded, &group, channels.len());
        let catalog =
            Converter::new(&mut loaded, &root, &mut findings).catalog(&name, &group, options)?;
        imported.catalogs.push(catalog);
    }
    imported.unrepresented = findings;
    Ok(imported)
}

/// The document and the files its `$ref`s reach, by path.
struct Loaded {
    root: PathBuf,
    files: BTreeMap<PathBuf, Value>,
}

impl Loaded {
    fn read(path: &Path) -> Result<Loaded, String> {
        let root = normalise(path);
        let mut loaded = Loaded {
            root: root.clone(),
            files: BTreeMap::new(),
        };
        loaded.file(&root)?;
        Ok(loaded)
    }

    fn file(&mut self, path: &Path) -> Result<&Value, String> {
        if !self.files.contains_key(path) {
            let text =
                fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
            let value: Value = serde_saphyr::from_str(&text)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            self.files.insert(path.to_path_buf(), value);
        }
        Ok(&self.files[path])
    }

    fn document(&self) -> &Value {
        &self.files[&self.root]
    }

    /// Where a `$ref` written in `base` points: its file and JSON pointer.
    fn target(&self, base: &Path, reference: &str) -> Place {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file.is_empty() {
            base.to_path_buf()
        } else {
            normalise(&base.parent().unwrap_or(Path::new("")).join(file))
        };
        Place {
            file,
            pointer: pointer.to_string(),
        }
    }

    /// The value at a place, reading its file first if need be.
    fn at(&mut self, place: &Place) -> Option<Value> {
        let document = self.file(&place.file).ok()?;
        let pointer = unescape_pointer(&place.pointer);
        if pointer.is_empty() {
            Some(document.clone())
        } else {
            document.pointer(&pointer).cloned()
        }
    }

    /// `value`, or what it refers to when it is a `$ref` (through chains),
    /// with the place it was found.
    fn deref(&mut self, place: Place, value: Value) -> (Place, Value) {
        let (mut place, mut value) = (place, value);
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = self.target(&place.file, reference);
            match self.at(&target) {
                Some(found) => (place, value) = (target, found),
                None => break,
            }
        }
        (place, value)
    }

    fn show(&self, place: &Place) -> String {
        let base = self.root.parent().unwrap_or(Path::new(""));
        let file = place.file.strip_prefix(base).unwrap_or(&place.file);
        format!("{}#{}", file.display(), place.pointer)
    }
}

/// A file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    file: PathBuf,
    pointer: String,
}

impl Place {
    fn join(&self, segment: &str) -> Place {
        let escaped = segment.replace('~', "~0").replace('/', "~1");
        Place {
            file: self.file.clone(),
            pointer: format!("{}/{escaped}", self.pointer),
        }
    }
}

fn unescape_pointer(pointer: &str) -> String {
    // `$ref`s may percent-encode; JSON pointers escape `/` and `~`.
    pointer
        .replace("%24", "$")
        .replace("%7B", "{")
        .replace("%7D", "}")
}

fn check_version(loaded: &Loaded, findings: &mut Vec<Finding>) -> Result<(), String> {
    let version = loaded.document()["asyncapi"].as_str().unwrap_or_default();
    if version.starts_with("3.") {
        return Ok(());
    }
    if version.starts_with("2.") {
        findings.push(Finding {
            at: format!("{}#/asyncapi", loaded.root.display()),
            message: format!(
                "AsyncAPI {version}: `publish` is read as what the application receives and `subscribe` as what it sends (2.x's meaning); convert the document with `asyncapi convert` for the 3.0 operations"
            ),
        });
        return Ok(());
    }
    Err(format!(
        "{} is not an AsyncAPI 3 document (`asyncapi: {version}`); eventcat imports 3.0 and 3.1, and 2.6 with notes",
        loaded.root.display()
    ))
}

/// Who sends a message, from the application's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sender {
    /// The application sends it: an event.
    Application,
    /// The application receives it: a command.
    Client,
}

/// One channel and its messages.
struct Channel {
    key: String,
    address: Option<String>,
    websocket: bool,
    messages: Vec<Message>,
}

/// One message of a channel.
#[derive(Clone)]
struct Message {
    /// Its key in the channel.
    key: String,
    /// Where the message object is (after `$ref`s).
    place: Place,
    value: Value,
    /// Who sends it, when an operation says.
    senders: BTreeSet<Sender>,
}

/// Every channel's messages, with who sends each.
fn messages(loaded: &mut Loaded, findings: &mut Vec<Finding>) -> Result<Vec<Channel>, String> {
    if loaded.document()["asyncapi"]
        .as_str()
        .is_some_and(|version| version.starts_with("2."))
    {
        return Ok(messages_v2(loaded));
    }
    let root = Place {
        file: loaded.root.clone(),
        pointer: String::new(),
    };
    let channel_map = loaded.document()["channels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut channels = Vec::new();
    for (key, value) in channel_map {
        let (place, channel) = loaded.deref(root.join("channels").join(&key), value);
        let mut messages = Vec::new();
        for (message_key, value) in channel["messages"].as_object().cloned().unwrap_or_default() {
            let (place, value) = loaded.deref(place.join("messages").join(&message_key), value);
            messages.push(Message {
                key: message_key,
                place,
                value,
                senders: BTreeSet::new(),
            });
        }
        let protocol_ws = channel["bindings"].get("ws").is_some();
        channels.push(Channel {
            key,
            address: channel["address"].as_str().map(str::to_string),
            websocket: protocol_ws || servers_use_websocket(loaded.document()),
            messages,
        });
    }
    let operations = loaded.document()["operations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (key, operation) in operations {
        let (_, operation) = loaded.deref(root.join("operations").join(&key), operation);
        let sender = match operation["action"].as_str() {
            Some("send") => Sender::Application,
            Some("receive") => Sender::Client,
            _ => continue,
        };
        mark(&mut channels, &operation, sender);
        if let Some(reply) = operation.get("reply") {
            let (_, reply) = loaded.deref(
                root.join("operations").join(&key).join("reply"),
                reply.clone(),
            );
            let answer = match sender {
                Sender::Application => Sender::Client,
                Sender::Client => Sender::Application,
            };
            let mut reply = reply;
            if reply.get("channel").is_none() {
                reply["channel"] = operation["channel"].clone();
            }
            mark(&mut channels, &reply, answer);
        }
    }
    for channel in &channels {
        for message in &channel.messages {
            if message.senders.is_empty() {
                findings.push(Finding {
                    at: loaded.show(&message.place),
                    message: format!(
                        "no operation sends or receives `{}`: imported as an event the application sends",
                        message.key
                    ),
                });
            }
        }
    }
    Ok(channels)
}

/// Marks the messages an operation (or its reply) names with their sender:
/// the ones it lists, else every message of its channel.
fn mark(channels: &mut [Channel], operation: &Value, sender: Sender) {
    let channel_key = operation["channel"]["$ref"]
        .as_str()
        .and_then(|reference| reference.strip_prefix("#/channels/"))
        .map(|key| key.replace("~1", "/").replace("~0", "~"));
    let Some(channel) = channels
        .iter_mut()
        .find(|c| Some(&c.key) == channel_key.as_ref())
    else {
        return;
    };
    let listed: Vec<String> = operation["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|message| message["$ref"].as_str())
        .filter_map(|reference| {
            reference
                .rsplit_once("/messages/")
                .map(|(_, key)| key.to_string())
        })
        .collect();
    for message in &mut channel.messages {
        if listed.is_empty() || listed.contains(&message.key) {
            message.senders.insert(sender);
        }
    }
}

fn servers_use_websocket(document: &Value) -> bool {
    document["servers"].as_object().is_some_and(|servers| {
        servers
            .values()
            .any(|server| matches!(server["protocol"].as_str(), Some("ws" | "wss")))
    })
}

/// AsyncAPI 2.x: a channel's `subscribe` messages are the ones the
/// application sends, its `publish` messages the ones it receives.
fn messages_v2(loaded: &mut Loaded) -> Vec<Channel> {
    let root = Place {
        file: loaded.root.clone(),
        pointer: String::new(),
    };
    let channel_map = loaded.document()["channels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut channels = Vec::new();
    for (key, channel) in channel_map {
        let place = root.join("channels").join(&key);
        let mut messages = Vec::new();
        for (action, sender) in [
            ("subscribe", Sender::Application),
            ("publish", Sender::Client),
        ] {
            let Some(message) = channel[action].get("message").cloned() else {
                continue;
            };
            let at = place.join(action).join("message");
            let (at, message) = loaded.deref(at, message);
            let members = match message["oneOf"].as_array() {
                Some(members) => members
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, m)| (at.join("oneOf").join(&i.to_string()), m))
                    .collect(),
                None => vec![(at, message)],
            };
            for (at, member) in members {
                let (at, member) = loaded.deref(at, member);
                let key = member["name"]
                    .as_str()
                    .map_or_else(|| format!("{key}_{action}"), str::to_string);
                messages.push(Message {
                    key,
                    place: at,
                    value: member,
                    senders: BTreeSet::from([sender]),
                });
            }
        }
        channels.push(Channel {
            key: key.clone(),
            address: Some(key),
            websocket: servers_use_websocket(loaded.document()),
            messages,
        });
    }
    channels
}

/// The catalog's channel name: asked for, the document's own, the only
/// channel's, or the document's title, in snake_case.
fn channel_name(options: &Options, loaded: &Loaded, group: &[&Channel], all: usize) -> String {
    let document = loaded.document();
    let chosen = match (&options.channel, group) {
        (Some(name), _) if all == 1 || !options.per_channel => name.clone(),
        (_, [only]) if options.per_channel || all == 1 => document["x-eventcat"]["channel"]
            .as_str()
            .unwrap_or(&only.key)
            .to_string(),
        _ => document["x-eventcat"]["channel"]
            .as_str()
            .or_else(|| document["info"]["title"].as_str())
            .unwrap_or("events")
            .to_string(),
    };
    let name = chosen.to_snake_case();
    if name.is_empty() {
        "events".into()
    } else {
        name
    }
}

/// The envelope the catalog describes the wire with.
#[derive(Debug, Clone)]
struct Wire {
    /// The catalog's `envelope:` settings.
    settings: Value,
    /// Keys of a message that are not the payload's.
    envelope_keys: Vec<String>,
    /// The payload's key in an adjacent envelope.
    payload_key: Option<String>,
}

/// A message whose payload is one of several objects that each fix the
/// same property to a value of their own (Gemini's `marketData`: a
/// `heartbeat` or an `update`, by `type`) is as many messages on the wire:
/// one per branch, each with the examples of its value.
fn split(loaded: &mut Loaded, message: Message) -> Vec<Message> {
    let payload = message.value.get("payload").cloned().unwrap_or(Value::Null);
    let (place, payload) = loaded.deref(message.place.join("payload"), payload);
    let Some((choice, branches)) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|choice| payload[*choice].as_array().map(|b| (*choice, b.clone())))
    else {
        return vec![message];
    };
    let fixed: Vec<BTreeMap<String, String>> = branches
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            constants(
                loaded,
                &place.join(choice).join(&index.to_string()),
                branch,
                0,
            )
        })
        .collect();
    let key = fixed.first().and_then(|first| {
        first.keys().find(|key| {
            let values: Option<BTreeSet<&String>> =
                fixed.iter().map(|names| names.get(*key)).collect();
            values.is_some_and(|values| values.len() == fixed.len())
        })
    });
    let (Some(key), true) = (key.cloned(), branches.len() > 1) else {
        return vec![message];
    };
    let mut rest = payload.clone();
    if let Some(map) = rest.as_object_mut() {
        map.remove(choice);
    }
    let examples = message.value["examples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    branches
        .iter()
        .zip(&fixed)
        .enumerate()
        .map(|(index, (branch, names))| {
            let value = &names[&key];
            let mut part = message.value.clone();
            part["payload"] = if rest
                .as_object()
                .is_some_and(|map| map.keys().all(|k| k == "type" || k == "description"))
            {
                branch.clone()
            } else {
                json!({"allOf": [rest.clone(), branch.clone()]})
            };
            part["name"] = json!(value);
            let own: Vec<Value> = examples
                .iter()
                .filter(|example| example["payload"][&key].as_str() == Some(value.as_str()))
                .cloned()
                .collect();
            part["examples"] = Value::Array(own);
            Message {
                key: value.clone(),
                place: Place {
                    file: place.file.clone(),
                    pointer: place.join(choice).join(&index.to_string()).pointer,
                },
                value: part,
                senders: message.senders.clone(),
            }
        })
        .collect()
}

/// How the messages are told apart on the wire.
fn envelope_of(loaded: &mut Loaded, messages: &[Message], findings: &mut Vec<Finding>) -> Wire {
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
    let candidates: Vec<String> = fixed
        .first()
        .map(|first| first.keys().cloned().collect())
        .unwrap_or_default();
    let distinct = |key: &String| {
        let values: Option<BTreeSet<&String>> = fixed.iter().map(|names| names.get(key)).collect();
        values.is_some_and(|values| values.len() == fixed.len())
    };
    match candidates.into_iter().find(distinct) {
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
fn constants(
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
    for (index, member) in schema["allOf"]
        .as_array()
        .cloned()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = place.join("allOf").join(&index.to_string());
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

/// `#/components/schemas/X` references as the catalog's `#/$defs/X`.
fn from_components(value: &Value) -> Value {
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

/// Turns messages into events and their schemas' references into shared
/// definitions.
struct Converter<'a> {
    loaded: &'a mut Loaded,
    findings: &'a mut Vec<Finding>,
    /// The definitions, by the place they come from.
    definitions: BTreeMap<Place, String>,
    /// Definition bodies, by name, filled as they are reached.
    bodies: BTreeMap<String, Value>,
    /// Referenced schemas that carry envelope keys, shared without them.
    stripped: BTreeSet<Place>,
    /// The envelope's keys, which payloads do not have.
    envelope_keys: Vec<String>,
    /// Names taken, in the order they were given: the document's schemas
    /// first, in its order, then the ones reached in other files.
    order: Vec<String>,
}

impl<'a> Converter<'a> {
    fn new(loaded: &'a mut Loaded, root: &Path, findings: &'a mut Vec<Finding>) -> Converter<'a> {
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

    fn name_for(&mut self, place: Place, key: &str) -> String {
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
    fn schema(&mut self, place: &Place, schema: &Value, depth: usize) -> Value {
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
    fn members(&mut self, place: &Place, key: &str, value: &Value, depth: usize) -> Value {
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
    fn reference(&mut self, target: &Place, depth: usize) -> Result<String, Option<Value>> {
        let shared = target.pointer.starts_with("/components/schemas/")
            && target.pointer.matches('/').count() == 3
            || (target.file != self.loaded.root && target.pointer.matches('/').count() <= 1)
            || (target.file != self.loaded.root
                && target.pointer.starts_with("/components/schemas/")
                && target.pointer.matches('/').count() == 3);
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

    fn catalog(
        mut self,
        channel: &str,
        group: &[&Channel],
        options: &Options,
    ) -> Result<ImportedCatalog, String> {
        let mut seen = BTreeSet::new();
        let messages: Vec<Message> = group
            .iter()
            .flat_map(|channel| channel.messages.iter().cloned())
            .filter(|message| seen.insert(message.place.clone()))
            .collect();
        let messages: Vec<Message> = messages
            .into_iter()
            .flat_map(|message| split(self.loaded, message))
            .collect();
        let wire = envelope_of(self.loaded, &messages, self.findings);
        self.envelope_keys = wire.envelope_keys.clone();
        let mut events = Vec::new();
        for message in &messages {
            if let Some(event) = self.event(message, &wire) {
                events.push(event);
            }
        }
        let own = self.loaded.document().get("x-eventcat").is_some();
        if own {
            // A document eventcat wrote keeps every definition it had.
            let names: Vec<(Place, String)> = self
                .definitions
                .iter()
                .map(|(p, n)| (p.clone(), n.clone()))
                .collect();
            for (place, name) in names {
                if !self.bodies.contains_key(&name) && place.file == self.loaded.root {
                    let _ = self.reference(&place, 0);
                }
            }
        }
        let definitions = self.ordered_definitions();
        for event in &mut events {
            settle_examples(event, &definitions, self.findings);
        }
        let envelope_settings = {
            let mut settings = wire.settings.clone();
            if let Some(fields) = settings.get("fields").cloned() {
                settings["fields"] = fields;
            }
            settings
        };
        let lexicon = crate::naming::lexicon::Lexicon::builtin();
        let document = self.loaded.document().clone();
        let own_settings = &document["x-eventcat"];
        let grandfathered_already: BTreeSet<String> = own_settings["naming"]["grandfathered"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry["name"].as_str().map(str::to_string))
            .collect();
        let mut grandfathered = Vec::new();
        for event in &events {
            let name = event.entry["name"].as_str().unwrap_or_default();
            if !own
                && !crate::init::rule_breaks(name, lexicon).is_empty()
                && !grandfathered_already.contains(name)
            {
                grandfathered.push(name.to_string());
            }
        }
        let address = group.iter().find_map(|channel| channel.address.clone());
        let websocket = group.iter().any(|channel| channel.websocket);
        let settings = CatalogSettings {
            channel,
            document: &document,
            source: &options.document,
            envelope: &envelope_settings,
            address: address.as_deref(),
            websocket,
            definitions: &definitions,
            grandfathered: if options.no_grandfather {
                &[]
            } else {
                &grandfathered
            },
            event_files: Vec::new(),
        };
        let events_files = event_files(&events, own_settings);
        let settings = CatalogSettings {
            event_files: events_files
                .iter()
                .map(|(path, _)| path.display().to_string())
                .collect(),
            ..settings
        };
        let mut files = vec![(PathBuf::from("catalog.yaml"), catalog_file(&settings))];
        files.extend(events_files);
        Ok(ImportedCatalog {
            channel: channel.to_string(),
            files,
            events: events.len(),
            definitions: definitions.len(),
            grandfathered,
            sampled_examples: events
                .iter()
                .filter(|e| e.sampled)
                .map(|e| e.entry["name"].as_str().unwrap_or_default().to_string())
                .collect(),
        })
    }

    /// The definitions reached, in the document's order, then the ones
    /// found elsewhere in the order they were reached.
    fn ordered_definitions(&self) -> Map<String, Value> {
        self.order
            .iter()
            .filter_map(|name| {
                self.bodies
                    .get(name)
                    .map(|body| (name.clone(), body.clone()))
            })
            .collect()
    }

    fn event(&mut self, message: &Message, wire: &Wire) -> Option<ImportedEvent> {
        let value = &message.value;
        let at = self.loaded.show(&message.place);
        if let Some(format) = value["payload"]["schemaFormat"].as_str() {
            if !format.contains("json") && !format.contains("asyncapi") {
                self.findings.push(Finding {
                    at,
                    message: format!("payload schema format `{format}` is not JSON Schema: message `{}` left out", message.key),
                });
                return None;
            }
        }
        let payload_place = message.place.join("payload");
        let raw_payload = value["payload"]
            .get("schema")
            .or_else(|| value.get("payload"))
            .cloned()
            .unwrap_or(json!({"type": "object"}));
        let (payload_place, envelope) = self.loaded.deref(payload_place, raw_payload);
        let own = value.get("x-eventcat-resource").is_some();
        let mut payload = match &wire.payload_key {
            Some(key) => {
                let inner = envelope["properties"][key].clone();
                self.schema(&payload_place.join("properties").join(key), &inner, 0)
            }
            None => {
                let stripped = self.strip(&payload_place, &envelope, &wire.envelope_keys, 0);
                let stripped = self.one_object(&payload_place, stripped, &message.key);
                self.schema(&payload_place, &stripped, 0)
            }
        };
        if let Some(map) = payload.as_object_mut() {
            map.remove("deprecated");
        }
        let name = self.wire_name(message, wire);
        let mut examples: Vec<Value> = value["examples"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|example| example.get("payload"))
            .map(|example| match &wire.payload_key {
                Some(key) => example.get(key).cloned().unwrap_or(json!({})),
                None => without_keys(example, &wire.envelope_keys),
            })
            .collect();
        examples.retain(Value::is_object);
        let description = ["description", "summary", "title"]
            .iter()
            .find_map(|key| value[*key].as_str())
            .map_or_else(
                || format!("The `{name}` message."),
                |text| text.trim().to_string(),
            );
        let mut entry = Map::new();
        entry.insert("name".into(), json!(name));
        entry.insert("description".into(), json!(description));
        entry.insert(
            "since".into(),
            value
                .get("x-eventcat-since")
                .cloned()
                .unwrap_or(json!("0.1")),
        );
        entry.insert(
            "stability".into(),
            value
                .get("x-eventcat-stability")
                .cloned()
                .unwrap_or(json!("experimental")),
        );
        entry.insert("webhook".into(), webhook(value, &name, own));
        let deprecated = value.get("x-eventcat-deprecated").cloned().or_else(|| {
            (envelope["deprecated"] == true || value["deprecated"] == true)
                .then(|| json!("Deprecated in the AsyncAPI document."))
        });
        entry.insert("payload".into(), payload);
        entry.insert("examples".into(), Value::Array(examples));
        if let Some(note) = deprecated {
            entry.insert("deprecated".into(), note);
        }
        for (key, raw) in [
            ("aliases", "aliases"),
            ("exceptions", "exceptions"),
            ("emitted_elsewhere", "emitted-elsewhere"),
            ("attributes", "attributes"),
        ] {
            if let Some(found) = value.get(format!("x-eventcat-{raw}")) {
                entry.insert(key.into(), found.clone());
            }
        }
        let sender = if message.senders.contains(&Sender::Application) || message.senders.is_empty()
        {
            Sender::Application
        } else {
            Sender::Client
        };
        if message.senders.len() > 1 {
            self.findings.push(Finding {
                at: self.loaded.show(&message.place),
                message: format!("`{name}` is both sent and received by the application: imported as an event it sends (a catalog message has one direction)"),
            });
        }
        let resource = value["x-eventcat-resource"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                name.to_snake_case()
                    .split('_')
                    .next()
                    .unwrap_or("message")
                    .to_string()
            });
        Some(ImportedEvent {
            resource,
            sender,
            naming_policy: value["x-eventcat-naming-policy"]
                .as_str()
                .map(str::to_string),
            at: self.loaded.show(&message.place),
            entry: Value::Object(entry),
            sampled: false,
        })
    }

    /// The wire name: the `const` of the type field, else the message's
    /// `name`, else its key.
    fn wire_name(&mut self, message: &Message, wire: &Wire) -> String {
        let type_key = wire.settings["type_field"].as_str().unwrap_or("type");
        let payload = message.value.get("payload").cloned().unwrap_or(Value::Null);
        let fixed = constants(self.loaded, &message.place.join("payload"), &payload, 0);
        fixed
            .get(type_key)
            .cloned()
            .or_else(|| message.value["name"].as_str().map(str::to_string))
            .unwrap_or_else(|| message.key.clone())
    }

    /// `schema` without the envelope's keys, inlining the referenced parts
    /// that carry them.
    fn strip(&mut self, place: &Place, schema: &Value, keys: &[String], depth: usize) -> Value {
        if depth > 16 || keys.is_empty() {
            return schema.clone();
        }
        let mut schema = schema.clone();
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            // A shared schema that carries the envelope's keys is shared
            // without them: they are the envelope's, never a payload's.
            let target = self.loaded.target(&place.file, reference);
            if let Some(found) = self.loaded.at(&target) {
                if carries(self.loaded, &target, &found, keys) {
                    self.stripped.insert(target);
                }
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
    fn one_object(&mut self, place: &Place, schema: Value, key: &str) -> Value {
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
    fn object_parts(
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
        for (index, member) in schema["allOf"]
            .as_array()
            .cloned()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (more, more_required) = self.object_parts(
                &place.join("allOf").join(&index.to_string()),
                &member,
                depth + 1,
            );
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

/// `allOf: [{$ref: X}, {description: ...}]`, the idiom that annotates a
/// reference, as the reference with its annotations beside it (which JSON
/// Schema 2020-12 allows): an `allOf` member must otherwise be an object.
fn annotated_reference(mut schema: Map<String, Value>) -> Map<String, Value> {
    const ANNOTATIONS: &[&str] = &[
        "description",
        "title",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
    ];
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

/// Whether a schema names one of `keys` as a property (its own, or fixed
/// through `allOf` and every branch of a choice).
fn carries(loaded: &mut Loaded, place: &Place, schema: &Value, keys: &[String]) -> bool {
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

/// Leaves out (and lists) the examples the payload schema refuses, and
/// gives an event with none left one made from its schema.
fn settle_examples(
    event: &mut ImportedEvent,
    definitions: &Map<String, Value>,
    findings: &mut Vec<Finding>,
) {
    let name = event.entry["name"].as_str().unwrap_or_default().to_string();
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
fn webhook(message: &Value, name: &str, own: bool) -> Value {
    if !own {
        return json!("ws-only");
    }
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
struct ImportedEvent {
    /// Where the message is in the document.
    at: String,
    resource: String,
    sender: Sender,
    naming_policy: Option<String>,
    entry: Value,
    sampled: bool,
}

struct CatalogSettings<'a> {
    channel: &'a str,
    document: &'a Value,
    source: &'a Path,
    envelope: &'a Value,
    address: Option<&'a str>,
    websocket: bool,
    definitions: &'a Map<String, Value>,
    grandfathered: &'a [String],
    /// The event files, in the order their events come in the document.
    event_files: Vec<String>,
}

/// `catalog.yaml`: the settings eventcat wrote (for its own documents), or
/// what the document says, and outputs beside the catalog.
fn catalog_file(settings: &CatalogSettings) -> String {
    let own = &settings.document["x-eventcat"];
    let info = &settings.document["info"];
    let mut catalog = Map::new();
    catalog.insert("channel".into(), json!(settings.channel));
    let description = info["description"]
        .as_str()
        .or_else(|| info["title"].as_str())
        .map_or_else(
            || format!("The `{}` messages.", settings.channel),
            |text| text.trim().to_string(),
        );
    catalog.insert("description".into(), json!(description));
    catalog.insert(
        "protocol_version".into(),
        own.get("protocol_version").cloned().unwrap_or(json!(1)),
    );
    if let Some(address) = settings.address {
        catalog.insert("address".into(), json!(address));
    }
    catalog.insert("envelope".into(), settings.envelope.clone());
    let transports = own
        .get("transports")
        .cloned()
        .unwrap_or_else(|| json!(["websocket"]));
    if !settings.websocket && own.get("transports").is_none() {
        // Not a WebSocket API: the catalog still generates WebSocket code.
    }
    catalog.insert("transports".into(), transports);
    for key in ["large_integers", "attributes"] {
        if let Some(value) = own.get(key) {
            catalog.insert(key.into(), value.clone());
        }
    }
    let mut naming = own
        .get("naming")
        .cloned()
        .map(|n| from_components(&n))
        .unwrap_or_else(|| json!({}));
    if !settings.grandfathered.is_empty() {
        let reason = format!(
            "Published as this wire name in {}; kept as it is (imported by `eventcat import asyncapi`).",
            file_name(settings.source)
        );
        let list = naming["grandfathered"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut list = list;
        list.extend(
            settings
                .grandfathered
                .iter()
                .map(|name| json!({"name": name, "reason": reason})),
        );
        naming["grandfathered"] = Value::Array(list);
    }
    if naming.as_object().is_some_and(|n| !n.is_empty()) {
        catalog.insert("naming".into(), naming);
    }
    if !settings.definitions.is_empty() {
        catalog.insert(
            "definitions".into(),
            Value::Object(settings.definitions.clone()),
        );
    }
    catalog.insert("events".into(), json!(settings.event_files));
    if let Some(decisions) = own.get("breaking_changes") {
        catalog.insert("breaking_changes".into(), decisions.clone());
    }
    let channel = settings.channel;
    catalog.insert(
        "outputs".into(),
        json!({
            "rust": {"dir": format!("generated/rust"), "package": format!("{}-events", channel.replace('_', "-"))},
            "typescript": format!("generated/ts/{channel}.ts"),
            "docs": format!("generated/docs/{channel}-events.md"),
        }),
    );
    let mut text = format!(
        "# Imported by `eventcat import asyncapi` from {}.\n",
        file_name(settings.source)
    );
    for (key, value) in &catalog {
        text.push_str(&yaml::field(key, value, 0));
    }
    text
}

/// One file per resource and direction, in the order the events come.
fn event_files(events: &[ImportedEvent], own: &Value) -> Vec<(PathBuf, String)> {
    let mut files: Vec<((String, Sender, Option<String>), Vec<Value>)> = Vec::new();
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

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "schema".into(),
        |stem| stem.to_string_lossy().into_owned(),
    )
}

/// `a/b/../c` as `a/c`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
