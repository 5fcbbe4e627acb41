//! Rust written as text, in the layout prettyplease gives it: the pieces
//! the per-type renderers ([`super::rust_types`], [`super::rust_reading`],
//! [`super::rust_holds`]) build their items from.
//!
//! Most of a large channel module is a few shapes repeated per type, so it
//! is written straight to a `String` rather than built as tokens, parsed by
//! `syn` and printed by prettyplease, which took most of `gen`'s time. The
//! tests check each shape against prettyplease's own output.

use std::fmt::Write;

/// The widest line prettyplease writes before it breaks a group.
pub(crate) const MARGIN: usize = 89;

/// One level of indentation.
pub(crate) const INDENT: usize = 4;

/// A model identifier as Rust text: raw identifiers stay raw, and `Self`
/// (the UpperCamelCase of `self`, a keyword that cannot be raw) becomes
/// `Self_`: no other generated name ends in `_`, so it cannot collide.
pub(crate) fn ident(name: &str) -> &str {
    if name == "Self" { "Self_" } else { name }
}

/// Whether `name` is one identifier as `syn` parses it: a word of Unicode
/// identifier characters that is not a keyword, or a raw identifier
/// (`r#type`) of any word but the few that cannot be raw. This is the
/// check of every generated name, without a tokenizer and parser per name.
pub(crate) fn is_identifier(name: &str) -> bool {
    let (raw, word) = match name.strip_prefix("r#") {
        Some(word) => (true, word),
        None => (false, name),
    };
    let mut chars = word.chars();
    let starts = chars
        .next()
        .is_some_and(|first| first == '_' || unicode_ident::is_xid_start(first));
    if !starts || !chars.all(unicode_ident::is_xid_continue) || word == "_" {
        return false;
    }
    if raw {
        !matches!(word, "crate" | "self" | "super" | "Self")
    } else {
        !NOT_IDENTIFIERS.contains(&word)
    }
}

/// The words `syn` does not take as identifiers: Rust's strict and
/// reserved keywords (edition 2018 and later).
const NOT_IDENTIFIERS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl", "in",
    "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A Rust string literal holding `text`, escaped as `quote` escapes it.
/// Text of printable ASCII other than `"` and `\` (nearly every name and
/// description) is written as it is; anything else is left to
/// `proc_macro2`, whose escaping rules it is.
pub(crate) fn string(text: &str) -> String {
    let plain = text
        .bytes()
        .all(|byte| matches!(byte, b' '..=b'~') && byte != b'"' && byte != b'\\');
    if !plain {
        return proc_macro2::Literal::string(text).to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    out.push_str(text);
    out.push('"');
    out
}

/// Appends `indent` spaces.
pub(crate) fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Appends one line at `indent`.
pub(crate) fn line(out: &mut String, indent: usize, text: &str) {
    pad(out, indent);
    out.push_str(text);
    out.push('\n');
}

/// Appends one line at `indent` made of `parts`, with no `format!` in
/// between: the per-field lines of a large module are most of its text.
pub(crate) fn line_of(out: &mut String, indent: usize, parts: &[&str]) {
    pad(out, indent);
    parts.iter().for_each(|part| out.push_str(part));
    out.push('\n');
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
    let text = text.trim();
    // Line ends as `\n` only, copied only when there are others.
    let text = match text.contains('\r') {
        true => std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")),
        false => std::borrow::Cow::Borrowed(text),
    };
    for line in text.lines() {
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

/// Appends the doc comment of `text` (nothing for `None`), wrapped as
/// [`doc_lines`] wraps it.
pub(crate) fn docs(out: &mut String, indent: usize, text: Option<&str>) {
    let Some(text) = text else {
        return;
    };
    // Most descriptions are one short line, which wraps to itself.
    if let Some(line) = one_short_line(text) {
        pad(out, indent);
        out.push_str("/// ");
        out.push_str(line);
        out.push('\n');
        return;
    }
    for doc in doc_lines(text) {
        doc_line(out, indent, &doc);
    }
}

/// `text` trimmed, when [`doc_lines`] would give it back as one line
/// unchanged: one line that fits, without a run of spaces (wrapping
/// joins words with one) or a code fence.
fn one_short_line(text: &str) -> Option<&str> {
    let line = text.trim();
    let plain = !line.is_empty()
        && line.len() <= DOC_WIDTH
        && !line.contains(['\n', '\r'])
        && !line.contains("  ")
        && !line.starts_with("```")
        && !line.starts_with("~~~");
    plain.then_some(line)
}

/// Appends one `///` line; `text` starts with its space, as a `#[doc]`
/// string does.
pub(crate) fn doc_line(out: &mut String, indent: usize, text: &str) {
    pad(out, indent);
    out.push_str("///");
    out.push_str(text.trim_end_matches(' '));
    out.push('\n');
}

/// The rows in each page of a [`paged_table`]: the support module's
/// `checks::PAGE`, which every full page names as its length, so the two
/// cannot disagree in a crate that compiles.
pub(crate) const PAGE: usize = 128;

/// A table of `rows` as statics, one item each: `{name}` (after `doc`)
/// lists its pages, `[&[{ty}]; pages]`, and each `{name}_PAGE_{n}` holds
/// [`PAGE`] rows (the last one may hold fewer), each written by `row`. The
/// compiler's time for one initializer grows with the square of its
/// length, so a table of thousands of rows costs it far less in pages.
pub(crate) fn paged_table<T>(
    doc: &str,
    name: &str,
    ty: &str,
    rows: &[T],
    mut row: impl FnMut(&mut String, &T),
) -> Vec<String> {
    let pages: Vec<&[T]> = rows.chunks(PAGE).collect();
    let page_refs: Vec<String> = (0..pages.len())
        .map(|page| format!("&{name}_PAGE_{page}"))
        .collect();
    let mut index = String::new();
    docs(&mut index, 0, Some(doc));
    let head = format!("static {name}: [&[{ty}]; {}] = [", pages.len());
    list(&mut index, 0, &head, &page_refs, "];", Lone::Plain);
    let mut items = vec![index];
    for (page, page_rows) in pages.into_iter().enumerate() {
        let first = page * PAGE;
        let last = first + page_rows.len() - 1;
        let mut out = String::new();
        doc_line(
            &mut out,
            0,
            &format!(" Rows {first} to {last} of [`{name}`]."),
        );
        let len = match page_rows.len() {
            PAGE => "checks::PAGE".to_string(),
            short => short.to_string(),
        };
        line(
            &mut out,
            0,
            &format!("static {name}_PAGE_{page}: [{ty}; {len}] = ["),
        );
        for each in page_rows {
            row(&mut out, each);
        }
        out.push_str("];\n");
        items.push(out);
    }
    items
}

/// How a bracketed list writes a lone element on one line: `(A,)` for a
/// tuple, `[a]` otherwise.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lone {
    Plain,
    TupleComma,
}

/// `{head}{items}{tail}` at `indent`: on one line when it fits, else one
/// item per line, each with a comma, and `tail` on a line of its own.
/// `head` ends with the opening bracket and `tail` starts with the closing
/// one.
pub(crate) fn list(
    out: &mut String,
    indent: usize,
    head: &str,
    items: &[String],
    tail: &str,
    lone: Lone,
) {
    let joined = items.iter().map(String::len).sum::<usize>() + 2 * items.len().saturating_sub(1);
    let comma = usize::from(lone == Lone::TupleComma && items.len() == 1);
    if items.is_empty() || indent + head.len() + joined + comma + tail.len() <= MARGIN {
        pad(out, indent);
        out.push_str(head);
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            out.push_str(item);
        }
        if comma == 1 {
            out.push(',');
        }
        out.push_str(tail);
        out.push('\n');
        return;
    }
    line(out, indent, head);
    for item in items {
        pad(out, indent + INDENT);
        out.push_str(item);
        out.push_str(",\n");
    }
    line(out, indent, tail);
}

/// A call `{head}({args})` as an expression: on one line when it fits the
/// space left, else one argument per line.
pub(crate) struct Call<'a> {
    pub head: &'a str,
    pub args: &'a [String],
}

impl Call<'_> {
    fn one_line_len(&self) -> usize {
        self.head.len()
            + 2
            + self.args.iter().map(String::len).sum::<usize>()
            + 2 * self.args.len().saturating_sub(1)
    }

    /// Writes the call from the current column (`indent` is the line's);
    /// `column` counts what must fit on its line with it, before and after.
    pub(crate) fn write(&self, out: &mut String, indent: usize, column: usize) {
        out.push_str(self.head);
        out.push('(');
        if column + self.one_line_len() <= MARGIN {
            for (index, arg) in self.args.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(arg);
            }
            out.push(')');
        } else {
            out.push('\n');
            for arg in self.args {
                line(out, indent + INDENT, &format!("{arg},"));
            }
            pad(out, indent);
            out.push(')');
        }
    }
}

/// A match arm `{pattern} => {call},` at `indent`: on one line when it
/// fits, else the call in a block on the lines below.
pub(crate) fn call_arm(out: &mut String, indent: usize, pattern: &str, call: &Call<'_>) {
    let head = indent + pattern.len() + 4;
    // The arm's comma does not count against the margin.
    if head + call.one_line_len() <= MARGIN {
        pad(out, indent);
        let _ = write!(out, "{pattern} => ");
        call.write(out, indent, head);
        out.push_str(",\n");
        return;
    }
    line(out, indent, &format!("{pattern} => {{"));
    pad(out, indent + INDENT);
    call.write(out, indent + INDENT, indent + INDENT);
    out.push('\n');
    line(out, indent, "}");
}

/// A call on a line of its own at `indent` (a block's value), `after`
/// following it (`;`, or nothing).
pub(crate) fn call_line(out: &mut String, indent: usize, call: &Call<'_>, after: &str) {
    pad(out, indent);
    call.write(out, indent, indent + after.len());
    out.push_str(after);
    out.push('\n');
}

/// A statement calling a method on a short receiver,
/// `{receiver}.{call};`, at `indent`: on one line when it fits, else the
/// method on the next line under the receiver, its arguments broken one
/// per line if it still does not fit.
pub(crate) fn method_line(out: &mut String, indent: usize, receiver: &str, call: &Call<'_>) {
    // `{receiver}.` before the call and `;` after it.
    let around = receiver.len() + ".;".len();
    if indent + around + call.one_line_len() <= MARGIN {
        pad(out, indent);
        let _ = write!(out, "{receiver}.");
        call.write(out, indent, indent + around);
        out.push_str(";\n");
        return;
    }
    line(out, indent, receiver);
    pad(out, indent + INDENT);
    out.push('.');
    call.write(out, indent + INDENT, indent + INDENT + ".;".len());
    out.push_str(";\n");
}

/// A match arm whose body is text that does not break (a literal).
pub(crate) fn atom_arm(out: &mut String, indent: usize, pattern: &str, body: &str) {
    if indent + pattern.len() + 4 + body.len() <= MARGIN {
        pad(out, indent);
        let _ = writeln!(out, "{pattern} => {body},");
    } else {
        line(out, indent, &format!("{pattern} => {{"));
        line(out, indent + INDENT, body);
        line(out, indent, "}");
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn identifiers_are_what_syn_takes_as_identifiers() {
        let mut names: Vec<String> = NOT_IDENTIFIERS
            .iter()
            .map(|word| word.to_string())
            .collect();
        names.extend(
            [
                "",
                "_",
                "__",
                "_1",
                "1a",
                "a1",
                "Self_",
                "gen",
                "union",
                "macro_rules",
                "raw",
                "größe",
                "Größe",
                "ÿ",
                "µ",
                "ℕ",
                "m²",
                "a-b",
                "a b",
                "a.b",
                "é",
                "\u{301}a",
                "日本",
                "a\u{200d}",
                "r#",
                "r#_",
                "r#1",
                "r##a",
                "r#r#a",
                "'a",
                "a'",
                "😀",
            ]
            .map(String::from),
        );
        let raw: Vec<String> = names.iter().map(|name| format!("r#{name}")).collect();
        for name in names.iter().chain(&raw) {
            let parsed = syn::parse_str::<syn::Ident>(name).is_ok();
            assert_eq!(is_identifier(name), parsed, "{name:?}");
        }
    }

    /// `text` (whole items) as prettyplease lays it out.
    pub(crate) fn prettyplease(text: &str) -> String {
        let file = syn::parse_file(text).unwrap_or_else(|error| panic!("{error}\n{text}"));
        prettyplease::unparse(&file)
    }

    /// Asserts that `text` is laid out exactly as prettyplease lays it out,
    /// showing the first line where they part.
    pub(crate) fn assert_laid_out(text: &str) {
        let expected = prettyplease(text);
        if text == expected {
            return;
        }
        let ours: Vec<&str> = text.lines().collect();
        let theirs: Vec<&str> = expected.lines().collect();
        let at = (0..ours.len().max(theirs.len()))
            .find(|&index| ours.get(index) != theirs.get(index))
            .unwrap_or(0);
        let from = at.saturating_sub(3);
        panic!(
            "laid out (from line {from}):\n{}\n\nprettyplease:\n{}",
            ours[from..(at + 4).min(ours.len())].join("\n"),
            theirs[from..(at + 4).min(theirs.len())].join("\n"),
        );
    }

    #[test]
    fn strings_are_escaped_as_quote_escapes_them() {
        let texts = [
            "",
            "task_created",
            "A task's title, with 'quotes' and {braces}.",
            "say \"hi\"",
            "back\\slash",
            "tab\tand\nnewline",
            "nul\0 then 7\u{0}7",
            "caf\u{e9} \u{1f600} \u{301}",
            "~ and DEL \u{7f}",
        ];
        for text in texts {
            assert_eq!(
                string(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    fn names(width: usize, count: usize) -> Vec<String> {
        (0..count)
            .map(|index| format!("\"{}{index}\"", "n".repeat(width)))
            .collect()
    }

    #[test]
    fn lists_break_where_prettyplease_breaks_them() {
        for width in 0..40 {
            for count in 0..5 {
                let mut out = String::new();
                let items = names(width, count);
                list(
                    &mut out,
                    0,
                    "const X: &[&str] = &[",
                    &items,
                    "];",
                    Lone::Plain,
                );
                assert_laid_out(&out);
                let mut out = String::new();
                let types: Vec<String> = (0..count)
                    .map(|i| format!("A{}{i}", "b".repeat(width)))
                    .collect();
                list(&mut out, 0, "type T = (", &types, ");", Lone::TupleComma);
                assert_laid_out(&out);
            }
        }
    }

    #[test]
    fn arms_break_where_prettyplease_breaks_them() {
        for width in 0..70 {
            let wire = string(&"w".repeat(width));
            let args = ["&mut slots.0".to_string(), "map".to_string(), wire.clone()];
            let mut out = String::from("fn f() {\n    match index {\n");
            call_arm(
                &mut out,
                8,
                "0",
                &Call {
                    head: "support::read_field",
                    args: &args,
                },
            );
            atom_arm(&mut out, 8, "_", &wire);
            out.push_str("    }\n}\n");
            assert_laid_out(&out);
        }
    }

    #[test]
    fn method_calls_break_where_prettyplease_breaks_them() {
        for width in 0..90 {
            let args = [
                string(&"w".repeat(width)),
                format!("&self.{}", "f".repeat(width / 2 + 1)),
            ];
            let call = Call {
                head: "optional",
                args: &args,
            };
            let mut out = String::from("impl X {\n    fn f() {\n");
            method_line(&mut out, 2 * INDENT, "object", &call);
            out.push_str("    }\n}\n");
            assert_laid_out(&out);
        }
    }

    #[test]
    fn doc_lines_are_written_as_prettyplease_writes_doc_attributes() {
        let mut out = String::new();
        docs(&mut out, 0, Some("A line.  \n\nAnother, with `code`."));
        out.push_str("struct S;\n");
        assert_laid_out(&out);
    }

    #[test]
    fn a_short_line_is_written_as_doc_lines_would_write_it() {
        let texts = [
            "A task was created.",
            "  Padded, with a trailing space. ",
            "Two  spaces inside.",
            "- a list item",
            "1. an ordered item",
            "# a heading",
            "| a | table |",
            "> a quote",
            "```",
            "~~~rust",
            "    indented code",
            "tab\tinside",
            "",
            "   ",
            "exactly ninety characters wide, give or take: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "ninety-one characters wide, which wraps onto a second line: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "two\nlines",
            "ünïcödé text that is short",
        ];
        for text in texts {
            let mut fast = String::new();
            docs(&mut fast, 4, Some(text));
            let mut slow = String::new();
            for doc in doc_lines(text) {
                doc_line(&mut slow, 4, &doc);
            }
            assert_eq!(fast, slow, "{text:?}");
        }
        assert_eq!(
            (texts[14].len(), texts[15].len()),
            (DOC_WIDTH, DOC_WIDTH + 1)
        );
        assert!(one_short_line(texts[0]).is_some() && one_short_line(texts[15]).is_none());
    }

    #[test]
    fn carriage_returns_end_lines_as_newlines_do() {
        let unix = "A paragraph\nover two lines.\n\n    code\n\nEnd.";
        assert_eq!(doc_lines(&unix.replace('\n', "\r\n")), doc_lines(unix));
        assert_eq!(doc_lines(&unix.replace('\n', "\r")), doc_lines(unix));
        assert_eq!(doc_lines(unix).len(), 5);
    }

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
