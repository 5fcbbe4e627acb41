//! The project eventcat runs in: its root, found by walking up from the
//! working directory to the nearest marker, the catalogs it lists and the
//! command it runs eventcat with.
//!
//! Two markers: a `Cargo.toml` with `[workspace.metadata.eventcat]` (a Rust
//! workspace) or an `eventcat.toml` (any repository, e.g. a Node or Python
//! backend). Both hold the same settings:
//!
//! ```toml
//! catalogs = ["eventcat/board.yaml"]   # relative to the root
//! command = "cargo xtask"              # what generated headers tell people to run
//! ```

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Catalog, ManifestValue, ToolCommand};
use crate::source::{Sources, Span};

/// The settings file of a repository whose root has no Cargo workspace.
pub const EVENTCAT_TOML: &str = "eventcat.toml";

/// The edition a generated crate gets when neither the catalog nor the
/// workspace names one: the oldest the generated code compiles with.
pub const DEFAULT_EDITION: &str = "2021";

/// Which file marks the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `Cargo.toml` with `[workspace.metadata.eventcat]`.
    CargoWorkspace,
    /// `eventcat.toml`.
    EventcatToml,
}

impl Marker {
    /// The marker's file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Marker::CargoWorkspace => "Cargo.toml",
            Marker::EventcatToml => EVENTCAT_TOML,
        }
    }

    /// Where the settings sit inside the marker file, for messages.
    pub fn table(self) -> &'static str {
        match self {
            Marker::CargoWorkspace => "[workspace.metadata.eventcat]",
            Marker::EventcatToml => "eventcat.toml",
        }
    }
}

/// A project: where it is and what it asks for.
#[derive(Debug, Clone)]
pub struct Project {
    /// The directory holding the marker; paths are shown relative to it.
    pub root: PathBuf,
    /// The marker found there.
    pub marker: Marker,
    /// The catalog settings files, absolute.
    pub catalogs: Vec<PathBuf>,
    /// The command generated headers and hints name.
    pub command: ToolCommand,
}

/// The settings, the same in both markers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    catalogs: Vec<PathBuf>,
    #[serde(default)]
    command: Option<String>,
}

/// Finds the project whose root is `start` or its nearest ancestor with a
/// marker. `default_command` is the entry point's own (`eventcat` or
/// `cargo xtask`), used when the settings name none.
pub fn discover(
    start: &Path,
    default_command: &str,
    sources: &mut Sources,
) -> Result<Project, Box<Diagnostic>> {
    let start = absolute(start);
    for directory in start.ancestors() {
        if let Some(marker) = marker_at(directory)? {
            return read(directory, marker, default_command, sources);
        }
    }
    Err(Box::new(
        Diagnostic::error(
            "no-project",
            format!(
                "no eventcat project in `{}` or any directory above it",
                start.display()
            ),
        )
        .note("a project root holds `eventcat.toml`, or a `Cargo.toml` with `[workspace.metadata.eventcat]`")
        .help("run `eventcat init` at the repository's root, or pass `--root DIR`"),
    ))
}

/// The project rooted exactly at `root` (`--root DIR`).
pub fn at(
    root: &Path,
    default_command: &str,
    sources: &mut Sources,
) -> Result<Project, Box<Diagnostic>> {
    let root = absolute(root);
    match marker_at(&root)? {
        Some(marker) => read(&root, marker, default_command, sources),
        None => Err(Box::new(
            Diagnostic::error(
                "no-project",
                format!("`{}` is not an eventcat project root", root.display()),
            )
            .note("a project root holds `eventcat.toml`, or a `Cargo.toml` with `[workspace.metadata.eventcat]`")
            .help("run `eventcat init` there first"),
        )),
    }
}

/// Which marker `directory` holds, if any; both at once is an error, since
/// the two lists would disagree sooner or later.
fn marker_at(directory: &Path) -> Result<Option<Marker>, Box<Diagnostic>> {
    let has_toml = directory.join(EVENTCAT_TOML).is_file();
    let has_cargo = cargo_settings_text(directory).is_some();
    match (has_toml, has_cargo) {
        (true, true) => Err(Box::new(
            Diagnostic::error(
                "two-project-markers",
                format!(
                    "both `eventcat.toml` and `[workspace.metadata.eventcat]` in `Cargo.toml` configure `{}`",
                    directory.display()
                ),
            )
            .help("keep one: move the settings into `Cargo.toml` and delete `eventcat.toml`, or the other way round"),
        )),
        (true, false) => Ok(Some(Marker::EventcatToml)),
        (false, true) => Ok(Some(Marker::CargoWorkspace)),
        (false, false) => Ok(None),
    }
}

/// The text of `directory/Cargo.toml` when it names eventcat's table. A
/// quick textual look first: most manifests up the tree are not ours.
fn cargo_settings_text(directory: &Path) -> Option<String> {
    let text = fs::read_to_string(directory.join("Cargo.toml")).ok()?;
    let mentions = text.contains("metadata.eventcat") || text.contains("[workspace.metadata]");
    mentions
        .then(|| toml::from_str::<CargoManifest>(&text).ok())
        .flatten()
        .and_then(|manifest| manifest.workspace?.metadata?.eventcat)
        .map(|_| text)
}

#[derive(Deserialize)]
struct CargoManifest {
    workspace: Option<CargoWorkspace>,
}

#[derive(Deserialize)]
struct CargoWorkspace {
    metadata: Option<CargoMetadata>,
    package: Option<toml::Table>,
}

#[derive(Deserialize)]
struct CargoMetadata {
    eventcat: Option<toml::Value>,
}

fn read(
    root: &Path,
    marker: Marker,
    default_command: &str,
    sources: &mut Sources,
) -> Result<Project, Box<Diagnostic>> {
    let path = root.join(marker.file_name());
    let text = fs::read_to_string(&path).map_err(|error| {
        Box::new(Diagnostic::error(
            "unreadable-file",
            format!("cannot read `{}`: {error}", path.display()),
        ))
    })?;
    let settings = parse_settings(marker, &text).map_err(|(message, span)| {
        let file = sources.add(&path, text.clone());
        let span = span
            .map(|range| span_of(&sources.get(file).text, range))
            .unwrap_or_default();
        Box::new(
            Diagnostic::error("invalid-project-settings", format!("{}: {message}", marker.table()))
                .at(file, span, "here")
                .help("the settings are `catalogs = [\"<catalog>.yaml\", ...]` and optionally `command = \"eventcat\"` or `\"cargo xtask\"`"),
        )
    })?;
    Ok(Project {
        root: root.to_path_buf(),
        marker,
        catalogs: settings
            .catalogs
            .iter()
            .map(|path| root.join(path))
            .collect(),
        command: ToolCommand(
            settings
                .command
                .unwrap_or_else(|| default_command.to_string()),
        ),
    })
}

/// The settings from the marker's text, or what is wrong and where.
fn parse_settings(
    marker: Marker,
    text: &str,
) -> Result<Settings, (String, Option<std::ops::Range<usize>>)> {
    let failed = |error: toml::de::Error| (error.message().to_string(), error.span());
    match marker {
        Marker::EventcatToml => toml::from_str(text).map_err(failed),
        Marker::CargoWorkspace => {
            let manifest: CargoManifest = toml::from_str(text).map_err(failed)?;
            let value = manifest
                .workspace
                .and_then(|workspace| workspace.metadata)
                .and_then(|metadata| metadata.eventcat)
                .ok_or_else(|| ("the table is missing".to_string(), None))?;
            // Spans inside a re-read value are lost; the message names the key.
            Settings::deserialize(value).map_err(|error| (error.message().to_string(), None))
        }
    }
}

fn span_of(text: &str, range: std::ops::Range<usize>) -> Span {
    let start = range.start.min(text.len());
    let line = text[..start].matches('\n').count() as u64 + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    Span {
        start,
        len: range.len().max(1).min(text.len() - start),
        line,
        column: text[line_start..start].chars().count() as u64 + 1,
    }
}

fn absolute(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Project {
    /// Loads and validates a catalog of this project, with the project's
    /// command in its headers and the crate manifest completed from the
    /// enclosing workspace.
    pub fn build(
        &self,
        sources: &mut Sources,
        catalog_path: &Path,
    ) -> Result<Catalog, Vec<crate::diagnostic::Diagnostic>> {
        let mut catalog = crate::validated(sources, catalog_path)?;
        catalog.outputs.command = self.command.clone();
        if let Some(rust) = &mut catalog.outputs.rust {
            let inherited = workspace_package_keys(&self.root, &rust.dir);
            rust.manifest = complete_manifest(&rust.manifest, &inherited);
        }
        Ok(catalog)
    }
}

/// The manifest keys of a generated crate, in Cargo's usual order: what
/// the catalog sets, else inherited where the workspace defines it, else
/// (the edition only) [`DEFAULT_EDITION`].
pub fn complete_manifest(
    explicit: &[(&'static str, ManifestValue)],
    inherited: &BTreeSet<String>,
) -> Vec<(&'static str, ManifestValue)> {
    const KEYS: [&str; 5] = ["version", "edition", "rust-version", "license", "publish"];
    KEYS.iter()
        .filter_map(|&key| {
            let set = explicit.iter().find(|(name, _)| *name == key);
            let value = match set {
                Some((_, value)) => value.clone(),
                None if inherited.contains(key) => ManifestValue::Workspace,
                None if key == "edition" => ManifestValue::Text(DEFAULT_EDITION.to_string()),
                None => return None,
            };
            Some((key, value))
        })
        .collect()
}

/// The `[workspace.package]` keys of the Cargo workspace that holds
/// `crate_dir`: the nearest `Cargo.toml` with `[workspace]` above it, no
/// higher than `root` (so a stray manifest outside the project never
/// changes what is generated).
pub fn workspace_package_keys(root: &Path, crate_dir: &Path) -> BTreeSet<String> {
    let root = absolute(root);
    let mut directory = crate_dir.parent().map(absolute);
    while let Some(current) = directory {
        if !current.starts_with(&root) {
            break;
        }
        let manifest = fs::read_to_string(current.join("Cargo.toml"))
            .ok()
            .and_then(|text| toml::from_str::<CargoManifest>(&text).ok());
        if let Some(workspace) = manifest.and_then(|manifest| manifest.workspace) {
            return workspace
                .package
                .map(|package| package.keys().cloned().collect())
                .unwrap_or_default();
        }
        directory = current.parent().map(Path::to_path_buf);
    }
    BTreeSet::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    fn scratch(name: &str) -> TestDir {
        let dir = TestDir::new(&format!("project-{name}"));
        fs::create_dir_all(dir.join("backend/src")).unwrap();
        dir
    }

    fn discover_from(start: &Path) -> Result<Project, Box<Diagnostic>> {
        discover(start, "eventcat", &mut Sources::new(start))
    }

    #[test]
    fn the_nearest_marker_above_the_start_is_the_root() {
        let dir = scratch("walk");
        fs::write(
            dir.join(EVENTCAT_TOML),
            "catalogs = [\"eventcat/app.yaml\"]\n",
        )
        .unwrap();
        let project = discover_from(&dir.join("backend/src")).unwrap();
        assert_eq!(project.root, *dir);
        assert_eq!(project.marker, Marker::EventcatToml);
        assert_eq!(project.catalogs, [dir.join("eventcat/app.yaml")]);
        assert_eq!(project.command.generate(), "eventcat gen");
    }

    #[test]
    fn a_cargo_workspace_with_metadata_is_a_root_and_names_its_command() {
        let dir = scratch("cargo");
        fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nmembers = [\"backend\"]\n\n[workspace.metadata.eventcat]\ncatalogs = [\"schema/board.yaml\"]\ncommand = \"cargo xtask\"\n",
        )
        .unwrap();
        // A package manifest on the way up is not a root.
        fs::write(
            dir.join("backend/Cargo.toml"),
            "[package]\nname = \"backend\"\n",
        )
        .unwrap();
        let project = discover_from(&dir.join("backend/src")).unwrap();
        assert_eq!(project.root, *dir);
        assert_eq!(project.marker, Marker::CargoWorkspace);
        assert_eq!(project.command.check(), "cargo xtask check");
    }

    #[test]
    fn no_marker_and_two_markers_are_errors() {
        let dir = scratch("none");
        let error = discover(&dir, "eventcat", &mut Sources::new(&dir));
        // Some ancestor of the temp dir could be a project; only assert when none is.
        if let Err(error) = error {
            assert_eq!(error.rule, "no-project");
        }
        fs::write(dir.join(EVENTCAT_TOML), "catalogs = []\n").unwrap();
        fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\n[workspace.metadata.eventcat]\ncatalogs = []\n",
        )
        .unwrap();
        assert_eq!(discover_from(&dir).unwrap_err().rule, "two-project-markers");
    }

    #[test]
    fn a_misspelt_setting_is_located() {
        let dir = scratch("misspelt");
        fs::write(dir.join(EVENTCAT_TOML), "\ncatalog = [\"a.yaml\"]\n").unwrap();
        let mut sources = Sources::new(&dir);
        let error = discover(&dir, "eventcat", &mut sources).unwrap_err();
        assert_eq!(error.rule, "invalid-project-settings");
        assert_eq!(error.location.unwrap().span.line, 2);
        assert!(error.message.contains("catalog"), "{}", error.message);
    }

    #[test]
    fn manifest_keys_come_from_the_catalog_then_the_workspace() {
        let dir = scratch("inherit");
        fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\n\n[workspace.package]\nedition = \"2024\"\nlicense = \"MIT\"\n",
        )
        .unwrap();
        let inherited = workspace_package_keys(&dir, &dir.join("generated/rust"));
        assert_eq!(
            inherited,
            BTreeSet::from(["edition".into(), "license".into()])
        );
        let explicit = [
            ("publish", ManifestValue::Flag(false)),
            ("license", ManifestValue::Text("Apache-2.0".into())),
        ];
        assert_eq!(
            complete_manifest(&explicit, &inherited),
            [
                ("edition", ManifestValue::Workspace),
                ("license", ManifestValue::Text("Apache-2.0".into())),
                ("publish", ManifestValue::Flag(false)),
            ]
        );
        // Outside any workspace only the edition is filled in.
        assert_eq!(
            complete_manifest(&[], &BTreeSet::new()),
            [("edition", ManifestValue::Text(DEFAULT_EDITION.into()))]
        );
    }
}
