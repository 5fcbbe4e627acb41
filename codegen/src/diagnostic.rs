//! Diagnostics in the style of rustc: a rule ID, a message, the offending
//! source line with a label, and a hint on how to fix it.

use std::fmt;

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
            let snippet = Snippet::source(file.text.as_str())
                .path(file.display_path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(at.span.range())
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
