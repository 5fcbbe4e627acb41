//! The envelope settings → [`Envelope`]: its style, field names and own
//! fields, checked so that no two things on the wire share a key.

use std::collections::HashSet;

use super::schema::TypeBuilder;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Envelope, EnvelopeStyle, Event, NamedType, TypeKind};
use crate::node::Position;
use crate::raw::EnvelopeSettings;
use crate::schema_origin::schema_location;
use crate::source::{FileId, Sources};

/// The payload field of an adjacent envelope unless the catalog names one.
const DEFAULT_PAYLOAD_FIELD: &str = "payload";

/// Builds the envelope; its own fields become the `<Channel>EnvelopeFields`
/// struct. `locate` turns a position in the catalog file into a location.
pub fn build(
    settings: &EnvelopeSettings,
    file: FileId,
    channel_ident: &str,
    origin: Location,
    locate: impl Fn(&Position) -> Location,
    builder: &mut TypeBuilder,
    diagnostics: &mut Vec<Diagnostic>,
) -> Envelope {
    let payload_field = match (settings.style, &settings.payload_field) {
        (EnvelopeStyle::Adjacent, field) => Some(field.as_ref().map_or_else(
            || DEFAULT_PAYLOAD_FIELD.to_string(),
            |field| field.value.clone(),
        )),
        (EnvelopeStyle::Flat, None) => None,
        (EnvelopeStyle::Flat, Some(field)) => {
            diagnostics.push(
                Diagnostic::error("flat-payload-field", "a flat envelope has no payload field")
                    .at_location(
                        locate(&field.referenced.into()),
                        "the payload's fields sit beside the type",
                    )
                    .help("remove `payload_field`, or use `style: adjacent`"),
            );
            None
        }
    };
    let fields = settings
        .fields
        .as_ref()
        .and_then(|node| builder.payload(file, node, &format!("{channel_ident}EnvelopeFields")));
    let envelope = Envelope {
        style: settings.style,
        version_field: settings.version_field.clone(),
        type_field: settings.type_field.clone(),
        omit_empty_payload: settings.omit_empty_payload && payload_field.is_some(),
        payload_field,
        fields,
        fields_schema: settings.fields.as_ref().map(crate::node::Node::to_json),
        fields_origin: settings.fields.as_ref().map(|node| locate(&node.location)),
    };
    let mut names: Vec<&str> = envelope_keys(&envelope);
    names.sort_unstable();
    if names.windows(2).any(|pair| pair[0] == pair[1]) {
        diagnostics.push(
            Diagnostic::error(
                "envelope-key-collision",
                "the envelope's version, type and payload fields need different names",
            )
            .at_location(origin, "in this catalog's `envelope:`")
            .help("e.g. `version_field: protocol_version`, `type_field: event_type`, `payload_field: payload`"),
        );
    }
    envelope
}

/// The keys the envelope itself puts on the wire (its own fields come later,
/// once their types exist).
fn envelope_keys(envelope: &Envelope) -> Vec<&str> {
    let mut keys = vec![envelope.type_field.as_str()];
    keys.extend(envelope.version_field.as_deref());
    keys.extend(envelope.payload_field.as_deref());
    keys
}

/// The envelope's own fields keep no other keys: every key of a message
/// that is not the envelope's is the payload's (or, in an adjacent
/// envelope, unknown to it), so their struct is closed on this side.
pub fn close_fields(envelope: &Envelope, types: &mut [NamedType]) {
    let mut next = envelope.fields;
    while let Some(id) = next {
        next = None;
        match &mut types[id.0].kind {
            TypeKind::Struct(object) => object.extra = None,
            TypeKind::Alias(crate::model::Ty::Named(inner)) => next = Some(*inner),
            _ => {}
        }
    }
}

/// Once types are built: the envelope's own fields must not reuse its
/// version, type or payload key, and in a flat envelope no payload field may
/// reuse any envelope key (the two would overwrite each other on the wire).
pub fn check_keys(
    sources: &Sources,
    envelope: &Envelope,
    types: &[NamedType],
    events: &[Event],
    origin: Location,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let origin = envelope.fields_origin.unwrap_or(origin);
    let fields_of = |mut id: crate::model::TypeId| -> Vec<String> {
        loop {
            match &types[id.0].kind {
                TypeKind::Struct(object) => {
                    return object.fields.iter().map(|f| f.name.clone()).collect();
                }
                TypeKind::Alias(crate::model::Ty::Named(inner)) => id = *inner,
                _ => return Vec::new(),
            }
        }
    };
    let own: Vec<String> = envelope.fields.map(fields_of).unwrap_or_default();
    let mut keys: HashSet<&str> = envelope_keys(envelope).into_iter().collect();
    for field in &own {
        if !keys.insert(field) {
            diagnostics.push(
                Diagnostic::error(
                    "envelope-key-collision",
                    format!("envelope field `{field}` is also the envelope's version, type or payload key"),
                )
                .at_location(origin, "in this catalog's `envelope.fields`")
                .help("rename the field, or the `*_field` setting it collides with"),
            );
        }
    }
    if envelope.style != EnvelopeStyle::Flat {
        return;
    }
    for event in events {
        for field in fields_of(event.payload) {
            if keys.contains(field.as_str()) {
                let pointer = format!(
                    "/properties/{}",
                    field.replace('~', "~0").replace('/', "~1")
                );
                let at = schema_location(sources, event, &pointer);
                diagnostics.push(
                    Diagnostic::error(
                        "envelope-key-collision",
                        format!(
                            "payload field `{field}` of `{}` is also an envelope key",
                            event.name
                        ),
                    )
                    .at_location(at, "a flat envelope puts payload fields beside its own")
                    .help(
                        "drop the field from the payload (the envelope carries it), or rename it",
                    ),
                );
            }
        }
    }
}
