//! Validation in the generated Rust: each payload's `validate`, each
//! family's message layout for the envelope's reader, and the catalog's
//! [`Checks`] as a static table that the crate's `eventcat_checks` module
//! (hand-written, `codegen/support/checks.rs`) walks.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Number;

use super::rust_tokens::ident;
use crate::checks::{Check, Checks, JsonType};
use crate::model::Catalog;

/// `EVENT_MESSAGES` / `COMMAND_MESSAGES`: a family's message layout.
pub fn messages_name(noun: &str) -> Ident {
    format_ident!("{}_MESSAGES", noun.to_uppercase())
}

/// Everything validation adds to the channel module, in order.
pub fn items(catalog: &Catalog, checks: &Checks) -> Vec<TokenStream> {
    let mut items: Vec<TokenStream> = catalog
        .events
        .iter()
        .map(|event| {
            payload_validate(
                &catalog.ty(event.payload).name,
                checks.payloads[&event.name],
            )
        })
        .collect();
    for family in catalog.families() {
        items.push(messages(catalog, family.noun, &family.members, checks));
    }
    items.push(quote! {
        /// The catalog's schemas with their patterns, as the validator reads them.
        static SCHEMAS: checks::Schemas = checks::Schemas {
            checks: &CHECKS,
            patterns: &PATTERNS,
            matches,
        };
    });
    items.push(table(checks));
    items.extend(patterns(checks));
    items
}

fn payload_validate(payload: &str, at: usize) -> TokenStream {
    let payload = ident(payload);
    let at = Literal::usize_unsuffixed(at);
    quote! {
        impl #payload {
            /// Checks the payload against every keyword of its schema,
            /// including what the type cannot say (bounds, lengths,
            /// patterns, formats); the error names the first value that fails.
            pub fn validate(&self) -> Result<(), ValidationError> {
                checks::validate(self, &SCHEMAS, #at)
            }
        }
    }
}

fn messages(
    catalog: &Catalog,
    noun: &str,
    members: &[&crate::model::Event],
    checks: &Checks,
) -> TokenStream {
    let name = messages_name(noun);
    let envelope = &catalog.envelope;
    let type_field = &envelope.type_field;
    let optional = |value: Option<&String>| match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    };
    let version_field = optional(envelope.version_field.as_ref());
    let payload_field = optional(envelope.payload_field.as_ref());
    let omit_empty_payload = envelope.omit_empty_payload;
    let fields: Vec<&String> = catalog
        .envelope_fields()
        .map(|object| object.fields.iter().map(|field| &field.name).collect())
        .unwrap_or_default();
    let fields_check = match checks.envelope_fields {
        Some(at) => {
            let at = Literal::usize_unsuffixed(at);
            quote!(Some(#at))
        }
        None => quote!(None),
    };
    let payloads = members.iter().flat_map(|event| {
        let at = Literal::usize_unsuffixed(checks.payloads[&event.name]);
        std::iter::once(&event.name)
            .chain(&event.aliases)
            .map(move |name| quote!((#name, #at)))
    });
    let by_type = members
        .iter()
        .map(|event| Literal::usize_unsuffixed(checks.payloads[&event.name]));
    let doc = format!(" Where {noun} messages keep their parts, and each type's payload check.");
    quote! {
        #[doc = #doc]
        static #name: checks::Messages = checks::Messages {
            type_field: #type_field,
            version_field: #version_field,
            payload_field: #payload_field,
            omit_empty_payload: #omit_empty_payload,
            fields: &[#(#fields),*],
            fields_check: #fields_check,
            payloads: &[#(#payloads),*],
            by_type: &[#(#by_type),*],
        };
    }
}

/// `CHECKS`: one schema per entry, only the keywords it has.
fn table(checks: &Checks) -> TokenStream {
    let rows = checks.table.iter().map(check_tokens);
    let count = Literal::usize_unsuffixed(checks.table.len());
    quote! {
        /// The catalog's schemas: payloads, shared definitions and envelope
        /// fields, subschemas by index.
        static CHECKS: [checks::Check; #count] = [#(#rows),*];
    }
}

fn check_tokens(check: &Check) -> TokenStream {
    let mut members: Vec<TokenStream> = Vec::new();
    if check.never {
        members.push(quote!(never: true));
    }
    push_index(&mut members, "reference", check.reference);
    if !check.types.is_empty() {
        let types = check.types.iter().map(|ty| json_type(*ty));
        members.push(quote!(types: &[#(#types),*]));
    }
    if let Some(constant) = &check.constant {
        let text = constant.to_string();
        members.push(quote!(constant: Some(#text)));
    }
    if let Some(values) = &check.enumeration {
        let texts = values.iter().map(|value| value.to_string());
        members.push(quote!(enumeration: Some(&[#(#texts),*])));
    }
    let numbers = [
        ("minimum", &check.minimum),
        ("maximum", &check.maximum),
        ("exclusive_minimum", &check.exclusive_minimum),
        ("exclusive_maximum", &check.exclusive_maximum),
        ("multiple_of", &check.multiple_of),
    ];
    for (key, number) in numbers {
        if let Some(number) = number {
            let key = format_ident!("{key}");
            let value = float(number);
            members.push(quote!(#key: Some(#value)));
        }
    }
    let counts = [
        ("min_length", check.min_length),
        ("max_length", check.max_length),
        ("min_items", check.min_items),
        ("max_items", check.max_items),
        ("min_properties", check.min_properties),
        ("max_properties", check.max_properties),
    ];
    for (key, count) in counts {
        push_index(&mut members, key, count.map(|count| count as usize));
    }
    object_tokens(check, &mut members);
    quote!(checks::Check { #(#members,)* ..checks::Check::ANY })
}

fn object_tokens(check: &Check, members: &mut Vec<TokenStream>) {
    push_index(members, "pattern", check.pattern);
    if let Some(format) = &check.format {
        members.push(quote!(format: Some(#format)));
    }
    push_index(members, "items", check.items);
    if check.unique_items {
        members.push(quote!(unique_items: true));
    }
    if !check.required.is_empty() {
        let names = &check.required;
        members.push(quote!(required: &[#(#names),*]));
    }
    if !check.properties.is_empty() {
        let entries = check.properties.iter().map(|(name, at)| {
            let at = Literal::usize_unsuffixed(*at);
            quote!((#name, #at))
        });
        members.push(quote!(properties: &[#(#entries),*]));
    }
    if !check.pattern_properties.is_empty() {
        let entries = check.pattern_properties.iter().map(|(pattern, at)| {
            let (pattern, at) = (
                Literal::usize_unsuffixed(*pattern),
                Literal::usize_unsuffixed(*at),
            );
            quote!((#pattern, #at))
        });
        members.push(quote!(pattern_properties: &[#(#entries),*]));
    }
    push_index(members, "additional_properties", check.additional);
    push_index(members, "property_names", check.property_names);
    for (key, list) in [
        ("all_of", &check.all_of),
        ("any_of", &check.any_of),
        ("one_of", &check.one_of),
    ] {
        if !list.is_empty() {
            let key = format_ident!("{key}");
            let indices = list.iter().map(|at| Literal::usize_unsuffixed(*at));
            members.push(quote!(#key: &[#(#indices),*]));
        }
    }
}

fn push_index(members: &mut Vec<TokenStream>, key: &str, value: Option<usize>) {
    if let Some(value) = value {
        let key = format_ident!("{key}");
        let value = Literal::usize_unsuffixed(value);
        members.push(quote!(#key: Some(#value)));
    }
}

fn json_type(ty: JsonType) -> TokenStream {
    match ty {
        JsonType::Null => quote!(checks::JsonType::Null),
        JsonType::Boolean => quote!(checks::JsonType::Boolean),
        JsonType::Object => quote!(checks::JsonType::Object),
        JsonType::Array => quote!(checks::JsonType::Array),
        JsonType::Number => quote!(checks::JsonType::Number),
        JsonType::String => quote!(checks::JsonType::String),
        JsonType::Integer => quote!(checks::JsonType::Integer),
    }
}

/// A bound as an `f64` literal, in its shortest exact spelling.
fn float(number: &Number) -> Literal {
    Literal::f64_unsuffixed(number.as_f64().unwrap_or_default())
}

/// `PATTERNS` and `matches`, which compiles them once with `regex-lite`.
fn patterns(checks: &Checks) -> [TokenStream; 2] {
    let sources = &checks.patterns;
    let count = Literal::usize_unsuffixed(sources.len());
    let list = quote! {
        /// The schemas' `pattern`s and `patternProperties`, by index.
        static PATTERNS: [&str; #count] = [#(#sources),*];
    };
    let matcher = if sources.is_empty() {
        quote! {
            /// Whether `text` matches pattern `index`; the catalog has no patterns.
            fn matches(_index: usize, _text: &str) -> bool {
                true
            }
        }
    } else {
        quote! {
            /// Whether `text` matches pattern `index`, each compiled once. A
            /// pattern `regex-lite` cannot compile matches nothing: a check
            /// fails closed rather than let a value through unchecked.
            fn matches(index: usize, text: &str) -> bool {
                static COMPILED: std::sync::OnceLock<Vec<Option<regex_lite::Regex>>> =
                    std::sync::OnceLock::new();
                let compiled = COMPILED.get_or_init(|| {
                    PATTERNS.iter().map(|source| regex_lite::Regex::new(source).ok()).collect()
                });
                compiled
                    .get(index)
                    .and_then(Option::as_ref)
                    .is_some_and(|pattern| pattern.is_match(text))
            }
        }
    };
    [list, matcher]
}
