//! `cargo xtask gen` and `cargo xtask check`: a thin command line over
//! [`eventcat_codegen::run`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use eventcat_codegen::diagnostic::{Format, Report};
use eventcat_codegen::run::{self, Mode};
use eventcat_codegen::source::display_path;

/// Generate and check the code of the event catalogs.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the Rust crate, the TypeScript module, the docs page, the
    /// editor schemas and the contract lock. Refuses a breaking change of the
    /// frozen contract that no recorded decision allows.
    Gen(Options),
    /// Lint the names, check the frozen contract and compare every generated
    /// file with what the catalog generates; writes nothing.
    Check {
        #[command(flatten)]
        options: Options,
        /// Compare the contract with the lock at this git revision (e.g.
        /// `origin/main`), so editing the lock together with the catalog
        /// cannot hide a break.
        #[arg(long, value_name = "GIT_REF")]
        against: Option<String>,
    },
}

#[derive(clap::Args)]
struct Options {
    /// A catalog settings file, relative to the workspace root; repeat for
    /// several channels. Default: every catalog listed under
    /// `[workspace.metadata.eventcat] catalogs` in the root `Cargo.toml`, or
    /// `schema/catalog.yaml` when there is no such list.
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
enum OutputFormat {
    /// rustc-style text (coloured on a terminal unless NO_COLOR is set).
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let (options, mode) = match cli.command {
        Command::Gen(options) => (options, Mode::Write),
        Command::Check { options, against } => (options, Mode::Check { against }),
    };
    let catalogs = if options.catalog.is_empty() {
        match workspace_catalogs(&root) {
            Ok(catalogs) => catalogs,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        options.catalog
    };
    let catalogs: Vec<PathBuf> = catalogs.iter().map(|path| root.join(path)).collect();
    let run = run::run(&root, &catalogs, &mode);

    let format = match options.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let failed = run.has_errors() || (options.deny_warnings && !run.diagnostics.is_empty());
    let report = Report {
        diagnostics: run.diagnostics,
    };
    match format {
        // Machine formats go to stdout, alone, so tools can parse them.
        Format::Json | Format::Github => {
            print!("{}", report.render_as(format, &run.sources, false))
        }
        Format::Human => {
            if !report.diagnostics.is_empty() {
                eprintln!("{}", report.render(&run.sources, color));
            }
        }
    }
    if format == Format::Human {
        summarize(&root, &mode, &run.written, run.unchanged, failed);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn summarize(root: &Path, mode: &Mode, written: &[PathBuf], unchanged: usize, failed: bool) {
    match (mode, failed) {
        (Mode::Write, true) => eprintln!("no file was written"),
        (Mode::Write, false) => {
            for path in written {
                eprintln!("wrote {}", display_path(root, path));
            }
            eprintln!("{} files written, {unchanged} unchanged", written.len());
        }
        (Mode::Check { .. }, true) => eprintln!("check failed"),
        (Mode::Check { .. }, false) => eprintln!("{unchanged} generated files are up to date"),
    }
}

/// The catalogs the workspace lists in its `Cargo.toml`:
/// `[workspace.metadata.eventcat] catalogs = ["schema/catalog.yaml", ...]`.
fn workspace_catalogs(root: &Path) -> Result<Vec<PathBuf>, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        workspace: Option<Workspace>,
    }
    #[derive(serde::Deserialize)]
    struct Workspace {
        metadata: Option<Metadata>,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        eventcat: Option<Settings>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        catalogs: Vec<PathBuf>,
    }
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text)
        .map_err(|error| format!("{}: [workspace.metadata.eventcat]: {error}", path.display()))?;
    Ok(manifest
        .workspace
        .and_then(|workspace| workspace.metadata)
        .and_then(|metadata| metadata.eventcat)
        .map(|settings| settings.catalogs)
        .unwrap_or_else(|| vec![PathBuf::from("schema/catalog.yaml")]))
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(manifest: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "eventcat-xtask-manifest-{}-{}",
            std::process::id(),
            manifest.len()
        ));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
        root
    }

    #[test]
    fn catalogs_come_from_the_workspace_metadata() {
        let root = root_with(
            "[workspace]\nmembers = []\n\n[workspace.metadata.eventcat]\ncatalogs = [\"a/board.yaml\", \"b/dashboard.yaml\"]\n",
        );
        assert_eq!(
            workspace_catalogs(&root).unwrap(),
            [
                PathBuf::from("a/board.yaml"),
                PathBuf::from("b/dashboard.yaml")
            ]
        );
    }

    #[test]
    fn without_metadata_the_default_catalog_is_used() {
        let root = root_with("[workspace]\nmembers = []\n");
        assert_eq!(
            workspace_catalogs(&root).unwrap(),
            [PathBuf::from("schema/catalog.yaml")]
        );
    }

    #[test]
    fn a_misspelt_setting_is_an_error() {
        let root =
            root_with("[workspace]\n\n[workspace.metadata.eventcat]\ncatalog = [\"a.yaml\"]\n");
        let error = workspace_catalogs(&root).unwrap_err();
        assert!(error.contains("[workspace.metadata.eventcat]"), "{error}");
    }
}
