//! The event names a repository already uses, found in its code.
//!
//! [`scan`] walks a repository and finds two kinds of site:
//!
//! - **emit sites**: string literals passed as the event name to an emit
//!   function, in Rust (parsed with syn), Python and JavaScript/TypeScript
//!   (parsed with tree-sitter, so comments, strings, f-strings and template
//!   literals are what they are). Emit functions are the ones the caller names, the
//!   ones *detected* by name (`emit`, `broadcast`, `publish`, `send_event`,
//!   `notify`, `dispatch_event`) that receive a literal that looks like an
//!   event name, and one level of wrappers that forward their parameter to
//!   either. A computed name at an emit function is reported as
//!   [`Unverifiable`], never guessed.
//! - **frontend handlers** (JavaScript/TypeScript): `case "…":` labels of a
//!   `switch` on an event's type, and the top-level keys of handler maps.
//!
//! The scan is best effort and never fails: what it cannot read or parse it
//! counts in [`Skipped`] or describes in [`Scan::problems`]. Results are
//! sorted by path, then position, so two scans of one tree are equal.

mod emits;
mod rust;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::code::calls::FileCalls;
use crate::code::tree::{Grammar, Source};
pub use crate::code::{Language, Site, SiteKind};
use crate::code::{calls, handlers};

/// What the caller knows before the scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanOptions {
    /// Emit functions by name (the last path segment or method name, as
    /// called), each with the 0-based position of its event-name argument
    /// (`self` not counted), or `None` to detect the position from the
    /// literals its calls pass. They apply to every language, and at these
    /// functions every string literal counts, event-like or not.
    pub emit_functions: Vec<(String, Option<usize>)>,
    /// Paths not to scan, relative to the root (absolute paths under the
    /// root work too), such as generated output directories.
    pub exclude: Vec<PathBuf>,
}

/// Which argument of an emit function carries the event name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Argument {
    /// The 0-based position among the positional arguments, `self` not counted.
    Position(usize),
    /// A Python keyword argument (`event_type="task_created"`).
    Keyword(String),
}

/// Why a function counts as an emit function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Named in [`ScanOptions::emit_functions`].
    Given,
    /// Its name says it emits and it receives event-like literals.
    Detected,
    /// It forwards one of its parameters to a given or detected function.
    Wrapper,
}

/// An emit function, per language: the Rust ones are what a catalog's
/// `drift: rust: emit_functions` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitFunction {
    /// The language whose calls it was found in.
    pub language: Language,
    /// The name as called (last path segment or method name).
    pub name: String,
    /// Where the event name is.
    pub argument: Argument,
    /// Why it counts.
    pub origin: Origin,
}

/// An emit function called with an event name that is not a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverifiable {
    /// The emit function called.
    pub function: String,
    /// The file, relative to the scanned root.
    pub path: PathBuf,
    /// 1-based line of the argument.
    pub line: usize,
    /// 1-based column of the argument, in characters.
    pub column: usize,
    /// The file's language.
    pub language: Language,
    /// The call is test code (as for [`Site::in_test`]).
    pub in_test: bool,
}

/// Files the scan left out without a word, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Larger than [`MAX_FILE_SIZE`]: bundles and generated data, not code
    /// anybody maintains.
    pub too_large: usize,
    /// Not UTF-8 text.
    pub not_utf8: usize,
}

/// Files larger than this many bytes are skipped.
pub const MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Everything a scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Event names passed to emit functions.
    pub emits: Vec<Site>,
    /// Event names the frontend handles.
    pub handlers: Vec<Site>,
    /// Emit calls whose event name is computed.
    pub unverifiable: Vec<Unverifiable>,
    /// The emit functions used, per language, sorted by language and name.
    pub emit_functions: Vec<EmitFunction>,
    /// The given emit functions ([`ScanOptions::emit_functions`]) that no
    /// scanned file calls, in the order given: most likely misspelt.
    pub uncalled: Vec<String>,
    /// What went wrong, one sentence each, naming the file: an unreadable
    /// directory or file, a Rust file that does not parse, a given emit
    /// function nobody calls.
    pub problems: Vec<String>,
    /// Files left out silently.
    pub skipped: Skipped,
}

/// Scans the repository at `root`.
pub fn scan(root: &Path, options: &ScanOptions) -> Scan {
    let mut scan = Scan::default();
    let mut sources = Sources::default();
    for file in walk::files(root, &options.exclude, &mut scan) {
        if let Some(text) = read(&file, &mut scan) {
            sources.add(&file, &text, &mut scan);
        }
    }
    analyse(&sources, options, scan)
}

/// Scans given files' texts, each under the path it is reported with; the
/// language is the file name's (drift's check of a Python or Node backend).
pub fn scan_texts(files: &[(PathBuf, &str)], options: &ScanOptions) -> Scan {
    let mut scan = Scan::default();
    let mut sources = Sources::default();
    for (path, text) in files {
        let name = path.to_string_lossy();
        let Some(language) = walk::language_of(&name) else {
            continue;
        };
        let file = walk::File {
            relative: path.clone(),
            absolute: path.clone(),
            language,
        };
        sources.add(&file, text, &mut scan);
    }
    analyse(&sources, options, scan)
}

/// The emit sites of every language in `sources`.
fn analyse(sources: &Sources, options: &ScanOptions, mut scan: Scan) -> Scan {
    let given = &options.emit_functions;
    let found = [
        (
            Language::Rust,
            &sources.rust,
            emits::Wrappers::Rust(&sources.rust_syntax),
        ),
        (
            Language::Python,
            &sources.python,
            emits::Wrappers::FromCalls,
        ),
        (
            Language::JavaScript,
            &sources.javascript,
            emits::Wrappers::FromCalls,
        ),
    ]
    .map(|(language, files, wrappers)| emits::find(language, files, given, wrappers));
    for result in found {
        scan.emits.extend(result.emits);
        scan.unverifiable.extend(result.unverifiable);
        scan.emit_functions.extend(result.functions);
        scan.problems.extend(result.problems);
    }
    report_uncalled(given, sources, &mut scan);
    sort(&mut scan);
    scan
}

/// Every file's calls, by language, and the parsed Rust files that
/// [`crate::drift::rust_emits::find_wrappers`] reads.
#[derive(Default)]
struct Sources {
    rust: Vec<FileCalls>,
    rust_syntax: Vec<syn::File>,
    python: Vec<FileCalls>,
    javascript: Vec<FileCalls>,
}

impl Sources {
    fn add(&mut self, file: &walk::File, text: &str, scan: &mut Scan) {
        let in_test = is_test_path(&file.relative);
        let shell = |(calls, defs)| FileCalls {
            path: file.relative.clone(),
            in_test,
            calls,
            defs,
        };
        match file.language {
            Language::Rust => match rust::parse(text) {
                Ok((syntax, parsed)) => {
                    self.rust.push(shell(parsed));
                    self.rust_syntax.push(syntax);
                }
                Err(error) => scan.problems.push(format!(
                    "{}: not scanned, it does not parse as Rust: {error}",
                    file.relative.display()
                )),
            },
            Language::Python => {
                let source = Source::parse(text, Grammar::Python);
                self.python.push(shell(calls::extract(&source)));
            }
            Language::JavaScript => {
                let name = file.relative.to_string_lossy();
                let grammar = Grammar::of(&name).unwrap_or(Grammar::TypeScript);
                let source = Source::parse(text, grammar);
                self.javascript.push(shell(calls::extract(&source)));
                scan.handlers
                    .extend(handlers::find(&source, &file.relative, in_test));
            }
        }
    }
}

/// The file's text, or `None` (counted or reported) when it has none.
fn read(file: &walk::File, scan: &mut Scan) -> Option<String> {
    let bytes = match fs::read(&file.absolute) {
        Ok(bytes) => bytes,
        Err(error) => {
            let path = file.relative.display();
            scan.problems.push(format!("{path}: cannot read: {error}"));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(_) => {
            scan.skipped.not_utf8 += 1;
            None
        }
    }
}

/// A given emit function called in no language is most likely misspelled.
fn report_uncalled(given: &[(String, Option<usize>)], sources: &Sources, scan: &mut Scan) {
    let files = [&sources.rust, &sources.python, &sources.javascript];
    let called: BTreeSet<&str> = files
        .into_iter()
        .flatten()
        .flat_map(|file| file.calls.iter().map(|call| call.name.as_str()))
        .collect();
    for (name, _) in given {
        if !called.contains(name.as_str()) {
            scan.problems
                .push(format!("emit function `{name}` is called nowhere"));
            scan.uncalled.push(name.clone());
        }
    }
}

fn sort(scan: &mut Scan) {
    let site_order = |site: &Site| (site.path.clone(), site.line, site.column, site.name.clone());
    scan.emits.sort_by_key(site_order);
    scan.handlers.sort_by_key(site_order);
    scan.unverifiable.sort_by_key(|call| {
        (
            call.path.clone(),
            call.line,
            call.column,
            call.function.clone(),
        )
    });
    scan.emit_functions
        .sort_by(|a, b| (a.language, &a.name).cmp(&(b.language, &b.name)));
}

/// Whether `name` is a lowercase wire name, `[a-z][a-z0-9]*([_.:-][a-z0-9]+)*`:
/// what a detected emit function's literal must be to count.
pub fn looks_like_event_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    if !bytes.next().is_some_and(|byte| byte.is_ascii_lowercase()) {
        return false;
    }
    let mut after_separator = false;
    for byte in bytes {
        let word = byte.is_ascii_lowercase() || byte.is_ascii_digit();
        let separator = matches!(byte, b'_' | b'.' | b':' | b'-');
        if !(word || separator && !after_separator) {
            return false;
        }
        after_separator = separator;
    }
    !after_separator
}

/// Whether a path (relative to the root) looks like test code.
pub fn is_test_path(path: &Path) -> bool {
    let mut components: Vec<String> = path
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(file) = components.pop() else {
        return false;
    };
    let test_dir = components
        .iter()
        .any(|dir| matches!(dir.as_str(), "tests" | "test" | "__tests__" | "benches"));
    let stem = file.split('.').next().unwrap_or_default();
    test_dir
        || file.starts_with("test_") && file.ends_with(".py")
        || file == "conftest.py"
        || stem.ends_with("_test")
        || file.contains(".test.")
        || file.contains(".spec.")
}

/// The smallest set of directories (relative to the root, sorted) holding
/// the `language` sites: each site's directory, minus those inside another
/// one. The root itself is `.`.
pub fn source_dirs(sites: &[Site], language: Language) -> Vec<PathBuf> {
    let dirs: BTreeSet<PathBuf> = sites
        .iter()
        .filter(|site| site.language == language)
        .map(|site| match site.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    let inside_another = |dir: &PathBuf| {
        dirs.iter()
            .any(|other| other != dir && (other == Path::new(".") || dir.starts_with(other)))
    };
    dirs.iter()
        .filter(|dir| !inside_another(dir))
        .cloned()
        .collect()
}

/// The nearest `tsconfig.json` at or above `frontend_dir` (relative to the
/// root, or absolute under it) without leaving the root, relative to the root.
pub fn find_tsconfig(root: &Path, frontend_dir: &Path) -> Option<PathBuf> {
    let mut dir = relative_to(root, frontend_dir)?;
    loop {
        let candidate = dir.join("tsconfig.json");
        if root.join(&candidate).is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// `path` relative to `root` with `.` dropped, or `None` when it leaves the
/// root (`..`, or an absolute path elsewhere).
fn relative_to(root: &Path, path: &Path) -> Option<PathBuf> {
    let path = if path.is_absolute() {
        path.strip_prefix(root).ok()?
    } else {
        path
    };
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(relative)
}
