//! Per-event attributes: the catalog declares each with a type and a
//! default, an event sets the ones where it differs. Generated code exposes
//! them, so lists such as "events not persisted for replay" come from the
//! catalog instead of being kept by hand beside it.

use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Attribute, AttributeType, AttributeValue};
use crate::names::is_snake_case;
use crate::node::{Node, Value};
use crate::raw::AttributeDef;
use crate::source::{FileId, Sources, Span};

/// Names the generated event-type enum already uses for its own methods.
const TAKEN: &[&str] = &[
    "as_str",
    "webhook_name",
    "metadata",
    "all",
    "from_str",
    "to_string",
    "fmt",
    "serialize",
    "deserialize",
];

/// The declared attributes, or diagnostics for bad names and defaults.
pub fn declarations(
    sources: &Sources,
    file: FileId,
    defs: &[AttributeDef],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Attribute> {
    let text = &sources.get(file).text;
    let mut attributes: Vec<Attribute> = Vec::new();
    for def in defs {
        let name = &def.name.value;
        let origin = Location {
            file,
            span: Span::from_location(def.name.referenced, text),
        };
        if !is_snake_case(name) || TAKEN.contains(&name.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-attribute",
                    format!("attribute name `{name}` is not usable"),
                )
                .at_location(origin, "expected a snake_case name of its own")
                .help(format!(
                    "use lowercase words joined by `_`, other than {}",
                    TAKEN.join(", ")
                )),
            );
            continue;
        }
        if attributes.iter().any(|attribute| &attribute.name == name) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-attribute",
                    format!("attribute `{name}` is declared twice"),
                )
                .at_location(origin, "declared again here"),
            );
            continue;
        }
        let Some(default) = value_of(sources, file, def.kind, &def.default, diagnostics) else {
            continue;
        };
        attributes.push(Attribute {
            name: name.clone(),
            description: def.description.trim().to_string(),
            default,
        });
    }
    attributes
}

/// One value per declared attribute for an event: its own where it sets
/// one, the default elsewhere.
pub fn values(
    sources: &Sources,
    file: FileId,
    declared: &[Attribute],
    node: Option<&Node>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<AttributeValue> {
    let mut values: Vec<AttributeValue> = declared
        .iter()
        .map(|attribute| attribute.default.clone())
        .collect();
    let Some(node) = node else {
        return values;
    };
    let text = &sources.get(file).text;
    let Some(entries) = node.as_map() else {
        diagnostics.push(
            Diagnostic::error("wrong-type", "`attributes` maps attribute names to values").at(
                file,
                Span::from_location(node.location, text),
                "expected a mapping",
            ),
        );
        return values;
    };
    for (key, value) in entries {
        let Some(index) = declared
            .iter()
            .position(|attribute| attribute.name == key.name)
        else {
            let known: Vec<&str> = declared.iter().map(|a| a.name.as_str()).collect();
            diagnostics.push(
                Diagnostic::error(
                    "unknown-attribute",
                    format!("`{}` is not an attribute of this catalog", key.name),
                )
                .at(
                    file,
                    Span::from_location(key.location, text),
                    "not declared",
                )
                .help(if known.is_empty() {
                    "declare it under the catalog's `attributes:`".to_string()
                } else {
                    format!("declared attributes: {}", known.join(", "))
                }),
            );
            continue;
        };
        let kind = type_of(&declared[index].default);
        if let Some(parsed) = value_of(sources, file, kind, value, diagnostics) {
            values[index] = parsed;
        }
    }
    values
}

fn type_of(value: &AttributeValue) -> AttributeType {
    match value {
        AttributeValue::Boolean(_) => AttributeType::Boolean,
        AttributeValue::String(_) => AttributeType::String,
        AttributeValue::Integer(_) => AttributeType::Integer,
    }
}

fn value_of(
    sources: &Sources,
    file: FileId,
    kind: AttributeType,
    node: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<AttributeValue> {
    let value = match (kind, &node.value) {
        (AttributeType::Boolean, Value::Bool(flag)) => AttributeValue::Boolean(*flag),
        (AttributeType::String, Value::String(text)) => AttributeValue::String(text.clone()),
        // Integers stay exact in JavaScript too.
        (AttributeType::Integer, Value::Int(number)) if number.unsigned_abs() < (1 << 53) => {
            AttributeValue::Integer(*number)
        }
        _ => {
            let expected = match kind {
                AttributeType::Boolean => "`true` or `false`",
                AttributeType::String => "a string",
                AttributeType::Integer => "an integer within ±(2^53−1)",
            };
            diagnostics.push(
                Diagnostic::error(
                    "attribute-type-mismatch",
                    format!("expected {expected}, found {}", node.kind()),
                )
                .at(
                    file,
                    Span::from_location(node.location, &sources.get(file).text),
                    "wrong type for this attribute",
                ),
            );
            return None;
        }
    };
    Some(value)
}
