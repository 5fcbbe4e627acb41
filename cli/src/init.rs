//! `eventcat init`: arguments, then the library's plan, written, and what
//! to do next.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use eventcat_codegen::init::{self, Style};
use eventcat_codegen::model::ToolCommand;

use crate::Entry;

#[derive(Args)]
pub struct InitArgs {
    /// The channel name in snake_case; it names the generated types
    /// (`board` → `BoardEvent`, `BoardEnvelope`).
    #[arg(long, default_value = "app")]
    channel: String,
    /// The envelope every message travels in (default: what the samples
    /// use, else `versioned`).
    #[arg(long, value_enum)]
    envelope: Option<EnvelopeArg>,
    /// The directory for the catalog, relative to the root.
    #[arg(long, default_value = "eventcat", value_name = "DIR")]
    dir: PathBuf,
    /// Scan the repository for the event names its code already uses:
    /// literals passed to emit functions (Rust, Python, JavaScript), `case`
    /// labels of frontend switches on `.type`/`.event_type`, handler map keys.
    #[arg(long)]
    from_code: bool,
    /// An emit function to scan for, as `NAME` or `NAME:ARG` (0-based
    /// position of the event-name argument, `self` not counted); repeat.
    /// Without it, functions named like emit/broadcast/publish are detected.
    #[arg(long = "emit-function", value_name = "NAME[:ARG]", value_parser = parse_emit_function)]
    emit_functions: Vec<(String, Option<usize>)>,
    /// Recorded wire messages, one JSON message per line (e.g. copied from
    /// the browser's WebSocket inspector): payload schemas are inferred
    /// from them, and they become the examples.
    #[arg(long, value_name = "FILE")]
    samples: Option<PathBuf>,
    /// Grandfather the names found that break the naming rule, instead of
    /// failing `check` on them until they are renamed.
    #[arg(long)]
    grandfather: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EnvelopeArg {
    /// `{"protocol_version": 1, "event_type": "<name>", "payload": {...}}`
    Versioned,
    /// `{"type": "<name>", "payload": {...}}`
    TypePayload,
    /// `{"type": "<name>", <payload fields>}`
    Flat,
}

fn parse_emit_function(text: &str) -> Result<(String, Option<usize>), String> {
    match text.split_once(':') {
        None => Ok((text.to_string(), None)),
        Some((name, position)) => position
            .parse()
            .map(|position| (name.to_string(), Some(position)))
            .map_err(|_| format!("`{position}` is not an argument position (0, 1, ...)")),
    }
}

/// Plans, writes and reports an `init` at `--root` or the current directory.
pub fn run(entry: Entry, cwd: &Path, root: Option<&Path>, args: InitArgs) -> ExitCode {
    let root = root.map_or_else(|| cwd.to_path_buf(), |root| cwd.join(root));
    let options = init::Options {
        root: root.clone(),
        channel: args.channel,
        envelope: args.envelope.map(|envelope| match envelope {
            EnvelopeArg::Versioned => Style::Versioned,
            EnvelopeArg::TypePayload => Style::TypePayload,
            EnvelopeArg::Flat => Style::Flat,
        }),
        dir: args.dir,
        from_code: args.from_code,
        emit_functions: args.emit_functions,
        samples: args.samples.map(|path| cwd.join(path)),
        grandfather: args.grandfather,
        command: ToolCommand(entry.command().to_string()),
    };
    let plan = match init::plan(&options) {
        Ok(plan) => plan,
        Err(message) => return fail(&message),
    };
    for line in &plan.report {
        eprintln!("note: {line}");
    }
    let written = match init::write(&root, &plan) {
        Ok(written) => written,
        Err(message) => return fail(&message),
    };
    for path in &written {
        eprintln!("wrote {}", path.display());
    }
    eprintln!("\nnext:");
    for (number, step) in plan.next_steps.iter().enumerate() {
        eprintln!("  {}. {step}", number + 1);
    }
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}\nnothing was written");
    ExitCode::FAILURE
}
