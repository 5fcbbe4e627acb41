//! Diagnostics in the style of rustc: a rule ID, a message, the offending
//! source line with a label, and a hint on how to fix it.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::source::{FileId, Sources, Span};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the run.
    Error,
    /// Shown, does not fail the run.
    Warning,
}

/// Where a diagnostic points: a file and a span inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The span inside the file.
    pub span: Span,
}

/// One finding about the catalog or the generated files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule ID, e.g. `unknown-key`.
    pub rule: &'static str,
    /// What is wrong, in one line.
    pub message: String,
    /// Where, if the finding has a place in a source file.
    pub location: Option<Location>,
    /// The label under the offending text.
    pub label: String,
    /// Further context (a diff, a list of candidates).
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of the code `rule` (an ID of [`crate::codes::CODES`]) with
    /// `message`, not yet placed, at the code's default severity (most are
    /// errors, whence the name). An unregistered ID is a bug: debug builds
    /// panic on it.
    pub fn error(rule: &'static str, message: impl Into<String>) -> Diagnostic {
        let code = crate::codes::get(rule);
        debug_assert!(
            code.is_some(),
            "diagnostic code `{rule}` is not in codes::CODES"
        );
        let severity = match code.map(|code| code.level) {
            Some(crate::codes::Level::Warning) => Severity::Warning,
            _ => Severity::Error,
        };
        Diagnostic {
            severity,
            rule,
            message: message.into(),
            location: None,
            label: String::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Places the diagnostic at `span` in `file`, with a label under it.
    pub fn at(mut self, file: FileId, span: Span, label: impl Into<String>) -> Diagnostic {
        self.location = Some(Location { file, span });
        self.label = label.into();
        self
    }

    /// Places the diagnostic at a location, with a label under it.
    pub fn at_location(self, location: Location, label: impl Into<String>) -> Diagnostic {
        self.at(location.file, location.span, label)
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the fix hint.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, when the diagnostic has a place.
    pub fn position(&self, sources: &Sources) -> Option<String> {
        self.location.map(|at| {
            format!(
                "{}:{}:{}",
                sources.get(at.file).display_path,
                at.span.line,
                at.span.column
            )
        })
    }

    /// Renders the diagnostic as rustc would, with colour when `color`.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str()).id(self.rule);
        let mut primary = Group::with_title(title);
        if let Some(at) = self.location {
            let file = sources.get(at.file);
            let range = at.span.range();
            let (lines, from, first_line) = lines_around(&file.text, range.clone());
            let snippet = Snippet::source(lines)
                .line_start(first_line)
                .path(file.display_path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(range.start.saturating_sub(from)..range.end.saturating_sub(from))
                        .label(self.label.as_str()),
                );
            primary = primary.element(snippet);
        }
        let mut report: Vec<Group<'_>> = vec![primary];
        for note in &self.notes {
            report.push(Group::with_title(
                Level::NOTE.secondary_title(note.as_str()),
            ));
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

/// The lines of `text` that `range` touches (with their line ends), where
/// they start in `text`, and the 1-based number of the first. A snippet of
/// them renders as one of the whole text would, without the renderer
/// reading all of it: a stale generated file can be 100 MB.
fn lines_around(text: &str, range: Range<usize>) -> (&str, usize, usize) {
    let bytes = text.as_bytes();
    let start = range.start.min(bytes.len());
    let end = range.end.clamp(start, bytes.len());
    let from = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |at| at + 1);
    let to = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |at| end + at + 1);
    let first_line = 1 + memchr::memchr_iter(b'\n', &bytes[..from]).count();
    (&text[from..to], from, first_line)
}

/// A batch of diagnostics from one run, rendered together.
#[derive(Debug, Default)]
pub struct Report {
    /// The findings, in the order they were made.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether any finding fails the run.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Renders every diagnostic followed by a one-line summary.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            out.push_str(&diagnostic.render(sources, color));
            out.push_str("\n\n");
        }
        let errors = self
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .count();
        let warnings = self.diagnostics.len() - errors;
        out.push_str(&Summary { errors, warnings }.to_string());
        out
    }
}

struct Summary {
    errors: usize,
    warnings: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        match (self.errors, self.warnings) {
            (0, 0) => write!(f, "no problems found"),
            (0, w) => write!(f, "{} emitted", plural(w, "warning")),
            (e, 0) => write!(f, "aborting due to {}", plural(e, "error")),
            (e, w) => write!(
                f,
                "aborting due to {}; {} emitted",
                plural(e, "error"),
                plural(w, "warning")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A span rendered from the lines around it reads exactly as rendered
    /// from the whole text: first, middle and last lines, a last line
    /// without its end, spans that hold a line end, cross lines, are
    /// empty, or reach one past the end (as far as the renderer allows),
    /// and text with multi-byte characters.
    #[test]
    fn a_snippet_of_the_lines_around_renders_as_the_whole_text() {
        let text = "first: 1\nsecond: ü2\n\nfourth: [a, b]\nlast: é";
        let mut sources = Sources::new(Path::new("/repo"));
        let file = sources.add(Path::new("/repo/a.yaml"), text.to_string());
        let line_of = |start: usize| {
            1 + text.as_bytes()[..start]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count() as u64
        };
        let ranges = [
            (0, 5),
            (9, 6),
            (9, 11),
            (8, 1),
            (20, 0),
            (21, 14),
            (25, 18),
            (36, 4),
            (17, 2),
            (text.len() - 2, 2),
            (text.len(), 0),
            (text.len(), 1),
        ];
        for (start, len) in ranges {
            let span = Span {
                start,
                len,
                line: line_of(start),
                column: 1,
            };
            let diagnostic = Diagnostic::error("stale-output", "message").at(file, span, "here");
            let whole = Renderer::plain().render(&[Group::with_title(
                Level::ERROR.primary_title("message").id("stale-output"),
            )
            .element(
                Snippet::source(text)
                    .path(sources.get(file).display_path.as_str())
                    .annotation(AnnotationKind::Primary.span(span.range()).label("here")),
            )]);
            assert_eq!(diagnostic.render(&sources, false), whole, "{start}+{len}");
        }
    }

    #[test]
    fn renders_file_line_column_rule_and_help() {
        let mut sources = Sources::new(Path::new("/repo"));
        let file = sources.add(
            Path::new("/repo/schema/events/task.yaml"),
            "events:\n  - name: task_created\n    paylod: {}\n".to_string(),
        );
        let span = Span {
            start: 35,
            len: 6,
            line: 3,
            column: 5,
        };
        let text = Diagnostic::error("unknown-key", "unknown key `paylod`")
            .at(file, span, "not a key of an event")
            .help("did you mean `payload`?")
            .render(&sources, false);
        assert!(
            text.contains("error[unknown-key]: unknown key `paylod`"),
            "{text}"
        );
        assert!(text.contains("schema/events/task.yaml:3:5"), "{text}");
        assert!(text.contains("paylod: {}"), "{text}");
        assert!(text.contains("help: did you mean `payload`?"), "{text}");
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let report = Report {
            diagnostics: vec![
                Diagnostic::error("dead-event", "x"),
                Diagnostic::error("missing-example", "y"),
            ],
        };
        let sources = Sources::new(Path::new("/"));
        assert!(
            report
                .render(&sources, false)
                .ends_with("aborting due to 2 errors")
        );
    }
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style text, coloured on a terminal.
    #[default]
    Human,
    /// One JSON document, for tools.
    Json,
    /// GitHub Actions workflow commands, which annotate the pull request.
    Github,
}

impl Report {
    /// Renders the report in `format`.
    pub fn render_as(&self, format: Format, sources: &Sources, color: bool) -> String {
        match format {
            Format::Human => self.render(sources, color),
            Format::Json => self.render_json(sources),
            Format::Github => self.render_github(sources),
        }
    }

    fn render_json(&self, sources: &Sources) -> String {
        let items: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let place = diagnostic.location.map(|at| {
                    serde_json::json!({
                        "file": sources.get(at.file).display_path,
                        "line": at.span.line,
                        "column": at.span.column,
                    })
                });
                serde_json::json!({
                    "rule": diagnostic.rule,
                    "severity": match diagnostic.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    },
                    "message": diagnostic.message,
                    "location": place,
                    "label": diagnostic.label,
                    "notes": diagnostic.notes,
                    "help": diagnostic.help,
                })
            })
            .collect();
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let document = serde_json::json!({
            "diagnostics": items,
            "errors": errors,
            "warnings": self.diagnostics.len() - errors,
        });
        serde_json::to_string_pretty(&document).unwrap_or_default()
    }

    fn render_github(&self, sources: &Sources) -> String {
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            let level = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut properties = vec![format!("title={}", github_property(diagnostic.rule))];
            if let Some(at) = diagnostic.location {
                properties.insert(0, format!("col={}", at.span.column));
                properties.insert(0, format!("line={}", at.span.line));
                properties.insert(
                    0,
                    format!(
                        "file={}",
                        github_property(&sources.get(at.file).display_path)
                    ),
                );
            }
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            out.push_str(&format!(
                "::{level} {}::{}\n",
                properties.join(","),
                github_data(&message)
            ));
        }
        out
    }
}

/// Escapes a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod format_tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn json_and_github_formats_carry_the_place_and_rule() {
        let mut sources = Sources::new(Path::new("/repo"));
        let file = sources.add(Path::new("/repo/a.yaml"), "name: task_create\n".to_string());
        let span = Span {
            start: 6,
            len: 11,
            line: 1,
            column: 7,
        };
        let report = Report {
            diagnostics: vec![
                Diagnostic::error("past-tense-verb", "verb `create`, 100% wrong")
                    .at(file, span, "here")
                    .help("did you mean `task_created`?"),
            ],
        };
        let json: serde_json::Value =
            serde_json::from_str(&report.render_as(Format::Json, &sources, false)).unwrap();
        assert_eq!(json["diagnostics"][0]["location"]["line"], 1);
        assert_eq!(json["diagnostics"][0]["rule"], "past-tense-verb");
        assert_eq!(json["errors"], 1);
        let github = report.render_as(Format::Github, &sources, false);
        assert_eq!(
            github,
            "::error file=a.yaml,line=1,col=7,title=past-tense-verb::verb `create`, 100%25 wrong%0Ahelp: did you mean `task_created`?\n"
        );
    }
}
