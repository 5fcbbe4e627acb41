//! Writes a planned `init`: every new file or none, and never over a file
//! that exists. The one file `init` changes, a workspace's `Cargo.toml`,
//! only gains a table at its end, and is replaced in one rename.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Plan;
use crate::project::{EVENTCAT_TOML, Marker};

/// Writes `plan` below `root`; returns the files created or changed.
pub fn write(root: &Path, plan: &Plan) -> Result<Vec<PathBuf>, String> {
    let mut new_files: Vec<(PathBuf, &str)> = plan
        .files
        .iter()
        .map(|(path, text)| (path.clone(), text.as_str()))
        .collect();
    if plan.marker == Marker::EventcatToml {
        new_files.push((PathBuf::from(EVENTCAT_TOML), &plan.settings));
    }
    let manifest = match plan.marker {
        Marker::CargoWorkspace => Some(extended_manifest(root, &plan.settings)?),
        Marker::EventcatToml => None,
    };
    let mut created = create_files(root, &new_files).map_err(|existing| {
        format!("{existing}; move them away or pass `--dir` for another catalog directory")
    })?;
    if let Some(manifest) = manifest {
        replace(&root.join("Cargo.toml"), &manifest).map_err(|error| {
            for done in &created {
                let _ = fs::remove_file(root.join(done));
            }
            format!("Cargo.toml: {error}; nothing was written")
        })?;
        created.push(PathBuf::from("Cargo.toml"));
    }
    Ok(created)
}

/// Creates every file of `files` below `root`, or none: a file that exists
/// already is never replaced. Returns the paths created.
pub fn create_files<T: AsRef<str>>(
    root: &Path,
    files: &[(PathBuf, T)],
) -> Result<Vec<PathBuf>, String> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| root.join(path).exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "eventcat writes only new files, and these exist: {}",
            existing.join(", ")
        ));
    }
    let mut created = Vec::new();
    for (path, text) in files {
        if let Err(error) = create_new(&root.join(path), text.as_ref()) {
            for done in &created {
                let _ = fs::remove_file(root.join(done));
            }
            return Err(format!("{}: {error}; nothing was written", path.display()));
        }
        created.push(path.clone());
    }
    Ok(created)
}

/// The workspace manifest with eventcat's table appended, checked to parse.
fn extended_manifest(root: &Path, table: &str) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let mut extended = text.clone();
    if !extended.ends_with('\n') {
        extended.push('\n');
    }
    extended.push_str(table);
    let parsed: Result<toml::Table, _> = extended.parse();
    let has_table = parsed
        .as_ref()
        .ok()
        .and_then(|manifest| manifest.get("workspace")?.get("metadata")?.get("eventcat"))
        .is_some();
    if !has_table {
        return Err(format!(
            "cannot add `[workspace.metadata.eventcat]` to {} as it is written; add it by hand:\n{table}",
            path.display()
        ));
    }
    Ok(extended)
}

/// Creates `path` with `text`, failing if it exists: written to a temporary
/// file first and hard-linked into place, which never replaces a file.
fn create_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let temporary = temporary(path);
    fs::write(&temporary, text)?;
    let linked = fs::hard_link(&temporary, path);
    let _ = fs::remove_file(&temporary);
    linked
}

/// Replaces `path` with `text` in one rename.
fn replace(path: &Path, text: &str) -> io::Result<()> {
    let temporary = temporary(path);
    fs::write(&temporary, text)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.eventcat-init.tmp", std::process::id()))
}
