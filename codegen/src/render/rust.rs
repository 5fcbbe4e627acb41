//! The Rust crate: payload types, the event enum, the fieldless event-type
//! enum with its metadata, and the envelope that reads and writes the exact
//! wire JSON. Built as token streams and formatted by prettyplease.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::rust_tokens::{doc_lines, docs, ident};
use super::serde_rename;
use crate::checks::Checks;
use crate::model::{
    Catalog, Field, ManifestValue, NamedType, RustCrate, StringEnum, Struct, Ty, TypeKind, Union,
    UntaggedVariant,
};
use crate::render::items::{Items, rust_texts};
use crate::render::{
    envelope_sketch, header, rust_checks, rust_messages, rust_reading, rust_support,
};

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

/// The channel module: its imports and constants, the named types, then
/// each family's items, each top-level item formatted by prettyplease.
pub fn module_rs(catalog: &Catalog, checks: &Checks) -> Result<String, String> {
    check_identifiers(catalog)?;
    let mut items = Items::new();
    items.push_rust(imports(catalog))?;
    items.push_rust_all(constants(catalog))?;
    // The named types are most of the module: formatted on every core.
    items.push_all_formatted(crate::parallel::map_in_order(&catalog.types, |ty| {
        rust_texts(named_type(catalog, ty))
    }))?;
    items.push_rust_all(rust_messages::fields_default(catalog))?;
    for family in rust_messages::families(catalog) {
        items.push_rust_all(rust_messages::family_items(catalog, &family))?;
    }
    let checks = checks.through_references();
    items.push_rust_all(rust_checks::items(catalog, &checks))?;
    items.push(rust_checks::table(&checks));
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
        let name = if name == "Self" { "Self_" } else { name };
        if syn::parse_str::<Ident>(name).is_err() {
            return Err(format!(
                "`{name}` is not a Rust identifier; rename the definition, `title`, property, event or enum value it comes from"
            ));
        }
    }
    Ok(())
}

/// The Rust type of a field or alias.
pub(super) fn rust_type(catalog: &Catalog, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String(_) => quote!(String),
        Ty::Integer { unsigned: true, .. } => quote!(u64),
        Ty::Integer {
            unsigned: false, ..
        } => quote!(i64),
        // The number as it came, so `5679898` is not written back as `5679898.0`.
        Ty::Number => quote!(serde_json::Number),
        Ty::Boolean => quote!(bool),
        Ty::Array(inner) => {
            let inner = rust_type(catalog, inner);
            quote!(Vec<#inner>)
        }
        // A free-form object keeps its keys in the order they came.
        Ty::Map(inner) if **inner == Ty::Json => {
            quote!(serde_json::Map<String, serde_json::Value>)
        }
        // So does a typed one: a message is written back as it came.
        Ty::Map(inner) => {
            let inner = rust_type(catalog, inner);
            quote!(indexmap::IndexMap<String, #inner>)
        }
        Ty::Named(id) => {
            let name = ident(&catalog.ty(*id).name);
            quote!(#name)
        }
        Ty::Nullable(inner) => {
            let inner = rust_type(catalog, inner);
            quote!(Option<#inner>)
        }
        Ty::Json => quote!(serde_json::Value),
        // Only `null`: `None`, so an optional one keeps absent and `null` apart.
        Ty::Null => quote!(Option<()>),
    }
}

/// A named type's items: its definition, and for string enums their `as_str`.
fn named_type(catalog: &Catalog, ty: &NamedType) -> Vec<TokenStream> {
    let name = ident(&ty.name);
    let doc = docs(ty.description.as_deref());
    match &ty.kind {
        TypeKind::Struct(object) => {
            let mut items = vec![struct_type(catalog, &name, doc, object)];
            items.extend(rust_reading::object_impls(catalog, &ty.name, object));
            items
        }
        TypeKind::Enum(values) => {
            let mut items = string_enum(&name, doc, values).to_vec();
            items.extend(rust_reading::string_enum_impls(&ty.name, values));
            items
        }
        TypeKind::Union(union) => vec![union_type(catalog, &name, doc, union)],
        TypeKind::Untagged(variants) => vec![untagged_type(catalog, &name, doc, variants)],
        // Rust has no literal types: the values' type, the values in its docs.
        TypeKind::Literals(literals) => {
            let base = rust_type(catalog, &literals.base);
            let values: Vec<String> = literals
                .values
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| format!("`{value}`"))
                .collect();
            let values = format!(" One of: {}.", values.join(", "));
            vec![quote! {
                #doc
                #[doc = #values]
                pub type #name = #base;
            }]
        }
        TypeKind::Alias(target) => {
            let target = rust_type(catalog, target);
            vec![quote! {
                #doc
                pub type #name = #target;
            }]
        }
    }
}

fn struct_type(catalog: &Catalog, name: &Ident, doc: TokenStream, object: &Struct) -> TokenStream {
    let fields = object
        .fields
        .iter()
        .map(|field| struct_field(catalog, field));
    let extra = object.extra.as_deref().map(|extra| {
        let extra = ident(extra);
        quote! {
            /// Keys the schema does not list, kept as they came so the
            /// message passes through unchanged.
            #[serde(flatten)]
            pub #extra: serde_json::Map<String, serde_json::Value>,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize)]
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

/// A string enum and its `as_str`, which is also how it is written.
fn string_enum(name: &Ident, doc: TokenStream, values: &StringEnum) -> [TokenStream; 3] {
    let variants = values.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.ident);
        let doc = format!(" `{}`", shown_in_doc(&variant.value));
        quote! {
            #[doc = #doc]
            #variant_ident,
        }
    });
    let arms = values.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.ident);
        let wire = &variant.value;
        quote!(Self::#variant_ident => #wire,)
    });
    [
        quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variants)*
            }
        },
        quote! {
            impl #name {
                /// The value as it appears on the wire.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        #(#arms)*
                    }
                }
            }
        },
        quote! {
            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        },
    ]
}

/// A wire value as a doc comment can show it: control characters (line
/// breaks) cannot stand in one, so they are escaped.
fn shown_in_doc(wire: &str) -> String {
    wire.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A `oneOf` with a discriminator: an internally tagged enum.
fn union_type(catalog: &Catalog, name: &Ident, doc: TokenStream, union: &Union) -> TokenStream {
    let tag = &union.tag;
    let naming = serde_rename::Naming::of(
        union
            .variants
            .iter()
            .map(|variant| (ident(&variant.ident).to_string(), variant.value.as_str())),
    );
    let rename_all = naming.rule().map(|rule| quote!(, rename_all = #rule));
    let variants = union.variants.iter().enumerate().map(|(index, variant)| {
        let variant_ident = ident(&variant.ident);
        let fields = ident(&catalog.ty(variant.fields).name);
        let wire = &variant.value;
        let doc = docs(catalog.ty(variant.fields).description.as_deref());
        let rename = naming
            .needs_rename(index)
            .then(|| quote!(#[serde(rename = #wire)]));
        quote! {
            #doc
            #rename
            #variant_ident(#fields),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = #tag #rename_all)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A `oneOf`/`anyOf` without a discriminator: serde tries the variants in
/// order and takes the first that reads the value.
fn untagged_type(
    catalog: &Catalog,
    name: &Ident,
    doc: TokenStream,
    variants: &[UntaggedVariant],
) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let ident = ident(&variant.ident);
        let ty = rust_type(catalog, &variant.ty);
        quote!(#ident(#ty),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A field; `Option` carries optionality and nullability so the wire form
/// survives a round trip: absent stays absent, `null` stays `null`.
fn struct_field(catalog: &Catalog, field: &Field) -> TokenStream {
    let name = ident(&field.rust_ident);
    let doc = docs(field.description.as_deref());
    let plain = field.rust_ident.trim_start_matches("r#") == field.name;
    let wire = &field.name;
    let rename = (!plain).then(|| quote!(#[serde(rename = #wire)]));
    let inner = rust_type(catalog, &field.ty);
    // Read by `support::Object` (see `rust_reading`): only serde's
    // writing attributes here.
    let (ty, attrs) = if field.required {
        (inner, quote!())
    } else {
        (
            quote!(Option<#inner>),
            quote!(#[serde(skip_serializing_if = "Option::is_none")]),
        )
    };
    quote! {
        #doc
        #rename
        #attrs
        pub #name: #ty,
    }
}
