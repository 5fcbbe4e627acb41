//! The ordered output sink every code renderer writes to: a file is its
//! header and then its top-level items in the order they are pushed, each
//! item one declaration with its doc comment, separated by one blank line.
//!
//! Renderers build one item per function (a TypeScript template, or a Rust
//! token stream formatted on its own), so the file's layout is the order of
//! the pushes rather than a pass that guesses where items end.

use crate::contents::Contents;

/// Top-level items of one generated file, in output order.
#[derive(Debug, Default)]
pub struct Items {
    items: Vec<String>,
}

impl Items {
    pub fn new() -> Items {
        Items::default()
    }

    /// Adds one item; surrounding blank lines are the sink's business. An
    /// owned `String` without them is kept as it is, not copied.
    pub fn push(&mut self, item: impl AsRef<str> + Into<String>) {
        let text = item.as_ref();
        let (start, end) = (
            text.len() - text.trim_start_matches('\n').len(),
            text.trim_end_matches('\n').len(),
        );
        if start >= end {
            return;
        }
        let mut owned: String = item.into();
        if start == 0 {
            // Only newlines at the end, if any: cut them off in place.
            owned.truncate(end);
        } else {
            owned = owned[start..end].to_string();
        }
        self.items.push(owned);
    }

    /// Formats `tokens` (one or more Rust items) with prettyplease and adds
    /// them as one item.
    pub fn push_rust(&mut self, tokens: proc_macro2::TokenStream) -> Result<(), String> {
        self.push(rust_text(tokens)?);
        Ok(())
    }

    /// Adds an item written as text in prettyplease's layout. One with a
    /// line wider than prettyplease's margin, which the text writer does
    /// not know how to break, is laid out by prettyplease instead.
    pub fn push_laid_out(&mut self, text: String) -> Result<(), String> {
        if stays_text(&text) {
            self.push(text);
            return Ok(());
        }
        let tokens = text
            .parse::<proc_macro2::TokenStream>()
            .map_err(|error| format!("generated Rust does not parse: {error}"))?;
        self.push_rust(tokens)
    }

    /// Formats each of `tokens` as its own item.
    pub fn push_rust_all(
        &mut self,
        tokens: impl IntoIterator<Item = proc_macro2::TokenStream>,
    ) -> Result<(), String> {
        self.push_all_formatted([rust_texts(tokens)])
    }

    /// Adds items already formatted by [`rust_text`] (on other threads,
    /// say), in order; the first error wins.
    pub fn push_all_formatted(
        &mut self,
        formatted: impl IntoIterator<Item = Result<Vec<String>, String>>,
    ) -> Result<(), String> {
        for items in formatted {
            items?.into_iter().for_each(|item| self.push(item));
        }
        Ok(())
    }

    /// The file: `header`, then the items, one blank line apart, ending in
    /// one newline. The items become its pieces as they are, never copied
    /// into one string.
    pub fn finish(self, header: String) -> Contents {
        let mut contents = Contents::new();
        contents.push(header);
        let count = self.items.len();
        for (index, item) in self.items.into_iter().enumerate() {
            contents.push(item);
            contents.push(if index + 1 < count { "\n\n" } else { "\n" });
        }
        contents
    }
}

/// Whether [`Items::push_laid_out`] keeps `text` as written: no line
/// passes prettyplease's margin.
pub(crate) fn stays_text(text: &str) -> bool {
    widest_line(text) <= super::rust_text::MARGIN
}

/// The length in bytes of the longest line of `text`, a line's final comma
/// not counted: prettyplease lets a trailing comma hang past its margin
/// (a match arm or a field exactly one column too wide keeps its line).
/// Lines found with `memchr`, as every item of a large module is measured.
fn widest_line(text: &str) -> usize {
    let bytes = text.as_bytes();
    let width = |line: &[u8]| line.len() - usize::from(line.last() == Some(&b','));
    let (mut widest, mut start) = (0, 0);
    for end in memchr::memchr_iter(b'\n', bytes) {
        widest = widest.max(width(&bytes[start..end]));
        start = end + 1;
    }
    widest.max(width(&bytes[start..]))
}

/// `tokens` (one or more Rust items) formatted by prettyplease.
pub fn rust_text(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| format!("generated Rust does not parse: {error}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Each of `tokens` formatted as its own item.
pub fn rust_texts(
    tokens: impl IntoIterator<Item = proc_macro2::TokenStream>,
) -> Result<Vec<String>, String> {
    tokens.into_iter().map(rust_text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn items_are_one_blank_line_apart() {
        let mut items = Items::new();
        items.push("const a = 1;\n\n");
        items.push("");
        items.push("\nconst b = 2;");
        assert_eq!(
            items.finish("// header\n\n".into()),
            "// header\n\nconst a = 1;\n\nconst b = 2;\n"
        );
    }

    #[test]
    fn rust_items_are_formatted_and_checked() {
        let mut items = Items::new();
        items
            .push_rust(quote!(impl A { fn f() {} }))
            .expect("valid Rust");
        assert_eq!(items.finish(String::new()), "impl A {\n    fn f() {}\n}\n");
        assert!(Items::new().push_rust(quote!(fn)).is_err());
    }

    #[test]
    fn the_widest_line_is_measured_in_bytes() {
        assert_eq!(widest_line(""), 0);
        assert_eq!(widest_line("ab\nabcd\n"), 4);
        assert_eq!(widest_line("ab\nabc"), 3);
        assert_eq!(widest_line("\u{e9}"), 2);
        // A trailing comma hangs past prettyplease's margin.
        assert_eq!(widest_line("abc,\nab"), 3);
        assert_eq!(widest_line("a,b\n"), 3);
    }

    #[test]
    fn text_too_wide_for_one_line_is_laid_out_by_prettyplease() {
        let long = "L".repeat(80);
        let text = format!("impl From<{long}> for E {{\n    fn f() {{}}\n}}\n");
        let mut items = Items::new();
        items.push_laid_out(text.clone()).expect("valid Rust");
        let expected = rust_text(text.parse().unwrap()).unwrap();
        assert_ne!(expected, text);
        assert_eq!(items.finish(String::new()), expected);
        let mut items = Items::new();
        items
            .push_laid_out("struct S;\n".into())
            .expect("valid Rust");
        assert_eq!(items.finish(String::new()), "struct S;\n");
    }
}
