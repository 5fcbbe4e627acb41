//! The support module of the generated crate: catalog-independent code
//! (metadata and error types, the readers of payload structs and enums,
//! the envelope's reader and writer) written once by hand in `codegen/support/support.rs` and copied
//! word for word into every generated crate, inside its `lib.rs`. Why a
//! copy and not a runtime crate: see that file's module docs.
//!
//! The module sits in `lib.rs` rather than a file of its own so that a
//! generated crate keeps its set of files (`Cargo.toml`, `src/lib.rs`, the
//! channel module); `lib.rs` carries the generated-file header, so `gen`
//! rewrites the copy and `check` compares it like any output.

/// The hand-written support module, as every generated crate carries it.
const SOURCE: &str = include_str!("../../support/support.rs");

/// The validator's interpreter, also in every generated crate.
const CHECKS_SOURCE: &str = include_str!("../../support/checks.rs");

/// The support module's name in the generated crate: `support`, unless the
/// channel module is called that (a channel named `support`).
pub(super) fn module_name(channel_module: &str) -> &'static str {
    if channel_module == "support" {
        "eventcat_support"
    } else {
        "support"
    }
}

/// `mod <name> { <the support module> }` for `lib.rs`, its lines indented
/// (the source holds no string that spans lines, so indenting changes no
/// token) and kept out of rustfmt's reach like the channel module.
pub(super) fn inline_module(name: &str) -> String {
    inline(name, SOURCE)
}

/// `mod eventcat_checks { <the validator> }` for `lib.rs`, like
/// [`inline_module`]; prefixed, as a channel may well be called `checks`.
pub(super) fn inline_checks() -> String {
    inline("eventcat_checks", CHECKS_SOURCE)
}

fn inline(name: &str, source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    out.push_str(&format!("#[rustfmt::skip]\nmod {name} {{\n"));
    for line in source.lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

// The support module compiled here as in a generated crate, whose root
// provides `CHANNEL`, with its unit tests beside it: `cargo test` runs them
// without a second copy of the file.
#[cfg(test)]
#[path = "../../support/support.rs"]
mod support;

#[cfg(test)]
#[path = "../../support/checks.rs"]
mod eventcat_checks;

#[cfg(test)]
#[path = "../../support/tests.rs"]
mod support_tests;

#[cfg(test)]
const CHANNEL: &str = "board";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_module_holds_the_source_token_for_token() {
        let inline: syn::File = syn::parse_str(&inline_module("support")).unwrap();
        let [syn::Item::Mod(module)] = inline.items.as_slice() else {
            panic!("one module expected");
        };
        let (_, items) = module.content.as_ref().unwrap();
        let source: syn::File = syn::parse_str(SOURCE).unwrap();
        let tokens = |tokens: Vec<String>| tokens.join("\n");
        let items_of = |items: &[syn::Item]| {
            tokens(
                items
                    .iter()
                    .map(|item| quote::quote!(#item).to_string())
                    .collect(),
            )
        };
        let attrs_of = |attrs: &[syn::Attribute]| {
            tokens(
                attrs
                    .iter()
                    .map(|attr| quote::quote!(#attr).to_string())
                    .collect(),
            )
        };
        assert_eq!(items_of(items), items_of(&source.items));
        // `#[rustfmt::skip]` outside; the module docs and `allow` inside.
        let (skip, inner) = module.attrs.split_first().unwrap();
        assert_eq!(quote::quote!(#skip).to_string(), "# [rustfmt :: skip]");
        assert_eq!(attrs_of(inner), attrs_of(&source.attrs));
    }

    #[test]
    fn a_channel_named_support_moves_the_support_module() {
        assert_eq!(module_name("board"), "support");
        assert_eq!(module_name("support"), "eventcat_support");
    }
}
