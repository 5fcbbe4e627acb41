//! The TypeScript module a frontend handles events with: payload types, the
//! event-type union with a runtime list, the envelope as a discriminated
//! union, a handler map that needs exactly one entry per event, and a
//! dispatcher that ignores unknown and prototype-key event types.

use std::collections::HashMap;
use std::fmt::Write;

use crate::model::{Catalog, NamedType, Ty, TypeId, TypeKind};
use crate::render::{GENERATE_COMMAND, header};

/// The module's contents.
pub fn module(catalog: &Catalog) -> String {
    let mut out = header("// ");
    let channel = &catalog.channel;
    let upper = catalog.channel.to_uppercase();
    let event_type = catalog.type_name("EventType");
    let payloads = catalog.type_name("Payloads");
    let envelope = catalog.type_name("Envelope");
    let envelope_of = catalog.type_name("EnvelopeOf");
    let handlers = catalog.type_name("Handlers");
    let handler = catalog.type_name("Handler");
    let ident = &catalog.channel_ident;

    let _ = writeln!(
        out,
        "{}",
        doc_comment(
            "",
            &format!(
                "Events of the `{channel}` channel.\n\n{}",
                catalog.description
            )
        )
        .trim_end()
    );
    let _ = writeln!(
        out,
        "\n/** The envelope's wire version this module was generated for. */"
    );
    let _ = writeln!(
        out,
        "export const PROTOCOL_VERSION = {};\n",
        catalog.protocol_version
    );
    let _ = writeln!(out, "/** The channel these events travel on. */");
    let _ = writeln!(out, "export const CHANNEL = {};\n", string_literal(channel));

    if uses_json(catalog) {
        let _ = writeln!(
            out,
            "/** Free-form JSON, where the catalog opts into it. */"
        );
        let _ = writeln!(
            out,
            "export type JsonValue = null | boolean | number | string | JsonValue[] | {{ [key: string]: JsonValue }};\n"
        );
    }

    let variant_tags = union_variant_tags(catalog);
    for (index, ty) in catalog.types.iter().enumerate() {
        named_type(&mut out, catalog, TypeId(index), ty, &variant_tags);
    }

    let _ = writeln!(
        out,
        "/** Every event type on the `{channel}` channel, in catalog order. */"
    );
    let _ = writeln!(out, "export const {upper}_EVENT_TYPES = [");
    for event in &catalog.events {
        let _ = writeln!(out, "  {},", string_literal(&event.name));
    }
    let _ = writeln!(out, "] as const;\n");
    let _ = writeln!(
        out,
        "/** The name of an event on the `{channel}` channel. */"
    );
    let _ = writeln!(
        out,
        "export type {event_type} = (typeof {upper}_EVENT_TYPES)[number];\n"
    );

    let _ = writeln!(out, "/** The payload type of each event. */");
    let _ = writeln!(out, "export interface {payloads} {{");
    for event in &catalog.events {
        let _ = write!(out, "{}", doc_comment("  ", &event.description));
        if let Some(note) = &event.deprecated {
            let _ = writeln!(out, "  /** @deprecated {} */", escape_comment(note));
        }
        let _ = writeln!(
            out,
            "  {}: {};",
            property_name(&event.name),
            catalog.ty(event.payload).name
        );
    }
    let _ = writeln!(out, "}}\n");

    let envelope_doc = format!(
        "The message on the wire for event type `K`: `{{\"{}\": {}, \"{}\": K, \"{}\": {{...}}}}`.",
        catalog.envelope.version_field,
        catalog.protocol_version,
        catalog.envelope.type_field,
        catalog.envelope.payload_field
    );
    let _ = write!(out, "{}", doc_comment("", &envelope_doc));
    let _ = writeln!(
        out,
        "export interface {envelope_of}<K extends {event_type}> {{"
    );
    let _ = writeln!(
        out,
        "  {}: number;",
        property_name(&catalog.envelope.version_field)
    );
    let _ = writeln!(out, "  {}: K;", property_name(&catalog.envelope.type_field));
    let _ = writeln!(
        out,
        "  {}: {payloads}[K];",
        property_name(&catalog.envelope.payload_field)
    );
    let _ = writeln!(out, "}}\n");
    let _ = writeln!(
        out,
        "/** Any envelope on the channel, discriminated by `{}`. */",
        catalog.envelope.type_field
    );
    let _ = writeln!(
        out,
        "export type {envelope} = {{ [K in {event_type}]: {envelope_of}<K> }}[{event_type}];\n"
    );

    let type_field = property_access(&catalog.envelope.type_field);
    let payload_field = property_access(&catalog.envelope.payload_field);
    let _ = write!(
        out,
        r#"/** A handler value that marks an event the client deliberately ignores. */
export const IGNORE: unique symbol = Symbol("ignore");

/** The type of {{@link IGNORE}}. */
export type Ignore = typeof IGNORE;

/** Handles one event type: receives the payload and the whole envelope. */
export type {handler}<K extends {event_type}> = (payload: {payloads}[K], envelope: {envelope_of}<K>) => void;

/**
 * One entry per event type, each a handler or {{@link IGNORE}}: a missing
 * event is a compile error, so ignoring an event is a decision.
 */
export type {handlers} = {{ readonly [K in {event_type}]: {handler}<K> | Ignore }};

/**
 * Checks a handler map at compile time, rejecting entries for event types
 * that do not exist (which an object literal alone only catches inline).
 */
export function define{ident}Handlers<H extends {handlers}>(
  handlers: H & {{ readonly [K in Exclude<keyof H, {event_type}>]: never }},
): {handlers} {{
  return handlers;
}}

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set<string>({upper}_EVENT_TYPES);

/** Whether `name` is an event type of this channel (own names only, never prototype keys). */
export function is{event_type}(name: unknown): name is {event_type} {{
  return typeof name === "string" && KNOWN_EVENT_TYPES.has(name);
}}

/**
 * Calls the handler for a parsed envelope and returns whether one ran.
 * Unknown event types (a newer server), ignored events and messages that are
 * not envelopes return `false` without throwing. The protocol version is not
 * checked: it only changes with a breaking envelope change, which clients can
 * branch on through the envelope the handler receives.
 */
export function dispatch{ident}Event(handlers: {handlers}, message: unknown): boolean {{
  if (typeof message !== "object" || message === null) {{
    return false;
  }}
  const envelope = message as {{ readonly [key: string]: unknown }};
  const eventType = envelope{type_field};
  const payload = envelope{payload_field};
  if (!is{event_type}(eventType) || typeof payload !== "object" || payload === null || Array.isArray(payload)) {{
    return false;
  }}
  const handler = handlers[eventType];
  if (typeof handler !== "function") {{
    return false;
  }}
  (handler as (payload: unknown, envelope: unknown) => void)(payload, message);
  return true;
}}
"#
    );
    out
}

/// A `package.json` beside the modules: they are ES modules (their imports
/// name `./board.js`), and Node and `tsc` read the format from here.
pub fn package_json() -> String {
    format!(
        "{{\n  \"//\": \"@generated by `{GENERATE_COMMAND}`. Do not edit.\",\n  \"type\": \"module\"\n}}\n"
    )
}

/// The examples module: every catalog example, typed against the payloads,
/// so `tsc` proves the TypeScript types accept the real wire data.
pub fn examples_module(catalog: &Catalog, module_stem: &str) -> String {
    let mut out = header("// ");
    let payloads = catalog.type_name("Payloads");
    let upper = catalog.channel.to_uppercase();
    let _ = writeln!(
        out,
        "import type {{ {payloads} }} from \"./{module_stem}.js\";\n"
    );
    let _ = writeln!(
        out,
        "/** The catalog's example payloads of every event, for tests and mocks. */"
    );
    let _ = writeln!(
        out,
        "export const {upper}_EXAMPLES: {{ readonly [K in keyof {payloads}]: readonly {payloads}[K][] }} = {{"
    );
    for event in &catalog.events {
        let _ = writeln!(out, "  {}: [", property_name(&event.name));
        for example in &event.examples {
            let _ = writeln!(out, "    {},", json_literal(example, "    "));
        }
        let _ = writeln!(out, "  ],");
    }
    let _ = writeln!(out, "}};");
    out
}

/// Struct types that are `oneOf` variants carry the discriminator in TypeScript.
fn union_variant_tags(catalog: &Catalog) -> HashMap<TypeId, (String, String)> {
    let mut tags = HashMap::new();
    for ty in &catalog.types {
        if let TypeKind::Union(union) = &ty.kind {
            for variant in &union.variants {
                tags.insert(variant.fields, (union.tag.clone(), variant.value.clone()));
            }
        }
    }
    tags
}

fn uses_json(catalog: &Catalog) -> bool {
    fn has_json(ty: &Ty) -> bool {
        match ty {
            Ty::Json => true,
            Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => has_json(inner),
            _ => false,
        }
    }
    catalog.types.iter().any(|ty| match &ty.kind {
        TypeKind::Struct(object) => object.fields.iter().any(|field| has_json(&field.ty)),
        TypeKind::Alias(target) => has_json(target),
        _ => false,
    })
}

fn named_type(
    out: &mut String,
    catalog: &Catalog,
    id: TypeId,
    ty: &NamedType,
    variant_tags: &HashMap<TypeId, (String, String)>,
) {
    let _ = write!(
        out,
        "{}",
        doc_comment("", ty.description.as_deref().unwrap_or_default())
    );
    match &ty.kind {
        TypeKind::Struct(object) => {
            let _ = writeln!(out, "export interface {} {{", ty.name);
            if let Some((tag, value)) = variant_tags.get(&id) {
                let _ = writeln!(out, "  {}: {};", property_name(tag), string_literal(value));
            }
            for field in &object.fields {
                let _ = write!(
                    out,
                    "{}",
                    doc_comment("  ", field.description.as_deref().unwrap_or_default())
                );
                let optional = if field.required { "" } else { "?" };
                let mut ty = ts_type(catalog, &field.ty);
                // An absent optional `toString` (or another member every
                // object inherits) reads as the inherited member: say so, or
                // `tsc` rejects every object that leaves the property out.
                if !field.required && OBJECT_MEMBERS.contains(&field.name.as_str()) {
                    ty = format!("{ty} | Object[{}]", string_literal(&field.name));
                }
                let _ = writeln!(out, "  {}{optional}: {ty};", property_name(&field.name));
            }
            let _ = writeln!(out, "}}\n");
        }
        TypeKind::Enum(values) => {
            let members: Vec<String> = values
                .variants
                .iter()
                .map(|variant| string_literal(&variant.value))
                .collect();
            let _ = writeln!(out, "export type {} = {};\n", ty.name, members.join(" | "));
        }
        TypeKind::Union(union) => {
            let members: Vec<&str> = union
                .variants
                .iter()
                .map(|variant| catalog.ty(variant.fields).name.as_str())
                .collect();
            let _ = writeln!(out, "export type {} = {};\n", ty.name, members.join(" | "));
        }
        TypeKind::Alias(target) => {
            let _ = writeln!(
                out,
                "export type {} = {};\n",
                ty.name,
                ts_type(catalog, target)
            );
        }
    }
}

/// The members of TypeScript's `Object` interface, which every object type has.
const OBJECT_MEMBERS: &[&str] = &[
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
];

fn ts_type(catalog: &Catalog, ty: &Ty) -> String {
    match ty {
        Ty::String(_) => "string".to_string(),
        Ty::Integer { .. } | Ty::Number => "number".to_string(),
        Ty::Boolean => "boolean".to_string(),
        Ty::Array(inner) => match **inner {
            Ty::Nullable(_) => format!("({})[]", ts_type(catalog, inner)),
            _ => format!("{}[]", ts_type(catalog, inner)),
        },
        Ty::Map(inner) => format!("{{ [key: string]: {} }}", ts_type(catalog, inner)),
        Ty::Named(id) => catalog.ty(*id).name.clone(),
        Ty::Nullable(inner) => format!("{} | null", ts_type(catalog, inner)),
        Ty::Json => "JsonValue".to_string(),
    }
}

/// A JSDoc block, or nothing for empty text.
fn doc_comment(indent: &str, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", escape_comment(lines[0]));
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        let line = escape_comment(line.trim_end());
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// Keeps text from closing the comment it sits in.
fn escape_comment(text: &str) -> String {
    text.replace("*/", "*\\/")
}

/// A double-quoted string literal with JSON escapes (line separators included).
fn string_literal(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A property key, quoted unless it is a plain identifier.
fn property_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        string_literal(name)
    }
}

/// `.name` or `["name"]`.
fn property_access(name: &str) -> String {
    if is_identifier(name) {
        format!(".{name}")
    } else {
        format!("[{}]", string_literal(name))
    }
}

/// A JSON value as a TypeScript literal, indented for nesting.
///
/// In an object literal, a plain `"__proto__": value` sets the object's
/// prototype instead of creating the property, so that key is written as the
/// computed key `["__proto__"]`, which defines an own property as JSON does.
fn json_literal(value: &serde_json::Value, indent: &str) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let pretty = pretty
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    pretty
        .lines()
        .map(|line| {
            // Pretty JSON starts a line with a key; a string value never
            // starts one with `"__proto__": ` (its own quotes are escaped).
            let body = line.trim_start();
            match body.strip_prefix("\"__proto__\": ") {
                Some(rest) => format!(
                    "{}[\"__proto__\"]: {rest}",
                    &line[..line.len() - body.len()]
                ),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_literals_are_escaped() {
        assert_eq!(doc_comment("", "ends */ early"), "/** ends *\\/ early */\n");
        assert_eq!(string_literal("a\"b\u{2028}"), "\"a\\\"b\\u2028\"");
        assert_eq!(property_name("task_id"), "task_id");
        assert_eq!(property_name("my-field"), "\"my-field\"");
        assert_eq!(property_access("event_type"), ".event_type");
        assert_eq!(property_access("__proto__"), ".__proto__");
    }
}
