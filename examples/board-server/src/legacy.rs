//! The migration path from string literals.
//!
//! Before the catalog, every emit site named its event with a string literal:
//! `broadcast_board_event(hub, "risks_imported", payload)`, and the task run
//! code went through one wrapper, `broadcast_run_event(hub, "task_run_started",
//! &run)`. Those call sites can move to the generated enum one at a time: in
//! the meantime this emitter parses the name and the payload into the typed
//! `BoardEvent`, so an unknown name or a payload that does not match the
//! catalog is an error here instead of a new, undocumented wire message.
//!
//! `cargo xtask check` reads the literals at these call sites (the wrapper's
//! too, since it forwards its `event_type` parameter) as emitted events.

use std::fmt;
use std::str::FromStr;

use board_events::{BoardEnvelope, BoardEventType, PROTOCOL_VERSION, UnknownEventType};
use serde_json::{Value, json};

use crate::broadcast::Hub;
use crate::runs::Run;

/// Why the legacy emitter refused an event.
#[derive(Debug)]
pub enum EmitError {
    /// The name is not in the catalog.
    UnknownEventType(UnknownEventType),
    /// The payload does not match the event's payload type.
    InvalidPayload {
        event_type: BoardEventType,
        error: serde_json::Error,
    },
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEventType(error) => error.fmt(f),
            Self::InvalidPayload { event_type, error } => {
                write!(f, "invalid `{event_type}` payload: {error}")
            }
        }
    }
}

impl std::error::Error for EmitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::UnknownEventType(error) => Some(error),
            Self::InvalidPayload { error, .. } => Some(error),
        }
    }
}

/// Broadcasts an event named by a string, as the pre-catalog code did.
///
/// The name goes through `BoardEventType::from_str` (so a renamed event's old
/// name still works while its alias is in the catalog) and the payload through
/// the generated envelope's parser, exactly as a client would read it.
pub fn broadcast_board_event(hub: &Hub, event_type: &str, payload: Value) -> Result<(), EmitError> {
    let kind = BoardEventType::from_str(event_type).map_err(EmitError::UnknownEventType)?;
    let envelope = json!({
        "protocol_version": PROTOCOL_VERSION,
        "event_type": kind.as_str(),
        "payload": payload,
    });
    let envelope: BoardEnvelope =
        serde_json::from_value(envelope).map_err(|error| EmitError::InvalidPayload {
            event_type: kind,
            error,
        })?;
    hub.broadcast(envelope.event);
    Ok(())
}

/// Broadcasts a task run event with the run's current state as its payload:
/// the one wrapper of the legacy emitter. It forwards `event_type`, so its own
/// call sites name the events (`broadcast_run_event(hub, "task_run_failed", &run)`).
pub fn broadcast_run_event(hub: &Hub, event_type: &str, run: &Run) -> Result<(), EmitError> {
    broadcast_board_event(hub, event_type, run.wire_payload())
}
