//! The Rust crate: payload types, the event enum, the fieldless event-type
//! enum with its metadata, and the envelope that reads and writes the exact
//! wire JSON. Built as token streams and formatted by prettyplease.

use std::collections::HashMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{Catalog, Field, NamedType, Stability, Ty, TypeId, TypeKind};
use crate::render::header;

/// `Cargo.toml` of the generated crate.
pub fn cargo_toml(catalog: &Catalog) -> String {
    format!(
        "{}[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\nrust-version = \"1.89\"\ndescription = \"{} channel events, generated from the event catalog\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n[dependencies]\nserde = {{ version = \"1.0.228\", features = [\"derive\"] }}\nserde_json = \"1.0.145\"\n",
        header("# "),
        toml_string_body(&catalog.outputs.rust_package),
        catalog.channel,
    )
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

/// `src/lib.rs` of the generated crate: the crate docs and the channel
/// module, kept out of rustfmt's reach so `cargo fmt` never fights the
/// generator's own (prettyplease) formatting.
pub fn lib_rs(catalog: &Catalog) -> String {
    let docs = crate_docs(catalog)
        .iter()
        .map(|line| format!("//!{line}\n"))
        .collect::<String>();
    let module = module_name(catalog);
    format!(
        "{}{docs}\n#[rustfmt::skip]\nmod {module};\n\npub use {module}::*;\n",
        header("// ")
    )
}

/// The file name of the channel module, e.g. `board.rs`.
pub fn module_file(catalog: &Catalog) -> String {
    // `mod self_;` (a channel named like a keyword) reads `self_.rs`;
    // `mod r#type;` reads `type.rs`.
    format!("{}.rs", module_name(catalog).trim_start_matches("r#"))
}

fn module_name(catalog: &Catalog) -> String {
    crate::schema::field_ident(&catalog.channel)
}

/// The channel module, formatted by prettyplease.
pub fn module_rs(catalog: &Catalog) -> Result<String, String> {
    check_identifiers(catalog)?;
    let tokens = module_tokens(catalog);
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| format!("generated Rust does not parse: {error}"))?;
    Ok(format!(
        "{}{}",
        header("// "),
        space_items(&prettyplease::unparse(&file))
    ))
}

/// prettyplease separates nothing; put one blank line between top-level
/// items (and after the imports) so the file reads well.
fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(index + 1) else {
            continue;
        };
        let is_use = line.starts_with("use ");
        let top_level_end =
            line.starts_with('}') || (line.ends_with(';') && !line.starts_with(' '));
        let ends_block = (is_use && !next.starts_with("use ")) || (top_level_end && !is_use);
        if ends_block && !next.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn crate_docs(catalog: &Catalog) -> Vec<String> {
    doc_lines(&format!(
        "Events of the `{}` channel.\n\n{}\n\nEvery message is the envelope `{{\"{}\": {}, \"{}\": \"<name>\", \"{}\": {{...}}}}`: \
         parse it with [`{}::from_json`], build one with [`{}::new`].",
        catalog.channel,
        catalog.description,
        catalog.envelope.version_field,
        catalog.protocol_version,
        catalog.envelope.type_field,
        catalog.envelope.payload_field,
        catalog.type_name("Envelope"),
        catalog.type_name("Envelope"),
    ))
}

fn module_tokens(catalog: &Catalog) -> TokenStream {
    let channel = &catalog.channel;
    let protocol_version = Literal::u32_unsuffixed(catalog.protocol_version);
    let types = catalog.types.iter().map(|ty| named_type(catalog, ty));
    let helpers = uses_double_option(catalog).then(double_option_helper);
    let metadata = metadata_types();
    let event_type = event_type_enum(catalog);
    let event = event_enum(catalog);
    let envelope = envelope(catalog);
    quote! {
        use std::fmt;
        use std::str::FromStr;

        use serde::{Deserialize, Serialize};

        /// The envelope's wire version this crate reads and writes.
        pub const PROTOCOL_VERSION: u32 = #protocol_version;

        /// The channel these events travel on.
        pub const CHANNEL: &str = #channel;

        #(#types)*
        #helpers
        #metadata
        #event_type
        #event
        #envelope
    }
}

/// An identifier of the model as a Rust identifier. `Self` (the UpperCamelCase
/// of `self`) is a keyword that cannot be raw, so it becomes `Self_`: no other
/// generated name ends in `_`, so it cannot collide.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None if name == "Self" => Ident::new("Self_", Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
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

/// One `#[doc]` line per text line, each with the leading space rustdoc expects.
///
/// Catalog text is prose, never code: rustdoc would compile and run a fenced
/// (```` ``` ````, `~~~`) or indented code block as a doctest, so fences are
/// escaped and deep indentation is dropped. A lone carriage return ends a
/// line too: rustc rejects a bare CR in a doc comment.
fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(|line| {
            let line = line.trim_end();
            let body = line.trim_start();
            if body.is_empty() {
                String::new()
            } else if body.starts_with("```") || body.starts_with("~~~") {
                format!(" \\{body}")
            } else if line.len() - body.len() >= 4 {
                format!(" {body}")
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

fn docs(text: Option<&str>) -> TokenStream {
    let lines = text.map(doc_lines).unwrap_or_default();
    quote!(#(#[doc = #lines])*)
}

fn rust_type(catalog: &Catalog, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String(_) => quote!(String),
        Ty::Integer { unsigned: true } => quote!(u64),
        Ty::Integer { unsigned: false } => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Array(inner) => {
            let inner = rust_type(catalog, inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(catalog, inner);
            quote!(std::collections::BTreeMap<String, #inner>)
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
    }
}

fn named_type(catalog: &Catalog, ty: &NamedType) -> TokenStream {
    let name = ident(&ty.name);
    let doc = docs(ty.description.as_deref());
    match &ty.kind {
        TypeKind::Struct(object) => {
            let fields = object
                .fields
                .iter()
                .map(|field| struct_field(catalog, field));
            let deny = object
                .deny_unknown
                .then(|| quote!(#[serde(deny_unknown_fields)]));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #deny
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum(values) => {
            let variants = values.variants.iter().map(|variant| {
                let variant_ident = ident(&variant.ident);
                let wire = &variant.value;
                // Control characters (line breaks) cannot stand in a doc comment.
                let shown: String = wire
                    .chars()
                    .map(|c| {
                        if c.is_control() {
                            c.escape_default().to_string()
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
                let doc = format!(" `{shown}`");
                quote! {
                    #[doc = #doc]
                    #[serde(rename = #wire)]
                    #variant_ident,
                }
            });
            let arms = values.variants.iter().map(|variant| {
                let variant_ident = ident(&variant.ident);
                let wire = &variant.value;
                quote!(Self::#variant_ident => #wire,)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
                pub enum #name {
                    #(#variants)*
                }

                impl #name {
                    /// The value as it appears on the wire.
                    pub const fn as_str(self) -> &'static str {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            }
        }
        TypeKind::Union(union) => {
            let tag = &union.tag;
            let variants = union.variants.iter().map(|variant| {
                let variant_ident = ident(&variant.ident);
                let fields = ident(&catalog.ty(variant.fields).name);
                let wire = &variant.value;
                let doc = docs(catalog.ty(variant.fields).description.as_deref());
                quote! {
                    #doc
                    #[serde(rename = #wire)]
                    #variant_ident(#fields),
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(tag = #tag)]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
        TypeKind::Alias(target) => {
            let target = rust_type(catalog, target);
            quote! {
                #doc
                pub type #name = #target;
            }
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
    let nullable = matches!(field.ty, Ty::Nullable(_));
    let (ty, attrs) = match (field.required, nullable) {
        (true, false) => (inner, quote!()),
        // Present but possibly null: a missing key is still an error.
        (true, true) => (
            inner,
            quote!(#[serde(deserialize_with = "Option::deserialize")]),
        ),
        (false, false) => (
            quote!(Option<#inner>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
        ),
        // Absent (outer None) differs from null (Some(None)).
        (false, true) => (
            quote!(Option<#inner>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "double_option")]),
        ),
    };
    quote! {
        #doc
        #rename
        #attrs
        pub #name: #ty,
    }
}

fn uses_double_option(catalog: &Catalog) -> bool {
    catalog.types.iter().any(|ty| match &ty.kind {
        TypeKind::Struct(object) => object
            .fields
            .iter()
            .any(|field| !field.required && matches!(field.ty, Ty::Nullable(_))),
        _ => false,
    })
}

fn double_option_helper() -> TokenStream {
    quote! {
        /// Reads an optional nullable field: a present key (even `null`) is `Some`.
        fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
        where
            T: Deserialize<'de>,
            D: serde::Deserializer<'de>,
        {
            Option::<T>::deserialize(deserializer).map(Some)
        }
    }
}

fn metadata_types() -> TokenStream {
    quote! {
        /// Whether an event is part of the frozen public contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Stability {
            /// Renaming or removing it is a breaking change.
            Frozen,
            /// May still change.
            Experimental,
        }

        /// What the catalog says about an event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct EventMetadata {
            /// The wire name.
            pub name: &'static str,
            /// The resource the event is about.
            pub resource: &'static str,
            /// The webhook counterpart, or `None` when WebSocket-only.
            pub webhook: Option<&'static str>,
            /// The version that first shipped the event.
            pub since: &'static str,
            /// Frozen or experimental.
            pub stability: Stability,
            /// Why the name predates the naming rule, if it does.
            pub grandfathered: Option<&'static str>,
            /// Former names the parser still accepts for this event.
            pub aliases: &'static [&'static str],
            /// The deprecation note, if deprecated.
            pub deprecated: Option<&'static str>,
            /// What happened.
            pub description: &'static str,
        }

        /// An event type this version of the catalog does not know.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownEventType(pub String);

        impl fmt::Display for UnknownEventType {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "unknown event type `{}` on channel `{}`", self.0, CHANNEL)
            }
        }

        impl std::error::Error for UnknownEventType {}

        /// Why an envelope could not be read.
        #[derive(Debug)]
        pub enum EnvelopeError {
            /// The envelope is well-formed but names an event this crate does not know
            /// (a newer server, typically): skip it.
            UnknownEventType(UnknownEventType),
            /// The JSON is malformed or does not match the event's payload type.
            Json(serde_json::Error),
        }

        impl fmt::Display for EnvelopeError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::UnknownEventType(error) => error.fmt(f),
                    Self::Json(error) => write!(f, "invalid envelope: {error}"),
                }
            }
        }

        impl std::error::Error for EnvelopeError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::UnknownEventType(error) => Some(error),
                    Self::Json(error) => Some(error),
                }
            }
        }
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

fn event_type_enum(catalog: &Catalog) -> TokenStream {
    let name = ident(&catalog.type_name("EventType"));
    let count = catalog.events.len();
    let variants = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        let doc = format!(" `{}`: {}", event.name, first_sentence(&event.description));
        quote!(#[doc = #doc] #variant,)
    });
    let all = catalog.events.iter().map(|event| ident(&event.ident));
    let names = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        let wire = &event.name;
        quote!(Self::#variant => #wire,)
    });
    let webhooks = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        let webhook = opt_str(event.webhook.as_deref());
        quote!(Self::#variant => #webhook,)
    });
    // Former names (after a recorded rename) parse to the event they became.
    let parse = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        let wire = &event.name;
        let aliases = &event.aliases;
        quote!(#wire #(| #aliases)* => Ok(Self::#variant),)
    });
    let metadata = catalog.events.iter().map(|event| {
        let wire = &event.name;
        let resource = &event.resource;
        let webhook = opt_str(event.webhook.as_deref());
        let since = &event.since;
        let stability = match event.stability {
            Stability::Frozen => quote!(Stability::Frozen),
            Stability::Experimental => quote!(Stability::Experimental),
        };
        let grandfathered = opt_str(event.grandfathered.as_deref());
        let aliases = &event.aliases;
        let deprecated = opt_str(event.deprecated.as_deref());
        let description = &event.description;
        quote! {
            EventMetadata {
                name: #wire,
                resource: #resource,
                webhook: #webhook,
                since: #since,
                stability: #stability,
                grandfathered: #grandfathered,
                aliases: &[#(#aliases),*],
                deprecated: #deprecated,
                description: #description,
            },
        }
    });
    let count_lit = Literal::usize_unsuffixed(count);
    quote! {
        /// The name of every event on this channel, without its payload.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
        }

        static EVENT_METADATA: [EventMetadata; #count_lit] = [#(#metadata)*];

        impl #name {
            /// Every event type, in catalog order.
            pub const ALL: [#name; #count_lit] = [#(Self::#all),*];

            /// The wire name, e.g. `task_created`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#names)*
                }
            }

            /// The webhook counterpart, or `None` when the event is WebSocket-only.
            pub const fn webhook_name(self) -> Option<&'static str> {
                match self {
                    #(#webhooks)*
                }
            }

            /// Everything the catalog says about the event.
            pub fn metadata(self) -> &'static EventMetadata {
                &EVENT_METADATA[self as usize]
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for #name {
            type Err = UnknownEventType;

            fn from_str(name: &str) -> Result<Self, UnknownEventType> {
                match name {
                    #(#parse)*
                    other => Err(UnknownEventType(other.to_string())),
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                name.parse().map_err(serde::de::Error::custom)
            }
        }
    }
}

fn first_sentence(text: &str) -> String {
    // A lone `\r` ends the line too: rustc rejects a bare CR in a doc comment.
    let line = text.split(['\n', '\r']).next().unwrap_or_default();
    match line.find(". ") {
        Some(end) => line[..=end].to_string(),
        None => line.to_string(),
    }
}

fn event_enum(catalog: &Catalog) -> TokenStream {
    let name = ident(&catalog.type_name("Event"));
    let type_name = ident(&catalog.type_name("EventType"));
    let tag = &catalog.envelope.type_field;
    let content = &catalog.envelope.payload_field;
    let variants = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        let payload = ident(&catalog.ty(event.payload).name);
        let wire = &event.name;
        let doc = docs(Some(&event.description));
        let deprecated = event
            .deprecated
            .as_ref()
            .map(|note| quote!(#[deprecated = #note]));
        // Former names (after a recorded rename) still deserialize.
        let aliases = &event.aliases;
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire #(, alias = #aliases)*)]
            #variant(#payload),
        }
    });
    let kinds = catalog.events.iter().map(|event| {
        let variant = ident(&event.ident);
        quote!(Self::#variant(_) => #type_name::#variant,)
    });
    // `From<Payload>` only where a payload type belongs to one event.
    let mut uses: HashMap<TypeId, usize> = HashMap::new();
    for event in &catalog.events {
        *uses.entry(event.payload).or_default() += 1;
    }
    let any_deprecated = catalog
        .events
        .iter()
        .any(|event| event.deprecated.is_some());
    let allow = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    let froms = catalog
        .events
        .iter()
        .filter(|event| uses[&event.payload] == 1)
        .map(|event| {
            let variant = ident(&event.ident);
            let payload = ident(&catalog.ty(event.payload).name);
            quote! {
                #allow
                impl From<#payload> for #name {
                    fn from(payload: #payload) -> Self {
                        Self::#variant(payload)
                    }
                }
            }
        });
    quote! {
        /// An event with its payload.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = #tag, content = #content)]
        #allow
        pub enum #name {
            #(#variants)*
        }

        #allow
        impl #name {
            /// The event's type.
            pub fn event_type(&self) -> #type_name {
                match self {
                    #(#kinds)*
                }
            }

            /// Builds an event from its type and a JSON payload, as emitters
            /// migrating from string event names have them.
            pub fn from_payload(event_type: #type_name, payload: serde_json::Value) -> Result<Self, serde_json::Error> {
                serde::de::DeserializeSeed::deserialize(PayloadSeed(event_type), payload)
            }
        }

        #(#froms)*
    }
}

fn envelope(catalog: &Catalog) -> TokenStream {
    let envelope = ident(&catalog.type_name("Envelope"));
    let event = ident(&catalog.type_name("Event"));
    let event_type = ident(&catalog.type_name("EventType"));
    let version_field = &catalog.envelope.version_field;
    let type_field = &catalog.envelope.type_field;
    let payload_field = &catalog.envelope.payload_field;
    let expecting = format!("a `{}` channel envelope", catalog.channel);
    let serialize_arms = catalog.events.iter().map(|event_def| {
        let variant = ident(&event_def.ident);
        quote!(#event::#variant(payload) => map.serialize_entry(#payload_field, payload)?,)
    });
    let seed_arms = catalog.events.iter().map(|event_def| {
        let variant = ident(&event_def.ident);
        quote!(#event_type::#variant => #event::#variant(Deserialize::deserialize(deserializer)?),)
    });
    let allow = catalog
        .events
        .iter()
        .any(|event| event.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        /// The message on the wire:
        /// the protocol version, the event type and the payload.
        #[derive(Debug, Clone, PartialEq)]
        pub struct #envelope {
            /// The envelope's wire version.
            pub protocol_version: u32,
            /// The event and its payload.
            pub event: #event,
        }

        impl #envelope {
            /// Wraps an event (or a payload) at the current [`PROTOCOL_VERSION`].
            pub fn new(event: impl Into<#event>) -> Self {
                Self { protocol_version: PROTOCOL_VERSION, event: event.into() }
            }

            /// Reads an envelope. An unknown event type is
            /// [`EnvelopeError::UnknownEventType`], so a client can skip events
            /// that a newer server sends.
            pub fn from_json(text: &str) -> Result<Self, EnvelopeError> {
                match serde_json::from_str::<Parsed>(text) {
                    Ok(Parsed::Known(envelope)) => Ok(envelope),
                    Ok(Parsed::Unknown(name)) => Err(EnvelopeError::UnknownEventType(UnknownEventType(name))),
                    Err(error) => Err(EnvelopeError::Json(error)),
                }
            }

            /// Writes the envelope as compact JSON.
            pub fn to_json(&self) -> Result<String, serde_json::Error> {
                serde_json::to_string(self)
            }
        }

        impl From<#event> for #envelope {
            fn from(event: #event) -> Self {
                Self::new(event)
            }
        }

        #allow
        impl Serialize for #envelope {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry(#version_field, &self.protocol_version)?;
                map.serialize_entry(#type_field, self.event.event_type().as_str())?;
                match &self.event {
                    #(#serialize_arms)*
                }
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for #envelope {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match Parsed::deserialize(deserializer)? {
                    Parsed::Known(envelope) => Ok(envelope),
                    Parsed::Unknown(name) => Err(serde::de::Error::custom(UnknownEventType(name))),
                }
            }
        }

        /// An envelope whose event type may be unknown.
        enum Parsed {
            Known(#envelope),
            Unknown(String),
        }

        /// The envelope's keys; others are skipped for forward compatibility.
        enum Key {
            Version,
            Type,
            Payload,
            Other,
        }

        impl<'de> Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct KeyVisitor;

                impl serde::de::Visitor<'_> for KeyVisitor {
                    type Value = Key;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an envelope key")
                    }

                    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                        Ok(match key {
                            #version_field => Key::Version,
                            #type_field => Key::Type,
                            #payload_field => Key::Payload,
                            _ => Key::Other,
                        })
                    }
                }

                deserializer.deserialize_identifier(KeyVisitor)
            }
        }

        /// The event type, or the unknown name as it was sent.
        enum TypeName {
            Known(#event_type),
            Unknown(String),
        }

        impl<'de> Deserialize<'de> for TypeName {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(match name.parse() {
                    Ok(known) => TypeName::Known(known),
                    Err(UnknownEventType(name)) => TypeName::Unknown(name),
                })
            }
        }

        /// Reads the payload of a known event type.
        struct PayloadSeed(#event_type);

        #allow
        impl<'de> serde::de::DeserializeSeed<'de> for PayloadSeed {
            type Value = #event;

            fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<#event, D::Error> {
                Ok(match self.0 {
                    #(#seed_arms)*
                })
            }
        }

        impl<'de> Deserialize<'de> for Parsed {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(ParsedVisitor)
            }
        }

        struct ParsedVisitor;

        impl<'de> serde::de::Visitor<'de> for ParsedVisitor {
            type Value = Parsed;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(#expecting)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
                use serde::de::{DeserializeSeed, Error};
                let mut version: Option<u32> = None;
                let mut name: Option<TypeName> = None;
                let mut event: Option<#event> = None;
                // A payload that arrives before the event type waits here.
                let mut early_payload: Option<serde_json::Value> = None;
                let mut skipped_payload = false;
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Version => {
                            if version.is_some() {
                                return Err(A::Error::duplicate_field(#version_field));
                            }
                            version = Some(map.next_value()?);
                        }
                        Key::Type => {
                            if name.is_some() {
                                return Err(A::Error::duplicate_field(#type_field));
                            }
                            let read: TypeName = map.next_value()?;
                            if let (TypeName::Known(known), Some(payload)) = (&read, early_payload.take()) {
                                event = Some(PayloadSeed(*known).deserialize(payload).map_err(A::Error::custom)?);
                            }
                            name = Some(read);
                        }
                        Key::Payload => {
                            if event.is_some() || early_payload.is_some() || skipped_payload {
                                return Err(A::Error::duplicate_field(#payload_field));
                            }
                            match &name {
                                Some(TypeName::Known(known)) => event = Some(map.next_value_seed(PayloadSeed(*known))?),
                                Some(TypeName::Unknown(_)) => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                    skipped_payload = true;
                                }
                                None => early_payload = Some(map.next_value()?),
                            }
                        }
                        Key::Other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let protocol_version = version.ok_or_else(|| A::Error::missing_field(#version_field))?;
                match name.ok_or_else(|| A::Error::missing_field(#type_field))? {
                    TypeName::Unknown(name) => Ok(Parsed::Unknown(name)),
                    TypeName::Known(_) => {
                        let event = event.ok_or_else(|| A::Error::missing_field(#payload_field))?;
                        Ok(Parsed::Known(#envelope { protocol_version, event }))
                    }
                }
            }
        }
    }
}
