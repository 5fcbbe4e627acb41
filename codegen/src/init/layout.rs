//! Where a new project's files go, from what the repository already has:
//! a Cargo workspace or none, a frontend with its `tsconfig.json`, the
//! directories whose code emits and handles events.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Options, scan};
use crate::project::Marker;

/// Output and drift paths of a new project, relative to the root.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Where the project settings go.
    pub marker: Marker,
    /// The generated Rust crate, for a repository with Rust in it.
    pub rust_dir: Option<PathBuf>,
    /// The generated TypeScript module.
    pub typescript: Option<PathBuf>,
    /// Whether the module needs a `package.json` of its own (no npm package holds it).
    pub package_json: bool,
    /// The taxonomy page.
    pub docs: PathBuf,
    /// Rust source directories that emit events.
    pub rust_sources: Vec<PathBuf>,
    /// Emit functions with their event-name argument.
    pub emit_functions: Vec<(String, usize)>,
    /// Frontend source directories that handle events.
    pub frontend_sources: Vec<PathBuf>,
    /// The frontend's `tsconfig.json`.
    pub tsconfig: Option<PathBuf>,
    /// Whether the drift paths came from code that already uses the events
    /// (`--from-code`), so `check` can guard them from the start.
    pub drift_active: bool,
}

/// Directories that usually hold a web frontend, checked in this order.
const FRONTEND_DIRS: &[&str] = &[
    "frontend",
    "web",
    "client",
    "app",
    "ui",
    "packages/web",
    "packages/frontend",
    ".",
];

impl Layout {
    /// The layout for `options.root`, using the scan's findings when there is one.
    pub fn detect(options: &Options, scan: Option<&scan::Scan>) -> Layout {
        let root = &options.root;
        let channel = &options.channel;
        let has_rust = root.join("Cargo.toml").is_file()
            || scan.is_some_and(|scan| {
                scan.emits
                    .iter()
                    .any(|site| site.language == scan::Language::Rust)
            });
        let frontend = frontend_dir(root, scan);
        let (typescript, package_json) = typescript_path(root, frontend.as_deref(), channel);
        let mut layout = Layout {
            marker: if is_cargo_workspace(root) {
                Marker::CargoWorkspace
            } else {
                Marker::EventcatToml
            },
            rust_dir: has_rust.then(|| PathBuf::from(format!("generated/{channel}-events"))),
            typescript: Some(typescript),
            package_json,
            docs: if root.join("docs").is_dir() {
                PathBuf::from(format!("docs/{channel}-events.md"))
            } else {
                PathBuf::from(format!("generated/{channel}-events.md"))
            },
            rust_sources: Vec::new(),
            emit_functions: Vec::new(),
            frontend_sources: Vec::new(),
            tsconfig: frontend
                .as_deref()
                .and_then(|dir| scan::find_tsconfig(root, dir)),
            drift_active: scan.is_some(),
        };
        match scan {
            Some(scan) => layout.drift_from_scan(root, scan),
            None => layout.drift_guess(root, frontend.as_deref()),
        }
        layout
    }

    /// Drift paths where the scan found the names.
    fn drift_from_scan(&mut self, root: &Path, scan: &scan::Scan) {
        let rust_emits: Vec<scan::Site> = scan
            .emits
            .iter()
            .filter(|site| site.language == scan::Language::Rust && !site.in_test)
            .cloned()
            .collect();
        self.rust_sources = scan::source_dirs(&rust_emits, scan::Language::Rust);
        // The functions themselves, not the wrappers around them: drift
        // finds one level of wrapper on its own.
        self.emit_functions = scan
            .emit_functions
            .iter()
            .filter(|function| {
                function.language == scan::Language::Rust
                    && function.origin != scan::Origin::Wrapper
            })
            .filter_map(|function| match function.argument {
                scan::Argument::Position(position) => Some((function.name.clone(), position)),
                scan::Argument::Keyword(_) => None,
            })
            .collect();
        self.frontend_sources = scan::source_dirs(&scan.handlers, scan::Language::JavaScript);
        if let Some(first) = self.frontend_sources.first() {
            self.tsconfig = scan::find_tsconfig(root, first).or(self.tsconfig.take());
        }
    }

    /// Without a scan: the usual source directories, for a drift section
    /// the user turns on once the code emits and handles through the
    /// generated types.
    fn drift_guess(&mut self, root: &Path, frontend: Option<&Path>) {
        self.rust_sources = rust_source_dirs(root);
        if let Some(frontend) = frontend {
            let src = frontend.join("src");
            self.frontend_sources = vec![if root.join(&src).is_dir() {
                src
            } else {
                frontend.to_path_buf()
            }];
        }
    }
}

fn is_cargo_workspace(root: &Path) -> bool {
    fs::read_to_string(root.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|manifest| manifest.contains_key("workspace"))
}

/// The frontend: where the scan found handlers, else the first usual
/// directory with a `tsconfig.json`.
fn frontend_dir(root: &Path, scan: Option<&scan::Scan>) -> Option<PathBuf> {
    if let Some(scan) = scan {
        let dirs = scan::source_dirs(&scan.handlers, scan::Language::JavaScript);
        if let Some(dir) = dirs.first() {
            // `frontend/src` → `frontend`, where its package and tsconfig live.
            return Some(package_dir(root, dir));
        }
    }
    FRONTEND_DIRS
        .iter()
        .map(PathBuf::from)
        .find(|dir| root.join(dir).join("tsconfig.json").is_file())
        .map(|dir| {
            if dir == Path::new(".") {
                PathBuf::new()
            } else {
                dir
            }
        })
}

/// The nearest directory at or above `dir` (within the root) with a
/// `package.json` or `tsconfig.json`; `dir` itself when there is none.
fn package_dir(root: &Path, dir: &Path) -> PathBuf {
    let mut current = dir.to_path_buf();
    loop {
        let full = root.join(&current);
        if full.join("package.json").is_file() || full.join("tsconfig.json").is_file() {
            return current;
        }
        if !current.pop() {
            return dir.to_path_buf();
        }
    }
}

/// The TypeScript module: inside the frontend's `src/generated/` where
/// there is a frontend, else `generated/ts/` (with its own `package.json`
/// when no npm package holds it).
fn typescript_path(root: &Path, frontend: Option<&Path>, channel: &str) -> (PathBuf, bool) {
    let file = format!("{channel}.ts");
    match frontend {
        Some(frontend) => {
            let src = frontend.join("src");
            let base = if root.join(&src).is_dir() {
                src
            } else {
                frontend.to_path_buf()
            };
            (base.join("generated").join(file), false)
        }
        None => {
            let in_package = root.join("package.json").is_file();
            (PathBuf::from("generated/ts").join(file), !in_package)
        }
    }
}

/// `src` of the root package and of crates one or two levels down
/// (`backend/src`, `crates/server/src`), skipping generated output.
fn rust_source_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut consider = |dir: PathBuf| {
        if root.join(&dir).join("Cargo.toml").is_file() && root.join(&dir).join("src").is_dir() {
            dirs.push(dir.join("src"));
        }
    };
    consider(PathBuf::new());
    for child in sorted_children(root) {
        if child.starts_with("generated") || child.starts_with("target") {
            continue;
        }
        consider(child.clone());
        for grandchild in sorted_children(&root.join(&child)) {
            consider(child.join(grandchild));
        }
    }
    dirs
}

fn sorted_children(dir: &Path) -> Vec<PathBuf> {
    let mut children: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| PathBuf::from(entry.file_name()))
        .filter(|name| {
            !name.to_string_lossy().starts_with('.') && name != Path::new("node_modules")
        })
        .collect();
    children.sort();
    children
}
