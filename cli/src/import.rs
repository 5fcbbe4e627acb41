//! `eventcat import json-schema DIR`: the library's import, written as new
//! files, and what to do next.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use eventcat_codegen::import;
use eventcat_codegen::init::write::create_files;

use crate::Entry;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// A folder of event JSON Schemas (JSON or YAML; `$ref`s between files
    /// by path or `$id`): the schemas directly in it are the events, the
    /// ones they refer to become shared definitions.
    JsonSchema(JsonSchemaArgs),
}

#[derive(Args)]
pub struct JsonSchemaArgs {
    /// The folder of schemas.
    #[arg(value_name = "DIR")]
    schemas: PathBuf,
    /// A folder of example messages, matched to events by file name
    /// (`artifact_packaged.json` for `artifactpackaged.json`).
    #[arg(long, value_name = "DIR")]
    examples: Option<PathBuf>,
    /// The channel name in snake_case; it names the generated types.
    #[arg(long)]
    channel: String,
    /// Where the catalog goes, relative to the current directory
    /// (default: a folder named after the channel).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Imports and writes the catalog; never over an existing file.
pub fn run(entry: Entry, cwd: &Path, command: ImportCommand) -> ExitCode {
    let ImportCommand::JsonSchema(args) = command;
    let out = cwd.join(args.out.unwrap_or_else(|| PathBuf::from(&args.channel)));
    let options = import::Options {
        schemas: cwd.join(&args.schemas),
        examples: args.examples.map(|dir| cwd.join(dir)),
        channel: args.channel,
    };
    let imported = match import::json_schema(&options) {
        Ok(imported) => imported,
        Err(message) => return fail(&message),
    };
    if let Err(message) = create_files(&out, &imported.files) {
        return fail(&message);
    }
    for (path, _) in &imported.files {
        eprintln!("wrote {}", out.join(path).display());
    }
    eprintln!(
        "\nimported {} events and {} shared definitions",
        imported.events, imported.definitions
    );
    if !imported.grandfathered.is_empty() {
        eprintln!(
            "note: grandfathered as published (they break the naming rule): {}",
            imported.grandfathered.join(", ")
        );
    }
    if !imported.without_examples.is_empty() {
        eprintln!(
            "note: no example message for {}; `gen` asks for one each",
            imported.without_examples.join(", ")
        );
    }
    let catalog = out.join("catalog.yaml");
    let shown = catalog.strip_prefix(cwd).unwrap_or(&catalog).display();
    eprintln!(
        "\nnext:\n  1. list `{shown}` under `catalogs` in the project settings (or run `{} init` first)\n  2. run `{} gen`",
        entry.command(),
        entry.command()
    );
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}\nnothing was written");
    ExitCode::FAILURE
}
