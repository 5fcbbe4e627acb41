//! Named function definitions in Python and JavaScript/TypeScript syntax
//! trees, with the byte range of their bodies (what a call's enclosing
//! function is judged by).
//!
//! Python: `def`s (methods too). JavaScript: function declarations,
//! methods, and function expressions or arrows assigned to a name
//! (`const f = (..) => ..`, `obj.f = function (..) {..}`) or a property
//! (`{ f: (..) => .. }`). Signatures without bodies are no definitions.

use std::ops::Range;

use tree_sitter::Node;

use super::tree::{Source, named};

/// A named function: what a call's enclosing function and a wrapper's
/// forwarded parameter are judged by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FunctionDef {
    pub name: String,
    /// Parameter names in order, `self` (and `cls`, `this`) left out; a
    /// destructuring parameter is "".
    pub params: Vec<String>,
}

/// Every named function in the file, in document order, with its body.
pub(crate) fn find(source: &Source<'_>) -> Vec<(FunctionDef, Range<usize>)> {
    source
        .nodes()
        .into_iter()
        .filter_map(|node| definition(source, node))
        .collect()
}

fn definition(source: &Source<'_>, node: Node<'_>) -> Option<(FunctionDef, Range<usize>)> {
    let (name, skip_first) = match node.kind() {
        "function_definition" => (name_of(source, node)?, ["self", "cls"].as_slice()),
        "function_declaration" | "generator_function_declaration" | "method_definition" => {
            (name_of(source, node)?, ["this"].as_slice())
        }
        "function_expression" | "function" | "generator_function" | "arrow_function" => {
            let name = name_of(source, node).or_else(|| assigned_name(source, node))?;
            (name, ["this"].as_slice())
        }
        _ => return None,
    };
    let body = node.child_by_field_name("body")?;
    let params = match (
        node.child_by_field_name("parameters"),
        node.child_by_field_name("parameter"),
    ) {
        (Some(list), _) => params(source, list, skip_first),
        (None, Some(single)) => vec![source.text(single).to_string()],
        (None, None) => return None,
    };
    Some((FunctionDef { name, params }, body.byte_range()))
}

/// The definition's own name (`def name`, `function name`, `name() {}`).
fn name_of(source: &Source<'_>, node: Node<'_>) -> Option<String> {
    let name = node.child_by_field_name("name")?;
    let text = match name.kind() {
        "identifier" | "property_identifier" => source.text(name),
        "private_property_identifier" => source.text(name).trim_start_matches('#'),
        _ => return source.string(name),
    };
    Some(text.to_string())
}

/// The name the function expression `node` is assigned to: `const name =`,
/// `obj.name =`, `name:` (a property), a class field `name =`.
fn assigned_name(source: &Source<'_>, node: Node<'_>) -> Option<String> {
    let parent = node.parent()?;
    let target = match parent.kind() {
        "variable_declarator" | "public_field_definition" | "field_definition" => {
            parent.child_by_field_name("name")?
        }
        "assignment_expression" => parent.child_by_field_name("left")?,
        "pair" => parent.child_by_field_name("key")?,
        _ => return None,
    };
    match target.kind() {
        "identifier" | "property_identifier" => Some(source.text(target).to_string()),
        "member_expression" => {
            let property = target.child_by_field_name("property")?;
            Some(source.text(property).to_string())
        }
        "string" => source.string(target),
        _ => None,
    }
}

/// The parameter names of a parameter list: `self`-like first parameters
/// (`skip_first`) and the bare `*` and `/` markers left out, a
/// destructuring parameter "".
fn params(source: &Source<'_>, list: Node<'_>, skip_first: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = named(list)
        .into_iter()
        .filter_map(|param| param_name(source, param))
        .collect();
    if names
        .first()
        .is_some_and(|first| skip_first.contains(&first.as_str()))
    {
        names.remove(0);
    }
    names
}

/// The name one parameter binds, past `*`, `**`, `...`, types, defaults
/// and TypeScript modifiers; `None` for the `*` and `/` markers.
fn param_name(source: &Source<'_>, param: Node<'_>) -> Option<String> {
    match param.kind() {
        "keyword_separator" | "positional_separator" => None,
        "identifier" | "this" => Some(source.text(param).to_string()),
        "object_pattern" | "array_pattern" | "tuple_pattern" | "list_pattern" => {
            Some(String::new())
        }
        _ => {
            let inner = ["pattern", "name", "left"]
                .iter()
                .find_map(|field| param.child_by_field_name(field))
                .or_else(|| named(param).into_iter().next());
            Some(
                inner
                    .and_then(|inner| param_name(source, inner))
                    .unwrap_or_default(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::tree::Grammar;

    fn defs(text: &str, grammar: Grammar) -> Vec<(String, Vec<String>)> {
        find(&Source::parse(text, grammar))
            .into_iter()
            .map(|(def, _)| (def.name, def.params))
            .collect()
    }

    fn owned(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn python_parameters() {
        let text = "def f(self, a, b: int, c=1, d: str = \"\", *args, e, **kw): pass\n\
                    async def g(cls, /, x, *, y): pass\n";
        assert_eq!(
            defs(text, Grammar::Python),
            [
                ("f".into(), owned(&["a", "b", "c", "d", "args", "e", "kw"])),
                ("g".into(), owned(&["x", "y"])),
            ]
        );
    }

    #[test]
    fn javascript_definitions() {
        let text = "class A { constructor(private readonly hub: Hub) {} #send(t) {} }\n\
                    obj.relay = function (this: A, { a }, ...rest) {};\n\
                    const table = { go: async (kind = \"x\") => kind };\n\
                    declare function typed(a: string): void;\n";
        assert_eq!(
            defs(text, Grammar::TypeScript),
            [
                ("constructor".into(), owned(&["hub"])),
                ("send".into(), owned(&["t"])),
                ("relay".into(), owned(&["", "rest"])),
                ("go".into(), owned(&["kind"])),
            ]
        );
    }
}
