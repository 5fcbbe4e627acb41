//! One `gen` or `check` run, start to finish: build the catalog, lint its
//! names, check the frozen contract, render, then write or compare.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::contract::{self, Baseline};
use crate::diagnostic::Diagnostic;
use crate::model::Catalog;
use crate::output::{self, OutputFile};
use crate::project::Project;
use crate::source::{Sources, display_path};

/// What a run does with the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `gen`: write every changed file.
    Write,
    /// `check`: compare, write nothing; with `against`, compare the contract
    /// with the lock at that git revision instead of the one on disk.
    Check {
        /// A git revision, e.g. `origin/main`.
        against: Option<String>,
    },
}

/// What a run found and did.
#[derive(Debug)]
pub struct Run {
    /// Every file read, for rendering diagnostics.
    pub sources: Sources,
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Files written (`gen`).
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Run {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Runs the pipeline for every catalog in `catalog_paths` (one per channel)
/// of `project`; paths in diagnostics are shown relative to its root. `gen`
/// writes the outputs of all catalogs in one atomic step, or none of them,
/// and never overwrites a file it did not generate.
pub fn run(project: &Project, catalog_paths: &[PathBuf], mode: &Mode) -> Run {
    let mut run = Run {
        sources: Sources::new(&project.root),
        diagnostics: Vec::new(),
        written: Vec::new(),
        unchanged: 0,
    };
    let mut files: Vec<OutputFile> = Vec::new();
    for catalog_path in catalog_paths {
        if let Some(outputs) = prepare(&mut run, project, catalog_path, mode) {
            merge_outputs(&mut files, outputs, &mut run.diagnostics);
        }
    }
    let foreign = crate::timing::stage("ownership", || {
        output::foreign_files(&run.sources, &files, &project.command)
    });
    files.retain(|file| !foreign.iter().any(|refused| refused.path == file.path));
    run.diagnostics
        .extend(foreign.into_iter().map(|refused| refused.diagnostic));
    // `gen` writes nothing past an error; `check` still compares every file,
    // so one run reports stale output together with everything else.
    if *mode == Mode::Write && run.has_errors() {
        return run;
    }
    match mode {
        Mode::Write => match crate::timing::stage("write", || output::write(&files)) {
            Ok(summary) => {
                run.written = summary.written;
                run.unchanged = summary.unchanged;
            }
            Err(error) => run.diagnostics.push(
                Diagnostic::error(
                    "write-failed",
                    format!("writing the generated files failed: {error}"),
                )
                .note("every output was left as it was")
                .help(format!(
                    "fix the file system problem and run `{}` again",
                    project.command.generate()
                )),
            ),
        },
        Mode::Check { .. } => {
            let stale = crate::timing::stage("compare", || {
                output::check(&mut run.sources, &files, &project.command)
            });
            run.unchanged = files.len() - stale.len();
            run.diagnostics.extend(stale);
        }
    }
    crate::parallel::drop_later(files);
    run
}

/// Builds, lints and checks one catalog and renders its files; `None` when
/// it cannot be rendered.
fn prepare(
    run: &mut Run,
    project: &Project,
    catalog_path: &Path,
    mode: &Mode,
) -> Option<Vec<OutputFile>> {
    let catalog = match project.build(&mut run.sources, catalog_path) {
        Ok(catalog) => catalog,
        Err(diagnostics) => {
            run.diagnostics.extend(diagnostics);
            return None;
        }
    };
    run.diagnostics.extend(catalog.warnings.iter().cloned());
    run.diagnostics
        .extend(crate::timing::stage("naming lint", || {
            crate::naming::lint(&catalog)
        }));
    // `gen` writes nothing past an error, so it renders nothing either.
    let renders = !(*mode == Mode::Write && run.has_errors());
    // Rendering needs only the catalog: it runs on other threads while this
    // one checks the code and the contract against the catalog.
    let (rendered, contract_broken) = crate::parallel::beside(
        || renders.then(|| crate::timing::stage("render", || crate::generate(&catalog))),
        || check_against(run, &catalog, mode),
    );
    // The model is a large tree, and nothing reads it from here on.
    crate::parallel::drop_later(catalog);
    if *mode == Mode::Write && run.has_errors() {
        return None;
    }
    match rendered? {
        // A broken contract is reported once: the lock `gen` would refuse
        // to write is not also stale output.
        Ok(files) if contract_broken => Some(
            files
                .into_iter()
                .filter(|file| file.origin.is_none_or(|origin| origin.setting != "lock"))
                .collect(),
        ),
        Ok(files) => Some(files),
        Err(diagnostics) => {
            run.diagnostics.extend(diagnostics);
            None
        }
    }
}

/// Checks the code (`check` only) and the frozen contract against the
/// catalog, adding the findings to the run; whether the contract is broken.
fn check_against(run: &mut Run, catalog: &Catalog, mode: &Mode) -> bool {
    // Drift is for `check` only: `gen` must work before the code catches up
    // (a new event needs the generated enum before anything can emit it).
    if matches!(mode, Mode::Check { .. }) {
        run.diagnostics.extend(crate::timing::stage("drift", || {
            crate::drift::check(&mut run.sources, catalog)
        }));
    }
    let against = match mode {
        Mode::Check { against } => against.as_deref(),
        Mode::Write => None,
    };
    let baseline = crate::timing::stage("contract: baseline", || {
        baseline(&mut run.sources, catalog, against)
    });
    match baseline {
        Ok(Some(baseline)) => {
            let findings = crate::timing::stage("contract: check", || {
                contract::check(&run.sources, catalog, &baseline)
            });
            let broken = findings.iter().any(Diagnostic::is_error);
            run.diagnostics.extend(findings);
            broken
        }
        Ok(None) => false,
        Err(diagnostic) => {
            run.diagnostics.push(*diagnostic);
            false
        }
    }
}

/// Adds one catalog's files to the run's. Catalogs may share a file only
/// when they generate the same bytes for it (the editor schemas); anything
/// else would make one channel overwrite another's output.
fn merge_outputs(
    files: &mut Vec<OutputFile>,
    outputs: Vec<OutputFile>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for file in outputs {
        match files.iter().find(|seen| seen.path == file.path) {
            Some(seen) if seen.contents == file.contents => {}
            Some(_) => diagnostics.push(
                Diagnostic::error(
                    "output-collision",
                    format!(
                        "two catalogs generate `{}` with different contents",
                        file.path.display()
                    ),
                )
                .help("give each catalog its own `outputs:` paths"),
            ),
            None => files.push(file),
        }
    }
}

/// The lock to compare against: the one on disk, or the one at `against`.
/// `None` when there is no lock yet (the first `gen` creates it).
fn baseline(
    sources: &mut Sources,
    catalog: &Catalog,
    against: Option<&str>,
) -> Result<Option<Baseline>, Box<Diagnostic>> {
    let path = &catalog.outputs.lock;
    let text = match against {
        None => match fs::read_to_string(path) {
            Ok(text) => text,
            Err(_) => return Ok(None),
        },
        Some(revision) => match lock_at_revision(path, revision)? {
            Some(text) => text,
            None => return Ok(None),
        },
    };
    let shown = match against {
        Some(revision) => PathBuf::from(format!(
            "{} (at {revision})",
            display_path(sources.root(), path)
        )),
        None => path.clone(),
    };
    contract::read_baseline(sources, &shown, text).map(Some)
}

/// The lock's text at a git revision, or `None` when it did not exist there.
fn lock_at_revision(path: &Path, revision: &str) -> Result<Option<String>, Box<Diagnostic>> {
    let git_error = |message: String| {
        Box::new(
            Diagnostic::error("git-failed", message)
                .help("`--against` needs a git checkout and a revision it knows, e.g. `origin/main`; fetch it first in CI"),
        )
    };
    let directory = path.parent().unwrap_or(Path::new("."));
    let top = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(directory)
        .output()
        .map_err(|error| git_error(format!("cannot run git: {error}")))?;
    if !top.status.success() {
        return Err(git_error(format!(
            "`{}` is not in a git checkout",
            directory.display()
        )));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let absolute = fs::canonicalize(directory).unwrap_or_else(|_| directory.to_path_buf());
    let top = fs::canonicalize(&top).unwrap_or(top);
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let relative = absolute
        .strip_prefix(&top)
        .map(|dir| dir.join(&file_name))
        .unwrap_or_else(|_| PathBuf::from(&file_name));
    let spec = format!(
        "{revision}:{}",
        relative.to_string_lossy().replace('\\', "/")
    );
    let verify = Command::new("git")
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ])
        .current_dir(&top)
        .output()
        .map_err(|error| git_error(format!("cannot run git: {error}")))?;
    if !verify.status.success() {
        return Err(git_error(format!(
            "git does not know the revision `{revision}`"
        )));
    }
    let show = Command::new("git")
        .args(["show", &spec])
        .current_dir(&top)
        .output()
        .map_err(|error| git_error(format!("cannot run git: {error}")))?;
    if show.status.success() {
        Ok(Some(String::from_utf8_lossy(&show.stdout).into_owned()))
    } else {
        // The revision exists but has no lock: nothing was frozen there.
        Ok(None)
    }
}
