//! Finds the frontend's handler maps in TypeScript source: the object
//! literal passed to `define<Channel>Handlers(...)`, declared with the
//! `<Channel>Handlers` type (`const h: BoardHandlers = {`) or checked
//! against it (`{..} satisfies BoardHandlers`), and its top-level keys.
//!
//! The file is parsed with tree-sitter (as `code` reads every language but
//! Rust); `tsc` (run separately) remains the authority on types.

use std::path::Path;

use tree_sitter::Node;

use crate::code::tree::{Grammar, Source, named};

/// A handler map found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerMap {
    /// Byte offset of the object literal's `{`.
    pub start: usize,
    /// The keys, with their byte offsets: `...` stands for a spread and
    /// `[…]` for a computed key, whose events cannot be seen.
    pub keys: Vec<(String, usize)>,
}

/// Every handler map in `text` (the grammar is `path`'s, TypeScript unless
/// it names another) for the handler type `handlers_type` (`BoardHandlers`)
/// and its helper `define_function` (`defineBoardHandlers`).
pub fn handler_maps(
    text: &str,
    path: &Path,
    handlers_type: &str,
    define_function: &str,
) -> Vec<HandlerMap> {
    let grammar = Grammar::of(&path.to_string_lossy())
        .filter(|grammar| !grammar.is_python())
        .unwrap_or(Grammar::TypeScript);
    let source = Source::parse(text, grammar);
    source
        .nodes()
        .into_iter()
        .filter(|node| node.kind() == "object")
        .filter(|object| is_map(&source, *object, handlers_type, define_function))
        .map(|object| HandlerMap {
            start: object.start_byte(),
            keys: keys(&source, object),
        })
        .collect()
}

/// Whether `object` is passed to `define_function` or typed `handlers_type`.
fn is_map(source: &Source<'_>, object: Node<'_>, handlers_type: &str, define: &str) -> bool {
    let Some(parent) = object.parent() else {
        return false;
    };
    let is_type = |typed: Option<Node<'_>>| {
        typed.is_some_and(|typed| {
            let text = source.text(typed);
            text.strip_prefix(':').unwrap_or(text).trim() == handlers_type
        })
    };
    match parent.kind() {
        "arguments" => {
            let call = parent
                .parent()
                .filter(|call| call.kind() == "call_expression");
            let function = call.and_then(|call| call.child_by_field_name("function"));
            let name = function.and_then(|function| match function.kind() {
                "identifier" => Some(function),
                "member_expression" => function.child_by_field_name("property"),
                _ => None,
            });
            named(parent).first() == Some(&object)
                && name.is_some_and(|name| source.text(name) == define)
        }
        "satisfies_expression" => {
            let checked = named(parent);
            checked.first() == Some(&object) && is_type(checked.get(1).copied())
        }
        _ => {
            parent.child_by_field_name("value") == Some(object)
                && is_type(parent.child_by_field_name("type"))
        }
    }
}

/// The top-level keys of the object literal.
fn keys(source: &Source<'_>, object: Node<'_>) -> Vec<(String, usize)> {
    named(object)
        .into_iter()
        .filter_map(|entry| {
            let key = match entry.kind() {
                "pair" => entry.child_by_field_name("key")?,
                "method_definition" => entry.child_by_field_name("name")?,
                "shorthand_property_identifier" => entry,
                "spread_element" => return Some(("...".to_string(), entry.start_byte())),
                _ => return None,
            };
            let name = match key.kind() {
                "computed_property_name" => "[…]".to_string(),
                "string" => source.string(key)?,
                _ => source.text(key).to_string(),
            };
            Some((name, key.start_byte()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<String>> {
        handler_maps(
            text,
            Path::new("a.ts"),
            "BoardHandlers",
            "defineBoardHandlers",
        )
        .into_iter()
        .map(|map| map.keys.into_iter().map(|(key, _)| key).collect())
        .collect()
    }

    #[test]
    fn finds_keys_of_every_handler_map_form() {
        let text = r#"
            // defineBoardHandlers({ not_this: 1 })
            const a = defineBoardHandlers({
              task_created: (payload) => { store.add({ id: payload.task_id }); },
              "task_deleted": IGNORE,
              task_run_started(payload) { log(`started ${payload.task_run_id}`, "}"); },
              /* task_commented: nope, */
            });
            const b: BoardHandlers = { task_updated: handler, ["x"]: y };
            const c = { roster_changed: IGNORE } satisfies BoardHandlers;
            const s = "defineBoardHandlers({ fake: 1 })";
        "#;
        assert_eq!(
            keys(text),
            [
                vec!["task_created", "task_deleted", "task_run_started"],
                vec!["task_updated", "[…]"],
                vec!["roster_changed"],
            ]
        );
    }

    #[test]
    fn spreads_are_reported() {
        assert_eq!(
            keys("defineBoardHandlers({ ...base, task_created: f })"),
            [vec!["...", "task_created"]]
        );
    }
}
