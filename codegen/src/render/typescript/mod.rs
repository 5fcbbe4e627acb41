//! The TypeScript module a frontend handles events with: payload types, the
//! event-type union with a runtime list, the envelope as a discriminated
//! union, a handler map that needs exactly one entry per event, and a
//! dispatcher that ignores unknown and prototype-key event types.

mod checks;
mod examples;
mod large_integers;
mod messages;
mod receive;
mod syntax;
mod types;

pub use examples::examples_module;

use crate::checks::Checks;
use crate::contents::Contents;
use crate::model::{Catalog, Direction, Event};
use crate::render::items::Items;
use crate::render::{GENERATED_MARKER, header};
use large_integers::Table;

/// One direction's messages and the names of its generated items.
struct Family<'a> {
    members: Vec<&'a Event>,
    direction: Direction,
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
    "LargeIntegerNode",
    // The validators' own types, and the names their guards would take.
    "Check",
    "JsonType",
    "Failure",
    "JsonObject",
    "Multiple",
    "Format",
    "DateText",
    "TimeText",
    "HostnameText",
    "Ipv6Text",
    "EmailText",
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
            direction: family.direction,
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

/// The module's contents: one item per declaration, in this order.
pub fn module(catalog: &Catalog, checks: &Checks) -> Contents {
    let mut items = Items::new();
    items.push(syntax::doc_comment(
        "",
        &format!(
            "Events of the `{}` channel.\n\n{}",
            catalog.channel, catalog.description
        ),
    ));
    items.push(constants(catalog));
    // The types on another core while this one plans the checks.
    let (types, plan) = crate::parallel::beside(
        || {
            crate::timing::stage("typescript: types", || {
                types::named_types(catalog).collect::<Vec<_>>()
            })
        },
        || crate::timing::stage("typescript: plan", || checks::Plan::new(catalog, checks)),
    );
    types.into_iter().for_each(|item: String| items.push(item));
    if !catalog.attributes.is_empty() {
        items.push(messages::attributes_interface(catalog));
    }
    let large_integers = Table::new(catalog);
    if !large_integers.is_empty() {
        large_integers::support_items(&large_integers)
            .into_iter()
            .for_each(|item| items.push(item));
    }
    crate::timing::stage("typescript: checks", || {
        checks::support_items(catalog, &plan)
            .into_iter()
            .for_each(|item| items.push(item));
        checks::guards(catalog, &plan).for_each(|item| items.push(item));
    });
    crate::timing::stage("typescript: families", || {
        for family in families(catalog) {
            family_items(&mut items, catalog, &family, &large_integers, &plan);
        }
    });
    items.finish(header(catalog, "// "))
}

/// `PROTOCOL_VERSION` and `CHANNEL`.
fn constants(catalog: &Catalog) -> String {
    format!(
        "/** The envelope's wire version this module was generated for. */\n\
         export const PROTOCOL_VERSION = {};\n\n\
         /** The channel these events travel on. */\n\
         export const CHANNEL = {};",
        catalog.protocol_version,
        syntax::string_literal(&catalog.channel)
    )
}

/// Everything one family declares: its types, then how to send and read
/// it, then (for events) how to handle it.
fn family_items(
    items: &mut Items,
    catalog: &Catalog,
    family: &Family,
    large_integers: &Table,
    plan: &checks::Plan<'_>,
) {
    items.push(messages::type_list(catalog, family));
    items.push(messages::type_union(catalog, family));
    items.push(messages::payload_map(catalog, family));
    items.push(messages::envelope_of(catalog, family));
    items.push(messages::envelope_union(catalog, family));
    if !catalog.attributes.is_empty() {
        items.push(messages::attributes_table(catalog, family));
    }
    if let Some(roots) = large_integers::roots_table(large_integers, family) {
        items.push(roots);
    }
    items.push(messages::encoder(catalog, family, large_integers));
    items.push(large_integers::decoder(catalog, family, large_integers));
    receive::type_guard(family)
        .iter()
        .for_each(|item| items.push(item));
    items.push(checks::payload_checks(family, plan));
    items.push(checks::message_check(catalog, family, plan));
    checks::parser(catalog, family)
        .iter()
        .for_each(|item| items.push(item));
    match family.direction {
        Direction::ServerToClient => receive_items(items, catalog, family),
        Direction::ClientToServer => {
            items.push(messages::command_socket(catalog));
            items.push(messages::sender(catalog, family));
        }
    }
}

/// The handler map, its checker, the dispatcher and the SSE helpers.
fn receive_items(items: &mut Items, catalog: &Catalog, family: &Family) {
    receive::ignore().iter().for_each(|item| items.push(item));
    items.push(receive::handler_type(catalog, family));
    items.push(receive::handlers_type(catalog, family));
    items.push(receive::define_handlers(catalog, family));
    items.push(receive::dispatch_options(catalog));
    items.push(receive::dispatcher(catalog, family));
    if catalog.sse {
        receive::sse_types(catalog)
            .iter()
            .for_each(|item| items.push(item));
        items.push(receive::sse_dispatcher(catalog));
        items.push(receive::sse_subscriber(catalog, family));
    }
}

/// A `package.json` beside the modules: they are ES modules (their imports
/// name `./board.js`), and Node and `tsc` read the format from here.
pub fn package_json() -> String {
    format!("{{\n  \"//\": \"{GENERATED_MARKER}. Do not edit.\",\n  \"type\": \"module\"\n}}\n")
}
