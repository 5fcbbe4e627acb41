//! The frozen-contract lock: the public surface as it was last generated.
//!
//! It records every frozen event's name, webhook name and normalized payload
//! schema, the protocol version and the grandfathered names. `gen` rewrites it
//! from the catalog after the contract check passes; `check` compares the
//! catalog with it (or with the lock at another git revision).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::contract::normalize::normalize;
use crate::model::{Catalog, Stability};
use crate::render::GENERATE_COMMAND;

/// The lock file's contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// A note for readers.
    #[serde(rename = "$comment")]
    pub comment: String,
    /// The channel.
    pub channel: String,
    /// The envelope's wire version.
    pub protocol_version: u32,
    /// Names that predate the naming rule; the list may only shrink.
    pub grandfathered: Vec<String>,
    /// Every frozen event, by name.
    pub events: BTreeMap<String, LockedEvent>,
}

/// One frozen event as the lock records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedEvent {
    /// The webhook counterpart, or `None` when WebSocket-only.
    pub webhook: Option<String>,
    /// The payload schema, normalized.
    pub payload: serde_json::Value,
}

/// The lock that describes `catalog`.
pub fn lock_of(catalog: &Catalog) -> Lock {
    let mut grandfathered: Vec<String> = catalog
        .grandfathered
        .iter()
        .map(|entry| entry.name.clone())
        .collect();
    grandfathered.sort();
    Lock {
        comment: format!(
            "Frozen event contract, maintained by `{GENERATE_COMMAND}`. A breaking change needs a recorded decision (breaking_changes in the catalog settings)."
        ),
        channel: catalog.channel.clone(),
        protocol_version: catalog.protocol_version,
        grandfathered,
        events: catalog
            .events
            .iter()
            .filter(|event| event.stability == Stability::Frozen)
            .map(|event| {
                (
                    event.name.clone(),
                    LockedEvent {
                        webhook: event.webhook.clone(),
                        payload: normalize(&event.schema, &catalog.definitions),
                    },
                )
            })
            .collect(),
    }
}

/// The lock as file text: pretty JSON with a trailing newline.
pub fn render(lock: &Lock) -> String {
    let mut text = serde_json::to_string_pretty(lock).unwrap_or_default();
    text.push('\n');
    text
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
