//! One `gen` or `check` run, start to finish: build the catalog, lint its
//! names, check the frozen contract, render, then write or compare.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::SyncSender;

use crate::contract::{self, Baseline};
use crate::diagnostic::Diagnostic;
use crate::model::{Catalog, ToolCommand};
use crate::output::{self, OutputFile, OutputLock};
use crate::project::Project;
use crate::settle::{Outcome, Settled, Settler};
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
///
/// Each output is settled as soon as it is rendered ([`Settler`]): `gen`
/// stages it beside its target under a lock of the outputs' directory,
/// taken before rendering, and renames every staged file into place at the
/// end; `check` compares it.
pub fn run(project: &Project, catalog_paths: &[PathBuf], mode: &Mode) -> Run {
    let mut run = Run {
        sources: Sources::new(&project.root),
        diagnostics: Vec::new(),
        written: Vec::new(),
        unchanged: 0,
    };
    let mut session = Session {
        settler: match mode {
            Mode::Write => Settler::writing(),
            Mode::Check { .. } => Settler::checking(),
        },
        locks: Vec::new(),
        settled: Vec::new(),
    };
    for catalog_path in catalog_paths {
        prepare(&mut run, &mut session, project, catalog_path, mode);
    }
    let settled = std::mem::take(&mut session.settled);
    let settled = report_refusals(&mut run, settled, &project.command);
    // `gen` writes nothing past an error; `check` still compares every file,
    // so one run reports stale output together with everything else.
    if *mode == Mode::Write && run.has_errors() {
        // Dropped here, not later: each staged file removes its temporary.
        drop(settled);
        return run;
    }
    match mode {
        Mode::Write => crate::timing::stage("write", || commit(&mut run, settled, project)),
        Mode::Check { .. } => crate::timing::stage("compare", || {
            report_out_of_date(&mut run, settled, &project.command)
        }),
    }
    run
}

/// What a run holds across its catalogs: how outputs are settled, the
/// locks on their directories (`gen`), and what became of each output.
struct Session {
    settler: Settler,
    locks: Vec<OutputLock>,
    settled: Vec<Settled>,
}

/// Reports every output at a file eventcat did not write, every output
/// colliding with an earlier one at its path, and a failed staging; the
/// rest, less repeats.
fn report_refusals(run: &mut Run, settled: Vec<Settled>, command: &ToolCommand) -> Vec<Settled> {
    let mut kept = Vec::with_capacity(settled.len());
    let mut failure = None;
    for output in settled {
        match output.outcome {
            Outcome::Foreign => run.diagnostics.push(output::foreign_output(
                &run.sources,
                &output.path,
                output.origin,
                command,
            )),
            Outcome::Collision => run.diagnostics.push(collision(&output.path)),
            Outcome::Repeated => {}
            Outcome::Failed(error) => failure = failure.or(Some(error)),
            _ => kept.push(output),
        }
    }
    if let Some(error) = failure {
        run.diagnostics.push(write_failed(&error, command));
    }
    kept
}

/// Renames every staged output into place, all or none.
fn commit(run: &mut Run, settled: Vec<Settled>, project: &Project) {
    let mut staged = Vec::new();
    for output in settled {
        match output.outcome {
            Outcome::Staged(entry) => staged.push(entry),
            _ => run.unchanged += 1,
        }
    }
    match output::commit(staged) {
        Ok(written) => run.written = written,
        Err(error) => {
            run.unchanged = 0;
            run.diagnostics.push(write_failed(&error, &project.command));
        }
    }
}

/// Reports every output whose file is stale or missing (`check`).
fn report_out_of_date(run: &mut Run, settled: Vec<Settled>, command: &ToolCommand) {
    for output in settled {
        match output.outcome {
            Outcome::OutOfDate(contents) => run.diagnostics.push(output::out_of_date(
                &mut run.sources,
                &output.path,
                &contents,
                command,
            )),
            _ => run.unchanged += 1,
        }
    }
}

fn write_failed(error: &std::io::Error, command: &ToolCommand) -> Diagnostic {
    Diagnostic::error(
        "write-failed",
        format!("writing the generated files failed: {error}"),
    )
    .note("every output was left as it was")
    .help(format!(
        "fix the file system problem and run `{}` again",
        command.generate()
    ))
}

fn collision(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "output-collision",
        format!(
            "two catalogs generate `{}` with different contents",
            path.display()
        ),
    )
    .help("give each catalog its own `outputs:` paths")
}

/// Builds, lints and checks one catalog, and renders and settles its
/// files, unless `gen` has met an error.
fn prepare(
    run: &mut Run,
    session: &mut Session,
    project: &Project,
    catalog_path: &Path,
    mode: &Mode,
) {
    let catalog = match project.build(&mut run.sources, catalog_path) {
        Ok(catalog) => catalog,
        Err(diagnostics) => {
            run.diagnostics.extend(diagnostics);
            return;
        }
    };
    run.diagnostics.extend(catalog.warnings.iter().cloned());
    run.diagnostics
        .extend(crate::timing::stage("naming lint", || {
            crate::naming::lint(&catalog)
        }));
    // `gen` writes nothing past an error, so it renders nothing either.
    let renders = !(*mode == Mode::Write && run.has_errors());
    if renders
        && *mode == Mode::Write
        && let Err(error) = lock(&mut session.locks, &catalog)
    {
        run.diagnostics.push(write_failed(&error, &project.command));
        return;
    }
    // Rendering needs only the catalog: it runs on other threads while this
    // one checks the code and the contract against the catalog. The lock's
    // renderer says whether the lock on disk is the one the catalog makes,
    // as soon as it has compared them (dropping the sender says nothing).
    let settler = &session.settler;
    let (lock_sender, lock_receiver) = std::sync::mpsc::sync_channel(1);
    let model = &catalog;
    let (rendered, contract_broken) = crate::parallel::beside(
        move || {
            renders.then(|| {
                crate::timing::stage("render", || {
                    crate::generate_with(model, |file| settle(settler, file, &lock_sender))
                })
            })
        },
        || check_against(run, &catalog, mode, || lock_receiver.recv() == Ok(true)),
    );
    // The model is a large tree, and nothing reads it from here on.
    crate::parallel::drop_later(catalog);
    match rendered {
        // A broken contract is reported once: the lock `gen` would refuse
        // to write is not also stale output.
        Some(Ok(settled)) => session.settled.extend(settled.into_iter().filter(|output| {
            !contract_broken
                || output
                    .origin
                    .is_none_or(|origin| origin.setting != crate::LOCK_SETTING)
        })),
        Some(Err(diagnostics)) => run.diagnostics.extend(diagnostics),
        None => {}
    }
}

/// Settles `file`; for the lock, also sends whether it was up to date.
fn settle(settler: &Settler, file: OutputFile, lock_sender: &SyncSender<bool>) -> Settled {
    let is_lock = file
        .origin
        .is_some_and(|origin| origin.setting == crate::LOCK_SETTING);
    let settled = settler.settle(file);
    if is_lock {
        let _ = lock_sender.try_send(matches!(settled.outcome, Outcome::UpToDate));
    }
    settled
}

/// Locks the common directory of `catalog`'s outputs for the rest of the
/// run (`gen`), unless the run holds that lock already.
fn lock(locks: &mut Vec<OutputLock>, catalog: &Catalog) -> std::io::Result<()> {
    let places = crate::output_places(catalog);
    let Some(directory) = output::common_directory(places.iter().map(PathBuf::as_path)) else {
        return Ok(());
    };
    if !locks.iter().any(|held| held.directory == directory) {
        locks.push(output::lock_directory(directory)?);
    }
    Ok(())
}

/// Checks the code (`check` only) and the frozen contract against the
/// catalog, adding the findings to the run; whether the contract is broken.
/// `lock_unchanged` waits for the rendered lock and tells whether the lock
/// on disk is the same, byte for byte: then the contract holds, since the
/// lock records all of it, and the lock is neither read nor compared.
fn check_against(
    run: &mut Run,
    catalog: &Catalog,
    mode: &Mode,
    lock_unchanged: impl FnOnce() -> bool,
) -> bool {
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
    if against.is_none() && lock_unchanged() {
        return false;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    const SETTINGS: &str = "channel: board\ndescription: The board.\nprotocol_version: 1\nenvelope: {style: adjacent, version_field: protocol_version, type_field: event_type, payload_field: payload}\nevents: [events]\n";

    const EVENTS: &str = "resource: task
events:
  - name: task_created
    description: A task was created.
    since: '0.1'
    stability: frozen
    payload:
      type: object
      properties:
        task_id: {type: integer, minimum: 1}
    examples: [{task_id: 1}]
";

    /// The contract findings of `mode` over a lock on disk that is not
    /// JSON, which only a run that reads it finds out; `test` names the
    /// scratch directory.
    fn findings_over_a_broken_lock(
        test: &str,
        mode: &Mode,
        lock_unchanged: impl FnOnce() -> bool,
    ) -> Vec<String> {
        let dir = TestDir::new(test);
        let mut catalog = crate::render::test_catalog::catalog(SETTINGS, EVENTS);
        catalog.outputs.lock = dir.join("board.lock.json");
        fs::write(&catalog.outputs.lock, "not a lock").unwrap();
        let mut run = Run {
            sources: Sources::new(&dir),
            diagnostics: Vec::new(),
            written: Vec::new(),
            unchanged: 0,
        };
        check_against(&mut run, &catalog, mode, lock_unchanged);
        run.diagnostics
            .into_iter()
            .map(|found| found.rule.to_string())
            .collect()
    }

    #[test]
    fn a_lock_the_catalog_makes_unchanged_is_not_read_again() {
        assert_eq!(
            findings_over_a_broken_lock("lock-unchanged", &Mode::Write, || true),
            Vec::<String>::new()
        );
        assert_eq!(
            findings_over_a_broken_lock("lock-changed", &Mode::Write, || false),
            ["invalid-lock"]
        );
    }

    #[test]
    fn against_a_revision_the_lock_on_disk_does_not_count() {
        let mode = Mode::Check {
            against: Some("HEAD".to_string()),
        };
        let findings = findings_over_a_broken_lock("lock-against", &mode, || {
            panic!("the lock on disk was consulted")
        });
        assert_eq!(findings, ["git-failed"]);
    }
}
