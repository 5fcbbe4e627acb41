//! Writing generated files atomically, and checking them without writing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use similar::TextDiff;

use crate::diagnostic::Diagnostic;
use crate::render::GENERATE_COMMAND;
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
pub fn check(sources: &mut Sources, files: &[OutputFile]) -> Vec<Diagnostic> {
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
                    .help(format!("run `{GENERATE_COMMAND}` and commit the result")),
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
            Diagnostic::error("stale-output", format!("generated file `{shown}` is stale or was edited by hand"))
                .at(id, span, "differs from what the catalog generates")
                .note(format!("diff (on disk → generated):\n{diff}"))
                .help(format!("run `{GENERATE_COMMAND}` and commit the result; change schema/, not generated files")),
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
            OutputFile {
                path: dir.join("a/x.ts"),
                contents: "one\ntwo\n".into(),
            },
            OutputFile {
                path: dir.join("y.md"),
                contents: "y\n".into(),
            },
        ];
        assert_eq!(write(&files).unwrap().written.len(), 2);
        assert_eq!(write(&files).unwrap().unchanged, 2);
        let mut sources = Sources::new(&dir);
        assert!(check(&mut sources, &files).is_empty());

        fs::write(dir.join("a/x.ts"), "one\nTWO\n").unwrap();
        let diagnostics = check(&mut sources, &files);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].rule, "stale-output");
        assert_eq!(diagnostics[0].location.unwrap().span.line, 2);
        assert!(diagnostics[0].notes[0].contains("-TWO"));
        assert_eq!(
            fs::read_to_string(dir.join("a/x.ts")).unwrap(),
            "one\nTWO\n",
            "check never writes"
        );
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = scratch("atomic");
        fs::write(dir.join("first.txt"), "old\n").unwrap();
        // A directory where a file should go makes the second write fail.
        fs::create_dir_all(dir.join("blocked.txt/inner")).unwrap();
        let files = vec![
            OutputFile {
                path: dir.join("first.txt"),
                contents: "new\n".into(),
            },
            OutputFile {
                path: dir.join("blocked.txt"),
                contents: "x\n".into(),
            },
        ];
        assert!(write(&files).is_err());
        assert_eq!(fs::read_to_string(dir.join("first.txt")).unwrap(), "old\n");
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
