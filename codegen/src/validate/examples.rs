//! Every example against its event's payload schema, with the shared
//! definitions as `$defs`, on up to one thread per core. The check needs
//! only the definitions as written, so it runs while the payloads convert.

use jsonschema::paths::LocationSegment;

use super::events::{Candidate, Converted};
use super::example_proof::{Leaves, Prover};
use crate::diagnostic::Diagnostic;
use crate::node::{Node, Value};
use crate::raw::EventDef;
use crate::source::{FileId, Sources, Span};

/// What checking one definition's examples gave: the payload schema and
/// the examples as JSON, and the findings.
pub(super) struct Checked {
    schema: serde_json::Value,
    examples: Vec<serde_json::Value>,
    findings: Vec<Diagnostic>,
}

/// Checks the examples of every candidate with a payload schema against
/// that schema as written; `None` for a candidate without one.
pub(super) fn check_all(
    sources: &Sources,
    candidates: &[Candidate<'_>],
    definitions: Option<&serde_json::Value>,
) -> Vec<Option<Checked>> {
    let leaves = Leaves::default();
    let prover = Prover::new(definitions, &leaves);
    crate::parallel::map_in_order(candidates, |candidate| {
        let mut schema = candidate.def.payload.as_ref()?.to_json();
        let mut findings = Vec::new();
        let examples = check_examples(
            sources,
            candidate.file,
            candidate.def,
            (&mut schema, definitions),
            &prover,
            &mut findings,
        );
        Some(Checked {
            schema,
            examples,
            findings,
        })
    })
}

/// Gives each converted event its schema as JSON (converted once, here)
/// and its examples, and reports the findings. A
/// payload that did not convert still has its examples' findings
/// reported, so one run shows a wrong example beside an unsupported
/// keyword; its schema's own findings are reported already.
pub(super) fn merge(
    checked: Vec<Option<Checked>>,
    converted: &mut Converted,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut events = converted
        .candidates
        .iter()
        .zip(&mut converted.events)
        .peekable();
    for (index, checked) in checked.into_iter().enumerate() {
        let event = events.next_if(|(candidate, _)| **candidate == index);
        let Some(checked) = checked else { continue };
        match event {
            Some((_, event)) => {
                event.schema = checked.schema;
                event.examples = checked.examples;
                diagnostics.extend(checked.findings);
            }
            None => diagnostics.extend(
                checked
                    .findings
                    .into_iter()
                    .filter(|diagnostic| diagnostic.rule == "invalid-example"),
            ),
        }
    }
}

/// Validates every example against the payload schema (with the shared
/// definitions as `$defs`) and returns them as JSON. Examples the prover
/// shows valid need no validator; otherwise the schema is compiled, and
/// `jsonschema` words every finding.
fn check_examples(
    sources: &Sources,
    file: FileId,
    def: &EventDef,
    (schema, definitions): (&mut serde_json::Value, Option<&serde_json::Value>),
    prover: &Prover<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<serde_json::Value> {
    let text = &sources.get(file).text;
    if def.examples.value.is_empty() {
        diagnostics.push(
            Diagnostic::error("missing-example", format!("event `{}` has no example", def.name.value))
                .at(file, Span::from_location(def.examples.referenced, text), "empty list")
                .help("add at least one example payload: it documents the event and tests the generated types"),
        );
        return Vec::new();
    }
    let examples: Vec<serde_json::Value> = def.examples.value.iter().map(Node::to_json).collect();
    if prover.all_hold(schema, &examples) {
        return examples;
    }
    let validator = match compile(schema, definitions) {
        Ok(validator) => validator,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-schema",
                    format!("the payload schema is not valid JSON Schema: {error}"),
                )
                .at(
                    file,
                    Span::from_location(
                        def.payload
                            .as_ref()
                            .map_or(def.name.referenced.into(), |node| node.location),
                        text,
                    ),
                    "in this schema",
                ),
            );
            return Vec::new();
        }
    };
    for (example, json) in def.examples.value.iter().zip(&examples) {
        for error in validator.iter_errors(json) {
            let at = node_at(example, error.instance_path().segments());
            let pointer = error.instance_path().as_str().to_string();
            let place = if pointer.is_empty() {
                "the example".to_string()
            } else {
                format!("`{pointer}`")
            };
            diagnostics.push(
                Diagnostic::error(
                    "invalid-example",
                    format!("example of `{}` does not match its schema", def.name.value),
                )
                .at(
                    file,
                    Span::from_location(at.location, text),
                    format!("{place}: {error}"),
                )
                .help("fix the example, or the schema if the example shows the real wire format"),
            );
        }
    }
    examples
}

/// The validator of `schema` as a JSON Schema 2020-12 document, with the
/// definitions it reaches as `$defs`. Those two keys are added to `schema`
/// for the compilation and taken out again, so the schema is not copied.
fn compile(
    schema: &mut serde_json::Value,
    definitions: Option<&serde_json::Value>,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    let reached = definitions.and_then(|defs| referenced(schema, defs));
    let options = || {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
    };
    let serde_json::Value::Object(map) = schema else {
        return options().build(schema);
    };
    let dialect = "https://json-schema.org/draft/2020-12/schema".into();
    let replaced_dialect = map.insert("$schema".into(), dialect);
    let replaced_definitions = reached.map(|reached| map.insert("$defs".into(), reached));
    let validator = options().build(schema);
    // Back as it was: a key that was there gets its value back in its
    // place, one that was added (at the end) goes.
    if let serde_json::Value::Object(map) = schema {
        let mut restore = |key: &str, replaced: Option<serde_json::Value>| match replaced {
            Some(value) => {
                map.insert(key.into(), value);
            }
            None => {
                map.shift_remove(key);
            }
        };
        if let Some(replaced) = replaced_definitions {
            restore("$defs", replaced);
        }
        restore("$schema", replaced_dialect);
    }
    validator
}

/// The definitions `schema` refers to (`#/$defs/Name`), directly or
/// through other definitions: the validator compiles and checks only what
/// the payload can reach, not every definition of the catalog per event.
/// `None` when it reaches none.
fn referenced(
    schema: &serde_json::Value,
    definitions: &serde_json::Value,
) -> Option<serde_json::Value> {
    let serde_json::Value::Object(all) = definitions else {
        return Some(definitions.clone());
    };
    let mut reached = serde_json::Map::new();
    let mut pending = Vec::new();
    collect_refs(schema, &mut pending);
    while let Some(name) = pending.pop() {
        if reached.contains_key(&name) {
            continue;
        }
        if let Some(definition) = all.get(&name) {
            collect_refs(definition, &mut pending);
            reached.insert(name, definition.clone());
        }
    }
    // Keep the catalog's order, so errors read the same whatever the path.
    let ordered: serde_json::Map<String, serde_json::Value> = all
        .keys()
        .filter_map(|name| reached.remove_entry(name))
        .collect();
    (!ordered.is_empty()).then_some(serde_json::Value::Object(ordered))
}

/// The definition names of every `#/$defs/Name` reference in `value`.
fn collect_refs(value: &serde_json::Value, names: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", serde_json::Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            let name = name.split('/').next().unwrap_or(name);
                            names.push(name.replace("~1", "/").replace("~0", "~"));
                        }
                    }
                    _ => collect_refs(value, names),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_refs(item, names)),
        _ => {}
    }
}

/// The node an instance path points at, or the deepest one that exists.
fn node_at<'n, 's>(node: &'n Node, path: impl Iterator<Item = LocationSegment<'s>>) -> &'n Node {
    let mut current = node;
    for segment in path {
        let next = match (segment, &current.value) {
            (LocationSegment::Property(name), Value::Map(_)) => current.get(&name),
            (LocationSegment::Index(index), Value::Seq(items)) => items.get(index),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn only_the_definitions_a_payload_reaches_are_compiled_with_it() {
        let definitions = json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}},
            "B": {"type": "string"},
            "Unused": {"type": "integer"},
            "Self": {"type": "array", "items": {"$ref": "#/$defs/Self"}},
        });
        let schema =
            json!({"properties": {"a": {"$ref": "#/$defs/A"}, "s": {"$ref": "#/$defs/Self"}}});
        let reached = super::referenced(&schema, &definitions).unwrap();
        let names: Vec<&String> = reached.as_object().unwrap().keys().collect();
        assert_eq!(names, ["A", "B", "Self"]);
        assert_eq!(
            super::referenced(&json!({"type": "object"}), &definitions),
            None
        );
    }

    #[test]
    fn the_schema_is_compiled_with_the_definitions_and_left_as_it_was() {
        let definitions = json!({"Id": {"type": "integer", "minimum": 1}});
        for schema in [
            json!({"type": "object", "properties": {"id": {"$ref": "#/$defs/Id"}}}),
            json!({"$defs": {"Own": {}}, "properties": {"id": {"$ref": "#/$defs/Id"}}, "x": 1}),
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}),
            json!(true),
        ] {
            let mut compiled = schema.clone();
            let validator = super::compile(&mut compiled, Some(&definitions)).unwrap();
            assert_eq!(compiled, schema);
            assert_eq!(
                serde_json::to_string(&compiled).unwrap(),
                serde_json::to_string(&schema).unwrap(),
                "the keys keep their order"
            );
            if schema.get("properties").is_some() {
                assert!(validator.is_valid(&json!({"id": 2})));
                assert!(!validator.is_valid(&json!({"id": 0})), "{schema}");
            }
        }
    }
}
