//! The official AsyncAPI parser (`@asyncapi/parser`, pinned in
//! `tests/asyncapi/package-lock.json`) run on documents eventcat writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::workspace_root;

/// The harness directory.
pub fn harness_dir() -> PathBuf {
    workspace_root().join("tests/asyncapi")
}

/// The harness's validator script, installing its packages (`npm ci`) once
/// if they are missing.
fn validator() -> PathBuf {
    static SCRIPT: OnceLock<PathBuf> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let dir = harness_dir();
            let parser = dir.join("node_modules/@asyncapi/parser/package.json");
            if !parser.exists() {
                let lock = fs::File::open(dir.join("package-lock.json")).expect("the harness lock");
                lock.lock().expect("lock tests/asyncapi/package-lock.json");
                if !parser.exists() {
                    let status = Command::new("npm")
                        .args(["ci", "--no-audit", "--no-fund"])
                        .current_dir(&dir)
                        .status()
                        .expect("npm is installed (Node.js 20+)");
                    assert!(status.success(), "npm ci in tests/asyncapi failed");
                }
            }
            dir.join("validate.mjs")
        })
        .clone()
}

/// Runs the parser on every document at once; its report when any is invalid.
pub fn validate(documents: &[&Path]) -> Result<String, String> {
    assert!(!documents.is_empty(), "no documents to validate");
    let output = Command::new("node")
        .arg(validator())
        .args(documents)
        .output()
        .expect("node is installed");
    super::outcome(&output)
}
