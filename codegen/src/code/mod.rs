//! Reading other languages' source: Python and JavaScript/TypeScript parsed
//! with tree-sitter ([`tree`]), the calls ([`calls`]) and function
//! definitions ([`defs`]) in a file, and the event names a frontend handles
//! ([`handlers`], [`handler_maps`]). `init --from-code` and `check`'s drift
//! both read code through here; Rust is read with syn.

pub mod calls;
pub mod defs;
pub mod handler_maps;
pub mod handlers;
pub mod tree;

use std::path::{Path, PathBuf};

/// The language of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// `.rs`.
    Rust,
    /// `.py`.
    Python,
    /// JavaScript and TypeScript: `.js .jsx .mjs .cjs .ts .tsx .mts .cts`
    /// (declaration files `.d.ts` and minified `.min.js` excluded).
    JavaScript,
}

impl Language {
    /// The language's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
        }
    }
}

/// What a site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKind {
    /// A literal passed to an emit function.
    Emit {
        /// The emit function called.
        function: String,
        /// The literal's 0-based argument position, `self` not counted. A
        /// Python keyword argument (`event_type="…"`) has its parameter's
        /// position when the function's definition is in the repository,
        /// else the function's event position, else its index in the call.
        argument: usize,
    },
    /// A `case "…":` label of a `switch` on an event type.
    SwitchCase,
    /// A name compared with an event type (`if (msg.type === "…")`).
    TypeComparison,
    /// A top-level key of a handler map.
    HandlerKey,
}

/// One event name found in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The event name, as written (not checked against the naming rule for
    /// handlers and given emit functions: see [`crate::init::scan::looks_like_event_name`]).
    pub name: String,
    /// The file, relative to the scanned root.
    pub path: PathBuf,
    /// 1-based line of the literal or key.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The file's language.
    pub language: Language,
    /// What the site is.
    pub kind: SiteKind,
    /// The site is test code: a test path (`tests/`, `test_*.py`, `*_test.*`,
    /// `*.test.ts`, `*.spec.ts`, ...) or, in Rust, a `#[cfg(test)]` module or
    /// `#[test]` function.
    pub in_test: bool,
}

/// The event names a JavaScript/TypeScript file handles: `case "…":`
/// labels of switches on an event's type and the keys of handler maps.
/// The grammar is the path's (TypeScript unless it names another).
pub fn handled_names(text: &str, path: &Path) -> Vec<Site> {
    let grammar = tree::Grammar::of(&path.to_string_lossy())
        .filter(|grammar| !grammar.is_python())
        .unwrap_or(tree::Grammar::TypeScript);
    handlers::find(&tree::Source::parse(text, grammar), path, false)
}
