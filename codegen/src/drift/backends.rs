//! Emit sites of Python and Node backends: the same findings, rule IDs and
//! places as for Rust (`unregistered-event`, `unverifiable-emit`, and the
//! events they emit for `dead-event`), read with the scanner `init` uses:
//! string literals passed to emit functions (and to functions that forward
//! their parameter to one, such as seed 000's `task_run_*` wrapper), test
//! code left out.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{
    EmitNames, Emitted, read, source_files, span_at, uncalled, unregistered, unverifiable,
};
use crate::diagnostic::{Diagnostic, Location};
use crate::init::scan::{ScanOptions, scan_texts};
use crate::model::{Backend, Catalog};
use crate::raw::BackendLanguage;
use crate::source::{FileId, Sources};

/// The file endings a backend's sources have.
fn extensions(language: BackendLanguage) -> &'static [&'static str] {
    match language {
        BackendLanguage::Python => &[".py"],
        BackendLanguage::Node => &[".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"],
    }
}

/// Checks one backend's emit sites and adds the events it emits to `emitted`.
pub(super) fn emit_sites(
    sources: &mut Sources,
    catalog: &Catalog,
    backend: &Backend,
    emitted: &mut Emitted,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut files: HashMap<PathBuf, FileId> = HashMap::new();
    for path in source_files(
        &backend.sources,
        extensions(backend.language),
        &mut diagnostics,
    ) {
        if let Some(file) = read(sources, &path, &mut diagnostics) {
            files.insert(path, file);
        }
    }
    emitted.complete &= diagnostics.is_empty();
    let texts: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(path, file)| (path.clone(), sources.get(*file).text.as_str()))
        .collect();
    let options = ScanOptions {
        emit_functions: backend
            .emit_functions
            .iter()
            .map(|(name, position)| (name.clone(), Some(*position)))
            .collect(),
        exclude: Vec::new(),
    };
    let scan = scan_texts(&texts, &options);
    if diagnostics.is_empty() {
        let origin = backend.sources.first().map(|(_, origin)| *origin);
        diagnostics.extend(scan.uncalled.iter().map(|name| uncalled(name, origin)));
    }
    let names = EmitNames::of(catalog);
    // A name literal is the string with its quotes.
    let place = |path: &PathBuf, line: usize, column: usize, width: usize| {
        let file = files[path];
        let start = proc_macro2::LineColumn {
            line,
            column: column.saturating_sub(1),
        };
        let end = proc_macro2::LineColumn {
            line,
            column: start.column + width,
        };
        (file, span_at(&sources.get(file).text, start, end))
    };
    for site in scan.emits.iter().filter(|site| !site.in_test) {
        let (file, span) = place(
            &site.path,
            site.line,
            site.column,
            site.name.chars().count() + 2,
        );
        match names.names.get(&site.name) {
            Some(event) => {
                emitted
                    .names
                    .entry(event.clone())
                    .or_insert(Location { file, span });
            }
            None => diagnostics.push(unregistered(catalog, file, span, &site.name)),
        }
    }
    for call in scan.unverifiable.iter().filter(|call| !call.in_test) {
        let (file, span) = place(&call.path, call.line, call.column, 1);
        diagnostics.push(unverifiable(None, file, span, &call.function));
    }
    diagnostics
}
