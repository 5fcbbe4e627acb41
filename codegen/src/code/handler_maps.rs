//! Handler maps: object literals whose top-level keys are the events a
//! frontend handles. An object literal is one when it is
//!
//! - assigned to a name containing `handler` (`const handlers = {`,
//!   `this.onHandlers = {`, a class field `handlers = {`),
//! - declared with, or checked against, a type whose name ends in
//!   `Handlers` (`const h: BoardHandlers = {`, `{..} satisfies
//!   BoardHandlers`, `as Partial<BoardHandlers>`),
//! - or the first argument of `define<X>Handlers({..})`.
//!
//! Its keys are identifiers, string literals, methods and shorthand
//! properties; spreads and computed keys are skipped.

use tree_sitter::Node;

use super::tree::{Source, descendants, named};

/// Whether the object literal `object` is a handler map.
pub(crate) fn is_handler_map(source: &Source<'_>, object: Node<'_>) -> bool {
    let Some(parent) = object.parent() else {
        return false;
    };
    let is = |field: &str| parent.child_by_field_name(field) == Some(object);
    match parent.kind() {
        "variable_declarator" | "public_field_definition" | "field_definition" if is("value") => {
            let name = parent.child_by_field_name("name");
            let typed = parent.child_by_field_name("type");
            name.is_some_and(|name| handler_name(source, name))
                || typed.is_some_and(|typed| names_handlers_type(source, typed))
        }
        "assignment_expression" if is("right") => parent
            .child_by_field_name("left")
            .is_some_and(|left| handler_name(source, left)),
        "satisfies_expression" | "as_expression" => {
            let checked = named(parent);
            checked.first() == Some(&object)
                && checked[1..]
                    .iter()
                    .any(|typed| names_handlers_type(source, *typed))
        }
        "arguments" => {
            named(parent).first() == Some(&object)
                && parent
                    .parent()
                    .is_some_and(|call| is_define_handlers(source, call))
        }
        _ => false,
    }
}

/// Whether an assignment target's name says it holds handlers.
fn handler_name(source: &Source<'_>, target: Node<'_>) -> bool {
    let name = match target.kind() {
        "member_expression" => target.child_by_field_name("property"),
        "identifier" | "property_identifier" | "private_property_identifier" => Some(target),
        _ => None,
    };
    name.is_some_and(|name| {
        let name = source.text(name);
        name.to_ascii_lowercase().contains("handler")
    })
}

/// Whether a type mentions a type named `…Handlers`.
fn names_handlers_type(source: &Source<'_>, typed: Node<'_>) -> bool {
    descendants(typed)
        .into_iter()
        .any(|node| node.kind() == "type_identifier" && source.text(node).ends_with("Handlers"))
}

/// Whether `call` is `define<X>Handlers(..)` (or `module.define<X>Handlers(..)`).
fn is_define_handlers(source: &Source<'_>, call: Node<'_>) -> bool {
    let name = call
        .child_by_field_name("function")
        .and_then(|function| match function.kind() {
            "identifier" => Some(function),
            "member_expression" => function.child_by_field_name("property"),
            _ => None,
        });
    call.kind() == "call_expression"
        && name.is_some_and(|name| {
            let name = source.text(name);
            name.starts_with("define") && name.ends_with("Handlers")
        })
}

/// The key nodes of a handler map: property names, string keys, method
/// names and shorthand properties.
pub(crate) fn object_keys<'t>(source: &Source<'_>, object: Node<'t>) -> Vec<Node<'t>> {
    named(object)
        .into_iter()
        .filter_map(|entry| match entry.kind() {
            "pair" => entry.child_by_field_name("key"),
            "method_definition" => entry.child_by_field_name("name"),
            "shorthand_property_identifier" => Some(entry),
            _ => None,
        })
        .filter(|key| match key.kind() {
            "property_identifier" | "shorthand_property_identifier" => true,
            "string" => source.string(*key).is_some(),
            _ => false,
        })
        .collect()
}
