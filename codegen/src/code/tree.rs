//! Parsing Python and JavaScript/TypeScript with tree-sitter: the grammar a
//! file's name asks for, and what the finders need of a node (its text,
//! its place, a literal's value).
//!
//! tree-sitter never fails on bad input: a syntax error becomes an `ERROR`
//! node around the damage and the rest of the file parses as usual, so a
//! half-written file is still read, as far as it goes.

use tree_sitter::{Node, Parser, Tree};

/// The tree-sitter grammar a file is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grammar {
    Python,
    /// TypeScript without JSX: `.ts .mts .cts`, where `<T>x` is a cast.
    TypeScript,
    /// TypeScript with JSX: `.tsx`, and JavaScript (`.js .jsx .mjs .cjs`),
    /// whose syntax it covers, JSX included.
    Tsx,
}

impl Grammar {
    /// The grammar for a file name by its extension, if it is one we read.
    pub fn of(name: &str) -> Option<Grammar> {
        let extension = name.rsplit_once('.')?.1;
        match extension {
            "py" => Some(Grammar::Python),
            "ts" | "mts" | "cts" => Some(Grammar::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(Grammar::Tsx),
            _ => None,
        }
    }

    /// Whether the grammar is Python's (else it is a JavaScript one).
    pub fn is_python(self) -> bool {
        self == Grammar::Python
    }

    fn language(self) -> tree_sitter::Language {
        match self {
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

/// A parsed file: its text and syntax tree.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub grammar: Grammar,
    pub tree: Tree,
}

impl<'a> Source<'a> {
    /// Parses `text`. Bad syntax still gives a tree (see the module docs).
    pub fn parse(text: &'a str, grammar: Grammar) -> Source<'a> {
        let mut parser = Parser::new();
        parser
            .set_language(&grammar.language())
            .expect("the grammar crates match the tree-sitter version");
        let tree = parser
            .parse(text, None)
            .expect("a parser with a language and no timeout always parses");
        Source {
            text,
            grammar,
            tree,
        }
    }

    /// The text of `node`.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// The 1-based line and character column where `node` starts.
    pub fn position(&self, node: Node<'_>) -> (usize, usize) {
        let point = node.start_position();
        let line_start = node.start_byte() - point.column;
        let column = self
            .text
            .get(line_start..node.start_byte())
            .map_or(point.column, |text| text.chars().count());
        (point.row + 1, column + 1)
    }

    /// Every node of the tree, in document order (parents before children).
    pub fn nodes(&self) -> Vec<Node<'_>> {
        descendants(self.tree.root_node())
    }

    /// The value of a string literal whose value the text alone gives: not
    /// an f-string or template with substitutions, nor a bytes literal.
    /// Adjacent Python literals (`"task_" "created"`) are joined.
    pub fn string(&self, node: Node<'_>) -> Option<String> {
        match node.kind() {
            "string" if self.grammar.is_python() => self.python_string(node),
            "string" | "template_string" => self.javascript_string(node),
            "concatenated_string" => named(node).iter().map(|part| self.string(*part)).collect(),
            _ => None,
        }
    }

    fn javascript_string(&self, node: Node<'_>) -> Option<String> {
        if named(node)
            .iter()
            .any(|part| part.kind() == "template_substitution")
        {
            return None;
        }
        let text = self.text(node);
        let content = text.get(1..text.len().checked_sub(1)?)?;
        Some(unescape(content, Style::default()))
    }

    fn python_string(&self, node: Node<'_>) -> Option<String> {
        let parts = named(node);
        let start = parts.iter().find(|part| part.kind() == "string_start")?;
        let end = parts.iter().rfind(|part| part.kind() == "string_end")?;
        if parts.iter().any(|part| part.kind() == "interpolation") {
            return None;
        }
        let prefix = self.text(*start).to_ascii_lowercase();
        if prefix.contains('b') {
            return None;
        }
        let content = self.text.get(start.end_byte()..end.start_byte())?;
        let style = Style {
            raw: prefix.contains('r'),
            format: prefix.contains('f') || prefix.contains('t'),
        };
        Some(unescape(content, style))
    }
}

/// `node` and every node under it, in document order, without recursion
/// (a deeply nested file must not exhaust the stack).
pub(crate) fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut nodes = Vec::new();
    let mut cursor = node.walk();
    loop {
        nodes.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return nodes;
            }
        }
    }
}

/// The named children of `node`, comments left out.
pub(crate) fn named(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|child| child.kind() != "comment")
        .collect()
}

/// How a string is quoted, as far as its value goes.
#[derive(Clone, Copy, Default)]
struct Style {
    raw: bool,
    /// Python f-string (or t-string): `{{` is a brace.
    format: bool,
}

/// A string's value from its text between the quotes.
fn unescape(content: &str, style: Style) -> String {
    let content = if style.format {
        content.replace("{{", "{").replace("}}", "}")
    } else {
        content.to_string()
    };
    if style.raw {
        return content;
    }
    let mut value = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(char) = chars.next() {
        if char != '\\' {
            value.push(char);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('\n') => {}
            Some(escaped @ ('\\' | '\'' | '"' | '`' | '$')) => value.push(escaped),
            Some(other) => {
                value.push('\\');
                value.push(other);
            }
            None => value.push('\\'),
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str, grammar: Grammar) -> Vec<Option<String>> {
        let source = Source::parse(text, grammar);
        source
            .nodes()
            .into_iter()
            .filter(|node| ["string", "template_string"].contains(&node.kind()))
            .filter(|node| {
                node.parent()
                    .is_none_or(|p| p.kind() != "concatenated_string")
            })
            .map(|node| source.string(node))
            .collect()
    }

    #[test]
    fn grammars_by_extension() {
        assert_eq!(Grammar::of("a/b.py"), Some(Grammar::Python));
        for name in ["a.ts", "a.mts", "a.cts"] {
            assert_eq!(Grammar::of(name), Some(Grammar::TypeScript), "{name}");
        }
        for name in ["a.tsx", "a.js", "a.jsx", "a.mjs", "a.cjs"] {
            assert_eq!(Grammar::of(name), Some(Grammar::Tsx), "{name}");
        }
        assert_eq!(Grammar::of("a.rs"), None);
        assert_eq!(Grammar::of("Makefile"), None);
    }

    #[test]
    fn python_strings_comments_and_f_strings() {
        let text = r#"
a = "x # not a comment"  # 'not a string'
b = '''one "two"
three''' + f"{name!r:>{width}}" + f"{{plain}}" + rb"\d" + r'\n' + f'{d["k"]}'
"#;
        assert_eq!(
            strings(text, Grammar::Python),
            [
                Some("x # not a comment".to_string()),
                Some("one \"two\"\nthree".to_string()),
                None,
                Some("{plain}".to_string()),
                None,
                Some("\\n".to_string()),
                None,
                // The key inside the last f-string's interpolation is code.
                Some("k".to_string()),
            ]
        );
    }

    #[test]
    fn javascript_templates_regexes_and_comments() {
        let text = r#"
const a = `x ${ `nested` } y`; // "comment"
const r = /["'`]/g, d = 4 / 2 / 1, s = 'it\'s';
/* "block" */ const t = `plain`;
"#;
        assert_eq!(
            strings(text, Grammar::Tsx),
            [
                None,
                Some("nested".to_string()),
                Some("it's".to_string()),
                Some("plain".to_string())
            ]
        );
    }

    #[test]
    fn positions_count_characters() {
        let source = Source::parse("const é = 'ü'; f(\"x\")", Grammar::TypeScript);
        let found: Vec<_> = source
            .nodes()
            .into_iter()
            .filter(|node| node.kind() == "string")
            .map(|node| source.position(node))
            .collect();
        assert_eq!(found, [(1, 11), (1, 18)]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "\"", "'''", "f'{", "`${", "`${`${", "/", "\\", "é'\n", "f\"{'", "r'\\",
        ] {
            for grammar in [Grammar::Python, Grammar::TypeScript, Grammar::Tsx] {
                let source = Source::parse(text, grammar);
                for node in source.nodes() {
                    let _ = (source.position(node), source.string(node));
                }
            }
        }
        let deep = "`${".repeat(10_000);
        assert!(!Source::parse(&deep, Grammar::Tsx).nodes().is_empty());
    }
}
