//! Calls and named function definitions: the language-independent shape the
//! emit search works on, and how Python and JavaScript syntax trees become
//! it. (Rust gets there through syn, in `rust.rs`; the function definitions
//! are found in [`defs`](super::defs).)

use std::ops::Range;
use std::path::PathBuf;

use tree_sitter::Node;

use super::defs;
pub(crate) use super::defs::FunctionDef;
use super::tree::{Source, named};

/// What an argument is, as far as the event name goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string literal with a known value.
    Str(String),
    /// A plain variable name (`event_type`, `&event_type` in Rust).
    Ident(String),
    /// Anything else: a computed name.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arg {
    /// The Python keyword (`event_type=`); `None` for a positional argument.
    pub keyword: Option<String>,
    pub value: Value,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    /// The function or method name as called (last path segment).
    pub name: String,
    pub args: Vec<Arg>,
    /// The innermost named function around the call, an index into
    /// [`FileCalls::defs`].
    pub enclosing: Option<usize>,
    /// Inside test code the path does not tell about (`#[cfg(test)]`).
    pub in_test: bool,
}

/// The calls and named functions of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileCalls {
    pub path: PathBuf,
    /// The path looks like test code.
    pub in_test: bool,
    pub calls: Vec<Call>,
    pub defs: Vec<FunctionDef>,
}

/// A file's calls and named functions.
pub(crate) type Extracted = (Vec<Call>, Vec<FunctionDef>);

/// Every call in a Python or JavaScript file, and its named functions.
pub(crate) fn extract(source: &Source<'_>) -> Extracted {
    let defs = defs::find(source);
    let mut found: Vec<(usize, Call)> = source
        .nodes()
        .into_iter()
        .filter_map(|node| call(source, node))
        .collect();
    // In the order of the called names, as they read.
    found.sort_by_key(|(at, _)| *at);
    let offsets: Vec<usize> = found.iter().map(|(at, _)| *at).collect();
    let calls = found
        .into_iter()
        .zip(innermost(&defs, &offsets))
        .map(|((_, call), enclosing)| Call { enclosing, ..call })
        .collect();
    (calls, defs.into_iter().map(|(def, _)| def).collect())
}

/// For each byte offset (ascending), the innermost function whose body
/// holds it: one sweep with a stack of open bodies, not a search per call,
/// so a large file with many functions stays linear.
fn innermost(defs: &[(FunctionDef, Range<usize>)], offsets: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..defs.len()).collect();
    // Outer bodies first when two start together, so the inner one is on top.
    order.sort_by_key(|&def| (defs[def].1.start, std::cmp::Reverse(defs[def].1.end)));
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut result = Vec::with_capacity(offsets.len());
    for &offset in offsets {
        while let Some(&def) = order.get(next)
            && defs[def].1.start <= offset
        {
            open.push(def);
            next += 1;
        }
        while open.last().is_some_and(|&def| defs[def].1.end <= offset) {
            open.pop();
        }
        result.push(open.last().copied());
    }
    result
}

/// The call `node` is, with the byte offset of the called name: `f(..)`,
/// `a.b.f(..)`, `new F(..)`, in Python `f(..)` and `a.f(..)`.
fn call<'t>(source: &Source<'_>, node: Node<'t>) -> Option<(usize, Call)> {
    let callee = match node.kind() {
        "call" | "call_expression" => node.child_by_field_name("function")?,
        "new_expression" => node.child_by_field_name("constructor")?,
        _ => return None,
    };
    let name = match callee.kind() {
        "identifier" => callee,
        "attribute" => callee.child_by_field_name("attribute")?,
        "member_expression" => callee.child_by_field_name("property")?,
        _ => return None,
    };
    let arguments = node.child_by_field_name("arguments")?;
    let args = match arguments.kind() {
        "arguments" | "argument_list" => named(arguments)
            .into_iter()
            .map(|argument| self::argument(source, argument))
            .collect(),
        // `f(x for x in xs)`, `` tag`text` ``: one computed argument.
        _ => vec![other(source, arguments)],
    };
    let call = Call {
        name: source.text(name).to_string(),
        args,
        enclosing: None,
        in_test: false,
    };
    Some((name.start_byte(), call))
}

fn other(source: &Source<'_>, node: Node<'_>) -> Arg {
    let (line, column) = source.position(node);
    Arg {
        keyword: None,
        value: Value::Other,
        line,
        column,
    }
}

fn argument(source: &Source<'_>, node: Node<'_>) -> Arg {
    let (keyword, value) = if node.kind() == "keyword_argument" {
        let name = node.child_by_field_name("name");
        let value = node.child_by_field_name("value");
        match (name, value) {
            (Some(name), Some(value)) => (Some(source.text(name).to_string()), value),
            _ => return other(source, node),
        }
    } else {
        (None, node)
    };
    // A message literal (`{"type": "agent_created", ...}`, seed 002's
    // `manager.broadcast(...)`) names its event in its type key.
    let named_by = type_key(source, value).unwrap_or(value);
    let (line, column) = source.position(named_by);
    Arg {
        keyword,
        value: self::value(source, named_by),
        line,
        column,
    }
}

/// In a dict or object literal, the string a top-level `type` (or
/// `event_type`, `event`) key maps to.
fn type_key<'t>(source: &Source<'_>, node: Node<'t>) -> Option<Node<'t>> {
    const KEYS: &[&str] = &["type", "event_type", "event"];
    if !matches!(node.kind(), "dictionary" | "object") {
        return None;
    }
    named(node).into_iter().find_map(|pair| {
        let key = pair.child_by_field_name("key")?;
        let value = pair.child_by_field_name("value")?;
        let key = source
            .string(key)
            .unwrap_or_else(|| source.text(key).to_string());
        let literal = matches!(value.kind(), "string" | "template_string");
        (pair.kind() == "pair" && KEYS.contains(&key.as_str()) && literal)
            .then_some(value)
            .filter(|value| source.string(*value).is_some())
    })
}

/// What an argument's expression is.
fn value(source: &Source<'_>, mut node: Node<'_>) -> Value {
    // `"task_created" as const` is still the literal.
    while node.kind() == "as_expression"
        && let Some(inner) = node.named_child(0)
    {
        let last = node.child_count().checked_sub(1);
        let kind = last
            .and_then(|last| node.child(last as u32))
            .map(|last| last.kind());
        if kind != Some("const") {
            break;
        }
        node = inner;
    }
    if let Some(string) = source.string(node) {
        return Value::Str(string);
    }
    let text = source.text(node);
    // JavaScript's `undefined` is an identifier, but no name.
    let undefined = text == "undefined" && !source.grammar.is_python();
    if node.kind() == "identifier" && !undefined {
        return Value::Ident(text.to_string());
    }
    Value::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::code::tree::Grammar;

    fn calls(text: &str, grammar: Grammar) -> (Vec<Call>, Vec<FunctionDef>) {
        extract(&Source::parse(text, grammar))
    }

    /// Seed 002: `await manager.broadcast({"type": "agent_created", ...})`
    /// names the event in the message's type key (JavaScript too).
    #[test]
    fn a_message_literal_is_named_by_its_type_key() {
        let (calls, _) = calls(
            "await manager.broadcast({\"type\": \"agent_created\", \"agent\": {\"type\": \"x\"}})\nmanager.broadcast({\"payload\": 1})\n",
            Grammar::Python,
        );
        assert_eq!(calls[0].args[0].value, Value::Str("agent_created".into()));
        assert_eq!((calls[0].args[0].line, calls[0].args[0].column), (1, 34));
        assert_eq!(calls[1].args[0].value, Value::Other);
        let (javascript, _) = self::calls(
            "bus.publish({ type: \"task_moved\", id })",
            Grammar::TypeScript,
        );
        assert_eq!(javascript[0].args[0].value, Value::Str("task_moved".into()));
    }

    /// Plain templates and strings are literals; substitutions and
    /// f-strings are computed names. Columns count characters.
    #[test]
    fn literals_computed_names_and_columns() {
        let (javascript, _) = calls(
            "/* é */ emit(`plain`, `a_${x}`, \"b\" as const, undefined, name, f(x));",
            Grammar::Tsx,
        );
        let values: Vec<_> = javascript[0]
            .args
            .iter()
            .map(|arg| arg.value.clone())
            .collect();
        assert_eq!(
            values,
            [
                Value::Str("plain".into()),
                Value::Other,
                Value::Str("b".into()),
                Value::Other,
                Value::Ident("name".into()),
                Value::Other,
            ]
        );
        assert_eq!(
            (javascript[0].args[1].line, javascript[0].args[1].column),
            (1, 23)
        );
        let (python, _) = calls("emit(f\"{kind}_created\", f\"plain\")\n", Grammar::Python);
        let values: Vec<_> = python[0].args.iter().map(|arg| arg.value.clone()).collect();
        assert_eq!(values, [Value::Other, Value::Str("plain".into())]);
    }

    #[test]
    fn python_calls_keywords_and_def_bodies() {
        let (calls, defs) = calls(
            "class Hub:\n    def send(self, event_type, *, payload):\n        publish(event_type=event_type)\n\nsend(1, \"a\" 'b', x.y)\n",
            Grammar::Python,
        );
        assert_eq!(
            defs,
            [FunctionDef {
                name: "send".into(),
                params: vec!["event_type".into(), "payload".into()]
            }]
        );
        assert_eq!(calls.len(), 2);
        assert_eq!(
            (calls[0].name.as_str(), calls[0].enclosing),
            ("publish", Some(0))
        );
        assert_eq!(calls[0].args[0].keyword.as_deref(), Some("event_type"));
        assert_eq!(calls[1].enclosing, None);
        let values: Vec<_> = calls[1].args.iter().map(|arg| arg.value.clone()).collect();
        assert_eq!(
            values,
            [Value::Other, Value::Str("ab".into()), Value::Other]
        );
        assert_eq!((calls[1].args[1].line, calls[1].args[1].column), (5, 9));
    }

    #[test]
    fn javascript_functions_methods_and_signatures() {
        let (calls, defs) = calls(
            r#"
interface Hub { emit(type: string): void; }
class Server { send(type, payload) { this.io.emit(type, payload); } }
const relay = async (kind: string): Promise<void> => { hub.publish(kind); };
export function notifyAll(name) { ok ? notify(name) : skip(); }
const one = type => io.emit(type);
"#,
            Grammar::TypeScript,
        );
        let names: Vec<_> = defs
            .iter()
            .map(|def| (def.name.as_str(), def.params.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("send", vec!["type".to_string(), "payload".to_string()]),
                ("relay", vec!["kind".to_string()]),
                ("notifyAll", vec!["name".to_string()]),
                ("one", vec!["type".to_string()]),
            ]
        );
        let found: Vec<_> = calls
            .iter()
            .map(|call| (call.name.as_str(), call.enclosing))
            .collect();
        assert_eq!(
            found,
            [
                ("emit", Some(0)),
                ("publish", Some(1)),
                ("notify", Some(2)),
                ("skip", Some(2)),
                ("emit", Some(3)),
            ]
        );
    }
}
