//! `eventcat verify RECORDING...`: recorded wire traffic against the
//! catalog, with the findings in the chosen format and the counts per type.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use eventcat_codegen::diagnostic::{Diagnostic, Severity};
use eventcat_codegen::model::Direction;
use eventcat_codegen::source::Sources;
use eventcat_codegen::verify::{Tally, verify};

use crate::{Entry, OutputFormat, find_project, report};

#[derive(Args)]
pub struct VerifyArgs {
    /// Recordings: JSON Lines (one wire message per line) or raw
    /// Server-Sent Events streams.
    #[arg(value_name = "FILE", required = true)]
    recordings: Vec<PathBuf>,
    /// The catalog settings file (default: the project's only catalog).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Who sent the recorded messages.
    #[arg(long, value_enum, default_value_t = Sender::Server)]
    from: Sender,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Fail on warnings too (catalog messages that never appear).
    #[arg(long)]
    deny_warnings: bool,
}

/// The side whose messages were recorded.
#[derive(Clone, Copy, ValueEnum)]
enum Sender {
    /// The server: events.
    Server,
    /// A client: commands.
    Client,
}

/// Checks every recording; exit 1 on a violation.
pub fn run(entry: Entry, cwd: &Path, root: Option<&Path>, args: VerifyArgs) -> ExitCode {
    let format = args.format.format();
    let project = match find_project(entry, cwd, root, args.catalog.is_some()) {
        Ok(project) => project,
        Err((sources, diagnostic)) => return report::failure(format, &sources, vec![*diagnostic]),
    };
    let mut sources = Sources::new(&project.root);
    let catalog_path = match (&args.catalog, project.catalogs.as_slice()) {
        (Some(path), _) => cwd.join(path),
        (None, [only]) => only.clone(),
        (None, _) => {
            let diagnostic =
                Diagnostic::error("no-catalogs", "`verify` checks one catalog at a time")
                    .help("name it with `--catalog <settings file>`");
            return report::failure(format, &sources, vec![diagnostic]);
        }
    };
    let catalog = match eventcat_codegen::build(&mut sources, &catalog_path) {
        Ok(catalog) => catalog,
        Err(diagnostics) => return report::failure(format, &sources, diagnostics),
    };
    let sender = match args.from {
        Sender::Server => Direction::ServerToClient,
        Sender::Client => Direction::ClientToServer,
    };
    let mut diagnostics = Vec::new();
    let mut tally = Tally::default();
    for recording in &args.recordings {
        let (found, seen) = verify(&mut sources, &catalog, &cwd.join(recording), sender);
        diagnostics.extend(found);
        tally.messages += seen.messages;
        for (name, count) in seen.per_type {
            *tally.per_type.entry(name).or_default() += count;
        }
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error)
        || (args.deny_warnings && !diagnostics.is_empty());
    report::print_findings(format, &sources, diagnostics);
    if matches!(args.format, OutputFormat::Human) {
        let counts: Vec<String> = tally
            .per_type
            .iter()
            .map(|(name, count)| format!("{name} {count}"))
            .collect();
        eprintln!("{} messages: {}", tally.messages, counts.join(", "));
        eprintln!(
            "{}",
            if failed {
                "verify failed"
            } else {
                "the recording keeps the contract"
            }
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
