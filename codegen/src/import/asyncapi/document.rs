//! The document and the files its `$ref`s reach, and places in them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Finding;

/// The document and the files its `$ref`s reach, by path.
pub(super) struct Loaded {
    pub(super) root: PathBuf,
    pub(super) files: BTreeMap<PathBuf, Value>,
}

impl Loaded {
    pub(super) fn read(path: &Path) -> Result<Loaded, String> {
        let root = normalise(path);
        let mut loaded = Loaded {
            root: root.clone(),
            files: BTreeMap::new(),
        };
        loaded.file(&root)?;
        Ok(loaded)
    }

    pub(super) fn file(&mut self, path: &Path) -> Result<&Value, String> {
        if !self.files.contains_key(path) {
            let text =
                fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
            let mut value: Value = serde_saphyr::from_str(&text)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            crate::render::proto_keys::restore(&mut value);
            self.files.insert(path.to_path_buf(), value);
        }
        Ok(&self.files[path])
    }

    pub(super) fn document(&self) -> &Value {
        &self.files[&self.root]
    }

    /// Where a `$ref` written in `base` points: its file and JSON pointer.
    pub(super) fn target(&self, base: &Path, reference: &str) -> Place {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file.is_empty() {
            base.to_path_buf()
        } else {
            normalise(&base.parent().unwrap_or(Path::new("")).join(file))
        };
        Place {
            file,
            pointer: pointer.to_string(),
        }
    }

    /// The value at a place, reading its file first if need be.
    pub(super) fn at(&mut self, place: &Place) -> Option<Value> {
        let document = self.file(&place.file).ok()?;
        let pointer = unescape_pointer(&place.pointer);
        if pointer.is_empty() {
            Some(document.clone())
        } else {
            document.pointer(&pointer).cloned()
        }
    }

    /// `value`, or what it refers to when it is a `$ref` (through chains),
    /// with the place it was found.
    pub(super) fn deref(&mut self, place: Place, value: Value) -> (Place, Value) {
        let (mut place, mut value) = (place, value);
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = self.target(&place.file, reference);
            match self.at(&target) {
                Some(found) => (place, value) = (target, found),
                None => break,
            }
        }
        (place, value)
    }

    pub(super) fn show(&self, place: &Place) -> String {
        let base = self.root.parent().unwrap_or(Path::new(""));
        let file = place.file.strip_prefix(base).unwrap_or(&place.file);
        format!("{}#{}", file.display(), place.pointer)
    }
}

/// A file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    pub(super) file: PathBuf,
    pub(super) pointer: String,
}

impl Place {
    /// The top of the document.
    pub(super) fn document(loaded: &Loaded) -> Place {
        Place {
            file: loaded.root.clone(),
            pointer: String::new(),
        }
    }

    pub(super) fn join(&self, segment: &str) -> Place {
        let escaped = segment.replace('~', "~0").replace('/', "~1");
        Place {
            file: self.file.clone(),
            pointer: format!("{}/{escaped}", self.pointer),
        }
    }
}

pub(super) fn unescape_pointer(pointer: &str) -> String {
    // `$ref`s may percent-encode; JSON pointers escape `/` and `~`.
    pointer
        .replace("%24", "$")
        .replace("%7B", "{")
        .replace("%7D", "}")
}

pub(super) fn check_version(loaded: &Loaded, findings: &mut Vec<Finding>) -> Result<(), String> {
    let version = loaded.document()["asyncapi"].as_str().unwrap_or_default();
    if version.starts_with("3.") {
        return Ok(());
    }
    if version.starts_with("2.") {
        findings.push(Finding {
            at: format!("{}#/asyncapi", loaded.root.display()),
            message: format!(
                "AsyncAPI {version}: `publish` is read as what the application receives and `subscribe` as what it sends (2.x's meaning); convert the document with `asyncapi convert` for the 3.0 operations"
            ),
        });
        return Ok(());
    }
    Err(format!(
        "{} is not an AsyncAPI 3 document (`asyncapi: {version}`); eventcat imports 3.0 and 3.1, and 2.6 with notes",
        loaded.root.display()
    ))
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

pub(super) fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "schema".into(),
        |stem| stem.to_string_lossy().into_owned(),
    )
}

/// `a/b/../c` as `a/c`.
pub(super) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
