//! A small ordered JSON value with YAML (block style) and JSON writers.
//!
//! The synthetic catalogs keep their keys in the order a person would write
//! them, which `serde_json::Value` (a sorted map unless `preserve_order` is
//! enabled workspace-wide) would not do.

use std::fmt::Write as _;

/// A JSON value whose objects keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Seq(Vec<Value>),
    /// An object, in insertion order.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// An object from `(key, value)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string value.
    pub fn str(text: impl Into<String>) -> Value {
        Value::Str(text.into())
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
        Value::Seq(
            items
                .into_iter()
                .map(|s| Value::Str(s.as_ref().to_string()))
                .collect(),
        )
    }

    /// The entry `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Adds (or replaces) the entry `key` of an object; no-op on other values.
    pub fn insert(&mut self, key: &str, value: Value) {
        if let Value::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    /// Applies `f` to every string value (not keys), depth first.
    pub fn map_strings(&self, f: &impl Fn(&str, &str) -> Option<String>) -> Value {
        self.map_strings_at("", f)
    }

    fn map_strings_at(&self, key: &str, f: &impl Fn(&str, &str) -> Option<String>) -> Value {
        match self {
            Value::Str(s) => Value::Str(f(key, s).unwrap_or_else(|| s.clone())),
            Value::Seq(items) => {
                Value::Seq(items.iter().map(|v| v.map_strings_at(key, f)).collect())
            }
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.map_strings_at(k, f)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Value::Seq(_) | Value::Map(_))
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, None, 0);
        out
    }

    /// JSON indented by two spaces.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, Some(2), 0);
        out.push('\n');
        out
    }

    /// Block-style YAML of an object (the top level of a catalog file).
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Value::Map(entries) => block_map(&mut out, entries, 0, None),
            other => {
                flow(&mut out, other);
                out.push('\n');
            }
        }
        out
    }
}

fn write_json(out: &mut String, value: &Value, indent: Option<usize>, depth: usize) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(step) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', step * depth));
        }
    };
    match value {
        Value::Seq(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(out, item, indent, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Map(entries) if !entries.is_empty() => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                quoted(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, item, indent, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
        Value::Str(s) => quoted(out, s),
        scalar => flow(out, scalar),
    }
}

/// Writes the entries of a mapping at `indent`; the first line starts with
/// `first` instead of the indentation (a `- ` of a list item).
fn block_map(out: &mut String, entries: &[(String, Value)], indent: usize, first: Option<String>) {
    let mut first = first;
    for (key, value) in entries {
        match first.take() {
            Some(lead) => out.push_str(&lead),
            None => out.extend(std::iter::repeat_n(' ', indent)),
        }
        out.push_str(key);
        out.push(':');
        match value {
            Value::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                block_map(out, inner, indent + 2, None);
            }
            Value::Seq(items)
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|item| matches!(item, Value::Map(m) if !m.is_empty())) =>
            {
                out.push('\n');
                for item in items {
                    if let Value::Map(inner) = item {
                        let lead = format!("{}- ", " ".repeat(indent + 2));
                        block_map(out, inner, indent + 4, Some(lead));
                    }
                }
            }
            other => {
                out.push(' ');
                flow(out, other);
                out.push('\n');
            }
        }
    }
}

/// A value on one line: YAML flow style, which is also JSON for non-plain strings.
fn flow(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Num(n) => {
            if n.is_finite() {
                let _ = write!(out, "{n}");
            } else {
                out.push_str("null");
            }
        }
        Value::Str(s) if is_plain(s) => out.push_str(s),
        Value::Str(s) => quoted(out, s),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if item.is_scalar() {
                    flow(out, item);
                } else {
                    write_json(out, item, None, 0);
                }
            }
            out.push(']');
        }
        Value::Map(_) => write_json(out, value, None, 0),
    }
}

/// Whether a string can be written unquoted in YAML and still read as that string.
fn is_plain(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !SPECIAL.contains(&s.to_ascii_lowercase().as_str())
}

/// A JSON string literal (also a YAML double-quoted scalar).
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_block_style() {
        let value = Value::map([
            ("name", Value::str("task_created")),
            ("since", Value::str("0.2")),
            (
                "payload",
                Value::map([
                    ("type", Value::str("object")),
                    ("required", Value::strs(["task_id"])),
                    (
                        "properties",
                        Value::map([(
                            "task_id",
                            Value::map([("$ref", Value::str("#/$defs/TaskId"))]),
                        )]),
                    ),
                ]),
            ),
            (
                "examples",
                Value::Seq(vec![
                    Value::map([("task_id", Value::Int(1)), ("note", Value::Null)]),
                    Value::map([
                        ("task_id", Value::Int(2)),
                        ("labels", Value::Map(Vec::new())),
                    ]),
                ]),
            ),
        ]);
        assert_eq!(
            value.to_yaml(),
            "name: task_created\n\
             since: \"0.2\"\n\
             payload:\n  type: object\n  required: [task_id]\n  properties:\n    task_id:\n      $ref: \"#/$defs/TaskId\"\n\
             examples:\n  - task_id: 1\n    note: null\n  - task_id: 2\n    labels: {}\n"
        );
    }

    #[test]
    fn json_is_compact_or_pretty() {
        let value = Value::map([
            ("a", Value::Seq(vec![Value::Int(1), Value::Num(2.5)])),
            ("b", Value::str("x\"y")),
            ("c", Value::Map(Vec::new())),
            ("d", Value::str("plain")),
        ]);
        assert_eq!(
            value.to_json(),
            r#"{"a":[1,2.5],"b":"x\"y","c":{},"d":"plain"}"#
        );
        assert_eq!(
            value.to_json_pretty(),
            "{\n  \"a\": [\n    1,\n    2.5\n  ],\n  \"b\": \"x\\\"y\",\n  \"c\": {},\n  \"d\": \"plain\"\n}\n"
        );
    }
}
