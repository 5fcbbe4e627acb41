//! Every message of the channel as one JSON Schema (draft 2020-12), for
//! tools that read plain JSON Schema: the shared definitions and each
//! payload under `$defs`, each whole message beside them, and at the root a
//! `oneOf` of the messages (their type `const`s keep it exact).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::message_schema;
use crate::model::{Catalog, EnvelopeStyle, Event};
use crate::output::GENERATED_MARKER;

/// The schema document, as pretty-printed JSON.
pub fn bundle(catalog: &Catalog) -> String {
    let mut text =
        serde_json::to_string_pretty(&Bundle::new(catalog)).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// The schema document as a value.
pub fn bundle_value(catalog: &Catalog) -> Value {
    serde_json::to_value(Bundle::new(catalog)).unwrap_or(Value::Null)
}

/// The schema document, serialized straight from the catalog: the shared
/// definitions and payloads as they are, each message built in its turn.
/// Nothing is copied into a document value first.
struct Bundle<'c> {
    catalog: &'c Catalog,
    names: Names,
}

impl<'c> Bundle<'c> {
    fn new(catalog: &'c Catalog) -> Bundle<'c> {
        Bundle {
            catalog,
            names: Names::new(catalog),
        }
    }

    /// The schema of the message of `event`, whose payload is `payload`.
    fn message(&self, event: &Event, payload: &str) -> Value {
        // An adjacent envelope names its payload by reference; a flat one
        // has merged the payload's fields into its own.
        let adjacent = self.catalog.envelope.style == EnvelopeStyle::Adjacent
            && self.catalog.envelope.payload_field.is_some();
        let mut schema = match adjacent {
            // The message names its payload by reference rather than repeat it.
            true => message_schema::envelope_around(
                self.catalog,
                event,
                "#/$defs/",
                json!({"$ref": format!("#/$defs/{payload}")}),
            ),
            false => message_schema::envelope(self.catalog, event, "#/$defs/"),
        };
        schema["title"] = json!(event.name);
        schema
    }
}

impl Serialize for Bundle<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let catalog = self.catalog;
        let command = &catalog.outputs.command;
        let mut bundle = serializer.serialize_map(None)?;
        bundle.serialize_entry("$schema", "https://json-schema.org/draft/2020-12/schema")?;
        bundle.serialize_entry(
            "$comment",
            &format!(
                "{GENERATED_MARKER} from {}. Do not edit. Change the catalog and run `{}`.",
                catalog.outputs.catalog_file,
                command.generate()
            ),
        )?;
        bundle.serialize_entry("title", &format!("{} messages", catalog.channel_ident))?;
        bundle.serialize_entry("description", &catalog.description)?;
        let one_of: Vec<Value> = self
            .names
            .per_event
            .iter()
            .map(|(_, message)| json!({"$ref": format!("#/$defs/{message}")}))
            .collect();
        // A catalog of no messages accepts none (`oneOf` may not be empty).
        if one_of.is_empty() {
            bundle.serialize_entry("oneOf", &[false])?;
        } else {
            bundle.serialize_entry("oneOf", &one_of)?;
        }
        bundle.serialize_entry("$defs", &Definitions(self))?;
        bundle.end()
    }
}

/// `$defs`: the shared definitions, then each event's payload and message.
struct Definitions<'b, 'c>(&'b Bundle<'c>);

impl Serialize for Definitions<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Definitions(bundle) = self;
        let catalog = bundle.catalog;
        let mut definitions = serializer.serialize_map(None)?;
        for (name, schema) in &catalog.definitions {
            definitions.serialize_entry(name, schema)?;
        }
        for (event, (payload, message)) in catalog.events.iter().zip(&bundle.names.per_event) {
            definitions.serialize_entry(payload, &event.schema)?;
            definitions.serialize_entry(message, &bundle.message(event, payload))?;
        }
        definitions.end()
    }
}

/// The `$defs` names of each event's payload and whole message:
/// `<Ident>Payload` and `<Ident>Message`, with a number added where a shared
/// definition already has the name.
struct Names {
    per_event: Vec<(String, String)>,
}

impl Names {
    fn new(catalog: &Catalog) -> Names {
        let mut taken: std::collections::BTreeSet<String> =
            catalog.definitions.keys().cloned().collect();
        let mut free = |stem: String| {
            let mut name = stem.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{stem}{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        };
        let per_event = catalog
            .events
            .iter()
            .map(|event: &Event| {
                let payload = free(format!("{}Payload", event.ident));
                let message = free(format!("{}Message", event.ident));
                (payload, message)
            })
            .collect();
        Names { per_event }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_catalog::catalog;

    #[test]
    fn each_message_is_a_definition_beside_its_payload_and_the_shared_ones() {
        let settings = "channel: board\ndescription: d\nprotocol_version: 1\ndefinitions:\n  TaskCreatedMessage: {type: integer, minimum: 0, maximum: 9}\nevents: [events]\n";
        let events = "resource: task\nevents:\n  - name: task_created\n    description: A task was created.\n    since: '0.1'\n    stability: frozen\n    payload: {type: object, properties: {id: {$ref: '#/$defs/TaskCreatedMessage'}}}\n    examples: [{id: 1}]\n";
        let bundle = bundle_value(&catalog(settings, events));
        // The shared definition keeps its name; the message takes the next.
        let names: Vec<&String> = bundle["$defs"].as_object().unwrap().keys().collect();
        assert_eq!(
            names,
            [
                "TaskCreatedMessage",
                "TaskCreatedPayload",
                "TaskCreatedMessage2"
            ]
        );
        assert_eq!(
            bundle["$defs"]["TaskCreatedMessage2"]["properties"]["payload"],
            json!({"$ref": "#/$defs/TaskCreatedPayload"})
        );
        assert_eq!(
            bundle["oneOf"],
            json!([{"$ref": "#/$defs/TaskCreatedMessage2"}])
        );
        assert!(jsonschema::meta::is_valid(&bundle));
    }
}
