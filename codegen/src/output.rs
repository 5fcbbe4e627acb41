//! Writing generated files atomically, and checking them without writing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use similar::TextDiff;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Location;
use crate::model::{Catalog, ToolCommand};
use crate::render::GENERATED_MARKER;
use crate::source::{Sources, Span};

/// How many diff lines a stale-file diagnostic shows.
const DIFF_LINES: usize = 40;

/// A file the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where it goes.
    pub path: PathBuf,
    /// What it contains.
    pub contents: String,
    /// The catalog setting that put it there, for diagnostics about the path.
    pub origin: Option<Origin>,
}

/// The catalog setting an output path comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The setting's key, e.g. `outputs.typescript`.
    pub setting: &'static str,
    /// Where the catalog writes it; `None` for a default.
    pub location: Option<Location>,
}

impl OutputFile {
    /// A file with no setting behind it (tests, tools).
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<String>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: contents.into(),
            origin: None,
        }
    }

    /// A file of `catalog` placed by its output setting `setting`.
    pub fn from_setting(
        catalog: &Catalog,
        setting: &'static str,
        path: PathBuf,
        contents: String,
    ) -> OutputFile {
        let location = catalog.outputs.origins.get(setting).copied();
        OutputFile {
            path,
            contents,
            origin: Some(Origin { setting, location }),
        }
    }
}

/// How many leading bytes of a file may hold [`GENERATED_MARKER`].
const MARKER_WINDOW: usize = 1024;

/// Whether eventcat wrote these bytes: its marker stands near the top.
pub fn is_generated(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(MARKER_WINDOW)];
    head.windows(GENERATED_MARKER.len())
        .any(|window| window == GENERATED_MARKER.as_bytes())
}

/// A file at an output path that eventcat did not generate.
#[derive(Debug)]
pub struct Foreign {
    /// The file.
    pub path: PathBuf,
    /// The error that says so: `gen` refuses to overwrite it (and writes
    /// nothing at all), `check` fails on it.
    pub diagnostic: Diagnostic,
}

/// Every output path that holds a file eventcat did not generate.
pub fn foreign_files(
    sources: &Sources,
    files: &[OutputFile],
    command: &ToolCommand,
) -> Vec<Foreign> {
    files
        .iter()
        .filter(|file| fs::read(&file.path).is_ok_and(|bytes| !is_generated(&bytes)))
        .map(|file| Foreign {
            path: file.path.clone(),
            diagnostic: foreign_file(sources, file, command),
        })
        .collect()
}

fn foreign_file(sources: &Sources, file: &OutputFile, command: &ToolCommand) -> Diagnostic {
    let shown = crate::source::display_path(sources.root(), &file.path);
    let setting = file.origin.map_or("outputs", |origin| origin.setting);
    let mut diagnostic = Diagnostic::error(
        "foreign-output",
        format!(
            "`{shown}` was not written by eventcat; `{}` will not overwrite it",
            command.generate()
        ),
    )
    .note(format!(
        "eventcat overwrites only files whose first lines say `{GENERATED_MARKER}`"
    ));
    if let Some(location) = file.origin.and_then(|origin| origin.location) {
        diagnostic =
            diagnostic.at_location(location, format!("`{setting}` puts a generated file there"));
    }
    let help = if setting == "outputs.package_json" {
        "the TypeScript module sits in an npm package already: remove `outputs.package_json`"
            .to_string()
    } else {
        format!(
            "point `{setting}` at a path of its own, e.g. a `generated/` directory, or move `{shown}` away if it is an old copy of generated output"
        )
    };
    diagnostic.help(help)
}

/// What a write did.
#[derive(Debug, Default)]
pub struct WriteSummary {
    /// Files whose contents changed.
    pub written: Vec<PathBuf>,
    /// Files that were already up to date.
    pub unchanged: usize,
}

/// Writes every file whose contents differ.
///
/// All new contents go to temporary files beside their targets first; only
/// when every one is written are they renamed into place. A failure while
/// staging removes the temporaries; a failure while renaming puts back the
/// files already replaced. Either way every output is left as it was.
///
/// Concurrent writes of the same outputs (two `gen` runs, or two threads)
/// take turns on an exclusive lock of the outputs' common directory, so the
/// tree ends up wholly from one run or the other, never mixed.
pub fn write(files: &[OutputFile]) -> io::Result<WriteSummary> {
    let _lock = lock_outputs(files)?;
    let mut summary = WriteSummary::default();
    let mut staged: Vec<Staged<'_>> = Vec::new();
    if let Err(error) = stage(files, &mut staged, &mut summary) {
        for entry in &staged {
            let _ = fs::remove_file(&entry.temporary);
        }
        return Err(error);
    }
    for (done, entry) in staged.iter().enumerate() {
        if let Err(error) = fs::rename(&entry.temporary, entry.target) {
            for entry in &staged[done..] {
                let _ = fs::remove_file(&entry.temporary);
            }
            for entry in &staged[..done] {
                restore(entry);
            }
            return Err(annotate(error, entry.target));
        }
        summary.written.push(entry.target.to_path_buf());
    }
    Ok(summary)
}

/// A new file's contents, written beside its target and waiting for the rename.
struct Staged<'a> {
    temporary: PathBuf,
    target: &'a Path,
    original: Option<Vec<u8>>,
}

fn stage<'a>(
    files: &'a [OutputFile],
    staged: &mut Vec<Staged<'a>>,
    summary: &mut WriteSummary,
) -> io::Result<()> {
    for file in files {
        let original = match fs::metadata(&file.path) {
            Ok(meta) if meta.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    format!(
                        "{}: a directory is in the way of a generated file",
                        file.path.display()
                    ),
                ));
            }
            Ok(_) => Some(fs::read(&file.path).map_err(|error| annotate(error, &file.path))?),
            Err(_) => None,
        };
        // The run refuses these with a diagnostic first; this guard keeps the
        // promise even for a file that appeared in between.
        if original
            .as_deref()
            .is_some_and(|bytes| !is_generated(bytes))
        {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{}: not written by eventcat, left as it is",
                    file.path.display()
                ),
            ));
        }
        if original.as_deref() == Some(file.contents.as_bytes()) {
            summary.unchanged += 1;
            continue;
        }
        let parent = file.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|error| annotate(error, parent))?;
        let temporary = temporary_path(&file.path);
        staged.push(Staged {
            temporary: temporary.clone(),
            target: &file.path,
            original,
        });
        fs::write(&temporary, &file.contents).map_err(|error| annotate(error, &file.path))?;
    }
    Ok(())
}

/// Puts a replaced file back as it was (or removes a file that was new).
fn restore(entry: &Staged<'_>) {
    match &entry.original {
        Some(bytes) => {
            let _ = fs::write(&entry.temporary, bytes)
                .and_then(|()| fs::rename(&entry.temporary, entry.target));
        }
        None => {
            let _ = fs::remove_file(entry.target);
        }
    }
}

/// A staging path beside `target`, unique per process and per write (two
/// threads of one process must never share a temporary file).
fn temporary_path(target: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{}.{unique}.tmp", std::process::id()))
}

/// The deepest directory that holds every output.
fn common_directory(files: &[OutputFile]) -> Option<PathBuf> {
    let mut common = files.first()?.path.parent()?.to_path_buf();
    for file in &files[1..] {
        while !file.path.starts_with(&common) {
            if !common.pop() {
                return None;
            }
        }
    }
    Some(common)
}

/// Holds an exclusive lock on the outputs' common directory (created if
/// needed) until dropped. It is a `flock`, so it also orders threads of one
/// process, which open the directory separately.
fn lock_outputs(files: &[OutputFile]) -> io::Result<Option<fs::File>> {
    let Some(directory) = common_directory(files) else {
        return Ok(None);
    };
    let directory = if directory.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        directory
    };
    fs::create_dir_all(&directory).map_err(|error| annotate(error, &directory))?;
    // A directory opens read-only on Unix; elsewhere a lock file stands in.
    let handle = if cfg!(unix) {
        fs::File::open(&directory)
    } else {
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(directory.join(".eventcat-gen.lock"))
    }
    .map_err(|error| annotate(error, &directory))?;
    handle.lock().map_err(|error| annotate(error, &directory))?;
    Ok(Some(handle))
}

fn annotate(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// Compares every file with what is on disk, writing nothing. Each stale,
/// hand-edited or missing file becomes a diagnostic at its first differing
/// line, with a short diff.
pub fn check(
    sources: &mut Sources,
    files: &[OutputFile],
    command: &ToolCommand,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for file in files {
        let shown = crate::source::display_path(sources.root(), &file.path);
        let current = match fs::read(&file.path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(
                        "missing-output",
                        format!("generated file `{shown}` is missing"),
                    )
                    .help(format!(
                        "run `{}` and commit the result",
                        command.generate()
                    )),
                );
                continue;
            }
        };
        if current == file.contents {
            continue;
        }
        let line = first_difference(&current, &file.contents);
        let diff = short_diff(&current, &file.contents);
        let id = sources.add(&file.path, current);
        let text = &sources.get(id).text;
        let start = text
            .lines()
            .take(line - 1)
            .map(|l| l.len() + 1)
            .sum::<usize>()
            .min(text.len());
        let len = text[start..].find('\n').unwrap_or(text.len() - start);
        let span = Span {
            start,
            len,
            line: line as u64,
            column: 1,
        };
        diagnostics.push(
            Diagnostic::error(
                "stale-output",
                format!("generated file `{shown}` is stale or was edited by hand"),
            )
            .at(id, span, "differs from what the catalog generates")
            .note(format!("diff (on disk → generated):\n{diff}"))
            .help(format!(
                "run `{}` and commit the result; change the catalog, not generated files",
                command.generate()
            )),
        );
    }
    diagnostics
}

/// The 1-based number of the first line that differs.
fn first_difference(old: &str, new: &str) -> usize {
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    let mut line: usize = 1;
    loop {
        match (old_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (None, None) => return line.saturating_sub(1).max(1),
            _ => return line,
        }
    }
}

fn short_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(2).to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= DIFF_LINES {
        return text.trim_end().to_string();
    }
    format!(
        "{}\n… {} more diff lines",
        lines[..DIFF_LINES].join("\n"),
        lines.len() - DIFF_LINES
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("eventcat-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_only_changes_and_checks_without_writing() {
        let dir = scratch("write");
        let files = vec![
            OutputFile::new(dir.join("a/x.ts"), "// @generated by eventcat\none\ntwo\n"),
            OutputFile::new(dir.join("y.md"), "<!-- @generated by eventcat -->\ny\n"),
        ];
        assert_eq!(write(&files).unwrap().written.len(), 2);
        assert_eq!(write(&files).unwrap().unchanged, 2);
        let mut sources = Sources::new(&dir);
        assert!(check(&mut sources, &files, &ToolCommand::default()).is_empty());

        fs::write(dir.join("a/x.ts"), "// @generated by eventcat\none\nTWO\n").unwrap();
        let diagnostics = check(&mut sources, &files, &ToolCommand::default());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].rule, "stale-output");
        assert_eq!(diagnostics[0].location.unwrap().span.line, 3);
        assert!(diagnostics[0].notes[0].contains("-TWO"));
        assert_eq!(
            fs::read_to_string(dir.join("a/x.ts")).unwrap(),
            "// @generated by eventcat\none\nTWO\n",
            "check never writes"
        );
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = scratch("atomic");
        fs::write(dir.join("first.txt"), "@generated by eventcat\nold\n").unwrap();
        // A directory where a file should go makes the second write fail.
        fs::create_dir_all(dir.join("blocked.txt/inner")).unwrap();
        let files = vec![
            OutputFile::new(dir.join("first.txt"), "new\n"),
            OutputFile::new(dir.join("blocked.txt"), "x\n"),
        ];
        assert!(write(&files).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("first.txt")).unwrap(),
            "@generated by eventcat\nold\n"
        );
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_eventcat_did_not_write_is_never_replaced() {
        let dir = scratch("foreign");
        fs::write(dir.join("package.json"), "{\"name\": \"mine\"}\n").unwrap();
        fs::write(dir.join("old.ts"), "// @generated by eventcat\nold\n").unwrap();
        let files = vec![
            OutputFile::new(dir.join("old.ts"), "// @generated by eventcat\nnew\n"),
            OutputFile::new(dir.join("package.json"), "// @generated by eventcat\n"),
        ];
        let sources = Sources::new(&dir);
        let foreign = foreign_files(&sources, &files, &ToolCommand::default());
        assert_eq!(foreign.len(), 1);
        assert_eq!(foreign[0].path, dir.join("package.json"));
        assert_eq!(foreign[0].diagnostic.rule, "foreign-output");
        // The write itself refuses too, and leaves everything as it was.
        assert!(write(&files).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("package.json")).unwrap(),
            "{\"name\": \"mine\"}\n"
        );
        assert_eq!(
            fs::read_to_string(dir.join("old.ts")).unwrap(),
            "// @generated by eventcat\nold\n"
        );
        assert!(is_generated(b"# @generated by eventcat from a.yaml"));
        assert!(!is_generated(
            &[
                b"x".repeat(MARKER_WINDOW),
                b"@generated by eventcat".to_vec()
            ]
            .concat()
        ));
    }
}
