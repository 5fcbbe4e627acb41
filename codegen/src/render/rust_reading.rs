//! How the generated crate reads its payload types: a `Deserialize` impl
//! per struct and string enum that hands the work to the support module
//! (`support::read_object`, `support::read_string_enum`), and the small
//! table each type gives it (its fields and their slots, or its values).
//!
//! serde's derived `Deserialize` writes a field enum, two visitors (one of
//! them for objects written as arrays, which no schema allows) and two
//! wrapper types per `deserialize_with` field into every type: at a
//! thousand events that was two thirds of `cargo check`'s time on the
//! generated crate. The loop, the key lookup and the errors are the same
//! for every type, so they are written once in the support module, and a
//! type keeps only what is its own: its fields, their slots and how each
//! slot becomes the field.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust::rust_type;
use super::rust_tokens::ident;
use crate::model::{Catalog, StringEnum, Struct};

/// `Deserialize` and `support::Object` for a struct.
pub(super) fn object_impls(catalog: &Catalog, name: &str, object: &Struct) -> [TokenStream; 2] {
    let name_ident = ident(name);
    let names = object.fields.iter().map(|field| &field.name);
    let mut slot_types: Vec<TokenStream> = object
        .fields
        .iter()
        .map(|field| {
            let ty = rust_type(catalog, &field.ty);
            quote!(Option<#ty>)
        })
        .collect();
    let mut values: Vec<TokenStream> = object
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let field_ident = ident(&field.rust_ident);
            let slot = Literal::usize_unsuffixed(index);
            let wire = &field.name;
            if field.required {
                quote!(#field_ident: support::required(slots.#slot, #wire)?,)
            } else {
                quote!(#field_ident: slots.#slot,)
            }
        })
        .collect();
    // Keys that are not fields: refused (the default) when the object is
    // closed, kept in its map when it has one, dropped otherwise.
    let other_keys = match (&object.extra, object.deny_unknown) {
        (Some(_), _) => Some(quote!(support::OtherKeys::Keep)),
        (None, false) => Some(quote!(support::OtherKeys::Skip)),
        (None, true) => None,
    }
    .map(|policy| quote!(const OTHER_KEYS: support::OtherKeys = #policy;));
    // An open object keeps the other keys in its map, the last slot.
    let mut keep = None;
    if let Some(extra) = &object.extra {
        let extra = ident(extra);
        let slot = Literal::usize_unsuffixed(object.fields.len());
        slot_types.push(quote!(Option<serde_json::Map<String, serde_json::Value>>));
        values.push(quote!(#extra: slots.#slot.unwrap_or_default(),));
        keep = Some(quote! {
            fn keep(slots: &mut Self::Slots, key: String, value: serde_json::Value) {
                slots.#slot.get_or_insert_with(serde_json::Map::new).insert(key, value);
            }
        });
    }
    let empty = slot_types.iter().map(|_| quote!(None));
    // An object without fields (nor a map of other keys) has no slot to read.
    let slots = if slot_types.is_empty() {
        quote!(_)
    } else {
        quote!(slots)
    };
    let read = read_fn(object);
    [
        deserialize_impl(&name_ident, quote!(support::read_object(deserializer))),
        quote! {
            impl support::Object for #name_ident {
                const NAME: &'static str = #name;
                const FIELDS: &'static [&'static str] = &[#(#names),*];
                #other_keys
                type Slots = (#(#slot_types,)*);
                const EMPTY: Self::Slots = (#(#empty,)*);

                #read

                #keep

                fn finish<E: serde::de::Error>(#slots: Self::Slots) -> Result<Self, E> {
                    Ok(Self {
                        #(#values)*
                    })
                }
            }
        },
    ]
}

/// `Object::read`: one arm per field, the last one the catch-all (the
/// support module only asks for the fields in `FIELDS`).
fn read_fn(object: &Struct) -> TokenStream {
    let reads: Vec<TokenStream> = object
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let slot = Literal::usize_unsuffixed(index);
            let wire = &field.name;
            quote!(support::read_field(&mut slots.#slot, map, #wire))
        })
        .collect();
    let signature = |slots: TokenStream, index: TokenStream| {
        quote! {
            fn read<'de, A: serde::de::MapAccess<'de>>(
                #slots: &mut Self::Slots,
                #index: usize,
                map: &mut A,
            ) -> Result<(), A::Error>
        }
    };
    match reads.as_slice() {
        [] => {
            let signature = signature(quote!(_), quote!(_));
            quote! {
                #signature {
                    map.next_value::<serde::de::IgnoredAny>().map(drop)
                }
            }
        }
        [only] => {
            let signature = signature(quote!(slots), quote!(_));
            quote!(#signature { #only })
        }
        [first @ .., last] => {
            let signature = signature(quote!(slots), quote!(index));
            let indices = (0..first.len()).map(Literal::usize_unsuffixed);
            quote! {
                #signature {
                    match index {
                        #(#indices => #first,)*
                        _ => #last,
                    }
                }
            }
        }
    }
}

/// `Deserialize` and `support::StringEnum` for a string enum.
pub(super) fn string_enum_impls(name: &str, values: &StringEnum) -> [TokenStream; 2] {
    let name_ident = ident(name);
    let wires = values.variants.iter().map(|variant| &variant.value);
    let variants = values.variants.iter().map(|variant| ident(&variant.ident));
    [
        deserialize_impl(&name_ident, quote!(support::read_string_enum(deserializer))),
        quote! {
            impl support::StringEnum for #name_ident {
                const NAME: &'static str = #name;
                const VALUES: &'static [&'static str] = &[#(#wires),*];
                const VARIANTS: &'static [Self] = &[#(Self::#variants),*];
            }
        },
    ]
}

fn deserialize_impl(name: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #body
            }
        }
    }
}
