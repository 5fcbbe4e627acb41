//! Where a part of an event's payload schema is written, for findings about
//! it (a breaking change to a field, a field that collides with the
//! envelope). Findings are rare and schemas many, so no map of every part
//! is kept: the event's file is read again and the pointer followed.

use crate::diagnostic::Location;
use crate::load;
use crate::model::Event;
use crate::node::Node;
use crate::source::{Sources, Span};

/// Where the part of `event`'s payload schema at JSON pointer `pointer`
/// (`/properties/task_id`) is written, or its nearest enclosing part; the
/// event's name when the file no longer reads.
pub fn schema_location(sources: &Sources, event: &Event, pointer: &str) -> Location {
    let Some(source) = event.schema_source else {
        return event.origin;
    };
    let text = &sources.get(source.file).text;
    let tree = load::read_quickly::<Node>(text)
        .or_else(|| load::read_with_serde_saphyr::<Node>(text).ok());
    let payload = tree.as_ref().and_then(|tree| {
        tree.get("events")?
            .as_seq()?
            .get(source.index)?
            .get("payload")
    });
    match payload {
        Some(payload) => Location {
            file: source.file,
            span: Span::from_location(payload.position_at(pointer), text),
        },
        None => event.origin,
    }
}
