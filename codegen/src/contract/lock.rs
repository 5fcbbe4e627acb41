//! The frozen-contract lock: the public surface as it was last generated.
//!
//! It records every frozen event's name, webhook name and normalized payload
//! schema, the protocol version and the grandfathered names. `gen` rewrites it
//! from the catalog after the contract check passes; `check` compares the
//! catalog with it (or with the lock at another git revision).

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::contract::normalize::Normalizer;
use crate::model::{Catalog, Direction, EnvelopeStyle, Event, Stability};
use crate::output::GENERATED_MARKER;

/// The lock file's contents. `Events` is the events as read; the lock
/// `gen` writes serializes them straight from the catalog
/// ([`render`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock<Events = BTreeMap<String, LockedEvent>> {
    /// A note for readers.
    #[serde(rename = "$comment")]
    pub comment: String,
    /// The channel.
    pub channel: String,
    /// The envelope's wire version.
    pub protocol_version: u32,
    /// Names that predate the naming rule; the list may only shrink.
    pub grandfathered: Vec<String>,
    /// The envelope's layout and own fields (absent in locks written before
    /// the envelope was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<LockedEnvelope>,
    /// Every frozen event, by name.
    pub events: Events,
}

/// The envelope as the lock records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedEnvelope {
    /// Adjacent or flat.
    pub style: EnvelopeStyle,
    /// The version field, if any.
    pub version_field: Option<String>,
    /// The type field.
    pub type_field: String,
    /// The payload field (adjacent only).
    pub payload_field: Option<String>,
    /// Whether an empty payload is left out of the message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub omit_empty_payload: bool,
    /// The envelope's own fields, normalized.
    pub fields: Option<serde_json::Value>,
}

/// One frozen event as the lock records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedEvent {
    /// Who sends it; server to client unless recorded.
    #[serde(default, skip_serializing_if = "is_server_to_client")]
    pub direction: Direction,
    /// The webhook counterpart, or `None` when WebSocket-only.
    pub webhook: Option<String>,
    /// The payload schema, normalized.
    pub payload: serde_json::Value,
}

fn is_server_to_client(direction: &Direction) -> bool {
    *direction == Direction::ServerToClient
}

/// The lock that describes `catalog`, as file text: pretty JSON with a
/// trailing newline. Each frozen event's schema is normalized as the text
/// reaches it, so the normalized schemas are never all held at once.
pub fn render(catalog: &Catalog) -> String {
    let mut grandfathered: Vec<String> = catalog
        .grandfathered
        .iter()
        .map(|entry| entry.name.clone())
        .collect();
    grandfathered.sort();
    let lock = Lock {
        comment: format!(
            "{GENERATED_MARKER}: the frozen event contract, maintained by `{}`. A breaking change needs a recorded decision (breaking_changes in the catalog settings).",
            catalog.outputs.command.generate()
        ),
        channel: catalog.channel.clone(),
        protocol_version: catalog.protocol_version,
        grandfathered,
        envelope: Some(envelope_of(catalog)),
        events: FrozenEvents::of(catalog),
    };
    let mut text = serde_json::to_string_pretty(&lock).unwrap_or_default();
    text.push('\n');
    text
}

/// The catalog's frozen events by name, as the lock records them: each
/// one's [`LockedEvent`] is made when it is serialized, and dropped after.
struct FrozenEvents<'a> {
    events: BTreeMap<&'a str, &'a Event>,
    normalizer: Normalizer<'a>,
}

impl<'a> FrozenEvents<'a> {
    fn of(catalog: &'a Catalog) -> FrozenEvents<'a> {
        FrozenEvents {
            events: catalog
                .events
                .iter()
                .filter(|event| event.stability == Stability::Frozen)
                .map(|event| (event.name.as_str(), event))
                .collect(),
            normalizer: Normalizer::new(&catalog.definitions),
        }
    }
}

impl Serialize for FrozenEvents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.events.len()))?;
        for (name, event) in &self.events {
            let locked = LockedEvent {
                direction: event.direction,
                webhook: event.webhook.clone(),
                payload: self.normalizer.normalize(&event.schema),
            };
            map.serialize_entry(name, &locked)?;
        }
        map.end()
    }
}

/// The envelope as the lock records it: its layout, and its own fields'
/// schema, normalized.
pub fn envelope_of(catalog: &Catalog) -> LockedEnvelope {
    LockedEnvelope {
        style: catalog.envelope.style,
        version_field: catalog.envelope.version_field.clone(),
        type_field: catalog.envelope.type_field.clone(),
        payload_field: catalog.envelope.payload_field.clone(),
        omit_empty_payload: catalog.envelope.omit_empty_payload,
        fields: catalog
            .envelope
            .fields_schema
            .as_ref()
            .map(|schema| Normalizer::new(&catalog.definitions).normalize(schema)),
    }
}

/// Reads a lock file's text.
pub fn parse(text: &str) -> Result<Lock, serde_json::Error> {
    serde_json::from_str(text)
}

/// The 1-based line on which the lock text names `event`, for diagnostics.
pub fn line_of_event(text: &str, event: &str) -> Option<usize> {
    let needle = format!("\"{event}\": {{");
    text.lines()
        .position(|line| line.trim_start().starts_with(&needle))
        .map(|index| index + 1)
}
