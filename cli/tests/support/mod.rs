//! Scratch repositories outside this one, and the built `eventcat` binary
//! to run in them.

#![allow(dead_code)] // each test file uses a different part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A repository in the system's temp directory, removed when dropped.
pub struct Repo {
    pub dir: PathBuf,
}

impl Repo {
    /// An empty repository named after the test.
    pub fn new(name: &str) -> Repo {
        let dir =
            std::env::temp_dir().join(format!("eventcat-adopt-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let dir = fs::canonicalize(&dir).unwrap();
        assert!(
            !dir.starts_with(repository()),
            "scratch repositories live outside this repository"
        );
        Repo { dir }
    }

    /// Writes `text` to `path` (relative), creating directories.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.dir.join(path).exists()
    }

    /// Replaces `from` by `to` in `path`, which must contain it.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} has no `{from}`:\n{text}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// `eventcat <args>` in the repository's root.
    pub fn eventcat(&self, args: &[&str]) -> Output {
        self.eventcat_in("", args)
    }

    /// `eventcat <args>` in a subdirectory.
    pub fn eventcat_in(&self, subdirectory: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_eventcat"))
            .args(args)
            .current_dir(self.dir.join(subdirectory))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Every file below the root with its bytes, sorted (for "nothing changed").
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.dir, &self.dir, &mut files);
        files.sort();
        files
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("node_modules") && !path.ends_with("target") {
                collect(root, &path, files);
            }
        } else {
            files.push((
                path.strip_prefix(root).unwrap().to_path_buf(),
                fs::read(&path).unwrap(),
            ));
        }
    }
}

/// This repository's root.
pub fn repository() -> PathBuf {
    fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap()
}

/// A TypeScript compiler installed in this repository (by `npm ci` in
/// `tests/ts` or `examples/board-client`), to type-check scratch frontends.
pub fn typescript_modules() -> Option<PathBuf> {
    [
        "tests/ts/node_modules",
        "examples/board-client/node_modules",
    ]
    .iter()
    .map(|dir| repository().join(dir))
    .find(|dir| dir.join(".bin/tsc").exists())
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the command succeeded, showing its stderr when not.
#[track_caller]
pub fn succeeds(output: &Output) -> String {
    let text = stderr(output);
    assert!(output.status.success(), "expected success, got:\n{text}");
    text
}

/// Asserts the command failed with exit code 1.
#[track_caller]
pub fn fails(output: &Output) -> String {
    let text = stderr(output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected failure, got:\n{text}"
    );
    text
}

#[path = "../../../tests/support/corpora.rs"]
mod corpora_lookup;

/// The public corpora of real event schemas (see `tests/support/corpora.rs`).
pub fn corpora() -> PathBuf {
    corpora_lookup::find(&repository())
}
