//! eventcat's command line, behind two entry points: the `eventcat` binary
//! and a project's own `cargo xtask`.
//!
//! The whole `xtask/src/main.rs` of a project that prefers the cargo-xtask
//! convention (its `Cargo.toml` depends on this crate):
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     eventcat::xtask()
//! }
//! ```
//!
//! Either way the project is found by walking up from the current
//! directory to the nearest `eventcat.toml` or `Cargo.toml` with
//! `[workspace.metadata.eventcat]`, never from where the tool was built.

mod import;
mod init;
mod report;
mod verify;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use eventcat_codegen::diagnostic::{Diagnostic, Format};
use eventcat_codegen::project::{self, Project};
use eventcat_codegen::run::{self, Mode};
use eventcat_codegen::source::Sources;

/// How eventcat was started: it names the commands in help, generated
/// headers (unless the project sets `command`) and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The `eventcat` binary.
    Binary,
    /// A project's `cargo xtask`.
    Xtask,
}

impl Entry {
    /// `eventcat` or `cargo xtask`.
    pub fn command(self) -> &'static str {
        match self {
            Entry::Binary => "eventcat",
            Entry::Xtask => "cargo xtask",
        }
    }
}

/// The `eventcat` binary's `main`.
pub fn main() -> ExitCode {
    run_with(Entry::Binary, std::env::args_os())
}

/// A project's `cargo xtask` `main`.
pub fn xtask() -> ExitCode {
    run_with(Entry::Xtask, std::env::args_os())
}

/// Parses `args` (the program name first) and runs the command.
pub fn run_with(
    entry: Entry,
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
) -> ExitCode {
    let command = Cli::command()
        .name(entry.command())
        .bin_name(entry.command());
    let cli = match Cli::from_arg_matches(&command.get_matches_from(args)) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match cli.command {
        Command::Init(options) => init::run(entry, &cwd, cli.root.as_deref(), options),
        Command::Import { source } => import::run(entry, &cwd, source),
        Command::Verify(args) => verify::run(entry, &cwd, cli.root.as_deref(), args),
        Command::Gen(options) => generate(entry, &cwd, cli.root.as_deref(), options, Mode::Write),
        Command::Check { options, against } => generate(
            entry,
            &cwd,
            cli.root.as_deref(),
            options,
            Mode::Check { against },
        ),
    }
}

/// Generate and check the code of event catalogs.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The project root; default: the nearest directory at or above the
    /// current one with `eventcat.toml` or `[workspace.metadata.eventcat]`.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a catalog in this repository: settings, a first event file,
    /// editor schemas and the project settings. Writes only new files.
    Init(init::InitArgs),
    /// Make a catalog from event schemas a project already publishes.
    /// Writes only new files.
    Import {
        #[command(subcommand)]
        source: import::ImportCommand,
    },
    /// Regenerate the Rust crate, the TypeScript module, the docs page, the
    /// editor schemas and the contract lock. Refuses a breaking change of
    /// the frozen contract that no recorded decision allows, and any file
    /// at an output path that eventcat did not write.
    Gen(Options),
    /// Lint the names, check the frozen contract, the drift of the code
    /// that emits and handles events, and compare every generated file
    /// with what the catalog generates; writes nothing.
    Check {
        #[command(flatten)]
        options: Options,
        /// Compare the contract with the lock at this git revision (e.g.
        /// `origin/main`), so editing the lock together with the catalog
        /// cannot hide a break.
        #[arg(long, value_name = "GIT_REF")]
        against: Option<String>,
    },
    /// Check recorded traffic against a catalog: messages of unknown types,
    /// schema violations (the JSON Pointer and keyword), messages sent in
    /// the wrong direction, and catalog messages that never appear.
    Verify(verify::VerifyArgs),
}

#[derive(Args)]
struct Options {
    /// A catalog settings file (relative to the current directory); repeat
    /// for several channels. Default: every catalog the project lists.
    #[arg(long)]
    catalog: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum OutputFormat {
    /// rustc-style text (coloured on a terminal unless NO_COLOR is set).
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

impl OutputFormat {
    pub(crate) fn format(self) -> Format {
        match self {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
        }
    }
}

/// `gen` and `check`.
fn generate(
    entry: Entry,
    cwd: &Path,
    root: Option<&Path>,
    options: Options,
    mode: Mode,
) -> ExitCode {
    let format = options.format.format();
    let project = match find_project(entry, cwd, root, !options.catalog.is_empty()) {
        Ok(project) => project,
        Err((sources, diagnostic)) => return report::failure(format, &sources, vec![*diagnostic]),
    };
    let catalogs: Vec<PathBuf> = if options.catalog.is_empty() {
        project.catalogs.clone()
    } else {
        options.catalog.iter().map(|path| cwd.join(path)).collect()
    };
    if catalogs.is_empty() {
        let sources = Sources::new(&project.root);
        let diagnostic = Diagnostic::error(
            "no-catalogs",
            format!("{} lists no catalogs", project.marker.table()),
        )
        .help("list them as `catalogs = [\"eventcat/board.yaml\"]`, or run `eventcat init`");
        return report::failure(format, &sources, vec![diagnostic]);
    }
    let run = run::run(&project, &catalogs, &mode);
    report::finish(&project, &mode, run, format, options.deny_warnings)
}

/// The project to run in. With `--catalog` and no project around, `--root`
/// (or the current directory) stands in as the root, so a catalog can be
/// tried before any settings exist.
pub(crate) fn find_project(
    entry: Entry,
    cwd: &Path,
    root: Option<&Path>,
    catalogs_given: bool,
) -> Result<Project, (Sources, Box<Diagnostic>)> {
    let mut sources = Sources::new(root.unwrap_or(cwd));
    let found = match root {
        Some(root) => project::at(&cwd.join(root), entry.command(), &mut sources),
        None => project::discover(cwd, entry.command(), &mut sources),
    };
    match found {
        Err(error) if error.rule == "no-project" && catalogs_given => Ok(Project {
            root: root.map_or_else(|| cwd.to_path_buf(), |root| cwd.join(root)),
            marker: project::Marker::EventcatToml,
            catalogs: Vec::new(),
            command: eventcat_codegen::model::ToolCommand(entry.command().to_string()),
        }),
        other => other.map_err(|error| (sources, error)),
    }
}
