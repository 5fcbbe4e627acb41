//! The source files of a repository, in a stable order.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Language, MAX_FILE_SIZE, Scan, relative_to};

/// Directories that hold dependencies, build output or tool state, never
/// the project's own code.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "dist",
    "build",
    "venv",
    "__pycache__",
];

/// A file to scan.
pub(super) struct File {
    /// Relative to the root.
    pub relative: PathBuf,
    pub absolute: PathBuf,
    pub language: Language,
}

/// Every source file under `root`, sorted by path. Symbolic links are not
/// followed, so a link cycle cannot make the walk endless.
pub(super) fn files(root: &Path, exclude: &[PathBuf], scan: &mut Scan) -> Vec<File> {
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|path| relative_to(root, path))
        .collect();
    let mut files = Vec::new();
    // An explicit stack, not recursion: a deep tree cannot overflow it.
    let mut pending = vec![PathBuf::new()];
    while let Some(dir) = pending.pop() {
        let Some(entries) = entries(root, &dir, scan) else {
            continue;
        };
        for (name, file_type) in entries {
            let relative = dir.join(&name);
            if excluded.iter().any(|path| relative.starts_with(path)) {
                continue;
            }
            if file_type.is_dir() && !skipped_dir(&name) {
                pending.push(relative);
            } else if file_type.is_file()
                && let Some(language) = language_of(&name)
                && small_enough(root, &relative, scan)
            {
                let absolute = root.join(&relative);
                files.push(File {
                    relative,
                    absolute,
                    language,
                });
            }
        }
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    files
}

/// The entries of one directory, by name; `None` (reported) when unreadable.
fn entries(root: &Path, dir: &Path, scan: &mut Scan) -> Option<Vec<(String, fs::FileType)>> {
    let reader = match fs::read_dir(root.join(dir)) {
        Ok(reader) => reader,
        Err(error) => {
            let shown = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            scan.problems.push(format!(
                "{}: cannot read directory: {error}",
                shown.display()
            ));
            return None;
        }
    };
    let mut entries: Vec<(String, fs::FileType)> = reader
        .flatten()
        .filter_map(|entry| {
            // A name that is not UTF-8 cannot be a source file we look for.
            let name = entry.file_name().into_string().ok()?;
            Some((name, entry.file_type().ok()?))
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Some(entries)
}

fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_DIRS.contains(&name)
}

fn small_enough(root: &Path, relative: &Path, scan: &mut Scan) -> bool {
    let size = fs::metadata(root.join(relative)).map_or(0, |metadata| metadata.len());
    if size > MAX_FILE_SIZE {
        scan.skipped.too_large += 1;
        return false;
    }
    true
}

/// The language of a file name, if it is a source file we scan.
pub(super) fn language_of(name: &str) -> Option<Language> {
    const DECLARATIONS: &[&str] = &[".d.ts", ".d.mts", ".d.cts"];
    const SCRIPTS: &[&str] = &[".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
    if name.ends_with(".rs") {
        Some(Language::Rust)
    } else if name.ends_with(".py") {
        Some(Language::Python)
    } else if DECLARATIONS.iter().any(|suffix| name.ends_with(suffix)) || name.ends_with(".min.js")
    {
        // Declarations hold no code; minified bundles are build output.
        None
    } else if SCRIPTS.iter().any(|suffix| name.ends_with(suffix)) {
        Some(Language::JavaScript)
    } else {
        None
    }
}
