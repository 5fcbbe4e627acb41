//! TypeScript's lexical pieces: doc comments, string literals and property
//! keys.

/// A JSDoc block, or nothing for empty text.
pub fn doc_comment(indent: &str, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(text.len() + 16);
    if !text.contains('\n') {
        for part in [indent, "/** ", &escape_comment(text), " */\n"] {
            out.push_str(part);
        }
        return out;
    }
    out.push_str(indent);
    out.push_str("/**\n");
    for line in text.lines() {
        let line = escape_comment(line.trim_end());
        out.push_str(indent);
        out.push_str(if line.is_empty() { " *" } else { " * " });
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(indent);
    out.push_str(" */\n");
    out
}

/// Keeps text from closing the comment it sits in.
pub fn escape_comment(text: &str) -> String {
    text.replace("*/", "*\\/")
}

/// A double-quoted string literal with JSON escapes (line separators included).
pub fn string_literal(text: &str) -> String {
    let literal = serde_json::to_string(text).unwrap_or_default();
    if !literal.contains(['\u{2028}', '\u{2029}']) {
        return literal;
    }
    literal
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A property key, quoted unless it is a plain identifier.
pub fn property_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        string_literal(name)
    }
}

/// `["name"]`: the envelope is read as an index-signature record, and
/// consumers compiling with `noPropertyAccessFromIndexSignature` reject `.name` there.
pub fn index_access(name: &str) -> String {
    format!("[{}]", string_literal(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_literals_are_escaped() {
        assert_eq!(doc_comment("", "ends */ early"), "/** ends *\\/ early */\n");
        assert_eq!(string_literal("a\"b\u{2028}"), "\"a\\\"b\\u2028\"");
        assert_eq!(property_name("task_id"), "task_id");
        assert_eq!(property_name("my-field"), "\"my-field\"");
        assert_eq!(index_access("event_type"), "[\"event_type\"]");
        assert_eq!(index_access("__proto__"), "[\"__proto__\"]");
    }
}
