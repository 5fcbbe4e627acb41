//! The Python module a backend sends events with: payloads as `TypedDict`s,
//! each message as a `TypedDict` in the catalog's envelope, their union
//! discriminated by the type name's `Literal`, the type names, and helpers
//! that write (and read back) the wire JSON. Targets Python 3.11+, checked
//! with `mypy --strict` and strict `pyright`.

mod messages;
mod syntax;
mod types;

use std::collections::{HashMap, HashSet};

use crate::model::{Catalog, Event, TypeId};
use crate::render::header;

/// Names the module defines or imports besides the catalog's types.
pub const RESERVED: &[&str] = &[
    "JsonValue",
    "Literal",
    "TypedDict",
    "NotRequired",
    "TypeAlias",
    "Final",
    "Union",
];

/// One direction's messages and the names of its Python items.
struct Family<'a> {
    members: Vec<&'a Event>,
    /// `event` or `command`.
    noun: &'static str,
    /// `Event` or `Command`, the suffix of each message's `TypedDict`.
    stem: &'static str,
    /// `BOARD_EVENT` / `BOARD_COMMAND`.
    constant: String,
    /// `BoardEventType` / `BoardCommandType`.
    kind: String,
    /// `BoardEnvelope` / `BoardCommand`: the union of the messages.
    union: String,
    /// Each message's `TypedDict`, by wire name.
    messages: HashMap<String, String>,
}

impl Family<'_> {
    /// `TaskCreatedEvent`: one message's `TypedDict`.
    fn message_name(&self, event: &Event) -> String {
        self.messages[&event.name].clone()
    }
}

fn families(catalog: &Catalog) -> Vec<Family<'_>> {
    let mut families: Vec<Family> = catalog
        .families()
        .into_iter()
        .map(|family| Family {
            union: match family.noun {
                "event" => family.envelope,
                _ => family.message,
            },
            noun: family.noun,
            stem: family.stem,
            constant: family.constant,
            kind: family.kind,
            members: family.members,
            messages: HashMap::new(),
        })
        .collect();
    // Every name the module declares besides the messages.
    let mut taken: HashSet<String> = catalog.types.iter().map(|ty| ty.name.clone()).collect();
    taken.extend(RESERVED.iter().map(|name| name.to_string()));
    for family in &families {
        taken.extend([family.kind.clone(), family.union.clone()]);
    }
    for family in &mut families {
        for event in &family.members {
            let name = message_name(&format!("{}{}", event.ident, family.stem), &taken);
            taken.insert(name.clone());
            family.messages.insert(event.name.clone(), name);
        }
    }
    families
}

/// `TaskCreatedEvent`, or `TaskCreatedEventMessage` (then a number) when a
/// catalog type or another item has that name already.
fn message_name(base: &str, taken: &HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while taken.contains(&name) {
        name = match n {
            1 => format!("{base}Message"),
            _ => format!("{base}Message{n}"),
        };
        n += 1;
    }
    name
}

/// The module's contents.
pub fn module(catalog: &Catalog) -> String {
    let families = families(catalog);
    let mut items = vec![constants(catalog)];
    if types::needs_json(catalog) {
        items.push(types::json_value());
    }
    let tags = catalog.variant_tags();
    let mut defined: HashSet<TypeId> = HashSet::new();
    for id in types::declaration_order(catalog) {
        items.push(types::named_type(catalog, id, &defined, &tags));
        defined.insert(id);
    }
    for family in &families {
        items.push(messages::type_alias(catalog, family));
        items.push(messages::type_tuple(catalog, family));
        for event in &family.members {
            items.push(messages::message(catalog, family, event));
        }
        items.push(messages::message_union(catalog, family));
    }
    items.push(encoder(catalog, &families));
    for family in &families {
        items.push(messages::decoder(catalog, family));
    }
    let head = format!("{}\n{}", module_docstring(catalog), imports(&items));
    items.insert(0, head);
    finish(header(catalog, "# "), &items)
}

/// The file: the header, then the items two blank lines apart (the
/// formatter's spacing around top-level classes and functions).
fn finish(header: String, items: &[String]) -> String {
    let items: Vec<&str> = items
        .iter()
        .map(|item| item.trim_matches('\n'))
        .filter(|item| !item.is_empty())
        .collect();
    format!("{header}{}\n", items.join("\n\n\n"))
}

/// The module docstring: the channel and what it carries.
fn module_docstring(catalog: &Catalog) -> String {
    syntax::docstring(
        "",
        &format!(
            "Events of the `{}` channel.\n\n{}",
            catalog.channel,
            catalog.description.trim()
        ),
    )
}

/// `import json` and what the module's items take from `typing`.
fn imports(body: &[String]) -> String {
    // Each name as the module uses it (subscripted, called, or a base), so
    // a word in a docstring imports nothing unused.
    let uses: [(&str, &[&str]); 7] = [
        ("Final", &["Final"]),
        ("Literal", &["Literal["]),
        ("NotRequired", &["NotRequired["]),
        ("TypeAlias", &[": TypeAlias = "]),
        ("TypedDict", &["TypedDict(", "(TypedDict)"]),
        ("Union", &["Union["]),
        ("cast", &["cast("]),
    ];
    // Classes before functions, as isort orders them.
    let names: Vec<&str> = uses
        .iter()
        .filter(|(_, forms)| {
            forms
                .iter()
                .any(|form| body.iter().any(|item| item.contains(form)))
        })
        .map(|(name, _)| *name)
        .collect();
    // At most seven short names: the line always fits.
    format!("import json\nfrom typing import {}\n", names.join(", "))
}

/// `PROTOCOL_VERSION` and `CHANNEL`.
fn constants(catalog: &Catalog) -> String {
    format!(
        "PROTOCOL_VERSION: Final = {}\n\
         \"\"\"The envelope's wire version this module was generated for.\"\"\"\n\n\
         CHANNEL: Final = {}\n\
         \"\"\"The channel these events travel on.\"\"\"\n",
        catalog.protocol_version,
        syntax::string_literal(&catalog.channel)
    )
}

/// `encode`: the compact wire JSON of any message, keys in the dict's order.
fn encoder(catalog: &Catalog, families: &[Family]) -> String {
    let unions: Vec<&str> = families
        .iter()
        .map(|family| family.union.as_str())
        .collect();
    let mut body = String::new();
    let value = match &catalog.envelope.payload_field {
        // An empty payload is left out, as the other generated encoders do.
        Some(field) if catalog.envelope.omit_empty_payload => {
            let field = syntax::string_literal(field);
            body.push_str(&format!(
                "    wire: dict[str, object] = dict(message)\n    \
                 if wire.get({field}) == {{}}:\n        \
                 del wire[{field}]\n"
            ));
            "wire"
        }
        _ => "message",
    };
    format!(
        "def encode(message: {}) -> str:\n    \
         \"\"\"The wire JSON of a message: compact, keys in the dict's order.\"\"\"\n\
         {body}    \
         return json.dumps({value}, separators=(\",\", \":\"), ensure_ascii=False)\n",
        unions.join(" | ")
    )
}

#[cfg(test)]
mod tests;
