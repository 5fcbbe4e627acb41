//! Python's lexical pieces, written the way `ruff format` (and black) lays
//! them out: string literals, docstrings, comments, identifiers, and
//! bracketed lists that wrap at 88 columns.

/// The line length `ruff format` and black wrap at.
const LINE_LENGTH: usize = 88;

/// Python's keywords: a property with one of these names cannot be a class
/// attribute of a `TypedDict`.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Whether `name` can be a `TypedDict` class attribute that keeps its wire
/// key: an ASCII identifier, not a keyword, and not one Python would mangle
/// (`__name` inside a class body becomes `_Class__name`).
pub fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    let mangled = name.starts_with("__") && !name.ends_with("__");
    identifier && !mangled && !KEYWORDS.contains(&name)
}

/// A string literal in the quotes `ruff format` prefers: double, unless the
/// text holds double quotes and no single ones.
pub fn string_literal(text: &str) -> String {
    let quote = if text.contains('"') && !text.contains('\'') {
        '\''
    } else {
        '"'
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            _ => push_char(&mut out, c),
        }
    }
    out.push(quote);
    out
}

/// A character inside a string literal or docstring, escaped when Python
/// would read it as a line break or it is invisible.
fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{feff}' => {
            let code = c as u32;
            if code <= 0xff {
                out.push_str(&format!("\\x{code:02x}"));
            } else {
                out.push_str(&format!("\\u{code:04x}"));
            }
        }
        c => out.push(c),
    }
}

/// A docstring at `indent`, or nothing for empty text: one line when the
/// text is one line, else the summary, the rest, and the closing quotes on
/// a line of their own.
pub fn docstring(indent: &str, text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = text.lines().map(docstring_line).collect();
    if lines.len() == 1 {
        let line = &lines[0];
        // A closing quote right after a quote in the text would end it early.
        let space = if line.ends_with('"') { " " } else { "" };
        return format!("{indent}\"\"\"{line}{space}\"\"\"\n");
    }
    let mut out = format!("{indent}\"\"\"{}\n", lines[0]);
    for line in &lines[1..] {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
    out.push_str(&format!("{indent}\"\"\"\n"));
    out
}

/// One docstring line: backslashes and triple quotes escaped, trailing
/// space dropped (the formatter drops it too).
fn docstring_line(line: &str) -> String {
    let mut out = String::new();
    for c in line.trim_end().chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            _ => push_char(&mut out, c),
        }
    }
    // Continuation lines start at the docstring's indent, as the formatter
    // puts them.
    out.replace("\"\"\"", "\\\"\\\"\\\"")
        .trim_start()
        .to_string()
}

/// `# ` comment lines at `indent`, or nothing for empty text.
pub fn comment(indent: &str, text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    text.lines()
        .map(|line| {
            let mut escaped = String::new();
            for c in line.trim().chars() {
                match c {
                    '\t' => escaped.push(' '),
                    c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => escaped.push(' '),
                    c => escaped.push(c),
                }
            }
            let escaped = escaped.trim_end();
            if escaped.is_empty() {
                format!("{indent}#\n")
            } else {
                format!("{indent}# {escaped}\n")
            }
        })
        .collect()
}

/// `head[items]` after `prefix` at `indent`, wrapped as the formatter
/// wraps one bracket: on one line if it fits, else (for a subscript, not a
/// tuple) the items on one indented line if they fit there, else one item
/// per line with a trailing comma. `close` is the closing bracket.
pub fn bracketed(indent: &str, prefix: &str, open: &str, items: &[String], close: &str) -> String {
    let assignment = prefix.ends_with("= ");
    let tuple = assignment && open == "(";
    let joined = items.join(", ");
    let one_line = format!("{indent}{prefix}{open}{joined}{close}");
    if one_line.chars().count() <= LINE_LENGTH {
        return format!("{one_line}\n");
    }
    // A value whose opening line is too long by itself goes in parentheses
    // instead, when it fits on one line there.
    let opening = format!("{indent}{prefix}{open}");
    let value = format!("{indent}    {open}{joined}{close}");
    if assignment
        && !tuple
        && opening.chars().count() > LINE_LENGTH
        && value.chars().count() <= LINE_LENGTH
    {
        return format!("{indent}{prefix}(\n{value}\n{indent})\n");
    }
    let inner = format!("{indent}    {joined}");
    if !tuple && inner.chars().count() <= LINE_LENGTH {
        return format!("{indent}{prefix}{open}\n{inner}\n{indent}{close}\n");
    }
    let lines: String = items
        .iter()
        .map(|item| format!("{indent}    {},\n", item.trim_end_matches(',')))
        .collect();
    format!("{indent}{prefix}{open}\n{lines}{indent}{close}\n")
}

/// `name: annotation` (then `suffix`, a dict entry's comma) at `indent`,
/// split inside the annotation's outermost brackets when the line is too
/// long, as the formatter does.
pub fn annotated(indent: &str, name: &str, annotation: &str, suffix: &str) -> String {
    let line = format!("{indent}{name}: {annotation}{suffix}");
    if line.chars().count() <= LINE_LENGTH {
        return format!("{line}\n");
    }
    match annotation.find('[') {
        Some(open) if annotation.ends_with(']') && !annotation.starts_with('"') => {
            let head = &annotation[..=open];
            let inner = &annotation[open + 1..annotation.len() - 1];
            format!("{indent}{name}: {head}\n{indent}    {inner}\n{indent}]{suffix}\n")
        }
        _ => format!("{line}\n"),
    }
}

/// `prefix value` (an assignment), the value in parentheses when the line
/// is too long and it fits on a line of its own there.
pub fn assignment(prefix: &str, value: &str) -> String {
    let line = format!("{prefix}{value}");
    let inner = format!("    {value}");
    if line.chars().count() <= LINE_LENGTH || inner.chars().count() > LINE_LENGTH {
        format!("{line}\n")
    } else {
        format!("{prefix}(\n{inner}\n)\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_literals_and_docstrings() {
        assert!(is_attribute_name("task_id"));
        assert!(is_attribute_name("__dunder__"));
        assert!(!is_attribute_name("class"));
        assert!(!is_attribute_name("a-b"));
        assert!(!is_attribute_name("__private"));
        assert!(!is_attribute_name("2fa"));
        assert_eq!(string_literal("a\"b"), "'a\"b'");
        assert_eq!(string_literal("a\"b'c\\"), "\"a\\\"b'c\\\\\"");
        assert_eq!(string_literal("x\u{2028}\n"), "\"x\\u2028\\n\"");
        assert_eq!(docstring("", "says \"hi\""), "\"\"\"says \"hi\" \"\"\"\n");
        assert_eq!(
            docstring("    ", "one\n\ntwo \"\"\" \\"),
            "    \"\"\"one\n\n    two \\\"\\\"\\\" \\\\\n    \"\"\"\n"
        );
        assert_eq!(comment("", "a\n\nb"), "# a\n#\n# b\n");
    }

    #[test]
    fn brackets_wrap_like_the_formatter() {
        let short = vec!["\"a\"".to_string(), "\"b\"".to_string()];
        assert_eq!(
            bracketed("", "X: TypeAlias = ", "Literal[", &short, "]"),
            "X: TypeAlias = Literal[\"a\", \"b\"]\n"
        );
        let long: Vec<String> = (0..12).map(|n| format!("\"value_{n}\"")).collect();
        let wrapped = bracketed("", "X: TypeAlias = ", "Literal[", &long, "]");
        assert!(wrapped.starts_with("X: TypeAlias = Literal[\n    \"value_0\",\n"));
        assert!(wrapped.ends_with("    \"value_11\",\n]\n"));
        let long_name = format!("{}: TypeAlias = ", "N".repeat(80));
        assert_eq!(
            bracketed("", &long_name, "Literal[", &short, "]"),
            format!("{long_name}(\n    Literal[\"a\", \"b\"]\n)\n")
        );
        assert_eq!(
            bracketed(
                "",
                &format!("class {}", "C".repeat(80)),
                "(",
                &["TypedDict".to_string()],
                "):"
            ),
            format!("class {}(\n    TypedDict\n):\n", "C".repeat(80))
        );
        let entry = annotated(
            "        ",
            "\"key\"",
            &format!("list[{}]", "T".repeat(80)),
            ",",
        );
        assert_eq!(
            entry,
            format!(
                "        \"key\": list[\n            {}\n        ],\n",
                "T".repeat(80)
            )
        );
    }
}
