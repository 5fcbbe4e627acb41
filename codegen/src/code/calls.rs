//! Calls and named function definitions: the language-independent shape the
//! emit search works on, and how Python and JavaScript tokens become it.
//! (Rust gets there through syn, in `rust.rs`.)

use std::ops::Range;
use std::path::PathBuf;

use super::lex::{Dialect, Source};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FunctionDef {
    pub name: String,
    /// Parameter names in order, `self` (and `cls`, `this`) left out; a
    /// destructuring parameter is "".
    pub params: Vec<String>,
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

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

const JAVASCRIPT_KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "null",
    "undefined",
    "true",
    "false",
];

pub(crate) fn is_keyword(word: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Python => PYTHON_KEYWORDS.contains(&word),
        Dialect::JavaScript => JAVASCRIPT_KEYWORDS.contains(&word),
    }
}

/// A file's calls and named functions.
pub(crate) type Extracted = (Vec<Call>, Vec<FunctionDef>);

/// Every call in a Python or JavaScript file, and its named functions.
pub(crate) fn extract(source: &Source<'_>) -> Extracted {
    let defs = match source.dialect {
        Dialect::Python => python_defs(source),
        Dialect::JavaScript => javascript_defs(source),
    };
    let found: Vec<(usize, Call)> = (0..source.len())
        .filter_map(|index| call_at(source, index).map(|call| (index, call)))
        .collect();
    let indices: Vec<usize> = found.iter().map(|(index, _)| *index).collect();
    let calls = found
        .into_iter()
        .zip(innermost(&defs, &indices))
        .map(|((_, call), enclosing)| Call { enclosing, ..call })
        .collect();
    (calls, defs.into_iter().map(|(def, _)| def).collect())
}

/// For each token index (ascending), the innermost function whose body
/// holds it: one sweep with a stack of open bodies, not a search per call,
/// so a large file with many functions stays linear.
fn innermost(defs: &[(FunctionDef, Range<usize>)], indices: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..defs.len()).collect();
    // Outer bodies first when two start together, so the inner one is on top.
    order.sort_by_key(|&def| (defs[def].1.start, std::cmp::Reverse(defs[def].1.end)));
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut result = Vec::with_capacity(indices.len());
    for &index in indices {
        while let Some(&def) = order.get(next)
            && defs[def].1.start <= index
        {
            open.push(def);
            next += 1;
        }
        while open.last().is_some_and(|&def| defs[def].1.end <= index) {
            open.pop();
        }
        result.push(open.last().copied());
    }
    result
}

/// The call whose callee name is token `index`, if there is one.
fn call_at(source: &Source<'_>, index: usize) -> Option<Call> {
    let name = source.ident(index)?;
    if is_keyword(name, source.dialect) || !source.is(index + 1, "(") {
        return None;
    }
    let close = source.partner(index + 1)?;
    let definition = match source.dialect {
        Dialect::Python => source.is_before(index, "def") || source.is_before(index, "class"),
        Dialect::JavaScript => {
            source.is_before(index, "function") || javascript_declaration(source, index, close)
        }
    };
    if definition {
        return None;
    }
    let args = split(source, index + 2, close)
        .into_iter()
        .map(|range| argument(source, range))
        .collect();
    Some(Call {
        name: name.to_string(),
        args,
        enclosing: None,
        in_test: false,
    })
}

/// Whether `name(..)` at `index` declares rather than calls: a method with a
/// body (`emit(type) {`) or a TypeScript signature (`emit(type: string): void;`).
/// A call followed by `:` only appears in a conditional (`ok ? f(x) : ..`).
fn javascript_declaration(source: &Source<'_>, index: usize, close: usize) -> bool {
    if source.is(close + 1, ":") {
        return !source.is_before(chain_start(source, index), "?");
    }
    javascript_body(source, close).is_some()
}

/// The first token of the member chain `a.b?.name` ending at `index`.
fn chain_start(source: &Source<'_>, mut index: usize) -> usize {
    while index >= 2
        && (source.is(index - 1, ".") || source.is(index - 1, "?."))
        && source.ident(index - 2).is_some()
    {
        index -= 2;
    }
    index
}

/// The token ranges of the comma-separated items in `from..to`.
pub(crate) fn split(source: &Source<'_>, from: usize, to: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = from;
    let mut index = from;
    while index < to {
        if source.is(index, ",") {
            ranges.push(start..index);
            start = index + 1;
            index += 1;
        } else {
            index = source.skip_group(index);
        }
    }
    if start < to {
        ranges.push(start..to);
    }
    ranges
}

fn argument(source: &Source<'_>, range: Range<usize>) -> Arg {
    let keyword = (source.dialect == Dialect::Python && source.is(range.start + 1, "="))
        .then(|| source.ident(range.start))
        .flatten()
        .filter(|_| range.len() >= 2);
    let value_range = if keyword.is_some() {
        range.start + 2..range.end
    } else {
        range.clone()
    };
    // A message literal (`{"type": "agent_created", ...}`, seed 002's
    // `manager.broadcast(...)`) names its event in its type key.
    if let Some(literal) = type_key(source, &value_range) {
        let (line, column) = source.position(literal);
        return Arg {
            keyword: keyword.map(str::to_string),
            value: value(source, literal..literal + 1),
            line,
            column,
        };
    }
    let (line, column) = source.position(value_range.start.min(range.end));
    Arg {
        keyword: keyword.map(str::to_string),
        value: value(source, value_range),
        line,
        column,
    }
}

/// In a dict or object literal spanning `range`, the string token a
/// top-level `type` (or `event_type`, `event`) key maps to.
fn type_key(source: &Source<'_>, range: &Range<usize>) -> Option<usize> {
    const KEYS: &[&str] = &["type", "event_type", "event"];
    let open = range.start;
    if !source.is(open, "{") || source.partner(open) != Some(range.end.checked_sub(1)?) {
        return None;
    }
    let close = range.end - 1;
    let mut at = open + 1;
    while at < close {
        let key = source.string(at).or_else(|| source.ident(at));
        let is_type_key = key.is_some_and(|key| KEYS.contains(&key)) && source.is(at + 1, ":");
        if is_type_key
            && source.string(at + 2).is_some()
            && (source.is(at + 3, ",") || at + 3 == close)
        {
            return Some(at + 2);
        }
        at = source.skip_group(at);
    }
    None
}

/// What the tokens of one argument are.
fn value(source: &Source<'_>, mut range: Range<usize>) -> Value {
    // `"task_created" as const` is still the literal.
    if range.len() >= 3 && source.is(range.end - 2, "as") && source.is(range.end - 1, "const") {
        range.end -= 2;
    }
    if range.is_empty() {
        return Value::Other;
    }
    // Python joins adjacent literals (`"task_" "created"`).
    let strings: Option<String> = range.clone().map(|index| source.string(index)).collect();
    if let Some(joined) = strings {
        return Value::Str(joined);
    }
    match source.ident(range.start) {
        Some(name) if range.len() == 1 && !is_keyword(name, source.dialect) => {
            Value::Ident(name.to_string())
        }
        _ => Value::Other,
    }
}

/// Python `def`s with their bodies: the tokens after the `:` up to the next
/// line indented no deeper than the `def`.
fn python_defs(source: &Source<'_>) -> Vec<(FunctionDef, Range<usize>)> {
    let starts = logical_line_starts(source);
    let mut defs = Vec::new();
    for index in 0..source.len() {
        if !source.is(index, "def") || !source.is(index + 2, "(") {
            continue;
        }
        let (Some(name), Some(close)) = (source.ident(index + 1), source.partner(index + 2)) else {
            continue;
        };
        let Some(colon) = python_colon(source, close, &starts) else {
            continue;
        };
        let indent = source.indent(index);
        let end = (colon + 1..source.len())
            .find(|&next| starts[next] && source.indent(next) <= indent)
            .unwrap_or(source.len());
        let params = params(source, index + 3, close, &["self", "cls"]);
        defs.push((
            FunctionDef {
                name: name.to_string(),
                params,
            },
            colon + 1..end,
        ));
    }
    defs
}

/// The `:` that ends a `def` header whose parameters close at `close`
/// (after an optional `-> annotation`).
fn python_colon(source: &Source<'_>, close: usize, starts: &[bool]) -> Option<usize> {
    let mut index = close + 1;
    while index < source.len() && !starts[index] {
        if source.is(index, ":") {
            return Some(index);
        }
        index = source.skip_group(index);
    }
    None
}

/// For each token, whether it begins a logical Python line: the first token
/// on its line, outside brackets, not after a `\` continuation.
fn logical_line_starts(source: &Source<'_>) -> Vec<bool> {
    let mut starts = Vec::with_capacity(source.len());
    let mut depth = 0usize;
    for index in 0..source.len() {
        let gap = source.gap_before(index);
        let continued = gap
            .split('\n')
            .next()
            .is_some_and(|line| line.trim_end().ends_with('\\'));
        let new_line = index == 0 || gap.contains('\n') && !continued;
        starts.push(depth == 0 && new_line);
        if source.is_opener(index) {
            depth += 1;
        } else if source.is_closer(index) {
            depth = depth.saturating_sub(1);
        }
    }
    starts
}

/// The parameter names in `from..to`: the first identifier of each item,
/// past `*`, `**`, `...` and TypeScript modifiers; bare `*` and `/` markers
/// are no parameters. A leading `self`-like parameter (`skip_first`) is dropped.
fn params(source: &Source<'_>, from: usize, to: usize, skip_first: &[&str]) -> Vec<String> {
    const MODIFIERS: &[&str] = &[
        "*",
        "**",
        "/",
        "...",
        "public",
        "private",
        "protected",
        "readonly",
        "override",
    ];
    let mut names = Vec::new();
    for range in split(source, from, to) {
        let mut index = range.start;
        while index < range.end && MODIFIERS.iter().any(|modifier| source.is(index, modifier)) {
            index += 1;
        }
        if index == range.end {
            continue;
        }
        names.push(source.ident(index).unwrap_or_default().to_string());
    }
    if names
        .first()
        .is_some_and(|first| skip_first.contains(&first.as_str()))
    {
        names.remove(0);
    }
    names
}

/// Named JavaScript functions with their bodies: declarations, methods,
/// and function expressions or arrows assigned to a name or property.
fn javascript_defs(source: &Source<'_>) -> Vec<(FunctionDef, Range<usize>)> {
    let mut defs = Vec::new();
    for index in 0..source.len() {
        if source.is(index, "(") {
            defs.extend(javascript_function(source, index));
        } else if source.ident(index).is_some() && source.is(index + 1, "=>") {
            // A single bare parameter: `send = type => io.emit(type)`.
            let start = if source.is_before(index, "async") {
                index - 1
            } else {
                index
            };
            if let Some(name) = assigned_name(source, start) {
                let params = vec![source.text(index).to_string()];
                defs.push((FunctionDef { name, params }, arrow_body(source, index + 1)));
            }
        }
    }
    defs
}

/// The named function whose parameter list opens at `open`, if it is one.
fn javascript_function(source: &Source<'_>, open: usize) -> Option<(FunctionDef, Range<usize>)> {
    let close = source.partner(open)?;
    let (body, arrow) = javascript_body_with_kind(source, close)?;
    let name = javascript_function_name(source, open, arrow)?;
    let params = params(source, open + 1, close, &["this"]);
    Some((FunctionDef { name, params }, body))
}

fn javascript_body(source: &Source<'_>, close: usize) -> Option<Range<usize>> {
    javascript_body_with_kind(source, close).map(|(body, _)| body)
}

/// The body after a parameter list closing at `close` (past an optional
/// TypeScript return type), and whether it is an arrow function's.
fn javascript_body_with_kind(source: &Source<'_>, close: usize) -> Option<(Range<usize>, bool)> {
    let mut index = close + 1;
    if source.is(index, ":") {
        index = past_return_type(source, index + 1)?;
    }
    if source.is(index, "=>") {
        return Some((arrow_body(source, index), true));
    }
    if source.is(index, "{") {
        let end = source.partner(index)?;
        return Some((index + 1..end, false));
    }
    None
}

/// The `=>` or `{` after a return type starting at `from`.
fn past_return_type(source: &Source<'_>, from: usize) -> Option<usize> {
    let mut index = from;
    for _ in 0..64 {
        if source.is(index, "=>") || source.is(index, "{") && index > from {
            return Some(index);
        }
        let stop = [";", ",", "=", ")", "]", "}"]
            .iter()
            .any(|stop| source.is(index, stop));
        if stop || index >= source.len() {
            return None;
        }
        index = source.skip_group(index);
    }
    None
}

/// The body of the arrow function whose `=>` is at `arrow`: its block, or
/// its expression up to the next `;`, `,` or closing bracket.
fn arrow_body(source: &Source<'_>, arrow: usize) -> Range<usize> {
    if source.is(arrow + 1, "{")
        && let Some(close) = source.partner(arrow + 1)
    {
        return arrow + 2..close;
    }
    let mut index = arrow + 1;
    while index < source.len()
        && !source.is(index, ";")
        && !source.is(index, ",")
        && !source.is_closer(index)
    {
        index = source.skip_group(index);
    }
    arrow + 1..index
}

/// The name of the function whose parameters open at `open`: `function
/// name(`, a method `name(..) {`, or the name a function expression or
/// arrow is assigned to.
fn javascript_function_name(source: &Source<'_>, open: usize, arrow: bool) -> Option<String> {
    let before = open.checked_sub(1)?;
    if let Some(name) = source
        .ident(before)
        .filter(|name| !is_keyword(name, Dialect::JavaScript))
    {
        // `f(x) => ..` is no JavaScript, so an identifier before an arrow's
        // parameters is something else (`async` aside, a keyword).
        let declared = source.is_before(before, "function");
        return (declared || !arrow).then(|| name.to_string());
    }
    let mut start = if source.is(before, "function") {
        before
    } else {
        open
    };
    if source.is_before(start, "async") {
        start -= 1;
    }
    assigned_name(source, start)
}

/// The name the expression starting at `start` is assigned to: `const name
/// = `, `obj.name = `, `name: ` (an object property).
pub(crate) fn assigned_name(source: &Source<'_>, start: usize) -> Option<String> {
    let before = start.checked_sub(1)?;
    if source.is(before, ":") {
        let key = before.checked_sub(1)?;
        return source
            .ident(key)
            .or_else(|| source.string(key))
            .map(str::to_string);
    }
    if !source.is(before, "=") {
        return None;
    }
    declared_name(source, before).or_else(|| {
        before
            .checked_sub(1)
            .and_then(|target| source.ident(target))
            .map(str::to_string)
    })
}

/// For the `=` at `equals`, the name in `const|let|var name: Type =`, if
/// the statement has that shape.
pub(crate) fn declared_name(source: &Source<'_>, equals: usize) -> Option<String> {
    let mut index = equals.checked_sub(1)?;
    for _ in 0..64 {
        if ["const", "let", "var"]
            .iter()
            .any(|keyword| source.is(index, keyword))
        {
            let typed = source.is(index + 2, ":") || index + 2 == equals;
            return source
                .ident(index + 1)
                .filter(|_| typed)
                .map(str::to_string);
        }
        // Groups before the `=` are jumped over from their closer, so an
        // opener reached here encloses the statement.
        if source.is(index, ";") || source.is_opener(index) {
            return None;
        }
        index = match source.partner(index) {
            Some(open) if open < index => open,
            _ => index,
        }
        .checked_sub(1)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str, dialect: Dialect) -> (Vec<Call>, Vec<FunctionDef>) {
        extract(&Source::new(text, dialect))
    }

    /// Seed 002: `await manager.broadcast({"type": "agent_created", ...})`
    /// names the event in the message's type key (JavaScript too).
    #[test]
    fn a_message_literal_is_named_by_its_type_key() {
        let (calls, _) = calls(
            "await manager.broadcast({\"type\": \"agent_created\", \"agent\": {\"type\": \"x\"}})\nmanager.broadcast({\"payload\": 1})\n",
            Dialect::Python,
        );
        assert_eq!(calls[0].args[0].value, Value::Str("agent_created".into()));
        assert_eq!((calls[0].args[0].line, calls[0].args[0].column), (1, 34));
        assert_eq!(calls[1].args[0].value, Value::Other);
        let (javascript, _) = self::calls(
            "bus.publish({ type: \"task_moved\", id })",
            Dialect::JavaScript,
        );
        assert_eq!(javascript[0].args[0].value, Value::Str("task_moved".into()));
    }

    #[test]
    fn python_calls_keywords_and_def_bodies() {
        let (calls, defs) = calls(
            "class Hub:\n    def send(self, event_type, *, payload):\n        publish(event_type=event_type)\n\nsend(1, \"a\" 'b', x.y)\n",
            Dialect::Python,
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
            Dialect::JavaScript,
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
