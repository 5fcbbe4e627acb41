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
/// (which cannot be raw) becomes `Self_`, as [`super::rust_tokens::ident`]
/// makes it.
pub(crate) fn ident(name: &str) -> &str {
    if name == "Self" { "Self_" } else { name }
}

/// A Rust string literal holding `text`, escaped as `quote` escapes it.
pub(crate) fn string(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
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

/// Appends the doc comment of `text` (nothing for `None`), wrapped as
/// [`super::rust_tokens::doc_lines`] wraps it.
pub(crate) fn docs(out: &mut String, indent: usize, text: Option<&str>) {
    if let Some(text) = text {
        for doc in super::rust_tokens::doc_lines(text) {
            doc_line(out, indent, &doc);
        }
    }
}

/// Appends one `///` line; `text` starts with its space, as a `#[doc]`
/// string does.
pub(crate) fn doc_line(out: &mut String, indent: usize, text: &str) {
    pad(out, indent);
    out.push_str("///");
    out.push_str(text.trim_end_matches(' '));
    out.push('\n');
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
    fn doc_lines_are_written_as_prettyplease_writes_doc_attributes() {
        let mut out = String::new();
        docs(&mut out, 0, Some("A line.  \n\nAnother, with `code`."));
        out.push_str("struct S;\n");
        assert_laid_out(&out);
    }
}
