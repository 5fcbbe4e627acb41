//! The TypeScript module a frontend handles events with: payload types, the
//! event-type union with a runtime list, the envelope as a discriminated
//! union, a handler map that needs exactly one entry per event, and a
//! dispatcher that ignores unknown and prototype-key event types.

use std::collections::HashMap;
use std::fmt::Write;

use crate::model::{AttributeValue, Catalog, Direction, Event, NamedType, Ty, TypeId, TypeKind};
use crate::render::{GENERATED_MARKER, article, envelope_sketch, header};

/// One direction's messages and the names of its generated items.
struct Family<'a> {
    members: Vec<&'a Event>,
    /// `event` or `command`.
    noun: &'static str,
    /// `BOARD_EVENT` / `BOARD_COMMAND`, the prefix of constants.
    constant: String,
    /// `BoardEventType` / `BoardCommandType`.
    kind: String,
    /// `BoardPayloads` / `BoardCommandPayloads`.
    payloads: String,
    /// `BoardEnvelopeOf` / `BoardCommandOf`.
    envelope_of: String,
    /// `BoardEnvelope` / `BoardCommand`.
    envelope: String,
    /// `Event` / `Command`, in function names.
    verb_stem: &'static str,
}

/// Type names the module defines after the channel (`BoardHandlers`, ...).
pub const RESERVED_SUFFIXES: &[&str] = &[
    "EnvelopeOf",
    "Payloads",
    "Handler",
    "Handlers",
    "CommandPayloads",
    "CommandOf",
    "CommandSocket",
    "Attributes",
    "SseMessage",
    "SseSource",
];

/// Names the module defines or uses unqualified (TypeScript globals).
pub const RESERVED: &[&str] = &[
    "Ignore",
    "JsonValue",
    "Exclude",
    "ReadonlySet",
    "Set",
    "Symbol",
    "Object",
    "Array",
    "Record",
    "Readonly",
    "Function",
];

/// The catalog's families, with their TypeScript names: the commands'
/// envelope union takes the message name (`BoardCommand`).
fn families(catalog: &Catalog) -> Vec<Family<'_>> {
    catalog
        .families()
        .into_iter()
        .map(|family| Family {
            envelope: match family.direction {
                Direction::ServerToClient => family.envelope,
                Direction::ClientToServer => family.message,
            },
            noun: family.noun,
            constant: family.constant,
            kind: family.kind,
            payloads: family.payloads,
            envelope_of: family.envelope_of,
            verb_stem: family.stem,
            members: family.members,
        })
        .collect()
}

/// The module's contents.
pub fn module(catalog: &Catalog) -> String {
    let mut out = header(catalog, "// ");
    let channel = &catalog.channel;
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
    if !catalog.attributes.is_empty() {
        attributes_interface(&mut out, catalog);
    }
    for family in families(catalog) {
        family_types(&mut out, catalog, &family);
        if !catalog.attributes.is_empty() {
            attributes_table(&mut out, catalog, &family);
        }
        encoder(&mut out, catalog, &family);
        match family.noun {
            "event" => {
                handlers(&mut out, catalog, &family);
                if catalog.sse {
                    sse_helpers(&mut out, catalog, &family);
                }
            }
            _ => sender(&mut out, catalog, &family),
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The type list, the type union, the payload map and the envelope types.
fn family_types(out: &mut String, catalog: &Catalog, family: &Family) {
    let Family {
        noun,
        constant,
        kind,
        payloads,
        envelope_of,
        envelope,
        ..
    } = family;
    let channel = &catalog.channel;
    let _ = writeln!(
        out,
        "/** Every {noun} type on the `{channel}` channel, in catalog order. */"
    );
    let _ = writeln!(out, "export const {constant}_TYPES = [");
    for event in &family.members {
        let _ = writeln!(out, "  {},", string_literal(&event.name));
    }
    let _ = writeln!(out, "] as const;\n");
    let _ = writeln!(
        out,
        "/** The name of a{} {noun} on the `{channel}` channel. */",
        article(noun)
    );
    let _ = writeln!(
        out,
        "export type {kind} = (typeof {constant}_TYPES)[number];\n"
    );

    let _ = writeln!(out, "/** The payload type of each {noun}. */");
    let _ = writeln!(out, "export interface {payloads} {{");
    for event in &family.members {
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

    let settings = &catalog.envelope;
    let envelope_doc = format!(
        "The message on the wire for {noun} type `K`: `{}`.",
        envelope_sketch(catalog).replace("\"<name>\"", "K")
    );
    let _ = write!(out, "{}", doc_comment("", &envelope_doc));
    let fields = settings.fields.map(|id| catalog.ty(id).name.clone());
    let type_member = format!("{}: K", property_name(&settings.type_field));
    match &settings.payload_field {
        Some(payload_field) if settings.omit_empty_payload => {
            // The payload may be left out exactly when it may be empty.
            let mut head = Vec::new();
            if let Some(version) = &settings.version_field {
                head.push(format!("{}: number;", property_name(version)));
            }
            head.push(format!("{type_member};"));
            let mut parts = vec![format!("{{ {} }}", head.join(" "))];
            parts.extend(fields);
            let payload = property_name(payload_field);
            parts.push(format!(
                "({{}} extends {payloads}[K] ? {{ {payload}?: {payloads}[K] }} : {{ {payload}: {payloads}[K] }})"
            ));
            let _ = writeln!(
                out,
                "export type {envelope_of}<K extends {kind}> = {};\n",
                parts.join(" & ")
            );
        }
        Some(payload_field) => {
            let extends = fields
                .as_ref()
                .map(|fields| format!(" extends {fields}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "export interface {envelope_of}<K extends {kind}>{extends} {{"
            );
            if let Some(version) = &settings.version_field {
                let _ = writeln!(out, "  {}: number;", property_name(version));
            }
            let _ = writeln!(out, "  {type_member};");
            let _ = writeln!(out, "  {}: {payloads}[K];", property_name(payload_field));
            let _ = writeln!(out, "}}\n");
        }
        None => {
            let mut parts = vec![match &settings.version_field {
                Some(version) => format!("{{ {}: number; {type_member} }}", property_name(version)),
                None => format!("{{ {type_member} }}"),
            }];
            parts.extend(fields);
            parts.push(format!("{payloads}[K]"));
            let _ = writeln!(
                out,
                "export type {envelope_of}<K extends {kind}> = {};\n",
                parts.join(" & ")
            );
        }
    }
    let _ = writeln!(
        out,
        "/** Any {noun} message on the channel, discriminated by `{}`. */",
        settings.type_field
    );
    let _ = writeln!(
        out,
        "export type {envelope} = {{ [K in {kind}]: {envelope_of}<K> }}[{kind}];\n"
    );
}

/// The interface of the catalog's attributes, with their meaning.
fn attributes_interface(out: &mut String, catalog: &Catalog) {
    let name = catalog.type_name("Attributes");
    let _ = writeln!(out, "/** The catalog's attributes of a message. */");
    let _ = writeln!(out, "export interface {name} {{");
    for attribute in &catalog.attributes {
        let _ = write!(out, "{}", doc_comment("  ", &attribute.description));
        let ty = match attribute.default {
            AttributeValue::Boolean(_) => "boolean",
            AttributeValue::String(_) => "string",
            AttributeValue::Integer(_) => "number",
        };
        let _ = writeln!(out, "  readonly {}: {ty};", property_name(&attribute.name));
    }
    let _ = writeln!(out, "}}\n");
}

/// The attribute values of every message of a family.
fn attributes_table(out: &mut String, catalog: &Catalog, family: &Family) {
    let name = catalog.type_name("Attributes");
    let Family {
        constant,
        kind,
        noun,
        ..
    } = family;
    let _ = writeln!(out, "/** The attributes of every {noun} type. */");
    let _ = writeln!(
        out,
        "export const {constant}_ATTRIBUTES: {{ readonly [K in {kind}]: {name} }} = {{"
    );
    for event in &family.members {
        let values: Vec<String> = catalog
            .attributes
            .iter()
            .zip(&event.attributes)
            .map(|(attribute, value)| {
                let value = match value {
                    AttributeValue::Boolean(flag) => flag.to_string(),
                    AttributeValue::String(text) => string_literal(text),
                    AttributeValue::Integer(number) => number.to_string(),
                };
                format!("{}: {value}", property_name(&attribute.name))
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}: {{ {} }},",
            property_name(&event.name),
            values.join(", ")
        );
    }
    let _ = writeln!(out, "}};\n");
}

/// `encode<Channel><Event|Command>`: builds the exact wire JSON of a message.
fn encoder(out: &mut String, catalog: &Catalog, family: &Family) {
    let Family {
        kind,
        payloads,
        noun,
        verb_stem,
        ..
    } = family;
    let ident = &catalog.channel_ident;
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
    match &settings.payload_field {
        Some(field) if settings.omit_empty_payload => members.push(format!(
            "...(Object.keys(payload).length === 0 ? {{}} : {{ {}: payload }})",
            property_name(field)
        )),
        Some(field) => members.push(format!("{}: payload", property_name(field))),
        None => members.push("...payload".to_string()),
    }
    let _ = write!(
        out,
        r#"/** The wire JSON of a{article} {noun}, in the channel's envelope. */
export function encode{ident}{verb_stem}<K extends {kind}>(type: K, payload: {payloads}[K]{fields_param}): string {{
  return JSON.stringify({{ {members} }});
}}

"#,
        article = article(noun),
        members = members.join(", "),
    );
}

/// `send<Channel>Command`: encodes a command and sends it on a socket.
fn sender(out: &mut String, catalog: &Catalog, family: &Family) {
    let Family { kind, payloads, .. } = family;
    let ident = &catalog.channel_ident;
    let fields = catalog
        .envelope
        .fields
        .map(|id| catalog.ty(id).name.clone());
    let (param, arg) = match &fields {
        Some(fields) => (format!(", fields: {fields}"), ", fields"),
        None => (String::new(), ""),
    };
    let _ = write!(
        out,
        r#"/** Anything with a WebSocket's `send`. */
export interface {ident}CommandSocket {{
  send(data: string): void;
}}

/** Sends a command on a socket, typed against its payload. */
export function send{ident}Command<K extends {kind}>(socket: {ident}CommandSocket, type: K, payload: {payloads}[K]{param}): void {{
  socket.send(encode{ident}Command(type, payload{arg}));
}}

"#
    );
}

/// The handler map, its checker, and the dispatcher of parsed messages.
fn handlers(out: &mut String, catalog: &Catalog, family: &Family) {
    let Family {
        constant,
        kind: event_type,
        payloads,
        envelope_of,
        ..
    } = family;
    let handlers = catalog.type_name("Handlers");
    let handler = catalog.type_name("Handler");
    let ident = &catalog.channel_ident;
    let type_field = index_access(&catalog.envelope.type_field);
    let payload = match &catalog.envelope.payload_field {
        // A message without its payload carries an empty one.
        Some(field) if catalog.envelope.omit_empty_payload => {
            format!("envelope{} ?? {{}}", index_access(field))
        }
        Some(field) => format!("envelope{}", index_access(field)),
        // A flat message is its own payload.
        None => "envelope".to_string(),
    };
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

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set<string>({constant}_TYPES);

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
  const payload = {payload};
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
}

/// Dispatching Server-Sent Events: a named SSE event never reaches
/// `onmessage`, so the subscriber listens for every event type by name.
fn sse_helpers(out: &mut String, catalog: &Catalog, family: &Family) {
    let ident = &catalog.channel_ident;
    let handlers = catalog.type_name("Handlers");
    let constant = &family.constant;
    let type_field = index_access(&catalog.envelope.type_field);
    let _ = write!(
        out,
        r#"/** A Server-Sent Event as an `EventSource` delivers it. */
export interface {ident}SseMessage {{
  readonly type: string;
  readonly data: unknown;
}}

/** What the subscriber needs of an `EventSource`. */
export interface {ident}SseSource {{
  addEventListener(type: string, listener: (event: {ident}SseMessage) => void): void;
  removeEventListener(type: string, listener: (event: {ident}SseMessage) => void): void;
}}

/**
 * Dispatches one Server-Sent Event whose `data` is the envelope JSON. A
 * named event must agree with the envelope's type; malformed data returns
 * `false` without throwing.
 */
export function dispatch{ident}SseEvent(handlers: {handlers}, event: {ident}SseMessage): boolean {{
  if (typeof event.data !== "string") {{
    return false;
  }}
  let message: unknown;
  try {{
    message = JSON.parse(event.data);
  }} catch {{
    return false;
  }}
  if (event.type !== "message") {{
    const named = typeof message === "object" && message !== null ? (message as {{ readonly [key: string]: unknown }}){type_field} : undefined;
    if (named !== event.type) {{
      return false;
    }}
  }}
  return dispatch{ident}Event(handlers, message);
}}

/**
 * Listens on an `EventSource` for every event type of the channel (and for
 * unnamed messages) and dispatches each; returns a function that stops.
 */
export function subscribe{ident}Sse(source: {ident}SseSource, handlers: {handlers}): () => void {{
  const listener = (event: {ident}SseMessage): void => {{
    dispatch{ident}SseEvent(handlers, event);
  }};
  const names = ["message", ...{constant}_TYPES];
  for (const name of names) {{
    source.addEventListener(name, listener);
  }}
  return () => {{
    for (const name of names) {{
      source.removeEventListener(name, listener);
    }}
  }};
}}

"#
    );
}

/// A `package.json` beside the modules: they are ES modules (their imports
/// name `./board.js`), and Node and `tsc` read the format from here.
pub fn package_json() -> String {
    format!("{{\n  \"//\": \"{GENERATED_MARKER}. Do not edit.\",\n  \"type\": \"module\"\n}}\n")
}

/// The examples module: every catalog example, typed against the payloads,
/// so `tsc` proves the TypeScript types accept the real wire data.
pub fn examples_module(catalog: &Catalog, module_stem: &str) -> String {
    let mut out = header(catalog, "// ");
    let families = families(catalog);
    let imports: Vec<&str> = families
        .iter()
        .map(|family| family.payloads.as_str())
        .collect();
    let _ = writeln!(
        out,
        "import type {{ {} }} from \"./{module_stem}.js\";",
        imports.join(", ")
    );
    for family in &families {
        let payloads = &family.payloads;
        // Events keep the shorter name: they are what most clients mock.
        let constant = match family.noun {
            "event" => catalog.channel.to_uppercase(),
            _ => family.constant.clone(),
        };
        let _ = writeln!(
            out,
            "\n/** The catalog's example payloads of every {}, for tests and mocks. */",
            family.noun
        );
        let _ = writeln!(
            out,
            "export const {constant}_EXAMPLES: {{ readonly [K in keyof {payloads}]: readonly {payloads}[K][] }} = {{"
        );
        for event in &family.members {
            let _ = writeln!(out, "  {}: [", property_name(&event.name));
            for example in &event.examples {
                let _ = writeln!(out, "    {},", json_literal(example, "    "));
            }
            let _ = writeln!(out, "  ],");
        }
        let _ = writeln!(out, "}};");
    }
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

/// `["name"]`: the envelope is read as an index-signature record, and
/// consumers compiling with `noPropertyAccessFromIndexSignature` reject `.name` there.
fn index_access(name: &str) -> String {
    format!("[{}]", string_literal(name))
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
        assert_eq!(index_access("event_type"), "[\"event_type\"]");
        assert_eq!(index_access("__proto__"), "[\"__proto__\"]");
    }
}
