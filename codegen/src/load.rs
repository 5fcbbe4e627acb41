//! Reads the catalog settings and every event file into [`crate::raw`] types,
//! turning read and parse failures into located diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::diagnostic::Diagnostic;
use crate::raw::{CatalogFile, EventFile};
use crate::source::{FileId, Sources, Span};

/// Event files are read from directories by these extensions.
const EVENT_FILE_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// The catalog as read from disk, before validation.
#[derive(Debug)]
pub struct RawCatalog {
    /// The settings file.
    pub file: FileId,
    /// Its contents.
    pub settings: CatalogFile,
    /// The event files, in path order.
    pub event_files: Vec<(FileId, EventFile)>,
}

/// Reads the catalog whose settings live at `catalog_path`.
///
/// Every file is parsed even after an error, so one run reports all
/// syntax problems at once.
pub fn load(sources: &mut Sources, catalog_path: &Path) -> Result<RawCatalog, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let (file, settings) =
        parse_file::<CatalogFile>(sources, catalog_path).map_err(|d| vec![*d])?;
    let base = catalog_path.parent().unwrap_or(Path::new("."));
    // First every entry's files (or why there are none), in catalog order;
    // then every event file read and parsed, several at a time; then the
    // results registered and reported in that same order, so file IDs and
    // diagnostics are exactly as if the files were parsed one by one.
    let mut steps: Vec<Result<PathBuf, Diagnostic>> = Vec::new();
    for entry in &settings.events {
        let span = Span::from_location(entry.referenced, &sources.get(file).text);
        match event_paths(&base.join(&entry.value)) {
            Ok(paths) if paths.is_empty() => steps.push(Err(Diagnostic::error(
                "events-not-found",
                format!("no event files in `{}`", entry.value),
            )
            .at(
                file,
                span,
                "this directory holds no .yaml, .yml or .json file",
            )
            .help("add an event file there, or remove the entry"))),
            Ok(paths) => steps.extend(paths.into_iter().map(Ok)),
            Err(error) => steps.push(Err(Diagnostic::error(
                "events-not-found",
                format!("cannot read `{}`: {error}", entry.value),
            )
            .at(file, span, "listed here")
            .help("entries are event files or directories, relative to the catalog file"))),
        }
    }
    let paths: Vec<&Path> = steps
        .iter()
        .filter_map(|step| step.as_ref().ok().map(PathBuf::as_path))
        .collect();
    let mut parsed = read_all::<EventFile>(&paths).into_iter();
    let mut event_files = Vec::new();
    for step in steps {
        match step {
            Err(diagnostic) => diagnostics.push(diagnostic),
            Ok(path) => {
                let read = parsed.next().expect("one result per path");
                match register(sources, &path, read) {
                    Ok(parsed) => event_files.push(parsed),
                    Err(diagnostic) => diagnostics.push(*diagnostic),
                }
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(RawCatalog {
            file,
            settings,
            event_files,
        })
    } else {
        Err(diagnostics)
    }
}

/// The event files an entry names: the file itself, or a directory's event
/// files sorted by name so the output never depends on directory order.
fn event_paths(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !fs::metadata(path)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(path)? {
        let path = entry?.path();
        let is_event_file = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| EVENT_FILE_EXTENSIONS.contains(&ext));
        if is_event_file && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// A file as read and parsed, before it is registered in [`Sources`].
enum Read<T> {
    /// It could not be read.
    Unreadable(Diagnostic),
    /// Its text, and what parsing it gave: the value, or the diagnostic
    /// (placed in [`PENDING`] until the file has its ID).
    Parsed(String, Result<T, Box<Diagnostic>>),
}

/// The file ID of a diagnostic made before its file is registered.
const PENDING: FileId = FileId(usize::MAX);

/// Reads and parses `paths` in parallel; the results are in the order of `paths`.
fn read_all<T: DeserializeOwned + Send>(paths: &[&Path]) -> Vec<Read<T>> {
    crate::parallel::map_in_order(paths, |path| read_one(path))
}

/// Registers a read file in `sources` and places its diagnostic there.
fn register<T>(
    sources: &mut Sources,
    path: &Path,
    read: Read<T>,
) -> Result<(FileId, T), Box<Diagnostic>> {
    match read {
        Read::Unreadable(diagnostic) => Err(Box::new(diagnostic)),
        Read::Parsed(text, parsed) => {
            let file = sources.add(path, text);
            parsed.map(|value| (file, value)).map_err(|mut diagnostic| {
                if let Some(location) = &mut diagnostic.location {
                    location.file = file;
                }
                diagnostic
            })
        }
    }
}

/// Reads and parses one YAML or JSON file, registering it in `sources`.
fn parse_file<T: DeserializeOwned>(
    sources: &mut Sources,
    path: &Path,
) -> Result<(FileId, T), Box<Diagnostic>> {
    let read = read_one(path);
    register(sources, path, read)
}

/// Reads and parses one YAML or JSON file; diagnostics point at [`PENDING`].
fn read_one<T: DeserializeOwned>(path: &Path) -> Read<T> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return Read::Unreadable(Diagnostic::error(
                "unreadable-file",
                format!("cannot read `{}`: {error}", path.display()),
            ));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let before = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = 1 + before.matches('\n').count() as u64;
            let column = 1 + before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count() as u64;
            // The lossy text has U+FFFD (3 bytes) where the bad byte was.
            let start = before.len();
            let span = Span {
                start,
                len: 3,
                line,
                column,
            };
            let diagnostic = Diagnostic::error("not-utf8", "the file is not valid UTF-8")
                .at(PENDING, span, "invalid byte here")
                .help("save the file as UTF-8");
            return Read::Parsed(text, Err(Box::new(diagnostic)));
        }
    };
    // Most files are plain YAML: read them straight from the parser's
    // events. serde-saphyr reads the rest, and gives every diagnostic.
    if let Some(parsed) = read_quickly(&text) {
        return Read::Parsed(text, Ok(parsed));
    }
    let parsed = match read_with_serde_saphyr::<T>(&text) {
        Ok(parsed) => Ok(parsed),
        Err(error) => {
            // A typed parse can stop at a missing key (a key that a bad indent
            // cut off looks "missing") before the parser reaches the syntax
            // error that caused it: report the syntax error when there is one.
            let error = if matches!(
                original(&error),
                serde_saphyr::Error::SerdeMissingField { .. }
            ) {
                match read_with_serde_saphyr::<IgnoredAny>(&text) {
                    Err(syntax) if !is_shape_error(&syntax) => syntax,
                    _ => error,
                }
            } else {
                error
            };
            Err(Box::new(parse_diagnostic(PENDING, &text, &error)))
        }
    };
    Read::Parsed(text, parsed)
}

/// `T` read from `text` by the fast path ([`crate::yaml_tree`] and
/// [`crate::tree_reader`]); `None` when serde-saphyr must read it.
pub fn read_quickly<T: DeserializeOwned>(text: &str) -> Option<T> {
    crate::yaml_tree::read(text).and_then(|tree| crate::tree_reader::read(tree, text))
}

/// `T` read from `text` by serde-saphyr, within the limits of
/// [`parser_options`]: the reference the fast path must agree with.
pub fn read_with_serde_saphyr<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<T>(text, parser_options())
}

/// Parser limits sized for catalog files, which are small: a hostile file
/// (an alias or merge-key "bomb", a deep nest) fails fast with a diagnostic
/// instead of costing seconds and gigabytes. The committed catalog uses a few
/// thousand values and no aliases, far inside these limits.
fn parser_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_merge_keys = 1_000;
    budget.max_aliases = 10_000;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 100_000;
    serde_saphyr::options! {
        with_snippet: false,
        budget: Some(budget),
        alias_limits: alias_limits,
    }
}

/// Whether the document parsed as YAML but has the wrong shape for the type.
fn is_shape_error(error: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    matches!(
        original(error),
        E::SerdeMissingField { .. }
            | E::SerdeUnknownField { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::Unexpected { .. }
            | E::InvalidScalar { .. }
            | E::Message { .. }
    )
}

/// The error behind the snippet and alias wrappers.
fn original(error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match error.without_snippet() {
        serde_saphyr::Error::AliasError { error, .. } => original(error),
        other => other,
    }
}

/// Turns a YAML or shape error into a diagnostic with a rule ID and a hint.
fn parse_diagnostic(file: FileId, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let span = error
        .location()
        .map(|location| Span::from_location(location, text))
        .unwrap_or_default();
    if let Some((rule, message, label, help)) = special_case(error) {
        return Diagnostic::error(rule, message)
            .at(file, span, label)
            .help(help);
    }
    let message = error_message(error);
    let (rule, label, help) = classify(&message);
    // serde notices a missing key at the end of the mapping; point at its start.
    let span = if rule == "missing-key" {
        mapping_start(text, span)
    } else {
        span
    };
    Diagnostic::error(rule, message)
        .at(file, span, label)
        .help_opt(help)
}

/// The first key of the block mapping whose key sits at `span`: walks up
/// past its sibling lines to the `- ` item or the parent key.
fn mapping_start(text: &str, span: Span) -> Span {
    let lines: Vec<&str> = text.lines().collect();
    let key_indent = usize::try_from(span.column.saturating_sub(1)).unwrap_or(0);
    let Some(mut line) = usize::try_from(span.line)
        .ok()
        .and_then(|l| l.checked_sub(1))
    else {
        return span;
    };
    while line < lines.len() {
        let current = lines[line];
        let indent = current.len() - current.trim_start().len();
        let rest = current.trim_start();
        let blank = rest.is_empty() || rest.starts_with('#');
        if !blank && rest.starts_with("- ") && indent + 2 == key_indent {
            break;
        }
        if !blank && indent < key_indent {
            line += 1;
            break;
        }
        if line == 0 {
            break;
        }
        line -= 1;
    }
    let line = line.min(lines.len().saturating_sub(1));
    let start: usize = lines[..line].iter().map(|l| l.len() + 1).sum::<usize>() + key_indent;
    let key_len = lines
        .get(line)
        .and_then(|l| l.get(key_indent..))
        .map_or(0, |rest| rest.find(':').unwrap_or(rest.len()));
    Span {
        start: start.min(text.len()),
        len: key_len,
        line: line as u64 + 1,
        column: span.column,
    }
}

/// Errors whose parser wording names library internals or debug output,
/// reworded for the person editing the catalog: rule, message, label, hint.
fn special_case(error: &serde_saphyr::Error) -> Option<(&'static str, String, String, String)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let limit = |what: String| {
        Some((
            "yaml-syntax",
            format!("the file is too large or too complex: {what}"),
            "the parser stopped here".to_string(),
            "catalog files stay small and shallow: split the file, flatten the schema, or avoid repeating YAML aliases".to_string(),
        ))
    };
    match original(error) {
        E::DuplicateMappingKey { key, .. } => Some((
            "duplicate-key",
            match key {
                Some(key) => format!("duplicate key `{key}`"),
                None => "duplicate key".to_string(),
            },
            "repeated key".to_string(),
            "keep one of the entries".to_string(),
        )),
        E::MultipleDocuments { .. } => Some((
            "yaml-syntax",
            "the file holds more than one YAML document".to_string(),
            "a second document starts here".to_string(),
            "remove the `---` separator: each catalog file is one document".to_string(),
        )),
        E::RecursiveReferencesRequireWeakTypes { .. } => Some((
            "yaml-syntax",
            "a YAML alias refers to the node that contains it".to_string(),
            "recursive alias".to_string(),
            "catalog values are finite trees: write the value out instead of aliasing its ancestor"
                .to_string(),
        )),
        E::UnknownAnchor { .. } => Some((
            "yaml-syntax",
            "a YAML alias names no anchor defined before it".to_string(),
            "unknown alias".to_string(),
            "define the anchor (`&name`) before the alias (`*name`), or write the value out"
                .to_string(),
        )),
        E::Unexpected { expected, .. } => {
            let (what, shape) = match *expected {
                "sequence start" => ("a list", "`[a, b]` or `- item` lines"),
                "mapping start" => ("a mapping", "`key: value` lines"),
                _ => return None,
            };
            Some((
                "wrong-type",
                format!("expected {what} here"),
                "wrong value".to_string(),
                format!("write {what} ({shape}); the catalog JSON Schema shows every key's shape"),
            ))
        }
        E::NonFiniteFloat { value, .. } => Some((
            "non-finite-number",
            format!("`{value}` is not a finite number"),
            "no JSON form".to_string(),
            "JSON has no infinity or NaN: use a finite number, or a string".to_string(),
        )),
        E::InvalidScalar { ty, .. } => Some((
            "wrong-type",
            format!("expected {}", scalar_name(ty)),
            "wrong value".to_string(),
            "the catalog JSON Schema shows every key's type".to_string(),
        )),
        E::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => limit(format!(
            "YAML aliases expand to more than {max_total_replayed_events} nodes"
        )),
        E::AliasExpansionLimitExceeded { .. } => {
            limit("an alias is expanded too often".to_string())
        }
        E::AliasReplayStackDepthExceeded { max_depth, .. } => {
            limit(format!("aliases nest more than {max_depth} levels deep"))
        }
        E::Budget { breach, .. } => limit(match breach {
            B::Depth { .. } => "it nests more than 64 levels deep".to_string(),
            B::Nodes { .. } => "it has more than 250000 values (aliases expanded)".to_string(),
            B::ScalarBytes { .. } => "its text exceeds 64 MiB (aliases expanded)".to_string(),
            B::MergeKeys { .. } => "it has more than 1000 merge keys (`<<`)".to_string(),
            B::Events { .. } => "it has more than a million YAML events".to_string(),
            B::Aliases { .. } | B::AliasAnchorRatio { .. } => {
                "it uses too many aliases".to_string()
            }
            B::Anchors { .. } => "it defines too many anchors".to_string(),
            B::InputBytes { .. } => "it is larger than 256 MiB".to_string(),
            other => format!("a parser limit was reached ({other:?})"),
        }),
        _ => None,
    }
}

/// A scalar type name as a user reads it.
fn scalar_name(ty: &str) -> String {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
            "a whole number, zero or more".to_string()
        }
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "bool" => "`true` or `false`".to_string(),
        other => format!("a value of type {other}"),
    }
}

/// serde-saphyr's message without the location it appends (we show our own).
fn error_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    // Alias errors append "(defined at line …) (used at line …)"; others " at line …".
    let cut = [" (defined at line ", " (used at line ", " at line "]
        .iter()
        .filter_map(|marker| text.find(marker))
        .min();
    let text = match cut {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    text.trim().to_string()
}

/// Picks the rule ID, label and hint from the parser's message.
fn classify(message: &str) -> (&'static str, &'static str, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        // "..., expected one of a, b, c" (serde adds backticks, serde-saphyr does not).
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|list| {
                list.trim_start_matches("one of ")
                    .split(',')
                    .map(|key| key.trim().trim_matches('`'))
                    .filter(|key| !key.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let suggestion = expected
            .iter()
            .map(|candidate| (strsim::jaro_winkler(unknown, candidate), *candidate))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, candidate)| format!("did you mean `{candidate}`?"));
        let help = suggestion.or_else(|| {
            (!expected.is_empty()).then(|| {
                format!(
                    "allowed keys here: {}",
                    expected
                        .iter()
                        .map(|key| format!("`{key}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        });
        return ("unknown-key", "unknown key", help);
    }
    if message.starts_with("missing field") {
        return (
            "missing-key",
            "this mapping lacks the key",
            Some(
                "add the key; the catalog JSON Schema lists every key with its meaning".to_string(),
            ),
        );
    }
    if message.contains("duplicate") {
        return (
            "duplicate-key",
            "repeated key",
            Some("keep one of the entries".to_string()),
        );
    }
    if message.starts_with("unknown variant") {
        return ("unknown-value", "not one of the allowed values", None);
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return ("wrong-type", "wrong value", None);
    }
    ("yaml-syntax", "the parser stopped here", None)
}

impl Diagnostic {
    /// Sets the fix hint when there is one.
    fn help_opt(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnose(yaml: &str) -> Diagnostic {
        let mut sources = Sources::new(Path::new("/"));
        let file = sources.add(Path::new("/x.yaml"), yaml.to_string());
        let options = serde_saphyr::options! { with_snippet: false };
        let error = serde_saphyr::from_str_with_options::<EventFile>(yaml, options).unwrap_err();
        parse_diagnostic(file, yaml, &error)
    }

    #[test]
    fn unknown_key_suggests_the_near_one() {
        let yaml = "resource: task\nevents:\n  - name: task_created\n    description: d\n    since: '0.2'\n    stability: frozen\n    paylod: {}\n";
        let diagnostic = diagnose(yaml);
        assert_eq!(diagnostic.rule, "unknown-key", "{}", diagnostic.message);
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("did you mean `payload`?"),
            "{}",
            diagnostic.message
        );
        let span = diagnostic.location.unwrap().span;
        assert_eq!((span.line, span.column), (7, 5));
        assert!(
            diagnostic.message.contains("paylod"),
            "{}",
            diagnostic.message
        );
    }

    #[test]
    fn missing_key_points_at_the_mapping() {
        let yaml = "resource: task\nevents:\n  - name: task_created\n    description: d\n    stability: frozen\n    payload: {}\n    examples: []\n";
        let diagnostic = diagnose(yaml);
        assert_eq!(diagnostic.rule, "missing-key");
        let span = diagnostic.location.unwrap().span;
        assert_eq!((span.line, span.column), (3, 5), "{}", diagnostic.message);
    }

    #[test]
    fn missing_key_is_named() {
        let diagnostic = diagnose("resource: task\n");
        assert_eq!(diagnostic.rule, "missing-key");
        assert!(
            diagnostic.message.contains("events"),
            "{}",
            diagnostic.message
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let diagnostic = diagnose("resource: task\nevents: [\n");
        assert_eq!(diagnostic.rule, "yaml-syntax");
        assert!(diagnostic.location.unwrap().span.line >= 2);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let diagnostic = diagnose("resource: task\nresource: task\nevents: []\n");
        assert_eq!(diagnostic.rule, "duplicate-key");
    }
}
