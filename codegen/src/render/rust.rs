//! The Rust crate: payload types, the event enum, the fieldless event-type
//! enum with its metadata, and the envelope that reads and writes the exact
//! wire JSON. The per-type items (most of the module) are written as text
//! in prettyplease's layout ([`super::rust_types`], [`super::rust_checks`]);
//! the per-family items are still token streams formatted by prettyplease.

use crate::contents::Contents;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust_text::doc_lines;
use super::rust_tokens::ident;
use crate::checks::Checks;
use crate::model::{Catalog, ManifestValue, RustCrate, TypeKind};
use crate::render::items::Items;
use crate::render::rust_doubles::{self, Doubles};
use crate::render::{
    envelope_sketch, header, rust_checks, rust_messages, rust_support, rust_types,
};
use crate::timing::stage;

/// Type names the crate defines after the channel (`BoardEvent`, ...).
pub const RESERVED_SUFFIXES: &[&str] = &[
    "Event",
    "EventType",
    "Envelope",
    "Command",
    "CommandType",
    "CommandEnvelope",
];

/// Names the channel module defines or uses unqualified (the support
/// module's types it imports, the prelude, serde, std).
pub const RESERVED: &[&str] = &[
    "EventMetadata",
    "Stability",
    "UnknownEventType",
    "EnvelopeError",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Serialize",
    "Deserialize",
    "FromStr",
];

/// `Cargo.toml` of the generated crate: the package keys the catalog sets
/// or the workspace lends, and the dependencies the code needs.
pub fn cargo_toml(catalog: &Catalog, rust: &RustCrate, checks: &Checks) -> String {
    let mut out = header(catalog, "# ");
    out.push_str("[package]\n");
    out.push_str(&format!("name = \"{}\"\n", toml_string_body(&rust.package)));
    for (key, value) in &rust.manifest {
        let line = match value {
            ManifestValue::Text(text) => format!("{key} = \"{}\"\n", toml_string_body(text)),
            ManifestValue::Flag(flag) => format!("{key} = {flag}\n"),
            ManifestValue::Workspace => format!("{key}.workspace = true\n"),
        };
        out.push_str(&line);
    }
    out.push_str(&format!(
        "description = \"{} channel events, generated from the event catalog\"\n\n\
         [dependencies]\n\
         # Finds the end of a message's type name; serde_json depends on it too.\n\
         memchr = \"2.7\"\n\
         serde = {{ version = \"1.0.228\", features = [\"derive\"] }}\n",
        toml_string_body(&catalog.channel),
    ));
    out.push_str(if catalog.has_free_form_objects() {
        "# Free-form objects keep their keys in the order they came.\n\
         serde_json = { version = \"1.0.145\", features = [\"preserve_order\"] }\n"
    } else {
        "serde_json = \"1.0.145\"\n"
    });
    if !checks.patterns.is_empty() {
        out.push_str(
            "# The schemas' patterns, checked by the validator.\n\
             regex-lite = \"0.1.8\"\n",
        );
    }
    if catalog.has_typed_maps() {
        out.push_str(
            "# Maps keep their keys in the order they came.\n\
             indexmap = { version = \"2.12\", features = [\"serde\"] }\n",
        );
    }
    out
}

/// Text for inside a TOML basic string: quotes, backslashes and control
/// characters escaped, so a catalog value cannot add keys to `Cargo.toml`.
fn toml_string_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `src/lib.rs` of the generated crate: the crate docs, the channel module
/// and the support module (eventcat's own code, the same in every crate),
/// both kept out of rustfmt's reach so `cargo fmt` never fights the
/// generator's formatting.
pub fn lib_rs(catalog: &Catalog) -> String {
    let docs = crate_docs(catalog)
        .iter()
        .map(|line| format!("//!{line}\n"))
        .collect::<String>();
    let module = module_name(catalog);
    let support = rust_support::module_name(&module);
    format!(
        "{}{docs}\n#[rustfmt::skip]\nmod {module};\n\n\
         pub use {module}::*;\n\
         pub use eventcat_checks::ValidationError;\n\
         pub use {support}::{{EnvelopeError, EventMetadata, Stability, UnknownEventType}};\n\n\
         // eventcat's support code, the same in every generated crate: the\n\
         // types above and the envelope's reader and writer.\n{}\n\
         // The validator, the same in every generated crate: it walks the\n\
         // channel module's table of the catalog's schemas.\n{}",
        header(catalog, "// "),
        rust_support::inline_module(support),
        rust_support::inline_checks(),
    )
}

/// The file name of the channel module, e.g. `board.rs`.
pub fn module_file(catalog: &Catalog) -> String {
    // `mod self_;` (a channel named like a keyword) reads `self_.rs`;
    // `mod r#type;` reads `type.rs`.
    format!("{}.rs", module_name(catalog).trim_start_matches("r#"))
}

fn module_name(catalog: &Catalog) -> String {
    crate::names::field_ident(&catalog.channel)
}

/// The channel module: its imports and constants, the named types (a
/// double of another as an alias of it, [`rust_doubles`]), each family's
/// items, then validation's.
pub fn module_rs(catalog: &Catalog, checks: &Checks) -> Result<Contents, String> {
    check_identifiers(catalog)?;
    // The named types are most of the module: written on every core.
    let types = stage("rust: named types", || {
        crate::parallel::map_in_order(&catalog.types, |ty| rust_types::named_type(catalog, ty))
    });
    let checks = checks.through_references();
    let validation = stage("rust: checks", || rust_checks::items(catalog, &checks));
    let doubles = stage("rust: doubles", || {
        Doubles::find(catalog, &types, &validation.holds)
    });
    let mut items = Items::new();
    items.push_rust(imports(catalog))?;
    items.push_rust_all(constants(catalog))?;
    for (index, type_items) in types.into_iter().enumerate() {
        if let Some(original) = doubles.original(index) {
            let name = &catalog.types[index].name;
            let original = &catalog.types[original].name;
            items.push(rust_doubles::alias(name, original, &type_items[0]));
            continue;
        }
        for item in type_items {
            items.push_laid_out(item)?;
        }
    }
    stage("rust: messages", || -> Result<(), String> {
        items.push_rust_all(rust_messages::fields_default(catalog))?;
        for family in rust_messages::families(catalog) {
            rust_messages::push_family(catalog, &family, &mut items)?;
        }
        Ok(())
    })?;
    validation
        .first
        .into_iter()
        .for_each(|item| items.push(item));
    for (id, holds) in validation.holds {
        if doubles.original(id.0).is_none() {
            items.push(holds);
        }
    }
    validation
        .last
        .into_iter()
        .for_each(|item| items.push(item));
    for page in rust_checks::table(&checks) {
        items.push(page);
    }
    items.push_rust_all(rust_checks::patterns(&checks))?;
    Ok(items.finish(header(catalog, "// ")))
}

fn crate_docs(catalog: &Catalog) -> Vec<String> {
    doc_lines(&format!(
        "Events of the `{}` channel.\n\n{}\n\nEvery message is the envelope `{}`: \
         parse it with [`{}::from_json`], build one with [`{}::new`].",
        catalog.channel,
        catalog.description,
        envelope_sketch(catalog),
        catalog.type_name("Envelope"),
        catalog.type_name("Envelope"),
    ))
}

fn imports(catalog: &Catalog) -> TokenStream {
    // The generated code calls the support module `support` whatever its name.
    let support = ident(rust_support::module_name(&module_name(catalog)));
    let support_self = if support == "support" {
        quote!(self)
    } else {
        quote!(self as support)
    };
    quote! {
        use std::fmt;
        use std::str::FromStr;

        use serde::{Deserialize, Serialize};

        use crate::#support::{#support_self, EnvelopeError, EventMetadata, Stability, UnknownEventType};
        use crate::eventcat_checks::{self as checks, ValidationError};
    }
}

fn constants(catalog: &Catalog) -> [TokenStream; 2] {
    let channel = &catalog.channel;
    let protocol_version = Literal::u32_unsuffixed(catalog.protocol_version);
    [
        quote! {
            /// The envelope's wire version this crate reads and writes.
            pub const PROTOCOL_VERSION: u32 = #protocol_version;
        },
        quote! {
            /// The channel these events travel on.
            pub const CHANNEL: &str = #channel;
        },
    ]
}

/// Refuses (instead of panicking in [`ident`]) a model name that is no Rust
/// identifier, e.g. a type named by a `title` or definition that starts with
/// a digit.
fn check_identifiers(catalog: &Catalog) -> Result<(), String> {
    let mut names: Vec<&str> = Vec::new();
    for ty in &catalog.types {
        names.push(&ty.name);
        match &ty.kind {
            TypeKind::Struct(object) => {
                names.extend(object.fields.iter().map(|field| field.rust_ident.as_str()));
            }
            TypeKind::Enum(values) => {
                names.extend(values.variants.iter().map(|variant| variant.ident.as_str()));
            }
            TypeKind::Untagged(variants) => {
                names.extend(variants.iter().map(|variant| variant.ident.as_str()));
            }
            TypeKind::Literals(_) => {}
            TypeKind::Union(union) => {
                names.extend(union.variants.iter().map(|variant| variant.ident.as_str()));
            }
            TypeKind::Alias(_) => {}
        }
    }
    names.extend(catalog.events.iter().map(|event| event.ident.as_str()));
    for name in names {
        let name = super::rust_text::ident(name);
        if !super::rust_text::is_identifier(name) {
            return Err(format!(
                "`{name}` is not a Rust identifier; rename the definition, `title`, property, event or enum value it comes from"
            ));
        }
    }
    Ok(())
}
