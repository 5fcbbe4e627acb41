//! What a run prints: diagnostics in the chosen format, then (for people)
//! a one-line summary, and the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use eventcat_codegen::diagnostic::{Diagnostic, Format, Report};
use eventcat_codegen::project::Project;
use eventcat_codegen::run::{Mode, Run};
use eventcat_codegen::source::{Sources, display_path};

/// Prints the findings of a finished run and its summary.
pub fn finish(
    project: &Project,
    mode: &Mode,
    run: Run,
    format: Format,
    deny_warnings: bool,
) -> ExitCode {
    let failed = run.has_errors() || (deny_warnings && !run.diagnostics.is_empty());
    print(format, &run.sources, run.diagnostics);
    if format == Format::Human {
        summarize(project, mode, &run.written, run.unchanged, failed);
    }
    exit_code(failed)
}

/// Prints findings that stopped a command before it ran.
pub fn failure(format: Format, sources: &Sources, diagnostics: Vec<Diagnostic>) -> ExitCode {
    print(format, sources, diagnostics);
    ExitCode::FAILURE
}

/// Prints findings in the chosen format.
pub fn print_findings(format: Format, sources: &Sources, diagnostics: Vec<Diagnostic>) {
    print(format, sources, diagnostics);
}

fn print(format: Format, sources: &Sources, diagnostics: Vec<Diagnostic>) {
    let report = Report { diagnostics };
    match format {
        // Machine formats go to stdout, alone, so tools can parse them.
        Format::Json | Format::Github => print!("{}", report.render_as(format, sources, false)),
        Format::Human => {
            if !report.diagnostics.is_empty() {
                eprintln!("{}", report.render(sources, color()));
            }
        }
    }
}

/// Colour on a terminal, unless `NO_COLOR` is set.
fn color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

fn summarize(project: &Project, mode: &Mode, written: &[PathBuf], unchanged: usize, failed: bool) {
    match (mode, failed) {
        (Mode::Write, true) => eprintln!("no file was written"),
        (Mode::Write, false) => {
            for path in written {
                eprintln!("wrote {}", display_path(&project.root, path));
            }
            eprintln!("{} files written, {unchanged} unchanged", written.len());
        }
        (Mode::Check { .. }, true) => eprintln!("check failed"),
        (Mode::Check { .. }, false) => eprintln!("{unchanged} generated files are up to date"),
    }
}

fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
