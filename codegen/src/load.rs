//! Reads the catalog settings and every event file into [`crate::raw`] types,
//! turning read and parse failures into located diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

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
    let mut event_files = Vec::new();
    for entry in &settings.events {
        let span = Span::from_location(&entry.referenced, &sources.get(file).text);
        match event_paths(&base.join(&entry.value)) {
            Ok(paths) if paths.is_empty() => diagnostics.push(
                Diagnostic::error(
                    "events-not-found",
                    format!("no event files in `{}`", entry.value),
                )
                .at(
                    file,
                    span,
                    "this directory holds no .yaml, .yml or .json file",
                )
                .help("add an event file there, or remove the entry"),
            ),
            Ok(paths) => {
                for path in paths {
                    match parse_file::<EventFile>(sources, &path) {
                        Ok(parsed) => event_files.push(parsed),
                        Err(diagnostic) => diagnostics.push(*diagnostic),
                    }
                }
            }
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    "events-not-found",
                    format!("cannot read `{}`: {error}", entry.value),
                )
                .at(file, span, "listed here")
                .help("entries are event files or directories, relative to the catalog file"),
            ),
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

/// Reads and parses one YAML or JSON file, registering it in `sources`.
fn parse_file<T: DeserializeOwned>(
    sources: &mut Sources,
    path: &Path,
) -> Result<(FileId, T), Box<Diagnostic>> {
    let bytes = fs::read(path).map_err(|error| {
        Box::new(Diagnostic::error(
            "unreadable-file",
            format!("cannot read `{}`: {error}", path.display()),
        ))
    })?;
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
            let file = sources.add(path, text);
            let span = Span {
                start,
                len: 3,
                line,
                column,
            };
            return Err(Box::new(
                Diagnostic::error("not-utf8", "the file is not valid UTF-8")
                    .at(file, span, "invalid byte here")
                    .help("save the file as UTF-8"),
            ));
        }
    };
    let file = sources.add(path, text);
    let text = &sources.get(file).text;
    let options = serde_saphyr::options! { with_snippet: false };
    match serde_saphyr::from_str_with_options::<T>(text, options) {
        Ok(parsed) => Ok((file, parsed)),
        Err(error) => Err(Box::new(parse_diagnostic(file, text, &error))),
    }
}

/// Turns a YAML or shape error into a diagnostic with a rule ID and a hint.
fn parse_diagnostic(file: FileId, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let message = error_message(error);
    let span = error
        .location()
        .map(|location| Span::from_location(&location, text))
        .unwrap_or_default();
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

/// serde-saphyr's message without the location it appends (we show our own).
fn error_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let text = match text.find(" at line ") {
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
    if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("unknown variant")
    {
        return ("invalid-value", "wrong value", None);
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
