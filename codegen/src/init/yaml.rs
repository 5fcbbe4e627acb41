//! JSON values as the YAML a person would write: block mappings and
//! sequences, short mappings of scalars on one line, strings quoted only
//! where YAML would read them as something else.

use std::fmt::Write as _;

use serde_json::Value;

/// The widest a one-line `{key: value, ...}` mapping may be.
const FLOW_WIDTH: usize = 72;

/// Keys a person writes first, in this order (serde_json maps are sorted);
/// other keys follow in their own order.
const LEADING_KEYS: &[&str] = &[
    "name",
    "style",
    "version_field",
    "type_field",
    "payload_field",
    "type",
    "format",
    "enum",
    "minimum",
    "maximum",
    "description",
    "additionalProperties",
    "required",
    "properties",
    "items",
    "rust",
    "dir",
    "package",
    "typescript",
    "package_json",
    "docs",
    "sources",
    "emit_functions",
    "frontend",
    "tsconfig",
];

/// Mappings keyed by names the author chose (properties, definitions; an
/// AsyncAPI document's channels, operations, messages and schemas): their
/// order is the author's, and it is the generated fields' order.
const NAME_MAPS: &[&str] = &[
    "properties",
    "definitions",
    "$defs",
    "patternProperties",
    "channels",
    "operations",
    "messages",
    "schemas",
];

/// Keys whose values are data (examples, defaults, constants), not
/// settings or schemas: everything under them keeps its own order.
const DATA: &[&str] = &["examples", "example", "default", "const", "enum"];

/// Where a value sits: among settings and schemas, whose keys are put in the
/// order a person writes them, or inside data, which keeps its own order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Settings,
    Data,
}

impl Within {
    /// Where the value of `key` sits.
    fn under(self, key: Option<&str>) -> Within {
        match key {
            Some(key) if DATA.contains(&key) => Within::Data,
            _ => self,
        }
    }
}

/// The entries of a mapping: in its own order inside data or under a
/// [`NAME_MAPS`] key, else in the order a person writes them.
fn entries_under<'m>(
    key: Option<&str>,
    map: &'m serde_json::Map<String, Value>,
    within: Within,
) -> Vec<(&'m String, &'m Value)> {
    match key {
        _ if within == Within::Data => map.iter().collect(),
        Some(key) if NAME_MAPS.contains(&key) => map.iter().collect(),
        _ => entries(map),
    }
}

/// The entries of a mapping in the order a person writes them.
fn entries(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(key, _)| {
        LEADING_KEYS
            .iter()
            .position(|leading| leading == key)
            .unwrap_or(LEADING_KEYS.len())
    });
    entries
}

/// `value` as the body of `key:` at `indent` spaces: either ` scalar` /
/// ` {flow}` on the key's line, or a newline and an indented block.
pub fn field(key: &str, value: &Value, indent: usize) -> String {
    let mut out = String::new();
    push_field(&mut out, key, value, indent);
    out
}

/// [`field`], appended to `out`.
pub fn push_field(out: &mut String, key: &str, value: &Value, indent: usize) {
    write_field(out, key, value, indent, Within::Settings);
}

/// Appends `indent` spaces.
fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `key: value` at `indent`, the line's indentation included.
fn write_field(out: &mut String, key: &str, value: &Value, indent: usize, within: Within) {
    pad(out, indent);
    write_field_body(out, key, value, indent, within);
}

/// `key: value` from the current column (`indent` is the key's).
fn write_field_body(out: &mut String, key: &str, value: &Value, indent: usize, within: Within) {
    let within = within.under(Some(key));
    push_string(out, key);
    if let Some(text) = value.as_str().filter(|text| is_prose(text)) {
        out.push_str(": >-\n");
        write_folded(out, text, indent + 2);
        return;
    }
    let mark = out.len();
    out.push_str(": ");
    if write_inline_if_short(out, Some(key), value, within) {
        out.push('\n');
    } else {
        out.truncate(mark);
        out.push_str(":\n");
        write_block(out, Some(key), value, indent + 2, within);
    }
}

/// A sequence item `- value` at `indent` spaces.
fn write_item(out: &mut String, value: &Value, indent: usize, within: Within) {
    pad(out, indent);
    out.push('-');
    let mark = out.len();
    out.push(' ');
    if write_inline_if_short(out, None, value, within) {
        out.push('\n');
        return;
    }
    out.truncate(mark);
    match value {
        Value::Object(map) => {
            // `- first: ...` with the other keys aligned under it.
            for (index, (key, value)) in entries_under(None, map, within).into_iter().enumerate() {
                if index == 0 {
                    out.push(' ');
                    write_field_body(out, key, value, indent + 2, within);
                } else {
                    write_field(out, key, value, indent + 2, within);
                }
            }
        }
        _ => {
            out.push('\n');
            write_block(out, None, value, indent + 2, within);
        }
    }
}

/// Whether a string reads better as a folded block (`>-`): long one-line
/// prose.
fn is_prose(text: &str) -> bool {
    text.len() > FLOW_WIDTH
        && !text.contains('\n')
        && !text.contains("  ")
        && text.trim() == text
        && text.chars().all(|c| !c.is_control())
}

/// Prose as a folded block's lines at `indent`, wrapped at words.
fn write_folded(out: &mut String, text: &str, indent: usize) {
    let mut width = 0;
    for word in text.split(' ') {
        if width > 0 && width + 1 + word.len() > FLOW_WIDTH {
            out.push('\n');
            width = 0;
        }
        if width == 0 {
            pad(out, indent);
        } else {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.len();
    }
    out.push('\n');
}

/// The block form of a non-empty mapping or sequence (the value of `key`).
fn write_block(out: &mut String, key: Option<&str>, value: &Value, indent: usize, within: Within) {
    match value {
        Value::Object(map) => {
            for (key, value) in entries_under(key, map, within) {
                write_field(out, key, value, indent, within);
            }
        }
        Value::Array(items) => {
            for item in items {
                write_item(out, item, indent, within);
            }
        }
        scalar => {
            pad(out, indent);
            write_flow(out, key, scalar, within);
            out.push('\n');
        }
    }
}

/// Writes `value` on the line when it fits there: scalars, empty
/// collections and short collections of scalars. Whether it did; when not,
/// what it wrote is for the caller to cut.
fn write_inline_if_short(
    out: &mut String,
    key: Option<&str>,
    value: &Value,
    within: Within,
) -> bool {
    match value {
        Value::Object(map) if map.values().any(is_collection) => false,
        Value::Array(items) if items.iter().any(is_collection) => false,
        Value::Object(_) | Value::Array(_) => {
            let start = out.len();
            write_flow(out, key, value, within);
            out.len() - start <= FLOW_WIDTH
        }
        scalar => {
            write_flow(out, key, scalar, within);
            true
        }
    }
}

fn is_collection(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// Flow style: `{a: 1, b: [x, y]}`.
fn write_flow(out: &mut String, key: Option<&str>, value: &Value, within: Within) {
    let within = within.under(key);
    match value {
        Value::Object(map) => {
            out.push('{');
            for (index, (key, value)) in entries_under(key, map, within).into_iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push_string(out, key);
                out.push_str(": ");
                write_flow(out, Some(key), value, within);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_flow(out, None, item, within);
            }
            out.push(']');
        }
        Value::String(text) => push_string(out, text),
        other => {
            // Numbers, booleans and null read the same in JSON and YAML.
            let _ = write!(out, "{other}");
        }
    }
}

/// A string plain where YAML reads it back as the same string, else in
/// double quotes (a JSON string is a valid YAML double-quoted scalar).
pub fn string(text: &str) -> String {
    let mut out = String::new();
    push_string(&mut out, text);
    out
}

/// Appends [`string`]'s form of `text`: a key or a string value, written
/// straight to the output.
fn push_string(out: &mut String, text: &str) {
    if is_plain(text) {
        out.push_str(text);
    } else {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    }
}

/// Whether YAML reads `text`, unquoted, back as the same string: it starts
/// with a letter or one of `_$/.`, holds only letters, digits and a few
/// marks (never `:` or `#`, so no `: ` or ` #` either), does not end with
/// a space, and is no boolean, null or number. The cheap tests go first.
fn is_plain(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ".inf", ".nan",
    ];
    let first_ok = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'$' | b'/' | b'.'));
    first_ok
        && text.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'_' | b'-' | b'.' | b'/' | b'$' | b'<' | b'>' | b'(' | b')' | b'\''
                )
        })
        && !text.ends_with(' ')
        && !WORDS.iter().any(|word| word.eq_ignore_ascii_case(text))
        // Only these first characters can start a number (`.5`, `inf`, `NaN`).
        && !(text.starts_with(['.', 'i', 'I', 'n', 'N']) && text.parse::<f64>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_mappings_go_inline_and_nested_ones_in_blocks() {
        let schema = json!({
            "type": "object",
            "required": ["task_id"],
            "properties": {"task_id": {"type": "integer", "minimum": 1}},
        });
        assert_eq!(
            field("payload", &schema, 4),
            "    payload:\n      type: object\n      required: [task_id]\n      properties:\n        task_id: {type: integer, minimum: 1}\n"
        );
    }

    #[test]
    fn strings_yaml_would_misread_are_quoted() {
        for text in [
            "true",
            "No",
            "1.0",
            "a: b",
            "",
            "#x",
            "-1",
            "*ref",
            "x #y",
            "\"q\"",
            ".5",
            ".inf",
            ".NaN",
            "inf",
            "Infinity",
            "nan",
            "x ",
            "caf\u{e9}",
        ] {
            assert!(string(text).starts_with('"'), "{text}");
            let back: String = serde_saphyr::from_str(&format!("v: {}", string(text)))
                .map(|map: std::collections::BTreeMap<String, String>| map["v"].clone())
                .unwrap();
            assert_eq!(back, text);
        }
        assert_eq!(string("date-time"), "date-time");
        assert_eq!(string("../generated/board.ts"), "../generated/board.ts");
        assert!(string(".5").starts_with('"'));
        assert_eq!(string("#/$defs/TaskId"), "\"#/$defs/TaskId\"");
    }

    #[test]
    fn data_keeps_its_key_order() {
        let example = json!({"examples": [{"fn": 1, "enum": {"type": 2, "a": 3}, "name": 4}]});
        let text = field("examples", &example["examples"], 0);
        assert_eq!(
            text,
            "examples:\n  - fn: 1\n    enum: {type: 2, a: 3}\n    name: 4\n"
        );
        let schema = json!({"properties": {"a": {"description": "d", "type": "string"}}});
        assert_eq!(
            field("payload", &schema, 0),
            "payload:\n  properties:\n    a: {type: string, description: d}\n"
        );
    }

    #[test]
    fn the_output_reads_back_as_the_same_value() {
        let value = json!({
            "events": [
                {"name": "task_created", "payload": {"type": "object", "properties": {}}, "examples": [{"task_id": 1, "tags": ["a b", "c"]}]},
                {"name": "x", "examples": [{"deep": {"er": {"est": [1, 2, {"k": null}]}}}]},
            ],
            "empty": [],
            "quoted": "yes",
            "prose": "An item was created. Replace this event with your first real one: a name `<resource>_<past-tense-verb>`, its payload and a real example: #1 {x}.",
        });
        let text: String = value
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, value)| field(key, value, 0))
            .collect();
        let back: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, value, "{text}");
    }
}
