//! JSON values as the YAML a person would write: block mappings and
//! sequences, short mappings of scalars on one line, strings quoted only
//! where YAML would read them as something else.

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
    field_within(key, value, indent, Within::Settings)
}

fn field_within(key: &str, value: &Value, indent: usize, within: Within) -> String {
    let within = within.under(Some(key));
    let pad = " ".repeat(indent);
    if let Some(folded) = value.as_str().and_then(|text| folded(text, indent + 2)) {
        return format!("{pad}{}: >-\n{folded}", scalar_key(key));
    }
    match block(Some(key), value, indent + 2, within) {
        Some(body) => format!("{pad}{}:\n{body}", scalar_key(key)),
        None => format!(
            "{pad}{}: {}\n",
            scalar_key(key),
            inline(Some(key), value, within)
        ),
    }
}

/// A sequence item `- value` at `indent` spaces.
fn item_within(value: &Value, indent: usize, within: Within) -> String {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() && inline_if_short(None, value, within).is_none() => {
            // `- first: ...` with the other keys aligned under it.
            let mut out = String::new();
            for (index, (key, value)) in entries_under(None, map, within).into_iter().enumerate() {
                let text = field_within(key, value, indent + 2, within);
                out.push_str(&if index == 0 {
                    format!("{pad}- {}", text.trim_start())
                } else {
                    text
                });
            }
            out
        }
        _ => match block(None, value, indent + 2, within) {
            Some(body) => format!("{pad}-\n{body}"),
            None => format!("{pad}- {}\n", inline(None, value, within)),
        },
    }
}

/// A long one-line prose string as a folded block (`>-`), wrapped at
/// words; `None` for what reads better inline.
fn folded(text: &str, indent: usize) -> Option<String> {
    let prose = text.len() > FLOW_WIDTH
        && !text.contains('\n')
        && !text.contains("  ")
        && text.trim() == text
        && text.chars().all(|c| !c.is_control());
    if !prose {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > FLOW_WIDTH {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("{pad}{line}\n"));
    Some(out)
}

/// The block form of a non-empty mapping or sequence (the value of `key`)
/// that does not fit on one line; `None` for what goes inline.
fn block(key: Option<&str>, value: &Value, indent: usize, within: Within) -> Option<String> {
    if inline_if_short(key, value, within).is_some() {
        return None;
    }
    match value {
        Value::Object(map) => Some(
            entries_under(key, map, within)
                .into_iter()
                .map(|(key, value)| field_within(key, value, indent, within))
                .collect(),
        ),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|value| item_within(value, indent, within))
                .collect(),
        ),
        _ => None,
    }
}

/// The one-line form of a value (of `key`).
fn inline(key: Option<&str>, value: &Value, within: Within) -> String {
    inline_if_short(key, value, within).unwrap_or_else(|| flow(key, value, within))
}

/// Scalars, empty collections and short collections of scalars fit on a line.
fn inline_if_short(key: Option<&str>, value: &Value, within: Within) -> Option<String> {
    match value {
        Value::Object(map) if map.values().any(is_collection) => None,
        Value::Array(items) if items.iter().any(is_collection) => None,
        Value::Object(_) | Value::Array(_) => {
            let text = flow(key, value, within);
            (text.len() <= FLOW_WIDTH).then_some(text)
        }
        scalar => Some(flow(key, scalar, within)),
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
fn flow(key: Option<&str>, value: &Value, within: Within) -> String {
    let within = within.under(key);
    match value {
        Value::Object(map) => {
            let entries: Vec<String> = entries_under(key, map, within)
                .into_iter()
                .map(|(key, value)| {
                    let value = flow(Some(key), value, within);
                    format!("{}: {value}", scalar_key(key))
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|item| flow(None, item, within)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(text) => string(text),
        other => other.to_string(),
    }
}

fn scalar_key(key: &str) -> String {
    string(key)
}

/// A string plain where YAML reads it back as the same string, else in
/// double quotes (a JSON string is a valid YAML double-quoted scalar).
pub fn string(text: &str) -> String {
    if is_plain(text) {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

fn is_plain(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ".inf", ".nan",
    ];
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "_$/.".contains(c));
    first_ok
        && text.parse::<f64>().is_err()
        && !WORDS.contains(&text.to_ascii_lowercase().as_str())
        && !text.ends_with(' ')
        && !text.contains(": ")
        && !text.contains(" #")
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./$<>()'".contains(c))
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
            "true", "No", "1.0", "a: b", "", "#x", "-1", "*ref", "x #y", "\"q\"", ".5", ".inf",
            ".NaN",
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
