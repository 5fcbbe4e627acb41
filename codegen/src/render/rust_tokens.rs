//! The token forms of [`super::rust_text`]'s pieces, for the items still
//! built as tokens and formatted by prettyplease (the message enums and
//! their readers): identifiers, doc attributes and optional literals.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::rust_text::doc_lines;

/// An identifier of the model as a Rust identifier token ([`super::rust_text::ident`]'s
/// spelling).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(super::rust_text::ident(name), Span::call_site()),
    }
}

pub(crate) fn docs(text: Option<&str>) -> TokenStream {
    let lines = text.map(doc_lines).unwrap_or_default();
    quote!(#(#[doc = #lines])*)
}

pub(crate) fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}
