//! `cargo xtask gen` and `cargo xtask check`: a thin command line over
//! [`eventcat_codegen`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use eventcat_codegen::diagnostic::Report;
use eventcat_codegen::output;
use eventcat_codegen::source::{Sources, display_path};

/// Generate and check the code of an event catalog.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the Rust crate, the TypeScript module, the docs page and the editor schemas.
    Gen(Options),
    /// Regenerate in memory and fail if any committed file differs; writes nothing.
    Check(Options),
}

#[derive(clap::Args)]
struct Options {
    /// The catalog settings file, relative to the workspace root.
    #[arg(long, default_value = "schema/catalog.yaml")]
    catalog: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let (options, writing) = match &cli.command {
        Command::Gen(options) => (options, true),
        Command::Check(options) => (options, false),
    };
    let catalog_path = root.join(&options.catalog);
    let mut sources = Sources::new(&root);
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    let files = match eventcat_codegen::build(&mut sources, &catalog_path)
        .and_then(|catalog| eventcat_codegen::generate(&catalog))
    {
        Ok(files) => files,
        Err(diagnostics) => return fail(&sources, Report { diagnostics }, color, writing),
    };

    if writing {
        match output::write(&files) {
            Ok(summary) => {
                for path in &summary.written {
                    eprintln!("wrote {}", display_path(&root, path));
                }
                eprintln!(
                    "{} files written, {} unchanged",
                    summary.written.len(),
                    summary.unchanged
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: writing generated files failed, nothing was changed: {error}");
                ExitCode::FAILURE
            }
        }
    } else {
        let diagnostics = output::check(&mut sources, &files);
        if diagnostics.is_empty() {
            eprintln!("{} generated files are up to date", files.len());
            ExitCode::SUCCESS
        } else {
            fail(&sources, Report { diagnostics }, color, writing)
        }
    }
}

fn fail(sources: &Sources, report: Report, color: bool, writing: bool) -> ExitCode {
    eprintln!("{}", report.render(sources, color));
    if writing {
        eprintln!("no file was written");
    }
    if report.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
