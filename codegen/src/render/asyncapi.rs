//! The channel as an AsyncAPI 3 document: what AsyncAPI Studio, its docs
//! templates, Modelina's generators and API catalogs read.
//!
//! One channel; one message per event and per command, named by its wire
//! name, whose payload is the whole message (see [`super::message_schema`]);
//! operations `send` (the events) and `receive` (the commands) from the
//! server's point of view; shared definitions under `components/schemas`.
//! What AsyncAPI has no field for (webhook names, stability, attributes,
//! grandfathered names, the envelope settings) travels in `x-eventcat`
//! extensions, so `eventcat import asyncapi` gives the catalog back.

use serde_json::{Map, Value, json};

use super::{first_sentence, message_schema, proto_keys};
use crate::contents::Contents;
use crate::init::yaml;
use crate::model::{
    AsyncApiVersion, AttributeValue, Catalog, Direction, EnvelopeStyle, Event, IntegerRepr,
    Severity, Transport,
};

/// Where shared definitions live in the document.
pub const SCHEMAS: &str = "#/components/schemas/";

/// The WebSocket channel binding's version.
const WS_BINDING_VERSION: &str = "0.1.0";

/// The document, as YAML under the generated header. The messages, most
/// of the document, are built and written one at a time, so the document
/// is never held whole as a value beside its text.
pub fn document(catalog: &Catalog, version: AsyncApiVersion) -> Contents {
    document_in_pieces(catalog, version, PIECE)
}

/// [`document`], its messages handed over whenever `piece` bytes of text
/// have gathered.
fn document_in_pieces(catalog: &Catalog, version: AsyncApiVersion, piece: usize) -> Contents {
    let mut text = super::header(catalog, "# ");
    if catalog.events.is_empty() {
        // `components` would then be one short line, written whole.
        for (key, value) in document_value(catalog, version) {
            yaml::push_field(&mut text, &key, &value, 0);
        }
        return Contents::from(text);
    }
    let mut skeleton = Value::Object(skeleton(catalog, version));
    hide_proto_keys(&mut skeleton);
    let Value::Object(skeleton) = skeleton else {
        return Contents::from(text);
    };
    let mut contents = Contents::new();
    for (key, value) in skeleton {
        match key.as_str() {
            "components" => {
                let mut out = Pieces {
                    contents: &mut contents,
                    text: &mut text,
                    piece,
                };
                write_components(&mut out, catalog, &value)
            }
            _ => yaml::push_field(&mut text, &key, &value, 0),
        }
    }
    contents.push(text);
    contents
}

/// How much text the document's writer gathers before handing it over
/// as a piece: a large document is never one string.
const PIECE: usize = 256 * 1024;

/// Text gathered for [`Contents`], handed over a piece at a time.
struct Pieces<'a> {
    contents: &'a mut Contents,
    text: &'a mut String,
    piece: usize,
}

impl Pieces<'_> {
    fn hand_over_when_full(&mut self) {
        if self.text.len() >= self.piece {
            let next = String::with_capacity(2 * self.piece);
            self.contents.push(std::mem::replace(self.text, next));
        }
    }
}

/// `components:` as the YAML writer lays out a mapping of a mapping: its
/// schemas (from `components`), then each message as it is built.
fn write_components(out: &mut Pieces<'_>, catalog: &Catalog, components: &Value) {
    out.text.push_str("components:\n");
    if let Some(schemas) = components.get("schemas") {
        yaml::push_field(out.text, "schemas", schemas, 2);
    }
    out.text.push_str("  messages:\n");
    crate::timing::stage("asyncapi: messages", || {
        for event in &catalog.events {
            let mut message = message(catalog, event);
            hide_proto_keys(&mut message);
            yaml::push_field(out.text, &message_key(event), &message, 4);
            out.hand_over_when_full();
        }
    });
}

/// The document as a JSON value, key by key in the order it is written.
pub fn document_value(catalog: &Catalog, version: AsyncApiVersion) -> Map<String, Value> {
    let mut document = skeleton(catalog, version);
    if let Some(Value::Object(components)) = document.get_mut("components") {
        components.insert("messages".into(), messages(catalog));
    }
    let mut document = Value::Object(document);
    hide_proto_keys(&mut document);
    match document {
        Value::Object(document) => document,
        _ => Map::new(),
    }
}

/// The document without its messages (`components` has the schemas only).
fn skeleton(catalog: &Catalog, version: AsyncApiVersion) -> Map<String, Value> {
    let mut document = Map::new();
    document.insert("asyncapi".into(), json!(version.number()));
    document.insert("info".into(), info(catalog));
    document.insert("defaultContentType".into(), json!("application/json"));
    document.insert(
        "channels".into(),
        Value::Object(Map::from_iter([(
            catalog.channel.clone(),
            channel(catalog),
        )])),
    );
    document.insert("operations".into(), operations(catalog));
    document.insert("components".into(), components(catalog));
    document.insert("x-eventcat".into(), settings(catalog));
    document
}

/// Moves `__proto__` keys out of the way of JavaScript readers. One look
/// for the key costs less than hashing `properties` in every schema.
fn hide_proto_keys(value: &mut Value) {
    if proto_keys::has_proto_key(value) {
        proto_keys::hide(value);
    }
}

/// The key of an event's message: its wire name where AsyncAPI allows it
/// as a component key, else its identifier.
pub fn message_key(event: &Event) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if !event.name.is_empty() && event.name.chars().all(allowed) {
        event.name.clone()
    } else {
        event.ident.clone()
    }
}

fn info(catalog: &Catalog) -> Value {
    json!({
        "title": format!("{} events", catalog.channel_ident),
        "version": catalog.protocol_version.to_string(),
        "description": catalog.description,
    })
}

fn channel(catalog: &Catalog) -> Value {
    let mut channel = Map::new();
    if let Some(address) = &catalog.address {
        channel.insert("address".into(), json!(address));
    }
    let messages: Map<String, Value> = catalog
        .events
        .iter()
        .map(|event| {
            let key = message_key(event);
            let reference = json!({"$ref": format!("#/components/messages/{key}")});
            (key, reference)
        })
        .collect();
    channel.insert("messages".into(), Value::Object(messages));
    if catalog.transports.contains(&Transport::Websocket) {
        channel.insert(
            "bindings".into(),
            json!({"ws": {"bindingVersion": WS_BINDING_VERSION}}),
        );
    }
    Value::Object(channel)
}

/// `send` for the events, `receive` for the commands: the server's side.
fn operations(catalog: &Catalog) -> Value {
    let channel = &catalog.channel;
    let operations: Map<String, Value> = catalog
        .families()
        .iter()
        .map(|family| {
            let (action, summary) = match family.direction {
                Direction::ServerToClient => ("send", "The server sends these events to clients."),
                Direction::ClientToServer => (
                    "receive",
                    "The server receives these commands from clients.",
                ),
            };
            let messages: Vec<Value> = family
                .members
                .iter()
                .map(|event| {
                    json!({"$ref": format!("#/channels/{channel}/messages/{}", message_key(event))})
                })
                .collect();
            let operation = json!({
                "action": action,
                "channel": {"$ref": format!("#/channels/{channel}")},
                "summary": summary,
                "messages": messages,
            });
            (format!("{action}_{channel}_{}s", family.noun), operation)
        })
        .collect();
    Value::Object(operations)
}

/// The shared definitions; the messages go in after them.
fn components(catalog: &Catalog) -> Value {
    let schemas =
        message_schema::with_references(&Value::Object(catalog.definitions.clone()), SCHEMAS);
    let mut components = Map::new();
    if schemas
        .as_object()
        .is_some_and(|schemas| !schemas.is_empty())
    {
        components.insert("schemas".into(), schemas);
    }
    Value::Object(components)
}

fn messages(catalog: &Catalog) -> Value {
    let messages: Map<String, Value> = catalog
        .events
        .iter()
        .map(|event| (message_key(event), message(catalog, event)))
        .collect();
    Value::Object(messages)
}

fn message(catalog: &Catalog, event: &Event) -> Value {
    let mut payload = message_schema::envelope(catalog, event, SCHEMAS);
    if event.deprecated.is_some() {
        payload["deprecated"] = json!(true);
    }
    // JavaScript tools (the AsyncAPI parser among them) fail on an object
    // with a `__proto__` key: such an example travels as JSON text instead.
    let (readable, as_text): (Vec<_>, Vec<_>) = event
        .examples
        .iter()
        .enumerate()
        .partition(|(_, example)| !proto_keys::has_proto_key(example));
    let examples: Vec<Value> = readable
        .into_iter()
        .map(|(_, example)| {
            let message = message_schema::example(catalog, event, example);
            Value::Object(Map::from_iter([("payload".into(), message)]))
        })
        .collect();
    let mut message = Map::new();
    message.insert("name".into(), json!(event.name));
    message.insert("title".into(), json!(title(&event.name)));
    message.insert("summary".into(), json!(first_sentence(&event.description)));
    message.insert("description".into(), json!(event.description));
    message.insert("payload".into(), payload);
    message.insert("examples".into(), Value::Array(examples));
    message.extend(extensions(catalog, event));
    if !as_text.is_empty() {
        let texts: Vec<Value> = as_text
            .into_iter()
            .map(|(index, example)| json!({"index": index, "json": example.to_string()}))
            .collect();
        message.insert("x-eventcat-examples-as-json".into(), Value::Array(texts));
    }
    Value::Object(message)
}

/// `task_created` → `Task created`.
fn title(name: &str) -> String {
    let words = name.replace(['_', '.', '-'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What the catalog says of an event that AsyncAPI has no field for.
fn extensions(catalog: &Catalog, event: &Event) -> Map<String, Value> {
    let mut fields = Map::new();
    let mut put = |key: &str, value: Value| {
        fields.insert(format!("x-eventcat-{key}"), value);
    };
    put("resource", json!(event.resource));
    put("since", json!(event.since));
    put("stability", json!(stability(event)));
    put("webhook", json!(event.webhook));
    if let Some(note) = &event.deprecated {
        put("deprecated", json!(note));
    }
    if let Some(reason) = &event.grandfathered {
        put("grandfathered", json!(reason));
    }
    if !event.aliases.is_empty() {
        put("aliases", json!(event.aliases));
    }
    if !event.exceptions.is_empty() {
        let exceptions: Vec<Value> = event
            .exceptions
            .iter()
            .map(|exception| json!({"rule": exception.rule, "reason": exception.reason}))
            .collect();
        put("exceptions", Value::Array(exceptions));
    }
    let attributes: Map<String, Value> = catalog
        .attributes
        .iter()
        .zip(&event.attributes)
        .filter(|(attribute, value)| attribute.default != **value)
        .map(|(attribute, value)| (attribute.name.clone(), attribute_value(value)))
        .collect();
    if !attributes.is_empty() {
        put("attributes", Value::Object(attributes));
    }
    if let Some(policy) = &event.naming_policy {
        put("naming-policy", json!(policy));
    }
    if let Some(reason) = &event.emitted_elsewhere {
        put("emitted-elsewhere", json!(reason));
    }
    fields
}

fn stability(event: &Event) -> &'static str {
    match event.stability {
        crate::model::Stability::Frozen => "frozen",
        crate::model::Stability::Experimental => "experimental",
    }
}

fn attribute_value(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::Boolean(flag) => json!(flag),
        AttributeValue::String(text) => json!(text),
        AttributeValue::Integer(number) => json!(number),
    }
}

/// The catalog settings AsyncAPI has no place for, in the catalog's own
/// spelling: `eventcat import asyncapi` writes them back as they are.
fn settings(catalog: &Catalog) -> Value {
    let mut settings = Map::new();
    settings.insert("channel".into(), json!(catalog.channel));
    settings.insert("protocol_version".into(), json!(catalog.protocol_version));
    settings.insert("envelope".into(), envelope(catalog));
    let transports: Vec<&str> = catalog
        .transports
        .iter()
        .map(|transport| match transport {
            Transport::Websocket => "websocket",
            Transport::Sse => "sse",
        })
        .collect();
    settings.insert("transports".into(), json!(transports));
    if let Some(repr) = catalog.large_integers {
        let repr = match repr {
            IntegerRepr::Number => "number",
            IntegerRepr::BigInt => "bigint",
            IntegerRepr::String => "string",
        };
        settings.insert("large_integers".into(), json!(repr));
    }
    if !catalog.attributes.is_empty() {
        settings.insert("attributes".into(), attributes(catalog));
    }
    let naming = naming(catalog);
    if !naming.is_empty() {
        settings.insert("naming".into(), Value::Object(naming));
    }
    let resources: Vec<Value> = catalog
        .resources
        .iter()
        .map(|resource| match &resource.description {
            Some(description) => json!({"name": resource.name, "description": description}),
            None => json!({"name": resource.name}),
        })
        .collect();
    settings.insert("resources".into(), Value::Array(resources));
    if !catalog.breaking_changes.is_empty() {
        let decisions: Vec<Value> = catalog
            .breaking_changes
            .iter()
            .map(|decision| {
                json!({
                    "protocol_version": decision.protocol_version,
                    "event": decision.event,
                    "change": decision.change,
                    "reason": decision.reason,
                    "allows": decision.allows,
                })
            })
            .collect();
        settings.insert("breaking_changes".into(), Value::Array(decisions));
    }
    Value::Object(settings)
}

fn envelope(catalog: &Catalog) -> Value {
    let envelope = &catalog.envelope;
    let mut settings = Map::new();
    let style = match envelope.style {
        EnvelopeStyle::Adjacent => "adjacent",
        EnvelopeStyle::Flat => "flat",
    };
    settings.insert("style".into(), json!(style));
    settings.insert("version_field".into(), json!(envelope.version_field));
    settings.insert("type_field".into(), json!(envelope.type_field));
    if let Some(payload) = &envelope.payload_field {
        settings.insert("payload_field".into(), json!(payload));
    }
    if envelope.omit_empty_payload {
        settings.insert("omit_empty_payload".into(), json!(true));
    }
    if let Some(fields) = &envelope.fields_schema {
        let fields = message_schema::with_references(fields, SCHEMAS);
        settings.insert("fields".into(), fields);
    }
    Value::Object(settings)
}

fn attributes(catalog: &Catalog) -> Value {
    let attributes: Vec<Value> = catalog
        .attributes
        .iter()
        .map(|attribute| {
            let kind = match attribute.default {
                AttributeValue::Boolean(_) => "boolean",
                AttributeValue::String(_) => "string",
                AttributeValue::Integer(_) => "integer",
            };
            json!({
                "name": attribute.name,
                "type": kind,
                "default": attribute_value(&attribute.default),
                "description": attribute.description,
            })
        })
        .collect();
    Value::Array(attributes)
}

fn naming(catalog: &Catalog) -> Map<String, Value> {
    let policy = &catalog.naming;
    let mut naming = Map::new();
    if !catalog.grandfathered.is_empty() {
        let names: Vec<Value> = catalog
            .grandfathered
            .iter()
            .map(|entry| json!({"name": entry.name, "reason": entry.reason}))
            .collect();
        naming.insert("grandfathered".into(), Value::Array(names));
    }
    if !policy.severities.is_empty() {
        naming.insert("rules".into(), severities(&policy.severities));
    }
    if !policy.verbs.is_empty() {
        naming.insert("verbs".into(), json!(policy.verbs));
    }
    if !policy.singular_words.is_empty() {
        naming.insert("singular_words".into(), json!(policy.singular_words));
    }
    if !policy.policies.is_empty() {
        let policies: Map<String, Value> = policy
            .policies
            .iter()
            .map(|(name, named)| {
                let value = json!({
                    "description": named.description,
                    "rules": severities(&named.severities),
                });
                (name.clone(), value)
            })
            .collect();
        naming.insert("policies".into(), Value::Object(policies));
    }
    naming
}

fn severities(severities: &std::collections::BTreeMap<String, Severity>) -> Value {
    let rules: Map<String, Value> = severities
        .iter()
        .map(|(rule, severity)| {
            let severity = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Off => "off",
            };
            (rule.clone(), json!(severity))
        })
        .collect();
    Value::Object(rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_catalog::catalog;

    const SETTINGS: &str = "channel: board\ndescription: The board.\nprotocol_version: 1\naddress: /ws\ntransports: [websocket, sse]\nattributes:\n  - {name: persisted, type: boolean, default: true, description: Stored.}\nnaming:\n  grandfathered:\n    - {name: tasks_reordered, reason: Shipped.}\nevents: [events]\n";

    const EVENTS: &str = "resource: task\nevents:\n  - name: task_created\n    description: A task was created. Refetch it.\n    since: '0.1'\n    stability: frozen\n    payload: {type: object, properties: {id: {type: integer, minimum: 1, maximum: 9}}}\n    examples: [{id: 1}]\n  - name: tasks_reordered\n    description: Tasks were reordered.\n    since: '0.2'\n    stability: experimental\n    webhook: ws-only\n    deprecated: Use task_moved.\n    attributes: {persisted: false}\n    payload: {type: object}\n    examples: [{}]\n";

    #[test]
    fn each_event_is_a_message_the_server_sends() {
        let catalog = catalog(SETTINGS, EVENTS);
        let document = document_value(&catalog, AsyncApiVersion::V3_1);
        assert_eq!(document["asyncapi"], "3.1.0");
        let channel = &document["channels"]["board"];
        assert_eq!(channel["address"], "/ws");
        assert_eq!(channel["bindings"]["ws"]["bindingVersion"], "0.1.0");
        let operation = &document["operations"]["send_board_events"];
        assert_eq!(operation["action"], "send");
        assert_eq!(
            operation["messages"][1]["$ref"],
            "#/channels/board/messages/tasks_reordered"
        );
        let message = &document["components"]["messages"]["task_created"];
        assert_eq!(message["title"], "Task created");
        assert_eq!(message["summary"], "A task was created.");
        assert_eq!(message["x-eventcat-webhook"], "task.created");
        assert_eq!(
            message["examples"][0]["payload"],
            json!({"protocol_version": 1, "event_type": "task_created", "payload": {"id": 1}})
        );
    }

    #[test]
    fn what_asyncapi_has_no_field_for_travels_in_extensions() {
        let catalog = catalog(SETTINGS, EVENTS);
        let document = document_value(&catalog, AsyncApiVersion::V3_0);
        assert_eq!(document["asyncapi"], "3.0.0");
        let message = &document["components"]["messages"]["tasks_reordered"];
        assert_eq!(message["payload"]["deprecated"], true);
        assert_eq!(message["x-eventcat-deprecated"], "Use task_moved.");
        assert_eq!(message["x-eventcat-grandfathered"], "Shipped.");
        assert_eq!(message["x-eventcat-webhook"], Value::Null);
        assert_eq!(
            message["x-eventcat-attributes"],
            json!({"persisted": false})
        );
        let settings = &document["x-eventcat"];
        assert_eq!(settings["transports"], json!(["websocket", "sse"]));
        assert_eq!(settings["attributes"][0]["default"], true);
        assert_eq!(
            settings["naming"]["grandfathered"][0]["name"],
            "tasks_reordered"
        );
        assert_eq!(settings["envelope"]["style"], "adjacent");
    }

    #[test]
    fn an_example_javascript_cannot_read_travels_as_json_text() {
        let events = EVENTS.replace("examples: [{}]", "examples: [{}, {__proto__: 1}]");
        let catalog = catalog(SETTINGS, &events);
        let document = document_value(&catalog, AsyncApiVersion::V3_1);
        let message = &document["components"]["messages"]["tasks_reordered"];
        assert_eq!(message["examples"].as_array().unwrap().len(), 1);
        assert_eq!(
            message["x-eventcat-examples-as-json"],
            json!([{"index": 1, "json": "{\"__proto__\":1}"}])
        );
    }

    #[test]
    fn the_document_is_yaml_under_the_generated_header() {
        // The messages written one at a time read back as the whole
        // document's value, `__proto__` keys hidden alike.
        let with_proto = EVENTS.replace(
            "payload: {type: object}",
            "payload: {type: object, properties: {__proto__: {type: string}}}",
        );
        for events in [EVENTS, &with_proto] {
            let catalog = catalog(SETTINGS, events);
            let text = document(&catalog, AsyncApiVersion::V3_1).into_string();
            assert!(text.starts_with("# @generated by eventcat"), "{text}");
            let back: Value = serde_saphyr::from_str(&text).unwrap();
            let value = Value::Object(document_value(&catalog, AsyncApiVersion::V3_1));
            assert_eq!(back, value);
            let whole: String = document_value(&catalog, AsyncApiVersion::V3_1)
                .iter()
                .map(|(key, value)| yaml::field(key, value, 0))
                .collect();
            assert!(text.ends_with(&whole), "the same text as the whole value's");
        }
        // Handed over a message at a time, the pieces are the same text.
        let catalog = catalog(SETTINGS, EVENTS);
        let whole = document(&catalog, AsyncApiVersion::V3_1);
        let pieces = document_in_pieces(&catalog, AsyncApiVersion::V3_1, 1);
        assert!(pieces.pieces().count() > catalog.events.len());
        assert_eq!(pieces.to_string(), whole.to_string());
        let hidden = document(
            &super::super::test_catalog::catalog(SETTINGS, &with_proto),
            AsyncApiVersion::V3_1,
        );
        assert!(
            hidden.to_string().contains("x-eventcat-property-order"),
            "{hidden}"
        );
    }
}
