//! Each channel's messages, and who sends each: AsyncAPI 3's operations
//! (2.x's `publish` and `subscribe`), from the application's side.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Finding;
use super::document::{Loaded, Place};
use super::wire::{constants, members, telling_key};

/// Who sends a message, from the application's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Sender {
    /// The application sends it: an event.
    Application,
    /// The application receives it: a command.
    Client,
}

/// One channel and its messages.
pub(super) struct Channel {
    pub(super) key: String,
    pub(super) address: Option<String>,
    pub(super) websocket: bool,
    pub(super) messages: Vec<Message>,
}

/// One message of a channel.
#[derive(Clone)]
pub(super) struct Message {
    /// Its key in the channel.
    pub(super) key: String,
    /// Where the message object is (after `$ref`s).
    pub(super) place: Place,
    pub(super) value: Value,
    /// Who sends it, when an operation says.
    pub(super) senders: BTreeSet<Sender>,
}

/// Every channel's messages, with who sends each.
pub(super) fn messages(
    loaded: &mut Loaded,
    findings: &mut Vec<Finding>,
) -> Result<Vec<Channel>, String> {
    if loaded.document()["asyncapi"]
        .as_str()
        .is_some_and(|version| version.starts_with("2."))
    {
        return Ok(messages_v2(loaded));
    }
    let root = Place::document(loaded);
    let channel_map = section(loaded, "channels");
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
    let operations = section(loaded, "operations");
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

/// A top-level mapping of the document (`channels`, `operations`).
fn section(loaded: &Loaded, key: &str) -> serde_json::Map<String, Value> {
    loaded.document()[key]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

/// Marks the messages an operation (or its reply) names with their sender:
/// the ones it lists, else every message of its channel.
pub(super) fn mark(channels: &mut [Channel], operation: &Value, sender: Sender) {
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

pub(super) fn servers_use_websocket(document: &Value) -> bool {
    document["servers"].as_object().is_some_and(|servers| {
        servers
            .values()
            .any(|server| matches!(server["protocol"].as_str(), Some("ws" | "wss")))
    })
}

/// AsyncAPI 2.x: a channel's `subscribe` messages are the ones the
/// application sends, its `publish` messages the ones it receives.
pub(super) fn messages_v2(loaded: &mut Loaded) -> Vec<Channel> {
    let root = Place::document(loaded);
    let channel_map = section(loaded, "channels");
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

/// A message whose payload is one of several objects that each fix the
/// same property to a value of their own (Gemini's `marketData`: a
/// `heartbeat` or an `update`, by `type`) is as many messages on the wire:
/// one per branch, each with the examples of its value.
pub(super) fn split(loaded: &mut Loaded, message: Message) -> Vec<Message> {
    let payload = message.value.get("payload").cloned().unwrap_or(Value::Null);
    let (place, payload) = loaded.deref(message.place.join("payload"), payload);
    let Some(choice) = ["oneOf", "anyOf"]
        .into_iter()
        .find(|c| payload[*c].is_array())
    else {
        return vec![message];
    };
    let branches = members(&place, &payload, choice);
    let fixed: Vec<BTreeMap<String, String>> = branches
        .iter()
        .map(|(at, branch)| constants(loaded, at, branch, 0))
        .collect();
    let Some(key) = telling_key(&fixed).filter(|_| branches.len() > 1) else {
        return vec![message];
    };
    let mut rest = payload.clone();
    if let Some(map) = rest.as_object_mut() {
        map.remove(choice);
    }
    let plain = rest
        .as_object()
        .is_some_and(|map| map.keys().all(|k| k == "type" || k == "description"));
    branches
        .into_iter()
        .zip(&fixed)
        .map(|((at, branch), names)| {
            let value = &names[&key];
            let mut part = message.value.clone();
            part["payload"] = if plain {
                branch
            } else {
                json!({"allOf": [rest.clone(), branch]})
            };
            part["name"] = json!(value);
            part["examples"] = examples_where(&message.value, &key, value);
            Message {
                key: value.clone(),
                place: at,
                value: part,
                senders: message.senders.clone(),
            }
        })
        .collect()
}

/// The examples of a message whose `key` is `value`.
fn examples_where(message: &Value, key: &str, value: &str) -> Value {
    let examples = message["examples"].as_array().into_iter().flatten();
    examples
        .filter(|example| example["payload"][key].as_str() == Some(value))
        .cloned()
        .collect()
}
