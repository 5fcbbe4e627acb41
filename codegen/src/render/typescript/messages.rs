//! One family's message types (the type list, the type union, the payload
//! map, the envelope), its attribute table, and the functions that build and
//! send its wire JSON: one item per function.

use indoc::formatdoc;

use super::Family;
use super::large_integers::{self, Table};
use super::syntax::{doc_comment, escape_comment, property_name, string_literal};
use crate::model::{AttributeValue, Catalog};
use crate::render::{article, envelope_sketch};

/// `BOARD_EVENT_TYPES`: every type name, as a runtime list.
pub fn type_list(catalog: &Catalog, family: &Family) -> String {
    let Family { noun, constant, .. } = family;
    let names: String = family
        .members
        .iter()
        .map(|event| format!("  {},\n", string_literal(&event.name)))
        .collect();
    formatdoc! {"
        /** Every {noun} type on the `{channel}` channel, in catalog order. */
        export const {constant}_TYPES = [
        {names}] as const;
        ",
        channel = catalog.channel,
    }
}

/// `BoardEventType`: the union of the type names.
pub fn type_union(catalog: &Catalog, family: &Family) -> String {
    let Family {
        noun,
        constant,
        kind,
        ..
    } = family;
    formatdoc! {"
        /** The name of a{article} {noun} on the `{channel}` channel. */
        export type {kind} = (typeof {constant}_TYPES)[number];
        ",
        article = article(noun),
        channel = catalog.channel,
    }
}

/// `BoardPayloads`: each type name's payload type.
pub fn payload_map(catalog: &Catalog, family: &Family) -> String {
    let Family { noun, payloads, .. } = family;
    let members: String = family
        .members
        .iter()
        .map(|event| {
            let deprecated = event
                .deprecated
                .as_ref()
                .map(|note| format!("  /** @deprecated {} */\n", escape_comment(note)))
                .unwrap_or_default();
            format!(
                "{}{deprecated}  {}: {};\n",
                doc_comment("  ", &event.description),
                property_name(&event.name),
                catalog.ty(event.payload).name
            )
        })
        .collect();
    formatdoc! {"
        /** The payload type of each {noun}. */
        export interface {payloads} {{
        {members}}}
    "}
}

/// `BoardEnvelopeOf<K>`: the message of one type, in the envelope's shape.
pub fn envelope_of(catalog: &Catalog, family: &Family) -> String {
    let Family {
        noun,
        kind,
        payloads,
        envelope_of,
        ..
    } = family;
    let doc = doc_comment(
        "",
        &format!(
            "The message on the wire for {noun} type `K`: `{}`.",
            envelope_sketch(catalog).replace("\"<name>\"", "K")
        ),
    );
    let settings = &catalog.envelope;
    let fields = settings.fields.map(|id| catalog.ty(id).name.clone());
    let version = settings
        .version_field
        .as_ref()
        .map(|version| format!("{}: number", property_name(version)));
    let type_member = format!("{}: K", property_name(&settings.type_field));
    // An inline object type, written the way formatters print one line.
    let head = format!(
        "{{ {} }}",
        version
            .iter()
            .chain([&type_member])
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
    let intersection = |last: String| {
        let parts: Vec<String> = [head.clone()]
            .into_iter()
            .chain(fields.clone())
            .chain([last])
            .collect();
        format!(
            "export type {envelope_of}<K extends {kind}> = {};",
            parts.join(" & ")
        )
    };
    let definition = match &settings.payload_field {
        // The payload may be left out exactly when it may be empty.
        Some(payload_field) if settings.omit_empty_payload => {
            let payload = property_name(payload_field);
            intersection(format!(
                "({{}} extends {payloads}[K] ? {{ {payload}?: {payloads}[K] }} : {{ {payload}: {payloads}[K] }})"
            ))
        }
        Some(payload_field) => {
            let extends = fields
                .as_ref()
                .map(|fields| format!(" extends {fields}"))
                .unwrap_or_default();
            let version = version
                .map(|line| format!("  {line};\n"))
                .unwrap_or_default();
            formatdoc! {"
                export interface {envelope_of}<K extends {kind}>{extends} {{
                {version}  {type_member};
                  {payload}: {payloads}[K];
                }}",
                payload = property_name(payload_field),
            }
        }
        None => intersection(format!("{payloads}[K]")),
    };
    format!("{doc}{definition}")
}

/// `BoardEnvelope`: any message of the family, discriminated by its type.
pub fn envelope_union(catalog: &Catalog, family: &Family) -> String {
    let Family {
        noun,
        kind,
        envelope_of,
        envelope,
        ..
    } = family;
    formatdoc! {"
        /** Any {noun} message on the channel, discriminated by `{type_field}`. */
        export type {envelope} = {{ [K in {kind}]: {envelope_of}<K> }}[{kind}];
        ",
        type_field = catalog.envelope.type_field,
    }
}

/// `BoardAttributes`: the catalog's attributes of a message, with their meaning.
pub fn attributes_interface(catalog: &Catalog) -> String {
    let members: String = catalog
        .attributes
        .iter()
        .map(|attribute| {
            let ty = match attribute.default {
                AttributeValue::Boolean(_) => "boolean",
                AttributeValue::String(_) => "string",
                AttributeValue::Integer(_) => "number",
            };
            format!(
                "{}  readonly {}: {ty};\n",
                doc_comment("  ", &attribute.description),
                property_name(&attribute.name)
            )
        })
        .collect();
    formatdoc! {"
        /** The catalog's attributes of a message. */
        export interface {name} {{
        {members}}}
        ",
        name = catalog.type_name("Attributes"),
    }
}

/// `BOARD_EVENT_ATTRIBUTES`: the attribute values of every message.
pub fn attributes_table(catalog: &Catalog, family: &Family) -> String {
    let Family {
        constant,
        kind,
        noun,
        ..
    } = family;
    let rows: String = family
        .members
        .iter()
        .map(|event| {
            let values: Vec<String> = catalog
                .attributes
                .iter()
                .zip(&event.attributes)
                .map(|(attribute, value)| {
                    format!(
                        "{}: {}",
                        property_name(&attribute.name),
                        attribute_value(value)
                    )
                })
                .collect();
            format!(
                "  {}: {{ {} }},\n",
                property_name(&event.name),
                values.join(", ")
            )
        })
        .collect();
    formatdoc! {"
        /** The attributes of every {noun} type. */
        export const {constant}_ATTRIBUTES: {{ readonly [K in {kind}]: {name} }} = {{
        {rows}}};
        ",
        name = catalog.type_name("Attributes"),
    }
}

fn attribute_value(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Boolean(flag) => flag.to_string(),
        AttributeValue::String(text) => string_literal(text),
        AttributeValue::Integer(number) => number.to_string(),
    }
}

/// `encodeBoardEvent`: builds the exact wire JSON of a message.
pub fn encoder(catalog: &Catalog, family: &Family, table: &Table) -> String {
    let Family {
        kind,
        payloads,
        noun,
        verb_stem,
        ..
    } = family;
    let settings = &catalog.envelope;
    let fields = settings.fields.map(|id| catalog.ty(id).name.clone());
    let fields_param = fields
        .as_ref()
        .map(|fields| format!(", fields: {fields}"))
        .unwrap_or_default();
    let mut members = Vec::new();
    if let Some(version) = &settings.version_field {
        members.push(format!("{}: PROTOCOL_VERSION", property_name(version)));
    }
    members.push(format!("{}: type", property_name(&settings.type_field)));
    if fields.is_some() {
        members.push("...fields".to_string());
    }
    members.push(match &settings.payload_field {
        Some(field) if settings.omit_empty_payload => format!(
            "...(Object.keys(payload).length === 0 ? {{}} : {{ {}: payload }})",
            property_name(field)
        ),
        Some(field) => format!("{}: payload", property_name(field)),
        None => "...payload".to_string(),
    });
    let message = format!("{{ {} }}", members.join(", "));
    let write = match large_integers::has_roots(table, family) {
        true => format!(
            "stringifyExactly({message}, {}) ?? \"null\"",
            large_integers::root_of(family, "type")
        ),
        false => format!("JSON.stringify({message})"),
    };
    formatdoc! {"
        /** The wire JSON of a{article} {noun}, in the channel's envelope. */
        export function encode{ident}{verb_stem}<K extends {kind}>(type: K, payload: {payloads}[K]{fields_param}): string {{
          return {write};
        }}
        ",
        article = article(noun),
        ident = catalog.channel_ident,
    }
}

/// `BoardCommandSocket`: what the sender needs of a WebSocket.
pub fn command_socket(catalog: &Catalog) -> String {
    formatdoc! {"
        /** Anything with a WebSocket's `send`. */
        export interface {ident}CommandSocket {{
          send(data: string): void;
        }}
        ",
        ident = catalog.channel_ident,
    }
}

/// `sendBoardCommand`: encodes a command and sends it on a socket.
pub fn sender(catalog: &Catalog, family: &Family) -> String {
    let Family { kind, payloads, .. } = family;
    let fields = catalog
        .envelope
        .fields
        .map(|id| catalog.ty(id).name.clone());
    let (param, arg) = match &fields {
        Some(fields) => (format!(", fields: {fields}"), ", fields"),
        None => (String::new(), ""),
    };
    formatdoc! {"
        /** Sends a command on a socket, typed against its payload. */
        export function send{ident}Command<K extends {kind}>(socket: {ident}CommandSocket, type: K, payload: {payloads}[K]{param}): void {{
          socket.send(encode{ident}Command(type, payload{arg}));
        }}
        ",
        ident = catalog.channel_ident,
    }
}
