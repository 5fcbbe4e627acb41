//! Raw files → the typed [`Catalog`], or every reason it cannot be built.
//!
//! [`validate`] is the recipe; each stage is a module of its own:
//! [`settings`] (channel, version, outputs, drift, recorded decisions) →
//! [`schema`] (shared definitions, then every payload, into the type
//! model) with the [`envelope`] and the [`attributes`] declarations →
//! [`events`] (which definitions are events, then one definition → one
//! event) → [`cross`] (aliases and grandfathered names across events) →
//! [`examples`] (every example against its schema, on parallel threads) →
//! [`policy`] (the naming settings). Every stage reports what it finds and
//! goes on, so one run lists every problem; the findings are sorted by file
//! and position at the end.

pub mod attributes;
mod cross;
pub mod envelope;
mod events;
mod example_proof;
mod examples;
mod policy;
pub mod schema;
mod settings;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::RawCatalog;
use crate::model::{Catalog, Grandfathered, IntegerRepr};
use crate::node::{Node, Position};
use crate::raw::{LargeIntegers, Transport};
use crate::render::reserved_names;
use crate::source::{FileId, Sources, Span};
use schema::TypeBuilder;

/// What every stage reads: the loaded files and where they are.
pub(crate) struct Context<'a> {
    /// Every file read, for locating findings.
    pub sources: &'a Sources,
    /// The catalog as written.
    pub raw: &'a RawCatalog,
}

impl Context<'_> {
    /// The place `location` names in `file`.
    pub fn locate(&self, file: FileId, location: impl Into<Position>) -> Location {
        Location {
            file,
            span: Span::from_location(location, &self.sources.get(file).text),
        }
    }

    /// The place `location` names in the catalog settings file.
    pub fn in_settings(&self, location: impl Into<Position>) -> Location {
        self.locate(self.raw.file, location)
    }
}

/// Builds the model from the loaded files.
pub fn validate(sources: &Sources, raw: &RawCatalog) -> Result<Catalog, Vec<Diagnostic>> {
    let cx = Context { sources, raw };
    let mut diagnostics = Vec::new();
    let settings = settings::read(&cx, &mut diagnostics);
    let mut builder = TypeBuilder::new(
        sources,
        raw.settings
            .definitions
            .as_ref()
            .map(|node| (raw.file, node)),
        reserved_names(&settings.channel_ident),
    );
    let large_integers = raw.settings.large_integers.map(|choice| match choice {
        LargeIntegers::Number => IntegerRepr::Number,
        LargeIntegers::Bigint => IntegerRepr::BigInt,
        LargeIntegers::String => IntegerRepr::String,
    });
    builder.large_integers = large_integers;
    builder.convert_definitions(&definition_order(raw.settings.definitions.as_ref()));
    let envelope = envelope::build(
        &raw.settings.envelope,
        raw.file,
        &settings.channel_ident,
        settings.origin,
        |location| cx.in_settings(location),
        &mut builder,
        &mut diagnostics,
    );
    let attributes = attributes::declarations(
        sources,
        raw.file,
        &raw.settings.attributes,
        &mut diagnostics,
    );
    let candidates = events::candidates(&cx, &mut diagnostics);
    let definitions = raw.settings.definitions.as_ref().map(Node::to_json);
    // The examples are checked against the schemas as written, on other
    // threads while this one converts the payloads.
    let (checked, mut converted) = crate::parallel::beside(
        || {
            crate::timing::stage("validate: examples", || {
                examples::check_all(sources, &candidates, definitions.as_ref())
            })
        },
        || {
            crate::timing::stage("validate: payloads", || {
                events::convert_all(
                    &cx,
                    &candidates,
                    &mut builder,
                    &attributes,
                    &mut diagnostics,
                )
            })
        },
    );
    cross::check(&cx, &candidates, &mut diagnostics);
    examples::merge(checked, &mut converted, &mut diagnostics);
    let naming = policy::read(&cx, &mut diagnostics);
    let (mut types, type_diagnostics) = crate::timing::stage("validate: types", || {
        events::finish_types(builder, &converted.events)
    });
    diagnostics.extend(type_diagnostics);
    envelope::close_fields(&envelope, &mut types);
    envelope::check_keys(
        sources,
        &envelope,
        &types,
        &converted.events,
        settings.origin,
        &mut diagnostics,
    );
    sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(Catalog {
        channel: settings.channel,
        channel_ident: settings.channel_ident,
        description: raw.settings.description.trim().to_string(),
        protocol_version: raw.settings.protocol_version.value,
        protocol_version_origin: cx.in_settings(raw.settings.protocol_version.referenced),
        envelope,
        sse: raw.settings.transports.contains(&Transport::Sse),
        transports: if raw.settings.transports.is_empty() {
            vec![Transport::Websocket]
        } else {
            raw.settings.transports.clone()
        },
        address: raw.settings.address.clone(),
        large_integers,
        attributes,
        grandfathered: grandfathered(raw),
        resources: events::resources(raw, &converted.events),
        events: converted.events,
        types,
        outputs: settings.outputs,
        definitions: match definitions {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        },
        naming,
        breaking_changes: settings.breaking_changes,
        settings_origin: settings.origin,
        drift: settings.drift,
        warnings: diagnostics,
    })
}

/// Shared definitions in the order they are written.
fn definition_order(definitions: Option<&Node>) -> Vec<String> {
    definitions
        .and_then(Node::as_map)
        .map(|entries| entries.iter().map(|(key, _)| key.name.clone()).collect())
        .unwrap_or_default()
}

fn grandfathered(raw: &RawCatalog) -> Vec<Grandfathered> {
    raw.settings
        .naming
        .grandfathered
        .iter()
        .map(|entry| Grandfathered {
            name: entry.name.value.clone(),
            reason: entry.reason.trim().to_string(),
        })
        .collect()
}

/// Findings in reading order: by file (in the order the files were read),
/// then by position; findings about no place keep their order, last.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|diagnostic| match diagnostic.location {
        Some(Location { file, span }) => (0, file.0, span.start),
        None => (1, 0, 0),
    });
}
