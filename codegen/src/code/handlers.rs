//! The event names a JavaScript/TypeScript frontend handles:
//!
//! - `case "…":` labels directly inside `switch (<expr>.type)` (also
//!   `.event_type`, `.event`, `.kind`, `["type"]`) or `switch (type)` (also
//!   `eventType`, `event_type`). `switch (action.type)` is a Redux reducer,
//!   not an event handler, and is left out.
//! - comparisons of the same with an event-like name, as in `if (msg.type
//!   === "agent_created")` chains (`==`, either side); a name that does not
//!   look like an event's (`input.type === "checkbox"`) is left out.
//! - the top-level keys of handler maps: an object literal assigned to a
//!   name containing `handler` (`const handlers = {`, `this.onHandlers = {`),
//!   declared with or checked against a type whose name ends in `Handlers`
//!   (`const h: BoardHandlers = {`, `{..} satisfies BoardHandlers`), or
//!   passed to `define<X>Handlers({..})`. Spreads and computed keys are skipped.

use std::collections::BTreeMap;
use std::path::Path;

use tree_sitter::Node;

use super::handler_maps::{is_handler_map, object_keys};
use super::tree::{Source, named};
use super::{Language, Site, SiteKind};

/// Every handled event name in one file, in document order.
pub(crate) fn find(source: &Source<'_>, path: &Path, in_test: bool) -> Vec<Site> {
    let mut found: BTreeMap<usize, (Node<'_>, SiteKind)> = BTreeMap::new();
    for node in source.nodes() {
        let sites: Vec<(Node<'_>, SiteKind)> = match node.kind() {
            "switch_statement" => switch_cases(source, node)
                .into_iter()
                .map(|label| (label, SiteKind::SwitchCase))
                .collect(),
            "binary_expression" => comparison(source, node)
                .map(|name| (name, SiteKind::TypeComparison))
                .into_iter()
                .collect(),
            "object" if is_handler_map(source, node) => object_keys(source, node)
                .into_iter()
                .map(|key| (key, SiteKind::HandlerKey))
                .collect(),
            _ => Vec::new(),
        };
        for (site, kind) in sites {
            found.entry(site.start_byte()).or_insert((site, kind));
        }
    }
    found
        .into_values()
        .filter_map(|(node, kind)| {
            let name = source.string(node).or_else(|| {
                let key = matches!(
                    node.kind(),
                    "property_identifier" | "shorthand_property_identifier"
                );
                key.then(|| source.text(node).to_string())
            })?;
            let (line, column) = source.position(node);
            Some(Site {
                name,
                path: path.to_path_buf(),
                line,
                column,
                language: Language::JavaScript,
                kind,
                in_test,
            })
        })
        .collect()
}

/// The labels of `case "…":` directly in a `switch` on an event's type.
fn switch_cases<'t>(source: &Source<'_>, switch: Node<'t>) -> Vec<Node<'t>> {
    let discriminant = switch
        .child_by_field_name("value")
        .and_then(|value| unparenthesized(value));
    let Some(body) = switch.child_by_field_name("body") else {
        return Vec::new();
    };
    if !discriminant.is_some_and(|value| is_event_discriminant(source, value)) {
        return Vec::new();
    }
    named(body)
        .into_iter()
        .filter(|case| case.kind() == "switch_case")
        .filter_map(|case| case.child_by_field_name("value"))
        .filter(|label| source.string(*label).is_some())
        .collect()
}

/// The expression inside `( … )`.
fn unparenthesized(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind() != "parenthesized_expression" {
        return Some(node);
    }
    let inner = named(node);
    (inner.len() == 1).then(|| inner[0])
}

/// The event-like name an `===` (or `==`) compares with an event's type,
/// on either side.
fn comparison<'t>(source: &Source<'_>, binary: Node<'t>) -> Option<Node<'t>> {
    let operator = binary.child_by_field_name("operator")?;
    if !matches!(operator.kind(), "===" | "==") {
        return None;
    }
    let left = binary.child_by_field_name("left")?;
    let right = binary.child_by_field_name("right")?;
    [(left, right), (right, left)]
        .into_iter()
        .find(|(name, other)| {
            // Event names have words joined (`agent_created`); a single
            // word is more likely a DOM or form value.
            source.string(*name).is_some_and(|name| {
                crate::init::scan::looks_like_event_name(&name)
                    && name.contains(['_', '.', ':', '-'])
            }) && is_event_discriminant(source, *other)
        })
        .map(|(name, _)| name)
}

/// Whether `node` is an event's type: `x.type`, `x?.kind`, `x["type"]`
/// (not `action.type`, a Redux action's), or a variable named `type`,
/// `eventType` or `event_type`.
fn is_event_discriminant(source: &Source<'_>, node: Node<'_>) -> bool {
    const FIELDS: &[&str] = &["type", "event_type", "event", "kind"];
    const VARIABLES: &[&str] = &["type", "eventType", "event_type"];
    let (object, field) = match node.kind() {
        "identifier" => return VARIABLES.contains(&source.text(node)),
        "member_expression" => (
            node.child_by_field_name("object"),
            node.child_by_field_name("property")
                .filter(|property| property.kind() == "property_identifier")
                .map(|property| source.text(property).to_string()),
        ),
        "subscript_expression" => (
            node.child_by_field_name("object"),
            node.child_by_field_name("index")
                .and_then(|index| source.string(index)),
        ),
        _ => return false,
    };
    let Some(object) = object.filter(|object| is_chain(source, *object)) else {
        return false;
    };
    let redux = last_segment(source, object) == Some("action");
    field.is_some_and(|field| FIELDS.contains(&field.as_str())) && !redux
}

/// Whether `node` is a plain member chain: `msg`, `this.msg`, `a.b?.c`,
/// `a["b"]`. (A loop, not recursion: a chain may be hostile and long.)
fn is_chain(source: &Source<'_>, mut node: Node<'_>) -> bool {
    loop {
        let segment = match node.kind() {
            "identifier" | "this" => return true,
            "member_expression" => node
                .child_by_field_name("property")
                .is_some_and(|property| property.kind() == "property_identifier"),
            "subscript_expression" => node
                .child_by_field_name("index")
                .is_some_and(|index| source.string(index).is_some()),
            _ => false,
        };
        match node.child_by_field_name("object") {
            Some(object) if segment => node = object,
            _ => return false,
        }
    }
}

/// The name a member chain ends in (`action` in `store.action`).
fn last_segment<'a>(source: &Source<'a>, node: Node<'_>) -> Option<&'a str> {
    match node.kind() {
        "identifier" => Some(source.text(node)),
        "member_expression" => node
            .child_by_field_name("property")
            .map(|property| source.text(property)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::tree::Grammar;

    fn names(text: &str) -> Vec<(String, SiteKind)> {
        let source = Source::parse(text, Grammar::TypeScript);
        find(&source, Path::new("a.ts"), false)
            .into_iter()
            .map(|site| (site.name, site.kind))
            .collect()
    }

    fn keys(text: &str) -> Vec<String> {
        names(text).into_iter().map(|(name, _)| name).collect()
    }

    #[test]
    fn every_handler_map_form() {
        let text = r#"
            type BoardHandlers = { not_a_map: () => void };
            const a = defineBoardHandlers({ task_created: f, "task_deleted": IGNORE, ...rest, [computed]: g });
            const b: Partial<BoardHandlers> = { task_updated(payload) { run({ nested_key: 1 }); } };
            const c = { roster_changed: IGNORE } satisfies BoardHandlers;
            this.messageHandlers = { async phase_created() {}, shorthand };
            const other = { not_handlers: 1 };
            const d: Record<string, (p: P) => void> = { not_typed: f };
        "#;
        assert_eq!(
            keys(text),
            [
                "task_created",
                "task_deleted",
                "task_updated",
                "roster_changed",
                "phase_created",
                "shorthand"
            ]
        );
    }

    /// Seed 002's client: `if (msg.type === "…")` chains, either side.
    #[test]
    fn comparison_forms() {
        let text = r#"
            if (msg.type === "agent_created") {} else if ("agent_deleted" == msg["type"]) {}
            if (message?.data.event_type === "task_moved") {}
            if (input.type === "checkbox") {}
            if (action.type === "redux_thing") {}
            if (msg.payload === "not_a_type") {}
            if (msg.type !== "task_hidden") {}
        "#;
        assert_eq!(keys(text), ["agent_created", "agent_deleted", "task_moved"]);
    }

    /// A long member chain is walked in a loop, not by recursion.
    #[test]
    fn a_hostile_chain_does_not_exhaust_the_stack() {
        let text = format!("if (m{}.type === \"a_done\") {{}}", ".a".repeat(50_000));
        assert_eq!(keys(&text), ["a_done"]);
    }

    #[test]
    fn switch_forms() {
        let text = r#"
            switch (message?.event_type) { case "a_done": { switch (inner) { case "x": } } case 'b_done': break; }
            switch (type) { case `c_done`: default: }
            switch (action.type) { case "redux_thing": }
            switch (data["kind"]) { case "d_done": }
            switch (message.payload) { case "not_a_type": }
            const t = `switch (message.type) { case "fake": }`;
        "#;
        assert_eq!(keys(text), ["a_done", "b_done", "c_done", "d_done"]);
        assert!(
            names(text)
                .iter()
                .all(|(_, kind)| *kind == SiteKind::SwitchCase)
        );
    }
}
