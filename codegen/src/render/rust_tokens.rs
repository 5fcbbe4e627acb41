//! Small pieces every Rust renderer uses: identifiers from model names,
//! doc attributes from catalog text (wrapped where Markdown allows), and
//! literals. A leaf of `render`, so the crate and message renderers share
//! it without depending on each other.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier of the model as a Rust identifier. `Self` (the UpperCamelCase
/// of `self`) is a keyword that cannot be raw, so it becomes `Self_`: no other
/// generated name ends in `_`, so it cannot collide.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None if name == "Self" => Ident::new("Self_", Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The lines of a doc comment (each with its leading space), wrapped at
/// [`DOC_WIDTH`] where Markdown allows: prose and list items, never code
/// blocks, tables or headings. A paragraph's or list item's lines are
/// joined before wrapping, as Markdown reads them, so a line that continues
/// a list item "lazily" (without indentation) ends up indented under it.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    // The paragraph or list item being gathered.
    let mut pending: Option<String> = None;
    let flush = |pending: &mut Option<String>, out: &mut Vec<String>| {
        if let Some(line) = pending.take() {
            out.extend(wrap(&line));
        }
    };
    for line in text
        .trim()
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
    {
        let line = line.trim_end();
        let body = line.trim_start();
        let fence = body.starts_with("```") || body.starts_with("~~~");
        if fence {
            in_fence = !in_fence;
        }
        // An indented code block cannot interrupt a paragraph or list item:
        // there, an indented line continues it.
        let code = line.len() - body.len() >= 4 && pending.is_none();
        let prose = !(body.is_empty()
            || fence
            || in_fence
            || code
            || body.starts_with('|')
            || body.starts_with('#'));
        if !prose {
            flush(&mut pending, &mut out);
        }
        if body.is_empty() {
            out.push(String::new());
        } else if fence {
            out.push(format!(" \\{body}"));
        } else if in_fence || code {
            out.push(format!(" {body}"));
        } else if body.starts_with('|') || body.starts_with('#') {
            out.push(format!(" {line}"));
        } else if list_marker(body) > 0 || starts_a_block(body.split(' ').next().unwrap_or("")) {
            flush(&mut pending, &mut out);
            pending = Some(line.to_string());
        } else {
            match &mut pending {
                Some(joined) => {
                    joined.push(' ');
                    joined.push_str(body);
                }
                None => pending = Some(line.to_string()),
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// The length of the list marker `body` starts with (`- `, `1. `), or 0.
fn list_marker(body: &str) -> usize {
    if ["- ", "* ", "+ "]
        .iter()
        .any(|marker| body.starts_with(marker))
    {
        return 2;
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let rest = &body[digits..];
    if digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")) {
        digits + 2
    } else {
        0
    }
}

/// How wide a doc comment's text may run before it wraps.
const DOC_WIDTH: usize = 90;

/// Whether Markdown would read `word` at the start of a line as more than text.
fn starts_a_block(word: &str) -> bool {
    let ordered = word
        .trim_end_matches(['.', ')'])
        .chars()
        .all(|c| c.is_ascii_digit())
        && word.ends_with(['.', ')']);
    ordered
        || matches!(word, "-" | "+" | "*" | ">" | "=" | "|")
        || word.starts_with(['#', '>', '|', '='])
        || ["---", "```", "~~~"]
            .iter()
            .any(|fence| word.starts_with(fence))
}

/// One Markdown line as wrapped lines; a list item's continuation lines are
/// indented under its text, so rustdoc (and clippy) read them as one item.
fn wrap(line: &str) -> Vec<String> {
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let continuation = " ".repeat(indent + list_marker(body));
    let mut lines = Vec::new();
    let mut current = " ".repeat(indent);
    for word in body.split(' ').filter(|word| !word.is_empty()) {
        let start = current.trim().is_empty();
        // A word Markdown reads as a list, quote, heading or table at the
        // start of a line stays on the line before, however long.
        if !start && current.len() + 1 + word.len() > DOC_WIDTH && !starts_a_block(word) {
            lines.push(format!(" {current}"));
            current = continuation.clone();
        } else if !start {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(format!(" {current}"));
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Matrix's `m.call.hangup`: list items whose lines continue without
    /// indentation, which clippy's `doc_lazy_continuation` refuses.
    #[test]
    fn lazy_list_continuations_are_joined_and_indented() {
        let text = "Reasons:\n * `ice_timeout`: The connection failed after some media\nwas exchanged.\n * `user_busy`: The user is busy,\n      deeply indented.\n\nA paragraph\nover two lines.\n\n    code";
        assert_eq!(
            doc_lines(text),
            [
                " Reasons:",
                "  * `ice_timeout`: The connection failed after some media was exchanged.",
                "  * `user_busy`: The user is busy, deeply indented.",
                "",
                " A paragraph over two lines.",
                "",
                " code",
            ]
        );
        let long = format!("1. {}", "word ".repeat(25));
        let lines = doc_lines(&long);
        assert!(lines[1].starts_with("    word"), "{lines:#?}");
    }

    #[test]
    fn doc_comments_wrap_prose_and_list_items_but_not_code_or_tables() {
        let long = "word ".repeat(30);
        let text = format!("- {long}\n\n```\n{long}\n```\n| a | b |\n\nsee - {long}");
        let lines = doc_lines(&text);
        let fence = lines.iter().position(|line| line == " \\```").unwrap();
        assert!(
            lines[..fence]
                .iter()
                .all(|line| line.len() <= DOC_WIDTH + 1),
            "{lines:#?}"
        );
        assert!(
            lines[1].starts_with("   word"),
            "a list item continues under its text: {lines:#?}"
        );
        assert_eq!(
            lines[fence + 1],
            format!(" {}", long.trim_end()),
            "code is never wrapped"
        );
        assert!(lines.contains(&" | a | b |".to_string()));
        assert!(
            lines
                .iter()
                .all(|line| !line.starts_with(" - ") || line.starts_with(" - word")),
            "a lone `-` never starts a wrapped line: {lines:#?}"
        );
    }
}
