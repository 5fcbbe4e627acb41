//! Payload compatibility: what changed between two normalized schemas, and
//! whom each change breaks.
//!
//! Two audiences, in the spirit of Confluent's compatibility modes:
//! - **consumers** (a frontend built against the old schema, reading what the
//!   new server sends): broken when the new schema lets through data the old
//!   one did not (forward compatibility);
//! - **producers** (data written against the old schema, read by code built
//!   against the new one: replays, queued messages, older emitters): broken
//!   when the new schema rejects data the old one accepted (backward
//!   compatibility).
//!
//! | Change | Consumers | Producers |
//! |---|---|---|
//! | property removed | break | break if the object is closed |
//! | property added, optional | break if the old object was closed | ok |
//! | property added, required | break if the old object was closed | break |
//! | optional → required | ok | break |
//! | required → optional | break | ok |
//! | type changed | break | break |
//! | integer → number (widened) | break | ok |
//! | number → integer (narrowed) | ok | break |
//! | null allowed | break | ok |
//! | null no longer allowed | ok | break |
//! | enum value added | break | ok |
//! | enum value removed | ok | break |
//! | `oneOf` variant added / removed | break / ok | ok / break |
//! | additionalProperties loosened / tightened | break / ok | ok / break |
//! | bound (`minimum`, `maxLength`, ...) loosened / tightened | break / ok | ok / break |
//! | `format` or `pattern` added / removed / changed | ok / break / break | break / ok / break |
//! | `const` changed | break | break |

use std::collections::BTreeSet;

use serde_json::Value;

/// One difference between the old and the new schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The kind of change, a code of [`crate::codes`] (`property-removed`):
    /// a recorded decision may allow exactly this kind.
    pub code: &'static str,
    /// JSON pointer into the schema (`/properties/task_id`).
    pub pointer: String,
    /// What changed, in words.
    pub what: String,
    /// Whether consumers built against the old schema break.
    pub consumers: bool,
    /// Whether data written against the old schema breaks.
    pub producers: bool,
}

impl Change {
    /// Whether anyone breaks.
    pub fn is_breaking(&self) -> bool {
        self.consumers || self.producers
    }

    /// "consumers", "producers" or "consumers and producers".
    pub fn audience(&self) -> &'static str {
        match (self.consumers, self.producers) {
            (true, true) => "consumers and producers",
            (true, false) => "consumers",
            (false, true) => "producers",
            (false, false) => "nobody",
        }
    }
}

/// Every change from `old` to `new` (both normalized).
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    compare_at(old, new, "", &mut changes);
    changes
}

fn push(
    changes: &mut Vec<Change>,
    code: &'static str,
    pointer: &str,
    what: String,
    consumers: bool,
    producers: bool,
) {
    changes.push(Change {
        code,
        pointer: pointer.to_string(),
        what,
        consumers,
        producers,
    });
}

fn types(schema: &Value) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(name)) => BTreeSet::from([name.clone()]),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn strings(schema: &Value, key: &str) -> BTreeSet<String> {
    match schema.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn join(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn compare_at(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    if old == new {
        return;
    }
    compare_types(old, new, pointer, changes);
    compare_enum(old, new, pointer, changes);
    compare_object(old, new, pointer, changes);
    compare_one_of(old, new, pointer, changes);
    compare_constraints(old, new, pointer, changes);
    if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
        compare_at(old_items, new_items, &join(pointer, "items"), changes);
    }
    if old.get("const") != new.get("const") {
        push(
            changes,
            "const-changed",
            pointer,
            "`const` changed".to_string(),
            true,
            true,
        );
    }
    let old_free = old.get("x-free-form").is_some();
    let new_free = new.get("x-free-form").is_some();
    if old_free != new_free {
        push(
            changes,
            "type-changed",
            pointer,
            "free-form JSON opt-in changed".to_string(),
            true,
            true,
        );
    }
}

fn compare_types(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    let (old_types, new_types) = (types(old), types(new));
    if old_types == new_types {
        return;
    }
    let old_null = old_types.contains("null");
    let new_null = new_types.contains("null");
    if !old_null && new_null {
        push(
            changes,
            "null-allowed",
            pointer,
            "now allows null".to_string(),
            true,
            false,
        );
    }
    if old_null && !new_null {
        push(
            changes,
            "null-disallowed",
            pointer,
            "no longer allows null".to_string(),
            false,
            true,
        );
    }
    let old_base: BTreeSet<&String> = old_types.iter().filter(|t| *t != "null").collect();
    let new_base: BTreeSet<&String> = new_types.iter().filter(|t| *t != "null").collect();
    if old_base == new_base {
        return;
    }
    let describe = |set: &BTreeSet<&String>| {
        if set.is_empty() {
            "untyped".to_string()
        } else {
            set.iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        }
    };
    let integer = |set: &BTreeSet<&String>| set.len() == 1 && set.contains(&"integer".to_string());
    let number = |set: &BTreeSet<&String>| set.len() == 1 && set.contains(&"number".to_string());
    let what = format!(
        "type changed from {} to {}",
        describe(&old_base),
        describe(&new_base)
    );
    if integer(&old_base) && number(&new_base) {
        push(
            changes,
            "integer-widened",
            pointer,
            format!("{what} (widened)"),
            true,
            false,
        );
    } else if number(&old_base) && integer(&new_base) {
        push(
            changes,
            "number-narrowed",
            pointer,
            format!("{what} (narrowed)"),
            false,
            true,
        );
    } else {
        push(changes, "type-changed", pointer, what, true, true);
    }
}

fn compare_enum(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    let (old_values, new_values) = (strings(old, "enum"), strings(new, "enum"));
    if old.get("enum").is_none() || new.get("enum").is_none() {
        match (old.get("enum").is_some(), new.get("enum").is_some()) {
            (true, false) => push(
                changes,
                "enum-value-added",
                pointer,
                "no longer restricted to enum values".to_string(),
                true,
                false,
            ),
            (false, true) => push(
                changes,
                "enum-value-removed",
                pointer,
                "now restricted to enum values".to_string(),
                false,
                true,
            ),
            _ => {}
        }
        return;
    }
    for added in new_values.difference(&old_values) {
        push(
            changes,
            "enum-value-added",
            pointer,
            format!("enum value `{added}` added"),
            true,
            false,
        );
    }
    for removed in old_values.difference(&new_values) {
        push(
            changes,
            "enum-value-removed",
            pointer,
            format!("enum value `{removed}` removed"),
            false,
            true,
        );
    }
}

/// `additionalProperties: false` closes an object.
fn is_closed(schema: &Value) -> bool {
    schema.get("additionalProperties") == Some(&Value::Bool(false))
}

fn compare_object(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    let empty = serde_json::Map::new();
    let old_properties = old
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let new_properties = new
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let (old_required, new_required) = (strings(old, "required"), strings(new, "required"));
    let (old_closed, new_closed) = (is_closed(old), is_closed(new));

    for (name, old_property) in old_properties {
        let at = join(&join(pointer, "properties"), name);
        match new_properties.get(name) {
            None => push(
                changes,
                "property-removed",
                &at,
                format!("field `{name}` removed"),
                true,
                new_closed,
            ),
            Some(new_property) => {
                match (old_required.contains(name), new_required.contains(name)) {
                    (false, true) => push(
                        changes,
                        "property-required",
                        &at,
                        format!("field `{name}` became required"),
                        false,
                        true,
                    ),
                    (true, false) => push(
                        changes,
                        "property-optional",
                        &at,
                        format!("field `{name}` became optional"),
                        true,
                        false,
                    ),
                    _ => {}
                }
                compare_at(old_property, new_property, &at, changes);
            }
        }
    }
    for name in new_properties
        .keys()
        .filter(|name| !old_properties.contains_key(*name))
    {
        let at = join(&join(pointer, "properties"), name);
        let required = new_required.contains(name);
        let what = format!(
            "{} field `{name}` added",
            if required { "required" } else { "optional" }
        );
        push(changes, "property-added", &at, what, old_closed, required);
    }
    match (old_closed, new_closed) {
        (true, false) => push(
            changes,
            "additional-properties-changed",
            pointer,
            "object opened to unknown fields".to_string(),
            true,
            false,
        ),
        (false, true) => push(
            changes,
            "additional-properties-changed",
            pointer,
            "object closed to unknown fields".to_string(),
            false,
            true,
        ),
        _ => {}
    }
    // A map's value schema.
    if let (Some(old_values @ Value::Object(_)), Some(new_values @ Value::Object(_))) = (
        old.get("additionalProperties"),
        new.get("additionalProperties"),
    ) {
        compare_at(
            old_values,
            new_values,
            &join(pointer, "additionalProperties"),
            changes,
        );
    }
}

/// The discriminator value of each `oneOf` variant, with its index and schema.
fn variants(schema: &Value) -> Vec<(String, usize, &Value)> {
    let Some(Value::Array(members)) = schema.get("oneOf") else {
        return Vec::new();
    };
    members
        .iter()
        .enumerate()
        .map(|(index, member)| {
            let tag = member
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|properties| {
                    properties
                        .values()
                        .find_map(|property| property.get("const").and_then(Value::as_str))
                })
                .map_or_else(|| format!("#{index}"), str::to_string);
            (tag, index, member)
        })
        .collect()
}

fn compare_one_of(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    let (old_variants, new_variants) = (variants(old), variants(new));
    for (tag, _, old_variant) in &old_variants {
        match new_variants.iter().find(|(other, _, _)| other == tag) {
            Some((_, index, new_variant)) => compare_at(
                old_variant,
                new_variant,
                &format!("{pointer}/oneOf/{index}"),
                changes,
            ),
            None => push(
                changes,
                "variant-removed",
                pointer,
                format!("variant `{tag}` removed"),
                false,
                true,
            ),
        }
    }
    for (tag, _, _) in new_variants
        .iter()
        .filter(|(tag, _, _)| !old_variants.iter().any(|(other, _, _)| other == tag))
    {
        push(
            changes,
            "variant-added",
            pointer,
            format!("variant `{tag}` added"),
            true,
            false,
        );
    }
}

/// Lower bounds: a larger value is tighter. Upper bounds: a smaller one is.
const LOWER_BOUNDS: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER_BOUNDS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

fn compare_constraints(old: &Value, new: &Value, pointer: &str, changes: &mut Vec<Change>) {
    for (keys, lower) in [(LOWER_BOUNDS, true), (UPPER_BOUNDS, false)] {
        for key in keys {
            let (before, after) = (
                old.get(*key).and_then(Value::as_f64),
                new.get(*key).and_then(Value::as_f64),
            );
            let tightened = match (before, after) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a != b => (b > a) == lower,
                _ => continue,
            };
            let show = |v: Option<f64>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
            let what = format!(
                "`{key}` {} ({} → {})",
                if tightened { "tightened" } else { "loosened" },
                show(before),
                show(after)
            );
            push(
                changes,
                "bound-changed",
                pointer,
                what,
                !tightened,
                tightened,
            );
        }
    }
    for key in ["format", "pattern", "multipleOf"] {
        match (old.get(key), new.get(key)) {
            (None, Some(_)) => push(
                changes,
                "format-changed",
                pointer,
                format!("`{key}` added"),
                false,
                true,
            ),
            (Some(_), None) => push(
                changes,
                "format-changed",
                pointer,
                format!("`{key}` removed"),
                true,
                false,
            ),
            (Some(a), Some(b)) if a != b => push(
                changes,
                "format-changed",
                pointer,
                format!("`{key}` changed"),
                true,
                true,
            ),
            _ => {}
        }
    }
    if old.get("uniqueItems") != new.get("uniqueItems") {
        let now = new.get("uniqueItems") == Some(&Value::Bool(true));
        push(
            changes,
            "bound-changed",
            pointer,
            format!("`uniqueItems` {}", if now { "added" } else { "removed" }),
            !now,
            now,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(properties: Value, required: &[&str], closed: bool) -> Value {
        let mut schema = json!({"type": "object", "properties": properties, "required": required});
        if closed {
            schema["additionalProperties"] = json!(false);
        }
        schema
    }

    /// What a change is expected to be: (what, breaks consumers, breaks producers).
    type Expected = Vec<(&'static str, bool, bool)>;

    /// (description, old, new, expected changes)
    fn cases() -> Vec<(&'static str, Value, Value, Expected)> {
        let id = json!({"type": "integer", "minimum": 1, "maximum": 100});
        vec![
            (
                "unchanged",
                object(json!({"a": id}), &["a"], true),
                object(json!({"a": id}), &["a"], true),
                vec![],
            ),
            (
                "required field removed from a closed object",
                object(json!({"a": id, "b": {"type": "string"}}), &["a", "b"], true),
                object(json!({"a": id}), &["a"], true),
                vec![("field `b` removed", true, true)],
            ),
            (
                "optional field removed from an open object",
                object(json!({"a": id, "b": {"type": "string"}}), &["a"], false),
                object(json!({"a": id}), &["a"], false),
                vec![("field `b` removed", true, false)],
            ),
            (
                "optional field added to an open object",
                object(json!({"a": id}), &["a"], false),
                object(json!({"a": id, "b": {"type": "string"}}), &["a"], false),
                vec![("optional field `b` added", false, false)],
            ),
            (
                "optional field added to a closed object",
                object(json!({"a": id}), &["a"], true),
                object(json!({"a": id, "b": {"type": "string"}}), &["a"], true),
                vec![("optional field `b` added", true, false)],
            ),
            (
                "required field added",
                object(json!({"a": id}), &["a"], false),
                object(
                    json!({"a": id, "b": {"type": "string"}}),
                    &["a", "b"],
                    false,
                ),
                vec![("required field `b` added", false, true)],
            ),
            (
                "optional to required",
                object(json!({"a": id}), &[], false),
                object(json!({"a": id}), &["a"], false),
                vec![("field `a` became required", false, true)],
            ),
            (
                "required to optional",
                object(json!({"a": id}), &["a"], false),
                object(json!({"a": id}), &[], false),
                vec![("field `a` became optional", true, false)],
            ),
            (
                "type changed",
                json!({"type": "integer", "minimum": 1, "maximum": 100}),
                json!({"type": "string"}),
                vec![
                    ("type changed from integer to string", true, true),
                    ("`minimum` loosened (1 → none)", true, false),
                    ("`maximum` loosened (100 → none)", true, false),
                ],
            ),
            (
                "integer widened to number",
                json!({"type": "integer"}),
                json!({"type": "number"}),
                vec![("type changed from integer to number (widened)", true, false)],
            ),
            (
                "number narrowed to integer",
                json!({"type": "number"}),
                json!({"type": "integer"}),
                vec![(
                    "type changed from number to integer (narrowed)",
                    false,
                    true,
                )],
            ),
            (
                "nullability added",
                json!({"type": "string"}),
                json!({"type": ["null", "string"]}),
                vec![("now allows null", true, false)],
            ),
            (
                "nullability removed",
                json!({"type": ["null", "string"]}),
                json!({"type": "string"}),
                vec![("no longer allows null", false, true)],
            ),
            (
                "enum value added",
                json!({"type": "string", "enum": ["a", "b"]}),
                json!({"type": "string", "enum": ["a", "b", "c"]}),
                vec![("enum value `c` added", true, false)],
            ),
            (
                "enum value removed",
                json!({"type": "string", "enum": ["a", "b"]}),
                json!({"type": "string", "enum": ["a"]}),
                vec![("enum value `b` removed", false, true)],
            ),
            (
                "additionalProperties tightened",
                object(json!({"a": id}), &["a"], false),
                object(json!({"a": id}), &["a"], true),
                vec![("object closed to unknown fields", false, true)],
            ),
            (
                "additionalProperties loosened",
                object(json!({"a": id}), &["a"], true),
                object(json!({"a": id}), &["a"], false),
                vec![("object opened to unknown fields", true, false)],
            ),
            (
                "maximum tightened",
                json!({"type": "integer", "minimum": 0, "maximum": 100}),
                json!({"type": "integer", "minimum": 0, "maximum": 10}),
                vec![("`maximum` tightened (100 → 10)", false, true)],
            ),
            (
                "minLength loosened",
                json!({"type": "string", "minLength": 3}),
                json!({"type": "string", "minLength": 1}),
                vec![("`minLength` loosened (3 → 1)", true, false)],
            ),
            (
                "format added",
                json!({"type": "string"}),
                json!({"type": "string", "format": "uuid"}),
                vec![("`format` added", false, true)],
            ),
            (
                "pattern changed",
                json!({"type": "string", "pattern": "^a"}),
                json!({"type": "string", "pattern": "^b"}),
                vec![("`pattern` changed", true, true)],
            ),
            (
                "array items changed",
                json!({"type": "array", "items": {"type": "string"}}),
                json!({"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 1}}),
                vec![
                    ("type changed from string to integer", true, true),
                    ("`minimum` tightened (none → 0)", false, true),
                    ("`maximum` tightened (none → 1)", false, true),
                ],
            ),
            (
                "oneOf variant added",
                json!({"oneOf": [{"type": "object", "properties": {"kind": {"const": "a"}}}]}),
                json!({"oneOf": [{"type": "object", "properties": {"kind": {"const": "a"}}}, {"type": "object", "properties": {"kind": {"const": "b"}}}]}),
                vec![("variant `b` added", true, false)],
            ),
            (
                "oneOf variant removed",
                json!({"oneOf": [{"type": "object", "properties": {"kind": {"const": "a"}}}, {"type": "object", "properties": {"kind": {"const": "b"}}}]}),
                json!({"oneOf": [{"type": "object", "properties": {"kind": {"const": "a"}}}]}),
                vec![("variant `b` removed", false, true)],
            ),
            (
                "nested field type changed",
                object(
                    json!({"outer": object(json!({"x": {"type": "string"}}), &["x"], true)}),
                    &["outer"],
                    true,
                ),
                object(
                    json!({"outer": object(json!({"x": {"type": "boolean"}}), &["x"], true)}),
                    &["outer"],
                    true,
                ),
                vec![("type changed from string to boolean", true, true)],
            ),
        ]
    }

    #[test]
    fn classifies_each_change_for_consumers_and_producers() {
        for (name, old, new, expected) in cases() {
            let changes = compare(&old, &new);
            let got: Vec<(&str, bool, bool)> = changes
                .iter()
                .map(|c| (c.what.as_str(), c.consumers, c.producers))
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn changes_point_at_the_field() {
        let old = json!({"type": "object", "properties": {"outer": {"type": "object", "properties": {"x": {"type": "string"}}}}});
        let new = json!({"type": "object", "properties": {"outer": {"type": "object", "properties": {"x": {"type": "boolean"}}}}});
        assert_eq!(
            compare(&old, &new)[0].pointer,
            "/properties/outer/properties/x"
        );
    }
}
