//! Drift between the catalog and the code around it: the emit sites in the
//! Rust backend and the handler maps in the TypeScript frontend. Together
//! with the generated files and the lock (checked elsewhere) these are the
//! four places seed 000 registers every event in.

mod backends;
pub mod frontend;
pub mod rust_emits;
pub mod tsc;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{Catalog, Direction, Drift, Event};
use crate::source::{FileId, Sources, Span, byte_offset_of};
use rust_emits::{EmitFunctions, Targets};

/// Every drift finding for the catalog's configured code.
pub fn check(sources: &mut Sources, catalog: &Catalog) -> Vec<Diagnostic> {
    let Some(drift) = &catalog.drift else {
        return Vec::new();
    };
    let mut diagnostics = Vec::new();
    let mut emitted = Emitted {
        names: BTreeMap::new(),
        complete: true,
    };
    if !drift.rust_sources.is_empty() {
        diagnostics.extend(emit_sites(sources, catalog, drift, &mut emitted));
    }
    for backend in &drift.backends {
        diagnostics.extend(backends::emit_sites(
            sources,
            catalog,
            backend,
            &mut emitted,
        ));
    }
    // Dead events are judged over every backend together, and only when
    // every source was read: "never emitted" must not be a guess.
    let scanned = !drift.rust_sources.is_empty() || !drift.backends.is_empty();
    if scanned && emitted.complete {
        diagnostics.extend(dead_events(sources, catalog, drift, &emitted));
    }
    if !drift.frontend_sources.is_empty() {
        diagnostics.extend(handler_maps(sources, catalog, drift));
    }
    if let Some(tsconfig) = &drift.tsconfig {
        diagnostics.extend(typecheck(sources, tsconfig, drift.tsc.as_deref()));
    }
    diagnostics
}

/// Files with one of `extensions` under each configured entry, sorted;
/// build output and dependencies are skipped.
fn source_files(
    entries: &[(PathBuf, Location)],
    extensions: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (path, origin) in entries {
        if path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            walk(path, extensions, &mut files);
        } else {
            diagnostics.push(
                Diagnostic::error(
                    "drift-source-missing",
                    format!("`{}` does not exist", path.display()),
                )
                .at_location(*origin, "listed here")
                .help("paths under `drift:` are relative to the catalog file"),
            );
        }
    }
    files.sort();
    files.dedup();
    files
}

fn walk(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["node_modules", "target", "dist", ".git"].contains(&name.as_str()) {
                walk(&path, extensions, files);
            }
        } else if extensions.iter().any(|extension| name.ends_with(extension)) {
            files.push(path);
        }
    }
}

/// Reads and registers a source file, or reports why not. eventcat's own
/// output is skipped: the generated modules name every event, but they are
/// not where the app emits or handles one.
fn read(sources: &mut Sources, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<FileId> {
    match fs::read_to_string(path) {
        Ok(text) if crate::output::is_generated(text.as_bytes()) => None,
        Ok(text) => Some(sources.add(path, text)),
        Err(error) => {
            diagnostics.push(Diagnostic::error(
                "unreadable-file",
                format!("cannot read `{}`: {error}", path.display()),
            ));
            None
        }
    }
}

/// A span from a 1-based line and a 0-based character column.
fn span_at(text: &str, start: proc_macro2::LineColumn, end: proc_macro2::LineColumn) -> Span {
    let from = byte_offset_of(text, start.line as u64, start.column as u64 + 1).unwrap_or(0);
    let to = byte_offset_of(text, end.line as u64, end.column as u64 + 1).unwrap_or(from);
    Span {
        start: from,
        len: to.saturating_sub(from).max(1),
        line: start.line as u64,
        column: start.column as u64 + 1,
    }
}

/// The events the scanned backends emit, each with the first place that
/// does; `complete` is false once a source could not be read or parsed.
pub(crate) struct Emitted {
    pub names: BTreeMap<String, Location>,
    pub complete: bool,
}

/// Rust emit sites: every emitted name in the catalog, every name a literal.
fn emit_sites(
    sources: &mut Sources,
    catalog: &Catalog,
    drift: &Drift,
    emitted: &mut Emitted,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let parsed = parse_rust_sources(sources, drift, &mut diagnostics);
    emitted.complete &= diagnostics.is_empty();
    let names = EmitNames::of(catalog);
    let targets = names.targets();
    let mut functions: EmitFunctions = drift.emit_functions.iter().cloned().collect();
    for (_, syntax) in &parsed {
        rust_emits::find_wrappers(syntax, &mut functions);
    }
    if emitted.complete {
        let called: std::collections::BTreeSet<String> = parsed
            .iter()
            .flat_map(|(_, syntax)| rust_emits::called_names(syntax))
            .collect();
        let origin = drift.rust_sources.first().map(|(_, origin)| *origin);
        diagnostics.extend(
            drift
                .emit_functions
                .iter()
                .filter(|(name, _)| !called.contains(name))
                .map(|(name, _)| uncalled(name, origin)),
        );
    }
    for (file, syntax) in &parsed {
        let emits = rust_emits::scan(syntax, &targets, &functions);
        let text = &sources.get(*file).text;
        for (event, start, end) in emits.emitted {
            emitted.names.entry(event).or_insert(Location {
                file: *file,
                span: span_at(text, start, end),
            });
        }
        for (literal, start, end) in emits.unregistered {
            diagnostics.push(unregistered(
                catalog,
                *file,
                span_at(text, start, end),
                &literal,
            ));
        }
        for (function, start, end) in emits.unverifiable {
            diagnostics.push(unverifiable(
                Some(&names.event_enum),
                *file,
                span_at(text, start, end),
                &function,
            ));
        }
    }
    diagnostics
}

/// Every configured Rust source that parses; the others are `rust-parse-error`.
fn parse_rust_sources(
    sources: &mut Sources,
    drift: &Drift,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(FileId, syn::File)> {
    let mut parsed = Vec::new();
    for path in source_files(&drift.rust_sources, &[".rs"], diagnostics) {
        let Some(file) = read(sources, &path, diagnostics) else {
            continue;
        };
        // Integration tests and benches are no evidence of what the app emits.
        if crate::init::scan::is_test_path(Path::new(&sources.get(file).display_path)) {
            continue;
        }
        match syn::parse_file(&sources.get(file).text) {
            Ok(syntax) => parsed.push((file, syntax)),
            Err(error) => {
                let text = &sources.get(file).text;
                let span = span_at(text, error.span().start(), error.span().end());
                diagnostics.push(
                    Diagnostic::error(
                        "rust-parse-error",
                        format!("cannot parse this Rust file: {error}"),
                    )
                    .at(file, span, "here")
                    .help("emit sites can only be checked in code that compiles"),
                );
            }
        }
    }
    parsed
}

/// The names an emit site may use for the events the server sends.
pub(crate) struct EmitNames {
    /// `BoardEvent`.
    event_enum: String,
    /// Rust variant ident → event name.
    variants: HashMap<String, String>,
    /// Payload struct name → event name (payload types used by one event only).
    payloads: HashMap<String, String>,
    /// Wire name (and alias) → event name.
    pub names: HashMap<String, String>,
}

impl EmitNames {
    pub fn of(catalog: &Catalog) -> EmitNames {
        let sent = || catalog.sent_by(Direction::ServerToClient);
        let payload_name = |event: &Event| catalog.ty(event.payload).name.clone();
        let mut payload_uses: HashMap<String, usize> = HashMap::new();
        for event in sent() {
            *payload_uses.entry(payload_name(event)).or_default() += 1;
        }
        EmitNames {
            event_enum: catalog.type_name("Event"),
            variants: sent()
                .map(|event| (event.ident.clone(), event.name.clone()))
                .collect(),
            payloads: sent()
                .filter(|event| payload_uses[&payload_name(event)] == 1)
                .map(|event| (payload_name(event), event.name.clone()))
                .collect(),
            names: sent()
                .flat_map(|event| {
                    std::iter::once(&event.name)
                        .chain(&event.aliases)
                        .map(|name| (name.clone(), event.name.clone()))
                })
                .collect(),
        }
    }

    fn targets(&self) -> Targets<'_> {
        Targets {
            event_enum: &self.event_enum,
            variants: &self.variants,
            payloads: &self.payloads,
            names: &self.names,
        }
    }
}

fn unregistered(catalog: &Catalog, file: FileId, span: Span, literal: &str) -> Diagnostic {
    Diagnostic::error(
        "unregistered-event",
        format!("`{literal}` is emitted but is not in the catalog"),
    )
    .at(file, span, "no catalog event has this name")
    .help(format!(
        "add the event to the catalog and run `{}`, or fix the name",
        catalog.outputs.command.generate()
    ))
}

/// A configured emit function that no scanned source calls (`origin`: the
/// sources scanned, as configured).
fn uncalled(function: &str, origin: Option<Location>) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        "uncalled-emit-function",
        format!("emit function `{function}` is called nowhere in the scanned sources"),
    )
    .help("a misspelt name leaves every emit site unchecked: fix it under `emit_functions`, or remove it");
    diagnostic.severity = Severity::Warning;
    if let Some(origin) = origin {
        diagnostic = diagnostic.at_location(origin, "scanned here");
    }
    diagnostic
}

/// An emit call whose name is computed; `event_enum` is the generated enum
/// a Rust backend can emit through instead.
fn unverifiable(event_enum: Option<&str>, file: FileId, span: Span, function: &str) -> Diagnostic {
    let help = match event_enum {
        Some(event_enum) => format!(
            "pass a string literal, or better, emit through the generated `{event_enum}` enum so the compiler checks the name"
        ),
        None => "pass the event name as a string literal, so `check` can tell which event it is"
            .to_string(),
    };
    Diagnostic::error(
        "unverifiable-emit",
        format!("`{function}` gets an event name that is not a string literal"),
    )
    .at(file, span, "the name is computed here")
    .help(help)
}

/// Every event the server sends that no scanned backend emits.
fn dead_events(
    sources: &Sources,
    catalog: &Catalog,
    drift: &Drift,
    emitted: &Emitted,
) -> Vec<Diagnostic> {
    let scanned: Vec<(PathBuf, Location)> = drift
        .rust_sources
        .iter()
        .chain(drift.backends.iter().flat_map(|backend| &backend.sources))
        .cloned()
        .collect();
    let event_enum = catalog.type_name("Event");
    catalog
        .sent_by(Direction::ServerToClient)
        .filter(|event| {
            !emitted.names.contains_key(&event.name) && event.emitted_elsewhere.is_none()
        })
        .map(|event| {
            // A Rust backend can emit through the generated enum; others pass the name.
            let how = if drift.rust_sources.is_empty() {
                format!("pass `\"{}\"` to an emit function", event.name)
            } else {
                format!("emit it with `{event_enum}::{}(..)`", event.ident)
            };
            Diagnostic::error(
                "dead-event",
                format!(
                    "`{}` is in the catalog but no scanned code emits it",
                    event.name
                ),
            )
            .at_location(event.origin, "never emitted")
            .note(format!("scanned: {}", shown_entries(sources, &scanned)))
            .help(format!(
                "{how}, set `emitted_elsewhere: <reason>` if another service emits it, or remove it"
            ))
        })
        .collect()
}

fn shown_entries(sources: &Sources, entries: &[(PathBuf, Location)]) -> String {
    entries
        .iter()
        .map(|(path, _)| crate::source::display_path(sources.root(), path))
        .collect::<Vec<_>>()
        .join(", ")
}

fn handler_maps(sources: &mut Sources, catalog: &Catalog, drift: &Drift) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let handlers_type = catalog.type_name("Handlers");
    let define_function = format!("define{}Handlers", catalog.channel_ident);
    let mut found_any = false;
    let mut switch_cases = Vec::new();
    for path in source_files(
        &drift.frontend_sources,
        &[".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs"],
        &mut diagnostics,
    ) {
        let Some(file) = read(sources, &path, &mut diagnostics) else {
            continue;
        };
        let text = sources.get(file).text.clone();
        let maps = frontend::handler_maps(&text, &path, &handlers_type, &define_function);
        if maps.is_empty() {
            switch_cases.extend(switch_cases_in(file, &text, &path));
        }
        for map in maps {
            found_any = true;
            let at = |offset: usize, len: usize| {
                let line = text[..offset].matches('\n').count() as u64 + 1;
                let column = text[..offset]
                    .rsplit('\n')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .count() as u64
                    + 1;
                Span {
                    start: offset,
                    len,
                    line,
                    column,
                }
            };
            let mut unverifiable = false;
            for (key, offset) in &map.keys {
                if key == "..." || key == "[…]" {
                    unverifiable = true;
                    continue;
                }
                if !catalog
                    .sent_by(Direction::ServerToClient)
                    .any(|event| &event.name == key)
                {
                    diagnostics.push(
                        Diagnostic::error("unknown-handler", format!("handler for `{key}`, which is not a catalog event"))
                            .at(file, at(*offset, key.len()), "no such event")
                            .help("remove the handler, or fix its name: a handler for an event nothing emits hides the real name"),
                    );
                }
            }
            if unverifiable {
                let mut diagnostic = Diagnostic::error(
                    "unverifiable-handlers",
                    "this handler map has spread or computed keys, so its events cannot be listed",
                )
                .at(file, at(map.start, 1), "keys not visible here")
                .help("list one handler per event in the literal; tsc still checks the type");
                diagnostic.severity = Severity::Warning;
                diagnostics.push(diagnostic);
                continue;
            }
            for event in catalog.sent_by(Direction::ServerToClient) {
                if !map.keys.iter().any(|(key, _)| key == &event.name) {
                    diagnostics.push(
                        Diagnostic::error("unhandled-event", format!("the handler map has no entry for `{}`", event.name))
                            .at(file, at(map.start, 1), "this handler map")
                            .help(format!(
                                "add `{}: (payload) => ...`, or `{}: IGNORE` if the client deliberately ignores it",
                                event.name, event.name
                            )),
                    );
                }
            }
        }
    }
    if !found_any && !switch_cases.is_empty() {
        diagnostics.extend(switch_drift(catalog, &switch_cases));
    } else if !found_any {
        let mut diagnostic = Diagnostic::error(
            "no-handler-map",
            format!("no `{define_function}(...)` or `{handlers_type}` handler map, nor a `switch` on the event type, in the frontend sources"),
        )
        .help(format!(
            "register the handlers with `{define_function}({{ ... }})` so every event has exactly one"
        ));
        if let Some((_, origin)) = drift.frontend_sources.first() {
            diagnostic = diagnostic.at_location(*origin, "scanned here");
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

fn typecheck(sources: &mut Sources, tsconfig: &Path, tsc: Option<&Path>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    match tsc::run(tsconfig, tsc) {
        tsc::Outcome::Unavailable => {
            let mut diagnostic = Diagnostic::error(
                "typescript-unavailable",
                format!(
                    "the frontend was not type-checked: no TypeScript installed at or above `{}`",
                    tsconfig.display()
                ),
            )
            .help("run `npm ci` where the frontend's packages are installed, or name the compiler with `drift.frontend.tsc`");
            diagnostic.severity = Severity::Warning;
            diagnostics.push(diagnostic);
        }
        tsc::Outcome::Failed(message) => {
            diagnostics.push(Diagnostic::error("typescript-failed", message))
        }
        tsc::Outcome::Ran(errors) => {
            for error in errors {
                let mut diagnostic = Diagnostic::error("typescript-error", error.message.clone())
                    .help("the generated types reject this frontend code: fix the handler, or the catalog");
                if let Some(file) = read(sources, &error.file, &mut diagnostics) {
                    let text = &sources.get(file).text;
                    let start = byte_offset_of(text, error.line, error.column).unwrap_or(0);
                    let span = Span {
                        start,
                        len: 1,
                        line: error.line,
                        column: error.column,
                    };
                    diagnostic = diagnostic.at(file, span, "tsc reports this");
                }
                diagnostics.push(diagnostic);
            }
        }
    }
    diagnostics
}

/// A `case "…":` label of a frontend `switch` on the event type, or a name
/// compared with it (`if (msg.type === "…")`).
struct SwitchCase {
    file: FileId,
    name: String,
    span: Span,
}

/// The switch-case labels of one frontend file that has no handler map.
fn switch_cases_in(file: FileId, text: &str, path: &std::path::Path) -> Vec<SwitchCase> {
    crate::code::handled_names(text, path)
        .into_iter()
        .filter(|site| {
            matches!(
                site.kind,
                crate::code::SiteKind::SwitchCase | crate::code::SiteKind::TypeComparison
            )
        })
        .map(|site| {
            let (line, column) = (site.line as u64, site.column as u64);
            let start = byte_offset_of(text, line, column).unwrap_or(0);
            SwitchCase {
                file,
                span: Span {
                    start,
                    len: site.name.len() + 2,
                    line,
                    column,
                },
                name: site.name,
            }
        })
        .collect()
}

/// A frontend that handles events in `switch` statements or `if` chains on
/// the type instead of a handler map: every event needs a `case` (or a
/// comparison), and every one an event.
/// (A handler map is still better: tsc then proves it complete.)
fn switch_drift(catalog: &Catalog, cases: &[SwitchCase]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for case in cases {
        if !catalog
            .sent_by(Direction::ServerToClient)
            .any(|event| event.name == case.name)
        {
            diagnostics.push(
                Diagnostic::error("unknown-handler", format!("`{}` is handled here but is not a catalog event", case.name))
                    .at(case.file, case.span, "no such event")
                    .help("remove it, or fix its name: a handler for an event nothing emits hides the real name"),
            );
        }
    }
    let first = &cases[0];
    for event in catalog.sent_by(Direction::ServerToClient) {
        if !cases.iter().any(|case| case.name == event.name) {
            diagnostics.push(
                Diagnostic::error("unhandled-event", format!("no `case` or type comparison handles `{}`", event.name))
                    .at(first.file, first.span, "where the frontend tells events apart")
                    .help(format!(
                        "handle `\"{}\"` there, or register the handlers with `define{}Handlers` so tsc checks that every event has one",
                        event.name, catalog.channel_ident
                    )),
            );
        }
    }
    diagnostics
}
