//! The message families of the Rust crate: events (server → client) and
//! commands (client → server). Each family gets a fieldless type enum with
//! its metadata and attributes, the enum that carries payloads, and an
//! envelope that reads and writes the exact wire JSON in the catalog's style
//! (adjacent or flat, with or without a version field and fields of its own).

use std::collections::HashMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::article;
use super::rust::{docs, first_sentence, ident, opt_str};
use crate::model::{
    AttributeValue, Catalog, Direction, EnvelopeStyle, Event, Stability, Ty, TypeId, TypeKind,
};

/// One direction's messages and the names of its generated items.
pub struct Family<'a> {
    members: Vec<&'a Event>,
    /// `BoardEvent` / `BoardCommand`.
    message: Ident,
    /// `BoardEventType` / `BoardCommandType`.
    kind: Ident,
    /// `BoardEnvelope` / `BoardCommandEnvelope`.
    envelope: Ident,
    /// The private module holding the envelope's parser.
    wire: Ident,
    /// The static metadata table.
    metadata: Ident,
    /// The envelope field holding the message: `event` or `command`.
    slot: Ident,
    /// `event` or `command`, for docs.
    noun: &'static str,
}

/// The families with at least one message, events first.
pub fn families(catalog: &Catalog) -> Vec<Family<'_>> {
    let name = |suffix: &str| ident(&catalog.type_name(suffix));
    [
        (Direction::ServerToClient, "event", "Event", "Envelope"),
        (
            Direction::ClientToServer,
            "command",
            "Command",
            "CommandEnvelope",
        ),
    ]
    .into_iter()
    .filter_map(|(direction, noun, message, envelope)| {
        let members: Vec<&Event> = catalog.sent_by(direction).collect();
        (!members.is_empty()).then(|| Family {
            members,
            message: name(message),
            kind: name(&format!("{message}Type")),
            envelope: name(envelope),
            wire: format_ident!("{noun}_wire"),
            metadata: format_ident!("{}_METADATA", noun.to_uppercase()),
            slot: format_ident!("{noun}"),
            noun,
        })
    })
    .collect()
}

/// Everything one family generates.
pub fn family_tokens(catalog: &Catalog, family: &Family) -> TokenStream {
    let kind = type_enum(catalog, family);
    let message = message_enum(catalog, family);
    let envelope = envelope(catalog, family);
    quote! {
        #kind
        #message
        #envelope
    }
}

fn allow_deprecated(family: &Family) -> Option<TokenStream> {
    family
        .members
        .iter()
        .any(|event| event.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]))
}

fn type_enum(catalog: &Catalog, family: &Family) -> TokenStream {
    let name = &family.kind;
    let table = &family.metadata;
    let members = &family.members;
    let variants = members.iter().map(|event| {
        let variant = ident(&event.ident);
        let doc = format!(" `{}`: {}", event.name, first_sentence(&event.description));
        quote!(#[doc = #doc] #variant,)
    });
    let all = members.iter().map(|event| ident(&event.ident));
    let names = members.iter().map(|event| {
        let variant = ident(&event.ident);
        let wire = &event.name;
        quote!(Self::#variant => #wire,)
    });
    let webhooks = members.iter().map(|event| {
        let variant = ident(&event.ident);
        let webhook = opt_str(event.webhook.as_deref());
        quote!(Self::#variant => #webhook,)
    });
    // Former names (after a recorded rename) parse to the event they became.
    let parse = members.iter().map(|event| {
        let variant = ident(&event.ident);
        let wire = &event.name;
        let aliases = &event.aliases;
        quote!(#wire #(| #aliases)* => Ok(Self::#variant),)
    });
    let metadata = members.iter().map(|event| {
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
    let attributes = attribute_methods(catalog, family);
    let count = Literal::usize_unsuffixed(members.len());
    let expecting_name = format!("a{} {} type name", article(family.noun), family.noun);
    let what = format!(
        " The name of every {} on this channel, without its payload.",
        family.noun
    );
    let all_doc = format!(" Every {} type, in catalog order.", family.noun);
    quote! {
        #[doc = #what]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
        }

        static #table: [EventMetadata; #count] = [#(#metadata)*];

        impl #name {
            #[doc = #all_doc]
            pub const ALL: [#name; #count] = [#(Self::#all),*];

            /// The wire name, e.g. `task_created`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(#names)*
                }
            }

            /// The webhook counterpart, or `None` when the message has none.
            pub const fn webhook_name(self) -> Option<&'static str> {
                match self {
                    #(#webhooks)*
                }
            }

            /// Everything the catalog says about the message.
            pub fn metadata(self) -> &'static EventMetadata {
                &#table[self as usize]
            }

            #attributes
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
                struct NameVisitor;

                impl serde::de::Visitor<'_> for NameVisitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(#expecting_name)
                    }

                    // Parsed from the text as it is read: no copy of the name.
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<#name, E> {
                        name.parse().map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(NameVisitor)
            }
        }
    }
}

/// One `const fn` per catalog attribute: the members that differ from the
/// default are listed, every other one has the default.
fn attribute_methods(catalog: &Catalog, family: &Family) -> TokenStream {
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

fn message_enum(catalog: &Catalog, family: &Family) -> TokenStream {
    let name = &family.message;
    let type_name = &family.kind;
    let tag = &catalog.envelope.type_field;
    // The derived form is adjacently tagged, the envelope's own layout aside.
    let content = catalog
        .envelope
        .payload_field
        .as_deref()
        .unwrap_or("payload");
    let variants = family.members.iter().map(|event| {
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
    let kinds = family.members.iter().map(|event| {
        let variant = ident(&event.ident);
        quote!(Self::#variant(_) => #type_name::#variant,)
    });
    // `From<Payload>` only where a payload type belongs to one message.
    let mut uses: HashMap<TypeId, usize> = HashMap::new();
    for event in &catalog.events {
        *uses.entry(event.payload).or_default() += 1;
    }
    let allow = allow_deprecated(family);
    let froms = family
        .members
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
    let doc = format!(
        " A{} {} with its payload.",
        article(family.noun),
        family.noun
    );
    let type_doc = format!(" The {}'s type.", family.noun);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = #tag, content = #content)]
        // Payloads differ in size by nature; boxing them would cost every
        // message an allocation and every caller a `Box`.
        #[allow(clippy::large_enum_variant)]
        #allow
        pub enum #name {
            #(#variants)*
        }

        #allow
        impl #name {
            #[doc = #type_doc]
            pub fn event_type(&self) -> #type_name {
                match self {
                    #(#kinds)*
                }
            }
        }

        #(#froms)*
    }
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

fn envelope(catalog: &Catalog, family: &Family) -> TokenStream {
    let Family {
        message,
        kind,
        envelope,
        wire,
        slot,
        noun,
        ..
    } = family;
    let settings = &catalog.envelope;
    let type_field = &settings.type_field;
    let fields_type = settings.fields.map(|id| ident(&catalog.ty(id).name));
    let own_fields = catalog
        .envelope_fields()
        .map(|object| object.fields.as_slice())
        .unwrap_or_default();
    let allow = allow_deprecated(family);

    let version_member = settings.version_field.as_ref().map(|_| {
        quote! {
            /// The envelope's wire version.
            pub protocol_version: u32,
        }
    });
    let fields_member = fields_type.as_ref().map(|fields| {
        quote! {
            /// The envelope's own fields.
            pub fields: #fields,
        }
    });
    let slot_doc = format!(" The {noun} and its payload.");
    let version_init = settings
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
    let from_impl = plain.is_some().then(|| {
        quote! {
            impl From<#message> for #envelope {
                fn from(#slot: #message) -> Self {
                    Self::new(#slot)
                }
            }
        }
    });
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

    // Writing: version, type, the envelope's own fields, then the payload.
    let write_version = settings
        .version_field
        .as_ref()
        .map(|field| quote!(map.serialize_entry(#field, &self.protocol_version)?;));
    let write_fields = own_fields.iter().map(|field| {
        let name = &field.name;
        let member = ident(&field.rust_ident);
        if field.required {
            quote!(map.serialize_entry(#name, &self.fields.#member)?;)
        } else {
            quote! {
                if let Some(value) = &self.fields.#member {
                    map.serialize_entry(#name, value)?;
                }
            }
        }
    });
    let write_payload = family.members.iter().map(|event| {
        let variant = ident(&event.ident);
        let may_be_empty = settings.omit_empty_payload
            && catalog
                .struct_of(event.payload)
                .is_some_and(|object| object.fields.iter().all(|field| !field.required));
        match &settings.payload_field {
            Some(field) if may_be_empty => quote! {
                #message::#variant(payload) => {
                    if !is_empty_payload::<_, S::Error>(payload)? {
                        map.serialize_entry(#field, payload)?;
                    }
                }
            },
            Some(field) => {
                quote!(#message::#variant(payload) => map.serialize_entry(#field, payload)?,)
            }
            None => {
                quote!(#message::#variant(payload) => payload.serialize(FlatWriter(&mut map))?,)
            }
        }
    });
    let seed_arms = family.members.iter().map(|event| {
        let variant = ident(&event.ident);
        quote!(#kind::#variant => #message::#variant(Deserialize::deserialize(deserializer)?),)
    });
    let expecting = format!("a `{}` channel {noun} envelope", catalog.channel);
    let (visitor, keys) = parsed_visitor(catalog, family);
    let envelope_doc = format!(" The {noun} message on the wire, in the catalog's envelope.");
    quote! {
        #[doc = #envelope_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #envelope {
            #version_member
            #fields_member
            #[doc = #slot_doc]
            pub #slot: #message,
        }


        impl #envelope {
            #plain
            #with_fields

            /// Writes the envelope as compact JSON.
            pub fn to_json(&self) -> Result<String, serde_json::Error> {
                serde_json::to_string(self)
            }

            #sse
        }

        #from_impl

        /// The envelope's parser; its helpers stay private.
        mod #wire {
            use super::*;

            impl #envelope {
                /// Reads an envelope. An unknown message type is
                /// [`EnvelopeError::UnknownEventType`], so a reader can skip
                /// messages that a newer peer sends.
                pub fn from_json(text: &str) -> Result<Self, EnvelopeError> {
                    match serde_json::from_str::<Parsed>(text) {
                        Ok(Parsed::Known(envelope)) => Ok(envelope),
                        Ok(Parsed::Unknown(name)) => Err(EnvelopeError::UnknownEventType(UnknownEventType(name))),
                        Err(error) => Err(EnvelopeError::Json(error)),
                    }
                }
            }

            #allow
            impl #message {
                /// Builds a message from its type and a JSON payload, as
                /// emitters migrating from string names have them.
                pub fn from_payload(event_type: #kind, payload: serde_json::Value) -> Result<Self, serde_json::Error> {
                    serde::de::DeserializeSeed::deserialize(PayloadSeed(event_type), payload)
                }
            }

            #allow
            impl Serialize for #envelope {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap;
                    let mut map = serializer.serialize_map(None)?;
                    #write_version
                    map.serialize_entry(#type_field, self.#slot.event_type().as_str())?;
                    #(#write_fields)*
                    match &self.#slot {
                        #(#write_payload)*
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

            /// An envelope whose message type may be unknown.
            #[allow(clippy::large_enum_variant)]
            enum Parsed {
                Known(#envelope),
                Unknown(String),
            }

            /// The message type, or the unknown name as it was sent.
            enum TypeName {
                Known(#kind),
                Unknown(String),
            }

            impl<'de> Deserialize<'de> for TypeName {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct NameVisitor;

                    impl serde::de::Visitor<'_> for NameVisitor {
                        type Value = TypeName;

                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str("a message type name")
                        }

                        // Known names parse from the text as it is read; only
                        // an unknown one is copied, to report it.
                        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<TypeName, E> {
                            Ok(match name.parse() {
                                Ok(known) => TypeName::Known(known),
                                Err(UnknownEventType(name)) => TypeName::Unknown(name),
                            })
                        }
                    }

                    deserializer.deserialize_str(NameVisitor)
                }
            }

            /// Reads the payload of a known message type.
            struct PayloadSeed(#kind);

            #allow
            impl<'de> serde::de::DeserializeSeed<'de> for PayloadSeed {
                type Value = #message;

                fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<#message, D::Error> {
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

            #keys

            struct ParsedVisitor;

            impl<'de> serde::de::Visitor<'de> for ParsedVisitor {
                type Value = Parsed;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(#expecting)
                }

                #visitor
            }
        }
    }
}

/// `visit_map` of the envelope parser and its key enum, for the catalog's style.
fn parsed_visitor(catalog: &Catalog, family: &Family) -> (TokenStream, TokenStream) {
    let settings = &catalog.envelope;
    let envelope = &family.envelope;
    let slot = &family.slot;
    let type_field = &settings.type_field;
    let flat = settings.style == EnvelopeStyle::Flat;
    let own_fields = catalog
        .envelope_fields()
        .map(|object| object.fields.as_slice())
        .unwrap_or_default();
    let has_fields = !own_fields.is_empty();

    let version_key = settings
        .version_field
        .as_ref()
        .map(|field| quote!(#field => Key::Version,));
    let payload_key = settings
        .payload_field
        .as_ref()
        .map(|field| quote!(#field => Key::Payload,));
    let field_keys = own_fields.iter().map(|field| {
        let name = &field.name;
        quote!(#name => Key::Field(#name),)
    });
    let (other_variant, other_key) = if flat {
        (
            quote!(Other(String),),
            quote!(other => Key::Other(other.to_string()),),
        )
    } else {
        (quote!(Other,), quote!(_ => Key::Other,))
    };
    let version_variant = settings.version_field.as_ref().map(|_| quote!(Version,));
    let payload_variant = settings.payload_field.as_ref().map(|_| quote!(Payload,));
    let field_variant = has_fields.then(|| quote!(Field(&'static str),));

    let version_state = settings
        .version_field
        .as_ref()
        .map(|_| quote!(let mut version: Option<u32> = None;));
    let version_arm = settings.version_field.as_ref().map(|field| {
        quote! {
            Key::Version => {
                if version.is_some() {
                    return Err(A::Error::duplicate_field(#field));
                }
                version = Some(map.next_value()?);
            }
        }
    });
    let version_done = settings.version_field.as_ref().map(|field| {
        quote!(let protocol_version = version.ok_or_else(|| A::Error::missing_field(#field))?;)
    });
    let version_init = settings
        .version_field
        .as_ref()
        .map(|_| quote!(protocol_version,));

    let fields_state = has_fields.then(|| quote!(let mut fields = serde_json::Map::new();));
    let field_arm = has_fields.then(|| {
        quote! {
            Key::Field(name) => {
                if fields.insert(name.to_string(), map.next_value()?).is_some() {
                    return Err(A::Error::duplicate_field(name));
                }
            }
        }
    });
    let fields_done = has_fields.then(|| {
        quote!(let fields = serde_json::from_value(serde_json::Value::Object(fields)).map_err(A::Error::custom)?;)
    });
    let fields_init = has_fields.then(|| quote!(fields,));

    if flat {
        let visit = quote! {
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
                use serde::de::{DeserializeSeed, Error};
                #version_state
                #fields_state
                let mut name: Option<TypeName> = None;
                // The payload's fields, beside the envelope's own.
                let mut payload = serde_json::Map::new();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        #version_arm
                        Key::Type => {
                            if name.is_some() {
                                return Err(A::Error::duplicate_field(#type_field));
                            }
                            name = Some(map.next_value()?);
                        }
                        #field_arm
                        Key::Other(key) => {
                            if payload.insert(key, map.next_value()?).is_some() {
                                return Err(A::Error::custom("duplicate payload field"));
                            }
                        }
                    }
                }
                #version_done
                match name.ok_or_else(|| A::Error::missing_field(#type_field))? {
                    TypeName::Unknown(name) => Ok(Parsed::Unknown(name)),
                    TypeName::Known(known) => {
                        #fields_done
                        let #slot = PayloadSeed(known)
                            .deserialize(serde_json::Value::Object(payload))
                            .map_err(A::Error::custom)?;
                        Ok(Parsed::Known(#envelope { #version_init #fields_init #slot }))
                    }
                }
            }
        };
        let keys = key_enum(
            quote!(#version_variant Type, #field_variant #other_variant),
            quote!(#version_key #type_field => Key::Type, #(#field_keys)* #other_key),
        );
        return (visit, keys);
    }

    let payload_field = settings.payload_field.as_deref().unwrap_or("payload");
    // A missing payload reads as `{}`, which only an all-optional payload accepts.
    let known = if settings.omit_empty_payload {
        quote!(known)
    } else {
        quote!(_)
    };
    let missing_payload = if settings.omit_empty_payload {
        quote! {
            None => PayloadSeed(known)
                .deserialize(serde_json::Value::Object(serde_json::Map::new()))
                .map_err(|_| A::Error::missing_field(#payload_field))?,
        }
    } else {
        quote!(None => return Err(A::Error::missing_field(#payload_field)),)
    };
    let visit = quote! {
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
            use serde::de::{DeserializeSeed, Error};
            #version_state
            #fields_state
            let mut name: Option<TypeName> = None;
            let mut message = None;
            // A payload that arrives before the type waits here.
            let mut early_payload: Option<serde_json::Value> = None;
            let mut skipped_payload = false;
            while let Some(key) = map.next_key::<Key>()? {
                match key {
                    #version_arm
                    Key::Type => {
                        if name.is_some() {
                            return Err(A::Error::duplicate_field(#type_field));
                        }
                        let read: TypeName = map.next_value()?;
                        if let (TypeName::Known(known), Some(payload)) = (&read, early_payload.take()) {
                            message = Some(PayloadSeed(*known).deserialize(payload).map_err(A::Error::custom)?);
                        }
                        name = Some(read);
                    }
                    Key::Payload => {
                        if message.is_some() || early_payload.is_some() || skipped_payload {
                            return Err(A::Error::duplicate_field(#payload_field));
                        }
                        match &name {
                            Some(TypeName::Known(known)) => message = Some(map.next_value_seed(PayloadSeed(*known))?),
                            Some(TypeName::Unknown(_)) => {
                                map.next_value::<serde::de::IgnoredAny>()?;
                                skipped_payload = true;
                            }
                            None => early_payload = Some(map.next_value()?),
                        }
                    }
                    #field_arm
                    Key::Other => {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
            }
            #version_done
            match name.ok_or_else(|| A::Error::missing_field(#type_field))? {
                TypeName::Unknown(name) => Ok(Parsed::Unknown(name)),
                TypeName::Known(#known) => {
                    #fields_done
                    let #slot = match message {
                        Some(message) => message,
                        #missing_payload
                    };
                    Ok(Parsed::Known(#envelope { #version_init #fields_init #slot }))
                }
            }
        }
    };
    let keys = key_enum(
        quote!(#version_variant Type, #payload_variant #field_variant #other_variant),
        quote!(#version_key #type_field => Key::Type, #payload_key #(#field_keys)* #other_key),
    );
    (visit, keys)
}

/// The parser's key enum: one variant per envelope key, the rest `Other`.
fn key_enum(variants: TokenStream, arms: TokenStream) -> TokenStream {
    quote! {
        /// The envelope's keys.
        enum Key {
            #variants
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
                            #arms
                        })
                    }
                }

                deserializer.deserialize_identifier(KeyVisitor)
            }
        }
    }
}

/// The test for payloads left out of an adjacent envelope when empty.
pub fn empty_payload_check(catalog: &Catalog) -> Option<TokenStream> {
    catalog.envelope.omit_empty_payload.then(|| {
        quote! {
            /// Whether a payload serializes to `{}`; the envelope then leaves it out.
            fn is_empty_payload<T: Serialize, E: serde::ser::Error>(payload: &T) -> Result<bool, E> {
                serde_json::to_value(payload)
                    .map(|value| value.as_object().is_some_and(serde_json::Map::is_empty))
                    .map_err(E::custom)
            }
        }
    })
}

/// A serializer that writes a payload struct's fields straight into the
/// envelope's map, so a flat envelope keeps the payload's field order
/// without a detour through `serde_json::Value`.
pub fn flat_writer(catalog: &Catalog) -> Option<TokenStream> {
    if catalog.envelope.style != EnvelopeStyle::Flat {
        return None;
    }
    let refuse = |method: TokenStream, ret: TokenStream| {
        quote! {
            fn #method -> Result<#ret, M::Error> {
                Err(not_an_object())
            }
        }
    };
    let scalars = [
        quote!(serialize_bool(self, _: bool)),
        quote!(serialize_i8(self, _: i8)),
        quote!(serialize_i16(self, _: i16)),
        quote!(serialize_i32(self, _: i32)),
        quote!(serialize_i64(self, _: i64)),
        quote!(serialize_u8(self, _: u8)),
        quote!(serialize_u16(self, _: u16)),
        quote!(serialize_u32(self, _: u32)),
        quote!(serialize_u64(self, _: u64)),
        quote!(serialize_f32(self, _: f32)),
        quote!(serialize_f64(self, _: f64)),
        quote!(serialize_char(self, _: char)),
        quote!(serialize_str(self, _: &str)),
        quote!(serialize_bytes(self, _: &[u8])),
        quote!(serialize_none(self)),
        quote!(serialize_some<T: ?Sized + Serialize>(self, _: &T)),
        quote!(serialize_unit(self)),
        quote!(serialize_unit_struct(self, _: &'static str)),
        quote!(serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str)),
        quote!(serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T)),
        quote!(serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &T)),
    ]
    .into_iter()
    .map(|method| refuse(method, quote!(())));
    let compounds = [
        (quote!(serialize_seq(self, _: Option<usize>)), quote!(Self::SerializeSeq)),
        (quote!(serialize_tuple(self, _: usize)), quote!(Self::SerializeTuple)),
        (quote!(serialize_tuple_struct(self, _: &'static str, _: usize)), quote!(Self::SerializeTupleStruct)),
        (quote!(serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize)), quote!(Self::SerializeTupleVariant)),
        (quote!(serialize_map(self, _: Option<usize>)), quote!(Self::SerializeMap)),
        (quote!(serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize)), quote!(Self::SerializeStructVariant)),
    ]
    .into_iter()
    .map(|(method, ret)| refuse(method, ret));
    Some(quote! {
        /// Writes a payload struct's fields into a flat envelope's map, in
        /// the payload's own field order.
        struct FlatWriter<'a, M>(&'a mut M);

        fn not_an_object<E: serde::ser::Error>() -> E {
            E::custom("a flat envelope's payload must be an object")
        }

        impl<'a, M: serde::ser::SerializeMap> serde::Serializer for FlatWriter<'a, M> {
            type Ok = ();
            type Error = M::Error;
            type SerializeSeq = serde::ser::Impossible<(), M::Error>;
            type SerializeTuple = serde::ser::Impossible<(), M::Error>;
            type SerializeTupleStruct = serde::ser::Impossible<(), M::Error>;
            type SerializeTupleVariant = serde::ser::Impossible<(), M::Error>;
            type SerializeMap = serde::ser::Impossible<(), M::Error>;
            type SerializeStruct = Self;
            type SerializeStructVariant = serde::ser::Impossible<(), M::Error>;

            fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, M::Error> {
                Ok(self)
            }

            #(#scalars)*
            #(#compounds)*
        }

        impl<'a, M: serde::ser::SerializeMap> serde::ser::SerializeStruct for FlatWriter<'a, M> {
            type Ok = ();
            type Error = M::Error;

            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
                self.0.serialize_entry(key, value)
            }

            fn end(self) -> Result<(), M::Error> {
                Ok(())
            }
        }
    })
}
