//! Examples shown valid without compiling their schema.
//!
//! The `jsonschema` crate compiles a validator per payload schema (and
//! checks the schema against the 2020-12 meta-schema) before it can judge
//! an example: nearly all of what checking examples costs, spent on
//! examples that are almost always right. [`Prover`] walks the schema as
//! written instead and says an example [`Verdict::Holds`] only when
//! `jsonschema` would accept both the schema and the example. Anything it
//! cannot be sure of (a keyword it does not know, a float compared with a
//! large integer, a non-ASCII string's length) is [`Verdict::Unsure`], and
//! the caller compiles the schema as before, which also words every
//! finding. Formats and patterns are judged by `jsonschema` itself, with
//! one small validator per distinct format or pattern.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Number, Value};

use crate::FastMap;

/// How deep schemas and values are followed before giving up.
const MAX_DEPTH: usize = 64;
/// Arrays longer than this are not searched pairwise for repeats.
const MAX_UNIQUE_ITEMS: usize = 64;
/// The only references the prover follows.
const DEFS_PREFIX: &str = "#/$defs/";

/// What the prover found for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// `jsonschema` accepts it.
    Holds,
    /// `jsonschema` rejects it.
    Fails,
    /// Not decided here.
    Unsure,
}

impl Verdict {
    fn of(holds: bool) -> Verdict {
        if holds {
            Verdict::Holds
        } else {
            Verdict::Fails
        }
    }

    /// Holds for fails and fails for holds; doubt stays doubt.
    fn opposite(self) -> Verdict {
        match self {
            Verdict::Holds => Verdict::Fails,
            Verdict::Fails => Verdict::Holds,
            Verdict::Unsure => Verdict::Unsure,
        }
    }

    /// Both hold: a failure decides, then doubt.
    fn and(self, other: impl FnOnce() -> Verdict) -> Verdict {
        match self {
            Verdict::Fails => Verdict::Fails,
            Verdict::Holds => other(),
            Verdict::Unsure => match other() {
                Verdict::Fails => Verdict::Fails,
                _ => Verdict::Unsure,
            },
        }
    }
}

/// Every verdict of `checks` together, stopping at the first failure.
fn all(checks: impl IntoIterator<Item = Verdict>) -> Verdict {
    let mut verdict = Verdict::Holds;
    for check in checks {
        match check {
            Verdict::Fails => return Verdict::Fails,
            Verdict::Unsure => verdict = Verdict::Unsure,
            Verdict::Holds => {}
        }
    }
    verdict
}

/// A string keyword judged by `jsonschema` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Leaf {
    Format,
    Pattern,
}

/// Each format's or pattern's validator; `None`: it does not compile.
type LeafValidators = FastMap<(Leaf, String), Option<Arc<jsonschema::Validator>>>;

/// The small validators of formats and patterns, shared by every thread
/// of one check.
#[derive(Default)]
pub(super) struct Leaves {
    validators: Mutex<LeafValidators>,
}

impl Leaves {
    fn validator(&self, leaf: Leaf, text: &str) -> Option<Arc<jsonschema::Validator>> {
        let key = (leaf, text.to_string());
        if let Some(known) = self.lock().get(&key) {
            return known.clone();
        }
        let keyword = match leaf {
            Leaf::Format => "format",
            Leaf::Pattern => "pattern",
        };
        let mut schema = Map::new();
        schema.insert(keyword.to_string(), Value::String(text.to_string()));
        let built = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&Value::Object(schema))
            .ok()
            .map(Arc::new);
        match self.lock().entry(key) {
            Entry::Occupied(raced) => raced.get().clone(),
            Entry::Vacant(new) => new.insert(built).clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LeafValidators> {
        self.validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `text` passes the format or pattern; `None` when that does
    /// not compile.
    fn accepts(&self, leaf: Leaf, keyword: &str, text: &str) -> Option<bool> {
        let validator = self.validator(leaf, keyword)?;
        Some(validator.is_valid(&Value::String(text.to_string())))
    }
}

/// Proves examples of payload schemas that refer to `definitions`.
pub(super) struct Prover<'a> {
    definitions: Option<&'a Map<String, Value>>,
    leaves: &'a Leaves,
}

impl<'a> Prover<'a> {
    pub(super) fn new(definitions: Option<&'a Value>, leaves: &'a Leaves) -> Prover<'a> {
        Prover {
            definitions: definitions.and_then(Value::as_object),
            leaves,
        }
    }

    /// Whether `schema` is sound and every one of `examples` holds.
    pub(super) fn all_hold(&self, schema: &Value, examples: &[Value]) -> bool {
        self.is_sound(schema)
            && examples
                .iter()
                .all(|example| self.holds(schema, example, 0) == Verdict::Holds)
    }

    /// Whether `jsonschema` surely compiles `schema` with the definitions
    /// it reaches: every keyword known and of the meta-schema's form,
    /// every reference to a definition there is, each sound in turn.
    pub(super) fn is_sound(&self, schema: &Value) -> bool {
        let mut pending = Vec::new();
        if !self.form(schema, &mut pending, 0) {
            return false;
        }
        let mut seen: Vec<&str> = Vec::new();
        while let Some(name) = pending.pop() {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            match self.definition(name) {
                Some(definition) if self.form(definition, &mut pending, 0) => {}
                _ => return false,
            }
        }
        true
    }

    fn definition(&self, name: &str) -> Option<&'a Value> {
        self.definitions?.get(name)
    }

    /// Whether one schema has the meta-schema's form; the definitions it
    /// names are added to `refs`.
    fn form<'s>(&self, schema: &'s Value, refs: &mut Vec<&'s str>, depth: usize) -> bool {
        let object = match schema {
            Value::Bool(_) => return true,
            Value::Object(object) if depth < MAX_DEPTH => object,
            _ => return false,
        };
        object
            .iter()
            .all(|(key, value)| self.keyword_form(key, value, refs, depth + 1))
    }

    fn keyword_form<'s>(
        &self,
        key: &str,
        value: &'s Value,
        refs: &mut Vec<&'s str>,
        depth: usize,
    ) -> bool {
        let schemas = |list: &'s Value, refs: &mut Vec<&'s str>| match list {
            Value::Array(items) if !items.is_empty() => {
                items.iter().all(|item| self.form(item, refs, depth))
            }
            _ => false,
        };
        match key {
            "type" => type_form(value),
            "enum" => value.is_array(),
            "const" | "default" => true,
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => value.is_number(),
            "multipleOf" => value.as_f64().is_some_and(|of| of > 0.0),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => value.as_u64().is_some(),
            "pattern" => self.leaf_compiles(Leaf::Pattern, value),
            "format" => self.leaf_compiles(Leaf::Format, value),
            "uniqueItems" | "deprecated" | "readOnly" | "writeOnly" => value.is_boolean(),
            "description" | "title" | "$comment" => value.is_string(),
            "examples" => value.is_array(),
            "required" => required_form(value),
            "properties" => value.as_object().is_some_and(|properties| {
                properties
                    .values()
                    .all(|schema| self.form(schema, refs, depth))
            }),
            "patternProperties" => value.as_object().is_some_and(|patterns| {
                patterns.iter().all(|(pattern, schema)| {
                    self.leaves.validator(Leaf::Pattern, pattern).is_some()
                        && self.form(schema, refs, depth)
                })
            }),
            "items" | "additionalProperties" | "propertyNames" => self.form(value, refs, depth),
            "allOf" | "anyOf" | "oneOf" => schemas(value, refs),
            "$ref" => match reference(value) {
                Some(name) if self.definition(name).is_some() => {
                    refs.push(name);
                    true
                }
                _ => false,
            },
            _ => key.starts_with("x-"),
        }
    }

    fn leaf_compiles(&self, leaf: Leaf, value: &Value) -> bool {
        value
            .as_str()
            .is_some_and(|text| self.leaves.validator(leaf, text).is_some())
    }

    /// Whether `value` holds against `schema`, which [`Self::is_sound`]
    /// accepted (or a part of it).
    pub(super) fn holds(&self, schema: &Value, value: &Value, depth: usize) -> Verdict {
        let object = match schema {
            Value::Bool(holds) => return Verdict::of(*holds),
            Value::Object(object) if depth < MAX_DEPTH => object,
            _ => return Verdict::Unsure,
        };
        let verdict = all(object
            .iter()
            .map(|(key, keyword)| self.keyword(key, keyword, value, depth + 1)));
        verdict.and(|| self.members(object, value, depth + 1))
    }

    /// One keyword's verdict on `value`; the object keywords that work
    /// together are judged by [`Self::members`].
    fn keyword(&self, key: &str, keyword: &Value, value: &Value, depth: usize) -> Verdict {
        match key {
            "type" => type_holds(keyword, value),
            "enum" => match keyword {
                Value::Array(options) => any_equal(options, value),
                _ => Verdict::Unsure,
            },
            "const" => equal(keyword, value).map_or(Verdict::Unsure, Verdict::of),
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                bound(key, keyword, value)
            }
            "multipleOf" => multiple_of(keyword, value),
            "minLength" | "maxLength" => length(key, keyword, value),
            "pattern" => self.leaf(Leaf::Pattern, keyword, value),
            "format" => self.leaf(Leaf::Format, keyword, value),
            "items" => match value {
                Value::Array(items) => {
                    all(items.iter().map(|item| self.holds(keyword, item, depth)))
                }
                _ => Verdict::Holds,
            },
            "minItems" | "maxItems" => count(key, keyword, value.as_array().map(Vec::len)),
            "uniqueItems" => match (keyword, value) {
                (Value::Bool(true), Value::Array(items)) => unique(items),
                _ => Verdict::Holds,
            },
            "minProperties" | "maxProperties" => {
                count(key, keyword, value.as_object().map(Map::len))
            }
            "required" => required(keyword, value),
            "allOf" => self.each_of(keyword, |verdicts| all(verdicts), value, depth),
            "anyOf" => self.each_of(keyword, any, value, depth),
            "oneOf" => self.each_of(keyword, exactly_one, value, depth),
            "$ref" => match reference(keyword).and_then(|name| self.definition(name)) {
                Some(definition) => self.holds(definition, value, depth),
                None => Verdict::Unsure,
            },
            "properties" | "patternProperties" | "additionalProperties" | "propertyNames" => {
                Verdict::Holds
            }
            "description" | "title" | "$comment" | "examples" | "default" | "deprecated"
            | "readOnly" | "writeOnly" => Verdict::Holds,
            _ if key.starts_with("x-") => Verdict::Holds,
            _ => Verdict::Unsure,
        }
    }

    fn each_of(
        &self,
        list: &Value,
        combine: impl FnOnce(&mut dyn Iterator<Item = Verdict>) -> Verdict,
        value: &Value,
        depth: usize,
    ) -> Verdict {
        match list {
            Value::Array(schemas) => combine(
                &mut schemas
                    .iter()
                    .map(|schema| self.holds(schema, value, depth)),
            ),
            _ => Verdict::Unsure,
        }
    }

    fn leaf(&self, leaf: Leaf, keyword: &Value, value: &Value) -> Verdict {
        match (keyword, value) {
            (Value::String(text), Value::String(instance)) => self
                .leaves
                .accepts(leaf, text, instance)
                .map_or(Verdict::Unsure, Verdict::of),
            (_, Value::String(_)) => Verdict::Unsure,
            _ => Verdict::Holds,
        }
    }

    /// Each member of an object against `properties`, `patternProperties`,
    /// `additionalProperties` and `propertyNames`.
    fn members(&self, object: &Map<String, Value>, value: &Value, depth: usize) -> Verdict {
        let Value::Object(members) = value else {
            return Verdict::Holds;
        };
        let properties = object.get("properties").and_then(Value::as_object);
        let patterns = object.get("patternProperties").and_then(Value::as_object);
        let additional = object.get("additionalProperties");
        let names = object.get("propertyNames");
        if properties.is_none() && patterns.is_none() && additional.is_none() && names.is_none() {
            return Verdict::Holds;
        }
        all(members.iter().map(|(key, item)| {
            self.member(properties, patterns, additional, key, item, depth)
                .and(|| match names {
                    Some(names) => self.holds(names, &Value::String(key.clone()), depth),
                    None => Verdict::Holds,
                })
        }))
    }

    fn member(
        &self,
        properties: Option<&Map<String, Value>>,
        patterns: Option<&Map<String, Value>>,
        additional: Option<&Value>,
        key: &str,
        item: &Value,
        depth: usize,
    ) -> Verdict {
        let property = properties.and_then(|properties| properties.get(key));
        let mut described = property.is_some();
        let mut verdict = property.map_or(Verdict::Holds, |schema| self.holds(schema, item, depth));
        for (pattern, schema) in patterns.into_iter().flatten() {
            match self.leaves.accepts(Leaf::Pattern, pattern, key) {
                Some(true) => {
                    described = true;
                    verdict = verdict.and(|| self.holds(schema, item, depth));
                }
                Some(false) => {}
                None => return Verdict::Unsure,
            }
        }
        match additional {
            Some(rest) if !described => verdict.and(|| self.holds(rest, item, depth)),
            _ => verdict,
        }
    }
}

/// `#/$defs/Name`'s name, when it is nothing more.
fn reference(value: &Value) -> Option<&str> {
    let name = value.as_str()?.strip_prefix(DEFS_PREFIX)?;
    (!name.is_empty() && !name.contains(['/', '~', '%'])).then_some(name)
}

const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "object", "array", "number", "string", "integer",
];

fn type_form(value: &Value) -> bool {
    match value {
        Value::String(name) => TYPE_NAMES.contains(&name.as_str()),
        Value::Array(names) => {
            !names.is_empty()
                && names.iter().enumerate().all(|(at, name)| {
                    name.as_str().is_some_and(|name| TYPE_NAMES.contains(&name))
                        && !names[..at].contains(name)
                })
        }
        _ => false,
    }
}

fn required_form(value: &Value) -> bool {
    match value {
        Value::Array(names) => names
            .iter()
            .enumerate()
            .all(|(at, name)| name.is_string() && !names[..at].contains(name)),
        _ => false,
    }
}

fn type_holds(keyword: &Value, value: &Value) -> Verdict {
    let one = |name: &str| match (name, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("object", Value::Object(_))
        | ("array", Value::Array(_))
        | ("number", Value::Number(_))
        | ("string", Value::String(_)) => Verdict::Holds,
        ("integer", Value::Number(number)) => match number.as_f64() {
            _ if number.is_i64() || number.is_u64() => Verdict::Holds,
            // `jsonschema` may count 1.0 as an integer.
            Some(float) if float.fract() == 0.0 => Verdict::Unsure,
            _ => Verdict::Fails,
        },
        _ => Verdict::Fails,
    };
    match keyword {
        Value::String(name) => one(name),
        Value::Array(names) => any(&mut names.iter().map(|name| match name {
            Value::String(name) => one(name),
            _ => Verdict::Unsure,
        })),
        _ => Verdict::Unsure,
    }
}

/// Holds when one verdict holds; fails when all fail: [`all`] of the
/// opposites, turned around.
fn any(verdicts: &mut dyn Iterator<Item = Verdict>) -> Verdict {
    all(verdicts.map(Verdict::opposite)).opposite()
}

/// Holds when exactly one verdict holds and every other fails.
fn exactly_one(verdicts: &mut dyn Iterator<Item = Verdict>) -> Verdict {
    let mut holding = 0;
    for each in verdicts {
        match each {
            Verdict::Holds => holding += 1,
            Verdict::Unsure => return Verdict::Unsure,
            Verdict::Fails => {}
        }
    }
    Verdict::of(holding == 1)
}

fn any_equal(options: &[Value], value: &Value) -> Verdict {
    any(&mut options
        .iter()
        .map(|option| equal(option, value).map_or(Verdict::Unsure, Verdict::of)))
}

/// JSON Schema's equality (1 equals 1.0); `None` when unsure.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => compare(a, b).map(|order| order.is_eq()),
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(false);
            }
            all_equal(a.iter().zip(b))
        }
        (Value::Object(a), Value::Object(b)) => {
            if a.len() != b.len() || a.keys().any(|key| !b.contains_key(key)) {
                return Some(false);
            }
            all_equal(a.iter().map(|(key, value)| (value, &b[key])))
        }
        _ => Some(a == b),
    }
}

fn all_equal<'v>(pairs: impl Iterator<Item = (&'v Value, &'v Value)>) -> Option<bool> {
    let mut sure = true;
    for (a, b) in pairs {
        match equal(a, b) {
            Some(false) => return Some(false),
            None => sure = false,
            Some(true) => {}
        }
    }
    sure.then_some(true)
}

/// The order of two numbers, exact for integers and for floats; `None`
/// where an integer past 2^53 meets a float.
fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    let integer = |number: &Number| {
        number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from))
    };
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        (Some(_), None) | (None, Some(_)) | (None, None) => {
            const EXACT: i128 = 1 << 53;
            let exact = |number: &Number| integer(number).is_none_or(|value| value.abs() <= EXACT);
            if !exact(a) || !exact(b) {
                return None;
            }
            a.as_f64()?.partial_cmp(&b.as_f64()?)
        }
    }
}

fn bound(key: &str, keyword: &Value, value: &Value) -> Verdict {
    let (Value::Number(bound), Value::Number(number)) = (keyword, value) else {
        return match value {
            Value::Number(_) => Verdict::Unsure,
            _ => Verdict::Holds,
        };
    };
    let Some(order) = compare(number, bound) else {
        return Verdict::Unsure;
    };
    Verdict::of(match key {
        "minimum" => order.is_ge(),
        "maximum" => order.is_le(),
        "exclusiveMinimum" => order.is_gt(),
        _ => order.is_lt(),
    })
}

fn multiple_of(keyword: &Value, value: &Value) -> Verdict {
    let Value::Number(number) = value else {
        return Verdict::Holds;
    };
    match (keyword.as_u64(), number.as_i64()) {
        (Some(of), Some(number)) if of > 0 => Verdict::of(i128::from(number) % i128::from(of) == 0),
        _ => Verdict::Unsure,
    }
}

/// `minLength` and `maxLength`: a length in characters, counted here
/// only for ASCII text, where every way of counting agrees.
fn length(key: &str, keyword: &Value, value: &Value) -> Verdict {
    match value {
        Value::String(text) if text.is_ascii() => count(key, keyword, Some(text.len())),
        Value::String(_) => Verdict::Unsure,
        _ => Verdict::Holds,
    }
}

/// A `min…` or `max…` keyword against a count; holds for a value the
/// keyword does not apply to (`None`).
fn count(key: &str, keyword: &Value, counted: Option<usize>) -> Verdict {
    let (Some(limit), Some(counted)) = (keyword.as_u64(), counted) else {
        return match counted {
            Some(_) => Verdict::Unsure,
            None => Verdict::Holds,
        };
    };
    let counted = counted as u64;
    Verdict::of(if key.starts_with("min") {
        counted >= limit
    } else {
        counted <= limit
    })
}

fn unique(items: &[Value]) -> Verdict {
    if items.len() > MAX_UNIQUE_ITEMS {
        return Verdict::Unsure;
    }
    let mut verdict = Verdict::Holds;
    for (at, item) in items.iter().enumerate() {
        for earlier in &items[..at] {
            match equal(earlier, item) {
                Some(true) => return Verdict::Fails,
                None => verdict = Verdict::Unsure,
                Some(false) => {}
            }
        }
    }
    verdict
}

fn required(keyword: &Value, value: &Value) -> Verdict {
    match (keyword, value) {
        (Value::Array(names), Value::Object(members)) => Verdict::of(
            names
                .iter()
                .all(|name| name.as_str().is_some_and(|name| members.contains_key(name))),
        ),
        (_, Value::Object(_)) => Verdict::Unsure,
        _ => Verdict::Holds,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Leaves, Prover, Verdict};

    fn jsonschema(schema: &Value, definitions: &Value) -> Option<jsonschema::Validator> {
        let mut schema = schema.clone();
        if let Value::Object(object) = &mut schema {
            object.insert("$defs".into(), definitions.clone());
        }
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .ok()
    }

    fn definitions() -> Value {
        json!({
            "Id": {"type": "integer", "minimum": 1, "maximum": 9007199254740991u64},
            "Tag": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}},
        })
    }

    /// Schemas covering every keyword the prover judges.
    fn schemas() -> Vec<Value> {
        vec![
            json!({"type": "object", "additionalProperties": false, "required": ["id", "tags"],
            "properties": {
                "id": {"$ref": "#/$defs/Id"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}, "uniqueItems": true, "minItems": 1, "maxItems": 3},
                "when": {"type": "string", "format": "date"},
                "mail": {"type": ["string", "null"], "format": "email"},
                "link": {"type": "string", "format": "uri"},
                "uid": {"type": "string", "format": "uuid"},
                "moment": {"type": "string", "format": "date-time"},
                "kind": {"enum": ["a", "b", 1, null]},
                "fixed": {"const": {"x": [1, 2.5]}},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5},
                "step": {"type": "integer", "multipleOf": 5},
                "name": {"type": "string", "minLength": 2, "maxLength": 4, "description": "A name."},
                "node": {"$ref": "#/$defs/Node"},
            }}),
            json!({"type": "object", "patternProperties": {"^x_": {"type": "integer"}},
                "additionalProperties": {"type": "string"}, "propertyNames": {"maxLength": 5},
                "minProperties": 1, "maxProperties": 3}),
            json!({"oneOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
                {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}},
            ]}),
            json!({"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}], "x-note": 1}),
            json!({"allOf": [{"type": "object"}, {"required": ["a"]}], "title": "T", "deprecated": false}),
            json!({"type": "array", "items": {"type": "number", "minimum": -2.5, "maximum": 10}}),
            json!(true),
            json!(false),
        ]
    }

    fn instances() -> Vec<Value> {
        let base = json!({
            "id": 7, "tags": ["ab", "cd"], "when": "2026-12-01", "mail": "a@b.co",
            "link": "https://example.com/x?y=1", "uid": "123e4567-e89b-12d3-a456-426614174000",
            "moment": "2026-12-01T10:00:00Z", "kind": "a", "fixed": {"x": [1, 2.5]},
            "ratio": 0.5, "step": 10, "name": "abc", "node": {"next": {"next": {}}},
            "x_count": 3, "other": "s", "a": 1,
        });
        let odd = [
            json!(null),
            json!(0),
            json!(-1),
            json!(1.0),
            json!(1.5),
            json!(5.0),
            json!(9007199254740993u64),
            json!(-9007199254740993i64),
            json!(""),
            json!("x".repeat(20)),
            json!("été"),
            json!("2026-13-01"),
            json!("not an email"),
            json!("a b"),
            json!(true),
            json!([]),
            json!(["ab", "ab"]),
            json!({}),
            json!({"x": [1, 2.5]}),
            json!({"x": [1.0, 2.5]}),
            json!(["ab", "cd", "ef", "gh"]),
        ];
        let mut all = vec![
            base.clone(),
            json!(3),
            json!("ab"),
            json!([1, 2]),
            json!({"a": 1, "b": "s"}),
        ];
        all.extend(odd.iter().cloned());
        let members = base.as_object().unwrap();
        for key in members.keys() {
            let mut without = members.clone();
            without.remove(key);
            all.push(Value::Object(without));
            for value in &odd {
                let mut changed = members.clone();
                changed.insert(key.clone(), value.clone());
                all.push(Value::Object(changed));
            }
        }
        let mut extra = members.clone();
        extra.insert("x_toolong".into(), json!(1));
        all.push(Value::Object(extra));
        all
    }

    #[test]
    fn what_the_prover_decides_jsonschema_decides_the_same_way() {
        let definitions = definitions();
        let leaves = Leaves::default();
        let prover = Prover::new(Some(&definitions), &leaves);
        let mut decided = [0usize; 3];
        for schema in schemas() {
            assert!(prover.is_sound(&schema), "{schema}");
            let validator = jsonschema(&schema, &definitions).expect("the schema compiles");
            for instance in instances() {
                let verdict = prover.holds(&schema, &instance, 0);
                let valid = validator.is_valid(&instance);
                match verdict {
                    Verdict::Holds => assert!(
                        valid,
                        "holds, but jsonschema rejects {instance} against {schema}"
                    ),
                    Verdict::Fails => assert!(
                        !valid,
                        "fails, but jsonschema accepts {instance} against {schema}"
                    ),
                    Verdict::Unsure => {}
                }
                decided[verdict as usize] += 1;
            }
        }
        // Not vacuous: the prover decides nearly everything either way.
        let [holds, fails, unsure] = decided;
        assert!(
            holds > 50 && fails > 500 && unsure * 10 < holds + fails,
            "{decided:?}"
        );
    }

    #[test]
    fn a_schema_jsonschema_would_refuse_is_never_sound() {
        let definitions = definitions();
        let leaves = Leaves::default();
        let prover = Prover::new(Some(&definitions), &leaves);
        let refused = [
            json!({"minLength": -1}),
            json!({"maxLength": 1.5}),
            json!({"minimum": "x"}),
            json!({"pattern": "(["}),
            json!({"uniqueItems": 3}),
            json!({"multipleOf": 0}),
            json!({"exclusiveMinimum": true}),
            json!({"additionalProperties": 5}),
            json!({"type": "text"}),
            json!({"type": ["string", "string"]}),
            json!({"required": ["a", "a"]}),
            json!({"anyOf": []}),
            json!({"properties": {"a": {"minItems": "x"}}}),
            json!({"patternProperties": {"([": {}}}),
            json!({"$ref": "#/$defs/Missing"}),
            json!({"$ref": "#/$defs/Id/minimum"}),
            json!({"format": 5}),
        ];
        for schema in refused {
            assert!(!prover.is_sound(&schema), "{schema}");
        }
        // What the prover does not know, it leaves to jsonschema.
        for schema in [
            json!({"not": {}}),
            json!({"if": {}, "then": {}}),
            json!({"prefixItems": [{}]}),
            json!({"$defs": {}}),
            json!({"$ref": "other.json"}),
        ] {
            assert!(!prover.is_sound(&schema), "{schema}");
        }
        let bad_definition = json!({"Bad": {"maxItems": -3}});
        let prover = Prover::new(Some(&bad_definition), &leaves);
        assert!(!prover.is_sound(&json!({"items": {"$ref": "#/$defs/Bad"}})));
        assert!(prover.is_sound(&json!({"items": {"type": "string"}})));
    }

    #[test]
    fn examples_hold_only_when_the_schema_is_sound_and_each_example_holds() {
        let definitions = definitions();
        let leaves = Leaves::default();
        let prover = Prover::new(Some(&definitions), &leaves);
        let schema = json!({"type": "object", "properties": {"id": {"$ref": "#/$defs/Id"}}});
        assert!(prover.all_hold(&schema, &[json!({"id": 1}), json!({})]));
        assert!(!prover.all_hold(&schema, &[json!({"id": 1}), json!({"id": 0})]));
        let unsound = json!({"type": "object", "minProperties": -1});
        assert!(!prover.all_hold(&unsound, &[json!({})]));
    }
}
