//! The message families of the Rust crate: events (server → client) and
//! commands (client → server). Each family gets a fieldless type enum with
//! its metadata and attributes, the enum that carries payloads, and an
//! envelope. The envelope's reader and writer are the support module's
//! (`codegen/support/support.rs`); a family adds the table of its layout
//! (adjacent or flat, with or without a version field and fields of its own)
//! and the calls into it.

use std::collections::HashMap;
use std::fmt::Write;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::article;
use super::items::Items;
use super::rust_checks;
use super::rust_text;
use super::rust_tokens::{docs, ident, opt_str};
use super::rust_type_enum;
use crate::model::{
    AttributeValue, Catalog, Envelope, Event, Ty, TypeId, TypeKind, any_deprecated,
};

/// One direction's messages and the names of its generated items.
pub struct Family<'a> {
    pub(super) members: Vec<&'a Event>,
    /// `BoardEvent` / `BoardCommand`.
    pub(super) message: Ident,
    /// `BoardEventType` / `BoardCommandType`.
    pub(super) kind: Ident,
    /// `BoardEnvelope` / `BoardCommandEnvelope`.
    pub(super) envelope: Ident,
    /// The static metadata table.
    pub(super) metadata: Ident,
    /// The envelope field holding the message: `event` or `command`.
    pub(super) slot: Ident,
    /// `event` or `command`, for docs.
    pub(super) noun: &'static str,
}

/// The catalog's families, with the Rust identifiers of their items.
pub fn families(catalog: &Catalog) -> Vec<Family<'_>> {
    catalog
        .families()
        .into_iter()
        .map(|family| Family {
            message: ident(&family.message),
            kind: ident(&family.kind),
            envelope: ident(&family.envelope),
            metadata: format_ident!("{}_METADATA", family.noun.to_uppercase()),
            slot: format_ident!("{}", family.noun),
            noun: family.noun,
            members: family.members,
        })
        .collect()
}

/// Everything one family generates, one top-level item each: the type
/// enum and its metadata, the message enum, the envelope.
pub fn push_family(catalog: &Catalog, family: &Family, items: &mut Items) -> Result<(), String> {
    items.push(rust_type_enum::type_enum(family));
    for page in rust_type_enum::metadata_table(family) {
        items.push(page);
    }
    items.push(rust_type_enum::type_enum_impl(catalog, family)?);
    let [display, serialize, deserialize] = type_enum_traits(family);
    items.push_rust(display)?;
    items.push_laid_out(rust_type_enum::from_str_impl(family))?;
    items.push_rust_all([serialize, deserialize])?;
    items.push(message_enum_type(catalog, family));
    items.push_laid_out(message_enum_eq(family))?;
    items.push_laid_out(message_enum_impl(family))?;
    items.push_laid_out(message_enum_text(catalog, family))?;
    items.push_rust_all(serde_through(
        &family.message,
        quote!(support::write_message),
        quote!(support::read_message),
    ))?;
    for from in payload_froms(catalog, family) {
        items.push_laid_out(from)?;
    }
    items.push_rust_all(envelope(catalog, family))
}

/// `Display` and serde's traits for the type enum: the wire name
/// (`FromStr` is [`rust_type_enum::from_str_impl`]).
fn type_enum_traits(family: &Family) -> [TokenStream; 3] {
    let name = &family.kind;
    let expecting = format!("a{} {} type name", article(family.noun), family.noun);
    [
        quote! {
            impl fmt::Display for #name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(self.as_str())
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
        quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    support::deserialize_type(deserializer, #expecting)
                }
            }
        },
    ]
}

/// One `const fn` per catalog attribute: the members that differ from the
/// default are listed, every other one has the default.
pub(super) fn attribute_methods(catalog: &Catalog, family: &Family) -> TokenStream {
    let methods = catalog
        .attributes
        .iter()
        .enumerate()
        .map(|(index, attribute)| {
            let method = ident(&crate::names::field_ident(&attribute.name));
            let doc = docs(Some(&attribute.description));
            let ty = match attribute.default {
                AttributeValue::Boolean(_) => quote!(bool),
                AttributeValue::String(_) => quote!(&'static str),
                AttributeValue::Integer(_) => quote!(i64),
            };
            let mut groups: Vec<(&AttributeValue, Vec<Ident>)> = Vec::new();
            for event in &family.members {
                let value = &event.attributes[index];
                if *value == attribute.default {
                    continue;
                }
                let variant = ident(&event.ident);
                match groups.iter_mut().find(|(seen, _)| *seen == value) {
                    Some((_, variants)) => variants.push(variant),
                    None => groups.push((value, vec![variant])),
                }
            }
            let default = value_tokens(&attribute.default);
            let body = if groups.is_empty() {
                quote!(#default)
            } else if let AttributeValue::Boolean(flag) = attribute.default {
                // One group: the members whose flag is not the default.
                let variants = &groups[0].1;
                let negate = flag.then(|| quote!(!));
                quote!(#negate matches!(self, #(Self::#variants)|*))
            } else {
                let arms = groups.iter().map(|(value, variants)| {
                    let value = value_tokens(value);
                    quote!(#(Self::#variants)|* => #value,)
                });
                let rest = (groups.iter().map(|(_, v)| v.len()).sum::<usize>()
                    < family.members.len())
                .then(|| quote!(_ => #default,));
                quote!(match self { #(#arms)* #rest })
            };
            quote! {
                #doc
                pub const fn #method(self) -> #ty {
                    #body
                }
            }
        });
    quote!(#(#methods)*)
}

fn value_tokens(value: &AttributeValue) -> TokenStream {
    match value {
        AttributeValue::Boolean(flag) => quote!(#flag),
        AttributeValue::String(text) => quote!(#text),
        AttributeValue::Integer(number) => {
            let number = Literal::i64_unsuffixed(*number);
            quote!(#number)
        }
    }
}

/// `BoardEvent`: the message enum with its payloads. Written as text: a
/// variant per message, with its description as doc comment.
fn message_enum_type(catalog: &Catalog, family: &Family) -> String {
    let mut out = String::new();
    let doc = format!(
        " A{} {} with its payload.",
        article(family.noun),
        family.noun
    );
    rust_text::doc_line(&mut out, 0, &doc);
    // Payloads differ in size by nature; boxing them would cost every
    // message an allocation and every caller a `Box`.
    out.push_str(
        "#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
",
    );
    if any_deprecated(&family.members) {
        out.push_str("#[allow(deprecated)]\n");
    }
    let head = format!("pub enum {}", family.message);
    if family.members.is_empty() {
        rust_text::line(&mut out, 0, &format!("{head} {{}}"));
        return out;
    }
    rust_text::line(&mut out, 0, &format!("{head} {{"));
    for event in &family.members {
        rust_text::docs(&mut out, rust_text::INDENT, Some(&event.description));
        if let Some(note) = &event.deprecated {
            let attribute = format!("#[deprecated = {}]", rust_text::string(note));
            rust_text::line(&mut out, rust_text::INDENT, &attribute);
        }
        let variant = format!("{}(", rust_text::ident(&event.ident));
        let payload = [rust_text::ident(&catalog.ty(event.payload).name).to_string()];
        rust_text::list(
            &mut out,
            rust_text::INDENT,
            &variant,
            &payload,
            "),",
            rust_text::Lone::Plain,
        );
    }
    out.push_str("}\n");
    out
}

/// `PartialEq` for the message enum: equal messages have the same type and
/// equal payloads. The derive matches the pair `(self, other)`, which costs
/// the compiler time that grows with the square of the catalog, as would
/// a match of `other` in each arm; here each arm compares its payload with
/// `other`'s as `Any` ([`payload_any`]), so both matches are one arm per
/// message.
fn message_enum_eq(family: &Family) -> String {
    let mut out = String::new();
    if any_deprecated(&family.members) {
        out.push_str("#[allow(deprecated)]\n");
    }
    let _ = writeln!(out, "impl PartialEq for {} {{", family.message);
    match family.members.as_slice() {
        [] => out.push_str("    fn eq(&self, _: &Self) -> bool {\n        match *self {}\n    }\n"),
        [event] => {
            // One message: its pattern cannot fail, so there is no match.
            let variant = rust_text::ident(&event.ident);
            let _ = write!(
                out,
                "    fn eq(&self, other: &Self) -> bool {{\n        \
                 let Self::{variant}(payload) = self;\n        \
                 let Self::{variant}(theirs) = other;\n        \
                 payload == theirs\n    \
                 }}\n"
            );
        }
        members => {
            out.push_str(
                "    fn eq(&self, other: &Self) -> bool {\n        \
                 if self.event_type() != other.event_type() {\n            \
                 return false;\n        \
                 }\n        \
                 let theirs = other.payload_any();\n        \
                 match self {\n",
            );
            let args = ["payload".to_string(), "theirs".to_string()];
            let same = rust_text::Call {
                head: "support::same",
                args: &args,
            };
            for event in members {
                let pattern = format!("Self::{}(payload)", rust_text::ident(&event.ident));
                rust_text::call_arm(&mut out, 3 * rust_text::INDENT, &pattern, &same);
            }
            out.push_str("        }\n    }\n");
        }
    }
    out.push_str("}\n");
    out
}

/// `payload_any`: the payload as `Any`, for [`message_enum_eq`]; only a
/// family of two messages or more compares through it.
fn payload_any(out: &mut String, family: &Family) {
    if family.members.len() < 2 {
        return;
    }
    out.push_str(
        "    /// The payload, for [`PartialEq`] to compare as its message's type.\n    \
         fn payload_any(&self) -> &dyn std::any::Any {\n        \
         match self {\n",
    );
    for event in &family.members {
        let pattern = format!("Self::{}(payload)", rust_text::ident(&event.ident));
        rust_text::atom_arm(out, 3 * rust_text::INDENT, &pattern, "payload");
    }
    out.push_str("        }\n    }\n");
}

/// The message enum's type and its constructor from a JSON payload. Every
/// arm on one line; one too wide is left to prettyplease.
fn message_enum_impl(family: &Family) -> String {
    let Family { message, kind, .. } = family;
    let mut out = String::new();
    if any_deprecated(&family.members) {
        out.push_str("#[allow(deprecated)]\n");
    }
    let _ = writeln!(out, "impl {message} {{");
    rust_text::doc_line(
        &mut out,
        rust_text::INDENT,
        &format!(" The {}'s type.", family.noun),
    );
    let _ = writeln!(out, "    pub fn event_type(&self) -> {kind} {{");
    out.push_str("        match self {\n");
    for event in &family.members {
        let variant = rust_text::ident(&event.ident);
        let pattern = format!("Self::{variant}(_)");
        rust_text::atom_arm(
            &mut out,
            3 * rust_text::INDENT,
            &pattern,
            &format!("{kind}::{variant}"),
        );
    }
    let _ = write!(
        out,
        "        }}\n    \
         }}\n    \
         /// Builds a message from its type and a JSON payload, as\n    \
         /// emitters migrating from string names have them.\n    \
         pub fn from_payload(\n        \
         event_type: {kind},\n        \
         payload: serde_json::Value,\n    \
         ) -> Result<Self, serde_json::Error> {{\n        \
         support::from_payload(event_type, payload)\n    \
         }}\n"
    );
    payload_any(&mut out, family);
    out.push_str("}\n");
    out
}

/// The message enum as the support module's `MessageEnum`: its names,
/// and one match arm per message to hand over or read a payload. Written
/// as text: these two matches grow with the catalog. The enum's serde form
/// is serde's adjacently tagged one (`{<type field>: <name>, <payload
/// field>: <payload>}`), written and read by the support module, so the
/// compiler expands no derive for a thousand variants.
fn message_enum_text(catalog: &Catalog, family: &Family) -> String {
    let mut out = String::new();
    if any_deprecated(&family.members) {
        out.push_str("#[allow(deprecated)]\n");
    }
    message_enum_names(catalog, family, &mut out);
    out.push_str(
        "    fn write_payload<W: support::PayloadSink>(\n        \
         &self,\n        \
         sink: W,\n    \
         ) -> Result<W::Ok, W::Error> {\n        \
         match self {\n",
    );
    for event in &family.members {
        let variant = rust_text::ident(&event.ident);
        let arm = format!("Self::{variant}(payload) => sink.write(payload),");
        rust_text::line(&mut out, 3 * rust_text::INDENT, &arm);
    }
    out.push_str("        }\n    }\n");
    read_payload_text(catalog, family, &mut out);
    out.push_str("}\n");
    out
}

/// The head of the `MessageEnum` impl: the enum's names and its types'.
fn message_enum_names(catalog: &Catalog, family: &Family, out: &mut String) {
    let name = rust_text::string(&family.message.to_string());
    let kind = &family.kind;
    let tag = rust_text::string(&catalog.envelope.type_field);
    // The derived form is adjacently tagged, the envelope's own layout aside.
    let content = catalog.envelope.payload_field.as_deref();
    let content = rust_text::string(content.unwrap_or("payload"));
    out.push_str(&format!(
        "impl support::MessageEnum for {} {{\n    \
         type Type = {kind};\n    \
         const NAME: &'static str = {name};\n    \
         const TAG: &'static str = {tag};\n    \
         const CONTENT: &'static str = {content};\n    \
         fn message_type(&self) -> {kind} {{\n        \
         self.event_type()\n    \
         }}\n    \
         fn type_name(message_type: {kind}) -> &'static str {{\n        \
         message_type.as_str()\n    \
         }}\n    \
         fn type_index(message_type: {kind}) -> u32 {{\n        \
         message_type as u32\n    \
         }}\n",
        family.message
    ));
}

/// `read_payload`: one arm per message type, reading its payload type.
fn read_payload_text(catalog: &Catalog, family: &Family, out: &mut String) {
    let kind = &family.kind;
    let (arm, body) = (3 * rust_text::INDENT, 4 * rust_text::INDENT);
    out.push_str(&format!(
        "    fn read_payload<'de, D: serde::Deserializer<'de>>(\n        \
         message_type: {kind},\n        \
         payload: D,\n    \
         ) -> Result<Self, D::Error> {{\n        \
         match message_type {{\n"
    ));
    for event in &family.members {
        let variant = rust_text::ident(&event.ident);
        let payload = rust_text::ident(&catalog.ty(event.payload).name);
        let pattern = format!("{kind}::{variant}");
        let read = format!("{payload}::deserialize(payload)");
        let map = format!(".map(Self::{variant})");
        // As prettyplease lays it out: the arm on one line, else the
        // read in a block, else the `map` under it.
        if arm + pattern.len() + 4 + read.len() + map.len() <= rust_text::MARGIN {
            rust_text::line(out, arm, &format!("{pattern} => {read}{map},"));
            continue;
        }
        rust_text::line(out, arm, &format!("{pattern} => {{"));
        if body + read.len() + map.len() <= rust_text::MARGIN {
            rust_text::line(out, body, &format!("{read}{map}"));
        } else {
            rust_text::line(out, body, &read);
            rust_text::line(out, body + rust_text::INDENT, &map);
        }
        rust_text::line(out, arm, "}");
    }
    out.push_str("        }\n    }\n");
}

/// `From<Payload>` for the message enum, where a payload type belongs to
/// one message: one small item per event, written as text (formatting a
/// thousand of them took longer than writing them).
fn payload_froms(catalog: &Catalog, family: &Family) -> Vec<String> {
    let mut uses: HashMap<TypeId, usize> = HashMap::new();
    for event in &catalog.events {
        *uses.entry(event.payload).or_default() += 1;
    }
    let name = family.message.to_string();
    let allow = if any_deprecated(&family.members) {
        "#[allow(deprecated)]\n"
    } else {
        ""
    };
    family
        .members
        .iter()
        .filter(|event| uses[&event.payload] == 1)
        .map(|event| {
            let variant = rust_text::ident(&event.ident);
            let payload = rust_text::ident(&catalog.ty(event.payload).name);
            format!(
                "{allow}impl From<{payload}> for {name} {{\n    \
                 fn from(payload: {payload}) -> Self {{\n        \
                 Self::{variant}(payload)\n    \
                 }}\n\
                 }}\n"
            )
        })
        .collect()
}

/// `Default` for the envelope's own fields when every one has a natural
/// default (absent, `null`, or the one value of a constant), so envelopes
/// can offer `new(event)`; shared by both directions.
pub fn fields_default(catalog: &Catalog) -> Option<TokenStream> {
    let id = catalog.envelope.fields?;
    let name = ident(&catalog.ty(id).name);
    let fields = &catalog.envelope_fields()?.fields;
    let mut values = Vec::new();
    for field in fields {
        let field_ident = ident(&field.rust_ident);
        let value = match (&field.ty, field.required) {
            (_, false) | (Ty::Nullable(_), true) => quote!(None),
            (Ty::Named(id), true) => match &catalog.ty(*id).kind {
                TypeKind::Enum(values) if values.variants.len() == 1 => {
                    let enum_ident = ident(&catalog.ty(*id).name);
                    let variant = ident(&values.variants[0].ident);
                    quote!(#enum_ident::#variant)
                }
                _ => return None,
            },
            _ => return None,
        };
        values.push(quote!(#field_ident: #value,));
    }
    Some(quote! {
        impl Default for #name {
            fn default() -> Self {
                Self { #(#values)* }
            }
        }
    })
}

/// Whether the envelope can be built from a message alone.
pub fn has_plain_constructor(catalog: &Catalog) -> bool {
    catalog.envelope.fields.is_none() || fields_default(catalog).is_some()
}

/// `BoardEnvelope`: the message in the catalog's envelope, its
/// constructors and readers, and its wire form.
fn envelope(catalog: &Catalog, family: &Family) -> Vec<TokenStream> {
    let mut items = vec![
        envelope_struct(catalog, family),
        envelope_impl(catalog, family),
    ];
    items.extend(has_plain_constructor(catalog).then(|| envelope_from_message(family)));
    items.extend(wire_impls(catalog, family));
    items
}

fn envelope_struct(catalog: &Catalog, family: &Family) -> TokenStream {
    let Family {
        message,
        envelope,
        slot,
        noun,
        ..
    } = family;
    let version_member = catalog.envelope.version_field.as_ref().map(|_| {
        quote! {
            /// The envelope's wire version.
            pub protocol_version: u32,
        }
    });
    let fields_member = catalog.envelope.fields.map(|id| {
        let fields = ident(&catalog.ty(id).name);
        quote! {
            /// The envelope's own fields.
            pub fields: #fields,
        }
    });
    let slot_doc = format!(" The {noun} and its payload.");
    let doc = format!(" The {noun} message on the wire, in the catalog's envelope.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #envelope {
            #version_member
            #fields_member
            #[doc = #slot_doc]
            pub #slot: #message,
        }
    }
}

fn envelope_impl(catalog: &Catalog, family: &Family) -> TokenStream {
    let Family { envelope, slot, .. } = family;
    let constructors = envelope_constructors(catalog, family);
    let sse = catalog.sse.then(|| {
        quote! {
            /// Frames the envelope as one Server-Sent Event: the type as
            /// `event:` and the JSON (which never spans lines) as `data:`.
            pub fn to_sse(&self) -> Result<String, serde_json::Error> {
                let data = self.to_json()?;
                Ok(format!("event: {}\ndata: {data}\n\n", self.#slot.event_type().as_str()))
            }
        }
    });
    quote! {
        impl #envelope {
            #constructors

            /// Reads an envelope, checked against every keyword of its
            /// schemas first ([`EnvelopeError::Invalid`] names the first
            /// value that fails). An unknown message type is
            /// [`EnvelopeError::UnknownEventType`], so a reader can skip
            /// messages that a newer peer sends.
            pub fn from_json(text: &str) -> Result<Self, EnvelopeError> {
                support::from_json(text)
            }

            /// Writes the envelope as compact JSON. Debug builds first check
            /// it against its schemas and refuse a payload the catalog
            /// forbids; call the payload's `validate` to check in release.
            pub fn to_json(&self) -> Result<String, serde_json::Error> {
                support::to_json(self)
            }

            #sse
        }
    }
}

/// `new` (where the envelope's own fields have defaults) and `with_fields`
/// (where it has fields).
fn envelope_constructors(catalog: &Catalog, family: &Family) -> TokenStream {
    let Family {
        message,
        slot,
        noun,
        ..
    } = family;
    let fields_type = catalog
        .envelope
        .fields
        .map(|id| ident(&catalog.ty(id).name));
    let version_init = catalog
        .envelope
        .version_field
        .as_ref()
        .map(|_| quote!(protocol_version: PROTOCOL_VERSION,));
    let plain = has_plain_constructor(catalog).then(|| {
        let fields_init = fields_type
            .as_ref()
            .map(|_| quote!(fields: Default::default(),));
        let doc = format!(
            " Wraps a{} {noun} (or a payload){}{}.",
            article(noun),
            if version_init.is_some() {
                " at the current [`PROTOCOL_VERSION`]"
            } else {
                ""
            },
            if fields_init.is_some() {
                ", with the default envelope fields"
            } else {
                ""
            }
        );
        quote! {
            #[doc = #doc]
            pub fn new(#slot: impl Into<#message>) -> Self {
                Self { #version_init #fields_init #slot: #slot.into() }
            }
        }
    });
    let with_fields = fields_type.as_ref().map(|fields| {
        let doc = format!(
            " Wraps a{} {noun} (or a payload) with the given envelope fields.",
            article(noun)
        );
        quote! {
            #[doc = #doc]
            pub fn with_fields(#slot: impl Into<#message>, fields: #fields) -> Self {
                Self { #version_init fields, #slot: #slot.into() }
            }
        }
    });
    quote!(#plain #with_fields)
}

fn envelope_from_message(family: &Family) -> TokenStream {
    let Family {
        message,
        envelope,
        slot,
        ..
    } = family;
    quote! {
        impl From<#message> for #envelope {
            fn from(#slot: #message) -> Self {
                Self::new(#slot)
            }
        }
    }
}

/// The envelope's `Serialize` and `Deserialize`, both the support module's
/// reader and writer, and what those need to know: the envelope's layout
/// as a table and how to take the envelope apart and put it together.
fn wire_impls(catalog: &Catalog, family: &Family) -> [TokenStream; 3] {
    let Family {
        message,
        envelope,
        slot,
        noun,
        ..
    } = family;
    let settings = &catalog.envelope;
    let version_field = opt_str(settings.version_field.as_deref());
    let type_field = &settings.type_field;
    let payload_field = opt_str(settings.payload_field.as_deref());
    let own_fields: Vec<&String> = catalog
        .envelope_fields()
        .map(|object| object.fields.iter().map(|field| &field.name).collect())
        .unwrap_or_default();
    let omit_empty_payload = settings.omit_empty_payload;
    let as_written = as_written(catalog);
    let (fields_type, fields_param, fields_ref) = match settings.fields {
        Some(id) => {
            let name = ident(&catalog.ty(id).name);
            (quote!(#name), quote!(fields), quote!(&self.fields))
        }
        None => (
            quote!(support::NoFields),
            quote!(_),
            quote!(&support::NoFields),
        ),
    };
    let fields_init = settings.fields.map(|_| quote!(fields,));
    let (version_param, version_init, version_get) = match settings.version_field {
        Some(_) => (
            quote!(protocol_version),
            quote!(protocol_version,),
            Some(quote! {
                fn version(&self) -> u32 {
                    self.protocol_version
                }
            }),
        ),
        None => (quote!(_), quote!(), None),
    };
    let messages = ident(&rust_checks::messages_name(family.noun));
    let envelope_impl = quote! {
        impl support::Envelope for #envelope {
            type Message = #message;
            type Fields = #fields_type;

            const LAYOUT: support::Layout = support::Layout {
                noun: #noun,
                version_field: #version_field,
                type_field: #type_field,
                payload_field: #payload_field,
                fields: &[#(#own_fields),*],
                omit_empty_payload: #omit_empty_payload,
                as_written: #as_written,
            };

            fn assemble(#version_param: u32, #fields_param: #fields_type, #slot: #message) -> Self {
                Self { #version_init #fields_init #slot }
            }

            fn checks() -> (&'static checks::Schemas, &'static checks::Messages) {
                (&SCHEMAS, &#messages)
            }

            fn message_holds(message: &Self::Message) -> bool {
                message.holds()
            }

            #version_get

            fn fields(&self) -> &#fields_type {
                #fields_ref
            }

            fn message(&self) -> &#message {
                &self.#slot
            }
        }
    };
    let [serialize, deserialize] = serde_through(
        envelope,
        quote!(support::serialize),
        quote!(support::deserialize),
    );
    [serialize, deserialize, envelope_impl]
}

/// The envelope's fixed text as the support module's writer lays it out
/// (`support::AsWritten`), for an adjacent envelope without fields of its
/// own.
fn as_written(catalog: &Catalog) -> TokenStream {
    let Some(pieces) = written_pieces(&catalog.envelope) else {
        return quote!(None);
    };
    let WrittenPieces {
        before_version,
        before_name,
        before_payload,
    } = pieces;
    let before_version = opt_str(before_version.as_deref());
    quote! {
        Some(support::AsWritten {
            before_version: #before_version,
            before_name: #before_name,
            before_payload: #before_payload,
        })
    }
}

/// The text of `support::AsWritten`.
#[derive(Debug, PartialEq)]
struct WrittenPieces {
    before_version: Option<String>,
    before_name: String,
    before_payload: String,
}

/// The envelope's text before its version, its type name and its payload,
/// keys escaped as serde_json escapes them; `None` for a flat envelope or
/// one with fields of its own.
fn written_pieces(envelope: &Envelope) -> Option<WrittenPieces> {
    let (Some(payload), None) = (&envelope.payload_field, envelope.fields) else {
        return None;
    };
    let key = |name: &str| serde_json::Value::from(name).to_string();
    let before_version = envelope
        .version_field
        .as_deref()
        .map(|version| format!("{{{}:", key(version)));
    let opening = if before_version.is_some() { ',' } else { '{' };
    Some(WrittenPieces {
        before_name: format!("{opening}{}:\"", key(&envelope.type_field)),
        before_payload: format!(",{}:", key(payload)),
        before_version,
    })
}

/// Serde's traits for `name` through the support module's `write` and `read`.
fn serde_through(name: &Ident, write: TokenStream, read: TokenStream) -> [TokenStream; 2] {
    [
        quote! {
            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    #write(self, serializer)
                }
            }
        },
        quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #read(deserializer)
                }
            }
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::super::rust_text::tests::assert_laid_out;
    use super::*;

    /// The pieces, the version, the name and the payload put together are
    /// the message serde_json writes from the same keys in the same order.
    #[test]
    fn the_text_as_written_is_what_serde_json_writes() {
        let envelope = |version: Option<&str>, type_field: &str| Envelope {
            style: crate::model::EnvelopeStyle::Adjacent,
            version_field: version.map(str::to_string),
            type_field: type_field.to_string(),
            payload_field: Some("da\u{7}ta \"é\"".to_string()),
            omit_empty_payload: false,
            fields: None,
            fields_schema: None,
            fields_origin: None,
        };
        for (version, type_field) in [
            (Some("protocol_version"), "event_type"),
            (Some("v\\1"), "k\"i\nd"),
            (None, "type"),
        ] {
            let envelope = envelope(version, type_field);
            let pieces = written_pieces(&envelope).expect("an adjacent envelope");
            let mut message = serde_json::Map::new();
            if let Some(version) = version {
                message.insert(version.to_string(), 7.into());
            }
            message.insert(type_field.to_string(), "task_created".into());
            message.insert(
                envelope.payload_field.clone().unwrap(),
                serde_json::json!({"id": 1}),
            );
            let put_together = format!(
                "{}{}{}task_created\"{}{{\"id\":1}}}}",
                pieces.before_version.as_deref().unwrap_or(""),
                if version.is_some() { "7" } else { "" },
                pieces.before_name,
                pieces.before_payload,
            );
            assert_eq!(put_together, serde_json::Value::Object(message).to_string());
        }
        let flat = Envelope {
            style: crate::model::EnvelopeStyle::Flat,
            payload_field: None,
            ..envelope(None, "type")
        };
        assert_eq!(written_pieces(&flat), None);
    }

    #[test]
    fn message_enums_are_laid_out_as_prettyplease_lays_them_out() {
        let mut written = 0;
        for catalog in super::super::test_catalog::repository_catalogs() {
            for family in families(&catalog) {
                assert_laid_out(&message_enum_type(&catalog, &family));
                assert_laid_out(&message_enum_eq(&family));
                assert_laid_out(&message_enum_impl(&family));
                assert_laid_out(&message_enum_text(&catalog, &family));
                written += 1;
            }
        }
        assert!(written > 0, "the catalogs have message enums");
    }

    /// With one message the variant pattern cannot fail (an `if let` of it
    /// is a warning), and with none there is nothing to compare.
    #[test]
    fn equality_of_one_message_or_none_binds_without_matching() {
        let mut catalog = super::super::test_catalog::repository_catalogs().remove(0);
        catalog.events.truncate(1);
        let family = families(&catalog).remove(0);
        let eq = message_enum_eq(&family);
        assert_laid_out(&eq);
        let variant = rust_text::ident(&catalog.events[0].ident);
        assert!(
            eq.contains(&format!("let Self::{variant}(theirs) = other;")),
            "{eq}"
        );
        assert!(!eq.contains("if let"), "{eq}");
        let none = Family {
            members: Vec::new(),
            ..family
        };
        let eq = message_enum_eq(&none);
        assert_laid_out(&eq);
        assert!(
            eq.contains("fn eq(&self, _: &Self) -> bool {\n        match *self {}"),
            "{eq}"
        );
    }

    #[test]
    fn long_variants_break_where_prettyplease_breaks_them() {
        let mut catalog = super::super::test_catalog::repository_catalogs().remove(0);
        // Around the margin: a variant and its payload on one line up to
        // it, the payload on a line of its own past it.
        for width in rust_text::MARGIN - 60..rust_text::MARGIN - 20 {
            let event = &mut catalog.events[0];
            event.ident = format!("V{}", "x".repeat(width));
            event.deprecated = Some(format!("{} \"quoted\"", "y".repeat(width)));
            for family in families(&catalog) {
                assert_laid_out(&message_enum_type(&catalog, &family));
                // An item with a line past the margin (a pattern too long
                // for its line) goes to prettyplease (`push_laid_out`).
                for item in [message_enum_eq(&family), message_enum_impl(&family)] {
                    if super::super::items::stays_text(&item) {
                        assert_laid_out(&item);
                    }
                }
            }
        }
    }

    #[test]
    fn payload_froms_are_laid_out_as_prettyplease_lays_them_out() {
        let mut written = 0;
        for catalog in super::super::test_catalog::repository_catalogs() {
            for family in families(&catalog) {
                for from in payload_froms(&catalog, &family) {
                    assert_laid_out(&from);
                    written += 1;
                }
            }
        }
        assert!(
            written > 0,
            "the catalogs have payloads of one message each"
        );
    }
}
