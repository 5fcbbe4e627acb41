//! What a message must satisfy, as data both languages' validators read:
//! every payload schema, shared definition and envelope-fields schema
//! compiled into a table of [`Check`]s that refer to each other by index.
//!
//! A check holds the keywords of one JSON Schema object with `$ref`s and
//! subschemas replaced by indices. The generated Rust carries the table and
//! a small interpreter (hand-written support code); the generated
//! TypeScript writes each check out as a function
//! (`render/typescript/checks.rs`). Both read the same table, so the
//! validators agree by construction.

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use serde_json::{Map, Number, Value};

use crate::FastMap;
use crate::model::{Catalog, IntegerRepr};
use crate::schema_subset::{DEFS_PREFIX, KNOWN_FORMATS, MAX_SAFE_INTEGER};

mod keywords;
pub use keywords::{Keyword, KeywordSet};

/// A JSON type as `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    String,
    Integer,
}

impl JsonType {
    /// The keyword's spelling.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Integer => "integer",
        }
    }

    fn parse(name: &str) -> Option<JsonType> {
        [
            JsonType::Null,
            JsonType::Boolean,
            JsonType::Object,
            JsonType::Array,
            JsonType::Number,
            JsonType::String,
            JsonType::Integer,
        ]
        .into_iter()
        .find(|ty| ty.name() == name)
    }
}

/// One schema's keywords, with subschemas as indices into [`Checks::table`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Check {
    /// `false`: nothing is valid.
    pub never: bool,
    pub reference: Option<usize>,
    pub types: Vec<JsonType>,
    /// Integers here are carried as decimal strings (`large_integers: string`).
    pub integer_as_string: bool,
    pub enumeration: Option<Vec<Value>>,
    pub constant: Option<Value>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    pub multiple_of: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// An index into [`Checks::patterns`].
    pub pattern: Option<usize>,
    /// A format both validators check (others are annotations).
    pub format: Option<String>,
    pub items: Option<usize>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub required: Vec<String>,
    pub properties: Vec<(String, usize)>,
    /// Pattern indices and their schemas.
    pub pattern_properties: Vec<(usize, usize)>,
    /// Keys in neither `properties` nor `patternProperties`.
    pub additional: Option<usize>,
    pub property_names: Option<usize>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub all_of: Vec<usize>,
    pub any_of: Vec<usize>,
    pub one_of: Vec<usize>,
}

impl Check {
    /// Whether the check is only a `$ref` to another.
    pub fn is_bare_reference(&self) -> bool {
        self.keywords() == KeywordSet::of(&[Keyword::Reference])
    }

    /// Every subschema index, in a fixed order (two checks that differ only
    /// in their indices list corresponding subschemas at the same places).
    pub fn subschemas(&self) -> Vec<usize> {
        let mut indices: Vec<usize> = self.reference.into_iter().collect();
        indices.extend(self.items);
        indices.extend(self.additional);
        indices.extend(self.property_names);
        indices.extend(self.properties.iter().map(|(_, at)| *at));
        indices.extend(self.pattern_properties.iter().map(|(_, at)| *at));
        indices.extend(self.all_of.iter().chain(&self.any_of).chain(&self.one_of));
        indices
    }

    /// The check with every subschema index passed through `resolve`.
    pub fn map_indices(&self, resolve: impl Fn(usize) -> usize) -> Check {
        let pairs = |pairs: &[(usize, usize)]| {
            pairs
                .iter()
                .map(|(pattern, at)| (*pattern, resolve(*at)))
                .collect()
        };
        let list = |list: &[usize]| list.iter().map(|at| resolve(*at)).collect();
        Check {
            reference: self.reference.map(&resolve),
            items: self.items.map(&resolve),
            additional: self.additional.map(&resolve),
            property_names: self.property_names.map(&resolve),
            properties: self
                .properties
                .iter()
                .map(|(name, at)| (name.clone(), resolve(*at)))
                .collect(),
            pattern_properties: pairs(&self.pattern_properties),
            all_of: list(&self.all_of),
            any_of: list(&self.any_of),
            one_of: list(&self.one_of),
            ..self.clone()
        }
    }
}

/// Every check of a catalog.
#[derive(Debug, Default)]
pub struct Checks {
    /// The checks; indices are their names.
    pub table: Vec<Check>,
    /// The regular expressions `pattern` and `patternProperties` use.
    pub patterns: Vec<String>,
    /// Each event's payload check, by wire name.
    pub payloads: BTreeMap<String, usize>,
    /// The envelope's own fields, when it has any.
    pub envelope_fields: Option<usize>,
}

impl Checks {
    /// The same table with every index that points at a schema which only
    /// names another (a bare `$ref`, as most property schemas are) pointing
    /// at that other instead, so a validator takes one step per value, not
    /// two. The bare schemas stay in the table, unreferenced by the rest.
    pub fn through_references(&self) -> Checks {
        let resolve = |at: usize| {
            let mut at = at;
            // A chain is at most as long as the table, which bounds a cycle.
            for _ in 0..self.table.len() {
                match self.table.get(at) {
                    Some(check) if check.is_bare_reference() => {
                        at = check.reference.unwrap_or(at);
                    }
                    _ => break,
                }
            }
            at
        };
        let table = self
            .table
            .iter()
            .map(|check| check.map_indices(resolve))
            .collect();
        Checks {
            table,
            patterns: self.patterns.clone(),
            payloads: self
                .payloads
                .iter()
                .map(|(name, at)| (name.clone(), resolve(*at)))
                .collect(),
            envelope_fields: self.envelope_fields.map(resolve),
        }
    }

    /// Compiles the catalog's schemas.
    pub fn new(catalog: &Catalog) -> Checks {
        let mut compiler = Compiler {
            large_integers: catalog.large_integers,
            ..Compiler::default()
        };
        // Definitions first, their indices reserved so `$ref`s resolve.
        for name in catalog.definitions.keys() {
            let index = compiler.reserve();
            compiler.definitions.insert(name.clone(), index);
        }
        for (name, schema) in &catalog.definitions {
            let index = compiler.definitions[name];
            compiler.checks.table[index] = compiler.check(schema);
        }
        for event in &catalog.events {
            let index = compiler.compile(&event.schema);
            compiler.checks.payloads.insert(event.name.clone(), index);
        }
        compiler.checks.envelope_fields = catalog
            .envelope
            .fields_schema
            .as_ref()
            .map(|schema| compiler.compile(schema));
        compiler.checks
    }
}

#[derive(Default)]
struct Compiler {
    checks: Checks,
    definitions: BTreeMap<String, usize>,
    /// Each pattern's index in `checks.patterns`, so a catalog with a
    /// pattern per event is not searched once per pattern.
    pattern_index: FastMap<String, usize>,
    /// Each subschema's index by its check: a subschema written many times
    /// (an id, a timestamp, a status enum, an object of the same fields)
    /// is one entry, which keeps the table, and the generated code that
    /// holds it, in proportion to the distinct schemas.
    interned: FastMap<Check, usize>,
    large_integers: Option<IntegerRepr>,
}

impl Compiler {
    fn reserve(&mut self) -> usize {
        self.checks.table.push(Check::default());
        self.checks.table.len() - 1
    }

    /// A subschema's index: its subschemas compiled first, then the check
    /// itself, or the index of the same check compiled before.
    fn compile(&mut self, schema: &Value) -> usize {
        let check = self.check(schema);
        let next = self.checks.table.len();
        match self.interned.entry(check) {
            Entry::Occupied(seen) => *seen.get(),
            Entry::Vacant(new) => {
                self.checks.table.push(new.key().clone());
                new.insert(next);
                next
            }
        }
    }

    fn compile_all(&mut self, schemas: Option<&Value>) -> Vec<usize> {
        match schemas {
            Some(Value::Array(items)) => items.iter().map(|item| self.compile(item)).collect(),
            _ => Vec::new(),
        }
    }

    fn pattern(&mut self, pattern: &str) -> usize {
        if let Some(index) = self.pattern_index.get(pattern) {
            return *index;
        }
        self.checks.patterns.push(pattern.to_string());
        let index = self.checks.patterns.len() - 1;
        self.pattern_index.insert(pattern.to_string(), index);
        index
    }

    /// One schema's check (validation made sure it is in the subset).
    fn check(&mut self, schema: &Value) -> Check {
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(valid) => {
                return Check {
                    never: !valid,
                    ..Check::default()
                };
            }
            _ => return Check::default(),
        };
        let object = Keywords(object);
        let mut check = Check {
            reference: object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|target| target.strip_prefix(DEFS_PREFIX))
                .and_then(|name| self.definitions.get(name).copied()),
            types: types(object.get("type")),
            integer_as_string: self.integer_as_string(object),
            enumeration: match object.get("enum") {
                Some(Value::Array(values)) => Some(values.clone()),
                _ => None,
            },
            constant: object.get("const").cloned(),
            format: object
                .get("format")
                .and_then(Value::as_str)
                .filter(|format| KNOWN_FORMATS.contains(format))
                .map(str::to_string),
            ..Check::default()
        };
        self.numbers(object, &mut check);
        self.strings_and_arrays(object, &mut check);
        self.objects(object, &mut check);
        check.all_of = self.compile_all(object.get("allOf"));
        check.any_of = self.compile_all(object.get("anyOf"));
        check.one_of = self.compile_all(object.get("oneOf"));
        check
    }

    /// Whether an integer schema is carried as a string: its own
    /// `x-large-integer`, else the catalog's choice for integers not bounded
    /// inside ±(2^53−1).
    fn integer_as_string(&self, object: Keywords<'_>) -> bool {
        if !types(object.get("type")).contains(&JsonType::Integer) {
            return false;
        }
        if let Some(choice) = object.get("x-large-integer").and_then(Value::as_str) {
            return choice == "string";
        }
        let safe = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_f64)
                .is_some_and(|bound| bound.abs() <= MAX_SAFE_INTEGER as f64)
        };
        let bounded = (safe("minimum") || safe("exclusiveMinimum"))
            && (safe("maximum") || safe("exclusiveMaximum"));
        !bounded && self.large_integers == Some(IntegerRepr::String)
    }

    fn numbers(&mut self, object: Keywords<'_>, check: &mut Check) {
        let number = |key: &str| match object.get(key) {
            Some(Value::Number(number)) => Some(number.clone()),
            _ => None,
        };
        check.minimum = number("minimum");
        check.maximum = number("maximum");
        check.exclusive_minimum = number("exclusiveMinimum");
        check.exclusive_maximum = number("exclusiveMaximum");
        check.multiple_of = number("multipleOf");
    }

    fn strings_and_arrays(&mut self, object: Keywords<'_>, check: &mut Check) {
        let count = |key: &str| object.get(key).and_then(Value::as_u64);
        check.min_length = count("minLength");
        check.max_length = count("maxLength");
        check.pattern = object
            .get("pattern")
            .and_then(Value::as_str)
            .map(|pattern| self.pattern(pattern));
        check.items = object.get("items").map(|items| self.compile(items));
        check.min_items = count("minItems");
        check.max_items = count("maxItems");
        check.unique_items = object.get("uniqueItems") == Some(&Value::Bool(true));
    }

    fn objects(&mut self, object: Keywords<'_>, check: &mut Check) {
        let count = |key: &str| object.get(key).and_then(Value::as_u64);
        check.min_properties = count("minProperties");
        check.max_properties = count("maxProperties");
        check.required = match object.get("required") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, schema) in properties {
                let index = self.compile(schema);
                check.properties.push((name.clone(), index));
            }
        }
        if let Some(Value::Object(patterns)) = object.get("patternProperties") {
            for (pattern, schema) in patterns {
                let pattern = self.pattern(pattern);
                let index = self.compile(schema);
                check.pattern_properties.push((pattern, index));
            }
        }
        check.additional = object
            .get("additionalProperties")
            .map(|schema| self.compile(schema));
        check.property_names = object
            .get("propertyNames")
            .map(|schema| self.compile(schema));
    }
}

/// A schema object's keywords. A schema object holds a handful of keys and
/// the compiler asks it for about thirty keywords, so a scan of its entries
/// beats hashing each keyword (SipHash) for a map lookup.
#[derive(Clone, Copy)]
struct Keywords<'a>(&'a Map<String, Value>);

impl<'a> Keywords<'a> {
    /// Past this many keys, a lookup is cheaper than a scan.
    const SCAN_UP_TO: usize = 16;

    fn get(self, keyword: &str) -> Option<&'a Value> {
        if self.0.len() > Self::SCAN_UP_TO {
            return self.0.get(keyword);
        }
        self.0
            .iter()
            .find(|(key, _)| key.as_str() == keyword)
            .map(|(_, value)| value)
    }
}

fn types(value: Option<&Value>) -> Vec<JsonType> {
    match value {
        Some(Value::String(name)) => JsonType::parse(name).into_iter().collect(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .filter_map(JsonType::parse)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(to: usize) -> Check {
        Check {
            reference: Some(to),
            ..Check::default()
        }
    }

    #[test]
    fn a_subschema_written_twice_is_one_check() {
        let mut compiler = Compiler::default();
        let id = serde_json::json!({"type": "integer", "minimum": 1});
        let payload = serde_json::json!({
            "type": "object",
            "properties": {"task_id": id, "phase_id": id, "name": {"type": "string"}},
        });
        let first = compiler.compile(&payload);
        let second = compiler.compile(&payload);
        let table = &compiler.checks.table;
        assert_eq!(first, second);
        // The id, the name and the object: three checks, not seven.
        assert_eq!(table.len(), 3);
        let properties = &table[first].properties;
        assert_eq!(properties[0].1, properties[1].1);
        assert_ne!(properties[0].1, properties[2].1);
        // A bound that differs is a check of its own.
        let other = compiler.compile(&serde_json::json!({"type": "integer", "minimum": 2}));
        assert_eq!(other, 3);
    }

    #[test]
    fn bare_references_resolve_to_what_they_name() {
        let integer = Check {
            types: vec![JsonType::Integer],
            ..Check::default()
        };
        let object = Check {
            properties: vec![("id".to_string(), 2)],
            items: Some(1),
            any_of: vec![2, 0],
            ..Check::default()
        };
        let checks = Checks {
            // 1 names 0 and 2 names 1; 4 and 5 name each other.
            table: vec![integer, bare(0), bare(1), object, bare(5), bare(4)],
            patterns: Vec::new(),
            payloads: [("e".to_string(), 2), ("loop".to_string(), 4)].into(),
            envelope_fields: Some(1),
        };
        let resolved = checks.through_references();
        assert_eq!(resolved.table[3].properties, [("id".to_string(), 0)]);
        assert_eq!(resolved.table[3].items, Some(0));
        assert_eq!(resolved.table[3].any_of, [0, 0]);
        assert_eq!(resolved.payloads["e"], 0);
        assert_eq!(resolved.envelope_fields, Some(0));
        // A cycle ends at one of its members instead of hanging.
        assert!([4, 5].contains(&resolved.payloads["loop"]));
        // A schema with keywords of its own beside its `$ref` stays.
        let checks = Checks {
            table: vec![
                Check::default(),
                Check {
                    reference: Some(0),
                    min_length: Some(1),
                    ..Check::default()
                },
            ],
            payloads: [("e".to_string(), 1)].into(),
            ..Checks::default()
        };
        assert_eq!(checks.through_references().payloads["e"], 1);
    }
}
